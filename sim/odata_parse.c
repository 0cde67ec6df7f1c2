/*
** odata_parse.c: a $filter's tokens into a typed tree; see odata_int.h.
**
** Recursive descent, lowest precedence first: or, and, not, comparisons
** (eq ne gt ge lt le, not chained), add and sub, mul div and mod, then
** primaries (parenthesised expressions, literals, columns, function
** calls).  Every node gets its type here, and an operand of the wrong type
** is refused with its position, so the SQL written from the tree never
** leans on SQLite's silent conversions ('abc' + 1 is 1 in SQLite).
**
** Semantics worth knowing:
**   - not binds tighter than and/or but looser than comparisons, so
**     "not a eq b" is "not (a eq b)".
**   - Words that are operators or literals (and, or, not, eq, ..., add,
**     sub, mul, div, mod, true, false, null) cannot be used as column
**     names inside a filter.
**   - A literal argument of substring() must be a whole number that is not
**     negative: OData takes it as an Int32 index into the string, and the
**     servers disagree about negative ones (see odata.c).
*/
#include "sim/odata.h"
#include "sim/odata_int.h"
#include "lib/xmem.h"
#include "sim/wire.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
** The functions: name, fewest and most arguments, each argument's type
** (ODATA_NULL: any) and the result's type.  A null literal is accepted for
** any argument and makes the result null, as SQL does.
*/
static const struct {
	const char	*name;
	int		 min, max;
	odata_type	 arg[ODATA_MAX_ARGS];
	odata_type	 result;
} odata_fns[] = {
	{ "startswith",	 2, 2, { ODATA_STRING, ODATA_STRING }, ODATA_BOOL },
	{ "endswith",	 2, 2, { ODATA_STRING, ODATA_STRING }, ODATA_BOOL },
	{ "substringof", 2, 2, { ODATA_STRING, ODATA_STRING }, ODATA_BOOL },
	{ "contains",	 2, 2, { ODATA_STRING, ODATA_STRING }, ODATA_BOOL },
	{ "tolower",	 1, 1, { ODATA_STRING }, ODATA_STRING },
	{ "toupper",	 1, 1, { ODATA_STRING }, ODATA_STRING },
	{ "length",	 1, 1, { ODATA_STRING }, ODATA_NUMBER },
	{ "indexof",	 2, 2, { ODATA_STRING, ODATA_STRING }, ODATA_NUMBER },
	{ "trim",	 1, 1, { ODATA_STRING }, ODATA_STRING },
	{ "concat",	 2, 2, { ODATA_STRING, ODATA_STRING }, ODATA_STRING },
	{ "substring",	 2, 3, { ODATA_STRING, ODATA_NUMBER, ODATA_NUMBER },
	    ODATA_STRING },
	{ "year",	 1, 1, { ODATA_DATE }, ODATA_NUMBER },
	{ "month",	 1, 1, { ODATA_DATE }, ODATA_NUMBER },
	{ "day",	 1, 1, { ODATA_DATE }, ODATA_NUMBER },
	{ "hour",	 1, 1, { ODATA_DATE }, ODATA_NUMBER },
	{ "minute",	 1, 1, { ODATA_DATE }, ODATA_NUMBER },
	{ "second",	 1, 1, { ODATA_DATE }, ODATA_NUMBER },
	{ "round",	 1, 1, { ODATA_NUMBER }, ODATA_NUMBER },
	{ "floor",	 1, 1, { ODATA_NUMBER }, ODATA_NUMBER },
	{ "ceiling",	 1, 1, { ODATA_NUMBER }, ODATA_NUMBER },
};
#define ODATA_NFNS (sizeof odata_fns / sizeof odata_fns[0])

#define ODATA_KNOWN_FNS "startswith, endswith, substringof, contains, " \
	"tolower, toupper, length, indexof, trim, concat, substring, year, " \
	"month, day, hour, minute, second, round, floor, ceiling"

/* The arithmetic operators, in odata_aop order: two levels of precedence. */
static const char *const odata_aops[] = { "add", "sub", "mul", "div", "mod" };

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

/* Checks argument i (0-based) of function fn, parsed from apos. */
static int
odata_check_arg(odata_parser *p, size_t fn, int i, const odata_node *a,
    size_t apos)
{
	odata_type want = odata_fns[fn].arg[i];

	if (a->type == ODATA_NULL || want == ODATA_NULL || a->type == want) {
		/* substring()'s literal index and length: an Int32 that is
		** not negative. */
		if (fn == ODATA_FN_SUBSTRING && i > 0 &&
		    a->kind == ODATA_N_LIT && !a->is_null &&
		    (a->lit.kind == ODATA_P_REAL || a->lit.i < 0 ||
		    a->lit.i > INT32_MAX)) {
			odata_fail(p, apos, "argument %d of substring() (the "
			    "%s) must be a whole number from 0 to %d", i + 1,
			    i == 1 ? "0-based start" : "length", INT32_MAX);
			return -1;
		}
		return 0;
	}
	odata_fail(p, apos, "argument %d of %s() must be %s, not %s", i + 1,
	    odata_fns[fn].name, odata_tname(want), odata_tname(a->type));
	return -1;
}

static odata_node *
odata_call(odata_parser *p, size_t fn, size_t pos)
{
	odata_node *n, *args[ODATA_MAX_ARGS] = { NULL, NULL, NULL };
	char buf[64], took[32];
	int min = odata_fns[fn].min, max = odata_fns[fn].max, nargs = 0;

	if (min == max)
		snprintf(took, sizeof took, "%d argument%s", min,
		    min == 1 ? "" : "s");
	else
		snprintf(took, sizeof took, "%d or %d arguments", min, max);
	odata_next(p);			/* the '(' */
	if (p->tok.kind == ODATA_T_RPAREN) {
		odata_fail(p, p->tok.pos, "%s() takes %s, found none",
		    odata_fns[fn].name, took);
		return NULL;
	}
	for (;;) {
		size_t apos = p->tok.pos;
		if ((args[nargs] = odata_or(p)) == NULL)
			return NULL;
		if (odata_check_arg(p, fn, nargs, args[nargs], apos) < 0)
			return NULL;
		nargs++;
		if (nargs >= min && p->tok.kind == ODATA_T_RPAREN)
			break;
		if (nargs < max && p->tok.kind == ODATA_T_COMMA) {
			odata_next(p);
			continue;
		}
		if (nargs < min)
			odata_fail(p, p->tok.pos, "expected ',' and argument "
			    "%d of %s(), found %s (%s() takes %s)", nargs + 1,
			    odata_fns[fn].name, odata_found(p, buf, sizeof buf),
			    odata_fns[fn].name, took);
		else
			odata_fail(p, p->tok.pos, "expected ')' after the %d "
			    "argument%s of %s(), found %s (%s() takes %s)",
			    nargs, nargs == 1 ? "" : "s", odata_fns[fn].name,
			    odata_found(p, buf, sizeof buf),
			    odata_fns[fn].name, took);
		return NULL;
	}
	odata_next(p);
	if ((n = odata_new(p, ODATA_N_FUNC, pos)) == NULL)
		return NULL;
	n->op = (int)fn;
	n->type = odata_fns[fn].result;
	n->nargs = nargs;
	memcpy(n->args, args, sizeof n->args);
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
	    "gt", "ge", "lt", "le", "add", "sub", "mul", "div", "mod" };
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
		    ODATA_KNOWN_FNS ")", odata_found(p, buf, sizeof buf));
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

/* Whether the current token is one of the arithmetic operators from..to;
** returns its odata_aop, or -1. */
static int
odata_aop_at(odata_parser *p, int from, int to)
{
	for (int i = from; i <= to; i++)
		if (odata_is(p, odata_aops[i]))
			return i;
	return -1;
}

/* An operand of an arithmetic operator must be a number (or null). */
static int
odata_want_number(odata_parser *p, const odata_node *n, int op,
    const char *side)
{
	if (n->type == ODATA_NUMBER || n->type == ODATA_NULL)
		return 0;
	odata_fail(p, n->pos, "the %s operand of '%s' must be a number, not "
	    "%s", side, odata_aops[op], odata_tname(n->type));
	return -1;
}

/*
** One left-associative level of arithmetic: operands parsed by sub,
** joined by the operators from..to of odata_aops.
*/
static odata_node *
odata_arith(odata_parser *p, odata_node *(*sub)(odata_parser *), int from,
    int to)
{
	odata_node *l, *r, *n;
	int op;

	if ((l = sub(p)) == NULL)
		return NULL;
	while ((op = odata_aop_at(p, from, to)) >= 0) {
		size_t pos = p->tok.pos;
		odata_next(p);
		if ((r = sub(p)) == NULL)
			return NULL;
		if (odata_want_number(p, l, op, "left") < 0 ||
		    odata_want_number(p, r, op, "right") < 0)
			return NULL;
		if ((n = odata_new(p, ODATA_N_ARITH, pos)) == NULL)
			return NULL;
		n->type = ODATA_NUMBER;
		n->op = op;
		n->a = l;
		n->b = r;
		l = n;
	}
	return l;
}

static odata_node *
odata_mul(odata_parser *p)
{
	return odata_arith(p, odata_primary, ODATA_AOP_MUL, ODATA_AOP_MOD);
}

static odata_node *
odata_add(odata_parser *p)
{
	return odata_arith(p, odata_mul, ODATA_AOP_ADD, ODATA_AOP_SUB);
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

	if ((l = odata_add(p)) == NULL)
		return NULL;
	for (int i = 0; i < 6; i++)
		if (odata_is(p, ops[i]))
			op = i;
	if (op < 0)
		return l;
	oppos = p->tok.pos;
	odata_next(p);
	if ((r = odata_add(p)) == NULL)
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
odata_node *
odata_parse(odata_parser *p)
{
	char buf[64];
	odata_node *root;

	if (p->tok.kind == ODATA_T_END) {
		odata_fail(p, 0, "the filter is empty");
		return NULL;
	}
	root = odata_or(p);
	if (root == NULL || p->failed)
		return NULL;
	if (p->tok.kind != ODATA_T_END) {
		odata_fail(p, p->tok.pos, "expected 'and', 'or', a comparison "
		    "operator or the end of the expression, found %s",
		    odata_found(p, buf, sizeof buf));
		return NULL;
	}
	if (odata_want_bool(p, root, "the filter") < 0)
		return NULL;
	return root;
}
