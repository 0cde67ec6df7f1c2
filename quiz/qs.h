/*
** qs.h: quiz sessions (practice, mock exam, spaced review) as an API that
** any front end drives: plain mode (qpl.h) and the terminal screens.
**
** A session owns its list of items (question, shuffled view, the student's
** response, flag, grade) and a cursor.  The front end shows an item, hands
** back what the student typed, and asks for text to show; it never grades
** or stores anything itself.  Time always comes from the caller (now_ms,
** milliseconds since the epoch), so tests run on fixed clocks.
**
** Storage: when the session has a store, practice and review answers are
** committed one transaction each as they are given; exam answers are saved
** as a draft as they are given and graded into attempts on submit.
*/
#ifndef qs_h
#define qs_h

#include <stddef.h>
#include <stdint.h>
#include "lib/sb.h"
#include "quiz/qz.h"
#include "quiz/qm.h"
#include "quiz/qdb.h"

enum qs_kind { QS_PRACTICE, QS_EXAM, QS_REVIEW };

#define QS_PRACTICE_COUNT	10
#define QS_EXAM_COUNT		50
#define QS_EXAM_MINUTES		45
#define QS_PASS			700

typedef struct qs_opts {
	enum qs_kind	 kind;
	const char	*topic;		/* practice: only this topic; NULL all */
	int		 domain;	/* practice: only this domain; -1 all */
	size_t		 count;		/* 0: the default of the kind; review: all due */
	uint64_t	 seed;
	int		 minutes;	/* exam: 0 means QS_EXAM_MINUTES */
	int		 blocked;	/* practice: do not interleave domains */
	int64_t		 now_ms;
	/* review: questions outside the bank whose cards may be due (the
	** scenarios' ask questions); borrowed, may be NULL */
	const qz_question *const *extra;
	size_t		 nextra;
} qs_opts;

typedef struct qs_item {
	const qz_question	*q;
	qz_view			 view;
	int			 answered;
	qz_resp			 resp;		/* file order */
	qz_grade		 grade;		/* valid once graded */
	int			 graded;
	int			 flagged;	/* exam */
	int			 pending;	/* review: right, waiting for a rating */
	int			 done;		/* committed (practice, review) */
	int64_t			 shown_ms;
	int64_t			 spent_ms;
} qs_item;

typedef struct qs_session {
	enum qs_kind	 kind;
	const qz_bank	*bank;
	qdb		*db;		/* borrowed; NULL stores nothing */
	qs_item		*items;
	size_t		 n;
	size_t		 cur;
	uint64_t	 seed;
	int		 minutes;
	int64_t		 started_ms;
	int64_t		 deadline_ms;	/* exam; 0 none */
	int64_t		 exam_id;
	int		 submitted;
	int		 abandoned;	/* exam: ended without a score */
	size_t		 leeches;	/* review: cards that became leeches */
	char		 source[32];
	/* Practice and exam: "" or why there are fewer questions than
	** --count asked for ("Only 6 questions match --domain ..."). */
	char		 shortfall[192];
} qs_session;

typedef struct qs_tally {
	double	 earned;	/* exam points earned (see qs_weight) */
	int	 weight;	/* exam points possible */
	int	 right;		/* questions fully right */
	int	 n;		/* questions */
} qs_tally;

typedef struct qs_topic {
	char		*name;
	qs_tally	 t;
} qs_topic;

typedef struct qs_result {
	qs_tally	 all;
	qs_tally	 dom[QZ_NDOMAIN];
	qs_topic	*topics;	/* weakest first */
	size_t		 ntopics;
	size_t		 answered, unanswered, flagged;
	double		 fraction;	/* all.earned / all.weight */
	int		 scaled;	/* 1 + round(999 x fraction) */
	int		 passed;	/* scaled >= QS_PASS */
} qs_result;

/* Starts a session over bank b (borrowed; it must outlive the session).
** Returns the session, or NULL with why in err (no matching questions,
** nothing due, a store error). */
qs_session *qs_start(const qz_bank *b, qdb *db, const qs_opts *o, sb *err);
/* A practice session over the questions of s answered not fully right,
** freshly shuffled.  NULL when there are none. */
qs_session *qs_retry_missed(const qs_session *s, int64_t now_ms);
void qs_free(qs_session *s);

/* The cursor.  qs_goto() clamps to the last item and stamps the time the
** item is first shown (for time-per-answer). */
void qs_goto(qs_session *s, size_t i, int64_t now_ms);
qs_item *qs_cur(qs_session *s);

/* Answers the current item.  Practice: graded and committed.  Review:
** graded; a wrong answer is committed as Again, a right one waits for
** qs_rate().  Exam: kept (changeable) and saved as a draft; not graded
** until qs_submit().  Returns 0, or -1 with why in err (a store error, a
** submitted exam, an item already answered in practice or review). */
int qs_answer(qs_session *s, const qz_resp *r, int64_t now_ms, sb *err);
/* Review: commits the pending item with the student's rating.  *leech is
** set when this made the card a leech.  Returns 0 or -1 (err). */
int qs_rate(qs_session *s, enum qm_rating rating, int64_t now_ms, int *leech,
    sb *err);
/* Exam: the student left the start screen: the clock starts now (the
** deadline is now + the minutes) and the stored exam gets this start.
** Returns 0 or -1 (err). */
int qs_exam_begin(qs_session *s, int64_t now_ms, sb *err);
/* Exam: ends it without a score (from the start screen or at any time
** before submitting): nothing is graded or recorded as attempts, and the
** stored exam is marked abandoned.  Returns 0 or -1 (err). */
int qs_abandon(qs_session *s, int64_t now_ms, sb *err);
/* Exam: flags or unflags the current item (saved with the draft). */
int qs_flag(qs_session *s, int on, sb *err);
/* Exam: milliseconds left (<= 0: time is up); INT64_MAX without a limit. */
int64_t qs_time_left(const qs_session *s, int64_t now_ms);
/* Exam: grades every item and records the attempts and the result, all in
** one transaction.  Returns 0 or -1 (err; nothing written). */
int qs_submit(qs_session *s, int64_t now_ms, sb *err);
/* The tallies of every graded item.  Free with qs_result_free(). */
void qs_result_get(const qs_session *s, qs_result *r);
void qs_result_free(qs_result *r);
/* The exam points of an item: its parts when scored per part, else 1. */
int qs_weight(const qz_question *q);
/* The scaled score of a fraction: 1 + round(999 x fraction). */
int qs_scale(double fraction);

/* --- text (plain mode and the screens use the same words) -------------- */
/* Exam: the start screen's text: what the exam is (length, time, how it
** is drawn and scored, that the score is an estimate), before the clock
** starts. */
void qs_format_exam_intro(const qs_session *s, sb *out);
/* "Question 3 of 50 | flagged | your answer: b": no topic or domain, which
** could name the answer. */
void qs_format_header(const qs_session *s, size_t i, sb *out);
/* The header, the case study (if any) and the question under its view. */
void qs_format_item(const qs_session *s, size_t i, sb *out);
/* "Outline 2.3.3 Redundancy options (Azure architecture and services);
** topics: a, b.": where a question sits, for after it is answered. */
void qs_format_where(const qz_question *q, sb *out);
/* Feedback after a practice or review answer (ends with the outline line
** and topics). */
void qs_format_feedback(const qs_session *s, size_t i, sb *out);
/* Exam: one line per item: number, answered/unanswered, flagged. */
void qs_format_list(const qs_session *s, sb *out);
/* The score block: practice summary or exam result with the mapping. */
void qs_format_result(const qs_session *s, const qs_result *r, sb *out);
/* Per-domain and per-topic tables, weakest first. */
void qs_format_breakdown(const qs_result *r, sb *out);
/* Exam: every question with the student's answer, the right one and the
** explanation. */
void qs_format_answers(const qs_session *s, sb *out);
/* "44:59" style. */
void qs_format_clock(int64_t ms, char *buf, size_t n);

#endif
