/*
** ui.c: the core of the terminal UI: start-up (locale, glyphs, colours,
** mouse), the screen stack, the input loop, the help overlay and headless
** use.  The drawing functions every screen uses are in ui-draw.c.
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
		sb_reset(&a->problems);
		ui_layout_check(a);
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
	ui_layout_check(NULL);
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
