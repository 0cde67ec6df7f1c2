/*
** prop.c: the convergence property over generated scenarios.
**
**   prop --seeds N [--first S] [--keep DIR] [--print S]
**
** Each seed S generates one scenario (tests the loader accepts like any
** file): 1 or 2 tables under a policy drawn from every policy the engine
** has (none, server-wins, client-wins, last-writer-wins, newest-edit-wins,
** precedence, delta, merge with each fallback, manual), soft delete or
** not, pages of the default size or of 1 to 4 rows, 2 to 4 devices of
** every platform and every client profile (prof.h: the legacy .NET
** client, the JavaScript client, the Datasync toolkit) with clock offsets
** and latencies, and 4 to 30 steps of inserts, updates, deletes, offline
** spells, dropped requests and responses, pushes, pulls, syncs, purges
** and waits.  The run then does what a careful app does at the end of the
** day, round after round until all is settled: every device comes
** online; every pending conflict is resolved, keeping the local or the
** server's side at random (from the fifth round on the server's, so that
** devices that keep re-sending their own sides to each other settle; the
** other side when the engine refuses the one chosen, as it refuses the
** server's side of a 409 whose body carries no row); every device syncs;
** and once nothing is queued, a table without soft delete is purged and
** pulled afresh where a device still disagrees.  Then sim_finish.  The
** property: no crash, every device agrees with the server, and no write
** is lost without an explanation (chk.h: superseded, unseen and
** discarded writes are explained; lost ones are not).
**
** A failing seed is minimised (steps removed one at a time while it still
** fails) and written to DIR/prop-S.json when --keep is given, to be kept
** as a regression scenario once the fault is fixed.
** The last line printed is "N seeds, N failed, N diverged, N lost writes,
** N steps, N s" (diverged: seeds whose devices end apart from the server;
** lost writes: unexplained ones, summed over the seeds).
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "lib/rng.h"
#include "lib/sb.h"
#include "lib/xmem.h"
#include "sim/chk.h"
#include "sim/scn.h"
#include "sim/sim.h"

static const char *const policies[] = {
	"none", "server-wins", "client-wins", "last-writer-wins",
	"newest-edit-wins", "precedence", "delta", "merge", "manual",
};
#define NPOL (sizeof policies / sizeof *policies)
static const char *const platforms[] = { "android", "ios", "windows" };
static const char *const statuses[] = { "new", "open", "done" };
static const char *const clients[] = { "net-legacy", "js", "datasync" };

/* A generated scenario: its head (everything but the steps) and the steps,
** kept apart so that minimising can drop steps. */
typedef struct gen {
	sb	 head;
	char	**steps;
	size_t	 nsteps;
	int	 ndev;
} gen;

static void
gen_free(gen *g)
{
	sb_free(&g->head);
	for (size_t i = 0; i < g->nsteps; i++)
		free(g->steps[i]);
	free(g->steps);
	memset(g, 0, sizeof *g);
}

static void
gen_step(gen *g, char *s)
{
	g->steps = xreallocarray(g->steps, g->nsteps + 1, sizeof *g->steps);
	g->steps[g->nsteps++] = s;
}

#define PICK(r, a)	((a)[rng_below((r), sizeof (a) / sizeof *(a))])

static void
gen_make(gen *g, uint64_t seed)
{
	rng r;
	rng_seed(&r, seed);
	memset(g, 0, sizeof *g);
	int ntab = 1 + (int)rng_below(&r, 2);
	g->ndev = 2 + (int)rng_below(&r, 3);
	sb *h = &g->head;
	sb_addf(h, "{\"id\": \"prop-%llu\", \"title\": \"Generated scenario "
	    "%llu\", \"summary\": \"A scenario generated for the convergence "
	    "property.\", \"objectives\": [{\"text\": \"Devices converge.\", "
	    "\"domain\": \"architecture-services\"}], \"seed\": %llu,\n",
	    (unsigned long long)seed, (unsigned long long)seed,
	    (unsigned long long)(seed % 1000000));
	/* One seed in three pages in 1 to 4 rows, so that pulls take several
	** pages (each profile moves its token and $skip its own way). */
	if (rng_below(&r, 3) == 0)
		sb_addf(h, "\"pageSize\": %d,\n", 1 + (int)rng_below(&r, 4));
	sb_add(h, "\"tables\": [");
	for (int t = 0; t < ntab; t++) {
		const char *pol = policies[rng_below(&r, NPOL)];
		sb_addf(h, "%s\n  {\"name\": \"t%d\", \"columns\": {\"title\": "
		    "\"string\", \"status\": \"string\", \"qty\": \"number\", "
		    "\"done\": \"bool\", \"stamp\": \"date\"}, \"softDelete\": %s, ",
		    t ? "," : "", t, rng_below(&r, 2) ? "true" : "false");
		if (strcmp(pol, "newest-edit-wins") == 0)
			sb_add(h, "\"policy\": {\"policy\": \"newest-edit-wins\", "
			    "\"stamp\": \"stamp\"}");
		else if (strcmp(pol, "precedence") == 0)
			sb_add(h, "\"policy\": {\"policy\": \"precedence\", "
			    "\"order\": [\"new\", \"open\", \"done\"]}");
		else if (strcmp(pol, "merge") == 0)
			sb_addf(h, "\"policy\": {\"policy\": \"merge\", \"fallback\": "
			    "\"%s\"}", rng_below(&r, 2) ? "server-wins" :
			    "client-wins");
		else if (strcmp(pol, "delta") == 0)
			/* delta is for numbers: qty, the rest server-wins */
			sb_add(h, "\"policy\": \"server-wins\", \"fields\": "
			    "{\"qty\": {\"policy\": \"delta\"}}");
		else
			sb_addf(h, "\"policy\": \"%s\"", pol);
		if (strcmp(pol, "precedence") != 0 && strcmp(pol, "delta") != 0 &&
		    rng_below(&r, 4) == 0)
			sb_add(h, ", \"fields\": {\"status\": {\"policy\": "
			    "\"precedence\", \"order\": [\"new\", \"open\", "
			    "\"done\"]}}");
		sb_add(h, "}");
	}
	sb_add(h, "],\n\"devices\": [");
	for (int d = 0; d < g->ndev; d++) {
		/* Drawn one by one: the order in which a call's arguments are
		** evaluated is unspecified, and a seed must give one scenario
		** whatever the compiler. */
		const char *plat = PICK(&r, platforms);
		const char *client = PICK(&r, clients);
		int offset = (int)rng_below(&r, 7) * 500 - 1500;
		int latency = 5 + (int)rng_below(&r, 200);
		sb_addf(h, "%s{\"name\": \"D%d\", \"user\": \"u%d\", \"platform\": "
		    "\"%s\", \"client\": \"%s\", \"clockOffsetMs\": %d, "
		    "\"latencyMs\": %d}", d ? ",\n  " : "", d, d, plat, client, offset,
		    latency);
	}
	sb_add(h, "],\n\"rows\": {");
	for (int t = 0; t < ntab; t++) {
		sb_addf(h, "%s\"t%d\": [", t ? ", " : "", t);
		for (int i = 0; i < 3; i++)
			sb_addf(h, "%s{\"id\": \"r%d\", \"title\": \"row %d\", "
			    "\"status\": \"new\", \"qty\": %d, \"done\": false}",
			    i ? ", " : "", i, i, i);
		sb_add(h, "]");
	}
	sb_add(h, "},\n\"steps\": [\n");
	/* Every device starts with the rows: a pull each. */
	for (int d = 0; d < g->ndev; d++)
		gen_step(g, xasprintf("{\"do\": \"pull\", \"device\": \"D%d\"}", d));
	int nins = 0;
	int n = 4 + (int)rng_below(&r, 27);
	for (int i = 0; i < n; i++) {
		int d = (int)rng_below(&r, (uint64_t)g->ndev);
		int t = (int)rng_below(&r, (uint64_t)ntab);
		int k = (int)rng_below(&r, 3 + (uint64_t)nins);
		char id[32];
		if (k < 3)
			snprintf(id, sizeof id, "r%d", k);
		else
			snprintf(id, sizeof id, "n%d", k - 3);
		uint64_t a = rng_below(&r, 100);
		char *s;
		if (a < 12) {
			s = xasprintf("{\"do\": \"insert\", \"device\": \"D%d\", "
			    "\"table\": \"t%d\", \"row\": {\"id\": \"n%d\", \"title\": "
			    "\"new %d\", \"status\": \"new\", \"qty\": 1}}", d, t, nins,
			    i);
			nins++;
		} else if (a < 45) {
			switch (rng_below(&r, 4)) {
			case 0:
				s = xasprintf("{\"do\": \"update\", \"device\": \"D%d\", "
				    "\"table\": \"t%d\", \"id\": \"%s\", \"set\": "
				    "{\"title\": \"edit %d by D%d\"}}", d, t, id, i, d);
				break;
			case 1:
				s = xasprintf("{\"do\": \"update\", \"device\": \"D%d\", "
				    "\"table\": \"t%d\", \"id\": \"%s\", \"set\": "
				    "{\"status\": \"%s\"}}", d, t, id, PICK(&r, statuses));
				break;
			case 2:
				s = xasprintf("{\"do\": \"update\", \"device\": \"D%d\", "
				    "\"table\": \"t%d\", \"id\": \"%s\", \"set\": "
				    "{\"qty\": %d}}", d, t, id, (int)rng_below(&r, 50));
				break;
			default:
				s = xasprintf("{\"do\": \"update\", \"device\": \"D%d\", "
				    "\"table\": \"t%d\", \"id\": \"%s\", \"set\": "
				    "{\"done\": %s, \"title\": \"both %d\"}}", d, t, id,
				    rng_below(&r, 2) ? "true" : "false", i);
			}
		} else if (a < 50)
			s = xasprintf("{\"do\": \"delete\", \"device\": \"D%d\", "
			    "\"table\": \"t%d\", \"id\": \"%s\"}", d, t, id);
		else if (a < 57)
			s = xasprintf("{\"do\": \"offline\", \"device\": \"D%d\"}", d);
		else if (a < 64)
			s = xasprintf("{\"do\": \"online\", \"device\": \"D%d\"}", d);
		else if (a < 68)
			s = xasprintf("{\"do\": \"drop-request\", \"device\": \"D%d\", "
			    "\"count\": %d}", d, 1 + (int)rng_below(&r, 2));
		else if (a < 72)
			s = xasprintf("{\"do\": \"drop-response\", \"device\": \"D%d\", "
			    "\"count\": %d}", d, 1 + (int)rng_below(&r, 2));
		else if (a < 82)
			s = xasprintf("{\"do\": \"push\", \"device\": \"D%d\"}", d);
		else if (a < 89)
			s = xasprintf("{\"do\": \"pull\", \"device\": \"D%d\", "
			    "\"table\": \"t%d\"}", d, t);
		else if (a < 96)
			s = xasprintf("{\"do\": \"sync\", \"device\": \"D%d\"}", d);
		else if (a < 98)
			s = xasprintf("{\"do\": \"purge\", \"device\": \"D%d\", "
			    "\"table\": \"t%d\"}", d, t);
		else
			s = xasprintf("{\"do\": \"wait\", \"ms\": %d}",
			    1 + (int)rng_below(&r, 5000));
		gen_step(g, s);
	}
	for (int d = 0; d < g->ndev; d++)
		gen_step(g, xasprintf("{\"do\": \"online\", \"device\": \"D%d\"}", d));
}

/* The scenario text with the steps whose keep[i] is set. */
static char *
gen_text(const gen *g, const int *keep)
{
	sb b = SB_INIT;
	sb_add(&b, sb_str(&g->head));
	int first = 1;
	for (size_t i = 0; i < g->nsteps; i++) {
		if (keep && !keep[i])
			continue;
		sb_addf(&b, "%s  %s", first ? "" : ",\n", g->steps[i]);
		first = 0;
	}
	sb_add(&b, "\n]}\n");
	return sb_take(&b);
}

/* Runs one ad-hoc step (fmt takes the device index and a table name). */
static void
prop_act(sim *r, const char *fmt, size_t d, const char *table)
{
	char step[256];
	scn_step st;
	sb errs = SB_INIT;
	snprintf(step, sizeof step, fmt, d, table ? table : "");
	if (scn_step_parse(sim_scn(r), step, &st, &errs) == 0) {
		sim_act(r, &st, &errs);
		scn_step_free(&st);
	}
	sb_free(&errs);
}

/* Whether conflict c is still pending on its device. */
static int
prop_pending(sim *r, const sim_conflict *c)
{
	sim_conflict *all = NULL;
	size_t n = sim_conflicts(r, &all);
	int found = 0;
	for (size_t i = 0; i < n && !found; i++)
		found = all[i].dev == c->dev && strcmp(all[i].table, c->table) == 0 &&
		    strcmp(all[i].id, c->id) == 0;
	free(all);
	return found;
}

/* Resolves conflict c keeping side (the engine leaves the conflict in
** place when it refuses); 1 when it is gone. */
static int
prop_resolve(sim *r, const sim_conflict *c, const char *side, sb *errs)
{
	cJSON *keep = cJSON_CreateString(side);
	sb_reset(errs);
	sim_resolve(r, c->dev, c->table, c->id, keep, errs);
	cJSON_Delete(keep);
	return !prop_pending(r, c);
}

/* 1: no conflict pending, nothing queued and every device agrees with
** the server; 2: nothing pending or queued, but some device disagrees;
** 0: something is pending or queued. */
static int
prop_settled(sim *r)
{
	sim_conflict *c = NULL;
	size_t nc = sim_conflicts(r, &c);
	free(c);
	chk_report rep;
	sim_check(r, &rep);
	int v = nc > 0 || rep.queued > 0 ? 0 : rep.converged ? 1 : 2;
	chk_free(&rep);
	return v;
}

/* What one seed came to: diverged (devices apart from the server at the
** end) and lost (unexplained lost writes). */
typedef struct prop_out {
	int	 diverged;
	size_t	 lost;
} prop_out;

/* Runs one scenario text to its end as a careful app would, its choices
** drawn from seed.  Returns 0 when the property holds, else 1 with why in
** *why (owned); *out says what the checker found. */
static int
prop_check(const char *text, uint64_t seed, char **why, prop_out *out)
{
	memset(out, 0, sizeof *out);
	sb errs = SB_INIT;
	*why = NULL;
	scn *s = scn_load_text("prop.json", text, strlen(text), &errs, NULL);
	if (s == NULL) {
		*why = xasprintf("the generated scenario does not load:\n%s",
		    sb_str(&errs));
		sb_free(&errs);
		return 1;
	}
	sim *r = sim_open(s, NULL, &errs);
	if (r == NULL) {
		*why = xasprintf("sim_open: %s", sb_str(&errs));
		sb_free(&errs);
		return 1;
	}
	int bad = 0;
	if (sim_run(r, &errs) == SIM_ERROR) {
		*why = xasprintf("sim_run: %s", sb_str(&errs));
		bad = 1;
	}
	/* The end of the day, as a careful app ends it: resolve what is
	** stuck and sync everyone, round after round.  Once nothing is stuck
	** or queued, a device that still disagrees is one that kept a row
	** deleted elsewhere: without soft delete a deletion never reaches the
	** other devices (the service's behaviour, which scenarios teach), so
	** an app that must agree purges such a table and pulls it afresh.
	** Lost requests and responses are finite: they run out. */
	rng pick;
	rng_seed(&pick, seed ^ 0x70726f70ULL);
	const scn *sc = sim_scn(r);
	for (int round = 0; round < 64 && !bad; round++) {
		sim_conflict *c = NULL;
		size_t nc = sim_conflicts(r, &c);
		for (size_t i = 0; i < nc; i++) {
			int local = round < 4 && rng_below(&pick, 2);
			if (!prop_resolve(r, &c[i], local ? "local" : "server",
			    &errs))
				prop_resolve(r, &c[i], local ? "server" : "local",
				    &errs);
		}
		free(c);
		for (size_t d = 0; d < sim_ndevices(r); d++)
			prop_act(r, "{\"do\": \"sync\", \"device\": \"D%zu\"}", d,
			    NULL);
		int settled = prop_settled(r);
		if (settled == 1)
			break;
		if (settled == 0)
			continue;
		for (size_t t = 0; t < sc->ntables; t++) {
			if (sc->tables[t].def.soft_delete)
				continue;
			for (size_t d = 0; d < sim_ndevices(r); d++) {
				prop_act(r, "{\"do\": \"purge\", \"device\": "
				    "\"D%zu\", \"table\": \"%s\"}", d,
				    sc->tables[t].def.name);
				prop_act(r, "{\"do\": \"pull\", \"device\": "
				    "\"D%zu\", \"table\": \"%s\"}", d,
				    sc->tables[t].def.name);
			}
		}
		if (prop_settled(r) == 1)
			break;
	}
	if (!bad && sim_finish(r, &errs) != 0) {
		*why = xasprintf("sim_finish: %s", sb_str(&errs));
		bad = 1;
	}
	if (!bad) {
		chk_report rep;
		sim_check(r, &rep);
		out->diverged = !rep.converged;
		out->lost = rep.lost;
		if (!rep.converged || rep.lost > 0) {
			sb f = SB_INIT;
			chk_format(&rep, &f);
			*why = sb_take(&f);
			bad = 1;
		}
		chk_free(&rep);
	}
	sim_close(r);
	sb_free(&errs);
	return bad;
}

/* Drops steps one at a time while the scenario still fails; returns the
** smallest failing text. */
static char *
prop_minimise(const gen *g, uint64_t seed)
{
	int *keep = xcalloc(g->nsteps, sizeof *keep);
	for (size_t i = 0; i < g->nsteps; i++)
		keep[i] = 1;
	for (int changed = 1; changed;) {
		changed = 0;
		for (size_t i = 0; i < g->nsteps; i++) {
			if (!keep[i])
				continue;
			keep[i] = 0;
			char *t = gen_text(g, keep), *why;
			prop_out o;
			int fails = prop_check(t, seed, &why, &o);
			free(t);
			free(why);
			if (fails)
				changed = 1;
			else
				keep[i] = 1;
		}
	}
	char *t = gen_text(g, keep);
	free(keep);
	return t;
}

static int
usage(void)
{
	fprintf(stderr, "usage: prop --seeds N [--first S] [--keep DIR] "
	    "[--print S]\n");
	return 2;
}

int
main(int argc, char **argv)
{
	unsigned long long nseeds = 0, first = 1;
	const char *keep = NULL;
	int print = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--seeds") == 0 && i + 1 < argc)
			nseeds = strtoull(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--first") == 0 && i + 1 < argc)
			first = strtoull(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--keep") == 0 && i + 1 < argc)
			keep = argv[++i];
		else if (strcmp(argv[i], "--print") == 0 && i + 1 < argc) {
			first = strtoull(argv[++i], NULL, 10);
			nseeds = 1;
			print = 1;
		} else
			return usage();
	}
	if (nseeds == 0)
		return usage();
	/* A line at a time: make soak runs several of these side by side
	** into files, and a crash must not take the lines before it along. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	unsigned long long failed = 0, steps = 0, diverged = 0, lost = 0;
	for (unsigned long long s = first; s < first + nseeds; s++) {
		gen g;
		gen_make(&g, s);
		steps += g.nsteps;
		char *text = gen_text(&g, NULL), *why = NULL;
		if (print)
			fputs(text, stdout);
		prop_out o;
		int fails = prop_check(text, s, &why, &o);
		diverged += o.diverged != 0;
		lost += o.lost;
		if (fails) {
			failed++;
			printf("seed %llu fails: %s\n", s, why);
			char *min = prop_minimise(&g, s);
			if (keep) {
				mkdir(keep, 0777);
				char path[4096];
				snprintf(path, sizeof path, "%s/prop-%llu.json", keep, s);
				FILE *f = fopen(path, "w");
				if (f) {
					fputs(min, f);
					fclose(f);
					printf("seed %llu: minimised to %s\n", s, path);
				}
			} else
				printf("seed %llu minimised:\n%s", s, min);
			free(min);
		}
		free(why);
		free(text);
		gen_free(&g);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double secs = (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("%llu seeds, %llu failed, %llu diverged, %llu lost writes, %llu "
	    "steps, %.1f s\n", nseeds, failed, diverged, lost, steps, secs);
	return failed ? 1 : 0;
}
