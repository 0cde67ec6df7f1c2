/*
** quiz.c: the practice screen, and uq_start() (the quiz start screens).
** What every quiz screen shares is in quiz-kit.c (sources, layout),
** quiz-doc.c (the document) and quiz-ask.c (the answer widget).
**
** Practice: one question at a time with feedback after each answer; at
** the end a summary, and "retry the ones I missed" as often as wanted.
** Answers are committed one by one by qs_answer(), so leaving at any
** moment keeps everything already answered.
*/
#include "ui/ui-int.h"
#include "ui/uq.h"

#include <stdlib.h>
#include <string.h>

#include "lib/xmem.h"

/* --- practice ------------------------------------------------------------ */

struct practice {
	struct uq_state	 base;
	struct uq_src	 src;
	qs_session	*s;
	int		 pass;		/* 0, then one per retry */
	uint64_t	 seed;
	struct uq_ask	 ask;
	struct uq_qview	 qv;
	struct uq_guard	 guard;		/* Enter after a letter answer */
	const char	*note;		/* a toast for the first draw */
	int		 scroll;	/* summary */
	int		 page;
};

static const struct ui_key practice_keys[] = {
	UQ_ASK_KEYS,
	{ "Enter", "submit; after the feedback: the next question",
	  "Enter answer/next", 0 },
	{ "Right, l", "after the feedback: the next question", NULL, 0 },
	{ "Left", "look at the previous question again", NULL, 0 },
	{ "Tab", "to the case study and back", NULL, 0 },
	{ "PgDn/PgUp", "scroll the question or the case study",
	  "PgDn more", 0 },
	{ "q", "end: the summary (answers are kept)", "q end", 0 },
	{ NULL, NULL, NULL, 0 }
};

static const struct ui_key practice_sum_keys[] = {
	{ "r", "retry the questions you missed", "r retry missed", 0 },
	{ "j/k, PgDn/PgUp", "scroll", "j/k scroll", 0 },
	{ "Home/End, g/G", "top, bottom", NULL, 0 },
	{ "q", "back", "q back", 0 },
	{ NULL, NULL, NULL, 0 }
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
	if (a && p->s->shortfall[0])
		ui_toast(a, "%s", p->s->shortfall);
	else if (p->s->shortfall[0])
		p->note = p->s->shortfall;	/* no screen yet: on the first draw */
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
	uq_ask_flags(a, it->q, !it->answered);
	if (p->note) {
		ui_toast(a, "%s", p->note);
		p->note = NULL;
	}
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
	/* Status: the running score.  No domain or topic before an answer
	** (a topic can name it); the feedback says where the question sits. */
	sb t = SB_INIT;
	sb_addf(&t, "%zu answered, %zu right", answered, ok);
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
	if (uq_guard_eat(a, &p->guard, ch))
		return 1;
	if (uq_qview_key(&p->qv, ch, it->q->cs != NULL))
		return 1;
	if (!it->answered && !p->qv.focus_case) {
		qz_resp r;
		enum uq_ask_rc rc = uq_ask_key(a, &p->ask, ch, 1, &r);
		if (rc == UQ_ASK_SUBMIT) {
			sb err = SB_INIT;
			uq_guard_arm(a, &p->guard, ch);
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
	size_t missed = practice_missed(s), open = 0;
	for (size_t i = 0; i < s->n; i++)
		open += !s->items[i].answered;
	if (missed)
		sb_addf(&t, "Press r to retry the %zu you missed (freshly "
		    "shuffled), or q to go back.", missed);
	else if (open)
		sb_addf(&t, "Every answer given was right, but %zu question%s "
		    "%s left unanswered. Press q to go back.", open, open == 1 ?
		    "" : "s", open == 1 ? "was" : "were");
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

/* --- the start screens ------------------------------------------------- */

int
uq_start(const ui_opts *o, const struct ui_screen **s, void **st, sb *err)
{
	int practice = o->start == UI_START_PRACTICE;
	int exam = o->start == UI_START_EXAM;
	int review = o->start == UI_START_REVIEW;
	if (o->start == UI_START_STATS) {
		*s = &ui_stats_screen;
		*st = uq_stats_new(NULL, o->bank_dir, o->db_path);
	} else if (practice || exam || review) {
		enum qs_kind kind = exam ? QS_EXAM : review ? QS_REVIEW :
		    QS_PRACTICE;
		qs_opts q;
		if (o->quiz)
			q = *o->quiz;
		else
			uq_opts_home(&q, kind);
		q.kind = kind;
		*s = exam ? &ui_exam_screen : review ? &ui_review_screen :
		    &ui_quiz_screen;
		*st = exam ? uq_exam_new(NULL, &q, o->bank_dir, o->db_path) :
		    review ? uq_review_new(NULL, &q, o->bank_dir, o->db_path) :
		    uq_practice_new(NULL, &q, o->bank_dir, o->db_path);
	} else
		return 0;
	struct uq_state *b = *st;
	if (b->error) {
		sb_add(err, b->error);
		(*s)->close(NULL, *st);
		*s = NULL;
		*st = NULL;
		return -1;
	}
	return 1;
}
