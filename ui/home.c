/*
** home.c: the Home screen, what `synclab` with no command opens.
**
** A menu on the left (as data: home_menu[]), and on the right what the
** highlighted entry offers: for Learn, the shipped scenarios in teaching
** order with a mark on the completed ones.  Entries open screens by name
** (ui_screen_find), so a new screen needs one line here and one in
** ui_screens[].
*/
#include "ui/ui-int.h"

#include <dirent.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lib/xmem.h"

struct home_item {
	const char	*label;
	const char	*screen;	/* a ui_screens[] name, or one of the
					   built-in "learn", "sandbox", "quit" */
	const char	*desc;
};

static const struct home_item home_menu[] = {
	{ "Learn", "learn",
	  "Guided scenarios, in teaching order. Each one runs a real "
	  "simulation step by step: the backend, the devices, their "
	  "queues and every HTTP request. Press Enter or l to pick one." },
	{ "Sandbox", "sandbox",
	  "An empty todoitem table and three devices to play with freely: "
	  "insert, edit, take a device offline, push, pull, and watch the "
	  "conflicts happen." },
	{ "Quiz", "quiz", "Practice AZ-900 questions, one at a time, with "
	  "feedback and an explanation after each answer." },
	{ "Exam", "exam", "A timed mock exam in the AZ-900 format, scored "
	  "on the 1-1000 scale at the end." },
	{ "Review", "review", "Spaced review: the questions that are due, "
	  "the ones you missed first." },
	{ "Progress", "stats", "Your answers so far: per exam domain and "
	  "topic, weakest first." },
	{ "Help", "help", "How synclab works and the keys of every screen." },
	{ "Quit", "quit", "Leave synclab." },
};
#define HOME_NMENU (sizeof home_menu / sizeof home_menu[0])

struct home_scn {
	char		*path;
	char		*id;
	char		*title;
	char		*summary;
	char		*goal;
	char		*errors;	/* non-NULL: the file is invalid */
	long long	 order;
	size_t		 nsteps;
	int		 done;
};

struct home {
	size_t		 menu;		/* highlighted menu entry */
	int		 in_list;	/* focus on the scenario list */
	struct home_scn	*s;
	size_t		 ns;
	size_t		*vis;		/* indices shown (after the filter) */
	size_t		 nvis;
	size_t		 sel;		/* index into vis */
	int		 top;
	char		 filter[128];
	unsigned	 gen;		/* ui_done_generation() of the marks */
};

static const struct ui_key home_keys[] = {
	{ "j/k, Down/Up", "move", "j/k move", 0 },
	{ "Enter, l, Right", "open the highlighted entry", "Enter open", 0 },
	{ "h, Left", "back to the menu", NULL, 0 },
	{ "/", "search the scenarios (empty: show all)", "/ search", 0 },
	{ "s", "open the sandbox", "s sandbox", 0 },
	{ "q", "quit synclab", "q quit", 0 },
	{ NULL, NULL, NULL, 0 }
};

static int
home_cmp(const void *x, const void *y)
{
	const struct home_scn *a = x, *b = y;
	if (a->order != b->order)
		return a->order < b->order ? -1 : 1;
	return strcmp(a->id, b->id);
}

/* Case-insensitive substring test (ASCII folding is enough for ids and
** titles). */
static int
home_match(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	for (; *hay; hay++)
		if (strncasecmp(hay, needle, n) == 0)
			return 1;
	return n == 0;
}

static void
home_filter(struct home *h)
{
	free(h->vis);
	h->vis = xcalloc(h->ns ? h->ns : 1, sizeof *h->vis);
	h->nvis = 0;
	for (size_t i = 0; i < h->ns; i++) {
		if (h->filter[0] && !home_match(h->s[i].title, h->filter) &&
		    !home_match(h->s[i].id, h->filter))
			continue;
		h->vis[h->nvis++] = i;
	}
	h->sel = 0;
	h->top = 0;
}

static void
home_load(struct home *h, const char *dir)
{
	DIR *d = dir ? opendir(dir) : NULL;
	if (d == NULL)
		return;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		size_t n = strlen(e->d_name);
		if (n < 6 || strcmp(e->d_name + n - 5, ".json") != 0)
			continue;
		char path[PATH_MAX];
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		h->s = xreallocarray(h->s, h->ns + 1, sizeof *h->s);
		struct home_scn *hs = &h->s[h->ns++];
		memset(hs, 0, sizeof *hs);
		hs->path = xstrdup(path);
		sb errs = SB_INIT;
		scn *s = scn_load_file(path, &errs, NULL);
		if (s) {
			hs->id = xstrdup(s->id);
			hs->title = xstrdup(s->title);
			hs->summary = xstrdup(s->summary);
			hs->goal = s->goal_text ? xstrdup(s->goal_text) : NULL;
			hs->order = s->order;
			hs->nsteps = s->nsteps;
			hs->done = ui_done_has(s->id);
			scn_free(s);
		} else {
			hs->id = xstrndup(e->d_name, n - 5);
			hs->title = xasprintf("%s (invalid file)", hs->id);
			hs->summary = xstrdup("");
			hs->errors = sb_take(&errs);
			hs->order = LLONG_MAX;
		}
		sb_free(&errs);
	}
	closedir(d);
	if (h->ns)
		qsort(h->s, h->ns, sizeof *h->s, home_cmp);
	home_filter(h);
}

static void
home_close(struct ui_app *a, void *st)
{
	struct home *h = st;
	(void)a;
	for (size_t i = 0; i < h->ns; i++) {
		free(h->s[i].path);
		free(h->s[i].id);
		free(h->s[i].title);
		free(h->s[i].summary);
		free(h->s[i].goal);
		free(h->s[i].errors);
	}
	free(h->s);
	free(h->vis);
	free(h);
}

/* Puts wrapped text in a rectangle; returns the lines used. */
static int
home_text(struct ui_app *a, int y, int x, int h, int w, attr_t at,
    const char *text)
{
	(void)a;
	sb lines = SB_INIT;
	ui_wrap(text, w, &lines);
	int used = 0;
	for (char *p = lines.s, *nl; p && *p && used < h; p = nl + 1) {
		nl = strchr(p, '\n');
		*nl = '\0';
		ui_put(y + used++, x, w, at, p);
	}
	sb_free(&lines);
	return used;
}

static void home_refresh_marks(struct home *h);

static void
home_draw(struct ui_app *a, void *st)
{
	struct home *h = st;
	if (h->gen != ui_done_generation())
		home_refresh_marks(h);
	ui_fill(0, 0, a->w, ui_attr(a, UI_TITLE));
	ui_putf(0, 1, a->w - 2, ui_attr(a, UI_TITLE),
	    "synclab %s  Learn how mobile offline sync really works",
	    SYNCLAB_VERSION);
	int mw = 16, top = 1, bh = a->h - 2;
	ui_box(a, top, 0, bh, mw, "Menu", !h->in_list);
	int cy = top + 1, cx = 1;
	for (size_t i = 0; i < HOME_NMENU && (int)i < bh - 2; i++) {
		int y = top + 1 + (int)i;
		int sel = i == h->menu;
		attr_t at = ui_attr(a, sel ? (h->in_list ? UI_HEAD : UI_SEL)
		    : UI_NORMAL);
		ui_fill(y, 1, mw - 2, at);
		ui_putf(y, 1, mw - 2, at, "%s %s", sel ? a->g->cur : " ",
		    home_menu[i].label);
		ui_hit(a, y, 1, 1, mw - 2, (int)i);
		if (sel && !h->in_list)
			cy = y, cx = 1;
	}
	int rx = mw, rw = a->w - mw;
	const struct home_item *it = &home_menu[h->menu];
	if (strcmp(it->screen, "learn") != 0) {
		ui_box(a, top, rx, bh, rw, it->label, 0);
		home_text(a, top + 1, rx + 2, bh - 2, rw - 4,
		    ui_attr(a, UI_NORMAL), it->desc);
		ui_cursor(a, cy, cx);
		return;
	}
	/* Learn: the list above, the summary of the highlighted one below. */
	int lh = bh * 3 / 5;
	if (lh < 5)
		lh = bh;
	char title[160];
	if (h->filter[0])
		snprintf(title, sizeof title, "Scenarios matching \"%s\" (%zu)",
		    h->filter, h->nvis);
	else {
		size_t ndone = 0;
		for (size_t i = 0; i < h->ns; i++)
			ndone += h->s[i].done != 0;
		snprintf(title, sizeof title, "Scenarios (%zu done of %zu)",
		    ndone, h->nvis);
	}
	ui_box(a, top, rx, lh, rw, title, h->in_list);
	int rows = lh - 2;
	if ((int)h->sel < h->top)
		h->top = (int)h->sel;
	if ((int)h->sel >= h->top + rows)
		h->top = (int)h->sel - rows + 1;
	if (h->nvis == 0)
		ui_put(top + 1, rx + 2, rw - 4, ui_attr(a, UI_DIM),
		    h->ns ? "No scenario matches; / with an empty text shows all."
		    : "No scenarios found.");
	for (int r = 0; r < rows && h->top + r < (int)h->nvis; r++) {
		size_t vi = (size_t)(h->top + r);
		struct home_scn *s = &h->s[h->vis[vi]];
		int y = top + 1 + r, sel = vi == h->sel && h->in_list;
		attr_t at = ui_attr(a, sel ? UI_SEL : UI_NORMAL);
		ui_fill(y, rx + 1, rw - 2, at);
		/* The mark is a glyph and a word, so it reads without colour;
		** the tags keep their place at the right and the title is
		** cut before them, with an ellipsis. */
		int x = rx + 1;
		x += ui_put(y, x, 2, sel ? at : ui_attr(a, UI_MARK),
		    s->done ? a->g->check : " ");
		x++;
		const char *tag = s->goal && s->done ? " challenge, done" :
		    s->goal ? " challenge" : s->done ? " done" : "";
		int tw = ui_width(tag), end = rx + rw - 2;
		char *t = xasprintf("%2zu. %s", vi + 1, s->title);
		if (end - x - tw >= 8) {
			ui_put_cut(a, y, x, end - x - tw, at, t);
			ui_put(y, end - tw + 1, tw, sel ? at : ui_attr(a,
			    UI_MARK), tag + 1);
		} else
			ui_put_cut(a, y, x, end - x, at, t);
		free(t);
		ui_hit(a, y, rx + 1, 1, rw - 2, 100 + r);
		if (sel)
			cy = y, cx = rx + 1;
	}
	int sy = top + lh, sh = bh - lh;
	if (sh >= 3 && h->nvis > 0) {
		struct home_scn *s = &h->s[h->vis[h->sel]];
		ui_box(a, sy, rx, sh, rw, s->id, 0);
		sb t = SB_INIT;
		if (s->errors)
			sb_add(&t, s->errors);
		else {
			sb_add(&t, s->summary);
			if (s->goal)
				sb_addf(&t, "\nGoal: %s", s->goal);
			sb_addf(&t, "\n%zu steps%s", s->nsteps, s->done ?
			    "; completed" : "");
		}
		home_text(a, sy + 1, rx + 2, sh - 2, rw - 4,
		    ui_attr(a, UI_NORMAL), sb_str(&t));
		sb_free(&t);
	}
	ui_cursor(a, cy, cx);
}

static int
home_search_done(struct ui_app *a, void *ctx, const char *text)
{
	struct home *h = ctx;
	(void)a;
	snprintf(h->filter, sizeof h->filter, "%s", text);
	home_filter(h);
	h->in_list = 1;
	h->menu = 0;
	return 0;
}

static void
home_open_scenario(struct ui_app *a, struct home *h)
{
	if (h->nvis == 0)
		return;
	struct home_scn *s = &h->s[h->vis[h->sel]];
	if (s->errors) {
		ui_message(a, "This scenario file is invalid", s->errors);
		return;
	}
	sb err = SB_INIT;
	if (ui_scene_open(a, s->path, NULL, 0, 0, 0, &err) != 0)
		ui_message(a, "Cannot open the scenario", sb_str(&err));
	sb_free(&err);
}

static void
home_activate(struct ui_app *a, struct home *h)
{
	const struct home_item *it = &home_menu[h->menu];
	if (strcmp(it->screen, "learn") == 0) {
		h->in_list = 1;
		return;
	}
	if (strcmp(it->screen, "quit") == 0) {
		a->quit = 1;
		return;
	}
	if (strcmp(it->screen, "sandbox") == 0) {
		sb err = SB_INIT;
		if (ui_scene_open(a, NULL, NULL, a->opts.ndevices ?
		    a->opts.ndevices : 3, 0, 0, &err) != 0)
			ui_message(a, "Cannot open the sandbox", sb_str(&err));
		sb_free(&err);
		return;
	}
	const struct ui_screen *s = ui_screen_find(it->screen);
	if (s)
		ui_push(a, s, s->open ? s->open(a, it->label) : NULL);
}

/* Called when the screen comes back to the top: marks may have changed. */
static void
home_refresh_marks(struct home *h)
{
	h->gen = ui_done_generation();
	for (size_t i = 0; i < h->ns; i++)
		if (!h->s[i].errors)
			h->s[i].done = ui_done_has(h->s[i].id);
}

static int
home_key(struct ui_app *a, void *st, int ch)
{
	struct home *h = st;
	if (ch > KEY_MAX) {		/* mouse */
		int id = ch - KEY_MAX - 1;
		if (id < 100) {
			h->menu = (size_t)id;
			h->in_list = 0;
			home_activate(a, h);
		} else if (h->top + id - 100 < (int)h->nvis) {
			h->menu = 0;
			h->in_list = 1;
			h->sel = (size_t)(h->top + id - 100);
		}
		return 1;
	}
	switch (ch) {
	case 'j': case KEY_DOWN:
		if (h->in_list) {
			if (h->sel + 1 < h->nvis)
				h->sel++;
		} else if (h->menu + 1 < HOME_NMENU)
			h->menu++;
		return 1;
	case 'k': case KEY_UP:
		if (h->in_list) {
			if (h->sel > 0)
				h->sel--;
		} else if (h->menu > 0)
			h->menu--;
		return 1;
	case KEY_NPAGE:
		if (h->in_list)
			h->sel = h->sel + 10 < h->nvis ? h->sel + 10 :
			    (h->nvis ? h->nvis - 1 : 0);
		return 1;
	case KEY_PPAGE:
		if (h->in_list)
			h->sel = h->sel > 10 ? h->sel - 10 : 0;
		return 1;
	case 'h': case KEY_LEFT:
		h->in_list = 0;
		return 1;
	case 27:
		if (h->in_list) {
			h->in_list = 0;
			return 1;
		}
		return 0;
	case '\t':
		if (strcmp(home_menu[h->menu].screen, "learn") == 0)
			h->in_list = !h->in_list;
		return 1;
	case 'l': case KEY_RIGHT: case '\r': case '\n': case KEY_ENTER:
		if (h->in_list)
			home_open_scenario(a, h);
		else
			home_activate(a, h);
		return 1;
	case '/':
		ui_prompt(a, "Search scenarios", "Show the scenarios whose "
		    "title or id contains:", h->filter, home_search_done, h);
		return 1;
	case 's':
		h->menu = 1;
		home_activate(a, h);
		return 1;
	}
	return 0;
}

const struct ui_screen ui_home_screen = {
	"home", "Home", 44, 12, 0, home_draw, home_key, NULL, home_close,
	home_keys, NULL
};

void
ui_home_open(struct ui_app *a)
{
	struct home *h = xcalloc(1, sizeof *h);
	home_load(h, a->opts.datadir);
	ui_push(a, &ui_home_screen, h);
}

/*
** Help: what synclab is and where the keys are.
*/
static const char home_help_text[] =
    "synclab simulates Azure Mobile Apps offline sync: a backend with real "
    "SQLite tables, devices that each keep a local store and a queue of "
    "pending operations (__operations), and the network between them.\n\n"
    "Every screen lists its keys in the bar at the bottom, and ? shows all "
    "of them. q goes back; Esc closes a dialog.\n\n"
    "In a scenario: l or Right runs the next step, h or Left steps back "
    "(instantly), Space plays and pauses, g goes to a step, Tab moves "
    "between the backend, the devices and the timeline. Acting on a device "
    "(o offline, i insert, e edit, d delete, P push, u pull, s sync, U purge, "
    "x drop the next response) after stepping back forks the run: the rest of the "
    "script is discarded, and synclab asks first.\n\n"
    "S shows the sequence diagram, and I opens the store inspector, a "
    "read-only SQL prompt on the backend or a device (__operations "
    "included).\n\n"
    "Options: --no-color (or NO_COLOR=1), --ascii, --no-mouse. "
    "The full list of screens and keys is in docs/tui.md.";

static const struct ui_key help_keys[] = {
	{ "j/k", "scroll", "j/k scroll", 0 },
	{ "q, Esc", "back to Home", "q back", 0 },
	{ NULL, NULL, NULL, 0 }
};

static void
help_draw(struct ui_app *a, void *st)
{
	int scroll = (int)(uintptr_t)st;
	ui_fill(0, 0, a->w, ui_attr(a, UI_TITLE));
	ui_put(0, 1, a->w - 2, ui_attr(a, UI_TITLE), "synclab  Help");
	ui_box(a, 1, 0, a->h - 2, a->w, "Help", 1);
	sb lines = SB_INIT;
	ui_wrap(home_help_text, a->w - 6, &lines);
	int y = 2, i = 0;
	for (char *p = lines.s, *nl; p && *p && y < a->h - 2; p = nl + 1) {
		nl = strchr(p, '\n');
		*nl = '\0';
		if (i++ < scroll)
			continue;
		ui_put(y++, 3, a->w - 6, ui_attr(a, UI_NORMAL), p);
	}
	sb_free(&lines);
	ui_cursor(a, 2, 3);
}

static int
help_key(struct ui_app *a, void *st, int ch)
{
	int scroll = (int)(uintptr_t)st;
	if (ch == 'j' || ch == KEY_DOWN)
		scroll++;
	else if ((ch == 'k' || ch == KEY_UP) && scroll > 0)
		scroll--;
	else if (ch == 27) {
		ui_pop(a);
		return 1;
	} else
		return 0;
	a->stack[a->depth - 1].st = (void *)(uintptr_t)scroll;
	return 1;
}

static void *
help_open(struct ui_app *a, const char *arg)
{
	(void)a;
	(void)arg;
	return NULL;		/* st is the scroll offset, starting at 0 */
}

const struct ui_screen ui_help_screen = {
	"help", "Help", 44, 12, 0, help_draw, help_key, NULL, NULL, help_keys,
	help_open
};
