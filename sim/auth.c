/*
** auth.c: App Service Authentication for the simulated backend; see
** auth.h and docs/identity.md.
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
#include "sim/auth.h"
#include "sim/wire.h"
#include "lib/sb.h"
#include "lib/xmem.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct auth {
	auth_cfg	 c;
};

#define AUTH_HOUR_MS	(3600LL * 1000)
#define AUTH_STATE_MS	(10LL * 60 * 1000)	/* sign-in page round trip */
#define AUTH_CODE_MS	(5LL * 60 * 1000)	/* PKCE code to token */

static const char *const auth_names[AUTH_NPROV] = {
	"aad", "microsoftaccount", "google", "facebook", "twitter", "apple",
	"oidc"
};
static const char *const auth_titles[AUTH_NPROV] = {
	"Microsoft Entra ID", "Microsoft account", "Google", "Facebook",
	"X (Twitter)", "Apple", "OpenID Connect"
};
/* How long each provider's own access token lives: Entra, Microsoft
** account and Google about an hour, Facebook's long-lived token 60 days,
** X's never expires (0), Apple's id token 10 minutes. */
static const int64_t auth_prov_life[AUTH_NPROV] = {
	AUTH_HOUR_MS, AUTH_HOUR_MS, AUTH_HOUR_MS, 60 * 24 * AUTH_HOUR_MS, 0,
	AUTH_HOUR_MS / 6, AUTH_HOUR_MS
};

/* ---- base64url and HMAC ---------------------------------------------- */

static char *
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
static unsigned char *
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

static void
auth_hmac(const unsigned char *key, size_t keylen, const void *data,
    size_t n, unsigned char out[32])
{
	unsigned int len = 32;
	if (HMAC(EVP_sha256(), key, (int)keylen, data, n, out, &len) == NULL)
		memset(out, 0, 32);
}

/* The simulated provider p's signing key. */
static void
auth_idp_key(const auth *a, auth_prov p, unsigned char out[32])
{
	char label[64];
	snprintf(label, sizeof label, "idp:%s", auth_names[p]);
	auth_hmac(a->c.key, sizeof a->c.key, label, strlen(label), out);
}

/* ---- JWT (HS256) ----------------------------------------------------- */

static const char auth_jwt_head[] = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";

static char *
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
static auth_rc
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

static const char *
auth_claim_str(const cJSON *claims, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(claims, name);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static int64_t
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
auth_cfg_from_json(auth_cfg *c, const cJSON *obj, uint64_t seed, char *err,
    size_t errlen)
{
	auth_cfg_default(c, seed);
	if (!cJSON_IsObject(obj)) {
		snprintf(err, errlen, "auth is an object");
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
			snprintf(err, errlen, "unknown provider \"%s\"", type);
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
			snprintf(err, errlen, "providers.%s.secretExpires is "
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
auth_attach(const auth *a, sqlite3 *db, char *err, size_t errlen)
{
	(void)a;
	char *msg = NULL;
	if (sqlite3_exec(db, "CREATE TABLE IF NOT EXISTS __auth_tokens ("
	    "sid TEXT PRIMARY KEY, provider TEXT NOT NULL, name TEXT NOT "
	    "NULL, access_token TEXT, id_token TEXT, refresh_token TEXT, "
	    "expires_on INTEGER)", NULL, NULL, &msg) != SQLITE_OK) {
		snprintf(err, errlen, "token store: %s", msg ? msg : "?");
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

static void auth_error(http_resp *r, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
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

static void
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

static void
auth_redirect(http_resp *r, const char *location)
{
	http_resp_free(r);
	http_resp_init(r, 302);
	http_resp_add_header(r, "Location", location);
}

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

/* ---- the simulated identity providers -------------------------------- */

/* The provider's address: its issuer and the base of its pages. */
static const char *
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
static int
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

/* ---- the gate in front of /tables ------------------------------------ */

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
auth_gate(const auth *a, sqlite3 *db, const http_req *req, const char *table,
    const char *id, int64_t now_ms, auth_who *who, http_req *out,
    http_resp *resp)
{
	const auth_table *t = auth_table_find(a, table);
	out->method[0] = '\0';
	if (auth_caller(a, req, now_ms, who, resp))
		return 1;
	if (!who->signed_in && (a->c.require_all || (t && t->authenticated))) {
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
	if ((!ins && !patch) || req->body == NULL)
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
