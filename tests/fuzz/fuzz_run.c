/*
** fuzz_run.c: libFuzzer harness of whole runs: a scenario that loads is
** run to its end, written in every output format, then stepped back to
** the start and forward again; the state at the end must be the same
** both times (sim_goto replays exactly), and nothing may crash.
*/
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "lib/sb.h"
#include "sim/chk.h"
#include "sim/out.h"
#include "sim/scn.h"
#include "sim/sim.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static FILE *sink;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (sink == NULL && (sink = fopen("/dev/null", "w")) == NULL)
		return 0;
	sb errs = SB_INIT;
	scn *s = scn_load_text("fuzz.json", (const char *)data, size, &errs,
	    NULL);
	if (s == NULL) {
		sb_free(&errs);
		return 0;
	}
	sim_opts o;
	memset(&o, 0, sizeof o);
	o.seed = 7;
	sim *r = sim_open(s, &o, &errs);
	if (r == NULL) {
		sb_free(&errs);
		return 0;
	}
	sim_run(r, &errs);
	sim_finish(r, &errs);
	for (int f = OUT_TEXT; f <= OUT_HTML; f++)
		out_write(r, (out_format)f, sink);
	size_t n = sim_pos(r);
	sb a = SB_INIT, b = SB_INIT;
	sim_dump_state(r, &a);
	/* Back to the middle, to the start, then forward to the end. */
	if (sim_goto(r, n / 2, &errs) == 0 && sim_goto(r, 0, &errs) == 0 &&
	    sim_goto(r, n, &errs) == 0) {
		sim_finish(r, &errs);
		sim_dump_state(r, &b);
		if (strcmp(sb_str(&a), sb_str(&b)) != 0) {
			fprintf(stderr, "fuzz_run: the state after stepping "
			    "back and forward differs\n");
			__builtin_trap();
		}
		out_write(r, OUT_TEXT, sink);
	}
	chk_report rep;
	sim_check(r, &rep);
	chk_free(&rep);
	sb_free(&a);
	sb_free(&b);
	sim_close(r);
	sb_free(&errs);
	return 0;
}
