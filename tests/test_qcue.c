/*
** test_qcue.c: the cue checker (quiz/qcue.h).
**
** The fixtures in tests/data/questions/cues/ hold items a test-wise student
** can answer without the subject (cued.json: each is caught, at its place)
** and items that come close to each rule without tripping it (clean.json:
** nothing is found).  The bank rules are tried on banks made here.
*/
#include "tests/testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/sb.h"
#include "quiz/qcue.h"
#include "quiz/qz.h"

static int
setup(void **state)
{
	(void)state;
	return tu_to_tree("tests/data/questions/cues/cued.json");
}

static void
load_file(qz_bank *b, const char *path)
{
	sb errs = SB_INIT;
	const char *paths[1] = { path };
	int n = qz_bank_load(b, paths, 1, &errs);
	if (n)
		fail_msg("%s", sb_str(&errs));
	sb_free(&errs);
}

static void
load_text(qz_bank *b, const char *text)
{
	sb errs = SB_INIT;
	int n = qz_bank_load_text(b, "gen.json", text, &errs);
	if (n)
		fail_msg("%s", sb_str(&errs));
	sb_free(&errs);
}

/* The number of findings of rule on question qid. */
static int
has(const qcue_report *r, const char *qid, enum qcue_rule rule)
{
	int n = 0;
	for (size_t i = 0; i < r->n; i++)
		n += strcmp(r->f[i].qid, qid) == 0 && r->f[i].rule == rule;
	return n;
}

static int
count_rule(const qcue_report *r, enum qcue_rule rule)
{
	int n = 0;
	for (size_t i = 0; i < r->n; i++)
		n += r->f[i].rule == rule;
	return n;
}

static void
test_rule_names(void **state)
{
	(void)state;
	for (int i = 0; i < QCUE_NRULE; i++)
		assert_int_equal(qcue_rule_parse(qcue_rule_name((enum qcue_rule)i)), i);
	assert_int_equal(qcue_rule_parse("long-key"), QCUE_LONG_KEY);
	assert_int_equal(qcue_rule_parse("longest-key-rate"), QCUE_LONGEST_RATE);
	assert_int_equal(qcue_rule_parse("nope"), -1);
	/* the JSON Schema editors use knows every rule name */
	FILE *f = fopen("data/schema/question.schema.json", "r");
	assert_non_null(f);
	sb t = SB_INIT;
	assert_int_equal(sb_addfile(&t, f), 0);
	fclose(f);
	for (int i = 0; i < QCUE_NRULE; i++) {
		char q[64];
		snprintf(q, sizeof q, "\"%s\"", qcue_rule_name((enum qcue_rule)i));
		if (strstr(sb_str(&t), q) == NULL)
			fail_msg("the schema's waive lacks %s", q);
	}
	sb_free(&t);
}

static void
test_cued(void **state)
{
	qz_bank b;
	qcue_report r;
	(void)state;
	load_file(&b, "tests/data/questions/cues/cued.json");
	qcue_check(&b, &r);
	assert_int_equal(has(&r, "cued-long-key", QCUE_LONG_KEY), 1);
	assert_int_equal(has(&r, "cued-n-longest", QCUE_N_LONGEST), 1);
	/* "policies" in the stem meets "Policy" in the key (stemming) */
	assert_int_equal(has(&r, "cued-stem-word", QCUE_STEM_WORD), 1);
	/* an acronym shorter than 4 letters is a content word */
	assert_int_equal(has(&r, "cued-acronym", QCUE_STEM_WORD), 1);
	assert_int_equal(has(&r, "cued-topic-word", QCUE_TOPIC_WORD), 1);
	assert_int_equal(has(&r, "cued-case-leak", QCUE_CASE_LEAK), 1);
	/* the same set up to case and blanks */
	assert_int_equal(has(&r, "cued-reused-b", QCUE_REUSED), 1);
	assert_int_equal(has(&r, "cued-reused-a", QCUE_REUSED), 0);
	assert_int_equal(r.waived, 0);

	sb out = SB_INIT;
	qcue_format(&r, &out);
	const char *t = sb_str(&out);
	assert_non_null(strstr(t, "tests/data/questions/cues/cued.json:18:33: "
	    "questions[0].options[2]: long-key: the key has 71 characters, the "
	    "longest distractor 11"));
	assert_non_null(strstr(t, "cued.json:31:17: questions[1].answer: "
	    "n-longest: "));
	assert_non_null(strstr(t, "questions[2].stem: stem-word: the stem and "
	    "the key share \"policy\""));
	assert_non_null(strstr(t, "questions[3].stem: stem-word: the stem and "
	    "the key share \"tco\""));
	assert_non_null(strstr(t, "questions[4].topics: topic-word: the topic "
	    "tags name \"lock\", \"resource\""));
	assert_non_null(strstr(t, "cued.json:74:19: questions[5].options[0]: "
	    "case-leak: the case study cs-shop says the key"));
	assert_non_null(strstr(t, "questions[7].options: reused-distractors: the "
	    "same distractors as cued-reused-a (tests/data/questions/cues/"
	    "cued.json:86:18)"));
	/* every line is FILE:LINE:COL: path: rule: reason */
	size_t lines = 0;
	for (const char *s = t; *s; s++)
		lines += *s == '\n';
	assert_int_equal(lines, r.n);
	sb_free(&out);
	qcue_report_free(&r);
	qz_bank_free(&b);
}

static void
test_clean(void **state)
{
	qz_bank b;
	qcue_report r;
	(void)state;
	load_file(&b, "tests/data/questions/cues/clean.json");
	qcue_check(&b, &r);
	if (r.n) {
		sb out = SB_INIT;
		qcue_format(&r, &out);
		fail_msg("clean.json has findings:\n%s", sb_str(&out));
	}
	assert_int_equal(r.st.singles, 7);
	qcue_report_free(&r);
	qz_bank_free(&b);
}

/* A bank of n single items; the key of the first `longest` of them is
** one character longer than any distractor, elsewhere one shorter. */
static char *
gen_singles(int n, int longest, int abs_wrong)
{
	sb t = SB_INIT;
	sb_add(&t, "{\"bank\": \"gen\", \"questions\": [");
	for (int i = 0; i < n; i++) {
		const char *key = i < longest ? "Option number one" : "Option one";
		sb_addf(&t, "%s{\"id\": \"s%d\", \"type\": \"single\", "
		    "\"stem\": \"Question %d?\", \"options\": [\"%s\", "
		    "\"Option %d two %s\", \"Option %d three\", \"Option %d four\"], "
		    "\"answer\": 0, \"explanation\": \"x\", \"topics\": [\"t\"], "
		    "\"domain\": \"cloud-concepts\", \"objective\": \"1.1.1\"}",
		    i ? ", " : "", i, i, key, i,
		    i < abs_wrong ? "only" : "xx", i, i);
	}
	sb_add(&t, "]}");
	return sb_take(&t);
}

/* Findings of rule (on qid, or anywhere when qid is NULL) over the bank
** of gen_singles(); *st gets the bank figures. */
static int
singles_findings(int n, int longest, int abs_wrong, enum qcue_rule rule,
    const char *qid, qcue_stats *st)
{
	qz_bank b;
	qcue_report r;
	char *text = gen_singles(n, longest, abs_wrong);
	load_text(&b, text);
	qcue_check(&b, &r);
	int k = qid ? has(&r, qid, rule) : count_rule(&r, rule);
	if (st)
		*st = r.st;
	assert_int_equal(count_rule(&r, QCUE_LONG_KEY), 0);
	qcue_report_free(&r);
	qz_bank_free(&b);
	free(text);
	return k;
}

static void
test_longest_rate(void **state)
{
	qcue_stats st;
	(void)state;
	/* 4 of 10 (40%) against chance 25% + 10 points: found, at the first */
	assert_int_equal(singles_findings(10, 4, 0, QCUE_LONGEST_RATE, "s0",
	    &st), 1);
	assert_int_equal(st.singles, 10);
	assert_int_equal(st.key_longest, 4);
	/* 3 of 10 (30%): within the limit */
	assert_int_equal(singles_findings(10, 3, 0, QCUE_LONGEST_RATE, NULL,
	    NULL), 0);
	/* 9 of 9: too few items to judge */
	assert_int_equal(singles_findings(9, 9, 0, QCUE_LONGEST_RATE, NULL,
	    NULL), 0);
}

static void
test_absolute_options(void **state)
{
	qcue_stats st;
	(void)state;
	/* "only" on 5 wrong options and no keyed one: found */
	assert_int_equal(singles_findings(12, 0, 5, QCUE_ABSOLUTE, "s0", &st), 1);
	assert_int_equal(st.abs_wrong, 5);
	/* on 4: too few to judge */
	assert_int_equal(singles_findings(12, 0, 4, QCUE_ABSOLUTE, NULL, NULL), 0);
}

/* A bank of yes/no sets of 3 statements, one per answer pattern given as
** "ynn" strings; statement j of set i says "always" when abs[i][j] is
** 'A'. */
static char *
gen_yesno(const char *const *pat, const char *const *abs, int n)
{
	sb t = SB_INIT;
	sb_add(&t, "{\"bank\": \"gen\", \"questions\": [");
	for (int i = 0; i < n; i++) {
		sb_addf(&t, "%s{\"id\": \"y%d\", \"type\": \"yesno\", "
		    "\"stem\": \"For each statement, choose Yes or No.\", "
		    "\"statements\": [", i ? ", " : "", i);
		for (int j = 0; j < 3; j++)
			sb_addf(&t, "%s\"Statement %d of set %d %s.\"", j ? ", " : "",
			    j, i, abs && abs[i][j] == 'A' ? "always holds" : "holds");
		sb_add(&t, "], \"answer\": [");
		for (int j = 0; j < 3; j++)
			sb_addf(&t, "%s%s", j ? ", " : "",
			    pat[i][j] == 'y' ? "true" : "false");
		sb_add(&t, "], \"explanation\": \"x\", \"topics\": [\"t\"], "
		    "\"domain\": \"cloud-concepts\", \"objective\": \"1.1.1\"}");
	}
	sb_add(&t, "]}");
	return sb_take(&t);
}

static int
yesno_findings(const char *const *pat, const char *const *abs, int n,
    enum qcue_rule rule, const char *qid)
{
	qz_bank b;
	qcue_report r;
	char *text = gen_yesno(pat, abs, n);
	load_text(&b, text);
	qcue_check(&b, &r);
	int k = qid ? has(&r, qid, rule) : count_rule(&r, rule);
	qcue_report_free(&r);
	qz_bank_free(&b);
	free(text);
	return k;
}

static void
test_yesno_pattern(void **state)
{
	(void)state;
	/* 16 sets, always one or two No: chance gives 4 uniform sets */
	static const char *const mixed[] = {
		"yyn", "yny", "nyy", "ynn", "nyn", "nny", "yyn", "yny",
		"nyy", "ynn", "nyn", "nny", "yyn", "yny", "nyy", "ynn",
	};
	assert_int_equal(yesno_findings(mixed, NULL, 16, QCUE_YESNO_PATTERN, NULL), 1);
	/* the finding points at the first mixed set */
	assert_int_equal(yesno_findings(mixed, NULL, 16, QCUE_YESNO_PATTERN, "y0"), 1);
	/* roughly binomial: 2 all-Yes, 2 all-No among 16 */
	static const char *const binom[] = {
		"yyy", "nnn", "yyn", "yny", "nyy", "ynn", "nyn", "nny",
		"yyy", "nnn", "yyn", "yny", "nyy", "ynn", "nyn", "nny",
	};
	assert_int_equal(yesno_findings(binom, NULL, 16, QCUE_YESNO_PATTERN, NULL), 0);
	/* too few sets to say (chance gives 1.75 uniform sets of 7) */
	assert_int_equal(yesno_findings(mixed, NULL, 7, QCUE_YESNO_PATTERN, NULL), 0);
	/* 4 uniform sets, none all No, with 16 sets (chance: 2 all No) */
	static const char *const noallno[] = {
		"yyy", "yyy", "yyy", "yyy", "yyn", "ynn", "nyn", "nny",
		"ynn", "nyn", "nny", "ynn", "nyn", "nny", "ynn", "nyn",
	};
	assert_int_equal(yesno_findings(noallno, NULL, 16, QCUE_YESNO_PATTERN, NULL), 1);
	/* Yes on 24 of 30 statements: answering Yes pays */
	static const char *const yes[] = {
		"yyy", "yyy", "yyy", "yyy", "yyy", "nnn", "yyn", "yny",
		"nyy", "yyy",
	};
	assert_int_equal(yesno_findings(yes, NULL, 10, QCUE_YESNO_PATTERN, NULL), 1);
	assert_int_equal(yesno_findings(yes, NULL, 10, QCUE_YESNO_PATTERN, "y0"), 1);
}

static void
test_absolute_yesno(void **state)
{
	(void)state;
	static const char *const binom[] = {
		"yyy", "nnn", "yyn", "yny", "nyy", "ynn", "nyn", "nny",
		"yyy", "nnn", "yyn", "yny", "nyy", "ynn", "nyn", "nny",
	};
	/* "always" on 6 false statements (sets 1 and 5 to 7): found */
	static const char *const onfalse[] = {
		"...", "AAA", "...", "...", "...", ".A.", "A..", "A..",
		"...", "...", "...", "...", "...", "...", "...", "...",
	};
	assert_int_equal(yesno_findings(binom, onfalse, 16, QCUE_ABSOLUTE, "y1"), 1);
	/* on 4 false and 2 true statements: no cue */
	static const char *const mixed[] = {
		"AA.", "AAA", "...", "...", "...", ".A.", "...", "...",
		"...", "...", "...", "...", "...", "...", "...", "...",
	};
	assert_int_equal(yesno_findings(binom, mixed, 16, QCUE_ABSOLUTE, NULL), 0);
}

/* A waived rule is not reported for that question, only counted; a bank
** rule leaves the waiving questions out of its count. */
static void
test_waived(void **state)
{
	qz_bank b;
	qcue_report r;
	(void)state;
	const char *text = "{\"bank\": \"w\", \"questions\": [{\"id\": \"w1\", "
	    "\"type\": \"single\", \"stem\": \"Which one?\", \"options\": "
	    "[\"Geo-redundant storage with a copy in the paired region\", "
	    "\"LRS\", \"ZRS\"], \"answer\": 0, \"explanation\": \"x\", "
	    "\"topics\": [\"t\"], \"domain\": \"architecture-services\", "
	    "\"objective\": \"2.3.3\", \"waive\": {\"long-key\": \"The full "
	    "name is the point of the question.\", \"longest-key-rate\": "
	    "\"Counted apart.\"}}]}";
	load_text(&b, text);
	qcue_check(&b, &r);
	assert_int_equal(r.n, 0);
	assert_int_equal(r.waived, 1);
	assert_int_equal(r.st.singles, 0);	/* out of the rate */
	qcue_report_free(&r);
	qz_bank_free(&b);
}

/* Waivers: the shape is checked, the bits come back. */
static void
test_parse_waive(void **state)
{
	jx_doc d;
	(void)state;
	const char *ok = "{\"waive\": {\"long-key\": \"The key must name all "
	    "three services.\", \"topic-word\": \"x\"}}";
	assert_int_equal(jx_load_text(&d, "w.json", ok, strlen(ok)), 0);
	assert_int_equal(qcue_parse_waive(&d, d.root, ""),
	    (1u << QCUE_LONG_KEY) | (1u << QCUE_TOPIC_WORD));
	assert_int_equal(d.nerr, 0);
	jx_free(&d);

	const char *bad = "{\"waive\": {\"long-keys\": \"typo\", \"stem-word\": "
	    "\"  \", \"case-leak\": 3}}";
	assert_int_equal(jx_load_text(&d, "w.json", bad, strlen(bad)), 0);
	assert_int_equal(qcue_parse_waive(&d, d.root, ""), 0);
	assert_int_equal(d.nerr, 3);
	assert_non_null(strstr(sb_str(&d.errs), "waive.long-keys: unknown cue rule "
	    "\"long-keys\" (one of long-key, n-longest"));
	assert_non_null(strstr(sb_str(&d.errs), "waive.stem-word: must give the "
	    "reason"));
	jx_free(&d);

	const char *notobj = "{\"waive\": [\"long-key\"]}";
	assert_int_equal(jx_load_text(&d, "w.json", notobj, strlen(notobj)), 0);
	assert_int_equal(qcue_parse_waive(&d, d.root, ""), 0);
	assert_int_equal(d.nerr, 1);
	jx_free(&d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rule_names),
		cmocka_unit_test(test_cued),
		cmocka_unit_test(test_clean),
		cmocka_unit_test(test_longest_rate),
		cmocka_unit_test(test_absolute_options),
		cmocka_unit_test(test_yesno_pattern),
		cmocka_unit_test(test_absolute_yesno),
		cmocka_unit_test(test_parse_waive),
		cmocka_unit_test(test_waived),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
