/*
** cloud_int.h: what the cloud's files share; not for other modules.
**
** cloud.c owns the state below (opening, copying, freeing), the plan in
** front of the backend and the engine's hooks; cloud_push.c sends
** notifications and plays the register, tag and send steps;
** cloud_fleet.c runs the fleet's requests; cloud_expect.c checks the
** expectations.  Every function here lends nothing it does not say and
** cannot fail unless it says so.
*/
#ifndef cloud_int_h
#define cloud_int_h

#include <stddef.h>
#include <stdint.h>
#include "lib/sb.h"
#include "sim/cloud.h"

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
	int64_t		 f_at;		/* arrival of the last fleet request */
	int		 f_stopped;	/* the shift ended: no new syncs */
};


/* Adds an event of type to the run's trace with method and status; the
** event is the trace's (valid until the next trc_add). */
trc_event *cloud_trace(cloud *c, trc_type type, const char *device,
    const char *method, int status, const char *text);
/* Device i's name, lent by the scenario. */
const char *cloud_name(const cloud *c, size_t i);
/* "[$InstallationId:{..}, tag, ...]" of an installation, appended. */
void cloud_tags_text(const hub_inst *in, sb *out);

/* The plan's clock to t, its events traced (nothing without a plan). */
void cloud_plan_to(cloud *c, int64_t t);
/* Rows in a JSON answer: the elements of a top-level array, or of
** "results" in {"results": [...], "count": N}; 1 for an object; 0 for
** NULL or anything else. */
size_t cloud_rows(const char *body);
/* The backend under the plan, without push-to-sync: resp gets 403 when
** the plan is stopped at at, else srv_handle's answer; *done when the
** answer leaves.  resp must be initialised; the caller frees it. */
void cloud_serve(cloud *c, const http_req *req, int64_t at,
    uint64_t entropy, http_resp *resp, int64_t *done);

/* Notifications.  cloud_receive records what reached devices and notes
** their policies; cloud_dispatch hands the hub's targets to the platform
** services; both take and free their arrays.  cloud_push_to_sync sends
** one silent notification per platform that has installations. */
void cloud_receive(cloud *c, pns_dlv *d, size_t n);
void cloud_dispatch(cloud *c, hub_target *t, size_t n, int64_t now);
void cloud_push_to_sync(cloud *c, const char *table);
/* The push steps for device i (args: the step's row); return 1 when the
** step failed locally. */
int cloud_register(cloud *c, size_t i, const cJSON *args, int del);
int cloud_tag(cloud *c, size_t i, const cJSON *args);
int cloud_send(cloud *c, const scn_step *st);

/* The fleet.  cloud_heap_push queues device dev's next request at t;
** cloud_fleet_to runs the fleet requests due by now, in time order, at
** most budget of them, and returns how many it ran. */
void cloud_heap_push(cloud *c, int64_t t, uint32_t dev);
size_t cloud_fleet_to(cloud *c, int64_t now, size_t budget);

#endif
