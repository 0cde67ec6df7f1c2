/*
** qst.c: progress statistics; see qst.h.
**
** The totals come from the running tallies the store keeps with every
** attempt (per domain and topic list, per day), so the time to report
** does not grow with the number of attempts; the topic lists are split
** in C.
*/
#include "quiz/qst.h"
#include "quiz/qz.h"
#include "lib/xmem.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double
qst_pct(const qst_row *r)
{
	return r->n ? r->score / r->n : 0.0;
}

static int
qst_cmp(const void *a, const void *b)
{
	const qst_row *x = a, *y = b;
	double px = qst_pct(x), py = qst_pct(y);
	if (px != py)
		return px < py ? -1 : 1;
	return strcmp(x->name, y->name);
}

static void
qst_day_name(int64_t day, char *buf, size_t n)
{
	time_t t = (time_t)(day * 86400);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(buf, n, "%Y-%m-%d", &tm);
}

static void
qst_row_add(qst_row *r, int n, int right, double score)
{
	r->n += n;
	r->right += right;
	r->score += score;
}

int
qst_load(qdb *db, int64_t now, qst_stats *st, sb *err)
{
	sqlite3 *h = qdb_handle(db);
	sqlite3_stmt *q;
	memset(st, 0, sizeof *st);
	st->now = now;
	st->all.name = xstrdup("all");
	for (int d = 0; d < 3; d++)
		st->dom[d].name = xstrdup(qz_domain_name((enum qz_domain)d));
	int64_t today = now / 86400;
	for (int i = 0; i < QST_DAYS; i++) {
		char b[32];
		qst_day_name(today - (QST_DAYS - 1) + i, b, sizeof b);
		st->days[i].name = xstrdup(b);
	}

	/* One read transaction: every figure from the same snapshot. */
	sqlite3_exec(h, "BEGIN", NULL, NULL, NULL);
	if (sqlite3_prepare_v2(h, "SELECT domain, topics, n, nright, score FROM tally",
	    -1, &q, NULL) != SQLITE_OK)
		goto fail;
	while (sqlite3_step(q) == SQLITE_ROW) {
		const char *dom = (const char *)sqlite3_column_text(q, 0);
		const char *tp = (const char *)sqlite3_column_text(q, 1);
		int n = sqlite3_column_int(q, 2), right = sqlite3_column_int(q, 3);
		double score = sqlite3_column_double(q, 4);
		qst_row_add(&st->all, n, right, score);
		int d = dom ? qz_domain_parse(dom) : -1;
		if (d >= 0)
			qst_row_add(&st->dom[d], n, right, score);
		for (const char *s = tp ? tp : ""; *s; ) {
			const char *e = strchr(s, ',');
			size_t len = e ? (size_t)(e - s) : strlen(s);
			size_t j;
			for (j = 0; j < st->ntopics; j++)
				if (strlen(st->topics[j].name) == len &&
				    strncmp(st->topics[j].name, s, len) == 0)
					break;
			if (j == st->ntopics) {
				st->topics = xreallocarray(st->topics, j + 1, sizeof *st->topics);
				memset(&st->topics[j], 0, sizeof st->topics[j]);
				st->topics[j].name = xstrndup(s, len);
				st->ntopics++;
			}
			qst_row_add(&st->topics[j], n, right, score);
			s += len;
			if (*s == ',')
				s++;
		}
	}
	sqlite3_finalize(q);
	if (st->ntopics > 1)
		qsort(st->topics, st->ntopics, sizeof *st->topics, qst_cmp);

	if (sqlite3_prepare_v2(h, "SELECT day, n, nright, score FROM daytally"
	    " WHERE day >= ?", -1, &q, NULL) != SQLITE_OK)
		goto fail;
	sqlite3_bind_int64(q, 1, today - (QST_DAYS - 1));
	while (sqlite3_step(q) == SQLITE_ROW) {
		int64_t i = sqlite3_column_int64(q, 0) - (today - (QST_DAYS - 1));
		if (i < 0 || i >= QST_DAYS)
			continue;
		st->days[i].n = sqlite3_column_int(q, 1);
		st->days[i].right = sqlite3_column_int(q, 2);
		st->days[i].score = sqlite3_column_double(q, 3);
	}
	sqlite3_finalize(q);

	if (sqlite3_prepare_v2(h, "SELECT count(*), total(leech) FROM card", -1, &q,
	    NULL) != SQLITE_OK)
		goto fail;
	if (sqlite3_step(q) == SQLITE_ROW) {
		st->cards = sqlite3_column_int(q, 0);
		st->leeches = sqlite3_column_int(q, 1);
	}
	sqlite3_finalize(q);
	/* Overdue cards count for today; the due index bounds the scan. */
	if (sqlite3_prepare_v2(h, "SELECT max(due / 86400 - ?1, 0) AS d, count(*) FROM card"
	    " WHERE due < (?1 + ?2) * 86400 AND leech = 0 GROUP BY d", -1, &q, NULL) != SQLITE_OK)
		goto fail;
	sqlite3_bind_int64(q, 1, today);
	sqlite3_bind_int(q, 2, QST_FORECAST);
	while (sqlite3_step(q) == SQLITE_ROW) {
		int64_t i = sqlite3_column_int64(q, 0);
		if (i >= 0 && i < QST_FORECAST)
			st->forecast[i] = sqlite3_column_int(q, 1);
	}
	sqlite3_finalize(q);

	if (sqlite3_prepare_v2(h, "SELECT count(*) FROM exam WHERE abandoned = 1",
	    -1, &q, NULL) != SQLITE_OK)
		goto fail;
	if (sqlite3_step(q) == SQLITE_ROW)
		st->abandoned = sqlite3_column_int(q, 0);
	sqlite3_finalize(q);
	if (sqlite3_prepare_v2(h, "SELECT id, finished, count, scaled, passed FROM exam"
	    " WHERE finished IS NOT NULL AND abandoned = 0 ORDER BY finished, id",
	    -1, &q, NULL) != SQLITE_OK)
		goto fail;
	while (sqlite3_step(q) == SQLITE_ROW) {
		st->exams = xreallocarray(st->exams, st->nexams + 1, sizeof *st->exams);
		qst_exam *e = &st->exams[st->nexams++];
		e->id = sqlite3_column_int64(q, 0);
		e->finished = sqlite3_column_int64(q, 1);
		e->count = sqlite3_column_int(q, 2);
		e->scaled = sqlite3_column_int(q, 3);
		e->passed = sqlite3_column_int(q, 4);
	}
	sqlite3_finalize(q);
	sqlite3_exec(h, "COMMIT", NULL, NULL, NULL);
	return 0;
fail:
	sb_addf(err, "%s: %s", qdb_path(db), sqlite3_errmsg(h));
	sqlite3_exec(h, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

void
qst_free(qst_stats *st)
{
	free(st->all.name);
	for (int d = 0; d < 3; d++)
		free(st->dom[d].name);
	for (size_t i = 0; i < st->ntopics; i++)
		free(st->topics[i].name);
	free(st->topics);
	for (int i = 0; i < QST_DAYS; i++)
		free(st->days[i].name);
	free(st->exams);
	memset(st, 0, sizeof *st);
}

void
qst_sparkline(const double *v, size_t n, int utf8, sb *out)
{
	static const char *const blocks[] = {
		"\xe2\x96\x81", "\xe2\x96\x82", "\xe2\x96\x83", "\xe2\x96\x84",
		"\xe2\x96\x85", "\xe2\x96\x86", "\xe2\x96\x87", "\xe2\x96\x88"
	};
	static const char ascii[] = "_.-=+*#@";
	for (size_t i = 0; i < n; i++) {
		if (v[i] < 0) {
			sb_addc(out, ' ');
			continue;
		}
		int k = (int)floor(v[i] * 7.0 + 0.5);
		k = k < 0 ? 0 : k > 7 ? 7 : k;
		if (utf8)
			sb_add(out, blocks[k]);
		else
			sb_addc(out, ascii[k]);
	}
}

static void
qst_row_text(const qst_row *r, const char *name, sb *out)
{
	sb_addf(out, "  %-34s %5d  %5d  %3d%%\n", name, r->n, r->right,
	    (int)lround(100.0 * qst_pct(r)));
}

void
qst_format_text(const qst_stats *st, int utf8, sb *out)
{
	char b[64];
	sb_addf(out, "Attempts: %d, fully right: %d, score %d%%.\n", st->all.n,
	    st->all.right, (int)lround(100.0 * qst_pct(&st->all)));
	sb_addf(out, "\n%-36s %5s  %5s  %4s\n", "By domain (weakest first)",
	    "tries", "right", "score");
	qst_row d[3];
	memcpy(d, st->dom, sizeof d);
	qsort(d, 3, sizeof d[0], qst_cmp);
	for (int i = 0; i < 3; i++)
		if (d[i].n > 0)
			qst_row_text(&d[i], qz_domain_title((enum qz_domain)
			    qz_domain_parse(d[i].name)), out);
	sb_addf(out, "\n%-36s %5s  %5s  %4s\n", "By topic (weakest first)",
	    "tries", "right", "score");
	for (size_t i = 0; i < st->ntopics; i++)
		qst_row_text(&st->topics[i], st->topics[i].name, out);
	if (st->ready)
		qrd_format_text(st->ready, out);

	double v[QST_DAYS];
	int maxn = 0;
	for (int i = 0; i < QST_DAYS; i++) {
		v[i] = st->days[i].n ? qst_pct(&st->days[i]) : -1.0;
		if (st->days[i].n > maxn)
			maxn = st->days[i].n;
	}
	sb_addf(out, "\nLast %d days, %s to %s (score per day; blank = no attempts):\n  ",
	    QST_DAYS, st->days[0].name, st->days[QST_DAYS - 1].name);
	qst_sparkline(v, QST_DAYS, utf8, out);
	sb_add(out, "\n");
	for (int i = 0; i < QST_DAYS; i++) {
		if (st->days[i].n == 0)
			continue;
		int w = maxn ? (st->days[i].n * 30 + maxn - 1) / maxn : 0;
		sb_addf(out, "  %s %4d %3d%% ", st->days[i].name, st->days[i].n,
		    (int)lround(100.0 * qst_pct(&st->days[i])));
		for (int k = 0; k < w; k++)
			sb_add(out, utf8 ? "\xe2\x96\x88" : "#");
		sb_addc(out, '\n');
	}

	sb_addf(out, "\nReview cards: %d (%d leech%s suspended). Due in the next %d days:\n",
	    st->cards, st->leeches, st->leeches == 1 ? "" : "es", QST_FORECAST);
	for (int i = 0; i < QST_FORECAST; i++) {
		qst_day_name(st->now / 86400 + i, b, sizeof b);
		sb_addf(out, "  %s %-9s %4d\n", b, i == 0 ? "(today)" : "",
		    st->forecast[i]);
	}

	sb_add(out, "\nMock exams:\n");
	if (st->nexams == 0)
		sb_add(out, "  none yet (synclab exam)\n");
	for (size_t i = 0; i < st->nexams; i++) {
		qst_day_name(st->exams[i].finished / 86400, b, sizeof b);
		sb_addf(out, "  %s  %4d/1000  %s  (%d questions)\n", b,
		    st->exams[i].scaled, st->exams[i].passed ? "pass" : "fail",
		    st->exams[i].count);
	}
	if (st->abandoned)
		sb_addf(out, "  (%d abandoned, not scored)\n", st->abandoned);
}

static void
qst_row_json(const qst_row *r, sb *out)
{
	sb_add(out, "{\"name\":");
	sb_addjson(out, r->name);
	sb_addf(out, ",\"attempts\":%d,\"right\":%d,\"score\":%.4f}", r->n,
	    r->right, qst_pct(r));
}

void
qst_format_json(const qst_stats *st, sb *out)
{
	char b[32];
	sb_addf(out, "{\"attempts\":%d,\"right\":%d,\"score\":%.4f,\"domains\":[",
	    st->all.n, st->all.right, qst_pct(&st->all));
	for (int d = 0; d < 3; d++) {
		if (d)
			sb_addc(out, ',');
		qst_row_json(&st->dom[d], out);
	}
	sb_add(out, "],\"topics\":[");
	for (size_t i = 0; i < st->ntopics; i++) {
		if (i)
			sb_addc(out, ',');
		qst_row_json(&st->topics[i], out);
	}
	sb_add(out, "],");
	if (st->ready) {
		qrd_format_json(st->ready, out);
		sb_addc(out, ',');
	}
	sb_add(out, "\"days\":[");
	for (int i = 0; i < QST_DAYS; i++) {
		if (i)
			sb_addc(out, ',');
		qst_row_json(&st->days[i], out);
	}
	sb_addf(out, "],\"cards\":%d,\"leeches\":%d,\"forecast\":[", st->cards,
	    st->leeches);
	for (int i = 0; i < QST_FORECAST; i++) {
		qst_day_name(st->now / 86400 + i, b, sizeof b);
		sb_addf(out, "%s{\"day\":\"%s\",\"due\":%d}", i ? "," : "", b,
		    st->forecast[i]);
	}
	sb_add(out, "],\"exams\":[");
	for (size_t i = 0; i < st->nexams; i++) {
		qst_day_name(st->exams[i].finished / 86400, b, sizeof b);
		sb_addf(out, "%s{\"id\":%lld,\"day\":\"%s\",\"questions\":%d,"
		    "\"scaled\":%d,\"passed\":%s}", i ? "," : "",
		    (long long)st->exams[i].id, b, st->exams[i].count,
		    st->exams[i].scaled, st->exams[i].passed ? "true" : "false");
	}
	sb_addf(out, "],\"abandoned\":%d}\n", st->abandoned);
}

/* CSV fields never need quoting here except topic names, which are
** quoted when they hold a comma, a quote or a line break. */
static void
qst_csv_field(const char *s, sb *out)
{
	if (strpbrk(s, ",\"\r\n") == NULL) {
		sb_add(out, s);
		return;
	}
	sb_addc(out, '"');
	for (; *s; s++) {
		if (*s == '"')
			sb_addc(out, '"');
		sb_addc(out, *s);
	}
	sb_addc(out, '"');
}

static void
qst_row_csv(const char *kind, const qst_row *r, sb *out)
{
	sb_addf(out, "%s,", kind);
	qst_csv_field(r->name, out);
	sb_addf(out, ",%d,%d,%d,\n", r->n, r->right,
	    (int)lround(100.0 * qst_pct(r)));
}

void
qst_format_csv(const qst_stats *st, sb *out)
{
	char b[32];
	sb_add(out, "kind,name,attempts,right,percent,value\n");
	qst_row_csv("total", &st->all, out);
	for (int d = 0; d < 3; d++)
		qst_row_csv("domain", &st->dom[d], out);
	for (size_t i = 0; i < st->ntopics; i++)
		qst_row_csv("topic", &st->topics[i], out);
	for (int i = 0; i < QST_DAYS; i++)
		qst_row_csv("day", &st->days[i], out);
	for (int i = 0; i < QST_FORECAST; i++) {
		qst_day_name(st->now / 86400 + i, b, sizeof b);
		sb_addf(out, "due,%s,,,,%d\n", b, st->forecast[i]);
	}
	for (size_t i = 0; i < st->nexams; i++) {
		qst_day_name(st->exams[i].finished / 86400, b, sizeof b);
		sb_addf(out, "exam,%s,%d,,,%d\n", b, st->exams[i].count,
		    st->exams[i].scaled);
	}
	if (st->abandoned)
		sb_addf(out, "abandoned,,%d,,,\n", st->abandoned);
	if (st->ready)
		qrd_format_csv(st->ready, out);
}
