/*
** test_lib.c: lib/ (xmem, sb, jx and its page reader).
*/
#include "tests/testutil.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/hash.h"
#include "lib/jx.h"
#include "lib/sb.h"
#include "lib/xmem.h"

static const char doc_text[] =
    "{\n"
    "  \"id\": \"x\",\n"
    "  \"steps\": [\n"
    "    {\"do\": \"push\", \"device\": \"Tablet-C\"},\n"
    "    {\"do\": \"pull\", \"n\": 2.5}\n"
    "  ]\n"
    "}\n";

static void
test_locate(void **state)
{
	jx_doc d;
	int l, c;
	(void)state;
	assert_int_equal(jx_load_text(&d, "t.json", doc_text, strlen(doc_text)), 0);
	assert_int_equal(jx_locate(&d, "steps[0].device", &l, &c), 0);
	assert_int_equal(l, 4);
	assert_int_equal(c, 30);
	assert_int_equal(jx_locate(&d, "steps[1]", &l, &c), 0);
	assert_int_equal(l, 5);
	assert_int_equal(c, 5);
	assert_int_equal(jx_locate(&d, "", &l, &c), 0);
	assert_int_equal(l, 1);
	assert_int_equal(jx_locate(&d, "steps[7]", &l, &c), -1);
	/* An error at a path that does not exist lands on its parent. */
	jx_err(&d, "steps[1].missing", "what");
	jx_err(&d, "steps[0].device", "unknown device \"%s\"", "Tablet-C");
	assert_int_equal(d.nerr, 2);
	assert_string_equal(sb_str(&d.errs),
	    "t.json:5:5: steps[1].missing: what\n"
	    "t.json:4:30: steps[0].device: unknown device \"Tablet-C\"\n");
	jx_free(&d);
}

/* Many paths in one pass give the same places as one jx_locate each. */
static void
test_locate_many(void **state)
{
	jx_doc d;
	(void)state;
	const char *paths[] = { "steps[1]", "steps[0].device", "", "nope",
	    "steps[0].device", "id" };
	int lines[6], cols[6];
	assert_int_equal(jx_load_text(&d, "t.json", doc_text, strlen(doc_text)), 0);
	assert_int_equal(jx_locate_many(&d, paths, 6, lines, cols), 5);
	for (size_t i = 0; i < 6; i++) {
		int l = 1, c = 1;
		jx_locate(&d, paths[i], &l, &c);
		assert_int_equal(lines[i], l);
		assert_int_equal(cols[i], c);
	}
	assert_int_equal(lines[1], 4);
	assert_int_equal(cols[1], 30);
	assert_int_equal(lines[3], 1);	/* not found: 1:1 */
	assert_int_equal(jx_locate_many(&d, paths, 0, lines, cols), 0);
	jx_free(&d);
}

static void
test_syntax(void **state)
{
	jx_doc d;
	(void)state;
	const char *bad = "{\n  \"a\": 1,\n  \"b\": [1, 2,,]\n}";
	assert_int_equal(jx_load_text(&d, "b.json", bad, strlen(bad)), -1);
	assert_null(d.root);
	assert_int_equal(d.nerr, 1);
	assert_non_null(strstr(sb_str(&d.errs), "b.json:3:"));
	jx_free(&d);

	const char *eof = "{\"a\": [1, 2";
	assert_int_equal(jx_load_text(&d, "e.json", eof, strlen(eof)), -1);
	assert_non_null(strstr(sb_str(&d.errs), "unexpected end of file"));
	jx_free(&d);

	const char nul[] = "{\"a\": 1}\0junk";
	assert_int_equal(jx_load_text(&d, "n.json", nul, sizeof nul - 1), -1);
	assert_non_null(strstr(sb_str(&d.errs), "NUL byte"));
	jx_free(&d);

	assert_int_equal(jx_load_file(&d, "/nonexistent/x.json"), -1);
	assert_non_null(strstr(sb_str(&d.errs), "cannot open"));
	jx_free(&d);
}

static void
test_duplicates(void **state)
{
	jx_doc d;
	(void)state;
	const char *t = "{\"a\": {\"x\": 1,\n \"x\": 2}, \"b\": [{\"y\": 1, \"y\": 1}]}";
	assert_int_equal(jx_load_text(&d, "d.json", t, strlen(t)), -1);
	assert_int_equal(d.nerr, 2);
	assert_non_null(strstr(sb_str(&d.errs), "d.json:2:2: a.x: duplicate key \"x\""));
	assert_non_null(strstr(sb_str(&d.errs), "b[0].y: duplicate key \"y\""));
	jx_free(&d);

	/* A duplicate after many keys is still found. */
	sb b = SB_INIT;
	sb_add(&b, "{");
	for (int i = 0; i < 100; i++)
		sb_addf(&b, "\"k%d\": %d, ", i, i);
	sb_add(&b, "\"k70\": 0}");
	assert_int_equal(jx_load_text(&d, "m.json", b.s, b.len), -1);
	assert_int_equal(d.nerr, 1);
	assert_non_null(strstr(sb_str(&d.errs), "k70: duplicate key \"k70\""));
	jx_free(&d);

	/* Deep nesting with a duplicate at the bottom: found, no deep stack. */
	sb_reset(&b);
	for (int i = 0; i < 400; i++)
		sb_add(&b, "{\"a\": ");
	sb_add(&b, "{\"x\": 1, \"x\": 2}");
	for (int i = 0; i < 400; i++)
		sb_add(&b, "}");
	assert_int_equal(jx_load_text(&d, "deep.json", b.s, b.len), -1);
	assert_int_equal(d.nerr, 1);
	assert_non_null(strstr(sb_str(&d.errs), "duplicate key \"x\""));
	jx_free(&d);
	sb_free(&b);
}

static void
test_getters(void **state)
{
	jx_doc d;
	const char *s = NULL;
	long long n = 0;
	int b = 0;
	const cJSON *a = NULL, *steps;
	(void)state;
	assert_int_equal(jx_load_text(&d, "t.json", doc_text, strlen(doc_text)), 0);
	assert_int_equal(jx_str(&d, d.root, "", "id", 1, &s), 1);
	assert_string_equal(s, "x");
	assert_int_equal(jx_str(&d, d.root, "", "title", 0, &s), 0);
	assert_int_equal(jx_str(&d, d.root, "", "title", 1, &s), -1);
	assert_int_equal(jx_arr(&d, d.root, "", "steps", 1, &steps), 1);
	assert_int_equal(jx_obj(&d, d.root, "", "steps", 1, &a), -1);
	assert_int_equal(jx_bool(&d, d.root, "", "id", 1, &b), -1);
	const cJSON *s1 = cJSON_GetArrayItem(steps, 1);
	assert_int_equal(jx_int(&d, s1, "steps[1]", "n", 1, 0, 10, &n), -1);
	static const char *const allowed[] = { "do", NULL };
	jx_only(&d, s1, "steps[1]", allowed);
	assert_int_equal(d.nerr, 5);
	const char *e = sb_str(&d.errs);
	assert_non_null(strstr(e, "t.json:1:1: (top level): missing required \"title\""));
	assert_non_null(strstr(e, "steps: must be an object, not an array"));
	assert_non_null(strstr(e, "id: must be true or false, not a string"));
	assert_non_null(strstr(e, "t.json:5:25: steps[1].n: must be a whole number, not 2.5"));
	assert_non_null(strstr(e, "steps[1].n: unknown key \"n\" (allowed: do)"));
	jx_free(&d);
}

/* The span of a member value as a string, for comparisons. */
static char *
span(const jx_val *v)
{
	return xstrndup(v->s, v->n);
}

static void
test_page_read(void **state)
{
	(void)state;
	jx_page p;
	memset(&p, 0, sizeof p);
	const char *t = " [ {\"id\":\"a\", \"n\": -1.5e3, \"b\" :true,"
	    "\"z\":null,\"o\":{\"x\":[1,{}]},\"e\":\"q\\\"\\u00e9\"} ,\n"
	    "{},{\"id\":\"b\",\"id\":\"c\"} ]\r\n";
	assert_int_equal(jx_page_read(&p, t, strlen(t)), 0);
	assert_int_equal(p.nrows, 3);
	char *r0 = span(&p.rows[0]);
	assert_string_equal(r0, "{\"id\":\"a\", \"n\": -1.5e3, \"b\" :true,"
	    "\"z\":null,\"o\":{\"x\":[1,{}]},\"e\":\"q\\\"\\u00e9\"}");
	free(r0);
	assert_int_equal(p.first[0], 0);
	assert_int_equal(p.first[1], 6);
	assert_int_equal(p.first[2], 6);
	assert_int_equal(p.first[3], 8);
	const jx_member *m = p.m;
	assert_int_equal(m[0].val.kind, JX_STRING);
	assert_int_equal(m[0].val.n, 1);
	assert_int_equal(m[1].val.kind, JX_NUMBER);
	char *num = span(&m[1].val);
	assert_string_equal(num, "-1.5e3");
	free(num);
	assert_int_equal(m[2].val.kind, JX_TRUE);
	assert_int_equal(m[3].val.kind, JX_NULL);
	assert_int_equal(m[4].val.kind, JX_OBJECT);
	char *o = span(&m[4].val);
	assert_string_equal(o, "{\"x\":[1,{}]}");
	free(o);
	assert_int_equal(m[5].val.kind, JX_STRING);
	assert_int_equal(m[5].val.esc, 1);
	assert_int_equal(m[0].val.esc, 0);
	/* Repeated names are kept, in order. */
	assert_int_equal(m[6].key.n, 2);
	assert_int_equal(m[7].val.s[0], 'c');
	/* Read again into the same arrays. */
	assert_int_equal(jx_page_read(&p, "[]", 2), 0);
	assert_int_equal(p.nrows, 0);
	/* Anything that is not strict JSON, or not an array of objects. */
	const char *bad[] = {
		"", "{}", "[1]", "[{}", "[{},]", "[{\"a\":01}]",
		"[{\"a\":1.}]", "[{\"a\":+1}]", "[{\"a\":\"x\ty\"}]",
		"[{\"a\":\"\\x\"}]", "[{\"a\":\"\\u12g4\"}]",
		"[{\"a\":tru}]", "[{\"a\" 1}]", "[{a:1}]", "[{}] x",
		"[{\"a\":[1,]}]", "[{\"a\":\"open}]", "[{\"a\":-}]",
		"[{\"a\":1e}]", "[{\"a\":\"\\u00\"}]",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (jx_page_read(&p, bad[i], strlen(bad[i])) != -1)
			fail_msg("accepted %s", bad[i]);
		assert_int_equal(p.nrows, 0);
	}
	/* Nesting deeper than the reader goes is refused, not recursed. */
	sb deep = SB_INIT;
	sb_add(&deep, "[{\"a\":");
	for (int i = 0; i < 100000; i++)
		sb_addc(&deep, '[');
	assert_int_equal(jx_page_read(&p, deep.s, deep.len), -1);
	sb_free(&deep);
	jx_page_free(&p);
}

/* Numbers out of range are refused before any conversion, with a message
** that names the range (1e76 is whole, only too large). */
static void
test_ranges(void **state)
{
	jx_doc d;
	long long n = 7;
	(void)state;
	const char *t = "{\"seed\": 1e76, \"a\": -1e300, \"b\": 2.5, "
	    "\"c\": 9223372036854775807, \"d\": 42}";
	assert_int_equal(jx_load_text(&d, "r.json", t, strlen(t)), 0);
	assert_int_equal(jx_int(&d, d.root, "", "seed", 1, 0, 4294967295LL, &n), -1);
	assert_int_equal(jx_int(&d, d.root, "", "a", 1, 0, 10, &n), -1);
	assert_int_equal(jx_int(&d, d.root, "", "b", 1, 0, 10, &n), -1);
	assert_int_equal(jx_int(&d, d.root, "", "c", 1, LLONG_MIN, LLONG_MAX, &n), -1);
	assert_int_equal(n, 7);
	assert_int_equal(jx_int(&d, d.root, "", "d", 1, 0, 100, &n), 1);
	assert_int_equal(n, 42);
	const char *e = sb_str(&d.errs);
	assert_non_null(strstr(e, "r.json:1:10: seed: must be between 0 and "
	    "4294967295, not 1e+76"));
	assert_non_null(strstr(e, "a: must be between 0 and 10, not -1e+300"));
	assert_non_null(strstr(e, "b: must be a whole number, not 2.5"));
	/* 2^63 is where 9223372036854775807 lands as a double. */
	assert_non_null(strstr(e, "c: must be between"));
	jx_free(&d);
	assert_int_equal(jx_whole(1.0 / 0.0, 0, 10, &n), -2);
	assert_int_equal(jx_whole(0.0 / 0.0, 0, 10, &n), -2);
	assert_int_equal(jx_whole(-0x1p63, LLONG_MIN, 0, &n), 0);
	assert_true(n == LLONG_MIN);
}

/* Past JX_ERR_SHOWN errors are counted, and one last line says how many
** were left out; each error costs about its path, however many. */
static void
test_error_cap(void **state)
{
	jx_doc d;
	(void)state;
	sb b = SB_INIT;
	sb_add(&b, "{\"steps\": [");
	for (int i = 0; i < 20000; i++)
		sb_addf(&b, "%s\n{\"device\": \"Z%d\"}", i ? "," : "", i);
	sb_add(&b, "]}");
	assert_int_equal(jx_load_text(&d, "c.json", b.s, b.len), 0);
	for (int i = 0; i < 20000; i++) {
		char p[64];
		snprintf(p, sizeof p, "steps[%d].device", i);
		jx_err(&d, p, "unknown device");
	}
	assert_int_equal(d.nerr, 20000);
	const char *e = sb_str(&d.errs);
	assert_non_null(strstr(e, "c.json:101:12: steps[99].device: unknown device\n"
	    "c.json: 19900 more errors not shown (the first 100 are)\n"));
	assert_null(strstr(e, "steps[100]"));
	assert_int_equal(e[strlen(e) - 1], '\n');
	jx_free(&d);
	sb_free(&b);
}

/* Valid JSON nested past the parser's limit says so, where it happens. */
static void
test_nesting(void **state)
{
	jx_doc d;
	(void)state;
	sb b = SB_INIT;
	for (int i = 0; i < 1100; i++)
		sb_add(&b, "[");
	for (int i = 0; i < 1100; i++)
		sb_add(&b, "]");
	assert_int_equal(jx_load_text(&d, "n.json", b.s, b.len), -1);
	assert_string_equal(sb_str(&d.errs), "n.json:1:1001: arrays and objects "
	    "nested more than 1000 deep (the JSON parser's limit)\n");
	jx_free(&d);
	/* 1000 deep parses, and a duplicate at the bottom is found. */
	sb_reset(&b);
	for (int i = 0; i < 999; i++)
		sb_add(&b, "[");
	sb_add(&b, "{\"x\": 1, \"x\": 2}");
	for (int i = 0; i < 999; i++)
		sb_add(&b, "]");
	assert_int_equal(jx_load_text(&d, "m.json", b.s, b.len), -1);
	assert_int_equal(d.nerr, 1);
	assert_non_null(strstr(sb_str(&d.errs), "m.json:1:1009: "));
	assert_non_null(strstr(sb_str(&d.errs), "[0].x: duplicate key \"x\""));
	jx_free(&d);
	sb_free(&b);
}

/* A member whose name holds '.' or '[' is still found. */
static void
test_odd_names(void **state)
{
	jx_doc d;
	int l = 0, c = 0;
	(void)state;
	const char *t = "{\"a.b\": {\"c[1]\": 5}, \"e\": [0, {\"x\": 1}]}";
	assert_int_equal(jx_load_text(&d, "o.json", t, strlen(t)), 0);
	assert_int_equal(jx_locate(&d, "a.b.c[1]", &l, &c), 0);
	assert_int_equal(c, 18);
	assert_int_equal(jx_locate(&d, "e[1].x", &l, &c), 0);
	assert_int_equal(c, 37);
	assert_int_equal(jx_locate(&d, "e[2]", &l, &c), -1);
	jx_free(&d);
}

static void
test_sb(void **state)
{
	sb b = SB_INIT;
	(void)state;
	assert_string_equal(sb_str(&b), "");
	for (int i = 0; i < 100; i++)
		sb_addf(&b, "%d,", i);
	assert_int_equal(b.len, 290);
	sb_reset(&b);
	sb_addjson(&b, "a\"b\\c\n\x01");
	assert_string_equal(sb_str(&b), "\"a\\\"b\\\\c\\n\\u0001\"");
	char *s = sb_take(&b);
	assert_null(b.s);
	free(s);
	s = sb_take(&b);
	assert_string_equal(s, "");
	free(s);
	sb_free(&b);
}

/* An allocation failure is a clean exit with status 70, never a crash. */
static void
test_oom(void **state)
{
	(void)state;
	char *p = xasprintf("%s-%d", "x", 7);
	assert_string_equal(p, "x-7");
	free(p);
	/* jx_load_text makes exactly two allocations of its own (the name
	** and the text); fail each in turn. */
	for (unsigned long nth = 1; nth <= 2; nth++) {
		pid_t pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			if (freopen("/dev/null", "w", stderr) == NULL)
				_exit(1);
			xmem_fail_after(nth);
			jx_doc d;
			jx_load_text(&d, "t.json", doc_text, strlen(doc_text));
			jx_free(&d);
			_exit(0);
		}
		int st;
		assert_int_equal(waitpid(pid, &st, 0), pid);
		assert_true(WIFEXITED(st));
		assert_int_equal(WEXITSTATUS(st), 70);
	}
}

/*
** Every field of every value is set on each read, also when the arrays
** are reused from a page before: tbl_fits reads esc, and a reader that
** left it unset (as the device's own scanner once did, which valgrind
** reported in tbl_fits) made the answer depend on what memory held.
*/
static void
test_page_reuse(void **state)
{
	jx_page p = { 0 };
	(void)state;
	const char *esc = "[{\"a\":\"x\\n\",\"b\":\"\\u00e9\",\"c\":\"\\\"\","
	    "\"d\":\"\\t\",\"e\":\"\\/\"}]";
	assert_int_equal(jx_page_read(&p, esc, strlen(esc)), 0);
	assert_int_equal(p.nm, 5);
	for (size_t k = 0; k < p.nm; k++)
		assert_int_equal(p.m[k].val.esc, 1);
	const char *plain = "[{\"a\":\"x\",\"b\":1,\"c\":true,\"d\":null,"
	    "\"e\":{\"f\":\"\\n\"}}]";
	assert_int_equal(jx_page_read(&p, plain, strlen(plain)), 0);
	assert_int_equal(p.nm, 5);
	static const jx_kind kinds[] = { JX_STRING, JX_NUMBER, JX_TRUE,
	    JX_NULL, JX_OBJECT };
	for (size_t k = 0; k < p.nm; k++) {
		assert_int_equal(p.m[k].key.esc, 0);
		assert_int_equal(p.m[k].key.kind, JX_STRING);
		assert_int_equal(p.m[k].val.kind, kinds[k]);
		assert_int_equal(p.m[k].val.esc, 0);
		assert_true(p.m[k].val.num == 0);
		assert_non_null(p.m[k].val.s);
	}
	assert_int_equal(p.rows[0].esc, 0);
	jx_page_free(&p);
}

/* SipHash-2-4 against the reference vectors (the paper's example and the
** first of vectors.h); the process key gives one value per string. */
static void
test_hash(void **state)
{
	(void)state;
	unsigned char m[64];
	for (int i = 0; i < 64; i++)
		m[i] = (unsigned char)i;
	uint64_t k0 = 0x0706050403020100ULL, k1 = 0x0f0e0d0c0b0a0908ULL;
	assert_true(hash_sip(k0, k1, m, 15) == 0xa129ca6149be45e5ULL);
	assert_true(hash_sip(k0, k1, m, 0) == 0x726fdb47dd0e0e31ULL);
	assert_true(hash_sip(k0, k1, m, 8) != hash_sip(k0, k1, m, 9));
	assert_true(hash_key("id-1") == hash_key("id-1"));
	assert_true(hash_key("id-1") != hash_key("id-2"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_locate),
		cmocka_unit_test(test_locate_many),
		cmocka_unit_test(test_syntax),
		cmocka_unit_test(test_duplicates),
		cmocka_unit_test(test_getters),
		cmocka_unit_test(test_page_read),
		cmocka_unit_test(test_ranges),
		cmocka_unit_test(test_error_cap),
		cmocka_unit_test(test_nesting),
		cmocka_unit_test(test_odd_names),
		cmocka_unit_test(test_page_reuse),
		cmocka_unit_test(test_sb),
		cmocka_unit_test(test_oom),
		cmocka_unit_test(test_hash),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
