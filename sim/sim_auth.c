/*
** sim_auth.c: identity in a run; see sim_auth.h.
*/
#include "sim/sim_auth.h"
#include "lib/xmem.h"

#include <stdlib.h>
#include <string.h>

static const char *
sim_auth_str(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

int
sim_auth_open(sim_auth *sa, const scn *s, srv *sv, dev **devs, size_t n,
    int64_t start_ms, sb *err)
{
	sb e = SB_INIT;
	auth_cfg c;
	memset(sa, 0, sizeof *sa);
	if (s->auth == NULL)
		return 0;
	if (auth_cfg_from_json(&c, s->auth, s->seed, &e) != 0) {
		auth_cfg_free(&c);
		sb_addf(err, "auth: %s", sb_str(&e));
		sb_free(&e);
		return -1;
	}
	sa->a = auth_new(&c);
	if (srv_set_auth(sv, sa->a, &e) != 0) {
		sb_addf(err, "auth: %s", sb_str(&e));
		sb_free(&e);
		return -1;
	}
	sb_free(&e);
	sa->n = n;
	sa->cfg = xcalloc(n ? n : 1, sizeof *sa->cfg);
	const cJSON *devcfg = cJSON_GetObjectItemCaseSensitive(s->auth,
	    "devices");
	for (size_t i = 0; i < n; i++) {
		dev_auth_cfg *dc = &sa->cfg[i];
		const cJSON *o = cJSON_GetObjectItemCaseSensitive(devcfg,
		    dev_name(devs[i]));
		const char *pn = sim_auth_str(o, "provider");
		const char *pol = sim_auth_str(o, "on401");
		const char *flow = sim_auth_str(o, "flow");
		int p = auth_prov_parse(sa->a, pn);
		dc->prov = p < 0 ? AUTH_AAD : (auth_prov)p;
		dc->user = sim_auth_str(o, "user");
		dc->server_flow = flow && strcmp(flow, "server") == 0;
		dc->on401 = pol == NULL ? DEV_AUTH_ABORT :
		    strcmp(pol, "refresh") == 0 ? DEV_AUTH_REFRESH :
		    strcmp(pol, "signin") == 0 ? DEV_AUTH_SIGNIN :
		    DEV_AUTH_ABORT;
		if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o,
		    "signedIn")) && p >= 0 && dc->user != NULL) {
			char sid[48];
			char *tok = auth_preset(sa->a, srv_db(sv), dc->prov,
			    dc->user, start_ms, i + 1, sid);
			int rc = dev_auth_store(devs[i], auth_prov_name(sa->a,
			    dc->prov), dc->user, sid, tok);
			free(tok);
			if (rc != 0) {
				sb_addf(err, "device %s: cannot store its "
				    "sign-in", dev_name(devs[i]));
				return -1;
			}
		}
	}
	return 0;
}

void
sim_auth_close(sim_auth *sa)
{
	auth_free(sa->a);
	free(sa->cfg);
	memset(sa, 0, sizeof *sa);
}

int
sim_auth_exec(sim_auth *sa, const scn_step *st, dev **devs, size_t di,
    sb *err)
{
	dev *d = devs[di];
	dev_auth_cfg *dc = &sa->cfg[di];
	const cJSON *o = st->row;
	int rc = -1;
	if (sa->a == NULL) {
		sb_addf(err, "the scenario has no \"auth\" section");
		return 1;
	}
	switch (st->act) {
	case SCN_SIGNIN: {
		/* The step's own values win over the device's; nothing here
		** is kept outside the stores, so going back stays exact. */
		const char *pn = sim_auth_str(o, "provider");
		const char *user = sim_auth_str(o, "user");
		const char *flow = sim_auth_str(o, "flow");
		auth_prov prov = dc->prov;
		int server = flow ? strcmp(flow, "server") == 0 :
		    dc->server_flow;
		if (pn != NULL) {
			int p = auth_prov_parse(sa->a, pn);
			if (p < 0) {
				sb_addf(err, "unknown provider \"%s\"", pn);
				return 1;
			}
			prov = (auth_prov)p;
		}
		if (user == NULL)
			user = dc->user;
		if (user == NULL) {
			sb_addf(err, "signin needs a user");
			return 1;
		}
		rc = dev_auth_signin(d, sa->a, prov, user, server, err);
		break;
	}
	case SCN_SIGNOUT:
		rc = dev_auth_signout(d, cJSON_IsTrue(
		    cJSON_GetObjectItemCaseSensitive(o, "everywhere")), err);
		break;
	case SCN_REFRESH:
		rc = dev_auth_refresh(d, err);
		break;
	case SCN_TAMPER: {
		const char *user = sim_auth_str(o, "user");
		rc = dev_auth_tamper(d, sa->a, user ? user : "someone", err);
		break;
	}
	case SCN_STEAL: {
		const char *from = sim_auth_str(o, "from");
		for (size_t k = 0; k < sa->n; k++)
			if (from && strcmp(dev_name(devs[k]), from) == 0)
				rc = dev_auth_steal(d, devs[k], err);
		break;
	}
	default:
		break;
	}
	return rc != 0;
}

int
sim_auth_retry(sim_auth *sa, dev *d, size_t di, sb *err)
{
	if (sa->a == NULL || di >= sa->n)
		return 0;
	return dev_auth_on401(d, sa->a, &sa->cfg[di], err);
}
