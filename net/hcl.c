/*
** hcl.c: a small HTTP/1.1 client over POSIX sockets (see hcl.h).
**
** Why not a library: the only peers are servers on loopback or a test
** deployment answering small JSON bodies, and the client must behave the
** same on every machine that builds synclab.  Why one connection per
** request: a keep-alive pool would make a response lost by the simulated
** network indistinguishable from one still on the wire; closing after each
** exchange keeps the transport stateless, like srv_handle itself.
*/
#include "net/hcl.h"
#include "lib/sb.h"
#include "lib/xmem.h"

#include <ctype.h>
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

/* A response larger than this is refused: no table answer comes close. */
#define HCL_MAX_RESPONSE	((size_t)64 << 20)

struct hcl {
	char	*url;
	char	*host;		/* as written, without brackets */
	char	*port;		/* decimal */
	char	*hosthdr;	/* the Host header: host[:port] */
	char	*prefix;	/* "" or "/api" (no trailing slash) */
};

hcl *
hcl_open(const char *url, sb *err)
{
	const char *p, *hend, *slash;
	hcl *c;

	if (strncasecmp(url, "http://", 7) != 0) {
		sb_setf(err, "\"%s\" is not an http:// URL%s", url,
		    strncasecmp(url, "https://", 8) == 0 ?
		    " (https is not supported: put a TLS proxy on loopback "
		    "in front of it)" : "");
		return NULL;
	}
	p = url + 7;
	slash = strchr(p, '/');
	if (slash == NULL)
		slash = p + strlen(p);
	c = xcalloc(1, sizeof *c);
	c->url = xstrdup(url);
	if (*p == '[') {
		hend = memchr(p, ']', (size_t)(slash - p));
		if (hend == NULL)
			goto bad;
		c->host = xstrndup(p + 1, (size_t)(hend - p - 1));
		hend++;
	} else {
		hend = memchr(p, ':', (size_t)(slash - p));
		if (hend == NULL)
			hend = slash;
		c->host = xstrndup(p, (size_t)(hend - p));
	}
	if (c->host[0] == '\0')
		goto bad;
	if (hend < slash && *hend == ':') {
		const char *d = hend + 1;
		long v = 0;
		if (d == slash)
			goto bad;
		for (; d < slash; d++) {
			if (!isdigit((unsigned char)*d))
				goto bad;
			v = v * 10 + (*d - '0');
			if (v > 65535)
				goto bad;
		}
		if (v == 0)
			goto bad;
		c->port = xasprintf("%ld", v);
	} else if (hend != slash) {
		goto bad;
	} else
		c->port = xstrdup("80");
	c->hosthdr = xstrndup(p, (size_t)(slash - p));
	c->prefix = xstrdup(slash);
	{
		size_t n = strlen(c->prefix);
		while (n > 0 && c->prefix[n - 1] == '/')
			c->prefix[--n] = '\0';
	}
	return c;
bad:
	sb_setf(err, "\"%s\": expected http://HOST[:PORT][/PATH] "
	    "with a port from 1 to 65535", url);
	hcl_close(c);
	return NULL;
}

void
hcl_close(hcl *c)
{
	if (c == NULL)
		return;
	free(c->url);
	free(c->host);
	free(c->port);
	free(c->hosthdr);
	free(c->prefix);
	free(c);
}

const char *
hcl_url(const hcl *c)
{
	return c->url;
}

/* Appends path with every byte outside the unreserved set and '/'
** percent-encoded. */
static void
hcl_addpath(sb *b, const char *path)
{
	static const char hex[] = "0123456789ABCDEF";
	for (const unsigned char *s = (const unsigned char *)path; *s; s++) {
		if (isalnum(*s) || strchr("/-._~", *s) != NULL)
			sb_addc(b, (char)*s);
		else {
			sb_addc(b, '%');
			sb_addc(b, hex[*s >> 4]);
			sb_addc(b, hex[*s & 15]);
		}
	}
}

/* Waits until fd is ready for events; 0, or -1 at the deadline. */
static int
hcl_wait(int fd, short events, int timeout_ms)
{
	struct pollfd pf = { fd, events, 0 };
	int rc;
	do
		rc = poll(&pf, 1, timeout_ms);
	while (rc < 0 && errno == EINTR);
	return rc > 0 ? 0 : -1;
}

static int
hcl_connect(const hcl *c, int timeout_ms, sb *err)
{
	struct addrinfo hints, *res = NULL, *ai;
	int fd = -1, rc;

	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	rc = getaddrinfo(c->host, c->port, &hints, &res);
	if (rc != 0) {
		sb_setf(err, "cannot resolve %s: %s", c->host,
		    gai_strerror(rc));
		return -1;
	}
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
		if (fd < 0)
			continue;
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
			break;
		close(fd);
		fd = -1;
	}
	if (fd < 0)
		sb_setf(err, "cannot connect to %s:%s: %s", c->host,
		    c->port, strerror(errno));
	freeaddrinfo(res);
	(void)timeout_ms;
	return fd;
}

static int
hcl_write_all(int fd, const char *p, size_t n, int timeout_ms)
{
	while (n > 0) {
		if (hcl_wait(fd, POLLOUT, timeout_ms) != 0)
			return -1;
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Decodes a chunked body in place: returns its length, or -1 when it is
** not well formed or not complete. */
static long
hcl_unchunk(char *b, size_t n)
{
	size_t in = 0, out = 0;
	for (;;) {
		char *end;
		if (in >= n)
			return -1;
		unsigned long len = strtoul(b + in, &end, 16);
		if (end == b + in)
			return -1;
		char *crlf = strstr(end, "\r\n");
		if (crlf == NULL)
			return -1;
		in = (size_t)(crlf - b) + 2;
		if (len == 0)
			return (long)out;
		if (len > n - in || n - in - len < 2)
			return -1;
		memmove(b + out, b + in, len);
		out += len;
		in += len + 2;
	}
}

/* Parses the raw response buf[0..n) into resp.  0, or -1 with err. */
static int
hcl_parse(char *buf, size_t n, http_resp *resp, sb *err)
{
	char *hend = strstr(buf, "\r\n\r\n");
	int status;
	if (hend == NULL || sscanf(buf, "HTTP/1.%*1[01] %3d", &status) != 1 ||
	    status < 100 || status > 599) {
		sb_setf(err, "the answer is not an HTTP response");
		return -1;
	}
	*hend = '\0';
	char *body = hend + 4;
	size_t blen = n - (size_t)(body - buf);
	int chunked = 0;
	long clen = -1;
	http_resp_init(resp, status);
	char *line = strstr(buf, "\r\n");
	while (line != NULL) {
		line += 2;
		char *next = strstr(line, "\r\n");
		if (next)
			*next = '\0';
		char *colon = strchr(line, ':');
		if (colon) {
			*colon = '\0';
			char *v = colon + 1;
			while (*v == ' ' || *v == '\t')
				v++;
			size_t vl = strlen(v);
			while (vl > 0 && (v[vl - 1] == ' ' || v[vl - 1] == '\t'))
				v[--vl] = '\0';
			if (strcasecmp(line, "Transfer-Encoding") == 0 &&
			    strcasecmp(v, "chunked") == 0)
				chunked = 1;
			else if (strcasecmp(line, "Content-Length") == 0)
				clen = strtol(v, NULL, 10);
			http_resp_add_header(resp, line, v);
		}
		line = next;
	}
	if (chunked) {
		long m = hcl_unchunk(body, blen);
		if (m < 0) {
			http_resp_free(resp);
			sb_setf(err, "a chunked body was cut short");
			return -1;
		}
		blen = (size_t)m;
	} else if (clen >= 0) {
		if ((size_t)clen > blen) {
			http_resp_free(resp);
			sb_setf(err, "the body was cut short (%zu of "
			    "%ld bytes)", blen, clen);
			return -1;
		}
		blen = (size_t)clen;
	}
	if (blen > 0) {
		char *copy = xstrndup(body, blen);
		http_resp_set_body(resp, copy);
		free(copy);
	}
	return 0;
}

int
hcl_send(hcl *c, const http_req *req, http_resp *resp, int timeout_ms,
    sb *err)
{
	sb out = SB_INIT, in = SB_INIT;
	int fd, rc = -1;
	size_t blen = req->body ? strlen(req->body) : 0;

	http_resp_init(resp, 0);
	sb_add(&out, req->method);
	sb_addc(&out, ' ');
	sb_add(&out, c->prefix);
	hcl_addpath(&out, req->path);
	if (req->query) {
		sb_addc(&out, '?');
		sb_add(&out, req->query);
	}
	sb_add(&out, " HTTP/1.1\r\nHost: ");
	sb_add(&out, c->hosthdr);
	sb_add(&out, "\r\nConnection: close\r\n");
	for (size_t i = 0; i < req->nhdrs; i++) {
		if (strcasecmp(req->hdrs[i].name, "Host") == 0 ||
		    strcasecmp(req->hdrs[i].name, "Content-Length") == 0 ||
		    strcasecmp(req->hdrs[i].name, "Connection") == 0)
			continue;
		sb_addf(&out, "%s: %s\r\n", req->hdrs[i].name,
		    req->hdrs[i].value);
	}
	if (req->body)
		sb_addf(&out, "Content-Length: %zu\r\n", blen);
	sb_add(&out, "\r\n");
	if (req->body)
		sb_add(&out, req->body);

	fd = hcl_connect(c, timeout_ms, err);
	if (fd < 0)
		goto done;
	if (hcl_write_all(fd, sb_str(&out), strlen(sb_str(&out)),
	    timeout_ms) != 0) {
		sb_setf(err, "%s: cannot send the request: %s",
		    c->url, errno ? strerror(errno) : "timed out");
		goto done;
	}
	for (;;) {
		char chunk[8192];
		if (hcl_wait(fd, POLLIN, timeout_ms) != 0) {
			sb_setf(err, "%s: no answer within %d ms",
			    c->url, timeout_ms);
			goto done;
		}
		ssize_t r = recv(fd, chunk, sizeof chunk, 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			sb_setf(err, "%s: %s", c->url, strerror(errno));
			goto done;
		}
		if (r == 0)
			break;
		sb_addn(&in, chunk, (size_t)r);
		if (in.len > HCL_MAX_RESPONSE) {
			sb_setf(err, "%s: the answer is over %zu bytes",
			    c->url, HCL_MAX_RESPONSE);
			goto done;
		}
	}
	{
		size_t n = in.len;
		char *raw = sb_take(&in);
		rc = hcl_parse(raw, n, resp, err);
		free(raw);
	}
done:
	if (fd >= 0)
		close(fd);
	sb_free(&out);
	sb_free(&in);
	return rc;
}
