/*
** bench_sim.c: the simulation engine's measured workloads (make bench).
**
**   W1  50 devices over a 5,000-row table: each pulls everything, goes
**       offline, makes 50 updates, 5 inserts and 3 deletes, comes back;
**       then every device syncs twice.  Wall time, peak memory, and the
**       ratio to a floor measured in the same run: a plain loop doing the
**       same number of SQLite row writes with prepared statements, in
**       transactions of the same size as a pulled page.
**   W2  an incremental pull of 100 changed rows from a 1,000,000-row table
**       against the same pull from a 10,000-row table (target <= 1.3).
**   W3  one step back at step 10,000 of a long run (target < 20 ms).
**
** argv[1] is the synclab binary (unused: the engine is linked in, so the
** figures leave process start-up and printing out); argv[2], when given,
** names the workloads to run ("W1", "W2W3"), for profiling one of them.
** The working directory is the source tree.
*/
#include "lib/sb.h"
#include "lib/xmem.h"
#include "sim/chk.h"
#include "lib/rng.h"
#include "sim/scn.h"
#include "sim/sim.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static double
now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static long
peak_kib(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

/* Loads a scenario from its text; a workload that does not load ends
** the program. */
static scn *
load_json(const char *name, const char *json)
{
	sb err = SB_INIT;
	scn *s = scn_load_text(name, json, strlen(json), &err, NULL);
	if (s == NULL) {
		fprintf(stderr, "%s", sb_str(&err));
		exit(1);
	}
	sb_free(&err);
	return s;
}

static sim *
open_json(const char *json, size_t k)
{
	sb err = SB_INIT;
	scn *s = load_json("bench.json", json);
	sim_opts o;
	memset(&o, 0, sizeof o);
	o.snapshot_every = k;
	sim *r = sim_open(s, &o, &err);
	if (r == NULL) {
		fprintf(stderr, "%s\n", sb_str(&err));
		exit(1);
	}
	sb_free(&err);
	return r;
}

#define TABLE_HEAD \
	"{\"id\":\"bench\",\"title\":\"B\",\"summary\":\"S\",\"objectives\":[" \
	"]," \
	"\"tables\":[{\"name\":\"todoitem\",\"columns\":{\"text\":\"string\"," \
	"\"complete\":\"bool\"},\"softDelete\":true,\"policy\":\"client-" \
	"wins\"}],"

/* Row writes done by every connection of the run. */
static long long
total_changes(sim *r)
{
	long long n = sqlite3_total_changes64(srv_db(sim_srv(r)));
	for (size_t i = 0; i < sim_ndevices(r); i++)
		n += sqlite3_total_changes64(dev_db(sim_dev(r, i)));
	return n;
}

/*
** The floor: n row writes (upserts of a row shaped like the synced rows,
** ids cycling over 5,000 keys) with one prepared statement, committed
** every 50 rows, into an in-memory database.
*/
static double
floor_ms(long long n)
{
	sqlite3 *db;
	sqlite3_open(":memory:", &db);
	sqlite3_exec(db, "CREATE TABLE t (id TEXT PRIMARY KEY, createdAt TEXT, "
	    "updatedAt TEXT, version TEXT, deleted INTEGER, text TEXT, "
	    "complete INTEGER)", NULL, NULL, NULL);
	sqlite3_stmt *st;
	sqlite3_prepare_v2(db,
	    "INSERT OR REPLACE INTO t VALUES (?, ?, ?, ?, 0, "
	    "?, ?)",
	    -1, &st, NULL);
	double t0 = now_ms();
	char id[40], txt[40];
	for (long long i = 0; i < n; i++) {
		if (i % 50 == 0)
			sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
		snprintf(id, sizeof id, "row-%05lld", i % 5000);
		snprintf(txt, sizeof txt, "item %lld", i);
		sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(
		    st, 2, "2026-03-02T09:00:00.000Z", -1, SQLITE_STATIC);
		sqlite3_bind_text(
		    st, 3, "2026-03-02T09:00:01.000Z", -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, "MQ==", -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, txt, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int(st, 6, (int)(i & 1));
		sqlite3_step(st);
		sqlite3_reset(st);
		if (i % 50 == 49 || i == n - 1)
			sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	}
	double t = now_ms() - t0;
	sqlite3_finalize(st);
	sqlite3_close(db);
	return t;
}

/* Appends one step, parsed against s, to s->steps. */
static void
add_step(scn *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
add_step(scn *s, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	sb err = SB_INIT;
	s->steps = xreallocarray(s->steps, s->nsteps + 1, sizeof *s->steps);
	if (scn_step_parse(s, buf, &s->steps[s->nsteps], &err) != 0) {
		fprintf(stderr, "%s\n%s", buf, sb_str(&err));
		exit(1);
	}
	s->nsteps++;
	sb_free(&err);
}

/*
** W1 needs 50 devices, more than a scenario file may declare (16), so the
** devices and the steps are added to a loaded scenario in C.
*/
static void
w1(void)
{
	enum { NDEV = 50, NROWS = 5000, NUPD = 50, NINS = 5, NDEL = 3 };
	sb b = SB_INIT;
	rng g;
	rng_seed(&g, 1);
	sb_add(&b, TABLE_HEAD "\"devices\":[{\"name\":\"D00\"}],"
	    "\"rows\":{\"todoitem\":[");
	for (int i = 0; i < NROWS; i++)
		sb_addf(&b, "%s{\"id\":\"r%05d\",\"text\":\"item %d\","
		    "\"complete\":false}", i ? "," : "", i, i);
	sb_add(&b, "]},\"steps\":[]}");
	char *json = sb_take(&b);
	long before = peak_kib();
	double t0 = now_ms();
	sb err = SB_INIT;
	scn *s = load_json("w1.json", json);
	free(s->devices[0].name);
	free(s->devices[0].user);
	free(s->devices[0].platform);
	free(s->devices);
	s->devices = xcalloc(NDEV, sizeof *s->devices);
	s->ndevices = NDEV;
	for (int d = 0; d < NDEV; d++) {
		s->devices[d].name = xasprintf("D%02d", d);
		s->devices[d].user = xstrdup(s->devices[d].name);
		s->devices[d].platform = xstrdup("android");
		s->devices[d].online = 1;
		s->devices[d].latency_ms = 10 + d % 40;
	}
	for (int d = 0; d < NDEV; d++) {
		add_step(s, "{\"do\":\"pull\",\"device\":\"D%02d\"}", d);
		add_step(s, "{\"do\":\"offline\",\"device\":\"D%02d\"}", d);
		for (int k = 0; k < NUPD; k++)
			add_step(s,
			    "{\"do\":\"update\",\"device\":\"D%02d\",\"table\":"
			    "\"todoitem\",\"id\":\"r%05d\",\"set\":{\"text\":"
			    "\"edit %d.%d\"}}",
			    d, (int)rng_below(&g, NROWS / 2), d, k);
		for (int k = 0; k < NINS; k++)
			add_step(s,
			    "{\"do\":\"insert\",\"device\":\"D%02d\",\"table\":"
			    "\"todoitem\",\"row\":{\"id\":\"n%02d-%d\","
			    "\"text\":"
			    "\"new\",\"complete\":false}}",
			    d, d, k);
		/* Deletes come from the upper half, which nobody updates, each
		** device its own rows, so that no update races a delete (that
		** case is a test of its own, not of speed). */
		for (int k = 0; k < NDEL; k++)
			add_step(s, "{\"do\":\"delete\",\"device\":\"D%02d\","
			    "\"table\":\"todoitem\",\"id\":\"r%05d\"}", d,
			    NROWS / 2 + d * NDEL + k);
		add_step(s, "{\"do\":\"online\",\"device\":\"D%02d\"}", d);
	}
	for (int round = 0; round < 2; round++)
		for (int d = 0; d < NDEV; d++)
			add_step(
			    s, "{\"do\":\"sync\",\"device\":\"D%02d\"}", d);
	sim_opts o;
	memset(&o, 0, sizeof o);
	o.snapshot_every = 1000000;
	sim *r = sim_open(s, &o, &err);
	if (r == NULL || sim_run(r, &err) != SIM_END) {
		fprintf(stderr, "W1: %s\n", sb_str(&err));
		exit(1);
	}
	double t = now_ms() - t0;
	long peak = peak_kib();
	long long writes = total_changes(r);
	chk_report rep;
	sim_check(r, &rep);
	size_t requests = 0, pages = 0;
	long received = 0, applied = 0;
	const trc *tr = sim_trace(r);
	for (size_t i = 0; i < tr->n; i++) {
		const trc_event *e = &tr->ev[i];
		int pg, n, a;
		if (e->type == TRC_REQUEST)
			requests++;
		/* "Page 3: 50 row(s), 50 applied, ...": what the pulls moved. */
		if (e->type == TRC_PULL && e->text != NULL &&
		    sscanf(e->text, "Page %d: %d row(s), %d applied", &pg, &n,
		    &a) == 3) {
			pages++;
			received += n;
			applied += a;
		}
	}
	double fl = floor_ms(writes);
	printf("W1  50 devices x 5,000 rows, 2,900 offline edits, 2 sync "
	       "rounds:\n"
	       "    %.0f ms wall, %zu requests, %lld row writes, %zu trace "
	       "events, "
	       "%s\n    pulls: %zu pages of rows, %ld rows received, %ld applied"
	       "\n    peak memory %.1f MiB (before the run %.1f MiB)\n"
	       "    floor (%lld prepared upserts, 50 per transaction): %.0f "
	       "ms; "
	       "ratio %.2f (target <= 2)\n",
	    t, requests, writes, tr->n,
	    rep.converged && rep.lost == 0 ? "converged, no lost write"
					   : "NOT converged",
	    pages, received, applied, (double)peak / 1024, (double)before / 1024, writes, fl, t / fl);
	chk_free(&rep);
	sim_close(r);
	sb_free(&err);
	free(json);
}

/*
** W2: a backend with n rows (bulk-loaded with SQL, stamped at the start
** time), a device whose delta token is already past them, 100 rows
** changed through the API, and the time of that device's pull.
*/
static double
w2_pull(long n, int *received)
{
	const char *json = TABLE_HEAD "\"devices\":[{\"name\":\"W\"},"
	    "{\"name\":\"R\"}],\"steps\":[]}";
	sim *r = open_json(json, 1000000);
	sqlite3 *db = srv_db(sim_srv(r));
	sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db,
		"INSERT INTO \"todoitem\" (id, createdAt, "
		"updatedAt, version, deleted, text, complete) VALUES (?, "
		"'2026-03-02T09:00:00.000Z', '2026-03-02T09:00:00.000Z', 1, 0, "
		"?, 0)",
		-1, &st, NULL) != SQLITE_OK) {
		fprintf(stderr, "W2: %s\n", sqlite3_errmsg(db));
		exit(1);
	}
	char id[32];
	for (long i = 0; i < n; i++) {
		snprintf(id, sizeof id, "r%07ld", i);
		sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 2, id, -1, SQLITE_TRANSIENT);
		sqlite3_step(st);
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	/* R has seen everything up to the start time. */
	sqlite3_exec(dev_db(sim_dev(r, 1)), "INSERT OR REPLACE INTO __config "
	    "VALUES ('deltaToken|todoitem|todoitem', "
	    "'2026-03-02T09:00:00.0010000+00:00')", NULL, NULL, NULL);
	/* W changes 100 rows spread over the table, after a wait. */
	sb err = SB_INIT;
	scn_step s;
	memset(&s, 0, sizeof s);
	s.act = SCN_WAIT;
	s.ms = 60000;
	sim_act(r, &s, &err);
	for (int k = 0; k < 100; k++) {
		char sid[32];
		snprintf(sid, sizeof sid, "r%07ld", (long)k * (n / 100));
		char *row = xasprintf("{\"id\":\"%s\",\"text\":\"changed\","
		    "\"complete\":true}", sid);
		memset(&s, 0, sizeof s);
		s.act = SCN_INSERT;
		s.device = "W";
		s.table = "todoitem";
		s.row = cJSON_Parse(row);
		/* W inserts a row with an existing id: client-wins turns the
		** 409 into an update, a real change on the server. */
		sim_act(r, &s, &err);
		cJSON_Delete(s.row);
		free(row);
	}
	memset(&s, 0, sizeof s);
	s.act = SCN_PUSH;
	s.device = "W";
	sim_act(r, &s, &err);
	dev_pull_result pr;
	double t0 = now_ms();
	dev_pull(sim_dev(r, 1), "todoitem", &pr, &err);
	double t = now_ms() - t0;
	*received = pr.received;
	sim_close(r);
	sb_free(&err);
	return t;
}

static void
w2(void)
{
	int rs, rl;
	/* Best of three: the pull is short, so one sample is noisy. */
	double small = 1e9, large = 1e9;
	for (int i = 0; i < 3; i++) {
		double x = w2_pull(10000, &rs);
		if (x < small)
			small = x;
	}
	for (int i = 0; i < 3; i++) {
		double x = w2_pull(1000000, &rl);
		if (x < large)
			large = x;
	}
	printf("W2  incremental pull of 100 changed rows: %.2f ms from 10,000 "
	       "rows (%d received), %.2f ms from 1,000,000 rows (%d received); "
	       "ratio %.2f (target <= 1.3)\n",
	    small, rs, large, rl, large / small);
}

static void
w3(void)
{
	enum { NSTEPS = 10050 };
	sb b = SB_INIT;
	sb_add(&b, TABLE_HEAD "\"devices\":[{\"name\":\"A\"},{\"name\":\"B\"},"
	    "{\"name\":\"C\"}],\"rows\":{\"todoitem\":[");
	for (int i = 0; i < 200; i++)
		sb_addf(&b,
		    "%s{\"id\":\"r%03d\",\"text\":\"x\",\"complete\":false}",
		    i ? "," : "", i);
	sb_add(&b, "]},\"steps\":[");
	rng g;
	rng_seed(&g, 3);
	for (int i = 0; i < NSTEPS; i++) {
		const char *dv = i % 3 == 0 ? "A" : i % 3 == 1 ? "B" : "C";
		if (i)
			sb_addc(&b, ',');
		switch (i % 6) {
		case 0:
		case 1:
		case 2:
			sb_addf(&b,
			    "{\"do\":\"update\",\"device\":\"%s\",\"table\":"
			    "\"todoitem\",\"id\":\"r%03d\",\"set\":{\"text\":"
			    "\"v%d\"}}",
			    dv, (int)rng_below(&g, 200), i);
			break;
		case 3:
			sb_addf(&b, "{\"do\":\"sync\",\"device\":\"%s\"}", dv);
			break;
		case 4:
			sb_addf(&b, "{\"do\":\"wait\",\"ms\":250}");
			break;
		default:
			sb_addf(&b, "{\"do\":\"push\",\"device\":\"%s\"}", dv);
			break;
		}
	}
	sb_add(&b, "]}");
	char *json = sb_take(&b);
	sim *r = open_json(json, 0);
	sb err = SB_INIT;
	double t0 = now_ms();
	if (sim_goto(r, 10000, &err) != 0) {
		fprintf(stderr, "W3: %s\n", sb_str(&err));
		exit(1);
	}
	double run = now_ms() - t0;
	/* Worst and median of several one-step-back moves near step 10,000:
	** the cost depends on the distance to the snapshot before it. */
	double worst = 0, samples[32];
	int ns = 0;
	for (size_t at = 10000; at > 10000 - 32; at--) {
		if (sim_goto(r, at, &err) != 0)
			exit(1);
		double t1 = now_ms();
		sim_goto(r, at - 1, &err);
		double dt = now_ms() - t1;
		samples[ns++] = dt;
		if (dt > worst)
			worst = dt;
	}
	for (int i = 1; i < ns; i++)
		for (int j = i; j > 0 && samples[j] < samples[j - 1]; j--) {
			double x = samples[j];
			samples[j] = samples[j - 1];
			samples[j - 1] = x;
		}
	printf("W3  one step back at step 10,000 (%zu trace events, run to "
	       "there "
	       "in %.0f ms): median %.2f ms, worst %.2f ms over 32 positions "
	       "(target < 20 ms)\n",
	    sim_trace(r)->n, run, samples[ns / 2], worst);
	sim_close(r);
	sb_free(&err);
	free(json);
}

int
main(int argc, char **argv)
{
	const char *only = argc > 2 ? argv[2] : NULL;
	if (only == NULL || strstr(only, "W1") != NULL)
		w1();
	if (only == NULL || strstr(only, "W3") != NULL)
		w3();
	if (only == NULL || strstr(only, "W2") != NULL)
		w2();
	return 0;
}
