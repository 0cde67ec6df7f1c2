/*
** qz_answer.c: display orders (views), answers typed in the plain syntax,
** and grading; see qz.h.
*/
#include "quiz/qz_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --- views -------------------------------------------------------------- */

void
qz_view_identity(qz_view *v)
{
	for (int i = 0; i < QZ_MAXPART; i++) {
		v->perm[i] = (unsigned char)i;
		for (int j = 0; j < QZ_MAXPART; j++)
			v->bperm[i][j] = (unsigned char)j;
	}
}

static void
qz_shuffle(unsigned char *a, size_t n, rng *r)
{
	for (size_t i = n; i > 1; i--) {
		size_t j = (size_t)rng_below(r, i);
		unsigned char t = a[i - 1];
		a[i - 1] = a[j];
		a[j] = t;
	}
}

void
qz_view_shuffle(const qz_question *q, rng *r, qz_view *v)
{
	qz_view_identity(v);
	switch (q->type) {
	case QZ_SINGLE:
	case QZ_MULTIPLE:
	case QZ_ORDERING:
		qz_shuffle(v->perm, q->list.n, r);
		break;
	case QZ_MATCHING:
		qz_shuffle(v->perm, q->targets.n, r);
		break;
	case QZ_DROPDOWN:
		for (size_t b = 0; b < q->nblanks; b++)
			qz_shuffle(v->bperm[b], q->blanks[b].n, r);
		break;
	case QZ_YESNO:
		break;
	}
}

int
qz_place(const unsigned char *perm, size_t n, int fi)
{
	for (size_t i = 0; i < n; i++)
		if (perm[i] == fi)
			return (int)i;
	return 0;
}

const qz_view *
qz_view_or_identity(const qz_view *v, qz_view *tmp)
{
	if (v)
		return v;
	qz_view_identity(tmp);
	return tmp;
}

/* --- parsing answers ---------------------------------------------------- */

/* Parts of an answer are separated by blanks or commas ("a c", "a, c",
** "a,c"). */
static int
qz_sep(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == ',';
}

/* The token as the student typed it, quoted, when it is printable ASCII
** and whole; else "that" (a message never echoes bytes that could be a
** cut character or a control code). */
static const char *
qz_shown(const char *tok, char buf[24])
{
	size_t n = strlen(tok);
	int ok = n > 0 && n < 15;
	for (size_t i = 0; ok && i < n; i++)
		ok = tok[i] > ' ' && tok[i] < 0x7f && tok[i] != '"';
	if (!ok)
		return "that";
	snprintf(buf, 24, "\"%s\"", tok);
	return buf;
}

static size_t
qz_tokens(const char *text, char tok[][16], size_t max, int *toolong)
{
	size_t n = 0;
	*toolong = 0;
	const char *s = text;
	for (;;) {
		while (qz_sep(*s))
			s++;
		if (*s == '\0')
			break;
		const char *b = s;
		while (*s && !qz_sep(*s))
			s++;
		size_t len = (size_t)(s - b);
		if (n < max) {
			if (len >= 16) {
				*toolong = 1;
				len = 15;
			}
			for (size_t i = 0; i < len; i++)
				tok[n][i] = (char)tolower((unsigned char)b[i]);
			tok[n][len] = '\0';
		}
		n++;
	}
	return n;
}

/* A one-letter token naming a place in [0, n); -1 otherwise. */
static int
qz_letter(const char *t, size_t n)
{
	if (t[0] < 'a' || t[1] != '\0')
		return -1;
	int i = t[0] - 'a';
	return (size_t)i < n ? i : -1;
}

/* The readers of an answer by question type: tok holds the n tokens
** typed; each fills r, or returns -1 with why. */

/* One letter. */
static int
qz_parse_single(const qz_question *q, const qz_view *v, char (*tok)[16],
    size_t n, qz_resp *r, sb *why)
{
	char sh[24];
	char last = (char)('a' + q->list.n - 1);
	if (n != 1) {
		sb_addf(why, "type one letter only (a to %c)", last);
		return -1;
	}
	int i = qz_letter(tok[0], q->list.n);
	if (i < 0) {
		sb_addf(why, "%s is not an option: type one letter from a to %c",
		    qz_shown(tok[0], sh), last);
		return -1;
	}
	r->v[0] = v->perm[i];
	r->n = 1;
	return 0;
}

/* Letters, as many as the question wants (multiple choice: choose N;
** ordering: every item). */
static int
qz_parse_letters(const qz_question *q, const qz_view *v, char (*tok)[16],
    size_t n, int toolong, qz_resp *r, sb *why)
{
	char sh[24];
	size_t want = q->type == QZ_MULTIPLE ? (size_t)q->choose : q->nanswer;
	char last = (char)('a' + q->list.n - 1);
	if (n == 1 && strlen(tok[0]) > 1 && !toolong) {
		/* Letters run together: show them apart, when they
		** are letters of this question. */
		int letters = 1;
		for (const char *c = tok[0]; *c && letters; c++)
			letters = qz_letter((char[]){ *c, '\0' }, q->list.n) >= 0;
		if (letters) {
			sb_add(why, "separate the letters with spaces or commas (e.g. \"");
			for (const char *c = tok[0]; *c; c++)
				sb_addf(why, "%s%c", c == tok[0] ? "" : " ", *c);
			sb_add(why, "\")");
			return -1;
		}
	}
	for (size_t k = 0; k < n && k <= QZ_MAXPART; k++) {
		int li = qz_letter(tok[k], q->list.n);
		if (li < 0) {
			sb_addf(why, "%s is not one of the letters a to %c",
			    qz_shown(tok[k], sh), last);
			return -1;
		}
		if (k < QZ_MAXPART)
			r->v[k] = v->perm[li];
	}
	if (n != want) {
		sb_addf(why, "%s exactly %zu letters, you gave %zu",
		    q->type == QZ_MULTIPLE ? "choose" : "put in order", want, n);
		return -1;
	}
	r->n = n;
	if (qz_has_dup(r->v, n)) {
		sb_add(why, "a letter appears twice");
		return -1;
	}
	return 0;
}

/* One y or n per statement. */
static int
qz_parse_yesno(const qz_question *q, char (*tok)[16], size_t n, qz_resp *r,
    sb *why)
{
	char sh[24];
	if (n != q->list.n) {
		sb_addf(why, "type one y or n for each of the %zu statements, you gave %zu",
		    q->list.n, n);
		return -1;
	}
	for (size_t k = 0; k < n; k++) {
		if (strcmp(tok[k], "y") == 0)
			r->v[k] = 1;
		else if (strcmp(tok[k], "n") == 0)
			r->v[k] = 0;
		else {
			sb_addf(why, "%s is not y or n (statement %zu)",
			    qz_shown(tok[k], sh), k + 1);
			return -1;
		}
	}
	r->n = n;
	return 0;
}

/* Item number and letter ("1b 2a") per item. */
static int
qz_parse_matching(const qz_question *q, const qz_view *v, char (*tok)[16],
    size_t n, qz_resp *r, sb *why)
{
	char sh[24];
	int seen[QZ_MAXPART] = { 0 };
	char last = (char)('a' + q->targets.n - 1);
	if (n != q->list.n) {
		sb_addf(why, "match each of the %zu items (e.g. \"1b 2a\"), you gave %zu",
		    q->list.n, n);
		return -1;
	}
	for (size_t k = 0; k < n; k++) {
		const char *t = tok[k];
		char *end;
		long item = strtol(t, &end, 10);
		if (end == t || item < 1 || (size_t)item > q->list.n ||
		    qz_letter(end, q->targets.n) < 0) {
			sb_addf(why, "%s is not an item number (1 to %zu) followed by a letter (a to %c)",
			    qz_shown(t, sh), q->list.n, last);
			return -1;
		}
		if (seen[item - 1]++) {
			sb_addf(why, "item %ld is matched twice", item);
			return -1;
		}
		r->v[item - 1] = v->perm[qz_letter(end, q->targets.n)];
	}
	r->n = n;
	return 0;
}

/* One letter per blank. */
static int
qz_parse_dropdown(const qz_question *q, const qz_view *v, char (*tok)[16],
    size_t n, qz_resp *r, sb *why)
{
	char sh[24];
	if (n != q->nblanks) {
		sb_addf(why, "type one letter for each of the %zu blanks, you gave %zu",
		    q->nblanks, n);
		return -1;
	}
	for (size_t k = 0; k < n; k++) {
		int li = qz_letter(tok[k], q->blanks[k].n);
		if (li < 0) {
			sb_addf(why, "%s is not an option of blank %zu (a to %c)",
			    qz_shown(tok[k], sh), k + 1, (char)('a' + q->blanks[k].n - 1));
			return -1;
		}
		r->v[k] = v->bperm[k][li];
	}
	r->n = n;
	return 0;
}

int
qz_parse_answer(const qz_question *q, const qz_view *view, const char *text,
    qz_resp *r, sb *why)
{
	char tok[QZ_MAXPART + 1][16];
	int toolong;
	qz_view idv;
	const qz_view *v = qz_view_or_identity(view, &idv);
	size_t n = qz_tokens(text, tok, QZ_MAXPART + 1, &toolong);
	memset(r, 0, sizeof *r);
	if (n == 0) {
		sb_addf(why, "no answer given: type %s", qz_syntax_hint(q));
		return -1;
	}
	switch (q->type) {
	case QZ_SINGLE:
		return qz_parse_single(q, v, tok, n, r, why);
	case QZ_MULTIPLE:
	case QZ_ORDERING:
		return qz_parse_letters(q, v, tok, n, toolong, r, why);
	case QZ_YESNO:
		return qz_parse_yesno(q, tok, n, r, why);
	case QZ_MATCHING:
		return qz_parse_matching(q, v, tok, n, r, why);
	case QZ_DROPDOWN:
		return qz_parse_dropdown(q, v, tok, n, r, why);
	}
	return -1;
}

/* --- grading ------------------------------------------------------------ */

void
qz_right_resp(const qz_question *q, qz_resp *r)
{
	memcpy(r->v, q->answer, sizeof r->v);
	r->n = q->nanswer;
}

void
qz_grade_resp(const qz_question *q, const qz_resp *r, qz_grade *g)
{
	g->points = 0;
	g->parts = (int)q->nanswer;
	switch (q->type) {
	case QZ_SINGLE:
		g->parts = 1;
		g->points = r->n == 1 && r->v[0] == q->answer[0];
		break;
	case QZ_MULTIPLE:
		/* One point per right choice among the N chosen. */
		for (size_t i = 0; i < r->n && i < QZ_MAXPART; i++)
			for (size_t j = 0; j < q->nanswer; j++)
				if (r->v[i] == q->answer[j])
					g->points++;
		if (r->n != q->nanswer)
			g->points = 0;	/* the wrong shape earns nothing */
		break;
	default:
		/* Every other type: one point per part in its right place. */
		if (r->n == q->nanswer)
			for (size_t i = 0; i < q->nanswer; i++)
				if (r->v[i] == q->answer[i])
					g->points++;
		break;
	}
	if (g->parts < 1)
		g->parts = 1;
	g->correct = g->points == g->parts;
	if (q->scoring == QZ_PER_PART)
		g->score = (double)g->points / g->parts;
	else
		g->score = g->correct ? 1.0 : 0.0;
}

int
qz_grade_plain(const qz_question *q, const char *answer, double *score,
    sb *feedback)
{
	qz_resp r;
	qz_grade g;
	if (qz_parse_answer(q, NULL, answer, &r, feedback) != 0)
		return -1;
	qz_grade_resp(q, &r, &g);
	*score = g.score;
	qz_format_verdict(q, &g, feedback);
	qz_resp right;
	qz_right_resp(q, &right);
	sb_add(feedback, " The answer: ");
	qz_format_resp(q, NULL, &right, feedback);
	return 0;
}
