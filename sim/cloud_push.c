/*
** cloud_push.c: notifications and the push steps; see cloud.h and
** cloud_int.h.
**
** A send asks the hub (hub.h) for its targets, and each target goes to
** the platform service of its installation (pns.h); what reaches a device
** is recorded at once, and the device's policy acts when the step ends
** (cloud_step_end), so a pull never starts inside another device's
** request.  Registering sends the Mobile Apps SDK's request over the
** device's own link; tagging plays a custom API on the backend.
*/
#include "sim/cloud.h"
#include "sim/cloud_int.h"
#include "lib/xmem.h"
#include "sim/srv_push.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- notifications ---- */

static int
cloud_dev_of_inst(const cloud *c, const char *inst)
{
	for (size_t i = 0; i < c->ndev; i++)
		if (c->dev[i].inst && strcmp(c->dev[i].inst, inst) == 0)
			return (int)i;
	return -1;
}

const char *
cloud_name(const cloud *c, size_t i)
{
	return c->s->devices[i].name;
}

/* What reached device chan's owner: recorded, and its policy noted. */
void
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
void
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

void
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

/* ---- steps ---- */

void
cloud_tags_text(const hub_inst *in, sb *out)
{
	sb_addf(out, "[%s", in->autotag);
	for (size_t k = 0; k < in->ntags; k++)
		sb_addf(out, ", %s", in->tags[k]);
	sb_add(out, "]");
}

int
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

int
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

int
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

