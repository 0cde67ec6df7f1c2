/*
** fuzz_quiz.c: libFuzzer harness of the question loader
** (qz_bank_load_text): any bytes give a bank or errors, never a crash.
*/
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/sb.h"
#include "lib/xmem.h"
#include "quiz/qz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = xmalloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';
	qz_bank b;
	sb errs = SB_INIT;
	int n = qz_bank_load_text(&b, "fuzz.json", text, &errs);
	/* Errors are always explained. */
	if (n > 0 && errs.len == 0)
		__builtin_trap();
	qz_bank_free(&b);
	sb_free(&errs);
	free(text);
	return 0;
}
