/*
** pol.h: conflict policies, per table and overridable per field.
**
** The real SDKs ship no policy (a conflict leaves the operation queued and
** an error row behind; that is POL_NONE).  Apps write one in a sync
** handler; synclab names the common ones so students can compare them.
** pol_resolve() is pure: rows in, a verdict and a merged row out.
*/
#ifndef pol_h
#define pol_h

#include <stddef.h>
#include <cjson/cJSON.h>
#include "lib/sb.h"

typedef enum pol_kind {
	POL_NONE,		/* "none": the SDK default, stays queued */
	POL_SERVER_WINS,	/* "server-wins": cancel, take the server row */
	POL_CLIENT_WINS,	/* "client-wins": re-push with the server version */
	POL_LAST_WRITER_WINS,	/* "last-writer-wins": push with no version */
	POL_NEWEST_EDIT_WINS,	/* "newest-edit-wins": compare device edit stamps */
	POL_PRECEDENCE,		/* "precedence": the later value in order wins */
	POL_DELTA,		/* "delta": numbers, apply both changes to base */
	POL_MERGE,		/* "merge": one-sided fields merge; else fallback */
	POL_MANUAL		/* "manual": the student (or a resolve step) decides */
} pol_kind;

typedef struct pol_spec {
	pol_kind	 kind;
	char		**order;	/* precedence: values, lowest first */
	size_t		 norder;
	char		*stamp;		/* newest-edit-wins: the edit-time column */
	pol_kind	 fallback;	/* merge: for fields changed on both sides */
} pol_spec;

typedef struct pol_field {
	char		*field;
	pol_spec	 spec;
} pol_field;

typedef struct pol_table {
	pol_spec	 spec;		/* the table's policy */
	pol_field	*fields;	/* per-field overrides */
	size_t		 nfields;
} pol_table;

/* "server-wins" for POL_SERVER_WINS, etc. */
const char *pol_name(pol_kind k);
/* Parses a policy name; returns 0, or -1 when unknown. */
int pol_parse(const char *name, pol_kind *out);
/* The policy that applies to field (the override, else the table's). */
const pol_spec *pol_for_field(const pol_table *t, const char *field);
/* Deep copy and free (the structs own their strings). */
void pol_table_copy(pol_table *dst, const pol_table *src);
void pol_table_free(pol_table *t);

typedef enum pol_verdict {
	POL_V_KEEP_QUEUED,	/* none/manual: leave the op and the error row */
	POL_V_TAKE_SERVER,	/* cancel the op, store the server row locally */
	POL_V_PUSH_MERGED	/* re-push merged (with the server's version) */
} pol_verdict;

/*
** Resolves one conflict on a row.  base is the last server copy the device
** saw (NULL when unknown, e.g. an insert), local the device's row, server
** the server's current row (NULL on a 409 without a server row).  Returns
** the verdict; for POL_V_PUSH_MERGED *merged is set to a new row the
** caller owns (user columns only, plus id).  why receives one sentence per
** field decision that a student can read ("status: completed outranks
** in-progress, so the device's value is kept").  Never fails.
*/
pol_verdict pol_resolve(const pol_table *t, const cJSON *base,
    const cJSON *local, const cJSON *server, cJSON **merged, sb *why);

#endif
