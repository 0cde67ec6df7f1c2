/*
** out_seq.c: the push and plan events of a trace as messages and notes
** of a sequence diagram; see out_int.h.
**
** The trace records each hand-over once, as a sentence: "Backend -> hub:
** POST ..." for a send (status: the hub's answer), "Hub -> APNs:
** notification #2 (alert) for iPhone: 200. APNs keeps ..." with the
** service's outcome as the method (delivered, stored, replaced, dropped,
** overflow, gone, refused), "The app receives ..." when it reaches the
** device.  The service of an event with a device is that device's
** platform (the scenario's "push" object of the device).
*/
#include "sim/out_int.h"
#include "sim/dev.h"
#include "sim/http.h"
#include "sim/pns.h"
#include "sim/scn_cloud.h"
#include "sim/sim.h"

#include <stdio.h>
#include <string.h>

void
out_cast_of(struct sim *r, out_cast *c)
{
	memset(c, 0, sizeof *c);
	const scn *s = sim_scn(r);
	size_t nd = sim_ndevices(r);
	if (nd > SCN_MAX_DEVICES)
		nd = SCN_MAX_DEVICES;
	for (size_t i = 0; i < nd; i++) {
		const char *n = dev_name(sim_dev(r, i));
		c->name[c->n] = n;
		char *p = c->id[c->n];
		size_t k = 0;
		p[k++] = 'd';
		p[k++] = '_';
		for (const char *q = n; *q && k + 1 < sizeof c->id[0]; q++)
			p[k++] = (*q >= 'a' && *q <= 'z') || (*q >= 'A' &&
			    *q <= 'Z') || (*q >= '0' && *q <= '9') ? *q : '_';
		p[k] = '\0';
		c->n++;
	}
	c->backend = c->n;
	c->name[c->n] = "Backend";
	snprintf(c->id[c->n++], sizeof c->id[0], "Backend");
	c->hub = c->svc[0] = c->svc[1] = c->svc[2] = -1;
	const scn_cloud *cl = s->cloud;
	if (cl == NULL || !cl->hub)
		return;
	c->hub = (long)c->n;
	c->name[c->n] = "Notification Hub";
	snprintf(c->id[c->n++], sizeof c->id[0], "Hub");
	for (int p = PNS_APNS; p <= PNS_WNS; p++) {
		int used = 0;
		for (size_t i = 0; i < cl->ndev; i++)
			used |= cl->dev[i].set && (int)cl->dev[i].platform == p;
		if (!used)
			continue;
		c->svc[p] = (long)c->n;
		c->name[c->n] = pns_service_name((pns_platform)p);
		snprintf(c->id[c->n++], sizeof c->id[0], "%s",
		    pns_service_name((pns_platform)p));
	}
}

size_t
out_cast_device(struct sim *r, const out_cast *c, const char *name)
{
	int i = name ? sim_dev_index(r, name) : -1;
	return i < 0 || (size_t)i >= c->backend ? c->backend : (size_t)i;
}

/* The column of the platform service of device name, or -1. */
static long
out_svc_of(struct sim *r, const out_cast *c, const char *name)
{
	const scn_cloud *cl = sim_scn(r)->cloud;
	int i = name ? sim_dev_index(r, name) : -1;
	if (cl == NULL || i < 0 || (size_t)i >= cl->ndev || !cl->dev[i].set)
		return -1;
	return c->svc[cl->dev[i].platform];
}

static out_seq_item *
out_item(out_seq_item *it, size_t *n, out_seq_kind k, size_t from,
    size_t to, int status)
{
	out_seq_item *x = &it[(*n)++];
	x->kind = k;
	x->from = from;
	x->to = to;
	x->status = status;
	sb empty = SB_INIT;
	x->text = empty;
	return x;
}

/* The text of s from after the first occurrence of after (or its start)
** up to the first of the characters in stop (or its end), appended. */
static void
out_clip(sb *b, const char *s, const char *after, const char *stop)
{
	const char *p = after ? strstr(s, after) : NULL;
	p = p ? p + strlen(after) : s;
	size_t n = strcspn(p, stop);
	/* "... for iPhone: 200. APNs ...": stop at ". " only. */
	while (p[n] == '.' && p[n + 1] && p[n + 1] != ' ')
		n += 1 + strcspn(p + n + 1, stop);
	sb_addn(b, p, n);
}

static size_t
out_seq_push(struct sim *r, const out_cast *c, const trc_event *e,
    out_seq_item *it)
{
	size_t n = 0;
	const char *m = e->method ? e->method : "";
	const char *tx = e->text ? e->text : "";
	size_t hb = (size_t)c->hub;
	size_t dv = out_cast_device(r, c, e->device);
	long svc = out_svc_of(r, c, e->device);
	out_seq_item *x;
	if (strcmp(m, "send") == 0) {
		/* "(ServiceBusNotification-Format: apple, ...-Tags: vip)" */
		x = out_item(it, &n, OUT_SEQ_CALL, c->backend, hb, 0);
		sb_add(&x->text, "send (");
		const char *f = strstr(tx, "Format: ");
		const char *tg = strstr(tx, "Tags: ");
		if (f)
			out_clip(&x->text, f, "Format: ", ",)");
		if (tg) {
			sb_add(&x->text, ", tags ");
			out_clip(&x->text, tg, "Tags: ", ")");
		}
		sb_add(&x->text, ")");
		x = out_item(it, &n, OUT_SEQ_REPLY, hb, c->backend, e->status);
		sb_addf(&x->text, "%d %s", e->status, http_reason(e->status));
		return n;
	}
	if (strcmp(m, "tag") == 0) {
		x = out_item(it, &n, OUT_SEQ_CALL, c->backend, hb, 0);
		sb_add(&x->text, "PATCH installation (add tags)");
		x = out_item(it, &n, OUT_SEQ_REPLY, hb, c->backend, e->status);
		sb_addf(&x->text, "%d %s", e->status, http_reason(e->status));
		return n;
	}
	if (strcmp(m, "installed") == 0 || strcmp(m, "expire") == 0 ||
	    strcmp(m, "scheduled") == 0 || strcmp(m, "pns") == 0) {
		x = out_item(it, &n, OUT_SEQ_NOTE, hb, hb, 0);
		if (strcmp(m, "installed") == 0) {
			sb_add(&x->text, "installation of ");
			sb_add(&x->text, e->device ? e->device : "");
			sb_add(&x->text, ", tags ");
			out_clip(&x->text, tx, "with tags ", "]");
			sb_add(&x->text, "]");
		} else
			sb_add(&x->text, tx);
		return n;
	}
	if (svc < 0)
		return 0;
	if (strcmp(m, "channel") == 0) {
		x = out_item(it, &n, OUT_SEQ_CALL, dv, (size_t)svc, 0);
		sb_add(&x->text, "ask for a push channel");
		return n;
	}
	if (strcmp(m, "receive") == 0) {
		x = out_item(it, &n, OUT_SEQ_CALL, (size_t)svc, dv, 0);
		if (strstr(tx, "deleted messages"))
			sb_add(&x->text, "the deleted-messages signal");
		else {
			sb_add(&x->text, "delivered: ");
			out_clip(&x->text, tx, "receives ", ":");
		}
		return n;
	}
	if (strcmp(m, "reconnect") == 0) {
		x = out_item(it, &n, OUT_SEQ_NOTE, (size_t)svc, dv, 0);
		sb_add(&x->text, tx);
		return n;
	}
	/* The hb hands a notification to the service: the outcome. */
	int held = strcmp(m, "stored") == 0 || strcmp(m, "replaced") == 0;
	int lost = strcmp(m, "dropped") == 0 || strcmp(m, "overflow") == 0;
	int gone = strcmp(m, "gone") == 0 || strcmp(m, "refused") == 0;
	if (!held && !lost && !gone && strcmp(m, "delivered") != 0)
		return 0;
	x = out_item(it, &n, OUT_SEQ_CALL, hb, (size_t)svc, 0);
	out_clip(&x->text, tx, ": ", ".");
	if (held) {
		x = out_item(it, &n, OUT_SEQ_NOTE, (size_t)svc, (size_t)svc, 0);
		sb_addf(&x->text, "held for %s (offline)%s", e->device,
		    m[0] == 'r' ? ": replaces the one it held" : "");
	} else if (lost) {
		x = out_item(it, &n, OUT_SEQ_DROP, (size_t)svc, dv, 0);
		sb_add(&x->text, m[0] == 'o' ? "dropped: over 100 held, all "
		    "discarded" : "dropped: not stored while offline");
	} else if (gone) {
		x = out_item(it, &n, OUT_SEQ_REPLY, (size_t)svc, hb,
		    e->status);
		sb_addf(&x->text, "%d %s", e->status, http_reason(e->status));
	}
	return n;
}

size_t
out_seq_cloud(struct sim *r, const out_cast *c, const trc_event *e,
    out_seq_item it[3])
{
	const char *m = e->method ? e->method : "";
	if (e->type == TRC_PLAN) {
		/* Minutes are many: the transcript and the JSONL have them. */
		if (strcmp(m, "minute") == 0)
			return 0;
		size_t n = 0;
		out_seq_item *x = out_item(it, &n, OUT_SEQ_NOTE, c->backend,
		    c->backend, e->status);
		sb_add(&x->text, "App Service plan");
		if (e->status)
			sb_addf(&x->text, ", %d", e->status);
		sb_add(&x->text, ": ");
		sb_add(&x->text, e->text ? e->text : "");
		return n;
	}
	if (e->type == TRC_ERROR && (strncmp(m, "scale", 5) == 0 ||
	    strcmp(m, "autoscale") == 0)) {
		size_t n = 0;
		out_seq_item *x = out_item(it, &n, OUT_SEQ_NOTE, c->backend,
		    c->backend, 0);
		sb_add(&x->text, "App Service plan refuses: ");
		sb_add(&x->text, e->text ? e->text : "");
		return n;
	}
	if ((e->type == TRC_PUSH || e->type == TRC_ERROR) && c->hub >= 0 &&
	    strcmp(m, "hub-tier") == 0) {
		size_t n = 0;
		out_seq_item *x = out_item(it, &n, OUT_SEQ_NOTE,
		    (size_t)c->hub, (size_t)c->hub, 0);
		sb_add(&x->text, e->type == TRC_ERROR ? "refused: " : "");
		sb_add(&x->text, e->text ? e->text : "");
		return n;
	}
	if (e->type == TRC_PUSH && c->hub >= 0)
		return out_seq_push(r, c, e, it);
	return 0;
}
