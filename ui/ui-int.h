/*
** ui-int.h: what the files of ui/ share (not for other modules).
**
** Shape (after ncdu): each screen is one file exporting one const struct
** ui_screen with a draw function and a key handler.  ui.c keeps a stack of
** screens; modal screens (dialogs) are drawn over the screens below them.
** Screens are data: ui_screens[] in ui.c lists them by name, and the Home
** menu opens screens by name, so adding a screen is one entry.
*/
#ifndef ui_int_h
#define ui_int_h

#include <curses.h>
#include <stddef.h>
#include <stdint.h>
#include <sqlite3.h>
#include <cjson/cJSON.h>
#include "lib/sb.h"
#include "sim/sim.h"
#include "ui/ui.h"

/*
** Semantic colour roles (as ncdu's UI_COLORS): foreground, background and
** extra attributes in colour, and the attributes alone in monochrome.
** Meaning is never carried by colour alone: every role that matters has a
** monochrome attribute, and the text itself says the same (status codes,
** "OFFLINE", '*' on changed cells).
*/
#define UI_ROLES \
	R(NORMAL,  -1,           -1,          A_NORMAL, A_NORMAL) \
	R(TITLE,   COLOR_BLACK,  COLOR_CYAN,  A_NORMAL, A_REVERSE) \
	R(BORDER,  COLOR_BLUE,   -1,          A_NORMAL, A_NORMAL) \
	R(FOCUS,   COLOR_CYAN,   -1,          A_BOLD,   A_BOLD) \
	R(SEL,     COLOR_BLACK,  COLOR_WHITE, A_NORMAL, A_REVERSE) \
	R(KEY,     COLOR_YELLOW, -1,          A_BOLD,   A_BOLD) \
	R(HEAD,    COLOR_CYAN,   -1,          A_BOLD,   A_BOLD) \
	R(OK,      COLOR_GREEN,  -1,          A_NORMAL, A_NORMAL) \
	R(WARN,    COLOR_YELLOW, -1,          A_BOLD,   A_BOLD) \
	R(ERR,     COLOR_RED,    -1,          A_BOLD,   A_BOLD | A_UNDERLINE) \
	R(CHANGED, COLOR_BLACK,  COLOR_YELLOW, A_NORMAL, A_BOLD | A_UNDERLINE) \
	R(DIM,     -1,           -1,          A_DIM,    A_DIM) \
	R(MARK,    COLOR_GREEN,  -1,          A_BOLD,   A_BOLD) \
	R(CUR,     COLOR_WHITE,  COLOR_BLUE,  A_BOLD,   A_REVERSE | A_BOLD) \
	R(TOAST,   COLOR_BLACK,  COLOR_YELLOW, A_NORMAL, A_REVERSE)

enum ui_role {
#define R(name, fg, bg, ca, ma) UI_##name,
	UI_ROLES
#undef R
	UI_NROLES
};

/* One glyph table, chosen at start: UTF-8 line drawing or ASCII. */
struct ui_glyphs {
	const char	*h, *v, *tl, *tr, *bl, *br;
	const char	*ltee, *rtee;
	const char	*rarrow, *larrow;	/* arrow heads */
	const char	*check, *cross, *cur, *dot, *more, *ellipsis;
	const char	*on, *off;		/* device network state */
};

/* One key of a screen: keys as shown, what it does, the key bar label
** (NULL: only in the help overlay), and when the bar shows it: 0 always,
** else only while the screen's draw has set one of these flags in
** a->key_flags (the help overlay always lists every key). */
struct ui_key {
	const char	*keys;
	const char	*help;
	const char	*bar;
	unsigned	 when;
};
#define UI_KF_CHALLENGE	0x1	/* a challenge is open */
#define UI_KF_PICK	0x2	/* a question takes option letters */
#define UI_KF_READY	0x4	/* there is something to start */
#define UI_KF_YESNO	0x8	/* a yes/no question takes y and n */

struct ui_app;

struct ui_screen {
	const char		*name;
	const char		*title;
	int			 min_w, min_h;	/* below: "too small" */
	int			 modal;		/* drawn over the screen below */
	void			(*draw)(struct ui_app *, void *st);
	/* Returns 1 when the key was used; otherwise ui.c applies the
	** global keys (?, q, Esc). */
	int			(*key)(struct ui_app *, void *st, int ch);
	void			(*tick)(struct ui_app *, void *st);	/* or NULL */
	void			(*close)(struct ui_app *, void *st);	/* frees st */
	const struct ui_key	*keys;		/* NULL-terminated by .keys */
	/* Makes the state of a screen opened by name from Home (arg: the
	** menu label); NULL: the screen starts with st NULL. */
	void			*(*open)(struct ui_app *, const char *arg);
};

struct ui_frame {
	const struct ui_screen	*s;
	void			*st;
};

/* A mouse target registered while drawing. */
struct ui_hit {
	int	y, x, h, w;
	int	id;
};

#define UI_MAXSTACK	16
#define UI_MAXHITS	64

struct ui_app {
	ui_opts			 opts;
	int			 headless;
	SCREEN			*term;		/* headless only */
	FILE			*hin;		/* headless input */
	int			 w, h;
	int			 color, utf8, mouse;
	const struct ui_glyphs	*g;
	struct ui_frame		 stack[UI_MAXSTACK];
	int			 depth;
	int			 quit;
	int			 help;		/* the help overlay is up */
	int			 help_scroll;	/* its first line shown */
	int			 help_lines;	/* its lines, as last drawn */
	unsigned		 key_flags;	/* UI_KF_*: set by the top
						   screen's draw each frame */
	int			 typeahead;	/* another key was already waiting
						   when this one was read */
	char			 toast[256];	/* shown in the key bar once */
	int			 cur_y, cur_x;	/* hardware cursor after a redraw */
	struct ui_hit		 hits[UI_MAXHITS];
	int			 nhits;
	int			 tick_ms;	/* >0: call the top screen's tick */
	int			 bar2;		/* this frame's key bar may take two
						   lines (reset before each frame) */
	int			 status;	/* exit status of ui_main */
	sb			 after;		/* printed once curses has ended */
	/* Layout checking (headless only): which text put owns each cell
	** of this frame, and what the checks found (ui_headless_check). */
	int			 check;
	unsigned		*own;		/* w * h put numbers, 0: none */
	int			 own_w, own_h;
	unsigned		 nput;		/* puts so far in this frame */
	unsigned		 last_put;	/* ... and where the last ended */
	int			 last_y, last_x;
	sb			 problems;
};

/* ui.c: the stack, the loop and the drawing functions. */
const struct ui_screen *ui_screen_find(const char *name);
void ui_push(struct ui_app *a, const struct ui_screen *s, void *st);
void ui_pop(struct ui_app *a);
/* The close function of a screen whose state is one plain allocation. */
void ui_close_free(struct ui_app *a, void *st);
/* Pops every screen above (and not including) the frame holding st. */
void ui_pop_to(struct ui_app *a, void *st);
/* Takes the frame holding st off the stack wherever it is, without
** closing it (st then belongs to the caller).  Returns the frame's
** screen, or NULL when st is not on the stack. */
const struct ui_screen *ui_detach(struct ui_app *a, void *st);
/* Closes the frame holding st wherever it is in the stack (a dialog whose
** callback opened another screen on top of it). */
void ui_remove(struct ui_app *a, void *st);
/* Replaces the screen of the frame holding st by s, keeping st (a screen
** that changes phase: exam -> result).  The help overlay closes. */
void ui_swap(struct ui_app *a, void *st, const struct ui_screen *s);
void ui_toast(struct ui_app *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
attr_t ui_attr(const struct ui_app *a, enum ui_role r);
/* Puts s at (y, x), at most maxw columns (multibyte aware; control
** characters become spaces).  Returns the columns used. */
int ui_put(int y, int x, int maxw, attr_t at, const char *s);
int ui_putf(int y, int x, int maxw, attr_t at, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* As ui_put, for a text that must never be cut (a column header, a key
** bar entry): when it does not fit in maxw the layout checks report it.
** Draws what fits, with an ellipsis at the end. */
int ui_put_whole(int y, int x, int maxw, attr_t at, const char *s);
/* As ui_put, but a text longer than maxw ends in an ellipsis (the glyph
** table's) so that the cut shows.  Returns the columns used. */
int ui_put_cut(struct ui_app *a, int y, int x, int maxw, attr_t at,
    const char *s);
void ui_fill(int y, int x, int w, attr_t at);
/* The display width of s (columns). */
int ui_width(const char *s);
/* Byte length of the longest prefix of s that fits in w columns. */
size_t ui_fit(const char *s, int w);
/* A box with a title in its top border; focus draws it highlighted. */
void ui_box(struct ui_app *a, int y, int x, int h, int w, const char *title,
    int focus);
void ui_hline(struct ui_app *a, int y, int x, int w, attr_t at);
/* Word-wraps s to width w: appends the lines to out, each terminated by
** '\n'.  Returns the number of lines. */
int ui_wrap(const char *s, int w, sb *out);
/* Where the hardware cursor goes after this redraw (screen readers). */
void ui_cursor(struct ui_app *a, int y, int x);
void ui_hit(struct ui_app *a, int y, int x, int h, int w, int id);
/* A centred modal box of at most h x w; returns its inner geometry. */
void ui_modal_box(struct ui_app *a, int h, int w, const char *title,
    int *iy, int *ix, int *ih, int *iw);
/* Draws the keys of a screen into the bottom line, or the bottom two
** when the screen set a->bar2 while drawing (it then keeps
** ui_keybar_height() lines free). */
void ui_keybar(struct ui_app *a, const struct ui_key *keys);
/* 2 when the keys need two lines at this width, else 1. */
int ui_keybar_height(struct ui_app *a, const struct ui_key *keys);

/* Layout checks (headless runs with a->check): every put is watched
** from ui_layout_check(a), with a->own cleared for the frame, until
** ui_layout_check(NULL); what overprints, runs together or is cut lands
** in a->problems. */
void ui_layout_check(struct ui_app *a);

/* A one-line text field (edited at its end). */
#define UI_LINEMAX	512
struct ui_line {
	char	buf[UI_LINEMAX];
	size_t	len;
};
void ui_line_set(struct ui_line *l, const char *s);
/* Printable characters (UTF-8 bytes), Backspace, ^U, ^W.  1 if used. */
int ui_line_key(struct ui_line *l, int ch);
/* Draws the field and puts the cursor at its end. */
void ui_line_draw(struct ui_app *a, const struct ui_line *l, int y, int x,
    int w, attr_t at);

/* dialog.c: generic modal dialogs.  Callbacks run after the dialog is
** popped; ctx belongs to the caller (freed by freectx when given). */
typedef void (*ui_yes_fn)(struct ui_app *, void *ctx);
void ui_confirm(struct ui_app *a, const char *title, const char *text,
    ui_yes_fn yes, void *ctx, void (*freectx)(void *));
void ui_message(struct ui_app *a, const char *title, const char *text);
/* done returns 0 to close the prompt, -1 to keep it open (it may toast). */
typedef int (*ui_text_fn)(struct ui_app *, void *ctx, const char *text);
void ui_prompt(struct ui_app *a, const char *title, const char *label,
    const char *initial, ui_text_fn done, void *ctx);
/* A list to pick from; done gets the index chosen. */
typedef void (*ui_pick_fn)(struct ui_app *, void *ctx, size_t i);
void ui_choose(struct ui_app *a, const char *title, const char *const *items,
    size_t n, ui_pick_fn done, void *ctx, void (*freectx)(void *));
/* A form of text fields; done gets the values (n of them), returns 0 to
** close, -1 to keep it open, or 1 when it closed the form itself (with
** ui_remove).  ctx is freed with freectx when the form closes. */
typedef int (*ui_form_fn)(struct ui_app *, void *ctx, char **values,
    size_t n);
void ui_form(struct ui_app *a, const char *title, const char *note,
    const char *const *labels, const char *const *initial, size_t n,
    ui_form_fn done, void *ctx, void (*freectx)(void *));

/*
** scene.c: the scenario view.  Its state is shared with the screens that
** open from it (sequence diagram, inspector, ask, resolve).
*/
struct ui_model;

struct ui_scene {
	sim			*run;
	char			*path;		/* the scenario file, "" sandbox */
	size_t			 sandbox_devices;
	prof_kind		 sandbox_client;
	int			 has_seed;
	uint64_t		 seed;
	struct ui_model		*m;		/* what the panes show */
	int			 m_cached;	/* m belongs to cache[] */
	struct ui_model		**cache;	/* per position; see scene.c */
	size_t			 ncache;
	int			 sel_dev;	/* the device actions apply to */
	int			 focus;		/* 0 backend, 1..n devices,
						   n+1 timeline */
	int			 dev_off;	/* first device pane shown */
	/* Per device i: its selected row, and whether to scroll to it. */
	int			 row_sel[SCN_MAX_DEVICES];
	int			 follow[SCN_MAX_DEVICES];
	/* Per pane: 0 the backend, 1 + i device i. */
	int			 scroll[1 + SCN_MAX_DEVICES];
	int			 tl_scroll;	/* timeline lines from the end */
	int			 playing;
	int			 speed;		/* index into the speed table */
	/* A step under way in parts (a wait under a big fleet): the view
	** runs a slice of it between two reads of the keyboard. */
	int			 running;
	size_t			 run_prev;	/* the position before it */
	sim_progress		 prog;		/* where it stands */
	int			 forked;	/* acted after stepping back */
	size_t			 hints_shown;	/* how many given */
	uint64_t		 hints_seen;	/* which (bit i: hint i) */
	int			 solution_shown;
	int			 solved;
	char			 solved_id[128];
	/* Manual conflicts already offered (so Esc is not nagged again). */
	char			 offered[512];
};

extern const struct ui_screen ui_scene_screen;
/* Opens a scenario view on top of the stack.  path NULL: a sandbox with
** ndevices devices; s: a loaded scenario (taken over).  Returns 0, or -1
** with the reasons in err (nothing pushed). */
int ui_scene_open(struct ui_app *a, const char *path, struct scn *s,
    size_t ndevices, int has_seed, uint64_t seed, sb *err);
/* The scenario view on the stack (the topmost one), or NULL. */
struct ui_scene *ui_scene_find(struct ui_app *a);
/* Reloads the panes after the run changed; prev_pos is the position the
** panes showed before (for the changed-cell highlight). */
void ui_scene_changed(struct ui_app *a, struct ui_scene *sc, size_t prev_pos);
/* The step keys, for the screens opened from the view: forward 1 runs
** the next step (or opens its ask), 0 steps back. */
void ui_scene_stepkey(struct ui_app *a, struct ui_scene *sc, int forward);
/* Runs st (taken over) as an action of the student, asking first when it
** forks the run. */
void ui_scene_act(struct ui_app *a, struct ui_scene *sc, scn_step *st);
/* Forgets the panes kept for positions >= from (the run was changed
** from there on: an action, a reset). */
void ui_scene_forget(struct ui_scene *sc, size_t from);
/* Starts the next step as the l key does (a question already answered):
** a step that takes long runs on in slices between keys.  Returns 0 when
** it ran, 1 when it is under way, -1 with err when the engine stopped. */
int ui_scene_step_start(struct ui_app *a, struct ui_scene *sc, sb *err);
/* After a step ran: opens what the step calls for (a manual conflict,
** the goal reached).  */
void ui_scene_after_step(struct ui_app *a, struct ui_scene *sc);
/* The database and the display name of a store: 0 backend, i>0 device i-1. */
sqlite3 *ui_scene_store(struct ui_scene *sc, int store, const char **name);

/* levels.c: scenarios as levels. */
/* The scenario after the one with this id in the Learn order of the
** folder datadir: 0 with *path and *title (the caller frees them), or -1
** when it is the last one or cannot be found. */
int ui_levels_next(const char *datadir, const char *id, char **path,
    char **title);
/* The actions the student took in this run (steps not from the
** script). */
size_t ui_levels_moves(const struct ui_scene *sc);
/* Opens the "goal vs yours" view of the challenge open in sc. */
void ui_levels_goal_view(struct ui_app *a, struct ui_scene *sc);

extern const struct ui_screen ui_seq_screen;
void ui_seq_open(struct ui_app *a, struct ui_scene *sc);
/* scene-cloud.c, for the sequence diagram: extra columns for the hub and
** the platform services (0 or 2) and their names; the arrow of a push or
** plan event from column *from to *to (-1: the event's device), 0 when
** the event has none. */
int ui_cloud_columns(struct ui_scene *sc);
const char *ui_cloud_column_name(int k);
int ui_cloud_seq(const trc_event *e, int nd, int *from, int *to, sb *label,
    int *role);

extern const struct ui_screen ui_inspect_screen;
void ui_inspect_open(struct ui_app *a, struct ui_scene *sc, int store);

extern const struct ui_screen ui_ask_screen;
/* Opens the ask dialog for the step at sim_pos (which awaits an answer). */
void ui_ask_open(struct ui_app *a, struct ui_scene *sc);

extern const struct ui_screen ui_resolve_screen;
/* Opens the manual resolution dialog for one pending conflict. */
void ui_resolve_open(struct ui_app *a, struct ui_scene *sc,
    const sim_conflict *c);

extern const struct ui_screen ui_home_screen;
void ui_home_open(struct ui_app *a);

extern const struct ui_screen ui_help_screen;

/* done.c: which scenarios a student has completed. */
/* The file that stores it (static string). */
const char *ui_done_path(void);
int ui_done_has(const char *id);
/* Records id as completed; returns 0, or -1 when the file cannot be
** written (the mark is then kept for this session only). */
int ui_done_mark(const char *id);
/* Changes whenever a mark is added (screens showing marks re-read). */
unsigned ui_done_generation(void);

#endif
