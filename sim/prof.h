/*
** prof.h: client profiles, the rules by which each client SDK pulls.
**
** A device runs one profile (dev_config.client):
**   net-legacy  Microsoft.Azure.Mobile.Client, the legacy .NET SDK
**               (PullAction with IncrementalPullStrategy)
**   js          azure-mobile-apps-client, the Apache Cordova / JavaScript
**               SDK (sync/pull.js)
**   datasync    the Datasync toolkit, the .NET SDK's successor
**               (Offline/SyncContext.cs PullItemsAsync)
** The rules here are pure: the query of the next page, how the delta
** token and $skip move after a page, how the token is written and under
** which key.  The device (dev_pull.c) sends, applies rows and saves.
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

#endif
