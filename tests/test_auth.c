/*
** test_auth.c: App Service Authentication in front of the backend
** (sim/auth.c): session tokens, the /.auth endpoints, the gate and
** per-user rows.
*/
#include "tests/testutil.h"

#include <stdlib.h>
#include <string.h>

#include "sim/auth.h"
#include "sim/hub.h"
#include "sim/scn.h"
#include "sim/sim.h"
#include "sim/srv.h"

/* 2026-03-02T09:00:00.000Z */
#define T0	1772442000000LL
#define MIN	(60LL * 1000)
#define HOUR	(60 * MIN)

static const tbl_col job_cols[] = {
	{ "title", TBL_STRING },
	{ "userId", TBL_STRING },
};

typedef struct world {
	srv		*s;
	auth		*a;
	uint64_t	 ent;
} world;

static const char auth_json[] =
	"{\"providers\":{"
	"\"aad\":{\"clientId\":\"app-aad\",\"tenant\":\"contoso\","
	"\"offlineAccess\":true},"
	"\"microsoftaccount\":{\"clientId\":\"app-msa\",\"clientSecret\":"
	"\"s\",\"offlineAccess\":true},"
	"\"google\":{\"clientId\":\"app-g\",\"clientSecret\":\"s\","
	"\"offlineAccess\":true},"
	"\"facebook\":{\"appId\":\"app-fb\",\"appSecret\":\"s\"},"
	"\"twitter\":{\"consumerKey\":\"app-x\",\"consumerSecret\":\"s\"},"
	"\"apple\":{\"clientId\":\"app-apple\",\"teamId\":\"T\",\"keyId\":"
	"\"K\",\"secretExpires\":\"2026-03-05T00:00:00Z\"},"
	"\"contoso\":{\"type\":\"openidconnect\",\"clientId\":\"app-o\","
	"\"metadataUrl\":\"https://idp.contoso.sim/.well-known/"
	"openid-configuration\"}},"
	"\"tables\":{\"job\":{\"access\":\"authenticated\","
	"\"userColumn\":\"userId\"},\"open\":{}}}";

static void
world_open(world *w, const char *json)
{
	auth_cfg c;
	cJSON *j = cJSON_Parse(json);
	assert_non_null(j);
	assert_int_equal(auth_cfg_from_json(&c, j, 7, NULL), 0);
	cJSON_Delete(j);
	w->a = auth_new(&c);
	w->s = srv_open(NULL, NULL);
	assert_non_null(w->s);
	tbl_def job = { "job", (tbl_col *)job_cols, 2, 1 };
	tbl_col oc[] = { { "title", TBL_STRING } };
	tbl_def open = { "open", oc, 1, 1 };
	assert_int_equal(srv_define(w->s, &job, NULL), 0);
	assert_int_equal(srv_define(w->s, &open, NULL), 0);
	assert_int_equal(srv_set_auth(w->s, w->a, NULL), 0);
	w->ent = 1;
}

static void
world_close(world *w)
{
	srv_close(w->s);
	auth_free(w->a);
}

static int
call(world *w, http_resp *r, const char *method, const char *path,
    const char *query, const char *token, const char *body, int64_t now)
{
	http_req q;
	http_req_init(&q, method, path, query);
	http_req_add_header(&q, "ZUMO-API-VERSION", "2.0.0");
	if (token)
		http_req_add_header(&q, "X-ZUMO-AUTH", token);
	if (body)
		http_req_set_body(&q, body);
	http_resp_init(r, 0);
	srv_handle(w->s, &q, now, w->ent++, r);
	http_req_free(&q);
	return r->status;
}

static const char *
jstr(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* Signs in user with p through the client-directed flow; returns the
** session token (caller frees) and the sid in sid. */
static char *
signin(world *w, auth_prov p, const char *user, int64_t now, char *sid)
{
	http_resp r;
	char *body = auth_idp_login_body(w->a, p, user, now);
	char path[64];
	snprintf(path, sizeof path, "/.auth/login/%s",
	    auth_prov_name(w->a, p));
	assert_int_equal(call(w, &r, "POST", path, NULL, NULL, body, now), 200);
	free(body);
	cJSON *j = cJSON_Parse(r.body);
	char *tok = strdup(jstr(j, "authenticationToken"));
	const cJSON *u = cJSON_GetObjectItemCaseSensitive(j, "user");
	if (sid)
		snprintf(sid, 48, "%s", jstr(u, "userId"));
	cJSON_Delete(j);
	http_resp_free(&r);
	return tok;
}

/* ---- tokens ---- */

static void
t_sign_verify(void **state)
{
	(void)state;
	world w;
	auth_who who;
	char sid[48];
	world_open(&w, auth_json);
	auth_sid(w.a, AUTH_GOOGLE, "ana", sid);
	assert_int_equal(strncmp(sid, "sid:", 4), 0);
	assert_int_equal(strlen(sid), 36);
	char *t = auth_sign(w.a, sid, AUTH_GOOGLE, T0);
	assert_int_equal(auth_verify(w.a, t, T0, 5 * MIN, &who), AUTH_OK);
	assert_string_equal(who.sid, sid);
	assert_int_equal(who.prov, AUTH_GOOGLE);
	assert_true(who.exp_ms == T0 + 8 * HOUR);
	/* Within the 5 minutes of skew: still good; after them: expired. */
	assert_int_equal(auth_verify(w.a, t, T0 + 8 * HOUR + 4 * MIN, 5 * MIN,
	    &who), AUTH_OK);
	assert_int_equal(auth_verify(w.a, t, T0 + 8 * HOUR + 6 * MIN, 5 * MIN,
	    &who), AUTH_EXPIRED);
	/* A token used before its nbf beyond the skew. */
	assert_int_equal(auth_verify(w.a, t, T0 - 6 * MIN, 5 * MIN, &who),
	    AUTH_NOT_YET);
	/* Tampered: one character of the claims changed. */
	char *bad = strdup(t);
	char *dot = strchr(bad, '.');
	dot[5] = dot[5] == 'A' ? 'B' : 'A';
	assert_int_equal(auth_verify(w.a, bad, T0, 5 * MIN, &who),
	    AUTH_BAD_SIGNATURE);
	free(bad);
	/* Tampered: the signature's last character. */
	bad = strdup(t);
	bad[strlen(bad) - 2] = bad[strlen(bad) - 2] == 'x' ? 'y' : 'x';
	assert_int_equal(auth_verify(w.a, bad, T0, 5 * MIN, &who),
	    AUTH_BAD_SIGNATURE);
	free(bad);
	assert_int_equal(auth_verify(w.a, "abc", T0, 0, &who), AUTH_MALFORMED);
	assert_int_equal(auth_verify(w.a, "a.b.c", T0, 0, &who),
	    AUTH_MALFORMED);
	free(t);

	/* Another site (a different key): signature fails.  The same key
	** with another site name: wrong audience. */
	auth_cfg c2;
	auth_cfg_default(&c2, 8);
	auth *other = auth_new(&c2);
	t = auth_sign(other, sid, AUTH_GOOGLE, T0);
	assert_int_equal(auth_verify(w.a, t, T0, 0, &who), AUTH_BAD_SIGNATURE);
	free(t);
	auth_free(other);
	auth_cfg_default(&c2, 7);
	snprintf(c2.site, sizeof c2.site, "https://evil.azurewebsites.net");
	other = auth_new(&c2);
	t = auth_sign(other, sid, AUTH_GOOGLE, T0);
	assert_int_equal(auth_verify(w.a, t, T0, 0, &who), AUTH_BAD_AUDIENCE);
	free(t);
	auth_free(other);
	world_close(&w);
}

static void
t_sid_stable(void **state)
{
	(void)state;
	world w;
	char a1[48], a2[48], b[48], c[48];
	world_open(&w, auth_json);
	auth_sid(w.a, AUTH_AAD, "ana", a1);
	auth_sid(w.a, AUTH_AAD, "ana", a2);
	auth_sid(w.a, AUTH_AAD, "ben", b);
	auth_sid(w.a, AUTH_GOOGLE, "ana", c);
	assert_string_equal(a1, a2);
	assert_string_not_equal(a1, b);
	assert_string_not_equal(a1, c);
	world_close(&w);
}

/* ---- sign-in ---- */

static void
t_client_flow_every_provider(void **state)
{
	(void)state;
	world w;
	http_resp r;
	world_open(&w, auth_json);
	for (int p = 0; p < AUTH_NPROV; p++) {
		char sid[48], want[48];
		char *t = signin(&w, (auth_prov)p, "ana", T0, sid);
		auth_sid(w.a, (auth_prov)p, "ana", want);
		assert_string_equal(sid, want);
		assert_int_equal(call(&w, &r, "GET", "/tables/job", NULL, t,
		    NULL, T0 + MIN), 200);
		http_resp_free(&r);
		free(t);
	}
	/* A token from the provider for another app: 401. */
	auth_cfg c2;
	cJSON *j = cJSON_Parse("{\"providers\":{\"google\":{\"clientId\":"
	    "\"someone-else\"}}}");
	assert_int_equal(auth_cfg_from_json(&c2, j, 7, NULL), 0);
	cJSON_Delete(j);
	auth *other = auth_new(&c2);
	char *body = auth_idp_login_body(other, AUTH_GOOGLE, "ana", T0);
	assert_int_equal(call(&w, &r, "POST", "/.auth/login/google", NULL,
	    NULL, body, T0), 401);
	assert_non_null(strstr(r.body, "another app"));
	http_resp_free(&r);
	free(body);
	auth_free(other);
	/* X needs the matching secret. */
	assert_int_equal(call(&w, &r, "POST", "/.auth/login/twitter", NULL,
	    NULL, "{\"access_token\":\"a.b.c\",\"access_token_secret\":\"x\"}",
	    T0), 401);
	http_resp_free(&r);
	/* The wrong body for Google (id_token expected). */
	assert_int_equal(call(&w, &r, "POST", "/.auth/login/google", NULL,
	    NULL, "{\"access_token\":\"x\"}", T0), 400);
	assert_non_null(strstr(r.body, "id_token"));
	http_resp_free(&r);
	/* A provider that is not configured, and one that does not exist. */
	assert_int_equal(call(&w, &r, "POST", "/.auth/login/github", NULL,
	    NULL, "{}", T0), 404);
	http_resp_free(&r);
	world_close(&w);
}

static const char *
location(const http_resp *r)
{
	return http_resp_header(r, "Location");
}

static void
t_server_flow_pkce(void **state)
{
	(void)state;
	world w;
	http_resp r;
	world_open(&w, auth_json);
	const char *verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
	char *cc = auth_pkce_challenge(verifier);
	/* RFC 7636, appendix B. */
	assert_string_equal(cc, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
	char *q = malloc(512);
	snprintf(q, 512, "post_login_redirect_url=synclab%%3A%%2F%%2F"
	    "easyauth.callback&code_challenge=%s&code_challenge_method=S256&"
	    "session_mode=token", cc);
	assert_int_equal(call(&w, &r, "GET", "/.auth/login/aad", q, NULL, NULL,
	    T0), 302);
	char *cb = auth_idp_authorize(w.a, location(&r), "ana", T0 + 1000);
	assert_non_null(cb);
	http_resp_free(&r);
	char *qm = strchr(cb, '?');
	*qm = '\0';
	assert_string_equal(cb, "/.auth/login/aad/callback");
	assert_int_equal(call(&w, &r, "GET", cb, qm + 1, NULL, NULL,
	    T0 + 2000), 302);
	const char *loc = location(&r);
	assert_int_equal(strncmp(loc, "synclab://easyauth.callback#"
	    "authorization_code=", 47), 0);
	char *code = http_unescape(loc + 47);
	http_resp_free(&r);
	char *esc = http_escape(code);
	/* A wrong verifier: 401. */
	snprintf(q, 512, "authorization_code=%s&code_verifier=wrong", esc);
	char *q2 = malloc(strlen(esc) + 128);
	sprintf(q2, "authorization_code=%s&code_verifier=wrong", esc);
	assert_int_equal(call(&w, &r, "GET", "/.auth/login/aad/token", q2,
	    NULL, NULL, T0 + 3000), 401);
	http_resp_free(&r);
	sprintf(q2, "authorization_code=%s&code_verifier=%s", esc, verifier);
	assert_int_equal(call(&w, &r, "GET", "/.auth/login/aad/token", q2,
	    NULL, NULL, T0 + 3000), 200);
	cJSON *j = cJSON_Parse(r.body);
	const char *tok = jstr(j, "authenticationToken");
	auth_who who;
	assert_int_equal(auth_verify(w.a, tok, T0 + 4000, 0, &who), AUTH_OK);
	char want[48];
	auth_sid(w.a, AUTH_AAD, "ana", want);
	assert_string_equal(who.sid, want);
	cJSON_Delete(j);
	http_resp_free(&r);
	/* The classic mobile flow, without PKCE: the token in the fragment
	** of /.auth/login/done. */
	assert_int_equal(call(&w, &r, "GET", "/.auth/login/google", NULL, NULL,
	    NULL, T0), 302);
	free(cb);
	cb = auth_idp_authorize(w.a, location(&r), "ben", T0);
	http_resp_free(&r);
	qm = strchr(cb, '?');
	*qm = '\0';
	assert_int_equal(call(&w, &r, "GET", cb, qm + 1, NULL, NULL, T0), 302);
	assert_int_equal(strncmp(location(&r), "/.auth/login/done#token=", 24),
	    0);
	http_resp_free(&r);
	free(cb);
	free(code);
	free(esc);
	free(q);
	free(q2);
	free(cc);
	world_close(&w);
}

static void
t_apple_secret_expired(void **state)
{
	(void)state;
	world w;
	http_resp r;
	world_open(&w, auth_json);
	int64_t late = T0 + 4 * 24 * HOUR;	/* after 2026-03-05 */
	assert_int_equal(call(&w, &r, "GET", "/.auth/login/apple", NULL, NULL,
	    NULL, late), 302);
	char *cb = auth_idp_authorize(w.a, location(&r), "ana", late);
	http_resp_free(&r);
	char *qm = strchr(cb, '?');
	*qm = '\0';
	assert_int_equal(call(&w, &r, "GET", cb, qm + 1, NULL, NULL, late),
	    401);
	assert_non_null(strstr(r.body, "rotated"));
	http_resp_free(&r);
	free(cb);
	world_close(&w);
}

/* ---- refresh ---- */

static void
t_refresh_per_provider(void **state)
{
	(void)state;
	static const struct {
		auth_prov	p;
		int		inside;		/* status 1 h after expiry */
	} cases[] = {
		{ AUTH_AAD, 200 }, { AUTH_MSA, 200 }, { AUTH_GOOGLE, 200 },
		{ AUTH_FACEBOOK, 400 }, { AUTH_TWITTER, 400 },
		{ AUTH_APPLE, 400 }, { AUTH_OIDC, 400 },
	};
	world w;
	http_resp r;
	world_open(&w, auth_json);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *t = signin(&w, cases[i].p, "ana", T0, NULL);
		/* Expired: the table says 401. */
		assert_int_equal(call(&w, &r, "GET", "/tables/job", NULL, t,
		    NULL, T0 + 9 * HOUR), 401);
		assert_non_null(strstr(r.body, "expired"));
		http_resp_free(&r);
		assert_int_equal(call(&w, &r, "GET", "/.auth/refresh", NULL, t,
		    NULL, T0 + 9 * HOUR), cases[i].inside);
		if (cases[i].inside == 200) {
			cJSON *j = cJSON_Parse(r.body);
			const char *nt = jstr(j, "authenticationToken");
			http_resp r2;
			assert_int_equal(call(&w, &r2, "GET", "/tables/job",
			    NULL, nt, NULL, T0 + 9 * HOUR), 200);
			http_resp_free(&r2);
			cJSON_Delete(j);
		}
		http_resp_free(&r);
		/* 72 hours after expiry, and a minute more: too late. */
		assert_int_equal(call(&w, &r, "GET", "/.auth/refresh", NULL, t,
		    NULL, T0 + 8 * HOUR + 72 * HOUR + MIN), 401);
		http_resp_free(&r);
		free(t);
	}
	/* Right at the edge of the window, Google still refreshes. */
	char *t = signin(&w, AUTH_GOOGLE, "ben", T0, NULL);
	assert_int_equal(call(&w, &r, "GET", "/.auth/refresh", NULL, t, NULL,
	    T0 + 80 * HOUR - MIN), 200);
	http_resp_free(&r);
	/* After a sign-out the stored refresh token is gone: 403; the
	** session token itself stays valid until it expires. */
	assert_int_equal(call(&w, &r, "GET", "/.auth/logout", NULL, t, NULL,
	    T0 + HOUR), 302);
	http_resp_free(&r);
	assert_int_equal(call(&w, &r, "GET", "/.auth/refresh", NULL, t, NULL,
	    T0 + 2 * HOUR), 403);
	http_resp_free(&r);
	assert_int_equal(call(&w, &r, "GET", "/tables/job", NULL, t, NULL,
	    T0 + 2 * HOUR), 200);
	http_resp_free(&r);
	free(t);
	assert_int_equal(call(&w, &r, "GET", "/.auth/refresh", NULL, NULL,
	    NULL, T0), 401);
	http_resp_free(&r);
	world_close(&w);

	/* Google without offline access: no refresh token, 403. */
	world_open(&w, "{\"providers\":{\"google\":{\"clientId\":\"g\"}}}");
	t = signin(&w, AUTH_GOOGLE, "ana", T0, NULL);
	assert_int_equal(call(&w, &r, "GET", "/.auth/refresh", NULL, t, NULL,
	    T0 + HOUR), 403);
	assert_non_null(strstr(r.body, "offline access"));
	http_resp_free(&r);
	free(t);
	world_close(&w);
}

static void
t_me(void **state)
{
	(void)state;
	world w;
	http_resp r;
	world_open(&w, auth_json);
	char sid[48];
	char *t = signin(&w, AUTH_GOOGLE, "ana", T0, sid);
	assert_int_equal(call(&w, &r, "GET", "/.auth/me", NULL, t, NULL, T0),
	    200);
	cJSON *j = cJSON_Parse(r.body);
	const cJSON *e = cJSON_GetArrayItem(j, 0);
	assert_string_equal(jstr(e, "provider_name"), "google");
	assert_string_equal(jstr(e, "user_id"), "ana");
	assert_non_null(jstr(e, "refresh_token"));
	cJSON_Delete(j);
	http_resp_free(&r);
	assert_int_equal(call(&w, &r, "GET", "/.auth/me", NULL, NULL, NULL, T0),
	    401);
	http_resp_free(&r);
	free(t);
	world_close(&w);
}

/* ---- the gate and per-user rows ---- */

static void
t_anonymous_and_bad_tokens(void **state)
{
	(void)state;
	world w;
	http_resp r;
	world_open(&w, auth_json);
	assert_int_equal(call(&w, &r, "GET", "/tables/job", NULL, NULL, NULL,
	    T0), 401);
	assert_non_null(strstr(r.body, "You must be logged in"));
	http_resp_free(&r);
	assert_int_equal(call(&w, &r, "POST", "/tables/job", NULL, NULL,
	    "{\"title\":\"x\"}", T0), 401);
	http_resp_free(&r);
	/* A table without settings takes anonymous callers. */
	assert_int_equal(call(&w, &r, "GET", "/tables/open", NULL, NULL, NULL,
	    T0), 200);
	http_resp_free(&r);
	/* A bad token fails even where anonymous callers are welcome. */
	assert_int_equal(call(&w, &r, "GET", "/tables/open", NULL, "x.y.z",
	    NULL, T0), 401);
	http_resp_free(&r);
	world_close(&w);
}

static int
count_rows(const http_resp *r)
{
	cJSON *j = cJSON_Parse(r->body);
	int n = cJSON_GetArraySize(j);
	cJSON_Delete(j);
	return n;
}

static void
t_per_user_every_verb(void **state)
{
	(void)state;
	world w;
	http_resp r;
	char sa[48], sb_[48];
	world_open(&w, auth_json);
	char *ta = signin(&w, AUTH_AAD, "ana", T0, sa);
	char *tb = signin(&w, AUTH_AAD, "ben", T0, sb_);
	/* Insert: the server fills userId from the caller, whatever the
	** client sent. */
	assert_int_equal(call(&w, &r, "POST", "/tables/job", NULL, ta,
	    "{\"id\":\"a1\",\"title\":\"Ana's\",\"userId\":\"sid:forged\"}",
	    T0), 201);
	cJSON *j = cJSON_Parse(r.body);
	assert_string_equal(jstr(j, "userId"), sa);
	cJSON_Delete(j);
	http_resp_free(&r);
	assert_int_equal(call(&w, &r, "POST", "/tables/job", NULL, tb,
	    "{\"id\":\"b1\",\"title\":\"Ben's\"}", T0), 201);
	http_resp_free(&r);
	/* Read: each sees only their own. */
	assert_int_equal(call(&w, &r, "GET", "/tables/job", NULL, ta, NULL, T0),
	    200);
	assert_int_equal(count_rows(&r), 1);
	assert_non_null(strstr(r.body, "\"a1\""));
	http_resp_free(&r);
	assert_int_equal(call(&w, &r, "GET", "/tables/job",
	    "$filter=title%20ne%20'zz'&__includeDeleted=true", tb, NULL, T0),
	    200);
	assert_int_equal(count_rows(&r), 1);
	assert_non_null(strstr(r.body, "\"b1\""));
	http_resp_free(&r);
	/* Read one, update, delete, undelete another's row: 404 each. */
	assert_int_equal(call(&w, &r, "GET", "/tables/job/a1", NULL, tb, NULL,
	    T0), 404);
	http_resp_free(&r);
	assert_int_equal(call(&w, &r, "PATCH", "/tables/job/a1", NULL, tb,
	    "{\"title\":\"mine now\"}", T0), 404);
	http_resp_free(&r);
	assert_int_equal(call(&w, &r, "DELETE", "/tables/job/a1", NULL, tb,
	    NULL, T0), 404);
	http_resp_free(&r);
	assert_int_equal(call(&w, &r, "POST", "/tables/job/a1", NULL, tb, "{}",
	    T0), 404);
	http_resp_free(&r);
	/* The owner can do each. */
	assert_int_equal(call(&w, &r, "GET", "/tables/job/a1", NULL, ta, NULL,
	    T0), 200);
	http_resp_free(&r);
	/* An update cannot hand the row to someone else. */
	char body[128];
	snprintf(body, sizeof body, "{\"title\":\"t2\",\"userId\":\"%s\"}", sb_);
	assert_int_equal(call(&w, &r, "PATCH", "/tables/job/a1", NULL, ta,
	    body, T0), 200);
	j = cJSON_Parse(r.body);
	assert_string_equal(jstr(j, "userId"), sa);
	cJSON_Delete(j);
	http_resp_free(&r);
	/* A PUT replaces the row: without userId the server still fills it,
	** and another user's PUT finds no row. */
	assert_int_equal(call(&w, &r, "PUT", "/tables/job/a1", NULL, ta,
	    "{\"id\":\"a1\",\"title\":\"t3\"}", T0), 200);
	j = cJSON_Parse(r.body);
	assert_string_equal(jstr(j, "userId"), sa);
	assert_string_equal(jstr(j, "title"), "t3");
	cJSON_Delete(j);
	http_resp_free(&r);
	assert_int_equal(call(&w, &r, "PUT", "/tables/job/a1", NULL, tb,
	    "{\"id\":\"a1\",\"title\":\"t4\"}", T0), 404);
	http_resp_free(&r);
	assert_int_equal(call(&w, &r, "DELETE", "/tables/job/a1", NULL, ta,
	    NULL, T0), 200);
	http_resp_free(&r);
	assert_int_equal(call(&w, &r, "POST", "/tables/job/a1", NULL, ta, "{}",
	    T0), 201);
	http_resp_free(&r);
	/* Ben's view did not change through any of it. */
	assert_int_equal(call(&w, &r, "GET", "/tables/job", "$inlinecount="
	    "allpages", tb, NULL, T0), 200);
	assert_non_null(strstr(r.body, "\"count\":1"));
	http_resp_free(&r);
	free(ta);
	free(tb);
	world_close(&w);
}

static void
t_caller_seam(void **state)
{
	(void)state;
	world w;
	world_open(&w, auth_json);
	/* Outside a request the caller is anonymous. */
	assert_int_equal(srv_caller(w.s)->signed_in, 0);
	/* /.auth needs no ZUMO-API-VERSION; without auth it is not there. */
	http_req q;
	http_resp r;
	http_req_init(&q, "GET", "/.auth/me", NULL);
	http_resp_init(&r, 0);
	srv_handle(w.s, &q, T0, 1, &r);
	assert_int_equal(r.status, 401);
	http_resp_free(&r);
	assert_int_equal(srv_set_auth(w.s, NULL, NULL), 0);
	http_resp_init(&r, 0);
	srv_handle(w.s, &q, T0, 1, &r);
	assert_int_equal(r.status, 400);
	http_resp_free(&r);
	http_req_free(&q);
	world_close(&w);
}


/* The push route gets the caller from X-ZUMO-AUTH: a signed-in caller's
** installation is tagged _UserId:<sid>; a bad token gets 401. */
static void
t_push_user_tag(void **state)
{
	(void)state;
	world w;
	http_resp r;
	char sid[48], tag[64];
	world_open(&w, auth_json);
	hub *h = hub_new(HUB_FREE);
	srv_attach_hub(w.s, h);
	char *t = signin(&w, AUTH_AAD, "ana", T0, sid);
	const char *body = "{\"pushChannel\":\"tok\",\"platform\":\"apns\"}";
	assert_int_equal(call(&w, &r, "PUT", "/push/installations/i1", NULL,
	    t, body, T0), 204);
	http_resp_free(&r);
	long i = hub_find(h, "i1");
	assert_true(i >= 0);
	snprintf(tag, sizeof tag, "_UserId:%s", sid);
	int found = 0;
	for (size_t k = 0; k < h->in[i].ntags; k++)
		found |= strcmp(h->in[i].tags[k], tag) == 0;
	assert_true(found);
	assert_int_equal(call(&w, &r, "PUT", "/push/installations/i2", NULL,
	    "x.y.z", body, T0), 401);
	http_resp_free(&r);
	assert_int_equal(srv_caller(w.s)->signed_in, 0);
	free(t);
	world_close(&w);
	hub_free(h);
}

/* ---- the device: a 401 stops the push, the policy decides ---- */

/* A scenario: Tablet-A signed in with provider at the start, on401 as
** given, one offline update, then a wait of wait_h hours and a push. */
static scn *
scn_401(const char *provider_json, const char *dev_json, int wait_h)
{
	char *text = malloc(4096);
	snprintf(text, 4096,
	    "{\"id\":\"t\",\"title\":\"t\",\"summary\":\"s\","
	    "\"objectives\":[{\"text\":\"o\",\"domain\":"
	    "\"cloud-concepts\"}],"
	    "\"auth\":{\"providers\":{%s},"
	    "\"tables\":{\"job\":{\"access\":\"authenticated\"}},"
	    "\"devices\":{\"Tablet-A\":%s}},"
	    "\"tables\":[{\"name\":\"job\",\"columns\":{\"title\":\"string\"}}],"
	    "\"devices\":[{\"name\":\"Tablet-A\"}],"
	    "\"rows\":{\"job\":[{\"id\":\"j1\",\"title\":\"a\"}]},"
	    "\"steps\":[{\"do\":\"pull\",\"device\":\"Tablet-A\"},"
	    "{\"do\":\"update\",\"device\":\"Tablet-A\",\"table\":\"job\","
	    "\"id\":\"j1\",\"set\":{\"title\":\"b\"}},"
	    "{\"do\":\"wait\",\"ms\":%lld},"
	    "{\"do\":\"push\",\"device\":\"Tablet-A\"}]}",
	    provider_json, dev_json, (long long)wait_h * HOUR);
	sb errs = SB_INIT;
	scn *s = scn_load_text("t.json", text, strlen(text), &errs, NULL);
	if (s == NULL)
		fprintf(stderr, "%s", sb_str(&errs));
	assert_non_null(s);
	sb_free(&errs);
	free(text);
	return s;
}

/* The statuses of the responses of the last step, as a string "401 200". */
static void
last_statuses(sim *r, char *out, size_t n)
{
	const trc *t = sim_trace(r);
	size_t from = sim_trace_start(r, sim_pos(r) - 1);
	out[0] = '\0';
	for (size_t i = from; i < t->n; i++)
		if (t->ev[i].type == TRC_RESPONSE) {
			size_t k = strlen(out);
			snprintf(out + k, n - k, "%s%d", k ? " " : "",
			    t->ev[i].status);
		}
}

static const char aad_prov[] = "\"aad\":{\"clientId\":\"c\",\"tenant\":"
    "\"t\",\"offlineAccess\":true}";

static void
t_device_401_refresh(void **state)
{
	(void)state;
	sb err = SB_INIT;
	sim *r = sim_open(scn_401(aad_prov, "{\"provider\":\"aad\",\"user\":"
	    "\"ana\",\"signedIn\":true,\"on401\":\"refresh\"}", 20), NULL,
	    &err);
	assert_non_null(r);
	assert_int_equal(sim_run(r, &err), SIM_END);
	char st[128];
	last_statuses(r, st, sizeof st);
	assert_string_equal(st, "401 200 200");
	assert_int_equal(dev_queue_len(sim_dev(r, 0)), 0);
	assert_int_equal(dev_auth_blocked(sim_dev(r, 0), NULL, 0), 0);
	cJSON *row = srv_get_row(sim_srv(r), "job", "j1");
	assert_string_equal(jstr(row, "title"), "b");
	cJSON_Delete(row);
	/* The 401 carried the token, shortened in the trace's header. */
	const trc *t = sim_trace(r);
	int seen = 0;
	for (size_t i = 0; i < t->n; i++) {
		char *h = trc_header(&t->ev[i], "X-ZUMO-AUTH");
		if (h != NULL && t->ev[i].type == TRC_REQUEST &&
		    strcmp(t->ev[i].path, "/.auth/refresh") == 0)
			seen = 1;
		free(h);
	}
	assert_true(seen);
	sim_close(r);
	sb_free(&err);
}

static void
t_device_401_abort_keeps_queue(void **state)
{
	(void)state;
	sb err = SB_INIT;
	sim *r = sim_open(scn_401(aad_prov, "{\"provider\":\"aad\",\"user\":"
	    "\"ana\",\"signedIn\":true}", 20), NULL, &err);
	assert_non_null(r);
	assert_int_equal(sim_run(r, &err), SIM_END);
	char st[128], why[256];
	last_statuses(r, st, sizeof st);
	assert_string_equal(st, "401");
	assert_int_equal(dev_queue_len(sim_dev(r, 0)), 1);
	assert_int_equal(dev_error_count(sim_dev(r, 0)), 0);
	assert_int_equal(dev_auth_blocked(sim_dev(r, 0), why, sizeof why), 1);
	assert_non_null(strstr(why, "expired"));
	/* The checker: queued with its reason, nothing lost. */
	assert_int_equal(sim_finish(r, &err), 0);
	chk_report rep;
	sim_check(r, &rep);
	assert_int_equal(rep.lost, 0);
	assert_int_equal(rep.queued, 1);
	int reason = 0;
	for (size_t i = 0; i < rep.nf; i++)
		if (rep.f[i].kind == CHK_QUEUED &&
		    strstr(rep.f[i].text, "401") != NULL)
			reason = 1;
	assert_true(reason);
	chk_free(&rep);
	/* The student signs in again and pushes: it goes through. */
	assert_int_equal(sim_goto(r, sim_count(r), &err), 0);
	scn_step st2;
	memset(&st2, 0, sizeof st2);
	st2.act = SCN_REFRESH;
	st2.device = "Tablet-A";
	assert_int_equal(sim_act(r, &st2, &err), 0);
	st2.act = SCN_PUSH;
	assert_int_equal(sim_act(r, &st2, &err), 0);
	assert_int_equal(dev_queue_len(sim_dev(r, 0)), 0);
	sim_close(r);
	sb_free(&err);
}

static void
t_device_401_signin_and_window(void **state)
{
	(void)state;
	sb err = SB_INIT;
	char st[128];
	/* Facebook: no refresh; policy signin signs in again (one POST). */
	sim *r = sim_open(scn_401("\"facebook\":{\"appId\":\"a\",\"appSecret\":"
	    "\"s\"}", "{\"provider\":\"facebook\",\"user\":\"sam\","
	    "\"signedIn\":true,\"on401\":\"signin\"}", 10), NULL, &err);
	assert_non_null(r);
	assert_int_equal(sim_run(r, &err), SIM_END);
	last_statuses(r, st, sizeof st);
	assert_string_equal(st, "401 200 200");
	assert_int_equal(dev_queue_len(sim_dev(r, 0)), 0);
	sim_close(r);
	/* Past the 72-hour window a refresh fails with 401 and the
	** operation stays queued. */
	r = sim_open(scn_401(aad_prov, "{\"provider\":\"aad\",\"user\":"
	    "\"ana\",\"signedIn\":true,\"on401\":\"refresh\"}", 81), NULL,
	    &err);
	assert_non_null(r);
	assert_int_equal(sim_run(r, &err), SIM_END);
	last_statuses(r, st, sizeof st);
	assert_string_equal(st, "401 401");
	assert_int_equal(dev_queue_len(sim_dev(r, 0)), 1);
	sim_close(r);
	sb_free(&err);
}

/* ---- the scenario loader ---- */

static void
expect_load_error(const char *auth_text, const char *steps, const char *want)
{
	char text[4096];
	snprintf(text, sizeof text,
	    "{\"id\":\"t\",\"title\":\"t\",\"summary\":\"s\",\n"
	    "\"objectives\":[{\"text\":\"o\",\"domain\":"
	    "\"cloud-concepts\"}],\n\"auth\":%s,\n"
	    "\"tables\":[{\"name\":\"job\",\"columns\":{\"title\":\"string\","
	    "\"n\":\"number\"}}],\n\"devices\":[{\"name\":\"A\"},"
	    "{\"name\":\"B\"}],\n\"steps\":%s}", auth_text, steps);
	sb errs = SB_INIT;
	scn *s = scn_load_text("t.json", text, strlen(text), &errs, NULL);
	if (s != NULL || strstr(sb_str(&errs), want) == NULL)
		fail_msg("want \"%s\", got: %s", want, sb_str(&errs));
	assert_non_null(strstr(sb_str(&errs), "t.json:"));
	sb_free(&errs);
}

static void
t_loader_errors(void **state)
{
	(void)state;
	const char *none = "[{\"do\":\"wait\",\"ms\":1}]";
	expect_load_error("{\"providers\":{\"github\":{}}}", none,
	    "unknown provider \"github\"");
	expect_load_error("{\"providers\":{\"aad\":{\"clientId\":\"c\"}},"
	    "\"devices\":{\"A\":{\"provider\":\"google\"}}}", none,
	    "provider \"google\" is not configured");
	expect_load_error("{\"providers\":{\"aad\":{\"clientId\":\"c\"}},"
	    "\"devices\":{\"A\":{\"provider\":\"aad\",\"user\":\"ana\"}}}",
	    none, "user \"ana\" is on a device that is never signed in");
	expect_load_error("{\"providers\":{\"facebook\":{\"appId\":\"a\","
	    "\"appSecret\":\"s\"}},\"devices\":{\"A\":{\"provider\":"
	    "\"facebook\",\"user\":\"sam\",\"signedIn\":true}}}",
	    "[{\"do\":\"refresh\",\"device\":\"A\"}]",
	    "Facebook issues no refresh tokens");
	expect_load_error("{\"providers\":{\"aad\":{\"clientId\":\"c\"}}}",
	    "[{\"do\":\"signout\",\"device\":\"B\"}]",
	    "B is not signed in at this step");
	expect_load_error("{\"providers\":{\"apple\":{\"clientId\":\"c\","
	    "\"teamId\":\"T\",\"keyId\":\"K\",\"secretIssued\":"
	    "\"2026-01-01T00:00:00Z\",\"secretExpires\":"
	    "\"2026-09-01T00:00:00Z\"}}}", none, "at most 6 months");
	expect_load_error("{\"providers\":{\"twitter\":{\"consumerKey\":"
	    "\"k\"}}}", none, "consumerSecret");
	expect_load_error("{\"providers\":{\"aad\":{\"clientId\":\"c\"}},"
	    "\"tables\":{\"job\":{\"userColumn\":\"n\"}}}", none,
	    "must be a string column");
	expect_load_error("{\"providers\":{\"google\":{\"clientId\":\"c\","
	    "\"clientSecret\":\"s\"}},\"devices\":{\"A\":{\"provider\":"
	    "\"google\",\"user\":\"x\",\"signedIn\":true,\"on401\":"
	    "\"refresh\"}}}", none, "offlineAccess");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_sign_verify),
		cmocka_unit_test(t_sid_stable),
		cmocka_unit_test(t_client_flow_every_provider),
		cmocka_unit_test(t_server_flow_pkce),
		cmocka_unit_test(t_apple_secret_expired),
		cmocka_unit_test(t_refresh_per_provider),
		cmocka_unit_test(t_me),
		cmocka_unit_test(t_anonymous_and_bad_tokens),
		cmocka_unit_test(t_per_user_every_verb),
		cmocka_unit_test(t_caller_seam),
		cmocka_unit_test(t_push_user_tag),
		cmocka_unit_test(t_device_401_refresh),
		cmocka_unit_test(t_device_401_abort_keeps_queue),
		cmocka_unit_test(t_device_401_signin_and_window),
		cmocka_unit_test(t_loader_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
