/*
** srv_int.h: what the backend's files share; not for other modules.
**
** srv.c owns the tables (definitions, storage, the statement cache,
** transactions, responses) and the handler; srv_write.c checks request
** bodies and runs inserts, updates and deletes; srv_list.c answers the
** list GETs (query options, paging, the next-page link).
*/
#ifndef srv_int_h
#define srv_int_h

#include <stddef.h>
#include <stdint.h>
#include <sqlite3.h>
#include <cjson/cJSON.h>
#include "lib/sb.h"
#include "sim/http.h"
#include "sim/odata.h"
#include "sim/srv.h"


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
	size_t		 norder;	/* nfields, less "deleted" on a
					   table without soft delete */
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
	hub		*hub;		/* borrowed: the push routes' hub */
	/* App Service Authentication (auth.h), borrowed; NULL: off.  The
	** caller and the per-user scope of the request being answered
	** (set by srv_handle, cleared when it returns). */
	const auth	*auth;
	auth_who	 who;
	const char	*scope_col;
};

/* The current state of one row, read inside a write transaction. */
typedef struct srv_cur {
	int		 found;
	int		 deleted;
	long long	 version;
	sb		 json;		/* the row as the API shows it */
} srv_cur;


/* Strict UTF-8 check (no overlongs, no surrogates, nothing past U+10FFFF):
** everything echoed in a JSON answer must be valid. */
int srv_utf8_valid(const char *s, size_t n);

/*
** A compiled statement for sql from the cache, reset and with its bindings
** cleared; compiled (and the least recently used one evicted) on a miss.
** The statement belongs to the cache: the caller resets it when done and
** never finalizes it.  Returns the SQLite result code of the compile.
*/
int srv_cached(srv *s, const char *sql, sqlite3_stmt **out);

srv_tab *srv_find(const srv *s, const char *name);

/* Appends the current row of st as a JSON object with the fields idx[0..n)
** (NULL: every field, in API order). */
void srv_render_row(sb *b, const srv_tab *t, sqlite3_stmt *st,
    const size_t *idx, size_t n);

/* Reads a row by id into cur (found = 0 when absent).  Returns 0, or -1 on
** an SQLite error. */
int srv_read(srv_tab *t, const char *id, srv_cur *cur);

/* Starts the write transaction of one request: BEGIN IMMEDIATE, or a
** savepoint when the caller (a bulk seed, the engine) already holds one.
** Returns the kind to pass to srv_end, or -1 on failure. */
int srv_begin(srv *s);

/* Commits (ok) or rolls back the transaction srv_begin opened.  Returns 0,
** or -1 when the commit failed (the transaction is then rolled back). */
int srv_end(srv *s, int kind, int ok);

/* Steps a write statement to completion and resets it. */
int srv_run(sqlite3_stmt *st);

void srv_reply(http_resp *r, int status, sb *body, long long etag);

void srv_error(http_resp *r, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

void srv_dberror(srv *s, http_resp *r);

/* What srv_write does to the row. */
/* PUT is the Datasync server's replace (the Node server has no PUT
** route): every user column takes the body's value, null when absent. */
enum { SRV_OP_PATCH, SRV_OP_DELETE, SRV_OP_UNDELETE, SRV_OP_PUT };

/*
** PATCH, DELETE and undelete share one shape: read the row inside the
** transaction, answer 404 or a conflict from what is there, else run the
** statement and answer with the row as it now is (DELETE without soft
** delete answers with the row as it was).
*/
void srv_write(srv *s, srv_tab *t, const http_req *req, const char *id, int op,
    int64_t now_ms, http_resp *resp);

void srv_post(srv *s, srv_tab *t, const http_req *req, int64_t now_ms,
    uint64_t entropy, http_resp *resp);

void srv_get_one(srv *s, srv_tab *t, const char *id, http_resp *resp);

void srv_list(srv *s, srv_tab *t, const http_req *req, http_resp *resp);
/* 1 when every part of the request's query string is NAME or NAME=VALUE
** with a NAME of letters, digits and "$_.-" (an OData option, a flag such
** as __includeDeleted, or an app's own parameter); else writes a 400 that
** quotes the part and returns 0.  (srv_list.c) */
int srv_query_ok(const http_req *req, http_resp *resp);

#endif
