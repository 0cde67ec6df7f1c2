/*
** exam.c: the mock exam: a start screen that says what the exam is before
** the clock starts, then questions without feedback under a countdown,
** back and forth, flags, a review list to jump from, submit with a
** confirmation (or by the clock), then the result: the score on 1-1000,
** the breakdown per domain and topic, and every question with the
** student's answer, the right one and the explanation.
**
** An answer is kept (qs_answer saves it as a draft) as soon as the
** widget holds a complete one, so moving on never loses it; an
** incomplete edit is dropped with a toast.  The countdown comes from the
** session's deadline: while the exam is on screen the loop ticks every
** second, and the tick of the exam and of its review list submits when
** time is up.  A dialog on top has no tick: the submit then happens
** within a second of the dialog closing.  The exam can be abandoned
** (x, or q on the start screen): it is then not scored at all.
*/
#include "ui/ui-int.h"
#include "ui/uq.h"

#include <stdlib.h>
#include <string.h>

#include "lib/xmem.h"
#include "quiz/qol.h"

struct exam {
	struct uq_state	 base;
	struct uq_src	 src;
	qs_session	*s;
	struct uq_ask	 ask;
	struct uq_qview	 qv;
	const char	*why;		/* how it ended (static text) */
	int		 started;	/* the start screen is left */
	int		 intro;		/* the frame shows exam_start_screen */
	int		 iscroll;	/* start screen */
	/* result */
	int		 rscroll;
	int		 rpage;
	int		 only_wrong;
	int		*qline;		/* doc line of each question */
};

/* The review list: its own small state so that it can be popped alone. */
struct exam_list {
	struct exam	*e;
	size_t		 sel;
	int		 filter;	/* 'a' all, 'u' unanswered, 'f' flagged */
	int		 scroll;
};

static const struct ui_key exam_start_keys[] = {
	{ "Enter", "start the exam and its clock", "Enter start", 0 },
	{ "j/k, PgDn/PgUp", "scroll", NULL, 0 },
	{ "q, Esc", "leave without starting (nothing is scored)", "q leave", 0 },
	{ NULL, NULL, NULL, 0 }
};

static const struct ui_key exam_keys[] = {
	UQ_ASK_KEYS,
	{ "Enter", "the next question (answers are kept at once)",
	  "Enter next", 0 },
	{ "] [, arrows", "next / previous question (Right/Left)", "[ ] move", 0 },
	{ "m", "flag or unflag this question for review", "m flag", 0 },
	{ "r", "review list: answered, unanswered, flagged",
	  "r review", 0 },
	{ ":", "go to question N", NULL, 0 },
	{ "s", "submit the exam (asks first)", "s submit", 0 },
	{ "Tab", "to the case study and back", NULL, 0 },
	{ "PgDn/PgUp", "scroll the question or the case study", NULL, 0 },
	{ "x", "abandon: end without a score (asks)", "x abandon", 0 },
	{ "q", "end: submit with the answers given (asks)", "q end", 0 },
	{ NULL, NULL, NULL, 0 }
};

static const struct ui_key exam_list_keys[] = {
	{ "j/k, Down/Up", "move", "j/k move", 0 },
	{ "Enter", "go to the highlighted question", "Enter go", 0 },
	{ "a / u / f", "show all, only unanswered, only flagged",
	  "a/u/f filter", 0 },
	{ "m", "flag or unflag the highlighted question", "m flag", 0 },
	{ "s", "submit the exam (asks first)", "s submit", 0 },
	{ "q, Esc", "back to the question", "q back", 0 },
	{ NULL, NULL, NULL, 0 }
};

static const struct ui_key exam_result_keys[] = {
	{ "j/k, PgDn/PgUp", "scroll", "j/k scroll", 0 },
	{ "] / [", "next / previous question", "] next q", 0 },
	{ "w", "only the questions not fully right, or all",
	  "w wrong only", 0 },
	{ "Home/End, g/G", "top, bottom", NULL, 0 },
	{ "q", "back", "q back", 0 },
	{ NULL, NULL, NULL, 0 }
};

static void exam_draw(struct ui_app *, void *);
static int exam_key(struct ui_app *, void *, int);
static void exam_tick(struct ui_app *, void *);
static void exam_close(struct ui_app *, void *);
static void *exam_open(struct ui_app *, const char *);
static void exam_list_draw(struct ui_app *, void *);
static int exam_list_key(struct ui_app *, void *, int);
static void exam_list_tick(struct ui_app *, void *);
static void exam_result_draw(struct ui_app *, void *);
static int exam_result_key(struct ui_app *, void *, int);

const struct ui_screen ui_exam_screen = {
	"exam", "Mock exam", 60, 16, 0, exam_draw, exam_key, exam_tick,
	exam_close, exam_keys, exam_open
};

/* The start screen is the exam's own state under other keys. */
static const struct ui_screen exam_start_screen = {
	"exam-start", "Mock exam: before you start", 60, 16, 0, exam_draw,
	exam_key, NULL, exam_close, exam_start_keys, NULL
};

static const struct ui_screen exam_list_screen = {
	"exam-list", "Exam review list", 60, 16, 0, exam_list_draw,
	exam_list_key, exam_list_tick, ui_close_free, exam_list_keys, NULL
};

static const struct ui_screen exam_result_screen = {
	"exam-result", "Exam result", 60, 16, 0, exam_result_draw,
	exam_result_key, NULL, exam_close, exam_result_keys, NULL
};

void *
uq_exam_new(struct ui_app *a, const qs_opts *o, const char *bank_dir,
    const char *db_path)
{
	struct exam *e = xcalloc(1, sizeof *e);
	e->s = uq_session_start(&e->src, a, o, bank_dir, db_path, "exam",
	    &e->base.error);
	if (e->s == NULL)
		return e;
	uq_ask_set(&e->ask, qs_cur(e->s));
	e->qv.follow = 1;
	return e;
}

static void *
exam_open(struct ui_app *a, const char *arg)
{
	qs_opts o;
	(void)arg;
	uq_opts_home(&o, QS_EXAM);
	return uq_exam_new(a, &o, NULL, NULL);
}

static void
exam_close(struct ui_app *a, void *st)
{
	struct exam *e = st;
	(void)a;
	qs_free(e->s);
	uq_src_close(&e->src);
	free(e->qline);
	free(e->base.error);
	free(e);
}

/* --- the clock ----------------------------------------------------------- */

static void
exam_counts(const qs_session *s, size_t *ans, size_t *fl)
{
	*ans = *fl = 0;
	for (size_t i = 0; i < s->n; i++) {
		*ans += (size_t)s->items[i].answered;
		*fl += (size_t)s->items[i].flagged;
	}
}

/* The countdown in the title line: bold, warning under five minutes and
** an error under one (words and attributes, not colour alone). */
static void
exam_title(struct ui_app *a, struct exam *e, const char *left)
{
	int64_t left_ms = qs_time_left(e->s, uq_now());
	char clock[32], right[64];
	qs_format_clock(left_ms, clock, sizeof clock);
	enum ui_role role = UI_TITLE;
	if (left_ms < 60000)
		role = UI_ERR;
	else if (left_ms < 5 * 60000)
		role = UI_WARN;
	snprintf(right, sizeof right, "Time left %s%s", clock,
	    left_ms < 60000 ? " (last minute)" : "");
	uq_title(a, left, right, ui_attr(a, role) | A_BOLD);
	/* Tick each second while the exam runs (ui_pop resets it). */
	a->tick_ms = 1000;
}

static void
exam_submit(struct ui_app *a, struct exam *e, const char *why)
{
	sb err = SB_INIT;
	if (qs_submit(e->s, uq_now(), &err) != 0) {
		ui_message(a, "The exam could not be saved", err.len ?
		    sb_str(&err) : "The exam is already submitted.");
		sb_free(&err);
		return;
	}
	sb_free(&err);
	e->why = why;
	e->rscroll = 0;
	/* Close the review list and any dialog above the exam. */
	ui_pop_to(a, e);
	ui_swap(a, e, &exam_result_screen);
	a->tick_ms = 0;
}

/* Submits when time is up; 1 when it did. */
static int
exam_time_check(struct ui_app *a, struct exam *e)
{
	if (e->s == NULL || !e->started || e->s->submitted || e->s->abandoned)
		return 0;
	if (qs_time_left(e->s, uq_now()) > 0)
		return 0;
	exam_submit(a, e, "Time is up: the exam was submitted with the "
	    "answers given.");
	return 1;
}

static void
exam_tick(struct ui_app *a, void *st)
{
	exam_time_check(a, st);
}

/* --- answering ----------------------------------------------------------- */

static void
exam_goto(struct ui_app *a, struct exam *e, size_t i)
{
	qs_item *it = qs_cur(e->s);
	qz_resp r;
	if (e->ask.dirty && !uq_ask_resp(&e->ask, &r))
		ui_toast(a, it->answered ? "Question %zu: the change was "
		    "incomplete; the answer kept before stays" : "Question %zu: "
		    "the answer was incomplete and was not kept", e->s->cur + 1);
	qs_goto(e->s, i, uq_now());
	uq_ask_set(&e->ask, qs_cur(e->s));
	memset(&e->qv, 0, sizeof e->qv);
	e->qv.follow = 1;
}

/* Keeps the widget's answer when it is complete and new, and the student
** changed it or asked for it (force: Enter).  An ordering is complete
** from the start: only an edit or Enter makes it an answer. */
static void
exam_keep(struct ui_app *a, struct exam *e, int force)
{
	qs_item *it = qs_cur(e->s);
	qz_resp r;
	if (!(e->ask.dirty || force) || !uq_ask_resp(&e->ask, &r))
		return;
	if (it->answered && r.n == it->resp.n &&
	    memcmp(r.v, it->resp.v, sizeof r.v) == 0)
		return;
	sb err = SB_INIT;
	if (qs_answer(e->s, &r, uq_now(), &err) != 0)
		ui_message(a, "The answer was not saved", sb_str(&err));
	sb_free(&err);
}

/* The start screen: what the exam is, before the clock starts. */
static void
exam_intro_draw(struct ui_app *a, struct exam *e)
{
	char right[64];
	snprintf(right, sizeof right, "%d:00, not started", e->s->minutes);
	uq_title(a, "Mock exam", right, ui_attr(a, UI_TITLE) | A_BOLD);
	a->tick_ms = 0;
	ui_box(a, 1, 0, a->h - 2, a->w, "Before you start", 0);
	struct uq_doc d;
	uq_doc_init(&d, a->w - 4);
	sb t = SB_INIT;
	qs_format_exam_intro(e->s, &t);
	const char *s = sb_str(&t);
	/* The first line as a heading, each "- " point as an item. */
	for (int first = 1; *s; first = 0) {
		const char *nl = strchr(s, '\n');
		char *line = xstrndup(s, nl ? (size_t)(nl - s) : strlen(s));
		if (first) {
			uq_doc_text(&d, ui_attr(a, UI_HEAD) | A_BOLD, 0, line);
			uq_doc_blank(&d);
		} else if (strncmp(line, "- ", 2) == 0)
			uq_doc_item(&d, -1, 0, ui_attr(a, UI_NORMAL), "- ",
			    ui_attr(a, UI_NORMAL), line + 2);
		free(line);
		s = nl ? nl + 1 : s + strlen(s);
	}
	if (e->s->shortfall[0]) {
		uq_doc_blank(&d);
		uq_doc_text(&d, ui_attr(a, UI_WARN), 0, e->s->shortfall);
	}
	uq_doc_blank(&d);
	uq_doc_text(&d, ui_attr(a, UI_MARK) | A_BOLD, 0, "Press Enter to start "
	    "the clock; q leaves without starting.");
	sb_free(&t);
	uq_doc_draw(a, &d, 2, 2, a->h - 4, &e->iscroll, -1);
	uq_doc_free(&d);
	ui_cursor(a, 2, 2);
}

static void
exam_draw(struct ui_app *a, void *st)
{
	struct exam *e = st;
	if (e->base.error) {
		uq_error_draw(a, "Mock exam", e->base.error);
		return;
	}
	if (!e->started) {
		if (!e->intro) {
			/* its key bar and help: the frame takes the start
			** screen's keys until Enter */
			ui_swap(a, e, &exam_start_screen);
			e->intro = 1;
		}
		exam_intro_draw(a, e);
		return;
	}
	qs_session *s = e->s;
	qs_item *it = qs_cur(s);
	char left[128];
	size_t ans, fl;
	uq_ask_flags(a, it->q, 1);	/* an exam answer can always change */
	exam_counts(s, &ans, &fl);
	snprintf(left, sizeof left, "Mock exam  Question %zu of %zu",
	    s->cur + 1, s->n);
	exam_title(a, e, left);
	/* Status line: this question's state in words first (FLAGGED in the
	** warning role, bold without colour), then the counts, which may be
	** cut on narrow terminals.  No domain or topic: they can name the
	** answer. */
	int x = 1;
	if (it->flagged)
		x += ui_put(1, x, a->w - 1 - x, ui_attr(a, UI_WARN),
		    "FLAGGED  ");
	if (it->answered) {
		sb t = SB_INIT;
		qz_format_resp(it->q, &it->view, &it->resp, &t);
		x += ui_putf(1, x, a->w - 1 - x, ui_attr(a, UI_MARK),
		    "answer kept: %s", sb_str(&t));
		sb_free(&t);
	} else
		x += ui_put(1, x, a->w - 1 - x, ui_attr(a, UI_NORMAL),
		    "not answered");
	/* The counts shorten by rule rather than being cut: in full, then
	** "3/9 answered, 1 flagged", then "3/9". */
	char counts[3][96];
	snprintf(counts[0], sizeof counts[0], " | %zu answered, %zu "
	    "unanswered, %zu flagged", ans, s->n - ans, fl);
	snprintf(counts[1], sizeof counts[1], " | %zu/%zu answered, %zu "
	    "flagged", ans, s->n, fl);
	snprintf(counts[2], sizeof counts[2], " | %zu/%zu", ans, s->n);
	for (int k = 0; k < 3; k++)
		if (ui_width(counts[k]) <= a->w - 1 - x || k == 2) {
			ui_put_cut(a, 1, x, a->w - 1 - x, ui_attr(a, UI_DIM),
			    counts[k]);
			break;
		}
	struct uq_doc d;
	uq_doc_init(&d, uq_qview_width(a, it->q->cs));
	uq_ask_doc(a, &e->ask, !e->qv.focus_case, NULL, &d);
	uq_hint_doc(a, it->q, "An answer is kept as soon as it is "
	    "complete; Enter goes to the next question, r lists them all. No "
	    "feedback until you submit.", &d);
	uq_qview_draw(a, &e->qv, 2, it->q->cs, &d, e->ask.row);
	uq_doc_free(&d);
}

static void
exam_submit_yes(struct ui_app *a, void *ctx)
{
	exam_submit(a, ctx, "Submitted.");
}

static void
exam_end_yes(struct ui_app *a, void *ctx)
{
	exam_submit(a, ctx, "You ended the exam: it was submitted with the "
	    "answers given.");
}

static void
exam_ask_submit(struct ui_app *a, struct exam *e, int ending)
{
	size_t ans, fl;
	exam_keep(a, e, 0);
	exam_counts(e->s, &ans, &fl);
	char text[512];
	snprintf(text, sizeof text, "%s%zu answered, %zu unanswered, %zu "
	    "flagged.\n\nAfter submitting, answers cannot change; the score "
	    "and every explanation follow.",
	    ending ? "Ending the exam submits it with the answers given.\n\n"
	    : "", ans, e->s->n - ans, fl);
	ui_confirm(a, ending ? "End and submit the exam?" : "Submit the exam?",
	    text, ending ? exam_end_yes : exam_submit_yes, e, NULL);
}

/* Abandons the exam (no score) and closes the screen. */
static void
exam_abandon_yes(struct ui_app *a, void *ctx)
{
	struct exam *e = ctx;
	sb err = SB_INIT;
	if (qs_abandon(e->s, uq_now(), &err) != 0) {
		ui_message(a, "The exam could not be abandoned", err.len ?
		    sb_str(&err) : "The exam is already over.");
		sb_free(&err);
		return;
	}
	sb_free(&err);
	ui_pop_to(a, e);
	ui_pop(a);
}

static void
exam_ask_abandon(struct ui_app *a, struct exam *e)
{
	size_t ans, fl;
	exam_counts(e->s, &ans, &fl);
	char text[512];
	snprintf(text, sizeof text, "%zu answered, %zu unanswered.\n\nAn "
	    "abandoned exam is not scored, and none of its answers counts in "
	    "your progress.", ans, e->s->n - ans);
	ui_confirm(a, "Abandon the exam?", text, exam_abandon_yes, e, NULL);
}

/* The start screen's keys: Enter starts the clock, q or Esc leaves (the
** stored exam is marked abandoned), the rest scrolls. */
static int
exam_intro_key(struct ui_app *a, struct exam *e, int ch)
{
	sb err = SB_INIT;
	switch (ch) {
	case '\r': case '\n': case KEY_ENTER:
		if (qs_exam_begin(e->s, uq_now(), &err) != 0)
			ui_message(a, "The exam could not start", sb_str(&err));
		else {
			e->started = 1;
			ui_swap(a, e, &ui_exam_screen);
		}
		sb_free(&err);
		return 1;
	case 'q': case 27:
		exam_abandon_yes(a, e);
		return 1;
	}
	return uq_scroll_key(ch, &e->iscroll, a->h - 5);
}

static int
exam_go_done(struct ui_app *a, void *ctx, const char *text)
{
	struct exam *e = ctx;
	char *end;
	long k = strtol(text, &end, 10);
	if (end == text || *end != '\0' || k < 1 || (size_t)k > e->s->n) {
		ui_toast(a, "Type a question number from 1 to %zu", e->s->n);
		return -1;
	}
	exam_goto(a, e, (size_t)k - 1);
	return 0;
}

static void
exam_flag(struct ui_app *a, struct exam *e)
{
	qs_item *it = qs_cur(e->s);
	sb err = SB_INIT;
	if (qs_flag(e->s, !it->flagged, &err) != 0)
		ui_message(a, "The flag was not saved", sb_str(&err));
	else
		ui_toast(a, "Question %zu %s", e->s->cur + 1, it->flagged ?
		    "flagged for review" : "unflagged");
	sb_free(&err);
}

static void exam_list_open(struct ui_app *a, struct exam *e);

static int
exam_key(struct ui_app *a, void *st, int ch)
{
	struct exam *e = st;
	if (e->base.error)
		return uq_back_key(a, ch);
	if (!e->started)
		return exam_intro_key(a, e, ch);
	if (exam_time_check(a, e))
		return 1;
	qs_session *s = e->s;
	qs_item *it = qs_cur(s);
	if (uq_qview_key(&e->qv, ch, it->q->cs != NULL))
		return 1;
	if (!e->qv.focus_case) {
		qz_resp r;
		enum uq_ask_rc rc = uq_ask_key(a, &e->ask, ch, 0, &r);
		if (rc != UQ_ASK_UNUSED) {
			exam_keep(a, e, rc == UQ_ASK_SUBMIT);
			e->qv.follow = 1;
			if (rc == UQ_ASK_SUBMIT) {
				if (s->cur + 1 < s->n)
					exam_goto(a, e, s->cur + 1);
				else
					ui_toast(a, "That was the last "
					    "question: r lists them all, s "
					    "submits");
			}
			return 1;
		}
	}
	switch (ch) {
	case KEY_RIGHT: case ']':
		if (s->cur + 1 < s->n)
			exam_goto(a, e, s->cur + 1);
		else
			ui_toast(a, "This is the last question: r lists them "
			    "all, s submits");
		return 1;
	case KEY_LEFT: case '[':
		if (s->cur > 0)
			exam_goto(a, e, s->cur - 1);
		else
			ui_toast(a, "This is the first question");
		return 1;
	case 'm':
		exam_flag(a, e);
		return 1;
	case 'r':
		exam_list_open(a, e);
		return 1;
	case ':':	/* not g: the letters a-h pick options */
		ui_prompt(a, "Go to question", "Question number:", "",
		    exam_go_done, e);
		return 1;
	case 's':
		exam_ask_submit(a, e, 0);
		return 1;
	case 'q':
		exam_ask_submit(a, e, 1);
		return 1;
	case 'x':
		exam_ask_abandon(a, e);
		return 1;
	}
	return 0;
}

/* --- the review list ----------------------------------------------------- */

static void
exam_list_open(struct ui_app *a, struct exam *e)
{
	qz_resp r;
	/* Leaving the question: drop an incomplete edit now, with its
	** toast, rather than silently. */
	if (e->ask.dirty && !uq_ask_resp(&e->ask, &r))
		ui_toast(a, "Question %zu: the answer was incomplete and was "
		    "not kept", e->s->cur + 1);
	uq_ask_set(&e->ask, qs_cur(e->s));
	struct exam_list *l = xcalloc(1, sizeof *l);
	l->e = e;
	l->sel = e->s->cur;
	l->filter = 'a';
	ui_push(a, &exam_list_screen, l);
}

static int
exam_list_shows(const struct exam_list *l, size_t i)
{
	const qs_item *it = &l->e->s->items[i];
	return l->filter == 'a' || (l->filter == 'u' && !it->answered) ||
	    (l->filter == 'f' && it->flagged);
}

static void
exam_list_draw(struct ui_app *a, void *st)
{
	struct exam_list *l = st;
	struct exam *e = l->e;
	qs_session *s = e->s;
	size_t ans, fl;
	exam_counts(s, &ans, &fl);
	exam_title(a, e, "Mock exam  Review list");
	ui_putf(1, 1, a->w - 2, ui_attr(a, UI_NORMAL), "%zu answered, %zu "
	    "unanswered, %zu flagged.  Showing: %s", ans, s->n - ans, fl,
	    l->filter == 'u' ? "unanswered only" : l->filter == 'f' ?
	    "flagged only" : "all");
	ui_box(a, 2, 0, a->h - 3, a->w, "Questions", 1);
	if (!exam_list_shows(l, l->sel))
		for (size_t i = 0; i < s->n; i++)
			if (exam_list_shows(l, i)) {
				l->sel = i;
				break;
			}
	struct uq_doc d;
	uq_doc_init(&d, a->w - 4);
	int shown = 0;
	for (size_t i = 0; i < s->n; i++) {
		if (!exam_list_shows(l, i))
			continue;
		const qs_item *it = &s->items[i];
		int sel = i == l->sel;
		char pre[128];
		snprintf(pre, sizeof pre, "%s %3zu  %-10s  %-7s  %s ",
		    sel ? a->g->cur : " ", i + 1,
		    it->answered ? "answered" : "unanswered",
		    it->flagged ? "FLAGGED" : "", i == s->cur ? "<-" : "  ");
		uq_doc_line(&d, (int)i, sel);
		uq_doc_seg(&d, ui_attr(a, it->flagged ? UI_WARN :
		    it->answered ? UI_NORMAL : UI_DIM), pre);
		size_t fit = ui_fit(it->q->stem, d.w - ui_width(pre));
		char *stem = xstrndup(it->q->stem, fit);
		uq_doc_seg(&d, ui_attr(a, UI_NORMAL), stem);
		free(stem);
		shown++;
	}
	if (shown == 0)
		uq_doc_text(&d, ui_attr(a, UI_DIM), 0, l->filter == 'u' ?
		    "Every question is answered." : "No question is flagged "
		    "(m flags the highlighted one).");
	int cy = uq_doc_draw(a, &d, 3, 2, a->h - 5, &l->scroll,
	    shown ? (int)l->sel : -1);
	uq_doc_free(&d);
	ui_cursor(a, cy >= 0 ? cy : 3, 2);
}

static void
exam_list_move(struct exam_list *l, int dir)
{
	size_t n = l->e->s->n;
	for (size_t i = l->sel; ; ) {
		if (dir > 0 && i + 1 >= n)
			return;
		if (dir < 0 && i == 0)
			return;
		i = dir > 0 ? i + 1 : i - 1;
		if (exam_list_shows(l, i)) {
			l->sel = i;
			return;
		}
	}
}

static int
exam_list_key(struct ui_app *a, void *st, int ch)
{
	struct exam_list *l = st;
	struct exam *e = l->e;
	if (exam_time_check(a, e))
		return 1;
	switch (ch) {
	case 'j': case KEY_DOWN:
		exam_list_move(l, 1);
		return 1;
	case 'k': case KEY_UP:
		exam_list_move(l, -1);
		return 1;
	case KEY_NPAGE:
		for (int i = 0; i < 10; i++)
			exam_list_move(l, 1);
		return 1;
	case KEY_PPAGE:
		for (int i = 0; i < 10; i++)
			exam_list_move(l, -1);
		return 1;
	case 'a': case 'u': case 'f':
		l->filter = ch;
		l->scroll = 0;
		return 1;
	case 'm': {
		if (!exam_list_shows(l, l->sel))
			return 1;
		size_t back = e->s->cur;
		e->s->cur = l->sel;	/* qs_flag acts on the cursor */
		exam_flag(a, e);
		e->s->cur = back;
		return 1;
	}
	case '\r': case '\n': case KEY_ENTER: {
		if (!exam_list_shows(l, l->sel))
			return 1;
		size_t i = l->sel;
		ui_pop(a);		/* frees l */
		exam_goto(a, e, i);
		return 1;
	}
	case 's':
		exam_ask_submit(a, e, 0);
		return 1;
	case 27:
		ui_pop(a);
		return 1;
	}
	return 0;
}

static void
exam_list_tick(struct ui_app *a, void *st)
{
	struct exam_list *l = st;
	exam_time_check(a, l->e);
}

/* --- the result ---------------------------------------------------------- */

/* The result as a document; r: the session's tallies (the caller's). */
static void
exam_result_doc(struct ui_app *a, struct exam *e, const qs_result *r,
    struct uq_doc *d)
{
	qs_session *s = e->s;
	sb t = SB_INIT;
	uq_doc_line(d, -1, 0);
	uq_doc_segf(d, ui_attr(a, r->passed ? UI_MARK : UI_ERR) | A_BOLD,
	    "%s Score %d of 1000: %s", r->passed ? a->g->check : a->g->cross,
	    r->scaled, r->passed ? "PASS" : "FAIL");
	uq_doc_segf(d, ui_attr(a, UI_NORMAL), "  (%d is needed to pass)",
	    QS_PASS);
	if (e->why)
		uq_doc_text(d, ui_attr(a, UI_HEAD), 0, e->why);
	uq_doc_blank(d);
	qs_format_result(s, r, &t);
	/* The first line repeats the score drawn above. */
	const char *rest = strchr(sb_str(&t), '\n');
	uq_doc_text(d, ui_attr(a, UI_NORMAL), 0, rest ? rest + 1 : "");
	sb_reset(&t);
	uq_doc_blank(d);
	uq_breakdown_doc(a, r, d);
	uq_doc_blank(d);
	uq_doc_text(d, ui_attr(a, UI_HEAD), 0, e->only_wrong ?
	    "The questions not fully right (w shows all)" :
	    "Every question, your answer and the right one (w: only the "
	    "ones not fully right)");
	free(e->qline);
	e->qline = xcalloc(s->n ? s->n : 1, sizeof *e->qline);
	for (size_t i = 0; i < s->n; i++) {
		const qs_item *it = &s->items[i];
		e->qline[i] = -1;
		if (e->only_wrong && it->grade.correct)
			continue;
		uq_doc_blank(d);
		e->qline[i] = (int)d->n;
		const char *word = !it->answered ? "not answered" :
		    it->grade.correct ? "right" : it->grade.points ? "partly "
		    "right" : "wrong";
		uq_doc_line(d, -1, 0);
		int li = qol_find(it->q->objective);
		uq_doc_segf(d, ui_attr(a, UI_HEAD) | A_BOLD, "[%zu/%zu] %s%s%s",
		    i + 1, s->n, li >= 0 ? qol_at((size_t)li)->code : "",
		    li >= 0 ? " " : "", qz_domain_title(it->q->domain));
		uq_doc_segf(d, ui_attr(a, it->answered && it->grade.correct ?
		    UI_MARK : UI_ERR) | A_BOLD, "  %s %s%s",
		    it->answered && it->grade.correct ? a->g->check :
		    a->g->cross, word, it->flagged ? "  (flagged)" : "");
		if (it->q->cs) {
			sb_addf(&t, "Case study: %s", it->q->cs->title);
			uq_doc_text(d, ui_attr(a, UI_DIM), 0, sb_str(&t));
			sb_reset(&t);
		}
		struct uq_ask k;
		uq_ask_set(&k, it);
		uq_ask_doc(a, &k, 0, it, d);
		uq_doc_blank(d);
		uq_feedback_doc(a, it, d);
	}
	sb_free(&t);
}

static void
exam_result_draw(struct ui_app *a, void *st)
{
	struct exam *e = st;
	qs_result r;
	qs_result_get(e->s, &r);
	char right[64];
	snprintf(right, sizeof right, "%d / 1000  %s", r.scaled, r.passed ?
	    "PASS" : "FAIL");
	uq_title(a, "Mock exam result", right, ui_attr(a, r.passed ? UI_MARK :
	    UI_ERR) | A_BOLD | A_REVERSE);
	struct uq_doc d;
	uq_doc_init(&d, a->w - 4);
	exam_result_doc(a, e, &r, &d);
	qs_result_free(&r);
	e->rpage = a->h - 3;
	uq_doc_draw(a, &d, 1, 2, a->h - 2, &e->rscroll, -1);
	uq_doc_free(&d);
	ui_cursor(a, 1, 2);
}

static int
exam_result_key(struct ui_app *a, void *st, int ch)
{
	struct exam *e = st;
	size_t n = e->s->n;
	if (ch == 'w') {
		e->only_wrong = !e->only_wrong;
		e->rscroll = 0;
		return 1;
	}
	if (uq_back_key(a, ch))
		return 1;
	if ((ch == ']' || ch == '[') && e->qline) {
		/* The next question heading below (above) the top line. */
		int best = -1;
		for (size_t i = 0; i < n; i++) {
			int l = e->qline[i];
			if (l < 0)
				continue;
			if (ch == ']' && l > e->rscroll && (best < 0 || l < best))
				best = l;
			if (ch == '[' && l < e->rscroll && l > best)
				best = l;
		}
		if (best >= 0)
			e->rscroll = best;
		else if (ch == '[')
			e->rscroll = 0;
		return 1;
	}
	return uq_scroll_key(ch, &e->rscroll, e->rpage);
}
