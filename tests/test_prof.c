/*
** test_prof.c: each client profile's pull query and token update
** (sim/prof.c), page by page, and its queue and push rules, as the SDKs'
** sources describe them.
*/
#include "tests/testutil.h"

#include <stdlib.h>
#include <string.h>

#include "sim/http.h"
#include "sim/prof.h"

/* 2026-03-02T09:00:00.000Z and one ms later */
#define T0	1772442000000LL
#define T1	(T0 + 1)

/* The decoded query of the next page. */
static char *
query(const prof_pull *p)
{
	char *q = prof_pull_query(p);
	char *d = http_unescape(q);
	free(q);
	return d;
}

static void
expect_query(const prof_pull *p, const char *want)
{
	char *q = query(p);
	assert_string_equal(q, want);
	free(q);
}

static void
test_names(void **state)
{
	(void)state;
	prof_kind k;
	for (int i = 0; i < PROF_NKINDS; i++) {
		assert_int_equal(prof_parse(prof_name((prof_kind)i), &k), 0);
		assert_int_equal(k, i);
	}
	assert_int_equal(prof_parse("net", &k), -1);
	assert_int_equal(prof_push_before_pull(PROF_NET_LEGACY), 1);
	assert_int_equal(prof_push_before_pull(PROF_JS), 0);
	assert_int_equal(prof_push_before_pull(PROF_DATASYNC), 1);
	assert_int_equal(prof_pending_row_fails(PROF_DATASYNC), 1);
	assert_int_equal(prof_pending_row_fails(PROF_JS), 0);
}

/* net-legacy: ge, $skip and $top=50; re-based on the newest row. */
static void
test_net_legacy(void **state)
{
	(void)state;
	prof_pull p;
	prof_pull_start(&p, PROF_NET_LEGACY, 0);
	expect_query(&p, "$filter=(updatedAt ge datetimeoffset'1970-01-01T"
	    "00:00:00.0000000+00:00')&$orderby=updatedAt&$skip=0&$top=50&"
	    "__includeDeleted=true");
	/* 50 rows, the newest at T0: the token moves, $skip restarts. */
	assert_int_equal(prof_pull_page(&p, 50, T0, T0, NULL), 1);
	assert_int_equal(p.token_ms, T0);
	assert_int_equal(p.skip, 0);
	expect_query(&p, "$filter=(updatedAt ge datetimeoffset'2026-03-02T"
	    "09:00:00.0000000+00:00')&$orderby=updatedAt&$skip=0&$top=50&"
	    "__includeDeleted=true");
	/* The same 50 again (all at T0): no newer time, $skip grows. */
	assert_int_equal(prof_pull_page(&p, 50, T0, T0, NULL), 0);
	assert_int_equal(p.skip, 50);
	assert_false(p.done);
	/* A next link is ignored: the count decides. */
	assert_int_equal(prof_pull_page(&p, 10, T0, T0, "$skip=99"), 0);
	assert_int_equal(p.skip, 60);
	assert_int_equal(prof_pull_page(&p, 0, 0, 0, NULL), 0);
	assert_true(p.done);
	char t[64], key[160];
	prof_token_text(PROF_NET_LEGACY, T0, t);
	assert_string_equal(t, "2026-03-02T09:00:00.0000000+00:00");
	int64_t ms;
	assert_int_equal(prof_token_parse(PROF_NET_LEGACY, t, &ms), 0);
	assert_int_equal(ms, T0);
	prof_token_key(PROF_NET_LEGACY, "todoitem", "todoitem", key,
	    sizeof key);
	assert_string_equal(key, "deltaToken|todoitem|todoitem");
	prof_pull_free(&p);
}

/* js: ge and $top=50, $skip only while the last row has the token's
** time; the token is the last row's time. */
static void
test_js(void **state)
{
	(void)state;
	prof_pull p;
	prof_pull_start(&p, PROF_JS, 0);
	expect_query(&p, "$filter=(updatedAt ge datetimeoffset'1970-01-01T"
	    "00:00:00.000Z')&$orderby=updatedAt&$top=50&"
	    "__includeDeleted=true");
	/* The last row is at T0 but the newest at T1 (an unordered page):
	** js follows the last row, net-legacy would take T1. */
	assert_int_equal(prof_pull_page(&p, 50, T0, T1, NULL), 1);
	assert_int_equal(p.token_ms, T0);
	assert_int_equal(p.skip, 0);
	/* A page ending at the token's own time pages on with $skip. */
	assert_int_equal(prof_pull_page(&p, 50, T0, T0, NULL), 0);
	assert_int_equal(p.skip, 50);
	expect_query(&p, "$filter=(updatedAt ge datetimeoffset'2026-03-02T"
	    "09:00:00.000Z')&$orderby=updatedAt&$skip=50&$top=50&"
	    "__includeDeleted=true");
	assert_int_equal(prof_pull_page(&p, 3, T1, T1, NULL), 1);
	assert_int_equal(p.token_ms, T1);
	assert_int_equal(p.skip, 0);
	assert_int_equal(prof_pull_page(&p, 0, 0, 0, NULL), 0);
	assert_true(p.done);
	char t[64], key[160];
	prof_token_text(PROF_JS, T0, t);
	assert_string_equal(t, "2026-03-02T09:00:00.000Z");
	prof_token_key(PROF_JS, "todoitem", "todoitem", key, sizeof key);
	assert_string_equal(key, "__pulltime|todoitem|todoitem");
	prof_pull_free(&p);
}

/* datasync: no filter (nor __includedeleted) at T = 0, then gt; $count,
** no $top or $skip; pages by the next link; the token is the newest row,
** as Unix ms. */
static void
test_datasync(void **state)
{
	(void)state;
	prof_pull p;
	prof_pull_start(&p, PROF_DATASYNC, 0);
	/* A first pull: no filter and no __includedeleted either. */
	expect_query(&p, "$orderby=updatedAt&$count=true");
	assert_int_equal(prof_pull_page(&p, 50, T0, T0,
	    "$orderby=updatedAt&$skip=50"), 1);
	assert_int_equal(p.token_ms, T0);
	assert_false(p.done);
	expect_query(&p, "$orderby=updatedAt&$skip=50");
	/* The last page has no link: the pull ends without an empty page. */
	assert_int_equal(prof_pull_page(&p, 10, T1, T1, NULL), 1);
	assert_int_equal(p.token_ms, T1);
	assert_true(p.done);
	prof_pull_free(&p);
	/* The next pull asks strictly after the token. */
	prof_pull_start(&p, PROF_DATASYNC, T1);
	expect_query(&p, "$filter=(updatedAt gt cast(2026-03-02T09:00:00.001Z,"
	    "Edm.DateTimeOffset))&$orderby=updatedAt&$count=true&"
	    "__includedeleted=true");
	assert_int_equal(prof_pull_page(&p, 0, 0, 0, NULL), 0);
	assert_true(p.done);
	char t[64], key[160];
	int64_t ms;
	prof_token_text(PROF_DATASYNC, T1, t);
	assert_string_equal(t, "1772442000001");
	assert_int_equal(prof_token_parse(PROF_DATASYNC, t, &ms), 0);
	assert_int_equal(ms, T1);
	assert_int_equal(prof_token_parse(PROF_DATASYNC, "12x", &ms), -1);
	prof_token_key(PROF_DATASYNC, "todoitem", "todoitem", key,
	    sizeof key);
	assert_string_equal(key, "dt.todoitem.todoitem");
	assert_int_equal(prof_page_size(PROF_DATASYNC), 0);
	prof_pull_free(&p);
}

/* The collapse table of docs/sync-model.md, section 2: row = pending
** (none, insert, update, delete), column = new (insert, update, delete). */
static void
test_collapse(void **state)
{
	(void)state;
	enum { E = PROF_C_ENQUEUE, R = PROF_C_REFUSE, B = PROF_C_BUMP,
	    K = PROF_C_KEEP, C = PROF_C_CANCEL, A = PROF_C_DELETE_AT_END,
	    P = PROF_C_DELETE_IN_PLACE, D = PROF_C_DROP };
	static const int want[PROF_NKINDS][4][3] = {
		[PROF_NET_LEGACY] = { { E, E, E }, { R, B, C }, { R, B, A },
		    { R, R, R } },
		[PROF_JS] = { { E, E, E }, { R, K, C }, { R, K, P },
		    { R, R, D } },
		[PROF_DATASYNC] = { { E, E, E }, { R, B, C }, { R, B, A },
		    { R, R, R } },
	};
	for (int k = 0; k < PROF_NKINDS; k++)
		for (int p = -1; p < 3; p++)
			for (int n = 0; n < 3; n++)
				assert_int_equal(prof_collapse_rule((prof_kind)k,
				    p, 0, n), want[k][p + 1][n]);
	/* An insert a push already tried: .NET and Datasync refuse to
	** cancel it, the JS client keeps no state and cancels. */
	assert_int_equal(prof_collapse_rule(PROF_NET_LEGACY, 0, 1, 2),
	    PROF_C_REFUSE);
	assert_int_equal(prof_collapse_rule(PROF_DATASYNC, 0, 1, 2),
	    PROF_C_REFUSE);
	assert_int_equal(prof_collapse_rule(PROF_JS, 0, 1, 2), PROF_C_CANCEL);
	/* Attempted changes nothing else. */
	assert_int_equal(prof_collapse_rule(PROF_NET_LEGACY, 1, 1, 1),
	    PROF_C_BUMP);
}

static void
test_push_rules(void **state)
{
	(void)state;
	assert_string_equal(prof_update_method(PROF_NET_LEGACY), "PATCH");
	assert_string_equal(prof_update_method(PROF_JS), "PATCH");
	assert_string_equal(prof_update_method(PROF_DATASYNC), "PUT");
	assert_true(prof_delete_gone_ok(PROF_NET_LEGACY, 404));
	assert_false(prof_delete_gone_ok(PROF_NET_LEGACY, 410));
	assert_true(prof_delete_gone_ok(PROF_DATASYNC, 404));
	assert_true(prof_delete_gone_ok(PROF_DATASYNC, 410));
	assert_false(prof_delete_gone_ok(PROF_JS, 404));
	assert_false(prof_delete_gone_ok(PROF_JS, 410));
	assert_false(prof_error_aborts(PROF_NET_LEGACY));
	assert_false(prof_error_aborts(PROF_DATASYNC));
	assert_true(prof_error_aborts(PROF_JS));
	assert_true(prof_conflict_hook(PROF_NET_LEGACY));
	assert_true(prof_conflict_hook(PROF_JS));
	assert_false(prof_conflict_hook(PROF_DATASYNC));
	assert_true(prof_keeps_state(PROF_NET_LEGACY));
	assert_true(prof_keeps_state(PROF_DATASYNC));
	assert_false(prof_keeps_state(PROF_JS));
	assert_string_equal(prof_sdk(PROF_JS), "the JavaScript client");
	assert_string_equal(prof_api_version(PROF_NET_LEGACY), "2.0.0");
	assert_string_equal(prof_api_version(PROF_JS), "2.0.0");
	assert_string_equal(prof_api_version(PROF_DATASYNC), "3.0.0");
	assert_string_equal(prof_sdk((prof_kind)7), "?");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_collapse),
		cmocka_unit_test(test_push_rules),
		cmocka_unit_test(test_net_legacy),
		cmocka_unit_test(test_js),
		cmocka_unit_test(test_datasync),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
