/*
** xmem.h: allocation that never returns NULL.
**
** synclab is an interactive teaching tool, not a server that must survive
** memory exhaustion, so (as tmux does) an allocation failure prints one line
** and exits with status 70 instead of threading NULL checks through every
** caller.  Tests can make the N-th allocation fail with xmem_fail_after() to
** prove that the failure path is the clean exit and not a crash.
*/
#ifndef xmem_h
#define xmem_h

#include <stddef.h>

/* Each returns owned memory that the caller frees with free(); on failure
** they print "synclab: out of memory" and exit(70).  Zero sizes allocate one
** byte so that callers never see NULL. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
/* Grows an array of n elements of size bytes; checks n*size for overflow. */
void *xreallocarray(void *p, size_t n, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* printf into a new string the caller owns. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Test hook: the n-th allocation from now fails (0 turns it off). */
void xmem_fail_after(unsigned long n);

#endif
