/*
** auth_gate.c: who calls, in two parts.  auth_front is App Service
** Authentication itself, in front of the whole app: the X-ZUMO-AUTH check
** and, when the site requires sign-in, the 401 for an anonymous caller.
** auth_gate is what the Mobile Apps server does with that caller on a
** /tables request: whether the table lets an anonymous caller in, and the
** per-user column it fills from the caller and filters on.  With a real
** server behind synclab (sim/rmt.h) only auth_front runs in synclab; the
** server plays auth_gate's part itself.
*/
#include "sim/auth_int.h"
#include "lib/sb.h"
#include "lib/xmem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- App Service Authentication in front of the app ------------------ */

int
auth_caller(const auth *a, const http_req *req, int64_t now_ms,
    auth_who *who, http_resp *resp)
{
	const char *h = http_req_header(req, "X-ZUMO-AUTH");
	memset(who, 0, sizeof *who);
	if (h == NULL)
		return 0;
	auth_rc rc = auth_verify(a, h, now_ms, a->c.skew_ms, who);
	if (rc == AUTH_OK)
		return 0;
	memset(who, 0, sizeof *who);
	auth_error(resp, 401, "The X-ZUMO-AUTH token was rejected: %s",
	    auth_rc_text(rc));
	http_resp_add_header(resp, "WWW-Authenticate", "Bearer");
	return 1;
}

/* The owner of row id: 1 found (owner copied, "" for NULL), 0 absent, -1
** on an error. */
static int
auth_owner(sqlite3 *db, const char *table, const char *col, const char *id,
    char *owner, size_t n)
{
	sb q = SB_INIT;
	sb_add(&q, "SELECT ");
	sb_addsqlid(&q, col);
	sb_add(&q, " FROM ");
	sb_addsqlid(&q, table);
	sb_add(&q, " WHERE id = ?");
	char *sql = sb_take(&q);
	sqlite3_stmt *st = NULL;
	int rc = -1;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
		int s = sqlite3_step(st);
		if (s == SQLITE_ROW) {
			const char *v = (const char *)sqlite3_column_text(st,
			    0);
			snprintf(owner, n, "%s", v ? v : "");
			rc = 1;
		} else if (s == SQLITE_DONE)
			rc = 0;
	}
	sqlite3_finalize(st);
	free(sql);
	return rc;
}

int
auth_front(const auth *a, const http_req *req, int64_t now_ms, auth_who *who,
    http_resp *resp)
{
	if (auth_caller(a, req, now_ms, who, resp))
		return 1;
	if (!who->signed_in && a->c.require_all) {
		auth_error(resp, 401, "You must be logged in to use this "
		    "application");
		http_resp_add_header(resp, "WWW-Authenticate", "Bearer");
		return 1;
	}
	return 0;
}

int
auth_gate(const auth *a, sqlite3 *db, const http_req *req, const char *table,
    const char *id, const auth_who *who, http_req *out, http_resp *resp)
{
	const auth_table *t = auth_table_find(a, table);
	out->method[0] = '\0';
	if (!who->signed_in && t && t->authenticated) {
		auth_error(resp, 401, "You must be logged in to use this "
		    "application");
		http_resp_add_header(resp, "WWW-Authenticate", "Bearer");
		return 1;
	}
	if (t == NULL || t->user_col[0] == '\0' || !who->signed_in)
		return 0;
	if (id != NULL) {
		char owner[64];
		int r = auth_owner(db, table, t->user_col, id, owner,
		    sizeof owner);
		if (r == 1 && strcmp(owner, who->sid) != 0) {
			/* The Node SDK's filter makes the row vanish. */
			auth_error(resp, 404, "The item does not exist");
			return 1;
		}
	}
	int ins = id == NULL && strcmp(req->method, "POST") == 0;
	int patch = id != NULL && strcmp(req->method, "PATCH") == 0;
	/* A PUT replaces the row: without the column it would clear it, so
	** the server fills it as for an insert. */
	int put = id != NULL && strcmp(req->method, "PUT") == 0;
	if ((!ins && !patch && !put) || req->body == NULL)
		return 0;
	cJSON *b = cJSON_ParseWithLength(req->body, req->body_len);
	if (!cJSON_IsObject(b)) {
		cJSON_Delete(b);
		return 0;	/* the backend explains the bad body */
	}
	const cJSON *cur = cJSON_GetObjectItemCaseSensitive(b, t->user_col);
	int same = cJSON_IsString(cur) && strcmp(cur->valuestring, who->sid)
	    == 0;
	if (same || (patch && cur == NULL)) {
		cJSON_Delete(b);
		return 0;
	}
	/* The server fills the column from the caller, whatever the client
	** sent: a row cannot be written as, or handed to, another user. */
	if (cur != NULL)
		cJSON_ReplaceItemInObjectCaseSensitive(b, t->user_col,
		    cJSON_CreateString(who->sid));
	else
		cJSON_AddStringToObject(b, t->user_col, who->sid);
	char *text = cJSON_PrintUnformatted(b);
	cJSON_Delete(b);
	http_req_copy(out, req);
	http_req_set_body(out, text);
	cJSON_free(text);
	return 0;
}
