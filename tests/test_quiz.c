/*
** test_quiz.c: question parsing, the answer syntax, grading of every type
** in both scoring modes, shuffled views, and the loader's errors.
*/
#include "tests/testutil.h"
#include "quiz/qz.h"
#include "lib/xmem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static qz_bank bank;

static int
setup(void **state)
{
	(void)state;
	(void)tu_to_tree("tests/data/questions/basic.json");
	sb err = SB_INIT;
	const char *paths[1] = { "tests/data/questions" };
	int n = qz_bank_load(&bank, paths, 1, &err);
	if (n)
		fprintf(stderr, "%s", sb_str(&err));
	sb_free(&err);
	return n;
}

static int
teardown(void **state)
{
	(void)state;
	qz_bank_free(&bank);
	return 0;
}

static const qz_question *
Q(const char *id)
{
	const qz_question *q = qz_bank_find(&bank, id);
	assert_non_null(q);
	return q;
}

/* Grades text in file order; returns the score, or -1 when rejected. */
static double
grade(const char *id, const char *text)
{
	qz_resp r;
	qz_grade g;
	sb why = SB_INIT;
	int rc = qz_parse_answer(Q(id), NULL, text, &r, &why);
	sb_free(&why);
	if (rc != 0)
		return -1;
	qz_grade_resp(Q(id), &r, &g);
	return g.score;
}

/* The message for a rejected answer. */
static char *
reject(const char *id, const char *text)
{
	qz_resp r;
	sb why = SB_INIT;
	assert_int_equal(qz_parse_answer(Q(id), NULL, text, &r, &why), -1);
	return sb_take(&why);
}

static void
assert_contains(const char *hay, const char *needle)
{
	if (hay == NULL)
		fail_msg("\"%s\" not found: no text", needle);
	else if (strstr(hay, needle) == NULL)
		fail_msg("\"%s\" not found in:\n%s", needle, hay);
}

/* The answer text to question id is refused with a message holding
** needle. */
static void
assert_rejects(const char *id, const char *text, const char *needle)
{
	char *m = reject(id, text);
	assert_contains(m, needle);
	free(m);
}

static void
test_bank_loaded(void **state)
{
	(void)state;
	assert_int_equal(bank.nq, 9);
	assert_int_equal(bank.ncs, 1);
	assert_ptr_equal(Q("t-case")->cs, bank.cs[0]);
	assert_int_equal(Q("t-yesno")->scoring, QZ_PER_PART);
	assert_int_equal(Q("t-matching")->scoring, QZ_PER_PART);
	assert_int_equal(Q("t-dropdown")->scoring, QZ_PER_PART);
	assert_int_equal(Q("t-single")->scoring, QZ_ALL_OR_NOTHING);
	assert_int_equal(Q("t-ordering")->scoring, QZ_ALL_OR_NOTHING);
	assert_int_equal(Q("t-multiple")->scoring, QZ_PER_PART);
	assert_int_equal(Q("t-aon")->scoring, QZ_ALL_OR_NOTHING);
	assert_int_equal(Q("t-single")->difficulty, 2);
}

static void
test_single(void **state)
{
	(void)state;
	assert_true(grade("t-single", "b") == 1.0);
	assert_true(grade("t-single", " B ") == 1.0);
	assert_true(grade("t-single", "a") == 0.0);
	assert_rejects("t-single", "d",
	    "\"d\" is not an option: type one letter from a to c");
	assert_rejects("t-single", "a b", "one letter only");
	assert_rejects("t-single", "", "no answer given");
}

static void
test_multiple(void **state)
{
	(void)state;
	/* per-part: one point per right choice among the two chosen */
	assert_true(grade("t-multiple", "a c") == 1.0);
	assert_true(grade("t-multiple", "c a") == 1.0);
	assert_true(grade("t-multiple", "a b") == 0.5);
	assert_true(grade("t-multiple", "b d") == 0.0);
	assert_rejects("t-multiple", "a",
	    "choose exactly 2 letters, you gave 1");
	assert_rejects("t-multiple", "a a", "a letter appears twice");
	assert_rejects("t-multiple", "ac",
	    "separate the letters with spaces or commas (e.g. \"a c\")");
	assert_rejects("t-multiple", "a e",
	    "\"e\" is not one of the letters a to d");
	/* the same answer under all-or-nothing */
	qz_question *q = (qz_question *)Q("t-multiple");
	q->scoring = QZ_ALL_OR_NOTHING;
	assert_true(grade("t-multiple", "a b") == 0.0);
	assert_true(grade("t-multiple", "a c") == 1.0);
	q->scoring = QZ_PER_PART;
}

static void
test_yesno(void **state)
{
	(void)state;
	assert_true(grade("t-yesno", "y n y") == 1.0);
	double s = grade("t-yesno", "y y y");
	assert_true(s > 0.666 && s < 0.667);
	assert_true(grade("t-yesno", "n y n") == 0.0);
	assert_rejects("t-yesno", "y n",
	    "one y or n for each of the 3 statements, you gave 2");
	assert_rejects("t-yesno", "y x n", "\"x\" is not y or n (statement 2)");
	/* all-or-nothing yes/no */
	assert_true(grade("t-aon", "n y") == 1.0);
	assert_true(grade("t-aon", "n n") == 0.0);
}

static void
test_matching(void **state)
{
	(void)state;
	assert_true(grade("t-matching", "1a 2b 3c") == 1.0);
	assert_true(grade("t-matching", "3c 1a 2b") == 1.0);
	double s = grade("t-matching", "1a 2a 3c");
	assert_true(s > 0.666 && s < 0.667);
	assert_rejects("t-matching", "1a 1b 3c", "item 1 is matched twice");
	assert_rejects("t-matching", "1a 2d 3c",
	    "\"2d\" is not an item number (1 to 3) followed by a letter (a to c)");
	assert_rejects("t-matching", "1a 2b", "match each of the 3 items");
}

static void
test_ordering(void **state)
{
	(void)state;
	/* answer [1, 0, 2]: item d is a distractor */
	assert_true(grade("t-ordering", "b a c") == 1.0);
	assert_true(grade("t-ordering", "a b c") == 0.0);
	assert_rejects("t-ordering", "b a c d",
	    "put in order exactly 3 letters, you gave 4");
	assert_rejects("t-ordering", "b b c", "a letter appears twice");
	qz_question *q = (qz_question *)Q("t-ordering");
	q->scoring = QZ_PER_PART;
	double s = grade("t-ordering", "a b c");	/* only c in place */
	assert_true(s > 0.333 && s < 0.334);
	q->scoring = QZ_ALL_OR_NOTHING;
}

static void
test_dropdown(void **state)
{
	(void)state;
	assert_true(grade("t-dropdown", "a a") == 1.0);
	assert_true(grade("t-dropdown", "a b") == 0.5);
	assert_true(grade("t-dropdown", "b c") == 0.0);
	assert_rejects("t-dropdown", "a d",
	    "\"d\" is not an option of blank 2 (a to c)");
	assert_rejects("t-dropdown", "c a", "blank 1 (a to b)");
	assert_rejects("t-dropdown", "a",
	    "one letter for each of the 2 blanks");
}

/* Every per-part type under all-or-nothing, and back: a partly right
** answer earns its parts or nothing. */
static void
test_modes_switched(void **state)
{
	(void)state;
	static const struct { const char *id, *partial; double per_part; } c[] = {
		{ "t-matching", "1a 2a 3c", 2.0 / 3.0 },
		{ "t-dropdown", "a b", 0.5 },
		{ "t-yesno", "y y y", 2.0 / 3.0 },
	};
	for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
		qz_question *q = (qz_question *)Q(c[i].id);
		double s = grade(c[i].id, c[i].partial);
		assert_true(s > c[i].per_part - 1e-9 && s < c[i].per_part + 1e-9);
		q->scoring = QZ_ALL_OR_NOTHING;
		assert_true(grade(c[i].id, c[i].partial) == 0.0);
		qz_resp r;
		qz_grade g;
		qz_right_resp(q, &r);
		qz_grade_resp(q, &r, &g);
		assert_true(g.score == 1.0 && g.correct);
		q->scoring = QZ_PER_PART;
	}
	/* single per-part is the same as all-or-nothing: one part */
	qz_question *q = (qz_question *)Q("t-single");
	q->scoring = QZ_PER_PART;
	assert_true(grade("t-single", "a") == 0.0);
	assert_true(grade("t-single", "b") == 1.0);
	q->scoring = QZ_ALL_OR_NOTHING;
	/* a response of the wrong shape earns nothing, never crashes */
	qz_resp bad = { { 0 }, 0 };
	qz_grade g;
	for (size_t i = 0; i < bank.nq; i++) {
		qz_grade_resp(bank.q[i], &bad, &g);
		assert_int_equal(g.points, 0);
		assert_false(g.correct);
	}
}

static void
test_grade_plain(void **state)
{
	(void)state;
	sb fb = SB_INIT;
	double score = -1;
	assert_int_equal(qz_grade_plain(Q("t-multiple"), "a b", &score, &fb), 0);
	assert_true(score == 0.5);
	assert_string_equal(sb_str(&fb),
	    "Partly right: 1 of 2 parts right, and each part earns its share, "
	    "so 50%. The answer: a c");
	sb_reset(&fb);
	assert_int_equal(qz_grade_plain(Q("t-matching"), "1a 2b 3c", &score, &fb), 0);
	assert_string_equal(sb_str(&fb), "Right. The answer: 1a 2b 3c");
	sb_reset(&fb);
	assert_int_equal(qz_grade_plain(Q("t-single"), "zz", &score, &fb), -1);
	sb_free(&fb);
}

/* For every question and many seeds: the right answer shown under a
** shuffled view, typed back under that view, grades as right, and the
** shown lists are permutations of the file's. */
static void
test_views(void **state)
{
	(void)state;
	for (size_t i = 0; i < bank.nq; i++) {
		const qz_question *q = bank.q[i];
		for (uint64_t seed = 1; seed <= 40; seed++) {
			rng r;
			qz_view v;
			rng_seed(&r, seed);
			qz_view_shuffle(q, &r, &v);
			qz_resp right, back;
			qz_right_resp(q, &right);
			sb txt = SB_INIT, why = SB_INIT;
			qz_format_resp(q, &v, &right, &txt);
			assert_int_equal(qz_parse_answer(q, &v, sb_str(&txt), &back, &why), 0);
			qz_grade g;
			qz_grade_resp(q, &back, &g);
			assert_true(g.correct);
			assert_true(g.score == 1.0);
			int seen[QZ_MAXPART] = { 0 };
			for (size_t k = 0; k < q->list.n && q->type != QZ_MATCHING; k++)
				seen[v.perm[k]]++;
			for (size_t k = 0; k < q->list.n && q->type != QZ_MATCHING; k++)
				assert_int_equal(seen[k], 1);
			sb_free(&txt);
			sb_free(&why);
		}
	}
	/* the file order never moves: a seed changes the letters only */
	rng r;
	qz_view v;
	rng_seed(&r, 7);
	qz_view_shuffle(Q("t-single"), &r, &v);
	assert_string_equal(Q("t-single")->list.s[1], "Consumption-based");
}

static void
test_format(void **state)
{
	(void)state;
	sb out = SB_INIT;
	qz_format_plain(Q("t-dropdown"), &out);
	assert_string_equal(sb_str(&out),
	    "Azure Policy [1] resources; Azure RBAC [2] users.\n"
	    "  [1] a) evaluates  b) bills\n"
	    "  [2] a) authorizes  b) encrypts  c) deletes\n"
	    "Answer with one letter per blank, in order, e.g. b a.\n");
	sb_reset(&out);
	qz_format_plain(Q("t-multiple"), &out);
	assert_contains(sb_str(&out), "  d) No need for security\nChoose 2.\n");
	sb_free(&out);
}

/* --- the loader's errors ------------------------------------------------ */

static int
load_text(const char *text, sb *err)
{
	qz_bank b;
	int n = qz_bank_load_text(&b, "bad.json", text, err);
	/* never half-loaded */
	if (n > 0) {
		assert_int_equal(b.nq, 0);
		assert_null(b.q);
	}
	qz_bank_free(&b);
	return n;
}

#define GOOD_TAIL "\"explanation\": \"E\", \"topics\": [\"t\"], \"domain\": \"cloud-concepts\", \"objective\": \"1.1.1\""

static void
test_syntax_error(void **state)
{
	(void)state;
	sb err = SB_INIT;
	int n = load_text("{\"bank\": \"b\",\n  \"questions\": [1,]\n}\n", &err);
	assert_int_equal(n, 1);
	assert_contains(sb_str(&err), "bad.json:2:");
	assert_contains(sb_str(&err), "JSON syntax error");
	sb_free(&err);
}

/* An index too large for any integer is out of range, said as written;
** nothing is converted before the check (UBSan watches in make test). */
static void
test_huge_index(void **state)
{
	(void)state;
	sb err = SB_INIT;
	int n = load_text("{\"bank\": \"b\", \"questions\": [\n"
	    "{\"answer\": 1e10, \"id\": \"q1\", \"type\": \"single\", \"stem\": \"S\", \"options\": [\"x\", \"y\"], " GOOD_TAIL "},\n"
	    "{\"answer\": [-1e300, 1], \"choose\": 2, \"id\": \"q2\", \"type\": \"multiple\", \"stem\": \"S\", \"options\": [\"x\", \"y\", \"z\"], " GOOD_TAIL "}\n"
	    "]}\n", &err);
	assert_int_equal(n, 2);
	assert_contains(sb_str(&err), "questions[0].answer: index 10000000000 out of range (0 to 1)\n");
	assert_contains(sb_str(&err), "questions[1].answer[0]: index -1e+300 out of range (0 to 2)\n");
	sb_free(&err);
}

static void
test_semantic_errors(void **state)
{
	(void)state;
	sb err = SB_INIT;
	const char *text =
	    "{\"bank\": \"b\", \"caseStudies\": [{\"id\": \"cs-a\", \"title\": \"T\", \"text\": \"X\"}],\n"
	    "\"questions\": [{\"id\": \"ok\", \"type\": \"single\", \"stem\": \"S\", \"options\": [\"x\", \"y\"], \"answer\": 0, " GOOD_TAIL "},\n"
	    "{\"answer\": 5, \"id\": \"q1\", \"type\": \"single\", \"stem\": \"S\", \"options\": [\"x\", \"y\"], " GOOD_TAIL "},\n"
	    "{\"choose\": 3, \"id\": \"q2\", \"type\": \"multiple\", \"stem\": \"S\", \"options\": [\"x\", \"y\", \"z\", \"w\"], \"answer\": [0, 1], " GOOD_TAIL "},\n"
	    "{\"explanation\": \" \", \"id\": \"q3\", \"type\": \"single\", \"stem\": \"S\", \"options\": [\"x\", \"y\"], \"answer\": 0, \"topics\": [\"t\"], \"domain\": \"cloud-concepts\", \"objective\": \"1.1.1\"},\n"
	    "{\"colour\": 1, \"id\": \"q4\", \"type\": \"single\", \"stem\": \"S\", \"options\": [\"x\", \"y\"], \"answer\": 0, " GOOD_TAIL "},\n"
	    "{\"caseStudy\": \"cs-b\", \"id\": \"q5\", \"type\": \"single\", \"stem\": \"S\", \"options\": [\"x\", \"y\"], \"answer\": 0, " GOOD_TAIL "},\n"
	    "{\"stem\": \"A {1} and {3}\", \"id\": \"q6\", \"type\": \"dropdown\", \"blanks\": [[\"a\", \"b\"], [\"c\", \"d\"]], \"answer\": [0, 1], " GOOD_TAIL "},\n"
	    "{\"id\": \"ok\", \"type\": \"single\", \"stem\": \"S\", \"options\": [\"x\", \"y\"], \"answer\": 0, " GOOD_TAIL "},\n"
	    "{\"targets\": [\"a\", \"b\"], \"id\": \"q8\", \"type\": \"single\", \"stem\": \"S\", \"options\": [\"x\", \"y\"], \"answer\": 0, \"feedback\": [\"only one\"], " GOOD_TAIL "}\n"
	    "]}\n";
	int n = load_text(text, &err);
	const char *e = sb_str(&err);
	assert_contains(e, "bad.json:3:12: questions[1].answer: index 5 out of range (0 to 1)\n");
	assert_contains(e, "bad.json:4:103: questions[2].answer: has 2 indices but choose is 3\n");
	assert_contains(e, "bad.json:5:17: questions[3].explanation: must explain the answer (it is empty)\n");
	assert_contains(e, "bad.json:6:12: questions[4].colour: unknown key \"colour\" (allowed: id, type,");
	assert_contains(e, "bad.json:7:15: questions[5].caseStudy: unknown case study \"cs-b\" (not in this file's caseStudies)\n");
	assert_contains(e, "bad.json:8:10: questions[6].stem: blank {3} has no entry in blanks (2 blanks)\n");
	assert_contains(e, "questions[6].stem: blank {2} is missing from the stem (blanks has 2 entries)\n");
	assert_contains(e, "bad.json:9:8: questions[7].id: duplicate id \"ok\" (first at bad.json:2:22)\n");
	assert_contains(e, "bad.json:10:13: questions[8].targets: not used by a single question\n");
	assert_contains(e, "questions[8].feedback: has 1 entries but the question has 2 options\n");
	assert_int_equal(n, 10);
	sb_free(&err);
}

static void
test_missing_keys(void **state)
{
	(void)state;
	sb err = SB_INIT;
	int n = load_text("{\"questions\": [{\"id\": \"Bad Id\", \"type\": \"essay\"}]}", &err);
	const char *e = sb_str(&err);
	assert_contains(e, "bad.json:1:1: (top level): missing required \"bank\"");
	assert_contains(e, "questions[0].id: \"Bad Id\" is not a valid id");
	assert_contains(e, "questions[0].type: unknown type \"essay\"");
	assert_contains(e, "bad.json:1:16: questions[0]: missing required \"stem\"");
	assert_contains(e, "bad.json:1:16: questions[0]: missing required \"explanation\"");
	assert_contains(e, "bad.json:1:16: questions[0]: missing required \"topics\"");
	assert_contains(e, "bad.json:1:16: questions[0]: missing required \"domain\"");
	assert_true(n >= 7);
	sb_free(&err);
}

static void
test_answer_shapes(void **state)
{
	(void)state;
	sb err = SB_INIT;
	const char *text =
	    "{\"bank\": \"b\", \"questions\": [\n"
	    "{\"id\": \"y\", \"type\": \"yesno\", \"stem\": \"S\", \"statements\": [\"a\", \"b\"], \"answer\": [true, 1], " GOOD_TAIL "},\n"
	    "{\"id\": \"m\", \"type\": \"matching\", \"stem\": \"S\", \"items\": [\"a\", \"b\"], \"targets\": [\"x\", \"y\"], \"answer\": [0], " GOOD_TAIL "},\n"
	    "{\"id\": \"o\", \"type\": \"ordering\", \"stem\": \"S\", \"items\": [\"a\", \"b\", \"c\"], \"answer\": [0, 0, 1], " GOOD_TAIL "},\n"
	    "{\"id\": \"d\", \"type\": \"dropdown\", \"stem\": \"S {1}\", \"blanks\": [[\"a\", \"b\"]], \"answer\": [2], " GOOD_TAIL "}\n"
	    "]}\n";
	int n = load_text(text, &err);
	const char *e = sb_str(&err);
	assert_contains(e, "questions[0].answer[1]: must be true (Yes) or false (No)");
	assert_contains(e, "questions[1].answer: needs 2 entries (one per item), has 1");
	assert_contains(e, "questions[2].answer: the indices must be distinct");
	assert_contains(e, "questions[3].answer[0]: index 2 out of range (blank 1 has options 0 to 1)");
	assert_int_equal(n, 4);
	sb_free(&err);
}

/* Each bad element of an index list or of a blank is reported at its own
** path. */
static void
test_element_errors(void **state)
{
	(void)state;
	sb err = SB_INIT;
	const char *text =
	    "{\"bank\": \"b\", \"questions\": [\n"
	    "{\"id\": \"m\", \"type\": \"multiple\", \"stem\": \"S\", \"options\": [\"a\", \"b\", \"c\"], \"choose\": 2, \"answer\": [0, 1.5], " GOOD_TAIL "},\n"
	    "{\"id\": \"o\", \"type\": \"ordering\", \"stem\": \"S\", \"items\": [\"a\", \"b\", \"c\"], \"answer\": [0, 7, true], " GOOD_TAIL "},\n"
	    "{\"id\": \"d\", \"type\": \"dropdown\", \"stem\": \"S {1}\", \"blanks\": [[\"a\", \"\", 3]], \"answer\": [0], " GOOD_TAIL "},\n"
	    "{\"id\": \"e\", \"type\": \"dropdown\", \"stem\": \"S {1} {2}\", \"blanks\": [[\"a\", \"b\"], [\"c\", \"d\"]], \"answer\": [1, \"x\"], " GOOD_TAIL "}\n"
	    "]}\n";
	int n = load_text(text, &err);
	const char *e = sb_str(&err);
	assert_contains(e, "bad.json:2:");
	assert_contains(e, "questions[0].answer[1]: must be an integer\n");
	assert_contains(e, "questions[1].answer[1]: index 7 out of range (0 to 2)\n");
	assert_contains(e, "questions[1].answer[2]: must be an integer\n");
	assert_contains(e, "questions[2].blanks[0][1]: must be a non-empty string\n");
	assert_contains(e, "questions[2].blanks[0][2]: must be a non-empty string\n");
	assert_contains(e, "questions[3].answer[1]: must be an integer\n");
	assert_int_equal(n, 6);
	sb_free(&err);
}

static void
test_duplicate_across_files(void **state)
{
	(void)state;
	char dir[] = "/tmp/qztestXXXXXX";
	assert_non_null(mkdtemp(dir));
	char *a = xasprintf("%s/a.json", dir), *b = xasprintf("%s/b.json", dir);
	const char *one = "{\"bank\": \"a\", \"questions\": [\n{\"id\": \"same\", \"type\": \"single\", \"stem\": \"S\", \"options\": [\"x\", \"y\"], \"answer\": 0, " GOOD_TAIL "}]}\n";
	FILE *f = fopen(a, "w");
	fputs(one, f);
	fclose(f);
	f = fopen(b, "w");
	fputs(one, f);
	fclose(f);
	qz_bank bk;
	sb err = SB_INIT;
	const char *paths[1] = { dir };
	assert_int_equal(qz_bank_load(&bk, paths, 1, &err), 1);
	char *want = xasprintf("%s:2:8: questions[0].id: duplicate id \"same\" (first at %s:2:8)\n",
	    b, a);
	assert_string_equal(sb_str(&err), want);
	assert_int_equal(bk.nq, 0);
	qz_bank_free(&bk);
	/* one file alone is fine */
	sb_reset(&err);
	assert_int_equal(qz_check_file(a, &err), 0);
	sb_free(&err);
	unlink(a);
	unlink(b);
	rmdir(dir);
	free(a);
	free(b);
	free(want);
}

/* Commas separate parts as blanks do; no message echoes what could be a
** cut character or a control code, or builds an example from garbage. */
static void
test_answer_text(void **state)
{
	(void)state;
	assert_true(grade("t-multiple", "a,c") == 1.0);
	assert_true(grade("t-multiple", "a, c") == 1.0);
	assert_true(grade("t-multiple", " c ,a,") == 1.0);
	assert_true(grade("t-yesno", "y,n,y") == 1.0);
	assert_true(grade("t-matching", "1a, 2b, 3c") == 1.0);
	/* "b ," is one letter, not an example to copy */
	char *m = reject("t-multiple", "b ,");
	assert_contains(m, "choose exactly 2 letters, you gave 1");
	assert_null(strstr(m, "e.g."));
	free(m);
	/* letters that are not this question's: no example from them */
	m = reject("t-multiple", "xz");
	assert_null(strstr(m, "separate"));
	assert_contains(m, "\"xz\" is not one of the letters a to d");
	free(m);
	/* bytes that are not printable ASCII are never quoted back */
	m = reject("t-multiple", "a \xc3\xa9");
	assert_contains(m, "that is not one of the letters a to d");
	free(m);
	m = reject("t-single", "\x1b[2J");
	assert_contains(m, "that is not an option");
	free(m);
	m = reject("t-yesno", "y n \xff");
	assert_contains(m, "that is not y or n (statement 3)");
	free(m);
}

static void
test_text(void **state)
{
	(void)state;
	sb t = SB_INIT, err = SB_INIT;
	/* a choose-3 example shows three letters */
	qz_bank b;
	const char *c3 = "{\"bank\": \"b\", \"questions\": [{\"id\": \"m3\", "
	    "\"type\": \"multiple\", \"stem\": \"S\", \"options\": [\"w\", "
	    "\"x\", \"y\", \"z\"], \"choose\": 3, \"answer\": [0, 1, 2], "
	    GOOD_TAIL "}]}";
	assert_int_equal(qz_bank_load_text(&b, "c3.json", c3, &err), 0);
	assert_string_equal(qz_syntax_hint(b.q[0]),
	    "the letters you choose, separated by spaces, e.g. a c d");
	qz_bank_free(&b);
	assert_string_equal(qz_syntax_hint(Q("t-multiple")),
	    "the letters you choose, separated by spaces, e.g. a c");
	/* one-to-one matching says each target is used once */
	assert_true(qz_one_to_one(Q("t-matching")));
	assert_false(qz_one_to_one(Q("t-single")));
	qz_format_view(Q("t-matching"), NULL, &t);
	assert_contains(sb_str(&t), "Targets (each target is used once):");
	qz_question *q = (qz_question *)Q("t-matching");
	q->answer[2] = 0;	/* now two items share a target */
	assert_false(qz_one_to_one(q));
	sb_reset(&t);
	qz_format_view(q, NULL, &t);
	assert_contains(sb_str(&t), "a target may fit several items or none");
	q->answer[2] = 2;
	/* the score rule in words */
	qz_resp r;
	qz_grade g;
	sb_reset(&t);
	assert_int_equal(qz_parse_answer(Q("t-aon"), NULL, "y y", &r, &err), 0);
	qz_grade_resp(Q("t-aon"), &r, &g);
	qz_format_verdict(Q("t-aon"), &g, &t);
	assert_string_equal(sb_str(&t), "Not fully right: 1 of 2 parts right, "
	    "but this question earns its point only when every part is right, "
	    "so 0%.");
	/* which part was wrong: yes/no, matching, dropdown */
	sb_reset(&t);
	assert_int_equal(qz_parse_answer(Q("t-yesno"), NULL, "y y y", &r, &err), 0);
	qz_grade_resp(Q("t-yesno"), &r, &g);
	qz_format_feedback(Q("t-yesno"), NULL, &r, &g, &t);
	assert_contains(sb_str(&t), "Wrong: statement 2, you said Yes; it is No.\n");
	assert_null(strstr(sb_str(&t), "statement 1,"));
	sb_reset(&t);
	assert_int_equal(qz_parse_answer(Q("t-matching"), NULL, "1a 2c 3c", &r, &err), 0);
	qz_grade_resp(Q("t-matching"), &r, &g);
	qz_format_feedback(Q("t-matching"), NULL, &r, &g, &t);
	assert_contains(sb_str(&t), "Wrong: item 2 (App Service), you gave c) "
	    "SaaS; it is b) PaaS.\n");
	sb_reset(&t);
	assert_int_equal(qz_parse_answer(Q("t-dropdown"), NULL, "a b", &r, &err), 0);
	qz_grade_resp(Q("t-dropdown"), &r, &g);
	qz_format_feedback(Q("t-dropdown"), NULL, &r, &g, &t);
	assert_contains(sb_str(&t), "Wrong: blank 2, you chose b) encrypts; it is "
	    "a) authorizes.\n");
	sb_free(&t);
	sb_free(&err);
}

/* A bank question's objective is an outline code of its domain; a waiver
** names a cue rule and gives a reason. */
static void
test_objective_and_waive(void **state)
{
	(void)state;
	sb err = SB_INIT;
#define Q1 "{\"id\": \"q\", \"type\": \"single\", \"stem\": \"S\", " \
    "\"options\": [\"x\", \"y\"], \"answer\": 0, \"explanation\": \"E\", " \
    "\"topics\": [\"t\"], "
	assert_int_equal(load_text("{\"bank\": \"b\", \"questions\": [" Q1
	    "\"domain\": \"cloud-concepts\"}]}", &err), 1);
	assert_contains(sb_str(&err), "bad.json:1:29: questions[0].objective: "
	    "missing: a bank question needs its outline code");
	sb_reset(&err);
	assert_int_equal(load_text("{\"bank\": \"b\", \"questions\": [" Q1
	    "\"domain\": \"cloud-concepts\", \"objective\": \"Describe cloud "
	    "computing\"}]}", &err), 1);
	assert_contains(sb_str(&err), "questions[0].objective: \"Describe cloud "
	    "computing\" is not an outline code");
	sb_reset(&err);
	assert_int_equal(load_text("{\"bank\": \"b\", \"questions\": [" Q1
	    "\"domain\": \"cloud-concepts\", \"objective\": \"2.3.3\"}]}",
	    &err), 1);
	assert_contains(sb_str(&err), "questions[0].domain: \"cloud-concepts\" "
	    "does not match objective 2.3.3, a line of domain 2 "
	    "(architecture-services)");
	sb_reset(&err);
	assert_int_equal(load_text("{\"bank\": \"b\", \"questions\": [" Q1
	    "\"domain\": \"cloud-concepts\", \"objective\": \"1.1.7\"}]}",
	    &err), 1);
	sb_reset(&err);
	/* waivers */
	assert_int_equal(load_text("{\"bank\": \"b\", \"questions\": [" Q1
	    "\"domain\": \"cloud-concepts\", \"objective\": \"1.1.1\", "
	    "\"waive\": {\"long-key\": \"The key must name all three.\"}}]}",
	    &err), 0);
	assert_int_equal(load_text("{\"bank\": \"b\", \"questions\": [" Q1
	    "\"domain\": \"cloud-concepts\", \"objective\": \"1.1.1\", "
	    "\"waive\": {\"long-keys\": \"typo\", \"stem-word\": \"\"}}]}",
	    &err), 2);
	assert_contains(sb_str(&err), "questions[0].waive.long-keys: unknown cue "
	    "rule");
	assert_contains(sb_str(&err), "questions[0].waive.stem-word: must give "
	    "the reason");
#undef Q1
	sb_free(&err);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bank_loaded),
		cmocka_unit_test(test_single),
		cmocka_unit_test(test_multiple),
		cmocka_unit_test(test_yesno),
		cmocka_unit_test(test_matching),
		cmocka_unit_test(test_ordering),
		cmocka_unit_test(test_dropdown),
		cmocka_unit_test(test_modes_switched),
		cmocka_unit_test(test_grade_plain),
		cmocka_unit_test(test_answer_text),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_objective_and_waive),
		cmocka_unit_test(test_views),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_syntax_error),
		cmocka_unit_test(test_semantic_errors),
		cmocka_unit_test(test_huge_index),
		cmocka_unit_test(test_missing_keys),
		cmocka_unit_test(test_answer_shapes),
		cmocka_unit_test(test_element_errors),
		cmocka_unit_test(test_duplicate_across_files),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
