/*
** main.c: the synclab command table and dispatcher.
*/
#include "cli/cmd.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const struct cmd_entry *const cmd_table[] = {
	&cmd_sim_entry,
	&cmd_run_entry,
	&cmd_check_entry,
	&cmd_list_entry,
	&cmd_serve_entry,
	&cmd_quiz_entry,
	&cmd_exam_entry,
	&cmd_review_entry,
	&cmd_stats_entry,
	&cmd_new_entry,
	&cmd_import_entry,
	&cmd_export_entry,
	NULL
};

static void
main_help(FILE *f)
{
	fputs("synclab: learn how mobile offline sync really works, and study for AZ-900.\n\n"
	    "usage: synclab [COMMAND] [ARGS...]\n"
	    "       synclab                 open the terminal UI (Home)\n\n"
	    "commands:\n", f);
	for (const struct cmd_entry *const *e = cmd_table; *e; e++)
		fprintf(f, "  %-8s %s\n", (*e)->name, (*e)->summary);
	fputs("  help     show the full help of a command: synclab help COMMAND\n\n"
	    "options:\n"
	    "  -h, --help     this text\n"
	    "  -V, --version  print the version\n\n"
	    "exit status: 0 success, 1 a failed check or an invalid file, 2 a usage error.\n", f);
}

static const struct cmd_entry *
main_find(const char *name)
{
	for (const struct cmd_entry *const *e = cmd_table; *e; e++)
		if (strcmp((*e)->name, name) == 0)
			return *e;
	return NULL;
}

int
cmd_usage_error(const struct cmd_entry *e, const char *fmt, ...)
{
	va_list ap;
	/* The Home screen's entry is named after the program itself. */
	if (strcmp(e->name, "synclab") == 0)
		fputs("synclab: ", stderr);
	else
		fprintf(stderr, "synclab: %s: ", e->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nusage: synclab %s\n", e->usage);
	return 2;
}

int
cmd_help(const struct cmd_entry *e)
{
	printf("usage: synclab %s\n\n%s", e->usage, e->help);
	return 0;
}

int
cmd_parse_uint(const char *s, unsigned long long max, unsigned long long *out)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno != 0 || *s == '\0' || *end != '\0' || s[0] == '-' || v > max)
		return -1;
	*out = v;
	return 0;
}

const char *
cmd_datadir(const char *sub)
{
	static char buf[PATH_MAX + 64];
	const char *env = getenv("SYNCLAB_DATA");
	if (env && *env) {
		snprintf(buf, sizeof buf, "%s/%s", env, sub);
		return buf;
	}
	/* A binary built in a source tree lives in <tree>/build[/...]/synclab:
	** walk up from it looking for the tree's scenarios/ folder. */
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
		for (int up = 0; up < 4; up++) {
			char *slash = strrchr(exe, '/');
			if (slash == NULL)
				break;
			*slash = '\0';
			snprintf(buf, sizeof buf, "%s/scenarios/first-sync.json", exe);
			if (access(buf, R_OK) == 0) {
				snprintf(buf, sizeof buf, "%s/%s", exe, sub);
				return buf;
			}
		}
	}
	snprintf(buf, sizeof buf, "%s/%s", SYNCLAB_DATADIR, sub);
	return buf;
}

int
main(int argc, char **argv)
{
	if (argc < 2)
		return cmd_home(argc, argv);
	const char *c = argv[1];
	if (strcmp(c, "-h") == 0 || strcmp(c, "--help") == 0) {
		main_help(stdout);
		return 0;
	}
	if (strcmp(c, "-V") == 0 || strcmp(c, "--version") == 0) {
		printf("synclab %s\n", SYNCLAB_VERSION);
		return 0;
	}
	if (strcmp(c, "help") == 0) {
		if (argc < 3) {
			main_help(stdout);
			return 0;
		}
		const struct cmd_entry *e = main_find(argv[2]);
		if (e == NULL) {
			const char *names[64];
			size_t n = 0;
			for (const struct cmd_entry *const *t = cmd_table; *t && n < 64; t++)
				names[n++] = (*t)->name;
			const char *s = cmd_closest(argv[2], names, n);
			fprintf(stderr, "synclab: help: unknown command \"%s\"%s%s%s\n", argv[2],
			    s ? "; did you mean \"" : "", s ? s : "", s ? "\"?" : "");
			return 2;
		}
		cmd_help(e);
		return 0;
	}
	/* The shell's completion scripts and the man page ask the table. */
	if (strcmp(c, "__complete") == 0)
		return cmd_complete(cmd_table, argc - 1, argv + 1);
	if (strcmp(c, "__man") == 0)
		return cmd_man(cmd_table);
	if (c[0] == '-' && c[1] == '-') {
		/* A mistyped option of the program or of the Home screen. */
		static const char *const top[] = { "help", "version", "no-color",
		    "no-colour", "ascii", "no-mouse" };
		size_t n = sizeof top / sizeof *top, k;
		for (k = 0; k < n; k++)
			if (strcmp(c + 2, top[k]) == 0)
				break;
		const char *s = k == n ? cmd_closest(c + 2, top, n) : NULL;
		if (s) {
			fprintf(stderr, "synclab: unknown option %s; did you mean --%s?\n",
			    c, s);
			return 2;
		}
	}
	if (c[0] == '-')
		return cmd_home(argc, argv);	/* options of the Home screen */
	const struct cmd_entry *e = main_find(c);
	if (e == NULL) {
		const char *names[64];
		size_t n = 0;
		for (const struct cmd_entry *const *t = cmd_table; *t && n < 63; t++)
			names[n++] = (*t)->name;
		names[n++] = "help";
		const char *s = cmd_closest(c, names, n);
		if (s)
			fprintf(stderr, "synclab: unknown command \"%s\"; did you mean \"%s\"? (synclab --help lists them)\n",
			    c, s);
		else
			fprintf(stderr, "synclab: unknown command \"%s\" (try synclab --help)\n", c);
		return 2;
	}
	int rc = cmd_check_options(e, argc - 1, argv + 1);
	if (rc)
		return rc;
	return e->exec(argc - 1, argv + 1);
}
