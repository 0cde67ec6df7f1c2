/*
** dev_op.c: the operation queue and the error rows of a device; see dev_int.h.
**
** __operations holds one pending operation per item, in sequence order;
** __errors holds the failed ones with the server's answer.
*/
#include "sim/dev_int.h"
#include "lib/xmem.h"
#include "sim/wire.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
dev_op_mark(dev *d, const char *op_id, int state)
{
	return prof_keeps_state(d->cfg.client) ? dev_op_set_state(d, op_id,
	    state) : 0;
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

int
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

int
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

int
dev_err_get(dev *d, const char *op_id, int *status, char **raw)
{
	sqlite3_stmt *st = d->q[DEV_Q_ERR_GET];
	*status = 0;
	*raw = NULL;
	dev_bind_text(st, 1, op_id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*status = sqlite3_column_int(st, 0);
		*raw = dev_col_dup(st, 1);
	}
	dev_q_end(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int
dev_err_find(dev *d, const char *table, const char *id, dev_op *op,
    int *status, char **raw)
{
	*status = 0;
	*raw = NULL;
	int found = dev_op_find(d, table, id, op);
	if (found == 1)
		found = dev_err_get(d, op->id, status, raw);
	if (found != 1)
		dev_op_free(op);	/* zeroed when never found */
	return found;
}
