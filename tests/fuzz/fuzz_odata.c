/*
** fuzz_odata.c: libFuzzer harness of the OData compiler (sim/odata*.c).
** The first byte picks $filter, $orderby or $select; the rest is the
** option's text.  Whatever compiles must prepare, bind and run as SQL on
** a table with the fields it was compiled against: a compiled query that
** SQLite refuses is a bug (the text would have reached SQL).
*/
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/sb.h"
#include "lib/xmem.h"
#include "sim/odata.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const odata_field fields[] = {
	{ "id", ODATA_STRING }, { "text", ODATA_STRING },
	{ "complete", ODATA_BOOL }, { "count", ODATA_NUMBER },
	{ "due", ODATA_DATE }, { "createdAt", ODATA_DATE },
	{ "updatedAt", ODATA_DATE }, { "version", ODATA_VERSION },
	{ "deleted", ODATA_BOOL },
};
#define NFIELDS (sizeof fields / sizeof *fields)

static sqlite3 *db;

static void
fuzz_open(void)
{
	if (db != NULL)
		return;
	if (sqlite3_open(":memory:", &db) != SQLITE_OK ||
	    sqlite3_exec(db, "CREATE TABLE t (id TEXT PRIMARY KEY, text TEXT, "
	    "complete INTEGER, count REAL, due TEXT, createdAt TEXT, "
	    "updatedAt TEXT, version INTEGER, deleted INTEGER);"
	    "INSERT INTO t VALUES ('a', 'Buy milk', 0, 2.5, "
	    "'2026-01-02T03:04:05.000Z', '2026-01-01T00:00:00.000Z', "
	    "'2026-01-01T00:00:00.000Z', 1, 0), ('b', NULL, 1, NULL, NULL, "
	    "'2026-01-01T00:00:00.000Z', '2026-02-01T00:00:00.000Z', 3, 1);",
	    NULL, NULL, NULL) != SQLITE_OK)
		abort();
}

/* Prepares and runs sql; a refusal is a compiler bug. */
static void
fuzz_sql(const char *sql, const odata_sql *q)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		fprintf(stderr, "fuzz_odata: compiled SQL does not prepare: %s\n"
		    "  %s\n", sqlite3_errmsg(db), sql);
		__builtin_trap();
	}
	if (q != NULL && odata_bind(st, 1, q) < 0) {
		fprintf(stderr, "fuzz_odata: cannot bind: %s\n", sql);
		__builtin_trap();
	}
	while (sqlite3_step(st) == SQLITE_ROW)
		;
	sqlite3_finalize(st);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	fuzz_open();
	char *text = xmalloc(size);
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';
	sb err = SB_INIT;
	sb sql = SB_INIT;
	switch (data[0] % 3) {
	case 0: {
		odata_sql q;
		if (odata_filter(text, fields, NFIELDS, &q, &err) == 0) {
			sb_addf(&sql, "SELECT id FROM t WHERE %s", q.sql);
			fuzz_sql(sb_str(&sql), &q);
			odata_sql_free(&q);
		}
		break;
	}
	case 1: {
		sb ob = SB_INIT;
		if (odata_orderby(text, fields, NFIELDS, &ob, &err) == 0 &&
		    ob.len > 0) {
			sb_addf(&sql, "SELECT id FROM t ORDER BY %s", sb_str(&ob));
			fuzz_sql(sb_str(&sql), NULL);
		}
		sb_free(&ob);
		break;
	}
	default: {
		size_t idx[NFIELDS], n = 0;
		if (odata_select(text, fields, NFIELDS, idx, &n, &err) == 0) {
			if (n > NFIELDS)
				__builtin_trap();
			for (size_t i = 0; i < n; i++)
				if (idx[i] >= NFIELDS)
					__builtin_trap();
		}
		break;
	}
	}
	sb_free(&sql);
	sb_free(&err);
	free(text);
	return 0;
}
