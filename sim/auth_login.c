/*
** auth_login.c: the /.auth endpoints of App Service Authentication
** (client- and server-directed sign-in, the PKCE exchange, /.auth/me,
** /.auth/refresh, /.auth/logout) and the token store they keep in the
** backend's table __auth_tokens.
*/
#include "sim/auth_int.h"
#include "sim/wire.h"
#include "lib/sb.h"
#include "lib/xmem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the token store ------------------------------------------------- */

typedef struct auth_entry {
	int		 found;
	char		 provider[32];
	char		 name[128];
	char		*access, *id, *refresh;
	int64_t		 expires_on;
} auth_entry;

static void
auth_entry_free(auth_entry *e)
{
	free(e->access);
	free(e->id);
	free(e->refresh);
	memset(e, 0, sizeof *e);
}

static char *
auth_col(sqlite3_stmt *st, int i)
{
	const char *v = (const char *)sqlite3_column_text(st, i);
	return v ? xstrdup(v) : NULL;
}

static int
auth_store_get(sqlite3 *db, const char *sid, auth_entry *e)
{
	sqlite3_stmt *st = NULL;
	memset(e, 0, sizeof *e);
	if (sqlite3_prepare_v2(db, "SELECT provider, name, access_token, "
	    "id_token, refresh_token, expires_on FROM __auth_tokens WHERE "
	    "sid = ?", -1, &st, NULL) != SQLITE_OK) {
		sqlite3_finalize(st);
		return -1;
	}
	sqlite3_bind_text(st, 1, sid, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		e->found = 1;
		snprintf(e->provider, sizeof e->provider, "%s",
		    (const char *)sqlite3_column_text(st, 0));
		snprintf(e->name, sizeof e->name, "%s",
		    (const char *)sqlite3_column_text(st, 1));
		e->access = auth_col(st, 2);
		e->id = auth_col(st, 3);
		e->refresh = auth_col(st, 4);
		e->expires_on = sqlite3_column_int64(st, 5);
	}
	sqlite3_finalize(st);
	return 0;
}

static int
auth_store_put(sqlite3 *db, const char *sid, const char *provider,
    const char *name, const char *access, const char *id,
    const char *refresh, int64_t expires_on)
{
	sqlite3_stmt *st = NULL;
	int rc = -1;
	if (sqlite3_prepare_v2(db, "INSERT OR REPLACE INTO __auth_tokens "
	    "(sid, provider, name, access_token, id_token, refresh_token, "
	    "expires_on) VALUES (?, ?, ?, ?, ?, ?, ?)", -1, &st, NULL) ==
	    SQLITE_OK) {
		sqlite3_bind_text(st, 1, sid, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, provider, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, name, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, access, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, id, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 6, refresh, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 7, expires_on);
		rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
	}
	sqlite3_finalize(st);
	return rc;
}

static void
auth_store_delete(sqlite3 *db, const char *sid)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(db, "DELETE FROM __auth_tokens WHERE sid = ?",
	    -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, sid, -1, SQLITE_STATIC);
		(void)sqlite3_step(st);
	}
	sqlite3_finalize(st);
}

/* ---- the /.auth endpoints -------------------------------------------- */

/* A sign-in has succeeded: the token store gets the provider's tokens and
** the caller a session token.  Answers 200 with {authenticationToken,
** user: {userId}}, or builds that JSON into *json when json != NULL. */
static void
auth_signed_in(const auth *a, sqlite3 *db, auth_prov p, const char *user,
    int64_t now_ms, uint64_t entropy, http_resp *resp, char **json)
{
	char sid[48];
	auth_sid(a, p, user, sid);
	if (a->c.token_store) {
		char *access = auth_idp_token(a, p, user, now_ms);
		char *refresh = NULL;
		if (auth_refreshable(a, p))
			refresh = xasprintf("rt.%s.%016llx", auth_names[p],
			    (unsigned long long)entropy);
		int64_t life = auth_prov_life[p];
		(void)auth_store_put(db, sid, auth_prov_name(a, p), user,
		    access, p == AUTH_GOOGLE || p == AUTH_APPLE ||
		    p == AUTH_OIDC || p == AUTH_AAD ? access : NULL, refresh,
		    life > 0 ? now_ms + life : 0);
		free(access);
		free(refresh);
	}
	char *tok = auth_sign(a, sid, p, now_ms);
	cJSON *b = cJSON_CreateObject();
	cJSON_AddStringToObject(b, "authenticationToken", tok);
	cJSON *u = cJSON_AddObjectToObject(b, "user");
	cJSON_AddStringToObject(u, "userId", sid);
	free(tok);
	if (json != NULL) {
		char *t = cJSON_PrintUnformatted(b);
		*json = xstrdup(t ? t : "{}");
		cJSON_free(t);
		cJSON_Delete(b);
		return;
	}
	auth_json(resp, 200, b);
}

/* A provider that is usable for sign-in now, or answers. */
static int
auth_provider_ready(const auth *a, int p, const char *name, int64_t now_ms,
    http_resp *resp)
{
	if (p < 0 || !a->c.prov[p].on) {
		auth_error(resp, 404, "The identity provider '%s' is not "
		    "configured on this app", name);
		return 0;
	}
	return 1;
	(void)now_ms;
}

/* POST /.auth/login/<p>: the client-directed flow. */
static void
auth_login_client(const auth *a, sqlite3 *db, const http_req *req, int p,
    int64_t now_ms, uint64_t entropy, http_resp *resp)
{
	cJSON *b = req->body ? cJSON_ParseWithLength(req->body, req->body_len) :
	    NULL;
	const char *want = p == AUTH_GOOGLE || p == AUTH_APPLE ||
	    p == AUTH_OIDC ? "id_token" : "access_token";
	const char *tok = b ? auth_claim_str(b, want) : NULL;
	char user[128], *nonce = NULL;
	const char *why = NULL;
	if (!cJSON_IsObject(b) || tok == NULL) {
		auth_error(resp, 400, "The body must be a JSON object with "
		    "\"%s\"%s (the token the %s SDK gave the app)", want,
		    p == AUTH_TWITTER ? " and \"access_token_secret\"" : "",
		    auth_titles[p]);
		goto out;
	}
	if (auth_idp_check(a, (auth_prov)p, tok, "token", now_ms, user,
	    sizeof user, &nonce, &why) != 0) {
		auth_error(resp, 401, "The %s token was rejected: %s",
		    auth_titles[p], why);
		goto out;
	}
	if (p == AUTH_TWITTER) {
		const char *sec = auth_claim_str(b, "access_token_secret");
		char *want_sec = auth_idp_secret(a, tok);
		int ok = sec != NULL && strcmp(sec, want_sec) == 0;
		free(want_sec);
		if (!ok) {
			auth_error(resp, 401, "The X (Twitter) token was "
			    "rejected: access_token_secret does not match");
			goto out;
		}
	}
	auth_signed_in(a, db, (auth_prov)p, user, now_ms, entropy, resp, NULL);
out:
	free(nonce);
	cJSON_Delete(b);
}

/* GET /.auth/login/<p>: the server-directed flow starts; the browser goes
** to the provider's sign-in page with a signed state that remembers where
** to come back to (and the PKCE challenge of the .NET client). */
static void
auth_login_server(const auth *a, const http_req *req, int p, int64_t now_ms,
    http_resp *resp)
{
	char *redir = http_query_get(req->query, "post_login_redirect_url",
	    NULL);
	char *cc = http_query_get(req->query, "code_challenge", NULL);
	char *ccm = http_query_get(req->query, "code_challenge_method", NULL);
	if (cc != NULL && (ccm == NULL || strcmp(ccm, "S256") != 0)) {
		auth_error(resp, 400, "code_challenge_method must be S256");
		goto out;
	}
	if (cc != NULL && redir == NULL) {
		auth_error(resp, 400, "A code_challenge needs a "
		    "post_login_redirect_url to send the code to");
		goto out;
	}
	cJSON *st = cJSON_CreateObject();
	cJSON_AddStringToObject(st, "typ", "state");
	cJSON_AddStringToObject(st, "idp", auth_names[p]);
	if (redir)
		cJSON_AddStringToObject(st, "redirect", redir);
	if (cc)
		cJSON_AddStringToObject(st, "cc", cc);
	cJSON_AddNumberToObject(st, "exp",
	    (double)((now_ms + AUTH_STATE_MS) / 1000));
	char *state = auth_jwt_make(a->c.key, st);
	cJSON_Delete(st);
	char *se = http_escape(state), *ce = http_escape(a->c.prov[p].client_id);
	char *cb = xasprintf("%s/.auth/login/%s/callback", a->c.site,
	    auth_prov_name(a, (auth_prov)p));
	char *cbe = http_escape(cb);
	char ib[128];
	char *loc = xasprintf("%s/authorize?client_id=%s&redirect_uri=%s&"
	    "response_type=code&state=%s", auth_idp_issuer(a, (auth_prov)p,
	    ib, sizeof ib), ce, cbe, se);
	auth_redirect(resp, loc);
	free(loc);
	free(cb);
	free(cbe);
	free(se);
	free(ce);
	free(state);
out:
	free(redir);
	free(cc);
	free(ccm);
}

/* GET /.auth/login/<p>/callback?code&state: the provider sends the
** browser back; the site redeems the code (with its client secret) and
** either hands the app an authorization code (PKCE) or the token itself
** in the fragment of /.auth/login/done. */
static void
auth_callback(const auth *a, sqlite3 *db, const http_req *req, int p,
    int64_t now_ms, uint64_t entropy, http_resp *resp)
{
	char *code = http_query_get(req->query, "code", NULL);
	char *state = http_query_get(req->query, "state", NULL);
	char user[128], *nonce = NULL, *json = NULL;
	const char *why = NULL;
	cJSON *st = NULL;
	if (code == NULL || state == NULL) {
		auth_error(resp, 400, "The callback needs code and state");
		goto out;
	}
	if (auth_jwt_open(a->c.key, state, &st) != AUTH_OK ||
	    auth_claim_ms(st, "exp", 0) < now_ms ||
	    strcmp(auth_claim_str(st, "idp") ? auth_claim_str(st, "idp") : "",
	    auth_names[p]) != 0) {
		auth_error(resp, 401, "The sign-in state is not this site's, "
		    "or it is more than 10 minutes old");
		goto out;
	}
	if (auth_idp_check(a, (auth_prov)p, code, "code", now_ms, user,
	    sizeof user, &nonce, &why) != 0 || nonce == NULL ||
	    strcmp(nonce, state) != 0) {
		auth_error(resp, 401, "The %s authorization code was rejected: "
		    "%s", auth_titles[p], why ? why : "it belongs to another "
		    "sign-in");
		goto out;
	}
	if (p == AUTH_APPLE && a->c.prov[p].secret_exp_ms != 0 &&
	    now_ms >= a->c.prov[p].secret_exp_ms) {
		auth_error(resp, 401, "Apple refused the code: invalid_client "
		    "(the ES256 client secret has expired; Apple allows at "
		    "most 6 months, so it must be rotated)");
		goto out;
	}
	const char *redir = auth_claim_str(st, "redirect");
	const char *cc = auth_claim_str(st, "cc");
	if (cc != NULL) {
		char sid[48];
		auth_sid(a, (auth_prov)p, user, sid);
		auth_signed_in(a, db, (auth_prov)p, user, now_ms, entropy,
		    resp, &json);
		cJSON *ac = cJSON_CreateObject();
		cJSON_AddStringToObject(ac, "typ", "authcode");
		cJSON_AddStringToObject(ac, "sub", sid);
		cJSON_AddStringToObject(ac, "idp", auth_names[p]);
		cJSON_AddStringToObject(ac, "cc", cc);
		cJSON_AddNumberToObject(ac, "exp",
		    (double)((now_ms + AUTH_CODE_MS) / 1000));
		char *acode = auth_jwt_make(a->c.key, ac);
		cJSON_Delete(ac);
		char *e = http_escape(acode);
		char *loc = xasprintf("%s#authorization_code=%s", redir, e);
		auth_redirect(resp, loc);
		free(loc);
		free(e);
		free(acode);
	} else {
		auth_signed_in(a, db, (auth_prov)p, user, now_ms, entropy,
		    resp, &json);
		char *e = http_escape(json);
		char *loc = xasprintf("%s#token=%s", redir ? redir :
		    "/.auth/login/done", e);
		auth_redirect(resp, loc);
		free(loc);
		free(e);
	}
out:
	free(json);
	free(nonce);
	cJSON_Delete(st);
	free(code);
	free(state);
}

/* GET /.auth/login/<p>/token?authorization_code&code_verifier: the PKCE
** exchange of the .NET client. */
static void
auth_pkce_token(const auth *a, const http_req *req, int p, int64_t now_ms,
    http_resp *resp)
{
	char *code = http_query_get(req->query, "authorization_code", NULL);
	char *ver = http_query_get(req->query, "code_verifier", NULL);
	cJSON *c = NULL;
	if (code == NULL || ver == NULL) {
		auth_error(resp, 400, "The token request needs "
		    "authorization_code and code_verifier");
		goto out;
	}
	if (auth_jwt_open(a->c.key, code, &c) != AUTH_OK ||
	    auth_claim_ms(c, "exp", 0) < now_ms ||
	    auth_claim_str(c, "cc") == NULL || auth_claim_str(c, "sub") ==
	    NULL) {
		auth_error(resp, 401, "The authorization code is not valid "
		    "or has expired");
		goto out;
	}
	char *ch = auth_pkce_challenge(ver);
	int ok = strcmp(ch, auth_claim_str(c, "cc")) == 0;
	free(ch);
	if (!ok) {
		auth_error(resp, 401, "The code_verifier does not match the "
		    "code_challenge of this sign-in (PKCE)");
		goto out;
	}
	char *tok = auth_sign(a, auth_claim_str(c, "sub"), (auth_prov)p,
	    now_ms);
	cJSON *b = cJSON_CreateObject();
	cJSON_AddStringToObject(b, "authenticationToken", tok);
	cJSON *u = cJSON_AddObjectToObject(b, "user");
	cJSON_AddStringToObject(u, "userId", auth_claim_str(c, "sub"));
	free(tok);
	auth_json(resp, 200, b);
out:
	cJSON_Delete(c);
	free(code);
	free(ver);
}

static void
auth_me(const auth *a, sqlite3 *db, const http_req *req, int64_t now_ms,
    http_resp *resp)
{
	auth_who w;
	if (auth_caller(a, req, now_ms, &w, resp))
		return;
	if (!w.signed_in) {
		auth_error(resp, 401, "Sign in first: /.auth/me needs the "
		    "X-ZUMO-AUTH header");
		return;
	}
	if (!a->c.token_store) {
		auth_error(resp, 404, "The token store is turned off for this "
		    "app, so /.auth/me has nothing to show");
		return;
	}
	auth_entry e;
	if (auth_store_get(db, w.sid, &e) != 0 || !e.found) {
		auth_error(resp, 401, "The token store holds no session for "
		    "%s: it signed out", w.sid);
		auth_entry_free(&e);
		return;
	}
	cJSON *arr = cJSON_CreateArray(), *o = cJSON_CreateObject();
	cJSON_AddItemToArray(arr, o);
	cJSON_AddStringToObject(o, "provider_name", e.provider);
	cJSON_AddStringToObject(o, "user_id", e.name);
	if (e.access)
		cJSON_AddStringToObject(o, "access_token", e.access);
	if (e.id)
		cJSON_AddStringToObject(o, "id_token", e.id);
	if (e.refresh)
		cJSON_AddStringToObject(o, "refresh_token", e.refresh);
	if (e.expires_on > 0) {
		char ts[32];
		wire_format_time(e.expires_on, ts);
		cJSON_AddStringToObject(o, "expires_on", ts);
	}
	cJSON *cl = cJSON_AddArrayToObject(o, "user_claims"), *c1;
	c1 = cJSON_CreateObject();
	cJSON_AddStringToObject(c1, "typ", "http://schemas.xmlsoap.org/ws/"
	    "2005/05/identity/claims/nameidentifier");
	cJSON_AddStringToObject(c1, "val", w.sid);
	cJSON_AddItemToArray(cl, c1);
	c1 = cJSON_CreateObject();
	cJSON_AddStringToObject(c1, "typ", "name");
	cJSON_AddStringToObject(c1, "val", e.name);
	cJSON_AddItemToArray(cl, c1);
	auth_entry_free(&e);
	auth_json(resp, 200, arr);
}

/* GET /.auth/refresh: 400 for a provider without refresh tokens, 401 for
** a token that fails or is past the extension, 403 when the store holds
** no refresh token (signed out, or offline access never asked for). */
static void
auth_refresh(const auth *a, sqlite3 *db, const http_req *req, int64_t now_ms,
    uint64_t entropy, http_resp *resp)
{
	const char *h = http_req_header(req, "X-ZUMO-AUTH");
	auth_who w;
	if (h == NULL) {
		auth_error(resp, 401, "Refresh needs the X-ZUMO-AUTH header");
		return;
	}
	auth_rc rc = auth_verify(a, h, now_ms, a->c.refresh_ms, &w);
	if (rc == AUTH_EXPIRED) {
		auth_error(resp, 401, "The session token expired more than "
		    "%lld hours ago (the refresh extension): sign in again",
		    (long long)(a->c.refresh_ms / AUTH_HOUR_MS));
		return;
	}
	if (rc != AUTH_OK) {
		auth_error(resp, 401, "The X-ZUMO-AUTH token was rejected: %s",
		    auth_rc_text(rc));
		return;
	}
	if (!auth_prov_can_refresh(w.prov)) {
		auth_error(resp, 400, "%s does not issue refresh tokens%s: "
		    "sign in again", auth_titles[w.prov], w.prov ==
		    AUTH_TWITTER ? " (its tokens never expire)" : "");
		return;
	}
	auth_entry e;
	if (!a->c.token_store || auth_store_get(db, w.sid, &e) != 0 ||
	    !e.found || e.refresh == NULL) {
		if (a->c.token_store)
			auth_entry_free(&e);
		auth_error(resp, 403, "The token store holds no refresh token "
		    "for this session (%s): sign in again",
		    !a->c.token_store ? "the token store is off" :
		    !auth_refreshable(a, w.prov) ? "offline access was not "
		    "requested at sign-in" : "it was removed by a sign-out");
		return;
	}
	char *access = auth_idp_token(a, w.prov, e.name, now_ms);
	int64_t life = auth_prov_life[w.prov];
	(void)auth_store_put(db, w.sid, e.provider, e.name, access, e.id ?
	    access : NULL, e.refresh, life > 0 ? now_ms + life : 0);
	free(access);
	auth_entry_free(&e);
	(void)entropy;
	char *tok = auth_sign(a, w.sid, w.prov, now_ms);
	cJSON *b = cJSON_CreateObject();
	cJSON_AddStringToObject(b, "authenticationToken", tok);
	cJSON *u = cJSON_AddObjectToObject(b, "user");
	cJSON_AddStringToObject(u, "userId", w.sid);
	free(tok);
	auth_json(resp, 200, b);
}

/* GET /.auth/logout: the stored tokens go; the session token itself
** stays valid until it expires (it is self-contained). */
static void
auth_logout(const auth *a, sqlite3 *db, const http_req *req, int64_t now_ms,
    http_resp *resp)
{
	auth_who w;
	const char *h = http_req_header(req, "X-ZUMO-AUTH");
	if (h != NULL && auth_verify(a, h, now_ms, a->c.refresh_ms, &w) ==
	    AUTH_OK)
		auth_store_delete(db, w.sid);
	char *to = http_query_get(req->query, "post_logout_redirect_uri",
	    NULL);
	auth_redirect(resp, to && to[0] == '/' ? to : "/.auth/logout/done");
	free(to);
}

void
auth_endpoint(const auth *a, sqlite3 *db, const http_req *req,
    int64_t now_ms, uint64_t entropy, http_resp *resp)
{
	const char *path = req->path ? req->path : "", *m = req->method;
	http_resp_free(resp);
	http_resp_init(resp, 404);
	int get = strcmp(m, "GET") == 0;
	if (strcmp(path, "/.auth/me") == 0 && get)
		auth_me(a, db, req, now_ms, resp);
	else if (strcmp(path, "/.auth/refresh") == 0 && get)
		auth_refresh(a, db, req, now_ms, entropy, resp);
	else if (strcmp(path, "/.auth/logout") == 0 && get)
		auth_logout(a, db, req, now_ms, resp);
	else if ((strcmp(path, "/.auth/logout/done") == 0 ||
	    strcmp(path, "/.auth/login/done") == 0) && get)
		auth_json(resp, 200, cJSON_CreateObject());
	else if (strncmp(path, "/.auth/login/", 13) == 0) {
		const char *pn = path + 13, *slash = strchr(pn, '/');
		char name[64];
		size_t n = slash ? (size_t)(slash - pn) : strlen(pn);
		if (n == 0 || n >= sizeof name) {
			auth_error(resp, 404, "Not found");
			return;
		}
		memcpy(name, pn, n);
		name[n] = '\0';
		int p = auth_prov_parse(a, name);
		if (!auth_provider_ready(a, p, name, now_ms, resp))
			return;
		if (slash == NULL && strcmp(m, "POST") == 0)
			auth_login_client(a, db, req, p, now_ms, entropy, resp);
		else if (slash == NULL && get)
			auth_login_server(a, req, p, now_ms, resp);
		else if (slash && strcmp(slash, "/callback") == 0 && get)
			auth_callback(a, db, req, p, now_ms, entropy, resp);
		else if (slash && strcmp(slash, "/token") == 0 && get)
			auth_pkce_token(a, req, p, now_ms, resp);
		else
			auth_error(resp, 404, "Not found");
	} else
		auth_error(resp, 404, "Not found");
}

char *
auth_preset(const auth *a, sqlite3 *db, auth_prov p, const char *user,
    int64_t now_ms, uint64_t entropy, char *sid)
{
	char *json = NULL;
	auth_signed_in(a, db, p, user, now_ms, entropy, NULL, &json);
	cJSON *j = cJSON_Parse(json);
	free(json);
	const char *t = auth_claim_str(j, "authenticationToken");
	char *tok = xstrdup(t ? t : "");
	auth_sid(a, p, user, sid);
	cJSON_Delete(j);
	return tok;
}
