/*
** plan.c: the App Service plan; see plan.h.
**
** Cores are servers with a "free at" time; a request takes the earliest
** free core of a ready instance.  Arrivals come in time order, so start
** times never go backwards and the quota windows fill in order.  CPU
** counts against the quota window in which a request starts; when a
** window's CPU passes the quota, the app stops from the end of the
** request that passed it until the window ends.
*/
#include "sim/plan.h"
#include "lib/xmem.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MIN_MS		60000LL
#define SHORT_MS	(5 * MIN_MS)
#define DAY_MS		(24 * 60 * MIN_MS)
#define PLAN_MAX_INST	100
#define PLAN_MAX_STOPS	8

static const plan_tier plan_tiers[] = {
	{ "F1", "Free", 1, 1, 0, 0, 3 * MIN_MS, 60 * MIN_MS },
	{ "D1", "Shared", 1, 1, 0, 0, 3 * MIN_MS, 240 * MIN_MS },
	{ "B1", "Basic", 1, 3, 0, 1, 0, 0 },
	{ "B2", "Basic", 2, 3, 0, 1, 0, 0 },
	{ "B3", "Basic", 4, 3, 0, 1, 0, 0 },
	{ "S1", "Standard", 1, 10, 1, 1, 0, 0 },
	{ "S2", "Standard", 2, 10, 1, 1, 0, 0 },
	{ "S3", "Standard", 4, 10, 1, 1, 0, 0 },
	{ "P0v3", "Premium v3", 1, 30, 1, 1, 0, 0 },
	{ "P1v3", "Premium v3", 2, 30, 1, 1, 0, 0 },
	{ "P2v3", "Premium v3", 4, 30, 1, 1, 0, 0 },
	{ "P3v3", "Premium v3", 8, 30, 1, 1, 0, 0 },
	{ "I1v2", "Isolated v2", 2, 100, 1, 1, 0, 0 },
	{ "I2v2", "Isolated v2", 4, 100, 1, 1, 0, 0 },
	{ "I3v2", "Isolated v2", 8, 100, 1, 1, 0, 0 },
	{ "I4v2", "Isolated v2", 16, 100, 1, 1, 0, 0 },
	{ "I5v2", "Isolated v2", 32, 100, 1, 1, 0, 0 },
	{ "I6v2", "Isolated v2", 64, 100, 1, 1, 0, 0 },
};
#define PLAN_NTIERS (sizeof plan_tiers / sizeof plan_tiers[0])

const plan_tier *
plan_tier_find(const char *s)
{
	for (size_t i = 0; i < PLAN_NTIERS; i++)
		if (strcmp(plan_tiers[i].name, s) == 0)
			return &plan_tiers[i];
	return NULL;
}

size_t
plan_ntiers(void)
{
	return PLAN_NTIERS;
}

const plan_tier *
plan_tier_at(size_t i)
{
	return i < PLAN_NTIERS ? &plan_tiers[i] : NULL;
}

typedef struct plan_stop {
	int64_t	 from, until;
	int	 day;		/* 1: the daily quota */
	int	 state;		/* 0 ahead, 1 announced */
} plan_stop;

struct plan {
	const plan_tier	*tier;
	int		 instances;
	int		 ready;
	int64_t		 ready_at[PLAN_MAX_INST];
	plan_cost	 cost;
	plan_autoscale	 as;
	int64_t		 last_scale;
	int64_t		*free_at;
	size_t		 nserv;
	int64_t		 sw, dw;	/* window indexes */
	double		 s_used, d_used;
	plan_stop	 stops[PLAN_MAX_STOPS];
	size_t		 nstops;
	int64_t		 mstart;
	uint32_t	 mreq, mref;
	double		 mcpu;
	int		 mstopped;
	int64_t		*lat;
	size_t		 nlat, caplat;
	plan_minute	*hist;
	size_t		 nhist, caphist;
	uint64_t	 total_req, total_ref;
	int		 peak;
	int64_t		 now;
};

static void
plan_servers(plan *p, int64_t now)
{
	size_t n = (size_t)p->tier->max_instances * (size_t)p->tier->cores;
	free(p->free_at);
	p->free_at = xcalloc(n, sizeof *p->free_at);
	for (size_t i = 0; i < n; i++)
		p->free_at[i] = now;
	p->nserv = n;
}

plan *
plan_new(const char *tier, int instances, const plan_cost *cost, int64_t now,
    sb *err)
{
	const plan_tier *t = plan_tier_find(tier ? tier : "");
	if (t == NULL) {
		sb_setf(err, "unknown tier \"%s\"", tier ? tier : "");
		return NULL;
	}
	if (instances < 1 || instances > t->max_instances) {
		sb_setf(err, "%s (%s) runs 1 to %d instance%s, not %d",
		    t->name, t->family, t->max_instances,
		    t->max_instances == 1 ? "" : "s", instances);
		return NULL;
	}
	plan *p = xcalloc(1, sizeof *p);
	p->tier = t;
	p->instances = p->ready = p->peak = instances;
	if (cost)
		p->cost = *cost;
	else {
		p->cost.base_ms = 20;
		p->cost.row_ms = 0.2;
		p->cost.start_ms = 60000;
	}
	p->last_scale = INT64_MIN / 2;
	p->mstart = now - now % MIN_MS;
	p->now = now;
	p->sw = now / SHORT_MS;
	p->dw = now / DAY_MS;
	plan_servers(p, now);
	return p;
}

void
plan_free(plan *p)
{
	if (p == NULL)
		return;
	free(p->free_at);
	free(p->lat);
	free(p->hist);
	free(p);
}

plan *
plan_dup(const plan *p)
{
	plan *d = xmalloc(sizeof *d);
	*d = *p;
	d->free_at = xcalloc(p->nserv ? p->nserv : 1, sizeof *d->free_at);
	memcpy(d->free_at, p->free_at, p->nserv * sizeof *d->free_at);
	d->lat = xcalloc(p->caplat ? p->caplat : 1, sizeof *d->lat);
	if (p->nlat)
		memcpy(d->lat, p->lat, p->nlat * sizeof *d->lat);
	d->hist = xcalloc(p->caphist ? p->caphist : 1, sizeof *d->hist);
	if (p->nhist)
		memcpy(d->hist, p->hist, p->nhist * sizeof *d->hist);
	return d;
}

void
plan_ev_free(plan_ev *ev, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(ev[i].text);
	free(ev);
}

static void
plan_clock(int64_t t, char *buf, size_t n)
{
	time_t s = (time_t)(t / 1000);
	struct tm tm;
	gmtime_r(&s, &tm);
	snprintf(buf, n, "%02d:%02d:%02d", tm.tm_hour, tm.tm_min, tm.tm_sec);
}

static plan_ev *
plan_emit(plan_ev **ev, size_t *nev, plan_ev_kind k, int64_t t)
{
	*ev = xreallocarray(*ev, *nev + 1, sizeof **ev);
	plan_ev *e = &(*ev)[(*nev)++];
	memset(e, 0, sizeof *e);
	e->kind = k;
	e->t = t;
	return e;
}

static int
plan_cmp64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

static int64_t
plan_rank(const int64_t *v, size_t n, double q)
{
	if (n == 0)
		return 0;
	size_t k = (size_t)ceil(q * (double)n);
	if (k < 1)
		k = 1;
	return v[k - 1];
}

/* Events strictly before t (instances ready, stops, resumes). */
static void
plan_events_before(plan *p, int64_t t, plan_ev **ev, size_t *nev)
{
	for (;;) {
		int64_t best = t;
		int what = -1;
		size_t which = 0;
		if (p->ready < p->instances && p->ready_at[p->ready] < best) {
			best = p->ready_at[p->ready];
			what = 0;
		}
		for (size_t i = 0; i < p->nstops; i++) {
			plan_stop *s = &p->stops[i];
			int64_t at = s->state == 0 ? s->from : s->until;
			if (at < best) {
				best = at;
				what = 1;
				which = i;
			}
		}
		if (what < 0)
			return;
		char c[16], u[16];
		plan_clock(best, c, sizeof c);
		if (what == 0) {
			int was = p->ready;
			while (p->ready < p->instances &&
			    p->ready_at[p->ready] <= best)
				p->ready++;
			plan_ev *e = plan_emit(ev, nev, PLAN_EV_READY, best);
			e->text = xasprintf("%s: %d new instance%s of %s "
			    "start%s serving: %d ready", c, p->ready - was,
			    p->ready - was == 1 ? "" : "s", p->tier->name,
			    p->ready - was == 1 ? "s" : "", p->ready);
			continue;
		}
		plan_stop *s = &p->stops[which];
		if (s->state == 0) {
			s->state = 1;
			if (s->until <= s->from) {
				s->state = 2;
			} else {
				plan_clock(s->until, u, sizeof u);
				plan_ev *e = plan_emit(ev, nev, PLAN_EV_STOP,
				    best);
				e->text = xasprintf("%s: the %s tier's CPU "
				    "quota (%lld min %s) is used up: App "
				    "Service stops the app, and every request "
				    "gets 403 \"This web app is stopped.\" "
				    "until %s%s", c, p->tier->family,
				    (long long)((s->day ? p->tier->cpu_day_ms :
				    p->tier->cpu_short_ms) / MIN_MS),
				    s->day ? "per day" : "per 5 minutes", u,
				    s->day ? " (midnight UTC)" : "");
			}
		} else {
			plan_ev *e = plan_emit(ev, nev, PLAN_EV_RESUME, best);
			e->text = xasprintf("%s: the %s quota resets and the "
			    "app runs again", c, s->day ? "daily CPU" :
			    "5-minute CPU");
			s->state = 2;
		}
		if (s->state == 2) {
			memmove(s, s + 1, (p->nstops - which - 1) * sizeof *s);
			p->nstops--;
		}
	}
}

static double
plan_metric_avg(const plan *p, const plan_rule *r)
{
	size_t w = (size_t)r->window_min;
	double sum = 0;
	for (size_t i = p->nhist - w; i < p->nhist; i++) {
		const plan_minute *m = &p->hist[i];
		if (r->metric == PLAN_CPU)
			sum += m->cpu_pct;
		else
			sum += m->instances > 0 ?
			    (double)m->requests / m->instances : 0;
	}
	return sum / (double)w;
}

static void
plan_resize(plan *p, int n, int64_t now)
{
	if (n > p->instances) {
		for (int i = p->instances; i < n; i++)
			p->ready_at[i] = now + p->cost.start_ms;
		if (p->cost.start_ms == 0)
			p->ready = n;
	} else if (p->ready > n)
		p->ready = n;
	p->instances = n;
	if (n > p->peak)
		p->peak = n;
}

static void
plan_autoscale_run(plan *p, int64_t at, plan_ev **ev, size_t *nev)
{
	const plan_autoscale *as = &p->as;
	if (!as->enabled)
		return;
	int best = 0;
	const plan_rule *fired = NULL;
	double fval = 0;
	for (size_t i = 0; i < as->nrules; i++) {
		const plan_rule *r = &as->rules[i];
		if (r->change <= 0 || p->nhist < (size_t)r->window_min ||
		    at - p->last_scale < r->cooldown_min * MIN_MS)
			continue;
		double v = plan_metric_avg(p, r);
		if ((r->above ? v > r->threshold : v < r->threshold) &&
		    r->change > best) {
			best = r->change;
			fired = r;
			fval = v;
		}
	}
	int n = p->instances;
	if (fired)
		n = p->instances + best;
	else {
		int all = 0, step = 0;
		for (size_t i = 0; i < as->nrules; i++) {
			const plan_rule *r = &as->rules[i];
			if (r->change >= 0)
				continue;
			/* The window must be full before it is averaged. */
			double v = p->nhist < (size_t)r->window_min ? 0 :
			    plan_metric_avg(p, r);
			if (p->nhist < (size_t)r->window_min ||
			    at - p->last_scale < r->cooldown_min * MIN_MS ||
			    !(r->above ? v > r->threshold : v < r->threshold)) {
				all = 0;
				break;
			}
			if (!all || -r->change < step) {
				step = -r->change;
				fired = r;
				fval = v;
			}
			all = 1;
		}
		if (all)
			n = p->instances - step;
	}
	if (n > as->max)
		n = as->max;
	if (n < as->min)
		n = as->min;
	if (n == p->instances)
		return;
	char c[16], r[16];
	plan_clock(at, c, sizeof c);
	plan_clock(at + p->cost.start_ms, r, sizeof r);
	plan_ev *e = plan_emit(ev, nev, PLAN_EV_SCALE, at);
	if (fired)
		e->text = xasprintf("%s: autoscale (%s): %s %.0f%s over %d min "
		    "%s %g: %d -> %d instance%s%s%s", c, p->tier->family,
		    fired->metric == PLAN_CPU ? "average CPU" :
		    "requests per instance per minute", fval,
		    fired->metric == PLAN_CPU ? "%" : "", fired->window_min,
		    fired->above ? ">" : "<", fired->threshold, p->instances,
		    n, n == 1 ? "" : "s", n > p->instances ?
		    " (new ones serve from " : "", n > p->instances ? r : "");
	else
		e->text = xasprintf("%s: autoscale (%s) keeps the instance "
		    "count within %d to %d: %d -> %d", c, p->tier->family,
		    as->min, as->max, p->instances, n);
	if (fired && n > p->instances) {
		char *t = e->text;
		e->text = xasprintf("%s)", t);
		free(t);
	}
	plan_resize(p, n, at);
	p->last_scale = at;
}

static void
plan_close_minute(plan *p, plan_ev **ev, size_t *nev)
{
	if (p->nhist == p->caphist) {
		p->caphist = p->caphist ? p->caphist * 2 : 64;
		p->hist = xreallocarray(p->hist, p->caphist, sizeof *p->hist);
	}
	plan_minute *m = &p->hist[p->nhist];
	memset(m, 0, sizeof *m);
	m->t = p->mstart;
	m->requests = p->mreq;
	m->refused = p->mref;
	m->cpu_ms = p->mcpu;
	double cap = (double)p->ready * p->tier->cores * (double)MIN_MS;
	m->cpu_pct = cap > 0 ? 100.0 * p->mcpu / cap : 0;
	if (m->cpu_pct > 100)
		m->cpu_pct = 100;
	qsort(p->lat, p->nlat, sizeof *p->lat, plan_cmp64);
	m->p50 = plan_rank(p->lat, p->nlat, 0.50);
	m->p95 = plan_rank(p->lat, p->nlat, 0.95);
	m->p99 = plan_rank(p->lat, p->nlat, 0.99);
	m->max = p->nlat ? p->lat[p->nlat - 1] : 0;
	m->instances = p->ready;
	m->stopped = p->mstopped;
	if (p->mreq > 0) {
		plan_ev *e = plan_emit(ev, nev, PLAN_EV_MINUTE,
		    p->mstart + MIN_MS);
		e->minute = p->nhist;
		char c[16];
		plan_clock(p->mstart, c, sizeof c);
		e->text = xasprintf("%.5s %s: %u request%s (%u got 403), "
		    "latency p50 %lld ms p95 %lld ms p99 %lld ms, CPU %.0f%%, "
		    "%d instance%s", c, p->tier->name, m->requests,
		    m->requests == 1 ? "" : "s", m->refused,
		    (long long)m->p50, (long long)m->p95, (long long)m->p99,
		    m->cpu_pct, m->instances, m->instances == 1 ? "" : "s");
	}
	p->nhist++;
	p->mstart += MIN_MS;
	p->mreq = p->mref = 0;
	p->mcpu = 0;
	p->nlat = 0;
	p->mstopped = plan_stopped(p, p->mstart);
}

void
plan_advance(plan *p, int64_t now, plan_ev **ev, size_t *nev)
{
	if (now < p->now)
		return;
	while (p->mstart + MIN_MS <= now) {
		int64_t b = p->mstart + MIN_MS;
		plan_events_before(p, b, ev, nev);
		plan_close_minute(p, ev, nev);
		plan_autoscale_run(p, b, ev, nev);
	}
	plan_events_before(p, now + 1, ev, nev);
	p->now = now;
}

double
plan_request_cpu(const plan *p, size_t rows)
{
	return p->cost.base_ms + p->cost.row_ms * (double)rows;
}

static void
plan_add_stop(plan *p, int64_t from, int64_t until, int day)
{
	if (p->nstops == PLAN_MAX_STOPS)
		return;
	plan_stop *s = &p->stops[p->nstops++];
	s->from = from;
	s->until = until;
	s->day = day;
	s->state = 0;
}

int
plan_admit(plan *p, int64_t now, size_t rows, int64_t *start, int64_t *end)
{
	p->mreq++;
	p->total_req++;
	if (plan_stopped(p, now)) {
		p->mref++;
		p->total_ref++;
		p->mstopped = 1;
		*start = *end = now;
		return 403;
	}
	double cpu = plan_request_cpu(p, rows);
	size_t nready = (size_t)p->ready * (size_t)p->tier->cores;
	size_t best = 0;
	for (size_t i = 1; i < nready; i++)
		if (p->free_at[i] < p->free_at[best])
			best = i;
	int64_t s = p->free_at[best] > now ? p->free_at[best] : now;
	int64_t e = s + (int64_t)ceil(cpu);
	p->free_at[best] = e;
	*start = s;
	*end = e;
	p->mcpu += cpu;
	if (p->tier->cpu_short_ms > 0) {
		int64_t k = s / SHORT_MS;
		if (k > p->sw) {
			p->sw = k;
			p->s_used = 0;
		}
		double before = p->s_used;
		p->s_used += cpu;
		if (before < (double)p->tier->cpu_short_ms &&
		    p->s_used >= (double)p->tier->cpu_short_ms)
			plan_add_stop(p, e, (p->sw + 1) * SHORT_MS, 0);
		k = s / DAY_MS;
		if (k > p->dw) {
			p->dw = k;
			p->d_used = 0;
		}
		before = p->d_used;
		p->d_used += cpu;
		if (before < (double)p->tier->cpu_day_ms &&
		    p->d_used >= (double)p->tier->cpu_day_ms)
			plan_add_stop(p, e, (p->dw + 1) * DAY_MS, 1);
	}
	if (p->nlat == p->caplat) {
		p->caplat = p->caplat ? p->caplat * 2 : 256;
		p->lat = xreallocarray(p->lat, p->caplat, sizeof *p->lat);
	}
	p->lat[p->nlat++] = e - now;
	return 200;
}

int
plan_set_tier(plan *p, const char *tier, int64_t now, sb *why)
{
	const plan_tier *t = plan_tier_find(tier ? tier : "");
	if (t == NULL) {
		sb_addf(why, "unknown tier \"%s\"", tier ? tier : "");
		return -1;
	}
	const plan_tier *was = p->tier;
	p->tier = t;
	int n = p->instances > t->max_instances ? t->max_instances :
	    p->instances;
	p->instances = p->ready = n;
	if (!t->autoscale && p->as.enabled) {
		p->as.enabled = 0;
		sb_add(why, "autoscale is off: the tier has none; ");
	} else if (p->as.enabled && p->as.max > t->max_instances)
		p->as.max = t->max_instances;
	plan_servers(p, now);
	/* Quota windows start again on a tier without the old quota. */
	p->s_used = p->d_used = 0;
	p->nstops = 0;
	sb_addf(why, "scaled %s from %s (%s) to %s (%s): %d instance%s of %d "
	    "modelled core%s", t->cores >= was->cores ? "up" : "down",
	    was->name, was->family, t->name, t->family, n, n == 1 ? "" : "s",
	    t->cores, t->cores == 1 ? "" : "s");
	return 0;
}

int
plan_set_instances(plan *p, int n, int64_t now, sb *why)
{
	if (!p->tier->manual_scale) {
		sb_addf(why, "%s (%s) cannot scale out: it runs on one shared "
		    "instance", p->tier->name, p->tier->family);
		return -1;
	}
	if (p->as.enabled) {
		sb_add(why, "autoscale is on and decides the instance count: "
		    "change its minimum and maximum, or turn it off");
		return -1;
	}
	if (n < 1 || n > p->tier->max_instances) {
		sb_addf(why, "%s (%s) runs 1 to %d instances, not %d",
		    p->tier->name, p->tier->family, p->tier->max_instances, n);
		return -1;
	}
	int was = p->instances;
	plan_resize(p, n, now);
	sb_addf(why, "scaled %s by hand: %d -> %d instance%s", n >= was ?
	    "out" : "in", was, n, n == 1 ? "" : "s");
	return 0;
}

int
plan_set_autoscale(plan *p, const plan_autoscale *as, int64_t now, sb *why)
{
	(void)now;
	if (as->enabled && !p->tier->autoscale) {
		sb_addf(why, "%s (%s) has no autoscale: it starts at Standard "
		    "(Basic scales out by hand to 3)", p->tier->name,
		    p->tier->family);
		return -1;
	}
	if (as->enabled && (as->min < 1 || as->max < as->min ||
	    as->max > p->tier->max_instances)) {
		sb_addf(why, "autoscale limits must satisfy 1 <= minimum <= "
		    "maximum <= %d on %s (%s)", p->tier->max_instances,
		    p->tier->name, p->tier->family);
		return -1;
	}
	if (as->nrules > PLAN_MAX_RULES) {
		sb_addf(why, "at most %d rules", PLAN_MAX_RULES);
		return -1;
	}
	p->as = *as;
	if (as->enabled) {
		sb_addf(why, "autoscale on: %d to %d instances, %zu rule%s",
		    as->min, as->max, as->nrules, as->nrules == 1 ? "" : "s");
		if (p->instances < as->min)
			plan_resize(p, as->min, now);
		else if (p->instances > as->max)
			plan_resize(p, as->max, now);
	} else
		sb_add(why, "autoscale off: the instance count stays as set");
	return 0;
}

const plan_tier *
plan_tier_of(const plan *p)
{
	return p->tier;
}

int
plan_instances(const plan *p)
{
	return p->instances;
}

int
plan_ready(const plan *p)
{
	return p->ready;
}

const plan_autoscale *
plan_autoscale_of(const plan *p)
{
	return &p->as;
}

int
plan_stopped(const plan *p, int64_t now)
{
	return plan_stopped_until(p, now) != 0;
}

int64_t
plan_stopped_until(const plan *p, int64_t now)
{
	int64_t u = 0;
	for (size_t i = 0; i < p->nstops; i++)
		if (p->stops[i].from <= now && now < p->stops[i].until &&
		    p->stops[i].until > u)
			u = p->stops[i].until;
	return u;
}

double
plan_cpu_short(const plan *p, int64_t now)
{
	return now / SHORT_MS == p->sw ? p->s_used : 0;
}

double
plan_cpu_day(const plan *p, int64_t now)
{
	return now / DAY_MS == p->dw ? p->d_used : 0;
}

size_t
plan_nminutes(const plan *p)
{
	return p->nhist;
}

const plan_minute *
plan_minute_at(const plan *p, size_t i)
{
	return i < p->nhist ? &p->hist[i] : NULL;
}

uint64_t
plan_total_requests(const plan *p)
{
	return p->total_req;
}

uint64_t
plan_total_refused(const plan *p)
{
	return p->total_ref;
}

int
plan_peak_instances(const plan *p)
{
	return p->peak;
}

void
plan_status(const plan *p, int64_t now, sb *out)
{
	const plan_tier *t = p->tier;
	sb_addf(out, "%s (%s) · %d instance%s", t->name, t->family,
	    p->instances, p->instances == 1 ? "" : "s");
	if (p->ready < p->instances)
		sb_addf(out, " (%d ready)", p->ready);
	if (p->as.enabled)
		sb_addf(out, " · autoscale %d-%d", p->as.min, p->as.max);
	if (t->cpu_short_ms > 0)
		sb_addf(out, " · CPU %.1f/%lld min per 5 min, %.0f/%lld per day",
		    plan_cpu_short(p, now) / MIN_MS,
		    (long long)(t->cpu_short_ms / MIN_MS),
		    plan_cpu_day(p, now) / MIN_MS,
		    (long long)(t->cpu_day_ms / MIN_MS));
	int64_t u = plan_stopped_until(p, now);
	if (u) {
		char c[16];
		plan_clock(u, c, sizeof c);
		sb_addf(out, " · STOPPED until %.5s", c);
	}
}
