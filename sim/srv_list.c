/*
** srv_list.c: the backend's list GETs; see srv.h and srv_int.h.
**
** $filter, $orderby, $top, $skip, $select, $inlinecount and __includeDeleted
** become one bound SELECT; a full page carries the next-page Link (D8, D9).
*/
#include "sim/srv.h"
#include "sim/srv_int.h"
#include "sim/odata.h"
#include "sim/wire.h"
#include "lib/jx.h"
#include "lib/rng.h"
#include "lib/sb.h"
#include "lib/xmem.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* ------------------------------------------------------------------ */
/* Lists                                                                */

/* Parses a whole number for $top/$skip (digits only).  -1 if bad. */
static int
srv_whole(const char *v, long long *out)
{
	long long n = 0;

	if (v == NULL || *v == '\0')
		return -1;
	for (const char *p = v; *p; p++) {
		if (!isdigit((unsigned char)*p))
			return -1;
		if (n > (INT64_MAX - 9) / 10)
			return -1;
		n = n * 10 + (*p - '0');
	}
	*out = n;
	return 0;
}

/* A Host header we can put in a URL: host, IPv4, [IPv6], optional port. */
static int
srv_host_ok(const char *h)
{
	if (h == NULL || *h == '\0' || strlen(h) > 255)
		return 0;
	for (const char *p = h; *p; p++)
		if (!(isalnum((unsigned char)*p) || strchr(".-_:[]", *p)))
			return 0;
	return 1;
}

/* The next-page URL: the request's own query minus $skip/$top, then the
** new $skip (and $top when the client set one).  The header is written
** "URL; rel=next" without the angle brackets of RFC 8288, because that is
** what both real clients parse: the JS client (MobileServiceTable.js) and
** the .NET client (LinkHeaderValue) take everything before ";" as the URL
** with the regex ^(.*?);\s*rel\s*=\s*(\w+)\s*$, so "<...>" would stay
** in the URL and following it would fetch a broken address. */
static void
srv_next_link(const http_req *req, const srv_tab *t, long long skip,
    long long top, http_resp *resp)
{
	const char *host = http_req_header(req, "Host");
	const char *q = req->query, *p;
	sb b = SB_INIT;
	int first = 1;

	if (srv_host_ok(host))
		sb_addf(&b, "http://%s", host);
	sb_addf(&b, "/tables/%s?", t->def.name);
	for (p = q; p && *p; ) {
		const char *end = strchr(p, '&');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		const char *eq = memchr(p, '=', len);
		size_t nlen = eq ? (size_t)(eq - p) : len;
		char *raw = xstrndup(p, nlen), *name = http_unescape(raw);
		int drop = len == 0 || strcmp(name, "$skip") == 0 ||
		    strcmp(name, "$top") == 0;
		/* Anything that could break the header goes too. */
		for (size_t i = 0; i < len && !drop; i++)
			if ((unsigned char)p[i] <= ' ' || p[i] == '>' ||
			    p[i] == '<' || (unsigned char)p[i] >= 0x7f)
				drop = 1;
		if (!drop) {
			if (!first)
				sb_addc(&b, '&');
			sb_addn(&b, p, len);
			first = 0;
		}
		free(raw);
		free(name);
		if (end == NULL)
			break;
		p = end + 1;
	}
	if (!first)
		sb_addc(&b, '&');
	sb_addf(&b, "$skip=%lld", skip);
	if (top >= 0)
		sb_addf(&b, "&$top=%lld", top);
	sb_add(&b, "; rel=next");
	http_resp_add_header(resp, "Link", sb_str(&b));
	sb_free(&b);
}

/*
** The reference ignores query text it cannot read.  That hid a real
** interoperability bug: a client that kept the "<...>" of a Link header
** sent "GET /tables/T?<http://...$skip=50>", was answered page 1 again
** with 200, and followed the same link for ever.  synclab says so.
*/
int
srv_query_ok(const http_req *req, http_resp *resp)
{
	const char *p = req->query;

	while (p != NULL && *p) {
		const char *end = strchr(p, '&');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		const char *eq = memchr(p, '=', len);
		size_t nlen = eq ? (size_t)(eq - p) : len;
		char *raw = xstrndup(p, nlen), *name = http_unescape(raw);
		int ok = len == 0 || name[0] != '\0';
		for (const char *c = name; ok && *c; c++)
			if (!isalnum((unsigned char)*c) && !strchr("$_.-", *c))
				ok = 0;
		free(raw);
		free(name);
		if (!ok) {
			srv_error(resp, 400, "The query string is not OData: "
			    "'%.*s' is not an option NAME=VALUE (a next-page "
			    "link is a whole URL to request, not text to add "
			    "to a query)", len > 80 ? 80 : (int)len, p);
			return 0;
		}
		p = end ? end + 1 : NULL;
	}
	return 1;
}

/* A list request's query options, read and checked. */
typedef struct srv_listq {
	long long	 top;		/* -1: not given */
	long long	 skip;
	int		 with_count;	/* $inlinecount=allpages */
	int		 incl;		/* __includeDeleted */
	odata_sql	 where;
	sb		 ord;
	size_t		*sel;		/* $select's fields, when select */
	size_t		 nsel;
	int		 select;
} srv_listq;

static void
srv_listq_free(srv_listq *q)
{
	odata_sql_free(&q->where);
	sb_free(&q->ord);
	free(q->sel);
}

/* $top, $skip and $inlinecount into q: 0, or -1 after writing the 400
** into resp. */
static int
srv_list_numbers(const char *top_s, const char *skip_s, const char *count_s,
    srv_listq *q, http_resp *resp)
{
	if (top_s && srv_whole(top_s, &q->top) < 0) {
		srv_error(resp, 400, "$top must be a whole number, not '%s'",
		    top_s);
		return -1;
	}
	if (q->top > SRV_MAX_TOP) {
		srv_error(resp, 400, "You cannot request more than %d records",
		    SRV_MAX_TOP);
		return -1;
	}
	if (skip_s && srv_whole(skip_s, &q->skip) < 0) {
		srv_error(resp, 400, "$skip must be a whole number, not '%s'",
		    skip_s);
		return -1;
	}
	if (count_s) {
		if (strcmp(count_s, "allpages") == 0)
			q->with_count = 1;
		else if (strcmp(count_s, "none") != 0) {
			srv_error(resp, 400, "$inlinecount must be allpages "
			    "or none");
			return -1;
		}
	}
	return 0;
}

/* $filter, $orderby and $select against t's fields: 0, or -1 after
** writing the 400 into resp. */
static int
srv_list_exprs(const srv_tab *t, const char *filter, const char *orderby,
    const char *select, srv_listq *q, http_resp *resp)
{
	sb msg = SB_INIT;
	int rc = -1;
	if (filter && !srv_utf8_valid(filter, strlen(filter)))
		srv_error(resp, 400, "Invalid $filter: not valid UTF-8");
	else if (filter && odata_filter(filter, t->fields, t->nfields,
	    &q->where, &msg) < 0)
		srv_error(resp, 400, "Invalid $filter: %s", sb_str(&msg));
	else if (orderby && odata_orderby(orderby, t->fields, t->nfields,
	    &q->ord, &msg) < 0)
		srv_error(resp, 400, "Invalid $orderby: %s", sb_str(&msg));
	/*
	** $select, as the reference: exactly the named columns, in the order
	** named, and nothing else (no implicit id).  A client that selects
	** must name id itself if it wants it; "*" gives every column.
	*/
	else if ((q->select = select != NULL) && odata_select(select,
	    t->fields, t->nfields, q->sel, &q->nsel, &msg) < 0)
		srv_error(resp, 400, "Invalid $select: %s", sb_str(&msg));
	else
		rc = 0;
	sb_free(&msg);
	return rc;
}

/* Reads the query options of req into q (zeroed by the caller but for
** sel, room for t's fields).  0, or -1 after writing the 400 into resp. */
static int
srv_listq_read(const srv_tab *t, const http_req *req, srv_listq *q,
    http_resp *resp)
{
	char *filter, *orderby, *select, *top_s, *skip_s, *count_s;
	int incl2 = 0, rc;

	filter = http_query_get(req->query, "$filter", NULL);
	orderby = http_query_get(req->query, "$orderby", NULL);
	select = http_query_get(req->query, "$select", NULL);
	top_s = http_query_get(req->query, "$top", NULL);
	skip_s = http_query_get(req->query, "$skip", NULL);
	count_s = http_query_get(req->query, "$inlinecount", NULL);
	free(http_query_get(req->query, "__includeDeleted", &q->incl));
	/* The .NET Datasync client spells it in lower case. */
	free(http_query_get(req->query, "__includedeleted", &incl2));
	q->incl |= incl2;
	rc = srv_list_numbers(top_s, skip_s, count_s, q, resp);
	if (rc == 0)
		rc = srv_list_exprs(t, filter, orderby, select, q, resp);
	free(filter);
	free(orderby);
	free(select);
	free(top_s);
	free(skip_s);
	free(count_s);
	return rc;
}

/* Appends the FROM and WHERE part, shared by the page and the count. */
static void
srv_list_from(sb *sql, const srv *s, const srv_tab *t, const srv_listq *q)
{
	sb_add(sql, " FROM ");
	sb_add(sql, t->qname);
	if (!q->incl || q->where.sql) {
		sb_add(sql, " WHERE ");
		if (!q->incl)
			sb_add(sql, "\"deleted\" = 0");
		if (!q->incl && q->where.sql)
			sb_add(sql, " AND ");
		if (q->where.sql) {
			sb_addc(sql, '(');
			sb_add(sql, q->where.sql);
			sb_addc(sql, ')');
		}
	}
	/* A per-user table (auth.h): only the caller's rows exist. */
	if (s->scope_col != NULL) {
		sb_add(sql, !q->incl || q->where.sql ? " AND " : " WHERE ");
		sb_addsqlid(sql, s->scope_col);
		sb_add(sql, " = ?");
	}
}

/* Filters that compile but SQLite cannot take (too deep, too many terms)
** are the client's to fix. */
static void
srv_list_complex(srv *s, http_resp *resp)
{
	srv_error(resp, 400, "Invalid $filter: the expression is too complex "
	    "(%s)", sqlite3_errmsg(s->db));
}

/* The $inlinecount: 0 with *count, or -1 after writing the answer. */
static int
srv_list_count(srv *s, const char *from, const srv_listq *q,
    long long *count, http_resp *resp)
{
	sqlite3_stmt *st;	/* from the cache: reset, never finalized */
	char *cq = xasprintf("SELECT COUNT(*)%s", from);
	int rc = srv_cached(s, cq, &st);
	free(cq);
	if (rc != SQLITE_OK) {
		srv_list_complex(s, resp);
		return -1;
	}
	int idx = odata_bind(st, 1, &q->where);
	if (idx >= 0 && s->scope_col != NULL)
		sqlite3_bind_text(st, idx, s->who.sid, -1, SQLITE_STATIC);
	if (idx < 0 || sqlite3_step(st) != SQLITE_ROW) {
		srv_dberror(s, resp);
		sqlite3_reset(st);
		return -1;
	}
	*count = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return 0;
}

void
srv_list(srv *s, srv_tab *t, const http_req *req, http_resp *resp)
{
	srv_listq q = { .top = -1, .ord = SB_INIT };
	sb sql = SB_INIT, body = SB_INIT;
	sqlite3_stmt *st = NULL;	/* from the cache: reset, never finalized */
	int rc, idx;
	long long count = 0, nrows = 0, page;

	q.sel = xcalloc(t->nfields, sizeof *q.sel);
	if (srv_listq_read(t, req, &q, resp) != 0)
		goto out;
	srv_list_from(&sql, s, t, &q);
	if (q.with_count &&
	    srv_list_count(s, sb_str(&sql), &q, &count, resp) != 0)
		goto out;

	/*
	** One page: $top rows when the client gives $top (up to 1000, as
	** the real server answers: an explicit $top is the page size), else
	** the page size of 50.  One row more is read to know whether another
	** page exists, so the Link header appears only when a next page has
	** rows and the client did not bound the answer with $top; the link
	** then carries no $top either, so a client following links reads the
	** whole set (the reference treats a missing $top as 1000 and stops
	** there, which a client cannot see).
	**
	** Without $orderby the order is rowid (insertion) order; with it
	** there is no tie-breaker, as in the reference, so
	** "$orderby=updatedAt" lists equal stamps in whatever order SQLite
	** finds them.
	*/
	page = q.top >= 0 ? q.top : SRV_PAGE_SIZE;
	{
		sb full = SB_INIT;
		sb_addf(&full, "SELECT %s%s ORDER BY %s LIMIT ? OFFSET ?",
		    t->cols, sb_str(&sql), q.ord.len ? sb_str(&q.ord) :
		    "rowid");
		rc = srv_cached(s, sb_str(&full), &st);
		sb_free(&full);
	}
	if (rc != SQLITE_OK) {
		srv_list_complex(s, resp);
		goto out;
	}
	if ((idx = odata_bind(st, 1, &q.where)) < 0)
		goto dberr;
	if (s->scope_col != NULL)
		sqlite3_bind_text(st, idx++, s->who.sid, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, idx, page + 1);
	sqlite3_bind_int64(st, idx + 1, q.skip);
	if (q.with_count)
		sb_add(&body, "{\"results\":");
	sb_addc(&body, '[');
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (nrows == page) {
			/* A next page exists and $top did not bound the
			** answer. */
			if (q.top < 0)
				srv_next_link(req, t, q.skip + page, -1, resp);
			break;
		}
		if (nrows++)
			sb_addc(&body, ',');
		srv_render_row(&body, t, st, q.select ? q.sel : NULL, q.nsel);
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		goto dberr;
	sb_addc(&body, ']');
	if (q.with_count)
		sb_addf(&body, ",\"count\":%lld}", count);
	srv_reply(resp, 200, &body, -1);
	goto out;
dberr:
	srv_dberror(s, resp);
out:
	if (st != NULL)
		sqlite3_reset(st);
	srv_listq_free(&q);
	sb_free(&sql);
	sb_free(&body);
}

