/*
** scn_auth.c: the identity parts of a scenario (docs/scenario-format.md,
** "auth"): providers and their settings, tables that require sign-in or
** keep per-user rows, the devices' users, and the steps signin, signout,
** refresh, tamper and steal.
**
** The loader checks what the engine would otherwise meet as a surprise:
** an unknown or unconfigured provider, a provider missing what it needs
** (Apple's rotated ES256 secret, X's consumer key), a user on a device
** that never signs in, and, walking the script with who is signed in
** where, a refresh for a provider that issues no refresh tokens or a
** signout on a device that is not signed in.
*/
#include "sim/scn.h"
#include "sim/auth.h"
#include "sim/wire.h"
#include "lib/jx.h"
#include "lib/xmem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const scn_auth_provs[] = {
	"aad", "microsoftaccount", "google", "facebook", "twitter", "apple",
	NULL
};

int
scn_action_is_auth(scn_action a)
{
	return a == SCN_SIGNIN || a == SCN_SIGNOUT || a == SCN_REFRESH ||
	    a == SCN_TAMPER || a == SCN_STEAL;
}

/* The step's own keys, kept in st->row as an object. */
void
scn_auth_step(jx_doc *d, const scn *s, const char *path, const cJSON *obj,
    scn_step *st)
{
	const char *v = NULL;
	int b = 0;
	cJSON *o = cJSON_CreateObject();
	(void)s;
	switch (st->act) {
	case SCN_SIGNIN:
		if (jx_str(d, obj, path, "provider", 0, &v) == 1)
			cJSON_AddStringToObject(o, "provider", v);
		if (jx_str(d, obj, path, "user", 0, &v) == 1)
			cJSON_AddStringToObject(o, "user", v);
		if (jx_str(d, obj, path, "flow", 0, &v) == 1) {
			char p[1024];
			if (strcmp(v, "client") && strcmp(v, "server"))
				jx_err(d, jx_path(p, sizeof p, path, "flow"),
				    "flow is \"client\" (the provider's SDK, "
				    "then POST /.auth/login/<provider>) or "
				    "\"server\" (/.auth/login/<provider> in a "
				    "web view), not \"%s\"", v);
			cJSON_AddStringToObject(o, "flow", v);
		}
		break;
	case SCN_SIGNOUT:
		if (jx_bool(d, obj, path, "everywhere", 0, &b) == 1)
			cJSON_AddBoolToObject(o, "everywhere", b);
		break;
	case SCN_TAMPER:
		if (jx_str(d, obj, path, "user", 1, &v) == 1)
			cJSON_AddStringToObject(o, "user", v);
		break;
	case SCN_STEAL:
		if (jx_str(d, obj, path, "from", 1, &v) == 1) {
			char p[1024];
			if (scn_device_index(s, v) < 0)
				jx_err(d, jx_path(p, sizeof p, path, "from"),
				    "unknown device \"%s\"", v);
			cJSON_AddStringToObject(o, "from", v);
		}
		break;
	default:
		break;
	}
	if (cJSON_GetArraySize(o) == 0) {
		cJSON_Delete(o);
		o = NULL;
	}
	st->row = o;
}

/* ---- the "auth" section ---- */

/* The provider an entry of "providers" configures: its key, or "type"
** "openidconnect" for a friendly name.  -1 when unknown (reported). */
static int
scn_auth_prov(jx_doc *d, const char *path, const cJSON *m)
{
	const cJSON *ty = cJSON_GetObjectItemCaseSensitive(m, "type");
	if (cJSON_IsString(ty)) {
		if (strcmp(ty->valuestring, "openidconnect") != 0) {
			char p[1024];
			jx_err(d, jx_path(p, sizeof p, path, "type"), "type is "
			    "only for OpenID Connect providers: "
			    "\"openidconnect\"");
			return -1;
		}
		if (strchr(m->string, '-') != NULL ||
		    !jx_is_id(m->string)) {
			jx_err(d, path, "an OpenID Connect provider's name is "
			    "letters, digits and _ (no '-'), not \"%s\"",
			    m->string);
			return -1;
		}
		return AUTH_OIDC;
	}
	for (int i = 0; scn_auth_provs[i]; i++)
		if (strcmp(m->string, scn_auth_provs[i]) == 0)
			return i;
	if (strcmp(m->string, "x") == 0)
		return AUTH_TWITTER;
	jx_err(d, path, "unknown provider \"%s\" (aad, microsoftaccount, "
	    "google, facebook, twitter, apple, or a name with \"type\": "
	    "\"openidconnect\")", m->string);
	return -1;
}

static void
scn_auth_provider(jx_doc *d, const char *path, const cJSON *m, int p)
{
	static const char *const k_aad[] = { "clientId", "tenant",
	    "clientSecret", "offlineAccess", NULL };
	static const char *const k_cs[] = { "clientId", "clientSecret",
	    "offlineAccess", NULL };
	static const char *const k_fb[] = { "appId", "appSecret", NULL };
	static const char *const k_x[] = { "consumerKey", "consumerSecret",
	    NULL };
	static const char *const k_apple[] = { "clientId", "teamId", "keyId",
	    "secretIssued", "secretExpires", NULL };
	static const char *const k_oidc[] = { "type", "clientId",
	    "clientSecret", "metadataUrl", NULL };
	static const char *const *const keys[AUTH_NPROV] = { k_aad, k_cs, k_cs,
	    k_fb, k_x, k_apple, k_oidc };
	char q[1024];
	const char *v;
	if (!cJSON_IsObject(m)) {
		jx_err(d, path, "a provider's settings are an object");
		return;
	}
	jx_only(d, m, path, keys[p]);
	/* What each provider needs to be configured at all. */
	for (const char *const *k = keys[p]; *k; k++) {
		int need = strcmp(*k, "offlineAccess") && strcmp(*k, "type") &&
		    strcmp(*k, "secretIssued") && !(p == AUTH_AAD &&
		    strcmp(*k, "clientSecret") == 0) && !(p == AUTH_OIDC &&
		    strcmp(*k, "clientSecret") == 0);
		if (strcmp(*k, "offlineAccess") == 0) {
			int b;
			jx_bool(d, m, path, *k, 0, &b);
			continue;
		}
		if (jx_str(d, m, path, *k, need, &v) == 1 && v[0] == '\0')
			jx_err(d, jx_path(q, sizeof q, path, *k), "%s is empty",
			    *k);
	}
	if (p == AUTH_FACEBOOK || p == AUTH_TWITTER) {
		/* Already reported by jx_only; say why. */
		if (cJSON_GetObjectItemCaseSensitive(m, "offlineAccess"))
			jx_err(d, jx_path(q, sizeof q, path, "offlineAccess"),
			    "%s issues no refresh tokens, so there is no "
			    "offline access to ask for",
			    p == AUTH_FACEBOOK ? "Facebook" : "X (Twitter)");
	}
	if (p == AUTH_OIDC && jx_str(d, m, path, "metadataUrl", 1, &v) == 1 &&
	    (strncmp(v, "https://", 8) != 0 || strstr(v,
	    "/.well-known/openid-configuration") == NULL))
		jx_err(d, jx_path(q, sizeof q, path, "metadataUrl"), "the "
		    "metadata URL is https://.../.well-known/"
		    "openid-configuration");
	if (p == AUTH_APPLE) {
		int64_t iss = 0, exp = 0;
		int has_iss = jx_str(d, m, path, "secretIssued", 0, &v) == 1;
		if (has_iss && wire_parse_time(v, &iss, NULL) != 0)
			jx_err(d, jx_path(q, sizeof q, path, "secretIssued"),
			    "not an ISO-8601 time");
		if (jx_str(d, m, path, "secretExpires", 0, &v) == 1 &&
		    wire_parse_time(v, &exp, NULL) != 0)
			jx_err(d, jx_path(q, sizeof q, path, "secretExpires"),
			    "not an ISO-8601 time");
		else if (has_iss && exp - iss > 183LL * 24 * 3600 * 1000)
			jx_err(d, jx_path(q, sizeof q, path, "secretExpires"),
			    "Apple accepts a client secret (an ES256 JWT) "
			    "valid for at most 6 months after it is issued");
	}
}

/* What the loader knows of the configured providers: the name each
** answers to (NULL: not configured). */
typedef struct scn_auth_ctx {
	const char	*name[AUTH_NPROV];
	int		 offline[AUTH_NPROV];
	/* per device, from auth.devices, then as the script runs */
	int		 prov[SCN_MAX_DEVICES];
	const char	*user[SCN_MAX_DEVICES];
	int		 signed_in[SCN_MAX_DEVICES];
	int		 signs_in[SCN_MAX_DEVICES];
	int		 declared[SCN_MAX_DEVICES];
} scn_auth_ctx;

/* Resolves a provider name of a device or step at path: its index, or -1
** after reporting it (unknown, or known but not configured). */
static int
scn_auth_resolve(jx_doc *d, const scn_auth_ctx *c, const char *path,
    const char *v)
{
	for (int k = 0; k < AUTH_NPROV; k++)
		if (c->name[k] && (strcmp(v, c->name[k]) == 0 ||
		    (k == AUTH_TWITTER && strcmp(v, "x") == 0)))
			return k;
	for (int k = 0; scn_auth_provs[k]; k++)
		if (strcmp(v, scn_auth_provs[k]) == 0 || (k == AUTH_TWITTER &&
		    strcmp(v, "x") == 0)) {
			jx_err(d, path, "provider \"%s\" is not configured: add "
			    "it to auth.providers with its settings", v);
			return -1;
		}
	jx_err(d, path, "unknown provider \"%s\" (aad, microsoftaccount, "
	    "google, facebook, twitter, apple, or an OpenID Connect name in "
	    "auth.providers)", v);
	return -1;
}

static void
scn_auth_devices(jx_doc *d, const scn *s, const cJSON *devs, scn_auth_ctx *c)
{
	static const char *const keys[] = { "provider", "user", "signedIn",
	    "flow", "on401", NULL };
	const cJSON *m;
	char p[1024], q[1024];
	cJSON_ArrayForEach(m, devs) {
		jx_path(p, sizeof p, "auth.devices", m->string);
		int i = scn_device_index(s, m->string);
		if (i < 0) {
			jx_err(d, p, "unknown device \"%s\"", m->string);
			continue;
		}
		if (!cJSON_IsObject(m)) {
			jx_err(d, p, "a device's sign-in is an object");
			continue;
		}
		jx_only(d, m, p, keys);
		c->declared[i] = 1;
		const char *v;
		if (jx_str(d, m, p, "provider", 0, &v) == 1)
			c->prov[i] = scn_auth_resolve(d, c, jx_path(q, sizeof q,
			    p, "provider"), v);
		if (jx_str(d, m, p, "user", 0, &v) == 1)
			c->user[i] = v;
		jx_bool(d, m, p, "signedIn", 0, &c->signed_in[i]);
		if (c->signed_in[i] && (c->prov[i] < 0 || c->user[i] == NULL))
			jx_err(d, p, "a device signed in at the start needs "
			    "\"provider\" and \"user\"");
		if (jx_str(d, m, p, "flow", 0, &v) == 1 && strcmp(v, "client")
		    && strcmp(v, "server"))
			jx_err(d, jx_path(q, sizeof q, p, "flow"), "flow is "
			    "\"client\" or \"server\", not \"%s\"", v);
		if (jx_str(d, m, p, "on401", 0, &v) == 1) {
			if (strcmp(v, "abort") && strcmp(v, "refresh") &&
			    strcmp(v, "signin"))
				jx_err(d, jx_path(q, sizeof q, p, "on401"),
				    "on401 is \"abort\" (the SDK's behaviour: "
				    "the push stops, the app waits), "
				    "\"refresh\" or \"signin\", not \"%s\"", v);
			else if (strcmp(v, "refresh") == 0 && c->prov[i] >= 0 &&
			    !c->offline[c->prov[i]])
				jx_err(d, jx_path(q, sizeof q, p, "on401"),
				    "on401 \"refresh\" cannot work: %s",
				    auth_prov_can_refresh((auth_prov)c->prov[i])
				    ? "the provider is not configured with "
				    "\"offlineAccess\": true, so the token store "
				    "holds no refresh token" : "this provider "
				    "issues no refresh tokens (/.auth/refresh "
				    "answers 400); use \"signin\"");
			else if (strcmp(v, "signin") == 0 && (c->prov[i] < 0 ||
			    c->user[i] == NULL))
				jx_err(d, jx_path(q, sizeof q, p, "on401"),
				    "on401 \"signin\" needs the device's "
				    "\"provider\" and \"user\"");
		}
	}
}

static void
scn_auth_tables(jx_doc *d, const scn *s, const cJSON *tabs)
{
	static const char *const keys[] = { "access", "userColumn", NULL };
	const cJSON *m;
	char p[1024], q[1024];
	cJSON_ArrayForEach(m, tabs) {
		jx_path(p, sizeof p, "auth.tables", m->string);
		const scn_table *t = scn_table_find(s, m->string);
		if (t == NULL) {
			jx_err(d, p, "unknown table \"%s\"", m->string);
			continue;
		}
		if (!cJSON_IsObject(m)) {
			jx_err(d, p, "a table's access is an object");
			continue;
		}
		jx_only(d, m, p, keys);
		const char *v, *access = NULL;
		if (jx_str(d, m, p, "access", 0, &access) == 1 &&
		    strcmp(access, "anonymous") && strcmp(access,
		    "authenticated"))
			jx_err(d, jx_path(q, sizeof q, p, "access"), "access is "
			    "\"anonymous\" or \"authenticated\", not \"%s\"",
			    access);
		if (jx_str(d, m, p, "userColumn", 0, &v) == 1) {
			size_t k;
			for (k = 0; k < t->def.ncols; k++)
				if (strcmp(t->def.cols[k].name, v) == 0)
					break;
			jx_path(q, sizeof q, p, "userColumn");
			if (k == t->def.ncols)
				jx_err(d, q, "table %s has no column \"%s\"",
				    m->string, v);
			else if (t->def.cols[k].type != TBL_STRING)
				jx_err(d, q, "the user column holds a user id "
				    "(\"sid:...\"): it must be a string column");
			if (access && strcmp(access, "anonymous") == 0)
				jx_err(d, q, "per-user rows need a signed-in "
				    "caller: the table's access must be "
				    "\"authenticated\"");
		}
	}
}

/* Walks steps with who is signed in where. */
static void
scn_auth_walk(jx_doc *d, const scn *s, const char *key, const scn_step *st,
    size_t n, scn_auth_ctx *c, int check)
{
	char p[1024], q[1024];
	for (size_t i = 0; i < n; i++) {
		if (!scn_action_is_auth(st[i].act) || st[i].device == NULL)
			continue;
		int di = scn_device_index(s, st[i].device);
		if (di < 0)
			continue;
		jx_pathi(p, sizeof p, key, i);
		const cJSON *o = st[i].row;
		const cJSON *pv = cJSON_GetObjectItemCaseSensitive(o,
		    "provider");
		const cJSON *us = cJSON_GetObjectItemCaseSensitive(o, "user");
		switch (st[i].act) {
		case SCN_SIGNIN: {
			int prov = c->prov[di];
			if (cJSON_IsString(pv))
				prov = scn_auth_resolve(d, c, jx_path(q,
				    sizeof q, p, "provider"), pv->valuestring);
			else if (prov < 0 && check)
				jx_err(d, p, "signin needs \"provider\" (or "
				    "auth.devices.%s.provider)", st[i].device);
			if (!cJSON_IsString(us) && c->user[di] == NULL &&
			    check)
				jx_err(d, p, "signin needs \"user\" (or "
				    "auth.devices.%s.user)", st[i].device);
			c->signed_in[di] = 1;
			c->signs_in[di] = 1;
			if (prov >= 0)
				c->prov[di] = prov;
			break;
		}
		case SCN_SIGNOUT:
		case SCN_REFRESH:
		case SCN_TAMPER:
			if (!c->signed_in[di] && check) {
				jx_err(d, p, "%s is not signed in at this step: "
				    "%s needs a device that signed in "
				    "(auth.devices.%s.signedIn, or a signin "
				    "step before)", st[i].device,
				    scn_action_name(st[i].act), st[i].device);
				break;
			}
			if (st[i].act == SCN_SIGNOUT)
				c->signed_in[di] = 0;
			if (st[i].act == SCN_REFRESH && c->prov[di] >= 0 &&
			    !c->offline[c->prov[di]] && check)
				jx_err(d, p, "a refresh cannot work here: %s "
				    "%s", auth_prov_title((auth_prov)
				    c->prov[di]), auth_prov_can_refresh(
				    (auth_prov)c->prov[di]) ? "is not "
				    "configured with \"offlineAccess\": true, "
				    "so the token store holds no refresh token"
				    : "issues no refresh tokens (/.auth/refresh "
				    "answers 400): sign in again instead");
			break;
		case SCN_STEAL: {
			const cJSON *f = cJSON_GetObjectItemCaseSensitive(o,
			    "from");
			int fi = cJSON_IsString(f) ? scn_device_index(s,
			    f->valuestring) : -1;
			if (fi >= 0 && !c->signed_in[fi] && check)
				jx_err(d, p, "%s is not signed in at this step, "
				    "so it has no token to steal",
				    f->valuestring);
			if (fi >= 0) {
				c->signed_in[di] = c->signed_in[fi];
				c->prov[di] = c->prov[fi];
			}
			break;
		}
		default:
			break;
		}
	}
}

void
scn_auth_parse(jx_doc *d, scn *s, const cJSON *root)
{
	static const char *const keys[] = { "site", "tokenHours",
	    "refreshHours", "skewMinutes", "tokenStore",
	    "requireAuthentication", "providers", "tables", "devices", NULL };
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(root, "auth");
	char p[1024];
	int uses = 0;
	for (size_t i = 0; i < s->nsteps; i++)
		if (scn_action_is_auth(s->steps[i].act)) {
			if (a == NULL && !uses)
				jx_err(d, jx_pathi(p, sizeof p, "steps", i),
				    "%s needs an \"auth\" section (providers "
				    "and settings)",
				    scn_action_name(s->steps[i].act));
			uses = 1;
		}
	if (a == NULL)
		return;
	if (!cJSON_IsObject(a)) {
		jx_err(d, "auth", "auth is an object");
		return;
	}
	jx_only(d, a, "auth", keys);
	const char *v;
	long long x;
	if (jx_str(d, a, "auth", "site", 0, &v) == 1 &&
	    strncmp(v, "https://", 8) != 0)
		jx_err(d, "auth.site", "the site is the app's https:// URL");
	jx_int(d, a, "auth", "tokenHours", 0, 1, 8760, &x);
	jx_int(d, a, "auth", "refreshHours", 0, 0, 8760, &x);
	jx_int(d, a, "auth", "skewMinutes", 0, 0, 60, &x);
	int b;
	jx_bool(d, a, "auth", "tokenStore", 0, &b);
	jx_bool(d, a, "auth", "requireAuthentication", 0, &b);
	scn_auth_ctx c;
	memset(&c, 0, sizeof c);
	for (size_t i = 0; i < SCN_MAX_DEVICES; i++)
		c.prov[i] = -1;
	const cJSON *pv = NULL, *m;
	if (jx_obj(d, a, "auth", "providers", 1, &pv) == 1) {
		if (cJSON_GetArraySize(pv) == 0)
			jx_err(d, "auth.providers", "configure at least one "
			    "provider");
		cJSON_ArrayForEach(m, pv) {
			jx_path(p, sizeof p, "auth.providers", m->string);
			int k = scn_auth_prov(d, p, m);
			if (k < 0)
				continue;
			if (c.name[k] != NULL) {
				jx_err(d, p, "%s is configured twice",
				    auth_prov_title((auth_prov)k));
				continue;
			}
			scn_auth_provider(d, p, m, k);
			c.name[k] = k == AUTH_OIDC ? m->string :
			    scn_auth_provs[k];
			const cJSON *off = cJSON_GetObjectItemCaseSensitive(m,
			    "offlineAccess");
			c.offline[k] = auth_prov_can_refresh((auth_prov)k) &&
			    cJSON_IsTrue(off);
		}
	}
	const cJSON *o = NULL;
	if (jx_obj(d, a, "auth", "tables", 0, &o) == 1)
		scn_auth_tables(d, s, o);
	if (jx_obj(d, a, "auth", "devices", 0, &o) == 1)
		scn_auth_devices(d, s, o, &c);
	scn_auth_ctx start = c;
	scn_auth_walk(d, s, "steps", s->steps, s->nsteps, &c, 1);
	/* A solution runs from the start, as the script does. */
	scn_auth_ctx sol = start;
	scn_auth_walk(d, s, "solution", s->solution, s->nsolution, &sol, 1);
	for (size_t i = 0; i < s->ndevices && i < SCN_MAX_DEVICES; i++)
		if (start.declared[i] && start.user[i] && !start.signed_in[i] &&
		    !c.signs_in[i] && !sol.signs_in[i]) {
			jx_path(p, sizeof p, "auth.devices",
			    s->devices[i].name);
			jx_err(d, p, "user \"%s\" is on a device that is never "
			    "signed in: set \"signedIn\": true or add a "
			    "signin step", start.user[i]);
		}
	s->auth = cJSON_Duplicate(a, 1);
}
