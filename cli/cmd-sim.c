/* cmd-sim.c: TEMPORARY placeholder, replaced by the real commands. */
#include "cli/cmd.h"
#include <stdio.h>
static int notyet(int argc, char **argv) { (void)argc; fprintf(stderr, "synclab: %s: not built yet\n", argv[0]); return 1; }
const struct cmd_entry cmd_run_entry = { "run", "run", "(not built yet)", "", notyet };
const struct cmd_entry cmd_check_entry = { "check", "check", "(not built yet)", "", notyet };
const struct cmd_entry cmd_list_entry = { "list", "list", "(not built yet)", "", notyet };
