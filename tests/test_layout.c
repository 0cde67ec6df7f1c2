/*
** test_layout.c: the layout of the terminal UI over every shipped
** scenario, every step, at 60x16, 80x24, 100x30 and 160x50.
**
** The UI runs headless (ui_headless_*): the real screens drawn by ncurses
** into /dev/null.  After every redraw the UI's own layout checks
** (ui_headless_check, ui/ui.c) report text written over other text, two
** texts run together, and a column header or key bar entry that was cut.
** Each scenario is stepped from its start to its end (questions answered,
** conflict dialogs looked at and closed), then finished (the checker's
** report), with the help overlay opened at the start; every frame must be
** clean.  A second test sends every key the scenario view lists and
** checks that something used it, so the key tables and the handlers
** cannot drift apart.
*/
#include "tests/testutil.h"

#include <curses.h>
#include <dirent.h>
#include <stdlib.h>

#include "lib/sb.h"
#include "quiz/qpl.h"
#include "quiz/qs.h"
#include "ui/ui.h"
#include "ui/scene-int.h"

static const int lay_sizes[][2] = {
	{ 60, 16 }, { 80, 24 }, { 100, 30 }, { 160, 50 }
};
#define LAY_NSIZES (sizeof lay_sizes / sizeof lay_sizes[0])

/* What the checks found, across the whole test; the first ones are
** printed in full. */
static sb lay_report = SB_INIT;
static size_t lay_nproblems;

static void
lay_check(ui_app *a, const char *where, int w, int h, size_t pos)
{
	sb p = SB_INIT;
	size_t n = ui_headless_check(a, &p);
	if (n) {
		if (lay_nproblems < 40 || getenv("LAYOUT_ALL"))
			sb_addf(&lay_report, "%s %dx%d step %zu (%s):\n%s", where,
			    w, h, pos, ui_headless_top(a), sb_str(&p));
		lay_nproblems += n;
	}
	sb_free(&p);
}

static void
lay_type(ui_app *a, const char *s)
{
	for (; *s; s++)
		ui_headless_key(a, (unsigned char)*s);
}

/* Answers the question on top with the first answer of a list that the
** question takes (the answers differ by item type); the step then runs. */
static void
lay_answer(ui_app *a, const char *where, int w, int h)
{
	static const char *const tries[] = {
		"a", "a b", "a a", "a a a", "a b c", "a a a a", "y", "y y",
		"y y y", "y y y y", "y y y y y", "y y y y y y"
	};
	size_t pos = ui_headless_pos(a);
	for (size_t i = 0; i < sizeof tries / sizeof tries[0]; i++) {
		ui_headless_key(a, 21);		/* ^U: clear the line */
		lay_type(a, tries[i]);
		ui_headless_key(a, '\r');
		if (ui_headless_pos(a) != pos) {
			lay_check(a, where, w, h, pos);
			ui_headless_key(a, '\r');	/* close, go on */
			return;
		}
	}
	fail_msg("%s %dx%d: no answer fits the question of step %zu", where,
	    w, h, pos + 1);
}

/* Closes whatever dialog is on top of the scenario view. */
static void
lay_close_dialogs(ui_app *a)
{
	for (int i = 0; i < 8 && strcmp(ui_headless_top(a), "scene") != 0;
	    i++)
		ui_headless_key(a, 27);
}

static void
lay_scenario(const char *path, int w, int h)
{
	FILE *out = fopen("/dev/null", "w");
	assert_non_null(out);
	ui_opts o;
	memset(&o, 0, sizeof o);
	o.start = UI_START_SCENARIO;
	o.scenario = path;
	o.datadir = "scenarios";
	sb err = SB_INIT;
	ui_app *a = ui_headless_new(&o, w, h, out, &err);
	if (a == NULL)
		fail_msg("%s: %s", path, sb_str(&err));
	sb_free(&err);
	lay_check(a, path, w, h, 0);
	ui_headless_key(a, '?');
	lay_check(a, path, w, h, 0);
	ui_headless_key(a, 'G');		/* scroll the help to its end */
	lay_check(a, path, w, h, 0);
	ui_headless_key(a, 27);
	size_t count = ui_headless_count(a);
	for (size_t guard = 0; guard < 4 * count + 8; guard++) {
		size_t pos = ui_headless_pos(a);
		if (pos >= count)
			break;
		ui_headless_key(a, 'l');
		lay_check(a, path, w, h, pos);
		if (strcmp(ui_headless_top(a), "ask") == 0)
			lay_answer(a, path, w, h);
		if (strcmp(ui_headless_top(a), "scene") != 0) {
			/* A conflict dialog or a message: look, close. */
			lay_check(a, path, w, h, ui_headless_pos(a));
			lay_close_dialogs(a);
		}
		lay_check(a, path, w, h, ui_headless_pos(a));
	}
	assert_int_equal(ui_headless_pos(a), count);
	ui_headless_key(a, 'l');		/* the end of the script */
	lay_check(a, path, w, h, count);
	lay_close_dialogs(a);
	ui_headless_key(a, 'F');		/* final sync, checker */
	lay_check(a, path, w, h, count);
	lay_close_dialogs(a);
	lay_check(a, path, w, h, count);
	ui_headless_free(a);
	fclose(out);
}

static void
test_every_scenario_every_size(void **state)
{
	(void)state;
	DIR *d = opendir("scenarios");
	assert_non_null(d);
	struct dirent *e;
	size_t nscn = 0;
	while ((e = readdir(d)) != NULL) {
		size_t n = strlen(e->d_name);
		if (n < 6 || strcmp(e->d_name + n - 5, ".json") != 0)
			continue;
		char path[512];
		snprintf(path, sizeof path, "scenarios/%s", e->d_name);
		for (size_t i = 0; i < LAY_NSIZES; i++)
			lay_scenario(path, lay_sizes[i][0], lay_sizes[i][1]);
		nscn++;
	}
	closedir(d);
	assert_true(nscn > 0);
	if (lay_nproblems) {
		printf("%zu layout problems; the first ones:\n%s",
		    lay_nproblems, sb_str(&lay_report));
		lay_nproblems = 0;
		sb_reset(&lay_report);
		fail();
	}
}

/* The Home screen and its Learn list at every size. */
static void
test_home_every_size(void **state)
{
	(void)state;
	for (size_t i = 0; i < LAY_NSIZES; i++) {
		int w = lay_sizes[i][0], h = lay_sizes[i][1];
		FILE *out = fopen("/dev/null", "w");
		assert_non_null(out);
		ui_opts o;
		memset(&o, 0, sizeof o);
		o.start = UI_START_HOME;
		o.datadir = "scenarios";
		sb err = SB_INIT;
		ui_app *a = ui_headless_new(&o, w, h, out, &err);
		assert_non_null(a);
		sb_free(&err);
		lay_check(a, "home", w, h, 0);
		ui_headless_key(a, '\r');	/* Learn */
		for (int k = 0; k < 24; k++) {
			lay_check(a, "home learn", w, h, (size_t)k);
			ui_headless_key(a, 'j');
		}
		ui_headless_key(a, '?');
		lay_check(a, "home help", w, h, 0);
		ui_headless_free(a);
		fclose(out);
	}
	if (lay_nproblems) {
		printf("%zu layout problems; the first ones:\n%s",
		    lay_nproblems, sb_str(&lay_report));
		lay_nproblems = 0;
		sb_reset(&lay_report);
		fail();
	}
}

/* The quiz screens on the test bank at every size: practice with its
** feedback and summary, a mock exam (its start, questions of every type,
** the review list, the result), review and progress. */
static void
test_quiz_every_size(void **state)
{
	(void)state;
	static const struct {
		ui_start	 start;
		const char	*keys;
	} runs[] = {
		{ UI_START_PRACTICE, "yny\r\rq" },
		{ UI_START_EXAM, "\rca\001b\001yny\001ac\001r\033\001ab" },
		{ UI_START_EXAM, "\rcab\rsy" },
		{ UI_START_REVIEW, "\r" },
		{ UI_START_STATS, "" },
	};
	char db[] = "/tmp/test_layout_db.XXXXXX";
	int fd = mkstemp(db);
	assert_true(fd >= 0);
	close(fd);
	for (size_t i = 0; i < LAY_NSIZES; i++)
		for (size_t k = 0; k < sizeof runs / sizeof runs[0]; k++) {
			int w = lay_sizes[i][0], h = lay_sizes[i][1];
			unlink(db);
			FILE *out = fopen("/dev/null", "w");
			assert_non_null(out);
			qs_opts q;
			memset(&q, 0, sizeof q);
			q.domain = -1;
			q.now_ms = qpl_clock();
			q.seed = 3;
			q.count = 9;
			ui_opts o;
			memset(&o, 0, sizeof o);
			o.start = runs[k].start;
			o.quiz = &q;
			o.bank_dir = "tests/data/questions";
			o.db_path = db;
			sb err = SB_INIT;
			ui_app *a = ui_headless_new(&o, w, h, out, &err);
			if (a == NULL)
				fail_msg("quiz %zu: %s", k, sb_str(&err));
			sb_free(&err);
			lay_check(a, "quiz", w, h, k);
			for (const char *p = runs[k].keys; *p; p++) {
				/* \x01 stands for Right (the next question). */
				ui_headless_key(a, *p == 1 ? KEY_RIGHT :
				    (unsigned char)*p);
				lay_check(a, "quiz", w, h, k);
			}
			ui_headless_key(a, '?');
			lay_check(a, "quiz help", w, h, k);
			ui_headless_free(a);
			fclose(out);
		}
	unlink(db);
	if (lay_nproblems) {
		printf("%zu layout problems; the first ones:\n%s",
		    lay_nproblems, sb_str(&lay_report));
		lay_nproblems = 0;
		sb_reset(&lay_report);
		fail();
	}
}

/* The key code of one key name as the key tables write them, or -1. */
static int
lay_keycode(const char *n)
{
	static const struct {
		const char	*name;
		int		 key;
	} names[] = {
		{ "Right", KEY_RIGHT }, { "Left", KEY_LEFT }, { "Up", KEY_UP },
		{ "Down", KEY_DOWN }, { "Space", ' ' }, { "Tab", '\t' },
		{ "Shift-Tab", KEY_BTAB }, { "Enter", '\r' }, { "Esc", 27 },
		{ "PgDn", KEY_NPAGE }, { "PgUp", KEY_PPAGE }, { "1-9", '1' }
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(n, names[i].name) == 0)
			return names[i].key;
	return n[0] && n[1] == '\0' ? (unsigned char)n[0] : -1;
}

/* Every key the scenario view lists (its key bar and help) is used by
** its handler: sent to a challenge at the end of its script, each one
** does something (ui_headless_key returns 1). */
static void
test_scene_keys_all_handled(void **state)
{
	(void)state;
	for (const struct ui_key *k = ui_scene_keys; k->keys; k++) {
		char buf[64];
		snprintf(buf, sizeof buf, "%s", k->keys);
		/* "l, Right", "j/k, Down/Up", "+ / -": split on , / and
		** blanks. */
		for (char *tok = strtok(buf, ",/ "); tok;
		    tok = strtok(NULL, ",/ ")) {
			int code = lay_keycode(tok);
			if (code < 0)
				fail_msg("key table entry \"%s\": no key named "
				    "\"%s\"", k->keys, tok);
			FILE *out = fopen("/dev/null", "w");
			assert_non_null(out);
			ui_opts o;
			memset(&o, 0, sizeof o);
			o.start = UI_START_SCENARIO;
			o.scenario = "scenarios/both-edits.json";
			o.datadir = "scenarios";
			sb err = SB_INIT;
			ui_app *a = ui_headless_new(&o, 100, 30, out, &err);
			assert_non_null(a);
			sb_free(&err);
			for (int i = 0; i < 5; i++)
				ui_headless_key(a, 'l');
			if (!ui_headless_key(a, code))
				fail_msg("key %s (\"%s\") does nothing in the "
				    "scenario view", tok, k->help);
			ui_headless_free(a);
			fclose(out);
		}
	}
}

int
main(void)
{
	if (tu_to_tree("scenarios/first-sync.json") != 0) {
		fprintf(stderr, "test_layout: run it from the source tree\n");
		return 1;
	}
	/* Completion marks go to a fresh folder, not the user's. */
	char home[] = "/tmp/test_layout.XXXXXX";
	if (mkdtemp(home) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	setenv("SYNCLAB_HOME", home, 1);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_scenario_every_size),
		cmocka_unit_test(test_home_every_size),
		cmocka_unit_test(test_quiz_every_size),
		cmocka_unit_test(test_scene_keys_all_handled),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	sb_free(&lay_report);
	char marks[sizeof home + 32];
	snprintf(marks, sizeof marks, "%s/completed-scenarios", home);
	unlink(marks);
	rmdir(home);
	return rc;
}
