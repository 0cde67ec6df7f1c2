/*
** sb.h: a growable string buffer.
**
** The buffer owns its bytes; sb_take() hands them to the caller.  The text is
** always NUL-terminated once anything was added (s may be NULL before).
*/
#ifndef sb_h
#define sb_h

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

typedef struct sb {
	char	*s;
	size_t	 len;
	size_t	 cap;
} sb;

#define SB_INIT { NULL, 0, 0 }

void sb_add(sb *b, const char *s);
void sb_addn(sb *b, const char *s, size_t n);
void sb_addc(sb *b, char c);
void sb_addf(sb *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* sb_addf with the arguments in ap (consumed as vprintf consumes them). */
void sb_vaddf(sb *b, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
/*
** The error convention: a call that fails replaces the text of its
** sb *err with the message (err may be NULL: the caller keeps none).
** sb_setf does that: b's text becomes the formatted text; nothing happens
** when b is NULL.
*/
void sb_setf(sb *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Adds s as a JSON string literal, quotes included. */
void sb_addjson(sb *b, const char *s);
/*
** Adds ident as an SQL quoted identifier ("a""b" for a"b).  Quoting makes
** any name safe to splice into SQL text; whether the name is acceptable at
** all is for the caller to have checked.
*/
void sb_addsqlid(sb *b, const char *ident);
/* Appends everything f has left to read.  Returns 0, or -1 when a read
** failed (what was read before stays in b); f stays open. */
int sb_addfile(sb *b, FILE *f);
/* Returns the text (never NULL: "" when empty) and resets b; caller frees. */
char *sb_take(sb *b);
/* Returns the text or "" without giving up ownership. */
const char *sb_str(const sb *b);
void sb_reset(sb *b);
void sb_free(sb *b);

#endif
