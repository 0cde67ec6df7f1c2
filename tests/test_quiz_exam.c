/*
** test_quiz_exam.c: sessions (exam scoring and breakdowns, the exam draw,
** practice and review storage) and the progress store.
*/
#include "tests/testutil.h"
#include "quiz/qs.h"
#include "quiz/qst.h"
#include "quiz/qpl.h"
#include "lib/xmem.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define T0MS	1767225600000LL	/* 2026-01-01 00:00:00 UTC */

static qz_bank bank;
static char tmpdir[64];

static int
setup(void **state)
{
	(void)state;
	(void)tu_to_tree("tests/data/questions/basic.json");
	sb err = SB_INIT;
	const char *paths[1] = { "tests/data/questions/basic.json" };
	int n = qz_bank_load(&bank, paths, 1, &err);
	if (n)
		fprintf(stderr, "%s", sb_str(&err));
	sb_free(&err);
	snprintf(tmpdir, sizeof tmpdir, "/tmp/qsexamXXXXXX");
	if (mkdtemp(tmpdir) == NULL)
		return -1;
	return n;
}

static int
teardown(void **state)
{
	(void)state;
	qz_bank_free(&bank);
	char *cmd = xasprintf("rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", tmpdir);
	free(cmd);
	return 0;
}

static size_t
find_item(qs_session *s, const char *id)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->items[i].q->id, id) == 0)
			return i;
	fail_msg("%s not in the session", id);
	return 0;
}

/* Answers item id with text typed in file order. */
static void
answer(qs_session *s, const char *id, const char *text, int64_t now)
{
	qz_resp r;
	sb why = SB_INIT, err = SB_INIT;
	qs_goto(s, find_item(s, id), now);
	assert_int_equal(qz_parse_answer(qs_cur(s)->q, NULL, text, &r, &why), 0);
	assert_int_equal(qs_answer(s, &r, now, &err), 0);
	sb_free(&why);
	sb_free(&err);
}

static void
test_exam_scoring(void **state)
{
	(void)state;
	qs_opts o = { QS_EXAM, NULL, -1, 0, 5, 0, 0, T0MS, NULL, 0 };
	sb err = SB_INIT;
	qs_session *s = qs_start(&bank, NULL, &o, &err);
	assert_non_null(s);
	assert_int_equal(s->n, 9);	/* the whole bank: fewer than 50 */
	assert_int_equal(s->minutes, 45);
	assert_int_equal(qs_time_left(s, T0MS), 45 * 60000);
	/* the case-study question comes last (its own section) */
	assert_string_equal(s->items[8].q->id, "t-case");

	/* Weights: per-part items count their parts (multiple 2, yesno 3,
	** matching 3, dropdown 2); the rest 1.  Total 15. */
	answer(s, "t-single", "b", T0MS);
	answer(s, "t-multiple", "a b", T0MS);	/* 1 of 2 */
	answer(s, "t-yesno", "y y y", T0MS);	/* 2 of 3 */
	answer(s, "t-matching", "1a 2b 3c", T0MS);
	answer(s, "t-ordering", "b a c", T0MS);
	answer(s, "t-dropdown", "b c", T0MS);	/* first a wrong answer ... */
	answer(s, "t-dropdown", "a a", T0MS);	/* ... then changed */
	answer(s, "t-case", "a", T0MS);
	answer(s, "t-aon", "n y", T0MS);
	/* t-cost is left unanswered; flag it. */
	qs_goto(s, find_item(s, "t-cost"), T0MS);
	assert_int_equal(qs_flag(s, 1, &err), 0);
	/* nothing graded before submit */
	assert_false(s->items[find_item(s, "t-single")].graded);
	assert_int_equal(qs_submit(s, T0MS + 60000, &err), 0);
	assert_int_equal(qs_submit(s, T0MS + 60000, &err), -1);

	qs_result r;
	qs_result_get(s, &r);
	assert_int_equal(r.all.weight, 15);
	assert_true(fabs(r.all.earned - 12.0) < 1e-9);
	assert_true(fabs(r.fraction - 0.8) < 1e-9);
	assert_int_equal(r.scaled, 800);	/* 1 + round(999 x 0.8 = 799.2) */
	assert_true(r.passed);
	assert_int_equal(r.answered, 8);
	assert_int_equal(r.unanswered, 1);
	assert_int_equal(r.flagged, 1);
	/* per domain */
	assert_true(fabs(r.dom[QZ_CLOUD].earned - 5.0) < 1e-9);
	assert_int_equal(r.dom[QZ_CLOUD].weight, 6);
	assert_true(fabs(r.dom[QZ_ARCH].earned - 4.0) < 1e-9);
	assert_int_equal(r.dom[QZ_ARCH].weight, 5);
	assert_true(fabs(r.dom[QZ_MGMT].earned - 3.0) < 1e-9);
	assert_int_equal(r.dom[QZ_MGMT].weight, 4);
	assert_int_equal(r.dom[QZ_MGMT].right, 2);
	/* per topic, weakest first */
	assert_string_equal(r.topics[0].name, "cost-management");
	assert_true(r.topics[0].t.earned == 0.0);
	assert_string_equal(r.topics[1].name, "benefits");	/* 50% */
	assert_string_equal(r.topics[2].name, "pricing");	/* 1 of 2: 50%, after "benefits" */
	assert_string_equal(r.topics[r.ntopics - 1].name, "service-types");

	sb out = SB_INIT;
	qs_format_result(s, &r, &out);
	assert_non_null(strstr(sb_str(&out), "Score: 800 of 1000 (PASS; 700 is needed to pass).\n"));
	assert_non_null(strstr(sb_str(&out), "mapped as 1 + round(999 x 0.8000) = 800"));
	assert_non_null(strstr(sb_str(&out), "Microsoft does not publish"));
	sb_reset(&out);
	qs_format_answers(s, &out);
	assert_non_null(strstr(sb_str(&out), "Your answer: (none)\n"));
	sb_free(&out);
	qs_result_free(&r);
	sb_free(&err);
	qs_free(s);
}

static void
test_scale(void **state)
{
	(void)state;
	assert_int_equal(qs_scale(0.0), 1);
	assert_int_equal(qs_scale(1.0), 1000);
	assert_int_equal(qs_scale(0.7), 700);	/* 1 + round(699.3) */
	assert_int_equal(qs_scale(0.6997), 700);
	assert_int_equal(qs_scale(0.699), 699);
}

/* A generated bank: per[d] questions in domain d. */
static char *
gen_bank(const int per[3])
{
	static const char *const dn[] = {
		"cloud-concepts", "architecture-services", "management-governance"
	};
	sb t = SB_INIT;
	sb_add(&t, "{\"bank\": \"gen\", \"questions\": [");
	int k = 0;
	for (int d = 0; d < 3; d++)
		for (int i = 0; i < per[d]; i++)
		{
			sb_addf(&t, "%s{\"id\": \"g%d\", \"type\": \"single\", \"stem\": \"S\","
			    " \"options\": [\"a\", \"b\"], \"answer\": 0, \"explanation\": \"E\","
			    " \"topics\": [\"t\"], \"domain\": \"%s\", \"objective\": \"%d.1.1\"}",
			    k ? "," : "", k, dn[d], d + 1);
			k++;
		}
	sb_add(&t, "]}");
	return sb_take(&t);
}

static void
count_domains(const int per[3], size_t want, size_t got[3])
{
	qz_bank b;
	sb err = SB_INIT;
	char *text = gen_bank(per);
	assert_int_equal(qz_bank_load_text(&b, "gen.json", text, &err), 0);
	qs_opts o = { QS_EXAM, NULL, -1, want, 11, 0, 0, T0MS, NULL, 0 };
	qs_session *s = qs_start(&b, NULL, &o, &err);
	assert_non_null(s);
	got[0] = got[1] = got[2] = 0;
	for (size_t i = 0; i < s->n; i++) {
		got[s->items[i].q->domain]++;
		/* interleaved: no two neighbours from one domain while all
		** three have questions left */
		if (i > 0 && i < 3 * 14)
			assert_int_not_equal(s->items[i].q->domain, s->items[i - 1].q->domain);
	}
	qs_free(s);
	qz_bank_free(&b);
	free(text);
	sb_free(&err);
}

static void
test_exam_draw(void **state)
{
	(void)state;
	size_t got[3];
	/* 50 by the outline's midpoints (27.5 : 37.5 : 32.5): 14, 19, 17. */
	const int many[3] = { 100, 100, 100 };
	count_domains(many, 50, got);
	assert_int_equal(got[0], 14);
	assert_int_equal(got[1], 19);
	assert_int_equal(got[2], 17);
	/* A bank short of cloud questions: its 9 spare seats go to the
	** others, architecture first. */
	const int short_cloud[3] = { 5, 100, 100 };
	count_domains(short_cloud, 50, got);
	assert_int_equal(got[0], 5);
	assert_int_equal(got[1], 24);
	assert_int_equal(got[2], 21);
}

static void
test_store_practice_review(void **state)
{
	(void)state;
	char *path = xasprintf("%s/sub/dir/progress.db", tmpdir);
	sb err = SB_INIT;
	qdb *db = qdb_open(path, &err);
	assert_non_null(db);
	/* schema version */
	sqlite3_stmt *st;
	sqlite3_prepare_v2(qdb_handle(db), "PRAGMA user_version", -1, &st, NULL);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), QDB_VERSION);
	sqlite3_finalize(st);

	/* practice: one attempt per answer, a card for each question met */
	qs_opts o = { QS_PRACTICE, "pricing", -1, 0, 3, 0, 0, T0MS, NULL, 0 };
	qs_session *s = qs_start(&bank, db, &o, &err);
	assert_non_null(s);
	assert_int_equal(s->n, 2);	/* t-single and t-cost */
	answer(s, "t-single", "b", T0MS + 5000);
	answer(s, "t-cost", "b", T0MS + 9000);
	qm_card c;
	assert_int_equal(qdb_card_get(db, "t-single", &c), 1);
	assert_int_equal(c.state, QM_LEARNING);	/* Good: step 2, 10m */
	assert_int_equal(c.due, T0MS / 1000 + 5 + 600);
	assert_int_equal(qdb_card_get(db, "t-cost", &c), 1);
	assert_int_equal(c.due, T0MS / 1000 + 9 + 60);	/* Again: 1m */
	qs_session *retry = qs_retry_missed(s, T0MS);
	assert_non_null(retry);
	assert_int_equal(retry->n, 1);
	assert_string_equal(retry->items[0].q->id, "t-cost");
	qs_free(retry);
	qs_free(s);

	/* review an hour later: both due, t-cost first (earlier due) */
	o.kind = QS_REVIEW;
	o.topic = NULL;
	o.now_ms = T0MS + 3600 * 1000;
	s = qs_start(&bank, db, &o, &err);
	assert_non_null(s);
	assert_int_equal(s->n, 2);
	assert_string_equal(s->items[0].q->id, "t-cost");
	answer(s, "t-cost", "a", o.now_ms);
	assert_true(s->items[0].pending);
	int leech = -1;
	assert_int_equal(qs_rate(s, QM_EASY, o.now_ms, &leech, &err), 0);
	assert_int_equal(leech, 0);
	assert_int_equal(qdb_card_get(db, "t-cost", &c), 1);
	assert_int_equal(c.state, QM_REVIEW);
	assert_int_equal(c.ivl, 4);
	answer(s, "t-single", "a", o.now_ms);	/* wrong: Again at once */
	assert_false(s->items[1].pending);
	assert_int_equal(qdb_card_get(db, "t-single", &c), 1);
	assert_int_equal(c.step, 0);
	assert_int_equal(c.due, o.now_ms / 1000 + 60);
	qs_free(s);

	/* a scenario answer */
	assert_int_equal(qdb_record_scenario(db, "t-yesno", 1, 1.0, 1200, "first-sync",
	    T0MS / 1000 + 7200, &err), 0);
	assert_int_equal(qdb_card_get(db, "t-yesno", &c), 1);

	/* stats over what was stored */
	qst_stats stt;
	assert_int_equal(qst_load(db, T0MS / 1000 + 7200, &stt, &err), 0);
	assert_int_equal(stt.all.n, 5);
	assert_int_equal(stt.all.right, 3);
	assert_int_equal(stt.cards, 3);
	assert_int_equal(stt.days[QST_DAYS - 1].n, 5);
	assert_int_equal(stt.forecast[0], 2);	/* t-single, t-yesno: today */
	assert_int_equal(stt.forecast[4], 1);	/* t-cost: 4 days */
	/* the scenario attempt has no domain; t-single (pricing) 1 of 2 */
	assert_string_equal(stt.topics[0].name, "cost-management");
	sb out = SB_INIT;
	qst_format_csv(&stt, &out);
	assert_non_null(strstr(sb_str(&out), "kind,name,attempts,right,percent,value\ntotal,all,5,3,60,\n"));
	sb_reset(&out);
	qst_format_text(&stt, 0, &out);
	assert_non_null(strstr(sb_str(&out), "Attempts: 5, fully right: 3, score 60%."));
	sb_free(&out);
	qst_free(&stt);

	/* reopening keeps everything; the version is not migrated twice */
	qdb_close(db);
	db = qdb_open(path, &err);
	assert_non_null(db);
	char **ids;
	size_t n = qdb_due(db, T0MS / 1000 + 5 * 86400, &ids);
	assert_int_equal(n, 3);
	assert_int_equal(qdb_due_count(db, T0MS / 1000 + 5 * 86400), 3);
	assert_int_equal(qdb_due_count(db, T0MS / 1000), 0);
	for (size_t i = 0; i < n; i++)
		free(ids[i]);
	free(ids);
	qdb_close(db);
	free(path);
	sb_free(&err);
}

static void
test_store_newer_version(void **state)
{
	(void)state;
	char *path = xasprintf("%s/new.db", tmpdir);
	sqlite3 *h;
	assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
	sqlite3_exec(h, "PRAGMA user_version = 99", NULL, NULL, NULL);
	sqlite3_close(h);
	sb err = SB_INIT;
	assert_null(qdb_open(path, &err));
	assert_non_null(strstr(sb_str(&err), "made by a newer synclab (schema version 99"));
	sb_free(&err);
	free(path);
}

static void
test_exam_store(void **state)
{
	(void)state;
	char *path = xasprintf("%s/exam.db", tmpdir);
	sb err = SB_INIT;
	qdb *db = qdb_open(path, &err);
	assert_non_null(db);
	qs_opts o = { QS_EXAM, NULL, -1, 4, 9, 1, 0, T0MS, NULL, 0 };
	qs_session *s = qs_start(&bank, db, &o, &err);
	assert_non_null(s);
	assert_int_equal(s->n, 4);
	assert_true(s->exam_id > 0);
	assert_string_equal(s->source, "exam:1");
	assert_int_equal(qs_time_left(s, T0MS + 61000), -1000);
	qz_resp r;
	qz_right_resp(s->items[0].q, &r);
	qs_goto(s, 0, T0MS);
	assert_int_equal(qs_answer(s, &r, T0MS, &err), 0);
	assert_int_equal(qs_submit(s, T0MS + 61000, &err), 0);
	qst_stats st;
	assert_int_equal(qst_load(db, T0MS / 1000, &st, &err), 0);
	assert_int_equal(st.nexams, 1);
	assert_int_equal(st.all.n, 1);
	assert_false(st.exams[0].passed);
	qst_free(&st);
	qs_free(s);
	qdb_close(db);
	free(path);
	sb_free(&err);
}

/* A clock that moves 20 seconds each time it is read. */
static int64_t fake_ms;
static int64_t
fake_clock(void)
{
	fake_ms += 20000;
	return fake_ms;
}

static void
test_exam_time_up(void **state)
{
	(void)state;
	/* One minute; the clock is read a few times per line, so time runs
	** out after a couple of lines and the exam is submitted by itself. */
	const char *input = "next\nnext\nnext\nnext\nnext\nnext\n";
	FILE *in = fmemopen((void *)input, strlen(input), "r");
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	fake_ms = T0MS;
	qs_opts o = { QS_EXAM, NULL, -1, 4, 9, 1, 0, T0MS, NULL, 0 };
	sb err = SB_INIT;
	qs_session *s = qs_start(&bank, NULL, &o, &err);
	assert_non_null(s);
	qpl_io io = { in, out, fake_clock, 1 };
	assert_int_equal(qpl_exam(s, &io), 0);
	fclose(out);
	fclose(in);
	assert_true(s->submitted);
	assert_non_null(strstr(buf, "Time is up: the exam was submitted.\n"));
	assert_non_null(strstr(buf, "Score: 1 of 1000 (FAIL"));
	free(buf);
	qs_free(s);
	sb_free(&err);
}

static void
test_parse_time(void **state)
{
	(void)state;
	int64_t t;
	assert_int_equal(qpl_parse_time("2026-01-01T00:00:00Z", &t), 0);
	assert_int_equal(t, T0MS / 1000);
	assert_int_equal(qpl_parse_time("2026-01-01", &t), 0);
	assert_int_equal(t, T0MS / 1000);
	assert_int_equal(qpl_parse_time("2026-01-01T10:30", &t), 0);
	assert_int_equal(t, T0MS / 1000 + 37800);
	assert_int_equal(qpl_parse_time("2026-13-01", &t), -1);
	assert_int_equal(qpl_parse_time("tomorrow", &t), -1);
	assert_int_equal(qpl_parse_time("2026-01-01T10:30:00+02", &t), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exam_scoring),
		cmocka_unit_test(test_scale),
		cmocka_unit_test(test_exam_draw),
		cmocka_unit_test(test_store_practice_review),
		cmocka_unit_test(test_store_newer_version),
		cmocka_unit_test(test_exam_store),
		cmocka_unit_test(test_exam_time_up),
		cmocka_unit_test(test_parse_time),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
