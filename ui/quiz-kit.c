/*
** quiz-kit.c: what every quiz screen starts from: the bank and the
** progress store a screen reads, the clock, the title line and the
** "cannot start" page, the session and result helpers, and the question
** layout (the question beside or below its case study).
*/
#include "ui/ui-int.h"
#include "ui/uq.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
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
	ui_put_cut(a, 0, 1, a->w - rw - 2, ui_attr(a, UI_TITLE) | A_BOLD,
	    left);
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

/*
** An Enter that was typed together with the answer (already waiting when
** the answer was taken, as in a burst of keys or a paste) must not skip
** the feedback.  Whether more input was waiting is a fact about the
** input, not the clock (the loop notes it: a->typeahead), so the guard
** behaves the same on a slow machine and under test.
*/
static int
uq_is_enter(int ch)
{
	return ch == '\r' || ch == '\n' || ch == KEY_ENTER;
}

void
uq_guard_arm(struct ui_app *a, struct uq_guard *g, int ch)
{
	/* Enter itself submitted: nothing comes "with" it. */
	g->armed = !uq_is_enter(ch) && a->typeahead;
}

int
uq_guard_eat(struct ui_app *a, struct uq_guard *g, int ch)
{
	int armed = g->armed;
	g->armed = 0;
	if (!armed || !uq_is_enter(ch))
		return 0;
	ui_toast(a, "That Enter came with the answer: read the feedback, "
	    "then Enter for the next");
	return 1;
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
