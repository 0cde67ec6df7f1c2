/*
** qcov.c: the coverage table; see qcov.h.
*/
#include "quiz/qcov.h"
#include "quiz/qdraw.h"
#include "quiz/qol.h"
#include "lib/xmem.h"

#include <stdlib.h>

/* questions, exam-level, then one per type */
#define QCOV_COLS	8

static void
qcov_row(sb *out, const char *code, const char *title, const size_t *c)
{
	sb_addf(out, "| %s | %s |", code, title);
	for (int k = 0; k < QCOV_COLS; k++)
		sb_addf(out, " %zu |", c[k]);
	sb_addc(out, '\n');
}

void
qcov_format(const qz_bank *b, sb *out)
{
	size_t nl = qol_count();
	size_t (*line)[QCOV_COLS] = xcalloc(nl, sizeof *line);
	size_t dom[QZ_NDOMAIN][QCOV_COLS] = { { 0 } }, all[QCOV_COLS] = { 0 };
	size_t none[QCOV_COLS] = { 0 };
	for (size_t i = 0; i < b->nq; i++) {
		const qz_question *q = b->q[i];
		int li = qol_find(q->objective);
		size_t *c = li >= 0 ? line[li] : none;
		size_t *cols[3] = { c, dom[q->domain], all };
		for (int k = 0; k < 3; k++) {
			cols[k][0]++;
			cols[k][1] += (size_t)qdraw_eligible(q);
			cols[k][2 + q->type]++;
		}
	}
	sb_add(out, "| line | title | questions | exam-level | single | multiple "
	    "| yesno | matching | ordering | dropdown |\n"
	    "|---|---|---|---|---|---|---|---|---|---|\n");
	for (size_t i = 0; i < nl; i++)
		qcov_row(out, qol_at(i)->code, qol_at(i)->title, line[i]);
	if (none[0])
		qcov_row(out, "-", "(no outline code)", none);
	for (int d = 0; d < QZ_NDOMAIN; d++) {
		char code[16];
		snprintf(code, sizeof code, "%d", d + 1);
		qcov_row(out, code, qz_domain_title((enum qz_domain)d), dom[d]);
	}
	qcov_row(out, "all", "the whole bank", all);
	free(line);
}
