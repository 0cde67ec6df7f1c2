/*
** sb.c: growable string buffer; see sb.h.
*/
#include "lib/sb.h"
#include "lib/xmem.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void
sb_grow(sb *b, size_t extra)
{
	if (b->len + extra + 1 <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < b->len + extra + 1)
		cap *= 2;
	b->s = xrealloc(b->s, cap);
	b->cap = cap;
}

void
sb_addn(sb *b, const char *s, size_t n)
{
	sb_grow(b, n);
	if (n > 0)	/* s may be NULL then (an empty blob's bytes) */
		memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void
sb_add(sb *b, const char *s)
{
	sb_addn(b, s, strlen(s));
}

void
sb_addc(sb *b, char c)
{
	sb_addn(b, &c, 1);
}

void
sb_addf(sb *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sb_vaddf(b, fmt, ap);
	va_end(ap);
}

void
sb_setf(sb *b, const char *fmt, ...)
{
	va_list ap;
	if (b == NULL)
		return;
	sb_reset(b);
	va_start(ap, fmt);
	sb_vaddf(b, fmt, ap);
	va_end(ap);
}

void
sb_vaddf(sb *b, const char *fmt, va_list ap)
{
	va_list ap2;
	if (fmt == NULL)	/* never; see xasprintf in xmem.c */
		fmt = "";
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap);
	if (n > 0) {
		sb_grow(b, (size_t)n);
		vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap2);
		b->len += (size_t)n;
	}
	va_end(ap2);
}

void
sb_addjson(sb *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	sb_addc(b, '"');
	for (;;) {
		/* A run that needs no escape goes in whole. */
		const unsigned char *q = p;
		while (*q >= 0x20 && *q != '"' && *q != '\\')
			q++;
		if (q > p)
			sb_addn(b, (const char *)p, (size_t)(q - p));
		if (*q == '\0')
			break;
		switch (*q) {
		case '"':  sb_add(b, "\\\""); break;
		case '\\': sb_add(b, "\\\\"); break;
		case '\n': sb_add(b, "\\n"); break;
		case '\r': sb_add(b, "\\r"); break;
		case '\t': sb_add(b, "\\t"); break;
		default: sb_addf(b, "\\u%04x", *q); break;
		}
		p = q + 1;
	}
	sb_addc(b, '"');
}

void
sb_addsqlid(sb *b, const char *ident)
{
	sb_addc(b, '"');
	for (const char *p = ident; *p; p++) {
		if (*p == '"')
			sb_addc(b, '"');
		sb_addc(b, *p);
	}
	sb_addc(b, '"');
}

int
sb_addfile(sb *b, FILE *f)
{
	char buf[65536];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		sb_addn(b, buf, n);
	return ferror(f) ? -1 : 0;
}

char *
sb_take(sb *b)
{
	char *s = b->s ? b->s : xstrdup("");
	b->s = NULL;
	b->len = b->cap = 0;
	return s;
}

const char *
sb_str(const sb *b)
{
	return b->s ? b->s : "";
}

void
sb_reset(sb *b)
{
	b->len = 0;
	if (b->s)
		b->s[0] = '\0';
}

void
sb_free(sb *b)
{
	free(b->s);
	b->s = NULL;
	b->len = b->cap = 0;
}
