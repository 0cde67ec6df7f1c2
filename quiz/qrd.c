/*
** qrd.c: readiness; see qrd.h and docs/quiz.md ("Readiness").
*/
#include "quiz/qrd.h"
#include "quiz/qdraw.h"
#include "quiz/qol.h"
#include "quiz/qs.h"
#include "lib/xmem.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define QRD_Z80		1.2815515655446004	/* the normal's 90th percentile */

/* The lowest fraction of points that scores 700: 1 + round(999 f) >= 700. */
#define QRD_PASS_FRACTION	(698.5 / 999.0)

static const double qrd_diff_weight[4] = { 1.0, 0.75, 1.0, 0.5 };

void
qrd_init(qrd_report *r)
{
	memset(r, 0, sizeof *r);
	r->nline = qol_count();
	r->line = xcalloc(r->nline, sizeof *r->line);
	r->weakest = xcalloc(r->nline, sizeof *r->weakest);
}

void
qrd_free(qrd_report *r)
{
	free(r->line);
	free(r->weakest);
	memset(r, 0, sizeof *r);
}

/* Counts one attempt on outline line li (-1: none) of a question of
** difficulty diff. */
static void
qrd_count(qrd_report *r, int li, int diff, int64_t at, double score,
    int repeat, int64_t now)
{
	if (li < 0 || !(score >= 0.0 && score <= 1.0)) {
		r->skipped++;
		return;
	}
	qrd_line *l = &r->line[li];
	double age = (double)(now - at) / 86400.0;
	if (age < 0)
		age = 0;
	int d = diff >= 1 && diff <= 3 ? diff : 2;
	double w = pow(0.5, age / QRD_HALF_LIFE_DAYS) * qrd_diff_weight[d] *
	    (repeat ? QRD_REPEAT_WEIGHT : 1.0);
	l->n++;
	l->right += score >= 1.0;
	l->score += score;
	l->questions += !repeat;
	l->s += w * score;
	l->f += w * (1.0 - score);
	r->counted++;
}

void
qrd_add(qrd_report *r, const qz_question *q, int64_t at, double score,
    int repeat, int64_t now)
{
	qrd_count(r, qol_find(q->objective), q->difficulty, at, score, repeat,
	    now);
}

static double
qrd_pass(double mean, double sd)
{
	if (sd <= 0)
		return mean >= QRD_PASS_FRACTION ? 1.0 : 0.0;
	return 0.5 * erfc((QRD_PASS_FRACTION - mean) / (sd * sqrt(2.0)));
}

static void
qrd_est_set(qrd_est *e, double mean, double var)
{
	e->mean = mean;
	e->sd = var > 0 ? sqrt(var) : 0;
	e->p_pass = qrd_pass(mean, e->sd);
	e->scaled = qs_scale(mean);
	e->lo = qs_scale(mean - QRD_Z80 * e->sd);
	e->hi = qs_scale(mean + QRD_Z80 * e->sd);
}

typedef struct qrd_rank {
	double	 mean;
	size_t	 i;
} qrd_rank;

/* Weakest first; equal estimates in outline order. */
static int
qrd_cmp_rank(const void *a, const void *b)
{
	const qrd_rank *x = a, *y = b;
	if (x->mean != y->mean)
		return x->mean < y->mean ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

void
qrd_finish(qrd_report *r)
{
	double S[QZ_NDOMAIN] = { 0 }, F[QZ_NDOMAIN] = { 0 };
	int have[QZ_NDOMAIN] = { 0 }, all = 0;
	/* lines per area, areas per domain: the draw's weights */
	int nlines_area[QZ_NDOMAIN][8] = { { 0 } }, nareas[QZ_NDOMAIN] = { 0 };
	for (size_t i = 0; i < r->nline; i++) {
		const qol_line *ol = qol_at(i);
		S[ol->domain] += r->line[i].s;
		F[ol->domain] += r->line[i].f;
		have[ol->domain] += r->line[i].questions;
		all += r->line[i].questions;
		if (ol->area < 8 && nlines_area[ol->domain][ol->area]++ == 0)
			nareas[ol->domain]++;
	}
	size_t ample[QZ_NDOMAIN] = { QS_EXAM_COUNT, QS_EXAM_COUNT, QS_EXAM_COUNT };
	qdraw_quota(QS_EXAM_COUNT, ample, r->seats);

	double mu[QZ_NDOMAIN] = { 0 }, vmu[QZ_NDOMAIN] = { 0 };
	r->nweak = 0;
	for (size_t i = 0; i < r->nline; i++) {
		const qol_line *ol = qol_at(i);
		int d = ol->domain;
		/* the prior: the student's own mean for the domain (itself
		** shrunk towards one half), worth QRD_PRIOR answers */
		double md = (S[d] + 1.0) / (S[d] + F[d] + 2.0);
		qrd_line *l = &r->line[i];
		double a = QRD_PRIOR * md + l->s, b = QRD_PRIOR * (1.0 - md) + l->f;
		l->mean = a / (a + b);
		double var = l->mean * (1.0 - l->mean) / (a + b + 1.0);
		l->sd = sqrt(var);
		double w = 1.0 / (nareas[d] * nlines_area[d][ol->area < 8 ? ol->area : 0]);
		mu[d] += w * l->mean;
		vmu[d] += w * w * var;
		if (l->n > 0)
			r->weakest[r->nweak++] = i;
	}
	qrd_rank *rk = xcalloc(r->nweak ? r->nweak : 1, sizeof *rk);
	for (size_t k = 0; k < r->nweak; k++) {
		rk[k].mean = r->line[r->weakest[k]].mean;
		rk[k].i = r->weakest[k];
	}
	qsort(rk, r->nweak, sizeof *rk, qrd_cmp_rank);
	for (size_t k = 0; k < r->nweak; k++)
		r->weakest[k] = rk[k].i;
	free(rk);

	double mean = 0, var = 0;
	int short_dom = 0;
	for (int d = 0; d < QZ_NDOMAIN; d++) {
		/* the domain's part of an exam: seats items, each a right
		** answer with the chance of a line drawn as the exam draws */
		double n = (double)r->seats[d];
		double vd = vmu[d] + (mu[d] * (1.0 - mu[d]) - vmu[d]) / n;
		qrd_est *e = &r->dom[d];
		e->have = have[d];
		e->need = QRD_MIN_DOMAIN;
		e->enough = have[d] >= QRD_MIN_DOMAIN;
		short_dom |= !e->enough;
		qrd_est_set(e, mu[d], vd);
		double share = n / QS_EXAM_COUNT;
		mean += share * mu[d];
		var += share * share * vd;
	}
	r->all.have = all;
	r->all.need = QRD_MIN_ALL;
	r->all.enough = all >= QRD_MIN_ALL && !short_dom;
	qrd_est_set(&r->all, mean, var);
}

int
qrd_load(qdb *db, const qz_bank *b, int64_t now, qrd_report *r, sb *err)
{
	sqlite3 *h = qdb_handle(db);
	sqlite3_stmt *st;
	qrd_init(r);
	/* In the order the answers were recorded: a question's first
	** answer is its first meeting. */
	if (sqlite3_prepare_v2(h, "SELECT qid, at, score FROM attempt ORDER BY id",
	    -1, &st, NULL) != SQLITE_OK) {
		sb_addf(err, "%s: %s", qdb_path(db), sqlite3_errmsg(h));
		qrd_finish(r);
		return -1;
	}
	unsigned char *met = xcalloc(b->nq ? b->nq : 1, 1);
	int *line = xcalloc(b->nq ? b->nq : 1, sizeof *line);
	for (size_t i = 0; i < b->nq; i++)
		line[i] = qol_find(b->q[i]->objective);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *qid = (const char *)sqlite3_column_text(st, 0);
		long qi = qid ? qz_bank_index(b, qid) : -1;
		if (qi < 0) {
			r->skipped++;
			continue;
		}
		qrd_count(r, line[qi], b->q[qi]->difficulty,
		    sqlite3_column_int64(st, 1), sqlite3_column_double(st, 2),
		    met[qi], now);
		met[qi] = 1;
	}
	free(met);
	free(line);
	int rc = sqlite3_finalize(st) == SQLITE_OK ? 0 : -1;
	if (rc)
		sb_addf(err, "%s: %s", qdb_path(db), sqlite3_errmsg(h));
	qrd_finish(r);
	return rc;
}

/* --- text ------------------------------------------------------------- */

void
qrd_format_est(const qrd_est *e, sb *out)
{
	if (!e->enough && e->have < e->need) {
		sb_addf(out, "not enough answers yet (%d of %d questions)", e->have,
		    e->need);
		return;
	}
	if (!e->enough) {
		sb_addf(out, "not enough answers yet (%d questions, but every domain "
		    "needs %d)", e->have, QRD_MIN_DOMAIN);
		return;
	}
	int p = (int)lround(100.0 * e->p_pass);
	sb_addf(out, "%s%d%% chance of 700 or more; expected %d, 80%% interval "
	    "%d-%d (%d questions)", p == 0 && e->p_pass > 0 ? "<" : "",
	    p == 0 && e->p_pass > 0 ? 1 : p, e->scaled, e->lo, e->hi, e->have);
}

void
qrd_format_text(const qrd_report *r, sb *out)
{
	sb_add(out, "\nReadiness for the real exam (an estimate from your answers; "
	    "see docs/quiz.md):\n  Overall: ");
	qrd_format_est(&r->all, out);
	sb_add(out, ".\n");
	for (int d = 0; d < QZ_NDOMAIN; d++) {
		sb_addf(out, "  %s: ", qz_domain_title((enum qz_domain)d));
		qrd_format_est(&r->dom[d], out);
		sb_add(out, ".\n");
	}
	sb_addf(out, "\n%-44s %5s  %5s  %5s  %8s\n", "By outline line (weakest first)",
	    "tries", "right", "score", "estimate");
	if (r->nweak == 0)
		sb_add(out, "  none yet\n");
	for (size_t k = 0; k < r->nweak; k++) {
		const qrd_line *l = &r->line[r->weakest[k]];
		const qol_line *ol = qol_at(r->weakest[k]);
		char title[40];
		snprintf(title, sizeof title, "%s", ol->title);
		sb_addf(out, "  %-6s %-35s %5d  %5d  %4d%%  %7d%%\n", ol->code,
		    title, l->n, l->right, (int)lround(100.0 * l->score / l->n),
		    (int)lround(100.0 * l->mean));
	}
	size_t unpractised = r->nline - r->nweak;
	if (unpractised)
		sb_addf(out, "  (%zu outline line%s not practised yet)\n", unpractised,
		    unpractised == 1 ? "" : "s");
}

static void
qrd_est_json(const qrd_est *e, sb *out)
{
	sb_addf(out, "{\"enough\":%s,\"questions\":%d,\"needed\":%d",
	    e->enough ? "true" : "false", e->have, e->need);
	if (e->enough)
		sb_addf(out, ",\"pass\":%.4f,\"expected\":%d,\"low\":%d,\"high\":%d,"
		    "\"fraction\":%.4f,\"sd\":%.4f}", e->p_pass, e->scaled, e->lo,
		    e->hi, e->mean, e->sd);
	else
		sb_add(out, ",\"pass\":null,\"expected\":null,\"low\":null,"
		    "\"high\":null}");
}

void
qrd_format_json(const qrd_report *r, sb *out)
{
	sb_add(out, "\"readiness\":{\"overall\":");
	qrd_est_json(&r->all, out);
	sb_add(out, ",\"domains\":[");
	for (int d = 0; d < QZ_NDOMAIN; d++) {
		sb_addf(out, "%s{\"name\":\"%s\",\"estimate\":", d ? "," : "",
		    qz_domain_name((enum qz_domain)d));
		qrd_est_json(&r->dom[d], out);
		sb_addc(out, '}');
	}
	sb_addf(out, "]},\"outline\":[");
	for (size_t k = 0; k < r->nweak; k++) {
		const qrd_line *l = &r->line[r->weakest[k]];
		const qol_line *ol = qol_at(r->weakest[k]);
		sb_addf(out, "%s{\"code\":\"%s\",\"title\":", k ? "," : "", ol->code);
		sb_addjson(out, ol->title);
		sb_addf(out, ",\"domain\":\"%s\",\"attempts\":%d,\"right\":%d,"
		    "\"score\":%.4f,\"estimate\":%.4f}",
		    qz_domain_name((enum qz_domain)ol->domain), l->n, l->right,
		    l->score / l->n, l->mean);
	}
	sb_addf(out, "],\"unpractised\":%zu", r->nline - r->nweak);
}

static void
qrd_est_csv(const char *name, const qrd_est *e, sb *out)
{
	if (!e->enough) {
		sb_addf(out, "ready,%s,%d,,,\n", name, e->have);
		return;
	}
	sb_addf(out, "ready,%s,%d,,%d,%d\n", name, e->have,
	    (int)lround(100.0 * e->p_pass), e->scaled);
	sb_addf(out, "ready-low,%s,,,,%d\n", name, e->lo);
	sb_addf(out, "ready-high,%s,,,,%d\n", name, e->hi);
}

void
qrd_format_csv(const qrd_report *r, sb *out)
{
	qrd_est_csv("all", &r->all, out);
	for (int d = 0; d < QZ_NDOMAIN; d++)
		qrd_est_csv(qz_domain_name((enum qz_domain)d), &r->dom[d], out);
	for (size_t k = 0; k < r->nweak; k++) {
		const qrd_line *l = &r->line[r->weakest[k]];
		sb_addf(out, "line,%s,%d,%d,%d,%d\n", qol_at(r->weakest[k])->code,
		    l->n, l->right, (int)lround(100.0 * l->score / l->n),
		    (int)lround(100.0 * l->mean));
	}
}
