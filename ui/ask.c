/*
** ask.c: predict, then observe.  A step with an `ask` stops the run
** before it: the question is shown (in the plain format of quiz/qz.h,
** every question type), an answer is required, the engine grades it and
** records it in the trace, the step runs, and the dialog shows how the
** prediction fared, what happened, and the explanation.
*/
#include "ui/model.h"

#include <stdlib.h>
#include <string.h>

#include "lib/xmem.h"
#include "quiz/qdb.h"
#include "quiz/qz.h"

#include <time.h>

struct ask {
	struct ui_scene	*sc;
	int		 answered;	/* 0: asking; 1: showing the outcome */
	struct ui_line	 line;
	char		*question;	/* qz_format_plain */
	char		*outcome;
	char		 error[256];
	int		 scroll;
	size_t		 prev;		/* position before the step ran */
	double		 opened_ms;	/* monotonic, when the question showed */
};

static double
ask_clock_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Records the answer in the quiz progress store (the question becomes a
** review card there).  A store that cannot be written costs a toast, not
** the step. */
static void
ask_record(struct ui_app *a, struct ask *q, const qz_question *qq,
    double score)
{
	const scn *s = sim_scn(q->sc->run);
	sb err = SB_INIT;
	qdb *db = qdb_open(NULL, &err);
	if (db == NULL ||
	    qdb_record_scenario(db, qz_question_id(qq), score >= 0.999, score,
	    (int64_t)(ask_clock_ms() - q->opened_ms), s->id ? s->id : "sandbox",
	    (int64_t)time(NULL), &err) != 0)
		ui_toast(a, "The answer was not saved: %s", sb_str(&err));
	qdb_close(db);
	sb_free(&err);
}

static const struct ui_key ask_keys[] = {
	{ "letters, y/n, ...", "type the answer as the last line says", NULL, 0 },
	{ "Enter", "answer (then: close and continue)", "Enter answer", 0 },
	{ "Up/Down", "scroll the text", "Up/Dn scroll", 0 },
	{ "Esc", "close without answering (the step waits)", "Esc later", 0 },
	{ NULL, NULL, NULL, 0 }
};

static const struct ui_key ask_done_keys[] = {
	{ "Enter, Esc", "close and go on", "Enter continue", 0 },
	{ "Up/Down", "scroll the text", "Up/Dn scroll", 0 },
	{ NULL, NULL, NULL, 0 }
};

static void ask_draw(struct ui_app *, void *);
static int ask_key(struct ui_app *, void *, int);
static void ask_close(struct ui_app *, void *);

/* The same dialog once answered: only its keys differ. */
static const struct ui_screen ask_done_screen = {
	"ask-done", "What happened", 50, 14, 1, ask_draw, ask_key, NULL,
	ask_close, ask_done_keys, NULL
};

static void
ask_draw(struct ui_app *a, void *st)
{
	struct ask *q = st;
	int w = a->w - 4 < 90 ? a->w - 4 : 90;
	int iy, ix, ih, iw;
	const char *text = q->answered ? q->outcome : q->question;
	sb lines = SB_INIT;
	int n = ui_wrap(text, w - 4, &lines);
	ui_modal_box(a, n + (q->answered ? 3 : 5), w, q->answered ?
	    "What happened" : "Predict: what will happen?", &iy, &ix, &ih,
	    &iw);
	int body = ih - (q->answered ? 1 : 3);
	if (q->scroll > n - body)
		q->scroll = n - body > 0 ? n - body : 0;
	int i = 0, y = iy;
	for (char *p = lines.s, *nl; p && *p; p = nl + 1, i++) {
		nl = strchr(p, '\n');
		*nl = '\0';
		if (i < q->scroll || y >= iy + body)
			continue;
		ui_put(y++, ix, iw, ui_attr(a, UI_NORMAL), p);
	}
	sb_free(&lines);
	if (q->answered) {
		ui_put(iy + ih - 1, ix, iw, ui_attr(a, UI_KEY), n > body ?
		    "Up/Down scroll; Enter continues" : "Enter continues");
		ui_cursor(a, iy, ix);
		return;
	}
	ui_put(iy + ih - 3, ix, iw, ui_attr(a, UI_ERR), q->error);
	int lw = ui_put(iy + ih - 2, ix, iw, ui_attr(a, UI_KEY), "Answer: ");
	ui_line_draw(a, &q->line, iy + ih - 2, ix + lw, iw - lw,
	    ui_attr(a, UI_SEL));
}

/* The outcome text: the grade, the step's exchanges, the explanation. */
static void
ask_outcome(struct ask *q, const qz_question *qq, const char *answer,
    double score, const char *feedback)
{
	struct ui_model *m = q->sc->m;
	size_t pos = sim_pos(q->sc->run);
	sb t = SB_INIT;
	sb_addf(&t, "Your answer: %s  (%s, score %.0f%%)\n%s\n\n", answer,
	    score >= 0.999 ? "right" : score > 0 ? "partly right" : "wrong",
	    score * 100, feedback);
	sb_add(&t, "What happened:\n");
	int any = 0;
	for (size_t i = 0; i < m->ntl; i++) {
		if (pos == 0 || m->tl[i].step != pos - 1 ||
		    strncmp(m->tl[i].text, "-- ", 3) == 0)
			continue;
		sb_addf(&t, "  %s%s\n", m->tl[i].text, m->tl[i].right ?
		    m->tl[i].right : "");
		any = 1;
	}
	if (!any)
		sb_add(&t, "  (no HTTP request)\n");
	if (m->narration && *m->narration)
		sb_addf(&t, "%s\n", m->narration);
	const char *ex = qz_question_explanation(qq);
	if (ex && *ex)
		sb_addf(&t, "\nWhy: %s\n", ex);
	q->outcome = sb_take(&t);
}

static int
ask_key(struct ui_app *a, void *st, int ch)
{
	struct ask *q = st;
	if (ch == KEY_DOWN || ch == KEY_NPAGE) {
		q->scroll += ch == KEY_DOWN ? 1 : 10;
		return 1;
	}
	if (ch == KEY_UP || ch == KEY_PPAGE) {
		q->scroll -= ch == KEY_UP ? 1 : 10;
		if (q->scroll < 0)
			q->scroll = 0;
		return 1;
	}
	if (q->answered) {
		if (ch == '\r' || ch == '\n' || ch == KEY_ENTER || ch == 27 ||
		    ch == 'q' || ch == ' ') {
			struct ui_scene *sc = q->sc;
			ui_pop(a);
			ui_scene_after_step(a, sc);
			return 1;
		}
		return ch != '?';
	}
	if (ch == 27) {
		ui_pop(a);
		ui_toast(a, "The step waits for your answer: l asks again.");
		return 1;
	}
	if (ch != '\r' && ch != '\n' && ch != KEY_ENTER)
		return ui_line_key(&q->line, ch);
	/* Grade, then run the step. */
	struct ui_scene *sc = q->sc;
	size_t pos = sim_pos(sc->run);
	const scn_step *step = sim_step_at(sc->run, pos);
	const qz_question *qq = step ? step->ask : NULL;
	double score = 0;
	sb fb = SB_INIT;
	char *answer = xstrdup(q->line.buf);
	if (sim_answer(sc->run, answer, &score, &fb) != 0) {
		snprintf(q->error, sizeof q->error, "%s", fb.len ? sb_str(&fb)
		    : "That is not an answer to this question.");
		q->error[strcspn(q->error, "\n")] = '\0';
		sb_free(&fb);
		free(answer);
		return 1;
	}
	sb err = SB_INIT;
	/* A long step goes on in slices once this dialog closes. */
	int rc = ui_scene_step_start(a, sc, &err);
	if (rc < 0) {
		ui_pop(a);
		ui_message(a, "The engine stopped", sb_str(&err));
	} else {
		if (rc == 0)
			ui_scene_changed(a, sc, pos);
		if (qq) {
			ask_record(a, q, qq, score);
			ask_outcome(q, qq, answer, score, sb_str(&fb));
		}
		else
			q->outcome = xstrdup(sb_str(&fb));
		q->answered = 1;
		q->scroll = 0;
		ui_swap(a, q, &ask_done_screen);
	}
	sb_free(&err);
	sb_free(&fb);
	free(answer);
	return 1;
}

static void
ask_close(struct ui_app *a, void *st)
{
	struct ask *q = st;
	(void)a;
	free(q->question);
	free(q->outcome);
	free(q);
}

const struct ui_screen ui_ask_screen = {
	"ask", "Predict, then observe", 50, 14, 1, ask_draw, ask_key, NULL,
	ask_close, ask_keys, NULL
};

void
ui_ask_open(struct ui_app *a, struct ui_scene *sc)
{
	const scn_step *step = sim_step_at(sc->run, sim_pos(sc->run));
	if (step == NULL || step->ask == NULL) {
		ui_toast(a, "No question is waiting.");
		return;
	}
	struct ask *q = xcalloc(1, sizeof *q);
	q->sc = sc;
	q->prev = sim_pos(sc->run);
	q->opened_ms = ask_clock_ms();
	sb t = SB_INIT;
	sb_add(&t, "Before the next step runs, predict what it will do.\n\n"
	    "Next: ");
	scn_step_summary(step, &t);
	sb_add(&t, "\n\n");
	qz_format_plain(step->ask, &t);
	q->question = sb_take(&t);
	ui_push(a, &ui_ask_screen, q);
}
