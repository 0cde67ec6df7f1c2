/*
** leak.h: the answer-leak check for scenario files (leak.c).
*/
#ifndef leak_h
#define leak_h

#include "lib/sb.h"
#include "sim/scn.h"

/*
** Reports every keyed option of an `ask` that the summary, the goal, a
** hint or an earlier step's `say` already states, one
** "NAME:LINE:COL: steps[N].ask: ..." line each appended to errs (text is
** the file's text, for the positions).  Returns the number found.
*/
int leak_check(const scn *s, const char *name, const char *text, sb *errs);

#endif
