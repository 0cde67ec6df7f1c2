/*
** sim_expect.c: the expectations of a run; see sim.h and
** docs/scenario-format.md.
**
** An expect object (after a step, or a scenario's goal) is a set of checks
** over the trace of the steps since a mark, the backend, the devices'
** stores and the checker's report; after a step each check adds one
** TRC_EXPECT event saying what it wanted and what it found.
*/
#include "sim/sim.h"
#include "sim/sim_int.h"
#include "sim/chk.h"
#include "lib/rng.h"
#include "lib/xmem.h"
#include "quiz/qz.h"
#include "sim/wire.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- expectations ---- */

/* Compares a found value with an expected one; dates compare as times. */
static int
sim_value_eq(const cJSON *want, const cJSON *got)
{
	if (got == NULL)
		return cJSON_IsNull(want);
	if (cJSON_IsString(want) && cJSON_IsString(got)) {
		if (strcmp(want->valuestring, got->valuestring) == 0)
			return 1;
		int64_t a, b;
		return wire_parse_time(want->valuestring, &a, NULL) == 0 &&
		    wire_parse_time(got->valuestring, &b, NULL) == 0 && a == b;
	}
	if (cJSON_IsNumber(want) && cJSON_IsNumber(got))
		return want->valuedouble == got->valuedouble;
	if (cJSON_IsBool(want) && cJSON_IsBool(got))
		return cJSON_IsTrue(want) == cJSON_IsTrue(got);
	return cJSON_IsNull(want) && cJSON_IsNull(got);
}

/* Appends {"k": found, ...} for the keys of want. */
static void
sim_found_fields(const cJSON *want, const cJSON *row, sb *out)
{
	cJSON *o = cJSON_CreateObject();
	const cJSON *m;
	cJSON_ArrayForEach(m, want) {
		const cJSON *g =
		    cJSON_GetObjectItemCaseSensitive(row, m->string);
		cJSON_AddItemToObject(o, m->string,
		    g ? cJSON_Duplicate(g, 1) : cJSON_CreateNull());
	}
	char *j = cJSON_PrintUnformatted(o);
	sb_add(out, j);
	cJSON_free(j);
	cJSON_Delete(o);
}

/* Does row match FIELDS (or absence when want is null)?  A soft-deleted
** server row counts as present only when FIELDS names "deleted". */
static int
sim_row_matches(const cJSON *want, const cJSON *row, sb *found)
{
	if (cJSON_IsNull(want)) {
		if (row == NULL)
			return 1;
		sb_add(found, "a row is there");
		const cJSON *del =
		    cJSON_GetObjectItemCaseSensitive(row, "deleted");
		if (cJSON_IsTrue(del))
			sb_add(found, " (soft-deleted)");
		return 0;
	}
	if (row == NULL) {
		sb_add(found, "no such row");
		return 0;
	}
	int ok = 1;
	const cJSON *m;
	cJSON_ArrayForEach(m, want) {
		const cJSON *g =
		    cJSON_GetObjectItemCaseSensitive(row, m->string);
		if (strcmp(m->string, "deleted") == 0 && g == NULL) {
			/* Device rows carry no "deleted" member: live rows. */
			if (!cJSON_IsFalse(m))
				ok = 0;
			continue;
		}
		if (!sim_value_eq(m, g))
			ok = 0;
	}
	if (!ok)
		sim_found_fields(want, row, found);
	return ok;
}

static long long
sim_count_rows(sqlite3 *db, const char *table, int live_only)
{
	sb sql = SB_INIT;
	sb_add(&sql, "SELECT count(*) FROM ");
	sb_addsqlid(&sql, table);
	if (live_only)
		sb_add(&sql, " WHERE deleted = 0");
	sqlite3_stmt *st = NULL;
	long long n = -1;
	if (sqlite3_prepare_v2(db, sb_str(&sql), -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sb_free(&sql);
	return n;
}

/* The statuses of the responses received in trace events [from, n). */
typedef struct sim_stepstats {
	int	requests;
	int	conflicts;
	int	last_status;
	int	*statuses;
	size_t	nstatuses;
	int	failed;
} sim_stepstats;

static void
sim_stats(const sim *r, size_t from, sim_stepstats *ss)
{
	memset(ss, 0, sizeof *ss);
	for (size_t i = from; i < r->trace.n; i++) {
		const trc_event *e = &r->trace.ev[i];
		if (e->type == TRC_REQUEST)
			ss->requests++;
		else if (e->type == TRC_RESPONSE) {
			ss->statuses = xreallocarray(ss->statuses,
			    ss->nstatuses + 1, sizeof *ss->statuses);
			ss->statuses[ss->nstatuses++] = e->status;
			ss->last_status = e->status;
			if (e->status == 409 || e->status == 412)
				ss->conflicts++;
		} else if (e->type == TRC_STEP && e->method)
			ss->failed = !e->ok;
	}
}

/* Copies the TABLE of a "TABLE/ID" key (checked by the loader) into
** table; returns the ID. */
static const char *
sim_key_split(const char *key, char *table, size_t n)
{
	const char *slash = strchr(key, '/');
	snprintf(table, n, "%.*s", (int)(slash - key), key);
	return slash + 1;
}

/*
** Adds to out how the row expectation m ("TABLE/ID": FIELDS, or null for
** no such row) went against row (NULL when absent; freed here): "TABLE/ID
** is WANT", and " (found WHAT)" when it does not hold.  Returns 1 when it
** holds.
*/
static int
sim_row_expect(const cJSON *m, cJSON *row, sb *out)
{
	sb found = SB_INIT;
	int ok = sim_row_matches(m, row, &found);
	char *w = cJSON_PrintUnformatted(m);
	sb_addf(out, "%s is %s%s%s%s", m->string,
	    cJSON_IsNull(m) ? "absent" : w, ok ? "" : " (found ",
	    ok ? "" : sb_str(&found), ok ? "" : ")");
	cJSON_free(w);
	sb_free(&found);
	cJSON_Delete(row);
	return ok;
}

/*
** One evaluation of an expect object: what its checks read and what they
** report.  record: each check appends a TRC_EXPECT event (else silent,
** for the goal).  all drops to 0 at the first check that does not hold.
*/
typedef struct sim_ex {
	sim		*r;
	sim_stepstats	 ss;
	int		 record;
	int		 all;
	sb		 msg;
	sb		 row;		/* a row expectation's words */
	chk_report	 rep;		/* the checker's, once asked */
	int		 checked;
} sim_ex;

static void
sim_report(sim_ex *x, int ok, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
sim_report(sim_ex *x, int ok, const char *fmt, ...)
{
	va_list ap;
	sb_reset(&x->msg);
	va_start(ap, fmt);
	sb_vaddf(&x->msg, fmt, ap);
	va_end(ap);
	if (!ok)
		x->all = 0;
	if (x->record) {
		trc_event *ev = trc_add(&x->r->trace, TRC_EXPECT, NULL, "%s",
		    sb_str(&x->msg));
		ev->ok = ok ? 1 : 0;
	}
}

static void
sim_ex_status(sim_ex *x, const cJSON *v)
{
	int want = (int)v->valuedouble;
	sim_report(x, x->ss.last_status == want, "status %d (found %d)", want,
	    x->ss.last_status);
}

static void
sim_ex_statuses(sim_ex *x, const cJSON *v)
{
	sb w = SB_INIT, g = SB_INIT;
	int ok = (size_t)cJSON_GetArraySize(v) == x->ss.nstatuses;
	const cJSON *m;
	size_t i = 0;
	cJSON_ArrayForEach(m, v) {
		sb_addf(&w, "%s%d", i ? ", " : "", (int)m->valuedouble);
		if (i < x->ss.nstatuses &&
		    x->ss.statuses[i] != (int)m->valuedouble)
			ok = 0;
		i++;
	}
	for (i = 0; i < x->ss.nstatuses; i++)
		sb_addf(&g, "%s%d", i ? ", " : "", x->ss.statuses[i]);
	sim_report(x, ok, "statuses [%s] (found [%s])", sb_str(&w),
	    sb_str(&g));
	sb_free(&w);
	sb_free(&g);
}

static void
sim_ex_requests(sim_ex *x, const cJSON *v)
{
	int want = (int)v->valuedouble;
	sim_report(x, x->ss.requests == want, "%d request%s (found %d)", want,
	    want == 1 ? "" : "s", x->ss.requests);
}

static void
sim_ex_conflicts(sim_ex *x, const cJSON *v)
{
	int want = (int)v->valuedouble;
	sim_report(x, x->ss.conflicts == want, "%d conflict%s (found %d)",
	    want, want == 1 ? "" : "s", x->ss.conflicts);
}

static void
sim_ex_failed(sim_ex *x, const cJSON *v)
{
	int want = cJSON_IsTrue(v);
	sim_report(x, x->ss.failed == want, "the action %s (it %s)",
	    want ? "fails locally" : "succeeds locally",
	    x->ss.failed ? "failed" : "succeeded");
}

/* {"device": N} for a count each device keeps: "D has N NOUNs WHERE". */
static void
sim_ex_per_device(sim_ex *x, const cJSON *v, size_t (*count)(dev *),
    const char *noun, const char *where)
{
	const cJSON *m;
	cJSON_ArrayForEach(m, v) {
		int i = sim_dev_index(x->r, m->string);
		long long got = i < 0 ? -1 : (long long)count(x->r->devs[i]);
		long long want = (long long)m->valuedouble;
		sim_report(x, got == want, "%s has %lld %s%s%s (found %lld)",
		    m->string, want, noun, want == 1 ? "" : "s", where, got);
	}
}

static void
sim_ex_queue(sim_ex *x, const cJSON *v)
{
	sim_ex_per_device(x, v, dev_queue_len, "pending operation", "");
}

static void
sim_ex_errors(sim_ex *x, const cJSON *v)
{
	sim_ex_per_device(x, v, dev_error_count, "row", " in __errors");
}

static void
sim_ex_server_rows(sim_ex *x, const cJSON *v)
{
	const cJSON *m;
	cJSON_ArrayForEach(m, v) {
		long long got = sim_count_rows(srv_db(x->r->srv), m->string, 1);
		long long want = (long long)m->valuedouble;
		sim_report(x, got == want,
		    "the server has %lld live %s row%s (found %lld)",
		    want, m->string, want == 1 ? "" : "s", got);
	}
}

static void
sim_ex_device_rows(sim_ex *x, const cJSON *v)
{
	const cJSON *dm, *m;
	cJSON_ArrayForEach(dm, v) {
		int i = sim_dev_index(x->r, dm->string);
		cJSON_ArrayForEach(m, dm) {
			long long got = i < 0 ? -1 :
			    sim_count_rows(dev_db(x->r->devs[i]), m->string, 0);
			long long want = (long long)m->valuedouble;
			sim_report(x, got == want,
			    "%s has %lld %s row%s (found %lld)", dm->string,
			    want, m->string, want == 1 ? "" : "s", got);
		}
	}
}

static void
sim_ex_server(sim_ex *x, const cJSON *v)
{
	const cJSON *m;
	cJSON_ArrayForEach(m, v) {
		char table[128];
		const char *id = sim_key_split(m->string, table, sizeof table);
		cJSON *row = srv_get_row(x->r->srv, table, id);
		/* A soft-deleted row is "no such row" unless FIELDS asks
		** about "deleted". */
		if (row != NULL && cJSON_IsTrue(
		    cJSON_GetObjectItemCaseSensitive(row, "deleted")) &&
		    (cJSON_IsNull(m) ||
		    !cJSON_GetObjectItemCaseSensitive(m, "deleted"))) {
			cJSON_Delete(row);
			row = NULL;
		}
		sb_reset(&x->row);
		int ok = sim_row_expect(m, row, &x->row);
		sim_report(x, ok, "server %s", sb_str(&x->row));
	}
}

static void
sim_ex_device(sim_ex *x, const cJSON *v)
{
	const cJSON *dm, *m;
	cJSON_ArrayForEach(dm, v) {
		int i = sim_dev_index(x->r, dm->string);
		cJSON_ArrayForEach(m, dm) {
			char table[128];
			const char *id = sim_key_split(m->string, table,
			    sizeof table);
			cJSON *row = i < 0 ? NULL :
			    dev_get_row(x->r->devs[i], table, id);
			sb_reset(&x->row);
			int ok = sim_row_expect(m, row, &x->row);
			sim_report(x, ok, "%s %s", dm->string, sb_str(&x->row));
		}
	}
}

/* The checker's report, run once for the expectations that read it. */
static const chk_report *
sim_ex_check(sim_ex *x)
{
	if (!x->checked) {
		sim_check(x->r, &x->rep);
		x->checked = 1;
	}
	return &x->rep;
}

static void
sim_ex_converged(sim_ex *x, const cJSON *v)
{
	int want = cJSON_IsTrue(v);
	int got = sim_ex_check(x)->converged;
	sim_report(x, got == want, "the devices %s the server (%s)",
	    want ? "agree with" : "disagree with",
	    got ? "they all agree" : "some disagree");
}

static void
sim_ex_lost(sim_ex *x, const cJSON *v)
{
	long long want = (long long)v->valuedouble;
	size_t lost = sim_ex_check(x)->lost;
	sim_report(x, (long long)lost == want,
	    "%lld unexplained lost write%s (found %zu)", want,
	    want == 1 ? "" : "s", lost);
}

/* The keys of an expect object, in the order their checks report (the
** loader, scn.c, accepts exactly these). */
static const struct {
	const char	*key;
	void		(*fn)(sim_ex *, const cJSON *);
} sim_expects[] = {
	{ "status",	sim_ex_status },
	{ "statuses",	sim_ex_statuses },
	{ "requests",	sim_ex_requests },
	{ "conflicts",	sim_ex_conflicts },
	{ "failed",	sim_ex_failed },
	{ "queue",	sim_ex_queue },
	{ "errors",	sim_ex_errors },
	{ "serverRows",	sim_ex_server_rows },
	{ "deviceRows",	sim_ex_device_rows },
	{ "server",	sim_ex_server },
	{ "device",	sim_ex_device },
	{ "converged",	sim_ex_converged },
	{ "lostWrites",	sim_ex_lost },
};

int
sim_expect(sim *r, const cJSON *ex, size_t from, int record)
{
	sim_ex x = { .r = r, .record = record, .all = 1, .msg = SB_INIT,
	    .row = SB_INIT };
	sim_stats(r, from, &x.ss);
	for (size_t i = 0; i < sizeof sim_expects / sizeof sim_expects[0];
	    i++) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(ex,
		    sim_expects[i].key);
		if (v != NULL)
			sim_expects[i].fn(&x, v);
	}
	if (r->cloud && !cloud_expect(r->cloud, ex, record))
		x.all = 0;
	if (x.checked)
		chk_free(&x.rep);
	sb_free(&x.msg);
	sb_free(&x.row);
	free(x.ss.statuses);
	return x.all;
}

void
sim_goal_check(sim *r, int record)
{
	if (r->s->goal_expect == NULL)
		return;
	size_t from = r->pos > 0 ? r->steps[r->pos - 1].tstart : r->trace.n;
	int was = r->goal;
	r->goal = sim_expect(r, r->s->goal_expect, from, 0);
	if (record && r->goal && !was)
		trc_add(&r->trace, TRC_NOTE, NULL, "goal reached: %s",
		    r->s->goal_text);
}

