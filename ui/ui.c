/*
** ui.c: the core of the terminal UI: start-up (locale, glyphs, colours,
** mouse), the screen stack, the input loop and the drawing functions that
** every screen uses.
**
** The loop (after ncdu's input_handle): redraw everything, wait for a
** key, handle KEY_RESIZE before anything else, then the "too small"
** screen, the help overlay, mouse clicks, and finally the top screen's
** own key handler, falling back to the global keys (? q Esc).
*/
#include "ui/ui-int.h"

#include <langinfo.h>
#include <locale.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "lib/xmem.h"
#include "ui/uq.h"

static const struct ui_glyphs ui_utf8_glyphs = {
	"\u2500", "\u2502", "\u250c", "\u2510", "\u2514", "\u2518",
	"\u251c", "\u2524",
	"\u25b6", "\u25c0",
	"\u2713", "\u2717", "\u25b6", "\u00b7", "\u2193", "\u2026",
	"\u25cf", "\u25cb"
};

static const struct ui_glyphs ui_ascii_glyphs = {
	"-", "|", "+", "+", "+", "+",
	"+", "+",
	">", "<",
	"v", "x", ">", ".", "v", "~",
	"*", "o"
};

/* The screens, by name: the Home menu and the command line open them
** through ui_screen_find(). */
static const struct ui_screen *const ui_screens[] = {
	&ui_home_screen,
	&ui_scene_screen,
	&ui_seq_screen,
	&ui_inspect_screen,
	&ui_quiz_screen,
	&ui_exam_screen,
	&ui_review_screen,
	&ui_stats_screen,
	&ui_help_screen,
	NULL
};

static const struct {
	short	fg, bg;
	attr_t	color, mono;
} ui_role_def[UI_NROLES] = {
#define R(name, fg, bg, ca, ma) { fg, bg, ca, ma },
	UI_ROLES
#undef R
};

/* Minimum size of the "too small" screen itself. */
#define UI_GLOBAL_MIN_W	44
#define UI_GLOBAL_MIN_H	12

const struct ui_screen *
ui_screen_find(const char *name)
{
	for (const struct ui_screen *const *s = ui_screens; *s; s++)
		if (strcmp((*s)->name, name) == 0)
			return *s;
	return NULL;
}

void
ui_push(struct ui_app *a, const struct ui_screen *s, void *st)
{
	if (a->depth == UI_MAXSTACK) {
		/* Cannot happen with the screens we have; refuse rather
		** than overflow. */
		if (s->close)
			s->close(a, st);
		ui_toast(a, "too many screens open");
		return;
	}
	a->stack[a->depth].s = s;
	a->stack[a->depth].st = st;
	a->depth++;
	a->help = 0;
}

void
ui_pop(struct ui_app *a)
{
	if (a->depth == 0)
		return;
	a->depth--;
	struct ui_frame f = a->stack[a->depth];
	if (f.s->close)
		f.s->close(a, f.st);
	a->tick_ms = 0;
	a->help = 0;
}

void
ui_close_free(struct ui_app *a, void *st)
{
	(void)a;
	free(st);
}

void
ui_pop_to(struct ui_app *a, void *st)
{
	while (a->depth > 0 && a->stack[a->depth - 1].st != st)
		ui_pop(a);
}

/* The index of the frame holding st, or -1. */
static int
ui_frame_of(const struct ui_app *a, const void *st)
{
	for (int i = a->depth - 1; i >= 0; i--)
		if (a->stack[i].st == st)
			return i;
	return -1;
}

const struct ui_screen *
ui_detach(struct ui_app *a, void *st)
{
	int i = ui_frame_of(a, st);
	if (i < 0)
		return NULL;
	const struct ui_screen *s = a->stack[i].s;
	memmove(&a->stack[i], &a->stack[i + 1],
	    (size_t)(a->depth - i - 1) * sizeof a->stack[0]);
	a->depth--;
	a->help = 0;
	return s;
}

void
ui_remove(struct ui_app *a, void *st)
{
	const struct ui_screen *s = ui_detach(a, st);
	if (s && s->close)
		s->close(a, st);
}

void
ui_swap(struct ui_app *a, void *st, const struct ui_screen *s)
{
	int i = ui_frame_of(a, st);
	if (i >= 0)
		a->stack[i].s = s;
	a->help = 0;
}

void
ui_toast(struct ui_app *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(a->toast, sizeof a->toast, fmt, ap);
	va_end(ap);
}

attr_t
ui_attr(const struct ui_app *a, enum ui_role r)
{
	if (a->color)
		return COLOR_PAIR((int)r + 1) | ui_role_def[r].color;
	return ui_role_def[r].mono;
}

/* Decodes one character of s (at most n bytes).  Returns its byte length
** (at least 1) and its width in *cw; undecodable bytes count as one '?'. */
static size_t
ui_char(const char *s, size_t n, int *cw, int *bad)
{
	mbstate_t ps;
	wchar_t wc;
	memset(&ps, 0, sizeof ps);
	*bad = 0;
	if ((unsigned char)*s < 0x80) {
		*cw = 1;
		return 1;
	}
	size_t len = mbrtowc(&wc, s, n, &ps);
	if (len == (size_t)-1 || len == (size_t)-2 || len == 0) {
		*cw = 1;
		*bad = 1;
		return 1;
	}
	int w = wcwidth(wc);
	if (w < 0) {
		*cw = 1;
		*bad = 1;
		return len;
	}
	*cw = w;
	return len;
}

int
ui_width(const char *s)
{
	int w = 0, cw, bad;
	size_t n = strlen(s);
	for (size_t i = 0; i < n; ) {
		i += ui_char(s + i, n - i, &cw, &bad);
		w += cw;
	}
	return w;
}

size_t
ui_fit(const char *s, int w)
{
	int used = 0, cw, bad;
	size_t n = strlen(s), i = 0;
	while (i < n) {
		size_t l = ui_char(s + i, n - i, &cw, &bad);
		if (used + cw > w)
			break;
		used += cw;
		i += l;
	}
	return i;
}

/*
** Layout checks.  Headless runs (the layout test) note, for every cell of
** a frame, which text put wrote it.  A put that writes a visible
** character over another put's visible character overprints it; one that
** starts right after another's last character, on the same line, runs
** into it ("[challengedone") unless it is the very next put continuing
** the same text (a key and its label, a request and its outcome).
** Fills and borders free the cells they cover: a dialog drawn over a
** screen owns its box.
*/
static struct ui_app *ui_chk;

static unsigned *
ui_own(int y, int x)
{
	struct ui_app *a = ui_chk;
	if (a == NULL || y < 0 || x < 0 || y >= a->own_h || x >= a->own_w)
		return NULL;
	return &a->own[(size_t)y * (size_t)a->own_w + (size_t)x];
}

static void
ui_own_clear(int y, int x, int w)
{
	for (int i = 0; i < w; i++) {
		unsigned *o = ui_own(y, x + i);
		if (o)
			*o = 0;
	}
}

static unsigned ui_chk_reported;	/* the put last reported */

static void
ui_problem(const char *what, int y, int x, const char *s)
{
	struct ui_app *a = ui_chk;
	if (a == NULL || ui_chk_reported == a->nput)
		return;
	ui_chk_reported = a->nput;	/* one report per put */
	/* One line per problem; a text longer than a line is cut here. */
	sb_addf(&a->problems, "%s at %d,%d: \"%.60s\"\n", what, y, x, s);
}

/* Notes that put number id wrote a visible character of width cw at
** (y, x); reports what it overprints or runs into. */
static void
ui_own_note(unsigned id, int y, int x, int cw, int first, const char *s)
{
	struct ui_app *a = ui_chk;
	for (int i = 0; i < cw; i++) {
		unsigned *o = ui_own(y, x + i);
		if (o == NULL)
			continue;
		if (*o && *o != id)
			ui_problem("overprint", y, x, s);
		*o = id;
	}
	if (first && x > 0) {
		unsigned *l = ui_own(y, x - 1);
		if (l && *l && *l != id && !(*l == a->last_put &&
		    a->last_y == y && a->last_x == x))
			ui_problem("run together", y, x, s);
	}
	unsigned *r = ui_own(y, x + cw);
	if (r && *r && *r != id)
		ui_problem("run together", y, x + cw, s);
}

int
ui_put(int y, int x, int maxw, attr_t at, const char *s)
{
	if (maxw <= 0 || s == NULL)
		return 0;
	int used = 0, cw, bad;
	size_t n = strlen(s), i = 0;
	unsigned id = ui_chk ? ++ui_chk->nput : 0;
	int first = 1;
	attrset((int)at);
	move(y, x);
	while (i < n) {
		size_t l = ui_char(s + i, n - i, &cw, &bad);
		if (used + cw > maxw)
			break;
		unsigned char c = (unsigned char)s[i];
		int blank = !bad && (c < 0x20 || c == 0x7f || c == ' ');
		if (bad)
			addch('?');
		else if (c < 0x20 || c == 0x7f)
			addch(' ');
		else
			addnstr(s + i, (int)l);
		if (id && !blank && cw > 0) {
			ui_own_note(id, y, x + used, cw, first, s);
			first = 0;
		} else if (id && blank)
			first = 0;
		used += cw;
		i += l;
	}
	attrset(A_NORMAL);
	if (id && used > 0) {
		ui_chk->last_put = id;
		ui_chk->last_y = y;
		ui_chk->last_x = x + used;
	}
	return used;
}

int
ui_put_whole(int y, int x, int maxw, attr_t at, const char *s)
{
	if (ui_width(s) <= maxw)
		return ui_put(y, x, maxw, at, s);
	ui_problem("cut", y, x, s);
	if (ui_chk == NULL && maxw > 1) {
		int used = ui_put(y, x, maxw - 1, at, s);
		return used + ui_put(y, x + used, 1, at, "~");
	}
	return ui_put(y, x, maxw, at, s);
}

int
ui_put_cut(struct ui_app *a, int y, int x, int maxw, attr_t at,
    const char *s)
{
	if (maxw <= 0 || s == NULL)
		return 0;
	if (ui_width(s) <= maxw)
		return ui_put(y, x, maxw, at, s);
	if (maxw == 1)
		return ui_put(y, x, 1, at, a->g->ellipsis);
	size_t fit = ui_fit(s, maxw - 1);
	char *t = xstrndup(s, fit);
	/* The ellipsis continues the text: one put. */
	char *u = xasprintf("%s%s", t, a->g->ellipsis);
	int used = ui_put(y, x, maxw, at, u);
	free(u);
	free(t);
	return used;
}

int
ui_putf(int y, int x, int maxw, attr_t at, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	return ui_put(y, x, maxw, at, buf);
}

void
ui_fill(int y, int x, int w, attr_t at)
{
	if (w <= 0)
		return;
	ui_own_clear(y, x, w);
	attrset((int)at);
	mvhline(y, x, ' ', w);
	attrset(A_NORMAL);
}

void
ui_hline(struct ui_app *a, int y, int x, int w, attr_t at)
{
	ui_own_clear(y, x, w);
	attrset((int)at);
	for (int i = 0; i < w; i++)
		mvaddstr(y, x + i, a->g->h);
	attrset(A_NORMAL);
}

void
ui_box(struct ui_app *a, int y, int x, int h, int w, const char *title,
    int focus)
{
	if (h < 2 || w < 2)
		return;
	attr_t at = ui_attr(a, focus ? UI_FOCUS : UI_BORDER);
	ui_own_clear(y, x, w);
	ui_own_clear(y + h - 1, x, w);
	for (int i = 1; i < h - 1; i++) {
		ui_own_clear(y + i, x, 1);
		ui_own_clear(y + i, x + w - 1, 1);
	}
	attrset((int)at);
	mvaddstr(y, x, a->g->tl);
	mvaddstr(y, x + w - 1, a->g->tr);
	mvaddstr(y + h - 1, x, a->g->bl);
	mvaddstr(y + h - 1, x + w - 1, a->g->br);
	for (int i = 1; i < w - 1; i++) {
		mvaddstr(y, x + i, a->g->h);
		mvaddstr(y + h - 1, x + i, a->g->h);
	}
	for (int i = 1; i < h - 1; i++) {
		mvaddstr(y + i, x, a->g->v);
		mvaddstr(y + i, x + w - 1, a->g->v);
	}
	attrset(A_NORMAL);
	if (title && *title && w > 4) {
		/* Focus is also shown without colour: the title is bold and
		** bracketed by markers. */
		char buf[256];
		attr_t tat = focus ? ui_attr(a, UI_FOCUS) | A_BOLD :
		    ui_attr(a, UI_HEAD);
		snprintf(buf, sizeof buf, focus ? "[%s]" : " %s ", title);
		if (ui_width(buf) <= w - 2)
			ui_put(y, x + 1, w - 2, tat, buf);
		else {
			/* Cut with an ellipsis, the brackets kept. */
			char *t = xstrndup(title, ui_fit(title, w - 5));
			snprintf(buf, sizeof buf, focus ? "[%s%s]" : " %s%s ",
			    t, a->g->ellipsis);
			free(t);
			ui_put(y, x + 1, w - 2, tat, buf);
		}
	}
}

int
ui_wrap(const char *s, int w, sb *out)
{
	int lines = 0;
	if (w < 1)
		w = 1;
	while (*s) {
		/* One paragraph up to '\n'. */
		const char *nl = strchr(s, '\n');
		size_t plen = nl ? (size_t)(nl - s) : strlen(s);
		char *para = xstrndup(s, plen);
		const char *p = para;
		if (*p == '\0') {
			sb_addc(out, '\n');
			lines++;
		}
		while (*p) {
			size_t fit = ui_fit(p, w);
			size_t cut = fit;
			if (p[fit] != '\0') {
				/* Break at the last space that fits. */
				size_t sp = fit;
				while (sp > 0 && p[sp] != ' ')
					sp--;
				if (sp > 0)
					cut = sp;
				if (cut == 0)
					cut = 1;
			}
			sb_addn(out, p, cut);
			sb_addc(out, '\n');
			lines++;
			p += cut;
			while (*p == ' ')
				p++;
		}
		free(para);
		s += plen;
		if (*s == '\n')
			s++;
	}
	return lines;
}

void
ui_cursor(struct ui_app *a, int y, int x)
{
	a->cur_y = y;
	a->cur_x = x;
}

void
ui_hit(struct ui_app *a, int y, int x, int h, int w, int id)
{
	if (a->nhits == UI_MAXHITS)
		return;
	struct ui_hit *t = &a->hits[a->nhits++];
	t->y = y;
	t->x = x;
	t->h = h;
	t->w = w;
	t->id = id;
}

void
ui_modal_box(struct ui_app *a, int h, int w, const char *title, int *iy,
    int *ix, int *ih, int *iw)
{
	if (w > a->w - 2)
		w = a->w - 2;
	if (h > a->h - 2)
		h = a->h - 2;
	int y = (a->h - h) / 2, x = (a->w - w) / 2;
	for (int i = 0; i < h; i++)
		ui_fill(y + i, x, w, ui_attr(a, UI_NORMAL));
	ui_box(a, y, x, h, w, title, 1);
	*iy = y + 1;
	*ix = x + 2;
	*ih = h - 2;
	*iw = w - 4;
}

/* 1 when the bar shows k now. */
static int
ui_key_shown(const struct ui_app *a, const struct ui_key *k)
{
	return k->bar && (k->when == 0 || (k->when & a->key_flags));
}

/* The entry that goes back ("q back", "q quit"...): always kept. */
static const struct ui_key *
ui_key_back(const struct ui_app *a, const struct ui_key *keys)
{
	for (const struct ui_key *k = keys; k && k->keys; k++)
		if (ui_key_shown(a, k) && k->bar[0] == 'q' && k->bar[1] == ' ')
			return k;
	return NULL;
}

/* Draws one entry: its key (the text before the first space) in the key
** role, then the label. */
static void
ui_key_entry(struct ui_app *a, int y, int x, const char *label)
{
	const char *sp = strchr(label, ' ');
	size_t klen = sp ? (size_t)(sp - label) : strlen(label);
	char kbuf[32];
	snprintf(kbuf, sizeof kbuf, "%.*s", (int)klen, label);
	int used = ui_put_whole(y, x, a->w - x, ui_attr(a, UI_KEY), kbuf);
	if (sp)
		ui_put_whole(y, x + used, a->w - x - used,
		    ui_attr(a, UI_NORMAL), sp);
}

/*
** Lays the key bar out from line y0 on, at most nlines lines; with draw
** 0 it only counts.  Returns the lines the keys need.  The right end of
** the last line is kept for the back entry ("q back") and "? help", so
** those two are always there; an entry that does not fit is left out
** whole (the help overlay lists it), never cut.
*/
static int
ui_keybar_lay(struct ui_app *a, const struct ui_key *keys, int y0,
    int nlines, int draw)
{
	const struct ui_key *back = ui_key_back(a, keys);
	int reserve = 7 + (back ? ui_width(back->bar) + 2 : 0);
	int line = 0, x = 0;
	for (const struct ui_key *k = keys; k && k->keys; k++) {
		if (!ui_key_shown(a, k) || k == back)
			continue;
		int need = ui_width(k->bar) + 2;
		if (x + need > a->w - (line + 1 >= nlines ? reserve : 0)) {
			if (line + 1 >= nlines && !draw)
				return line + 2;	/* needs another line */
			if (line + 1 < nlines) {
				line++;
				x = 0;
			}
			if (x + need > a->w - (line + 1 >= nlines ? reserve :
			    0))
				continue;	/* left out: see the help */
		}
		if (draw)
			ui_key_entry(a, y0 + line, x, k->bar);
		x += need;
	}
	if (draw && back)
		ui_key_entry(a, y0 + nlines - 1, a->w - reserve + 1, back->bar);
	return line + 1;
}

int
ui_keybar_height(struct ui_app *a, const struct ui_key *keys)
{
	return ui_keybar_lay(a, keys, 0, 1, 0) > 1 ? 2 : 1;
}

void
ui_keybar(struct ui_app *a, const struct ui_key *keys)
{
	int n = a->bar2 ? ui_keybar_height(a, keys) : 1;
	int y = a->h - n;
	for (int i = 0; i < n; i++)
		ui_fill(y + i, 0, a->w, ui_attr(a, UI_NORMAL));
	if (a->toast[0]) {
		/* The toast takes the first line; keys go on below it.  A
		** toast longer than the line wraps onto the key line rather
		** than losing its end. */
		sb t = SB_INIT;
		int tl = ui_wrap(a->toast, a->w - 2, &t);
		int room = n > 1 && tl > 1 ? 2 : 1;
		char *p = t.s;
		for (int i = 0; i < room && p && *p; i++) {
			char *nl = strchr(p, '\n');
			*nl = '\0';
			ui_fill(y + i, 0, a->w, ui_attr(a, UI_TOAST));
			ui_put(y + i, 1, a->w - 2, ui_attr(a, UI_TOAST), p);
			p = nl + 1;
		}
		sb_free(&t);
		if (n == room)
			return;
		y += room;
		n -= room;
	}
	ui_keybar_lay(a, keys, y, n, 1);
	ui_key_entry(a, y + n - 1, a->w - 6, "? help");
}

void
ui_line_set(struct ui_line *l, const char *s)
{
	size_t n = strlen(s);
	if (n >= UI_LINEMAX)
		n = UI_LINEMAX - 1;
	memcpy(l->buf, s, n);
	l->buf[n] = '\0';
	l->len = n;
}

int
ui_line_key(struct ui_line *l, int ch)
{
	if (ch == KEY_BACKSPACE || ch == 127 || ch == 8) {
		/* Remove one whole UTF-8 character. */
		while (l->len > 0) {
			l->len--;
			if (((unsigned char)l->buf[l->len] & 0xc0) != 0x80)
				break;
		}
		l->buf[l->len] = '\0';
		return 1;
	}
	if (ch == 21) {		/* ^U */
		l->len = 0;
		l->buf[0] = '\0';
		return 1;
	}
	if (ch == 23) {		/* ^W: the last word */
		while (l->len > 0 && l->buf[l->len - 1] == ' ')
			l->len--;
		while (l->len > 0 && l->buf[l->len - 1] != ' ')
			l->len--;
		l->buf[l->len] = '\0';
		return 1;
	}
	if ((ch >= 0x20 && ch < 0x7f) || (ch >= 0x80 && ch <= 0xff)) {
		if (l->len + 1 < UI_LINEMAX) {
			l->buf[l->len++] = (char)ch;
			l->buf[l->len] = '\0';
		}
		return 1;
	}
	return 0;
}

void
ui_line_draw(struct ui_app *a, const struct ui_line *l, int y, int x, int w,
    attr_t at)
{
	ui_fill(y, x, w, at);
	/* Show the end of the text when it is longer than the field. */
	const char *s = l->buf;
	while (ui_width(s) > w - 1 && *s) {
		s++;
		while ((*s & 0xc0) == 0x80)
			s++;
	}
	int used = ui_put(y, x, w - 1, at, s);
	ui_cursor(a, y, x + used);
}

/* The keys every screen has (ui_key applies them). */
static const struct ui_key ui_global_keys[] = {
	{ "?, F1", "show or hide this help", NULL, 0 },
	{ "q", "go back (quit on the first screen); asks first where "
	  "work would be lost", NULL, 0 },
	{ "Esc", "close a dialog or this help", NULL, 0 },
	{ "Ctrl-L", "redraw the screen", NULL, 0 },
	{ NULL, NULL, NULL, 0 }
};

/* The help overlay's own keys (shown in its last line). */
#define UI_HELP_FOOT "j/k, PgDn/PgUp scroll; ?, q or Esc close"

/*
** The help overlay: every key of the top screen (the same table its key
** bar draws from), then the global ones, as a scrolling list in a box
** as wide as the screen allows.  Descriptions wrap beside their key.
*/
static void
ui_draw_help(struct ui_app *a)
{
	const struct ui_screen *s = a->stack[a->depth - 1].s;
	const struct ui_key *lists[2] = { s->keys, ui_global_keys };
	int kw = 0;
	for (int li = 0; li < 2; li++)
		for (const struct ui_key *k = lists[li]; k && k->keys; k++)
			if (ui_width(k->keys) > kw)
				kw = ui_width(k->keys);
	int w = a->w - 2 < 78 ? a->w - 2 : 78;
	if (kw > (w - 4) / 2)
		kw = (w - 4) / 2;
	int dw = w - 4 - kw - 2;
	/* The lines: key, description (wrapped); a blank between lists. */
	sb body = SB_INIT;
	int nl = 0;
	for (int li = 0; li < 2; li++) {
		if (li)
			sb_add(&body, "\t\n"), nl++;
		for (const struct ui_key *k = lists[li]; k && k->keys; k++) {
			sb d = SB_INIT;
			ui_wrap(k->help, dw, &d);
			int first = 1;
			for (char *p = d.s, *e; p && *p; p = e + 1) {
				e = strchr(p, '\n');
				sb_addf(&body, "%s\t%.*s\n", first ? k->keys : "",
				    (int)(e - p), p);
				first = 0;
				nl++;
			}
			sb_free(&d);
		}
	}
	int h = nl + 3, iy, ix, ih, iw;
	char title[96];
	snprintf(title, sizeof title, "Keys: %s", s->title);
	ui_modal_box(a, h, w, title, &iy, &ix, &ih, &iw);
	int rows = ih - 1;
	a->help_lines = nl;
	if (a->help_scroll > nl - rows)
		a->help_scroll = nl - rows > 0 ? nl - rows : 0;
	int i = 0, y = iy;
	for (char *p = body.s, *e; p && *p && y < iy + rows; p = e + 1, i++) {
		e = strchr(p, '\n');
		*e = '\0';
		if (i < a->help_scroll)
			continue;
		char *tab = strchr(p, '\t');
		*tab = '\0';
		if (*p)
			ui_put_cut(a, y, ix, kw, ui_attr(a, UI_KEY), p);
		ui_put(y, ix + kw + 2, iw - kw - 2, ui_attr(a, UI_NORMAL),
		    tab + 1);
		y++;
	}
	sb_free(&body);
	char foot[128];
	if (nl > rows)
		snprintf(foot, sizeof foot, "lines %d-%d of %d; " UI_HELP_FOOT,
		    a->help_scroll + 1, a->help_scroll + rows, nl);
	else
		snprintf(foot, sizeof foot, "%s", UI_HELP_FOOT);
	ui_put_cut(a, iy + ih - 1, ix, iw, ui_attr(a, UI_DIM), foot);
	ui_cursor(a, iy, ix);
}

/* A key while the help overlay is up: scroll, or close it. */
static void
ui_help_key(struct ui_app *a, int ch)
{
	int page = a->h - 6 > 1 ? a->h - 6 : 1;
	switch (ch) {
	case 'j': case KEY_DOWN:
		a->help_scroll++;
		break;
	case 'k': case KEY_UP:
		if (a->help_scroll > 0)
			a->help_scroll--;
		break;
	case KEY_NPAGE: case ' ':
		a->help_scroll += page;
		break;
	case KEY_PPAGE:
		a->help_scroll = a->help_scroll > page ? a->help_scroll -
		    page : 0;
		break;
	case KEY_HOME: case 'g':
		a->help_scroll = 0;
		break;
	case KEY_END: case 'G':
		a->help_scroll = a->help_lines;
		break;
	default:
		a->help = 0;
		a->help_scroll = 0;
	}
}

static void
ui_draw_small(struct ui_app *a, int need_w, int need_h)
{
	char buf[160];
	erase();
	ui_put(0, 0, a->w, ui_attr(a, UI_ERR), "Terminal too small");
	snprintf(buf, sizeof buf, "This is %dx%d; %s needs at least %dx%d.",
	    a->w, a->h, a->stack[a->depth - 1].s->title, need_w, need_h);
	sb lines = SB_INIT;
	ui_wrap(buf, a->w, &lines);
	ui_wrap(a->depth > 1 ? "Make the window larger, or press q to go "
	    "back (you are asked first if anything would be lost)." :
	    "Make the window larger, or press q to leave (you are asked "
	    "first if anything would be lost).", a->w, &lines);
	int y = 2;
	for (char *p = lines.s, *nl; p && *p && y < a->h; p = nl + 1) {
		nl = strchr(p, '\n');
		*nl = '\0';
		ui_put(y++, 0, a->w, ui_attr(a, UI_NORMAL), p);
	}
	sb_free(&lines);
	ui_cursor(a, 0, 0);
}

/* The minimum size for what is on the stack now. */
static void
ui_need(const struct ui_app *a, int *w, int *h)
{
	*w = UI_GLOBAL_MIN_W;
	*h = UI_GLOBAL_MIN_H;
	for (int i = 0; i < a->depth; i++) {
		const struct ui_screen *s = a->stack[i].s;
		if (s->min_w > *w)
			*w = s->min_w;
		if (s->min_h > *h)
			*h = s->min_h;
	}
}

static int
ui_too_small(const struct ui_app *a)
{
	int w, h;
	ui_need(a, &w, &h);
	return a->w < w || a->h < h;
}

static void
ui_redraw(struct ui_app *a)
{
	getmaxyx(stdscr, a->h, a->w);
	erase();
	if (a->check) {
		if (a->own_w != a->w || a->own_h != a->h) {
			free(a->own);
			a->own = xcalloc((size_t)a->w * (size_t)a->h,
			    sizeof *a->own);
			a->own_w = a->w;
			a->own_h = a->h;
		}
		memset(a->own, 0, (size_t)a->w * (size_t)a->h *
		    sizeof *a->own);
		a->nput = 0;
		a->last_put = 0;
		ui_chk_reported = 0;
		sb_reset(&a->problems);
		ui_chk = a;
	}
	a->nhits = 0;
	a->bar2 = 0;
	a->cur_y = a->h - 1;
	a->cur_x = 0;
	if (a->depth == 0) {
		wnoutrefresh(stdscr);
		doupdate();
		return;
	}
	int need_w, need_h;
	ui_need(a, &need_w, &need_h);
	a->key_flags = 0;
	if (a->w < need_w || a->h < need_h) {
		/* A dialog opened from here (q asking first) is drawn over
		** the notice: it fits any size. */
		const struct ui_frame *t = &a->stack[a->depth - 1];
		if (t->s->modal && t->s->min_w == 0) {
			int d = a->depth;
			a->depth--;
			ui_need(a, &need_w, &need_h);
			ui_draw_small(a, need_w, need_h);
			a->depth = d;
			t->s->draw(a, t->st);
		} else
			ui_draw_small(a, need_w, need_h);
	} else {
		/* Draw from the last non-modal screen up. */
		int base = a->depth - 1;
		while (base > 0 && a->stack[base].s->modal)
			base--;
		for (int i = base; i < a->depth; i++) {
			/* Clicks go to the top screen: a dialog drops the
			** targets of the screens under it. */
			if (i == a->depth - 1 && i > base)
				a->nhits = 0;
			a->stack[i].s->draw(a, a->stack[i].st);
		}
		ui_keybar(a, a->stack[a->depth - 1].s->keys);
		if (a->help)
			ui_draw_help(a);
	}
	move(a->cur_y, a->cur_x);
	wnoutrefresh(stdscr);
	doupdate();
	ui_chk = NULL;
}

static void
ui_mouse(struct ui_app *a)
{
	MEVENT ev;
	if (getmouse(&ev) != OK)
		return;
	if (!(ev.bstate & (BUTTON1_CLICKED | BUTTON1_PRESSED |
	    BUTTON1_RELEASED)))
		return;
	for (int i = a->nhits - 1; i >= 0; i--) {
		struct ui_hit *t = &a->hits[i];
		if (ev.y >= t->y && ev.y < t->y + t->h && ev.x >= t->x &&
		    ev.x < t->x + t->w) {
			struct ui_frame *f = &a->stack[a->depth - 1];
			/* Hits reach the screen as keys above KEY_MAX. */
			f->s->key(a, f->st, KEY_MAX + 1 + t->id);
			return;
		}
	}
}

/* Handles one key; returns 1 when something used it (a screen, the
** help overlay, a global key), 0 when nothing did. */
static int
ui_key(struct ui_app *a, int ch)
{
	if (ch == KEY_RESIZE) {
		getmaxyx(stdscr, a->h, a->w);
		clearok(curscr, TRUE);
		return 1;
	}
	a->toast[0] = '\0';
	if (a->depth == 0) {
		a->quit = 1;
		return 1;
	}
	if (ui_too_small(a)) {
		/* q means back here too: the top screen sees it first, so
		** one that would lose work (an exam, a sandbox) asks; its
		** dialog then takes the keys. */
		struct ui_frame *t = &a->stack[a->depth - 1];
		if (t->s->modal && t->s->min_w == 0) {
			if (!t->s->key(a, t->st, ch) && (ch == 27 || ch == 'q'))
				ui_pop(a);
		} else if (ch == 'q' || ch == 'Q') {
			if (!t->s->key(a, t->st, 'q'))
				ui_pop(a);
		}
		if (a->depth == 0)
			a->quit = 1;
		return 1;
	}
	if (ch == 12) {		/* ^L */
		clearok(curscr, TRUE);
		return 1;
	}
	if (a->help) {
		ui_help_key(a, ch);
		return 1;
	}
	if (ch == KEY_MOUSE) {
		ui_mouse(a);
		return 1;
	}
	struct ui_frame *f = &a->stack[a->depth - 1];
	if (f->s->key(a, f->st, ch))
		return 1;
	if (ch == '?' || ch == KEY_F(1)) {
		a->help = 1;
		a->help_scroll = 0;
		return 1;
	}
	if (ch == 'q' || (ch == 27 && f->s->modal)) {
		ui_pop(a);
		if (a->depth == 0)
			a->quit = 1;
		return 1;
	}
	return 0;
}

static void
ui_colors(struct ui_app *a)
{
	const char *nc = getenv("NO_COLOR");
	a->color = !a->opts.no_color && !(nc && *nc) && has_colors();
	if (!a->color)
		return;
	start_color();
	use_default_colors();
	for (int i = 0; i < UI_NROLES; i++)
		init_pair((short)(i + 1), ui_role_def[i].fg, ui_role_def[i].bg);
}

static void
ui_setup(struct ui_app *a)
{
	const char *cs = nl_langinfo(CODESET);
	a->utf8 = !a->opts.ascii && cs && strcmp(cs, "UTF-8") == 0;
	a->g = a->utf8 ? &ui_utf8_glyphs : &ui_ascii_glyphs;
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	set_escdelay(25);
	ui_colors(a);
	a->mouse = 0;
	if (!a->opts.no_mouse && !a->headless) {
		mousemask(BUTTON1_CLICKED | BUTTON1_PRESSED, NULL);
		mouseinterval(0);
		a->mouse = 1;
	}
	getmaxyx(stdscr, a->h, a->w);
}

/* Puts the start screen of a->opts on the stack: s with its state st when
** it was made before the terminal started (the quiz screens), else the
** Home screen or a scenario view.  0, or -1 with err. */
static int
ui_start_screen(struct ui_app *a, const struct ui_screen *s, void *st,
    sb *err)
{
	if (s) {
		ui_push(a, s, st);
		return 0;
	}
	switch (a->opts.start) {
	case UI_START_HOME:
		ui_home_open(a);
		return 0;
	case UI_START_SANDBOX:
		return ui_scene_open(a, NULL, a->opts.scn, a->opts.ndevices ?
		    a->opts.ndevices : 3, a->opts.has_seed, a->opts.seed, err);
	case UI_START_SCENARIO:
		return ui_scene_open(a, a->opts.scenario, a->opts.scn, 0,
		    a->opts.has_seed, a->opts.seed, err);
	case UI_START_PRACTICE:
	case UI_START_EXAM:
	case UI_START_REVIEW:
	case UI_START_STATS:
		break;		/* made by uq_start() */
	}
	sb_add(err, "synclab: no start screen\n");
	return -1;
}

/* The quiz start screens, before the terminal starts: 0 with *s and *st
** (NULL for the other screens), or -1 after saying why into err. */
static int
ui_prestart(const ui_opts *o, const struct ui_screen **s, void **st,
    sb *err)
{
	*s = NULL;
	*st = NULL;
	return uq_start(o, s, st, err) < 0 ? -1 : 0;
}

static void
ui_free_stack(struct ui_app *a)
{
	while (a->depth > 0)
		ui_pop(a);
}

/* The loop of ui_main: start on s/st when given (see
** ui_start_screen). */
static int
ui_run(const ui_opts *o, const struct ui_screen *s, void *st)
{
	struct ui_app *a = xcalloc(1, sizeof *a);
	a->opts = *o;
	setlocale(LC_ALL, "");
	sb err = SB_INIT;
	if (initscr() == NULL) {
		fprintf(stderr, "synclab: cannot start the terminal UI\n");
		if (s && s->close)
			s->close(NULL, st);
		free(a);
		return 1;
	}
	ui_setup(a);
	if (ui_start_screen(a, s, st, &err) != 0) {
		endwin();
		fputs(sb_str(&err), stderr);
		sb_free(&err);
		free(a);
		return 1;
	}
	sb_free(&err);
	while (!a->quit) {
		ui_redraw(a);
		timeout(a->tick_ms > 0 ? a->tick_ms : -1);
		int ch = getch();
		if (ch == ERR) {
			struct ui_frame *f = &a->stack[a->depth - 1];
			if (a->tick_ms > 0 && f->s->tick)
				f->s->tick(a, f->st);
			continue;
		}
		/* Was another key already waiting?  (Typed ahead: a
		** burst or a paste; see uq_guard_arm.) */
		timeout(0);
		int next = getch();
		if (next != ERR)
			ungetch(next);
		a->typeahead = next != ERR;
		ui_key(a, ch);
		if (a->depth == 0)
			a->quit = 1;
	}
	ui_free_stack(a);
	endwin();
	if (a->after.len)
		fputs(sb_str(&a->after), stdout);
	sb_free(&a->after);
	int rc = a->status;
	free(a);
	return rc;
}

int
ui_main(const ui_opts *o)
{
	const struct ui_screen *s;
	void *st;
	sb err = SB_INIT;
	if (ui_prestart(o, &s, &st, &err) != 0) {
		fputs(sb_str(&err), stderr);
		sb_free(&err);
		return 1;
	}
	sb_free(&err);
	return ui_run(o, s, st);
}

ui_app *
ui_headless_new(const ui_opts *o, int cols, int lines, FILE *out, sb *err)
{
	const struct ui_screen *s;
	void *st;
	if (ui_prestart(o, &s, &st, err) != 0)
		return NULL;
	struct ui_app *a = xcalloc(1, sizeof *a);
	a->opts = *o;
	a->headless = 1;
	a->check = 1;
	a->opts.no_mouse = 1;
	setlocale(LC_ALL, "");
	char buf[32];
	/* newterm() sizes the screen from LINES and COLUMNS. */
	snprintf(buf, sizeof buf, "%d", lines);
	setenv("LINES", buf, 1);
	snprintf(buf, sizeof buf, "%d", cols);
	setenv("COLUMNS", buf, 1);
	a->hin = fopen("/dev/null", "r");
	a->term = a->hin ? newterm("xterm-256color", out, a->hin) : NULL;
	if (a->term == NULL) {
		sb_add(err, a->hin ? "newterm failed\n" :
		    "cannot open /dev/null\n");
		if (a->hin)
			fclose(a->hin);
		if (s && s->close)
			s->close(NULL, st);
		free(a);
		return NULL;
	}
	set_term(a->term);
	ui_setup(a);
	if (ui_start_screen(a, s, st, err) != 0) {
		endwin();
		delscreen(a->term);
		fclose(a->hin);
		free(a);
		return NULL;
	}
	ui_redraw(a);
	return a;
}

void
ui_headless_typeahead(ui_app *a, int on)
{
	a->typeahead = on;
}

int
ui_headless_key(ui_app *a, int key)
{
	int used = ui_key(a, key);
	if (a->depth > 0)
		ui_redraw(a);
	return used;
}

void
ui_headless_frame(ui_app *a)
{
	clearok(curscr, TRUE);
	ui_redraw(a);
}

size_t
ui_headless_pos(ui_app *a)
{
	struct ui_scene *sc = ui_scene_find(a);
	return sc ? sim_pos(sc->run) : 0;
}

size_t
ui_headless_count(ui_app *a)
{
	struct ui_scene *sc = ui_scene_find(a);
	return sc ? sim_count(sc->run) : 0;
}

size_t
ui_headless_check(ui_app *a, sb *out)
{
	size_t n = 0;
	for (const char *p = sb_str(&a->problems); *p; p++)
		n += *p == '\n';
	sb_add(out, sb_str(&a->problems));
	return n;
}

const char *
ui_headless_top(ui_app *a)
{
	return a->depth ? a->stack[a->depth - 1].s->name : "";
}

void
ui_headless_free(ui_app *a)
{
	if (a == NULL)
		return;
	free(a->own);
	sb_free(&a->problems);
	ui_free_stack(a);
	endwin();
	delscreen(a->term);
	fclose(a->hin);
	sb_free(&a->after);
	free(a);
}
