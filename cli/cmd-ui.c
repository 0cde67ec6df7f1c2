/* cmd-ui.c: TEMPORARY placeholder, replaced by the real commands. */
#include "cli/cmd.h"
#include <stdio.h>
static int notyet(int argc, char **argv) { (void)argc; fprintf(stderr, "synclab: %s: not built yet\n", argv[0]); return 1; }
const struct cmd_entry cmd_sim_entry = { "sim", "sim", "(not built yet)", "", notyet };
int cmd_home(int argc, char **argv) { return notyet(argc, argv); }
