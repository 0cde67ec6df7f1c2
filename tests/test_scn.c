#include "tests/testutil.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/sb.h"
#include "quiz/qz.h"
#include "sim/scn.h"

/* tests/data/scenarios/NAME, found from the working directory or, when
** the binary runs elsewhere, from the binary's place in the tree. */
static const char *
datafile(const char *name)
{
	static char buf[PATH_MAX + 128];
	snprintf(buf, sizeof buf, "tests/data/scenarios/%s", name);
	if (tu_to_tree(buf) == 0)
		return buf;
	fail_msg("cannot find tests/data/scenarios/%s", name);
	return NULL;
}

/* Loads a bad file: it must be rejected as a whole, with exactly nerr
** errors.  Returns the error text (caller frees). */
static char *
load_bad(const char *name, int nerr)
{
	sb errs = SB_INIT;
	int n = -1;
	scn *s = scn_load_file(datafile(name), &errs, &n);
	assert_null(s);
	if (n != nerr)
		fprintf(stderr, "%s", sb_str(&errs));
	assert_int_equal(n, nerr);
	/* One line per error, each FILE:LINE:COL: ... */
	size_t lines = 0;
	for (const char *p = sb_str(&errs); *p; p++)
		if (*p == '\n')
			lines++;
	assert_int_equal(lines, (size_t)nerr);
	return sb_take(&errs);
}

/* The error text has this line, with the file's basename in front. */
static void
has(const char *errs, const char *file, const char *line)
{
	char want[1024];
	snprintf(want, sizeof want, "%s:%s\n", file, line);
	if (strstr(errs, want) == NULL)
		fail_msg("missing \"%s\" in:\n%s", want, errs);
}

static void
test_good(void **state)
{
	(void)state;
	sb errs = SB_INIT;
	int n = -1;
	scn *s = scn_load_file(datafile("good.json"), &errs, &n);
	assert_non_null(s);
	assert_int_equal(n, 0);
	assert_string_equal(sb_str(&errs), "");
	assert_string_equal(s->id, "small-good");
	assert_int_equal(s->order, 5);
	assert_int_equal(s->seed, 7);
	assert_int_equal(s->ntables, 1);
	assert_string_equal(s->tables[0].def.name, "todoitem");
	assert_int_equal(s->tables[0].def.ncols, 2);
	assert_int_equal(s->tables[0].def.cols[1].type, TBL_BOOL);
	assert_true(s->tables[0].def.soft_delete);
	assert_int_equal(s->tables[0].policy.spec.kind, POL_SERVER_WINS);
	assert_int_equal(s->ndevices, 2);
	assert_int_equal(s->devices[0].latency_ms, 40);
	assert_int_equal(s->devices[1].latency_ms, 20);	/* the default */
	assert_string_equal(s->devices[1].user, "Phone-B");
	assert_string_equal(s->devices[1].platform, "android");
	assert_true(s->devices[1].online);
	assert_int_equal(s->nsteps, 4);
	assert_int_equal(s->steps[0].act, SCN_PULL);
	assert_null(s->steps[0].table);
	assert_string_equal(s->steps[0].say, "Tablet-A downloads the list.");
	assert_int_equal(s->steps[1].act, SCN_UPDATE);
	assert_string_equal(s->steps[1].id, "1");
	assert_non_null(s->steps[1].ask);
	assert_string_equal(qz_question_id(s->steps[1].ask), "small-good-q");
	assert_int_equal(s->steps[1].line, 17);
	assert_non_null(s->steps[3].expect);
	/* The default start of the virtual clock. */
	assert_int_equal(s->start_ms, 1772442000000LL);
	assert_int_equal(scn_device_index(s, "Phone-B"), 1);
	assert_int_equal(scn_device_index(s, "Phone-C"), -1);
	assert_non_null(scn_table_find(s, "todoitem"));
	sb sum = SB_INIT;
	scn_step_summary(&s->steps[1], &sum);
	assert_string_equal(sb_str(&sum),
	    "Tablet-A: update todoitem/1 {\"complete\":true}");
	sb_free(&sum);
	assert_int_equal(scn_check_file(datafile("good.json"), &errs), 0);
	scn_free(s);
	sb_free(&errs);
}

static void
test_syntax(void **state)
{
	(void)state;
	char *e = load_bad("bad-syntax.json", 1);
	/* The trailing comma leaves "]" where a value must be. */
	assert_non_null(strstr(e, "bad-syntax.json:6:3: "));
	free(e);
	/* Text in memory: the position of an unclosed object. */
	sb errs = SB_INIT;
	int n = 0;
	assert_null(
	    scn_load_text("mem.json", "{\n  \"id\": \"x\"", 13, &errs, &n));
	assert_int_equal(n, 1);
	assert_non_null(strstr(sb_str(&errs), "mem.json:2:"));
	sb_free(&errs);
}

static void
test_unknown_device(void **state)
{
	(void)state;
	char *e = load_bad("bad-device.json", 1);
	has(e, "bad-device.json", "13:17: steps[3].device: unknown device "
	    "\"Tablet-C\" (devices: Tablet-A, Phone-B)");
	free(e);
}

static void
test_unknown_keys(void **state)
{
	(void)state;
	char *e = load_bad("bad-keys.json", 7);
	has(e, "bad-keys.json",
	    "3:12: titel: unknown key \"titel\" (allowed: "
	    "$schema, id, title, summary, order, objectives, seed, start, "
	    "pageSize, tables, "
	    "devices, rows, steps, goal, hints, solution, push, plan, fleet, "
	    "auth)");
	has(e, "bad-keys.json", "1:1: (top level): missing required \"title\"");
	assert_non_null(strstr(e, "bad-keys.json:6:84: tables[0].softdelete: "
	    "unknown key \"softdelete\""));
	assert_non_null(strstr(e, "bad-keys.json:7:42: devices[0].latency: "
	    "unknown key \"latency\""));
	has(e, "bad-keys.json", "9:31: steps[0].devcie: unknown key \"devcie\" "
	    "(allowed: do, say, ask, expect, repeat, device)");
	has(e, "bad-keys.json", "9:5: steps[0]: missing required \"device\"");
	assert_non_null(strstr(e,
	    "bad-keys.json:10:54: steps[1].expect.statuss: "
	    "unknown key \"statuss\""));
	free(e);
}

static void
test_duplicates(void **state)
{
	(void)state;
	char *e = load_bad("bad-dups.json", 4);
	has(e, "bad-dups.json", "13:36: steps[0].device: duplicate key "
	    "\"device\"");
	has(e, "bad-dups.json", "8:15: tables[1].name: duplicate table "
	    "\"todoitem\"");
	has(e, "bad-dups.json",
	    "10:43: devices[1].name: duplicate device \"A\"");
	has(e, "bad-dups.json",
	    "11:63: rows.todoitem[1].id: duplicate id \"1\" "
	    "in table \"todoitem\"");
	free(e);
}

static void
test_semantics(void **state)
{
	(void)state;
	char *e = load_bad("bad-semantics.json", 26);
	const char *f = "bad-semantics.json";
	has(e, f, "2:9: id: \"Bad Id\" is not a valid id ([a-z0-9-]+)");
	has(e, f, "6:12: start: \"yesterday\" is not an ISO-8601 time such as "
	    "2026-03-02T09:00:00.000Z");
	has(e, f, "5:44: objectives[0].domain: unknown domain \"networking\" "
	    "(cloud-concepts, architecture-services, management-governance)");
	assert_non_null(strstr(e, "bad-semantics.json:8:15: tables[0].name: "
	    "\"__secret\" is not a valid table name"));
	assert_non_null(strstr(e,
	    "bad-semantics.json:8:46: tables[0].columns.id: "
	    "\"id\" is not a valid column name"));
	has(e, f, "8:63: tables[0].columns.qty: a column type is \"string\", "
	    "\"number\", \"bool\" (or \"boolean\") or \"date\" (or "
	    "\"datetime\")");
	assert_non_null(strstr(e, "bad-semantics.json:9:17: tables[0].policy: "
	    "unknown policy \"newest-wins\""));
	has(e, f, "10:28: tables[0].fields.state: missing required \"order\"");
	has(e, f, "10:65: tables[0].fields.ghost: table \"__secret\" has no "
	    "column \"ghost\" (columns: id, qty, when, state)");
	has(e, f,
	    "11:67: tables[0].fields.qty.stamp: the stamp column \"state\" "
	    "must be a date column");
	has(e, f, "13:43: devices[0].platform: unknown platform \"symbian\" "
	    "(android, ios, windows)");
	has(e, f, "13:67: devices[0].latencyMs: must be between 0 and 600000, "
	    "not -5");
	has(e, f, "14:23: rows.nosuch: unknown table \"nosuch\" (tables: "
	    "__secret)");
	assert_non_null(strstr(e, "bad-semantics.json:16:13: steps[0].do: "
	    "unknown action \"jump\""));
	has(e, f, "18:47: steps[2].table: unknown table \"nosuch\" (tables: "
	    "__secret)");
	has(e, f, "19:79: steps[3].keep: keep is \"local\", \"server\" or "
	    "{\"field\": \"local\"|\"server\"}, not \"mine\"");
	has(e, f, "20:5: steps[4]: missing required \"ms\"");
	has(e, f,
	    "22:104: steps[5].expect.converged: must be true or false, not "
	    "a string");
	has(e, f, "22:86: steps[5].expect.queue.Z: unknown device \"Z\" "
	    "(devices: A)");
	has(e, f, "22:43: steps[5].expect.server.nosuch/1: unknown table "
	    "\"nosuch\" (tables: __secret)");
	has(e, f, "22:56: steps[5].expect.server.bad: \"bad\" must name a row "
	    "as \"table/id\"");
	/* The ask goes through the question parser, with its path. */
	has(e, f, "23:43: steps[6].ask: missing required \"stem\"");
	free(e);
}

static void
test_values_and_steps(void **state)
{
	(void)state;
	static const char *base =
	    "{\"id\":\"v\",\"title\":\"T\",\"summary\":\"S\",\"objectives\":[],"
	    "\"tables\":[{\"name\":\"t\",\"columns\":{\"n\":\"number\","
	    "\"b\":\"bool\",\"d\":\"date\"}}],\"devices\":[{\"name\":\"A\"}],"
	    "\"steps\":[%s]}";
	static const struct { const char *step; const char *msg;
	} cases[] = {
		{ "{\"do\":\"insert\",\"device\":\"A\",\"table\":\"t\","
		  "\"row\":{\"n\":\"1\"}}",
		    "steps[0].row.n: column \"n\" is a number "
		    "column" },
		{ "{\"do\":\"insert\",\"device\":\"A\",\"table\":\"t\","
		  "\"row\":{\"d\":\"soon\"}}",
		    "steps[0].row.d: column \"d\" is a date "
		    "column" },
		{ "{\"do\":\"update\",\"device\":\"A\",\"table\":\"t\",\"id\":"
		  "\"1\","
		  "\"set\":{\"id\":\"2\"}}",
		    "steps[0].set.id: table \"t\" has no "
		    "column \"id\"" },
		{ "{\"do\":\"update\",\"device\":\"A\",\"table\":\"t\",\"id\":"
		  "\"1\","
		  "\"set\":{}}",
		    "steps[0].set: name at least one column" },
		{ "{\"do\":\"drop-request\",\"device\":\"A\",\"count\":0}",
		    "steps[0].count: must be between 1 and 1000" },
		{ "{\"do\":\"wait\",\"ms\":10,\"device\":\"A\"}",
		    "steps[0].device: unknown key \"device\"" },
		{ "{\"do\":\"push\",\"device\":\"A\",\"expect\":{\"device\":{"
		  "\"A\":"
		  "{\"t/1\":{\"version\":\"two\"}}}}}",
		    "steps[0].expect.device.A.t/1.version: a version is "
		    "base64" },
		{ "{\"do\":\"push\",\"device\":\"A\",\"expect\":{\"statuses\":["
		  "99]}}",
		    "steps[0].expect.statuses[0]: an HTTP status (100-599)" },
		{ "{\"do\":\"resolve\",\"device\":\"A\",\"table\":\"t\",\"id\":"
		  "\"1\","
		  "\"keep\":{\"x\":\"local\"}}",
		    "steps[0].keep.x: table \"t\" has no "
		    "column \"x\"" },
		{ "\"push\"", "steps[0]: a step is an object" },
		{ "{\"do\":\"pull\",\"device\":\"A\",\"pages\":0}",
		    "steps[0].pages: must be between 1 and 1000" },
		{ "{\"do\":\"push\",\"device\":\"A\",\"repeat\":0}",
		    "steps[0].repeat: must be between 1 and 100000" },
		{ "{\"do\":\"push\",\"device\":\"A\",\"repeat\":2,\"ask\":"
		  "{\"id\":\"q\"}}",
		    "steps[0].repeat: a step that repeats cannot ask" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char text[4096];
		snprintf(text, sizeof text, base, cases[i].step);
		sb errs = SB_INIT;
		int n = 0;
		scn *s = scn_load_text("v.json", text, strlen(text), &errs, &n);
		assert_null(s);
		assert_true(n >= 1);
		if (strstr(sb_str(&errs), cases[i].msg) == NULL)
			fail_msg("case %zu: missing \"%s\" in:\n%s", i,
			    cases[i].msg, sb_str(&errs));
		sb_free(&errs);
	}
}

/* Policies that do not fit their column type, an unknown column that
** is reported once, pageSize and goal.from ranges. */
static void
test_policy_types(void **state)
{
	(void)state;
	static const struct { const char *text; const char *msg; int n;
	} cases[] = {
		{ "{\"id\":\"v\",\"title\":\"T\",\"summary\":\"S\","
		  "\"objectives\":[],\"tables\":[{\"name\":\"t\",\"columns\":"
		  "{\"s\":\"string\",\"n\":\"number\"},\"fields\":{\"s\":"
		  "\"delta\"}}],\"devices\":[{\"name\":\"A\"}],\"steps\":[]}",
		  "v.json:1:127: tables[0].fields.s: delta adds numbers, and "
		  "column \"s\" is a string column", 1 },
		{ "{\"id\":\"v\",\"title\":\"T\",\"summary\":\"S\","
		  "\"objectives\":[],\"tables\":[{\"name\":\"t\",\"columns\":"
		  "{\"s\":\"string\"},\"policy\":\"delta\"}],\"devices\":"
		  "[{\"name\":\"A\"}],\"steps\":[]}",
		  "tables[0].policy: delta adds numbers, and table \"t\" has "
		  "no number column", 1 },
		{ "{\"id\":\"v\",\"title\":\"T\",\"summary\":\"S\","
		  "\"objectives\":[],\"tables\":[{\"name\":\"t\",\"columns\":"
		  "{\"n\":\"number\"},\"fields\":{\"n\":{\"policy\":"
		  "\"precedence\",\"order\":[\"a\",\"b\"]}}}],\"devices\":"
		  "[{\"name\":\"A\"}],\"steps\":[]}",
		  "tables[0].fields.n: precedence ranks string values", 1 },
		{ "{\"id\":\"v\",\"title\":\"T\",\"summary\":\"S\","
		  "\"objectives\":[],\"tables\":[{\"name\":\"t\",\"columns\":"
		  "{\"n\":\"number\"}}],\"devices\":[{\"name\":\"A\"}],"
		  "\"steps\":[{\"do\":\"update\",\"device\":\"A\",\"table\":"
		  "\"t\",\"id\":\"1\",\"set\":{\"x\":1}}]}",
		  "steps[0].set.x: table \"t\" has no column \"x\"", 1 },
		{ "{\"id\":\"v\",\"title\":\"T\",\"summary\":\"S\","
		  "\"objectives\":[],\"pageSize\":1001,\"tables\":[{\"name\":"
		  "\"t\",\"columns\":{\"n\":\"number\"}}],"
		  "\"devices\":[{\"name\":\"A\"}],\"steps\":[]}",
		  "pageSize: must be between 1 and 1000", 1 },
		{ "{\"id\":\"v\",\"title\":\"T\",\"summary\":\"S\","
		  "\"objectives\":[],\"tables\":[{\"name\":\"t\",\"columns\":"
		  "{\"n\":\"number\"}}],\"devices\":[{\"name\":"
		  "\"A\"}],\"steps\":[],\"goal\":{\"text\":\"g\",\"from\":2,"
		  "\"expect\":{\"queue\":{\"A\":0}}}}",
		  "goal.from: the script has 0 steps", 1 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		sb errs = SB_INIT;
		int n = 0;
		scn *s = scn_load_text("v.json", cases[i].text,
		    strlen(cases[i].text), &errs, &n);
		assert_null(s);
		if (strstr(sb_str(&errs), cases[i].msg) == NULL ||
		    n != cases[i].n)
			fail_msg("case %zu: %d errors, want %d with \"%s\":\n%s",
			    i, n, cases[i].n, cases[i].msg, sb_str(&errs));
		sb_free(&errs);
	}
}

static void
test_sandbox_and_steps(void **state)
{
	(void)state;
	assert_null(scn_sandbox(0));
	assert_null(scn_sandbox(17));
	scn *s = scn_sandbox(2);
	assert_non_null(s);
	assert_string_equal(s->devices[1].name, "Device-B");
	assert_string_equal(s->tables[0].def.name, "todoitem");
	assert_true(s->tables[0].def.soft_delete);
	scn_step st, copy;
	sb errs = SB_INIT;
	assert_int_equal(scn_step_parse(s, "{\"do\":\"update\",\"device\":"
	    "\"Device-A\",\"table\":\"todoitem\",\"id\":\"7\",\"set\":{"
	    "\"complete\":true},\"say\":\"hi\"}", &st, &errs), 0);
	assert_int_equal(st.act, SCN_UPDATE);
	assert_int_equal(scn_step_validate(s, &st, &errs), 0);
	scn_step_copy(&copy, &st);
	assert_string_equal(copy.id, "7");
	assert_string_equal(copy.say, "hi");
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(copy.row, "complete")));
	scn_step_free(&st);
	scn_step_free(&copy);
	/* A C-built step with a bad column is refused. */
	memset(&st, 0, sizeof st);
	st.act = SCN_INSERT;
	st.device = "Device-B";
	st.table = "todoitem";
	st.row = cJSON_Parse("{\"colour\":\"red\"}");
	assert_int_equal(scn_step_validate(s, &st, &errs), -1);
	assert_non_null(strstr(sb_str(&errs), "row.colour: table \"todoitem\" "
	    "has no column \"colour\""));
	cJSON_Delete(st.row);
	assert_string_equal(
	    scn_action_name(SCN_DROP_RESPONSE), "drop-response");
	sb_free(&errs);
	scn_free(s);
}

static void
test_missing_file(void **state)
{
	(void)state;
	sb errs = SB_INIT;
	int n = 0;
	assert_null(scn_load_file("/nonexistent/x.json", &errs, &n));
	assert_int_equal(n, 1);
	assert_non_null(
	    strstr(sb_str(&errs), "/nonexistent/x.json: cannot open"));
	sb_free(&errs);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_syntax),
		cmocka_unit_test(test_unknown_device),
		cmocka_unit_test(test_unknown_keys),
		cmocka_unit_test(test_duplicates),
		cmocka_unit_test(test_semantics),
		cmocka_unit_test(test_values_and_steps),
		cmocka_unit_test(test_policy_types),
		cmocka_unit_test(test_sandbox_and_steps),
		cmocka_unit_test(test_missing_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
