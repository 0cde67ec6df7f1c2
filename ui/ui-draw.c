/*
** ui-draw.c: the drawing functions every screen uses: text measured in
** columns (multibyte aware), puts that never run past their width, boxes,
** word wrap, the key bar and the one-line text field; and the layout
** checks that headless runs make of every put.
*/
#include "ui/ui-int.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "lib/xmem.h"

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
static unsigned ui_chk_reported;	/* the put last reported */

void
ui_layout_check(struct ui_app *a)
{
	if (a != NULL)
		ui_chk_reported = 0;
	ui_chk = a;
}

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
