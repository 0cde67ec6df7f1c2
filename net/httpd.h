/*
** httpd.h: the simulated backend over real HTTP/1.1 (libmicrohttpd).
**
** An httpd serves /tables/{table} and /tables/{table}/{id} by calling the
** very same srv_handle() as the in-process simulation, with the wall clock
** in milliseconds and entropy from a PRNG seeded when the server starts.
** srv_handle() is not reentrant and SQLite has one writer, so every call
** into it is serialised under one mutex; the HTTP parsing, body buffering
** and logging around it run in parallel on a small thread pool.
**
** The front end adds only what a real transport needs: a body size limit
** (413), a method filter (405 with Allow), a request log and a graceful
** stop.  Every other answer (400, 404, 409, 412, ...) comes from srv.
*/
#ifndef httpd_h
#define httpd_h

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "lib/sb.h"
#include "sim/srv.h"

/* The default request body limit: 1 MiB. */
#define HTTPD_MAX_BODY	((size_t)1 << 20)

typedef struct httpd_opts {
	const char	*host;		/* bind address (numeric or a name); NULL = 127.0.0.1 */
	unsigned	 port;		/* 0 picks a free port (see httpd_port) */
	size_t		 max_body;	/* 0 = HTTPD_MAX_BODY */
	unsigned	 threads;	/* worker threads; 0 = one per core, 2 to 8 */
	uint64_t	 seed;		/* seeds the id entropy */
	FILE		*log;		/* one line per request, flushed; NULL = none */
} httpd_opts;

typedef struct httpd httpd;

/*
** Starts serving s (borrowed: it must outlive the httpd, and nobody else
** may use it until httpd_stop returns).  Returns the running server, or
** NULL with a message replacing the text of err (NULL: none kept) when the
** address cannot be resolved or bound.
*/
httpd *httpd_start(srv *s, const httpd_opts *o, sb *err);

/* The port actually bound (the chosen one when the option was 0). */
unsigned httpd_port(const httpd *h);

/* The printable bound address, e.g. "127.0.0.1" or "::1".  Borrowed. */
const char *httpd_addr(const httpd *h);

/*
** Stops accepting connections, lets requests already being read or
** answered finish (waiting at most grace_ms for them), then closes every
** connection and frees h.  The srv is left open for the caller to close.
** Sets *served (when not NULL) to the number of requests answered in all.
** Returns the number of requests that were still unfinished at the
** deadline (0 on a clean stop).
*/
unsigned httpd_stop(httpd *h, unsigned grace_ms, unsigned long *served);

/* 1 when the bound address is a loopback one (127.0.0.0/8 or ::1). */
int httpd_is_loopback(const httpd *h);
/* Before binding: 1 when every address host resolves to (as httpd_start
** would bind it) is a loopback one, 0 when one is not, -1 when it does
** not resolve. */
int httpd_host_is_loopback(const char *host);

#endif
