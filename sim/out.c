/*
** out.c: transcript, JSONL and Mermaid views of a trace; see out.h and
** docs/trace-format.md.
*/
#include "sim/out.h"
#include "sim/out_int.h"
#include "sim/auth.h"
#include "sim/sim.h"
#include "sim/http.h"
#include "lib/xmem.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

int
out_parse_format(const char *s, out_format *f)
{
	if (strcmp(s, "text") == 0)
		*f = OUT_TEXT;
	else if (strcmp(s, "jsonl") == 0)
		*f = OUT_JSONL;
	else if (strcmp(s, "mermaid") == 0)
		*f = OUT_MERMAID;
	else if (strcmp(s, "html") == 0)
		*f = OUT_HTML;
	else
		return -1;
	return 0;
}

/* ---- JSONL ---- */

/* Adds "key": value where value is JSON text kept as JSON when it parses
** (a body, the headers), else as a string. */
static void
out_json_member(sb *b, const char *key, const char *text)
{
	sb_addc(b, ',');
	sb_addjson(b, key);
	sb_addc(b, ':');
	if (text == NULL) {
		sb_add(b, "null");
		return;
	}
	cJSON *v = cJSON_Parse(text);
	if (v) {
		char *j = cJSON_PrintUnformatted(v);
		sb_add(b, j);
		cJSON_free(j);
		cJSON_Delete(v);
	} else
		sb_addjson(b, text);
}

static void
out_str_member(sb *b, const char *key, const char *s)
{
	if (s == NULL)
		return;
	sb_addc(b, ',');
	sb_addjson(b, key);
	sb_addc(b, ':');
	sb_addjson(b, s);
}

void
out_jsonl_event(const trc_event *e, sb *b)
{
	sb_addf(
	    b, "{\"step\":%zu,\"t\":%lld,\"type\":", e->step + 1, (long long)e->t);
	sb_addjson(b, trc_type_name(e->type));
	int http = e->type == TRC_REQUEST || e->type == TRC_RESPONSE ||
	    (e->type == TRC_LOST && e->headers);
	if (http || e->device) {
		sb_add(b, ",\"device\":");
		if (e->device)
			sb_addjson(b, e->device);
		else
			sb_add(b, "null");
	}
	out_str_member(b, "table", e->table);
	out_str_member(b, "id", e->id);
	if (e->type == TRC_REQUEST) {
		out_str_member(b, "method", e->method ? e->method : "");
		out_str_member(b, "path", e->path ? e->path : "");
	} else {
		out_str_member(b, "method", e->method);
		out_str_member(b, "path", e->path);
	}
	/* Responses and conflicts always; any other event (a lost response,
	** a resolve that met a 404) when it has one, except the checker's. */
	if (e->type == TRC_RESPONSE || e->type == TRC_CONFLICT ||
	    (e->status && e->type != TRC_CHECK))
		sb_addf(b, ",\"status\":%d", e->status);
	if (http) {
		out_json_member(b, "headers", e->headers ? e->headers : "{}");
		out_json_member(b, "body", e->body);
	} else if (e->body) {
		if (e->type == TRC_ASK)
			out_str_member(b, "body", e->body);
		else
			out_json_member(b, "body", e->body);
	}
	if (e->type == TRC_EXPECT || e->type == TRC_CHECK ||
	    e->type == TRC_ASK || (e->type == TRC_STEP && e->method))
		sb_addf(b, ",\"ok\":%s", e->ok ? "true" : "false");
	out_str_member(b, "text", e->text);
	sb_addc(b, '}');
}

/* ---- text ---- */

static void
out_trunc(sb *b, const char *s, size_t max)
{
	size_t n = strlen(s);
	if (n <= max) {
		sb_add(b, s);
		return;
	}
	/* Cut on a UTF-8 boundary. */
	size_t k = max;
	while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
		k--;
	sb_addn(b, s, k);
	sb_add(b, "...");
}

/* A request: method, the path with its query decoded, the If-Match
** header, and with body the body of a write (cut). */
static void
out_request(const trc_event *e, int body, sb *b)
{
	/* The query reads better decoded: $filter=(updatedAt ge ...). */
	char *path = http_unescape(e->path ? e->path : "");
	sb_addf(b, "%s %s", e->method ? e->method : "?", path);
	free(path);
	char *im = trc_header(e, "If-Match");
	if (im) {
		sb_addf(b, "  If-Match %s", im);
		free(im);
	}
	/* The session token, shortened: enough to see it is there and when
	** it changes. */
	char *za = trc_header(e, "X-ZUMO-AUTH");
	if (za) {
		char sh[16];
		auth_token_short(za, sh, sizeof sh);
		sb_addf(b, "  X-ZUMO-AUTH %s", sh);
		free(za);
	}
	if (body && e->body && e->method && strcmp(e->method, "GET") != 0) {
		sb_add(b, "  ");
		out_trunc(b, e->body, 90);
	}
}

void
out_http_line(const trc_event *req, const trc_event *resp, int lost,
    sb *out, sb *res)
{
	sb_addf(out, "%-9s ", req->device ? req->device : "");
	out_request(req, 0, out);
	if (res == NULL)
		res = out;
	if (resp == NULL)
		return;
	if (lost && resp->status)
		sb_addf(res, "  -> %d %s, response LOST", resp->status,
		    http_reason(resp->status));
	else if (lost)
		sb_add(res, "  -> LOST (no response)");
	else
		sb_addf(res, "  -> %d %s", resp->status,
		    http_reason(resp->status));
}

int
out_text_event(const trc_event *e, sb *b)
{
	const char *dv = e->device ? e->device : "";
	switch (e->type) {
	case TRC_STEP:
		sb_addf(b, "[%zu] +%lld ms  %s", e->step + 1, (long long)e->t,
		    e->text ? e->text : "");
		return 1;
	case TRC_SAY:
		sb_addf(b, "    \"%s\"", e->text ? e->text : "");
		return 1;
	case TRC_REQUEST:
		sb_addf(b, "    %-10s ", dv);
		out_request(e, 1, b);
		return 1;
	case TRC_RESPONSE:
		sb_addf(b, "    %-10s -> %d %s", dv, e->status,
		    http_reason(e->status));
		return 1;
	case TRC_LOST:
		sb_addf(b, "    %-10s -> LOST: %s", dv, e->text ? e->text : "");
		return 1;
	case TRC_EXPECT:
		sb_addf(b, "    %s expect %s", e->ok ? "\u2713" : "\u2717",
		    e->text ? e->text : "");
		return 1;
	case TRC_ASK:
		sb_addf(b, "    ? %s\n", e->id ? e->id : "");
		if (e->body) {
			const char *p = e->body;
			while (*p) {
				size_t n = strcspn(p, "\n");
				sb_add(b, "      ");
				sb_addn(b, p, n);
				sb_addc(b, '\n');
				p += n;
				if (*p)
					p++;
			}
		}
		if (e->method)
			sb_addf(b, "      answer: %s\n", e->method);
		sb_addf(b, "      %s", e->text ? e->text : "");
		return 1;
	case TRC_CHECK:
		sb_addf(b, "    %-18s %s", e->method ? e->method : "",
		    e->text ? e->text : "");
		return 1;
	case TRC_ERROR:
		sb_addf(b, "    %-10s ERROR %s", dv, e->text ? e->text : "");
		return 1;
	case TRC_CONFLICT:
		sb_addf(b, "    %-10s CONFLICT %s", dv, e->text ? e->text : "");
		return 1;
	case TRC_RESOLVE:
		sb_addf(b, "    %-10s RESOLVED %s", dv, e->text ? e->text : "");
		return 1;
	default:
		if (e->text == NULL)
			return 0;
		sb_addf(b, "    %-10s %s", dv, e->text);
		return 1;
	}
}

static void
out_text(sim *r, FILE *f)
{
	const trc *t = sim_trace(r);
	sb line = SB_INIT;
	int in_check = 0;
	size_t last_step = 0;
	const scn *sc = sim_scn(r);
	fprintf(f, "%s\n", sc->title);
	if (sc->summary && *sc->summary)
		fprintf(f, "%s\n", sc->summary);
	if (sc->goal_text)
		fprintf(f, "goal: %s\n", sc->goal_text);
	fputc('\n', f);
	for (size_t i = 0; i < t->n; i++) {
		const trc_event *e = &t->ev[i];
		sb_reset(&line);
		if (e->type == TRC_CHECK && !in_check) {
			fputs("\nchecker:\n", f);
			in_check = 1;
		}
		/* A request and its answer read best as one line. */
		if (e->type == TRC_REQUEST && i + 1 < t->n &&
		    (t->ev[i + 1].type == TRC_RESPONSE ||
		    t->ev[i + 1].type == TRC_LOST) && t->ev[i + 1].device &&
		    e->device && strcmp(t->ev[i + 1].device, e->device) == 0) {
			const trc_event *a = &t->ev[i + 1];
			sb_addf(&line, "    %-10s ", e->device);
			out_request(e, 1, &line);
			if (a->type == TRC_RESPONSE)
				sb_addf(&line, "  -> %d %s", a->status,
				    http_reason(a->status));
			else
				sb_addf(&line, "  -> LOST (%s)",
				    a->text ? a->text : "");
			i++;
		} else if (!out_text_event(e, &line))
			continue;
		/* A blank line before each step (its ask comes first). */
		if (e->step != last_step) {
			fputc('\n', f);
			last_step = e->step;
		}
		fputs(sb_str(&line), f);
		fputc('\n', f);
	}
	sb_free(&line);
	size_t fails = sim_expect_failures(r);
	if (fails)
		fprintf(f, "\n%zu expectation%s failed:\n", fails,
		    fails == 1 ? "" : "s");
	for (size_t i = 0; fails && i < t->n; i++)
		if (t->ev[i].type == TRC_EXPECT && !t->ev[i].ok)
			fprintf(f, "  step %zu: \u2717 %s\n", t->ev[i].step + 1,
			    t->ev[i].text ? t->ev[i].text : "");
}

/* ---- Mermaid ---- */

static void
out_mm_id(sb *b, const char *name)
{
	if (name == NULL) {
		sb_add(b, "Backend");
		return;
	}
	sb_add(b, "d_");
	for (const char *p = name; *p; p++)
		sb_addc(b,
		    (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			    (*p >= '0' && *p <= '9')
			? *p
			: '_');
}

/* Message text safe for Mermaid: no line breaks, no ';' or '#'. */
static void
out_mm_text(sb *b, const char *s, size_t max)
{
	size_t n = 0;
	for (const char *p = s; *p && n < max; p++, n++) {
		char c = *p;
		if (c == '\n' || c == '\r' || c == '\t')
			c = ' ';
		if (c == ';')
			c = ',';
		if (c == '#') {
			sb_add(b, "#35;");
			continue;
		}
		sb_addc(b, c);
	}
	if (strlen(s) > max)
		sb_add(b, "...");
}

/* A push or plan event's messages and notes (out_seq.c). */
static void
out_mm_cloud(sim *r, const out_cast *c, const trc_event *e, sb *b)
{
	static const char *const arrow[] = { "->>", "-->>", "--x" };
	out_seq_item it[3];
	size_t n = out_seq_cloud(r, c, e, it);
	for (size_t k = 0; k < n; k++) {
		if (it[k].kind == OUT_SEQ_NOTE) {
			sb_addf(b, "    Note over %s", c->id[it[k].from]);
			if (it[k].to != it[k].from)
				sb_addf(b, ",%s", c->id[it[k].to]);
		} else
			sb_addf(b, "    %s%s%s", c->id[it[k].from],
			    arrow[it[k].kind], c->id[it[k].to]);
		sb_add(b, ": ");
		out_mm_text(b, sb_str(&it[k].text), 140);
		sb_addc(b, '\n');
		sb_free(&it[k].text);
	}
}

static void
out_mermaid(sim *r, FILE *f)
{
	const trc *t = sim_trace(r);
	sb b = SB_INIT;
	out_cast cast;
	out_cast_of(r, &cast);
	sb_add(&b, "sequenceDiagram\n");
	for (size_t i = 0; i < cast.n; i++) {
		sb_addf(&b, "    participant %s", cast.id[i]);
		if (strcmp(cast.id[i], cast.name[i]) != 0)
			sb_addf(&b, " as %s", cast.name[i]);
		sb_addc(&b, '\n');
	}
	const char *first = sim_ndevices(r) ? dev_name(sim_dev(r, 0)) : NULL;
	/* Notes without a device sit over the device of their step. */
	const char *cur = first;
	for (size_t i = 0; i < t->n; i++) {
		const trc_event *e = &t->ev[i];
		if (e->type == TRC_STEP)
			cur = e->device ? e->device : first;
		switch (e->type) {
		case TRC_STEP:
			sb_add(&b, "    Note over ");
			out_mm_id(&b, e->device ? e->device : first);
			sb_add(&b, ",Backend: ");
			sb_addf(&b, "%zu. ", e->step + 1);
			out_mm_text(&b, e->text ? e->text : "", 100);
			sb_addc(&b, '\n');
			break;
		case TRC_SAY:
		case TRC_CONFLICT:
		case TRC_RESOLVE:
			sb_add(&b, "    Note over ");
			out_mm_id(&b, e->device ? e->device : cur);
			sb_add(&b, ": ");
			if (e->type == TRC_CONFLICT)
				sb_add(&b, "conflict: ");
			else if (e->type == TRC_RESOLVE)
				sb_add(&b, "resolved: ");
			out_mm_text(&b, e->text ? e->text : "", 140);
			sb_addc(&b, '\n');
			break;
		case TRC_REQUEST: {
			sb m = SB_INIT;
			out_request(e, 1, &m);
			sb_add(&b, "    ");
			out_mm_id(&b, e->device);
			/* A request that never arrived ends in a cross. */
			int lost = i + 1 < t->n &&
			    t->ev[i + 1].type == TRC_LOST &&
			    t->ev[i + 1].status == 0;
			sb_add(&b, lost ? "-x" : "->>");
			sb_add(&b, "Backend: ");
			out_mm_text(&b, sb_str(&m), 120);
			sb_addc(&b, '\n');
			sb_free(&m);
			break;
		}
		case TRC_RESPONSE:
			sb_add(&b, "    Backend-->>");
			out_mm_id(&b, e->device);
			sb_addf(
			    &b, ": %d %s\n", e->status, http_reason(e->status));
			break;
		case TRC_LOST:
			if (e->status) {
				sb_add(&b, "    Backend--x");
				out_mm_id(&b, e->device);
				sb_addf(&b, ": %d %s (lost)\n", e->status,
				    http_reason(e->status));
			} else {
				sb_add(&b, "    Note over ");
				out_mm_id(&b, e->device);
				sb_add(&b, ": lost: ");
				out_mm_text(&b, e->text ? e->text : "", 100);
				sb_addc(&b, '\n');
			}
			break;
		case TRC_PUSH:
		case TRC_PLAN:
		case TRC_ERROR:
			out_mm_cloud(r, &cast, e, &b);
			break;
		default:
			break;
		}
	}
	fputs(sb_str(&b), f);
	sb_free(&b);
}

void
out_write(sim *r, out_format fmt, FILE *f)
{
	if (fmt == OUT_TEXT) {
		out_text(r, f);
		return;
	}
	if (fmt == OUT_MERMAID) {
		out_mermaid(r, f);
		return;
	}
	if (fmt == OUT_HTML) {
		out_html_write(r, NULL, f);
		return;
	}
	const trc *t = sim_trace(r);
	sb b = SB_INIT;
	for (size_t i = 0; i < t->n; i++) {
		sb_reset(&b);
		out_jsonl_event(&t->ev[i], &b);
		sb_addc(&b, '\n');
		fputs(sb_str(&b), f);
	}
	sb_free(&b);
}
