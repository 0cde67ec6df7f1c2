/*
** cmd-sim.c: the headless simulation commands: run, check, list.
*/
#include "cli/cmd.h"
#include "lib/jx.h"
#include "lib/sb.h"
#include "lib/xmem.h"
#include "quiz/qcov.h"
#include "quiz/qcue.h"
#include "net/hcl.h"
#include "quiz/qz.h"
#include "sim/leak.h"
#include "sim/out.h"
#include "sim/scn.h"
#include "sim/sim.h"

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int cmd_run_exec(int, char **);
static int cmd_check_exec(int, char **);
static int cmd_list_exec(int, char **);

const struct cmd_entry cmd_run_entry = { "run",
	"run SCENARIO [--seed N] [--format text|jsonl|mermaid|html] [--store DIR] "
	"[--answers FILE] [--backend URL]",
	"replay a scenario headless and check its expectations",
	"Runs every step of a scenario on the simulated backend and devices,\n"
	"prints what happened, then the checker's report.\n"
	"\n"
	"SCENARIO is a file, or the id of a shipped scenario (synclab list).\n"
	"\n"
	"options:\n"
	"  --seed N          the PRNG seed (default: the scenario's, else 1);\n"
	"                    the same scenario and seed give the same run\n"
	"  --format FMT      text (default): a transcript, one line per HTTP\n"
	"                      exchange, with expectations marked \u2713 or "
	"\u2717;\n"
	"                    jsonl: one JSON object per trace event\n"
	"                      (docs/trace-format.md);\n"
	"                    mermaid: a sequenceDiagram of the requests;\n"
	"                    html: one self-contained page (no network) with\n"
	"                      the story, a drawn sequence diagram, the tables\n"
	"                      before and after and the checker's report\n"
	"  --store DIR       write backend.db and DEVICE.db (SQLite files "
	"that\n"
	"                    open in the sqlite3 shell) into DIR at the end\n"
	"  --answers FILE    answers to the scenario's questions, as JSON\n"
	"                    {\"ask-id\": \"b\"}; graded in the transcript\n"
	"  --backend URL     a real server is the app (http://HOST:PORT, e.g.\n"
	"                    azure-mobile-apps or synclab serve): the requests\n"
	"                    that get past synclab's App Service (sign-in, plan,\n"
	"                    hub) go there; its tables must exist and be empty\n"
	"                    (docs/serve.md)\n"
	"\n"
	"After the script every online device syncs twice (the \"final "
	"sync\")\n"
	"and the checker reports convergence, lost writes and what is still\n"
	"queued.\n"
	"\n"
	"exit status: 0 every expectation held, 1 one failed or the scenario "
	"is\n"
	"invalid, 2 a usage error.\n",
	cmd_run_exec };

const struct cmd_entry cmd_check_entry = { "check",
	"check [--stats] [--no-cues] [--coverage] [--format text|json] PATH...",
	"validate scenario and question files; find answer cues",
	"Validates scenario files (docs/scenario-format.md) and question "
	"files\n"
	"(docs/question-format.md; a file whose top level has \"questions\").\n"
	"A folder is searched recursively for *.json files.  Every problem is\n"
	"printed as FILE:LINE:COL: json.path: what is wrong.\n"
	"\n"
	"The question files that are valid are then checked together, as one\n"
	"bank, for cues a test-wise student could use without knowing the\n"
	"answer (a key longer than every distractor, a stem word only the key\n"
	"repeats, a predictable yes/no pattern ...): each finding is printed\n"
	"as FILE:LINE:COL: json.path: RULE: why.  A question waives a rule\n"
	"with \"waive\": {\"RULE\": \"reason\"}.  The rules and their thresholds\n"
	"are in docs/question-format.md.\n"
	"\n"
	"  --stats      also print the bank figures behind the bank rules\n"
	"  --no-cues    validate only\n"
	"  --coverage   print only the bank's coverage table by outline line\n"
	"               (Markdown, as in docs/question-bank.md), after validating\n"
	"  --format F   text (default) or json: one object with the counts and\n"
	"               a list of findings, each with kind (error or cue), file,\n"
	"               line, col, path, rule (cues) and message, for editors\n"
	"               and CI (docs/scenario-format.md, \"Checking in CI\")\n"
	"\n"
	"exit status: 0 all files valid and no unwaived cue (\"N files ok\"),\n"
	"1 any problem or cue, 2 a usage error.\n",
	cmd_check_exec };

const struct cmd_entry cmd_list_entry = { "list", "list",
	"list the shipped scenarios in teaching order",
	"Lists the shipped scenarios in teaching order: id, title and the "
	"exam\n"
	"domains their objectives cover.  Run one with synclab run ID, or "
	"open\n"
	"it in the terminal UI with synclab sim ID.\n",
	cmd_list_exec };

/* ---- finding a scenario ---- */

static int
cmd_is_file(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

static int
cmd_is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Why path names neither a regular file nor a folder, for "PATH: cannot
** open: WHY". */
static const char *
cmd_why_not_file(const char *p)
{
	struct stat st;
	if (stat(p, &st) != 0)
		return errno == ENOENT ? "no such file or folder" :
		    strerror(errno);
	return "not a regular file or folder (a device, a pipe or a socket)";
}

/* A path, else a shipped id.  Returns a new string or NULL. */
static char *
cmd_find_scenario(const char *arg)
{
	if (cmd_is_file(arg))
		return xstrdup(arg);
	if (*arg != '\0' && !jx_is_id(arg))
		return NULL;
	const char *dir = cmd_datadir("scenarios");
	char *p = xasprintf("%s/%s.json", dir, arg);
	if (cmd_is_file(p))
		return p;
	free(p);
	/* The file name may differ from the id: look inside each file. */
	DIR *d = opendir(dir);
	if (d == NULL)
		return NULL;
	struct dirent *de;
	char *found = NULL;
	while (found == NULL && (de = readdir(d)) != NULL) {
		size_t n = strlen(de->d_name);
		if (n < 6 || strcmp(de->d_name + n - 5, ".json") != 0)
			continue;
		char *fp = xasprintf("%s/%s", dir, de->d_name);
		sb errs = SB_INIT;
		scn *s = scn_load_file(fp, &errs, NULL);
		if (s && strcmp(s->id, arg) == 0)
			found = fp;
		else
			free(fp);
		scn_free(s);
		sb_free(&errs);
	}
	closedir(d);
	return found;
}

/* ---- run ---- */

static int cmd_run_scenario(const char *arg, sim_opts *o, out_format fmt,
    const char *store, const char *answers);

/* rmt_link.send for --backend: one exchange over net/hcl. */
static int
cmd_run_send(void *ud, const http_req *req, http_resp *resp, sb *err)
{
	sb e = SB_INIT;
	int rc = hcl_send(ud, req, resp, 10000, &e);
	if (rc != 0)
		sb_add(err, sb_str(&e));
	sb_free(&e);
	return rc != 0 ? -1 : 0;
}

/* Loads an --answers file: an object of strings keyed by ask ids that
** exist in s.  Returns the object (caller frees) or NULL with errors
** printed. */
static cJSON *
cmd_load_answers(const char *path, const scn *s)
{
	jx_doc d;
	jx_load_file(&d, path);
	if (d.root && !cJSON_IsObject(d.root))
		jx_err(
		    &d, "", "an answers file is an object {\"ask-id\": \"b\"}");
	else if (d.root) {
		const cJSON *m;
		cJSON_ArrayForEach(m, d.root) {
			if (!cJSON_IsString(m))
				jx_err(&d, m->string,
				    "an answer is a string in the plain "
				    "syntax (\"b\", \"a c\", \"y n y\")");
			int known = 0;
			for (size_t i = 0; i < s->nsteps; i++)
				if (s->steps[i].ask &&
				    strcmp(qz_question_id(s->steps[i].ask),
					m->string) == 0)
					known = 1;
			if (!known)
				jx_err(&d, m->string,
				    "the scenario has no ask with id "
				    "\"%s\"",
				    m->string);
		}
	}
	cJSON *out = NULL;
	if (d.nerr)
		fputs(sb_str(&d.errs), stderr);
	else {
		out = d.root;
		d.root = NULL;
	}
	jx_free(&d);
	return out;
}

static int
cmd_run_exec(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "seed", required_argument, NULL, 's' },
		{ "format", required_argument, NULL, 'f' },
		{ "store", required_argument, NULL, 'S' },
		{ "answers", required_argument, NULL, 'a' },
		{ "backend", required_argument, NULL, 'b' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const struct cmd_entry *ce = &cmd_run_entry;
	unsigned long long num;
	sim_opts o;
	memset(&o, 0, sizeof o);
	out_format fmt = OUT_TEXT;
	const char *store = NULL, *answers = NULL, *backend = NULL;
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 's':
			if (cmd_parse_uint(optarg, ULLONG_MAX, &num) != 0)
				return cmd_usage_error(ce,
				    "--seed needs a whole number "
				    "of at least 0, not \"%s\"",
				    optarg);
			o.seed = num;
			o.has_seed = 1;
			break;
		case 'f':
			if (out_parse_format(optarg, &fmt) != 0)
				return cmd_usage_error(ce,
				    "unknown format \"%s\" (text, "
				    "jsonl, mermaid, html)",
				    optarg);
			break;
		case 'S':
			store = optarg;
			break;
		case 'a':
			answers = optarg;
			break;
		case 'b':
			backend = optarg;
			break;
		case 'h':
			cmd_help(ce);
			return 0;
		default:
			return cmd_usage_error(ce,
			    "unknown or incomplete option \"%s\"",
			    argv[optind - 1]);
		}
	}
	if (argc - optind != 1)
		return cmd_usage_error(ce, argc - optind == 0 ?
		    "name one scenario" : "name only one scenario");
	hcl *link = NULL;
	rmt_link rl = { cmd_run_send, NULL, backend };
	if (backend) {
		sb e = SB_INIT;
		link = hcl_open(backend, &e);
		if (link == NULL) {
			int urc = cmd_usage_error(ce, "--backend: %s",
			    sb_str(&e));
			sb_free(&e);
			return urc;
		}
		rl.ud = link;
		o.backend = &rl;
	}
	int rc = cmd_run_scenario(argv[optind], &o, fmt, store, answers);
	hcl_close(link);
	return rc;
}

/* The rest of `run`, once the options are read: loads, runs and reports. */
static int
cmd_run_scenario(const char *arg, sim_opts *o, out_format fmt,
    const char *store, const char *answers)
{
	const struct cmd_entry *ce = &cmd_run_entry;
	char *path = cmd_find_scenario(arg);
	if (path == NULL)
		return cmd_usage_error(ce,
		    "no scenario \"%s\": not a file, nor the "
		    "id of a shipped scenario (see synclab list)",
		    arg);
	sb errs = SB_INIT;
	scn *s = scn_load_file(path, &errs, NULL);
	free(path);
	if (s == NULL) {
		fputs(sb_str(&errs), stderr);
		sb_free(&errs);
		return 1;
	}
	cJSON *ans = NULL;
	if (answers) {
		ans = cmd_load_answers(answers, s);
		if (ans == NULL) {
			scn_free(s);
			sb_free(&errs);
			return 1;
		}
	}
	o->answers = ans;
	o->pause_on_ask = 0;
	sim *r = sim_open(s, o, &errs);
	cJSON_Delete(ans);
	if (r == NULL) {
		fprintf(stderr, "synclab: run: %s\n", sb_str(&errs));
		sb_free(&errs);
		return 1;
	}
	int rc = 0;
	/* The page shows the backend's tables as they were before step 1. */
	char *before = fmt == OUT_HTML ? out_html_backend_tables(r) : NULL;
	if (sim_run(r, &errs) == SIM_ERROR || sim_finish(r, &errs) != 0) {
		fprintf(stderr, "synclab: run: %s\n", sb_str(&errs));
		rc = 1;
	}
	if (fmt == OUT_HTML)
		out_html_write(r, before, stdout);
	else
		out_write(r, fmt, stdout);
	free(before);
	if (sim_backend_error(r) != NULL) {
		fprintf(stderr, "synclab: run: the backend %s stopped answering: "
		    "%s\n", o->backend->url, sim_backend_error(r));
		rc = 1;
	}
	size_t fails = sim_expect_failures(r);
	if (fails) {
		rc = 1;
		if (fmt != OUT_TEXT)
			fprintf(stderr,
			    "synclab: run: %zu expectation%s failed\n", fails,
			    fails == 1 ? "" : "s");
	}
	if (store && sim_save_stores(r, store, &errs) != 0) {
		fprintf(stderr, "synclab: run: --store: %s\n", sb_str(&errs));
		rc = 1;
	}
	if (fflush(stdout) != 0)
		rc = 1;
	sim_close(r);
	sb_free(&errs);
	return rc;
}

/* ---- check ---- */

typedef struct cmd_files {
	char	**v;
	size_t	  n;
} cmd_files;

static int
cmd_strcmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Collects *.json under dir, recursively, sorted. */
static void
cmd_walk(const char *dir, cmd_files *out, int depth)
{
	if (depth > 32)
		return;
	DIR *d = opendir(dir);
	if (d == NULL)
		return;
	cmd_files here = { NULL, 0 };
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		here.v = xreallocarray(here.v, here.n + 1, sizeof *here.v);
		here.v[here.n++] = xasprintf("%s/%s", dir, de->d_name);
	}
	closedir(d);
	qsort(here.v, here.n, sizeof *here.v, cmd_strcmp);
	for (size_t i = 0; i < here.n; i++) {
		size_t n = strlen(here.v[i]);
		if (cmd_is_dir(here.v[i]))
			cmd_walk(here.v[i], out, depth + 1);
		else if (n > 5 && strcmp(here.v[i] + n - 5, ".json") == 0) {
			out->v =
			    xreallocarray(out->v, out->n + 1, sizeof *out->v);
			out->v[out->n++] = xstrdup(here.v[i]);
		}
		free(here.v[i]);
	}
	free(here.v);
}

/* Skips JSON white space from p. */
static const char *
cmd_scan_space(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' ||
	    *p == '\n'))
		p++;
	return p;
}

/* Skips a JSON string at p (at its opening quote); the byte after it, or
** NULL when it does not end.  *esc is set when it holds an escape. */
static const char *
cmd_scan_string(const char *p, const char *end, int *esc)
{
	for (p++; p < end; p++) {
		if (*p == '"')
			return p + 1;
		if (*p == '\\') {
			*esc = 1;
			p++;
		}
	}
	return NULL;
}

/* Skips a value at p up to the ',' or '}' that ends it at this depth. */
static const char *
cmd_scan_value(const char *p, const char *end)
{
	long depth = 0;
	int esc = 0;
	while (p != NULL && p < end) {
		if (*p == '"')
			p = cmd_scan_string(p, end, &esc);
		else if (*p == '{' || *p == '[')
			depth++, p++;
		else if ((*p == '}' || *p == ']') && depth > 0)
			depth--, p++;
		else if (depth == 0 && (*p == ',' || *p == '}'))
			return p;
		else
			p++;
	}
	return NULL;
}

/*
** Whether the top-level object of text (len bytes) has the member key: 1
** or 0, in one pass that builds nothing, or -1 when the text is not plain
** enough to tell (not an object, an escape in a member name, unbalanced)
** and the caller parses it for real.  Cheap on a 10 MB file, which is
** parsed once more by the loader that checks it.
*/
static int
cmd_top_key_scan(const char *text, size_t len, const char *key)
{
	int rc = -1;
	const char *p = text, *end = p + len;
	size_t klen = strlen(key);
	p = cmd_scan_space(p, end);
	if (p >= end || *p++ != '{')
		return -1;
	for (;;) {
		p = cmd_scan_space(p, end);
		if (p < end && *p == '}') {
			rc = 0;
			break;
		}
		if (p >= end || *p != '"')
			break;
		int esc = 0;
		const char *k = p + 1, *after = cmd_scan_string(p, end, &esc);
		if (after == NULL || esc)
			break;
		if ((size_t)(after - 1 - k) == klen &&
		    memcmp(k, key, klen) == 0) {
			rc = 1;
			break;
		}
		after = cmd_scan_space(after, end);
		if (after >= end || *after != ':')
			break;
		p = cmd_scan_value(after + 1, end);
		if (p == NULL)
			break;
		if (*p == '}') {
			rc = 0;
			break;
		}
		p++;	/* the ',' */
	}
	return rc;
}

/* 1 when the top level of the file path (its text, len bytes) is an
** object with "questions". */
static int
cmd_is_question_file(const char *path, const char *text, size_t len)
{
	jx_doc d;
	int q = cmd_top_key_scan(text, len, "questions");
	if (q >= 0)
		return q;
	q = 0;
	if (jx_load_text(&d, path, text, len) == 0 || d.root)
		q = cJSON_IsObject(d.root) &&
		    cJSON_GetObjectItemCaseSensitive(d.root, "questions") !=
			NULL;
	jx_free(&d);
	return q;
}

/* Appends one line of the checkers' text ("FILE:LINE:COL: path: what",
** cue lines "...: path: RULE: why") to a JSON array as an object. */
static void
cmd_check_json_line(sb *out, const char *line, size_t len, int cue)
{
	/* The position is the first ":LINE:COL: " (a file name may hold
	** colons, a position never follows one in it). */
	size_t i, fend = 0, ln = 0, col = 0, rest = 0;
	for (i = 0; i < len; i++) {
		if (line[i] != ':')
			continue;
		size_t j = i + 1, a = 0, b = 0, k;
		for (k = j; k < len && line[k] >= '0' && line[k] <= '9'; k++)
			a = a * 10 + (size_t)(line[k] - '0');
		if (k == j || k >= len || line[k] != ':' || k - j > 9)
			continue;
		size_t m = k + 1;
		for (k = m; k < len && line[k] >= '0' && line[k] <= '9'; k++)
			b = b * 10 + (size_t)(line[k] - '0');
		if (k == m || k + 1 >= len || line[k] != ':' ||
		    line[k + 1] != ' ' || k - m > 9)
			continue;
		fend = i;
		ln = a;
		col = b;
		rest = k + 2;
		break;
	}
	char *msg;
	sb_addf(out, "%s{\"kind\":\"%s\"", out->len > 1 ? "," : "",
	    cue ? "cue" : "error");
	if (rest == 0) {
		msg = xstrndup(line, len);
		sb_add(out, ",\"message\":");
		sb_addjson(out, msg);
		free(msg);
		sb_add(out, "}");
		return;
	}
	char *file = xstrndup(line, fend);
	sb_add(out, ",\"file\":");
	sb_addjson(out, file);
	free(file);
	sb_addf(out, ",\"line\":%zu,\"col\":%zu", ln, col);
	const char *r = line + rest, *end = line + len;
	const char *sep = NULL;
	for (const char *p = r; p + 1 < end; p++)
		if (p[0] == ':' && p[1] == ' ') {
			sep = p;
			break;
		}
	if (sep) {
		char *path = xstrndup(r, (size_t)(sep - r));
		sb_add(out, ",\"path\":");
		sb_addjson(out, path);
		free(path);
		r = sep + 2;
	}
	if (cue) {
		const char *p = r;
		while (p < end && ((*p >= 'a' && *p <= 'z') || *p == '-'))
			p++;
		if (p > r && p + 1 < end && p[0] == ':' && p[1] == ' ') {
			char *rule = xstrndup(r, (size_t)(p - r));
			sb_add(out, ",\"rule\":");
			sb_addjson(out, rule);
			free(rule);
			r = p + 2;
		}
	}
	msg = xstrndup(r, (size_t)(end - r));
	sb_add(out, ",\"message\":");
	sb_addjson(out, msg);
	free(msg);
	sb_add(out, "}");
}

static void
cmd_check_json_lines(sb *out, const char *text, int cue)
{
	while (*text) {
		size_t n = strcspn(text, "\n");
		if (n)
			cmd_check_json_line(out, text, n, cue);
		text += n + (text[n] == '\n');
	}
}

/* What one `synclab check` gathers.  In JSON mode everything is
** gathered, then printed as one object. */
typedef struct cmd_check {
	cmd_files	 files;		/* the files to check, owned */
	int		 nerr, stats, cues, coverage, json;
	sb		 jerr, jcue, jstats;	/* JSON mode: the findings */
	size_t		 ncue, nwaived;
} cmd_check;

static void
cmd_check_free(cmd_check *ck)
{
	for (size_t k = 0; k < ck->files.n; k++)
		free(ck->files.v[k]);
	free(ck->files.v);
	sb_free(&ck->jerr);
	sb_free(&ck->jcue);
	sb_free(&ck->jstats);
}

/* Reads the options and collects the files named (folders walked).  0,
** or -1 with the exit status of the usage error in *rc. */
static int
cmd_check_args(cmd_check *ck, int argc, char **argv, int *rc)
{
	const struct cmd_entry *ce = &cmd_check_entry;
	int npaths = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--format") == 0 ||
		    strncmp(argv[i], "--format=", 9) == 0) {
			const char *f = argv[i][8] == '=' ? argv[i] + 9 :
			    i + 1 < argc ? argv[++i] : "";
			if (strcmp(f, "json") == 0)
				ck->json = 1;
			else if (strcmp(f, "text") == 0)
				ck->json = 0;
			else {
				*rc = cmd_usage_error(ce, "unknown format "
				    "\"%s\" (text or json)", f);
				return -1;
			}
			continue;
		}
		if (strcmp(argv[i], "--coverage") == 0) {
			ck->coverage = 1;
			continue;
		}
		if (strcmp(argv[i], "--stats") == 0) {
			ck->stats = 1;
			continue;
		}
		if (strcmp(argv[i], "--no-cues") == 0) {
			ck->cues = 0;
			continue;
		}
		npaths++;
		if (argv[i][0] == '-' && argv[i][1] != '\0') {
			*rc = cmd_usage_error(
			    ce, "unknown option \"%s\"", argv[i]);
			return -1;
		}
		if (cmd_is_dir(argv[i]))
			cmd_walk(argv[i], &ck->files, 0);
		else if (cmd_is_file(argv[i])) {
			ck->files.v = xreallocarray(
			    ck->files.v, ck->files.n + 1, sizeof *ck->files.v);
			ck->files.v[ck->files.n++] = xstrdup(argv[i]);
		} else {
			const char *why = cmd_why_not_file(argv[i]);
			if (ck->json)
				sb_addf(&ck->jerr, "%s: cannot open: %s\n",
				    argv[i], why);
			else
				fprintf(stderr, "%s: cannot open: %s\n",
				    argv[i], why);
			ck->nerr++;
		}
	}
	if (npaths == 0) {
		*rc = cmd_usage_error(ce, "name at least one file or folder");
		return -1;
	}
	if (ck->json && ck->coverage) {
		*rc = cmd_usage_error(ce,
		    "--coverage prints Markdown, not json");
		return -1;
	}
	return 0;
}

/* A scenario file: loaded once, then run (its expectations, local
** failures and solution) and, when that holds, checked for answers given
** away (sim/leak.c).  The number of errors, written into errs. */
static int
cmd_check_scenario(const char *path, const char *text, size_t len, sb *errs)
{
	int e = 0;
	sb leaks = SB_INIT;
	scn *s = scn_load_text(path, text, len, errs, &e);
	if (e == 0 && s != NULL) {
		/* The leak check reads the scenario before the run takes
		** it; its findings count only for a scenario that runs. */
		int nleak = leak_check(s, path, text, &leaks);
		e = sim_verify(s, errs);	/* frees s */
		if (e == 0) {
			sb_add(errs, sb_str(&leaks));
			e = nleak;
		}
	} else {
		scn_free(s);
		e = e ? e : 1;
	}
	sb_free(&leaks);
	return e;
}

/* Checks each file alone: a scenario is loaded, run and checked for
** answer leaks; a question file that is valid alone goes into qfiles. */
static void
cmd_check_each(cmd_check *ck, const char **qfiles, size_t *nq)
{
	for (size_t i = 0; i < ck->files.n; i++) {
		const char *path = ck->files.v[i];
		sb errs = SB_INIT;
		sb text = SB_INIT;
		FILE *f = fopen(path, "rb");
		int opened = f != NULL;
		int bad = !opened || sb_addfile(&text, f) != 0;
		if (opened)
			fclose(f);
		if (bad) {
			sb_addf(&errs, "%s: %s\n", path, opened ? "read error" :
			    "cannot open");
			ck->nerr++;
		} else if (cmd_is_question_file(path, sb_str(&text),
		    text.len)) {
			int e = qz_check_file(path, &errs);
			ck->nerr += e;
			if (e == 0)
				qfiles[(*nq)++] = path;
		} else
			ck->nerr += cmd_check_scenario(path, sb_str(&text),
			    text.len, &errs);
		sb_free(&text);
		if (ck->json)
			sb_add(&ck->jerr, sb_str(&errs));
		else
			fputs(sb_str(&errs), stdout);
		sb_free(&errs);
	}
}

/* Loads the question files as one bank (a repeated id is reported with
** both places) and runs the cue rules on it, or prints its coverage.
** Returns 1 when the coverage was printed (nothing more to say). */
static int
cmd_check_bank(cmd_check *ck, const char **qfiles, size_t nq)
{
	qz_bank bank;
	sb errs = SB_INIT;
	int e = qz_bank_load(&bank, qfiles, nq, &errs);
	ck->nerr += e;
	if (e == 0 && ck->coverage && ck->nerr == 0) {
		sb t = SB_INIT;
		qcov_format(&bank, &t);
		fputs(sb_str(&t), stdout);
		sb_free(&t);
		qz_bank_free(&bank);
		sb_free(&errs);
		return 1;
	}
	if (ck->json) {
		sb_add(&ck->jerr, sb_str(&errs));
		sb_reset(&errs);
	}
	if (e == 0 && (ck->cues || ck->stats)) {
		qcue_report r;
		qcue_check(&bank, &r);
		if (ck->cues)
			qcue_format(&r, ck->json ? &ck->jcue : &errs);
		if (ck->stats)
			qcue_format_stats(&r, ck->json ? &ck->jstats : &errs);
		ck->ncue = ck->cues ? r.n : 0;
		ck->nwaived = r.waived;
		qcue_report_free(&r);
	}
	qz_bank_free(&bank);
	fputs(sb_str(&errs), stdout);
	sb_free(&errs);
	return 0;
}

/* The JSON report: one object with the counts and every finding. */
static void
cmd_check_print_json(const cmd_check *ck)
{
	sb o = SB_INIT;
	sb_addf(&o, "{\"ok\":%s,\"files\":%zu,\"errors\":%d,"
	    "\"cues\":%zu,\"waived\":%zu,\"findings\":[",
	    ck->nerr || ck->ncue ? "false" : "true", ck->files.n, ck->nerr,
	    ck->ncue, ck->nwaived);
	sb f = SB_INIT;
	sb_addc(&f, '[');
	cmd_check_json_lines(&f, sb_str(&ck->jerr), 0);
	cmd_check_json_lines(&f, sb_str(&ck->jcue), 1);
	sb_add(&o, sb_str(&f) + 1);
	sb_add(&o, "]");
	if (ck->stats) {
		sb_add(&o, ",\"stats\":");
		sb_addjson(&o, sb_str(&ck->jstats));
	}
	sb_add(&o, "}\n");
	fputs(sb_str(&o), stdout);
	sb_free(&o);
	sb_free(&f);
}

/* The text report's last line: the counts. */
static void
cmd_check_print_text(const cmd_check *ck)
{
	int nerr = ck->nerr;
	size_t ncue = ck->ncue, nwaived = ck->nwaived, n = ck->files.n;
	if (nerr || ncue) {
		if (nerr)
			printf("%d error%s%s", nerr, nerr == 1 ? "" : "s",
			    ncue ? ", " : "\n");
		if (ncue)
			printf("%zu cue finding%s (%zu waived)\n", ncue,
			    ncue == 1 ? "" : "s", nwaived);
		return;
	}
	printf("%zu file%s ok", n, n == 1 ? "" : "s");
	if (nwaived)
		printf(" (%zu cue finding%s waived)", nwaived,
		    nwaived == 1 ? "" : "s");
	printf("\n");
}

static int
cmd_check_exec(int argc, char **argv)
{
	if (argc >= 2 && (strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "--help") == 0)) {
		cmd_help(&cmd_check_entry);
		return 0;
	}
	cmd_check ck = { .cues = 1, .jerr = SB_INIT, .jcue = SB_INIT,
	    .jstats = SB_INIT };
	int rc;
	if (cmd_check_args(&ck, argc, argv, &rc) != 0) {
		cmd_check_free(&ck);
		return rc;
	}
	/* Question ids must be unique across every bank checked together,
	** so the question files that are valid alone are loaded once more
	** as one bank (which reports a repeated id with both places); that
	** bank is the one the cue rules look at. */
	const char **qfiles =
	    xcalloc(ck.files.n ? ck.files.n : 1, sizeof *qfiles);
	size_t nq = 0;
	cmd_check_each(&ck, qfiles, &nq);
	int covered = nq > 0 && cmd_check_bank(&ck, qfiles, nq);
	free(qfiles);
	if (covered)
		rc = 0;
	else if (ck.json)
		cmd_check_print_json(&ck);
	else
		cmd_check_print_text(&ck);
	if (!covered)
		rc = ck.nerr || ck.ncue ? 1 : 0;
	cmd_check_free(&ck);
	return rc;
}

/* ---- list ---- */

static int
cmd_scn_cmp(const void *a, const void *b)
{
	const scn *x = *(scn *const *)a, *y = *(scn *const *)b;
	if (x->order != y->order)
		return x->order < y->order ? -1 : 1;
	return strcmp(x->id, y->id);
}

static int
cmd_list_exec(int argc, char **argv)
{
	const struct cmd_entry *ce = &cmd_list_entry;
	(void)argv;
	if (argc >= 2 && (strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "--help") == 0)) {
		cmd_help(ce);
		return 0;
	}
	if (argc > 1)
		return cmd_usage_error(ce, "list takes no arguments");
	cmd_files files = { NULL, 0 };
	const char *dir = cmd_datadir("scenarios");
	cmd_walk(dir, &files, 31);
	scn **v = xcalloc(files.n ? files.n : 1, sizeof *v);
	size_t n = 0;
	int bad = 0;
	for (size_t i = 0; i < files.n; i++) {
		sb errs = SB_INIT;
		scn *s = scn_load_file(files.v[i], &errs, NULL);
		if (s)
			v[n++] = s;
		else {
			fprintf(stderr,
			    "synclab: list: skipping an invalid file:\n%s",
			    sb_str(&errs));
			bad = 1;
		}
		sb_free(&errs);
		free(files.v[i]);
	}
	free(files.v);
	if (n == 0 && !bad)
		fprintf(stderr, "synclab: list: no scenarios in %s\n", dir);
	qsort(v, n, sizeof *v, cmd_scn_cmp);
	size_t w = 2;
	for (size_t i = 0; i < n; i++)
		if (strlen(v[i]->id) > w)
			w = strlen(v[i]->id);
	for (size_t i = 0; i < n; i++) {
		sb tags = SB_INIT;
		static const char *const doms[] = { "cloud-concepts",
		    "architecture-services", "management-governance" };
		for (size_t k = 0; k < 3; k++)
			for (size_t j = 0; j < v[i]->nobjectives; j++)
				if (v[i]->objectives[j].domain &&
				    strcmp(v[i]->objectives[j].domain,
					doms[k]) == 0) {
					sb_addf(&tags, "%s%s",
					    tags.len ? ", " : "", doms[k]);
					break;
				}
		printf("%-*s  %s  [%s]\n", (int)w, v[i]->id, v[i]->title,
		    sb_str(&tags));
		sb_free(&tags);
		scn_free(v[i]);
	}
	free(v);
	return bad ? 1 : 0;
}
