/*
** chk.h: the end-of-run checker (after Jepsen Maelstrom's checkers).
**
** It reads the trace and the final state of a run and reports:
**   - convergence: every online device holds exactly the server's live
**     rows (ids, versions, values);
**   - lost writes: every local edit either reached the server, was
**     superseded by a later accepted write (said plainly when the later
**     writer never saw it), or was discarded by a recorded policy
**     decision; anything else is an unexplained lost write;
**   - what is still queued, and why (offline, a stuck conflict, policy
**     none).
** It changes nothing.
*/
#ifndef chk_h
#define chk_h

#include <stddef.h>
#include "lib/sb.h"

struct sim;

typedef enum chk_kind {
	CHK_DIVERGED,		/* a device disagrees with the server */
	CHK_LOST,		/* an unexplained lost write */
	CHK_SUPERSEDED,		/* reached the server, overwritten */
	CHK_UNSEEN,		/* overwritten by one who never saw it */
	CHK_DISCARDED,		/* dropped by a recorded decision */
	CHK_QUEUED,		/* still in a device's queue */
	CHK_UNCHECKED		/* a device left out (offline) */
} chk_kind;

typedef struct chk_finding {
	chk_kind	 kind;
	char		*device;
	char		*table;
	char		*id;
	char		*text;		/* a sentence for a student */
} chk_finding;

typedef struct chk_report {
	int		 converged;	/* 1: all checked devices agree */
	size_t		 lost;		/* lost writes, unexplained */
	size_t		 edits;		/* local edits examined */
	size_t		 superseded;	/* of which overwritten */
	size_t		 unseen;	/* of which without being seen */
	size_t		 discarded;	/* of which by policy */
	size_t		 queued;	/* operations still queued */
	size_t		 diverged;	/* rows that disagree */
	chk_finding	*f;
	size_t		 nf;
} chk_report;

/* Examines the run as it stands.  r must be freed with chk_free. */
void chk_run(struct sim *s, chk_report *r);
void chk_free(chk_report *r);
/* The report as text: one line per finding, then the verdict line. */
void chk_format(const chk_report *r, sb *out);
/* The verdict alone (one line, no newline): "everything looks good: ..."
** or "problems found: ...", with the counts. */
void chk_verdict(const chk_report *r, sb *out);
const char *chk_kind_name(chk_kind k);

#endif
