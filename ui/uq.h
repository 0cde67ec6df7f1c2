/*
** uq.h: the quiz screens of the terminal UI: practice ("quiz"), the mock
** exam ("exam"), spaced review ("review") and progress ("stats").
**
** They drive quiz sessions (quiz/qs.h) exactly as plain mode does: a
** screen shows an item, turns keys into a response and hands it to
** qs_answer(); grading and storage stay in the quiz engine.
**
** The first part of this header names the screens for ui.c (the Home
** menu opens them by name, ui_main() as the start screen that cli/
** chooses); the second part, compiled only after ui/ui-int.h, is what
** ui/quiz.c, exam.c, review.c and stats.c share: quiz-kit.c (sources, title, session, the question layout),
** quiz-doc.c (the document and the breakdown) and quiz-ask.c (the answer
** widget).
*/
#ifndef uq_h
#define uq_h

#include "quiz/qs.h"
#include "ui/ui.h"

struct ui_screen;
struct ui_app;

/* The screens by name, for ui_screens[] and the Home menu.  Each opens
** with the default options of its command (practice: 10 questions of
** every domain; exam: 50 questions, 45 minutes; review: every card due;
** stats: the whole store), the shipped bank and the default store. */
extern const struct ui_screen ui_quiz_screen;		/* "quiz" */
extern const struct ui_screen ui_exam_screen;		/* "exam" */
extern const struct ui_screen ui_review_screen;		/* "review" */
extern const struct ui_screen ui_stats_screen;		/* "stats" */

#ifdef ui_int_h
/* ---- shared by the quiz screens (ui/quiz*.c, exam.c, review.c, stats.c) */

#include "quiz/qdb.h"
#include "quiz/qz.h"

/* What a screen reads from: the bank and the progress store it owns. */
struct uq_src {
	qz_bank		 bank;
	int		 have_bank;
	qdb		*db;
};

/* Loads the bank from bank_dir (NULL: the shipped bank, found next to
** a->opts.datadir; a may be NULL then only when bank_dir is given) unless
** need_bank is 0, and opens the store at db_path (NULL: the default).
** Returns 0, or -1 with every reason in err and nothing held by src. */
int uq_src_open(struct uq_src *src, struct ui_app *a, const char *bank_dir,
    const char *db_path, int need_bank, sb *err);
void uq_src_close(struct uq_src *src);

/* The clock of the screens: SYNCLAB_NOW when set (tests), else the wall
** clock; milliseconds since the epoch. */
int64_t uq_now(void);

/* The title line: left in bold, right (may be NULL) at the right edge. */
void uq_title(struct ui_app *a, const char *left, const char *right,
    attr_t right_at);

/*
** A document: lines of attributed segments, built once per redraw at a
** known width and drawn from a scroll offset.  Lines may belong to a
** "row" (an option, a statement, a list entry) so that the focused row
** can be kept visible and given the hardware cursor.
*/
struct uq_seg {
	char	*s;
	attr_t	 at;
};

struct uq_dline {
	struct uq_seg	*seg;
	size_t		 nseg;
	int		 row;		/* -1: none */
	int		 sel;		/* drawn highlighted (the focused row) */
};

struct uq_doc {
	struct uq_dline	*l;
	size_t		 n;
	int		 w;		/* the width the text is wrapped to */
};

void uq_doc_init(struct uq_doc *d, int w);
void uq_doc_free(struct uq_doc *d);
/* Starts a new empty line (of row, -1 for none). */
void uq_doc_line(struct uq_doc *d, int row, int sel);
/* Appends a segment to the last line (no wrapping). */
void uq_doc_seg(struct uq_doc *d, attr_t at, const char *s);
void uq_doc_segf(struct uq_doc *d, attr_t at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Wrapped text: every line starts with indent spaces. */
void uq_doc_text(struct uq_doc *d, attr_t at, int indent, const char *s);
/* One entry: prefix, then text wrapped with a hanging indent as wide as
** the prefix; every line belongs to row. */
void uq_doc_item(struct uq_doc *d, int row, int sel, attr_t pat,
    const char *prefix, attr_t at, const char *text);
void uq_doc_blank(struct uq_doc *d);
/* The first line of row, or -1. */
int uq_doc_find(const struct uq_doc *d, int row);
/* Draws lines [*scroll, *scroll + h) at (y, x), clamping *scroll; when
** follow >= 0, scrolls first so that row follow is visible.  Returns the
** screen line of row follow (-1 when not drawn). */
int uq_doc_draw(struct ui_app *a, const struct uq_doc *d, int y, int x,
    int h, int *scroll, int follow);
/* The keys every scrolling view shares; 1 when used. */
int uq_scroll_key(int ch, int *scroll, int page);
/* A horizontal bar for a fraction in [0, 1], width w, in reverse video
** (visible without colour), followed by nothing; the caller adds the
** figures as text. */
void uq_doc_bar(struct ui_app *a, struct uq_doc *d, double frac, int w);

/*
** The answer being built for one item, with the keyboard: see
** docs/tui-quiz.md for the keys of each question type.
*/
struct uq_ask {
	const qz_question	*q;
	const qz_view		*v;
	int			 row;		/* the focused row */
	int			 nrows;
	/* single, multiple: 1 chosen; yesno: -1, 0 no, 1 yes; matching:
	** the target's display place or -1; dropdown: the option's
	** display place or -1. */
	int			 val[QZ_MAXPART];
	unsigned char		 order[QZ_MAXPART];	/* ordering: places */
	int			 typed;		/* ordering: places typed */
	int			 arranged;	/* ordering: moved with J/K, or
						   an answer given before */
	int			 dirty;		/* changed since set */
};

enum uq_ask_rc { UQ_ASK_UNUSED, UQ_ASK_USED, UQ_ASK_SUBMIT };

/* The widget's keys, for the key tables of the screens that use it (the
** help overlay has 47 columns for each text). */
#define UQ_ASK_KEYS \
	{ "a-h, 1-8", "single: answer; multiple: toggle an option", \
	  "a-h pick", UI_KF_PICK }, \
	{ "a-h", "matching, dropdown: choose for the current row", \
	  NULL, 0 }, \
	{ "a-h", "ordering: the item that goes next in order", NULL, 0 }, \
	{ "y / n", "yes/no: answer the highlighted statement", \
	  "y/n answer", UI_KF_YESNO }, \
	{ "1-8", "yes/no, matching, dropdown: go to row N", NULL, 0 }, \
	{ "j/k, Down/Up", "move between the rows of the question", NULL, 0 }, \
	{ "Space", "choose, toggle or cycle the highlighted row", NULL, 0 }, \
	{ "J/K", "ordering: move the highlighted item down/up", NULL, 0 }, \
	{ "Backspace", "start this answer over", NULL, 0 }

/* Starts on item it: empty, or its response when it has one. */
void uq_ask_set(struct uq_ask *k, const qs_item *it);
/* Handles one key.  UQ_ASK_SUBMIT: the student asked to submit and r
** holds a complete response (file order); an incomplete one is refused
** with a toast and counts as UQ_ASK_USED.  instant: a letter answers a
** single-choice question at once (practice, review). */
enum uq_ask_rc uq_ask_key(struct ui_app *a, struct uq_ask *k, int ch,
    int instant, qz_resp *r);
/* The response built so far when it is complete: 1 with r, else 0. */
int uq_ask_resp(const struct uq_ask *k, qz_resp *r);
/* Adds the question to d: stem, then its rows.  reveal NULL: the rows
** as being answered (focus on k->row when focus); else the graded item:
** the student's choices marked right or wrong, and the right answer. */
void uq_ask_doc(struct ui_app *a, const struct uq_ask *k, int focus,
    const qs_item *reveal, struct uq_doc *d);
/* A dim line naming the keys of the question's type, then enter (what
** Enter does on this screen). */
void uq_hint_doc(struct ui_app *a, const qz_question *q, const char *enter,
    struct uq_doc *d);
/* The case study of a question into d (nothing when it has none). */
void uq_case_doc(struct ui_app *a, const qz_case *cs, struct uq_doc *d);
/* The verdict line, the right answer, the author's notes and the
** explanation of a graded item, with its verdict highlighted. */
void uq_feedback_doc(struct ui_app *a, const qs_item *it, struct uq_doc *d);
/* One row of a table of results: "  name" cut or padded to namew
** columns, a bar of 16 for frac (0 to 1), the percentage, then counts. */
void uq_doc_row(struct ui_app *a, struct uq_doc *d, const char *name,
    int namew, double frac, const char *counts);
/* The per-domain and per-topic tables of r, weakest first, with bars. */
void uq_breakdown_doc(struct ui_app *a, const qs_result *r,
    struct uq_doc *d);

/*
** The question layout shared by practice, exam and review: below the
** title and status lines (top rows), the case study beside the question
** when the terminal is wide enough (else above it) and the question.
** Returns the hardware cursor line (-1 none).
*/
struct uq_qview {
	int	 scroll;	/* question pane */
	int	 cscroll;	/* case study pane */
	int	 focus_case;	/* Tab: keys scroll the case study */
	int	 follow;	/* keep the focused row visible */
	int	 page, cpage;	/* pane heights at the last redraw */
};
int uq_qview_draw(struct ui_app *a, struct uq_qview *qv, int top,
    const qz_case *cs, const struct uq_doc *qd, int row);
/* Tab, PgUp/PgDn and Home/End of the layout; 1 when used. */
int uq_qview_key(struct uq_qview *qv, int ch, int has_case);
/* The width the question pane gets (to build its document). */
int uq_qview_width(const struct ui_app *a, const qz_case *cs);

/*
** The Enter guard: after a letter answers a single-choice question at
** once, an Enter that comes with it (the next key, within a second) is
** not taken as "next": the student sees the feedback first.  Arm it with
** the key that answered; ask it about every key that follows.
*/
struct uq_guard {
	int	 armed;		/* 1: the answer came with more keys */
};
/* The key bar flags of an answer widget on question q: letters to pick
** (UI_KF_PICK) or y/n (UI_KF_YESNO), only while it takes an answer
** (open 1). */
void uq_ask_flags(struct ui_app *a, const struct qz_question *q, int open);
/* Arms the guard after an answer taken with key ch, when more keys were
** already waiting (a->typeahead). */
void uq_guard_arm(struct ui_app *a, struct uq_guard *g, int ch);
/* 1 when ch is an Enter to ignore (a toast says so); any key disarms. */
int uq_guard_eat(struct ui_app *a, struct uq_guard *g, int ch);

/* The start screens of the quiz (o->start UI_START_PRACTICE, EXAM,
** REVIEW, STATS): the screen and its state, made before the terminal
** starts so that whatever fails, fails first.  Returns 1 with *s and
** *st (the caller pushes or closes them); 0 when o->start is another
** screen; -1 with the reasons in err and nothing kept. */
int uq_start(const ui_opts *o, const struct ui_screen **s, void **st,
    sb *err);
/* The state constructors behind uq_start() and the Home entries:
** each returns a state for its screen; a state that could not start
** carries the reason (see uq_state_error) and shows it. */
void *uq_practice_new(struct ui_app *a, const qs_opts *o,
    const char *bank_dir, const char *db_path);
void *uq_exam_new(struct ui_app *a, const qs_opts *o, const char *bank_dir,
    const char *db_path);
void *uq_review_new(struct ui_app *a, const qs_opts *o,
    const char *bank_dir, const char *db_path);
void *uq_stats_new(struct ui_app *a, const char *bank_dir,
    const char *db_path);
/* Every quiz state starts with this: the reason it could not start, or
** NULL. */
struct uq_state {
	char	*error;
};
/* Draws the "cannot start" screen of a state with an error. */
void uq_error_draw(struct ui_app *a, const char *title, const char *error);
/* Esc closes the screen: pops it and returns 1; any other key: 0. */
int uq_back_key(struct ui_app *a, int ch);
/* The options of a session opened from the Home screen: kind, every
** domain, the clock now and a seed taken from it. */
void uq_opts_home(qs_opts *o, enum qs_kind kind);
/* Opens src (see uq_src_open) and starts the session o on it.  Returns the
** session, or NULL with *error set to the reason ("synclab: what: ..."
** when the session could not start); the caller frees *error and closes
** src in either case. */
qs_session *uq_session_start(struct uq_src *src, struct ui_app *a,
    const qs_opts *o, const char *bank_dir, const char *db_path,
    const char *what, char **error);
/* Adds the result of s to d: the score lines of qs_format_result() in
** bold, then the breakdown by domain when anything was graded. */
void uq_result_doc(struct ui_app *a, qs_session *s, struct uq_doc *d);
#endif

#endif
