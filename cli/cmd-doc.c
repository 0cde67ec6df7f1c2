/*
** cmd-doc.c: what the shell and man learn from the command table.
**
** The table (cli/main.c) is the one description of the commands: a
** command's options are the "--name" words of its usage line and help
** text, an option takes a value when the help writes one after it
** ("--seed N", "--format text|json"), and a positional argument is
** completed from the usage line's SCENARIO or BANK.  From that the
** program derives "did you mean" for a mistyped command or option, the
** candidates the completion scripts ask for (synclab __complete) and the
** synclab(1) man page (synclab __man).  A command added to the table with
** its help is therefore suggested, completed and documented without
** touching this file; tests/sh/cli_doc.sh checks that every getopt option
** in cli/ is in its command's help.
*/
#include "cli/cmd.h"
#include "lib/sb.h"
#include "lib/xmem.h"

#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- options from the help text ---- */

/* Reads the value word after an option at s (just past the name): an
** upper-case placeholder ("N", "DIR") or a list of choices ("a|b|c"). */
static void
cmd_opt_value(const char *s, cmd_opt *o)
{
	if (*s != ' ' && *s != '=')
		return;
	s++;
	size_t n = 0;
	int bar = 0, upper = isupper((unsigned char)s[0]) != 0;
	while (s[n] && (isalnum((unsigned char)s[n]) || s[n] == '-' ||
	    s[n] == '|' || s[n] == '_')) {
		if (s[n] == '|')
			bar = 1;
		if (islower((unsigned char)s[n]))
			upper = 0;
		n++;
	}
	if (n == 0 || n >= sizeof o->values)
		return;
	if (bar) {
		o->takes_value = 1;
		memcpy(o->values, s, n);
		o->values[n] = '\0';
	} else if (upper)
		o->takes_value = 1;
}

size_t
cmd_options(const struct cmd_entry *e, cmd_opt *out, size_t max)
{
	size_t n = 0;
	const char *texts[2] = { e->usage, e->help };
	for (int t = 0; t < 2; t++) {
		const char *s = texts[t];
		for (const char *p = s; (p = strstr(p, "--")) != NULL; p += 2) {
			if (p > s && !strchr(" [(,\n\t", p[-1]))
				continue;
			const char *q = p + 2;
			if (!islower((unsigned char)*q))
				continue;
			size_t len = 0;
			while (islower((unsigned char)q[len]) ||
			    isdigit((unsigned char)q[len]) || q[len] == '-')
				len++;
			if (len >= sizeof out[0].name)
				continue;
			size_t i;
			for (i = 0; i < n; i++)
				if (strlen(out[i].name) == len &&
				    memcmp(out[i].name, q, len) == 0)
					break;
			if (i == n) {
				if (n == max)
					continue;
				memset(&out[n], 0, sizeof out[n]);
				memcpy(out[n].name, q, len);
				n++;
			}
			/* The first mention with a value decides. */
			if (!out[i].takes_value)
				cmd_opt_value(q + len, &out[i]);
		}
	}
	/* Every command takes --help. */
	int help = 0;
	for (size_t i = 0; i < n; i++)
		help |= strcmp(out[i].name, "help") == 0;
	if (!help && n < max) {
		memset(&out[n], 0, sizeof out[n]);
		strcpy(out[n].name, "help");
		n++;
	}
	return n;
}

/* ---- did you mean ---- */

/* Edit distance with adjacent transpositions ("lsit" is one edit from
** "list"); words longer than 63 bytes are never close. */
static size_t
cmd_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 63 || lb > 63)
		return 99;
	size_t d[64][64];
	for (size_t i = 0; i <= la; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= la; i++)
		for (size_t j = 1; j <= lb; j++) {
			size_t c = a[i - 1] == b[j - 1] ? 0 : 1;
			size_t v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (d[i - 1][j - 1] + c < v)
				v = d[i - 1][j - 1] + c;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	return d[la][lb];
}

const char *
cmd_closest(const char *word, const char *const *cands, size_t n)
{
	/* Close means at most a third of the word wrong (at least one edit,
	** at most three), or the candidate starting with the word. */
	size_t wl = strlen(word), limit = wl / 3;
	if (limit < 1)
		limit = 1;
	if (limit > 3)
		limit = 3;
	const char *best = NULL;
	size_t bd = limit + 1;
	for (size_t i = 0; i < n; i++) {
		size_t dd = cmd_distance(word, cands[i]);
		if (dd < bd) {
			bd = dd;
			best = cands[i];
		}
	}
	if (best == NULL && wl >= 2)
		for (size_t i = 0; i < n; i++)
			if (strncmp(cands[i], word, wl) == 0)
				return cands[i];
	return best;
}

int
cmd_check_options(const struct cmd_entry *e, int argc, char **argv)
{
	cmd_opt o[CMD_MAXOPT];
	size_t n = cmd_options(e, o, CMD_MAXOPT);
	const char *names[CMD_MAXOPT];
	for (size_t i = 0; i < n; i++)
		names[i] = o[i].name;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--") == 0)
			break;
		if (strncmp(a, "--", 2) != 0 || a[2] == '\0')
			continue;
		char w[64];
		size_t len = strcspn(a + 2, "=");
		if (len >= sizeof w)
			continue;
		memcpy(w, a + 2, len);
		w[len] = '\0';
		/* Exact, or a prefix of exactly one (getopt_long's rule). */
		size_t hits = 0, exact = 0, at = 0;
		for (size_t k = 0; k < n; k++) {
			if (strcmp(names[k], w) == 0) {
				exact = 1;
				at = k;
			} else if (strncmp(names[k], w, len) == 0 && !exact) {
				hits++;
				at = k;
			}
		}
		if (exact || hits == 1) {
			if (o[at].takes_value && a[2 + len] != '=')
				i++;	/* its value is the next word */
			continue;
		}
		const char *s = cmd_closest(w, names, n);
		if (s == NULL)
			continue;	/* the command words its own error */
		return cmd_usage_error(e, "unknown option --%s; did you mean --%s?",
		    w, s);
	}
	return 0;
}

/* ---- completion ---- */

static void
cmd_put(const char *cand, const char *cur)
{
	if (strncmp(cand, cur, strlen(cur)) == 0)
		printf("%s\n", cand);
}

/* Prints the *.json names (without .json) of a folder of content. */
static void
cmd_put_ids(const char *sub, const char *cur)
{
	DIR *d = opendir(cmd_datadir(sub));
	if (d == NULL)
		return;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		size_t n = strlen(de->d_name);
		if (n > 5 && n < 128 && strcmp(de->d_name + n - 5, ".json") == 0 &&
		    de->d_name[0] != '.') {
			char id[128];
			memcpy(id, de->d_name, n - 5);
			id[n - 5] = '\0';
			cmd_put(id, cur);
		}
	}
	closedir(d);
}

static void
cmd_put_values(const char *values, const char *cur)
{
	char buf[256];
	size_t n = strlen(values);
	if (n >= sizeof buf)
		return;
	memcpy(buf, values, n + 1);
	for (char *save = NULL, *t = strtok_r(buf, "|", &save); t;
	    t = strtok_r(NULL, "|", &save))
		cmd_put(t, cur);
}

int
cmd_complete(const struct cmd_entry *const *table, int argc, char **argv)
{
	/* argv: __complete N WORD0 WORD1 ...: complete WORD<N>. */
	unsigned long long idx;
	if (argc < 3 || cmd_parse_uint(argv[1], 1000, &idx) != 0 ||
	    idx < 1 || (int)idx > argc - 2 + 1)
		return 2;
	char **w = argv + 2;
	int nw = argc - 2;
	const char *cur = (int)idx < nw ? w[idx] : "";
	if (idx == 1) {
		for (const struct cmd_entry *const *e = table; *e; e++)
			cmd_put((*e)->name, cur);
		cmd_put("help", cur);
		if (cur[0] == '-') {
			cmd_put("--help", cur);
			cmd_put("--version", cur);
		}
		return 0;
	}
	const struct cmd_entry *e = NULL;
	for (const struct cmd_entry *const *t = table; *t; t++)
		if (strcmp((*t)->name, w[1]) == 0)
			e = *t;
	if (strcmp(w[1], "help") == 0) {
		if (idx == 2)
			for (const struct cmd_entry *const *t = table; *t; t++)
				cmd_put((*t)->name, cur);
		return 0;
	}
	if (e == NULL)
		return 0;
	cmd_opt o[CMD_MAXOPT];
	size_t n = cmd_options(e, o, CMD_MAXOPT);
	/* The value of the option before? */
	const char *prev = w[idx - 1];
	if (strncmp(prev, "--", 2) == 0)
		for (size_t i = 0; i < n; i++)
			if (strcmp(prev + 2, o[i].name) == 0 && o[i].takes_value) {
				if (o[i].values[0])
					cmd_put_values(o[i].values, cur);
				else if (strcmp(o[i].name, "domain") == 0)
					cmd_put_values("cloud-concepts|"
					    "architecture-services|"
					    "management-governance", cur);
				/* else: a file or a number; the shell's own
				** completion takes over on no output. */
				return 0;
			}
	if (cur[0] == '-') {
		for (size_t i = 0; i < n; i++)
			if (strncmp(o[i].name, cur + (cur[1] == '-' ? 2 : 1),
			    strlen(cur) - (cur[1] == '-' ? 2 : 1)) == 0)
				printf("--%s\n", o[i].name);
		return 0;
	}
	/* A positional word: the usage line says what it is.  A word made
	** of lower-case choices ("scenario|bank") right after the command
	** name is completed as such. */
	const char *u = e->usage + strlen(e->name);
	while (*u == ' ')
		u++;
	int npos = 0;	/* positional words before this one */
	for (int i = 2; i < (int)idx; i++)
		if (w[i][0] != '-' && (i == 2 || strncmp(w[i - 1], "--", 2) != 0))
			npos++;
	if (npos == 0 && islower((unsigned char)u[0]) && strchr(u, '|') &&
	    strcspn(u, "|") < strcspn(u, " ")) {
		char first[128];
		size_t l = strcspn(u, " ");
		if (l < sizeof first) {
			memcpy(first, u, l);
			first[l] = '\0';
			cmd_put_values(first, cur);
		}
		return 0;
	}
	if (strstr(e->usage, "SCENARIO"))
		cmd_put_ids("scenarios", cur);
	if (strstr(e->usage, "BANK"))
		cmd_put_ids("data/questions", cur);
	return 0;
}

/* ---- the man page ---- */

/* Adds text as roff: backslashes and hyphens escaped, a line starting
** with '.' or '\'' guarded, non-ASCII as \[uXXXX]. */
static void
cmd_roff(sb *out, const char *s)
{
	int bol = 1;
	while (*s) {
		unsigned char c = (unsigned char)*s;
		if (bol && (c == '.' || c == '\''))
			sb_add(out, "\\&");
		bol = 0;
		if (c == '\\')
			sb_add(out, "\\e");
		else if (c == '-')
			sb_add(out, "\\-");
		else if (c == '\n') {
			sb_addc(out, '\n');
			bol = 1;
		} else if (c >= 0x80) {
			unsigned cp = 0;
			int more = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : 1;
			cp = c & (0x3f >> more);
			for (int k = 0; k < more && s[1]; k++)
				cp = (cp << 6) | ((unsigned char)*++s & 0x3f);
			sb_addf(out, "\\[u%04X]", cp);
		} else
			sb_addc(out, (char)c);
		s++;
	}
}

int
cmd_man(const struct cmd_entry *const *table)
{
	sb m = SB_INIT;
	sb_add(&m, ".TH SYNCLAB 1 \"\" \"synclab " SYNCLAB_VERSION
	    "\" \"User Commands\"\n"
	    ".SH NAME\nsynclab \\- learn how mobile offline sync works, and "
	    "study for AZ\\-900\n"
	    ".SH SYNOPSIS\n.B synclab\n.br\n.B synclab\n.I command\n"
	    ".RI [ args ...]\n.br\n.B synclab help\n.I command\n"
	    ".SH DESCRIPTION\n"
	    "Without a command, synclab opens its terminal UI (Home): the sync "
	    "simulator,\nthe scenarios and the quiz.  The commands below run "
	    "the same engines\nheadless, for scripts, tests and course pages.\n"
	    ".SH COMMANDS\n");
	for (const struct cmd_entry *const *e = table; *e; e++) {
		sb_add(&m, ".SS \"");
		cmd_roff(&m, (*e)->name);
		sb_add(&m, "\"\n");
		cmd_roff(&m, (*e)->summary);
		sb_add(&m, ".\n.PP\n.B synclab\n");
		cmd_roff(&m, (*e)->usage);
		sb_add(&m, "\n.PP\n.nf\n");
		cmd_roff(&m, (*e)->help);
		if (m.len && m.s[m.len - 1] != '\n')
			sb_addc(&m, '\n');
		sb_add(&m, ".fi\n");
	}
	sb_add(&m, ".SH OPTIONS\n"
	    ".TP\n.BR \\-h \", \" \\-\\-help\nthe commands and what they do\n"
	    ".TP\n.BR \\-V \", \" \\-\\-version\nprint the version\n"
	    ".SH EXIT STATUS\n0 success, 1 a failed check or an invalid file, "
	    "2 a usage error.\n"
	    ".SH ENVIRONMENT\n.TP\n.B SYNCLAB_DATA\nwhere the shipped "
	    "scenarios and question banks live (default: the installed\n"
	    ".IR share/synclab )\n"
	    ".TP\n.B SYNCLAB_HOME\nthe folder of the progress store "
	    "(progress.db)\n"
	    ".TP\n.B NO_COLOR\nset to anything: no colour on the screens\n"
	    ".SH FILES\n.TP\n.I share/synclab/scenarios/*.json\nthe shipped "
	    "scenarios, see\n.BR synclab\\-scenario (5)\n"
	    ".TP\n.I share/synclab/data/questions/*.json\nthe shipped question "
	    "bank, see\n.BR synclab\\-questions (5)\n"
	    ".TP\n.I ~/.local/share/synclab/progress.db\nyour answers and "
	    "review schedule (SQLite)\n"
	    ".SH SEE ALSO\n.BR synclab\\-scenario (5),\n"
	    ".BR synclab\\-questions (5),\n.BR sqlite3 (1)\n");
	fputs(sb_str(&m), stdout);
	sb_free(&m);
	return 0;
}
