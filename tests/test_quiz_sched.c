/*
** test_quiz_sched.c: the SM-2 scheduler against hand-computed intervals
** and eases, over one card's whole life: learning, graduation, Good, Hard,
** Easy (late), a lapse, relearning, and lapses until it is a leech.
*/
#include "tests/testutil.h"
#include "quiz/qm.h"

#include <math.h>

#define T0	1767225600LL	/* 2026-01-01 00:00:00 UTC */
#define M	60LL
#define D	86400LL

static void
assert_ease(double got, double want)
{
	if (fabs(got - want) > 1e-9)
		fail_msg("ease %.4f, want %.4f", got, want);
}

static void
test_learning_steps(void **state)
{
	(void)state;
	qm_card c;
	qm_init(&c, T0);
	assert_int_equal(c.state, QM_NEW);
	assert_int_equal(c.due, T0);

	/* Again on a new card: the first step, 1m. */
	assert_int_equal(qm_answer(&c, QM_AGAIN, T0), 0);
	assert_int_equal(c.state, QM_LEARNING);
	assert_int_equal(c.step, 0);
	assert_int_equal(c.due, T0 + 1 * M);
	/* Hard on the first step: the average of 1m and 10m = 5.5m. */
	qm_answer(&c, QM_HARD, T0 + M);
	assert_int_equal(c.step, 0);
	assert_int_equal(c.due, T0 + M + 330);
	/* Good: the second step, 10m. */
	qm_answer(&c, QM_GOOD, T0 + 2 * M);
	assert_int_equal(c.step, 1);
	assert_int_equal(c.due, T0 + 12 * M);
	/* Hard on the last step repeats it. */
	qm_answer(&c, QM_HARD, T0 + 12 * M);
	assert_int_equal(c.due, T0 + 22 * M);
	/* Good on the last step graduates: 1 day, ease 2.5. */
	qm_answer(&c, QM_GOOD, T0 + 22 * M);
	assert_int_equal(c.state, QM_REVIEW);
	assert_int_equal(c.ivl, 1);
	assert_ease(c.ease, 2.5);
	assert_int_equal(c.due, T0 + 22 * M + D);
	assert_int_equal(c.reps, 5);
	assert_int_equal(c.lapses, 0);

	/* Easy on a new card graduates at once with 4 days. */
	qm_init(&c, T0);
	qm_answer(&c, QM_EASY, T0);
	assert_int_equal(c.state, QM_REVIEW);
	assert_int_equal(c.ivl, 4);
	assert_int_equal(c.due, T0 + 4 * D);
}

static void
test_whole_history(void **state)
{
	(void)state;
	qm_card c;
	int64_t t = T0;
	qm_init(&c, t);
	qm_answer(&c, QM_GOOD, t);		/* step 1: 10m */
	t += 10 * M;
	qm_answer(&c, QM_GOOD, t);		/* graduates: 1d */
	assert_int_equal(c.ivl, 1);
	t = c.due;

	/* Good, on time: Hard would be max(1+1, round(1.2)) = 2, Good is
	** max(2+1, round(1 x 2.5 = 2.5) = 3) = 3. */
	assert_int_equal(qm_preview(&c, QM_HARD, t), 2 * D);
	assert_int_equal(qm_preview(&c, QM_GOOD, t), 3 * D);
	assert_int_equal(qm_preview(&c, QM_EASY, t), 4 * D);	/* round(3.25)=3 -> Good+1 */
	qm_answer(&c, QM_GOOD, t);
	assert_int_equal(c.ivl, 3);
	assert_ease(c.ease, 2.5);
	t = c.due;

	/* Hard: max(4, round(3 x 1.2 = 3.6) = 4) = 4, ease 2.5 - 0.15. */
	qm_answer(&c, QM_HARD, t);
	assert_int_equal(c.ivl, 4);
	assert_ease(c.ease, 2.35);
	t = c.due + 2 * D;		/* answered two days late */

	/* Easy, 2 days late: Hard = 5, Good = round((4 + 1) x 2.35 = 11.75)
	** = 12, Easy = round((4 + 2) x 2.35 x 1.3 = 18.33) = 18; ease +0.15. */
	qm_answer(&c, QM_EASY, t);
	assert_int_equal(c.ivl, 18);
	assert_ease(c.ease, 2.5);
	assert_int_equal(c.due, t + 18 * D);
	t = c.due + 3 * D + 5 * 3600;	/* 3 whole days late (and some hours) */

	/* Good, 3 days late: round((18 + 1) x 2.5 = 47.5) = 48 (only half of
	** the days late, rounded down, count for Good). */
	qm_answer(&c, QM_GOOD, t);
	assert_int_equal(c.ivl, 48);
	t = c.due;

	/* Again: a lapse.  Ease 2.3, new interval max(1, 48 x 0) = 1 day,
	** relearning with its 10m step. */
	assert_int_equal(qm_answer(&c, QM_AGAIN, t), 0);
	assert_int_equal(c.state, QM_RELEARNING);
	assert_int_equal(c.lapses, 1);
	assert_int_equal(c.ivl, 1);
	assert_ease(c.ease, 2.3);
	assert_int_equal(c.due, t + 10 * M);
	/* Hard in relearning (one step): 1.5 x 10m. */
	qm_answer(&c, QM_HARD, t + 10 * M);
	assert_int_equal(c.due, t + 25 * M);
	/* Again in relearning: back to the step, no new lapse. */
	qm_answer(&c, QM_AGAIN, t + 25 * M);
	assert_int_equal(c.lapses, 1);
	assert_int_equal(c.due, t + 35 * M);
	/* Good ends relearning with the lapse interval, 1 day. */
	qm_answer(&c, QM_GOOD, t + 35 * M);
	assert_int_equal(c.state, QM_REVIEW);
	assert_int_equal(c.ivl, 1);
	assert_int_equal(c.due, t + 35 * M + D);
	assert_ease(c.ease, 2.3);
	t = c.due;

	/* Seven more lapses: the ease falls by 0.2 to its floor of 1.3 and
	** the eighth lapse makes the card a leech (suspended). */
	const double eases[] = { 2.1, 1.9, 1.7, 1.5, 1.3, 1.3, 1.3 };
	for (int i = 0; i < 7; i++) {
		int leech = qm_answer(&c, QM_AGAIN, t);
		assert_int_equal(c.lapses, 2 + i);
		assert_ease(c.ease, eases[i]);
		assert_int_equal(leech, c.lapses == 8);
		assert_int_equal(c.leech, c.lapses == 8);
		t += 10 * M;
		qm_answer(&c, QM_GOOD, t);
		assert_int_equal(c.ivl, 1);
		t = c.due;
	}
	assert_int_equal(c.leech, 1);
	/* Hard at the floor: the ease stays 1.3; interval max(2, 1) = 2. */
	qm_answer(&c, QM_HARD, t);
	assert_ease(c.ease, 1.3);
	assert_int_equal(c.ivl, 2);
	/* A leech is reported once, not again at the next lapse. */
	assert_int_equal(qm_answer(&c, QM_AGAIN, c.due), 0);
}

static void
test_minimums(void **state)
{
	(void)state;
	/* A long interval with a low ease: Good would be below Hard + 1. */
	qm_card c;
	qm_init(&c, T0);
	c.state = QM_REVIEW;
	c.ivl = 10;
	c.ease = 1.3;
	c.due = T0;
	/* Hard = 12, Good = max(13, round(13)) = 13, Easy = max(14, round(16.9)) = 17. */
	assert_int_equal(qm_preview(&c, QM_HARD, T0), 12 * D);
	assert_int_equal(qm_preview(&c, QM_GOOD, T0), 13 * D);
	assert_int_equal(qm_preview(&c, QM_EASY, T0), 17 * D);
	c.ease = 1.0;	/* below the floor only through tampering */
	assert_int_equal(qm_preview(&c, QM_GOOD, T0), 13 * D);	/* Hard + 1 */
	assert_int_equal(qm_preview(&c, QM_EASY, T0), 14 * D);	/* Good + 1 */
	/* Early answers earn no bonus (late is never negative). */
	c.ease = 2.5;
	assert_int_equal(qm_preview(&c, QM_GOOD, T0 - 5 * D), 25 * D);
}

static void
test_span(void **state)
{
	(void)state;
	char b[32];
	qm_format_span(600, b, sizeof b);
	assert_string_equal(b, "10m");
	qm_format_span(3 * D, b, sizeof b);
	assert_string_equal(b, "3d");
	qm_format_span(2 * 3600, b, sizeof b);
	assert_string_equal(b, "2h");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_learning_steps),
		cmocka_unit_test(test_whole_history),
		cmocka_unit_test(test_minimums),
		cmocka_unit_test(test_span),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
