/*
** seq.c: the sequence diagram: the devices and the backend as columns,
** each request and response as an arrow down the page, step by step, the
** last step run marked in the left gutter.  Read off the trace, like the
** timeline; l and h step the run from here too.
*/
#include "ui/ui-int.h"

#include <stdlib.h>
#include <string.h>

#include "lib/xmem.h"

struct seq {
	struct ui_scene	*sc;
	int		 scroll;	/* first line shown; -1: follow */
};

enum sq_kind { SQ_STEP, SQ_REQ, SQ_RESP, SQ_LOST, SQ_NOTE, SQ_ARROW };

struct sq_line {
	enum sq_kind	 kind;
	int		 dev;		/* column of the device */
	int		 from, to;	/* SQ_ARROW: columns (scene-cloud.c) */
	size_t		 step;
	int		 role;
	char		*text;
};

static const struct ui_key seq_keys[] = {
	{ "j/k, Down/Up", "scroll", "j/k scroll", 0 },
	{ "PgDn/PgUp", "scroll a page", NULL, 0 },
	{ "Home/End", "the first or the last step", NULL, 0 },
	{ "l, Right", "run the next step", "l step", 0 },
	{ "h, Left", "step back", "h back", 0 },
	{ "q, Esc", "back to the scenario view", "q back", 0 },
	{ NULL, NULL, NULL, 0 }
};

static int
seq_role(int status)
{
	if (status >= 200 && status < 300)
		return UI_OK;
	if (status == 409 || status == 412)
		return UI_WARN;
	return UI_ERR;
}

static size_t
seq_lines(struct seq *q, struct sq_line **out)
{
	sim *r = q->sc->run;
	const trc *t = sim_trace(r);
	size_t n = 0, cap = 16;
	struct sq_line *l = xcalloc(cap, sizeof *l);
	for (size_t i = 0; i < t->n; i++) {
		const trc_event *e = &t->ev[i];
		enum sq_kind k;
		sb text = SB_INIT;
		int role = UI_NORMAL;
		int from = 0, to = 0;
		switch (e->type) {
		case TRC_STEP:
			k = SQ_STEP;
			sb_addf(&text, "%zu. %s", e->step + 1, e->text ? e->text
			    : "");
			role = UI_DIM;
			break;
		case TRC_REQUEST: {
			k = SQ_REQ;
			char *p = http_unescape(e->path ? e->path : "");
			sb_addf(&text, "%s %s", e->method ? e->method : "", p);
			free(p);
			break;
		}
		case TRC_RESPONSE:
			k = SQ_RESP;
			sb_addf(&text, "%d %s", e->status,
			    http_reason(e->status));
			role = seq_role(e->status);
			break;
		case TRC_LOST:
			k = SQ_LOST;
			sb_add(&text, e->status ? "response LOST" :
			    "request LOST");
			role = UI_ERR;
			break;
		case TRC_NET:
		case TRC_CONFLICT:
			k = SQ_NOTE;
			sb_add(&text, e->text ? e->text : "");
			role = e->type == TRC_CONFLICT ? UI_WARN : UI_HEAD;
			break;
		case TRC_PUSH:
		case TRC_PLAN:
			/* The hub and the platform services' columns. */
			if (!ui_cloud_seq(e, (int)sim_ndevices(r), &from, &to,
			    &text, &role)) {
				sb_free(&text);
				continue;
			}
			k = SQ_ARROW;
			break;
		default:
			continue;
		}
		if (n == cap)
			l = xreallocarray(l, cap *= 2, sizeof *l);
		l[n].kind = k;
		l[n].dev = e->device ? sim_dev_index(r, e->device) : -1;
		l[n].step = e->step;
		l[n].role = role;
		l[n].from = from;
		l[n].to = to < 0 ? l[n].dev : to;
		l[n].text = sb_take(&text);
		n++;
		sb_free(&text);
	}
	*out = l;
	return n;
}

/* Centre x of column c of ncol, in a diagram from x0 of width w. */
static int
seq_col(int c, int ncol, int x0, int w)
{
	return x0 + w * (2 * c + 1) / (2 * ncol);
}

static void
seq_arrow(struct ui_app *a, int y, int from, int to, attr_t at,
    const char *label, int lost)
{
	int lo = from < to ? from : to, hi = from < to ? to : from;
	for (int x = lo + 1; x < hi; x++)
		mvaddstr(y, x, a->g->h);
	if (lost) {
		int mid = (lo + hi) / 2;
		ui_put(y, mid, 1, at, "x");
		for (int x = from < to ? mid + 1 : lo + 1; x < (from < to ? hi :
		    mid); x++)
			mvaddch(y, x, ' ');
	} else
		ui_put(y, from < to ? hi - 1 : lo + 1, 1, at, from < to ?
		    a->g->rarrow : a->g->larrow);
	int room = hi - lo - 4;
	if (room < 3)
		return;
	int lw = ui_width(label);
	if (lw > room)
		lw = room;
	int lx = lo + 2 + (room - lw) / 2;
	if (lost && from < to)
		lx = lo + 2;
	ui_put(y, lx, lw, at, label);
}

static void
seq_draw(struct ui_app *a, void *st)
{
	struct seq *q = st;
	sim *r = q->sc->run;
	size_t pos = sim_pos(r);
	int nd = (int)sim_ndevices(r), ncol = nd + 1 + ui_cloud_columns(q->sc);
	ui_fill(0, 0, a->w, ui_attr(a, UI_TITLE));
	ui_putf(0, 1, a->w - 2, ui_attr(a, UI_TITLE), "Sequence diagram  "
	    "step %zu/%zu", pos, sim_count(r));
	int x0 = 5, w = a->w - x0;
	/* Column heads. */
	for (int c = 0; c < ncol; c++) {
		const char *name = c < nd ? dev_name(sim_dev(r, (size_t)c)) :
		    c == nd ? "Backend" : ui_cloud_column_name(c - nd - 1);
		int cx = seq_col(c, ncol, x0, w);
		int slot = w / ncol - 1;
		int nw = ui_width(name);
		if (nw > slot)
			nw = slot;
		ui_put(1, cx - nw / 2, nw, ui_attr(a, UI_HEAD), name);
	}
	struct sq_line *l;
	size_t n = seq_lines(q, &l);
	int rows = a->h - 3;
	/* Follow: end with the last step's lines on screen. */
	int first = q->scroll;
	if (first < 0) {
		first = (int)n - rows;
		for (size_t i = 0; i < n; i++)
			if (pos > 0 && l[i].step == pos - 1) {
				if ((int)i < first)
					first = (int)i;
				break;
			}
	}
	if (first > (int)n - rows)
		first = (int)n - rows;
	if (first < 0)
		first = 0;
	q->scroll = q->scroll < 0 ? -1 : first;
	int curline = -1;
	for (int k = 0; k < rows; k++) {
		int y = 2 + k;
		for (int c = 0; c < ncol; c++)
			ui_put(y, seq_col(c, ncol, x0, w), 1, ui_attr(a,
			    UI_BORDER), a->g->v);
		if ((size_t)(first + k) >= n)
			continue;
		struct sq_line *s = &l[first + k];
		int cur = pos > 0 && s->step == pos - 1;
		if (cur && curline < 0)
			curline = y;
		attr_t at = ui_attr(a, (enum ui_role)s->role) |
		    (cur ? A_BOLD : 0);
		int dx = s->dev >= 0 ? seq_col(s->dev, ncol, x0, w) : x0;
		int bx = seq_col(nd, ncol, x0, w);
		switch (s->kind) {
		case SQ_STEP:
			ui_putf(y, 0, 4, ui_attr(a, cur ? UI_KEY : UI_DIM),
			    "%s%zu", cur ? a->g->cur : " ", s->step + 1);
			ui_put(y, x0, a->w - x0, at, s->text);
			break;
		case SQ_REQ:
			seq_arrow(a, y, dx, bx, at, s->text, 0);
			break;
		case SQ_RESP:
			seq_arrow(a, y, bx, dx, at, s->text, 0);
			break;
		case SQ_LOST:
			seq_arrow(a, y, dx, bx, at, s->text, 1);
			break;
		case SQ_NOTE:
			ui_put(y, dx + 2, a->w - dx - 2, at, s->text);
			break;
		case SQ_ARROW:
			if (s->to < 0 || s->from == s->to)
				ui_put(y, seq_col(s->from, ncol, x0, w) + 2,
				    a->w - seq_col(s->from, ncol, x0, w) - 2, at,
				    s->text);
			else
				seq_arrow(a, y, seq_col(s->from, ncol, x0, w),
				    seq_col(s->to, ncol, x0, w), at, s->text, 0);
			break;
		}
	}
	if (n == 0)
		ui_put(3, x0, a->w - x0, ui_attr(a, UI_DIM),
		    "(no step has run yet: press l)");
	for (size_t i = 0; i < n; i++)
		free(l[i].text);
	free(l);
	ui_cursor(a, curline >= 0 ? curline : 2, 0);
}

static int
seq_key(struct ui_app *a, void *st, int ch)
{
	struct seq *q = st;
	int page = a->h - 4;
	switch (ch) {
	case 'j': case KEY_DOWN:
		q->scroll = (q->scroll < 0 ? 0 : q->scroll) + 1;
		return 1;
	case 'k': case KEY_UP:
		if (q->scroll > 0)
			q->scroll--;
		return 1;
	case KEY_NPAGE: case ' ':
		q->scroll = (q->scroll < 0 ? 0 : q->scroll) + page;
		return 1;
	case KEY_PPAGE:
		q->scroll = q->scroll > page ? q->scroll - page : 0;
		return 1;
	case KEY_HOME:
		q->scroll = 0;
		return 1;
	case KEY_END:
		q->scroll = -1;
		return 1;
	case 'l': case KEY_RIGHT:
		q->scroll = -1;
		ui_scene_stepkey(a, q->sc, 1);
		return 1;
	case 'h': case KEY_LEFT:
		q->scroll = -1;
		ui_scene_stepkey(a, q->sc, 0);
		return 1;
	case 27:
		ui_pop(a);
		return 1;
	}
	return 0;
}

const struct ui_screen ui_seq_screen = {
	"seq", "Sequence diagram", 50, 12, 0, seq_draw, seq_key, NULL,
	ui_close_free, seq_keys, NULL
};

void
ui_seq_open(struct ui_app *a, struct ui_scene *sc)
{
	struct seq *q = xcalloc(1, sizeof *q);
	q->sc = sc;
	q->scroll = -1;
	ui_push(a, &ui_seq_screen, q);
}
