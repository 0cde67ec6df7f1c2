/*
** scene-act.c: what the student does to a device in the scenario view:
** the actions of the engine (offline, push, pull, sync, drops), the forms
** that insert and edit rows, deletes and the conflict picker.  Every
** action is a step of its own; acting before the end of the script forks
** the run, after a confirmation.
*/
#include "ui/scene-int.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lib/xmem.h"

static void
scene_do_act(struct ui_app *a, void *ctx)
{
	scn_step *st = ctx;
	struct ui_scene *sc = ui_scene_find(a);
	if (sc == NULL)
		return;
	size_t prev = sim_pos(sc->run), count = sim_count(sc->run);
	int forks = prev < count || sim_awaiting_answer(sc->run);
	sb err = SB_INIT;
	if (sim_act(sc->run, st, &err) != 0) {
		ui_message(a, "That action is not possible", sb_str(&err));
		sb_free(&err);
		return;
	}
	sb_free(&err);
	ui_scene_forget(sc, prev + 1);
	/* The narration says that the run forked (the engine's note), and
	** the title line shows FORKED: no toast repeats it. */
	if (forks)
		sc->forked = 1;
	ui_scene_changed(a, sc, prev);
	ui_scene_after_step(a, sc);
}

static void
scene_free_step(void *p)
{
	scn_step_free(p);
	free(p);
}

void
ui_scene_act(struct ui_app *a, struct ui_scene *sc, scn_step *st)
{
	sc->playing = 0;
	size_t pos = sim_pos(sc->run), count = sim_count(sc->run);
	if (pos < count) {
		char text[512];
		sb summary = SB_INIT;
		scn_step_summary(st, &summary);
		snprintf(text, sizeof text, "Do \"%s\" now?\n\nThe script has "
		    "%zu more step(s). Acting here forks the run: those steps "
		    "are discarded (h still steps back through what you did).",
		    sb_str(&summary), count - pos);
		sb_free(&summary);
		ui_confirm(a, "Fork the run?", text, scene_do_act, st,
		    scene_free_step);
		return;
	}
	scene_do_act(a, st);
	scene_free_step(st);
}

static scn_step *
scene_mkstep(scn_action act, const char *device)
{
	scn_step *st = xcalloc(1, sizeof *st);
	st->act = act;
	st->device = device ? xstrdup(device) : NULL;
	st->count = 1;
	return st;
}

/* The table and row of the selected row of device di; 0, or -1 when the
** device has no rows. */
static int
scene_sel_row(struct ui_scene *sc, int di, const struct m_table **t,
    const struct m_row **r)
{
	const struct m_store *s = &sc->m->s[1 + di];
	int k = sc->row_sel[di];
	for (size_t ti = 0; ti < s->nt; ti++) {
		if (k < (int)s->t[ti].nrows) {
			*t = &s->t[ti];
			*r = &s->t[ti].rows[k];
			return 0;
		}
		k -= (int)s->t[ti].nrows;
	}
	return -1;
}

/* Form context: which device, table and (for edits) row. */
struct scene_form {
	struct ui_scene	*sc;
	int		 dev;
	size_t		 table;		/* index in the scenario's tables */
	char		*id;		/* NULL: insert */
	char		**old;		/* edit: the values shown first */
};

static void
scene_form_free(void *p)
{
	struct scene_form *f = p;
	const scn_table *t = &sim_scn(f->sc->run)->tables[f->table];
	for (size_t i = 0; f->old && i < t->def.ncols; i++)
		free(f->old[i]);
	free(f->old);
	free(f->id);
	free(f);
}

/* Converts a form value to JSON for a column type; NULL with why. */
static cJSON *
scene_value(srv_type type, const char *v, sb *why)
{
	if (strcmp(v, "-") == 0 || strcmp(v, "null") == 0)
		return cJSON_CreateNull();
	switch (type) {
	case SRV_NUMBER: {
		char *end;
		double d = strtod(v, &end);
		if (end == v || *end) {
			sb_addf(why, "\"%s\" is not a number", v);
			return NULL;
		}
		return cJSON_CreateNumber(d);
	}
	case SRV_BOOL:
		if (!strcasecmp(v, "true") || !strcasecmp(v, "yes") ||
		    !strcasecmp(v, "y") || !strcmp(v, "1"))
			return cJSON_CreateTrue();
		if (!strcasecmp(v, "false") || !strcasecmp(v, "no") ||
		    !strcasecmp(v, "n") || !strcmp(v, "0"))
			return cJSON_CreateFalse();
		sb_addf(why, "\"%s\" is not true or false", v);
		return NULL;
	case SRV_STRING:
	case SRV_DATE:
		break;
	}
	return cJSON_CreateString(v);
}

static int
scene_form_done(struct ui_app *a, void *ctx, char **values, size_t n)
{
	struct scene_form *f = ctx;
	struct ui_scene *sc = f->sc;
	const scn_table *t = &sim_scn(sc->run)->tables[f->table];
	cJSON *row = cJSON_CreateObject();
	size_t first = f->id ? 0 : 1;	/* an insert starts with its id */
	for (size_t i = 0; i + first < n && i < t->def.ncols; i++) {
		const char *v = values[i + first];
		if (f->id && f->old && strcmp(v, f->old[i]) == 0)
			continue;	/* unchanged */
		if (!f->id && *v == '\0')
			continue;	/* left out of the insert */
		sb why = SB_INIT;
		cJSON *j = scene_value(t->def.cols[i].type, v, &why);
		if (j == NULL) {
			ui_toast(a, "%s: %s", t->def.cols[i].name, sb_str(&why));
			sb_free(&why);
			cJSON_Delete(row);
			return -1;
		}
		sb_free(&why);
		cJSON_AddItemToObject(row, t->def.cols[i].name, j);
	}
	if (f->id && row->child == NULL) {
		cJSON_Delete(row);
		ui_toast(a, "Nothing changed.");
		return 0;
	}
	const char *dname = sc->m->s[1 + f->dev].name;
	scn_step *st = scene_mkstep(f->id ? SCN_UPDATE : SCN_INSERT, dname);
	st->table = xstrdup(t->def.name);
	if (f->id)
		st->id = xstrdup(f->id);
	else if (values[0][0])
		cJSON_AddStringToObject(row, "id", values[0]);
	st->row = row;
	/* The form closes first (freeing f); then the action, which may ask
	** about a fork. */
	ui_remove(a, a->stack[a->depth - 1].st);
	ui_scene_act(a, sc, st);
	return 1;
}

static void
scene_open_form(struct ui_app *a, struct ui_scene *sc, int di, size_t ti,
    const struct m_row *r)
{
	const scn_table *t = &sim_scn(sc->run)->tables[ti];
	size_t n = t->def.ncols + (r ? 0 : 1);
	const char **labels = xcalloc(n, sizeof *labels);
	const char **init = xcalloc(n, sizeof *init);
	char **own = xcalloc(n, sizeof *own);
	struct scene_form *f = xcalloc(1, sizeof *f);
	f->sc = sc;
	f->dev = di;
	f->table = ti;
	size_t k = 0;
	if (r == NULL) {
		own[k] = xstrdup("id (empty: the device makes one)");
		labels[k] = own[k];
		init[k++] = "";
	} else {
		f->id = xstrdup(r->cells[0]);
		f->old = xcalloc(t->def.ncols, sizeof *f->old);
	}
	static const char *const tn[] = { "string", "number", "true/false",
	    "date, ISO-8601" };
	for (size_t i = 0; i < t->def.ncols; i++, k++) {
		own[k] = xasprintf("%s (%s)", t->def.cols[i].name,
		    tn[t->def.cols[i].type]);
		labels[k] = own[k];
		init[k] = r ? r->cells[4 + i] : "";
		if (f->old)
			f->old[i] = xstrdup(r->cells[4 + i]);
	}
	char title[160], note[256];
	snprintf(title, sizeof title, "%s on %s: %s%s%s", r ? "Edit" :
	    "Insert", sc->m->s[1 + di].name, t->def.name, r ? "/" : "",
	    r ? r->cells[0] : "");
	snprintf(note, sizeof note, "%s Enter saves it as a local %s (queued "
	    "in __operations); Esc cancels.", r ? "Change the fields." :
	    "Fill in the fields; empty ones are left out.", r ? "update" :
	    "insert");
	ui_form(a, title, note, labels, init, n, scene_form_done, f,
	    scene_form_free);
	for (size_t i = 0; i < n; i++)
		free(own[i]);
	free(own);
	free(labels);
	free(init);
}

struct scene_pick {
	struct ui_scene	*sc;
	int		 dev;
};

static void
scene_pick_table(struct ui_app *a, void *ctx, size_t i)
{
	struct scene_pick *p = ctx;
	scene_open_form(a, p->sc, p->dev, i, NULL);
}

static void
scene_insert(struct ui_app *a, struct ui_scene *sc, int di)
{
	const scn *s = sim_scn(sc->run);
	if (s->ntables == 0) {
		ui_toast(a, "This scenario has no tables.");
		return;
	}
	if (s->ntables == 1) {
		scene_open_form(a, sc, di, 0, NULL);
		return;
	}
	const char **names = xcalloc(s->ntables, sizeof *names);
	for (size_t i = 0; i < s->ntables; i++)
		names[i] = s->tables[i].def.name;
	struct scene_pick *p = xcalloc(1, sizeof *p);
	p->sc = sc;
	p->dev = di;
	ui_choose(a, "Insert into which table?", names, s->ntables,
	    scene_pick_table, p, free);
	free(names);
}

/* Purge: of which table, and forced or not.  A device with pending
** operations is asked first, since a forced purge discards the table's
** operations without sending them (an unforced one refuses to run). */
struct scene_purge {
	struct ui_scene	*sc;
	int		 dev;
	size_t		 table;
};

static void
scene_purge_run(struct ui_app *a, struct scene_purge *p, int force)
{
	const scn *s = sim_scn(p->sc->run);
	scn_step *st = scene_mkstep(SCN_PURGE, p->sc->m->s[1 + p->dev].name);
	st->table = xstrdup(s->tables[p->table].def.name);
	st->force = force;
	ui_scene_act(a, p->sc, st);
}

static void
scene_purge_forced(struct ui_app *a, void *ctx)
{
	scene_purge_run(a, ctx, 1);
}

static void
scene_purge_table(struct ui_app *a, void *ctx, size_t i)
{
	/* A copy: the list that called may free ctx when this returns. */
	struct scene_purge *p = xmalloc(sizeof *p);
	*p = *(struct scene_purge *)ctx;
	p->table = i;
	dev *d = sim_dev(p->sc->run, (size_t)p->dev);
	size_t q = dev_queue_len(d);
	if (q == 0) {
		scene_purge_run(a, p, 0);
		free(p);
		return;
	}
	const scn *s = sim_scn(p->sc->run);
	char text[512];
	snprintf(text, sizeof text, "%s has %zu pending operation%s. A purge "
	    "of %s refuses to run while any of them belongs to that table; "
	    "a forced purge deletes those operations (they are never sent), "
	    "then the local rows and the delta token. Force the purge?",
	    p->sc->m->s[1 + p->dev].name, q, q == 1 ? "" : "s",
	    s->tables[i].def.name);
	ui_confirm(a, "Forced purge?", text, scene_purge_forced, p, free);
}

/* U: purge a local table (empties it and resets its delta token; no
** request is sent).  One table: that one; several: a list. */
static void
scene_purge(struct ui_app *a, struct ui_scene *sc, int di)
{
	const scn *s = sim_scn(sc->run);
	if (s->ntables == 0) {
		ui_toast(a, "This scenario has no tables.");
		return;
	}
	struct scene_purge *p = xcalloc(1, sizeof *p);
	p->sc = sc;
	p->dev = di;
	if (s->ntables == 1) {
		scene_purge_table(a, p, 0);
		free(p);
		return;
	}
	const char **names = xcalloc(s->ntables, sizeof *names);
	for (size_t i = 0; i < s->ntables; i++)
		names[i] = s->tables[i].def.name;
	ui_choose(a, "Purge which table?", names, s->ntables,
	    scene_purge_table, p, free);
	free(names);
}

static size_t
scene_table_index(const scn *s, const char *name)
{
	for (size_t i = 0; i < s->ntables; i++)
		if (strcmp(s->tables[i].def.name, name) == 0)
			return i;
	return 0;
}

static void
scene_edit(struct ui_app *a, struct ui_scene *sc, int di, int del)
{
	const struct m_table *t;
	const struct m_row *r;
	if (scene_sel_row(sc, di, &t, &r) != 0) {
		ui_toast(a, "%s has no rows: i inserts one, u pulls.",
		    sc->m->s[1 + di].name);
		return;
	}
	if (del) {
		scn_step *st = scene_mkstep(SCN_DELETE, sc->m->s[1 + di].name);
		st->table = xstrdup(t->name);
		st->id = xstrdup(r->cells[0]);
		ui_scene_act(a, sc, st);
		return;
	}
	scene_open_form(a, sc, di, scene_table_index(sim_scn(sc->run),
	    t->name), r);
}

static void
scene_resolve_pick(struct ui_app *a, struct ui_scene *sc, int di)
{
	sim_conflict *c = NULL;
	size_t n = sim_conflicts(sc->run, &c);
	for (size_t i = 0; i < n; i++) {
		if ((int)c[i].dev != di)
			continue;
		ui_resolve_open(a, sc, &c[i]);
		free(c);
		return;
	}
	free(c);
	ui_toast(a, "%s has no pending conflict.", sc->m->s[1 + di].name);
}

int
ui_scene_act_key(struct ui_app *a, struct ui_scene *sc, int di, int ch)
{
	/* The keys that do not return here run one action of the engine on
	** the device. */
	scn_action act;
	switch (ch) {
	case 'i':
		scene_insert(a, sc, di);
		return 1;
	case 'e': case '\r': case '\n': case KEY_ENTER:
		scene_edit(a, sc, di, 0);
		return 1;
	case 'd':
		scene_edit(a, sc, di, 1);
		return 1;
	case 'c':
		scene_resolve_pick(a, sc, di);
		return 1;
	case 'U':
		scene_purge(a, sc, di);
		return 1;
	case 'o':
		act = sc->m->s[1 + di].net.online ? SCN_OFFLINE : SCN_ONLINE;
		break;
	case 'P':
		act = SCN_PUSH;
		break;
	case 'u':
		act = SCN_PULL;
		break;
	case 's':
		act = SCN_SYNC;
		break;
	case 'x':
		act = SCN_DROP_RESPONSE;
		break;
	case 'X':
		act = SCN_DROP_REQUEST;
		break;
	default:
		return 0;
	}
	ui_scene_act(a, sc, scene_mkstep(act, sc->m->s[1 + di].name));
	return 1;
}
