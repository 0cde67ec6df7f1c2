/*
** resolve.c: manual conflict resolution.  When a push meets a 409/412 on
** a table (or field) whose policy is `manual`, the engine leaves the
** conflict in the device's __errors; this dialog shows the base (the last
** server copy the device saw), the local and the server values field by
** field, lets the student keep local, server, or choose per field, shows
** the request the next push will send, and hands the decision to the
** engine (sim_resolve, or the script's own resolve step when it matches).
*/
#include "ui/ui-int.h"

#include <stdlib.h>
#include <string.h>

#include "lib/xmem.h"

struct resolve {
	struct ui_scene	*sc;
	sim_conflict	 c;
	cJSON		*conf;		/* {"base", "local", "server", "status"} */
	char		**fields;	/* the user columns */
	size_t		 nfields;
	unsigned char	*server;	/* per field: 1 keep the server's */
	const char	*update;	/* the device SDK's update method */
	size_t		 sel;
};

static const struct ui_key resolve_keys[] = {
	{ "j/k, Down/Up", "choose a field", "j/k field", 0 },
	{ "l", "keep the local value of this field", "l local", 0 },
	{ "s", "keep the server value of this field", "s server", 0 },
	{ "Space", "switch this field", NULL, 0 },
	{ "L", "keep every local value", "L all-local", 0 },
	{ "S", "keep every server value", "S all-server", 0 },
	{ "Enter", "apply the decision", "Enter apply", 0 },
	{ "Esc", "decide later (the conflict stays in __errors)", "Esc later", 0 },
	{ NULL, NULL, NULL, 0 }
};

static char *
resolve_val(const cJSON *row, const char *f)
{
	if (row == NULL || cJSON_IsNull(row))
		return xstrdup("(none)");
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(row, f);
	if (v == NULL)
		return xstrdup("-");
	if (cJSON_IsString(v))
		return xstrdup(v->valuestring);
	char *s = cJSON_PrintUnformatted(v);
	char *r = xstrdup(s ? s : "?");
	free(s);
	return r;
}

static int
resolve_all(const struct resolve *r, int server)
{
	for (size_t i = 0; i < r->nfields; i++)
		if (r->server[i] != server)
			return 0;
	return 1;
}

/* The decision as the engine takes it: "local", "server" or an object. */
static cJSON *
resolve_decision(const struct resolve *r)
{
	if (resolve_all(r, 0))
		return cJSON_CreateString("local");
	if (resolve_all(r, 1))
		return cJSON_CreateString("server");
	cJSON *o = cJSON_CreateObject();
	for (size_t i = 0; i < r->nfields; i++)
		cJSON_AddStringToObject(o, r->fields[i], r->server[i] ?
		    "server" : "local");
	return o;
}

/* The request the next push will send after this decision. */
static void
resolve_request(const struct resolve *r, sb *out)
{
	const cJSON *local = cJSON_GetObjectItem(r->conf, "local");
	const cJSON *server = cJSON_GetObjectItem(r->conf, "server");
	if (resolve_all(r, 1)) {
		sb_add(out, r->c.status == 404 ? "No request: the server has "
		    "no such row, so the operation and the local row are "
		    "discarded." : "No request: the operation is cancelled and "
		    "the server's row is stored on the device.");
		return;
	}
	/* If-Match only when the server's version is known (a push with
	** no version sends none). */
	const cJSON *ver = cJSON_GetObjectItem(server, "version");
	char im[160] = "  (no If-Match)";
	if (cJSON_IsString(ver))
		snprintf(im, sizeof im, "  If-Match \"%.120s\"",
		    ver->valuestring);
	if (local == NULL || cJSON_IsNull(local)) {
		sb_addf(out, "DELETE /tables/%s/%s%s", r->c.table, r->c.id, im);
		return;
	}
	sb_addf(out, "%s /tables/%s/%s%s\n", r->update, r->c.table, r->c.id,
	    im);
	cJSON *body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "id", r->c.id);
	for (size_t i = 0; i < r->nfields; i++) {
		const cJSON *src = r->server[i] ? server : local;
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(src,
		    r->fields[i]);
		if (v)
			cJSON_AddItemToObject(body, r->fields[i],
			    cJSON_Duplicate(v, 1));
	}
	char *s = cJSON_PrintUnformatted(body);
	sb_add(out, s ? s : "{}");
	free(s);
	cJSON_Delete(body);
}

static void
resolve_draw(struct ui_app *a, void *st)
{
	struct resolve *r = st;
	int h = (int)r->nfields + 12, w = a->w - 4 < 96 ? a->w - 4 : 96;
	char title[400];
	snprintf(title, sizeof title, "Conflict on %s: %s/%s (%d %s)",
	    dev_name(sim_dev(r->sc->run, r->c.dev)), r->c.table, r->c.id,
	    r->c.status, http_reason(r->c.status));
	int iy, ix, ih, iw;
	ui_modal_box(a, h, w, title, &iy, &ix, &ih, &iw);
	const cJSON *base = cJSON_GetObjectItem(r->conf, "base");
	const cJSON *local = cJSON_GetObjectItem(r->conf, "local");
	const cJSON *server = cJSON_GetObjectItem(r->conf, "server");
	int fw = 12, cw = (iw - fw - 10) / 3;
	if (cw < 6)
		cw = 6;
	int y = iy;
	ui_put(y, ix, iw, ui_attr(a, UI_NORMAL), r->c.status == 404 ?
	    "The server has no such row (deleted there): 404, not a "
	    "conflict. Keep the server's side to drop the change:" :
	    "The device and the server both changed this row. Choose what "
	    "to keep:");
	y += 2;
	attr_t hd = ui_attr(a, UI_HEAD) | A_UNDERLINE;
	ui_put(y, ix, fw, hd, "field");
	ui_put(y, ix + fw + 1, cw, hd, "base");
	ui_put(y, ix + fw + 2 + cw, cw, hd, "local (device)");
	ui_put(y, ix + fw + 3 + 2 * cw, cw, hd, "server");
	ui_put(y, ix + fw + 4 + 3 * cw, 8, hd, "keep");
	y++;
	int cy = y;
	for (size_t i = 0; i < r->nfields && y < iy + ih - 5; i++, y++) {
		char *b = resolve_val(base, r->fields[i]);
		char *l = resolve_val(local, r->fields[i]);
		char *s = resolve_val(server, r->fields[i]);
		int sel = i == r->sel, differ = strcmp(l, s) != 0;
		attr_t at = ui_attr(a, sel ? UI_SEL : UI_NORMAL);
		ui_fill(y, ix, iw, at);
		ui_putf(y, ix, fw, at, "%s%s", differ ? "*" : " ",
		    r->fields[i]);
		ui_put(y, ix + fw + 1, cw, sel ? at : ui_attr(a, UI_DIM), b);
		/* The kept side is bracketed, so it reads without colour. */
		ui_put(y, ix + fw + 2 + cw, cw, r->server[i] ? at : at | A_BOLD,
		    l);
		ui_put(y, ix + fw + 3 + 2 * cw, cw, r->server[i] ? at | A_BOLD :
		    at, s);
		ui_put(y, ix + fw + 4 + 3 * cw, 8, sel ? at : ui_attr(a,
		    UI_KEY), r->server[i] ? "[server]" : "[local]");
		if (sel)
			cy = y;
		free(b);
		free(l);
		free(s);
	}
	y++;
	ui_put(y++, ix, iw, ui_attr(a, UI_HEAD), "The next push will send:");
	sb req = SB_INIT;
	resolve_request(r, &req);
	sb lines = SB_INIT;
	ui_wrap(sb_str(&req), iw - 2, &lines);
	for (char *p = lines.s, *nl; p && *p && y < iy + ih - 1; p = nl + 1) {
		nl = strchr(p, '\n');
		*nl = '\0';
		ui_put(y++, ix + 2, iw - 2, ui_attr(a, UI_OK), p);
	}
	sb_free(&lines);
	sb_free(&req);
	ui_put(iy + ih - 1, ix, iw, ui_attr(a, UI_DIM), "l/s: this field  "
	    "L/S: all  Enter: apply  Esc: later");
	ui_cursor(a, cy, ix);
}

/* 1 when keep (a script's resolve step) decides every field as r does;
** fields an object leaves out keep the server's value. */
static int
resolve_same(const struct resolve *r, const cJSON *keep)
{
	for (size_t i = 0; i < r->nfields; i++) {
		int server;
		if (cJSON_IsString(keep))
			server = strcmp(keep->valuestring, "server") == 0;
		else if (cJSON_IsObject(keep)) {
			const cJSON *v = cJSON_GetObjectItemCaseSensitive(keep,
			    r->fields[i]);
			server = !cJSON_IsString(v) ||
			    strcmp(v->valuestring, "local") != 0;
		} else
			return 0;
		if (server != r->server[i])
			return 0;
	}
	return 1;
}

static void
resolve_fork_yes(struct ui_app *a, void *ctx)
{
	struct resolve *r = ctx;
	struct ui_scene *sc = r->sc;
	cJSON *keep = resolve_decision(r);
	size_t prev = sim_pos(sc->run), count = sim_count(sc->run);
	sb err = SB_INIT;
	if (sim_resolve(sc->run, r->c.dev, r->c.table, r->c.id, keep, &err)
	    != 0)
		ui_message(a, "Cannot resolve", sb_str(&err));
	else {
		ui_scene_forget(sc, prev + 1);
		if (prev < count) {
			sc->forked = 1;
			ui_toast(a, "Resolved; the run forked (the %zu later "
			    "step(s) of the script were discarded).",
			    count - prev);
		} else if (cJSON_IsString(keep) &&
		    strcmp(keep->valuestring, "server") == 0)
			ui_toast(a, "Resolved: the operation left __operations; "
			    "%s", r->c.status == 404 ? "the local row is "
			    "discarded too." : "the device holds the server's "
			    "row.");
		else
			ui_toast(a, "Resolved: the operation is back in the "
			    "queue; the next push sends it.");
		ui_scene_changed(a, sc, prev);
		ui_scene_after_step(a, sc);
	}
	sb_free(&err);
	cJSON_Delete(keep);
}

static void
resolve_free(void *p)
{
	struct resolve *r = p;
	cJSON_Delete(r->conf);
	for (size_t i = 0; i < r->nfields; i++)
		free(r->fields[i]);
	free(r->fields);
	free(r->server);
	free(r);
}

static void
resolve_apply(struct ui_app *a, struct resolve *r)
{
	struct ui_scene *sc = r->sc;
	size_t pos = sim_pos(sc->run), count = sim_count(sc->run);
	const scn_step *nx = sim_step_at(sc->run, pos);
	/* The script's own resolve step, with the same decision: run it, so
	** the script goes on. */
	if (nx && nx->act == SCN_RESOLVE && nx->device && nx->table &&
	    nx->id && strcmp(nx->device, dev_name(sim_dev(sc->run, r->c.dev)))
	    == 0 && strcmp(nx->table, r->c.table) == 0 &&
	    strcmp(nx->id, r->c.id) == 0 && resolve_same(r, nx->row)) {
		/* The dialog's state goes with it: pop first. */
		ui_remove(a, r);
		ui_scene_stepkey(a, sc, 1);
		return;
	}
	/* Take the dialog off the stack without freeing r (the confirm
	** dialog or the call below owns it now). */
	ui_detach(a, r);
	if (pos < count) {
		char text[400];
		snprintf(text, sizeof text, "The script has %zu more step(s)%s. "
		    "Applying your decision forks the run: they are discarded. "
		    "Go ahead?", count - pos, nx && nx->act == SCN_RESOLVE ?
		    ", and its own resolve step decides differently" : "");
		ui_confirm(a, "Fork the run?", text, resolve_fork_yes, r,
		    resolve_free);
		return;
	}
	resolve_fork_yes(a, r);
	resolve_free(r);
}

static int
resolve_key(struct ui_app *a, void *st, int ch)
{
	struct resolve *r = st;
	switch (ch) {
	case 'j': case KEY_DOWN:
		if (r->sel + 1 < r->nfields)
			r->sel++;
		return 1;
	case 'k': case KEY_UP:
		if (r->sel > 0)
			r->sel--;
		return 1;
	case 'l': case KEY_LEFT:
		if (r->nfields)
			r->server[r->sel] = 0;
		return 1;
	case 's': case KEY_RIGHT:
		if (r->nfields)
			r->server[r->sel] = 1;
		return 1;
	case ' ':
		if (r->nfields)
			r->server[r->sel] = !r->server[r->sel];
		return 1;
	case 'L': case 'S':
		for (size_t i = 0; i < r->nfields; i++)
			r->server[i] = ch == 'S';
		return 1;
	case '\r': case '\n': case KEY_ENTER:
		resolve_apply(a, r);
		return 1;
	case 27: case 'q':
		ui_pop(a);
		ui_toast(a, "The conflict stays in __errors; c reopens it.");
		return 1;
	}
	return 0;
}

static void
resolve_close(struct ui_app *a, void *st)
{
	(void)a;
	resolve_free(st);
}

const struct ui_screen ui_resolve_screen = {
	"resolve", "Resolve a conflict", 60, 16, 1, resolve_draw, resolve_key,
	NULL, resolve_close, resolve_keys, NULL
};

void
ui_resolve_open(struct ui_app *a, struct ui_scene *sc, const sim_conflict *c)
{
	dev *d = sim_dev(sc->run, c->dev);
	cJSON *conf = dev_get_conflict(d, c->table, c->id);
	if (conf == NULL) {
		ui_toast(a, "The conflict on %s/%s is gone.", c->table, c->id);
		return;
	}
	struct resolve *r = xcalloc(1, sizeof *r);
	r->sc = sc;
	r->c = *c;
	r->conf = conf;
	r->update = prof_update_method(dev_cfg(d)->client);
	const scn_table *t = scn_table_find(sim_scn(sc->run), c->table);
	size_t n = t ? t->def.ncols : 0;
	r->fields = xcalloc(n ? n : 1, sizeof *r->fields);
	r->server = xcalloc(n ? n : 1, 1);
	for (size_t i = 0; i < n; i++)
		r->fields[i] = xstrdup(t->def.cols[i].name);
	r->nfields = n;
	ui_push(a, &ui_resolve_screen, r);
}
