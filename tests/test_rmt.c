/*
** test_rmt.c: a run whose app is another server (sim_opts.backend): what
** stays synclab's App Service (/.auth, the token check and its 401s, the
** hub's installations, the plan) and what goes over the link (the
** /tables requests, the seed rows, the mirror's reads), with which caller.
** The "real" server here is a second srv behind a link that logs every
** request it carries.
*/
#include "tests/testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/sb.h"
#include "sim/rmt.h"
#include "sim/scn.h"
#include "tests/scn_text.h"
#include "sim/sim.h"
#include "sim/srv.h"

typedef struct far {
	srv	*s;
	sb	 log;		/* "METHOD PATH[?QUERY][ auth]\n" each */
	int64_t	 now;
	uint64_t n;
} far;

static int
far_send(void *ud, const http_req *req, http_resp *resp, sb *err)
{
	far *f = ud;
	(void)err;
	sb_addf(&f->log, "%s %s%s%s%s\n", req->method, req->path,
	    req->query ? "?" : "", req->query ? req->query : "",
	    http_req_header(req, "X-ZUMO-AUTH") ? " auth" : "");
	http_resp_init(resp, 0);
	srv_handle(f->s, req, f->now += 1000, ++f->n, resp);
	return 0;
}

/* Runs json to its end with its app on a fresh far server f (its tables
** only, no App Service of its own); returns the run. */
static sim *
run_far(const char *json, far *f, rmt_link *l)
{
	sb err = SB_INIT;
	scn *def = load(json);
	memset(f, 0, sizeof *f);
	f->s = srv_open(NULL, &err);
	f->now = 1772438400000;	/* 2026-03-02 */
	assert_non_null(f->s);
	for (size_t i = 0; i < def->ntables; i++)
		assert_int_equal(srv_define(f->s, &def->tables[i].def, &err),
		    0);
	scn_free(def);
	l->send = far_send;
	l->ud = f;
	l->url = "http://far.test";
	sim_opts o;
	memset(&o, 0, sizeof o);
	o.backend = l;
	sim *r = sim_open(load(json), &o, &err);
	if (r == NULL)
		fprintf(stderr, "sim_open: %s\n", sb_str(&err));
	assert_non_null(r);
	sim_rc rc;
	while ((rc = sim_step(r, &err)) == SIM_OK)
		;
	assert_int_equal(rc, SIM_END);
	assert_int_equal(sim_finish(r, &err), 0);
	assert_null(sim_backend_error(r));
	sb_free(&err);
	return r;
}

static void
far_free(far *f)
{
	srv_close(f->s);
	sb_free(&f->log);
}

/* How many responses of the trace have status st. */
static size_t
responses(const sim *r, int st)
{
	const trc *t = sim_trace(r);
	size_t n = 0;
	for (size_t i = 0; i < t->n; i++)
		if (t->ev[i].type == TRC_RESPONSE && t->ev[i].status == st)
			n++;
	return n;
}

/* How many requests of the trace have needle in their path. */
static size_t
requests(const sim *r, const char *needle)
{
	const trc *t = sim_trace(r);
	size_t n = 0;
	for (size_t i = 0; i < t->n; i++)
		if (t->ev[i].type == TRC_REQUEST && t->ev[i].path &&
		    strstr(t->ev[i].path, needle))
			n++;
	return n;
}

static size_t
count(const char *hay, const char *needle)
{
	size_t n = 0;
	for (const char *p = hay; (p = strstr(p, needle)) != NULL; p++)
		n++;
	return n;
}

static const char auth_json[] =
    "{\"id\": \"t\", \"title\": \"t\", \"summary\": \"t\","
    " \"objectives\": [{\"text\": \"o\", \"domain\": \"architecture-services\"}],"
    " \"start\": \"2026-03-02T08:00:00.000Z\","
    " \"auth\": {\"providers\": {\"google\": {\"clientId\": \"c\","
    "  \"clientSecret\": \"s\", \"offlineAccess\": true}},"
    "  \"tables\": {\"entry\": {\"access\": \"authenticated\","
    "   \"userColumn\": \"owner\"}, \"note\": {\"access\": \"authenticated\"}},"
    "  \"devices\": {\"A\": {\"provider\": \"google\", \"user\": \"ana\","
    "   \"signedIn\": true}}},"
    " \"tables\": [{\"name\": \"entry\", \"columns\": {\"text\": \"string\","
    "  \"owner\": \"string\"}},"
    "  {\"name\": \"note\", \"columns\": {\"text\": \"string\"}}],"
    " \"devices\": [{\"name\": \"A\", \"user\": \"ana\"},"
    "  {\"name\": \"M\", \"user\": \"mallory\"}],"
    " \"rows\": {\"note\": [{\"id\": \"n1\", \"text\": \"seeded\"}]},"
    " \"steps\": ["
    "  {\"do\": \"insert\", \"device\": \"A\", \"table\": \"entry\","
    "   \"row\": {\"id\": \"d1\", \"text\": \"mine\"}},"
    "  {\"do\": \"push\", \"device\": \"A\", \"expect\": {\"status\": 201}},"
    "  {\"do\": \"steal\", \"device\": \"M\", \"from\": \"A\"},"
    "  {\"do\": \"tamper\", \"device\": \"M\", \"user\": \"ben\"},"
    "  {\"do\": \"pull\", \"device\": \"M\", \"table\": \"entry\","
    "   \"expect\": {\"status\": 401}},"
    "  {\"do\": \"signout\", \"device\": \"A\"},"
    "  {\"do\": \"signin\", \"device\": \"A\"}]}";

/* App Service Authentication stays synclab's: /.auth and the 401 of a
** forged token never reach the app; every table request, seed row and
** mirror read carries a caller. */
static void
test_auth_front_stays(void **state)
{
	(void)state;
	far f;
	rmt_link l;
	sim *r = run_far(auth_json, &f, &l);
	const char *log = sb_str(&f.log);
	assert_null(strstr(log, "/.auth/"));
	/* The forged token's pulls (its step's and the final sync's two)
	** were answered 401 in front: only the others reached the app. */
	assert_int_equal(responses(r, 401), 3);
	assert_int_equal(count(log, "$filter"), requests(r, "$filter") - 3);
	/* Every request to the app's tables had X-ZUMO-AUTH: the seed row
	** of the authenticated table too. */
	assert_int_equal(count(log, "/tables/"), count(log, " auth\n"));
	assert_non_null(strstr(log, "POST /tables/note auth\n"));
	assert_non_null(strstr(log, "POST /tables/entry auth\n"));
	/* The mirror has the real rows. */
	cJSON *row = srv_get_row(sim_srv(r), "entry", "d1");
	assert_non_null(row);
	cJSON_Delete(row);
	row = srv_get_row(sim_srv(r), "note", "n1");
	assert_non_null(row);
	cJSON_Delete(row);
	sim_close(r);
	far_free(&f);
}

static const char push_json[] =
    "{\"id\": \"p\", \"title\": \"p\", \"summary\": \"p\","
    " \"objectives\": [{\"text\": \"o\", \"domain\": \"architecture-services\"}],"
    " \"start\": \"2026-03-02T08:00:00.000Z\","
    " \"tables\": [{\"name\": \"job\", \"columns\": {\"title\": \"string\"}}],"
    " \"devices\": [{\"name\": \"D\", \"user\": \"dana\", \"platform\":"
    "  \"android\"}, {\"name\": \"P\", \"user\": \"tom\", \"platform\":"
    "  \"ios\", \"push\": {\"onNotify\": \"pull\"}}],"
    " \"push\": {\"tier\": \"standard\", \"pushToSync\": [\"job\"]},"
    " \"steps\": ["
    "  {\"do\": \"register\", \"device\": \"P\", \"expect\": {\"status\": 204,"
    "   \"hub\": {\"installations\": 1}}},"
    "  {\"do\": \"insert\", \"device\": \"D\", \"table\": \"job\","
    "   \"row\": {\"id\": \"j1\", \"title\": \"fix\"}},"
    "  {\"do\": \"push\", \"device\": \"D\", \"expect\": {"
    "   \"notified\": {\"P\": {\"received\": 1}},"
    "   \"deviceRows\": {\"P\": {\"job\": 1}}}}]}";

/* The hub's installation routes stay synclab's; a write the real app
** accepted still makes the hub send push-to-sync, and the device that
** pulls on it reads the real server. */
static void
test_hub_front_stays(void **state)
{
	(void)state;
	far f;
	rmt_link l;
	sim *r = run_far(push_json, &f, &l);
	const char *log = sb_str(&f.log);
	assert_null(strstr(log, "/push/"));
	assert_non_null(strstr(log, "POST /tables/job\n"));
	assert_int_equal(sim_expect_failures(r), 0);
	sim_close(r);
	far_free(&f);
}

static const char plan_json[] =
    "{\"id\": \"q\", \"title\": \"q\", \"summary\": \"q\","
    " \"objectives\": [{\"text\": \"o\", \"domain\": \"architecture-services\"}],"
    " \"start\": \"2026-03-02T08:00:00.000Z\","
    " \"tables\": [{\"name\": \"sheet\", \"columns\": {\"note\": \"string\"}},"
    "  {\"name\": \"job\", \"columns\": {\"title\": \"string\"}}],"
    " \"devices\": [{\"name\": \"S\", \"user\": \"sue\"}],"
    " \"plan\": {\"tier\": \"B1\", \"instances\": 1},"
    " \"fleet\": {\"devices\": 3, \"prefix\": \"tech\", \"pull\": \"job\","
    "  \"push\": \"sheet\", \"writes\": 1,"
    "  \"at\": \"2026-03-02T08:00:00.000Z\", \"spreadMs\": 1000,"
    "  \"everyMs\": 60000, \"until\": \"2026-03-02T08:03:00.000Z\"},"
    " \"steps\": [{\"do\": \"wait\", \"ms\": 240000,"
    "  \"expect\": {\"serverRows\": {\"sheet\": 9}}}]}";

/* The fleet's requests go to the real app through the plan, and the
** mirror has their rows when the step's expectations read it. */
static void
test_fleet_reaches_app(void **state)
{
	(void)state;
	far f;
	rmt_link l;
	sim *r = run_far(plan_json, &f, &l);
	const char *log = sb_str(&f.log);
	assert_int_equal(count(log, "POST /tables/sheet\n"), 9);
	assert_int_equal(sim_expect_failures(r), 0);
	sim_close(r);
	far_free(&f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_auth_front_stays),
		cmocka_unit_test(test_hub_front_stays),
		cmocka_unit_test(test_fleet_reaches_app),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
