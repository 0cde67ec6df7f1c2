/*
** insp.h: the store inspector's SQL: one query, read-only by construction,
** against a copy of a store (the backend's or a device's).
**
** The query never sees the engine's connection.  insp_run copies the
** store (sqlite3_serialize) into a read-only database on a connection of
** its own, which allows reading and an allow-list of functions (the core
** scalar, aggregate, window, date, math and JSON functions; not
** load_extension, fts3_tokenizer or anything else), stops a query after
** INSP_MS milliseconds and caps every string or blob (INSP_MAXLEN bytes),
** the rows kept (INSP_MAXROWS) and each cell kept (INSP_MAXCELL bytes).
** Whatever the query, the engine's stores are exactly as they were.
*/
#ifndef insp_h
#define insp_h

#include <stddef.h>
#include <sqlite3.h>

#define INSP_MAXROWS	1000
#define INSP_MAXCELL	4096		/* bytes of a cell kept; longer ends "..." */
#define INSP_MAXLEN	1000000		/* SQLITE_LIMIT_LENGTH of the copy */
#define INSP_MS		300		/* a query's time, in milliseconds */

typedef enum insp_status {
	INSP_OK = 0,		/* rows (possibly none) in cols/cells */
	INSP_EMPTY,		/* nothing to run (blank or a comment) */
	INSP_REFUSED,		/* a write, DDL, PRAGMA, ATTACH or a function
				   not on the allow-list */
	INSP_STOPPED,		/* ran past INSP_MS */
	INSP_ERROR		/* SQLite's error (syntax, no such table,
				   string or blob too big, ...) */
} insp_status;

typedef struct insp_result {
	insp_status	 status;
	char		 msg[512];	/* what happened, for the status line */
	char		**cols;		/* ncols names (owned) */
	size_t		 ncols;
	char		**cells;	/* nrows * ncols texts, "NULL" for NULL */
	size_t		 nrows;
	int		 capped;	/* more rows than INSP_MAXROWS */
	int		 more;		/* text after the first statement */
} insp_result;

/* Runs the first statement of sql against a read-only copy of store
** (the caller keeps store; nothing is written to it).  Fills *r, which
** the caller frees with insp_free whatever the status; ms is the time
** limit (0: INSP_MS).  Returns r->status. */
insp_status insp_run(sqlite3 *store, const char *sql, int ms, insp_result *r);
void insp_free(insp_result *r);

/* 1 when name (any case) is on the allow-list of functions, else 0. */
int insp_fn_allowed(const char *name);

#endif
