/*
** plan.h: the App Service plan the backend runs on.
**
** A plan has a tier (F1, D1, B1-B3, S1-S3, P0v3-P3v3, I1v2-I6v2), a number
** of instances and, from Standard up, autoscale rules.  Each request the
** backend answers costs modelled CPU time; an instance has as many
** modelled cores as its size, and a request waits for the first free core
** (first come, first served), so a backend over capacity queues requests
** and latency grows.  Free and Shared have CPU quotas (3 minutes per 5
** minutes; 60 or 240 minutes per day): once a window's CPU is used up the
** app is stopped and every request gets 403 "This web app is stopped."
** until the window resets (every 5 minutes, or at midnight UTC).
** Basic scales out by hand to 3 instances; Standard autoscales to 10,
** Premium v3 to 30, Isolated v2 to 100.
**
** The CPU costs, the core counts and the start-up time of an instance are
** synclab's model, chosen so that the shapes are right; real figures
** differ (docs/plans.md).  All times are epoch ms on the virtual clock; the
** engine calls plan_advance() before every admission, in time order.
*/
#ifndef plan_h
#define plan_h

#include <stddef.h>
#include <stdint.h>
#include "lib/sb.h"

typedef struct plan_tier {
	const char	*name;		/* "S1" */
	const char	*family;	/* "Standard" */
	int		 cores;		/* modelled cores per instance */
	int		 max_instances;
	int		 autoscale;	/* 1: rules allowed */
	int		 manual_scale;	/* 1: instances set by hand */
	int64_t		 cpu_short_ms;	/* per 5 minutes; 0: no quota */
	int64_t		 cpu_day_ms;	/* per day; 0: no quota */
} plan_tier;

/* The tier named s (exact spelling, e.g. "P1v3"), or NULL. */
const plan_tier *plan_tier_find(const char *s);
size_t plan_ntiers(void);
const plan_tier *plan_tier_at(size_t i);

typedef enum plan_metric {
	PLAN_CPU,		/* average CPU percentage */
	PLAN_REQUESTS		/* requests per instance per minute */
} plan_metric;

#define PLAN_MAX_RULES	8

typedef struct plan_rule {
	plan_metric	 metric;
	int		 above;		/* 1: metric > threshold; 0: < */
	double		 threshold;
	int		 window_min;	/* minutes of history averaged */
	int		 change;	/* instances added (> 0) or removed */
	int		 cooldown_min;	/* no rule fires this soon after a
					   scale action */
} plan_rule;

typedef struct plan_autoscale {
	int		 enabled;
	int		 min, max;	/* instance limits */
	plan_rule	 rules[PLAN_MAX_RULES];
	size_t		 nrules;
} plan_autoscale;

typedef struct plan_cost {
	double		 base_ms;	/* CPU per request */
	double		 row_ms;	/* CPU per row in a response */
	int64_t		 start_ms;	/* a new instance's start-up time */
} plan_cost;

/* One minute of the plan's life, closed at its end. */
typedef struct plan_minute {
	int64_t		 t;		/* epoch ms of its start */
	uint32_t	 requests;	/* arrived in the minute */
	uint32_t	 refused;	/* of which 403 (stopped) */
	double		 cpu_ms;
	double		 cpu_pct;	/* of the ready instances' cores */
	int64_t		 p50, p95, p99, max;	/* backend latency, ms */
	int		 instances;	/* ready at the end */
	int		 stopped;	/* stopped at some point */
} plan_minute;

typedef enum plan_ev_kind {
	PLAN_EV_MINUTE,		/* a minute with traffic closed */
	PLAN_EV_SCALE,		/* autoscale changed the instance count */
	PLAN_EV_READY,		/* new instances started serving */
	PLAN_EV_STOP,		/* a CPU quota ran out */
	PLAN_EV_RESUME		/* the quota reset */
} plan_ev_kind;

typedef struct plan_ev {
	plan_ev_kind	 kind;
	int64_t		 t;		/* epoch ms it happened */
	char		*text;		/* a sentence for a student */
	size_t		 minute;	/* PLAN_EV_MINUTE: history index */
} plan_ev;

typedef struct plan plan;

/* A plan of tier with n instances (1 to the tier's maximum) from epoch ms
** now; cost may be NULL (defaults: 20 ms a request, 0.2 ms a row, 60 s to
** start an instance).  NULL for a bad tier or count, with err's text
** (err may be NULL) replaced by why. */
plan *plan_new(const char *tier, int instances, const plan_cost *cost,
    int64_t now, sb *err);
void plan_free(plan *p);
plan *plan_dup(const plan *p);

/*
** Moves the plan's clock to now (never backwards): closes the minutes
** that ended, runs autoscale at each minute's end, starts instances whose
** start-up is over, stops and resumes the app.  Events are appended to
** *ev (the caller frees them with plan_ev_free).
*/
void plan_advance(plan *p, int64_t now, plan_ev **ev, size_t *nev);
void plan_ev_free(plan_ev *ev, size_t n);

/*
** A request arrives at now (after plan_advance(p, now)) and needs rows
** rows rendered.  Returns 200 with *start and *end (when a core takes it
** and when it is done), or 403 when the app is stopped (*start = *end =
** now).
*/
int plan_admit(plan *p, int64_t now, size_t rows, int64_t *start,
    int64_t *end);
/* The CPU a request costs under the plan's model. */
double plan_request_cpu(const plan *p, size_t rows);

/* Scale up or down (a new tier; instances are clamped to its maximum, and
** autoscale goes off when the tier lacks it).  0, or -1 with why. */
int plan_set_tier(plan *p, const char *tier, int64_t now, sb *why);
/* Scale out by hand: 0, or -1 with why (Free and Shared cannot, over the
** maximum, or autoscale is on). */
int plan_set_instances(plan *p, int n, int64_t now, sb *why);
/* Replace the autoscale settings (enabled = 0 turns it off): 0, or -1
** with why (below Standard, limits beyond the tier). */
int plan_set_autoscale(plan *p, const plan_autoscale *as, int64_t now,
    sb *why);

/* What the plan looks like now. */
const plan_tier *plan_tier_of(const plan *p);
int plan_instances(const plan *p);	/* the count asked for */
int plan_ready(const plan *p);		/* serving now */
const plan_autoscale *plan_autoscale_of(const plan *p);
int plan_stopped(const plan *p, int64_t now);
/* Until when it is stopped (epoch ms; 0 when running at now). */
int64_t plan_stopped_until(const plan *p, int64_t now);
/* CPU used in the current 5-minute window and day (ms). */
double plan_cpu_short(const plan *p, int64_t now);
double plan_cpu_day(const plan *p, int64_t now);
/* The closed minutes so far. */
size_t plan_nminutes(const plan *p);
const plan_minute *plan_minute_at(const plan *p, size_t i);
/* Totals since the start: requests, 403s, peak instances. */
uint64_t plan_total_requests(const plan *p);
uint64_t plan_total_refused(const plan *p);
int plan_peak_instances(const plan *p);

/* "F1 (Free) · 1 instance · CPU 2.9/3 min per 5 min · stopped until
** 08:05" for a status line. */
void plan_status(const plan *p, int64_t now, sb *out);

#endif
