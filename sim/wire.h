/*
** wire.h: the wire formats that the client and the server share.
**
** Azure Mobile Apps writes times as ISO-8601 text and versions as the
** base64 of their decimal text.  The backend (srv), its query compiler
** (odata), the devices (dev), policies (pol), the scenario loader (scn)
** and the checker all read and write them here, so the two ends can never
** disagree on a format.  Pure functions; nothing allocates.
*/
#ifndef wire_h
#define wire_h

#include <stdint.h>

/*
** Parses ISO-8601 "YYYY-MM-DDTHH:MM[:SS[.f]](Z|+hh:mm|-hh:mm)" with up to
** 7 fractional digits, years 0000 to 9999.  *ms is the instant in ms since
** the epoch, rounded down; *subms (may be NULL) is set to 1 when digits
** beyond the millisecond were not all zero.  Returns 0, or -1 if bad (s
** NULL included); *ms is untouched then.
*/
int wire_parse_time(const char *s, int64_t *ms, int *subms);
/* Formats ms as "2026-03-02T09:00:00.000Z" (clamped to years 0-9999). */
void wire_format_time(int64_t ms, char out[32]);

/*
** Versions are shown as the base64 of their decimal text (1 is "MQ==").
** wire_version_b64 writes that text for version.  wire_version_parse is
** its inverse: 0 and *version set, or -1 when b64 (NULL included) is not
** exactly what wire_version_b64 writes for some version.
*/
void wire_version_b64(long long version, char out[32]);
int wire_version_parse(const char *b64, long long *version);
/*
** Decodes 4 to 28 base64 characters ('=' padding only at the end) into
** dec, NUL-terminated, and returns the number of bytes decoded (they may
** be anything, NULs included), or -1 when b64 is not such text; whether
** the bytes are a version is for the caller to check (a $filter literal
** that is not one is an error of its own).
*/
int wire_b64_decode(const char *b64, char dec[24]);

#endif
