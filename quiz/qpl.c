/*
** qpl.c: plain mode; see qpl.h and docs/quiz.md.
*/
#include "quiz/qpl.h"
#include "lib/xmem.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

int
qpl_parse_time(const char *s, int64_t *out)
{
	struct tm tm;
	int y, mo, d, h = 0, mi = 0, sec = 0, used = 0;
	memset(&tm, 0, sizeof tm);
	if (sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &used) != 3)
		return -1;
	s += used;
	if (*s == 'T' || *s == ' ') {
		int u2 = 0;
		if (sscanf(s + 1, "%2d:%2d%n", &h, &mi, &u2) != 2)
			return -1;
		s += 1 + u2;
		if (*s == ':') {
			if (sscanf(s + 1, "%2d%n", &sec, &u2) != 1)
				return -1;
			s += 1 + u2;
		}
	}
	if (*s == 'Z')
		s++;
	if (*s != '\0' || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 ||
	    mi > 59 || sec > 60)
		return -1;
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	*out = (int64_t)timegm(&tm);
	return 0;
}

int64_t
qpl_clock(void)
{
	static int warned;
	const char *e = getenv("SYNCLAB_NOW");
	int64_t t;
	if (e && *e) {
		if (qpl_parse_time(e, &t) == 0)
			return t * 1000;
		if (!warned++)
			fprintf(stderr, "synclab: SYNCLAB_NOW=\"%s\" is not a time like 2026-03-01T09:00:00Z; using the clock\n",
			    e);
	}
	struct timeval tv;
	gettimeofday(&tv, NULL);
	return (int64_t)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

/* Reads one line without its end and surrounding blanks; -1 at EOF. */
static int
qpl_read(const qpl_io *io, char **line, size_t *cap)
{
	fflush(io->out);
	ssize_t n = getline(line, cap, io->in);
	if (n < 0)
		return -1;
	char *s = *line;
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	size_t lead = 0;
	while (isspace((unsigned char)s[lead]))
		lead++;
	memmove(s, s + lead, (size_t)n - lead + 1);
	if (io->echo)
		fprintf(io->out, "> %s\n", s);
	return 0;
}

static void
qpl_put(const qpl_io *io, sb *b)
{
	fputs(sb_str(b), io->out);
	fflush(io->out);	/* a "saved:" line is out before the next step */
	sb_reset(b);
}

static void
qpl_show(qs_session *s, const qpl_io *io)
{
	sb b = SB_INIT;
	sb_addc(&b, '\n');
	qs_format_item(s, s->cur, &b);
	qpl_put(io, &b);
	sb_free(&b);
}

/* Ends a practice-like run with the summary and the breakdown. */
static void
qpl_summary(const qs_session *s, const qpl_io *io)
{
	qs_result r;
	sb b = SB_INIT;
	qs_result_get(s, &r);
	sb_add(&b, "\nSummary\n");
	qs_format_result(s, &r, &b);
	if (r.all.n > 0)
		qs_format_breakdown(&r, &b);
	qpl_put(io, &b);
	sb_free(&b);
	qs_result_free(&r);
}

/*
** Asks one question until it gets an answer.  Returns 0 with *r filled,
** 1 when the student quits (q or end of input).
*/
static int
qpl_ask(qs_session *s, const qpl_io *io, qz_resp *r, char **line, size_t *cap)
{
	qs_item *it = qs_cur(s);
	sb why = SB_INIT;
	for (;;) {
		fputs("Your answer (? repeats the question, q stops):\n", io->out);
		if (qpl_read(io, line, cap) < 0 || strcmp(*line, "q") == 0) {
			sb_free(&why);
			return 1;
		}
		if (strcmp(*line, "?") == 0) {
			qpl_show(s, io);
			continue;
		}
		sb_reset(&why);
		if (qz_parse_answer(it->q, &it->view, *line, r, &why) == 0)
			break;
		fprintf(io->out, "Not an answer: %s.\n", sb_str(&why));
	}
	sb_free(&why);
	return 0;
}

static int
qpl_store_error(const qpl_io *io, sb *err)
{
	fprintf(io->out, "synclab: cannot save: %s\n", sb_str(err));
	fprintf(stderr, "synclab: cannot save: %s\n", sb_str(err));
	return 1;
}

/* One pass over a practice session; *quit set when the student stopped. */
static int
qpl_practice_pass(qs_session *s, const qpl_io *io, int *quit)
{
	char *line = NULL;
	size_t cap = 0;
	sb b = SB_INIT, err = SB_INIT;
	int rc = 0;
	*quit = 0;
	for (size_t i = 0; i < s->n; i++) {
		qs_goto(s, i, io->now_ms());
		qpl_show(s, io);
		qz_resp r;
		if (qpl_ask(s, io, &r, &line, &cap) != 0) {
			*quit = 1;
			break;
		}
		if (qs_answer(s, &r, io->now_ms(), &err) != 0) {
			rc = qpl_store_error(io, &err);
			break;
		}
		qs_format_feedback(s, i, &b);
		if (s->db)
			sb_addf(&b, "saved: %s\n", s->items[i].q->id);
		qpl_put(io, &b);
	}
	free(line);
	sb_free(&b);
	sb_free(&err);
	return rc;
}

int
qpl_practice(qs_session *s, const qpl_io *io)
{
	char *line = NULL;
	size_t cap = 0;
	int quit, rc;
	int mixed = 0;
	for (size_t i = 1; i < s->n; i++)
		mixed |= s->items[i].q->domain != s->items[0].q->domain;
	fprintf(io->out, "Practice: %zu question%s%s. Feedback after each answer.\n",
	    s->n, s->n == 1 ? "" : "s", mixed ? ", domains mixed" : "");
	if (s->shortfall[0])
		fprintf(io->out, "%s\n", s->shortfall);
	rc = qpl_practice_pass(s, io, &quit);
	qpl_summary(s, io);
	/* "Retry the ones I missed", as often as the student wants: each
	** retry is a new session over the previous one's misses, freed once
	** the next is drawn (s stays the caller's). */
	qs_session *cur = s;
	while (rc == 0 && !quit) {
		qs_session *t = qs_retry_missed(cur, io->now_ms());
		if (cur != s)
			qs_free(cur);
		cur = t;
		if (t == NULL)
			break;
		fprintf(io->out, "\nRetry the %zu you missed? (y/n)\n", t->n);
		if (qpl_read(io, &line, &cap) < 0 || (strcmp(line, "y") != 0 &&
		    strcmp(line, "yes") != 0))
			break;
		fprintf(io->out, "Retrying %zu question%s.\n", t->n, t->n == 1 ? "" : "s");
		rc = qpl_practice_pass(t, io, &quit);
		qpl_summary(t, io);
	}
	if (cur != s)
		qs_free(cur);
	free(line);
	return rc;
}

static void
qpl_exam_prompt(const qs_session *s, const qpl_io *io)
{
	char clock[32];
	qs_format_clock(qs_time_left(s, io->now_ms()), clock, sizeof clock);
	fprintf(io->out, "Answer, or: next, prev, go N, flag, list, submit, abandon, ?, q (time left %s):\n",
	    clock);
}

static int
qpl_exam_submit(qs_session *s, const qpl_io *io, const char *why)
{
	sb b = SB_INIT, err = SB_INIT;
	if (qs_submit(s, io->now_ms(), &err) != 0) {
		int rc = qpl_store_error(io, &err);
		sb_free(&err);
		return rc;
	}
	qs_result r;
	qs_result_get(s, &r);
	sb_addf(&b, "\n%s\n\nResult\n", why);
	qs_format_result(s, &r, &b);
	qs_format_breakdown(&r, &b);
	sb_add(&b, "\nEvery question, your answer and the right one:\n");
	qs_format_answers(s, &b);
	if (s->db)
		sb_addf(&b, "saved: exam %lld\n", (long long)s->exam_id);
	qpl_put(io, &b);
	qs_result_free(&r);
	sb_free(&b);
	sb_free(&err);
	return 0;
}

/* The state of one exam at the prompt: the line read, the buffers, and
** the exit status once it has ended. */
typedef struct qpl_exam_st {
	char	*line;
	size_t	 cap;
	sb	 why, err, b;
	int	 rc;
} qpl_exam_st;

#define QPL_ENDED	"You ended the exam: it was submitted with the answers given."

/* The start screen: what the exam is, before the clock starts.  0 when
** the clock runs, -1 when the exam ended before it (st->rc says how). */
static int
qpl_exam_start(qs_session *s, const qpl_io *io, qpl_exam_st *st)
{
	qs_format_exam_intro(s, &st->b);
	if (s->shortfall[0])
		sb_addf(&st->b, "%s\n", s->shortfall);
	sb_add(&st->b, "Press Enter to start the clock (q leaves without starting):\n");
	qpl_put(io, &st->b);
	if (qpl_read(io, &st->line, &st->cap) < 0 || strcmp(st->line, "q") == 0) {
		if (qs_abandon(s, io->now_ms(), &st->err) != 0 && st->err.len)
			st->rc = qpl_store_error(io, &st->err);
		else
			fputs("You left before starting: nothing was scored.\n", io->out);
		return -1;
	}
	if (qs_exam_begin(s, io->now_ms(), &st->err) != 0) {
		st->rc = qpl_store_error(io, &st->err);
		return -1;
	}
	qpl_show(s, io);
	return 0;
}

/* next, prev, go N: moves to another question. */
static void
qpl_exam_move(qs_session *s, const qpl_io *io, const char *line)
{
	if (strcmp(line, "next") == 0 || strcmp(line, "prev") == 0) {
		int fwd = line[0] == 'n';
		if ((fwd && s->cur + 1 >= s->n) || (!fwd && s->cur == 0))
			fprintf(io->out, "This is the %s question.\n", fwd ? "last" : "first");
		else {
			qs_goto(s, fwd ? s->cur + 1 : s->cur - 1, io->now_ms());
			qpl_show(s, io);
		}
		return;
	}
	char *end;
	long k = strtol(line + 2, &end, 10);
	if (end == line + 2 || *end != '\0' || k < 1 || (size_t)k > s->n)
		fprintf(io->out, "Type go and a question number from 1 to %zu.\n", s->n);
	else {
		qs_goto(s, (size_t)k - 1, io->now_ms());
		qpl_show(s, io);
	}
}

/* abandon, after a y.  1 when the exam ended. */
static int
qpl_exam_abandon(qs_session *s, const qpl_io *io, qpl_exam_st *st)
{
	fputs("Abandon the exam? Nothing is scored, and your answers are not recorded. (y/n)\n",
	    io->out);
	if (qpl_read(io, &st->line, &st->cap) < 0) {
		st->rc = qpl_exam_submit(s, io, QPL_ENDED);
		return 1;
	}
	if (strcmp(st->line, "y") != 0 && strcmp(st->line, "yes") != 0)
		return 0;
	if (qs_abandon(s, io->now_ms(), &st->err) != 0) {
		st->rc = qpl_store_error(io, &st->err);
		return 1;
	}
	fputs("Exam abandoned: not scored.\n", io->out);
	if (s->db)
		fprintf(io->out, "saved: exam %lld abandoned\n",
		    (long long)s->exam_id);
	return 1;
}

/* submit, after a y when questions are unanswered or flagged.  1 when
** the exam ended. */
static int
qpl_exam_submit_cmd(qs_session *s, const qpl_io *io, qpl_exam_st *st)
{
	qs_result r;
	qs_result_get(s, &r);
	size_t un = r.unanswered, fl = r.flagged;
	qs_result_free(&r);
	if (un || fl) {
		fprintf(io->out, "%zu unanswered, %zu flagged. Submit anyway? (y/n)\n",
		    un, fl);
		if (qpl_read(io, &st->line, &st->cap) < 0) {
			st->rc = qpl_exam_submit(s, io, QPL_ENDED);
			return 1;
		}
		if (strcmp(st->line, "y") != 0 && strcmp(st->line, "yes") != 0)
			return 0;
	}
	st->rc = qpl_exam_submit(s, io, "Submitted.");
	return 1;
}

/* A line that is no command: an answer to the current question, which
** then moves on.  1 when the exam ended (the store failed). */
static int
qpl_exam_answer(qs_session *s, const qpl_io *io, qpl_exam_st *st)
{
	qs_item *it = qs_cur(s);
	qz_resp r;
	sb_reset(&st->why);
	if (qz_parse_answer(it->q, &it->view, st->line, &r, &st->why) != 0) {
		fprintf(io->out, "Not an answer or a command: %s.\n", sb_str(&st->why));
		return 0;
	}
	if (qs_answer(s, &r, io->now_ms(), &st->err) != 0) {
		st->rc = qpl_store_error(io, &st->err);
		return 1;
	}
	fprintf(io->out, "Answer to question %zu kept: %s\n", s->cur + 1, st->line);
	if (s->cur + 1 < s->n) {
		qs_goto(s, s->cur + 1, io->now_ms());
		qpl_show(s, io);
	} else {
		fputs("That was the last question. Review the list, then type submit.\n",
		    io->out);
		qs_format_list(s, &st->b);
		qpl_put(io, &st->b);
	}
	return 0;
}

/* One line typed at the exam's prompt.  1 when the exam ended. */
static int
qpl_exam_line(qs_session *s, const qpl_io *io, qpl_exam_st *st)
{
	const char *line = st->line;
	if (strcmp(line, "?") == 0) {
		qpl_show(s, io);
	} else if (strcmp(line, "next") == 0 || strcmp(line, "prev") == 0 ||
	    (strncmp(line, "go", 2) == 0 && (line[2] == ' ' || line[2] == '\0'))) {
		qpl_exam_move(s, io, line);
	} else if (strcmp(line, "flag") == 0) {
		qs_item *it = qs_cur(s);
		if (qs_flag(s, !it->flagged, &st->err) != 0) {
			st->rc = qpl_store_error(io, &st->err);
			return 1;
		}
		fprintf(io->out, "Question %zu %s.\n", s->cur + 1,
		    it->flagged ? "flagged for review" : "unflagged");
	} else if (strcmp(line, "list") == 0) {
		qs_format_list(s, &st->b);
		qpl_put(io, &st->b);
	} else if (strcmp(line, "abandon") == 0)
		return qpl_exam_abandon(s, io, st);
	else if (strcmp(line, "submit") == 0)
		return qpl_exam_submit_cmd(s, io, st);
	else
		return qpl_exam_answer(s, io, st);
	return 0;
}

int
qpl_exam(qs_session *s, const qpl_io *io)
{
	qpl_exam_st st = { NULL, 0, SB_INIT, SB_INIT, SB_INIT, 0 };
	if (qpl_exam_start(s, io, &st) == 0) {
		for (;;) {
			if (qs_time_left(s, io->now_ms()) <= 0) {
				st.rc = qpl_exam_submit(s, io,
				    "Time is up: the exam was submitted.");
				break;
			}
			qpl_exam_prompt(s, io);
			if (qpl_read(io, &st.line, &st.cap) < 0 ||
			    strcmp(st.line, "q") == 0) {
				st.rc = qpl_exam_submit(s, io, QPL_ENDED);
				break;
			}
			if (qs_time_left(s, io->now_ms()) <= 0)
				continue;	/* too late: the top of the loop submits */
			if (qpl_exam_line(s, io, &st))
				break;
		}
	}
	free(st.line);
	sb_free(&st.why);
	sb_free(&st.err);
	sb_free(&st.b);
	return st.rc;
}

void
qpl_due_line(qdb *db, int64_t now_ms, sb *out)
{
	int64_t now = now_ms / 1000;
	size_t now_n = qdb_due_count(db, now);
	size_t day_n = qdb_due_count(db, (now / 86400 + 1) * 86400 - 1);
	sb_addf(out, "Due now: %zu. Later today (UTC): %zu.\n", now_n, day_n - now_n);
}

/* Reads the self-rating of a right answer; "" means Good.  Sets *quit on
** q or end of input (the answer then counts as Good). */
static enum qm_rating
qpl_rating(const qpl_io *io, char **line, size_t *cap, int *quit)
{
	for (;;) {
		fputs("How well did you know it? h hard, g good (default), e easy:\n", io->out);
		if (qpl_read(io, line, cap) < 0 || strcmp(*line, "q") == 0) {
			*quit = 1;
			return QM_GOOD;
		}
		if (**line == '\0' || strcmp(*line, "g") == 0)
			return QM_GOOD;
		if (strcmp(*line, "h") == 0)
			return QM_HARD;
		if (strcmp(*line, "e") == 0)
			return QM_EASY;
		fputs("Type h, g or e (or just Enter for good).\n", io->out);
	}
}

int
qpl_review(qs_session *s, const qpl_io *io)
{
	char *line = NULL;
	size_t cap = 0;
	sb b = SB_INIT, err = SB_INIT;
	int rc = 0, quit = 0;
	fprintf(io->out, "Review: %zu card%s due. A wrong answer counts as Again; after a right one,\n"
	    "rate how well you knew it.\n", s->n, s->n == 1 ? "" : "s");
	for (size_t i = 0; i < s->n && !quit; i++) {
		qs_goto(s, i, io->now_ms());
		qpl_show(s, io);
		qz_resp r;
		size_t leeches = s->leeches;
		if (qpl_ask(s, io, &r, &line, &cap) != 0)
			break;
		if (qs_answer(s, &r, io->now_ms(), &err) != 0) {
			rc = qpl_store_error(io, &err);
			break;
		}
		qs_format_feedback(s, i, &b);
		qpl_put(io, &b);
		if (s->items[i].pending) {
			enum qm_rating g = qpl_rating(io, &line, &cap, &quit);
			if (qs_rate(s, g, io->now_ms(), NULL, &err) != 0) {
				rc = qpl_store_error(io, &err);
				break;
			}
		}
		qm_card c;
		if (s->db && qdb_card_get(s->db, s->items[i].q->id, &c) == 1) {
			char span[32];
			qm_format_span(c.due - io->now_ms() / 1000, span, sizeof span);
			sb_addf(&b, "saved: %s (next in %s)\n", s->items[i].q->id, span);
			if (s->leeches > leeches)
				sb_addf(&b, "This card is a leech (%d lapses): it is suspended and tagged.\n"
				    "Reread its explanation and the section it tests before trying it again.\n",
				    c.lapses);
		}
		qpl_put(io, &b);
	}
	qpl_summary(s, io);
	if (s->leeches)
		fprintf(io->out, "%zu card%s became leech%s in this session.\n", s->leeches,
		    s->leeches == 1 ? "" : "s", s->leeches == 1 ? "" : "es");
	free(line);
	sb_free(&b);
	sb_free(&err);
	return rc;
}
