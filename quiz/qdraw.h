/*
** qdraw.h: which questions a mock exam asks (docs/quiz.md, "The draw").
**
** The exam is drawn as the real one is built: each domain gets its share of
** the outline (within its published range), the questions of a domain are
** spread over its outline areas and lines, and difficulty-3 questions
** ("beyond the exam") are left to practice.  The same seed gives the same
** exam; different seeds give different ones.
*/
#ifndef qdraw_h
#define qdraw_h

#include <stddef.h>
#include "quiz/qz.h"

/* Shuffles a[0..n) with r (Fisher-Yates). */
void qdraw_shuffle(const qz_question **a, size_t n, rng *r);
/* 1 when q may appear in a mock exam: difficulty 1 or 2. */
int qdraw_eligible(const qz_question *q);

/* The seats of each domain in an exam of n questions when the bank has
** avail[d] eligible questions in domain d: every domain's share within
** its published range, as close to the range's midpoint as whole seats
** allow (possible for n >= 23 and for 10, 15, 18, 20, 21; below that the
** midpoints split by the largest remainder); a domain short of questions
** gives up its spare
** seats, first to the domains below the top of their published range
** (most room first), then to any with questions (architecture and
** services first, then in turns).  The seats never exceed what the bank
** has; their sum is min(n, sum of avail). */
void qdraw_quota(size_t n, const size_t avail[QZ_NDOMAIN],
    size_t quota[QZ_NDOMAIN]);

/* Draws up to want eligible questions of b into out (room for want), each
** domain's seats spread over its outline areas (in turns, the order drawn
** from r) and within an area over its lines, one question per line per
** turn.  Questions whose objective is not an outline code count as one
** extra line of their domain.  Returns how many were drawn; the order is
** by domain and turn, for the caller to arrange. */
size_t qdraw_exam(const qz_bank *b, size_t want, rng *r,
    const qz_question **out);

#endif
