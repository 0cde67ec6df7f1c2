/*
** test_qdraw.c: the mock exam draw (quiz/qdraw.h) and the outline table
** (quiz/qol.h).
**
** Twenty 50-question exams with different seeds: every one has each
** domain's share within its published range, no difficulty-3 question,
** its questions spread over the outline's areas and lines, and two exams
** share well under a third of their questions on average.  Over a
** generated bank always, over the shipped bank once it is large enough.
*/
#include "tests/testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/sb.h"
#include "quiz/qdraw.h"
#include "quiz/qol.h"
#include "quiz/qs.h"
#include "quiz/qz.h"

#define T0MS 1772355600000LL	/* 2026-03-01T09:00:00Z */
#define NEXAM 20

static void
test_outline(void **state)
{
	(void)state;
	assert_int_equal(qol_count(), 56);
	assert_int_equal(qol_find("1.1.1"), 0);
	assert_string_equal(qol_at(0)->title, "Define cloud computing");
	int i = qol_find("2.3.4");
	assert_true(i > 0);
	assert_int_equal(qol_at((size_t)i)->domain, QZ_ARCH);
	assert_int_equal(qol_at((size_t)i)->area, 3);
	assert_int_equal(qol_at((size_t)i)->line, 4);
	assert_string_equal(qol_at(qol_count() - 1)->code, "3.4.3");
	assert_int_equal(qol_find("2.3.7"), -1);
	assert_int_equal(qol_find("2.3"), -1);
	assert_int_equal(qol_find(NULL), -1);
	assert_null(qol_at(qol_count()));
	assert_string_equal(qol_area_title(QZ_MGMT, 2), "Governance and compliance");
	assert_null(qol_area_title(QZ_MGMT, 5));
	assert_int_equal(qol_domain_min(QZ_CLOUD), 25);
	assert_int_equal(qol_domain_max(QZ_ARCH), 40);
	assert_int_equal(qol_domain_max(QZ_MGMT), 35);
	assert_int_equal(qol_domain_lines(QZ_CLOUD), 14);
	assert_int_equal(qol_domain_lines(QZ_ARCH), 27);
	assert_int_equal(qol_domain_lines(QZ_MGMT), 15);
	/* codes are in outline order and each one is found again */
	for (size_t k = 0; k < qol_count(); k++)
		assert_int_equal(qol_find(qol_at(k)->code), (int)k);
}

static void
test_quota(void **state)
{
	(void)state;
	size_t ample[3] = { 1000, 1000, 1000 }, q[3];
	qdraw_quota(50, ample, q);
	assert_int_equal(q[0], 14);
	assert_int_equal(q[1], 19);
	assert_int_equal(q[2], 17);
	/* every length where whole seats allow it: each share in range */
	for (size_t n = 23; n <= 200; n++) {
		qdraw_quota(n, ample, q);
		assert_int_equal(q[0] + q[1] + q[2], n);
		for (int d = 0; d < 3; d++) {
			assert_true(100 * q[d] >= n * (size_t)qol_domain_min(d));
			assert_true(100 * q[d] <= n * (size_t)qol_domain_max(d));
		}
	}
	/* a short domain gives its seats away: first up to the top of the
	** others' ranges (20 and 15 of 50), then in turns */
	size_t short_mgmt[3] = { 1000, 1000, 10 };
	qdraw_quota(50, short_mgmt, q);
	assert_int_equal(q[2], 10);
	assert_int_equal(q[1], 23);
	assert_int_equal(q[0], 17);
	/* never more than the bank has */
	size_t tiny[3] = { 2, 3, 1 };
	qdraw_quota(50, tiny, q);
	assert_int_equal(q[0], 2);
	assert_int_equal(q[1], 3);
	assert_int_equal(q[2], 1);
}

/* per outline line: `per` questions of difficulty 2 and one of 3 */
static char *
gen_bank(int per)
{
	static const char *const dn[] = {
		"cloud-concepts", "architecture-services", "management-governance"
	};
	sb t = SB_INIT;
	sb_add(&t, "{\"bank\": \"gen\", \"questions\": [");
	for (size_t i = 0; i < qol_count(); i++) {
		const qol_line *l = qol_at(i);
		for (int k = 0; k <= per; k++)
			sb_addf(&t, "%s{\"id\": \"g%zu-%d\", \"type\": \"single\", "
			    "\"stem\": \"S\", \"options\": [\"a\", \"b\"], \"answer\": 0, "
			    "\"explanation\": \"E\", \"topics\": [\"t\"], \"domain\": "
			    "\"%s\", \"objective\": \"%s\", \"difficulty\": %d}",
			    i || k ? "," : "", i, k, dn[l->domain], l->code,
			    k == per ? 3 : 2);
	}
	sb_add(&t, "]}");
	return sb_take(&t);
}

typedef struct exam_ids {
	const qz_question *q[64];
	size_t n;
} exam_ids;

/* Draws NEXAM exams from b and checks each; returns the mean share of
** questions two exams have in common. */
static double
check_exams(const qz_bank *b, int spread)
{
	static exam_ids ex[NEXAM];
	sb err = SB_INIT;
	for (int e = 0; e < NEXAM; e++) {
		qs_opts o = { QS_EXAM, NULL, -1, 50, (uint64_t)(1000 + 7 * e), 0, 0,
		    T0MS, NULL, 0 };
		qs_session *s = qs_start(b, NULL, &o, &err);
		assert_non_null(s);
		assert_int_equal(s->n, 50);
		size_t dom[3] = { 0 }, line[64] = { 0 }, area[3][8] = { { 0 } };
		ex[e].n = s->n;
		for (size_t i = 0; i < s->n; i++) {
			const qz_question *q = s->items[i].q;
			ex[e].q[i] = q;
			assert_true(q->difficulty <= 2);
			dom[q->domain]++;
			int li = qol_find(q->objective);
			assert_true(li >= 0);
			line[li]++;
			area[q->domain][qol_at((size_t)li)->area]++;
		}
		for (int d = 0; d < 3; d++) {
			if (100 * dom[d] < 50 * (size_t)qol_domain_min(d) ||
			    100 * dom[d] > 50 * (size_t)qol_domain_max(d))
				fail_msg("seed %d: domain %d has %zu of 50", 1000 + 7 * e,
				    d, dom[d]);
		}
		if (spread) {
			/* one per line per turn: no line twice while another
			** line of its domain has none (at most 2 in any line
			** with 14/19/17 seats), areas within one of each other */
			for (size_t li = 0; li < qol_count(); li++)
				assert_true(line[li] <= 2);
			for (int d = 0; d < 3; d++) {
				size_t mn = 99, mx = 0;
				for (int a = 1; a < 8; a++) {
					if (qol_area_title(d, a) == NULL)
						continue;
					mn = area[d][a] < mn ? area[d][a] : mn;
					mx = area[d][a] > mx ? area[d][a] : mx;
				}
				assert_true(mx - mn <= 1);
			}
		}
		qs_free(s);
	}
	sb_free(&err);
	double sum = 0;
	int pairs = 0;
	for (int a = 0; a < NEXAM; a++)
		for (int c = a + 1; c < NEXAM; c++) {
			size_t same = 0;
			for (size_t i = 0; i < ex[a].n; i++)
				for (size_t j = 0; j < ex[c].n; j++)
					same += ex[a].q[i] == ex[c].q[j];
			sum += (double)same / 50.0;
			pairs++;
		}
	return sum / pairs;
}

static void
test_generated_bank(void **state)
{
	qz_bank b;
	sb err = SB_INIT;
	(void)state;
	char *text = gen_bank(8);
	if (qz_bank_load_text(&b, "gen.json", text, &err) != 0)
		fail_msg("%s", sb_str(&err));
	double overlap = check_exams(&b, 1);
	print_message("generated bank (%zu questions): mean overlap %.1f%%\n",
	    b.nq, 100 * overlap);
	assert_true(overlap < 0.30);
	/* the same seed, the same exam */
	qs_opts o = { QS_EXAM, NULL, -1, 50, 42, 0, 0, T0MS, NULL, 0 };
	qs_session *s1 = qs_start(&b, NULL, &o, &err);
	qs_session *s2 = qs_start(&b, NULL, &o, &err);
	for (size_t i = 0; i < 50; i++)
		assert_ptr_equal(s1->items[i].q, s2->items[i].q);
	qs_free(s1);
	qs_free(s2);
	qz_bank_free(&b);
	free(text);
	sb_free(&err);
}

/* The shipped bank, once it has enough exam questions for the figures to
** mean something (300: six exams' worth). */
static void
test_shipped_bank(void **state)
{
	qz_bank b;
	sb err = SB_INIT;
	const char *paths[] = { "data/questions" };
	(void)state;
	if (qz_bank_load(&b, paths, 1, &err) != 0)
		fail_msg("%s", sb_str(&err));
	size_t eligible = 0;
	for (size_t i = 0; i < b.nq; i++)
		eligible += (size_t)qdraw_eligible(b.q[i]);
	if (eligible < 300) {
		qz_bank_free(&b);
		sb_free(&err);
		skip();
	}
	double overlap = check_exams(&b, 0);
	print_message("shipped bank (%zu eligible): mean overlap %.1f%%\n",
	    eligible, 100 * overlap);
	assert_true(overlap < 0.30);
	qz_bank_free(&b);
	sb_free(&err);
}

static int
setup(void **state)
{
	(void)state;
	return tu_to_tree("data/questions");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_outline),
		cmocka_unit_test(test_quota),
		cmocka_unit_test(test_generated_bank),
		cmocka_unit_test(test_shipped_bank),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
