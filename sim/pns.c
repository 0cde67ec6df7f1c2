/*
** pns.c: the platform notification services; see pns.h.
*/
#include "sim/pns.h"
#include "lib/xmem.h"

#include <stdlib.h>
#include <string.h>

pns *
pns_new(void)
{
	return xcalloc(1, sizeof(pns));
}

static void
pns_msg_copy(pns_msg *dst, const pns_msg *src)
{
	*dst = *src;
	dst->collapse = src->collapse ? xstrdup(src->collapse) : NULL;
	dst->payload = src->payload ? xstrdup(src->payload) : NULL;
	dst->table = src->table ? xstrdup(src->table) : NULL;
}

void
pns_msg_free(pns_msg *m)
{
	free(m->collapse);
	free(m->payload);
	free(m->table);
	memset(m, 0, sizeof *m);
}

void
pns_dlv_free(pns_dlv *d, size_t n)
{
	for (size_t i = 0; i < n; i++)
		pns_msg_free(&d[i].msg);
	free(d);
}

void
pns_free(pns *p)
{
	if (p == NULL)
		return;
	for (size_t i = 0; i < p->n; i++) {
		pns_chan *c = &p->ch[i];
		free(c->handle);
		free(c->owner);
		for (size_t k = 0; k < c->nheld; k++)
			pns_msg_free(&c->held[k]);
		free(c->held);
	}
	free(p->ch);
	free(p);
}

pns *
pns_dup(const pns *p)
{
	pns *q = pns_new();
	q->n = p->n;
	q->ch = xcalloc(p->n ? p->n : 1, sizeof *q->ch);
	for (size_t i = 0; i < p->n; i++) {
		const pns_chan *s = &p->ch[i];
		pns_chan *d = &q->ch[i];
		*d = *s;
		d->handle = xstrdup(s->handle);
		d->owner = xstrdup(s->owner);
		d->held = xcalloc(s->nheld ? s->nheld : 1, sizeof *d->held);
		for (size_t k = 0; k < s->nheld; k++)
			pns_msg_copy(&d->held[k], &s->held[k]);
	}
	return q;
}

static const char *const pns_pnames[] = { "apns", "fcmv1", "wns" };
static const char *const pns_snames[] = { "APNs", "FCM", "WNS" };
static const char *const pns_knames[] = { "alert", "background",
	"notification", "data", "toast", "tile", "badge", "raw" };
static const pns_platform pns_kplat[] = { PNS_APNS, PNS_APNS, PNS_FCM,
	PNS_FCM, PNS_WNS, PNS_WNS, PNS_WNS, PNS_WNS };

int
pns_platform_parse(const char *s, pns_platform *out)
{
	for (int i = 0; i < 3; i++)
		if (strcmp(s, pns_pnames[i]) == 0) {
			*out = (pns_platform)i;
			return 0;
		}
	return -1;
}

const char *
pns_platform_name(pns_platform p)
{
	return pns_pnames[p];
}

const char *
pns_service_name(pns_platform p)
{
	return pns_snames[p];
}

const char *
pns_kind_name(pns_kind k)
{
	return pns_knames[k];
}

int
pns_kind_parse(pns_platform p, const char *s, pns_kind *out)
{
	for (int i = 0; i < 8; i++)
		if (pns_kplat[i] == p && strcmp(s, pns_knames[i]) == 0) {
			*out = (pns_kind)i;
			return 0;
		}
	return -1;
}

pns_kind
pns_silent_kind(pns_platform p)
{
	return p == PNS_APNS ? PNS_BACKGROUND : p == PNS_FCM ? PNS_DATA :
	    PNS_RAW;
}

const char *
pns_outcome_name(pns_outcome o)
{
	static const char *const n[] = { "delivered", "stored", "replaced",
		"dropped", "overflow", "gone", "refused" };
	return n[o];
}

long
pns_find(const pns *p, const char *handle)
{
	for (size_t i = 0; i < p->n; i++)
		if (strcmp(p->ch[i].handle, handle) == 0)
			return (long)i;
	return -1;
}

size_t
pns_open(pns *p, pns_platform platform, const char *handle,
    const char *owner, int64_t now)
{
	long f = pns_find(p, handle);
	if (f >= 0) {
		pns_chan *c = &p->ch[f];
		c->created_ms = now;
		c->seen_ms = now;
		return (size_t)f;
	}
	p->ch = xreallocarray(p->ch, p->n + 1, sizeof *p->ch);
	pns_chan *c = &p->ch[p->n];
	memset(c, 0, sizeof *c);
	c->handle = xstrdup(handle);
	c->owner = xstrdup(owner ? owner : "");
	c->platform = platform;
	c->online = 1;
	c->created_ms = now;
	c->seen_ms = now;
	return p->n++;
}

static void
pns_log(pns_chan *c, const pns_msg *m, pns_outcome o, int64_t at,
    int delivered)
{
	pns_logent *e = &c->log[c->nlog % PNS_LOG];
	e->id = m->id;
	e->kind = m->kind;
	e->outcome = o;
	e->at = at;
	e->delivered = delivered;
	c->nlog++;
}

static void
pns_deliver(pns_chan *c, size_t ci, const pns_msg *m, int64_t now,
    pns_dlv **out, size_t *nout, int copy)
{
	*out = xreallocarray(*out, *nout + 1, sizeof **out);
	pns_dlv *d = &(*out)[(*nout)++];
	memset(d, 0, sizeof *d);
	d->chan = ci;
	if (copy)
		pns_msg_copy(&d->msg, m);
	else
		d->msg = *m;
	c->delivered++;
	pns_log(c, m, PNS_DELIVERED, now, 1);
}

static void
pns_hold(pns_chan *c, const pns_msg *m)
{
	c->held = xreallocarray(c->held, c->nheld + 1, sizeof *c->held);
	pns_msg_copy(&c->held[c->nheld++], m);
	c->stored++;
}

static void
pns_unhold(pns_chan *c, size_t k)
{
	pns_msg_free(&c->held[k]);
	memmove(&c->held[k], &c->held[k + 1],
	    (c->nheld - k - 1) * sizeof *c->held);
	c->nheld--;
}

/* Index of the held message matching pred, or -1. */
static long
pns_held_kind(const pns_chan *c, pns_kind k)
{
	for (size_t i = 0; i < c->nheld; i++)
		if (c->held[i].kind == k)
			return (long)i;
	return -1;
}

static pns_outcome
pns_store_apns(pns_chan *c, const pns_msg *m, sb *why)
{
	if (m->expire_ms <= m->sent_ms) {
		sb_add(why, "APNs tries an expiry-0 notification once and "
		    "does not store it: the iPhone is offline, so it is "
		    "dropped.");
		return PNS_DROPPED;
	}
	pns_outcome o = PNS_STORED;
	if (c->nheld > 0) {
		while (c->nheld > 0)
			pns_unhold(c, 0);
		o = PNS_REPLACED;
	}
	pns_hold(c, m);
	sb_add(why, o == PNS_REPLACED ?
	    "APNs keeps one notification per app for an offline device: "
	    "this one replaces the one it held." :
	    "APNs stores it for the offline device (one per app, until it "
	    "expires).");
	return o;
}

static pns_outcome
pns_store_fcm(pns_chan *c, const pns_msg *m, sb *why)
{
	const char *key = m->collapse;
	if (key == NULL && m->kind == PNS_NOTIFICATION)
		key = "(notification)";
	if (key) {
		for (size_t i = 0; i < c->nheld; i++) {
			const char *k = c->held[i].collapse;
			if (k == NULL && c->held[i].kind == PNS_NOTIFICATION)
				k = "(notification)";
			if (k && strcmp(k, key) == 0) {
				pns_unhold(c, i);
				pns_hold(c, m);
				if (key == m->collapse)
					sb_addf(why, "FCM keeps the newest "
					    "message of collapse key \"%s\": "
					    "it replaces the stored one.", key);
				else
					sb_add(why, "FCM notification "
					    "messages are collapsible: it "
					    "replaces the stored one.");
				return PNS_REPLACED;
			}
		}
		size_t keys = 0;
		long oldest = -1;
		for (size_t i = 0; i < c->nheld; i++)
			if (c->held[i].collapse ||
			    c->held[i].kind == PNS_NOTIFICATION) {
				if (oldest < 0)
					oldest = (long)i;
				keys++;
			}
		pns_outcome o = PNS_STORED;
		if (keys >= PNS_FCM_MAX_KEYS) {
			/* FCM promises no choice; synclab drops the oldest. */
			pns_unhold(c, (size_t)oldest);
			c->dropped++;
			o = PNS_REPLACED;
		}
		pns_hold(c, m);
		sb_add(why, o == PNS_REPLACED ?
		    "FCM keeps at most 4 collapse keys per device: one "
		    "stored key makes room (synclab drops the oldest; FCM "
		    "does not say which)." :
		    "FCM stores the collapsible message for the offline "
		    "device.");
		return o;
	}
	size_t plain = 0;
	for (size_t i = 0; i < c->nheld; i++)
		if (c->held[i].collapse == NULL &&
		    c->held[i].kind == PNS_DATA)
			plain++;
	if (plain >= PNS_FCM_MAX_STORED) {
		for (size_t i = c->nheld; i-- > 0;)
			if (c->held[i].collapse == NULL &&
			    c->held[i].kind == PNS_DATA) {
				pns_unhold(c, i);
				c->dropped++;
			}
		c->deleted_owed = 1;
		sb_addf(why, "FCM stores at most %d non-collapsible messages "
		    "for an offline device: this one is over the limit, so "
		    "FCM discards all of them, and the app will get a "
		    "'deleted messages' signal when it reconnects.",
		    PNS_FCM_MAX_STORED);
		return PNS_OVERFLOW;
	}
	pns_hold(c, m);
	sb_addf(why, "FCM stores the message for the offline device (%zu of "
	    "at most %d non-collapsible).", plain + 1, PNS_FCM_MAX_STORED);
	return PNS_STORED;
}

static pns_outcome
pns_store_wns(pns_chan *c, const pns_msg *m, sb *why)
{
	switch (m->kind) {
	case PNS_TILE: {
		size_t tiles = 0;
		for (size_t i = 0; i < c->nheld; i++)
			if (c->held[i].kind == PNS_TILE)
				tiles++;
		size_t cap = c->tile_queue ? PNS_WNS_TILE_QUEUE : 1;
		pns_outcome o = PNS_STORED;
		if (tiles >= cap) {
			pns_unhold(c, (size_t)pns_held_kind(c, PNS_TILE));
			o = PNS_REPLACED;
		}
		pns_hold(c, m);
		sb_addf(why, "WNS caches the newest tile%s for an offline "
		    "device%s.", cap > 1 ? "s (5, queuing on)" : "",
		    o == PNS_REPLACED ? ": the oldest cached tile goes" : "");
		return o;
	}
	case PNS_BADGE: {
		long k = pns_held_kind(c, PNS_BADGE);
		if (k >= 0)
			pns_unhold(c, (size_t)k);
		pns_hold(c, m);
		sb_add(why, k >= 0 ? "WNS caches one badge: this one replaces "
		    "the cached one." : "WNS caches the badge for the "
		    "offline device.");
		return k >= 0 ? PNS_REPLACED : PNS_STORED;
	}
	case PNS_TOAST:
		sb_add(why, "WNS never stores a toast for an offline device: "
		    "it is dropped.");
		return PNS_DROPPED;
	default:
		sb_add(why, "WNS never stores a raw notification for an "
		    "offline device: it is dropped.");
		return PNS_DROPPED;
	}
}

pns_outcome
pns_send(pns *p, size_t ci, const pns_msg *m, int64_t now, int *status,
    pns_dlv **out, size_t *nout, sb *why)
{
	pns_chan *c = &p->ch[ci];
	pns_outcome o;
	*status = 200;
	c->sent++;
	if (c->platform == PNS_FCM && m->expire_ms != INT64_MAX &&
	    m->expire_ms - m->sent_ms > PNS_FCM_MAX_TTL_MS) {
		*status = 400;
		sb_add(why, "FCM refuses a TTL over 28 days (2,419,200 s): "
		    "400 INVALID_ARGUMENT.");
		o = PNS_REFUSED;
	} else if (c->platform == PNS_WNS &&
	    now - c->created_ms >= PNS_WNS_CHANNEL_MS) {
		*status = 410;
		sb_add(why, "WNS channels expire after 30 days: the channel "
		    "is gone, 410 Gone (the app must ask for a new one).");
		o = PNS_GONE;
	} else if (c->platform == PNS_FCM && !c->online &&
	    now - c->seen_ms > PNS_FCM_STALE_MS) {
		*status = 404;
		sb_add(why, "FCM expires a token not seen for 270 days: 404 "
		    "UNREGISTERED.");
		o = PNS_GONE;
	} else if (c->online) {
		pns_deliver(c, ci, m, now, out, nout, 1);
		sb_addf(why, "%s delivers it at once: the device is online.",
		    pns_service_name(c->platform));
		return PNS_DELIVERED;
	} else if (c->platform == PNS_APNS)
		o = pns_store_apns(c, m, why);
	else if (c->platform == PNS_FCM) {
		if (m->expire_ms <= m->sent_ms) {
			sb_add(why, "FCM sends a TTL-0 message now or never: "
			    "the device is offline, so it is dropped.");
			o = PNS_DROPPED;
		} else
			o = pns_store_fcm(c, m, why);
	} else
		o = pns_store_wns(c, m, why);
	if (o == PNS_DROPPED || o == PNS_OVERFLOW)
		c->dropped++;
	pns_log(c, m, o, now, 0);
	return o;
}

size_t
pns_set_online(pns *p, size_t ci, int online, int64_t now, uint64_t entropy,
    pns_dlv **out, size_t *nout, sb *why)
{
	pns_chan *c = &p->ch[ci];
	int was = c->online;
	c->online = online ? 1 : 0;
	c->seen_ms = now;
	if (!online || was)
		return 0;
	size_t n0 = *nout, expired = 0;
	if (c->deleted_owed) {
		*out = xreallocarray(*out, *nout + 1, sizeof **out);
		pns_dlv *d = &(*out)[(*nout)++];
		memset(d, 0, sizeof *d);
		d->chan = ci;
		d->deleted_signal = 1;
		d->msg.sent_ms = now;
		d->msg.expire_ms = INT64_MAX;
		c->deleted_owed = 0;
	}
	/* Fisher-Yates with a splitmix64 stream from the engine's number. */
	uint64_t z = entropy;
	for (size_t i = c->nheld; i > 1; i--) {
		z += 0x9e3779b97f4a7c15ULL;
		uint64_t x = z;
		x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
		x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
		x ^= x >> 31;
		size_t j = (size_t)(x % i);
		pns_msg t = c->held[i - 1];
		c->held[i - 1] = c->held[j];
		c->held[j] = t;
	}
	for (size_t i = 0; i < c->nheld; i++) {
		pns_msg *m = &c->held[i];
		if (m->expire_ms <= now) {
			expired++;
			c->dropped++;
			pns_msg_free(m);
			continue;
		}
		pns_deliver(c, ci, m, now, out, nout, 0);
	}
	c->nheld = 0;
	size_t got = *nout - n0;
	if (why) {
		sb_addf(why, "%s hands over what it held: %zu "
		    "notification%s", pns_service_name(c->platform), got,
		    got == 1 ? "" : "s");
		if (expired)
			sb_addf(why, " (%zu expired while the device was "
			    "offline)", expired);
		sb_add(why, ", in no particular order.");
	}
	return got;
}
