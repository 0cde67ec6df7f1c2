/*
** qcue.h: the cue checker: what a test-wise student could exploit in a
** question bank without knowing the subject.
**
** The rules, their thresholds and why they are set where they are are in
** docs/question-format.md ("Cue checks").  Per-question rules look at one
** item; bank rules (yesno-pattern, absolute-word, longest-key-rate) look
** at every item checked together and point at one representative item.
** A question's `waive` object ({"RULE": "reason"}) waives a per-question
** rule for that question, and takes that question out of a bank rule's
** count.
**
** Time is linear in the size of the bank: words go through hash sets,
** distractor sets through one hash table, and every position is found in
** one pass over each file.
*/
#ifndef qcue_h
#define qcue_h

#include <stddef.h>
#include <cjson/cJSON.h>
#include "lib/jx.h"
#include "lib/sb.h"
#include "quiz/qz.h"

/* X(enum, name): the rule names are those of the authors' prototype. */
#define QCUE_RULES(X) \
	X(QCUE_LONG_KEY, "long-key") \
	X(QCUE_N_LONGEST, "n-longest") \
	X(QCUE_STEM_WORD, "stem-word") \
	X(QCUE_TOPIC_WORD, "topic-word") \
	X(QCUE_CASE_LEAK, "case-leak") \
	X(QCUE_REUSED, "reused-distractors") \
	X(QCUE_YESNO_PATTERN, "yesno-pattern") \
	X(QCUE_ABSOLUTE, "absolute-word") \
	X(QCUE_LONGEST_RATE, "longest-key-rate")

#define QCUE_ENUM(e, n) e,
enum qcue_rule { QCUE_RULES(QCUE_ENUM) QCUE_NRULE };
#undef QCUE_ENUM

/* The thresholds (docs/question-format.md says why each is where it is). */
#define QCUE_LONG_RATIO		1.25	/* long-key: key >= 1.25 x ... */
#define QCUE_LONG_MARGIN	10	/* ... and >= 10 characters longer */
#define QCUE_RATE_MIN		10	/* longest-key-rate: single items needed */
#define QCUE_RATE_EXCESS	0.10	/* ... key longest > chance + 10 points */
#define QCUE_YN_MIN_UNIFORM	2.0	/* yesno-pattern: expected uniform sets */
#define QCUE_YN_MIN_STATEMENTS	20	/* ... statements for the Yes share */
#define QCUE_YN_SHARE_LO	0.35
#define QCUE_YN_SHARE_HI	0.65
#define QCUE_ABS_MIN		5	/* absolute-word: marked parts needed */

typedef struct qcue_finding {
	enum qcue_rule	 rule;
	const char	*file;		/* the document's name (borrowed) */
	int		 line, col;
	char		*path;		/* "questions[3].options[1]" */
	const char	*qid;		/* borrowed from the bank */
	char		*reason;
} qcue_finding;

/* The bank-level figures, printed by `synclab check --stats`. */
typedef struct qcue_stats {
	size_t	 singles;		/* single items counted */
	size_t	 key_longest;		/* ... whose key is strictly longest */
	double	 chance_longest;	/* expected count: sum of 1/options */
	size_t	 yesno;			/* yes/no sets counted */
	size_t	 uniform;		/* ... all Yes or all No */
	double	 chance_uniform;	/* expected: sum of 2^(1-k) */
	size_t	 nocount[7][7];		/* [statements][No answers] */
	size_t	 statements, yes;
	size_t	 abs_true, abs_false;	/* yes/no statements with a word */
	size_t	 abs_key, abs_wrong;	/* options with an absolute word */
	size_t	 options, keyed;	/* all options of single/multiple */
} qcue_stats;

typedef struct qcue_report {
	qcue_finding	*f;
	size_t		 n;
	size_t		 waived;	/* per-question findings waived */
	qcue_stats	 st;
} qcue_report;

/* Checks every question of b, which must be a bank loaded without errors
** (its documents give the positions and the `waive` objects).  Fills r,
** which the caller frees with qcue_report_free(); never fails. */
void qcue_check(const qz_bank *b, qcue_report *r);
void qcue_report_free(qcue_report *r);
/* One line per finding: "FILE:LINE:COL: PATH: RULE: REASON\n". */
void qcue_format(const qcue_report *r, sb *out);
/* The bank figures as a few lines of text. */
void qcue_format_stats(const qcue_report *r, sb *out);

/* The name of a rule, and the rule of a name (-1 when unknown). */
const char *qcue_rule_name(enum qcue_rule r);
int qcue_rule_parse(const char *name);

/* Validates a question's optional `waive` member (an object whose keys are
** rule names and whose values are non-empty reasons), recording every
** problem in d with jx_err.  Returns the set of waived rules as bits
** (1 << rule), 0 when absent or wrong. */
unsigned qcue_parse_waive(jx_doc *d, const cJSON *obj, const char *jpath);

#endif
