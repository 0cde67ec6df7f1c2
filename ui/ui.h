/*
** ui.h: the terminal UI (ncursesw), as the rest of synclab sees it.
**
** cli/ parses the command line into a ui_opts, with the screen to start
** on, and calls ui_main(); tools/bench_tui.c and the screen tests drive
** the same code without a terminal through the ui_headless_* calls.  Nothing in sim/ or quiz/ depends on
** this module.
*/
#ifndef ui_h
#define ui_h

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "lib/sb.h"
#include "sim/prof.h"

struct scn;
struct qs_opts;

/* The screen the UI starts on: the caller (cli/) chooses it. */
typedef enum ui_start {
	UI_START_HOME,		/* `synclab`: the Home screen */
	UI_START_SCENARIO,	/* `synclab sim SCENARIO` */
	UI_START_SANDBOX,	/* `synclab sim` with no scenario */
	UI_START_PRACTICE,	/* `synclab quiz` */
	UI_START_EXAM,		/* `synclab exam` */
	UI_START_REVIEW,	/* `synclab review` */
	UI_START_STATS		/* `synclab stats`: progress */
} ui_start;

typedef struct ui_opts {
	ui_start	 start;
	const char	*scenario;	/* a path or a shipped id (SCENARIO) */
	struct scn	*scn;		/* or a loaded scenario (taken over) */
	const char	*datadir;	/* the shipped scenarios folder */
	int		 has_seed;
	uint64_t	 seed;
	size_t		 ndevices;	/* sandbox; 0: 3 */
	prof_kind	 client;	/* the sandbox devices' client SDK */
	int		 has_client;	/* --client was given */
	/* The quiz screens (PRACTICE, EXAM, REVIEW, STATS): the session's
	** options (NULL: those of the Home menu; the kind is the start
	** screen's), the bank folder (NULL: the shipped bank) and the
	** progress store (NULL: qdb_default_path()). */
	const struct qs_opts *quiz;
	const char	*bank_dir;
	const char	*db_path;
	int		 no_color;	/* --no-color, or NO_COLOR non-empty */
	int		 ascii;		/* --ascii: ASCII line drawing */
	int		 no_mouse;	/* --no-mouse */
} ui_opts;

/*
** Runs the UI on the process's terminal, on the start screen o->start,
** until the student quits.  Returns the exit status: 0; 1 when the start
** screen could not open (a scenario that does not load, an invalid bank,
** a store that cannot open, no question matching the options): the
** reasons go to stderr, for the quiz screens before the terminal is
** taken over, for a scenario after it is restored.  "Nothing due" is not
** a failure: the review screen says so.  The caller has checked that
** stdin and stdout are terminals.
*/
int ui_main(const ui_opts *o);

/*
** Headless use (benchmarks): a UI drawn by ncurses newterm() onto out at
** a fixed size, fed keys by the caller.  ui_headless_new returns NULL
** with err when the start screen cannot open (bad scenario).
** ui_headless_key handles one key as the real loop would, then redraws
** and flushes the frame to out; ui_headless_frame redraws the current
** screen completely (every cell sent again) and flushes it.
*/
typedef struct ui_app ui_app;
ui_app *ui_headless_new(const ui_opts *o, int cols, int lines, FILE *out,
    sb *err);
/* on 1: the keys that follow arrive as if typed ahead, in one burst
** (each finds the next one already waiting), as screendump sends them. */
void ui_headless_typeahead(ui_app *a, int on);
/* Returns 1 when something used the key (0: no screen had a use for it). */
int ui_headless_key(ui_app *a, int key);
void ui_headless_frame(ui_app *a);
/* The screen as text (after the last redraw): one line per row, trailing
** blanks cut, in UTF-8 whatever the locale.  With styles, then the
** hardware cursor ("--- cursor Y,X"), one letter per cell naming its
** style ("--- styles", '.' the plain one) and what each letter is
** ("--- legend": colour role, attributes).  Appended to out. */
void ui_headless_dump(ui_app *a, int styles, sb *out);
/* Position and length of the run of the scenario view (0 when none). */
size_t ui_headless_pos(ui_app *a);
size_t ui_headless_count(ui_app *a);
/* The layout problems of the last redraw (text that overprints or runs
** into other text, a header or key bar entry cut), one line each,
** appended to out; returns their count. */
size_t ui_headless_check(ui_app *a, sb *out);
/* The name of the screen on top ("scene", "ask", "help", ...). */
const char *ui_headless_top(ui_app *a);
void ui_headless_free(ui_app *a);

#endif
