/*
** jx.h: JSON documents with positions, for precise error messages.
**
** cJSON parses; jx remembers the text so that any value can be located by
** its JSON path ("steps[3].device") and reported as FILE:LINE:COL.  Loaders
** (scenarios, question banks) record every problem they find with jx_err()
** and decide at the end; they never stop at the first one, and they never
** half-load: a document with nerr > 0 must be rejected as a whole.
**
** Paths: object members are joined with '.', array elements use [i]; the
** root's own path is "" (so a top-level key is just "steps").
*/
#ifndef jx_h
#define jx_h

#include <stddef.h>
#include <cjson/cJSON.h>
#include "lib/sb.h"

/* At most this many errors of one document are written out; the rest
** are counted (nerr) and the last line of errs says how many were left
** out ("NAME: N more errors not shown"), so a file with a million bad
** items costs a million checks, not a million messages. */
#define JX_ERR_SHOWN	100

typedef struct jx_index jx_index;

typedef struct jx_doc {
	char	*name;		/* file name used in messages (owned) */
	char	*text;		/* the whole text (owned, NUL-terminated) */
	size_t	 len;
	cJSON	*root;		/* NULL when the syntax is wrong (owned) */
	sb	 errs;		/* one "NAME:LINE:COL: path: what\n" per error */
	int	 nerr;		/* every error, shown or not */
	int	 nomit;		/* errors counted but not written to errs */
	size_t	 errmark;	/* errs' length before the "more errors" line */
	jx_index *ix;		/* where each value starts; built on first use
				   (owned; jx_index.c) */
} jx_doc;

/* Reads and parses a file.  Returns 0, or -1 with the I/O or syntax error
** (FILE:LINE:COL) recorded in d->errs; d must be freed with jx_free either
** way.  Duplicate keys in one object are recorded as errors too (the parse
** still succeeds so that more errors can be found). */
int jx_load_file(jx_doc *d, const char *path);
/* The same for text already in memory; text is copied. */
int jx_load_text(jx_doc *d, const char *name, const char *text, size_t len);
void jx_free(jx_doc *d);

/* Records an error at the value found at jpath (or at the closest existing
** ancestor, or 1:1).  Message format: "NAME:LINE:COL: jpath: what".  Past
** JX_ERR_SHOWN errors it only counts.  Time: about the length of jpath
** (the first call of a document indexes its text once). */
void jx_err(jx_doc *d, const char *jpath, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Finds the 1-based line and column of the value at jpath; 0 on success,
** -1 (line and column untouched) when the path is not in the document.
** Time as jx_err's. */
int jx_locate(const jx_doc *d, const char *jpath, int *line, int *col);

/* The 1-based line and column (in UTF-8 characters) of byte off of text
** (len bytes), for messages about any JSON text, not only a jx_doc. */
void jx_text_linecol(const char *text, size_t len, size_t off, int *line,
    int *col);
/* The first member of obj whose name an earlier member already has (the
** one a duplicate-key message names), or NULL: none, or obj is not an
** object.  Time linear in the number of members. */
const cJSON *jx_dup_member(const cJSON *obj);

/* Finds many paths (time linear in the text and the paths): lines[i] and
** cols[i] get the 1-based position of paths[i], or 1:1 when that path is
** not in the document.  Returns how many were found. */
int jx_locate_many(const jx_doc *d, const char *const *paths, size_t n,
    int *lines, int *cols);

/*
** One JSON value as a reader of raw text or cJSON sees it.  For a string, s
** and n are its text without the quotes: exactly its characters when it
** comes from cJSON or holds no escape, else raw (see esc).  For a number
** read from text, s and n are its digits; for one from cJSON, s is NULL
** and num its value.  For the other kinds s and n span the value's text
** when it was read from text.
*/
typedef enum jx_kind {
	JX_ABSENT = 0,	/* no such member */
	JX_STRING,
	JX_NUMBER,
	JX_TRUE,
	JX_FALSE,
	JX_NULL,
	JX_OBJECT,
	JX_ARRAY
} jx_kind;

typedef struct jx_val {
	const char	*s;
	size_t		 n;
	double		 num;	/* a number from cJSON */
	jx_kind		 kind;
	int		 esc;	/* a string whose s/n still hold escapes */
} jx_val;

/* The value v (NULL: JX_ABSENT) as a jx_val; it borrows v's string. */
jx_val jx_val_of(const cJSON *v);

/*
** Pages: the reader of a JSON array of objects, such as a page of rows
** from the backend.  It returns spans of the text (nothing is copied or
** decoded): each row's whole text and each member's name and value, in
** the order written (a repeated name is kept twice; its first value is the
** one cJSON's lookups find).  A jx_page starts zeroed and may be read into
** again (its arrays are reused); jx_page_free releases them.
*/
typedef struct jx_member {
	jx_val		 key;
	jx_val		 val;
} jx_member;

typedef struct jx_page {
	jx_val		*rows;		/* each row's text, kind JX_OBJECT */
	size_t		 nrows;
	size_t		*first;		/* row i's members are m[first[i]]
					   to m[first[i + 1] - 1] */
	jx_member	*m;
	size_t		 nm;
	size_t		 rcap, mcap;
} jx_page;

/* Reads text (len bytes) into p.  Returns 0, or -1 when the text is not a
** strict JSON array of objects (p then holds no rows): the caller may then
** parse it with cJSON, which is more lenient.  Time linear in len. */
int jx_page_read(jx_page *p, const char *text, size_t len);
void jx_page_free(jx_page *p);

/* 1 when s is a plain id: one or more of a-z, 0-9 and '-' (the ids of
** scenarios, banks and questions), else 0. */
int jx_is_id(const char *s);

/* Path building into a caller buffer; returns buf. */
char *jx_path(char *buf, size_t n, const char *parent, const char *key);
char *jx_pathi(char *buf, size_t n, const char *parent, size_t index);

/*
** Typed member access.  Each looks up key in obj (whose path is objpath);
** when absent and required, or present with the wrong type or out of range,
** it records an error and returns -1.  When absent and optional it returns
** 0 and leaves *out untouched.  When present and valid it sets *out, and
** returns 1.  Strings are borrowed from the cJSON tree.
*/
int jx_str(jx_doc *d, const cJSON *obj, const char *objpath, const char *key,
    int required, const char **out);
int jx_int(jx_doc *d, const cJSON *obj, const char *objpath, const char *key,
    int required, long long min, long long max, long long *out);
/* A whole number from min to max: 0 and *out set, -1 not whole, -2 out
** of range (NaN and infinities included).  Never converts a double that
** does not fit: the check for anything read from a file. */
int jx_whole(double x, long long min, long long max, long long *out);
/* jx_int's check of a value already in hand (v may be NULL or any type),
** the error recorded at path. */
int jx_int_val(jx_doc *d, const cJSON *v, const char *path, long long min,
    long long max, long long *out);
int jx_num(jx_doc *d, const cJSON *obj, const char *objpath, const char *key,
    int required, double *out);
int jx_bool(jx_doc *d, const cJSON *obj, const char *objpath, const char *key,
    int required, int *out);
int jx_arr(jx_doc *d, const cJSON *obj, const char *objpath, const char *key,
    int required, const cJSON **out);
int jx_obj(jx_doc *d, const cJSON *obj, const char *objpath, const char *key,
    int required, const cJSON **out);
/* Records an error for every member of obj whose name is not in allowed
** (a NULL-terminated list), naming the allowed ones.  Catches typos.
** A "$comment" string member is always allowed (an author's note). */
void jx_only(jx_doc *d, const cJSON *obj, const char *objpath,
    const char *const *allowed);

#endif
