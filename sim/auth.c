/*
** auth.c: App Service Authentication for the simulated backend; see
** auth.h and docs/identity.md.  This file holds the tokens and the
** configuration; auth_idp.c the simulated providers, auth_login.c the
** /.auth endpoints and the token store, auth_gate.c the gate in front of
** /tables (auth_int.h is what they share).
**
** Every token in here is a JWT with an HS256 signature (HMAC-SHA256 from
** libcrypto, compared in constant time with CRYPTO_memcmp): the session
** token (the real service's is a JWT over the same claims, signed with
** the site's key), the state and authorization code of the server flow,
** and the simulated providers' tokens.  A provider really signs with its
** private key and publishes the public one; here each provider's key is
** an HMAC of the site key and its name, which keeps one primitive and
** changes nothing a student can observe.
*/
#include "sim/auth_int.h"
#include "sim/wire.h"
#include "lib/sb.h"
#include "lib/xmem.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const auth_names[AUTH_NPROV] = {
	"aad", "microsoftaccount", "google", "facebook", "twitter", "apple",
	"oidc"
};
const char *const auth_titles[AUTH_NPROV] = {
	"Microsoft Entra ID", "Microsoft account", "Google", "Facebook",
	"X (Twitter)", "Apple", "OpenID Connect"
};
/* How long each provider's own access token lives: Entra, Microsoft
** account and Google about an hour, Facebook's long-lived token 60 days,
** X's never expires (0), Apple's id token 10 minutes. */
const int64_t auth_prov_life[AUTH_NPROV] = {
	AUTH_HOUR_MS, AUTH_HOUR_MS, AUTH_HOUR_MS, 60 * 24 * AUTH_HOUR_MS, 0,
	AUTH_HOUR_MS / 6, AUTH_HOUR_MS
};

/* ---- base64url and HMAC ---------------------------------------------- */

char *
auth_b64url(const unsigned char *p, size_t n)
{
	char *out = xmalloc(4 * ((n + 2) / 3) + 1);
	int len = EVP_EncodeBlock((unsigned char *)out, p, (int)n);
	while (len > 0 && out[len - 1] == '=')
		len--;
	out[len] = '\0';
	for (char *c = out; *c; c++)
		if (*c == '+')
			*c = '-';
		else if (*c == '/')
			*c = '_';
	return out;
}

/* Decodes n characters of base64url; NULL when not valid.  *outn gets the
** length; the result is NUL-terminated too. */
unsigned char *
auth_unb64url(const char *s, size_t n, size_t *outn)
{
	if (n % 4 == 1 || n > 1 << 20)
		return NULL;
	size_t pad = (4 - n % 4) % 4;
	char *t = xmalloc(n + pad + 1);
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '-')
			c = '+';
		else if (c == '_')
			c = '/';
		else if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9'))) {
			free(t);
			return NULL;
		}
		t[i] = c;
	}
	memset(t + n, '=', pad);
	t[n + pad] = '\0';
	unsigned char *out = xmalloc((n + pad) / 4 * 3 + 1);
	int len = EVP_DecodeBlock(out, (unsigned char *)t, (int)(n + pad));
	free(t);
	if (len < 0) {
		free(out);
		return NULL;
	}
	*outn = (size_t)len - pad;
	out[*outn] = '\0';
	return out;
}

void
auth_hmac(const unsigned char *key, size_t keylen, const void *data,
    size_t n, unsigned char out[32])
{
	unsigned int len = 32;
	if (HMAC(EVP_sha256(), key, (int)keylen, data, n, out, &len) == NULL)
		memset(out, 0, 32);
}

/* ---- JWT (HS256) ----------------------------------------------------- */

static const char auth_jwt_head[] = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";

char *
auth_jwt_make(const unsigned char key[32], const cJSON *claims)
{
	char *body = cJSON_PrintUnformatted(claims);
	char *h = auth_b64url((const unsigned char *)auth_jwt_head,
	    strlen(auth_jwt_head));
	char *c = auth_b64url((const unsigned char *)(body ? body : "{}"),
	    body ? strlen(body) : 2);
	char *signing = xasprintf("%s.%s", h, c);
	unsigned char mac[32];
	auth_hmac(key, 32, signing, strlen(signing), mac);
	char *sig = auth_b64url(mac, sizeof mac);
	char *tok = xasprintf("%s.%s", signing, sig);
	cJSON_free(body);
	free(h);
	free(c);
	free(signing);
	free(sig);
	return tok;
}

/* Checks the form and the signature; on AUTH_OK *claims is the parsed
** claims object (caller deletes). */
auth_rc
auth_jwt_open(const unsigned char key[32], const char *tok, cJSON **claims)
{
	*claims = NULL;
	if (tok == NULL)
		return AUTH_MALFORMED;
	size_t n = strlen(tok);
	const char *d1 = memchr(tok, '.', n);
	const char *d2 = d1 ? memchr(d1 + 1, '.', n - (size_t)(d1 + 1 - tok)) :
	    NULL;
	if (d1 == NULL || d2 == NULL || strchr(d2 + 1, '.') != NULL)
		return AUTH_MALFORMED;
	size_t hn, cn, sn;
	unsigned char *h = auth_unb64url(tok, (size_t)(d1 - tok), &hn);
	unsigned char *c = auth_unb64url(d1 + 1, (size_t)(d2 - d1 - 1), &cn);
	unsigned char *s = auth_unb64url(d2 + 1, strlen(d2 + 1), &sn);
	auth_rc rc = AUTH_MALFORMED;
	cJSON *hj = NULL, *cj = NULL;
	if (h == NULL || c == NULL || s == NULL)
		goto out;
	hj = cJSON_ParseWithLength((const char *)h, hn);
	cj = cJSON_ParseWithLength((const char *)c, cn);
	if (!cJSON_IsObject(hj) || !cJSON_IsObject(cj))
		goto out;
	const cJSON *alg = cJSON_GetObjectItemCaseSensitive(hj, "alg");
	if (!cJSON_IsString(alg) || strcmp(alg->valuestring, "HS256") != 0) {
		/* "none" and every other algorithm are refused outright. */
		rc = AUTH_BAD_SIGNATURE;
		goto out;
	}
	unsigned char mac[32];
	auth_hmac(key, 32, tok, (size_t)(d2 - tok), mac);
	if (sn != sizeof mac || CRYPTO_memcmp(mac, s, sizeof mac) != 0) {
		rc = AUTH_BAD_SIGNATURE;
		goto out;
	}
	rc = AUTH_OK;
	*claims = cj;
	cj = NULL;
out:
	cJSON_Delete(hj);
	cJSON_Delete(cj);
	free(h);
	free(c);
	free(s);
	return rc;
}

const char *
auth_claim_str(const cJSON *claims, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(claims, name);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

int64_t
auth_claim_ms(const cJSON *claims, const char *name, int64_t dflt)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(claims, name);
	if (!cJSON_IsNumber(v) || v->valuedouble < 0 ||
	    v->valuedouble > 1e13)
		return dflt;
	return (int64_t)v->valuedouble * 1000;
}

/* ---- configuration --------------------------------------------------- */

void
auth_cfg_default(auth_cfg *c, uint64_t seed)
{
	memset(c, 0, sizeof *c);
	snprintf(c->site, sizeof c->site, "https://synclab.azurewebsites.net");
	unsigned char s[8];
	for (int i = 0; i < 8; i++)
		s[i] = (unsigned char)(seed >> (8 * i));
	auth_hmac((const unsigned char *)"synclab site key", 16, s, sizeof s,
	    c->key);
	c->token_ms = 8 * AUTH_HOUR_MS;
	c->refresh_ms = 72 * AUTH_HOUR_MS;
	c->skew_ms = 5 * 60 * 1000;
	c->token_store = 1;
}

static void
auth_copy(char *dst, size_t n, const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	if (cJSON_IsString(v))
		snprintf(dst, n, "%s", v->valuestring);
}

static int
auth_flag(const cJSON *obj, const char *key, int dflt)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	return cJSON_IsBool(v) ? cJSON_IsTrue(v) : dflt;
}

static int64_t
auth_hours(const cJSON *obj, const char *key, int64_t dflt)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	if (!cJSON_IsNumber(v) || v->valuedouble <= 0 ||
	    v->valuedouble > 24 * 366)
		return dflt;
	return (int64_t)(v->valuedouble * (double)AUTH_HOUR_MS);
}

int
auth_cfg_from_json(auth_cfg *c, const cJSON *obj, uint64_t seed, sb *err)
{
	auth_cfg_default(c, seed);
	if (!cJSON_IsObject(obj)) {
		sb_setf(err, "auth is an object");
		return -1;
	}
	auth_copy(c->site, sizeof c->site, obj, "site");
	c->token_ms = auth_hours(obj, "tokenHours", c->token_ms);
	c->refresh_ms = auth_hours(obj, "refreshHours", c->refresh_ms);
	const cJSON *sk = cJSON_GetObjectItemCaseSensitive(obj, "skewMinutes");
	if (cJSON_IsNumber(sk) && sk->valuedouble >= 0 &&
	    sk->valuedouble <= 60)
		c->skew_ms = (int64_t)(sk->valuedouble * 60000);
	c->token_store = auth_flag(obj, "tokenStore", 1);
	c->require_all = auth_flag(obj, "requireAuthentication", 0);
	const cJSON *pv = cJSON_GetObjectItemCaseSensitive(obj, "providers"), *m;
	cJSON_ArrayForEach(m, pv) {
		const char *type = m->string;
		const cJSON *ty = cJSON_GetObjectItemCaseSensitive(m, "type");
		if (cJSON_IsString(ty))
			type = ty->valuestring;
		int p = -1;
		for (int i = 0; i < AUTH_NPROV; i++)
			if (strcmp(type, auth_names[i]) == 0 ||
			    (i == AUTH_OIDC && strcmp(type, "openidconnect") ==
			    0))
				p = i;
		if (strcmp(type, "x") == 0)
			p = AUTH_TWITTER;
		if (p < 0) {
			sb_setf(err, "unknown provider \"%s\"", type);
			return -1;
		}
		auth_provider *ap = &c->prov[p];
		ap->on = 1;
		auth_copy(ap->client_id, sizeof ap->client_id, m, "clientId");
		auth_copy(ap->client_id, sizeof ap->client_id, m, "appId");
		auth_copy(ap->client_id, sizeof ap->client_id, m,
		    "consumerKey");
		auth_copy(ap->secret, sizeof ap->secret, m, "clientSecret");
		auth_copy(ap->secret, sizeof ap->secret, m, "appSecret");
		auth_copy(ap->secret, sizeof ap->secret, m, "consumerSecret");
		auth_copy(ap->tenant, sizeof ap->tenant, m, "tenant");
		auth_copy(ap->metadata, sizeof ap->metadata, m, "metadataUrl");
		auth_copy(ap->team_id, sizeof ap->team_id, m, "teamId");
		auth_copy(ap->key_id, sizeof ap->key_id, m, "keyId");
		if (p == AUTH_OIDC)
			snprintf(ap->name, sizeof ap->name, "%s", m->string);
		char when[64] = "";
		auth_copy(when, sizeof when, m, "secretExpires");
		if (when[0] && wire_parse_time(when, &ap->secret_exp_ms, NULL) != 0) {
			sb_setf(err, "providers.%s.secretExpires is "
			    "not an ISO-8601 time", m->string);
			return -1;
		}
		ap->offline = auth_prov_can_refresh((auth_prov)p) &&
		    auth_flag(m, "offlineAccess", 0);
	}
	const cJSON *tb = cJSON_GetObjectItemCaseSensitive(obj, "tables");
	int nt = cJSON_GetArraySize(tb);
	c->tables = xcalloc((size_t)(nt > 0 ? nt : 1), sizeof *c->tables);
	cJSON_ArrayForEach(m, tb) {
		auth_table *t = &c->tables[c->ntables++];
		snprintf(t->name, sizeof t->name, "%s", m->string);
		const cJSON *ac = cJSON_GetObjectItemCaseSensitive(m, "access");
		t->authenticated = cJSON_IsString(ac) &&
		    strcmp(ac->valuestring, "authenticated") == 0;
		auth_copy(t->user_col, sizeof t->user_col, m, "userColumn");
		if (t->user_col[0])
			t->authenticated = 1;
	}
	return 0;
}

void
auth_cfg_demo(auth_cfg *c, const char *const *names, size_t n)
{
	for (int p = 0; p < AUTH_NPROV; p++) {
		auth_provider *ap = &c->prov[p];
		ap->on = 1;
		snprintf(ap->client_id, sizeof ap->client_id, "synclab-%s",
		    auth_names[p]);
		snprintf(ap->secret, sizeof ap->secret, "demo-secret");
		ap->offline = auth_prov_can_refresh((auth_prov)p);
	}
	snprintf(c->prov[AUTH_AAD].tenant, sizeof c->prov[AUTH_AAD].tenant,
	    "contoso.onmicrosoft.com");
	snprintf(c->prov[AUTH_OIDC].name, sizeof c->prov[AUTH_OIDC].name,
	    "contoso");
	snprintf(c->prov[AUTH_APPLE].team_id, sizeof c->prov[AUTH_APPLE].team_id,
	    "TEAM123456");
	snprintf(c->prov[AUTH_APPLE].key_id, sizeof c->prov[AUTH_APPLE].key_id,
	    "KEY1234567");
	free(c->tables);
	c->tables = xcalloc(n ? n : 1, sizeof *c->tables);
	c->ntables = n;
	for (size_t i = 0; i < n; i++) {
		snprintf(c->tables[i].name, sizeof c->tables[i].name, "%s",
		    names[i]);
		c->tables[i].authenticated = 1;
	}
}

void
auth_cfg_free(auth_cfg *c)
{
	free(c->tables);
	c->tables = NULL;
	c->ntables = 0;
}

auth *
auth_new(auth_cfg *c)
{
	auth *a = xcalloc(1, sizeof *a);
	a->c = *c;
	c->tables = NULL;
	c->ntables = 0;
	return a;
}

void
auth_free(auth *a)
{
	if (a == NULL)
		return;
	auth_cfg_free(&a->c);
	OPENSSL_cleanse(a->c.key, sizeof a->c.key);
	free(a);
}

const auth_cfg *
auth_config(const auth *a)
{
	return &a->c;
}

int
auth_attach(const auth *a, sqlite3 *db, sb *err)
{
	(void)a;
	char *msg = NULL;
	if (sqlite3_exec(db, "CREATE TABLE IF NOT EXISTS __auth_tokens ("
	    "sid TEXT PRIMARY KEY, provider TEXT NOT NULL, name TEXT NOT "
	    "NULL, access_token TEXT, id_token TEXT, refresh_token TEXT, "
	    "expires_on INTEGER)", NULL, NULL, &msg) != SQLITE_OK) {
		sb_setf(err, "token store: %s", msg ? msg : "?");
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

/* ---- providers ------------------------------------------------------- */

const char *
auth_prov_name(const auth *a, auth_prov p)
{
	if ((unsigned)p >= AUTH_NPROV)
		return "?";
	if (p == AUTH_OIDC && a != NULL && a->c.prov[p].name[0])
		return a->c.prov[p].name;
	return auth_names[p];
}

int
auth_prov_parse(const auth *a, const char *name)
{
	if (name == NULL)
		return -1;
	if (strcmp(name, "x") == 0)
		return AUTH_TWITTER;
	for (int i = 0; i < AUTH_OIDC; i++)
		if (strcmp(name, auth_names[i]) == 0)
			return i;
	if (a != NULL && a->c.prov[AUTH_OIDC].name[0] &&
	    strcmp(name, a->c.prov[AUTH_OIDC].name) == 0)
		return AUTH_OIDC;
	return -1;
}

const char *
auth_prov_title(auth_prov p)
{
	return (unsigned)p < AUTH_NPROV ? auth_titles[p] : "?";
}

int
auth_prov_can_refresh(auth_prov p)
{
	return p == AUTH_AAD || p == AUTH_MSA || p == AUTH_GOOGLE;
}

int
auth_refreshable(const auth *a, auth_prov p)
{
	return (unsigned)p < AUTH_NPROV && auth_prov_can_refresh(p) &&
	    a->c.prov[p].on && a->c.prov[p].offline;
}

const auth_table *
auth_table_find(const auth *a, const char *table)
{
	for (size_t i = 0; a != NULL && i < a->c.ntables; i++)
		if (strcmp(a->c.tables[i].name, table) == 0)
			return &a->c.tables[i];
	return NULL;
}

/* ---- session tokens -------------------------------------------------- */

void
auth_sid(const auth *a, auth_prov p, const char *user, char *out)
{
	unsigned char mac[32];
	char *in = xasprintf("%s|%s", auth_names[p], user);
	auth_hmac(a->c.key, sizeof a->c.key, in, strlen(in), mac);
	free(in);
	strcpy(out, "sid:");
	for (int i = 0; i < 16; i++)
		snprintf(out + 4 + 2 * i, 3, "%02x", mac[i]);
}

char *
auth_sign(const auth *a, const char *sid, auth_prov p, int64_t now_ms)
{
	cJSON *c = cJSON_CreateObject();
	int64_t now = now_ms / 1000;
	cJSON_AddStringToObject(c, "sub", sid);
	cJSON_AddStringToObject(c, "idp", auth_names[p]);
	cJSON_AddStringToObject(c, "ver", "3");
	cJSON_AddStringToObject(c, "iss", a->c.site);
	cJSON_AddStringToObject(c, "aud", a->c.site);
	cJSON_AddNumberToObject(c, "nbf", (double)now);
	cJSON_AddNumberToObject(c, "exp",
	    (double)(now + a->c.token_ms / 1000));
	char *t = auth_jwt_make(a->c.key, c);
	cJSON_Delete(c);
	return t;
}

auth_rc
auth_verify(const auth *a, const char *token, int64_t now_ms,
    int64_t allowance_ms, auth_who *who)
{
	cJSON *c;
	memset(who, 0, sizeof *who);
	auth_rc rc = auth_jwt_open(a->c.key, token, &c);
	if (rc != AUTH_OK)
		return rc;
	const char *sub = auth_claim_str(c, "sub");
	const char *idp = auth_claim_str(c, "idp");
	const char *aud = auth_claim_str(c, "aud");
	const char *iss = auth_claim_str(c, "iss");
	int64_t exp = auth_claim_ms(c, "exp", -1);
	int64_t nbf = auth_claim_ms(c, "nbf", 0);
	int p = -1;
	for (int i = 0; idp != NULL && i < AUTH_NPROV; i++)
		if (strcmp(idp, auth_names[i]) == 0)
			p = i;
	if (sub == NULL || strncmp(sub, "sid:", 4) != 0 ||
	    strlen(sub) >= sizeof who->sid || p < 0 || exp < 0) {
		rc = AUTH_MALFORMED;
		goto out;
	}
	if (aud == NULL || iss == NULL || strcmp(aud, a->c.site) != 0 ||
	    strcmp(iss, a->c.site) != 0) {
		rc = AUTH_BAD_AUDIENCE;
		goto out;
	}
	snprintf(who->sid, sizeof who->sid, "%s", sub);
	who->prov = (auth_prov)p;
	who->exp_ms = exp;
	if (now_ms + a->c.skew_ms < nbf)
		rc = AUTH_NOT_YET;
	else if (now_ms > exp + allowance_ms)
		rc = AUTH_EXPIRED;
	else
		who->signed_in = 1;
out:
	cJSON_Delete(c);
	return rc;
}

const char *
auth_rc_text(auth_rc rc)
{
	switch (rc) {
	case AUTH_OK: return "valid";
	case AUTH_MALFORMED: return "not a session token";
	case AUTH_BAD_SIGNATURE: return "the signature does not match: the "
	    "token was altered or signed by another site";
	case AUTH_BAD_AUDIENCE: return "the token was issued for another "
	    "site (aud/iss)";
	case AUTH_EXPIRED: return "the token has expired";
	case AUTH_NOT_YET: return "the token is not valid yet (nbf)";
	}
	return "?";
}

void
auth_token_short(const char *token, char *out, size_t n)
{
	if (n == 0)
		return;
	if (token == NULL) {
		out[0] = '\0';
		return;
	}
	if (strlen(token) <= 13)
		snprintf(out, n, "%s", token);
	else
		snprintf(out, n, "%.10s...", token);
}

/* ---- responses ------------------------------------------------------- */

void
auth_error(http_resp *r, int status, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	sb b = SB_INIT;
	sb_add(&b, "{\"error\":");
	sb_addjson(&b, msg);
	sb_addc(&b, '}');
	http_resp_free(r);
	http_resp_init(r, status);
	http_resp_add_header(r, "Content-Type", "application/json");
	http_resp_set_body(r, sb_str(&b));
	sb_free(&b);
}

void
auth_json(http_resp *r, int status, cJSON *body)
{
	char *t = cJSON_PrintUnformatted(body);
	http_resp_free(r);
	http_resp_init(r, status);
	http_resp_add_header(r, "Content-Type", "application/json");
	http_resp_set_body(r, t ? t : "{}");
	cJSON_free(t);
	cJSON_Delete(body);
}

void
auth_redirect(http_resp *r, const char *location)
{
	http_resp_free(r);
	http_resp_init(r, 302);
	http_resp_add_header(r, "Location", location);
}

/* ---- reading tokens without checking them ---------------------------- */

static cJSON *
auth_claims_of(const char *token)
{
	const char *d1 = token ? strchr(token, '.') : NULL;
	const char *d2 = d1 ? strchr(d1 + 1, '.') : NULL;
	size_t n;
	if (d2 == NULL)
		return NULL;
	unsigned char *c = auth_unb64url(d1 + 1, (size_t)(d2 - d1 - 1), &n);
	if (c == NULL)
		return NULL;
	cJSON *j = cJSON_ParseWithLength((const char *)c, n);
	free(c);
	if (!cJSON_IsObject(j)) {
		cJSON_Delete(j);
		return NULL;
	}
	return j;
}

int
auth_peek(const char *token, char *sid, int64_t *exp_ms)
{
	cJSON *j = auth_claims_of(token);
	if (j == NULL)
		return -1;
	const char *sub = auth_claim_str(j, "sub");
	snprintf(sid, 48, "%s", sub ? sub : "");
	*exp_ms = auth_claim_ms(j, "exp", 0);
	cJSON_Delete(j);
	return 0;
}

char *
auth_forge(const char *token, const char *sid)
{
	cJSON *j = auth_claims_of(token);
	const char *d1 = token ? strchr(token, '.') : NULL;
	const char *d2 = d1 ? strchr(d1 + 1, '.') : NULL;
	if (j == NULL || d2 == NULL) {
		cJSON_Delete(j);
		return xstrdup(token ? token : "");
	}
	cJSON_ReplaceItemInObjectCaseSensitive(j, "sub",
	    cJSON_CreateString(sid));
	char *body = cJSON_PrintUnformatted(j);
	char *c = auth_b64url((const unsigned char *)body, strlen(body));
	char *out = xasprintf("%.*s.%s%s", (int)(d1 - token), token, c, d2);
	cJSON_free(body);
	cJSON_Delete(j);
	free(c);
	return out;
}

