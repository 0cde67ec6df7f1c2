/*
** scn_text.h: a scenario for a test, written as JSON text so that the test
** also goes through the loader, exactly as a file would.
*/
#ifndef scn_text_h
#define scn_text_h

#include <stdio.h>
#include <string.h>

#include "lib/sb.h"
#include "sim/scn.h"

/* The scenario of json (the caller frees it with scn_free); a test
** failure, with the loader's messages on stderr, when it does not load. */
static inline scn *
load(const char *json)
{
	sb errs = SB_INIT;
	scn *s = scn_load_text("test.json", json, strlen(json), &errs, NULL);
	if (s == NULL)
		fprintf(stderr, "%s", sb_str(&errs));
	assert_non_null(s);
	sb_free(&errs);
	return s;
}

#endif
