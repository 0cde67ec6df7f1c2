/*
** dev_world.h: the small world of the device tests (test_dev.c,
** test_dev_pol.c): one backend, devices talking to it, a virtual clock,
** knobs to lose requests and responses, and helpers to act and assert.
*/
#ifndef dev_world_h
#define dev_world_h

#include "tests/testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/sb.h"
#include "lib/xmem.h"
#include "sim/dev.h"
#include "sim/srv.h"
#include "sim/wire.h"

/*
** A small world: one real backend (srv), devices talking to it through
** w_send, a virtual clock that moves 10 ms per request, and knobs to lose
** requests or responses.  Every request is logged as "METHOD path?query
** -> status" so that tests can assert exactly what went over the wire.
*/
typedef struct world world;
struct world {
	srv		*s;
	int64_t		 now;
	uint64_t	 ent;
	trc		 tr;
	int		 drop_req;	/* the next N requests are lost */
	int		 drop_resp;	/* the next N responses are lost */
	int		 force401;	/* the next N requests get 401 */
	int		 fake_status;	/* the next response is this... */
	const char	*fake_body;	/* ...with this body, unchecked */
	sb		 log;
	int		 nreq;
	/* Called before each request reaches the server. */
	void		(*hook)(world *, dev *, const http_req *);
	void		*hook_ud;
	int		 hook_calls;
};

static const int64_t T0 = 1772442000000LL;	/* 2026-03-02T09:00:00Z */

static inline int
w_send(void *ud, dev *d, const http_req *req, http_resp *resp)
{
	world *w = ud;
	w->now += 10;
	w->nreq++;
	/* Every request carries its SDK's API version header. */
	assert_non_null(http_req_header(req, "ZUMO-API-VERSION"));
	assert_string_equal(http_req_header(req, "ZUMO-API-VERSION"),
	    dev_cfg(d)->client == PROF_DATASYNC ? "3.0.0" : "2.0.0");
	if (req->body != NULL)
		assert_string_equal(http_req_header(req, "Content-Type"),
		    "application/json");
	if (w->hook != NULL) {
		w->hook_calls++;
		w->hook(w, d, req);
	}
	sb_addf(&w->log, "%s %s%s%s", req->method, req->path,
	    req->query ? "?" : "", req->query ? req->query : "");
	if (w->drop_req > 0) {
		w->drop_req--;
		sb_add(&w->log, " -> lost\n");
		return -1;
	}
	http_resp r;
	http_resp_init(&r, 0);
	if (w->force401 > 0) {
		w->force401--;
		http_resp_free(&r);
		http_resp_init(&r, 401);
	} else if (w->fake_status != 0) {
		http_resp_free(&r);
		http_resp_init(&r, w->fake_status);
		http_resp_set_body(&r, w->fake_body);
		w->fake_status = 0;
	} else
		srv_handle(w->s, req, w->now, ++w->ent, &r);
	if (w->drop_resp > 0) {
		w->drop_resp--;
		sb_addf(&w->log, " -> %d lost\n", r.status);
		http_resp_free(&r);
		return -1;
	}
	sb_addf(&w->log, " -> %d\n", r.status);
	http_resp_free(resp);
	*resp = r;
	return 0;
}

static inline int64_t
w_now(void *ud)
{
	return ((world *)ud)->now;
}

static inline uint64_t
w_rand(void *ud)
{
	world *w = ud;
	return ++w->ent * 0x9e3779b97f4a7c15ULL;
}

static tbl_col todo_cols[] = {
	{ "title", TBL_STRING }, { "qty", TBL_NUMBER }, { "done", TBL_BOOL },
	{ "editedAt", TBL_DATE },
};
static tbl_def todo_def = { "todo", todo_cols, 4, 1 };
static tbl_def hard_def = { "hard", todo_cols, 4, 0 };

static inline world *
w_open(void)
{
	sb err = SB_INIT;
	world *w = xcalloc(1, sizeof *w);
	w->now = T0;
	trc_init(&w->tr);
	w->s = srv_open(NULL, &err);
	assert_non_null(w->s);
	assert_int_equal(srv_define(w->s, &todo_def, &err), 0);
	assert_int_equal(srv_define(w->s, &hard_def, &err), 0);
	sb_free(&err);
	return w;
}

static inline void
w_close(world *w)
{
	srv_close(w->s);
	trc_free(&w->tr);
	sb_free(&w->log);
	free(w);
}

/* A device on client SDK k with both tables; policy applies to "todo". */
static inline dev *
w_dev_sdk(world *w, const char *name, const pol_table *policy,
    int64_t offset, prof_kind k)
{
	sb err = SB_INIT;
	dev_config cfg = { name, name, "android", offset, k };
	dev_env env = { w_send, w_now, w_rand, w, &w->tr };
	dev *d = dev_open(&cfg, &env, NULL, &err);
	assert_non_null(d);
	assert_int_equal(dev_define(d, &todo_def, policy, &err), 0);
	assert_int_equal(dev_define(d, &hard_def, NULL, &err), 0);
	sb_free(&err);
	return d;
}

/* The same on the legacy .NET client. */
static inline dev *
w_dev(world *w, const char *name, const pol_table *policy, int64_t offset)
{
	return w_dev_sdk(w, name, policy, offset, PROF_NET_LEGACY);
}

static inline cJSON *
J(const char *text)
{
	cJSON *v = cJSON_Parse(text);
	assert_non_null(v);
	return v;
}

static inline void
seed(world *w, const char *table, const char *row)
{
	sb err = SB_INIT;
	cJSON *r = J(row);
	w->now += 1;
	assert_int_equal(srv_seed(w->s, table, r, w->now, &err), 0);
	cJSON_Delete(r);
	sb_free(&err);
}

/* The shorthands pass no err: the device then keeps its messages for the
** trace alone, which the tests read. */
static inline int
ins(dev *d, const char *table, const char *row)
{
	cJSON *r = J(row);
	int rc = dev_insert(d, table, r, NULL);
	cJSON_Delete(r);
	return rc;
}

static inline int
upd(dev *d, const char *table, const char *id, const char *set)
{
	cJSON *r = J(set);
	int rc = dev_update(d, table, id, r, NULL);
	cJSON_Delete(r);
	return rc;
}

static inline int
del(dev *d, const char *table, const char *id)
{
	return dev_delete(d, table, id, NULL);
}

static inline dev_status
push(dev *d, dev_push_result *res)
{
	return dev_push(d, res, NULL);
}

static inline dev_status
pull(dev *d, const char *table, dev_pull_result *res)
{
	return dev_pull(d, table, res, NULL);
}

/* One integer from the device's store. */
static inline long long
q_int(dev *d, const char *sql, const char *arg)
{
	sqlite3_stmt *st;
	long long v = -1;
	assert_int_equal(sqlite3_prepare_v2(dev_db(d), sql, -1, &st, NULL),
	    SQLITE_OK);
	if (arg != NULL)
		sqlite3_bind_text(st, 1, arg, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static inline char *
q_text(dev *d, const char *sql, const char *arg)
{
	sqlite3_stmt *st;
	char *v = NULL;
	assert_int_equal(sqlite3_prepare_v2(dev_db(d), sql, -1, &st, NULL),
	    SQLITE_OK);
	if (arg != NULL)
		sqlite3_bind_text(st, 1, arg, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		v = xstrdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return v;
}

#define OP_KIND(d, id) q_int(d, "SELECT kind FROM __operations WHERE itemId = ?", id)
#define OP_VER(d, id) q_int(d, "SELECT version FROM __operations WHERE itemId = ?", id)
#define OP_STATE(d, id) q_int(d, "SELECT state FROM __operations WHERE itemId = ?", id)

/* The bytes of the device's store, to prove a refused write changed
** nothing at all. */
static inline unsigned char *
snap(dev *d, sqlite3_int64 *n)
{
	unsigned char *p = sqlite3_serialize(dev_db(d), "main", n, 0);
	assert_non_null(p);
	return p;
}

static inline void
assert_unchanged(dev *d, unsigned char *before, sqlite3_int64 n)
{
	sqlite3_int64 m;
	unsigned char *after = snap(d, &m);
	assert_int_equal(n, m);
	assert_memory_equal(before, after, (size_t)n);
	sqlite3_free(before);
	sqlite3_free(after);
}

/* A member of a row as text (a string, a number, true or false), or
** NULL. */
static inline char *
member_text(const cJSON *row, const char *name)
{
	const cJSON *v = cJSON_GetObjectItem(row, name);
	if (cJSON_IsString(v))
		return xstrdup(v->valuestring);
	if (cJSON_IsNumber(v))
		return xasprintf("%g", v->valuedouble);
	if (cJSON_IsBool(v))
		return xstrdup(cJSON_IsTrue(v) ? "true" : "false");
	return NULL;
}

/* A member of a device row as text, or NULL. */
static inline char *
field(dev *d, const char *table, const char *id, const char *name)
{
	cJSON *row = dev_get_row(d, table, id);
	char *out = row != NULL ? member_text(row, name) : NULL;
	cJSON_Delete(row);
	return out;
}

static inline void
assert_field(dev *d, const char *table, const char *id, const char *name,
    const char *want)
{
	char *got = field(d, table, id, name);
	if (want == NULL)
		assert_null(got);
	else {
		assert_non_null(got);
		assert_string_equal(got, want);
	}
	free(got);
}

static inline void
assert_server(world *w, const char *table, const char *id, const char *name,
    const char *want)
{
	cJSON *row = srv_get_row(w->s, table, id);
	assert_non_null(row);
	char *got = member_text(row, name);
	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
	cJSON_Delete(row);
}

/* Counts trace events of a type, optionally with a given method. */
static inline int
count_ev(world *w, trc_type type, const char *method)
{
	int n = 0;
	for (size_t i = 0; i < w->tr.n; i++)
		if (w->tr.ev[i].type == type && (method == NULL ||
		    (w->tr.ev[i].method && strcmp(w->tr.ev[i].method,
		    method) == 0)))
			n++;
	return n;
}

static inline void
clear_log(world *w)
{
	sb_reset(&w->log);
	w->nreq = 0;
}

#endif
