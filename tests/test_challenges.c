/*
** test_challenges.c: every shipped challenge is a level that can be won.
**
** For each scenario of scenarios/ with a goal: the script runs to its end
** and the goal does not hold yet (the student has something to do); then
** its reference solution is played as the student's own actions (sim_act,
** as the TUI does), every expectation of the solution holds, the goal
** holds after the last action, and after none before it, so the par the
** TUI shows (the solution's length) is not beaten by a prefix of the
** solution itself.  At least 15 challenges ship.  (A goal that the
** script itself reaches, with no solution, states an outcome and is not
** counted as a level.)
*/
#include "tests/testutil.h"

#include <dirent.h>
#include <stdlib.h>

#include "lib/sb.h"
#include "sim/sim.h"

static int
ch_play(const char *path)
{
	sb err = SB_INIT;
	scn *s = scn_load_file(path, &err, NULL);
	if (s == NULL)
		fail_msg("%s: %s", path, sb_str(&err));
	if (s->goal_text == NULL) {
		scn_free(s);
		sb_free(&err);
		return 0;
	}
	/* sim_open takes s over; keep what the loop needs. */
	size_t nsol = s->nsolution, nhints = s->nhints;
	scn_step *sol = s->solution;
	sim_opts o;
	memset(&o, 0, sizeof o);
	sim *r = sim_open(s, &o, &err);
	if (r == NULL)
		fail_msg("%s: %s", path, sb_str(&err));
	if (sim_run(r, &err) == SIM_ERROR)
		fail_msg("%s: the script: %s", path, sb_str(&err));
	if (sim_goal(r) == 1 && nsol == 0) {
		/* A goal the script itself reaches states an outcome: not a
		** level to play. */
		sim_close(r);
		sb_free(&err);
		return 0;
	}
	if (nsol == 0)
		fail_msg("%s: a challenge without a reference solution", path);
	if (nhints == 0)
		fail_msg("%s: a challenge without hints", path);
	if (sim_goal(r) == 1)
		fail_msg("%s: the goal holds at the end of the script, before "
		    "any action", path);
	for (size_t i = 0; i < nsol; i++) {
		if (sim_act(r, &sol[i], &err) != 0)
			fail_msg("%s: solution[%zu]: %s", path, i, sb_str(&err));
		if (i + 1 < nsol && sim_goal(r) == 1)
			fail_msg("%s: the goal holds after solution[%zu], before "
			    "the solution's end (par would be %zu)", path, i,
			    i + 1);
	}
	if (sim_expect_failures(r) != 0)
		fail_msg("%s: %zu expectation(s) of the solution failed", path,
		    sim_expect_failures(r));
	if (sim_goal(r) != 1)
		fail_msg("%s: the reference solution does not reach the goal",
		    path);
	sim_close(r);
	sb_free(&err);
	return 1;
}

static void
test_every_challenge_solvable(void **state)
{
	(void)state;
	DIR *d = opendir("scenarios");
	assert_non_null(d);
	struct dirent *e;
	size_t n = 0;
	while ((e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);
		if (len < 6 || strcmp(e->d_name + len - 5, ".json") != 0)
			continue;
		char path[512];
		snprintf(path, sizeof path, "scenarios/%s", e->d_name);
		n += (size_t)ch_play(path);
	}
	closedir(d);
	if (n < 15)
		fail_msg("%zu challenges ship; at least 15 are wanted", n);
}

int
main(void)
{
	if (tu_to_tree("scenarios/first-sync.json") != 0) {
		fprintf(stderr, "test_challenges: run it from the source tree\n");
		return 1;
	}
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_challenge_solvable),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
