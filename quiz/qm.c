/*
** qm.c: Anki's SM-2 variant; see qm.h and docs/quiz.md.
**
** Differences from Anki, on purpose: no fuzz (the same history always gives
** the same schedule, which makes the tests exact and the forecast honest),
** and due times are kept in seconds for every state instead of Anki's day
** numbers for review cards.
*/
#include "quiz/qm.h"

#include <math.h>
#include <stdio.h>

static const int64_t qm_learn[] = { 60, 600 };	/* 1m 10m */
static const int64_t qm_relearn[] = { 600 };	/* 10m */
#define QM_GRAD_IVL	1	/* days */
#define QM_EASY_IVL	4	/* days */
#define QM_HARD_MULT	1.2
#define QM_EASY_BONUS	1.3
#define QM_MAX_IVL	36500

void
qm_init(qm_card *c, int64_t now)
{
	c->state = QM_NEW;
	c->step = 0;
	c->ease = QM_EASE0;
	c->ivl = 0;
	c->due = now;
	c->lapses = 0;
	c->reps = 0;
	c->leech = 0;
	c->last = 0;
}

void
qm_first(qm_card *c, int correct, int64_t now)
{
	qm_init(c, now);
	qm_answer(c, correct ? QM_GOOD : QM_AGAIN, now);
}

static int
qm_clamp(double days, int min)
{
	long v = lround(days);
	if (v < min)
		v = min;
	if (v > QM_MAX_IVL)
		v = QM_MAX_IVL;
	return (int)v;
}

/* The next intervals of a review card, in days, for Hard, Good and Easy. */
static void
qm_review_ivls(const qm_card *c, int64_t now, int out[3])
{
	int64_t late = now > c->due ? (now - c->due) / QM_DAY : 0;
	double i = c->ivl;
	out[0] = qm_clamp(i * QM_HARD_MULT, c->ivl + 1);
	/* Anki's legacy scheduler credits half the days late to Good (whole
	** days, rounded down) and all of them to Easy. */
	out[1] = qm_clamp((i + (double)(late / 2)) * c->ease, out[0] + 1);
	out[2] = qm_clamp((i + (double)late) * c->ease * QM_EASY_BONUS, out[1] + 1);
}

/* The delay of a learning-type answer; *graduate is set when it leaves. */
static int64_t
qm_step_delay(const qm_card *c, enum qm_rating r, int *next_step, int *graduate)
{
	const int64_t *steps = c->state == QM_RELEARNING ? qm_relearn : qm_learn;
	int n = c->state == QM_RELEARNING ? 1 : 2;
	int s = c->step < n ? c->step : n - 1;
	*graduate = 0;
	*next_step = s;
	switch (r) {
	case QM_AGAIN:
		*next_step = 0;
		return steps[0];
	case QM_HARD:
		/* Hard on the first step: the average of the first two steps;
		** with only one step, half as long again (at most a day more). */
		if (s == 0 && n > 1)
			return (steps[0] + steps[1]) / 2;
		if (n == 1) {
			int64_t d = steps[0] * 3 / 2;
			return d > steps[0] + QM_DAY ? steps[0] + QM_DAY : d;
		}
		return steps[s];
	case QM_GOOD:
		if (s + 1 < n) {
			*next_step = s + 1;
			return steps[s + 1];
		}
		*graduate = 1;
		return 0;
	case QM_EASY:
		*graduate = 1;
		return 0;
	}
	return 0;
}

int
qm_answer(qm_card *c, enum qm_rating r, int64_t now)
{
	int became_leech = 0;
	c->reps++;
	c->last = now;
	if (c->state == QM_NEW) {
		c->state = QM_LEARNING;
		c->step = 0;
	}
	if (c->state == QM_LEARNING || c->state == QM_RELEARNING) {
		int next, grad;
		int64_t d = qm_step_delay(c, r, &next, &grad);
		if (!grad) {
			c->step = next;
			c->due = now + d;
			return 0;
		}
		if (c->state == QM_LEARNING) {
			c->ease = QM_EASE0;
			c->ivl = r == QM_EASY ? QM_EASY_IVL : QM_GRAD_IVL;
		} else
			c->ivl = r == QM_EASY ? c->ivl + 1 : c->ivl;
		c->state = QM_REVIEW;
		c->step = 0;
		c->due = now + (int64_t)c->ivl * QM_DAY;
		return 0;
	}

	/* A review card. */
	int iv[3];
	qm_review_ivls(c, now, iv);
	switch (r) {
	case QM_AGAIN:
		c->lapses++;
		c->ease -= 0.20;
		/* New interval: I x 0.0, but at least one day. */
		c->ivl = qm_clamp(c->ivl * 0.0, 1);
		c->state = QM_RELEARNING;
		c->step = 0;
		c->due = now + qm_relearn[0];
		if (c->lapses >= QM_LEECH && (c->lapses - QM_LEECH) % 4 == 0) {
			became_leech = !c->leech;
			c->leech = 1;
		}
		break;
	case QM_HARD:
		c->ease -= 0.15;
		c->ivl = iv[0];
		break;
	case QM_GOOD:
		c->ivl = iv[1];
		break;
	case QM_EASY:
		c->ease += 0.15;
		c->ivl = iv[2];
		break;
	}
	if (c->ease < QM_EASE_MIN)
		c->ease = QM_EASE_MIN;
	/* Keep the ease on a 1/100 grid so that stored and computed values
	** agree exactly after a round trip through the database. */
	c->ease = round(c->ease * 100.0) / 100.0;
	if (r != QM_AGAIN)
		c->due = now + (int64_t)c->ivl * QM_DAY;
	return became_leech;
}

int64_t
qm_preview(const qm_card *c, enum qm_rating r, int64_t now)
{
	qm_card t = *c;
	qm_answer(&t, r, now);
	return t.due - now;
}

const char *
qm_state_name(enum qm_state s)
{
	static const char *const n[] = { "new", "learning", "review", "relearning" };
	return n[s];
}

const char *
qm_rating_name(enum qm_rating r)
{
	static const char *const n[] = { "again", "hard", "good", "easy" };
	return n[r];
}

void
qm_format_span(int64_t s, char *buf, unsigned long n)
{
	if (s < 3600)
		snprintf(buf, n, "%lldm", (long long)((s + 59) / 60));
	else if (s < QM_DAY)
		snprintf(buf, n, "%lldh", (long long)((s + 1800) / 3600));
	else if (s < 30LL * QM_DAY)
		snprintf(buf, n, "%lldd", (long long)((s + QM_DAY / 2) / QM_DAY));
	else if (s < 365LL * QM_DAY)
		snprintf(buf, n, "%.1fmo", (double)s / (30.0 * QM_DAY));
	else
		snprintf(buf, n, "%.1fy", (double)s / (365.0 * QM_DAY));
}
