/*
** cloud.c: the hub, the platform services, the plan and the fleet of a
** run; see cloud.h.
**
** This file opens, copies and frees a run's cloud, puts the plan in front
** of the backend, and runs the hooks the engine calls (advance, handle,
** step begin and end, network) and the scale step.  The rest lives beside
** it (cloud_int.h): cloud_push.c the notifications and the push steps,
** cloud_fleet.c the fleet's requests, cloud_expect.c the expectations.
*/
#include "sim/cloud.h"
#include "sim/cloud_int.h"
#include "lib/hash.h"
#include "lib/jx.h"
#include "lib/xmem.h"
#include "sim/wire.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- small helpers ---- */

trc_event *
cloud_trace(cloud *c, trc_type type, const char *device, const char *method,
    int status, const char *text)
{
	trc_event *e = trc_add(c->env.trace, type, device, "%s", text);
	trc_set(&e->method, method);
	e->status = status;
	return e;
}

/* A uuid v4 spelled from a hash of the device's name: the SDK makes one on
** first run and keeps it; synclab's stays the same from run to run. */
static char *
cloud_uuid(const char *name, uint64_t salt)
{
	uint64_t a = hash_str(name) ^ salt, b = a * 0x9e3779b97f4a7c15ULL + 1;
	b ^= b >> 29;
	return xasprintf("%08x-%04x-4%03x-%04x-%012llx",
	    (unsigned)(a >> 32), (unsigned)(a >> 16) & 0xffffu,
	    (unsigned)a & 0xfffu, (unsigned)((b >> 48) & 0x3fffu) | 0x8000u,
	    (unsigned long long)(b & 0xffffffffffffULL));
}

static char *
cloud_handle_for(pns_platform p, const char *name)
{
	uint64_t h = hash_str(name), g = h * 0xbf58476d1ce4e5b9ULL;
	switch (p) {
	case PNS_APNS:
		return xasprintf("%016llx%016llx%016llx%016llx",
		    (unsigned long long)h, (unsigned long long)g,
		    (unsigned long long)(h ^ g), (unsigned long long)(g >> 3));
	case PNS_FCM:
		return xasprintf("f%015llx:APA91b%016llx%016llx",
		    (unsigned long long)(h >> 4), (unsigned long long)g,
		    (unsigned long long)(h ^ g));
	default:
		return xasprintf("https://db5p.notify.windows.com/?token="
		    "AwYAAAB%016llx%016llx", (unsigned long long)h,
		    (unsigned long long)g);
	}
}

/* ---- opening ---- */

cloud *
cloud_open(const scn *s, const cloud_env *env, int64_t now, sb *err)
{
	const scn_cloud *cfg = s->cloud;
	if (cfg == NULL) {
		sb_add(err, "the scenario has no push, plan or fleet");
		return NULL;
	}
	cloud *c = xcalloc(1, sizeof *c);
	c->s = s;
	c->cfg = cfg;
	c->env = *env;
	c->now = now;
	c->last_status = -1;
	if (cfg->hub) {
		c->hub = hub_new(cfg->tier);
		hub_set_pushes(c->hub, (uint64_t)cfg->pushes_used, now);
	}
	c->pns = pns_new();
	if (cfg->plan) {
		sb e = SB_INIT;
		c->plan = plan_new(cfg->plan_tier, cfg->instances, &cfg->cost,
		    now, &e);
		if (c->plan == NULL) {
			sb_addf(err, "plan: %s", sb_str(&e));
			sb_free(&e);
			cloud_free(c);
			return NULL;
		}
		if (cfg->autoscale.enabled) {
			sb w = SB_INIT;
			if (plan_set_autoscale(c->plan, &cfg->autoscale, now,
			    &w) != 0) {
				sb_addf(err, "plan.autoscale: %s", sb_str(&w));
				sb_free(&w);
				cloud_free(c);
				return NULL;
			}
			sb_free(&w);
		}
	}
	c->ndev = s->ndevices;
	c->dev = xcalloc(c->ndev ? c->ndev : 1, sizeof *c->dev);
	for (size_t i = 0; i < c->ndev; i++) {
		cloud_dev *d = &c->dev[i];
		const scn_push_dev *pd = &cfg->dev[i];
		d->chan = -1;
		if (!pd->set)
			continue;
		d->inst = cloud_uuid(s->devices[i].name, s->seed);
		d->handle = pd->channel ? xstrdup(pd->channel) :
		    cloud_handle_for(pd->platform, s->devices[i].name);
	}
	if (cfg->fleet) {
		const scn_fleet *f = &cfg->fl;
		size_t n = (size_t)f->devices;
		c->fd = xcalloc(n, sizeof *c->fd);
		c->heap = xcalloc(n, sizeof *c->heap);
		for (size_t i = 0; i < n; i++) {
			snprintf(c->fd[i].token, sizeof c->fd[i].token, "%s",
			    "1970-01-01T00:00:00.000Z");
			/* Each device's first sync at a fixed point of the
			** spread, from a hash of its number. */
			char nm[48];
			snprintf(nm, sizeof nm, "%s-%05zu", f->prefix, i + 1);
			uint64_t h = hash_str(nm) * 0x9e3779b97f4a7c15ULL;
			int64_t off = f->spread_ms > 0 ?
			    (int64_t)((h >> 11) % (uint64_t)(f->spread_ms + 1)) :
			    0;
			cloud_heap_push(c, f->at_ms + off, (uint32_t)i);
		}
	}
	return c;
}

void
cloud_free(cloud *c)
{
	if (c == NULL)
		return;
	hub_free(c->hub);
	pns_free(c->pns);
	plan_free(c->plan);
	for (size_t i = 0; i < c->ndev; i++) {
		free(c->dev[i].inst);
		free(c->dev[i].handle);
		free(c->dev[i].last);
		free(c->dev[i].pend_table);
	}
	free(c->dev);
	free(c->fd);
	free(c->heap);
	free(c);
}

cloud *
cloud_dup(const cloud *c)
{
	cloud *d = xmalloc(sizeof *d);
	*d = *c;
	d->hub = c->hub ? hub_dup(c->hub) : NULL;
	d->pns = pns_dup(c->pns);
	d->plan = c->plan ? plan_dup(c->plan) : NULL;
	d->dev = xcalloc(c->ndev ? c->ndev : 1, sizeof *d->dev);
	for (size_t i = 0; i < c->ndev; i++) {
		const cloud_dev *a = &c->dev[i];
		cloud_dev *b = &d->dev[i];
		*b = *a;
		b->inst = a->inst ? xstrdup(a->inst) : NULL;
		b->handle = a->handle ? xstrdup(a->handle) : NULL;
		b->last = a->last ? xstrdup(a->last) : NULL;
		b->pend_table = a->pend_table ? xstrdup(a->pend_table) : NULL;
	}
	if (c->cfg->fleet) {
		size_t n = (size_t)c->cfg->fl.devices;
		d->fd = xmalloc(n * sizeof *d->fd);
		memcpy(d->fd, c->fd, n * sizeof *d->fd);
		d->heap = xmalloc(n * sizeof *d->heap);
		memcpy(d->heap, c->heap, c->nheap * sizeof *d->heap);
	}
	return d;
}

hub *
cloud_hub(cloud *c)
{
	return c ? c->hub : NULL;
}

const pns *
cloud_pns(const cloud *c)
{
	return c ? c->pns : NULL;
}

const plan *
cloud_plan(const cloud *c)
{
	return c ? c->plan : NULL;
}

/* ---- the plan ---- */

static void
cloud_plan_events(cloud *c, plan_ev *ev, size_t n)
{
	static const char *const kinds[] = { "minute", "scale", "ready",
	    "stop", "resume" };
	for (size_t i = 0; i < n; i++) {
		trc_event *e = cloud_trace(c, TRC_PLAN, NULL, kinds[ev[i].kind],
		    ev[i].kind == PLAN_EV_STOP ? 403 : 0, ev[i].text);
		if (ev[i].kind != PLAN_EV_MINUTE)
			continue;
		const plan_minute *m = plan_minute_at(c->plan, ev[i].minute);
		char iso[32];
		wire_format_time(m->t, iso);
		char *b = xasprintf("{\"minute\":\"%s\",\"requests\":%u,"
		    "\"refused\":%u,\"cpuPercent\":%.1f,\"p50Ms\":%lld,"
		    "\"p95Ms\":%lld,\"p99Ms\":%lld,\"maxMs\":%lld,"
		    "\"instances\":%d,\"stopped\":%s}", iso, m->requests,
		    m->refused, m->cpu_pct, (long long)m->p50,
		    (long long)m->p95, (long long)m->p99, (long long)m->max,
		    m->instances, m->stopped ? "true" : "false");
		e->body = b;
	}
	plan_ev_free(ev, n);
}

void
cloud_plan_to(cloud *c, int64_t t)
{
	if (c->plan == NULL)
		return;
	plan_ev *ev = NULL;
	size_t n = 0;
	plan_advance(c->plan, t, &ev, &n);
	cloud_plan_events(c, ev, n);
}

/* Rows in a JSON answer: the elements of a top-level array, or of
** "results" in {"results": [...], "count": N}; 1 for an object. */
size_t
cloud_rows(const char *body)
{
	if (body == NULL)
		return 0;
	const char *p = body;
	while (*p == ' ' || *p == '\n')
		p++;
	if (*p == '{') {
		const char *r = strstr(p, "\"results\":[");
		if (r == NULL)
			return 1;
		p = r + 10;
	}
	if (*p != '[')
		return 0;
	size_t n = 0;
	int depth = 0, instr = 0, any = 0;
	for (; *p; p++) {
		char ch = *p;
		if (instr) {
			if (ch == '\\' && p[1])
				p++;
			else if (ch == '"')
				instr = 0;
			continue;
		}
		if (ch == '"') {
			instr = 1;
			any = 1;
		} else if (ch == '[' || ch == '{') {
			depth++;
			if (depth == 2)
				any = 1;
		} else if (ch == ']' || ch == '}') {
			if (--depth == 0)
				break;
		} else if (ch == ',' && depth == 1)
			n++;
		else if (ch != ' ' && ch != '\n')
			any = 1;
	}
	return any ? n + 1 : 0;
}

static void
cloud_stopped(http_resp *resp)
{
	http_resp_free(resp);
	http_resp_init(resp, 403);
	http_resp_add_header(resp, "Content-Type", "text/html");
	http_resp_set_body(resp, "<!DOCTYPE html><html><head><title>Web App "
	    "- Unavailable</title></head><body><h1>Error 403 - This web app "
	    "is stopped.</h1></body></html>");
}

/* The backend under the plan, without push-to-sync. */
void
cloud_serve(cloud *c, const http_req *req, int64_t at, uint64_t entropy,
    http_resp *resp, int64_t *done)
{
	*done = at;
	if (c->plan && plan_stopped(c->plan, at)) {
		int64_t s0, e0;
		plan_admit(c->plan, at, 0, &s0, &e0);
		cloud_stopped(resp);
		return;
	}
	if (c->env.serve)
		c->env.serve(c->env.ud, req, at, entropy, resp);
	else
		srv_handle(c->env.srv, req, at, entropy, resp);
	if (c->plan) {
		int64_t s0, e0;
		size_t rows = strcmp(req->method, "GET") == 0 ?
		    cloud_rows(resp->body) : 1;
		if (plan_admit(c->plan, at, rows, &s0, &e0) == 200)
			*done = e0;
	}
}

/* ---- hooks ---- */

int
cloud_advance_some(cloud *c, int64_t now, size_t budget)
{
	if (now < c->now || c->in_advance)
		return 1;
	c->in_advance = 1;
	if (c->fd && cloud_fleet_to(c, now, budget) == budget &&
	    c->nheap > 0 && c->heap[0].t <= now) {
		c->in_advance = 0;
		return 0;	/* more of the fleet is due by now */
	}
	cloud_plan_to(c, now);
	if (c->hub && c->hub->nsched) {
		hub_target *t = NULL;
		size_t n = 0;
		hub_due(c->hub, now, &t, &n);
		if (n) {
			cloud_trace(c, TRC_PUSH, NULL, "scheduled", 0, "The "
			    "hub releases a scheduled send (Standard tier).");
			cloud_dispatch(c, t, n, now);
		} else
			free(t);
	}
	c->now = now;
	c->in_advance = 0;
	return 1;
}

void
cloud_advance(cloud *c, int64_t now)
{
	cloud_advance_some(c, now, SIZE_MAX);
}

void
cloud_handle(cloud *c, const http_req *req, int64_t at, uint64_t entropy,
    http_resp *resp, int64_t *done)
{
	cloud_advance(c, at);
	cloud_serve(c, req, at, entropy, resp, done);
	if (c->hub == NULL || c->cfg->nsync == 0 || resp->status < 200 ||
	    resp->status >= 300 || strcmp(req->method, "GET") == 0 ||
	    req->path == NULL || strncmp(req->path, "/tables/", 8) != 0)
		return;
	const char *t = req->path + 8, *sl = strchr(t, '/');
	size_t tl = sl ? (size_t)(sl - t) : strlen(t);
	for (size_t i = 0; i < c->cfg->nsync; i++)
		if (strlen(c->cfg->sync_tables[i]) == tl &&
		    strncmp(c->cfg->sync_tables[i], t, tl) == 0) {
			cloud_push_to_sync(c, c->cfg->sync_tables[i]);
			break;
		}
}

void
cloud_step_begin(cloud *c)
{
	c->last_status = -1;
	c->step_targets = 0;
}

static void cloud_step_actions(cloud *c);

void
cloud_step_end(cloud *c)
{
	cloud_step_actions(c);
	if (c->env.settle)
		c->env.settle(c->env.ud);
}

/* Devices act on the notifications that reached them, round after round
** while actions cause more. */
static void
cloud_step_actions(cloud *c)
{
	for (int round = 0; round < CLOUD_ROUNDS; round++) {
		int any = 0;
		for (size_t i = 0; i < c->ndev; i++) {
			cloud_dev *d = &c->dev[i];
			if (d->pend == 0 || !c->env.online(c->env.ud, i))
				continue;
			int what = d->pend;
			char *table = d->pend_all ? NULL : d->pend_table;
			d->pend = 0;
			d->pend_all = 0;
			d->pend_table = NULL;
			any = 1;
			c->env.act(c->env.ud, i, (scn_notify)what, table);
			free(table);
		}
		if (!any)
			return;
	}
	cloud_trace(c, TRC_NOTE, NULL, "stop", 0, "synclab stops following "
	    "notifications here: each sync caused more notifications, "
	    "round after round.");
}

void
cloud_net(cloud *c, size_t i, int online)
{
	cloud_dev *d = &c->dev[i];
	if (d->chan < 0)
		return;
	pns_dlv *dl = NULL;
	size_t n = 0;
	sb why = SB_INIT;
	size_t held = c->pns->ch[d->chan].nheld;
	int owed = c->pns->ch[d->chan].deleted_owed;
	pns_set_online(c->pns, (size_t)d->chan, online, c->env.now(c->env.ud),
	    c->env.rand(c->env.ud), &dl, &n, &why);
	if (online && (held || owed)) {
		trc_event *e = cloud_trace(c, TRC_PUSH, cloud_name(c, i),
		    "reconnect", 0, sb_str(&why));
		(void)e;
	}
	sb_free(&why);
	if (n)
		cloud_receive(c, dl, n);
	else
		free(dl);
}

static int
cloud_scale(cloud *c, const cJSON *a)
{
	int64_t now = c->env.now(c->env.ud);
	int failed = 0;
	const cJSON *v;
	sb why = SB_INIT;
	if ((v = cJSON_GetObjectItemCaseSensitive(a, "hub"))) {
		hub_tier ht;
		int rc = c->hub == NULL || hub_tier_parse(v->valuestring, &ht)
		    != 0 || hub_set_tier(c->hub, ht, &why) != 0;
		cloud_trace(c, rc ? TRC_ERROR : TRC_PUSH, NULL, "hub-tier", 0,
		    why.len ? sb_str(&why) : "no notification hub to scale");
		failed |= rc;
	}
	if (c->plan == NULL) {
		sb_free(&why);
		return failed | (cJSON_GetObjectItemCaseSensitive(a, "tier") ||
		    cJSON_GetObjectItemCaseSensitive(a, "instances") ||
		    cJSON_GetObjectItemCaseSensitive(a, "autoscale"));
	}
	cloud_plan_to(c, now);
	if ((v = cJSON_GetObjectItemCaseSensitive(a, "tier"))) {
		sb_reset(&why);
		int rc = plan_set_tier(c->plan, v->valuestring, now, &why);
		cloud_trace(c, rc ? TRC_ERROR : TRC_PLAN, NULL, "scale-up", 0,
		    sb_str(&why));
		failed |= rc != 0;
	}
	if ((v = cJSON_GetObjectItemCaseSensitive(a, "autoscale"))) {
		jx_doc d;
		char *txt = cJSON_PrintUnformatted(v);
		jx_load_text(&d, "autoscale", txt, strlen(txt));
		cJSON_free(txt);
		plan_autoscale as;
		scn_cloud_autoscale(&d, "autoscale", d.root, &as);
		jx_free(&d);
		sb_reset(&why);
		int rc = plan_set_autoscale(c->plan, &as, now, &why);
		cloud_trace(c, rc ? TRC_ERROR : TRC_PLAN, NULL, "autoscale", 0,
		    sb_str(&why));
		failed |= rc != 0;
	}
	if ((v = cJSON_GetObjectItemCaseSensitive(a, "instances"))) {
		sb_reset(&why);
		int rc = plan_set_instances(c->plan, (int)v->valuedouble, now,
		    &why);
		cloud_trace(c, rc ? TRC_ERROR : TRC_PLAN, NULL, "scale-out", 0,
		    sb_str(&why));
		failed |= rc != 0;
	}
	sb_reset(&why);
	plan_status(c->plan, now, &why);
	cloud_trace(c, TRC_PLAN, NULL, "status", 0, sb_str(&why));
	sb_free(&why);
	return failed;
}

int
cloud_exec(cloud *c, const scn_step *st)
{
	int di = st->device ? scn_device_index(c->s, st->device) : -1;
	switch (st->act) {
	case SCN_REGISTER:
	case SCN_UNREGISTER:
		if (di < 0 || !c->cfg->dev[di].set)
			return 1;
		return cloud_register(c, (size_t)di, st->row,
		    st->act == SCN_UNREGISTER);
	case SCN_TAG:
		if (di < 0 || !c->cfg->dev[di].set)
			return 1;
		return cloud_tag(c, (size_t)di, st->row);
	case SCN_SEND:
		if (c->hub == NULL)
			return 1;
		return cloud_send(c, st);
	case SCN_SCALE:
		return cloud_scale(c, st->row);
	default:
		return 1;
	}
}

/* ---- views ---- */

void
cloud_devview_of(const cloud *c, size_t i, cloud_devview *v)
{
	memset(v, 0, sizeof *v);
	if (c == NULL || i >= c->ndev)
		return;
	const cloud_dev *d = &c->dev[i];
	v->installation = d->chan >= 0 ? d->inst : NULL;
	v->chan = d->chan >= 0 ? &c->pns->ch[d->chan] : NULL;
	v->received = d->received;
	v->last = d->last;
	v->deleted_signal = d->deleted;
	v->policy = c->cfg->dev[i].on_notify;
}

void
cloud_fleetview_of(const cloud *c, cloud_fleetview *v)
{
	memset(v, 0, sizeof *v);
	if (c == NULL || !c->cfg->fleet)
		return;
	v->devices = c->cfg->fl.devices;
	v->syncs = c->f_syncs;
	v->failed = c->f_failed;
	v->requests = c->f_requests;
	v->refused = c->f_refused;
	v->active = c->nheap > 0;
	v->at = c->f_at;
}

