/*
** dialog.c: the generic modal dialogs: confirm, message, prompt, choose
** and form.  Each is a modal screen drawn over the screen below it; Esc
** closes it without effect.  A dialog pops itself before it calls back,
** so a callback may push another screen.
*/
#include "ui/ui-int.h"

#include <stdlib.h>
#include <string.h>

#include "lib/xmem.h"

enum dlg_kind { DLG_CONFIRM, DLG_MESSAGE, DLG_PROMPT, DLG_CHOOSE, DLG_FORM };

struct dlg {
	enum dlg_kind	 kind;
	char		*title;
	char		*text;
	int		 scroll;
	/* confirm */
	ui_yes_fn	 yes;
	void		*ctx;
	void		(*freectx)(void *);
	/* prompt and form */
	ui_text_fn	 text_done;
	ui_form_fn	 form_done;
	struct ui_line	*fields;
	char		**labels;
	size_t		 nfields;
	size_t		 field;
	/* choose */
	char		**items;
	size_t		 nitems;
	size_t		 sel;
	ui_pick_fn	 pick;
};

static const struct ui_key dlg_confirm_keys[] = {
	{ "y, Enter", "yes, go ahead", "y yes", 0 },
	{ "n, Esc", "no, leave things as they are", "n no", 0 },
	{ NULL, NULL, NULL, 0 }
};
static const struct ui_key dlg_message_keys[] = {
	{ "Enter, Esc", "close", "Enter close", 0 },
	{ "j/k, Down/Up", "scroll", "j/k scroll", 0 },
	{ NULL, NULL, NULL, 0 }
};
static const struct ui_key dlg_prompt_keys[] = {
	{ "Enter", "accept", "Enter ok", 0 },
	{ "Esc", "cancel", "Esc cancel", 0 },
	{ "Backspace", "delete a character; Ctrl-U clears", NULL, 0 },
	{ NULL, NULL, NULL, 0 }
};
static const struct ui_key dlg_choose_keys[] = {
	{ "j/k, Down/Up", "move", "j/k move", 0 },
	{ "Enter, Space", "choose", "Enter choose", 0 },
	{ "Esc", "cancel", "Esc cancel", 0 },
	{ NULL, NULL, NULL, 0 }
};
static const struct ui_key dlg_form_keys[] = {
	{ "Tab, Down", "next field", "Tab next", 0 },
	{ "Shift-Tab, Up", "previous field", NULL, 0 },
	{ "Enter", "accept the form", "Enter ok", 0 },
	{ "Esc", "cancel", "Esc cancel", 0 },
	{ "Ctrl-U", "clear the field", NULL, 0 },
	{ NULL, NULL, NULL, 0 }
};

static void dlg_draw(struct ui_app *, void *);
static int dlg_key(struct ui_app *, void *, int);
static void dlg_close(struct ui_app *, void *);

#define DLG_SCREEN(var, ttl, k) \
	static const struct ui_screen var = { "dialog", ttl, 0, 0, 1, \
	    dlg_draw, dlg_key, NULL, dlg_close, k, NULL }
DLG_SCREEN(dlg_confirm_screen, "Confirm", dlg_confirm_keys);
DLG_SCREEN(dlg_message_screen, "Message", dlg_message_keys);
DLG_SCREEN(dlg_prompt_screen, "Prompt", dlg_prompt_keys);
DLG_SCREEN(dlg_choose_screen, "Choose", dlg_choose_keys);
DLG_SCREEN(dlg_form_screen, "Form", dlg_form_keys);

static struct dlg *
dlg_new(enum dlg_kind kind, const char *title, const char *text)
{
	struct dlg *d = xcalloc(1, sizeof *d);
	d->kind = kind;
	d->title = xstrdup(title ? title : "");
	d->text = xstrdup(text ? text : "");
	return d;
}

static void
dlg_close(struct ui_app *a, void *st)
{
	struct dlg *d = st;
	(void)a;
	if (d->freectx && d->ctx)
		d->freectx(d->ctx);
	free(d->title);
	free(d->text);
	free(d->fields);
	for (size_t i = 0; i < d->nfields && d->labels; i++)
		free(d->labels[i]);
	free(d->labels);
	for (size_t i = 0; i < d->nitems; i++)
		free(d->items[i]);
	free(d->items);
	free(d);
}

/* Draws the n wrapped lines of the text (ui_wrap's output, consumed)
** from line d->scroll; returns lines used. */
static int
dlg_text(struct ui_app *a, struct dlg *d, sb *lines, int n, int y, int x,
    int h, int w)
{
	if (d->scroll > n - h)
		d->scroll = n - h > 0 ? n - h : 0;
	int i = 0, used = 0;
	for (char *p = lines->s, *nl; p && *p; p = nl + 1, i++) {
		nl = strchr(p, '\n');
		*nl = '\0';
		if (i < d->scroll)
			continue;
		if (used >= h)
			break;
		ui_put(y + used, x, w, ui_attr(a, UI_NORMAL), p);
		used++;
	}
	return used;
}

static void
dlg_draw(struct ui_app *a, void *st)
{
	struct dlg *d = st;
	int w = a->w - 8 < 72 ? a->w - 8 : 72;
	if (w < 30)
		w = a->w - 2;
	/* Wrapped once, at the inner width of the box (w fits the
	** screen, so ui_modal_box keeps it). */
	sb lines = SB_INIT;
	int tl = ui_wrap(d->text, w - 4, &lines);
	int extra = 2;
	if (d->kind == DLG_PROMPT)
		extra = 4;
	else if (d->kind == DLG_CHOOSE)
		extra = (int)d->nitems + 2;
	else if (d->kind == DLG_FORM)
		extra = (int)d->nfields * 2 + 2;
	int iy, ix, ih, iw;
	ui_modal_box(a, tl + extra + 2, w, d->title, &iy, &ix, &ih, &iw);
	int body = ih - (extra - 1);
	if (d->kind == DLG_MESSAGE || d->kind == DLG_CONFIRM)
		body = ih - 1;
	if (body < 1)
		body = 1;
	int y = iy + dlg_text(a, d, &lines, tl, iy, ix, body, iw);
	sb_free(&lines);
	switch (d->kind) {
	case DLG_CONFIRM:
		ui_put(iy + ih - 1, ix, iw, ui_attr(a, UI_KEY),
		    "y = yes    n or Esc = no");
		ui_cursor(a, iy + ih - 1, ix);
		break;
	case DLG_MESSAGE:
		ui_put(iy + ih - 1, ix, iw, ui_attr(a, UI_DIM),
		    tl > body ? "j/k scroll, Enter closes" : "Enter closes");
		ui_cursor(a, iy, ix);
		break;
	case DLG_PROMPT:
		y++;
		ui_line_draw(a, &d->fields[0], y, ix, iw, ui_attr(a, UI_SEL));
		break;
	case DLG_CHOOSE: {
		y++;
		int cy = y;
		for (size_t i = 0; i < d->nitems && y < iy + ih; i++, y++) {
			attr_t at = ui_attr(a, i == d->sel ? UI_SEL : UI_NORMAL);
			ui_fill(y, ix, iw, at);
			ui_putf(y, ix, iw, at, "%s %s", i == d->sel ?
			    a->g->cur : " ", d->items[i]);
			if (i == d->sel)
				cy = y;
		}
		ui_cursor(a, cy, ix);
		break;
	}
	case DLG_FORM: {
		y++;
		int cy = y, cx = ix;
		for (size_t i = 0; i < d->nfields && y + 1 < iy + ih; i++) {
			ui_put(y++, ix, iw, ui_attr(a, i == d->field ? UI_FOCUS
			    : UI_HEAD), d->labels[i]);
			ui_line_draw(a, &d->fields[i], y, ix, iw,
			    ui_attr(a, i == d->field ? UI_SEL : UI_DIM));
			if (i == d->field) {
				cy = a->cur_y;
				cx = a->cur_x;
			}
			y++;
		}
		ui_cursor(a, cy, cx);
		break;
	}
	}
}

static int
dlg_key(struct ui_app *a, void *st, int ch)
{
	struct dlg *d = st;
	switch (d->kind) {
	case DLG_CONFIRM:
		if (ch == 'y' || ch == 'Y' || ch == '\r' || ch == '\n' ||
		    ch == KEY_ENTER) {
			ui_yes_fn yes = d->yes;
			void *ctx = d->ctx;
			void (*fc)(void *) = d->freectx;
			d->ctx = NULL;
			ui_pop(a);
			yes(a, ctx);
			if (fc && ctx)
				fc(ctx);
			return 1;
		}
		if (ch == 'n' || ch == 'N' || ch == 27 || ch == 'q') {
			ui_pop(a);
			return 1;
		}
		return ch != '?';
	case DLG_MESSAGE:
		if (ch == 'j' || ch == KEY_DOWN || ch == ' ') {
			d->scroll++;
			return 1;
		}
		if (ch == 'k' || ch == KEY_UP) {
			if (d->scroll > 0)
				d->scroll--;
			return 1;
		}
		if (ch == '\r' || ch == '\n' || ch == KEY_ENTER || ch == 27 ||
		    ch == 'q') {
			ui_pop(a);
			return 1;
		}
		return ch != '?';
	case DLG_PROMPT:
		if (ch == 27) {
			ui_pop(a);
			return 1;
		}
		if (ch == '\r' || ch == '\n' || ch == KEY_ENTER) {
			char *text = xstrdup(d->fields[0].buf);
			if (d->text_done(a, d->ctx, text) == 0)
				ui_remove(a, d);
			free(text);
			return 1;
		}
		ui_line_key(&d->fields[0], ch);
		return 1;
	case DLG_CHOOSE:
		if (ch == 'j' || ch == KEY_DOWN) {
			if (d->sel + 1 < d->nitems)
				d->sel++;
			return 1;
		}
		if (ch == 'k' || ch == KEY_UP) {
			if (d->sel > 0)
				d->sel--;
			return 1;
		}
		if (ch == '\r' || ch == '\n' || ch == KEY_ENTER || ch == ' ') {
			/* The callback runs first (it may open a screen),
			** then the list closes and frees ctx. */
			d->pick(a, d->ctx, d->sel);
			ui_remove(a, d);
			return 1;
		}
		if (ch == 27 || ch == 'q') {
			ui_pop(a);
			return 1;
		}
		return ch != '?';
	case DLG_FORM:
		if (ch == 27) {
			ui_pop(a);
			return 1;
		}
		if (ch == '\t' || ch == KEY_DOWN) {
			d->field = (d->field + 1) % d->nfields;
			return 1;
		}
		if (ch == KEY_BTAB || ch == KEY_UP) {
			d->field = (d->field + d->nfields - 1) % d->nfields;
			return 1;
		}
		if (ch == '\r' || ch == '\n' || ch == KEY_ENTER) {
			char **v = xcalloc(d->nfields, sizeof *v);
			for (size_t i = 0; i < d->nfields; i++)
				v[i] = d->fields[i].buf;
			int keep = d->form_done(a, d->ctx, v, d->nfields);
			free(v);
			if (keep == 0)
				ui_remove(a, d);
			return 1;
		}
		ui_line_key(&d->fields[d->field], ch);
		return 1;
	}
	return 0;
}

void
ui_confirm(struct ui_app *a, const char *title, const char *text,
    ui_yes_fn yes, void *ctx, void (*freectx)(void *))
{
	struct dlg *d = dlg_new(DLG_CONFIRM, title, text);
	d->yes = yes;
	d->ctx = ctx;
	d->freectx = freectx;
	ui_push(a, &dlg_confirm_screen, d);
}

void
ui_message(struct ui_app *a, const char *title, const char *text)
{
	ui_push(a, &dlg_message_screen, dlg_new(DLG_MESSAGE, title, text));
}

void
ui_prompt(struct ui_app *a, const char *title, const char *label,
    const char *initial, ui_text_fn done, void *ctx)
{
	struct dlg *d = dlg_new(DLG_PROMPT, title, label);
	d->fields = xcalloc(1, sizeof *d->fields);
	d->nfields = 1;
	ui_line_set(&d->fields[0], initial ? initial : "");
	d->text_done = done;
	d->ctx = ctx;
	ui_push(a, &dlg_prompt_screen, d);
}

void
ui_choose(struct ui_app *a, const char *title, const char *const *items,
    size_t n, ui_pick_fn done, void *ctx, void (*freectx)(void *))
{
	struct dlg *d = dlg_new(DLG_CHOOSE, title, "");
	d->items = xcalloc(n ? n : 1, sizeof *d->items);
	for (size_t i = 0; i < n; i++)
		d->items[i] = xstrdup(items[i]);
	d->nitems = n;
	d->pick = done;
	d->ctx = ctx;
	d->freectx = freectx;
	ui_push(a, &dlg_choose_screen, d);
}

void
ui_form(struct ui_app *a, const char *title, const char *note,
    const char *const *labels, const char *const *initial, size_t n,
    ui_form_fn done, void *ctx, void (*freectx)(void *))
{
	struct dlg *d = dlg_new(DLG_FORM, title, note);
	d->fields = xcalloc(n ? n : 1, sizeof *d->fields);
	d->labels = xcalloc(n ? n : 1, sizeof *d->labels);
	for (size_t i = 0; i < n; i++) {
		d->labels[i] = xstrdup(labels[i]);
		ui_line_set(&d->fields[i], initial && initial[i] ? initial[i]
		    : "");
	}
	d->nfields = n;
	d->form_done = done;
	d->ctx = ctx;
	d->freectx = freectx;
	ui_push(a, &dlg_form_screen, d);
}
