/*
** chk.c: the end-of-run checker; see chk.h.
**
** Lost writes are worked out from the trace in one pass, then judged per
** (device, row) on the device's LAST edit of the row: an earlier edit of
** the same row by the same device is always covered by the later one
** (the queue collapses them and a push reads the latest row).  For that
** last edit, in order:
**   1. a later request of the device for the row that the server applied
**      (2xx, even when the response was lost) => it reached the server;
**      a later applied write by another device that replaced a value it
**      set supersedes it, "overwritten unseen" when that writer sent no
**      If-Match (last writer wins) or was a conflict handler re-sending
**      its own row with the server's version (client wins, newest edit
**      wins, a field rule): no person saw the value it replaced;
**   2. a later TRC_RESOLVE or TRC_DEQUEUE of the row on the device, or a
**      TRC_DEQUEUE of its whole table (a forced purge) => a recorded
**      decision discarded it;
**   3. the row's operation is still queued => reported as queued, with
**      the reason;
**   4. the server already holds what the edit wanted (a delete of a row
**      that is gone; the same values) => nothing was lost;
**   5. anything else is an unexplained lost write.
** Convergence compares each online device's local rows with the server's
** live rows by id, version and every user column, with SQL scans in id
** order (a merge join), so large tables stay cheap.
*/
#include "sim/chk.h"
#include "sim/scn.h"
#include "sim/srv.h"
#include "sim/wire.h"
#include "lib/hash.h"
#include "lib/xmem.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *
chk_kind_name(chk_kind k)
{
	switch (k) {
	case CHK_DIVERGED: return "diverged";
	case CHK_LOST: return "lost";
	case CHK_SUPERSEDED: return "superseded";
	case CHK_UNSEEN: return "overwritten-unseen";
	case CHK_DISCARDED: return "discarded";
	case CHK_QUEUED: return "queued";
	case CHK_UNCHECKED: return "unchecked";
	}
	return "?";
}

static void
chk_add(chk_report *r, chk_kind k, const char *device, const char *table,
    const char *id, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

static void
chk_add(chk_report *r, chk_kind k, const char *device, const char *table,
    const char *id, const char *fmt, ...)
{
	r->f = xreallocarray(r->f, r->nf + 1, sizeof *r->f);
	chk_finding *f = &r->f[r->nf++];
	f->kind = k;
	f->device = device ? xstrdup(device) : NULL;
	f->table = table ? xstrdup(table) : NULL;
	f->id = id ? xstrdup(id) : NULL;
	char buf[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	f->text = xstrdup(buf);
}

void
chk_free(chk_report *r)
{
	for (size_t i = 0; i < r->nf; i++) {
		free(r->f[i].device);
		free(r->f[i].table);
		free(r->f[i].id);
		free(r->f[i].text);
	}
	free(r->f);
	memset(r, 0, sizeof *r);
}

/* ---- a small string-keyed hash of rows ---- */

typedef struct chk_rec {
	int		 kind;		/* 0 edit, 1 applied write,
					   2 decision */
	size_t		 ev;		/* trace index (writes: the request) */
	const char	*device;	/* borrowed from the trace */
	int		 if_match;	/* writes: the request carried If-Match */
	int		 status;	/* writes: the server's answer */
	int		 handler;	/* writes: re-sent by a conflict
					   handler, not by a person's edit */
	const char	*after;		/* writes: the row the server answered
					   with (NULL: the answer was lost) */
	const char	*before;	/* writes: the server's row before it,
					   from the previous answer (NULL:
					   the seed row, or unknown) */
} chk_rec;

typedef struct chk_row {
	char		*key;		/* "table\x1fid" */
	char		*table;
	char		*id;
	chk_rec		*rec;
	size_t		 nrec;
	size_t		 cap;
	const char	*cur;		/* the server's row as last answered */
} chk_row;

/*
** The rows met in the trace, in the order first met (so the report's
** order is the trace's), found through a hash of their keys.  The keys
** are ids from a scenario file, so the hash is keyed per process
** (lib/hash.h): no file can make every id land in one slot.
*/
typedef struct chk_map {
	chk_row		*rows;		/* in the order first met */
	size_t		 n;
	size_t		 nalloc;
	size_t		*slot;		/* index into rows + 1; 0: empty */
	size_t		 cap;		/* power of two */
} chk_map;

/* The row of (table, id), added when new.  The pointer is good until
** the next call. */
static chk_row *
chk_map_get(chk_map *m, const char *table, const char *id)
{
	if (m->n * 2 >= m->cap) {
		free(m->slot);
		m->cap = m->cap ? m->cap * 2 : 256;
		m->slot = xcalloc(m->cap, sizeof *m->slot);
		for (size_t i = 0; i < m->n; i++) {
			size_t h = (size_t)hash_key(m->rows[i].key) &
			    (m->cap - 1);
			while (m->slot[h])
				h = (h + 1) & (m->cap - 1);
			m->slot[h] = i + 1;
		}
	}
	char *key = xasprintf("%s\x1f%s", table, id);
	size_t h = (size_t)hash_key(key) & (m->cap - 1);
	while (m->slot[h] && strcmp(m->rows[m->slot[h] - 1].key, key) != 0)
		h = (h + 1) & (m->cap - 1);
	if (m->slot[h]) {
		free(key);
		return &m->rows[m->slot[h] - 1];
	}
	if (m->n == m->nalloc) {
		m->nalloc = m->nalloc ? m->nalloc * 2 : 64;
		m->rows = xreallocarray(m->rows, m->nalloc, sizeof *m->rows);
	}
	chk_row *r = &m->rows[m->n];
	memset(r, 0, sizeof *r);
	r->key = key;
	r->table = xstrdup(table);
	r->id = xstrdup(id);
	m->slot[h] = ++m->n;
	return r;
}

static chk_rec *
chk_row_add(chk_row *r, int kind, size_t ev, const char *device, int if_match,
    int status)
{
	if (r->nrec == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 4;
		r->rec = xreallocarray(r->rec, r->cap, sizeof *r->rec);
	}
	chk_rec *c = &r->rec[r->nrec++];
	memset(c, 0, sizeof *c);
	c->kind = kind;
	c->ev = ev;
	c->device = device;
	c->if_match = if_match;
	c->status = status;
	return c;
}

static void
chk_map_free(chk_map *m)
{
	for (size_t i = 0; i < m->n; i++) {
		free(m->rows[i].key);
		free(m->rows[i].table);
		free(m->rows[i].id);
		free(m->rows[i].rec);
	}
	free(m->rows);
	free(m->slot);
}

/* ---- reading requests ---- */

/*
** The row a write request concerns: "/tables/T/ID" (PATCH, DELETE, POST
** undelete) or "/tables/T" with the id in the body (POST insert).  Fills
** table and id (caller buffers); 0, or -1 for anything else (GET, ...).
*/
static int
chk_req_row(const trc_event *e, char *table, size_t tn, char *id, size_t in)
{
	if (e->method == NULL || e->path == NULL ||
	    strcmp(e->method, "GET") == 0)
		return -1;
	const char *p = e->path;
	if (strncmp(p, "/tables/", 8) != 0)
		return -1;
	p += 8;
	size_t plen = strcspn(p, "?");
	const char *slash = memchr(p, '/', plen);
	if (slash) {
		snprintf(table, tn, "%.*s", (int)(slash - p), p);
		snprintf(id, in, "%.*s", (int)(plen - (size_t)(slash - p) - 1),
		    slash + 1);
		return 0;
	}
	snprintf(table, tn, "%.*s", (int)plen, p);
	cJSON *b = e->body ? cJSON_Parse(e->body) : NULL;
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(b, "id");
	int rc = -1;
	if (cJSON_IsString(v)) {
		snprintf(id, in, "%s", v->valuestring);
		rc = 0;
	}
	cJSON_Delete(b);
	return rc;
}

/* Whether a traced request carried If-Match. */
static int
chk_has_if_match(const trc_event *e)
{
	char *v = trc_header(e, "If-Match");
	free(v);
	return v != NULL;
}

/* ---- per-device facts ---- */

static int
chk_queued(dev *d, const char *table, const char *id, int *status)
{
	sqlite3_stmt *st = NULL;
	int found = 0;
	*status = 0;
	if (sqlite3_prepare_v2(dev_db(d), "SELECT o.id, e.httpStatus FROM "
	    "__operations o LEFT JOIN __errors e ON e.id = o.id WHERE "
	    "o.tableName = ? AND o.itemId = ?", -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, id, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW) {
			found = 1;
			*status = sqlite3_column_int(st, 1);
		}
	}
	sqlite3_finalize(st);
	return found;
}

/* Does the server row carry the edited values (or is it gone, for a
** delete)? */
static int
chk_intent_holds(srv *s, const trc_event *edit)
{
	cJSON *row = srv_get_row(s, edit->table, edit->id);
	int gone = row == NULL ||
	    cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(row, "deleted"));
	int ok = 0;
	if (edit->method && strcmp(edit->method, "delete") == 0)
		ok = gone;
	else if (!gone && edit->body) {
		cJSON *want = cJSON_Parse(edit->body);
		ok = want != NULL;
		const cJSON *m;
		cJSON_ArrayForEach(m, want) {
			if (strcmp(m->string, "id") == 0 ||
			    strcmp(m->string, "version") == 0 ||
			    strcmp(m->string, "createdAt") == 0 ||
			    strcmp(m->string, "updatedAt") == 0 ||
			    strcmp(m->string, "deleted") == 0)
				continue;
			const cJSON *g =
			    cJSON_GetObjectItemCaseSensitive(row, m->string);
			if (g == NULL || !cJSON_Compare(m, g, 1))
				ok = 0;
		}
		cJSON_Delete(want);
	}
	cJSON_Delete(row);
	return ok;
}


/* ---- writes that replace other writes ---- */

/* The seed row table/id of the scenario, or NULL. */
static const cJSON *
chk_seed_row(const scn *sc, const char *table, const char *id)
{
	const cJSON *rows = cJSON_GetObjectItemCaseSensitive(sc->rows, table);
	const cJSON *row;
	cJSON_ArrayForEach(row, rows) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(row, "id");
		if (cJSON_IsString(v) && strcmp(v->valuestring, id) == 0)
			return row;
	}
	return NULL;
}

static int
chk_system_col(const char *name)
{
	return strcmp(name, "id") == 0 || strcmp(name, "version") == 0 ||
	    strcmp(name, "createdAt") == 0 || strcmp(name, "updatedAt") == 0 ||
	    strcmp(name, "deleted") == 0;
}

/* "status: precedence", "notes: client-wins", "qty: merge, falling back
** to client-wins": the rule that decides column col of table in a
** conflict, for a sentence. */
static void
chk_rule_name(const scn_table *tb, const char *col, sb *out)
{
	const pol_spec *sp = tb ? pol_for_field(&tb->policy, col) : NULL;
	sb_addf(out, "%s: %s", col, sp ? pol_name(sp->kind) : "none");
	if (sp && sp->kind == POL_MERGE)
		sb_addf(out, ", falling back to %s", pol_name(sp->fallback));
}

/*
** Did write w (by another device, applied after x) replace a value that
** write x had set?  x's changes are the columns its request sent with a
** value other than the server's row before it (all of them when that row
** is unknown); one is replaced when the server's row after w holds
** another value, unless the column's rule is delta (which adds both
** changes).  Fills cols with "priority (\"urgent\" -> \"low\")" per
** column and rules with the deciding rules.  Returns the count.
*/
static size_t
chk_replaced(const chk_in *in, const chk_row *row, const chk_rec *x,
    const chk_rec *w, sb *cols, sb *rules)
{
	const trc *t = in->trace;
	const trc_event *xq = &t->ev[x->ev], *wq = &t->ev[w->ev];
	if (xq->method == NULL || strcmp(xq->method, "DELETE") == 0 ||
	    xq->body == NULL)
		return 0;
	int wdel = wq->method && strcmp(wq->method, "DELETE") == 0;
	cJSON *sent = cJSON_Parse(xq->body);
	cJSON *before = x->before ? cJSON_Parse(x->before) : NULL;
	const cJSON *seed = x->before == NULL ?
	    chk_seed_row(in->scn, row->table, row->id) : NULL;
	const cJSON *prev = x->before ? before : seed;
	cJSON *after = wdel ? NULL :
	    cJSON_Parse(w->after ? w->after : (wq->body ? wq->body : ""));
	const scn_table *tb = scn_table_find(in->scn, row->table);
	size_t n = 0;
	const cJSON *m;
	cJSON_ArrayForEach(m, sent) {
		if (m->string == NULL || chk_system_col(m->string))
			continue;
		const cJSON *p = cJSON_GetObjectItemCaseSensitive(prev,
		    m->string);
		if (p != NULL && cJSON_Compare(m, p, 1))
			continue;	/* not x's change */
		const cJSON *a = cJSON_GetObjectItemCaseSensitive(after,
		    m->string);
		if (!wdel && (a == NULL || cJSON_Compare(m, a, 1)))
			continue;	/* still there */
		const pol_spec *sp = tb ? pol_for_field(&tb->policy,
		    m->string) : NULL;
		if (w->if_match && w->handler && sp && sp->kind == POL_DELTA)
			continue;	/* delta adds x's change */
		char *xv = cJSON_PrintUnformatted(m);
		char *av = a ? cJSON_PrintUnformatted(a) : NULL;
		if (n < 6)
			sb_addf(cols, "%s%s (%s -> %s)", n ? ", " : "",
			    m->string, xv, wdel ? "deleted" : av);
		cJSON_free(xv);
		cJSON_free(av);
		if (w->handler && w->if_match) {
			sb one = SB_INIT;
			chk_rule_name(tb, m->string, &one);
			sb_addf(rules, "%s%s", sb_str(rules)[0] ? "; " : "",
			    sb_str(&one));
			sb_free(&one);
		}
		n++;
	}
	cJSON_Delete(sent);
	cJSON_Delete(before);
	cJSON_Delete(after);
	return n;
}

/*
** x, the device's last edit of the row, reached the server.  Was it
** replaced later, and did anyone see it first?  A write sent with the
** current version by a person's edit was made by someone whose device
** held x's values; a write with no If-Match (last writer wins) or one
** that a conflict handler re-sent with the server's version replaces x
** without anyone having seen it: "overwritten unseen".
*/
static void
chk_judge_reached(const chk_in *in, const chk_row *row, const chk_rec *x,
    const char *kind, chk_report *r)
{
	const char *dn = x->device;
	const chk_rec *seen = NULL;
	int delta_by = -1;
	for (size_t b = 0; b < row->nrec; b++) {
		const chk_rec *w = &row->rec[b];
		/* Only a write the server applied overwrites; a DELETE
		** meeting 404 changed nothing. */
		if (w->kind != 1 || w->ev <= x->ev || w->status < 200 ||
		    w->status > 299 || strcmp(w->device, dn) == 0)
			continue;
		sb cols = SB_INIT, rules = SB_INIT;
		size_t n = chk_replaced(in, row, x, w, &cols, &rules);
		if (n == 0) {
			if (w->handler && delta_by < 0)
				delta_by = (int)b;
			sb_free(&cols);
			sb_free(&rules);
			continue;
		}
		if (!w->if_match || w->handler) {
			r->superseded++;
			r->unseen++;
			const char *wm = in->trace->ev[w->ev].method;
			if (!w->if_match)
				chk_add(r, CHK_UNSEEN, dn, row->table, row->id,
				    "%s's %s of %s/%s reached the server, then "
				    "%s's %s (%d) replaced %s without anyone "
				    "having seen it: it carried no If-Match, so "
				    "under last-writer-wins the server applies "
				    "it over whatever is there",
				    dn, kind, row->table, row->id, w->device,
				    wm ? wm : "write", w->status,
				    sb_str(&cols));
			else
				chk_add(r, CHK_UNSEEN, dn, row->table, row->id,
				    "%s's %s of %s/%s reached the server, then "
				    "%s met a conflict and its handler (%s) "
				    "re-sent its own row with the server's "
				    "version; that %s (%d) replaced %s without "
				    "a person having seen it",
				    dn, kind, row->table, row->id, w->device,
				    sb_str(&rules), wm ? wm : "write",
				    w->status, sb_str(&cols));
			sb_free(&cols);
			sb_free(&rules);
			return;
		}
		if (seen == NULL)
			seen = w;
		sb_free(&cols);
		sb_free(&rules);
	}
	if (seen) {
		r->superseded++;
		chk_add(r, CHK_SUPERSEDED, dn, row->table, row->id,
		    "%s's %s of %s/%s reached the server and was later "
		    "superseded by %s, whose device held it when the edit was "
		    "made (it sent the current version in If-Match)",
		    dn, kind, row->table, row->id, seen->device);
	} else if (delta_by >= 0) {
		const chk_rec *w = &row->rec[delta_by];
		r->superseded++;
		chk_add(r, CHK_SUPERSEDED, dn, row->table, row->id,
		    "%s's %s of %s/%s reached the server; %s then met a "
		    "conflict, and the row its handler re-sent still holds "
		    "this change",
		    dn, kind, row->table, row->id, w->device);
	}
}

/*
** What led to the decision at trace index dec that dropped the device's
** edit (at index from) of the row: the status that met it and the rule
** that decided ("412 met policy server-wins: ..."), from the last
** TRC_CONFLICT and TRC_RESOLVE of the device for the row in between.
** Nothing for a purge or a collapse.
*/
static void
chk_decision_why(const trc *t, size_t from, size_t dec, const char *dn,
    const chk_row *row, sb *out)
{
	const trc_event *conf = NULL, *res = NULL;
	for (size_t i = from; i <= dec && i < t->n; i++) {
		const trc_event *e = &t->ev[i];
		if (e->device == NULL || strcmp(e->device, dn) != 0 ||
		    e->table == NULL || e->id == NULL ||
		    strcmp(e->table, row->table) != 0 ||
		    strcmp(e->id, row->id) != 0)
			continue;
		if (e->type == TRC_CONFLICT)
			conf = e;
		else if (e->type == TRC_RESOLVE)
			res = e;
	}
	if (res == NULL)
		return;
	if (res->text && strncmp(res->text, "Resolved by hand", 16) == 0) {
		sb_addf(out, "%s ", res->text);
		return;
	}
	int status = res->status ? res->status : conf ? conf->status : 0;
	if (status)
		sb_addf(out, "a %d met the table's rule, which decided: ",
		    status);
	sb_addf(out, "%s ", res->text ? res->text : "");
}

/* ---- lost writes ---- */

/* Whether a TRC_RESOLVE or TRC_DEQUEUE event drops the device's change:
** a policy took the server's row, merged, or discarded it, or the
** operation was cancelled or discarded (collapse, purge). */
static int
chk_discards(const trc_event *e)
{
	static const char *const keep[] = { "keep-queued", "pushed",
	    "collapsed", NULL };
	if (e->method == NULL)
		return 1;
	for (const char *const *k = keep; *k; k++)
		if (strcmp(e->method, *k) == 0)
			return 0;
	return 1;
}

/* What the walk of the trace collects: for every row, the edits, the
** writes the server applied and the decisions that dropped a change;
** the table-wide decisions apart. */
typedef struct chk_walk {
	chk_map		 m;
	size_t		*purge;		/* forced purges: trace indices */
	size_t		 npurge;
	/* The open request of each device: requests are sequential per
	** device, so the next response or loss of the device answers it. */
	long		*open;
	/* Per device: its last event was a conflict handler's decision to
	** send its own row again (a TRC_RESOLVE "push-merged" made by a
	** policy, not "Resolved by hand"), and whether the open request is
	** that re-send. */
	int		*resent;
	int		*open_resent;
} chk_walk;

/* Device di's open request got its answer (or was lost): a write the
** server applied is recorded with the rows before and after it. */
static void
chk_walk_answer(const trc *t, chk_walk *w, int di, const trc_event *e)
{
	if (w->open[di] < 0)
		return;
	const trc_event *q = &t->ev[w->open[di]];
	w->open[di] = -1;
	char table[128], id[256];
	int applied = (e->status >= 200 && e->status < 300) ||
	    (e->status == 404 && q->method && strcmp(q->method, "DELETE") == 0);
	if (!applied || chk_req_row(q, table, sizeof table, id, sizeof id) != 0)
		return;
	chk_row *rw = chk_map_get(&w->m, table, id);
	chk_rec *x = chk_row_add(rw, 1, (size_t)(q - t->ev), e->device,
	    chk_has_if_match(q), e->status);
	x->handler = w->open_resent[di];
	x->before = rw->cur;
	if (e->type == TRC_RESPONSE && e->status >= 200 && e->status < 300 &&
	    e->body)
		x->after = e->body;
	/* A lost answer leaves the server's row unknown (""; NULL stands
	** for the seed row). */
	rw->cur = x->after ? x->after : "";
}

/* Records trace event i of device di. */
static void
chk_walk_event(const trc *t, chk_walk *w, int di, size_t i)
{
	const trc_event *e = &t->ev[i];
	int was_resent = w->resent[di];
	w->resent[di] = e->type == TRC_RESOLVE && e->method &&
	    strcmp(e->method, "push-merged") == 0 && (e->text == NULL ||
	    strncmp(e->text, "Resolved by hand", 16) != 0);
	switch (e->type) {
	case TRC_EDIT:
		if (e->table && e->id)
			chk_row_add(chk_map_get(&w->m, e->table, e->id), 0, i,
			    e->device, 0, 0);
		break;
	case TRC_RESOLVE:
	case TRC_DEQUEUE:
		/* Only decisions that drop the device's change count: an
		** operation pushed, collapsed into another or kept queued by
		** policy "none" discards nothing. */
		if (!chk_discards(e))
			break;
		if (e->table && e->id)
			chk_row_add(chk_map_get(&w->m, e->table, e->id), 2, i,
			    e->device, 0, 0);
		else if (e->table) {
			/* A forced purge drops the whole table's queue; rows
			** are matched to it when judged. */
			w->purge = xreallocarray(w->purge, w->npurge + 1,
			    sizeof *w->purge);
			w->purge[w->npurge++] = i;
		}
		break;
	case TRC_REQUEST:
		w->open[di] = (long)i;
		w->open_resent[di] = was_resent;
		break;
	case TRC_RESPONSE:
	case TRC_LOST:
		chk_walk_answer(t, w, di, e);
		break;
	default:
		break;
	}
}

/* Walks the trace once, filling w (chk_walk_free releases it). */
static void
chk_walk_trace(const chk_in *in, chk_walk *w)
{
	const trc *t = in->trace;
	size_t ndev = in->ndevs ? in->ndevs : 1;
	memset(w, 0, sizeof *w);
	w->open = xcalloc(ndev, sizeof *w->open);
	w->resent = xcalloc(ndev, sizeof *w->resent);
	w->open_resent = xcalloc(ndev, sizeof *w->open_resent);
	for (size_t i = 0; i < in->ndevs; i++)
		w->open[i] = -1;
	for (size_t i = 0; i < t->n; i++) {
		const trc_event *e = &t->ev[i];
		if (e->device == NULL)
			continue;
		int di = scn_device_index(in->scn, e->device);
		if (di >= 0)
			chk_walk_event(t, w, di, i);
	}
	free(w->open);
	free(w->resent);
	free(w->open_resent);
	w->open = NULL;
	w->resent = w->open_resent = NULL;
}

static void
chk_walk_free(chk_walk *w)
{
	free(w->purge);
	chk_map_free(&w->m);
}

/* The trace index of the last recorded decision after edit ed that
** dropped its device's change, for the row or its whole table; 0 for
** none. */
static size_t
chk_last_decision(const trc *t, const chk_walk *w, const chk_row *row,
    const chk_rec *ed)
{
	const char *dn = ed->device;
	size_t dec = 0;
	for (size_t b = 0; b < row->nrec; b++)
		if (row->rec[b].kind == 2 && row->rec[b].ev > ed->ev &&
		    strcmp(row->rec[b].device, dn) == 0)
			dec = row->rec[b].ev;
	for (size_t b = 0; b < w->npurge; b++) {
		const trc_event *pe = &t->ev[w->purge[b]];
		if (w->purge[b] > ed->ev && w->purge[b] > dec &&
		    strcmp(pe->device, dn) == 0 &&
		    strcmp(pe->table, row->table) == 0)
			dec = w->purge[b];
	}
	return dec;
}

/* Judges ed, a device's last edit of the row: it reached the server (and
** was perhaps replaced), a recorded decision discarded it, it is still
** queued, the server holds it anyway, or it is lost. */
static void
chk_judge_edit(const chk_in *in, const chk_walk *w, const chk_row *row,
    const chk_rec *ed, chk_report *r)
{
	const trc *t = in->trace;
	const trc_event *edit = &t->ev[ed->ev];
	const char *dn = ed->device;
	const char *kind = edit->method ? edit->method : "edit";
	int di = scn_device_index(in->scn, dn);
	dev *d = di < 0 ? NULL : in->devs[di];
	/* 1. reached the server */
	const chk_rec *reach = NULL;
	for (size_t b = 0; b < row->nrec && !reach; b++)
		if (row->rec[b].kind == 1 && row->rec[b].ev > ed->ev &&
		    strcmp(row->rec[b].device, dn) == 0)
			reach = &row->rec[b];
	if (reach) {
		chk_judge_reached(in, row, reach, kind, r);
		return;
	}
	/* 2. a recorded decision, for the row or for its whole table: the
	** last one after the edit speaks */
	size_t dec = chk_last_decision(t, w, row, ed);
	if (dec) {
		const trc_event *de = &t->ev[dec];
		/* A delete that cancels a pending insert discards nothing the
		** server ever had. */
		if (strcmp(kind, "delete") == 0 &&
		    chk_intent_holds(in->srv, edit))
			return;
		r->discarded++;
		sb why = SB_INIT;
		chk_decision_why(t, ed->ev, dec, dn, row, &why);
		chk_add(r, CHK_DISCARDED, dn, row->table, row->id,
		    "%s's %s of %s/%s never reached the server: %s%s",
		    dn, kind, row->table, row->id, sb_str(&why),
		    de->text ? de->text : "a policy discarded it");
		sb_free(&why);
		return;
	}
	/* 3. still queued: reported with the queue */
	int status;
	if (d && chk_queued(d, row->table, row->id, &status))
		return;
	/* 4. the server holds it anyway */
	if (chk_intent_holds(in->srv, edit))
		return;
	/* 5. lost */
	r->lost++;
	chk_add(r, CHK_LOST, dn, row->table, row->id,
	    "LOST: %s's %s of %s/%s never reached the server, is no longer "
	    "queued, and no recorded decision discarded it",
	    dn, kind, row->table, row->id);
}

static void
chk_lost_writes(const chk_in *in, chk_report *r)
{
	chk_walk w;
	chk_walk_trace(in, &w);
	for (size_t k = 0; k < w.m.n; k++) {
		const chk_row *row = &w.m.rows[k];
		/* Each device that edited the row, on its last edit. */
		for (size_t a = 0; a < row->nrec; a++) {
			const chk_rec *ed = &row->rec[a];
			if (ed->kind != 0)
				continue;
			int last = 1;
			for (size_t b = a + 1; b < row->nrec; b++)
				if (row->rec[b].kind == 0 &&
				    strcmp(row->rec[b].device, ed->device) == 0)
					last = 0;
			if (!last)
				continue;
			r->edits++;
			chk_judge_edit(in, &w, row, ed, r);
		}
	}
	chk_walk_free(&w);
}

/* The rule that left a failed operation queued: the table's policy when
** it is none or manual (a merge by its fallback), else the field rules
** that are ("the field rule for status, manual"). */
static void
chk_keeper(const scn_table *tb, sb *out)
{
	if (tb == NULL) {
		sb_add(out, "policy \"none\"");
		return;
	}
	const pol_spec *sp = &tb->policy.spec;
	pol_kind k = sp->kind == POL_MERGE ? sp->fallback : sp->kind;
	if (k == POL_NONE || k == POL_MANUAL) {
		sb_addf(out, "policy \"%s\"", pol_name(sp->kind));
		if (sp->kind == POL_MERGE)
			sb_addf(out, " (its fallback \"%s\")", pol_name(k));
		return;
	}
	size_t n = 0;
	for (size_t i = 0; i < tb->policy.nfields; i++) {
		const pol_field *f = &tb->policy.fields[i];
		pol_kind fk = f->spec.kind == POL_MERGE ? f->spec.fallback :
		    f->spec.kind;
		if (fk != POL_NONE && fk != POL_MANUAL)
			continue;
		sb_addf(out, "%sthe field rule for %s (\"%s\")",
		    n++ ? " and " : "", f->field, pol_name(f->spec.kind));
	}
	if (n == 0)
		sb_addf(out, "policy \"%s\"", pol_name(sp->kind));
}

/* Why an operation with an error row is still queued, by its status. */
static void
chk_stuck_why(const chk_in *in, dev *d, const char *table, int kind,
    int status, sb *out)
{
	const scn_table *tb = scn_table_find(in->scn, table);
	(void)d;
	if (status == 409 || status == 412) {
		sb_addf(out, "a stuck conflict (%d %s) that ", status,
		    status == 409 ? "Conflict" : "Precondition Failed");
		chk_keeper(tb, out);
		sb_add(out, " leaves for a person to resolve; every push meets "
		    "it again");
	} else if (status == 404) {
		sb_addf(out, "the server answered 404 Not Found (the row was "
		    "deleted there), not a conflict; ");
		chk_keeper(tb, out);
		sb_addf(out, " keeps the failed %s, as the SDK does with no "
		    "handler, so every push meets the same 404",
		    kind == 2 ? "delete" : "update");
	} else if (status == 0)
		sb_add(out, "its local row is gone, so the push cannot read "
		    "what to send (an error with no HTTP status)");
	else
		sb_addf(out, "the push failed with %d; the operation stays "
		    "queued and is tried again on the next push", status);
}

/* ---- the queue ---- */

static void
chk_queue(const chk_in *in, chk_report *r)
{
	for (size_t i = 0; i < in->ndevs; i++) {
		dev *d = in->devs[i];
		int online = in->online[i];
		sqlite3_stmt *st = NULL;
		if (sqlite3_prepare_v2(dev_db(d),
			"SELECT o.tableName, o.itemId, "
			"o.kind, e.httpStatus, o.sequence FROM __operations o "
			"LEFT JOIN "
			"__errors e "
			"ON e.id = o.id ORDER BY o.sequence",
			-1, &st, NULL) != SQLITE_OK) {
			sqlite3_finalize(st);
			continue;
		}
		while (sqlite3_step(st) == SQLITE_ROW) {
			const char *tb =
			    (const char *)sqlite3_column_text(st, 0);
			const char *id =
			    (const char *)sqlite3_column_text(st, 1);
			int kind = sqlite3_column_int(st, 2);
			int has_err = sqlite3_column_type(st, 3) != SQLITE_NULL;
			int status = sqlite3_column_int(st, 3);
			const char *kn = kind == 0 ? "insert"
			    : kind == 1            ? "update"
						   : "delete";
			char why[512];
			r->queued++;
			if (!online)
				chk_add(r, CHK_QUEUED, dev_name(d), tb, id,
				    "%s still "
				    "queues the %s of %s/%s: it is offline",
				    dev_name(d), kn, tb, id);
			else if (has_err) {
				sb stuck = SB_INIT;
				chk_stuck_why(in, d, tb ? tb : "", kind, status,
				    &stuck);
				chk_add(r, CHK_QUEUED, dev_name(d), tb, id,
				    "%s still queues the %s of %s/%s: %s",
				    dev_name(d), kn, tb, id, sb_str(&stuck));
				sb_free(&stuck);
			}
			else if (dev_push_blocked(d, sqlite3_column_int64(st,
			    4), why, sizeof why))
				chk_add(r, CHK_QUEUED, dev_name(d), tb, id,
				    "%s still queues the %s of %s/%s: %s",
				    dev_name(d), kn, tb, id, why);
			else if (dev_auth_blocked(d, why, sizeof why))
				/* Waiting behind a 401 is not lost: the SDK
				** keeps the operation for the next push. */
				chk_add(r, CHK_QUEUED, dev_name(d), tb, id,
				    "%s still queues the %s of %s/%s: its push "
				    "stopped on a 401 (%s); it goes through "
				    "once the device signs in again or "
				    "refreshes its token",
				    dev_name(d), kn, tb, id, why);
			else
				chk_add(r, CHK_QUEUED, dev_name(d), tb, id,
				    "%s still "
				    "queues the %s of %s/%s: not pushed yet",
				    dev_name(d), kn, tb, id);
		}
		sqlite3_finalize(st);
	}
}

/* ---- convergence ---- */

static int
chk_val_eq(sqlite3_stmt *a, int ia, sqlite3_stmt *b, int ib)
{
	int ta = sqlite3_column_type(a, ia), tb = sqlite3_column_type(b, ib);
	if (ta == SQLITE_NULL || tb == SQLITE_NULL)
		return ta == tb;
	int na = ta == SQLITE_INTEGER || ta == SQLITE_FLOAT;
	int nb = tb == SQLITE_INTEGER || tb == SQLITE_FLOAT;
	if (na || nb)
		return na && nb &&
		    sqlite3_column_double(a, ia) ==
		    sqlite3_column_double(b, ib);
	const char *x = (const char *)sqlite3_column_text(a, ia);
	const char *y = (const char *)sqlite3_column_text(b, ib);
	return x && y && strcmp(x, y) == 0;
}

/* The device keeps the version as the API shows it (base64), the server
** as its counter; compare them as counters. */
static int
chk_ver_eq(sqlite3_stmt *srvst, sqlite3_stmt *devst)
{
	long long sv = sqlite3_column_int64(srvst, 1), dv;
	const char *b64 = (const char *)sqlite3_column_text(devst, 1);
	if (b64 == NULL)
		return 0;
	if (wire_version_parse(b64, &dv) == 0)
		return sv == dv;
	return sqlite3_column_int64(devst, 1) == sv;
}

/* The first operation of d that failed in a push (it has an error row):
** "the update of job/j1 (412)" in out; returns how many there are. */
static long long
chk_stuck_first(dev *d, sb *out)
{
	sqlite3_stmt *st = NULL;
	long long n = 0;
	if (sqlite3_prepare_v2(dev_db(d), "SELECT o.kind, o.tableName, "
	    "o.itemId, e.httpStatus, (SELECT count(*) FROM __errors) FROM "
	    "__operations o JOIN __errors e ON e.id = o.id ORDER BY "
	    "o.sequence LIMIT 1", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW) {
		int kind = sqlite3_column_int(st, 0);
		sb_addf(out, "the %s of %s/%s (%d)", kind == 0 ? "insert" :
		    kind == 1 ? "update" : "delete",
		    (const char *)sqlite3_column_text(st, 1),
		    (const char *)sqlite3_column_text(st, 2),
		    sqlite3_column_int(st, 3));
		n = sqlite3_column_int64(st, 4);
	}
	sqlite3_finalize(st);
	return n;
}

/* Whether d still queues an operation for table/id. */
static int
chk_pending(dev *d, const char *table, const char *id)
{
	int status;
	return chk_queued(d, table, id, &status);
}

static void
chk_converge_table(const chk_in *in, size_t di, const tbl_def *def,
    chk_report *r)
{
	sb stuck = SB_INIT;
	long long nstuck = chk_stuck_first(in->devs[di], &stuck);
	dev *d = in->devs[di];
	sb sel = SB_INIT;
	sb_add(&sel, "SELECT id, version");
	for (size_t i = 0; i < def->ncols; i++) {
		sb_add(&sel, ", ");
		sb_addsqlid(&sel, def->cols[i].name);
	}
	sb_add(&sel, " FROM ");
	sb_addsqlid(&sel, def->name);
	/* A per-user table: the device sees only its user's rows. */
	const auth_table *at = srv_auth(in->srv) ? auth_table_find(
	    srv_auth(in->srv), def->name) : NULL;
	dev_auth_info ai;
	dev_auth_get(d, &ai);
	int scoped = at != NULL && at->user_col[0] != '\0';
	char *qd = xasprintf("%s ORDER BY id", sb_str(&sel));
	if (scoped) {
		sb_add(&sel, " WHERE ");
		sb_addsqlid(&sel, at->user_col);
		sb_add(&sel, " IS ?1 AND");
	} else
		sb_add(&sel, " WHERE");
	char *qs = xasprintf("%s deleted = 0 ORDER BY id", sb_str(&sel));
	sb_free(&sel);
	sqlite3_stmt *ss = NULL, *ds = NULL;
	if (sqlite3_prepare_v2(srv_db(in->srv), qs, -1, &ss, NULL) !=
		SQLITE_OK ||
	    sqlite3_prepare_v2(dev_db(d), qd, -1, &ds, NULL) != SQLITE_OK) {
		chk_add(r, CHK_DIVERGED, dev_name(d), def->name, NULL,
		    "%s: table %s cannot be compared", dev_name(d), def->name);
		r->diverged++;
		r->converged = 0;
		goto out;
	}
	if (scoped)
		sqlite3_bind_text(ss, 1, ai.sid, -1, SQLITE_STATIC);
	int hs = sqlite3_step(ss) == SQLITE_ROW;
	int hd = sqlite3_step(ds) == SQLITE_ROW;
	size_t shown = 0;
	while (hs || hd) {
		const char *sid =
		    hs ? (const char *)sqlite3_column_text(ss, 0) : NULL;
		const char *did =
		    hd ? (const char *)sqlite3_column_text(ds, 0) : NULL;
		int c = !hs ? 1
		    : !hd   ? -1
			    : strcmp(sid ? sid : "", did ? did : "");
		const char *what = NULL;
		const char *id = NULL;
		char buf[256];
		if (c < 0) {
			what = "the server has it, the device does not";
			id = sid;
		} else if (c > 0) {
			what = def->soft_delete
			    ? "the device has it, the server "
			      "does not (or it is deleted there)"
			    : "the device has "
			      "it, the server does not: without soft delete a "
			      "deletion never reaches other devices";
			id = did;
		} else {
			id = sid;
			if (!chk_ver_eq(ss, ds))
				what = "the versions differ";
			for (size_t i = 0; what == NULL && i < def->ncols; i++)
				if (!chk_val_eq(
					ss, (int)i + 2, ds, (int)i + 2)) {
					snprintf(buf, sizeof buf,
					    "column %s differs",
					    def->cols[i].name);
					what = buf;
				}
		}
		if (what) {
			r->diverged++;
			r->converged = 0;
			const char *cause = "";
			char cbuf[512];
			if (id && chk_pending(d, def->name, id))
				cause = "; its own change to the row is still "
				    "queued, so the device keeps it";
			else if (nstuck > 0) {
				snprintf(cbuf, sizeof cbuf, "; its final sync "
				    "stopped after the push, because %s is "
				    "stuck%s, and a sync pulls only after a "
				    "push that went through, so it pulled "
				    "nothing", sb_str(&stuck), nstuck > 1 ?
				    " (with others)" : "");
				cause = cbuf;
			}
			if (shown++ < 20)
				chk_add(r, CHK_DIVERGED, dev_name(d), def->name,
				    id,
				    "%s disagrees with the server on %s/%s: %s%s",
				    dev_name(d), def->name, id ? id : "", what,
				    cause);
		}
		if (c <= 0)
			hs = sqlite3_step(ss) == SQLITE_ROW;
		if (c >= 0)
			hd = sqlite3_step(ds) == SQLITE_ROW;
	}
	if (shown > 20)
		chk_add(r, CHK_DIVERGED, dev_name(d), def->name, NULL,
		    "%s disagrees on %zu more %s rows", dev_name(d), shown - 20,
		    def->name);
out:
	sb_free(&stuck);
	sqlite3_finalize(ss);
	sqlite3_finalize(ds);
	free(qs);
	free(qd);
}

static void
chk_converge(const chk_in *in, chk_report *r)
{
	r->converged = 1;
	const scn *sc = in->scn;
	for (size_t i = 0; i < in->ndevs; i++) {
		if (!in->online[i]) {
			chk_add(r, CHK_UNCHECKED, dev_name(in->devs[i]), NULL,
			    NULL,
			    "%s is offline, so it could not take part in the "
			    "final "
			    "sync; its rows are not compared",
			    dev_name(in->devs[i]));
			continue;
		}
		char why[256];
		if (dev_auth_blocked(in->devs[i], why, sizeof why)) {
			chk_add(r, CHK_UNCHECKED, dev_name(in->devs[i]), NULL,
			    NULL, "%s could not take part in the final sync: "
			    "its requests get 401 (%s); its rows are not "
			    "compared", dev_name(in->devs[i]), why);
			continue;
		}
		for (size_t k = 0; k < sc->ntables; k++)
			chk_converge_table(in, i, &sc->tables[k].def, r);
	}
}

void
chk_examine(const chk_in *in, chk_report *r)
{
	memset(r, 0, sizeof *r);
	chk_converge(in, r);
	chk_lost_writes(in, r);
	chk_queue(in, r);
}

void
chk_verdict(const chk_report *r, sb *out)
{
	if (!r->converged || r->lost)
		sb_add(out, "problems found: ");
	else if (r->unseen)
		sb_add(out, "nothing vanished without a trace, but some "
		    "edits were overwritten unseen: ");
	else
		sb_add(out, "everything looks good: ");
	sb_addf(out, "%s; %zu local edit%s examined, %zu unexplained lost "
	    "write%s, %zu superseded (%zu overwritten unseen), %zu discarded "
	    "by a recorded decision, %zu operation%s still queued",
	    r->converged ? "converged" : "NOT converged", r->edits,
	    r->edits == 1 ? "" : "s", r->lost, r->lost == 1 ? "" : "s",
	    r->superseded, r->unseen, r->discarded, r->queued,
	    r->queued == 1 ? "" : "s");
}

void
chk_format(const chk_report *r, sb *out)
{
	for (size_t i = 0; i < r->nf; i++)
		sb_addf(out, "  %-18s %s\n", chk_kind_name(r->f[i].kind),
		    r->f[i].text);
	chk_verdict(r, out);
	sb_addc(out, '\n');
}
