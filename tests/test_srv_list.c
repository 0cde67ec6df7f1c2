/*
** test_srv_list.c: the backend's list GETs: deleted rows, paging,
** $inlinecount, $select, $orderby, the ge/gt of incremental pulls and their
** index, and injection attempts; the requests are in srv_call.h.
*/
#include "tests/srv_call.h"

/* Lists: a JSON array; soft-deleted rows hidden unless __includeDeleted
** is present, whatever its value. */
static void
test_list_include_deleted(void **state)
{
	srv *s = open_srv(1);
	http_resp r = { 0 };
	cJSON *j;

	(void)state;
	put_row(s, "a", "x", T0);
	put_row(s, "b", "y", T0);
	call(s, &r, "DELETE", "/tables/todoitem/a", NULL, NULL, NULL, T0 + 1);
	assert_int_equal(call(s, &r, "GET", "/tables/todoitem", NULL, NULL,
	    NULL, T0), 200);
	j = body_of(&r);
	assert_true(cJSON_IsArray(j));
	assert_int_equal(cJSON_GetArraySize(j), 1);
	assert_string_equal(jstr(cJSON_GetArrayItem(j, 0), "id"), "b");
	assert_null(http_resp_header(&r, "ETag"));
	cJSON_Delete(j);
	const char *qs[] = { "__includeDeleted=true", "__includeDeleted=false",
	    "__includeDeleted", "__includeDeleted=" };
	for (size_t i = 0; i < 4; i++) {
		call(s, &r, "GET", "/tables/todoitem", qs[i], NULL, NULL, T0);
		j = body_of(&r);
		assert_int_equal(cJSON_GetArraySize(j), 2);
		assert_string_equal(jstr(cJSON_GetArrayItem(j, 0), "id"), "a");
		assert_true(cJSON_IsTrue(cJSON_GetObjectItem(
		    cJSON_GetArrayItem(j, 0), "deleted")));
		cJSON_Delete(j);
	}
	http_resp_free(&r);
	srv_close(s);
}

/* $top over 1000: 400; the default page is 50; an explicit $top up to
** 1000 is the page size, as the real server answers. */
static void
test_paging(void **state)
{
	srv *s = open_srv(1);
	http_resp r = { 0 };
	cJSON *j;

	(void)state;
	seed_rows(s, 120, 0);
	call(s, &r, "GET", "/tables/todoitem", "$top=1001", NULL, NULL, T0);
	assert_error(&r, 400, "You cannot request more than 1000 records");
	assert_int_equal(call(s, &r, "GET", "/tables/todoitem", "$top=1000",
	    NULL, NULL, T0), 200);
	j = body_of(&r);
	assert_int_equal(cJSON_GetArraySize(j), 120);
	cJSON_Delete(j);
	assert_null(http_resp_header(&r, "Link"));
	call(s, &r, "GET", "/tables/todoitem", "$top=60", NULL, NULL, T0);
	j = body_of(&r);
	assert_int_equal(cJSON_GetArraySize(j), 60);
	cJSON_Delete(j);
	assert_null(http_resp_header(&r, "Link"));

	/* No $top: a page of 50 and a link without $top. */
	call_h(s, &r, "GET", "/tables/todoitem", NULL, NULL, NULL, T0,
	    "localhost:8080");
	j = body_of(&r);
	assert_int_equal(cJSON_GetArraySize(j), 50);
	assert_string_equal(jstr(cJSON_GetArrayItem(j, 0), "id"), "r00000");
	assert_string_equal(jstr(cJSON_GetArrayItem(j, 49), "id"), "r00049");
	cJSON_Delete(j);
	/* The link keeps the port and the table path (D9). */
	assert_string_equal(http_resp_header(&r, "Link"),
	    "http://localhost:8080/tables/todoitem?$skip=50; rel=next");

	/* The link keeps the other options and replaces $skip. */
	call_h(s, &r, "GET", "/tables/todoitem",
	    "$filter=count%20ge%2010&$skip=5&ZUMO-API-VERSION=2.0.0",
	    NULL, NULL, T0, "example.net");
	j = body_of(&r);
	assert_int_equal(cJSON_GetArraySize(j), 50);
	assert_string_equal(jstr(cJSON_GetArrayItem(j, 0), "id"), "r00015");
	cJSON_Delete(j);
	assert_string_equal(http_resp_header(&r, "Link"),
	    "http://example.net/tables/todoitem?$filter=count%20ge%2010&"
	    "ZUMO-API-VERSION=2.0.0&$skip=55; rel=next");

	/* $top under the page size: that many rows, no link. */
	call(s, &r, "GET", "/tables/todoitem", "$top=7", NULL, NULL, T0);
	j = body_of(&r);
	assert_int_equal(cJSON_GetArraySize(j), 7);
	cJSON_Delete(j);
	assert_null(http_resp_header(&r, "Link"));
	/* Exactly the page size asked for: nothing more was requested. */
	call(s, &r, "GET", "/tables/todoitem", "$top=50", NULL, NULL, T0);
	assert_null(http_resp_header(&r, "Link"));
	/* The last page: 20 rows, no link. */
	call(s, &r, "GET", "/tables/todoitem", "$skip=100", NULL, NULL, T0);
	j = body_of(&r);
	assert_int_equal(cJSON_GetArraySize(j), 20);
	assert_string_equal(jstr(cJSON_GetArrayItem(j, 0), "id"), "r00100");
	cJSON_Delete(j);
	assert_null(http_resp_header(&r, "Link"));
	/* A full page with nothing after it: no link. */
	call(s, &r, "GET", "/tables/todoitem", "$skip=70", NULL, NULL, T0);
	j = body_of(&r);
	assert_int_equal(cJSON_GetArraySize(j), 50);
	cJSON_Delete(j);
	assert_null(http_resp_header(&r, "Link"));
	call(s, &r, "GET", "/tables/todoitem", "$skip=500", NULL, NULL, T0);
	assert_string_equal(r.body, "[]");
	call(s, &r, "GET", "/tables/todoitem", "$top=0", NULL, NULL, T0);
	assert_string_equal(r.body, "[]");
	/* A Host header that could break the header is not used. */
	call_h(s, &r, "GET", "/tables/todoitem", NULL, NULL, NULL, T0,
	    "evil>\r\nX: y");
	assert_string_equal(http_resp_header(&r, "Link"),
	    "/tables/todoitem?$skip=50; rel=next");
	http_resp_free(&r);
	srv_close(s);
}

/* $inlinecount=allpages: {"results": [...], "count": N}. */
static void
test_inlinecount(void **state)
{
	srv *s = open_srv(1);
	http_resp r = { 0 };
	cJSON *j;

	(void)state;
	seed_rows(s, 60, 0);
	call(s, &r, "DELETE", "/tables/todoitem/r00001", NULL, NULL, NULL, T0);
	assert_int_equal(call(s, &r, "GET", "/tables/todoitem",
	    "$inlinecount=allpages&$top=5&$skip=3&$filter=text%20eq%20%27odd%27",
	    NULL, NULL, T0), 200);
	j = body_of(&r);
	assert_true(cJSON_IsObject(j));
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(j, "results")),
	    5);
	/* 30 odd rows, one of them deleted; top and skip ignored. */
	assert_true(cJSON_GetObjectItem(j, "count")->valuedouble == 29);
	cJSON_Delete(j);
	call(s, &r, "GET", "/tables/todoitem",
	    "$inlinecount=allpages&__includeDeleted=1", NULL, NULL, T0);
	j = body_of(&r);
	assert_true(cJSON_GetObjectItem(j, "count")->valuedouble == 60);
	cJSON_Delete(j);
	call(s, &r, "GET", "/tables/todoitem", "$inlinecount=none", NULL, NULL,
	    T0);
	j = body_of(&r);
	assert_true(cJSON_IsArray(j));
	cJSON_Delete(j);
	call(s, &r, "GET", "/tables/todoitem", "$inlinecount=some", NULL, NULL,
	    T0);
	assert_error_has(&r, 400, "$inlinecount");
	http_resp_free(&r);
	srv_close(s);
}

/* $select: exactly the named columns, in that order. */
static void
test_select(void **state)
{
	srv *s = open_srv(1);
	http_resp r = { 0 };

	(void)state;
	seed_rows(s, 2, 0);
	call(s, &r, "GET", "/tables/todoitem", "$select=text,%20id,text", NULL,
	    NULL, T0);
	assert_string_equal(r.body,
	    "[{\"text\":\"even\",\"id\":\"r00000\"},"
	    "{\"text\":\"odd\",\"id\":\"r00001\"}]");
	call(s, &r, "GET", "/tables/todoitem", "$select=version,deleted&$top=1",
	    NULL, NULL, T0);
	assert_string_equal(r.body, "[{\"version\":\"MQ==\",\"deleted\":false}]");
	call(s, &r, "GET", "/tables/todoitem", "$select=*&$top=1", NULL, NULL,
	    T0);
	cJSON *j = body_of(&r);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetArrayItem(j, 0)), 9);
	cJSON_Delete(j);
	call(s, &r, "GET", "/tables/todoitem", "$select=text,", NULL, NULL, T0);
	assert_error_has(&r, 400, "position 6");
	http_resp_free(&r);
	srv_close(s);
}

/* $orderby: columns with asc/desc, several keys; rowid order without. */
static void
test_orderby(void **state)
{
	srv *s = open_srv(1);
	http_resp r = { 0 };
	cJSON *j;

	(void)state;
	seed_rows(s, 6, 0);
	call(s, &r, "GET", "/tables/todoitem", "$orderby=count%20desc", NULL,
	    NULL, T0);
	j = body_of(&r);
	assert_string_equal(jstr(cJSON_GetArrayItem(j, 0), "id"), "r00005");
	assert_string_equal(jstr(cJSON_GetArrayItem(j, 5), "id"), "r00000");
	cJSON_Delete(j);
	call(s, &r, "GET", "/tables/todoitem",
	    "$orderby=text%20asc,count%20desc", NULL, NULL, T0);
	j = body_of(&r);
	/* even: 4 2 0, then odd: 5 3 1 */
	assert_string_equal(jstr(cJSON_GetArrayItem(j, 0), "id"), "r00004");
	assert_string_equal(jstr(cJSON_GetArrayItem(j, 2), "id"), "r00000");
	assert_string_equal(jstr(cJSON_GetArrayItem(j, 3), "id"), "r00005");
	cJSON_Delete(j);
	/* Without $orderby: insertion (rowid) order, not id order. */
	put_row(s, "a-first-by-id", "x", T0);
	call(s, &r, "GET", "/tables/todoitem", NULL, NULL, NULL, T0);
	j = body_of(&r);
	assert_string_equal(jstr(cJSON_GetArrayItem(j, 6), "id"),
	    "a-first-by-id");
	cJSON_Delete(j);
	call(s, &r, "GET", "/tables/todoitem", "$orderby=count%20up", NULL,
	    NULL, T0);
	assert_error_has(&r, 400, "expected 'asc', 'desc'");
	http_resp_free(&r);
	srv_close(s);
}

/* updatedAt ge T includes that exact millisecond; gt excludes it. */
static void
test_ge_gt_same_ms(void **state)
{
	srv *s = open_srv(1);
	http_resp r = { 0 };
	cJSON *j;
	const int64_t t = 1795790437125LL;	/* 2026-11-27T14:40:37.125Z */

	(void)state;
	put_row(s, "before", "x", t - 1);
	put_row(s, "same1", "x", t);
	put_row(s, "same2", "x", t);
	put_row(s, "after", "x", t + 1);
	call(s, &r, "GET", "/tables/todoitem",
	    "$filter=updatedAt%20ge%20datetimeoffset'2026-11-27T14:40:37.125Z'"
	    "&$orderby=updatedAt&__includeDeleted=true", NULL, NULL, t);
	j = body_of(&r);
	assert_int_equal(cJSON_GetArraySize(j), 3);
	assert_string_equal(jstr(cJSON_GetArrayItem(j, 2), "id"), "after");
	cJSON_Delete(j);
	call(s, &r, "GET", "/tables/todoitem",
	    "$filter=updatedAt%20gt%20datetimeoffset'2026-11-27T14:40:37.125Z'",
	    NULL, NULL, t);
	j = body_of(&r);
	assert_int_equal(cJSON_GetArraySize(j), 1);
	assert_string_equal(jstr(cJSON_GetArrayItem(j, 0), "id"), "after");
	cJSON_Delete(j);
	/* Seven digits and an offset name the same instant. */
	call(s, &r, "GET", "/tables/todoitem",
	    "$filter=updatedAt%20ge%20datetimeoffset'2026-11-27T16:40:37.1250000"
	    "%2B02:00'", NULL, NULL, t);
	j = body_of(&r);
	assert_int_equal(cJSON_GetArraySize(j), 3);
	cJSON_Delete(j);
	/* A literal between two milliseconds: .1251 is after .125. */
	call(s, &r, "GET", "/tables/todoitem",
	    "$filter=updatedAt%20ge%20datetimeoffset'2026-11-27T14:40:37.1251Z'",
	    NULL, NULL, t);
	j = body_of(&r);
	assert_int_equal(cJSON_GetArraySize(j), 1);
	cJSON_Delete(j);
	call(s, &r, "GET", "/tables/todoitem",
	    "$filter=updatedAt%20lt%20datetimeoffset'2026-11-27T14:40:37.1251Z'",
	    NULL, NULL, t);
	j = body_of(&r);
	assert_int_equal(cJSON_GetArraySize(j), 3);
	cJSON_Delete(j);
	http_resp_free(&r);
	srv_close(s);
}

/* The incremental pull as the .NET client sends it, and the soft delete
** reaching it as a change at the end of the updatedAt order. */
static void
test_incremental_pull(void **state)
{
	srv *s = open_srv(1);
	http_resp r = { 0 };
	cJSON *j;

	(void)state;
	seed_rows(s, 5, 0);
	call(s, &r, "DELETE", "/tables/todoitem/r00001", NULL, NULL, NULL,
	    T0 + 100);
	call(s, &r, "GET", "/tables/todoitem",
	    "$filter=(updatedAt%20ge%20datetimeoffset'2026-03-02T09:00:00.003Z')"
	    "&$orderby=updatedAt&$skip=0&$top=50&__includeDeleted=true", NULL,
	    NULL, T0 + 200);
	j = body_of(&r);
	assert_int_equal(cJSON_GetArraySize(j), 3);
	assert_string_equal(jstr(cJSON_GetArrayItem(j, 0), "id"), "r00003");
	assert_string_equal(jstr(cJSON_GetArrayItem(j, 2), "id"), "r00001");
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(cJSON_GetArrayItem(j, 2),
	    "deleted")));
	cJSON_Delete(j);
	http_resp_free(&r);
	srv_close(s);
}

static int
count_vm_steps(void *ud)
{
	(*(long *)ud)++;
	return 0;
}

/* A pull of the rows changed since T costs about the same whatever the
** table size: it reads the updatedAt index, not the table.  Measured in
** SQLite VM steps (deterministic), not in time. */
static void
test_pull_uses_index(void **state)
{
	long steps[2];
	int sizes[2] = { 2000, 20000 };

	(void)state;
	for (int k = 0; k < 2; k++) {
		srv *s = open_srv(1);
		http_resp r = { 0 };
		char q[256], ts[32];
		seed_rows(s, sizes[k], 0);
		wire_format_time(T0 + sizes[k] - 20, ts);
		snprintf(q, sizeof q, "$filter=updatedAt%%20ge%%20"
		    "datetimeoffset'%s'&$orderby=updatedAt&$top=50&"
		    "__includeDeleted=true", ts);
		steps[k] = 0;
		sqlite3_progress_handler(srv_db(s), 1, count_vm_steps,
		    &steps[k]);
		call(s, &r, "GET", "/tables/todoitem", q, NULL, NULL, T0);
		sqlite3_progress_handler(srv_db(s), 0, NULL, NULL);
		cJSON *j = body_of(&r);
		assert_int_equal(cJSON_GetArraySize(j), 20);
		cJSON_Delete(j);
		http_resp_free(&r);
		srv_close(s);
	}
	/* Ten times the rows, nowhere near ten times the work. */
	if (steps[1] > steps[0] * 2)
		fail_msg("pull cost grew with the table: %ld -> %ld steps",
		    steps[0], steps[1]);
}

/* Injection attempts in ids, filters, column names and tables are inert. */
static void
test_injection(void **state)
{
	srv *s = open_srv(1);
	http_resp r = { 0 };
	cJSON *j;
	const char *evil = "x'; DROP TABLE todoitem; --";

	(void)state;
	put_row(s, "a", "x", T0);
	assert_int_equal(call(s, &r, "POST", "/tables/todoitem", NULL,
	    "{\"id\":\"x'; DROP TABLE todoitem; --\",\"text\":\"\\\" OR 1=1\"}",
	    NULL, T0), 201);
	{
		char path[128];
		snprintf(path, sizeof path, "/tables/todoitem/%s", evil);
		assert_int_equal(call(s, &r, "GET", path, NULL, NULL, NULL,
		    T0), 200);
		j = body_of(&r);
		assert_string_equal(jstr(j, "id"), evil);
		cJSON_Delete(j);
	}
	assert_int_equal(call(s, &r, "GET", "/tables/todoitem/a' OR '1'='1",
	    NULL, NULL, NULL, T0), 404);
	/* A quote inside a string literal is data. */
	call(s, &r, "GET", "/tables/todoitem",
	    "$filter=text%20eq%20'x''%20OR%201=1%20--'", NULL, NULL, T0);
	assert_string_equal(r.body, "[]");
	call(s, &r, "GET", "/tables/todoitem",
	    "$filter=text%20eq%20'a'%3B%20DROP%20TABLE%20todoitem", NULL, NULL,
	    T0);
	assert_int_equal(r.status, 400);
	call(s, &r, "GET", "/tables/todoitem",
	    "$orderby=text;%20DROP%20TABLE%20todoitem", NULL, NULL, T0);
	assert_int_equal(r.status, 400);
	call(s, &r, "GET", "/tables/todoitem", "$select=text%22,%22id", NULL,
	    NULL, T0);
	assert_int_equal(r.status, 400);
	call(s, &r, "GET", "/tables/todoitem%22;%20DROP%20TABLE%20todoitem",
	    NULL, NULL, NULL, T0);
	assert_int_equal(r.status, 404);
	call(s, &r, "POST", "/tables/todoitem", NULL,
	    "{\"text\\\"); DROP TABLE todoitem; --\":1}", NULL, T0);
	assert_int_equal(r.status, 400);
	/* Everything is still there. */
	call(s, &r, "GET", "/tables/todoitem", NULL, NULL, NULL, T0);
	j = body_of(&r);
	assert_int_equal(cJSON_GetArraySize(j), 2);
	cJSON_Delete(j);
	http_resp_free(&r);
	srv_close(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_list_include_deleted),
		cmocka_unit_test(test_paging),
		cmocka_unit_test(test_inlinecount),
		cmocka_unit_test(test_select),
		cmocka_unit_test(test_orderby),
		cmocka_unit_test(test_ge_gt_same_ms),
		cmocka_unit_test(test_incremental_pull),
		cmocka_unit_test(test_pull_uses_index),
		cmocka_unit_test(test_injection),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
