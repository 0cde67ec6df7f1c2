/*
** chk.h: the end-of-run checker (after Jepsen Maelstrom's checkers).
**
** It reads the trace and the final state of a run and reports:
**   - convergence: every online device holds exactly the server's live
**     rows (ids, versions, values);
**   - lost writes: every local edit either reached the server, was
**     superseded by a later accepted write ("overwritten unseen" when no
**     person saw it: no If-Match, or a conflict handler's re-send), or
**     was discarded by a recorded policy
**     decision; anything else is an unexplained lost write;
**   - what is still queued, and why (offline, a stuck conflict and the
**     rule that kept it, a 404, another failed status).
** It changes nothing, and it reads only what chk_in lends it, so it knows
** nothing of the engine that ran.
*/
#ifndef chk_h
#define chk_h

#include <stddef.h>
#include "lib/sb.h"
#include "sim/dev.h"
#include "sim/scn.h"
#include "sim/srv.h"
#include "sim/trc.h"

struct sim;

/* What the checker examines, all borrowed: the trace of the run, the
** backend, the devices in scenario order with whether each is online, and
** the scenario they ran (its tables and device names). */
typedef struct chk_in {
	const trc	*trace;
	srv		*srv;
	dev		**devs;
	const int	*online;	/* one per device: 1 online */
	size_t		 ndevs;
	const scn	*scn;
} chk_in;

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
	size_t		 unseen;	/* of which overwritten unseen */
	size_t		 discarded;	/* of which by policy */
	size_t		 queued;	/* operations still queued */
	size_t		 diverged;	/* rows that disagree */
	chk_finding	*f;
	size_t		 nf;
} chk_report;

/* Examines the run in in as it stands.  r must be freed with chk_free. */
void chk_examine(const chk_in *in, chk_report *r);
/* The older spelling, sim_check(s, r) (sim.h); it stays until every caller
** calls that. */
void chk_run(struct sim *s, chk_report *r);
void chk_free(chk_report *r);
/* The report as text: one line per finding, then the verdict line. */
void chk_format(const chk_report *r, sb *out);
/* The verdict alone (one line, no newline): "everything looks good: ..."
** or "problems found: ...", with the counts. */
void chk_verdict(const chk_report *r, sb *out);
const char *chk_kind_name(chk_kind k);

#endif
