/*
** jx.c: JSON documents with positions; see jx.h.
**
** cJSON parses and keeps no positions; jx_index.c finds them, once per
** document, when the first error or lookup needs one.
*/
#include "lib/jx_int.h"
#include "lib/hash.h"
#include "lib/xmem.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
jx_text_linecol(const char *text, size_t len, size_t off, int *line,
    int *col)
{
	int l = 1, c = 1;
	for (size_t i = 0; i < off && i < len; i++) {
		if (text[i] == '\n') {
			l++;
			c = 1;
		} else if (((unsigned char)text[i] & 0xC0) != 0x80)
			c++;	/* count UTF-8 characters, not bytes */
	}
	*line = l;
	*col = c;
}

/* The document's index, built on first use.  The index is a cache: a
** const document gets one too (nothing a reader can see changes). */
static jx_index *
jx_ix(const jx_doc *d)
{
	if (d->ix == NULL)
		jx_index_build((jx_doc *)d, 0);
	return d->ix;
}

int
jx_locate(const jx_doc *d, const char *jpath, int *line, int *col)
{
	int exact;
	jx_index *ix = jx_ix(d);
	size_t off = jx_index_find(ix, d->text, jpath, &exact);
	if (!exact)
		return -1;
	jx_index_linecol(ix, d->text, d->len, off, line, col);
	return 0;
}

int
jx_locate_many(const jx_doc *d, const char *const *paths, size_t n,
    int *lines, int *cols)
{
	int found = 0;
	for (size_t i = 0; i < n; i++) {
		lines[i] = cols[i] = 1;
		found += jx_locate(d, paths[i], &lines[i], &cols[i]) == 0;
	}
	return found;
}

/* Whether the text ends inside a string or with an open bracket; *deep
** gets the offset of the first bracket that opens more levels than cJSON
** parses (CJSON_NESTING_LIMIT), or d->len when none does. */
static int
jx_unclosed(const jx_doc *d, size_t *deep)
{
	long depth = 0;
	int instr = 0;
	*deep = d->len;
	for (size_t i = 0; i < d->len; i++) {
		char c = d->text[i];
		if (instr) {
			if (c == '\\')
				i++;
			else if (c == '"')
				instr = 0;
		} else if (c == '"')
			instr = 1;
		else if (c == '{' || c == '[') {
			if (++depth > CJSON_NESTING_LIMIT && *deep == d->len)
				*deep = i;
		} else if (c == '}' || c == ']')
			depth--;
	}
	return instr || depth > 0;
}

/* Records the syntax error cJSON stopped at (ep: where it stopped). */
static void
jx_syntax(jx_doc *d, const char *ep)
{
	size_t off = 0, deep;
	if (ep && ep >= d->text && ep <= d->text + d->len)
		off = (size_t)(ep - d->text);
	const char *what = "JSON syntax error (a missing comma, quote or bracket?)";
	int unclosed = jx_unclosed(d, &deep);
	char buf[160];
	if (deep < d->len && off >= deep) {
		/* Valid or not, the parser gave up at its nesting limit. */
		off = deep;
		snprintf(buf, sizeof buf, "arrays and objects nested more than "
		    "%d deep (the JSON parser's limit)", CJSON_NESTING_LIMIT);
		what = buf;
	} else if (unclosed) {
		/* The text ended inside a string or with a bracket still open:
		** report it at the end, where the student will look. */
		off = d->len;
		what = "unexpected end of file (an unclosed string, { or [)";
	} else if (off < d->len && d->text[off] == ',')
		what = "JSON syntax error at ',' (a trailing comma?)";
	int l, c;
	jx_text_linecol(d->text, d->len, off, &l, &c);
	sb_addf(&d->errs, "%s:%d:%d: %s\n", d->name, l, c, what);
	d->nerr++;
}

const cJSON *
jx_dup_member(const cJSON *obj)
{
	size_t n = 0;
	if (!cJSON_IsObject(obj))
		return NULL;
	for (const cJSON *c = obj->child; c; c = c->next)
		n++;
	if (n <= 16) {
		for (const cJSON *a = obj->child; a; a = a->next)
			for (const cJSON *b = obj->child; b != a; b = b->next)
				if (a->string && b->string &&
				    strcmp(a->string, b->string) == 0)
					return a;
		return NULL;
	}
	/* A larger object: a hash set of the names seen, so the time stays
	** linear in the object's size. */
	size_t ns = 32;
	while (ns < 2 * n)
		ns *= 2;
	const cJSON **slot = xcalloc(ns, sizeof *slot);
	const cJSON *dup = NULL;
	for (const cJSON *a = obj->child; a && !dup; a = a->next) {
		if (a->string == NULL)
			continue;
		size_t h = (size_t)hash_key(a->string) & (ns - 1);
		for (; slot[h]; h = (h + 1) & (ns - 1))
			if (strcmp(slot[h]->string, a->string) == 0) {
				dup = a;
				break;
			}
		if (!dup)
			slot[h] = a;
	}
	free(slot);
	return dup;
}

/* Whether any object at or below v has two members with the same name
** (cJSON's tree is at most CJSON_NESTING_LIMIT deep). */
static int
jx_has_dups(const cJSON *v, int depth)
{
	if (depth > CJSON_NESTING_LIMIT + 1)
		return 0;
	if (jx_dup_member(v) != NULL)
		return 1;
	for (const cJSON *c = v ? v->child : NULL; c; c = c->next)
		if ((cJSON_IsObject(c) || cJSON_IsArray(c)) &&
		    jx_has_dups(c, depth + 1))
			return 1;
	return 0;
}

int
jx_load_text(jx_doc *d, const char *name, const char *text, size_t len)
{
	memset(d, 0, sizeof *d);
	d->name = xstrdup(name);
	d->text = xmalloc(len + 1);
	memcpy(d->text, text, len);
	d->text[len] = '\0';
	d->len = len;
	if (strlen(d->text) != len) {
		sb_addf(&d->errs, "%s:1:1: the file contains a NUL byte\n", name);
		d->nerr++;
		return -1;
	}
	/* The Opts form reports where parsing stopped without cJSON's global
	** error pointer, and refuses trailing garbage after the value. */
	const char *end = NULL;
	d->root = cJSON_ParseWithLengthOpts(d->text, d->len + 1, &end, 1);
	if (d->root == NULL) {
		jx_syntax(d, end);
		return -1;
	}
	/* cJSON silently keeps duplicate keys as siblings.  Finding them in
	** the tree is cheap; only when one exists is the text indexed at once,
	** which reports each where it is. */
	if (!jx_has_dups(d->root, 0))
		return 0;
	jx_index_build(d, 1);
	return d->nerr ? -1 : 0;
}

int
jx_load_file(jx_doc *d, const char *path)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL) {
		memset(d, 0, sizeof *d);
		d->name = xstrdup(path);
		sb_addf(&d->errs, "%s: cannot open: %s\n", path, strerror(errno));
		d->nerr++;
		return -1;
	}
	sb b = SB_INIT;
	int bad = sb_addfile(&b, f) != 0;
	fclose(f);
	if (bad) {
		memset(d, 0, sizeof *d);
		d->name = xstrdup(path);
		sb_addf(&d->errs, "%s: read error\n", path);
		d->nerr++;
		sb_free(&b);
		return -1;
	}
	int rc = jx_load_text(d, path, sb_str(&b), b.len);
	sb_free(&b);
	return rc;
}

jx_val
jx_val_of(const cJSON *v)
{
	jx_val x = { NULL, 0, 0, JX_ABSENT, 0 };
	if (v == NULL)
		return x;
	if (cJSON_IsString(v)) {
		x.kind = JX_STRING;
		x.s = v->valuestring;
		x.n = strlen(v->valuestring);
	} else if (cJSON_IsNumber(v)) {
		x.kind = JX_NUMBER;
		x.num = v->valuedouble;
	} else if (cJSON_IsTrue(v))
		x.kind = JX_TRUE;
	else if (cJSON_IsFalse(v))
		x.kind = JX_FALSE;
	else if (cJSON_IsObject(v))
		x.kind = JX_OBJECT;
	else if (cJSON_IsArray(v))
		x.kind = JX_ARRAY;
	else
		x.kind = JX_NULL;
	return x;
}

int
jx_is_id(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		    *s == '-'))
			return 0;
	return 1;
}

void
jx_free(jx_doc *d)
{
	free(d->name);
	free(d->text);
	cJSON_Delete(d->root);
	sb_free(&d->errs);
	jx_index_free(d->ix);
	memset(d, 0, sizeof *d);
}

int
jx_err_room(const jx_doc *d)
{
	return d->nerr - d->nomit < JX_ERR_SHOWN;
}

/* Counts an error that is not shown and rewrites the last line of errs,
** which says how many there are. */
static void
jx_err_omit(jx_doc *d)
{
	if (d->nomit == 0)
		d->errmark = d->errs.len;
	d->nerr++;
	d->nomit++;
	d->errs.len = d->errmark;
	sb_addf(&d->errs, "%s: %d more error%s not shown (the first %d are)\n",
	    d->name, d->nomit, d->nomit == 1 ? "" : "s", JX_ERR_SHOWN);
}

static void
jx_verr(jx_doc *d, size_t off, const char *jpath, const char *fmt,
    va_list ap)
{
	int l, c;
	jx_index_linecol(jx_ix(d), d->text, d->len, off, &l, &c);
	sb_addf(&d->errs, "%s:%d:%d: %s: ", d->name, l, c,
	    jpath && *jpath ? jpath : "(top level)");
	char msg[2048];
	vsnprintf(msg, sizeof msg, fmt, ap);
	sb_add(&d->errs, msg);
	sb_addc(&d->errs, '\n');
	d->nerr++;
}

void
jx_err_off(jx_doc *d, size_t off, const char *jpath, const char *fmt, ...)
{
	if (!jx_err_room(d)) {
		jx_err_omit(d);
		return;
	}
	va_list ap;
	va_start(ap, fmt);
	jx_verr(d, off, jpath, fmt, ap);
	va_end(ap);
}

void
jx_err(jx_doc *d, const char *jpath, const char *fmt, ...)
{
	if (!jx_err_room(d)) {
		jx_err_omit(d);
		return;
	}
	/* Not in the text: at the nearest ancestor that is. */
	int exact;
	size_t off = jx_index_find(jx_ix(d), d->text, jpath ? jpath : "",
	    &exact);
	va_list ap;
	va_start(ap, fmt);
	jx_verr(d, off, jpath, fmt, ap);
	va_end(ap);
}

char *
jx_path(char *buf, size_t n, const char *parent, const char *key)
{
	snprintf(buf, n, "%s%s%s", parent, *parent ? "." : "", key);
	return buf;
}

char *
jx_pathi(char *buf, size_t n, const char *parent, size_t index)
{
	snprintf(buf, n, "%s[%zu]", parent, index);
	return buf;
}

static const char *
jx_typename(const cJSON *v)
{
	if (cJSON_IsString(v)) return "a string";
	if (cJSON_IsNumber(v)) return "a number";
	if (cJSON_IsBool(v)) return "a boolean";
	if (cJSON_IsNull(v)) return "null";
	if (cJSON_IsArray(v)) return "an array";
	if (cJSON_IsObject(v)) return "an object";
	return "invalid";
}

/*
** The typed getters share one shape: find the member, check its type with
** is(), report "must be WHAT, not TYPE" otherwise.  Returns the value (or
** NULL) and the getter's return code in *rc.  The member's path is built
** only for an error: on the common path (present, right type) a getter
** costs one lookup, which keeps loading a large question bank fast.
*/
static const cJSON *
jx_typed(jx_doc *d, const cJSON *obj, const char *objpath, const char *key,
    int required, cJSON_bool (*is)(const cJSON *), const char *what, int *rc)
{
	char p[1024];
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	if (v == NULL) {
		*rc = 0;
		if (required) {
			jx_err(d, objpath, "missing required \"%s\"", key);
			*rc = -1;
		}
		return NULL;
	}
	if (!is(v)) {
		jx_err(d, jx_path(p, sizeof p, objpath, key),
		    "must be %s, not %s", what, jx_typename(v));
		*rc = -1;
		return NULL;
	}
	*rc = 1;
	return v;
}

int
jx_str(jx_doc *d, const cJSON *obj, const char *objpath, const char *key,
    int required, const char **out)
{
	int rc;
	const cJSON *v = jx_typed(d, obj, objpath, key, required,
	    cJSON_IsString, "a string", &rc);
	if (v)
		*out = v->valuestring;
	return rc;
}

int
jx_num(jx_doc *d, const cJSON *obj, const char *objpath, const char *key,
    int required, double *out)
{
	int rc;
	const cJSON *v = jx_typed(d, obj, objpath, key, required,
	    cJSON_IsNumber, "a number", &rc);
	if (v)
		*out = v->valuedouble;
	return rc;
}

int
jx_whole(double x, long long min, long long max, long long *out)
{
	/* The range first, in double: converting a double that does not fit
	** a long long is undefined.  2^63 is the first double past LLONG_MAX
	** ((double)max may round up to it). */
	if (!(x >= (double)min && x <= (double)max) || x >= 0x1p63 ||
	    x < -0x1p63)
		return -2;
	long long v = (long long)x;
	if ((double)v != x)
		return -1;
	if (v < min || v > max)
		return -2;	/* (double)min or max was rounded */
	*out = v;
	return 0;
}

int
jx_int_val(jx_doc *d, const cJSON *v, const char *path, long long min,
    long long max, long long *out)
{
	if (!cJSON_IsNumber(v)) {
		jx_err(d, path, "must be a whole number from %lld to %lld, not %s",
		    min, max, jx_typename(v));
		return -1;
	}
	double x = v->valuedouble;
	switch (jx_whole(x, min, max, out)) {
	case 0:
		return 1;
	case -1:
		jx_err(d, path, "must be a whole number, not %.15g", x);
		return -1;
	default:
		jx_err(d, path, "must be between %lld and %lld, not %.15g", min,
		    max, x);
		return -1;
	}
}

int
jx_int(jx_doc *d, const cJSON *obj, const char *objpath, const char *key,
    int required, long long min, long long max, long long *out)
{
	char p[1024];
	double x = 0;
	int rc = jx_num(d, obj, objpath, key, required, &x);
	if (rc <= 0)
		return rc;
	return jx_int_val(d, cJSON_GetObjectItemCaseSensitive(obj, key),
	    jx_path(p, sizeof p, objpath, key), min, max, out);
}

int
jx_bool(jx_doc *d, const cJSON *obj, const char *objpath, const char *key,
    int required, int *out)
{
	int rc;
	const cJSON *v = jx_typed(d, obj, objpath, key, required,
	    cJSON_IsBool, "true or false", &rc);
	if (v)
		*out = cJSON_IsTrue(v);
	return rc;
}

/* jx_arr() and jx_obj(): the member itself is what they hand out. */
static int
jx_node(jx_doc *d, const cJSON *obj, const char *objpath, const char *key,
    int required, cJSON_bool (*is)(const cJSON *), const char *what,
    const cJSON **out)
{
	int rc;
	const cJSON *v = jx_typed(d, obj, objpath, key, required, is, what,
	    &rc);
	if (v)
		*out = v;
	return rc;
}

int
jx_arr(jx_doc *d, const cJSON *obj, const char *objpath, const char *key,
    int required, const cJSON **out)
{
	return jx_node(d, obj, objpath, key, required, cJSON_IsArray, "an array",
	    out);
}

int
jx_obj(jx_doc *d, const cJSON *obj, const char *objpath, const char *key,
    int required, const cJSON **out)
{
	return jx_node(d, obj, objpath, key, required, cJSON_IsObject, "an object",
	    out);
}

void
jx_only(jx_doc *d, const cJSON *obj, const char *objpath,
    const char *const *allowed)
{
	const cJSON *m;
	cJSON_ArrayForEach(m, obj) {
		int ok = 0;
		/* "$comment" is an author's note, as in JSON Schema: allowed in
		** every object checked here, and read by no one. */
		if (strcmp(m->string, "$comment") == 0) {
			if (!cJSON_IsString(m)) {
				char p[1024];
				jx_err(d, jx_path(p, sizeof p, objpath, m->string),
				    "\"$comment\" must be a string");
			}
			continue;
		}
		for (const char *const *a = allowed; *a; a++)
			if (strcmp(*a, m->string) == 0)
				ok = 1;
		if (ok)
			continue;
		if (!jx_err_room(d)) {
			jx_err(d, "", "(not shown)");	/* counted only */
			continue;
		}
		sb list = SB_INIT;
		for (const char *const *a = allowed; *a; a++)
			sb_addf(&list, "%s%s", a == allowed ? "" : ", ", *a);
		char p[1024];
		jx_err(d, jx_path(p, sizeof p, objpath, m->string),
		    "unknown key \"%s\" (allowed: %s)", m->string, sb_str(&list));
		sb_free(&list);
	}
}
