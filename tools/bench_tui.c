/*
** bench_tui.c: how fast the scenario view draws.
**
** Runs the real UI headless (ncurses newterm() writing to /dev/null, at
** 100x30) on a generated scenario with 6 devices that each hold 50 rows,
** and reports:
**   - one frame: the whole scenario view drawn and every cell sent again
**     (clearok), median and 95th percentile over many frames;
**   - a step key: from the key to the redrawn screen (the step runs, the
**     panes are re-read, the frame is sent), forward and back.
** Prints one line per figure for docs/performance.md.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/sb.h"
#include "sim/scn.h"
#include "ui/ui.h"

#define BENCH_DEVICES	6
#define BENCH_ROWS	50
#define BENCH_FRAMES	300
#define BENCH_STEPS	60

static double
bench_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int
bench_cmp(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;
	return a < b ? -1 : a > b;
}

static void
bench_report(const char *what, double *v, size_t n)
{
	qsort(v, n, sizeof *v, bench_cmp);
	printf("%-52s median %.3f ms, p95 %.3f ms, max %.3f ms (n=%zu)\n", what,
	    v[n / 2], v[n * 95 / 100], v[n - 1], n);
}

/* 50 seed rows on the server, every device pulls them, then a few edits
** and pushes so that queues and the timeline are not empty. */
static char *
bench_scenario(void)
{
	sb t = SB_INIT;
	sb_add(&t, "{\"id\":\"bench-tui\",\"title\":\"Bench: 6 devices x 50 "
	    "rows\",\"summary\":\"A generated scenario for the TUI "
	    "benchmark.\",\"objectives\":[{\"text\":\"none\",\"domain\":"
	    "\"cloud-concepts\"}],\"tables\":[{\"name\":\"todoitem\","
	    "\"columns\":{\"text\":\"string\",\"complete\":\"bool\",\"qty\":"
	    "\"number\"},\"softDelete\":true}],\"devices\":[");
	for (int d = 0; d < BENCH_DEVICES; d++)
		sb_addf(&t, "%s{\"name\":\"Device-%c\"}", d ? "," : "", 'A' + d);
	sb_add(&t, "],\"rows\":{\"todoitem\":[");
	for (int r = 0; r < BENCH_ROWS; r++)
		sb_addf(&t, "%s{\"id\":\"row-%02d\",\"text\":\"item number %d\","
		    "\"complete\":false,\"qty\":%d}", r ? "," : "", r, r, r * 3);
	sb_add(&t, "]},\"steps\":[");
	for (int d = 0; d < BENCH_DEVICES; d++)
		sb_addf(&t, "%s{\"do\":\"pull\",\"device\":\"Device-%c\","
		    "\"say\":\"Device-%c pulls every row.\"}", d ? "," : "",
		    'A' + d, 'A' + d);
	for (int i = 0; i < BENCH_STEPS; i++) {
		int d = i % BENCH_DEVICES;
		if (i % 2 == 0)
			sb_addf(&t, ",{\"do\":\"update\",\"device\":\"Device-%c\","
			    "\"table\":\"todoitem\",\"id\":\"row-%02d\",\"set\":"
			    "{\"qty\":%d},\"say\":\"An edit.\"}", 'A' + d,
			    i % BENCH_ROWS, i);
		else
			sb_addf(&t, ",{\"do\":\"sync\",\"device\":\"Device-%c\","
			    "\"say\":\"A sync.\"}", 'A' + d);
	}
	sb_add(&t, "]}");
	return sb_take(&t);
}

int
main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	char *text = bench_scenario();
	sb errs = SB_INIT;
	scn *s = scn_load_text("bench-tui.json", text, strlen(text), &errs,
	    NULL);
	free(text);
	if (s == NULL) {
		fprintf(stderr, "bench_tui: %s", sb_str(&errs));
		sb_free(&errs);
		return 1;
	}
	FILE *out = fopen("/dev/null", "w");
	if (out == NULL)
		return 1;
	ui_opts o;
	memset(&o, 0, sizeof o);
	o.start = UI_START_SCENARIO;
	o.scn = s;
	ui_app *a = ui_headless_new(&o, 100, 30, out, &errs);
	if (a == NULL) {
		fprintf(stderr, "bench_tui: %s", sb_str(&errs));
		sb_free(&errs);
		fclose(out);
		return 1;
	}
	sb_free(&errs);
	/* Run the pulls so that every device holds its 50 rows. */
	for (int d = 0; d < BENCH_DEVICES; d++)
		ui_headless_key(a, 'l');
	static double v[BENCH_FRAMES];
	for (size_t i = 0; i < BENCH_FRAMES; i++) {
		double t0 = bench_now_ms();
		ui_headless_frame(a);
		v[i] = bench_now_ms() - t0;
	}
	printf("scenario view 100x30, %d devices x %d rows, %zu steps\n",
	    BENCH_DEVICES, BENCH_ROWS, ui_headless_count(a));
	bench_report("one full frame (draw + send every cell)", v,
	    BENCH_FRAMES);
	/* Step keys: forward through the edits and syncs, then back. */
	static double fw[BENCH_STEPS], bw[BENCH_STEPS];
	size_t nf = 0, nb = 0;
	while (nf < BENCH_STEPS && ui_headless_pos(a) < ui_headless_count(a)) {
		double t0 = bench_now_ms();
		ui_headless_key(a, 'l');
		fw[nf++] = bench_now_ms() - t0;
	}
	while (nb < BENCH_STEPS && ui_headless_pos(a) > BENCH_DEVICES) {
		double t0 = bench_now_ms();
		ui_headless_key(a, 'h');
		bw[nb++] = bench_now_ms() - t0;
	}
	if (nf)
		bench_report("step key l to redrawn screen (step forward)", fw,
		    nf);
	if (nb)
		bench_report("step key h to redrawn screen (step back)", bw, nb);
	ui_headless_free(a);
	fclose(out);
	return 0;
}
