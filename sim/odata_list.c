/*
** odata_list.c: $orderby and $select, the two comma lists of column
** names; see odata.h.
**
** Each item is trimmed and looked up among the caller's fields by exact
** name, so no text of the option reaches SQL: $orderby writes the field's
** quoted name and a direction, $select returns field indices.  Positions
** in messages count characters from 1, as for $filter.
*/
#include "sim/odata.h"
#include "sim/odata_int.h"

#include <ctype.h>
#include <stdarg.h>
#include <string.h>

/* Finds the field named by s[0..n), or -1. */
static long
odata_field_find(const odata_field *fields, size_t nfields, const char *s,
    size_t n)
{
	for (size_t f = 0; f < nfields; f++)
		if (strlen(fields[f].name) == n &&
		    strncmp(fields[f].name, s, n) == 0)
			return (long)f;
	return -1;
}

/* Replaces err's text with the message. */
static void
odata_seterr(sb *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
odata_seterr(sb *err, const char *fmt, ...)
{
	va_list ap;
	sb_reset(err);
	va_start(ap, fmt);
	sb_vaddf(err, fmt, ap);
	va_end(ap);
}

/* Splits text on commas; calls item(ud, start, len, pos) for each trimmed
** item.  An empty item is an error. */
static int
odata_items(const char *text, sb *err, const char *what,
    int (*item)(void *, const char *, size_t, size_t, sb *),
    void *ud)
{
	const char *p = text ? text : "";

	for (;;) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		size_t a = 0, b = len;
		while (a < b && isspace((unsigned char)p[a]))
			a++;
		while (b > a && isspace((unsigned char)p[b - 1]))
			b--;
		size_t pos = odata_charpos(text, (size_t)(p - text) + a);
		if (a == b) {
			odata_seterr(err, "at position %zu: expected %s",
			    pos, what);
			return -1;
		}
		if (item(ud, p + a, b - a, pos, err) < 0)
			return -1;
		if (end == NULL)
			return 0;
		p = end + 1;
	}
}

typedef struct odata_ob {
	const odata_field	*fields;
	size_t			 nfields;
	sb			*out;
	int			 n;
} odata_ob;

static int
odata_ob_item(void *ud, const char *s, size_t len, size_t pos, sb *err)
{
	odata_ob *o = ud;
	size_t w = 0;
	long f;

	while (w < len && !isspace((unsigned char)s[w]))
		w++;
	f = odata_field_find(o->fields, o->nfields, s, w);
	if (f < 0) {
		odata_seterr(err, "at position %zu: unknown column "
		    "'%.*s'", pos, (int)(w > 64 ? 64 : w), s);
		return -1;
	}
	const char *dir = s + w;
	size_t dlen = len - w;
	while (dlen > 0 && isspace((unsigned char)*dir))
		dir++, dlen--;
	const char *sqldir = " ASC";
	if (dlen == 4 && strncmp(dir, "desc", 4) == 0)
		sqldir = " DESC";
	else if (dlen != 0 && !(dlen == 3 && strncmp(dir, "asc", 3) == 0)) {
		odata_seterr(err, "at position %zu: expected 'asc', "
		    "'desc', ',' or the end after '%s', found '%.*s'",
		    pos + (size_t)(dir - s), o->fields[f].name,
		    (int)(dlen > 64 ? 64 : dlen), dir);
		return -1;
	}
	if (o->n++)
		sb_add(o->out, ", ");
	sb_addsqlid(o->out, o->fields[f].name);
	sb_add(o->out, sqldir);
	return 0;
}

int
odata_orderby(const char *text, const odata_field *fields, size_t nfields,
    sb *out, sb *err)
{
	odata_ob o = { fields, nfields, out, 0 };
	return odata_items(text, err, "a column name", odata_ob_item,
	    &o);
}

typedef struct odata_sel {
	const odata_field	*fields;
	size_t			 nfields;
	size_t			*idx;
	size_t			*n;
} odata_sel;

static int
odata_sel_item(void *ud, const char *s, size_t len, size_t pos, sb *err)
{
	odata_sel *o = ud;
	long f;

	if (len == 1 && *s == '*') {
		for (size_t i = 0; i < o->nfields; i++) {
			size_t k;
			for (k = 0; k < *o->n; k++)
				if (o->idx[k] == i)
					break;
			if (k == *o->n)
				o->idx[(*o->n)++] = i;
		}
		return 0;
	}
	f = odata_field_find(o->fields, o->nfields, s, len);
	if (f < 0) {
		odata_seterr(err, "at position %zu: unknown column "
		    "'%.*s'", pos, (int)(len > 64 ? 64 : len), s);
		return -1;
	}
	for (size_t k = 0; k < *o->n; k++)
		if (o->idx[k] == (size_t)f)
			return 0;
	o->idx[(*o->n)++] = (size_t)f;
	return 0;
}

int
odata_select(const char *text, const odata_field *fields, size_t nfields,
    size_t *idx, size_t *n, sb *err)
{
	odata_sel o = { fields, nfields, idx, n };
	*n = 0;
	return odata_items(text, err, "a column name or '*'",
	    odata_sel_item, &o);
}