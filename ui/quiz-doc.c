/*
** quiz-doc.c: the document of the quiz screens: lines of attributed
** segments, wrapped once per redraw at a known width and drawn from a
** scroll offset; bars, and the per-domain and per-topic breakdown.
*/
#include "ui/ui-int.h"
#include "ui/uq.h"

#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "lib/xmem.h"

void
uq_doc_init(struct uq_doc *d, int w)
{
	memset(d, 0, sizeof *d);
	d->w = w < 8 ? 8 : w;
}

void
uq_doc_free(struct uq_doc *d)
{
	for (size_t i = 0; i < d->n; i++) {
		for (size_t k = 0; k < d->l[i].nseg; k++)
			free(d->l[i].seg[k].s);
		free(d->l[i].seg);
	}
	free(d->l);
	memset(d, 0, sizeof *d);
}

void
uq_doc_line(struct uq_doc *d, int row, int sel)
{
	d->l = xreallocarray(d->l, d->n + 1, sizeof *d->l);
	struct uq_dline *l = &d->l[d->n++];
	memset(l, 0, sizeof *l);
	l->row = row;
	l->sel = sel;
}

void
uq_doc_seg(struct uq_doc *d, attr_t at, const char *s)
{
	if (d->n == 0)
		uq_doc_line(d, -1, 0);
	struct uq_dline *l = &d->l[d->n - 1];
	l->seg = xreallocarray(l->seg, l->nseg + 1, sizeof *l->seg);
	l->seg[l->nseg].s = xstrdup(s);
	l->seg[l->nseg].at = at;
	l->nseg++;
}

void
uq_doc_segf(struct uq_doc *d, attr_t at, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	uq_doc_seg(d, at, buf);
}

static void
uq_spaces(char *buf, size_t cap, int n)
{
	if (n < 0)
		n = 0;
	if ((size_t)n >= cap)
		n = (int)cap - 1;
	memset(buf, ' ', (size_t)n);
	buf[n] = '\0';
}

/* Calls fn for each wrapped line of s at width w. */
static void
uq_wrap_each(const char *s, int w, void (*fn)(void *, const char *, int),
    void *ctx)
{
	sb lines = SB_INIT;
	ui_wrap(s, w, &lines);
	int first = 1;
	for (char *p = lines.s, *nl; p && *p; p = nl + 1) {
		nl = strchr(p, '\n');
		*nl = '\0';
		fn(ctx, p, first);
		first = 0;
	}
	sb_free(&lines);
}

struct uq_wctx {
	struct uq_doc	*d;
	attr_t		 at, pat;
	const char	*prefix;
	int		 indent, row, sel;
};

static void
uq_text_line(void *ctx, const char *line, int first)
{
	struct uq_wctx *c = ctx;
	char pad[256];
	uq_doc_line(c->d, c->row, c->sel);
	if (c->prefix && first)
		uq_doc_seg(c->d, c->pat, c->prefix);
	else if (c->indent > 0) {
		uq_spaces(pad, sizeof pad, c->indent);
		uq_doc_seg(c->d, c->at, pad);
	}
	uq_doc_seg(c->d, c->at, line);
}

void
uq_doc_text(struct uq_doc *d, attr_t at, int indent, const char *s)
{
	struct uq_wctx c = { d, at, at, NULL, indent, -1, 0 };
	uq_wrap_each(s, d->w - indent, uq_text_line, &c);
}

void
uq_doc_item(struct uq_doc *d, int row, int sel, attr_t pat,
    const char *prefix, attr_t at, const char *text)
{
	int pw = ui_width(prefix);
	if (pw > d->w / 2)
		pw = d->w / 2;
	struct uq_wctx c = { d, at, pat, prefix, pw, row, sel };
	size_t before = d->n;
	uq_wrap_each(*text ? text : " ", d->w - pw, uq_text_line, &c);
	if (d->n == before) {
		uq_doc_line(d, row, sel);
		uq_doc_seg(d, pat, prefix);
	}
}

void
uq_doc_blank(struct uq_doc *d)
{
	uq_doc_line(d, -1, 0);
}

int
uq_doc_find(const struct uq_doc *d, int row)
{
	for (size_t i = 0; i < d->n; i++)
		if (d->l[i].row == row)
			return (int)i;
	return -1;
}

int
uq_doc_draw(struct ui_app *a, const struct uq_doc *d, int y, int x, int h,
    int *scroll, int follow)
{
	int n = (int)d->n;
	if (h < 1)
		return -1;
	if (follow >= 0) {
		int first = uq_doc_find(d, follow), last = first;
		while (first >= 0 && last + 1 < n && d->l[last + 1].row == follow)
			last++;
		if (first >= 0) {
			if (last >= *scroll + h)
				*scroll = last - h + 1;
			if (first < *scroll)
				*scroll = first;
		}
	}
	if (*scroll > n - h)
		*scroll = n - h;
	if (*scroll < 0)
		*scroll = 0;
	int cy = -1;
	for (int i = 0; i < h && *scroll + i < n; i++) {
		const struct uq_dline *l = &d->l[*scroll + i];
		int cx = x;
		attr_t sel = ui_attr(a, UI_SEL);
		if (l->sel)
			ui_fill(y + i, x, d->w, sel);
		for (size_t k = 0; k < l->nseg && cx < x + d->w; k++)
			cx += ui_put(y + i, cx, x + d->w - cx, l->sel ? sel |
			    (l->seg[k].at & A_BOLD) : l->seg[k].at,
			    l->seg[k].s);
		if (follow >= 0 && l->row == follow && cy < 0)
			cy = y + i;
	}
	/* More below: a marker in the last column (words in the key bar
	** say PgDn). */
	if (*scroll + h < n)
		ui_put(y + h - 1, x + d->w - 1, 1, ui_attr(a, UI_KEY),
		    a->g->more);
	return cy;
}

int
uq_scroll_key(int ch, int *scroll, int page)
{
	if (page < 1)
		page = 1;
	switch (ch) {
	case 'j': case KEY_DOWN:
		(*scroll)++;
		return 1;
	case 'k': case KEY_UP:
		if (*scroll > 0)
			(*scroll)--;
		return 1;
	case KEY_NPAGE: case ' ':
		*scroll += page;
		return 1;
	case KEY_PPAGE: case 'b':
		*scroll = *scroll > page ? *scroll - page : 0;
		return 1;
	case KEY_HOME: case 'g':
		*scroll = 0;
		return 1;
	case KEY_END: case 'G':
		*scroll = INT_MAX / 2;	/* clamped when drawn */
		return 1;
	}
	return 0;
}

void
uq_doc_bar(struct ui_app *a, struct uq_doc *d, double frac, int w)
{
	char buf[256];
	if (w > 200)
		w = 200;
	if (frac < 0)
		frac = 0;
	if (frac > 1)
		frac = 1;
	int full = (int)lround(frac * w);
	uq_spaces(buf, sizeof buf, full);
	if (full > 0)
		uq_doc_seg(d, ui_attr(a, UI_SEL), buf);
	sb rest = SB_INIT;
	for (int i = full; i < w; i++)
		sb_add(&rest, a->g->dot);
	if (rest.len)
		uq_doc_seg(d, ui_attr(a, UI_DIM), sb_str(&rest));
	sb_free(&rest);
}

/* --- the breakdown of a result ------------------------------------------- */

static double
uq_ratio(const qs_tally *t)
{
	return t->weight ? t->earned / t->weight : 0.0;
}

void
uq_doc_row(struct ui_app *a, struct uq_doc *d, const char *name, int namew,
    double frac, const char *counts)
{
	size_t fit = ui_fit(name, namew);
	int pad = namew - ui_width(name);
	uq_doc_line(d, -1, 0);
	uq_doc_segf(d, ui_attr(a, UI_NORMAL), "  %.*s%*s ", (int)fit, name,
	    pad > 0 ? pad : 0, "");
	uq_doc_bar(a, d, frac, 16);
	uq_doc_segf(d, ui_attr(a, UI_NORMAL), " %3d%%  %s",
	    (int)lround(100.0 * frac), counts);
}

static void
uq_tally_line(struct ui_app *a, struct uq_doc *d, const char *name,
    const qs_tally *t, int namew)
{
	char counts[64];
	snprintf(counts, sizeof counts, "%d of %d right", t->right, t->n);
	uq_doc_row(a, d, name, namew, uq_ratio(t), counts);
}

void
uq_breakdown_doc(struct ui_app *a, const qs_result *r, struct uq_doc *d)
{
	int order[QZ_NDOMAIN] = { 0, 1, 2 };
	for (int i = 0; i < QZ_NDOMAIN; i++)
		for (int j = i + 1; j < QZ_NDOMAIN; j++)
			if (uq_ratio(&r->dom[order[j]]) <
			    uq_ratio(&r->dom[order[i]])) {
				int t = order[i];
				order[i] = order[j];
				order[j] = t;
			}
	int namew = d->w - 40;
	if (namew > 34)
		namew = 34;
	if (namew < 8)
		namew = 8;
	uq_doc_text(d, ui_attr(a, UI_HEAD), 0, "By domain (weakest first)");
	for (int i = 0; i < QZ_NDOMAIN; i++)
		if (r->dom[order[i]].n > 0)
			uq_tally_line(a, d, qz_domain_title(
			    (enum qz_domain)order[i]), &r->dom[order[i]], namew);
	uq_doc_blank(d);
	uq_doc_text(d, ui_attr(a, UI_HEAD), 0, "By topic (weakest first)");
	for (size_t i = 0; i < r->ntopics; i++)
		uq_tally_line(a, d, r->topics[i].name, &r->topics[i].t, namew);
}
