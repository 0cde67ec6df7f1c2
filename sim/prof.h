/*
** prof.h: client profiles, the rules by which each client SDK queues,
** pushes and pulls.
**
** A device runs one profile (dev_config.client):
**   net-legacy  Microsoft.Azure.Mobile.Client, the legacy .NET SDK
**               (PullAction with IncrementalPullStrategy)
**   js          azure-mobile-apps-client, the Apache Cordova / JavaScript
**               SDK (sync/pull.js)
**   datasync    the Datasync toolkit, the .NET SDK's successor
**               (Offline/SyncContext.cs PullItemsAsync)
** The rules here are pure: how a local write collapses into the pending
** operation, what a push does with each answer, the query of the next
** page, how the delta token and $skip move after a page, how the token is
** written and under which key.  The device (dev_write.c, dev_sync.c,
** dev_pull.c) sends, applies rows and saves.
*/
#ifndef prof_h
#define prof_h

#include <stddef.h>
#include <stdint.h>

typedef enum prof_kind {
	PROF_NET_LEGACY = 0,	/* the default */
	PROF_JS,
	PROF_DATASYNC
} prof_kind;
#define PROF_NKINDS	3

/* "net-legacy", "js", "datasync"; "?" out of range. */
const char *prof_name(prof_kind k);
/* The SDK in words for narration: "the legacy .NET client", "the
** JavaScript client", "the Datasync client"; "?" out of range. */
const char *prof_sdk(prof_kind k);
/* The ZUMO-API-VERSION the SDK sends: "2.0.0", or "3.0.0" (datasync,
** whose queries are OData v4). */
const char *prof_api_version(prof_kind k);
/* The profile named name: 0 and *k set, or -1. */
int prof_parse(const char *name, prof_kind *k);

/* Where one incremental pull stands between its pages. */
typedef struct prof_pull {
	prof_kind	 kind;
	int64_t		 token_ms;	/* T of the filter; 0: none yet */
	long		 skip;		/* net-legacy, js: the next $skip */
	char		*next;		/* datasync: the next link's query
					   (owned), NULL before the first
					   page and at the end */
	int		 done;		/* the pull is over */
	int		 top;		/* the $top sent (0: none); set by
					   prof_pull_start, the caller may
					   change it */
} prof_pull;

/* Starts a pull from the saved token (0 when none).  No allocation. */
void prof_pull_start(prof_pull *p, prof_kind k, int64_t token_ms);
void prof_pull_free(prof_pull *p);

/* The query string of the next GET (percent-encoded); caller frees. */
char *prof_pull_query(const prof_pull *p);

/*
** After a page of n rows whose last row has updatedAt last_ms and whose
** newest has max_ms (rows with pending operations included: they are in
** the answer; both 0 when n is 0), with next the query of the server's
** next-page link (NULL: none).  Moves token_ms, skip and next, sets done
** when the pull ends, and returns 1 when the token must be written now
** (it changed), else 0.
*/
int prof_pull_page(prof_pull *p, int n, int64_t last_ms, int64_t max_ms,
    const char *next);

/* The token as the profile stores it: net-legacy the round-trip ISO time
** with seven digits and +00:00, js the ISO time with ms and Z, datasync
** the Unix time in ms. */
void prof_token_text(prof_kind k, int64_t ms, char out[64]);
/* The reverse: 0 and *ms, or -1 when text is not such a token. */
int prof_token_parse(prof_kind k, const char *text, int64_t *ms);
/* The key the token is stored under for (table, queryId). */
void prof_token_key(prof_kind k, const char *table, const char *query_id,
    char *out, size_t len);

/* 1 when a pull of a table with pending operations pushes it first. */
int prof_push_before_pull(prof_kind k);
/* 1 when a pulled row that has a pending operation fails the pull (it is
** skipped otherwise). */
int prof_pending_row_fails(prof_kind k);
/* The $top the profile sends (0: none; the server's page size decides). */
int prof_page_size(prof_kind k);

/* ---- the queue ---------------------------------------------------------
** Operation kinds are numbered as __operations.kind: 0 insert, 1 update,
** 2 delete (dev_int.h). */

/* What a local write does to the item's pending operation. */
typedef enum prof_collapse {
	PROF_C_ENQUEUE,		/* nothing pending: a new op joins the end */
	PROF_C_REFUSE,		/* the write is refused; nothing changes */
	PROF_C_BUMP,		/* the pending op's version goes up by one and
				   the new op is discarded (.NET, Datasync) */
	PROF_C_KEEP,		/* the pending op stays as it is, version
				   included (js) */
	PROF_C_CANCEL,		/* a delete after an insert: both go, nothing
				   is sent */
	PROF_C_DELETE_AT_END,	/* a delete after an update: the update goes
				   and a delete (version 2) joins the end */
	PROF_C_DELETE_IN_PLACE,	/* a delete after an update: the entry
				   becomes a delete where it stands (js) */
	PROF_C_DROP		/* a delete after a delete: nothing to do
				   (js) */
} prof_collapse;

/*
** The collapse rule of profile k for a new write of kind nw on an item
** whose pending operation has kind pending (-1: none); attempted is 1 when
** a push already tried that operation (its state is not Pending).
*/
prof_collapse prof_collapse_rule(prof_kind k, int pending, int attempted,
    int nw);
/* 1 when __operations.state records Attempted and Failed (.NET, Datasync);
** 0 when the queue keeps no state (js: an operation being pushed is only
** locked in memory). */
int prof_keeps_state(prof_kind k);

/* ---- the push ---------------------------------------------------------- */

/* The method of an update: "PATCH", or "PUT" of the whole row (datasync). */
const char *prof_update_method(prof_kind k);
/* 1 when answer status to a DELETE means the row is already gone and the
** delete succeeded: 404 (net-legacy), 404 or 410 (datasync), never (js:
** every failure that is not a conflict is an error). */
int prof_delete_gone_ok(prof_kind k, int status);
/* 1 when a failed write (any status but 401, 409 and 412, which every
** profile treats alike) stops the push: js, whose push() rejects on an
** error its onError handler does not handle; 0 when the error is recorded
** and the push goes on (.NET, Datasync). */
int prof_error_aborts(prof_kind k);
/* 1 when the SDK lets an app settle a conflict while the push runs (the
** .NET sync handler, the js onConflict); 0 when the push ends first and
** the app settles the errors afterwards (datasync: PushFailedException). */
int prof_conflict_hook(prof_kind k);

#endif
