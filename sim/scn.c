/*
** scn.c: the scenario loader; see scn.h and docs/scenario-format.md.
** Steps and their expect objects are read in scn_step.c.
**
** The loader walks the document once, recording every problem with jx_err
** (which turns a JSON path into FILE:LINE:COL), and builds the scenario as
** it goes.  At the end it keeps the result only when the document has no
** error at all; otherwise it frees the partial scenario.  Tables and
** devices are read before anything that refers to them, so that a step
** naming an unknown device can list the ones that exist.
*/
#include "sim/scn.h"
#include "sim/scn_int.h"
#include "lib/jx.h"
#include "lib/xmem.h"
#include "quiz/qz.h"
#include "sim/scn_cloud.h"
#include "sim/wire.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SCN_DEFAULT_START	"2026-03-02T09:00:00.000Z"

static const char *const scn_action_names[] = {
	[SCN_INSERT] = "insert", [SCN_UPDATE] = "update",
	[SCN_DELETE] = "delete", [SCN_OFFLINE] = "offline",
	[SCN_ONLINE] = "online", [SCN_PUSH] = "push", [SCN_PULL] = "pull",
	[SCN_SYNC] = "sync", [SCN_PURGE] = "purge",
	[SCN_DROP_REQUEST] = "drop-request",
	[SCN_DROP_RESPONSE] = "drop-response", [SCN_LATENCY] = "latency",
	[SCN_RESOLVE] = "resolve", [SCN_WAIT] = "wait",
	[SCN_REGISTER] = "register", [SCN_UNREGISTER] = "unregister",
	[SCN_TAG] = "tag", [SCN_SEND] = "send", [SCN_SCALE] = "scale",
	[SCN_SIGNIN] = "signin", [SCN_SIGNOUT] = "signout",
	[SCN_REFRESH] = "refresh", [SCN_TAMPER] = "tamper",
	[SCN_STEAL] = "steal",
};
#define SCN_NACTIONS (sizeof scn_action_names / sizeof scn_action_names[0])

const char *
scn_action_name(scn_action a)
{
	if ((size_t)a < SCN_NACTIONS)
		return scn_action_names[a];
	return "?";
}

int
scn_action_parse(const char *s, scn_action *out)
{
	for (size_t i = 0; i < SCN_NACTIONS; i++)
		if (strcmp(scn_action_names[i], s) == 0) {
			*out = (scn_action)i;
			return 0;
		}
	return -1;
}

/* [A-Za-z0-9_-]+, at most 63 characters: device names become file names
** (--store) so they must stay plain. */
static int
scn_valid_devname(const char *s)
{
	size_t n = 0;
	for (; s[n]; n++) {
		char c = s[n];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '_' || c == '-'))
			return 0;
	}
	return n > 0 && n <= 63;
}

/* ---- freeing ---- */

void
scn_step_free(scn_step *st)
{
	free(st->device);
	free(st->table);
	free(st->id);
	cJSON_Delete(st->row);
	free(st->say);
	if (st->ask)
		qz_question_free(st->ask);
	cJSON_Delete(st->expect);
	memset(st, 0, sizeof *st);
}

void
scn_step_copy(scn_step *dst, const scn_step *src)
{
	memset(dst, 0, sizeof *dst);
	dst->act = src->act;
	dst->device = src->device ? xstrdup(src->device) : NULL;
	dst->table = src->table ? xstrdup(src->table) : NULL;
	dst->id = src->id ? xstrdup(src->id) : NULL;
	dst->row = src->row ? cJSON_Duplicate(src->row, 1) : NULL;
	dst->force = src->force;
	dst->count = src->count;
	dst->ms = src->ms;
	dst->say = src->say ? xstrdup(src->say) : NULL;
	dst->ask = NULL;
	dst->expect = src->expect ? cJSON_Duplicate(src->expect, 1) : NULL;
	dst->pages = src->pages;
	dst->line = src->line;
	dst->col = src->col;
}

static void
scn_table_free(scn_table *t)
{
	tbl_def_free(&t->def);
	pol_table_free(&t->policy);
}

void
scn_free(scn *s)
{
	if (s == NULL)
		return;
	free(s->path);
	free(s->id);
	free(s->title);
	free(s->summary);
	for (size_t i = 0; i < s->nobjectives; i++) {
		free(s->objectives[i].text);
		free(s->objectives[i].domain);
	}
	free(s->objectives);
	for (size_t i = 0; i < s->ntables; i++)
		scn_table_free(&s->tables[i]);
	free(s->tables);
	for (size_t i = 0; i < s->ndevices; i++) {
		free(s->devices[i].name);
		free(s->devices[i].user);
		free(s->devices[i].platform);
	}
	free(s->devices);
	cJSON_Delete(s->rows);
	for (size_t i = 0; i < s->nsteps; i++)
		scn_step_free(&s->steps[i]);
	free(s->steps);
	free(s->goal_text);
	cJSON_Delete(s->goal_expect);
	cJSON_Delete(s->auth);
	for (size_t i = 0; i < s->nhints; i++) {
		free(s->hints[i]);
		cJSON_Delete(s->hint_when ? s->hint_when[i] : NULL);
	}
	free(s->hints);
	free(s->hint_when);
	for (size_t i = 0; i < s->nsolution; i++)
		scn_step_free(&s->solution[i]);
	free(s->solution);
	scn_cloud_free(s->cloud);
	free(s);
}

/* ---- lookups ---- */

const scn_table *
scn_table_find(const scn *s, const char *name)
{
	for (size_t i = 0; i < s->ntables; i++)
		if (strcmp(s->tables[i].def.name, name) == 0)
			return &s->tables[i];
	return NULL;
}

int
scn_device_index(const scn *s, const char *name)
{
	for (size_t i = 0; i < s->ndevices; i++)
		if (strcmp(s->devices[i].name, name) == 0)
			return (int)i;
	return -1;
}

static const tbl_col *
scn_col_find(const scn_table *t, const char *name)
{
	for (size_t i = 0; i < t->def.ncols; i++)
		if (strcmp(t->def.cols[i].name, name) == 0)
			return &t->def.cols[i];
	return NULL;
}

/* ---- reading helpers ---- */

static char *
scn_dup_str(jx_doc *d, const cJSON *obj, const char *path, const char *key,
    int required)
{
	const char *v = NULL;
	if (jx_str(d, obj, path, key, required, &v) == 1)
		return xstrdup(v);
	return NULL;
}

static void
scn_names_devices(const scn *s, sb *out)
{
	for (size_t i = 0; i < s->ndevices; i++)
		sb_addf(out, "%s%s", i ? ", " : "", s->devices[i].name);
	if (s->ndevices == 0)
		sb_add(out, "none");
}

static void
scn_names_tables(const scn *s, sb *out)
{
	for (size_t i = 0; i < s->ntables; i++)
		sb_addf(out, "%s%s", i ? ", " : "", s->tables[i].def.name);
	if (s->ntables == 0)
		sb_add(out, "none");
}

static void
scn_names_cols(const scn_table *t, sb *out)
{
	for (size_t i = 0; i < t->def.ncols; i++)
		sb_addf(out, "%s%s", i ? ", " : "", t->def.cols[i].name);
	if (t->def.ncols == 0)
		sb_add(out, "none");
}

const tbl_col *
scn_ref_col(jx_doc *d, const char *path, const scn_table *t,
    const char *name, const char *more)
{
	const tbl_col *c = scn_col_find(t, name);
	if (c == NULL) {
		sb l = SB_INIT;
		scn_names_cols(t, &l);
		jx_err(d, path,
		    "table \"%s\" has no column \"%s\" (columns: %s%s)",
		    t->def.name, name, sb_str(&l), more);
		sb_free(&l);
	}
	return c;
}

int
scn_ref_device(jx_doc *d, const scn *s, const char *path, const char *name)
{
	if (scn_device_index(s, name) >= 0)
		return 0;
	sb l = SB_INIT;
	scn_names_devices(s, &l);
	jx_err(
	    d, path, "unknown device \"%s\" (devices: %s)", name, sb_str(&l));
	sb_free(&l);
	return -1;
}

const scn_table *
scn_ref_table(jx_doc *d, const scn *s, const char *path, const char *name)
{
	const scn_table *t = scn_table_find(s, name);
	if (t)
		return t;
	sb l = SB_INIT;
	scn_names_tables(s, &l);
	jx_err(d, path, "unknown table \"%s\" (tables: %s)", name, sb_str(&l));
	sb_free(&l);
	return NULL;
}

void
scn_check_value(jx_doc *d, const char *path, const tbl_col *c, const cJSON *v)
{
	jx_val jv = jx_val_of(v);
	int ok = tbl_fits(c->type, &jv, NULL);
	if (!ok)
		jx_err(d, path,
		    "column \"%s\" is a %s column: the value must be %s",
		    c->name, tbl_type_name(c->type),
		    c->type == TBL_STRING       ? "a string or null"
			: c->type == TBL_NUMBER ? "a number or null"
			: c->type == TBL_BOOL   ? "true, false or null"
						: "an ISO-8601 time string "
						"(2026-03-02T09:00:00.000Z) or "
						"null");
}

void
scn_check_row(jx_doc *d, const char *path, const scn_table *t,
    const cJSON *row, int allow_id, int need_id, int nonempty)
{
	char p[1024];
	const cJSON *m;
	cJSON_ArrayForEach(m, row) {
		jx_path(p, sizeof p, path, m->string);
		if (strcmp(m->string, "id") == 0 && allow_id) {
			if (!cJSON_IsString(m) || m->valuestring[0] == '\0')
				jx_err(
				    d, p, "the id must be a non-empty string");
			else if (strlen(m->valuestring) > 127)
				jx_err(d, p,
				    "the id is longer than 127 characters");
			continue;
		}
		const tbl_col *c = scn_ref_col(d, p, t, m->string,
		    allow_id ? ", and id" : "");
		if (c == NULL)
			continue;
		scn_check_value(d, p, c, m);
	}
	if (need_id && cJSON_GetObjectItemCaseSensitive(row, "id") == NULL)
		jx_err(d, path, "every row needs an \"id\"");
	/* Only for an empty set: an unknown column was reported already. */
	if (nonempty && cJSON_GetArraySize(row) == 0)
		jx_err(d, path, "name at least one column to set");
}

const scn_table *
scn_ref_row(jx_doc *d, const scn *s, const char *path, const char *key,
    const char **id)
{
	const char *slash = strchr(key, '/');
	if (slash == NULL || slash == key || slash[1] == '\0') {
		jx_err(d, path, "\"%s\" must name a row as \"table/id\"", key);
		return NULL;
	}
	char tname[128];
	snprintf(tname, sizeof tname, "%.*s", (int)(slash - key), key);
	*id = slash + 1;
	return scn_ref_table(d, s, path, tname);
}

/* ---- policies ---- */

/*
** A policy: a name, or {"policy": NAME, options...}.  cols is the table's
** column list, to check "stamp".  Fills *sp (owned strings).
*/
static void
scn_parse_spec(jx_doc *d, const char *path, const cJSON *v,
    const tbl_def *def, pol_spec *sp)
{
	char p[1024];
	memset(sp, 0, sizeof *sp);
	sp->kind = POL_NONE;
	sp->fallback = POL_SERVER_WINS;
	const char *name = NULL;
	const cJSON *obj = NULL;
	if (cJSON_IsString(v))
		name = v->valuestring;
	else if (cJSON_IsObject(v)) {
		obj = v;
		if (jx_str(d, obj, path, "policy", 1, &name) != 1)
			return;
	} else {
		jx_err(d, path,
		    "a policy is a name or an object {\"policy\": NAME, ...}");
		return;
	}
	const char *npath = obj ? jx_path(p, sizeof p, path, "policy") : path;
	if (pol_parse(name, &sp->kind) != 0) {
		jx_err(d, npath,
		    "unknown policy \"%s\" (policies: none, server-wins, "
		    "client-wins, last-writer-wins, newest-edit-wins, "
		    "precedence, "
		    "delta, merge, manual)",
		    name);
		return;
	}
	static const char *const plain[] = { "policy", NULL };
	static const char *const prec[] = { "policy", "order", NULL };
	static const char *const newest[] = { "policy", "stamp", NULL };
	static const char *const merge[] = { "policy", "fallback", NULL };
	if (sp->kind == POL_PRECEDENCE) {
		const cJSON *order = NULL;
		if (obj == NULL) {
			jx_err(d, path,
			    "precedence needs its order: "
			    "{\"policy\": \"precedence\", \"order\": [values, "
			    "lowest first]}");
			return;
		}
		jx_only(d, obj, path, prec);
		if (jx_arr(d, obj, path, "order", 1, &order) != 1)
			return;
		int n = cJSON_GetArraySize(order);
		if (n < 2)
			jx_err(d, jx_path(p, sizeof p, path, "order"),
			    "list at least two values, lowest first");
		sp->order = xcalloc((size_t)(n > 0 ? n : 1), sizeof *sp->order);
		const cJSON *e;
		size_t i = 0;
		cJSON_ArrayForEach(e, order) {
			char ep[1024], op[1024];
			jx_pathi(ep, sizeof ep,
			    jx_path(op, sizeof op, path, "order"), i);
			i++;
			if (!cJSON_IsString(e)) {
				jx_err(d, ep, "order values must be strings");
				continue;
			}
			for (size_t k = 0; k < sp->norder; k++)
				if (strcmp(sp->order[k], e->valuestring) == 0)
					jx_err(d, ep,
					    "\"%s\" appears twice in the order",
					    e->valuestring);
			sp->order[sp->norder++] = xstrdup(e->valuestring);
		}
	} else if (sp->kind == POL_NEWEST_EDIT_WINS) {
		const char *stamp = NULL;
		if (obj == NULL) {
			jx_err(d, path,
			    "newest-edit-wins needs its stamp column: "
			    "{\"policy\": \"newest-edit-wins\", \"stamp\": "
			    "COLUMN}");
			return;
		}
		jx_only(d, obj, path, newest);
		if (jx_str(d, obj, path, "stamp", 1, &stamp) != 1)
			return;
		int found = 0;
		for (size_t i = 0; i < def->ncols; i++)
			if (strcmp(def->cols[i].name, stamp) == 0) {
				found = 1;
				if (def->cols[i].type != TBL_DATE)
					jx_err(d,
					    jx_path(p, sizeof p, path, "stamp"),
					    "the stamp column \"%s\" must be a "
					    "date column",
					    stamp);
			}
		if (!found)
			jx_err(d, jx_path(p, sizeof p, path, "stamp"),
			    "table \"%s\" has no column \"%s\"", def->name,
			    stamp);
		sp->stamp = xstrdup(stamp);
	} else if (sp->kind == POL_MERGE) {
		const char *fb = NULL;
		if (obj == NULL)
			return;
		jx_only(d, obj, path, merge);
		if (jx_str(d, obj, path, "fallback", 0, &fb) == 1) {
			jx_path(p, sizeof p, path, "fallback");
			pol_kind k;
			if (pol_parse(fb, &k) != 0)
				jx_err(d, p, "unknown policy \"%s\"", fb);
			else if (k == POL_MERGE || k == POL_PRECEDENCE ||
			    k == POL_NEWEST_EDIT_WINS)
				jx_err(d, p,
				    "the fallback must be a policy without "
				    "options, not \"%s\"",
				    fb);
			else
				sp->fallback = k;
		}
	} else if (obj)
		jx_only(d, obj, path, plain);
}

/* A field rule that only fits some column types: delta needs a number
** column; precedence orders strings, so it needs a string column. */
static void
scn_check_field_type(jx_doc *d, const char *path, const scn_table *t,
    const char *field, const pol_spec *sp)
{
	const tbl_col *c = scn_col_find(t, field);
	if (c == NULL)
		return;	/* reported as an unknown column */
	if (sp->kind == POL_DELTA && c->type != TBL_NUMBER)
		jx_err(d, path, "delta adds numbers, and column \"%s\" is a %s "
		    "column (use merge, server-wins or client-wins)", field,
		    tbl_type_name(c->type));
	if (sp->kind == POL_PRECEDENCE && c->type != TBL_STRING)
		jx_err(d, path, "precedence ranks string values, and column "
		    "\"%s\" is a %s column", field, tbl_type_name(c->type));
}

/* ---- tables ---- */

static void
scn_parse_table(jx_doc *d, scn *s, const char *path, const cJSON *obj)
{
	static const char *const keys[] = { "name", "columns", "softDelete",
	    "policy", "fields", NULL };
	char p[1024];
	if (!cJSON_IsObject(obj)) {
		jx_err(d, path,
		    "a table is an object {\"name\": ..., \"columns\": {...}}");
		return;
	}
	jx_only(d, obj, path, keys);
	scn_table *t = &s->tables[s->ntables++];
	memset(t, 0, sizeof *t);
	t->policy.spec.kind = POL_NONE;
	t->policy.spec.fallback = POL_SERVER_WINS;
	const char *name = NULL;
	if (jx_str(d, obj, path, "name", 1, &name) == 1) {
		if (!tbl_valid_ident(name))
			jx_err(d, jx_path(p, sizeof p, path, "name"),
			    "\"%s\" is not a valid table name "
			    "([A-Za-z_][A-Za-z0-9_]*, "
			    "at most 63 characters, not starting with __, not "
			    "a "
			    "system column)",
			    name);
		for (size_t i = 0; i + 1 < s->ntables; i++)
			if (s->tables[i].def.name &&
			    strcmp(s->tables[i].def.name, name) == 0)
				jx_err(d, jx_path(p, sizeof p, path, "name"),
				    "duplicate table \"%s\"", name);
		t->def.name = xstrdup(name);
	} else
		t->def.name = xstrdup("");
	const cJSON *cols = NULL;
	if (jx_obj(d, obj, path, "columns", 1, &cols) == 1) {
		int n = cJSON_GetArraySize(cols);
		t->def.cols =
		    xcalloc((size_t)(n > 0 ? n : 1), sizeof *t->def.cols);
		const cJSON *c;
		char cp[1024];
		jx_path(cp, sizeof cp, path, "columns");
		if (n > SCN_MAX_COLUMNS) {
			jx_err(d, cp, "a table has at most %d columns, not %d",
			    SCN_MAX_COLUMNS, n);
			cols = NULL;	/* none read: the limit comes first */
		}
		cJSON_ArrayForEach(c, cols) {
			jx_path(p, sizeof p, cp, c->string);
			if (!tbl_valid_ident(c->string))
				jx_err(d, p,
				    "\"%s\" is not a valid column name "
				    "([A-Za-z_][A-Za-z0-9_]*, at most 63 "
				    "characters, not "
				    "starting with __, not id, createdAt, "
				    "updatedAt, "
				    "version or deleted)",
				    c->string);
			tbl_type ty = TBL_STRING;
			if (!cJSON_IsString(c) ||
			    tbl_type_parse(c->valuestring, &ty) != 0)
				jx_err(d, p,
				    "a column type is \"string\", \"number\", "
				    "\"bool\" (or \"boolean\") or \"date\" (or "
				    "\"datetime\")");
			t->def.cols[t->def.ncols].name = xstrdup(c->string);
			t->def.cols[t->def.ncols].type = ty;
			t->def.ncols++;
		}
	}
	jx_bool(d, obj, path, "softDelete", 0, &t->def.soft_delete);
	const cJSON *pol = cJSON_GetObjectItemCaseSensitive(obj, "policy");
	if (pol)
		scn_parse_spec(d, jx_path(p, sizeof p, path, "policy"), pol,
		    &t->def, &t->policy.spec);
	const cJSON *fields = NULL;
	if (jx_obj(d, obj, path, "fields", 0, &fields) == 1) {
		int n = cJSON_GetArraySize(fields);
		t->policy.fields = xcalloc((size_t)(n > 0 ? n : 1),
		    sizeof *t->policy.fields);
		const cJSON *f;
		char fp[1024];
		jx_path(fp, sizeof fp, path, "fields");
		cJSON_ArrayForEach(f, fields) {
			jx_path(p, sizeof p, fp, f->string);
			scn_ref_col(d, p, t, f->string, "");
			pol_field *pf = &t->policy.fields[t->policy.nfields++];
			pf->field = xstrdup(f->string);
			scn_parse_spec(d, p, f, &t->def, &pf->spec);
			scn_check_field_type(d, p, t, f->string, &pf->spec);
		}
	}
	/* A table-wide delta adds number columns and merges the others;
	** with no number column at all it could add nothing. */
	if (t->policy.spec.kind == POL_DELTA && t->def.ncols > 0) {
		size_t nums = 0;
		for (size_t i = 0; i < t->def.ncols; i++)
			nums += t->def.cols[i].type == TBL_NUMBER;
		if (nums == 0)
			jx_err(d, jx_path(p, sizeof p, path, "policy"),
			    "delta adds numbers, and table \"%s\" has no "
			    "number column (use merge, or a number column)",
			    t->def.name);
	}
}

/* ---- devices ---- */

static void
scn_parse_device(jx_doc *d, scn *s, const char *path, const cJSON *obj)
{
	static const char *const keys[] = { "name", "user", "platform",
	    "clockOffsetMs", "online", "latencyMs", "push", "client", NULL };
	char p[1024];
	if (!cJSON_IsObject(obj)) {
		jx_err(d, path, "a device is an object {\"name\": ...}");
		return;
	}
	jx_only(d, obj, path, keys);
	scn_device *v = &s->devices[s->ndevices++];
	memset(v, 0, sizeof *v);
	v->online = 1;
	v->latency_ms = 20;
	const char *name = NULL;
	if (jx_str(d, obj, path, "name", 1, &name) == 1) {
		if (!scn_valid_devname(name))
			jx_err(d, jx_path(p, sizeof p, path, "name"),
			    "\"%s\" is not a valid device name "
			    "([A-Za-z0-9_-]+, at "
			    "most 63 characters)",
			    name);
		for (size_t i = 0; i + 1 < s->ndevices; i++)
			if (strcmp(s->devices[i].name, name) == 0)
				jx_err(d, jx_path(p, sizeof p, path, "name"),
				    "duplicate device \"%s\"", name);
		v->name = xstrdup(name);
	} else
		v->name = xasprintf("#%zu", s->ndevices);
	const char *user = NULL;
	v->user = xstrdup(jx_str(d, obj, path, "user", 0, &user) == 1 ? user :
	    v->name);
	const char *plat = NULL;
	if (jx_str(d, obj, path, "platform", 0, &plat) == 1) {
		if (strcmp(plat, "android") && strcmp(plat, "ios") &&
		    strcmp(plat, "windows"))
			jx_err(d, jx_path(p, sizeof p, path, "platform"),
			    "unknown platform \"%s\" (android, ios, windows)",
			    plat);
	} else
		plat = "android";
	v->platform = xstrdup(plat);
	long long x;
	if (jx_int(d, obj, path, "clockOffsetMs", 0, -31536000000LL,
	    31536000000LL, &x) == 1)
		v->clock_offset_ms = x;
	jx_bool(d, obj, path, "online", 0, &v->online);
	if (jx_int(d, obj, path, "latencyMs", 0, 0, 600000, &x) == 1)
		v->latency_ms = x;
	const char *client = NULL;
	if (jx_str(d, obj, path, "client", 0, &client) == 1 &&
	    prof_parse(client, &v->client) != 0)
		jx_err(d, jx_path(p, sizeof p, path, "client"),
		    "unknown client \"%s\" (net-legacy, js, datasync)",
		    client);
}

/* ---- seed rows ---- */

typedef struct scn_idref {
	const char	*id;
	size_t		 index;
} scn_idref;

static int
scn_idref_cmp(const void *a, const void *b)
{
	const scn_idref *x = a, *y = b;
	int c = strcmp(x->id, y->id);
	if (c)
		return c;
	return x->index < y->index ? -1 : x->index > y->index;
}

static void
scn_parse_rows(jx_doc *d, scn *s, const cJSON *rows)
{
	char p[1024], q[1024];
	const cJSON *m;
	cJSON_ArrayForEach(m, rows) {
		jx_path(p, sizeof p, "rows", m->string);
		const scn_table *t = scn_ref_table(d, s, p, m->string);
		if (!cJSON_IsArray(m)) {
			jx_err(d, p, "expected an array of rows");
			continue;
		}
		int cnt = cJSON_GetArraySize(m);
		scn_idref *ids =
		    xcalloc((size_t)(cnt > 0 ? cnt : 1), sizeof *ids);
		size_t nids = 0;
		const cJSON *r;
		size_t i = 0;
		cJSON_ArrayForEach(r, m) {
			jx_pathi(q, sizeof q, p, i);
			if (!cJSON_IsObject(r))
				jx_err(
				    d, q, "a row is an object with an \"id\"");
			else if (t) {
				scn_check_row(d, q, t, r, 1, 1, 0);
				const cJSON *id =
				    cJSON_GetObjectItemCaseSensitive(r, "id");
				if (cJSON_IsString(id)) {
					ids[nids].id = id->valuestring;
					ids[nids++].index = i;
				}
			}
			i++;
		}
		/* Ids are unique per table (the server would refuse a second
		** insert); sorting finds repeats in n log n, and the later
		** occurrence is the one reported. */
		qsort(ids, nids, sizeof *ids, scn_idref_cmp);
		for (size_t k = 1; k < nids; k++)
			if (strcmp(ids[k].id, ids[k - 1].id) == 0) {
				char ip[1024];
				jx_pathi(q, sizeof q, p, ids[k].index);
				jx_err(d, jx_path(ip, sizeof ip, q, "id"),
				    "duplicate id \"%s\" in table \"%s\"",
				    ids[k].id, m->string);
			}
		free(ids);
	}
}

/* ---- the document ---- */

/* The scalar keys: id, title, summary, order, seed, pageSize, start. */
static void
scn_parse_head(jx_doc *d, scn *s, const cJSON *root)
{
	const char *v = NULL;
	jx_str(d, root, "", "$schema", 0, &v);
	s->id = scn_dup_str(d, root, "", "id", 1);
	if (s->id && !jx_is_id(s->id))
		jx_err(d, "id", "\"%s\" is not a valid id ([a-z0-9-]+)", s->id);
	s->title = scn_dup_str(d, root, "", "title", 1);
	s->summary = scn_dup_str(d, root, "", "summary", 1);
	long long x;
	if (jx_int(d, root, "", "order", 0, LLONG_MIN / 2, LLONG_MAX / 2, &x) ==
	    1)
		s->order = x;
	if (jx_int(d, root, "", "seed", 0, 0, 9007199254740991LL, &x) == 1)
		s->seed = (uint64_t)x;
	/* The server honours an explicit $top up to 1000. */
	if (jx_int(d, root, "", "pageSize", 0, 1, 1000, &x) == 1)
		s->page_size = (int)x;
	wire_parse_time(SCN_DEFAULT_START, &s->start_ms, NULL);
	if (jx_str(d, root, "", "start", 0, &v) == 1 &&
	    wire_parse_time(v, &s->start_ms, NULL) != 0)
		jx_err(d, "start", "\"%s\" is not an ISO-8601 time such as "
		    "2026-03-02T09:00:00.000Z", v);
}

/* "objectives": [{text, domain}], the domain one of the exam's three. */
static void
scn_parse_objectives(jx_doc *d, scn *s, const cJSON *a)
{
	static const char *const okeys[] = { "text", "domain", NULL };
	char p[1024];
	int n = cJSON_GetArraySize(a);
	s->objectives = xcalloc((size_t)(n > 0 ? n : 1), sizeof *s->objectives);
	const cJSON *o;
	cJSON_ArrayForEach(o, a) {
		jx_pathi(p, sizeof p, "objectives", s->nobjectives);
		scn_objective *ob = &s->objectives[s->nobjectives++];
		if (!cJSON_IsObject(o)) {
			jx_err(d, p,
			    "an objective is {\"text\": ..., "
			    "\"domain\": ...}");
			continue;
		}
		jx_only(d, o, p, okeys);
		ob->text = scn_dup_str(d, o, p, "text", 1);
		ob->domain = scn_dup_str(d, o, p, "domain", 1);
		if (ob->domain && strcmp(ob->domain, "cloud-concepts") &&
		    strcmp(ob->domain, "architecture-services") &&
		    strcmp(ob->domain, "management-governance")) {
			char q[1024];
			jx_err(d, jx_path(q, sizeof q, p, "domain"),
			    "unknown domain \"%s\" (cloud-concepts, "
			    "architecture-services, "
			    "management-governance)",
			    ob->domain);
		}
	}
}

/* Reads each element of the array a (under key) with fn, which gets the
** element's path ("tables[2]"). */
static void
scn_parse_each(jx_doc *d, scn *s, const cJSON *a, const char *key,
    void (*fn)(jx_doc *, scn *, const char *, const cJSON *))
{
	char p[1024];
	const cJSON *o;
	size_t i = 0;
	cJSON_ArrayForEach(o, a) {
		fn(d, s, jx_pathi(p, sizeof p, key, i), o);
		i++;
	}
}

/* "tables": 1 to SCN_MAX_TABLES table definitions. */
static void
scn_parse_tables(jx_doc *d, scn *s, const cJSON *a)
{
	int n = cJSON_GetArraySize(a);
	if (n == 0)
		jx_err(d, "tables", "define at least one table");
	if (n > SCN_MAX_TABLES) {
		jx_err(d, "tables", "a scenario has 1 to %d tables, not %d",
		    SCN_MAX_TABLES, n);
		a = NULL;	/* none read: the limit comes first */
		n = 0;
	}
	s->tables = xcalloc((size_t)(n > 0 ? n : 1), sizeof *s->tables);
	scn_parse_each(d, s, a, "tables", scn_parse_table);
}

/* "devices": 1 to SCN_MAX_DEVICES devices. */
static void
scn_parse_devices(jx_doc *d, scn *s, const cJSON *a)
{
	int n = cJSON_GetArraySize(a);
	if (n < 1 || n > SCN_MAX_DEVICES) {
		jx_err(d, "devices", "a scenario has 1 to %d devices, not %d",
		    SCN_MAX_DEVICES, n);
		a = NULL;	/* none read: the limit comes first */
		n = 0;
	}
	s->devices = xcalloc((size_t)(n > 0 ? n : 1), sizeof *s->devices);
	scn_parse_each(d, s, a, "devices", scn_parse_device);
}

/* "goal": {text, expect, from}.  Returns 1 when from was given (it is
** checked against the script once the steps are read). */
static int
scn_parse_goal(jx_doc *d, scn *s, const cJSON *goal)
{
	static const char *const gkeys[] = { "text", "expect", "from", NULL };
	int from_given = 0;
	jx_only(d, goal, "goal", gkeys);
	(void)jx_locate(d, "goal", &s->goal_line, &s->goal_col);
	long long from;
	if (jx_int(d, goal, "goal", "from", 0, 0, SCN_MAX_STEPS, &from) == 1) {
		s->goal_from = (size_t)from;
		from_given = 1;
	}
	s->goal_text = scn_dup_str(d, goal, "goal", "text", 1);
	const cJSON *ge = NULL;
	if (jx_obj(d, goal, "goal", "expect", 1, &ge) == 1) {
		scn_parse_expect(d, s, "goal.expect", ge);
		s->goal_expect = cJSON_Duplicate(ge, 1);
	}
	if (s->goal_text == NULL)
		s->goal_text = xstrdup("");
	return from_given;
}

/* "hints": each a string, or {"text", "when": EXPECT}: a hint given only
** while its condition holds. */
static void
scn_parse_hints(jx_doc *d, scn *s, const cJSON *a)
{
	static const char *const hk[] = { "text", "when", NULL };
	char p[1024];
	int n = cJSON_GetArraySize(a);
	s->hints = xcalloc((size_t)(n > 0 ? n : 1), sizeof *s->hints);
	s->hint_when = xcalloc((size_t)(n > 0 ? n : 1), sizeof *s->hint_when);
	const cJSON *o;
	cJSON_ArrayForEach(o, a) {
		jx_pathi(p, sizeof p, "hints", s->nhints);
		const cJSON *when = NULL;
		char *text = NULL;
		if (cJSON_IsObject(o)) {
			jx_only(d, o, p, hk);
			text = scn_dup_str(d, o, p, "text", 1);
			if (jx_obj(d, o, p, "when", 1, &when) == 1) {
				char q[1024];
				scn_parse_expect(d, s, jx_path(q, sizeof q, p,
				    "when"), when);
			}
		} else if (cJSON_IsString(o))
			text = xstrdup(o->valuestring);
		if (text == NULL) {
			if (!cJSON_IsObject(o))
				jx_err(d, p, "a hint is a string or "
				    "{\"text\": ..., \"when\": EXPECT}");
			continue;
		}
		s->hint_when[s->nhints] =
		    when ? cJSON_Duplicate(when, 1) : NULL;
		s->hints[s->nhints++] = text;
	}
}

/* Ask ids must be unique: --answers files are keyed on them. */
static void
scn_check_ask_ids(jx_doc *d, const scn *s)
{
	char p[1024];
	for (size_t i = 0; i < s->nsteps; i++) {
		if (s->steps[i].ask == NULL)
			continue;
		for (size_t k = 0; k < i; k++)
			if (s->steps[k].ask &&
			    strcmp(qz_question_id(s->steps[k].ask),
				qz_question_id(s->steps[i].ask)) == 0) {
				char q[1024];
				jx_pathi(p, sizeof p, "steps", i);
				jx_err(d, jx_path(q, sizeof q, p, "ask"),
				    "duplicate ask id \"%s\" (also at "
				    "steps[%zu])",
				    qz_question_id(s->steps[i].ask), k);
				break;
			}
	}
}

static scn *
scn_from_doc(jx_doc *d)
{
	static const char *const keys[] = { "$schema", "id", "title", "summary",
	    "order", "objectives", "seed", "start", "pageSize", "tables",
	    "devices", "rows", "steps", "goal", "hints", "solution", "push",
	    "plan", "fleet", "auth", NULL };
	const cJSON *root = d->root;
	if (!cJSON_IsObject(root)) {
		jx_err(d, "", "a scenario is a JSON object");
		return NULL;
	}
	jx_only(d, root, "", keys);
	scn *s = xcalloc(1, sizeof *s);
	s->path = xstrdup(d->name);
	s->order = LLONG_MAX;
	s->seed = 1;
	s->page_size = SCN_DEFAULT_PAGE_SIZE;
	s->goal_from = 1;
	scn_parse_head(d, s, root);
	const cJSON *a = NULL;
	if (jx_arr(d, root, "", "objectives", 1, &a) == 1)
		scn_parse_objectives(d, s, a);
	if (jx_arr(d, root, "", "tables", 1, &a) == 1)
		scn_parse_tables(d, s, a);
	if (jx_arr(d, root, "", "devices", 1, &a) == 1)
		scn_parse_devices(d, s, a);
	s->cloud = scn_cloud_parse(d, s, root);
	const cJSON *rows = NULL;
	if (jx_obj(d, root, "", "rows", 0, &rows) == 1) {
		scn_parse_rows(d, s, rows);
		s->rows = cJSON_Duplicate(rows, 1);
	}
	if (jx_arr(d, root, "", "steps", 1, &a) == 1)
		scn_parse_steps(d, s, "steps", a, &s->steps, &s->nsteps);
	const cJSON *goal = NULL;
	int from_given = 0;
	if (jx_obj(d, root, "", "goal", 0, &goal) == 1)
		from_given = scn_parse_goal(d, s, goal);
	if (jx_arr(d, root, "", "hints", 0, &a) == 1)
		scn_parse_hints(d, s, a);
	if (jx_arr(d, root, "", "solution", 0, &a) == 1) {
		(void)jx_locate(d, "solution", &s->solution_line,
		    &s->solution_col);
		scn_parse_steps(
		    d, s, "solution", a, &s->solution, &s->nsolution);
	}
	if (from_given && s->goal_from > s->nsteps)
		jx_err(d, "goal.from", "the script has %zu step%s; from names "
		    "the step after which the goal is first checked (0: from "
		    "the start)", s->nsteps, s->nsteps == 1 ? "" : "s");
	scn_auth_parse(d, s, root);
	scn_check_ask_ids(d, s);
	return s;
}

scn *
scn_load_text(const char *name, const char *text, size_t len, sb *errs,
    int *nerr)
{
	jx_doc d;
	jx_load_text(&d, name, text, len);
	scn *s = NULL;
	/* Duplicate keys leave a root behind: keep validating so that every
	** error shows at once; the document is rejected anyway. */
	if (d.root)
		s = scn_from_doc(&d);
	if (nerr)
		*nerr = d.nerr;
	if (d.nerr) {
		sb_add(errs, sb_str(&d.errs));
		scn_free(s);
		s = NULL;
	}
	jx_free(&d);
	return s;
}

scn *
scn_load_file(const char *path, sb *errs, int *nerr)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL) {
		sb_addf(errs, "%s: cannot open\n", path);
		if (nerr)
			*nerr = 1;
		return NULL;
	}
	sb b = SB_INIT;
	int bad = sb_addfile(&b, f) != 0;
	fclose(f);
	if (bad) {
		sb_addf(errs, "%s: read error\n", path);
		sb_free(&b);
		if (nerr)
			*nerr = 1;
		return NULL;
	}
	scn *s = scn_load_text(path, b.s ? b.s : "", b.len, errs, nerr);
	sb_free(&b);
	return s;
}

int
scn_check_file(const char *path, sb *errs)
{
	int nerr = 0;
	scn *s = scn_load_file(path, errs, &nerr);
	scn_free(s);
	return nerr;
}

/* ---- sandbox ---- */

scn *
scn_sandbox(size_t ndevices)
{
	if (ndevices < 1 || ndevices > SCN_MAX_DEVICES)
		return NULL;
	scn *s = xcalloc(1, sizeof *s);
	s->path = xstrdup("");
	s->id = xstrdup("sandbox");
	s->title = xstrdup("Sandbox");
	s->summary = xstrdup("Free play: devices share one todoitem table. "
			     "Edit, "
			     "go offline, drop messages and sync, and watch "
			     "what happens.");
	s->order = LLONG_MAX;
	s->seed = 1;
	s->page_size = SCN_DEFAULT_PAGE_SIZE;
	s->goal_from = 1;
	wire_parse_time(SCN_DEFAULT_START, &s->start_ms, NULL);
	s->tables = xcalloc(1, sizeof *s->tables);
	s->ntables = 1;
	scn_table *t = &s->tables[0];
	t->def.name = xstrdup("todoitem");
	t->def.ncols = 2;
	t->def.cols = xcalloc(2, sizeof *t->def.cols);
	t->def.cols[0].name = xstrdup("text");
	t->def.cols[0].type = TBL_STRING;
	t->def.cols[1].name = xstrdup("complete");
	t->def.cols[1].type = TBL_BOOL;
	t->def.soft_delete = 1;
	t->policy.spec.kind = POL_NONE;
	t->policy.spec.fallback = POL_SERVER_WINS;
	s->devices = xcalloc(ndevices, sizeof *s->devices);
	s->ndevices = ndevices;
	for (size_t i = 0; i < ndevices; i++) {
		scn_device *v = &s->devices[i];
		v->name = xasprintf("Device-%c", (char)('A' + i));
		v->user = xstrdup(v->name);
		v->platform = xstrdup("android");
		v->online = 1;
		v->latency_ms = 20;
	}
	s->steps = xcalloc(1, sizeof *s->steps);
	return s;
}

