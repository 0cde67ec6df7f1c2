/*
** prof.c: the pull rules of each client profile (see prof.h and
** docs/sync-model.md, "Three clients side by side").
**
** Why the three differ where they do:
**   - net-legacy and js ask "updatedAt ge T": the rows at the token's
**     millisecond come back on every pull (re-downloads), but none is ever
**     missed.  net-legacy re-bases on the newest row of the page; js on
**     the last row, and only pages on with $skip while that row still has
**     the token's time.
**   - datasync asks "updatedAt gt T" with __includedeleted (and neither
**     while T is 0, so a first pull gets the live rows only),
**     follows the server's next-page link instead of counting $skip, and
**     writes the token as it goes: no re-downloads, but a row stamped
**     later in the token's own millisecond is never asked for again.
*/
#include "sim/prof.h"
#include "sim/http.h"
#include "sim/wire.h"
#include "lib/xmem.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const prof_names[PROF_NKINDS] = {
	[PROF_NET_LEGACY] = "net-legacy",
	[PROF_JS] = "js",
	[PROF_DATASYNC] = "datasync",
};

const char *
prof_name(prof_kind k)
{
	return (unsigned)k < PROF_NKINDS ? prof_names[k] : "?";
}

const char *
prof_sdk(prof_kind k)
{
	static const char *const sdks[PROF_NKINDS] = {
		[PROF_NET_LEGACY] = "the legacy .NET client",
		[PROF_JS] = "the JavaScript client",
		[PROF_DATASYNC] = "the Datasync client",
	};
	return (unsigned)k < PROF_NKINDS ? sdks[k] : "?";
}

const char *
prof_api_version(prof_kind k)
{
	return k == PROF_DATASYNC ? "3.0.0" : "2.0.0";
}

int
prof_parse(const char *name, prof_kind *k)
{
	for (int i = 0; i < PROF_NKINDS; i++)
		if (strcmp(name, prof_names[i]) == 0) {
			*k = (prof_kind)i;
			return 0;
		}
	return -1;
}

void
prof_pull_start(prof_pull *p, prof_kind k, int64_t token_ms)
{
	memset(p, 0, sizeof *p);
	p->kind = k;
	p->token_ms = token_ms;
	p->top = prof_page_size(k);
}

void
prof_pull_free(prof_pull *p)
{
	free(p->next);
	p->next = NULL;
}

/* "(updatedAt OP datetimeoffset'T')", percent-encoded, T written as the
** profile writes its token (net-legacy: seven digits and +00:00; the
** others: milliseconds and Z, as JavaScript's toISOString).  The Datasync
** client writes OData v4's "cast(T,Edm.DateTimeOffset)" instead
** (EdmTypeSupport.ToODataString). */
static char *
prof_filter(prof_kind k, const char *op, int64_t ms)
{
	char t[64];
	prof_token_text(k == PROF_NET_LEGACY ? k : PROF_JS, ms, t);
	char *f = k == PROF_DATASYNC ?
	    xasprintf("(updatedAt %s cast(%s,Edm.DateTimeOffset))", op, t) :
	    xasprintf("(updatedAt %s datetimeoffset'%s')", op, t);
	char *e = http_escape(f);
	free(f);
	return e;
}

char *
prof_pull_query(const prof_pull *p)
{
	char *f, *q;
	switch (p->kind) {
	case PROF_DATASYNC:
		if (p->next != NULL)
			return xstrdup(p->next);
		/* SyncContext adds the filter and __includedeleted only
		** once there is a token: a first pull has no row to delete
		** and asks for the live rows alone. */
		if (p->token_ms <= 0)
			return xstrdup("$orderby=updatedAt&$count=true");
		f = prof_filter(p->kind, "gt", p->token_ms);
		q = xasprintf("$filter=%s&$orderby=updatedAt&$count=true"
		    "&__includedeleted=true", f);
		free(f);
		return q;
	case PROF_JS:
		/* pull.js adds $skip only once it pages within one time. */
		f = prof_filter(p->kind, "ge", p->token_ms);
		if (p->skip > 0)
			q = xasprintf("$filter=%s&$orderby=updatedAt&$skip=%ld"
			    "&$top=%d&__includeDeleted=true", f, p->skip,
			    p->top);
		else
			q = xasprintf("$filter=%s&$orderby=updatedAt&$top=%d"
			    "&__includeDeleted=true", f,
			    p->top);
		free(f);
		return q;
	default:
		f = prof_filter(p->kind, "ge", p->token_ms);
		q = xasprintf("$filter=%s&$orderby=updatedAt&$skip=%ld"
		    "&$top=%d&__includeDeleted=true", f, p->skip,
		    p->top);
		free(f);
		return q;
	}
}

int
prof_pull_page(prof_pull *p, int n, int64_t last_ms, int64_t max_ms,
    const char *next)
{
	int64_t was = p->token_ms;
	switch (p->kind) {
	case PROF_DATASYNC:
		/* The token is written every item (WriteDeltaTokenInterval
		** 1); rows come in updatedAt order, so after the page it is
		** the newest. */
		if (n > 0 && max_ms > p->token_ms)
			p->token_ms = max_ms;
		free(p->next);
		p->next = next != NULL && n > 0 ? xstrdup(next) : NULL;
		p->done = p->next == NULL;
		return p->token_ms != was;
	case PROF_JS:
		if (n == 0) {
			p->done = 1;
			return 0;
		}
		if (last_ms == p->token_ms)
			p->skip += n;
		else {
			p->token_ms = last_ms;
			p->skip = 0;
		}
		return p->token_ms != was;
	default:
		if (n == 0) {
			p->done = 1;
			return 0;
		}
		if (max_ms > p->token_ms) {
			p->token_ms = max_ms;
			p->skip = 0;
		} else
			p->skip += n;
		return p->token_ms != was;
	}
}

void
prof_token_text(prof_kind k, int64_t ms, char out[64])
{
	char iso[32];
	switch (k) {
	case PROF_DATASYNC:
		snprintf(out, 64, "%" PRId64, ms);
		return;
	case PROF_JS:
		wire_format_time(ms, iso);
		snprintf(out, 64, "%s", iso);
		return;
	default:
		wire_format_time(ms, iso);	/* ...T09:00:00.000Z */
		iso[23] = '\0';
		snprintf(out, 64, "%s0000+00:00", iso);
		return;
	}
}

int
prof_token_parse(prof_kind k, const char *text, int64_t *ms)
{
	if (k == PROF_DATASYNC) {
		char *end;
		long long v = strtoll(text, &end, 10);
		if (end == text || *end != '\0' || v < 0)
			return -1;
		*ms = v;
		return 0;
	}
	return wire_parse_time(text, ms, NULL) == 0 ? 0 : -1;
}

void
prof_token_key(prof_kind k, const char *table, const char *query_id,
    char *out, size_t len)
{
	switch (k) {
	case PROF_DATASYNC:
		snprintf(out, len, "dt.%s.%s", table, query_id);
		return;
	case PROF_JS:
		snprintf(out, len, "__pulltime|%s|%s", table, query_id);
		return;
	default:
		snprintf(out, len, "deltaToken|%s|%s", table, query_id);
		return;
	}
}

int
prof_push_before_pull(prof_kind k)
{
	return k != PROF_JS;
}

int
prof_pending_row_fails(prof_kind k)
{
	return k == PROF_DATASYNC;
}

int
prof_page_size(prof_kind k)
{
	return k == PROF_DATASYNC ? 0 : 50;
}

/* ---- the queue and the push ------------------------------------------- */

/*
** The collapse table (docs/sync-model.md, section 2): the legacy .NET
** client's InsertOperation/UpdateOperation/DeleteOperation.Validate and
** Collapse, which the Datasync client kept; the JavaScript client's
** operations.js getCondenseAction.
*/
prof_collapse
prof_collapse_rule(prof_kind k, int pending, int attempted, int nw)
{
	int js = k == PROF_JS;
	if (pending < 0)
		return PROF_C_ENQUEUE;
	if (nw == 0 || (pending == 2 && nw == 1))
		return PROF_C_REFUSE;	/* in every client */
	if (nw == 1)
		return js ? PROF_C_KEEP : PROF_C_BUMP;
	switch (pending) {
	case 0:
		/* .NET refuses to cancel an insert that may have reached the
		** server; the JS client has no state to tell. */
		return !js && attempted ? PROF_C_REFUSE : PROF_C_CANCEL;
	case 1:
		return js ? PROF_C_DELETE_IN_PLACE : PROF_C_DELETE_AT_END;
	default:
		return js ? PROF_C_DROP : PROF_C_REFUSE;
	}
}

int
prof_keeps_state(prof_kind k)
{
	return k != PROF_JS;
}

const char *
prof_update_method(prof_kind k)
{
	return k == PROF_DATASYNC ? "PUT" : "PATCH";
}

int
prof_delete_gone_ok(prof_kind k, int status)
{
	switch (k) {
	case PROF_JS:
		return 0;
	case PROF_DATASYNC:
		return status == 404 || status == 410;
	default:
		return status == 404;
	}
}

int
prof_error_aborts(prof_kind k)
{
	return k == PROF_JS;
}

int
prof_conflict_hook(prof_kind k)
{
	return k != PROF_DATASYNC;
}
