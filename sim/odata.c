/*
** odata.c: $filter compiled to SQL, from the tree odata_parse.c builds;
** see odata.h ($orderby and $select are in odata_list.c).
**
** The filter is parsed into a small tree first and SQL is generated from
** the tree, because some functions need an argument more than once
** (endswith, substring) and because a comparison with a sub-millisecond
** date literal is rewritten (see odata_gen_cmp).  Every literal becomes a
** bound parameter; the only text written into the SQL is this file's own
** (operators, function names) and the caller's quoted column names.
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
**   - year() ... second() read the stored text (UTC, see odata.h) with
**     strftime(); round() is SQLite's round(), halves away from zero (2.5
**     gives 3, -2.5 gives -3), as the reference server's ROUND(x, 0);
**     floor() and ceiling() are SQLite's math functions, which Debian's
**     libsqlite3 is built with (SQLITE_ENABLE_MATH_FUNCTIONS).
*/
#include "sim/odata.h"
#include "sim/odata_int.h"
#include "lib/xmem.h"

#include <stdlib.h>
#include <string.h>

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

/*
** add sub mul div are SQL's + - * /, which is what the reference server
** writes: / of two integers is an integer division (7 div 2 is 3, as OData
** divides two Int32s), of a REAL column a real one, and division by zero
** is null.  mod is SQLite's mod(), the remainder with the dividend's sign
** (7.5 mod 2 is 1.5, -7 mod 2 is -1), also null for a zero divisor; SQL's
** % would truncate both operands to integers first.
*/
static void
odata_gen_arith(odata_gen *g, const odata_node *n)
{
	static const char *const sqlops[] = { " + ", " - ", " * ", " / " };

	if (n->op == ODATA_AOP_MOD)
		odata_emit2(g, "mod(", n->a, ", ", n->b, ")");
	else
		odata_emit2(g, "(", n->a, sqlops[n->op], n->b, ")");
}

/*
** substring(s, start[, length]), 0-based.  A literal start or length is
** a whole number from 0 (odata_parse.c); a computed one is truncated to an
** integer and taken as SQL Server's SUBSTRING takes it, as a window: the
** characters at 0-based positions start .. start+length-1 that exist, so
** a negative start shortens the result instead of counting from the end
** (SQLite's substr() would) and a negative length gives ''.  Written with
** SQLite's substr(s, first, count), 1-based:
**     2 arguments:  substr(s, max(S, 0) + 1)
**     3 arguments:  substr(s, max(S, 0) + 1, max(S + L - max(S, 0), 0))
** with S and L the arguments CAST AS INTEGER.  A null anywhere gives null.
*/
static void
odata_gen_substring(odata_gen *g, const odata_node *n)
{
	const odata_node *s = n->args[1], *l = n->args[2];

	odata_emit2(g, "substr(", n->args[0], ", max(CAST(", s,
	    " AS INTEGER), 0) + 1");
	if (n->nargs == 3) {
		odata_emit2(g, ", max(CAST(", s, " AS INTEGER) + CAST(", l,
		    " AS INTEGER) - ");
		sb_add(&g->sql, "max(CAST(");
		odata_emit(g, s);
		sb_add(&g->sql, " AS INTEGER), 0), 0)");
	}
	sb_addc(&g->sql, ')');
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
	case ODATA_N_ARITH:
		odata_gen_arith(g, n);
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
	case ODATA_FN_SUBSTRING:
		odata_gen_substring(g, n);
		break;
	case ODATA_FN_YEAR: case ODATA_FN_MONTH: case ODATA_FN_DAY:
	case ODATA_FN_HOUR: case ODATA_FN_MINUTE: case ODATA_FN_SECOND: {
		/* Stored dates are UTC text, so these are UTC parts. */
		static const char *const part[] = { "%Y", "%m", "%d", "%H",
		    "%M", "%S" };
		sb_addf(&g->sql, "CAST(strftime('%s', ",
		    part[n->op - ODATA_FN_YEAR]);
		odata_emit(g, n->a);
		sb_add(&g->sql, ") AS INTEGER)");
		break;
	}
	case ODATA_FN_ROUND:
	case ODATA_FN_FLOOR:
	case ODATA_FN_CEILING:
		sb_add(&g->sql, n->op == ODATA_FN_ROUND ? "round(" :
		    n->op == ODATA_FN_FLOOR ? "floor(" : "ceiling(");
		odata_emit(g, n->a);
		sb_addc(&g->sql, ')');
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
	int rc = -1;

	memset(out, 0, sizeof *out);
	memset(&p, 0, sizeof p);
	p.s = text ? text : "";
	p.n = strlen(p.s);
	p.fields = fields;
	p.nfields = nfields;
	p.err = err;
	odata_next(&p);
	if ((root = odata_parse(&p)) != NULL && !p.failed) {
		odata_gen g;
		memset(&g, 0, sizeof g);
		g.fields = fields;
		odata_emit(&g, root);
		out->sql = sb_take(&g.sql);
		out->params = g.params;
		out->nparams = g.nparams;
		rc = 0;
	}
	odata_parser_free(&p);
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