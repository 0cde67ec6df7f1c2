/*
** sim_exec.c: running the action of one step (sim_int.h): a local edit,
** a push, pull, sync or purge, a change of a device's network, a wait, a
** push or plan step, or an identity step, and the notes the trace gets
** when a device action fails locally.
*/
#include "sim/sim.h"
#include "sim/sim_int.h"
#include "lib/xmem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
** After a device action.  The device narrates its own outcome (conflicts,
** a push stopped by the network); a local failure becomes a TRC_ERROR
** here unless the device recorded one since mark.
*/
void
sim_fail_note(sim *r, const char *name, const char *what, dev_status st,
    const sb *err, size_t mark)
{
	if (st != DEV_FAILED)
		return;
	for (size_t i = mark; i < r->trace.n; i++)
		if (r->trace.ev[i].type == TRC_ERROR)
			return;
	trc_add(&r->trace, TRC_ERROR, name, "%s failed: %s", what, sb_str(err));
}

/*
** After a local write: on success, the TRC_EDIT the device recorded gets
** the local row as it now is in its body (the transcript shows it and the
** checker compares it with the server's row); on failure the step is
** marked failed with a TRC_ERROR, unless the device recorded one already.
*/
static int
sim_edit_done(sim *r, dev *d, int rc, size_t mark, const char *what,
    const sb *err)
{
	if (rc != 0) {
		sim_fail_note(r, dev_name(d), what, DEV_FAILED, err, mark);
		return 1;
	}
	for (size_t i = mark; i < r->trace.n; i++) {
		trc_event *e = &r->trace.ev[i];
		if (e->type != TRC_EDIT || e->body || e->table == NULL ||
		    e->id == NULL)
			continue;
		cJSON *row = dev_get_row(d, e->table, e->id);
		if (row == NULL)
			continue;
		char *j = cJSON_PrintUnformatted(row);
		trc_set(&e->body, j);
		cJSON_free(j);
		cJSON_Delete(row);
	}
	return 0;
}

/* A push that, when it stops on a 401, gets one more try after the
** device's on401 policy renewed its token (sim_auth.h). */
dev_status
sim_push(sim *r, size_t di, dev_push_result *pr, sb *err)
{
	dev_status ds = dev_push(r->devs[di], pr, err);
	if (ds == DEV_ABORTED && sim_auth_retry(&r->auth, r->devs[di], di,
	    err)) {
		sb_reset(err);
		ds = dev_push(r->devs[di], pr, err);
	}
	return ds;
}

/* A step on the network of device di: it goes offline or online, loses
** requests or responses, or gets a new latency. */
static void
sim_exec_net(sim *r, const scn_step *st, size_t di)
{
	const char *name = st->device;
	sim_net *n = &r->net[di];
	switch (st->act) {
	case SCN_OFFLINE:
		n->online = 0;
		trc_add(&r->trace, TRC_NET, name, "%s goes offline", name);
		if (r->cloud)
			cloud_net(r->cloud, di, 0);
		break;
	case SCN_ONLINE:
		n->online = 1;
		trc_add(&r->trace, TRC_NET, name, "%s is back online", name);
		if (r->cloud)
			cloud_net(r->cloud, di, 1);
		break;
	case SCN_DROP_REQUEST:
		n->drop_requests += st->count;
		trc_add(&r->trace, TRC_NET, name,
		    "the next %d request%s from %s "
		    "will be lost",
		    n->drop_requests, n->drop_requests == 1 ? "" : "s", name);
		break;
	case SCN_DROP_RESPONSE:
		n->drop_responses += st->count;
		trc_add(&r->trace, TRC_NET, name,
		    "the responses to the next %d "
		    "request%s from %s will be lost",
		    n->drop_responses, n->drop_responses == 1 ? "" : "s", name);
		break;
	case SCN_LATENCY:
		n->latency_ms = st->ms;
		trc_add(&r->trace, TRC_NET, name, "%s's latency is now %lld ms "
		    "each way", name, (long long)st->ms);
		break;
	default:
		break;
	}
}

/* A push, pull, sync or purge of the device.  Returns 1 when it failed
** locally. */
static int
sim_exec_sync(sim *r, size_t di, const scn_step *st, size_t mark, sb *err)
{
	dev *d = r->devs[di];
	const char *name = st->device;
	dev_push_result pr;
	dev_pull_result pl;
	dev_status ds;
	switch (st->act) {
	case SCN_PUSH:
		ds = sim_push(r, di, &pr, err);
		sim_fail_note(r, name, "the push", ds, err, mark);
		break;
	case SCN_PULL:
		ds = dev_pull_pages(d, st->table, st->pages, &pl, err);
		if (ds == DEV_ABORTED && sim_auth_retry(&r->auth, d, di, err))
			ds = dev_pull_pages(d, st->table, st->pages, &pl, err);
		sim_fail_note(r, name, "the pull", ds, err, mark);
		break;
	case SCN_SYNC:
		ds = sim_push(r, di, &pr, err);
		if (ds != DEV_OK) {
			sim_fail_note(r, name, "the push", ds, err, mark);
			trc_add(&r->trace, TRC_NOTE, name,
			    "the sync stops before "
			    "pulling, as an app's SyncAsync does when "
			    "PushAsync "
			    "throws");
			break;
		}
		ds = dev_pull(d, NULL, &pl, err);
		sim_fail_note(r, name, "the pull", ds, err, mark);
		break;
	default:	/* SCN_PURGE */
		ds = dev_purge(d, st->table, st->force, err);
		sim_fail_note(r, name, "the purge", ds, err, mark);
		break;
	}
	return ds == DEV_FAILED;
}

/* Runs the action of a step; the trace already has its TRC_STEP.
** Returns 1 when the action failed locally (expect "failed"). */
int
sim_exec(sim *r, const scn_step *st)
{
	int di = st->device ? sim_dev_index(r, st->device) : -1;
	dev *d = di >= 0 ? r->devs[di] : NULL;
	sb err = SB_INIT;
	size_t mark = r->trace.n;
	int failed = 0;
	if (r->cloud)
		cloud_step_begin(r->cloud);
	if (st->act != SCN_WAIT && st->act != SCN_SEND &&
	    st->act != SCN_SCALE && d == NULL) {
		trc_add(&r->trace, TRC_ERROR, NULL, "unknown device \"%s\"",
		    st->device ? st->device : "");
		return 1;
	}
	switch (st->act) {
	case SCN_INSERT:
		failed =
		    sim_edit_done(r, d, dev_insert(d, st->table, st->row, &err),
			mark, "insert", &err);
		break;
	case SCN_UPDATE:
		failed = sim_edit_done(r, d,
		    dev_update(d, st->table, st->id, st->row, &err), mark,
		    "update", &err);
		break;
	case SCN_DELETE:
		failed =
		    sim_edit_done(r, d, dev_delete(d, st->table, st->id, &err),
			mark, "delete", &err);
		break;
	case SCN_RESOLVE:
		failed = sim_edit_done(r, d,
		    dev_resolve(d, st->table, st->id, st->row, &err), mark,
		    "resolve", &err);
		break;
	case SCN_PUSH:
	case SCN_PULL:
	case SCN_SYNC:
	case SCN_PURGE:
		failed = sim_exec_sync(r, (size_t)di, st, mark, &err);
		break;
	case SCN_OFFLINE:
	case SCN_ONLINE:
	case SCN_DROP_REQUEST:
	case SCN_DROP_RESPONSE:
	case SCN_LATENCY:
		sim_exec_net(r, st, (size_t)di);
		break;
	case SCN_WAIT:
		sim_set_t(r, r->t + st->ms);
		break;
	case SCN_REGISTER: case SCN_UNREGISTER: case SCN_TAG: case SCN_SEND:
	case SCN_SCALE:
		failed = r->cloud == NULL || cloud_exec(r->cloud, st);
		break;
	case SCN_SIGNIN:
	case SCN_SIGNOUT:
	case SCN_REFRESH:
	case SCN_TAMPER:
	case SCN_STEAL:
		failed = sim_auth_exec(&r->auth, st, r->devs, (size_t)di,
		    &err);
		sim_fail_note(r, st->device, scn_action_name(st->act), failed ?
		    DEV_FAILED : DEV_OK, &err, mark);
		break;
	}
	if (r->cloud)	/* devices act on the notifications that came */
		cloud_step_end(r->cloud);
	sb_free(&err);
	return failed;
}
