/*
** screendump.c: one screen of the terminal UI, drawn headless and printed
** as text (ui_headless_dump), for tests/sh/tui_screens.sh and
** `make screens`.
**
**   screendump [options] START [SCENARIO] [-- KEY...]
**
**   START       home, sim (SCENARIO: a file or a shipped id), sandbox,
**               quiz, exam, review, stats
**   --size WxH  the terminal (default 100x30)
**   --no-color  monochrome (as --no-color; NO_COLOR works too)
**   --ascii     ASCII line drawing
**   --text      the text only (no cursor, styles, legend)
**   --datadir D the shipped scenarios folder (ids, the Home list)
**   --bank D    the question bank; --db P the progress store
**   --seed N, --count N, --devices N   as the commands take them
**
** Each KEY is one key: a name (Enter, Esc, Tab, BTab, Space, Bsp, Up,
** Down, Left, Right, PgUp, PgDn, Home, End, F1, C-a ... C-z), or text
** typed one byte at a time.  Exit status 0, 1 when the start screen does
** not open, 2 on a usage error.
*/
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/sb.h"
#include "quiz/qpl.h"
#include "quiz/qs.h"
#include "ui/ui.h"

static const struct {
	const char	*name;
	int		 key;
} sd_keys[] = {
	{ "Enter", '\r' }, { "Esc", 27 }, { "Tab", '\t' },
	{ "BTab", KEY_BTAB }, { "Space", ' ' }, { "Bsp", KEY_BACKSPACE },
	{ "Up", KEY_UP }, { "Down", KEY_DOWN }, { "Left", KEY_LEFT },
	{ "Right", KEY_RIGHT }, { "PgUp", KEY_PPAGE }, { "PgDn", KEY_NPAGE },
	{ "Home", KEY_HOME }, { "End", KEY_END }, { "F1", KEY_F(1) }
};

static int
sd_usage(const char *why)
{
	fprintf(stderr, "screendump: %s\nusage: screendump [--size WxH] "
	    "[--no-color] [--ascii] [--text] [--datadir D] [--bank D] "
	    "[--db P] [--seed N] [--count N] [--devices N] START [SCENARIO] "
	    "[-- KEY...]\n", why);
	return 2;
}

static void
sd_send(ui_app *a, const char *k)
{
	for (size_t i = 0; i < sizeof sd_keys / sizeof sd_keys[0]; i++)
		if (strcmp(k, sd_keys[i].name) == 0) {
			ui_headless_key(a, sd_keys[i].key);
			return;
		}
	if (k[0] == 'C' && k[1] == '-' && k[2] >= 'a' && k[2] <= 'z' &&
	    k[3] == '\0') {
		ui_headless_key(a, k[2] - 'a' + 1);
		return;
	}
	for (const char *p = k; *p; p++)
		ui_headless_key(a, (unsigned char)*p);
}

int
main(int argc, char **argv)
{
	ui_opts o;
	qs_opts q;
	memset(&o, 0, sizeof o);
	memset(&q, 0, sizeof q);
	q.domain = -1;
	q.now_ms = qpl_clock();
	q.seed = 1;
	int cols = 100, lines = 30, styles = 1, i = 1;
	for (; i < argc && strncmp(argv[i], "--", 2) == 0 && argv[i][2];
	    i++) {
		const char *opt = argv[i], *v = i + 1 < argc ? argv[i + 1] :
		    NULL;
		if (strcmp(opt, "--no-color") == 0)
			o.no_color = 1;
		else if (strcmp(opt, "--ascii") == 0)
			o.ascii = 1;
		else if (strcmp(opt, "--text") == 0)
			styles = 0;
		else if (v == NULL)
			return sd_usage("an option without its value");
		else if (i++, strcmp(opt, "--size") == 0) {
			if (sscanf(v, "%dx%d", &cols, &lines) != 2 ||
			    cols < 10 || lines < 5 || cols > 500 || lines > 200)
				return sd_usage("--size takes WxH");
		} else if (strcmp(opt, "--datadir") == 0)
			o.datadir = v;
		else if (strcmp(opt, "--bank") == 0)
			o.bank_dir = v;
		else if (strcmp(opt, "--db") == 0)
			o.db_path = v;
		else if (strcmp(opt, "--seed") == 0) {
			o.has_seed = 1;
			o.seed = q.seed = strtoull(v, NULL, 10);
		} else if (strcmp(opt, "--count") == 0)
			q.count = strtoul(v, NULL, 10);
		else if (strcmp(opt, "--devices") == 0)
			o.ndevices = strtoul(v, NULL, 10);
		else
			return sd_usage("unknown option");
	}
	if (i >= argc)
		return sd_usage("no START");
	static const struct {
		const char	*name;
		ui_start	 start;
	} starts[] = {
		{ "home", UI_START_HOME }, { "sim", UI_START_SCENARIO },
		{ "sandbox", UI_START_SANDBOX }, { "quiz", UI_START_PRACTICE },
		{ "exam", UI_START_EXAM }, { "review", UI_START_REVIEW },
		{ "stats", UI_START_STATS }
	};
	size_t k = 0;
	while (k < sizeof starts / sizeof starts[0] &&
	    strcmp(starts[k].name, argv[i]) != 0)
		k++;
	if (k == sizeof starts / sizeof starts[0])
		return sd_usage("unknown START");
	o.start = starts[k].start;
	o.quiz = &q;
	i++;
	if (o.start == UI_START_SCENARIO) {
		if (i >= argc)
			return sd_usage("sim needs a SCENARIO");
		o.scenario = argv[i++];
	}
	if (i < argc && strcmp(argv[i], "--") == 0)
		i++;
	FILE *out = fopen("/dev/null", "w");
	if (out == NULL)
		return 1;
	sb err = SB_INIT;
	ui_app *a = ui_headless_new(&o, cols, lines, out, &err);
	if (a == NULL) {
		fprintf(stderr, "%s", sb_str(&err));
		sb_free(&err);
		fclose(out);
		return 1;
	}
	sb_free(&err);
	/* The keys come as one burst: each but the last finds the next one
	** waiting, as keys typed ahead would. */
	for (; i < argc; i++) {
		ui_headless_typeahead(a, i + 1 < argc);
		sd_send(a, argv[i]);
	}
	sb screen = SB_INIT;
	ui_headless_dump(a, styles, &screen);
	ui_headless_free(a);
	fclose(out);
	fputs(sb_str(&screen), stdout);
	sb_free(&screen);
	return 0;
}
