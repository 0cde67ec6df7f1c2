/*
** auth_int.h: what the auth module's files share; not for other modules.
**
** auth.c owns the primitives (base64url, HMAC, HS256 JWTs), the
** configuration, the session tokens and the JSON responses;
** auth_idp.c plays the simulated identity providers; auth_login.c
** keeps the token store and answers /.auth/...; auth_gate.c stands in
** front of /tables.
*/
#ifndef auth_int_h
#define auth_int_h

#include <stddef.h>
#include <stdint.h>
#include <cjson/cJSON.h>
#include "sim/auth.h"
#include "sim/http.h"

struct auth {
	auth_cfg	 c;
};

#define AUTH_HOUR_MS	(3600LL * 1000)
#define AUTH_STATE_MS	(10LL * 60 * 1000)	/* sign-in page round trip */
#define AUTH_CODE_MS	(5LL * 60 * 1000)	/* PKCE code to token */

/* The providers' path names, titles and token lifetimes, by auth_prov. */
extern const char *const auth_names[AUTH_NPROV];
extern const char *const auth_titles[AUTH_NPROV];
extern const int64_t auth_prov_life[AUTH_NPROV];

/* base64url without padding; the caller frees. */
char *auth_b64url(const unsigned char *p, size_t n);
/* Decodes n characters of base64url; NULL when not valid.  *outn gets the
** length; the result is NUL-terminated too.  The caller frees. */
unsigned char *auth_unb64url(const char *s, size_t n, size_t *outn);
/* HMAC-SHA256 of data under key (all zero if libcrypto fails). */
void auth_hmac(const unsigned char *key, size_t keylen, const void *data,
    size_t n, unsigned char out[32]);

/* An HS256 JWT over claims, signed with key; the caller frees. */
char *auth_jwt_make(const unsigned char key[32], const cJSON *claims);
/* Checks the form and the signature; on AUTH_OK *claims is the parsed
** claims object (caller deletes). */
auth_rc auth_jwt_open(const unsigned char key[32], const char *tok,
    cJSON **claims);
/* A string claim (NULL when absent or not a string), a time claim in
** seconds read as milliseconds (dflt when absent or out of range). */
const char *auth_claim_str(const cJSON *claims, const char *name);
int64_t auth_claim_ms(const cJSON *claims, const char *name, int64_t dflt);

/* Replace *r with a JSON error {"error": message}, a JSON body (body is
** deleted) or a 302 to location. */
void auth_error(http_resp *r, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void auth_json(http_resp *r, int status, cJSON *body);
void auth_redirect(http_resp *r, const char *location);

/* The simulated provider's issuer and page base (buf holds it when the
** backend plays the provider under idp_base). */
const char *auth_idp_issuer(const auth *a, auth_prov p, char *buf,
    size_t n);
/* Checks a token the provider issued (typ "token" or "code"): its
** signature with the provider's key, aud = the configured client id, and
** exp.  Fills user (and *nonce, caller frees, when nonce != NULL); 0, or
** -1 with why. */
int auth_idp_check(const auth *a, auth_prov p, const char *tok,
    const char *typ, int64_t now_ms, char *user, size_t ulen, char **nonce,
    const char **why);

#endif
