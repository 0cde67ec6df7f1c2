/*
** bench_quiz.c: the quiz engine's measured workloads (docs/performance.md,
** "Quiz"): loading a bank of 10,000 generated questions of every type, and
** computing `synclab stats` (with readiness, which reads every attempt)
** over 100,000 recorded attempts of 2,000 questions.  Each figure is
** the median of 7 runs, wall clock.
*/
#include "quiz/qdb.h"
#include "quiz/qol.h"
#include "quiz/qrd.h"
#include "quiz/qst.h"
#include "quiz/qz.h"
#include "lib/xmem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define NQ	10000
#define NA	100000
#define RUNS	7

static double
bq_clock(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static double
bq_now(void)
{
	return bq_clock(CLOCK_MONOTONIC);
}

/* CPU time too: on a busy machine the wall clock also counts the time
** other processes held the CPU. */
static double
bq_cpu(void)
{
	return bq_clock(CLOCK_PROCESS_CPUTIME_ID);
}

static int
bq_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double
bq_median(double *v)
{
	qsort(v, RUNS, sizeof *v, bq_cmp);
	return v[RUNS / 2];
}

static const char *const bq_dom[] = {
	"cloud-concepts", "architecture-services", "management-governance"
};

static void
bq_question(sb *t, int i)
{
	const char *tail = "\"explanation\": \"Because the documentation says so, and the tempting options are wrong for stated reasons.\"";
	static const char *const code[] = { "1.1.1", "2.1.1", "3.1.1" };
	sb_addf(t, "%s{\"id\": \"q%d\", \"domain\": \"%s\", \"objective\": \"%s\", \"topics\": [\"topic-%d\", \"area-%d\"], %s, ",
	    i ? ",\n" : "", i, bq_dom[i % 3], code[i % 3], i % 40, i % 7, tail);
	switch (i % 6) {
	case 0:
		sb_add(t, "\"type\": \"single\", \"stem\": \"Which service fits this need best?\","
		    " \"options\": [\"App Service\", \"Functions\", \"Virtual Machines\", \"Logic Apps\"], \"answer\": 1}");
		break;
	case 1:
		sb_add(t, "\"type\": \"multiple\", \"stem\": \"Which two apply?\", \"choose\": 2,"
		    " \"options\": [\"one\", \"two\", \"three\", \"four\", \"five\"], \"answer\": [0, 3]}");
		break;
	case 2:
		sb_add(t, "\"type\": \"yesno\", \"stem\": \"Yes or no for each.\","
		    " \"statements\": [\"First.\", \"Second.\", \"Third.\"], \"answer\": [true, false, true]}");
		break;
	case 3:
		sb_add(t, "\"type\": \"matching\", \"stem\": \"Match them.\", \"items\": [\"a\", \"b\", \"c\"],"
		    " \"targets\": [\"x\", \"y\", \"z\"], \"answer\": [2, 0, 1]}");
		break;
	case 4:
		sb_add(t, "\"type\": \"ordering\", \"stem\": \"Order them.\","
		    " \"items\": [\"first\", \"second\", \"third\", \"distractor\"], \"answer\": [0, 1, 2]}");
		break;
	default:
		sb_add(t, "\"type\": \"dropdown\", \"stem\": \"Pick {1} and then {2}.\","
		    " \"blanks\": [[\"a\", \"b\"], [\"c\", \"d\", \"e\"]], \"answer\": [1, 2]}");
		break;
	}
}

static int
bq_load(const char *dir)
{
	char *path = xasprintf("%s/bank.json", dir);
	sb t = SB_INIT;
	sb_add(&t, "{\"bank\": \"bench\", \"questions\": [\n");
	for (int i = 0; i < NQ; i++)
		bq_question(&t, i);
	sb_add(&t, "\n]}\n");
	FILE *f = fopen(path, "w");
	if (f == NULL) {
		perror(path);
		return 1;
	}
	fwrite(sb_str(&t), 1, t.len, f);
	fclose(f);
	double v[RUNS], cpu[RUNS];
	for (int r = 0; r < RUNS; r++) {
		qz_bank b;
		sb err = SB_INIT;
		const char *paths[1] = { path };
		double t0 = bq_now(), c0 = bq_cpu();
		int n = qz_bank_load(&b, paths, 1, &err);
		v[r] = bq_now() - t0;
		cpu[r] = bq_cpu() - c0;
		if (n != 0 || b.nq != NQ) {
			fprintf(stderr, "bench_quiz: the generated bank failed:\n%s", sb_str(&err));
			return 1;
		}
		qz_bank_free(&b);
		sb_free(&err);
	}
	printf("load %d questions (%.1f MB): %.1f ms wall, %.1f ms cpu (target < 100 ms)\n",
	    NQ, (double)t.len / 1e6, bq_median(v), bq_median(cpu));
	sb_free(&t);
	unlink(path);
	free(path);
	return 0;
}

static int
bq_stats(const char *dir)
{
	char *path = xasprintf("%s/progress.db", dir);
	sb err = SB_INIT;
	qdb *db = qdb_open(path, &err);
	if (db == NULL) {
		fprintf(stderr, "bench_quiz: %s\n", sb_str(&err));
		return 1;
	}
	int64_t t0 = 1767225600;	/* 2026-01-01 */
	qdb_begin(db, &err);
	for (int i = 0; i < NA; i++) {
		char qid[32], topics[64];
		int q = (i * 7919) % 2000;
		snprintf(qid, sizeof qid, "q%d", q);
		snprintf(topics, sizeof topics, "topic-%d,area-%d", q % 40, q % 7);
		qdb_attempt a = {
			qid, t0 + (int64_t)i * 60, (i % 3) != 0, (i % 3) ? 1.0 : 0.25,
			9000, "practice", "a", bq_dom[q % 3], topics
		};
		qm_card c;
		qm_init(&c, a.at);
		c.due = a.at + (i % 10) * 86400;
		if (qdb_record(db, &a, i < 2000 ? &c : NULL, &err) != 0) {
			fprintf(stderr, "bench_quiz: %s\n", sb_str(&err));
			return 1;
		}
	}
	if (qdb_commit(db, &err) != 0)
		return 1;
	/* The bank the attempts belong to: q0..q1999 over the outline. */
	sb bt = SB_INIT;
	sb_add(&bt, "{\"bank\": \"bench\", \"questions\": [");
	for (int q = 0; q < 2000; q++) {
		const qol_line *l = qol_at((size_t)q % qol_count());
		sb_addf(&bt, "%s{\"id\": \"q%d\", \"type\": \"single\", \"stem\": "
		    "\"S\", \"options\": [\"a\", \"b\"], \"answer\": 0, "
		    "\"explanation\": \"E\", \"topics\": [\"t\"], \"domain\": "
		    "\"%s\", \"objective\": \"%s\"}", q ? "," : "", q,
		    bq_dom[l->domain], l->code);
	}
	sb_add(&bt, "]}");
	qz_bank bank;
	if (qz_bank_load_text(&bank, "bench.json", sb_str(&bt), &err) != 0) {
		fprintf(stderr, "bench_quiz: %s\n", sb_str(&err));
		return 1;
	}
	sb_free(&bt);
	double v[RUNS], cpu[RUNS];
	size_t bytes = 0;
	for (int r = 0; r < RUNS; r++) {
		qst_stats st;
		qrd_report rd;
		sb out = SB_INIT;
		double s0 = bq_now(), c0 = bq_cpu();
		int64_t now = t0 + (int64_t)NA * 60;
		if (qst_load(db, now, &st, &err) != 0 ||
		    qrd_load(db, &bank, now, &rd, &err) != 0) {
			fprintf(stderr, "bench_quiz: %s\n", sb_str(&err));
			return 1;
		}
		st.ready = &rd;
		qst_format_text(&st, 1, &out);
		v[r] = bq_now() - s0;
		cpu[r] = bq_cpu() - c0;
		bytes = out.len;
		qst_free(&st);
		qrd_free(&rd);
		sb_free(&out);
	}
	printf("stats over %d attempts, 2000 cards (%zu bytes of report): %.1f ms wall, %.1f ms cpu (target < 100 ms)\n",
	    NA, bytes, bq_median(v), bq_median(cpu));
	qz_bank_free(&bank);
	qdb_close(db);
	char *wal = xasprintf("%s-wal", path), *shm = xasprintf("%s-shm", path);
	unlink(path);
	unlink(wal);
	unlink(shm);
	free(wal);
	free(shm);
	free(path);
	sb_free(&err);
	return 0;
}

int
main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	char dir[] = "/tmp/synclab-bench-quizXXXXXX";
	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	int rc = bq_load(dir) || bq_stats(dir);
	rmdir(dir);
	return rc;
}
