/*
** inspect.c: the store inspector, a read-only SQL prompt on one store
** (the backend or a device, __operations and __errors included).
**
** The query runs in sim/insp.c on a read-only copy of the store, on a
** connection of its own, with an allow-list of functions, a time limit
** and capped results (insp.h); this screen only draws what comes back.
*/
#include "ui/ui-int.h"

#include <stdlib.h>
#include <string.h>

#include "lib/xmem.h"
#include "sim/insp.h"

#define INSPECT_MAXHIST	32

struct inspect {
	struct ui_scene	*sc;
	int		 store;		/* 0 backend, i device i-1 */
	struct ui_line	 line;
	char		*hist[INSPECT_MAXHIST];
	int		 nhist, hpos;
	char		**cols;
	size_t		 ncols;
	char		**cells;	/* nrows * ncols */
	size_t		 nrows;
	int		 capped;
	char		 msg[512];
	int		 msg_err;
	int		 scroll, hscroll;
};

static const struct ui_key inspect_keys[] = {
	{ "Enter", "run the query", "Enter run" },
	{ "Tab", "the next store (backend, then each device)", "Tab store" },
	{ "Up/Down", "scroll the results", "Up/Dn scroll" },
	{ "PgUp/PgDn", "scroll a page", NULL },
	{ "Left/Right", "scroll the columns", NULL },
	{ "Ctrl-P/Ctrl-N", "previous or next query", NULL },
	{ "Ctrl-U", "clear the prompt", NULL },
	{ "Esc", "back to the scenario view", "Esc back" },
	{ "q, ?", "back, or this help (when the prompt is empty)", NULL },
	{ NULL, NULL, NULL }
};

static void
inspect_clear(struct inspect *q)
{
	for (size_t i = 0; i < q->ncols; i++)
		free(q->cols[i]);
	free(q->cols);
	for (size_t i = 0; i < q->nrows * q->ncols; i++)
		free(q->cells[i]);
	free(q->cells);
	q->cols = NULL;
	q->cells = NULL;
	q->ncols = q->nrows = 0;
	q->capped = 0;
	q->scroll = q->hscroll = 0;
}

/* The query runs in sim/insp.c, on a read-only copy of the store; the
** screen takes over its rows. */
static void
inspect_run(struct inspect *q, const char *sql)
{
	const char *name;
	sqlite3 *db = ui_scene_store(q->sc, q->store, &name);
	insp_result r;
	inspect_clear(q);
	insp_status rs = insp_run(db, sql, 0, &r);
	q->msg_err = rs != INSP_OK && rs != INSP_EMPTY;
	snprintf(q->msg, sizeof q->msg, "%s", r.msg);
	q->cols = r.cols;
	q->ncols = r.ncols;
	q->cells = r.cells;
	q->nrows = r.nrows;
	q->capped = r.capped;
}

static void
inspect_draw(struct ui_app *a, void *st)
{
	struct inspect *q = st;
	const char *name;
	ui_scene_store(q->sc, q->store, &name);
	ui_fill(0, 0, a->w, ui_attr(a, UI_TITLE));
	ui_putf(0, 1, a->w - 2, ui_attr(a, UI_TITLE), "Store inspector: %s "
	    "(read-only)  step %zu/%zu", name, sim_pos(q->sc->run),
	    sim_count(q->sc->run));
	/* Results table. */
	int y0 = 2, rows = a->h - 6;
	int cw[256];
	size_t nc = q->ncols < 256 ? q->ncols : 256;
	for (size_t c = 0; c < nc; c++) {
		int m = ui_width(q->cols[c]);
		for (size_t r = 0; r < q->nrows; r++) {
			int x = ui_width(q->cells[r * q->ncols + c]);
			if (x > m)
				m = x;
		}
		cw[c] = m > 30 ? 30 : m;
	}
	if (q->hscroll > (int)nc - 1)
		q->hscroll = nc ? (int)nc - 1 : 0;
	if (q->scroll > (int)q->nrows - rows)
		q->scroll = (int)q->nrows - rows > 0 ? (int)q->nrows - rows : 0;
	int x = 1;
	for (size_t c = (size_t)q->hscroll; c < nc && x < a->w - 1; c++) {
		ui_put(y0, x, a->w - 1 - x, ui_attr(a, UI_HEAD) | A_UNDERLINE,
		    q->cols[c]);
		for (int k = 0; k < rows && (size_t)(q->scroll + k) < q->nrows;
		    k++)
			ui_put(y0 + 1 + k, x, cw[c] < a->w - 1 - x ? cw[c] :
			    a->w - 1 - x, ui_attr(a, UI_NORMAL),
			    q->cells[(size_t)(q->scroll + k) * q->ncols + c]);
		x += cw[c] + 2;
	}
	if (q->hscroll > 0)
		ui_put(y0, 0, 1, ui_attr(a, UI_KEY), a->g->larrow);
	if (x >= a->w - 1 && nc > 0)
		ui_put(y0, a->w - 1, 1, ui_attr(a, UI_KEY), a->g->rarrow);
	if (q->ncols == 0 && !q->msg[0])
		ui_put(y0, 1, a->w - 2, ui_attr(a, UI_DIM), "Tables: "
		    "your data tables, __operations (the queue), __errors, "
		    "__config (delta tokens), __base. Try: SELECT * FROM "
		    "__operations");
	/* Message and prompt. */
	ui_hline(a, a->h - 4, 0, a->w, ui_attr(a, UI_BORDER));
	ui_put(a->h - 3, 1, a->w - 2, ui_attr(a, q->msg_err ? UI_ERR :
	    UI_DIM), q->msg);
	char label[80];
	snprintf(label, sizeof label, "%s sql> ", name);
	int lw = ui_put(a->h - 2, 0, a->w / 2, ui_attr(a, UI_KEY), label);
	ui_line_draw(a, &q->line, a->h - 2, lw, a->w - lw, ui_attr(a,
	    UI_NORMAL));
}

static int
inspect_key(struct ui_app *a, void *st, int ch)
{
	struct inspect *q = st;
	int page = a->h - 7;
	switch (ch) {
	case 27:
		ui_pop(a);
		return 1;
	case '\r': case '\n': case KEY_ENTER:
		inspect_run(q, q->line.buf);
		if (q->line.len) {
			if (q->nhist == INSPECT_MAXHIST) {
				free(q->hist[0]);
				memmove(q->hist, q->hist + 1, (INSPECT_MAXHIST -
				    1) * sizeof q->hist[0]);
				q->nhist--;
			}
			q->hist[q->nhist++] = xstrdup(q->line.buf);
			q->hpos = q->nhist;
		}
		return 1;
	case '\t': {
		int n = (int)sim_ndevices(q->sc->run) + 1;
		q->store = (q->store + 1) % n;
		inspect_clear(q);
		q->msg[0] = '\0';
		return 1;
	}
	case KEY_DOWN:
		q->scroll++;
		return 1;
	case KEY_UP:
		if (q->scroll > 0)
			q->scroll--;
		return 1;
	case KEY_NPAGE:
		q->scroll += page;
		return 1;
	case KEY_PPAGE:
		q->scroll = q->scroll > page ? q->scroll - page : 0;
		return 1;
	case KEY_RIGHT:
		q->hscroll++;
		return 1;
	case KEY_LEFT:
		if (q->hscroll > 0)
			q->hscroll--;
		return 1;
	case 16:	/* ^P */
		if (q->hpos > 0)
			ui_line_set(&q->line, q->hist[--q->hpos]);
		return 1;
	case 14:	/* ^N */
		if (q->hpos + 1 < q->nhist)
			ui_line_set(&q->line, q->hist[++q->hpos]);
		else {
			q->hpos = q->nhist;
			ui_line_set(&q->line, "");
		}
		return 1;
	case 'q': case '?':
		if (q->line.len == 0)
			return 0;	/* back, or the help overlay */
		break;
	}
	return ui_line_key(&q->line, ch);
}

static void
inspect_close(struct ui_app *a, void *st)
{
	struct inspect *q = st;
	(void)a;
	inspect_clear(q);
	for (int i = 0; i < q->nhist; i++)
		free(q->hist[i]);
	free(q);
}

const struct ui_screen ui_inspect_screen = {
	"inspect", "Store inspector", 50, 12, 0, inspect_draw, inspect_key,
	NULL, inspect_close, inspect_keys, NULL
};

void
ui_inspect_open(struct ui_app *a, struct ui_scene *sc, int store)
{
	struct inspect *q = xcalloc(1, sizeof *q);
	q->sc = sc;
	q->store = store;
	ui_push(a, &ui_inspect_screen, q);
}
