/*
** model.c: what the panes of the scenario view show, read off a run.
**
** The panes draw from this model, never from the stores directly: it is
** read once each time the run changes (a step, a step back, an action),
** so a frame costs no SQL, and comparing two models gives the cells that
** the last step changed.  Every string is copied: the model outlives the
** pointers the engine lends.
*/
#include "ui/model.h"

#include <stdlib.h>
#include <string.h>

#include "lib/xmem.h"
#include "sim/out.h"

static const char *const model_sys_cols[] = { "id", "version", "updatedAt",
    "deleted" };
#define MODEL_NSYS 4

/* A cell as text: strings as they are, numbers without a needless
** fraction, booleans as true/false, null or absent as "-". */
static char *
model_cell(const cJSON *row, const char *col)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(row, col);
	/* A table without soft delete sends no "deleted": its rows are
	** live, shown as an empty cell like deleted = false. */
	if (v == NULL && strcmp(col, "deleted") == 0)
		return xstrdup("");
	if (v == NULL || cJSON_IsNull(v))
		return xstrdup("-");
	if (cJSON_IsString(v)) {
		if (strcmp(col, "updatedAt") == 0 && strlen(v->valuestring) >= 23)
			/* "2026-03-02T09:00:01.250Z": the time is what moves. */
			return xstrndup(v->valuestring + 11, 12);
		return xstrdup(v->valuestring);
	}
	if (cJSON_IsBool(v)) {
		if (strcmp(col, "deleted") == 0)
			return xstrdup(cJSON_IsTrue(v) ? "yes" : "");
		return xstrdup(cJSON_IsTrue(v) ? "true" : "false");
	}
	if (cJSON_IsNumber(v)) {
		double d = v->valuedouble;
		/* The range first: converting a double beyond long long's is
		** undefined. */
		if (d < 1e15 && d > -1e15 && d == (double)(long long)d)
			return xasprintf("%lld", (long long)d);
		return xasprintf("%g", d);
	}
	char *s = cJSON_PrintUnformatted(v);
	char *r = xstrdup(s ? s : "?");
	free(s);
	return r;
}

/* The ids of a table's rows in insertion order. */
static size_t
model_ids(sqlite3 *db, const char *table, char ***out, sb *err)
{
	sb sql = SB_INIT;
	sqlite3_stmt *st = NULL;
	size_t n = 0;
	*out = NULL;
	/* table names were validated by the scenario loader (srv_valid_ident),
	** so quoting them is enough. */
	sb_add(&sql, "SELECT id FROM ");
	sb_addsqlid(&sql, table);
	sb_add(&sql, " ORDER BY rowid");
	if (sqlite3_prepare_v2(db, sb_str(&sql), -1, &st, NULL) != SQLITE_OK) {
		sb_addf(err, "%s: %s", table, sqlite3_errmsg(db));
		sb_free(&sql);
		return 0;
	}
	while (sqlite3_step(st) == SQLITE_ROW) {
		const unsigned char *id = sqlite3_column_text(st, 0);
		*out = xreallocarray(*out, n + 1, sizeof **out);
		(*out)[n++] = xstrdup(id ? (const char *)id : "");
	}
	sqlite3_finalize(st);
	sb_free(&sql);
	return n;
}

static void
model_table(struct m_table *t, const srv_table_def *def, srv *s, dev *d,
    sb *err)
{
	t->name = xstrdup(def->name);
	t->ncols = MODEL_NSYS + def->ncols;
	t->cols = xcalloc(t->ncols, sizeof *t->cols);
	for (size_t i = 0; i < MODEL_NSYS; i++)
		t->cols[i] = xstrdup(model_sys_cols[i]);
	for (size_t i = 0; i < def->ncols; i++)
		t->cols[MODEL_NSYS + i] = xstrdup(def->cols[i].name);
	char **ids;
	size_t n = model_ids(s ? srv_db(s) : dev_db(d), def->name, &ids, err);
	t->rows = xcalloc(n ? n : 1, sizeof *t->rows);
	for (size_t i = 0; i < n; i++) {
		cJSON *row = s ? srv_get_row(s, def->name, ids[i]) :
		    dev_get_row(d, def->name, ids[i]);
		struct m_row *r = &t->rows[t->nrows++];
		r->cells = xcalloc(t->ncols, sizeof *r->cells);
		r->chg = xcalloc(t->ncols, 1);
		for (size_t c = 0; c < t->ncols; c++)
			r->cells[c] = row ? model_cell(row, t->cols[c]) :
			    xstrdup(c == 0 ? ids[i] : "?");
		r->deleted = row && cJSON_IsTrue(cJSON_GetObjectItem(row,
		    "deleted"));
		cJSON_Delete(row);
		free(ids[i]);
	}
	free(ids);
}

static const char *
model_kind(int k)
{
	static const char *const names[] = { "insert", "update", "delete" };
	return k >= 0 && k < 3 ? names[k] : "?";
}

static const char *
model_state(int k)
{
	static const char *const names[] = { "pending", "attempted", "failed" };
	return k >= 0 && k < 3 ? names[k] : "?";
}

/* "note/n1" when the store has several tables, else just "n1": device
** panes are narrow. */
static char *
model_item(const struct m_store *m, const unsigned char *table,
    const char *id)
{
	if (m->nt > 1)
		return xasprintf("%s/%s", table ? (const char *)table : "?", id);
	return xstrdup(id);
}

/* The version an operation's write will carry in If-Match when it is
** pushed: the local row's version as the device holds it now (the push
** reads it then, not when the edit was queued).  An insert is a POST
** with none, and a last-writer-wins table never sends one. */
static void
model_ifmatch(const struct m_store *m, const scn *sc, const char *table,
    const char *id, int kind, sb *out)
{
	if (kind == 0) {
		sb_add(out, "POST");
		return;
	}
	const scn_table *st = sc ? scn_table_find(sc, table) : NULL;
	if (st && st->policy.spec.kind == POL_LAST_WRITER_WINS) {
		sb_add(out, "no If-Match (last-writer-wins)");
		return;
	}
	for (size_t t = 0; t < m->nt; t++) {
		if (strcmp(m->t[t].name, table) != 0)
			continue;
		for (size_t r = 0; r < m->t[t].nrows; r++) {
			const struct m_row *row = &m->t[t].rows[r];
			if (strcmp(row->cells[0], id) != 0)
				continue;
			const char *v = row->cells[1];
			if (*v && strcmp(v, "-") != 0)
				sb_addf(out, "If-Match %s", v);
			else
				sb_add(out, "no If-Match");
			return;
		}
	}
	sb_add(out, "no If-Match");
}

static void
model_queue(struct m_store *m, sqlite3 *db, const scn *sc)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, "SELECT kind, state, tableName, itemId "
	    "FROM __operations ORDER BY sequence", -1, &st, NULL) ==
	    SQLITE_OK) {
		while (sqlite3_step(st) == SQLITE_ROW) {
			m->ops = xreallocarray(m->ops, m->nops + 1,
			    sizeof *m->ops);
			const unsigned char *id = sqlite3_column_text(st, 3);
			const unsigned char *tn = sqlite3_column_text(st, 2);
			const char *ids = id ? (const char *)id : "?";
			char *item = model_item(m, tn, ids);
			int kind = sqlite3_column_int(st, 0);
			sb im = SB_INIT;
			model_ifmatch(m, sc, tn ? (const char *)tn : "", ids,
			    kind, &im);
			m->ops[m->nops++] = xasprintf("%s %s %s, %s",
			    model_kind(kind), item,
			    model_state(sqlite3_column_int(st, 1)),
			    sb_str(&im));
			sb_free(&im);
			free(item);
		}
		sqlite3_finalize(st);
	} else
		sb_addf(&m->err, "__operations: %s", sqlite3_errmsg(db));
	if (sqlite3_prepare_v2(db, "SELECT httpStatus, operationKind, "
	    "tableName, item FROM __errors ORDER BY rowid", -1, &st, NULL) !=
	    SQLITE_OK) {
		sb_addf(&m->err, "__errors: %s", sqlite3_errmsg(db));
		return;
	}
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *item = (const char *)sqlite3_column_text(st, 3);
		cJSON *j = item ? cJSON_Parse(item) : NULL;
		const cJSON *id = cJSON_GetObjectItem(j, "id");
		m->errs = xreallocarray(m->errs, m->nerrs + 1, sizeof *m->errs);
		char *it = model_item(m, sqlite3_column_text(st, 2),
		    cJSON_IsString(id) ? id->valuestring : "?");
		m->errs[m->nerrs++] = xasprintf("%d %s %s",
		    sqlite3_column_int(st, 0),
		    model_kind(sqlite3_column_int(st, 1)), it);
		free(it);
		cJSON_Delete(j);
	}
	sqlite3_finalize(st);
}

static void
model_add_line(struct ui_model *m, const char *text, const char *right,
    int role, size_t step)
{
	if (m->ntl == m->captl) {
		m->captl = m->captl ? m->captl * 2 : 64;
		m->tl = xreallocarray(m->tl, m->captl, sizeof *m->tl);
	}
	m->tl[m->ntl].text = xstrdup(text);
	m->tl[m->ntl].right = right ? xstrdup(right) : NULL;
	m->tl[m->ntl].role = role;
	m->tl[m->ntl].step = step;
	m->ntl++;
}

static int
model_status_role(int status)
{
	if (status == 0)
		return UI_ERR;
	if (status < 300)
		return UI_OK;
	if (status == 409 || status == 412)
		return UI_WARN;
	return UI_ERR;
}

/* The timeline: one line per step start and per HTTP exchange. */
static void
model_timeline(struct ui_model *m, const trc *t)
{
	sb line = SB_INIT, res = SB_INIT;
	const trc_event *pending = NULL;
	for (size_t i = 0; i < t->n; i++) {
		const trc_event *e = &t->ev[i];
		switch (e->type) {
		case TRC_STEP:
			sb_reset(&line);
			sb_addf(&line, "-- %zu. %s", e->step + 1,
			    e->text ? e->text : "");
			model_add_line(m, sb_str(&line), NULL, UI_DIM, e->step);
			break;
		case TRC_REQUEST:
			pending = e;
			break;
		case TRC_RESPONSE:
		case TRC_LOST:
			if (pending == NULL)
				break;
			sb_reset(&line);
			sb_reset(&res);
			if (e->type == TRC_LOST && e->text &&
			    strncmp(e->text, "no network", 10) == 0) {
				/* An offline device sends nothing: its
				** client fails the request before any
				** byte leaves. */
				out_http_line(pending, NULL, 0, &line, NULL);
				sb_add(&res, "  -> not sent: offline");
			} else
				out_http_line(pending, e, e->type == TRC_LOST,
				    &line, &res);
			model_add_line(m, sb_str(&line), sb_str(&res),
			    e->type == TRC_LOST ?
			    UI_ERR : model_status_role(e->status), e->step);
			pending = NULL;
			break;
		case TRC_PUSH:
		case TRC_PLAN:
			/* The hub's answers, the platform services' outcomes,
			** what reached a device, and the plan's events. */
			if (e->text == NULL || (e->type == TRC_PLAN &&
			    e->method && strcmp(e->method, "status") == 0))
				break;
			sb_reset(&line);
			if (e->device)
				sb_addf(&line, "%s: ", e->device);
			sb_add(&line, e->text);
			model_add_line(m, sb_str(&line), NULL, e->status >= 400 ?
			    UI_WARN : e->type == TRC_PLAN ? UI_DIM : UI_OK,
			    e->step);
			break;
		default:
			break;
		}
	}
	sb_free(&line);
	sb_free(&res);
}

/*
** A step with nothing to say (a student's own action has no "say"): what
** its requests did, from the trace, so the pane is never blank.  The
** client's behaviour is named as the simulated .NET client's.
*/
static void
model_what_happened(sb *n, sim *r, size_t from, size_t to, size_t step)
{
	const trc *t = sim_trace(r);
	size_t nreq = 0, lost = 0, offline = 0;
	const char *who = NULL;
	for (size_t i = from; i < to && i < t->n; i++) {
		const trc_event *e = &t->ev[i];
		if (e->step != step)
			continue;
		if (e->type == TRC_REQUEST) {
			nreq++;
			who = e->device;
		} else if (e->type == TRC_LOST) {
			if (e->text && strncmp(e->text, "no network", 10) == 0)
				offline++;
			else
				lost++;
		}
	}
	const scn_step *st = sim_step_at(r, step);
	if (st && st->device)
		who = st->device;
	if (nreq == 0 && st && (st->act == SCN_PUSH || st->act == SCN_SYNC))
		sb_addf(n, "%s's queue (__operations) was empty: the client had "
		    "nothing to push and sent no request.\n", who ? who : "The "
		    "device");
	else if (nreq == 0)
		sb_add(n, "No request: this step changed local state only "
		    "(see the panes).\n");
	else if (offline)
		sb_addf(n, "%s is offline: the client failed %s at once, "
		    "nothing was sent, and every operation stays queued.\n",
		    who ? who : "The device", offline == 1 ? "the request" :
		    "the requests");
	else
		sb_addf(n, "%zu request%s (see the timeline)%s.\n", nreq,
		    nreq == 1 ? "" : "s", lost ? "; some were lost on the way"
		    : "");
}

/* What the narration pane says about step i (the last one run). */
static void
model_narration(struct ui_model *m, sim *r)
{
	const trc *t = sim_trace(r);
	size_t pos = sim_pos(r);
	const scn *s = sim_scn(r);
	sb n = SB_INIT;
	if (pos == 0) {
		sb_add(&n, s->summary ? s->summary : "");
	} else {
		size_t from = sim_trace_start(r, pos - 1);
		size_t to = sim_trace_start(r, pos);
		for (size_t i = from; i < to && i < t->n; i++) {
			const trc_event *e = &t->ev[i];
			if (e->text == NULL || e->step != pos - 1)
				continue;
			switch (e->type) {
			case TRC_SAY:
				sb_addf(&n, "%s\n", e->text);
				break;
			case TRC_ERROR:
			case TRC_CONFLICT:
			case TRC_RESOLVE:
			case TRC_NOTE:
			case TRC_PUSH:
			case TRC_PLAN:
			case TRC_ASK:
			case TRC_CHECK:
				sb_addf(&n, "%s %s\n", e->type == TRC_ERROR ?
				    "Error:" : e->type == TRC_CONFLICT ?
				    "Conflict:" : "-", e->text);
				break;
			case TRC_EXPECT:
				if (!e->ok)
					sb_addf(&n, "Expectation failed: %s\n",
					    e->text);
				break;
			default:
				break;
			}
		}
		if (n.len == 0)
			model_what_happened(&n, r, from, to, pos - 1);
	}
	m->narration = sb_take(&n);
}

struct ui_model *
ui_model_load(sim *r)
{
	struct ui_model *m = xcalloc(1, sizeof *m);
	m->pos = sim_pos(r);
	m->ns = 1 + sim_ndevices(r);
	m->s = xcalloc(m->ns, sizeof *m->s);
	srv *s = sim_srv(r);
	struct m_store *b = &m->s[0];
	b->name = xstrdup("Backend");
	b->nt = srv_ntables(s);
	b->t = xcalloc(b->nt ? b->nt : 1, sizeof *b->t);
	for (size_t i = 0; i < b->nt; i++)
		model_table(&b->t[i], srv_table_at(s, i), s, NULL, &b->err);
	for (size_t di = 0; di < sim_ndevices(r); di++) {
		dev *d = sim_dev(r, di);
		struct m_store *ms = &m->s[1 + di];
		ms->name = xstrdup(dev_name(d));
		const sim_net *net = sim_net_of(r, di);
		ms->net = *net;
		ms->client = dev_cfg(d)->client;
		ms->nt = dev_ntables(d);
		ms->t = xcalloc(ms->nt ? ms->nt : 1, sizeof *ms->t);
		for (size_t i = 0; i < ms->nt; i++)
			model_table(&ms->t[i], dev_table_at(d, i), NULL, d,
			    &ms->err);
		model_queue(ms, dev_db(d), sim_scn(r));
		ui_auth_fill(ms, d, srv_auth(s) != NULL, sim_epoch_ms(r));
	}
	model_timeline(m, sim_trace(r));
	model_narration(m, r);
	return m;
}

static const struct m_row *
model_find(const struct m_table *t, const char *id)
{
	for (size_t i = 0; i < t->nrows; i++)
		if (strcmp(t->rows[i].cells[0], id) == 0)
			return &t->rows[i];
	return NULL;
}

void
ui_model_diff(struct ui_model *m, const struct ui_model *old)
{
	for (size_t si = 0; si < m->ns && si < old->ns; si++) {
		struct m_store *s = &m->s[si];
		const struct m_store *o = &old->s[si];
		for (size_t ti = 0; ti < s->nt && ti < o->nt; ti++) {
			struct m_table *t = &s->t[ti];
			for (size_t ri = 0; ri < t->nrows; ri++) {
				struct m_row *r = &t->rows[ri];
				const struct m_row *orow = model_find(&o->t[ti],
				    r->cells[0]);
				for (size_t c = 0; c < t->ncols; c++) {
					r->chg[c] = orow == NULL ||
					    strcmp(orow->cells[c],
					    r->cells[c]) != 0;
					r->any |= r->chg[c];
				}
			}
		}
		s->net_changed = o->net.online != s->net.online ||
		    o->net.latency_ms != s->net.latency_ms;
		s->queue_changed = o->nops != s->nops;
		for (size_t i = 0; !s->queue_changed && i < s->nops; i++)
			s->queue_changed = strcmp(o->ops[i], s->ops[i]) != 0;
	}
}

static void
model_free_table(struct m_table *t)
{
	for (size_t r = 0; r < t->nrows; r++) {
		for (size_t c = 0; c < t->ncols; c++)
			free(t->rows[r].cells[c]);
		free(t->rows[r].cells);
		free(t->rows[r].chg);
	}
	free(t->rows);
	for (size_t c = 0; c < t->ncols; c++)
		free(t->cols[c]);
	free(t->cols);
	free(t->name);
}

void
ui_model_free(struct ui_model *m)
{
	if (m == NULL)
		return;
	for (size_t si = 0; si < m->ns; si++) {
		struct m_store *s = &m->s[si];
		for (size_t i = 0; i < s->nt; i++)
			model_free_table(&s->t[i]);
		free(s->t);
		for (size_t i = 0; i < s->nops; i++)
			free(s->ops[i]);
		free(s->ops);
		for (size_t i = 0; i < s->nerrs; i++)
			free(s->errs[i]);
		free(s->errs);
		sb_free(&s->err);
		free(s->name);
	}
	free(m->s);
	for (size_t i = 0; i < m->ntl; i++) {
		free(m->tl[i].text);
		free(m->tl[i].right);
	}
	free(m->tl);
	free(m->narration);
	free(m);
}
