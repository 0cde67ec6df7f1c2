/*
** dev_sync.c: the requests a device sends, and push with its conflicts
** and policies; see dev.h and docs/sync-model.md.  Pull and purge are in
** dev_pull.c, manual resolution in dev_resolve.c.
**
** Push follows the .NET legacy client's PushAction: one operation at a
** time in sequence order; the state becomes Attempted before the request
** and Failed on any error; a network error or a 401 aborts the push (the
** operation stays queued and no error row is written); every other error
** writes a row in __errors and the push goes on.  A 409/412 first meets the
** table's policy, as it would meet a custom IMobileServiceSyncHandler.
**
** The other profiles differ where their SDKs do (prof.h): the JavaScript
** client keeps no queue state, calls onConflict for a 409/412 but stops
** the push on any other error (push() rejects), and takes no 404 on a
** DELETE for success; the Datasync client sends PUT, takes 404 or 410 on
** a DELETE for success, has no per-operation conflict hook (its conflicts
** are settled once the push has thrown PushFailedException, and what the
** app sends then comes after every other operation), and at the end
** keeps only the 409/412 rows of __errors; synclab keeps the others too,
** as it keeps the rows the legacy .NET client clears (the trace says so),
** so that they can be seen and resolved.
*/
#include "sim/dev_int.h"
#include "lib/xmem.h"
#include "sim/wire.h"

#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A policy may re-push a row that meets a fresh conflict (the server
** changed again in between); after this many rounds the op is left in
** __errors rather than looping. */
#define DEV_MAX_ROUNDS	3

/* How a 409/412 is met: by the SDK's per-operation hook (.NET sync
** handler, js onConflict), recorded for later (Datasync during the push),
** or settled later (Datasync after the push). */
enum dev_meet { DEV_MEET_HOOK, DEV_MEET_DEFER, DEV_MEET_LATER };

/* What happened to one operation during a push. */
enum dev_outcome {
	DEV_R_DONE,	/* it went through (or a policy settled it): removed */
	DEV_R_ERROR,	/* it stays queued with a row in __errors */
	DEV_R_ABORT,	/* network error or 401: the push stops */
	DEV_R_LOCAL,	/* the local store failed */
	DEV_R_RESEND	/* a policy sent a new request (internal) */
};

/* ---- requests ---------------------------------------------------------- */

void
dev_request(const dev *d, http_req *req, const char *method,
    const char *path, const char *query, const cJSON *body)
{
	http_req_init(req, method, path, query);
	/* The backend answers 400 without it, as azure-mobile-apps does. */
	http_req_add_header(req, "ZUMO-API-VERSION",
	    prof_api_version(d->cfg.client));
	if (body != NULL) {
		char *text = cJSON_PrintUnformatted(body);
		http_req_add_header(req, "Content-Type", "application/json");
		http_req_set_body(req, text != NULL ? text : "{}");
		cJSON_free(text);
	}
}

int
dev_send(dev *d, http_req *req, http_resp *resp, int *sent)
{
	int rc = -1;
	http_resp_init(resp, 0);
	if (sent != NULL)
		(*sent)++;
	dev_auth_stamp(d, req);
	if (d->env.send != NULL)
		rc = d->env.send(d->env.ud, d, req, resp);
	if (rc == 0)
		dev_auth_seen(d, req, resp);
	http_req_free(req);
	if (rc != 0) {
		http_resp_free(resp);
		http_resp_init(resp, 0);
		return -1;
	}
	return 0;
}

char *
dev_path(const char *table, const char *id)
{
	return id != NULL ? xasprintf("/tables/%s/%s", table, id) :
	    xasprintf("/tables/%s", table);
}

cJSON *
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

const char *
dev_row_version(const cJSON *row)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(row, "version");
	return cJSON_IsString(v) && v->valuestring[0] != '\0' ?
	    v->valuestring : NULL;
}

/*
** Sends one write of an operation: POST for an insert, PATCH (PUT on a
** Datasync device) for an update, DELETE for a delete; If-Match carries
** version unless it is NULL (a last-writer-wins table never sends one).
*/
static int
dev_send_write(dev *d, const tbl_def *def, int kind, const char *id,
    const cJSON *body, const char *version, http_resp *resp,
    dev_push_result *res)
{
	http_req req;
	char *path = dev_path(def->name, kind == DEV_OP_INSERT ? NULL : id);
	const char *method = kind == DEV_OP_INSERT ? "POST" :
	    kind == DEV_OP_DELETE ? "DELETE" : prof_update_method(d->cfg.client);
	dev_request(d, &req, method, path, NULL,
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
	if (dev_op_mark(d, op->id, DEV_ST_FAILED) != 0 ||
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
	(void)dev_op_mark(d, op->id, DEV_ST_FAILED);
	if (d->cfg.client == PROF_JS) {
		/* The JavaScript client's push.js: not a conflict, so onError;
		** unhandled, push() rejects. */
		if (status == 0 || status == 401)
			dev_trace(d, TRC_ERROR, op->table, op->item_id, NULL,
			    "%s: the JavaScript client's push() rejects; the %s "
			    "stays in __operations and will be sent again by "
			    "the next push.", status == 0 ? "No response" :
			    "401 Unauthorized", dev_kind_name(op->kind));
		else
			dev_trace(d, TRC_ERROR, op->table, op->item_id, NULL,
			    "%d %s: not a conflict, so the JavaScript client "
			    "calls onError, no handler settles it, and push() "
			    "rejects with the error: the %s and everything "
			    "queued after it stay in __operations. synclab keeps "
			    "the error in __errors for you to see and resolve "
			    "(the JavaScript client has no such table).", status,
			    http_reason(status), dev_kind_name(op->kind));
		dev_errf(err, "push() rejected: %s", status == 0 ?
		    "network error" : http_reason(status));
	} else if (status == 401) {
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
	if (kind_sent == DEV_OP_DELETE && (resp->status == 404 ||
	    resp->status == 410))
		dev_trace(d, TRC_DEQUEUE, op->table, op->item_id, "pushed",
		    "%d on a DELETE counts as success for %s (the row is "
		    "already gone): the delete leaves __operations.",
		    resp->status, prof_sdk(d->cfg.client));
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

/* What becomes of an operation left failed, in the words of the device's
** SDK. */
static const char *
dev_kept_text(const dev *d)
{
	return d->cfg.client == PROF_JS ? "The operation stays in "
	    "__operations and the conflict joins the array push() resolves "
	    "with (synclab keeps it in __errors for you; the JavaScript "
	    "client has no such table)" : "The operation stays in "
	    "__operations with state Failed and its error goes to __errors";
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

/* One 409/412 being settled: what the server said and what the policy
** made of it.  The rows are owned (freed by dev_clash_free). */
typedef struct dev_clash {
	const dev_op	*op;
	const tbl_def	*def;
	const pol_table	*pol;
	int		 status;
	int		 insert_dup;	/* a 409 on an insert: no server row */
	cJSON		*server, *local, *base, *merged;
	char		*raw;		/* the error's rawResult */
	sb		 why;		/* the policy's reasons */
} dev_clash;

static void
dev_clash_free(dev_clash *c)
{
	cJSON_Delete(c->server);
	cJSON_Delete(c->local);
	cJSON_Delete(c->base);
	cJSON_Delete(c->merged);
	free(c->raw);
	sb_free(&c->why);
}

/* Who meets a 409/412 on the device's SDK. */
static const char *
dev_clash_who(const dev *d, int status)
{
	switch (d->cfg.client) {
	case PROF_JS:
		return status == 412 ? "The JavaScript client calls "
		    "onConflict(pushError); getServerRecord() gives the "
		    "server's row." : "The JavaScript client calls "
		    "onConflict(pushError); on a 409 getServerRecord() gives "
		    "nothing.";
	case PROF_DATASYNC:
		return "The Datasync client has no per-operation conflict "
		    "hook: the DatasyncConflictException is recorded in "
		    "__errors (state Failed) and the push goes on.";
	default:
		return status == 412 ? "The sync handler meets it as a "
		    "MobileServicePreconditionFailedException." : "The sync "
		    "handler meets it as a MobileServiceConflictException.";
	}
}

/* The trace event of the conflict, worded by what it is. */
static void
dev_clash_note(dev *d, const dev_clash *c, int kind_sent)
{
	const dev_op *op = c->op;
	const char *who = dev_clash_who(d, c->status);
	trc_event *e;
	if (c->insert_dup)
		e = dev_trace(d, TRC_CONFLICT, op->table, op->item_id, NULL,
		    "409 Conflict: the server already has an item with id %s "
		    "(typically an insert retried after its response was "
		    "lost). The body only echoes the request, so it carries "
		    "no server row. %s", op->item_id, who);
	else if (c->status == 412)
		e = dev_trace(d, TRC_CONFLICT, op->table, op->item_id, NULL,
		    "412 Precondition Failed: the server's row changed since "
		    "this device last saw it, so the If-Match version is "
		    "stale; the body is the server's current row. %s", who);
	else
		e = dev_trace(d, TRC_CONFLICT, op->table, op->item_id, NULL,
		    "409 Conflict on the %s of %s. %s",
		    dev_kind_name(kind_sent), op->item_id, who);
	if (e != NULL)
		e->status = c->status;
}

/*
** The policy needs the server's row (its version, or its fields for
** per-field decisions): fetch it, as a sync handler would with
** LookupAsync.  0 (c->server set when the GET found it, *gone when it
** answered 404), or -1 with *out when the push must abort.
*/
static int
dev_clash_fetch(dev *d, dev_clash *c, dev_push_result *res, int *gone,
    enum dev_outcome *out, sb *err)
{
	http_req req;
	http_resp get;
	char *path = dev_path(c->def->name, c->op->item_id);
	dev_request(d, &req, "GET", path, NULL, NULL);
	free(path);
	if (dev_send(d, &req, &get, &res->sent) != 0) {
		*out = dev_abort(d, c->op, 0, err);
		return -1;
	}
	res->last_status = get.status;
	if (get.status == 401) {
		http_resp_free(&get);
		*out = dev_abort(d, c->op, 401, err);
		return -1;
	}
	if (get.status == 200)
		c->server = dev_server_row(get.body);
	if (c->server != NULL) {
		/* Kept as the error's rawResult: the 409 body only echoed
		** the request. */
		free(c->raw);
		c->raw = xstrdup(get.body);
	}
	*gone = get.status == 404;
	http_resp_free(&get);
	return 0;
}

/* The policy's verdict on the conflict (reasons in c->why), or -1 when
** the local row is missing (the op then stays queued). */
static int
dev_clash_judge(dev *d, dev_clash *c, pol_verdict *v)
{
	const dev_op *op = c->op;
	if (op->kind == DEV_OP_DELETE) {
		if (c->pol->spec.kind == POL_NEWEST_EDIT_WINS &&
		    c->server != NULL) {
			*v = dev_delete_by_stamp(c->pol, op, c->server,
			    &c->why);
			if (*v == POL_V_PUSH_MERGED)
				c->merged = cJSON_CreateObject();
		} else
			*v = pol_resolve(c->pol, NULL, NULL, c->server,
			    &c->merged, &c->why);
	} else {
		c->local = dev_row_load(d, c->def, op->item_id);
		if (c->local == NULL)
			return -1;
		c->base = dev_base_get(d, c->def->name, op->item_id);
		*v = pol_resolve(c->pol, c->base, c->local, c->server,
		    &c->merged, &c->why);
	}
	if (*v == POL_V_TAKE_SERVER && c->server == NULL)
		*v = POL_V_KEEP_QUEUED;
	dev_flatten(&c->why);
	return 0;
}

/* The server's row replaces the local one and the op is cancelled. */
static enum dev_outcome
dev_clash_take_server(dev *d, dev_clash *c, dev_push_result *res, sb *err)
{
	const dev_op *op = c->op;
	/* raw is the text server was parsed from. */
	if (dev_begin(d) != 0 || dev_row_from_server(d, c->def, c->server,
	    c->raw, strlen(c->raw), err) != 0 ||
	    dev_op_delete(d, op->id) != 0 || dev_commit(d) != 0) {
		dev_rollback(d);
		if (sb_str(err)[0] == '\0')
			dev_store_err(d, err);
		return DEV_R_LOCAL;
	}
	dev_trace(d, TRC_RESOLVE, op->table, op->item_id, "take-server",
	    "%s", sb_str(&c->why));
	dev_trace(d, TRC_DEQUEUE, op->table, op->item_id, "cancelled",
	    "The %s of %s leaves __operations, cancelled; the local row "
	    "is now the server's.", dev_kind_name(op->kind),
	    op->item_id);
	res->resolved++;
	res->succeeded++;
	return DEV_R_DONE;
}

/* The merged row (or the delete) is sent again; its answer is in resp. */
static enum dev_outcome
dev_clash_push_merged(dev *d, dev_clash *c, http_resp *resp, int *kind_sent,
    dev_push_result *res, sb *err)
{
	const dev_op *op = c->op;
	int lww = c->pol->spec.kind == POL_LAST_WRITER_WINS;
	const char *version = lww || c->server == NULL ? NULL :
	    dev_row_version(c->server);
	dev_trace(d, TRC_RESOLVE, op->table, op->item_id, "push-merged",
	    "%s%s%s%s", c->insert_dup ? "The insert becomes an update (" :
	    "", c->insert_dup ? prof_update_method(d->cfg.client) : "",
	    c->insert_dup ? ") of the row the server already has. " : "",
	    sb_str(&c->why));
	int kind = op->kind == DEV_OP_DELETE ? DEV_OP_DELETE : DEV_OP_UPDATE;
	cJSON *body = NULL;
	if (kind == DEV_OP_UPDATE) {
		body = dev_row_body(c->def, c->merged != NULL ? c->merged :
		    c->local);
		cJSON_DeleteItemFromObjectCaseSensitive(body, "id");
		cJSON_AddStringToObject(body, "id", op->item_id);
	}
	http_resp_free(resp);
	int rc = dev_send_write(d, c->def, kind, op->item_id, body, version,
	    resp, res);
	cJSON_Delete(body);
	*kind_sent = kind;
	return rc == 0 ? DEV_R_RESEND : dev_abort(d, op, 0, err);
}

/* 1 when the table's policy does something with a conflict (none and
** manual leave it in __errors). */
static int
dev_pol_acts(const pol_table *pol)
{
	return pol->spec.kind != POL_NONE && pol->spec.kind != POL_MANUAL;
}

/*
** A 409/412 met the table's policy (meet: when, see dev_meet).  Either
** settles the op (DONE), leaves it failed (ERROR), aborts, or sends a new
** write whose answer is in resp (RESEND, with *kind_sent updated).
*/
static enum dev_outcome
dev_conflict(dev *d, const dev_op *op, const tbl_def *def,
    const pol_table *pol, http_resp *resp, int *kind_sent,
    enum dev_meet meet, dev_push_result *res, sb *err)
{
	pol_kind pk = pol->spec.kind;
	dev_clash c = { .op = op, .def = def, .pol = pol,
	    .status = resp->status, .why = SB_INIT };
	enum dev_outcome out;
	pol_verdict v;
	int gone = 0;

	c.insert_dup = c.status == 409 && *kind_sent == DEV_OP_INSERT;
	c.raw = xstrdup(resp->body != NULL ? resp->body : "");
	if (meet == DEV_MEET_LATER) {
		dev_trace(d, TRC_NOTE, op->table, op->item_id, "settle", "The "
		    "app catches PushFailedException and settles the %d of %s "
		    "with the table's %s policy through its TableOperationError "
		    "(CancelAndUpdateItemAsync for the server's row, "
		    "UpdateOperationAsync to send its own again), then pushes "
		    "again.", c.status, op->item_id, pol_name(pk));
	} else {
		dev_clash_note(d, &c, *kind_sent);
		res->conflicts++;
	}
	if (meet == DEV_MEET_DEFER) {
		dev_trace(d, TRC_RESOLVE, op->table, op->item_id, "keep-queued",
		    "%s", dev_pol_acts(pol) ? "The app settles it once the "
		    "push has ended." : pk == POL_MANUAL ? "It waits in "
		    "__errors for someone to resolve it." : "No handler "
		    "settles it: the next push will meet it again.");
		out = dev_keep_queued(d, op, def, c.status, c.raw, res, err);
		goto done;
	}
	if (!c.insert_dup)
		c.server = dev_server_row(resp->body);
	/* Whole-row none needs no server row, and whole-row
	** last-writer-wins simply overwrites. */
	if (c.server == NULL && (pol->nfields > 0 ||
	    (pk != POL_NONE && pk != POL_LAST_WRITER_WINS)) &&
	    dev_clash_fetch(d, &c, res, &gone, &out, err) != 0)
		goto done;
	if (c.server == NULL && gone && dev_gone_handled(pol)) {
		/* The server knows the id only as a deleted row (GET answers
		** 404): there is nothing to merge with or to re-push over. */
		out = dev_gone(d, op, def, pol, "the GET after the conflict "
		    "answers 404", 1, res, err);
		goto done;
	}
	if (dev_clash_judge(d, &c, &v) != 0) {
		out = dev_keep_queued(d, op, def, c.status, c.raw, res, err);
		goto done;
	}
	switch (v) {
	case POL_V_KEEP_QUEUED:
		dev_trace(d, TRC_RESOLVE, op->table, op->item_id, "keep-queued",
		    "%s %s; the next push will meet the same %d%s.",
		    sb_str(&c.why), dev_kept_text(d), c.status,
		    pk == POL_MANUAL ? " unless someone resolves it first" : "");
		out = dev_keep_queued(d, op, def, c.status, c.raw, res, err);
		break;
	case POL_V_TAKE_SERVER:
		out = dev_clash_take_server(d, &c, res, err);
		break;
	case POL_V_PUSH_MERGED:
	default:
		out = dev_clash_push_merged(d, &c, resp, kind_sent, res, err);
		break;
	}
done:
	dev_clash_free(&c);
	return out;
}

/*
** The answers to an operation's write, from resp (rc: what dev_send
** returned): done, failed, aborted, or met by the policy, which may send
** again (up to DEV_MAX_ROUNDS times).  The caller frees resp.
*/
static enum dev_outcome
dev_push_answers(dev *d, const dev_op *op, const tbl_def *def,
    const pol_table *pol, http_resp *resp, int rc, int kind_sent,
    enum dev_meet meet, dev_push_result *res, sb *err)
{
	prof_kind k = d->cfg.client;
	for (int round = 0;; round++) {
		if (rc != 0)
			return dev_abort(d, op, 0, err);
		int st = resp->status;
		res->last_status = st;
		if (st == 401)
			return dev_abort(d, op, 401, err);
		if ((st >= 200 && st < 300) || (kind_sent == DEV_OP_DELETE &&
		    prof_delete_gone_ok(k, st)))
			return dev_push_done(d, op, def, kind_sent, resp,
			    round > 0 || meet == DEV_MEET_LATER, res, err);
		if (kind_sent != DEV_OP_INSERT && st == 404 &&
		    dev_gone_handled(pol)) {
			/* Another device deleted the row (or its write after a
			** conflict found it deleted meanwhile). */
			char how[40];
			snprintf(how, sizeof how, "the %s answers 404",
			    kind_sent == DEV_OP_DELETE ? "DELETE" :
			    prof_update_method(k));
			return dev_gone(d, op, def, pol, how, round > 0, res,
			    err);
		}
		if ((st == 409 || st == 412) && round < DEV_MAX_ROUNDS) {
			/* Datasync: a fresh conflict after the app's second
			** push waits for the next push. */
			enum dev_meet m = meet == DEV_MEET_LATER && round > 0 ?
			    DEV_MEET_DEFER : meet;
			enum dev_outcome out = dev_conflict(d, op, def, pol,
			    resp, &kind_sent, m, res, err);
			if (out != DEV_R_RESEND)
				return out;
			continue;
		}
		/* Left failed.  On the JavaScript client any error but a
		** conflict also stops the push; the error push() rejects with
		** is kept where a student (and a resolve step) can reach it,
		** and dev_abort says why. */
		int stops = st != 409 && st != 412 && prof_error_aborts(k);
		if (st == 409 || st == 412)
			dev_trace(d, TRC_ERROR, op->table, op->item_id, NULL,
			    "%d again after %d rounds of resolution. %s.", st,
			    round, dev_kept_text(d));
		else if (!stops)
			dev_trace(d, TRC_ERROR, op->table, op->item_id, NULL,
			    "%d %s: the %s is recorded in __errors and stays "
			    "queued (state Failed); the push goes on with the "
			    "next operation.", st, http_reason(st),
			    dev_kind_name(op->kind));
		char *raw = xstrdup(resp->body != NULL ? resp->body : "");
		enum dev_outcome out = dev_keep_queued(d, op, def, st, raw,
		    res, err);
		free(raw);
		return stops && out != DEV_R_LOCAL ? dev_abort(d, op, st, err) :
		    out;
	}
}

/* The operation's row is missing from the local table. */
static enum dev_outcome
dev_push_no_row(dev *d, const dev_op *op, dev_push_result *res, sb *err)
{
	if (d->cfg.client == PROF_JS) {
		/* push.js reads the first operation *with data*: one whose
		** row is gone is dropped without a word to the app. */
		if (dev_op_delete(d, op->id) != 0) {
			dev_store_err(d, err);
			return DEV_R_LOCAL;
		}
		dev_trace(d, TRC_DEQUEUE, op->table, op->item_id, "dropped",
		    "The %s's row is missing from the local table: the "
		    "JavaScript client drops the operation unsent.",
		    dev_kind_name(op->kind));
		return DEV_R_DONE;
	}
	/* PushAction.LoadOperationItem: a sync error with no HTTP status.
	** The id is escaped: it may hold a quote. */
	sb ib = SB_INIT;
	sb_add(&ib, "{\"id\":");
	sb_addjson(&ib, op->item_id);
	sb_add(&ib, "}");
	char *item = sb_take(&ib);
	dev_trace(d, TRC_ERROR, op->table, op->item_id, NULL, "The %s's row is "
	    "missing from the local table: a sync error with no HTTP status "
	    "is recorded in __errors.", dev_kind_name(op->kind));
	enum dev_outcome o = dev_leave_failed(d, op, 0, item, NULL, res, err);
	free(item);
	return o;
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
		if (row == NULL)
			return dev_push_no_row(d, op, res, err);
	}
	if (dev_op_mark(d, op->id, DEV_ST_ATTEMPTED) != 0) {
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
	int rc = dev_send_write(d, def, op->kind, op->item_id, body,
	    lww ? NULL : dev_row_version(row), &resp, res);
	cJSON_Delete(body);
	cJSON_Delete(row);
	enum dev_outcome out = dev_push_answers(d, op, def, pol, &resp, rc,
	    op->kind, prof_conflict_hook(d->cfg.client) ? DEV_MEET_HOOK :
	    DEV_MEET_DEFER, res, err);
	http_resp_free(&resp);
	return out;
}

/*
** Datasync: the push has ended with conflicts in __errors.  The app
** catches PushFailedException, settles each conflict of a table whose
** policy acts, and pushes again, so what it sends comes after every other
** operation.  DONE, or ABORT/LOCAL as a push stops.
*/
static enum dev_outcome
dev_settle_later(dev *d, const char *table, dev_push_result *res, sb *err)
{
	int64_t seq = 0;
	dev_op op;
	for (;;) {
		int status = 0, found = dev_op_next(d, table, seq, &op);
		char *raw = NULL;
		if (found == 0)
			return DEV_R_DONE;
		long ti = found > 0 ? dev_find(d, op.table) : -1;
		if (found > 0 && ti >= 0 && dev_pol_acts(&d->pols[ti]))
			found = dev_err_get(d, op.id, &status, &raw);
		if (found < 0) {
			dev_op_free(&op);
			dev_store_err(d, err);
			return DEV_R_LOCAL;
		}
		seq = op.sequence;
		enum dev_outcome o = DEV_R_DONE;
		if (status == 409 || status == 412) {
			http_resp resp;
			http_resp_init(&resp, status);
			http_resp_set_body(&resp, raw != NULL ? raw : "");
			if (res->errors > 0)
				res->errors--;
			o = dev_push_answers(d, &op, &d->defs[ti],
			    &d->pols[ti], &resp, 0, op.kind, DEV_MEET_LATER,
			    res, err);
			http_resp_free(&resp);
		}
		free(raw);
		dev_op_free(&op);
		if (o == DEV_R_ABORT || o == DEV_R_LOCAL)
			return o;
	}
}

/* The exception or promise that ends a push that did not complete. */
static const char *
dev_push_failed_text(const dev *d)
{
	switch (d->cfg.client) {
	case PROF_JS:
		return "push() rejects";
	case PROF_DATASYNC:
		return "PushFailedException";
	default:
		return "MobileServicePushFailedException";
	}
}

/* The stop of a push that aborted or met a store error. */
static dev_status
dev_push_stopped(dev *d, const dev_op *op, enum dev_outcome o,
    const dev_push_result *res)
{
	const char *why = o == DEV_R_LOCAL ? "CancelledBySyncStoreError" :
	    res->last_status == 401 ? "CancelledByAuthenticationError" :
	    "CancelledByNetworkError";
	if (d->cfg.client == PROF_JS)
		dev_trace(d, TRC_NOTE, op->table, op->item_id, "push",
		    "The push stops here: %lld operation(s) remain in "
		    "__operations (push() rejects).",
		    (long long)dev_op_count(d, NULL));
	else
		dev_trace(d, TRC_NOTE, op->table, op->item_id, "push",
		    "The push stops here: %lld operation(s) remain in "
		    "__operations (%s, status %s).",
		    (long long)dev_op_count(d, NULL), dev_push_failed_text(d),
		    why);
	return o == DEV_R_ABORT ? DEV_ABORTED : DEV_FAILED;
}

/* The end of a push that reached every operation, nerr of them failed. */
static void
dev_push_end_note(dev *d, const char *table, int64_t nerr)
{
	switch (d->cfg.client) {
	case PROF_JS:
		dev_trace(d, TRC_NOTE, table, NULL, "push", "The push reached "
		    "the end with %lld operation(s) in conflict; they stay in "
		    "__operations. The JavaScript client's push() resolves with "
		    "them in its array of conflicts; synclab keeps them in "
		    "__errors for you to inspect (the JavaScript client has no "
		    "such table).", (long long)nerr);
		break;
	case PROF_DATASYNC:
		dev_trace(d, TRC_NOTE, table, NULL, "push", "The push reached "
		    "the end with %lld operation(s) failed; they stay in "
		    "__operations. The Datasync client throws "
		    "PushFailedException with the errors and deletes the rows "
		    "that are not 409 or 412 from __errors, keeping the "
		    "conflicts; synclab keeps every row for you to inspect and "
		    "resolve.",
		    (long long)nerr);
		break;
	default:
		dev_trace(d, TRC_NOTE, table, NULL, "push", "The push reached "
		    "the end with %lld operation(s) failed; they stay in "
		    "__operations. The legacy .NET client now throws "
		    "MobileServicePushFailedException (status Complete, with "
		    "the errors) and clears __errors; synclab keeps the error "
		    "rows for you to inspect, as the Datasync client keeps "
		    "409/412 rows.", (long long)nerr);
		break;
	}
}

dev_status
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
			dev_status st = dev_push_stopped(d, &op, o, res);
			dev_op_free(&op);
			return st;
		}
		dev_op_free(&op);
	}
	if (!prof_conflict_hook(d->cfg.client) && res->conflicts > 0) {
		enum dev_outcome o = dev_settle_later(d, table, res, err);
		if (o == DEV_R_ABORT || o == DEV_R_LOCAL)
			return o == DEV_R_ABORT ? DEV_ABORTED : DEV_FAILED;
	}
	int64_t nerr = dev_err_count(d, table);
	if (nerr < 0) {
		dev_store_err(d, err);
		return DEV_FAILED;
	}
	if (nerr > 0) {
		dev_push_end_note(d, table, nerr);
		dev_errf(err, "%lld operation(s) failed; see __errors",
		    (long long)nerr);
		return DEV_CONFLICTS;
	}
	return DEV_OK;
}

int
dev_push_blocked(dev *d, int64_t seq, char *why, size_t n)
{
	/* On a JavaScript device the only error rows that are not conflicts
	** are the errors push() rejected with (dev_push_answers): the first
	** one in the queue is where every push stops. */
	if (n > 0)
		why[0] = '\0';
	if (d->cfg.client != PROF_JS)
		return 0;
	sqlite3_stmt *st = d->q[DEV_Q_ERR_STOP];
	sqlite3_bind_int64(st, 1, seq);
	int found = sqlite3_step(st) == SQLITE_ROW;
	if (found) {
		const unsigned char *tb = sqlite3_column_text(st, 1);
		const unsigned char *id = sqlite3_column_text(st, 2);
		int status = sqlite3_column_int(st, 3);
		snprintf(why, n, "it waits behind the %s of %s/%s, which the "
		    "server answered %d %s: the JavaScript client's push() "
		    "rejects there, so nothing queued after it is sent",
		    dev_kind_name(sqlite3_column_int(st, 0)),
		    tb ? (const char *)tb : "?", id ? (const char *)id : "?",
		    status, http_reason(status));
	}
	dev_q_end(st);
	return found;
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

