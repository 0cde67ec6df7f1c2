/*
** http.c: HTTP messages as plain data; see http.h.
**
** Everything here copies what it is given, so a request or response can
** outlive the buffers it was built from (the engine keeps messages in
** flight on its simulated network while the senders move on).
*/
#include "sim/http.h"
#include "lib/xmem.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Copies at most sizeof(dst) - 1 bytes of a method; methods are short. */
static void
http_set_method(char dst[16], const char *method)
{
	size_t n = method ? strlen(method) : 0;
	if (n > 15)
		n = 15;
	memcpy(dst, method ? method : "", n);
	dst[n] = '\0';
}

static void
http_hdrs_add(http_header **hdrs, size_t *n, const char *name,
    const char *value)
{
	*hdrs = xreallocarray(*hdrs, *n + 1, sizeof **hdrs);
	(*hdrs)[*n].name = xstrdup(name ? name : "");
	(*hdrs)[*n].value = xstrdup(value ? value : "");
	(*n)++;
}

static const char *
http_hdrs_find(const http_header *hdrs, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcasecmp(hdrs[i].name, name) == 0)
			return hdrs[i].value;
	return NULL;
}

static void
http_hdrs_free(http_header *hdrs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(hdrs[i].name);
		free(hdrs[i].value);
	}
	free(hdrs);
}

static http_header *
http_hdrs_copy(const http_header *hdrs, size_t n)
{
	if (n == 0)
		return NULL;
	http_header *c = xcalloc(n, sizeof *c);
	for (size_t i = 0; i < n; i++) {
		c[i].name = xstrdup(hdrs[i].name);
		c[i].value = xstrdup(hdrs[i].value);
	}
	return c;
}

void
http_req_init(http_req *r, const char *method, const char *path,
    const char *query)
{
	memset(r, 0, sizeof *r);
	http_set_method(r->method, method);
	r->path = xstrdup(path ? path : "");
	r->query = query ? xstrdup(query) : NULL;
}

void
http_req_add_header(http_req *r, const char *name, const char *value)
{
	http_hdrs_add(&r->hdrs, &r->nhdrs, name, value);
}

void
http_req_set_body(http_req *r, const char *body)
{
	free(r->body);
	r->body = body ? xstrdup(body) : NULL;
	r->body_len = body ? strlen(body) : 0;
}

const char *
http_req_header(const http_req *r, const char *name)
{
	return http_hdrs_find(r->hdrs, r->nhdrs, name);
}

void
http_req_copy(http_req *dst, const http_req *src)
{
	http_req c;

	/* Built aside first so that copying a request onto itself works. */
	memset(&c, 0, sizeof c);
	memcpy(c.method, src->method, sizeof c.method);
	c.method[sizeof c.method - 1] = '\0';
	c.path = xstrdup(src->path ? src->path : "");
	c.query = src->query ? xstrdup(src->query) : NULL;
	c.hdrs = http_hdrs_copy(src->hdrs, src->nhdrs);
	c.nhdrs = src->nhdrs;
	if (src->body) {
		/* body_len may cover bytes past an embedded NUL: keep them.
		** A body set by hand without a length is a C string. */
		size_t n = src->body_len ? src->body_len : strlen(src->body);
		c.body = xmalloc(n + 1);
		memcpy(c.body, src->body, n);
		c.body[n] = '\0';
		c.body_len = n;
	}
	if (dst == src)
		http_req_free(dst);
	*dst = c;
}

void
http_req_free(http_req *r)
{
	if (r == NULL)
		return;
	free(r->path);
	free(r->query);
	http_hdrs_free(r->hdrs, r->nhdrs);
	free(r->body);
	memset(r, 0, sizeof *r);
}

void
http_resp_init(http_resp *r, int status)
{
	memset(r, 0, sizeof *r);
	r->status = status;
}

void
http_resp_add_header(http_resp *r, const char *name, const char *value)
{
	http_hdrs_add(&r->hdrs, &r->nhdrs, name, value);
}

void
http_resp_set_body(http_resp *r, const char *body)
{
	free(r->body);
	r->body = body ? xstrdup(body) : NULL;
}

const char *
http_resp_header(const http_resp *r, const char *name)
{
	return http_hdrs_find(r->hdrs, r->nhdrs, name);
}

void
http_resp_copy(http_resp *dst, const http_resp *src)
{
	http_resp c;

	memset(&c, 0, sizeof c);
	c.status = src->status;
	c.hdrs = http_hdrs_copy(src->hdrs, src->nhdrs);
	c.nhdrs = src->nhdrs;
	c.body = src->body ? xstrdup(src->body) : NULL;
	if (dst == src)
		http_resp_free(dst);
	*dst = c;
}

void
http_resp_free(http_resp *r)
{
	if (r == NULL)
		return;
	http_hdrs_free(r->hdrs, r->nhdrs);
	free(r->body);
	memset(r, 0, sizeof *r);
}

const char *
http_reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 204: return "No Content";
	case 304: return "Not Modified";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 408: return "Request Timeout";
	case 409: return "Conflict";
	case 410: return "Gone";
	case 412: return "Precondition Failed";
	case 413: return "Payload Too Large";
	case 415: return "Unsupported Media Type";
	case 429: return "Too Many Requests";
	case 500: return "Internal Server Error";
	case 501: return "Not Implemented";
	case 502: return "Bad Gateway";
	case 503: return "Service Unavailable";
	case 504: return "Gateway Timeout";
	default:  return "Unknown";
	}
}

static int
http_hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
** Decodes n bytes of s.  A '%' not followed by two hex digits stays as it
** is (browsers and Node do the same), and so does "%00": decoding it would
** cut the C string short and silently turn "a%00b" into "a".
*/
static char *
http_decode(const char *s, size_t n, int plus_is_space)
{
	char *out = xmalloc(n + 1), *o = out;
	for (size_t i = 0; i < n; i++) {
		int hi, lo;
		if (s[i] == '%' && i + 2 < n &&
		    (hi = http_hexval((unsigned char)s[i + 1])) >= 0 &&
		    (lo = http_hexval((unsigned char)s[i + 2])) >= 0 &&
		    (hi | lo) != 0) {
			*o++ = (char)(hi * 16 + lo);
			i += 2;
		} else if (s[i] == '+' && plus_is_space)
			*o++ = ' ';
		else
			*o++ = s[i];
	}
	*o = '\0';
	return out;
}

char *
http_unescape(const char *s)
{
	if (s == NULL)
		return xstrdup("");
	return http_decode(s, strlen(s), 0);
}

char *
http_escape(const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = s ? strlen(s) : 0;
	char *out = xmalloc(n * 3 + 1), *o = out;

	/* Only RFC 3986 unreserved characters pass; everything else, '&',
	** '=', '+', '#', '%' and every byte of a multi-byte character
	** included, is encoded, so the result is safe as a query value and
	** as a path segment. */
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (isalnum(c) && c < 0x80)
			*o++ = (char)c;
		else if (c == '-' || c == '.' || c == '_' || c == '~')
			*o++ = (char)c;
		else {
			*o++ = '%';
			*o++ = hex[c >> 4];
			*o++ = hex[c & 15];
		}
	}
	*o = '\0';
	return out;
}

/*
** Query strings are scanned in place: pairs are split on '&', the name is
** decoded before it is compared (so "%24top" finds "$top") and the first
** occurrence wins.  A name without '=' has the empty value "" (as Node's
** querystring and URLSearchParams give), so a caller that only cares about
** presence (__includeDeleted) and one that wants a value both get an
** answer; the result is NULL only when the name does not appear.
*/
char *
http_query_get(const char *query, const char *name, int *present)
{
	if (present)
		*present = 0;
	if (query == NULL || name == NULL)
		return NULL;
	const char *p = query;
	while (*p) {
		const char *end = strchr(p, '&');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		const char *eq = memchr(p, '=', len);
		size_t nlen = eq ? (size_t)(eq - p) : len;
		char *key = http_decode(p, nlen, 1);
		int match = strcmp(key, name) == 0;
		free(key);
		if (match && len > 0) {
			if (present)
				*present = 1;
			if (eq == NULL)
				return xstrdup("");
			return http_decode(eq + 1, len - nlen - 1, 1);
		}
		if (end == NULL)
			break;
		p = end + 1;
	}
	return NULL;
}
