/*
** dev_pull.c: pull and purge; see dev.h and docs/sync-model.md.
**
** Pull follows PullAction with the incremental strategy: pages of 50
** ordered by updatedAt, re-based on the largest updatedAt seen; a table with
** pending operations is pushed first.  Purge drops a table's rows and its
** delta token (refused while operations are pending, unless forced).
*/
#include "sim/dev_int.h"
#include "lib/xmem.h"
#include "sim/prof.h"
#include "sim/wire.h"

#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A server that keeps answering full pages without moving the token would
** loop forever; no real table here comes near this many pages. */
#define DEV_MAX_PAGES	100000

/* ---- pull -------------------------------------------------------------- */

/*
** A page as the pull applies it.  The page reader (jx_page_read) takes
** nearly every page the backend sends: the values of its rows are spans
** of the text, bound as they are, and each row's text goes into __base as
** it came, with no cJSON tree and nothing printed again.  A page that the
** reader refuses, or that holds a value it cannot bind as written (a
** string or member name with escapes, a number longer than the 63 bytes
** cJSON reads), is parsed by cJSON and its rows' values are filled from
** the tree (dev_row_vals); the row texts stay the reader's when it read
** the page, else each row is printed from the tree.  Either way the rows
** go through the same loop, and tests/test_dev.c checks that both ways
** leave the same rows and __base copies.
*/
typedef struct dev_page {
	jx_page		 pg;
	cJSON		*doc;		/* the tree, when one was needed */
	const cJSON	**tree;		/* each row's object, when doc */
	jx_val		*v;		/* nv values per row */
	size_t		 nv;
	size_t		 n;		/* rows */
	size_t		 cap;		/* rows that v and tree hold */
	int		 spans;		/* pg holds each row's text */
} dev_page;

static void
dev_page_room(dev_page *p, size_t n)
{
	if (n <= p->cap)
		return;
	p->cap = n < 64 ? 64 : n;
	p->v = xreallocarray(p->v, p->cap, p->nv * sizeof *p->v);
	p->tree = xreallocarray(p->tree, p->cap, sizeof *p->tree);
}

static void
dev_page_free(dev_page *p)
{
	jx_page_free(&p->pg);
	cJSON_Delete(p->doc);
	free(p->tree);
	free(p->v);
}

/* The slot of a member name: the system columns first, then def's. */
static long
dev_page_slot(const tbl_def *def, const jx_val *k)
{
	static const char *const sys[TBL_NSYS_COLS] = { TBL_SYS_COLS };
	for (size_t i = 0; i < TBL_NSYS_COLS; i++)
		if (strlen(sys[i]) == k->n && memcmp(sys[i], k->s, k->n) == 0)
			return (long)i;
	for (size_t c = 0; c < def->ncols; c++)
		if (strlen(def->cols[c].name) == k->n &&
		    memcmp(def->cols[c].name, k->s, k->n) == 0)
			return (long)(TBL_NSYS_COLS + c);
	return -1;
}

/* Fills the values of every row from the reader's spans.  0, or -1 when
** a row holds something that only a tree gives right (see dev_page). */
static int
dev_page_spans(dev_page *p, const tbl_def *def)
{
	dev_page_room(p, p->pg.nrows);
	for (size_t r = 0; r < p->pg.nrows; r++) {
		jx_val *v = &p->v[r * p->nv];
		memset(v, 0, p->nv * sizeof *v);
		for (size_t k = p->pg.first[r]; k < p->pg.first[r + 1]; k++) {
			const jx_member *m = &p->pg.m[k];
			/* cJSON refuses a longer number: so does the pull. */
			if (m->key.esc || (m->val.kind == JX_NUMBER &&
			    m->val.n > 63))
				return -1;
			long slot = dev_page_slot(def, &m->key);
			/* The first of repeated names counts, as in cJSON. */
			if (slot < 0 || v[slot].kind != JX_ABSENT)
				continue;
			if (m->val.esc)
				return -1;
			v[slot] = m->val;
		}
	}
	p->n = p->pg.nrows;
	return 0;
}

/* Fills the values of every row from a cJSON tree of the body.  0, or -1
** when the body is not a page of rows. */
static int
dev_page_tree(dev_page *p, const tbl_def *def, const char *body)
{
	p->doc = cJSON_Parse(body);
	const cJSON *rows = p->doc;
	if (cJSON_IsObject(rows))	/* the $inlinecount form */
		rows = cJSON_GetObjectItemCaseSensitive(rows, "results");
	if (!cJSON_IsArray(rows))
		return -1;
	size_t n = (size_t)cJSON_GetArraySize(rows);
	if (p->spans && n != p->pg.nrows)
		p->spans = 0;
	dev_page_room(p, n);
	size_t r = 0;
	for (const cJSON *row = rows->child; row != NULL && r < n;
	    row = row->next, r++) {
		p->tree[r] = row;
		dev_row_vals(def, row, &p->v[r * p->nv]);
	}
	p->n = r;
	return 0;
}

/* Reads the rows of a response into p (what p held before is dropped).
** Returns 0, or -1 when the response is not a page of rows. */
static int
dev_page_load(dev_page *p, const tbl_def *def, const http_resp *resp)
{
	cJSON_Delete(p->doc);
	p->doc = NULL;
	p->n = 0;
	p->spans = 0;
	if (resp->status != 200 || resp->body == NULL)
		return -1;
	p->spans = jx_page_read(&p->pg, resp->body,
	    strlen(resp->body)) == 0;
	if (p->spans && dev_page_spans(p, def) == 0)
		return 0;
	return dev_page_tree(p, def, resp->body);
}

/* Where a pull of one table stands between its pages: the profile's
** state (token, $skip, next link) and the token as text. */
typedef struct dev_pulling {
	char		 key[160];	/* the token's __config key */
	char		 token[64];	/* the delta token as stored */
	prof_pull	 pp;
	char		*path;		/* /tables/T */
	dev_page	 page;
} dev_pulling;

/* Applies the rows of the page inside the pull's transaction: a row with
** a pending operation is skipped, the others written.  *max_ms is raised
** to the newest updatedAt applied.  DEV_OK, or DEV_FAILED with err. */
static dev_status
dev_pull_rows(dev *d, const tbl_def *def, const dev_page *p, int *applied,
    int *skipped, int64_t *max_ms, int64_t *last_ms, sb *err)
{
	/* Most pulls meet a clean table (a dirty one was pushed first):
	** then no row needs its own look in the queue. */
	int dirty = dev_op_count(d, def->name) != 0;
	for (size_t r = 0; r < p->n; r++) {
		const jx_val *v = &p->v[r * p->nv];
		int64_t ms;
		if (v[0].kind != JX_STRING || v[2].kind != JX_STRING ||
		    !tbl_fits(TBL_DATE, &v[2], &ms)) {
			dev_errf(err, "pull of %s: the server sent a row "
			    "without an id or updatedAt", def->name);
			return DEV_FAILED;
		}
		*last_ms = ms;
		int pending = dirty ? dev_op_pending(d, def->name, v[0].s,
		    v[0].n) : 0;
		if (pending < 0) {
			dev_store_err(d, err);
			return DEV_FAILED;
		}
		if (pending > 0 && prof_pending_row_fails(d->cfg.client)) {
			/* The Datasync toolkit throws here instead of
			** skipping the row. */
			dev_errf(err, "pull of %s: row %.*s has a pending "
			    "operation, which fails a pull of the %s client",
			    def->name, (int)v[0].n, v[0].s,
			    prof_name(d->cfg.client));
			return DEV_FAILED;
		}
		if (pending > 0) {
			/* A row with a pending operation is not overwritten:
			** the local edit wins until it is pushed. */
			(*skipped)++;
			continue;
		}
		if (ms > *max_ms)
			*max_ms = ms;
		if (dev_row_from_values(d, def, v,
		    p->spans ? p->pg.rows[r].s : NULL,
		    p->spans ? p->pg.rows[r].n : 0,
		    p->doc != NULL ? p->tree[r] : NULL, err) != 0)
			return DEV_FAILED;
		(*applied)++;
	}
	return DEV_OK;
}

/* Applies a loaded page of n rows in one transaction and moves the token
** (or $skip, or the next link) past it by the profile's rules (prof.h).
** DEV_OK, or DEV_FAILED with err. */
static dev_status
dev_pull_apply(dev *d, const tbl_def *def, dev_pulling *at, int page,
    const char *next, dev_pull_result *res, sb *err)
{
	int applied = 0, skipped = 0, n = (int)at->page.n;
	int64_t max_ms = at->pp.token_ms, last_ms = 0;
	prof_kind k = at->pp.kind;
	if (dev_begin(d) != 0) {
		dev_store_err(d, err);
		return DEV_FAILED;
	}
	if (dev_pull_rows(d, def, &at->page, &applied, &skipped, &max_ms,
	    &last_ms, err) != DEV_OK) {
		dev_rollback(d);
		dev_trace(d, TRC_ERROR, def->name, NULL, "pull", "%s",
		    sb_str(err));
		return DEV_FAILED;
	}
	char note[240];
	int moved = prof_pull_page(&at->pp, n, last_ms, max_ms, next);
	if (moved)
		prof_token_text(k, at->pp.token_ms, at->token);
	if (k == PROF_DATASYNC)
		snprintf(note, sizeof note, "the Datasync client's delta token "
		    "%s %s (written after every row); %s", moved ? "moves to" : "stays at",
		    at->token, at->pp.done ? "no next link, so the pull "
		    "ends" : "the next page is the server's next link");
	else if (moved && k == PROF_JS)
		snprintf(note, sizeof note, "the JavaScript client moves the "
		    "delta token to %s (the last row's updatedAt) and starts "
		    "the next page again at $skip=0", at->token);
	else if (moved)
		/* Re-base on the newest row: rows that move to the end while
		** we page are met again, never skipped. */
		snprintf(note, sizeof note, "the .NET client moves the delta "
		    "token to %s and starts the next page at $skip=0",
		    at->token);
	else if (k == PROF_JS)
		snprintf(note, sizeof note, "the last row has the token's own "
		    "time, so the JavaScript client keeps the token and pages "
		    "on with $skip=%ld", at->pp.skip);
	else
		snprintf(note, sizeof note, "no newer updatedAt, so the .NET "
		    "client keeps the token and pages on with $skip=%ld",
		    at->pp.skip);
	if ((moved && dev_config_put(d, at->key, at->token) != 0) ||
	    dev_commit(d) != 0) {
		dev_rollback(d);
		dev_store_err(d, err);
		return DEV_FAILED;
	}
	res->received += n;
	res->applied += applied;
	res->skipped += skipped;
	dev_trace(d, TRC_PULL, def->name, NULL, "page", "Page %d: %d row(s), "
	    "%d applied, %d skipped (pending local operations); %s.",
	    page + 1, n, applied, skipped, note);
	return DEV_OK;
}

/* The query of a next-page Link ("URL; rel=next"), or NULL; caller
** frees. */
static char *
dev_next_query(const http_resp *resp)
{
	const char *l = http_resp_header(resp, "Link");
	const char *q = l ? strchr(l, '?') : NULL;
	const char *semi = l ? strchr(l, ';') : NULL;
	if (q == NULL || semi == NULL || semi < q || strstr(semi, "next") ==
	    NULL)
		return NULL;
	return xstrndup(q + 1, (size_t)(semi - q - 1));
}

/* Asks for one page, applies it and moves the token; at->pp.done is set
** when the pull ends (an empty page; datasync: no next link).  DEV_OK or the status that ends it. */
static dev_status
dev_pull_page(dev *d, const tbl_def *def, dev_pulling *at, int page,
    dev_pull_result *res, sb *err)
{
	char *query = prof_pull_query(&at->pp);
	http_req req;
	http_resp resp;
	dev_request(d, &req, "GET", at->path, query, NULL);
	free(query);
	res->pages++;
	if (dev_send(d, &req, &resp, NULL) != 0) {
		dev_trace(d, TRC_ERROR, def->name, NULL, "pull", "No response: "
		    "the pull stops; the token saved so far (%s) is kept, so "
		    "the next pull resumes there.", at->token);
		dev_errf(err, "pull of %s: network error", def->name);
		return DEV_ABORTED;
	}
	res->last_status = resp.status;
	dev_status out = DEV_OK;
	if (dev_page_load(&at->page, def, &resp) != 0) {
		dev_trace(d, TRC_ERROR, def->name, NULL, "pull", "The pull got "
		    "%d %s instead of a page of rows and stops.", resp.status,
		    http_reason(resp.status));
		dev_errf(err, "pull of %s: %d %s", def->name, resp.status,
		    http_reason(resp.status));
		out = resp.status == 401 ? DEV_ABORTED : DEV_FAILED;
	} else if (at->page.n == 0) {
		dev_trace(d, TRC_PULL, def->name, NULL, "done", "An empty page "
		    "ends the pull; the delta token stays at %s.", at->token);
		prof_pull_page(&at->pp, 0, 0, 0, NULL);
	} else {
		char *next = dev_next_query(&resp);
		out = dev_pull_apply(d, def, at, page, next, res, err);
		free(next);
	}
	/* The page's spans point into the body: it goes last. */
	http_resp_free(&resp);
	cJSON_Delete(at->page.doc);
	at->page.doc = NULL;
	return out;
}

/* PullAction.HandleDirtyTable: a dirty table is pushed first, and a push
** that does not complete fails the pull.  DEV_OK or the push's status. */
static dev_status
dev_pull_dirty(dev *d, const tbl_def *def, dev_pull_result *res, sb *err)
{
	if (dev_op_count(d, def->name) <= 0)
		return DEV_OK;
	if (!prof_push_before_pull(d->cfg.client)) {
		dev_trace(d, TRC_PULL, def->name, NULL, "push", "The table has "
		    "pending operations; the %s client pulls without pushing "
		    "them first, and rows that have one are not overwritten.",
		    prof_name(d->cfg.client));
		return DEV_OK;
	}
	dev_push_result pr;
	memset(&pr, 0, sizeof pr);
	dev_trace(d, TRC_PULL, def->name, NULL, "push", "The table has "
	    "pending operations, so the pull pushes them first.");
	dev_status ps = dev_push_some(d, def->name, &pr, err);
	if (ps != DEV_OK) {
		dev_trace(d, TRC_ERROR, def->name, NULL, "pull", "The push "
		    "before the pull did not complete, so the pull fails too "
		    "(as PullAsync throws the push's exception); nothing is "
		    "downloaded.");
		res->last_status = pr.last_status;
	}
	return ps;
}

static dev_status
dev_pull_one(dev *d, const tbl_def *def, int max_pages, dev_pull_result *res,
    sb *err)
{
	dev_status out = dev_pull_dirty(d, def, res, err);
	if (out != DEV_OK)
		return out;
	dev_pulling at;
	prof_kind k = d->cfg.client;
	int64_t token_ms = 0;
	memset(&at, 0, sizeof at);
	at.page.nv = TBL_NSYS_COLS + def->ncols;
	prof_token_key(k, def->name, def->name, at.key, sizeof at.key);
	if (dev_config_get(d, at.key, at.token, sizeof at.token) == NULL ||
	    prof_token_parse(k, at.token, &token_ms) != 0) {
		token_ms = 0;
		prof_token_text(k, 0, at.token);
	}
	prof_pull_start(&at.pp, k, token_ms);
	/* The scenario's pageSize is the $top of the clients that send
	** one (the Datasync client sends none: the server's page size). */
	if (k != PROF_DATASYNC && d->page_size > 0)
		at.pp.top = d->page_size;
	/* A pull that an earlier step stopped between two pages resumes
	** at its $skip (the token was saved with its last page; the
	** Datasync client resumes from its token alone). */
	char rkey[200], rval[32];
	snprintf(rkey, sizeof rkey, "pullSkip|%s|%s", def->name, def->name);
	if (dev_config_get(d, rkey, rval, sizeof rval) != NULL &&
	    rval[0] != '\0') {
		char *end;
		long sk = strtol(rval, &end, 10);
		if (*end == '\0' && sk >= 0) {
			at.pp.skip = k == PROF_DATASYNC ? 0 : sk;
			dev_trace(d, TRC_PULL, def->name, NULL, "resume", "The "
			    "pull resumes where the earlier one stopped: delta "
			    "token %s, $skip=%ld.", at.token, at.pp.skip);
		}
		if (dev_config_put(d, rkey, "") != 0) {
			dev_store_err(d, err);
			return DEV_FAILED;
		}
	}
	at.path = dev_path(def->name, NULL);
	for (int page = 0; out == DEV_OK && !at.pp.done; page++) {
		if (max_pages > 0 && page >= max_pages) {
			snprintf(rval, sizeof rval, "%ld", at.pp.skip);
			if (dev_config_put(d, rkey, rval) != 0) {
				dev_store_err(d, err);
				out = DEV_FAILED;
				break;
			}
			dev_trace(d, TRC_PULL, def->name, NULL, "paused", "The "
			    "step stops the pull after %d page(s), as if the "
			    "app paused between two pages; the delta token "
			    "(%s) and $skip=%ld are kept, so the next pull of "
			    "%s goes on with the next page. (An SDK pages "
			    "without pausing; the pause lets another device "
			    "write in between.)", max_pages, at.token, at.pp.skip,
			    def->name);
			break;
		}
		if (page >= DEV_MAX_PAGES) {
			dev_errf(err, "pull of %s: more than %d pages without "
			    "an end", def->name, DEV_MAX_PAGES);
			out = DEV_FAILED;
			break;
		}
		out = dev_pull_page(d, def, &at, page, res, err);
	}
	free(at.path);
	prof_pull_free(&at.pp);
	dev_page_free(&at.page);
	return out;
}

/* The defined tables [*lo, *hi) that a pull or a purge of table covers
** (NULL: every one): DEV_OK, or DEV_FAILED with err and an empty range
** when there is no such table. */
static dev_status
dev_tables(dev *d, const char *table, size_t *lo, size_t *hi, sb *err)
{
	*lo = 0;
	*hi = d->ntables;
	if (table == NULL)
		return DEV_OK;
	long i = dev_find(d, table);
	if (i < 0) {
		dev_errf(err, "%s has no table %s", d->cfg.name, table);
		*hi = 0;
		return DEV_FAILED;
	}
	*lo = (size_t)i;
	*hi = *lo + 1;
	return DEV_OK;
}

void
dev_set_page_size(dev *d, int n)
{
	if (n >= 1 && n <= 1000)
		d->page_size = n;
}

dev_status
dev_pull(dev *d, const char *table, dev_pull_result *res, sb *err)
{
	return dev_pull_pages(d, table, 0, res, err);
}

/* err may be NULL: the messages still go to the trace. */
dev_status
dev_pull_pages(dev *d, const char *table, int max_pages,
    dev_pull_result *res, sb *err)
{
	dev_pull_result local;
	sb tmp = SB_INIT;
	size_t lo, hi;
	if (res == NULL)
		res = &local;
	memset(res, 0, sizeof *res);
	if (err == NULL)
		err = &tmp;
	dev_status st = dev_tables(d, table, &lo, &hi, err);
	for (size_t i = lo; i < hi && st == DEV_OK; i++)
		st = dev_pull_one(d, &d->defs[i], max_pages, res, err);
	sb_free(&tmp);
	return st;
}

/* ---- purge ------------------------------------------------------------- */

static dev_status
dev_purge_one(dev *d, const tbl_def *def, int force, sb *err)
{
	int64_t nops = dev_op_count(d, def->name);
	char sql[200], key[160];
	sqlite3_stmt *st;
	if (nops > 0 && !force) {
		dev_errf(err, "%s has %lld pending operation(s): the purge is "
		    "refused (PurgeAsync throws unless force is set)", def->name,
		    (long long)nops);
		dev_trace(d, TRC_ERROR, def->name, NULL, "purge", "%s",
		    sb_str(err));
		return DEV_FAILED;
	}
	if (dev_begin(d) != 0)
		goto local;
	/* A forced purge discards the table's operations and their errors
	** (the errors first: they are found through the operations); the
	** last statement resets the delta token. */
	static const char *const dels[] = {
		("DELETE FROM __errors WHERE id IN (SELECT id FROM __operations "
		    "WHERE tableName = ?1) OR tableName = ?1"),
		"DELETE FROM __operations WHERE tableName = ?1",
		"DELETE FROM __base WHERE tableName = ?1",
		"DELETE FROM __config WHERE id = ?1",
		"DELETE FROM __config WHERE id = 'pullSkip|' || ?1 || '|' || ?1",
	};
	prof_token_key(d->cfg.client, def->name, def->name, key, sizeof key);
	for (size_t i = 0; i < sizeof dels / sizeof dels[0]; i++) {
		if (dev_prepare(d, dels[i], &st, err) != 0)
			goto rollback;
		sqlite3_bind_text(st, 1, i == 3 ? key : def->name, -1,
		    SQLITE_TRANSIENT);
		if (sqlite3_step(st) != SQLITE_DONE) {
			sqlite3_finalize(st);
			goto rollback;
		}
		sqlite3_finalize(st);
	}
	snprintf(sql, sizeof sql, "DELETE FROM \"%s\"", def->name);
	if (dev_exec(d, sql) != 0 || dev_commit(d) != 0)
		goto rollback;
	if (nops > 0)
		dev_trace(d, TRC_DEQUEUE, def->name, NULL, "discarded", "The "
		    "forced purge discards %lld pending operation(s) of %s and "
		    "their errors: those local changes will never reach the "
		    "server.", (long long)nops, def->name);
	char zero[64];
	prof_token_text(d->cfg.client, 0, zero);
	dev_trace(d, TRC_NOTE, def->name, NULL, "purge", "Purged %s: every "
	    "local row is gone and the delta token is reset to %s, so the "
	    "next pull downloads the whole table again.", def->name, zero);
	return DEV_OK;
rollback:
	dev_rollback(d);
local:
	dev_store_err(d, err);
	return DEV_FAILED;
}

/* err may be NULL: the messages still go to the trace. */
dev_status
dev_purge(dev *d, const char *table, int force, sb *err)
{
	sb tmp = SB_INIT;
	size_t lo, hi;
	if (err == NULL)
		err = &tmp;
	dev_status st = dev_tables(d, table, &lo, &hi, err);
	for (size_t i = lo; i < hi && st == DEV_OK; i++)
		st = dev_purge_one(d, &d->defs[i], force, err);
	sb_free(&tmp);
	return st;
}

