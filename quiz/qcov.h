/*
** qcov.h: the bank's coverage of the exam outline, as the Markdown table
** of docs/question-bank.md ("By outline line").  `synclab check
** --coverage` prints it, tools/bank-coverage.sh puts it into the page, and
** tests/test_bank.c checks that the page matches the bank.
*/
#ifndef qcov_h
#define qcov_h

#include "lib/sb.h"
#include "quiz/qz.h"

/* Appends the table: one row per outline line (questions, exam-level
** ones, and per type), a row per domain and one for the whole bank; a row
** for questions without an outline code when there are any.  Lines with
** no question show 0, so gaps are visible.  Never fails. */
void qcov_format(const qz_bank *b, sb *out);

#endif
