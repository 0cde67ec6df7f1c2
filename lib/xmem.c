/*
** xmem.c: allocation wrappers; see xmem.h for the contract.
*/
#include "lib/xmem.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned long xmem_countdown;

static void
xmem_oom(void)
{
	fputs("synclab: out of memory\n", stderr);
	exit(70);
}

static void *
xmem_check(void *p)
{
	if (xmem_countdown > 0 && --xmem_countdown == 0) {
		free(p);
		p = NULL;
	}
	if (p == NULL)
		xmem_oom();
	return p;
}

void
xmem_fail_after(unsigned long n)
{
	xmem_countdown = n;
}

void *
xmalloc(size_t n)
{
	return xmem_check(malloc(n ? n : 1));
}

void *
xcalloc(size_t n, size_t size)
{
	if (n == 0 || size == 0)
		n = size = 1;
	return xmem_check(calloc(n, size));
}

void *
xrealloc(void *p, size_t n)
{
	return xmem_check(realloc(p, n ? n : 1));
}

void *
xreallocarray(void *p, size_t n, size_t size)
{
	if (size != 0 && n > SIZE_MAX / size)
		xmem_oom();
	return xrealloc(p, n * size);
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *d = xmalloc(len + 1);
	memcpy(d, s, len);
	d[len] = '\0';
	return d;
}

char *
xasprintf(const char *fmt, ...)
{
	va_list ap, ap2;
	/* A format is never NULL; saying so keeps gcc's format-truncation
	** check quiet under recoverable UBSan, whose null checks otherwise
	** leave a path on which it is. */
	if (fmt == NULL)
		fmt = "";
	va_start(ap, fmt);
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		xmem_oom();
	char *s = xmalloc((size_t)n + 1);
	vsnprintf(s, (size_t)n + 1, fmt, ap2);
	va_end(ap2);
	return s;
}
