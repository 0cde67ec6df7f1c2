/*
** sim.h: the simulation engine.
**
** A discrete-event run of a scenario on a virtual clock (ms) with one
** seeded rng: the backend (srv), one dev per device, and the network
** between them (latency, offline, dropped requests and responses).  Each
** script step is one event; the same scenario and seed give a
** byte-identical trace.  Nothing here reads a wall clock or global state.
**
** Positions: the script has sim_count() steps; sim_pos() of them have run
** (0 = the start).  sim_goto() moves to any position, back or forward:
** back restores the nearest snapshot (sqlite3_serialize of every database
** plus the clock, rng, network and trace length) and replays from there.
** sim_act() runs a step outside the script: the run forks, the rest of
** the script is discarded and the trace says so.
**
** The run owns its scenario, backend and devices; accessors lend them.
** Pointers lent out stay valid until the next call that changes the run
** (step, goto, act, answer, finish, close).
*/
#ifndef sim_h
#define sim_h

#include <stddef.h>
#include <stdint.h>
#include <cjson/cJSON.h>
#include "lib/sb.h"
#include "sim/chk.h"
#include "sim/rmt.h"
#include "sim/dev.h"
#include "sim/scn.h"
#include "sim/srv.h"
#include "sim/trc.h"

typedef struct sim sim;

typedef struct sim_opts {
	int		 has_seed;	/* 1: seed overrides the file's */
	uint64_t	 seed;
	int		 pause_on_ask;	/* 1: sim_step stops before an
					   ask step until sim_answer
					   (TUI); 0: the ask is recorded
					   and the run goes on */
	const cJSON	*answers;	/* {"ask-id": "b"}: graded when
					   an ask comes up without a
					   pause; copied */
	size_t		 snapshot_every;/* K between snapshots; 0: 32 */
	const rmt_link	*backend;	/* a real server instead of the
					   simulated one (rmt.h); NULL: the
					   simulated one.  Borrowed: it must
					   outlive the run.  The run then only
					   goes forward: sim_goto back (and
					   sim_act after sim_finish) fail. */
} sim_opts;

/* The network state of one device, as the engine keeps it. */
typedef struct sim_net {
	int		 online;
	int64_t		 latency_ms;	/* one way */
	int		 drop_requests;	/* next N requests are lost */
	int		 drop_responses;/* the next N responses are lost */
} sim_net;

typedef enum sim_rc {
	SIM_OK = 0,		/* the step ran (it may have failed locally:
				   see the trace, TRC_ERROR) */
	SIM_ASK = 1,		/* paused before an ask: sim_answer */
	SIM_END = 2,		/* nothing left to run */
	SIM_MORE = 3,		/* sim_step_some: the step is under way */
	SIM_ERROR = -1		/* the engine cannot go on (see err) */
} sim_rc;

/*
** Starts a run at position 0: defines the tables on the backend and every
** device, seeds rows, sets the network.  Takes ownership of s in every
** case (freed on failure too).  opts may be NULL.  NULL with err on
** failure (an engine problem, never a scenario one: s is valid).
*/
sim *sim_open(scn *s, const sim_opts *opts, sb *err);
/* A sandbox run: scn_sandbox(ndevices) with seed 1 and pause_on_ask. */
sim *sim_open_sandbox(size_t ndevices, sb *err);
void sim_close(sim *r);

/* Runs the next step (its ask first, see sim_opts.pause_on_ask), then its
** expectations and the goal check. */
sim_rc sim_step(sim *r, sb *err);
/*
** The next step in parts, for a front end that must stay responsive while
** a big fleet runs: a wait step of a scenario whose fleet has syncs to
** come runs at most budget of the fleet's requests per call and returns
** SIM_MORE until the step is done (then SIM_OK, its expectations
** checked); any other step runs whole, as sim_step runs it.  pg (may be
** NULL) gets where the step stands.  Running a step in parts of any size
** gives exactly the run sim_step gives.  While a step is under way,
** sim_goto abandons it (the run goes back to before it), and sim_step,
** sim_act and sim_finish first run it to its end.
*/
typedef struct sim_progress {
	size_t		 step;		/* the step under way (0-based) */
	int64_t		 from, at, to;	/* virtual ms: the wait's start, the
					   fleet's clock now, the wait's end */
	long		 devices;	/* the fleet's size */
	uint64_t	 requests;	/* fleet requests run in this step */
	uint64_t	 syncs;		/* fleet syncs ended in this step */
} sim_progress;
sim_rc sim_step_some(sim *r, size_t budget, sim_progress *pg, sb *err);

/* Steps until the end of the script (asks never pause here). */
sim_rc sim_run(sim *r, sb *err);
/* Moves to position n (0 <= n <= sim_count()), back or forward; undoes
** sim_finish when going back.  Returns 0, or -1 with err. */
int sim_goto(sim *r, size_t n, sb *err);

/* Where the run is. */
size_t sim_pos(const sim *r);
size_t sim_count(const sim *r);
/* Step i of the current script (0 <= i < sim_count()), or NULL.  The step
** about to run is sim_step_at(r, sim_pos(r)); the last one run is pos-1. */
const scn_step *sim_step_at(const sim *r, size_t i);
/* 1 when step i came from sim_act rather than the scenario. */
int sim_step_is_adhoc(const sim *r, size_t i);
/* Virtual time since the run began, and the true epoch time (ms). */
int64_t sim_now(const sim *r);
int64_t sim_epoch_ms(const sim *r);
const scn *sim_scn(const sim *r);
const trc *sim_trace(const sim *r);
/* Index of the first trace event of step i (sim_trace(r)->n past the end). */
size_t sim_trace_start(const sim *r, size_t i);

/* The backend and the devices (in scenario order), with their network. */
srv *sim_srv(sim *r);
size_t sim_ndevices(const sim *r);
dev *sim_dev(sim *r, size_t i);
int sim_dev_index(const sim *r, const char *name);	/* -1: none */
const sim_net *sim_net_of(const sim *r, size_t i);
/* The run's hub, plan and fleet (cloud.h), or NULL when the scenario has
** none; lent like the backend. */
struct cloud *sim_cloud(sim *r);

/*
** Asks.  sim_awaiting_answer() is 1 when the run is paused before step
** sim_pos() because of its ask.  sim_answer() grades answer (plain syntax,
** docs/question-format.md) with qz_grade_plain, records TRC_ASK with the
** answer and the feedback, and lets the step run at the next sim_step.
** answer NULL skips the question.  Returns 0 (score and feedback set; both
** may be NULL), or -1 when the text is not a valid answer (feedback says
** why; nothing changes) or nothing is awaited.
*/
int sim_awaiting_answer(const sim *r);
int sim_answer(sim *r, const char *answer, double *score, sb *feedback);

/*
** Runs an ad-hoc step now (a copy of st; its ask is ignored).  When steps
** of the script remain they are discarded: the run forks, and a TRC_NOTE
** records it.  The step becomes part of the script, so sim_goto replays it.
** Returns 0 (the step ran, maybe failing locally as a scripted step
** would), or -1 with err when st is not valid for this scenario (nothing
** changes).
*/
int sim_act(sim *r, const scn_step *st, sb *err);

/*
** Runs scenario s (which it takes and frees) as `synclab run` would, then
** its solution, if it has a goal and one, and appends one
** "FILE:LINE:COL: where: what" line per problem only a run shows: an
** expectation that does not hold, a step that fails locally without
** "failed": true in its expect, a solution step that fails, a solution
** that does not reach the goal.  Returns the number of problems.
*/
int sim_verify(scn *s, sb *errs);

/* Expectations and the goal.  sim_expect_failures() counts TRC_EXPECT
** events with ok = 0 so far.  sim_goal() is -1 without a goal, else 1 when
** the goal held after the last step run (0 otherwise). */
size_t sim_expect_failures(const sim *r);
int sim_goal(const sim *r);
/* 1 when the expect object ex (validated by the loader, e.g. a hint's
** "when") holds now, after the last step run; records nothing. */
int sim_holds(sim *r, const cJSON *ex);

/* A pending conflict (a row in a device's __errors). */
typedef struct sim_conflict {
	size_t		 dev;		/* device index */
	char		 table[64];
	char		 id[128];
	int		 status;	/* 409, 412, ... */
	int		 manual;	/* 1: a manual policy applies */
} sim_conflict;
/* Lists every pending conflict on every device into a new array the
** caller frees (*out NULL when none).  Returns the count. */
size_t sim_conflicts(sim *r, sim_conflict **out);
/* Resolves one (a resolve step through sim_act).  keep is "local",
** "server" or an object of field -> "local"/"server". */
int sim_resolve(sim *r, size_t dev, const char *table, const char *id,
    const cJSON *keep, sb *err);

/*
** Ends the run: a quiet final sync of every online device (drops cleared),
** twice in device order, recorded under a TRC_STEP "final sync", then the
** checker (chk.h), recorded as TRC_CHECK events.  Idempotent; sim_goto
** back undoes it.  Returns 0, or -1 with err.
*/
int sim_finish(sim *r, sb *err);
int sim_finished(const sim *r);
/* Runs the checker (chk.h) on the run as it stands, without recording
** anything; rep must be freed with chk_free. */
void sim_check(sim *r, chk_report *rep);

/* With a real backend (sim_opts.backend): NULL while it answers, else
** why it stopped answering (the run's later requests all failed). */
const char *sim_backend_error(const sim *r);

/* Writes backend.db and <device>.db (SQLite files) into dir (created when
** missing).  Returns 0, or -1 with err. */
int sim_save_stores(sim *r, const char *dir, sb *err);

/* For tests: appends the complete state of the run as text (every row of
** every table of every database in rowid order with typed values, the
** clock, the rng and the network), so two runs can be compared exactly. */
void sim_dump_state(sim *r, sb *out);

#endif
