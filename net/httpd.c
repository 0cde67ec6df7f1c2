/*
** httpd.c: the simulated backend over real HTTP/1.1 (libmicrohttpd).
**
** libmicrohttpd calls httpd_access() several times per request: once when
** the headers are in, once per chunk of body, and once more with no data
** when the body is complete.  The per-request state (struct httpd_rq) is
** created by the URI log callback, which sees the raw request target
** before libmicrohttpd unescapes the path and splits off the query; srv
** wants the raw query string (it decodes $filter itself) and a path that
** is percent-decoded exactly once, so both come from that raw target.
**
** Threads: libmicrohttpd runs a small pool of polling threads.  Parsing,
** body buffering and logging run on them in parallel; srv_handle() runs
** under h->lock, which also guards the PRNG that feeds it entropy.
*/
#include "net/httpd.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "lib/sb.h"
#include "lib/xmem.h"
#include "lib/rng.h"
#include "sim/wire.h"

/* The methods the table endpoints answer with a body; any other one is
** answered before its body is read. */
#define HTTPD_ALLOW	"GET, POST, PATCH, DELETE"

/* Longest path or header value written to the log (they come from the
** client, so the log line is bounded and made printable). */
#define HTTPD_LOG_FIELD	200

struct httpd {
	struct MHD_Daemon	*d;
	srv			*s;
	pthread_mutex_t		 lock;		/* srv_handle and rng */
	rng			 rng;
	FILE			*log;
	size_t			 max_body;
	unsigned		 port;
	int			 loopback;
	char			 addr[INET6_ADDRSTRLEN];
	atomic_uint		 inflight;	/* requests begun, not completed */
	atomic_ulong		 served;
	atomic_int		 stopping;
};

/* One request, from the URI log callback to the completion callback. */
struct httpd_rq {
	char		*target;	/* raw request target: path?query */
	int		 started;	/* the first access call was made */
	int		 answered;	/* a response is queued */
	int		 too_big;	/* body over the limit: drop the rest */
	struct timespec	 t0;
	sb		 body;
};

static double
httpd_elapsed_ms(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) * 1e3 +
	    (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

/* Appends s to b, bounded and with anything unprintable (or a space, which
** would make the line ambiguous to split) replaced by '?'. */
static void
httpd_log_field(sb *b, const char *s)
{
	size_t i;

	if (s == NULL || *s == '\0') {
		sb_addc(b, '-');
		return;
	}
	for (i = 0; s[i] != '\0' && i < HTTPD_LOG_FIELD; i++) {
		unsigned char c = (unsigned char)s[i];
		sb_addc(b, (c <= 0x20 || c >= 0x7f) ? '?' : (char)c);
	}
	if (s[i] != '\0')
		sb_add(b, "...");
}

/*
** One line per request, in the spirit of `az webapp log tail`:
**   2026-11-27T15:02:03.123Z PATCH /tables/todoitem/1 if-match="MQ==" 412 0.41ms
** Lines are written whole (one fputs under the stream lock) and flushed,
** so concurrent requests never interleave and `tail -f` sees them at once.
*/
static void
httpd_log(httpd *h, struct MHD_Connection *c, struct httpd_rq *rq,
    const char *method, int status)
{
	char when[32];
	sb line = SB_INIT;

	if (h->log == NULL)
		return;
	wire_format_time(srv_now_ms(), when);
	sb_addf(&line, "%s ", when);
	httpd_log_field(&line, method);
	sb_addc(&line, ' ');
	httpd_log_field(&line, rq->target);
	sb_add(&line, " if-match=");
	httpd_log_field(&line, MHD_lookup_connection_value(c, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_IF_MATCH));
	sb_addf(&line, " %d %.2fms\n", status, httpd_elapsed_ms(&rq->t0));
	flockfile(h->log);
	fputs(sb_str(&line), h->log);
	fflush(h->log);
	funlockfile(h->log);
	sb_free(&line);
}

/* Queues a response built from an http_resp; the body is copied. */
static enum MHD_Result
httpd_queue(httpd *h, struct MHD_Connection *c, struct httpd_rq *rq,
    const char *method, const http_resp *resp)
{
	struct MHD_Response *r;
	const char *body = resp->body != NULL ? resp->body : "";
	enum MHD_Result ret;
	int has_type = 0;

	r = MHD_create_response_from_buffer(strlen(body), (void *)(uintptr_t)body,
	    MHD_RESPMEM_MUST_COPY);
	if (r == NULL)
		return MHD_NO;
	for (size_t i = 0; i < resp->nhdrs; i++) {
		if (strcasecmp(resp->hdrs[i].name, "Content-Type") == 0)
			has_type = 1;
		MHD_add_response_header(r, resp->hdrs[i].name, resp->hdrs[i].value);
	}
	if (!has_type && resp->body != NULL)
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
		    "application/json; charset=utf-8");
	/* While stopping, ask keep-alive clients to go away so the grace
	** period is spent on requests, not on idle connections. */
	if (atomic_load(&h->stopping))
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONNECTION, "close");
	ret = MHD_queue_response(c, (unsigned int)resp->status, r);
	MHD_destroy_response(r);
	rq->answered = 1;
	atomic_fetch_add(&h->served, 1);
	httpd_log(h, c, rq, method, resp->status);
	return ret;
}

/* An answer made by the front end itself: {"error": msg}. */
static enum MHD_Result
httpd_error(httpd *h, struct MHD_Connection *c, struct httpd_rq *rq,
    const char *method, int status, const char *msg)
{
	http_resp resp;
	sb body = SB_INIT;
	enum MHD_Result ret;

	http_resp_init(&resp, status);
	sb_add(&body, "{\"error\":");
	sb_addjson(&body, msg);
	sb_addc(&body, '}');
	http_resp_set_body(&resp, sb_str(&body));
	sb_free(&body);
	if (status == 405)
		http_resp_add_header(&resp, "Allow", HTTPD_ALLOW);
	ret = httpd_queue(h, c, rq, method, &resp);
	http_resp_free(&resp);
	return ret;
}

static enum MHD_Result
httpd_too_big(httpd *h, struct MHD_Connection *c, struct httpd_rq *rq,
    const char *method)
{
	char msg[96];

	snprintf(msg, sizeof msg, "The request body is larger than the limit "
	    "of %zu bytes", h->max_body);
	return httpd_error(h, c, rq, method, 413, msg);
}

static int
httpd_method_allowed(const char *method)
{
	/* PUT carries an installation to /push/installations/{id}. */
	return strcmp(method, "GET") == 0 || strcmp(method, "POST") == 0 ||
	    strcmp(method, "PATCH") == 0 || strcmp(method, "DELETE") == 0 ||
	    strcmp(method, "PUT") == 0;
}

static enum MHD_Result
httpd_copy_header(void *cls, enum MHD_ValueKind kind, const char *key,
    const char *value)
{
	http_req *req = cls;

	(void)kind;
	if (key != NULL)
		http_req_add_header(req, key, value != NULL ? value : "");
	return MHD_YES;
}

/* The whole request is in: hand it to srv and queue its answer. */
static enum MHD_Result
httpd_dispatch(httpd *h, struct MHD_Connection *c, struct httpd_rq *rq,
    const char *method)
{
	http_req req;
	http_resp resp;
	char *path, *query, *q;
	enum MHD_Result ret;

	if (rq->too_big)
		return httpd_too_big(h, c, rq, method);
	/* srv works on NUL-terminated text; a body with a NUL inside would be
	** silently cut there, so it is refused whole. */
	if (rq->body.len > 0 && memchr(rq->body.s, '\0', rq->body.len) != NULL)
		return httpd_error(h, c, rq, method, 400,
		    "The request body contains a NUL byte");

	q = strchr(rq->target, '?');
	if (q != NULL) {
		char *raw = xstrndup(rq->target, (size_t)(q - rq->target));
		path = http_unescape(raw);
		free(raw);
		query = q + 1;
	} else {
		path = http_unescape(rq->target);
		query = NULL;
	}
	http_req_init(&req, method, path, query);
	free(path);
	MHD_get_connection_values(c, MHD_HEADER_KIND, httpd_copy_header, &req);
	if (rq->body.len > 0) {
		/* Handed over, not copied: the body may be a megabyte. */
		req.body_len = rq->body.len;
		req.body = sb_take(&rq->body);
	}
	http_resp_init(&resp, 500);

	pthread_mutex_lock(&h->lock);
	srv_handle(h->s, &req, srv_now_ms(), rng_next(&h->rng), &resp);
	pthread_mutex_unlock(&h->lock);

	ret = httpd_queue(h, c, rq, method, &resp);
	http_resp_free(&resp);
	http_req_free(&req);
	return ret;
}

static enum MHD_Result
httpd_access(void *cls, struct MHD_Connection *c, const char *url,
    const char *method, const char *version, const char *upload,
    size_t *upload_size, void **ctx)
{
	httpd *h = cls;
	struct httpd_rq *rq = *ctx;

	(void)version;
	if (rq == NULL) {
		/* Only when the URI log callback did not run (it always does
		** with the options set in httpd_start). */
		rq = xcalloc(1, sizeof *rq);
		rq->target = xstrdup(url);
		*ctx = rq;
	}
	if (rq->answered) {
		/* An early answer (405, 413) is queued; swallow the body. */
		*upload_size = 0;
		return MHD_YES;
	}
	if (!rq->started) {
		const char *cl;

		rq->started = 1;
		clock_gettime(CLOCK_MONOTONIC, &rq->t0);
		atomic_fetch_add(&h->inflight, 1);
		if (strlen(method) >= sizeof ((http_req *)0)->method)
			return httpd_error(h, c, rq, method, 405,
			    "The method is not supported by the table endpoints");
		/* Other methods are answered at once, without reading a
		** body: srv says 405 (with the Allow of that path), or 404
		** or 400 when the path or the API version is wrong. */
		if (!httpd_method_allowed(method))
			return httpd_dispatch(h, c, rq, method);
		/* A declared length over the limit is refused before a byte
		** of the body is read; a chunked body is counted as it comes. */
		cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
		    MHD_HTTP_HEADER_CONTENT_LENGTH);
		if (cl != NULL) {
			char *end;
			unsigned long long n;

			errno = 0;
			n = strtoull(cl, &end, 10);
			if (errno != 0 || end == cl || n > h->max_body) {
				rq->too_big = 1;
				return httpd_too_big(h, c, rq, method);
			}
		}
		return MHD_YES;
	}
	if (*upload_size > 0) {
		if (!rq->too_big) {
			if (rq->body.len + *upload_size > h->max_body) {
				rq->too_big = 1;
				sb_free(&rq->body);
			} else
				sb_addn(&rq->body, upload, *upload_size);
		}
		*upload_size = 0;
		return MHD_YES;
	}
	return httpd_dispatch(h, c, rq, method);
}

static void *
httpd_uri_log(void *cls, const char *uri, struct MHD_Connection *c)
{
	struct httpd_rq *rq;

	(void)cls;
	(void)c;
	rq = xcalloc(1, sizeof *rq);
	rq->target = xstrdup(uri != NULL ? uri : "/");
	return rq;
}

static void
httpd_completed(void *cls, struct MHD_Connection *c, void **ctx,
    enum MHD_RequestTerminationCode toe)
{
	httpd *h = cls;
	struct httpd_rq *rq = *ctx;

	(void)c;
	(void)toe;
	if (rq == NULL)
		return;
	if (rq->started)
		atomic_fetch_sub(&h->inflight, 1);
	sb_free(&rq->body);
	free(rq->target);
	free(rq);
	*ctx = NULL;
}

/* libmicrohttpd's own error messages (bind failures, accept errors), on
** stderr with the program's prefix.  Its messages end with a newline. */
static void
httpd_mhd_log(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	flockfile(stderr);
	fputs("synclab: serve: libmicrohttpd: ", stderr);
	vfprintf(stderr, fmt, ap);
	funlockfile(stderr);
}

/* Writes the bound port and address of the listening socket into h. */
static int
httpd_bound(httpd *h, sb *err)
{
	const union MHD_DaemonInfo *info;
	struct sockaddr_storage ss;
	socklen_t len = sizeof ss;

	info = MHD_get_daemon_info(h->d, MHD_DAEMON_INFO_LISTEN_FD);
	if (info == NULL ||
	    getsockname(info->listen_fd, (struct sockaddr *)&ss, &len) != 0) {
		sb_setf(err, "cannot read the bound address: %s",
		    strerror(errno));
		return -1;
	}
	if (ss.ss_family == AF_INET6) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
		h->port = ntohs(a->sin6_port);
		inet_ntop(AF_INET6, &a->sin6_addr, h->addr, sizeof h->addr);
		h->loopback = IN6_IS_ADDR_LOOPBACK(&a->sin6_addr);
	} else {
		struct sockaddr_in *a = (struct sockaddr_in *)&ss;
		h->port = ntohs(a->sin_port);
		inet_ntop(AF_INET, &a->sin_addr, h->addr, sizeof h->addr);
		h->loopback = (ntohl(a->sin_addr.s_addr) >> 24) == 127;
	}
	return 0;
}

httpd *
httpd_start(srv *s, const httpd_opts *o, sb *err)
{
	struct addrinfo hints, *ai = NULL;
	char portstr[16];
	const char *host = o->host != NULL ? o->host : "127.0.0.1";
	unsigned threads = o->threads;
	unsigned int flags;
	httpd *h;
	int rc;

	if (o->port > 65535) {
		sb_setf(err, "port %u is out of range (0-65535)", o->port);
		return NULL;
	}
	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	snprintf(portstr, sizeof portstr, "%u", o->port);
	rc = getaddrinfo(host, portstr, &hints, &ai);
	if (rc != 0 || ai == NULL) {
		sb_setf(err, "cannot resolve host \"%s\": %s", host,
		    rc != 0 ? gai_strerror(rc) : "no address");
		if (ai != NULL)
			freeaddrinfo(ai);
		return NULL;
	}
	if (threads == 0) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		threads = n < 2 ? 2 : n > 8 ? 8 : (unsigned)n;
	}

	h = xcalloc(1, sizeof *h);
	h->s = s;
	h->log = o->log;
	h->max_body = o->max_body != 0 ? o->max_body : HTTPD_MAX_BODY;
	rng_seed(&h->rng, o->seed);
	pthread_mutex_init(&h->lock, NULL);
	atomic_init(&h->inflight, 0);
	atomic_init(&h->served, 0);
	atomic_init(&h->stopping, 0);

	/* ITC lets httpd_stop quiesce the daemon (stop listening while the
	** open connections finish). */
	flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO | MHD_USE_ITC |
	    MHD_USE_ERROR_LOG;
	if (ai->ai_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	h->d = MHD_start_daemon(flags, (uint16_t)o->port, NULL, NULL,
	    httpd_access, h,
	    MHD_OPTION_EXTERNAL_LOGGER, httpd_mhd_log, h,	/* first: see MHD docs */
	    MHD_OPTION_SOCK_ADDR, ai->ai_addr,
	    MHD_OPTION_THREAD_POOL_SIZE, threads,
	    MHD_OPTION_URI_LOG_CALLBACK, httpd_uri_log, h,
	    MHD_OPTION_NOTIFY_COMPLETED, httpd_completed, h,
	    MHD_OPTION_CONNECTION_TIMEOUT, 30u,
	    MHD_OPTION_END);
	freeaddrinfo(ai);
	if (h->d == NULL) {
		sb_setf(err, "cannot listen on %s port %u: %s", host,
		    o->port, errno != 0 ? strerror(errno) : "libmicrohttpd refused");
		pthread_mutex_destroy(&h->lock);
		free(h);
		return NULL;
	}
	if (httpd_bound(h, err) != 0) {
		MHD_stop_daemon(h->d);
		pthread_mutex_destroy(&h->lock);
		free(h);
		return NULL;
	}
	return h;
}

unsigned
httpd_port(const httpd *h)
{
	return h->port;
}

const char *
httpd_addr(const httpd *h)
{
	return h->addr;
}

int
httpd_is_loopback(const httpd *h)
{
	return h->loopback;
}

int
httpd_host_is_loopback(const char *host)
{
	struct addrinfo hints, *ai = NULL;
	int all = 1;
	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	if (getaddrinfo(host, "0", &hints, &ai) != 0 || ai == NULL) {
		if (ai != NULL)
			freeaddrinfo(ai);
		return -1;
	}
	for (struct addrinfo *p = ai; p != NULL; p = p->ai_next) {
		if (p->ai_family == AF_INET6) {
			const struct sockaddr_in6 *a =
			    (const struct sockaddr_in6 *)(void *)p->ai_addr;
			all &= IN6_IS_ADDR_LOOPBACK(&a->sin6_addr) != 0;
		} else if (p->ai_family == AF_INET) {
			const struct sockaddr_in *a =
			    (const struct sockaddr_in *)(void *)p->ai_addr;
			all &= (ntohl(a->sin_addr.s_addr) >> 24) == 127;
		} else
			all = 0;
	}
	freeaddrinfo(ai);
	return all;
}

unsigned
httpd_stop(httpd *h, unsigned grace_ms, unsigned long *served)
{
	MHD_socket fd;
	struct timespec pause = { 0, 5 * 1000 * 1000 };
	unsigned waited = 0, left;

	atomic_store(&h->stopping, 1);
	fd = MHD_quiesce_daemon(h->d);
	if (fd != MHD_INVALID_SOCKET)
		close(fd);
	/* Requests already begun run to their answer; idle keep-alive
	** connections do not count and are closed by MHD_stop_daemon. */
	while ((left = atomic_load(&h->inflight)) > 0 && waited < grace_ms) {
		nanosleep(&pause, NULL);
		waited += 5;
	}
	MHD_stop_daemon(h->d);
	if (served != NULL)
		*served = atomic_load(&h->served);
	pthread_mutex_destroy(&h->lock);
	free(h);
	return left;
}
