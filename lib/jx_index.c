/*
** jx_index.c: where every value of a jx_doc starts, found in one pass.
**
** cJSON keeps no positions, yet a loader reports each problem as
** FILE:LINE:COL and the scenario loader wants the line of every step.
** Re-scanning the text per question made an error-ridden file quadratic
** (thousands of errors, each a scan from the top), so the first question
** builds this index once and every later one costs about the length of
** its path.
**
** A node is one value: its parent node, where it starts, and the member
** name (a span of the raw text, escapes kept) or array index that leads
** to it.  A hash table keyed by (parent, name or index) finds the children
** of a node, so a path is resolved one segment at a time.  The same insert
** finds a repeated member name: the index doubles as the duplicate-key
** check, which is why the loader builds it at once when cJSON's tree has a
** duplicate (jx_has_dups in jx.c).  Line and column come from checkpoints
** taken every JX_LCSTEP bytes, so a 10 MB file on one line costs no more
** per error than a short one.
**
** The hash is keyed by a value that differs from run to run (the address
** of the index), so a file cannot be written to collide every key into one
** chain; results never depend on it, only the cost does.
*/
#include "lib/jx_int.h"
#include "lib/xmem.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define JX_LCSTEP	1024u
#define JX_NOPARENT	UINT32_MAX
#define JX_ELEM		UINT32_MAX	/* klen of an array element */

typedef struct jx_node {
	uint32_t	 parent;	/* node index, JX_NOPARENT for the root */
	uint32_t	 off;		/* where the value starts */
	uint32_t	 key;		/* member name's offset, or array index */
	uint32_t	 klen;		/* member name's raw length, or JX_ELEM */
} jx_node;

struct jx_index {
	jx_node		*n;
	uint32_t	 nn, ncap;
	uint32_t	*slot;		/* node index + 1; 0 empty */
	size_t		 mask;
	uint32_t	*lc;		/* line, col at byte k * JX_LCSTEP */
	size_t		 nlc;
	uint64_t	 hkey;
};

static uint64_t
ix_mix(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h;
}

/* The hash of one segment below parent: a name (s, n) or an index. */
static uint64_t
ix_hash(const jx_index *ix, uint32_t parent, const char *s, size_t n,
    uint32_t idx)
{
	uint64_t h = ix->hkey ^ ((uint64_t)parent * 0x9E3779B97F4A7C15ULL);
	if (s == NULL)
		return ix_mix(h ^ 0x5bd1e995u ^ ((uint64_t)idx << 17));
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
	return ix_mix(h ^ n);
}

/* The slot of node i's segment: where it is, or the empty slot to put it. */
static size_t
ix_probe(const jx_index *ix, const char *text, uint32_t parent,
    const char *s, size_t n, uint32_t idx)
{
	size_t h = (size_t)ix_hash(ix, parent, s, n, idx) & ix->mask;
	for (; ix->slot[h]; h = (h + 1) & ix->mask) {
		const jx_node *o = &ix->n[ix->slot[h] - 1];
		if (o->parent != parent)
			continue;
		if (s == NULL ? o->klen == JX_ELEM && o->key == idx :
		    o->klen == n && memcmp(text + o->key, s, n) == 0)
			break;
	}
	return h;
}

static void
ix_grow(jx_index *ix, const char *text)
{
	size_t ns = (ix->mask + 1) * 2;
	free(ix->slot);
	ix->slot = xcalloc(ns, sizeof *ix->slot);
	ix->mask = ns - 1;
	/* In order, so that of a repeated name the first is the one kept. */
	for (uint32_t i = 0; i < ix->nn; i++) {
		const jx_node *nd = &ix->n[i];
		if (nd->parent == JX_NOPARENT)
			continue;
		size_t h = nd->klen == JX_ELEM ?
		    ix_probe(ix, text, nd->parent, NULL, 0, nd->key) :
		    ix_probe(ix, text, nd->parent, text + nd->key, nd->klen, 0);
		if (ix->slot[h] == 0)
			ix->slot[h] = i + 1;
	}
}

/* Adds a node; returns its index, and sets *dup when its parent already
** has a member of that name (the node is kept for its children's sake but
** not hashed: lookups find the first). */
static uint32_t
ix_add(jx_index *ix, const char *text, uint32_t parent, size_t off,
    size_t key, size_t klen, int *dup)
{
	*dup = 0;
	if (parent != JX_NOPARENT && 2 * ((size_t)ix->nn + 1) > ix->mask)
		ix_grow(ix, text);
	if (ix->nn == ix->ncap) {
		ix->ncap = ix->ncap ? 2 * ix->ncap : 256;
		ix->n = xreallocarray(ix->n, ix->ncap, sizeof *ix->n);
	}
	uint32_t i = ix->nn++;
	jx_node *nd = &ix->n[i];
	nd->parent = parent;
	nd->off = (uint32_t)off;
	nd->key = (uint32_t)key;
	nd->klen = (uint32_t)klen;
	if (parent == JX_NOPARENT)
		return i;
	size_t h = klen == JX_ELEM ?
	    ix_probe(ix, text, parent, NULL, 0, (uint32_t)key) :
	    ix_probe(ix, text, parent, text + key, klen, 0);
	if (ix->slot[h])
		*dup = 1;
	else
		ix->slot[h] = i + 1;
	return i;
}

static void
ix_ws(const char *t, size_t len, size_t *p)
{
	while (*p < len && (t[*p] == ' ' || t[*p] == '\t' || t[*p] == '\n' ||
	    t[*p] == '\r'))
		(*p)++;
}

/* A string token at *p: its contents' offset and raw length. */
static int
ix_str(const char *t, size_t len, size_t *p, size_t *k, size_t *kl)
{
	if (*p >= len || t[*p] != '"')
		return -1;
	size_t i = *p + 1;
	while (i < len && t[i] != '"')
		i += t[i] == '\\' ? 2 : 1;
	if (i >= len)
		return -1;
	*k = *p + 1;
	*kl = i - *p - 1;
	*p = i + 1;
	return 0;
}

/* A member name and its colon; *keypos gets the opening quote. */
static int
ix_member(const char *t, size_t len, size_t *p, size_t *k, size_t *kl,
    size_t *keypos)
{
	ix_ws(t, len, p);
	*keypos = *p;
	if (ix_str(t, len, p, k, kl) < 0)
		return -1;
	ix_ws(t, len, p);
	if (*p >= len || t[*p] != ':')
		return -1;
	(*p)++;
	return 0;
}

/* Writes node i's path into b ("" for the root). */
static void
ix_path(const jx_index *ix, const char *text, uint32_t i, sb *b)
{
	uint32_t chain[64];
	size_t n = 0;
	/* Deep paths are cut at their innermost 64 segments, marked "...". */
	for (uint32_t j = i; ix->n[j].parent != JX_NOPARENT && n < 64;
	    j = ix->n[j].parent)
		chain[n++] = j;
	if (n == 64 && ix->n[chain[63]].parent != JX_NOPARENT)
		sb_add(b, "...");
	while (n--) {
		const jx_node *nd = &ix->n[chain[n]];
		if (nd->klen == JX_ELEM)
			sb_addf(b, "[%u]", nd->key);
		else
			sb_addf(b, "%s%.*s", b->len ? "." : "",
			    (int)(nd->klen > 200 ? 200 : nd->klen), text + nd->key);
	}
}

typedef struct ix_frame {
	uint32_t	 node;
	uint32_t	 count;		/* members or elements read so far */
	char		 close;		/* '}' or ']' */
} ix_frame;

jx_index *
jx_index_build(jx_doc *d, int report)
{
	const char *t = d->text;
	size_t len = d->len;
	jx_index *ix = xcalloc(1, sizeof *ix);
	ix->hkey = ix_mix((uint64_t)(uintptr_t)ix ^ ((uint64_t)time(NULL) << 20));
	ix->mask = 255;
	ix->slot = xcalloc(ix->mask + 1, sizeof *ix->slot);
	/* Line and column checkpoints, in the same units as
	** jx_text_linecol (lines from 1, UTF-8 characters from 1). */
	ix->nlc = len / JX_LCSTEP + 1;
	ix->lc = xreallocarray(NULL, ix->nlc, 2 * sizeof *ix->lc);
	uint32_t l = 1, c = 1;
	for (size_t i = 0; i <= len; i++) {
		if (i % JX_LCSTEP == 0) {
			ix->lc[2 * (i / JX_LCSTEP)] = l;
			ix->lc[2 * (i / JX_LCSTEP) + 1] = c;
		}
		if (i == len)
			break;
		if (t[i] == '\n') {
			l++;
			c = 1;
		} else if (((unsigned char)t[i] & 0xC0) != 0x80)
			c++;
	}
	/* From here the errors reported below can find their positions. */
	d->ix = ix;
	if (t == NULL || len >= UINT32_MAX)
		return ix;	/* positions fall back to 1:1 */
	ix_frame *st = NULL;
	size_t nst = 0, cst = 0;
	size_t p = 0, key = 0, klen = 0, keypos = 0;
	uint32_t parent = JX_NOPARENT;
	for (;;) {
		/* A value starts at p, below parent, reached by key/klen. */
		ix_ws(t, len, &p);
		if (p >= len)
			break;
		int dup;
		uint32_t node = ix_add(ix, t, parent, p, key, klen, &dup);
		if (dup && report) {
			/* The path is only built for an error that is shown. */
			sb path = SB_INIT;
			if (jx_err_room(d))
				ix_path(ix, t, node, &path);
			jx_err_off(d, keypos, sb_str(&path),
			    "duplicate key \"%.*s\"", (int)(klen > 200 ? 200 : klen),
			    t + key);
			sb_free(&path);
		}
		char ch = t[p];
		if (ch == '{' || ch == '[') {
			if (nst == cst) {
				cst = cst ? 2 * cst : 32;
				st = xreallocarray(st, cst, sizeof *st);
			}
			st[nst].node = node;
			st[nst].count = 0;
			st[nst++].close = ch == '{' ? '}' : ']';
			p++;
		} else if (ch == '"') {
			size_t k, kl;
			if (ix_str(t, len, &p, &k, &kl) < 0)
				break;
		} else {
			while (p < len && !strchr(",]} \t\r\n", t[p]))
				p++;
		}
		/* The value ended (or a container opened): find where the next
		** value starts, closing containers on the way. */
		int more = 0;
		while (nst > 0) {
			ix_frame *f = &st[nst - 1];
			ix_ws(t, len, &p);
			if (p >= len)
				break;
			if (t[p] == f->close) {
				p++;
				nst--;
				continue;
			}
			if (f->count > 0) {
				if (t[p] != ',')
					break;
				p++;
			}
			parent = f->node;
			if (f->close == '}') {
				if (ix_member(t, len, &p, &key, &klen, &keypos) < 0)
					break;
			} else {
				key = f->count;
				klen = JX_ELEM;
			}
			f->count++;
			more = 1;
			break;
		}
		if (!more)
			break;
	}
	free(st);
	return ix;
}

void
jx_index_free(jx_index *ix)
{
	if (ix == NULL)
		return;
	free(ix->n);
	free(ix->slot);
	free(ix->lc);
	free(ix);
}

size_t
jx_index_find(const jx_index *ix, const char *text, const char *path,
    int *exact)
{
	*exact = 0;
	if (ix->nn == 0)
		return 0;
	uint32_t cur = 0;
	const char *p = path;
	while (*p) {
		size_t h;
		if (*p == '[') {
			char *end;
			unsigned long idx = strtoul(p + 1, &end, 10);
			if (*end != ']' || idx >= UINT32_MAX)
				return ix->n[cur].off;
			h = ix_probe(ix, text, cur, NULL, 0, (uint32_t)idx);
			p = end + 1;
		} else {
			if (*p == '.' && p != path)
				p++;
			/* A name runs to the next '.' or '['; when no member has
			** that name, a longer one (a name holding '.' or '[') is
			** tried. */
			const char *e = p + strcspn(p, ".[");
			for (;;) {
				h = ix_probe(ix, text, cur, p, (size_t)(e - p), 0);
				if (ix->slot[h] || *e == '\0')
					break;
				e += 1 + strcspn(e + 1, ".[");
			}
			p = e;
		}
		if (ix->slot[h] == 0)
			return ix->n[cur].off;
		cur = ix->slot[h] - 1;
	}
	*exact = 1;
	return ix->n[cur].off;
}

void
jx_index_linecol(const jx_index *ix, const char *text, size_t len,
    size_t off, int *line, int *col)
{
	if (off > len)
		off = len;
	size_t k = off / JX_LCSTEP;
	if (k >= ix->nlc)
		k = ix->nlc - 1;
	long l = ix->lc[2 * k], c = ix->lc[2 * k + 1];
	for (size_t i = k * JX_LCSTEP; i < off; i++) {
		if (text[i] == '\n') {
			l++;
			c = 1;
		} else if (((unsigned char)text[i] & 0xC0) != 0x80)
			c++;
	}
	*line = l > INT32_MAX ? INT32_MAX : (int)l;
	*col = c > INT32_MAX ? INT32_MAX : (int)c;
}
