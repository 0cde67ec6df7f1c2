/*
** qdraw.c: the mock exam draw; see qdraw.h and docs/quiz.md.
*/
#include "quiz/qdraw.h"
#include "quiz/qol.h"
#include "lib/xmem.h"

#include <stdlib.h>
#include <string.h>

int
qdraw_eligible(const qz_question *q)
{
	return q->difficulty <= 2;
}

void
qdraw_quota(size_t n, const size_t avail[QZ_NDOMAIN], size_t quota[QZ_NDOMAIN])
{
	size_t w[QZ_NDOMAIN], lo[QZ_NDOMAIN], hi[QZ_NDOMAIN];
	size_t total = 0, have = 0, slo = 0, shi = 0, given = 0;
	int feasible = 1;
	for (int d = 0; d < QZ_NDOMAIN; d++) {
		/* min + max is twice the midpoint: the same proportions */
		w[d] = (size_t)(qol_domain_min(d) + qol_domain_max(d));
		total += w[d];
		have += avail[d];
	}
	if (n > have)
		n = have;
	for (int d = 0; d < QZ_NDOMAIN; d++) {
		lo[d] = (n * (size_t)qol_domain_min(d) + 99) / 100;
		hi[d] = n * (size_t)qol_domain_max(d) / 100;
		feasible &= lo[d] <= hi[d];
		slo += lo[d];
		shi += hi[d];
	}
	feasible &= slo <= n && n <= shi;
	if (feasible) {
		/* Every share in its range, as close to the midpoints as the
		** whole numbers allow: from the bottom of each range, each
		** seat to the domain furthest below its midpoint. */
		for (int d = 0; d < QZ_NDOMAIN; d++)
			given += quota[d] = lo[d];
		while (given < n) {
			int best = -1;
			long gap = 0;
			for (int d = 0; d < QZ_NDOMAIN; d++) {
				long g = (long)(n * w[d]) - (long)(quota[d] * total);
				if (quota[d] < hi[d] && (best < 0 || g > gap)) {
					best = d;
					gap = g;
				}
			}
			quota[best]++;
			given++;
		}
	} else {
		/* Too few seats for every range: the midpoints by the
		** largest remainder. */
		long rem[QZ_NDOMAIN];
		for (int d = 0; d < QZ_NDOMAIN; d++) {
			quota[d] = n * w[d] / total;
			rem[d] = (long)(n * w[d] % total);
			given += quota[d];
		}
		while (given < n) {
			int best = 0;
			for (int d = 1; d < QZ_NDOMAIN; d++)
				if (rem[d] > rem[best])
					best = d;
			quota[best]++;
			rem[best] = -1;
			given++;
		}
	}
	size_t spare = 0;
	for (int d = 0; d < QZ_NDOMAIN; d++)
		if (quota[d] > avail[d]) {
			spare += quota[d] - avail[d];
			quota[d] = avail[d];
		}
	/* First up to the top of each range, most room first (ties:
	** architecture, the largest share, then outline order). */
	static const int pref[QZ_NDOMAIN] = { QZ_ARCH, QZ_MGMT, QZ_CLOUD };
	while (spare > 0) {
		int best = -1;
		long room = 0;
		for (int i = 0; i < QZ_NDOMAIN; i++) {
			int d = pref[i];
			long top = (long)(n * (size_t)qol_domain_max(d) / 100);
			long r = top - (long)quota[d];
			if (quota[d] < avail[d] && r > room) {
				room = r;
				best = d;
			}
		}
		if (best < 0)
			break;
		quota[best]++;
		spare--;
	}
	/* Then to any domain with questions left, in turns. */
	while (spare > 0) {
		int moved = 0;
		for (int i = 0; i < QZ_NDOMAIN && spare > 0; i++) {
			int d = pref[i];
			if (quota[d] < avail[d]) {
				quota[d]++;
				spare--;
				moved = 1;
			}
		}
		if (!moved)
			break;
	}
}

void
qdraw_shuffle(const qz_question **a, size_t n, rng *r)
{
	for (size_t i = n; i > 1; i--) {
		size_t j = (size_t)rng_below(r, i);
		const qz_question *t = a[i - 1];
		a[i - 1] = a[j];
		a[j] = t;
	}
}

static void
qdraw_shuffle_idx(size_t *a, size_t n, rng *r)
{
	for (size_t i = n; i > 1; i--) {
		size_t j = (size_t)rng_below(r, i);
		size_t t = a[i - 1];
		a[i - 1] = a[j];
		a[j] = t;
	}
}

/* One outline line's questions (or the domain's uncoded ones). */
typedef struct qdraw_line {
	const qz_question	**q;
	size_t			  n, next;
} qdraw_line;

/* The lines of one area, in the order drawn, and the next to ask. */
typedef struct qdraw_area {
	size_t	 line[64];
	size_t	 n, next;
} qdraw_area;

/*
** Picks `seats` questions of domain d: areas in turns (their order
** shuffled), each turn taking the next line of the area that still has
** questions (lines shuffled within the area), one question per line.
*/
static size_t
qdraw_domain(qdraw_line *lines, size_t nlines, int d, size_t seats, rng *r,
    const qz_question **out)
{
	/* Area 0 holds the uncoded questions (line index nlines - 1). */
	qdraw_area areas[16];
	size_t na = 0, k = 0;
	memset(areas, 0, sizeof areas);
	int area_of[16];
	for (size_t i = 0; i < nlines; i++) {
		if (lines[i].n == 0)
			continue;
		const qol_line *ol = qol_at(i);
		int a = ol ? ol->area : 0;
		if (ol && ol->domain != d)
			continue;
		size_t j;
		for (j = 0; j < na && area_of[j] != a; j++)
			;
		if (j == na) {
			if (na == 16)
				continue;
			area_of[na++] = a;
		}
		if (areas[j].n < 64)
			areas[j].line[areas[j].n++] = i;
	}
	size_t order[16];
	for (size_t j = 0; j < na; j++) {
		order[j] = j;
		qdraw_shuffle_idx(areas[j].line, areas[j].n, r);
	}
	qdraw_shuffle_idx(order, na, r);
	while (k < seats) {
		int took = 0;
		for (size_t t = 0; t < na && k < seats; t++) {
			qdraw_area *ar = &areas[order[t]];
			/* the next line of this area with a question left */
			for (size_t tries = 0; tries < ar->n; tries++) {
				qdraw_line *ln = &lines[ar->line[ar->next]];
				ar->next = (ar->next + 1) % ar->n;
				if (ln->next < ln->n) {
					out[k++] = ln->q[ln->next++];
					took = 1;
					break;
				}
			}
		}
		if (!took)
			break;
	}
	return k;
}

size_t
qdraw_exam(const qz_bank *b, size_t want, rng *r, const qz_question **out)
{
	/* One bucket per outline line, then one per domain for questions
	** without a code. */
	size_t nl = qol_count();
	size_t nb = nl + QZ_NDOMAIN;
	qdraw_line *lines = xcalloc(nb, sizeof *lines);
	size_t *where = xcalloc(b->nq ? b->nq : 1, sizeof *where);
	size_t avail[QZ_NDOMAIN] = { 0 };
	for (size_t i = 0; i < b->nq; i++) {
		const qz_question *q = b->q[i];
		if (!qdraw_eligible(q))
			continue;
		int li = qol_find(q->objective);
		size_t bi = li >= 0 && qol_at((size_t)li)->domain == (int)q->domain ?
		    (size_t)li : nl + q->domain;
		where[i] = bi + 1;
		lines[bi].n++;
		avail[q->domain]++;
	}
	for (size_t i = 0; i < nb; i++) {
		lines[i].q = xcalloc(lines[i].n ? lines[i].n : 1, sizeof *lines[i].q);
		lines[i].n = 0;
	}
	for (size_t i = 0; i < b->nq; i++)
		if (where[i]) {
			qdraw_line *ln = &lines[where[i] - 1];
			ln->q[ln->n++] = b->q[i];
		}
	for (size_t i = 0; i < nb; i++)
		qdraw_shuffle(lines[i].q, lines[i].n, r);
	size_t quota[QZ_NDOMAIN];
	qdraw_quota(want, avail, quota);
	size_t k = 0;
	/* Per domain: its lines, then its uncoded bucket as line nl. */
	qdraw_line *dl = xcalloc(nl + 1, sizeof *dl);
	for (int d = 0; d < QZ_NDOMAIN; d++) {
		for (size_t i = 0; i < nl; i++)
			dl[i] = qol_at(i)->domain == d ? lines[i] : (qdraw_line){ NULL, 0, 0 };
		dl[nl] = lines[nl + (size_t)d];
		k += qdraw_domain(dl, nl + 1, d, quota[d], r, out + k);
	}
	free(dl);
	for (size_t i = 0; i < nb; i++)
		free(lines[i].q);
	free(lines);
	free(where);
	return k;
}
