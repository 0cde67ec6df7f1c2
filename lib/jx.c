/*
** jx.c: JSON documents with positions; see jx.h.
**
** Locating a path re-scans the text with a tiny tokenizer instead of asking
** cJSON, which keeps no positions.  Errors are rare and documents small, so
** the rescan costs nothing that matters and keeps the parser untouched.
*/
#include "lib/jx.h"
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

static void
jx_linecol(const jx_doc *d, size_t off, int *line, int *col)
{
	jx_text_linecol(d->text, d->len, off, line, col);
}

/*
** The scanner.  scan_value() walks one value starting at *pos, building the
** path of each value it meets in path (a buffer of cap bytes).  It stops
** when the value at target is found (found_off set) and, while scanning an
** object, records duplicate keys through d.
*/
typedef struct jx_scan {
	jx_doc		*d;		/* where duplicate-key errors go; may be NULL */
	const char	*target;	/* path to find; may be NULL */
	long		 found;		/* offset of the target value, or -1 */
	int		 depth;
	/* jx_locate_many: the paths to find, a hash of them (index + 1, 0
	** empty; mask + 1 slots) and the offset found for each (-1 none). */
	const char *const *targets;
	const size_t	*tslots;
	size_t		 tmask;
	long		*toff;
} jx_scan;

/* Records the offset of every wanted path that starts at pos. */
static void
scan_mark(jx_scan *s, const char *path, size_t pos)
{
	size_t h = (size_t)hash_str(path) & s->tmask;
	for (; s->tslots[h]; h = (h + 1) & s->tmask) {
		size_t k = s->tslots[h] - 1;
		if (s->toff[k] < 0 && strcmp(s->targets[k], path) == 0)
			s->toff[k] = (long)pos;
	}
}

static void
scan_ws(const jx_doc *d, size_t *pos)
{
	while (*pos < d->len && strchr(" \t\r\n", d->text[*pos]) && d->text[*pos])
		(*pos)++;
}

/* Skips white space; when c follows, consumes it and returns 1, else 0. */
static int
scan_at(const jx_doc *d, size_t *pos, char c)
{
	scan_ws(d, pos);
	if (*pos < d->len && d->text[*pos] == c) {
		(*pos)++;
		return 1;
	}
	return 0;
}

/* Reads a string token; writes its raw contents (escapes kept) into out. */
static int
scan_string(const jx_doc *d, size_t *pos, char *out, size_t outcap)
{
	size_t o = 0;
	if (*pos >= d->len || d->text[*pos] != '"')
		return -1;
	(*pos)++;
	while (*pos < d->len && d->text[*pos] != '"') {
		char c = d->text[*pos];
		if (c == '\\' && *pos + 1 < d->len) {
			if (o + 1 < outcap)
				out[o++] = c;
			(*pos)++;
			c = d->text[*pos];
		}
		if (o + 1 < outcap)
			out[o++] = c;
		(*pos)++;
	}
	if (outcap)
		out[o] = '\0';
	if (*pos >= d->len)
		return -1;
	(*pos)++;
	return 0;
}

static int
scan_value(jx_scan *s, size_t *pos, char *path, size_t cap)
{
	const jx_doc *d = s->d;
	scan_ws(d, pos);
	if (*pos >= d->len)
		return -1;
	if (s->target && s->found < 0 && strcmp(path, s->target) == 0)
		s->found = (long)*pos;
	if (s->targets)
		scan_mark(s, path, *pos);
	if (++s->depth > 512)
		return -1;
	char c = d->text[*pos];
	size_t plen = strlen(path);
	int rc = 0;
	/* The duplicate scan (no target) remembers each key of an object as
	** the offset and length of its raw text, on the heap: a deep document
	** costs no stack, and no key is left unchecked however many there are. */
	size_t *keys = NULL, nkeys = 0, kcap = 0;
	if (c == '{') {
		(*pos)++;
		if (scan_at(d, pos, '}'))
			goto out;
		for (;;) {
			char key[256];
			scan_ws(d, pos);
			size_t keypos = *pos;
			if (scan_string(d, pos, key, sizeof key) < 0) {
				rc = -1;
				goto out;
			}
			snprintf(path + plen, cap - plen, "%s%s", plen ? "." : "", key);
			if (s->target == NULL) {
				size_t koff = keypos + 1, klen = *pos - keypos - 2;
				for (size_t k = 0; k < nkeys; k++) {
					if (keys[2 * k + 1] != klen || memcmp(d->text +
					    keys[2 * k], d->text + koff, klen) != 0)
						continue;
					int l, col;
					jx_linecol(d, keypos, &l, &col);
					sb_addf(&s->d->errs, "%s:%d:%d: %s: duplicate key \"%s\"\n",
					    d->name, l, col, path, key);
					s->d->nerr++;
				}
				if (nkeys == kcap) {
					kcap = kcap ? 2 * kcap : 16;
					keys = xreallocarray(keys, kcap, 2 * sizeof *keys);
				}
				keys[2 * nkeys] = koff;
				keys[2 * nkeys++ + 1] = klen;
			}
			if (!scan_at(d, pos, ':')) {
				rc = -1;
				goto out;
			}
			if (scan_value(s, pos, path, cap) < 0) {
				rc = -1;
				goto out;
			}
			path[plen] = '\0';
			if (scan_at(d, pos, ','))
				continue;
			if (scan_at(d, pos, '}'))
				break;
			rc = -1;
			goto out;
		}
	} else if (c == '[') {
		size_t i = 0;
		(*pos)++;
		if (scan_at(d, pos, ']'))
			goto out;
		for (;; i++) {
			snprintf(path + plen, cap - plen, "[%zu]", i);
			if (scan_value(s, pos, path, cap) < 0) {
				rc = -1;
				goto out;
			}
			path[plen] = '\0';
			if (scan_at(d, pos, ','))
				continue;
			if (scan_at(d, pos, ']'))
				break;
			rc = -1;
			goto out;
		}
	} else if (c == '"') {
		rc = scan_string(d, pos, NULL, 0);
	} else {
		while (*pos < d->len && !strchr(",]} \t\r\n", d->text[*pos]))
			(*pos)++;
	}
out:
	free(keys);
	path[plen] = '\0';
	s->depth--;
	return rc;
}

int
jx_locate(const jx_doc *d, const char *jpath, int *line, int *col)
{
	char path[1024] = "";
	jx_scan s = { (jx_doc *)d, jpath, -1, 0, NULL, NULL, 0, NULL };
	size_t pos = 0;
	/* The cast is safe: with a target set the scanner never writes to d. */
	scan_value(&s, &pos, path, sizeof path);
	if (s.found < 0)
		return -1;
	jx_linecol(d, (size_t)s.found, line, col);
	return 0;
}

/* The offsets being sorted by jx_locate_many (qsort has no context). */
typedef struct jx_offi {
	long	 off;
	size_t	 i;
} jx_offi;

static int
jx_cmp_offi(const void *a, const void *b)
{
	const jx_offi *x = a, *y = b;
	return x->off < y->off ? -1 : x->off > y->off;
}

int
jx_locate_many(const jx_doc *d, const char *const *paths, size_t n,
    int *lines, int *cols)
{
	if (n == 0)
		return 0;
	size_t ns = 16;
	while (ns < 2 * n)
		ns *= 2;
	size_t *slots = xcalloc(ns, sizeof *slots);
	long *offs = xcalloc(n, sizeof *offs);
	for (size_t i = 0; i < n; i++) {
		offs[i] = -1;
		size_t h = (size_t)hash_str(paths[i]) & (ns - 1);
		while (slots[h])
			h = (h + 1) & (ns - 1);
		slots[h] = i + 1;
	}
	char path[1024] = "";
	jx_scan s = { (jx_doc *)d, NULL, -1, 0, paths, slots, ns - 1, offs };
	size_t pos = 0;
	/* The cast is safe: with targets set the scanner never writes to d. */
	scan_value(&s, &pos, path, sizeof path);
	/* Offsets to lines and columns in one pass over the text. */
	jx_offi *o = xcalloc(n, sizeof *o);
	int found = 0;
	for (size_t i = 0; i < n; i++) {
		o[i].off = offs[i] < 0 ? 0 : offs[i];
		o[i].i = i;
		found += offs[i] >= 0;
	}
	qsort(o, n, sizeof *o, jx_cmp_offi);
	int l = 1, c = 1;
	size_t at = 0;
	for (size_t k = 0; k < n; k++) {
		for (; at < (size_t)o[k].off && at < d->len; at++) {
			if (d->text[at] == '\n') {
				l++;
				c = 1;
			} else if (((unsigned char)d->text[at] & 0xC0) != 0x80)
				c++;
		}
		lines[o[k].i] = l;
		cols[o[k].i] = c;
	}
	free(o);
	free(offs);
	free(slots);
	return found;
}

/* Whether the text ends inside a string or with an open bracket. */
static int
jx_unclosed(const jx_doc *d)
{
	long depth = 0;
	int instr = 0;
	for (size_t i = 0; i < d->len; i++) {
		char c = d->text[i];
		if (instr) {
			if (c == '\\')
				i++;
			else if (c == '"')
				instr = 0;
		} else if (c == '"')
			instr = 1;
		else if (c == '{' || c == '[')
			depth++;
		else if (c == '}' || c == ']')
			depth--;
	}
	return instr || depth > 0;
}

/* Records the syntax error cJSON stopped at (ep: where it stopped). */
static void
jx_syntax(jx_doc *d, const char *ep)
{
	size_t off = 0;
	if (ep && ep >= d->text && ep <= d->text + d->len)
		off = (size_t)(ep - d->text);
	const char *what = "JSON syntax error (a missing comma, quote or bracket?)";
	if (jx_unclosed(d)) {
		/* The text ended inside a string or with a bracket still open:
		** report it at the end, where the student will look. */
		off = d->len;
		what = "unexpected end of file (an unclosed string, { or [)";
	}
	if (off < d->len && d->text[off] == ',')
		what = "JSON syntax error at ',' (a trailing comma?)";
	int l, c;
	jx_linecol(d, off, &l, &c);
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
		size_t h = (size_t)hash_str(a->string) & (ns - 1);
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

/* Whether any object at or below v has two members with the same name;
** depth is bounded as in the scanner. */
static int
jx_has_dups(const cJSON *v, int depth)
{
	if (depth > 512)
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
	** the tree is cheap; only when one exists is the text scanned again
	** to report where. */
	if (!jx_has_dups(d->root, 0))
		return 0;
	char path[1024] = "";
	jx_scan s = { d, NULL, -1, 0, NULL, NULL, 0, NULL };
	size_t pos = 0;
	scan_value(&s, &pos, path, sizeof path);
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
	memset(d, 0, sizeof *d);
}

void
jx_err(jx_doc *d, const char *jpath, const char *fmt, ...)
{
	int l = 1, c = 1;
	char p[1024];
	snprintf(p, sizeof p, "%s", jpath ? jpath : "");
	/* Fall back to the nearest ancestor that exists in the text. */
	while (d->text && jx_locate(d, p, &l, &c) != 0) {
		char *cut = strrchr(p, '.');
		char *br = strrchr(p, '[');
		if (br && (!cut || br > cut))
			cut = br;
		if (!cut) {
			p[0] = '\0';
			jx_locate(d, p, &l, &c);
			break;
		}
		*cut = '\0';
	}
	sb_addf(&d->errs, "%s:%d:%d: %s: ", d->name, l, c,
	    jpath && *jpath ? jpath : "(top level)");
	va_list ap;
	va_start(ap, fmt);
	char msg[2048];
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	sb_add(&d->errs, msg);
	sb_addc(&d->errs, '\n');
	d->nerr++;
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
jx_int(jx_doc *d, const cJSON *obj, const char *objpath, const char *key,
    int required, long long min, long long max, long long *out)
{
	char p[1024];
	double x = 0;
	int rc = jx_num(d, obj, objpath, key, required, &x);
	if (rc <= 0)
		return rc;
	if (x != (double)(long long)x) {
		jx_err(d, jx_path(p, sizeof p, objpath, key),
		    "must be a whole number, not %g", x);
		return -1;
	}
	if ((long long)x < min || (long long)x > max) {
		jx_err(d, jx_path(p, sizeof p, objpath, key),
		    "must be between %lld and %lld, not %lld", min, max,
		    (long long)x);
		return -1;
	}
	*out = (long long)x;
	return 1;
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
		sb list = SB_INIT;
		for (const char *const *a = allowed; *a; a++)
			sb_addf(&list, "%s%s", a == allowed ? "" : ", ", *a);
		char p[1024];
		jx_err(d, jx_path(p, sizeof p, objpath, m->string),
		    "unknown key \"%s\" (allowed: %s)", m->string, sb_str(&list));
		sb_free(&list);
	}
}
