/*
** odata.c: $filter, $orderby and $select compiled to SQL; see odata.h.
**
** The filter is parsed into a small tree first and SQL is generated from
** the tree, because some functions need an argument twice (endswith) and
** because a comparison with a sub-millisecond date literal is rewritten
** (see odata_gen_cmp).  Every literal becomes a bound parameter.
**
** Semantics worth knowing:
**   - eq and ne are SQL IS and IS NOT, so they are null-safe as OData
**     wants ("x ne 'a'" holds for a null x, "x eq null" finds nulls) and
**     "not (x eq 'a')" agrees with "x ne 'a'".
**   - The string functions are exact: startswith is instr(a, b) = 1,
**     endswith compares the tail with substr, substringof/contains are
**     instr(...) > 0 and indexof is instr(...) - 1 (0-based, -1 when
**     absent).  No LIKE: it is case-insensitive and treats % and _ as
**     wildcards.  tolower/toupper use SQLite's lower()/upper(), which fold
**     ASCII letters only.
**   - not binds tighter than and/or but looser than comparisons, so
**     "not a eq b" is "not (a eq b)".
**   - Words that are operators or literals (and, or, not, eq, ..., true,
**     false, null) cannot be used as field names inside a filter.
*/
#include "sim/odata.h"
#include "lib/xmem.h"
#include "sim/wire.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ODATA_MAX_DEPTH	64	/* nested parentheses, nots and calls */
#define ODATA_MAX_NODES	2000	/* a filter larger than this is refused */

/* ------------------------------------------------------------------ */
/* Filter: tokens                                                       */

typedef enum odata_tok {
	ODATA_T_END,
	ODATA_T_LPAREN,
	ODATA_T_RPAREN,
	ODATA_T_COMMA,
	ODATA_T_STRING,	/* 'text' */
	ODATA_T_NUMBER,
	ODATA_T_WORD,	/* identifier or keyword */
	ODATA_T_DATE,	/* datetime'...' or datetimeoffset'...' */
	ODATA_T_BAD
} odata_tok;

typedef struct odata_token {
	odata_tok	 kind;
	size_t		 pos;		/* byte offset of its first char */
	size_t		 len;		/* bytes of the source text */
	char		*text;		/* decoded string/date text (owned) */
} odata_token;

typedef enum odata_nkind {
	ODATA_N_LIT,
	ODATA_N_FIELD,
	ODATA_N_CMP,
	ODATA_N_AND,
	ODATA_N_OR,
	ODATA_N_NOT,
	ODATA_N_FUNC
} odata_nkind;

typedef enum odata_op {
	ODATA_OP_EQ, ODATA_OP_NE, ODATA_OP_GT, ODATA_OP_GE, ODATA_OP_LT,
	ODATA_OP_LE
} odata_op;

typedef enum odata_fn {
	ODATA_FN_STARTSWITH, ODATA_FN_ENDSWITH, ODATA_FN_SUBSTRINGOF,
	ODATA_FN_CONTAINS, ODATA_FN_TOLOWER, ODATA_FN_TOUPPER, ODATA_FN_LENGTH,
	ODATA_FN_INDEXOF, ODATA_FN_TRIM, ODATA_FN_CONCAT
} odata_fn;

static const struct {
	const char	*name;
	int		 nargs;
	odata_type	 result;
} odata_fns[] = {
	{ "startswith",	 2, ODATA_BOOL },
	{ "endswith",	 2, ODATA_BOOL },
	{ "substringof", 2, ODATA_BOOL },
	{ "contains",	 2, ODATA_BOOL },
	{ "tolower",	 1, ODATA_STRING },
	{ "toupper",	 1, ODATA_STRING },
	{ "length",	 1, ODATA_NUMBER },
	{ "indexof",	 2, ODATA_NUMBER },
	{ "trim",	 1, ODATA_STRING },
	{ "concat",	 2, ODATA_STRING },
};
#define ODATA_NFNS (sizeof odata_fns / sizeof odata_fns[0])

typedef struct odata_node odata_node;
struct odata_node {
	odata_nkind	 kind;
	odata_type	 type;
	size_t		 pos;
	int		 op;		/* odata_op, odata_fn */
	int		 is_null;	/* ODATA_N_LIT: the literal null */
	int		 subms;		/* date literal: finer digits dropped */
	odata_param	 lit;		/* ODATA_N_LIT value */
	size_t		 field;		/* ODATA_N_FIELD index */
	odata_node	*a, *b;
};

typedef struct odata_parser {
	const char		*s;
	size_t			 n;
	size_t			 at;		/* next byte to lex */
	odata_token		 tok;		/* current token */
	const odata_field	*fields;
	size_t			 nfields;
	odata_node		**nodes;	/* every node, for freeing */
	size_t			 nnodes;
	int			 depth;
	int			 failed;
	sb			*err;
} odata_parser;

/* 1-based character position of byte offset off (UTF-8 aware). */
static size_t
odata_charpos(const char *s, size_t off)
{
	size_t n = 1;
	for (size_t i = 0; i < off && s[i]; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			n++;
	return n;
}

static void
odata_fail(odata_parser *p, size_t pos, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
odata_fail(odata_parser *p, size_t pos, const char *fmt, ...)
{
	char msg[384];
	va_list ap;

	if (p->failed)
		return;
	p->failed = 1;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (p->err != NULL) {
		sb_reset(p->err);
		sb_addf(p->err, "at position %zu: %s",
		    odata_charpos(p->s, pos), msg);
	}
}

/* What the current token looks like, for "found ..." in messages. */
static const char *
odata_found(odata_parser *p, char *buf, size_t n)
{
	if (p->tok.kind == ODATA_T_END)
		return "the end of the expression";
	size_t len = p->tok.len > 40 ? 40 : p->tok.len;
	/* Do not cut a multi-byte character in two. */
	while (len < p->tok.len && len > 0 &&
	    ((unsigned char)p->s[p->tok.pos + len] & 0xc0) == 0x80)
		len--;
	snprintf(buf, n, "'%.*s%s'", (int)len, p->s + p->tok.pos,
	    len < p->tok.len ? "..." : "");
	return buf;
}

static int
odata_isword(int c)
{
	return isalnum(c) || c == '_';
}

/* Reads a quoted literal starting at the quote at p->s[i]; '' is a quote.
** Returns the byte after the closing quote, or 0 when unterminated. */
static size_t
odata_quoted(odata_parser *p, size_t i, char **out)
{
	size_t j = i + 1;
	char *t = xmalloc(p->n - i + 1), *o = t;

	for (;;) {
		if (j >= p->n) {
			free(t);
			return 0;
		}
		if (p->s[j] == '\'') {
			if (j + 1 < p->n && p->s[j + 1] == '\'') {
				*o++ = '\'';
				j += 2;
				continue;
			}
			break;
		}
		*o++ = p->s[j++];
	}
	*o = '\0';
	*out = t;
	return j + 1;
}

static void
odata_next(odata_parser *p)
{
	size_t i = p->at;

	free(p->tok.text);
	memset(&p->tok, 0, sizeof p->tok);
	while (i < p->n && (p->s[i] == ' ' || p->s[i] == '\t' ||
	    p->s[i] == '\n' || p->s[i] == '\r'))
		i++;
	p->tok.pos = i;
	if (i >= p->n) {
		p->tok.kind = ODATA_T_END;
		p->at = i;
		return;
	}
	unsigned char c = (unsigned char)p->s[i];
	size_t j = i + 1;
	if (c == '(')
		p->tok.kind = ODATA_T_LPAREN;
	else if (c == ')')
		p->tok.kind = ODATA_T_RPAREN;
	else if (c == ',')
		p->tok.kind = ODATA_T_COMMA;
	else if (c == '\'') {
		j = odata_quoted(p, i, &p->tok.text);
		if (j == 0) {
			odata_fail(p, i, "unterminated string literal "
			    "(expected a closing ')");
			p->tok.kind = ODATA_T_BAD;
			j = p->n;
		} else
			p->tok.kind = ODATA_T_STRING;
	} else if (isdigit(c) || (c == '-' && i + 1 < p->n &&
	    isdigit((unsigned char)p->s[i + 1]))) {
		while (j < p->n && (isdigit((unsigned char)p->s[j]) ||
		    p->s[j] == '.'))
			j++;
		if (j < p->n && (p->s[j] == 'e' || p->s[j] == 'E')) {
			size_t k = j + 1;
			if (k < p->n && (p->s[k] == '+' || p->s[k] == '-'))
				k++;
			if (k < p->n && isdigit((unsigned char)p->s[k])) {
				j = k;
				while (j < p->n &&
				    isdigit((unsigned char)p->s[j]))
					j++;
			}
		}
		/* Type suffixes of OData v3 clients: 5L, 1.5M, 2.0d, 3f. */
		if (j < p->n && strchr("LlMmDdFf", p->s[j]) && p->s[j] &&
		    (j + 1 >= p->n ||
		    !odata_isword((unsigned char)p->s[j + 1])))
			j++;
		p->tok.kind = ODATA_T_NUMBER;
	} else if (isalpha(c) || c == '_') {
		while (j < p->n && odata_isword((unsigned char)p->s[j]))
			j++;
		p->tok.kind = ODATA_T_WORD;
		if (j < p->n && p->s[j] == '\'' &&
		    ((j - i == 8 && strncmp(p->s + i, "datetime", 8) == 0) ||
		    (j - i == 14 && strncmp(p->s + i, "datetimeoffset",
		    14) == 0))) {
			size_t k = odata_quoted(p, j, &p->tok.text);
			if (k == 0) {
				odata_fail(p, j, "unterminated date literal "
				    "(expected a closing ')");
				p->tok.kind = ODATA_T_BAD;
				j = p->n;
			} else {
				p->tok.kind = ODATA_T_DATE;
				j = k;
			}
		}
	} else {
		/* One whole character, for the message. */
		while (j < p->n && ((unsigned char)p->s[j] & 0xc0) == 0x80)
			j++;
		p->tok.kind = ODATA_T_BAD;
	}
	p->tok.len = j - i;
	p->at = j;
}

static int
odata_is(odata_parser *p, const char *word)
{
	return p->tok.kind == ODATA_T_WORD && p->tok.len == strlen(word) &&
	    strncmp(p->s + p->tok.pos, word, p->tok.len) == 0;
}

static odata_node *
odata_new(odata_parser *p, odata_nkind kind, size_t pos)
{
	odata_node *n;

	if (p->nnodes >= ODATA_MAX_NODES) {
		odata_fail(p, pos, "the expression is too long (more than %d "
		    "terms)", ODATA_MAX_NODES);
		return NULL;
	}
	n = xcalloc(1, sizeof *n);
	n->kind = kind;
	n->pos = pos;
	p->nodes = xreallocarray(p->nodes, p->nnodes + 1, sizeof *p->nodes);
	p->nodes[p->nnodes++] = n;
	return n;
}

static const char *
odata_tname(odata_type t)
{
	switch (t) {
	case ODATA_NULL:	return "null";
	case ODATA_STRING:	return "a string";
	case ODATA_NUMBER:	return "a number";
	case ODATA_BOOL:	return "a boolean";
	case ODATA_DATE:	return "a date";
	case ODATA_VERSION:	return "a version";
	}
	return "a value";
}

/* ------------------------------------------------------------------ */
/* Filter: parser                                                       */

static odata_node *odata_or(odata_parser *);

static odata_node *
odata_number(odata_parser *p)
{
	char buf[64];
	size_t len = p->tok.len;
	int is_int = 1;
	odata_node *n;

	if (len >= sizeof buf) {
		odata_fail(p, p->tok.pos, "number literal too long");
		return NULL;
	}
	memcpy(buf, p->s + p->tok.pos, len);
	buf[len] = '\0';
	if (len > 0 && strchr("LlMmDdFf", buf[len - 1]))
		buf[--len] = '\0';
	/* Exactly one optional '.' followed by digits. */
	char *dot = strchr(buf, '.');
	if (dot && (strchr(dot + 1, '.') || !isdigit((unsigned char)dot[1]))) {
		odata_fail(p, p->tok.pos, "malformed number '%s'", buf);
		return NULL;
	}
	if (dot || strpbrk(buf, "eE"))
		is_int = 0;
	if ((n = odata_new(p, ODATA_N_LIT, p->tok.pos)) == NULL)
		return NULL;
	n->type = ODATA_NUMBER;
	errno = 0;
	if (is_int) {
		long long v = strtoll(buf, NULL, 10);
		if (errno == 0) {
			n->lit.kind = ODATA_P_INT;
			n->lit.i = v;
			return n;
		}
	}
	double d = strtod(buf, NULL);
	if (!isfinite(d)) {
		odata_fail(p, p->tok.pos, "number out of range '%s'", buf);
		return NULL;
	}
	n->lit.kind = ODATA_P_REAL;
	n->lit.d = d;
	return n;
}

static odata_node *
odata_call(odata_parser *p, size_t fn, size_t pos)
{
	odata_node *n, *args[2] = { NULL, NULL };
	char buf[64];
	int nargs = odata_fns[fn].nargs;

	odata_next(p);			/* the '(' */
	for (int i = 0; i < nargs; i++) {
		if (i > 0) {
			if (p->tok.kind != ODATA_T_COMMA) {
				odata_fail(p, p->tok.pos, "expected ',' and "
				    "argument %d of %s(), found %s", i + 1,
				    odata_fns[fn].name,
				    odata_found(p, buf, sizeof buf));
				return NULL;
			}
			odata_next(p);
		}
		size_t apos = p->tok.pos;
		if ((args[i] = odata_or(p)) == NULL)
			return NULL;
		/* Every function here takes strings (or null). */
		if (args[i]->type != ODATA_STRING &&
		    args[i]->type != ODATA_NULL) {
			odata_fail(p, apos, "argument %d of %s() must be a "
			    "string, not %s", i + 1, odata_fns[fn].name,
			    odata_tname(args[i]->type));
			return NULL;
		}
	}
	if (p->tok.kind != ODATA_T_RPAREN) {
		odata_fail(p, p->tok.pos, "expected ')' after the %d "
		    "argument%s of %s(), found %s", nargs, nargs == 1 ? "" :
		    "s", odata_fns[fn].name, odata_found(p, buf, sizeof buf));
		return NULL;
	}
	odata_next(p);
	if ((n = odata_new(p, ODATA_N_FUNC, pos)) == NULL)
		return NULL;
	n->op = (int)fn;
	n->type = odata_fns[fn].result;
	n->a = args[0];
	n->b = args[1];
	return n;
}

static odata_node *
odata_primary(odata_parser *p)
{
	odata_node *n;
	char buf[64];
	size_t pos = p->tok.pos;

	if (p->failed)
		return NULL;
	switch (p->tok.kind) {
	case ODATA_T_LPAREN:
		if (++p->depth > ODATA_MAX_DEPTH) {
			odata_fail(p, pos, "nested too deeply (more than %d "
			    "levels)", ODATA_MAX_DEPTH);
			return NULL;
		}
		odata_next(p);
		if ((n = odata_or(p)) == NULL)
			return NULL;
		if (p->tok.kind != ODATA_T_RPAREN) {
			odata_fail(p, p->tok.pos, "expected ')' to close the "
			    "'(' at position %zu, found %s",
			    odata_charpos(p->s, pos),
			    odata_found(p, buf, sizeof buf));
			return NULL;
		}
		p->depth--;
		odata_next(p);
		return n;
	case ODATA_T_STRING:
		if ((n = odata_new(p, ODATA_N_LIT, pos)) == NULL)
			return NULL;
		n->type = ODATA_STRING;
		n->lit.kind = ODATA_P_TEXT;
		n->lit.text = p->tok.text;
		p->tok.text = NULL;
		odata_next(p);
		return n;
	case ODATA_T_NUMBER:
		if ((n = odata_number(p)) != NULL)
			odata_next(p);
		return n;
	case ODATA_T_DATE: {
		int64_t ms;
		int sub = 0;
		char norm[32];
		if (wire_parse_time(p->tok.text, &ms, &sub) < 0) {
			odata_fail(p, pos, "expected an ISO-8601 date such as "
			    "datetimeoffset'2026-11-27T14:40:37.125Z', found "
			    "%s", odata_found(p, buf, sizeof buf));
			return NULL;
		}
		if ((n = odata_new(p, ODATA_N_LIT, pos)) == NULL)
			return NULL;
		wire_format_time(ms, norm);
		n->type = ODATA_DATE;
		n->subms = sub;
		n->lit.kind = ODATA_P_TEXT;
		n->lit.text = xstrdup(norm);
		odata_next(p);
		return n;
	}
	case ODATA_T_WORD:
		break;
	case ODATA_T_END:
		odata_fail(p, pos, "expected a value, a column name or '(', "
		    "found the end of the expression");
		return NULL;
	default:
		odata_fail(p, pos, "expected a value, a column name or '(', "
		    "found %s", odata_found(p, buf, sizeof buf));
		return NULL;
	}

	/* A word: literal, function call or field. */
	if (odata_is(p, "true") || odata_is(p, "false") ||
	    odata_is(p, "null")) {
		if ((n = odata_new(p, ODATA_N_LIT, pos)) == NULL)
			return NULL;
		if (odata_is(p, "null")) {
			n->type = ODATA_NULL;
			n->is_null = 1;
		} else {
			n->type = ODATA_BOOL;
			n->lit.kind = ODATA_P_INT;
			n->lit.i = odata_is(p, "true");
		}
		odata_next(p);
		return n;
	}
	static const char *const ops[] = { "and", "or", "not", "eq", "ne",
	    "gt", "ge", "lt", "le" };
	for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
		if (odata_is(p, ops[i])) {
			odata_fail(p, pos, "expected a value, a column name "
			    "or '(', found the operator '%s'", ops[i]);
			return NULL;
		}
	/* Look past white space for '(' to tell a call from a field. */
	size_t k = p->at;
	while (k < p->n && (p->s[k] == ' ' || p->s[k] == '\t'))
		k++;
	if (k < p->n && p->s[k] == '(') {
		for (size_t f = 0; f < ODATA_NFNS; f++)
			if (odata_is(p, odata_fns[f].name)) {
				if (++p->depth > ODATA_MAX_DEPTH) {
					odata_fail(p, pos, "nested too deeply "
					    "(more than %d levels)",
					    ODATA_MAX_DEPTH);
					return NULL;
				}
				odata_next(p);
				n = odata_call(p, f, pos);
				p->depth--;
				return n;
			}
		odata_fail(p, pos, "unknown function %s (known: "
		    "startswith, endswith, substringof, contains, tolower, "
		    "toupper, length, indexof, trim, concat)",
		    odata_found(p, buf, sizeof buf));
		return NULL;
	}
	for (size_t f = 0; f < p->nfields; f++)
		if (odata_is(p, p->fields[f].name)) {
			if ((n = odata_new(p, ODATA_N_FIELD, pos)) == NULL)
				return NULL;
			n->field = f;
			n->type = p->fields[f].type;
			odata_next(p);
			return n;
		}
	odata_fail(p, pos, "unknown column %s", odata_found(p, buf,
	    sizeof buf));
	return NULL;
}

/* Makes the two sides of a comparison agree, converting a string literal
** compared with a date or a version.  Returns 0, or -1 after failing. */
static int
odata_unify(odata_parser *p, odata_node *x, odata_node *y, size_t oppos)
{
	if (x->type == ODATA_NULL || y->type == ODATA_NULL ||
	    x->type == y->type)
		return 0;
	if (y->kind == ODATA_N_LIT && y->type == ODATA_STRING &&
	    x->type == ODATA_DATE) {
		int64_t ms;
		int sub = 0;
		char norm[32];
		if (wire_parse_time(y->lit.text, &ms, &sub) < 0) {
			odata_fail(p, y->pos, "expected a date such as "
			    "'2026-11-27T14:40:37.125Z' to compare with the "
			    "date, found '%s'", y->lit.text);
			return -1;
		}
		wire_format_time(ms, norm);
		free(y->lit.text);
		y->lit.text = xstrdup(norm);
		y->subms = sub;
		y->type = ODATA_DATE;
		return 0;
	}
	if (y->kind == ODATA_N_LIT && x->type == ODATA_VERSION &&
	    (y->type == ODATA_STRING || (y->type == ODATA_NUMBER &&
	    y->lit.kind == ODATA_P_INT))) {
		if (y->type == ODATA_STRING) {
			/* Versions are shown base64 ("MQ==" is 1); any run of
			** up to 19 digits is taken. */
			char dec[24];
			int o = wire_b64_decode(y->lit.text, dec);
			int ok = o > 0 && o <= 19;
			for (int i = 0; ok && i < o; i++)
				if (!isdigit((unsigned char)dec[i]))
					ok = 0;
			if (!ok) {
				odata_fail(p, y->pos, "expected a version "
				    "such as 'MQ==', found '%s'", y->lit.text);
				return -1;
			}
			free(y->lit.text);
			y->lit.text = NULL;
			y->lit.kind = ODATA_P_INT;
			y->lit.i = strtoll(dec, NULL, 10);
		}
		y->type = ODATA_VERSION;
		return 0;
	}
	odata_fail(p, oppos, "cannot compare %s with %s",
	    odata_tname(x->type), odata_tname(y->type));
	return -1;
}

/* A boolean node of kind over the operands l and r, at pos; NULL on failure. */
static odata_node *
odata_pair(odata_parser *p, odata_nkind kind, size_t pos, odata_node *l,
    odata_node *r)
{
	odata_node *n;

	if ((n = odata_new(p, kind, pos)) == NULL)
		return NULL;
	n->type = ODATA_BOOL;
	n->a = l;
	n->b = r;
	return n;
}

static odata_node *
odata_cmp(odata_parser *p)
{
	static const char *const ops[] = { "eq", "ne", "gt", "ge", "lt", "le" };
	odata_node *l, *r, *n;
	size_t oppos;
	int op = -1;

	if ((l = odata_primary(p)) == NULL)
		return NULL;
	for (int i = 0; i < 6; i++)
		if (odata_is(p, ops[i]))
			op = i;
	if (op < 0)
		return l;
	oppos = p->tok.pos;
	odata_next(p);
	if ((r = odata_primary(p)) == NULL)
		return NULL;
	if (odata_unify(p, l, r, oppos) < 0 || odata_unify(p, r, l, oppos) < 0)
		return NULL;
	for (int i = 0; i < 6; i++)
		if (odata_is(p, ops[i])) {
			odata_fail(p, p->tok.pos, "comparisons cannot be "
			    "chained; use 'and' (found '%s')", ops[i]);
			return NULL;
		}
	if ((n = odata_pair(p, ODATA_N_CMP, oppos, l, r)) == NULL)
		return NULL;
	n->op = op;
	return n;
}

static int
odata_want_bool(odata_parser *p, const odata_node *n, const char *what)
{
	if (n->type == ODATA_BOOL)
		return 0;
	odata_fail(p, n->pos, "%s needs a boolean expression, found %s", what,
	    odata_tname(n->type));
	return -1;
}

static odata_node *
odata_not(odata_parser *p)
{
	odata_node *n, *a;
	size_t pos = p->tok.pos;

	if (!odata_is(p, "not"))
		return odata_cmp(p);
	if (++p->depth > ODATA_MAX_DEPTH) {
		odata_fail(p, pos, "nested too deeply (more than %d levels)",
		    ODATA_MAX_DEPTH);
		return NULL;
	}
	odata_next(p);
	if ((a = odata_not(p)) == NULL || odata_want_bool(p, a, "'not'") < 0)
		return NULL;
	p->depth--;
	if ((n = odata_new(p, ODATA_N_NOT, pos)) == NULL)
		return NULL;
	n->type = ODATA_BOOL;
	n->a = a;
	return n;
}

/*
** One left-associative level of the boolean grammar: operands parsed by
** sub, joined by the keyword word ("and", "or") into nodes of kind.
*/
static odata_node *
odata_chain(odata_parser *p, odata_node *(*sub)(odata_parser *),
    const char *word, odata_nkind kind)
{
	odata_node *l, *r;
	char what[8];

	snprintf(what, sizeof what, "'%s'", word);
	if ((l = sub(p)) == NULL)
		return NULL;
	while (odata_is(p, word)) {
		size_t pos = p->tok.pos;
		odata_next(p);
		if ((r = sub(p)) == NULL)
			return NULL;
		if (odata_want_bool(p, l, what) < 0 ||
		    odata_want_bool(p, r, what) < 0)
			return NULL;
		if ((l = odata_pair(p, kind, pos, l, r)) == NULL)
			return NULL;
	}
	return l;
}

static odata_node *
odata_and(odata_parser *p)
{
	return odata_chain(p, odata_not, "and", ODATA_N_AND);
}

static odata_node *
odata_or(odata_parser *p)
{
	return odata_chain(p, odata_and, "or", ODATA_N_OR);
}

/* ------------------------------------------------------------------ */
/* Filter: SQL generation                                               */

typedef struct odata_gen {
	sb		 sql;
	odata_param	*params;
	size_t		 nparams;
	const odata_field *fields;
} odata_gen;

static void odata_emit(odata_gen *g, const odata_node *n);

static void
odata_param_add(odata_gen *g, const odata_param *v)
{
	g->params = xreallocarray(g->params, g->nparams + 1,
	    sizeof *g->params);
	g->params[g->nparams] = *v;
	if (v->kind == ODATA_P_TEXT)
		g->params[g->nparams].text = xstrdup(v->text ? v->text : "");
	g->nparams++;
	sb_addc(&g->sql, '?');
}

/* pre a mid b post: the shape of every two-operand SQL form. */
static void
odata_emit2(odata_gen *g, const char *pre, const odata_node *a,
    const char *mid, const odata_node *b, const char *post)
{
	sb_add(&g->sql, pre);
	odata_emit(g, a);
	sb_add(&g->sql, mid);
	odata_emit(g, b);
	sb_add(&g->sql, post);
}

/*
** Stored dates have millisecond precision, so a literal with finer digits
** (2026-11-27T14:40:37.1255Z) lies strictly between two stored values.
** Comparing with its millisecond floor F instead: x ge L and x gt L both
** mean x gt F, x le L and x lt L both mean x le F, x eq L never holds and
** x ne L always does.  Rounding the literal either way would be wrong for
** one operator or the other.
*/
static void
odata_gen_cmp(odata_gen *g, const odata_node *n)
{
	static const char *const sqlops[] = { " IS ", " IS NOT ", " > ",
	    " >= ", " < ", " <= " };
	const odata_node *l = n->a, *r = n->b;
	int op = n->op;

	if (l->kind == ODATA_N_LIT && l->subms &&
	    !(r->kind == ODATA_N_LIT && r->subms)) {
		/* Put the literal on the right: L op x is x op' L. */
		static const int flip[] = { ODATA_OP_EQ, ODATA_OP_NE,
		    ODATA_OP_LT, ODATA_OP_LE, ODATA_OP_GT, ODATA_OP_GE };
		const odata_node *t = l;
		l = r;
		r = t;
		op = flip[op];
	}
	if (r->kind == ODATA_N_LIT && r->subms) {
		sb_addc(&g->sql, '(');
		odata_emit(g, l);
		switch (op) {
		case ODATA_OP_EQ:
			sb_add(&g->sql, " IS NULL AND 0)");
			return;
		case ODATA_OP_NE:
			sb_add(&g->sql, " IS NULL OR 1)");
			return;
		case ODATA_OP_GT: case ODATA_OP_GE:
			sb_add(&g->sql, " > ");
			break;
		default:
			sb_add(&g->sql, " <= ");
			break;
		}
		odata_emit(g, r);
		sb_addc(&g->sql, ')');
		return;
	}
	odata_emit2(g, "(", l, sqlops[op], r, ")");
}

static void
odata_emit(odata_gen *g, const odata_node *n)
{
	switch (n->kind) {
	case ODATA_N_LIT:
		if (n->is_null)
			sb_add(&g->sql, "NULL");
		else
			odata_param_add(g, &n->lit);
		return;
	case ODATA_N_FIELD:
		sb_addsqlid(&g->sql, g->fields[n->field].name);
		return;
	case ODATA_N_CMP:
		odata_gen_cmp(g, n);
		return;
	case ODATA_N_AND:
	case ODATA_N_OR:
		odata_emit2(g, "(", n->a,
		    n->kind == ODATA_N_AND ? " AND " : " OR ", n->b, ")");
		return;
	case ODATA_N_NOT:
		sb_add(&g->sql, "(NOT ");
		odata_emit(g, n->a);
		sb_addc(&g->sql, ')');
		return;
	case ODATA_N_FUNC:
		break;
	}
	switch ((odata_fn)n->op) {
	case ODATA_FN_STARTSWITH:
		odata_emit2(g, "(instr(", n->a, ", ", n->b, ") = 1)");
		break;
	case ODATA_FN_ENDSWITH:
		/* length(a) >= length(b) AND substr(a, length(a) -
		** length(b) + 1) = b; an empty b matches every string. */
		odata_emit2(g, "(length(", n->a, ") >= length(", n->b,
		    ") AND substr(");
		odata_emit2(g, "", n->a, ", length(", n->a, ") - length(");
		odata_emit2(g, "", n->b, ") + 1) = ", n->b, ")");
		break;
	case ODATA_FN_SUBSTRINGOF:
		/* substringof(needle, haystack), the v3 order. */
		odata_emit2(g, "(instr(", n->b, ", ", n->a, ") > 0)");
		break;
	case ODATA_FN_CONTAINS:
		odata_emit2(g, "(instr(", n->a, ", ", n->b, ") > 0)");
		break;
	case ODATA_FN_TOLOWER:
	case ODATA_FN_TOUPPER:
	case ODATA_FN_LENGTH:
	case ODATA_FN_TRIM:
		sb_add(&g->sql, n->op == ODATA_FN_TOLOWER ? "lower(" :
		    n->op == ODATA_FN_TOUPPER ? "upper(" :
		    n->op == ODATA_FN_LENGTH ? "length(" : "trim(");
		odata_emit(g, n->a);
		sb_addc(&g->sql, ')');
		break;
	case ODATA_FN_INDEXOF:
		odata_emit2(g, "(instr(", n->a, ", ", n->b, ") - 1)");
		break;
	case ODATA_FN_CONCAT:
		odata_emit2(g, "(", n->a, " || ", n->b, ")");
		break;
	}
}

static void
odata_params_free(odata_param *ps, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(ps[i].text);
	free(ps);
}

int
odata_filter(const char *text, const odata_field *fields, size_t nfields,
    odata_sql *out, sb *err)
{
	odata_parser p;
	odata_node *root;
	char buf[64];
	int rc = -1;

	memset(out, 0, sizeof *out);
	memset(&p, 0, sizeof p);
	p.s = text ? text : "";
	p.n = strlen(p.s);
	p.fields = fields;
	p.nfields = nfields;
	p.err = err;
	odata_next(&p);
	if (p.tok.kind == ODATA_T_END) {
		odata_fail(&p, 0, "the filter is empty");
		goto out;
	}
	root = odata_or(&p);
	if (root == NULL || p.failed)
		goto out;
	if (p.tok.kind != ODATA_T_END) {
		odata_fail(&p, p.tok.pos, "expected 'and', 'or', a comparison "
		    "operator or the end of the expression, found %s",
		    odata_found(&p, buf, sizeof buf));
		goto out;
	}
	if (odata_want_bool(&p, root, "the filter") < 0)
		goto out;
	{
		odata_gen g;
		memset(&g, 0, sizeof g);
		g.fields = fields;
		odata_emit(&g, root);
		out->sql = sb_take(&g.sql);
		out->params = g.params;
		out->nparams = g.nparams;
	}
	rc = 0;
out:
	free(p.tok.text);
	for (size_t i = 0; i < p.nnodes; i++) {
		if (p.nodes[i]->kind == ODATA_N_LIT)
			free(p.nodes[i]->lit.text);
		free(p.nodes[i]);
	}
	free(p.nodes);
	if (rc < 0 && err != NULL && !p.failed) {
		sb_reset(err);
		sb_add(err, "at position 1: invalid filter");
	}
	return rc;
}

void
odata_sql_free(odata_sql *q)
{
	if (q == NULL)
		return;
	free(q->sql);
	odata_params_free(q->params, q->nparams);
	memset(q, 0, sizeof *q);
}

int
odata_bind(sqlite3_stmt *st, int first, const odata_sql *q)
{
	int idx = first, rc = SQLITE_OK;

	for (size_t i = 0; i < q->nparams && rc == SQLITE_OK; i++, idx++) {
		const odata_param *v = &q->params[i];
		switch (v->kind) {
		case ODATA_P_TEXT:
			rc = sqlite3_bind_text(st, idx, v->text, -1,
			    SQLITE_STATIC);
			break;
		case ODATA_P_INT:
			rc = sqlite3_bind_int64(st, idx, v->i);
			break;
		case ODATA_P_REAL:
			rc = sqlite3_bind_double(st, idx, v->d);
			break;
		}
	}
	return rc == SQLITE_OK ? idx : -1;
}

/* ------------------------------------------------------------------ */
/* $orderby and $select                                                 */

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
