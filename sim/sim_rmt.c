/*
** sim_rmt.c: a run whose app is a real server (sim_opts.backend; rmt.h):
** the backend the devices and the plan reach, App Service in front
** (srv_front) and the real app behind it, and the callers synclab gives
** its own requests to that app.  See sim_int.h.
*/
#include "sim/sim_int.h"
#include "lib/xmem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Whether the real backend failed: the run is void from then on. */
int
sim_backend_failed(const sim *r)
{
	return r->opts.backend != NULL && r->backend_err.len > 0;
}

/* With a real backend: copies the tables written since the last copy
** into the mirror (a failure voids the run, see sim_backend_error). */
void
sim_rmt_settle(void *ud)
{
	sim *r = ud;
	if (r->opts.backend != NULL && !sim_backend_failed(r))
		rmt_flush(r->opts.backend, &r->rmt_auth, r->srv,
		    r->rmt_dirty, &r->backend_err);
}

/* The backend answers req arriving at epoch ms at: App Service in front
** (srv_front: App Service Authentication, the hub's installations) and
** behind it the app, synclab's own (srv_app) or, with a real backend,
** that server (rmt.h).  The plan wraps this (cloud_serve).  Returns 0, or
** -1 when the real backend did not answer (backend_err says why; resp is
** empty). */
int
sim_serve(void *ud, const http_req *req, int64_t at, uint64_t entropy,
    http_resp *resp)
{
	sim *r = ud;
	if (r->opts.backend == NULL) {
		srv_handle(r->srv, req, at, entropy, resp);
		return 0;
	}
	if (srv_front(r->srv, req, at, entropy, resp))
		return 0;
	http_resp_free(resp);
	http_resp_init(resp, 0);
	if (sim_backend_failed(r) || rmt_send(r->opts.backend, r->srv, req,
	    resp, r->rmt_dirty, &r->backend_err) != 0) {
		http_resp_free(resp);
		http_resp_init(resp, 0);
		return -1;
	}
	return 0;
}

/* ---- the callers of the app (rmt_auth) ---- */

/* The provider of the scenario's App Service that signs synclab's own
** requests: the first one configured. */
static auth_prov
sim_rmt_prov(const auth *a)
{
	for (int k = 0; k < AUTH_NPROV; k++)
		if (auth_config(a)->prov[k].on)
			return (auth_prov)k;
	return AUTH_AAD;
}

/* Whether the app lets only a caller at table: 0 none needed, 1 one, 2
** one per user (a per-user table). */
static int
sim_rmt_needs(const sim *r, const char *table)
{
	const auth *a = r->auth.a;
	const auth_table *t = a ? auth_table_find(a, table) : NULL;
	if (t && t->user_col[0])
		return 2;
	return a && (t || auth_config(a)->require_all) ? 1 : 0;
}

/* A seed row goes in as its owner (the user column's value) in a
** per-user table, else as the user "seed" when the table needs a
** caller. */
static char *
sim_rmt_seed(void *ud, const char *table, const cJSON *row)
{
	sim *r = ud;
	const auth *a = r->auth.a;
	if (sim_rmt_needs(r, table) == 0)
		return NULL;
	const auth_table *t = auth_table_find(a, table);
	const cJSON *own = t && t->user_col[0] ?
	    cJSON_GetObjectItemCaseSensitive(row, t->user_col) : NULL;
	if (!cJSON_IsString(own) || strlen(own->valuestring) >= 48)
		return xstrdup(r->rmt_who[0]);
	return auth_sign(a, own->valuestring, sim_rmt_prov(a),
	    r->s->start_ms);
}

static const char *const *
sim_rmt_readers(void *ud, const char *table)
{
	sim *r = ud;
	switch (sim_rmt_needs(r, table)) {
	case 2:
		return (const char *const *)r->rmt_who;
	case 1:
		return r->rmt_one;
	default:
		return NULL;
	}
}

/* The tokens synclab signs for its own requests to the app: "seed" and
** every device's user, each once (sessions from the start; the app
** behind App Service does not check their times). */
void
sim_rmt_open(sim *r)
{
	const auth *a = r->auth.a;
	r->rmt_dirty = xcalloc(r->s->ntables ? r->s->ntables : 1, 1);
	r->rmt_auth.seed = sim_rmt_seed;
	r->rmt_auth.readers = sim_rmt_readers;
	r->rmt_auth.ud = r;
	if (a == NULL)
		return;
	size_t n = 0;
	char (*sids)[48] = xcalloc(r->auth.n + 1, sizeof *sids);
	r->rmt_who = xcalloc(r->auth.n + 2, sizeof *r->rmt_who);
	auth_sid(a, sim_rmt_prov(a), "seed", sids[n]);
	r->rmt_who[n] = auth_sign(a, sids[n], sim_rmt_prov(a),
	    r->s->start_ms);
	n++;
	for (size_t i = 0; i < r->auth.n; i++) {
		const dev_auth_cfg *dc = &r->auth.cfg[i];
		if (dc->user == NULL)
			continue;
		auth_sid(a, dc->prov, dc->user, sids[n]);
		int seen = 0;
		for (size_t k = 0; k < n && !seen; k++)
			seen = strcmp(sids[k], sids[n]) == 0;
		if (!seen) {
			r->rmt_who[n] = auth_sign(a, sids[n], dc->prov,
			    r->s->start_ms);
			n++;
		}
	}
	free(sids);
	r->rmt_one[0] = r->rmt_who[0];
}

void
sim_rmt_close(sim *r)
{
	for (size_t k = 0; r->rmt_who && r->rmt_who[k]; k++)
		free(r->rmt_who[k]);
	free(r->rmt_who);
	free(r->rmt_dirty);
}
