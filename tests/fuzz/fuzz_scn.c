/*
** fuzz_scn.c: libFuzzer harness of the scenario loader (scn_load_text):
** any bytes give a scenario or errors, never a crash, a leak or UB.
*/
#include <stddef.h>
#include <stdint.h>

#include "lib/sb.h"
#include "sim/scn.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	sb errs = SB_INIT;
	int nerr = 0;
	scn *s = scn_load_text("fuzz.json", (const char *)data, size, &errs,
	    &nerr);
	/* A scenario comes back exactly when there is no error. */
	if ((s == NULL) != (nerr > 0))
		__builtin_trap();
	scn_free(s);
	sb_free(&errs);
	return 0;
}
