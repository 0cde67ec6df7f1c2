#include "tests/testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/odata.h"
#include "lib/rng.h"
#include "sim/wire.h"

static const odata_field fields[] = {
	{ "id", ODATA_STRING },
	{ "text", ODATA_STRING },
	{ "count", ODATA_NUMBER },
	{ "complete", ODATA_BOOL },
	{ "updatedAt", ODATA_DATE },
	{ "version", ODATA_VERSION },
};
#define NFIELDS (sizeof fields / sizeof fields[0])

/* Compiles text, asserting success, and checks the SQL. */
static void
expect_sql(const char *text, const char *sql, odata_sql *out)
{
	sb err = SB_INIT;
	odata_sql q;

	if (odata_filter(text, fields, NFIELDS, &q, &err) != 0)
		fail_msg("'%s' failed: %s", text, sb_str(&err));
	if (sql && strcmp(q.sql, sql) != 0)
		fail_msg("'%s' gave %s, not %s", text, q.sql, sql);
	if (out)
		*out = q;
	else
		odata_sql_free(&q);
	sb_free(&err);
}

/* Compiles text, asserting failure with msg in the error. */
static void
expect_err(const char *text, const char *msg)
{
	sb err = SB_INIT;
	odata_sql q;

	if (odata_filter(text, fields, NFIELDS, &q, &err) == 0)
		fail_msg("'%s' compiled to %s", text, q.sql);
	assert_null(q.sql);
	assert_int_equal(q.nparams, 0);
	if (strstr(sb_str(&err), msg) == NULL)
		fail_msg("'%s': error '%s' lacks '%s'", text, sb_str(&err),
		    msg);
	sb_free(&err);
}

static void
test_comparisons(void **state)
{
	odata_sql q;

	(void)state;
	expect_sql("text eq 'a'", "(\"text\" IS ?)", &q);
	assert_int_equal(q.nparams, 1);
	assert_int_equal(q.params[0].kind, ODATA_P_TEXT);
	assert_string_equal(q.params[0].text, "a");
	odata_sql_free(&q);
	expect_sql("text ne 'a'", "(\"text\" IS NOT ?)", NULL);
	expect_sql("count gt 1", "(\"count\" > ?)", NULL);
	expect_sql("count ge 1", "(\"count\" >= ?)", NULL);
	expect_sql("count lt 1", "(\"count\" < ?)", NULL);
	expect_sql("count le 1", "(\"count\" <= ?)", NULL);
	expect_sql("text eq null", "(\"text\" IS NULL)", NULL);
	expect_sql("null ne text", "(NULL IS NOT \"text\")", NULL);
	expect_sql("complete", "\"complete\"", NULL);
	expect_sql("complete eq true", "(\"complete\" IS ?)", &q);
	assert_int_equal(q.params[0].kind, ODATA_P_INT);
	assert_int_equal(q.params[0].i, 1);
	odata_sql_free(&q);
	expect_sql("  count\teq  2  ", "(\"count\" IS ?)", NULL);
	expect_sql("id eq text", "(\"id\" IS \"text\")", NULL);
}

static void
test_precedence(void **state)
{
	(void)state;
	/* and binds tighter than or. */
	expect_sql("count eq 1 or count eq 2 and count eq 3",
	    "((\"count\" IS ?) OR ((\"count\" IS ?) AND (\"count\" IS ?)))",
	    NULL);
	expect_sql("(count eq 1 or count eq 2) and count eq 3",
	    "(((\"count\" IS ?) OR (\"count\" IS ?)) AND (\"count\" IS ?))",
	    NULL);
	/* Left-associative chains. */
	expect_sql("complete or complete or complete",
	    "((\"complete\" OR \"complete\") OR \"complete\")", NULL);
	/* not covers one comparison, not the and after it. */
	expect_sql("not count eq 1 and complete",
	    "((NOT (\"count\" IS ?)) AND \"complete\")", NULL);
	expect_sql("not not complete", "(NOT (NOT \"complete\"))", NULL);
	expect_sql("not (complete or complete)",
	    "(NOT (\"complete\" OR \"complete\"))", NULL);
	expect_sql("((((count eq 1))))", "(\"count\" IS ?)", NULL);
}

static void
test_literals(void **state)
{
	odata_sql q;

	(void)state;
	expect_sql("text eq 'it''s'", NULL, &q);
	assert_string_equal(q.params[0].text, "it's");
	odata_sql_free(&q);
	expect_sql("text eq ''''", NULL, &q);
	assert_string_equal(q.params[0].text, "'");
	odata_sql_free(&q);
	expect_sql("text eq ''", NULL, &q);
	assert_string_equal(q.params[0].text, "");
	odata_sql_free(&q);
	expect_sql("count eq -5", NULL, &q);
	assert_int_equal(q.params[0].kind, ODATA_P_INT);
	assert_int_equal(q.params[0].i, -5);
	odata_sql_free(&q);
	expect_sql("count eq 2.5", NULL, &q);
	assert_int_equal(q.params[0].kind, ODATA_P_REAL);
	assert_true(q.params[0].d == 2.5);
	odata_sql_free(&q);
	expect_sql("count eq 1e3", NULL, &q);
	assert_int_equal(q.params[0].kind, ODATA_P_REAL);
	assert_true(q.params[0].d == 1000);
	odata_sql_free(&q);
	expect_sql("count eq 7L", NULL, &q);
	assert_int_equal(q.params[0].kind, ODATA_P_INT);
	assert_int_equal(q.params[0].i, 7);
	odata_sql_free(&q);
	expect_sql("count eq 99999999999999999999", NULL, &q);
	assert_int_equal(q.params[0].kind, ODATA_P_REAL);
	odata_sql_free(&q);
	expect_sql("complete eq false", NULL, &q);
	assert_int_equal(q.params[0].i, 0);
	odata_sql_free(&q);
	/* Versions are compared as counters. */
	expect_sql("version eq 'Mg=='", "(\"version\" IS ?)", &q);
	assert_int_equal(q.params[0].kind, ODATA_P_INT);
	assert_int_equal(q.params[0].i, 2);
	odata_sql_free(&q);
	expect_sql("version ge 'MTA='", NULL, &q);
	assert_int_equal(q.params[0].i, 10);
	odata_sql_free(&q);
	/* A filter takes any run of digits, leading zeros included. */
	expect_sql("version eq 'MDE='", NULL, &q);
	assert_int_equal(q.params[0].i, 1);
	odata_sql_free(&q);
}

/* The base64 of versions: written as decimal text, decoded to bytes. */
static void
test_version_b64(void **state)
{
	char out[32], dec[24];

	(void)state;
	wire_version_b64(1, out);
	assert_string_equal(out, "MQ==");
	wire_version_b64(10, out);
	assert_string_equal(out, "MTA=");
	wire_version_b64(123, out);
	assert_string_equal(out, "MTIz");
	wire_version_b64(-5, out);
	assert_string_equal(out, "LTU=");
	assert_int_equal(wire_b64_decode("MQ==", dec), 1);
	assert_string_equal(dec, "1");
	assert_int_equal(wire_b64_decode("MTIz", dec), 3);
	assert_string_equal(dec, "123");
	/* Any bytes, a NUL included: the count tells. */
	assert_int_equal(wire_b64_decode("AA==", dec), 1);
	assert_int_equal(dec[0], '\0');
	/* 28 characters at most, whole groups, '=' only at the end. */
	assert_int_equal(wire_b64_decode("MTIzNDU2Nzg5MDEyMzQ1Njc4OTAx", dec),
	    21);
	assert_int_equal(wire_b64_decode("MTIzNDU2Nzg5MDEyMzQ1Njc4OTAxMjM0",
	    dec), -1);
	assert_int_equal(wire_b64_decode("", dec), -1);
	assert_int_equal(wire_b64_decode("MQ=", dec), -1);
	assert_int_equal(wire_b64_decode("M=Q=", dec), -1);
	assert_int_equal(wire_b64_decode("MQ==MQ==", dec), -1);
	assert_int_equal(wire_b64_decode("MQ*=", dec), -1);
}

/* Dates are normalised to the stored format before comparing. */
static void
test_dates(void **state)
{
	odata_sql q;
	static const char *const same[] = {
		"updatedAt ge datetimeoffset'2026-11-27T14:40:37.125Z'",
		"updatedAt ge datetimeoffset'2026-11-27T14:40:37.1250000Z'",
		"updatedAt ge datetimeoffset'2026-11-27T16:40:37.125+02:00'",
		"updatedAt ge datetimeoffset'2026-11-27T12:10:37.125-02:30'",
		"updatedAt ge datetime'2026-11-27T14:40:37.125Z'",
		"updatedAt ge '2026-11-27T14:40:37.125Z'",
		"datetimeoffset'2026-11-27T14:40:37.125Z' le updatedAt",
		/* OData v4, as the Datasync client writes it. */
		"updatedAt ge cast(2026-11-27T14:40:37.125Z,Edm.DateTimeOffset)",
		"(updatedAt ge cast(2026-11-27T14:40:37.125Z, "
		    "Edm.DateTimeOffset))",
	};

	(void)state;
	for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
		expect_sql(same[i], NULL, &q);
		assert_int_equal(q.nparams, 1);
		assert_string_equal(q.params[0].text,
		    "2026-11-27T14:40:37.125Z");
		odata_sql_free(&q);
	}
	expect_sql("updatedAt gt datetimeoffset'2026-11-27T14:40:37Z'", NULL,
	    &q);
	assert_string_equal(q.params[0].text, "2026-11-27T14:40:37.000Z");
	odata_sql_free(&q);
	/* Finer than a millisecond: compared with the floor, operator
	** adjusted so that the answer stays exact. */
	expect_sql("updatedAt ge datetimeoffset'2026-11-27T14:40:37.1251Z'",
	    "(\"updatedAt\" > ?)", &q);
	assert_string_equal(q.params[0].text, "2026-11-27T14:40:37.125Z");
	odata_sql_free(&q);
	expect_sql("updatedAt lt datetimeoffset'2026-11-27T14:40:37.1251Z'",
	    "(\"updatedAt\" <= ?)", NULL);
	expect_sql("datetimeoffset'2026-11-27T14:40:37.1251Z' gt updatedAt",
	    "(\"updatedAt\" <= ?)", NULL);
	expect_sql("updatedAt eq datetimeoffset'2026-11-27T14:40:37.1251Z'",
	    "(\"updatedAt\" IS NULL AND 0)", NULL);
	/* A cast to another type, or one cut short, is no date. */
	expect_err("updatedAt ge cast(2026-11-27T14:40:37Z,Edm.Date)", "");
	expect_err("updatedAt ge cast(2026-11-27T14:40:37Z", "");
	expect_err("updatedAt ge cast(,Edm.DateTimeOffset)", "");
	expect_err("updatedAt ge cast(nonsense,Edm.DateTimeOffset)",
	    "ISO-8601");
	/* Trailing zeros are not finer digits. */
	expect_sql("updatedAt ge datetimeoffset'2026-11-27T14:40:37.1250Z'",
	    "(\"updatedAt\" >= ?)", NULL);

	int64_t ms;
	int sub;
	char buf[32];
	assert_int_equal(wire_parse_time("2026-11-27T14:40:37.1255Z", &ms,
	    &sub), 0);
	assert_int_equal(sub, 1);
	wire_format_time(ms, buf);
	assert_string_equal(buf, "2026-11-27T14:40:37.125Z");
	assert_int_equal(wire_parse_time("2024-02-29T23:59:59.9Z", &ms, &sub),
	    0);
	assert_int_equal(sub, 0);
	wire_format_time(ms, buf);
	assert_string_equal(buf, "2024-02-29T23:59:59.900Z");
	assert_int_equal(wire_parse_time("0000-01-01T00:00:00Z", &ms, NULL),
	    0);
	wire_format_time(ms - 1, buf);	/* clamped */
	assert_string_equal(buf, "0000-01-01T00:00:00.000Z");
	assert_int_equal(wire_parse_time("9999-12-31T23:59:59.999Z", &ms,
	    NULL), 0);
	assert_int_equal(wire_parse_time("9999-12-31T23:59:59.999-01:00",
	    &ms, NULL), -1);
	assert_int_equal(wire_parse_time("2026-11-27T24:00:00Z", &ms, NULL),
	    -1);
	assert_int_equal(wire_parse_time("2026-11-27T14:40:37.Z", &ms, NULL),
	    -1);
	assert_int_equal(wire_parse_time("2026-11-27T14:40:37Z ", &ms, NULL),
	    -1);
	assert_int_equal(wire_parse_time("2026-11-27T14:40:37+2:00", &ms,
	    NULL), -1);
}

static void
test_functions(void **state)
{
	(void)state;
	expect_sql("startswith(text,'ab')", "(instr(\"text\", ?) = 1)", NULL);
	expect_sql("substringof('b', text)", "(instr(\"text\", ?) > 0)", NULL);
	expect_sql("contains(text,'b')", "(instr(\"text\", ?) > 0)", NULL);
	expect_sql("indexof(text,'c') eq 2",
	    "((instr(\"text\", ?) - 1) IS ?)", NULL);
	expect_sql("length(text) gt 2", "(length(\"text\") > ?)", NULL);
	expect_sql("tolower(text) eq 'abc'", "(lower(\"text\") IS ?)", NULL);
	expect_sql("toupper(tolower(text)) eq 'ABC'",
	    "(upper(lower(\"text\")) IS ?)", NULL);
	expect_sql("not startswith (text, 'a')",
	    "(NOT (instr(\"text\", ?) = 1))", NULL);
	expect_sql("concat(text,'x') eq 'ax'", "((\"text\" || ?) IS ?)", NULL);
}

/* Runs the compiled filters against real rows: the functions must give the
** right answers (the reference's never match or swap arguments). */
static char *
run(sqlite3 *db, const char *filter)
{
	sb err = SB_INIT;
	char *sql;
	odata_sql q;
	sqlite3_stmt *st;
	static char out[512];

	if (odata_filter(filter, fields, NFIELDS, &q, &err) != 0)
		fail_msg("'%s': %s", filter, sb_str(&err));
	sql = sqlite3_mprintf("SELECT id FROM t WHERE %s ORDER BY id", q.sql);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL),
	    SQLITE_OK);
	assert_int_equal(odata_bind(st, 1, &q), (int)q.nparams + 1);
	out[0] = '\0';
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (out[0])
			strcat(out, ",");
		strcat(out, (const char *)sqlite3_column_text(st, 0));
	}
	sqlite3_finalize(st);
	sqlite3_free(sql);
	odata_sql_free(&q);
	sb_free(&err);
	return out;
}

static void
test_semantics(void **state)
{
	sqlite3 *db;

	(void)state;
	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db,
	    "CREATE TABLE t (id TEXT, text TEXT, count REAL, complete INTEGER,"
	    " updatedAt TEXT, version INTEGER);"
	    "INSERT INTO t VALUES ('1', 'abc', 1, 1, "
	    "'2026-01-01T00:00:00.000Z', 1);"
	    "INSERT INTO t VALUES ('2', 'a%x', 2, 0, "
	    "'2026-01-01T00:00:00.001Z', 2);"
	    "INSERT INTO t VALUES ('3', NULL, NULL, NULL, NULL, 3);"
	    "INSERT INTO t VALUES ('4', 'xbc', 10, 1, "
	    "'2026-01-02T00:00:00.000Z', 10);"
	    "INSERT INTO t VALUES ('5', 'ABC', 2.5, 0, "
	    "'2026-01-01T00:00:00.000Z', 1);",
	    NULL, NULL, NULL), SQLITE_OK);
	assert_string_equal(run(db, "startswith(text,'ab')"), "1");
	assert_string_equal(run(db, "startswith(text,'AB')"), "5");
	assert_string_equal(run(db, "startswith(text,'a%')"), "2");
	assert_string_equal(run(db, "startswith(text,'')"), "1,2,4,5");
	assert_string_equal(run(db, "endswith(text,'bc')"), "1,4");
	assert_string_equal(run(db, "endswith(text,'abcd')"), "");
	assert_string_equal(run(db, "endswith(text,'')"), "1,2,4,5");
	assert_string_equal(run(db, "substringof('b',text)"), "1,4");
	assert_string_equal(run(db, "contains(text,'%')"), "2");
	assert_string_equal(run(db, "contains(text,'_')"), "");
	assert_string_equal(run(db, "indexof(text,'c') eq 2"), "1,4");
	assert_string_equal(run(db, "indexof(text,'q') eq -1"), "1,2,4,5");
	assert_string_equal(run(db, "indexof(text,'a') eq 0"), "1,2");
	assert_string_equal(run(db, "length(text) eq 3"), "1,2,4,5");
	assert_string_equal(run(db, "tolower(text) eq 'abc'"), "1,5");
	assert_string_equal(run(db, "toupper(text) eq 'XBC'"), "4");
	/* Null-safe equality, as OData wants. */
	assert_string_equal(run(db, "text ne 'abc'"), "2,3,4,5");
	assert_string_equal(run(db, "not (text eq 'abc')"), "2,3,4,5");
	assert_string_equal(run(db, "text eq null"), "3");
	assert_string_equal(run(db, "count gt 1 and count lt 10"), "2,5");
	assert_string_equal(run(db, "count eq 2.5 or count eq 10"), "4,5");
	assert_string_equal(run(db, "complete"), "1,4");
	assert_string_equal(run(db, "not complete"), "2,5");
	assert_string_equal(run(db, "complete eq false"), "2,5");
	assert_string_equal(run(db, "version eq 'MQ=='"), "1,5");
	assert_string_equal(run(db, "version ge 'Mw=='"), "3,4");
	assert_string_equal(run(db,
	    "updatedAt ge datetimeoffset'2026-01-01T00:00:00.001Z'"), "2,4");
	assert_string_equal(run(db,
	    "updatedAt gt datetimeoffset'2026-01-01T00:00:00.001Z'"), "4");
	assert_string_equal(run(db,
	    "updatedAt ge datetimeoffset'2026-01-01T00:00:00.0005Z'"), "2,4");
	assert_string_equal(run(db,
	    "updatedAt le datetimeoffset'2026-01-01T00:00:00.0005Z'"), "1,5");
	assert_string_equal(run(db,
	    "updatedAt ne datetimeoffset'2026-01-01T00:00:00.0005Z'"),
	    "1,2,3,4,5");
	assert_string_equal(run(db,
	    "updatedAt le datetimeoffset'2026-01-01T01:00:00+01:00'"), "1,5");
	sqlite3_close(db);
}

/* The functions and operators the reference server evaluates: the SQL they
** compile to (every value a parameter). */
static void
test_functions_sql(void **state)
{
	odata_sql q;

	(void)state;
	expect_sql("year(updatedAt) eq 2026",
	    "(CAST(strftime('%Y', \"updatedAt\") AS INTEGER) IS ?)", NULL);
	expect_sql("second(updatedAt) gt 1",
	    "(CAST(strftime('%S', \"updatedAt\") AS INTEGER) > ?)", NULL);
	expect_sql("round(count) eq 3", "(round(\"count\") IS ?)", NULL);
	expect_sql("floor(count) eq 3", "(floor(\"count\") IS ?)", NULL);
	expect_sql("ceiling(count) eq 3", "(ceiling(\"count\") IS ?)", NULL);
	expect_sql("count add 1 eq 2", "((\"count\" + ?) IS ?)", NULL);
	expect_sql("count sub 1 mul 2 eq 2", "((\"count\" - (? * ?)) IS ?)",
	    NULL);
	expect_sql("count div 2 le count mod 3",
	    "((\"count\" / ?) <= mod(\"count\", ?))", NULL);
	expect_sql("substring(text, 1) eq 'b'",
	    "(substr(\"text\", max(CAST(? AS INTEGER), 0) + 1) IS ?)", &q);
	assert_int_equal(q.nparams, 2);
	assert_int_equal(q.params[0].kind, ODATA_P_INT);
	assert_int_equal(q.params[0].i, 1);
	odata_sql_free(&q);
	/* The start is used three times, so its value is bound three times. */
	expect_sql("substring(text, 1, 2) eq 'bc'", NULL, &q);
	assert_int_equal(q.nparams, 5);
	assert_int_equal(q.params[3].i, 1);
	assert_string_equal(q.params[4].text, "bc");
	odata_sql_free(&q);
}

static void
test_functions_values(void **state)
{
	sqlite3 *db;

	(void)state;
	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db,
	    "CREATE TABLE t (id TEXT, text TEXT, count REAL, complete INTEGER,"
	    " updatedAt TEXT, version INTEGER);"
	    "INSERT INTO t VALUES ('1', 'alpha', 7, 1, "
	    "'2026-03-05T23:30:45.678Z', 1);"
	    "INSERT INTO t VALUES ('2', 'Beta', -2.5, 0, "
	    "'2025-12-31T00:00:00.000Z', 1);"
	    "INSERT INTO t VALUES ('3', 'gamma ray', 2.5, 0, "
	    "'2026-01-01T12:59:59.999Z', 1);"
	    "INSERT INTO t VALUES ('4', NULL, NULL, NULL, NULL, 1);"
	    "INSERT INTO t VALUES ('5', '', 3.5, 1, "
	    "'2026-01-01T00:00:00.000Z', 1);"
	    "INSERT INTO t VALUES ('6', 'h\xc3\xa9llo', 0, 1, "
	    "'2024-02-29T06:07:08.009Z', 1);",
	    NULL, NULL, NULL), SQLITE_OK);

	/* substring: 0-based, characters not bytes, 2 or 3 arguments. */
	assert_string_equal(run(db, "substring(text, 1) eq 'lpha'"), "1");
	assert_string_equal(run(db, "substring(text, 1, 2) eq 'lp'"), "1");
	assert_string_equal(run(db, "substring(text, 0, 2) eq 'al'"), "1");
	/* eq is null-safe: a null text's substring is null, equal to it. */
	assert_string_equal(run(db, "substring(text, 0) eq text"),
	    "1,2,3,4,5,6");
	assert_string_equal(run(db, "substring(text, 10) eq ''"), "1,2,3,5,6");
	assert_string_equal(run(db, "substring(text, 1, 0) eq ''"),
	    "1,2,3,5,6");
	assert_string_equal(run(db, "substring(text, 1, 1) eq '\xc3\xa9'"),
	    "6");
	assert_string_equal(run(db, "substring(text, 2, 100) eq 'mma ray'"),
	    "3");
	assert_string_equal(run(db, "substring(text, 1) eq null"), "4");
	/* A computed start or length is a window, as SQL Server takes it:
	** start -2 with length 3 is the first character, a negative length
	** is ''; SQLite's substr() would count a negative start from the
	** end ('Beta' would give 'a'). */
	assert_string_equal(run(db, "substring(text, count sub 9, 3) eq 'a'"),
	    "1");
	assert_string_equal(run(db, "substring(text, 0, count) eq ''"),
	    "2,5,6");
	assert_string_equal(run(db, "substring(text, 0, count) eq 'ga'"), "3");
	assert_string_equal(run(db, "substring(text, count) eq 'ta'"), "");
	assert_string_equal(run(db, "substring(text, count mul -1) eq 'ta'"),
	    "2");

	/* Date parts, in UTC (the stored text is UTC). */
	assert_string_equal(run(db, "year(updatedAt) eq 2026"), "1,3,5");
	assert_string_equal(run(db, "year(updatedAt) eq 2025"), "2");
	assert_string_equal(run(db, "month(updatedAt) eq 3"), "1");
	assert_string_equal(run(db, "month(updatedAt) eq 2"), "6");
	assert_string_equal(run(db, "day(updatedAt) eq 29"), "6");
	assert_string_equal(run(db, "day(updatedAt) eq 5"), "1");
	assert_string_equal(run(db, "hour(updatedAt) eq 23"), "1");
	assert_string_equal(run(db, "hour(updatedAt) eq 6"), "6");
	assert_string_equal(run(db, "minute(updatedAt) eq 30"), "1");
	assert_string_equal(run(db, "minute(updatedAt) eq 59"), "3");
	assert_string_equal(run(db, "second(updatedAt) eq 45"), "1");
	/* Whole seconds: 59.999 is 59, not rounded up. */
	assert_string_equal(run(db, "second(updatedAt) eq 59"), "3");
	assert_string_equal(run(db, "year(updatedAt) eq null"), "4");
	assert_string_equal(run(db, "id eq '1' and year(datetimeoffset"
	    "'2026-01-01T01:00:00+02:00') eq 2025"), "1");
	assert_string_equal(run(db, "id eq '1' and hour(datetimeoffset"
	    "'2026-01-01T01:00:00+02:00') eq 23"), "1");

	/* round: halves away from zero; floor and ceiling. */
	assert_string_equal(run(db, "round(count) eq 3"), "3");
	assert_string_equal(run(db, "round(count) eq -3"), "2");
	assert_string_equal(run(db, "round(count) eq 4"), "5");
	assert_string_equal(run(db, "round(count) eq 7"), "1");
	assert_string_equal(run(db, "floor(count) eq -3"), "2");
	assert_string_equal(run(db, "floor(count) eq 2"), "3");
	assert_string_equal(run(db, "ceiling(count) eq -2"), "2");
	assert_string_equal(run(db, "ceiling(count) eq 3"), "3");
	assert_string_equal(run(db, "round(count) eq null"), "4");
	assert_string_equal(run(db, "id eq '1' and round(-0.5) eq -1 and "
	    "round(0.5) eq 1 and floor(-0.5) eq -1 and ceiling(-0.5) eq 0"),
	    "1");

	/* Arithmetic: precedence, integer and real division, mod. */
	assert_string_equal(run(db, "count add 1 eq 8"), "1");
	assert_string_equal(run(db, "count sub 1 eq 6"), "1");
	assert_string_equal(run(db, "count mul 2 eq 5"), "3");
	assert_string_equal(run(db, "count div 2 eq 3.5"), "1");
	assert_string_equal(run(db, "count add 1 mul 2 eq 9"), "1");
	assert_string_equal(run(db, "(count add 1) mul 2 eq 16"), "1");
	assert_string_equal(run(db, "count sub 1 sub 1 eq 5"), "1");
	assert_string_equal(run(db, "id eq '1' and 7 div 2 eq 3"), "1");
	assert_string_equal(run(db, "id eq '1' and 7.0 div 2 eq 3.5"), "1");
	assert_string_equal(run(db, "length(text) div 2 eq 2"), "1,2,6");
	/* Division by zero is null, as SQLite (and the reference) have it. */
	assert_string_equal(run(db, "count div 0 eq null"), "1,2,3,4,5,6");
	assert_string_equal(run(db, "count mod 0 eq null"), "1,2,3,4,5,6");
	/* mod keeps fractions and the dividend's sign. */
	assert_string_equal(run(db, "count mod 2 eq 1"), "1");
	assert_string_equal(run(db, "count mod 2 eq 1.5"), "5");
	assert_string_equal(run(db, "count mod 2 eq -0.5"), "2");
	assert_string_equal(run(db, "count add null eq null"), "1,2,3,4,5,6");
	/* Functions inside arithmetic and the other way round. */
	assert_string_equal(run(db, "round(count div 2) eq 4"), "1");
	assert_string_equal(run(db, "year(updatedAt) sub 2000 gt 25"),
	    "1,3,5");
	sqlite3_close(db);
}

static void
test_functions_errors(void **state)
{
	(void)state;
	/* Arity. */
	expect_err("substring(text) eq 'a'", "at position 15: expected ',' "
	    "and argument 2 of substring(), found ')' (substring() takes 2 or "
	    "3 arguments)");
	expect_err("substring(text, 1, 2, 3) eq 'a'", "at position 21: "
	    "expected ')' after the 3 arguments of substring(), found ',' "
	    "(substring() takes 2 or 3 arguments)");
	expect_err("round(count, 1) eq 1", "at position 12: expected ')' "
	    "after the 1 argument of round(), found ',' (round() takes 1 "
	    "argument)");
	expect_err("year() eq 2026", "at position 6: year() takes 1 argument, "
	    "found none");
	expect_err("floor count eq 1", "unknown column 'floor'");
	/* Types. */
	expect_err("year(text) eq 2026", "at position 6: argument 1 of year() "
	    "must be a date, not a string");
	expect_err("second(count) eq 1", "argument 1 of second() must be a "
	    "date, not a number");
	expect_err("round(text) eq 0", "at position 7: argument 1 of round() "
	    "must be a number, not a string");
	expect_err("ceiling(complete) eq 0", "argument 1 of ceiling() must be "
	    "a number, not a boolean");
	expect_err("substring(count, 1) eq 'a'", "argument 1 of substring() "
	    "must be a string, not a number");
	expect_err("substring(text, '1') eq 'a'", "at position 17: argument 2 "
	    "of substring() must be a number, not a string");
	expect_err("substring(text, -1) eq 'a'", "at position 17: argument 2 "
	    "of substring() (the 0-based start) must be a whole number from 0 "
	    "to 2147483647");
	expect_err("substring(text, 1.5) eq 'a'", "(the 0-based start) must "
	    "be a whole number");
	expect_err("substring(text, 0, -2) eq 'a'", "at position 20: argument "
	    "3 of substring() (the length) must be a whole number");
	expect_err("substring(text, 0, 99999999999) eq 'a'", "(the length) "
	    "must be a whole number from 0 to 2147483647");
	expect_err("year(updatedAt) eq '2026'", "cannot compare a number with "
	    "a string");
	expect_err("text add 1 eq 'a'", "at position 1: the left operand of "
	    "'add' must be a number, not a string");
	expect_err("count mul 'x' eq 2", "at position 11: the right operand of "
	    "'mul' must be a number, not a string");
	expect_err("updatedAt sub 1 eq 2", "the left operand of 'sub' must be "
	    "a number, not a date");
	expect_err("complete mod 2 eq 1", "the left operand of 'mod' must be "
	    "a number, not a boolean");
	expect_err("count add eq 1", "at position 11: expected a value, a "
	    "column name or '(', found the operator 'eq'");
	expect_err("div eq 1", "found the operator 'div'");
	expect_err("count add 1", "the filter needs a boolean expression, "
	    "found a number");
	expect_err("floor(count)", "the filter needs a boolean expression");
	expect_err("count add 1 and complete", "'and' needs a boolean "
	    "expression, found a number");
}

static void
test_errors(void **state)
{
	char deep[400];

	(void)state;
	expect_err("", "at position 1: the filter is empty");
	expect_err("   ", "the filter is empty");
	expect_err("text eq", "at position 8: expected a value, a column name "
	    "or '(', found the end of the expression");
	expect_err("text eq 'abc", "at position 9: unterminated string");
	expect_err("(text eq 'a'", "at position 13: expected ')' to close the "
	    "'(' at position 1");
	expect_err("text eq 5", "at position 6: cannot compare a string with "
	    "a number");
	expect_err("complete eq 'true'", "cannot compare a boolean with a "
	    "string");
	expect_err("foo eq 1", "at position 1: unknown column 'foo'");
	expect_err("Text eq 'a'", "unknown column 'Text'");
	expect_err("text eq 'a' xor", "at position 13: expected 'and', 'or', "
	    "a comparison operator or the end");
	expect_err("startswith(text)", "at position 16: expected ','");
	expect_err("startswith(text,'a'", "expected ')'");
	expect_err("startswith(count,'a')", "at position 12: argument 1 of "
	    "startswith() must be a string, not a number");
	expect_err("frobnicate(text) eq 1", "unknown function 'frobnicate'");
	expect_err("text", "the filter needs a boolean expression, found a "
	    "string");
	expect_err("count eq 1 eq 2", "comparisons cannot be chained");
	expect_err("count and complete", "'and' needs a boolean expression");
	expect_err("not text", "'not' needs a boolean expression");
	expect_err("eq 1", "at position 1: expected a value, a column name or "
	    "'(', found the operator 'eq'");
	expect_err("count eq 1.2.3", "malformed number");
	expect_err("count eq 1e999", "number out of range");
	expect_err("updatedAt ge datetimeoffset'2026-13-01T00:00:00Z'",
	    "at position 14: expected an ISO-8601 date");
	expect_err("updatedAt ge datetimeoffset'2026", "unterminated date");
	expect_err("updatedAt ge 'yesterday'", "expected a date");
	expect_err("version eq 'zz'", "expected a version");
	expect_err("count eq 1; DROP TABLE t", "at position 11:");
	expect_err("count eq @p", "found '@'");
	/* Positions count characters, not bytes. */
	expect_err("text eq '\xc3\xa9' and foo eq 1",
	    "at position 17: unknown column 'foo'");
	/* Deep nesting is refused, not a stack overflow. */
	memset(deep, '(', 200);
	strcpy(deep + 200, "complete");
	memset(deep + 208, ')', 100);
	deep[308] = '\0';
	expect_err(deep, "nested too deeply");
	memset(deep, 0, sizeof deep);
	for (int i = 0; i < 70; i++)
		strcat(deep, "not ");
	strcat(deep, "complete");
	expect_err(deep, "nested too deeply");
}

static void
test_too_long(void **state)
{
	size_t n = 3000;
	char *big = malloc(n * 20 + 1);

	(void)state;
	big[0] = '\0';
	for (size_t i = 0; i < n; i++)
		strcat(big, i ? " or complete" : "complete");
	expect_err(big, "too long");
	free(big);
}

static void
test_orderby(void **state)
{
	sb out = SB_INIT;
	sb err = SB_INIT;

	(void)state;
	assert_int_equal(odata_orderby("updatedAt", fields, NFIELDS, &out,
	    &err), 0);
	assert_string_equal(sb_str(&out), "\"updatedAt\" ASC");
	sb_reset(&out);
	assert_int_equal(odata_orderby(" count desc , text asc,id", fields,
	    NFIELDS, &out, &err), 0);
	assert_string_equal(sb_str(&out),
	    "\"count\" DESC, \"text\" ASC, \"id\" ASC");
	sb_reset(&out);
	assert_int_equal(odata_orderby("count,", fields, NFIELDS, &out,
	    &err), -1);
	assert_non_null(strstr(sb_str(&err),
	    "at position 7: expected a column"));
	sb_reset(&out);
	assert_int_equal(odata_orderby("nope desc", fields, NFIELDS, &out,
	    &err), -1);
	assert_non_null(strstr(sb_str(&err),
	    "at position 1: unknown column 'nope'"));
	sb_reset(&out);
	assert_int_equal(odata_orderby("count sideways", fields, NFIELDS, &out,
	    &err), -1);
	assert_non_null(strstr(sb_str(&err), "at position 7: expected 'asc'"));
	sb_free(&out);
	sb_free(&err);
}

static void
test_select(void **state)
{
	size_t idx[NFIELDS], n;
	sb err = SB_INIT;

	(void)state;
	assert_int_equal(odata_select("text, id,text", fields, NFIELDS, idx,
	    &n, &err), 0);
	assert_int_equal(n, 2);
	assert_int_equal(idx[0], 1);
	assert_int_equal(idx[1], 0);
	assert_int_equal(odata_select("*", fields, NFIELDS, idx, &n, &err), 0);
	assert_int_equal(n, NFIELDS);
	assert_int_equal(odata_select("count,*", fields, NFIELDS, idx, &n,
	    &err), 0);
	assert_int_equal(n, NFIELDS);
	assert_int_equal(idx[0], 2);
	assert_int_equal(odata_select("text,,id", fields, NFIELDS, idx, &n,
	    &err), -1);
	assert_non_null(strstr(sb_str(&err), "at position 6"));
	assert_int_equal(odata_select("text,\"id\"", fields, NFIELDS, idx, &n,
	    &err), -1);
	assert_non_null(strstr(sb_str(&err), "unknown column"));
	sb_free(&err);
}

/* A random well-typed filter from the grammar, appended to b. */
static void
gen_bool(rng *g, sb *b, int depth)
{
	static const char *const ops[] = { " eq ", " ne ", " gt ", " ge ",
	    " lt ", " le " };
	static const char *const str[] = { "text", "id", "'a'", "'it''s'",
	    "tolower(text)", "toupper('x')", "trim(text)", "concat(text,'b')",
	    "substring(text,1)", "substring(text,count,2)", "null" };
#define NSTR (sizeof str / sizeof str[0])
	static const char *const num[] = { "count", "5", "-2.5", "1e3", "7L",
	    "length(text)", "indexof(text,'b')", "year(updatedAt)",
	    "second(updatedAt)", "round(count)", "floor(count div 2)",
	    "ceiling(count mod 3)", "count add 1", "count sub 2 mul count",
	    "7 div 0", "null" };
#define NNUM (sizeof num / sizeof num[0])
	static const char *const date[] = { "updatedAt",
	    "datetimeoffset'2026-11-27T14:40:37.1251Z'",
	    "datetime'2026-01-01T00:00:00Z'", "'2026-01-01T00:00:00+02:00'" };
	static const char *const pred[] = { "complete", "true", "false",
	    "startswith(text,'a')", "endswith(text,'')",
	    "substringof('b',text)", "contains(text,'%')", "version eq 'MQ=='",
	    "version ge 3" };
	int k = (int)rng_below(g, depth > 3 ? 5 : 9);

	switch (k) {
	case 0:
		sb_add(b, str[rng_below(g, NSTR)]);
		sb_add(b, ops[rng_below(g, 6)]);
		sb_add(b, str[rng_below(g, NSTR - 1)]);
		break;
	case 1:
		sb_add(b, num[rng_below(g, NNUM)]);
		sb_add(b, ops[rng_below(g, 6)]);
		sb_add(b, num[rng_below(g, NNUM - 1)]);
		break;
	case 2:
		sb_add(b, date[rng_below(g, 2)]);
		sb_add(b, ops[rng_below(g, 6)]);
		sb_add(b, date[rng_below(g, 4)]);
		break;
	case 3:
	case 4:
		sb_add(b, pred[rng_below(g, 9)]);
		break;
	case 5:
		sb_add(b, "not ");
		gen_bool(g, b, depth + 1);
		break;
	case 6:
		sb_addc(b, '(');
		gen_bool(g, b, depth + 1);
		sb_addc(b, ')');
		break;
	default:
		gen_bool(g, b, depth + 1);
		sb_add(b, k == 7 ? " and " : " or ");
		gen_bool(g, b, depth + 1);
		break;
	}
}

/* Random filters from the grammar, half of them then damaged by cutting,
** doubling or inserting a piece: each either compiles to SQL that SQLite
** prepares with exactly its parameters, or fails with a position.  Never
** a crash, never SQL that does not prepare. */
static void
test_fuzz(void **state)
{
	static const char *const junk[] = { "(", ")", ",", "'", " and ", "eq",
	    "not ", "x", ";", "\"", "\xc3\xa9", "--", "/*", "datetime'",
	    " add ", " mod ", "substring(", "year(" };
#define NJUNK (sizeof junk / sizeof junk[0])
	sqlite3 *db;
	rng g;
	int ok = 0, bad = 0;

	(void)state;
	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "CREATE TABLE t (id TEXT, text TEXT, "
	    "count REAL, complete INTEGER, updatedAt TEXT, version INTEGER);"
	    "INSERT INTO t VALUES ('1', 'abc', 1, 1, "
	    "'2026-01-01T00:00:00.000Z', 1)", NULL, NULL, NULL), SQLITE_OK);
	rng_seed(&g, 11);
	for (int i = 0; i < 20000; i++) {
		sb f = SB_INIT;
		sb err = SB_INIT;
		odata_sql q;

		gen_bool(&g, &f, 0);
		if (i % 2) {
			/* Damage it at a random place. */
			size_t at = (size_t)rng_below(&g, f.len + 1);
			sb d = SB_INIT;
			sb_addn(&d, f.s, at);
			switch (rng_below(&g, 3)) {
			case 0:
				sb_add(&d, f.s + at + (at < f.len));
				break;
			case 1:
				sb_add(&d, junk[rng_below(&g, NJUNK)]);
				sb_add(&d, f.s + at);
				break;
			default:
				sb_add(&d, f.s + at);
				sb_add(&d, f.s);
				break;
			}
			sb_free(&f);
			f = d;
		}
		if (odata_filter(sb_str(&f), fields, NFIELDS, &q, &err) != 0) {
			if (strncmp(sb_str(&err), "at position ", 12) != 0)
				fail_msg("'%s': error without position: %s",
				    sb_str(&f), sb_str(&err));
			bad++;
			sb_free(&err);
			sb_free(&f);
			continue;
		}
		char *sql = sqlite3_mprintf("SELECT id FROM t WHERE %s", q.sql);
		sqlite3_stmt *st;
		if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
			fail_msg("'%s' gave bad SQL %s: %s", sb_str(&f), q.sql,
			    sqlite3_errmsg(db));
		assert_int_equal(sqlite3_bind_parameter_count(st),
		    (int)q.nparams);
		assert_int_equal(odata_bind(st, 1, &q), (int)q.nparams + 1);
		while (sqlite3_step(st) == SQLITE_ROW)
			;
		sqlite3_finalize(st);
		sqlite3_free(sql);
		odata_sql_free(&q);
		sb_free(&f);
		ok++;
	}
	/* Both paths were exercised. */
	assert_true(ok > 5000);
	assert_true(bad > 1000);
	sqlite3_close(db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_comparisons),
		cmocka_unit_test(test_precedence),
		cmocka_unit_test(test_literals),
		cmocka_unit_test(test_version_b64),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_functions),
		cmocka_unit_test(test_functions_sql),
		cmocka_unit_test(test_functions_values),
		cmocka_unit_test(test_functions_errors),
		cmocka_unit_test(test_semantics),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_too_long),
		cmocka_unit_test(test_orderby),
		cmocka_unit_test(test_select),
		cmocka_unit_test(test_fuzz),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
