/*
** test_dev_sdk.c: what a device's client profile changes on the queue and
** push side: the JavaScript client's collapse table, its push that stops
** on an error and its queue without states; the Datasync client's PUT
** and its conflicts settled after the push.
** Each case is set beside the legacy .NET client's answer to the same
** requests.  The world is in dev_world.h.
*/
#include "tests/dev_world.h"

#define SEQ(d, id) q_int(d, "SELECT sequence FROM __operations WHERE " \
	"itemId = ?", id)
#define NERR(d) q_int(d, "SELECT COUNT(*) FROM __errors WHERE ?1 IS NOT " \
	"NULL", "x")
#define ERR_STATUS(d, id) q_int(d, "SELECT e.httpStatus FROM __errors e " \
	"JOIN __operations o ON o.id = e.id WHERE o.itemId = ?", id)

/* Two rows on the server, pulled by d. */
static void
two_rows(world *w, dev *d)
{
	seed(w, "todo", "{\"id\":\"r1\",\"title\":\"one\",\"qty\":1}");
	seed(w, "todo", "{\"id\":\"r2\",\"title\":\"two\",\"qty\":2}");
	assert_int_equal(pull(d, "todo", NULL), DEV_OK);
}

/* Another device deletes r1 on the server. */
static void
server_deletes_r1(world *w)
{
	dev *b = w_dev(w, "B", NULL, 0);
	assert_int_equal(pull(b, "todo", NULL), DEV_OK);
	assert_int_equal(del(b, "todo", "r1"), 0);
	assert_int_equal(push(b, NULL), DEV_OK);
	dev_close(b);
}

/* An update after an insert or an update: .NET raises the pending op's
** version; the JS client leaves the entry as it is. */
static void
test_update_collapse(void **state)
{
	(void)state;
	world *w = w_open();
	dev *n = w_dev_sdk(w, "N", NULL, 0, PROF_NET_LEGACY);
	dev *j = w_dev_sdk(w, "J", NULL, 0, PROF_JS);
	dev *d = w_dev_sdk(w, "D", NULL, 0, PROF_DATASYNC);
	dev *all[] = { n, j, d };
	for (int i = 0; i < 3; i++) {
		assert_int_equal(ins(all[i], "todo",
		    "{\"id\":\"a\",\"title\":\"x\"}"), 0);
		assert_int_equal(upd(all[i], "todo", "a",
		    "{\"title\":\"y\"}"), 0);
		assert_int_equal(upd(all[i], "todo", "a",
		    "{\"title\":\"z\"}"), 0);
		assert_int_equal(dev_queue_len(all[i]), 1);
		assert_int_equal(OP_KIND(all[i], "a"), 0);
		assert_field(all[i], "todo", "a", "title", "z");
	}
	assert_int_equal(OP_VER(n, "a"), 3);
	assert_int_equal(OP_VER(d, "a"), 3);
	assert_int_equal(OP_VER(j, "a"), 1);
	assert_int_equal(count_ev(w, TRC_COLLAPSE, "update"), 6);
	for (int i = 0; i < 3; i++)
		dev_close(all[i]);
	w_close(w);
}

/* A delete after an update: .NET and Datasync send it after everything
** queued meanwhile; the JS client sends it where the update stood. */
static void
test_delete_in_place(void **state)
{
	(void)state;
	static const char *const want[PROF_NKINDS] = {
		[PROF_NET_LEGACY] = "POST /tables/todo -> 201\n"
		    "DELETE /tables/todo/r1 -> 200\n",
		[PROF_JS] = "DELETE /tables/todo/r1 -> 200\n"
		    "POST /tables/todo -> 201\n",
		[PROF_DATASYNC] = "POST /tables/todo -> 201\n"
		    "DELETE /tables/todo/r1 -> 200\n",
	};
	for (int k = 0; k < PROF_NKINDS; k++) {
		world *w = w_open();
		dev *d = w_dev_sdk(w, "A", NULL, 0, (prof_kind)k);
		two_rows(w, d);
		assert_int_equal(upd(d, "todo", "r1", "{\"title\":\"u\"}"), 0);
		long long seq = SEQ(d, "r1");
		assert_int_equal(ins(d, "todo", "{\"id\":\"n\",\"title\":\"n\"}"),
		    0);
		assert_int_equal(del(d, "todo", "r1"), 0);
		assert_int_equal(OP_KIND(d, "r1"), 2);
		if (k == PROF_JS)
			assert_int_equal(SEQ(d, "r1"), seq);
		else
			assert_true(SEQ(d, "r1") > SEQ(d, "n"));
		clear_log(w);
		assert_int_equal(push(d, NULL), DEV_OK);
		assert_string_equal(sb_str(&w->log), want[k]);
		dev_close(d);
		w_close(w);
	}
}

/* A second delete: refused by .NET and Datasync, nothing for JS. */
static void
test_delete_twice(void **state)
{
	(void)state;
	for (int k = 0; k < PROF_NKINDS; k++) {
		world *w = w_open();
		dev *d = w_dev_sdk(w, "A", NULL, 0, (prof_kind)k);
		two_rows(w, d);
		assert_int_equal(del(d, "todo", "r1"), 0);
		assert_int_equal(del(d, "todo", "r1"), k == PROF_JS ? 0 : -1);
		assert_int_equal(dev_queue_len(d), 1);
		dev_close(d);
		w_close(w);
	}
}

/* An insert whose answer was lost: .NET marks it Failed and refuses to
** cancel it with a delete (the server may have the row); the JS client
** keeps no state, cancels it, and the row stays on the server. */
static void
test_states_and_lost_insert(void **state)
{
	(void)state;
	for (int k = 0; k < PROF_NKINDS; k++) {
		world *w = w_open();
		dev *d = w_dev_sdk(w, "A", NULL, 0, (prof_kind)k);
		assert_int_equal(ins(d, "todo", "{\"id\":\"a\",\"title\":\"x\"}"),
		    0);
		w->drop_resp = 1;
		assert_int_equal(push(d, NULL), DEV_ABORTED);
		assert_int_equal(OP_STATE(d, "a"), k == PROF_JS ? 0 : 2);
		if (k == PROF_JS) {
			assert_int_equal(del(d, "todo", "a"), 0);
			assert_int_equal(dev_queue_len(d), 0);
			assert_null(dev_get_row(d, "todo", "a"));
			/* The server kept what the lost answer told. */
			assert_server(w, "todo", "a", "title", "x");
		} else {
			assert_int_equal(del(d, "todo", "a"), -1);
			assert_int_equal(dev_queue_len(d), 1);
		}
		dev_close(d);
		w_close(w);
	}
}

/* An update of a row deleted on the server (404) and a later edit: .NET
** and Datasync record the error and go on; the JS client's push() rejects
** and the later edit stays unsent. */
static void
test_error_stops_js(void **state)
{
	(void)state;
	static const char *const want[PROF_NKINDS] = {
		[PROF_NET_LEGACY] = "PATCH /tables/todo/r1 -> 404\n"
		    "PATCH /tables/todo/r2 -> 200\n",
		[PROF_JS] = "PATCH /tables/todo/r1 -> 404\n",
		[PROF_DATASYNC] = "PUT /tables/todo/r1 -> 404\n"
		    "PUT /tables/todo/r2 -> 200\n",
	};
	static const dev_status st[PROF_NKINDS] = {
		[PROF_NET_LEGACY] = DEV_CONFLICTS, [PROF_JS] = DEV_ABORTED,
		[PROF_DATASYNC] = DEV_CONFLICTS,
	};
	for (int k = 0; k < PROF_NKINDS; k++) {
		world *w = w_open();
		dev *d = w_dev_sdk(w, "A", NULL, 0, (prof_kind)k);
		two_rows(w, d);
		server_deletes_r1(w);
		assert_int_equal(upd(d, "todo", "r1", "{\"title\":\"u\"}"), 0);
		assert_int_equal(upd(d, "todo", "r2", "{\"title\":\"v\"}"), 0);
		clear_log(w);
		assert_int_equal(push(d, NULL), st[k]);
		assert_string_equal(sb_str(&w->log), want[k]);
		/* The 404's row stays in __errors for every profile (the
		** SDKs hand it to the app; synclab keeps it to be seen). */
		assert_int_equal(NERR(d), 1);
		assert_int_equal(dev_queue_len(d), k == PROF_JS ? 2 : 1);
		/* Only the JS device's r2 waits behind the 404 of r1. */
		char why[256];
		long long s1 = SEQ(d, "r1"), s2 = k == PROF_JS ? SEQ(d, "r2") :
		    s1 + 1;
		assert_int_equal(dev_push_blocked(d, s1, why, sizeof why), 0);
		assert_int_equal(dev_push_blocked(d, s2, why, sizeof why),
		    k == PROF_JS);
		if (k == PROF_JS)
			assert_non_null(strstr(why, "waits behind the update "
			    "of todo/r1, which the server answered 404"));
		dev_close(d);
		w_close(w);
	}
}

/* A DELETE of a row already gone: success for .NET and Datasync, an error
** that stops the JS client's push. */
static void
test_delete_404(void **state)
{
	(void)state;
	for (int k = 0; k < PROF_NKINDS; k++) {
		world *w = w_open();
		dev *d = w_dev_sdk(w, "A", NULL, 0, (prof_kind)k);
		two_rows(w, d);
		server_deletes_r1(w);
		assert_int_equal(del(d, "todo", "r1"), 0);
		clear_log(w);
		assert_int_equal(push(d, NULL), k == PROF_JS ? DEV_ABORTED :
		    DEV_OK);
		assert_string_equal(sb_str(&w->log),
		    "DELETE /tables/todo/r1 -> 404\n");
		assert_int_equal(dev_queue_len(d), k == PROF_JS ? 1 : 0);
		dev_close(d);
		w_close(w);
	}
	/* With a policy that handles a row gone from the server, the JS
	** app's onError discards the delete instead. */
	world *w = w_open();
	pol_table sw = { { POL_SERVER_WINS, NULL, 0, NULL, POL_NONE }, NULL,
	    0 };
	dev *d = w_dev_sdk(w, "A", &sw, 0, PROF_JS);
	two_rows(w, d);
	server_deletes_r1(w);
	assert_int_equal(del(d, "todo", "r1"), 0);
	assert_int_equal(push(d, NULL), DEV_OK);
	assert_int_equal(dev_queue_len(d), 0);
	assert_int_equal(count_ev(w, TRC_RESOLVE, "discard"), 1);
	dev_close(d);
	w_close(w);
}

/* A 412 under client-wins: .NET and JS re-push at once from their hook;
** Datasync records it, pushes the rest, and the app's re-push comes
** last. */
static void
test_datasync_settles_later(void **state)
{
	(void)state;
	static const char *const want[PROF_NKINDS] = {
		[PROF_NET_LEGACY] = "PATCH /tables/todo/r1 -> 412\n"
		    "PATCH /tables/todo/r1 -> 200\n"
		    "POST /tables/todo -> 201\n",
		[PROF_JS] = "PATCH /tables/todo/r1 -> 412\n"
		    "PATCH /tables/todo/r1 -> 200\n"
		    "POST /tables/todo -> 201\n",
		[PROF_DATASYNC] = "PUT /tables/todo/r1 -> 412\n"
		    "POST /tables/todo -> 201\n"
		    "PUT /tables/todo/r1 -> 200\n",
	};
	pol_table cw = { { POL_CLIENT_WINS, NULL, 0, NULL, POL_NONE }, NULL,
	    0 };
	for (int k = 0; k < PROF_NKINDS; k++) {
		world *w = w_open();
		dev *a = w_dev_sdk(w, "A", &cw, 0, (prof_kind)k);
		dev *b = w_dev(w, "B", NULL, 0);
		dev_push_result res;
		two_rows(w, a);
		assert_int_equal(pull(b, "todo", NULL), DEV_OK);
		assert_int_equal(upd(b, "todo", "r1", "{\"title\":\"b\"}"), 0);
		assert_int_equal(push(b, NULL), DEV_OK);
		assert_int_equal(upd(a, "todo", "r1", "{\"title\":\"a\"}"), 0);
		assert_int_equal(ins(a, "todo", "{\"id\":\"n\",\"title\":\"n\"}"),
		    0);
		clear_log(w);
		assert_int_equal(push(a, &res), DEV_OK);
		assert_string_equal(sb_str(&w->log), want[k]);
		assert_int_equal(res.conflicts, 1);
		assert_int_equal(res.resolved, 1);
		assert_int_equal(res.errors, 0);
		assert_int_equal(dev_queue_len(a), 0);
		assert_int_equal(NERR(a), 0);
		assert_server(w, "todo", "r1", "title", "a");
		assert_int_equal(count_ev(w, TRC_NOTE, "settle"),
		    k == PROF_DATASYNC ? 1 : 0);
		dev_close(a);
		dev_close(b);
		w_close(w);
	}
}

/* Datasync with no policy: the 412 and the 404 rows stay in __errors
** after the push, the ops stay queued with state Failed. */
static void
test_datasync_keeps_conflicts(void **state)
{
	(void)state;
	world *w = w_open();
	dev *a = w_dev_sdk(w, "A", NULL, 0, PROF_DATASYNC);
	dev *b = w_dev(w, "B", NULL, 0);
	two_rows(w, a);
	assert_int_equal(pull(b, "todo", NULL), DEV_OK);
	assert_int_equal(upd(b, "todo", "r2", "{\"title\":\"b\"}"), 0);
	assert_int_equal(push(b, NULL), DEV_OK);
	server_deletes_r1(w);
	assert_int_equal(upd(a, "todo", "r1", "{\"title\":\"a\"}"), 0);
	assert_int_equal(upd(a, "todo", "r2", "{\"title\":\"a\"}"), 0);
	clear_log(w);
	assert_int_equal(push(a, NULL), DEV_CONFLICTS);
	assert_string_equal(sb_str(&w->log),
	    "PUT /tables/todo/r1 -> 404\n"
	    "PUT /tables/todo/r2 -> 412\n");
	assert_int_equal(NERR(a), 2);
	assert_int_equal(ERR_STATUS(a, "r1"), 404);
	assert_int_equal(ERR_STATUS(a, "r2"), 412);
	assert_int_equal(OP_STATE(a, "r1"), 2);
	assert_int_equal(OP_STATE(a, "r2"), 2);
	assert_int_equal(dev_queue_len(a), 2);
	assert_int_equal(count_ev(w, TRC_NOTE, "settle"), 0);
	dev_close(a);
	dev_close(b);
	w_close(w);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_update_collapse),
		cmocka_unit_test(test_delete_in_place),
		cmocka_unit_test(test_delete_twice),
		cmocka_unit_test(test_states_and_lost_insert),
		cmocka_unit_test(test_error_stops_js),
		cmocka_unit_test(test_delete_404),
		cmocka_unit_test(test_datasync_settles_later),
		cmocka_unit_test(test_datasync_keeps_conflicts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
