/*
** cmd-ui.c: the commands that open the terminal UI: `synclab sim` (a
** scenario, or the sandbox) and `synclab` alone (the Home screen).
**
** Both refuse to start without a terminal on stdin and stdout: a pipe or
** a file would get escape sequences instead of text, so they point to
** `synclab run`, which prints a transcript, and exit 2.
*/
#include "cli/cmd.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/scn.h"
#include "ui/ui.h"

static int cmd_sim_exec(int argc, char **argv);

const struct cmd_entry cmd_sim_entry = {
	"sim",
	"sim [SCENARIO] [--seed N] [--devices N] [--client SDK] [--no-color] "
	    "[--ascii] [--no-mouse]",
	"open a scenario (or the sandbox) in the terminal UI",
	"Opens SCENARIO (a file, or the id of a shipped scenario) in the\n"
	"scenario view: the backend, every device with its queue, the HTTP\n"
	"timeline and the narration, stepped forwards and backwards.  Without\n"
	"SCENARIO it opens the sandbox: an empty todoitem table and N devices\n"
	"to play with.\n\n"
	"options:\n"
	"  --seed N      the PRNG seed (default: the scenario's)\n"
	"  --devices N   sandbox devices, 1 to 16 (default 3)\n"
	"  --client SDK  the sandbox devices' client SDK: net-legacy (default),\n"
	"                js or datasync (their pull rules: docs/sync-model.md)\n"
	"  --no-color    monochrome (also when NO_COLOR is set and not empty;\n"
	"                --no-colour is the same)\n"
	"  --ascii       ASCII line drawing (the default outside UTF-8 locales)\n"
	"  --no-mouse    ignore the mouse\n\n"
	"Press ? on any screen for its keys; docs/tui.md lists them all.\n"
	"Needs a terminal; for a text transcript use `synclab run SCENARIO`.\n",
	cmd_sim_exec
};

enum { OPT_SEED = 1, OPT_DEVICES, OPT_CLIENT, OPT_NOCOLOR, OPT_ASCII,
    OPT_NOMOUSE };

static const struct option cmd_ui_longopts[] = {
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "devices", required_argument, NULL, OPT_DEVICES },
	{ "client", required_argument, NULL, OPT_CLIENT },
	{ "no-color", no_argument, NULL, OPT_NOCOLOR },
	{ "no-colour", no_argument, NULL, OPT_NOCOLOR },
	{ "ascii", no_argument, NULL, OPT_ASCII },
	{ "no-mouse", no_argument, NULL, OPT_NOMOUSE },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

/* Opens the UI as o says, once stdin and stdout are a terminal (what
** names the command in the refusal); returns the exit status. */
static int
cmd_ui_run(const char *what, ui_opts *o)
{
	/* A copy: cmd_datadir() reuses its buffer on every call. */
	static char dir[4096];
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "synclab: %s needs a terminal; for a text "
		    "transcript use `synclab run SCENARIO` (see synclab "
		    "--help)\n", what);
		return 2;
	}
	snprintf(dir, sizeof dir, "%s", cmd_datadir("scenarios"));
	o->datadir = dir;
	return ui_main(o);
}

/* Parses the options shared by both commands into o (cleared first);
** returns 0, -1 after printing --help, or the exit status of a usage
** error (printed). */
static int
cmd_ui_parse(const struct cmd_entry *e, int argc, char **argv, ui_opts *o,
    int allow_sim)
{
	int c;
	memset(o, 0, sizeof *o);
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", cmd_ui_longopts, NULL)) != -1) {
		char *end;
		switch (c) {
		case OPT_SEED: {
			if (!allow_sim)
				return cmd_usage_error(e, "--seed belongs to "
				    "synclab sim");
			unsigned long long v;
			if (cmd_parse_uint(optarg, UINT64_MAX, &v) != 0)
				return cmd_usage_error(e, "--seed takes a "
				    "non-negative integer, not \"%s\"", optarg);
			o->has_seed = 1;
			o->seed = v;
			break;
		}
		case OPT_DEVICES: {
			long v = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end || v < 1 ||
			    v > SCN_MAX_DEVICES)
				return cmd_usage_error(e, "--devices takes 1 to "
				    "%d, not \"%s\"", SCN_MAX_DEVICES, optarg);
			o->ndevices = (size_t)v;
			break;
		}
		case OPT_CLIENT:
			if (!allow_sim)
				return cmd_usage_error(e, "--client belongs to "
				    "synclab sim");
			if (prof_parse(optarg, &o->client) != 0)
				return cmd_usage_error(e, "--client takes "
				    "net-legacy, js or datasync, not \"%s\"",
				    optarg);
			o->has_client = 1;
			break;
		case OPT_NOCOLOR:
			o->no_color = 1;
			break;
		case OPT_ASCII:
			o->ascii = 1;
			break;
		case OPT_NOMOUSE:
			o->no_mouse = 1;
			break;
		case 'h':
			cmd_help(e);
			return -1;
		default:
			return cmd_usage_error(e, "unknown option \"%s\"",
			    argv[optind - 1]);
		}
	}
	return 0;
}

static int
cmd_sim_exec(int argc, char **argv)
{
	ui_opts o;
	int rc = cmd_ui_parse(&cmd_sim_entry, argc, argv, &o, 1);
	if (rc != 0)
		return rc < 0 ? 0 : rc;
	if (argc - optind > 1)
		return cmd_usage_error(&cmd_sim_entry, "one scenario at a time");
	if (argc - optind == 1) {
		if (o.ndevices)
			return cmd_usage_error(&cmd_sim_entry, "--devices is "
			    "for the sandbox (no SCENARIO)");
		if (o.has_client)
			return cmd_usage_error(&cmd_sim_entry, "--client is "
			    "for the sandbox (a scenario names each device's "
			    "client)");
		o.start = UI_START_SCENARIO;
		o.scenario = argv[optind];
	} else
		o.start = UI_START_SANDBOX;
	return cmd_ui_run("synclab sim", &o);
}

static const struct cmd_entry cmd_home_entry = {
	"synclab", "[--no-color] [--ascii] [--no-mouse]",
	"the Home screen", "", NULL
};

int
cmd_home(int argc, char **argv)
{
	ui_opts o;
	int rc = cmd_ui_parse(&cmd_home_entry, argc, argv, &o, 0);
	if (rc != 0)
		return rc < 0 ? 0 : rc;
	if (optind < argc)
		return cmd_usage_error(&cmd_home_entry, "unexpected \"%s\"",
		    argv[optind]);
	o.start = UI_START_HOME;
	return cmd_ui_run("synclab", &o);
}
