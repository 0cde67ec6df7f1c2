/*
** dev_write.c: a device's local writes; see dev.h.
**
** Local writes follow MobileServiceSyncContext.ExecuteOperationAsync:
** validate against the pending operation of the same item, apply to the
** local table, collapse or enqueue.  Each runs inside one savepoint, so a
** refused write (a collapse ERROR, a bad value) changes nothing.  How a
** write collapses is the device's client profile's (prof_collapse_rule).
*/
#include "sim/dev_int.h"
#include "lib/xmem.h"
#include "sim/wire.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- local writes ----------------------------------------------------- */

/* Ids travel in URL paths: no '/', no control characters, at most 255
** bytes (the .NET client's limit). */
static int
dev_valid_id(const char *id)
{
	size_t n = strlen(id);
	if (n == 0 || n > 255)
		return 0;
	for (const unsigned char *p = (const unsigned char *)id; *p; p++)
		if (*p < 0x20 || *p == 0x7f || *p == '/' || *p == '?' ||
		    *p == '#' || *p == '\\')
			return 0;
	return 1;
}

static const tbl_def *
dev_def_or_err(dev *d, const char *table, sb *err, long *index)
{
	long i = dev_find(d, table);
	if (i < 0) {
		dev_errf(err, "%s has no table %s", d->cfg.name,
		    table != NULL ? table : "(none)");
		return NULL;
	}
	if (index != NULL)
		*index = i;
	return &d->defs[i];
}

/*
** Checks the user values of a write against the table definition: only
** known user columns, each of the right type.  System columns are the
** server's (an insert may carry its own id).
*/
static int
dev_check_values(const tbl_def *def, const cJSON *obj, int allow_id,
    sb *err)
{
	const cJSON *it;
	if (!cJSON_IsObject(obj)) {
		dev_errf(err, "%s: the values must be a JSON object", def->name);
		return -1;
	}
	cJSON_ArrayForEach(it, obj) {
		if (it->string == NULL)
			continue;
		if (allow_id && strcmp(it->string, "id") == 0)
			continue;
		const tbl_col *c = dev_col(def, it->string);
		if (c == NULL) {
			int sys = 0;
			for (size_t i = 0; i < TBL_NSYS_COLS; i++)
				if (strcmp(it->string, dev_sys_cols[i]) == 0)
					sys = 1;
			dev_errf(err, sys ? "%s: %s is a system property that "
			    "only the server sets" : "%s: no column %s",
			    def->name, it->string);
			return -1;
		}
		jx_val jv = jx_val_of(it);
		int ok = tbl_fits(c->type, &jv, NULL);
		if (!ok) {
			dev_errf(err, "%s: %s must be %s", def->name, it->string,
			    dev_type_name(c->type));
			return -1;
		}
	}
	return 0;
}

/* Writes the device clock into every newest-edit-wins stamp column. */
static void
dev_stamp(dev *d, long ti, cJSON *row)
{
	const pol_table *p = &d->pols[ti];
	char now[32];
	dev_clock_iso(d, now);
	const pol_spec *specs[64];
	size_t n = 0;
	specs[n++] = &p->spec;
	for (size_t i = 0; i < p->nfields && n < 64; i++)
		specs[n++] = &p->fields[i].spec;
	for (size_t i = 0; i < n; i++) {
		if (specs[i]->kind != POL_NEWEST_EDIT_WINS ||
		    specs[i]->stamp == NULL)
			continue;
		cJSON_DeleteItemFromObjectCaseSensitive(row, specs[i]->stamp);
		cJSON_AddStringToObject(row, specs[i]->stamp, now);
	}
}

/* A refused local write: its message goes to the trace too.  -1. */
static int
dev_fail(dev *d, const char *table, const char *id, sb *err)
{
	dev_trace(d, TRC_ERROR, table, id, NULL, "%s", sb_str(err));
	return -1;
}

/* Undoes a local write refused inside its savepoint: frees op, rolls the
** savepoint back and traces err.  -1. */
static int
dev_write_fail(dev *d, const char *table, const char *id, dev_op *op,
    sb *err)
{
	dev_op_free(op);
	dev_rollback(d);
	return dev_fail(d, table, id, err);
}

/* The collapse rule for a new write of kind nw, given what
** dev_write_begin found. */
static prof_collapse
dev_collapse(const dev *d, int found, const dev_op *op, int nw)
{
	return prof_collapse_rule(d->cfg.client, found > 0 ? op->kind : -1,
	    found > 0 && op->state != DEV_ST_PENDING, nw);
}

/*
** Opens the savepoint of a local write and reads the pending operation of
** (table, id) into op, which the caller frees: 1 found, 0 none (op zeroed),
** or -1 with err (when the savepoint was open, it is undone and err is
** traced, as dev_write_fail does).
*/
static int
dev_write_begin(dev *d, const char *table, const char *id, dev_op *op,
    sb *err)
{
	memset(op, 0, sizeof *op);
	if (dev_begin(d) != 0)
		return dev_store_err(d, err);
	int found = dev_op_find(d, table, id, op);
	if (found < 0) {
		dev_store_err(d, err);
		return dev_write_fail(d, table, id, op, err);
	}
	return found;
}

static int
dev_insert_do(dev *d, const char *table, const cJSON *row, sb *err)
{
	long ti;
	char idbuf[33];
	const char *id;
	dev_op op;
	const tbl_def *def = dev_def_or_err(d, table, err, &ti);
	if (def == NULL)
		return dev_fail(d, table, NULL, err);
	if (dev_check_values(def, row, 1, err) != 0)
		return dev_fail(d, table, NULL, err);
	const cJSON *jid = cJSON_GetObjectItemCaseSensitive(row, "id");
	if (jid != NULL && !cJSON_IsNull(jid)) {
		if (!cJSON_IsString(jid) || !dev_valid_id(jid->valuestring)) {
			dev_errf(err, "%s: an id must be a string of 1 to 255 "
			    "characters without '/', '?', '#' or '\\'", table);
			return dev_fail(d, table, NULL, err);
		}
		id = jid->valuestring;
	} else {
		/* The .NET client makes missing ids with Guid.ToString("N"). */
		dev_guid(d, idbuf);
		id = idbuf;
	}

	int found = dev_write_begin(d, table, id, &op, err);
	if (found < 0)
		return -1;
	if (found > 0) {
		dev_errf(err, "An insert operation on item %s cannot follow the "
		    "%s already in the queue (every client SDK refuses an "
		    "insert after any pending operation).", id,
		    dev_kind_name(op.kind));
		goto fail;
	}
	cJSON *old = dev_row_load(d, def, id);
	if (old != NULL) {
		cJSON_Delete(old);
		dev_errf(err, "%s: an item with id %s already exists in the "
		    "local table, so the insert is refused", table, id);
		goto fail;
	}
	cJSON *local = cJSON_CreateObject();
	const cJSON *it;
	cJSON_ArrayForEach(it, row)
		if (strcmp(it->string, "id") != 0)
			cJSON_AddItemToObject(local, it->string,
			    cJSON_Duplicate(it, 1));
	cJSON_AddStringToObject(local, "id", id);
	dev_stamp(d, ti, local);
	int rc = dev_row_write(d, def, local, err);
	cJSON_Delete(local);
	char op_id[33];
	if (rc != 0 || dev_op_enqueue(d, DEV_OP_INSERT, table, id, NULL, 1,
	    op_id) != 0) {
		if (rc == 0)
			dev_store_err(d, err);
		goto fail;
	}
	if (dev_commit(d) != 0) {
		dev_store_err(d, err);
		goto fail;
	}
	dev_trace(d, TRC_EDIT, table, id, "insert", "Inserted %s/%s in the "
	    "local store.", table, id);
	dev_trace(d, TRC_ENQUEUE, table, id, "insert", "An insert operation "
	    "for %s joins the end of __operations (version 1, Pending).", id);
	return 0;
fail:
	return dev_write_fail(d, table, id, &op, err);
}

/* err may be NULL: the messages still go to the trace. */
int
dev_insert(dev *d, const char *table, const cJSON *row, sb *err)
{
	sb tmp = SB_INIT;
	int rc = dev_insert_do(d, table, row, err != NULL ? err : &tmp);
	sb_free(&tmp);
	return rc;
}

static int
dev_update_do(dev *d, const char *table, const char *id, const cJSON *set,
    sb *err)
{
	long ti;
	dev_op op;
	const tbl_def *def = dev_def_or_err(d, table, err, &ti);
	if (def == NULL)
		return dev_fail(d, table, id, err);
	if (id == NULL) {
		dev_errf(err, "%s: an update needs an id", table);
		return dev_fail(d, table, NULL, err);
	}
	if (dev_check_values(def, set, 0, err) != 0)
		return dev_fail(d, table, id, err);
	int found = dev_write_begin(d, table, id, &op, err);
	if (found < 0)
		return -1;
	prof_collapse how = dev_collapse(d, found, &op, DEV_OP_UPDATE);
	if (how == PROF_C_REFUSE) {
		dev_errf(err, "An update operation on item %s cannot follow the "
		    "delete already in the queue (every client SDK refuses "
		    "it).", id);
		goto fail;
	}
	cJSON *local = dev_row_load(d, def, id);
	if (local == NULL) {
		dev_errf(err, "%s: no item with id %s in the local table, so "
		    "there is nothing to update", table, id);
		goto fail;
	}
	const cJSON *it;
	cJSON_ArrayForEach(it, set) {
		cJSON_DeleteItemFromObjectCaseSensitive(local, it->string);
		cJSON_AddItemToObject(local, it->string, cJSON_Duplicate(it, 1));
	}
	dev_stamp(d, ti, local);
	int rc = dev_row_write(d, def, local, err);
	cJSON_Delete(local);
	if (rc != 0)
		goto fail;
	char op_id[33];
	if (how == PROF_C_BUMP)
		rc = dev_op_bump(d, op.id);
	else if (how == PROF_C_ENQUEUE)
		rc = dev_op_enqueue(d, DEV_OP_UPDATE, table, id, NULL, 1, op_id);
	if (rc != 0 || dev_commit(d) != 0) {
		dev_store_err(d, err);
		goto fail;
	}
	dev_trace(d, TRC_EDIT, table, id, "update", "Updated %s/%s in the "
	    "local store.", table, id);
	if (how == PROF_C_BUMP)
		dev_trace(d, TRC_COLLAPSE, table, id, "update", "The update "
		    "collapses into the pending %s: %s raises its version from "
		    "%lld to %lld and discards the update itself; the push will "
		    "read the latest row.", dev_kind_name(op.kind),
		    prof_sdk(d->cfg.client), (long long)op.version,
		    (long long)op.version + 1);
	else if (how == PROF_C_KEEP)
		dev_trace(d, TRC_COLLAPSE, table, id, "update", "The update "
		    "collapses into the pending %s: the JavaScript client "
		    "leaves that entry as it is (no version to raise) and "
		    "queues nothing; the push will read the latest row.",
		    dev_kind_name(op.kind));
	else
		dev_trace(d, TRC_ENQUEUE, table, id, "update", "An update "
		    "operation for %s joins the end of __operations (version "
		    "1, Pending).", id);
	dev_op_free(&op);
	return 0;
fail:
	return dev_write_fail(d, table, id, &op, err);
}

/* err may be NULL: the messages still go to the trace. */
int
dev_update(dev *d, const char *table, const char *id, const cJSON *set,
    sb *err)
{
	sb tmp = SB_INIT;
	int rc = dev_update_do(d, table, id, set, err != NULL ? err : &tmp);
	sb_free(&tmp);
	return rc;
}

static int
dev_delete_do(dev *d, const char *table, const char *id, sb *err)
{
	dev_op op;
	char *item = NULL;
	const tbl_def *def = dev_def_or_err(d, table, err, NULL);
	if (def == NULL)
		return dev_fail(d, table, id, err);
	if (id == NULL) {
		dev_errf(err, "%s: a delete needs an id", table);
		return dev_fail(d, table, NULL, err);
	}
	int found = dev_write_begin(d, table, id, &op, err);
	if (found < 0)
		return -1;
	prof_collapse how = dev_collapse(d, found, &op, DEV_OP_DELETE);
	if (how == PROF_C_REFUSE && op.kind == DEV_OP_DELETE) {
		dev_errf(err, "A delete operation on item %s is already in the "
		    "queue (%s refuses a second one).", id,
		    prof_sdk(d->cfg.client));
		goto fail;
	}
	if (how == PROF_C_REFUSE) {
		dev_errf(err, "The insert of item %s was already attempted (state "
		    "%s), so the server may have it: %s refuses to cancel it "
		    "with a delete.", id, op.state == DEV_ST_ATTEMPTED ?
		    "Attempted" : "Failed", prof_sdk(d->cfg.client));
		goto fail;
	}
	if (how == PROF_C_DROP) {
		/* The JS client's getCondenseAction: nothing to record. */
		dev_rollback(d);
		dev_trace(d, TRC_COLLAPSE, table, id, "delete", "A delete of "
		    "%s is already in the JavaScript client's queue, so this "
		    "one changes nothing.", id);
		dev_op_free(&op);
		return 0;
	}
	cJSON *local = dev_row_load(d, def, id);
	if (local == NULL) {
		dev_errf(err, "%s: no item with id %s in the local table, so "
		    "there is nothing to delete", table, id);
		goto fail;
	}
	item = cJSON_PrintUnformatted(local);
	cJSON_Delete(local);
	char op_id[33];
	int rc = dev_row_delete(d, table, id);
	/* Delete after insert: both are cancelled and nothing is sent.
	** Delete after update (.NET, Datasync): the update goes and the
	** delete joins the end of the queue with version 2 (the collapsed
	** update counts).  The JS client turns the entry into a delete where
	** it stands, with the row's copy as its metadata. */
	if (rc == 0 && how == PROF_C_DELETE_IN_PLACE)
		rc = dev_op_rewrite(d, op.id, DEV_OP_DELETE, item);
	else if (rc == 0 && found > 0)
		rc = dev_op_delete(d, op.id);
	if (rc == 0 && (how == PROF_C_ENQUEUE || how == PROF_C_DELETE_AT_END))
		rc = dev_op_enqueue(d, DEV_OP_DELETE, table, id, item,
		    found > 0 ? 2 : 1, op_id);
	if (rc != 0 || dev_commit(d) != 0) {
		dev_store_err(d, err);
		goto fail;
	}
	dev_trace(d, TRC_EDIT, table, id, "delete", "Deleted %s/%s from the "
	    "local store.", table, id);
	if (how == PROF_C_CANCEL) {
		dev_trace(d, TRC_COLLAPSE, table, id, "delete", "The delete "
		    "cancels the pending insert, so nothing will be sent%s.",
		    prof_keeps_state(d->cfg.client) ? ": the server never saw "
		    "the row" : ". The JavaScript client keeps no record of "
		    "whether an earlier push already delivered the insert; if "
		    "one did (its answer lost), the row stays on the server");
		dev_trace(d, TRC_DEQUEUE, table, id, "cancelled", "The insert of "
		    "%s leaves __operations, cancelled by the delete.", id);
	} else if (how == PROF_C_DELETE_IN_PLACE) {
		dev_trace(d, TRC_COLLAPSE, table, id, "delete", "The delete "
		    "replaces the pending update in place: the JavaScript "
		    "client changes the entry's action to delete, so it keeps "
		    "its position in __operations and is pushed before "
		    "everything queued after the update.");
	} else if (found > 0) {
		dev_trace(d, TRC_COLLAPSE, table, id, "delete", "The delete "
		    "replaces the pending update.");
		dev_trace(d, TRC_DEQUEUE, table, id, "collapsed", "The update of "
		    "%s leaves __operations; the delete takes its place.", id);
		dev_trace(d, TRC_ENQUEUE, table, id, "delete", "A delete "
		    "operation for %s joins the END of __operations with "
		    "version 2, so it is pushed after everything queued "
		    "before it.", id);
	} else {
		dev_trace(d, TRC_ENQUEUE, table, id, "delete", "A delete "
		    "operation for %s joins the end of __operations (version "
		    "1, Pending); it keeps a copy of the row for its "
		    "If-Match version.", id);
	}
	cJSON_free(item);
	dev_op_free(&op);
	return 0;
fail:
	cJSON_free(item);
	return dev_write_fail(d, table, id, &op, err);
}

/* err may be NULL: the messages still go to the trace. */
int
dev_delete(dev *d, const char *table, const char *id, sb *err)
{
	sb tmp = SB_INIT;
	int rc = dev_delete_do(d, table, id, err != NULL ? err : &tmp);
	sb_free(&tmp);
	return rc;
}

