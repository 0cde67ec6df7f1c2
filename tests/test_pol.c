#include "tests/testutil.h"

#include <stdlib.h>
#include <string.h>

#include "lib/sb.h"
#include "sim/pol.h"

/* Rows are written as JSON text to keep each case readable. */
static cJSON *
J(const char *text)
{
	cJSON *v = cJSON_Parse(text);
	assert_non_null(v);
	return v;
}

static char *order_status[] = { "assigned", "in-progress", "completed" };

/* A resolution with its inputs, verdict, merged row and sentences. */
typedef struct pcase {
	cJSON		*base, *local, *server, *merged;
	pol_verdict	 v;
	sb		 why;
} pcase;

static void
run(pcase *c, const pol_table *t, const char *base, const char *local,
    const char *server)
{
	memset(c, 0, sizeof *c);
	c->base = base ? J(base) : NULL;
	c->local = local ? J(local) : NULL;
	c->server = server ? J(server) : NULL;
	c->v = pol_resolve(t, c->base, c->local, c->server, &c->merged, &c->why);
	/* Every decision explains itself. */
	assert_true(c->why.len > 0);
	if (c->v == POL_V_PUSH_MERGED)
		assert_non_null(c->merged);
	else
		assert_null(c->merged);
}

static void
done(pcase *c)
{
	cJSON_Delete(c->base);
	cJSON_Delete(c->local);
	cJSON_Delete(c->server);
	cJSON_Delete(c->merged);
	sb_free(&c->why);
}

/* The merged row equals the JSON text (compared as values). */
static void
assert_row(const cJSON *row, const char *text)
{
	cJSON *want = J(text);
	if (!cJSON_Compare(row, want, 1)) {
		char *got = cJSON_PrintUnformatted(row);
		print_error("merged %s, want %s\n", got, text);
		free(got);
		cJSON_Delete(want);
		fail();
	}
	cJSON_Delete(want);
}

static pol_table
table(pol_kind k)
{
	pol_table t;
	memset(&t, 0, sizeof t);
	t.spec.kind = k;
	return t;
}

#define SERVER_ROW(fields) \
	"{\"id\":\"r1\",\"version\":\"Mg==\",\"updatedAt\":" \
	"\"2026-03-02T09:00:01.000Z\"," fields "}"

static void
test_names(void **state)
{
	(void)state;
	for (int k = POL_NONE; k <= POL_MANUAL; k++) {
		pol_kind out;
		assert_int_equal(pol_parse(pol_name((pol_kind)k), &out), 0);
		assert_int_equal(out, k);
	}
	pol_kind out = POL_MERGE;
	assert_int_equal(pol_parse("server_wins", &out), -1);
	assert_int_equal(pol_parse(NULL, &out), -1);
	assert_int_equal(out, POL_MERGE);
	assert_string_equal(pol_name(POL_LAST_WRITER_WINS), "last-writer-wins");
	assert_string_equal(pol_name((pol_kind)99), "unknown");
}

static void
test_for_field_and_copy(void **state)
{
	(void)state;
	pol_field f = { "status", { POL_PRECEDENCE, order_status, 3, NULL,
	    POL_NONE } };
	pol_table t = table(POL_CLIENT_WINS);
	t.fields = &f;
	t.nfields = 1;
	assert_int_equal(pol_for_field(&t, "status")->kind, POL_PRECEDENCE);
	assert_int_equal(pol_for_field(&t, "title")->kind, POL_CLIENT_WINS);
	assert_int_equal(pol_for_field(&t, NULL)->kind, POL_CLIENT_WINS);

	pol_table c;
	pol_table_copy(&c, &t);
	assert_int_equal(c.nfields, 1);
	assert_ptr_not_equal(c.fields, t.fields);
	assert_ptr_not_equal(c.fields[0].spec.order, order_status);
	assert_string_equal(c.fields[0].spec.order[2], "completed");
	assert_string_equal(c.fields[0].field, "status");
	pol_table_free(&c);
	assert_int_equal(c.nfields, 0);
	pol_table_free(NULL);
}

static void
test_none_and_manual(void **state)
{
	(void)state;
	pcase c;
	pol_kind ks[] = { POL_NONE, POL_MANUAL };
	for (int i = 0; i < 2; i++) {
		pol_table t = table(ks[i]);
		run(&c, &t, "{\"id\":\"r1\",\"title\":\"a\"}",
		    "{\"id\":\"r1\",\"title\":\"b\"}",
		    SERVER_ROW("\"title\":\"c\""));
		assert_int_equal(c.v, POL_V_KEEP_QUEUED);
		assert_non_null(strstr(sb_str(&c.why), pol_name(ks[i])));
		done(&c);
	}
}

static void
test_server_wins(void **state)
{
	(void)state;
	pcase c;
	pol_table t = table(POL_SERVER_WINS);
	run(&c, &t, NULL, "{\"id\":\"r1\",\"title\":\"b\"}",
	    SERVER_ROW("\"title\":\"c\""));
	assert_int_equal(c.v, POL_V_TAKE_SERVER);
	done(&c);
	/* Without the server row there is nothing to take. */
	run(&c, &t, NULL, "{\"id\":\"r1\",\"title\":\"b\"}", NULL);
	assert_int_equal(c.v, POL_V_KEEP_QUEUED);
	done(&c);
}

static void
test_client_and_last_writer_wins(void **state)
{
	(void)state;
	pcase c;
	pol_kind ks[] = { POL_CLIENT_WINS, POL_LAST_WRITER_WINS };
	for (int i = 0; i < 2; i++) {
		pol_table t = table(ks[i]);
		run(&c, &t, "{\"id\":\"r1\",\"title\":\"a\",\"qty\":1}",
		    "{\"id\":\"r1\",\"version\":\"MQ==\",\"title\":\"b\","
		    "\"qty\":1,\"deleted\":false}",
		    SERVER_ROW("\"title\":\"c\",\"qty\":5"));
		assert_int_equal(c.v, POL_V_PUSH_MERGED);
		/* User columns and id only: no system properties. */
		assert_row(c.merged, "{\"id\":\"r1\",\"title\":\"b\",\"qty\":1}");
		done(&c);
		/* An insert that met a 409 without a server row still wins. */
		run(&c, &t, NULL, "{\"id\":\"r1\",\"title\":\"b\"}", NULL);
		assert_int_equal(c.v, POL_V_PUSH_MERGED);
		assert_row(c.merged, "{\"id\":\"r1\",\"title\":\"b\"}");
		done(&c);
	}
}

static void
test_newest_edit_wins(void **state)
{
	(void)state;
	pcase c;
	pol_table t = table(POL_NEWEST_EDIT_WINS);
	t.spec.stamp = "editedAt";
	/* The device's stamp is later: its row is pushed. */
	run(&c, &t, NULL,
	    "{\"id\":\"r1\",\"title\":\"b\",\"editedAt\":\"2026-03-02T09:05:00.000Z\"}",
	    SERVER_ROW("\"title\":\"c\",\"editedAt\":\"2026-03-02T09:04:00.000Z\""));
	assert_int_equal(c.v, POL_V_PUSH_MERGED);
	assert_row(c.merged, "{\"id\":\"r1\",\"title\":\"b\","
	    "\"editedAt\":\"2026-03-02T09:05:00.000Z\"}");
	done(&c);
	/* The server's is later (or equal): the server row is taken. */
	run(&c, &t, NULL,
	    "{\"id\":\"r1\",\"title\":\"b\",\"editedAt\":\"2026-03-02T09:04:00.000Z\"}",
	    SERVER_ROW("\"title\":\"c\",\"editedAt\":\"2026-03-02T09:04:00.000+00:00\""));
	assert_int_equal(c.v, POL_V_TAKE_SERVER);
	done(&c);
	/* A device clock an hour fast wins against a newer real edit: the
	** known weakness of trusting device clocks. */
	run(&c, &t, NULL,
	    "{\"id\":\"r1\",\"title\":\"old\",\"editedAt\":\"2026-03-02T10:00:00.000Z\"}",
	    SERVER_ROW("\"title\":\"new\",\"editedAt\":\"2026-03-02T09:30:00.000Z\""));
	assert_int_equal(c.v, POL_V_PUSH_MERGED);
	assert_string_equal(cJSON_GetObjectItem(c.merged, "title")->valuestring,
	    "old");
	done(&c);
	/* A row that was never stamped counts as the oldest edit. */
	run(&c, &t, NULL, "{\"id\":\"r1\",\"title\":\"b\"}",
	    SERVER_ROW("\"title\":\"c\",\"editedAt\":\"2026-03-02T09:04:00.000Z\""));
	assert_int_equal(c.v, POL_V_TAKE_SERVER);
	done(&c);
}

static void
test_precedence(void **state)
{
	(void)state;
	pcase c;
	pol_table t = table(POL_PRECEDENCE);
	t.spec.order = order_status;
	t.spec.norder = 3;
	run(&c, &t, NULL, "{\"id\":\"r1\",\"status\":\"completed\"}",
	    SERVER_ROW("\"status\":\"in-progress\""));
	assert_int_equal(c.v, POL_V_PUSH_MERGED);
	assert_row(c.merged, "{\"id\":\"r1\",\"status\":\"completed\"}");
	assert_non_null(strstr(sb_str(&c.why), "\"completed\" outranks "
	    "\"in-progress\""));
	done(&c);
	run(&c, &t, NULL, "{\"id\":\"r1\",\"status\":\"assigned\"}",
	    SERVER_ROW("\"status\":\"completed\""));
	assert_int_equal(c.v, POL_V_TAKE_SERVER);
	done(&c);
	/* A value not in the list loses to any listed value. */
	run(&c, &t, NULL, "{\"id\":\"r1\",\"status\":\"bogus\"}",
	    SERVER_ROW("\"status\":\"assigned\""));
	assert_int_equal(c.v, POL_V_TAKE_SERVER);
	done(&c);
	run(&c, &t, NULL, "{\"id\":\"r1\",\"status\":\"assigned\"}",
	    SERVER_ROW("\"status\":\"bogus\""));
	assert_int_equal(c.v, POL_V_PUSH_MERGED);
	assert_row(c.merged, "{\"id\":\"r1\",\"status\":\"assigned\"}");
	done(&c);
	/* Two unlisted values: no winner, the server's stays. */
	run(&c, &t, NULL, "{\"id\":\"r1\",\"status\":\"x\"}",
	    SERVER_ROW("\"status\":\"y\""));
	assert_int_equal(c.v, POL_V_TAKE_SERVER);
	done(&c);
}

static void
test_delta(void **state)
{
	(void)state;
	pcase c;
	pol_table t = table(POL_DELTA);
	/* Base 10; the device sold 2, the server's side sold 3: 5 left. */
	run(&c, &t, "{\"id\":\"r1\",\"qty\":10}", "{\"id\":\"r1\",\"qty\":8}",
	    SERVER_ROW("\"qty\":7"));
	assert_int_equal(c.v, POL_V_PUSH_MERGED);
	assert_row(c.merged, "{\"id\":\"r1\",\"qty\":5}");
	assert_non_null(strstr(sb_str(&c.why), "server 7 + (device 8 - base "
	    "10) = 5"));
	done(&c);
	/* The device did not change it: the result is the server's. */
	run(&c, &t, "{\"id\":\"r1\",\"qty\":10}", "{\"id\":\"r1\",\"qty\":10}",
	    SERVER_ROW("\"qty\":7"));
	assert_int_equal(c.v, POL_V_TAKE_SERVER);
	done(&c);
	/* No base: the change cannot be measured; the device's value stays. */
	run(&c, &t, NULL, "{\"id\":\"r1\",\"qty\":8}", SERVER_ROW("\"qty\":7"));
	assert_int_equal(c.v, POL_V_PUSH_MERGED);
	assert_row(c.merged, "{\"id\":\"r1\",\"qty\":8}");
	done(&c);
	/* Strings under delta merge: one-sided changes are kept. */
	run(&c, &t, "{\"id\":\"r1\",\"title\":\"a\",\"qty\":1}",
	    "{\"id\":\"r1\",\"title\":\"b\",\"qty\":1}",
	    SERVER_ROW("\"title\":\"a\",\"qty\":4"));
	assert_int_equal(c.v, POL_V_PUSH_MERGED);
	assert_row(c.merged, "{\"id\":\"r1\",\"title\":\"b\",\"qty\":4}");
	done(&c);
}

static void
test_merge(void **state)
{
	(void)state;
	pcase c;
	pol_table t = table(POL_MERGE);
	t.spec.fallback = POL_SERVER_WINS;
	const char *base = "{\"id\":\"r1\",\"title\":\"a\",\"status\":\"x\","
	    "\"qty\":1}";
	/* One-sided changes on different fields: both survive. */
	run(&c, &t, base, "{\"id\":\"r1\",\"title\":\"b\",\"status\":\"x\","
	    "\"qty\":1}", SERVER_ROW("\"title\":\"a\",\"status\":\"y\","
	    "\"qty\":1"));
	assert_int_equal(c.v, POL_V_PUSH_MERGED);
	assert_row(c.merged, "{\"id\":\"r1\",\"title\":\"b\",\"status\":\"y\","
	    "\"qty\":1}");
	done(&c);
	/* Both changed title: the fallback decides. */
	const char *local = "{\"id\":\"r1\",\"title\":\"b\",\"status\":\"x\","
	    "\"qty\":2}";
	const char *server = SERVER_ROW("\"title\":\"c\",\"status\":\"y\","
	    "\"qty\":1");
	run(&c, &t, base, local, server);
	assert_int_equal(c.v, POL_V_PUSH_MERGED);
	assert_row(c.merged, "{\"id\":\"r1\",\"title\":\"c\",\"status\":\"y\","
	    "\"qty\":2}");
	done(&c);
	t.spec.fallback = POL_CLIENT_WINS;
	run(&c, &t, base, local, server);
	assert_row(c.merged, "{\"id\":\"r1\",\"title\":\"b\",\"status\":\"y\","
	    "\"qty\":2}");
	done(&c);
	t.spec.fallback = POL_MANUAL;
	run(&c, &t, base, local, server);
	assert_int_equal(c.v, POL_V_KEEP_QUEUED);
	done(&c);
	/* Without a base every difference counts as changed on both sides. */
	t.spec.fallback = POL_SERVER_WINS;
	run(&c, &t, NULL, local, server);
	assert_int_equal(c.v, POL_V_TAKE_SERVER);
	assert_non_null(strstr(sb_str(&c.why), "no base copy"));
	done(&c);
}

static void
test_field_overrides(void **state)
{
	(void)state;
	pcase c;
	pol_field f[2] = {
		{ "status", { POL_PRECEDENCE, order_status, 3, NULL, POL_NONE } },
		{ "qty", { POL_DELTA, NULL, 0, NULL, POL_NONE } },
	};
	/* server-wins for the row, but status by precedence and qty by delta. */
	pol_table t = table(POL_SERVER_WINS);
	t.fields = f;
	t.nfields = 2;
	run(&c, &t, "{\"id\":\"r1\",\"title\":\"a\",\"status\":\"assigned\","
	    "\"qty\":10}",
	    "{\"id\":\"r1\",\"title\":\"mine\",\"status\":\"completed\","
	    "\"qty\":9}",
	    SERVER_ROW("\"title\":\"theirs\",\"status\":\"in-progress\","
	    "\"qty\":6"));
	assert_int_equal(c.v, POL_V_PUSH_MERGED);
	assert_row(c.merged, "{\"id\":\"r1\",\"title\":\"theirs\","
	    "\"status\":\"completed\",\"qty\":5}");
	done(&c);

	/* none for the row: a differing field without an override keeps the
	** operation queued; when only overridden fields differ it resolves. */
	t.spec.kind = POL_NONE;
	run(&c, &t, "{\"id\":\"r1\",\"title\":\"a\",\"qty\":10}",
	    "{\"id\":\"r1\",\"title\":\"b\",\"qty\":9}",
	    SERVER_ROW("\"title\":\"c\",\"qty\":6"));
	assert_int_equal(c.v, POL_V_KEEP_QUEUED);
	done(&c);
	run(&c, &t, "{\"id\":\"r1\",\"title\":\"a\",\"qty\":10}",
	    "{\"id\":\"r1\",\"title\":\"a\",\"qty\":9}",
	    SERVER_ROW("\"title\":\"a\",\"qty\":6"));
	assert_int_equal(c.v, POL_V_PUSH_MERGED);
	assert_row(c.merged, "{\"id\":\"r1\",\"title\":\"a\",\"qty\":5}");
	done(&c);

	/* client-wins for the row, manual for one field. */
	pol_field m = { "title", { POL_MANUAL, NULL, 0, NULL, POL_NONE } };
	pol_table t2 = table(POL_CLIENT_WINS);
	t2.fields = &m;
	t2.nfields = 1;
	run(&c, &t2, NULL, "{\"id\":\"r1\",\"title\":\"b\",\"qty\":1}",
	    SERVER_ROW("\"title\":\"b\",\"qty\":3"));
	assert_int_equal(c.v, POL_V_PUSH_MERGED);
	assert_row(c.merged, "{\"id\":\"r1\",\"title\":\"b\",\"qty\":1}");
	done(&c);
	run(&c, &t2, NULL, "{\"id\":\"r1\",\"title\":\"b\",\"qty\":1}",
	    SERVER_ROW("\"title\":\"c\",\"qty\":3"));
	assert_int_equal(c.v, POL_V_KEEP_QUEUED);
	done(&c);

	/* Field policies need the server row. */
	run(&c, &t, NULL, "{\"id\":\"r1\",\"qty\":1}", NULL);
	assert_int_equal(c.v, POL_V_KEEP_QUEUED);
	done(&c);
}

static void
test_deletes(void **state)
{
	(void)state;
	pcase c;
	struct { pol_kind k, fb; pol_verdict v; } cases[] = {
		{ POL_NONE, POL_NONE, POL_V_KEEP_QUEUED },
		{ POL_MANUAL, POL_NONE, POL_V_KEEP_QUEUED },
		{ POL_SERVER_WINS, POL_NONE, POL_V_TAKE_SERVER },
		{ POL_CLIENT_WINS, POL_NONE, POL_V_PUSH_MERGED },
		{ POL_PRECEDENCE, POL_NONE, POL_V_TAKE_SERVER },
		{ POL_DELTA, POL_NONE, POL_V_TAKE_SERVER },
		{ POL_MERGE, POL_CLIENT_WINS, POL_V_PUSH_MERGED },
		{ POL_MERGE, POL_SERVER_WINS, POL_V_TAKE_SERVER },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		pol_table t = table(cases[i].k);
		t.spec.fallback = cases[i].fb;
		run(&c, &t, NULL, NULL, SERVER_ROW("\"title\":\"c\""));
		assert_int_equal(c.v, cases[i].v);
		if (c.v == POL_V_PUSH_MERGED)
			assert_row(c.merged, "{\"id\":\"r1\"}");
		done(&c);
	}
}

static void
test_garbage_never_crashes(void **state)
{
	(void)state;
	pcase c;
	pol_table t = table(POL_MERGE);
	t.spec.fallback = POL_SERVER_WINS;
	/* Arrays and scalars where rows belong. */
	run(&c, &t, "[1,2]", "{\"id\":\"r1\",\"a\":[1]}", "42");
	assert_int_equal(c.v, POL_V_KEEP_QUEUED);
	done(&c);
	pol_table d = table(POL_DELTA);
	run(&c, &d, "{\"qty\":1e308}", "{\"id\":\"r1\",\"qty\":1e308}",
	    SERVER_ROW("\"qty\":1.7e308"));
	assert_int_equal(c.v, POL_V_TAKE_SERVER);
	done(&c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_for_field_and_copy),
		cmocka_unit_test(test_none_and_manual),
		cmocka_unit_test(test_server_wins),
		cmocka_unit_test(test_client_and_last_writer_wins),
		cmocka_unit_test(test_newest_edit_wins),
		cmocka_unit_test(test_precedence),
		cmocka_unit_test(test_delta),
		cmocka_unit_test(test_merge),
		cmocka_unit_test(test_field_overrides),
		cmocka_unit_test(test_deletes),
		cmocka_unit_test(test_garbage_never_crashes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
