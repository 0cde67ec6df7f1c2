/*
** test_srv_compat.c: the backend's answers where the real server (and its
** real clients) set the shape: rows of a table without soft delete carry
** no "deleted"; a numeric id is taken as its string; the next-page Link is
** "URL; rel=next" and following it gives the next page; a query string
** that is not OData gets 400; the Node server's type names are read; the
** OData functions and operators the reference knows are evaluated.
*/
#include "tests/testutil.h"

#include <stdlib.h>
#include <string.h>

#include "sim/srv.h"
#include "sim/tbl.h"

#define T0	1772442000000LL

static srv *
open_two(void)
{
	static const tbl_col cols[] = { { "text", TBL_STRING },
	    { "count", TBL_NUMBER } };
	tbl_def soft = { "todoitem", (tbl_col *)cols, 2, 1 };
	tbl_def hard = { "harditem", (tbl_col *)cols, 2, 0 };
	srv *s = srv_open(NULL, NULL);
	assert_non_null(s);
	assert_int_equal(srv_define(s, &soft, NULL), 0);
	assert_int_equal(srv_define(s, &hard, NULL), 0);
	return s;
}

static int
call(srv *s, http_resp *r, const char *method, const char *path,
    const char *query, const char *body)
{
	http_req q;
	http_req_init(&q, method, path, query);
	http_req_add_header(&q, "ZUMO-API-VERSION", "2.0.0");
	http_req_add_header(&q, "Host", "127.0.0.1:8080");
	if (body)
		http_req_set_body(&q, body);
	http_resp_free(r);
	http_resp_init(r, 0);
	srv_handle(s, &q, T0, 7, r);
	http_req_free(&q);
	return r->status;
}

static void
test_no_deleted_without_soft_delete(void **state)
{
	(void)state;
	srv *s = open_two();
	http_resp r;
	http_resp_init(&r, 0);
	assert_int_equal(call(s, &r, "POST", "/tables/harditem", NULL,
	    "{\"id\":\"h1\",\"text\":\"a\"}"), 201);
	assert_null(strstr(r.body, "\"deleted\""));
	assert_int_equal(call(s, &r, "GET", "/tables/harditem/h1", NULL,
	    NULL), 200);
	assert_null(strstr(r.body, "\"deleted\""));
	assert_int_equal(call(s, &r, "GET", "/tables/harditem",
	    "__includeDeleted=true", NULL), 200);
	assert_null(strstr(r.body, "\"deleted\""));
	assert_int_equal(call(s, &r, "DELETE", "/tables/harditem/h1", NULL,
	    NULL), 200);
	assert_null(strstr(r.body, "\"deleted\""));
	/* With soft delete the member stays: it is how deletions travel. */
	assert_int_equal(call(s, &r, "POST", "/tables/todoitem", NULL,
	    "{\"id\":\"s1\"}"), 201);
	assert_non_null(strstr(r.body, "\"deleted\":false"));
	http_resp_free(&r);
	srv_close(s);
}

static void
test_numeric_id(void **state)
{
	(void)state;
	srv *s = open_two();
	http_resp r;
	http_resp_init(&r, 0);
	assert_int_equal(call(s, &r, "POST", "/tables/todoitem", NULL,
	    "{\"id\":42,\"text\":\"n\"}"), 201);
	assert_non_null(strstr(r.body, "\"id\":\"42\""));
	assert_int_equal(call(s, &r, "GET", "/tables/todoitem/42", NULL,
	    NULL), 200);
	assert_int_equal(call(s, &r, "POST", "/tables/todoitem", NULL,
	    "{\"id\":1.5}"), 201);
	assert_non_null(strstr(r.body, "\"id\":\"1.5\""));
	assert_int_equal(call(s, &r, "POST", "/tables/todoitem", NULL,
	    "{\"id\":0.1}"), 201);
	assert_non_null(strstr(r.body, "\"id\":\"0.1\""));
	/* The same id again, as a string: it exists. */
	assert_int_equal(call(s, &r, "POST", "/tables/todoitem", NULL,
	    "{\"id\":\"42\"}"), 409);
	assert_int_equal(call(s, &r, "POST", "/tables/todoitem", NULL,
	    "{\"id\":true}"), 400);
	http_resp_free(&r);
	srv_close(s);
}

static void
test_next_link_is_followable(void **state)
{
	(void)state;
	srv *s = open_two();
	http_resp r;
	http_resp_init(&r, 0);
	for (int i = 0; i < 60; i++) {
		char body[64];
		snprintf(body, sizeof body, "{\"id\":\"r%02d\",\"count\":%d}",
		    i, i);
		assert_int_equal(call(s, &r, "POST", "/tables/harditem",
		    NULL, body), 201);
	}
	assert_int_equal(call(s, &r, "GET", "/tables/harditem",
	    "$orderby=id", NULL), 200);
	const char *link = http_resp_header(&r, "Link");
	assert_non_null(link);
	assert_string_equal(link, "http://127.0.0.1:8080/tables/harditem?"
	    "$orderby=id&$skip=50; rel=next");
	/* What both real clients do with it: everything before ";" is the
	** URL; its query is the next request's. */
	const char *q = strchr(link, '?') + 1;
	char *query = strndup(q, (size_t)(strchr(q, ';') - q));
	assert_int_equal(call(s, &r, "GET", "/tables/harditem", query,
	    NULL), 200);
	free(query);
	cJSON *page = cJSON_Parse(r.body);
	assert_int_equal(cJSON_GetArraySize(page), 10);
	assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(page, 0),
	    "id")->valuestring, "r50");
	cJSON_Delete(page);
	assert_null(http_resp_header(&r, "Link"));
	http_resp_free(&r);
	srv_close(s);
}

static void
test_query_not_odata(void **state)
{
	(void)state;
	srv *s = open_two();
	http_resp r;
	http_resp_init(&r, 0);
	/* What a client that kept the Link's angle brackets sends. */
	assert_int_equal(call(s, &r, "GET", "/tables/todoitem",
	    "%3Chttp://127.0.0.1:8080/tables/todoitem?$skip=50%3E", NULL),
	    400);
	assert_non_null(strstr(r.body, "not OData"));
	assert_int_equal(call(s, &r, "GET", "/tables/todoitem",
	    "<http://x/tables/todoitem?$skip=50>", NULL), 400);
	assert_int_equal(call(s, &r, "GET", "/tables/todoitem/a", "a b=1",
	    NULL), 400);
	/* OData options, flags and an app's own parameters are fine. */
	assert_int_equal(call(s, &r, "GET", "/tables/todoitem",
	    "$top=5&$skip=0&__includeDeleted&myParam=x&ZUMO-API-VERSION=2.0.0",
	    NULL), 200);
	assert_int_equal(call(s, &r, "GET", "/tables/todoitem", "", NULL),
	    200);
	http_resp_free(&r);
	srv_close(s);
}

static void
test_node_type_names(void **state)
{
	(void)state;
	tbl_type t;
	assert_int_equal(tbl_type_parse("boolean", &t), 0);
	assert_int_equal(t, TBL_BOOL);
	assert_int_equal(tbl_type_parse("bool", &t), 0);
	assert_int_equal(t, TBL_BOOL);
	assert_int_equal(tbl_type_parse("datetime", &t), 0);
	assert_int_equal(t, TBL_DATE);
	assert_int_equal(tbl_type_parse("string", &t), 0);
	assert_int_equal(t, TBL_STRING);
	assert_int_equal(tbl_type_parse("number", &t), 0);
	assert_int_equal(t, TBL_NUMBER);
	assert_int_equal(tbl_type_parse("varchar", &t), -1);
	/* Names stay the canonical ones. */
	assert_string_equal(tbl_type_name(TBL_BOOL), "bool");
}

/* The OData functions and operators the reference server knows, through
** the handler: rows that match, and a clear 400 for a wrong type or
** arity (where the reference answers 500 or a wrong 200). */
static void
test_filter_functions(void **state)
{
	(void)state;
	srv *s = open_two();
	http_resp r;
	http_resp_init(&r, 0);
	assert_int_equal(call(s, &r, "POST", "/tables/todoitem", NULL,
	    "{\"id\":\"a\",\"text\":\"alpha\",\"count\":7}"), 201);
	assert_int_equal(call(s, &r, "POST", "/tables/todoitem", NULL,
	    "{\"id\":\"b\",\"text\":\"Beta\",\"count\":2.5}"), 201);
	assert_int_equal(call(s, &r, "GET", "/tables/todoitem",
	    "$filter=substring(text,1)%20eq%20'lpha'&$select=id", NULL), 200);
	assert_string_equal(r.body, "[{\"id\":\"a\"}]");
	assert_int_equal(call(s, &r, "GET", "/tables/todoitem",
	    "$filter=round(count)%20eq%203%20and%20year(createdAt)%20eq%202026"
	    "&$select=id", NULL), 200);
	assert_string_equal(r.body, "[{\"id\":\"b\"}]");
	assert_int_equal(call(s, &r, "GET", "/tables/todoitem",
	    "$filter=count%20mod%202%20eq%201%20and%20count%20div%202%20eq%203.5"
	    "&$select=id", NULL), 200);
	assert_string_equal(r.body, "[{\"id\":\"a\"}]");
	assert_int_equal(call(s, &r, "GET", "/tables/todoitem",
	    "$filter=round(text)%20eq%200", NULL), 400);
	assert_non_null(strstr(r.body, "argument 1 of round() must be a "
	    "number, not a string"));
	assert_int_equal(call(s, &r, "GET", "/tables/todoitem",
	    "$filter=round(count,1)%20eq%201", NULL), 400);
	assert_non_null(strstr(r.body, "round() takes 1 argument"));
	http_resp_free(&r);
	srv_close(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_deleted_without_soft_delete),
		cmocka_unit_test(test_numeric_id),
		cmocka_unit_test(test_next_link_is_followable),
		cmocka_unit_test(test_query_not_odata),
		cmocka_unit_test(test_node_type_names),
		cmocka_unit_test(test_filter_functions),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
