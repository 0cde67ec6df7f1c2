/*
** hub.h: a notification hub (Azure Notification Hubs) beside the backend.
**
** The hub keeps installations (id, platform, push channel, tags,
** templates) and answers sends: a broadcast, one tag or a tag expression
** (tagx.h), native (one platform's payload, to that platform's
** installations) or template (tmpl.h: one notification per matching
** template).  It enforces its tier (Free, Basic, Standard: devices and
** pushes per month, scheduled sends on Standard only), the 64 KB message
** limit and the tag limits, each with the status the REST API documents
** (200, 400, 403, 413).  It hands every notification to the platform
** service of its installation as a hub_target; the engine passes them on
** (pns.h).  Plain memory; hub_dup copies it for snapshots.
*/
#ifndef hub_h
#define hub_h

#include <stddef.h>
#include <stdint.h>
#include <cjson/cJSON.h>
#include "lib/sb.h"
#include "sim/pns.h"

typedef enum hub_tier {
	HUB_FREE,
	HUB_BASIC,
	HUB_STANDARD
} hub_tier;

#define HUB_MAX_MESSAGE		(64 * 1024)	/* bytes: 413 above */
#define HUB_MAX_SCHEDULE_MS	(7LL * 24 * 3600 * 1000)
#define HUB_MAX_TEMPLATES	16	/* synclab's bound per installation */

typedef struct hub_tmpl {
	char		*name;
	char		*body;
	char		*wns_type;	/* WNS templates: X-WNS-Type, or NULL */
	char		**tags;
	size_t		 ntags;
} hub_tmpl;

typedef struct hub_inst {
	char		*id;
	pns_platform	 platform;
	char		*channel;	/* pushChannel */
	char		**tags;		/* without the automatic tag */
	size_t		 ntags;
	hub_tmpl	*tmpl;
	size_t		 ntmpl;
	int		 expired;	/* expiredPushChannel */
	int64_t		 updated_ms;
	char		*autotag;	/* $InstallationId:{id} */
} hub_inst;

/* A notification for one installation, ready for its platform service;
** msg's strings are owned by the target. */
typedef struct hub_target {
	size_t		 inst;
	pns_msg		 msg;
	char		*tmpl;		/* the template's name, or NULL */
} hub_target;

typedef struct hub_sched {
	int64_t		 at;
	hub_target	*t;
	size_t		 n;
} hub_sched;

typedef struct hub {
	hub_tier	 tier;
	hub_inst	*in;
	size_t		 n;
	size_t		*slot;		/* open addressing over in[], +1 */
	size_t		 nslot;
	int		 month;		/* year*12+month of the counter */
	uint64_t	 pushes;	/* this month */
	uint64_t	 next_id;
	hub_sched	*sched;
	size_t		 nsched;
	size_t		 sends, refused;
} hub;

hub *hub_new(hub_tier tier);
void hub_free(hub *h);
hub *hub_dup(const hub *h);

/* "free", "basic", "standard" and back; -1 for anything else. */
int hub_tier_parse(const char *s, hub_tier *out);
const char *hub_tier_name(hub_tier t);	/* "Free", ... */
uint64_t hub_tier_devices(hub_tier t);	/* 500, 200,000, 10,000,000 */
uint64_t hub_tier_pushes(hub_tier t);	/* per month: 1M, 10M, 10M */

/* The pushes already counted in the calendar month (UTC) of epoch ms now,
** as a scenario states them ("pushesThisMonth"); the counter starts
** again with the next month.  Never fails. */
void hub_set_pushes(hub *h, uint64_t pushes, int64_t now);
/*
** Changes the namespace's tier (a scale step).  Returns 0, or -1 with why
** when the hub holds more installations than the new tier allows (a
** namespace with more devices than a lower tier allows cannot be moved
** down to it).  why gets a sentence either way.
*/
int hub_set_tier(hub *h, hub_tier tier, sb *why);

/*
** Creates or replaces installation inst (the JSON of the Installations
** API: installationId, platform, pushChannel, tags, templates).  Returns
** the status: 200, 400 (bad JSON, platform, tag, template: why says
** which), 403 (the tier's device quota is reached).  now is epoch ms.
*/
int hub_install(hub *h, const cJSON *inst, int64_t now, sb *why);
/* Deletes one; 200, or 404 when there is none. */
int hub_uninstall(hub *h, const char *id, sb *why);
/* Index of installation id, or -1. */
long hub_find(const hub *h, const char *id);
/* The PNS reported the channel of installation i gone: the hub marks it
** expired (expiredPushChannel) and stops sending to it. */
void hub_expire(hub *h, size_t i);

/* A send as the backend asks for it. */
typedef struct hub_send_req {
	const char	*tags;		/* a tag or expression; NULL: all */
	const char	*format;	/* "template", "apple", "fcmv1",
					   "windows" */
	const char	*body;		/* native payload, or NULL */
	const cJSON	*props;		/* template properties */
	const char	*wns_type;	/* native WNS: "wns/toast", ... */
	const char	*collapse;	/* FCM collapse key or NULL */
	int64_t		 ttl_ms;	/* < 0: each service's default */
	int64_t		 at;		/* scheduled epoch ms; 0: now */
	const char	*table;		/* push-to-sync: the table named */
} hub_send_req;

/*
** Sends at now.  Returns the status: 200 (sent; the targets are
** appended to *out), 201 (scheduled: Standard only; hub_due releases
** them), 400 (a bad expression, format or payload), 403 (the month's push
** quota, or a scheduled send below Standard), 413 (over 64 KB).  why
** gets one sentence.  Installations whose channel expired are skipped.
*/
int hub_send(hub *h, const hub_send_req *rq, int64_t now, hub_target **out,
    size_t *nout, sb *why);
/* Moves every scheduled send due at or before now into *out. */
size_t hub_due(hub *h, int64_t now, hub_target **out, size_t *nout);
void hub_targets_free(hub_target *t, size_t n);

/* One installation as JSON, as GET installations/{id} shows it. */
cJSON *hub_inst_json(const hub *h, size_t i);

#endif
