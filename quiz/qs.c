/*
** qs.c: quiz sessions; see qs.h and docs/quiz.md.
*/
#include "quiz/qs.h"
#include "quiz/qdraw.h"
#include "quiz/qol.h"
#include "lib/xmem.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int
qs_has_topic(const qz_question *q, const char *topic)
{
	for (size_t i = 0; i < q->topics.n; i++)
		if (strcmp(q->topics.s[i], topic) == 0)
			return 1;
	return 0;
}

static qs_session *
qs_new(enum qs_kind kind, const qz_bank *b, qdb *db, uint64_t seed,
    int64_t now_ms)
{
	qs_session *s = xcalloc(1, sizeof *s);
	s->kind = kind;
	s->bank = b;
	s->db = db;
	s->seed = seed;
	s->started_ms = now_ms;
	snprintf(s->source, sizeof s->source, "%s",
	    kind == QS_REVIEW ? "review" : "practice");
	return s;
}

static void
qs_fill(qs_session *s, const qz_question *const *qs, size_t n, rng *r)
{
	s->items = xcalloc(n ? n : 1, sizeof *s->items);
	s->n = n;
	for (size_t i = 0; i < n; i++) {
		s->items[i].q = qs[i];
		qz_view_shuffle(qs[i], r, &s->items[i].view);
	}
}

/*
** Interleaving: one shuffled list per domain, then one question from each
** domain in turn (the domain order itself drawn from the seed), so that
** consecutive questions come from different domains whenever the pool
** allows it.
*/
static size_t
qs_interleave(const qz_question **pool, size_t n, size_t want, rng *r,
    const qz_question **out)
{
	const qz_question **by[QZ_NDOMAIN];
	size_t nb[QZ_NDOMAIN] = { 0 }, at[QZ_NDOMAIN] = { 0 };
	for (int d = 0; d < QZ_NDOMAIN; d++)
		by[d] = xcalloc(n ? n : 1, sizeof *by[d]);
	for (size_t i = 0; i < n; i++)
		by[pool[i]->domain][nb[pool[i]->domain]++] = pool[i];
	int order[QZ_NDOMAIN] = { 0, 1, 2 };
	for (int i = QZ_NDOMAIN; i > 1; i--) {
		int j = (int)rng_below(r, (uint64_t)i);
		int t = order[i - 1];
		order[i - 1] = order[j];
		order[j] = t;
	}
	for (int d = 0; d < QZ_NDOMAIN; d++)
		qdraw_shuffle(by[d], nb[d], r);
	size_t k = 0;
	while (k < want) {
		int took = 0;
		for (int i = 0; i < QZ_NDOMAIN && k < want; i++) {
			int d = order[i];
			if (at[d] < nb[d]) {
				out[k++] = by[d][at[d]++];
				took = 1;
			}
		}
		if (!took)
			break;
	}
	for (int d = 0; d < QZ_NDOMAIN; d++)
		free(by[d]);
	return k;
}

/*
** The exam: the questions drawn by qdraw_exam() (outline shares, spread
** over the lines, no difficulty 3), the plain ones interleaved by domain;
** case-study questions then go to the end, grouped by study, as the real
** exam puts case studies in their own section.
*/
static size_t
qs_exam_pick(const qz_bank *b, size_t want, rng *r, const qz_question **out)
{
	if (want > b->nq)
		want = b->nq;
	const qz_question **drawn = xcalloc(want ? want : 1, sizeof *drawn);
	size_t n = qdraw_exam(b, want, r, drawn);
	const qz_question **plain = xcalloc(n ? n : 1, sizeof *plain);
	const qz_question **cases = xcalloc(n ? n : 1, sizeof *cases);
	size_t np = 0, nc = 0;
	for (size_t i = 0; i < n; i++) {
		if (drawn[i]->cs)
			cases[nc++] = drawn[i];
		else
			plain[np++] = drawn[i];
	}
	size_t k = qs_interleave(plain, np, np, r, out);
	for (size_t c = 0; c < b->ncs; c++)
		for (size_t i = 0; i < nc; i++)
			if (cases[i]->cs == b->cs[c])
				out[k++] = cases[i];
	free(plain);
	free(cases);
	free(drawn);
	return k;
}

/* The question review asks for a due card: the bank's, else one of the
** extra questions (the scenarios' few, looked through in order). */
static const qz_question *
qs_due_question(const qz_bank *b, const qs_opts *o, const char *id)
{
	const qz_question *q = qz_bank_find(b, id);
	for (size_t i = 0; q == NULL && i < o->nextra; i++)
		if (strcmp(o->extra[i]->id, id) == 0)
			q = o->extra[i];
	return q;
}

qs_session *
qs_start(const qz_bank *b, qdb *db, const qs_opts *o, sb *err)
{
	rng r;
	rng_seed(&r, o->seed);
	qs_session *s = qs_new(o->kind, b, db, o->seed, o->now_ms);
	const qz_question **pick = xcalloc(b->nq ? b->nq : 1, sizeof *pick);
	size_t n = 0;

	if (o->kind == QS_PRACTICE) {
		const qz_question **pool = xcalloc(b->nq ? b->nq : 1, sizeof *pool);
		size_t np = 0;
		for (size_t i = 0; i < b->nq; i++) {
			if (o->topic && !qs_has_topic(b->q[i], o->topic))
				continue;
			if (o->domain >= 0 && (int)b->q[i]->domain != o->domain)
				continue;
			pool[np++] = b->q[i];
		}
		size_t want = o->count ? o->count : QS_PRACTICE_COUNT;
		if (o->count > np && np > 0) {
			sb w = SB_INIT;
			if (o->topic)
				sb_addf(&w, " --topic %s", o->topic);
			if (o->domain >= 0)
				sb_addf(&w, " --domain %s",
				    qz_domain_name((enum qz_domain)o->domain));
			snprintf(s->shortfall, sizeof s->shortfall, "Only %zu "
			    "question%s match%s%s, fewer than the %zu asked for: "
			    "all %zu are asked.", np, np == 1 ? "" : "s",
			    np == 1 ? "es" : "", w.len ? sb_str(&w) : " ",
			    o->count, np);
			sb_free(&w);
		}
		if (want > np)
			want = np;
		if (o->blocked) {
			qdraw_shuffle(pool, np, &r);
			memcpy(pick, pool, want * sizeof *pick);
			n = want;
		} else
			n = qs_interleave(pool, np, want, &r, pick);
		free(pool);
		if (n == 0)
			sb_addf(err, "no questions match%s%s%s%s",
			    o->topic ? " topic " : "", o->topic ? o->topic : "",
			    o->domain >= 0 ? " domain " : "",
			    o->domain >= 0 ? qz_domain_name((enum qz_domain)o->domain) : "");
	} else if (o->kind == QS_EXAM) {
		size_t want = o->count ? o->count : QS_EXAM_COUNT;
		n = qs_exam_pick(b, want, &r, pick);
		if (n < want && n > 0)
			snprintf(s->shortfall, sizeof s->shortfall, "The bank has "
			    "only %zu exam-level question%s (difficulty 1 or 2), "
			    "fewer than the %zu asked for: the exam has %zu.", n,
			    n == 1 ? "" : "s", want, n);
		s->minutes = o->minutes > 0 ? o->minutes : QS_EXAM_MINUTES;
		s->deadline_ms = o->now_ms + (int64_t)s->minutes * 60000;
		if (n == 0)
			sb_add(err, "the question bank is empty");
	} else {
		char **ids = NULL;
		size_t nd = db ? qdb_due(db, o->now_ms / 1000, &ids) : 0;
		free(pick);
		pick = xcalloc(nd ? nd : 1, sizeof *pick);
		for (size_t i = 0; i < nd; i++) {
			const qz_question *q = qs_due_question(b, o, ids[i]);
			if (q && (o->count == 0 || n < o->count))
				pick[n++] = q;
			free(ids[i]);
		}
		free(ids);
		if (n == 0)
			sb_add(err, "nothing is due for review now");
	}
	if (n == 0) {
		free(pick);
		qs_free(s);
		return NULL;
	}
	qs_fill(s, pick, n, &r);
	free(pick);
	if (o->kind == QS_EXAM && db) {
		s->exam_id = qdb_exam_begin(db, o->now_ms / 1000, (int)n, s->minutes,
		    o->seed, err);
		if (s->exam_id < 0) {
			qs_free(s);
			return NULL;
		}
	}
	if (o->kind == QS_EXAM)
		snprintf(s->source, sizeof s->source, "exam:%lld", (long long)s->exam_id);
	qs_goto(s, 0, o->now_ms);
	return s;
}

qs_session *
qs_retry_missed(const qs_session *s, int64_t now_ms)
{
	size_t n = 0;
	const qz_question **pick = xcalloc(s->n, sizeof *pick);
	for (size_t i = 0; i < s->n; i++)
		if (s->items[i].graded && !s->items[i].grade.correct)
			pick[n++] = s->items[i].q;
	if (n == 0) {
		free(pick);
		return NULL;
	}
	rng r;
	rng_seed(&r, s->seed + 1);
	qs_session *t = qs_new(QS_PRACTICE, s->bank, s->db, s->seed + 1, now_ms);
	qs_fill(t, pick, n, &r);
	free(pick);
	qs_goto(t, 0, now_ms);
	return t;
}

void
qs_free(qs_session *s)
{
	if (s == NULL)
		return;
	free(s->items);
	free(s);
}

void
qs_goto(qs_session *s, size_t i, int64_t now_ms)
{
	if (s->n == 0)
		return;
	if (i >= s->n)
		i = s->n - 1;
	s->cur = i;
	if (s->items[i].shown_ms == 0)
		s->items[i].shown_ms = now_ms;
}

qs_item *
qs_cur(qs_session *s)
{
	return s->n ? &s->items[s->cur] : NULL;
}

static char *
qs_topics_csv(const qz_question *q)
{
	sb t = SB_INIT;
	for (size_t i = 0; i < q->topics.n; i++)
		sb_addf(&t, "%s%s", i ? "," : "", q->topics.s[i]);
	return sb_take(&t);
}

/*
** Commits one attempt of item it, with the card update: in review the
** rating given; elsewhere only a question met for the first time gets a
** card (its first answer counts as Again or Good), so practice and exams
** never disturb a schedule already running.
*/
static int
qs_commit(qs_session *s, qs_item *it, int rated, enum qm_rating rating,
    int64_t now_ms, int *leech, sb *err)
{
	if (s->db == NULL)
		return 0;
	int64_t now = now_ms / 1000;
	qm_card c, *cp = NULL;
	int have = qdb_card_get(s->db, it->q->id, &c);
	if (have < 0) {
		sb_addf(err, "%s: cannot read the review card", qdb_path(s->db));
		return -1;
	}
	if (rated) {
		if (have == 0)
			qm_init(&c, now);
		int l = qm_answer(&c, rating, now);
		if (leech)
			*leech = l;
		cp = &c;
	} else if (have == 0) {
		qm_first(&c, it->grade.correct, now);
		cp = &c;
	}
	sb ans = SB_INIT;
	qz_format_resp(it->q, NULL, &it->resp, &ans);
	char *topics = qs_topics_csv(it->q);
	qdb_attempt a = {
		it->q->id, now, it->grade.correct, it->grade.score, it->spent_ms,
		s->source, sb_str(&ans), qz_domain_name(it->q->domain), topics
	};
	int rc = qdb_record(s->db, &a, cp, err);
	sb_free(&ans);
	free(topics);
	return rc;
}

/* Exam: saves the current item's answer (none yet: NULL) and flag as the
** draft of its place. */
static int
qs_save_draft(qs_session *s, sb *err)
{
	const qs_item *it = &s->items[s->cur];
	if (s->db == NULL)
		return 0;
	sb ans = SB_INIT;
	if (it->answered)
		qz_format_resp(it->q, NULL, &it->resp, &ans);
	int rc = qdb_exam_save(s->db, s->exam_id, (int)s->cur, it->q->id,
	    it->answered ? sb_str(&ans) : NULL, it->flagged, err);
	sb_free(&ans);
	return rc;
}

int
qs_answer(qs_session *s, const qz_resp *r, int64_t now_ms, sb *err)
{
	qs_item *it = qs_cur(s);
	if (it == NULL)
		return -1;
	if (s->kind == QS_EXAM) {
		if (s->submitted || s->abandoned) {
			sb_addf(err, "the exam is already %s",
			    s->submitted ? "submitted" : "abandoned");
			return -1;
		}
		it->resp = *r;
		it->answered = 1;
		it->spent_ms = now_ms - it->shown_ms;
		return qs_save_draft(s, err);
	}
	if (it->answered) {
		sb_add(err, "this question is already answered");
		return -1;
	}
	it->resp = *r;
	it->answered = 1;
	it->spent_ms = now_ms - it->shown_ms;
	qz_grade_resp(it->q, r, &it->grade);
	it->graded = 1;
	if (s->kind == QS_REVIEW) {
		if (it->grade.correct) {
			it->pending = 1;
			return 0;
		}
		int leech = 0;
		if (qs_commit(s, it, 1, QM_AGAIN, now_ms, &leech, err) != 0)
			return -1;
		s->leeches += (size_t)leech;
		it->done = 1;
		return 0;
	}
	if (qs_commit(s, it, 0, QM_GOOD, now_ms, NULL, err) != 0)
		return -1;
	it->done = 1;
	return 0;
}

int
qs_rate(qs_session *s, enum qm_rating rating, int64_t now_ms, int *leech,
    sb *err)
{
	qs_item *it = qs_cur(s);
	int l = 0;
	if (it == NULL || !it->pending) {
		sb_add(err, "nothing waits for a rating");
		return -1;
	}
	if (qs_commit(s, it, 1, rating, now_ms, &l, err) != 0)
		return -1;
	it->pending = 0;
	it->done = 1;
	s->leeches += (size_t)l;
	if (leech)
		*leech = l;
	return 0;
}

int
qs_exam_begin(qs_session *s, int64_t now_ms, sb *err)
{
	if (s->kind != QS_EXAM || s->submitted || s->abandoned)
		return -1;
	s->started_ms = now_ms;
	s->deadline_ms = now_ms + (int64_t)s->minutes * 60000;
	s->items[s->cur].shown_ms = now_ms;
	if (s->db && qdb_exam_start(s->db, s->exam_id, now_ms / 1000, err) != 0)
		return -1;
	return 0;
}

int
qs_abandon(qs_session *s, int64_t now_ms, sb *err)
{
	if (s->kind != QS_EXAM || s->submitted || s->abandoned)
		return -1;
	if (s->db && qdb_exam_abandon(s->db, s->exam_id, now_ms / 1000, err) != 0)
		return -1;
	s->abandoned = 1;
	return 0;
}

int
qs_flag(qs_session *s, int on, sb *err)
{
	qs_item *it = qs_cur(s);
	if (it == NULL || s->kind != QS_EXAM || s->submitted || s->abandoned)
		return -1;
	it->flagged = on;
	return qs_save_draft(s, err);
}

int64_t
qs_time_left(const qs_session *s, int64_t now_ms)
{
	if (s->deadline_ms == 0)
		return INT64_MAX;
	return s->deadline_ms - now_ms;
}

int
qs_weight(const qz_question *q)
{
	if (q->scoring != QZ_PER_PART)
		return 1;
	return (int)(q->type == QZ_SINGLE ? 1 : q->nanswer);
}

int
qs_scale(double fraction)
{
	if (fraction < 0)
		fraction = 0;
	if (fraction > 1)
		fraction = 1;
	return 1 + (int)lround(999.0 * fraction);
}

int
qs_submit(qs_session *s, int64_t now_ms, sb *err)
{
	if (s->kind != QS_EXAM || s->submitted || s->abandoned)
		return -1;
	for (size_t i = 0; i < s->n; i++) {
		qs_item *it = &s->items[i];
		if (it->answered)
			qz_grade_resp(it->q, &it->resp, &it->grade);
		else {
			memset(&it->grade, 0, sizeof it->grade);
			it->grade.parts = 1;
		}
		it->graded = 1;
	}
	qs_result r;
	qs_result_get(s, &r);
	if (s->db) {
		if (qdb_begin(s->db, err) != 0) {
			qs_result_free(&r);
			return -1;
		}
		for (size_t i = 0; i < s->n; i++) {
			if (!s->items[i].answered)
				continue;
			if (qs_commit(s, &s->items[i], 0, QM_GOOD, now_ms, NULL, err) != 0) {
				qdb_rollback(s->db);
				qs_result_free(&r);
				return -1;
			}
		}
		if (qdb_exam_finish(s->db, s->exam_id, now_ms / 1000, r.fraction,
		    r.scaled, r.passed, err) != 0 || qdb_commit(s->db, err) != 0) {
			qdb_rollback(s->db);
			qs_result_free(&r);
			return -1;
		}
	}
	qs_result_free(&r);
	s->submitted = 1;
	return 0;
}

static void
qs_tally_add(qs_tally *t, const qs_item *it)
{
	int w = qs_weight(it->q);
	t->weight += w;
	t->n++;
	if (!it->graded)
		return;
	t->right += it->grade.correct;
	if (it->q->scoring == QZ_PER_PART)
		t->earned += (double)w * it->grade.score;
	else
		t->earned += it->grade.correct ? 1.0 : 0.0;
}

static double
qs_ratio(const qs_tally *t)
{
	return t->weight ? t->earned / t->weight : 0.0;
}

static int
qs_cmp_topic(const void *a, const void *b)
{
	const qs_topic *x = a, *y = b;
	double rx = qs_ratio(&x->t), ry = qs_ratio(&y->t);
	if (rx != ry)
		return rx < ry ? -1 : 1;
	return strcmp(x->name, y->name);
}

void
qs_result_get(const qs_session *s, qs_result *r)
{
	memset(r, 0, sizeof *r);
	for (size_t i = 0; i < s->n; i++) {
		const qs_item *it = &s->items[i];
		if (it->answered)
			r->answered++;
		else
			r->unanswered++;
		r->flagged += (size_t)it->flagged;
		/* Practice and review count what was answered; an exam counts
		** every question (unanswered ones earn nothing). */
		if (s->kind != QS_EXAM && !it->graded)
			continue;
		qs_tally_add(&r->all, it);
		qs_tally_add(&r->dom[it->q->domain], it);
		for (size_t k = 0; k < it->q->topics.n; k++) {
			const char *name = it->q->topics.s[k];
			size_t j;
			for (j = 0; j < r->ntopics; j++)
				if (strcmp(r->topics[j].name, name) == 0)
					break;
			if (j == r->ntopics) {
				r->topics = xreallocarray(r->topics, r->ntopics + 1,
				    sizeof *r->topics);
				memset(&r->topics[j], 0, sizeof r->topics[j]);
				r->topics[j].name = xstrdup(name);
				r->ntopics++;
			}
			qs_tally_add(&r->topics[j].t, it);
		}
	}
	if (r->ntopics > 1)
		qsort(r->topics, r->ntopics, sizeof *r->topics, qs_cmp_topic);
	r->fraction = qs_ratio(&r->all);
	r->scaled = qs_scale(r->fraction);
	r->passed = r->scaled >= QS_PASS;
}

void
qs_result_free(qs_result *r)
{
	for (size_t i = 0; i < r->ntopics; i++)
		free(r->topics[i].name);
	free(r->topics);
	memset(r, 0, sizeof *r);
}

/* --- text ---------------------------------------------------------------- */

void
qs_format_clock(int64_t ms, char *buf, size_t n)
{
	if (ms < 0)
		ms = 0;
	int64_t sec = ms / 1000;
	snprintf(buf, n, "%lld:%02lld", (long long)(sec / 60), (long long)(sec % 60));
}

void
qs_format_exam_intro(const qs_session *s, sb *out)
{
	size_t dom[QZ_NDOMAIN] = { 0 }, cases = 0;
	for (size_t i = 0; i < s->n; i++) {
		dom[s->items[i].q->domain]++;
		cases += s->items[i].q->cs != NULL;
	}
	sb_addf(out, "Mock exam: %zu question%s in %d minutes.\n", s->n,
	    s->n == 1 ? "" : "s", s->minutes);
	sb_addf(out, "- Drawn as the AZ-900 outline weighs its domains: %zu on cloud "
	    "concepts, %zu on Azure architecture and services, %zu on management "
	    "and governance, spread over the outline's lines; exam-level "
	    "questions only.%s\n", dom[QZ_CLOUD], dom[QZ_ARCH], dom[QZ_MGMT],
	    cases ? " Case-study questions come last, with their study." : "");
	sb_add(out, "- The clock starts when you press Enter; when time is up the "
	    "exam is submitted with the answers given.\n"
	    "- No feedback until you submit: move back and forth, change answers, "
	    "flag questions for review.\n"
	    "- Scoring: a question scored per part earns a point for each part "
	    "right, any other a point when fully right; the score is 1 + round(999 "
	    "x points / possible points), and 700 passes.\n"
	    "- The score is an estimate: Microsoft does not publish how it scales "
	    "the real exam's points to 1-1000, and its questions are not these.\n"
	    "- You can abandon the exam at any time: it is then not scored, and "
	    "no answer of it counts in your progress.\n");
}

void
qs_format_header(const qs_session *s, size_t i, sb *out)
{
	const qs_item *it = &s->items[i];
	sb_addf(out, "Question %zu of %zu", i + 1, s->n);
	if (it->flagged)
		sb_add(out, " | flagged");
	if (s->kind == QS_EXAM && it->answered && !s->submitted) {
		sb_add(out, " | your answer: ");
		qz_format_resp(it->q, &it->view, &it->resp, out);
	}
	sb_addc(out, '\n');
}

void
qs_format_item(const qs_session *s, size_t i, sb *out)
{
	const qs_item *it = &s->items[i];
	qs_format_header(s, i, out);
	if (it->q->cs) {
		qz_format_case(it->q->cs, out);
		sb_add(out, "--\n");
	}
	qz_format_view(it->q, &it->view, out);
}

void
qs_format_where(const qz_question *q, sb *out)
{
	int li = qol_find(q->objective);
	if (li >= 0)
		sb_addf(out, "Outline %s %s (%s)", qol_at((size_t)li)->code,
		    qol_at((size_t)li)->title, qz_domain_title(q->domain));
	else
		sb_addf(out, "Domain: %s", qz_domain_title(q->domain));
	sb_add(out, "; topics: ");
	for (size_t k = 0; k < q->topics.n; k++)
		sb_addf(out, "%s%s", k ? ", " : "", q->topics.s[k]);
	sb_add(out, ".\n");
}

void
qs_format_feedback(const qs_session *s, size_t i, sb *out)
{
	const qs_item *it = &s->items[i];
	qz_format_feedback(it->q, &it->view, &it->resp, &it->grade, out);
	qs_format_where(it->q, out);
}

void
qs_format_list(const qs_session *s, sb *out)
{
	size_t ans = 0, fl = 0;
	for (size_t i = 0; i < s->n; i++) {
		const qs_item *it = &s->items[i];
		ans += (size_t)it->answered;
		fl += (size_t)it->flagged;
		sb_addf(out, "  %3zu  %-10s%s%s\n", i + 1,
		    it->answered ? "answered" : "unanswered",
		    it->flagged ? "  flagged" : "", i == s->cur ? "  <- here" : "");
	}
	sb_addf(out, "%zu answered, %zu unanswered, %zu flagged.\n", ans,
	    s->n - ans, fl);
}

static void
qs_format_tally(const char *name, const qs_tally *t, sb *out)
{
	sb_addf(out, "  %-34s %3d%%  %d of %d right\n", name,
	    (int)lround(100.0 * qs_ratio(t)), t->right, t->n);
}

void
qs_format_breakdown(const qs_result *r, sb *out)
{
	/* Domains weakest first too: the order says where to study. */
	int order[QZ_NDOMAIN] = { 0, 1, 2 };
	for (int i = 0; i < QZ_NDOMAIN; i++)
		for (int j = i + 1; j < QZ_NDOMAIN; j++)
			if (qs_ratio(&r->dom[order[j]]) < qs_ratio(&r->dom[order[i]])) {
				int t = order[i];
				order[i] = order[j];
				order[j] = t;
			}
	sb_add(out, "By domain (weakest first):\n");
	for (int i = 0; i < QZ_NDOMAIN; i++)
		if (r->dom[order[i]].n > 0)
			qs_format_tally(qz_domain_title((enum qz_domain)order[i]),
			    &r->dom[order[i]], out);
	sb_add(out, "By topic (weakest first):\n");
	for (size_t i = 0; i < r->ntopics; i++)
		qs_format_tally(r->topics[i].name, &r->topics[i].t, out);
}

void
qs_format_result(const qs_session *s, const qs_result *r, sb *out)
{
	if (s->kind == QS_EXAM) {
		sb_addf(out, "Score: %d of 1000 (%s; %d is needed to pass).\n",
		    r->scaled, r->passed ? "PASS" : "FAIL", QS_PASS);
		sb_addf(out, "Points: %.2f of %d (%d%%), mapped as 1 + round(999 x %.4f) = %d.\n",
		    r->all.earned, r->all.weight, (int)lround(100.0 * r->fraction),
		    r->fraction, r->scaled);
		sb_add(out, "Microsoft does not publish how it scales raw points to 1-1000;\n"
		    "this mapping is a simple linear one, so treat the score as a guide.\n");
		sb_addf(out, "%zu answered, %zu unanswered, %zu flagged.\n",
		    r->answered, r->unanswered, r->flagged);
		return;
	}
	sb_addf(out, "%d of %d answered questions fully right; score %d%%.\n",
	    r->all.right, r->all.n, (int)lround(100.0 * r->fraction));
	if (r->unanswered)
		sb_addf(out, "%zu not answered.\n", r->unanswered);
}

void
qs_format_answers(const qs_session *s, sb *out)
{
	for (size_t i = 0; i < s->n; i++) {
		const qs_item *it = &s->items[i];
		sb_addf(out, "\n[%zu/%zu] %s. ", i + 1, s->n, it->q->id);
		qs_format_where(it->q, out);
		qz_format_view(it->q, &it->view, out);
		sb_add(out, "Your answer: ");
		if (it->answered) {
			qz_format_resp(it->q, &it->view, &it->resp, out);
			sb_addc(out, '\n');
			qz_format_feedback(it->q, &it->view, &it->resp, &it->grade, out);
		} else {
			sb_add(out, "(none)\nNot answered. ");
			qz_format_feedback(it->q, &it->view, NULL, NULL, out);
		}
	}
}
