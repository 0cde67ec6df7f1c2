/*
** scene-cloud.c: the push and scale parts of the scenario view, for a
** scenario that declares a hub, a plan or a fleet (docs/push-and-plans.md).
**
** A strip of up to three lines between the panes and the timeline: the
** plan (tier, instances, CPU used against the quota, stopped or not, the
** last minute's traffic), the hub (tier, installations, pushes) and the
** fleet (devices, syncs, 403s).  In a device pane, the last line says what
** its platform service did for it.  The key C scales the plan: it becomes
** a scale step of its own, like every other action of the student.
*/
#include "ui/scene-int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/xmem.h"
#include "sim/cloud.h"
#include "sim/wire.h"

/* The last minute of the plan that had traffic, or NULL. */
static const plan_minute *
ui_cloud_last_minute(const plan *p)
{
	for (size_t i = plan_nminutes(p); i-- > 0;) {
		const plan_minute *m = plan_minute_at(p, i);
		if (m->requests)
			return m;
	}
	return NULL;
}

int
ui_cloud_height(const struct ui_app *a, struct ui_scene *sc)
{
	cloud *c = sim_cloud(sc->run);
	if (c == NULL)
		return 0;
	int n = (cloud_plan(c) != NULL) + (cloud_hub(c) != NULL);
	cloud_fleetview fv;
	cloud_fleetview_of(c, &fv);
	n += fv.devices > 0;
	if (n == 0)
		return 0;
	/* Small screens keep one line: the plan's, or the hub's. */
	return a->h >= 24 ? n : 1;
}

void
ui_cloud_draw(struct ui_app *a, struct ui_scene *sc, int y, int h)
{
	cloud *c = sim_cloud(sc->run);
	if (c == NULL || h <= 0)
		return;
	int64_t now = sim_epoch_ms(sc->run);
	int line = 0;
	sb t = SB_INIT;
	const plan *p = cloud_plan(c);
	int room = a->w - 16;	/* "Plan " and " C scale" */
	if (p && line < h) {
		const plan_tier *pt = plan_tier_of(p);
		const plan_autoscale *as = plan_autoscale_of(p);
		const plan_minute *m = ui_cloud_last_minute(p);
		int64_t until = plan_stopped_until(p, now);
		/* The long form, then shorter ones until one fits. */
		for (int form = 0; form < 3; form++) {
			sb_reset(&t);
			sb_addf(&t, "%s %s · %d instance%s", pt->name,
			    pt->family, plan_instances(p),
			    plan_instances(p) == 1 ? "" : "s");
			if (plan_ready(p) < plan_instances(p))
				sb_addf(&t, " (%d ready)", plan_ready(p));
			if (as->enabled && form < 2)
				sb_addf(&t, " · autoscale %d-%d", as->min,
				    as->max);
			if (pt->cpu_short_ms > 0)
				sb_addf(&t, form < 2 ? " · CPU %.1f/%lld min "
				    "per 5 min" : " · CPU %.1f/%lld", 
				    plan_cpu_short(p, now) / 60000.0,
				    (long long)(pt->cpu_short_ms / 60000));
			if (until) {
				char iso[32];
				wire_format_time(until, iso);
				sb_addf(&t, " · STOPPED until %.5s", iso + 11);
			}
			if (m && form == 0)
				sb_addf(&t, " · last minute %u req, p95 %.1f s, "
				    "CPU %.0f%%", m->requests,
				    (double)m->p95 / 1000.0, m->cpu_pct);
			else if (m)
				sb_addf(&t, " · p95 %.1f s, CPU %.0f%%",
				    (double)m->p95 / 1000.0, m->cpu_pct);
			if (ui_width(sb_str(&t)) <= room)
				break;
		}
		ui_fill(y + line, 0, a->w, ui_attr(a, UI_NORMAL));
		int x = ui_put(y + line, 1, 6, ui_attr(a, UI_HEAD), "Plan ");
		int used = ui_put(y + line, 1 + x, room,
		    ui_attr(a, until ? UI_ERR : UI_NORMAL), sb_str(&t));
		ui_put(y + line, 2 + x + used, a->w - 3 - x - used,
		    ui_attr(a, UI_KEY), " C scale");
		line++;
	}
	hub *hb = cloud_hub(c);
	if (hb && line < h) {
		for (int form = 0; form < 2; form++) {
			sb_reset(&t);
			sb_addf(&t, "%s tier · %zu installation%s (of %llu) · "
			    "%llu push%s this month", hub_tier_name(hb->tier),
			    hb->n, hb->n == 1 ? "" : "s",
			    (unsigned long long)hub_tier_devices(hb->tier),
			    (unsigned long long)hb->pushes,
			    hb->pushes == 1 ? "" : "es");
			if (form == 0)
				sb_addf(&t, " · %zu send%s, %zu refused",
				    hb->sends, hb->sends == 1 ? "" : "s",
				    hb->refused);
			if (ui_width(sb_str(&t)) <= a->w - 8)
				break;
		}
		ui_fill(y + line, 0, a->w, ui_attr(a, UI_NORMAL));
		int x = ui_put(y + line, 1, 6, ui_attr(a, UI_HEAD), "Hub ");
		ui_put(y + line, 1 + x, a->w - 2 - x, ui_attr(a, UI_NORMAL),
		    sb_str(&t));
		line++;
	}
	cloud_fleetview fv;
	cloud_fleetview_of(c, &fv);
	if (fv.devices > 0 && line < h) {
		sb_reset(&t);
		sb_addf(&t, "%ld devices · %llu syncs, %llu failed · %llu "
		    "requests, %llu got 403%s", fv.devices,
		    (unsigned long long)fv.syncs,
		    (unsigned long long)fv.failed,
		    (unsigned long long)fv.requests,
		    (unsigned long long)fv.refused, fv.active ? "" :
		    " · done");
		ui_fill(y + line, 0, a->w, ui_attr(a, UI_NORMAL));
		int x = ui_put(y + line, 1, 6, ui_attr(a, UI_HEAD), "Fleet ");
		ui_put(y + line, 1 + x, a->w - 2 - x, ui_attr(a, fv.refused ?
		    UI_WARN : UI_NORMAL), sb_str(&t));
		line++;
	}
	sb_free(&t);
}

void
ui_cloud_device(struct ui_app *a, struct ui_scene *sc, int di, int y, int x,
    int h, int w)
{
	cloud *c = sim_cloud(sc->run);
	if (c == NULL || h < 4 || w < 12)
		return;
	cloud_devview v;
	cloud_devview_of(c, (size_t)di, &v);
	if (v.chan == NULL)
		return;
	sb t = SB_INIT;
	sb_addf(&t, "%s: got %zu · held %zu · dropped %zu%s",
	    pns_service_name(v.chan->platform), v.received, v.chan->nheld,
	    v.chan->dropped, v.deleted_signal ? " · deleted-messages" : "");
	if (v.last && *v.last)
		sb_addf(&t, " · last %s", v.last);
	ui_fill(y + h - 2, x + 1, w - 2, ui_attr(a, UI_NORMAL));
	ui_put(y + h - 2, x + 1, w - 2, ui_attr(a, v.chan->nheld ? UI_WARN :
	    UI_CHANGED), sb_str(&t));
	sb_free(&t);
}

/* "S1", "3", "auto 2 10", "auto off" -> the arguments of a scale step. */
static cJSON *
ui_cloud_parse(const char *text, sb *why)
{
	while (*text == ' ')
		text++;
	cJSON *o = cJSON_CreateObject();
	int lo, hi;
	char extra;
	if (strcmp(text, "auto off") == 0) {
		cJSON *as = cJSON_AddObjectToObject(o, "autoscale");
		cJSON_AddBoolToObject(as, "enabled", 0);
		return o;
	}
	if (sscanf(text, "auto %d %d %c", &lo, &hi, &extra) == 2) {
		/* The rules Azure's portal suggests first: out above 70% CPU,
		** in below 30%, over 10 minutes, 5 minutes apart. */
		cJSON *as = cJSON_AddObjectToObject(o, "autoscale");
		cJSON_AddNumberToObject(as, "min", lo);
		cJSON_AddNumberToObject(as, "max", hi);
		cJSON *rules = cJSON_AddArrayToObject(as, "rules");
		const struct { const char *op; int th, ch; } r[] = {
			{ ">", 70, 1 }, { "<", 30, -1 } };
		for (size_t i = 0; i < 2; i++) {
			cJSON *x = cJSON_CreateObject();
			cJSON_AddStringToObject(x, "metric", "cpu");
			cJSON_AddStringToObject(x, "operator", r[i].op);
			cJSON_AddNumberToObject(x, "threshold", r[i].th);
			cJSON_AddNumberToObject(x, "windowMinutes", 10);
			cJSON_AddNumberToObject(x, "change", r[i].ch);
			cJSON_AddNumberToObject(x, "cooldownMinutes", 5);
			cJSON_AddItemToArray(rules, x);
		}
		return o;
	}
	char *end;
	long n = strtol(text, &end, 10);
	if (end != text && *end == '\0' && n >= 1 && n <= 100) {
		cJSON_AddNumberToObject(o, "instances", (double)n);
		return o;
	}
	if (plan_tier_find(text)) {
		cJSON_AddStringToObject(o, "tier", text);
		return o;
	}
	cJSON_Delete(o);
	sb_add(why, "Type a tier (F1, D1, B1-B3, S1-S3, P0v3-P3v3, I1v2-I6v2), "
	    "an instance count (1-100), \"auto MIN MAX\" or \"auto off\".");
	return NULL;
}

static int
ui_cloud_scale_done(struct ui_app *a, void *ctx, const char *text)
{
	struct ui_scene *sc = ctx;
	sb why = SB_INIT;
	cJSON *args = ui_cloud_parse(text, &why);
	if (args == NULL) {
		ui_toast(a, "%s", sb_str(&why));
		sb_free(&why);
		return -1;
	}
	sb_free(&why);
	scn_step *st = xcalloc(1, sizeof *st);
	st->act = SCN_SCALE;
	st->count = 1;
	st->row = args;
	ui_remove(a, a->stack[a->depth - 1].st);
	ui_scene_act(a, sc, st);
	return 1;
}

int
ui_cloud_key(struct ui_app *a, struct ui_scene *sc, int ch)
{
	cloud *c = sim_cloud(sc->run);
	if (ch != 'C')
		return 0;
	if (c == NULL || cloud_plan(c) == NULL) {
		ui_toast(a, "This scenario has no App Service plan to scale.");
		return 1;
	}
	sb cur = SB_INIT;
	plan_status(cloud_plan(c), sim_epoch_ms(sc->run), &cur);
	char *label = xasprintf("Now: %s. Scale up to a tier (F1, D1, B1-B3, "
	    "S1-S3, P0v3-P3v3, I1v2-I6v2), out to N instances, or set "
	    "autoscale: auto MIN MAX (CPU > 70%%: +1, < 30%%: -1) or auto off.",
	    sb_str(&cur));
	sc->playing = 0;
	ui_prompt(a, "Scale the plan", label, "", ui_cloud_scale_done, sc);
	free(label);
	sb_free(&cur);
	return 1;
}

int
ui_cloud_columns(struct ui_scene *sc)
{
	return cloud_hub(sim_cloud(sc->run)) != NULL ? 2 : 0;
}

const char *
ui_cloud_column_name(int k)
{
	return k == 0 ? "Hub" : "APNs/FCM/WNS";
}

int
ui_cloud_seq(const trc_event *e, int nd, int *from, int *to, sb *label,
    int *role)
{
	if (e->type == TRC_PLAN) {
		if (e->method == NULL || (strcmp(e->method, "stop") &&
		    strcmp(e->method, "resume") && strcmp(e->method, "scale")))
			return 0;
		*from = *to = nd;	/* a note at the backend */
		sb_add(label, e->text ? e->text : "");
		*role = e->status >= 400 ? UI_ERR : UI_HEAD;
		return 1;
	}
	if (e->type != TRC_PUSH || e->method == NULL)
		return 0;
	int hubc = nd + 1, pnsc = nd + 2;
	const char *m = e->method;
	*role = e->status >= 400 ? UI_ERR : UI_OK;
	if (strcmp(m, "send") == 0) {
		*from = nd;
		*to = hubc;
		sb_addf(label, "POST messages: %d", e->status);
		return 1;
	}
	if (strcmp(m, "installed") == 0) {
		*from = nd;
		*to = hubc;
		sb_add(label, "PUT installation: 200");
		return 1;
	}
	if (strcmp(m, "tag") == 0) {
		*from = nd;
		*to = hubc;
		sb_addf(label, "PATCH installation: %d", e->status);
		return 1;
	}
	static const char *const outcomes[] = { "delivered", "stored",
	    "replaced", "dropped", "overflow", "gone", "refused", NULL };
	for (size_t i = 0; outcomes[i]; i++)
		if (strcmp(m, outcomes[i]) == 0) {
			*from = hubc;
			*to = pnsc;
			sb_addf(label, "%s: %s", e->device ? e->device : "?",
			    m);
			if (i >= 3)
				*role = UI_WARN;
			return 1;
		}
	if (strcmp(m, "receive") == 0) {
		*from = pnsc;
		*to = -1;	/* the device's column: the caller's */
		sb_add(label, e->table ? "silent: pull" : "notification");
		return 1;
	}
	return 0;
}
