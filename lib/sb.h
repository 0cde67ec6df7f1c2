/*
** sb.h: a growable string buffer.
**
** The buffer owns its bytes; sb_take() hands them to the caller.  The text is
** always NUL-terminated once anything was added (s may be NULL before).
*/
#ifndef sb_h
#define sb_h

#include <stddef.h>

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
/* Adds s as a JSON string literal, quotes included. */
void sb_addjson(sb *b, const char *s);
/* Returns the text (never NULL: "" when empty) and resets b; caller frees. */
char *sb_take(sb *b);
/* Returns the text or "" without giving up ownership. */
const char *sb_str(const sb *b);
void sb_reset(sb *b);
void sb_free(sb *b);

#endif
