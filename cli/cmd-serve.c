/*
** cmd-serve.c: `synclab serve`, the simulated backend over real HTTP.
**
** The tables come from a scenario's backend (with its seed rows) or from
** --table options; the data lives in SQLite (in memory, or in --db FILE
** across restarts).  net/httpd answers the requests with srv_handle, the
** same handler the in-process simulation uses.  SIGINT and SIGTERM stop
** the server cleanly: no new connections, requests in flight finish, the
** database is closed, exit 0.
*/
#include "cli/cmd.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/sb.h"
#include "lib/xmem.h"
#include "net/httpd.h"
#include "sim/hub.h"
#include "sim/auth.h"
#include "sim/scn.h"
#include "sim/scn_cloud.h"
#include "sim/srv.h"

/* How long a stop waits for requests in flight before closing them. */
#define SERVE_GRACE_MS	10000

static int serve_exec(int, char **);

/* The App Service Authentication of --auth: the scenario's "auth"
** section when it has one, else every provider and every table; the
** simulated providers answer under /.idp. */
static auth *
serve_auth(const scn *sc, srv *s, uint64_t seed, const char *per_user,
    sb *err)
{
	auth_cfg c;
	if (sc != NULL && sc->auth != NULL) {
		if (auth_cfg_from_json(&c, sc->auth, seed, err) != 0) {
			auth_cfg_free(&c);
			return NULL;
		}
	} else {
		const char **names = xcalloc(srv_ntables(s) + 1,
		    sizeof *names);
		for (size_t i = 0; i < srv_ntables(s); i++)
			names[i] = srv_table_at(s, i)->name;
		auth_cfg_default(&c, seed);
		auth_cfg_demo(&c, names, srv_ntables(s));
		free(names);
	}
	snprintf(c.idp_base, sizeof c.idp_base, "/.idp");
	for (size_t i = 0; per_user != NULL && i < c.ntables; i++) {
		const tbl_def *d = srv_table(s, c.tables[i].name);
		for (size_t k = 0; d != NULL && k < d->ncols; k++)
			if (strcmp(d->cols[k].name, per_user) == 0 &&
			    d->cols[k].type == TBL_STRING) {
				snprintf(c.tables[i].user_col,
				    sizeof c.tables[i].user_col, "%s", per_user);
				c.tables[i].authenticated = 1;
			}
	}
	auth *a = auth_new(&c);
	if (srv_set_auth(s, a, err) != 0) {
		auth_free(a);
		return NULL;
	}
	return a;
}

static void
serve_auth_line(const auth *a)
{
	const auth_cfg *c = auth_config(a);
	printf("authentication on: providers");
	for (int p = 0; p < AUTH_NPROV; p++)
		if (c->prov[p].on)
			printf(" %s", auth_prov_name(a, (auth_prov)p));
	printf("; sign-in required for");
	int any = 0;
	for (size_t i = 0; i < c->ntables; i++)
		if (c->tables[i].authenticated || c->require_all) {
			printf(" %s%s%s%s", c->tables[i].name,
			    c->tables[i].user_col[0] ? " (per user: " : "",
			    c->tables[i].user_col, c->tables[i].user_col[0] ?
			    ")" : "");
			any = 1;
		}
	printf("%s\n", any ? "" : " no table");
}

const struct cmd_entry cmd_serve_entry = {
	"serve",
	"serve [--host ADDR] [--port N] [--scenario FILE | --table NAME:col=type,...]\n"
	"                     [--soft-delete] [--empty] [--db FILE] [--seed N]\n"
	"                     [--hub TIER] [--quiet] [--auth [--per-user COLUMN]]\n"
	"                     [--allow-anonymous]",
	"serve the simulated backend over HTTP (curl, a real client, conformance)",
	"Serves the simulated Azure Mobile Apps backend over HTTP/1.1, answering\n"
	"exactly as the in-process simulation does (the same request handler):\n"
	"  GET    /tables/NAME            list (OData $filter, $orderby, $top, $skip,\n"
	"                                 $select, $inlinecount, __includeDeleted)\n"
	"  GET    /tables/NAME/ID         read one row\n"
	"  POST   /tables/NAME            insert (201; 409 when the id exists)\n"
	"  PATCH  /tables/NAME/ID         update (If-Match: 412 when stale)\n"
	"  DELETE /tables/NAME/ID         delete (soft delete when enabled)\n"
	"  POST   /tables/NAME/ID         undelete a soft-deleted row\n"
	"  PUT    /push/installations/ID  register a device for push (204): the\n"
	"                                 installation goes to a simulated\n"
	"                                 notification hub, client tags dropped\n"
	"  DELETE /push/installations/ID  unregister (204)\n"
	"Every request needs ZUMO-API-VERSION: 2.0.0 (a header or a query parameter).\n"
	"With --auth, App Service Authentication is in front (docs/identity.md):\n"
	"  POST   /.auth/login/PROVIDER   client-directed sign-in (a provider token)\n"
	"  GET    /.auth/login/PROVIDER   server-directed sign-in (302 to the provider)\n"
	"  GET    /.auth/me, /.auth/refresh, /.auth/logout\n"
	"  GET    /.idp/PROVIDER/token?user=NAME      the simulated provider's token\n"
	"  GET    /.idp/PROVIDER/authorize?...&user=NAME  its sign-in page\n"
	"and tables answer 401 without a valid X-ZUMO-AUTH header.\n\n"
	"options:\n"
	"  --host ADDR        bind address (default 127.0.0.1).  An address that is\n"
	"                     not loopback is refused without --auth (anyone who\n"
	"                     reaches it could read and change every table),\n"
	"                     unless --allow-anonymous says so explicitly.\n"
	"  --port N           TCP port (default 8080); 0 picks a free port.  The\n"
	"                     first line printed is \"listening on http://ADDR:PORT\".\n"
	"  --scenario FILE    the tables and seed rows of a scenario (a file, or the\n"
	"                     id of a shipped scenario)\n"
	"                     Without --scenario and --table: the sandbox's table,\n"
	"                     todoitem (text string, complete bool, soft delete).\n"
	"  --table SPEC       a table, NAME:col=type,... with types string, number,\n"
	"                     bool (or boolean), date (or datetime) (repeatable;\n"
	"                     e.g. todoitem:text=string,complete=boolean)\n"
	"  --empty            a scenario's tables without its seed rows (for\n"
	"                     synclab run SCENARIO --backend URL, which inserts them)\n"
	"  --soft-delete      deletes set deleted=true instead of removing the row\n"
	"                     (for every table; scenario tables also keep their own)\n"
	"  --db FILE          keep the data in this SQLite file (default: in memory)\n"
	"  --seed N           seed of the generated ids (default: from the clock)\n"
	"  --hub TIER         the notification hub's tier: free (default), basic or\n"
	"                     standard (its device quota: 500, 200,000, 10,000,000);\n"
	"                     a scenario's \"push\" tier is the default with\n"
	"                     --scenario.  Installations live in memory only.\n"
	"  --quiet            no per-request log lines\n"
	"  --auth             turn on App Service Authentication: the scenario's\n"
	"                     \"auth\" section, or else every provider configured\n"
	"                     (aad, microsoftaccount, google, facebook, twitter,\n"
	"                     apple, OpenID Connect \"contoso\") and every table\n"
	"                     requiring sign-in; the site key comes from --seed\n"
	"  --per-user COLUMN  with --auth: tables with the string column COLUMN\n"
	"                     keep per-user rows (filled and filtered by caller)\n"
	"  --allow-anonymous  serve a non-loopback address without --auth\n\n"
	"Each request is logged on stdout as one line:\n"
	"  TIME METHOD TARGET if-match=VALUE STATUS DURATION\n"
	"Request bodies over 1 MiB get 413; on /tables, methods other than GET, POST,\n"
	"PATCH and DELETE get 405.  Stop with Ctrl-C (or SIGTERM): requests in\n"
	"flight finish, the database is closed, and the exit status is 0.\n\n"
	"See docs/serve.md for curl examples and `make conformance` for the\n"
	"comparison with the real azure-mobile-apps server.\n",
	serve_exec
};

static void
serve_def_free(tbl_def *d)
{
	tbl_def_free(d);
	memset(d, 0, sizeof *d);
}

/*
** Parses "NAME:col=type,col=type" (the column list may be empty: "NAME").
** Returns 0 and fills def (owned by the caller), or -1 with a message
** replacing the text of err.
*/
static int
serve_parse_table(const char *spec, tbl_def *def, sb *err)
{
	char *copy = xstrdup(spec), *colon, *item, *save = NULL;

	memset(def, 0, sizeof *def);
	colon = strchr(copy, ':');
	if (colon != NULL)
		*colon = '\0';
	if (!tbl_valid_ident(copy)) {
		sb_setf(err, "--table %s: \"%s\" is not a valid table name "
		    "([A-Za-z_][A-Za-z0-9_]*, at most 63 characters, not starting "
		    "with __)", spec, copy);
		goto fail;
	}
	def->name = xstrdup(copy);
	if (colon == NULL) {
		free(copy);
		return 0;
	}
	for (item = strtok_r(colon + 1, ",", &save); item != NULL;
	    item = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(item, '=');
		tbl_type t;

		if (eq == NULL) {
			sb_setf(err, "--table %s: column \"%s\" has no type "
			    "(write col=string, number, bool or date)", spec, item);
			goto fail;
		}
		*eq = '\0';
		if (!tbl_valid_ident(item)) {
			sb_setf(err, "--table %s: \"%s\" is not a valid "
			    "column name (system columns are added by the server)",
			    spec, item);
			goto fail;
		}
		if (tbl_type_parse(eq + 1, &t) != 0) {
			sb_setf(err, "--table %s: unknown type \"%s\" for "
			    "column %s (string, number, bool or boolean, date or datetime)", spec, eq + 1, item);
			goto fail;
		}
		for (size_t i = 0; i < def->ncols; i++) {
			if (strcmp(def->cols[i].name, item) == 0) {
				sb_setf(err, "--table %s: column %s is given "
				    "twice", spec, item);
				goto fail;
			}
		}
		def->cols = xreallocarray(def->cols, def->ncols + 1, sizeof *def->cols);
		def->cols[def->ncols].name = xstrdup(item);
		def->cols[def->ncols].type = t;
		def->ncols++;
	}
	free(copy);
	return 0;
fail:
	free(copy);
	serve_def_free(def);
	return -1;
}

/* A scenario argument: a path, or the id of a shipped scenario. */
static char *
serve_scenario_path(const char *arg)
{
	if (access(arg, F_OK) == 0 || strchr(arg, '/') != NULL ||
	    strstr(arg, ".json") != NULL)
		return xstrdup(arg);
	return xasprintf("%s/%s.json", cmd_datadir("scenarios"), arg);
}

/* Seeds a scenario's rows, skipping ids a persistent --db already has
** (a restart must not fail on, or overwrite, its own earlier data). */
static int
serve_seed(srv *s, const scn *sc, int64_t now_ms)
{
	const cJSON *table, *row;
	sb err = SB_INIT;

	if (sc->rows == NULL)
		return 0;
	cJSON_ArrayForEach(table, sc->rows) {
		cJSON_ArrayForEach(row, table) {
			const cJSON *id = cJSON_GetObjectItemCaseSensitive(row, "id");
			cJSON *have;

			if (cJSON_IsString(id)) {
				have = srv_get_row(s, table->string, id->valuestring);
				if (have != NULL) {
					cJSON_Delete(have);
					continue;
				}
			}
			if (srv_seed(s, table->string, row, now_ms, &err) != 0) {
				fprintf(stderr, "synclab: serve: %s: seed row of %s: %s\n",
				    sc->path, table->string, sb_str(&err));
				sb_free(&err);
				return -1;
			}
		}
	}
	return 0;
}

/* What the command line asks of serve. */
typedef struct serve_args {
	const char	*host;
	const char	*scenario;
	const char	*dbfile;
	const char	*per_user;	/* --per-user COLUMN, or NULL */
	unsigned long	 port;
	uint64_t	 seed;
	int		 have_seed;
	int		 soft;
	int		 quiet;
	int		 empty;
	int		 use_auth;
	int		 anon_ok;
	hub_tier	 tier;
	int		 have_tier;
	tbl_def		*defs;		/* --table, owned */
	size_t		 ndefs;
} serve_args;

/* Adds the --table spec to a->defs.  0, or -1 with the exit status in
** *rc after the usage error. */
static int
serve_args_table(serve_args *a, const char *spec, int *rc)
{
	sb err = SB_INIT;

	a->defs = xreallocarray(a->defs, a->ndefs + 1, sizeof *a->defs);
	if (serve_parse_table(spec, &a->defs[a->ndefs], &err) != 0) {
		*rc = cmd_usage_error(&cmd_serve_entry, "%s", sb_str(&err));
		sb_free(&err);
		return -1;
	}
	sb_free(&err);
	for (size_t i = 0; i < a->ndefs; i++) {
		if (strcmp(a->defs[i].name, a->defs[a->ndefs].name) == 0) {
			*rc = cmd_usage_error(&cmd_serve_entry,
			    "table %s is given twice", a->defs[i].name);
			serve_def_free(&a->defs[a->ndefs]);
			return -1;
		}
	}
	a->ndefs++;
	return 0;
}

/* Reads one option (getopt_long's opt, its optarg) into a.  0 to go on,
** or -1 with the exit status in *rc (after the usage error or the help
** was printed). */
static int
serve_args_opt(serve_args *a, int opt, char **argv, int *rc)
{
	unsigned long long num;

	switch (opt) {
	case 'H':
		a->host = optarg;
		break;
	case 'p':
		if (cmd_parse_uint(optarg, 65535, &num) != 0) {
			*rc = cmd_usage_error(&cmd_serve_entry,
			    "--port wants a number from 0 to 65535, not \"%s\"", optarg);
			return -1;
		}
		a->port = (unsigned long)num;
		break;
	case 's':
		a->scenario = optarg;
		break;
	case 't':
		return serve_args_table(a, optarg, rc);
	case 'D':
		a->soft = 1;
		break;
	case 'd':
		a->dbfile = optarg;
		break;
	case 'S':
		if (cmd_parse_uint(optarg, ULLONG_MAX, &num) != 0) {
			*rc = cmd_usage_error(&cmd_serve_entry,
			    "--seed wants a non-negative integer, not \"%s\"", optarg);
			return -1;
		}
		a->seed = num;
		a->have_seed = 1;
		break;
	case 'q':
		a->quiet = 1;
		break;
	case 'B':
		if (hub_tier_parse(optarg, &a->tier) != 0) {
			*rc = cmd_usage_error(&cmd_serve_entry,
			    "--hub wants free, basic or standard, not "
			    "\"%s\"", optarg);
			return -1;
		}
		a->have_tier = 1;
		break;
	case 'A':
		a->use_auth = 1;
		break;
	case 'U':
		a->per_user = optarg;
		break;
	case 'N':
		a->anon_ok = 1;
		break;
	case 'E':
		a->empty = 1;
		break;
	case 'h':
		cmd_help(&cmd_serve_entry);
		*rc = 0;
		return -1;
	default:
		*rc = cmd_usage_error(&cmd_serve_entry, "unknown or incomplete "
		    "option \"%s\"", argv[optind - 1]);
		return -1;
	}
	return 0;
}

/* Reads the command line into a and checks that its options go
** together.  0 to go on, or -1 with the exit status in *rc (after the
** usage error or the help was printed). */
static int
serve_args_read(int argc, char **argv, serve_args *a, int *rc)
{
	static const struct option longopts[] = {
		{ "host", required_argument, NULL, 'H' },
		{ "port", required_argument, NULL, 'p' },
		{ "scenario", required_argument, NULL, 's' },
		{ "table", required_argument, NULL, 't' },
		{ "soft-delete", no_argument, NULL, 'D' },
		{ "db", required_argument, NULL, 'd' },
		{ "seed", required_argument, NULL, 'S' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "hub", required_argument, NULL, 'B' },
		{ "auth", no_argument, NULL, 'A' },
		{ "per-user", required_argument, NULL, 'U' },
		{ "allow-anonymous", no_argument, NULL, 'N' },
		{ "empty", no_argument, NULL, 'E' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int opt;

	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1)
		if (serve_args_opt(a, opt, argv, rc) != 0)
			return -1;
	if (optind < argc) {
		*rc = cmd_usage_error(&cmd_serve_entry, "unexpected argument \"%s\"",
		    argv[optind]);
		return -1;
	}
	if (a->scenario != NULL && a->ndefs > 0) {
		*rc = cmd_usage_error(&cmd_serve_entry,
		    "give either --scenario or --table, not both");
		return -1;
	}
	if (a->per_user != NULL && !a->use_auth) {
		*rc = cmd_usage_error(&cmd_serve_entry,
		    "--per-user needs --auth: rows belong to signed-in callers");
		return -1;
	}
	if (!a->use_auth && !a->anon_ok &&
	    httpd_host_is_loopback(a->host) == 0) {
		*rc = cmd_usage_error(&cmd_serve_entry, "refusing to serve "
		    "%s without authentication: anyone who reaches it "
		    "could read and change every table; add --auth, or "
		    "--allow-anonymous to serve it anyway", a->host);
		return -1;
	}
	return 0;
}

/* The scenario named by --scenario (a file or a shipped one's id), or
** NULL after printing why not. */
static scn *
serve_load(const char *scenario)
{
	char *path = serve_scenario_path(scenario);
	sb errs = SB_INIT;

	if (strcmp(path, scenario) != 0 && access(path, F_OK) != 0) {
		fprintf(stderr, "synclab: serve: no scenario file or shipped "
		    "scenario \"%s\" (synclab list shows them)\n", scenario);
		free(path);
		return NULL;
	}
	scn *sc = scn_load_file(path, &errs, NULL);
	free(path);
	if (sc == NULL) {
		fputs(sb_str(&errs), stderr);
		sb_free(&errs);
		return NULL;
	}
	sb_free(&errs);
	return sc;
}

/* The backend with every table defined (the scenario's seeded unless
** --empty), or NULL after printing why not. */
static srv *
serve_open(const serve_args *a, const scn *sc)
{
	sb serr = SB_INIT;

	srv *s = srv_open(a->dbfile, &serr);
	if (s == NULL) {
		/* Name the file once, whether or not srv's message does. */
		if (a->dbfile != NULL &&
		    strstr(sb_str(&serr), a->dbfile) == NULL)
			fprintf(stderr, "synclab: serve: %s: %s\n", a->dbfile,
			    sb_str(&serr));
		else
			fprintf(stderr, "synclab: serve: %s\n", sb_str(&serr));
		sb_free(&serr);
		return NULL;
	}
	for (size_t i = 0; sc != NULL && i < sc->ntables; i++) {
		tbl_def d = sc->tables[i].def;

		d.soft_delete = d.soft_delete || a->soft;
		if (srv_define(s, &d, &serr) != 0) {
			fprintf(stderr, "synclab: serve: table %s: %s\n", d.name,
			    sb_str(&serr));
			goto fail;
		}
	}
	for (size_t i = 0; i < a->ndefs; i++) {
		a->defs[i].soft_delete = a->soft;
		if (srv_define(s, &a->defs[i], &serr) != 0) {
			fprintf(stderr, "synclab: serve: table %s: %s\n",
			    a->defs[i].name, sb_str(&serr));
			goto fail;
		}
	}
	if (sc != NULL && !a->empty && serve_seed(s, sc, srv_now_ms()) != 0)
		goto fail;
	sb_free(&serr);
	return s;
fail:
	sb_free(&serr);
	srv_close(s);
	return NULL;
}

/* The first lines serve prints: where it listens, what it serves. */
static void
serve_banner(httpd *h, srv *s, const serve_args *a, const auth *au)
{
	if (!httpd_is_loopback(h) && au == NULL)
		fprintf(stderr, "synclab: serve: WARNING: listening on %s, which "
		    "is not a loopback address: anyone who can reach it can read "
		    "and change every table (there is no authentication)\n",
		    httpd_addr(h));
	int v6 = strchr(httpd_addr(h), ':') != NULL;
	printf("listening on http://%s%s%s:%u (tables:", v6 ? "[" : "",
	    httpd_addr(h), v6 ? "]" : "", httpd_port(h));
	for (size_t i = 0; i < srv_ntables(s); i++) {
		const tbl_def *d = srv_table_at(s, i);
		printf(" %s%s", d->name, d->soft_delete ? " (soft delete)" : "");
	}
	printf("; data %s; push: /push/installations, %s hub)\n",
	    a->dbfile != NULL ? a->dbfile : "in memory",
	    hub_tier_name(a->tier));
	if (au != NULL)
		serve_auth_line(au);
	fflush(stdout);
}

/* Serves s until SIGINT or SIGTERM.  The exit status. */
static int
serve_run(srv *s, const serve_args *a, const auth *au)
{
	httpd_opts ho;
	httpd *h;
	sigset_t sigs;
	sb err = SB_INIT;
	int sig;

	/* The signals are blocked before the server threads exist, so they
	** inherit the mask and only sigwait() below ever sees them. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);

	memset(&ho, 0, sizeof ho);
	ho.host = a->host;
	ho.port = (unsigned)a->port;
	ho.seed = a->seed;
	ho.log = a->quiet ? NULL : stdout;
	h = httpd_start(s, &ho, &err);
	if (h == NULL) {
		fprintf(stderr, "synclab: serve: %s\n", sb_str(&err));
		sb_free(&err);
		return 1;
	}
	sb_free(&err);
	serve_banner(h, s, a, au);

	while (sigwait(&sigs, &sig) != 0)
		;
	unsigned long served = 0;
	unsigned left = httpd_stop(h, SERVE_GRACE_MS, &served);

	if (left > 0)
		fprintf(stderr, "synclab: serve: %u request(s) still "
		    "unfinished after %d ms were closed\n", left,
		    SERVE_GRACE_MS);
	printf("stopped (%s) after %lu request(s)\n",
	    sig == SIGINT ? "SIGINT" : "SIGTERM", served);
	fflush(stdout);
	return 0;
}

static int
serve_exec(int argc, char **argv)
{
	serve_args a = { .host = "127.0.0.1", .port = 8080, .tier = HUB_FREE };
	scn *sc = NULL;
	srv *s = NULL;
	hub *hb = NULL;
	auth *au = NULL;
	sb err = SB_INIT;
	int rc = 1;

	if (serve_args_read(argc, argv, &a, &rc) != 0)
		goto out;
	if (a.scenario != NULL && (sc = serve_load(a.scenario)) == NULL)
		goto out;
	/* Neither: the sandbox's table, so that `synclab serve` alone gives a
	** backend the TUI's sandbox and the docs' curl examples can use. */
	if (a.scenario == NULL && a.ndefs == 0)
		sc = scn_sandbox(1);
	if ((s = serve_open(&a, sc)) == NULL)
		goto out;
	/* The push routes' hub, in memory: srv_handle runs under httpd's
	** lock, so the hub is never touched by two requests at once. */
	if (!a.have_tier && sc != NULL && sc->cloud != NULL && sc->cloud->hub)
		a.tier = sc->cloud->tier;
	hb = hub_new(a.tier);
	srv_attach_hub(s, hb);
	if (!a.have_seed)
		a.seed = (uint64_t)srv_now_ms() ^ ((uint64_t)getpid() << 32);
	if (a.use_auth &&
	    (au = serve_auth(sc, s, a.seed, a.per_user, &err)) == NULL) {
		fprintf(stderr, "synclab: serve: %s\n", sb_str(&err));
		goto out;
	}
	rc = serve_run(s, &a, au);
out:
	if (s != NULL)
		srv_close(s);
	hub_free(hb);
	auth_free(au);
	sb_free(&err);
	if (sc != NULL)
		scn_free(sc);
	for (size_t i = 0; i < a.ndefs; i++)
		serve_def_free(&a.defs[i]);
	free(a.defs);
	return rc;
}
