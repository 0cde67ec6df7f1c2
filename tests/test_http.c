#include "tests/testutil.h"

#include <stdlib.h>
#include <string.h>

#include "sim/http.h"

/* got is a string the call under test allocated: compare it, free it. */
static void
expect_str(char *got, const char *want)
{
	assert_string_equal(got, want);
	free(got);
}

static void
test_query_get(void **state)
{
	int present;
	char *v;

	(void)state;
	v = http_query_get("a=1&b=x%20y&c=p+q", "b", &present);
	assert_string_equal(v, "x y");
	assert_int_equal(present, 1);
	free(v);
	expect_str(http_query_get("a=1&b=x%20y&c=p+q", "c", NULL), "p q");
	v = http_query_get("a=1&b=2", "z", &present);
	assert_null(v);
	assert_int_equal(present, 0);
	/* The first occurrence wins. */
	expect_str(http_query_get("a=1&a=2", "a", NULL), "1");
	/* An encoded name is found by its decoded form. */
	expect_str(http_query_get("%24top=5&%24filter=text%20eq%20%27a%27",
	    "$filter", NULL), "text eq 'a'");
	/* A prefix of another name is not that name. */
	v = http_query_get("$topx=1", "$top", &present);
	assert_null(v);
	assert_int_equal(present, 0);
	assert_null(http_query_get(NULL, "a", &present));
	assert_int_equal(present, 0);
}

static void
test_query_presence(void **state)
{
	int present = 0;
	char *v;

	(void)state;
	/* Present without '=': an empty value, and present is set. */
	v = http_query_get("x=1&__includeDeleted&y=2", "__includeDeleted",
	    &present);
	assert_non_null(v);
	assert_string_equal(v, "");
	assert_int_equal(present, 1);
	free(v);
	v = http_query_get("__includeDeleted=false", "__includeDeleted",
	    &present);
	assert_string_equal(v, "false");
	assert_int_equal(present, 1);
	free(v);
	v = http_query_get("a=", "a", &present);
	assert_string_equal(v, "");
	assert_int_equal(present, 1);
	free(v);
	/* Empty pairs are skipped. */
	expect_str(http_query_get("&&a=3&", "a", &present), "3");
}

static void
test_unescape(void **state)
{
	(void)state;
	/* '+' is a space only inside query values, not in paths. */
	expect_str(http_unescape("a%2Fb%2fc%20d+e"), "a/b/c d+e");
	/* Broken escapes stay as they are. */
	expect_str(http_unescape("100%zz%4"), "100%zz%4");
	/* %00 would cut the string short: it is kept literally. */
	expect_str(http_unescape("a%00b"), "a%00b");
	expect_str(http_unescape("%C3%A9t%C3%A9"), "\xc3\xa9t\xc3\xa9");
	expect_str(http_unescape(NULL), "");
}

static void
test_escape(void **state)
{
	char *v, *back;
	const char *samples[] = { "text eq 'it''s'", "a&b=c+d#e%f/g?h",
	    "\xc3\xa9t\xc3\xa9 \x01", "", "AZaz09-._~" };

	(void)state;
	expect_str(http_escape("a b&c=d'e"), "a%20b%26c%3Dd%27e");
	expect_str(http_escape("AZaz09-._~"), "AZaz09-._~");
	/* Escaping then unescaping gives the original back. */
	for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
		v = http_escape(samples[i]);
		for (const char *p = v; *p; p++)
			assert_true(strchr("&=+# '", *p) == NULL);
		back = http_unescape(v);
		assert_string_equal(back, samples[i]);
		free(back);
		free(v);
	}
}

static void
test_req_headers(void **state)
{
	http_req r;

	(void)state;
	http_req_init(&r, "PATCH", "/tables/todoitem/7", "a=1");
	assert_string_equal(r.method, "PATCH");
	assert_string_equal(r.path, "/tables/todoitem/7");
	assert_string_equal(r.query, "a=1");
	assert_null(r.body);
	http_req_add_header(&r, "If-Match", "\"MQ==\"");
	http_req_add_header(&r, "ZUMO-API-VERSION", "2.0.0");
	assert_string_equal(http_req_header(&r, "if-match"), "\"MQ==\"");
	assert_string_equal(http_req_header(&r, "zumo-api-version"), "2.0.0");
	assert_null(http_req_header(&r, "Host"));
	http_req_set_body(&r, "{\"a\":1}");
	assert_string_equal(r.body, "{\"a\":1}");
	assert_int_equal(r.body_len, 7);
	http_req_set_body(&r, NULL);
	assert_null(r.body);
	assert_int_equal(r.body_len, 0);
	http_req_free(&r);
	/* Freeing twice is harmless: free leaves the request empty. */
	http_req_free(&r);

	/* An over-long method is cut, never overflowing. */
	http_req_init(&r, "AVERYVERYLONGMETHODNAME", "/", NULL);
	assert_int_equal(strlen(r.method), 15);
	assert_null(r.query);
	http_req_free(&r);
}

static void
test_req_copy(void **state)
{
	http_req a, b;

	(void)state;
	http_req_init(&a, "POST", "/tables/t", "x=1");
	http_req_add_header(&a, "H", "v");
	http_req_set_body(&a, "{}");
	memset(&b, 0, sizeof b);
	http_req_copy(&b, &a);
	http_req_free(&a);	/* the copy owns its own strings */
	assert_string_equal(b.method, "POST");
	assert_string_equal(b.path, "/tables/t");
	assert_string_equal(b.query, "x=1");
	assert_int_equal(b.nhdrs, 1);
	assert_string_equal(http_req_header(&b, "h"), "v");
	assert_string_equal(b.body, "{}");
	assert_int_equal(b.body_len, 2);
	/* A body set by hand without a length is copied whole. */
	free(b.body);
	b.body = strdup("{\"x\":1}");
	b.body_len = 0;
	http_req_copy(&a, &b);
	assert_string_equal(a.body, "{\"x\":1}");
	assert_int_equal(a.body_len, 7);
	http_req_free(&a);
	/* Copying onto itself keeps it intact. */
	http_req_copy(&b, &b);
	assert_string_equal(b.path, "/tables/t");
	assert_string_equal(http_req_header(&b, "H"), "v");
	http_req_free(&b);
}

static void
test_resp(void **state)
{
	http_resp a, b;

	(void)state;
	http_resp_init(&a, 412);
	http_resp_add_header(&a, "ETag", "\"Mg==\"");
	http_resp_set_body(&a, "{\"id\":\"1\"}");
	memset(&b, 0, sizeof b);
	http_resp_copy(&b, &a);
	http_resp_free(&a);
	assert_int_equal(b.status, 412);
	assert_string_equal(http_resp_header(&b, "etag"), "\"Mg==\"");
	assert_string_equal(b.body, "{\"id\":\"1\"}");
	http_resp_copy(&b, &b);
	assert_string_equal(b.body, "{\"id\":\"1\"}");
	http_resp_set_body(&b, NULL);
	assert_null(b.body);
	http_resp_free(&b);
}

static void
test_reason(void **state)
{
	(void)state;
	assert_string_equal(http_reason(200), "OK");
	assert_string_equal(http_reason(201), "Created");
	assert_string_equal(http_reason(404), "Not Found");
	assert_string_equal(http_reason(409), "Conflict");
	assert_string_equal(http_reason(412), "Precondition Failed");
	assert_string_equal(http_reason(799), "Unknown");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_query_get),
		cmocka_unit_test(test_query_presence),
		cmocka_unit_test(test_unescape),
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_req_headers),
		cmocka_unit_test(test_req_copy),
		cmocka_unit_test(test_resp),
		cmocka_unit_test(test_reason),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
