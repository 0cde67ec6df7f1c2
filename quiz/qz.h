/*
** qz.h: the quiz engine's question API (the part other modules use).
**
** A question is parsed from a cJSON object inside a jx_doc so that every
** problem is reported with FILE:LINE:COL and its JSON path.  Scenario
** `ask` steps are parsed with qz_parse_question() too, so the two formats
** can never drift apart.  See docs/question-format.md.
**
** Indices everywhere in this API are in file order (the order the author
** wrote); only a qz_view maps them to the order shown on screen, so stored
** answers and progress never depend on a shuffle.
*/
#ifndef qz_h
#define qz_h

#include <stddef.h>
#include <stdint.h>
#include <cjson/cJSON.h>
#include "lib/jx.h"
#include "lib/sb.h"
#include "lib/rng.h"

/* No list in a question (options, statements, items, targets, blanks, the
** options of one blank) is longer than this. */
#define QZ_MAXPART 8

enum qz_type {
	QZ_SINGLE, QZ_MULTIPLE, QZ_YESNO, QZ_MATCHING, QZ_ORDERING, QZ_DROPDOWN
};
enum qz_domain {
	QZ_CLOUD, QZ_ARCH, QZ_MGMT, QZ_NDOMAIN
};
enum qz_scoring {
	QZ_ALL_OR_NOTHING, QZ_PER_PART
};

typedef struct qz_case {
	char	 *id;
	char	 *title;
	char	 *text;
	char	**reqs;
	size_t	  nreqs;
} qz_case;

typedef struct qz_list {
	char	**s;
	size_t	  n;
} qz_list;

typedef struct qz_question qz_question;
struct qz_question {
	char		*id;
	enum qz_type	 type;
	char		*stem;
	char		*explanation;
	qz_list		 feedback;	/* empty, or one per option/statement */
	qz_list		 topics;
	enum qz_domain	 domain;
	char		*objective;	/* may be NULL */
	int		 difficulty;	/* 1-3 */
	enum qz_scoring	 scoring;
	char		*ref;		/* may be NULL */
	char		*case_id;	/* may be NULL */
	const qz_case	*cs;		/* resolved by the bank loader, else NULL */
	/* The main list: options (single, multiple), statements (yesno),
	** items (matching, ordering). */
	qz_list		 list;
	qz_list		 targets;	/* matching */
	qz_list		 blanks[QZ_MAXPART];	/* dropdown: options per blank */
	size_t		 nblanks;
	int		 choose;	/* multiple */
	/* The answer: single 1 index; multiple `choose` indices; yesno 0/1
	** per statement; matching a target per item; ordering the item
	** indices in order; dropdown an option per blank. */
	int		 answer[QZ_MAXPART];
	size_t		 nanswer;
	/* Set for questions of a bank: their strings point into the bank's
	** parsed documents instead of being copies (loading is faster). */
	int		 borrowed;
};

/* A response in file order, shaped like qz_question.answer. */
typedef struct qz_resp {
	int	 v[QZ_MAXPART];
	size_t	 n;
} qz_resp;

/* One attempt's display order: perm[i] is the file index shown at place i
** of the shuffled list (options, matching targets, ordering items);
** bperm[b][i] the same for the options of blank b.  Yes/no statements and
** matching items keep their order (they are numbered, not lettered). */
typedef struct qz_view {
	unsigned char	perm[QZ_MAXPART];
	unsigned char	bperm[QZ_MAXPART][QZ_MAXPART];
} qz_view;

typedef struct qz_grade {
	int	 points;	/* parts right */
	int	 parts;
	double	 score;		/* in [0, 1], the scoring mode applied */
	int	 correct;	/* score == 1 */
} qz_grade;

/* Parses one question object found at jpath in d.  Returns a new question
** the caller frees with qz_question_free(), or NULL when anything is wrong
** (every problem recorded in d with jx_err). */
qz_question *qz_parse_question(jx_doc *d, const cJSON *obj, const char *jpath);
void qz_question_free(qz_question *q);
const char *qz_question_id(const qz_question *q);
const char *qz_question_explanation(const qz_question *q);

/* Appends the question as plain text, options lettered in file order, with
** a last line naming the answer syntax for its type. */
void qz_format_plain(const qz_question *q, sb *out);
/* Grades an answer in the plain syntax (file order).  Returns 0 with *score
** in [0, 1] (the question's scoring mode applied) and, in feedback, a line
** saying right/partly right/wrong and the right answer; or -1 when the
** text is not a valid answer for this question (why in feedback). */
int qz_grade_plain(const qz_question *q, const char *answer, double *score,
    sb *feedback);

/* Validates a question bank file strictly.  Returns the number of errors
** (0: valid), each appended to errs as "FILE:LINE:COL: path: what\n". */
int qz_check_file(const char *path, sb *errs);

/* --- names ------------------------------------------------------------ */
const char *qz_type_name(enum qz_type t);
const char *qz_domain_name(enum qz_domain d);	/* "cloud-concepts" ... */
const char *qz_domain_title(enum qz_domain d);	/* "Cloud concepts" ... */
/* Returns the domain for its name, or -1. */
int qz_domain_parse(const char *name);

/* --- display order, parsing, grading ---------------------------------- */
/* The identity view (file order). */
void qz_view_identity(qz_view *v);
/* A shuffled view drawn from r. */
void qz_view_shuffle(const qz_question *q, rng *r, qz_view *v);
/* Parses an answer typed in the plain syntax against view v (NULL: file
** order) into r (file order).  Returns 0, or -1 with a helpful message in
** why (one line, no newline). */
int qz_parse_answer(const qz_question *q, const qz_view *v, const char *text,
    qz_resp *r, sb *why);
/* Grades a response (file order).  Never fails: a response of the wrong
** shape earns 0 points. */
void qz_grade_resp(const qz_question *q, const qz_resp *r, qz_grade *g);
/* The right answer as a response. */
void qz_right_resp(const qz_question *q, qz_resp *r);

/* --- text for plain mode and the screens ------------------------------ */
/* The question as text under view v (NULL: file order): stem, the lettered
** or numbered lists, and a last line naming the answer syntax. */
void qz_format_view(const qz_question *q, const qz_view *v, sb *out);
/* The place (letter index) at which file index fi is shown under the
** permutation perm of n entries (a view's perm or bperm[b]); 0 when fi is
** not among them. */
int qz_place(const unsigned char *perm, size_t n, int fi);
/* The one-line syntax hint for the question's type ("one letter, e.g. b"). */
const char *qz_syntax_hint(const qz_question *q);
/* r in the plain syntax under view v ("a c", "1b 2a"). */
void qz_format_resp(const qz_question *q, const qz_view *v, const qz_resp *r,
    sb *out);
/* r spelled out with the option texts, one part per line, each line
** starting with indent. */
void qz_format_resp_long(const qz_question *q, const qz_view *v,
    const qz_resp *r, const char *indent, sb *out);
/* 1 when q is a matching question whose items use every target once
** (as many targets as items, no target twice in the answer). */
int qz_one_to_one(const qz_question *q);
/* "Right.", "Partly right: 2 of 3 parts right, and each part earns its
** share, so 67%.", "Not fully right: 1 of 2 parts right, but this question
** earns its point only when every part is right, so 0%." or "Wrong.". */
void qz_format_verdict(const qz_question *q, const qz_grade *g, sb *out);
/* The feedback after an answer: the verdict, the right answer (syntax and
** texts), for yes/no, matching and dropdown each part answered wrongly
** ("Wrong: statement 2, you said Yes; it is No."), the author's
** per-option feedback for what was chosen, and the explanation.  r and g may be NULL (nothing answered): no verdict then. */
void qz_format_feedback(const qz_question *q, const qz_view *v,
    const qz_resp *r, const qz_grade *g, sb *out);
/* A case study as text (title, text, requirements). */
void qz_format_case(const qz_case *cs, sb *out);

/* --- banks ------------------------------------------------------------ */
typedef struct qz_bank {
	qz_question	**q;
	size_t		  nq;
	qz_case		**cs;
	size_t		  ncs;
	jx_doc		 *docs;		/* the questions' strings live here */
	size_t		  ndocs;
	size_t		 *slots;	/* the ids hashed: index + 1, 0 empty */
	size_t		  nslots;	/* a power of two, or 0 */
} qz_bank;

/* Loads every file named in paths; a folder means its *.json files (by
** name).  Returns the number of errors: 0 and a loaded bank, or > 0 with
** every error appended to errs ("FILE:LINE:COL: path: what\n") and an
** empty bank (never half-loaded).  Ids must be unique across all files.
** The bank is freed with qz_bank_free() either way. */
int qz_bank_load(qz_bank *b, const char *const *paths, size_t npaths,
    sb *errs);
/* The same for one document already in memory (tests, scenarios). */
int qz_bank_load_text(qz_bank *b, const char *name, const char *text,
    sb *errs);
void qz_bank_free(qz_bank *b);
/* Returns the question with that id, or NULL (a hash lookup). */
const qz_question *qz_bank_find(const qz_bank *b, const char *id);
/* The index in b->q of the question with that id, or -1. */
long qz_bank_index(const qz_bank *b, const char *id);

#endif
