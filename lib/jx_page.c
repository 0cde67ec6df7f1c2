/*
** jx_page.c: the page reader; see jx.h.
**
** One pass over the text, no allocation per value: every row and every
** member is a span of the text.  The reader is strict JSON (RFC 8259: no
** control character inside a string, only the escapes JSON defines,
** numbers as JSON spells them), so what it accepts cJSON reads the same;
** anything else is refused whole, and the caller parses the text with
** cJSON instead.
*/
#include "lib/jx.h"
#include "lib/xmem.h"

#include <stdlib.h>
#include <string.h>

#define JX_PAGE_DEPTH	64	/* nesting inside a row's member values */

typedef struct jx_rd {
	const char	*p;
	const char	*end;
} jx_rd;

static void
jx_rd_ws(jx_rd *r)
{
	const char *p = r->p;
	while (p < r->end && (*p == ' ' || *p == '\n' || *p == '\t' ||
	    *p == '\r'))
		p++;
	r->p = p;
}

static int
jx_rd_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
	    (c >= 'A' && c <= 'F');
}

/* The escape at p (on its backslash) is one JSON allows: returns its
** length, or 0. */
static size_t
jx_rd_escape(const char *p, const char *end)
{
	if (end - p < 2)
		return 0;
	if (p[1] == 'u')
		return end - p >= 6 && jx_rd_hex(p[2]) && jx_rd_hex(p[3]) &&
		    jx_rd_hex(p[4]) && jx_rd_hex(p[5]) ? 6 : 0;
	return p[1] != '\0' && strchr("\"\\/bfnrt", p[1]) != NULL ? 2 : 0;
}

/* A string at r->p (its opening quote): v spans its text without the
** quotes, v->esc tells whether it holds escapes.  0, or -1. */
static int
jx_rd_string(jx_rd *r, jx_val *v)
{
	const char *p = r->p + 1, *start = p;
	int esc = 0;
	for (;;) {
		/* The next quote ends the string unless an escape holds it:
		** memchr finds it fast, and the bytes before it are looked at
		** once for control characters and backslashes. */
		const char *q = memchr(p, '"', (size_t)(r->end - p));
		if (q == NULL)
			return -1;
		for (; p < q; p++) {
			unsigned char c = (unsigned char)*p;
			if (c >= 0x20 && c != '\\')
				continue;
			if (c < 0x20)
				return -1;
			size_t k = jx_rd_escape(p, r->end);
			if (k == 0)
				return -1;
			esc = 1;
			p += k - 1;
		}
		if (p == q)
			break;
		/* An escape ran past q (it was \"): look for the next one. */
	}
	v->s = start;
	v->n = (size_t)(p - start);
	v->num = 0;
	v->kind = JX_STRING;
	v->esc = esc;
	r->p = p + 1;
	return 0;
}

static int
jx_rd_digits(jx_rd *r)
{
	const char *p = r->p;
	while (p < r->end && *p >= '0' && *p <= '9')
		p++;
	if (p == r->p)
		return -1;
	r->p = p;
	return 0;
}

/* A number as JSON spells it: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
static int
jx_rd_number(jx_rd *r, jx_val *v)
{
	const char *start = r->p;
	if (r->p < r->end && *r->p == '-')
		r->p++;
	if (r->p < r->end && *r->p == '0')
		r->p++;
	else if (jx_rd_digits(r) != 0)
		return -1;
	if (r->p < r->end && *r->p == '.') {
		r->p++;
		if (jx_rd_digits(r) != 0)
			return -1;
	}
	if (r->p < r->end && (*r->p == 'e' || *r->p == 'E')) {
		r->p++;
		if (r->p < r->end && (*r->p == '+' || *r->p == '-'))
			r->p++;
		if (jx_rd_digits(r) != 0)
			return -1;
	}
	v->s = start;
	v->n = (size_t)(r->p - start);
	v->num = 0;
	v->kind = JX_NUMBER;
	v->esc = 0;
	return 0;
}

static int jx_rd_value(jx_rd *r, jx_val *v, int depth);

/* A member name and its colon, with the white space around them. */
static int
jx_rd_key(jx_rd *r, jx_val *k)
{
	if (r->p >= r->end || *r->p != '"' || jx_rd_string(r, k) != 0)
		return -1;
	jx_rd_ws(r);
	if (r->p >= r->end || *r->p != ':')
		return -1;
	r->p++;
	jx_rd_ws(r);
	return 0;
}

/* After an element of a list that close ends: 1 when a comma says that
** another follows (it and the white space after it consumed), 0 at close
** (consumed), -1 at anything else. */
static int
jx_rd_next(jx_rd *r, char close)
{
	jx_rd_ws(r);
	if (r->p < r->end && (*r->p == ',' || *r->p == close)) {
		int more = *r->p == ',';
		r->p++;
		if (more)
			jx_rd_ws(r);
		return more;
	}
	return -1;
}

/* At an opening bracket: consumes it and the white space after, and the
** closing bracket too when the list is empty (returns 1 then). */
static int
jx_rd_open(jx_rd *r, char close)
{
	r->p++;
	jx_rd_ws(r);
	if (r->p < r->end && *r->p == close) {
		r->p++;
		return 1;
	}
	return 0;
}

/* The members or elements of an object or array at r->p, read to check
** them and then forgotten (only the whole value's span is kept). */
static int
jx_rd_nested(jx_rd *r, int depth)
{
	char close = *r->p == '{' ? '}' : ']';
	jx_val x;
	int more = !jx_rd_open(r, close);
	while (more == 1) {
		if ((close == '}' && jx_rd_key(r, &x) != 0) ||
		    jx_rd_value(r, &x, depth + 1) != 0)
			return -1;
		more = jx_rd_next(r, close);
	}
	return more;
}

/* One value at r->p (white space already skipped). */
static int
jx_rd_value(jx_rd *r, jx_val *v, int depth)
{
	static const struct {
		const char	*word;
		size_t		 n;
		jx_kind		 kind;
	} lits[] = { { "true", 4, JX_TRUE }, { "false", 5, JX_FALSE },
	    { "null", 4, JX_NULL } };
	const char *start = r->p;
	if (r->p >= r->end)
		return -1;
	switch (*r->p) {
	case '"':
		return jx_rd_string(r, v);
	case '{':
	case '[':
		if (depth >= JX_PAGE_DEPTH)
			return -1;
		v->kind = *r->p == '{' ? JX_OBJECT : JX_ARRAY;
		if (jx_rd_nested(r, depth) != 0)
			return -1;
		v->s = start;
		v->n = (size_t)(r->p - start);
		v->num = 0;
		v->esc = 0;
		return 0;
	default:
		break;
	}
	if (*r->p == '-' || (*r->p >= '0' && *r->p <= '9'))
		return jx_rd_number(r, v);
	for (size_t i = 0; i < sizeof lits / sizeof lits[0]; i++)
		if ((size_t)(r->end - r->p) >= lits[i].n &&
		    memcmp(r->p, lits[i].word, lits[i].n) == 0) {
			v->s = r->p;
			v->n = lits[i].n;
			v->num = 0;
			v->kind = lits[i].kind;
			v->esc = 0;
			r->p += lits[i].n;
			return 0;
		}
	return -1;
}

/* One row (an object) at r->p: its members appended to p. */
static int
jx_rd_row(jx_rd *r, jx_page *p)
{
	int more = !jx_rd_open(r, '}');
	while (more == 1) {
		if (p->nm == p->mcap) {
			p->mcap = p->mcap ? 2 * p->mcap : 256;
			p->m = xreallocarray(p->m, p->mcap, sizeof *p->m);
		}
		jx_member *m = &p->m[p->nm];
		if (jx_rd_key(r, &m->key) != 0)
			return -1;
		/* Most values of a page are strings: read them here. */
		if (r->p < r->end && *r->p == '"' ?
		    jx_rd_string(r, &m->val) != 0 :
		    jx_rd_value(r, &m->val, 0) != 0)
			return -1;
		p->nm++;
		more = jx_rd_next(r, '}');
	}
	return more;
}

int
jx_page_read(jx_page *p, const char *text, size_t len)
{
	jx_rd r = { text, text + len };
	p->nrows = 0;
	p->nm = 0;
	if (p->rcap == 0) {
		p->rcap = 64;
		p->rows = xreallocarray(NULL, p->rcap, sizeof *p->rows);
		p->first = xreallocarray(NULL, p->rcap, sizeof *p->first);
	}
	jx_rd_ws(&r);
	if (r.p >= r.end || *r.p != '[')
		goto bad;
	int more = !jx_rd_open(&r, ']');
	while (more == 1) {
		if (r.p >= r.end || *r.p != '{')
			goto bad;
		if (p->nrows + 1 >= p->rcap) {
			p->rcap *= 2;
			p->rows = xreallocarray(p->rows, p->rcap,
			    sizeof *p->rows);
			p->first = xreallocarray(p->first, p->rcap,
			    sizeof *p->first);
		}
		jx_val *row = &p->rows[p->nrows];
		const char *start = r.p;
		p->first[p->nrows] = p->nm;
		if (jx_rd_row(&r, p) != 0)
			goto bad;
		row->s = start;
		row->n = (size_t)(r.p - start);
		row->num = 0;
		row->kind = JX_OBJECT;
		row->esc = 0;
		p->nrows++;
		more = jx_rd_next(&r, ']');
	}
	jx_rd_ws(&r);
	if (more < 0 || r.p != r.end)
		goto bad;
	p->first[p->nrows] = p->nm;
	return 0;
bad:
	p->nrows = 0;
	p->nm = 0;
	return -1;
}

void
jx_page_free(jx_page *p)
{
	free(p->rows);
	free(p->first);
	free(p->m);
	memset(p, 0, sizeof *p);
}
