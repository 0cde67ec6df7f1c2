/*
** jx_int.h: inside lib/jx*.c only: the position index of a jx_doc
** (jx_index.c) and the error recorder it reports duplicates through.
*/
#ifndef jx_int_h
#define jx_int_h

#include "lib/jx.h"

/* Builds the index of every value of d's text in one pass (time and
** memory linear in the text) and sets d->ix to it.  With report set, a member name repeated in
** one object is recorded as an error of d at its opening quote.  Never
** fails: on text that is not JSON it indexes what comes before the fault. */
jx_index *jx_index_build(jx_doc *d, int report);
void jx_index_free(jx_index *ix);
/* The offset of the value at path (jx.h's path syntax); *exact is 0 when
** the path is not in the document, and the offset is then its deepest
** ancestor's (the root's at worst). */
size_t jx_index_find(const jx_index *ix, const char *text, const char *path,
    int *exact);
/* Line and column of byte off, as jx_text_linecol counts them. */
void jx_index_linecol(const jx_index *ix, const char *text, size_t len,
    size_t off, int *line, int *col);

/* 1 when the next error of d will be shown, 0 when it will only be
** counted (JX_ERR_SHOWN reached). */
int jx_err_room(const jx_doc *d);
/* Records an error at byte off: "NAME:LINE:COL: path: what". */
void jx_err_off(jx_doc *d, size_t off, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif
