/*
** stats.c: progress.  The figures are qst_load()'s and qrd_load()'s (the
** same as `synclab stats`); this screen only draws them: readiness for
** the real exam (overall and per domain) and the weakest outline lines,
** accuracy per domain and per topic weakest first as bars, the attempts of the last 14 days, the
** accuracy trend as a line plotted in the terminal, the review cards due
** in the next 7 days and the mock exam history with pass/fail.
**
** Bars are reverse-video cells followed by dots (visible without colour
** and in ASCII); every bar is followed by its figures in text, and the
** plot uses the glyph table's marks, so nothing depends on colour.
*/
#include "ui/ui-int.h"
#include "ui/uq.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/xmem.h"
#include "quiz/qol.h"
#include "quiz/qrd.h"
#include "quiz/qst.h"

#define STATS_PLOT_H	5	/* rows of the trend plot: 100% .. 0% */

struct stats {
	struct uq_state	 base;
	struct uq_src	 src;
	qst_stats	 st;
	qrd_report	 rd;
	int		 st_read;
	char		*lerr;		/* qst_load() failed: why */
	int		 scroll, page;
};

static const struct ui_key stats_keys[] = {
	{ "j/k, PgDn/PgUp", "scroll", "j/k scroll", 0 },
	{ "Home/End, g/G", "top, bottom", NULL, 0 },
	{ "r", "read the store again", "r reload", 0 },
	{ "q", "back", "q back", 0 },
	{ NULL, NULL, NULL, 0 }
};

static void stats_draw(struct ui_app *, void *);
static int stats_key(struct ui_app *, void *, int);
static void stats_close(struct ui_app *, void *);
static void *stats_open(struct ui_app *, const char *);

const struct ui_screen ui_stats_screen = {
	"stats", "Progress", 60, 16, 0, stats_draw, stats_key, NULL,
	stats_close, stats_keys, stats_open
};

static void
stats_load(struct stats *t)
{
	sb err = SB_INIT;
	if (t->st_read) {
		qst_free(&t->st);
		qrd_free(&t->rd);
	}
	free(t->lerr);
	t->lerr = NULL;
	t->st_read = 1;
	int64_t now = uq_now() / 1000;
	if (qst_load(t->src.db, now, &t->st, &err) != 0 ||
	    qrd_load(t->src.db, &t->src.bank, now, &t->rd, &err) != 0)
		t->lerr = xasprintf("Cannot read the progress store: %s",
		    sb_str(&err));
	sb_free(&err);
}

void *
uq_stats_new(struct ui_app *a, const char *bank_dir, const char *db_path)
{
	struct stats *t = xcalloc(1, sizeof *t);
	sb err = SB_INIT;
	if (uq_src_open(&t->src, a, bank_dir, db_path, 1, &err) != 0) {
		t->base.error = sb_take(&err);
		return t;
	}
	sb_free(&err);
	stats_load(t);
	return t;
}

static void *
stats_open(struct ui_app *a, const char *arg)
{
	(void)arg;
	return uq_stats_new(a, NULL, NULL);
}

static void
stats_close(struct ui_app *a, void *st)
{
	struct stats *t = st;
	(void)a;
	if (t->st_read) {
		qst_free(&t->st);
		qrd_free(&t->rd);
	}
	uq_src_close(&t->src);
	free(t->lerr);
	free(t->base.error);
	free(t);
}

static double
stats_pct(const qst_row *r)
{
	return r->n ? r->score / r->n : 0.0;
}

/* Readiness: the chance of 700 overall and per domain, each with a bar
** and its figures in words, then the weakest outline lines. */
static void
stats_ready_doc(struct ui_app *a, const qrd_report *r, int namew,
    struct uq_doc *d)
{
	sb s = SB_INIT;
	uq_doc_blank(d);
	uq_doc_text(d, ui_attr(a, UI_HEAD), 0, "Readiness for the real exam "
	    "(an estimate from your answers; docs/quiz.md says how)");
	for (int i = -1; i < QZ_NDOMAIN; i++) {
		const qrd_est *e = i < 0 ? &r->all : &r->dom[i];
		const char *name = i < 0 ? "Overall" :
		    qz_domain_title((enum qz_domain)i);
		size_t fit = ui_fit(name, namew);
		uq_doc_line(d, -1, 0);
		uq_doc_segf(d, ui_attr(a, i < 0 ? UI_HEAD : UI_NORMAL) |
		    (i < 0 ? A_BOLD : 0), "  %.*s%*s ", (int)fit, name,
		    namew - ui_width(name) > 0 ? namew - ui_width(name) : 0, "");
		if (e->enough)
			uq_doc_bar(a, d, e->p_pass, 16);
		sb_reset(&s);
		qrd_format_est(e, &s);
		uq_doc_segf(d, ui_attr(a, e->enough ? UI_NORMAL : UI_DIM), " %s",
		    sb_str(&s));
	}
	uq_doc_blank(d);
	uq_doc_text(d, ui_attr(a, UI_HEAD), 0, "Outline lines, weakest first "
	    "(the estimated chance of a right answer)");
	if (r->nweak == 0)
		uq_doc_text(d, ui_attr(a, UI_DIM), 2, "(none practised yet)");
	for (size_t k = 0; k < r->nweak && k < 8; k++) {
		const qrd_line *l = &r->line[r->weakest[k]];
		const qol_line *ol = qol_at(r->weakest[k]);
		sb_reset(&s);
		sb_addf(&s, "%s %s", ol->code, ol->title);
		size_t fit = ui_fit(sb_str(&s), namew);
		uq_doc_line(d, -1, 0);
		uq_doc_segf(d, ui_attr(a, UI_NORMAL), "  %.*s%*s ", (int)fit,
		    sb_str(&s), namew - ui_width(sb_str(&s)) > 0 ? namew -
		    ui_width(sb_str(&s)) : 0, "");
		uq_doc_bar(a, d, l->mean, 16);
		uq_doc_segf(d, ui_attr(a, UI_NORMAL), " %3d%%  %d attempt%s, %d "
		    "right", (int)lround(100.0 * l->mean), l->n, l->n == 1 ? "" :
		    "s", l->right);
	}
	if (r->nweak > 8)
		uq_doc_text(d, ui_attr(a, UI_DIM), 2, "(synclab stats lists "
		    "every line)");
	if (r->nline > r->nweak) {
		sb_reset(&s);
		sb_addf(&s, "%zu of %zu outline lines not practised yet.",
		    r->nline - r->nweak, r->nline);
		uq_doc_text(d, ui_attr(a, UI_DIM), 2, sb_str(&s));
	}
	sb_free(&s);
}

/* One table row: name, bar, percent and counts. */
static void
stats_row(struct ui_app *a, struct uq_doc *d, const char *name,
    const qst_row *r, int namew)
{
	char counts[64];
	snprintf(counts, sizeof counts, "%d attempt%s, %d right", r->n,
	    r->n == 1 ? "" : "s", r->right);
	uq_doc_row(a, d, name, namew, stats_pct(r), counts);
}

static void
stats_date(int64_t t, const char *fmt, char *buf, size_t n)
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(buf, n, fmt, &tm);
}

/*
** The accuracy of each day with attempts as a point (the glyph table's
** "on" mark), consecutive days joined by interpolated dots, on a grid of
** STATS_PLOT_H rows from 100% down to 0%.
*/
static void
stats_plot(struct ui_app *a, const qst_stats *st, struct uq_doc *d)
{
	double v[QST_DAYS];
	int cw = d->w >= 8 + QST_DAYS * 4 ? 4 : 3;
	for (int i = 0; i < QST_DAYS; i++)
		v[i] = st->days[i].n ? stats_pct(&st->days[i]) : -1.0;
	for (int r = 0; r < STATS_PLOT_H; r++) {
		sb line = SB_INIT;
		int pct = 100 - r * 100 / (STATS_PLOT_H - 1);
		for (int x = 0; x < QST_DAYS * cw; x++) {
			int day = x / cw, off = x % cw, mid = cw / 2;
			const char *g = " ";
			if (off == mid && v[day] >= 0) {
				int row = (int)lround((1.0 - v[day]) *
				    (STATS_PLOT_H - 1));
				if (row == r)
					g = a->g->on;
			} else {
				/* Between the centres of day l and l + 1. */
				int l = off < mid ? day - 1 : day;
				if (l >= 0 && l + 1 < QST_DAYS && v[l] >= 0 &&
				    v[l + 1] >= 0) {
					double f = (double)(x - (l * cw + mid)) /
					    cw;
					double p = v[l] + (v[l + 1] - v[l]) * f;
					int row = (int)lround((1.0 - p) *
					    (STATS_PLOT_H - 1));
					if (row == r)
						g = a->g->dot;
				}
			}
			sb_add(&line, g);
		}
		uq_doc_line(d, -1, 0);
		uq_doc_segf(d, ui_attr(a, UI_DIM), "  %3d%% %s", pct, a->g->v);
		uq_doc_seg(d, ui_attr(a, UI_HEAD) | A_BOLD, sb_str(&line));
		sb_free(&line);
	}
	sb axis = SB_INIT;
	for (int x = 0; x < QST_DAYS * cw; x++)
		sb_add(&axis, a->g->h);
	uq_doc_line(d, -1, 0);
	uq_doc_segf(d, ui_attr(a, UI_DIM), "       %s%s", a->g->bl,
	    sb_str(&axis));
	sb_free(&axis);
	/* Dates under the first and the last day. */
	const char *first = st->days[0].name ? st->days[0].name : "";
	const char *last = st->days[QST_DAYS - 1].name ?
	    st->days[QST_DAYS - 1].name : "";
	int gap = QST_DAYS * cw - ui_width(first) - ui_width(last);
	uq_doc_line(d, -1, 0);
	uq_doc_segf(d, ui_attr(a, UI_DIM), "        %s%*s%s", first,
	    gap > 1 ? gap : 1, "", last);
}

static void
stats_doc(struct ui_app *a, struct stats *t, struct uq_doc *d)
{
	const qst_stats *st = &t->st;
	sb s = SB_INIT;
	int namew = d->w - 50;
	if (namew > 34)
		namew = 34;
	if (namew < 10)
		namew = 10;
	sb_addf(&s, "%d attempt%s, %d fully right, average score %d%%. "
	    "Review cards: %d (%d leech%s suspended).", st->all.n,
	    st->all.n == 1 ? "" : "s", st->all.right,
	    (int)lround(100.0 * stats_pct(&st->all)), st->cards, st->leeches,
	    st->leeches == 1 ? "" : "es");
	uq_doc_text(d, ui_attr(a, UI_HEAD) | A_BOLD, 0, sb_str(&s));
	sb_reset(&s);
	if (st->all.n == 0) {
		uq_doc_blank(d);
		uq_doc_text(d, ui_attr(a, UI_DIM), 0, "Nothing answered yet: "
		    "practice, an exam or a scenario's questions fill this "
		    "screen.");
	}

	stats_ready_doc(a, &t->rd, namew, d);

	/* Domains weakest first: the order says where to study. */
	int order[3] = { 0, 1, 2 };
	for (int i = 0; i < 3; i++)
		for (int j = i + 1; j < 3; j++)
			if (stats_pct(&st->dom[order[j]]) <
			    stats_pct(&st->dom[order[i]])) {
				int x = order[i];
				order[i] = order[j];
				order[j] = x;
			}
	uq_doc_blank(d);
	uq_doc_text(d, ui_attr(a, UI_HEAD), 0, "Accuracy per domain "
	    "(weakest first)");
	for (int i = 0; i < 3; i++)
		stats_row(a, d, qz_domain_title((enum qz_domain)order[i]),
		    &st->dom[order[i]], namew);
	uq_doc_blank(d);
	uq_doc_text(d, ui_attr(a, UI_HEAD), 0, "Accuracy per topic (weakest "
	    "first)");
	if (st->ntopics == 0)
		uq_doc_text(d, ui_attr(a, UI_DIM), 2, "(none yet)");
	for (size_t i = 0; i < st->ntopics; i++)
		stats_row(a, d, st->topics[i].name, &st->topics[i], namew);

	uq_doc_blank(d);
	uq_doc_text(d, ui_attr(a, UI_HEAD), 0, "Attempts over the last 14 "
	    "days (UTC)");
	int maxn = 1, any = 0;
	for (int i = 0; i < QST_DAYS; i++)
		if (st->days[i].n > maxn)
			maxn = st->days[i].n;
	for (int i = 0; i < QST_DAYS; i++) {
		if (st->days[i].n == 0)
			continue;
		any = 1;
		uq_doc_line(d, -1, 0);
		uq_doc_segf(d, ui_attr(a, UI_NORMAL), "  %s %5d ",
		    st->days[i].name, st->days[i].n);
		uq_doc_bar(a, d, (double)st->days[i].n / maxn, 20);
		uq_doc_segf(d, ui_attr(a, UI_NORMAL), " %3d%% score",
		    (int)lround(100.0 * stats_pct(&st->days[i])));
	}
	if (!any)
		uq_doc_text(d, ui_attr(a, UI_DIM), 2, "(no attempts in these "
		    "days)");
	uq_doc_blank(d);
	uq_doc_text(d, ui_attr(a, UI_HEAD), 0, "Accuracy trend (each mark "
	    "is a day with attempts)");
	stats_plot(a, st, d);
	double v[QST_DAYS];
	for (int i = 0; i < QST_DAYS; i++)
		v[i] = st->days[i].n ? stats_pct(&st->days[i]) : -1.0;
	qst_sparkline(v, QST_DAYS, a->utf8, &s);
	uq_doc_line(d, -1, 0);
	uq_doc_seg(d, ui_attr(a, UI_DIM), "  In one line: ");
	uq_doc_seg(d, ui_attr(a, UI_HEAD), sb_str(&s));
	sb_reset(&s);

	uq_doc_blank(d);
	uq_doc_text(d, ui_attr(a, UI_HEAD), 0, "Review cards due in the next "
	    "7 days");
	int maxf = 1;
	for (int i = 0; i < QST_FORECAST; i++)
		if (st->forecast[i] > maxf)
			maxf = st->forecast[i];
	for (int i = 0; i < QST_FORECAST; i++) {
		char day[32];
		stats_date((st->now / 86400 + i) * 86400, "%Y-%m-%d %a", day,
		    sizeof day);
		uq_doc_line(d, -1, 0);
		uq_doc_segf(d, ui_attr(a, UI_NORMAL), "  %s %-8s %4d ", day,
		    i == 0 ? "(today)" : "", st->forecast[i]);
		uq_doc_bar(a, d, (double)st->forecast[i] / maxf, 20);
	}
	uq_doc_text(d, ui_attr(a, UI_DIM), 2, "Today includes the overdue "
	    "cards.");

	uq_doc_blank(d);
	uq_doc_text(d, ui_attr(a, UI_HEAD), 0, "Mock exams (700 of 1000 "
	    "passes)");
	if (st->nexams == 0)
		uq_doc_text(d, ui_attr(a, UI_DIM), 2, "(none finished yet)");
	for (size_t i = 0; i < st->nexams; i++) {
		const qst_exam *e = &st->exams[i];
		char day[32];
		stats_date(e->finished, "%Y-%m-%d %H:%M", day, sizeof day);
		uq_doc_line(d, -1, 0);
		uq_doc_segf(d, ui_attr(a, UI_NORMAL), "  #%-3lld %s  %3d "
		    "questions  %4d ", (long long)e->id, day, e->count,
		    e->scaled);
		uq_doc_bar(a, d, e->scaled / 1000.0, 10);
		uq_doc_segf(d, ui_attr(a, e->passed ? UI_MARK : UI_ERR) |
		    A_BOLD, " %s %s", e->passed ? a->g->check : a->g->cross,
		    e->passed ? "PASS" : "FAIL");
	}
	sb_free(&s);
}

static void
stats_draw(struct ui_app *a, void *st)
{
	struct stats *t = st;
	if (t->base.error) {
		uq_error_draw(a, "Progress", t->base.error);
		return;
	}
	uq_title(a, "Progress", qdb_path(t->src.db), ui_attr(a, UI_TITLE));
	struct uq_doc d;
	uq_doc_init(&d, a->w - 4);
	if (t->lerr)
		uq_doc_text(&d, ui_attr(a, UI_ERR), 0, t->lerr);
	else
		stats_doc(a, t, &d);
	t->page = a->h - 3;
	uq_doc_draw(a, &d, 1, 2, a->h - 2, &t->scroll, -1);
	uq_doc_free(&d);
	ui_cursor(a, 1, 2);
}

static int
stats_key(struct ui_app *a, void *st, int ch)
{
	struct stats *t = st;
	if (uq_back_key(a, ch))
		return 1;
	if (t->base.error)
		return 0;
	if (ch == 'r') {
		stats_load(t);
		ui_toast(a, "Progress read again");
		return 1;
	}
	return uq_scroll_key(ch, &t->scroll, t->page);
}
