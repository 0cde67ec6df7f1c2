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
#include "sim/scn.h"
#include "sim/scn_cloud.h"
#include "sim/srv.h"

/* How long a stop waits for requests in flight before closing them. */
#define SERVE_GRACE_MS	10000

static int serve_exec(int, char **);

const struct cmd_entry cmd_serve_entry = {
	"serve",
	"serve [--host ADDR] [--port N] [--scenario FILE | --table NAME:col=type,...]\n"
	"                     [--soft-delete] [--empty] [--db FILE] [--seed N]\n"
	"                     [--hub TIER] [--quiet]",
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
	"Every request needs ZUMO-API-VERSION: 2.0.0 (a header or a query parameter).\n\n"
	"options:\n"
	"  --host ADDR        bind address (default 127.0.0.1).  Anything that is\n"
	"                     not loopback is served with a warning: this server\n"
	"                     has no authentication.\n"
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
	"  --quiet            no per-request log lines\n\n"
	"Each request is logged on stdout as one line:\n"
	"  TIME METHOD TARGET if-match=VALUE STATUS DURATION\n"
	"Request bodies over 1 MiB get 413; methods other than GET, POST, PATCH and\n"
	"DELETE get 405.  Stop with Ctrl-C (or SIGTERM): requests in flight finish,\n"
	"the database is closed, and the exit status is 0.\n\n"
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
** Returns 0 and fills def (owned by the caller), or -1 with a message.
*/
static int
serve_parse_table(const char *spec, tbl_def *def, char *err, size_t errlen)
{
	char *copy = xstrdup(spec), *colon, *item, *save = NULL;

	memset(def, 0, sizeof *def);
	colon = strchr(copy, ':');
	if (colon != NULL)
		*colon = '\0';
	if (!tbl_valid_ident(copy)) {
		snprintf(err, errlen, "--table %s: \"%s\" is not a valid table name "
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
			snprintf(err, errlen, "--table %s: column \"%s\" has no type "
			    "(write col=string, number, bool or date)", spec, item);
			goto fail;
		}
		*eq = '\0';
		if (!tbl_valid_ident(item)) {
			snprintf(err, errlen, "--table %s: \"%s\" is not a valid "
			    "column name (system columns are added by the server)",
			    spec, item);
			goto fail;
		}
		if (tbl_type_parse(eq + 1, &t) != 0) {
			snprintf(err, errlen, "--table %s: unknown type \"%s\" for "
			    "column %s (string, number, bool or boolean, date or datetime)", spec, eq + 1, item);
			goto fail;
		}
		for (size_t i = 0; i < def->ncols; i++) {
			if (strcmp(def->cols[i].name, item) == 0) {
				snprintf(err, errlen, "--table %s: column %s is given "
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
	char err[256];

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
			if (srv_seed(s, table->string, row, now_ms, err, sizeof err) != 0) {
				fprintf(stderr, "synclab: serve: %s: seed row of %s: %s\n",
				    sc->path, table->string, err);
				return -1;
			}
		}
	}
	return 0;
}

static int
serve_exec(int argc, char **argv)
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
		{ "empty", no_argument, NULL, 'E' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *host = "127.0.0.1", *scenario = NULL, *dbfile = NULL;
	unsigned long port = 8080;
	uint64_t seed = 0;
	int have_seed = 0, soft = 0, quiet = 0, empty = 0, opt, rc = 1;
	tbl_def *defs = NULL;
	size_t ndefs = 0;
	scn *sc = NULL;
	srv *s = NULL;
	hub *hb = NULL;
	hub_tier tier = HUB_FREE;
	int have_tier = 0;
	httpd *h = NULL;
	httpd_opts ho;
	sigset_t sigs;
	unsigned long long num;
	char err[512];
	int sig, v6;

	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'H':
			host = optarg;
			break;
		case 'p':
			if (cmd_parse_uint(optarg, 65535, &num) != 0) {
				rc = cmd_usage_error(&cmd_serve_entry,
				    "--port wants a number from 0 to 65535, not \"%s\"", optarg);
				goto out;
			}
			port = (unsigned long)num;
			break;
		case 's':
			scenario = optarg;
			break;
		case 't':
			defs = xreallocarray(defs, ndefs + 1, sizeof *defs);
			if (serve_parse_table(optarg, &defs[ndefs], err, sizeof err) != 0) {
				rc = cmd_usage_error(&cmd_serve_entry, "%s", err);
				goto out;
			}
			for (size_t i = 0; i < ndefs; i++) {
				if (strcmp(defs[i].name, defs[ndefs].name) == 0) {
					rc = cmd_usage_error(&cmd_serve_entry,
					    "table %s is given twice", defs[i].name);
					serve_def_free(&defs[ndefs]);
					goto out;
				}
			}
			ndefs++;
			break;
		case 'D':
			soft = 1;
			break;
		case 'd':
			dbfile = optarg;
			break;
		case 'S':
			if (cmd_parse_uint(optarg, ULLONG_MAX, &num) != 0) {
				rc = cmd_usage_error(&cmd_serve_entry,
				    "--seed wants a non-negative integer, not \"%s\"", optarg);
				goto out;
			}
			seed = num;
			have_seed = 1;
			break;
		case 'q':
			quiet = 1;
			break;
		case 'B':
			if (hub_tier_parse(optarg, &tier) != 0) {
				rc = cmd_usage_error(&cmd_serve_entry,
				    "--hub wants free, basic or standard, not "
				    "\"%s\"", optarg);
				goto out;
			}
			have_tier = 1;
			break;
		case 'E':
			empty = 1;
			break;
		case 'h':
			cmd_help(&cmd_serve_entry);
			rc = 0;
			goto out;
		default:
			rc = cmd_usage_error(&cmd_serve_entry, "unknown or incomplete "
			    "option \"%s\"", argv[optind - 1]);
			goto out;
		}
	}
	if (optind < argc) {
		rc = cmd_usage_error(&cmd_serve_entry, "unexpected argument \"%s\"",
		    argv[optind]);
		goto out;
	}
	if (scenario != NULL && ndefs > 0) {
		rc = cmd_usage_error(&cmd_serve_entry,
		    "give either --scenario or --table, not both");
		goto out;
	}
	/* Neither: the sandbox's table, so that `synclab serve` alone gives a
	** backend the TUI's sandbox and the docs' curl examples can use. */
	if (scenario == NULL && ndefs == 0)
		sc = scn_sandbox(1);

	if (scenario != NULL) {
		char *path = serve_scenario_path(scenario);
		sb errs = SB_INIT;

		if (strcmp(path, scenario) != 0 && access(path, F_OK) != 0) {
			fprintf(stderr, "synclab: serve: no scenario file or shipped "
			    "scenario \"%s\" (synclab list shows them)\n", scenario);
			free(path);
			goto out;
		}
		sc = scn_load_file(path, &errs, NULL);
		free(path);
		if (sc == NULL) {
			fputs(sb_str(&errs), stderr);
			sb_free(&errs);
			goto out;
		}
		sb_free(&errs);
	}

	s = srv_open(dbfile, err, sizeof err);
	if (s == NULL) {
		/* Name the file once, whether or not srv's message does. */
		if (dbfile != NULL && strstr(err, dbfile) == NULL)
			fprintf(stderr, "synclab: serve: %s: %s\n", dbfile, err);
		else
			fprintf(stderr, "synclab: serve: %s\n", err);
		goto out;
	}
	for (size_t i = 0; sc != NULL && i < sc->ntables; i++) {
		tbl_def d = sc->tables[i].def;

		d.soft_delete = d.soft_delete || soft;
		if (srv_define(s, &d, err, sizeof err) != 0) {
			fprintf(stderr, "synclab: serve: table %s: %s\n", d.name, err);
			goto out;
		}
	}
	for (size_t i = 0; i < ndefs; i++) {
		defs[i].soft_delete = soft;
		if (srv_define(s, &defs[i], err, sizeof err) != 0) {
			fprintf(stderr, "synclab: serve: table %s: %s\n",
			    defs[i].name, err);
			goto out;
		}
	}
	if (sc != NULL && !empty && serve_seed(s, sc, srv_now_ms()) != 0)
		goto out;
	/* The push routes' hub, in memory: srv_handle runs under httpd's
	** lock, so the hub is never touched by two requests at once. */
	if (!have_tier && sc != NULL && sc->cloud != NULL && sc->cloud->hub)
		tier = sc->cloud->tier;
	hb = hub_new(tier);
	srv_attach_hub(s, hb);

	/* The signals are blocked before the server threads exist, so they
	** inherit the mask and only sigwait() below ever sees them. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);

	memset(&ho, 0, sizeof ho);
	ho.host = host;
	ho.port = (unsigned)port;
	ho.seed = have_seed ? seed :
	    (uint64_t)srv_now_ms() ^ ((uint64_t)getpid() << 32);
	ho.log = quiet ? NULL : stdout;
	h = httpd_start(s, &ho, err, sizeof err);
	if (h == NULL) {
		fprintf(stderr, "synclab: serve: %s\n", err);
		goto out;
	}
	if (!httpd_is_loopback(h))
		fprintf(stderr, "synclab: serve: WARNING: listening on %s, which "
		    "is not a loopback address: anyone who can reach it can read "
		    "and change every table (there is no authentication)\n",
		    httpd_addr(h));
	v6 = strchr(httpd_addr(h), ':') != NULL;
	printf("listening on http://%s%s%s:%u (tables:", v6 ? "[" : "",
	    httpd_addr(h), v6 ? "]" : "", httpd_port(h));
	for (size_t i = 0; i < srv_ntables(s); i++) {
		const tbl_def *d = srv_table_at(s, i);
		printf(" %s%s", d->name, d->soft_delete ? " (soft delete)" : "");
	}
	printf("; data %s; push: /push/installations, %s hub)\n",
	    dbfile != NULL ? dbfile : "in memory", hub_tier_name(tier));
	fflush(stdout);

	while (sigwait(&sigs, &sig) != 0)
		;
	{
		unsigned long served = 0;
		unsigned left = httpd_stop(h, SERVE_GRACE_MS, &served);

		h = NULL;
		if (left > 0)
			fprintf(stderr, "synclab: serve: %u request(s) still "
			    "unfinished after %d ms were closed\n", left,
			    SERVE_GRACE_MS);
		printf("stopped (%s) after %lu request(s)\n",
		    sig == SIGINT ? "SIGINT" : "SIGTERM", served);
	}
	fflush(stdout);
	rc = 0;
out:
	if (h != NULL)
		httpd_stop(h, 0, NULL);
	if (s != NULL)
		srv_close(s);
	hub_free(hb);
	if (sc != NULL)
		scn_free(sc);
	for (size_t i = 0; i < ndefs; i++)
		serve_def_free(&defs[i]);
	free(defs);
	return rc;
}
