/*
** srv.c: the simulated Azure Mobile Apps backend; see srv.h.
**
** The behaviour follows azure-mobile-apps 4.0.2 for Node with the sqlite
** provider, request by request, as observed on a live server (statuses,
** bodies, ETags, paging).  Where that server has a defect, synclab answers
** with a clear 400 instead of copying it.  The list, which
** docs/server-compat.md cites:
**
**   D1  PATCH with {} (or with nothing but id/version): the reference
**       builds "UPDATE ... SET WHERE" and answers 500.  synclab: 400
**       "The request body has no column to change".
**   D2  An unknown column (dynamic schema off): reference 500 (SQL
**       error).  synclab: 400 "Unknown column 'x' in table 'T'".
**   D3  A value of the wrong type: the reference stores count: "abc" and
**       reads complete: "false" back as true.  synclab: 400 "Column 'x'
**       expects a number (got a string)"; dates must be ISO-8601 and are
**       stored normalised to "YYYY-MM-DDTHH:MM:SS.mmmZ".
**   D4  A client-sent version on insert: stored raw by the reference (and
**       reset to 1 by the next update).  synclab: 400.  A null version is
**       accepted and ignored, as clients that strip nothing send it.
**   D5  Malformed JSON bodies, bodies with invalid UTF-8, an embedded NUL
**       or duplicate keys: 400 with the line and column.
**   D6  A body that is not an object (array, string, number): 400.
**   D7  A bad $filter: 400 with the position and what was expected
**       (odata.c); the reference fails with 500 or ignores it.
**   D8  $top or $skip that are not whole numbers: 400.
**   D9  The next-page Link header: the reference drops the port and the
**       table path.  synclab builds http://HOST/tables/T?...$skip=N from
**       the request's Host header (a relative URL without one).
**   D10 OData string functions: the reference's startswith, endswith and
**       substringof never match on sqlite and its indexof swaps its
**       arguments.  synclab compiles them to exact instr()/substr() tests.
**
** Where the observed server and the fork's source disagree, the observed
** table wins (see srv_write: an already soft-deleted row gives 404).
**
** Storage: one SQLite table per definition with the system columns first
** (id TEXT PRIMARY KEY, createdAt, updatedAt, version INTEGER, deleted),
** then the user columns, and an index on updatedAt so that incremental
** pulls ("updatedAt ge T order by updatedAt") read only the changed rows.
** Timestamps are fixed-width UTC text, so text order is time order.
**
** Every write runs in its own transaction (BEGIN IMMEDIATE, or a savepoint
** when the caller already holds one), so a request either happens whole or
** not at all; the statements of each table are prepared once.
*/
#include "sim/srv.h"
#include "sim/odata.h"
#include "sim/wire.h"
#include "lib/jx.h"
#include "lib/rng.h"
#include "lib/sb.h"
#include "lib/xmem.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* Indices of the system columns in every SELECT of a table. */
enum {
	SRV_C_ID,
	SRV_C_CREATED,
	SRV_C_UPDATED,
	SRV_C_VERSION,
	SRV_C_DELETED,
	SRV_C_USER		/* first user column */
};

#define SRV_PAGE_SIZE	50	/* rows in one answer (pageSize) */
#define SRV_MAX_TOP	1000	/* largest $top accepted (maxTop) */

typedef struct srv_tab {
	tbl_def	 def;		/* owned copy */
	char		*qname;		/* the table name, quoted */
	char		*cols;		/* the SELECT list, storage order */
	odata_field	*fields;	/* system columns then user columns */
	size_t		 nfields;
	size_t		*order;		/* field indices in API order */
	sqlite3_stmt	*st_ins;	/* ?1 id ?2 time ?3.. user values */
	sqlite3_stmt	*st_sel;	/* ?1 id */
	sqlite3_stmt	*st_upd;	/* ?1 now ?2 id, (?set, ?value)... */
	sqlite3_stmt	*st_soft;	/* ?1 now ?2 id */
	sqlite3_stmt	*st_undel;	/* ?1 now ?2 id */
	sqlite3_stmt	*st_hard;	/* ?1 id */
} srv_tab;

/* Transaction control, prepared once: a seed of a million rows inside
** the caller's transaction runs a savepoint per row. */
enum { SRV_TX_BEGIN, SRV_TX_COMMIT, SRV_TX_ROLLBACK, SRV_TX_SAVE,
    SRV_TX_RELEASE, SRV_TX_UNDO, SRV_TX_N };
static const char *const srv_tx_sql[SRV_TX_N] = {
	"BEGIN IMMEDIATE", "COMMIT", "ROLLBACK", "SAVEPOINT srv_write",
	"RELEASE srv_write", "ROLLBACK TO srv_write"
};

/*
** List (and $inlinecount) queries differ only by table and filter shape
** (values are bound), and a syncing device asks the same one page after
** page, so the last few are kept compiled.  A statement stays valid
** across the engine's sqlite3_deserialize: SQLite recompiles it at its
** next step.
*/
#define SRV_STC_N	16

typedef struct srv_stc {
	char		*sql;
	sqlite3_stmt	*st;
	uint64_t	 used;		/* for least-recently-used eviction */
} srv_stc;

struct srv {
	sqlite3		*db;
	srv_tab		**tabs;		/* pointers, so defs stay put */
	size_t		 ntabs;
	sqlite3_stmt	*tx[SRV_TX_N];
	srv_stc		 stc[SRV_STC_N];
	uint64_t	 stc_clock;
};

/* The current state of one row, read inside a write transaction. */
typedef struct srv_cur {
	int		 found;
	int		 deleted;
	long long	 version;
	sb		 json;		/* the row as the API shows it */
} srv_cur;

/* ------------------------------------------------------------------ */
/* Small helpers                                                        */

static void
srv_seterr(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
srv_seterr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* Strict UTF-8 check (no overlongs, no surrogates, nothing past U+10FFFF):
** everything echoed in a JSON answer must be valid. */
static int
srv_utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *e = p + n;
	while (p < e) {
		unsigned c = *p;
		size_t k;
		unsigned min;
		if (c < 0x80) {
			p++;
			continue;
		} else if ((c & 0xe0) == 0xc0) {
			k = 1; min = 0x80; c &= 0x1f;
		} else if ((c & 0xf0) == 0xe0) {
			k = 2; min = 0x800; c &= 0x0f;
		} else if ((c & 0xf8) == 0xf0) {
			k = 3; min = 0x10000; c &= 0x07;
		} else
			return 0;
		if ((size_t)(e - p) <= k)
			return 0;
		for (size_t i = 1; i <= k; i++) {
			if ((p[i] & 0xc0) != 0x80)
				return 0;
			c = (c << 6) | (p[i] & 0x3f);
		}
		if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
			return 0;
		p += k + 1;
	}
	return 1;
}

static void
srv_addnum(sb *b, double d)
{
	char buf[64];

	if (!isfinite(d)) {
		/* Only a hand-edited database holds these; JSON has none. */
		sb_add(b, "null");
		return;
	}
	/* As cJSON prints: integral values without a fraction, others in
	** the shortest form that reads back to the same double. */
	if (d == floor(d) && fabs(d) < 9007199254740992.0)
		snprintf(buf, sizeof buf, "%.0f", d);
	else {
		snprintf(buf, sizeof buf, "%.15g", d);
		if (strtod(buf, NULL) != d)
			snprintf(buf, sizeof buf, "%.17g", d);
	}
	if (strcmp(buf, "-0") == 0)
		strcpy(buf, "0");
	sb_add(b, buf);
}

/* ------------------------------------------------------------------ */
/* Time                                                                 */

int64_t
srv_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ------------------------------------------------------------------ */
/* Definitions                                                          */

static odata_type
srv_otype(tbl_type t)
{
	switch (t) {
	case TBL_STRING:	return ODATA_STRING;
	case TBL_NUMBER:	return ODATA_NUMBER;
	case TBL_BOOL:		return ODATA_BOOL;
	case TBL_DATE:		return ODATA_DATE;
	}
	return ODATA_STRING;
}

static void
srv_tab_free(srv_tab *t)
{
	if (t == NULL)
		return;
	sqlite3_finalize(t->st_ins);
	sqlite3_finalize(t->st_sel);
	sqlite3_finalize(t->st_upd);
	sqlite3_finalize(t->st_soft);
	sqlite3_finalize(t->st_undel);
	sqlite3_finalize(t->st_hard);
	tbl_def_free(&t->def);
	free(t->qname);
	free(t->cols);
	free(t->fields);
	free(t->order);
	free(t);
}

static int
srv_prepare(srv *s, const char *sql, sqlite3_stmt **st, char *err,
    size_t errlen)
{
	if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, st,
	    NULL) != SQLITE_OK) {
		srv_seterr(err, errlen, "cannot prepare statement: %s",
		    sqlite3_errmsg(s->db));
		return -1;
	}
	return 0;
}

static int
srv_exec(srv *s, const char *sql, char *err, size_t errlen)
{
	char *msg = NULL;
	if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		srv_seterr(err, errlen, "%s", msg ? msg : "SQLite error");
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

/* Adds the user columns a database made by an older definition lacks, and
** refuses one whose existing columns clash. */
static int
srv_sync_columns(srv *s, srv_tab *t, char *err, size_t errlen)
{
	sb q = SB_INIT;
	sqlite3_stmt *st = NULL;
	size_t n = t->def.ncols;
	int *have = xcalloc(n + 1, sizeof *have), rc = 0;
	int sys = 0;

	if (sqlite3_prepare_v2(s->db, "SELECT name FROM pragma_table_info(?1)",
	    -1, &st, NULL) != SQLITE_OK) {
		srv_seterr(err, errlen, "%s", sqlite3_errmsg(s->db));
		rc = -1;
		goto out;
	}
	sqlite3_bind_text(st, 1, t->def.name, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *c = (const char *)sqlite3_column_text(st, 0);
		if (c == NULL)
			continue;
		if (tbl_sys_col(c) >= 0)
			sys++;
		for (size_t i = 0; i < n; i++)
			if (strcasecmp(c, t->def.cols[i].name) == 0)
				have[i] = 1;
	}
	if (sys != SRV_C_USER) {
		srv_seterr(err, errlen, "table '%s' exists without the system "
		    "columns", t->def.name);
		rc = -1;
		goto out;
	}
	for (size_t i = 0; i < n && rc == 0; i++) {
		if (have[i])
			continue;
		sb_reset(&q);
		sb_add(&q, "ALTER TABLE ");
		sb_add(&q, t->qname);
		sb_add(&q, " ADD COLUMN ");
		sb_addsqlid(&q, t->def.cols[i].name);
		sb_addf(&q, " %s", tbl_sqltype(t->def.cols[i].type));
		rc = srv_exec(s, sb_str(&q), err, errlen);
	}
out:
	sqlite3_finalize(st);
	sb_free(&q);
	free(have);
	return rc;
}

static int
srv_tab_build(srv *s, srv_tab *t, char *err, size_t errlen)
{
	sb q = SB_INIT;
	size_t n = t->def.ncols;
	int rc = -1;

	/* Quoted names and the shared SELECT list. */
	sb_addsqlid(&q, t->def.name);
	t->qname = sb_take(&q);
	t->nfields = SRV_C_USER + n;
	t->fields = xcalloc(t->nfields, sizeof *t->fields);
	t->fields[SRV_C_ID] = (odata_field){ "id", ODATA_STRING };
	t->fields[SRV_C_CREATED] = (odata_field){ "createdAt", ODATA_DATE };
	t->fields[SRV_C_UPDATED] = (odata_field){ "updatedAt", ODATA_DATE };
	t->fields[SRV_C_VERSION] = (odata_field){ "version", ODATA_VERSION };
	t->fields[SRV_C_DELETED] = (odata_field){ "deleted", ODATA_BOOL };
	for (size_t i = 0; i < n; i++)
		t->fields[SRV_C_USER + i] = (odata_field){ t->def.cols[i].name,
		    srv_otype(t->def.cols[i].type) };
	/* Render order: id, the user columns, then the other system ones. */
	t->order = xcalloc(t->nfields, sizeof *t->order);
	t->order[0] = SRV_C_ID;
	for (size_t i = 0; i < n; i++)
		t->order[1 + i] = SRV_C_USER + i;
	for (size_t i = SRV_C_CREATED; i < SRV_C_USER; i++)
		t->order[n + i] = i;
	for (size_t i = 0; i < t->nfields; i++) {
		if (i)
			sb_addc(&q, ',');
		sb_addsqlid(&q, t->fields[i].name);
	}
	t->cols = sb_take(&q);

	/* The table and its updatedAt index. */
	sb_add(&q, "CREATE TABLE IF NOT EXISTS ");
	sb_add(&q, t->qname);
	sb_add(&q, " (\"id\" TEXT PRIMARY KEY, \"createdAt\" TEXT, "
	    "\"updatedAt\" TEXT, \"version\" INTEGER, "
	    "\"deleted\" INTEGER DEFAULT 0");
	for (size_t i = 0; i < n; i++) {
		sb_add(&q, ", ");
		sb_addsqlid(&q, t->def.cols[i].name);
		sb_addf(&q, " %s", tbl_sqltype(t->def.cols[i].type));
	}
	sb_add(&q, ")");
	if (srv_exec(s, sb_str(&q), err, errlen) < 0)
		goto out;
	if (srv_sync_columns(s, t, err, errlen) < 0)
		goto out;
	sb_reset(&q);
	/* "__" cannot start a table name, so the index name is free. */
	sb_add(&q, "CREATE INDEX IF NOT EXISTS ");
	{
		sb ix = SB_INIT;
		sb_addf(&ix, "__ix_%s_updatedAt", t->def.name);
		sb_addsqlid(&q, sb_str(&ix));
		sb_free(&ix);
	}
	sb_add(&q, " ON ");
	sb_add(&q, t->qname);
	sb_add(&q, " (\"updatedAt\")");
	if (srv_exec(s, sb_str(&q), err, errlen) < 0)
		goto out;

	/* Prepared statements. */
	sb_reset(&q);
	sb_addf(&q, "INSERT INTO %s (%s) VALUES (?1, ?2, ?2, 1, 0", t->qname,
	    t->cols);
	for (size_t i = 0; i < n; i++)
		sb_addf(&q, ", ?%zu", i + 3);
	sb_add(&q, ")");
	if (srv_prepare(s, sb_str(&q), &t->st_ins, err, errlen) < 0)
		goto out;
	sb_reset(&q);
	sb_addf(&q, "SELECT %s FROM %s WHERE \"id\" = ?1", t->cols, t->qname);
	if (srv_prepare(s, sb_str(&q), &t->st_sel, err, errlen) < 0)
		goto out;
	/* One UPDATE for every PATCH: each user column takes a flag and a
	** value, so the statement is prepared once whatever the body sets. */
	sb_reset(&q);
	sb_addf(&q, "UPDATE %s SET ", t->qname);
	for (size_t i = 0; i < n; i++) {
		sb_addsqlid(&q, t->def.cols[i].name);
		sb_addf(&q, " = CASE ?%zu WHEN 1 THEN ?%zu ELSE ", 3 + 2 * i,
		    4 + 2 * i);
		sb_addsqlid(&q, t->def.cols[i].name);
		sb_add(&q, " END, ");
	}
	sb_add(&q, "\"version\" = \"version\" + 1, \"updatedAt\" = ?1 "
	    "WHERE \"id\" = ?2");
	if (srv_prepare(s, sb_str(&q), &t->st_upd, err, errlen) < 0)
		goto out;
	sb_reset(&q);
	sb_addf(&q, "UPDATE %s SET \"deleted\" = 1, \"version\" = "
	    "\"version\" + 1, \"updatedAt\" = ?1 WHERE \"id\" = ?2", t->qname);
	if (srv_prepare(s, sb_str(&q), &t->st_soft, err, errlen) < 0)
		goto out;
	sb_reset(&q);
	sb_addf(&q, "UPDATE %s SET \"deleted\" = 0, \"version\" = "
	    "\"version\" + 1, \"updatedAt\" = ?1 WHERE \"id\" = ?2", t->qname);
	if (srv_prepare(s, sb_str(&q), &t->st_undel, err, errlen) < 0)
		goto out;
	sb_reset(&q);
	sb_addf(&q, "DELETE FROM %s WHERE \"id\" = ?1", t->qname);
	if (srv_prepare(s, sb_str(&q), &t->st_hard, err, errlen) < 0)
		goto out;
	rc = 0;
out:
	sb_free(&q);
	return rc;
}

srv *
srv_open(const char *db_path, char *err, size_t errlen)
{
	srv *s = xcalloc(1, sizeof *s);
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
	    SQLITE_OPEN_NOMUTEX;

	if (sqlite3_open_v2(db_path ? db_path : ":memory:", &s->db, flags,
	    NULL) != SQLITE_OK) {
		srv_seterr(err, errlen, "%s: %s",
		    db_path ? db_path : ":memory:",
		    s->db ? sqlite3_errmsg(s->db) : "cannot open");
		sqlite3_close(s->db);
		free(s);
		return NULL;
	}
	sqlite3_busy_timeout(s->db, 5000);
	/* Schema checks cost nothing here and catch a file that is not a
	** database at open rather than at the first request. */
	if (srv_exec(s, "PRAGMA foreign_keys = OFF", err, errlen) < 0 ||
	    srv_exec(s, "SELECT count(*) FROM sqlite_master", err,
	    errlen) < 0) {
		srv_close(s);
		return NULL;
	}
	for (int i = 0; i < SRV_TX_N; i++)
		if (srv_prepare(s, srv_tx_sql[i], &s->tx[i], err, errlen) < 0) {
			srv_close(s);
			return NULL;
		}
	return s;
}

void
srv_close(srv *s)
{
	if (s == NULL)
		return;
	for (size_t i = 0; i < s->ntabs; i++)
		srv_tab_free(s->tabs[i]);
	free(s->tabs);
	for (int i = 0; i < SRV_TX_N; i++)
		sqlite3_finalize(s->tx[i]);
	for (int i = 0; i < SRV_STC_N; i++) {
		sqlite3_finalize(s->stc[i].st);
		free(s->stc[i].sql);
	}
	sqlite3_close(s->db);
	free(s);
}

/*
** A compiled statement for sql from the cache, reset and with its bindings
** cleared; compiled (and the least recently used one evicted) on a miss.
** The statement belongs to the cache: the caller resets it when done and
** never finalizes it.  Returns the SQLite result code of the compile.
*/
static int
srv_cached(srv *s, const char *sql, sqlite3_stmt **out)
{
	srv_stc *victim = &s->stc[0];
	for (int i = 0; i < SRV_STC_N; i++) {
		srv_stc *c = &s->stc[i];
		if (c->sql && strcmp(c->sql, sql) == 0) {
			c->used = ++s->stc_clock;
			sqlite3_reset(c->st);
			sqlite3_clear_bindings(c->st);
			*out = c->st;
			return SQLITE_OK;
		}
		if (c->used < victim->used)
			victim = c;
	}
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
	    &st, NULL);
	if (rc != SQLITE_OK) {
		sqlite3_finalize(st);
		return rc;
	}
	sqlite3_finalize(victim->st);
	free(victim->sql);
	victim->sql = xstrdup(sql);
	victim->st = st;
	victim->used = ++s->stc_clock;
	*out = st;
	return SQLITE_OK;
}

static srv_tab *
srv_find(const srv *s, const char *name)
{
	/* Case-insensitive, as Express routes and SQLite names are. */
	for (size_t i = 0; i < s->ntabs; i++)
		if (strcasecmp(s->tabs[i]->def.name, name) == 0)
			return s->tabs[i];
	return NULL;
}

static int
srv_same_def(const tbl_def *a, const tbl_def *b)
{
	if (strcmp(a->name, b->name) != 0 || a->ncols != b->ncols ||
	    (a->soft_delete != 0) != (b->soft_delete != 0))
		return 0;
	for (size_t i = 0; i < a->ncols; i++)
		if (strcmp(a->cols[i].name, b->cols[i].name) != 0 ||
		    a->cols[i].type != b->cols[i].type)
			return 0;
	return 1;
}

int
srv_define(srv *s, const tbl_def *def, char *err, size_t errlen)
{
	srv_tab *t, *old;

	if (def == NULL || !tbl_valid_ident(def->name)) {
		srv_seterr(err, errlen, "invalid table name '%s'",
		    def && def->name ? def->name : "");
		return -1;
	}
	if (def->ncols > 0 && def->cols == NULL) {
		srv_seterr(err, errlen, "table '%s': no columns given",
		    def->name);
		return -1;
	}
	for (size_t i = 0; i < def->ncols; i++) {
		const tbl_col *c = &def->cols[i];
		if (!tbl_valid_ident(c->name)) {
			srv_seterr(err, errlen, "table '%s': invalid column "
			    "name '%s'", def->name, c->name ? c->name : "");
			return -1;
		}
		if (c->type != TBL_STRING && c->type != TBL_NUMBER &&
		    c->type != TBL_BOOL && c->type != TBL_DATE) {
			srv_seterr(err, errlen, "table '%s': column '%s' has "
			    "an unknown type", def->name, c->name);
			return -1;
		}
		for (size_t j = 0; j < i; j++)
			if (strcasecmp(c->name, def->cols[j].name) == 0) {
				srv_seterr(err, errlen, "table '%s': column "
				    "'%s' is defined twice", def->name,
				    c->name);
				return -1;
			}
	}
	if ((old = srv_find(s, def->name)) != NULL) {
		if (srv_same_def(&old->def, def))
			return 0;
		srv_seterr(err, errlen, "table '%s' is already defined "
		    "differently", def->name);
		return -1;
	}

	t = xcalloc(1, sizeof *t);
	tbl_def_copy(&t->def, def);
	if (srv_tab_build(s, t, err, errlen) < 0) {
		srv_tab_free(t);
		return -1;
	}
	s->tabs = xreallocarray(s->tabs, s->ntabs + 1, sizeof *s->tabs);
	s->tabs[s->ntabs++] = t;
	return 0;
}

const tbl_def *
srv_table(const srv *s, const char *name)
{
	srv_tab *t = name ? srv_find(s, name) : NULL;
	return t ? &t->def : NULL;
}

size_t
srv_ntables(const srv *s)
{
	return s->ntabs;
}

const tbl_def *
srv_table_at(const srv *s, size_t i)
{
	return i < s->ntabs ? &s->tabs[i]->def : NULL;
}

sqlite3 *
srv_db(srv *s)
{
	return s->db;
}

/* ------------------------------------------------------------------ */
/* Rows as JSON                                                         */

/* Appends column f of the current row of st as a JSON value. */
static void
srv_render_value(sb *b, const srv_tab *t, sqlite3_stmt *st, size_t f)
{
	int ct = sqlite3_column_type(st, (int)f);
	char ver[32];

	if (ct == SQLITE_NULL) {
		/* deleted has a default and is never null in practice. */
		sb_add(b, f == SRV_C_DELETED ? "false" : "null");
		return;
	}
	switch (t->fields[f].type) {
	case ODATA_BOOL:
		sb_add(b, sqlite3_column_int64(st, (int)f) ? "true" : "false");
		break;
	case ODATA_NUMBER:
		srv_addnum(b, sqlite3_column_double(st, (int)f));
		break;
	case ODATA_VERSION:
		wire_version_b64(sqlite3_column_int64(st, (int)f), ver);
		sb_addc(b, '"');
		sb_add(b, ver);
		sb_addc(b, '"');
		break;
	default:
		sb_addjson(b, (const char *)sqlite3_column_text(st, (int)f));
		break;
	}
}

/* Appends the current row of st as a JSON object with the fields idx[0..n)
** (NULL: every field, in API order). */
static void
srv_render_row(sb *b, const srv_tab *t, sqlite3_stmt *st, const size_t *idx,
    size_t n)
{
	if (idx == NULL) {
		idx = t->order;
		n = t->nfields;
	}
	sb_addc(b, '{');
	for (size_t i = 0; i < n; i++) {
		if (i)
			sb_addc(b, ',');
		sb_addjson(b, t->fields[idx[i]].name);
		sb_addc(b, ':');
		srv_render_value(b, t, st, idx[i]);
	}
	sb_addc(b, '}');
}

/* Reads a row by id into cur (found = 0 when absent).  Returns 0, or -1 on
** an SQLite error. */
static int
srv_read(srv_tab *t, const char *id, srv_cur *cur)
{
	int rc;

	cur->found = 0;
	sb_reset(&cur->json);
	sqlite3_bind_text(t->st_sel, 1, id, -1, SQLITE_STATIC);
	rc = sqlite3_step(t->st_sel);
	if (rc == SQLITE_ROW) {
		cur->found = 1;
		cur->deleted = sqlite3_column_int(t->st_sel,
		    SRV_C_DELETED) != 0;
		cur->version = sqlite3_column_int64(t->st_sel, SRV_C_VERSION);
		srv_render_row(&cur->json, t, t->st_sel, NULL, 0);
	}
	sqlite3_reset(t->st_sel);
	sqlite3_clear_bindings(t->st_sel);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

cJSON *
srv_get_row(srv *s, const char *table, const char *id)
{
	srv_tab *t = table ? srv_find(s, table) : NULL;
	srv_cur cur = { 0, 0, 0, SB_INIT };
	cJSON *row = NULL;

	if (t == NULL || id == NULL)
		return NULL;
	if (srv_read(t, id, &cur) == 0 && cur.found)
		row = cJSON_Parse(sb_str(&cur.json));
	sb_free(&cur.json);
	return row;
}

/* ------------------------------------------------------------------ */
/* Transactions                                                         */

/* Runs one of the prepared transaction statements; 0 or -1. */
static int
srv_tx(srv *s, int which)
{
	int rc = sqlite3_step(s->tx[which]);
	sqlite3_reset(s->tx[which]);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* Starts the write transaction of one request: BEGIN IMMEDIATE, or a
** savepoint when the caller (a bulk seed, the engine) already holds one.
** Returns the kind to pass to srv_end, or -1 on failure. */
static int
srv_begin(srv *s)
{
	if (sqlite3_get_autocommit(s->db))
		return srv_tx(s, SRV_TX_BEGIN) == 0 ? 1 : -1;
	return srv_tx(s, SRV_TX_SAVE) == 0 ? 2 : -1;
}

/* Commits (ok) or rolls back the transaction srv_begin opened.  Returns 0,
** or -1 when the commit failed (the transaction is then rolled back). */
static int
srv_end(srv *s, int kind, int ok)
{
	if (kind == 1) {
		if (ok && srv_tx(s, SRV_TX_COMMIT) == 0)
			return 0;
		if (!sqlite3_get_autocommit(s->db))
			srv_tx(s, SRV_TX_ROLLBACK);
		return ok ? -1 : 0;
	}
	if (kind == 2) {
		if (ok && srv_tx(s, SRV_TX_RELEASE) == 0)
			return 0;
		srv_tx(s, SRV_TX_UNDO);
		srv_tx(s, SRV_TX_RELEASE);
		return ok ? -1 : 0;
	}
	return -1;
}

/* Steps a write statement to completion and resets it. */
static int
srv_run(sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* ------------------------------------------------------------------ */
/* Responses                                                            */

static void
srv_reply(http_resp *r, int status, sb *body, long long etag)
{
	r->status = status;
	http_resp_add_header(r, "Content-Type",
	    "application/json; charset=utf-8");
	if (etag >= 0) {
		char ver[32], q[40];
		wire_version_b64(etag, ver);
		snprintf(q, sizeof q, "\"%s\"", ver);
		http_resp_add_header(r, "ETag", q);
	}
	free(r->body);
	r->body = sb_take(body);
}

static void
srv_error(http_resp *r, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
srv_error(http_resp *r, int status, const char *fmt, ...)
{
	va_list ap;
	char msg[512];
	sb b = SB_INIT;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	/* Truncation may split a multi-byte character: cut it back. */
	size_t n = strlen(msg);
	while (n > 0 && !srv_utf8_valid(msg, n))
		msg[--n] = '\0';
	sb_add(&b, "{\"error\":");
	sb_addjson(&b, msg);
	sb_addc(&b, '}');
	srv_reply(r, status, &b, -1);
}

static void
srv_dberror(srv *s, http_resp *r)
{
	srv_error(r, 500, "Database error: %s", sqlite3_errmsg(s->db));
}

/* ------------------------------------------------------------------ */
/* Bodies                                                               */

/* Parses the body as a JSON object.  Returns it (caller frees), or NULL
** after writing the 400 into resp.  An absent or blank body gives an empty
** object when optional. */
static cJSON *
srv_body(const http_req *req, http_resp *resp, int optional)
{
	const char *body = req->body, *end = NULL;
	size_t len = body ? req->body_len : 0;
	cJSON *root;

	if (body && len == 0)
		len = strlen(body);
	size_t k = 0;
	while (k < len && isspace((unsigned char)body[k]))
		k++;
	if (k == len) {
		if (optional)
			return cJSON_CreateObject();
		srv_error(resp, 400, "The request body must be a JSON object");
		return NULL;
	}
	if (memchr(body, '\0', len) != NULL) {
		srv_error(resp, 400, "Malformed JSON body: it contains a NUL "
		    "byte");
		return NULL;
	}
	if (!srv_utf8_valid(body, len)) {
		srv_error(resp, 400, "Malformed JSON body: it is not valid "
		    "UTF-8");
		return NULL;
	}
	/* "\u0000" would end a C string early and lose the rest of the
	** value: refuse it (an escaped backslash before "u0000" is text). */
	for (const char *p = body; (p = strstr(p, "u0000")) != NULL; p++) {
		size_t nb = 0;
		while (p - (ptrdiff_t)nb > body &&
		    p[-1 - (ptrdiff_t)nb] == '\\')
			nb++;
		if (nb % 2 == 1) {
			srv_error(resp, 400, "Malformed JSON body: strings "
			    "cannot hold the NUL character (\\u0000)");
			return NULL;
		}
	}
	root = cJSON_ParseWithLengthOpts(body, len, &end, 0);
	if (root != NULL) {
		/* Only white space may follow the value. */
		const char *p = end;
		while (p < body + len && isspace((unsigned char)*p))
			p++;
		if (p < body + len) {
			cJSON_Delete(root);
			root = NULL;
			end = p;
		}
	}
	if (root == NULL) {
		int line, col;
		if (end == NULL || end < body || end > body + len)
			end = body + len;
		jx_text_linecol(body, len, (size_t)(end - body), &line, &col);
		srv_error(resp, 400, "Malformed JSON body at line %d, column "
		    "%d", line, col);
		return NULL;
	}
	if (!cJSON_IsObject(root)) {
		srv_error(resp, 400, "The request body must be a JSON object, "
		    "not %s", cJSON_IsArray(root) ? "an array" :
		    cJSON_IsString(root) ? "a string" :
		    cJSON_IsNumber(root) ? "a number" :
		    cJSON_IsNull(root) ? "null" : "a boolean");
		cJSON_Delete(root);
		return NULL;
	}
	/* No table has this many columns; the limit keeps error bodies
	** and the work per request small. */
	if (cJSON_GetArraySize(root) > 1000) {
		srv_error(resp, 400, "The request body has more than 1000 "
		    "properties");
		cJSON_Delete(root);
		return NULL;
	}
	const cJSON *dup = jx_dup_member(root);
	if (dup != NULL) {
		srv_error(resp, 400, "Malformed JSON body: property '%s' "
		    "appears twice", dup->string);
		cJSON_Delete(root);
		return NULL;
	}
	return root;
}

static const char *
srv_jtype(const cJSON *v)
{
	if (cJSON_IsString(v))
		return "a string";
	if (cJSON_IsNumber(v))
		return "a number";
	if (cJSON_IsBool(v))
		return "a boolean";
	if (cJSON_IsArray(v))
		return "an array";
	if (cJSON_IsObject(v))
		return "an object";
	return "null";
}

/* The user-column values of a body, checked and ready to bind. */
typedef struct srv_vals {
	const cJSON	**v;		/* per user column; NULL = not given */
	char		(*dates)[32];	/* normalised TBL_DATE values */
	size_t		 nset;
	const char	*id;		/* NULL when absent or null */
	int		 has_version;
	long long	 version;
} srv_vals;

static void
srv_vals_free(srv_vals *v)
{
	free(v->v);
	free(v->dates);
}

/*
** Checks a body against the table: reserved names, id, version, then each
** user column's type.  Returns 0, or -1 with a message (for a 400) in msg.
** allow_version: a PATCH may carry the version it edits; an insert may not
** (D4), except as null.
*/
static int
srv_vals_check(const srv_tab *t, const cJSON *obj, int allow_version,
    srv_vals *out, char *msg, size_t msglen)
{
	static const char *const reserved[] = { "createdAt", "updatedAt",
	    "deleted" };

	memset(out, 0, sizeof *out);
	out->v = xcalloc(t->def.ncols + 1, sizeof *out->v);
	out->dates = xcalloc(t->def.ncols + 1, sizeof *out->dates);
	for (const cJSON *m = obj->child; m; m = m->next)
		for (size_t i = 0; i < 3; i++)
			if (strcmp(m->string, reserved[i]) == 0) {
				srv_seterr(msg, msglen, "Cannot update item "
				    "with property '%s' as it is reserved",
				    reserved[i]);
				return -1;
			}
	for (const cJSON *m = obj->child; m; m = m->next) {
		if (strcmp(m->string, "id") == 0) {
			if (cJSON_IsNull(m))
				continue;
			if (!cJSON_IsString(m)) {
				srv_seterr(msg, msglen, "The id must be a "
				    "string (got %s)", srv_jtype(m));
				return -1;
			}
			out->id = m->valuestring;
			continue;
		}
		if (strcmp(m->string, "version") == 0) {
			if (cJSON_IsNull(m))
				continue;
			if (!allow_version) {
				srv_seterr(msg, msglen, "Cannot insert an item "
				    "with a version: the server assigns "
				    "versions");
				return -1;
			}
			if (!cJSON_IsString(m) || wire_version_parse(
			    m->valuestring, &out->version) < 0) {
				srv_seterr(msg, msglen, "The version must be "
				    "a version string from the server, such "
				    "as \"MQ==\"");
				return -1;
			}
			out->has_version = 1;
			continue;
		}
		size_t c;
		for (c = 0; c < t->def.ncols; c++)
			if (strcmp(m->string, t->def.cols[c].name) == 0)
				break;
		if (c == t->def.ncols) {
			srv_seterr(msg, msglen, "Unknown column '%s' in table "
			    "'%s'", m->string, t->def.name);
			return -1;
		}
		out->v[c] = m;
		out->nset++;
		if (cJSON_IsNull(m))
			continue;
		/* The wording is the backend's own; JSON has no infinity,
		** so a number too large for a double is refused too. */
		static const char *const wants[TBL_NTYPES] = {
			[TBL_STRING] = "a string",
			[TBL_NUMBER] = "a number",
			[TBL_BOOL] = "a boolean",
			[TBL_DATE] = "an ISO-8601 date such as "
			    "\"2026-03-02T09:00:00.000Z\""
		};
		tbl_type ty = t->def.cols[c].type;
		jx_val jv = jx_val_of(m);
		int64_t ms;
		const char *want = NULL;
		if (!tbl_fits(ty, &jv, &ms) || (ty == TBL_NUMBER &&
		    !isfinite(m->valuedouble)))
			want = wants[ty];
		else if (ty == TBL_DATE)
			wire_format_time(ms, out->dates[c]);
		if (want) {
			srv_seterr(msg, msglen, "Column '%s' expects %s (got "
			    "%s)", m->string, want, cJSON_IsString(m) &&
			    t->def.cols[c].type == TBL_DATE ?
			    "a string that is not one" : srv_jtype(m));
			return -1;
		}
	}
	return 0;
}

/* Binds the value of user column c at index idx (null when not given). */
static void
srv_bind_val(sqlite3_stmt *st, int idx, const srv_tab *t, const srv_vals *v,
    size_t c)
{
	const cJSON *m = v->v[c];

	if (m == NULL || cJSON_IsNull(m)) {
		sqlite3_bind_null(st, idx);
		return;
	}
	switch (t->def.cols[c].type) {
	case TBL_STRING:
		sqlite3_bind_text(st, idx, m->valuestring, -1, SQLITE_STATIC);
		break;
	case TBL_NUMBER:
		sqlite3_bind_double(st, idx, m->valuedouble);
		break;
	case TBL_BOOL:
		sqlite3_bind_int(st, idx, cJSON_IsTrue(m) ? 1 : 0);
		break;
	case TBL_DATE:
		sqlite3_bind_text(st, idx, v->dates[c], -1, SQLITE_STATIC);
		break;
	}
}

/* ------------------------------------------------------------------ */
/* Writes                                                               */

/*
** Inserts obj (already known to be an object).  Returns the HTTP status:
** 201 with the new row in out and its version in *ver (out NULL: a seed,
** nothing is read back), 400 or 409 with a message in msg, 500 on an
** SQLite error (message in msg).
*/
static int
srv_insert(srv *s, srv_tab *t, const cJSON *obj, int64_t now_ms,
    uint64_t entropy, int need_id, sb *out, long long *ver, char *msg,
    size_t msglen)
{
	srv_vals v;
	srv_cur cur = { 0, 0, 0, SB_INIT };
	char uuid[37], ts[32];
	const char *id;
	int kind, status = 500;

	if (srv_vals_check(t, obj, 0, &v, msg, msglen) < 0) {
		srv_vals_free(&v);
		return 400;
	}
	/* As the reference: a missing, null or empty id gets a uuid v4. */
	id = v.id;
	if (id == NULL || *id == '\0') {
		if (need_id) {
			srv_seterr(msg, msglen, "the row has no id");
			srv_vals_free(&v);
			return 400;
		}
		rng_uuid4(entropy, uuid);
		id = uuid;
	}
	if (!srv_utf8_valid(id, strlen(id))) {
		srv_seterr(msg, msglen, "The id is not valid UTF-8");
		srv_vals_free(&v);
		return 400;
	}
	wire_format_time(now_ms, ts);
	/*
	** Inside the caller's transaction (a bulk seed) the insert is one
	** statement, which SQLite applies whole or not at all, so no
	** savepoint is needed; on its own it gets BEGIN IMMEDIATE so that
	** the row read back is the row written.
	*/
	kind = sqlite3_get_autocommit(s->db) ? srv_begin(s) : 0;
	if (kind < 0) {
		srv_seterr(msg, msglen, "%s", sqlite3_errmsg(s->db));
		srv_vals_free(&v);
		return 500;
	}
	sqlite3_bind_text(t->st_ins, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(t->st_ins, 2, ts, -1, SQLITE_STATIC);
	for (size_t c = 0; c < t->def.ncols; c++)
		srv_bind_val(t->st_ins, (int)c + 3, t, &v, c);
	if (srv_run(t->st_ins) < 0) {
		/* The id exists, live or soft-deleted: the primary key is the
		** only constraint of the table. */
		if (sqlite3_extended_errcode(s->db) ==
		    SQLITE_CONSTRAINT_PRIMARYKEY) {
			srv_seterr(msg, msglen, "An item with id '%s' already "
			    "exists", id);
			status = 409;
			goto done;
		}
		goto dberr;
	}
	if (out != NULL && (srv_read(t, id, &cur) < 0 || !cur.found))
		goto dberr;
	if (kind > 0 && srv_end(s, kind, 1) < 0) {
		kind = 0;
		goto dberr;
	}
	if (out != NULL) {
		sb_add(out, sb_str(&cur.json));
		*ver = cur.version;
	}
	sb_free(&cur.json);
	srv_vals_free(&v);
	return 201;
dberr:
	srv_seterr(msg, msglen, "%s", sqlite3_errmsg(s->db));
	status = 500;
done:
	if (kind > 0)
		srv_end(s, kind, 0);
	sb_free(&cur.json);
	srv_vals_free(&v);
	return status;
}

int
srv_seed(srv *s, const char *table, const cJSON *row, int64_t now_ms,
    char *err, size_t errlen)
{
	srv_tab *t = table ? srv_find(s, table) : NULL;
	long long ver;
	char msg[512];
	int st;

	if (t == NULL) {
		srv_seterr(err, errlen, "no table '%s'", table ? table : "");
		return -1;
	}
	if (!cJSON_IsObject(row)) {
		srv_seterr(err, errlen, "a seed row must be an object");
		return -1;
	}
	st = srv_insert(s, t, row, now_ms, 0, 1, NULL, &ver, msg, sizeof msg);
	if (st != 201) {
		srv_seterr(err, errlen, "table '%s': %s", t->def.name, msg);
		return -1;
	}
	return 0;
}

/* The version a write is conditional on: If-Match wins over the body. */
typedef struct srv_cond {
	int		 kind;		/* 0 none, 1 If-Match, 2 body version */
	int		 valid;		/* the If-Match text is a version */
	long long	 version;
} srv_cond;

static void
srv_cond_get(const http_req *req, const srv_vals *v, srv_cond *c)
{
	const char *im = http_req_header(req, "If-Match");

	memset(c, 0, sizeof *c);
	if (im != NULL) {
		char buf[64];
		size_t n;
		while (*im == ' ' || *im == '\t')
			im++;
		if (strncmp(im, "W/", 2) == 0)
			im += 2;
		n = strlen(im);
		while (n > 0 && (im[n - 1] == ' ' || im[n - 1] == '\t'))
			n--;
		if (n >= 2 && im[0] == '"' && im[n - 1] == '"') {
			im++;
			n -= 2;
		}
		c->kind = 1;
		/* "*" is no wildcard here: it is compared literally, as the
		** reference does, and never matches. */
		if (n < sizeof buf) {
			memcpy(buf, im, n);
			buf[n] = '\0';
			c->valid = wire_version_parse(buf, &c->version) == 0;
		}
		return;
	}
	if (v && v->has_version) {
		c->kind = 2;
		c->valid = 1;
		c->version = v->version;
	}
}

/* 1 when the condition holds for the current version. */
static int
srv_cond_ok(const srv_cond *c, long long current)
{
	return c->kind == 0 || (c->valid && c->version == current);
}

/* Writes the conflict answer: 412 for If-Match, 409 for a body version;
** either way the current server row with its ETag. */
static void
srv_conflict(http_resp *resp, const srv_cond *c, srv_cur *cur)
{
	srv_reply(resp, c->kind == 1 ? 412 : 409, &cur->json, cur->version);
}

enum { SRV_OP_PATCH, SRV_OP_DELETE, SRV_OP_UNDELETE };

/*
** PATCH, DELETE and undelete share one shape: read the row inside the
** transaction, answer 404 or a conflict from what is there, else run the
** statement and answer with the row as it now is (DELETE without soft
** delete answers with the row as it was).
*/
static void
srv_write(srv *s, srv_tab *t, const http_req *req, const char *id, int op,
    int64_t now_ms, http_resp *resp)
{
	srv_vals v;
	srv_cond cond;
	srv_cur cur = { 0, 0, 0, SB_INIT };
	cJSON *obj = NULL;
	char msg[512], ts[32];
	int kind = 0;

	memset(&v, 0, sizeof v);
	if (op != SRV_OP_DELETE) {
		obj = srv_body(req, resp, op == SRV_OP_UNDELETE);
		if (obj == NULL)
			return;
	}
	if (op == SRV_OP_UNDELETE) {
		/*
		** An undelete may carry the client's copy of the item; only its
		** version counts (as a condition, like a PATCH body's), the
		** rest is ignored, reserved names included, since a client
		** that sends the whole item sends those too.
		*/
		const cJSON *bv = cJSON_GetObjectItemCaseSensitive(obj,
		    "version");
		if (bv != NULL && !cJSON_IsNull(bv)) {
			if (!cJSON_IsString(bv) || wire_version_parse(
			    bv->valuestring, &v.version) < 0) {
				srv_error(resp, 400, "The version must be a "
				    "version string from the server, such as "
				    "\"MQ==\"");
				goto out;
			}
			v.has_version = 1;
		}
	} else if (op == SRV_OP_PATCH) {
		if (srv_vals_check(t, obj, 1, &v, msg, sizeof msg) < 0) {
			srv_error(resp, 400, "%s", msg);
			goto out;
		}
		if (v.id != NULL && strcmp(v.id, id) != 0) {
			srv_error(resp, 400, "The id in the body ('%s') does "
			    "not match the id in the URL ('%s')", v.id, id);
			goto out;
		}
		if (v.nset == 0) {
			/* D1: the reference answers 500 here. */
			srv_error(resp, 400, "The request body has no column "
			    "to change");
			goto out;
		}
	}
	srv_cond_get(req, op == SRV_OP_DELETE ? NULL : &v, &cond);
	wire_format_time(now_ms, ts);
	if ((kind = srv_begin(s)) < 0) {
		kind = 0;
		srv_dberror(s, resp);
		goto out;
	}
	if (srv_read(t, id, &cur) < 0)
		goto dberr;
	/*
	** A soft-deleted row is as good as missing for PATCH and DELETE.  For
	** DELETE the fork's source would answer 409 (its UPDATE has "AND
	** deleted = 0" and finds the row present), but the observed 4.0.2
	** server answers 404, and the observed behaviour is the reference.
	*/
	if (!cur.found || (cur.deleted && op != SRV_OP_UNDELETE)) {
		srv_error(resp, 404, "The item does not exist");
		goto rollback;
	}
	if (!srv_cond_ok(&cond, cur.version)) {
		srv_conflict(resp, &cond, &cur);
		goto rollback;
	}
	switch (op) {
	case SRV_OP_PATCH:
		sqlite3_bind_text(t->st_upd, 1, ts, -1, SQLITE_STATIC);
		sqlite3_bind_text(t->st_upd, 2, id, -1, SQLITE_STATIC);
		for (size_t c = 0; c < t->def.ncols; c++) {
			int set = v.v[c] != NULL;
			sqlite3_bind_int(t->st_upd, (int)(3 + 2 * c), set);
			if (set)
				srv_bind_val(t->st_upd, (int)(4 + 2 * c), t,
				    &v, c);
		}
		if (srv_run(t->st_upd) < 0)
			goto dberr;
		break;
	case SRV_OP_DELETE:
		if (!t->def.soft_delete) {
			sqlite3_bind_text(t->st_hard, 1, id, -1,
			    SQLITE_STATIC);
			if (srv_run(t->st_hard) < 0)
				goto dberr;
			if (srv_end(s, kind, 1) < 0) {
				kind = 0;
				goto dberr;
			}
			srv_reply(resp, 200, &cur.json, cur.version);
			goto out;
		}
		/* FALLTHROUGH */
	case SRV_OP_UNDELETE: {
		sqlite3_stmt *st = op == SRV_OP_DELETE ? t->st_soft :
		    t->st_undel;
		sqlite3_bind_text(st, 1, ts, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, id, -1, SQLITE_STATIC);
		if (srv_run(st) < 0)
			goto dberr;
		break;
	}
	}
	if (srv_read(t, id, &cur) < 0 || !cur.found)
		goto dberr;
	if (srv_end(s, kind, 1) < 0) {
		kind = 0;
		goto dberr;
	}
	srv_reply(resp, op == SRV_OP_UNDELETE ? 201 : 200, &cur.json,
	    cur.version);
	goto out;
dberr:
	srv_dberror(s, resp);
rollback:
	if (kind > 0)
		srv_end(s, kind, 0);
out:
	sb_free(&cur.json);
	srv_vals_free(&v);
	cJSON_Delete(obj);
}

static void
srv_post(srv *s, srv_tab *t, const http_req *req, int64_t now_ms,
    uint64_t entropy, http_resp *resp)
{
	cJSON *obj = srv_body(req, resp, 0);
	sb out = SB_INIT;
	long long ver = -1;
	char msg[512];
	int st;

	if (obj == NULL)
		return;
	st = srv_insert(s, t, obj, now_ms, entropy, 0, &out, &ver, msg,
	    sizeof msg);
	if (st == 201)
		srv_reply(resp, 201, &out, ver);
	else if (st == 409) {
		/* The reference echoes the client's own item, so a client
		** learns no server version from this answer. */
		char *echo = cJSON_PrintUnformatted(obj);
		sb_add(&out, echo ? echo : "{}");
		cJSON_free(echo);
		srv_reply(resp, 409, &out, -1);
	} else
		srv_error(resp, st, "%s", msg);
	sb_free(&out);
	cJSON_Delete(obj);
}

static void
srv_get_one(srv *s, srv_tab *t, const char *id, http_resp *resp)
{
	srv_cur cur = { 0, 0, 0, SB_INIT };

	if (srv_read(t, id, &cur) < 0)
		srv_dberror(s, resp);
	else if (!cur.found || cur.deleted)
		srv_error(resp, 404, "The item does not exist");
	else
		srv_reply(resp, 200, &cur.json, cur.version);
	sb_free(&cur.json);
}

/* ------------------------------------------------------------------ */
/* Lists                                                                */

/* Parses a whole number for $top/$skip (digits only).  -1 if bad. */
static int
srv_whole(const char *v, long long *out)
{
	long long n = 0;

	if (v == NULL || *v == '\0')
		return -1;
	for (const char *p = v; *p; p++) {
		if (!isdigit((unsigned char)*p))
			return -1;
		if (n > (INT64_MAX - 9) / 10)
			return -1;
		n = n * 10 + (*p - '0');
	}
	*out = n;
	return 0;
}

/* A Host header we can put in a URL: host, IPv4, [IPv6], optional port. */
static int
srv_host_ok(const char *h)
{
	if (h == NULL || *h == '\0' || strlen(h) > 255)
		return 0;
	for (const char *p = h; *p; p++)
		if (!(isalnum((unsigned char)*p) || strchr(".-_:[]", *p)))
			return 0;
	return 1;
}

/* The next-page URL: the request's own query minus $skip/$top, then the
** new $skip (and $top when the client set one). */
static void
srv_next_link(const http_req *req, const srv_tab *t, long long skip,
    long long top, http_resp *resp)
{
	const char *host = http_req_header(req, "Host");
	const char *q = req->query, *p;
	sb b = SB_INIT;
	int first = 1;

	sb_addc(&b, '<');
	if (srv_host_ok(host))
		sb_addf(&b, "http://%s", host);
	sb_addf(&b, "/tables/%s?", t->def.name);
	for (p = q; p && *p; ) {
		const char *end = strchr(p, '&');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		const char *eq = memchr(p, '=', len);
		size_t nlen = eq ? (size_t)(eq - p) : len;
		char *raw = xstrndup(p, nlen), *name = http_unescape(raw);
		int drop = len == 0 || strcmp(name, "$skip") == 0 ||
		    strcmp(name, "$top") == 0;
		/* Anything that could break the header goes too. */
		for (size_t i = 0; i < len && !drop; i++)
			if ((unsigned char)p[i] <= ' ' || p[i] == '>' ||
			    p[i] == '<' || (unsigned char)p[i] >= 0x7f)
				drop = 1;
		if (!drop) {
			if (!first)
				sb_addc(&b, '&');
			sb_addn(&b, p, len);
			first = 0;
		}
		free(raw);
		free(name);
		if (end == NULL)
			break;
		p = end + 1;
	}
	if (!first)
		sb_addc(&b, '&');
	sb_addf(&b, "$skip=%lld", skip);
	if (top >= 0)
		sb_addf(&b, "&$top=%lld", top);
	sb_add(&b, ">; rel=next");
	http_resp_add_header(resp, "Link", sb_str(&b));
	sb_free(&b);
}

static void
srv_list(srv *s, srv_tab *t, const http_req *req, http_resp *resp)
{
	char *filter, *orderby, *select, *top_s, *skip_s, *count_s;
	int incl = 0, incl2 = 0;
	long long top = -1, skip = 0, page;
	odata_sql where = { NULL, NULL, 0 };
	size_t *sel = xcalloc(t->nfields, sizeof *sel), nsel = 0;
	sb sql = SB_INIT, body = SB_INIT, ord = SB_INIT;
	sqlite3_stmt *st = NULL;	/* from the cache: reset, never finalized */
	char msg[512];
	int with_count = 0, rc, idx;
	long long count = 0, nrows = 0;

	filter = http_query_get(req->query, "$filter", NULL);
	orderby = http_query_get(req->query, "$orderby", NULL);
	select = http_query_get(req->query, "$select", NULL);
	top_s = http_query_get(req->query, "$top", NULL);
	skip_s = http_query_get(req->query, "$skip", NULL);
	count_s = http_query_get(req->query, "$inlinecount", NULL);
	free(http_query_get(req->query, "__includeDeleted", &incl));
	/* The .NET Datasync client spells it in lower case. */
	free(http_query_get(req->query, "__includedeleted", &incl2));
	incl |= incl2;

	if (top_s && srv_whole(top_s, &top) < 0) {
		srv_error(resp, 400, "$top must be a whole number, not '%s'",
		    top_s);
		goto out;
	}
	if (top > SRV_MAX_TOP) {
		srv_error(resp, 400, "You cannot request more than %d records",
		    SRV_MAX_TOP);
		goto out;
	}
	if (skip_s && srv_whole(skip_s, &skip) < 0) {
		srv_error(resp, 400, "$skip must be a whole number, not '%s'",
		    skip_s);
		goto out;
	}
	if (count_s) {
		if (strcmp(count_s, "allpages") == 0)
			with_count = 1;
		else if (strcmp(count_s, "none") != 0) {
			srv_error(resp, 400, "$inlinecount must be allpages "
			    "or none");
			goto out;
		}
	}
	if (filter && !srv_utf8_valid(filter, strlen(filter))) {
		srv_error(resp, 400, "Invalid $filter: not valid UTF-8");
		goto out;
	}
	if (filter && odata_filter(filter, t->fields, t->nfields, &where, msg,
	    sizeof msg) < 0) {
		srv_error(resp, 400, "Invalid $filter: %s", msg);
		goto out;
	}
	if (orderby && odata_orderby(orderby, t->fields, t->nfields, &ord,
	    msg, sizeof msg) < 0) {
		srv_error(resp, 400, "Invalid $orderby: %s", msg);
		goto out;
	}
	/*
	** $select, as the reference: exactly the named columns, in the order
	** named, and nothing else (no implicit id).  A client that selects
	** must name id itself if it wants it; "*" gives every column.
	*/
	if (select && odata_select(select, t->fields, t->nfields, sel, &nsel,
	    msg, sizeof msg) < 0) {
		srv_error(resp, 400, "Invalid $select: %s", msg);
		goto out;
	}

	/* WHERE part, shared by the page and the count. */
	sb_add(&sql, " FROM ");
	sb_add(&sql, t->qname);
	if (!incl || where.sql) {
		sb_add(&sql, " WHERE ");
		if (!incl)
			sb_add(&sql, "\"deleted\" = 0");
		if (!incl && where.sql)
			sb_add(&sql, " AND ");
		if (where.sql) {
			sb_addc(&sql, '(');
			sb_add(&sql, where.sql);
			sb_addc(&sql, ')');
		}
	}

	if (with_count) {
		char *cq = xasprintf("SELECT COUNT(*)%s", sb_str(&sql));
		rc = srv_cached(s, cq, &st);
		free(cq);
		if (rc != SQLITE_OK)
			goto prepfail;
		if (odata_bind(st, 1, &where) < 0)
			goto dberr;
		if (sqlite3_step(st) != SQLITE_ROW)
			goto dberr;
		count = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
		st = NULL;
	}

	/*
	** One page: $top rows when the client gives $top (up to 1000, as
	** the real server answers: an explicit $top is the page size), else
	** the page size of 50.  One row more is read to know whether another
	** page exists, so the Link header appears only when a next page has
	** rows and the client did not bound the answer with $top; the link
	** then carries no $top either, so a client following links reads the
	** whole set (the reference treats a missing $top as 1000 and stops
	** there, which a client cannot see).
	**
	** Without $orderby the order is rowid (insertion) order; with it
	** there is no tie-breaker, as in the reference, so
	** "$orderby=updatedAt" lists equal stamps in whatever order SQLite
	** finds them.
	*/
	page = top >= 0 ? top : SRV_PAGE_SIZE;
	{
		sb full = SB_INIT;
		sb_addf(&full, "SELECT %s%s ORDER BY %s LIMIT ? OFFSET ?",
		    t->cols, sb_str(&sql), ord.len ? sb_str(&ord) :
		    "rowid");
		rc = srv_cached(s, sb_str(&full), &st);
		sb_free(&full);
	}
	if (rc != SQLITE_OK)
		goto prepfail;
	if ((idx = odata_bind(st, 1, &where)) < 0)
		goto dberr;
	sqlite3_bind_int64(st, idx, page + 1);
	sqlite3_bind_int64(st, idx + 1, skip);
	if (with_count)
		sb_add(&body, "{\"results\":");
	sb_addc(&body, '[');
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (nrows == page) {
			/* A next page exists and $top did not bound the
			** answer. */
			if (top < 0)
				srv_next_link(req, t, skip + page, -1, resp);
			break;
		}
		if (nrows++)
			sb_addc(&body, ',');
		srv_render_row(&body, t, st, select ? sel : NULL, nsel);
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		goto dberr;
	sb_addc(&body, ']');
	if (with_count)
		sb_addf(&body, ",\"count\":%lld}", count);
	srv_reply(resp, 200, &body, -1);
	goto out;
prepfail:
	/* Filters that compile but SQLite cannot take (too deep, too many
	** terms) are the client's to fix. */
	srv_error(resp, 400, "Invalid $filter: the expression is too complex "
	    "(%s)", sqlite3_errmsg(s->db));
	goto out;
dberr:
	srv_dberror(s, resp);
out:
	if (st != NULL)
		sqlite3_reset(st);
	odata_sql_free(&where);
	sb_free(&sql);
	sb_free(&body);
	sb_free(&ord);
	free(sel);
	free(filter);
	free(orderby);
	free(select);
	free(top_s);
	free(skip_s);
	free(count_s);
}

/* ------------------------------------------------------------------ */
/* The handler                                                          */

/* 1 when the request carries ZUMO-API-VERSION 2.0.0, else writes the 400. */
static int
srv_api_version(const http_req *req, http_resp *resp)
{
	const char *h = http_req_header(req, "ZUMO-API-VERSION");
	char *q = NULL;
	int ok;

	if (h == NULL) {
		q = http_query_get(req->query, "ZUMO-API-VERSION", NULL);
		if (q == NULL)
			q = http_query_get(req->query, "zumo-api-version",
			    NULL);
		h = q;
	}
	if (h == NULL) {
		srv_error(resp, 400, "An API version is required: send the "
		    "ZUMO-API-VERSION header or query parameter with the "
		    "value 2.0.0");
		return 0;
	}
	while (*h == ' ')
		h++;
	ok = strncmp(h, "2.0.0", 5) == 0 && (h[5] == '\0' || h[5] == ' ');
	if (!ok) {
		int valid = srv_utf8_valid(h, strlen(h)) && strlen(h) < 64;
		srv_error(resp, 400, "Unsupported ZUMO-API-VERSION '%s': this "
		    "server supports 2.0.0", valid ? h : "?");
	}
	free(q);
	return ok;
}

void
srv_handle(srv *s, const http_req *req, int64_t now_ms, uint64_t entropy,
    http_resp *resp)
{
	const char *path = req->path ? req->path : "", *rest, *m = req->method;
	char *tname = NULL;
	const char *id = NULL;
	srv_tab *t;
	int coll;

	http_resp_free(resp);
	http_resp_init(resp, 500);
	if (s == NULL || req == NULL) {
		srv_error(resp, 500, "No backend");
		return;
	}
	if (!srv_api_version(req, resp))
		return;
	if (!srv_utf8_valid(path, strlen(path)) || (req->query &&
	    !srv_utf8_valid(req->query, strlen(req->query)))) {
		srv_error(resp, 400, "The URL is not valid UTF-8");
		return;
	}
	if (strncmp(path, "/tables/", 8) != 0 || path[8] == '\0' ||
	    path[8] == '/') {
		srv_error(resp, 404, "Not found");
		return;
	}
	rest = strchr(path + 8, '/');
	tname = rest ? xstrndup(path + 8, (size_t)(rest - (path + 8))) :
	    xstrdup(path + 8);
	/* The id is everything after the table: the path is already
	** percent-decoded, so an id may itself hold a '/'. */
	if (rest && rest[1] != '\0')
		id = rest + 1;
	t = srv_find(s, tname);
	if (t == NULL) {
		srv_error(resp, 404, "Table '%s' does not exist", tname);
		free(tname);
		return;
	}
	free(tname);
	coll = id == NULL;

	if (strcmp(m, "GET") == 0) {
		if (coll)
			srv_list(s, t, req, resp);
		else
			srv_get_one(s, t, id, resp);
	} else if (strcmp(m, "POST") == 0) {
		if (coll)
			srv_post(s, t, req, now_ms, entropy, resp);
		else
			srv_write(s, t, req, id, SRV_OP_UNDELETE, now_ms,
			    resp);
	} else if (strcmp(m, "PATCH") == 0 && !coll)
		srv_write(s, t, req, id, SRV_OP_PATCH, now_ms, resp);
	else if (strcmp(m, "DELETE") == 0 && !coll)
		srv_write(s, t, req, id, SRV_OP_DELETE, now_ms, resp);
	else {
		srv_error(resp, 405, "Method %s is not allowed here",
		    srv_utf8_valid(m, strlen(m)) ? m : "?");
		http_resp_add_header(resp, "Allow", coll ? "GET, POST" :
		    "GET, POST, PATCH, DELETE");
	}
}
