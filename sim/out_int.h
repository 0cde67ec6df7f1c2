/*
** out_int.h: what the output files share; not for other modules.
**
** out.c writes the transcript, JSONL and Mermaid, out_html.c the page;
** out_seq.c turns the push and plan events of a trace into the messages
** and notes of a sequence diagram, so that the Mermaid diagram and the
** page's drawing show the same participants and the same messages.
*/
#ifndef out_int_h
#define out_int_h

#include <stddef.h>
#include "lib/sb.h"
#include "sim/scn.h"
#include "sim/trc.h"

struct sim;

/* The diagram's participants, in column order: the devices, the
** backend, then the hub and the platform services the scenario uses. */
#define OUT_MAXCAST	(SCN_MAX_DEVICES + 5)
typedef struct out_cast {
	size_t		 n;
	const char	*name[OUT_MAXCAST];	/* shown */
	char		 id[OUT_MAXCAST][40];	/* Mermaid identifiers */
	size_t		 backend;		/* its column */
	long		 hub;			/* -1: no hub */
	long		 svc[3];		/* by pns_platform; -1: unused */
} out_cast;

/* The cast of run r.  Never fails. */
void out_cast_of(struct sim *r, out_cast *c);
/* The column of a device by name (NULL or unknown: the backend). */
size_t out_cast_device(struct sim *r, const out_cast *c, const char *name);

/* One message or note of a diagram. */
typedef enum out_seq_kind {
	OUT_SEQ_CALL,		/* from -> to, a request or a send */
	OUT_SEQ_REPLY,		/* from --> to, an answer */
	OUT_SEQ_DROP,		/* from --x to, a message that is lost */
	OUT_SEQ_NOTE		/* a note over from..to */
} out_seq_kind;

typedef struct out_seq_item {
	out_seq_kind	 kind;
	size_t		 from, to;
	int		 status;	/* an answer's HTTP status, else 0 */
	sb		 text;		/* one line */
} out_seq_item;

/*
** The messages and notes a TRC_PUSH or TRC_PLAN event draws, into it[0..]
** (at most 3; each text must be freed with sb_free): the backend's send
** to the hub and the hub's answer, the hub handing a notification to a
** platform service and what the service did (delivered, held, dropped,
** gone), what reached a device, and the plan's stops, resumes and scale
** actions as notes over the backend.  Returns how many (0: the event is
** not drawn, e.g. a minute of the plan or another type).
*/
size_t out_seq_cloud(struct sim *r, const out_cast *c, const trc_event *e,
    out_seq_item it[3]);

#endif
