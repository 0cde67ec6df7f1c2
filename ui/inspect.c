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
	{ "Enter", "run the query", "Enter run", 0 },
	{ "Tab", "the next store (backend, then each device)", "Tab store", 0 },
	{ "Up/Down", "scroll the results", "Up/Dn scroll", 0 },
	{ "PgUp/PgDn", "scroll a page", NULL, 0 },
	{ "Left/Right", "scroll sideways, to the end of the longest value",
	  "Lt/Rt side", 0 },
	{ "Ctrl-P/Ctrl-N", "previous or next query", NULL, 0 },
	{ "Ctrl-U", "clear the prompt", NULL, 0 },
	{ "Esc", "back to the scenario view", "Esc back", 0 },
	{ "q, ?", "back, or this help (when the prompt is empty)", NULL, 0 },
	{ NULL, NULL, NULL, 0 }
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

/* The name of an __operations enum value, for the columns that hold
** one (the kind and the state of a queued operation, the kind of an
** error row), or NULL.  Only on a device, and only when no table of the
** scenario has a column of that name (then it is the student's data). */
static const char *
inspect_enum(const struct inspect *q, const char *col, const char *v)
{
	static const char *const kinds[] = { "insert", "update", "delete" };
	static const char *const states[] = { "pending", "attempted",
	    "failed" };
	if (q->store <= 0 || v[0] < '0' || v[0] > '2' || v[1] != '\0')
		return NULL;
	int isk = strcmp(col, "kind") == 0 || strcmp(col, "operationKind") == 0;
	int iss = strcmp(col, "state") == 0;
	if (!isk && !iss)
		return NULL;
	const scn *s = sim_scn(q->sc->run);
	for (size_t t = 0; t < s->ntables; t++)
		for (size_t c = 0; c < s->tables[t].def.ncols; c++)
			if (strcmp(s->tables[t].def.cols[c].name, col) == 0)
				return NULL;
	return isk ? kinds[v[0] - '0'] : states[v[0] - '0'];
}

/* A cell as shown: an enum value with its name ("1 update"). */
static char *
inspect_cell(const struct inspect *q, size_t r, size_t c)
{
	const char *v = q->cells[r * q->ncols + c];
	const char *e = inspect_enum(q, q->cols[c], v);
	return e ? xasprintf("%s %s", v, e) : xstrdup(v);
}

/* Puts the part of line that starts at display column off, at most w
** columns, at (y, x). */
static void
inspect_window(int y, int x, int w, attr_t at, const char *line, int off)
{
	size_t skip = ui_fit(line, off);
	ui_put(y, x, w, at, line + skip);
}

/*
** The results are laid out as one wide table, every value whole (each
** column as wide as its widest value), and the screen is a window on it
** that Left and Right move by 8 columns, so a long value (a JSON item in
** __errors) can be read to its end.  Arrows at the sides say there is
** more.
*/
static void
inspect_draw(struct ui_app *a, void *st)
{
	struct inspect *q = st;
	const char *name;
	ui_scene_store(q->sc, q->store, &name);
	ui_fill(0, 0, a->w, ui_attr(a, UI_TITLE));
	char *title = xasprintf("Store inspector: %s (read-only)  step "
	    "%zu/%zu", name, sim_pos(q->sc->run), sim_count(q->sc->run));
	ui_put_cut(a, 0, 1, a->w - 2, ui_attr(a, UI_TITLE), title);
	free(title);
	int y0 = 2, rows = a->h - 6, vw = a->w - 2;
	size_t nc = q->ncols;
	int *cw = xcalloc(nc ? nc : 1, sizeof *cw);
	for (size_t c = 0; c < nc; c++) {
		int m = ui_width(q->cols[c]);
		for (size_t r = 0; r < q->nrows; r++) {
			char *v = inspect_cell(q, r, c);
			if (ui_width(v) > m)
				m = ui_width(v);
			free(v);
		}
		cw[c] = m;
	}
	int total = 0;
	for (size_t c = 0; c < nc; c++)
		total += cw[c] + 2;
	if (q->hscroll > total - vw)
		q->hscroll = total - vw > 0 ? total - vw : 0;
	if (q->scroll > (int)q->nrows - rows)
		q->scroll = (int)q->nrows - rows > 0 ? (int)q->nrows - rows : 0;
	sb line = SB_INIT;
	for (int k = -1; k < rows && (k < 0 || (size_t)(q->scroll + k) <
	    q->nrows) && nc > 0; k++) {
		sb_reset(&line);
		for (size_t c = 0; c < nc; c++) {
			char *v = k < 0 ? xstrdup(q->cols[c]) : inspect_cell(q,
			    (size_t)(q->scroll + k), c);
			sb_add(&line, v);
			for (int pad = ui_width(v); pad < cw[c] + 2; pad++)
				sb_addc(&line, ' ');
			free(v);
		}
		inspect_window(y0 + 1 + k, 1, vw, k < 0 ? ui_attr(a, UI_HEAD) |
		    A_UNDERLINE : ui_attr(a, UI_NORMAL), sb_str(&line),
		    q->hscroll);
	}
	sb_free(&line);
	free(cw);
	if (q->hscroll > 0)
		ui_put(y0, 0, 1, ui_attr(a, UI_KEY), a->g->larrow);
	if (total - q->hscroll > vw && nc > 0)
		ui_put(y0, a->w - 1, 1, ui_attr(a, UI_KEY), a->g->rarrow);
	if (q->ncols == 0 && !q->msg[0]) {
		/* What there is to read here, with this store's own table
		** names, wrapped to the screen. */
		const scn *s = sim_scn(q->sc->run);
		sb t = SB_INIT;
		sb_add(&t, "Tables of this store: ");
		for (size_t i = 0; i < s->ntables; i++)
			sb_addf(&t, "%s%s", i ? ", " : "", s->tables[i].def.name);
		if (q->store > 0)
			sb_add(&t, " (the local copies); __operations (the "
			    "queue: kind and state are shown with their "
			    "names); __errors (failed pushes); __config "
			    "(delta tokens); __base (each row as last "
			    "received from the server).");
		else
			sb_add(&t, " (the server's rows, deleted ones "
			    "included).");
		sb_addf(&t, "\nTry: SELECT * FROM %s", q->store > 0 ?
		    "__operations" : s->ntables ? s->tables[0].def.name : "");
		sb w = SB_INIT;
		ui_wrap(sb_str(&t), a->w - 2, &w);
		int y = y0;
		for (char *p = w.s, *e; p && *p && y < a->h - 4; p = e + 1) {
			e = strchr(p, '\n');
			*e = '\0';
			ui_put(y++, 1, a->w - 2, ui_attr(a, UI_DIM), p);
		}
		sb_free(&w);
		sb_free(&t);
	}
	/* Message and prompt. */
	ui_hline(a, a->h - 4, 0, a->w, ui_attr(a, UI_BORDER));
	ui_put_cut(a, a->h - 3, 1, a->w - 2, ui_attr(a, q->msg_err ? UI_ERR :
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
		q->hscroll += 8;
		return 1;
	case KEY_LEFT:
		q->hscroll = q->hscroll > 8 ? q->hscroll - 8 : 0;
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
