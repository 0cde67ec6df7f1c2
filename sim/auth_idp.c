/*
** auth_idp.c: the simulated identity providers (Microsoft Entra ID,
** Google and the rest) that stand behind App Service Authentication:
** their tokens, the authorization step of the server-directed flow, and
** the pages serve answers under idp_base.  No real provider is ever
** contacted.  Each provider signs with an HMAC of the site key and its
** name (see auth.c).
*/
#include "sim/auth_int.h"
#include "lib/sb.h"
#include "lib/xmem.h"

#include <openssl/sha.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the simulated identity providers -------------------------------- */

/* The simulated provider p's signing key. */
static void
auth_idp_key(const auth *a, auth_prov p, unsigned char out[32])
{
	char label[64];
	snprintf(label, sizeof label, "idp:%s", auth_names[p]);
	auth_hmac(a->c.key, sizeof a->c.key, label, strlen(label), out);
}

/* The provider's address: its issuer and the base of its pages. */
const char *
auth_idp_issuer(const auth *a, auth_prov p, char *buf, size_t n)
{
	static const char *const iss[AUTH_NPROV] = {
		"https://login.microsoftonline.sim/v2.0",
		"https://login.live.sim", "https://accounts.google.sim",
		"https://www.facebook.sim", "https://api.x.sim",
		"https://appleid.apple.sim", "https://idp.contoso.sim"
	};
	if (a->c.idp_base[0] == '\0')
		return iss[p];
	snprintf(buf, n, "%s/%s", a->c.idp_base, auth_names[p]);
	return buf;
}

static char *
auth_idp_jwt(const auth *a, auth_prov p, const char *user, int64_t now_ms,
    const char *typ, const char *nonce, int64_t life_ms)
{
	unsigned char key[32];
	cJSON *c = cJSON_CreateObject();
	auth_idp_key(a, p, key);
	char ib[128];
	cJSON_AddStringToObject(c, "iss", auth_idp_issuer(a, p, ib, sizeof ib));
	cJSON_AddStringToObject(c, "sub", user);
	cJSON_AddStringToObject(c, "name", user);
	cJSON_AddStringToObject(c, "aud", a->c.prov[p].client_id);
	cJSON_AddStringToObject(c, "typ", typ);
	if (nonce != NULL)
		cJSON_AddStringToObject(c, "nonce", nonce);
	cJSON_AddNumberToObject(c, "iat", (double)(now_ms / 1000));
	if (life_ms > 0)
		cJSON_AddNumberToObject(c, "exp",
		    (double)((now_ms + life_ms) / 1000));
	char *t = auth_jwt_make(key, c);
	cJSON_Delete(c);
	return t;
}

char *
auth_idp_token(const auth *a, auth_prov p, const char *user, int64_t now_ms)
{
	return auth_idp_jwt(a, p, user, now_ms, "token", NULL,
	    auth_prov_life[p]);
}

char *
auth_idp_secret(const auth *a, const char *access_token)
{
	unsigned char key[32], mac[32];
	auth_idp_key(a, AUTH_TWITTER, key);
	auth_hmac(key, sizeof key, access_token, strlen(access_token), mac);
	return auth_b64url(mac, 16);
}

char *
auth_idp_login_body(const auth *a, auth_prov p, const char *user,
    int64_t now_ms)
{
	char *tok = auth_idp_token(a, p, user, now_ms);
	cJSON *b = cJSON_CreateObject();
	if (p == AUTH_GOOGLE || p == AUTH_APPLE || p == AUTH_OIDC)
		cJSON_AddStringToObject(b, "id_token", tok);
	else
		cJSON_AddStringToObject(b, "access_token", tok);
	if (p == AUTH_TWITTER) {
		char *sec = auth_idp_secret(a, tok);
		cJSON_AddStringToObject(b, "access_token_secret", sec);
		free(sec);
	}
	char *t = cJSON_PrintUnformatted(b);
	char *out = xstrdup(t ? t : "{}");
	cJSON_free(t);
	cJSON_Delete(b);
	free(tok);
	return out;
}

/* Checks a token the provider issued (typ "token" or "code"): its
** signature with the provider's key, aud = the configured client id, and
** exp.  Fills user; 0, or -1 with why. */
int
auth_idp_check(const auth *a, auth_prov p, const char *tok, const char *typ,
    int64_t now_ms, char *user, size_t ulen, char **nonce, const char **why)
{
	unsigned char key[32];
	cJSON *c;
	auth_idp_key(a, p, key);
	if (auth_jwt_open(key, tok, &c) != AUTH_OK) {
		*why = "the provider's signature does not match";
		return -1;
	}
	const char *aud = auth_claim_str(c, "aud");
	const char *sub = auth_claim_str(c, "sub");
	const char *t = auth_claim_str(c, "typ");
	int64_t exp = auth_claim_ms(c, "exp", 0);
	int rc = -1;
	if (sub == NULL || t == NULL || strcmp(t, typ) != 0 || sub[0] == '\0')
		*why = "not a token of this provider";
	else if (aud == NULL || strcmp(aud, a->c.prov[p].client_id) != 0)
		*why = "the provider token was issued to another app (its aud "
		    "is not the configured client id)";
	else if (exp != 0 && now_ms > exp)
		*why = "the provider token has expired";
	else {
		snprintf(user, ulen, "%s", sub);
		if (nonce != NULL) {
			const char *n = auth_claim_str(c, "nonce");
			*nonce = n ? xstrdup(n) : NULL;
		}
		rc = 0;
	}
	cJSON_Delete(c);
	return rc;
}

char *
auth_idp_authorize(const auth *a, const char *location, const char *user,
    int64_t now_ms)
{
	if (location == NULL)
		return NULL;
	for (int p = 0; p < AUTH_NPROV; p++) {
		char ib[128];
		const char *iss = auth_idp_issuer(a, (auth_prov)p, ib,
		    sizeof ib);
		size_t n = strlen(iss);
		if (strncmp(location, iss, n) != 0 ||
		    strncmp(location + n, "/authorize?", 11) != 0)
			continue;
		char *state = http_query_get(location + n + 11, "state", NULL);
		if (state == NULL)
			return NULL;
		char *code = auth_idp_jwt(a, (auth_prov)p, user, now_ms, "code",
		    state, AUTH_STATE_MS);
		char *ce = http_escape(code), *se = http_escape(state);
		char *out = xasprintf("/.auth/login/%s/callback?code=%s&"
		    "state=%s", auth_prov_name(a, (auth_prov)p), ce, se);
		free(code);
		free(ce);
		free(se);
		free(state);
		return out;
	}
	return NULL;
}

char *
auth_pkce_challenge(const char *verifier)
{
	unsigned char md[SHA256_DIGEST_LENGTH];
	SHA256((const unsigned char *)verifier, strlen(verifier), md);
	return auth_b64url(md, sizeof md);
}


/* ---- the simulated providers' pages (serve) -------------------------- */

void
auth_idp_endpoint(const auth *a, const http_req *req, int64_t now_ms,
    http_resp *resp)
{
	const char *path = req->path ? req->path : "";
	size_t bl = strlen(a->c.idp_base);
	char name[64], *user = NULL;
	http_resp_free(resp);
	http_resp_init(resp, 404);
	const char *pn = path + bl + 1, *slash = strchr(pn, '/');
	if (bl == 0 || strncmp(path, a->c.idp_base, bl) != 0 ||
	    path[bl] != '/' || slash == NULL || (size_t)(slash - pn) >=
	    sizeof name || strcmp(req->method, "GET") != 0) {
		auth_error(resp, 404, "Not found");
		return;
	}
	memcpy(name, pn, (size_t)(slash - pn));
	name[slash - pn] = '\0';
	int p = -1;
	for (int i = 0; i < AUTH_NPROV; i++)
		if (strcmp(name, auth_names[i]) == 0 && a->c.prov[i].on)
			p = i;
	if (p < 0) {
		auth_error(resp, 404, "No simulated provider '%s' here", name);
		return;
	}
	user = http_query_get(req->query, "user", NULL);
	if (user == NULL || user[0] == '\0' || strlen(user) > 100) {
		auth_error(resp, 400, "Name the user who signs in: add "
		    "user=NAME to the query (the simulated provider signs in "
		    "whoever you name)");
		goto out;
	}
	if (strcmp(slash, "/token") == 0) {
		char *body = auth_idp_login_body(a, (auth_prov)p, user, now_ms);
		http_resp_free(resp);
		http_resp_init(resp, 200);
		http_resp_add_header(resp, "Content-Type", "application/json");
		http_resp_set_body(resp, body);
		free(body);
	} else if (strcmp(slash, "/authorize") == 0) {
		char ib[128];
		char *loc = xasprintf("%s%s?%s", auth_idp_issuer(a,
		    (auth_prov)p, ib, sizeof ib), slash, req->query ?
		    req->query : "");
		char *cb = auth_idp_authorize(a, loc, user, now_ms);
		free(loc);
		if (cb == NULL)
			auth_error(resp, 400, "The sign-in page needs the state "
			    "that /.auth/login/%s put in its redirect", name);
		else
			auth_redirect(resp, cb);
		free(cb);
	} else
		auth_error(resp, 404, "Not found");
out:
	free(user);
}
