/*
** dev_int.h: what the device's files share; not for other modules.
**
** dev.c owns the store (schema, statements, tables, accessors), dev_row.c
** its rows, dev_op.c the operation queue and __errors, dev_write.c the
** local writes; the files that talk to the backend are dev_sync.c
** (requests, push, conflict handling), dev_pull.c (pull, purge) and
** dev_resolve.c (manual resolution).
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

/*
** The statements a device keeps prepared for its whole life.  Preparing
** is the costly part of a one-row statement (a pull writes thousands of
** rows), so each SQL text is compiled once, at dev_open or dev_define,
** and every use binds, steps and resets it (d->q[], dev_q_run, dev_q_end).
** A cached statement is only a compiled program, not state: the engine's
** sqlite3_deserialize into the same connection makes SQLite re-compile it
** at its next step against the restored schema.  No statement stays
** active between two calls into the device, so a snapshot, a restore or
** a savepoint never meets one half run.
*/
enum dev_q {
	DEV_Q_BEGIN,		/* SAVEPOINT dev */
	DEV_Q_RELEASE,		/* RELEASE dev */
	DEV_Q_ROLLBACK,		/* ROLLBACK TO dev */
	DEV_Q_CONFIG_GET,	/* ?1 key */
	DEV_Q_CONFIG_PUT,	/* ?1 key, ?2 value */
	DEV_Q_OP_FIND,		/* ?1 table, ?2 item id */
	DEV_Q_OP_PENDING,	/* ?1 table, ?2 item id: a row when queued */
	DEV_Q_OP_NEXT,		/* ?1 sequence */
	DEV_Q_OP_NEXT_TABLE,	/* ?1 sequence, ?2 table */
	DEV_Q_OP_STATE,		/* ?1 state, ?2 op id */
	DEV_Q_OP_REMOVE,	/* ?1 op id, ?2 version */
	DEV_Q_OP_DELETE,	/* ?1 op id */
	DEV_Q_OP_BUMP,		/* ?1 op id */
	DEV_Q_OP_REWRITE,	/* ?1 kind, ?2 item, ?3 op id */
	DEV_Q_OP_COUNT,
	DEV_Q_OP_COUNT_TABLE,	/* ?1 table */
	DEV_Q_OP_ENQUEUE,	/* see dev_op_enqueue */
	DEV_Q_ERR_PUT,		/* see dev_err_put */
	DEV_Q_ERR_DELETE,	/* ?1 op id */
	DEV_Q_ERR_COUNT,
	DEV_Q_ERR_COUNT_TABLE,	/* ?1 table */
	DEV_Q_ERR_GET,		/* ?1 op id */
	DEV_Q_ERR_STOP,		/* ?1 sequence: the first non-conflict error
				   queued before it */
	DEV_Q_BASE_PUT,		/* ?1 table, ?2 id, ?3 item */
	DEV_Q_BASE_DELETE,	/* ?1 table, ?2 id */
	DEV_Q_BASE_GET,		/* ?1 table, ?2 id */
	DEV_NQ
};

/* The statements of one local table (its name is part of their SQL). */
typedef struct dev_tq {
	sqlite3_stmt	*write;		/* insert or replace, every column */
	sqlite3_stmt	*load;		/* every column, ?1 id */
	sqlite3_stmt	*del;		/* ?1 id */
} dev_tq;

struct dev {
	dev_config	 cfg;		/* strings owned */
	int		 page_size;	/* a pull's $top (dev_set_page_size) */
	dev_env		 env;
	sqlite3		*db;
	/* Definitions never change after dev_define, so they are not part
	** of the mutable state that must live in the store. */
	tbl_def	*defs;
	pol_table	*pols;
	dev_tq		*tq;		/* one per table, as defs */
	size_t		 ntables;
	/* The kept statements: each use binds and steps one and hands it
	** back with dev_q_end or dev_q_run before it returns.  Finalized by
	** dev_close. */
	sqlite3_stmt	*q[DEV_NQ];
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
/* Whether (table, id) has an operation queued, without reading it: 1, 0,
** or -1 on an error.  id is n bytes (it need not end in a NUL). */
int dev_op_pending(dev *d, const char *table, const char *id, size_t n);
/* The first operation after sequence seq (of table, or of any table when
** table is NULL): 1 found, 0 none, -1 error. */
int dev_op_next(dev *d, const char *table, int64_t seq, dev_op *op);
int dev_op_set_state(dev *d, const char *op_id, int state);
/* dev_op_set_state for a profile that keeps queue states; 0 and nothing
** done for one that does not (js). */
int dev_op_mark(dev *d, const char *op_id, int state);
/* Removes the op when its version is still version (the .NET rule: an op
** edited during its push stays queued).  0 or -1. */
int dev_op_remove(dev *d, const char *op_id, int64_t version);
int64_t dev_op_count(dev *d, const char *table);
/* Removes the op whatever its version, and its error row.  0 or -1. */
int dev_op_delete(dev *d, const char *op_id);
/* Sets the op's kind and item (NULL: none), makes it Pending again, bumps
** its version and removes its error row.  0 or -1. */
int dev_op_rewrite(dev *d, const char *op_id, int kind, const char *item);
/* Error rows of table (NULL: every table); -1 on an error. */
int64_t dev_err_count(dev *d, const char *table);

/* Index of a defined table, or -1.  Every def below that a function takes
** with d is one of d->defs (found this way or with dev_table_at): its
** kept statements are found by its place in that array. */
long dev_find(const dev *d, const char *table);
/* The user column of def named name, or NULL. */
const tbl_col *dev_col(const tbl_def *def, const char *name);
/* The local row (system columns included); NULL when absent. */
cJSON *dev_row_load(dev *d, const tbl_def *def, const char *id);
/*
** Rows from the server.  A row is its values: v[0..TBL_NSYS_COLS) the
** system columns in TBL_SYS_COLS order, then def's user columns
** (JX_ABSENT for a member the row lacks), filled either by the page reader
** (spans of the page's text) or from a cJSON object by dev_row_vals.
** dev_row_from_values writes them into the local table and __base (or
** deletes both when "deleted" is true): text is the row's JSON exactly as
** the server sent it (n bytes), stored in __base as it is; when text is
** NULL, tree is printed instead.  0, or -1 with err (no string id, a value
** of the wrong type).  dev_row_from_server does both steps for a cJSON row.
*/
void dev_row_vals(const tbl_def *def, const cJSON *row, jx_val *v);
int dev_row_from_values(dev *d, const tbl_def *def, const jx_val *v,
    const char *text, size_t n, const cJSON *tree, sb *err);
int dev_row_from_server(dev *d, const tbl_def *def, const cJSON *row,
    const char *text, size_t n, sb *err);
int dev_row_delete(dev *d, const char *table, const char *id);
/* Insert-or-replace of a whole local row (every column) from a cJSON row
** with a string id.  0, or -1 with err (a value of the wrong type). */
int dev_row_write(dev *d, const tbl_def *def, const cJSON *row,
    sb *err);
int dev_base_delete(dev *d, const char *table, const char *id);
/* The user columns plus id, as the device sends them. */
cJSON *dev_row_body(const tbl_def *def, const cJSON *row);
cJSON *dev_base_get(dev *d, const char *table, const char *id);

int dev_err_put(dev *d, const dev_op *op, int status, const char *item,
    const char *raw);
/* The error row of op_id: 1 with *status (0: none) and *raw (owned, may be
** NULL), 0 when there is none, -1 on a store error. */
int dev_err_get(dev *d, const char *op_id, int *status, char **raw);
/* The error row of (table, id) with its op (freed by the caller): 1 found,
** 0 none, -1 error. */
int dev_err_find(dev *d, const char *table, const char *id, dev_op *op,
    int *status, char **raw);
int dev_err_delete(dev *d, const char *op_id);

/* Savepoints around every change that must be all or nothing. */
int dev_begin(dev *d);
int dev_commit(dev *d);
void dev_rollback(dev *d);
int dev_exec(dev *d, const char *sql);
/* sqlite3_prepare_v2 that reports failures into err (may be NULL), for
** statements run once (the caller finalizes them). */
int dev_prepare(dev *d, const char *sql, sqlite3_stmt **st, sb *err);
/* Resets st and clears its bindings (the strings bound may then go). */
void dev_q_end(sqlite3_stmt *st);
/* Steps st, which returns no rows, to the end and hands it back: 0 on
** SQLITE_DONE, else -1 (sqlite3_errmsg tells why). */
int dev_q_run(sqlite3_stmt *st);
/* Binds a string (NULL: SQL NULL) that stays valid until dev_q_end. */
void dev_bind_text(sqlite3_stmt *st, int i, const char *s);

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
/* Writes "local store: " and SQLite's last message into err (which may be
** NULL); returns -1, for a caller to return. */
int dev_store_err(dev *d, sb *err);

/* A request as d's client SDK sends it: its API version header, and body
** (when not NULL) as JSON. */
void dev_request(const dev *d, http_req *req, const char *method,
    const char *path, const char *query, const cJSON *body);

/* Sends req (consumed) over the device's link.  0 with resp filled, or -1
** when the request or its response was lost (resp then has status 0). */
int dev_send(dev *d, http_req *req, http_resp *resp, int *sent);

/* /tables/TABLE, or /tables/TABLE/ID when id is not NULL; caller frees. */
char *dev_path(const char *table, const char *id);

/* A server row in a response body: an object with a string id and the
** system properties only the server sets (an echo of the request, as in
** a 409 on insert, has none).  NULL otherwise.  Caller owns it. */
cJSON *dev_server_row(const char *body);

/* The row's version, or NULL when it has none (absent or empty). */
const char *dev_row_version(const cJSON *row);

/* Pushes the ops of one table (NULL: all), in sequence order. */
dev_status dev_push_some(dev *d, const char *table, dev_push_result *res,
    sb *err);

/* Compiles a statement to keep (SQLITE_PREPARE_PERSISTENT tells SQLite it
** will be reused many times). */
int dev_keep(dev *d, const char *sql, sqlite3_stmt **st);

/* Binds n bytes of text (n <= INT_MAX, checked by the caller), borrowed
** as dev_bind_text's. */
void dev_bind_span(sqlite3_stmt *st, int i, const char *s, size_t n);

/* A new operation id: 32 hex digits, as Guid.ToString("N"). */
void dev_guid(dev *d, char out[33]);

/* What a value of type t must be, as the device's messages say it. */
const char *dev_type_name(tbl_type t);

/*
** Compiles the three statements of a table: the whole-row upsert, the
** load by id and the delete by id.  The table's identifiers were
** validated by dev_define, so quoting them is enough.  0, or -1 with
** nothing kept.
*/
int dev_table_stmts(dev *d, const tbl_def *def, dev_tq *tq);

/* Raises a queued operation's version by one: a later update of the same
** item collapsed into it.  As dev_q_run. */
int dev_op_bump(dev *d, const char *op_id);

/*
** Appends an operation at the end of the queue.  The sequence comes from
** the store (max + 1), like every other piece of state.
*/
int dev_op_enqueue(dev *d, int kind, const char *table, const char *id,
    const char *item, int64_t version, char op_id[33]);

/* The system columns by name, in storage order (TBL_SYS_COLS). */
extern const char *const dev_sys_cols[TBL_NSYS_COLS];

/* dev_auth.c: adds X-ZUMO-AUTH when signed in; notes what a table
** request's answer says about the sign-in (401: blocked). */
void dev_auth_stamp(dev *d, http_req *req);
void dev_auth_seen(dev *d, const http_req *req, const http_resp *resp);

#endif
