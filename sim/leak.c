/*
** leak.c: the answer-leak check of `synclab check` for scenario files.
**
** A predict-then-observe question is worth asking only if nothing the
** student read before it gives the answer away.  So the text of every
** keyed option of an `ask` (the right option of a single-choice question,
** each right option of a multiple-choice one, the right choice of each
** blank of a drop-down) must not appear in the summary, the goal, a hint,
** or the `say` of any step before the asking one (a step's own `say` is
** shown only after its question).  "Appear" means as whole words, case
** and spacing aside: "MQ==" leaks from "1 is MQ==", "200" from "answers
** 200", but "a" is not found inside "that".  A longer option (four
** words or more that carry meaning) also leaks when one sentence read
** before holds three quarters of those words, in any order: a summary
** that says "a pull pushes a dirty table first, and that push meets 412"
** gives away "The pull pushes the dirty table first, and that push fails
** with 412".  Yes/no, matching and
** ordering questions are not checked: their statements and items are not
** answers.  The choice of a drop-down blank (a short word or number
** that a story mentions anyway) is not reported when another choice of
** the same blank appears before it too: naming the candidates does not
** single out the answer ("POST, PATCH" before a blank whose choices are
** PUT, PATCH and POST).  An option of a single or multiple choice
** question is reported whatever else appears: "1 is MQ==, 2 is Mg=="
** before "which version do the seed rows have?" gives it away.
**
** Each leak is reported at the option in the file, as every other
** problem of a scenario is: FILE:LINE:COL: steps[N].ask: what.
*/
#include "sim/leak.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/xmem.h"
#include "quiz/qz.h"

/* Lower case, runs of blanks as one space, no blanks at either end. */
static char *
leak_norm(const char *s)
{
	size_t n = strlen(s), k = 0;
	char *out = xmalloc(n + 1);
	int sp = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (isspace(c)) {
			sp = k > 0;
			continue;
		}
		if (sp)
			out[k++] = ' ';
		sp = 0;
		out[k++] = (char)tolower(c);
	}
	out[k] = '\0';
	return out;
}

static int
leak_wordch(char c)
{
	return isalnum((unsigned char)c) || c == '_' || (c & 0x80);
}

/* 1 when needle (normalized, not empty) occurs in hay (normalized) with
** no word character just before or after it.  Linear in both lengths
** times the number of partial matches; texts here are short. */
static int
leak_found(const char *hay, const char *needle)
{
	size_t nl = strlen(needle);
	for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle)) {
		int before = p > hay && leak_wordch(p[-1]) &&
		    leak_wordch(needle[0]);
		int after = p[nl] && leak_wordch(p[nl]) &&
		    leak_wordch(needle[nl - 1]);
		if (!before && !after)
			return 1;
	}
	return 0;
}

/* Words that carry no meaning of their own for the comparison. */
static int
leak_stopword(const char *w, size_t n)
{
	static const char *const stop[] = { "the", "a", "an", "and", "or",
	    "of", "to", "in", "on", "is", "are", "it", "its", "that", "this",
	    "with", "for", "be", "by", "as", "at", "from", "then", "so",
	    "not", "no", NULL };
	for (const char *const *p = stop; *p; p++)
		if (strlen(*p) == n && strncmp(*p, w, n) == 0)
			return 1;
	return 0;
}

/* The next word of s from *p: its start and length (0 at the end). */
static size_t
leak_word(const char **p, const char **w)
{
	while (**p && !leak_wordch(**p))
		(*p)++;
	*w = *p;
	while (**p && leak_wordch(**p))
		(*p)++;
	return (size_t)(*p - *w);
}

/* 1 when the sentence [s, e) holds the word w (n bytes) whole. */
static int
leak_has_word(const char *s, const char *e, const char *w, size_t n)
{
	const char *p = s, *x;
	size_t l;
	while (p < e && (l = leak_word(&p, &x)) > 0 && x < e)
		if (l == n && strncmp(x, w, n) == 0)
			return 1;
	return 0;
}

/* 1 when one sentence of hay holds at least three quarters of the
** meaningful words of needle, which has four or more of them. */
static int
leak_paraphrased(const char *hay, const char *needle)
{
	const char *words[64];
	size_t lens[64], nw = 0, l;
	const char *p = needle, *w;
	while (nw < 64 && (l = leak_word(&p, &w)) > 0)
		if (!leak_stopword(w, l)) {
			words[nw] = w;
			lens[nw++] = l;
		}
	if (nw < 4)
		return 0;
	for (const char *s = hay; *s; ) {
		/* One sentence: up to . ! ? or a line end. */
		const char *e = s;
		while (*e && *e != '\n' && !((*e == '.' || *e == '!' ||
		    *e == '?') && (e[1] == ' ' || e[1] == '\n' || !e[1])))
			e++;
		size_t hit = 0;
		for (size_t i = 0; i < nw; i++)
			hit += (size_t)leak_has_word(s, e, words[i], lens[i]);
		if (hit * 4 >= nw * 3)
			return 1;
		s = *e ? e + 1 : e;
	}
	return 0;
}

/* Line and column (1-based) of the first occurrence of the JSON string
** s in text at or after line from; 0 when not found. */
static void
leak_where(const char *text, const char *s, int from, int *line, int *col)
{
	cJSON *j = cJSON_CreateString(s);
	char *q = j ? cJSON_PrintUnformatted(j) : NULL;
	cJSON_Delete(j);
	*line = *col = 0;
	if (q == NULL)
		return;
	int l = 1;
	const char *ls = text;
	for (const char *p = text; *p; p++) {
		if (l >= from && strncmp(p, q, strlen(q)) == 0) {
			*line = l;
			*col = (int)(p - ls) + 1;
			break;
		}
		if (*p == '\n') {
			l++;
			ls = p + 1;
		}
	}
	free(q);
}

/* 1 when text (normalized) states option s, whole or paraphrased. */
static int
leak_states(const char *text, const char *s)
{
	char *n = leak_norm(s);
	int r = *n && (leak_found(text, n) || leak_paraphrased(text, n));
	free(n);
	return r;
}

/* 1 when an option of list l other than the keyed ones (key[0..nk))
** appears in text. */
static int
leak_other(const char *text, const qz_list *l, const int *key, size_t nk)
{
	for (size_t i = 0; i < l->n; i++) {
		int keyed = 0;
		for (size_t k = 0; k < nk; k++)
			keyed |= key[k] == (int)i;
		if (!keyed && leak_states(text, l->s[i]))
			return 1;
	}
	return 0;
}

/* The keyed options of q that text gives away, as pointers into q. */
static size_t
leak_keyed(const qz_question *q, const char *text, const char **out)
{
	size_t n = 0;
	switch (q->type) {
	case QZ_SINGLE:
	case QZ_MULTIPLE:
		for (size_t i = 0; i < q->nanswer && n < QZ_MAXPART; i++)
			if (q->answer[i] >= 0 && (size_t)q->answer[i] <
			    q->list.n && leak_states(text,
			    q->list.s[q->answer[i]]))
				out[n++] = q->list.s[q->answer[i]];
		break;
	case QZ_DROPDOWN:
		for (size_t b = 0; b < q->nblanks && b < q->nanswer; b++)
			if (q->answer[b] >= 0 && (size_t)q->answer[b] <
			    q->blanks[b].n && !leak_other(text, &q->blanks[b],
			    &q->answer[b], 1) && leak_states(text,
			    q->blanks[b].s[q->answer[b]]))
				out[n++] = q->blanks[b].s[q->answer[b]];
		break;
	default:
		break;
	}
	return n;
}

int
leak_check(const scn *s, const char *name, const char *text, sb *errs)
{
	int nerr = 0;
	/* What the student may have read so far, normalized, growing as
	** the steps go by. */
	sb seen = SB_INIT;
	const char *intro[2] = { s->summary, s->goal_text };
	for (size_t i = 0; i < 2; i++)
		if (intro[i]) {
			char *n = leak_norm(intro[i]);
			sb_addf(&seen, "%s\n", n);
			free(n);
		}
	for (size_t h = 0; h < s->nhints; h++) {
		char *n = leak_norm(s->hints[h]);
		sb_addf(&seen, "%s\n", n);
		free(n);
	}
	for (size_t i = 0; i < s->nsteps; i++) {
		const scn_step *st = &s->steps[i];
		if (st->ask) {
			const char *keyed[QZ_MAXPART];
			size_t nk = leak_keyed(st->ask, sb_str(&seen), keyed);
			for (size_t k = 0; k < nk; k++) {
				int line, col;
				leak_where(text, keyed[k], st->line, &line,
				    &col);
				sb_addf(errs, "%s:%d:%d: steps[%zu].ask: the "
				    "answer \"%s\" is given away before the "
				    "question (the summary, the goal, a hint or "
				    "an earlier say states it)\n", name, line ? line : st->line,
				    col ? col : 1, i, keyed[k]);
				nerr++;
			}
		}
		if (st->say) {
			char *n = leak_norm(st->say);
			sb_addf(&seen, "%s\n", n);
			free(n);
		}
	}
	sb_free(&seen);
	return nerr;
}
