/*
** qpl.h: plain mode: sessions over plain lines of text.
**
** For scripts, pipes and screen readers: every prompt is a whole line,
** every answer is one line in the syntax of docs/question-format.md, and
** nothing moves the cursor.  `q` (or the end of input) ends a session,
** keeping every answer already given.  Each committed answer prints a line
** "saved: ID" so that a script knows exactly what is stored.
*/
#ifndef qpl_h
#define qpl_h

#include <stdint.h>
#include <stdio.h>
#include "quiz/qs.h"

typedef struct qpl_io {
	FILE	*in;
	FILE	*out;
	/* The clock, milliseconds since the epoch. */
	int64_t	(*now_ms)(void);
	/* Echo each line read as "> LINE" (when the input is not a terminal,
	** so that a transcript shows what was answered). */
	int	 echo;
} qpl_io;

/* The clock of the commands: SYNCLAB_NOW (an ISO time such as
** 2026-03-01T09:00:00Z) when set, else the wall clock. */
int64_t qpl_clock(void);
/* Parses "YYYY-MM-DD[THH:MM[:SS]][Z]" (UTC) into unix seconds; 0 or -1. */
int qpl_parse_time(const char *s, int64_t *out);

/* Each runs a started session to its end and returns the exit status
** (0, or 1 after a store error).  The session stays the caller's. */
int qpl_practice(qs_session *s, const qpl_io *io);
int qpl_exam(qs_session *s, const qpl_io *io);
int qpl_review(qs_session *s, const qpl_io *io);
/* "N due now, M more later today" for the review header. */
void qpl_due_line(qdb *db, int64_t now_ms, sb *out);

#endif
