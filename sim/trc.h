/*
** trc.h: the trace, the record of everything a run did.
**
** Every engine step appends events: edits, queue changes, each request and
** response, network changes, conflicts and their resolution, narration and
** expectation results.  The transcript, the JSONL and Mermaid outputs, the
** checker and the TUI timeline are all read off the trace.  Stepping back
** truncates it.  Events own their strings.
*/
#ifndef trc_h
#define trc_h

#include <stddef.h>
#include <stdint.h>

typedef enum trc_type {
	TRC_STEP,	/* a script step starts: text = its one-line summary */
	TRC_SAY,	/* narration of the step */
	TRC_EDIT,	/* a local insert/update/delete: method = the kind */
	TRC_ENQUEUE,	/* a new operation in __operations: method = kind */
	TRC_COLLAPSE,	/* an operation collapsed into a pending one */
	TRC_DEQUEUE,	/* an operation left the queue (pushed, cancelled) */
	TRC_REQUEST,	/* method, path, headers, body */
	TRC_RESPONSE,	/* status, headers, body */
	TRC_LOST,	/* a request or a response was lost in the network */
	TRC_NET,	/* online/offline/latency changes */
	TRC_CONFLICT,	/* a 409/412 met a policy: status, text */
	TRC_RESOLVE,	/* how a conflict was resolved: text names the verdict */
	TRC_PULL,	/* pull progress: rows applied, token moved */
	TRC_ERROR,	/* an action that failed (a collapse ERROR, a bad id) */
	TRC_ASK,	/* a predict-then-observe question and its answer */
	TRC_EXPECT,	/* one expectation: ok = 1 held, 0 failed */
	TRC_CHECK,	/* the checker's findings at the end of a run */
	TRC_NOTE,	/* anything else worth a line */
	TRC_PUSH,	/* hub, platform service and notification events:
			   method = send, delivered, stored, receive, ... */
	TRC_PLAN	/* the App Service plan: method = minute (body: the
			   minute's figures as JSON), stop, resume, scale,
			   ready, scale-up, scale-out, autoscale, status */
} trc_type;

typedef struct trc_event {
	size_t		 step;		/* index of the script step (0-based) */
	int64_t		 t;		/* virtual time, ms since the run began */
	trc_type	 type;
	char		*device;	/* NULL for the backend or the engine */
	char		*table;		/* the table, when one is concerned */
	char		*id;		/* the row id, when one is concerned */
	char		*method;	/* requests; edit and queue kinds */
	char		*path;		/* requests: path plus "?query" */
	char		*headers;	/* JSON object text, requests/responses */
	char		*body;		/* JSON text, requests/responses */
	int		 status;	/* responses, conflicts */
	int		 ok;		/* expectations; verdict data elsewhere */
	char		*text;		/* the human sentence for this event */
} trc_event;

typedef struct trc {
	trc_event	*ev;
	size_t		 n;
	size_t		 cap;
	size_t		 step;		/* stamped on new events */
	int64_t		 t;		/* stamped on new events */
} trc;

void trc_init(trc *t);
void trc_free(trc *t);
/* Appends an event stamped with t->step and t->t; text is formatted (may
** be NULL).  Returns the event so that the caller can set the other
** fields with trc_set(); the pointer is valid until the next trc_add. */
trc_event *trc_add(trc *t, trc_type type, const char *device,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Replaces *field with a copy of value (NULL allowed). */
void trc_set(char **field, const char *value);
/* Drops every event from index n on (stepping back). */
void trc_truncate(trc *t, size_t n);
/* A copy of the value of header name (case-insensitive) of a request or
** response event, or NULL when it has none.  The caller frees it. */
char *trc_header(const trc_event *e, const char *name);
/* "request", "response", ... as used in the JSONL "type" field. */
const char *trc_type_name(trc_type type);

#endif
