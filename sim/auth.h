/*
** auth.h: App Service Authentication ("Easy Auth") in front of the
** simulated backend, and the simulated identity providers behind it.
**
** What the real service does, and this module with it
** (docs/identity.md has the sources and the simplifications):
**   - a table can require authentication: an anonymous request gets 401
**     "You must be logged in to use this application" (native clients get
**     401, never the browser's 302);
**   - a caller proves who it is with the X-ZUMO-AUTH header: an App
**     Service session token, here a JWT signed HS256 (HMAC-SHA256 from
**     OpenSSL's libcrypto) over its claims (sub "sid:...", idp, iss, aud,
**     nbf, exp), so a tampered, foreign or expired token really fails;
**   - tokens expire 8 hours after sign-in (5 minutes of clock skew
**     tolerated); /.auth/refresh renews one up to 72 hours after it
**     expired, for providers that issue refresh tokens;
**   - per-user tables: a user column the server fills from the caller and
**     filters every read, update and delete on.  Someone else's row
**     answers 404, as if absent, the way the Node server SDK's query
**     filter makes it vanish.
**
** An auth holds only configuration (immutable once made); the token store
** lives in the backend's database (table __auth_tokens), so the backend
** stays a function of its database and a snapshot of it is complete.
** The simulated identity providers (auth_idp_*) stand for Microsoft
** Entra ID, Google and the rest: no real provider is ever contacted.
*/
#ifndef auth_h
#define auth_h

#include <stddef.h>
#include <stdint.h>
#include <sqlite3.h>
#include <cjson/cJSON.h>
#include "lib/sb.h"
#include "sim/http.h"

typedef enum auth_prov {
	AUTH_AAD,		/* Microsoft Entra ID: /.auth/login/aad */
	AUTH_MSA,		/* Microsoft account: /microsoftaccount */
	AUTH_GOOGLE,
	AUTH_FACEBOOK,
	AUTH_TWITTER,		/* X; the Mobile SDKs say /twitter */
	AUTH_APPLE,
	AUTH_OIDC,		/* a generic OpenID Connect provider */
	AUTH_NPROV
} auth_prov;

typedef struct auth_provider {
	int		 on;		/* configured */
	char		 client_id[128];/* app id, consumer key, Services ID */
	char		 secret[128];	/* client secret, app secret,
					   consumer secret ("" none) */
	char		 tenant[128];	/* Entra: tenant or issuer */
	char		 name[32];	/* OpenID Connect: friendly name */
	char		 metadata[256];	/* OpenID Connect: metadata URL */
	char		 team_id[16];	/* Apple: Team ID (iss of the secret) */
	char		 key_id[16];	/* Apple: Key ID (kid of the secret) */
	int64_t		 secret_exp_ms;	/* Apple: the ES256 secret's exp */
	int		 offline;	/* refresh tokens requested at sign-in */
} auth_provider;

typedef struct auth_table {
	char		 name[64];
	int		 authenticated;	/* access "authenticated" */
	char		 user_col[64];	/* per-user column, "" for none */
} auth_table;

typedef struct auth_cfg {
	char		 site[128];	/* iss and aud of session tokens */
	unsigned char	 key[32];	/* the site's signing key */
	int64_t		 token_ms;	/* session lifetime: 8 h */
	int64_t		 refresh_ms;	/* refresh extension: 72 h */
	int64_t		 skew_ms;	/* expired tokens accepted: 5 min */
	int		 token_store;	/* 1: on (the default) */
	int		 require_all;	/* every table requires sign-in */
	char		 idp_base[64];	/* "": the providers are elsewhere;
					   else the path under which the
					   backend plays them ("/.idp") */
	auth_provider	 prov[AUTH_NPROV];
	auth_table	*tables;	/* owned */
	size_t		 ntables;
} auth_cfg;

typedef struct auth auth;

/* The caller of one request. */
typedef struct auth_who {
	int		 signed_in;	/* 0: anonymous */
	char		 sid[48];	/* "sid:..." */
	auth_prov	 prov;
	int64_t		 exp_ms;	/* the token's expiry */
} auth_who;

/* Outcome of a token check. */
typedef enum auth_rc {
	AUTH_OK = 0,
	AUTH_MALFORMED,		/* not three base64url parts of JSON */
	AUTH_BAD_SIGNATURE,	/* HMAC does not match: tampered or foreign */
	AUTH_BAD_AUDIENCE,	/* aud or iss is another site */
	AUTH_EXPIRED,		/* past exp plus the allowance */
	AUTH_NOT_YET		/* before nbf minus the skew */
} auth_rc;

/* A configuration with the real defaults (8 h, 72 h, 5 min, token store
** on, no provider, no table, site "https://synclab.azurewebsites.net")
** and key bytes from seed (a run is reproducible).  Never fails. */
void auth_cfg_default(auth_cfg *c, uint64_t seed);
/* Fills c from an "auth" object of a scenario (docs/scenario-format.md),
** which the scenario loader has already validated; on top of the
** defaults.  Returns 0, or -1 with a message replacing the text of err
** (NULL: none kept). */
int auth_cfg_from_json(auth_cfg *c, const cJSON *obj, uint64_t seed,
    sb *err);
/* Every provider configured with demonstration ids and offline access,
** every table of names authenticated (for `synclab serve --auth`). */
void auth_cfg_demo(auth_cfg *c, const char *const *names, size_t n);
void auth_cfg_free(auth_cfg *c);

/* Takes ownership of c's contents (c is emptied). */
auth *auth_new(auth_cfg *c);
void auth_free(auth *a);
const auth_cfg *auth_config(const auth *a);
/* Creates the token store table in db when missing.  0, or -1 with the
** message in err. */
int auth_attach(const auth *a, sqlite3 *db, sb *err);

/* Provider names as in /.auth/login/<name>; the OIDC one is its friendly
** name.  auth_prov_parse also takes "x" for twitter; -1 when unknown. */
const char *auth_prov_name(const auth *a, auth_prov p);
int auth_prov_parse(const auth *a, const char *name);
/* The provider's display name ("Microsoft Entra ID"). */
const char *auth_prov_title(auth_prov p);
/* Whether the provider can issue refresh tokens at all, and whether this
** configuration asked for them (offline access). */
int auth_prov_can_refresh(auth_prov p);
int auth_refreshable(const auth *a, auth_prov p);

/* The table's settings, or NULL (anonymous, shared rows). */
const auth_table *auth_table_find(const auth *a, const char *table);

/*
** Session tokens.  auth_sign makes one for sid signed in with p at now_ms
** (exp = now + token_ms); the caller frees it.  auth_verify checks one:
** signature first (constant-time compare), then aud/iss, then nbf and
** exp, where allowance_ms is how long past exp it is still accepted
** (skew_ms for requests, refresh_ms for /.auth/refresh).  who is filled
** on AUTH_OK (and on AUTH_EXPIRED, for messages).
*/
char *auth_sign(const auth *a, const char *sid, auth_prov p, int64_t now_ms);
auth_rc auth_verify(const auth *a, const char *token, int64_t now_ms,
    int64_t allowance_ms, auth_who *who);
const char *auth_rc_text(auth_rc rc);
/* The stable user id of a provider's user: "sid:" and 32 hex digits of an
** HMAC of the provider and the user's name, so it is the same on every
** sign-in and different per site.  out must hold 48 bytes. */
void auth_sid(const auth *a, auth_prov p, const char *user, char *out);

/*
** Requests.  auth_endpoint answers /.auth/... (login, callback, token,
** me, refresh, logout); resp freshly initialised; never fails.
** auth_front is App Service Authentication in front of every other
** request to the app: it fills who from X-ZUMO-AUTH and answers 401 for a
** token that fails its check, and for an anonymous caller when the site
** requires sign-in (require_all); 1 when it answered resp, else 0.  The
** header goes on to the app unchanged, as App Service passes it.
** auth_gate is the Mobile Apps server's part on a /tables request, for
** the caller auth_front found: 401 for an anonymous caller of a table that
** needs sign-in, and for a per-user table 404 when the id names another
** user's row.  On success it returns 0 and may give a rewritten copy of
** the request in *out (the user column set from the caller: the caller
** frees it with http_req_free; out->method[0] == 0 when unchanged); 1
** when it answered resp itself.
*/
void auth_endpoint(const auth *a, sqlite3 *db, const http_req *req,
    int64_t now_ms, uint64_t entropy, http_resp *resp);
/* With idp_base set: the simulated providers' own pages, for curl.
** GET <base>/<p>/authorize?...&user=NAME is the sign-in page (302 back to
** the callback); GET <base>/<p>/token?user=NAME gives the body to POST to
** /.auth/login/<p> in the client-directed flow. */
void auth_idp_endpoint(const auth *a, const http_req *req, int64_t now_ms,
    http_resp *resp);
int auth_front(const auth *a, const http_req *req, int64_t now_ms,
    auth_who *who, http_resp *resp);
int auth_gate(const auth *a, sqlite3 *db, const http_req *req,
    const char *table, const char *id, const auth_who *who, http_req *out,
    http_resp *resp);
/* Only the token check of auth_front: 0 with who filled (anonymous when no
** header), or 1 with resp set to the 401. */
int auth_caller(const auth *a, const http_req *req, int64_t now_ms,
    auth_who *who, http_resp *resp);

/*
** The simulated identity providers.  auth_idp_token issues the provider
** token a provider SDK gets when user signs in (a JWT signed with the
** provider's key, aud = the configured client id); the caller frees it.
** For twitter auth_idp_secret gives the matching access_token_secret.
** auth_idp_login_body builds the body of the client-directed POST for p
** ({"access_token"}, {"id_token"} or the twitter pair); caller frees.
** auth_idp_authorize plays the provider's sign-in page of the
** server-directed flow: from the Location of /.auth/login/<p> it makes
** the callback path and query the browser is sent back to (caller frees),
** or NULL when the location is not the provider's.
*/
char *auth_idp_token(const auth *a, auth_prov p, const char *user,
    int64_t now_ms);
char *auth_idp_secret(const auth *a, const char *access_token);
char *auth_idp_login_body(const auth *a, auth_prov p, const char *user,
    int64_t now_ms);
char *auth_idp_authorize(const auth *a, const char *location,
    const char *user, int64_t now_ms);

/* PKCE (RFC 7636, S256): the challenge of a verifier, base64url of its
** SHA-256, into a new string the caller frees. */
char *auth_pkce_challenge(const char *verifier);

/*
** Reads sub and exp from a token without checking it, as an app reads its
** own token to show when it expires: 0, or -1 when it is not a JWT.
** sid holds 48 bytes.
*/
int auth_peek(const char *token, char *sid, int64_t *exp_ms);
/* The token with its sub claim replaced by sid and its signature kept: a
** forgery (caller frees), which auth_verify must refuse. */
char *auth_forge(const char *token, const char *sid);
/* Signs user in with p as if it had happened before the run: the token
** store entry is written into db and the session token returned (caller
** frees); sid gets the user id (48 bytes). */
char *auth_preset(const auth *a, sqlite3 *db, auth_prov p, const char *user,
    int64_t now_ms, uint64_t entropy, char *sid);

/* A shortened token for display: its first 10 characters and "...". */
void auth_token_short(const char *token, char *out, size_t n);

#endif
