/*
** cloud_expect.c: the expectation keys hub, notified, tags and plan; see
** cloud.h.  Each check reads the cloud's state after a step and, when
** asked to record, adds one TRC_EXPECT saying what was expected and what
** was found.
*/
#include "sim/cloud.h"
#include "sim/cloud_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* ---- expectations ---- */

static int
cloud_report(cloud *c, int record, int ok, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int
cloud_report(cloud *c, int record, int ok, const char *fmt, ...)
{
	if (record) {
		char buf[512];
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(buf, sizeof buf, fmt, ap);
		va_end(ap);
		trc_event *e = trc_add(c->env.trace, TRC_EXPECT, NULL, "%s",
		    buf);
		e->ok = ok ? 1 : 0;
	}
	return ok;
}

static int
cloud_has_tag(const hub_inst *in, const char *t)
{
	for (size_t k = 0; k < in->ntags; k++)
		if (strcmp(in->tags[k], t) == 0)
			return 1;
	return 0;
}

int
cloud_expect(cloud *c, const cJSON *ex, int record)
{
	int all = 1;
	const cJSON *v, *m, *x;
	int64_t now = c->env.now(c->env.ud);
	if ((v = cJSON_GetObjectItemCaseSensitive(ex, "hub")) && c->hub) {
		if ((x = cJSON_GetObjectItemCaseSensitive(v, "status")))
			all &= cloud_report(c, record, c->last_status ==
			    (int)x->valuedouble, "the hub answered %d (found "
			    "%d)", (int)x->valuedouble, c->last_status);
		if ((x = cJSON_GetObjectItemCaseSensitive(v, "installations")))
			all &= cloud_report(c, record, c->hub->n ==
			    (size_t)x->valuedouble, "the hub holds %d "
			    "installation%s (found %zu)", (int)x->valuedouble,
			    x->valuedouble == 1 ? "" : "s", c->hub->n);
		if ((x = cJSON_GetObjectItemCaseSensitive(v,
		    "pushesThisMonth")))
			all &= cloud_report(c, record, c->hub->pushes ==
			    (uint64_t)x->valuedouble, "the hub counted %.0f "
			    "push%s this month (found %llu)", x->valuedouble,
			    x->valuedouble == 1 ? "" : "es",
			    (unsigned long long)c->hub->pushes);
		if ((x = cJSON_GetObjectItemCaseSensitive(v, "notifications")))
			all &= cloud_report(c, record, c->step_targets ==
			    (size_t)x->valuedouble, "the step's sends made %d "
			    "notification%s (found %zu)", (int)x->valuedouble,
			    x->valuedouble == 1 ? "" : "s", c->step_targets);
	}
	if ((v = cJSON_GetObjectItemCaseSensitive(ex, "notified"))) {
		cJSON_ArrayForEach(m, v) {
			int di = scn_device_index(c->s, m->string);
			if (di < 0)
				continue;
			const cloud_dev *d = &c->dev[di];
			const pns_chan *ch = d->chan >= 0 ?
			    &c->pns->ch[d->chan] : NULL;
			size_t held = ch ? ch->nheld : 0;
			size_t dropped = ch ? ch->dropped : 0;
			if ((x = cJSON_GetObjectItemCaseSensitive(m,
			    "received")))
				all &= cloud_report(c, record, d->received ==
				    (size_t)x->valuedouble, "%s received %d "
				    "notification%s (found %zu)", m->string,
				    (int)x->valuedouble, x->valuedouble == 1 ?
				    "" : "s", d->received);
			if ((x = cJSON_GetObjectItemCaseSensitive(m, "held")))
				all &= cloud_report(c, record, held ==
				    (size_t)x->valuedouble, "the platform "
				    "service holds %d for %s (found %zu)",
				    (int)x->valuedouble, m->string, held);
			if ((x = cJSON_GetObjectItemCaseSensitive(m,
			    "dropped")))
				all &= cloud_report(c, record, dropped ==
				    (size_t)x->valuedouble, "the platform "
				    "service dropped %d for %s (found %zu)",
				    (int)x->valuedouble, m->string, dropped);
			if ((x = cJSON_GetObjectItemCaseSensitive(m,
			    "deletedSignal")))
				all &= cloud_report(c, record, d->deleted ==
				    cJSON_IsTrue(x), "%s %s the deleted-"
				    "messages signal (%s)", m->string,
				    cJSON_IsTrue(x) ? "got" : "did not get",
				    d->deleted ? "it got it" : "it did not");
		}
	}
	if ((v = cJSON_GetObjectItemCaseSensitive(ex, "tags")) && c->hub) {
		cJSON_ArrayForEach(m, v) {
			int di = scn_device_index(c->s, m->string);
			if (di < 0)
				continue;
			long at = c->dev[di].inst ? hub_find(c->hub,
			    c->dev[di].inst) : -1;
			int ok = at >= 0 && (size_t)cJSON_GetArraySize(m) ==
			    c->hub->in[at].ntags;
			cJSON_ArrayForEach(x, m)
				if (ok && !cloud_has_tag(&c->hub->in[at],
				    x->valuestring))
					ok = 0;
			sb f = SB_INIT;
			if (at >= 0)
				cloud_tags_text(&c->hub->in[at], &f);
			else
				sb_add(&f, "no installation");
			char *w = cJSON_PrintUnformatted(m);
			all &= cloud_report(c, record, ok, "%s's installation "
			    "has the tags %s besides $InstallationId (found "
			    "%s)", m->string, w, sb_str(&f));
			cJSON_free(w);
			sb_free(&f);
		}
	}
	if ((v = cJSON_GetObjectItemCaseSensitive(ex, "plan")) && c->plan) {
		cloud_plan_to(c, now);
		const plan *p = c->plan;
		if ((x = cJSON_GetObjectItemCaseSensitive(v, "stopped"))) {
			int s0 = plan_stopped(p, now);
			all &= cloud_report(c, record, s0 == cJSON_IsTrue(x),
			    "the app is %s (it is %s)", cJSON_IsTrue(x) ?
			    "stopped" : "running", s0 ? "stopped" : "running");
		}
		if ((x = cJSON_GetObjectItemCaseSensitive(v, "tier")))
			all &= cloud_report(c, record, strcmp(
			    plan_tier_of(p)->name, x->valuestring) == 0,
			    "the plan is %s (found %s)", x->valuestring,
			    plan_tier_of(p)->name);
		if ((x = cJSON_GetObjectItemCaseSensitive(v, "instances")))
			all &= cloud_report(c, record, plan_instances(p) ==
			    (int)x->valuedouble, "the plan has %d instance%s "
			    "(found %d)", (int)x->valuedouble,
			    x->valuedouble == 1 ? "" : "s", plan_instances(p));
		if ((x = cJSON_GetObjectItemCaseSensitive(v,
		    "peakInstances")))
			all &= cloud_report(c, record, plan_peak_instances(p)
			    == (int)x->valuedouble, "the plan peaked at %d "
			    "instance%s (found %d)", (int)x->valuedouble,
			    x->valuedouble == 1 ? "" : "s",
			    plan_peak_instances(p));
		if ((x = cJSON_GetObjectItemCaseSensitive(v, "refused")))
			all &= cloud_report(c, record, plan_total_refused(p) ==
			    (uint64_t)x->valuedouble, "%d request%s got 403 "
			    "(found %llu)", (int)x->valuedouble,
			    x->valuedouble == 1 ? "" : "s",
			    (unsigned long long)plan_total_refused(p));
		if ((x = cJSON_GetObjectItemCaseSensitive(v,
		    "refusedAtLeast")))
			all &= cloud_report(c, record, plan_total_refused(p) >=
			    (uint64_t)x->valuedouble, "at least %d request%s "
			    "got 403 (found %llu)", (int)x->valuedouble,
			    x->valuedouble == 1 ? "" : "s",
			    (unsigned long long)plan_total_refused(p));
		int64_t last = -1, worst = 0;
		for (size_t i = plan_nminutes(p); i-- > 0;) {
			const plan_minute *pm = plan_minute_at(p, i);
			if (pm->requests == 0)
				continue;
			if (last < 0)
				last = pm->p95;
			if (pm->p95 > worst)
				worst = pm->p95;
		}
		if ((x = cJSON_GetObjectItemCaseSensitive(v, "p95AtMostMs")))
			all &= cloud_report(c, record, last >= 0 && last <=
			    (int64_t)x->valuedouble, "the last busy minute's "
			    "p95 latency is at most %d ms (found %lld)",
			    (int)x->valuedouble, (long long)last);
		if ((x = cJSON_GetObjectItemCaseSensitive(v, "p95AtLeastMs")))
			all &= cloud_report(c, record, worst >=
			    (int64_t)x->valuedouble, "the worst minute's p95 "
			    "latency reached %d ms (found %lld)",
			    (int)x->valuedouble, (long long)worst);
	}
	return all;
}

