/*
** qx_gift.c: Moodle's GIFT format, read and written.
**
** The reader follows Moodle's own parser (question/format/gift): questions
** are separated by blank lines; "//" lines are comments; "::name::" is a
** title; "[html]", "[moodle]", "[plain]", "[markdown]" before the text
** name its format; the answers are between the first unescaped '{' and
** '}', and text after the '}' makes a missing-word question ("_____" in
** the text).  The type is decided in Moodle's order: no braces a
** description, "{}" an essay, '#' numerical, a '~' multiple choice, '='
** with "->" matching, T/TRUE/F/FALSE true/false, anything else short
** answer.  \~ \= \# \{ \} \: \\ are the escapes and \n a line break.
** Unlike Moodle, which reports a problem with the question's text, every
** error here names the line and column.
*/
#include "quiz/qx_int.h"
#include "lib/xmem.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* 1 when the character at i is escaped (an odd run of '\' before it). */
static int
qx_gift_escaped(const char *t, size_t i)
{
	size_t k = 0;
	while (k < i && t[i - 1 - k] == '\\')
		k++;
	return k % 2;
}

/* The first unescaped c in t[from, to), or to. */
static size_t
qx_gift_find(const char *t, size_t from, size_t to, char c)
{
	for (size_t i = from; i < to; i++)
		if (t[i] == c && !qx_gift_escaped(t, i))
			return i;
	return to;
}

/* t[a, b) trimmed and unescaped, as a new string. */
static char *
qx_gift_text(const char *t, size_t a, size_t b)
{
	while (a < b && isspace((unsigned char)t[a]))
		a++;
	while (b > a && isspace((unsigned char)t[b - 1]) && !qx_gift_escaped(t, b - 1))
		b--;
	sb o = SB_INIT;
	for (size_t i = a; i < b; i++) {
		if (t[i] == '\\' && i + 1 < b) {
			char n = t[i + 1];
			if (strchr("~=#{}:\\", n)) {
				sb_addc(&o, n);
				i++;
				continue;
			}
			if (n == 'n') {
				sb_addc(&o, '\n');
				i++;
				continue;
			}
		}
		sb_addc(&o, t[i]);
	}
	return sb_take(&o);
}

/* Skips a "[format]" prefix at t[*a]; returns 1 when it named html or
** moodle (text that may hold HTML). */
static int
qx_gift_format(const char *t, size_t *a, size_t b)
{
	static const char *const names[] = { "[html]", "[moodle]", "[plain]",
	    "[markdown]", NULL };
	size_t i = *a;
	while (i < b && isspace((unsigned char)t[i]))
		i++;
	for (size_t k = 0; names[k]; k++) {
		size_t n = strlen(names[k]);
		if (b - i >= n && memcmp(t + i, names[k], n) == 0) {
			*a = i + n;
			return k < 2;
		}
	}
	return 1;	/* Moodle's default, the moodle auto-format */
}

/* HTML in a text of the html or moodle format becomes plain text. */
static char *
qx_gift_plain(qx_ctx *c, size_t off, char *s, int html)
{
	if (!html)
		return s;
	const char *p = s;
	int tags = 0;
	for (; *p; p++)
		if (*p == '<' && (isalpha((unsigned char)p[1]) || p[1] == '/'))
			tags = 1;
	if (!tags && strchr(s, '&') == NULL)
		return s;
	int marked = 0;
	char *r = qx_html_text(s, &marked);
	if (marked)
		qx_note(c, off, "HTML markup removed (synclab shows plain text)");
	free(s);
	return r;
}

typedef struct qx_gift_ans {
	size_t	 off;
	char	 mark;		/* '=' or '~' */
	double	 weight;	/* fraction, 1 for '=' */
	char	*text;
	char	*fb;
} qx_gift_ans;

/* Splits the answers of a multiple-choice block t[a, b) at each
** unescaped '~' or '=' (the latter marks the right answer), as Moodle
** does.  Returns the count; *v is owned by the caller. */
static size_t
qx_gift_split_mc(qx_ctx *c, size_t base, const char *t, size_t a, size_t b,
    int html, qx_gift_ans **v)
{
	size_t n = 0;
	*v = NULL;
	size_t i = a;
	/* Text before the first marker is an answer of its own (Moodle). */
	while (i < b) {
		size_t s = i;
		char mark = '~';
		if ((t[i] == '~' || t[i] == '=') && !qx_gift_escaped(t, i)) {
			mark = t[i];
			s = i + 1;
		}
		size_t e = s;
		while (e < b && !((t[e] == '~' || t[e] == '=') && !qx_gift_escaped(t, e)))
			e++;
		size_t ts = s;
		while (ts < e && isspace((unsigned char)t[ts]))
			ts++;
		if (ts == e && i == a && mark == '~' && !(t[i] == '~')) {
			i = e;	/* nothing before the first marker */
			continue;
		}
		qx_gift_ans an;
		memset(&an, 0, sizeof an);
		an.off = base + ts;
		an.mark = mark;
		an.weight = mark == '=' ? 1 : 0;
		if (mark == '~' && ts < e && t[ts] == '%') {
			/* %n% with Moodle's pattern ^%-*[0-9]{1,2}\.?[0-9]*% */
			size_t k = ts + 1;
			int neg = 0;
			while (k < e && t[k] == '-') {
				neg = 1;
				k++;
			}
			size_t d0 = k;
			while (k < e && isdigit((unsigned char)t[k]))
				k++;
			size_t nd = k - d0;
			if (k < e && t[k] == '.')
				for (k++; k < e && isdigit((unsigned char)t[k]); k++)
					;
			if (nd >= 1 && nd <= 3 && k < e && t[k] == '%') {
				char num[32];
				size_t l = k - d0 < sizeof num - 1 ? k - d0 : sizeof num - 1;
				memcpy(num, t + d0, l);
				num[l] = '\0';
				double w = strtod(num, NULL);
				if (w > 100) {
					qx_err(c, base + ts, "weight %%%s%% is above 100%%", num);
					w = 100;
				}
				an.weight = (neg ? -w : w) / 100;
				ts = k + 1;
			} else
				qx_err(c, base + ts, "a weight is written %%n%% (n from "
				    "-100 to 100, e.g. ~%%50%%)");
		}
		size_t h = qx_gift_find(t, ts, e, '#');
		an.text = qx_gift_plain(c, base + ts, qx_gift_text(t, ts, h), html);
		an.fb = h < e ? qx_gift_plain(c, base + h, qx_gift_text(t, h + 1, e), html) :
		    xstrdup("");
		*v = xreallocarray(*v, n + 1, sizeof **v);
		(*v)[n++] = an;
		i = e;
	}
	return n;
}

/* The text of the question: what stands before the answer block
** [open, close], with "_____" in the block's place when text follows it;
** markup removed unless html. */
static char *
qx_gift_stem(qx_ctx *c, const qx_q *q, const char *t, size_t a, size_t n,
    size_t open, size_t close, int html)
{
	char *stem;
	size_t after = close + 1;
	while (after < n && isspace((unsigned char)t[after]))
		after++;
	char *before = qx_gift_text(t, a, open);
	if (after < n) {
		char *rest = qx_gift_text(t, close + 1, n);
		/* Keep the space that was around the block. */
		int sp1 = open > a && isspace((unsigned char)t[open - 1]);
		int sp2 = isspace((unsigned char)t[close + 1]);
		stem = xasprintf("%s%s_____%s%s", before, sp1 ? " " : "",
		    sp2 ? " " : "", rest);
		free(rest);
		free(before);
	} else
		stem = before;
	return qx_gift_plain(c, q->off, stem, html);
}

/* The readers of the answer block [as, ae) by kind: each fills q and
** emits it, or reports why not; q is theirs. */

/* Multiple choice: "=right ~wrong", or weights "~%50%a ~%50%b". */
static void
qx_gift_choice(qx_ctx *c, size_t base, const char *t, size_t as, size_t ae,
    int html, qx_q *q)
{
	size_t at = base + as;
	qx_gift_ans *v;
	size_t k = qx_gift_split_mc(c, base, t, as, ae, html, &v);
	int single = qx_gift_find(t, as, ae, '=') < ae;
	int partial = 0, unequal = 0;
	double first = -1;
	for (size_t i = 0; i < k; i++) {
		qx_strs_add(&q->list, v[i].text);
		qx_strs_add(&q->fb, v[i].fb);
		if (single ? v[i].weight >= 0.9999 : v[i].weight > 0) {
			qx_q_answer(q, (int)i);
			if (first >= 0 && fabs(first - v[i].weight) > 0.001)
				unequal = 1;
			first = v[i].weight;
		} else if (single && v[i].weight > 0)
			partial = 1;
	}
	free(v);
	if (k < 2) {
		qx_err(c, at, "a multiple-choice question needs at least 2 "
		    "answers");
		qx_q_free(q);
		return;
	}
	q->type = single ? QZ_SINGLE : QZ_MULTIPLE;
	q->multi_weights = unequal;
	if (partial)
		qx_note(c, at, "partial credit (~%%n%%) on a wrong option is "
		    "not kept: in synclab it is simply wrong");
	qx_emit(c, q);
}

/* Matching: "=item -> target", an empty item a spare answer. */
static void
qx_gift_matching(qx_ctx *c, size_t base, const char *t, size_t as, size_t ae,
    int html, qx_q *q)
{
	size_t at = base + as;
	size_t i = qx_gift_find(t, as, ae, '=');
	if (i > as) {
		qx_err(c, at, "matching pairs start with '='");
		qx_q_free(q);
		return;
	}
	while (i < ae) {
		size_t e = qx_gift_find(t, i + 1, ae, '=');
		const char *arrow = strstr(t + i + 1, "->");
		if (arrow == NULL || (size_t)(arrow - t) >= e) {
			qx_err(c, base + i, "a matching pair is written "
			    "=item -> answer");
			qx_q_free(q);
			return;
		}
		size_t ar = (size_t)(arrow - t);
		char *item = qx_gift_plain(c, base + i, qx_gift_text(t, i + 1, ar), html);
		qx_q_pair(q, item, qx_gift_text(t, ar + 2, e));
		i = e;
	}
	q->type = QZ_MATCHING;
	qx_emit(c, q);
}

/* True/false ("T", "FALSE" ...) with "#wrong#right" feedback; anything
** else is a short answer, which synclab does not have. */
static void
qx_gift_truefalse(qx_ctx *c, size_t base, const char *t, size_t as, size_t ae,
    int html, qx_q *q)
{
	size_t at = base + as;
	size_t h = qx_gift_find(t, as, ae, '#');
	char *tf = qx_gift_text(t, as, h);
	int tv = strcmp(tf, "T") == 0 || strcmp(tf, "TRUE") == 0;
	int fv = strcmp(tf, "F") == 0 || strcmp(tf, "FALSE") == 0;
	free(tf);
	if (!tv && !fv) {
		qx_err(c, at, "a short-answer question (a typed answer), which "
		    "synclab does not have: it asks only questions answered by "
		    "choosing; add wrong options with ~ to make it multiple "
		    "choice");
		qx_q_free(q);
		return;
	}
	char *wrong = xstrdup(""), *right = xstrdup("");
	if (h < ae) {
		size_t h2 = qx_gift_find(t, h + 1, ae, '#');
		free(wrong);
		wrong = qx_gift_plain(c, base + h, qx_gift_text(t, h + 1, h2), html);
		if (h2 < ae) {
			free(right);
			right = qx_gift_plain(c, base + h2, qx_gift_text(t, h2 + 1, ae), html);
		}
	}
	/* A lone true/false statement is a single-answer question with the
	** options True and False (a yes/no series needs two statements). */
	qx_strs_add(&q->list, xstrdup("True"));
	qx_strs_add(&q->list, xstrdup("False"));
	qx_strs_add(&q->fb, tv ? right : wrong);
	qx_strs_add(&q->fb, tv ? wrong : right);
	qx_q_answer(q, tv ? 0 : 1);
	q->type = QZ_SINGLE;
	qx_emit(c, q);
}

/* One question block t[0, n) found at base in the file. */
static void
qx_gift_block(qx_ctx *c, size_t base, const char *t, size_t n, char *meta)
{
	qx_q q;
	memset(&q, 0, sizeof q);
	q.meta = meta;
	size_t a = 0;
	while (a < n && isspace((unsigned char)t[a]))
		a++;
	while (n > a && isspace((unsigned char)t[n - 1]))
		n--;
	if (n - a >= 10 && memcmp(t + a, "$CATEGORY:", 10) == 0) {
		free(meta);
		return;	/* categories are the platform's filing */
	}
	c->seq++;
	q.off = base + a;
	if (n - a >= 2 && t[a] == ':' && t[a + 1] == ':') {
		size_t e = a + 2;
		while (e + 1 < n && !(t[e] == ':' && t[e + 1] == ':' &&
		    !qx_gift_escaped(t, e)))
			e++;
		if (e + 1 < n) {
			q.name = qx_gift_text(t, a + 2, e);
			a = e + 2;
		} else
			a += 2;
	}
	size_t open = qx_gift_find(t, a, n, '{');
	size_t close = qx_gift_find(t, a, n, '}');
	if (open == n && close == n) {
		qx_err(c, q.off, "no answers between { and }: a description, "
		    "which synclab has no place for (every synclab question is "
		    "answered)");
		qx_q_free(&q);
		return;
	}
	if (open == n || close == n || close < open) {
		qx_err(c, base + (open == n || close < open ? close : open), "%s",
		    open == n || close < open ? "a '}' before any '{' (write \\} "
		    "for a brace in the text)" : "this '{' is never closed");
		qx_q_free(&q);
		return;
	}
	/* The text: before the block, "_____" for it when text follows. */
	int html = qx_gift_format(t, &a, open);
	q.stem = qx_gift_stem(c, &q, t, a, n, open, close, html);

	/* The answers, and the general feedback after "####". */
	size_t as = open + 1, ae = close;
	for (size_t i = ae; i >= as + 4; i--)
		if (memcmp(t + i - 4, "####", 4) == 0 && !qx_gift_escaped(t, i - 4)) {
			q.expl = qx_gift_plain(c, base + i, qx_gift_text(t, i, ae), html);
			ae = i - 4;
			break;
		}
	while (as < ae && isspace((unsigned char)t[as]))
		as++;
	while (ae > as && isspace((unsigned char)t[ae - 1]))
		ae--;
	size_t at = base + as;
	if (as == ae) {
		qx_err(c, base + open, "{} is an essay (a written answer), which "
		    "synclab cannot grade; give the options, e.g. {=right ~wrong}");
		qx_q_free(&q);
		return;
	}
	if (t[as] == '#') {
		qx_err(c, at, "{#...} is a numerical question; synclab asks only "
		    "questions answered by choosing: write the numbers as options, "
		    "e.g. {=1822 ~1823 ~1824}");
		qx_q_free(&q);
		return;
	}
	if (qx_gift_find(t, as, ae, '~') < ae)
		qx_gift_choice(c, base, t, as, ae, html, &q);
	else if (qx_gift_find(t, as, ae, '=') < ae && strstr(t + as, "->") &&
	    (size_t)(strstr(t + as, "->") - t) < ae)
		qx_gift_matching(c, base, t, as, ae, html, &q);
	else
		qx_gift_truefalse(c, base, t, as, ae, html, &q);
}

void
qx_gift_read(qx_ctx *c)
{
	const char *s = c->text;
	size_t len = c->len, i = 0;
	if (len >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	/* A block: the lines between blank lines, comments blanked out (same
	** length, so offsets stay the file's). */
	sb blk = SB_INIT;
	size_t base = i;
	int content = 0;
	char *meta = NULL;
	while (i <= len) {
		size_t e = i;
		while (e < len && s[e] != '\n')
			e++;
		size_t k = i;
		while (k < e && (s[k] == ' ' || s[k] == '\t' || s[k] == '\r'))
			k++;
		int blank = k == e;
		if (blank || i == len) {
			if (content)
				qx_gift_block(c, base, sb_str(&blk), blk.len, meta);
			else
				free(meta);
			meta = NULL;
			content = 0;
			sb_reset(&blk);
			base = e + 1;
			if (e >= len)
				break;
			i = e + 1;
			continue;
		}
		if (e - k >= 2 && s[k] == '/' && s[k + 1] == '/') {
			static const char tag[] = "// synclab:";
			if (e - k > sizeof tag - 1 && memcmp(s + k, tag, sizeof tag - 1) == 0) {
				free(meta);
				meta = xstrndup(s + k + sizeof tag - 1, e - k - (sizeof tag - 1));
			}
			for (size_t j = i; j < e; j++)
				sb_addc(&blk, ' ');
		} else {
			sb_addn(&blk, s + i, e - i);
			content = 1;
		}
		sb_addc(&blk, '\n');
		i = e + 1;
	}
	free(meta);
	sb_free(&blk);
}

/* ---- writing ---- */

static void
qx_gift_esc(sb *o, const char *s)
{
	for (; *s; s++) {
		if (strchr("~=#{}:\\", *s)) {
			sb_addc(o, '\\');
			sb_addc(o, *s);
		} else if (*s == '\n')
			sb_add(o, "\\n");
		else if (*s != '\r')
			sb_addc(o, *s);
	}
}

static void
qx_gift_fb(sb *o, const qz_question *q, size_t i)
{
	if (i < q->feedback.n && q->feedback.s[i][0]) {
		sb_addc(o, '#');
		qx_gift_esc(o, q->feedback.s[i]);
	}
}

static void
qx_gift_general(sb *o, const qz_question *q)
{
	sb_add(o, "\t####");
	qx_gift_esc(o, q->explanation);
	sb_addc(o, '\n');
}

/* The notes on what the file cannot hold of q. */
static void
qx_gift_notes(const qz_question *q, sb *notes)
{
if (q->case_id)
	sb_addf(notes, "%s: its case study %s is not in the file "
	    "(GIFT has no place for it)\n", q->id, q->case_id);
if (q->type == QZ_YESNO && q->feedback.n)
	sb_addf(notes, "%s: the statements' feedback travels in the "
	    "synclab comment only (a GIFT matching question has "
	    "none)\n", q->id);
if (q->type == QZ_YESNO || q->type == QZ_ORDERING)
	sb_addf(notes, "%s: written as a matching question (%s)\n",
	    q->id, q->type == QZ_YESNO ? "each statement with Yes "
	    "or No" : "each item with its position");
}

/* A drop-down of one blank: Moodle's missing word. */
static void
qx_gift_dropdown(sb *out, const qz_question *q)
{
	const char *p = strstr(q->stem, "{1}");
	sb pre = SB_INIT;
	sb_addn(&pre, q->stem, p ? (size_t)(p - q->stem) : strlen(q->stem));
	while (pre.len && pre.s[pre.len - 1] == ' ')
		pre.s[--pre.len] = '\0';
	qx_gift_esc(out, sb_str(&pre));
	sb_free(&pre);
	sb_add(out, " {\n");
	for (size_t i = 0; i < q->blanks[0].n; i++) {
		sb_add(out, i == (size_t)q->answer[0] ? "\t=" : "\t~");
		qx_gift_esc(out, q->blanks[0].s[i]);
		sb_addc(out, '\n');
	}
	qx_gift_general(out, q);
	sb_add(out, "}");
	if (p && p[3]) {
		const char *r = p + 3;
		while (*r == ' ')
			r++;
		if (r > p + 3)
			sb_addc(out, ' ');
		qx_gift_esc(out, r);
	}
	sb_add(out, "\n\n");
}

/* {TRUE#feedback if wrong#feedback if right####general} */
static void
qx_gift_tf_write(sb *out, const qz_question *q)
{
	int r = q->answer[0];
	sb_add(out, r == 0 ? " {TRUE" : " {FALSE");
	sb_addc(out, '#');
	if ((size_t)(1 - r) < q->feedback.n)
		qx_gift_esc(out, q->feedback.s[1 - r]);
	sb_addc(out, '#');
	if ((size_t)r < q->feedback.n)
		qx_gift_esc(out, q->feedback.s[r]);
	sb_add(out, "####");
	qx_gift_esc(out, q->explanation);
	sb_add(out, "}\n\n");
}

static void
qx_gift_single(sb *out, const qz_question *q)
{
	for (size_t i = 0; i < q->list.n; i++) {
		sb_add(out, i == (size_t)q->answer[0] ? "\t=" : "\t~");
		qx_gift_esc(out, q->list.s[i]);
		qx_gift_fb(out, q, i);
		sb_addc(out, '\n');
	}
}

/* Each right option an equal share; each wrong one takes a share away,
** so ticking every box earns nothing more than guessing. */
static void
qx_gift_multiple(sb *out, const qz_question *q)
{
	double w = 100.0 / (double)q->nanswer;
	for (size_t i = 0; i < q->list.n; i++) {
		int right = 0;
		for (size_t k = 0; k < q->nanswer; k++)
			right |= q->answer[k] == (int)i;
		sb_add(out, "\t~%");
		qx_weight(out, right ? w : -w);
		sb_addc(out, '%');
		qx_gift_esc(out, q->list.s[i]);
		qx_gift_fb(out, q, i);
		sb_addc(out, '\n');
	}
}

/* Matching, yes/no and ordering questions as "=item -> target" pairs. */
static void
qx_gift_pairs(sb *out, const qz_question *q)
{
	qx_strs targets = { NULL, 0 };
	int ans[QZ_MAXPART];
	const qz_list *tl = NULL;
	if (q->type == QZ_MATCHING) {
		tl = &q->targets;
		for (size_t i = 0; i < q->list.n; i++)
			ans[i] = q->answer[i];
	} else
		qx_as_matching(q, &targets, ans);
	size_t nt = tl ? tl->n : targets.n;
	for (size_t i = 0; i < q->list.n; i++) {
		sb_add(out, "\t=");
		qx_gift_esc(out, q->list.s[i]);
		sb_add(out, " -> ");
		qx_gift_esc(out, tl ? tl->s[ans[i]] : targets.v[ans[i]]);
		sb_addc(out, '\n');
	}
	/* Targets no item takes: spare answers. */
	for (size_t t = 0; t < nt; t++) {
		int used = 0;
		for (size_t i = 0; i < q->list.n; i++)
			used |= ans[i] == (int)t;
		if (!used) {
			sb_add(out, "\t= -> ");
			qx_gift_esc(out, tl ? tl->s[t] : targets.v[t]);
			sb_addc(out, '\n');
		}
	}
	qx_strs_free(&targets);
}

/* Writes q; 1 when it was left out (the format cannot hold it). */
static size_t
qx_gift_question_write(const qz_question *q, sb *out, sb *notes)
{
	if (q->type == QZ_DROPDOWN && q->nblanks > 1) {
		sb_addf(notes, "%s: left out: GIFT has one blank per "
		    "question and this dropdown has %zu (moodle-xml holds "
		    "it)\n", q->id, q->nblanks);
		return 1;
	}
	const char *as = q->type == QZ_YESNO ? "yesno" :
	    q->type == QZ_ORDERING ? "ordering" :
	    q->type == QZ_DROPDOWN ? "dropdown" : NULL;
	qx_gift_notes(q, notes);
	char *meta = qx_meta_json(q, as, q->type == QZ_YESNO);
	sb_addf(out, "// synclab: %s\n::", meta);
	free(meta);
	qx_gift_esc(out, q->id);
	sb_add(out, "::[plain]");
	if (q->type == QZ_DROPDOWN) {
		qx_gift_dropdown(out, q);
		return 0;
	}
	qx_gift_esc(out, q->stem);
	if (q->type == QZ_SINGLE && q->list.n == 2 &&
	    strcmp(q->list.s[0], "True") == 0 &&
	    strcmp(q->list.s[1], "False") == 0) {
		qx_gift_tf_write(out, q);
		return 0;
	}
	sb_add(out, " {\n");
	if (q->type == QZ_SINGLE)
		qx_gift_single(out, q);
	else if (q->type == QZ_MULTIPLE)
		qx_gift_multiple(out, q);
	else
		qx_gift_pairs(out, q);
	qx_gift_general(out, q);
	sb_add(out, "}\n\n");
	return 0;
}

size_t
qx_gift_write(const qz_bank *b, sb *out, sb *notes)
{
	size_t left = 0;
	sb_add(out, "// GIFT questions written by synclab export.  Moodle "
	    "ignores the \"// synclab:\" lines;\n// synclab import reads them "
	    "back (the id, outline line, topics and type).\n\n");
	for (size_t qi = 0; qi < b->nq; qi++)
		left += qx_gift_question_write(b->q[qi], out, notes);
	return left;
}
