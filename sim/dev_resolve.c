/*
** dev_resolve.c: conflicts left in __errors and their manual
** resolution; see dev.h and docs/sync-model.md.
*/
#include "sim/dev_int.h"
#include "lib/xmem.h"
#include "sim/wire.h"

#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- conflicts left in __errors ---------------------------------------- */

cJSON *
dev_get_conflict(dev *d, const char *table, const char *id)
{
	dev_op op;
	int status;
	char *raw;
	long ti = dev_find(d, table);
	if (ti < 0 || id == NULL ||
	    dev_err_find(d, table, id, &op, &status, &raw) != 1)
		return NULL;
	cJSON *out = cJSON_CreateObject();
	cJSON *base = dev_base_get(d, table, id);
	cJSON *local = op.kind == DEV_OP_DELETE ? NULL :
	    dev_row_load(d, &d->defs[ti], id);
	cJSON *server = dev_server_row(raw);
	cJSON_AddItemToObject(out, "base", base ? base : cJSON_CreateNull());
	cJSON_AddItemToObject(out, "local", local ? local : cJSON_CreateNull());
	cJSON_AddItemToObject(out, "server", server ? server :
	    cJSON_CreateNull());
	cJSON_AddNumberToObject(out, "status", status);
	cJSON_AddStringToObject(out, "kind", dev_kind_name(op.kind));
	free(raw);
	dev_op_free(&op);
	return out;
}

/* "local"/"server" for a field under decision (an object or a string). */
static int
dev_keep_local(const cJSON *decision, const char *field)
{
	if (cJSON_IsString(decision))
		return strcmp(decision->valuestring, "local") == 0;
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(decision, field);
	return cJSON_IsString(v) && strcmp(v->valuestring, "local") == 0;
}

static int
dev_check_decision(const tbl_def *def, const cJSON *decision, sb *err)
{
	if (cJSON_IsString(decision) &&
	    (strcmp(decision->valuestring, "local") == 0 ||
	    strcmp(decision->valuestring, "server") == 0))
		return 0;
	if (!cJSON_IsObject(decision)) {
		dev_errf(err, "a decision is \"local\", \"server\" or an object "
		    "of field -> \"local\"/\"server\"");
		return -1;
	}
	const cJSON *it;
	cJSON_ArrayForEach(it, decision) {
		if (dev_col(def, it->string) == NULL) {
			dev_errf(err, "%s has no column %s", def->name,
			    it->string);
			return -1;
		}
		if (!cJSON_IsString(it) || (strcmp(it->valuestring, "local") != 0
		    && strcmp(it->valuestring, "server") != 0)) {
			dev_errf(err, "%s: the choice must be \"local\" or "
			    "\"server\"", it->string);
			return -1;
		}
	}
	return 0;
}

/* How one way of resolving went: done, a store error (err not yet set),
** or refused with err set.  The caller rolls back on anything but done. */
enum { DEV_RS_OK, DEV_RS_STORE, DEV_RS_FAIL };

/* The server said the row does not exist: taking the server's side
** discards the op and the local row (CancelAndDiscardItemAsync, then a
** local delete). */
static int
dev_resolve_gone(dev *d, const char *table, const char *id, const dev_op *op)
{
	if (dev_row_delete(d, table, id) != 0 ||
	    dev_base_delete(d, table, id) != 0 ||
	    dev_op_delete(d, op->id) != 0)
		return DEV_RS_STORE;
	return DEV_RS_OK;
}

/* The server's row replaces the local one and the op is cancelled. */
static int
dev_resolve_server(dev *d, const tbl_def *def, const char *table,
    const char *id, const dev_op *op, const cJSON *server, const char *raw,
    sb *err)
{
	if (server == NULL) {
		dev_errf(err, "%s/%s: the server's row is unknown, so it "
		    "cannot be taken; keep \"local\" instead", table, id);
		return DEV_RS_FAIL;
	}
	if (dev_row_from_server(d, def, server, raw, strlen(raw), err) != 0 ||
	    dev_op_delete(d, op->id) != 0)
		return DEV_RS_FAIL;
	return DEV_RS_OK;
}

/* Keeps the delete: it is sent again with the server's version in
** If-Match. */
static int
dev_resolve_delete(dev *d, const dev_op *op, const cJSON *server)
{
	cJSON *item = op->item != NULL ? cJSON_Parse(op->item) : NULL;
	if (!cJSON_IsObject(item)) {
		cJSON_Delete(item);
		item = cJSON_CreateObject();
	}
	const char *v = server != NULL ? dev_row_version(server) : NULL;
	cJSON_DeleteItemFromObjectCaseSensitive(item, "version");
	if (v != NULL)
		cJSON_AddStringToObject(item, "version", v);
	char *text = cJSON_PrintUnformatted(item);
	cJSON_Delete(item);
	int rc = dev_op_rewrite(d, op->id, DEV_OP_DELETE, text);
	cJSON_free(text);
	return rc != 0 ? DEV_RS_STORE : DEV_RS_OK;
}

/* Writes the chosen values locally with the server's version; the op is
** pending again. */
static int
dev_resolve_merge(dev *d, const tbl_def *def, const char *table,
    const char *id, const dev_op *op, int status, const cJSON *decision,
    const cJSON *server, sb *err)
{
	cJSON *local = dev_row_load(d, def, id);
	if (local == NULL) {
		dev_errf(err, "%s/%s: the local row is missing", table, id);
		return DEV_RS_FAIL;
	}
	/* Unnamed fields take the server's value; the row then carries the
	** server's version so the next push is not stale (.NET
	** UpdateOperationAsync). */
	for (size_t c = 0; c < def->ncols && server != NULL; c++) {
		const char *f = def->cols[c].name;
		if (dev_keep_local(decision, f))
			continue;
		const cJSON *sv = cJSON_GetObjectItemCaseSensitive(server, f);
		cJSON_DeleteItemFromObjectCaseSensitive(local, f);
		cJSON_AddItemToObject(local, f, sv != NULL ?
		    cJSON_Duplicate(sv, 1) : cJSON_CreateNull());
	}
	cJSON_DeleteItemFromObjectCaseSensitive(local, "version");
	const char *v = server != NULL ? dev_row_version(server) : NULL;
	cJSON_AddItemToObject(local, "version", v != NULL ?
	    cJSON_CreateString(v) : cJSON_CreateNull());
	/* An insert the server already has becomes an update. */
	int kind = op->kind == DEV_OP_INSERT && (status == 409 ||
	    server != NULL) ? DEV_OP_UPDATE : op->kind;
	int rc = DEV_RS_OK;
	if (dev_row_write(d, def, local, err) != 0)
		rc = DEV_RS_FAIL;
	else if (dev_op_rewrite(d, op->id, kind, NULL) != 0)
		rc = DEV_RS_STORE;
	cJSON_Delete(local);
	return rc;
}

/* The trace of a resolution that went through. */
static void
dev_resolve_note(dev *d, const char *table, const char *id, int kind,
    int gone, int take_server)
{
	if (gone) {
		dev_trace(d, TRC_RESOLVE, table, id, "discard", "Resolved by "
		    "hand: the server no longer has the row (404), so the %s and "
		    "the local row are discarded (CancelAndDiscardItemAsync).",
		    dev_kind_name(kind));
		dev_trace(d, TRC_DEQUEUE, table, id, "discarded", "The %s of %s "
		    "leaves __operations.", dev_kind_name(kind), id);
	} else if (take_server) {
		dev_trace(d, TRC_RESOLVE, table, id, "take-server", "Resolved by "
		    "hand: the server's row is kept and the %s is cancelled "
		    "(CancelAndUpdateItemAsync).", dev_kind_name(kind));
		dev_trace(d, TRC_DEQUEUE, table, id, "cancelled", "The %s of %s "
		    "leaves __operations.", dev_kind_name(kind), id);
	} else {
		dev_trace(d, TRC_RESOLVE, table, id, "push-merged", "Resolved by "
		    "hand: the chosen values are written locally with the "
		    "server's version, and the operation is Pending again "
		    "(UpdateOperationAsync); the next push sends it.");
	}
}

static int
dev_resolve_do(dev *d, const char *table, const char *id, const cJSON *decision,
    sb *err)
{
	dev_op op;
	int status;
	char *raw = NULL;
	long ti = dev_find(d, table);
	if (ti < 0 || id == NULL) {
		dev_errf(err, "%s has no table %s", d->cfg.name,
		    table != NULL ? table : "(none)");
		return -1;
	}
	const tbl_def *def = &d->defs[ti];
	if (dev_check_decision(def, decision, err) != 0)
		return -1;
	int found = dev_err_find(d, table, id, &op, &status, &raw);
	if (found != 1) {
		dev_errf(err, "%s/%s: no conflict to resolve on %s", table, id,
		    d->cfg.name);
		return -1;
	}
	cJSON *server = dev_server_row(raw);
	int take_server = cJSON_IsString(decision) &&
	    strcmp(decision->valuestring, "server") == 0;
	int gone = take_server && server == NULL && status == 404;
	int rc = DEV_RS_STORE;
	if (dev_begin(d) != 0)
		goto out;
	if (gone)
		rc = dev_resolve_gone(d, table, id, &op);
	else if (take_server)
		rc = dev_resolve_server(d, def, table, id, &op, server, raw,
		    err);
	else if (op.kind == DEV_OP_DELETE)
		rc = dev_resolve_delete(d, &op, server);
	else
		rc = dev_resolve_merge(d, def, table, id, &op, status,
		    decision, server, err);
	if (rc == DEV_RS_OK && dev_commit(d) != 0)
		rc = DEV_RS_STORE;
	if (rc != DEV_RS_OK)
		dev_rollback(d);
	else
		dev_resolve_note(d, table, id, op.kind, gone, take_server);
out:
	if (rc == DEV_RS_STORE)
		dev_store_err(d, err);
	if (rc != DEV_RS_OK)
		dev_trace(d, TRC_ERROR, table, id, NULL, "%s", sb_str(err));
	cJSON_Delete(server);
	free(raw);
	dev_op_free(&op);
	return rc == DEV_RS_OK ? 0 : -1;
}

/* err may be NULL: the messages still go to the trace. */
int
dev_resolve(dev *d, const char *table, const char *id, const cJSON *decision,
    sb *err)
{
	sb tmp = SB_INIT;
	int rc = dev_resolve_do(d, table, id, decision, err != NULL ? err : &tmp);
	sb_free(&tmp);
	return rc;
}
