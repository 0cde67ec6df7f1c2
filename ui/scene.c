/*
** scene.c: the scenario view: the backend, one pane per device, the
** timeline of HTTP exchanges, the narration of the step, and the keys to
** step through the run or act on a device.
**
** This file keeps the view's state: opening a run, the panes kept per
** position, stepping, going to a step, resets, challenges, the keys.
** scene-draw.c draws it; scene-act.c runs the student's actions on a
** device (and their forms).
*/
#include "ui/scene-int.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/xmem.h"
#include "sim/chk.h"
#include "sim/scn_cloud.h"

static const int scene_speeds[] = { 2000, 1000, 500, 250, 100 };
#define SCENE_NSPEEDS ((int)(sizeof scene_speeds / sizeof scene_speeds[0]))

/* Snapshots every few steps keep stepping back instant: going back
** restores the nearest snapshot and replays at most this many minus one
** steps. */
#define UI_SNAPSHOT_EVERY	4

/*
** A step that takes long (a wait while a big fleet syncs) runs in slices:
** the engine runs at most UI_PART_REQUESTS fleet requests per call, the
** view calls it until UI_SLICE_MS have passed, then reads the keyboard
** and redraws (the progress in the narration pane) before the next slice.
*/
#define UI_PART_REQUESTS	256
#define UI_SLICE_MS		40

/* With a fleet every step can take seconds to replay, so going back
** restores a snapshot taken after each step and replays nothing. */
static size_t
scene_snapshot_every(const scn *s)
{
	return s && s->cloud && s->cloud->fleet ? 1 : UI_SNAPSHOT_EVERY;
}

/* Positions around the current one whose panes are kept. */
#define UI_CACHE_SPAN	64

/* The keys of the view, in the order the key bar shows them: a
** challenge's keys come first while one is open, so that a narrow bar
** keeps them; the help overlay lists all of them. */
const struct ui_key ui_scene_keys[] = {
	{ "G", "a challenge's goal beside your current state, and your "
	  "actions against par", "G goal", UI_KF_CHALLENGE },
	{ "H", "the next hint of a challenge (one at a time)", "H hint",
	  UI_KF_CHALLENGE },
	{ "l, Right", "run the next step (a long one, such as a wait while "
	  "a big fleet syncs, shows its progress and the keys stay live)",
	  "l step", 0 },
	{ "h, Left", "step back (instant); while a step is running, stop it "
	  "(the run goes back to before it)", "h back", 0 },
	{ "Space", "play or pause", "Spc play", 0 },
	{ "+, =, -", "play faster (+ or =) or slower (-)", NULL, 0 },
	{ "g", "go to step N", "g goto", 0 },
	{ "r", "reset the scenario (asks first)", NULL, 0 },
	{ "Tab, Shift-Tab", "next or previous pane", "Tab pane", 0 },
	{ "1-9", "focus device N", NULL, 0 },
	{ "j/k, Down/Up", "select a row in a device, or scroll", NULL, 0 },
	{ "w", "every value of the selected row in full (the backend: "
	  "every row)", "w whole", 0 },
	{ "o", "toggle the selected device offline/online", "o offline", 0 },
	{ "i", "insert a row on the selected device", "i ins", 0 },
	{ "e, Enter", "edit the selected row", "e edit", 0 },
	{ "d", "delete the selected row", "d del", 0 },
	{ "P", "push the device's queue", "P push", 0 },
	{ "u", "pull every table", "u pull", 0 },
	{ "s", "sync (push, then pull)", "s sync", 0 },
	{ "x", "drop the device's next response", "x drop", 0 },
	{ "X", "drop the device's next request", NULL, 0 },
	{ "c", "resolve a conflict of the selected device", "c resolve", 0 },
	{ "U", "purge a local table of the device (asks before forcing)",
	  NULL, 0 },
	{ "C", "scale the plan (a scenario with one): a tier (S1), a "
	  "number of instances (3), auto MIN MAX or auto off; it runs as a "
	  "step of yours", NULL, 0 },
	{ "S", "sequence diagram", "S seq", 0 },
	{ "I", "store inspector (read-only SQL)", "I sql", 0 },
	{ "n", "the whole narration of this step", NULL, 0 },
	{ "F", "finish: final sync of every device, then the checker", NULL,
	  0 },
	{ "v", "a challenge's reference solution (asks first; the run no "
	  "longer counts)", "v solution", UI_KF_CHALLENGE },
	{ "N", "open the next scenario in the Learn order", NULL, 0 },
	{ "q", "back (asks first when your own actions would be lost)",
	  "q back", 0 },
	{ NULL, NULL, NULL, 0 }
};

static int scene_key(struct ui_app *, void *, int);
static void scene_tick(struct ui_app *, void *);
static void scene_close(struct ui_app *, void *);

const struct ui_screen ui_scene_screen = {
	"scene", "Scenario view", 60, 16, 0, ui_scene_draw, scene_key, scene_tick,
	scene_close, ui_scene_keys, NULL
};

sqlite3 *
ui_scene_store(struct ui_scene *sc, int store, const char **name)
{
	if (store <= 0 || (size_t)store > sim_ndevices(sc->run)) {
		*name = "Backend";
		return srv_db(sim_srv(sc->run));
	}
	dev *d = sim_dev(sc->run, (size_t)store - 1);
	*name = dev_name(d);
	return dev_db(d);
}

int
ui_scene_dev(const struct ui_scene *sc)
{
	int n = (int)sim_ndevices(sc->run);
	if (n == 0)
		return -1;
	if (sc->focus >= 1 && sc->focus <= n)
		return sc->focus - 1;
	return sc->sel_dev < n ? sc->sel_dev : 0;
}

/* ---- the run: what is shown, stepping --------------------------------- */

/*
** Models are kept per position: the model of position p always shows the
** state after p steps with the cells step p changed highlighted, however
** the run got there, so going back and forth costs no store reads.  An
** action replaces the steps after it, so it forgets the models past it.
** A finished run (final sync) is never kept.
*/
static void
scene_cache_put(struct ui_scene *sc, size_t pos, struct ui_model *m)
{
	if (pos >= sc->ncache) {
		size_t n = pos + 16;
		sc->cache = xreallocarray(sc->cache, n, sizeof *sc->cache);
		memset(sc->cache + sc->ncache, 0, (n - sc->ncache) *
		    sizeof *sc->cache);
		sc->ncache = n;
	}
	if (sc->cache[pos] != m)
		ui_model_free(sc->cache[pos]);
	sc->cache[pos] = m;
	/* Each model copies the timeline up to its position: keep only the
	** neighbourhood of where the student is. */
	for (size_t i = 0; i < sc->ncache; i++) {
		size_t d = i > pos ? i - pos : pos - i;
		if (d > UI_CACHE_SPAN && sc->cache[i] && sc->cache[i] != sc->m) {
			ui_model_free(sc->cache[i]);
			sc->cache[i] = NULL;
		}
	}
}

void
ui_scene_forget(struct ui_scene *sc, size_t from)
{
	for (size_t i = from; i < sc->ncache; i++) {
		if (sc->cache[i] == sc->m)
			sc->m_cached = 0;	/* now owned by sc->m alone */
		else
			ui_model_free(sc->cache[i]);
		sc->cache[i] = NULL;
	}
}

/* Makes m the model shown (cached: the cache owns it). */
static void
scene_show(struct ui_scene *sc, struct ui_model *m, int cached)
{
	if (sc->m && sc->m != m && !sc->m_cached)
		ui_model_free(sc->m);
	sc->m = m;
	sc->m_cached = cached;
	sc->tl_scroll = 0;
}

void
ui_scene_changed(struct ui_app *a, struct ui_scene *sc, size_t prev_pos)
{
	(void)a;
	size_t pos = sim_pos(sc->run);
	int fin = sim_finished(sc->run);
	if (!fin && pos < sc->ncache && sc->cache[pos]) {
		scene_show(sc, sc->cache[pos], 1);
		return;
	}
	struct ui_model *old = sc->m;
	struct ui_model *nm = ui_model_load(sc->run);
	const struct ui_model *base = !fin && pos > 0 && pos - 1 < sc->ncache ?
	    sc->cache[pos - 1] : NULL;
	if (old && prev_pos == old->pos && (old->pos + 1 == pos || fin)) {
		/* One step, or the final sync: the panes showed the state
		** just before it. */
		ui_model_diff(nm, old);
	} else if (base) {
		ui_model_diff(nm, base);
	} else if (pos > 0 && !sim_awaiting_answer(sc->run)) {
		/* Jumped to a position never shown: read the state one step
		** earlier so that the highlight shows what the last step
		** did. */
		sb err = SB_INIT;
		if (sim_goto(sc->run, pos - 1, &err) == 0) {
			struct ui_model *pm = ui_model_load(sc->run);
			if (sim_goto(sc->run, pos, &err) == 0)
				ui_model_diff(nm, pm);
			ui_model_free(pm);
		}
		sb_free(&err);
	}
	scene_show(sc, nm, !fin);
	if (!fin)
		scene_cache_put(sc, pos, nm);
}

/* Opens the scenario after this one in the Learn order in place of this
** view (asked first when the student's own actions would be lost). */
static void scene_next(struct ui_app *a, struct ui_scene *sc, int ask);

static void
scene_next_yes(struct ui_app *a, void *ctx)
{
	scene_next(a, ctx, 0);
}

/* "Next in Learn: TITLE" for the messages that end a scenario, or "". */
static void
scene_next_line(struct ui_app *a, struct ui_scene *sc, sb *out)
{
	const scn *s = sim_scn(sc->run);
	char *path, *title;
	if (!*sc->path || ui_levels_next(a->opts.datadir, s->id, &path,
	    &title) != 0)
		return;
	sb_addf(out, "Next in Learn: \"%s\" (N opens it).", title);
	free(path);
	free(title);
}

static void
scene_goal_check(struct ui_app *a, struct ui_scene *sc)
{
	const scn *s = sim_scn(sc->run);
	if (s->goal_text == NULL || sc->solved)
		return;
	if (sim_goal(sc->run) != 1)
		return;
	sc->solved = 1;
	if (sc->solution_shown) {
		ui_message(a, "Goal reached", "The goal holds now. This run "
		    "showed the reference solution, so it does not count as "
		    "solved; press r to reset and try again on your own.");
		return;
	}
	if (s->id && *sc->path)
		ui_done_mark(s->id);
	sb t = SB_INIT;
	size_t moves = ui_levels_moves(sc);
	sb_add(&t, "Well done: the goal holds. The scenario is marked as "
	    "completed on the Home screen.\n\n");
	if (s->nsolution)
		sb_addf(&t, "Your actions: %zu. Par: %zu%s\n\n", moves,
		    s->nsolution, moves <= s->nsolution ? " (at par or better)."
		    : " (r resets, to try it in fewer).");
	char *path, *title;
	if (*sc->path && ui_levels_next(a->opts.datadir, s->id, &path,
	    &title) == 0) {
		sb_addf(&t, "Open the next one in Learn, \"%s\", now?", title);
		free(path);
		free(title);
		ui_confirm(a, "Goal reached", sb_str(&t), scene_next_yes, sc,
		    NULL);
	} else {
		sb_add(&t, "That was the last scenario in Learn.");
		ui_message(a, "Goal reached", sb_str(&t));
	}
	sb_free(&t);
}

void
ui_scene_after_step(struct ui_app *a, struct ui_scene *sc)
{
	const scn *s = sim_scn(sc->run);
	scene_goal_check(a, sc);
	if (s->goal_text == NULL && *sc->path && s->id && !sc->forked &&
	    sim_count(sc->run) > 0 && sim_pos(sc->run) == sim_count(sc->run) &&
	    !ui_done_has(s->id)) {
		ui_done_mark(s->id);
		sb t = SB_INIT;
		sb_add(&t, "End of the scenario: marked as completed. ");
		scene_next_line(a, sc, &t);
		ui_toast(a, "%s", sb_str(&t));
		sb_free(&t);
	}
	/* A manual conflict that just appeared opens its dialog. */
	sim_conflict *c = NULL;
	size_t n = sim_conflicts(sc->run, &c);
	for (size_t i = 0; i < n; i++) {
		if (!c[i].manual)
			continue;
		char key[256];
		snprintf(key, sizeof key, "|%zu/%s/%s|", c[i].dev, c[i].table,
		    c[i].id);
		if (strstr(sc->offered, key))
			continue;
		if (strlen(sc->offered) + strlen(key) < sizeof sc->offered)
			strcat(sc->offered, key);
		sc->playing = 0;
		ui_resolve_open(a, sc, &c[i]);
		break;
	}
	free(c);
}

static int64_t
scene_clock_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* One slice of the step under way (or of a new one): parts of the step
** until UI_SLICE_MS have passed; whole when whole (headless, or a
** screen above the view asked for it).  Returns the engine's answer. */
static sim_rc
scene_slice(struct ui_app *a, struct ui_scene *sc, int whole, sb *err)
{
	int64_t t0 = scene_clock_ms();
	size_t budget = whole || a->headless ? SIZE_MAX : UI_PART_REQUESTS;
	sim_rc rc;
	do
		rc = sim_step_some(sc->run, budget, &sc->prog, err);
	while (rc == SIM_MORE && scene_clock_ms() - t0 < UI_SLICE_MS);
	sc->running = rc == SIM_MORE;
	return rc;
}

/* What a slice's answer calls for: the panes once the step is done, its
** question, or the engine's complaint. */
static void
scene_slice_done(struct ui_app *a, struct ui_scene *sc, sim_rc rc,
    const sb *err)
{
	if (rc == SIM_ASK) {
		sc->playing = 0;
		ui_ask_open(a, sc);
	} else if (rc == SIM_ERROR) {
		sc->playing = 0;
		ui_message(a, "The engine stopped", sb_str(err));
	} else if (rc == SIM_OK) {
		ui_scene_changed(a, sc, sc->run_prev);
		ui_scene_after_step(a, sc);
	}
}

static void
scene_step_run(struct ui_app *a, struct ui_scene *sc, int whole)
{
	if (sc->running && !whole)
		return;		/* the step under way goes on in the tick */
	if (!sc->running) {
		if (sim_awaiting_answer(sc->run)) {
			sc->playing = 0;
			ui_ask_open(a, sc);
			return;
		}
		sc->run_prev = sim_pos(sc->run);
		if (sc->run_prev >= sim_count(sc->run)) {
			sc->playing = 0;
			ui_toast(a, "No step left to run.");
			return;
		}
	}
	sb err = SB_INIT;
	scene_slice_done(a, sc, scene_slice(a, sc, whole, &err), &err);
	sb_free(&err);
}

static void
scene_step(struct ui_app *a, struct ui_scene *sc)
{
	scene_step_run(a, sc, 0);
}

int
ui_scene_step_start(struct ui_app *a, struct ui_scene *sc, sb *err)
{
	sc->run_prev = sim_pos(sc->run);
	sim_rc rc = scene_slice(a, sc, 0, err);
	if (rc == SIM_ERROR)
		return -1;
	return rc == SIM_MORE ? 1 : 0;
}

/* h while a step is under way: the run goes back to before it. */
static void
scene_stop(struct ui_app *a, struct ui_scene *sc)
{
	size_t pos = sim_pos(sc->run);
	sb err = SB_INIT;
	sc->running = 0;
	sc->playing = 0;
	if (sim_goto(sc->run, pos, &err) != 0)
		ui_message(a, "Cannot stop the step", sb_str(&err));
	else
		ui_toast(a, "Step %zu stopped: the run is back to before it.",
		    pos + 1);
	sb_free(&err);
}

/* The keys a step under way answers: h stops it, q and ? as always,
** Space and +/- for playback; the rest wait for the step. */
static int
scene_running_key(struct ui_app *a, struct ui_scene *sc, int ch)
{
	switch (ch) {
	case 'h': case KEY_LEFT:
		scene_stop(a, sc);
		return 1;
	case 'q': case '?': case KEY_F(1): case 27:
	case ' ': case '+': case '=': case '-':
	case KEY_RESIZE:
		return -1;	/* as when no step runs */
	default:
		ui_toast(a, "Step %zu is still running: h stops it, q leaves, "
		    "? shows the keys.", sc->prog.step + 1);
		return 1;
	}
}

static void
scene_goto(struct ui_app *a, struct ui_scene *sc, size_t n)
{
	size_t prev = sim_pos(sc->run);
	sb err = SB_INIT;
	if (sim_goto(sc->run, n, &err) != 0) {
		ui_message(a, "Cannot go there", sb_str(&err));
		sb_free(&err);
		return;
	}
	sb_free(&err);
	if (n < prev)
		sc->offered[0] = '\0';	/* conflicts may be offered again */
	if (sim_goal(sc->run) != 1)
		sc->solved = 0;
	/* A question waiting here opens with the next l, not now: stepping
	** back is for looking. */
	ui_scene_changed(a, sc, prev);
}

static void
scene_back(struct ui_app *a, struct ui_scene *sc)
{
	size_t pos = sim_pos(sc->run);
	sc->playing = 0;
	if (sim_finished(sc->run)) {
		scene_goto(a, sc, pos);		/* undoes the final sync */
		ui_toast(a, "Back to before the final sync.");
		return;
	}
	if (pos == 0) {
		ui_toast(a, "Already at the start.");
		return;
	}
	scene_goto(a, sc, pos - 1);
}

struct ui_scene *
ui_scene_find(struct ui_app *a)
{
	for (int i = a->depth - 1; i >= 0; i--)
		if (a->stack[i].s == &ui_scene_screen)
			return a->stack[i].st;
	return NULL;
}

static int
scene_goto_done(struct ui_app *a, void *ctx, const char *text)
{
	struct ui_scene *sc = ctx;
	char *end;
	long v = strtol(text, &end, 10);
	if (end == text || *end || v < 0 || (size_t)v > sim_count(sc->run)) {
		ui_toast(a, "A step number from 0 to %zu, please.",
		    sim_count(sc->run));
		return -1;
	}
	/* Close the prompt before an ask dialog may open. */
	ui_remove(a, a->stack[a->depth - 1].st);
	scene_goto(a, sc, (size_t)v);
	return 1;
}

/* The sandbox as sim_open_sandbox() makes it, with the view's snapshot
** interval. */
static sim *
scene_sandbox(size_t ndevices, prof_kind client, int has_seed, uint64_t seed,
    sb *err)
{
	scn *s = scn_sandbox(ndevices);
	if (s == NULL) {
		sb_addf(err, "a sandbox has 1 to %d devices, not %zu\n",
		    SCN_MAX_DEVICES, ndevices);
		return NULL;
	}
	for (size_t i = 0; i < s->ndevices; i++)
		s->devices[i].client = client;
	sim_opts o = { 0 };
	o.has_seed = has_seed;
	o.seed = seed;
	o.pause_on_ask = 1;
	o.snapshot_every = UI_SNAPSHOT_EVERY;
	return sim_open(s, &o, err);
}

static void
scene_reset_yes(struct ui_app *a, void *ctx)
{
	struct ui_scene *sc = ctx;
	sb err = SB_INIT;
	sim *r;
	if (*sc->path) {
		scn *s = scn_load_file(sc->path, &err, NULL);
		sim_opts o = { 0 };
		o.has_seed = sc->has_seed;
		o.seed = sc->seed;
		o.pause_on_ask = 1;
		o.snapshot_every = scene_snapshot_every(s);
		r = s ? sim_open(s, &o, &err) : NULL;
	} else
		r = scene_sandbox(sc->sandbox_devices, sc->sandbox_client,
		    sc->has_seed, sc->seed, &err);
	if (r == NULL) {
		ui_message(a, "Cannot reset", sb_str(&err));
		sb_free(&err);
		return;
	}
	sb_free(&err);
	sim_close(sc->run);
	sc->run = r;
	ui_scene_forget(sc, 0);
	if (!sc->m_cached)
		ui_model_free(sc->m);
	sc->m = NULL;
	sc->forked = 0;
	sc->solved = 0;
	sc->solution_shown = 0;
	sc->hints_shown = 0;
	sc->hints_seen = 0;
	sc->offered[0] = '\0';
	sc->playing = 0;
	ui_scene_changed(a, sc, 0);
	ui_toast(a, "Reset to the start of the scenario.");
}

static void
scene_solution_yes(struct ui_app *a, void *ctx)
{
	struct ui_scene *sc = ctx;
	const scn *s = sim_scn(sc->run);
	sc->solution_shown = 1;
	sb t = SB_INIT;
	sb_add(&t, "One way to reach the goal (this run no longer counts as "
	    "solved):\n\n");
	for (size_t i = 0; i < s->nsolution; i++) {
		sb_addf(&t, "%zu. ", i + 1);
		scn_step_summary(&s->solution[i], &t);
		sb_addc(&t, '\n');
	}
	ui_message(a, "Reference solution", sb_str(&t));
	sb_free(&t);
}

static void
scene_challenge_key(struct ui_app *a, struct ui_scene *sc, int ch)
{
	const scn *s = sim_scn(sc->run);
	if (s->goal_text == NULL) {
		ui_toast(a, "This scenario is not a challenge: it has no goal.");
		return;
	}
	if (ch == 'G') {
		ui_levels_goal_view(a, sc);
	} else if (ch == 'H') {
		if (s->nhints == 0) {
			ui_toast(a, "This challenge has no hints.");
			return;
		}
		/* The next hint not given yet whose condition holds now: a
		** hint about a stuck push is not given once the push went
		** through. */
		size_t next = s->nhints;
		for (size_t i = 0; i < s->nhints && i < 64 && next == s->nhints;
		    i++)
			if (!(sc->hints_seen & ((uint64_t)1 << i)) &&
			    (s->hint_when == NULL || s->hint_when[i] == NULL ||
			    sim_holds(sc->run, s->hint_when[i]) == 1))
				next = i;
		if (next < s->nhints) {
			sc->hints_seen |= (uint64_t)1 << next;
			sc->hints_shown++;
		}
		sb t = SB_INIT;
		size_t k = 0;
		for (size_t i = 0; i < s->nhints && i < 64; i++)
			if (sc->hints_seen & ((uint64_t)1 << i))
				sb_addf(&t, "Hint %zu: %s\n\n", ++k, s->hints[i]);
		if (next == s->nhints && k == 0)
			sb_add(&t, "No hint fits the state the run is in now.");
		else if (next == s->nhints)
			sb_add(&t, "No further hint fits the state the run is "
			    "in now.");
		else if (sc->hints_shown == s->nhints)
			sb_add(&t, "That was the last hint.");
		else
			sb_add(&t, "Press H again for the next hint.");
		ui_message(a, "Hints", sb_str(&t));
		sb_free(&t);
	} else if (ch == 'v') {
		if (s->nsolution == 0) {
			ui_toast(a, "This challenge has no reference solution.");
			return;
		}
		ui_confirm(a, "Show the solution?", "Seeing the reference "
		    "solution means this run will not count as solved, even "
		    "if you reach the goal afterwards. Show it?",
		    scene_solution_yes, sc, NULL);
	}
}

/* The end of a run as `synclab run` ends it: a final sync, then the
** checker's report (lost writes, convergence, what is still queued). */
static void
scene_finish(struct ui_app *a, struct ui_scene *sc)
{
	sc->playing = 0;
	size_t prev = sim_pos(sc->run);
	sb err = SB_INIT;
	if (sim_finish(sc->run, &err) != 0) {
		ui_message(a, "Cannot finish the run", sb_str(&err));
		sb_free(&err);
		return;
	}
	sb_free(&err);
	ui_scene_changed(a, sc, prev);
	chk_report rep;
	chk_run(sc->run, &rep);
	sb t = SB_INIT;
	sb_add(&t, "Every online device synced twice (the final sync in the "
	    "timeline). The checker found:\n\n");
	chk_format(&rep, &t);
	chk_free(&rep);
	sb_add(&t, "\nh steps back to before the final sync.");
	ui_message(a, "Checker", sb_str(&t));
	sb_free(&t);
}

static void
scene_focus(struct ui_scene *sc, int f)
{
	int n = (int)sim_ndevices(sc->run) + 2;
	sc->focus = ((f % n) + n) % n;
	if (sc->focus >= 1 && sc->focus <= n - 2)
		sc->sel_dev = sc->focus - 1;
}

/* j/k (d: 1 down, -1 up): in a device with rows, moves its selected row
** (past the last one: scrolls on to the queue); in the backend or an
** empty device, scrolls the pane; in the timeline, scrolls it (counted
** from the end). */
static void
scene_updown(struct ui_scene *sc, int d)
{
	int p = sc->focus;
	if (p > (int)sim_ndevices(sc->run)) {
		sc->tl_scroll -= d;
		if (sc->tl_scroll < 0)
			sc->tl_scroll = 0;
		return;
	}
	int n = p > 0 ? (int)ui_scene_nrows(&sc->m->s[p]) : 0;
	if (n == 0) {
		sc->scroll[p] += d;
		if (sc->scroll[p] < 0)
			sc->scroll[p] = 0;
		return;
	}
	int f = p - 1, was = sc->row_sel[f];
	sc->row_sel[f] += d;
	if (sc->row_sel[f] < 0)
		sc->row_sel[f] = 0;
	if (sc->row_sel[f] >= n) {
		/* Past the rows: scroll the queue. */
		sc->row_sel[f] = n - 1;
		sc->scroll[p]++;
	}
	sc->follow[f] = sc->row_sel[f] != was;
	if (d < 0 && !sc->follow[f] && sc->scroll[p] > 0)
		sc->scroll[p]--;
}

static void
scene_leave_yes(struct ui_app *a, void *ctx)
{
	ui_remove(a, ctx);
}

/* 1 when leaving now would lose actions of the student's own that did not
** reach a goal. */
static int
scene_has_work(const struct ui_scene *sc)
{
	return ui_levels_moves(sc) > 0 && !sc->solved;
}

static void
scene_next(struct ui_app *a, struct ui_scene *sc, int ask)
{
	const scn *s = sim_scn(sc->run);
	char *path, *title;
	if (!*sc->path || ui_levels_next(a->opts.datadir, s->id, &path,
	    &title) != 0) {
		ui_toast(a, "No next scenario: this one is not in Learn, or "
		    "it is the last.");
		return;
	}
	if (ask && scene_has_work(sc)) {
		char *text = xasprintf("Open \"%s\"? The actions you took in "
		    "this run are lost.", title);
		ui_confirm(a, "Next scenario?", text, scene_next_yes, sc, NULL);
		free(text);
		free(path);
		free(title);
		return;
	}
	int has_seed = sc->has_seed;
	uint64_t seed = sc->seed;
	ui_remove(a, sc);
	sb err = SB_INIT;
	if (ui_scene_open(a, path, NULL, 0, has_seed, seed, &err) != 0)
		ui_message(a, "Cannot open the next scenario", sb_str(&err));
	sb_free(&err);
	free(path);
	free(title);
}

/* w: every value of the selected row of the focused device in full, or
** every row of the backend. */
static void
scene_whole(struct ui_app *a, struct ui_scene *sc)
{
	int nd = (int)sim_ndevices(sc->run);
	int p = sc->focus >= 1 && sc->focus <= nd ? sc->focus : 0;
	const struct m_store *st = &sc->m->s[p];
	sb t = SB_INIT;
	int k = 0, want = p ? sc->row_sel[p - 1] : -1;
	for (size_t ti = 0; ti < st->nt; ti++) {
		const struct m_table *tb = &st->t[ti];
		for (size_t r = 0; r < tb->nrows; r++, k++) {
			if (want >= 0 && k != want)
				continue;
			sb_addf(&t, "%s/%s\n", tb->name, tb->rows[r].cells[0]);
			for (size_t c = 1; c < tb->ncols; c++)
				sb_addf(&t, "  %s: %s\n", tb->cols[c],
				    tb->rows[r].cells[c]);
			sb_addc(&t, '\n');
		}
	}
	char title[160];
	snprintf(title, sizeof title, "%s: %s", st->name, want >= 0 ?
	    "the selected row" : "every row");
	ui_message(a, title, t.len ? sb_str(&t) : "(no rows)");
	sb_free(&t);
}

static int
scene_key(struct ui_app *a, void *st, int ch)
{
	struct ui_scene *sc = st;
	int nd = (int)sim_ndevices(sc->run);
	int di = ui_scene_dev(sc);
	if (sc->running) {
		int used = scene_running_key(a, sc, ch);
		if (used >= 0)
			return used;
	}
	if (ch > KEY_MAX) {
		scene_focus(sc, ch - KEY_MAX - 1);
		return 1;
	}
	if (ui_cloud_key(a, sc, ch))
		return 1;
	switch (ch) {
	case 'l': case KEY_RIGHT:
		scene_step(a, sc);
		return 1;
	case 'h': case KEY_LEFT:
		scene_back(a, sc);
		return 1;
	case ' ':
		sc->playing = !sc->playing;
		if (sc->playing && sim_pos(sc->run) >= sim_count(sc->run)) {
			sc->playing = 0;
			ui_toast(a, "Nothing left to play.");
		}
		return 1;
	case '+': case '=':
		if (sc->speed + 1 < SCENE_NSPEEDS)
			sc->speed++;
		ui_toast(a, "Playback: one step every %d ms.",
		    scene_speeds[sc->speed]);
		return 1;
	case '-':
		if (sc->speed > 0)
			sc->speed--;
		ui_toast(a, "Playback: one step every %d ms.",
		    scene_speeds[sc->speed]);
		return 1;
	case 'g': {
		char init[32], label[96];
		snprintf(init, sizeof init, "%zu", sim_pos(sc->run));
		snprintf(label, sizeof label, "Go to step (0 = the start, %zu "
		    "= the end):", sim_count(sc->run));
		sc->playing = 0;
		ui_prompt(a, "Go to step", label, init, scene_goto_done, sc);
		return 1;
	}
	case 'r':
		sc->playing = 0;
		ui_confirm(a, "Reset?", "Start the scenario again from the "
		    "beginning? Everything you did in this run is lost.",
		    scene_reset_yes, sc, NULL);
		return 1;
	case '\t':
		scene_focus(sc, sc->focus + 1);
		return 1;
	case KEY_BTAB:
		scene_focus(sc, sc->focus - 1);
		return 1;
	case 'j': case KEY_DOWN:
		scene_updown(sc, 1);
		return 1;
	case 'k': case KEY_UP:
		scene_updown(sc, -1);
		return 1;
	case 'S':
		sc->playing = 0;
		ui_seq_open(a, sc);
		return 1;
	case 'I':
		sc->playing = 0;
		ui_inspect_open(a, sc, sc->focus >= 1 && sc->focus <= nd ?
		    sc->focus : 0);
		return 1;
	case 'n':
		ui_message(a, "Narration", *sc->m->narration ?
		    sc->m->narration : "(nothing to say)");
		return 1;
	case 'G': case 'H': case 'v':
		scene_challenge_key(a, sc, ch);
		return 1;
	case 'F':
		scene_finish(a, sc);
		return 1;
	case 'w':
		scene_whole(a, sc);
		return 1;
	case 'N':
		sc->playing = 0;
		scene_next(a, sc, 1);
		return 1;
	case 'q':
		sc->playing = 0;
		if (!scene_has_work(sc))
			return 0;	/* back, as everywhere */
		ui_confirm(a, "Leave this run?", "The actions you took in this "
		    "run are lost if you leave now. Leave?", scene_leave_yes, sc,
		    NULL);
		return 1;
	}
	if (ch >= '1' && ch <= '9') {
		if (ch - '0' <= nd)
			scene_focus(sc, ch - '0');
		return 1;
	}
	if (di < 0)
		return 0;
	return ui_scene_act_key(a, sc, di, ch);
}

void
ui_scene_stepkey(struct ui_app *a, struct ui_scene *sc, int forward)
{
	if (forward)
		scene_step_run(a, sc, 1);	/* the view is not on top */
	else
		scene_back(a, sc);
}

int
ui_scene_tick_ms(const struct ui_scene *sc)
{
	if (sc->running)
		return 1;	/* the next slice as soon as no key waits */
	return sc->playing ? scene_speeds[sc->speed] : 0;
}

static void
scene_tick(struct ui_app *a, void *st)
{
	struct ui_scene *sc = st;
	if (sc->running) {
		sb err = SB_INIT;
		scene_slice_done(a, sc, scene_slice(a, sc, 0, &err), &err);
		sb_free(&err);
	} else if (sc->playing)
		scene_step(a, sc);
}

static void
scene_close(struct ui_app *a, void *st)
{
	struct ui_scene *sc = st;
	(void)a;
	ui_scene_forget(sc, 0);
	if (!sc->m_cached)
		ui_model_free(sc->m);
	free(sc->cache);
	sim_close(sc->run);
	free(sc->path);
	free(sc);
}

/* Finds a scenario by path, or by id among the shipped ones. */
static scn *
scene_load(struct ui_app *a, const char *arg, char **path, sb *err)
{
	if (strchr(arg, '/') == NULL && strstr(arg, ".json") == NULL &&
	    a->opts.datadir) {
		char *p = xasprintf("%s/%s.json", a->opts.datadir, arg);
		FILE *f = fopen(p, "r");
		if (f) {
			fclose(f);
			scn *s = scn_load_file(p, err, NULL);
			*path = p;
			return s;
		}
		free(p);
	}
	*path = xstrdup(arg);
	return scn_load_file(arg, err, NULL);
}

int
ui_scene_open(struct ui_app *a, const char *path, struct scn *s,
    size_t ndevices, int has_seed, uint64_t seed, sb *err)
{
	struct ui_scene *sc = xcalloc(1, sizeof *sc);
	sc->has_seed = has_seed;
	sc->seed = seed;
	sc->speed = 1;
	sc->sandbox_devices = ndevices;
	sc->sandbox_client = a->opts.client;
	if (s == NULL && path != NULL) {
		s = scene_load(a, path, &sc->path, err);
		if (s == NULL) {
			free(sc->path);
			free(sc);
			return -1;
		}
	} else
		sc->path = xstrdup(s && path ? path : s ? s->path : "");
	if (s) {
		sim_opts o = { 0 };
		o.has_seed = has_seed;
		o.seed = seed;
		o.pause_on_ask = 1;
		o.snapshot_every = scene_snapshot_every(s);
		sc->run = sim_open(s, &o, err);
	} else {
		if (ndevices < 1 || ndevices > SCN_MAX_DEVICES) {
			sb_addf(err, "synclab: sim: --devices takes 1 to %d\n",
			    SCN_MAX_DEVICES);
			free(sc->path);
			free(sc);
			return -1;
		}
		sc->run = scene_sandbox(ndevices, sc->sandbox_client, has_seed,
		    seed, err);
	}
	if (sc->run == NULL) {
		free(sc->path);
		free(sc);
		return -1;
	}
	sc->focus = sim_ndevices(sc->run) > 0 ? 1 : 0;
	ui_scene_changed(a, sc, 0);
	ui_push(a, &ui_scene_screen, sc);
	return 0;
}