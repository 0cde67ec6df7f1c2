/*
** dev_row.c: rows of a device's store; see dev.h and dev_int.h.
**
** A row travels as JSON (what the API shows) and lives as columns of its
** table; these convert between the two, keep each table's statements, and
** write rows from the server together with their __base copies.
*/
#include "sim/dev_int.h"
#include "lib/xmem.h"
#include "sim/wire.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- rows ------------------------------------------------------------- */

const char *
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

int
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

