/*
** hub.c: the notification hub; see hub.h.
*/
#include "sim/hub.h"
#include "lib/hash.h"
#include "lib/xmem.h"
#include "sim/tagx.h"
#include "sim/tmpl.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#define HUB_MAX_ID	255
#define HUB_MAX_CHANNEL	2048

static const char *const hub_tnames[] = { "Free", "Basic", "Standard" };
static const char *const hub_tkeys[] = { "free", "basic", "standard" };

int
hub_tier_parse(const char *s, hub_tier *out)
{
	for (int i = 0; i < 3; i++)
		if (strcmp(s, hub_tkeys[i]) == 0) {
			*out = (hub_tier)i;
			return 0;
		}
	return -1;
}

const char *
hub_tier_name(hub_tier t)
{
	return hub_tnames[t];
}

uint64_t
hub_tier_devices(hub_tier t)
{
	return t == HUB_FREE ? 500 : t == HUB_BASIC ? 200000 : 10000000;
}

uint64_t
hub_tier_pushes(hub_tier t)
{
	return t == HUB_FREE ? 1000000 : 10000000;
}

hub *
hub_new(hub_tier tier)
{
	hub *h = xcalloc(1, sizeof *h);
	h->tier = tier;
	h->month = -1;
	h->next_id = 1;
	return h;
}

static void
hub_strv_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static char **
hub_strv_dup(char *const *v, size_t n)
{
	char **d = xcalloc(n ? n : 1, sizeof *d);
	for (size_t i = 0; i < n; i++)
		d[i] = xstrdup(v[i]);
	return d;
}

static void
hub_inst_clear(hub_inst *in)
{
	free(in->id);
	free(in->channel);
	free(in->autotag);
	hub_strv_free(in->tags, in->ntags);
	for (size_t k = 0; k < in->ntmpl; k++) {
		free(in->tmpl[k].name);
		free(in->tmpl[k].body);
		free(in->tmpl[k].wns_type);
		hub_strv_free(in->tmpl[k].tags, in->tmpl[k].ntags);
	}
	free(in->tmpl);
	memset(in, 0, sizeof *in);
}

static void
hub_inst_copy(hub_inst *d, const hub_inst *s)
{
	*d = *s;
	d->id = xstrdup(s->id);
	d->channel = xstrdup(s->channel);
	d->autotag = xstrdup(s->autotag);
	d->tags = hub_strv_dup(s->tags, s->ntags);
	d->tmpl = xcalloc(s->ntmpl ? s->ntmpl : 1, sizeof *d->tmpl);
	for (size_t k = 0; k < s->ntmpl; k++) {
		const hub_tmpl *a = &s->tmpl[k];
		hub_tmpl *b = &d->tmpl[k];
		b->name = xstrdup(a->name);
		b->body = xstrdup(a->body);
		b->wns_type = a->wns_type ? xstrdup(a->wns_type) : NULL;
		b->tags = hub_strv_dup(a->tags, a->ntags);
		b->ntags = a->ntags;
	}
}

void
hub_targets_free(hub_target *t, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		pns_msg_free(&t[i].msg);
		free(t[i].tmpl);
	}
	free(t);
}

void
hub_free(hub *h)
{
	if (h == NULL)
		return;
	for (size_t i = 0; i < h->n; i++)
		hub_inst_clear(&h->in[i]);
	free(h->in);
	free(h->slot);
	for (size_t i = 0; i < h->nsched; i++)
		hub_targets_free(h->sched[i].t, h->sched[i].n);
	free(h->sched);
	free(h);
}

static hub_target *
hub_targets_dup(const hub_target *t, size_t n)
{
	hub_target *d = xcalloc(n ? n : 1, sizeof *d);
	for (size_t i = 0; i < n; i++) {
		d[i] = t[i];
		d[i].tmpl = t[i].tmpl ? xstrdup(t[i].tmpl) : NULL;
		d[i].msg.collapse = t[i].msg.collapse ?
		    xstrdup(t[i].msg.collapse) : NULL;
		d[i].msg.payload = t[i].msg.payload ?
		    xstrdup(t[i].msg.payload) : NULL;
		d[i].msg.table = t[i].msg.table ? xstrdup(t[i].msg.table) :
		    NULL;
	}
	return d;
}

hub *
hub_dup(const hub *h)
{
	hub *d = xmalloc(sizeof *d);
	*d = *h;
	d->in = xcalloc(h->n ? h->n : 1, sizeof *d->in);
	for (size_t i = 0; i < h->n; i++)
		hub_inst_copy(&d->in[i], &h->in[i]);
	d->slot = xcalloc(h->nslot ? h->nslot : 1, sizeof *d->slot);
	if (h->nslot)
		memcpy(d->slot, h->slot, h->nslot * sizeof *d->slot);
	d->sched = xcalloc(h->nsched ? h->nsched : 1, sizeof *d->sched);
	for (size_t i = 0; i < h->nsched; i++) {
		d->sched[i].at = h->sched[i].at;
		d->sched[i].n = h->sched[i].n;
		d->sched[i].t = hub_targets_dup(h->sched[i].t, h->sched[i].n);
	}
	return d;
}

/* ---- the id index ---- */

static void
hub_reindex(hub *h)
{
	size_t want = 16;
	while (want < h->n * 2 + 2)
		want *= 2;
	free(h->slot);
	h->nslot = want;
	h->slot = xcalloc(want, sizeof *h->slot);
	for (size_t i = 0; i < h->n; i++) {
		size_t k = (size_t)hash_key(h->in[i].id) & (want - 1);
		while (h->slot[k])
			k = (k + 1) & (want - 1);
		h->slot[k] = i + 1;
	}
}

long
hub_find(const hub *h, const char *id)
{
	if (h->nslot == 0)
		return -1;
	size_t k = (size_t)hash_key(id) & (h->nslot - 1);
	while (h->slot[k]) {
		if (strcmp(h->in[h->slot[k] - 1].id, id) == 0)
			return (long)(h->slot[k] - 1);
		k = (k + 1) & (h->nslot - 1);
	}
	return -1;
}

/* ---- installations ---- */

static int
hub_tags(const cJSON *arr, const char *what, char ***out, size_t *nout,
    sb *why)
{
	*out = NULL;
	*nout = 0;
	if (arr == NULL)
		return 0;
	if (!cJSON_IsArray(arr)) {
		sb_addf(why, "%s must be an array of tags", what);
		return -1;
	}
	int n = cJSON_GetArraySize(arr);
	if (n > TAGX_MAX_PER_INSTALL) {
		sb_addf(why, "%s has %d tags; an installation has at most %d",
		    what, n, TAGX_MAX_PER_INSTALL);
		return -1;
	}
	char **v = xcalloc((size_t)n + 1, sizeof *v);
	size_t k = 0;
	const cJSON *t;
	cJSON_ArrayForEach(t, arr) {
		sb w = SB_INIT;
		if (!cJSON_IsString(t) || !tagx_valid_tag(t->valuestring,
		    strlen(t->valuestring), &w)) {
			sb_addf(why, "%s[%zu]: %s", what, k,
			    cJSON_IsString(t) ? sb_str(&w) :
			    "a tag is a string");
			sb_free(&w);
			hub_strv_free(v, k);
			return -1;
		}
		v[k++] = xstrdup(t->valuestring);
	}
	*out = v;
	*nout = k;
	return 0;
}

static int
hub_idchars(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > HUB_MAX_ID)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_' ||
		    c == '.' || c == ':' || c == '@' || c == '#'))
			return 0;
	}
	return 1;
}

static int
hub_parse_templates(const cJSON *tj, pns_platform plat, hub_inst *in,
    sb *why)
{
	if (tj == NULL)
		return 0;
	if (!cJSON_IsObject(tj)) {
		sb_add(why, "templates must be an object: name -> template");
		return -1;
	}
	int n = cJSON_GetArraySize(tj);
	if (n > HUB_MAX_TEMPLATES) {
		sb_addf(why, "synclab allows at most %d templates per "
		    "installation (this one has %d)", HUB_MAX_TEMPLATES, n);
		return -1;
	}
	in->tmpl = xcalloc((size_t)n + 1, sizeof *in->tmpl);
	const cJSON *t;
	cJSON_ArrayForEach(t, tj) {
		hub_tmpl *m = &in->tmpl[in->ntmpl];
		const cJSON *body = cJSON_GetObjectItemCaseSensitive(t, "body");
		if (!hub_idchars(t->string) || !cJSON_IsString(body)) {
			sb_addf(why, "templates.%s: a template has a name of "
			    "letters, digits and - _ . and a string body",
			    t->string);
			return -1;
		}
		sb w = SB_INIT;
		if (tmpl_check(body->valuestring, &w) != 0) {
			sb_addf(why, "templates.%s: %s", t->string, sb_str(&w));
			sb_free(&w);
			return -1;
		}
		int kind = tmpl_kind(body->valuestring);
		if ((plat == PNS_WNS) != (kind == 0)) {
			sb_addf(why, "templates.%s: a %s template is %s",
			    t->string, pns_service_name(plat),
			    plat == PNS_WNS ? "XML" : "JSON");
			return -1;
		}
		const cJSON *hd = cJSON_GetObjectItemCaseSensitive(t,
		    "headers");
		const cJSON *wt = hd ? cJSON_GetObjectItemCaseSensitive(hd,
		    "X-WNS-Type") : NULL;
		if (hd && plat != PNS_WNS) {
			sb_addf(why, "templates.%s: headers are for WNS "
			    "templates only", t->string);
			return -1;
		}
		if (plat == PNS_WNS) {
			pns_kind k;
			if (!cJSON_IsString(wt) || strncmp(wt->valuestring,
			    "wns/", 4) != 0 || pns_kind_parse(PNS_WNS,
			    wt->valuestring + 4, &k) != 0) {
				sb_addf(why, "templates.%s: a WNS template "
				    "needs the header X-WNS-Type: wns/toast, "
				    "wns/tile, wns/badge or wns/raw",
				    t->string);
				return -1;
			}
			m->wns_type = xstrdup(wt->valuestring);
		}
		m->name = xstrdup(t->string);
		m->body = xstrdup(body->valuestring);
		in->ntmpl++;
		char path[200];
		snprintf(path, sizeof path, "templates.%s.tags", t->string);
		if (hub_tags(cJSON_GetObjectItemCaseSensitive(t, "tags"), path,
		    &m->tags, &m->ntags, why) != 0)
			return -1;
	}
	return 0;
}

int
hub_install(hub *h, const cJSON *ij, int64_t now, sb *why)
{
	static const char *const known[] = { "installationId", "platform",
		"pushChannel", "tags", "templates", "expirationTime",
		"userID", NULL };
	if (!cJSON_IsObject(ij)) {
		sb_add(why, "an installation is a JSON object");
		return 400;
	}
	const cJSON *m;
	cJSON_ArrayForEach(m, ij) {
		size_t k;
		for (k = 0; known[k]; k++)
			if (strcmp(m->string, known[k]) == 0)
				break;
		if (known[k] == NULL) {
			sb_addf(why, "an installation has no field \"%s\"",
			    m->string);
			return 400;
		}
	}
	const cJSON *id = cJSON_GetObjectItemCaseSensitive(ij,
	    "installationId");
	const cJSON *pl = cJSON_GetObjectItemCaseSensitive(ij, "platform");
	const cJSON *ch = cJSON_GetObjectItemCaseSensitive(ij, "pushChannel");
	if (!cJSON_IsString(id) || !hub_idchars(id->valuestring)) {
		sb_add(why, "installationId is 1 to 255 letters, digits and "
		    "- _ . : @ #");
		return 400;
	}
	pns_platform plat;
	if (!cJSON_IsString(pl) || pns_platform_parse(pl->valuestring,
	    &plat) != 0) {
		const char *p = cJSON_IsString(pl) ? pl->valuestring : "";
		if (strcmp(p, "gcm") == 0)
			sb_add(why, "platform gcm is FCM's legacy API, which "
			    "ended on 20 June 2024: use fcmv1");
		else if (strcmp(p, "mpns") == 0)
			sb_add(why, "platform mpns is deprecated and no longer "
			    "supported");
		else
			sb_add(why, "platform is apns, fcmv1 or wns (synclab "
			    "models these three)");
		return 400;
	}
	if (!cJSON_IsString(ch) || ch->valuestring[0] == '\0' ||
	    strlen(ch->valuestring) > HUB_MAX_CHANNEL) {
		sb_add(why, "pushChannel is the device's handle: a string of 1 "
		    "to 2048 characters");
		return 400;
	}
	hub_inst in;
	memset(&in, 0, sizeof in);
	in.platform = plat;
	if (hub_tags(cJSON_GetObjectItemCaseSensitive(ij, "tags"), "tags",
	    &in.tags, &in.ntags, why) != 0 ||
	    hub_parse_templates(cJSON_GetObjectItemCaseSensitive(ij,
	    "templates"), plat, &in, why) != 0) {
		hub_inst_clear(&in);
		return 400;
	}
	long at = hub_find(h, id->valuestring);
	if (at < 0 && (uint64_t)h->n >= hub_tier_devices(h->tier)) {
		sb_addf(why, "the %s tier allows %llu devices and the hub has "
		    "them all: quota exceeded", hub_tier_name(h->tier),
		    (unsigned long long)hub_tier_devices(h->tier));
		hub_inst_clear(&in);
		return 403;
	}
	in.id = xstrdup(id->valuestring);
	in.channel = xstrdup(ch->valuestring);
	in.autotag = xasprintf("$InstallationId:{%s}", in.id);
	in.updated_ms = now;
	if (at >= 0) {
		hub_inst_clear(&h->in[at]);
		h->in[at] = in;
		sb_addf(why, "installation %s replaced", in.id);
		return 200;
	}
	h->in = xreallocarray(h->in, h->n + 1, sizeof *h->in);
	h->in[h->n++] = in;
	if (h->n * 2 + 2 > h->nslot)
		hub_reindex(h);
	else {
		size_t k = (size_t)hash_key(in.id) & (h->nslot - 1);
		while (h->slot[k])
			k = (k + 1) & (h->nslot - 1);
		h->slot[k] = h->n;
	}
	sb_addf(why, "installation %s created", in.id);
	return 200;
}

int
hub_uninstall(hub *h, const char *id, sb *why)
{
	long at = hub_find(h, id);
	if (at < 0) {
		sb_addf(why, "no installation %s", id);
		return 404;
	}
	hub_inst_clear(&h->in[at]);
	memmove(&h->in[at], &h->in[at + 1],
	    (h->n - (size_t)at - 1) * sizeof *h->in);
	h->n--;
	hub_reindex(h);
	sb_addf(why, "installation %s deleted", id);
	return 200;
}

void
hub_expire(hub *h, size_t i)
{
	if (i < h->n)
		h->in[i].expired = 1;
}

cJSON *
hub_inst_json(const hub *h, size_t i)
{
	const hub_inst *in = &h->in[i];
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "installationId", in->id);
	cJSON_AddStringToObject(o, "platform", pns_platform_name(in->platform));
	cJSON_AddStringToObject(o, "pushChannel", in->channel);
	cJSON_AddBoolToObject(o, "expiredPushChannel", in->expired);
	cJSON *t = cJSON_AddArrayToObject(o, "tags");
	cJSON_AddItemToArray(t, cJSON_CreateString(in->autotag));
	for (size_t k = 0; k < in->ntags; k++)
		cJSON_AddItemToArray(t, cJSON_CreateString(in->tags[k]));
	if (in->ntmpl) {
		cJSON *ts = cJSON_AddObjectToObject(o, "templates");
		for (size_t k = 0; k < in->ntmpl; k++) {
			cJSON *x = cJSON_AddObjectToObject(ts,
			    in->tmpl[k].name);
			cJSON_AddStringToObject(x, "body", in->tmpl[k].body);
			if (in->tmpl[k].wns_type) {
				cJSON *hd = cJSON_AddObjectToObject(x,
				    "headers");
				cJSON_AddStringToObject(hd, "X-WNS-Type",
				    in->tmpl[k].wns_type);
			}
		}
	}
	return o;
}

/* ---- sends ---- */

/* Reads a payload's kind, collapse key and TTL as its service would. */
static int
hub_classify(pns_platform plat, const char *payload, const char *wns_type,
    pns_msg *m, sb *why)
{
	if (plat == PNS_WNS) {
		if (wns_type == NULL || strncmp(wns_type, "wns/", 4) != 0 ||
		    pns_kind_parse(PNS_WNS, wns_type + 4, &m->kind) != 0) {
			sb_add(why, "a WNS notification needs X-WNS-Type: "
			    "wns/toast, wns/tile, wns/badge or wns/raw");
			return -1;
		}
		return 0;
	}
	cJSON *j = cJSON_Parse(payload);
	if (!cJSON_IsObject(j)) {
		cJSON_Delete(j);
		sb_addf(why, "an %s payload is a JSON object",
		    pns_service_name(plat));
		return -1;
	}
	if (plat == PNS_APNS) {
		const cJSON *aps = cJSON_GetObjectItemCaseSensitive(j, "aps");
		if (!cJSON_IsObject(aps)) {
			cJSON_Delete(j);
			sb_add(why, "an APNs payload has an \"aps\" object");
			return -1;
		}
		const cJSON *ca = cJSON_GetObjectItemCaseSensitive(aps,
		    "content-available");
		int visible = cJSON_GetObjectItemCaseSensitive(aps, "alert") ||
		    cJSON_GetObjectItemCaseSensitive(aps, "badge") ||
		    cJSON_GetObjectItemCaseSensitive(aps, "sound");
		m->kind = (!visible && cJSON_IsNumber(ca) &&
		    ca->valuedouble == 1) ? PNS_BACKGROUND : PNS_ALERT;
	} else {
		const cJSON *msg = cJSON_GetObjectItemCaseSensitive(j,
		    "message");
		if (!cJSON_IsObject(msg)) {
			cJSON_Delete(j);
			sb_add(why, "an FCM v1 payload has a \"message\" "
			    "object");
			return -1;
		}
		m->kind = cJSON_GetObjectItemCaseSensitive(msg,
		    "notification") ? PNS_NOTIFICATION : PNS_DATA;
		const cJSON *an = cJSON_GetObjectItemCaseSensitive(msg,
		    "android");
		const cJSON *ck = cJSON_GetObjectItemCaseSensitive(an,
		    "collapse_key");
		if (cJSON_IsString(ck) && m->collapse == NULL)
			m->collapse = xstrdup(ck->valuestring);
		const cJSON *ttl = cJSON_GetObjectItemCaseSensitive(an, "ttl");
		if (cJSON_IsString(ttl)) {
			char *end = NULL;
			double s = strtod(ttl->valuestring, &end);
			if (end == ttl->valuestring || strcmp(end, "s") != 0 ||
			    s < 0 || s > 1e9) {
				cJSON_Delete(j);
				sb_add(why, "android.ttl is a duration in "
				    "seconds such as \"3600s\"");
				return -1;
			}
			m->expire_ms = m->sent_ms + (int64_t)(s * 1000);
		}
	}
	cJSON_Delete(j);
	return 0;
}

static void
hub_default_expiry(pns_platform plat, int64_t ttl_ms, pns_msg *m)
{
	if (ttl_ms >= 0) {
		if (plat == PNS_APNS && ttl_ms > PNS_APNS_MAX_EXPIRY_MS)
			ttl_ms = PNS_APNS_MAX_EXPIRY_MS;
		m->expire_ms = m->sent_ms + ttl_ms;
	} else if (plat == PNS_APNS)
		m->expire_ms = m->sent_ms + PNS_APNS_MAX_EXPIRY_MS;
	else if (plat == PNS_FCM)
		m->expire_ms = m->sent_ms + PNS_FCM_MAX_TTL_MS;
	else
		m->expire_ms = INT64_MAX;
}

static void hub_month_roll(hub *h, int64_t now);

void
hub_set_pushes(hub *h, uint64_t pushes, int64_t now)
{
	hub_month_roll(h, now);
	h->pushes = pushes;
}

int
hub_set_tier(hub *h, hub_tier tier, sb *why)
{
	if ((uint64_t)h->n > hub_tier_devices(tier)) {
		sb_addf(why, "the hub cannot move from %s to %s: it holds %zu "
		    "installations and %s allows %llu", hub_tier_name(h->tier),
		    hub_tier_name(tier), h->n, hub_tier_name(tier),
		    (unsigned long long)hub_tier_devices(tier));
		return -1;
	}
	sb_addf(why, "the notification hub's namespace moves from the %s "
	    "tier to %s: %llu devices, %llu pushes a month, scheduled sends "
	    "%s", hub_tier_name(h->tier), hub_tier_name(tier),
	    (unsigned long long)hub_tier_devices(tier),
	    (unsigned long long)hub_tier_pushes(tier),
	    tier == HUB_STANDARD ? "up to 7 days ahead" : "not offered");
	h->tier = tier;
	return 0;
}

static void
hub_month_roll(hub *h, int64_t now)
{
	time_t s = (time_t)(now / 1000);
	struct tm tm;
	gmtime_r(&s, &tm);
	int month = (tm.tm_year + 1900) * 12 + tm.tm_mon;
	if (month != h->month) {
		h->month = month;
		h->pushes = 0;
	}
}

static hub_target *
hub_add_target(hub_target **out, size_t *nout)
{
	*out = xreallocarray(*out, *nout + 1, sizeof **out);
	hub_target *t = &(*out)[(*nout)++];
	memset(t, 0, sizeof *t);
	return t;
}

static int
hub_format(const char *f, int *tmpl, pns_platform *plat)
{
	*tmpl = 0;
	if (f == NULL || strcmp(f, "template") == 0) {
		*tmpl = 1;
		return 0;
	}
	if (strcmp(f, "apple") == 0)
		*plat = PNS_APNS;
	else if (strcmp(f, "fcmv1") == 0)
		*plat = PNS_FCM;
	else if (strcmp(f, "windows") == 0)
		*plat = PNS_WNS;
	else
		return -1;
	return 0;
}

int
hub_send(hub *h, const hub_send_req *rq, int64_t now, hub_target **out,
    size_t *nout, sb *why)
{
	int is_tmpl;
	pns_platform plat = PNS_APNS;
	h->sends++;
	if (hub_format(rq->format, &is_tmpl, &plat) != 0) {
		sb_add(why, "ServiceBusNotification-Format is template, apple, "
		    "fcmv1 or windows: 400 Bad Request");
		h->refused++;
		return 400;
	}
	size_t size = 0;
	if (is_tmpl) {
		char *p = rq->props ? cJSON_PrintUnformatted(rq->props) : NULL;
		size = p ? strlen(p) : 2;
		cJSON_free(p);
	} else
		size = rq->body ? strlen(rq->body) : 0;
	if (size > HUB_MAX_MESSAGE) {
		sb_addf(why, "the message has %zu bytes; the hub refuses "
		    "anything over 64 KB: 413 Request Entity Too Large", size);
		h->refused++;
		return 413;
	}
	if (!is_tmpl && rq->body == NULL) {
		sb_add(why, "a native send needs a payload: 400 Bad Request");
		h->refused++;
		return 400;
	}
	tagx *x = NULL;
	if (rq->tags) {
		sb e = SB_INIT;
		x = tagx_parse(rq->tags, &e);
		if (x == NULL) {
			sb_addf(why, "ServiceBusNotification-Tags \"%s\": %s: "
			    "400 Bad Request", rq->tags, sb_str(&e));
			sb_free(&e);
			h->refused++;
			return 400;
		}
	}
	int64_t at = rq->at > now ? rq->at : now;
	if (at > now && h->tier != HUB_STANDARD) {
		tagx_free(x);
		sb_addf(why, "scheduled sends need the Standard tier (this hub "
		    "is %s): 403 Forbidden", hub_tier_name(h->tier));
		h->refused++;
		return 403;
	}
	if (at - now > HUB_MAX_SCHEDULE_MS) {
		tagx_free(x);
		sb_add(why, "a send can be scheduled at most 7 days ahead: "
		    "400 Bad Request");
		h->refused++;
		return 400;
	}
	hub_month_roll(h, now);
	hub_target *tl = NULL;
	size_t nt = 0, skipped = 0, bad = 0;
	const char **tags = xcalloc(TAGX_MAX_PER_INSTALL * 2 + 2,
	    sizeof *tags);
	sb w = SB_INIT;
	for (size_t i = 0; i < h->n; i++) {
		const hub_inst *in = &h->in[i];
		if (in->expired) {
			skipped++;
			continue;
		}
		size_t nb = 0;
		tags[nb++] = in->autotag;
		for (size_t k = 0; k < in->ntags; k++)
			tags[nb++] = in->tags[k];
		if (!is_tmpl) {
			if (in->platform != plat ||
			    (x && !tagx_eval(x, tags, nb)))
				continue;
			hub_target *t = hub_add_target(&tl, &nt);
			t->inst = i;
			t->msg.sent_ms = at;
			if (rq->collapse)
				t->msg.collapse = xstrdup(rq->collapse);
			hub_default_expiry(plat, rq->ttl_ms, &t->msg);
			sb_reset(&w);
			if (hub_classify(plat, rq->body, rq->wns_type, &t->msg,
			    &w) != 0) {
				/* The payload is wrong for every target. */
				hub_targets_free(tl, nt);
				free(tags);
				tagx_free(x);
				sb_addf(why, "%s: 400 Bad Request", sb_str(&w));
				sb_free(&w);
				h->refused++;
				return 400;
			}
			t->msg.payload = xstrdup(rq->body);
			t->msg.table = rq->table ? xstrdup(rq->table) : NULL;
			continue;
		}
		for (size_t k = 0; k < in->ntmpl; k++) {
			const hub_tmpl *tp = &in->tmpl[k];
			size_t nb2 = nb;
			for (size_t q = 0; q < tp->ntags; q++)
				tags[nb2++] = tp->tags[q];
			if (x && !tagx_eval(x, tags, nb2))
				continue;
			sb pay = SB_INIT;
			if (tmpl_expand(tp->body, rq->props, &pay, NULL) != 0) {
				bad++;
				sb_free(&pay);
				continue;
			}
			hub_target *t = hub_add_target(&tl, &nt);
			t->inst = i;
			t->tmpl = xstrdup(tp->name);
			t->msg.sent_ms = at;
			if (rq->collapse)
				t->msg.collapse = xstrdup(rq->collapse);
			hub_default_expiry(in->platform, rq->ttl_ms, &t->msg);
			sb_reset(&w);
			if (hub_classify(in->platform, sb_str(&pay),
			    tp->wns_type, &t->msg, &w) != 0) {
				pns_msg_free(&t->msg);
				free(t->tmpl);
				nt--;
				bad++;
				sb_free(&pay);
				continue;
			}
			t->msg.payload = sb_take(&pay);
			t->msg.table = rq->table ? xstrdup(rq->table) : NULL;
		}
	}
	sb_free(&w);
	free(tags);
	tagx_free(x);
	if (h->pushes + nt > hub_tier_pushes(h->tier)) {
		hub_targets_free(tl, nt);
		sb_addf(why, "the %s tier allows %llu pushes a month and this "
		    "send would pass it: 403 Forbidden (quota exceeded)",
		    hub_tier_name(h->tier),
		    (unsigned long long)hub_tier_pushes(h->tier));
		h->refused++;
		return 403;
	}
	h->pushes += nt;
	for (size_t i = 0; i < nt; i++)
		tl[i].msg.id = h->next_id++;
	sb_addf(why, "%zu notification%s", nt, nt == 1 ? "" : "s");
	if (skipped)
		sb_addf(why, ", %zu installation%s skipped (expired channel)",
		    skipped, skipped == 1 ? "" : "s");
	if (bad)
		sb_addf(why, ", %zu template%s that did not expand", bad,
		    bad == 1 ? "" : "s");
	if (at > now) {
		h->sched = xreallocarray(h->sched, h->nsched + 1,
		    sizeof *h->sched);
		h->sched[h->nsched].at = at;
		h->sched[h->nsched].t = tl;
		h->sched[h->nsched].n = nt;
		h->nsched++;
		sb_add(why, " scheduled: 201 Created");
		return 201;
	}
	for (size_t i = 0; i < nt; i++) {
		hub_target *t = hub_add_target(out, nout);
		*t = tl[i];
	}
	free(tl);
	sb_add(why, ": 200 OK");
	return 200;
}

size_t
hub_due(hub *h, int64_t now, hub_target **out, size_t *nout)
{
	size_t moved = 0;
	for (size_t i = 0; i < h->nsched;) {
		if (h->sched[i].at > now) {
			i++;
			continue;
		}
		for (size_t k = 0; k < h->sched[i].n; k++) {
			hub_target *t = hub_add_target(out, nout);
			*t = h->sched[i].t[k];
			moved++;
		}
		free(h->sched[i].t);
		memmove(&h->sched[i], &h->sched[i + 1],
		    (h->nsched - i - 1) * sizeof *h->sched);
		h->nsched--;
	}
	return moved;
}
