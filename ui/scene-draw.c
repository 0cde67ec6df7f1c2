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

/* The header of column c of a table: the system columns by short names
** so that a narrow pane still fits them whole. */
static const char *
scene_head(const struct m_table *t, size_t c)
{
	switch (c) {
	case 0: return "id";
	case 1: return "ver";
	case 2: return "updatedAt";
	case 3: return "del";
	default: return t->cols[c];
	}
}

/*
** Column widths of a table in avail columns, from the data: each column
** asks for its header and its widest value; when they do not fit, each
** gets at least its header (whole) and up to 6 columns of value, the room
** left is shared out evenly up to what each asks for, and a value still
** wider shows an ellipsis.  cols[] lists the columns to show in order and
** drop[] the order to leave them out in when even the minimums do not
** fit (the system columns updatedAt and deleted first, then user columns
** from the right).  cw[c] is 0 for a column not shown.  Returns how many
** of cols[] had to be left out.
*/
static int
scene_widths(const struct m_table *t, const size_t *cols, size_t n,
    int avail, int *cw)
{
	int want[64], min[64], on[64];
	if (n > 64)
		n = 64;
	for (size_t k = 0; k < n; k++) {
		size_t c = cols[k];
		int hw = ui_width(scene_head(t, c)), m = hw;
		for (size_t r = 0; r < t->nrows; r++) {
			int x = ui_width(t->rows[r].cells[c]);
			if (x > m)
				m = x;
		}
		want[k] = m;
		min[k] = m < 6 ? m : hw > 6 ? hw : 6;
		on[k] = 1;
	}
	/* The optional columns (updatedAt, deleted) go first when the
	** others would not get all they ask for. */
	int all = 0;
	for (size_t k = 0; k < n; k++)
		all += want[k] + 1;
	int left_out = 0;
	for (size_t k = 0; k < n && all > avail; k++)
		if (cols[k] == 2 || cols[k] == 3) {
			on[k] = 0;
			all -= want[k] + 1;
			left_out++;
		}
	for (;;) {
		int sum = 0;
		for (size_t k = 0; k < n; k++)
			sum += on[k] ? min[k] + 1 : 0;
		if (sum <= avail)
			break;
		/* Leave out a column: updatedAt, deleted, then the last
		** user column; never id and version. */
		size_t victim = n;
		for (size_t k = 0; k < n && victim == n; k++)
			if (on[k] && (cols[k] == 2 || cols[k] == 3))
				victim = k;
		for (size_t k = n; k-- > 2 && victim == n; )
			if (on[k])
				victim = k;
		if (victim == n)
			break;
		on[victim] = 0;
		left_out++;
	}
	int w[64], used = 0;
	for (size_t k = 0; k < n; k++) {
		w[k] = on[k] ? min[k] : 0;
		used += on[k] ? w[k] + 1 : 0;
	}
	/* Share what is left one column at a time, narrowest first. */
	for (int more = 1; more && used < avail; ) {
		more = 0;
		for (size_t k = 0; k < n && used < avail; k++)
			if (on[k] && w[k] < want[k]) {
				w[k]++;
				used++;
				more = 1;
			}
	}
	for (size_t c = 0; c < t->ncols && c < 64; c++)
		cw[c] = 0;
	for (size_t k = 0; k < n; k++)
		cw[cols[k]] = w[k];
	return left_out;
}

/* The columns a pane shows, in order: the backend shows updatedAt and
** deleted after the version when there is room, a device its rows'
** id, version and user columns (deleted rows are marked apart). */
static size_t
scene_colset(const struct m_table *t, int backend, size_t *cols)
{
	size_t n = 0;
	cols[n++] = 0;
	cols[n++] = 1;
	if (backend) {
		cols[n++] = 2;
		cols[n++] = 3;
	}
	for (size_t c = 4; c < t->ncols && n < 64; c++)
		cols[n++] = c;
	return n;
}

/* Draws the header line of a table at (y, x): each shown column's header
** whole, and how many columns were left out. */
static void
scene_header(struct ui_app *a, const struct m_table *t, const int *cw,
    int left_out, int y, int x, int w)
{
	int cx = x;
	for (size_t c = 0; c < t->ncols && c < 64; c++) {
		if (cw[c] == 0)
			continue;
		ui_put_whole(y, cx, cw[c], ui_attr(a, UI_HEAD) | A_UNDERLINE,
		    scene_head(t, c));
		cx += cw[c] + 1;
	}
	if (left_out) {
		char more[32];
		snprintf(more, sizeof more, "+%d", left_out);
		if (cx + ui_width(more) <= x + w)
			ui_put(y, cx, x + w - cx, ui_attr(a, UI_DIM), more);
	}
}

/* Draws one row's cells from x: each cut with an ellipsis when wider
** than its column.  base: the attribute of a selected row (0: none). */
static int
scene_cells(struct ui_app *a, const struct m_row *r, size_t ncols,
    const int *cw, int y, int x, attr_t sel)
{
	int cx = x;
	for (size_t c = 0; c < ncols && c < 64; c++) {
		if (cw[c] == 0)
			continue;
		attr_t at = sel ? sel : ui_attr(a, r->chg[c] ? UI_CHANGED :
		    r->deleted ? UI_DIM : UI_NORMAL);
		ui_put_cut(a, y, cx, cw[c], at, r->cells[c]);
		cx += cw[c] + 1;
	}
	return cx;
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
		size_t cols[64];
		size_t n = scene_colset(t, 1, cols);
		int left_out = scene_widths(t, cols, n, iw - 2, cw);
		if (b->nt > 1 && skip-- <= 0)
			ui_put_cut(a, iy + line++, ix, iw, ui_attr(a, UI_HEAD),
			    t->name);
		if (line >= ih)
			break;
		scene_header(a, t, cw, left_out, iy + line, ix + 2, iw - 2);
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
			scene_cells(a, row, t->ncols, cw, ry, ix + 2, 0);
		}
		if (t->nrows == 0 && line < ih)
			ui_put(iy + line++, ix + 2, iw - 2, ui_attr(a, UI_DIM),
			    "(no rows)");
	}
	if (focus)
		ui_cursor(a, iy, ix);
}

/* One line of a device pane: a row, a queue entry or an error. */
enum pl_kind { PL_TABLE, PL_HEAD, PL_ROW, PL_QHEAD, PL_OP, PL_EHEAD,
    PL_ERR, PL_NOTE };
struct pl {
	enum pl_kind	kind;
	size_t		t, i;
};

/* The lines of a device pane.  compact: the pane is short, so the
** queue and error lines go without their headings (the counts in the
** pane's bottom border still name them). */
static size_t
scene_dev_lines(const struct m_store *s, int compact, struct pl **out)
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
		if (s->t[t].nrows)
			PL_ADD(PL_HEAD, t, 0);
		for (size_t r = 0; r < s->t[t].nrows; r++)
			PL_ADD(PL_ROW, t, r);
	}
	if (s->nops) {
		if (!compact)
			PL_ADD(PL_QHEAD, 0, 0);
		for (size_t i = 0; i < s->nops; i++)
			PL_ADD(PL_OP, 0, i);
	}
	if (s->nerrs) {
		if (!compact)
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
	char title[160], who[48], sdk[16] = "";
	/* The client SDK, when it is not the default the docs assume. */
	if (s->client != PROF_NET_LEGACY)
		snprintf(sdk, sizeof sdk, " %s", prof_name(s->client));
	ui_auth_title(s, 0, who, sizeof who);
	snprintf(title, sizeof title, "%d %s%s %s %s %lldms%s%s%s", di + 1,
	    s->name, sdk, s->net.online ? a->g->on : a->g->off,
	    s->net.online ? "online" : "OFFLINE",
	    (long long)s->net.latency_ms,
	    s->net.drop_requests ? " drop-req" : "",
	    s->net.drop_responses ? " drop-resp" : "", who);
	if (ui_width(title) + 4 > w) {
		/* Narrow: the network's state before the SDK, so that a cut
		** takes the SDK's name first. */
		ui_auth_title(s, 1, who, sizeof who);
		snprintf(title, sizeof title, "%d %s %s%s%s%s%s", di + 1,
		    s->name, s->net.online ? a->g->on : a->g->off,
		    s->net.online ? "" : " OFFLINE",
		    s->net.drop_requests || s->net.drop_responses ? " drop" :
		    "", sdk, who);
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
	int ih = h - 2, iw = w - 2, ix = x + 1, iy = y + 1;
	size_t n = scene_dev_lines(s, ih <= 4, &l);
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
	/* Column widths per table, from the data (see scene_widths). */
	int (*cw)[64] = xcalloc(s->nt ? s->nt : 1, sizeof *cw);
	int *left = xcalloc(s->nt ? s->nt : 1, sizeof *left);
	for (size_t t = 0; t < s->nt; t++) {
		size_t cols[64];
		size_t nc = scene_colset(&s->t[t], 0, cols);
		left[t] = scene_widths(&s->t[t], cols, nc, iw - 1, cw[t]);
	}
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
			ui_put_cut(a, ly, ix, iw, ui_attr(a, UI_HEAD),
			    s->t[p->t].name);
			break;
		case PL_HEAD:
			scene_header(a, &s->t[p->t], cw[p->t], left[p->t], ly,
			    ix + 1, iw - 1);
			break;
		case PL_ROW: {
			const struct m_table *t = &s->t[p->t];
			const struct m_row *r = &t->rows[p->i];
			int issel = focus && (size_t)(*off + k) == selline;
			attr_t base = ui_attr(a, issel ? UI_SEL : r->deleted ?
			    UI_DIM : UI_NORMAL);
			ui_fill(ly, ix, iw, base);
			ui_put(ly, ix, 1, issel ? base : ui_attr(a, UI_CHANGED),
			    r->any ? "*" : " ");
			int px = scene_cells(a, r, t->ncols, cw[p->t], ly,
			    ix + 1, issel ? base : 0);
			if (r->deleted && px + 5 <= ix + iw)
				ui_put(ly, px, ix + iw - px, base, "[del]");
			if (issel)
				cy = ly, cx = ix;
			break;
		}
		case PL_QHEAD:
			ui_putf(ly, ix, iw, ui_attr(a, UI_HEAD), "__operations "
			    "(%zu)", s->nops);
			break;
		case PL_OP: {
			char *op = xasprintf(" %zu %s", p->i + 1, s->ops[p->i]);
			ui_put_cut(a, ly, ix, iw, ui_attr(a, s->queue_changed ?
			    UI_CHANGED : UI_NORMAL), op);
			free(op);
			break;
		}
		case PL_EHEAD:
			ui_putf(ly, ix, iw, ui_attr(a, UI_WARN), "__errors "
			    "(%zu)", s->nerrs);
			break;
		case PL_ERR: {
			char *e = xasprintf(" %s", s->errs[p->i]);
			ui_put_cut(a, ly, ix, iw, ui_attr(a, UI_WARN), e);
			free(e);
			break;
		}
		}
	}
	if (n == 0)
		ui_put(iy, ix, iw, ui_attr(a, UI_DIM), "(empty)");
	free(cw);
	free(left);
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
		if (l->right == NULL) {
			/* A step line too long for the width ends in an
			** ellipsis (the sequence diagram and n show it
			** whole). */
			ui_put_cut(a, y + 1 + k, 2, room, at, l->text);
			continue;
		}
		int used = ui_put(y + 1 + k, 2, room, at, l->text);
		ui_put(y + 1 + k, 2 + used, room - used, at, l->right);
	}
	if (focus)
		ui_cursor(a, y + 1, 2);
}

/*
** The narration pane: what the last step did (its "say", or what its
** requests did), the goal when there is room, and what comes next.  Text
** that does not fit is never cut silently: the last line says that n
** shows all of it.  A challenge's goal state is in the pane's title
** line at every size; its full text shows when the pane has room for it
** beside the narration (G shows the goal beside the current state).
*/
/* n with a comma between thousands, appended. */
static void
scene_add_count(sb *out, uint64_t n)
{
	char d[32];
	int len = snprintf(d, sizeof d, "%llu", (unsigned long long)n);
	for (int i = 0; i < len; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			sb_addc(out, ',');
		sb_addc(out, d[i]);
	}
}

/* The virtual time of run ms t as HH:MM:SS (UTC), appended. */
static void
scene_add_clock(sb *out, const scn *s, int64_t t)
{
	int64_t sec = (s->start_ms + t) / 1000;
	sb_addf(out, "%02lld:%02lld:%02lld", (long long)(sec / 3600 % 24),
	    (long long)(sec / 60 % 60), (long long)(sec % 60));
}

/* Where a step under way stands, for the narration pane. */
static void
scene_add_progress(struct ui_scene *sc, sb *text)
{
	const sim_progress *pg = &sc->prog;
	const scn *s = sim_scn(sc->run);
	int64_t span = pg->to - pg->from;
	int pct = span > 0 ? (int)((pg->at - pg->from) * 100 / span) : 100;
	sb_add(text, "Running: the fleet's clock is at ");
	scene_add_clock(text, s, pg->at);
	sb_add(text, " of ");
	scene_add_clock(text, s, pg->to);
	sb_addf(text, " (%d%%). Its ", pct);
	scene_add_count(text, (uint64_t)(pg->devices > 0 ? pg->devices : 0));
	sb_add(text, " devices have finished ");
	scene_add_count(text, pg->syncs);
	sb_addf(text, " sync%s with ", pg->syncs == 1 ? "" : "s");
	scene_add_count(text, pg->requests);
	sb_addf(text, " request%s in this step so far.\n", pg->requests == 1 ?
	    "" : "s");
	sb_add(text, "h stops the step (the run goes back to before it), q "
	    "leaves, ? shows the keys.");
}

static void
scene_draw_narration(struct ui_app *a, struct ui_scene *sc, int y, int h)
{
	size_t pos = sim_pos(sc->run), count = sim_count(sc->run);
	const scn *s = sim_scn(sc->run);
	sb head = SB_INIT;
	if (sc->running) {
		const scn_step *st = sim_step_at(sc->run, pos);
		sb_addf(&head, "Step %zu/%zu running: ", pos + 1, count);
		if (st)
			scn_step_summary(st, &head);
	} else if (pos == 0)
		sb_add(&head, "Start");
	else {
		const scn_step *st = sim_step_at(sc->run, pos - 1);
		sb_addf(&head, "Step %zu/%zu%s: ", pos, count,
		    sim_step_is_adhoc(sc->run, pos - 1) ? " (yours)" : "");
		if (st)
			scn_step_summary(st, &head);
	}
	char gtag[64] = "";
	if (s->goal_text)
		snprintf(gtag, sizeof gtag, " Goal: %s (G) ",
		    sim_goal(sc->run) == 1 ? "reached" : "not yet");
	int gw = ui_width(gtag);
	ui_hline(a, y, 0, a->w, ui_attr(a, UI_BORDER));
	char *title = xasprintf(" %s ", sb_str(&head));
	ui_put_cut(a, y, 1, a->w - 3 - gw, ui_attr(a, UI_HEAD), title);
	free(title);
	sb_free(&head);
	if (gw)
		ui_put(y, a->w - 1 - gw, gw, ui_attr(a, sim_goal(sc->run) == 1 ?
		    UI_OK : UI_MARK), gtag);
	sb text = SB_INIT;
	if (s->goal_text && h >= 5)
		sb_addf(&text, "Goal: %s\n", s->goal_text);
	if (sc->running)
		scene_add_progress(sc, &text);
	else
		sb_add(&text, sc->m->narration);
	if (sc->running)
		;	/* the next step comes once this one is done */
	else if (pos < count) {
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
	/* The non-empty lines, so that the count is right. */
	char **ls = NULL;
	int nl = 0;
	for (char *p = lines.s, *e; p && *p; p = e + 1) {
		e = strchr(p, '\n');
		*e = '\0';
		if (*p == '\0')
			continue;
		ls = xreallocarray(ls, (size_t)nl + 1, sizeof *ls);
		ls[nl++] = p;
	}
	int room = h - 1;
	for (int k = 0; k < nl && k < room; k++) {
		const char *p = ls[k];
		if (k == room - 1 && nl > room) {
			ui_put_cut(a, y + 1 + k, 1, a->w - 2, ui_attr(a,
			    UI_DIM), "... more: n shows the whole narration");
			break;
		}
		int next = strncmp(p, "Next:", 5) == 0;
		ui_put(y + 1 + k, 1, a->w - 2, ui_attr(a, next ? UI_DIM :
		    strncmp(p, "Goal:", 5) == 0 ? UI_MARK : UI_NORMAL), p);
	}
	free(ls);
	sb_free(&lines);
	sb_free(&text);
}

void
ui_scene_draw(struct ui_app *a, void *st)
{
	struct ui_scene *sc = st;
	int top = a->depth > 0 && a->stack[a->depth - 1].st == sc;
	const scn *s = sim_scn(sc->run);
	if (top) {
		a->tick_ms = ui_scene_tick_ms(sc);
		if (s->goal_text)
			a->key_flags |= UI_KF_CHALLENGE;
	} else if (sc->playing)
		sc->playing = 0;	/* a dialog pauses playback */
	size_t pos = sim_pos(sc->run), count = sim_count(sc->run);
	/* Title line. */
	ui_fill(0, 0, a->w, ui_attr(a, UI_TITLE));
	char right[128];
	snprintf(right, sizeof right, " step %zu/%zu  t=+%lld.%03llds%s%s%s ",
	    pos, count, (long long)(sim_now(sc->run) / 1000),
	    (long long)(sim_now(sc->run) % 1000),
	    sc->running ? "  RUNNING" : sc->playing ? "  PLAYING" : "",
	    sc->forked ? "  FORKED" : "",
	    sim_finished(sc->run) ? "  FINISHED" : "");
	int rw = ui_width(right);
	ui_put_cut(a, 0, 1, a->w - rw - 2, ui_attr(a, UI_TITLE) | A_BOLD,
	    s->title ? s->title : "Sandbox");
	ui_put(0, a->w - rw, rw, ui_attr(a, UI_TITLE), right);
	/* Vertical budget: every action is in the key bar, which takes two
	** lines when one is not enough. */
	a->bar2 = top;
	int avail = a->h - 1 - (top ? ui_keybar_height(a, ui_scene_keys) : 1);
	int narr_h = a->h >= 28 ? 5 : 4;
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
	** they cannot all fit; then the grid gives up its last line to say
	** which devices are shown. */
	int gh = top_h, cols = 1, grid_rows = 1, cap = 1;
	for (int pass = 0; pass < 2; pass++) {
		int rows_fit = gh / SCENE_DEV_MINH;
		if (rows_fit < 1)
			rows_fit = 1;
		int maxcols = gw / SCENE_DEV_MINW;
		if (maxcols < 1)
			maxcols = 1;
		cols = nd > 0 ? (nd + rows_fit - 1) / rows_fit : 1;
		if (cols > maxcols)
			cols = maxcols;
		if (cols < 1)
			cols = 1;
		int need_rows = (nd + cols - 1) / cols;
		grid_rows = need_rows < rows_fit ? need_rows : rows_fit;
		if (grid_rows < 1)
			grid_rows = 1;
		cap = grid_rows * cols;
		if (nd <= cap || pass == 1)
			break;
		gh = top_h - 1;
	}
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
		int py = 1 + gh * r / grid_rows;
		int ph = 1 + gh * (r + 1) / grid_rows - py;
		int px = gx + gw * c / cols;
		int pw = gx + gw * (c + 1) / cols - px;
		scene_draw_device(a, sc, sc->dev_off + k, py, px, ph, pw);
	}
	if (nd > cap) {
		char note[96];
		snprintf(note, sizeof note, "devices %d-%d of %d: Tab or 1-9 "
		    "for the others", sc->dev_off + 1, sc->dev_off + cap < nd ?
		    sc->dev_off + cap : nd, nd);
		ui_fill(top_h, gx, gw, ui_attr(a, UI_NORMAL));
		ui_put_cut(a, top_h, gx + 1, gw - 1, ui_attr(a, UI_KEY), note);
	}
	ui_cloud_draw(a, sc, 1 + top_h, cl_h);
	scene_draw_timeline(a, sc, 1 + top_h + cl_h, tl_h);
	scene_draw_narration(a, sc, 1 + top_h + cl_h + tl_h, narr_h);
}
