/*
** out.h: the outputs of a run, read off its trace.
**
**   text     the transcript: per step the narration, one line per HTTP
**            exchange, queue changes, conflicts, expectations
**   jsonl    one JSON object per trace event (docs/trace-format.md)
**   mermaid  a sequenceDiagram of the requests and responses
**   html     one self-contained page: the story, a drawn sequence diagram
**            (SVG), the tables before and after, the checker (out_html.c)
**
** They never fail (write errors show in ferror(f)).
*/
#ifndef out_h
#define out_h

#include <stddef.h>
#include <stdio.h>
#include "lib/sb.h"
#include "sim/trc.h"

struct sim;

typedef enum out_format {
	OUT_TEXT,
	OUT_JSONL,
	OUT_MERMAID,
	OUT_HTML
} out_format;

/* Parses "text", "jsonl", "mermaid", "html"; 0 or -1. */
int out_parse_format(const char *s, out_format *f);

/* One event as a JSONL line (no newline) appended to b. */
void out_jsonl_event(const trc_event *e, sb *b);
/* One event as a transcript line (no newline) appended to b; returns 0
** when the event has no line of its own in the transcript. */
int out_text_event(const trc_event *e, sb *b);

/* One line of the TUI timeline for a request event and its response
** (resp NULL: none yet; lost: the network lost it): the device and the
** request (method, the path with its query percent-decoded, If-Match)
** into out, the outcome ("  -> 412 Precondition Failed", "  -> LOST (no
** response)") into res (NULL: appended to out).  The transcript writes
** its requests the same way, with the body of writes after them. */
void out_http_line(const trc_event *req, const trc_event *resp, int lost,
    sb *out, sb *res);

/* The whole run so far in the given format (html without the tables
** before: see out_html_write). */
void out_write(struct sim *r, out_format fmt, FILE *f);

/* The backend's tables as HTML tables, for the page's "before" part: call
** it after sim_open() and before the first step.  Returns a new string. */
char *out_html_backend_tables(struct sim *r);
/* The page (out_html.c); before is out_html_backend_tables() taken before
** the run, or NULL. */
void out_html_write(struct sim *r, const char *before, FILE *f);

#endif
