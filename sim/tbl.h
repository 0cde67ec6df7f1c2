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

typedef enum tbl_type {
	TBL_STRING,	/* JSON string, SQLite TEXT */
	TBL_NUMBER,	/* JSON number, SQLite REAL (integers stay integers) */
	TBL_BOOL,	/* JSON true/false, SQLite INTEGER 0/1 */
	TBL_DATE	/* JSON ISO-8601 string, SQLite TEXT */
} tbl_type;

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
/* The index of name among TBL_SYS_COLS (case-insensitively, as SQLite
** compares names), or -1. */
int tbl_sys_col(const char *name);

#endif
