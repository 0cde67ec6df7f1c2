/*
** dump.c: the screen of a headless UI as text (ui_headless_dump), for the
** golden-screen tests and the captures in docs/screens/.
**
** The text is read back from ncurses' own copy of the screen (stdscr after
** a redraw), cell by cell, as tig's :save-display does: what a terminal
** would show, not what the code meant to draw.  Styles are written as one
** letter per cell, with a legend naming each letter's colour role and
** attributes, so that a test sees colour and monochrome apart.
*/
#include "ui/ui-int.h"

#include <stdint.h>
#include <stdlib.h>
#include <wchar.h>

#include "lib/xmem.h"

static const char *const dump_role_names[] = {
#define R(name, fg, bg, ca, ma) #name,
	UI_ROLES
#undef R
};

/* Appends code point c as UTF-8 (whatever the locale). */
static void
dump_utf8(sb *b, uint32_t c)
{
	char s[4];
	if (c < 0x80) {
		sb_addc(b, (char)c);
		return;
	}
	if (c < 0x800) {
		s[0] = (char)(0xC0 | (c >> 6));
		s[1] = (char)(0x80 | (c & 0x3F));
		sb_addn(b, s, 2);
	} else if (c < 0x10000) {
		s[0] = (char)(0xE0 | (c >> 12));
		s[1] = (char)(0x80 | ((c >> 6) & 0x3F));
		s[2] = (char)(0x80 | (c & 0x3F));
		sb_addn(b, s, 3);
	} else {
		s[0] = (char)(0xF0 | (c >> 18));
		s[1] = (char)(0x80 | ((c >> 12) & 0x3F));
		s[2] = (char)(0x80 | ((c >> 6) & 0x3F));
		s[3] = (char)(0x80 | (c & 0x3F));
		sb_addn(b, s, 4);
	}
}

/* The attributes a style is told apart by (not the character set). */
#define DUMP_ATTRS	(A_BOLD | A_DIM | A_UNDERLINE | A_REVERSE | \
			 A_STANDOUT | A_BLINK | A_ITALIC)

/* The styles met so far, in order: the letter of style i is dump_letter(i). */
struct dump_styles {
	attr_t	at[52];
	short	pair[52];
	int	n;
};

static char
dump_letter(int i)
{
	return i == 0 ? '.' : i < 27 ? (char)('a' + i - 1) :
	    i < 52 ? (char)('A' + i - 27) : '?';
}

static char
dump_style(struct dump_styles *st, attr_t at, short pair)
{
	at &= DUMP_ATTRS;
	for (int i = 0; i < st->n; i++)
		if (st->at[i] == at && st->pair[i] == pair)
			return dump_letter(i);
	if (st->n == 52)
		return '?';
	st->at[st->n] = at;
	st->pair[st->n] = pair;
	return dump_letter(st->n++);
}

static void
dump_legend(const struct dump_styles *st, sb *out)
{
	static const struct {
		attr_t		 a;
		const char	*name;
	} names[] = {
		{ A_BOLD, "bold" }, { A_DIM, "dim" },
		{ A_UNDERLINE, "underline" }, { A_REVERSE, "reverse" },
		{ A_STANDOUT, "standout" }, { A_BLINK, "blink" },
		{ A_ITALIC, "italic" }
	};
	for (int i = 0; i < st->n; i++) {
		sb_addf(out, "%c", dump_letter(i));
		short p = st->pair[i];
		if (p > 0 && p <= UI_NROLES)
			sb_addf(out, " %s", dump_role_names[p - 1]);
		else if (p > 0)
			sb_addf(out, " pair%d", p);
		for (size_t k = 0; k < sizeof names / sizeof names[0]; k++)
			if (st->at[i] & names[k].a)
				sb_addf(out, " %s", names[k].name);
		if (p == 0 && st->at[i] == 0)
			sb_add(out, " normal");
		sb_addc(out, '\n');
	}
}

void
ui_headless_dump(ui_app *a, int styles, sb *out)
{
	int h, w, cy, cx;
	(void)a;
	getmaxyx(stdscr, h, w);
	getyx(stdscr, cy, cx);
	struct dump_styles st = { { 0 }, { 0 }, 1 };	/* '.': normal */
	sb map = SB_INIT, line = SB_INIT, mline = SB_INIT;
	cchar_t *row = xcalloc((size_t)w + 1, sizeof *row);
	for (int y = 0; y < h; y++) {
		/* Trailing blanks go, as in a terminal capture: keep the
		** length up to the last cell that shows anything. */
		size_t keep = 0, mkeep = 0;
		sb_reset(&line);
		sb_reset(&mline);
		mvwin_wchnstr(stdscr, y, 0, row, w);
		for (int x = 0; x < w; x++) {
			wchar_t wc[CCHARW_MAX + 1] = { 0 };
			attr_t at = 0;
			short pair = 0;
			getcchar(&row[x], wc, &at, &pair, NULL);
			uint32_t c = wc[0] ? (uint32_t)wc[0] : ' ';
			if (c < 0x20 || c == 0x7F)
				c = ' ';
			dump_utf8(&line, c);
			for (int k = 1; k < CCHARW_MAX && wc[k]; k++)
				dump_utf8(&line, (uint32_t)wc[k]);
			char l = dump_style(&st, at, pair);
			sb_addc(&mline, l);
			/* A wide character takes the next cell too. */
			if (wcwidth((wchar_t)c) == 2 && x + 1 < w) {
				sb_addc(&mline, l);
				x++;
			}
			if (c != ' ')
				keep = line.len;
			if (c != ' ' || l != '.')
				mkeep = mline.len;
		}
		sb_addn(out, sb_str(&line), keep);
		sb_addc(out, '\n');
		sb_addn(&map, sb_str(&mline), mkeep);
		sb_addc(&map, '\n');
	}
	free(row);
	if (styles) {
		sb_addf(out, "--- cursor %d,%d\n--- styles\n", cy, cx);
		sb_add(out, sb_str(&map));
		sb_add(out, "--- legend\n");
		dump_legend(&st, out);
	}
	sb_free(&map);
	sb_free(&line);
	sb_free(&mline);
}
