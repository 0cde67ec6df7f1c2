/*
** test_srv.c: the backend request by request: times and versions,
** names, routes, inserts, reads, updates, deletes and their conflicts, the
** deviations of srv.c's list, seeds, files, transactions and a fuzz; the
** requests are in srv_call.h.
*/
#include "tests/srv_call.h"

/* ------------------------------------------------------------------ */

static void
test_time_and_versions(void **state)
{
	char buf[32];
	int64_t ms;
	long long v;

	(void)state;
	wire_format_time(T0, buf);
	assert_string_equal(buf, "2026-03-02T09:00:00.000Z");
	wire_format_time(0, buf);
	assert_string_equal(buf, "1970-01-01T00:00:00.000Z");
	wire_format_time(-1, buf);
	assert_string_equal(buf, "1969-12-31T23:59:59.999Z");
	assert_int_equal(wire_parse_time("2026-11-27T14:40:37.125Z", &ms, NULL), 0);
	assert_true(ms == 1795790437125LL);
	assert_int_equal(wire_parse_time("2026-11-27T16:40:37.1250000+02:00",
	    &ms, NULL), 0);
	assert_true(ms == 1795790437125LL);
	assert_int_equal(wire_parse_time("2026-11-27T14:40:37.12599Z", &ms, NULL),
	    0);
	assert_true(ms == 1795790437125LL);
	assert_int_equal(wire_parse_time("2026-11-27T14:40Z", &ms, NULL), 0);
	assert_int_equal(wire_parse_time("2026-02-29T00:00:00Z", &ms, NULL), -1);
	assert_int_equal(wire_parse_time("2026-11-27T14:40:37.12345678Z", &ms, NULL),
	    -1);
	assert_int_equal(wire_parse_time("2026-11-27 14:40:37Z", &ms, NULL), -1);
	assert_int_equal(wire_parse_time("2026-11-27T14:40:37", &ms, NULL), -1);
	assert_int_equal(wire_parse_time("", &ms, NULL), -1);

	wire_version_b64(1, buf);
	assert_string_equal(buf, "MQ==");
	wire_version_b64(2, buf);
	assert_string_equal(buf, "Mg==");
	wire_version_b64(10, buf);
	assert_string_equal(buf, "MTA=");
	wire_version_b64(11, buf);
	assert_string_equal(buf, "MTE=");
	wire_version_b64(123, buf);
	assert_string_equal(buf, "MTIz");
	assert_int_equal(wire_version_parse("MTA=", &v), 0);
	assert_true(v == 10);
	for (long long i = 1; i < 5000; i += 7) {
		wire_version_b64(i, buf);
		assert_int_equal(wire_version_parse(buf, &v), 0);
		assert_true(v == i);
	}
	assert_int_equal(wire_version_parse("*", &v), -1);
	assert_int_equal(wire_version_parse("", &v), -1);
	assert_int_equal(wire_version_parse("MQ=", &v), -1);
	assert_int_equal(wire_version_parse("YWJj", &v), -1);	/* "abc" */
	assert_int_equal(wire_version_parse("MDE=", &v), -1);	/* "01" */
	assert_int_equal(wire_version_parse("MR==", &v), -1);	/* bad bits */
}

static void
test_idents_and_define(void **state)
{
	sb err = SB_INIT;
	srv *s;

	(void)state;
	assert_true(tbl_valid_ident("todoitem"));
	assert_true(tbl_valid_ident("_x1"));
	assert_false(tbl_valid_ident("__x"));
	assert_false(tbl_valid_ident("1x"));
	assert_false(tbl_valid_ident("a-b"));
	assert_false(tbl_valid_ident("a\"b"));
	assert_false(tbl_valid_ident(""));
	assert_false(tbl_valid_ident("id"));
	assert_false(tbl_valid_ident("Version"));
	assert_false(tbl_valid_ident("sqlite_master"));
	assert_false(tbl_valid_ident("x; DROP TABLE t"));
	assert_true(tbl_valid_ident(
	    "a23456789012345678901234567890123456789012345678901234567890123"));
	assert_false(tbl_valid_ident(
	    "a234567890123456789012345678901234567890123456789012345678901234"));

	s = open_srv(1);
	tbl_col bad[] = { { "ok", TBL_STRING }, { "x\"y", TBL_STRING } };
	tbl_def d = { "other", bad, 2, 0 };
	assert_int_equal(srv_define(s, &d, &err), -1);
	assert_non_null(strstr(sb_str(&err), "x\"y"));
	tbl_col dup[] = { { "a", TBL_STRING }, { "A", TBL_NUMBER } };
	tbl_def d2 = { "other", dup, 2, 0 };
	assert_int_equal(srv_define(s, &d2, &err), -1);
	tbl_def d3 = { "bad name", NULL, 0, 0 };
	assert_int_equal(srv_define(s, &d3, &err), -1);
	/* The same definition again is fine; a different one is not. */
	tbl_def same = { "todoitem", (tbl_col *)todo_cols, 4, 1 };
	assert_int_equal(srv_define(s, &same, &err), 0);
	tbl_def diff = { "todoitem", (tbl_col *)todo_cols, 3, 1 };
	assert_int_equal(srv_define(s, &diff, &err), -1);
	assert_int_equal(srv_ntables(s), 2);
	assert_string_equal(srv_table_at(s, 0)->name, "todoitem");
	assert_int_equal(srv_table_at(s, 0)->ncols, 4);
	assert_true(srv_table_at(s, 0)->soft_delete);
	assert_null(srv_table_at(s, 2));
	assert_non_null(srv_table(s, "note"));
	assert_null(srv_table(s, "nope"));
	srv_close(s);
	sb_free(&err);
}

static void
test_api_version(void **state)
{
	srv *s = open_srv(1);
	http_resp r = { 0 };
	http_req q;

	(void)state;
	http_req_init(&q, "GET", "/tables/todoitem", NULL);
	srv_handle(s, &q, T0, 1, &r);
	assert_error_has(&r, 400, "ZUMO-API-VERSION");
	http_req_free(&q);

	/* Header names are case-insensitive. */
	http_req_init(&q, "GET", "/tables/todoitem", NULL);
	http_req_add_header(&q, "zumo-api-version", "2.0.0");
	srv_handle(s, &q, T0, 1, &r);
	assert_int_equal(r.status, 200);
	http_req_free(&q);

	/* The query parameter works too. */
	http_req_init(&q, "GET", "/tables/todoitem", "ZUMO-API-VERSION=2.0.0");
	srv_handle(s, &q, T0, 1, &r);
	assert_int_equal(r.status, 200);
	http_req_free(&q);

	/* 3.0.0, the Datasync client's, as a Datasync server takes it. */
	http_req_init(&q, "GET", "/tables/todoitem", NULL);
	http_req_add_header(&q, "ZUMO-API-VERSION", "3.0.0");
	srv_handle(s, &q, T0, 1, &r);
	assert_int_equal(r.status, 200);
	http_req_free(&q);

	http_req_init(&q, "GET", "/tables/todoitem", NULL);
	http_req_add_header(&q, "ZUMO-API-VERSION", "1.0.0");
	srv_handle(s, &q, T0, 1, &r);
	assert_error_has(&r, 400, "2.0.0");
	http_req_free(&q);
	http_resp_free(&r);
	srv_close(s);
}

static void
test_routes(void **state)
{
	srv *s = open_srv(1);
	http_resp r = { 0 };

	(void)state;
	assert_int_equal(call(s, &r, "GET", "/tables/nope", NULL, NULL, NULL,
	    T0), 404);
	assert_error_has(&r, 404, "nope");
	assert_int_equal(call(s, &r, "GET", "/api/x", NULL, NULL, NULL, T0),
	    404);
	assert_int_equal(call(s, &r, "GET", "/tables/", NULL, NULL, NULL, T0),
	    404);
	assert_int_equal(call(s, &r, "OPTIONS", "/tables/todoitem/1", NULL,
	    "{}", NULL, T0), 405);
	assert_string_equal(http_resp_header(&r, "Allow"),
	    "GET, POST, PATCH, PUT, DELETE");
	assert_error_has(&r, 405, "OPTIONS");
	assert_int_equal(call(s, &r, "PUT", "/tables/todoitem", NULL, "{}",
	    NULL, T0), 405);
	assert_string_equal(http_resp_header(&r, "Allow"), "GET, POST");
	assert_int_equal(call(s, &r, "PATCH", "/tables/todoitem", NULL,
	    "{\"text\":\"a\"}", NULL, T0), 405);
	assert_string_equal(http_resp_header(&r, "Allow"), "GET, POST");
	assert_int_equal(call(s, &r, "DELETE", "/tables/todoitem", NULL, NULL,
	    NULL, T0), 405);
	/* A trailing slash is the collection. */
	assert_int_equal(call(s, &r, "GET", "/tables/todoitem/", NULL, NULL,
	    NULL, T0), 200);
	/* Table names match case-insensitively, as Express routes do. */
	assert_int_equal(call(s, &r, "GET", "/tables/TodoItem", NULL, NULL,
	    NULL, T0), 200);
	http_resp_free(&r);
	srv_close(s);
}

/* POST /tables/T without id: 201, uuid v4, ETag "MQ==", the full row. */
static void
test_post_without_id(void **state)
{
	srv *s = open_srv(1);
	http_resp r = { 0 };
	cJSON *j;
	char uuid[37];

	(void)state;
	assert_int_equal(call(s, &r, "POST", "/tables/todoitem", NULL,
	    "{\"text\":\"milk\"}", NULL, T0), 201);
	assert_string_equal(http_resp_header(&r, "ETag"), "\"MQ==\"");
	assert_non_null(strstr(http_resp_header(&r, "Content-Type"), "json"));
	j = body_of(&r);
	rng_uuid4(42, uuid);
	assert_string_equal(jstr(j, "id"), uuid);
	assert_int_equal(strlen(uuid), 36);
	assert_int_equal(uuid[14], '4');
	assert_string_equal(jstr(j, "text"), "milk");
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(j, "complete")));
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(j, "count")));
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(j, "due")));
	assert_string_equal(jstr(j, "createdAt"), "2026-03-02T09:00:00.000Z");
	assert_string_equal(jstr(j, "updatedAt"), "2026-03-02T09:00:00.000Z");
	assert_string_equal(jstr(j, "version"), "MQ==");
	assert_true(cJSON_IsFalse(cJSON_GetObjectItem(j, "deleted")));
	assert_int_equal(cJSON_GetArraySize(j), 9);
	cJSON_Delete(j);

	/* Typed values come back typed; dates normalised to UTC. */
	assert_int_equal(call(s, &r, "POST", "/tables/todoitem", NULL,
	    "{\"id\":null,\"text\":\"eggs\",\"complete\":true,\"count\":12,"
	    "\"due\":\"2026-03-02T11:00:00+02:00\"}", NULL, T0), 201);
	j = body_of(&r);
	assert_non_null(jstr(j, "id"));
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(j, "complete")));
	assert_true(cJSON_GetObjectItem(j, "count")->valuedouble == 12);
	assert_non_null(strstr(r.body, "\"count\":12,"));
	assert_string_equal(jstr(j, "due"), "2026-03-02T09:00:00.000Z");
	cJSON_Delete(j);
	/* Non-integral numbers keep their fraction. */
	assert_int_equal(call(s, &r, "POST", "/tables/todoitem", NULL,
	    "{\"count\":2.5}", NULL, T0), 201);
	assert_non_null(strstr(r.body, "\"count\":2.5,"));
	http_resp_free(&r);
	srv_close(s);
}

/* POST with a client id: kept as given, any string. */
static void
test_post_client_id(void **state)
{
	srv *s = open_srv(1);
	http_resp r = { 0 };
	cJSON *j;

	(void)state;
	assert_int_equal(call(s, &r, "POST", "/tables/todoitem", NULL,
	    "{\"id\":\"my id/\xc3\xa9\",\"text\":\"a\"}", NULL, T0), 201);
	j = body_of(&r);
	assert_string_equal(jstr(j, "id"), "my id/\xc3\xa9");
	cJSON_Delete(j);
	/* And it can be read back by that id (the path is decoded). */
	assert_int_equal(call(s, &r, "GET", "/tables/todoitem/my id/\xc3\xa9",
	    NULL, NULL, NULL, T0), 200);
	http_resp_free(&r);
	srv_close(s);
}

/* POST with an existing id (live or soft-deleted): 409 echoing the
** client's own request. */
static void
test_post_existing_id(void **state)
{
	srv *s = open_srv(1);
	http_resp r = { 0 };
	cJSON *j;

	(void)state;
	put_row(s, "a", "server", T0);
	assert_int_equal(call(s, &r, "POST", "/tables/todoitem", NULL,
	    "{\"id\":\"a\",\"text\":\"client\"}", NULL, T0 + 5), 409);
	j = body_of(&r);
	assert_string_equal(jstr(j, "text"), "client");
	assert_null(cJSON_GetObjectItem(j, "version"));
	assert_null(http_resp_header(&r, "ETag"));
	cJSON_Delete(j);
	/* Soft-deleted: still a conflict. */
	assert_int_equal(call(s, &r, "DELETE", "/tables/todoitem/a", NULL, NULL,
	    NULL, T0 + 6), 200);
	assert_int_equal(call(s, &r, "POST", "/tables/todoitem", NULL,
	    "{\"id\":\"a\",\"text\":\"again\"}", NULL, T0 + 7), 409);
	j = body_of(&r);
	assert_string_equal(jstr(j, "text"), "again");
	cJSON_Delete(j);
	http_resp_free(&r);
	srv_close(s);
}

/* A body with createdAt, updatedAt or deleted: 400, on insert and PATCH. */
static void
test_reserved(void **state)
{
	srv *s = open_srv(1);
	http_resp r = { 0 };
	const char *names[] = { "createdAt", "updatedAt", "deleted" };
	char body[128], msg[128];

	(void)state;
	put_row(s, "a", "x", T0);
	for (int i = 0; i < 3; i++) {
		snprintf(body, sizeof body, "{\"text\":\"a\",\"%s\":%s}",
		    names[i], i == 2 ? "false" : "\"2026-01-01T00:00:00Z\"");
		snprintf(msg, sizeof msg, "Cannot update item with property "
		    "'%s' as it is reserved", names[i]);
		call(s, &r, "POST", "/tables/todoitem", NULL, body, NULL, T0);
		assert_error(&r, 400, msg);
		call(s, &r, "PATCH", "/tables/todoitem/a", NULL, body, NULL,
		    T0);
		assert_error(&r, 400, msg);
	}
	http_resp_free(&r);
	srv_close(s);
}

/* GET by id: 200 + ETag; 404 missing or soft-deleted, even with
** __includeDeleted. */
static void
test_get_by_id(void **state)
{
	srv *s = open_srv(1);
	http_resp r = { 0 };
	cJSON *j;

	(void)state;
	put_row(s, "a", "x", T0);
	assert_int_equal(call(s, &r, "GET", "/tables/todoitem/a", NULL, NULL,
	    NULL, T0), 200);
	assert_string_equal(http_resp_header(&r, "ETag"), "\"MQ==\"");
	j = body_of(&r);
	assert_string_equal(jstr(j, "text"), "x");
	cJSON_Delete(j);
	call(s, &r, "GET", "/tables/todoitem/zz", NULL, NULL, NULL, T0);
	assert_error(&r, 404, "The item does not exist");
	call(s, &r, "DELETE", "/tables/todoitem/a", NULL, NULL, NULL, T0);
	call(s, &r, "GET", "/tables/todoitem/a", NULL, NULL, NULL, T0);
	assert_error(&r, 404, "The item does not exist");
	call(s, &r, "GET", "/tables/todoitem/a", "__includeDeleted=true", NULL,
	    NULL, T0);
	assert_error(&r, 404, "The item does not exist");
	http_resp_free(&r);
	srv_close(s);
}

/* PATCH with the current If-Match: 200, version+1, the new row. */
static void
test_patch_current(void **state)
{
	srv *s = open_srv(1);
	http_resp r = { 0 };
	cJSON *j;

	(void)state;
	put_row(s, "a", "x", T0);
	assert_int_equal(call(s, &r, "PATCH", "/tables/todoitem/a", NULL,
	    "{\"text\":\"y\",\"count\":3}", "\"MQ==\"", T0 + 1000), 200);
	assert_string_equal(http_resp_header(&r, "ETag"), "\"Mg==\"");
	j = body_of(&r);
	assert_string_equal(jstr(j, "text"), "y");
	assert_string_equal(jstr(j, "version"), "Mg==");
	assert_string_equal(jstr(j, "createdAt"), "2026-03-02T09:00:00.000Z");
	assert_string_equal(jstr(j, "updatedAt"), "2026-03-02T09:00:01.000Z");
	assert_true(cJSON_GetObjectItem(j, "count")->valuedouble == 3);
	cJSON_Delete(j);
	/* If-Match without quotes is accepted too. */
	assert_int_equal(call(s, &r, "PATCH", "/tables/todoitem/a", NULL,
	    "{\"complete\":false}", "Mg==", T0 + 2000), 200);
	assert_string_equal(http_resp_header(&r, "ETag"), "\"Mw==\"");
	/* Columns not in the body keep their values. */
	j = body_of(&r);
	assert_string_equal(jstr(j, "text"), "y");
	assert_true(cJSON_IsFalse(cJSON_GetObjectItem(j, "complete")));
	cJSON_Delete(j);
	/* A body id equal to the URL id and the current version in the body
	** are fine. */
	assert_int_equal(call(s, &r, "PATCH", "/tables/todoitem/a", NULL,
	    "{\"id\":\"a\",\"version\":\"Mw==\",\"text\":\"z\"}", NULL,
	    T0 + 3000), 200);
	/* A null clears a column. */
	assert_int_equal(call(s, &r, "PATCH", "/tables/todoitem/a", NULL,
	    "{\"text\":null}", NULL, T0 + 3000), 200);
	j = body_of(&r);
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(j, "text")));
	cJSON_Delete(j);
	http_resp_free(&r);
	srv_close(s);
}

/* Every UPDATE adds 1, even one that changes nothing: 10 is "MTA=". */
static void
test_version_counter(void **state)
{
	srv *s = open_srv(1);
	http_resp r = { 0 };
	cJSON *j;

	(void)state;
	put_row(s, "a", "x", T0);
	for (int i = 0; i < 9; i++)
		assert_int_equal(call(s, &r, "PATCH", "/tables/todoitem/a",
		    NULL, "{\"text\":\"x\"}", NULL, T0 + i + 1), 200);
	assert_string_equal(http_resp_header(&r, "ETag"), "\"MTA=\"");
	j = body_of(&r);
	assert_string_equal(jstr(j, "version"), "MTA=");
	assert_string_equal(jstr(j, "updatedAt"), "2026-03-02T09:00:00.009Z");
	cJSON_Delete(j);
	assert_int_equal(call(s, &r, "PATCH", "/tables/todoitem/a", NULL,
	    "{\"text\":\"x\"}", "\"MTA=\"", T0 + 20), 200);
	assert_string_equal(http_resp_header(&r, "ETag"), "\"MTE=\"");
	http_resp_free(&r);
	srv_close(s);
}

/* PATCH with a stale If-Match: 412, the current server row, its ETag. */
static void
test_patch_stale_ifmatch(void **state)
{
	srv *s = open_srv(1);
	http_resp r = { 0 };
	cJSON *j;

	(void)state;
	put_row(s, "a", "x", T0);
	call(s, &r, "PATCH", "/tables/todoitem/a", NULL, "{\"text\":\"srv\"}",
	    NULL, T0 + 1);
	assert_int_equal(call(s, &r, "PATCH", "/tables/todoitem/a", NULL,
	    "{\"text\":\"client\"}", "\"MQ==\"", T0 + 2), 412);
	assert_string_equal(http_resp_header(&r, "ETag"), "\"Mg==\"");
	j = body_of(&r);
	assert_string_equal(jstr(j, "text"), "srv");
	assert_string_equal(jstr(j, "version"), "Mg==");
	assert_string_equal(jstr(j, "id"), "a");
	cJSON_Delete(j);
	/* If-Match wins over a (current) body version. */
	assert_int_equal(call(s, &r, "PATCH", "/tables/todoitem/a", NULL,
	    "{\"text\":\"c\",\"version\":\"Mg==\"}", "\"MQ==\"", T0 + 3), 412);
	/* A weak ETag form names the same version. */
	assert_int_equal(call(s, &r, "PATCH", "/tables/todoitem/a", NULL,
	    "{\"text\":\"c\"}", "W/\"MQ==\"", T0 + 3), 412);
	/* "*" is no wildcard: compared literally, it gives 412. */
	assert_int_equal(call(s, &r, "PATCH", "/tables/todoitem/a", NULL,
	    "{\"text\":\"c\"}", "*", T0 + 3), 412);
	/* Nothing was written by the refused requests. */
	j = srv_get_row(s, "todoitem", "a");
	assert_string_equal(jstr(j, "text"), "srv");
	assert_string_equal(jstr(j, "version"), "Mg==");
	cJSON_Delete(j);
	http_resp_free(&r);
	srv_close(s);
}

/* PUT, the Datasync server's replace: the body's values, null where a
** column is absent; the same version checks as PATCH; 404 when gone. */
static void
test_put_replace(void **state)
{
	srv *s = open_srv(1);
	http_resp r = { 0 };
	cJSON *j;

	(void)state;
	put_row(s, "a", "x", T0);
	assert_int_equal(call(s, &r, "PATCH", "/tables/todoitem/a", NULL,
	    "{\"complete\":true}", "\"MQ==\"", T0 + 1), 200);
	/* The whole row, complete left out: it becomes null. */
	assert_int_equal(call(s, &r, "PUT", "/tables/todoitem/a", NULL,
	    "{\"id\":\"a\",\"text\":\"new\"}", "\"Mg==\"", T0 + 2), 200);
	assert_string_equal(http_resp_header(&r, "ETag"), "\"Mw==\"");
	j = body_of(&r);
	assert_string_equal(jstr(j, "text"), "new");
	assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(j,
	    "complete")));
	cJSON_Delete(j);
	/* A stale If-Match: 412 with the server's row, nothing written. */
	assert_int_equal(call(s, &r, "PUT", "/tables/todoitem/a", NULL,
	    "{\"id\":\"a\",\"text\":\"stale\"}", "\"Mg==\"", T0 + 3), 412);
	j = body_of(&r);
	assert_string_equal(jstr(j, "text"), "new");
	cJSON_Delete(j);
	/* An empty body is a replace too: every column null. */
	assert_int_equal(call(s, &r, "PUT", "/tables/todoitem/a", NULL, "{}",
	    NULL, T0 + 4), 200);
	j = srv_get_row(s, "todoitem", "a");
	assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(j, "text")));
	cJSON_Delete(j);
	assert_int_equal(call(s, &r, "PUT", "/tables/todoitem/a", NULL,
	    "{\"id\":\"b\"}", NULL, T0 + 5), 400);
	assert_int_equal(call(s, &r, "PUT", "/tables/todoitem/nope", NULL,
	    "{\"text\":\"x\"}", NULL, T0 + 5), 404);
	assert_int_equal(call(s, &r, "DELETE", "/tables/todoitem/a", NULL,
	    NULL, NULL, T0 + 6), 200);
	assert_int_equal(call(s, &r, "PUT", "/tables/todoitem/a", NULL,
	    "{\"text\":\"x\"}", NULL, T0 + 7), 404);
	http_resp_free(&r);
	srv_close(s);
}

/* PATCH with a stale version in the body and no If-Match: 409. */
static void
test_patch_stale_body_version(void **state)
{
	srv *s = open_srv(1);
	http_resp r = { 0 };
	cJSON *j;

	(void)state;
	put_row(s, "a", "x", T0);
	call(s, &r, "PATCH", "/tables/todoitem/a", NULL, "{\"text\":\"srv\"}",
	    NULL, T0 + 1);
	assert_int_equal(call(s, &r, "PATCH", "/tables/todoitem/a", NULL,
	    "{\"text\":\"client\",\"version\":\"MQ==\"}", NULL, T0 + 2), 409);
	assert_string_equal(http_resp_header(&r, "ETag"), "\"Mg==\"");
	j = body_of(&r);
	assert_string_equal(jstr(j, "text"), "srv");
	assert_string_equal(jstr(j, "version"), "Mg==");
	cJSON_Delete(j);
	http_resp_free(&r);
	srv_close(s);
}

/* PATCH with no version at all: 200, last writer wins. */
static void
test_patch_no_version(void **state)
{
	srv *s = open_srv(1);
	http_resp r = { 0 };
	cJSON *j;

	(void)state;
	put_row(s, "a", "x", T0);
	call(s, &r, "PATCH", "/tables/todoitem/a", NULL, "{\"text\":\"one\"}",
	    NULL, T0 + 1);
	assert_int_equal(call(s, &r, "PATCH", "/tables/todoitem/a", NULL,
	    "{\"text\":\"two\"}", NULL, T0 + 2), 200);
	j = body_of(&r);
	assert_string_equal(jstr(j, "text"), "two");
	assert_string_equal(jstr(j, "version"), "Mw==");
	cJSON_Delete(j);
	http_resp_free(&r);
	srv_close(s);
}

/* PATCH and DELETE of a soft-deleted or missing row: 404. */
static void
test_patch_delete_missing(void **state)
{
	srv *s = open_srv(1);
	http_resp r = { 0 };

	(void)state;
	call(s, &r, "PATCH", "/tables/todoitem/none", NULL, "{\"text\":\"a\"}",
	    NULL, T0);
	assert_error(&r, 404, "The item does not exist");
	call(s, &r, "DELETE", "/tables/todoitem/none", NULL, NULL, NULL, T0);
	assert_error(&r, 404, "The item does not exist");
	put_row(s, "a", "x", T0);
	call(s, &r, "DELETE", "/tables/todoitem/a", NULL, NULL, NULL, T0 + 1);
	call(s, &r, "PATCH", "/tables/todoitem/a", NULL, "{\"text\":\"a\"}",
	    NULL, T0 + 2);
	assert_error(&r, 404, "The item does not exist");
	call(s, &r, "PATCH", "/tables/todoitem/a", NULL, "{\"text\":\"a\"}",
	    "\"Mg==\"", T0 + 2);
	assert_error(&r, 404, "The item does not exist");
	/* Deleting an already soft-deleted row: 404, as observed. */
	call(s, &r, "DELETE", "/tables/todoitem/a", NULL, NULL, NULL, T0 + 3);
	assert_error(&r, 404, "The item does not exist");
	call(s, &r, "DELETE", "/tables/todoitem/a", NULL, NULL, "\"Mg==\"",
	    T0 + 3);
	assert_error(&r, 404, "The item does not exist");
	http_resp_free(&r);
	srv_close(s);
}

/* PATCH whose body id differs from the URL id: 400. */
static void
test_patch_id_mismatch(void **state)
{
	srv *s = open_srv(1);
	http_resp r = { 0 };

	(void)state;
	put_row(s, "a", "x", T0);
	call(s, &r, "PATCH", "/tables/todoitem/a", NULL,
	    "{\"id\":\"b\",\"text\":\"y\"}", NULL, T0);
	assert_error_has(&r, 400, "querystring ID did not match");
	call(s, &r, "PATCH", "/tables/todoitem/a", NULL,
	    "{\"id\":5,\"text\":\"y\"}", NULL, T0);
	assert_error_has(&r, 400, "id");
	http_resp_free(&r);
	srv_close(s);
}

/* DELETE with the current or no If-Match (soft delete on): 200, the row
** with deleted: true, version+1, updatedAt bumped. */
static void
test_delete_soft(void **state)
{
	srv *s = open_srv(1);
	http_resp r = { 0 };
	cJSON *j;

	(void)state;
	put_row(s, "a", "x", T0);
	put_row(s, "b", "y", T0);
	assert_int_equal(call(s, &r, "DELETE", "/tables/todoitem/a", NULL,
	    NULL, "\"MQ==\"", T0 + 500), 200);
	assert_string_equal(http_resp_header(&r, "ETag"), "\"Mg==\"");
	j = body_of(&r);
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(j, "deleted")));
	assert_string_equal(jstr(j, "version"), "Mg==");
	assert_string_equal(jstr(j, "updatedAt"), "2026-03-02T09:00:00.500Z");
	assert_string_equal(jstr(j, "createdAt"), "2026-03-02T09:00:00.000Z");
	assert_string_equal(jstr(j, "text"), "x");
	cJSON_Delete(j);
	assert_int_equal(call(s, &r, "DELETE", "/tables/todoitem/b", NULL,
	    NULL, NULL, T0 + 600), 200);
	/* The row stays in the database, marked deleted. */
	j = srv_get_row(s, "todoitem", "b");
	assert_non_null(j);
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(j, "deleted")));
	cJSON_Delete(j);
	http_resp_free(&r);
	srv_close(s);
}

/* DELETE with a stale If-Match: 412 + the current server row. */
static void
test_delete_stale(void **state)
{
	srv *s = open_srv(1);
	http_resp r = { 0 };
	cJSON *j;

	(void)state;
	put_row(s, "a", "x", T0);
	call(s, &r, "PATCH", "/tables/todoitem/a", NULL, "{\"text\":\"srv\"}",
	    NULL, T0 + 1);
	assert_int_equal(call(s, &r, "DELETE", "/tables/todoitem/a", NULL,
	    NULL, "\"MQ==\"", T0 + 2), 412);
	assert_string_equal(http_resp_header(&r, "ETag"), "\"Mg==\"");
	j = body_of(&r);
	assert_string_equal(jstr(j, "text"), "srv");
	assert_true(cJSON_IsFalse(cJSON_GetObjectItem(j, "deleted")));
	cJSON_Delete(j);
	http_resp_free(&r);
	srv_close(s);
}

/* Soft delete off: a hard DELETE answering with the deleted row. */
static void
test_delete_hard(void **state)
{
	srv *s = open_srv(0);
	http_resp r = { 0 };
	cJSON *j;

	(void)state;
	put_row(s, "a", "x", T0);
	assert_int_equal(call(s, &r, "DELETE", "/tables/todoitem/a", NULL,
	    NULL, NULL, T0 + 1), 200);
	/* The row as it was: its version is not bumped. */
	assert_string_equal(http_resp_header(&r, "ETag"), "\"MQ==\"");
	j = body_of(&r);
	assert_string_equal(jstr(j, "text"), "x");
	assert_string_equal(jstr(j, "version"), "MQ==");
	cJSON_Delete(j);
	assert_null(srv_get_row(s, "todoitem", "a"));
	call(s, &r, "GET", "/tables/todoitem", "__includeDeleted=true", NULL,
	    NULL, T0 + 2);
	assert_string_equal(r.body, "[]");
	call(s, &r, "DELETE", "/tables/todoitem/a", NULL, NULL, NULL, T0 + 3);
	assert_error(&r, 404, "The item does not exist");
	/* Stale If-Match on a hard-delete table: 412, row kept. */
	put_row(s, "b", "y", T0);
	assert_int_equal(call(s, &r, "DELETE", "/tables/todoitem/b", NULL,
	    NULL, "\"Mg==\"", T0 + 4), 412);
	j = srv_get_row(s, "todoitem", "b");
	assert_non_null(j);
	cJSON_Delete(j);
	/* The id is free again after a hard delete. */
	put_row(s, "a", "new", T0 + 5);
	http_resp_free(&r);
	srv_close(s);
}

/* POST /tables/T/id (undelete): 201, deleted false, version+1; stale If-Match
** gives 412. */
static void
test_undelete(void **state)
{
	srv *s = open_srv(1);
	http_resp r = { 0 };
	cJSON *j;

	(void)state;
	put_row(s, "a", "x", T0);
	call(s, &r, "DELETE", "/tables/todoitem/a", NULL, NULL, NULL, T0 + 1);
	assert_int_equal(call(s, &r, "POST", "/tables/todoitem/a", NULL, NULL,
	    "\"MQ==\"", T0 + 2), 412);
	assert_string_equal(http_resp_header(&r, "ETag"), "\"Mg==\"");
	j = body_of(&r);
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(j, "deleted")));
	cJSON_Delete(j);
	assert_int_equal(call(s, &r, "POST", "/tables/todoitem/a", NULL, NULL,
	    "\"Mg==\"", T0 + 3), 201);
	assert_string_equal(http_resp_header(&r, "ETag"), "\"Mw==\"");
	j = body_of(&r);
	assert_true(cJSON_IsFalse(cJSON_GetObjectItem(j, "deleted")));
	assert_string_equal(jstr(j, "version"), "Mw==");
	assert_string_equal(jstr(j, "updatedAt"), "2026-03-02T09:00:00.003Z");
	cJSON_Delete(j);
	assert_int_equal(call(s, &r, "GET", "/tables/todoitem/a", NULL, NULL,
	    NULL, T0 + 4), 200);
	call(s, &r, "POST", "/tables/todoitem/zz", NULL, NULL, NULL, T0 + 5);
	assert_error(&r, 404, "The item does not exist");
	/* A body holding the client's whole item: only its version counts. */
	call(s, &r, "DELETE", "/tables/todoitem/a", NULL, NULL, NULL, T0 + 6);
	assert_int_equal(call(s, &r, "POST", "/tables/todoitem/a", NULL,
	    "{\"id\":\"a\",\"text\":\"x\",\"deleted\":true,"
	    "\"createdAt\":\"2026-03-02T09:00:00.000Z\",\"version\":\"Mw==\"}",
	    NULL, T0 + 7), 409);
	j = body_of(&r);
	assert_string_equal(jstr(j, "version"), "NA==");
	cJSON_Delete(j);
	assert_int_equal(call(s, &r, "POST", "/tables/todoitem/a", NULL,
	    "{\"id\":\"a\",\"deleted\":true,\"version\":\"NA==\"}", NULL,
	    T0 + 8), 201);
	call(s, &r, "POST", "/tables/todoitem/a", NULL, "[1]", NULL, T0 + 9);
	assert_error_has(&r, 400, "JSON object");
	http_resp_free(&r);
	srv_close(s);
}

/* The defects of the reference, each answered with a clear 400. */
static void
test_defects_400(void **state)
{
	srv *s = open_srv(1);
	http_resp r = { 0 };
	cJSON *j;
	static const struct {
		const char *method, *path, *query, *body, *part;
	} cases[] = {
		{ "PATCH", "/tables/todoitem/a", NULL, "{}", "no column" },
		{ "PATCH", "/tables/todoitem/a", NULL, "{\"id\":\"a\"}",
		    "no column" },
		{ "POST", "/tables/todoitem", NULL, "{\"colour\":\"red\"}",
		    "Unknown column 'colour'" },
		{ "PATCH", "/tables/todoitem/a", NULL, "{\"colour\":1}",
		    "Unknown column 'colour'" },
		{ "POST", "/tables/todoitem", NULL, "{\"count\":\"abc\"}",
		    "Column 'count' expects a number" },
		{ "POST", "/tables/todoitem", NULL, "{\"complete\":\"false\"}",
		    "Column 'complete' expects a boolean" },
		{ "PATCH", "/tables/todoitem/a", NULL, "{\"complete\":0}",
		    "Column 'complete' expects a boolean" },
		{ "POST", "/tables/todoitem", NULL, "{\"text\":5}",
		    "Column 'text' expects a string" },
		{ "POST", "/tables/todoitem", NULL, "{\"due\":\"tomorrow\"}",
		    "Column 'due' expects an ISO-8601 date" },
		{ "POST", "/tables/todoitem", NULL,
		    "{\"text\":\"a\",\"version\":\"MQ==\"}", "version" },
		{ "POST", "/tables/todoitem", NULL, "{\"text\":", "line 1" },
		{ "POST", "/tables/todoitem", NULL, "{\"text\":\"a\"} x",
		    "Malformed JSON" },
		{ "POST", "/tables/todoitem", NULL, "{\"a\":1,\n\"b\" 2}",
		    "line 2, column 5" },
		{ "POST", "/tables/todoitem", NULL,
		    "{\"text\":\"a\",\"text\":\"b\"}", "twice" },
		{ "POST", "/tables/todoitem", NULL, "{\"text\":\"\xff\"}",
		    "UTF-8" },
		{ "POST", "/tables/todoitem", NULL,
		    "{\"text\":\"a\\u0000b\"}", "NUL character" },
		{ "POST", "/tables/todoitem", NULL, "[{\"text\":\"a\"}]",
		    "must be a JSON object, not an array" },
		{ "POST", "/tables/todoitem", NULL, "\"text\"",
		    "must be a JSON object" },
		{ "POST", "/tables/todoitem", NULL, "", "JSON object" },
		{ "PATCH", "/tables/todoitem/a", NULL, "17",
		    "must be a JSON object, not a number" },
		{ "PATCH", "/tables/todoitem/a", NULL,
		    "{\"text\":\"a\",\"version\":\"nope\"}", "version" },
		{ "GET", "/tables/todoitem", "$filter=text%20eq", NULL, "position 8" },
		{ "GET", "/tables/todoitem", "$filter=colour%20eq%201", NULL,
		    "unknown column" },
		{ "GET", "/tables/todoitem", "$top=1.5", NULL, "$top must be a whole" },
		{ "GET", "/tables/todoitem", "$top=-1", NULL, "$top must be a whole" },
		{ "GET", "/tables/todoitem", "$skip=abc", NULL,
		    "$skip must be a whole" },
		{ "GET", "/tables/todoitem", "$skip=99999999999999999999", NULL,
		    "$skip must be a whole" },
		{ "GET", "/tables/todoitem", "$orderby=colour", NULL, "unknown" },
		{ "GET", "/tables/todoitem", "$select=text,colour", NULL, "unknown" },
	};

	(void)state;
	put_row(s, "a", "x", T0);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		call(s, &r, cases[i].method, cases[i].path, cases[i].query,
		    cases[i].body, NULL, T0);
		if (r.status != 400 || strstr(r.body, cases[i].part) == NULL)
			fail_msg("case %zu: %d %s", i, r.status, r.body);
		assert_error_has(&r, 400, cases[i].part);
	}
	/* The row was never touched by any of them. */
	j = srv_get_row(s, "todoitem", "a");
	assert_string_equal(jstr(j, "version"), "MQ==");
	cJSON_Delete(j);
	/* An escaped backslash before "u0000" is plain text. */
	assert_int_equal(call(s, &r, "POST", "/tables/todoitem", NULL,
	    "{\"id\":\"bs\",\"text\":\"a\\\\u0000b\"}", NULL, T0), 201);
	j = body_of(&r);
	assert_string_equal(jstr(j, "text"), "a\\u0000b");
	cJSON_Delete(j);
	/* A huge object is refused before any quadratic work. */
	{
		sb big = SB_INIT;
		sb_addc(&big, '{');
		for (int i = 0; i < 1001; i++)
			sb_addf(&big, "%s\"k%d\":1", i ? "," : "", i);
		sb_addc(&big, '}');
		call(s, &r, "POST", "/tables/todoitem", NULL, sb_str(&big),
		    NULL, T0);
		assert_error_has(&r, 400, "more than 1000 properties");
		sb_free(&big);
	}
	/* A null version on insert is accepted and ignored. */
	assert_int_equal(call(s, &r, "POST", "/tables/todoitem", NULL,
	    "{\"id\":\"v\",\"version\":null}", NULL, T0), 201);
	http_resp_free(&r);
	srv_close(s);
}


/* srv_seed inserts exactly as an insert at now_ms would. */
static void
test_seed(void **state)
{
	srv *s = open_srv(1);
	http_resp r = { 0 };
	sb err = SB_INIT;
	cJSON *row = cJSON_Parse("{\"id\":\"s1\",\"text\":\"seeded\","
	    "\"count\":2}");
	cJSON *a, *b;

	(void)state;
	assert_int_equal(srv_seed(s, "todoitem", row, T0, &err), 0);
	call(s, &r, "POST", "/tables/todoitem", NULL,
	    "{\"id\":\"s2\",\"text\":\"seeded\",\"count\":2}", NULL, T0);
	a = srv_get_row(s, "todoitem", "s1");
	b = body_of(&r);
	cJSON_ReplaceItemInObject(b, "id", cJSON_CreateString("s1"));
	assert_true(cJSON_Compare(a, b, 1));
	cJSON_Delete(a);
	cJSON_Delete(b);
	/* A second seed of the same id fails; so does a missing id or a
	** bad value, and an unknown table. */
	assert_int_equal(srv_seed(s, "todoitem", row, T0, &err), -1);
	assert_non_null(strstr(sb_str(&err), "already exists"));
	cJSON_Delete(row);
	row = cJSON_Parse("{\"text\":\"no id\"}");
	assert_int_equal(srv_seed(s, "todoitem", row, T0, &err), -1);
	cJSON_Delete(row);
	row = cJSON_Parse("{\"id\":\"z\",\"count\":\"x\"}");
	assert_int_equal(srv_seed(s, "todoitem", row, T0, &err), -1);
	assert_non_null(strstr(sb_str(&err), "count"));
	assert_int_equal(srv_seed(s, "nope", row, T0, &err), -1);
	cJSON_Delete(row);
	assert_null(srv_get_row(s, "todoitem", "z"));
	assert_null(srv_get_row(s, "nope", "s1"));
	http_resp_free(&r);
	srv_close(s);
	sb_free(&err);
}

/* A file database survives a reopen; the definition can be given again,
** and a new column is added to the existing table. */
static void
test_reopen_file(void **state)
{
	char path[] = "/tmp/synclab-srv-XXXXXX";
	sb err = SB_INIT;
	int fd = mkstemp(path);
	srv *s;
	cJSON *j;

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	s = srv_open(path, &err);
	assert_non_null(s);
	tbl_def def = { "todoitem", (tbl_col *)todo_cols, 3, 1 };
	assert_int_equal(srv_define(s, &def, &err), 0);
	put_row(s, "a", "kept", T0);
	srv_close(s);
	s = srv_open(path, &err);
	assert_non_null(s);
	def.ncols = 4;
	assert_int_equal(srv_define(s, &def, &err), 0);
	j = srv_get_row(s, "todoitem", "a");
	assert_non_null(j);
	assert_string_equal(jstr(j, "text"), "kept");
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(j, "due")));
	cJSON_Delete(j);
	srv_close(s);
	unlink(path);
	assert_null(srv_open("/nonexistent-dir/x/y.db", &err));
	assert_true(strlen(sb_str(&err)) > 0);
	sb_free(&err);
}

/* Writes inside a caller's transaction use a savepoint: a refused write
** leaves the caller's work alone. */
static void
test_nested_transaction(void **state)
{
	srv *s = open_srv(1);
	http_resp r = { 0 };

	(void)state;
	assert_int_equal(sqlite3_exec(srv_db(s), "BEGIN", NULL, NULL, NULL), 0);
	put_row(s, "a", "x", T0);
	call(s, &r, "POST", "/tables/todoitem", NULL, "{\"id\":\"a\"}", NULL,
	    T0);
	assert_int_equal(r.status, 409);
	assert_int_equal(call(s, &r, "PATCH", "/tables/todoitem/a", NULL,
	    "{\"text\":\"y\"}", NULL, T0), 200);
	assert_int_equal(sqlite3_exec(srv_db(s), "COMMIT", NULL, NULL, NULL),
	    0);
	cJSON *j = srv_get_row(s, "todoitem", "a");
	assert_string_equal(jstr(j, "text"), "y");
	cJSON_Delete(j);
	http_resp_free(&r);
	srv_close(s);
}

/* Random bytes as bodies, queries and paths: never a crash, always a
** status the server uses and a JSON body. */
static void
test_fuzz(void **state)
{
	srv *s = open_srv(1);
	http_resp r = { 0 };
	rng g;
	static const char *const methods[] = { "GET", "POST", "PATCH",
	    "DELETE", "PUT", "" };
	static const char *const frags[] = { "$filter=", "$top=", "$skip=",
	    "$orderby=", "$select=", "&", "'", "(", ")", " eq ", " and ",
	    "not ", "text", "updatedAt", "datetimeoffset'", "startswith(",
	    ",", "%27", "%", "__includeDeleted", "$inlinecount=allpages",
	    "{", "}", "\"", ":", "id", "null", "true", "1e999", "-",
	    "2026-03-02T09:00:00Z", "/", "\xc3", "\xff", "version", "MQ==" };

	(void)state;
	seed_rows(s, 60, 1);
	rng_seed(&g, 7);
	for (int i = 0; i < 3000; i++) {
		char path[128], query[256], body[256];
		http_req q;
		size_t n;

		/* Mix random bytes and meaningful fragments. */
		char *bufs[3] = { path, query, body };
		size_t caps[3] = { sizeof path, sizeof query, sizeof body };
		for (int b = 0; b < 3; b++) {
			n = 0;
			if (b == 0) {
				strcpy(path, rng_below(&g, 4) ?
				    "/tables/todoitem/" : "/tables/");
				n = strlen(path);
			}
			int parts = (int)rng_below(&g, 12);
			for (int k = 0; k < parts; k++) {
				const char *f;
				char one[2] = { 0, 0 };
				if (rng_below(&g, 3) == 0) {
					one[0] = (char)(rng_below(&g, 255) + 1);
					f = one;
				} else
					f = frags[rng_below(&g,
					    sizeof frags / sizeof frags[0])];
				size_t fl = strlen(f);
				if (n + fl + 1 >= caps[b])
					break;
				memcpy(bufs[b] + n, f, fl);
				n += fl;
			}
			bufs[b][n] = '\0';
		}
		http_req_init(&q, methods[rng_below(&g, 6)], path,
		    rng_below(&g, 5) ? query : NULL);
		if (rng_below(&g, 10))
			http_req_add_header(&q, "ZUMO-API-VERSION", "2.0.0");
		if (rng_below(&g, 3) == 0)
			http_req_add_header(&q, "If-Match", body + (i % 4));
		if (rng_below(&g, 2))
			http_req_set_body(&q, body);
		srv_handle(s, &q, T0 + i, (uint64_t)i, &r);
		http_req_free(&q);
		switch (r.status) {
		case 200: case 201: case 400: case 404: case 405: case 409:
		case 412:
			break;
		default:
			fail_msg("status %d for %s ? %s", r.status, path, query);
		}
		cJSON *j = cJSON_Parse(r.body);
		if (j == NULL)
			fail_msg("body not JSON: %s", r.body);
		cJSON_Delete(j);
	}
	http_resp_free(&r);
	srv_close(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_time_and_versions),
		cmocka_unit_test(test_idents_and_define),
		cmocka_unit_test(test_api_version),
		cmocka_unit_test(test_routes),
		cmocka_unit_test(test_post_without_id),
		cmocka_unit_test(test_post_client_id),
		cmocka_unit_test(test_post_existing_id),
		cmocka_unit_test(test_reserved),
		cmocka_unit_test(test_get_by_id),
		cmocka_unit_test(test_patch_current),
		cmocka_unit_test(test_version_counter),
		cmocka_unit_test(test_patch_stale_ifmatch),
		cmocka_unit_test(test_patch_stale_body_version),
		cmocka_unit_test(test_put_replace),
		cmocka_unit_test(test_patch_no_version),
		cmocka_unit_test(test_patch_delete_missing),
		cmocka_unit_test(test_patch_id_mismatch),
		cmocka_unit_test(test_delete_soft),
		cmocka_unit_test(test_delete_stale),
		cmocka_unit_test(test_delete_hard),
		cmocka_unit_test(test_undelete),
		cmocka_unit_test(test_defects_400),
		cmocka_unit_test(test_seed),
		cmocka_unit_test(test_reopen_file),
		cmocka_unit_test(test_nested_transaction),
		cmocka_unit_test(test_fuzz),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
