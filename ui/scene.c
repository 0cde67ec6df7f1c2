/*
** scene.c: the scenario view: the backend, one pane per device, the
** timeline of HTTP exchanges, the narration of the step, and the keys to
** step through the run or act on a device.
**
** Layout, top to bottom: a title line; the backend pane (left) beside a
** grid of device panes (right); the timeline; the narration; the key bar.
** The panes shrink with the terminal: device panes go down to 5 lines and
** then scroll (the focused device stays visible), the backend table drops
** the columns that do not fit, and the timeline and narration keep a few
** lines each.
*/
#include "ui/model.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lib/xmem.h"
#include "quiz/qz.h"
#include "sim/chk.h"

static const int scene_speeds[] = { 2000, 1000, 500, 250, 100 };
#define SCENE_NSPEEDS ((int)(sizeof scene_speeds / sizeof scene_speeds[0]))

/* Snapshots every few steps keep stepping back instant: going back
** restores the nearest snapshot and replays at most this many minus one
** steps. */
#define UI_SNAPSHOT_EVERY	4

/* Positions around the current one whose panes are kept. */
#define UI_CACHE_SPAN	64

#define SCENE_DEV_MINW	24
#define SCENE_DEV_MINH	5

static const struct ui_key scene_keys[] = {
	{ "l, Right", "run the next step", "l step" },
	{ "h, Left", "step back (instant)", "h back" },
	{ "Space", "play or pause", "Spc play" },
	{ "+ / -", "play faster or slower", NULL },
	{ "g", "go to step N", "g goto" },
	{ "r", "reset the scenario (asks first)", NULL },
	{ "Tab, Shift-Tab", "next or previous pane", "Tab pane" },
	{ "1-9", "focus device N", NULL },
	{ "j/k, Down/Up", "select a row in a device, or scroll", NULL },
	{ "o", "toggle the selected device offline/online", "o offline" },
	{ "i", "insert a row on the selected device", "i ins" },
	{ "e, Enter", "edit the selected row", "e edit" },
	{ "d", "delete the selected row", "d del" },
	{ "P", "push the device's queue", "P push" },
	{ "u", "pull every table", "u pull" },
	{ "s", "sync (push, then pull)", "s sync" },
	{ "x", "drop the device's next response", "x drop" },
	{ "X", "drop the device's next request", NULL },
	{ "c", "resolve a conflict of the selected device", "c resolve" },
	{ "S", "sequence diagram", "S seq" },
	{ "I", "store inspector (read-only SQL)", "I sql" },
	{ "n", "the whole narration of this step", NULL },
	{ "F", "finish: final sync of every device, then the checker", NULL },
	{ "G", "the goal of a challenge", NULL },
	{ "H", "the next hint of a challenge", NULL },
	{ "v", "the reference solution (asks first; no longer counts)",
	  NULL },
	{ "q", "back", "q back" },
	{ NULL, NULL, NULL }
};

static void scene_draw(struct ui_app *, void *);
static int scene_key(struct ui_app *, void *, int);
static void scene_tick(struct ui_app *, void *);
static void scene_close(struct ui_app *, void *);

const struct ui_screen ui_scene_screen = {
	"scene", "Scenario view", 60, 16, 0, scene_draw, scene_key, scene_tick,
	scene_close, scene_keys, NULL
};

sqlite3 *
ui_scene_store(struct ui_scene *sc, int store, const char **name)
{
	if (store <= 0 || (size_t)store > sim_ndevices(sc->run)) {
		*name = "Backend";
		return srv_db(sim_srv(sc->run));
	}
	dev *d = sim_dev(sc->run, (size_t)store - 1);
	*name = dev_name(d);
	return dev_db(d);
}

/* The If-Match header of a request, from its headers JSON. */
static char *
scene_ifmatch(const char *headers)
{
	cJSON *h = headers ? cJSON_Parse(headers) : NULL;
	char *v = NULL;
	for (const cJSON *e = h ? h->child : NULL; e; e = e->next)
		if (e->string && strcasecmp(e->string, "If-Match") == 0 &&
		    cJSON_IsString(e))
			v = xstrdup(e->valuestring);
	cJSON_Delete(h);
	return v;
}

void
ui_http_line(const trc_event *req, const trc_event *resp, int lost,
    sb *out, sb *res)
{
	char *path = http_unescape(req->path ? req->path : "");
	sb_addf(out, "%-9s %s %s", req->device ? req->device : "",
	    req->method ? req->method : "?", path);
	free(path);
	if (res == NULL)
		res = out;
	char *im = scene_ifmatch(req->headers);
	if (im) {
		sb_addf(out, "  If-Match %s", im);
		free(im);
	}
	if (resp == NULL)
		return;
	if (lost && resp->status)
		sb_addf(res, "  -> %d %s, response LOST", resp->status,
		    http_reason(resp->status));
	else if (lost)
		sb_add(res, "  -> LOST (no response)");
	else
		sb_addf(res, "  -> %d %s", resp->status,
		    http_reason(resp->status));
}

/* The selected device (index), or -1 when there are none. */
static int
scene_dev(const struct ui_scene *sc)
{
	int n = (int)sim_ndevices(sc->run);
	if (n == 0)
		return -1;
	if (sc->focus >= 1 && sc->focus <= n)
		return sc->focus - 1;
	return sc->sel_dev < n ? sc->sel_dev : 0;
}

/* ---- drawing ---------------------------------------------------------- */

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
static size_t
scene_nrows(const struct m_store *s)
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
	snprintf(title, sizeof title, "Backend (%zu rows)", scene_nrows(b));
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
	int selected = scene_dev(sc) == di;
	size_t nrows = scene_nrows(s);
	char title[128];
	snprintf(title, sizeof title, "%d %s %s %s %lldms%s%s", di + 1, s->name,
	    s->net.online ? a->g->on : a->g->off,
	    s->net.online ? "online" : "OFFLINE",
	    (long long)s->net.latency_ms,
	    s->net.drop_requests ? " drop-req" : "",
	    s->net.drop_responses ? " drop-resp" : "");
	if (ui_width(title) + 4 > w)
		snprintf(title, sizeof title, "%d %s %s %s%s", di + 1, s->name,
		    s->net.online ? a->g->on : a->g->off,
		    s->net.online ? "" : "OFFLINE",
		    s->net.drop_requests || s->net.drop_responses ? " drop" :
		    "");
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

static void
scene_draw(struct ui_app *a, void *st)
{
	struct ui_scene *sc = st;
	int top = a->depth > 0 && a->stack[a->depth - 1].st == sc;
	if (top)
		a->tick_ms = sc->playing ? scene_speeds[sc->speed] : 0;
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
	int avail = a->h - 1 - (top ? ui_keybar_height(a, scene_keys) : 1);
	int narr_h = a->h >= 28 ? 5 : a->h >= 22 ? 4 : 3;
	int tl_h = a->h >= 28 ? 6 : a->h >= 22 ? 4 : 3;
	int top_h = avail - narr_h - tl_h;
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
	int sel = scene_dev(sc);
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
	scene_draw_timeline(a, sc, 1 + top_h, tl_h);
	scene_draw_narration(a, sc, 1 + top_h + tl_h, narr_h);
}

/* ---- acting ----------------------------------------------------------- */

/*
** Models are kept per position: the model of position p always shows the
** state after p steps with the cells step p changed highlighted, however
** the run got there, so going back and forth costs no store reads.  An
** action replaces the steps after it, so it forgets the models past it.
** A finished run (final sync) is never kept.
*/
static void
scene_cache_put(struct ui_scene *sc, size_t pos, struct ui_model *m)
{
	if (pos >= sc->ncache) {
		size_t n = pos + 16;
		sc->cache = xreallocarray(sc->cache, n, sizeof *sc->cache);
		memset(sc->cache + sc->ncache, 0, (n - sc->ncache) *
		    sizeof *sc->cache);
		sc->ncache = n;
	}
	if (sc->cache[pos] != m)
		ui_model_free(sc->cache[pos]);
	sc->cache[pos] = m;
	/* Each model copies the timeline up to its position: keep only the
	** neighbourhood of where the student is. */
	for (size_t i = 0; i < sc->ncache; i++) {
		size_t d = i > pos ? i - pos : pos - i;
		if (d > UI_CACHE_SPAN && sc->cache[i] && sc->cache[i] != sc->m) {
			ui_model_free(sc->cache[i]);
			sc->cache[i] = NULL;
		}
	}
}

void
ui_scene_forget(struct ui_scene *sc, size_t from)
{
	for (size_t i = from; i < sc->ncache; i++) {
		if (sc->cache[i] == sc->m)
			sc->m_cached = 0;	/* now owned by sc->m alone */
		else
			ui_model_free(sc->cache[i]);
		sc->cache[i] = NULL;
	}
}

/* Makes m the model shown (cached: the cache owns it). */
static void
scene_show(struct ui_scene *sc, struct ui_model *m, int cached)
{
	if (sc->m && sc->m != m && !sc->m_cached)
		ui_model_free(sc->m);
	sc->m = m;
	sc->m_cached = cached;
	sc->tl_scroll = 0;
}

void
ui_scene_changed(struct ui_app *a, struct ui_scene *sc, size_t prev_pos)
{
	(void)a;
	size_t pos = sim_pos(sc->run);
	int fin = sim_finished(sc->run);
	if (!fin && pos < sc->ncache && sc->cache[pos]) {
		scene_show(sc, sc->cache[pos], 1);
		return;
	}
	struct ui_model *old = sc->m;
	struct ui_model *nm = ui_model_load(sc->run);
	const struct ui_model *base = !fin && pos > 0 && pos - 1 < sc->ncache ?
	    sc->cache[pos - 1] : NULL;
	if (old && prev_pos == old->pos && (old->pos + 1 == pos || fin)) {
		/* One step, or the final sync: the panes showed the state
		** just before it. */
		ui_model_diff(nm, old);
	} else if (base) {
		ui_model_diff(nm, base);
	} else if (pos > 0 && !sim_awaiting_answer(sc->run)) {
		/* Jumped to a position never shown: read the state one step
		** earlier so that the highlight shows what the last step
		** did. */
		sb err = SB_INIT;
		if (sim_goto(sc->run, pos - 1, &err) == 0) {
			struct ui_model *pm = ui_model_load(sc->run);
			if (sim_goto(sc->run, pos, &err) == 0)
				ui_model_diff(nm, pm);
			ui_model_free(pm);
		}
		sb_free(&err);
	}
	scene_show(sc, nm, !fin);
	if (!fin)
		scene_cache_put(sc, pos, nm);
}

static void
scene_goal_check(struct ui_app *a, struct ui_scene *sc)
{
	const scn *s = sim_scn(sc->run);
	if (s->goal_text == NULL || sc->solved)
		return;
	if (sim_goal(sc->run) != 1)
		return;
	sc->solved = 1;
	if (sc->solution_shown) {
		ui_message(a, "Goal reached", "The goal holds now. This run "
		    "showed the reference solution, so it does not count as "
		    "solved; press r to reset and try again on your own.");
		return;
	}
	if (s->id && *sc->path)
		ui_done_mark(s->id);
	ui_message(a, "Goal reached", "Well done: the goal holds. The "
	    "scenario is marked as completed on the Home screen.");
}

void
ui_scene_after_step(struct ui_app *a, struct ui_scene *sc)
{
	const scn *s = sim_scn(sc->run);
	scene_goal_check(a, sc);
	if (s->goal_text == NULL && *sc->path && s->id && !sc->forked &&
	    sim_count(sc->run) > 0 && sim_pos(sc->run) == sim_count(sc->run) &&
	    !ui_done_has(s->id)) {
		ui_done_mark(s->id);
		ui_toast(a, "End of the scenario: marked as completed.");
	}
	/* A manual conflict that just appeared opens its dialog. */
	sim_conflict *c = NULL;
	size_t n = sim_conflicts(sc->run, &c);
	for (size_t i = 0; i < n; i++) {
		if (!c[i].manual)
			continue;
		char key[256];
		snprintf(key, sizeof key, "|%zu/%s/%s|", c[i].dev, c[i].table,
		    c[i].id);
		if (strstr(sc->offered, key))
			continue;
		if (strlen(sc->offered) + strlen(key) < sizeof sc->offered)
			strcat(sc->offered, key);
		sc->playing = 0;
		ui_resolve_open(a, sc, &c[i]);
		break;
	}
	free(c);
}

static void
scene_step(struct ui_app *a, struct ui_scene *sc)
{
	if (sim_awaiting_answer(sc->run)) {
		sc->playing = 0;
		ui_ask_open(a, sc);
		return;
	}
	size_t prev = sim_pos(sc->run);
	if (prev >= sim_count(sc->run)) {
		sc->playing = 0;
		ui_toast(a, "End of the script: act on a device, h steps back, "
		    "r resets.");
		return;
	}
	sb err = SB_INIT;
	sim_rc rc = sim_step(sc->run, &err);
	if (rc == SIM_ASK) {
		sc->playing = 0;
		ui_ask_open(a, sc);
	} else if (rc == SIM_ERROR) {
		sc->playing = 0;
		ui_message(a, "The engine stopped", sb_str(&err));
	} else if (rc == SIM_OK) {
		ui_scene_changed(a, sc, prev);
		ui_scene_after_step(a, sc);
	}
	sb_free(&err);
}

static void
scene_goto(struct ui_app *a, struct ui_scene *sc, size_t n)
{
	size_t prev = sim_pos(sc->run);
	sb err = SB_INIT;
	if (sim_goto(sc->run, n, &err) != 0) {
		ui_message(a, "Cannot go there", sb_str(&err));
		sb_free(&err);
		return;
	}
	sb_free(&err);
	if (n < prev)
		sc->offered[0] = '\0';	/* conflicts may be offered again */
	if (sim_goal(sc->run) != 1)
		sc->solved = 0;
	/* A question waiting here opens with the next l, not now: stepping
	** back is for looking. */
	ui_scene_changed(a, sc, prev);
}

static void
scene_back(struct ui_app *a, struct ui_scene *sc)
{
	size_t pos = sim_pos(sc->run);
	sc->playing = 0;
	if (sim_finished(sc->run)) {
		scene_goto(a, sc, pos);		/* undoes the final sync */
		ui_toast(a, "Back to before the final sync.");
		return;
	}
	if (pos == 0) {
		ui_toast(a, "Already at the start.");
		return;
	}
	scene_goto(a, sc, pos - 1);
}

struct ui_scene *
ui_scene_find(struct ui_app *a)
{
	for (int i = a->depth - 1; i >= 0; i--)
		if (a->stack[i].s == &ui_scene_screen)
			return a->stack[i].st;
	return NULL;
}

static void
scene_do_act(struct ui_app *a, void *ctx)
{
	scn_step *st = ctx;
	struct ui_scene *sc = ui_scene_find(a);
	if (sc == NULL)
		return;
	size_t prev = sim_pos(sc->run), count = sim_count(sc->run);
	int forks = prev < count || sim_awaiting_answer(sc->run);
	sb err = SB_INIT;
	if (sim_act(sc->run, st, &err) != 0) {
		ui_message(a, "That action is not possible", sb_str(&err));
		sb_free(&err);
		return;
	}
	sb_free(&err);
	ui_scene_forget(sc, prev + 1);
	if (forks) {
		sc->forked = 1;
		ui_toast(a, "Forked: the %zu later step(s) of the script were "
		    "discarded.", count - prev);
	}
	ui_scene_changed(a, sc, prev);
	ui_scene_after_step(a, sc);
}

static void
scene_free_step(void *p)
{
	scn_step_free(p);
	free(p);
}

/* Runs st (taken over) now, asking first when it forks the run. */
static void
scene_act(struct ui_app *a, struct ui_scene *sc, scn_step *st)
{
	sc->playing = 0;
	size_t pos = sim_pos(sc->run), count = sim_count(sc->run);
	if (pos < count) {
		char text[512];
		sb summary = SB_INIT;
		scn_step_summary(st, &summary);
		snprintf(text, sizeof text, "Do \"%s\" now?\n\nThe script has "
		    "%zu more step(s). Acting here forks the run: those steps "
		    "are discarded (h still steps back through what you did).",
		    sb_str(&summary), count - pos);
		sb_free(&summary);
		ui_confirm(a, "Fork the run?", text, scene_do_act, st,
		    scene_free_step);
		return;
	}
	scene_do_act(a, st);
	scene_free_step(st);
}

static scn_step *
scene_mkstep(scn_action act, const char *device)
{
	scn_step *st = xcalloc(1, sizeof *st);
	st->act = act;
	st->device = device ? xstrdup(device) : NULL;
	st->count = 1;
	return st;
}

/* The table and row of the selected row of device di; 0, or -1 when the
** device has no rows. */
static int
scene_sel_row(struct ui_scene *sc, int di, const struct m_table **t,
    const struct m_row **r)
{
	const struct m_store *s = &sc->m->s[1 + di];
	int k = sc->row_sel[di];
	for (size_t ti = 0; ti < s->nt; ti++) {
		if (k < (int)s->t[ti].nrows) {
			*t = &s->t[ti];
			*r = &s->t[ti].rows[k];
			return 0;
		}
		k -= (int)s->t[ti].nrows;
	}
	return -1;
}

/* Form context: which device, table and (for edits) row. */
struct scene_form {
	struct ui_scene	*sc;
	int		 dev;
	size_t		 table;		/* index in the scenario's tables */
	char		*id;		/* NULL: insert */
	char		**old;		/* edit: the values shown first */
};

static void
scene_form_free(void *p)
{
	struct scene_form *f = p;
	const scn_table *t = &sim_scn(f->sc->run)->tables[f->table];
	for (size_t i = 0; f->old && i < t->def.ncols; i++)
		free(f->old[i]);
	free(f->old);
	free(f->id);
	free(f);
}

/* Converts a form value to JSON for a column type; NULL with why. */
static cJSON *
scene_value(srv_type type, const char *v, sb *why)
{
	if (strcmp(v, "-") == 0 || strcmp(v, "null") == 0)
		return cJSON_CreateNull();
	switch (type) {
	case SRV_NUMBER: {
		char *end;
		double d = strtod(v, &end);
		if (end == v || *end) {
			sb_addf(why, "\"%s\" is not a number", v);
			return NULL;
		}
		return cJSON_CreateNumber(d);
	}
	case SRV_BOOL:
		if (!strcasecmp(v, "true") || !strcasecmp(v, "yes") ||
		    !strcasecmp(v, "y") || !strcmp(v, "1"))
			return cJSON_CreateTrue();
		if (!strcasecmp(v, "false") || !strcasecmp(v, "no") ||
		    !strcasecmp(v, "n") || !strcmp(v, "0"))
			return cJSON_CreateFalse();
		sb_addf(why, "\"%s\" is not true or false", v);
		return NULL;
	case SRV_STRING:
	case SRV_DATE:
		break;
	}
	return cJSON_CreateString(v);
}

static int
scene_form_done(struct ui_app *a, void *ctx, char **values, size_t n)
{
	struct scene_form *f = ctx;
	struct ui_scene *sc = f->sc;
	const scn_table *t = &sim_scn(sc->run)->tables[f->table];
	cJSON *row = cJSON_CreateObject();
	size_t first = f->id ? 0 : 1;	/* an insert starts with its id */
	for (size_t i = 0; i + first < n && i < t->def.ncols; i++) {
		const char *v = values[i + first];
		if (f->id && f->old && strcmp(v, f->old[i]) == 0)
			continue;	/* unchanged */
		if (!f->id && *v == '\0')
			continue;	/* left out of the insert */
		sb why = SB_INIT;
		cJSON *j = scene_value(t->def.cols[i].type, v, &why);
		if (j == NULL) {
			ui_toast(a, "%s: %s", t->def.cols[i].name, sb_str(&why));
			sb_free(&why);
			cJSON_Delete(row);
			return -1;
		}
		sb_free(&why);
		cJSON_AddItemToObject(row, t->def.cols[i].name, j);
	}
	if (f->id && row->child == NULL) {
		cJSON_Delete(row);
		ui_toast(a, "Nothing changed.");
		return 0;
	}
	const char *dname = sc->m->s[1 + f->dev].name;
	scn_step *st = scene_mkstep(f->id ? SCN_UPDATE : SCN_INSERT, dname);
	st->table = xstrdup(t->def.name);
	if (f->id)
		st->id = xstrdup(f->id);
	else if (values[0][0])
		cJSON_AddStringToObject(row, "id", values[0]);
	st->row = row;
	/* The form closes first (freeing f); then the action, which may ask
	** about a fork. */
	ui_remove(a, a->stack[a->depth - 1].st);
	scene_act(a, sc, st);
	return 1;
}

static void
scene_open_form(struct ui_app *a, struct ui_scene *sc, int di, size_t ti,
    const struct m_row *r)
{
	const scn_table *t = &sim_scn(sc->run)->tables[ti];
	size_t n = t->def.ncols + (r ? 0 : 1);
	const char **labels = xcalloc(n, sizeof *labels);
	const char **init = xcalloc(n, sizeof *init);
	char **own = xcalloc(n, sizeof *own);
	struct scene_form *f = xcalloc(1, sizeof *f);
	f->sc = sc;
	f->dev = di;
	f->table = ti;
	size_t k = 0;
	if (r == NULL) {
		own[k] = xstrdup("id (empty: the device makes one)");
		labels[k] = own[k];
		init[k++] = "";
	} else {
		f->id = xstrdup(r->cells[0]);
		f->old = xcalloc(t->def.ncols, sizeof *f->old);
	}
	static const char *const tn[] = { "string", "number", "true/false",
	    "date, ISO-8601" };
	for (size_t i = 0; i < t->def.ncols; i++, k++) {
		own[k] = xasprintf("%s (%s)", t->def.cols[i].name,
		    tn[t->def.cols[i].type]);
		labels[k] = own[k];
		init[k] = r ? r->cells[4 + i] : "";
		if (f->old)
			f->old[i] = xstrdup(r->cells[4 + i]);
	}
	char title[160], note[256];
	snprintf(title, sizeof title, "%s on %s: %s%s%s", r ? "Edit" :
	    "Insert", sc->m->s[1 + di].name, t->def.name, r ? "/" : "",
	    r ? r->cells[0] : "");
	snprintf(note, sizeof note, "%s Enter saves it as a local %s (queued "
	    "in __operations); Esc cancels.", r ? "Change the fields." :
	    "Fill in the fields; empty ones are left out.", r ? "update" :
	    "insert");
	ui_form(a, title, note, labels, init, n, scene_form_done, f,
	    scene_form_free);
	for (size_t i = 0; i < n; i++)
		free(own[i]);
	free(own);
	free(labels);
	free(init);
}

struct scene_pick {
	struct ui_scene	*sc;
	int		 dev;
};

static void
scene_pick_table(struct ui_app *a, void *ctx, size_t i)
{
	struct scene_pick *p = ctx;
	scene_open_form(a, p->sc, p->dev, i, NULL);
}

static void
scene_insert(struct ui_app *a, struct ui_scene *sc, int di)
{
	const scn *s = sim_scn(sc->run);
	if (s->ntables == 0) {
		ui_toast(a, "This scenario has no tables.");
		return;
	}
	if (s->ntables == 1) {
		scene_open_form(a, sc, di, 0, NULL);
		return;
	}
	const char **names = xcalloc(s->ntables, sizeof *names);
	for (size_t i = 0; i < s->ntables; i++)
		names[i] = s->tables[i].def.name;
	struct scene_pick *p = xcalloc(1, sizeof *p);
	p->sc = sc;
	p->dev = di;
	ui_choose(a, "Insert into which table?", names, s->ntables,
	    scene_pick_table, p, free);
	free(names);
}

static size_t
scene_table_index(const scn *s, const char *name)
{
	for (size_t i = 0; i < s->ntables; i++)
		if (strcmp(s->tables[i].def.name, name) == 0)
			return i;
	return 0;
}

static void
scene_edit(struct ui_app *a, struct ui_scene *sc, int di, int del)
{
	const struct m_table *t;
	const struct m_row *r;
	if (scene_sel_row(sc, di, &t, &r) != 0) {
		ui_toast(a, "%s has no rows: i inserts one, u pulls.",
		    sc->m->s[1 + di].name);
		return;
	}
	if (del) {
		scn_step *st = scene_mkstep(SCN_DELETE, sc->m->s[1 + di].name);
		st->table = xstrdup(t->name);
		st->id = xstrdup(r->cells[0]);
		scene_act(a, sc, st);
		return;
	}
	scene_open_form(a, sc, di, scene_table_index(sim_scn(sc->run),
	    t->name), r);
}

static void
scene_resolve_pick(struct ui_app *a, struct ui_scene *sc, int di)
{
	sim_conflict *c = NULL;
	size_t n = sim_conflicts(sc->run, &c);
	for (size_t i = 0; i < n; i++) {
		if ((int)c[i].dev != di)
			continue;
		ui_resolve_open(a, sc, &c[i]);
		free(c);
		return;
	}
	free(c);
	ui_toast(a, "%s has no pending conflict.", sc->m->s[1 + di].name);
}

static int
scene_goto_done(struct ui_app *a, void *ctx, const char *text)
{
	struct ui_scene *sc = ctx;
	char *end;
	long v = strtol(text, &end, 10);
	if (end == text || *end || v < 0 || (size_t)v > sim_count(sc->run)) {
		ui_toast(a, "A step number from 0 to %zu, please.",
		    sim_count(sc->run));
		return -1;
	}
	/* Close the prompt before an ask dialog may open. */
	ui_remove(a, a->stack[a->depth - 1].st);
	scene_goto(a, sc, (size_t)v);
	return 1;
}

/* The sandbox as sim_open_sandbox() makes it, with the view's snapshot
** interval. */
static sim *
scene_sandbox(size_t ndevices, int has_seed, uint64_t seed, sb *err)
{
	scn *s = scn_sandbox(ndevices);
	if (s == NULL) {
		sb_addf(err, "a sandbox has 1 to 16 devices, not %zu\n",
		    ndevices);
		return NULL;
	}
	sim_opts o = { 0 };
	o.has_seed = has_seed;
	o.seed = seed;
	o.pause_on_ask = 1;
	o.snapshot_every = UI_SNAPSHOT_EVERY;
	return sim_open(s, &o, err);
}

static void
scene_reset_yes(struct ui_app *a, void *ctx)
{
	struct ui_scene *sc = ctx;
	sb err = SB_INIT;
	sim *r;
	if (*sc->path) {
		scn *s = scn_load_file(sc->path, &err, NULL);
		sim_opts o = { 0 };
		o.has_seed = sc->has_seed;
		o.seed = sc->seed;
		o.pause_on_ask = 1;
		o.snapshot_every = UI_SNAPSHOT_EVERY;
		r = s ? sim_open(s, &o, &err) : NULL;
	} else
		r = scene_sandbox(sc->sandbox_devices, sc->has_seed, sc->seed,
		    &err);
	if (r == NULL) {
		ui_message(a, "Cannot reset", sb_str(&err));
		sb_free(&err);
		return;
	}
	sb_free(&err);
	sim_close(sc->run);
	sc->run = r;
	ui_scene_forget(sc, 0);
	if (!sc->m_cached)
		ui_model_free(sc->m);
	sc->m = NULL;
	sc->forked = 0;
	sc->solved = 0;
	sc->solution_shown = 0;
	sc->hints_shown = 0;
	sc->offered[0] = '\0';
	sc->playing = 0;
	ui_scene_changed(a, sc, 0);
	ui_toast(a, "Reset to the start of the scenario.");
}

static void
scene_solution_yes(struct ui_app *a, void *ctx)
{
	struct ui_scene *sc = ctx;
	const scn *s = sim_scn(sc->run);
	sc->solution_shown = 1;
	sb t = SB_INIT;
	sb_add(&t, "One way to reach the goal (this run no longer counts as "
	    "solved):\n\n");
	for (size_t i = 0; i < s->nsolution; i++) {
		sb_addf(&t, "%zu. ", i + 1);
		scn_step_summary(&s->solution[i], &t);
		sb_addc(&t, '\n');
	}
	ui_message(a, "Reference solution", sb_str(&t));
	sb_free(&t);
}

static void
scene_challenge_key(struct ui_app *a, struct ui_scene *sc, int ch)
{
	const scn *s = sim_scn(sc->run);
	if (s->goal_text == NULL) {
		ui_toast(a, "This scenario is not a challenge: it has no goal.");
		return;
	}
	if (ch == 'G') {
		sb t = SB_INIT;
		sb_addf(&t, "%s\n\nRight now: %s. Hints shown: %zu of %zu.",
		    s->goal_text, sim_goal(sc->run) == 1 ? "the goal holds" :
		    "not there yet", sc->hints_shown, s->nhints);
		ui_message(a, "Goal", sb_str(&t));
		sb_free(&t);
	} else if (ch == 'H') {
		if (s->nhints == 0) {
			ui_toast(a, "This challenge has no hints.");
			return;
		}
		if (sc->hints_shown < s->nhints)
			sc->hints_shown++;
		sb t = SB_INIT;
		for (size_t i = 0; i < sc->hints_shown; i++)
			sb_addf(&t, "Hint %zu: %s\n\n", i + 1, s->hints[i]);
		if (sc->hints_shown == s->nhints)
			sb_add(&t, "That was the last hint.");
		else
			sb_add(&t, "Press H again for the next hint.");
		ui_message(a, "Hints", sb_str(&t));
		sb_free(&t);
	} else if (ch == 'v') {
		if (s->nsolution == 0) {
			ui_toast(a, "This challenge has no reference solution.");
			return;
		}
		ui_confirm(a, "Show the solution?", "Seeing the reference "
		    "solution means this run will not count as solved, even "
		    "if you reach the goal afterwards. Show it?",
		    scene_solution_yes, sc, NULL);
	}
}

/* The end of a run as `synclab run` ends it: a final sync, then the
** checker's report (lost writes, convergence, what is still queued). */
static void
scene_finish(struct ui_app *a, struct ui_scene *sc)
{
	sc->playing = 0;
	size_t prev = sim_pos(sc->run);
	sb err = SB_INIT;
	if (sim_finish(sc->run, &err) != 0) {
		ui_message(a, "Cannot finish the run", sb_str(&err));
		sb_free(&err);
		return;
	}
	sb_free(&err);
	ui_scene_changed(a, sc, prev);
	chk_report rep;
	chk_run(sc->run, &rep);
	sb t = SB_INIT;
	sb_add(&t, "Every online device synced twice (the final sync in the "
	    "timeline). The checker found:\n\n");
	chk_format(&rep, &t);
	chk_free(&rep);
	sb_add(&t, "\nh steps back to before the final sync.");
	ui_message(a, "Checker", sb_str(&t));
	sb_free(&t);
}

static void
scene_focus(struct ui_scene *sc, int f)
{
	int n = (int)sim_ndevices(sc->run) + 2;
	sc->focus = ((f % n) + n) % n;
	if (sc->focus >= 1 && sc->focus <= n - 2)
		sc->sel_dev = sc->focus - 1;
}

/* j/k (d: 1 down, -1 up): in a device with rows, moves its selected row
** (past the last one: scrolls on to the queue); in the backend or an
** empty device, scrolls the pane; in the timeline, scrolls it (counted
** from the end). */
static void
scene_updown(struct ui_scene *sc, int d)
{
	int p = sc->focus;
	if (p > (int)sim_ndevices(sc->run)) {
		sc->tl_scroll -= d;
		if (sc->tl_scroll < 0)
			sc->tl_scroll = 0;
		return;
	}
	int n = p > 0 ? (int)scene_nrows(&sc->m->s[p]) : 0;
	if (n == 0) {
		sc->scroll[p] += d;
		if (sc->scroll[p] < 0)
			sc->scroll[p] = 0;
		return;
	}
	int f = p - 1, was = sc->row_sel[f];
	sc->row_sel[f] += d;
	if (sc->row_sel[f] < 0)
		sc->row_sel[f] = 0;
	if (sc->row_sel[f] >= n) {
		/* Past the rows: scroll the queue. */
		sc->row_sel[f] = n - 1;
		sc->scroll[p]++;
	}
	sc->follow[f] = sc->row_sel[f] != was;
	if (d < 0 && !sc->follow[f] && sc->scroll[p] > 0)
		sc->scroll[p]--;
}

static int
scene_key(struct ui_app *a, void *st, int ch)
{
	struct ui_scene *sc = st;
	int nd = (int)sim_ndevices(sc->run);
	int di = scene_dev(sc);
	if (ch > KEY_MAX) {
		scene_focus(sc, ch - KEY_MAX - 1);
		return 1;
	}
	switch (ch) {
	case 'l': case KEY_RIGHT:
		scene_step(a, sc);
		return 1;
	case 'h': case KEY_LEFT:
		scene_back(a, sc);
		return 1;
	case ' ':
		sc->playing = !sc->playing;
		if (sc->playing && sim_pos(sc->run) >= sim_count(sc->run)) {
			sc->playing = 0;
			ui_toast(a, "Nothing left to play.");
		}
		return 1;
	case '+': case '=':
		if (sc->speed + 1 < SCENE_NSPEEDS)
			sc->speed++;
		ui_toast(a, "Playback: one step every %d ms.",
		    scene_speeds[sc->speed]);
		return 1;
	case '-':
		if (sc->speed > 0)
			sc->speed--;
		ui_toast(a, "Playback: one step every %d ms.",
		    scene_speeds[sc->speed]);
		return 1;
	case 'g': {
		char init[32], label[96];
		snprintf(init, sizeof init, "%zu", sim_pos(sc->run));
		snprintf(label, sizeof label, "Go to step (0 = the start, %zu "
		    "= the end):", sim_count(sc->run));
		sc->playing = 0;
		ui_prompt(a, "Go to step", label, init, scene_goto_done, sc);
		return 1;
	}
	case 'r':
		sc->playing = 0;
		ui_confirm(a, "Reset?", "Start the scenario again from the "
		    "beginning? Everything you did in this run is lost.",
		    scene_reset_yes, sc, NULL);
		return 1;
	case '\t':
		scene_focus(sc, sc->focus + 1);
		return 1;
	case KEY_BTAB:
		scene_focus(sc, sc->focus - 1);
		return 1;
	case 'j': case KEY_DOWN:
		scene_updown(sc, 1);
		return 1;
	case 'k': case KEY_UP:
		scene_updown(sc, -1);
		return 1;
	case 'S':
		sc->playing = 0;
		ui_seq_open(a, sc);
		return 1;
	case 'I':
		sc->playing = 0;
		ui_inspect_open(a, sc, sc->focus >= 1 && sc->focus <= nd ?
		    sc->focus : 0);
		return 1;
	case 'n':
		ui_message(a, "Narration", *sc->m->narration ?
		    sc->m->narration : "(nothing to say)");
		return 1;
	case 'G': case 'H': case 'v':
		scene_challenge_key(a, sc, ch);
		return 1;
	case 'F':
		scene_finish(a, sc);
		return 1;
	}
	if (ch >= '1' && ch <= '9') {
		if (ch - '0' <= nd)
			scene_focus(sc, ch - '0');
		return 1;
	}
	if (di < 0)
		return 0;
	/* The keys that do not return here run one action of the engine on
	** the device. */
	scn_action act;
	switch (ch) {
	case 'i':
		scene_insert(a, sc, di);
		return 1;
	case 'e': case '\r': case '\n': case KEY_ENTER:
		scene_edit(a, sc, di, 0);
		return 1;
	case 'd':
		scene_edit(a, sc, di, 1);
		return 1;
	case 'c':
		scene_resolve_pick(a, sc, di);
		return 1;
	case 'o':
		act = sc->m->s[1 + di].net.online ? SCN_OFFLINE : SCN_ONLINE;
		break;
	case 'P':
		act = SCN_PUSH;
		break;
	case 'u':
		act = SCN_PULL;
		break;
	case 's':
		act = SCN_SYNC;
		break;
	case 'x':
		act = SCN_DROP_RESPONSE;
		break;
	case 'X':
		act = SCN_DROP_REQUEST;
		break;
	default:
		return 0;
	}
	scene_act(a, sc, scene_mkstep(act, sc->m->s[1 + di].name));
	return 1;
}

void
ui_scene_stepkey(struct ui_app *a, struct ui_scene *sc, int forward)
{
	if (forward)
		scene_step(a, sc);
	else
		scene_back(a, sc);
}

void
ui_scene_act(struct ui_app *a, struct ui_scene *sc, scn_step *st)
{
	scene_act(a, sc, st);
}

static void
scene_tick(struct ui_app *a, void *st)
{
	struct ui_scene *sc = st;
	if (sc->playing)
		scene_step(a, sc);
}

static void
scene_close(struct ui_app *a, void *st)
{
	struct ui_scene *sc = st;
	(void)a;
	ui_scene_forget(sc, 0);
	if (!sc->m_cached)
		ui_model_free(sc->m);
	free(sc->cache);
	sim_close(sc->run);
	free(sc->path);
	free(sc);
}

/* Finds a scenario by path, or by id among the shipped ones. */
static scn *
scene_load(struct ui_app *a, const char *arg, char **path, sb *err)
{
	if (strchr(arg, '/') == NULL && strstr(arg, ".json") == NULL &&
	    a->opts.datadir) {
		char *p = xasprintf("%s/%s.json", a->opts.datadir, arg);
		FILE *f = fopen(p, "r");
		if (f) {
			fclose(f);
			scn *s = scn_load_file(p, err, NULL);
			*path = p;
			return s;
		}
		free(p);
	}
	*path = xstrdup(arg);
	return scn_load_file(arg, err, NULL);
}

int
ui_scene_open(struct ui_app *a, const char *path, struct scn *s,
    size_t ndevices, int has_seed, uint64_t seed, sb *err)
{
	struct ui_scene *sc = xcalloc(1, sizeof *sc);
	sc->has_seed = has_seed;
	sc->seed = seed;
	sc->speed = 1;
	sc->sandbox_devices = ndevices;
	if (s == NULL && path != NULL) {
		s = scene_load(a, path, &sc->path, err);
		if (s == NULL) {
			free(sc->path);
			free(sc);
			return -1;
		}
	} else
		sc->path = xstrdup(s && path ? path : s ? s->path : "");
	if (s) {
		sim_opts o = { 0 };
		o.has_seed = has_seed;
		o.seed = seed;
		o.pause_on_ask = 1;
		o.snapshot_every = UI_SNAPSHOT_EVERY;
		sc->run = sim_open(s, &o, err);
	} else {
		if (ndevices < 1 || ndevices > 16) {
			sb_add(err, "synclab: sim: --devices takes 1 to 16\n");
			free(sc->path);
			free(sc);
			return -1;
		}
		sc->run = scene_sandbox(ndevices, has_seed, seed, err);
	}
	if (sc->run == NULL) {
		free(sc->path);
		free(sc);
		return -1;
	}
	sc->focus = sim_ndevices(sc->run) > 0 ? 1 : 0;
	ui_scene_changed(a, sc, 0);
	ui_push(a, &ui_scene_screen, sc);
	return 0;
}
