#include "tests/testutil.h"

#include <stdlib.h>
#include <string.h>

#include "lib/sb.h"
#include "sim/plan.h"

#define MIN 60000LL
#define T8 1772438400000LL	/* 2026-03-02T08:00:00Z */

static plan *
mk(const char *tier, int n, double base)
{
	plan_cost c = { base, 0, 60000 };
	plan *p = plan_new(tier, n, &c, T8, NULL);
	assert_non_null(p);
	return p;
}

static void
drain(plan *p, int64_t t)
{
	plan_ev *ev = NULL;
	size_t n = 0;
	plan_advance(p, t, &ev, &n);
	plan_ev_free(ev, n);
}

static void
test_tiers(void **state)
{
	(void)state;
	const plan_tier *t = plan_tier_find("F1");
	assert_int_equal(t->max_instances, 1);
	assert_int_equal(t->cpu_short_ms, 3 * MIN);
	assert_int_equal(t->cpu_day_ms, 60 * MIN);
	assert_int_equal(plan_tier_find("D1")->cpu_day_ms, 240 * MIN);
	assert_int_equal(plan_tier_find("B2")->max_instances, 3);
	assert_int_equal(plan_tier_find("B2")->autoscale, 0);
	assert_int_equal(plan_tier_find("S3")->max_instances, 10);
	assert_int_equal(plan_tier_find("P1v3")->max_instances, 30);
	assert_int_equal(plan_tier_find("I1v2")->max_instances, 100);
	assert_null(plan_tier_find("s1"));
	sb err = SB_INIT;
	assert_null(plan_new("F1", 2, NULL, T8, &err));
	assert_non_null(strstr(sb_str(&err), "1 to 1 instance"));
	assert_null(plan_new("X9", 1, NULL, T8, &err));
	sb_free(&err);
	plan *p = mk("F1", 1, 20);
	sb why = SB_INIT;
	assert_int_equal(plan_set_instances(p, 2, T8, &why), -1);
	assert_non_null(strstr(sb_str(&why), "cannot scale out"));
	plan_autoscale as = { 1, 1, 3, { { PLAN_CPU, 1, 70, 5, 1, 5 } }, 1 };
	sb_reset(&why);
	assert_int_equal(plan_set_autoscale(p, &as, T8, &why), -1);
	assert_non_null(strstr(sb_str(&why), "starts at Standard"));
	assert_int_equal(plan_set_tier(p, "B1", T8, &why), 0);
	assert_int_equal(plan_set_instances(p, 3, T8, &why), 0);
	sb_reset(&why);
	assert_int_equal(plan_set_instances(p, 4, T8, &why), -1);
	assert_non_null(strstr(sb_str(&why), "1 to 3"));
	assert_int_equal(plan_set_tier(p, "S1", T8, &why), 0);
	as.max = 11;
	sb_reset(&why);
	assert_int_equal(plan_set_autoscale(p, &as, T8, &why), -1);
	as.max = 10;
	assert_int_equal(plan_set_autoscale(p, &as, T8, &why), 0);
	sb_reset(&why);
	assert_int_equal(plan_set_instances(p, 5, T8, &why), -1);
	assert_non_null(strstr(sb_str(&why), "autoscale is on"));
	sb_free(&why);
	plan_free(p);
}

/* One core, 100 ms a request: ten arrivals at once queue behind each
** other, the tenth waits 900 ms. */
static void
test_queueing(void **state)
{
	(void)state;
	plan *p = mk("B1", 1, 100);
	int64_t s, e;
	for (int i = 0; i < 10; i++) {
		assert_int_equal(plan_admit(p, T8, 0, &s, &e), 200);
		assert_int_equal(s, T8 + i * 100);
		assert_int_equal(e, T8 + (i + 1) * 100);
	}
	/* Two instances halve the wait. */
	sb why = SB_INIT;
	plan_free(p);
	plan_cost c = { 100, 0, 0 };
	p = plan_new("B1", 2, &c, T8, NULL);
	for (int i = 0; i < 10; i++)
		plan_admit(p, T8, 0, &s, &e);
	assert_int_equal(e, T8 + 500);
	plan_ev *ev = NULL;
	size_t nev = 0;
	plan_advance(p, T8 + MIN, &ev, &nev);
	assert_int_equal(nev, 1);
	assert_int_equal(ev[0].kind, PLAN_EV_MINUTE);
	const plan_minute *m = plan_minute_at(p, 0);
	assert_int_equal(m->requests, 10);
	assert_int_equal(m->p50, 300);
	assert_int_equal(m->p95, 500);
	assert_int_equal(m->max, 500);
	assert_true(m->cpu_pct > 0.8 && m->cpu_pct < 0.9);	/* 1 s / 120 s */
	plan_ev_free(ev, nev);
	sb_free(&why);
	plan_free(p);
}

/* F1: 3 CPU minutes per 5 minutes.  At 1 s of CPU a request, the 180th
** request uses the quota up; the app stops until 08:05, then runs. */
static void
test_free_quota(void **state)
{
	(void)state;
	plan *p = mk("F1", 1, 1000);
	int64_t s, e, t = T8;
	int st = 200, admitted = 0;
	plan_ev *ev = NULL;
	size_t nev = 0;
	while (t < T8 + 5 * MIN) {
		plan_advance(p, t, &ev, &nev);
		st = plan_admit(p, t, 0, &s, &e);
		if (st == 403)
			break;
		admitted++;
		t += 1000;
	}
	assert_int_equal(st, 403);
	assert_int_equal(admitted, 180);
	assert_int_equal(t, T8 + 180 * 1000);
	assert_int_equal(plan_stopped_until(p, t), T8 + 5 * MIN);
	int stops = 0;
	for (size_t i = 0; i < nev; i++)
		if (ev[i].kind == PLAN_EV_STOP) {
			stops++;
			assert_non_null(strstr(ev[i].text, "This web app is "
			    "stopped"));
		}
	assert_int_equal(stops, 1);
	plan_ev_free(ev, nev);
	ev = NULL;
	nev = 0;
	plan_advance(p, T8 + 5 * MIN, &ev, &nev);
	int resumed = 0;
	for (size_t i = 0; i < nev; i++)
		resumed += ev[i].kind == PLAN_EV_RESUME;
	assert_int_equal(resumed, 1);
	assert_int_equal(plan_admit(p, T8 + 5 * MIN, 0, &s, &e), 200);
	sb st_line = SB_INIT;
	plan_status(p, T8 + 5 * MIN, &st_line);
	assert_non_null(strstr(sb_str(&st_line), "F1 (Free)"));
	sb_free(&st_line);
	plan_ev_free(ev, nev);
	plan_free(p);
}

/* The daily quota: 60 minutes on F1; after it, stopped until midnight. */
static void
test_daily_quota(void **state)
{
	(void)state;
	plan *p = mk("F1", 1, 60000);	/* a minute of CPU a request */
	int64_t s, e, t = T8;
	int n = 0;
	/* Two per 5-minute window stays under the short quota. */
	while (n < 60) {
		drain(p, t);
		assert_int_equal(plan_admit(p, t, 0, &s, &e), 200);
		n++;
		drain(p, t + MIN);
		assert_int_equal(plan_admit(p, t + MIN, 0, &s, &e), 200);
		n++;
		t += 5 * MIN;
	}
	drain(p, t);
	assert_int_equal(plan_admit(p, t, 0, &s, &e), 403);
	assert_int_equal(plan_stopped_until(p, t), T8 + 16 * 60 * MIN);
	plan_free(p);
}

/* Standard, CPU > 70% over 5 minutes adds one instance, 5-minute
** cool-down, at most 4; new instances take a minute to start. */
static void
test_autoscale(void **state)
{
	(void)state;
	plan *p = mk("S1", 1, 100);
	sb why = SB_INIT;
	plan_autoscale as = { 1, 1, 4, {
		{ PLAN_CPU, 1, 70, 5, 1, 5 },
		{ PLAN_CPU, 0, 20, 10, -1, 10 } }, 2 };
	assert_int_equal(plan_set_autoscale(p, &as, T8, &why), 0);
	int64_t s, e;
	plan_ev *ev = NULL;
	size_t nev = 0;
	/* 10 requests a second of 100 ms: 100% of one core. */
	for (int64_t t = T8; t < T8 + 30 * MIN; t += 100) {
		plan_advance(p, t, &ev, &nev);
		plan_admit(p, t, 0, &s, &e);
	}
	int scales = 0, readies = 0;
	int64_t first = 0;
	for (size_t i = 0; i < nev; i++) {
		if (ev[i].kind == PLAN_EV_SCALE) {
			if (!scales)
				first = ev[i].t;
			scales++;
		}
		readies += ev[i].kind == PLAN_EV_READY;
	}
	/* 08:05 (5 minutes of history): one more instance, ready at 08:06;
	** then the load is 50% of two cores and nothing fires. */
	assert_int_equal(first, T8 + 5 * MIN);
	assert_int_equal(scales, 1);
	assert_int_equal(plan_instances(p), 2);
	assert_int_equal(readies, 1);
	assert_int_equal(plan_peak_instances(p), 2);
	plan_ev_free(ev, nev);
	ev = NULL;
	nev = 0;
	/* Idle: CPU under 20% for 10 minutes scales in, to the minimum. */
	plan_advance(p, T8 + 120 * MIN, &ev, &nev);
	assert_int_equal(plan_instances(p), 1);
	/* A copy is independent. */
	plan *q = plan_dup(p);
	plan_free(p);
	assert_int_equal(plan_instances(q), 1);
	assert_true(plan_nminutes(q) >= 120);
	plan_ev_free(ev, nev);
	sb_free(&why);
	plan_free(q);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tiers),
		cmocka_unit_test(test_queueing),
		cmocka_unit_test(test_free_quota),
		cmocka_unit_test(test_daily_quota),
		cmocka_unit_test(test_autoscale),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
