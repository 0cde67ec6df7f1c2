/*
** pns.h: the platform notification services, as far as a device that is
** offline sees them: Apple's APNs, Google's FCM (HTTP v1) and Microsoft's
** WNS.  Each device endpoint is a channel (a device token, an FCM
** registration token, a WNS channel URI).  A notification for an online
** channel is delivered at once; for an offline one each service keeps
** what its own rules keep (docs/push.md):
**
**   APNs  one notification per app, the newest replacing the older, until
**         its expiry (apns-expiration; 0 stores nothing).
**   FCM   up to 100 non-collapsible messages; the 101st makes FCM discard
**         them all and the app later gets a "deleted messages" signal
**         (onDeletedMessages).  A collapsible message replaces the stored
**         one with its collapse key; at most 4 keys are kept.  TTL from 0
**         to 28 days.
**   WNS   the newest tile (up to 5 with queuing on), the newest badge;
**         toasts and raw notifications are never stored.  A channel
**         expires 30 days after it was made: sends get 410 Gone.
**
** Delivery is at most once and, on reconnection, in no fixed order:
** synclab shuffles what was held with the engine's rng.  The state is
** plain memory; pns_dup copies it for the engine's snapshots.
*/
#ifndef pns_h
#define pns_h

#include <stddef.h>
#include <stdint.h>
#include "lib/sb.h"

typedef enum pns_platform {
	PNS_APNS,
	PNS_FCM,
	PNS_WNS
} pns_platform;

typedef enum pns_kind {
	PNS_ALERT,		/* APNs alert */
	PNS_BACKGROUND,		/* APNs content-available (silent) */
	PNS_NOTIFICATION,	/* FCM notification message (collapsible) */
	PNS_DATA,		/* FCM data message (silent) */
	PNS_TOAST,		/* WNS toast */
	PNS_TILE,		/* WNS tile */
	PNS_BADGE,		/* WNS badge */
	PNS_RAW			/* WNS raw (silent) */
} pns_kind;

#define PNS_APNS_MAX_EXPIRY_MS	(30LL * 24 * 3600 * 1000)
#define PNS_FCM_MAX_TTL_MS	(2419200LL * 1000)	/* 28 days */
#define PNS_FCM_MAX_STORED	100
#define PNS_FCM_MAX_KEYS	4
#define PNS_WNS_CHANNEL_MS	(30LL * 24 * 3600 * 1000)
#define PNS_WNS_TILE_QUEUE	5
#define PNS_FCM_STALE_MS	(270LL * 24 * 3600 * 1000)

/* One notification as a service carries it.  Strings are owned by
** whoever holds the message. */
typedef struct pns_msg {
	uint64_t	 id;		/* the hub's sequence number */
	pns_kind	 kind;
	char		*collapse;	/* FCM collapse key, or NULL */
	int64_t		 sent_ms;	/* epoch ms */
	int64_t		 expire_ms;	/* epoch ms; INT64_MAX: never */
	char		*payload;	/* what the app receives */
	char		*table;		/* push-to-sync: the table named */
} pns_msg;

/* What a send did. */
typedef enum pns_outcome {
	PNS_DELIVERED,		/* the device was online: it has it */
	PNS_STORED,		/* held for the offline device */
	PNS_REPLACED,		/* held, replacing an older one */
	PNS_DROPPED,		/* not stored (the service's rule) */
	PNS_OVERFLOW,		/* FCM: the 101st: everything discarded */
	PNS_GONE,		/* the channel expired (WNS 410, FCM 404) */
	PNS_REFUSED		/* a bad message (FCM TTL over 28 days) */
} pns_outcome;

/* A delivery to a device: the message (owned) and when. */
typedef struct pns_dlv {
	size_t		 chan;
	pns_msg		 msg;
	int		 deleted_signal;	/* FCM onDeletedMessages: no
						   message, only the signal */
} pns_dlv;

#define PNS_LOG	8		/* recent events kept per channel */

typedef struct pns_logent {
	uint64_t	 id;
	pns_kind	 kind;
	pns_outcome	 outcome;
	int64_t		 at;
	int		 delivered;	/* 1: reached the device */
} pns_logent;

typedef struct pns_chan {
	char		*handle;
	char		*owner;		/* the device's name */
	pns_platform	 platform;
	int		 online;
	int		 tile_queue;	/* WNS: queuing on (5 tiles) */
	int64_t		 created_ms;
	int64_t		 seen_ms;	/* last time online */
	pns_msg		*held;
	size_t		 nheld;
	int		 deleted_owed;	/* FCM: signal on reconnection */
	size_t		 sent, delivered, stored, dropped;
	pns_logent	 log[PNS_LOG];
	size_t		 nlog;		/* total ever logged */
} pns_chan;

typedef struct pns {
	pns_chan	*ch;
	size_t		 n;
} pns;

pns *pns_new(void);
void pns_free(pns *p);
/* A deep copy (snapshots). */
pns *pns_dup(const pns *p);

/* "apns", "fcmv1", "wns" and back; -1 for anything else. */
int pns_platform_parse(const char *s, pns_platform *out);
const char *pns_platform_name(pns_platform p);
/* The service's name for a student: "APNs", "FCM", "WNS". */
const char *pns_service_name(pns_platform p);
/* "alert", "background", "notification", "data", "toast", "tile",
** "badge", "raw"; parse returns -1 for a kind the platform lacks. */
const char *pns_kind_name(pns_kind k);
int pns_kind_parse(pns_platform p, const char *s, pns_kind *out);
/* The silent kind of a platform (background, data, raw). */
pns_kind pns_silent_kind(pns_platform p);
const char *pns_outcome_name(pns_outcome o);

/*
** Opens the channel named handle (or returns the existing one, renewed:
** a WNS channel's 30 days start again).  owner is copied.  The channel
** starts online.  Returns its index.
*/
size_t pns_open(pns *p, pns_platform platform, const char *handle,
    const char *owner, int64_t now);
/* Index of the channel named handle, or -1. */
long pns_find(const pns *p, const char *handle);

/*
** Sends m (copied) to channel c at now.  When delivered, one pns_dlv is
** appended to *out (grown with xreallocarray; *nout counts).  why gets one
** sentence naming the service and its rule.  Returns the outcome; *status
** gets the service's HTTP answer (200, 400, 404 or 410).
*/
pns_outcome pns_send(pns *p, size_t c, const pns_msg *m, int64_t now,
    int *status, pns_dlv **out, size_t *nout, sb *why);

/*
** The device of channel c goes online or offline at now.  Going online
** delivers what the service still holds (the FCM signal first, then the
** messages in an order drawn from entropy), dropping what expired; why
** says what happened.  Returns the number of deliveries appended.
*/
size_t pns_set_online(pns *p, size_t c, int online, int64_t now,
    uint64_t entropy, pns_dlv **out, size_t *nout, sb *why);

void pns_msg_free(pns_msg *m);
void pns_dlv_free(pns_dlv *d, size_t n);

#endif
