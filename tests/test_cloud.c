#include "tests/testutil.h"

#include <stdlib.h>
#include <string.h>

#include "lib/sb.h"
#include "lib/xmem.h"
#include "sim/hub.h"
#include "sim/out.h"
#include "sim/scn.h"
#include "sim/sim.h"
#include "sim/srv.h"
#include "sim/srv_push.h"

#define T0 1772441400000LL

static int
put(hub *h, const char *id, const char *body, const char *sid)
{
	http_req rq;
	http_resp rs;
	char path[200];
	snprintf(path, sizeof path, "/push/installations/%s", id);
	http_req_init(&rq, "PUT", path, NULL);
	http_req_set_body(&rq, body);
	http_resp_init(&rs, 0);
	srv_push_handle(h, &rq, sid, T0, &rs);
	int st = rs.status;
	http_req_free(&rq);
	http_resp_free(&rs);
	return st;
}

static int
has_tag(const hub *h, const char *id, const char *tag)
{
	long i = hub_find(h, id);
	assert_true(i >= 0);
	for (size_t k = 0; k < h->in[i].ntags; k++)
		if (strcmp(h->in[i].tags[k], tag) == 0)
			return 1;
	return 0;
}

/* The server drops client tags, keeps the backend's, adds _UserId:. */
static void
test_register_tags(void **state)
{
	(void)state;
	hub *h = hub_new(HUB_FREE);
	assert_int_equal(put(h, "a1", "{\"pushChannel\":\"tok\",\"platform\":"
	    "\"apns\",\"tags\":[\"vip\"]}", NULL), 204);
	assert_int_equal(h->in[hub_find(h, "a1")].ntags, 0);
	/* A backend adds a tag; a new registration keeps it. */
	cJSON *in = hub_inst_json(h, 0);
	cJSON_DeleteItemFromObject(in, "expiredPushChannel");
	cJSON_ReplaceItemInObject(in, "tags", cJSON_CreateStringArray(
	    (const char *[]){ "line_4" }, 1));
	sb why = SB_INIT;
	assert_int_equal(hub_install(h, in, T0, &why), 200);
	cJSON_Delete(in);
	assert_int_equal(put(h, "a1", "{\"pushChannel\":\"tok2\",\"platform\":"
	    "\"apns\",\"tags\":[\"admin\"]}", ""), 204);
	assert_true(has_tag(h, "a1", "line_4"));
	assert_false(has_tag(h, "a1", "admin"));
	/* A signed-in caller gets its user tag, replacing an old one. */
	assert_int_equal(put(h, "a1", "{\"pushChannel\":\"tok2\",\"platform\":"
	    "\"apns\"}", "sid:1234"), 204);
	assert_true(has_tag(h, "a1", "_UserId:sid:1234"));
	assert_int_equal(put(h, "a1", "{\"pushChannel\":\"tok2\",\"platform\":"
	    "\"apns\"}", "sid:99"), 204);
	assert_true(has_tag(h, "a1", "_UserId:sid:99"));
	assert_false(has_tag(h, "a1", "_UserId:sid:1234"));
	assert_true(has_tag(h, "a1", "line_4"));
	sb_free(&why);
	hub_free(h);
}

static void
test_register_errors(void **state)
{
	(void)state;
	hub *h = hub_new(HUB_FREE);
	assert_int_equal(put(h, "a1", "{\"pushChannel\":\"t\",\"platform\":"
	    "\"gcm\"}", NULL), 400);
	assert_int_equal(put(h, "a1", "not json", NULL), 400);
	assert_int_equal(put(h, "a1", "{\"platform\":\"wns\"}", NULL), 400);
	assert_int_equal(h->n, 0);
	http_req rq;
	http_resp rs;
	http_req_init(&rq, "GET", "/push/installations/a1", NULL);
	http_resp_init(&rs, 0);
	srv_push_handle(h, &rq, NULL, T0, &rs);
	assert_int_equal(rs.status, 404);
	http_req_free(&rq);
	http_req_init(&rq, "DELETE", "/push/installations/zz", NULL);
	srv_push_handle(h, &rq, NULL, T0, &rs);
	assert_int_equal(rs.status, 204);
	http_req_free(&rq);
	http_resp_free(&rs);
	/* No hub: the route does not exist. */
	assert_int_equal(put(NULL, "a1", "{}", NULL), 404);
	hub_free(h);
}

/* srv_handle sends /push/ to the hub after the API version check. */
static void
test_backend_route(void **state)
{
	(void)state;
	srv *s = srv_open(NULL, NULL);
	hub *h = hub_new(HUB_BASIC);
	srv_attach_hub(s, h);
	http_req rq;
	http_resp rs;
	http_req_init(&rq, "PUT", "/push/installations/x-1", NULL);
	http_req_set_body(&rq, "{\"pushChannel\":\"c\",\"platform\":\"wns\"}");
	http_resp_init(&rs, 0);
	srv_handle(s, &rq, T0, 1, &rs);
	assert_int_equal(rs.status, 400);	/* no ZUMO-API-VERSION */
	http_req_add_header(&rq, "ZUMO-API-VERSION", "2.0.0");
	srv_handle(s, &rq, T0, 1, &rs);
	assert_int_equal(rs.status, 204);
	assert_true(hub_find(h, "x-1") >= 0);
	http_req_free(&rq);
	http_resp_free(&rs);
	srv_close(s);
	hub_free(h);
}

/* A run with a hub and a plan goes back and forth to the same state. */
static void
test_replay_same(void **state)
{
	(void)state;
	assert_int_equal(tu_to_tree("scenarios/push-fcm-overflow.json"), 0);
	const char *files[] = { "scenarios/push-fcm-overflow.json",
	    "scenarios/plan-free-cpu.json" };
	for (size_t f = 0; f < 2; f++) {
		sb errs = SB_INIT, err = SB_INIT;
		scn *sc = scn_load_file(files[f], &errs, NULL);
		assert_non_null(sc);
		sim *r = sim_open(sc, NULL, &err);
		assert_non_null(r);
		assert_int_equal(sim_run(r, &err), SIM_END);
		size_t n1 = sim_trace(r)->n;
		assert_int_equal(sim_expect_failures(r), 0);
		assert_int_equal(sim_goto(r, 1, &err), 0);
		assert_int_equal(sim_run(r, &err), SIM_END);
		assert_int_equal(sim_trace(r)->n, n1);
		assert_int_equal(sim_expect_failures(r), 0);
		sim_close(r);
		sb_free(&errs);
		sb_free(&err);
	}
}

/* Every problem of the push, plan and fleet keys, with its position. */
static void
test_bad_keys(void **state)
{
	(void)state;
	const char *txt =
	    "{\"id\":\"x\",\"title\":\"t\",\"summary\":\"s\",\n"
	    "\"objectives\":[],\"tables\":[{\"name\":\"t\",\"columns\":"
	    "{\"a\":\"string\"}}],\n"
	    "\"devices\":[{\"name\":\"D\",\"push\":{\"platform\":\"gcm\","
	    "\"onNotify\":\"wake\"}}],\n"
	    "\"push\":{\"tier\":\"premium\"},\n"
	    "\"plan\":{\"tier\":\"B1\",\"instances\":4,\"autoscale\":"
	    "{\"max\":3}},\n"
	    "\"fleet\":{\"devices\":0,\"pull\":\"nope\"},\n"
	    "\"steps\":[{\"do\":\"send\",\"format\":\"gcm\"},"
	    "{\"do\":\"scale\"},{\"do\":\"register\",\"device\":\"D\","
	    "\"tags\":\"vip\"}]}";
	sb errs = SB_INIT;
	int nerr = 0;
	scn *s = scn_load_text("c.json", txt, strlen(txt), &errs, &nerr);
	assert_null(s);
	const char *want[] = {
	    "devices[0].push.platform: platform is \"apns\", \"fcmv1\" or "
	    "\"wns\", not \"gcm\"",
	    "devices[0].push.onNotify: onNotify is \"none\", \"pull\" or "
	    "\"sync\"",
	    "push.tier: a hub tier is \"free\", \"basic\" or \"standard\"",
	    "plan.instances: B1 (Basic) runs at most 3 instances",
	    "plan.autoscale: B1 (Basic) has no autoscale",
	    "fleet.devices:",
	    "fleet.pull: unknown table \"nope\"",
	    "steps[0].format: format is \"template\"",
	    "steps[1]: scale needs \"tier\", \"instances\", \"autoscale\" or "
	    "\"hub\"",
	    "steps[2].tags: tags is an array of strings",
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
		if (strstr(sb_str(&errs), want[i]) == NULL) {
			print_error("missing \"%s\" in:\n%s\n", want[i],
			    sb_str(&errs));
			fail();
		}
	assert_true(strstr(sb_str(&errs), "c.json:3:") != NULL);
	sb_free(&errs);
}

/* A namespace's tier: up freely, down only while the installations fit;
** the month's pushes start where the scenario says and roll over. */
static void
test_hub_tier_pushes(void **state)
{
	(void)state;
	hub *h = hub_new(HUB_STANDARD);
	char id[32];
	for (int i = 0; i < 501; i++) {
		snprintf(id, sizeof id, "i-%d", i);
		assert_int_equal(put(h, id, "{\"pushChannel\":\"t\","
		    "\"platform\":\"apns\"}", NULL), 204);
	}
	sb why = SB_INIT;
	assert_int_equal(hub_set_tier(h, HUB_FREE, &why), -1);
	assert_non_null(strstr(sb_str(&why), "holds 501 installations and "
	    "Free allows 500"));
	assert_int_equal(h->tier, HUB_STANDARD);
	sb_reset(&why);
	assert_int_equal(hub_set_tier(h, HUB_BASIC, &why), 0);
	assert_int_equal(h->tier, HUB_BASIC);
	hub_set_pushes(h, 9999999, T0);
	assert_int_equal(h->pushes, 9999999);
	/* One broadcast to 501 installations would pass 10 million. */
	hub_send_req rq;
	memset(&rq, 0, sizeof rq);
	rq.format = "apple";
	rq.body = "{\"aps\":{\"alert\":\"x\"}}";
	rq.ttl_ms = -1;
	hub_target *t = NULL;
	size_t n = 0;
	sb_reset(&why);
	assert_int_equal(hub_send(h, &rq, T0, &t, &n, &why), 403);
	assert_non_null(strstr(sb_str(&why), "quota exceeded"));
	assert_int_equal(h->pushes, 9999999);
	hub_targets_free(t, n);
	/* A month later the count starts again. */
	t = NULL;
	n = 0;
	assert_int_equal(hub_send(h, &rq, T0 + 31LL * 86400000, &t, &n,
	    &why), 200);
	assert_int_equal(n, 501);
	assert_int_equal(h->pushes, 501);
	hub_targets_free(t, n);
	sb_free(&why);
	hub_free(h);
}

/* The 8:00 storm with fewer devices, so that the test stays quick. */
static scn *
storm(int devices)
{
	FILE *f = fopen("scenarios/plan-storm.json", "r");
	assert_non_null(f);
	sb txt = SB_INIT;
	char buf[4096];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		sb_addn(&txt, buf, n);
	fclose(f);
	char *at = strstr(sb_str(&txt), "\"devices\": 600");
	assert_non_null(at);
	sb mod = SB_INIT;
	sb_addn(&mod, sb_str(&txt), (size_t)(at - sb_str(&txt)));
	sb_addf(&mod, "\"devices\": %d", devices);
	sb_add(&mod, at + strlen("\"devices\": 600"));
	sb errs = SB_INIT;
	scn *s = scn_load_text("storm.json", sb_str(&mod), mod.len, &errs,
	    NULL);
	if (s == NULL)
		print_error("%s\n", sb_str(&errs));
	assert_non_null(s);
	sb_free(&txt);
	sb_free(&mod);
	sb_free(&errs);
	return s;
}

/* The whole state and every trace event of a finished run, as text. */
static void
state_of(sim *r, sb *out)
{
	sim_dump_state(r, out);
	const trc *tr = sim_trace(r);
	for (size_t i = 0; i < tr->n; i++) {
		out_jsonl_event(&tr->ev[i], out);
		sb_addc(out, '\n');
	}
}

/* A step run in parts of any size, or abandoned half way and run again,
** gives exactly the run sim_run gives; the final sync stops the fleet
** and the run converges. */
static void
test_parts_same(void **state)
{
	(void)state;
	assert_int_equal(tu_to_tree("scenarios/plan-storm.json"), 0);
	sb err = SB_INIT, want = SB_INIT;
	sim *r = sim_open(storm(60), NULL, &err);
	assert_non_null(r);
	assert_int_equal(sim_run(r, &err), SIM_END);
	assert_int_equal(sim_finish(r, &err), 0);
	state_of(r, &want);
	assert_non_null(strstr(sb_str(&want), "The fleet's shift ends"));
	assert_non_null(strstr(sb_str(&want), "everything looks good: "
	    "converged"));
	sim_close(r);
	const size_t budgets[] = { 1, 7, 500 };
	for (size_t b = 0; b < 3; b++) {
		r = sim_open(storm(60), NULL, &err);
		assert_non_null(r);
		sim_progress pg;
		sim_rc rc;
		size_t parts = 0, abandoned = 0;
		int64_t last_at = -1;
		while ((rc = sim_step_some(r, budgets[b], &pg, &err)) ==
		    SIM_MORE || rc == SIM_OK) {
			if (rc == SIM_OK) {
				last_at = -1;
				continue;
			}
			parts++;
			assert_true(pg.from <= pg.at && pg.at <= pg.to);
			assert_true(pg.at >= last_at);
			assert_int_equal(pg.devices, 60);
			last_at = pg.at;
			/* Once, half way: give up the step and go back. */
			if (b == 1 && !abandoned && pg.requests > 200) {
				abandoned = 1;
				size_t pos = sim_pos(r);
				assert_int_equal(sim_goto(r, pos, &err), 0);
				assert_int_equal(sim_pos(r), pos);
				last_at = -1;
			}
		}
		assert_int_equal(rc, SIM_END);
		assert_true(parts > 3);
		assert_int_equal(sim_finish(r, &err), 0);
		sb got = SB_INIT;
		state_of(r, &got);
		assert_string_equal(sb_str(&got), sb_str(&want));
		sb_free(&got);
		sim_close(r);
	}
	sb_free(&want);
	sb_free(&err);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_register_tags),
		cmocka_unit_test(test_register_errors),
		cmocka_unit_test(test_backend_route),
		cmocka_unit_test(test_replay_same),
		cmocka_unit_test(test_bad_keys),
		cmocka_unit_test(test_parts_same),
		cmocka_unit_test(test_hub_tier_pushes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
