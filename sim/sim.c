/*
** sim.c: the simulation engine; see sim.h.
**
** State of a run = the backend database + every device store (all the
** mutable state of srv and dev lives there) + the virtual clock, the rng,
** the network of each device and the trace.  A snapshot copies exactly
** that, so restoring one and replaying the same steps (with the same
** recorded answers) reproduces the run byte for byte.
**
** Time: a step is one event.  Local edits take no time; each request costs
** the device's one-way latency to reach the server (the server's clock is
** the arrival time) and the same again for the response; wait advances
** the clock.  There is no other source of time.
*/
#include "sim/sim.h"
#include "sim/sim_int.h"
#include "sim/chk.h"
#include "lib/rng.h"
#include "lib/xmem.h"
#include "quiz/qz.h"
#include "sim/wire.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define SIM_DEFAULT_K	32

/* ---- small helpers ---- */

void
sim_set_t(sim *r, int64_t t)
{
	r->t = t;
	r->trace.t = t;
	if (r->cloud)
		cloud_advance(r->cloud, r->s->start_ms + t);
}

size_t
sim_pos(const sim *r)
{
	return r->pos;
}

size_t
sim_count(const sim *r)
{
	return r->nsteps;
}

const scn_step *
sim_step_at(const sim *r, size_t i)
{
	return i < r->nsteps ? r->steps[i].st : NULL;
}

int
sim_step_is_adhoc(const sim *r, size_t i)
{
	return i < r->nsteps ? r->steps[i].owned : 0;
}

int64_t
sim_now(const sim *r)
{
	return r->t;
}

int64_t
sim_epoch_ms(const sim *r)
{
	return r->s->start_ms + r->t;
}

const scn *
sim_scn(const sim *r)
{
	return r->s;
}

const trc *
sim_trace(const sim *r)
{
	return &r->trace;
}

size_t
sim_trace_start(const sim *r, size_t i)
{
	if (i < r->pos && i < r->nsteps)
		return r->steps[i].tstart;
	if (i == r->pos && r->finished)
		return r->finish_tstart;
	return r->trace.n;
}

srv *
sim_srv(sim *r)
{
	return r->srv;
}

size_t
sim_ndevices(const sim *r)
{
	return r->ndev;
}

dev *
sim_dev(sim *r, size_t i)
{
	return i < r->ndev ? r->devs[i] : NULL;
}

int
sim_dev_index(const sim *r, const char *name)
{
	/* The devices are the scenario's, opened in its order. */
	return scn_device_index(r->s, name);
}

const sim_net *
sim_net_of(const sim *r, size_t i)
{
	return i < r->ndev ? &r->net[i] : NULL;
}

int
sim_finished(const sim *r)
{
	return r->finished;
}

int
sim_goal(const sim *r)
{
	return r->goal;
}

const char *
sim_backend_error(const sim *r)
{
	return r->backend_err.len > 0 ? sb_str(&r->backend_err) : NULL;
}

size_t
sim_expect_failures(const sim *r)
{
	size_t n = 0;
	for (size_t i = 0; i < r->trace.n; i++)
		if (r->trace.ev[i].type == TRC_EXPECT && !r->trace.ev[i].ok)
			n++;
	return n;
}

/* ---- the network: dev_env callbacks ---- */

static size_t
sim_dev_of(sim *r, dev *d)
{
	for (size_t i = 0; i < r->ndev; i++)
		if (r->devs[i] == d)
			return i;
	return 0;
}

static char *
sim_headers_json(const http_header *h, size_t n)
{
	sb b = SB_INIT;
	sb_addc(&b, '{');
	for (size_t i = 0; i < n; i++) {
		if (i)
			sb_addc(&b, ',');
		sb_addjson(&b, h[i].name);
		sb_addc(&b, ':');
		sb_addjson(&b, h[i].value);
	}
	sb_addc(&b, '}');
	return sb_take(&b);
}

static int
sim_send(void *ud, dev *d, const http_req *req, http_resp *resp)
{
	sim *r = ud;
	size_t i = sim_dev_of(r, d);
	sim_net *n = &r->net[i];
	const char *name = dev_name(d);
	char *path = req->query ? xasprintf("%s?%s", req->path, req->query) :
	    xstrdup(req->path);
	char *hdrs = sim_headers_json(req->hdrs, req->nhdrs);
	trc_event *e = trc_add(&r->trace, TRC_REQUEST, name, "%s %s",
	    req->method, path);
	trc_set(&e->method, req->method);
	trc_set(&e->path, path);
	e->headers = hdrs;
	trc_set(&e->body, req->body);
	free(path);
	if (!n->online) {
		trc_add(&r->trace, TRC_LOST, name,
		    "no network: %s is offline, so "
		    "the request fails at once",
		    name);
		return -1;
	}
	sim_set_t(r, r->t + n->latency_ms);
	if (n->drop_requests > 0) {
		n->drop_requests--;
		trc_add(&r->trace, TRC_LOST, name,
		    "the request was lost on the "
		    "way: the server never saw it");
		return -1;
	}
	http_resp sr;
	http_resp_init(&sr, 0);
	int64_t done = sim_epoch_ms(r);
	uint64_t entropy = rng_next(&r->rng);
	if (r->cloud)	/* the plan may stop or queue it */
		cloud_handle(r->cloud, req, done, entropy, &sr, &done);
	else
		sim_serve(r, req, done, entropy, &sr);
	if (!sim_backend_failed(r))
		sim_set_t(r, done - r->s->start_ms + n->latency_ms);
	/* With a real backend the mirror takes what the device wrote
	** before anything reads it; under a cloud, whose fleet may write
	** thousands of rows in a step, once the step ends (sim_rmt_settle)
	** and before the checker. */
	if (r->cloud == NULL)
		sim_rmt_settle(r);
	if (sim_backend_failed(r)) {
		/* Not a fault of the scenario's network: the run is
		** void, and sim_backend_error says so. */
		http_resp_free(&sr);
		trc_add(&r->trace, TRC_ERROR, name, "the backend %s did "
		    "not answer: %s", r->opts.backend->url,
		    sb_str(&r->backend_err));
		return -1;
	}
	char *rh = sim_headers_json(sr.hdrs, sr.nhdrs);
	if (n->drop_responses > 0) {
		n->drop_responses--;
		e = trc_add(&r->trace, TRC_LOST, name,
		    "the server answered %d %s, "
		    "but the response was lost on the way back",
		    sr.status, http_reason(sr.status));
		e->status = sr.status;
		e->headers = rh;
		trc_set(&e->body, sr.body);
		http_resp_free(&sr);
		return -1;
	}
	e = trc_add(&r->trace, TRC_RESPONSE, name, "%d %s", sr.status,
	    http_reason(sr.status));
	e->status = sr.status;
	e->headers = rh;
	trc_set(&e->body, sr.body);
	*resp = sr;	/* the device owns it now */
	return 0;
}

static int64_t
sim_env_now(void *ud)
{
	return sim_epoch_ms(ud);
}

static uint64_t
sim_env_rand(void *ud)
{
	sim *r = ud;
	return rng_next(&r->rng);
}

struct cloud *
sim_cloud(sim *r)
{
	return r->cloud;
}

/* The cloud's view of the run (cloud.h): a device's network, its link,
** and what it does on a notification. */
static int
sim_cloud_online(void *ud, size_t i)
{
	sim *r = ud;
	return i < r->ndev && r->net[i].online;
}

static int
sim_cloud_send(void *ud, size_t i, const http_req *req, http_resp *resp)
{
	sim *r = ud;
	return sim_send(r, r->devs[i], req, resp);
}

static void
sim_cloud_act(void *ud, size_t i, scn_notify what, const char *table)
{
	sim *r = ud;
	dev *d = r->devs[i];
	sb err = SB_INIT;
	dev_push_result pr;
	dev_pull_result pl;
	dev_status ds = DEV_OK;
	if (what == SCN_NOTIFY_SYNC)
		ds = dev_push(d, &pr, &err);
	if (ds == DEV_OK)
		dev_pull(d, what == SCN_NOTIFY_SYNC ? NULL : table, &pl, &err);
	sb_free(&err);
}

/* ---- opening ---- */

static void
sim_entry_add(sim *r, scn_step *st, int owned)
{
	if (r->nsteps == r->capsteps) {
		r->capsteps = r->capsteps ? r->capsteps * 2 : 16;
		r->steps =
		    xreallocarray(r->steps, r->capsteps, sizeof *r->steps);
	}
	sim_entry *e = &r->steps[r->nsteps++];
	memset(e, 0, sizeof *e);
	e->st = st;
	e->owned = owned;
}

static void
sim_entry_clear(sim_entry *e)
{
	if (e->owned) {
		scn_step_free(e->st);
		free(e->st);
	}
	free(e->answer);
	memset(e, 0, sizeof *e);
}

static void
sim_snap_free(sim_snap *sn, size_t ndb)
{
	for (size_t i = 0; i < ndb; i++)
		sqlite3_free(sn->db[i]);
	free(sn->db);
	free(sn->dbsz);
	free(sn->net);
	cloud_free(sn->cloud);
	memset(sn, 0, sizeof *sn);
}

sqlite3 *
sim_db_at(sim *r, size_t k)
{
	return k == 0 ? srv_db(r->srv) : dev_db(r->devs[k - 1]);
}

/* Takes a snapshot of the current position unless one exists: the run is
** deterministic, so an existing snapshot of the same position of the same
** script holds the same state.  Snapshots stay sorted by position (sim_act
** drops the ones past a fork). */
static void
sim_snapshot(sim *r)
{
	size_t ndb = r->ndev + 1;
	size_t at = r->nsnaps;
	while (at > 0 && r->snaps[at - 1].pos >= r->pos)
		at--;
	if (at < r->nsnaps && r->snaps[at].pos == r->pos)
		return;
	r->snaps = xreallocarray(r->snaps, r->nsnaps + 1, sizeof *r->snaps);
	memmove(&r->snaps[at + 1], &r->snaps[at],
	    (r->nsnaps - at) * sizeof *r->snaps);
	r->nsnaps++;
	sim_snap *sn = &r->snaps[at];
	memset(sn, 0, sizeof *sn);
	sn->pos = r->pos;
	sn->db = xcalloc(ndb, sizeof *sn->db);
	sn->dbsz = xcalloc(ndb, sizeof *sn->dbsz);
	for (size_t k = 0; k < ndb; k++) {
		sn->db[k] = sqlite3_serialize(sim_db_at(r, k), "main",
		    &sn->dbsz[k], 0);
		if (sn->db[k] == NULL) {
			/* Only when SQLite itself runs out of memory. */
			fputs("synclab: out of memory (snapshot)\n", stderr);
			exit(70);
		}
	}
	sn->t = r->t;
	sn->rng = r->rng;
	sn->net = xreallocarray(NULL, r->ndev, sizeof *sn->net);
	memcpy(sn->net, r->net, r->ndev * sizeof *sn->net);
	sn->ntrace = r->trace.n;
	sn->goal = r->goal;
	sn->cloud = r->cloud ? cloud_dup(r->cloud) : NULL;
}

static int
sim_restore(sim *r, const sim_snap *sn, sb *err)
{
	size_t ndb = r->ndev + 1;
	for (size_t k = 0; k < ndb; k++) {
		unsigned char *copy =
		    sqlite3_malloc64((sqlite3_uint64)sn->dbsz[k]);
		if (copy == NULL) {
			fputs("synclab: out of memory (restore)\n", stderr);
			exit(70);
		}
		memcpy(copy, sn->db[k], (size_t)sn->dbsz[k]);
		int rc = sqlite3_deserialize(sim_db_at(r, k), "main", copy,
		    sn->dbsz[k], sn->dbsz[k],
		    SQLITE_DESERIALIZE_FREEONCLOSE |
			SQLITE_DESERIALIZE_RESIZEABLE);
		if (rc != SQLITE_OK) {
			sb_addf(err, "cannot restore a snapshot: %s",
			    sqlite3_errmsg(sim_db_at(r, k)));
			return -1;
		}
	}
	if (sn->cloud) {
		cloud_free(r->cloud);
		r->cloud = cloud_dup(sn->cloud);
		srv_attach_hub(r->srv, cloud_hub(r->cloud));
	}
	sim_set_t(r, sn->t);
	r->rng = sn->rng;
	memcpy(r->net, sn->net, r->ndev * sizeof *r->net);
	trc_truncate(&r->trace, sn->ntrace);
	r->goal = sn->goal;
	r->pos = sn->pos;
	r->finished = 0;
	r->trace.step = r->pos;
	return 0;
}

/* The scenario's seed rows into the simulated backend at the start time,
** in one transaction: each insert alone would commit once per row, most
** of the cost of a big seed.  0, or -1 with err set. */
static int
sim_seed(sim *r, sb *err)
{
	sqlite3 *db = srv_db(r->srv);
	sb e = SB_INIT;
	const cJSON *t;
	int rc = sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) == SQLITE_OK ?
	    0 : -1;
	if (rc != 0)
		sb_addf(err, "cannot seed the backend: %s", sqlite3_errmsg(db));
	const cJSON *rows = rc == 0 ? r->s->rows : NULL;
	cJSON_ArrayForEach(t, rows) {
		const cJSON *row;
		cJSON_ArrayForEach(row, t) {
			if (srv_seed(r->srv, t->string, row, r->s->start_ms,
			    &e) != 0) {
				sb_addf(err, "rows.%s: %s", t->string,
				    sb_str(&e));
				rc = -1;
				break;
			}
		}
		if (rc != 0)
			break;
	}
	if (rc == 0 && sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) !=
	    SQLITE_OK) {
		sb_addf(err, "cannot seed the backend: %s", sqlite3_errmsg(db));
		rc = -1;
	}
	if (rc != 0 && !sqlite3_get_autocommit(db))
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	sb_free(&e);
	return rc;
}

sim *
sim_open(scn *s, const sim_opts *opts, sb *err)
{
	sim *r = xcalloc(1, sizeof *r);
	sb e = SB_INIT;
	r->s = s;
	if (opts)
		r->opts = *opts;
	r->opts.answers = NULL;
	if (opts && opts->answers)
		r->answers = cJSON_Duplicate(opts->answers, 1);
	if (r->opts.snapshot_every == 0)
		r->opts.snapshot_every = SIM_DEFAULT_K;
	trc_init(&r->trace);
	rng_seed(&r->rng, r->opts.has_seed ? r->opts.seed : s->seed);
	r->srv = srv_open(NULL, &e);
	if (r->srv == NULL) {
		sb_addf(err, "cannot open the backend: %s", sb_str(&e));
		goto fail;
	}
	for (size_t i = 0; i < s->ntables; i++)
		if (srv_define(r->srv, &s->tables[i].def, &e) != 0) {
			sb_addf(err, "table %s: %s", s->tables[i].def.name,
			    sb_str(&e));
			goto fail;
		}
	r->ndev = s->ndevices;
	r->devs = xcalloc(r->ndev ? r->ndev : 1, sizeof *r->devs);
	r->net = xcalloc(r->ndev ? r->ndev : 1, sizeof *r->net);
	dev_env env = { sim_send, sim_env_now, sim_env_rand, r, &r->trace };
	for (size_t i = 0; i < r->ndev; i++) {
		const scn_device *sd = &s->devices[i];
		dev_config cfg = { sd->name, sd->user, sd->platform,
		    sd->clock_offset_ms, sd->client };
		r->devs[i] = dev_open(&cfg, &env, NULL, &e);
		if (r->devs[i] == NULL) {
			sb_addf(err, "device %s: %s", sd->name, sb_str(&e));
			goto fail;
		}
		dev_set_page_size(r->devs[i], s->page_size);
		for (size_t k = 0; k < s->ntables; k++)
			if (dev_define(r->devs[i], &s->tables[k].def,
			    &s->tables[k].policy, &e) != 0) {
				sb_addf(err, "device %s, table %s: %s",
				    sd->name, s->tables[k].def.name,
				    sb_str(&e));
				goto fail;
			}
		r->net[i].online = sd->online;
		r->net[i].latency_ms = sd->latency_ms;
	}
	if (sim_auth_open(&r->auth, s, r->srv, r->devs, r->ndev,
	    s->start_ms, err) != 0)
		goto fail;
	/* Seed rows go straight into the backend at the start time (a real
	** one takes them as inserts). */
	if (r->opts.backend != NULL) {
		sim_rmt_open(r);
		if (rmt_seed(r->opts.backend, &r->rmt_auth, r->srv, s->rows,
		    err) != 0)
			goto fail;
	} else if (s->rows && sim_seed(r, err) != 0)
		goto fail;
	if (s->cloud) {
		cloud_env ce = { &r->trace, r->srv, r, sim_env_now,
		    sim_env_rand, sim_cloud_online, sim_cloud_send,
		    sim_cloud_act, sim_serve, sim_rmt_settle };
		r->cloud = cloud_open(s, &ce, s->start_ms, err);
		if (r->cloud == NULL)
			goto fail;
		srv_attach_hub(r->srv, cloud_hub(r->cloud));
	}
	for (size_t i = 0; i < s->nsteps; i++)
		sim_entry_add(r, &s->steps[i], 0);
	r->goal = s->goal_expect ? 0 : -1;
	if (s->goal_expect)
		sim_goal_check(r, 0);
	sim_snapshot(r);
	/* Run on the deserialized images from the start: SQLite lays pages
	** out a little differently in a ":memory:" database and in a
	** deserialized one, and a run that goes back must produce the same
	** bytes as one that never did. */
	if (sim_restore(r, &r->snaps[0], err) != 0)
		goto fail;
	sb_free(&e);
	return r;
fail:
	sb_free(&e);
	sim_close(r);
	return NULL;
}

sim *
sim_open_sandbox(size_t ndevices, sb *err)
{
	scn *s = scn_sandbox(ndevices);
	if (s == NULL) {
		sb_addf(
		    err, "a sandbox has 1 to 16 devices, not %zu", ndevices);
		return NULL;
	}
	sim_opts o = { 0 };
	o.pause_on_ask = 1;
	return sim_open(s, &o, err);
}

void
sim_close(sim *r)
{
	if (r == NULL)
		return;
	for (size_t i = 0; i < r->nsnaps; i++)
		sim_snap_free(&r->snaps[i], r->ndev + 1);
	free(r->snaps);
	for (size_t i = 0; i < r->nsteps; i++)
		sim_entry_clear(&r->steps[i]);
	free(r->steps);
	for (size_t i = 0; i < r->ndev; i++)
		if (r->devs[i])
			dev_close(r->devs[i]);
	free(r->devs);
	free(r->net);
	cloud_free(r->cloud);
	if (r->srv)
		srv_close(r->srv);
	sim_auth_close(&r->auth);
	trc_free(&r->trace);
	sb_free(&r->backend_err);
	sim_rmt_close(r);
	cJSON_Delete(r->answers);
	scn_free(r->s);
	free(r);
}

/* ---- running a step ---- */

/* Records the ask of step e (graded when an answer is known). */
static void
sim_record_ask(sim *r, sim_entry *e)
{
	const qz_question *q = e->st->ask;
	const char *qid = qz_question_id(q);
	const char *answer = NULL;
	if (e->answered)
		answer = e->answer;
	else if (r->answers) {
		const cJSON *a =
		    cJSON_GetObjectItemCaseSensitive(r->answers, qid);
		if (cJSON_IsString(a))
			answer = a->valuestring;
	}
	sb text = SB_INIT, fb = SB_INIT;
	qz_format_plain(q, &text);
	double score = 0;
	trc_event *ev;
	if (answer && qz_grade_plain(q, answer, &score, &fb) == 0) {
		ev = trc_add(&r->trace, TRC_ASK, NULL, "%s", sb_str(&fb));
		ev->ok = score >= 0.999;
		trc_set(&ev->method, answer);
	} else if (answer) {
		ev = trc_add(&r->trace, TRC_ASK, NULL,
		    "not a valid answer \"%s\": %s", answer, sb_str(&fb));
		trc_set(&ev->method, answer);
	} else
		ev = trc_add(&r->trace, TRC_ASK, NULL, "(not answered)");
	trc_set(&ev->id, qid);
	trc_set(&ev->body, sb_str(&text));
	sb_free(&text);
	sb_free(&fb);
}

/* The first part of running step r->pos: its ask, TRC_STEP and TRC_SAY.
** Returns the index of its TRC_STEP for sim_run_tail. */
static size_t
sim_run_head(sim *r)
{
	sim_entry *e = &r->steps[r->pos];
	const scn_step *st = e->st;
	r->trace.step = r->pos;
	e->tstart = r->trace.n;
	if (e->discarded)
		trc_add(&r->trace, TRC_NOTE, NULL,
		    "off script: the run forks here "
		    "and the remaining %zu step%s of the script %s discarded",
		    e->discarded, e->discarded == 1 ? "" : "s",
		    e->discarded == 1 ? "is" : "are");
	if (st->ask)
		sim_record_ask(r, e);
	size_t from = r->trace.n;
	sb sum = SB_INIT;
	scn_step_summary(st, &sum);
	trc_event *ev = trc_add(&r->trace, TRC_STEP, st->device, "%s",
	    sb_str(&sum));
	trc_set(&ev->method, scn_action_name(st->act));
	trc_set(&ev->table, st->table);
	trc_set(&ev->id, st->id);
	sb_free(&sum);
	if (st->say)
		trc_add(&r->trace, TRC_SAY, NULL, "%s", st->say);
	return from;
}

/* The rest: the action, expectations, goal, snapshot. */
static void
sim_run_tail(sim *r, size_t from)
{
	sim_entry *e = &r->steps[r->pos];
	const scn_step *st = e->st;
	/* TRC_STEP.ok: the action did not fail locally. */
	int failed = sim_exec(r, st);	/* may move r->trace.ev */
	r->trace.ev[from].ok = !failed;
	if (st->expect)
		sim_expect(r, st->expect, from, 1);
	/* A script step that fails locally must say so in its expect
	** ("failed": true); otherwise the failure is an error of the
	** script and the run exits 1.  Steps typed in the TUI may fail. */
	if (failed && !e->owned && !cJSON_IsTrue(
	    cJSON_GetObjectItemCaseSensitive(st->expect, "failed"))) {
		const char *why = "";
		for (size_t k = from; k < r->trace.n; k++)
			if (r->trace.ev[k].type == TRC_ERROR &&
			    r->trace.ev[k].text)
				why = r->trace.ev[k].text;
		trc_event *x = trc_add(&r->trace, TRC_EXPECT, NULL, "the step "
		    "fails locally (%s) and its expect does not say so (add "
		    "\"failed\": true if that is the lesson)", why);
		x->ok = 0;
	}
	r->pos++;
	sim_goal_check(r, 1);
	if (r->pos % r->opts.snapshot_every == 0)
		sim_snapshot(r);
}

/* Runs step r->pos (its ask recorded first), expectations, goal. */
static void
sim_run_one(sim *r)
{
	sim_run_tail(r, sim_run_head(r));
}

static int sim_pausing(const sim *r);
static int sim_goto_restore(sim *r, size_t n, sb *err);

/*
** One part of a wait step under a fleet (see sim_step_some): the cloud
** moves towards the end of the wait by at most budget fleet requests, its
** events stamped with the wait's end as sim_set_t stamps them; the clock
** itself moves when the action runs, once the cloud has caught up.
*/
static sim_rc
sim_part_more(sim *r, size_t budget, sim_progress *pg)
{
	const scn_step *st = r->steps[r->pos].st;
	int64_t to = r->part_t0 + st->ms;
	r->t = to;
	r->trace.t = to;
	int done = cloud_advance_some(r->cloud, r->s->start_ms + to,
	    budget ? budget : 1);
	r->t = r->part_t0;
	r->trace.t = r->part_t0;
	if (pg) {
		cloud_fleetview fv;
		cloud_fleetview_of(r->cloud, &fv);
		pg->step = r->pos;
		pg->from = r->part_t0;
		pg->to = to;
		pg->at = fv.at > r->s->start_ms + r->part_t0 ?
		    fv.at - r->s->start_ms : r->part_t0;
		if (done || pg->at > to)
			pg->at = to;
		pg->devices = fv.devices;
		pg->requests = fv.requests - r->part_req0;
		pg->syncs = fv.syncs - r->part_syncs0;
	}
	if (!done)
		return SIM_MORE;
	r->part = 0;
	sim_run_tail(r, r->part_from);
	return SIM_OK;
}

sim_rc
sim_step_some(sim *r, size_t budget, sim_progress *pg, sb *err)
{
	if (pg)
		memset(pg, 0, sizeof *pg);
	if (r->part)
		return sim_part_more(r, budget, pg);
	if (r->finished && sim_goto_restore(r, r->pos, err) != 0)
		return SIM_ERROR;
	if (r->pos >= r->nsteps)
		return SIM_END;
	if (sim_pausing(r))
		return SIM_ASK;
	const scn_step *st = r->steps[r->pos].st;
	cloud_fleetview fv;
	cloud_fleetview_of(r->cloud, &fv);
	if (st->act != SCN_WAIT || !fv.active) {
		sim_run_one(r);		/* nothing big to cut in parts */
		return SIM_OK;
	}
	r->part_from = sim_run_head(r);
	r->part_t0 = r->t;
	r->part_req0 = fv.requests;
	r->part_syncs0 = fv.syncs;
	r->part = 1;
	cloud_step_begin(r->cloud);
	return sim_part_more(r, budget, pg);
}

/* A step left under way by sim_step_some runs to its end. */
static void
sim_part_finish(sim *r)
{
	if (r->part)
		sim_part_more(r, SIZE_MAX, NULL);
}

static int
sim_pausing(const sim *r)
{
	if (!r->opts.pause_on_ask || r->replaying || r->pos >= r->nsteps)
		return 0;
	const sim_entry *e = &r->steps[r->pos];
	return e->st->ask != NULL && !e->answered;
}

int
sim_awaiting_answer(const sim *r)
{
	return !r->finished && sim_pausing(r);
}

int
sim_answer(sim *r, const char *answer, double *score, sb *feedback)
{
	if (!sim_awaiting_answer(r)) {
		if (feedback)
			sb_add(
			    feedback, "no question is waiting for an answer");
		return -1;
	}
	sim_entry *e = &r->steps[r->pos];
	double sc = 0;
	if (answer) {
		sb fb = SB_INIT;
		if (qz_grade_plain(e->st->ask, answer, &sc, &fb) != 0) {
			if (feedback)
				sb_add(feedback, sb_str(&fb));
			sb_free(&fb);
			return -1;
		}
		if (feedback)
			sb_add(feedback, sb_str(&fb));
		sb_free(&fb);
	}
	if (score)
		*score = sc;
	e->answered = 1;
	free(e->answer);
	e->answer = answer ? xstrdup(answer) : NULL;
	return 0;
}

/* Undoes sim_finish: the final sync changed the databases, so the only
** way back is through a snapshot. */
static int sim_goto_restore(sim *r, size_t n, sb *err);

sim_rc
sim_step(sim *r, sb *err)
{
	if (r->part) {
		sim_part_finish(r);
		return SIM_OK;
	}
	if (r->finished) {
		if (sim_goto_restore(r, r->pos, err) != 0)
			return SIM_ERROR;
	}
	if (r->pos >= r->nsteps)
		return SIM_END;
	if (sim_pausing(r))
		return SIM_ASK;
	sim_run_one(r);
	return SIM_OK;
}

sim_rc
sim_run(sim *r, sb *err)
{
	int was = r->replaying;
	r->replaying = 1;
	sim_rc rc = SIM_OK;
	while (r->pos < r->nsteps && (rc = sim_step(r, err)) == SIM_OK)
		;
	r->replaying = was;
	return rc == SIM_ERROR ? SIM_ERROR : SIM_END;
}

/* Runs the steps up to n as a replay: no ask pauses on the way. */
static void
sim_replay_to(sim *r, size_t n)
{
	int was = r->replaying;
	r->replaying = 1;
	while (r->pos < n)
		sim_run_one(r);
	r->replaying = was;
}

static int
sim_goto_restore(sim *r, size_t n, sb *err)
{
	size_t k = r->nsnaps;
	if (r->opts.backend != NULL) {
		sb_addf(err, "a run on the real backend %s cannot go back: "
		    "that server keeps its own state", r->opts.backend->url);
		return -1;
	}
	while (k > 0 && r->snaps[k - 1].pos > n)
		k--;
	if (k == 0) {
		sb_add(err, "no snapshot to go back to");
		return -1;
	}
	if (sim_restore(r, &r->snaps[k - 1], err) != 0)
		return -1;
	sim_replay_to(r, n);
	return 0;
}

int
sim_goto(sim *r, size_t n, sb *err)
{
	if (n > r->nsteps) {
		sb_addf(err, "there is no step %zu (the script has %zu)", n,
		    r->nsteps);
		return -1;
	}
	if (n < r->pos || r->finished || r->part) {
		r->part = 0;	/* a step under way is abandoned */
		return sim_goto_restore(r, n, err);
	}
	sim_replay_to(r, n);
	return 0;
}

/* ---- acting off script ---- */

int
sim_act(sim *r, const scn_step *st, sb *err)
{
	if (scn_step_validate(r->s, st, err) != 0)
		return -1;
	sim_part_finish(r);
	if (r->finished && sim_goto_restore(r, r->pos, err) != 0)
		return -1;
	size_t discarded = r->nsteps - r->pos;
	for (size_t i = r->pos; i < r->nsteps; i++)
		sim_entry_clear(&r->steps[i]);
	r->nsteps = r->pos;
	/* Snapshots past the fork belong to a future that no longer exists. */
	while (r->nsnaps > 0 && r->snaps[r->nsnaps - 1].pos > r->pos)
		sim_snap_free(&r->snaps[--r->nsnaps], r->ndev + 1);
	scn_step *copy = xmalloc(sizeof *copy);
	scn_step_copy(copy, st);
	sim_entry_add(r, copy, 1);
	r->steps[r->nsteps - 1].discarded = discarded;
	sim_run_one(r);
	return 0;
}

size_t
sim_conflicts(sim *r, sim_conflict **out)
{
	*out = NULL;
	size_t n = 0;
	for (size_t i = 0; i < r->ndev; i++) {
		sqlite3_stmt *st = NULL;
		if (sqlite3_prepare_v2(dev_db(r->devs[i]),
			"SELECT o.tableName, o.itemId, e.httpStatus FROM "
			"__errors e "
			"JOIN __operations o ON o.id = e.id ORDER BY "
			"o.sequence",
			-1, &st, NULL) != SQLITE_OK) {
			sqlite3_finalize(st);
			continue;
		}
		while (sqlite3_step(st) == SQLITE_ROW) {
			*out = xreallocarray(*out, n + 1, sizeof **out);
			sim_conflict *c = &(*out)[n++];
			memset(c, 0, sizeof *c);
			c->dev = i;
			const char *t =
			    (const char *)sqlite3_column_text(st, 0);
			const char *id =
			    (const char *)sqlite3_column_text(st, 1);
			snprintf(c->table, sizeof c->table, "%s", t ? t : "");
			snprintf(c->id, sizeof c->id, "%s", id ? id : "");
			c->status = sqlite3_column_int(st, 2);
			const pol_table *pt = dev_policy(r->devs[i], c->table);
			if (pt) {
				c->manual = pt->spec.kind == POL_MANUAL;
				for (size_t k = 0; k < pt->nfields; k++)
					if (pt->fields[k].spec.kind ==
					    POL_MANUAL)
						c->manual = 1;
			}
		}
		sqlite3_finalize(st);
	}
	return n;
}

int
sim_resolve(sim *r, size_t devi, const char *table, const char *id,
    const cJSON *keep, sb *err)
{
	if (devi >= r->ndev) {
		sb_addf(err, "there is no device %zu", devi);
		return -1;
	}
	scn_step st;
	memset(&st, 0, sizeof st);
	st.act = SCN_RESOLVE;
	st.device = (char *)dev_name(r->devs[devi]);
	st.table = (char *)table;
	st.id = (char *)id;
	st.row = (cJSON *)keep;
	return sim_act(r, &st, err);
}

/* ---- the end of a run ---- */

void
sim_check(sim *r, chk_report *rep)
{
	sim_rmt_settle(r);	/* the real rows, the fleet's last too */
	int *online = xcalloc(r->ndev ? r->ndev : 1, sizeof *online);
	for (size_t i = 0; i < r->ndev; i++)
		online[i] = r->net[i].online;
	chk_in in = { &r->trace, r->srv, r->devs, online, r->ndev, r->s };
	chk_examine(&in, rep);
	free(online);
}

void
chk_run(struct sim *s, chk_report *rep)
{
	sim_check(s, rep);
}

int
sim_finish(sim *r, sb *err)
{
	(void)err;
	if (r->finished)
		return 0;
	sim_part_finish(r);
	r->finish_tstart = r->trace.n;
	r->trace.step = r->pos;
	trc_add(&r->trace, TRC_STEP, NULL, "final sync: every online device "
	    "syncs twice, in order, with no message lost, to test convergence");
	for (size_t i = 0; i < r->ndev; i++) {
		r->net[i].drop_requests = 0;
		r->net[i].drop_responses = 0;
	}
	/* Convergence is only defined once nobody writes: a fleet's shift
	** ends and its syncs under way finish first. */
	if (r->cloud && cloud_fleet_stop(r->cloud)) {
		int64_t next;
		while ((next = cloud_fleet_next(r->cloud)) >= 0)
			sim_set_t(r, next - r->s->start_ms);
	}
	for (int round = 0; round < 2; round++)
		for (size_t i = 0; i < r->ndev; i++) {
			if (!r->net[i].online)
				continue;
			sb e = SB_INIT;
			dev_push_result pr;
			const char *name = dev_name(r->devs[i]);
			size_t mark = r->trace.n;
			dev_status ds = sim_push(r, i, &pr, &e);
			if (ds == DEV_OK) {
				dev_pull_result pl;
				ds = dev_pull(r->devs[i], NULL, &pl, &e);
				sim_fail_note(r, name, "the final pull", ds, &e,
				    mark);
			} else
				sim_fail_note(r, name, "the final push", ds, &e,
				    mark);
			sb_free(&e);
		}
	chk_report rep;
	sim_check(r, &rep);
	for (size_t i = 0; i < rep.nf; i++) {
		trc_event *ev = trc_add(&r->trace, TRC_CHECK, rep.f[i].device,
		    "%s", rep.f[i].text);
		trc_set(&ev->table, rep.f[i].table);
		trc_set(&ev->id, rep.f[i].id);
		trc_set(&ev->method, chk_kind_name(rep.f[i].kind));
		ev->ok =
		    rep.f[i].kind != CHK_LOST && rep.f[i].kind != CHK_DIVERGED;
	}
	sb v = SB_INIT;
	chk_verdict(&rep, &v);
	trc_event *ev = trc_add(&r->trace, TRC_CHECK, NULL, "%s", sb_str(&v));
	sb_free(&v);
	trc_set(&ev->method, "verdict");
	ev->ok = rep.converged && rep.lost == 0;
	ev->status = rep.converged;
	chk_free(&rep);
	r->finished = 1;
	return 0;
}

