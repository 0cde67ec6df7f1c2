/*
** out_html.c: a run as one self-contained HTML page (synclab run --format
** html): the story with each step's narration, requests and statuses and
** expectations, a sequence diagram drawn as inline SVG, the backend's
** tables before and after and every device's tables after, and the
** checker's report.  Styles and the one small script are inline, so the
** page needs no network; it is also well-formed XML, so an XML parser can
** check it where no browser is installed.  The script only marks the
** page with the diagram's measured size (data-diagram on <body>), which
** is how tests see that a browser laid the drawing out.
*/
#include "sim/out.h"
#include "sim/out_int.h"
#include "sim/sim.h"
#include "sim/srv.h"
#include "sim/dev.h"
#include "sim/http.h"
#include "sim/scn.h"
#include "sim/tbl.h"
#include "lib/xmem.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#define OUT_LANE	190	/* px between lifelines */
#define OUT_ROW		24	/* px per message */
#define OUT_TOP		46

static void
out_esc(sb *b, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&': sb_add(b, "&amp;"); break;
		case '<': sb_add(b, "&lt;"); break;
		case '>': sb_add(b, "&gt;"); break;
		case '"': sb_add(b, "&quot;"); break;
		default:
			/* Control characters are not allowed in XML. */
			if ((unsigned char)*s < 0x20 && *s != '\n' && *s != '\t')
				sb_addc(b, ' ');
			else
				sb_addc(b, *s);
		}
	}
}

/* At most max bytes of s, escaped, cut at a UTF-8 boundary, "..." after. */
static void
out_esc_cut(sb *b, const char *s, size_t max)
{
	size_t n = strlen(s);
	if (n <= max) {
		out_esc(b, s);
		return;
	}
	while (max > 0 && ((unsigned char)s[max] & 0xc0) == 0x80)
		max--;
	char *t = xstrndup(s, max);
	out_esc(b, t);
	free(t);
	sb_add(b, "...");
}

/* Every table of one SQLite database as HTML tables (rows by id). */
static void
out_html_db(sqlite3 *db, const char *const *names, size_t n, sb *b)
{
	for (size_t i = 0; i < n; i++) {
		sb q = SB_INIT;
		sb_add(&q, "SELECT * FROM ");
		sb_addsqlid(&q, names[i]);
		sb_add(&q, " ORDER BY id");
		sqlite3_stmt *st = NULL;
		sb_add(b, "<table><caption>");
		out_esc(b, names[i]);
		sb_add(b, "</caption>\n");
		if (sqlite3_prepare_v2(db, sb_str(&q), -1, &st, NULL) != SQLITE_OK) {
			sb_add(b, "<tr><td>(cannot read: ");
			out_esc(b, sqlite3_errmsg(db));
			sb_add(b, ")</td></tr></table>\n");
			sb_free(&q);
			continue;
		}
		int nc = sqlite3_column_count(st);
		sb_add(b, "<tr>");
		for (int c = 0; c < nc; c++) {
			sb_add(b, "<th>");
			out_esc(b, sqlite3_column_name(st, c));
			sb_add(b, "</th>");
		}
		sb_add(b, "</tr>\n");
		size_t rows = 0;
		while (sqlite3_step(st) == SQLITE_ROW) {
			sb_add(b, "<tr>");
			for (int c = 0; c < nc; c++) {
				const unsigned char *v = sqlite3_column_text(st, c);
				sb_add(b, "<td>");
				if (v)
					out_esc_cut(b, (const char *)v, 80);
				else
					sb_add(b, "<i>null</i>");
				sb_add(b, "</td>");
			}
			sb_add(b, "</tr>\n");
			rows++;
		}
		if (rows == 0)
			sb_addf(b, "<tr><td colspan=\"%d\"><i>no rows</i></td></tr>\n",
			    nc > 0 ? nc : 1);
		sqlite3_finalize(st);
		sb_add(b, "</table>\n");
		sb_free(&q);
	}
}

char *
out_html_backend_tables(struct sim *r)
{
	srv *s = sim_srv(r);
	size_t n = srv_ntables(s);
	const char **names = xcalloc(n ? n : 1, sizeof *names);
	for (size_t i = 0; i < n; i++)
		names[i] = srv_table_at(s, i)->name;
	sb b = SB_INIT;
	out_html_db(srv_db(s), names, n, &b);
	free(names);
	return sb_take(&b);
}

static void
out_html_devices(struct sim *r, sb *b)
{
	for (size_t i = 0; i < sim_ndevices(r); i++) {
		dev *d = sim_dev(r, i);
		size_t n = dev_ntables(d);
		const char **names = xcalloc(n ? n : 1, sizeof *names);
		for (size_t k = 0; k < n; k++)
			names[k] = dev_table_at(d, k)->name;
		sb_add(b, "<h3>");
		out_esc(b, dev_name(d));
		sb_addf(b, " (local store: %zu operation%s queued, %zu in "
		    "__errors)</h3>\n", dev_queue_len(d),
		    dev_queue_len(d) == 1 ? "" : "s", dev_error_count(d));
		out_html_db(dev_db(d), names, n, b);
		free(names);
	}
}

static const char *
out_status_class(int status)
{
	return status >= 200 && status < 300 ? "ok" :
	    status == 409 || status == 412 ? "conflict" : "bad";
}

/* A push or plan event's messages and notes (out_seq.c) drawn from row
** y on; returns the rows used. */
static size_t
out_html_cloud(struct sim *r, const out_cast *c, const trc_event *e,
    size_t y, size_t w, sb *b)
{
	static const char *const cls[] = { "req", "resp", "lost" };
	out_seq_item it[3];
	size_t n = out_seq_cloud(r, c, e, it);
	for (size_t k = 0; k < n; k++, y += OUT_ROW) {
		size_t fx = it[k].from * OUT_LANE + OUT_LANE / 2;
		size_t tx = it[k].to * OUT_LANE + OUT_LANE / 2;
		if (it[k].kind == OUT_SEQ_NOTE) {
			size_t x = (it[k].from < it[k].to ? it[k].from :
			    it[k].to) * OUT_LANE + 8;
			sb_addf(b, "<text class=\"cloud%s\" x=\"%zu\" "
			    "y=\"%zu\">", it[k].status >= 400 ? " bad" : "", x,
			    y);
			out_esc_cut(b, sb_str(&it[k].text), x < w ?
			    (w - x) / 8 : 10);
			sb_add(b, "</text>\n");
		} else {
			size_t lo = fx < tx ? fx : tx, hi = fx < tx ? tx : fx;
			const char *st = it[k].status ?
			    out_status_class(it[k].status) : "";
			sb_addf(b, "<line class=\"msg cloud %s %s\" x1=\"%zu\" "
			    "y1=\"%zu\" x2=\"%zu\" y2=\"%zu\" "
			    "marker-end=\"url(#arrow)\"/><text class=\"lbl "
			    "%s\" x=\"%zu\" y=\"%zu\">", cls[it[k].kind], st,
			    fx, y, tx, y, st, (lo + hi) / 2, y - 4);
			out_esc_cut(b, sb_str(&it[k].text), (hi - lo) / 6);
			sb_add(b, "</text>\n");
		}
		sb_free(&it[k].text);
	}
	return n;
}

static void
out_html_svg(struct sim *r, sb *b)
{
	const trc *t = sim_trace(r);
	out_cast cast;
	out_cast_of(r, &cast);
	size_t lanes = cast.n, rows = 0;
	for (size_t i = 0; i < t->n; i++) {
		trc_type ty = t->ev[i].type;
		rows += ty == TRC_STEP || ty == TRC_REQUEST || ty == TRC_RESPONSE ||
		    ty == TRC_LOST || ty == TRC_CONFLICT;
		out_seq_item it[3];
		size_t k = out_seq_cloud(r, &cast, &t->ev[i], it);
		rows += k;
		while (k > 0)
			sb_free(&it[--k].text);
	}
	/* Room to the right for the notes over the last columns. */
	size_t w = (lanes + (sim_scn(r)->cloud ? 2 : 0)) * OUT_LANE;
	size_t h = OUT_TOP + (rows + 1) * OUT_ROW;
	sb_addf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"seq\" "
	    "width=\"%zu\" height=\"%zu\" viewBox=\"0 0 %zu %zu\" role=\"img\" "
	    "aria-label=\"sequence diagram of the requests\">\n"
	    "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" "
	    "refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" "
	    "orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\"/>"
	    "</marker></defs>\n", w, h, w, h);
	for (size_t l = 0; l < lanes; l++) {
		size_t x = l * OUT_LANE + OUT_LANE / 2;
		const char *name = cast.name[l];
		sb_addf(b, "<rect class=\"actor\" x=\"%zu\" y=\"6\" width=\"%d\" "
		    "height=\"26\" rx=\"4\"/><text class=\"actor\" x=\"%zu\" "
		    "y=\"24\">", x - (OUT_LANE - 30) / 2, OUT_LANE - 30, x);
		out_esc(b, name);
		sb_addf(b, "</text>\n<line class=\"life\" x1=\"%zu\" y1=\"32\" "
		    "x2=\"%zu\" y2=\"%zu\"/>\n", x, x, h - 4);
	}
	size_t y = OUT_TOP;
	size_t cur = 0;
	for (size_t i = 0; i < t->n; i++) {
		const trc_event *e = &t->ev[i];
		size_t dl = out_cast_device(r, &cast, e->device);
		size_t dx = dl * OUT_LANE + OUT_LANE / 2;
		size_t bx = cast.backend * OUT_LANE + OUT_LANE / 2;
		switch (e->type) {
		case TRC_STEP:
			cur = dl;
			sb_addf(b, "<rect class=\"step\" x=\"2\" y=\"%zu\" width=\"%zu\" "
			    "height=\"%d\"/><text class=\"step\" x=\"8\" y=\"%zu\">"
			    "%zu. ", y - 15, w - 4, OUT_ROW - 4, y + 1, e->step + 1);
			out_esc_cut(b, e->text ? e->text : "", (w - 40) / 8);
			sb_add(b, "</text>\n");
			break;
		case TRC_REQUEST: {
			sb m = SB_INIT;
			out_http_line(e, NULL, 0, &m, NULL);
			/* The line starts with the device's name: drop it. */
			const char *s = sb_str(&m);
			if (e->device && strncmp(s, e->device, strlen(e->device)) == 0)
				s += strlen(e->device);
			while (*s == ' ')
				s++;
			int lost = i + 1 < t->n && t->ev[i + 1].type == TRC_LOST &&
			    t->ev[i + 1].status == 0;
			sb_addf(b, "<line class=\"msg req%s\" x1=\"%zu\" y1=\"%zu\" "
			    "x2=\"%zu\" y2=\"%zu\" marker-end=\"url(#arrow)\"/>"
			    "<text class=\"lbl\" x=\"%zu\" y=\"%zu\">", lost ? " lost" : "",
			    dx, y, bx, y, (dx + bx) / 2, y - 4);
			out_esc_cut(b, s, (bx - dx) / 8);
			sb_add(b, "</text>\n");
			sb_free(&m);
			break;
		}
		case TRC_RESPONSE:
			sb_addf(b, "<line class=\"msg resp %s\" x1=\"%zu\" y1=\"%zu\" "
			    "x2=\"%zu\" y2=\"%zu\" marker-end=\"url(#arrow)\"/>"
			    "<text class=\"lbl %s\" x=\"%zu\" y=\"%zu\">%d ",
			    out_status_class(e->status), bx, y, dx, y,
			    out_status_class(e->status), (dx + bx) / 2, y - 4, e->status);
			out_esc(b, http_reason(e->status));
			sb_add(b, "</text>\n");
			break;
		case TRC_LOST:
			sb_addf(b, "<text class=\"lost\" x=\"%zu\" y=\"%zu\">\u2717 lost: ",
			    (dx + bx) / 2, y);
			out_esc_cut(b, e->text ? e->text : "", 60);
			sb_add(b, "</text>\n");
			break;
		case TRC_CONFLICT:
			sb_addf(b, "<text class=\"note\" x=\"%zu\" y=\"%zu\">conflict: ",
			    (e->device ? dl : cur) * OUT_LANE + 8, y);
			out_esc_cut(b, e->text ? e->text : "",
			    (w - (e->device ? dl : cur) * OUT_LANE) / 8);
			sb_add(b, "</text>\n");
			break;
		case TRC_PUSH:
		case TRC_PLAN:
		case TRC_ERROR:
			y += out_html_cloud(r, &cast, e, y, w, b) * OUT_ROW;
			continue;
		default:
			continue;
		}
		y += OUT_ROW;
	}
	sb_add(b, "</svg>\n");
}

static const char out_css[] =
"body{font:15px/1.45 system-ui,sans-serif;margin:0 auto;max-width:74em;"
"padding:1em 1.5em;color:#1d232a;background:#fff}"
"h1{font-size:1.6em;margin:.2em 0}h2{border-bottom:2px solid #dfe4ea;"
"margin-top:1.6em}h3{font-size:1.05em;margin:1.1em 0 .3em}"
".meta{color:#5a6570}.say{margin:.2em 0 .4em}"
"ul.ev{list-style:none;padding-left:1em;margin:.2em 0}"
"ul.ev li{font:13px/1.5 ui-monospace,monospace;white-space:pre-wrap}"
".ok{color:#17803d}.conflict{color:#b45309}.bad{color:#b91c1c}"
".fail{color:#b91c1c;font-weight:bold}.goal{background:#eef6ff;padding:.5em}"
"table{border-collapse:collapse;margin:.4em 0 1em;font-size:13px}"
"caption{text-align:left;font-weight:bold}"
"td,th{border:1px solid #cfd6dd;padding:2px 6px;text-align:left}"
"th{background:#f1f4f7}.diagram{overflow-x:auto}"
"svg text{font:12px ui-monospace,monospace}"
"svg text.actor{font-weight:bold;text-anchor:middle}"
"svg text.lbl{text-anchor:middle}rect.actor{fill:#f1f4f7;stroke:#5a6570}"
"rect.step{fill:#f6f8fa}line.life{stroke:#aab4be;stroke-dasharray:4 4}"
"line.msg{stroke:#1d232a;stroke-width:1.3}line.resp{stroke-dasharray:6 3}"
"line.lost,line.bad{stroke:#b91c1c}line.conflict{stroke:#b45309}"
"svg text.conflict{fill:#b45309}svg text.bad{fill:#b91c1c}svg text.ok{fill:#17803d}"
"text.lost,text.note{fill:#b91c1c}text.cloud{fill:#1d4ed8}"
"marker path{fill:#1d232a}"
"pre{background:#f6f8fa;padding:.6em;white-space:pre-wrap}"
"@media print{.diagram{overflow:visible}}";

/* Marks <body> once the browser has laid the diagram out. */
static const char out_js[] =
"//<![CDATA[\n"
"window.addEventListener('load', function () {\n"
"  var s = document.getElementById('seq');\n"
"  var b = s.getBBox();\n"
"  var n = s.querySelectorAll('line.msg').length;\n"
"  document.body.setAttribute('data-diagram', (b.width > 0 ? 'rendered ' :"
" 'empty ') + Math.round(b.width) + 'x' + Math.round(b.height) + ' ' + n +"
" ' messages');\n"
"});\n"
"//]]>\n";

void
out_html_write(struct sim *r, const char *before, FILE *f)
{
	const trc *t = sim_trace(r);
	const scn *sc = sim_scn(r);
	sb b = SB_INIT;
	sb_add(&b, "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" "
	    "lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
	    "<meta name=\"viewport\" content=\"width=device-width\"/>\n<title>");
	out_esc(&b, sc->title);
	sb_addf(&b, " \u2014 synclab</title>\n<style>%s</style>\n</head>\n<body>\n"
	    "<header>\n<h1>", out_css);
	out_esc(&b, sc->title);
	sb_add(&b, "</h1>\n<p class=\"meta\">Scenario <code>");
	out_esc(&b, sc->id);
	size_t fails = sim_expect_failures(r);
	sb_addf(&b, "</code>, replayed by synclab " SYNCLAB_VERSION " (synclab "
	    "run --format html): %zu step%s, %zu device%s, %s.</p>\n<p>",
	    sim_count(r), sim_count(r) == 1 ? "" : "s", sim_ndevices(r),
	    sim_ndevices(r) == 1 ? "" : "s", fails ? "some expectations failed" :
	    "every expectation held");
	out_esc(&b, sc->summary);
	sb_add(&b, "</p>\n");
	if (sc->goal_text) {
		sb_add(&b, "<p class=\"goal\">Goal: ");
		out_esc(&b, sc->goal_text);
		sb_add(&b, "</p>\n");
	}
	sb_add(&b, "<nav><a href=\"#story\">Steps</a> \u00b7 <a href=\"#diagram\">"
	    "Sequence diagram</a> \u00b7 <a href=\"#tables\">Tables</a> \u00b7 "
	    "<a href=\"#checker\">Checker</a></nav>\n</header>\n"
	    "<section id=\"story\">\n<h2>Steps</h2>\n");
	/* The story: per step its line, narration, then the events. */
	int open = 0, in_check = 0;
	sb line = SB_INIT;
	for (size_t i = 0; i < t->n; i++) {
		const trc_event *e = &t->ev[i];
		if (e->type == TRC_CHECK) {
			in_check = 1;
			break;
		}
		if (e->type == TRC_STEP) {
			if (open)
				sb_add(&b, "</ul>\n");
			sb_addf(&b, "<h3 id=\"step-%zu\">%zu. ", e->step + 1, e->step + 1);
			out_esc(&b, e->text);
			sb_add(&b, "</h3>\n<ul class=\"ev\">\n");
			open = 1;
			continue;
		}
		if (!open) {
			sb_add(&b, "<ul class=\"ev\">\n");
			open = 1;
		}
		if (e->type == TRC_SAY) {
			sb_add(&b, "</ul>\n<p class=\"say\">");
			out_esc(&b, e->text);
			sb_add(&b, "</p>\n<ul class=\"ev\">\n");
			continue;
		}
		sb_reset(&line);
		const char *cls = "";
		if (e->type == TRC_REQUEST && i + 1 < t->n &&
		    (t->ev[i + 1].type == TRC_RESPONSE || t->ev[i + 1].type == TRC_LOST)) {
			const trc_event *a = &t->ev[i + 1];
			sb res = SB_INIT;
			out_http_line(e, a, a->type == TRC_LOST, &line, &res);
			sb_add(&b, "<li>");
			out_esc(&b, sb_str(&line));
			sb_addf(&b, "<span class=\"%s\">", a->type == TRC_LOST ? "bad" :
			    out_status_class(a->status));
			out_esc(&b, sb_str(&res));
			sb_add(&b, "</span></li>\n");
			sb_free(&res);
			i++;
			continue;
		}
		if (!out_text_event(e, &line))
			continue;
		if (e->type == TRC_EXPECT)
			cls = e->ok ? " class=\"ok\"" : " class=\"fail\"";
		else if (e->type == TRC_CONFLICT)
			cls = " class=\"conflict\"";
		else if (e->type == TRC_ERROR)
			cls = " class=\"bad\"";
		sb_addf(&b, "<li%s>", cls);
		const char *s = sb_str(&line);
		while (*s == ' ')
			s++;
		out_esc(&b, s);
		sb_add(&b, "</li>\n");
	}
	if (open)
		sb_add(&b, "</ul>\n");
	sb_add(&b, "</section>\n<section id=\"diagram\">\n<h2>Sequence diagram"
	    "</h2>\n<p>Each arrow is one HTTP request from a device to the "
	    "backend, or its response (dashed), as the simulated client and "
	    "server exchanged them.</p>\n<div class=\"diagram\">\n");
	out_html_svg(r, &b);
	sb_add(&b, "</div>\n</section>\n<section id=\"tables\">\n<h2>Backend "
	    "tables before the first step</h2>\n");
	if (before)
		sb_add(&b, before);
	else
		sb_add(&b, "<p>(not captured)</p>\n");
	sb_add(&b, "<h2>Backend tables after the run</h2>\n");
	char *after = out_html_backend_tables(r);
	sb_add(&b, after);
	free(after);
	sb_add(&b, "<h2>Each device's tables after the run</h2>\n");
	out_html_devices(r, &b);
	sb_add(&b, "</section>\n<section id=\"checker\">\n<h2>Checker</h2>\n<pre>");
	for (size_t i = 0; in_check && i < t->n; i++)
		if (t->ev[i].type == TRC_CHECK) {
			out_esc(&b, t->ev[i].text);
			sb_addc(&b, '\n');
		}
	if (fails) {
		sb_addf(&b, "%zu expectation%s failed:\n", fails, fails == 1 ? "" : "s");
		for (size_t i = 0; i < t->n; i++)
			if (t->ev[i].type == TRC_EXPECT && !t->ev[i].ok) {
				sb_addf(&b, "  step %zu: \u2717 ", t->ev[i].step + 1);
				out_esc(&b, t->ev[i].text);
				sb_addc(&b, '\n');
			}
	}
	sb_addf(&b, "</pre>\n</section>\n<footer><p class=\"meta\">Written by "
	    "synclab " SYNCLAB_VERSION ". The page is self-contained: no "
	    "network, styles and script inline.</p></footer>\n<script>\n%s"
	    "</script>\n</body>\n</html>\n", out_js);
	sb_free(&line);
	fputs(sb_str(&b), f);
	sb_free(&b);
}
