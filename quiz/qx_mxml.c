/*
** qx_mxml.c: Moodle XML, read and written.
**
** A <quiz> holds <question type="...">s.  synclab reads multichoice
** (single or multiple answers by <single>), truefalse, matching,
** gapselect ("select missing words", synclab's dropdown) and ordering;
** every other type (shortanswer, numerical, essay, cloze ...) is refused
** with its name.  It writes multichoice, truefalse-shaped single
** questions as multichoice, matching (also for yes/no series and
** orderings, with the synclab comment saying which) and gapselect.  Text
** is written with format="plain_text", so nothing in it is taken for
** HTML; HTML read from another platform becomes plain text, with a note
** when markup was dropped.
*/
#include "quiz/qx_int.h"
#include "quiz/qx_xml.h"
#include "lib/xmem.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The text of <NAME format="..."><text>..</text></NAME> as plain text;
** NULL when absent. */
static char *
qx_mxml_field(qx_ctx *c, const qx_xnode *n, const char *name)
{
	const qx_xnode *f = qx_xml_child(n, name);
	if (f == NULL)
		return NULL;
	const qx_xnode *t = qx_xml_child(f, "text");
	char *s = t ? qx_xml_text(t) : xstrdup("");
	const char *fmt = qx_xml_attr(f, "format");
	if (fmt == NULL || strcmp(fmt, "html") == 0 ||
	    strcmp(fmt, "moodle_auto_format") == 0) {
		int marked = 0;
		char *r = qx_html_text(s, &marked);
		free(s);
		s = r;
		if (marked)
			qx_note(c, f->off, "HTML markup removed from <%s> (synclab "
			    "shows plain text)", name);
	} else {
		s = qx_trim(s);	/* plain_text, markdown: as written */
	}
	return s;
}

/* The text of a node's <text> child, made plain unless the node's
** format says plain_text or markdown. */
static char *
qx_mxml_own(const qx_xnode *n, int *marked)
{
	const qx_xnode *t = qx_xml_child(n, "text");
	char *s = t ? qx_xml_text(t) : xstrdup("");
	const char *fmt = qx_xml_attr(n, "format");
	if (fmt && (strcmp(fmt, "plain_text") == 0 || strcmp(fmt, "markdown") == 0))
		return s;
	char *r = qx_html_text(s, marked);
	free(s);
	return r;
}

/* fraction="..." as a number in [-100, 100]; returns 0, or -1. */
static int
qx_mxml_fraction(qx_ctx *c, const qx_xnode *a, double *out)
{
	const char *f = qx_xml_attr(a, "fraction");
	if (f == NULL) {
		*out = 0;
		return 0;
	}
	char *end;
	errno = 0;
	double v = strtod(f, &end);
	if (errno || end == f || *end || !(v >= -100 && v <= 100)) {
		qx_err(c, a->off, "fraction=\"%.40s\" is not a number from -100 "
		    "to 100", f);
		return -1;
	}
	*out = v;
	return 0;
}

/* The readers of the question types synclab has: each fills q from the
** <question> element qn and emits it, or reports why not; q is theirs. */

/* multichoice (single or multiple answers) and truefalse (tf). */
static void
qx_mxml_choice(qx_ctx *c, const qx_xnode *qn, qx_q *q, int tf)
{
	const qx_xnode *sn = qx_xml_child(qn, "single");
	char *sv = sn ? qx_xml_text(sn) : NULL;
	int one = tf || sv == NULL || strcmp(sv, "true") == 0 ||
	    strcmp(sv, "1") == 0;
	free(sv);
	int partial = 0, unequal = 0;
	double first = -1;
	for (size_t i = 0; i < qn->nkids; i++) {
		const qx_xnode *a = qn->kids[i];
		if (a->name == NULL || strcmp(a->name, "answer") != 0)
			continue;
		double w;
		if (qx_mxml_fraction(c, a, &w)) {
			qx_q_free(q);
			return;
		}
		int marked = 0;
		char *txt = qx_mxml_own(a, &marked);
		if (tf) {
			/* Moodle writes "true" and "false". */
			char *n = xstrdup(strcmp(txt, "true") == 0 ? "True" :
			    strcmp(txt, "false") == 0 ? "False" : txt);
			free(txt);
			txt = n;
		}
		const qx_xnode *fb = qx_xml_child(a, "feedback");
		char *fbt = NULL;
		if (fb)
			fbt = qx_mxml_own(fb, &marked);
		if (marked)
			qx_note(c, a->off, "HTML markup removed from an answer");
		size_t idx = q->list.n;
		qx_strs_add(&q->list, txt);
		qx_strs_add(&q->fb, fbt ? fbt : xstrdup(""));
		if (one ? w >= 99.99 : w > 0) {
			qx_q_answer(q, (int)idx);
			if (first >= 0 && fabs(first - w) > 0.01)
				unequal = 1;
			first = w;
		} else if (one && w > 0)
			partial = 1;
	}
	q->type = one ? QZ_SINGLE : QZ_MULTIPLE;
	q->multi_weights = unequal;
	if (partial)
		qx_note(c, qn->off, "partial credit on a wrong option is not "
		    "kept: in synclab it is simply wrong");
	qx_emit(c, q);
}

static void
qx_mxml_multichoice(qx_ctx *c, const qx_xnode *qn, qx_q *q)
{
	qx_mxml_choice(c, qn, q, 0);
}

static void
qx_mxml_truefalse(qx_ctx *c, const qx_xnode *qn, qx_q *q)
{
	qx_mxml_choice(c, qn, q, 1);
}

static void
qx_mxml_matching(qx_ctx *c, const qx_xnode *qn, qx_q *q)
{
	for (size_t i = 0; i < qn->nkids; i++) {
		const qx_xnode *s = qn->kids[i];
		if (s->name == NULL || strcmp(s->name, "subquestion") != 0)
			continue;
		int marked = 0;
		char *item = qx_mxml_own(s, &marked);
		if (marked)
			qx_note(c, s->off, "HTML markup removed from an item");
		char *target = qx_xml_textof(s, "answer");
		if (target == NULL) {
			qx_err(c, s->off, "<subquestion> without <answer>");
			free(item);
			qx_q_free(q);
			return;
		}
		qx_q_pair(q, item, target);
	}
	q->type = QZ_MATCHING;
	qx_emit(c, q);
}

/* Moodle writes the items in the right order. */
static void
qx_mxml_ordering(qx_ctx *c, const qx_xnode *qn, qx_q *q)
{
	for (size_t i = 0; i < qn->nkids; i++) {
		const qx_xnode *a = qn->kids[i];
		if (a->name == NULL || strcmp(a->name, "answer") != 0)
			continue;
		int marked = 0;
		qx_q_answer(q, (int)q->list.n);
		qx_strs_add(&q->list, qx_mxml_own(a, &marked));
	}
	q->type = QZ_ORDERING;
	qx_emit(c, q);
}

/* [[k]] in the text is the k-th <selectoption>, the right one for that
** gap; the gap's choices are the options of its <group>, in file
** order. */
static void
qx_mxml_gapselect(qx_ctx *c, const qx_xnode *qn, qx_q *q)
{
	qx_strs opts = { NULL, 0 };
	int *grp = NULL;
	for (size_t i = 0; i < qn->nkids; i++) {
		const qx_xnode *o = qn->kids[i];
		if (o->name == NULL || strcmp(o->name, "selectoption") != 0)
			continue;
		const qx_xnode *tn = qx_xml_child(o, "text");
		char *t = tn ? qx_xml_text(tn) : NULL;
		const qx_xnode *g = qx_xml_child(o, "group");
		char *gs = g ? qx_xml_text(g) : xstrdup("1");
		char *end;
		long gv = strtol(gs, &end, 10);
		if (*end || gv < 1 || gv > 20) {
			qx_err(c, o->off, "<group> is a number from 1 to 20");
			gv = 1;
		}
		free(gs);
		qx_strs_add(&opts, t ? t : xstrdup(""));
		grp = xreallocarray(grp, opts.n, sizeof *grp);
		grp[opts.n - 1] = (int)gv;
	}
	sb stem = SB_INIT;
	const char *s = q->stem;
	int before = c->nerr;
	while (*s) {
		unsigned long k;
		char *end;
		if (s[0] == '[' && s[1] == '[' && isdigit((unsigned char)s[2]) &&
		    (k = strtoul(s + 2, &end, 10), end[0] == ']' && end[1] == ']')) {
			if (k < 1 || k > opts.n) {
				qx_err(c, qn->off, "[[%lu]] names no <selectoption> "
				    "(there are %zu)", k, opts.n);
				break;
			}
			if (q->nblanks == QZ_MAXPART) {
				qx_err(c, qn->off, "more than %d gaps", QZ_MAXPART);
				break;
			}
			size_t b = q->nblanks++;
			int g = grp[k - 1];
			for (size_t i = 0; i < opts.n; i++)
				if (grp[i] == g) {
					if (i == k - 1)
						qx_q_answer(q, (int)q->blanks[b].n);
					qx_strs_add(&q->blanks[b], xstrdup(opts.v[i]));
				}
			sb_addf(&stem, "{%zu}", b + 1);
			s = end + 2;
			continue;
		}
		sb_addc(&stem, *s++);
	}
	qx_strs_free(&opts);
	free(grp);
	free(q->stem);
	q->stem = sb_take(&stem);
	q->type = QZ_DROPDOWN;
	if (q->nblanks == 0 && c->nerr == before)
		qx_err(c, qn->off, "no gaps [[1]] in the question text");
	else if (c->nerr == before)
		qx_emit(c, q);
	if (q->stem)
		qx_q_free(q);
}

static const struct {
	const char	*type;
	void		(*read)(qx_ctx *, const qx_xnode *, qx_q *);
} qx_mxml_types[] = {
	{ "multichoice", qx_mxml_multichoice },
	{ "truefalse", qx_mxml_truefalse },
	{ "matching", qx_mxml_matching },
	{ "ordering", qx_mxml_ordering },
	{ "gapselect", qx_mxml_gapselect },
};

static void
qx_mxml_question(qx_ctx *c, const qx_xnode *qn)
{
	const char *type = qx_xml_attr(qn, "type");
	if (type && strcmp(type, "category") == 0)
		return;
	c->seq++;
	qx_q q;
	memset(&q, 0, sizeof q);
	q.off = qn->off;
	if (type == NULL) {
		qx_err(c, qn->off, "<question> without type=\"...\"");
		return;
	}
	q.name = qx_xml_textof(qn, "name");
	for (size_t i = 0; i < qn->nkids; i++) {
		const qx_xnode *k = qn->kids[i];
		static const char tag[] = " synclab:";
		if (k->name && strcmp(k->name, "!--") == 0 &&
		    strncmp(k->text, tag, sizeof tag - 1) == 0) {
			free(q.meta);
			q.meta = xstrdup(k->text + sizeof tag - 1);
		}
	}
	if (q.name == NULL || q.name[0] == '\0') {
		free(q.name);
		q.name = qx_xml_textof(qn, "idnumber");
	}
	q.stem = qx_mxml_field(c, qn, "questiontext");
	q.expl = qx_mxml_field(c, qn, "generalfeedback");
	if (q.stem == NULL) {
		qx_err(c, qn->off, "no <questiontext>");
		qx_q_free(&q);
		return;
	}
	for (size_t i = 0; i < sizeof qx_mxml_types / sizeof *qx_mxml_types;
	    i++)
		if (strcmp(type, qx_mxml_types[i].type) == 0) {
			qx_mxml_types[i].read(c, qn, &q);
			return;
		}
	qx_err(c, qn->off, "type \"%s\", which synclab does not have: it "
	    "asks only questions answered by choosing (multichoice, truefalse, "
	    "matching, gapselect, ordering)", type);
	qx_q_free(&q);
}

void
qx_mxml_read(qx_ctx *c)
{
	size_t eoff = 0;
	sb err = SB_INIT;
	qx_xnode *root = qx_xml_parse(c->text, c->len, &eoff, &err);
	if (root == NULL) {
		qx_err(c, eoff, "%s", sb_str(&err));
		sb_free(&err);
		return;
	}
	sb_free(&err);
	if (strcmp(root->name, "quiz") != 0) {
		qx_err(c, root->off, "the root element is <%s>; Moodle XML's is "
		    "<quiz>", root->name);
		qx_xml_free(root);
		return;
	}
	for (size_t i = 0; i < root->nkids; i++) {
		const qx_xnode *k = root->kids[i];
		if (k->name && strcmp(k->name, "question") == 0)
			qx_mxml_question(c, k);
		else if (k->name && strcmp(k->name, "!--") != 0)
			qx_note(c, k->off, "<%s> ignored (a quiz holds <question>s)",
			    k->name);
	}
	qx_xml_free(root);
}

/* ---- writing ---- */

static void
qx_mxml_text(sb *o, const char *ind, const char *tag, const char *s)
{
	sb_addf(o, "%s<%s format=\"plain_text\"><text>", ind, tag);
	qx_xml_esc(o, s, 0);
	sb_addf(o, "</text></%s>\n", tag);
}

static void
qx_mxml_answer(sb *o, double fraction, const char *text, const char *fb)
{
	sb_add(o, "    <answer fraction=\"");
	qx_weight(o, fraction);
	sb_add(o, "\" format=\"plain_text\"><text>");
	qx_xml_esc(o, text, 0);
	sb_add(o, "</text>");
	if (fb && fb[0]) {
		sb_add(o, "<feedback format=\"plain_text\"><text>");
		qx_xml_esc(o, fb, 0);
		sb_add(o, "</text></feedback>");
	}
	sb_add(o, "</answer>\n");
}

/* The notes on what the file cannot hold of q. */
static void
qx_mxml_notes(const qz_question *q, const char *as, sb *notes)
{
	if (q->case_id)
		sb_addf(notes, "%s: its case study %s is not in the file "
		    "(Moodle XML has no place for it)\n", q->id, q->case_id);
	if (as)
		sb_addf(notes, "%s: written as a matching question (%s)\n",
		    q->id, q->type == QZ_YESNO ? "each statement with Yes "
		    "or No" : "each item with its position");
	if (q->type == QZ_YESNO && q->feedback.n)
		sb_addf(notes, "%s: the statements' feedback travels in the "
		    "synclab comment only (a matching question has none)\n",
		    q->id);
}

/* The synclab comment: what Moodle has no place for, read back by
** import. */
static void
qx_mxml_comment(sb *out, const qz_question *q, const char *as)
{
	char *meta = qx_meta_json(q, as, q->type == QZ_YESNO);
	/* "--" may not appear in an XML comment; \u002d is JSON's '-'. */
	sb_add(out, "    <!-- synclab: ");
	for (const char *p = meta; *p; p++) {
		if (p[0] == '-' && p[1] == '-')
			sb_add(out, "-\\u002d");
		else
			sb_addc(out, *p);
		if (p[0] == '-' && p[1] == '-')
			p++;
	}
	sb_add(out, " -->\n");
	free(meta);
}

/* The question text; a drop-down's {k} becomes Moodle's [[k]]. */
static void
qx_mxml_stem(sb *out, const qz_question *q)
{
	if (q->type != QZ_DROPDOWN) {
		qx_mxml_text(out, "    ", "questiontext", q->stem);
		return;
	}
	/* [[k]]: k counts the <selectoption>s, written blank by
	** blank, each blank's options in its own group. */
	sb stem = SB_INIT;
	size_t base[QZ_MAXPART];
	size_t acc = 0;
	for (size_t bl = 0; bl < q->nblanks; bl++) {
		base[bl] = acc;
		acc += q->blanks[bl].n;
	}
	for (const char *s = q->stem; *s;) {
		unsigned long k;
		char *end;
		if (s[0] == '{' && isdigit((unsigned char)s[1]) &&
		    (k = strtoul(s + 1, &end, 10), *end == '}') &&
		    k >= 1 && k <= q->nblanks) {
			sb_addf(&stem, "[[%zu]]", base[k - 1] +
			    (size_t)q->answer[k - 1] + 1);
			s = end + 1;
			continue;
		}
		sb_addc(&stem, *s++);
	}
	qx_mxml_text(out, "    ", "questiontext", sb_str(&stem));
	sb_free(&stem);
}

/* A single or multiple choice question's settings and answers with their
** fractions. */
static void
qx_mxml_choices(sb *out, const qz_question *q)
{
	sb_addf(out, "    <single>%s</single>\n"
	    "    <shuffleanswers>true</shuffleanswers>\n"
	    "    <answernumbering>abc</answernumbering>\n",
	    q->type == QZ_SINGLE ? "true" : "false");
	double w = q->type == QZ_SINGLE ? 100 : 100.0 / (double)q->nanswer;
	for (size_t i = 0; i < q->list.n; i++) {
		int right = 0;
		for (size_t k = 0; k < q->nanswer; k++)
			right |= q->answer[k] == (int)i;
		double f = right ? w : q->type == QZ_SINGLE ? 0 : -w;
		qx_mxml_answer(out, f, q->list.s[i],
		    i < q->feedback.n ? q->feedback.s[i] : NULL);
	}
}

/* A drop-down's settings and options, each blank's in its own group. */
static void
qx_mxml_gaps(sb *out, const qz_question *q)
{
	sb_add(out, "    <shuffleanswers>1</shuffleanswers>\n");
	for (size_t bl = 0; bl < q->nblanks; bl++)
		for (size_t i = 0; i < q->blanks[bl].n; i++) {
			sb_add(out, "    <selectoption><text>");
			qx_xml_esc(out, q->blanks[bl].s[i], 0);
			sb_addf(out, "</text><group>%zu</group>"
			    "</selectoption>\n", bl + 1);
		}
}

/* Matching, yes/no and ordering questions as subquestions with their
** answers; a target no item takes is a subquestion without text. */
static void
qx_mxml_pairs(sb *out, const qz_question *q)
{
	sb_add(out, "    <shuffleanswers>true</shuffleanswers>\n");
	qx_strs targets = { NULL, 0 };
	int ans[QZ_MAXPART];
	char *const *tv;
	size_t nt;
	if (q->type == QZ_MATCHING) {
		for (size_t i = 0; i < q->list.n; i++)
			ans[i] = q->answer[i];
		tv = q->targets.s;
		nt = q->targets.n;
	} else {
		qx_as_matching(q, &targets, ans);
		tv = targets.v;
		nt = targets.n;
	}
	for (size_t i = 0; i < q->list.n; i++) {
		sb_add(out, "    <subquestion format=\"plain_text\"><text>");
		qx_xml_esc(out, q->list.s[i], 0);
		sb_add(out, "</text><answer><text>");
		qx_xml_esc(out, tv[ans[i]], 0);
		sb_add(out, "</text></answer></subquestion>\n");
	}
	for (size_t t = 0; t < nt; t++) {
		int used = 0;
		for (size_t i = 0; i < q->list.n; i++)
			used |= ans[i] == (int)t;
		if (!used) {
			sb_add(out, "    <subquestion format=\"plain_text\">"
			    "<text></text><answer><text>");
			qx_xml_esc(out, tv[t], 0);
			sb_add(out, "</text></answer></subquestion>\n");
		}
	}
	qx_strs_free(&targets);
}

static void
qx_mxml_tags(sb *out, const qz_question *q)
{
	if (q->topics.n) {
		sb_add(out, "    <tags>\n");
		for (size_t i = 0; i < q->topics.n; i++) {
			sb_add(out, "      <tag><text>");
			qx_xml_esc(out, q->topics.s[i], 0);
			sb_add(out, "</text></tag>\n");
		}
		sb_add(out, "    </tags>\n");
	}
}

static void
qx_mxml_question_write(const qz_question *q, sb *out, sb *notes)
{
	const char *type = q->type == QZ_SINGLE || q->type == QZ_MULTIPLE ?
	    "multichoice" : q->type == QZ_DROPDOWN ? "gapselect" : "matching";
	const char *as = q->type == QZ_YESNO ? "yesno" :
	    q->type == QZ_ORDERING ? "ordering" : NULL;
	qx_mxml_notes(q, as, notes);
	sb_addf(out, "  <question type=\"%s\">\n", type);
	qx_mxml_comment(out, q, as);
	sb_add(out, "    <name><text>");
	qx_xml_esc(out, q->id, 0);
	sb_add(out, "</text></name>\n");
	qx_mxml_stem(out, q);
	qx_mxml_text(out, "    ", "generalfeedback", q->explanation);
	sb_add(out, "    <defaultgrade>1</defaultgrade>\n"
	    "    <penalty>0.3333333</penalty>\n    <hidden>0</hidden>\n"
	    "    <idnumber>");
	qx_xml_esc(out, q->id, 0);
	sb_add(out, "</idnumber>\n");
	if (q->type == QZ_SINGLE || q->type == QZ_MULTIPLE)
		qx_mxml_choices(out, q);
	else if (q->type == QZ_DROPDOWN)
		qx_mxml_gaps(out, q);
	else
		qx_mxml_pairs(out, q);
	qx_mxml_tags(out, q);
	sb_add(out, "  </question>\n");
}

size_t
qx_mxml_write(const qz_bank *b, sb *out, sb *notes)
{
	sb_add(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<!-- Moodle XML written by synclab export.  Moodle ignores the "
	    "\"synclab:\" comments;\n     synclab import reads them back (the "
	    "id, outline line, topics and type). -->\n<quiz>\n");
	for (size_t qi = 0; qi < b->nq; qi++)
		qx_mxml_question_write(b->q[qi], out, notes);
	sb_add(out, "</quiz>\n");
	return 0;
}
