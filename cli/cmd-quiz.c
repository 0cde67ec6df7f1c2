/* cmd-quiz.c: TEMPORARY placeholder, replaced by the real commands. */
#include "cli/cmd.h"
#include <stdio.h>
static int notyet(int argc, char **argv) { (void)argc; fprintf(stderr, "synclab: %s: not built yet\n", argv[0]); return 1; }
const struct cmd_entry cmd_quiz_entry = { "quiz", "quiz", "(not built yet)", "", notyet };
const struct cmd_entry cmd_exam_entry = { "exam", "exam", "(not built yet)", "", notyet };
const struct cmd_entry cmd_review_entry = { "review", "review", "(not built yet)", "", notyet };
const struct cmd_entry cmd_stats_entry = { "stats", "stats", "(not built yet)", "", notyet };
