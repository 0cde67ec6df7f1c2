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
**       (odata_parse.c); the reference fails with 500 or ignores it.
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
#include "sim/srv_int.h"
#include "sim/srv_push.h"
#include "sim/auth.h"
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

static const char *const srv_tx_sql[SRV_TX_N] = {
	"BEGIN IMMEDIATE", "COMMIT", "ROLLBACK", "SAVEPOINT srv_write",
	"RELEASE srv_write", "ROLLBACK TO srv_write"
};

/* ------------------------------------------------------------------ */
/* Small helpers                                                        */

int
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
srv_prepare(srv *s, const char *sql, sqlite3_stmt **st, sb *err)
{
	if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, st,
	    NULL) != SQLITE_OK) {
		sb_setf(err, "cannot prepare statement: %s",
		    sqlite3_errmsg(s->db));
		return -1;
	}
	return 0;
}

static int
srv_exec(srv *s, const char *sql, sb *err)
{
	char *msg = NULL;
	if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		sb_setf(err, "%s", msg ? msg : "SQLite error");
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

/* Adds the user columns a database made by an older definition lacks, and
** refuses one whose existing columns clash. */
static int
srv_sync_columns(srv *s, srv_tab *t, sb *err)
{
	sb q = SB_INIT;
	sqlite3_stmt *st = NULL;
	size_t n = t->def.ncols;
	int *have = xcalloc(n + 1, sizeof *have), rc = 0;
	int sys = 0;

	if (sqlite3_prepare_v2(s->db, "SELECT name FROM pragma_table_info(?1)",
	    -1, &st, NULL) != SQLITE_OK) {
		sb_setf(err, "%s", sqlite3_errmsg(s->db));
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
		sb_setf(err, "table '%s' exists without the system "
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
		rc = srv_exec(s, sb_str(&q), err);
	}
out:
	sqlite3_finalize(st);
	sb_free(&q);
	free(have);
	return rc;
}

static int
srv_tab_build(srv *s, srv_tab *t, sb *err)
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
	/* Render order: id, the user columns, then the other system ones.
	** A table without soft delete shows no "deleted" member, as the
	** reference (its rows are never deleted softly, so the column is
	** always 0 there). */
	t->order = xcalloc(t->nfields, sizeof *t->order);
	t->order[0] = SRV_C_ID;
	for (size_t i = 0; i < n; i++)
		t->order[1 + i] = SRV_C_USER + i;
	t->norder = 1 + n;
	for (size_t i = SRV_C_CREATED; i < SRV_C_USER; i++)
		if (i != SRV_C_DELETED || t->def.soft_delete)
			t->order[t->norder++] = i;
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
	if (srv_exec(s, sb_str(&q), err) < 0)
		goto out;
	if (srv_sync_columns(s, t, err) < 0)
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
	if (srv_exec(s, sb_str(&q), err) < 0)
		goto out;

	/* Prepared statements. */
	sb_reset(&q);
	sb_addf(&q, "INSERT INTO %s (%s) VALUES (?1, ?2, ?2, 1, 0", t->qname,
	    t->cols);
	for (size_t i = 0; i < n; i++)
		sb_addf(&q, ", ?%zu", i + 3);
	sb_add(&q, ")");
	if (srv_prepare(s, sb_str(&q), &t->st_ins, err) < 0)
		goto out;
	sb_reset(&q);
	sb_addf(&q, "SELECT %s FROM %s WHERE \"id\" = ?1", t->cols, t->qname);
	if (srv_prepare(s, sb_str(&q), &t->st_sel, err) < 0)
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
	if (srv_prepare(s, sb_str(&q), &t->st_upd, err) < 0)
		goto out;
	sb_reset(&q);
	sb_addf(&q, "UPDATE %s SET \"deleted\" = 1, \"version\" = "
	    "\"version\" + 1, \"updatedAt\" = ?1 WHERE \"id\" = ?2", t->qname);
	if (srv_prepare(s, sb_str(&q), &t->st_soft, err) < 0)
		goto out;
	sb_reset(&q);
	sb_addf(&q, "UPDATE %s SET \"deleted\" = 0, \"version\" = "
	    "\"version\" + 1, \"updatedAt\" = ?1 WHERE \"id\" = ?2", t->qname);
	if (srv_prepare(s, sb_str(&q), &t->st_undel, err) < 0)
		goto out;
	sb_reset(&q);
	sb_addf(&q, "DELETE FROM %s WHERE \"id\" = ?1", t->qname);
	if (srv_prepare(s, sb_str(&q), &t->st_hard, err) < 0)
		goto out;
	rc = 0;
out:
	sb_free(&q);
	return rc;
}

srv *
srv_open(const char *db_path, sb *err)
{
	srv *s = xcalloc(1, sizeof *s);
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
	    SQLITE_OPEN_NOMUTEX;

	if (sqlite3_open_v2(db_path ? db_path : ":memory:", &s->db, flags,
	    NULL) != SQLITE_OK) {
		sb_setf(err, "%s: %s",
		    db_path ? db_path : ":memory:",
		    s->db ? sqlite3_errmsg(s->db) : "cannot open");
		sqlite3_close(s->db);
		free(s);
		return NULL;
	}
	sqlite3_busy_timeout(s->db, 5000);
	/* Schema checks cost nothing here and catch a file that is not a
	** database at open rather than at the first request. */
	if (srv_exec(s, "PRAGMA foreign_keys = OFF", err) < 0 ||
	    srv_exec(s, "SELECT count(*) FROM sqlite_master", err) < 0) {
		srv_close(s);
		return NULL;
	}
	for (int i = 0; i < SRV_TX_N; i++)
		if (srv_prepare(s, srv_tx_sql[i], &s->tx[i], err) < 0) {
			srv_close(s);
			return NULL;
		}
	return s;
}

void
srv_attach_hub(srv *s, hub *h)
{
	s->hub = h;
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

int
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

srv_tab *
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
srv_define(srv *s, const tbl_def *def, sb *err)
{
	srv_tab *t, *old;

	if (def == NULL || !tbl_valid_ident(def->name)) {
		sb_setf(err, "invalid table name '%s'",
		    def && def->name ? def->name : "");
		return -1;
	}
	if (def->ncols > 0 && def->cols == NULL) {
		sb_setf(err, "table '%s': no columns given",
		    def->name);
		return -1;
	}
	for (size_t i = 0; i < def->ncols; i++) {
		const tbl_col *c = &def->cols[i];
		if (!tbl_valid_ident(c->name)) {
			sb_setf(err, "table '%s': invalid column "
			    "name '%s'", def->name, c->name ? c->name : "");
			return -1;
		}
		if (c->type != TBL_STRING && c->type != TBL_NUMBER &&
		    c->type != TBL_BOOL && c->type != TBL_DATE) {
			sb_setf(err, "table '%s': column '%s' has "
			    "an unknown type", def->name, c->name);
			return -1;
		}
		for (size_t j = 0; j < i; j++)
			if (strcasecmp(c->name, def->cols[j].name) == 0) {
				sb_setf(err, "table '%s': column "
				    "'%s' is defined twice", def->name,
				    c->name);
				return -1;
			}
	}
	if ((old = srv_find(s, def->name)) != NULL) {
		if (srv_same_def(&old->def, def))
			return 0;
		sb_setf(err, "table '%s' is already defined "
		    "differently", def->name);
		return -1;
	}

	t = xcalloc(1, sizeof *t);
	tbl_def_copy(&t->def, def);
	if (srv_tab_build(s, t, err) < 0) {
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

void
srv_render_row(sb *b, const srv_tab *t, sqlite3_stmt *st, const size_t *idx,
    size_t n)
{
	if (idx == NULL) {
		idx = t->order;
		n = t->norder;
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

int
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

int
srv_begin(srv *s)
{
	if (sqlite3_get_autocommit(s->db))
		return srv_tx(s, SRV_TX_BEGIN) == 0 ? 1 : -1;
	return srv_tx(s, SRV_TX_SAVE) == 0 ? 2 : -1;
}

int
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

int
srv_run(sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* ------------------------------------------------------------------ */
/* Responses                                                            */

void
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

void
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

void
srv_dberror(srv *s, http_resp *r)
{
	srv_error(r, 500, "Database error: %s", sqlite3_errmsg(s->db));
}

/* ------------------------------------------------------------------ */
/* The handler                                                          */

/*
** 1 when the request carries ZUMO-API-VERSION 2.0.0, or 3.0.0 (the
** Datasync client's, which a Datasync server accepts beside 2.0.0; the
** Node server knows 2.0.0 alone), else writes the 400 in the Node
** server's words.
*/
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
	/* The reference's own words, missing or wrong alike. */
	if (h == NULL) {
		srv_error(resp, 400, "An invalid API version was specified in "
		    "the request, this request needs to specify a "
		    "ZUMO-API-VERSION of 2.0.0.");
		return 0;
	}
	while (*h == ' ')
		h++;
	ok = (strncmp(h, "2.0.0", 5) == 0 || strncmp(h, "3.0.0", 5) == 0) &&
	    (h[5] == '\0' || h[5] == ' ');
	if (!ok)
		srv_error(resp, 400, "An invalid API version was specified in "
		    "the request, this request needs to specify a "
		    "ZUMO-API-VERSION of 2.0.0.");
	free(q);
	return ok;
}

static void srv_dispatch(srv *s, srv_tab *t, const http_req *req,
    const char *id, int64_t now_ms, uint64_t entropy, http_resp *resp);

/* With authentication on: the app's part of the gate (auth_gate) decides
** whether the caller srv_front found may go on; a per-user table is
** scoped to the caller for the request's life. */
static void
srv_handle_as(srv *s, srv_tab *t, const http_req *req, const char *id,
    int64_t now_ms, uint64_t entropy, http_resp *resp)
{
	http_req re;
	memset(&re, 0, sizeof re);
	if (auth_gate(s->auth, s->db, req, t->def.name, id, &s->who, &re,
	    resp) == 0) {
		const auth_table *at = auth_table_find(s->auth, t->def.name);
		s->scope_col = at && at->user_col[0] && s->who.signed_in ?
		    at->user_col : NULL;
		srv_dispatch(s, t, re.method[0] ? &re : req, id, now_ms,
		    entropy, resp);
	}
	if (re.method[0])
		http_req_free(&re);
	s->scope_col = NULL;
}

int
srv_set_auth(srv *s, const auth *a, sb *err)
{
	if (a != NULL && auth_attach(a, s->db, err) != 0)
		return -1;
	s->auth = a;
	return 0;
}

const auth *
srv_auth(const srv *s)
{
	return s->auth;
}

const auth_who *
srv_caller(const srv *s)
{
	return &s->who;
}

/* The API version and a URL that is UTF-8: 0 with resp answered when
** either is wrong. */
static int
srv_request_ok(const http_req *req, http_resp *resp)
{
	const char *path = req->path ? req->path : "";
	if (!srv_api_version(req, resp))
		return 0;
	if (!srv_utf8_valid(path, strlen(path)) || (req->query &&
	    !srv_utf8_valid(req->query, strlen(req->query)))) {
		srv_error(resp, 400, "The URL is not valid UTF-8");
		return 0;
	}
	return 1;
}

int
srv_front(srv *s, const http_req *req, int64_t now_ms, uint64_t entropy,
    http_resp *resp)
{
	const char *path;

	http_resp_free(resp);
	http_resp_init(resp, 500);
	if (s == NULL || req == NULL) {
		srv_error(resp, 500, "No backend");
		return 1;
	}
	memset(&s->who, 0, sizeof s->who);
	path = req->path ? req->path : "";
	/* /.auth/... is App Service's, in front of the Mobile Apps
	** server: no API version there. */
	if (s->auth != NULL && strncmp(path, "/.auth/", 7) == 0) {
		auth_endpoint(s->auth, s->db, req, now_ms, entropy, resp);
		return 1;
	}
	/* `synclab serve --auth` also plays the identity providers. */
	if (s->auth != NULL && auth_config(s->auth)->idp_base[0] &&
	    strncmp(path, auth_config(s->auth)->idp_base,
	    strlen(auth_config(s->auth)->idp_base)) == 0) {
		auth_idp_endpoint(s->auth, req, now_ms, resp);
		return 1;
	}
	/* Everything else is the app's, behind the token check. */
	if (s->auth != NULL && auth_front(s->auth, req, now_ms, &s->who, resp))
		return 1;
	/* With a hub, App Service registers installations with it: a
	** signed-in caller's sid (auth.h) becomes the installation's
	** _UserId: tag.  Without one the app answers the route. */
	if (s->hub != NULL &&
	    strncmp(path, SRV_PUSH_ROOT, sizeof SRV_PUSH_ROOT - 1) == 0) {
		if (srv_request_ok(req, resp))
			srv_push_handle(s->hub, req, s->who.signed_in ?
			    s->who.sid : NULL, now_ms, resp);
		return 1;
	}
	return 0;
}

void
srv_app(srv *s, const http_req *req, int64_t now_ms, uint64_t entropy,
    http_resp *resp)
{
	const char *path = req->path ? req->path : "", *rest;
	char *tname = NULL;
	const char *id = NULL;
	srv_tab *t;

	http_resp_free(resp);
	http_resp_init(resp, 500);
	if (!srv_request_ok(req, resp))
		return;
	if (strncmp(path, SRV_PUSH_ROOT, sizeof SRV_PUSH_ROOT - 1) == 0) {
		srv_push_handle(NULL, req, NULL, now_ms, resp);
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
	if (s->auth != NULL)
		srv_handle_as(s, t, req, id, now_ms, entropy, resp);
	else
		srv_dispatch(s, t, req, id, now_ms, entropy, resp);
}

void
srv_handle(srv *s, const http_req *req, int64_t now_ms, uint64_t entropy,
    http_resp *resp)
{
	if (!srv_front(s, req, now_ms, entropy, resp))
		srv_app(s, req, now_ms, entropy, resp);
	if (s != NULL)
		memset(&s->who, 0, sizeof s->who);
}

/* The request of a known table, past the gate. */
static void
srv_dispatch(srv *s, srv_tab *t, const http_req *req, const char *id,
    int64_t now_ms, uint64_t entropy, http_resp *resp)
{
	const char *m = req->method;
	int coll = id == NULL;
	if (!srv_query_ok(req, resp))
		return;

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
	else if (strcmp(m, "PUT") == 0 && !coll)
		srv_write(s, t, req, id, SRV_OP_PUT, now_ms, resp);
	else if (strcmp(m, "DELETE") == 0 && !coll)
		srv_write(s, t, req, id, SRV_OP_DELETE, now_ms, resp);
	else {
		srv_error(resp, 405, "Method %s is not allowed here",
		    srv_utf8_valid(m, strlen(m)) ? m : "?");
		http_resp_add_header(resp, "Allow", coll ? "GET, POST" :
		    "GET, POST, PATCH, PUT, DELETE");
	}
}
