/*
** cmd.h: subcommands as data (as tmux's cmd_entry).
**
** Each subcommand is one const struct cmd_entry defined next to the code it
** drives (cmd-sim.c, cmd-quiz.c, ...); cli/main.c lists them in one table
** and dispatches.  exec() gets argv with argv[0] = the command name, parses
** its own options (getopt_long) and returns the process exit status:
** 0 success, 1 a failed check or an invalid file, 2 a usage error.
*/
#ifndef cmd_h
#define cmd_h

#include <stddef.h>
#include <stdint.h>

struct cmd_entry {
	const char	*name;
	const char	*usage;		/* "run SCENARIO [--seed N] ..." */
	const char	*summary;	/* one line for `synclab --help` */
	const char	*help;		/* the full text for `synclab help CMD` */
	int		(*exec)(int argc, char **argv);
};

/* Prints "synclab: CMD: what\nusage: synclab USAGE\n" to stderr, returns 2. */
int cmd_usage_error(const struct cmd_entry *e, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Prints the full help of a command ("usage: synclab USAGE", a blank line,
** the help text) on stdout; returns 0. */
int cmd_help(const struct cmd_entry *e);
/* Reads an option's whole number: decimal digits (strtoull's form, so
** leading blanks and a '+' pass) of at most max, nothing after them, no
** '-'.  Returns 0 with *out set, or -1 with *out untouched; the caller
** words the usage error. */
int cmd_parse_uint(const char *s, unsigned long long max,
    unsigned long long *out);
/* Where bundled content lives: $SYNCLAB_DATA, else the source tree the
** binary was built in (found from /proc/self/exe), else the installed
** share/synclab.  Returns a static string: "<root>/<sub>". */
const char *cmd_datadir(const char *sub);

/* --- cmd-doc.c: what the shell and man learn from the table ---------- */
#define CMD_MAXOPT 48
typedef struct cmd_opt {
	char	name[32];	/* without the leading "--" */
	int	takes_value;
	char	values[96];	/* "text|json|csv" when the help lists them */
} cmd_opt;
/* The options of a command: the "--name" words of its usage and help,
** in order of first mention, and --help.  Returns how many (at most max). */
size_t cmd_options(const struct cmd_entry *e, cmd_opt *out, size_t max);
/* The candidate closest to word (few edits, or word a prefix of it), or
** NULL when none is close. */
const char *cmd_closest(const char *word, const char *const *cands, size_t n);
/* Looks at every "--word" of argv (argv[0] the command): one that is not
** an option of e (nor the unique start of one) but close to one is a usage
** error "did you mean --x?" (returns 2); otherwise returns 0 and the
** command parses its options itself. */
int cmd_check_options(const struct cmd_entry *e, int argc, char **argv);
/* synclab __complete N WORD0 WORD1...: prints the candidates for WORD<N>
** (commands, options, option values, scenario ids, banks), one a line.
** Returns the exit status. */
int cmd_complete(const struct cmd_entry *const *table, int argc, char **argv);
/* synclab __man: prints synclab(1) in roff, made from the table. */
int cmd_man(const struct cmd_entry *const *table);

extern const struct cmd_entry cmd_run_entry;	/* cmd-sim.c */
extern const struct cmd_entry cmd_check_entry;	/* cmd-sim.c */
extern const struct cmd_entry cmd_list_entry;	/* cmd-sim.c */
extern const struct cmd_entry cmd_sim_entry;	/* cmd-ui.c */
extern const struct cmd_entry cmd_serve_entry;	/* cmd-serve.c */
extern const struct cmd_entry cmd_quiz_entry;	/* cmd-quiz.c */
extern const struct cmd_entry cmd_exam_entry;	/* cmd-quiz.c */
extern const struct cmd_entry cmd_review_entry;	/* cmd-quiz.c */
extern const struct cmd_entry cmd_stats_entry;	/* cmd-quiz.c */
extern const struct cmd_entry cmd_new_entry;	/* cmd-new.c */
extern const struct cmd_entry cmd_import_entry;	/* cmd-fmt.c */
extern const struct cmd_entry cmd_export_entry;	/* cmd-fmt.c */

/* stats --merge DIR (cmd-merge.c): one grade book over every *.db file of
** dir, read as progress stores against bank at time now (unix seconds), in
** format "text", "csv" or "json" on stdout.  Returns 0, or 1 when dir
** holds no store or one could not be read (the others are still printed). */
struct qz_bank;
int cmd_stats_merge(const char *dir, const char *format,
    const struct qz_bank *bank, int64_t now);

/* The Home screen, run by `synclab` with no command (cmd-ui.c). */
int cmd_home(int argc, char **argv);

#endif
