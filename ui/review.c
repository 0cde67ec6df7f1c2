/*
** review.c: spaced review.  First what is due (now, and later today),
** then each card: the answer, the feedback, and after a right answer the
** self-rating Again/Hard/Good/Easy on the keys 1-4, as in Anki, each
** labelled with the interval it would give (qm_preview).  A wrong answer
** counts as Again at once (qs_answer commits it).  Cards that become
** leeches are reported on the spot and in the summary.
*/
#include "ui/ui-int.h"
#include "ui/uq.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/xmem.h"
#include "sim/scn.h"
#include "quiz/qm.h"
#include "quiz/qst.h"

struct review {
	struct uq_state	 base;
	struct uq_src	 src;
	qs_session	*s;		/* NULL: nothing is due */
	size_t		 due_now, due_later;
	qst_stats	 st;		/* the forecast, when nothing is due */
	int		 st_read;	/* qst_load() called: st to free */
	int		 have_st;	/* and it succeeded */
	struct uq_ask	 ask;
	struct uq_qview	 qv;
	struct uq_guard	 guard;		/* Enter after a letter answer */
	scn_asks	 asks;		/* the scenarios' questions (Home) */
	unsigned char	*leech;		/* per item: became a leech here */
	qm_card		 card;		/* the current card before the answer */
	int		 card_new;	/* it had none yet */
	char		 note[256];	/* what the answer did to the card */
	int		 scroll, page;
};

/* The rating buttons as Anki labels them. */
static const char *const review_rating[] = { "Again", "Hard", "Good",
    "Easy" };

static const struct ui_key review_keys[] = {
	{ "Enter", "start the review (when cards are due)", "Enter start",
	  UI_KF_READY },
	{ "j/k, PgDn/PgUp", "scroll", "j/k scroll", 0 },
	{ "q", "back", "q back", 0 },
	{ NULL, NULL, NULL, 0 }
};

static const struct ui_key review_card_keys[] = {
	UQ_ASK_KEYS,
	{ "Enter", "submit; rate Good; then the next card",
	  "Enter answer/next", 0 },
	{ "1 2 3 4", "after a right answer: Again, Hard, Good, Easy",
	  "1-4 rate", 0 },
	{ "Tab", "to the case study and back", NULL, 0 },
	{ "PgDn/PgUp", "scroll the question or the case study", NULL, 0 },
	{ "q", "end the review (unrated counts as Good)", "q end", 0 },
	{ NULL, NULL, NULL, 0 }
};

static const struct ui_key review_sum_keys[] = {
	{ "j/k, PgDn/PgUp", "scroll", "j/k scroll", 0 },
	{ "q", "back", "q back", 0 },
	{ NULL, NULL, NULL, 0 }
};

static void review_draw(struct ui_app *, void *);
static int review_key(struct ui_app *, void *, int);
static void review_close(struct ui_app *, void *);
static void *review_open(struct ui_app *, const char *);
static void review_card_draw(struct ui_app *, void *);
static int review_card_key(struct ui_app *, void *, int);
static void review_sum_draw(struct ui_app *, void *);
static int review_sum_key(struct ui_app *, void *, int);

const struct ui_screen ui_review_screen = {
	"review", "Spaced review", 60, 16, 0, review_draw, review_key, NULL,
	review_close, review_keys, review_open
};

static const struct ui_screen review_card_screen = {
	"review-card", "Spaced review: card", 60, 16, 0, review_card_draw,
	review_card_key, NULL, review_close, review_card_keys, NULL
};

static const struct ui_screen review_sum_screen = {
	"review-summary", "Spaced review: summary", 60, 16, 0,
	review_sum_draw, review_sum_key, NULL, review_close, review_sum_keys,
	NULL
};

/* Draws d, the whole page below the title of a scrolling screen, and
** frees it. */
static void
review_show(struct ui_app *a, struct review *v, struct uq_doc *d)
{
	v->page = a->h - 3;
	uq_doc_draw(a, d, 2, 2, a->h - 3, &v->scroll, -1);
	uq_doc_free(d);
	ui_cursor(a, 2, 2);
}

void *
uq_review_new(struct ui_app *a, const qs_opts *o, const char *bank_dir,
    const char *db_path)
{
	struct review *v = xcalloc(1, sizeof *v);
	sb err = SB_INIT;
	if (uq_src_open(&v->src, a, bank_dir, db_path, 1, &err) != 0) {
		v->base.error = sb_take(&err);
		return v;
	}
	int64_t now = o->now_ms / 1000;
	v->due_now = qdb_due_count(v->src.db, now);
	v->due_later = qdb_due_count(v->src.db, (now / QM_DAY + 1) *
	    QM_DAY - 1) - v->due_now;
	/* Cards met in scenarios are due like the others: from Home the
	** screen finds the scenarios' questions itself (the command line
	** passes them in o). */
	qs_opts oo = *o;
	if (oo.extra == NULL && a && a->opts.datadir) {
		scn_asks_load(a->opts.datadir, &v->asks);
		oo.extra = v->asks.q;
		oo.nextra = v->asks.nq;
	}
	v->s = qs_start(&v->src.bank, v->src.db, &oo, &err);
	if (v->s == NULL && strncmp(sb_str(&err), "nothing", 7) != 0) {
		v->base.error = xasprintf("synclab: review: %s\n", sb_str(&err));
		sb_free(&err);
		return v;
	}
	sb_reset(&err);
	if (v->s == NULL) {
		v->st_read = 1;
		v->have_st = qst_load(v->src.db, now, &v->st, &err) == 0;
	}
	else {
		v->leech = xcalloc(v->s->n, 1);
		uq_ask_set(&v->ask, qs_cur(v->s));
		v->qv.follow = 1;
	}
	sb_free(&err);
	return v;
}

static void *
review_open(struct ui_app *a, const char *arg)
{
	qs_opts o;
	(void)arg;
	uq_opts_home(&o, QS_REVIEW);
	return uq_review_new(a, &o, NULL, NULL);
}

static void
review_close(struct ui_app *a, void *st)
{
	struct review *v = st;
	(void)a;
	qs_free(v->s);
	if (v->st_read)
		qst_free(&v->st);
	uq_src_close(&v->src);
	scn_asks_free(&v->asks);
	free(v->leech);
	free(v->base.error);
	free(v);
}

/* --- what is due --------------------------------------------------------- */

/* "YYYY-MM-DD" of a UTC day number. */
static void
review_day(int64_t day, char *buf, size_t n)
{
	time_t t = (time_t)(day * QM_DAY);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(buf, n, "%Y-%m-%d", &tm);
}

static void
review_draw(struct ui_app *a, void *st)
{
	struct review *v = st;
	if (v->base.error) {
		uq_error_draw(a, "Spaced review", v->base.error);
		return;
	}
	uq_title(a, "Spaced review", NULL, 0);
	if (v->s != NULL)	/* cards are due: Enter starts */
		a->key_flags |= UI_KF_READY;
	struct uq_doc d;
	uq_doc_init(&d, a->w - 4);
	sb t = SB_INIT;
	sb_addf(&t, "Due now: %zu. Later today (UTC): %zu.", v->due_now,
	    v->due_later);
	uq_doc_text(&d, ui_attr(a, UI_HEAD) | A_BOLD, 0, sb_str(&t));
	sb_reset(&t);
	uq_doc_blank(&d);
	if (v->s == NULL) {
		uq_doc_text(&d, ui_attr(a, UI_MARK), 0, "Nothing is due for "
		    "review now.");
		if (v->have_st) {
			uq_doc_blank(&d);
			sb_addf(&t, "Review cards: %d (%d leech%s suspended). "
			    "Due in the next %d days:", v->st.cards,
			    v->st.leeches, v->st.leeches == 1 ? "" : "es",
			    QST_FORECAST);
			uq_doc_text(&d, ui_attr(a, UI_NORMAL), 0, sb_str(&t));
			sb_reset(&t);
			int max = 1;
			for (int i = 0; i < QST_FORECAST; i++)
				if (v->st.forecast[i] > max)
					max = v->st.forecast[i];
			for (int i = 0; i < QST_FORECAST; i++) {
				uq_doc_line(&d, -1, 0);
				char day[32];
				review_day(v->st.now / QM_DAY + i, day,
				    sizeof day);
				uq_doc_segf(&d, ui_attr(a, UI_NORMAL),
				    "  %-10s %-9s %4d ", day, i == 0 ? "today" :
				    i == 1 ? "tomorrow" : "", v->st.forecast[i]);
				uq_doc_bar(a, &d, (double)v->st.forecast[i] /
				    max, 20);
			}
		}
		uq_doc_blank(&d);
		uq_doc_text(&d, ui_attr(a, UI_DIM), 0, "Every question you "
		    "answer in practice, an exam or a scenario becomes a "
		    "card. Press q to go back.");
	} else {
		uq_doc_text(&d, ui_attr(a, UI_NORMAL), 0, "A wrong answer "
		    "counts as Again; after a right one, rate how well you "
		    "knew it: 1 Again, 2 Hard, 3 Good, 4 Easy.");
		uq_doc_blank(&d);
		uq_doc_text(&d, ui_attr(a, UI_HEAD), 0, v->s->n == 1 ?
		    "The card of this session:" : "The cards of this session:");
		for (size_t i = 0; i < v->s->n; i++) {
			const qz_question *q = v->s->items[i].q;
			qm_card c;
			char pre[128];
			int have = qdb_card_get(v->src.db, q->id, &c) == 1;
			snprintf(pre, sizeof pre, "  %3zu. %-11s %-22s ", i + 1,
			    have ? qm_state_name(c.state) : "new",
			    qz_domain_name(q->domain));
			uq_doc_line(&d, -1, 0);
			uq_doc_seg(&d, ui_attr(a, UI_DIM), pre);
			size_t fit = ui_fit(q->stem, d.w - ui_width(pre));
			char *stem = xstrndup(q->stem, fit);
			uq_doc_seg(&d, ui_attr(a, UI_NORMAL), stem);
			free(stem);
		}
		uq_doc_blank(&d);
		uq_doc_text(&d, ui_attr(a, UI_KEY), 0, "Press Enter to start.");
	}
	sb_free(&t);
	review_show(a, v, &d);
}

static int
review_key(struct ui_app *a, void *st, int ch)
{
	struct review *v = st;
	if (uq_back_key(a, ch))
		return 1;
	if (v->base.error)
		return 0;
	if (ch == '\r' || ch == '\n' || ch == KEY_ENTER) {
		if (v->s == NULL) {
			ui_toast(a, "Nothing is due now");
			return 1;
		}
		ui_swap(a, v, &review_card_screen);
		return 1;
	}
	return uq_scroll_key(ch, &v->scroll, v->page);
}

/* --- one card ------------------------------------------------------------ */

static void
review_note_due(struct review *v, const char *what)
{
	const qs_item *it = qs_cur(v->s);
	qm_card c;
	char span[32];
	if (qdb_card_get(v->src.db, it->q->id, &c) != 1) {
		snprintf(v->note, sizeof v->note, "%s.", what);
		return;
	}
	qm_format_span(c.due - uq_now() / 1000, span, sizeof span);
	if (c.leech)
		snprintf(v->note, sizeof v->note, "%s. This card is now a "
		    "leech (%d lapses): it is suspended. Reread its "
		    "explanation and the section it tests before trying it "
		    "again.", what, c.lapses);
	else
		snprintf(v->note, sizeof v->note, "%s: next review in %s.",
		    what, span);
}

static void
review_goto(struct review *v, size_t i)
{
	qs_goto(v->s, i, uq_now());
	uq_ask_set(&v->ask, qs_cur(v->s));
	memset(&v->qv, 0, sizeof v->qv);
	v->qv.follow = 1;
	v->note[0] = '\0';
}

static void
review_card_draw(struct ui_app *a, void *st)
{
	struct review *v = st;
	qs_session *s = v->s;
	qs_item *it = qs_cur(s);
	char right[64];
	uq_ask_flags(a, it->q, !it->answered);
	snprintf(right, sizeof right, "Card %zu of %zu", s->cur + 1, s->n);
	uq_title(a, "Spaced review", right, ui_attr(a, UI_TITLE) | A_BOLD);
	/* The card as it was before this answer (for the rating labels). */
	if (!it->answered) {
		v->card_new = qdb_card_get(v->src.db, it->q->id, &v->card) != 1;
		if (v->card_new)
			qm_init(&v->card, uq_now() / 1000);
	}
	ui_putf(1, 1, a->w - 2, ui_attr(a, UI_DIM), "%s card, %d lapse%s, "
	    "%d review%s", v->card_new ? "new" : qm_state_name(v->card.state),
	    v->card.lapses, v->card.lapses == 1 ? "" : "s", v->card.reps,
	    v->card.reps == 1 ? "" : "s");
	struct uq_doc d;
	uq_doc_init(&d, uq_qview_width(a, it->q->cs));
	uq_ask_doc(a, &v->ask, !v->qv.focus_case, it->answered ? it : NULL,
	    &d);
	if (it->answered) {
		uq_doc_blank(&d);
		uq_feedback_doc(a, it, &d);
		uq_doc_blank(&d);
		if (it->pending) {
			int64_t now = uq_now() / 1000;
			qm_card pc = v->card;
			uq_doc_text(&d, ui_attr(a, UI_HEAD) | A_BOLD, 0,
			    "Right. How well did you know it?");
			uq_doc_line(&d, -1, 0);
			for (int r = QM_AGAIN; r <= QM_EASY; r++) {
				char span[32];
				qm_format_span(qm_preview(&pc, (enum qm_rating)r,
				    now), span, sizeof span);
				uq_doc_segf(&d, ui_attr(a, UI_KEY), "%s%d ",
				    r ? "   " : "", r + 1);
				uq_doc_segf(&d, ui_attr(a, UI_NORMAL), "%s (%s)",
				    review_rating[r], span);
			}
			uq_doc_text(&d, ui_attr(a, UI_DIM), 0, "Enter rates "
			    "Good.");
		} else {
			uq_doc_text(&d, ui_attr(a, v->leech[s->cur] ? UI_WARN :
			    UI_NORMAL), 0, v->note);
			uq_doc_text(&d, ui_attr(a, UI_KEY), 0, s->cur + 1 <
			    s->n ? "Enter: the next card." : "Enter: the "
			    "summary.");
		}
	} else {
		uq_hint_doc(a, it->q, "Enter submits.", &d);
	}
	uq_qview_draw(a, &v->qv, 2, it->q->cs, &d, it->answered ? -1 :
	    v->ask.row);
	uq_doc_free(&d);
}

/* Rates the pending item; reports a new leech. */
static void
review_rate(struct ui_app *a, struct review *v, enum qm_rating r)
{
	sb err = SB_INIT;
	int leech = 0;
	if (qs_rate(v->s, r, uq_now(), &leech, &err) != 0) {
		ui_message(a, "The rating was not saved", sb_str(&err));
		sb_free(&err);
		return;
	}
	sb_free(&err);
	char what[64];
	snprintf(what, sizeof what, "Rated %s", review_rating[r]);
	review_note_due(v, what);
	if (leech) {
		v->leech[v->s->cur] = 1;
		ui_toast(a, "This card became a leech: it is suspended");
	}
}

static void
review_to_summary(struct ui_app *a, struct review *v)
{
	v->scroll = 0;
	ui_swap(a, v, &review_sum_screen);
}

static int
review_card_key(struct ui_app *a, void *st, int ch)
{
	struct review *v = st;
	qs_session *s = v->s;
	qs_item *it = qs_cur(s);
	if (uq_guard_eat(a, &v->guard, ch))
		return 1;
	if (uq_qview_key(&v->qv, ch, it->q->cs != NULL))
		return 1;
	if (!it->answered && !v->qv.focus_case) {
		qz_resp r;
		enum uq_ask_rc rc = uq_ask_key(a, &v->ask, ch, 1, &r);
		if (rc == UQ_ASK_SUBMIT) {
			sb err = SB_INIT;
			uq_guard_arm(a, &v->guard, ch);
			size_t before = s->leeches;
			if (qs_answer(s, &r, uq_now(), &err) != 0)
				ui_message(a, "The answer was not saved",
				    sb_str(&err));
			else if (!it->pending) {
				review_note_due(v, "Counted as Again");
				if (s->leeches > before) {
					v->leech[s->cur] = 1;
					ui_toast(a, "This card became a leech: "
					    "it is suspended");
				}
			}
			sb_free(&err);
			v->qv.follow = 0;
			v->qv.scroll = 0;
			return 1;
		}
		if (rc == UQ_ASK_USED) {
			v->qv.follow = 1;
			return 1;
		}
	}
	if (it->pending) {
		if (ch >= '1' && ch <= '4') {
			review_rate(a, v, (enum qm_rating)(ch - '1'));
			return 1;
		}
		if (ch == '\r' || ch == '\n' || ch == KEY_ENTER) {
			review_rate(a, v, QM_GOOD);
			return 1;
		}
		if (ch == 'q') {
			review_rate(a, v, QM_GOOD);
			review_to_summary(a, v);
			return 1;
		}
		return 0;
	}
	switch (ch) {
	case '\r': case '\n': case KEY_ENTER: case KEY_RIGHT: case ' ':
		if (!it->answered) {
			ui_toast(a, "Answer this card first (q ends the review)");
			return 1;
		}
		if (s->cur + 1 < s->n)
			review_goto(v, s->cur + 1);
		else
			review_to_summary(a, v);
		return 1;
	case 'q':
		for (size_t i = 0; i < s->n; i++)
			if (s->items[i].answered) {
				review_to_summary(a, v);
				return 1;
			}
		return 0;
	}
	return 0;
}

/* --- the summary --------------------------------------------------------- */

static void
review_sum_draw(struct ui_app *a, void *st)
{
	struct review *v = st;
	qs_session *s = v->s;
	uq_title(a, "Spaced review: summary", NULL, 0);
	struct uq_doc d;
	uq_doc_init(&d, a->w - 4);
	uq_result_doc(a, s, &d);
	uq_doc_blank(&d);
	sb t = SB_INIT;
	if (s->leeches) {
		if (s->leeches == 1)
			sb_add(&t, "1 card became a leech in this session; it "
			    "is suspended:");
		else
			sb_addf(&t, "%zu cards became leeches in this session; "
			    "they are suspended:", s->leeches);
		uq_doc_text(&d, ui_attr(a, UI_WARN), 0, sb_str(&t));
		sb_reset(&t);
		for (size_t i = 0; i < s->n; i++)
			if (v->leech[i])
				uq_doc_item(&d, -1, 0, ui_attr(a, UI_WARN),
				    "  ! ", ui_attr(a, UI_NORMAL),
				    s->items[i].q->stem);
	} else
		uq_doc_text(&d, ui_attr(a, UI_DIM), 0, "No card became a leech "
		    "in this session.");
	uq_doc_blank(&d);
	uq_doc_text(&d, ui_attr(a, UI_KEY), 0, "Press q to go back.");
	sb_free(&t);
	review_show(a, v, &d);
}

static int
review_sum_key(struct ui_app *a, void *st, int ch)
{
	struct review *v = st;
	if (uq_back_key(a, ch))
		return 1;
	return uq_scroll_key(ch, &v->scroll, v->page);
}
