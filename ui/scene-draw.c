/*
** scene-draw.c: drawing the scenario view (see scene.c for its state and
** keys).
**
** Layout, top to bottom: a title line; the backend pane (left) beside a
** grid of device panes (right); the timeline; the narration; the key bar.
** The panes shrink with the terminal: device panes go down to 5 lines and
** then scroll (the focused device stays visible), the backend table drops
** the columns that do not fit, and the timeline and narration keep a few
** lines each.
*/
#include "ui/scene-int.h"

#include <stdlib.h>
#include <string.h>

#include "lib/xmem.h"

#define SCENE_DEV_MINW	24
#define SCENE_DEV_MINH	5

/*
** Column widths of a backend table in w columns (0: not shown).  Each
** column asks for its widest value (capped); when they do not fit,
** updatedAt goes first, then deleted, then the widest columns shrink one
** cell at a time (down to 4), and only then columns drop from the right.
*/
static void
scene_widths(const struct m_table *t, int w, int *cw)
{
	size_t n = t->ncols < 64 ? t->ncols : 64;
	int avail = w - 2;		/* the change marker and a space */
	for (size_t c = 0; c < n; c++) {
		int m = c == 3 ? 3 : c == 2 ? 9 : ui_width(t->cols[c]);
		for (size_t r = 0; r < t->nrows; r++) {
			int x = ui_width(t->rows[r].cells[c]);
			if (x > m)
				m = x;
		}
		int cap = c == 0 ? 10 : c == 2 ? 12 : 18;
		cw[c] = m > cap ? cap : m;
	}
#define SW_SUM(sum) do { \
	sum = 0; \
	for (size_t c_ = 0; c_ < n; c_++) \
		sum += cw[c_] ? cw[c_] + 1 : 0; \
} while (0)
	int sum;
	SW_SUM(sum);
	if (sum > avail && n > 2)
		cw[2] = 0;		/* updatedAt */
	SW_SUM(sum);
	if (sum > avail && n > 3)
		cw[3] = 0;		/* deleted */
	SW_SUM(sum);
	while (sum > avail) {
		size_t widest = 0;
		for (size_t c = 1; c < n; c++)
			if (cw[c] > cw[widest])
				widest = c;
		if (cw[widest] <= 4)
			break;
		cw[widest]--;
		sum--;
	}
	for (size_t c = n; c-- > 1 && sum > avail; ) {
		if (cw[c] == 0)
			continue;
		sum -= cw[c] + 1;
		cw[c] = 0;
	}
#undef SW_SUM
}

/* The rows of every table of a store. */
size_t
ui_scene_nrows(const struct m_store *s)
{
	size_t n = 0;
	for (size_t t = 0; t < s->nt; t++)
		n += s->t[t].nrows;
	return n;
}

static void
scene_draw_backend(struct ui_app *a, struct ui_scene *sc, int y, int x,
    int h, int w)
{
	struct m_store *b = &sc->m->s[0];
	int focus = sc->focus == 0;
	char title[64];
	snprintf(title, sizeof title, "Backend (%zu rows)", ui_scene_nrows(b));
	ui_box(a, y, x, h, w, title, focus);
	ui_hit(a, y, x, h, w, 0);
	int iy = y + 1, ih = h - 2, ix = x + 1, iw = w - 2;
	int line = 0, skip = sc->scroll[0];
	if (b->err.len)
		ui_put(iy + line++, ix, iw, ui_attr(a, UI_ERR), sb_str(&b->err));
	for (size_t ti = 0; ti < b->nt && line < ih; ti++) {
		struct m_table *t = &b->t[ti];
		int cw[64] = { 0 };
		scene_widths(t, iw, cw);
		if (b->nt > 1 && skip-- <= 0)
			ui_putf(iy + line++, ix, iw, ui_attr(a, UI_HEAD), "%s",
			    t->name);
		if (line >= ih)
			break;
		/* Header line. */
		int cx = ix + 2;
		for (size_t c = 0; c < t->ncols && c < 64; c++) {
			if (cw[c] == 0)
				continue;
			ui_put(iy + line, cx, cw[c], ui_attr(a, UI_HEAD) |
			    A_UNDERLINE, c == 3 ? "del" : c == 2 ? "updatedAt"
			    : t->cols[c]);
			cx += cw[c] + 1;
		}
		line++;
		for (size_t r = 0; r < t->nrows && line < ih; r++) {
			if (skip-- > 0)
				continue;
			struct m_row *row = &t->rows[r];
			int ry = iy + line++;
			/* '*' marks a row the last step changed, so the
			** highlight reads without colour too. */
			ui_put(ry, ix, 1, ui_attr(a, UI_CHANGED),
			    row->any ? "*" : " ");
			cx = ix + 2;
			for (size_t c = 0; c < t->ncols && c < 64; c++) {
				if (cw[c] == 0)
					continue;
				attr_t at = ui_attr(a, row->chg[c] ? UI_CHANGED
				    : row->deleted ? UI_DIM : UI_NORMAL);
				ui_put(ry, cx, cw[c], at, row->cells[c]);
				cx += cw[c] + 1;
			}
		}
		if (t->nrows == 0 && line < ih)
			ui_put(iy + line++, ix + 2, iw - 2, ui_attr(a, UI_DIM),
			    "(no rows)");
	}
	if (focus)
		ui_cursor(a, iy, ix);
}

/* One line of a device pane: a row, a queue entry or an error. */
enum pl_kind { PL_TABLE, PL_ROW, PL_QHEAD, PL_OP, PL_EHEAD, PL_ERR,
    PL_NOTE };
struct pl {
	enum pl_kind	kind;
	size_t		t, i;
};

static size_t
scene_dev_lines(const struct m_store *s, struct pl **out)
{
	size_t n = 0, cap = 8;
	struct pl *l = xcalloc(cap, sizeof *l);
#define PL_ADD(k, tt, ii) do { \
	if (n == cap) \
		l = xreallocarray(l, cap *= 2, sizeof *l); \
	l[n].kind = (k); l[n].t = (tt); l[n].i = (ii); n++; \
} while (0)
	if (s->err.len)
		PL_ADD(PL_NOTE, 0, 0);
	for (size_t t = 0; t < s->nt; t++) {
		if (s->nt > 1)
			PL_ADD(PL_TABLE, t, 0);
		for (size_t r = 0; r < s->t[t].nrows; r++)
			PL_ADD(PL_ROW, t, r);
	}
	if (s->nops) {
		PL_ADD(PL_QHEAD, 0, 0);
		for (size_t i = 0; i < s->nops; i++)
			PL_ADD(PL_OP, 0, i);
	}
	if (s->nerrs) {
		PL_ADD(PL_EHEAD, 0, 0);
		for (size_t i = 0; i < s->nerrs; i++)
			PL_ADD(PL_ERR, 0, i);
	}
#undef PL_ADD
	*out = l;
	return n;
}

/* Index of the line of the selected row (row_sel counts rows only). */
static size_t
scene_row_line(const struct pl *l, size_t n, int sel)
{
	int k = 0;
	for (size_t i = 0; i < n; i++)
		if (l[i].kind == PL_ROW && k++ == sel)
			return i;
	return 0;
}

static void
scene_draw_device(struct ui_app *a, struct ui_scene *sc, int di, int y, int x,
    int h, int w)
{
	struct m_store *s = &sc->m->s[1 + di];
	int focus = sc->focus == di + 1;
	int selected = ui_scene_dev(sc) == di;
	size_t nrows = ui_scene_nrows(s);
	char title[160], who[48];
	ui_auth_title(s, 0, who, sizeof who);
	snprintf(title, sizeof title, "%d %s %s %s %lldms%s%s%s", di + 1,
	    s->name, s->net.online ? a->g->on : a->g->off,
	    s->net.online ? "online" : "OFFLINE",
	    (long long)s->net.latency_ms,
	    s->net.drop_requests ? " drop-req" : "",
	    s->net.drop_responses ? " drop-resp" : "", who);
	if (ui_width(title) + 4 > w) {
		ui_auth_title(s, 1, who, sizeof who);
		snprintf(title, sizeof title, "%d %s %s %s%s%s", di + 1,
		    s->name, s->net.online ? a->g->on : a->g->off,
		    s->net.online ? "" : "OFFLINE",
		    s->net.drop_requests || s->net.drop_responses ? " drop" :
		    "", who);
	}
	ui_box(a, y, x, h, w, title, focus);
	if (selected && !focus)
		ui_put(y, x + w - 3, 2, ui_attr(a, UI_KEY), a->g->cur);
	ui_hit(a, y, x, h, w, 1 + di);
	/* Counts in the bottom border: always visible, even when the lines
	** scroll. */
	char counts[96];
	snprintf(counts, sizeof counts, " rows %zu %s queue %zu %s errors %zu ",
	    nrows, a->g->dot, s->nops, a->g->dot, s->nerrs);
	if (ui_width(counts) > w - 4)
		snprintf(counts, sizeof counts, " rows %zu queue %zu err %zu ",
		    nrows, s->nops, s->nerrs);
	if (ui_width(counts) > w - 4)
		snprintf(counts, sizeof counts, " r%zu q%zu e%zu ",
		    nrows, s->nops, s->nerrs);
	ui_put(y + h - 1, x + 2, w - 4, ui_attr(a, s->nerrs ? UI_WARN :
	    s->queue_changed ? UI_CHANGED : UI_BORDER), counts);
	struct pl *l;
	size_t n = scene_dev_lines(s, &l);
	int ih = h - 2, iw = w - 2, ix = x + 1, iy = y + 1;
	if (sc->row_sel[di] >= (int)nrows)
		sc->row_sel[di] = nrows ? (int)nrows - 1 : 0;
	size_t selline = scene_row_line(l, n, sc->row_sel[di]);
	/* When the selection moved, scroll so that the selected row is
	** visible; otherwise j/k past the last row scrolled on purpose to
	** the queue below. */
	int *off = &sc->scroll[1 + di];
	if (sc->follow[di] && nrows && (int)selline < *off)
		*off = (int)selline;
	if (sc->follow[di] && nrows && (int)selline >= *off + ih)
		*off = (int)selline - ih + 1;
	sc->follow[di] = 0;
	if (*off > (int)n - ih)
		*off = (int)n - ih > 0 ? (int)n - ih : 0;
	if (*off < 0)
		*off = 0;
	int cy = iy, cx = ix;
	for (int k = 0; k < ih && (size_t)(*off + k) < n; k++) {
		const struct pl *p = &l[*off + k];
		int ly = iy + k;
		if (k == ih - 1 && (size_t)(*off + k) + 1 < n) {
			ui_putf(ly, ix, iw, ui_attr(a, UI_DIM), "%s %zu more "
			    "(j/k)", a->g->more, n - (size_t)(*off + k));
			break;
		}
		switch (p->kind) {
		case PL_NOTE:
			ui_put(ly, ix, iw, ui_attr(a, UI_ERR), sb_str(&s->err));
			break;
		case PL_TABLE:
			ui_put(ly, ix, iw, ui_attr(a, UI_HEAD), s->t[p->t].name);
			break;
		case PL_ROW: {
			const struct m_table *t = &s->t[p->t];
			const struct m_row *r = &t->rows[p->i];
			int issel = focus && (size_t)(*off + k) == selline;
			attr_t base = ui_attr(a, issel ? UI_SEL : r->deleted ?
			    UI_DIM : UI_NORMAL);
			ui_fill(ly, ix, iw, base);
			int px = ix;
			px += ui_put(ly, px, 1, issel ? base : ui_attr(a,
			    UI_CHANGED), r->any ? "*" : " ");
			/* id, version, then the user columns (past
			** updatedAt and deleted). */
			for (size_t c = 0; c < 2 + (t->ncols - 4) &&
			    px < ix + iw; c++) {
				size_t col = c < 2 ? c : c + 2;
				const char *v = r->cells[col];
				int maxw = col == 0 ? 8 : col == 1 ? 5 : 14;
				attr_t at = issel ? base : ui_attr(a,
				    r->chg[col] ? UI_CHANGED : r->deleted ?
				    UI_DIM : UI_NORMAL);
				int used = ui_put(ly, px, maxw < ix + iw - px ?
				    maxw : ix + iw - px, at, v);
				px += used + 1;
			}
			if (r->deleted && px + 5 < ix + iw)
				ui_put(ly, px, ix + iw - px, base, "[del]");
			if (issel)
				cy = ly, cx = ix;
			break;
		}
		case PL_QHEAD:
			ui_putf(ly, ix, iw, ui_attr(a, UI_HEAD), "__operations "
			    "(%zu)", s->nops);
			break;
		case PL_OP:
			ui_putf(ly, ix, iw, ui_attr(a, s->queue_changed ?
			    UI_CHANGED : UI_NORMAL), " %zu %s", p->i + 1,
			    s->ops[p->i]);
			break;
		case PL_EHEAD:
			ui_putf(ly, ix, iw, ui_attr(a, UI_WARN), "__errors "
			    "(%zu)", s->nerrs);
			break;
		case PL_ERR:
			ui_putf(ly, ix, iw, ui_attr(a, UI_WARN), " %s",
			    s->errs[p->i]);
			break;
		}
	}
	if (n == 0)
		ui_put(iy, ix, iw, ui_attr(a, UI_DIM), "(empty)");
	free(l);
	ui_cloud_device(a, sc, di, y, x, h, w);
	if (focus)
		ui_cursor(a, cy, cx);
}

static void
scene_draw_timeline(struct ui_app *a, struct ui_scene *sc, int y, int h)
{
	int focus = sc->focus == (int)sim_ndevices(sc->run) + 1;
	size_t pos = sim_pos(sc->run);
	ui_hline(a, y, 0, a->w, ui_attr(a, focus ? UI_FOCUS : UI_BORDER));
	ui_put(y, 1, a->w - 2, ui_attr(a, focus ? UI_FOCUS : UI_HEAD) |
	    (focus ? A_BOLD : 0), focus ? "[Timeline]" : " Timeline ");
	ui_hit(a, y, 0, h, a->w, (int)sim_ndevices(sc->run) + 1);
	int rows = h - 1;
	const struct ui_model *m = sc->m;
	if (sc->tl_scroll > (int)m->ntl - rows)
		sc->tl_scroll = (int)m->ntl - rows > 0 ? (int)m->ntl - rows : 0;
	int first = (int)m->ntl - rows - sc->tl_scroll;
	if (first < 0)
		first = 0;
	if (m->ntl == 0)
		ui_put(y + 1, 2, a->w - 4, ui_attr(a, UI_DIM),
		    "(no requests yet)");
	for (int k = 0; k < rows && (size_t)(first + k) < m->ntl; k++) {
		const struct m_line *l = &m->tl[first + k];
		int cur = pos > 0 && l->step == pos - 1;
		/* The lines of the last step carry a marker and bold. */
		ui_put(y + 1 + k, 0, 1, ui_attr(a, UI_KEY), cur ? a->g->cur :
		    " ");
		attr_t at = ui_attr(a, (enum ui_role)l->role) | (cur ? A_BOLD :
		    0);
		int room = a->w - 2;
		if (l->right) {
			/* The outcome stays visible: the request is cut. */
			int rw = ui_width(l->right);
			int lw = ui_width(l->text);
			if (lw + rw > room && room - rw > 10) {
				int used = ui_put(y + 1 + k, 2, room - rw - 1, at,
				    l->text);
				ui_put(y + 1 + k, 2 + used, 1, at, a->g->ellipsis);
				ui_put(y + 1 + k, 3 + used, rw, at, l->right);
				continue;
			}
		}
		int used = ui_put(y + 1 + k, 2, room, at, l->text);
		if (l->right)
			ui_put(y + 1 + k, 2 + used, room - used, at, l->right);
	}
	if (focus)
		ui_cursor(a, y + 1, 2);
}

static void
scene_draw_narration(struct ui_app *a, struct ui_scene *sc, int y, int h)
{
	size_t pos = sim_pos(sc->run), count = sim_count(sc->run);
	char title[256];
	sb head = SB_INIT;
	if (pos == 0)
		sb_add(&head, "Start");
	else {
		const scn_step *st = sim_step_at(sc->run, pos - 1);
		sb_addf(&head, "Step %zu/%zu%s: ", pos, count,
		    sim_step_is_adhoc(sc->run, pos - 1) ? " (yours)" : "");
		if (st)
			scn_step_summary(st, &head);
	}
	snprintf(title, sizeof title, " %s ", sb_str(&head));
	sb_free(&head);
	ui_hline(a, y, 0, a->w, ui_attr(a, UI_BORDER));
	ui_put(y, 1, a->w - 2, ui_attr(a, UI_HEAD), title);
	sb text = SB_INIT;
	const scn *s = sim_scn(sc->run);
	if (s->goal_text) {
		int g = sim_goal(sc->run);
		sb_addf(&text, "Goal: %s [%s]\n", s->goal_text, g == 1 ?
		    "reached" : "not yet");
	}
	sb_add(&text, sc->m->narration);
	if (pos < count) {
		const scn_step *nx = sim_step_at(sc->run, pos);
		sb_add(&text, "\nNext: ");
		if (nx)
			scn_step_summary(nx, &text);
		if (nx && nx->ask)
			sb_add(&text, "  (asks you to predict first)");
	} else if (count > 0 || pos > 0)
		sb_add(&text, "\nEnd of the script: act on a device, step "
		    "back, or r to reset.");
	else
		sb_add(&text, "\nAct on a device: i inserts a row, o takes it "
		    "offline, s syncs.");
	sb lines = SB_INIT;
	ui_wrap(sb_str(&text), a->w - 2, &lines);
	int k = 0;
	for (char *p = lines.s, *nl; p && *p && k < h - 1; p = nl + 1) {
		nl = strchr(p, '\n');
		*nl = '\0';
		if (*p == '\0')
			continue;
		int next = strncmp(p, "Next:", 5) == 0;
		ui_put(y + 1 + k++, 1, a->w - 2, ui_attr(a, next ? UI_DIM :
		    strncmp(p, "Goal:", 5) == 0 ? UI_MARK : UI_NORMAL), p);
	}
	sb_free(&lines);
	sb_free(&text);
}

void
ui_scene_draw(struct ui_app *a, void *st)
{
	struct ui_scene *sc = st;
	int top = a->depth > 0 && a->stack[a->depth - 1].st == sc;
	if (top)
		a->tick_ms = ui_scene_tick_ms(sc);
	else if (sc->playing)
		sc->playing = 0;	/* a dialog pauses playback */
	size_t pos = sim_pos(sc->run), count = sim_count(sc->run);
	const scn *s = sim_scn(sc->run);
	/* Title line. */
	ui_fill(0, 0, a->w, ui_attr(a, UI_TITLE));
	char right[128];
	snprintf(right, sizeof right, " step %zu/%zu  t=+%lld.%03llds%s%s%s ",
	    pos, count, (long long)(sim_now(sc->run) / 1000),
	    (long long)(sim_now(sc->run) % 1000),
	    sc->playing ? "  PLAYING" : "",
	    sc->forked ? "  FORKED" : "",
	    sim_finished(sc->run) ? "  FINISHED" : "");
	int rw = ui_width(right);
	ui_putf(0, 1, a->w - rw - 2, ui_attr(a, UI_TITLE) | A_BOLD, "%s",
	    s->title ? s->title : "Sandbox");
	ui_put(0, a->w - rw, rw, ui_attr(a, UI_TITLE), right);
	/* Vertical budget: every action is in the key bar, which takes two
	** lines when one is not enough. */
	a->bar2 = top;
	int avail = a->h - 1 - (top ? ui_keybar_height(a, ui_scene_keys) : 1);
	int narr_h = a->h >= 28 ? 5 : a->h >= 22 ? 4 : 3;
	int tl_h = a->h >= 28 ? 6 : a->h >= 22 ? 4 : 3;
	int cl_h = ui_cloud_height(a, sc);
	int top_h = avail - narr_h - tl_h - cl_h;
	int nd = (int)sim_ndevices(sc->run);
	/* Few devices leave the backend more room. */
	int bw = nd <= 3 ? a->w / 2 : a->w * 2 / 5;
	if (nd == 0)
		bw = a->w;
	if (bw < 28)
		bw = 28;
	scene_draw_backend(a, sc, 1, 0, top_h, bw);
	/* Device grid. */
	int gx = bw, gw = a->w - bw;
	/* As few columns as let every device fit at the minimum height (wide
	** panes show rows on one line), as many as the width allows when
	** they cannot all fit. */
	int rows_fit = top_h / SCENE_DEV_MINH;
	if (rows_fit < 1)
		rows_fit = 1;
	int maxcols = gw / SCENE_DEV_MINW;
	if (maxcols < 1)
		maxcols = 1;
	int cols = nd > 0 ? (nd + rows_fit - 1) / rows_fit : 1;
	if (cols > maxcols)
		cols = maxcols;
	if (cols < 1)
		cols = 1;
	int need_rows = (nd + cols - 1) / cols;
	int grid_rows = need_rows < rows_fit ? need_rows : rows_fit;
	int cap = grid_rows * cols;
	/* Keep the selected device on screen. */
	int sel = ui_scene_dev(sc);
	if (sel >= 0 && sel < sc->dev_off)
		sc->dev_off = sel / cols * cols;
	if (sel >= sc->dev_off + cap)
		sc->dev_off = (sel / cols - grid_rows + 1) * cols;
	if (sc->dev_off < 0 || nd <= cap)
		sc->dev_off = 0;
	for (int k = 0; k < cap && sc->dev_off + k < nd; k++) {
		int r = k / cols, c = k % cols;
		int py = 1 + top_h * r / grid_rows;
		int ph = 1 + top_h * (r + 1) / grid_rows - py;
		int px = gx + gw * c / cols;
		int pw = gx + gw * (c + 1) / cols - px;
		scene_draw_device(a, sc, sc->dev_off + k, py, px, ph, pw);
	}
	if (nd > cap)
		ui_putf(1 + top_h - 1, gx + 2, gw - 4, ui_attr(a, UI_KEY),
		    " devices %d-%d of %d: Tab or 1-9 for the others ",
		    sc->dev_off + 1, sc->dev_off + cap < nd ? sc->dev_off + cap
		    : nd, nd);
	ui_cloud_draw(a, sc, 1 + top_h, cl_h);
	scene_draw_timeline(a, sc, 1 + top_h + cl_h, tl_h);
	scene_draw_narration(a, sc, 1 + top_h + cl_h + tl_h, narr_h);
}
