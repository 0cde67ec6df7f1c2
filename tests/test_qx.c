/*
** test_qx.c: the course formats: Moodle's documented examples read, the
** errors placed, and every question of the shipped bank through each
** format and back.
*/
#include "testutil.h"
#include "quiz/qx.h"
#include "quiz/qz.h"
#include "lib/sb.h"

#include <stdlib.h>

static char *
tq_read(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	sb b = SB_INIT;
	assert_int_equal(sb_addfile(&b, f), 0);
	fclose(f);
	*len = b.len;
	return sb_take(&b);
}

typedef struct tq_import {
	int	 nerr;
	size_t	 nq;
	sb	 out, errs, notes;
	qz_bank	 bank;
} tq_import;

/* Imports a file (or text) and loads the result as a bank. */
static void
tq_import_text(tq_import *r, enum qx_format f, const char *name,
    const char *text, size_t len, const char *objective)
{
	qx_defaults def = { "examples", NULL, objective, NULL, 0 };
	memset(r, 0, sizeof *r);
	r->nerr = qx_import(f, name, text, len, &def, &r->out, &r->nq,
	    &r->errs, &r->notes);
	sb lerr = SB_INIT;
	int e = qz_bank_load_text(&r->bank, "imported", sb_str(&r->out), &lerr);
	if (e)
		print_error("%s\n%s\n", sb_str(&lerr), sb_str(&r->out));
	assert_int_equal(e, 0);
	sb_free(&lerr);
}

static void
tq_import_file(tq_import *r, enum qx_format f, const char *path,
    const char *objective)
{
	size_t len;
	char *t = tq_read(path, &len);
	tq_import_text(r, f, path, t, len, objective);
	free(t);
}

static void
tq_free(tq_import *r)
{
	sb_free(&r->out);
	sb_free(&r->errs);
	sb_free(&r->notes);
	qz_bank_free(&r->bank);
}

/* The i-th question that starts with stem. */
static const qz_question *
tq_by_stem(const qz_bank *b, const char *stem)
{
	for (size_t i = 0; i < b->nq; i++)
		if (strncmp(b->q[i]->stem, stem, strlen(stem)) == 0)
			return b->q[i];
	fail_msg("no question starting \"%s\"", stem);
	return NULL;
}

static void
tq_has(const sb *b, const char *needle)
{
	if (strstr(sb_str(b), needle) == NULL)
		fail_msg("\"%s\" not in:\n%s", needle, sb_str(b));
}

/* ---- GIFT: Moodle's documented examples ---- */

static void
test_gift_moodle_examples(void **state)
{
	(void)state;
	tq_import r;
	tq_import_file(&r, QX_GIFT, "tests/data/formats/moodle-examples.gift",
	    "1.1.1");
	/* 15 questions map; short answer, numerical and essay are refused. */
	assert_int_equal(r.nq, 17);
	assert_int_equal(r.nerr, 3);
	const char *f = "tests/data/formats/moodle-examples.gift";
	char want[256];
	snprintf(want, sizeof want, "%s:18:31: question 5: a short-answer", f);
	tq_has(&r.errs, want);
	snprintf(want, sizeof want, "%s:33:33: question 8: {#...} is a numerical", f);
	tq_has(&r.errs, want);
	snprintf(want, sizeof want, "%s:88:46: question 17: {} is an essay", f);
	tq_has(&r.errs, want);

	const qz_question *q = tq_by_stem(&r.bank, "Who's buried in Grant's tomb?");
	assert_int_equal(q->type, QZ_SINGLE);
	assert_int_equal(q->list.n, 3);
	assert_string_equal(q->list.s[q->answer[0]], "no one");
	/* No general feedback: the explanation names the answer, noted. */
	assert_string_equal(q->explanation, "The right answer is \"no one\".");
	tq_has(&r.notes, "no general feedback");

	q = tq_by_stem(&r.bank, "Grant is _____ in Grant's tomb.");
	assert_string_equal(q->list.s[q->answer[0]], "entombed");

	q = tq_by_stem(&r.bank, "Grant is buried in Grant's tomb.");
	assert_int_equal(q->type, QZ_SINGLE);
	assert_string_equal(q->list.s[0], "True");
	assert_string_equal(q->list.s[1], "False");
	assert_int_equal(q->answer[0], 1);
	q = tq_by_stem(&r.bank, "The sun rises");
	assert_int_equal(q->answer[0], 0);

	q = tq_by_stem(&r.bank, "Match the following countries");
	assert_int_equal(q->type, QZ_MATCHING);
	assert_int_equal(q->list.n, 4);
	assert_string_equal(q->list.s[3], "India");
	assert_string_equal(q->targets.s[q->answer[3]], "New Delhi");
	assert_string_equal(q->explanation, "It's good to know the capitals");

	q = tq_by_stem(&r.bank, "Moodle costs _____ to download from moodle.org.");
	assert_string_equal(q->list.s[q->answer[0]], "nothing");

	q = tq_by_stem(&r.bank, "What's the answer to this multiple-choice");
	assert_int_equal(q->feedback.n, 3);
	assert_string_equal(q->feedback.s[2], "Very good!");
	assert_string_equal(q->list.s[q->answer[0]], "right answer");

	/* True/false feedback: the first is shown to a wrong answer. */
	q = tq_by_stem(&r.bank, "Grant was buried in a tomb in NY.");
	assert_int_equal(q->answer[0], 1);
	assert_string_equal(q->feedback.s[0], "No, he was buried in New York.");
	assert_string_equal(q->feedback.s[1], "Right, he was buried in New Jersey.");

	/* Partial credit on a wrong option is noted, not kept. */
	q = tq_by_stem(&r.bank, "Jesus Christ was from _____.");
	assert_string_equal(q->id, "jesus-hometown");
	assert_string_equal(q->list.s[q->answer[0]], "Nazareth");
	tq_has(&r.notes, "partial credit (~%n%) on a wrong option");

	q = tq_by_stem(&r.bank, "What two people are entombed");
	assert_int_equal(q->type, QZ_MULTIPLE);
	assert_int_equal(q->choose, 2);
	assert_string_equal(q->list.s[q->answer[0]], "Grant");
	assert_string_equal(q->list.s[q->answer[1]], "Grant's wife");
	assert_int_equal(q->scoring, QZ_PER_PART);

	/* Escapes. */
	q = tq_by_stem(&r.bank, "Which answer equals 5?");
	assert_string_equal(q->list.s[0], "= 2 + 2");
	assert_string_equal(q->list.s[q->answer[0]], "= 2 + 3");
	q = tq_by_stem(&r.bank, "Which of the following is NOT a control");
	assert_string_equal(q->id, "gift-control-characters");
	assert_int_equal(q->list.n, 6);
	assert_string_equal(q->list.s[0], "~");
	assert_string_equal(q->list.s[3], "{");
	assert_string_equal(q->list.s[4], "}");
	assert_string_equal(q->list.s[q->answer[0]], "\\");
	assert_string_equal(q->feedback.s[0], "~ is a control character.");
	assert_true(strncmp(q->feedback.s[5], "Correct! \\ (backslash)", 22) == 0);

	/* A title with an escaped colon; HTML made plain, noted. */
	q = tq_by_stem(&r.bank, "Which time is UTC: 12:00 in London");
	assert_string_equal(q->id, "time-zones");
	assert_string_equal(q->list.s[q->answer[0]], "12:00");
	tq_has(&r.notes, "HTML markup removed");

	q = tq_by_stem(&r.bank, "The American holiday of Thanksgiving is celebrated "
	    "on the _____ Thursday of November.");
	assert_string_equal(q->list.s[q->answer[0]], "fourth");
	q = tq_by_stem(&r.bank, "Japanese characters originally came from what country?");
	assert_string_equal(q->list.s[q->answer[0]], "China");
	assert_string_equal(q->feedback.s[3], "That's not it.");
	q = tq_by_stem(&r.bank, "The largest desert on Earth is:");
	assert_string_equal(q->list.s[q->answer[0]], "Antarctica");
	tq_free(&r);
}

/* ---- errors, each placed ---- */

static void
tq_expect_error(enum qx_format f, const char *text, const char *want)
{
	tq_import r;
	qx_defaults def = { "bad", NULL, "1.1.1", NULL, 0 };
	memset(&r, 0, sizeof r);
	r.nerr = qx_import(f, "bad", text, strlen(text), &def, &r.out, &r.nq,
	    &r.errs, &r.notes);
	assert_true(r.nerr > 0);
	tq_has(&r.errs, want);
	sb_free(&r.out);
	sb_free(&r.errs);
	sb_free(&r.notes);
}

static void
test_errors(void **state)
{
	(void)state;
	tq_expect_error(QX_GIFT, "Q one {=a ~b}\n\nQ two {=a ~b\n",
	    "bad:3:7: question 2: this '{' is never closed");
	tq_expect_error(QX_GIFT, "Q } {=a ~b}\n", "bad:1:3: question 1: a '}' before any '{'");
	tq_expect_error(QX_GIFT, "Q {=a ~%x%b}\n", "bad:1:8: question 1: a weight is written %n%");
	tq_expect_error(QX_GIFT, "Q {\n=a -> 1\n=b\n}\n", "bad:3:1: question 1: a matching pair is written");
	tq_expect_error(QX_GIFT, "Q {~a ~b ~c}\n", "bad:1:1: question 1: 0 of 3 options are right");
	tq_expect_error(QX_GIFT, "Q {=a =b ~c}\n", "question 1: 2 options are marked right");
	tq_expect_error(QX_GIFT, "Just text\n", "bad:1:1: question 1: no answers between { and }");
	tq_expect_error(QX_AIKEN, "Q\nA. x\nB. y\nANSWER: C\n",
	    "bad:4:9: question 1: ANSWER: C, but the options go from A to B");
	tq_expect_error(QX_AIKEN, "Q\nA. x\nB. y\nanswer: A\n",
	    "bad:4:1: question 1: write ANSWER: in capitals");
	tq_expect_error(QX_AIKEN, "Q\nA. x\nB. y\n", "bad:1:1: question 1: no ANSWER: line");
	tq_expect_error(QX_AIKEN, "Q\nA. x\nC. y\nANSWER: A\n", "bad:3:1: question 1: option C where B was due");
	tq_expect_error(QX_MOODLE_XML, "<quiz>\n  <question type=\"multichoice\">\n</quiz>\n",
	    "bad:3:1: question 0: </...> does not close <question>");
	tq_expect_error(QX_MOODLE_XML, "<quiz><question type=\"multichoice\"><questiontext>"
	    "<text>a &bogus; b</text></questiontext></question></quiz>",
	    "bad:1:58: question 0: an unknown entity");
	tq_expect_error(QX_MOODLE_XML, "<!DOCTYPE x [<!ENTITY a \"b\">]><quiz/>",
	    "bad:1:1: question 0: a DOCTYPE");
	tq_expect_error(QX_MOODLE_XML, "<quiz>\n<question type=\"numerical\"><questiontext>"
	    "<text>1+1</text></questiontext></question></quiz>",
	    "bad:2:1: question 1: type \"numerical\", which synclab does not have");
	tq_expect_error(QX_MOODLE_XML, "<quiz><question type=\"multichoice\"><questiontext>"
	    "<text>Q</text></questiontext><answer fraction=\"1e999\"><text>a</text></answer>"
	    "</question></quiz>", "question 1: fraction=\"1e999\" is not a number");
	/* Without --objective and without a synclab comment: said where. */
	tq_import r;
	qx_defaults def = { "bad", NULL, NULL, NULL, 0 };
	memset(&r, 0, sizeof r);
	const char *t = "\n\nQ {=a ~b}\n";
	r.nerr = qx_import(QX_GIFT, "bad", t, strlen(t), &def, &r.out, &r.nq,
	    &r.errs, &r.notes);
	assert_int_equal(r.nerr, 1);
	tq_has(&r.errs, "bad:3:1: question 1: no outline objective: give --objective");
	sb_free(&r.out);
	sb_free(&r.errs);
	sb_free(&r.notes);
}

/* ---- Aiken and Moodle XML examples ---- */

static void
test_aiken_moodle_examples(void **state)
{
	(void)state;
	tq_import r;
	tq_import_file(&r, QX_AIKEN, "tests/data/formats/moodle-examples.aiken", "2.1.1");
	assert_int_equal(r.nerr, 0);
	assert_int_equal(r.nq, 2);
	const qz_question *q = r.bank.q[0];
	assert_int_equal(q->type, QZ_SINGLE);
	assert_int_equal(q->domain, QZ_ARCH);
	assert_string_equal(q->list.s[q->answer[0]], "Must be this one!");
	q = r.bank.q[1];
	assert_int_equal(q->list.n, 6);
	assert_string_equal(q->list.s[q->answer[0]], "Moodle");
	assert_string_equal(q->list.s[5], "Ilias");
	tq_free(&r);
}

static void
test_mxml_moodle_examples(void **state)
{
	(void)state;
	tq_import r;
	tq_import_file(&r, QX_MOODLE_XML, "tests/data/formats/moodle-examples.xml", "3.1.1");
	assert_int_equal(r.nq, 5);
	assert_int_equal(r.nerr, 2);
	tq_has(&r.errs, "moodle-examples.xml:70:3: question 6: type \"shortanswer\"");
	tq_has(&r.errs, "moodle-examples.xml:75:3: question 7: type \"essay\"");
	const qz_question *q = tq_by_stem(&r.bank, "What is the answer to this question?");
	assert_string_equal(q->id, "name-of-question");
	assert_string_equal(q->list.s[q->answer[0]], "The correct answer");
	assert_string_equal(q->feedback.s[1], "Ooops!");
	assert_string_equal(q->explanation, "The correct answer is correct & the rest are not.");
	q = tq_by_stem(&r.bank, "Which two cities are capitals?");
	assert_int_equal(q->type, QZ_MULTIPLE);
	assert_int_equal(q->choose, 2);
	q = tq_by_stem(&r.bank, "The sky is blue on a clear day.");
	assert_string_equal(q->list.s[q->answer[0]], "True");
	q = tq_by_stem(&r.bank, "Match the countries");
	assert_int_equal(q->list.n, 3);
	assert_int_equal(q->targets.n, 4);	/* Sydney is a spare answer */
	assert_string_equal(q->list.s[0], "Canada");
	assert_string_equal(q->targets.s[q->answer[0]], "Ottawa");
	q = tq_by_stem(&r.bank, "The {1} brown fox jumps over the {2} dog.");
	assert_int_equal(q->type, QZ_DROPDOWN);
	assert_int_equal(q->nblanks, 2);
	assert_string_equal(q->blanks[0].s[q->answer[0]], "quick");
	assert_string_equal(q->blanks[1].s[q->answer[1]], "lazy");
	assert_string_equal(q->blanks[1].s[1], "busy");
	tq_free(&r);
}

/* ---- round trips over the shipped bank ---- */

static void
tq_same_list(const qz_list *a, const qz_list *b, const char *id)
{
	if (a->n != b->n)
		fail_msg("%s: %zu entries, %zu after the trip", id, a->n, b->n);
	for (size_t i = 0; i < a->n; i++)
		if (strcmp(a->s[i], b->s[i]) != 0)
			fail_msg("%s: \"%s\" came back as \"%s\"", id, a->s[i], b->s[i]);
}

/* Equal as questions: for matching, each item's target by its text and
** the same set of targets (their file order is not the platform's). */
static void
tq_same(const qz_question *a, const qz_question *b, int all)
{
	const char *id = a->id;
	assert_int_equal(a->type, b->type);
	assert_string_equal(a->stem, b->stem);
	tq_same_list(&a->list, &b->list, id);
	assert_int_equal(a->nanswer, b->nanswer);
	if (a->type == QZ_MATCHING) {
		assert_int_equal(a->targets.n, b->targets.n);
		for (size_t i = 0; i < a->nanswer; i++)
			assert_string_equal(a->targets.s[a->answer[i]],
			    b->targets.s[b->answer[i]]);
		for (size_t t = 0; t < a->targets.n; t++) {
			int found = 0;
			for (size_t u = 0; u < b->targets.n; u++)
				found |= strcmp(a->targets.s[t], b->targets.s[u]) == 0;
			assert_true(found);
		}
	} else
		for (size_t i = 0; i < a->nanswer; i++)
			assert_int_equal(a->answer[i], b->answer[i]);
	assert_int_equal(a->nblanks, b->nblanks);
	for (size_t k = 0; k < a->nblanks; k++)
		tq_same_list(&a->blanks[k], &b->blanks[k], id);
	if (!all)
		return;
	assert_string_equal(a->id, b->id);
	assert_string_equal(a->explanation, b->explanation);
	tq_same_list(&a->feedback, &b->feedback, id);
	tq_same_list(&a->topics, &b->topics, id);
	assert_int_equal(a->domain, b->domain);
	assert_string_equal(a->objective, b->objective);
	assert_int_equal(a->difficulty, b->difficulty);
	assert_int_equal(a->scoring, b->scoring);
	if (a->ref || b->ref)
		assert_string_equal(a->ref, b->ref);
}

static void
tq_round_trip(enum qx_format f)
{
	qz_bank b;
	sb errs = SB_INIT;
	const char *paths[] = { "data/questions", "tests/data/questions/basic.json" };
	assert_int_equal(qz_bank_load(&b, paths, 2, &errs), 0);
	sb out = SB_INIT, notes = SB_INIT;
	size_t left = qx_export(f, &b, &out, &notes);
	tq_import r;
	/* Aiken carries no outline line: the import gives one. */
	tq_import_text(&r, f, "trip", sb_str(&out), out.len,
	    f == QX_AIKEN ? "1.1.1" : NULL);
	if (r.nerr)
		fail_msg("%s", sb_str(&r.errs));
	assert_int_equal(r.nq + left, b.nq);
	size_t single = 0, compared = 0;
	for (size_t i = 0; i < b.nq; i++) {
		const qz_question *a = b.q[i];
		single += a->type == QZ_SINGLE;
		if (f == QX_AIKEN) {
			if (a->type != QZ_SINGLE)
				continue;
			/* In file order: the i-th single question. */
			const qz_question *c = r.bank.q[single - 1];
			if (strchr(a->stem, '\n') == NULL)
				tq_same(a, c, 0);
			compared++;
			continue;
		}
		const qz_question *c = qz_bank_find(&r.bank, a->id);
		if (c == NULL) {
			/* Left out, and said so. */
			char want[128];
			snprintf(want, sizeof want, "%s: left out", a->id);
			tq_has(&notes, want);
			continue;
		}
		tq_same(a, c, 1);
		compared++;
	}
	assert_true(compared > 100);
	/* Nothing is dropped silently: every left-out question is named. */
	size_t named = 0;
	for (const char *p = sb_str(&notes); (p = strstr(p, ": left out")); p++)
		named++;
	assert_int_equal(named, left);
	if (f == QX_MOODLE_XML)
		assert_int_equal(left, 0);
	tq_free(&r);
	sb_free(&out);
	sb_free(&notes);
	sb_free(&errs);
	qz_bank_free(&b);
}

static void test_round_trip_gift(void **s) { (void)s; tq_round_trip(QX_GIFT); }
static void test_round_trip_aiken(void **s) { (void)s; tq_round_trip(QX_AIKEN); }
static void test_round_trip_mxml(void **s) { (void)s; tq_round_trip(QX_MOODLE_XML); }

/* Writers escape what their format reserves. */
static void
test_writers_escape(void **state)
{
	(void)state;
	const char *bank =
	    "{\"bank\":\"esc\",\"questions\":[{\"id\":\"e1\",\"type\":\"single\","
	    "\"stem\":\"Which of {a} = b: ~c # d \\\\ e < f & g -- h?\","
	    "\"options\":[\"x=1\",\"y{2}\",\"z#3 <b>\"],\"answer\":2,"
	    "\"feedback\":[\"a:b\",\"c~d\",\"e\\nf\"],"
	    "\"explanation\":\"Because ####; and ]]> and -->.\",\"topics\":[\"t\"],"
	    "\"domain\":\"cloud-concepts\",\"objective\":\"1.1.1\",\"ref\":\"a--b\"}]}";
	for (int f = 0; f < QX_NFORMAT; f++) {
		if (f == QX_AIKEN)
			continue;
		qz_bank b;
		sb errs = SB_INIT, out = SB_INIT, notes = SB_INIT;
		assert_int_equal(qz_bank_load_text(&b, "esc", bank, &errs), 0);
		qx_export((enum qx_format)f, &b, &out, &notes);
		tq_import r;
		tq_import_text(&r, (enum qx_format)f, "esc", sb_str(&out), out.len, NULL);
		if (r.nerr)
			fail_msg("%s\n%s", sb_str(&r.errs), sb_str(&out));
		tq_same(b.q[0], r.bank.q[0], 1);
		tq_free(&r);
		qz_bank_free(&b);
		sb_free(&errs);
		sb_free(&out);
		sb_free(&notes);
	}
}

/* Hostile input: no crash, time linear (a long run of one character). */
static void
test_hostile(void **state)
{
	(void)state;
	static const char *const seeds[] = { "{", "}", "~", "\\", "<a>", "<!--",
	    "=", "::", "A. ", "&#", "<quiz><question type=\"x\">" };
	for (size_t s = 0; s < sizeof seeds / sizeof *seeds; s++)
		for (int f = 0; f < QX_NFORMAT; f++) {
			sb t = SB_INIT;
			for (int i = 0; i < 20000; i++)
				sb_add(&t, seeds[s]);
			qx_defaults def = { "h", NULL, "1.1.1", NULL, 0 };
			sb out = SB_INIT, errs = SB_INIT, notes = SB_INIT;
			size_t nq;
			qx_import((enum qx_format)f, "h", sb_str(&t), t.len, &def,
			    &out, &nq, &errs, &notes);
			sb_free(&t);
			sb_free(&out);
			sb_free(&errs);
			sb_free(&notes);
		}
	/* Deep nesting is refused, not recursed into. */
	sb t = SB_INIT;
	for (int i = 0; i < 5000; i++)
		sb_add(&t, "<a>");
	qx_defaults def = { "h", NULL, "1.1.1", NULL, 0 };
	sb out = SB_INIT, errs = SB_INIT, notes = SB_INIT;
	size_t nq;
	assert_true(qx_import(QX_MOODLE_XML, "h", sb_str(&t), t.len, &def, &out,
	    &nq, &errs, &notes) > 0);
	tq_has(&errs, "nested too deep");
	sb_free(&t);
	sb_free(&out);
	sb_free(&errs);
	sb_free(&notes);
}

static void
test_guess(void **state)
{
	(void)state;
	assert_int_equal(qx_format_guess("<?xml version", 13), QX_MOODLE_XML);
	assert_int_equal(qx_format_guess("Q\nA. x\nANSWER: A\n", 17), QX_AIKEN);
	assert_int_equal(qx_format_guess("Q {T}\n", 6), QX_GIFT);
	assert_int_equal(qx_format_parse("moodle-xml"), QX_MOODLE_XML);
	assert_int_equal(qx_format_parse("docx"), -1);
}

int
main(void)
{
	if (tu_to_tree("tests/data/formats/moodle-examples.gift") != 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gift_moodle_examples),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_aiken_moodle_examples),
		cmocka_unit_test(test_mxml_moodle_examples),
		cmocka_unit_test(test_round_trip_gift),
		cmocka_unit_test(test_round_trip_aiken),
		cmocka_unit_test(test_round_trip_mxml),
		cmocka_unit_test(test_writers_escape),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_guess),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
