/*
** levels.c: the scenarios as levels: which one comes next in the Learn
** order, and a challenge's goal set beside the current state ("goal vs
** yours", as Learn Git Branching shows its goal tree beside yours), with
** the student's actions against par.
**
** Par is the length of the challenge's reference solution: the fewest
** actions known to reach the goal from the end of the script (make test
** replays every reference solution to its goal).  The student's count is
** the actions taken in this run (steps of the student's own, not of the
** script).
*/
#include "ui/scene-int.h"

#include <dirent.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "lib/xmem.h"
#include "sim/chk.h"

/* One scenario file of the shipped folder, for the Learn order. */
struct lv_entry {
	char		*path;
	char		*id;
	char		*title;
	long long	 order;
};

static int
lv_cmp(const void *x, const void *y)
{
	const struct lv_entry *a = x, *b = y;
	if (a->order != b->order)
		return a->order < b->order ? -1 : 1;
	return strcmp(a->id, b->id);
}

int
ui_levels_next(const char *datadir, const char *id, char **path,
    char **title)
{
	*path = *title = NULL;
	DIR *d = datadir && id ? opendir(datadir) : NULL;
	if (d == NULL)
		return -1;
	struct lv_entry *e = NULL;
	size_t n = 0;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		size_t len = strlen(de->d_name);
		if (len < 6 || strcmp(de->d_name + len - 5, ".json") != 0)
			continue;
		char *p = xasprintf("%s/%s", datadir, de->d_name);
		sb err = SB_INIT;
		scn *s = scn_load_file(p, &err, NULL);
		sb_free(&err);
		if (s == NULL) {
			free(p);
			continue;	/* Learn lists it as invalid */
		}
		e = xreallocarray(e, n + 1, sizeof *e);
		e[n].path = p;
		e[n].id = xstrdup(s->id);
		e[n].title = xstrdup(s->title);
		e[n].order = s->order;
		n++;
		scn_free(s);
	}
	closedir(d);
	if (n)
		qsort(e, n, sizeof *e, lv_cmp);
	int rc = -1;
	for (size_t i = 0; i + 1 < n; i++)
		if (strcmp(e[i].id, id) == 0) {
			*path = xstrdup(e[i + 1].path);
			*title = xstrdup(e[i + 1].title);
			rc = 0;
			break;
		}
	for (size_t i = 0; i < n; i++) {
		free(e[i].path);
		free(e[i].id);
		free(e[i].title);
	}
	free(e);
	return rc;
}

size_t
ui_levels_moves(const struct ui_scene *sc)
{
	size_t n = 0, pos = sim_pos(sc->run);
	for (size_t i = 0; i < pos; i++)
		n += sim_step_is_adhoc(sc->run, i) != 0;
	return n;
}

/* The row id of table in a store of the model, or NULL. */
static const struct m_row *
lv_row(const struct m_store *s, const char *table, const char *id,
    const struct m_table **tp)
{
	for (size_t t = 0; t < s->nt; t++) {
		if (strcmp(s->t[t].name, table) != 0)
			continue;
		*tp = &s->t[t];
		for (size_t r = 0; r < s->t[t].nrows; r++)
			if (strcmp(s->t[t].rows[r].cells[0], id) == 0)
				return &s->t[t].rows[r];
		return NULL;
	}
	*tp = NULL;
	return NULL;
}

/* A goal value as text: strings as they are, the rest as JSON. */
static char *
lv_val(const cJSON *v)
{
	if (cJSON_IsString(v))
		return xstrdup(v->valuestring);
	if (cJSON_IsBool(v))
		return xstrdup(cJSON_IsTrue(v) ? "true" : "false");
	char *j = cJSON_PrintUnformatted(v);
	char *r = xstrdup(j ? j : "?");
	free(j);
	return r;
}

/* The current value of column col of row (NULL: no row) as the model
** shows it ("-" for null), with deleted as true/false. */
static const char *
lv_cell(const struct m_table *t, const struct m_row *row, const char *col)
{
	if (row == NULL || t == NULL)
		return "(no row)";
	if (strcmp(col, "deleted") == 0)
		return row->deleted ? "true" : "false";
	for (size_t c = 0; c < t->ncols; c++)
		if (strcmp(t->cols[c], col) == 0)
			return row->cells[c];
	return "?";
}

/* One line of the view: what, goal, yours, and whether they match. */
static void
lv_line(sb *out, int *met, int *total, const char *what, const char *goal,
    const char *yours, int ok)
{
	sb_addf(out, "%s %s\n    goal: %s\n    yours: %s\n", ok ? "[ok]" :
	    "[  ]", what, goal, yours);
	*met += ok;
	(*total)++;
}

/* The rows of a "server" or "device" goal against store s. */
static void
lv_rows(sb *out, int *met, int *total, const char *where,
    const cJSON *rows, const struct m_store *s)
{
	const cJSON *r;
	cJSON_ArrayForEach(r, rows) {
		char table[128];
		const char *slash = strchr(r->string, '/');
		if (slash == NULL || (size_t)(slash - r->string) >= sizeof table)
			continue;
		snprintf(table, sizeof table, "%.*s",
		    (int)(slash - r->string), r->string);
		const struct m_table *t;
		const struct m_row *row = lv_row(s, table, slash + 1, &t);
		char what[256];
		if (cJSON_IsNull(r)) {
			/* A deleted row counts as absent on the server only
			** when it is soft-deleted there. */
			snprintf(what, sizeof what, "%s %s", where, r->string);
			lv_line(out, met, total, what, "no such row", row ?
			    (row->deleted ? "deleted (kept as a tombstone)" :
			    "present") : "no such row", row == NULL ||
			    row->deleted);
			continue;
		}
		const cJSON *f;
		cJSON_ArrayForEach(f, r) {
			snprintf(what, sizeof what, "%s %s %s", where,
			    r->string, f->string);
			char *g = lv_val(f);
			const char *y = lv_cell(t, row, f->string);
			lv_line(out, met, total, what, g, y, row != NULL &&
			    strcmp(g, y) == 0);
			free(g);
		}
	}
}

/* A count goal per device ("queue", "errors"). */
static void
lv_counts(sb *out, int *met, int *total, const char *label,
    const cJSON *goal, const struct ui_scene *sc, int errors)
{
	const cJSON *d;
	cJSON_ArrayForEach(d, goal) {
		int di = sim_dev_index(sc->run, d->string);
		if (di < 0 || !cJSON_IsNumber(d))
			continue;
		const struct m_store *s = &sc->m->s[1 + di];
		size_t cur = errors ? s->nerrs : s->nops;
		char what[160], g[32], y[32];
		snprintf(what, sizeof what, "%s %s", d->string, label);
		snprintf(g, sizeof g, "%d", (int)d->valuedouble);
		snprintf(y, sizeof y, "%zu", cur);
		lv_line(out, met, total, what, g, y, (double)cur ==
		    d->valuedouble);
	}
}

void
ui_levels_goal_view(struct ui_app *a, struct ui_scene *sc)
{
	const scn *s = sim_scn(sc->run);
	sb t = SB_INIT;
	int met = 0, total = 0;
	sb_addf(&t, "%s\n\n", s->goal_text);
	const cJSON *g = s->goal_expect, *k;
	cJSON_ArrayForEach(k, g) {
		if (strcmp(k->string, "server") == 0)
			lv_rows(&t, &met, &total, "server", k, &sc->m->s[0]);
		else if (strcmp(k->string, "device") == 0) {
			const cJSON *d;
			cJSON_ArrayForEach(d, k) {
				int di = sim_dev_index(sc->run, d->string);
				if (di >= 0)
					lv_rows(&t, &met, &total, d->string, d,
					    &sc->m->s[1 + di]);
			}
		} else if (strcmp(k->string, "queue") == 0)
			lv_counts(&t, &met, &total, "queue (__operations)", k,
			    sc, 0);
		else if (strcmp(k->string, "errors") == 0)
			lv_counts(&t, &met, &total, "errors (__errors)", k,
			    sc, 1);
		else if (strcmp(k->string, "converged") == 0 ||
		    strcmp(k->string, "lostWrites") == 0) {
			chk_report rep;
			sim_check(sc->run, &rep);
			char y[64], gv[64];
			if (k->string[0] == 'c') {
				snprintf(gv, sizeof gv, "%s", cJSON_IsTrue(k) ?
				    "every device holds the server's rows" :
				    "devices differ");
				snprintf(y, sizeof y, "%s", rep.converged ?
				    "every device holds the server's rows" :
				    "devices differ");
				lv_line(&t, &met, &total, "convergence", gv, y,
				    rep.converged == cJSON_IsTrue(k));
			} else {
				snprintf(gv, sizeof gv, "%d",
				    (int)k->valuedouble);
				snprintf(y, sizeof y, "%zu", rep.lost);
				lv_line(&t, &met, &total, "lost writes", gv, y,
				    (double)rep.lost == k->valuedouble);
			}
			chk_free(&rep);
		} else {
			char *v = cJSON_PrintUnformatted(k);
			sb_addf(&t, "[??] %s: %s\n", k->string, v ? v : "?");
			free(v);
		}
	}
	size_t moves = ui_levels_moves(sc);
	sb_addf(&t, "\n%d of %d parts of the goal hold%s.\n", met, total,
	    sim_goal(sc->run) == 1 ? ": the goal is reached" : "");
	if (s->nsolution)
		sb_addf(&t, "Your actions: %zu. Par: %zu (the reference "
		    "solution's).\n", moves, s->nsolution);
	else
		sb_addf(&t, "Your actions: %zu.\n", moves);
	sb_addf(&t, "Hints shown: %zu of %zu (H shows the next).",
	    sc->hints_shown, s->nhints);
	ui_message(a, "Goal vs yours", sb_str(&t));
	sb_free(&t);
}
