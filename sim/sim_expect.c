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

int
sim_expect(sim *r, const cJSON *ex, size_t from, int record)
{
	int all = 1;
	sim_stepstats ss;
	sim_stats(r, from, &ss);
	sb msg = SB_INIT;
	const cJSON *v;
#define SIM_REPORT(ok_, ...) do {					\
		sb_reset(&msg);						\
		sb_addf(&msg, __VA_ARGS__);				\
		if (!(ok_))						\
			all = 0;					\
		if (record) {						\
			trc_event *ev_ = trc_add(&r->trace,		\
			    TRC_EXPECT, NULL, "%s", sb_str(&msg));	\
			ev_->ok = (ok_) ? 1 : 0;			\
		}							\
	} while (0)
	if ((v = cJSON_GetObjectItemCaseSensitive(ex, "status"))) {
		int want = (int)v->valuedouble;
		SIM_REPORT(ss.last_status == want, "status %d (found %d)", want,
		    ss.last_status);
	}
	if ((v = cJSON_GetObjectItemCaseSensitive(ex, "statuses"))) {
		sb w = SB_INIT, g = SB_INIT;
		int ok = (size_t)cJSON_GetArraySize(v) == ss.nstatuses;
		const cJSON *m;
		size_t i = 0;
		cJSON_ArrayForEach(m, v) {
			sb_addf(&w, "%s%d", i ? ", " : "", (int)m->valuedouble);
			if (i < ss.nstatuses &&
			    ss.statuses[i] != (int)m->valuedouble)
				ok = 0;
			i++;
		}
		for (i = 0; i < ss.nstatuses; i++)
			sb_addf(&g, "%s%d", i ? ", " : "", ss.statuses[i]);
		SIM_REPORT(
		    ok, "statuses [%s] (found [%s])", sb_str(&w), sb_str(&g));
		sb_free(&w);
		sb_free(&g);
	}
	if ((v = cJSON_GetObjectItemCaseSensitive(ex, "requests"))) {
		int want = (int)v->valuedouble;
		SIM_REPORT(ss.requests == want, "%d request%s (found %d)", want,
		    want == 1 ? "" : "s", ss.requests);
	}
	if ((v = cJSON_GetObjectItemCaseSensitive(ex, "conflicts"))) {
		int want = (int)v->valuedouble;
		SIM_REPORT(ss.conflicts == want, "%d conflict%s (found %d)",
		    want, want == 1 ? "" : "s", ss.conflicts);
	}
	if ((v = cJSON_GetObjectItemCaseSensitive(ex, "failed"))) {
		int want = cJSON_IsTrue(v);
		SIM_REPORT(ss.failed == want, "the action %s (it %s)",
		    want ? "fails locally" : "succeeds locally",
		    ss.failed ? "failed" : "succeeded");
	}
	if ((v = cJSON_GetObjectItemCaseSensitive(ex, "queue"))) {
		const cJSON *m;
		cJSON_ArrayForEach(m, v) {
			int i = sim_dev_index(r, m->string);
			long long got =
			    i < 0 ? -1 : (long long)dev_queue_len(r->devs[i]);
			long long want = (long long)m->valuedouble;
			SIM_REPORT(got == want,
			    "%s has %lld pending operation%s "
			    "(found %lld)",
			    m->string, want, want == 1 ? "" : "s", got);
		}
	}
	if ((v = cJSON_GetObjectItemCaseSensitive(ex, "errors"))) {
		const cJSON *m;
		cJSON_ArrayForEach(m, v) {
			int i = sim_dev_index(r, m->string);
			long long got = i < 0 ? -1 :
			    (long long)dev_error_count(r->devs[i]);
			long long want = (long long)m->valuedouble;
			SIM_REPORT(got == want,
			    "%s has %lld row%s in __errors "
			    "(found %lld)",
			    m->string, want, want == 1 ? "" : "s", got);
		}
	}
	if ((v = cJSON_GetObjectItemCaseSensitive(ex, "serverRows"))) {
		const cJSON *m;
		cJSON_ArrayForEach(m, v) {
			long long got =
			    sim_count_rows(srv_db(r->srv), m->string, 1);
			long long want = (long long)m->valuedouble;
			SIM_REPORT(got == want,
			    "the server has %lld live %s row%s "
			    "(found %lld)",
			    want, m->string, want == 1 ? "" : "s", got);
		}
	}
	if ((v = cJSON_GetObjectItemCaseSensitive(ex, "deviceRows"))) {
		const cJSON *dm;
		cJSON_ArrayForEach(dm, v) {
			int i = sim_dev_index(r, dm->string);
			const cJSON *m;
			cJSON_ArrayForEach(m, dm) {
				long long got = i < 0
				    ? -1
				    : sim_count_rows(
					  dev_db(r->devs[i]), m->string, 0);
				long long want = (long long)m->valuedouble;
				SIM_REPORT(got == want,
				    "%s has %lld %s row%s (found %lld)",
				    dm->string, want, m->string,
				    want == 1 ? "" : "s", got);
			}
		}
	}
	sb rowmsg = SB_INIT;
	if ((v = cJSON_GetObjectItemCaseSensitive(ex, "server"))) {
		const cJSON *m;
		cJSON_ArrayForEach(m, v) {
			char table[128];
			const char *id = sim_key_split(m->string, table,
			    sizeof table);
			cJSON *row = srv_get_row(r->srv, table, id);
			/* A soft-deleted row is "no such row" unless
			** FIELDS asks about "deleted". */
			if (row &&
			    cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(
				row, "deleted")) &&
			    (cJSON_IsNull(m) ||
				!cJSON_GetObjectItemCaseSensitive(
				    m, "deleted"))) {
				cJSON_Delete(row);
				row = NULL;
			}
			sb_reset(&rowmsg);
			int ok = sim_row_expect(m, row, &rowmsg);
			SIM_REPORT(ok, "server %s", sb_str(&rowmsg));
		}
	}
	if ((v = cJSON_GetObjectItemCaseSensitive(ex, "device"))) {
		const cJSON *dm;
		cJSON_ArrayForEach(dm, v) {
			int i = sim_dev_index(r, dm->string);
			const cJSON *m;
			cJSON_ArrayForEach(m, dm) {
				char table[128];
				const char *id = sim_key_split(m->string, table,
				    sizeof table);
				cJSON *row = i < 0 ? NULL :
				    dev_get_row(r->devs[i], table, id);
				sb_reset(&rowmsg);
				int ok = sim_row_expect(m, row, &rowmsg);
				SIM_REPORT(ok, "%s %s", dm->string,
				    sb_str(&rowmsg));
			}
		}
	}
	sb_free(&rowmsg);
	const cJSON *conv = cJSON_GetObjectItemCaseSensitive(ex, "converged");
	const cJSON *lost = cJSON_GetObjectItemCaseSensitive(ex, "lostWrites");
	if (conv || lost) {
		chk_report rep;
		sim_check(r, &rep);
		if (conv) {
			int want = cJSON_IsTrue(conv);
			SIM_REPORT(rep.converged == want,
			    "the devices %s the server "
			    "(%s)",
			    want ? "agree with" : "disagree with",
			    rep.converged ? "they all agree" : "some disagree");
		}
		if (lost) {
			long long want = (long long)lost->valuedouble;
			SIM_REPORT((long long)rep.lost == want,
			    "%lld unexplained lost "
			    "write%s (found %zu)",
			    want, want == 1 ? "" : "s", rep.lost);
		}
		chk_free(&rep);
	}
#undef SIM_REPORT
	sb_free(&msg);
	free(ss.statuses);
	return all;
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

