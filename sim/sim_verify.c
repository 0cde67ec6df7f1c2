/*
** sim_verify.c: what `synclab check` can only learn by running a
** scenario (see sim.h, sim_verify).
**
** The loader checks what a file says; some mistakes show only when the
** steps run: an update of a row the device never pulled, a resolve with
** no conflict to resolve, an expect that does not hold, a solution that
** does not reach its goal.  The run here is the one `synclab run` makes,
** without the final sync (it changes nothing the script says).
*/
#include "sim/sim.h"
#include "sim/trc.h"
#include "lib/xmem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One error line for the step at (line, col): "FILE:LINE:COL: where:
** what". */
static void
sim_verify_err(const scn *s, int line, int col, const char *where,
    const char *what, sb *errs)
{
	sb_addf(errs, "%s:%d:%d: %s: %s\n", s->path, line > 0 ? line : 1,
	    col > 0 ? col : 1, where, what);
}

/*
** The failures among trace events [from, to): a step that failed locally
** without saying so is reported by the engine as a failed expectation,
** so the failed expectations are all there is to read.  label names the
** part ("step" or "solution step"); first is the number of the first
** step of that part (1-based).  Returns the count.
*/
static int
sim_verify_events(sim *r, size_t from, size_t to, const char *label,
    size_t base, size_t first, sb *errs)
{
	const trc *t = sim_trace(r);
	const scn *s = sim_scn(r);
	int n = 0;
	for (size_t i = from; i < to && i < t->n; i++) {
		const trc_event *e = &t->ev[i];
		if (e->type != TRC_EXPECT || e->ok)
			continue;
		const scn_step *st = sim_step_at(r, e->step);
		char where[96], what[1200];
		snprintf(where, sizeof where, "%s %zu (%s)", label,
		    e->step - base + first, st ? scn_action_name(st->act) :
		    "?");
		snprintf(what, sizeof what, "at run time, %s%s",
		    e->text ? e->text : "an expectation fails",
		    strstr(e->text ? e->text : "", "fails locally") ? "" :
		    ": this expectation does not hold");
		sim_verify_err(s, st ? st->line : 0, st ? st->col : 0, where,
		    what, errs);
		n++;
	}
	return n;
}

int
sim_verify(scn *s, sb *errs)
{
	sim_opts o;
	memset(&o, 0, sizeof o);
	sb err = SB_INIT;
	/* sim_open frees s when it fails: keep the name. */
	char *path = xstrdup(s->path);
	sim *r = sim_open(s, &o, &err);
	if (r == NULL) {
		sb_addf(errs, "%s:1:1: (top level): the scenario cannot start: "
		    "%s\n", path, sb_str(&err));
		sb_free(&err);
		free(path);
		return 1;
	}
	free(path);
	s = NULL;	/* the run owns it */
	const scn *sc = sim_scn(r);
	int n = 0;
	if (sim_run(r, &err) == SIM_ERROR) {
		sb_addf(errs, "%s:1:1: steps: the run stops: %s\n", sc->path,
		    sb_str(&err));
		n++;
	}
	n += sim_verify_events(r, 0, sim_trace(r)->n, "step", 0, 1, errs);
	if (sc->goal_expect != NULL && sc->nsolution > 0) {
		size_t base = sim_pos(r);
		for (size_t i = 0; i < sc->nsolution; i++) {
			size_t mark = sim_trace(r)->n;
			sb_reset(&err);
			if (sim_act(r, &sc->solution[i], &err) != 0) {
				char where[64];
				snprintf(where, sizeof where, "solution step %zu",
				    i + 1);
				sim_verify_err(sc, sc->solution[i].line,
				    sc->solution[i].col, where, sb_str(&err),
				    errs);
				n++;
				continue;
			}
			const trc *t = sim_trace(r);
			/* A solution step runs as the student's own would:
			** a local failure is not an expectation there, so it
			** is read off its step event. */
			for (size_t k = mark; k < t->n; k++)
				if (t->ev[k].type == TRC_STEP && !t->ev[k].ok) {
					char where[64];
					snprintf(where, sizeof where,
					    "solution step %zu (%s)", i + 1,
					    scn_action_name(
						sc->solution[i].act));
					sim_verify_err(sc, sc->solution[i].line,
					    sc->solution[i].col, where,
					    "at run time, the step fails "
					    "locally", errs);
					n++;
				}
			n += sim_verify_events(r, mark, t->n, "solution step",
			    base, 1, errs);
		}
		if (sim_goal(r) != 1) {
			sb_addf(errs, "%s:%d:%d: solution: after the script and "
			    "the %zu step%s of the solution the goal (\"%s\") "
			    "is not reached; a solution must reach it\n",
			    sc->path, sc->solution_line > 0 ?
			    sc->solution_line : 1, sc->solution_col > 0 ?
			    sc->solution_col : 1, sc->nsolution,
			    sc->nsolution == 1 ? "" : "s", sc->goal_text ?
			    sc->goal_text : "");
			n++;
		}
	}
	sb_free(&err);
	sim_close(r);
	return n;
}
