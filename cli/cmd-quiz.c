/*
** cmd-quiz.c: quiz, exam, review and stats.
**
** Each command parses its options, loads the bank and the progress store,
** starts a session (quiz/qs.h) and hands it to a front end: the terminal
** screens (ui/uq.h) when stdin and stdout are terminals and --plain is not
** given, else plain mode (quiz/qpl.h).
*/
#include "cli/cmd.h"
#include "lib/xmem.h"
#include "quiz/qdb.h"
#include "quiz/qpl.h"
#include "quiz/qrd.h"
#include "quiz/qs.h"
#include "quiz/qst.h"
#include "quiz/qz.h"
#include "sim/scn.h"
#include "ui/ui.h"

#include <errno.h>
#include <getopt.h>
#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/* Which options a command takes. */
#define QO_TOPIC	0x01
#define QO_DOMAIN	0x02
#define QO_COUNT	0x04
#define QO_SEED		0x08
#define QO_MINUTES	0x10
#define QO_FORMAT	0x20
#define QO_SESSION	0x40	/* --plain, --bank */
#define QO_PLAIN	0x80	/* --plain alone (stats) */
#define QO_BANK		0x100	/* --bank alone (stats) */
#define QO_MERGE	0x200	/* --merge (stats) */

typedef struct quiz_args {
	const char	*topic;
	int		 domain;
	size_t		 count;
	uint64_t	 seed;
	int		 have_seed;
	int		 minutes;
	int		 plain;
	int		 blocked;
	const char	*db;
	const char	*bank;
	const char	*format;
	int		 have_format;
	const char	*merge;		/* stats --merge DIR */
	int		 no_color, ascii, no_mouse;	/* the screens */
} quiz_args;

static int
quiz_number(const struct cmd_entry *e, const char *opt, const char *arg,
    unsigned long long max, unsigned long long *out)
{
	unsigned long long v;
	if (cmd_parse_uint(arg, max, &v) != 0 ||
	    (v == 0 && strcmp(opt, "--seed") != 0))
		return cmd_usage_error(e, "%s wants a whole number%s, not \"%s\"",
		    opt, strcmp(opt, "--seed") ? " above 0" : "", arg);
	*out = v;
	return 0;
}

/* Returns 0, or the exit status of a usage error (2), or -1 for --help. */
static int
quiz_parse(const struct cmd_entry *e, int allowed, int argc, char **argv,
    quiz_args *a)
{
	static const struct option longopts[] = {
		{ "topic", required_argument, NULL, 't' },
		{ "domain", required_argument, NULL, 'd' },
		{ "count", required_argument, NULL, 'n' },
		{ "seed", required_argument, NULL, 's' },
		{ "minutes", required_argument, NULL, 'm' },
		{ "format", required_argument, NULL, 'f' },
		{ "plain", no_argument, NULL, 'p' },
		{ "blocked", no_argument, NULL, 'B' },
		{ "db", required_argument, NULL, 'D' },
		{ "bank", required_argument, NULL, 'b' },
		{ "merge", required_argument, NULL, 'G' },
		{ "no-color", no_argument, NULL, 'C' },
		{ "no-colour", no_argument, NULL, 'C' },
		{ "ascii", no_argument, NULL, 'A' },
		{ "no-mouse", no_argument, NULL, 'M' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	unsigned long long v;
	int opt;
	memset(a, 0, sizeof *a);
	a->domain = -1;
	a->format = "text";
	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		int need = 0;
		switch (opt) {
		case 't': need = QO_TOPIC; break;
		case 'd': need = QO_DOMAIN; break;
		case 'n': need = QO_COUNT; break;
		case 's': need = QO_SEED; break;
		case 'm': need = QO_MINUTES; break;
		case 'f': need = QO_FORMAT; break;
		case 'p': case 'C': case 'A': case 'M':
			need = QO_SESSION | QO_PLAIN;
			break;
		case 'b': need = QO_SESSION | QO_BANK; break;
		case 'G': need = QO_MERGE; break;
		case 'B': need = QO_TOPIC; break;
		case 'D': case 'h': need = 0; break;
		default:
			return cmd_usage_error(e, "unknown option or missing value: %s",
			    argv[optind - 1]);
		}
		if (need && !(allowed & need))
			return cmd_usage_error(e, "%s takes no %s", e->name, argv[optind - 1]);
		switch (opt) {
		case 'h':
			cmd_help(e);
			return -1;
		case 't':
			a->topic = optarg;
			break;
		case 'G':
			a->merge = optarg;
			break;
		case 'd':
			a->domain = qz_domain_parse(optarg);
			if (a->domain < 0)
				return cmd_usage_error(e, "unknown domain \"%s\" (cloud-concepts, architecture-services or management-governance)",
				    optarg);
			break;
		case 'n':
			if (quiz_number(e, "--count", optarg, 100000, &v))
				return 2;
			a->count = (size_t)v;
			break;
		case 's':
			if (quiz_number(e, "--seed", optarg, UINT64_MAX, &v))
				return 2;
			a->seed = v;
			a->have_seed = 1;
			break;
		case 'm':
			if (quiz_number(e, "--minutes", optarg, 600, &v))
				return 2;
			a->minutes = (int)v;
			break;
		case 'f':
			if (strcmp(optarg, "text") && strcmp(optarg, "json") &&
			    strcmp(optarg, "csv"))
				return cmd_usage_error(e, "--format is text, json or csv, not \"%s\"",
				    optarg);
			a->format = optarg;
			a->have_format = 1;
			break;
		case 'p':
			a->plain = 1;
			break;
		case 'C':
			a->no_color = 1;
			break;
		case 'A':
			a->ascii = 1;
			break;
		case 'M':
			a->no_mouse = 1;
			break;
		case 'B':
			a->blocked = 1;
			break;
		case 'D':
			a->db = optarg;
			break;
		case 'b':
			a->bank = optarg;
			break;
		}
	}
	if (optind < argc)
		return cmd_usage_error(e, "unexpected argument \"%s\"", argv[optind]);
	return 0;
}

/* The question files: --bank, else the bundled bank. */
static const char *
quiz_bank_path(const quiz_args *a)
{
	return a->bank ? a->bank : cmd_datadir("data/questions");
}

static qdb *
quiz_open_db(const quiz_args *a)
{
	sb err = SB_INIT;
	qdb *db = qdb_open(a->db, &err);
	if (db == NULL)
		fprintf(stderr, "synclab: progress store: %s\n", sb_str(&err));
	sb_free(&err);
	return db;
}

static int
quiz_load_bank(const quiz_args *a, qz_bank *b)
{
	sb err = SB_INIT;
	const char *paths[1] = { quiz_bank_path(a) };
	int n = qz_bank_load(b, paths, 1, &err);
	if (n > 0)
		fprintf(stderr, "%s", sb_str(&err));
	sb_free(&err);
	return n;
}

/* The terminal screens run when both ends are terminals and --plain is
** not given. */
static int
quiz_tty(const quiz_args *a)
{
	return !a->plain && isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
}

static void
quiz_opts(const quiz_args *a, enum qs_kind kind, int64_t now, qs_opts *o)
{
	memset(o, 0, sizeof *o);
	o->kind = kind;
	o->topic = a->topic;
	o->domain = a->domain;
	o->count = a->count;
	o->seed = a->have_seed ? a->seed : (uint64_t)now;
	o->minutes = a->minutes;
	o->blocked = a->blocked;
	o->now_ms = now;
}

/* The screens load the bank and open the store themselves (start: which
** screen; q NULL for progress); failures are printed before the terminal
** is used. */
static int
quiz_screens(const quiz_args *a, ui_start start, const qs_opts *q)
{
	ui_opts u;
	memset(&u, 0, sizeof u);
	u.start = start;
	u.quiz = q;
	u.bank_dir = quiz_bank_path(a);
	u.db_path = a->db;
	u.no_color = a->no_color;
	u.ascii = a->ascii;
	u.no_mouse = a->no_mouse;
	return ui_main(&u);
}

/* Plain mode: --plain, or stdin or stdout is not a terminal. */
static int
quiz_front_end(qs_session *s)
{
	qpl_io io = { stdin, stdout, qpl_clock, !isatty(STDIN_FILENO) };
	switch (s->kind) {
	case QS_PRACTICE:
		return qpl_practice(s, &io);
	case QS_EXAM:
		return qpl_exam(s, &io);
	case QS_REVIEW:
		return qpl_review(s, &io);
	}
	return 1;
}

static int
quiz_session(const struct cmd_entry *e, int allowed, enum qs_kind kind,
    ui_start screen, int argc, char **argv)
{
	quiz_args a;
	int rc = quiz_parse(e, allowed, argc, argv, &a);
	if (rc)
		return rc < 0 ? 0 : rc;
	qs_opts o;
	/* Review may ask the scenarios' questions too: a question met in a
	** scenario is a review card like any other. */
	scn_asks asks;
	memset(&asks, 0, sizeof asks);
	if (kind == QS_REVIEW)
		scn_asks_load(cmd_datadir("scenarios"), &asks);
	if (quiz_tty(&a)) {
		quiz_opts(&a, kind, qpl_clock(), &o);
		o.extra = asks.q;
		o.nextra = asks.nq;
		rc = quiz_screens(&a, screen, &o);
		scn_asks_free(&asks);
		return rc;
	}
	qz_bank bank;
	if (quiz_load_bank(&a, &bank) > 0) {
		qz_bank_free(&bank);
		scn_asks_free(&asks);
		return 1;
	}
	qdb *db = quiz_open_db(&a);
	if (db == NULL) {
		qz_bank_free(&bank);
		scn_asks_free(&asks);
		return 1;
	}
	int64_t now = qpl_clock();
	quiz_opts(&a, kind, now, &o);
	o.extra = asks.q;
	o.nextra = asks.nq;
	if (kind == QS_REVIEW) {
		sb due = SB_INIT;
		qpl_due_line(db, now, &due);
		fputs(sb_str(&due), stdout);
		sb_free(&due);
	}
	sb err = SB_INIT;
	qs_session *s = qs_start(&bank, db, &o, &err);
	if (s == NULL) {
		/* Nothing due is good news, not an error. */
		if (kind == QS_REVIEW && err.len && strncmp(sb_str(&err), "nothing", 7) == 0) {
			printf("Nothing is due for review now.\n");
			rc = 0;
		} else {
			fprintf(stderr, "synclab: %s: %s\n", e->name, sb_str(&err));
			rc = 1;
		}
	} else {
		if (kind != QS_REVIEW)
			printf("Seed %llu (--seed %llu repeats this draw).\n",
			    (unsigned long long)o.seed, (unsigned long long)o.seed);
		rc = quiz_front_end(s);
		qs_free(s);
	}
	sb_free(&err);
	qdb_close(db);
	qz_bank_free(&bank);
	scn_asks_free(&asks);
	return rc;
}

static int
quiz_exec(int argc, char **argv)
{
	return quiz_session(&cmd_quiz_entry, QO_TOPIC | QO_DOMAIN | QO_COUNT |
	    QO_SEED | QO_SESSION, QS_PRACTICE, UI_START_PRACTICE, argc, argv);
}

static int
exam_exec(int argc, char **argv)
{
	return quiz_session(&cmd_exam_entry, QO_COUNT | QO_SEED | QO_MINUTES |
	    QO_SESSION, QS_EXAM, UI_START_EXAM, argc, argv);
}

static int
review_exec(int argc, char **argv)
{
	return quiz_session(&cmd_review_entry, QO_COUNT | QO_SEED | QO_SESSION,
	    QS_REVIEW, UI_START_REVIEW, argc, argv);
}

static int
quiz_utf8(void)
{
	setlocale(LC_CTYPE, "");
	const char *cs = nl_langinfo(CODESET);
	int yes = cs && (strcasecmp(cs, "UTF-8") == 0 || strcasecmp(cs, "utf8") == 0);
	setlocale(LC_CTYPE, "C");
	return yes;
}

static int
stats_exec(int argc, char **argv)
{
	quiz_args a;
	int rc = quiz_parse(&cmd_stats_entry, QO_FORMAT | QO_PLAIN | QO_BANK |
	    QO_MERGE, argc, argv, &a);
	if (rc)
		return rc < 0 ? 0 : rc;
	if (a.merge) {
		/* A class: one store per student, no screen. */
		qz_bank mb;
		if (quiz_load_bank(&a, &mb) > 0) {
			qz_bank_free(&mb);
			return 1;
		}
		rc = cmd_stats_merge(a.merge, a.format, &mb, qpl_clock() / 1000);
		qz_bank_free(&mb);
		return rc;
	}
	if (!a.have_format && quiz_tty(&a))
		return quiz_screens(&a, UI_START_STATS, NULL);
	/* The bank gives each answered question its outline line and
	** difficulty (readiness). */
	qz_bank bank;
	if (quiz_load_bank(&a, &bank) > 0) {
		qz_bank_free(&bank);
		return 1;
	}
	qdb *db = quiz_open_db(&a);
	if (db == NULL) {
		qz_bank_free(&bank);
		return 1;
	}
	qst_stats st;
	qrd_report ready;
	sb err = SB_INIT, out = SB_INIT;
	int64_t now = qpl_clock() / 1000;
	memset(&ready, 0, sizeof ready);	/* qrd_free() of nothing is fine */
	if (qst_load(db, now, &st, &err) != 0 ||
	    qrd_load(db, &bank, now, &ready, &err) != 0) {
		fprintf(stderr, "synclab: stats: %s\n", sb_str(&err));
		rc = 1;
	} else {
		st.ready = &ready;
		if (strcmp(a.format, "json") == 0)
			qst_format_json(&st, &out);
		else if (strcmp(a.format, "csv") == 0)
			qst_format_csv(&st, &out);
		else
			qst_format_text(&st, quiz_utf8(), &out);
		fputs(sb_str(&out), stdout);
	}
	qst_free(&st);
	qrd_free(&ready);
	sb_free(&err);
	sb_free(&out);
	qdb_close(db);
	qz_bank_free(&bank);
	return rc;
}

#define QUIZ_COMMON \
	"  --bank DIR     question files to use (default: the bundled bank)\n" \
	"  --db PATH      progress store (default: $SYNCLAB_HOME/progress.db,\n" \
	"                 else $XDG_DATA_HOME/synclab/progress.db, else\n" \
	"                 ~/.local/share/synclab/progress.db)\n" \
	"  --plain        plain lines (also when stdin or stdout is not a terminal)\n" \
	"  --no-color (or --no-colour), --ascii, --no-mouse   for the terminal\n" \
	"                 screens (NO_COLOR=1 also turns colour off)\n" \
	"SYNCLAB_NOW=2026-03-01T09:00:00Z fixes the clock (tests).\n" \
	"See docs/quiz.md for the answer syntax and the commands.\n"

const struct cmd_entry cmd_quiz_entry = {
	"quiz",
	"quiz [--topic T] [--domain D] [--count N] [--seed N] [--blocked] [--plain] [--db PATH] [--bank DIR]",
	"practice with feedback after each answer",
	"Practice: questions from every domain, mixed (interleaved), with the\n"
	"right answer and its explanation after each one; at the end a summary\n"
	"and an offer to retry the ones you missed.\n\n"
	"  --topic T      only questions tagged T\n"
	"  --domain D     cloud-concepts, architecture-services or management-governance\n"
	"  --count N      how many questions (default 10)\n"
	"  --seed N       the draw and the option order (default: from the clock)\n"
	"  --blocked      do not mix domains\n"
	QUIZ_COMMON,
	quiz_exec
};

const struct cmd_entry cmd_exam_entry = {
	"exam",
	"exam [--count N] [--minutes M] [--seed N] [--plain] [--db PATH] [--bank DIR]",
	"a timed mock AZ-900 exam, scored 1-1000",
	"A mock exam: questions drawn across the domains in the proportions of\n"
	"the exam outline, no feedback until you submit (or time runs out),\n"
	"then a score on 1-1000 (700 passes), a breakdown per domain and topic,\n"
	"and every question with your answer, the right one and why.\n\n"
	"  --count N      questions (default 50)\n"
	"  --minutes M    time limit (default 45)\n"
	"  --seed N       the draw (default: from the clock)\n"
	"Commands while answering: next, prev, go N, flag, list, submit, ?, q.\n"
	QUIZ_COMMON,
	exam_exec
};

const struct cmd_entry cmd_review_entry = {
	"review",
	"review [--count N] [--seed N] [--plain] [--db PATH] [--bank DIR]",
	"spaced review of the questions you have met (SM-2)",
	"Spaced review: every question you have answered is a card, scheduled\n"
	"as Anki's SM-2 variant.  Shows what is due now; a wrong answer counts\n"
	"as Again, after a right one you rate it h (hard), g (good, default) or\n"
	"e (easy).\n\n"
	"  --count N      at most N cards (default: all due)\n"
	"  --seed N       the option order\n"
	QUIZ_COMMON,
	review_exec
};

const struct cmd_entry cmd_stats_entry = {
	"stats",
	"stats [--format text|json|csv] [--plain] [--db PATH] [--bank DIR] [--merge DIR]",
	"your progress: accuracy, readiness, trend, due forecast, exams",
	"Progress: attempts, score per domain and per topic (weakest first),\n"
	"readiness for the real exam (the chance of 700 or more, overall and per\n"
	"domain, with an interval) and the results per outline line, weakest\n"
	"first, the last 14 days as a trend line, the review cards due in the\n"
	"next 7 days and the mock exam history.  Days are UTC days.\n\n"
	"  --format F     text (default), json or csv\n"
	"  --bank DIR     the question files the answers belong to (default:\n"
	"                 the bundled bank)\n"
	"  --plain        the text report even on a terminal (which otherwise\n"
	"                 opens the progress screen)\n"
	"  --no-color (or --no-colour), --ascii, --no-mouse   for the progress\n"
	"                 screen\n"
	"  --db PATH      progress store\n"
	"  --merge DIR    a class: every *.db in DIR is one student's progress\n"
	"                 store, named after the student (ana.db); prints one\n"
	"                 grade book, per student, per domain and per outline\n"
	"                 line: text (a table), csv (student,kind,name,attempts,\n"
	"                 right,percent,value) or json (each student's stats)\n",
	stats_exec
};
