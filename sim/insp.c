/*
** insp.c: the store inspector's SQL; see insp.h.
**
** Read-only by construction rather than by vigilance.  An authorizer on
** the engine's own connection (the first design) refused writes, but any
** function ran there: fts3_tokenizer() could re-point a tokenizer of the
** engine's connection and leak a library address, a recursive CTE without
** an end froze the screen and randomblob(1e9) allocated a gigabyte.  So:
**
**   - the query runs on a connection of its own, opened on a copy of the
**     store made read-only (SQLITE_DESERIALIZE_READONLY, query_only);
**   - defensive mode, no extension loading, no FTS3 tokenizer pointers;
**   - the authorizer allows SELECT, reading, recursive CTEs and the
**     functions on insp_allow[] (sorted; binary search), nothing else;
**   - sqlite3_limit caps strings and blobs, SQL length, expression depth,
**     compound selects and columns; ATTACH is limited to none;
**   - a progress handler stops the query after its time;
**   - the rows and the bytes of each cell kept are capped.
*/
#include "sim/insp.h"
#include "lib/xmem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* The functions a query may call, sorted by strcmp (lower case).  Core
** scalar, aggregate and window functions, date and time, math, JSON, and
** the operators SQLite runs as functions (like, glob, ->, ->>). */
static const char *const insp_allow[] = {
	"->", "->>",
	"abs", "acos", "acosh", "asin", "asinh", "atan", "atan2", "atanh",
	"avg", "ceil", "ceiling", "changes", "char", "coalesce", "concat",
	"concat_ws", "cos", "cosh", "count", "cume_dist", "date", "datetime",
	"degrees", "dense_rank", "exp", "first_value", "floor", "format",
	"glob", "group_concat", "hex", "ifnull", "iif", "instr", "json",
	"json_array", "json_array_length", "json_each", "json_error_position",
	"json_extract", "json_group_array", "json_group_object", "json_insert",
	"json_object", "json_patch", "json_quote", "json_remove",
	"json_replace", "json_set", "json_tree", "json_type", "json_valid",
	"julianday", "lag", "last_value", "lead", "length", "like",
	"likelihood", "likely", "ln", "log", "log10", "log2", "lower", "ltrim",
	"max", "min", "mod", "nth_value", "ntile", "nullif", "octet_length",
	"percent_rank", "pi", "pow", "power", "printf", "quote", "radians",
	"random", "randomblob", "rank", "replace", "round", "row_number",
	"rtrim", "sign", "sin", "sinh", "sqrt", "strftime", "string_agg",
	"substr", "substring", "sum", "tan", "tanh", "time", "timediff",
	"total", "trim", "trunc", "typeof", "unhex", "unicode", "unixepoch",
	"unlikely", "upper", "zeroblob",
};

static int
insp_cmp(const void *k, const void *e)
{
	return strcmp(k, *(const char *const *)e);
}

int
insp_fn_allowed(const char *name)
{
	char low[32];
	size_t n = strlen(name);
	if (n == 0 || n >= sizeof low)
		return 0;
	for (size_t i = 0; i <= n; i++)
		low[i] = (char)(name[i] >= 'A' && name[i] <= 'Z' ?
		    name[i] - 'A' + 'a' : name[i]);
	return bsearch(low, insp_allow, sizeof insp_allow / sizeof *insp_allow,
	    sizeof *insp_allow, insp_cmp) != NULL;
}

/* What the authorizer refused last, for the message. */
typedef struct insp_ctx {
	char		 denied[96];
	struct timespec	 deadline;
	int		 late;
} insp_ctx;

static int
insp_auth(void *ud, int action, const char *a1, const char *a2,
    const char *a3, const char *a4)
{
	insp_ctx *c = ud;
	(void)a1;
	(void)a3;
	(void)a4;
	switch (action) {
	case SQLITE_SELECT:
	case SQLITE_READ:
	case SQLITE_RECURSIVE:
		return SQLITE_OK;
	case SQLITE_FUNCTION:
		if (a2 && insp_fn_allowed(a2))
			return SQLITE_OK;
		snprintf(c->denied, sizeof c->denied, "the function %.40s() is "
		    "not on the inspector's list", a2 ? a2 : "?");
		return SQLITE_DENY;
	default:
		if (c->denied[0] == '\0')
			snprintf(c->denied, sizeof c->denied, "no writes, "
			    "DDL, PRAGMA, ATTACH or transactions");
		return SQLITE_DENY;
	}
}

static int
insp_late(const insp_ctx *c)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec > c->deadline.tv_sec ||
	    (now.tv_sec == c->deadline.tv_sec &&
	    now.tv_nsec >= c->deadline.tv_nsec);
}

/* Called every few thousand VM steps: nonzero stops the query. */
static int
insp_progress(void *ud)
{
	insp_ctx *c = ud;
	if (insp_late(c))
		c->late = 1;
	return c->late;
}

/* A read-only copy of store on a new connection, or NULL (msg set). */
static sqlite3 *
insp_copy(sqlite3 *store, insp_result *r)
{
	sqlite3 *db = NULL;
	if (sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_PRIVATECACHE, NULL) != SQLITE_OK) {
		snprintf(r->msg, sizeof r->msg, "Error: cannot open a copy of "
		    "the store: %s", db ? sqlite3_errmsg(db) : "out of memory");
		sqlite3_close(db);
		return NULL;
	}
	sqlite3_int64 sz = 0;
	unsigned char *img = store ? sqlite3_serialize(store, "main", &sz, 0) :
	    NULL;
	if (img != NULL && sqlite3_deserialize(db, "main", img, sz, sz,
	    SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_READONLY) !=
	    SQLITE_OK) {
		/* FREEONCLOSE: the image is freed even when this fails. */
		snprintf(r->msg, sizeof r->msg, "Error: cannot copy the store: "
		    "%s", sqlite3_errmsg(db));
		sqlite3_close(db);
		return NULL;
	}
	int off = 0, on = 1;
	sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, &on);
	sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, &off);
	sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_FTS3_TOKENIZER, 0, &off);
	sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, &off);
	sqlite3_exec(db, "PRAGMA query_only = 1", NULL, NULL, NULL);
	sqlite3_limit(db, SQLITE_LIMIT_LENGTH, INSP_MAXLEN);
	sqlite3_limit(db, SQLITE_LIMIT_SQL_LENGTH, 100000);
	sqlite3_limit(db, SQLITE_LIMIT_COLUMN, 200);
	sqlite3_limit(db, SQLITE_LIMIT_EXPR_DEPTH, 200);
	sqlite3_limit(db, SQLITE_LIMIT_COMPOUND_SELECT, 50);
	sqlite3_limit(db, SQLITE_LIMIT_FUNCTION_ARG, 100);
	sqlite3_limit(db, SQLITE_LIMIT_ATTACHED, 0);
	sqlite3_limit(db, SQLITE_LIMIT_LIKE_PATTERN_LENGTH, 1000);
	return db;
}

/* A cell's text, cut at INSP_MAXCELL bytes (on a UTF-8 boundary). */
static char *
insp_cell(sqlite3_stmt *st, int c)
{
	if (sqlite3_column_type(st, c) == SQLITE_NULL)
		return xstrdup("NULL");
	const char *v = (const char *)sqlite3_column_text(st, c);
	size_t n = (size_t)sqlite3_column_bytes(st, c);
	if (v == NULL)
		return xstrdup("");
	if (n <= INSP_MAXCELL)
		return xstrndup(v, n);
	size_t k = INSP_MAXCELL - 3;
	while (k > 0 && ((unsigned char)v[k] & 0xC0) == 0x80)
		k--;
	char *s = xmalloc(k + 4);
	memcpy(s, v, k);
	memcpy(s + k, "...", 4);
	return s;
}

static int
insp_blank(const char *s)
{
	for (;;) {
		while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' ||
		    *s == ';')
			s++;
		if (s[0] == '-' && s[1] == '-') {
			s += strcspn(s, "\n");
			continue;
		}
		return *s == '\0';
	}
}

insp_status
insp_run(sqlite3 *store, const char *sql, int ms, insp_result *r)
{
	memset(r, 0, sizeof *r);
	r->status = INSP_ERROR;
	if (sql == NULL || insp_blank(sql)) {
		r->status = INSP_EMPTY;
		snprintf(r->msg, sizeof r->msg, "Type a query, e.g. SELECT * "
		    "FROM __operations");
		return r->status;
	}
	sqlite3 *db = insp_copy(store, r);
	if (db == NULL)
		return r->status;
	insp_ctx c;
	memset(&c, 0, sizeof c);
	if (ms <= 0)
		ms = INSP_MS;
	clock_gettime(CLOCK_MONOTONIC, &c.deadline);
	c.deadline.tv_sec += ms / 1000;
	c.deadline.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (c.deadline.tv_nsec >= 1000000000L) {
		c.deadline.tv_sec++;
		c.deadline.tv_nsec -= 1000000000L;
	}
	sqlite3_set_authorizer(db, insp_auth, &c);
	sqlite3_progress_handler(db, 1000, insp_progress, &c);
	sqlite3_stmt *st = NULL;
	const char *tail = NULL;
	int rc = sqlite3_prepare_v2(db, sql, -1, &st, &tail);
	if (rc != SQLITE_OK || st == NULL) {
		if (c.late) {
			r->status = INSP_STOPPED;
			snprintf(r->msg, sizeof r->msg, "Stopped: the query took "
			    "longer than %d ms to prepare", ms);
		} else if (rc == SQLITE_AUTH || c.denied[0]) {
			r->status = INSP_REFUSED;
			snprintf(r->msg, sizeof r->msg, "Refused: the inspector is "
			    "read-only (%s)", c.denied[0] ? c.denied :
			    sqlite3_errmsg(db));
		} else if (rc != SQLITE_OK)
			snprintf(r->msg, sizeof r->msg, "Error: %s",
			    sqlite3_errmsg(db));
		else {
			r->status = INSP_EMPTY;
			snprintf(r->msg, sizeof r->msg, "Nothing to run.");
		}
		sqlite3_finalize(st);
		sqlite3_close(db);
		return r->status;
	}
	if (!sqlite3_stmt_readonly(st)) {
		/* The authorizer and the read-only copy refuse writes already;
		** a third lock on the same door costs nothing. */
		r->status = INSP_REFUSED;
		snprintf(r->msg, sizeof r->msg, "Refused: the inspector is "
		    "read-only.");
		sqlite3_finalize(st);
		sqlite3_close(db);
		return r->status;
	}
	r->more = tail != NULL && !insp_blank(tail);
	r->ncols = (size_t)sqlite3_column_count(st);
	r->cols = xcalloc(r->ncols ? r->ncols : 1, sizeof *r->cols);
	for (size_t i = 0; i < r->ncols; i++) {
		const char *nm = sqlite3_column_name(st, (int)i);
		r->cols[i] = xstrdup(nm ? nm : "?");
	}
	size_t cap = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (r->nrows == INSP_MAXROWS) {
			r->capped = 1;
			break;
		}
		if ((r->nrows + 1) * r->ncols > cap) {
			cap = cap ? cap * 2 : 64 * (r->ncols ? r->ncols : 1);
			r->cells = xreallocarray(r->cells, cap, sizeof *r->cells);
		}
		for (size_t i = 0; i < r->ncols; i++)
			r->cells[r->nrows * r->ncols + i] = insp_cell(st, (int)i);
		r->nrows++;
		/* Copying rows runs outside the VM: the clock is checked here
		** too. */
		if (insp_late(&c)) {
			c.late = 1;
			rc = SQLITE_INTERRUPT;
			break;
		}
	}
	if (c.late) {
		r->status = INSP_STOPPED;
		snprintf(r->msg, sizeof r->msg, "Stopped: the query ran longer "
		    "than %d ms (%zu row%s so far; a recursive query without an "
		    "end?)", ms, r->nrows, r->nrows == 1 ? "" : "s");
	} else if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		snprintf(r->msg, sizeof r->msg, "Error: %s", sqlite3_errmsg(db));
	} else {
		r->status = INSP_OK;
		char capped[48] = "";
		if (r->capped)
			snprintf(capped, sizeof capped, " (first %d shown)",
			    INSP_MAXROWS);
		snprintf(r->msg, sizeof r->msg, "%zu row%s%s%s", r->nrows,
		    r->nrows == 1 ? "" : "s", capped,
		    r->more ? "; only the first statement runs" : "");
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	return r->status;
}

void
insp_free(insp_result *r)
{
	for (size_t i = 0; i < r->ncols; i++)
		free(r->cols[i]);
	free(r->cols);
	for (size_t i = 0; i < r->nrows * r->ncols; i++)
		free(r->cells[i]);
	free(r->cells);
	memset(r, 0, sizeof *r);
}
