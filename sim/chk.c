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
**      any later applied write by another device supersedes it, "without
**      being seen" when that writer sent no If-Match;
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
	int kind; /* 0 edit, 1 applied write, 2 decision */
	size_t		 ev;		/* trace index */
	const char	*device;	/* borrowed from the trace */
	int if_match; /* writes: the request carried If-Match */
	int		 status;	/* writes: the server's answer */
} chk_rec;

typedef struct chk_row {
	char		*key;		/* "table\x1fid" */
	char		*table;
	char		*id;
	chk_rec		*rec;
	size_t		 nrec;
	size_t		 cap;
} chk_row;

typedef struct chk_map {
	chk_row		*slot;
	size_t		 cap;		/* power of two */
	size_t		 n;
} chk_map;

static chk_row *
chk_map_get(chk_map *m, const char *table, const char *id)
{
	if (m->n * 2 >= m->cap) {
		chk_map old = *m;
		m->cap = old.cap ? old.cap * 2 : 256;
		m->slot = xcalloc(m->cap, sizeof *m->slot);
		m->n = 0;
		for (size_t i = 0; i < old.cap; i++) {
			if (old.slot[i].key == NULL)
				continue;
			size_t h =
			    (size_t)hash_str(old.slot[i].key) & (m->cap - 1);
			while (m->slot[h].key)
				h = (h + 1) & (m->cap - 1);
			m->slot[h] = old.slot[i];
			m->n++;
		}
		free(old.slot);
	}
	char *key = xasprintf("%s\x1f%s", table, id);
	size_t h = (size_t)hash_str(key) & (m->cap - 1);
	while (m->slot[h].key && strcmp(m->slot[h].key, key) != 0)
		h = (h + 1) & (m->cap - 1);
	if (m->slot[h].key) {
		free(key);
		return &m->slot[h];
	}
	chk_row *r = &m->slot[h];
	memset(r, 0, sizeof *r);
	r->key = key;
	r->table = xstrdup(table);
	r->id = xstrdup(id);
	m->n++;
	return r;
}

static void
chk_row_add(chk_row *r, int kind, size_t ev, const char *device, int if_match,
    int status)
{
	if (r->nrec == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 4;
		r->rec = xreallocarray(r->rec, r->cap, sizeof *r->rec);
	}
	chk_rec *c = &r->rec[r->nrec++];
	c->kind = kind;
	c->ev = ev;
	c->device = device;
	c->if_match = if_match;
	c->status = status;
}

static void
chk_map_free(chk_map *m)
{
	for (size_t i = 0; i < m->cap; i++) {
		free(m->slot[i].key);
		free(m->slot[i].table);
		free(m->slot[i].id);
		free(m->slot[i].rec);
	}
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

static const char *
chk_policy_name(dev *d, const char *table)
{
	const pol_table *p = dev_policy(d, table);
	return p ? pol_name(p->spec.kind) : "none";
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

/* What the trace says happened to rows: each row's edits, writes the
** server applied and decisions, and the forced purges (trace indices). */
typedef struct chk_hist {
	chk_map		 m;
	size_t		*purge;
	size_t		 npurge;
} chk_hist;

/* A response (or loss) answering the device's open request q: a write
** the server applied is recorded on its row. */
static void
chk_collect_answer(const trc *t, chk_hist *h, const trc_event *q,
    const trc_event *e)
{
	char table[128], id[256];
	int applied = (e->status >= 200 && e->status < 300) ||
	    (e->status == 404 && q->method && strcmp(q->method, "DELETE") == 0);
	if (!applied || chk_req_row(q, table, sizeof table, id, sizeof id) != 0)
		return;
	chk_row *rw = chk_map_get(&h->m, table, id);
	chk_row_add(rw, 1, (size_t)(q - t->ev), e->device, chk_has_if_match(q),
	    e->status);
}

/* One pass over the trace into h. */
static void
chk_collect(const chk_in *in, chk_hist *h)
{
	const trc *t = in->trace;
	size_t ndev = in->ndevs;
	/* The open request of each device: requests are sequential per
	** device, so the next response or loss of the device answers it. */
	long *open = xcalloc(ndev ? ndev : 1, sizeof *open);
	for (size_t i = 0; i < ndev; i++)
		open[i] = -1;
	for (size_t i = 0; i < t->n; i++) {
		const trc_event *e = &t->ev[i];
		if (e->device == NULL)
			continue;
		int di = scn_device_index(in->scn, e->device);
		if (di < 0)
			continue;
		switch (e->type) {
		case TRC_EDIT:
			if (e->table && e->id)
				chk_row_add(chk_map_get(&h->m, e->table, e->id),
				    0, i, e->device, 0, 0);
			break;
		case TRC_RESOLVE:
		case TRC_DEQUEUE:
			/* Only decisions that drop the device's change count:
			** an operation pushed, collapsed into another or kept
			** queued by policy "none" discards nothing. */
			if (!chk_discards(e))
				break;
			if (e->table && e->id)
				chk_row_add(chk_map_get(&h->m, e->table, e->id),
				    2, i, e->device, 0, 0);
			else if (e->table) {
				/* A forced purge drops the whole table's queue;
				** rows are matched to it when judged. */
				h->purge = xreallocarray(h->purge,
				    h->npurge + 1, sizeof *h->purge);
				h->purge[h->npurge++] = i;
			}
			break;
		case TRC_REQUEST:
			open[di] = (long)i;
			break;
		case TRC_RESPONSE:
		case TRC_LOST:
			if (open[di] < 0)
				break;
			chk_collect_answer(t, h, &t->ev[open[di]], e);
			open[di] = -1;
			break;
		default:
			break;
		}
	}
	free(open);
}

/* The edit ed of dn reached the server (reach): was it overwritten
** afterwards, and by a writer that had seen it? */
static void
chk_judge_reached(chk_report *r, const chk_row *row, const chk_rec *reach,
    const char *dn, const char *kind)
{
	const chk_rec *over = NULL;
	int unseen = 0;
	for (size_t b = 0; b < row->nrec; b++) {
		const chk_rec *w = &row->rec[b];
		/* Only a write the server applied overwrites; a DELETE
		** meeting 404 changed nothing. */
		if (w->kind != 1 || w->ev <= reach->ev || w->status < 200 ||
		    w->status > 299 || strcmp(w->device, dn) == 0)
			continue;
		if (over == NULL)
			over = w;
		if (!w->if_match)
			unseen = 1;
	}
	if (over && unseen) {
		r->superseded++;
		r->unseen++;
		chk_add(r, CHK_UNSEEN, dn, row->table, row->id,
		    "%s's %s of %s/%s reached the server, then %s overwrote "
		    "it without having seen it (no If-Match: the last writer "
		    "wins silently)", dn, kind, row->table, row->id,
		    over->device);
	} else if (over) {
		r->superseded++;
		chk_add(r, CHK_SUPERSEDED, dn, row->table, row->id,
		    "%s's %s of %s/%s reached the server and was later "
		    "superseded by %s, which had seen it (it sent the current "
		    "version)", dn, kind, row->table, row->id, over->device);
	}
}

/* The last recorded decision of dn after its edit ed, for the row or
** for its whole table (a forced purge): its trace index, or 0. */
static size_t
chk_decision(const trc *t, const chk_hist *h, const chk_row *row,
    const chk_rec *ed)
{
	const char *dn = ed->device;
	size_t dec = 0;
	for (size_t b = 0; b < row->nrec; b++)
		if (row->rec[b].kind == 2 && row->rec[b].ev > ed->ev &&
		    strcmp(row->rec[b].device, dn) == 0)
			dec = row->rec[b].ev;
	for (size_t b = 0; b < h->npurge; b++) {
		const trc_event *pe = &t->ev[h->purge[b]];
		if (h->purge[b] > ed->ev && h->purge[b] > dec &&
		    strcmp(pe->device, dn) == 0 &&
		    strcmp(pe->table, row->table) == 0)
			dec = h->purge[b];
	}
	return dec;
}

/* Judges the last edit ed of one device on the row. */
static void
chk_judge_edit(const chk_in *in, const chk_hist *h, const chk_row *row,
    const chk_rec *ed, chk_report *r)
{
	const trc *t = in->trace;
	const trc_event *edit = &t->ev[ed->ev];
	const char *dn = ed->device;
	const char *kind = edit->method ? edit->method : "edit";
	int di = scn_device_index(in->scn, dn);
	dev *d = di < 0 ? NULL : in->devs[di];

	r->edits++;
	/* 1. reached the server */
	for (size_t b = 0; b < row->nrec; b++)
		if (row->rec[b].kind == 1 && row->rec[b].ev > ed->ev &&
		    strcmp(row->rec[b].device, dn) == 0) {
			chk_judge_reached(r, row, &row->rec[b], dn, kind);
			return;
		}
	/* 2. a recorded decision: the last one after the edit speaks */
	size_t dec = chk_decision(t, h, row, ed);
	if (dec) {
		const trc_event *de = &t->ev[dec];
		/* A delete that cancels a pending insert discards nothing
		** the server ever had. */
		if (strcmp(kind, "delete") == 0 &&
		    chk_intent_holds(in->srv, edit))
			return;
		r->discarded++;
		chk_add(r, CHK_DISCARDED, dn, row->table, row->id,
		    "%s's %s of %s/%s never reached the server: %s", dn, kind,
		    row->table, row->id,
		    de->text ? de->text : "a policy discarded it");
		return;
	}
	/* 3. still queued: reported with the queue below */
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
	chk_hist h = { { NULL, 0, 0 }, NULL, 0 };
	chk_collect(in, &h);
	for (size_t k = 0; k < h.m.cap; k++) {
		const chk_row *row = &h.m.slot[k];
		if (row->key == NULL)
			continue;
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
			if (last)
				chk_judge_edit(in, &h, row, ed, r);
		}
	}
	free(h.purge);
	chk_map_free(&h.m);
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
			"o.kind, e.httpStatus FROM __operations o LEFT JOIN "
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
			r->queued++;
			if (!online)
				chk_add(r, CHK_QUEUED, dev_name(d), tb, id,
				    "%s still "
				    "queues the %s of %s/%s: it is offline",
				    dev_name(d), kn, tb, id);
			else if (has_err)
				chk_add(r, CHK_QUEUED, dev_name(d), tb, id,
				    "%s still "
				    "queues the %s of %s/%s: a stuck conflict "
				    "(%d) that "
				    "policy \"%s\" leaves for the app to "
				    "resolve",
				    dev_name(d), kn, tb, id, status,
				    chk_policy_name(d, tb ? tb : ""));
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

static void
chk_converge_table(const chk_in *in, size_t di, const tbl_def *def,
    chk_report *r)
{
	dev *d = in->devs[di];
	sb sel = SB_INIT;
	sb_add(&sel, "SELECT id, version");
	for (size_t i = 0; i < def->ncols; i++) {
		sb_add(&sel, ", ");
		sb_addsqlid(&sel, def->cols[i].name);
	}
	sb_add(&sel, " FROM ");
	sb_addsqlid(&sel, def->name);
	char *qs = xasprintf("%s WHERE deleted = 0 ORDER BY id", sb_str(&sel));
	char *qd = xasprintf("%s ORDER BY id", sb_str(&sel));
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
			if (shown++ < 20)
				chk_add(r, CHK_DIVERGED, dev_name(d), def->name,
				    id,
				    "%s disagrees with the server on %s/%s: %s",
				    dev_name(d), def->name, id ? id : "", what);
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
	    "write%s, %zu superseded (%zu without being seen), %zu discarded "
	    "by policy, %zu operation%s still queued",
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
