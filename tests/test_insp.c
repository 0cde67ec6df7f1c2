/*
** test_insp.c: the store inspector's SQL (sim/insp.c): reads work; writes,
** DDL, PRAGMA, ATTACH and functions off the list are refused; runaway
** queries stop; big values are refused; the store is never touched.
*/
#include "tests/testutil.h"

#include <stdlib.h>
#include <time.h>

#include "sim/insp.h"


/* The time given to queries that must finish: INSP_MS (the default, 0)
** is meant for a person at the inspector, and the tests also run under
** valgrind on a shared machine. */
#define T_MS	30000
static sqlite3 *
mkstore(void)
{
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db,
	    "CREATE TABLE todoitem (id TEXT PRIMARY KEY, text TEXT, version INTEGER);"
	    "INSERT INTO todoitem VALUES ('t1', 'Buy milk', 1), ('t2', 'Call', 2);",
	    NULL, NULL, NULL), SQLITE_OK);
	return db;
}

static int
count_rows(sqlite3 *db)
{
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM todoitem",
	    -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	int n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return n;
}

static void
test_select(void **state)
{
	(void)state;
	sqlite3 *db = mkstore();
	insp_result r;
	assert_int_equal(insp_run(db, "SELECT id, upper(text), json_object('v', "
	    "version) FROM todoitem ORDER BY id; SELECT 2", T_MS, &r), INSP_OK);
	assert_int_equal(r.nrows, 2);
	assert_int_equal(r.ncols, 3);
	assert_string_equal(r.cells[1], "BUY MILK");
	assert_string_equal(r.cells[5], "{\"v\":2}");
	assert_string_equal(r.msg, "2 rows; only the first statement runs");
	insp_free(&r);
	/* Each run copies the store anew: an engine write shows next time. */
	assert_int_equal(sqlite3_exec(db, "INSERT INTO todoitem VALUES "
	    "('t3', NULL, 1)", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(insp_run(db, "select text from todoitem where id = 't3'",
	    T_MS, &r), INSP_OK);
	assert_int_equal(r.nrows, 1);
	assert_string_equal(r.cells[0], "NULL");
	insp_free(&r);
	assert_int_equal(insp_run(db, "  -- nothing\n ; ", 0, &r), INSP_EMPTY);
	insp_free(&r);
	sqlite3_close(db);
}

static void
test_refused(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"INSERT INTO todoitem VALUES ('x', 'y', 1)",
		"DELETE FROM todoitem",
		"UPDATE todoitem SET text = 'z'",
		"DROP TABLE todoitem",
		"CREATE TABLE x (a)",
		"PRAGMA writable_schema = 1",
		"ATTACH DATABASE '/tmp/insp-test.db' AS x",
		"SELECT load_extension('/lib/x86_64-linux-gnu/libc.so.6')",
		"SELECT fts3_tokenizer('simple', x'4141414141414141')",
		"SELECT hex(fts3_tokenizer('simple'))",
		"SELECT sqlite_compileoption_get(0)",
		"BEGIN",
		"VACUUM INTO '/tmp/insp-test.db'",
	};
	sqlite3 *db = mkstore();
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		insp_result r;
		insp_status s = insp_run(db, bad[i], T_MS, &r);
		if (s != INSP_REFUSED)
			fprintf(stderr, "%s: %d %s\n", bad[i], s, r.msg);
		assert_int_equal(s, INSP_REFUSED);
		assert_non_null(strstr(r.msg, "Refused: the inspector is read-only"));
		insp_free(&r);
	}
	assert_int_equal(count_rows(db), 2);
	assert_int_equal(access("/tmp/insp-test.db", F_OK), -1);
	insp_result r;
	insp_run(db, "SELECT fts3_tokenizer('simple')", T_MS, &r);
	assert_string_equal(r.msg, "Refused: the inspector is read-only (the "
	    "function fts3_tokenizer() is not on the inspector's list)");
	insp_free(&r);
	sqlite3_close(db);
}

static void
test_limits(void **state)
{
	(void)state;
	sqlite3 *db = mkstore();
	insp_result r;
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(insp_run(db, "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL "
	    "SELECT x+1 FROM c) SELECT count(*) FROM c", 100, &r), INSP_STOPPED);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_non_null(strstr(r.msg, "Stopped: the query ran longer than 100 ms"));
	/* Stopped near its time, not after the query's end (there is none). */
	assert_true(t1.tv_sec - t0.tv_sec < 5);
	insp_free(&r);
	assert_int_equal(insp_run(db, "SELECT randomblob(1000000000)", T_MS, &r),
	    INSP_ERROR);
	assert_non_null(strstr(r.msg, "too big"));
	insp_free(&r);
	assert_int_equal(insp_run(db, "SELECT hex(randomblob(3000))", T_MS, &r),
	    INSP_OK);
	assert_int_equal(strlen(r.cells[0]), INSP_MAXCELL);
	assert_string_equal(r.cells[0] + INSP_MAXCELL - 3, "...");
	insp_free(&r);
	assert_int_equal(insp_run(db, "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL "
	    "SELECT x+1 FROM c LIMIT 5000) SELECT x FROM c", T_MS, &r), INSP_OK);
	assert_int_equal(r.nrows, INSP_MAXROWS);
	assert_true(r.capped);
	assert_string_equal(r.msg, "1000 rows (first 1000 shown)");
	insp_free(&r);
	assert_int_equal(insp_run(db, "SELEKT 1", 0, &r), INSP_ERROR);
	assert_non_null(strstr(r.msg, "Error: near \"SELEKT\""));
	insp_free(&r);
	sqlite3_close(db);
}

/* The list is sorted (it is searched by bisection) and case-blind. */
static void
test_allow_list(void **state)
{
	(void)state;
	assert_true(insp_fn_allowed("abs"));
	assert_true(insp_fn_allowed("COUNT"));
	assert_true(insp_fn_allowed("json_extract"));
	assert_true(insp_fn_allowed("->>"));
	assert_true(insp_fn_allowed("zeroblob"));
	assert_false(insp_fn_allowed("load_extension"));
	assert_false(insp_fn_allowed("fts3_tokenizer"));
	assert_false(insp_fn_allowed("readfile"));
	assert_false(insp_fn_allowed(""));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_select),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_allow_list),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
