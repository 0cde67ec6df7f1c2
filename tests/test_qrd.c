/*
** test_qrd.c: readiness (quiz/qrd.h): the minimum of answers, the
** estimate's direction and interval, recency and repeats, the weakest
** lines first, and the pass over a real store.
*/
#include "tests/testutil.h"

#include <sqlite3.h>

#include <sys/stat.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/sb.h"
#include "lib/xmem.h"
#include "quiz/qdb.h"
#include "quiz/qol.h"
#include "quiz/qrd.h"
#include "quiz/qz.h"

#define NOW 1772355600LL	/* 2026-03-01T09:00:00Z */
#define DAY 86400

static qz_bank bank;

/* per outline line: 4 questions of difficulty 2 */
static int
setup(void **state)
{
	static const char *const dn[] = {
		"cloud-concepts", "architecture-services", "management-governance"
	};
	(void)state;
	sb t = SB_INIT, err = SB_INIT;
	sb_add(&t, "{\"bank\": \"gen\", \"questions\": [");
	for (size_t i = 0; i < qol_count(); i++)
		for (int k = 0; k < 4; k++)
			sb_addf(&t, "%s{\"id\": \"q%zu-%d\", \"type\": \"single\", "
			    "\"stem\": \"S\", \"options\": [\"a\", \"b\"], \"answer\": 0, "
			    "\"explanation\": \"E\", \"topics\": [\"t\"], \"domain\": "
			    "\"%s\", \"objective\": \"%s\"}", i || k ? "," : "", i, k,
			    dn[qol_at(i)->domain], qol_at(i)->code);
	sb_add(&t, "]}");
	int n = qz_bank_load_text(&bank, "gen.json", sb_str(&t), &err);
	if (n)
		fprintf(stderr, "%s", sb_str(&err));
	sb_free(&t);
	sb_free(&err);
	return n ? -1 : 0;
}

static int
teardown(void **state)
{
	(void)state;
	qz_bank_free(&bank);
	return 0;
}

/* Answers the first `per` questions of every `step`-th line of domain d
** (or of every domain when d < 0), right with probability p (every
** 1/p-th, deterministic). */
static void
answer_lines(qrd_report *r, int d, int per, double p, int64_t at)
{
	int k = 0;
	for (size_t i = 0; i < bank.nq; i++) {
		const qz_question *q = bank.q[i];
		int li = qol_find(q->objective);
		if ((d >= 0 && (int)q->domain != d) || atoi(strchr(q->id, '-') + 1) >= per)
			continue;
		(void)li;
		double right = floor((k + 1) * p) - floor(k * p);
		qrd_add(r, q, at, right, 0, NOW);
		k++;
	}
}

static void
test_not_enough(void **state)
{
	qrd_report r;
	(void)state;
	qrd_init(&r);
	qrd_finish(&r);
	assert_false(r.all.enough);
	assert_int_equal(r.all.have, 0);
	assert_int_equal(r.all.need, QRD_MIN_ALL);
	sb out = SB_INIT;
	qrd_format_est(&r.all, &out);
	assert_string_equal(sb_str(&out), "not enough answers yet (0 of 30 questions)");
	qrd_free(&r);

	/* 56 questions, but all in one domain: not enough overall, enough
	** for that domain */
	qrd_init(&r);
	answer_lines(&r, QZ_ARCH, 2, 1.0, NOW);
	qrd_finish(&r);
	assert_int_equal(r.all.have, 54);
	assert_false(r.all.enough);
	assert_true(r.dom[QZ_ARCH].enough);
	assert_false(r.dom[QZ_CLOUD].enough);
	sb_reset(&out);
	qrd_format_est(&r.all, &out);
	assert_string_equal(sb_str(&out), "not enough answers yet (54 questions, "
	    "but every domain needs 8)");
	qrd_free(&r);
	sb_free(&out);
}

static void
test_estimates(void **state)
{
	qrd_report strong, weak, mid;
	(void)state;
	qrd_init(&strong);
	answer_lines(&strong, -1, 1, 0.95, NOW);	/* 56 questions */
	qrd_finish(&strong);
	assert_true(strong.all.enough);
	assert_true(strong.all.p_pass > 0.9);
	assert_true(strong.all.lo <= strong.all.scaled &&
	    strong.all.scaled <= strong.all.hi);

	qrd_init(&weak);
	answer_lines(&weak, -1, 1, 0.4, NOW);
	qrd_finish(&weak);
	assert_true(weak.all.enough);
	assert_true(weak.all.p_pass < 0.05);

	/* near the cut the chance is near a half, the interval wide */
	qrd_init(&mid);
	answer_lines(&mid, -1, 2, 0.7, NOW);
	qrd_finish(&mid);
	assert_true(mid.all.p_pass > 0.3 && mid.all.p_pass < 0.7);
	assert_true(mid.all.hi - mid.all.lo > 100);
	/* more answers, a narrower interval */
	assert_true(mid.all.hi - mid.all.lo < weak.all.hi - weak.all.lo + 60);

	/* deterministic: the same answers give the same figures */
	qrd_report again;
	qrd_init(&again);
	answer_lines(&again, -1, 2, 0.7, NOW);
	qrd_finish(&again);
	assert_true(again.all.p_pass == mid.all.p_pass);
	assert_int_equal(again.all.lo, mid.all.lo);
	sb a = SB_INIT, b = SB_INIT;
	qrd_format_text(&mid, &a);
	qrd_format_text(&again, &b);
	assert_string_equal(sb_str(&a), sb_str(&b));
	assert_non_null(strstr(sb_str(&a), "chance of 700 or more; expected "));
	sb_free(&a);
	sb_free(&b);
	qrd_free(&again);
	qrd_free(&strong);
	qrd_free(&weak);
	qrd_free(&mid);
}

static void
test_weights(void **state)
{
	qrd_report r;
	(void)state;
	/* line 0: wrong 60 days ago, right today: the recent answer wins */
	qrd_init(&r);
	qrd_add(&r, bank.q[0], NOW - 60 * DAY, 0.0, 0, NOW);
	qrd_add(&r, bank.q[1], NOW, 1.0, 0, NOW);
	/* line 1: right today, wrong 60 days ago: the same answers */
	qrd_add(&r, bank.q[4], NOW, 0.0, 0, NOW);
	qrd_add(&r, bank.q[5], NOW - 60 * DAY, 1.0, 0, NOW);
	qrd_finish(&r);
	assert_true(r.line[0].mean > r.line[1].mean);
	/* the weakest line first */
	assert_int_equal(r.nweak, 2);
	assert_int_equal(r.weakest[0], 1);
	assert_int_equal(r.line[0].questions, 2);
	qrd_free(&r);

	/* a repeat of a question weighs less than a new one */
	qrd_init(&r);
	qrd_add(&r, bank.q[0], NOW, 0.0, 0, NOW);
	qrd_add(&r, bank.q[0], NOW, 1.0, 1, NOW);
	qrd_add(&r, bank.q[4], NOW, 0.0, 0, NOW);
	qrd_add(&r, bank.q[5], NOW, 1.0, 0, NOW);
	qrd_finish(&r);
	assert_true(r.line[0].mean < r.line[1].mean);
	assert_int_equal(r.line[0].questions, 1);
	assert_int_equal(r.line[0].n, 2);
	/* a score out of range is not counted */
	qrd_add(&r, bank.q[0], NOW, 1.5, 0, NOW);
	qrd_add(&r, bank.q[0], NOW, NAN, 0, NOW);
	assert_int_equal(r.skipped, 2);
	qrd_free(&r);
}

/* A progress store that cannot take answers is refused when it is opened,
** before the first question, with what is wrong. */
static void
test_store_unusable(void **state)
{
	(void)state;
	char dir[] = "/tmp/qrdXXXXXX";
	assert_non_null(mkdtemp(dir));
	sb err = SB_INIT;
	/* a folder where the file should be */
	char *path = xasprintf("%s/progress.db", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	assert_null(qdb_open(path, &err));
	assert_non_null(strstr(sb_str(&err), "progress.db: is a folder, not a "
	    "progress store"));
	rmdir(path);
	/* a store SQLite opens read-only: its header's write version is 3
	** (the same refusal as a file without write permission, which root
	** cannot be refused) */
	sqlite3 *h = NULL;
	assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
	assert_int_equal(sqlite3_exec(h, "CREATE TABLE x (a)", NULL, NULL, NULL),
	    SQLITE_OK);
	sqlite3_close(h);
	FILE *f = fopen(path, "r+b");
	assert_non_null(f);
	assert_int_equal(fseek(f, 18, SEEK_SET), 0);
	assert_int_equal(fputc(3, f), 3);
	fclose(f);
	sb_reset(&err);
	assert_null(qdb_open(path, &err));
	assert_non_null(strstr(sb_str(&err), "progress.db: the progress store "
	    "cannot be written"));
	unlink(path);
	rmdir(dir);
	free(path);
	sb_free(&err);
}

static void
test_store(void **state)
{
	(void)state;
	char dir[] = "/tmp/qrdXXXXXX";
	assert_non_null(mkdtemp(dir));
	char *path = xasprintf("%s/p.db", dir);
	sb err = SB_INIT;
	qdb *db = qdb_open(path, &err);
	assert_non_null(db);
	for (size_t i = 0; i < bank.nq; i += 4) {
		qdb_attempt a = { bank.q[i]->id, NOW - DAY, 1, 1.0, 1000, "practice",
		    "a", "cloud-concepts", "t" };
		assert_int_equal(qdb_record(db, &a, NULL, &err), 0);
	}
	/* an answer to a question the bank does not have */
	qdb_attempt x = { "gone-001", NOW, 1, 1.0, 1000, "scenario:s", NULL,
	    NULL, NULL };
	assert_int_equal(qdb_record(db, &x, NULL, &err), 0);
	qrd_report r;
	assert_int_equal(qrd_load(db, &bank, NOW, &r, &err), 0);
	assert_int_equal(r.counted, 56);
	assert_int_equal(r.skipped, 1);
	assert_true(r.all.enough);
	assert_true(r.all.p_pass > 0.9);
	sb out = SB_INIT;
	qrd_format_json(&r, &out);
	assert_non_null(strstr(sb_str(&out), "\"readiness\":{\"overall\":{\"enough\":true"));
	assert_non_null(strstr(sb_str(&out), "\"unpractised\":0"));
	sb_reset(&out);
	qrd_format_csv(&r, &out);
	assert_non_null(strstr(sb_str(&out), "ready,all,56,,"));
	sb_free(&out);
	qrd_free(&r);
	qdb_close(db);
	sb_free(&err);
	char *cmd = xasprintf("rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_not_enough),
		cmocka_unit_test(test_estimates),
		cmocka_unit_test(test_weights),
		cmocka_unit_test(test_store),
		cmocka_unit_test(test_store_unusable),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
