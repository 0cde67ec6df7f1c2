/*
** dev_int.h: what dev.c and dev_sync.c share; not for other modules.
**
** dev.c owns the store (schema, row conversion, the operation queue, local
** writes, accessors); dev_sync.c owns everything that talks to the backend
** (push, conflict handling, pull, purge, manual resolution).
*/
#ifndef dev_int_h
#define dev_int_h

#include <stdint.h>
#include <sqlite3.h>
#include <cjson/cJSON.h>
#include "lib/sb.h"
#include "sim/dev.h"

/* __operations.kind and .state, numbered as the .NET client numbers them. */
enum { DEV_OP_INSERT = 0, DEV_OP_UPDATE = 1, DEV_OP_DELETE = 2 };
enum { DEV_ST_PENDING = 0, DEV_ST_ATTEMPTED = 1, DEV_ST_FAILED = 2 };

struct dev {
	dev_config	 cfg;		/* strings owned */
	dev_env		 env;
	sqlite3		*db;
	/* Definitions never change after dev_define, so they are not part
	** of the mutable state that must live in the store. */
	srv_table_def	*defs;
	pol_table	*pols;
	size_t		 ntables;
};

/* One row of __operations (strings owned). */
typedef struct dev_op {
	char		*id;
	int		 kind;
	int		 state;
	char		*table;
	char		*item_id;
	char		*item;		/* JSON text, deletes only; else NULL */
	char		*created_at;
	int64_t		 sequence;
	int64_t		 version;
} dev_op;

const char *dev_kind_name(int kind);
void dev_op_free(dev_op *op);
/* The pending operation of (table, id): 1 found, 0 none, -1 error. */
int dev_op_find(dev *d, const char *table, const char *id, dev_op *op);
/* The first operation after sequence seq (of table, or of any table when
** table is NULL): 1 found, 0 none, -1 error. */
int dev_op_next(dev *d, const char *table, int64_t seq, dev_op *op);
int dev_op_set_state(dev *d, const char *op_id, int state);
/* Removes the op when its version is still version (the .NET rule: an op
** edited during its push stays queued).  0 or -1. */
int dev_op_remove(dev *d, const char *op_id, int64_t version);
int64_t dev_op_count(dev *d, const char *table);
/* Removes the op whatever its version, and its error row.  0 or -1. */
int dev_op_delete(dev *d, const char *op_id);

/* Index of a defined table, or -1. */
long dev_find(const dev *d, const char *table);
/* The local row (system columns included); NULL when absent. */
cJSON *dev_row_load(dev *d, const srv_table_def *def, const char *id);
/* Writes a server row into the local table (insert or replace) and into
** __base; a row with "deleted": true is removed from both instead.
** 0, or -1 with err (a value of the wrong type). */
int dev_row_from_server(dev *d, const srv_table_def *def, const cJSON *row,
    sb *err);
int dev_row_delete(dev *d, const char *table, const char *id);
/* Insert-or-replace of a whole local row (every column).  0, or -1 with
** err (a value of the wrong type). */
int dev_row_write(dev *d, const srv_table_def *def, const cJSON *row,
    sb *err);
int dev_base_delete(dev *d, const char *table, const char *id);
/* The user columns plus id, as the device sends them. */
cJSON *dev_row_body(const srv_table_def *def, const cJSON *row);
cJSON *dev_base_get(dev *d, const char *table, const char *id);

int dev_err_put(dev *d, const dev_op *op, int status, const char *item,
    const char *raw);
int dev_err_delete(dev *d, const char *op_id);

/* Savepoints around every change that must be all or nothing. */
int dev_begin(dev *d);
int dev_commit(dev *d);
void dev_rollback(dev *d);
int dev_exec(dev *d, const char *sql);
/* sqlite3_prepare_v2 that reports failures into err (may be NULL). */
int dev_prepare(dev *d, const char *sql, sqlite3_stmt **st, sb *err);

const char *dev_config_get(dev *d, const char *key, char *buf, size_t len);
int dev_config_put(dev *d, const char *key, const char *value);

/* The device clock as ISO-8601 ("2026-03-02T09:00:00.000Z"). */
void dev_clock_iso(dev *d, char out[32]);

/* Adds a trace event for the device with table and id set; returns it
** (NULL when the device has no trace). */
trc_event *dev_trace(dev *d, trc_type type, const char *table,
    const char *id, const char *method, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
/* Writes a message into err (which may be NULL). */
void dev_errf(sb *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
