/*
** tagx.c: tags and tag expressions; see tagx.h.
**
** Grammar (recursive descent, depth bounded by the tag limit):
**     or   := and ( "||" and )*
**     and  := not ( "&&" not )*
**     not  := "!" not | "(" or ")" | TAG
** The parser emits postfix code; the evaluator runs it on a small stack.
*/
#include "sim/tagx.h"
#include "lib/sb.h"
#include "lib/xmem.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum tagx_op { TX_TAG, TX_NOT, TX_AND, TX_OR } tagx_op;

typedef struct tagx_ins {
	tagx_op	 op;
	size_t	 tag;		/* TX_TAG: index into tags */
} tagx_ins;

struct tagx {
	tagx_ins	*code;
	size_t		 ncode;
	char		**tags;
	size_t		 ntags;
	int		 has_and_not;	/* any && or ! */
};

/* The deepest nesting the parser follows; far beyond anything valid (an
** expression names at most 20 tags) but it keeps a hostile string of
** "((((((" from using the C stack. */
#define TAGX_MAX_DEPTH	64

static int
tagx_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '@' || c == '#' ||
	    c == '.' || c == ':' || c == '-';
}

int
tagx_valid_tag(const char *s, size_t n, sb *why)
{
	if (n == 0) {
		if (why)
			sb_setf(why, "a tag cannot be empty");
		return 0;
	}
	if (n > TAGX_MAX_LEN) {
		if (why)
			sb_setf(why, "a tag has at most %d characters "
			    "(this one has %zu)", TAGX_MAX_LEN, n);
		return 0;
	}
	for (size_t i = 0; i < n; i++)
		if (!tagx_char((unsigned char)s[i])) {
			if (why) {
				unsigned char c = (unsigned char)s[i];
				if (c >= 0x20 && c < 0x7f)
					sb_setf(why, "'%c' is not "
					    "allowed in a tag (letters, digits "
					    "and _ @ # . : - only)", c);
				else
					sb_setf(why, "byte 0x%02x is "
					    "not allowed in a tag (letters, "
					    "digits and _ @ # . : - only)", c);
			}
			return 0;
		}
	return 1;
}

#define TAGX_INST_PREFIX "$InstallationId:{"

int
tagx_is_installation_tag(const char *s, size_t n)
{
	size_t p = sizeof TAGX_INST_PREFIX - 1;
	if (n < p + 2 || strncmp(s, TAGX_INST_PREFIX, p) != 0 ||
	    s[n - 1] != '}')
		return 0;
	for (size_t i = p; i < n - 1; i++)
		if (!tagx_char((unsigned char)s[i]))
			return 0;
	return 1;
}

typedef struct tagx_p {
	const char	*s;
	size_t		 pos;
	tagx		*x;
	sb		*err;		/* NULL: no message kept */
	int		 failed;
	size_t		 ncap;
} tagx_p;

static void
tagx_fail(tagx_p *p, size_t at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
tagx_fail(tagx_p *p, size_t at, const char *fmt, ...)
{
	if (p->failed)
		return;
	p->failed = 1;
	if (p->err == NULL)
		return;
	sb_reset(p->err);
	sb_addf(p->err, "column %zu: ", at + 1);
	va_list ap;
	va_start(ap, fmt);
	sb_vaddf(p->err, fmt, ap);
	va_end(ap);
}

static void
tagx_emit(tagx_p *p, tagx_op op, size_t tag)
{
	tagx *x = p->x;
	if (x->ncode == p->ncap) {
		p->ncap = p->ncap ? p->ncap * 2 : 16;
		x->code = xreallocarray(x->code, p->ncap, sizeof *x->code);
	}
	x->code[x->ncode].op = op;
	x->code[x->ncode].tag = tag;
	x->ncode++;
}

static void
tagx_skip(tagx_p *p)
{
	while (p->s[p->pos] == ' ' || p->s[p->pos] == '\t')
		p->pos++;
}

static void tagx_or(tagx_p *p, int depth);

static void
tagx_tagtok(tagx_p *p)
{
	size_t start = p->pos;
	const char *s = p->s;
	if (strncmp(s + start, TAGX_INST_PREFIX,
	    sizeof TAGX_INST_PREFIX - 1) == 0) {
		size_t i = start + sizeof TAGX_INST_PREFIX - 1;
		while (tagx_char((unsigned char)s[i]))
			i++;
		if (s[i] != '}') {
			tagx_fail(p, i, "$InstallationId:{ needs its closing }");
			return;
		}
		p->pos = i + 1;
		if (!tagx_is_installation_tag(s + start, p->pos - start)) {
			tagx_fail(p, start, "$InstallationId:{} needs an id "
			    "between its braces");
			return;
		}
	} else {
		while (tagx_char((unsigned char)s[p->pos]))
			p->pos++;
		if (p->pos == start) {
			unsigned char c = (unsigned char)s[start];
			if (c == '\0')
				tagx_fail(p, start, "a tag is missing at the "
				    "end of the expression");
			else if (c >= 0x20 && c < 0x7f)
				tagx_fail(p, start, "expected a tag, '!' or "
				    "'(' but found '%c'", c);
			else
				tagx_fail(p, start, "expected a tag, '!' or "
				    "'(' but found byte 0x%02x", c);
			return;
		}
		sb why = SB_INIT;
		if (!tagx_valid_tag(s + start, p->pos - start, &why)) {
			tagx_fail(p, start, "%s", sb_str(&why));
			sb_free(&why);
			return;
		}
	}
	tagx *x = p->x;
	if (x->ntags >= TAGX_MAX_OR_ONLY) {
		tagx_fail(p, start, "a tag expression names at most %d tags "
		    "(when || is its only operator)", TAGX_MAX_OR_ONLY);
		return;
	}
	x->tags = xreallocarray(x->tags, x->ntags + 1, sizeof *x->tags);
	x->tags[x->ntags] = xstrndup(s + start, p->pos - start);
	tagx_emit(p, TX_TAG, x->ntags);
	x->ntags++;
}

static void
tagx_not(tagx_p *p, int depth)
{
	if (depth > TAGX_MAX_DEPTH) {
		tagx_fail(p, p->pos, "the expression nests deeper than %d "
		    "levels", TAGX_MAX_DEPTH);
		return;
	}
	tagx_skip(p);
	if (p->s[p->pos] == '!') {
		p->pos++;
		p->x->has_and_not = 1;
		tagx_not(p, depth + 1);
		if (!p->failed)
			tagx_emit(p, TX_NOT, 0);
		return;
	}
	if (p->s[p->pos] == '(') {
		size_t open = p->pos++;
		tagx_or(p, depth + 1);
		if (p->failed)
			return;
		tagx_skip(p);
		if (p->s[p->pos] != ')') {
			tagx_fail(p, p->pos, "the '(' at column %zu is never "
			    "closed", open + 1);
			return;
		}
		p->pos++;
		return;
	}
	tagx_tagtok(p);
}

static void
tagx_and(tagx_p *p, int depth)
{
	tagx_not(p, depth);
	for (;;) {
		if (p->failed)
			return;
		tagx_skip(p);
		if (p->s[p->pos] != '&' || p->s[p->pos + 1] != '&') {
			if (p->s[p->pos] == '&')
				tagx_fail(p, p->pos, "'and' is written &&, "
				    "not &");
			return;
		}
		p->pos += 2;
		p->x->has_and_not = 1;
		tagx_not(p, depth);
		if (!p->failed)
			tagx_emit(p, TX_AND, 0);
	}
}

static void
tagx_or(tagx_p *p, int depth)
{
	tagx_and(p, depth);
	for (;;) {
		if (p->failed)
			return;
		tagx_skip(p);
		if (p->s[p->pos] != '|' || p->s[p->pos + 1] != '|') {
			if (p->s[p->pos] == '|')
				tagx_fail(p, p->pos, "'or' is written ||, "
				    "not |");
			return;
		}
		p->pos += 2;
		tagx_and(p, depth);
		if (!p->failed)
			tagx_emit(p, TX_OR, 0);
	}
}

tagx *
tagx_parse(const char *expr, sb *err)
{
	tagx_p p;
	memset(&p, 0, sizeof p);
	p.s = expr ? expr : "";
	p.x = xcalloc(1, sizeof *p.x);
	p.err = err;
	tagx_skip(&p);
	if (p.s[p.pos] == '\0')
		tagx_fail(&p, 0, "the tag expression is empty");
	else
		tagx_or(&p, 0);
	tagx_skip(&p);
	if (!p.failed && p.s[p.pos] != '\0') {
		if (p.s[p.pos] == ')')
			tagx_fail(&p, p.pos, "this ')' has no '(' before it");
		else
			tagx_fail(&p, p.pos, "expected && or || between two "
			    "tags");
	}
	if (!p.failed && p.x->has_and_not && p.x->ntags > TAGX_MAX_MIXED)
		tagx_fail(&p, 0, "this expression names %zu tags: one that "
		    "uses && or ! may name at most %d (only || allows up to "
		    "%d)", p.x->ntags, TAGX_MAX_MIXED, TAGX_MAX_OR_ONLY);
	if (p.failed) {
		tagx_free(p.x);
		return NULL;
	}
	return p.x;
}

void
tagx_free(tagx *x)
{
	if (x == NULL)
		return;
	for (size_t i = 0; i < x->ntags; i++)
		free(x->tags[i]);
	free(x->tags);
	free(x->code);
	free(x);
}

size_t
tagx_ntags(const tagx *x)
{
	return x->ntags;
}

int
tagx_only_or(const tagx *x)
{
	return !x->has_and_not;
}

const char *
tagx_tag(const tagx *x, size_t i)
{
	return i < x->ntags ? x->tags[i] : NULL;
}

static int
tagx_has(const char *tag, const char *const *tags, size_t ntags)
{
	for (size_t i = 0; i < ntags; i++)
		if (strcmp(tags[i], tag) == 0)
			return 1;
	return 0;
}

int
tagx_eval(const tagx *x, const char *const *tags, size_t ntags)
{
	/* Every instruction pushes at most one value and there are at most
	** TAGX_MAX_OR_ONLY tags, so the stack never holds more. */
	unsigned char st[TAGX_MAX_OR_ONLY + 1];
	size_t sp = 0;
	for (size_t i = 0; i < x->ncode; i++) {
		const tagx_ins *in = &x->code[i];
		switch (in->op) {
		case TX_TAG:
			st[sp++] = (unsigned char)tagx_has(x->tags[in->tag],
			    tags, ntags);
			break;
		case TX_NOT:
			st[sp - 1] = (unsigned char)!st[sp - 1];
			break;
		case TX_AND:
			sp--;
			st[sp - 1] = (unsigned char)(st[sp - 1] && st[sp]);
			break;
		case TX_OR:
			sp--;
			st[sp - 1] = (unsigned char)(st[sp - 1] || st[sp]);
			break;
		}
	}
	return sp == 1 && st[0];
}
