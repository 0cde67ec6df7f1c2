/*
** qz_text.c: questions, answers and feedback as text for plain mode and
** the screens; see qz.h.
*/
#include "quiz/qz_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *
qz_syntax_hint(const qz_question *q)
{
	/* A "choose N" example has N letters. */
	static const char *const multiple[] = {
		"the letters you choose, separated by spaces, e.g. a c",
		"the letters you choose, separated by spaces, e.g. a c d",
		"the letters you choose, separated by spaces, e.g. a b d e",
		"the letters you choose, separated by spaces, e.g. a b c e f",
		"the letters you choose, separated by spaces, e.g. a b c d f g",
		"the letters you choose, separated by spaces, e.g. a b c d e g h",
	};
	switch (q->type) {
	case QZ_SINGLE:
		return "one letter, e.g. b";
	case QZ_MULTIPLE:
		return multiple[q->choose >= 2 && q->choose <= 7 ? q->choose - 2 : 0];
	case QZ_YESNO:
		return "one y or n per statement, e.g. y n y";
	case QZ_MATCHING:
		return "each item number followed by a letter, e.g. 1b 2a 3c";
	case QZ_ORDERING:
		return "the letters in order, separated by spaces, e.g. c a b";
	case QZ_DROPDOWN:
		return "one letter per blank, in order, e.g. b a";
	}
	return "";
}

/* The stem with each dropdown {n} shown as [n]. */
static void
qz_add_stem(const qz_question *q, sb *out)
{
	if (q->type != QZ_DROPDOWN) {
		sb_add(out, q->stem);
		return;
	}
	for (const char *s = q->stem; *s; s++) {
		if (*s == '{' && isdigit((unsigned char)s[1])) {
			const char *e = s + 1;
			while (isdigit((unsigned char)*e))
				e++;
			if (*e == '}') {
				sb_addc(out, '[');
				sb_addn(out, s + 1, (size_t)(e - s - 1));
				sb_addc(out, ']');
				s = e;
				continue;
			}
		}
		sb_addc(out, *s);
	}
}

void
qz_format_view(const qz_question *q, const qz_view *view, sb *out)
{
	qz_view idv;
	const qz_view *v = qz_view_or_identity(view, &idv);
	qz_add_stem(q, out);
	sb_addc(out, '\n');
	switch (q->type) {
	case QZ_SINGLE:
	case QZ_MULTIPLE:
		for (size_t i = 0; i < q->list.n; i++)
			sb_addf(out, "  %c) %s\n", (char)('a' + i), q->list.s[v->perm[i]]);
		if (q->type == QZ_MULTIPLE)
			sb_addf(out, "Choose %d.\n", q->choose);
		break;
	case QZ_YESNO:
		for (size_t i = 0; i < q->list.n; i++)
			sb_addf(out, "  %zu. %s\n", i + 1, q->list.s[i]);
		break;
	case QZ_MATCHING:
		sb_add(out, "Items:\n");
		for (size_t i = 0; i < q->list.n; i++)
			sb_addf(out, "  %zu. %s\n", i + 1, q->list.s[i]);
		sb_add(out, qz_one_to_one(q) ? "Targets (each target is used once):\n" :
		    "Targets (a target may fit several items or none):\n");
		for (size_t i = 0; i < q->targets.n; i++)
			sb_addf(out, "  %c) %s\n", (char)('a' + i),
			    q->targets.s[v->perm[i]]);
		break;
	case QZ_ORDERING:
		for (size_t i = 0; i < q->list.n; i++)
			sb_addf(out, "  %c) %s\n", (char)('a' + i), q->list.s[v->perm[i]]);
		if (q->nanswer < q->list.n)
			sb_addf(out, "Put %zu of these in order (the others do not belong).\n",
			    q->nanswer);
		else
			sb_addf(out, "Put all %zu in order.\n", q->nanswer);
		break;
	case QZ_DROPDOWN:
		for (size_t b = 0; b < q->nblanks; b++) {
			sb_addf(out, "  [%zu]", b + 1);
			for (size_t i = 0; i < q->blanks[b].n; i++)
				sb_addf(out, " %c) %s%s", (char)('a' + i),
				    q->blanks[b].s[v->bperm[b][i]],
				    i + 1 < q->blanks[b].n ? " " : "");
			sb_addc(out, '\n');
		}
		break;
	}
	sb_addf(out, "Answer with %s.\n", qz_syntax_hint(q));
}

void
qz_format_plain(const qz_question *q, sb *out)
{
	qz_format_view(q, NULL, out);
}

void
qz_format_resp(const qz_question *q, const qz_view *view, const qz_resp *r,
    sb *out)
{
	qz_view idv;
	const qz_view *v = qz_view_or_identity(view, &idv);
	switch (q->type) {
	case QZ_SINGLE:
		if (r->n == 1)
			sb_addc(out, (char)('a' + qz_place(v->perm, q->list.n, r->v[0])));
		break;
	case QZ_MULTIPLE: {
		/* Letters in display order, as the student would type them. */
		int on[QZ_MAXPART] = { 0 };
		for (size_t i = 0; i < r->n; i++)
			on[qz_place(v->perm, q->list.n, r->v[i])] = 1;
		int first = 1;
		for (size_t i = 0; i < q->list.n; i++)
			if (on[i]) {
				sb_addf(out, "%s%c", first ? "" : " ", (char)('a' + i));
				first = 0;
			}
		break;
	}
	case QZ_ORDERING:
		for (size_t i = 0; i < r->n; i++)
			sb_addf(out, "%s%c", i ? " " : "",
			    (char)('a' + qz_place(v->perm, q->list.n, r->v[i])));
		break;
	case QZ_YESNO:
		for (size_t i = 0; i < r->n; i++)
			sb_addf(out, "%s%c", i ? " " : "", r->v[i] ? 'y' : 'n');
		break;
	case QZ_MATCHING:
		for (size_t i = 0; i < r->n; i++)
			sb_addf(out, "%s%zu%c", i ? " " : "", i + 1,
			    (char)('a' + qz_place(v->perm, q->targets.n, r->v[i])));
		break;
	case QZ_DROPDOWN:
		for (size_t i = 0; i < r->n; i++)
			sb_addf(out, "%s%c", i ? " " : "",
			    (char)('a' + qz_place(v->bperm[i], q->blanks[i].n, r->v[i])));
		break;
	}
}

void
qz_format_resp_long(const qz_question *q, const qz_view *view,
    const qz_resp *r, const char *indent, sb *out)
{
	qz_view idv;
	const qz_view *v = qz_view_or_identity(view, &idv);
	switch (q->type) {
	case QZ_SINGLE:
	case QZ_MULTIPLE: {
		int on[QZ_MAXPART] = { 0 };
		for (size_t i = 0; i < r->n; i++)
			on[qz_place(v->perm, q->list.n, r->v[i])] = 1;
		for (size_t i = 0; i < q->list.n; i++)
			if (on[i])
				sb_addf(out, "%s%c) %s\n", indent, (char)('a' + i),
				    q->list.s[v->perm[i]]);
		break;
	}
	case QZ_ORDERING:
		for (size_t i = 0; i < r->n; i++)
			sb_addf(out, "%s%zu. %c) %s\n", indent, i + 1,
			    (char)('a' + qz_place(v->perm, q->list.n, r->v[i])),
			    q->list.s[r->v[i]]);
		break;
	case QZ_YESNO:
		for (size_t i = 0; i < r->n; i++)
			sb_addf(out, "%s%zu. %s: %s\n", indent, i + 1,
			    r->v[i] ? "Yes" : "No", q->list.s[i]);
		break;
	case QZ_MATCHING:
		for (size_t i = 0; i < r->n; i++)
			sb_addf(out, "%s%zu. %s -> %c) %s\n", indent, i + 1,
			    q->list.s[i],
			    (char)('a' + qz_place(v->perm, q->targets.n, r->v[i])),
			    q->targets.s[r->v[i]]);
		break;
	case QZ_DROPDOWN:
		for (size_t i = 0; i < r->n; i++)
			sb_addf(out, "%s[%zu] %c) %s\n", indent, i + 1,
			    (char)('a' + qz_place(v->bperm[i], q->blanks[i].n, r->v[i])),
			    q->blanks[i].s[r->v[i]]);
		break;
	}
}

int
qz_one_to_one(const qz_question *q)
{
	if (q->type != QZ_MATCHING || q->list.n != q->targets.n ||
	    q->nanswer != q->list.n)
		return 0;
	return !qz_has_dup(q->answer, q->nanswer);
}

void
qz_format_verdict(const qz_question *q, const qz_grade *g, sb *out)
{
	int pct = (int)(g->score * 100.0 + 0.5);
	if (g->correct)
		sb_add(out, "Right.");
	else if (g->points > 0 && g->parts > 1 && q->scoring == QZ_PER_PART)
		sb_addf(out, "Partly right: %d of %d parts right, and each part "
		    "earns its share, so %d%%.", g->points, g->parts, pct);
	else if (g->points > 0 && g->parts > 1)
		sb_addf(out, "Not fully right: %d of %d parts right, but this "
		    "question earns its point only when every part is right, so "
		    "0%%.", g->points, g->parts);
	else
		sb_add(out, "Wrong.");
}

/* "c) SaaS; it is b) PaaS.\n": what was given and what is right, each
** as its letter under perm and its text (file indices got, want). */
static void
qz_add_choice(sb *out, const unsigned char *perm, const qz_list *l, int got,
    int want)
{
	sb_addf(out, "%c) %s; it is %c) %s.\n",
	    (char)('a' + qz_place(perm, l->n, got)), l->s[got],
	    (char)('a' + qz_place(perm, l->n, want)), l->s[want]);
}

/* Which parts of a yes/no, matching or dropdown answer were wrong, one
** line each: what the student gave and what is right. */
static void
qz_format_wrong_parts(const qz_question *q, const qz_view *view,
    const qz_resp *r, sb *out)
{
	qz_view idv;
	const qz_view *v = qz_view_or_identity(view, &idv);
	if (r->n != q->nanswer)
		return;
	for (size_t i = 0; i < r->n; i++) {
		int got = r->v[i], want = q->answer[i];
		if (got == want)
			continue;
		switch (q->type) {
		case QZ_YESNO:
			sb_addf(out, "Wrong: statement %zu, you said %s; it is %s.\n",
			    i + 1, got ? "Yes" : "No", want ? "Yes" : "No");
			break;
		case QZ_MATCHING:
			sb_addf(out, "Wrong: item %zu (%s), you gave ", i + 1,
			    q->list.s[i]);
			qz_add_choice(out, v->perm, &q->targets, got, want);
			break;
		case QZ_DROPDOWN:
			sb_addf(out, "Wrong: blank %zu, you chose ", i + 1);
			qz_add_choice(out, v->bperm[i], &q->blanks[i], got, want);
			break;
		default:
			return;
		}
	}
}

void
qz_format_feedback(const qz_question *q, const qz_view *v, const qz_resp *r,
    const qz_grade *g, sb *out)
{
	qz_resp right;
	qz_right_resp(q, &right);
	if (g) {
		qz_format_verdict(q, g, out);
		sb_addc(out, ' ');
	}
	sb_add(out, "The answer: ");
	qz_format_resp(q, v, &right, out);
	sb_addc(out, '\n');
	qz_format_resp_long(q, v, &right, "  ", out);
	if (r && g && !g->correct && (q->type == QZ_YESNO ||
	    q->type == QZ_MATCHING || q->type == QZ_DROPDOWN))
		qz_format_wrong_parts(q, v, r, out);
	if (q->feedback.n > 0 && r) {
		/* The author's note on each option the student chose (or, for
		** yes/no, on every statement answered wrongly). */
		qz_view idv;
		const qz_view *vv = qz_view_or_identity(v, &idv);
		for (size_t i = 0; i < r->n; i++) {
			size_t fi = (size_t)r->v[i];
			if (q->type == QZ_YESNO) {
				if (r->v[i] != q->answer[i])
					sb_addf(out, "Statement %zu: %s\n", i + 1,
					    q->feedback.s[i]);
			} else if (fi < q->feedback.n)
				sb_addf(out, "You chose %c: %s\n",
				    (char)('a' + qz_place(vv->perm, q->list.n, (int)fi)),
				    q->feedback.s[fi]);
		}
	}
	sb_addf(out, "Why: %s\n", q->explanation);
}

void
qz_format_case(const qz_case *cs, sb *out)
{
	sb_addf(out, "Case study: %s\n%s\n", cs->title, cs->text);
	if (cs->nreqs > 0) {
		sb_add(out, "Requirements:\n");
		for (size_t i = 0; i < cs->nreqs; i++)
			sb_addf(out, "  - %s\n", cs->reqs[i]);
	}
}
