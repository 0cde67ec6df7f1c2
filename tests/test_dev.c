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

static int
w_send(void *ud, dev *d, const http_req *req, http_resp *resp)
{
	world *w = ud;
	w->now += 10;
	w->nreq++;
	/* Every request carries the API version header. */
	assert_non_null(http_req_header(req, "ZUMO-API-VERSION"));
	assert_string_equal(http_req_header(req, "ZUMO-API-VERSION"), "2.0.0");
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

static int64_t
w_now(void *ud)
{
	return ((world *)ud)->now;
}

static uint64_t
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

static world *
w_open(void)
{
	char err[256];
	world *w = xcalloc(1, sizeof *w);
	w->now = T0;
	trc_init(&w->tr);
	w->s = srv_open(NULL, err, sizeof err);
	assert_non_null(w->s);
	assert_int_equal(srv_define(w->s, &todo_def, err, sizeof err), 0);
	assert_int_equal(srv_define(w->s, &hard_def, err, sizeof err), 0);
	return w;
}

static void
w_close(world *w)
{
	srv_close(w->s);
	trc_free(&w->tr);
	sb_free(&w->log);
	free(w);
}

/* A device with both tables; policy applies to "todo". */
static dev *
w_dev(world *w, const char *name, const pol_table *policy, int64_t offset)
{
	char err[256];
	dev_config cfg = { name, name, "android", offset, PROF_NET_LEGACY };
	dev_env env = { w_send, w_now, w_rand, w, &w->tr };
	dev *d = dev_open(&cfg, &env, NULL, err, sizeof err);
	assert_non_null(d);
	assert_int_equal(dev_define(d, &todo_def, policy, err, sizeof err), 0);
	assert_int_equal(dev_define(d, &hard_def, NULL, err, sizeof err), 0);
	return d;
}

static cJSON *
J(const char *text)
{
	cJSON *v = cJSON_Parse(text);
	assert_non_null(v);
	return v;
}

static void
seed(world *w, const char *table, const char *row)
{
	char err[256];
	cJSON *r = J(row);
	w->now += 1;
	assert_int_equal(srv_seed(w->s, table, r, w->now, err, sizeof err), 0);
	cJSON_Delete(r);
}

/* The shorthands pass no err: the device then keeps its messages for the
** trace alone, which the tests read. */
static int
ins(dev *d, const char *table, const char *row)
{
	cJSON *r = J(row);
	int rc = dev_insert(d, table, r, NULL);
	cJSON_Delete(r);
	return rc;
}

static int
upd(dev *d, const char *table, const char *id, const char *set)
{
	cJSON *r = J(set);
	int rc = dev_update(d, table, id, r, NULL);
	cJSON_Delete(r);
	return rc;
}

static int
del(dev *d, const char *table, const char *id)
{
	return dev_delete(d, table, id, NULL);
}

static dev_status
push(dev *d, dev_push_result *res)
{
	return dev_push(d, res, NULL);
}

static dev_status
pull(dev *d, const char *table, dev_pull_result *res)
{
	return dev_pull(d, table, res, NULL);
}

/* One integer from the device's store. */
static long long
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

static char *
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
static unsigned char *
snap(dev *d, sqlite3_int64 *n)
{
	unsigned char *p = sqlite3_serialize(dev_db(d), "main", n, 0);
	assert_non_null(p);
	return p;
}

static void
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
static char *
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
static char *
field(dev *d, const char *table, const char *id, const char *name)
{
	cJSON *row = dev_get_row(d, table, id);
	char *out = row != NULL ? member_text(row, name) : NULL;
	cJSON_Delete(row);
	return out;
}

static void
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

static void
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
static int
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

static void
clear_log(world *w)
{
	sb_reset(&w->log);
	w->nreq = 0;
}

/* ---- the collapse table ------------------------------------------------ */

static void
test_collapse_after_insert(void **state)
{
	(void)state;
	world *w = w_open();
	dev *a = w_dev(w, "A", NULL, 0);
	sqlite3_int64 n;

	assert_int_equal(ins(a, "todo", "{\"id\":\"r1\",\"title\":\"a\"}"), 0);
	assert_int_equal(OP_KIND(a, "r1"), 0);
	assert_int_equal(OP_VER(a, "r1"), 1);
	assert_int_equal(OP_STATE(a, "r1"), 0);
	/* insert after insert: ERROR, nothing changes. */
	unsigned char *b = snap(a, &n);
	assert_int_equal(ins(a, "todo", "{\"id\":\"r1\",\"title\":\"x\"}"), -1);
	assert_unchanged(a, b, n);
	assert_true(count_ev(w, TRC_ERROR, NULL) >= 1);
	/* update after insert: the insert's version +1, no new op. */
	assert_int_equal(upd(a, "todo", "r1", "{\"title\":\"b\"}"), 0);
	assert_int_equal(dev_queue_len(a), 1);
	assert_int_equal(OP_KIND(a, "r1"), 0);
	assert_int_equal(OP_VER(a, "r1"), 2);
	assert_field(a, "todo", "r1", "title", "b");
	assert_int_equal(count_ev(w, TRC_COLLAPSE, "update"), 1);
	/* delete after a Pending insert: both cancelled, nothing is sent. */
	assert_int_equal(del(a, "todo", "r1"), 0);
	assert_int_equal(dev_queue_len(a), 0);
	assert_null(dev_get_row(a, "todo", "r1"));
	assert_int_equal(count_ev(w, TRC_DEQUEUE, "cancelled"), 1);
	clear_log(w);
	assert_int_equal(push(a, NULL), DEV_OK);
	assert_int_equal(w->nreq, 0);
	assert_null(srv_get_row(w->s, "todo", "r1"));
	dev_close(a);
	w_close(w);
}

static void
test_collapse_after_update(void **state)
{
	(void)state;
	world *w = w_open();
	seed(w, "todo", "{\"id\":\"r1\",\"title\":\"s\"}");
	dev *a = w_dev(w, "A", NULL, 0);
	sqlite3_int64 n;
	assert_int_equal(pull(a, "todo", NULL), DEV_OK);

	assert_int_equal(upd(a, "todo", "r1", "{\"title\":\"b\"}"), 0);
	assert_int_equal(OP_KIND(a, "r1"), 1);
	assert_int_equal(OP_VER(a, "r1"), 1);
	/* update after update: version +1, the second is discarded. */
	assert_int_equal(upd(a, "todo", "r1", "{\"qty\":3}"), 0);
	assert_int_equal(dev_queue_len(a), 1);
	assert_int_equal(OP_VER(a, "r1"), 2);
	/* insert after update: ERROR. */
	unsigned char *b = snap(a, &n);
	assert_int_equal(ins(a, "todo", "{\"id\":\"r1\"}"), -1);
	assert_unchanged(a, b, n);
	/* Something queued after the update, then delete after update: the
	** update goes and the delete joins the END with version 2. */
	assert_int_equal(ins(a, "todo", "{\"id\":\"r2\"}"), 0);
	long long seq_r2 = q_int(a, "SELECT sequence FROM __operations WHERE "
	    "itemId = ?", "r2");
	assert_int_equal(del(a, "todo", "r1"), 0);
	assert_int_equal(dev_queue_len(a), 2);
	assert_int_equal(OP_KIND(a, "r1"), 2);
	assert_int_equal(OP_VER(a, "r1"), 2);
	assert_true(q_int(a, "SELECT sequence FROM __operations WHERE itemId = ?",
	    "r1") > seq_r2);
	assert_int_equal(count_ev(w, TRC_DEQUEUE, "collapsed"), 1);
	/* The delete keeps the row (with its version) for If-Match. */
	char *item = q_text(a, "SELECT item FROM __operations WHERE itemId = ?",
	    "r1");
	assert_non_null(item);
	assert_non_null(strstr(item, "\"version\":\"MQ==\""));
	free(item);
	/* Push: r2 first, then the delete, with If-Match. */
	clear_log(w);
	assert_int_equal(push(a, NULL), DEV_OK);
	assert_string_equal(sb_str(&w->log),
	    "POST /tables/todo -> 201\n"
	    "DELETE /tables/todo/r1 -> 200\n");
	dev_close(a);
	w_close(w);
}

static void
test_collapse_after_delete(void **state)
{
	(void)state;
	world *w = w_open();
	seed(w, "todo", "{\"id\":\"r1\",\"title\":\"s\"}");
	dev *a = w_dev(w, "A", NULL, 0);
	sqlite3_int64 n;
	assert_int_equal(pull(a, "todo", NULL), DEV_OK);
	assert_int_equal(del(a, "todo", "r1"), 0);
	assert_int_equal(OP_KIND(a, "r1"), 2);
	assert_int_equal(OP_VER(a, "r1"), 1);
	unsigned char *b = snap(a, &n);
	/* insert, update and delete after a delete: all ERROR. */
	assert_int_equal(ins(a, "todo", "{\"id\":\"r1\"}"), -1);
	assert_int_equal(upd(a, "todo", "r1", "{\"title\":\"x\"}"), -1);
	assert_int_equal(del(a, "todo", "r1"), -1);
	assert_unchanged(a, b, n);
	assert_int_equal(count_ev(w, TRC_ERROR, NULL), 3);
	dev_close(a);
	w_close(w);
}

static void
test_local_write_errors(void **state)
{
	(void)state;
	world *w = w_open();
	seed(w, "todo", "{\"id\":\"r1\",\"title\":\"s\"}");
	dev *a = w_dev(w, "A", NULL, 0);
	sqlite3_int64 n;
	assert_int_equal(pull(a, "todo", NULL), DEV_OK);
	unsigned char *b = snap(a, &n);
	/* An id that exists locally (pulled, no op) cannot be inserted. */
	assert_int_equal(ins(a, "todo", "{\"id\":\"r1\"}"), -1);
	/* Missing rows cannot be updated or deleted. */
	assert_int_equal(upd(a, "todo", "nope", "{\"title\":\"x\"}"), -1);
	assert_int_equal(del(a, "todo", "nope"), -1);
	/* Bad values, unknown columns, system columns, bad ids, tables. */
	assert_int_equal(ins(a, "todo", "{\"id\":\"r9\",\"qty\":\"many\"}"), -1);
	assert_int_equal(ins(a, "todo", "{\"id\":\"r9\",\"nope\":1}"), -1);
	assert_int_equal(ins(a, "todo", "{\"id\":\"r9\",\"version\":\"MQ==\"}"),
	    -1);
	assert_int_equal(ins(a, "todo", "{\"id\":\"a/b\"}"), -1);
	assert_int_equal(ins(a, "todo", "{\"id\":7}"), -1);
	assert_int_equal(ins(a, "todo", "[1]"), -1);
	assert_int_equal(ins(a, "todo", "{\"id\":\"r9\",\"editedAt\":\"soon\"}"),
	    -1);
	assert_int_equal(ins(a, "nosuch", "{\"id\":\"r9\"}"), -1);
	assert_int_equal(upd(a, "todo", "r1", "{\"done\":1}"), -1);
	assert_int_equal(upd(a, "todo", "r1", "{\"updatedAt\":\"x\"}"), -1);
	assert_int_equal(dev_update(a, "todo", NULL, NULL, NULL), -1);
	assert_int_equal(dev_delete(a, "todo", NULL, NULL), -1);
	assert_unchanged(a, b, n);
	/* A missing id is generated: 32 hex digits, as Guid "N". */
	assert_int_equal(ins(a, "todo", "{\"title\":\"gen\"}"), 0);
	char *id = q_text(a, "SELECT itemId FROM __operations", NULL);
	assert_non_null(id);
	assert_int_equal(strlen(id), 32);
	assert_int_equal(strspn(id, "0123456789abcdef"), 32);
	assert_field(a, "todo", id, "title", "gen");
	free(id);
	dev_close(a);
	w_close(w);
}

/* ---- push -------------------------------------------------------------- */

static void
test_push_order_and_wire(void **state)
{
	(void)state;
	world *w = w_open();
	seed(w, "todo", "{\"id\":\"r0\",\"title\":\"s\"}");
	dev *a = w_dev(w, "A", NULL, 0);
	assert_int_equal(pull(a, "todo", NULL), DEV_OK);
	assert_int_equal(ins(a, "todo", "{\"id\":\"r1\",\"title\":\"one\"}"), 0);
	assert_int_equal(upd(a, "todo", "r0", "{\"qty\":5}"), 0);
	assert_int_equal(ins(a, "hard", "{\"id\":\"h1\"}"), 0);
	assert_int_equal(ins(a, "todo", "{\"id\":\"r2\",\"done\":true}"), 0);
	/* Collapsed into the insert: the push reads the latest row. */
	assert_int_equal(upd(a, "todo", "r1", "{\"title\":\"uno\"}"), 0);

	clear_log(w);
	dev_push_result res;
	assert_int_equal(push(a, &res), DEV_OK);
	assert_string_equal(sb_str(&w->log),
	    "POST /tables/todo -> 201\n"
	    "PATCH /tables/todo/r0 -> 200\n"
	    "POST /tables/hard -> 201\n"
	    "POST /tables/todo -> 201\n");
	assert_int_equal(res.sent, 4);
	assert_int_equal(res.succeeded, 4);
	assert_int_equal(res.last_status, 201);
	assert_int_equal(dev_queue_len(a), 0);
	assert_server(w, "todo", "r1", "title", "uno");
	assert_server(w, "todo", "r0", "qty", "5");
	/* The response replaced the local row: server version and times. */
	assert_field(a, "todo", "r0", "version", "Mg==");
	assert_field(a, "todo", "r1", "version", "MQ==");
	char *ua = field(a, "todo", "r1", "updatedAt");
	assert_non_null(ua);
	free(ua);
	assert_int_equal(count_ev(w, TRC_DEQUEUE, "pushed"), 4);
	dev_close(a);
	w_close(w);
}

/* Checks the exact shape of insert, update and delete requests. */
static void
wire_hook(world *w, dev *d, const http_req *req)
{
	(void)d;
	int *seen = w->hook_ud;
	cJSON *body = req->body ? cJSON_Parse(req->body) : NULL;
	if (strcmp(req->method, "POST") == 0) {
		assert_null(http_req_header(req, "If-Match"));
		assert_non_null(body);
		assert_non_null(cJSON_GetObjectItem(body, "id"));
		assert_null(cJSON_GetObjectItem(body, "version"));
		assert_null(cJSON_GetObjectItem(body, "updatedAt"));
		assert_null(cJSON_GetObjectItem(body, "createdAt"));
		assert_null(cJSON_GetObjectItem(body, "deleted"));
		seen[0]++;
	} else if (strcmp(req->method, "PATCH") == 0) {
		assert_string_equal(http_req_header(req, "If-Match"), "\"MQ==\"");
		assert_string_equal(cJSON_GetObjectItem(body, "id")->valuestring,
		    "r0");
		assert_null(cJSON_GetObjectItem(body, "version"));
		assert_null(cJSON_GetObjectItem(body, "deleted"));
		assert_non_null(cJSON_GetObjectItem(body, "title"));
		seen[1]++;
	} else if (strcmp(req->method, "DELETE") == 0) {
		assert_string_equal(http_req_header(req, "If-Match"), "\"Mg==\"");
		assert_null(req->body);
		seen[2]++;
	}
	cJSON_Delete(body);
}

static void
test_push_request_shapes(void **state)
{
	(void)state;
	world *w = w_open();
	int seen[3] = { 0, 0, 0 };
	seed(w, "todo", "{\"id\":\"r0\",\"title\":\"s\"}");
	dev *a = w_dev(w, "A", NULL, 0);
	assert_int_equal(pull(a, "todo", NULL), DEV_OK);
	w->hook = wire_hook;
	w->hook_ud = seen;
	assert_int_equal(ins(a, "todo", "{\"id\":\"r1\",\"title\":\"one\"}"), 0);
	assert_int_equal(upd(a, "todo", "r0", "{\"title\":\"t\"}"), 0);
	assert_int_equal(push(a, NULL), DEV_OK);
	assert_int_equal(del(a, "todo", "r0"), 0);
	assert_int_equal(push(a, NULL), DEV_OK);
	assert_int_equal(seen[0], 1);
	assert_int_equal(seen[1], 1);
	assert_int_equal(seen[2], 1);
	dev_close(a);
	w_close(w);
}

static void
test_abort_on_lost_request(void **state)
{
	(void)state;
	world *w = w_open();
	dev *a = w_dev(w, "A", NULL, 0);
	dev_push_result res;
	assert_int_equal(ins(a, "todo", "{\"id\":\"r1\"}"), 0);
	assert_int_equal(ins(a, "todo", "{\"id\":\"r2\"}"), 0);
	w->drop_req = 1;
	assert_int_equal(push(a, &res), DEV_ABORTED);
	assert_int_equal(res.sent, 1);
	assert_int_equal(res.succeeded, 0);
	assert_int_equal(dev_queue_len(a), 2);
	assert_int_equal(dev_error_count(a), 0);
	assert_int_equal(OP_STATE(a, "r1"), 2);	/* Failed */
	assert_int_equal(OP_STATE(a, "r2"), 0);	/* never attempted */
	assert_null(srv_get_row(w->s, "todo", "r1"));
	/* The next push sends both. */
	assert_int_equal(push(a, &res), DEV_OK);
	assert_int_equal(res.succeeded, 2);
	cJSON *r = srv_get_row(w->s, "todo", "r2");
	assert_non_null(r);
	cJSON_Delete(r);
	/* A 401 aborts the same way. */
	assert_int_equal(ins(a, "todo", "{\"id\":\"r3\"}"), 0);
	w->force401 = 1;
	assert_int_equal(push(a, &res), DEV_ABORTED);
	assert_int_equal(res.last_status, 401);
	assert_int_equal(dev_queue_len(a), 1);
	assert_int_equal(dev_error_count(a), 0);
	dev_close(a);
	w_close(w);
}

static void
test_lost_response_then_409(void **state)
{
	(void)state;
	world *w = w_open();
	dev *a = w_dev(w, "A", NULL, 0);
	dev_push_result res;
	sqlite3_int64 n;
	assert_int_equal(ins(a, "todo", "{\"id\":\"r1\",\"title\":\"a\"}"), 0);
	w->drop_resp = 1;
	assert_int_equal(push(a, &res), DEV_ABORTED);
	/* The server has the row; the device does not know it. */
	assert_server(w, "todo", "r1", "title", "a");
	assert_int_equal(dev_queue_len(a), 1);
	assert_int_equal(OP_STATE(a, "r1"), 2);
	/* The insert was attempted: a delete may not cancel it. */
	unsigned char *b = snap(a, &n);
	assert_int_equal(del(a, "todo", "r1"), -1);
	assert_unchanged(a, b, n);
	/* The retry meets 409 (duplicate id); under none it stays queued. */
	clear_log(w);
	assert_int_equal(push(a, &res), DEV_CONFLICTS);
	assert_string_equal(sb_str(&w->log), "POST /tables/todo -> 409\n");
	assert_int_equal(res.conflicts, 1);
	assert_int_equal(res.errors, 1);
	assert_int_equal(dev_error_count(a), 1);
	assert_int_equal(q_int(a, "SELECT httpStatus FROM __errors", NULL), 409);
	assert_int_equal(q_int(a, "SELECT operationKind FROM __errors", NULL), 0);
	/* The 409 body echoes the request: no server row to show. */
	cJSON *c = dev_get_conflict(a, "todo", "r1");
	assert_non_null(c);
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(c, "server")));
	assert_int_equal(cJSON_GetObjectItem(c, "status")->valueint, 409);
	cJSON_Delete(c);
	dev_close(a);
	w_close(w);
}

static void
test_412_none_stays_queued(void **state)
{
	(void)state;
	world *w = w_open();
	seed(w, "todo", "{\"id\":\"r1\",\"title\":\"s\"}");
	dev *a = w_dev(w, "A", NULL, 0);
	dev *b = w_dev(w, "B", NULL, 0);
	dev_push_result res;
	assert_int_equal(pull(a, "todo", NULL), DEV_OK);
	assert_int_equal(pull(b, "todo", NULL), DEV_OK);
	assert_int_equal(upd(b, "todo", "r1", "{\"title\":\"b\"}"), 0);
	assert_int_equal(push(b, NULL), DEV_OK);
	assert_int_equal(upd(a, "todo", "r1", "{\"title\":\"a\"}"), 0);
	for (int round = 0; round < 2; round++) {
		clear_log(w);
		assert_int_equal(push(a, &res), DEV_CONFLICTS);
		assert_string_equal(sb_str(&w->log),
		    "PATCH /tables/todo/r1 -> 412\n");
		assert_int_equal(res.conflicts, 1);
		assert_int_equal(res.resolved, 0);
		assert_int_equal(dev_queue_len(a), 1);
		assert_int_equal(dev_error_count(a), 1);
		assert_int_equal(OP_STATE(a, "r1"), 2);
	}
	assert_server(w, "todo", "r1", "title", "b");
	assert_field(a, "todo", "r1", "title", "a");
	/* The conflict shows base, local and server. */
	cJSON *c = dev_get_conflict(a, "todo", "r1");
	assert_non_null(c);
	assert_string_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(c, "base"),
	    "title")->valuestring, "s");
	assert_string_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(c, "local"),
	    "title")->valuestring, "a");
	assert_string_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(c,
	    "server"), "title")->valuestring, "b");
	assert_int_equal(cJSON_GetObjectItem(c, "status")->valueint, 412);
	cJSON_Delete(c);
	/* And every pull of that table fails, because its push fails. */
	clear_log(w);
	assert_int_equal(pull(a, "todo", NULL), DEV_CONFLICTS);
	assert_string_equal(sb_str(&w->log), "PATCH /tables/todo/r1 -> 412\n");
	/* Resolving by hand with "local" makes the next push go through. */
	sb err = SB_INIT;
	cJSON *keep = J("\"local\"");
	assert_int_equal(dev_resolve(a, "todo", "r1", keep, &err), 0);
	cJSON_Delete(keep);
	assert_int_equal(dev_error_count(a), 0);
	assert_int_equal(OP_STATE(a, "r1"), 0);
	assert_int_equal(push(a, &res), DEV_OK);
	assert_server(w, "todo", "r1", "title", "a");
	assert_int_equal(dev_resolve(a, "todo", "r1", keep = J("\"server\""),
	    &err), -1);
	cJSON_Delete(keep);
	sb_free(&err);
	dev_close(a);
	dev_close(b);
	w_close(w);
}

static void
test_delete_404_and_hard_deletes(void **state)
{
	(void)state;
	world *w = w_open();
	seed(w, "hard", "{\"id\":\"h1\",\"title\":\"s\"}");
	dev *a = w_dev(w, "A", NULL, 0);
	dev *b = w_dev(w, "B", NULL, 0);
	assert_int_equal(pull(a, "hard", NULL), DEV_OK);
	assert_int_equal(pull(b, "hard", NULL), DEV_OK);
	assert_int_equal(del(b, "hard", "h1"), 0);
	assert_int_equal(push(b, NULL), DEV_OK);
	assert_null(srv_get_row(w->s, "hard", "h1"));
	/* A hard delete never reaches another device. */
	assert_int_equal(pull(a, "hard", NULL), DEV_OK);
	assert_field(a, "hard", "h1", "title", "s");
	/* A's own delete meets 404, which counts as success. */
	assert_int_equal(del(a, "hard", "h1"), 0);
	clear_log(w);
	dev_push_result res;
	assert_int_equal(push(a, &res), DEV_OK);
	assert_string_equal(sb_str(&w->log), "DELETE /tables/hard/h1 -> 404\n");
	assert_int_equal(res.succeeded, 1);
	assert_int_equal(dev_queue_len(a), 0);
	assert_int_equal(dev_error_count(a), 0);
	dev_close(a);
	dev_close(b);
	w_close(w);
}

static void
test_soft_deletes_reach_others(void **state)
{
	(void)state;
	world *w = w_open();
	seed(w, "todo", "{\"id\":\"r1\",\"title\":\"s\"}");
	seed(w, "todo", "{\"id\":\"r2\",\"title\":\"t\"}");
	dev *a = w_dev(w, "A", NULL, 0);
	dev *b = w_dev(w, "B", NULL, 0);
	dev_pull_result pr;
	assert_int_equal(pull(a, "todo", NULL), DEV_OK);
	assert_int_equal(pull(b, "todo", NULL), DEV_OK);
	assert_int_equal(del(b, "todo", "r1"), 0);
	assert_int_equal(push(b, NULL), DEV_OK);
	assert_int_equal(pull(a, "todo", &pr), DEV_OK);
	assert_null(dev_get_row(a, "todo", "r1"));
	assert_field(a, "todo", "r2", "title", "t");
	assert_true(pr.applied >= 1);
	dev_close(a);
	dev_close(b);
	w_close(w);
}

/* ---- pull -------------------------------------------------------------- */

#define NROWS 180

/* Between pages, another client changes two rows on the server: one the
** device already pulled and one it has not reached yet. */
static void
midpull_hook(world *w, dev *d, const http_req *req)
{
	(void)d;
	int *pages = w->hook_ud;
	if (strcmp(req->method, "GET") != 0 || strcmp(req->path,
	    "/tables/todo") != 0)
		return;
	if (++*pages != 2)
		return;
	/* The query re-bases on updatedAt and never trusts $skip alone. */
	assert_non_null(strstr(req->query, "%27"));
	const char *ids[] = { "r010", "r120" };
	for (int i = 0; i < 2; i++) {
		http_req r;
		http_resp resp;
		char path[64];
		snprintf(path, sizeof path, "/tables/todo/%s", ids[i]);
		http_req_init(&r, "PATCH", path, NULL);
		http_req_add_header(&r, "ZUMO-API-VERSION", "2.0.0");
		http_req_add_header(&r, "Content-Type", "application/json");
		char body[96];
		snprintf(body, sizeof body, "{\"id\":\"%s\",\"title\":\"moved\"}",
		    ids[i]);
		http_req_set_body(&r, body);
		http_resp_init(&resp, 0);
		w->now += 1;
		srv_handle(w->s, &r, w->now, ++w->ent, &resp);
		assert_int_equal(resp.status, 200);
		http_resp_free(&resp);
		http_req_free(&r);
	}
}

static void
test_pull_paging_midpull_change(void **state)
{
	(void)state;
	world *w = w_open();
	for (int i = 0; i < NROWS; i++) {
		char row[96];
		snprintf(row, sizeof row, "{\"id\":\"r%03d\",\"title\":\"t%d\","
		    "\"qty\":%d}", i, i, i);
		seed(w, "todo", row);
	}
	dev *a = w_dev(w, "A", NULL, 0);
	int pages = 0;
	w->hook = midpull_hook;
	w->hook_ud = &pages;
	dev_pull_result pr;
	clear_log(w);
	assert_int_equal(pull(a, "todo", &pr), DEV_OK);
	assert_true(pr.pages > 3);
	assert_int_equal(pr.pages, pages);
	assert_int_equal(q_int(a, "SELECT COUNT(*) FROM todo", NULL), NROWS);
	/* Nothing missed, both changes arrived. */
	for (int i = 0; i < NROWS; i++) {
		char id[16], t[16];
		snprintf(id, sizeof id, "r%03d", i);
		snprintf(t, sizeof t, "t%d", i);
		assert_field(a, "todo", id, "title",
		    i == 10 || i == 120 ? "moved" : t);
	}
	assert_field(a, "todo", "r120", "version", "Mg==");
	/* The first request: the default token, percent-encoded. */
	assert_non_null(strstr(sb_str(&w->log), "GET /tables/todo?$filter="
	    "%28updatedAt%20ge%20datetimeoffset%271970-01-01T00%3A00%3A00."
	    "0000000%2B00%3A00%27%29&$orderby=updatedAt&$skip=0&$top=50"
	    "&__includeDeleted=true -> 200\n"));
	/* The token is the newest updatedAt, in round-trip format. */
	char *tok = q_text(a, "SELECT value FROM __config WHERE id = ?",
	    "deltaToken|todo|todo");
	assert_non_null(tok);
	assert_int_equal(strlen(tok), strlen("2026-03-02T09:00:00.0000000+00:00"));
	assert_string_equal(tok + 23, "0000+00:00");
	cJSON *last = srv_get_row(w->s, "todo", "r120");
	char want[64];
	snprintf(want, sizeof want, "%.23s0000+00:00",
	    cJSON_GetObjectItem(last, "updatedAt")->valuestring);
	cJSON_Delete(last);
	assert_string_equal(tok, want);
	free(tok);
	/* A second pull only meets the row at the token (ge), then ends. */
	w->hook = NULL;
	clear_log(w);
	assert_int_equal(pull(a, "todo", &pr), DEV_OK);
	assert_int_equal(pr.pages, 2);
	assert_int_equal(pr.received, 1);
	assert_non_null(strstr(sb_str(&w->log), "$skip=1"));
	dev_close(a);
	w_close(w);
}

/* The user edits r1 while the pull's first request is in flight. */
static void
edit_hook(world *w, dev *d, const http_req *req)
{
	if (strcmp(req->method, "GET") != 0 || w->hook_calls != 1)
		return;
	assert_int_equal(upd(d, "todo", "r1", "{\"title\":\"mine\"}"), 0);
}

static void
test_pull_skips_pending(void **state)
{
	(void)state;
	world *w = w_open();
	seed(w, "todo", "{\"id\":\"r1\",\"title\":\"s\"}");
	seed(w, "todo", "{\"id\":\"r2\",\"title\":\"s\"}");
	dev *a = w_dev(w, "A", NULL, 0);
	dev *b = w_dev(w, "B", NULL, 0);
	assert_int_equal(pull(a, "todo", NULL), DEV_OK);
	assert_int_equal(pull(b, "todo", NULL), DEV_OK);
	assert_int_equal(upd(b, "todo", "r1", "{\"title\":\"theirs\"}"), 0);
	assert_int_equal(upd(b, "todo", "r2", "{\"title\":\"theirs\"}"), 0);
	assert_int_equal(push(b, NULL), DEV_OK);
	w->hook = edit_hook;
	w->hook_calls = 0;
	dev_pull_result pr;
	assert_int_equal(pull(a, "todo", &pr), DEV_OK);
	assert_true(pr.skipped >= 1);
	/* r1 kept the local edit; r2 took the server's. */
	assert_field(a, "todo", "r1", "title", "mine");
	assert_field(a, "todo", "r2", "title", "theirs");
	assert_int_equal(dev_queue_len(a), 1);
	dev_close(a);
	dev_close(b);
	w_close(w);
}

static void
test_pull_pushes_first(void **state)
{
	(void)state;
	world *w = w_open();
	dev *a = w_dev(w, "A", NULL, 0);
	assert_int_equal(ins(a, "todo", "{\"id\":\"r1\",\"title\":\"a\"}"), 0);
	clear_log(w);
	assert_int_equal(pull(a, "todo", NULL), DEV_OK);
	assert_true(strncmp(sb_str(&w->log), "POST /tables/todo -> 201\n"
	    "GET /tables/todo?", 42) == 0);
	/* A lost push makes the pull fail with the push's status. */
	assert_int_equal(ins(a, "todo", "{\"id\":\"r2\"}"), 0);
	w->drop_req = 1;
	clear_log(w);
	assert_int_equal(pull(a, "todo", NULL), DEV_ABORTED);
	assert_int_equal(w->nreq, 1);
	dev_close(a);
	w_close(w);
}

/* ---- purge ------------------------------------------------------------- */

static void
test_purge(void **state)
{
	(void)state;
	world *w = w_open();
	seed(w, "todo", "{\"id\":\"r1\",\"title\":\"s\"}");
	seed(w, "todo", "{\"id\":\"r2\",\"title\":\"s\"}");
	dev *a = w_dev(w, "A", NULL, 0);
	sb err = SB_INIT;
	sqlite3_int64 n;
	assert_int_equal(pull(a, "todo", NULL), DEV_OK);
	assert_int_equal(q_int(a, "SELECT COUNT(*) FROM __config WHERE id = ?",
	    "deltaToken|todo|todo"), 1);
	/* Without pending ops: rows and token go, nothing is sent. */
	clear_log(w);
	assert_int_equal(dev_purge(a, "todo", 0, &err), DEV_OK);
	assert_int_equal(w->nreq, 0);
	assert_int_equal(q_int(a, "SELECT COUNT(*) FROM todo", NULL), 0);
	assert_int_equal(q_int(a, "SELECT COUNT(*) FROM __base", NULL), 0);
	assert_int_equal(q_int(a, "SELECT COUNT(*) FROM __config WHERE id = ?",
	    "deltaToken|todo|todo"), 0);
	/* The next pull downloads everything again. */
	assert_int_equal(pull(a, "todo", NULL), DEV_OK);
	assert_int_equal(q_int(a, "SELECT COUNT(*) FROM todo", NULL), 2);
	/* With pending ops and no force: refused, nothing changes. */
	assert_int_equal(upd(a, "todo", "r1", "{\"title\":\"x\"}"), 0);
	assert_int_equal(ins(a, "hard", "{\"id\":\"h1\"}"), 0);
	unsigned char *b = snap(a, &n);
	assert_int_equal(dev_purge(a, "todo", 0, &err), DEV_FAILED);
	assert_unchanged(a, b, n);
	/* Forced: the table's ops go too, other tables' stay. */
	assert_int_equal(dev_purge(a, "todo", 1, &err), DEV_OK);
	assert_int_equal(dev_queue_len(a), 1);
	assert_int_equal(OP_KIND(a, "h1"), 0);
	assert_int_equal(q_int(a, "SELECT COUNT(*) FROM todo", NULL), 0);
	assert_int_equal(count_ev(w, TRC_DEQUEUE, "discarded"), 1);
	assert_server(w, "todo", "r1", "title", "s");
	assert_int_equal(dev_purge(a, "nosuch", 1, &err), DEV_FAILED);
	sb_free(&err);
	dev_close(a);
	w_close(w);
}

/* ---- policies at the device ------------------------------------------- */

/* Makes a 412 for device a on todo/r1: a and b pulled, b pushed first. */
static void
make_412(world *w, dev *a, dev *b, const char *a_set, const char *b_set)
{
	(void)w;
	assert_int_equal(pull(a, "todo", NULL), DEV_OK);
	assert_int_equal(pull(b, "todo", NULL), DEV_OK);
	assert_int_equal(upd(b, "todo", "r1", b_set), 0);
	assert_int_equal(push(b, NULL), DEV_OK);
	assert_int_equal(upd(a, "todo", "r1", a_set), 0);
}

static void
test_policy_server_and_client_wins(void **state)
{
	(void)state;
	world *w = w_open();
	seed(w, "todo", "{\"id\":\"r1\",\"title\":\"s\",\"qty\":1}");
	pol_table sw = { { POL_SERVER_WINS, NULL, 0, NULL, POL_NONE }, NULL, 0 };
	dev *a = w_dev(w, "A", &sw, 0);
	dev *b = w_dev(w, "B", NULL, 0);
	dev_push_result res;
	make_412(w, a, b, "{\"title\":\"a\"}", "{\"title\":\"b\"}");
	clear_log(w);
	assert_int_equal(push(a, &res), DEV_OK);
	assert_string_equal(sb_str(&w->log), "PATCH /tables/todo/r1 -> 412\n");
	assert_int_equal(res.conflicts, 1);
	assert_int_equal(res.resolved, 1);
	assert_field(a, "todo", "r1", "title", "b");
	assert_field(a, "todo", "r1", "version", "Mg==");
	assert_int_equal(dev_queue_len(a), 0);
	assert_int_equal(count_ev(w, TRC_RESOLVE, "take-server"), 1);
	dev_close(a);

	/* client-wins: re-push with the server's version at once. */
	pol_table cw = { { POL_CLIENT_WINS, NULL, 0, NULL, POL_NONE }, NULL, 0 };
	dev *c = w_dev(w, "C", &cw, 0);
	make_412(w, c, b, "{\"title\":\"c\"}", "{\"title\":\"b2\"}");
	clear_log(w);
	assert_int_equal(push(c, &res), DEV_OK);
	assert_string_equal(sb_str(&w->log),
	    "PATCH /tables/todo/r1 -> 412\n"
	    "PATCH /tables/todo/r1 -> 200\n");
	assert_int_equal(res.resolved, 1);
	assert_server(w, "todo", "r1", "title", "c");
	assert_field(c, "todo", "r1", "version", "NA==");
	assert_int_equal(count_ev(w, TRC_RESOLVE, "push-merged"), 1);

	/* client-wins after a lost insert response: 409, GET, PATCH. */
	assert_int_equal(ins(c, "todo", "{\"id\":\"n1\",\"title\":\"x\"}"), 0);
	w->drop_resp = 1;
	assert_int_equal(push(c, &res), DEV_ABORTED);
	assert_int_equal(upd(c, "todo", "n1", "{\"title\":\"y\"}"), 0);
	clear_log(w);
	assert_int_equal(push(c, &res), DEV_OK);
	assert_string_equal(sb_str(&w->log),
	    "POST /tables/todo -> 409\n"
	    "GET /tables/todo/n1 -> 200\n"
	    "PATCH /tables/todo/n1 -> 200\n");
	assert_server(w, "todo", "n1", "title", "y");
	assert_int_equal(dev_queue_len(c), 0);
	dev_close(b);
	dev_close(c);
	w_close(w);
}

static void
lww_hook(world *w, dev *d, const http_req *req)
{
	(void)w;
	(void)d;
	assert_null(http_req_header(req, "If-Match"));
	if (req->body != NULL)
		assert_null(strstr(req->body, "version"));
}

static void
test_policy_last_writer_wins(void **state)
{
	(void)state;
	world *w = w_open();
	seed(w, "todo", "{\"id\":\"r1\",\"title\":\"s\"}");
	pol_table lw = { { POL_LAST_WRITER_WINS, NULL, 0, NULL, POL_NONE },
	    NULL, 0 };
	dev *a = w_dev(w, "A", &lw, 0);
	dev *b = w_dev(w, "B", &lw, 0);
	make_412(w, a, b, "{\"title\":\"a\"}", "{\"title\":\"b\"}");
	w->hook = lww_hook;
	dev_push_result res;
	clear_log(w);
	assert_int_equal(push(a, &res), DEV_OK);
	assert_string_equal(sb_str(&w->log), "PATCH /tables/todo/r1 -> 200\n");
	assert_int_equal(res.conflicts, 0);
	/* B's write is silently overwritten, and the trace says so. */
	assert_server(w, "todo", "r1", "title", "a");
	assert_int_equal(count_ev(w, TRC_NOTE, "last-writer-wins"), 2);
	assert_int_equal(del(b, "todo", "r1"), 0);
	assert_int_equal(push(b, NULL), DEV_OK);

	/* The duplicate insert after a lost response: the whole row simply
	** overwrites (PATCH, still no If-Match)... */
	assert_int_equal(ins(a, "todo", "{\"id\":\"n1\",\"title\":\"x\"}"), 0);
	w->drop_resp = 1;
	assert_int_equal(push(a, NULL), DEV_ABORTED);
	clear_log(w);
	assert_int_equal(push(a, NULL), DEV_OK);
	assert_string_equal(sb_str(&w->log),
	    "POST /tables/todo -> 409\n"
	    "PATCH /tables/todo/n1 -> 200\n");
	dev_close(a);

	/* ...and with a field override, the server row is read first so that
	** each field can be decided. */
	static char *order[] = { "low", "high" };
	pol_field f = { "title", { POL_PRECEDENCE, order, 2, NULL, POL_NONE } };
	lw.fields = &f;
	lw.nfields = 1;
	dev *c = w_dev(w, "C", &lw, 0);
	assert_int_equal(ins(c, "todo", "{\"id\":\"n2\",\"title\":\"high\","
	    "\"qty\":1}"), 0);
	w->drop_resp = 1;
	assert_int_equal(push(c, NULL), DEV_ABORTED);
	assert_int_equal(upd(c, "todo", "n2", "{\"title\":\"low\",\"qty\":2}"),
	    0);
	clear_log(w);
	assert_int_equal(push(c, NULL), DEV_OK);
	assert_string_equal(sb_str(&w->log),
	    "POST /tables/todo -> 409\n"
	    "GET /tables/todo/n2 -> 200\n"
	    "PATCH /tables/todo/n2 -> 200\n");
	/* title by precedence (the server's "high"), qty by last-writer. */
	assert_server(w, "todo", "n2", "title", "high");
	assert_server(w, "todo", "n2", "qty", "2");
	assert_int_equal(dev_queue_len(c), 0);
	dev_close(c);
	dev_close(b);
	w_close(w);
}

static void
test_policy_merge_and_manual(void **state)
{
	(void)state;
	world *w = w_open();
	seed(w, "todo", "{\"id\":\"r1\",\"title\":\"s\",\"qty\":10}");
	pol_field qf = { "qty", { POL_DELTA, NULL, 0, NULL, POL_NONE } };
	pol_table mg = { { POL_MERGE, NULL, 0, NULL, POL_SERVER_WINS }, &qf, 1 };
	dev *a = w_dev(w, "A", &mg, 0);
	dev *b = w_dev(w, "B", NULL, 0);
	dev_push_result res;
	/* A sells 2 and renames; B sells 3: merge keeps both. */
	make_412(w, a, b, "{\"title\":\"a\",\"qty\":8}", "{\"qty\":7}");
	assert_int_equal(push(a, &res), DEV_OK);
	assert_int_equal(res.resolved, 1);
	assert_server(w, "todo", "r1", "title", "a");
	assert_server(w, "todo", "r1", "qty", "5");
	assert_field(a, "todo", "r1", "qty", "5");
	dev_close(a);

	/* manual: kept until dev_resolve picks per field. */
	pol_table mn = { { POL_MANUAL, NULL, 0, NULL, POL_NONE }, NULL, 0 };
	dev *m = w_dev(w, "M", &mn, 0);
	make_412(w, m, b, "{\"title\":\"m\",\"qty\":1}", "{\"title\":\"b\","
	    "\"qty\":2}");
	assert_int_equal(push(m, &res), DEV_CONFLICTS);
	assert_int_equal(count_ev(w, TRC_RESOLVE, "keep-queued"), 1);
	cJSON *c = dev_get_conflict(m, "todo", "r1");
	assert_non_null(c);
	assert_string_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(c,
	    "server"), "title")->valuestring, "b");
	cJSON_Delete(c);
	sb err = SB_INIT;
	cJSON *bad = J("{\"nope\":\"local\"}");
	assert_int_equal(dev_resolve(m, "todo", "r1", bad, &err), -1);
	cJSON_Delete(bad);
	cJSON *keep = J("{\"title\":\"local\"}");
	assert_int_equal(dev_resolve(m, "todo", "r1", keep, &err), 0);
	cJSON_Delete(keep);
	assert_field(m, "todo", "r1", "title", "m");
	assert_field(m, "todo", "r1", "qty", "2");
	assert_int_equal(push(m, &res), DEV_OK);
	assert_server(w, "todo", "r1", "title", "m");
	assert_server(w, "todo", "r1", "qty", "2");
	sb_free(&err);
	dev_close(m);
	dev_close(b);
	w_close(w);
}

static void
test_policy_newest_edit_wins_skew(void **state)
{
	(void)state;
	world *w = w_open();
	seed(w, "todo", "{\"id\":\"r1\",\"title\":\"s\"}");
	pol_table nw = { { POL_NEWEST_EDIT_WINS, NULL, 0, "editedAt", POL_NONE },
	    NULL, 0 };
	/* A's clock is an hour fast: its older edit still wins. */
	dev *a = w_dev(w, "A", &nw, 3600000);
	dev *b = w_dev(w, "B", &nw, 0);
	assert_int_equal(pull(a, "todo", NULL), DEV_OK);
	assert_int_equal(pull(b, "todo", NULL), DEV_OK);
	int64_t edit_at = w->now;
	assert_int_equal(upd(a, "todo", "r1", "{\"title\":\"older\"}"), 0);
	w->now += 60000;
	assert_int_equal(upd(b, "todo", "r1", "{\"title\":\"newer\"}"), 0);
	assert_int_equal(push(b, NULL), DEV_OK);
	assert_int_equal(push(a, NULL), DEV_OK);
	assert_server(w, "todo", "r1", "title", "older");
	char *stamp = field(a, "todo", "r1", "editedAt");
	assert_non_null(stamp);
	/* The stamp is the device's own clock at the edit. */
	char want[32];
	wire_format_time(edit_at + 3600000, want);
	assert_string_equal(stamp, want);
	free(stamp);
	dev_close(a);
	dev_close(b);
	w_close(w);
}

static void
test_other_errors_continue(void **state)
{
	(void)state;
	world *w = w_open();
	seed(w, "hard", "{\"id\":\"h1\",\"title\":\"s\"}");
	dev *a = w_dev(w, "A", NULL, 0);
	dev *b = w_dev(w, "B", NULL, 0);
	dev_push_result res;
	assert_int_equal(pull(a, "hard", NULL), DEV_OK);
	assert_int_equal(pull(b, "hard", NULL), DEV_OK);
	assert_int_equal(del(b, "hard", "h1"), 0);
	assert_int_equal(push(b, NULL), DEV_OK);
	/* The PATCH meets 404 (not a conflict): an error row, and the push
	** goes on with the next operation. */
	assert_int_equal(upd(a, "hard", "h1", "{\"title\":\"x\"}"), 0);
	assert_int_equal(ins(a, "todo", "{\"id\":\"r2\"}"), 0);
	clear_log(w);
	assert_int_equal(push(a, &res), DEV_CONFLICTS);
	assert_string_equal(sb_str(&w->log),
	    "PATCH /tables/hard/h1 -> 404\n"
	    "POST /tables/todo -> 201\n");
	assert_int_equal(res.conflicts, 0);
	assert_int_equal(res.errors, 1);
	assert_int_equal(res.succeeded, 1);
	assert_int_equal(q_int(a, "SELECT httpStatus FROM __errors", NULL), 404);
	assert_int_equal(dev_queue_len(a), 1);
	/* The row vanished locally behind the queue's back: a sync error
	** with no HTTP status, as PushAction records it. */
	assert_int_equal(sqlite3_exec(dev_db(a), "DELETE FROM hard", NULL, NULL,
	    NULL), SQLITE_OK);
	clear_log(w);
	assert_int_equal(push(a, &res), DEV_CONFLICTS);
	assert_int_equal(w->nreq, 0);
	assert_int_equal(q_int(a, "SELECT httpStatus IS NULL FROM __errors",
	    NULL), 1);
	dev_close(a);
	dev_close(b);
	w_close(w);
}

static void
test_snapshot_restore(void **state)
{
	(void)state;
	world *w = w_open();
	seed(w, "todo", "{\"id\":\"r1\",\"title\":\"s\"}");
	dev *a = w_dev(w, "A", NULL, 0);
	assert_int_equal(pull(a, "todo", NULL), DEV_OK);
	assert_int_equal(upd(a, "todo", "r1", "{\"title\":\"a\"}"), 0);
	assert_int_equal(ins(a, "todo", "{\"id\":\"r2\"}"), 0);
	assert_int_equal(ins(a, "todo", "{\"id\":\"r3\"}"), 0);
	/* Everything mutable is in the store: its bytes are the device. */
	sqlite3_int64 n;
	unsigned char *bytes = snap(a, &n);
	dev *copy = w_dev(w, "A2", NULL, 0);
	assert_int_equal(sqlite3_deserialize(dev_db(copy), "main", bytes, n, n,
	    SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_RESIZEABLE),
	    SQLITE_OK);
	assert_int_equal(dev_queue_len(copy), 3);
	assert_int_equal(upd(copy, "todo", "r2", "{\"qty\":2}"), 0);
	assert_int_equal(OP_VER(copy, "r2"), 2);
	assert_int_equal(OP_VER(a, "r2"), 1);
	clear_log(w);
	assert_int_equal(push(copy, NULL), DEV_OK);
	assert_string_equal(sb_str(&w->log),
	    "PATCH /tables/todo/r1 -> 200\n"
	    "POST /tables/todo -> 201\n"
	    "POST /tables/todo -> 201\n");
	assert_server(w, "todo", "r2", "qty", "2");
	assert_int_equal(dev_queue_len(a), 3);
	dev_close(a);
	dev_close(copy);
	w_close(w);
}

/* A's insert response is lost; meanwhile B soft-deletes the row. */
static void
test_server_wins_discard(void **state)
{
	(void)state;
	world *w = w_open();
	pol_table sw = { { POL_SERVER_WINS, NULL, 0, NULL, POL_NONE }, NULL, 0 };
	dev *a = w_dev(w, "A", &sw, 0);
	dev *b = w_dev(w, "B", NULL, 0);
	dev_push_result res;
	assert_int_equal(ins(a, "todo", "{\"id\":\"n1\",\"title\":\"x\"}"), 0);
	w->drop_resp = 1;
	assert_int_equal(push(a, &res), DEV_ABORTED);
	assert_int_equal(pull(b, "todo", NULL), DEV_OK);
	assert_int_equal(del(b, "todo", "n1"), 0);
	assert_int_equal(push(b, NULL), DEV_OK);
	clear_log(w);
	assert_int_equal(push(a, &res), DEV_OK);
	assert_string_equal(sb_str(&w->log),
	    "POST /tables/todo -> 409\n"
	    "GET /tables/todo/n1 -> 404\n");
	assert_null(dev_get_row(a, "todo", "n1"));
	assert_int_equal(dev_queue_len(a), 0);
	assert_int_equal(count_ev(w, TRC_RESOLVE, "discard"), 1);
	dev_close(a);
	dev_close(b);
	w_close(w);
}

/* ---- a 404 on an update: the row is gone on the server ------------------ */

/* The text of the last trace event of a type, or "". */
static const char *
last_text(world *w, trc_type type)
{
	for (size_t i = w->tr.n; i > 0; i--)
		if (w->tr.ev[i - 1].type == type)
			return w->tr.ev[i - 1].text != NULL ?
			    w->tr.ev[i - 1].text : "";
	return "";
}

/*
** A and B hold r1; B deletes it (soft delete), then A's update of r1
** meets 404 on its PATCH.  Returns A, whose push has run (res filled).
*/
static dev *
gone_404(world *w, const pol_table *policy, dev_push_result *res,
    dev_status *st)
{
	seed(w, "todo", "{\"id\":\"r1\",\"title\":\"s\",\"qty\":1,"
	    "\"editedAt\":\"2026-03-02T08:00:00.000Z\"}");
	dev *a = w_dev(w, "A", policy, 0);
	dev *b = w_dev(w, "B", NULL, 0);
	assert_int_equal(pull(a, "todo", NULL), DEV_OK);
	assert_int_equal(pull(b, "todo", NULL), DEV_OK);
	assert_int_equal(del(b, "todo", "r1"), 0);
	assert_int_equal(push(b, NULL), DEV_OK);
	dev_close(b);
	assert_int_equal(upd(a, "todo", "r1", "{\"title\":\"a\",\"qty\":5}"),
	    0);
	assert_int_equal(q_int(a, "SELECT COUNT(*) FROM __base WHERE id = ?",
	    "r1"), 1);
	clear_log(w);
	*st = push(a, res);
	return a;
}

/* Under every policy that installs a handler, the 404 discards the
** change: the op, the local row and its __base copy go, with a sentence. */
static void
test_404_policies_discard(void **state)
{
	(void)state;
	static char *order[] = { "s", "a" };
	static const struct {
		pol_spec	 spec;
		const char	*name;
	} pols[] = {
		{ { POL_SERVER_WINS, NULL, 0, NULL, POL_NONE }, "server-wins" },
		{ { POL_CLIENT_WINS, NULL, 0, NULL, POL_NONE }, "client-wins" },
		{ { POL_LAST_WRITER_WINS, NULL, 0, NULL, POL_NONE },
		    "last-writer-wins" },
		{ { POL_NEWEST_EDIT_WINS, NULL, 0, "editedAt", POL_NONE },
		    "newest-edit-wins" },
		{ { POL_PRECEDENCE, order, 2, NULL, POL_NONE }, "precedence" },
		{ { POL_DELTA, NULL, 0, NULL, POL_NONE }, "delta" },
		{ { POL_MERGE, NULL, 0, NULL, POL_SERVER_WINS }, "merge" },
		{ { POL_MERGE, NULL, 0, NULL, POL_CLIENT_WINS }, "merge" },
	};
	for (size_t i = 0; i < sizeof pols / sizeof pols[0]; i++) {
		world *w = w_open();
		pol_table pt = { pols[i].spec, NULL, 0 };
		dev_push_result res;
		dev_status st;
		dev *a = gone_404(w, &pt, &res, &st);
		assert_int_equal(st, DEV_OK);
		assert_string_equal(sb_str(&w->log),
		    "PATCH /tables/todo/r1 -> 404\n");
		assert_int_equal(res.succeeded, 1);
		assert_int_equal(res.errors, 0);
		assert_int_equal(res.conflicts, 0);
		assert_int_equal(res.resolved, 0);
		assert_int_equal(dev_queue_len(a), 0);
		assert_int_equal(dev_error_count(a), 0);
		assert_null(dev_get_row(a, "todo", "r1"));
		assert_int_equal(q_int(a, "SELECT COUNT(*) FROM __base WHERE "
		    "id = ?", "r1"), 0);
		assert_int_equal(count_ev(w, TRC_RESOLVE, "discard"), 1);
		assert_int_equal(count_ev(w, TRC_DEQUEUE, "discarded"), 1);
		const char *why = last_text(w, TRC_RESOLVE);
		char *want = xasprintf("The row was deleted on the server (the "
		    "PATCH answers 404); a %s handler cannot apply a change to "
		    "a row that no longer exists, so the local change is "
		    "discarded", pols[i].name);
		assert_non_null(strstr(why, want));
		free(want);
		/* Only client-wins says what a handler could do instead. */
		int cw = pols[i].spec.kind == POL_CLIENT_WINS ||
		    pols[i].spec.fallback == POL_CLIENT_WINS;
		assert_int_equal(strstr(why, "re-create the row") != NULL, cw);
		/* The next pull brings the deleted row: nothing comes back. */
		assert_int_equal(pull(a, "todo", NULL), DEV_OK);
		assert_null(dev_get_row(a, "todo", "r1"));
		dev_close(a);
		w_close(w);
	}
}

/* none and manual keep the SDK's behaviour: an error row that every push
** meets again; manual until someone takes the server's side by hand. */
static void
test_404_none_and_manual_stay(void **state)
{
	(void)state;
	static const pol_kind kinds[] = { POL_NONE, POL_MANUAL, POL_MERGE };
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		world *w = w_open();
		/* A merge whose fallback is none leaves it to a person too. */
		pol_table pt = { { kinds[i], NULL, 0, NULL, POL_NONE }, NULL, 0 };
		dev_push_result res;
		dev_status st;
		dev *a = gone_404(w, &pt, &res, &st);
		assert_int_equal(st, DEV_CONFLICTS);
		assert_string_equal(sb_str(&w->log),
		    "PATCH /tables/todo/r1 -> 404\n");
		assert_int_equal(res.errors, 1);
		assert_int_equal(dev_queue_len(a), 1);
		assert_int_equal(q_int(a, "SELECT httpStatus FROM __errors",
		    NULL), 404);
		assert_int_equal(count_ev(w, TRC_RESOLVE, NULL), 0);
		assert_field(a, "todo", "r1", "title", "a");
		/* The next push meets it again. */
		clear_log(w);
		assert_int_equal(push(a, &res), DEV_CONFLICTS);
		assert_string_equal(sb_str(&w->log),
		    "PATCH /tables/todo/r1 -> 404\n");
		if (kinds[i] == POL_MANUAL) {
			sb err = SB_INIT;
			cJSON *srvside = J("\"server\"");
			assert_int_equal(dev_resolve(a, "todo", "r1", srvside,
			    &err), 0);
			cJSON_Delete(srvside);
			sb_free(&err);
			assert_int_equal(dev_queue_len(a), 0);
			assert_null(dev_get_row(a, "todo", "r1"));
			assert_int_equal(count_ev(w, TRC_RESOLVE, "discard"), 1);
		}
		dev_close(a);
		w_close(w);
	}
}

/* Deletes the row on the server just before the PATCH that a policy
** sends after a conflict. */
static void
gone_hook(world *w, dev *d, const http_req *req)
{
	(void)d;
	int *patches = w->hook_ud;
	if (strcmp(req->method, "PATCH") != 0 || ++*patches != 2)
		return;
	http_req r;
	http_resp resp;
	http_req_init(&r, "DELETE", req->path, NULL);
	http_req_add_header(&r, "ZUMO-API-VERSION", "2.0.0");
	http_resp_init(&resp, 0);
	srv_handle(w->s, &r, w->now, ++w->ent, &resp);
	/* A soft delete answers with the deleted row. */
	assert_int_equal(resp.status, 200);
	http_req_free(&r);
	http_resp_free(&resp);
}

/* The 404 can also answer the PATCH a policy sends to settle a conflict,
** or the GET that fetches the server row after a 409 on an insert. */
static void
test_404_after_conflict(void **state)
{
	(void)state;
	world *w = w_open();
	seed(w, "todo", "{\"id\":\"r1\",\"title\":\"s\"}");
	pol_table cw = { { POL_CLIENT_WINS, NULL, 0, NULL, POL_NONE }, NULL, 0 };
	dev *a = w_dev(w, "A", &cw, 0);
	dev *b = w_dev(w, "B", NULL, 0);
	dev_push_result res;
	make_412(w, a, b, "{\"title\":\"a\"}", "{\"title\":\"b\"}");
	int patches = 0;
	w->hook = gone_hook;
	w->hook_ud = &patches;
	clear_log(w);
	assert_int_equal(push(a, &res), DEV_OK);
	w->hook = NULL;
	assert_string_equal(sb_str(&w->log),
	    "PATCH /tables/todo/r1 -> 412\n"
	    "PATCH /tables/todo/r1 -> 404\n");
	assert_int_equal(res.conflicts, 1);
	assert_int_equal(res.resolved, 1);
	assert_int_equal(dev_queue_len(a), 0);
	assert_null(dev_get_row(a, "todo", "r1"));
	assert_int_equal(count_ev(w, TRC_RESOLVE, "discard"), 1);

	/* An insert whose response was lost, its row deleted meanwhile by
	** B: the retry meets 409 and the GET 404, for precedence as for
	** server-wins (test_server_wins_discard). */
	static char *order[] = { "x", "y" };
	pol_table pr = { { POL_PRECEDENCE, order, 2, NULL, POL_NONE }, NULL,
	    0 };
	dev *c = w_dev(w, "C", &pr, 0);
	assert_int_equal(ins(c, "todo", "{\"id\":\"n1\",\"title\":\"x\"}"), 0);
	w->drop_resp = 1;
	assert_int_equal(push(c, &res), DEV_ABORTED);
	assert_int_equal(pull(b, "todo", NULL), DEV_OK);
	assert_int_equal(del(b, "todo", "n1"), 0);
	assert_int_equal(push(b, NULL), DEV_OK);
	clear_log(w);
	assert_int_equal(push(c, &res), DEV_OK);
	assert_string_equal(sb_str(&w->log),
	    "POST /tables/todo -> 409\n"
	    "GET /tables/todo/n1 -> 404\n");
	assert_int_equal(res.resolved, 1);
	assert_null(dev_get_row(c, "todo", "n1"));
	assert_int_equal(dev_queue_len(c), 0);
	assert_non_null(strstr(last_text(w, TRC_RESOLVE), "the GET after the "
	    "conflict answers 404"));
	dev_close(a);
	dev_close(b);
	dev_close(c);
	w_close(w);
}

static void
test_delete_conflicts(void **state)
{
	(void)state;
	world *w = w_open();
	seed(w, "todo", "{\"id\":\"r1\",\"title\":\"s\",\"editedAt\":"
	    "\"2026-03-02T09:00:00.000Z\"}");
	pol_table cw = { { POL_CLIENT_WINS, NULL, 0, NULL, POL_NONE }, NULL, 0 };
	pol_table sw = { { POL_SERVER_WINS, NULL, 0, NULL, POL_NONE }, NULL, 0 };
	pol_table nw = { { POL_NEWEST_EDIT_WINS, NULL, 0, "editedAt",
	    POL_NONE }, NULL, 0 };
	dev *b = w_dev(w, "B", NULL, 0);
	dev_push_result res;
	sb err = SB_INIT;

	/* server-wins: the row B edited comes back on S. */
	dev *s = w_dev(w, "S", &sw, 0);
	assert_int_equal(pull(s, "todo", NULL), DEV_OK);
	assert_int_equal(pull(b, "todo", NULL), DEV_OK);
	assert_int_equal(upd(b, "todo", "r1", "{\"title\":\"b1\"}"), 0);
	assert_int_equal(push(b, NULL), DEV_OK);
	assert_int_equal(del(s, "todo", "r1"), 0);
	clear_log(w);
	assert_int_equal(push(s, &res), DEV_OK);
	assert_string_equal(sb_str(&w->log), "DELETE /tables/todo/r1 -> 412\n");
	assert_field(s, "todo", "r1", "title", "b1");

	/* none, then a manual "local": the delete goes through next time. */
	dev *n = w_dev(w, "N", NULL, 0);
	assert_int_equal(pull(n, "todo", NULL), DEV_OK);
	assert_int_equal(pull(b, "todo", NULL), DEV_OK);
	assert_int_equal(upd(b, "todo", "r1", "{\"title\":\"b2\"}"), 0);
	assert_int_equal(push(b, NULL), DEV_OK);
	assert_int_equal(del(n, "todo", "r1"), 0);
	assert_int_equal(push(n, &res), DEV_CONFLICTS);
	cJSON *c = dev_get_conflict(n, "todo", "r1");
	assert_non_null(c);
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(c, "local")));
	assert_string_equal(cJSON_GetObjectItem(c, "kind")->valuestring,
	    "delete");
	cJSON_Delete(c);
	cJSON *keep = J("\"local\"");
	assert_int_equal(dev_resolve(n, "todo", "r1", keep, &err), 0);
	cJSON_Delete(keep);
	clear_log(w);
	assert_int_equal(push(n, &res), DEV_OK);
	assert_string_equal(sb_str(&w->log), "DELETE /tables/todo/r1 -> 200\n");
	cJSON *row = srv_get_row(w->s, "todo", "r1");
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(row, "deleted")));
	cJSON_Delete(row);
	/* Undelete on the server so the remaining cases have a row. */
	http_req rq;
	http_resp rs;
	http_req_init(&rq, "POST", "/tables/todo/r1", NULL);
	http_req_add_header(&rq, "ZUMO-API-VERSION", "2.0.0");
	http_resp_init(&rs, 0);
	srv_handle(w->s, &rq, ++w->now, 1, &rs);
	assert_int_equal(rs.status, 201);
	http_resp_free(&rs);
	http_req_free(&rq);

	/* client-wins: the delete is sent again with the server's version. */
	dev *cl = w_dev(w, "C", &cw, 0);
	assert_int_equal(pull(cl, "todo", NULL), DEV_OK);
	assert_int_equal(pull(b, "todo", NULL), DEV_OK);
	assert_int_equal(upd(b, "todo", "r1", "{\"title\":\"b3\"}"), 0);
	assert_int_equal(push(b, NULL), DEV_OK);
	assert_int_equal(del(cl, "todo", "r1"), 0);
	clear_log(w);
	assert_int_equal(push(cl, &res), DEV_OK);
	assert_string_equal(sb_str(&w->log),
	    "DELETE /tables/todo/r1 -> 412\n"
	    "DELETE /tables/todo/r1 -> 200\n");

	/* newest-edit-wins: an older delete loses to a newer stamped edit. */
	http_req_init(&rq, "POST", "/tables/todo/r1", NULL);
	http_req_add_header(&rq, "ZUMO-API-VERSION", "2.0.0");
	http_resp_init(&rs, 0);
	srv_handle(w->s, &rq, ++w->now, 1, &rs);
	assert_int_equal(rs.status, 201);
	http_resp_free(&rs);
	http_req_free(&rq);
	dev *ne = w_dev(w, "E", &nw, 0);
	dev *nb = w_dev(w, "F", &nw, 0);
	assert_int_equal(pull(ne, "todo", NULL), DEV_OK);
	assert_int_equal(pull(nb, "todo", NULL), DEV_OK);
	assert_int_equal(del(ne, "todo", "r1"), 0);
	w->now += 1000;
	assert_int_equal(upd(nb, "todo", "r1", "{\"title\":\"late\"}"), 0);
	assert_int_equal(push(nb, NULL), DEV_OK);
	assert_int_equal(push(ne, &res), DEV_OK);
	assert_field(ne, "todo", "r1", "title", "late");
	assert_server(w, "todo", "r1", "title", "late");

	sb_free(&err);
	dev_close(s);
	dev_close(n);
	dev_close(cl);
	dev_close(ne);
	dev_close(nb);
	dev_close(b);
	w_close(w);
}

static void
test_policy_precedence_device(void **state)
{
	(void)state;
	world *w = w_open();
	static char *order[] = { "assigned", "in-progress", "completed" };
	seed(w, "todo", "{\"id\":\"r1\",\"title\":\"assigned\"}");
	pol_field f = { "title", { POL_PRECEDENCE, order, 3, NULL, POL_NONE } };
	pol_table pt = { { POL_SERVER_WINS, NULL, 0, NULL, POL_NONE }, &f, 1 };
	dev *a = w_dev(w, "A", &pt, 0);
	dev *b = w_dev(w, "B", NULL, 0);
	make_412(w, a, b, "{\"title\":\"completed\",\"qty\":1}",
	    "{\"title\":\"in-progress\",\"qty\":9}");
	dev_push_result res;
	assert_int_equal(push(a, &res), DEV_OK);
	assert_int_equal(res.resolved, 1);
	/* title by precedence (the device's), qty by server-wins. */
	assert_server(w, "todo", "r1", "title", "completed");
	assert_server(w, "todo", "r1", "qty", "9");
	assert_field(a, "todo", "r1", "qty", "9");
	dev_close(a);
	dev_close(b);
	w_close(w);
}

/* ---- a randomized run ---------------------------------------------------- */

static uint64_t
fz_next(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

/* The ids of a device's live rows with their versions, sorted. */
static char *
rows_of_dev(dev *d)
{
	sb out = SB_INIT;
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(dev_db(d), "SELECT id, version, "
	    "title, qty FROM todo ORDER BY id", -1, &st, NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW)
		sb_addf(&out, "%s %s %s %g\n", sqlite3_column_text(st, 0),
		    sqlite3_column_text(st, 1), sqlite3_column_text(st, 2) ?
		    (const char *)sqlite3_column_text(st, 2) : "-",
		    sqlite3_column_double(st, 3));
	sqlite3_finalize(st);
	return sb_take(&out);
}

static char *
rows_of_srv(world *w)
{
	sb out = SB_INIT;
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(srv_db(w->s), "SELECT id FROM todo "
	    "ORDER BY id", -1, &st, NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		cJSON *r = srv_get_row(w->s, "todo",
		    (const char *)sqlite3_column_text(st, 0));
		assert_non_null(r);
		if (!cJSON_IsTrue(cJSON_GetObjectItem(r, "deleted"))) {
			cJSON *t = cJSON_GetObjectItem(r, "title");
			sb_addf(&out, "%s %s %s %g\n",
			    cJSON_GetObjectItem(r, "id")->valuestring,
			    cJSON_GetObjectItem(r, "version")->valuestring,
			    cJSON_IsString(t) ? t->valuestring : "-",
			    cJSON_GetObjectItem(r, "qty")->valuedouble);
		}
		cJSON_Delete(r);
	}
	sqlite3_finalize(st);
	return sb_take(&out);
}

/*
** Three client-wins devices edit a few rows at random over a lossy
** network.  Whatever happens, nothing crashes, a refused write changes
** nothing, and after a clean final sync every device whose queue emptied
** holds exactly the server's live rows.
*/
static void
test_random_runs(void **state)
{
	(void)state;
	int checked = 0, conflicts = 0, lost = 0;
	for (uint64_t seedv = 1; seedv <= 6; seedv++) {
		world *w = w_open();
		pol_table cw = { { POL_CLIENT_WINS, NULL, 0, NULL, POL_NONE },
		    NULL, 0 };
		dev *ds[3];
		char name[16];
		for (int i = 0; i < 3; i++) {
			snprintf(name, sizeof name, "D%d", i);
			ds[i] = w_dev(w, name, &cw, 0);
		}
		uint64_t x = seedv * 0x2545f4914f6cdd1dULL;
		for (int step = 0; step < 400; step++) {
			dev *d = ds[fz_next(&x) % 3];
			char id[16], row[96];
			/* Inserts use fresh ids (reusing the id of a row deleted
			** on the server only meets 409 and is discarded); updates
			** and deletes pick one of the first rows the device
			** holds. */
			snprintf(id, sizeof id, "k%d", step);
			sqlite3_stmt *pick;
			assert_int_equal(sqlite3_prepare_v2(dev_db(d), "SELECT id "
			    "FROM todo ORDER BY id LIMIT 1 OFFSET ?", -1, &pick,
			    NULL), SQLITE_OK);
			sqlite3_bind_int(pick, 1, (int)(fz_next(&x) % 4));
			if (sqlite3_step(pick) == SQLITE_ROW)
				snprintf(row, sizeof row, "%s",
				    sqlite3_column_text(pick, 0));
			else
				snprintf(row, sizeof row, "none");
			sqlite3_finalize(pick);
			char pid[96];
			memcpy(pid, row, sizeof pid);
			unsigned what = (unsigned)(fz_next(&x) % 10);
			if (fz_next(&x) % 7 == 0)
				w->drop_req = 1;
			else if (fz_next(&x) % 7 == 0)
				w->drop_resp = 1;
			sqlite3_int64 n;
			unsigned char *before = snap(d, &n);
			int rc = 0;
			switch (what) {
			case 0:
			case 1:
				snprintf(row, sizeof row, "{\"id\":\"%s\","
				    "\"title\":\"s%d\",\"qty\":%d}", id, step, step);
				rc = ins(d, "todo", row);
				break;
			case 2:
			case 3:
				snprintf(row, sizeof row, "{\"title\":\"u%d\"}",
				    step);
				rc = upd(d, "todo", pid, row);
				break;
			case 4:
				if (fz_next(&x) % 3 == 0)
					rc = del(d, "todo", pid);
				break;
			case 5:
			case 6:
				(void)push(d, NULL);
				break;
			default:
				(void)pull(d, "todo", NULL);
				break;
			}
			if (rc != 0)
				assert_unchanged(d, before, n);
			else
				sqlite3_free(before);
			w->drop_req = w->drop_resp = 0;
		}
		/* Clean network: sync everything.  An update of a row another
		** device deleted meets 404, which client-wins settles at once
		** by discarding the change: no 404 is ever left behind. */
		for (int round = 0; round < 3; round++)
			for (int i = 0; i < 3; i++) {
				(void)push(ds[i], NULL);
				(void)pull(ds[i], "todo", NULL);
				assert_int_equal(q_int(ds[i], "SELECT COUNT(*) "
				    "FROM __errors WHERE httpStatus = 404", NULL),
				    0);
			}
		char *want = rows_of_srv(w);
		for (int i = 0; i < 3; i++) {
			if (dev_queue_len(ds[i]) != 0)
				continue;
			char *got = rows_of_dev(ds[i]);
			if (strcmp(got, want) != 0)
				print_error("seed %llu %s:\n%s--- server:\n%s",
				    (unsigned long long)seedv, dev_name(ds[i]), got,
				    want);
			assert_string_equal(got, want);
			free(got);
			checked++;
		}
		free(want);
		conflicts += count_ev(w, TRC_CONFLICT, NULL);
		lost += count_ev(w, TRC_ERROR, NULL);
		for (int i = 0; i < 3; i++)
			dev_close(ds[i]);
		w_close(w);
	}
	/* The runs did meet conflicts and failures, and most devices ended
	** with an empty queue and were compared. */
	print_message("random runs: %d devices compared, %d conflicts, %d "
	    "errors\n", checked, conflicts, lost);
	assert_int_equal(checked, 18);
	assert_true(conflicts > 0);
	assert_true(lost > 0);
}

/*
** The pull reads plain pages with its own scanner and anything else with
** cJSON.  The same rows sent both ways (the second page differs only by an
** escape in a member no column uses, which sends it to cJSON) must leave
** the same local rows and the same __base copies.
*/
static void
test_pull_scanner_matches_cjson(void **state)
{
	(void)state;
	world *w = w_open();
	dev *a = w_dev(w, "A", NULL, 0);
	dev *b = w_dev(w, "B", NULL, 0);
	const char *rows =
	    " {\"id\":\"k1\",\"createdAt\":\"2026-03-02T08:59:00.000Z\",\n"
	    "  \"updatedAt\":\"2026-03-02T09:00:01.000Z\",\"version\":\"MQ==\","
	    "\"deleted\":false,\"title\":\"plain\",\"qty\":-0.5e-3,"
	    "\"done\":false,\"editedAt\":\"2026-03-02T08:00:00.000Z\"},\n"
	    " {\"id\":\"k2\",\"updatedAt\":\"2026-03-02T09:00:02.000Z\","
	    "\"title\":\"first\",\"title\":\"second\",\"qty\":0,\"qty\":7},"
	    "{\"id\":\"k3\",\"updatedAt\":\"2026-03-02T09:00:03.000Z\","
	    "\"title\":null,\"version\":5,\"qty\":12345678901234567890,"
	    "\"done\":true},\t{ \"id\" : \"k5\" , \"updatedAt\" : "
	    "\"2026-03-02T09:00:03.000Z\" , \"title\" : \"caf\xc3\xa9 \xe2\x98\x95\""
	    " , \"qty\" : 1E2 }\r\n";
	char *fast = xasprintf("[%s,{\"id\":\"k4\",\"updatedAt\":"
	    "\"2026-03-02T09:00:04.000Z\",\"deleted\":true,\"other\":\"x\"}]",
	    rows);
	char *slow = xasprintf("[%s,{\"id\":\"k4\",\"updatedAt\":"
	    "\"2026-03-02T09:00:04.000Z\",\"deleted\":true,\"other\":"
	    "\"\\u0078\"}]", rows);
	/* k4 exists on both devices before: the deleted row removes it. */
	seed(w, "todo", "{\"id\":\"k4\",\"title\":\"old\"}");
	assert_int_equal(pull(a, "todo", NULL), DEV_OK);
	assert_int_equal(pull(b, "todo", NULL), DEV_OK);
	assert_field(a, "todo", "k4", "title", "old");
	dev_pull_result ra, rb;
	w->fake_status = 200;
	w->fake_body = fast;
	assert_int_equal(pull(a, "todo", &ra), DEV_OK);
	w->fake_status = 200;
	w->fake_body = slow;
	assert_int_equal(pull(b, "todo", &rb), DEV_OK);
	assert_int_equal(ra.applied, rb.applied);
	assert_int_equal(ra.received, rb.received);
	const char *ids[] = { "k1", "k2", "k3", "k4", "k5" };
	for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
		cJSON *x = dev_get_row(a, "todo", ids[i]);
		cJSON *y = dev_get_row(b, "todo", ids[i]);
		char *xs = x != NULL ? cJSON_PrintUnformatted(x) : NULL;
		char *ys = y != NULL ? cJSON_PrintUnformatted(y) : NULL;
		if (strcmp(ids[i], "k4") == 0) {
			assert_null(xs);
			assert_null(ys);
		} else {
			assert_non_null(xs);
			assert_non_null(ys);
			assert_string_equal(xs, ys);
		}
		cJSON_free(xs);
		cJSON_free(ys);
		cJSON_Delete(x);
		cJSON_Delete(y);
		char *bx = q_text(a, "SELECT item FROM __base WHERE id = ?",
		    ids[i]);
		char *by = q_text(b, "SELECT item FROM __base WHERE id = ?",
		    ids[i]);
		/* Both keep the row's text as the server sent it. */
		assert_int_equal(bx == NULL, by == NULL);
		if (bx != NULL)
			assert_string_equal(bx, by);
		free(bx);
		free(by);
	}
	assert_null(q_text(a, "SELECT item FROM __base WHERE id = ?", "k4"));
	/* What each row says, read back. */
	assert_field(a, "todo", "k1", "qty", "-0.0005");
	assert_field(a, "todo", "k1", "createdAt", "2026-03-02T08:59:00.000Z");
	assert_field(a, "todo", "k2", "title", "first");
	assert_field(a, "todo", "k2", "qty", "0");
	assert_field(a, "todo", "k3", "title", NULL);
	assert_field(a, "todo", "k3", "version", NULL);
	assert_field(a, "todo", "k3", "done", "true");
	assert_field(a, "todo", "k5", "title", "caf\xc3\xa9 \xe2\x98\x95");
	assert_field(a, "todo", "k5", "qty", "100");
	free(fast);
	free(slow);
	dev_close(a);
	dev_close(b);
	w_close(w);
}

/* A server that answers nonsense never crashes the device, and a page it
** cannot apply changes nothing. */
static void
test_garbage_from_server(void **state)
{
	(void)state;
	world *w = w_open();
	seed(w, "todo", "{\"id\":\"r1\",\"title\":\"s\"}");
	dev *a = w_dev(w, "A", NULL, 0);
	sqlite3_int64 n;
	const char *pages[] = {
		"not json", "{\"results\":5}", "[{\"id\":5}]", "[7]",
		"[{\"id\":\"x\",\"updatedAt\":\"2026-03-02T09:00:00.000Z\","
		    "\"qty\":\"lots\"}]",
		"[{\"id\":\"x\",\"updatedAt\":\"yesterday\"}]",
		"[{\"id\":\"x\",\"updatedAt\":\"2026-03-02T09:00:00.000Z\","
		    "\"done\":\"no\"}]",
		"[{\"id\":\"x\",\"updatedAt\":\"2026-03-02T09:00:00.000Z\","
		    "\"editedAt\":\"soon\"}]",
		"[{\"id\":\"x\",\"updatedAt\":\"2026-03-02T09:00:00.000Z\","
		    "\"title\":tru}]",
		"[{\"id\":\"x\",\"updatedAt\":\"2026-03-02T09:00:00.000Z\"",
		"[{\"id\":\"x\",\"updatedAt\":\"2026-03-02T09:00:00.000Z\"},]",
		"[{}]", "[{\"id\":\"x\"", "[{\"updatedAt\":5,\"id\":\"x\"}]",
	};
	for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++) {
		unsigned char *b = snap(a, &n);
		w->fake_status = 200;
		w->fake_body = pages[i];
		assert_int_equal(pull(a, "todo", NULL), DEV_FAILED);
		assert_unchanged(a, b, n);
	}
	/* A 500 on a pull fails it; a 401 aborts it. */
	w->fake_status = 500;
	w->fake_body = "{\"error\":\"boom\"}";
	assert_int_equal(pull(a, "todo", NULL), DEV_FAILED);
	w->force401 = 1;
	assert_int_equal(pull(a, "todo", NULL), DEV_ABORTED);
	assert_int_equal(pull(a, "todo", NULL), DEV_OK);

	/* A 2xx with an unusable body: the op is done, the row is kept. */
	assert_int_equal(upd(a, "todo", "r1", "{\"title\":\"t\"}"), 0);
	w->fake_status = 200;
	w->fake_body = "[]";
	assert_int_equal(push(a, NULL), DEV_OK);
	assert_int_equal(dev_queue_len(a), 0);
	assert_field(a, "todo", "r1", "title", "t");
	/* A 500: an error row, the next operation still goes. */
	assert_int_equal(upd(a, "todo", "r1", "{\"title\":\"u\"}"), 0);
	assert_int_equal(ins(a, "todo", "{\"id\":\"r2\"}"), 0);
	w->fake_status = 500;
	w->fake_body = NULL;
	dev_push_result res;
	assert_int_equal(push(a, &res), DEV_CONFLICTS);
	assert_int_equal(res.errors, 1);
	assert_int_equal(res.succeeded, 1);
	assert_int_equal(q_int(a, "SELECT httpStatus FROM __errors", NULL), 500);
	/* A 412 whose body is not a row: server-wins fetches the row. */
	pol_table sw = { { POL_SERVER_WINS, NULL, 0, NULL, POL_NONE }, NULL, 0 };
	dev *s = w_dev(w, "S", &sw, 0);
	assert_int_equal(pull(s, "todo", NULL), DEV_OK);
	assert_int_equal(upd(s, "todo", "r2", "{\"title\":\"v\"}"), 0);
	w->fake_status = 412;
	w->fake_body = "{]";
	clear_log(w);
	assert_int_equal(push(s, NULL), DEV_OK);
	assert_string_equal(sb_str(&w->log),
	    "PATCH /tables/todo/r2 -> 412\n"
	    "GET /tables/todo/r2 -> 200\n");
	assert_field(s, "todo", "r2", "title", NULL);
	/* NULLs and nonsense through the API. */
	assert_int_equal(dev_insert(a, NULL, NULL, NULL), -1);
	assert_int_equal(dev_insert(a, "todo", NULL, NULL), -1);
	assert_int_equal(dev_resolve(a, "todo", "r1", NULL, NULL), -1);
	assert_int_equal(dev_resolve(a, NULL, NULL, NULL, NULL), -1);
	assert_null(dev_get_conflict(a, "todo", NULL));
	assert_null(dev_get_conflict(a, NULL, "r1"));
	assert_int_equal(dev_pull(a, "nosuch", NULL, NULL), DEV_FAILED);
	dev_close(a);
	dev_close(s);
	w_close(w);
}

static void
test_define_errors(void **state)
{
	(void)state;
	world *w = w_open();
	char err[256];
	dev_config cfg = { "X", NULL, NULL, 0, PROF_NET_LEGACY };
	dev_env env = { w_send, w_now, w_rand, w, NULL };
	dev *d = dev_open(&cfg, &env, NULL, err, sizeof err);
	assert_non_null(d);
	assert_string_equal(dev_cfg(d)->user, "X");
	assert_int_equal(dev_define(d, &todo_def, NULL, err, sizeof err), 0);
	assert_int_equal(dev_define(d, &todo_def, NULL, err, sizeof err), -1);
	tbl_def bad = { "__x", todo_cols, 4, 0 };
	assert_int_equal(dev_define(d, &bad, NULL, err, sizeof err), -1);
	pol_table nw = { { POL_NEWEST_EDIT_WINS, NULL, 0, "title", POL_NONE },
	    NULL, 0 };
	tbl_def t2 = { "t2", todo_cols, 4, 0 };
	/* A stamp must be a date (or string) column that exists. */
	nw.spec.stamp = "qty";
	assert_int_equal(dev_define(d, &t2, &nw, err, sizeof err), -1);
	pol_field f = { "nope", { POL_SERVER_WINS, NULL, 0, NULL, POL_NONE } };
	pol_table pf = { { POL_NONE, NULL, 0, NULL, POL_NONE }, &f, 1 };
	assert_int_equal(dev_define(d, &t2, &pf, err, sizeof err), -1);
	assert_int_equal(dev_ntables(d), 1);
	assert_string_equal(dev_table_at(d, 0)->name, "todo");
	assert_null(dev_table_at(d, 1));
	assert_int_equal(dev_policy(d, "todo")->spec.kind, POL_NONE);
	assert_null(dev_policy(d, "t2"));
	assert_string_equal(dev_name(d), "X");
	char *sp = q_text(d, "SELECT value FROM __config WHERE id = ?",
	    "systemProperties|todo");
	assert_non_null(sp);
	free(sp);
	/* No trace: events are simply not recorded. */
	assert_int_equal(ins(d, "todo", "{\"id\":\"r1\"}"), 0);
	assert_int_equal(ins(d, "todo", "{\"id\":\"r1\"}"), -1);
	assert_null(dev_get_conflict(d, "todo", "r1"));
	assert_null(dev_get_row(d, "nope", "r1"));
	dev_close(d);
	dev_close(NULL);
	w_close(w);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_collapse_after_insert),
		cmocka_unit_test(test_collapse_after_update),
		cmocka_unit_test(test_collapse_after_delete),
		cmocka_unit_test(test_local_write_errors),
		cmocka_unit_test(test_push_order_and_wire),
		cmocka_unit_test(test_push_request_shapes),
		cmocka_unit_test(test_abort_on_lost_request),
		cmocka_unit_test(test_lost_response_then_409),
		cmocka_unit_test(test_412_none_stays_queued),
		cmocka_unit_test(test_delete_404_and_hard_deletes),
		cmocka_unit_test(test_soft_deletes_reach_others),
		cmocka_unit_test(test_pull_paging_midpull_change),
		cmocka_unit_test(test_pull_skips_pending),
		cmocka_unit_test(test_pull_pushes_first),
		cmocka_unit_test(test_purge),
		cmocka_unit_test(test_policy_server_and_client_wins),
		cmocka_unit_test(test_policy_last_writer_wins),
		cmocka_unit_test(test_policy_merge_and_manual),
		cmocka_unit_test(test_policy_newest_edit_wins_skew),
		cmocka_unit_test(test_other_errors_continue),
		cmocka_unit_test(test_snapshot_restore),
		cmocka_unit_test(test_server_wins_discard),
		cmocka_unit_test(test_404_policies_discard),
		cmocka_unit_test(test_404_none_and_manual_stay),
		cmocka_unit_test(test_404_after_conflict),
		cmocka_unit_test(test_delete_conflicts),
		cmocka_unit_test(test_policy_precedence_device),
		cmocka_unit_test(test_random_runs),
		cmocka_unit_test(test_pull_scanner_matches_cjson),
		cmocka_unit_test(test_garbage_from_server),
		cmocka_unit_test(test_define_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
