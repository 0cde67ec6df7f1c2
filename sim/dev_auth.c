/*
** dev_auth.c: the device's side of App Service Authentication.
**
** The .NET client keeps the signed-in user (MobileServiceClient.
** CurrentUser: user id and token) in memory and sends the token as
** X-ZUMO-AUTH on every request; apps cache it (the PasswordVault pattern)
** to survive restarts.  Here that cache is the table __auth of the
** device's store (a synclab addition, created at the first sign-in), so a
** snapshot of the store holds the signed-in user too.
**
** What the SDK does on a 401 is nothing: the push stops with
** CancelledByAuthenticationError, the operation stays queued, and the
** app decides.  dev_auth_on401 plays the app's decision, the documented
** DelegatingHandler pattern: refresh (GET /.auth/refresh) or sign in
** again, then the caller pushes again.
*/
#include "sim/dev.h"
#include "sim/dev_int.h"
#include "sim/auth.h"
#include "sim/wire.h"
#include "lib/xmem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char dev_auth_schema[] =
    "CREATE TABLE IF NOT EXISTS __auth (id INTEGER PRIMARY KEY CHECK (id = "
    "1), provider TEXT, user TEXT, sid TEXT, token TEXT, blocked INTEGER "
    "NOT NULL DEFAULT 0, why TEXT)";

const char *
dev_auth_policy_name(dev_auth_policy p)
{
	switch (p) {
	case DEV_AUTH_ABORT: return "abort";
	case DEV_AUTH_REFRESH: return "refresh";
	case DEV_AUTH_SIGNIN: return "signin";
	}
	return "?";
}

int
dev_auth_get(dev *d, dev_auth_info *out)
{
	sqlite3_stmt *st = NULL;
	memset(out, 0, sizeof *out);
	if (sqlite3_prepare_v2(dev_db(d), "SELECT provider, user, sid, token, "
	    "blocked, why FROM __auth WHERE id = 1", -1, &st, NULL) !=
	    SQLITE_OK) {
		sqlite3_finalize(st);
		return 0;	/* never signed in: no table */
	}
	if (sqlite3_step(st) == SQLITE_ROW) {
		const char *v;
#define DEV_AUTH_COL(i, f) \
		v = (const char *)sqlite3_column_text(st, i); \
		snprintf(out->f, sizeof out->f, "%s", v ? v : "")
		DEV_AUTH_COL(0, provider);
		DEV_AUTH_COL(1, user);
		DEV_AUTH_COL(2, sid);
		DEV_AUTH_COL(3, token);
		DEV_AUTH_COL(5, why);
#undef DEV_AUTH_COL
		out->blocked = sqlite3_column_int(st, 4);
		out->signed_in = out->token[0] != '\0';
		char sid[48];
		if (out->signed_in && auth_peek(out->token, sid,
		    &out->exp_ms) != 0)
			out->exp_ms = 0;
	}
	sqlite3_finalize(st);
	return 0;
}

/* Writes the row; token NULL signs out (provider and user stay, so the
** app knows whom to sign in again). */
static int
dev_auth_put(dev *d, const char *provider, const char *user, const char *sid,
    const char *token, int blocked, const char *why)
{
	sqlite3_stmt *st = NULL;
	int rc = -1;
	if (dev_exec(d, dev_auth_schema) != 0)
		return -1;
	if (sqlite3_prepare_v2(dev_db(d), "INSERT OR REPLACE INTO __auth (id, "
	    "provider, user, sid, token, blocked, why) VALUES (1, ?, ?, ?, ?, "
	    "?, ?)", -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, provider, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, user, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, sid, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, token, -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 5, blocked);
		sqlite3_bind_text(st, 6, why, -1, SQLITE_STATIC);
		rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
	}
	sqlite3_finalize(st);
	return rc;
}

int
dev_auth_store(dev *d, const char *provider, const char *user,
    const char *sid, const char *token)
{
	return dev_auth_put(d, provider, user, sid, token, 0, NULL);
}

void
dev_auth_stamp(dev *d, http_req *req)
{
	dev_auth_info ai;
	dev_auth_get(d, &ai);
	if (ai.signed_in)
		http_req_add_header(req, "X-ZUMO-AUTH", ai.token);
}

void
dev_auth_seen(dev *d, const http_req *req, const http_resp *resp)
{
	if (req->path == NULL || strncmp(req->path, "/tables/", 8) != 0)
		return;
	dev_auth_info ai;
	dev_auth_get(d, &ai);
	if (resp->status == 401) {
		char why[256] = "401 Unauthorized";
		cJSON *b = resp->body ? cJSON_Parse(resp->body) : NULL;
		const cJSON *e = cJSON_GetObjectItemCaseSensitive(b, "error");
		if (cJSON_IsString(e))
			snprintf(why, sizeof why, "401: %s", e->valuestring);
		cJSON_Delete(b);
		(void)dev_auth_put(d, ai.provider, ai.user, ai.sid,
		    ai.signed_in ? ai.token : NULL, 1, why);
	} else if (ai.blocked && resp->status >= 200 && resp->status < 500)
		(void)dev_auth_put(d, ai.provider, ai.user, ai.sid,
		    ai.signed_in ? ai.token : NULL, 0, NULL);
}

int
dev_auth_blocked(dev *d, char *why, size_t n)
{
	dev_auth_info ai;
	dev_auth_get(d, &ai);
	if (why != NULL && n > 0)
		snprintf(why, n, "%s", ai.why);
	return ai.blocked;
}

/* Sends a request of the sign-in dance over the device's link. */
static int
dev_auth_send(dev *d, const char *method, const char *path,
    const char *query, const char *body, const char *token, http_resp *resp)
{
	http_req req;
	http_req_init(&req, method, path, query);
	if (token != NULL)
		http_req_add_header(&req, "X-ZUMO-AUTH", token);
	if (body != NULL) {
		http_req_add_header(&req, "Content-Type", "application/json");
		http_req_set_body(&req, body);
	}
	http_resp_init(resp, 0);
	int rc = d->env.send ? d->env.send(d->env.ud, d, &req, resp) : -1;
	http_req_free(&req);
	if (rc != 0) {
		http_resp_free(resp);
		http_resp_init(resp, 0);
	}
	return rc;
}

/* The body of a 200 {authenticationToken, user: {userId}}: stores it. */
static int
dev_auth_take(dev *d, const char *provider, const char *user,
    const char *json, sb *err)
{
	cJSON *j = json ? cJSON_Parse(json) : NULL;
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(j,
	    "authenticationToken");
	const cJSON *u = cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(j, "user"), "userId");
	int rc = -1;
	if (cJSON_IsString(t) && cJSON_IsString(u))
		rc = dev_auth_put(d, provider, user, u->valuestring,
		    t->valuestring, 0, NULL);
	else
		dev_errf(err, "the sign-in answer has no authenticationToken");
	cJSON_Delete(j);
	return rc;
}

static int
dev_auth_failed(dev *d, const char *what, const http_resp *r, sb *err)
{
	if (r->status == 0) {
		dev_trace(d, TRC_ERROR, NULL, NULL, NULL, "%s failed: no "
		    "response (offline or lost)", what);
		dev_errf(err, "%s failed: no response", what);
	} else {
		dev_trace(d, TRC_ERROR, NULL, NULL, NULL, "%s failed: %d %s",
		    what, r->status, http_reason(r->status));
		dev_errf(err, "%s failed: %d", what, r->status);
	}
	return -1;
}

int
dev_auth_signin(dev *d, const auth *a, auth_prov p, const char *user,
    int server_flow, sb *err)
{
	const char *pn = auth_prov_name(a, p);
	char path[96], *body = NULL, *loc = NULL, *cb = NULL, *q = NULL;
	http_resp r;
	int rc = -1;
	snprintf(path, sizeof path, "/.auth/login/%s", pn);
	http_resp_init(&r, 0);
	if (!server_flow) {
		/* The provider's SDK signs the user in on the device and hands
		** the app its token, which the app posts to App Service. */
		dev_trace(d, TRC_NOTE, NULL, NULL, "signin", "%s signs %s in "
		    "with the %s SDK on the device (client-directed flow), "
		    "then posts the provider's token", dev_name(d), user,
		    auth_prov_title(p));
		body = auth_idp_login_body(a, p, user, d->env.now(d->env.ud));
		dev_auth_send(d, "POST", path, NULL, body, NULL, &r);
		if (r.status != 200) {
			rc = dev_auth_failed(d, "the sign-in", &r, err);
			goto out;
		}
		rc = dev_auth_take(d, pn, user, r.body, err);
		goto done;
	}
	/* Server-directed, as the .NET client's LoginAsync(provider,
	** uriScheme) does it: PKCE in a web view. */
	const char *verifier = "synclab-pkce-verifier-0123456789abcdefghijklmn";
	char *cc = auth_pkce_challenge(verifier);
	q = xasprintf("post_login_redirect_url=synclab%%3A%%2F%%2Feasyauth."
	    "callback&code_challenge=%s&code_challenge_method=S256&"
	    "session_mode=token", cc);
	free(cc);
	dev_trace(d, TRC_NOTE, NULL, NULL, "signin", "%s opens a web view on "
	    "/.auth/login/%s (server-directed flow, PKCE): App Service sends "
	    "it to %s's sign-in page", dev_name(d), pn, auth_prov_title(p));
	dev_auth_send(d, "GET", path, q, NULL, NULL, &r);
	if (r.status != 302) {
		rc = dev_auth_failed(d, "the sign-in", &r, err);
		goto out;
	}
	cb = auth_idp_authorize(a, http_resp_header(&r, "Location"), user,
	    d->env.now(d->env.ud));
	if (cb == NULL) {
		dev_errf(err, "the sign-in page is not the provider's");
		goto out;
	}
	dev_trace(d, TRC_NOTE, NULL, NULL, "signin", "%s signs in on %s's "
	    "page (the app never sees the password or the provider's token); "
	    "the provider sends the web view back to the callback", user,
	    auth_prov_title(p));
	char *qm = strchr(cb, '?');
	*qm = '\0';
	http_resp_free(&r);
	dev_auth_send(d, "GET", cb, qm + 1, NULL, NULL, &r);
	const char *l = http_resp_header(&r, "Location");
	const char *key = "#authorization_code=";
	if (r.status != 302 || l == NULL || strstr(l, key) == NULL) {
		rc = dev_auth_failed(d, "the sign-in callback", &r, err);
		goto out;
	}
	loc = xstrdup(strstr(l, key) + strlen(key));
	free(q);
	q = xasprintf("authorization_code=%s&code_verifier=%s", loc, verifier);
	snprintf(path, sizeof path, "/.auth/login/%s/token", pn);
	http_resp_free(&r);
	dev_auth_send(d, "GET", path, q, NULL, NULL, &r);
	if (r.status != 200) {
		rc = dev_auth_failed(d, "the code exchange", &r, err);
		goto out;
	}
	rc = dev_auth_take(d, pn, user, r.body, err);
done:
	if (rc == 0) {
		dev_auth_info ai;
		dev_auth_get(d, &ai);
		char ts[32];
		wire_format_time(ai.exp_ms, ts);
		dev_trace(d, TRC_NOTE, NULL, NULL, "signin", "%s is signed in "
		    "as %s (%s); the session token expires at %s (server "
		    "time), and every request now carries it as X-ZUMO-AUTH",
		    dev_name(d), user, ai.sid, ts);
	}
out:
	http_resp_free(&r);
	free(body);
	free(loc);
	free(cb);
	free(q);
	return rc;
}

int
dev_auth_refresh(dev *d, sb *err)
{
	dev_auth_info ai;
	http_resp r;
	dev_auth_get(d, &ai);
	if (!ai.signed_in) {
		dev_errf(err, "%s is not signed in: nothing to refresh",
		    dev_name(d));
		return -1;
	}
	dev_trace(d, TRC_NOTE, NULL, NULL, "refresh", "%s asks App Service "
	    "for a new session token (RefreshUserAsync: GET /.auth/refresh)",
	    dev_name(d));
	dev_auth_send(d, "GET", "/.auth/refresh", NULL, NULL, ai.token, &r);
	int rc;
	if (r.status != 200)
		rc = dev_auth_failed(d, "the refresh", &r, err);
	else
		rc = dev_auth_take(d, ai.provider, ai.user, r.body, err);
	http_resp_free(&r);
	return rc;
}

int
dev_auth_signout(dev *d, int everywhere, sb *err)
{
	dev_auth_info ai;
	dev_auth_get(d, &ai);
	if (!ai.signed_in) {
		dev_errf(err, "%s is not signed in", dev_name(d));
		return -1;
	}
	if (everywhere) {
		http_resp r;
		dev_trace(d, TRC_NOTE, NULL, NULL, "signout", "the app also "
		    "calls GET /.auth/logout, so App Service deletes the "
		    "session's stored tokens");
		dev_auth_send(d, "GET", "/.auth/logout", NULL, NULL, ai.token,
		    &r);
		http_resp_free(&r);
	}
	if (dev_auth_put(d, ai.provider, ai.user, NULL, NULL, 0, NULL) != 0)
		return dev_store_err(d, err);
	size_t n = dev_queue_len(d);
	dev_trace(d, TRC_NOTE, NULL, NULL, "signout", "%s signs out "
	    "(LogoutAsync forgets CurrentUser on the device%s); %zu "
	    "operation%s stay%s in __operations: signing out does not touch "
	    "the offline queue", dev_name(d), everywhere ? "" : " only: the "
	    "session token itself stays valid on the server until it expires",
	    n, n == 1 ? "" : "s", n == 1 ? "s" : "");
	return 0;
}

int
dev_auth_tamper(dev *d, const auth *a, const char *as_user, sb *err)
{
	dev_auth_info ai;
	dev_auth_get(d, &ai);
	if (!ai.signed_in) {
		dev_errf(err, "%s holds no token to alter", dev_name(d));
		return -1;
	}
	char sid[48];
	int p = auth_prov_parse(a, ai.provider);
	auth_sid(a, p < 0 ? AUTH_AAD : (auth_prov)p, as_user, sid);
	char *forged = auth_forge(ai.token, sid);
	int rc = dev_auth_put(d, ai.provider, ai.user, sid, forged, 0, NULL);
	free(forged);
	if (rc != 0)
		return dev_store_err(d, err);
	dev_trace(d, TRC_NOTE, NULL, NULL, "tamper", "the token on %s is "
	    "edited to say sub = %s (%s) with its old signature kept: only "
	    "the site's key could sign the new claims", dev_name(d), sid,
	    as_user);
	return 0;
}

int
dev_auth_steal(dev *d, dev *from, sb *err)
{
	dev_auth_info ai;
	dev_auth_get(from, &ai);
	if (!ai.signed_in) {
		dev_errf(err, "%s holds no token to steal", dev_name(from));
		return -1;
	}
	if (dev_auth_put(d, ai.provider, ai.user, ai.sid, ai.token, 0, NULL) !=
	    0)
		return dev_store_err(d, err);
	dev_trace(d, TRC_NOTE, NULL, NULL, "steal", "%s copies the session "
	    "token of %s: a bearer token works for whoever holds it, until "
	    "it expires", dev_name(d), dev_name(from));
	return 0;
}

int
dev_auth_on401(dev *d, const auth *a, const dev_auth_cfg *c, sb *err)
{
	if (!dev_auth_blocked(d, NULL, 0))
		return 0;
	switch (c->on401) {
	case DEV_AUTH_ABORT:
		dev_trace(d, TRC_NOTE, NULL, NULL, "on401", "policy \"abort\": "
		    "the app shows the error and waits for the user; the "
		    "queue is kept");
		return 0;
	case DEV_AUTH_REFRESH:
		dev_trace(d, TRC_NOTE, NULL, NULL, "on401", "policy "
		    "\"refresh\": the app's handler refreshes the token, then "
		    "retries");
		return dev_auth_refresh(d, err) == 0;
	case DEV_AUTH_SIGNIN: {
		/* Whoever signed in last on the device, else its own user. */
		dev_auth_info ai;
		dev_auth_get(d, &ai);
		int p = auth_prov_parse(a, ai.provider);
		const char *user = ai.user[0] ? ai.user : c->user;
		dev_trace(d, TRC_NOTE, NULL, NULL, "on401", "policy "
		    "\"signin\": the app signs the user in again, then "
		    "retries");
		if (user == NULL) {
			dev_errf(err, "no user to sign in again");
			return 0;
		}
		return dev_auth_signin(d, a, p >= 0 ? (auth_prov)p : c->prov,
		    user, c->server_flow, err) == 0;
	}
	}
	return 0;
}
