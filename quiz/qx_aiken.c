/*
** qx_aiken.c: the Aiken format, read and written.
**
** Aiken holds single-answer multiple choice only: the question on its own
** line(s), then one option a line ("A. text" or "A) text", a capital
** letter), then "ANSWER: B".  Questions are separated by blank lines.
** There is no title, no feedback and no explanation, so an exported bank
** loses those (each said in a note) and an import gets the defaults.
*/
#include "quiz/qx_int.h"
#include "lib/xmem.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* 1 when the line s[0, n) is an option "A. " or "A) ". */
static int
qx_aiken_option(const char *s, size_t n)
{
	return n >= 3 && s[0] >= 'A' && s[0] <= 'Z' &&
	    (s[1] == '.' || s[1] == ')') && (s[2] == ' ' || s[2] == '\t');
}

void
qx_aiken_read(qx_ctx *c)
{
	const char *s = c->text;
	size_t len = c->len, i = 0;
	if (len >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	qx_q q;
	memset(&q, 0, sizeof q);
	int inq = 0;
	char sep = 0;
	int mixed = 0;
	sb stem = SB_INIT;
	while (i < len) {
		size_t e = i;
		while (e < len && s[e] != '\n')
			e++;
		size_t a = i, b = e;
		while (a < b && isspace((unsigned char)s[a]))
			a++;
		while (b > a && isspace((unsigned char)s[b - 1]))
			b--;
		const char *l = s + a;
		size_t n = b - a;
		i = e + 1;
		if (n == 0)
			continue;	/* blank lines separate questions */
		if (!inq) {
			memset(&q, 0, sizeof q);
			q.off = a;
			q.type = QZ_SINGLE;
			c->seq++;
			inq = 1;
			sep = 0;
			mixed = 0;
			sb_reset(&stem);
		}
		if (n >= 7 && strncasecmp(l, "ANSWER:", 7) == 0) {
			if (memcmp(l, "ANSWER:", 7) != 0) {
				qx_err(c, a, "write ANSWER: in capitals (Aiken)");
				inq = 0;
				qx_q_free(&q);
				continue;
			}
			size_t k = 7;
			while (k < n && (l[k] == ' ' || l[k] == '\t'))
				k++;
			if (q.list.n == 0) {
				qx_err(c, a, "ANSWER: before any option (options are "
				    "written \"A. text\", one a line)");
			} else if (k + 1 != n || l[k] < 'A' || l[k] > 'Z') {
				qx_err(c, a + k, "ANSWER: is followed by one capital "
				    "letter, the right option's");
			} else if ((size_t)(l[k] - 'A') >= q.list.n) {
				qx_err(c, a + k, "ANSWER: %c, but the options go from "
				    "A to %c", l[k], (char)('A' + q.list.n - 1));
			} else {
				qx_q_answer(&q, l[k] - 'A');
				if (mixed)
					qx_note(c, q.off, "the options mix \"A.\" and "
					    "\"A)\"; Moodle accepts it, some platforms "
					    "do not");
				q.stem = sb_take(&stem);
				qx_emit(c, &q);
				inq = 0;
				continue;
			}
			qx_q_free(&q);
			inq = 0;
			continue;
		}
		if (qx_aiken_option(l, n)) {
			if (stem.len == 0) {
				qx_err(c, a, "an option before the question's text");
				/* skip to the end of this question */
				while (i < len) {
					size_t e2 = i;
					while (e2 < len && s[e2] != '\n')
						e2++;
					int blank = 1;
					for (size_t k = i; k < e2; k++)
						if (!isspace((unsigned char)s[k]))
							blank = 0;
					i = e2 + 1;
					if (blank)
						break;
				}
				qx_q_free(&q);
				inq = 0;
				continue;
			}
			if ((size_t)(l[0] - 'A') != q.list.n)
				qx_err(c, a, "option %c where %c was due (options are "
				    "lettered A, B, C ... in order)", l[0],
				    (char)('A' + q.list.n));
			if (sep && sep != l[1])
				mixed = 1;
			sep = l[1];
			size_t k = 3;
			while (k < n && isspace((unsigned char)l[k]))
				k++;
			qx_strs_add(&q.list, xstrndup(l + k, n - k));
			continue;
		}
		if (q.list.n > 0) {
			qx_err(c, a, "a line that is neither an option (A. text) nor "
			    "ANSWER: after the options");
			continue;
		}
		/* Question text, possibly over several lines. */
		if (stem.len)
			sb_addc(&stem, ' ');
		sb_addn(&stem, l, n);
	}
	if (inq) {
		qx_err(c, q.off, "no ANSWER: line ends this question");
		qx_q_free(&q);
	}
	sb_free(&stem);
}

/* Text on one line: line breaks become spaces. */
static void
qx_aiken_line(sb *o, const char *s, int *joined)
{
	for (; *s; s++) {
		if (*s == '\n' || *s == '\r') {
			*joined = 1;
			sb_addc(o, ' ');
		} else
			sb_addc(o, *s);
	}
}

size_t
qx_aiken_write(const qz_bank *b, sb *out, sb *notes)
{
	size_t left = 0, kept = 0;
	for (size_t qi = 0; qi < b->nq; qi++) {
		const qz_question *q = b->q[qi];
		if (q->type != QZ_SINGLE) {
			sb_addf(notes, "%s: left out: Aiken holds single-answer "
			    "questions only, and this is %s (gift or moodle-xml "
			    "holds it)\n", q->id, qz_type_name(q->type));
			left++;
			continue;
		}
		int joined = 0;
		qx_aiken_line(out, q->stem, &joined);
		sb_addc(out, '\n');
		for (size_t i = 0; i < q->list.n; i++) {
			sb_addf(out, "%c. ", (char)('A' + i));
			qx_aiken_line(out, q->list.s[i], &joined);
			sb_addc(out, '\n');
		}
		sb_addf(out, "ANSWER: %c\n\n", (char)('A' + q->answer[0]));
		if (joined)
			sb_addf(notes, "%s: its line breaks became spaces (Aiken "
			    "text is one line)\n", q->id);
		if (q->feedback.n)
			sb_addf(notes, "%s: its per-option feedback is not in the "
			    "file (Aiken has none)\n", q->id);
		if (q->case_id)
			sb_addf(notes, "%s: its case study %s is not in the file\n",
			    q->id, q->case_id);
		kept++;
	}
	if (kept)
		sb_addf(notes, "the explanation, id, topics, outline line, "
		    "difficulty and scoring of the %zu question%s written are "
		    "not in the file: Aiken has no place for them\n", kept,
		    kept == 1 ? "" : "s");
	return left;
}
