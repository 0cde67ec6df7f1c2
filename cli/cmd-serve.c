/* cmd-serve.c: TEMPORARY placeholder, replaced by the real commands. */
#include "cli/cmd.h"
#include <stdio.h>
static int notyet(int argc, char **argv) { (void)argc; fprintf(stderr, "synclab: %s: not built yet\n", argv[0]); return 1; }
const struct cmd_entry cmd_serve_entry = { "serve", "serve", "(not built yet)", "", notyet };
