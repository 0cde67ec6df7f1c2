/*
** test_dev.c: a device's store, local writes and collapse rules, push,
** pull and purge, against a real backend; the world is in dev_world.h.
*/
#include "tests/dev_world.h"

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
	sb err = SB_INIT;
	dev_config cfg = { "X", NULL, NULL, 0, PROF_NET_LEGACY };
	dev_env env = { w_send, w_now, w_rand, w, NULL };
	dev *d = dev_open(&cfg, &env, NULL, &err);
	assert_non_null(d);
	assert_string_equal(dev_cfg(d)->user, "X");
	assert_int_equal(dev_define(d, &todo_def, NULL, &err), 0);
	assert_int_equal(dev_define(d, &todo_def, NULL, &err), -1);
	tbl_def bad = { "__x", todo_cols, 4, 0 };
	assert_int_equal(dev_define(d, &bad, NULL, &err), -1);
	pol_table nw = { { POL_NEWEST_EDIT_WINS, NULL, 0, "title", POL_NONE },
	    NULL, 0 };
	tbl_def t2 = { "t2", todo_cols, 4, 0 };
	/* A stamp must be a date (or string) column that exists. */
	nw.spec.stamp = "qty";
	assert_int_equal(dev_define(d, &t2, &nw, &err), -1);
	pol_field f = { "nope", { POL_SERVER_WINS, NULL, 0, NULL, POL_NONE } };
	pol_table pf = { { POL_NONE, NULL, 0, NULL, POL_NONE }, &f, 1 };
	assert_int_equal(dev_define(d, &t2, &pf, &err), -1);
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
	sb_free(&err);
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
		cmocka_unit_test(test_pull_scanner_matches_cjson),
		cmocka_unit_test(test_garbage_from_server),
		cmocka_unit_test(test_define_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
