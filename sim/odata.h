/*
** odata.h: the OData query options of the backend, compiled to SQL
** (odata_lex.c, odata_parse.c and odata.c: $filter; odata_list.c:
** $orderby and $select).
**
** $filter becomes one SQL boolean expression with '?' placeholders and a
** list of values to bind, $orderby an ORDER BY list and $select a list of
** field indices.  Nothing is ever evaluated row by row in C, and no text of
** the query reaches SQL: column names come from the caller's field list
** (already validated identifiers) and every literal is a bound parameter.
**
** Errors are one line, "at position N" counting characters of the option
** value from 1, with what was expected and what was found.
*/
#ifndef odata_h
#define odata_h

#include <stddef.h>
#include <stdint.h>
#include <sqlite3.h>
#include "lib/sb.h"

typedef enum odata_type {
	ODATA_NULL,	/* only the literal null has this type */
	ODATA_STRING,	/* TEXT */
	ODATA_NUMBER,	/* REAL (or INTEGER) */
	ODATA_BOOL,	/* INTEGER 0/1 */
	ODATA_DATE,	/* TEXT "YYYY-MM-DDTHH:MM:SS.mmmZ", so text order is
			   time order */
	ODATA_VERSION	/* INTEGER counter; literals are its base64 text */
} odata_type;

/* A column a query may name, as SQL stores it. */
typedef struct odata_field {
	const char	*name;
	odata_type	 type;
} odata_field;

typedef enum odata_pkind {
	ODATA_P_TEXT,
	ODATA_P_INT,
	ODATA_P_REAL
} odata_pkind;

typedef struct odata_param {
	odata_pkind	 kind;
	char		*text;	/* ODATA_P_TEXT (owned) */
	long long	 i;	/* ODATA_P_INT */
	double		 d;	/* ODATA_P_REAL */
} odata_param;

/* A compiled $filter: a parenthesised SQL boolean expression whose '?'
** placeholders take params in order.  Owns everything. */
typedef struct odata_sql {
	char		*sql;
	odata_param	*params;
	size_t		 nparams;
} odata_sql;

/*
** Compiles a $filter.  Grammar (lowest precedence first): or, and, not,
** comparisons (eq ne gt ge lt le, not chained), add and sub, mul div and
** mod, then primaries: ( expr ), literals ('it''s', numbers, true, false,
** null, datetimeoffset'...', datetime'...'), field names and the functions
** startswith, endswith, substringof, contains, tolower, toupper, length,
** indexof, trim, concat, substring (2 or 3 arguments, 0-based), year,
** month, day, hour, minute, second (UTC), round, floor and ceiling.
** Types are checked: comparing a string field to a number, or adding to a
** string, is an error, not a silent SQL coercion.  The SQL may call
** SQLite's math functions (floor, ceiling, mod).  Returns 0 and fills out
** (free it with odata_sql_free), or -1 with a message in err and out left
** empty.
*/
int odata_filter(const char *text, const odata_field *fields, size_t nfields,
    odata_sql *out, sb *err);
void odata_sql_free(odata_sql *q);
/* Binds q's params to st starting at index first (1-based).  Returns the
** next free index, or -1 when SQLite refuses a bind. */
int odata_bind(sqlite3_stmt *st, int first, const odata_sql *q);

/* Compiles "$orderby=a desc, b" and appends `"a" DESC, "b" ASC` to out.
** Returns 0, or -1 with a message in err (out may hold a partial list). */
int odata_orderby(const char *text, const odata_field *fields,
    size_t nfields, sb *out, sb *err);

/* Parses "$select=a,b": idx receives field indices in the order named,
** duplicates dropped, "*" meaning every field in field order; *n is the
** count (idx must hold nfields entries).  Returns 0, or -1 with err. */
int odata_select(const char *text, const odata_field *fields, size_t nfields,
    size_t *idx, size_t *n, sb *err);

#endif
