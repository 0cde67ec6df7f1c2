/*
** cloud.h: the push and scale side of a run.
**
** Beside the backend a run may have a notification hub (hub.h) with the
** platform services behind it (pns.h), an App Service plan under the
** backend (plan.h) and a fleet of generated devices making load.  This
** module owns them and plays the scenario's push and scale steps:
**
**   - a device registers as the Mobile Apps SDK does: it opens a channel
**     with its platform service, then sends PUT /push/installations/{id}
**     over its own link (the backend's srv_push.c answers it);
**   - the backend sends through the hub: every notification goes to the
**     platform service of its installation, which delivers it to an
**     online device or keeps what its rules keep for an offline one;
**   - a device that receives a notification follows its policy (nothing,
**     pull, sync) when the step ends, and push-to-sync makes the backend
**     send a silent notification after every write to a named table;
**   - every request the backend answers goes through the plan: a stopped
**     app answers 403, an app over capacity queues it;
**   - the fleet's requests run on the virtual clock whenever it moves.
**
** The engine (sim.c) lends it callbacks (cloud_env) and calls the hooks
** below; everything recorded goes to the run's trace as TRC_PUSH and
** TRC_PLAN events.  cloud_dup copies the whole state for snapshots.
*/
#ifndef cloud_h
#define cloud_h

#include <stddef.h>
#include <stdint.h>
#include "sim/http.h"
#include "sim/hub.h"
#include "sim/plan.h"
#include "sim/pns.h"
#include "sim/scn.h"
#include "sim/scn_cloud.h"
#include "sim/srv.h"
#include "sim/trc.h"

typedef struct cloud cloud;

typedef struct cloud_env {
	trc		*trace;
	srv		*srv;
	void		*ud;
	/* True virtual time, epoch ms. */
	int64_t		(*now)(void *ud);
	uint64_t	(*rand)(void *ud);
	/* 1 when device i has network. */
	int		(*online)(void *ud, size_t i);
	/* Sends req from device i over its link, as dev_env.send does. */
	int		(*send)(void *ud, size_t i, const http_req *req,
			    http_resp *resp);
	/* Device i acts on a notification: pulls table (NULL: every
	** table) or syncs. */
	void		(*act)(void *ud, size_t i, scn_notify what,
			    const char *table);
	/* The backend behind the plan answers req arriving at epoch ms
	** at (srv_handle's contract; a real app behind synclab's App
	** Service may fail: -1 with resp empty).  NULL: srv_handle on
	** srv. */
	int		(*serve)(void *ud, const http_req *req, int64_t at,
			    uint64_t entropy, http_resp *resp);
	/* A step's actions are over and its expectations read the
	** backend next (a real app's rows are copied then); may be NULL. */
	void		(*settle)(void *ud);
} cloud_env;

/* A run's cloud for scenario s (s->cloud must be set), from epoch ms now.
** Never fails for a loaded scenario; NULL with err otherwise. */
cloud *cloud_open(const scn *s, const cloud_env *env, int64_t now, sb *err);
void cloud_free(cloud *c);
/* A deep copy for a snapshot (same env). */
cloud *cloud_dup(const cloud *c);

/* The parts, for the TUI and serve; NULL when the scenario has none. */
hub *cloud_hub(cloud *c);
const pns *cloud_pns(const cloud *c);
const plan *cloud_plan(const cloud *c);

/*
** Moves the cloud's clock to now (epoch ms; never backwards): runs the
** fleet's requests, the plan's minutes, stops and scale actions, and the
** hub's scheduled sends that are due.  The engine calls it whenever its
** clock moves.
*/
void cloud_advance(cloud *c, int64_t now);
/*
** cloud_advance in parts, so that a front end can stay responsive while a
** big fleet runs: runs at most budget of the fleet's requests due by now
** and returns 0 when some are left (call again with the same now), or 1
** once the cloud has reached now (the plan, scheduled sends and all).
** Parts of any size, one after another, leave the cloud and the trace
** exactly as one cloud_advance(c, now) does.
*/
int cloud_advance_some(cloud *c, int64_t now, size_t budget);

/*
** The fleet's shift ends (the engine calls it before the final sync): no
** fleet device starts another sync, the syncs under way go on, and a note
** in the trace says so.  Returns 1 when there was a fleet to stop.
** cloud_fleet_next is when the fleet's next request arrives (epoch ms),
** or -1 when it has none queued: the engine moves its clock there until
** the fleet is idle.
*/
int cloud_fleet_stop(cloud *c);
int64_t cloud_fleet_next(const cloud *c);

/*
** The backend answers req, arriving at epoch ms at, under the plan:
** 403 "This web app is stopped." without the backend when the plan is
** stopped, else the backend's answer (env.serve, or srv_handle()).  *done gets when the answer leaves (queue
** and CPU time added).  A successful write to a push-to-sync table makes
** the backend send a silent notification.
*/
void cloud_handle(cloud *c, const http_req *req, int64_t at,
    uint64_t entropy, http_resp *resp, int64_t *done);

/* A step begins (the counters expectations read start again) / ends
** (devices act on what reached them, and actions may cause more; then
** env.settle). */
void cloud_step_begin(cloud *c);
void cloud_step_end(cloud *c);

/* Device i's network went on or off at now. */
void cloud_net(cloud *c, size_t i, int online);

/* The push and scale steps (scn_cloud_action).  Returns 1 when the step
** failed locally (an unknown device, a refused scale). */
int cloud_exec(cloud *c, const scn_step *st);

/* The expectation keys hub, notified, tags and plan of ex; each result is
** recorded as a TRC_EXPECT when record.  Returns 1 when all held. */
int cloud_expect(cloud *c, const cJSON *ex, int record);

/* Per device, for the TUI: the installation id (NULL before register),
** the platform service's channel (NULL before), and what reached it. */
typedef struct cloud_devview {
	const char	*installation;
	const pns_chan	*chan;
	size_t		 received;
	const char	*last;		/* the last payload received */
	int		 deleted_signal;
	scn_notify	 policy;
} cloud_devview;
void cloud_devview_of(const cloud *c, size_t i, cloud_devview *v);

/* The fleet: devices, syncs done and failed, requests sent. */
typedef struct cloud_fleetview {
	long		 devices;
	uint64_t	 syncs, failed, requests, refused;
	int		 active;	/* 1: syncs still to come */
	int64_t		 at;		/* epoch ms of the last request run */
} cloud_fleetview;
void cloud_fleetview_of(const cloud *c, cloud_fleetview *v);

#endif
