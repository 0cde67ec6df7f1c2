/*
** sim_int.h: what the engine's files share; not for other modules.
**
** sim.c owns a run (opening, the network, steps, snapshots, the end);
** sim_expect.c evaluates the expect objects of steps and of the goal;
** sim_store.c saves and dumps the stores.
*/
#ifndef sim_int_h
#define sim_int_h

#include <stddef.h>
#include <stdint.h>
#include <sqlite3.h>
#include <cjson/cJSON.h>
#include "lib/rng.h"
#include "lib/sb.h"
#include "sim/cloud.h"
#include "sim/sim.h"
#include "sim/sim_auth.h"
#include "sim/rmt.h"

/* One step of the current script. */
typedef struct sim_entry {
	scn_step	*st;		/* borrowed (scenario) or owned */
	int owned; /* 1: an ad-hoc step (sim_act) */
	size_t discarded; /* ad-hoc: script steps the fork dropped */
	int		 answered;	/* the ask has a recorded answer */
	char		*answer;	/* that answer (NULL: skipped) */
	size_t tstart; /* first trace event of the step */
} sim_entry;

typedef struct sim_snap {
	size_t		 pos;
	unsigned char	**db;		/* backend, then devices */
	sqlite3_int64	*dbsz;
	int64_t		 t;
	rng		 rng;
	sim_net		*net;
	size_t		 ntrace;
	int		 goal;
	cloud		*cloud;		/* NULL: the scenario has none */
} sim_snap;

struct sim {
	scn		*s;
	sim_opts	 opts;
	cJSON		*answers;	/* copy of opts.answers */
	srv		*srv;
	dev		**devs;
	sim_net		*net;
	size_t		 ndev;
	rng		 rng;
	int64_t		 t;		/* ms since the run began */
	trc		 trace;
	sim_entry	*steps;
	size_t		 nsteps;
	size_t		 capsteps;
	size_t		 pos;
	int goal; /* -1 none, else met after last step */
	int		 finished;
	size_t finish_tstart; /* trace length before sim_finish */
	sim_snap	*snaps;
	size_t		 nsnaps;
	int replaying; /* goto in progress: asks never pause */
	cloud		*cloud;		/* hub, plan, fleet (cloud.h) or NULL */
	sim_auth	 auth;		/* identity (sim_auth.h) */
	sb		 backend_err;	/* a real backend stopped answering */
	unsigned char	*rmt_dirty;	/* per table: written on the real
					   backend since its last copy */
	rmt_auth	 rmt_auth;	/* its callers (sim_rmt_auth) */
	char		**rmt_who;	/* NULL-terminated tokens: "seed",
					   then each device's user */
	const char	*rmt_one[2];	/* rmt_who[0] alone */
	/* A wait step under way in parts (sim_step_some): its TRC_STEP,
	** the clock before it, the fleet's counters then. */
	int		 part;
	size_t		 part_from;
	int64_t		 part_t0;
	uint64_t	 part_req0, part_syncs0;
};

/* The database of slot k: 0 the backend, k > 0 device k - 1. */
sqlite3 *sim_db_at(sim *r, size_t k);

/*
** Evaluates one expect object over the trace from event from on.  record:
** append TRC_EXPECT events (else silent, for the goal).  Returns 1 when
** everything held.
*/
int sim_expect(sim *r, const cJSON *ex, size_t from, int record);

/* Evaluates the scenario's goal (if any) after the current step into
** r->goal; record: note in the trace when it is first reached. */
void sim_goal_check(sim *r, int record);

/* Sets the virtual clock (and the cloud's) to t ms after the start. */
void sim_set_t(sim *r, int64_t t);

/* sim_exec.c: runs the action of step st; the trace already has its
** TRC_STEP.  Returns 1 when the action failed locally (expect "failed"). */
int sim_exec(sim *r, const scn_step *st);

/* A push that, when it stops on a 401, gets one more try after device
** di's on401 policy renewed its token (sim_auth.h). */
dev_status sim_push(sim *r, size_t di, dev_push_result *pr, sb *err);

/* After a device action by name: a local failure (st DEV_FAILED) with
** err becomes a TRC_ERROR unless the device recorded one since trace
** index mark. */
void sim_fail_note(sim *r, const char *name, const char *what, dev_status st,
    const sb *err, size_t mark);

/*
** sim_rmt.c: the backend behind the network.  sim_serve answers req
** arriving at epoch ms at (cloud_env.serve; the plan wraps it): with a
** real backend App Service in front (srv_front) and that server behind
** it, else srv_handle.  0, or -1 when the real backend did not answer
** (backend_err says why; resp empty).  sim_backend_failed: the run is
** void from then on.  sim_rmt_settle copies the tables written on the
** real backend since the last copy into r->srv (cloud_env.settle; a
** failure goes to backend_err); nothing without a real backend.
** sim_rmt_open sets up the dirty flags and the callers (tokens signed by
** the scenario's App Service) before the seed; sim_rmt_close frees them.
*/
int sim_serve(void *ud, const http_req *req, int64_t at, uint64_t entropy,
    http_resp *resp);
int sim_backend_failed(const sim *r);
void sim_rmt_settle(void *ud);
void sim_rmt_open(sim *r);
void sim_rmt_close(sim *r);

#endif
