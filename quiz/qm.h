/*
** qm.h: the spaced-review scheduler (Anki's SM-2 variant, no fuzz).
**
** Pure arithmetic on a card and a clock the caller passes in: nothing here
** reads the time or touches storage, so every interval can be checked by
** hand.  The constants are Anki's defaults; docs/quiz.md lists them.
*/
#ifndef qm_h
#define qm_h

#include <stdint.h>

enum qm_state { QM_NEW, QM_LEARNING, QM_REVIEW, QM_RELEARNING };
enum qm_rating { QM_AGAIN, QM_HARD, QM_GOOD, QM_EASY };

#define QM_DAY		86400
#define QM_EASE0	2.5
#define QM_EASE_MIN	1.3
#define QM_LEECH	8	/* lapses that make a card a leech */

typedef struct qm_card {
	enum qm_state	 state;
	int		 step;		/* learning/relearning step index */
	double		 ease;		/* set to QM_EASE0 on graduation */
	int		 ivl;		/* review interval, days */
	int64_t		 due;		/* unix seconds */
	int		 lapses;
	int		 reps;
	int		 leech;		/* suspended: never due again */
	int64_t		 last;		/* time of the last answer, 0 never */
} qm_card;

/* A new card, due now. */
void qm_init(qm_card *c, int64_t now);
/* A card for a question met for the first time outside a review (practice,
** an exam, a scenario): new at now, its first answer counted as Good when
** correct, else Again. */
void qm_first(qm_card *c, int correct, int64_t now);
/* Applies one answer at time now (unix seconds).  Returns 1 when this
** answer made the card a leech (it is then suspended), else 0. */
int qm_answer(qm_card *c, enum qm_rating r, int64_t now);
/* The interval a rating would give, in seconds, without changing c (for
** "Good: 3d" labels). */
int64_t qm_preview(const qm_card *c, enum qm_rating r, int64_t now);
const char *qm_state_name(enum qm_state s);
const char *qm_rating_name(enum qm_rating r);
/* Writes a short duration ("10m", "3d", "2.1mo") into buf. */
void qm_format_span(int64_t seconds, char *buf, unsigned long n);

#endif
