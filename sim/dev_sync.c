/*
** dev_sync.c: push, conflicts, pull, purge and manual resolution; see
** dev.h and docs/sync-model.md.
**
** Push follows the .NET legacy client's PushAction: one operation at a
** time in sequence order; the state becomes Attempted before the request
** and Failed on any error; a network error or a 401 aborts the push (the
** operation stays queued and no error row is written); every other error
** writes a row in __errors and the push goes on.  A 409/412 first meets the
** table's policy, as it would meet a custom IMobileServiceSyncHandler.
**
** Pull follows PullAction with the incremental strategy: pages of 50
** ordered by updatedAt, re-based on the largest updatedAt seen.
*/
#include "sim/dev_int.h"
#include "lib/xmem.h"
#include "sim/wire.h"

#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEV_PAGE_SIZE	50
/* A policy may re-push a row that meets a fresh conflict (the server
** changed again in between); after this many rounds the op is left in
** __errors rather than looping. */
#define DEV_MAX_ROUNDS	3
/* A server that keeps answering full pages without moving the token would
** loop forever; no real table here comes near this many pages. */
#define DEV_MAX_PAGES	100000

/* What happened to one operation during a push. */
enum dev_outcome {
	DEV_R_DONE,	/* it went through (or a policy settled it): removed */
	DEV_R_ERROR,	/* it stays queued with a row in __errors */
	DEV_R_ABORT,	/* network error or 401: the push stops */
	DEV_R_LOCAL,	/* the local store failed */
	DEV_R_RESEND	/* a policy sent a new request (internal) */
};

/* ---- requests ---------------------------------------------------------- */

static void
dev_request(http_req *req, const char *method, const char *path,
    const char *query, const cJSON *body)
{
	http_req_init(req, method, path, query);
	/* The backend answers 400 without it, as azure-mobile-apps does. */
	http_req_add_header(req, "ZUMO-API-VERSION", "2.0.0");
	if (body != NULL) {
		char *text = cJSON_PrintUnformatted(body);
		http_req_add_header(req, "Content-Type", "application/json");
		http_req_set_body(req, text != NULL ? text : "{}");
		cJSON_free(text);
	}
}

/* Sends req (consumed) over the device's link.  0 with resp filled, or -1
** when the request or its response was lost (resp then has status 0). */
static int
dev_send(dev *d, http_req *req, http_resp *resp, int *sent)
{
	int rc = -1;
	http_resp_init(resp, 0);
	if (sent != NULL)
		(*sent)++;
	if (d->env.send != NULL)
		rc = d->env.send(d->env.ud, d, req, resp);
	http_req_free(req);
	if (rc != 0) {
		http_resp_free(resp);
		http_resp_init(resp, 0);
		return -1;
	}
	return 0;
}

static char *
dev_path(const char *table, const char *id)
{
	return id != NULL ? xasprintf("/tables/%s/%s", table, id) :
	    xasprintf("/tables/%s", table);
}

/* A server row in a response body: an object with a string id and the
** system properties only the server sets (an echo of the request, as in
** a 409 on insert, has none).  NULL otherwise.  Caller owns it. */
static cJSON *
dev_server_row(const char *body)
{
	cJSON *row = body != NULL ? cJSON_Parse(body) : NULL;
	if (cJSON_IsObject(row) &&
	    cJSON_IsString(cJSON_GetObjectItemCaseSensitive(row, "id")) &&
	    cJSON_IsString(cJSON_GetObjectItemCaseSensitive(row, "updatedAt")))
		return row;
	cJSON_Delete(row);
	return NULL;
}

static const char *
dev_row_version(const cJSON *row)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(row, "version");
	return cJSON_IsString(v) && v->valuestring[0] != '\0' ?
	    v->valuestring : NULL;
}

/*
** Sends one write of an operation: POST for an insert, PATCH for an
** update, DELETE for a delete; If-Match carries version unless it is NULL
** (a last-writer-wins table never sends one).
*/
static int
dev_send_write(dev *d, const tbl_def *def, int kind, const char *id,
    const cJSON *body, const char *version, http_resp *resp,
    dev_push_result *res)
{
	http_req req;
	char *path = dev_path(def->name, kind == DEV_OP_INSERT ? NULL : id);
	static const char *const methods[] = { "POST", "PATCH", "DELETE" };
	dev_request(&req, methods[kind], path, NULL,
	    kind == DEV_OP_DELETE ? NULL : body);
	free(path);
	if (version != NULL && kind != DEV_OP_INSERT) {
		char *quoted = xasprintf("\"%s\"", version);
		http_req_add_header(&req, "If-Match", quoted);
		free(quoted);
	}
	return dev_send(d, &req, resp, &res->sent);
}

/* ---- push -------------------------------------------------------------- */

/* The op stays queued with an error row; the push goes on. */
static enum dev_outcome
dev_leave_failed(dev *d, const dev_op *op, int status, const char *item,
    const char *raw, dev_push_result *res, sb *err)
{
	if (dev_begin(d) != 0)
		goto local;
	if (dev_op_set_state(d, op->id, DEV_ST_FAILED) != 0 ||
	    dev_err_put(d, op, status, item, raw) != 0) {
		dev_rollback(d);
		goto local;
	}
	if (dev_commit(d) != 0) {
		dev_rollback(d);
		goto local;
	}
	res->errors++;
	return DEV_R_ERROR;
local:
	dev_store_err(d, err);
	return DEV_R_LOCAL;
}

static enum dev_outcome
dev_abort(dev *d, const dev_op *op, int status, sb *err)
{
	(void)dev_op_set_state(d, op->id, DEV_ST_FAILED);
	if (status == 401) {
		dev_trace(d, TRC_ERROR, op->table, op->item_id, NULL, "401 "
		    "Unauthorized: the push is cancelled "
		    "(CancelledByAuthenticationError); the %s stays in "
		    "__operations and no error row is written.",
		    dev_kind_name(op->kind));
		dev_errf(err, "push cancelled: 401 Unauthorized");
	} else {
		dev_trace(d, TRC_ERROR, op->table, op->item_id, NULL, "No "
		    "response: the push is cancelled (CancelledByNetworkError); "
		    "the %s stays in __operations, state Failed, and will be "
		    "sent again by the next push.", dev_kind_name(op->kind));
		dev_errf(err, "push cancelled: network error");
	}
	return DEV_R_ABORT;
}

/* A 2xx (or a 404 on DELETE): store the server's row, drop the op. */
static enum dev_outcome
dev_push_done(dev *d, const dev_op *op, const tbl_def *def,
    int kind_sent, const http_resp *resp, int after_conflict,
    dev_push_result *res, sb *err)
{
	cJSON *row = NULL;
	if (dev_begin(d) != 0)
		goto local;
	if (kind_sent != DEV_OP_DELETE) {
		row = dev_server_row(resp->body);
		if (row != NULL && dev_row_from_server(d, def, row, resp->body,
		    strlen(resp->body), err) != 0) {
			dev_rollback(d);
			cJSON_Delete(row);
			return DEV_R_LOCAL;
		}
	} else if (dev_row_delete(d, def->name, op->item_id) != 0 ||
	    dev_base_delete(d, def->name, op->item_id) != 0) {
		dev_rollback(d);
		goto local;
	}
	if (dev_op_remove(d, op->id, op->version) != 0 ||
	    dev_err_delete(d, op->id) != 0 || dev_commit(d) != 0) {
		dev_rollback(d);
		cJSON_Delete(row);
		goto local;
	}
	res->succeeded++;
	if (after_conflict)
		res->resolved++;
	if (kind_sent == DEV_OP_DELETE && resp->status == 404)
		dev_trace(d, TRC_DEQUEUE, op->table, op->item_id, "pushed",
		    "404 on a DELETE counts as success (the row is already "
		    "gone): the delete leaves __operations.");
	else
		dev_trace(d, TRC_DEQUEUE, op->table, op->item_id, "pushed",
		    "%d: the %s went through; %s and the operation leaves "
		    "__operations.", resp->status, dev_kind_name(op->kind),
		    row != NULL ? "the server's copy (new version) replaces the "
		    "local row" : "the local row is gone");
	cJSON_Delete(row);
	return DEV_R_DONE;
local:
	dev_store_err(d, err);
	return DEV_R_LOCAL;
}

/* The op's row as it was sent (for __errors.item). */
static char *
dev_op_item_text(dev *d, const dev_op *op, const tbl_def *def)
{
	if (op->kind == DEV_OP_DELETE)
		return xstrdup(op->item != NULL ? op->item : "{}");
	cJSON *row = dev_row_load(d, def, op->item_id);
	char *s = row != NULL ? cJSON_PrintUnformatted(row) : NULL;
	cJSON_Delete(row);
	char *out = xstrdup(s != NULL ? s : "{}");
	cJSON_free(s);
	return out;
}

static enum dev_outcome
dev_keep_queued(dev *d, const dev_op *op, const tbl_def *def,
    int status, const char *raw, dev_push_result *res, sb *err)
{
	char *item = dev_op_item_text(d, op, def);
	enum dev_outcome o = dev_leave_failed(d, op, status, item, raw, res,
	    err);
	free(item);
	return o;
}

/* Collapses the policy's sentences into one line for the trace. */
static void
dev_flatten(sb *why)
{
	for (size_t i = 0; i < why->len; i++)
		if (why->s[i] == '\n')
			why->s[i] = ' ';
	while (why->len > 0 && why->s[why->len - 1] == ' ')
		why->s[--why->len] = '\0';
}

/* The policy kind that decides a row with no fields to weigh: the
** table's, or a merge's fallback. */
static pol_kind
dev_row_kind(const pol_table *pol)
{
	return pol->spec.kind == POL_MERGE ? pol->spec.fallback :
	    pol->spec.kind;
}

/*
** Whether the table's policy settles an operation on a row the server no
** longer has (a PATCH answered 404, or the GET after a 409 answered 404).
** The real SDK records such a 404 in __errors like any other error, and
** that is what none and manual do (manual leaves it to dev_resolve).  An
** app that installs a sync handler handles it; the table's own policy
** decides, as for a delete in conflict (there are no fields to weigh), so
** a merge goes by its fallback.
*/
static int
dev_gone_handled(const pol_table *pol)
{
	pol_kind k = dev_row_kind(pol);
	return k != POL_NONE && k != POL_MANUAL;
}

/*
** The row is gone on the server and the policy handles that: the op is
** cancelled, the local row and its __base copy are deleted, and the trace
** says why.  how names the answer that showed it ("the PATCH answers
** 404").  DONE, or LOCAL when the store fails (nothing changed).
*/
static enum dev_outcome
dev_gone(dev *d, const dev_op *op, const tbl_def *def,
    const pol_table *pol, const char *how, int after_conflict,
    dev_push_result *res, sb *err)
{
	if (dev_begin(d) != 0 || dev_row_delete(d, def->name,
	    op->item_id) != 0 || dev_base_delete(d, def->name,
	    op->item_id) != 0 || dev_op_delete(d, op->id) != 0 ||
	    dev_commit(d) != 0) {
		dev_rollback(d);
		dev_store_err(d, err);
		return DEV_R_LOCAL;
	}
	int cw = dev_row_kind(pol) == POL_CLIENT_WINS;
	trc_event *e = dev_trace(d, TRC_RESOLVE, op->table, op->item_id,
	    "discard", "The row was deleted on the server (%s); a %s handler "
	    "cannot apply a change to a row that no longer exists, so the "
	    "local change is discarded%s.", how, pol_name(pol->spec.kind),
	    cw ? "; a handler could instead re-create the row (insert it "
	    "again), and synclab's does not" : "");
	if (e != NULL)
		e->status = 404;
	dev_trace(d, TRC_DEQUEUE, op->table, op->item_id, "discarded",
	    "The %s of %s leaves __operations without being applied, and the "
	    "local row is deleted: the device now agrees with the server.",
	    dev_kind_name(op->kind), op->item_id);
	res->succeeded++;
	if (after_conflict)
		res->resolved++;
	return DEV_R_DONE;
}

/* newest-edit-wins for a delete: the delete happened at the op's
** createdAt (device clock); the server's edit at its stamp. */
static pol_verdict
dev_delete_by_stamp(const pol_table *pol, const dev_op *op,
    const cJSON *server, sb *why)
{
	int64_t dms = INT64_MIN, sms = INT64_MIN;
	const cJSON *s = cJSON_GetObjectItemCaseSensitive(server,
	    pol->spec.stamp);
	if (op->created_at != NULL)
		(void)wire_parse_time(op->created_at, &dms, NULL);
	if (cJSON_IsString(s))
		(void)wire_parse_time(s->valuestring, &sms, NULL);
	if (dms > sms) {
		sb_addf(why, "The delete (device clock %s) is newer than the "
		    "server's edit stamp, so the delete is sent again with the "
		    "server's version.", op->created_at);
		return POL_V_PUSH_MERGED;
	}
	sb_addf(why, "The server's edit stamp is as new or newer than the "
	    "delete (device clock %s), so the server's row comes back.",
	    op->created_at != NULL ? op->created_at : "?");
	return POL_V_TAKE_SERVER;
}

/*
** A 409/412 met the table's policy.  Either settles the op (DONE), leaves
** it failed (ERROR), aborts, or sends a new write whose answer is in resp
** (RESEND, with *kind_sent updated).
*/
static enum dev_outcome
dev_conflict(dev *d, const dev_op *op, const tbl_def *def,
    const pol_table *pol, http_resp *resp, int *kind_sent,
    dev_push_result *res, sb *err)
{
	int status = resp->status;
	pol_kind pk = pol->spec.kind;
	int lww = pk == POL_LAST_WRITER_WINS;
	int insert_dup = status == 409 && *kind_sent == DEV_OP_INSERT;
	enum dev_outcome out;
	cJSON *server = NULL, *local = NULL, *base = NULL, *merged = NULL;
	char *raw = xstrdup(resp->body != NULL ? resp->body : "");
	sb why = SB_INIT;
	int gone = 0;

	trc_event *e;
	if (insert_dup)
		e = dev_trace(d, TRC_CONFLICT, op->table, op->item_id, NULL,
		    "409 Conflict: the server already has an item with id %s "
		    "(typically an insert retried after its response was "
		    "lost). The body only echoes the request, so it carries "
		    "no server row.", op->item_id);
	else if (status == 412)
		e = dev_trace(d, TRC_CONFLICT, op->table, op->item_id, NULL,
		    "412 Precondition Failed: the server's row changed since "
		    "this device last saw it, so the If-Match version is "
		    "stale; the body is the server's current row.");
	else
		e = dev_trace(d, TRC_CONFLICT, op->table, op->item_id, NULL,
		    "409 Conflict on the %s of %s.",
		    dev_kind_name(*kind_sent), op->item_id);
	if (e != NULL)
		e->status = status;
	res->conflicts++;

	if (!insert_dup)
		server = dev_server_row(resp->body);
	if (server == NULL && (pol->nfields > 0 ||
	    (pk != POL_NONE && pk != POL_LAST_WRITER_WINS))) {
		/* The policy needs the server's row (its version, or its
		** fields for per-field decisions): fetch it, as a sync
		** handler would with LookupAsync.  Whole-row none needs
		** nothing, and whole-row last-writer-wins simply overwrites. */
		http_req req;
		http_resp get;
		char *path = dev_path(def->name, op->item_id);
		dev_request(&req, "GET", path, NULL, NULL);
		free(path);
		if (dev_send(d, &req, &get, &res->sent) != 0) {
			out = dev_abort(d, op, 0, err);
			goto done;
		}
		res->last_status = get.status;
		if (get.status == 401) {
			http_resp_free(&get);
			out = dev_abort(d, op, 401, err);
			goto done;
		}
		if (get.status == 200)
			server = dev_server_row(get.body);
		if (server != NULL) {
			/* Kept as the error's rawResult: the 409 body only
			** echoed the request. */
			free(raw);
			raw = xstrdup(get.body);
		}
		gone = get.status == 404;
		http_resp_free(&get);
	}

	pol_verdict v;
	if (server == NULL && gone && dev_gone_handled(pol)) {
		/* The server knows the id only as a deleted row (GET answers
		** 404): there is nothing to merge with or to re-push over. */
		out = dev_gone(d, op, def, pol, "the GET after the conflict "
		    "answers 404", 1, res, err);
		goto done;
	}
	if (op->kind == DEV_OP_DELETE) {
		if (pk == POL_NEWEST_EDIT_WINS && server != NULL) {
			v = dev_delete_by_stamp(pol, op, server, &why);
			if (v == POL_V_PUSH_MERGED)
				merged = cJSON_CreateObject();
		} else
			v = pol_resolve(pol, NULL, NULL, server, &merged, &why);
	} else {
		local = dev_row_load(d, def, op->item_id);
		if (local == NULL) {
			out = dev_keep_queued(d, op, def, status, raw, res, err);
			goto done;
		}
		base = dev_base_get(d, def->name, op->item_id);
		v = pol_resolve(pol, base, local, server, &merged, &why);
	}
	if (v == POL_V_TAKE_SERVER && server == NULL)
		v = POL_V_KEEP_QUEUED;
	dev_flatten(&why);

	switch (v) {
	case POL_V_KEEP_QUEUED:
		dev_trace(d, TRC_RESOLVE, op->table, op->item_id, "keep-queued",
		    "%s The operation stays in __operations with state Failed "
		    "and its error in __errors; the next push will meet the same "
		    "%d%s.", sb_str(&why), status, pk == POL_MANUAL ?
		    " unless someone resolves it first" : "");
		out = dev_keep_queued(d, op, def, status, raw, res, err);
		break;
	case POL_V_TAKE_SERVER:
		/* raw is the text server was parsed from. */
		if (dev_begin(d) != 0 || dev_row_from_server(d, def, server,
		    raw, strlen(raw), err) != 0 ||
		    dev_op_delete(d, op->id) != 0 || dev_commit(d) != 0) {
			dev_rollback(d);
			if (sb_str(err)[0] == '\0')
				dev_store_err(d, err);
			out = DEV_R_LOCAL;
			break;
		}
		dev_trace(d, TRC_RESOLVE, op->table, op->item_id, "take-server",
		    "%s", sb_str(&why));
		dev_trace(d, TRC_DEQUEUE, op->table, op->item_id, "cancelled",
		    "The %s of %s leaves __operations, cancelled; the local row "
		    "is now the server's.", dev_kind_name(op->kind),
		    op->item_id);
		res->resolved++;
		res->succeeded++;
		out = DEV_R_DONE;
		break;
	case POL_V_PUSH_MERGED:
	default: {
		const char *version = lww || server == NULL ? NULL :
		    dev_row_version(server);
		dev_trace(d, TRC_RESOLVE, op->table, op->item_id, "push-merged",
		    "%s%s", insert_dup ? "The insert becomes an update (PATCH) "
		    "of the row the server already has. " : "", sb_str(&why));
		int kind = op->kind == DEV_OP_DELETE ? DEV_OP_DELETE :
		    DEV_OP_UPDATE;
		cJSON *body = NULL;
		if (kind == DEV_OP_UPDATE) {
			body = dev_row_body(def, merged != NULL ? merged : local);
			cJSON_DeleteItemFromObjectCaseSensitive(body, "id");
			cJSON_AddStringToObject(body, "id", op->item_id);
		}
		http_resp_free(resp);
		int rc = dev_send_write(d, def, kind, op->item_id, body, version,
		    resp, res);
		cJSON_Delete(body);
		*kind_sent = kind;
		out = rc == 0 ? DEV_R_RESEND : dev_abort(d, op, 0, err);
		break;
	}
	}
done:
	cJSON_Delete(server);
	cJSON_Delete(local);
	cJSON_Delete(base);
	cJSON_Delete(merged);
	free(raw);
	sb_free(&why);
	return out;
}

static enum dev_outcome
dev_push_op(dev *d, const dev_op *op, dev_push_result *res, sb *err)
{
	long ti = dev_find(d, op->table);
	if (ti < 0) {
		dev_trace(d, TRC_ERROR, op->table, op->item_id, NULL, "The "
		    "operation names a table this device does not define; it "
		    "is left in __errors.");
		return dev_leave_failed(d, op, 0, "{}", NULL, res, err);
	}
	const tbl_def *def = &d->defs[ti];
	const pol_table *pol = &d->pols[ti];
	int lww = pol->spec.kind == POL_LAST_WRITER_WINS;
	cJSON *row;
	if (op->kind == DEV_OP_DELETE) {
		row = op->item != NULL ? cJSON_Parse(op->item) : NULL;
		if (!cJSON_IsObject(row)) {
			cJSON_Delete(row);
			row = cJSON_CreateObject();
		}
	} else {
		row = dev_row_load(d, def, op->item_id);
		if (row == NULL) {
			/* PushAction.LoadOperationItem: a sync error with no
			** HTTP status.  The id is escaped: it may hold a
			** quote. */
			sb ib = SB_INIT;
			sb_add(&ib, "{\"id\":");
			sb_addjson(&ib, op->item_id);
			sb_add(&ib, "}");
			char *item = sb_take(&ib);
			dev_trace(d, TRC_ERROR, op->table, op->item_id, NULL,
			    "The %s's row is missing from the local table: a "
			    "sync error with no HTTP status is recorded in "
			    "__errors.", dev_kind_name(op->kind));
			enum dev_outcome o = dev_leave_failed(d, op, 0, item,
			    NULL, res, err);
			free(item);
			return o;
		}
	}
	if (dev_op_set_state(d, op->id, DEV_ST_ATTEMPTED) != 0) {
		cJSON_Delete(row);
		dev_store_err(d, err);
		return DEV_R_LOCAL;
	}
	if (lww && op->kind != DEV_OP_INSERT)
		dev_trace(d, TRC_NOTE, op->table, op->item_id,
		    "last-writer-wins", "last-writer-wins: the %s goes out with "
		    "no If-Match and no version, so the server cannot tell "
		    "whether someone else changed the row; the last write to "
		    "arrive silently wins.", dev_kind_name(op->kind));
	cJSON *body = op->kind == DEV_OP_DELETE ? NULL : dev_row_body(def, row);
	http_resp resp;
	int kind_sent = op->kind;
	int rc = dev_send_write(d, def, op->kind, op->item_id, body,
	    lww ? NULL : dev_row_version(row), &resp, res);
	cJSON_Delete(body);
	cJSON_Delete(row);

	enum dev_outcome out;
	for (int round = 0;; round++) {
		if (rc != 0) {
			out = dev_abort(d, op, 0, err);
			break;
		}
		int st = resp.status;
		res->last_status = st;
		if (st == 401) {
			out = dev_abort(d, op, 401, err);
			break;
		}
		if ((st >= 200 && st < 300) ||
		    (kind_sent == DEV_OP_DELETE && st == 404)) {
			out = dev_push_done(d, op, def, kind_sent, &resp,
			    round > 0, res, err);
			break;
		}
		if (kind_sent == DEV_OP_UPDATE && st == 404 &&
		    dev_gone_handled(pol)) {
			/* Another device deleted the row (or its PATCH after a
			** conflict found it deleted meanwhile). */
			out = dev_gone(d, op, def, pol, "the PATCH answers 404",
			    round > 0, res, err);
			break;
		}
		if ((st == 409 || st == 412) && round < DEV_MAX_ROUNDS) {
			out = dev_conflict(d, op, def, pol, &resp, &kind_sent,
			    res, err);
			if (out != DEV_R_RESEND)
				break;
			rc = 0;
			continue;
		}
		char *raw = xstrdup(resp.body != NULL ? resp.body : "");
		if (st == 409 || st == 412)
			dev_trace(d, TRC_ERROR, op->table, op->item_id, NULL,
			    "%d again after %d rounds of resolution: the "
			    "operation is left in __errors, state Failed.", st,
			    round);
		else
			dev_trace(d, TRC_ERROR, op->table, op->item_id, NULL,
			    "%d %s: the %s is recorded in __errors and stays "
			    "queued (state Failed); the push goes on with the "
			    "next operation.", st, http_reason(st),
			    dev_kind_name(op->kind));
		out = dev_keep_queued(d, op, def, st, raw, res, err);
		free(raw);
		break;
	}
	http_resp_free(&resp);
	return out;
}

/* Pushes the ops of one table (NULL: all), in sequence order. */
static dev_status
dev_push_some(dev *d, const char *table, dev_push_result *res, sb *err)
{
	int64_t seq = 0;
	dev_op op;
	for (;;) {
		int found = dev_op_next(d, table, seq, &op);
		if (found < 0) {
			dev_store_err(d, err);
			return DEV_FAILED;
		}
		if (found == 0)
			break;
		seq = op.sequence;
		enum dev_outcome o = dev_push_op(d, &op, res, err);
		if (o == DEV_R_ABORT || o == DEV_R_LOCAL) {
			dev_trace(d, TRC_NOTE, op.table, op.item_id, "push",
			    "The push stops here: %lld operation(s) remain in "
			    "__operations (MobileServicePushFailedException, "
			    "status %s).", (long long)dev_op_count(d, NULL),
			    o == DEV_R_LOCAL ? "CancelledBySyncStoreError" :
			    res->last_status == 401 ?
			    "CancelledByAuthenticationError" :
			    "CancelledByNetworkError");
			dev_op_free(&op);
			return o == DEV_R_ABORT ? DEV_ABORTED : DEV_FAILED;
		}
		dev_op_free(&op);
	}
	int64_t nerr = dev_err_count(d, table);
	if (nerr < 0) {
		dev_store_err(d, err);
		return DEV_FAILED;
	}
	if (nerr > 0) {
		dev_trace(d, TRC_NOTE, table, NULL, "push", "The push reached "
		    "the end with %lld operation(s) failed: the .NET client "
		    "throws MobileServicePushFailedException (status Complete, "
		    "with the errors); they stay in __operations.",
		    (long long)nerr);
		dev_errf(err, "%lld operation(s) failed; see __errors",
		    (long long)nerr);
		return DEV_CONFLICTS;
	}
	return DEV_OK;
}

/* err may be NULL: the messages still go to the trace. */
dev_status
dev_push(dev *d, dev_push_result *res, sb *err)
{
	dev_push_result local;
	sb tmp = SB_INIT;
	if (res == NULL)
		res = &local;
	memset(res, 0, sizeof *res);
	dev_status st = dev_push_some(d, NULL, res, err != NULL ? err : &tmp);
	sb_free(&tmp);
	return st;
}

/* ---- pull -------------------------------------------------------------- */

/* updatedAt as the .NET client stores its delta token: round-trip format,
** seven fractional digits and an explicit offset. */
static void
dev_token_format(int64_t ms, char out[64])
{
	char iso[32];
	wire_format_time(ms, iso);	/* 2026-03-02T09:00:00.000Z */
	char *z = strchr(iso, 'Z');
	if (z != NULL)
		*z = '\0';
	snprintf(out, 64, "%s0000+00:00", iso);
}

static const char dev_token_zero[] = "1970-01-01T00:00:00.0000000+00:00";

/*
** A page as the pull applies it.  The page reader (jx_page_read) takes
** nearly every page the backend sends: the values of its rows are spans
** of the text, bound as they are, and each row's text goes into __base as
** it came, with no cJSON tree and nothing printed again.  A page that the
** reader refuses, or that holds a value it cannot bind as written (a
** string or member name with escapes, a number longer than the 63 bytes
** cJSON reads), is parsed by cJSON and its rows' values are filled from
** the tree (dev_row_vals); the row texts stay the reader's when it read
** the page, else each row is printed from the tree.  Either way the rows
** go through the same loop, and tests/test_dev.c checks that both ways
** leave the same rows and __base copies.
*/
typedef struct dev_page {
	jx_page		 pg;
	cJSON		*doc;		/* the tree, when one was needed */
	const cJSON	**tree;		/* each row's object, when doc */
	jx_val		*v;		/* nv values per row */
	size_t		 nv;
	size_t		 n;		/* rows */
	size_t		 cap;		/* rows that v and tree hold */
	int		 spans;		/* pg holds each row's text */
} dev_page;

static void
dev_page_room(dev_page *p, size_t n)
{
	if (n <= p->cap)
		return;
	p->cap = n < 64 ? 64 : n;
	p->v = xreallocarray(p->v, p->cap, p->nv * sizeof *p->v);
	p->tree = xreallocarray(p->tree, p->cap, sizeof *p->tree);
}

static void
dev_page_free(dev_page *p)
{
	jx_page_free(&p->pg);
	cJSON_Delete(p->doc);
	free(p->tree);
	free(p->v);
}

/* The slot of a member name: the system columns first, then def's. */
static long
dev_page_slot(const tbl_def *def, const jx_val *k)
{
	static const char *const sys[TBL_NSYS_COLS] = { TBL_SYS_COLS };
	for (size_t i = 0; i < TBL_NSYS_COLS; i++)
		if (strlen(sys[i]) == k->n && memcmp(sys[i], k->s, k->n) == 0)
			return (long)i;
	for (size_t c = 0; c < def->ncols; c++)
		if (strlen(def->cols[c].name) == k->n &&
		    memcmp(def->cols[c].name, k->s, k->n) == 0)
			return (long)(TBL_NSYS_COLS + c);
	return -1;
}

/* Fills the values of every row from the reader's spans.  0, or -1 when
** a row holds something that only a tree gives right (see dev_page). */
static int
dev_page_spans(dev_page *p, const tbl_def *def)
{
	dev_page_room(p, p->pg.nrows);
	for (size_t r = 0; r < p->pg.nrows; r++) {
		jx_val *v = &p->v[r * p->nv];
		memset(v, 0, p->nv * sizeof *v);
		for (size_t k = p->pg.first[r]; k < p->pg.first[r + 1]; k++) {
			const jx_member *m = &p->pg.m[k];
			/* cJSON refuses a longer number: so does the pull. */
			if (m->key.esc || (m->val.kind == JX_NUMBER &&
			    m->val.n > 63))
				return -1;
			long slot = dev_page_slot(def, &m->key);
			/* The first of repeated names counts, as in cJSON. */
			if (slot < 0 || v[slot].kind != JX_ABSENT)
				continue;
			if (m->val.esc)
				return -1;
			v[slot] = m->val;
		}
	}
	p->n = p->pg.nrows;
	return 0;
}

/* Fills the values of every row from a cJSON tree of the body.  0, or -1
** when the body is not a page of rows. */
static int
dev_page_tree(dev_page *p, const tbl_def *def, const char *body)
{
	p->doc = cJSON_Parse(body);
	const cJSON *rows = p->doc;
	if (cJSON_IsObject(rows))	/* the $inlinecount form */
		rows = cJSON_GetObjectItemCaseSensitive(rows, "results");
	if (!cJSON_IsArray(rows))
		return -1;
	size_t n = (size_t)cJSON_GetArraySize(rows);
	if (p->spans && n != p->pg.nrows)
		p->spans = 0;
	dev_page_room(p, n);
	size_t r = 0;
	for (const cJSON *row = rows->child; row != NULL && r < n;
	    row = row->next, r++) {
		p->tree[r] = row;
		dev_row_vals(def, row, &p->v[r * p->nv]);
	}
	p->n = r;
	return 0;
}

/* Reads the rows of a response into p (what p held before is dropped).
** Returns 0, or -1 when the response is not a page of rows. */
static int
dev_page_load(dev_page *p, const tbl_def *def, const http_resp *resp)
{
	cJSON_Delete(p->doc);
	p->doc = NULL;
	p->n = 0;
	p->spans = 0;
	if (resp->status != 200 || resp->body == NULL)
		return -1;
	p->spans = jx_page_read(&p->pg, resp->body,
	    strlen(resp->body)) == 0;
	if (p->spans && dev_page_spans(p, def) == 0)
		return 0;
	return dev_page_tree(p, def, resp->body);
}

/* Where a pull of one table stands between its pages. */
typedef struct dev_pulling {
	char		 key[160];	/* the token's __config key */
	char		 token[64];	/* the delta token */
	int64_t		 token_ms;
	long		 skip;
	char		*path;		/* /tables/T */
	int		 done;		/* an empty page came */
	dev_page	 page;
} dev_pulling;

/* Applies the rows of the page inside the pull's transaction: a row with
** a pending operation is skipped, the others written.  *max_ms is raised
** to the newest updatedAt applied.  DEV_OK, or DEV_FAILED with err. */
static dev_status
dev_pull_rows(dev *d, const tbl_def *def, const dev_page *p, int *applied,
    int *skipped, int64_t *max_ms, sb *err)
{
	/* Most pulls meet a clean table (a dirty one was pushed first):
	** then no row needs its own look in the queue. */
	int dirty = dev_op_count(d, def->name) != 0;
	for (size_t r = 0; r < p->n; r++) {
		const jx_val *v = &p->v[r * p->nv];
		int64_t ms;
		if (v[0].kind != JX_STRING || v[2].kind != JX_STRING ||
		    !tbl_fits(TBL_DATE, &v[2], &ms)) {
			dev_errf(err, "pull of %s: the server sent a row "
			    "without an id or updatedAt", def->name);
			return DEV_FAILED;
		}
		int pending = dirty ? dev_op_pending(d, def->name, v[0].s,
		    v[0].n) : 0;
		if (pending < 0) {
			dev_store_err(d, err);
			return DEV_FAILED;
		}
		if (pending > 0) {
			/* A row with a pending operation is not overwritten:
			** the local edit wins until it is pushed. */
			(*skipped)++;
			continue;
		}
		if (ms > *max_ms)
			*max_ms = ms;
		if (dev_row_from_values(d, def, v,
		    p->spans ? p->pg.rows[r].s : NULL,
		    p->spans ? p->pg.rows[r].n : 0,
		    p->doc != NULL ? p->tree[r] : NULL, err) != 0)
			return DEV_FAILED;
		(*applied)++;
	}
	return DEV_OK;
}

/* Applies a loaded page of n rows in one transaction and moves the token
** (or $skip) past it.  DEV_OK, or DEV_FAILED with err. */
static dev_status
dev_pull_apply(dev *d, const tbl_def *def, dev_pulling *at, int page,
    dev_pull_result *res, sb *err)
{
	int applied = 0, skipped = 0, n = (int)at->page.n;
	int64_t max_ms = at->token_ms;
	if (dev_begin(d) != 0) {
		dev_store_err(d, err);
		return DEV_FAILED;
	}
	if (dev_pull_rows(d, def, &at->page, &applied, &skipped, &max_ms,
	    err) != DEV_OK) {
		dev_rollback(d);
		dev_trace(d, TRC_ERROR, def->name, NULL, "pull", "%s",
		    sb_str(err));
		return DEV_FAILED;
	}
	char note[200];
	int moved = max_ms > at->token_ms;
	if (moved) {
		/* Re-base on the newest row: rows that move to the end while
		** we page are met again, never skipped. */
		at->token_ms = max_ms;
		dev_token_format(max_ms, at->token);
		at->skip = 0;
		snprintf(note, sizeof note, "the delta token moves to %s and "
		    "the next page starts again at $skip=0", at->token);
	} else {
		at->skip += n;
		snprintf(note, sizeof note, "no newer updatedAt, so the token "
		    "stays and $skip becomes %ld", at->skip);
	}
	if ((moved && dev_config_put(d, at->key, at->token) != 0) ||
	    dev_commit(d) != 0) {
		dev_rollback(d);
		dev_store_err(d, err);
		return DEV_FAILED;
	}
	res->received += n;
	res->applied += applied;
	res->skipped += skipped;
	dev_trace(d, TRC_PULL, def->name, NULL, "page", "Page %d: %d row(s), "
	    "%d applied, %d skipped (pending local operations); %s.",
	    page + 1, n, applied, skipped, note);
	return DEV_OK;
}

/* Asks for one page, applies it and moves the token; at->done is set
** when an empty page ends the pull.  DEV_OK or the status that ends it. */
static dev_status
dev_pull_page(dev *d, const tbl_def *def, dev_pulling *at, int page,
    dev_pull_result *res, sb *err)
{
	char *filter = xasprintf("(updatedAt ge datetimeoffset'%s')",
	    at->token);
	char *efilter = http_escape(filter);
	char *query = xasprintf("$filter=%s&$orderby=updatedAt&$skip=%ld"
	    "&$top=%d&__includeDeleted=true", efilter, at->skip,
	    DEV_PAGE_SIZE);
	free(filter);
	free(efilter);
	http_req req;
	http_resp resp;
	dev_request(&req, "GET", at->path, query, NULL);
	free(query);
	res->pages++;
	if (dev_send(d, &req, &resp, NULL) != 0) {
		dev_trace(d, TRC_ERROR, def->name, NULL, "pull", "No response: "
		    "the pull stops; the token saved so far (%s) is kept, so "
		    "the next pull resumes there.", at->token);
		dev_errf(err, "pull of %s: network error", def->name);
		return DEV_ABORTED;
	}
	res->last_status = resp.status;
	dev_status out = DEV_OK;
	if (dev_page_load(&at->page, def, &resp) != 0) {
		dev_trace(d, TRC_ERROR, def->name, NULL, "pull", "The pull got "
		    "%d %s instead of a page of rows and stops.", resp.status,
		    http_reason(resp.status));
		dev_errf(err, "pull of %s: %d %s", def->name, resp.status,
		    http_reason(resp.status));
		out = resp.status == 401 ? DEV_ABORTED : DEV_FAILED;
	} else if (at->page.n == 0) {
		dev_trace(d, TRC_PULL, def->name, NULL, "done", "An empty page "
		    "ends the pull; the delta token stays at %s.", at->token);
		at->done = 1;
	} else
		out = dev_pull_apply(d, def, at, page, res, err);
	/* The page's spans point into the body: it goes last. */
	http_resp_free(&resp);
	cJSON_Delete(at->page.doc);
	at->page.doc = NULL;
	return out;
}

/* PullAction.HandleDirtyTable: a dirty table is pushed first, and a push
** that does not complete fails the pull.  DEV_OK or the push's status. */
static dev_status
dev_pull_dirty(dev *d, const tbl_def *def, dev_pull_result *res, sb *err)
{
	if (dev_op_count(d, def->name) <= 0)
		return DEV_OK;
	dev_push_result pr;
	memset(&pr, 0, sizeof pr);
	dev_trace(d, TRC_PULL, def->name, NULL, "push", "The table has "
	    "pending operations, so the pull pushes them first.");
	dev_status ps = dev_push_some(d, def->name, &pr, err);
	if (ps != DEV_OK) {
		dev_trace(d, TRC_ERROR, def->name, NULL, "pull", "The push "
		    "before the pull did not complete, so the pull fails too "
		    "(as PullAsync throws the push's exception); nothing is "
		    "downloaded.");
		res->last_status = pr.last_status;
	}
	return ps;
}

static dev_status
dev_pull_one(dev *d, const tbl_def *def, dev_pull_result *res, sb *err)
{
	dev_status out = dev_pull_dirty(d, def, res, err);
	if (out != DEV_OK)
		return out;
	dev_pulling at;
	memset(&at, 0, sizeof at);
	at.page.nv = TBL_NSYS_COLS + def->ncols;
	snprintf(at.key, sizeof at.key, "deltaToken|%s|%s", def->name,
	    def->name);
	if (dev_config_get(d, at.key, at.token, sizeof at.token) == NULL ||
	    wire_parse_time(at.token, &at.token_ms, NULL) != 0) {
		snprintf(at.token, sizeof at.token, "%s", dev_token_zero);
		at.token_ms = 0;
	}
	at.path = dev_path(def->name, NULL);
	for (int page = 0; out == DEV_OK && !at.done; page++) {
		if (page >= DEV_MAX_PAGES) {
			dev_errf(err, "pull of %s: more than %d pages without "
			    "an end", def->name, DEV_MAX_PAGES);
			out = DEV_FAILED;
			break;
		}
		out = dev_pull_page(d, def, &at, page, res, err);
	}
	free(at.path);
	dev_page_free(&at.page);
	return out;
}

/* The defined tables [*lo, *hi) that a pull or a purge of table covers
** (NULL: every one): DEV_OK, or DEV_FAILED with err and an empty range
** when there is no such table. */
static dev_status
dev_tables(dev *d, const char *table, size_t *lo, size_t *hi, sb *err)
{
	*lo = 0;
	*hi = d->ntables;
	if (table == NULL)
		return DEV_OK;
	long i = dev_find(d, table);
	if (i < 0) {
		dev_errf(err, "%s has no table %s", d->cfg.name, table);
		*hi = 0;
		return DEV_FAILED;
	}
	*lo = (size_t)i;
	*hi = *lo + 1;
	return DEV_OK;
}

/* err may be NULL: the messages still go to the trace. */
dev_status
dev_pull(dev *d, const char *table, dev_pull_result *res, sb *err)
{
	dev_pull_result local;
	sb tmp = SB_INIT;
	size_t lo, hi;
	if (res == NULL)
		res = &local;
	memset(res, 0, sizeof *res);
	if (err == NULL)
		err = &tmp;
	dev_status st = dev_tables(d, table, &lo, &hi, err);
	for (size_t i = lo; i < hi && st == DEV_OK; i++)
		st = dev_pull_one(d, &d->defs[i], res, err);
	sb_free(&tmp);
	return st;
}

/* ---- purge ------------------------------------------------------------- */

static dev_status
dev_purge_one(dev *d, const tbl_def *def, int force, sb *err)
{
	int64_t nops = dev_op_count(d, def->name);
	char sql[200], key[160];
	sqlite3_stmt *st;
	if (nops > 0 && !force) {
		dev_errf(err, "%s has %lld pending operation(s): the purge is "
		    "refused (PurgeAsync throws unless force is set)", def->name,
		    (long long)nops);
		dev_trace(d, TRC_ERROR, def->name, NULL, "purge", "%s",
		    sb_str(err));
		return DEV_FAILED;
	}
	if (dev_begin(d) != 0)
		goto local;
	/* A forced purge discards the table's operations and their errors
	** (the errors first: they are found through the operations); the
	** last statement resets the delta token. */
	static const char *const dels[] = {
		"DELETE FROM __errors WHERE id IN (SELECT id FROM __operations "
		    "WHERE tableName = ?1) OR tableName = ?1",
		"DELETE FROM __operations WHERE tableName = ?1",
		"DELETE FROM __base WHERE tableName = ?1",
		"DELETE FROM __config WHERE id = ?1",
	};
	snprintf(key, sizeof key, "deltaToken|%s|%s", def->name, def->name);
	for (size_t i = 0; i < sizeof dels / sizeof dels[0]; i++) {
		if (dev_prepare(d, dels[i], &st, err) != 0)
			goto rollback;
		sqlite3_bind_text(st, 1, i == 3 ? key : def->name, -1,
		    SQLITE_TRANSIENT);
		if (sqlite3_step(st) != SQLITE_DONE) {
			sqlite3_finalize(st);
			goto rollback;
		}
		sqlite3_finalize(st);
	}
	snprintf(sql, sizeof sql, "DELETE FROM \"%s\"", def->name);
	if (dev_exec(d, sql) != 0 || dev_commit(d) != 0)
		goto rollback;
	if (nops > 0)
		dev_trace(d, TRC_DEQUEUE, def->name, NULL, "discarded", "The "
		    "forced purge discards %lld pending operation(s) of %s and "
		    "their errors: those local changes will never reach the "
		    "server.", (long long)nops, def->name);
	dev_trace(d, TRC_NOTE, def->name, NULL, "purge", "Purged %s: every "
	    "local row is gone and the delta token is reset to %s, so the "
	    "next pull downloads the whole table again.", def->name,
	    dev_token_zero);
	return DEV_OK;
rollback:
	dev_rollback(d);
local:
	dev_store_err(d, err);
	return DEV_FAILED;
}

/* err may be NULL: the messages still go to the trace. */
dev_status
dev_purge(dev *d, const char *table, int force, sb *err)
{
	sb tmp = SB_INIT;
	size_t lo, hi;
	if (err == NULL)
		err = &tmp;
	dev_status st = dev_tables(d, table, &lo, &hi, err);
	for (size_t i = lo; i < hi && st == DEV_OK; i++)
		st = dev_purge_one(d, &d->defs[i], force, err);
	sb_free(&tmp);
	return st;
}

/* ---- conflicts left in __errors ---------------------------------------- */

/* The error row of (table, id) with its op: 1 found, 0 none, -1 error. */
static int
dev_err_find(dev *d, const char *table, const char *id, dev_op *op,
    int *status, char **raw)
{
	sqlite3_stmt *st = d->q[DEV_Q_ERR_FIND];
	*status = 0;
	*raw = NULL;
	memset(op, 0, sizeof *op);
	dev_bind_text(st, 1, table);
	dev_bind_text(st, 2, id);
	int rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		dev_q_end(st);
		return rc == SQLITE_DONE ? 0 : -1;
	}
	*status = sqlite3_column_int(st, 0);
	const unsigned char *r = sqlite3_column_text(st, 1);
	*raw = r != NULL ? xstrdup((const char *)r) : NULL;
	dev_q_end(st);
	if (dev_op_find(d, table, id, op) != 1) {
		free(*raw);
		*raw = NULL;
		return -1;
	}
	return 1;
}

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

static int
dev_resolve_do(dev *d, const char *table, const char *id, const cJSON *decision,
    sb *err)
{
	dev_op op;
	int status;
	char *raw = NULL;
	cJSON *server = NULL, *local = NULL;
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
	server = dev_server_row(raw);
	int gone = 0;
	int take_server = cJSON_IsString(decision) &&
	    strcmp(decision->valuestring, "server") == 0;
	if (dev_begin(d) != 0)
		goto local_err;
	if (take_server && server == NULL && status == 404) {
		/* The server said the row does not exist: taking the
		** server's side discards the op and the local row
		** (CancelAndDiscardItemAsync, then a local delete). */
		if (dev_row_delete(d, table, id) != 0 ||
		    dev_base_delete(d, table, id) != 0 ||
		    dev_op_delete(d, op.id) != 0) {
			dev_rollback(d);
			goto local_err;
		}
		gone = 1;
	} else if (take_server) {
		if (server == NULL) {
			dev_rollback(d);
			dev_errf(err, "%s/%s: the server's row is unknown, so it "
			    "cannot be taken; keep \"local\" instead", table, id);
			goto fail;
		}
		if (dev_row_from_server(d, def, server, raw, strlen(raw),
		    err) != 0 || dev_op_delete(d, op.id) != 0) {
			dev_rollback(d);
			goto fail;
		}
	} else if (op.kind == DEV_OP_DELETE) {
		/* Keep the delete: it is sent again with the server's
		** version in If-Match. */
		cJSON *item = op.item != NULL ? cJSON_Parse(op.item) : NULL;
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
		int rc = dev_op_rewrite(d, op.id, DEV_OP_DELETE, text);
		cJSON_free(text);
		if (rc != 0) {
			dev_rollback(d);
			goto local_err;
		}
	} else {
		local = dev_row_load(d, def, id);
		if (local == NULL) {
			dev_rollback(d);
			dev_errf(err, "%s/%s: the local row is missing", table,
			    id);
			goto fail;
		}
		/* Unnamed fields take the server's value; the row then
		** carries the server's version so the next push is not
		** stale (.NET UpdateOperationAsync). */
		for (size_t c = 0; c < def->ncols && server != NULL; c++) {
			const char *f = def->cols[c].name;
			if (dev_keep_local(decision, f))
				continue;
			const cJSON *sv = cJSON_GetObjectItemCaseSensitive(server,
			    f);
			cJSON_DeleteItemFromObjectCaseSensitive(local, f);
			cJSON_AddItemToObject(local, f, sv != NULL ?
			    cJSON_Duplicate(sv, 1) : cJSON_CreateNull());
		}
		cJSON_DeleteItemFromObjectCaseSensitive(local, "version");
		const char *v = server != NULL ? dev_row_version(server) : NULL;
		cJSON_AddItemToObject(local, "version", v != NULL ?
		    cJSON_CreateString(v) : cJSON_CreateNull());
		/* An insert the server already has becomes an update. */
		int kind = op.kind == DEV_OP_INSERT && (status == 409 ||
		    server != NULL) ? DEV_OP_UPDATE : op.kind;
		if (dev_row_write(d, def, local, err) != 0) {
			dev_rollback(d);
			goto fail;
		}
		if (dev_op_rewrite(d, op.id, kind, NULL) != 0) {
			dev_rollback(d);
			goto local_err;
		}
	}
	if (dev_commit(d) != 0) {
		dev_rollback(d);
		goto local_err;
	}
	if (gone) {
		dev_trace(d, TRC_RESOLVE, table, id, "discard", "Resolved by "
		    "hand: the server no longer has the row (404), so the %s and "
		    "the local row are discarded (CancelAndDiscardItemAsync).",
		    dev_kind_name(op.kind));
		dev_trace(d, TRC_DEQUEUE, table, id, "discarded", "The %s of %s "
		    "leaves __operations.", dev_kind_name(op.kind), id);
	} else if (take_server) {
		dev_trace(d, TRC_RESOLVE, table, id, "take-server", "Resolved by "
		    "hand: the server's row is kept and the %s is cancelled "
		    "(CancelAndUpdateItemAsync).", dev_kind_name(op.kind));
		dev_trace(d, TRC_DEQUEUE, table, id, "cancelled", "The %s of %s "
		    "leaves __operations.", dev_kind_name(op.kind), id);
	} else {
		dev_trace(d, TRC_RESOLVE, table, id, "push-merged", "Resolved by "
		    "hand: the chosen values are written locally with the "
		    "server's version, and the operation is Pending again "
		    "(UpdateOperationAsync); the next push sends it.");
	}
	cJSON_Delete(server);
	cJSON_Delete(local);
	free(raw);
	dev_op_free(&op);
	return 0;
local_err:
	dev_store_err(d, err);
fail:
	dev_trace(d, TRC_ERROR, table, id, NULL, "%s", sb_str(err));
	cJSON_Delete(server);
	cJSON_Delete(local);
	free(raw);
	dev_op_free(&op);
	return -1;
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
