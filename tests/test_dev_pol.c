/*
** test_dev_pol.c: a device's push meeting conflicts, 404s and other
** errors under each policy, a store snapshot restored, and randomized
** runs over a lossy network; the world is in dev_world.h.
*/
#include "tests/dev_world.h"

/* ---- policies at the device ------------------------------------------- */

/* Makes a 412 for device a on todo/r1: a and b pulled, b pushed first. */
static void
make_412(world *w, dev *a, dev *b, const char *a_set, const char *b_set)
{
	(void)w;
	assert_int_equal(pull(a, "todo", NULL), DEV_OK);
	assert_int_equal(pull(b, "todo", NULL), DEV_OK);
	assert_int_equal(upd(b, "todo", "r1", b_set), 0);
	assert_int_equal(push(b, NULL), DEV_OK);
	assert_int_equal(upd(a, "todo", "r1", a_set), 0);
}

static void
test_policy_server_and_client_wins(void **state)
{
	(void)state;
	world *w = w_open();
	seed(w, "todo", "{\"id\":\"r1\",\"title\":\"s\",\"qty\":1}");
	pol_table sw = { { POL_SERVER_WINS, NULL, 0, NULL, POL_NONE }, NULL, 0 };
	dev *a = w_dev(w, "A", &sw, 0);
	dev *b = w_dev(w, "B", NULL, 0);
	dev_push_result res;
	make_412(w, a, b, "{\"title\":\"a\"}", "{\"title\":\"b\"}");
	clear_log(w);
	assert_int_equal(push(a, &res), DEV_OK);
	assert_string_equal(sb_str(&w->log), "PATCH /tables/todo/r1 -> 412\n");
	assert_int_equal(res.conflicts, 1);
	assert_int_equal(res.resolved, 1);
	assert_field(a, "todo", "r1", "title", "b");
	assert_field(a, "todo", "r1", "version", "Mg==");
	assert_int_equal(dev_queue_len(a), 0);
	assert_int_equal(count_ev(w, TRC_RESOLVE, "take-server"), 1);
	dev_close(a);

	/* client-wins: re-push with the server's version at once. */
	pol_table cw = { { POL_CLIENT_WINS, NULL, 0, NULL, POL_NONE }, NULL, 0 };
	dev *c = w_dev(w, "C", &cw, 0);
	make_412(w, c, b, "{\"title\":\"c\"}", "{\"title\":\"b2\"}");
	clear_log(w);
	assert_int_equal(push(c, &res), DEV_OK);
	assert_string_equal(sb_str(&w->log),
	    "PATCH /tables/todo/r1 -> 412\n"
	    "PATCH /tables/todo/r1 -> 200\n");
	assert_int_equal(res.resolved, 1);
	assert_server(w, "todo", "r1", "title", "c");
	assert_field(c, "todo", "r1", "version", "NA==");
	assert_int_equal(count_ev(w, TRC_RESOLVE, "push-merged"), 1);

	/* client-wins after a lost insert response: 409, GET, PATCH. */
	assert_int_equal(ins(c, "todo", "{\"id\":\"n1\",\"title\":\"x\"}"), 0);
	w->drop_resp = 1;
	assert_int_equal(push(c, &res), DEV_ABORTED);
	assert_int_equal(upd(c, "todo", "n1", "{\"title\":\"y\"}"), 0);
	clear_log(w);
	assert_int_equal(push(c, &res), DEV_OK);
	assert_string_equal(sb_str(&w->log),
	    "POST /tables/todo -> 409\n"
	    "GET /tables/todo/n1 -> 200\n"
	    "PATCH /tables/todo/n1 -> 200\n");
	assert_server(w, "todo", "n1", "title", "y");
	assert_int_equal(dev_queue_len(c), 0);
	dev_close(b);
	dev_close(c);
	w_close(w);
}

static void
lww_hook(world *w, dev *d, const http_req *req)
{
	(void)w;
	(void)d;
	assert_null(http_req_header(req, "If-Match"));
	if (req->body != NULL)
		assert_null(strstr(req->body, "version"));
}

static void
test_policy_last_writer_wins(void **state)
{
	(void)state;
	world *w = w_open();
	seed(w, "todo", "{\"id\":\"r1\",\"title\":\"s\"}");
	pol_table lw = { { POL_LAST_WRITER_WINS, NULL, 0, NULL, POL_NONE },
	    NULL, 0 };
	dev *a = w_dev(w, "A", &lw, 0);
	dev *b = w_dev(w, "B", &lw, 0);
	make_412(w, a, b, "{\"title\":\"a\"}", "{\"title\":\"b\"}");
	w->hook = lww_hook;
	dev_push_result res;
	clear_log(w);
	assert_int_equal(push(a, &res), DEV_OK);
	assert_string_equal(sb_str(&w->log), "PATCH /tables/todo/r1 -> 200\n");
	assert_int_equal(res.conflicts, 0);
	/* B's write is silently overwritten, and the trace says so. */
	assert_server(w, "todo", "r1", "title", "a");
	assert_int_equal(count_ev(w, TRC_NOTE, "last-writer-wins"), 2);
	assert_int_equal(del(b, "todo", "r1"), 0);
	assert_int_equal(push(b, NULL), DEV_OK);

	/* The duplicate insert after a lost response: the whole row simply
	** overwrites (PATCH, still no If-Match)... */
	assert_int_equal(ins(a, "todo", "{\"id\":\"n1\",\"title\":\"x\"}"), 0);
	w->drop_resp = 1;
	assert_int_equal(push(a, NULL), DEV_ABORTED);
	clear_log(w);
	assert_int_equal(push(a, NULL), DEV_OK);
	assert_string_equal(sb_str(&w->log),
	    "POST /tables/todo -> 409\n"
	    "PATCH /tables/todo/n1 -> 200\n");
	dev_close(a);

	/* ...and with a field override, the server row is read first so that
	** each field can be decided. */
	static char *order[] = { "low", "high" };
	pol_field f = { "title", { POL_PRECEDENCE, order, 2, NULL, POL_NONE } };
	lw.fields = &f;
	lw.nfields = 1;
	dev *c = w_dev(w, "C", &lw, 0);
	assert_int_equal(ins(c, "todo", "{\"id\":\"n2\",\"title\":\"high\","
	    "\"qty\":1}"), 0);
	w->drop_resp = 1;
	assert_int_equal(push(c, NULL), DEV_ABORTED);
	assert_int_equal(upd(c, "todo", "n2", "{\"title\":\"low\",\"qty\":2}"),
	    0);
	clear_log(w);
	assert_int_equal(push(c, NULL), DEV_OK);
	assert_string_equal(sb_str(&w->log),
	    "POST /tables/todo -> 409\n"
	    "GET /tables/todo/n2 -> 200\n"
	    "PATCH /tables/todo/n2 -> 200\n");
	/* title by precedence (the server's "high"), qty by last-writer. */
	assert_server(w, "todo", "n2", "title", "high");
	assert_server(w, "todo", "n2", "qty", "2");
	assert_int_equal(dev_queue_len(c), 0);
	dev_close(c);
	dev_close(b);
	w_close(w);
}

static void
test_policy_merge_and_manual(void **state)
{
	(void)state;
	world *w = w_open();
	seed(w, "todo", "{\"id\":\"r1\",\"title\":\"s\",\"qty\":10}");
	pol_field qf = { "qty", { POL_DELTA, NULL, 0, NULL, POL_NONE } };
	pol_table mg = { { POL_MERGE, NULL, 0, NULL, POL_SERVER_WINS }, &qf, 1 };
	dev *a = w_dev(w, "A", &mg, 0);
	dev *b = w_dev(w, "B", NULL, 0);
	dev_push_result res;
	/* A sells 2 and renames; B sells 3: merge keeps both. */
	make_412(w, a, b, "{\"title\":\"a\",\"qty\":8}", "{\"qty\":7}");
	assert_int_equal(push(a, &res), DEV_OK);
	assert_int_equal(res.resolved, 1);
	assert_server(w, "todo", "r1", "title", "a");
	assert_server(w, "todo", "r1", "qty", "5");
	assert_field(a, "todo", "r1", "qty", "5");
	dev_close(a);

	/* manual: kept until dev_resolve picks per field. */
	pol_table mn = { { POL_MANUAL, NULL, 0, NULL, POL_NONE }, NULL, 0 };
	dev *m = w_dev(w, "M", &mn, 0);
	make_412(w, m, b, "{\"title\":\"m\",\"qty\":1}", "{\"title\":\"b\","
	    "\"qty\":2}");
	assert_int_equal(push(m, &res), DEV_CONFLICTS);
	assert_int_equal(count_ev(w, TRC_RESOLVE, "keep-queued"), 1);
	cJSON *c = dev_get_conflict(m, "todo", "r1");
	assert_non_null(c);
	assert_string_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(c,
	    "server"), "title")->valuestring, "b");
	cJSON_Delete(c);
	sb err = SB_INIT;
	cJSON *bad = J("{\"nope\":\"local\"}");
	assert_int_equal(dev_resolve(m, "todo", "r1", bad, &err), -1);
	cJSON_Delete(bad);
	cJSON *keep = J("{\"title\":\"local\"}");
	assert_int_equal(dev_resolve(m, "todo", "r1", keep, &err), 0);
	cJSON_Delete(keep);
	assert_field(m, "todo", "r1", "title", "m");
	assert_field(m, "todo", "r1", "qty", "2");
	assert_int_equal(push(m, &res), DEV_OK);
	assert_server(w, "todo", "r1", "title", "m");
	assert_server(w, "todo", "r1", "qty", "2");
	sb_free(&err);
	dev_close(m);
	dev_close(b);
	w_close(w);
}

static void
test_policy_newest_edit_wins_skew(void **state)
{
	(void)state;
	world *w = w_open();
	seed(w, "todo", "{\"id\":\"r1\",\"title\":\"s\"}");
	pol_table nw = { { POL_NEWEST_EDIT_WINS, NULL, 0, "editedAt", POL_NONE },
	    NULL, 0 };
	/* A's clock is an hour fast: its older edit still wins. */
	dev *a = w_dev(w, "A", &nw, 3600000);
	dev *b = w_dev(w, "B", &nw, 0);
	assert_int_equal(pull(a, "todo", NULL), DEV_OK);
	assert_int_equal(pull(b, "todo", NULL), DEV_OK);
	int64_t edit_at = w->now;
	assert_int_equal(upd(a, "todo", "r1", "{\"title\":\"older\"}"), 0);
	w->now += 60000;
	assert_int_equal(upd(b, "todo", "r1", "{\"title\":\"newer\"}"), 0);
	assert_int_equal(push(b, NULL), DEV_OK);
	assert_int_equal(push(a, NULL), DEV_OK);
	assert_server(w, "todo", "r1", "title", "older");
	char *stamp = field(a, "todo", "r1", "editedAt");
	assert_non_null(stamp);
	/* The stamp is the device's own clock at the edit. */
	char want[32];
	wire_format_time(edit_at + 3600000, want);
	assert_string_equal(stamp, want);
	free(stamp);
	dev_close(a);
	dev_close(b);
	w_close(w);
}

static void
test_other_errors_continue(void **state)
{
	(void)state;
	world *w = w_open();
	seed(w, "hard", "{\"id\":\"h1\",\"title\":\"s\"}");
	dev *a = w_dev(w, "A", NULL, 0);
	dev *b = w_dev(w, "B", NULL, 0);
	dev_push_result res;
	assert_int_equal(pull(a, "hard", NULL), DEV_OK);
	assert_int_equal(pull(b, "hard", NULL), DEV_OK);
	assert_int_equal(del(b, "hard", "h1"), 0);
	assert_int_equal(push(b, NULL), DEV_OK);
	/* The PATCH meets 404 (not a conflict): an error row, and the push
	** goes on with the next operation. */
	assert_int_equal(upd(a, "hard", "h1", "{\"title\":\"x\"}"), 0);
	assert_int_equal(ins(a, "todo", "{\"id\":\"r2\"}"), 0);
	clear_log(w);
	assert_int_equal(push(a, &res), DEV_CONFLICTS);
	assert_string_equal(sb_str(&w->log),
	    "PATCH /tables/hard/h1 -> 404\n"
	    "POST /tables/todo -> 201\n");
	assert_int_equal(res.conflicts, 0);
	assert_int_equal(res.errors, 1);
	assert_int_equal(res.succeeded, 1);
	assert_int_equal(q_int(a, "SELECT httpStatus FROM __errors", NULL), 404);
	assert_int_equal(dev_queue_len(a), 1);
	/* The row vanished locally behind the queue's back: a sync error
	** with no HTTP status, as PushAction records it. */
	assert_int_equal(sqlite3_exec(dev_db(a), "DELETE FROM hard", NULL, NULL,
	    NULL), SQLITE_OK);
	clear_log(w);
	assert_int_equal(push(a, &res), DEV_CONFLICTS);
	assert_int_equal(w->nreq, 0);
	assert_int_equal(q_int(a, "SELECT httpStatus IS NULL FROM __errors",
	    NULL), 1);
	dev_close(a);
	dev_close(b);
	w_close(w);
}

static void
test_snapshot_restore(void **state)
{
	(void)state;
	world *w = w_open();
	seed(w, "todo", "{\"id\":\"r1\",\"title\":\"s\"}");
	dev *a = w_dev(w, "A", NULL, 0);
	assert_int_equal(pull(a, "todo", NULL), DEV_OK);
	assert_int_equal(upd(a, "todo", "r1", "{\"title\":\"a\"}"), 0);
	assert_int_equal(ins(a, "todo", "{\"id\":\"r2\"}"), 0);
	assert_int_equal(ins(a, "todo", "{\"id\":\"r3\"}"), 0);
	/* Everything mutable is in the store: its bytes are the device. */
	sqlite3_int64 n;
	unsigned char *bytes = snap(a, &n);
	dev *copy = w_dev(w, "A2", NULL, 0);
	assert_int_equal(sqlite3_deserialize(dev_db(copy), "main", bytes, n, n,
	    SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_RESIZEABLE),
	    SQLITE_OK);
	assert_int_equal(dev_queue_len(copy), 3);
	assert_int_equal(upd(copy, "todo", "r2", "{\"qty\":2}"), 0);
	assert_int_equal(OP_VER(copy, "r2"), 2);
	assert_int_equal(OP_VER(a, "r2"), 1);
	clear_log(w);
	assert_int_equal(push(copy, NULL), DEV_OK);
	assert_string_equal(sb_str(&w->log),
	    "PATCH /tables/todo/r1 -> 200\n"
	    "POST /tables/todo -> 201\n"
	    "POST /tables/todo -> 201\n");
	assert_server(w, "todo", "r2", "qty", "2");
	assert_int_equal(dev_queue_len(a), 3);
	dev_close(a);
	dev_close(copy);
	w_close(w);
}

/* A's insert response is lost; meanwhile B soft-deletes the row. */
static void
test_server_wins_discard(void **state)
{
	(void)state;
	world *w = w_open();
	pol_table sw = { { POL_SERVER_WINS, NULL, 0, NULL, POL_NONE }, NULL, 0 };
	dev *a = w_dev(w, "A", &sw, 0);
	dev *b = w_dev(w, "B", NULL, 0);
	dev_push_result res;
	assert_int_equal(ins(a, "todo", "{\"id\":\"n1\",\"title\":\"x\"}"), 0);
	w->drop_resp = 1;
	assert_int_equal(push(a, &res), DEV_ABORTED);
	assert_int_equal(pull(b, "todo", NULL), DEV_OK);
	assert_int_equal(del(b, "todo", "n1"), 0);
	assert_int_equal(push(b, NULL), DEV_OK);
	clear_log(w);
	assert_int_equal(push(a, &res), DEV_OK);
	assert_string_equal(sb_str(&w->log),
	    "POST /tables/todo -> 409\n"
	    "GET /tables/todo/n1 -> 404\n");
	assert_null(dev_get_row(a, "todo", "n1"));
	assert_int_equal(dev_queue_len(a), 0);
	assert_int_equal(count_ev(w, TRC_RESOLVE, "discard"), 1);
	dev_close(a);
	dev_close(b);
	w_close(w);
}

/* ---- a 404 on an update: the row is gone on the server ------------------ */

/* The text of the last trace event of a type, or "". */
static const char *
last_text(world *w, trc_type type)
{
	for (size_t i = w->tr.n; i > 0; i--)
		if (w->tr.ev[i - 1].type == type)
			return w->tr.ev[i - 1].text != NULL ?
			    w->tr.ev[i - 1].text : "";
	return "";
}

/*
** A and B hold r1; B deletes it (soft delete), then A's update of r1
** meets 404 on its PATCH.  Returns A, whose push has run (res filled).
*/
static dev *
gone_404(world *w, const pol_table *policy, dev_push_result *res,
    dev_status *st)
{
	seed(w, "todo", "{\"id\":\"r1\",\"title\":\"s\",\"qty\":1,"
	    "\"editedAt\":\"2026-03-02T08:00:00.000Z\"}");
	dev *a = w_dev(w, "A", policy, 0);
	dev *b = w_dev(w, "B", NULL, 0);
	assert_int_equal(pull(a, "todo", NULL), DEV_OK);
	assert_int_equal(pull(b, "todo", NULL), DEV_OK);
	assert_int_equal(del(b, "todo", "r1"), 0);
	assert_int_equal(push(b, NULL), DEV_OK);
	dev_close(b);
	assert_int_equal(upd(a, "todo", "r1", "{\"title\":\"a\",\"qty\":5}"),
	    0);
	assert_int_equal(q_int(a, "SELECT COUNT(*) FROM __base WHERE id = ?",
	    "r1"), 1);
	clear_log(w);
	*st = push(a, res);
	return a;
}

/* Under every policy that installs a handler, the 404 discards the
** change: the op, the local row and its __base copy go, with a sentence. */
static void
test_404_policies_discard(void **state)
{
	(void)state;
	static char *order[] = { "s", "a" };
	static const struct {
		pol_spec	 spec;
		const char	*name;
	} pols[] = {
		{ { POL_SERVER_WINS, NULL, 0, NULL, POL_NONE }, "server-wins" },
		{ { POL_CLIENT_WINS, NULL, 0, NULL, POL_NONE }, "client-wins" },
		{ { POL_LAST_WRITER_WINS, NULL, 0, NULL, POL_NONE },
		    "last-writer-wins" },
		{ { POL_NEWEST_EDIT_WINS, NULL, 0, "editedAt", POL_NONE },
		    "newest-edit-wins" },
		{ { POL_PRECEDENCE, order, 2, NULL, POL_NONE }, "precedence" },
		{ { POL_DELTA, NULL, 0, NULL, POL_NONE }, "delta" },
		{ { POL_MERGE, NULL, 0, NULL, POL_SERVER_WINS }, "merge" },
		{ { POL_MERGE, NULL, 0, NULL, POL_CLIENT_WINS }, "merge" },
	};
	for (size_t i = 0; i < sizeof pols / sizeof pols[0]; i++) {
		world *w = w_open();
		pol_table pt = { pols[i].spec, NULL, 0 };
		dev_push_result res;
		dev_status st;
		dev *a = gone_404(w, &pt, &res, &st);
		assert_int_equal(st, DEV_OK);
		assert_string_equal(sb_str(&w->log),
		    "PATCH /tables/todo/r1 -> 404\n");
		assert_int_equal(res.succeeded, 1);
		assert_int_equal(res.errors, 0);
		assert_int_equal(res.conflicts, 0);
		assert_int_equal(res.resolved, 0);
		assert_int_equal(dev_queue_len(a), 0);
		assert_int_equal(dev_error_count(a), 0);
		assert_null(dev_get_row(a, "todo", "r1"));
		assert_int_equal(q_int(a, "SELECT COUNT(*) FROM __base WHERE "
		    "id = ?", "r1"), 0);
		assert_int_equal(count_ev(w, TRC_RESOLVE, "discard"), 1);
		assert_int_equal(count_ev(w, TRC_DEQUEUE, "discarded"), 1);
		const char *why = last_text(w, TRC_RESOLVE);
		char *want = xasprintf("The row was deleted on the server (the "
		    "PATCH answers 404); a %s handler cannot apply a change to "
		    "a row that no longer exists, so the local change is "
		    "discarded", pols[i].name);
		assert_non_null(strstr(why, want));
		free(want);
		/* Only client-wins says what a handler could do instead. */
		int cw = pols[i].spec.kind == POL_CLIENT_WINS ||
		    pols[i].spec.fallback == POL_CLIENT_WINS;
		assert_int_equal(strstr(why, "re-create the row") != NULL, cw);
		/* The next pull brings the deleted row: nothing comes back. */
		assert_int_equal(pull(a, "todo", NULL), DEV_OK);
		assert_null(dev_get_row(a, "todo", "r1"));
		dev_close(a);
		w_close(w);
	}
}

/* none and manual keep the SDK's behaviour: an error row that every push
** meets again; manual until someone takes the server's side by hand. */
static void
test_404_none_and_manual_stay(void **state)
{
	(void)state;
	static const pol_kind kinds[] = { POL_NONE, POL_MANUAL, POL_MERGE };
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		world *w = w_open();
		/* A merge whose fallback is none leaves it to a person too. */
		pol_table pt = { { kinds[i], NULL, 0, NULL, POL_NONE }, NULL, 0 };
		dev_push_result res;
		dev_status st;
		dev *a = gone_404(w, &pt, &res, &st);
		assert_int_equal(st, DEV_CONFLICTS);
		assert_string_equal(sb_str(&w->log),
		    "PATCH /tables/todo/r1 -> 404\n");
		assert_int_equal(res.errors, 1);
		assert_int_equal(dev_queue_len(a), 1);
		assert_int_equal(q_int(a, "SELECT httpStatus FROM __errors",
		    NULL), 404);
		assert_int_equal(count_ev(w, TRC_RESOLVE, NULL), 0);
		assert_field(a, "todo", "r1", "title", "a");
		/* The next push meets it again. */
		clear_log(w);
		assert_int_equal(push(a, &res), DEV_CONFLICTS);
		assert_string_equal(sb_str(&w->log),
		    "PATCH /tables/todo/r1 -> 404\n");
		if (kinds[i] == POL_MANUAL) {
			sb err = SB_INIT;
			cJSON *srvside = J("\"server\"");
			assert_int_equal(dev_resolve(a, "todo", "r1", srvside,
			    &err), 0);
			cJSON_Delete(srvside);
			sb_free(&err);
			assert_int_equal(dev_queue_len(a), 0);
			assert_null(dev_get_row(a, "todo", "r1"));
			assert_int_equal(count_ev(w, TRC_RESOLVE, "discard"), 1);
		}
		dev_close(a);
		w_close(w);
	}
}

/* Deletes the row on the server just before the PATCH that a policy
** sends after a conflict. */
static void
gone_hook(world *w, dev *d, const http_req *req)
{
	(void)d;
	int *patches = w->hook_ud;
	if (strcmp(req->method, "PATCH") != 0 || ++*patches != 2)
		return;
	http_req r;
	http_resp resp;
	http_req_init(&r, "DELETE", req->path, NULL);
	http_req_add_header(&r, "ZUMO-API-VERSION", "2.0.0");
	http_resp_init(&resp, 0);
	srv_handle(w->s, &r, w->now, ++w->ent, &resp);
	/* A soft delete answers with the deleted row. */
	assert_int_equal(resp.status, 200);
	http_req_free(&r);
	http_resp_free(&resp);
}

/* The 404 can also answer the PATCH a policy sends to settle a conflict,
** or the GET that fetches the server row after a 409 on an insert. */
static void
test_404_after_conflict(void **state)
{
	(void)state;
	world *w = w_open();
	seed(w, "todo", "{\"id\":\"r1\",\"title\":\"s\"}");
	pol_table cw = { { POL_CLIENT_WINS, NULL, 0, NULL, POL_NONE }, NULL, 0 };
	dev *a = w_dev(w, "A", &cw, 0);
	dev *b = w_dev(w, "B", NULL, 0);
	dev_push_result res;
	make_412(w, a, b, "{\"title\":\"a\"}", "{\"title\":\"b\"}");
	int patches = 0;
	w->hook = gone_hook;
	w->hook_ud = &patches;
	clear_log(w);
	assert_int_equal(push(a, &res), DEV_OK);
	w->hook = NULL;
	assert_string_equal(sb_str(&w->log),
	    "PATCH /tables/todo/r1 -> 412\n"
	    "PATCH /tables/todo/r1 -> 404\n");
	assert_int_equal(res.conflicts, 1);
	assert_int_equal(res.resolved, 1);
	assert_int_equal(dev_queue_len(a), 0);
	assert_null(dev_get_row(a, "todo", "r1"));
	assert_int_equal(count_ev(w, TRC_RESOLVE, "discard"), 1);

	/* An insert whose response was lost, its row deleted meanwhile by
	** B: the retry meets 409 and the GET 404, for precedence as for
	** server-wins (test_server_wins_discard). */
	static char *order[] = { "x", "y" };
	pol_table pr = { { POL_PRECEDENCE, order, 2, NULL, POL_NONE }, NULL,
	    0 };
	dev *c = w_dev(w, "C", &pr, 0);
	assert_int_equal(ins(c, "todo", "{\"id\":\"n1\",\"title\":\"x\"}"), 0);
	w->drop_resp = 1;
	assert_int_equal(push(c, &res), DEV_ABORTED);
	assert_int_equal(pull(b, "todo", NULL), DEV_OK);
	assert_int_equal(del(b, "todo", "n1"), 0);
	assert_int_equal(push(b, NULL), DEV_OK);
	clear_log(w);
	assert_int_equal(push(c, &res), DEV_OK);
	assert_string_equal(sb_str(&w->log),
	    "POST /tables/todo -> 409\n"
	    "GET /tables/todo/n1 -> 404\n");
	assert_int_equal(res.resolved, 1);
	assert_null(dev_get_row(c, "todo", "n1"));
	assert_int_equal(dev_queue_len(c), 0);
	assert_non_null(strstr(last_text(w, TRC_RESOLVE), "the GET after the "
	    "conflict answers 404"));
	dev_close(a);
	dev_close(b);
	dev_close(c);
	w_close(w);
}

static void
test_delete_conflicts(void **state)
{
	(void)state;
	world *w = w_open();
	seed(w, "todo", "{\"id\":\"r1\",\"title\":\"s\",\"editedAt\":"
	    "\"2026-03-02T09:00:00.000Z\"}");
	pol_table cw = { { POL_CLIENT_WINS, NULL, 0, NULL, POL_NONE }, NULL, 0 };
	pol_table sw = { { POL_SERVER_WINS, NULL, 0, NULL, POL_NONE }, NULL, 0 };
	pol_table nw = { { POL_NEWEST_EDIT_WINS, NULL, 0, "editedAt",
	    POL_NONE }, NULL, 0 };
	dev *b = w_dev(w, "B", NULL, 0);
	dev_push_result res;
	sb err = SB_INIT;

	/* server-wins: the row B edited comes back on S. */
	dev *s = w_dev(w, "S", &sw, 0);
	assert_int_equal(pull(s, "todo", NULL), DEV_OK);
	assert_int_equal(pull(b, "todo", NULL), DEV_OK);
	assert_int_equal(upd(b, "todo", "r1", "{\"title\":\"b1\"}"), 0);
	assert_int_equal(push(b, NULL), DEV_OK);
	assert_int_equal(del(s, "todo", "r1"), 0);
	clear_log(w);
	assert_int_equal(push(s, &res), DEV_OK);
	assert_string_equal(sb_str(&w->log), "DELETE /tables/todo/r1 -> 412\n");
	assert_field(s, "todo", "r1", "title", "b1");

	/* none, then a manual "local": the delete goes through next time. */
	dev *n = w_dev(w, "N", NULL, 0);
	assert_int_equal(pull(n, "todo", NULL), DEV_OK);
	assert_int_equal(pull(b, "todo", NULL), DEV_OK);
	assert_int_equal(upd(b, "todo", "r1", "{\"title\":\"b2\"}"), 0);
	assert_int_equal(push(b, NULL), DEV_OK);
	assert_int_equal(del(n, "todo", "r1"), 0);
	assert_int_equal(push(n, &res), DEV_CONFLICTS);
	cJSON *c = dev_get_conflict(n, "todo", "r1");
	assert_non_null(c);
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(c, "local")));
	assert_string_equal(cJSON_GetObjectItem(c, "kind")->valuestring,
	    "delete");
	cJSON_Delete(c);
	cJSON *keep = J("\"local\"");
	assert_int_equal(dev_resolve(n, "todo", "r1", keep, &err), 0);
	cJSON_Delete(keep);
	clear_log(w);
	assert_int_equal(push(n, &res), DEV_OK);
	assert_string_equal(sb_str(&w->log), "DELETE /tables/todo/r1 -> 200\n");
	cJSON *row = srv_get_row(w->s, "todo", "r1");
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(row, "deleted")));
	cJSON_Delete(row);
	/* Undelete on the server so the remaining cases have a row. */
	http_req rq;
	http_resp rs;
	http_req_init(&rq, "POST", "/tables/todo/r1", NULL);
	http_req_add_header(&rq, "ZUMO-API-VERSION", "2.0.0");
	http_resp_init(&rs, 0);
	srv_handle(w->s, &rq, ++w->now, 1, &rs);
	assert_int_equal(rs.status, 201);
	http_resp_free(&rs);
	http_req_free(&rq);

	/* client-wins: the delete is sent again with the server's version. */
	dev *cl = w_dev(w, "C", &cw, 0);
	assert_int_equal(pull(cl, "todo", NULL), DEV_OK);
	assert_int_equal(pull(b, "todo", NULL), DEV_OK);
	assert_int_equal(upd(b, "todo", "r1", "{\"title\":\"b3\"}"), 0);
	assert_int_equal(push(b, NULL), DEV_OK);
	assert_int_equal(del(cl, "todo", "r1"), 0);
	clear_log(w);
	assert_int_equal(push(cl, &res), DEV_OK);
	assert_string_equal(sb_str(&w->log),
	    "DELETE /tables/todo/r1 -> 412\n"
	    "DELETE /tables/todo/r1 -> 200\n");

	/* newest-edit-wins: an older delete loses to a newer stamped edit. */
	http_req_init(&rq, "POST", "/tables/todo/r1", NULL);
	http_req_add_header(&rq, "ZUMO-API-VERSION", "2.0.0");
	http_resp_init(&rs, 0);
	srv_handle(w->s, &rq, ++w->now, 1, &rs);
	assert_int_equal(rs.status, 201);
	http_resp_free(&rs);
	http_req_free(&rq);
	dev *ne = w_dev(w, "E", &nw, 0);
	dev *nb = w_dev(w, "F", &nw, 0);
	assert_int_equal(pull(ne, "todo", NULL), DEV_OK);
	assert_int_equal(pull(nb, "todo", NULL), DEV_OK);
	assert_int_equal(del(ne, "todo", "r1"), 0);
	w->now += 1000;
	assert_int_equal(upd(nb, "todo", "r1", "{\"title\":\"late\"}"), 0);
	assert_int_equal(push(nb, NULL), DEV_OK);
	assert_int_equal(push(ne, &res), DEV_OK);
	assert_field(ne, "todo", "r1", "title", "late");
	assert_server(w, "todo", "r1", "title", "late");

	sb_free(&err);
	dev_close(s);
	dev_close(n);
	dev_close(cl);
	dev_close(ne);
	dev_close(nb);
	dev_close(b);
	w_close(w);
}

static void
test_policy_precedence_device(void **state)
{
	(void)state;
	world *w = w_open();
	static char *order[] = { "assigned", "in-progress", "completed" };
	seed(w, "todo", "{\"id\":\"r1\",\"title\":\"assigned\"}");
	pol_field f = { "title", { POL_PRECEDENCE, order, 3, NULL, POL_NONE } };
	pol_table pt = { { POL_SERVER_WINS, NULL, 0, NULL, POL_NONE }, &f, 1 };
	dev *a = w_dev(w, "A", &pt, 0);
	dev *b = w_dev(w, "B", NULL, 0);
	make_412(w, a, b, "{\"title\":\"completed\",\"qty\":1}",
	    "{\"title\":\"in-progress\",\"qty\":9}");
	dev_push_result res;
	assert_int_equal(push(a, &res), DEV_OK);
	assert_int_equal(res.resolved, 1);
	/* title by precedence (the device's), qty by server-wins. */
	assert_server(w, "todo", "r1", "title", "completed");
	assert_server(w, "todo", "r1", "qty", "9");
	assert_field(a, "todo", "r1", "qty", "9");
	dev_close(a);
	dev_close(b);
	w_close(w);
}

/* ---- a randomized run ---------------------------------------------------- */

static uint64_t
fz_next(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

/* The ids of a device's live rows with their versions, sorted. */
static char *
rows_of_dev(dev *d)
{
	sb out = SB_INIT;
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(dev_db(d), "SELECT id, version, "
	    "title, qty FROM todo ORDER BY id", -1, &st, NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW)
		sb_addf(&out, "%s %s %s %g\n", sqlite3_column_text(st, 0),
		    sqlite3_column_text(st, 1), sqlite3_column_text(st, 2) ?
		    (const char *)sqlite3_column_text(st, 2) : "-",
		    sqlite3_column_double(st, 3));
	sqlite3_finalize(st);
	return sb_take(&out);
}

static char *
rows_of_srv(world *w)
{
	sb out = SB_INIT;
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(srv_db(w->s), "SELECT id FROM todo "
	    "ORDER BY id", -1, &st, NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		cJSON *r = srv_get_row(w->s, "todo",
		    (const char *)sqlite3_column_text(st, 0));
		assert_non_null(r);
		if (!cJSON_IsTrue(cJSON_GetObjectItem(r, "deleted"))) {
			cJSON *t = cJSON_GetObjectItem(r, "title");
			sb_addf(&out, "%s %s %s %g\n",
			    cJSON_GetObjectItem(r, "id")->valuestring,
			    cJSON_GetObjectItem(r, "version")->valuestring,
			    cJSON_IsString(t) ? t->valuestring : "-",
			    cJSON_GetObjectItem(r, "qty")->valuedouble);
		}
		cJSON_Delete(r);
	}
	sqlite3_finalize(st);
	return sb_take(&out);
}

/*
** Three client-wins devices edit a few rows at random over a lossy
** network.  Whatever happens, nothing crashes, a refused write changes
** nothing, and after a clean final sync every device whose queue emptied
** holds exactly the server's live rows.
*/
static void
test_random_runs(void **state)
{
	(void)state;
	int checked = 0, conflicts = 0, lost = 0;
	for (uint64_t seedv = 1; seedv <= 6; seedv++) {
		world *w = w_open();
		pol_table cw = { { POL_CLIENT_WINS, NULL, 0, NULL, POL_NONE },
		    NULL, 0 };
		dev *ds[3];
		char name[16];
		for (int i = 0; i < 3; i++) {
			snprintf(name, sizeof name, "D%d", i);
			ds[i] = w_dev(w, name, &cw, 0);
		}
		uint64_t x = seedv * 0x2545f4914f6cdd1dULL;
		for (int step = 0; step < 400; step++) {
			dev *d = ds[fz_next(&x) % 3];
			char id[16], row[96];
			/* Inserts use fresh ids (reusing the id of a row deleted
			** on the server only meets 409 and is discarded); updates
			** and deletes pick one of the first rows the device
			** holds. */
			snprintf(id, sizeof id, "k%d", step);
			sqlite3_stmt *pick;
			assert_int_equal(sqlite3_prepare_v2(dev_db(d), "SELECT id "
			    "FROM todo ORDER BY id LIMIT 1 OFFSET ?", -1, &pick,
			    NULL), SQLITE_OK);
			sqlite3_bind_int(pick, 1, (int)(fz_next(&x) % 4));
			if (sqlite3_step(pick) == SQLITE_ROW)
				snprintf(row, sizeof row, "%s",
				    sqlite3_column_text(pick, 0));
			else
				snprintf(row, sizeof row, "none");
			sqlite3_finalize(pick);
			char pid[96];
			memcpy(pid, row, sizeof pid);
			unsigned what = (unsigned)(fz_next(&x) % 10);
			if (fz_next(&x) % 7 == 0)
				w->drop_req = 1;
			else if (fz_next(&x) % 7 == 0)
				w->drop_resp = 1;
			sqlite3_int64 n;
			unsigned char *before = snap(d, &n);
			int rc = 0;
			switch (what) {
			case 0:
			case 1:
				snprintf(row, sizeof row, "{\"id\":\"%s\","
				    "\"title\":\"s%d\",\"qty\":%d}", id, step, step);
				rc = ins(d, "todo", row);
				break;
			case 2:
			case 3:
				snprintf(row, sizeof row, "{\"title\":\"u%d\"}",
				    step);
				rc = upd(d, "todo", pid, row);
				break;
			case 4:
				if (fz_next(&x) % 3 == 0)
					rc = del(d, "todo", pid);
				break;
			case 5:
			case 6:
				(void)push(d, NULL);
				break;
			default:
				(void)pull(d, "todo", NULL);
				break;
			}
			if (rc != 0)
				assert_unchanged(d, before, n);
			else
				sqlite3_free(before);
			w->drop_req = w->drop_resp = 0;
		}
		/* Clean network: sync everything.  An update of a row another
		** device deleted meets 404, which client-wins settles at once
		** by discarding the change: no 404 is ever left behind. */
		for (int round = 0; round < 3; round++)
			for (int i = 0; i < 3; i++) {
				(void)push(ds[i], NULL);
				(void)pull(ds[i], "todo", NULL);
				assert_int_equal(q_int(ds[i], "SELECT COUNT(*) "
				    "FROM __errors WHERE httpStatus = 404", NULL),
				    0);
			}
		char *want = rows_of_srv(w);
		for (int i = 0; i < 3; i++) {
			if (dev_queue_len(ds[i]) != 0)
				continue;
			char *got = rows_of_dev(ds[i]);
			if (strcmp(got, want) != 0)
				print_error("seed %llu %s:\n%s--- server:\n%s",
				    (unsigned long long)seedv, dev_name(ds[i]), got,
				    want);
			assert_string_equal(got, want);
			free(got);
			checked++;
		}
		free(want);
		conflicts += count_ev(w, TRC_CONFLICT, NULL);
		lost += count_ev(w, TRC_ERROR, NULL);
		for (int i = 0; i < 3; i++)
			dev_close(ds[i]);
		w_close(w);
	}
	/* The runs did meet conflicts and failures, and most devices ended
	** with an empty queue and were compared. */
	print_message("random runs: %d devices compared, %d conflicts, %d "
	    "errors\n", checked, conflicts, lost);
	assert_int_equal(checked, 18);
	assert_true(conflicts > 0);
	assert_true(lost > 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_policy_server_and_client_wins),
		cmocka_unit_test(test_policy_last_writer_wins),
		cmocka_unit_test(test_policy_merge_and_manual),
		cmocka_unit_test(test_policy_newest_edit_wins_skew),
		cmocka_unit_test(test_other_errors_continue),
		cmocka_unit_test(test_snapshot_restore),
		cmocka_unit_test(test_server_wins_discard),
		cmocka_unit_test(test_404_policies_discard),
		cmocka_unit_test(test_404_none_and_manual_stay),
		cmocka_unit_test(test_404_after_conflict),
		cmocka_unit_test(test_delete_conflicts),
		cmocka_unit_test(test_policy_precedence_device),
		cmocka_unit_test(test_random_runs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
