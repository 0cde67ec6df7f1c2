/*
** cloud.c: the hub, the platform services, the plan and the fleet of a
** run; see cloud.h.
**
** Notifications: a send asks the hub (hub.h) for its targets, and each
** target goes to the platform service of its installation (pns.h); what
** reaches a device is recorded at once, and the device's policy acts when
** the step ends, so a pull never starts inside another device's request.
**
** The fleet: each generated device syncs as a Mobile Apps client would
** (its writes as POSTs, then pages of GET until an empty one), request
** after request, each arriving 40 ms (two network legs) after the answer
** to the previous one.  All fleet requests wait in one binary heap keyed
** on their arrival time, so the plan sees them in time order.
*/
#include "sim/cloud.h"
#include "lib/hash.h"
#include "lib/jx.h"
#include "lib/xmem.h"
#include "sim/srv_push.h"
#include "sim/wire.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CLOUD_LEG_MS	20	/* one network leg of a fleet device */
#define CLOUD_ROUNDS	8	/* notification -> action -> ... per step */
#define CLOUD_PAGE	50	/* the SDK's page size */

typedef struct cloud_dev {
	char		*inst;		/* installation id */
	char		*handle;	/* the platform service's channel */
	long		 chan;		/* index in pns, -1 before register */
	size_t		 received;
	char		*last;
	int		 deleted;	/* got FCM's deleted-messages signal */
	int		 pend;		/* 0, SCN_NOTIFY_PULL or _SYNC */
	int		 pend_all;	/* pull every table */
	char		*pend_table;
} cloud_dev;

typedef struct cloud_fdev {
	char		 token[32];	/* delta token (updatedAt) */
	char		 seen[32];	/* largest updatedAt this sync */
	int64_t		 skip;
	uint32_t	 round;
	uint16_t	 stage;
	uint8_t		 failed;
} cloud_fdev;

typedef struct cloud_hent {
	int64_t		 t;
	uint32_t	 dev;
} cloud_hent;

struct cloud {
	const scn	*s;
	const scn_cloud	*cfg;
	cloud_env	 env;
	hub		*hub;
	pns		*pns;
	plan		*plan;
	cloud_dev	*dev;
	size_t		 ndev;
	cloud_fdev	*fd;
	cloud_hent	*heap;
	size_t		 nheap;
	uint64_t	 f_syncs, f_failed, f_requests, f_refused;
	int64_t		 now;
	int		 last_status;	/* the step's last hub answer */
	size_t		 step_targets;
	int		 in_advance;
};

/* ---- small helpers ---- */

static trc_event *
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

/* ---- the fleet's heap ---- */

static void
cloud_heap_push(cloud *c, int64_t t, uint32_t dev)
{
	size_t i = c->nheap++;
	while (i > 0) {
		size_t up = (i - 1) / 2;
		if (c->heap[up].t < t || (c->heap[up].t == t &&
		    c->heap[up].dev < dev))
			break;
		c->heap[i] = c->heap[up];
		i = up;
	}
	c->heap[i].t = t;
	c->heap[i].dev = dev;
}

static cloud_hent
cloud_heap_pop(cloud *c)
{
	cloud_hent top = c->heap[0], last = c->heap[--c->nheap];
	size_t i = 0, n = c->nheap;
	for (;;) {
		size_t k = 2 * i + 1;
		if (k >= n)
			break;
		if (k + 1 < n && (c->heap[k + 1].t < c->heap[k].t ||
		    (c->heap[k + 1].t == c->heap[k].t &&
		    c->heap[k + 1].dev < c->heap[k].dev)))
			k++;
		if (last.t < c->heap[k].t || (last.t == c->heap[k].t &&
		    last.dev <= c->heap[k].dev))
			break;
		c->heap[i] = c->heap[k];
		i = k;
	}
	if (n > 0)
		c->heap[i] = last;
	return top;
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
	if (cfg->hub)
		c->hub = hub_new(cfg->tier);
	c->pns = pns_new();
	if (cfg->plan) {
		char e[256];
		c->plan = plan_new(cfg->plan_tier, cfg->instances, &cfg->cost,
		    now, e, sizeof e);
		if (c->plan == NULL) {
			sb_addf(err, "plan: %s", e);
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

static void
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
static size_t
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
static void
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
	srv_handle(c->env.srv, req, at, entropy, resp);
	if (c->plan) {
		int64_t s0, e0;
		size_t rows = strcmp(req->method, "GET") == 0 ?
		    cloud_rows(resp->body) : 1;
		if (plan_admit(c->plan, at, rows, &s0, &e0) == 200)
			*done = e0;
	}
}

/* ---- the fleet ---- */

/* A page's rows and its largest updatedAt, read off the text: the
** backend writes "updatedAt":"..." once per row, and the fleet keeps no
** rows, so no JSON tree is built for 50 rows it throws away. */
static void
cloud_fleet_page(cloud_fdev *f, const char *body, size_t *n)
{
	static const char key[] = "\"updatedAt\":\"";
	*n = cloud_rows(body);
	for (const char *p = body; p && (p = strstr(p, key)) != NULL;) {
		p += sizeof key - 1;
		const char *q = strchr(p, '"');
		if (q == NULL)
			break;
		size_t len = (size_t)(q - p);
		if (len < sizeof f->seen && (strlen(f->seen) < len ||
		    (strlen(f->seen) == len && strncmp(p, f->seen, len) > 0))) {
			memcpy(f->seen, p, len);
			f->seen[len] = '\0';
		}
		p = q;
	}
}

/* One request of fleet device i at t; returns when its next one arrives,
** or -1 when this sync is over. */
static int64_t
cloud_fleet_step(cloud *c, uint32_t i, int64_t t)
{
	const scn_fleet *fl = &c->cfg->fl;
	cloud_fdev *f = &c->fd[i];
	http_req req;
	http_resp resp;
	int get = f->stage >= fl->writes;
	if (!get) {
		char path[160], *body;
		snprintf(path, sizeof path, "/tables/%s", fl->push);
		http_req_init(&req, "POST", path, NULL);
		body = xasprintf("{\"id\":\"%s-%05u-%u-%u\"}", fl->prefix,
		    i + 1, f->round, f->stage);
		http_req_add_header(&req, "Content-Type", "application/json");
		http_req_set_body(&req, body);
		free(body);
	} else {
		char path[160];
		snprintf(path, sizeof path, "/tables/%s", fl->pull);
		char *flt = xasprintf("(updatedAt ge datetimeoffset'%s')",
		    f->token);
		char *ef = http_escape(flt);
		char *q = xasprintf("$filter=%s&$orderby=updatedAt&$skip=%lld"
		    "&$top=%d&__includeDeleted=true", ef, (long long)f->skip,
		    CLOUD_PAGE);
		http_req_init(&req, "GET", path, q);
		free(flt);
		free(ef);
		free(q);
	}
	http_req_add_header(&req, "ZUMO-API-VERSION", "2.0.0");
	http_resp_init(&resp, 0);
	int64_t done;
	cloud_serve(c, &req, t, hash_str(req.path) ^ (uint64_t)t ^ i, &resp,
	    &done);
	c->f_requests++;
	int status = resp.status;
	size_t n = 0;
	if (get && status == 200)
		cloud_fleet_page(f, resp.body, &n);
	http_req_free(&req);
	http_resp_free(&resp);
	if (status == 403)
		c->f_refused++;
	if (status < 200 || status >= 300) {
		/* The sync throws; the app tries again at its next one. */
		f->failed = 1;
		return -1;
	}
	f->stage++;
	if (get) {
		if (n == 0) {
			if (f->seen[0])
				memcpy(f->token, f->seen, sizeof f->token);
			return -1;
		}
		f->skip += (int64_t)n;
	}
	return done + 2 * CLOUD_LEG_MS;
}

static void
cloud_fleet_to(cloud *c, int64_t now)
{
	const scn_fleet *fl = &c->cfg->fl;
	while (c->nheap > 0 && c->heap[0].t <= now) {
		cloud_hent h = cloud_heap_pop(c);
		cloud_fdev *f = &c->fd[h.dev];
		cloud_plan_to(c, h.t);
		int64_t next = cloud_fleet_step(c, h.dev, h.t);
		if (next >= 0) {
			cloud_heap_push(c, next, h.dev);
			continue;
		}
		c->f_syncs++;
		if (f->failed)
			c->f_failed++;
		/* The next sync of this device, if the workload repeats. */
		if (fl->every_ms > 0) {
			char nm[48];
			snprintf(nm, sizeof nm, "%s-%05u", fl->prefix,
			    h.dev + 1);
			uint64_t hh = hash_str(nm) * 0x9e3779b97f4a7c15ULL;
			int64_t off = fl->spread_ms > 0 ? (int64_t)((hh >> 11) %
			    (uint64_t)(fl->spread_ms + 1)) : 0;
			/* A timer that fired while the sync still ran is
			** skipped, as an app's periodic sync does. */
			uint32_t r = f->round + 1;
			int64_t at = fl->at_ms + off + (int64_t)r * fl->every_ms;
			if (at < h.t) {
				r = (uint32_t)((h.t - fl->at_ms - off) /
				    fl->every_ms) + 1;
				at = fl->at_ms + off + (int64_t)r * fl->every_ms;
			}
			if (at <= fl->until_ms) {
				f->round = r;
				f->stage = 0;
				f->skip = 0;
				f->failed = 0;
				f->seen[0] = '\0';
				cloud_heap_push(c, at, h.dev);
			}
		}
	}
}

/* ---- notifications ---- */

static int
cloud_dev_of_inst(const cloud *c, const char *inst)
{
	for (size_t i = 0; i < c->ndev; i++)
		if (c->dev[i].inst && strcmp(c->dev[i].inst, inst) == 0)
			return (int)i;
	return -1;
}

static const char *
cloud_name(const cloud *c, size_t i)
{
	return c->s->devices[i].name;
}

/* What reached device chan's owner: recorded, and its policy noted. */
static void
cloud_receive(cloud *c, pns_dlv *d, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		const pns_chan *ch = &c->pns->ch[d[k].chan];
		int di = -1;
		for (size_t i = 0; i < c->ndev; i++)
			if (c->dev[i].chan == (long)d[k].chan)
				di = (int)i;
		if (di < 0)
			continue;
		cloud_dev *cd = &c->dev[di];
		const scn_push_dev *pd = &c->cfg->dev[di];
		sb t = SB_INIT;
		if (d[k].deleted_signal) {
			cd->deleted = 1;
			sb_add(&t, "The app gets FCM's \"deleted messages\" "
			    "signal (onDeletedMessages): messages were "
			    "discarded, so it should sync in full.");
			if (pd->on_notify != SCN_NOTIFY_NONE) {
				cd->pend = SCN_NOTIFY_SYNC;
				sb_add(&t, " Its policy: it syncs.");
			}
		} else {
			cd->received++;
			free(cd->last);
			cd->last = xstrdup(d[k].msg.payload ?
			    d[k].msg.payload : "");
			sb_addf(&t, "The app receives notification #%llu from "
			    "%s (%s): %s", (unsigned long long)d[k].msg.id,
			    pns_service_name(ch->platform),
			    pns_kind_name(d[k].msg.kind), cd->last);
			if (pd->on_notify == SCN_NOTIFY_SYNC) {
				cd->pend = SCN_NOTIFY_SYNC;
				sb_add(&t, " Its policy: it syncs.");
			} else if (pd->on_notify == SCN_NOTIFY_PULL) {
				if (cd->pend != SCN_NOTIFY_SYNC)
					cd->pend = SCN_NOTIFY_PULL;
				if (d[k].msg.table && !cd->pend_all &&
				    (cd->pend_table == NULL ||
				    strcmp(cd->pend_table, d[k].msg.table) ==
				    0)) {
					free(cd->pend_table);
					cd->pend_table =
					    xstrdup(d[k].msg.table);
					sb_addf(&t, " Its policy: it pulls %s.",
					    d[k].msg.table);
				} else {
					cd->pend_all = 1;
					sb_add(&t, " Its policy: it pulls.");
				}
			}
		}
		trc_event *e = cloud_trace(c, TRC_PUSH, cloud_name(c,
		    (size_t)di), "receive", 0, sb_str(&t));
		trc_set(&e->body, d[k].msg.payload);
		trc_set(&e->table, d[k].msg.table);
		sb_free(&t);
	}
	pns_dlv_free(d, n);
}

/* Hands the hub's targets to the platform services. */
static void
cloud_dispatch(cloud *c, hub_target *t, size_t n, int64_t now)
{
	pns_dlv *dl = NULL;
	size_t ndl = 0;
	for (size_t k = 0; k < n; k++) {
		const hub_inst *in = &c->hub->in[t[k].inst];
		int di = cloud_dev_of_inst(c, in->id);
		long ch = pns_find(c->pns, in->channel);
		if (di < 0 || ch < 0) {
			char *m = xasprintf("%s has no simulated device behind "
			    "installation %s: nothing to deliver to",
			    pns_service_name(in->platform), in->id);
			cloud_trace(c, TRC_PUSH, NULL, "pns", 0, m);
			free(m);
			continue;
		}
		sb why = SB_INIT;
		int status = 0;
		size_t before = ndl;
		pns_outcome o = pns_send(c->pns, (size_t)ch, &t[k].msg, now,
		    &status, &dl, &ndl, &why);
		char *m = xasprintf("Hub -> %s: notification #%llu (%s%s%s) "
		    "for %s: %d. %s", pns_service_name(in->platform),
		    (unsigned long long)t[k].msg.id,
		    pns_kind_name(t[k].msg.kind), t[k].tmpl ? ", template " :
		    "", t[k].tmpl ? t[k].tmpl : "", cloud_name(c, (size_t)di),
		    status, sb_str(&why));
		trc_event *e = cloud_trace(c, TRC_PUSH, cloud_name(c,
		    (size_t)di), pns_outcome_name(o), status, m);
		trc_set(&e->body, t[k].msg.payload);
		free(m);
		sb_free(&why);
		if (o == PNS_GONE) {
			hub_expire(c->hub, t[k].inst);
			cloud_trace(c, TRC_PUSH, NULL, "expire", 0, "The hub "
			    "marks the installation's channel expired "
			    "(expiredPushChannel) and stops sending to it.");
		}
		(void)before;
	}
	hub_targets_free(t, n);
	if (ndl)
		cloud_receive(c, dl, ndl);
	else
		free(dl);
}

/* One send through the hub, traced as the backend's REST call. */
static int
cloud_hub_send(cloud *c, const hub_send_req *rq, const char *what)
{
	int64_t now = c->env.now(c->env.ud);
	hub_target *t = NULL;
	size_t n = 0;
	sb why = SB_INIT;
	int st = hub_send(c->hub, rq, now, &t, &n, &why);
	sb m = SB_INIT;
	sb_addf(&m, "Backend -> hub: POST /{hub}/messages/?api-version=2015-01"
	    " (ServiceBusNotification-Format: %s", rq->format ? rq->format :
	    "template");
	if (rq->tags)
		sb_addf(&m, ", ServiceBusNotification-Tags: %s", rq->tags);
	sb_addf(&m, ")%s%s: %s", what ? ", " : "", what ? what : "",
	    sb_str(&why));
	trc_event *e = cloud_trace(c, TRC_PUSH, NULL, "send", st, sb_str(&m));
	trc_set(&e->path, "/{hub}/messages");
	sb_free(&m);
	sb_free(&why);
	c->last_status = st;
	c->step_targets += n;
	if (n)
		cloud_dispatch(c, t, n, now);
	else
		free(t);
	return st;
}

static void
cloud_push_to_sync(cloud *c, const char *table)
{
	int have[3] = { 0, 0, 0 };
	for (size_t i = 0; i < c->hub->n; i++)
		if (!c->hub->in[i].expired)
			have[c->hub->in[i].platform] = 1;
	for (int p = 0; p < 3; p++) {
		if (!have[p])
			continue;
		hub_send_req rq;
		memset(&rq, 0, sizeof rq);
		rq.ttl_ms = -1;
		rq.table = table;
		char *body;
		if (p == PNS_APNS) {
			rq.format = "apple";
			body = xasprintf("{\"aps\":{\"content-available\":1},"
			    "\"table\":\"%s\"}", table);
		} else if (p == PNS_FCM) {
			rq.format = "fcmv1";
			body = xasprintf("{\"message\":{\"data\":{\"table\":"
			    "\"%s\"}}}", table);
		} else {
			rq.format = "windows";
			rq.wns_type = "wns/raw";
			body = xasprintf("table=%s", table);
		}
		rq.body = body;
		char *what = xasprintf("push-to-sync: a silent notification "
		    "that %s changed", table);
		cloud_hub_send(c, &rq, what);
		free(what);
		free(body);
	}
}

/* ---- hooks ---- */

void
cloud_advance(cloud *c, int64_t now)
{
	if (now < c->now || c->in_advance)
		return;
	c->in_advance = 1;
	if (c->fd)
		cloud_fleet_to(c, now);
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

void
cloud_step_end(cloud *c)
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

/* ---- steps ---- */

static void
cloud_tags_text(const hub_inst *in, sb *out)
{
	sb_addf(out, "[%s", in->autotag);
	for (size_t k = 0; k < in->ntags; k++)
		sb_addf(out, ", %s", in->tags[k]);
	sb_add(out, "]");
}

static int
cloud_register(cloud *c, size_t i, const cJSON *args, int del)
{
	cloud_dev *d = &c->dev[i];
	const scn_push_dev *pd = &c->cfg->dev[i];
	int64_t now = c->env.now(c->env.ud);
	if (!del) {
		/* The app asks for a channel every time it starts; a WNS
		** channel's 30 days start again. */
		int renew = d->chan >= 0;
		d->chan = (long)pns_open(c->pns, pd->platform, d->handle,
		    cloud_name(c, i), now);
		c->pns->ch[d->chan].tile_queue = pd->tile_queue;
		c->pns->ch[d->chan].online = c->env.online(c->env.ud, i);
		char *m = xasprintf("The app asks %s for a push channel and "
		    "gets %s%s.", pns_service_name(pd->platform), d->handle,
		    renew ? " (valid again from now)" : "");
		cloud_trace(c, TRC_PUSH, cloud_name(c, i), "channel", 0, m);
		free(m);
	}
	char *path = xasprintf("%s/%s", SRV_PUSH_ROOT, d->inst);
	http_req req;
	http_req_init(&req, del ? "DELETE" : "PUT", path, NULL);
	free(path);
	http_req_add_header(&req, "ZUMO-API-VERSION", "2.0.0");
	http_req_add_header(&req, "X-ZUMO-INSTALLATION-ID", d->inst);
	if (!del) {
		cJSON *b = cJSON_CreateObject();
		cJSON_AddStringToObject(b, "pushChannel", d->handle);
		cJSON_AddStringToObject(b, "platform",
		    pns_platform_name(pd->platform));
		if (pd->templates)
			cJSON_AddItemToObject(b, "templates",
			    cJSON_Duplicate(pd->templates, 1));
		const cJSON *tags = args ?
		    cJSON_GetObjectItemCaseSensitive(args, "tags") : NULL;
		if (tags == NULL)
			tags = pd->tags;
		if (tags)
			cJSON_AddItemToObject(b, "tags",
			    cJSON_Duplicate(tags, 1));
		char *txt = cJSON_PrintUnformatted(b);
		cJSON_Delete(b);
		http_req_add_header(&req, "Content-Type", "application/json");
		http_req_set_body(&req, txt);
		cJSON_free(txt);
	}
	http_resp resp;
	http_resp_init(&resp, 0);
	int rc = c->env.send(c->env.ud, i, &req, &resp);
	http_req_free(&req);
	if (rc != 0)
		return 0;	/* the trace says the network lost it */
	if (resp.status == 204 && !del && c->hub) {
		long at = hub_find(c->hub, d->inst);
		sb m = SB_INIT;
		sb_addf(&m, "The hub holds installation %s (%s) with tags ",
		    d->inst, pns_platform_name(pd->platform));
		if (at >= 0)
			cloud_tags_text(&c->hub->in[at], &m);
		sb_add(&m, ": the server set them; tags an app sends are "
		    "dropped.");
		cloud_trace(c, TRC_PUSH, cloud_name(c, i), "installed", 204,
		    sb_str(&m));
		sb_free(&m);
	}
	http_resp_free(&resp);
	return 0;
}

static int
cloud_tag(cloud *c, size_t i, const cJSON *args)
{
	cloud_dev *d = &c->dev[i];
	long at = c->hub ? hub_find(c->hub, d->inst) : -1;
	if (at < 0) {
		char *m = xasprintf("The backend cannot tag %s: the hub has no "
		    "installation %s (register first).", cloud_name(c, i),
		    d->inst);
		cloud_trace(c, TRC_ERROR, cloud_name(c, i), "tag", 404, m);
		free(m);
		return 1;
	}
	cJSON *in = hub_inst_json(c->hub, (size_t)at);
	cJSON_DeleteItemFromObjectCaseSensitive(in, "expiredPushChannel");
	cJSON *tags = cJSON_CreateArray();
	const cJSON *t;
	cJSON_ArrayForEach(t, cJSON_GetObjectItemCaseSensitive(in, "tags"))
		if (t->valuestring[0] != '$')
			cJSON_AddItemToArray(tags, cJSON_Duplicate(t, 1));
	cJSON_ArrayForEach(t, cJSON_GetObjectItemCaseSensitive(args, "tags"))
		cJSON_AddItemToArray(tags, cJSON_Duplicate(t, 1));
	cJSON_ReplaceItemInObjectCaseSensitive(in, "tags", tags);
	sb why = SB_INIT;
	int st = hub_install(c->hub, in, c->env.now(c->env.ud), &why);
	cJSON_Delete(in);
	sb m = SB_INIT;
	sb_addf(&m, "Backend -> hub: PATCH /{hub}/installations/%s (add "
	    "/tags, as a custom API calling PatchInstallation does): %d",
	    d->inst, st);
	if (st == 200) {
		sb_add(&m, ", tags now ");
		cloud_tags_text(&c->hub->in[hub_find(c->hub, d->inst)], &m);
	} else
		sb_addf(&m, " %s", sb_str(&why));
	cloud_trace(c, st == 200 ? TRC_PUSH : TRC_ERROR, cloud_name(c, i),
	    "tag", st, sb_str(&m));
	sb_free(&m);
	sb_free(&why);
	c->last_status = st;
	return 0;
}

static int
cloud_send(cloud *c, const scn_step *st)
{
	const cJSON *a = st->row;
	hub_send_req rq;
	memset(&rq, 0, sizeof rq);
	const cJSON *v;
	char *payload = NULL;
	rq.ttl_ms = -1;
	if ((v = cJSON_GetObjectItemCaseSensitive(a, "format")))
		rq.format = v->valuestring;
	if ((v = cJSON_GetObjectItemCaseSensitive(a, "tags")))
		rq.tags = v->valuestring;
	if ((v = cJSON_GetObjectItemCaseSensitive(a, "payload")))
		payload = cJSON_IsString(v) ? xstrdup(v->valuestring) :
		    cJSON_PrintUnformatted(v);
	rq.body = payload;
	rq.props = cJSON_GetObjectItemCaseSensitive(a, "props");
	if ((v = cJSON_GetObjectItemCaseSensitive(a, "wnsType")))
		rq.wns_type = v->valuestring;
	if ((v = cJSON_GetObjectItemCaseSensitive(a, "collapseKey")))
		rq.collapse = v->valuestring;
	if ((v = cJSON_GetObjectItemCaseSensitive(a, "ttlSeconds")))
		rq.ttl_ms = (int64_t)v->valuedouble * 1000;
	if ((v = cJSON_GetObjectItemCaseSensitive(a, "table")))
		rq.table = v->valuestring;
	int64_t now = c->env.now(c->env.ud);
	if ((v = cJSON_GetObjectItemCaseSensitive(a, "afterMs")))
		rq.at = now + (int64_t)v->valuedouble;
	int n = st->count > 0 ? st->count : 1;
	for (int k = 0; k < n; k++) {
		char what[48];
		if (n > 1)
			snprintf(what, sizeof what, "send %d of %d", k + 1, n);
		cloud_hub_send(c, &rq, n > 1 ? what : NULL);
	}
	free(payload);
	return 0;
}

static int
cloud_scale(cloud *c, const cJSON *a)
{
	int64_t now = c->env.now(c->env.ud);
	int failed = 0;
	const cJSON *v;
	cloud_plan_to(c, now);
	sb why = SB_INIT;
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
		if (c->plan == NULL)
			return 1;
		return cloud_scale(c, st->row);
	default:
		return 1;
	}
}

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
}
