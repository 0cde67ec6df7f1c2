/*
** quiz.c: the practice screen, and what every quiz screen shares: the
** bank and store a screen reads, the document (wrapped, attributed,
** scrollable lines), the answer widget for the six question types, the
** question layout with its case study, and ui_quiz_main().
**
** Practice: one question at a time with feedback after each answer; at
** the end a summary, and "retry the ones I missed" as often as wanted.
** Answers are committed one by one by qs_answer(), so leaving at any
** moment keeps everything already answered.
*/
#include "ui/ui-int.h"
#include "ui/uq.h"

#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lib/xmem.h"
#include "quiz/qpl.h"

/* --- sources ------------------------------------------------------------- */

static int
uq_isdir(const char *p)
{
	struct stat sb_;
	return stat(p, &sb_) == 0 && S_ISDIR(sb_.st_mode);
}

/*
** The shipped bank, found from the scenarios folder the UI was given:
** in a source tree (and under $SYNCLAB_DATA) the questions are in
** <root>/data/questions next to <root>/scenarios; an installed copy has
** share/synclab/data/questions next to share/synclab/scenarios (older
** layouts kept the questions in share/synclab/questions).
*/
static const char *
uq_bank_default(struct ui_app *a, char *buf, size_t n)
{
	const char *dd = a ? a->opts.datadir : NULL;
	if (dd && *dd) {
		const char *slash = strrchr(dd, '/');
		int plen = slash ? (int)(slash - dd) : 1;
		const char *root = slash ? dd : ".";
		snprintf(buf, n, "%.*s/data/questions", plen, root);
		if (uq_isdir(buf))
			return buf;
		snprintf(buf, n, "%.*s/questions", plen, root);
		if (uq_isdir(buf))
			return buf;
	}
	snprintf(buf, n, "data/questions");
	return buf;
}

int
uq_src_open(struct uq_src *src, struct ui_app *a, const char *bank_dir,
    const char *db_path, int need_bank, sb *err)
{
	memset(src, 0, sizeof *src);
	if (need_bank) {
		char buf[PATH_MAX];
		const char *dir = bank_dir ? bank_dir :
		    uq_bank_default(a, buf, sizeof buf);
		const char *paths[1] = { dir };
		if (qz_bank_load(&src->bank, paths, 1, err) > 0) {
			qz_bank_free(&src->bank);
			return -1;
		}
		src->have_bank = 1;
	}
	sb why = SB_INIT;
	src->db = qdb_open(db_path, &why);
	if (src->db == NULL) {
		sb_addf(err, "synclab: progress store: %s\n", sb_str(&why));
		sb_free(&why);
		if (src->have_bank)
			qz_bank_free(&src->bank);
		src->have_bank = 0;
		return -1;
	}
	sb_free(&why);
	return 0;
}

void
uq_src_close(struct uq_src *src)
{
	if (src->db)
		qdb_close(src->db);
	if (src->have_bank)
		qz_bank_free(&src->bank);
	memset(src, 0, sizeof *src);
}

int64_t
uq_now(void)
{
	return qpl_clock();
}

void
uq_title(struct ui_app *a, const char *left, const char *right,
    attr_t right_at)
{
	ui_fill(0, 0, a->w, ui_attr(a, UI_TITLE));
	int rw = right ? ui_width(right) + 2 : 0;
	ui_put(0, 1, a->w - rw - 2, ui_attr(a, UI_TITLE) | A_BOLD, left);
	if (right) {
		ui_fill(0, a->w - rw, rw, right_at);
		ui_put(0, a->w - rw + 1, rw - 1, right_at, right);
	}
}

void
uq_error_draw(struct ui_app *a, const char *title, const char *error)
{
	uq_title(a, title, NULL, 0);
	ui_box(a, 1, 0, a->h - 2, a->w, "Cannot start", 1);
	struct uq_doc d;
	uq_doc_init(&d, a->w - 4);
	uq_doc_text(&d, ui_attr(a, UI_ERR), 0, error);
	uq_doc_blank(&d);
	uq_doc_text(&d, ui_attr(a, UI_DIM), 0, "Press q to go back.");
	int scroll = 0;
	uq_doc_draw(a, &d, 2, 2, a->h - 4, &scroll, -1);
	uq_doc_free(&d);
	ui_cursor(a, 2, 2);
}

int
uq_back_key(struct ui_app *a, int ch)
{
	if (ch != 27)
		return 0;
	ui_pop(a);
	return 1;
}

void
uq_opts_home(qs_opts *o, enum qs_kind kind)
{
	memset(o, 0, sizeof *o);
	o->kind = kind;
	o->domain = -1;
	o->now_ms = uq_now();
	o->seed = (uint64_t)o->now_ms;
}

qs_session *
uq_session_start(struct uq_src *src, struct ui_app *a, const qs_opts *o,
    const char *bank_dir, const char *db_path, const char *what,
    char **error)
{
	sb err = SB_INIT;
	qs_session *s;
	if (uq_src_open(src, a, bank_dir, db_path, 1, &err) != 0) {
		*error = sb_take(&err);
		return NULL;
	}
	s = qs_start(&src->bank, src->db, o, &err);
	if (s == NULL)
		*error = xasprintf("synclab: %s: %s\n", what, sb_str(&err));
	sb_free(&err);
	return s;
}

void
uq_result_doc(struct ui_app *a, qs_session *s, struct uq_doc *d)
{
	qs_result r;
	qs_result_get(s, &r);
	sb t = SB_INIT;
	qs_format_result(s, &r, &t);
	uq_doc_text(d, ui_attr(a, UI_HEAD) | A_BOLD, 0, sb_str(&t));
	sb_free(&t);
	if (r.all.n > 0) {
		uq_doc_blank(d);
		uq_breakdown_doc(a, &r, d);
	}
	qs_result_free(&r);
}

/* --- documents ----------------------------------------------------------- */

void
uq_doc_init(struct uq_doc *d, int w)
{
	memset(d, 0, sizeof *d);
	d->w = w < 8 ? 8 : w;
}

void
uq_doc_free(struct uq_doc *d)
{
	for (size_t i = 0; i < d->n; i++) {
		for (size_t k = 0; k < d->l[i].nseg; k++)
			free(d->l[i].seg[k].s);
		free(d->l[i].seg);
	}
	free(d->l);
	memset(d, 0, sizeof *d);
}

void
uq_doc_line(struct uq_doc *d, int row, int sel)
{
	d->l = xreallocarray(d->l, d->n + 1, sizeof *d->l);
	struct uq_dline *l = &d->l[d->n++];
	memset(l, 0, sizeof *l);
	l->row = row;
	l->sel = sel;
}

void
uq_doc_seg(struct uq_doc *d, attr_t at, const char *s)
{
	if (d->n == 0)
		uq_doc_line(d, -1, 0);
	struct uq_dline *l = &d->l[d->n - 1];
	l->seg = xreallocarray(l->seg, l->nseg + 1, sizeof *l->seg);
	l->seg[l->nseg].s = xstrdup(s);
	l->seg[l->nseg].at = at;
	l->nseg++;
}

void
uq_doc_segf(struct uq_doc *d, attr_t at, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	uq_doc_seg(d, at, buf);
}

static void
uq_spaces(char *buf, size_t cap, int n)
{
	if (n < 0)
		n = 0;
	if ((size_t)n >= cap)
		n = (int)cap - 1;
	memset(buf, ' ', (size_t)n);
	buf[n] = '\0';
}

/* Calls fn for each wrapped line of s at width w. */
static void
uq_wrap_each(const char *s, int w, void (*fn)(void *, const char *, int),
    void *ctx)
{
	sb lines = SB_INIT;
	ui_wrap(s, w, &lines);
	int first = 1;
	for (char *p = lines.s, *nl; p && *p; p = nl + 1) {
		nl = strchr(p, '\n');
		*nl = '\0';
		fn(ctx, p, first);
		first = 0;
	}
	sb_free(&lines);
}

struct uq_wctx {
	struct uq_doc	*d;
	attr_t		 at, pat;
	const char	*prefix;
	int		 indent, row, sel;
};

static void
uq_text_line(void *ctx, const char *line, int first)
{
	struct uq_wctx *c = ctx;
	char pad[256];
	uq_doc_line(c->d, c->row, c->sel);
	if (c->prefix && first)
		uq_doc_seg(c->d, c->pat, c->prefix);
	else if (c->indent > 0) {
		uq_spaces(pad, sizeof pad, c->indent);
		uq_doc_seg(c->d, c->at, pad);
	}
	uq_doc_seg(c->d, c->at, line);
}

void
uq_doc_text(struct uq_doc *d, attr_t at, int indent, const char *s)
{
	struct uq_wctx c = { d, at, at, NULL, indent, -1, 0 };
	uq_wrap_each(s, d->w - indent, uq_text_line, &c);
}

void
uq_doc_item(struct uq_doc *d, int row, int sel, attr_t pat,
    const char *prefix, attr_t at, const char *text)
{
	int pw = ui_width(prefix);
	if (pw > d->w / 2)
		pw = d->w / 2;
	struct uq_wctx c = { d, at, pat, prefix, pw, row, sel };
	size_t before = d->n;
	uq_wrap_each(*text ? text : " ", d->w - pw, uq_text_line, &c);
	if (d->n == before) {
		uq_doc_line(d, row, sel);
		uq_doc_seg(d, pat, prefix);
	}
}

void
uq_doc_blank(struct uq_doc *d)
{
	uq_doc_line(d, -1, 0);
}

int
uq_doc_find(const struct uq_doc *d, int row)
{
	for (size_t i = 0; i < d->n; i++)
		if (d->l[i].row == row)
			return (int)i;
	return -1;
}

int
uq_doc_draw(struct ui_app *a, const struct uq_doc *d, int y, int x, int h,
    int *scroll, int follow)
{
	int n = (int)d->n;
	if (h < 1)
		return -1;
	if (follow >= 0) {
		int first = uq_doc_find(d, follow), last = first;
		while (first >= 0 && last + 1 < n && d->l[last + 1].row == follow)
			last++;
		if (first >= 0) {
			if (last >= *scroll + h)
				*scroll = last - h + 1;
			if (first < *scroll)
				*scroll = first;
		}
	}
	if (*scroll > n - h)
		*scroll = n - h;
	if (*scroll < 0)
		*scroll = 0;
	int cy = -1;
	for (int i = 0; i < h && *scroll + i < n; i++) {
		const struct uq_dline *l = &d->l[*scroll + i];
		int cx = x;
		attr_t sel = ui_attr(a, UI_SEL);
		if (l->sel)
			ui_fill(y + i, x, d->w, sel);
		for (size_t k = 0; k < l->nseg && cx < x + d->w; k++)
			cx += ui_put(y + i, cx, x + d->w - cx, l->sel ? sel |
			    (l->seg[k].at & A_BOLD) : l->seg[k].at,
			    l->seg[k].s);
		if (follow >= 0 && l->row == follow && cy < 0)
			cy = y + i;
	}
	/* More below: a marker in the last column (words in the key bar
	** say PgDn). */
	if (*scroll + h < n)
		ui_put(y + h - 1, x + d->w - 1, 1, ui_attr(a, UI_KEY),
		    a->g->more);
	return cy;
}

int
uq_scroll_key(int ch, int *scroll, int page)
{
	if (page < 1)
		page = 1;
	switch (ch) {
	case 'j': case KEY_DOWN:
		(*scroll)++;
		return 1;
	case 'k': case KEY_UP:
		if (*scroll > 0)
			(*scroll)--;
		return 1;
	case KEY_NPAGE: case ' ':
		*scroll += page;
		return 1;
	case KEY_PPAGE: case 'b':
		*scroll = *scroll > page ? *scroll - page : 0;
		return 1;
	case KEY_HOME: case 'g':
		*scroll = 0;
		return 1;
	case KEY_END: case 'G':
		*scroll = INT_MAX / 2;	/* clamped when drawn */
		return 1;
	}
	return 0;
}

void
uq_doc_bar(struct ui_app *a, struct uq_doc *d, double frac, int w)
{
	char buf[256];
	if (w > 200)
		w = 200;
	if (frac < 0)
		frac = 0;
	if (frac > 1)
		frac = 1;
	int full = (int)lround(frac * w);
	uq_spaces(buf, sizeof buf, full);
	if (full > 0)
		uq_doc_seg(d, ui_attr(a, UI_SEL), buf);
	sb rest = SB_INIT;
	for (int i = full; i < w; i++)
		sb_add(&rest, a->g->dot);
	if (rest.len)
		uq_doc_seg(d, ui_attr(a, UI_DIM), sb_str(&rest));
	sb_free(&rest);
}

/* --- the answer widget --------------------------------------------------- */

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
		return 1;
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
		}
		return UQ_ASK_USED;
	case 'K': case KEY_SR:
		if (q->type != QZ_ORDERING)
			return UQ_ASK_UNUSED;
		if (k->row > 0) {
			uq_ask_place(k, k->order[k->row], k->row - 1);
			k->dirty = 1;
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

void
uq_ask_doc(struct ui_app *a, const struct uq_ask *k, int focus,
    const qs_item *reveal, struct uq_doc *d)
{
	const qz_question *q = k->q;
	const qz_view *v = k->v;
	int val[QZ_MAXPART];
	unsigned char order[QZ_MAXPART];
	qz_resp right;
	qz_right_resp(q, &right);
	memcpy(val, k->val, sizeof val);
	memcpy(order, k->order, sizeof order);
	if (reveal) {
		/* Show what was given, not what is being edited. */
		struct uq_ask g;
		uq_ask_set(&g, reveal);
		memcpy(val, g.val, sizeof val);
		memcpy(order, g.order, sizeof order);
	}
	int answered = reveal ? reveal->answered : 1;
	attr_t nat = ui_attr(a, UI_NORMAL), kat = ui_attr(a, UI_KEY);
	sb t = SB_INIT;
	uq_stem(k, val, &t);
	uq_doc_text(d, nat | A_BOLD, 0, sb_str(&t));
	sb_reset(&t);
	uq_doc_blank(d);
	char pre[128];
	for (int i = 0; i < k->nrows; i++) {
		int sel = focus && !reveal && i == k->row;
		const char *cur = sel ? a->g->cur : " ";
		int is_right = 0;
		switch (q->type) {
		case QZ_SINGLE:
		case QZ_MULTIPLE:
			for (size_t j = 0; j < right.n; j++)
				is_right |= right.v[j] == v->perm[i];
			snprintf(pre, sizeof pre, "%s %s %c) ", cur,
			    q->type == QZ_SINGLE ? (val[i] == 1 ? "(*)" : "( )")
			    : (val[i] == 1 ? "[x]" : "[ ]"), 'a' + i);
			uq_doc_item(d, i, sel, sel ? nat : kat, pre, nat,
			    q->list.s[v->perm[i]]);
			if (reveal && answered && val[i] == 1)
				uq_mark(a, d, is_right);
			else if (reveal && is_right)
				uq_doc_segf(d, ui_attr(a, UI_MARK), " %s the "
				    "right answer", a->g->larrow);
			break;
		case QZ_YESNO:
			snprintf(pre, sizeof pre, "%s %d. [%s] ", cur, i + 1,
			    val[i] == 1 ? "Yes" : val[i] == 0 ? "No " : " ? ");
			uq_doc_item(d, i, sel, sel ? nat : kat, pre, nat,
			    q->list.s[i]);
			if (reveal && answered)
				uq_mark(a, d, val[i] == q->answer[i]);
			if (reveal && (!answered || val[i] != q->answer[i]))
				uq_doc_segf(d, ui_attr(a, UI_MARK),
				    " (right: %s)", q->answer[i] ? "Yes" : "No");
			break;
		case QZ_MATCHING:
			snprintf(pre, sizeof pre, "%s %d. ", cur, i + 1);
			sb_add(&t, q->list.s[i]);
			if (val[i] >= 0)
				sb_addf(&t, "  -> %c) %s", 'a' + val[i],
				    q->targets.s[v->perm[val[i]]]);
			else
				sb_add(&t, "  -> ?");
			uq_doc_item(d, i, sel, sel ? nat : kat, pre, nat,
			    sb_str(&t));
			sb_reset(&t);
			if (reveal && answered && val[i] >= 0)
				uq_mark(a, d, v->perm[val[i]] == q->answer[i]);
			if (reveal && (!answered || val[i] < 0 ||
			    v->perm[val[i]] != q->answer[i]))
				uq_doc_segf(d, ui_attr(a, UI_MARK),
				    " (right: %c)", 'a' + qz_place(v->perm,
				    q->targets.n, q->answer[i]));
			break;
		case QZ_ORDERING: {
			int in = i < (int)q->nanswer;
			if (i == (int)q->nanswer && q->nanswer < q->list.n) {
				uq_doc_line(d, -1, 0);
				uq_doc_segf(d, ui_attr(a, UI_DIM), "    %s left out "
				    "(not part of the answer)", a->g->h);
			}
			if (in)
				snprintf(pre, sizeof pre, "%s %d. %c) ", cur,
				    i + 1, 'a' + order[i]);
			else
				snprintf(pre, sizeof pre, "%s  - %c) ", cur,
				    'a' + order[i]);
			uq_doc_item(d, i, sel, sel ? nat : kat, pre, nat,
			    q->list.s[v->perm[order[i]]]);
			if (reveal && answered && in)
				uq_mark(a, d, v->perm[order[i]] ==
				    q->answer[i]);
			if (reveal && in && (!answered || v->perm[order[i]] !=
			    q->answer[i]))
				uq_doc_segf(d, ui_attr(a, UI_MARK),
				    " (right: %c)", 'a' + qz_place(v->perm,
				    q->list.n, q->answer[i]));
			break;
		}
		case QZ_DROPDOWN:
			snprintf(pre, sizeof pre, "%s [%d] ", cur, i + 1);
			for (size_t j = 0; j < q->blanks[i].n; j++) {
				const char *o = q->blanks[i].s[v->bperm[i][j]];
				if ((int)j == val[i])
					sb_addf(&t, "%s[%c) %s]", j ? "  " : "",
					    (int)('a' + j), o);
				else
					sb_addf(&t, "%s %c) %s ", j ? "  " : "",
					    (int)('a' + j), o);
			}
			uq_doc_item(d, i, sel, sel ? nat : kat, pre, nat,
			    sb_str(&t));
			sb_reset(&t);
			if (reveal && answered && val[i] >= 0)
				uq_mark(a, d, v->bperm[i][val[i]] ==
				    q->answer[i]);
			if (reveal && (!answered || val[i] < 0 ||
			    v->bperm[i][val[i]] != q->answer[i]))
				uq_doc_segf(d, ui_attr(a, UI_MARK),
				    " (right: %c)", 'a' + qz_place(v->bperm[i],
				    q->blanks[i].n, q->answer[i]));
			break;
		}
	}
	if (q->type == QZ_MATCHING) {
		uq_doc_blank(d);
		uq_doc_line(d, -1, 0);
		uq_doc_seg(d, ui_attr(a, UI_HEAD), "Targets (one may fit several "
		    "items, or none):");
		for (size_t j = 0; j < q->targets.n; j++) {
			snprintf(pre, sizeof pre, "   %c) ", (int)('a' + j));
			uq_doc_item(d, -1, 0, kat, pre, nat,
			    q->targets.s[v->perm[j]]);
		}
	}
	if (!reveal) {
		int set = 0;
		for (int i = 0; i < k->nrows; i++)
			set += val[i] == 1;
		if (q->type == QZ_MULTIPLE)
			sb_addf(&t, "Choose %d (%d chosen). ", q->choose, set);
		if (q->type == QZ_ORDERING)
			sb_addf(&t, q->nanswer < q->list.n ? "Put %zu of these "
			    "in order; the others do not belong. " : "Put all "
			    "%zu in order. ", q->nanswer);
		if (t.len) {
			uq_doc_blank(d);
			uq_doc_text(d, ui_attr(a, UI_HEAD), 0, sb_str(&t));
		}
	}
	sb_free(&t);
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
		return "j/k (or 1-8) pick an item, a letter picks its target, "
		    "Space tries the next one.";
	case QZ_ORDERING:
		return "type the letters in order, or J/K move the highlighted "
		    "item down/up; Backspace starts over.";
	case QZ_DROPDOWN:
		return "j/k (or 1-8) pick a blank, a letter picks its option, "
		    "Space tries the next one.";
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
	sb_free(&t);
}

static double
uq_ratio(const qs_tally *t)
{
	return t->weight ? t->earned / t->weight : 0.0;
}

static void
uq_tally_line(struct ui_app *a, struct uq_doc *d, const char *name,
    const qs_tally *t, int namew)
{
	char buf[256];
	size_t fit = ui_fit(name, namew);
	snprintf(buf, sizeof buf, "  %.*s", (int)fit, name);
	uq_doc_line(d, -1, 0);
	uq_doc_seg(d, ui_attr(a, UI_NORMAL), buf);
	uq_spaces(buf, sizeof buf, namew - ui_width(name) + 1);
	uq_doc_seg(d, ui_attr(a, UI_NORMAL), buf);
	uq_doc_bar(a, d, uq_ratio(t), 16);
	uq_doc_segf(d, ui_attr(a, UI_NORMAL), " %3d%%  %d of %d right",
	    (int)lround(100.0 * uq_ratio(t)), t->right, t->n);
}

void
uq_breakdown_doc(struct ui_app *a, const qs_result *r, struct uq_doc *d)
{
	int order[QZ_NDOMAIN] = { 0, 1, 2 };
	for (int i = 0; i < QZ_NDOMAIN; i++)
		for (int j = i + 1; j < QZ_NDOMAIN; j++)
			if (uq_ratio(&r->dom[order[j]]) <
			    uq_ratio(&r->dom[order[i]])) {
				int t = order[i];
				order[i] = order[j];
				order[j] = t;
			}
	int namew = d->w - 40;
	if (namew > 34)
		namew = 34;
	if (namew < 8)
		namew = 8;
	uq_doc_text(d, ui_attr(a, UI_HEAD), 0, "By domain (weakest first)");
	for (int i = 0; i < QZ_NDOMAIN; i++)
		if (r->dom[order[i]].n > 0)
			uq_tally_line(a, d, qz_domain_title(
			    (enum qz_domain)order[i]), &r->dom[order[i]], namew);
	uq_doc_blank(d);
	uq_doc_text(d, ui_attr(a, UI_HEAD), 0, "By topic (weakest first)");
	for (size_t i = 0; i < r->ntopics; i++)
		uq_tally_line(a, d, r->topics[i].name, &r->topics[i].t, namew);
}

/* --- the question layout ------------------------------------------------- */

/* Wide enough for the case study beside the question. */
static int
uq_qview_wide(const struct ui_app *a)
{
	return a->w >= 96;
}

static int
uq_case_w(const struct ui_app *a)
{
	return a->w * 2 / 5;
}

int
uq_qview_width(const struct ui_app *a, const qz_case *cs)
{
	if (cs && uq_qview_wide(a))
		return a->w - uq_case_w(a) - 4;
	return a->w - 4;
}

int
uq_qview_draw(struct ui_app *a, struct uq_qview *qv, int top,
    const qz_case *cs, const struct uq_doc *qd, int row)
{
	int h = a->h - 1 - top;		/* down to the key bar */
	int qy = top, qx = 0, qh = h, qw = a->w;
	int cy = -1;
	if (cs) {
		int cx = 0, cyy = top, ch, cw;
		if (uq_qview_wide(a)) {
			cw = uq_case_w(a);
			ch = h;
			qx = cw;
			qw = a->w - cw;
		} else {
			cw = a->w;
			ch = h / 3 < 5 ? 5 : h / 3;
			qy = top + ch;
			qh = h - ch;
		}
		struct uq_doc cd;
		uq_doc_init(&cd, cw - 4);
		uq_case_doc(a, cs, &cd);
		ui_box(a, cyy, cx, ch, cw, "Case study", qv->focus_case);
		qv->cpage = ch - 2;
		uq_doc_draw(a, &cd, cyy + 1, cx + 2, ch - 2, &qv->cscroll, -1);
		uq_doc_free(&cd);
		if (qv->focus_case)
			ui_cursor(a, cyy + 1, cx + 2);
	} else
		qv->focus_case = 0;
	ui_box(a, qy, qx, qh, qw, "Question", !qv->focus_case);
	qv->page = qh - 2;
	cy = uq_doc_draw(a, qd, qy + 1, qx + 2, qh - 2, &qv->scroll,
	    qv->follow ? row : -1);
	if (!qv->focus_case)
		ui_cursor(a, cy >= 0 ? cy : qy + 1, qx + 2);
	return cy;
}

int
uq_qview_key(struct uq_qview *qv, int ch, int has_case)
{
	int *scroll = qv->focus_case ? &qv->cscroll : &qv->scroll;
	int page = qv->focus_case ? qv->cpage : qv->page;
	switch (ch) {
	case '\t': case KEY_BTAB:
		if (has_case)
			qv->focus_case = !qv->focus_case;
		return 1;
	case KEY_NPAGE:
		*scroll += page > 1 ? page - 1 : 1;
		if (!qv->focus_case)
			qv->follow = 0;
		return 1;
	case KEY_PPAGE:
		*scroll -= page > 1 ? page - 1 : 1;
		if (*scroll < 0)
			*scroll = 0;
		if (!qv->focus_case)
			qv->follow = 0;
		return 1;
	}
	return 0;
}

/* --- practice ------------------------------------------------------------ */

struct practice {
	struct uq_state	 base;
	struct uq_src	 src;
	qs_session	*s;
	int		 pass;		/* 0, then one per retry */
	uint64_t	 seed;
	struct uq_ask	 ask;
	struct uq_qview	 qv;
	int		 scroll;	/* summary */
	int		 page;
};

static const struct ui_key practice_keys[] = {
	UQ_ASK_KEYS,
	{ "Enter", "submit; after the feedback: the next question",
	  "Enter answer/next" },
	{ "Right, l", "after the feedback: the next question", NULL },
	{ "Left", "look at the previous question again", NULL },
	{ "Tab", "to the case study and back", NULL },
	{ "PgDn/PgUp", "scroll the question or the case study",
	  "PgDn more" },
	{ "q", "end: the summary (answers are kept)", "q end" },
	{ NULL, NULL, NULL }
};

static const struct ui_key practice_sum_keys[] = {
	{ "r", "retry the questions you missed", "r retry missed" },
	{ "j/k, PgDn/PgUp", "scroll", "j/k scroll" },
	{ "Home/End, g/G", "top, bottom", NULL },
	{ "q", "back", "q back" },
	{ NULL, NULL, NULL }
};

static void practice_draw(struct ui_app *, void *);
static int practice_key(struct ui_app *, void *, int);
static void practice_close(struct ui_app *, void *);
static void *practice_open(struct ui_app *, const char *);
static void practice_sum_draw(struct ui_app *, void *);
static int practice_sum_key(struct ui_app *, void *, int);

const struct ui_screen ui_quiz_screen = {
	"quiz", "Practice", 60, 16, 0, practice_draw, practice_key, NULL,
	practice_close, practice_keys, practice_open
};

static const struct ui_screen practice_sum_screen = {
	"quiz-summary", "Practice summary", 60, 16, 0, practice_sum_draw,
	practice_sum_key, NULL, practice_close, practice_sum_keys, NULL
};

void *
uq_practice_new(struct ui_app *a, const qs_opts *o, const char *bank_dir,
    const char *db_path)
{
	struct practice *p = xcalloc(1, sizeof *p);
	p->seed = o->seed;
	p->s = uq_session_start(&p->src, a, o, bank_dir, db_path, "quiz",
	    &p->base.error);
	if (p->s == NULL)
		return p;
	uq_ask_set(&p->ask, qs_cur(p->s));
	p->qv.follow = 1;
	return p;
}

static void *
practice_open(struct ui_app *a, const char *arg)
{
	qs_opts o;
	(void)arg;
	uq_opts_home(&o, QS_PRACTICE);
	return uq_practice_new(a, &o, NULL, NULL);
}

static void
practice_close(struct ui_app *a, void *st)
{
	struct practice *p = st;
	(void)a;
	qs_free(p->s);
	uq_src_close(&p->src);
	free(p->base.error);
	free(p);
}

static void
practice_goto(struct practice *p, size_t i)
{
	qs_goto(p->s, i, uq_now());
	uq_ask_set(&p->ask, qs_cur(p->s));
	memset(&p->qv, 0, sizeof p->qv);
	p->qv.follow = 1;
}

static void
practice_draw(struct ui_app *a, void *st)
{
	struct practice *p = st;
	if (p->base.error) {
		uq_error_draw(a, "Practice", p->base.error);
		return;
	}
	qs_session *s = p->s;
	qs_item *it = qs_cur(s);
	char left[128], right[64];
	size_t answered = 0, ok = 0;
	for (size_t i = 0; i < s->n; i++) {
		answered += (size_t)s->items[i].answered;
		ok += (size_t)(s->items[i].graded && s->items[i].grade.correct);
	}
	if (p->pass)
		snprintf(left, sizeof left, "Practice: the missed questions "
		    "again (round %d)", p->pass + 1);
	else
		snprintf(left, sizeof left, "Practice");
	snprintf(right, sizeof right, "Question %zu of %zu", s->cur + 1, s->n);
	uq_title(a, left, right, ui_attr(a, UI_TITLE) | A_BOLD);
	/* Status: where the question comes from, and the running score. */
	sb t = SB_INIT;
	sb_addf(&t, "%s | topics: ", qz_domain_title(it->q->domain));
	for (size_t k = 0; k < it->q->topics.n; k++)
		sb_addf(&t, "%s%s", k ? ", " : "", it->q->topics.s[k]);
	sb_addf(&t, " | %zu answered, %zu right", answered, ok);
	ui_put(1, 1, a->w - 2, ui_attr(a, UI_DIM), sb_str(&t));
	sb_free(&t);
	struct uq_doc d;
	uq_doc_init(&d, uq_qview_width(a, it->q->cs));
	uq_ask_doc(a, &p->ask, !p->qv.focus_case, it->answered ? it : NULL,
	    &d);
	if (it->answered) {
		uq_doc_blank(&d);
		uq_feedback_doc(a, it, &d);
		uq_doc_blank(&d);
		uq_doc_text(&d, ui_attr(a, UI_KEY), 0, s->cur + 1 < s->n ?
		    "Enter: the next question." : "Enter: the summary.");
	} else
		uq_hint_doc(a, it->q, "Enter submits.", &d);
	uq_qview_draw(a, &p->qv, 2, it->q->cs, &d, it->answered ? -1 :
	    p->ask.row);
	uq_doc_free(&d);
}

static void
practice_to_summary(struct ui_app *a, struct practice *p)
{
	p->scroll = 0;
	ui_swap(a, p, &practice_sum_screen);
}

static int
practice_key(struct ui_app *a, void *st, int ch)
{
	struct practice *p = st;
	if (p->base.error)
		return uq_back_key(a, ch);
	qs_session *s = p->s;
	qs_item *it = qs_cur(s);
	if (uq_qview_key(&p->qv, ch, it->q->cs != NULL))
		return 1;
	if (!it->answered && !p->qv.focus_case) {
		qz_resp r;
		enum uq_ask_rc rc = uq_ask_key(a, &p->ask, ch, 1, &r);
		if (rc == UQ_ASK_SUBMIT) {
			sb err = SB_INIT;
			if (qs_answer(s, &r, uq_now(), &err) != 0)
				ui_message(a, "The answer was not saved",
				    sb_str(&err));
			sb_free(&err);
			p->qv.follow = 0;
			p->qv.scroll = 0;
			return 1;
		}
		if (rc == UQ_ASK_USED) {
			p->qv.follow = 1;
			return 1;
		}
	}
	switch (ch) {
	case '\r': case '\n': case KEY_ENTER: case KEY_RIGHT: case 'l':
	case ' ':
		if (!it->answered) {
			ui_toast(a, "Answer this question first (q ends the "
			    "practice)");
			return 1;
		}
		if (s->cur + 1 < s->n)
			practice_goto(p, s->cur + 1);
		else
			practice_to_summary(a, p);
		return 1;
	case KEY_LEFT:
		if (s->cur > 0)
			practice_goto(p, s->cur - 1);
		return 1;
	case 'q':
		for (size_t i = 0; i < s->n; i++)
			if (s->items[i].answered) {
				practice_to_summary(a, p);
				return 1;
			}
		return 0;
	}
	return 0;
}

static size_t
practice_missed(const qs_session *s)
{
	size_t n = 0;
	for (size_t i = 0; i < s->n; i++)
		n += (size_t)(s->items[i].graded && !s->items[i].grade.correct);
	return n;
}

static void
practice_sum_draw(struct ui_app *a, void *st)
{
	struct practice *p = st;
	qs_session *s = p->s;
	uq_title(a, p->pass ? "Practice summary (retry)" : "Practice summary",
	    NULL, 0);
	struct uq_doc d;
	uq_doc_init(&d, a->w - 4);
	uq_result_doc(a, s, &d);
	uq_doc_blank(&d);
	uq_doc_text(&d, ui_attr(a, UI_HEAD), 0, "The questions");
	for (size_t i = 0; i < s->n; i++) {
		const qs_item *it = &s->items[i];
		const char *mark = !it->answered ? "-" : it->grade.correct ?
		    a->g->check : a->g->cross;
		const char *word = !it->answered ? "not answered" :
		    it->grade.correct ? "right" : it->grade.points ? "partly" :
		    "wrong";
		char pre[96];
		snprintf(pre, sizeof pre, "  %s %-12s %2zu. ", mark, word, i + 1);
		uq_doc_item(&d, -1, 0, ui_attr(a, !it->answered ? UI_DIM :
		    it->grade.correct ? UI_MARK : UI_ERR), pre,
		    ui_attr(a, UI_NORMAL), it->q->stem);
	}
	uq_doc_blank(&d);
	sb t = SB_INIT;
	size_t missed = practice_missed(s);
	if (missed)
		sb_addf(&t, "Press r to retry the %zu you missed (freshly "
		    "shuffled), or q to go back.", missed);
	else
		sb_add(&t, "Nothing missed: well done. Press q to go back.");
	uq_doc_text(&d, ui_attr(a, UI_KEY), 0, sb_str(&t));
	sb_reset(&t);
	if (!p->pass) {
		sb_addf(&t, "Seed %llu: synclab quiz --seed %llu repeats this "
		    "draw.", (unsigned long long)p->seed,
		    (unsigned long long)p->seed);
		uq_doc_text(&d, ui_attr(a, UI_DIM), 0, sb_str(&t));
	}
	sb_free(&t);
	p->page = a->h - 4;
	uq_doc_draw(a, &d, 2, 2, a->h - 3, &p->scroll, -1);
	uq_doc_free(&d);
	ui_cursor(a, 2, 2);
}

static int
practice_sum_key(struct ui_app *a, void *st, int ch)
{
	struct practice *p = st;
	if (ch == 'r') {
		qs_session *t = qs_retry_missed(p->s, uq_now());
		if (t == NULL) {
			ui_toast(a, "Nothing to retry: every answer was right");
			return 1;
		}
		qs_free(p->s);
		p->s = t;
		p->pass++;
		practice_goto(p, 0);
		ui_swap(a, p, &ui_quiz_screen);
		return 1;
	}
	if (uq_back_key(a, ch))
		return 1;
	return uq_scroll_key(ch, &p->scroll, p->page);
}

/* --- the command-line entry ---------------------------------------------- */

int
ui_quiz_main(const ui_opts *o, const qs_opts *q, const char *bank_dir,
    const char *db_path)
{
	const struct ui_screen *s;
	void *st;
	if (q == NULL) {
		s = &ui_stats_screen;
		st = uq_stats_new(NULL, db_path);
	} else if (q->kind == QS_EXAM) {
		s = &ui_exam_screen;
		st = uq_exam_new(NULL, q, bank_dir, db_path);
	} else if (q->kind == QS_REVIEW) {
		s = &ui_review_screen;
		st = uq_review_new(NULL, q, bank_dir, db_path);
	} else {
		s = &ui_quiz_screen;
		st = uq_practice_new(NULL, q, bank_dir, db_path);
	}
	struct uq_state *b = st;
	if (b->error) {
		fputs(b->error, stderr);
		s->close(NULL, st);
		return 1;
	}
	return ui_main_with(o, s, st);
}
