/*
** dev.c: a virtual device's local store and its local writes; see dev.h.
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
**
** Local writes follow MobileServiceSyncContext.ExecuteOperationAsync:
** validate against the pending operation of the same item, apply to the
** local table, collapse or enqueue.  Each runs inside one savepoint, so a
** refused write (a collapse ERROR, a bad value) changes nothing.
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
    "CREATE TABLE IF NOT EXISTS __errors ("
    " id TEXT PRIMARY KEY, httpStatus INTEGER, operationVersion INTEGER,"
    " operationKind INTEGER, tableName TEXT, tableKind INTEGER,"
    " item TEXT, rawResult TEXT);"
    "CREATE TABLE IF NOT EXISTS __config (id TEXT PRIMARY KEY, value TEXT);"
    "CREATE TABLE IF NOT EXISTS __base ("
    " tableName TEXT NOT NULL, id TEXT NOT NULL, item TEXT NOT NULL,"
    " PRIMARY KEY (tableName, id)) WITHOUT ROWID;";

static const char *const dev_sys_cols[TBL_NSYS_COLS] = { TBL_SYS_COLS };

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
	[DEV_Q_ERR_FIND] = "SELECT e.httpStatus, e.rawResult, o.id FROM "
	    "__errors e JOIN __operations o ON o.id = e.id WHERE "
	    "o.tableName = ?1 AND o.itemId = ?2",
	[DEV_Q_BASE_PUT] = "INSERT INTO __base (tableName, id, item)"
	    " VALUES (?1, ?2, ?3) ON CONFLICT (tableName, id) DO UPDATE"
	    " SET item = excluded.item",
	[DEV_Q_BASE_DELETE] = "DELETE FROM __base WHERE tableName = ?1 AND "
	    "id = ?2",
	[DEV_Q_BASE_GET] = "SELECT item FROM __base WHERE tableName = ?1 AND "
	    "id = ?2",
};

/* Compiles a statement to keep (SQLITE_PREPARE_PERSISTENT tells SQLite it
** will be reused many times). */
static int
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

/* Binds n bytes of text (n <= INT_MAX, checked by the caller), borrowed
** as dev_bind_text's. */
static void
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

/* A new operation id: 32 hex digits, as Guid.ToString("N"). */
static void
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
    char *err, size_t errlen)
{
	char dummy[1];
	if (err == NULL) {
		err = dummy;
		errlen = sizeof dummy;
	}
	if (cfg == NULL || cfg->name == NULL || env == NULL) {
		snprintf(err, errlen, "device: a name and an environment are "
		    "required");
		return NULL;
	}
	dev *d = xcalloc(1, sizeof *d);
	d->cfg.name = xstrdup(cfg->name);
	d->cfg.user = xstrdup(cfg->user != NULL ? cfg->user : cfg->name);
	d->cfg.platform = xstrdup(cfg->platform != NULL ? cfg->platform :
	    "android");
	d->cfg.clock_offset_ms = cfg->clock_offset_ms;
	d->env = *env;
	/* A device is only ever used by the thread that runs its engine, so
	** its connection needs no mutex of its own. */
	if (sqlite3_open_v2(db_path != NULL ? db_path : ":memory:", &d->db,
	    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
	    NULL) != SQLITE_OK) {
		snprintf(err, errlen, "device %s: cannot open its store: %s",
		    cfg->name, d->db ? sqlite3_errmsg(d->db) : "out of memory");
		dev_close(d);
		return NULL;
	}
	if (sqlite3_exec(d->db, dev_schema, NULL, NULL, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "device %s: cannot create its store: %s",
		    cfg->name, sqlite3_errmsg(d->db));
		dev_close(d);
		return NULL;
	}
	for (size_t i = 0; i < DEV_NQ; i++)
		if (dev_keep(d, dev_q_sql[i], &d->q[i]) != 0) {
			snprintf(err, errlen, "device %s: cannot prepare its "
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
dev_check_spec(const tbl_def *def, const pol_spec *s, char *err,
    size_t errlen)
{
	if (s->kind != POL_NEWEST_EDIT_WINS)
		return 0;
	const tbl_col *c = s->stamp != NULL ? dev_col(def, s->stamp) : NULL;
	if (c == NULL || (c->type != TBL_DATE && c->type != TBL_STRING)) {
		snprintf(err, errlen, "table %s: newest-edit-wins needs a stamp "
		    "column of type date (got %s)", def->name,
		    s->stamp != NULL ? s->stamp : "none");
		return -1;
	}
	return 0;
}

static int dev_table_stmts(dev *d, const tbl_def *def, dev_tq *tq);

int
dev_define(dev *d, const tbl_def *def, const pol_table *policy,
    char *err, size_t errlen)
{
	char dummy[1];
	if (err == NULL) {
		err = dummy;
		errlen = sizeof dummy;
	}
	if (def == NULL || def->name == NULL || !tbl_valid_ident(def->name)) {
		snprintf(err, errlen, "invalid table name");
		return -1;
	}
	if (dev_find(d, def->name) >= 0) {
		snprintf(err, errlen, "table %s is already defined on %s",
		    def->name, d->cfg.name);
		return -1;
	}
	for (size_t i = 0; i < def->ncols; i++) {
		if (def->cols[i].name == NULL ||
		    !tbl_valid_ident(def->cols[i].name)) {
			snprintf(err, errlen, "table %s: invalid column name",
			    def->name);
			return -1;
		}
		for (size_t j = 0; j < i; j++)
			if (strcmp(def->cols[i].name, def->cols[j].name) == 0) {
				snprintf(err, errlen, "table %s: column %s twice",
				    def->name, def->cols[i].name);
				return -1;
			}
	}
	pol_table none;
	memset(&none, 0, sizeof none);
	if (policy == NULL)
		policy = &none;
	if (dev_check_spec(def, &policy->spec, err, errlen) != 0)
		return -1;
	for (size_t i = 0; i < policy->nfields; i++) {
		if (policy->fields[i].field == NULL ||
		    dev_col(def, policy->fields[i].field) == NULL) {
			snprintf(err, errlen, "table %s: a policy names an "
			    "unknown column %s", def->name,
			    policy->fields[i].field ? policy->fields[i].field :
			    "(none)");
			return -1;
		}
		if (dev_check_spec(def, &policy->fields[i].spec, err,
		    errlen) != 0)
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
		snprintf(err, errlen, "table %s: %s", def->name,
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
		snprintf(err, errlen, "table %s: %s", def->name,
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

/* ---- rows ------------------------------------------------------------- */

static const char *
dev_type_name(tbl_type t)
{
	switch (t) {
	case TBL_STRING:
		return "a string";
	case TBL_NUMBER:
		return "a number";
	case TBL_BOOL:
		return "true or false";
	case TBL_DATE:
		return "an ISO-8601 date";
	default:
		return "?";
	}
}

static cJSON *
dev_column_json(sqlite3_stmt *st, int i, tbl_type t)
{
	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return cJSON_CreateNull();
	switch (t) {
	case TBL_NUMBER:
		return cJSON_CreateNumber(sqlite3_column_double(st, i));
	case TBL_BOOL:
		return cJSON_CreateBool(sqlite3_column_int(st, i) != 0);
	case TBL_STRING:
	case TBL_DATE:
	default:
		return cJSON_CreateString((const char *)sqlite3_column_text(st,
		    i));
	}
}

/* The columns of def as a statement names them: the system ones, then
** ", " and each user column, quoted. */
static void
dev_add_cols(sb *sql, const tbl_def *def)
{
	sb_add(sql, "id, createdAt, updatedAt, version, deleted");
	for (size_t c = 0; c < def->ncols; c++) {
		sb_add(sql, ", ");
		sb_addsqlid(sql, def->cols[c].name);
	}
}

static cJSON *
dev_row_json(sqlite3_stmt *st, const tbl_def *def)
{
	cJSON *row = cJSON_CreateObject();
	static const tbl_type systypes[] = { TBL_STRING, TBL_STRING, TBL_STRING,
	    TBL_STRING, TBL_BOOL };
	for (int i = 0; i < TBL_NSYS_COLS; i++)
		cJSON_AddItemToObject(row, dev_sys_cols[i],
		    dev_column_json(st, i, systypes[i]));
	for (size_t c = 0; c < def->ncols; c++)
		cJSON_AddItemToObject(row, def->cols[c].name,
		    dev_column_json(st, (int)(c + TBL_NSYS_COLS),
		    def->cols[c].type));
	return row;
}

/*
** Compiles the three statements of a table: the whole-row upsert, the
** load by id and the delete by id.  The table's identifiers were
** validated by dev_define, so quoting them is enough.  0, or -1 with
** nothing kept.
*/
static int
dev_table_stmts(dev *d, const tbl_def *def, dev_tq *tq)
{
	sb sql = SB_INIT;
	memset(tq, 0, sizeof *tq);
	sb_add(&sql, "INSERT INTO ");
	sb_addsqlid(&sql, def->name);
	sb_add(&sql, " (");
	dev_add_cols(&sql, def);
	sb_add(&sql, ") VALUES (?, ?, ?, ?, ?");
	for (size_t c = 0; c < def->ncols; c++)
		sb_add(&sql, ", ?");
	/* An upsert rather than INSERT OR REPLACE: a row met again is
	** updated where it is (same rowid, its id index untouched), where a
	** replace would delete it and insert it anew. */
	sb_add(&sql, ") ON CONFLICT (id) DO UPDATE SET createdAt ="
	    " excluded.createdAt, updatedAt = excluded.updatedAt, version ="
	    " excluded.version, deleted = excluded.deleted");
	for (size_t c = 0; c < def->ncols; c++) {
		sb_add(&sql, ", ");
		sb_addsqlid(&sql, def->cols[c].name);
		sb_add(&sql, " = excluded.");
		sb_addsqlid(&sql, def->cols[c].name);
	}
	int rc = dev_keep(d, sb_str(&sql), &tq->write);
	sb_reset(&sql);
	sb_add(&sql, "SELECT ");
	dev_add_cols(&sql, def);
	sb_add(&sql, " FROM ");
	sb_addsqlid(&sql, def->name);
	sb_add(&sql, " WHERE id = ?1");
	if (rc == 0)
		rc = dev_keep(d, sb_str(&sql), &tq->load);
	sb_reset(&sql);
	sb_add(&sql, "DELETE FROM ");
	sb_addsqlid(&sql, def->name);
	sb_add(&sql, " WHERE id = ?1");
	if (rc == 0)
		rc = dev_keep(d, sb_str(&sql), &tq->del);
	sb_free(&sql);
	if (rc != 0) {
		sqlite3_finalize(tq->write);
		sqlite3_finalize(tq->load);
		sqlite3_finalize(tq->del);
		memset(tq, 0, sizeof *tq);
		return -1;
	}
	return 0;
}

/* The kept statements of a defined table (def is one of d->defs). */
static dev_tq *
dev_tq_of(dev *d, const tbl_def *def)
{
	return &d->tq[def - d->defs];
}

cJSON *
dev_row_load(dev *d, const tbl_def *def, const char *id)
{
	dev_tq *tq = dev_tq_of(d, def);
	cJSON *row = NULL;
	dev_bind_text(tq->load, 1, id);
	if (sqlite3_step(tq->load) == SQLITE_ROW)
		row = dev_row_json(tq->load, def);
	dev_q_end(tq->load);
	return row;
}

cJSON *
dev_row_body(const tbl_def *def, const cJSON *row)
{
	cJSON *out = cJSON_CreateObject();
	const cJSON *id = cJSON_GetObjectItemCaseSensitive(row, "id");
	if (cJSON_IsString(id))
		cJSON_AddStringToObject(out, "id", id->valuestring);
	for (size_t c = 0; c < def->ncols; c++) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(row,
		    def->cols[c].name);
		cJSON_AddItemToObject(out, def->cols[c].name, v != NULL ?
		    cJSON_Duplicate(v, 1) : cJSON_CreateNull());
	}
	return out;
}

void
dev_row_vals(const tbl_def *def, const cJSON *row, jx_val *v)
{
	for (size_t i = 0; i < TBL_NSYS_COLS; i++)
		v[i] = jx_val_of(cJSON_GetObjectItemCaseSensitive(row,
		    dev_sys_cols[i]));
	for (size_t c = 0; c < def->ncols; c++)
		v[TBL_NSYS_COLS + c] = jx_val_of(
		    cJSON_GetObjectItemCaseSensitive(row, def->cols[c].name));
}

/* A JSON number as a double: a number read from text (at most 63 bytes,
** checked by the pull) is read as cJSON reads it, with strtod. */
static double
dev_val_number(const jx_val *v)
{
	char buf[64];
	if (v->s == NULL)
		return v->num;
	size_t n = v->n < sizeof buf ? v->n : sizeof buf - 1;
	memcpy(buf, v->s, n);
	buf[n] = '\0';
	return strtod(buf, NULL);
}

/*
** Insert-or-replace of a whole row from its values (v[0], the id, a
** string).  Every column is written, so a row from the server replaces the
** local one exactly.  -1 with err when a value has the wrong type.
*/
static int
dev_row_put(dev *d, const tbl_def *def, const jx_val *v, sb *err)
{
	for (size_t c = 0; c < def->ncols; c++)
		if (!tbl_fits(def->cols[c].type, &v[TBL_NSYS_COLS + c], NULL)) {
			dev_errf(err, "%s/%.*s: %s must be %s", def->name,
			    (int)v[0].n, v[0].s, def->cols[c].name,
			    dev_type_name(def->cols[c].type));
			return -1;
		}
	sqlite3_stmt *st = dev_tq_of(d, def)->write;
	dev_bind_span(st, 1, v[0].s, v[0].n);
	for (int i = 1; i < 4; i++)
		if (v[i].kind == JX_STRING)
			dev_bind_span(st, i + 1, v[i].s, v[i].n);
		else
			sqlite3_bind_null(st, i + 1);
	sqlite3_bind_int(st, 5, v[4].kind == JX_TRUE);
	for (size_t c = 0; c < def->ncols; c++) {
		const jx_val *x = &v[TBL_NSYS_COLS + c];
		int i = (int)c + 6;
		switch (x->kind) {
		case JX_STRING:
			dev_bind_span(st, i, x->s, x->n);
			break;
		case JX_NUMBER:
			sqlite3_bind_double(st, i, dev_val_number(x));
			break;
		case JX_TRUE:
		case JX_FALSE:
			sqlite3_bind_int(st, i, x->kind == JX_TRUE);
			break;
		default:
			sqlite3_bind_null(st, i);
			break;
		}
	}
	if (dev_q_run(st) != 0)
		return dev_store_err(d, err);
	return 0;
}

int
dev_row_write(dev *d, const tbl_def *def, const cJSON *row, sb *err)
{
	jx_val *v = xcalloc(TBL_NSYS_COLS + def->ncols, sizeof *v);
	dev_row_vals(def, row, v);
	int rc;
	if (v[0].kind != JX_STRING || v[0].n > INT_MAX) {
		dev_errf(err, "%s: a row without a string id", def->name);
		rc = -1;
	} else
		rc = dev_row_put(d, def, v, err);
	free(v);
	return rc;
}

/* text: the row's JSON as received (n bytes), or NULL to print row. */
static int
dev_base_put(dev *d, const char *table, const jx_val *id, const cJSON *row,
    const char *text, size_t n)
{
	sqlite3_stmt *st = d->q[DEV_Q_BASE_PUT];
	char *printed = NULL;
	if (text == NULL) {
		printed = cJSON_PrintUnformatted(row);
		if (printed == NULL)
			return -1;
		text = printed;
		n = strlen(printed);
	}
	if (n > INT_MAX) {
		cJSON_free(printed);
		return -1;
	}
	dev_bind_text(st, 1, table);
	dev_bind_span(st, 2, id->s, id->n);
	dev_bind_span(st, 3, text, n);
	int rc = dev_q_run(st);
	cJSON_free(printed);
	return rc;
}

int
dev_base_delete(dev *d, const char *table, const char *id)
{
	sqlite3_stmt *st = d->q[DEV_Q_BASE_DELETE];
	dev_bind_text(st, 1, table);
	dev_bind_text(st, 2, id);
	return dev_q_run(st);
}

cJSON *
dev_base_get(dev *d, const char *table, const char *id)
{
	sqlite3_stmt *st = d->q[DEV_Q_BASE_GET];
	cJSON *out = NULL;
	dev_bind_text(st, 1, table);
	dev_bind_text(st, 2, id);
	if (sqlite3_step(st) == SQLITE_ROW)
		out = cJSON_Parse((const char *)sqlite3_column_text(st, 0));
	dev_q_end(st);
	return out;
}

int
dev_row_delete(dev *d, const char *table, const char *id)
{
	long i = dev_find(d, table);
	if (i < 0)
		return -1;
	dev_bind_text(d->tq[i].del, 1, id);
	return dev_q_run(d->tq[i].del);
}

int
dev_row_from_server(dev *d, const tbl_def *def, const cJSON *row,
    const char *text, size_t n, sb *err)
{
	jx_val *v = xcalloc(TBL_NSYS_COLS + def->ncols, sizeof *v);
	dev_row_vals(def, row, v);
	int rc = dev_row_from_values(d, def, v, text, n, row, err);
	free(v);
	return rc;
}

int
dev_row_from_values(dev *d, const tbl_def *def, const jx_val *v,
    const char *text, size_t n, const cJSON *tree, sb *err)
{
	dev_tq *tq = dev_tq_of(d, def);
	if (v[0].kind != JX_STRING || v[0].n > INT_MAX || n > INT_MAX) {
		dev_errf(err, "%s: the server sent a row without an id",
		    def->name);
		return -1;
	}
	if (v[4].kind == JX_TRUE) {
		sqlite3_stmt *bd = d->q[DEV_Q_BASE_DELETE];
		dev_bind_span(tq->del, 1, v[0].s, v[0].n);
		dev_bind_text(bd, 1, def->name);
		dev_bind_span(bd, 2, v[0].s, v[0].n);
		if (dev_q_run(tq->del) != 0 || dev_q_run(bd) != 0) {
			dev_q_end(bd);
			return dev_store_err(d, err);
		}
		return 0;
	}
	if (dev_row_put(d, def, v, err) != 0)
		return -1;
	if (dev_base_put(d, def->name, &v[0], tree, text, n) != 0)
		return dev_store_err(d, err);
	return 0;
}

/* ---- the operation queue ---------------------------------------------- */

void
dev_op_free(dev_op *op)
{
	free(op->id);
	free(op->table);
	free(op->item_id);
	free(op->item);
	free(op->created_at);
	memset(op, 0, sizeof *op);
}

static char *
dev_col_dup(sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);
	return s != NULL ? xstrdup((const char *)s) : NULL;
}

static void
dev_op_read(sqlite3_stmt *st, dev_op *op)
{
	op->id = dev_col_dup(st, 0);
	op->kind = sqlite3_column_int(st, 1);
	op->state = sqlite3_column_int(st, 2);
	op->table = dev_col_dup(st, 3);
	op->item_id = dev_col_dup(st, 4);
	op->item = dev_col_dup(st, 5);
	op->created_at = dev_col_dup(st, 6);
	op->sequence = sqlite3_column_int64(st, 7);
	op->version = sqlite3_column_int64(st, 8);
}

/* Steps a statement that reads at most one operation into op. */
static int
dev_op_read_one(sqlite3_stmt *st, dev_op *op)
{
	int rc = sqlite3_step(st);
	int found = rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
	if (found == 1)
		dev_op_read(st, op);
	dev_q_end(st);
	return found;
}

int
dev_op_find(dev *d, const char *table, const char *id, dev_op *op)
{
	sqlite3_stmt *st = d->q[DEV_Q_OP_FIND];
	memset(op, 0, sizeof *op);
	dev_bind_text(st, 1, table);
	dev_bind_text(st, 2, id);
	return dev_op_read_one(st, op);
}

int
dev_op_pending(dev *d, const char *table, const char *id, size_t n)
{
	sqlite3_stmt *st = d->q[DEV_Q_OP_PENDING];
	if (n > INT_MAX)
		return -1;
	dev_bind_text(st, 1, table);
	dev_bind_span(st, 2, id, n);
	int rc = sqlite3_step(st);
	dev_q_end(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int
dev_op_next(dev *d, const char *table, int64_t seq, dev_op *op)
{
	sqlite3_stmt *st = d->q[table != NULL ? DEV_Q_OP_NEXT_TABLE :
	    DEV_Q_OP_NEXT];
	memset(op, 0, sizeof *op);
	sqlite3_bind_int64(st, 1, seq);
	if (table != NULL)
		dev_bind_text(st, 2, table);
	return dev_op_read_one(st, op);
}

int
dev_op_set_state(dev *d, const char *op_id, int state)
{
	sqlite3_stmt *st = d->q[DEV_Q_OP_STATE];
	sqlite3_bind_int(st, 1, state);
	dev_bind_text(st, 2, op_id);
	return dev_q_run(st);
}

int
dev_op_remove(dev *d, const char *op_id, int64_t version)
{
	sqlite3_stmt *st = d->q[DEV_Q_OP_REMOVE];
	dev_bind_text(st, 1, op_id);
	sqlite3_bind_int64(st, 2, version);
	return dev_q_run(st);
}

int
dev_op_delete(dev *d, const char *op_id)
{
	sqlite3_stmt *st = d->q[DEV_Q_OP_DELETE];
	dev_bind_text(st, 1, op_id);
	if (dev_q_run(st) != 0)
		return -1;
	return dev_err_delete(d, op_id);
}

int
dev_op_rewrite(dev *d, const char *op_id, int kind, const char *item)
{
	sqlite3_stmt *st = d->q[DEV_Q_OP_REWRITE];
	sqlite3_bind_int(st, 1, kind);
	dev_bind_text(st, 2, item);
	dev_bind_text(st, 3, op_id);
	if (dev_q_run(st) != 0)
		return -1;
	return dev_err_delete(d, op_id);
}

static int
dev_op_bump(dev *d, const char *op_id)
{
	sqlite3_stmt *st = d->q[DEV_Q_OP_BUMP];
	dev_bind_text(st, 1, op_id);
	return dev_q_run(st);
}

/* A COUNT(*) of table (NULL: of everything) with the two statements. */
static int64_t
dev_count(dev *d, enum dev_q all, enum dev_q one, const char *table)
{
	sqlite3_stmt *st = d->q[table != NULL ? one : all];
	int64_t n = -1;
	if (table != NULL)
		dev_bind_text(st, 1, table);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	dev_q_end(st);
	return n;
}

int64_t
dev_op_count(dev *d, const char *table)
{
	int64_t n = dev_count(d, DEV_Q_OP_COUNT, DEV_Q_OP_COUNT_TABLE, table);
	return n > 0 ? n : 0;
}

int64_t
dev_err_count(dev *d, const char *table)
{
	return dev_count(d, DEV_Q_ERR_COUNT, DEV_Q_ERR_COUNT_TABLE, table);
}

/*
** Appends an operation at the end of the queue.  The sequence comes from
** the store (max + 1), like every other piece of state.
*/
static int
dev_op_enqueue(dev *d, int kind, const char *table, const char *id,
    const char *item, int64_t version, char op_id[33])
{
	sqlite3_stmt *st = d->q[DEV_Q_OP_ENQUEUE];
	char now[32];
	dev_guid(d, op_id);
	dev_clock_iso(d, now);
	dev_bind_text(st, 1, op_id);
	sqlite3_bind_int(st, 2, kind);
	dev_bind_text(st, 3, table);
	dev_bind_text(st, 4, id);
	dev_bind_text(st, 5, item);
	dev_bind_text(st, 6, now);
	sqlite3_bind_int64(st, 7, version);
	return dev_q_run(st);
}

int
dev_err_put(dev *d, const dev_op *op, int status, const char *item,
    const char *raw)
{
	sqlite3_stmt *st = d->q[DEV_Q_ERR_PUT];
	dev_bind_text(st, 1, op->id);
	if (status > 0)
		sqlite3_bind_int(st, 2, status);
	else
		sqlite3_bind_null(st, 2);
	sqlite3_bind_int64(st, 3, op->version);
	sqlite3_bind_int(st, 4, op->kind);
	dev_bind_text(st, 5, op->table);
	dev_bind_text(st, 6, item);
	dev_bind_text(st, 7, raw);
	return dev_q_run(st);
}

int
dev_err_delete(dev *d, const char *op_id)
{
	sqlite3_stmt *st = d->q[DEV_Q_ERR_DELETE];
	dev_bind_text(st, 1, op_id);
	return dev_q_run(st);
}

/* ---- local writes ----------------------------------------------------- */

/* Ids travel in URL paths: no '/', no control characters, at most 255
** bytes (the .NET client's limit). */
static int
dev_valid_id(const char *id)
{
	size_t n = strlen(id);
	if (n == 0 || n > 255)
		return 0;
	for (const unsigned char *p = (const unsigned char *)id; *p; p++)
		if (*p < 0x20 || *p == 0x7f || *p == '/' || *p == '?' ||
		    *p == '#' || *p == '\\')
			return 0;
	return 1;
}

static const tbl_def *
dev_def_or_err(dev *d, const char *table, sb *err, long *index)
{
	long i = dev_find(d, table);
	if (i < 0) {
		dev_errf(err, "%s has no table %s", d->cfg.name,
		    table != NULL ? table : "(none)");
		return NULL;
	}
	if (index != NULL)
		*index = i;
	return &d->defs[i];
}

/*
** Checks the user values of a write against the table definition: only
** known user columns, each of the right type.  System columns are the
** server's (an insert may carry its own id).
*/
static int
dev_check_values(const tbl_def *def, const cJSON *obj, int allow_id,
    sb *err)
{
	const cJSON *it;
	if (!cJSON_IsObject(obj)) {
		dev_errf(err, "%s: the values must be a JSON object", def->name);
		return -1;
	}
	cJSON_ArrayForEach(it, obj) {
		if (it->string == NULL)
			continue;
		if (allow_id && strcmp(it->string, "id") == 0)
			continue;
		const tbl_col *c = dev_col(def, it->string);
		if (c == NULL) {
			int sys = 0;
			for (size_t i = 0; i < TBL_NSYS_COLS; i++)
				if (strcmp(it->string, dev_sys_cols[i]) == 0)
					sys = 1;
			dev_errf(err, sys ? "%s: %s is a system property that "
			    "only the server sets" : "%s: no column %s",
			    def->name, it->string);
			return -1;
		}
		jx_val jv = jx_val_of(it);
		int ok = tbl_fits(c->type, &jv, NULL);
		if (!ok) {
			dev_errf(err, "%s: %s must be %s", def->name, it->string,
			    dev_type_name(c->type));
			return -1;
		}
	}
	return 0;
}

/* Writes the device clock into every newest-edit-wins stamp column. */
static void
dev_stamp(dev *d, long ti, cJSON *row)
{
	const pol_table *p = &d->pols[ti];
	char now[32];
	dev_clock_iso(d, now);
	const pol_spec *specs[64];
	size_t n = 0;
	specs[n++] = &p->spec;
	for (size_t i = 0; i < p->nfields && n < 64; i++)
		specs[n++] = &p->fields[i].spec;
	for (size_t i = 0; i < n; i++) {
		if (specs[i]->kind != POL_NEWEST_EDIT_WINS ||
		    specs[i]->stamp == NULL)
			continue;
		cJSON_DeleteItemFromObjectCaseSensitive(row, specs[i]->stamp);
		cJSON_AddStringToObject(row, specs[i]->stamp, now);
	}
}

/* A refused local write: its message goes to the trace too.  -1. */
static int
dev_fail(dev *d, const char *table, const char *id, sb *err)
{
	dev_trace(d, TRC_ERROR, table, id, NULL, "%s", sb_str(err));
	return -1;
}

/* Undoes a local write refused inside its savepoint: frees op, rolls the
** savepoint back and traces err.  -1. */
static int
dev_write_fail(dev *d, const char *table, const char *id, dev_op *op,
    sb *err)
{
	dev_op_free(op);
	dev_rollback(d);
	return dev_fail(d, table, id, err);
}

/*
** Opens the savepoint of a local write and reads the pending operation of
** (table, id) into op, which the caller frees: 1 found, 0 none (op zeroed),
** or -1 with err (when the savepoint was open, it is undone and err is
** traced, as dev_write_fail does).
*/
static int
dev_write_begin(dev *d, const char *table, const char *id, dev_op *op,
    sb *err)
{
	memset(op, 0, sizeof *op);
	if (dev_begin(d) != 0)
		return dev_store_err(d, err);
	int found = dev_op_find(d, table, id, op);
	if (found < 0) {
		dev_store_err(d, err);
		return dev_write_fail(d, table, id, op, err);
	}
	return found;
}

static int
dev_insert_do(dev *d, const char *table, const cJSON *row, sb *err)
{
	long ti;
	char idbuf[33];
	const char *id;
	dev_op op;
	const tbl_def *def = dev_def_or_err(d, table, err, &ti);
	if (def == NULL)
		return dev_fail(d, table, NULL, err);
	if (dev_check_values(def, row, 1, err) != 0)
		return dev_fail(d, table, NULL, err);
	const cJSON *jid = cJSON_GetObjectItemCaseSensitive(row, "id");
	if (jid != NULL && !cJSON_IsNull(jid)) {
		if (!cJSON_IsString(jid) || !dev_valid_id(jid->valuestring)) {
			dev_errf(err, "%s: an id must be a string of 1 to 255 "
			    "characters without '/', '?', '#' or '\\'", table);
			return dev_fail(d, table, NULL, err);
		}
		id = jid->valuestring;
	} else {
		/* The .NET client makes missing ids with Guid.ToString("N"). */
		dev_guid(d, idbuf);
		id = idbuf;
	}

	int found = dev_write_begin(d, table, id, &op, err);
	if (found < 0)
		return -1;
	if (found > 0) {
		dev_errf(err, "An insert operation on item %s cannot follow the "
		    "%s already in the queue (the .NET client refuses an insert "
		    "after any pending operation).", id, dev_kind_name(op.kind));
		goto fail;
	}
	cJSON *old = dev_row_load(d, def, id);
	if (old != NULL) {
		cJSON_Delete(old);
		dev_errf(err, "%s: an item with id %s already exists in the "
		    "local table, so the insert is refused", table, id);
		goto fail;
	}
	cJSON *local = cJSON_CreateObject();
	const cJSON *it;
	cJSON_ArrayForEach(it, row)
		if (strcmp(it->string, "id") != 0)
			cJSON_AddItemToObject(local, it->string,
			    cJSON_Duplicate(it, 1));
	cJSON_AddStringToObject(local, "id", id);
	dev_stamp(d, ti, local);
	int rc = dev_row_write(d, def, local, err);
	cJSON_Delete(local);
	char op_id[33];
	if (rc != 0 || dev_op_enqueue(d, DEV_OP_INSERT, table, id, NULL, 1,
	    op_id) != 0) {
		if (rc == 0)
			dev_store_err(d, err);
		goto fail;
	}
	if (dev_commit(d) != 0) {
		dev_store_err(d, err);
		goto fail;
	}
	dev_trace(d, TRC_EDIT, table, id, "insert", "Inserted %s/%s in the "
	    "local store.", table, id);
	dev_trace(d, TRC_ENQUEUE, table, id, "insert", "An insert operation "
	    "for %s joins the end of __operations (version 1, Pending).", id);
	return 0;
fail:
	return dev_write_fail(d, table, id, &op, err);
}

/* err may be NULL: the messages still go to the trace. */
int
dev_insert(dev *d, const char *table, const cJSON *row, sb *err)
{
	sb tmp = SB_INIT;
	int rc = dev_insert_do(d, table, row, err != NULL ? err : &tmp);
	sb_free(&tmp);
	return rc;
}

static int
dev_update_do(dev *d, const char *table, const char *id, const cJSON *set,
    sb *err)
{
	long ti;
	dev_op op;
	const tbl_def *def = dev_def_or_err(d, table, err, &ti);
	if (def == NULL)
		return dev_fail(d, table, id, err);
	if (id == NULL) {
		dev_errf(err, "%s: an update needs an id", table);
		return dev_fail(d, table, NULL, err);
	}
	if (dev_check_values(def, set, 0, err) != 0)
		return dev_fail(d, table, id, err);
	int found = dev_write_begin(d, table, id, &op, err);
	if (found < 0)
		return -1;
	if (found > 0 && op.kind == DEV_OP_DELETE) {
		dev_errf(err, "An update operation on item %s cannot follow the "
		    "delete already in the queue (the .NET client refuses it).",
		    id);
		goto fail;
	}
	cJSON *local = dev_row_load(d, def, id);
	if (local == NULL) {
		dev_errf(err, "%s: no item with id %s in the local table, so "
		    "there is nothing to update", table, id);
		goto fail;
	}
	const cJSON *it;
	cJSON_ArrayForEach(it, set) {
		cJSON_DeleteItemFromObjectCaseSensitive(local, it->string);
		cJSON_AddItemToObject(local, it->string, cJSON_Duplicate(it, 1));
	}
	dev_stamp(d, ti, local);
	int rc = dev_row_write(d, def, local, err);
	cJSON_Delete(local);
	if (rc != 0)
		goto fail;
	char op_id[33];
	if (found > 0)
		rc = dev_op_bump(d, op.id);
	else
		rc = dev_op_enqueue(d, DEV_OP_UPDATE, table, id, NULL, 1, op_id);
	if (rc != 0 || dev_commit(d) != 0) {
		dev_store_err(d, err);
		goto fail;
	}
	dev_trace(d, TRC_EDIT, table, id, "update", "Updated %s/%s in the "
	    "local store.", table, id);
	if (found > 0)
		dev_trace(d, TRC_COLLAPSE, table, id, "update", "The update "
		    "collapses into the pending %s: its version goes from %lld "
		    "to %lld and the update itself is discarded; the push will "
		    "read the latest row.", dev_kind_name(op.kind),
		    (long long)op.version, (long long)op.version + 1);
	else
		dev_trace(d, TRC_ENQUEUE, table, id, "update", "An update "
		    "operation for %s joins the end of __operations (version "
		    "1, Pending).", id);
	dev_op_free(&op);
	return 0;
fail:
	return dev_write_fail(d, table, id, &op, err);
}

/* err may be NULL: the messages still go to the trace. */
int
dev_update(dev *d, const char *table, const char *id, const cJSON *set,
    sb *err)
{
	sb tmp = SB_INIT;
	int rc = dev_update_do(d, table, id, set, err != NULL ? err : &tmp);
	sb_free(&tmp);
	return rc;
}

static int
dev_delete_do(dev *d, const char *table, const char *id, sb *err)
{
	dev_op op;
	char *item = NULL;
	const tbl_def *def = dev_def_or_err(d, table, err, NULL);
	if (def == NULL)
		return dev_fail(d, table, id, err);
	if (id == NULL) {
		dev_errf(err, "%s: a delete needs an id", table);
		return dev_fail(d, table, NULL, err);
	}
	int found = dev_write_begin(d, table, id, &op, err);
	if (found < 0)
		return -1;
	if (found > 0 && op.kind == DEV_OP_DELETE) {
		dev_errf(err, "A delete operation on item %s is already in the "
		    "queue (the .NET client refuses a second one).", id);
		goto fail;
	}
	if (found > 0 && op.kind == DEV_OP_INSERT &&
	    op.state != DEV_ST_PENDING) {
		dev_errf(err, "The insert of item %s was already attempted (state "
		    "%s), so the server may have it: the .NET client refuses "
		    "to cancel it with a delete.", id,
		    op.state == DEV_ST_ATTEMPTED ? "Attempted" : "Failed");
		goto fail;
	}
	cJSON *local = dev_row_load(d, def, id);
	if (local == NULL) {
		dev_errf(err, "%s: no item with id %s in the local table, so "
		    "there is nothing to delete", table, id);
		goto fail;
	}
	item = cJSON_PrintUnformatted(local);
	cJSON_Delete(local);
	char op_id[33];
	int rc = dev_row_delete(d, table, id);
	if (rc == 0 && found > 0)
		rc = dev_op_delete(d, op.id);
	/* Delete after insert: both are cancelled and nothing is sent.
	** Delete after update: the update goes and the delete joins the end
	** of the queue with version 2 (the collapsed update counts). */
	if (rc == 0 && !(found > 0 && op.kind == DEV_OP_INSERT))
		rc = dev_op_enqueue(d, DEV_OP_DELETE, table, id, item,
		    found > 0 ? 2 : 1, op_id);
	if (rc != 0 || dev_commit(d) != 0) {
		dev_store_err(d, err);
		goto fail;
	}
	dev_trace(d, TRC_EDIT, table, id, "delete", "Deleted %s/%s from the "
	    "local store.", table, id);
	if (found > 0 && op.kind == DEV_OP_INSERT) {
		dev_trace(d, TRC_COLLAPSE, table, id, "delete", "The delete "
		    "cancels the pending insert: the server never saw the row, "
		    "so nothing will be sent.");
		dev_trace(d, TRC_DEQUEUE, table, id, "cancelled", "The insert of "
		    "%s leaves __operations, cancelled by the delete.", id);
	} else if (found > 0) {
		dev_trace(d, TRC_COLLAPSE, table, id, "delete", "The delete "
		    "replaces the pending update.");
		dev_trace(d, TRC_DEQUEUE, table, id, "collapsed", "The update of "
		    "%s leaves __operations; the delete takes its place.", id);
		dev_trace(d, TRC_ENQUEUE, table, id, "delete", "A delete "
		    "operation for %s joins the END of __operations with "
		    "version 2, so it is pushed after everything queued "
		    "before it.", id);
	} else {
		dev_trace(d, TRC_ENQUEUE, table, id, "delete", "A delete "
		    "operation for %s joins the end of __operations (version "
		    "1, Pending); it keeps a copy of the row for its "
		    "If-Match version.", id);
	}
	cJSON_free(item);
	dev_op_free(&op);
	return 0;
fail:
	cJSON_free(item);
	return dev_write_fail(d, table, id, &op, err);
}

/* err may be NULL: the messages still go to the trace. */
int
dev_delete(dev *d, const char *table, const char *id, sb *err)
{
	sb tmp = SB_INIT;
	int rc = dev_delete_do(d, table, id, err != NULL ? err : &tmp);
	sb_free(&tmp);
	return rc;
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
