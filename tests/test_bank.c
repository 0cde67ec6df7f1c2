/*
** test_bank.c: the shipped question bank (data/questions) as a whole.
**
** Every question loads, every stored answer is consistent (it grades as
** right, and survives the plain answer syntax both in file order and in
** a shuffled view), ids are unique, the bank has what the exam needs, and
** every topic of the coverage table in docs/question-bank.md has
** questions (and every topic used is in the table).
*/
#include "tests/testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "quiz/qcov.h"
#include "quiz/qz.h"
#include "lib/rng.h"

static qz_bank bank;

static int
setup(void **state)
{
	(void)state;
	const char *paths[] = { "data/questions" };
	sb errs = SB_INIT;
	int n = qz_bank_load(&bank, paths, 1, &errs);
	if (n)
		fprintf(stderr, "%s", sb_str(&errs));
	sb_free(&errs);
	return n ? -1 : 0;
}

static int
teardown(void **state)
{
	(void)state;
	qz_bank_free(&bank);
	return 0;
}

static void
test_counts(void **state)
{
	size_t bytype[6] = { 0 }, bydomain[QZ_NDOMAIN] = { 0 };
	(void)state;
	assert_true(bank.nq >= 120);
	for (size_t i = 0; i < bank.nq; i++) {
		bytype[bank.q[i]->type]++;
		bydomain[bank.q[i]->domain]++;
	}
	for (int t = QZ_MULTIPLE; t <= QZ_DROPDOWN; t++)
		assert_true(bytype[t] >= 10);
	for (int d = 0; d < QZ_NDOMAIN; d++)
		assert_true(bydomain[d] >= 1);
	/* Three case studies at least, each with questions. */
	assert_true(bank.ncs >= 3);
	for (size_t c = 0; c < bank.ncs; c++) {
		size_t n = 0;
		for (size_t i = 0; i < bank.nq; i++)
			n += bank.q[i]->cs == bank.cs[c];
		assert_true(n >= 3);
	}
}

/* The stored answer grades as right; through the plain syntax it comes
** back unchanged, in file order and under a shuffled view. */
static void
test_answers(void **state)
{
	rng r;
	(void)state;
	rng_seed(&r, 7);
	for (size_t i = 0; i < bank.nq; i++) {
		const qz_question *q = bank.q[i];
		qz_resp right, back;
		qz_grade g;
		qz_right_resp(q, &right);
		qz_grade_resp(q, &right, &g);
		if (!g.correct)
			fail_msg("%s: its own answer does not grade as right", q->id);
		for (int shuffled = 0; shuffled < 2; shuffled++) {
			qz_view v;
			if (shuffled)
				qz_view_shuffle(q, &r, &v);
			else
				qz_view_identity(&v);
			sb text = SB_INIT, why = SB_INIT;
			qz_format_resp(q, &v, &right, &text);
			if (qz_parse_answer(q, &v, sb_str(&text), &back, &why) != 0)
				fail_msg("%s: \"%s\" does not parse: %s", q->id,
				    sb_str(&text), sb_str(&why));
			qz_grade_resp(q, &back, &g);
			if (!g.correct)
				fail_msg("%s: \"%s\" grades wrong", q->id, sb_str(&text));
			sb_free(&text);
			sb_free(&why);
		}
		/* A wrong single answer is wrong (every option but one). */
		if (q->type == QZ_SINGLE) {
			qz_resp w = right;
			w.v[0] = (right.v[0] + 1) % (int)q->list.n;
			qz_grade_resp(q, &w, &g);
			assert_false(g.correct);
		}
	}
}

static int
bank_has_topic(const char *topic)
{
	for (size_t i = 0; i < bank.nq; i++)
		for (size_t t = 0; t < bank.q[i]->topics.n; t++)
			if (strcmp(bank.q[i]->topics.s[t], topic) == 0)
				return 1;
	return 0;
}

/* The coverage table: rows "| `topic` | ..." in docs/question-bank.md. */
static void
test_coverage_table(void **state)
{
	char line[1024];
	char *listed[256];
	size_t nlisted = 0;
	(void)state;
	FILE *f = fopen("docs/question-bank.md", "r");
	assert_non_null(f);
	while (fgets(line, sizeof line, f)) {
		if (strncmp(line, "| `", 3) != 0)
			continue;
		char *end = strchr(line + 3, '`');
		assert_non_null(end);
		*end = '\0';
		if (!bank_has_topic(line + 3))
			fail_msg("docs/question-bank.md lists topic \"%s\", "
			    "which no question has", line + 3);
		assert_true(nlisted < 256);
		listed[nlisted++] = strdup(line + 3);
	}
	fclose(f);
	assert_true(nlisted >= 10);
	for (size_t i = 0; i < bank.nq; i++)
		for (size_t t = 0; t < bank.q[i]->topics.n; t++) {
			int found = 0;
			for (size_t k = 0; k < nlisted && !found; k++)
				found = strcmp(listed[k], bank.q[i]->topics.s[t]) == 0;
			if (!found)
				fail_msg("%s: topic \"%s\" is missing from the "
				    "coverage table", bank.q[i]->id,
				    bank.q[i]->topics.s[t]);
		}
	for (size_t k = 0; k < nlisted; k++)
		free(listed[k]);
}

/* The coverage table by outline line in docs/question-bank.md is the
** one the bank gives (tools/bank-coverage.sh writes it). */
static void
test_coverage_by_line(void **state)
{
	char line[2048];
	sb doc = SB_INIT, want = SB_INIT;
	int in = 0, seen = 0;
	(void)state;
	FILE *f = fopen("docs/question-bank.md", "r");
	assert_non_null(f);
	while (fgets(line, sizeof line, f)) {
		if (strncmp(line, "<!-- coverage-by-line:begin", 27) == 0) {
			in = 1;
			seen = 1;
			continue;
		}
		if (strncmp(line, "<!-- coverage-by-line:end", 25) == 0)
			in = 0;
		if (in)
			sb_add(&doc, line);
	}
	fclose(f);
	assert_true(seen);
	qcov_format(&bank, &want);
	if (strcmp(sb_str(&doc), sb_str(&want)) != 0)
		fail_msg("docs/question-bank.md: the coverage table by outline "
		    "line is not the bank's: run sh tools/bank-coverage.sh");
	sb_free(&doc);
	sb_free(&want);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counts),
		cmocka_unit_test(test_answers),
		cmocka_unit_test(test_coverage_table),
		cmocka_unit_test(test_coverage_by_line),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
