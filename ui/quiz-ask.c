/*
** quiz-ask.c: the answer widget of the quiz screens: the answer being
** built for one item with the keyboard (every question type), the
** question as a document (being answered, or graded with the right
** answer), and the key hint, case study and feedback documents.
*/
#include "ui/ui-int.h"
#include "ui/uq.h"

#include <stdlib.h>
#include <string.h>

#include "lib/xmem.h"

static void
uq_ask_clear(struct uq_ask *k)
{
	const qz_question *q = k->q;
	for (int i = 0; i < QZ_MAXPART; i++) {
		k->val[i] = q->type == QZ_SINGLE || q->type == QZ_MULTIPLE ?
		    0 : -1;
		k->order[i] = (unsigned char)i;
	}
	k->typed = 0;
	k->arranged = 0;
}

void
uq_ask_set(struct uq_ask *k, const qs_item *it)
{
	memset(k, 0, sizeof *k);
	const qz_question *q = it->q;
	const qz_view *v = &it->view;
	const qz_resp *r = &it->resp;
	k->q = q;
	k->v = v;
	k->nrows = (int)(q->type == QZ_DROPDOWN ? q->nblanks : q->list.n);
	uq_ask_clear(k);
	if (!it->answered)
		return;
	switch (q->type) {
	case QZ_SINGLE:
	case QZ_MULTIPLE:
		for (size_t i = 0; i < r->n; i++)
			k->val[qz_place(v->perm, q->list.n, r->v[i])] = 1;
		break;
	case QZ_YESNO:
		for (size_t i = 0; i < r->n && i < QZ_MAXPART; i++)
			k->val[i] = r->v[i] ? 1 : 0;
		break;
	case QZ_MATCHING:
		for (size_t i = 0; i < r->n && i < QZ_MAXPART; i++)
			k->val[i] = qz_place(v->perm, q->targets.n, r->v[i]);
		break;
	case QZ_DROPDOWN:
		for (size_t i = 0; i < r->n && i < QZ_MAXPART; i++)
			k->val[i] = qz_place(v->bperm[i], q->blanks[i].n,
			    r->v[i]);
		break;
	case QZ_ORDERING: {
		/* The answer first, then the items left out in shown order. */
		int used[QZ_MAXPART] = { 0 };
		size_t n = 0;
		for (size_t i = 0; i < r->n && n < q->list.n; i++) {
			int p = qz_place(v->perm, q->list.n, r->v[i]);
			used[p] = 1;
			k->order[n++] = (unsigned char)p;
		}
		for (size_t p = 0; p < q->list.n; p++)
			if (!used[p])
				k->order[n++] = (unsigned char)p;
		k->arranged = 1;	/* an answer given before */
		break;
	}
	}
}

int
uq_ask_resp(const struct uq_ask *k, qz_resp *r)
{
	const qz_question *q = k->q;
	const qz_view *v = k->v;
	int n = 0;
	memset(r, 0, sizeof *r);
	switch (q->type) {
	case QZ_SINGLE:
	case QZ_MULTIPLE:
		for (size_t i = 0; i < q->list.n; i++)
			if (k->val[i] == 1)
				r->v[n++] = v->perm[i];
		r->n = (size_t)n;
		return q->type == QZ_SINGLE ? n == 1 : n == q->choose;
	case QZ_YESNO:
	case QZ_MATCHING:
	case QZ_DROPDOWN:
		for (int i = 0; i < k->nrows; i++) {
			if (k->val[i] < 0)
				return 0;
			r->v[i] = q->type == QZ_YESNO ? k->val[i] :
			    q->type == QZ_MATCHING ? v->perm[k->val[i]] :
			    v->bperm[i][k->val[i]];
		}
		r->n = (size_t)k->nrows;
		return 1;
	case QZ_ORDERING:
		for (size_t i = 0; i < q->nanswer; i++)
			r->v[i] = v->perm[k->order[i]];
		r->n = q->nanswer;
		/* The order as shown at first is not an answer: every place
		** but the last (which is then implied) must have been typed,
		** or the items arranged with J/K. */
		return k->arranged || k->typed + 1 >= (int)q->nanswer;
	}
	return 0;
}

/* Why the response is not complete yet (for the toast). */
static void
uq_ask_missing(struct ui_app *a, const struct uq_ask *k)
{
	const qz_question *q = k->q;
	int set = 0;
	for (int i = 0; i < k->nrows; i++)
		set += q->type == QZ_MULTIPLE || q->type == QZ_SINGLE ?
		    k->val[i] == 1 : k->val[i] >= 0;
	switch (q->type) {
	case QZ_SINGLE:
		ui_toast(a, "Pick one option: a letter, or Space on the "
		    "highlighted one");
		break;
	case QZ_MULTIPLE:
		ui_toast(a, "Choose exactly %d (%d chosen): letters toggle",
		    q->choose, set);
		break;
	case QZ_YESNO:
		ui_toast(a, "Answer every statement with y or n (%d of %d "
		    "answered)", set, k->nrows);
		break;
	case QZ_MATCHING:
		ui_toast(a, "Give every item a target (%d of %d matched)", set,
		    k->nrows);
		break;
	case QZ_DROPDOWN:
		ui_toast(a, "Fill every blank (%d of %d filled)", set,
		    k->nrows);
		break;
	case QZ_ORDERING:
		ui_toast(a, "Put the items in order: type the letter of each "
		    "in turn (%d of %d placed), or move them with J/K", k->typed,
		    (int)q->nanswer);
		break;
	}
}

/* Ordering: moves the item at place p (display letter) to position at. */
static void
uq_ask_place(struct uq_ask *k, int p, int at)
{
	int from = 0;
	for (int i = 0; i < k->nrows; i++)
		if (k->order[i] == p)
			from = i;
	unsigned char it = k->order[from];
	if (from < at)
		memmove(&k->order[from], &k->order[from + 1],
		    (size_t)(at - from));
	else if (from > at)
		memmove(&k->order[at + 1], &k->order[at], (size_t)(from - at));
	k->order[at] = it;
	k->row = at;
}

void
uq_ask_flags(struct ui_app *a, const qz_question *q, int open)
{
	if (open && q)
		a->key_flags |= q->type == QZ_YESNO ? UI_KF_YESNO : UI_KF_PICK;
}

/* Ordering: the next typed letter goes to the next place. */
static void
uq_ask_type(struct uq_ask *k, int p)
{
	int want = (int)k->q->nanswer;
	if (k->typed >= want)
		k->typed = 0;
	uq_ask_place(k, p, k->typed);
	k->typed++;
	if (k->typed < k->nrows)
		k->row = k->typed < want ? k->typed : k->row;
}

static int
uq_nopts(const struct uq_ask *k)
{
	const qz_question *q = k->q;
	switch (q->type) {
	case QZ_SINGLE: case QZ_MULTIPLE: case QZ_ORDERING:
		return (int)q->list.n;
	case QZ_MATCHING:
		return (int)q->targets.n;
	case QZ_DROPDOWN:
		return (int)q->blanks[k->row].n;
	case QZ_YESNO:
		return 0;
	}
	return 0;
}

/* Picks option place p for the focused row (letters and Space). */
static enum uq_ask_rc
uq_ask_pick(struct uq_ask *k, int p, int instant, qz_resp *r)
{
	const qz_question *q = k->q;
	k->dirty = 1;
	switch (q->type) {
	case QZ_SINGLE:
		for (int i = 0; i < k->nrows; i++)
			k->val[i] = i == p;
		k->row = p;
		if (instant && uq_ask_resp(k, r))
			return UQ_ASK_SUBMIT;
		return UQ_ASK_USED;
	case QZ_MULTIPLE:
		k->val[p] = !k->val[p];
		k->row = p;
		return UQ_ASK_USED;
	case QZ_MATCHING:
	case QZ_DROPDOWN:
		k->val[k->row] = p;
		if (k->row + 1 < k->nrows)
			k->row++;
		return UQ_ASK_USED;
	case QZ_ORDERING:
		uq_ask_type(k, p);
		return UQ_ASK_USED;
	case QZ_YESNO:
		break;
	}
	return UQ_ASK_UNUSED;
}

enum uq_ask_rc
uq_ask_key(struct ui_app *a, struct uq_ask *k, int ch, int instant,
    qz_resp *r)
{
	const qz_question *q = k->q;
	switch (ch) {
	case 'j': case KEY_DOWN:
		if (k->row + 1 < k->nrows)
			k->row++;
		return UQ_ASK_USED;
	case 'k': case KEY_UP:
		if (k->row > 0)
			k->row--;
		return UQ_ASK_USED;
	case '\r': case '\n': case KEY_ENTER:
		if (uq_ask_resp(k, r))
			return UQ_ASK_SUBMIT;
		uq_ask_missing(a, k);
		return UQ_ASK_USED;
	case KEY_BACKSPACE: case 127: case 8:
		uq_ask_clear(k);
		k->dirty = 1;
		return UQ_ASK_USED;
	case ' ':
		switch (q->type) {
		case QZ_SINGLE: case QZ_MULTIPLE:
			return uq_ask_pick(k, k->row, instant, r);
		case QZ_YESNO:
			k->val[k->row] = k->val[k->row] == 1 ? 0 : 1;
			k->dirty = 1;
			return UQ_ASK_USED;
		case QZ_MATCHING: case QZ_DROPDOWN: {
			int n = uq_nopts(k);
			int row = k->row;
			enum uq_ask_rc rc = uq_ask_pick(k, n ? (k->val[row] + 1) %
			    n : 0, instant, r);
			k->row = row;	/* Space cycles: stay on the row */
			return rc;
		}
		case QZ_ORDERING:
			return uq_ask_pick(k, k->order[k->row], instant, r);
		}
		return UQ_ASK_UNUSED;
	case 'J': case KEY_SF:
		if (q->type != QZ_ORDERING)
			return UQ_ASK_UNUSED;
		if (k->row + 1 < k->nrows) {
			uq_ask_place(k, k->order[k->row], k->row + 1);
			k->dirty = 1;
			k->arranged = 1;
		}
		return UQ_ASK_USED;
	case 'K': case KEY_SR:
		if (q->type != QZ_ORDERING)
			return UQ_ASK_UNUSED;
		if (k->row > 0) {
			uq_ask_place(k, k->order[k->row], k->row - 1);
			k->dirty = 1;
			k->arranged = 1;
		}
		return UQ_ASK_USED;
	}
	if (q->type == QZ_YESNO && (ch == 'y' || ch == 'n')) {
		k->val[k->row] = ch == 'y';
		k->dirty = 1;
		if (k->row + 1 < k->nrows)
			k->row++;
		return UQ_ASK_USED;
	}
	if (ch >= '1' && ch < '1' + QZ_MAXPART) {
		int i = ch - '1';
		if (q->type == QZ_SINGLE || q->type == QZ_MULTIPLE) {
			if (i >= k->nrows)
				return UQ_ASK_USED;
			return uq_ask_pick(k, i, instant, r);
		}
		if (i < k->nrows)
			k->row = i;
		return UQ_ASK_USED;
	}
	if (ch >= 'a' && ch < 'a' + QZ_MAXPART && q->type != QZ_YESNO) {
		int i = ch - 'a';
		if (i >= uq_nopts(k)) {
			ui_toast(a, "There is no option %c here", ch);
			return UQ_ASK_USED;
		}
		return uq_ask_pick(k, i, instant, r);
	}
	return UQ_ASK_UNUSED;
}

/* The stem, a dropdown's {n} shown as [n: the chosen option]. */
static void
uq_stem(const struct uq_ask *k, const int *val, sb *out)
{
	const qz_question *q = k->q;
	if (q->type != QZ_DROPDOWN) {
		sb_add(out, q->stem);
		return;
	}
	for (const char *s = q->stem; *s; s++) {
		if (*s == '{' && s[1] >= '1' && s[1] <= '9') {
			char *e;
			long b = strtol(s + 1, &e, 10);
			if (*e == '}' && b >= 1 && (size_t)b <= q->nblanks) {
				int p = val[b - 1];
				sb_addf(out, "[%ld: %s]", b, p >= 0 ?
				    q->blanks[b - 1].s[k->v->bperm[b - 1][p]] :
				    "_____");
				s = e;
				continue;
			}
		}
		sb_addc(out, *s);
	}
}

/* " right" / " wrong" marks after a part, glyph and word. */
static void
uq_mark(struct ui_app *a, struct uq_doc *d, int right)
{
	uq_doc_segf(d, ui_attr(a, right ? UI_MARK : UI_ERR), " %s %s",
	    right ? a->g->check : a->g->cross, right ? "right" : "wrong");
}

/* What the rows of one question are drawn from (uq_ask_doc): the
** choices shown (being answered, or the graded ones) and the right
** answer. */
struct uq_rows {
	struct ui_app		*a;
	const struct uq_ask	*k;
	struct uq_doc		*d;
	int			 reveal;	/* graded: marks and answers */
	int			 answered;
	int			 val[QZ_MAXPART];
	unsigned char		 order[QZ_MAXPART];
	qz_resp			 right;
	attr_t			 nat, kat;
	sb			 t;		/* scratch text */
};

/* One row of the question: its prefix (in the key colour unless
** highlighted) and its text, wrapped under the prefix. */
static void
uq_row_item(struct uq_rows *c, int i, int sel, const char *pre,
    const char *text)
{
	uq_doc_item(c->d, i, sel, sel ? c->nat : c->kat, pre, c->nat, text);
}

/* After a graded row: right or wrong when the student gave a choice,
** then the right one when none was given or it was wrong. */
static void
uq_row_verdict(struct uq_rows *c, int given, int right, const char *answer)
{
	if (!c->reveal)
		return;
	if (c->answered && given)
		uq_mark(c->a, c->d, right);
	if (!c->answered || !given || !right)
		uq_doc_segf(c->d, ui_attr(c->a, UI_MARK), " (right: %s)",
		    answer);
}

/* The same with the right choice named by its display letter. */
static void
uq_row_verdict_letter(struct uq_rows *c, int given, int right, int place)
{
	char l[2] = { (char)('a' + place), '\0' };
	uq_row_verdict(c, given, right, l);
}

/* single, multiple: an option; graded, the chosen ones are marked and
** a right one left out is pointed at. */
static void
uq_row_choice(struct uq_rows *c, int i, int sel, const char *cur)
{
	const qz_question *q = c->k->q;
	const qz_view *v = c->k->v;
	char pre[128];
	int is_right = 0;
	for (size_t j = 0; j < c->right.n; j++)
		is_right |= c->right.v[j] == v->perm[i];
	snprintf(pre, sizeof pre, "%s %s %c) ", cur, q->type == QZ_SINGLE ?
	    (c->val[i] == 1 ? "(*)" : "( )") : (c->val[i] == 1 ? "[x]" :
	    "[ ]"), 'a' + i);
	uq_row_item(c, i, sel, pre, q->list.s[v->perm[i]]);
	if (c->reveal && c->answered && c->val[i] == 1)
		uq_mark(c->a, c->d, is_right);
	else if (c->reveal && is_right)
		uq_doc_segf(c->d, ui_attr(c->a, UI_MARK), " %s the right "
		    "answer", c->a->g->larrow);
}

/* yesno: a statement and its answer. */
static void
uq_row_yesno(struct uq_rows *c, int i, int sel, const char *cur)
{
	const qz_question *q = c->k->q;
	char pre[128];
	snprintf(pre, sizeof pre, "%s %d. [%s] ", cur, i + 1, c->val[i] == 1 ?
	    "Yes" : c->val[i] == 0 ? "No " : " ? ");
	uq_row_item(c, i, sel, pre, q->list.s[i]);
	uq_row_verdict(c, 1, c->val[i] == q->answer[i], q->answer[i] ? "Yes" :
	    "No");
}

/* matching: an item and the target chosen for it. */
static void
uq_row_matching(struct uq_rows *c, int i, int sel, const char *cur)
{
	const qz_question *q = c->k->q;
	const qz_view *v = c->k->v;
	char pre[128];
	int p = c->val[i];
	snprintf(pre, sizeof pre, "%s %d. ", cur, i + 1);
	sb_add(&c->t, q->list.s[i]);
	if (p >= 0)
		sb_addf(&c->t, "  -> %c) %s", 'a' + p,
		    q->targets.s[v->perm[p]]);
	else
		sb_add(&c->t, "  -> ?");
	uq_row_item(c, i, sel, pre, sb_str(&c->t));
	sb_reset(&c->t);
	uq_row_verdict_letter(c, p >= 0, p >= 0 && v->perm[p] ==
	    q->answer[i], qz_place(v->perm, q->targets.n, q->answer[i]));
}

/* ordering: the item at place i of the order; past the answer's length,
** the items left out. */
static void
uq_row_ordering(struct uq_rows *c, int i, int sel, const char *cur)
{
	const qz_question *q = c->k->q;
	const qz_view *v = c->k->v;
	char pre[128];
	int in = i < (int)q->nanswer;
	if (i == (int)q->nanswer && q->nanswer < q->list.n) {
		uq_doc_line(c->d, -1, 0);
		uq_doc_segf(c->d, ui_attr(c->a, UI_DIM), "    %s left out (not "
		    "part of the answer)", c->a->g->h);
	}
	if (in)
		snprintf(pre, sizeof pre, "%s %d. %c) ", cur, i + 1,
		    'a' + c->order[i]);
	else
		snprintf(pre, sizeof pre, "%s  - %c) ", cur, 'a' + c->order[i]);
	uq_row_item(c, i, sel, pre, q->list.s[v->perm[c->order[i]]]);
	if (in)
		uq_row_verdict_letter(c, 1, v->perm[c->order[i]] ==
		    q->answer[i], qz_place(v->perm, q->list.n, q->answer[i]));
}

/* dropdown: a blank with its options, the chosen one in brackets. */
static void
uq_row_dropdown(struct uq_rows *c, int i, int sel, const char *cur)
{
	const qz_question *q = c->k->q;
	const qz_view *v = c->k->v;
	char pre[128];
	int p = c->val[i];
	snprintf(pre, sizeof pre, "%s [%d] ", cur, i + 1);
	for (size_t j = 0; j < q->blanks[i].n; j++) {
		const char *o = q->blanks[i].s[v->bperm[i][j]];
		if ((int)j == p)
			sb_addf(&c->t, "%s[%c) %s]", j ? "  " : "",
			    (int)('a' + j), o);
		else
			sb_addf(&c->t, "%s %c) %s ", j ? "  " : "",
			    (int)('a' + j), o);
	}
	uq_row_item(c, i, sel, pre, sb_str(&c->t));
	sb_reset(&c->t);
	uq_row_verdict_letter(c, p >= 0, p >= 0 && v->bperm[i][p] ==
	    q->answer[i], qz_place(v->bperm[i], q->blanks[i].n, q->answer[i]));
}

/* Below the rows: a matching question's targets; while answering, how
** many to choose or order. */
static void
uq_rows_foot(struct uq_rows *c)
{
	const qz_question *q = c->k->q;
	const qz_view *v = c->k->v;
	struct uq_doc *d = c->d;
	if (q->type == QZ_MATCHING) {
		char pre[32];
		uq_doc_blank(d);
		uq_doc_line(d, -1, 0);
		uq_doc_seg(d, ui_attr(c->a, UI_HEAD), qz_one_to_one(q) ?
		    "Targets (each target is used once):" : "Targets (one may "
		    "fit several items, or none):");
		for (size_t j = 0; j < q->targets.n; j++) {
			snprintf(pre, sizeof pre, "   %c) ", (int)('a' + j));
			uq_doc_item(d, -1, 0, c->kat, pre, c->nat,
			    q->targets.s[v->perm[j]]);
		}
	}
	if (c->reveal)
		return;
	int set = 0;
	for (int i = 0; i < c->k->nrows; i++)
		set += c->val[i] == 1;
	if (q->type == QZ_MULTIPLE)
		sb_addf(&c->t, "Choose %d (%d chosen). ", q->choose, set);
	if (q->type == QZ_ORDERING)
		sb_addf(&c->t, q->nanswer < q->list.n ? "Put %zu of these in "
		    "order; the others do not belong. " : "Put all %zu in "
		    "order. ", q->nanswer);
	if (c->t.len) {
		uq_doc_blank(d);
		uq_doc_text(d, ui_attr(c->a, UI_HEAD), 0, sb_str(&c->t));
	}
}

void
uq_ask_doc(struct ui_app *a, const struct uq_ask *k, int focus,
    const qs_item *reveal, struct uq_doc *d)
{
	static void (*const row[])(struct uq_rows *, int, int,
	    const char *) = {
		[QZ_SINGLE] = uq_row_choice, [QZ_MULTIPLE] = uq_row_choice,
		[QZ_YESNO] = uq_row_yesno, [QZ_MATCHING] = uq_row_matching,
		[QZ_ORDERING] = uq_row_ordering,
		[QZ_DROPDOWN] = uq_row_dropdown
	};
	struct uq_rows c = { .a = a, .k = k, .d = d, .reveal = reveal != NULL,
	    .answered = reveal ? reveal->answered : 1,
	    .nat = ui_attr(a, UI_NORMAL), .kat = ui_attr(a, UI_KEY),
	    .t = SB_INIT };
	qz_right_resp(k->q, &c.right);
	memcpy(c.val, k->val, sizeof c.val);
	memcpy(c.order, k->order, sizeof c.order);
	if (reveal) {
		/* Show what was given, not what is being edited. */
		struct uq_ask g;
		uq_ask_set(&g, reveal);
		memcpy(c.val, g.val, sizeof c.val);
		memcpy(c.order, g.order, sizeof c.order);
	}
	uq_stem(k, c.val, &c.t);
	uq_doc_text(d, c.nat | A_BOLD, 0, sb_str(&c.t));
	sb_reset(&c.t);
	uq_doc_blank(d);
	for (int i = 0; i < k->nrows; i++) {
		int sel = focus && !reveal && i == k->row;
		row[k->q->type](&c, i, sel, sel ? a->g->cur : " ");
	}
	uq_rows_foot(&c);
	sb_free(&c.t);
}

/* The keys of a question type, one line for the foot of the question. */
static const char *
uq_ask_hint(const qz_question *q)
{
	switch (q->type) {
	case QZ_SINGLE:
		return "a letter (or 1-8) picks an option; j/k and Space too.";
	case QZ_MULTIPLE:
		return "letters (or 1-8) toggle options; Space toggles the "
		    "highlighted one.";
	case QZ_YESNO:
		return "j/k (or 1-8) pick a statement, y or n answers it, "
		    "Space flips it.";
	case QZ_MATCHING:
		return "j/k (or 1-8) pick an item, a letter gives it that target "
		    "and moves to the next item, Space tries the next target.";
	case QZ_ORDERING:
		return "type the letters in order, or J/K move the highlighted "
		    "item down/up; Backspace starts over.";
	case QZ_DROPDOWN:
		return "j/k (or 1-8) pick a blank, a letter picks its option and "
		    "moves to the next blank, Space tries the next option.";
	}
	return "";
}

void
uq_hint_doc(struct ui_app *a, const qz_question *q, const char *enter,
    struct uq_doc *d)
{
	char buf[512];
	snprintf(buf, sizeof buf, "Keys: %s %s", uq_ask_hint(q), enter);
	uq_doc_blank(d);
	uq_doc_text(d, ui_attr(a, UI_DIM), 0, buf);
}

void
uq_case_doc(struct ui_app *a, const qz_case *cs, struct uq_doc *d)
{
	if (cs == NULL)
		return;
	uq_doc_text(d, ui_attr(a, UI_HEAD), 0, cs->title);
	uq_doc_blank(d);
	uq_doc_text(d, ui_attr(a, UI_NORMAL), 0, cs->text);
	if (cs->nreqs > 0) {
		uq_doc_blank(d);
		uq_doc_text(d, ui_attr(a, UI_HEAD), 0, "Requirements:");
		for (size_t i = 0; i < cs->nreqs; i++)
			uq_doc_item(d, -1, 0, ui_attr(a, UI_NORMAL), " - ",
			    ui_attr(a, UI_NORMAL), cs->reqs[i]);
	}
}

void
uq_feedback_doc(struct ui_app *a, const qs_item *it, struct uq_doc *d)
{
	sb t = SB_INIT;
	if (it->answered)
		qz_format_feedback(it->q, &it->view, &it->resp, &it->grade, &t);
	else {
		sb_add(&t, "Not answered. ");
		qz_format_feedback(it->q, &it->view, NULL, NULL, &t);
	}
	const char *s = sb_str(&t);
	const char *nl = strchr(s, '\n');
	char *first = xstrndup(s, nl ? (size_t)(nl - s) : strlen(s));
	enum ui_role role = !it->answered || it->grade.points == 0 ? UI_ERR :
	    it->grade.correct ? UI_MARK : UI_WARN;
	char *line = xasprintf("%s %s", it->answered && it->grade.correct ?
	    a->g->check : a->g->cross, first);
	uq_doc_text(d, ui_attr(a, role) | A_BOLD, 0, line);
	free(line);
	free(first);
	if (nl)
		uq_doc_text(d, ui_attr(a, UI_NORMAL), 0, nl + 1);
	sb_reset(&t);
	qs_format_where(it->q, &t);
	uq_doc_text(d, ui_attr(a, UI_DIM), 0, sb_str(&t));
	sb_free(&t);
}
