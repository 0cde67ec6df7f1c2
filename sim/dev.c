/*
** dev.c: a virtual device's local store; see dev.h and dev_int.h.  Its
** rows are in dev_row.c, its queue in dev_op.c, its local writes in
** dev_write.c.
**
** The store follows the .NET legacy client (MobileServiceSQLiteStore):
**
**   T            one table per backend table, same columns
**   __operations id, kind, state, tableName, tableKind, itemId, item,
**                createdAt, sequence, version
**   __errors     id (= the op id), httpStatus, operationVersion,
**                operationKind, tableName, tableKind, item, rawResult
**   __config     id, value: deltaToken|T|queryId, systemProperties|T
**   __base       (synclab only) the last server copy of every row
*/
#include "sim/dev_int.h"
#include "lib/xmem.h"
#include "sim/wire.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char dev_schema[] =
    "CREATE TABLE IF NOT EXISTS __operations ("
    " id TEXT PRIMARY KEY, kind INTEGER NOT NULL, state INTEGER NOT NULL,"
    " tableName TEXT NOT NULL, tableKind INTEGER NOT NULL DEFAULT 0,"
    " itemId TEXT NOT NULL, item TEXT, createdAt TEXT,"
    " sequence INTEGER NOT NULL, version INTEGER NOT NULL);"
    "CREATE UNIQUE INDEX IF NOT EXISTS __operations_item"
    " ON __operations(tableName, itemId);"
    /* The queue is read in sequence order and each new operation takes
    ** MAX(sequence) + 1: without this index both scan the whole queue,
    ** and a run of N edits costs N^2. */
    "CREATE INDEX IF NOT EXISTS __operations_seq ON __operations(sequence);"
    "CREATE TABLE IF NOT EXISTS __errors ("
    " id TEXT PRIMARY KEY, httpStatus INTEGER, operationVersion INTEGER,"
    " operationKind INTEGER, tableName TEXT, tableKind INTEGER,"
    " item TEXT, rawResult TEXT);"
    "CREATE TABLE IF NOT EXISTS __config (id TEXT PRIMARY KEY, value TEXT);"
    "CREATE TABLE IF NOT EXISTS __base ("
    " tableName TEXT NOT NULL, id TEXT NOT NULL, item TEXT NOT NULL,"
    " PRIMARY KEY (tableName, id)) WITHOUT ROWID;";

const char *const dev_sys_cols[TBL_NSYS_COLS] = { TBL_SYS_COLS };

void
dev_errf(sb *err, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	if (err == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	sb_reset(err);
	sb_add(err, buf);
}

int
dev_store_err(dev *d, sb *err)
{
	dev_errf(err, "local store: %s", sqlite3_errmsg(d->db));
	return -1;
}

trc_event *
dev_trace(dev *d, trc_type type, const char *table, const char *id,
    const char *method, const char *fmt, ...)
{
	char buf[4000];
	va_list ap;
	if (d->env.trace == NULL)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	trc_event *e = trc_add(d->env.trace, type, d->cfg.name, "%s", buf);
	trc_set(&e->table, table);
	trc_set(&e->id, id);
	trc_set(&e->method, method);
	return e;
}

const char *
dev_kind_name(int kind)
{
	switch (kind) {
	case DEV_OP_INSERT:
		return "insert";
	case DEV_OP_UPDATE:
		return "update";
	case DEV_OP_DELETE:
		return "delete";
	default:
		return "unknown";
	}
}

/* ---- SQL helpers ------------------------------------------------------ */

int
dev_exec(dev *d, const char *sql)
{
	return sqlite3_exec(d->db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

int
dev_prepare(dev *d, const char *sql, sqlite3_stmt **st, sb *err)
{
	if (sqlite3_prepare_v2(d->db, sql, -1, st, NULL) != SQLITE_OK) {
		*st = NULL;
		return dev_store_err(d, err);
	}
	return 0;
}

#define DEV_OP_COLS "id, kind, state, tableName, itemId, item, createdAt, " \
	"sequence, version"

/* The SQL of the kept statements, in enum dev_q order. */
static const char *const dev_q_sql[DEV_NQ] = {
	[DEV_Q_BEGIN] = "SAVEPOINT dev",
	[DEV_Q_RELEASE] = "RELEASE dev",
	[DEV_Q_ROLLBACK] = "ROLLBACK TO dev",
	[DEV_Q_CONFIG_GET] = "SELECT value FROM __config WHERE id = ?1",
	[DEV_Q_CONFIG_PUT] = "INSERT OR REPLACE INTO __config (id, value) "
	    "VALUES (?1, ?2)",
	[DEV_Q_OP_FIND] = "SELECT " DEV_OP_COLS " FROM __operations WHERE "
	    "tableName = ?1 AND itemId = ?2",
	[DEV_Q_OP_PENDING] = "SELECT 1 FROM __operations WHERE "
	    "tableName = ?1 AND itemId = ?2",
	[DEV_Q_OP_NEXT] = "SELECT " DEV_OP_COLS " FROM __operations WHERE "
	    "sequence > ?1 ORDER BY sequence LIMIT 1",
	[DEV_Q_OP_NEXT_TABLE] = "SELECT " DEV_OP_COLS " FROM __operations "
	    "WHERE sequence > ?1 AND tableName = ?2 ORDER BY sequence LIMIT 1",
	[DEV_Q_OP_STATE] = "UPDATE __operations SET state = ?1 WHERE id = ?2",
	[DEV_Q_OP_REMOVE] = "DELETE FROM __operations WHERE id = ?1 AND "
	    "version = ?2",
	[DEV_Q_OP_DELETE] = "DELETE FROM __operations WHERE id = ?1",
	[DEV_Q_OP_BUMP] = "UPDATE __operations SET version = version + 1 "
	    "WHERE id = ?1",
	[DEV_Q_OP_REWRITE] = "UPDATE __operations SET kind = ?1, state = 0, "
	    "item = ?2, version = version + 1 WHERE id = ?3",
	[DEV_Q_OP_COUNT] = "SELECT COUNT(*) FROM __operations",
	[DEV_Q_OP_COUNT_TABLE] = "SELECT COUNT(*) FROM __operations WHERE "
	    "tableName = ?1",
	[DEV_Q_OP_ENQUEUE] = "INSERT INTO __operations (id, kind, state, "
	    "tableName, tableKind, itemId, item, createdAt, sequence, version) "
	    "VALUES (?1, ?2, 0, ?3, 0, ?4, ?5, ?6, "
	    "(SELECT COALESCE(MAX(sequence), 0) + 1 FROM __operations), ?7)",
	[DEV_Q_ERR_PUT] = "INSERT OR REPLACE INTO __errors (id, httpStatus, "
	    "operationVersion, operationKind, tableName, tableKind, item, "
	    "rawResult) VALUES (?1, ?2, ?3, ?4, ?5, 0, ?6, ?7)",
	[DEV_Q_ERR_DELETE] = "DELETE FROM __errors WHERE id = ?1",
	[DEV_Q_ERR_COUNT] = "SELECT COUNT(*) FROM __errors",
	[DEV_Q_ERR_COUNT_TABLE] = "SELECT COUNT(*) FROM __errors WHERE "
	    "tableName = ?1",
	[DEV_Q_ERR_GET] = "SELECT httpStatus, rawResult FROM __errors WHERE "
	    "id = ?1",
	[DEV_Q_ERR_STOP] = "SELECT o.kind, o.tableName, o.itemId, "
	    "e.httpStatus FROM __operations o JOIN __errors e ON e.id = o.id "
	    "WHERE o.sequence < ?1 AND e.httpStatus NOT IN (409, 412) "
	    "ORDER BY o.sequence LIMIT 1",
	[DEV_Q_BASE_PUT] = "INSERT INTO __base (tableName, id, item)"
	    " VALUES (?1, ?2, ?3) ON CONFLICT (tableName, id) DO UPDATE"
	    " SET item = excluded.item",
	[DEV_Q_BASE_DELETE] = "DELETE FROM __base WHERE tableName = ?1 AND "
	    "id = ?2",
	[DEV_Q_BASE_GET] = "SELECT item FROM __base WHERE tableName = ?1 AND "
	    "id = ?2",
};

int
dev_keep(dev *d, const char *sql, sqlite3_stmt **st)
{
	if (sqlite3_prepare_v3(d->db, sql, -1, SQLITE_PREPARE_PERSISTENT, st,
	    NULL) != SQLITE_OK) {
		*st = NULL;
		return -1;
	}
	return 0;
}

void
dev_q_end(sqlite3_stmt *st)
{
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
}

int
dev_q_run(sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);
	dev_q_end(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* Every kept statement is reset before its caller returns, so the strings
** it binds can be borrowed rather than copied. */
void
dev_bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s == NULL)
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
}

void
dev_bind_span(sqlite3_stmt *st, int i, const char *s, size_t n)
{
	sqlite3_bind_text(st, i, s, (int)n, SQLITE_STATIC);
}

int
dev_begin(dev *d)
{
	return dev_q_run(d->q[DEV_Q_BEGIN]);
}

int
dev_commit(dev *d)
{
	return dev_q_run(d->q[DEV_Q_RELEASE]);
}

void
dev_rollback(dev *d)
{
	(void)dev_q_run(d->q[DEV_Q_ROLLBACK]);
	(void)dev_q_run(d->q[DEV_Q_RELEASE]);
}

const char *
dev_config_get(dev *d, const char *key, char *buf, size_t len)
{
	sqlite3_stmt *st = d->q[DEV_Q_CONFIG_GET];
	const char *out = NULL;
	dev_bind_text(st, 1, key);
	if (sqlite3_step(st) == SQLITE_ROW &&
	    sqlite3_column_type(st, 0) != SQLITE_NULL) {
		snprintf(buf, len, "%s", (const char *)sqlite3_column_text(st, 0));
		out = buf;
	}
	dev_q_end(st);
	return out;
}

int
dev_config_put(dev *d, const char *key, const char *value)
{
	sqlite3_stmt *st = d->q[DEV_Q_CONFIG_PUT];
	dev_bind_text(st, 1, key);
	dev_bind_text(st, 2, value);
	return dev_q_run(st);
}

void
dev_clock_iso(dev *d, char out[32])
{
	int64_t now = d->env.now != NULL ? d->env.now(d->env.ud) : 0;
	wire_format_time(now + d->cfg.clock_offset_ms, out);
}

void
dev_guid(dev *d, char out[33])
{
	uint64_t a = d->env.rand != NULL ? d->env.rand(d->env.ud) : 0;
	uint64_t b = d->env.rand != NULL ? d->env.rand(d->env.ud) : 0;
	snprintf(out, 33, "%016llx%016llx", (unsigned long long)a,
	    (unsigned long long)b);
}

/* ---- open, close, define ---------------------------------------------- */

dev *
dev_open(const dev_config *cfg, const dev_env *env, const char *db_path,
    sb *err)
{
	if (cfg == NULL || cfg->name == NULL || env == NULL) {
		dev_errf(err, "device: a name and an environment are "
		    "required");
		return NULL;
	}
	dev *d = xcalloc(1, sizeof *d);
	d->cfg.name = xstrdup(cfg->name);
	d->cfg.user = xstrdup(cfg->user != NULL ? cfg->user : cfg->name);
	d->cfg.platform = xstrdup(cfg->platform != NULL ? cfg->platform :
	    "android");
	d->page_size = 50;
	d->cfg.clock_offset_ms = cfg->clock_offset_ms;
	d->cfg.client = cfg->client;
	d->env = *env;
	/* A device is only ever used by the thread that runs its engine, so
	** its connection needs no mutex of its own. */
	if (sqlite3_open_v2(db_path != NULL ? db_path : ":memory:", &d->db,
	    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
	    NULL) != SQLITE_OK) {
		dev_errf(err, "device %s: cannot open its store: %s",
		    cfg->name, d->db ? sqlite3_errmsg(d->db) : "out of memory");
		dev_close(d);
		return NULL;
	}
	if (sqlite3_exec(d->db, dev_schema, NULL, NULL, NULL) != SQLITE_OK) {
		dev_errf(err, "device %s: cannot create its store: %s",
		    cfg->name, sqlite3_errmsg(d->db));
		dev_close(d);
		return NULL;
	}
	for (size_t i = 0; i < DEV_NQ; i++)
		if (dev_keep(d, dev_q_sql[i], &d->q[i]) != 0) {
			dev_errf(err, "device %s: cannot prepare its "
			    "statements: %s", cfg->name, sqlite3_errmsg(d->db));
			dev_close(d);
			return NULL;
		}
	return d;
}

void
dev_close(dev *d)
{
	if (d == NULL)
		return;
	for (size_t i = 0; i < d->ntables; i++) {
		tbl_def_free(&d->defs[i]);
		pol_table_free(&d->pols[i]);
	}
	free(d->defs);
	free(d->pols);
	/* sqlite3_close refuses a connection with statements left. */
	for (size_t i = 0; i < d->ntables; i++) {
		sqlite3_finalize(d->tq[i].write);
		sqlite3_finalize(d->tq[i].load);
		sqlite3_finalize(d->tq[i].del);
	}
	free(d->tq);
	for (size_t i = 0; i < DEV_NQ; i++)
		sqlite3_finalize(d->q[i]);
	if (d->db != NULL)
		sqlite3_close(d->db);
	free((char *)d->cfg.name);
	free((char *)d->cfg.user);
	free((char *)d->cfg.platform);
	free(d);
}

const char *
dev_name(const dev *d)
{
	return d->cfg.name;
}

const dev_config *
dev_cfg(const dev *d)
{
	return &d->cfg;
}

sqlite3 *
dev_db(dev *d)
{
	return d->db;
}

size_t
dev_ntables(const dev *d)
{
	return d->ntables;
}

const tbl_def *
dev_table_at(const dev *d, size_t i)
{
	return i < d->ntables ? &d->defs[i] : NULL;
}

long
dev_find(const dev *d, const char *table)
{
	if (table == NULL)
		return -1;
	for (size_t i = 0; i < d->ntables; i++)
		if (strcmp(d->defs[i].name, table) == 0)
			return (long)i;
	return -1;
}

const pol_table *
dev_policy(const dev *d, const char *table)
{
	long i = dev_find(d, table);
	return i >= 0 ? &d->pols[i] : NULL;
}

const tbl_col *
dev_col(const tbl_def *def, const char *name)
{
	for (size_t i = 0; i < def->ncols; i++)
		if (strcmp(def->cols[i].name, name) == 0)
			return &def->cols[i];
	return NULL;
}

/* A newest-edit-wins stamp must name a date (or string) column. */
static int
dev_check_spec(const tbl_def *def, const pol_spec *s, sb *err)
{
	if (s->kind != POL_NEWEST_EDIT_WINS)
		return 0;
	const tbl_col *c = s->stamp != NULL ? dev_col(def, s->stamp) : NULL;
	if (c == NULL || (c->type != TBL_DATE && c->type != TBL_STRING)) {
		dev_errf(err, "table %s: newest-edit-wins needs a stamp "
		    "column of type date (got %s)", def->name,
		    s->stamp != NULL ? s->stamp : "none");
		return -1;
	}
	return 0;
}

int
dev_define(dev *d, const tbl_def *def, const pol_table *policy,
    sb *err)
{
	if (def == NULL || def->name == NULL || !tbl_valid_ident(def->name)) {
		dev_errf(err, "invalid table name");
		return -1;
	}
	if (dev_find(d, def->name) >= 0) {
		dev_errf(err, "table %s is already defined on %s",
		    def->name, d->cfg.name);
		return -1;
	}
	for (size_t i = 0; i < def->ncols; i++) {
		if (def->cols[i].name == NULL ||
		    !tbl_valid_ident(def->cols[i].name)) {
			dev_errf(err, "table %s: invalid column name",
			    def->name);
			return -1;
		}
		for (size_t j = 0; j < i; j++)
			if (strcmp(def->cols[i].name, def->cols[j].name) == 0) {
				dev_errf(err, "table %s: column %s twice",
				    def->name, def->cols[i].name);
				return -1;
			}
	}
	pol_table none;
	memset(&none, 0, sizeof none);
	if (policy == NULL)
		policy = &none;
	if (dev_check_spec(def, &policy->spec, err) != 0)
		return -1;
	for (size_t i = 0; i < policy->nfields; i++) {
		if (policy->fields[i].field == NULL ||
		    dev_col(def, policy->fields[i].field) == NULL) {
			dev_errf(err, "table %s: a policy names an "
			    "unknown column %s", def->name,
			    policy->fields[i].field ? policy->fields[i].field :
			    "(none)");
			return -1;
		}
		if (dev_check_spec(def, &policy->fields[i].spec, err) != 0)
			return -1;
	}

	/* Identifiers were validated above, so quoting them is enough. */
	sb sql = SB_INIT;
	sb_add(&sql, "CREATE TABLE IF NOT EXISTS ");
	sb_addsqlid(&sql, def->name);
	sb_add(&sql, " (id TEXT PRIMARY KEY, createdAt TEXT, updatedAt TEXT,"
	    " version TEXT, deleted INTEGER NOT NULL DEFAULT 0");
	for (size_t i = 0; i < def->ncols; i++) {
		sb_add(&sql, ", ");
		sb_addsqlid(&sql, def->cols[i].name);
		sb_addf(&sql, " %s", tbl_sqltype(def->cols[i].type));
	}
	sb_add(&sql, ")");
	int rc = dev_exec(d, sb_str(&sql));
	sb_free(&sql);
	if (rc != 0) {
		dev_errf(err, "table %s: %s", def->name,
		    sqlite3_errmsg(d->db));
		return -1;
	}
	/* The .NET client records which system properties it keeps per
	** table (MobileServiceSystemProperties flags: CreatedAt 1 |
	** UpdatedAt 2 | Version 4 | Deleted 8). */
	char key[128];
	snprintf(key, sizeof key, "systemProperties|%s", def->name);
	dev_tq tq;
	if (dev_config_put(d, key, "15") != 0 ||
	    dev_table_stmts(d, def, &tq) != 0) {
		dev_errf(err, "table %s: %s", def->name,
		    sqlite3_errmsg(d->db));
		return -1;
	}

	d->defs = xreallocarray(d->defs, d->ntables + 1, sizeof *d->defs);
	d->pols = xreallocarray(d->pols, d->ntables + 1, sizeof *d->pols);
	d->tq = xreallocarray(d->tq, d->ntables + 1, sizeof *d->tq);
	d->tq[d->ntables] = tq;
	tbl_def_copy(&d->defs[d->ntables], def);
	pol_table_copy(&d->pols[d->ntables], policy);
	d->ntables++;
	return 0;
}

/* ---- accessors -------------------------------------------------------- */

size_t
dev_queue_len(dev *d)
{
	return (size_t)dev_op_count(d, NULL);
}

size_t
dev_error_count(dev *d)
{
	int64_t n = dev_err_count(d, NULL);
	return n > 0 ? (size_t)n : 0;
}

cJSON *
dev_get_row(dev *d, const char *table, const char *id)
{
	long i = dev_find(d, table);
	if (i < 0 || id == NULL)
		return NULL;
	return dev_row_load(d, &d->defs[i], id);
}
