/*
** tbl.h: a table definition and its column types.
**
** One definition describes a table to the backend (srv), to every device
** (dev) and to a scenario (scn): its name, its user columns with their
** types, and whether deletes are soft.  The system columns (id, createdAt,
** updatedAt, version, deleted) are never listed; every table has them.
*/
#ifndef tbl_h
#define tbl_h

#include <stddef.h>
#include <stdint.h>
#include "lib/jx.h"

/*
** The column types, one row each: the enum, the name in scenario files and
** on the serve command line, the SQLite column type.
**   string  a JSON string, stored as TEXT
**   number  a JSON number, stored as REAL (integers stay integers)
**   bool    JSON true/false, stored as INTEGER 0/1
**   date    an ISO-8601 JSON string, stored as TEXT
*/
#define TBL_TYPES(X)					\
	X(TBL_STRING,	"string",	"TEXT")		\
	X(TBL_NUMBER,	"number",	"REAL")		\
	X(TBL_BOOL,	"bool",		"INTEGER")	\
	X(TBL_DATE,	"date",		"TEXT")

typedef enum tbl_type {
#define TBL_ENUM(e, name, sql)	e,
	TBL_TYPES(TBL_ENUM)
#undef TBL_ENUM
} tbl_type;

#define TBL_COUNT(e, name, sql)	+ 1
enum { TBL_NTYPES = 0 TBL_TYPES(TBL_COUNT) };
#undef TBL_COUNT

typedef struct tbl_col {
	char		*name;
	tbl_type	 type;
} tbl_col;

typedef struct tbl_def {
	char		*name;
	tbl_col		*cols;		/* user columns only, not system ones */
	size_t		 ncols;
	int		 soft_delete;
} tbl_def;

/* The system columns, in the order every table stores them.  A list of
** literals rather than one shared array, so that each file's compiler
** knows their lengths (the page scanner matches names by length). */
#define TBL_SYS_COLS	"id", "createdAt", "updatedAt", "version", "deleted"
#define TBL_NSYS_COLS	5

/* Deep copy of a definition into dst (overwritten); free it with
** tbl_def_free, which frees what the definition owns, not d. */
void tbl_def_copy(tbl_def *dst, const tbl_def *src);
void tbl_def_free(tbl_def *d);

/* Valid table and column names: [A-Za-z_][A-Za-z0-9_]{0,62}, not starting
** with "__" or "sqlite_" and not a system column (case-insensitively).
** Returns 1 when valid. */
int tbl_valid_ident(const char *name);
/* The name of a type ("string", ...), "?" for a value out of range. */
const char *tbl_type_name(tbl_type t);
/* The type named name: 0 and *t set, or -1 (no such type).  The Node
** server's names "boolean" and "datetime" are read as bool and date. */
int tbl_type_parse(const char *name, tbl_type *t);
/* The SQLite column type of t ("TEXT", "REAL", "INTEGER"). */
const char *tbl_sqltype(tbl_type t);

/*
** Whether the value v fits a column of type t: null and an absent value
** always do, a string a string column, a number a number column, true or
** false a bool column, and a string that wire_parse_time reads a date
** column (then *ms, when ms is not NULL, is its instant).  A string still
** holding escapes (v->esc) fits nothing: decode it first.  Returns 1 or 0;
** each caller words its own message (they differ by audience).
*/
int tbl_fits(tbl_type t, const jx_val *v, int64_t *ms);

/* The index of name among TBL_SYS_COLS (case-insensitively, as SQLite
** compares names), or -1. */
int tbl_sys_col(const char *name);

#endif
