/*
** qst.h: progress statistics from the store, and their text, JSON and CSV.
**
** Days are UTC days (unix time / 86400), so the same store gives the same
** report everywhere.
*/
#ifndef qst_h
#define qst_h

#include <stddef.h>
#include <stdint.h>
#include "lib/sb.h"
#include "quiz/qdb.h"
#include "quiz/qrd.h"

#define QST_DAYS	14	/* the trend line: the last 14 days */
#define QST_FORECAST	7

typedef struct qst_row {
	char	*name;
	int	 n;		/* attempts */
	int	 right;		/* fully right */
	double	 score;		/* sum of scores */
} qst_row;

typedef struct qst_exam {
	int64_t	 id;
	int64_t	 finished;
	int	 count;
	int	 scaled;
	int	 passed;
} qst_exam;

typedef struct qst_stats {
	int64_t		 now;
	qst_row		 all;
	qst_row		 dom[3];	/* in qz_domain order */
	qst_row		*topics;	/* weakest first */
	size_t		 ntopics;
	qst_row		 days[QST_DAYS];	/* oldest first; name = "YYYY-MM-DD" */
	int		 forecast[QST_FORECAST];	/* cards due per day; [0] includes overdue */
	int		 cards;
	int		 leeches;
	qst_exam	*exams;		/* oldest first, scored ones */
	size_t		 nexams;
	int		 abandoned;	/* exams abandoned (not scored) */
	/* Readiness and the outline lines (the caller's, may be NULL): the
	** formats print them after the domains and topics. */
	const qrd_report *ready;
} qst_stats;

/* Reads everything at time now (unix seconds).  Returns 0, or -1 with why
** in err.  Free with qst_free() either way. */
int qst_load(qdb *db, int64_t now, qst_stats *st, sb *err);
void qst_free(qst_stats *st);

/* The report for people: counts, tables weakest first, the trend line
** (Unicode blocks when utf8, else ASCII), the forecast and the exams. */
void qst_format_text(const qst_stats *st, int utf8, sb *out);
void qst_format_json(const qst_stats *st, sb *out);
/* One table: kind,name,attempts,right,percent,value (docs/quiz.md). */
void qst_format_csv(const qst_stats *st, sb *out);
/* A sparkline of values in [0, 1] (negative: no data, shown as a space). */
void qst_sparkline(const double *v, size_t n, int utf8, sb *out);

#endif
