/*
** qrd.h: readiness: from the answers given so far (practice, review,
** exams, scenarios), per outline line, per domain and overall, the chance
** of 700 or more on the real exam, with an interval.
**
** The model (docs/quiz.md, "Readiness") in short: each outline line's
** chance of a right answer is a Beta posterior over the student's weighted
** answers on that line (recent answers, first meetings and exam-level
** questions weigh more), with a weak prior at the student's mean for the
** domain; the lines are combined as the mock exam draws them (domain
** seats of a 50-question exam, spread over areas and lines) into the mean
** and spread of the exam's fraction of points, read as a normal
** distribution.  Everything is arithmetic on the store: no randomness, the
** same answers at the same time give the same figures.
*/
#ifndef qrd_h
#define qrd_h

#include <stddef.h>
#include <stdint.h>
#include "lib/sb.h"
#include "quiz/qdb.h"
#include "quiz/qz.h"

#define QRD_HALF_LIFE_DAYS	14.0	/* an answer's weight halves */
#define QRD_REPEAT_WEIGHT	0.5	/* a question met before */
#define QRD_PRIOR		2.0	/* pseudo-answers of a line's prior */
#define QRD_MIN_ALL		30	/* questions answered, overall */
#define QRD_MIN_DOMAIN		8	/* ... in a domain */

typedef struct qrd_line {
	int	 n;		/* attempts */
	int	 right;		/* fully right */
	double	 score;		/* the sum of their scores */
	int	 questions;	/* distinct questions answered */
	double	 s, f;		/* weighted right and wrong */
	double	 mean, sd;	/* the chance of a right answer: posterior */
} qrd_line;

typedef struct qrd_est {
	int	 enough;	/* else "not enough answers yet" */
	int	 have, need;	/* distinct questions answered, needed */
	double	 mean, sd;	/* the exam's fraction of points */
	double	 p_pass;	/* P(score >= 700) */
	int	 scaled;	/* expected score, 1-1000 */
	int	 lo, hi;	/* its 80% interval */
} qrd_est;

typedef struct qrd_report {
	qrd_line	*line;		/* qol_count() entries, outline order */
	size_t		 nline;
	size_t		*weakest;	/* the lines with answers, weakest first */
	size_t		 nweak;
	qrd_est		 all;
	qrd_est		 dom[QZ_NDOMAIN];
	size_t		 seats[QZ_NDOMAIN];	/* of the 50-question exam */
	size_t		 counted;	/* attempts used */
	size_t		 skipped;	/* not in the bank, or no outline code */
} qrd_report;

/* An empty report (owns its arrays: free with qrd_free()). */
void qrd_init(qrd_report *r);
/* Counts one attempt at question q answered at `at` (unix seconds) with
** score in [0, 1]; repeat is set when the student had answered q before.
** A question without an outline code is counted as skipped. */
void qrd_add(qrd_report *r, const qz_question *q, int64_t at, double score,
    int repeat, int64_t now);
/* The posteriors and the estimates from what was added. */
void qrd_finish(qrd_report *r);
/* Reads every attempt of the store (one pass, in the order recorded), counts
** those whose question is in b and finishes.  Returns 0, or -1 with why
** in err (the report is then empty but valid). */
int qrd_load(qdb *db, const qz_bank *b, int64_t now, qrd_report *r,
    sb *err);
void qrd_free(qrd_report *r);

/* The readiness block and the outline lines, weakest first, for people. */
void qrd_format_text(const qrd_report *r, sb *out);
/* Two JSON members (no braces around them): "readiness":{...} and
** "outline":[...]. */
void qrd_format_json(const qrd_report *r, sb *out);
/* Rows of the stats CSV table (kinds ready, ready-low, ready-high, line). */
void qrd_format_csv(const qrd_report *r, sb *out);
/* One line of an estimate: "62% chance of 700 or more; expected 742,
** 80% interval 655-829" or "not enough answers yet (12 of 30 questions)". */
void qrd_format_est(const qrd_est *e, sb *out);

#endif
