/*
** cloud_fleet.c: the fleet's requests; see cloud.h and cloud_int.h.
**
** Each generated device syncs as a Mobile Apps client would (its writes
** as POSTs, then pages of GET until an empty one), request after request,
** each arriving 40 ms (two network legs) after the answer to the previous
** one.  All fleet requests wait in one binary heap keyed on their arrival
** time (ties broken by device number), so the plan sees them in time
** order and a run is the same however the clock is moved.
*/
#include "sim/cloud.h"
#include "sim/cloud_int.h"
#include "lib/hash.h"
#include "lib/xmem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the fleet's heap ---- */

void
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

size_t
cloud_fleet_to(cloud *c, int64_t now, size_t budget)
{
	const scn_fleet *fl = &c->cfg->fl;
	size_t ran = 0;
	for (; ran < budget && c->nheap > 0 && c->heap[0].t <= now; ran++) {
		cloud_hent h = cloud_heap_pop(c);
		cloud_fdev *f = &c->fd[h.dev];
		c->f_at = h.t;
		cloud_plan_to(c, h.t);
		int64_t next = cloud_fleet_step(c, h.dev, h.t);
		if (next >= 0) {
			cloud_heap_push(c, next, h.dev);
			continue;
		}
		c->f_syncs++;
		if (f->failed)
			c->f_failed++;
		/* The next sync of this device, if the workload repeats
		** and the shift has not ended. */
		if (fl->every_ms > 0 && !c->f_stopped) {
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
	return ran;
}


int
cloud_fleet_stop(cloud *c)
{
	if (c->fd == NULL || c->f_stopped)
		return 0;
	c->f_stopped = 1;
	if (c->nheap == 0)
		return 0;	/* the workload was over already */
	/* A queued request of a sync that has not sent anything yet is the
	** start of a future sync: it is dropped.  The rest are syncs under
	** way, which go on to their end. */
	cloud_hent *old = c->heap;
	size_t n = c->nheap, busy = 0;
	c->heap = xcalloc((size_t)c->cfg->fl.devices, sizeof *c->heap);
	c->nheap = 0;
	for (size_t k = 0; k < n; k++)
		if (c->fd[old[k].dev].stage > 0) {
			cloud_heap_push(c, old[k].t, old[k].dev);
			busy++;
		}
	free(old);
	char *m = xasprintf("The fleet's shift ends before the final sync: "
	    "none of its %ld devices starts another sync, and the %zu sync%s "
	    "under way run%s to the end first, so that the checker compares "
	    "the devices with a backend nobody writes to any more.",
	    c->cfg->fl.devices, busy, busy == 1 ? "" : "s",
	    busy == 1 ? "s" : "");
	cloud_trace(c, TRC_NOTE, NULL, "fleet", 0, m);
	free(m);
	return 1;
}

int64_t
cloud_fleet_next(const cloud *c)
{
	return c->fd && c->nheap > 0 ? c->heap[0].t : -1;
}
