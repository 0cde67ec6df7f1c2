/*
** qx.c: the course formats' common part: names, the import driver (the
** synclab comment, defaults, checks, the JSON written) and the export
** driver.  The readers and writers of each format are in qx_gift.c,
** qx_aiken.c and qx_mxml.c.
*/
#include "quiz/qx_int.h"
#include "lib/jx.h"
#include "lib/xmem.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const qx_names[QX_NFORMAT] = { "gift", "aiken", "moodle-xml" };

const char *
qx_format_name(enum qx_format f)
{
	return (unsigned)f < QX_NFORMAT ? qx_names[f] : "?";
}

int
qx_format_parse(const char *name)
{
	for (int i = 0; i < QX_NFORMAT; i++)
		if (strcmp(name, qx_names[i]) == 0)
			return i;
	if (strcmp(name, "xml") == 0 || strcmp(name, "moodle") == 0)
		return QX_MOODLE_XML;
	return -1;
}

enum qx_format
qx_format_guess(const char *text, size_t len)
{
	size_t i = 0;
	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	while (i < len && isspace((unsigned char)text[i]))
		i++;
	if (len - i >= 5 && (memcmp(text + i, "<?xml", 5) == 0 ||
	    memcmp(text + i, "<quiz", 5) == 0))
		return QX_MOODLE_XML;
	if (memchr(text, '{', len))
		return QX_GIFT;
	for (size_t k = 0; k + 7 <= len; k++)
		if ((k == 0 || text[k - 1] == '\n') &&
		    memcmp(text + k, "ANSWER:", 7) == 0)
			return QX_AIKEN;
	return QX_GIFT;
}

/* ---- small pieces ---- */

void
qx_strs_add(qx_strs *l, char *s)
{
	l->v = xreallocarray(l->v, l->n + 1, sizeof *l->v);
	l->v[l->n++] = s;
}

void
qx_strs_free(qx_strs *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

void
qx_q_free(qx_q *q)
{
	free(q->name);
	free(q->meta);
	free(q->stem);
	free(q->expl);
	qx_strs_free(&q->list);
	qx_strs_free(&q->fb);
	qx_strs_free(&q->targets);
	for (size_t i = 0; i < QZ_MAXPART; i++)
		qx_strs_free(&q->blanks[i]);
	free(q->ans);
	memset(q, 0, sizeof *q);
}

void
qx_q_answer(qx_q *q, int v)
{
	q->ans = xreallocarray(q->ans, q->nans + 1, sizeof *q->ans);
	q->ans[q->nans++] = v;
}

void
qx_q_pair(qx_q *q, char *item, char *target)
{
	size_t ti;
	for (ti = 0; ti < q->targets.n; ti++)
		if (strcmp(q->targets.v[ti], target) == 0)
			break;
	if (ti == q->targets.n)
		qx_strs_add(&q->targets, target);
	else
		free(target);
	if (item[0]) {
		qx_strs_add(&q->list, item);
		qx_q_answer(q, (int)ti);
	} else
		free(item);	/* a spare target */
}

char *
qx_trim(char *s)
{
	size_t a = 0, z = strlen(s);
	while (a < z && isspace((unsigned char)s[a]))
		a++;
	while (z > a && isspace((unsigned char)s[z - 1]))
		z--;
	char *r = xstrndup(s + a, z - a);
	free(s);
	return r;
}

void
qx_weight(sb *out, double pct)
{
	char buf[32];
	snprintf(buf, sizeof buf, "%.5f", pct);
	char *e = buf + strlen(buf) - 1;
	while (*e == '0')
		*e-- = '\0';
	if (*e == '.')
		*e = '\0';
	sb_add(out, buf);
}

static void
qx_vmsg(qx_ctx *c, sb *to, const char *kind, size_t off, const char *fmt,
    va_list ap)
{
	int line, col;
	jx_text_linecol(c->text, c->len, off < c->len ? off : c->len, &line, &col);
	sb_addf(to, "%s:%d:%d: %squestion %zu: ", c->name, line, col, kind,
	    c->seq);
	char buf[1024];
	vsnprintf(buf, sizeof buf, fmt, ap);
	sb_add(to, buf);
	sb_addc(to, '\n');
}

void
qx_err(qx_ctx *c, size_t off, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	qx_vmsg(c, c->errs, "", off, fmt, ap);
	va_end(ap);
	c->nerr++;
}

void
qx_note(qx_ctx *c, size_t off, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	qx_vmsg(c, c->notes, "note: ", off, fmt, ap);
	va_end(ap);
}

/* ---- HTML to text ---- */

char *
qx_html_text(const char *s, int *marked)
{
	static const char *const breaks[] = { "br", "/p", "/div", "/li",
	    "p", "div", "li", NULL };
	static const char *const quiet[] = { "span", "/span", "ul", "/ul",
	    "ol", "/ol", NULL };
	sb o = SB_INIT;
	while (*s) {
		if (*s == '<') {
			const char *e = strchr(s, '>');
			if (e == NULL) {
				sb_add(&o, s);
				break;
			}
			char tag[8];
			size_t n = 0;
			const char *p = s + 1;
			while (p < e && n < sizeof tag - 1 &&
			    (isalpha((unsigned char)*p) || (*p == '/' && n == 0)))
				tag[n++] = (char)tolower((unsigned char)*p++);
			tag[n] = '\0';
			int known = 0;
			for (size_t i = 0; breaks[i]; i++)
				if (strcmp(tag, breaks[i]) == 0) {
					known = 1;
					/* An opening <p> after text, and every
					** closing one, ends a line. */
					if ((tag[0] == '/' || strcmp(tag, "br") == 0) ||
					    (o.len && o.s[o.len - 1] != '\n'))
						sb_addc(&o, '\n');
				}
			for (size_t i = 0; quiet[i]; i++)
				if (strcmp(tag, quiet[i]) == 0)
					known = 1;
			if (!known)
				*marked = 1;
			s = e + 1;
			continue;
		}
		if (*s == '&') {
			static const struct { const char *n; const char *v; } ents[] = {
				{ "&amp;", "&" }, { "&lt;", "<" }, { "&gt;", ">" },
				{ "&quot;", "\"" }, { "&apos;", "'" }, { "&#39;", "'" },
				{ "&nbsp;", " " }, { NULL, NULL } };
			int done = 0;
			for (size_t i = 0; ents[i].n; i++)
				if (strncmp(s, ents[i].n, strlen(ents[i].n)) == 0) {
					sb_add(&o, ents[i].v);
					s += strlen(ents[i].n);
					done = 1;
					break;
				}
			if (done)
				continue;
		}
		sb_addc(&o, *s++);
	}
	/* Blank lines and spaces at both ends go. */
	return qx_trim(sb_take(&o));
}

/* ---- import ---- */

char *
qx_id_from(const char *s, size_t n)
{
	sb o = SB_INIT;
	int dash = 0;
	for (const char *end = s + n; s < end && *s && o.len < 48; s++) {
		if (isalnum((unsigned char)*s)) {
			if (dash && o.len)
				sb_addc(&o, '-');
			dash = 0;
			sb_addc(&o, (char)tolower((unsigned char)*s));
		} else
			dash = 1;
	}
	return sb_take(&o);
}

static int
qx_id_used(qx_ctx *c, const char *id)
{
	for (size_t i = 0; i < c->ids.n; i++)
		if (strcmp(c->ids.v[i], id) == 0)
			return 1;
	return 0;
}

static cJSON *
qx_json_strs(const qx_strs *l)
{
	cJSON *a = cJSON_CreateArray();
	for (size_t i = 0; i < l->n; i++)
		cJSON_AddItemToArray(a, cJSON_CreateString(l->v[i]));
	return a;
}

/* The explanation of a question imported without one: the right answer,
** said plainly (true, if not yet a reason). */
static char *
qx_default_expl(const qx_q *q)
{
	sb o = SB_INIT;
	switch (q->type) {
	case QZ_SINGLE:
		sb_addf(&o, "The right answer is \"%s\".", q->list.v[q->ans[0]]);
		break;
	case QZ_MULTIPLE:
		sb_add(&o, "The right answers are");
		for (size_t i = 0; i < q->nans; i++)
			sb_addf(&o, "%s \"%s\"", i ? (i + 1 == q->nans ? " and" : ",") : "",
			    q->list.v[q->ans[i]]);
		sb_addc(&o, '.');
		break;
	case QZ_YESNO:
		for (size_t i = 0; i < q->nans; i++)
			sb_addf(&o, "%s%zu: %s", i ? "; " : "The answers are ",
			    i + 1, q->ans[i] ? "Yes" : "No");
		sb_addc(&o, '.');
		break;
	case QZ_MATCHING:
		for (size_t i = 0; i < q->nans; i++)
			sb_addf(&o, "%s\"%s\" goes with \"%s\"", i ? "; " : "",
			    q->list.v[i], q->targets.v[q->ans[i]]);
		sb_addc(&o, '.');
		break;
	case QZ_ORDERING:
		sb_add(&o, "The right order is");
		for (size_t i = 0; i < q->nans; i++)
			sb_addf(&o, "%s \"%s\"", i ? "," : "", q->list.v[q->ans[i]]);
		sb_addc(&o, '.');
		break;
	default:
		for (size_t i = 0; i < q->nans; i++)
			sb_addf(&o, "%sblank %zu is \"%s\"", i ? "; " : "The right answers: ",
			    i + 1, q->blanks[i].v[q->ans[i]]);
		sb_addc(&o, '.');
		break;
	}
	return sb_take(&o);
}

/* Turns a matching question back into the type named in the synclab
** comment.  Returns 0, or -1 (error recorded) when it does not fit. */
static int
qx_unmatch(qx_ctx *c, qx_q *q, const char *as)
{
	if (q->type != QZ_MATCHING) {
		qx_err(c, q->off, "the synclab comment says \"%s\", but this is "
		    "not a matching question", as);
		return -1;
	}
	size_t n = q->list.n;
	if (strcmp(as, "yesno") == 0) {
		for (size_t i = 0; i < n; i++) {
			const char *t = q->targets.v[q->ans[i]];
			if (strcmp(t, "Yes") && strcmp(t, "No")) {
				qx_err(c, q->off, "a yes/no series matches every "
				    "statement with Yes or No, not \"%s\"", t);
				return -1;
			}
			q->ans[i] = strcmp(t, "Yes") == 0;
		}
		qx_strs_free(&q->targets);
		q->type = QZ_YESNO;
		return 0;
	}
	/* ordering: item i sits at position targets[ans[i]] ("1", "2" ...),
	** or is not in the order. */
	int *order = xcalloc(n ? n : 1, sizeof *order);
	size_t k = 0;
	for (size_t pos = 1; pos <= n; pos++)
		for (size_t i = 0; i < n; i++) {
			const char *t = q->targets.v[q->ans[i]];
			char *end;
			unsigned long p = strtoul(t, &end, 10);
			if (*end == '\0' && p == pos)
				order[k++] = (int)i;
		}
	for (size_t i = 0; i < n; i++) {
		const char *t = q->targets.v[q->ans[i]];
		char *end;
		unsigned long p = strtoul(t, &end, 10);
		if (!((*end == '\0' && p >= 1 && p <= n) ||
		    strcmp(t, "Not in the order") == 0)) {
			qx_err(c, q->off, "an ordering matches every item with its "
			    "position or \"Not in the order\", not \"%s\"", t);
			free(order);
			return -1;
		}
	}
	free(q->ans);
	q->ans = order;
	q->nans = k;
	qx_strs_free(&q->targets);
	q->type = QZ_ORDERING;
	return 0;
}

/* The synclab comment: what the format could not hold.  Returns 0, or -1
** (error recorded). */
static int
qx_apply_meta(qx_ctx *c, qx_q *q, cJSON **meta)
{
	if (q->meta == NULL)
		return 0;
	*meta = cJSON_Parse(q->meta);
	if (!cJSON_IsObject(*meta)) {
		qx_err(c, q->off, "the synclab comment is not a JSON object");
		return -1;
	}
	const cJSON *as = cJSON_GetObjectItemCaseSensitive(*meta, "as");
	if (cJSON_IsString(as)) {
		if (strcmp(as->valuestring, "yesno") == 0 ||
		    strcmp(as->valuestring, "ordering") == 0) {
			if (qx_unmatch(c, q, as->valuestring))
				return -1;
		} else if (strcmp(as->valuestring, "dropdown") == 0) {
			/* A one-blank dropdown written as GIFT's missing word. */
			char *blank = q->stem ? strstr(q->stem, "_____") : NULL;
			if (q->type == QZ_SINGLE && blank == NULL && q->stem) {
				/* The blank ended the text: Moodle then
				** writes no "_____". */
				char *t = xasprintf("%s _____", q->stem);
				free(q->stem);
				q->stem = t;
				blank = strstr(t, "_____");
			}
			if (q->type != QZ_SINGLE || blank == NULL) {
				qx_err(c, q->off, "the synclab comment says "
				    "\"dropdown\", but this is not a missing-word "
				    "question");
				return -1;
			}
			sb s = SB_INIT;
			sb_addn(&s, q->stem, (size_t)(blank - q->stem));
			sb_add(&s, "{1}");
			sb_add(&s, blank + 5);
			free(q->stem);
			q->stem = sb_take(&s);
			q->blanks[0] = q->list;
			memset(&q->list, 0, sizeof q->list);
			qx_strs_free(&q->fb);
			q->nblanks = 1;
			q->type = QZ_DROPDOWN;
		}
	}
	const cJSON *fb = cJSON_GetObjectItemCaseSensitive(*meta, "feedback");
	if (cJSON_IsArray(fb)) {
		qx_strs_free(&q->fb);
		const cJSON *e;
		cJSON_ArrayForEach(e, fb)
			qx_strs_add(&q->fb, xstrdup(cJSON_IsString(e) ? e->valuestring : ""));
	}
	return 0;
}

static int
qx_count_ok(qx_ctx *c, const qx_q *q)
{
	static const struct { size_t lo, hi; const char *what; } lim[] = {
		[QZ_SINGLE] = { 2, 8, "options" },
		[QZ_MULTIPLE] = { 3, 8, "options" },
		[QZ_YESNO] = { 2, 6, "statements" },
		[QZ_MATCHING] = { 2, 8, "items" },
		[QZ_ORDERING] = { 3, 8, "items" },
		[QZ_DROPDOWN] = { 1, 8, "blanks" },
	};
	size_t n = q->type == QZ_DROPDOWN ? q->nblanks : q->list.n;
	if (n < lim[q->type].lo || n > lim[q->type].hi) {
		qx_err(c, q->off, "%zu %s; a %s question has %zu to %zu", n,
		    lim[q->type].what, qz_type_name((enum qz_type)q->type),
		    lim[q->type].lo, lim[q->type].hi);
		return 0;
	}
	for (size_t i = 0; i < q->list.n; i++)
		if (q->list.v[i][0] == '\0') {
			qx_err(c, q->off, "%s %zu is empty", lim[q->type].what, i + 1);
			return 0;
		}
	if (q->type == QZ_MATCHING && (q->targets.n < 2 || q->targets.n > 8)) {
		qx_err(c, q->off, "%zu different answers to match; synclab takes "
		    "2 to 8", q->targets.n);
		return 0;
	}
	for (size_t b = 0; b < q->nblanks; b++)
		if (q->blanks[b].n < 2 || q->blanks[b].n > 6) {
			qx_err(c, q->off, "blank %zu has %zu options; synclab takes "
			    "2 to 6", b + 1, q->blanks[b].n);
			return 0;
		}
	if (q->type == QZ_SINGLE && q->nans != 1) {
		qx_err(c, q->off, "%zu options are marked right; a single-answer "
		    "question has exactly one (mark several right with weights, "
		    "~%%50%%, for a multiple-answer one)", q->nans);
		return 0;
	}
	if (q->type == QZ_MULTIPLE && (q->nans < 1 || q->nans >= q->list.n)) {
		qx_err(c, q->off, "%zu of %zu options are right; a multiple-answer "
		    "question needs at least one right and one wrong", q->nans,
		    q->list.n);
		return 0;
	}
	if (q->stem == NULL || q->stem[0] == '\0') {
		qx_err(c, q->off, "the question text is empty");
		return 0;
	}
	return 1;
}

/* The question's id: the comment's, else the platform's title, else the
** bank's id and the question's number; made unique with -2, -3 ...  The
** caller frees it. */
static char *
qx_emit_id(qx_ctx *c, const qx_q *q, const cJSON *meta)
{
	char *id = NULL;
	const cJSON *m = cJSON_GetObjectItemCaseSensitive(meta, "id");
	if (cJSON_IsString(m) && jx_is_id(m->valuestring))
		id = xstrdup(m->valuestring);
	else if (q->name && q->name[0]) {
		id = qx_id_from(q->name, strlen(q->name));
		if (id[0] == '\0') {
			free(id);
			id = NULL;
		}
	}
	if (id == NULL)
		id = xasprintf("%s-%zu", c->def->bank, c->seq);
	if (qx_id_used(c, id)) {
		for (unsigned k = 2;; k++) {
			char *t = xasprintf("%s-%u", id, k);
			if (!qx_id_used(c, t)) {
				free(id);
				id = t;
				break;
			}
			free(t);
		}
	}
	return id;
}

/* The members of o that hold the question's parts (options, statements,
** items and targets, or blanks) and its answer. */
static void
qx_emit_answer(cJSON *o, const qx_q *q)
{
	switch (q->type) {
	case QZ_SINGLE:
	case QZ_MULTIPLE:
		cJSON_AddItemToObject(o, "options", qx_json_strs(&q->list));
		break;
	case QZ_YESNO:
		cJSON_AddItemToObject(o, "statements", qx_json_strs(&q->list));
		break;
	case QZ_MATCHING:
		cJSON_AddItemToObject(o, "items", qx_json_strs(&q->list));
		cJSON_AddItemToObject(o, "targets", qx_json_strs(&q->targets));
		break;
	case QZ_ORDERING:
		cJSON_AddItemToObject(o, "items", qx_json_strs(&q->list));
		break;
	default: {
		cJSON *bl = cJSON_CreateArray();
		for (size_t b = 0; b < q->nblanks; b++)
			cJSON_AddItemToArray(bl, qx_json_strs(&q->blanks[b]));
		cJSON_AddItemToObject(o, "blanks", bl);
		break;
	}
	}
	if (q->type == QZ_MULTIPLE)
		cJSON_AddNumberToObject(o, "choose", (double)q->nans);
	if (q->type == QZ_SINGLE)
		cJSON_AddNumberToObject(o, "answer", q->ans[0]);
	else {
		cJSON *a = cJSON_CreateArray();
		for (size_t i = 0; i < q->nans; i++)
			cJSON_AddItemToArray(a, q->type == QZ_YESNO ?
			    cJSON_CreateBool(q->ans[i]) : cJSON_CreateNumber(q->ans[i]));
		cJSON_AddItemToObject(o, "answer", a);
	}
}

/* Feedback only where synclab has it (per option or statement), and only
** when some is there; then the explanation. */
static void
qx_emit_feedback(qx_ctx *c, qx_q *q, cJSON *o)
{
	int anyfb = 0;
	for (size_t i = 0; i < q->fb.n; i++)
		anyfb |= q->fb.v[i][0] != '\0';
	if (anyfb && (q->type == QZ_SINGLE || q->type == QZ_MULTIPLE ||
	    q->type == QZ_YESNO) && q->fb.n == q->list.n) {
		/* synclab has feedback for every option or none: a missing
		** one says only what is true of its option. */
		int filled = 0;
		for (size_t i = 0; i < q->fb.n; i++) {
			if (q->fb.v[i][0])
				continue;
			int right = 0;
			for (size_t k = 0; k < q->nans; k++)
				right |= q->type == QZ_YESNO ? 0 : q->ans[k] == (int)i;
			free(q->fb.v[i]);
			q->fb.v[i] = xstrdup(q->type == QZ_YESNO ?
			    (q->ans[i] ? "The answer is Yes." : "The answer is No.") :
			    right ? "This option is right." :
			    "This option is not right.");
			filled = 1;
		}
		if (filled)
			qx_note(c, q->off, "some options have no feedback; synclab "
			    "needs it for all or none, so theirs says only whether "
			    "the option is right");
		cJSON_AddItemToObject(o, "feedback", qx_json_strs(&q->fb));
	} else if (anyfb)
		qx_note(c, q->off, "the answers' feedback is not kept: synclab has "
		    "feedback per option or statement only");
	if (q->expl && q->expl[0])
		cJSON_AddStringToObject(o, "explanation", q->expl);
	else {
		char *e = qx_default_expl(q);
		cJSON_AddStringToObject(o, "explanation", e);
		free(e);
		qx_note(c, q->off, "no general feedback: the explanation only names "
		    "the right answer; write why it is right");
	}
}

/* The members that come from the comment's metadata or the bank's
** defaults: topics, domain, objective, difficulty, scoring, ref. */
static void
qx_emit_meta(const qx_ctx *c, const qx_q *q, const cJSON *meta, cJSON *o,
    const char *domain, const char *objective)
{
	const cJSON *m = cJSON_GetObjectItemCaseSensitive(meta, "topics");
	if (cJSON_IsArray(m))
		cJSON_AddItemToObject(o, "topics", cJSON_Duplicate(m, 1));
	else {
		cJSON *t = cJSON_CreateArray();
		cJSON_AddItemToArray(t, cJSON_CreateString(c->def->topic ?
		    c->def->topic : c->def->bank));
		cJSON_AddItemToObject(o, "topics", t);
	}
	cJSON_AddStringToObject(o, "domain", domain);
	cJSON_AddStringToObject(o, "objective", objective);
	m = cJSON_GetObjectItemCaseSensitive(meta, "difficulty");
	if (cJSON_IsNumber(m))
		cJSON_AddNumberToObject(o, "difficulty", m->valuedouble);
	else if (c->def->difficulty > 0)
		cJSON_AddNumberToObject(o, "difficulty", c->def->difficulty);
	m = cJSON_GetObjectItemCaseSensitive(meta, "scoring");
	if (cJSON_IsString(m))
		cJSON_AddStringToObject(o, "scoring", m->valuestring);
	else if (meta == NULL && q->type == QZ_MULTIPLE)
		/* The platforms give partial credit per right choice. */
		cJSON_AddStringToObject(o, "scoring", "per-part");
	m = cJSON_GetObjectItemCaseSensitive(meta, "ref");
	if (cJSON_IsString(m))
		cJSON_AddStringToObject(o, "ref", m->valuestring);
}

void
qx_emit(qx_ctx *c, qx_q *q)
{
	cJSON *meta = NULL;
	if (qx_apply_meta(c, q, &meta) != 0 || !qx_count_ok(c, q)) {
		cJSON_Delete(meta);
		qx_q_free(q);
		return;
	}
	const cJSON *m;
	char *id = qx_emit_id(c, q, meta);
	/* The outline line, and the domain its first digit names. */
	const char *objective = c->def->objective;
	m = cJSON_GetObjectItemCaseSensitive(meta, "objective");
	if (cJSON_IsString(m))
		objective = m->valuestring;
	if (objective == NULL) {
		qx_err(c, q->off, "no outline objective: give --objective "
		    "CODE (e.g. 1.2.3) for the questions of this file");
		free(id);
		cJSON_Delete(meta);
		qx_q_free(q);
		return;
	}
	const char *domain = NULL;
	m = cJSON_GetObjectItemCaseSensitive(meta, "domain");
	if (cJSON_IsString(m))
		domain = m->valuestring;
	else if (objective[0] >= '1' && objective[0] <= '3')
		domain = qz_domain_name((enum qz_domain)(objective[0] - '1'));
	else
		domain = "cloud-concepts";	/* the loader reports the objective */

	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "id", id);
	qx_strs_add(&c->ids, id);
	cJSON_AddStringToObject(o, "type", qz_type_name((enum qz_type)q->type));
	cJSON_AddStringToObject(o, "stem", q->stem);
	qx_emit_answer(o, q);
	qx_emit_feedback(c, q, o);
	qx_emit_meta(c, q, meta, o, domain, objective);
	if (q->type == QZ_MULTIPLE && q->multi_weights)
		qx_note(c, q->off, "the right options had different weights; in "
		    "synclab each right choice earns the same share");

	cJSON_AddItemToArray((cJSON *)c->arr, o);
	c->offs = xreallocarray(c->offs, c->nq + 1, sizeof *c->offs);
	c->offs[c->nq++] = q->off;
	cJSON_Delete(meta);
	qx_q_free(q);
}

/* A loader error about "questions[i]" of the written file, placed at the
** question's source position. */
static void
qx_place_loader_errors(qx_ctx *c, const char *errs)
{
	while (*errs) {
		size_t n = strcspn(errs, "\n");
		const char *q = strstr(errs, "questions[");
		size_t idx = 0, off = 0;
		if (q && q < errs + n) {
			idx = strtoul(q + 10, NULL, 10);
			if (idx < c->nq)
				off = c->offs[idx];
		}
		/* The message after the path. */
		const char *msg = q ? strstr(q, ": ") : NULL;
		c->seq = idx + 1;
		if (msg && msg < errs + n) {
			msg += 2;
			qx_err(c, off, "%.*s", (int)(errs + n - msg), msg);
		} else
			qx_err(c, off, "%.*s", (int)n, errs);
		errs += n + (errs[n] == '\n');
	}
}

int
qx_import(enum qx_format f, const char *name, const char *text, size_t len,
    const qx_defaults *def, sb *out, size_t *nq, sb *errs, sb *notes)
{
	qx_ctx c;
	memset(&c, 0, sizeof c);
	c.name = name;
	c.text = text;
	c.len = len;
	c.def = def;
	c.errs = errs;
	c.notes = notes;
	c.arr = cJSON_CreateArray();
	if (f == QX_GIFT)
		qx_gift_read(&c);
	else if (f == QX_AIKEN)
		qx_aiken_read(&c);
	else
		qx_mxml_read(&c);
	cJSON *root = cJSON_CreateObject();
	cJSON_AddStringToObject(root, "bank", def->bank);
	char *title = def->title ? xstrdup(def->title) :
	    xasprintf("Imported from %s", name);
	cJSON_AddStringToObject(root, "title", title);
	free(title);
	cJSON_AddItemToObject(root, "questions", (cJSON *)c.arr);
	char *js = cJSON_Print(root);
	cJSON_Delete(root);
	/* cJSON indents with tabs; the shipped files use two spaces. */
	sb o = SB_INIT;
	for (const char *p = js; *p; p++) {
		if (*p == '\t' && (p == js || p[-1] == '\n' || p[-1] == '\t'))
			sb_add(&o, "  ");
		else if (*p == '\t')
			sb_addc(&o, ' ');	/* after "key": */
		else
			sb_addc(&o, *p);
	}
	sb_addc(&o, '\n');
	free(js);
	if (c.nq > 0) {
		/* What is written must load: the bank loader has the last word. */
		qz_bank b;
		sb lerr = SB_INIT;
		if (qz_bank_load_text(&b, "import", sb_str(&o), &lerr) > 0)
			qx_place_loader_errors(&c, sb_str(&lerr));
		qz_bank_free(&b);
		sb_free(&lerr);
	}
	sb_add(out, sb_str(&o));
	sb_free(&o);
	*nq = c.nq;
	free(c.offs);
	qx_strs_free(&c.ids);
	return c.nerr;
}

/* ---- export ---- */

char *
qx_meta_json(const qz_question *q, const char *as, int with_feedback)
{
	cJSON *m = cJSON_CreateObject();
	cJSON_AddStringToObject(m, "id", q->id);
	if (as)
		cJSON_AddStringToObject(m, "as", as);
	cJSON_AddStringToObject(m, "domain", qz_domain_name(q->domain));
	if (q->objective)
		cJSON_AddStringToObject(m, "objective", q->objective);
	cJSON *t = cJSON_CreateArray();
	for (size_t i = 0; i < q->topics.n; i++)
		cJSON_AddItemToArray(t, cJSON_CreateString(q->topics.s[i]));
	cJSON_AddItemToObject(m, "topics", t);
	/* Defaults are left out, so a file goes round unchanged. */
	if (q->difficulty != 2)
		cJSON_AddNumberToObject(m, "difficulty", q->difficulty);
	int per_part_default = q->type == QZ_YESNO || q->type == QZ_MATCHING ||
	    q->type == QZ_DROPDOWN;
	if ((q->scoring == QZ_PER_PART) != per_part_default)
		cJSON_AddStringToObject(m, "scoring", q->scoring == QZ_PER_PART ?
		    "per-part" : "all-or-nothing");
	if (q->ref)
		cJSON_AddStringToObject(m, "ref", q->ref);
	if (with_feedback && q->feedback.n) {
		cJSON *f = cJSON_CreateArray();
		for (size_t i = 0; i < q->feedback.n; i++)
			cJSON_AddItemToArray(f, cJSON_CreateString(q->feedback.s[i]));
		cJSON_AddItemToObject(m, "feedback", f);
	}
	char *s = cJSON_PrintUnformatted(m);
	cJSON_Delete(m);
	return s;
}

void
qx_as_matching(const qz_question *q, qx_strs *targets, int *ans)
{
	size_t n = q->list.n;
	if (q->type == QZ_YESNO) {
		qx_strs_add(targets, xstrdup("Yes"));
		qx_strs_add(targets, xstrdup("No"));
		for (size_t i = 0; i < n; i++)
			ans[i] = q->answer[i] ? 0 : 1;
		return;
	}
	/* ordering */
	for (size_t k = 0; k < q->nanswer; k++)
		qx_strs_add(targets, xasprintf("%zu", k + 1));
	int left = q->nanswer < n;
	if (left)
		qx_strs_add(targets, xstrdup("Not in the order"));
	for (size_t i = 0; i < n; i++) {
		ans[i] = (int)q->nanswer;	/* not in the order */
		for (size_t k = 0; k < q->nanswer; k++)
			if (q->answer[k] == (int)i)
				ans[i] = (int)k;
	}
}

size_t
qx_export(enum qx_format f, const qz_bank *b, sb *out, sb *notes)
{
	if (f == QX_GIFT)
		return qx_gift_write(b, out, notes);
	if (f == QX_AIKEN)
		return qx_aiken_write(b, out, notes);
	return qx_mxml_write(b, out, notes);
}
