/*
** scn.c: the scenario loader; see scn.h and docs/scenario-format.md.
**
** The loader walks the document once, recording every problem with jx_err
** (which turns a JSON path into FILE:LINE:COL), and builds the scenario as
** it goes.  At the end it keeps the result only when the document has no
** error at all; otherwise it frees the partial scenario.  Tables and
** devices are read before anything that refers to them, so that a step
** naming an unknown device can list the ones that exist.
*/
#include "sim/scn.h"
#include "lib/jx.h"
#include "lib/xmem.h"
#include "quiz/qz.h"
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
};
#define SCN_NACTIONS (sizeof scn_action_names / sizeof scn_action_names[0])

const char *
scn_action_name(scn_action a)
{
	if ((size_t)a < SCN_NACTIONS)
		return scn_action_names[a];
	return "?";
}

static int
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
	dst->line = src->line;
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
	for (size_t i = 0; i < s->nhints; i++)
		free(s->hints[i]);
	free(s->hints);
	for (size_t i = 0; i < s->nsolution; i++)
		scn_step_free(&s->solution[i]);
	free(s->solution);
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

/*
** The column name of t, or NULL with an error at path naming the columns
** there are; more is added after them (", and id": what else the place
** accepts).
*/
static const tbl_col *
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

/* Checks that a device name exists; records an error naming the devices. */
static int
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

static const scn_table *
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

/* A column value: its JSON type must fit the column (null always does). */
static void
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

/*
** A row object: every key a user column of t (or "id" when allow_id),
** values typed.  need_id: "id" is required.  nonempty: at least one column.
*/
static void
scn_check_row(jx_doc *d, const char *path, const scn_table *t,
    const cJSON *row, int allow_id, int need_id, int nonempty)
{
	char p[1024];
	const cJSON *m;
	int n = 0;
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
		n++;
		scn_check_value(d, p, c, m);
	}
	if (need_id && cJSON_GetObjectItemCaseSensitive(row, "id") == NULL)
		jx_err(d, path, "every row needs an \"id\"");
	if (nonempty && n == 0)
		jx_err(d, path, "name at least one column to set");
}

/* Splits "table/id" at the first '/'; returns the table definition or NULL
** (error recorded). */
static const scn_table *
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
				    "\"bool\" or \"date\"");
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
		}
	}
}

/* ---- devices ---- */

static void
scn_parse_device(jx_doc *d, scn *s, const char *path, const cJSON *obj)
{
	static const char *const keys[] = { "name", "user", "platform",
	    "clockOffsetMs", "online", "latencyMs", NULL };
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
}

/* ---- expectations ---- */

/* FIELDS: columns of t plus version (base64 string) and deleted (bool). */
static void
scn_check_fields(jx_doc *d, const char *path, const scn_table *t,
    const cJSON *v)
{
	char p[1024];
	if (cJSON_IsNull(v))
		return;
	if (!cJSON_IsObject(v)) {
		jx_err(d, path,
		    "expected an object of column values, or null for "
		    "\"no such row\"");
		return;
	}
	const cJSON *m;
	cJSON_ArrayForEach(m, v) {
		jx_path(p, sizeof p, path, m->string);
		if (strcmp(m->string, "version") == 0) {
			long long ver;
			if (!cJSON_IsString(m) ||
			    wire_version_parse(m->valuestring, &ver) != 0)
				jx_err(d, p,
				    "a version is base64 text such as "
				    "\"Mg==\"");
			continue;
		}
		if (strcmp(m->string, "deleted") == 0) {
			if (!cJSON_IsBool(m))
				jx_err(d, p, "deleted must be true or false");
			continue;
		}
		const tbl_col *c = scn_ref_col(d, p, t, m->string,
		    ", and version, deleted");
		if (c == NULL)
			continue;
		scn_check_value(d, p, c, m);
	}
}

/* {"device": N}, or {"table": N} when tables is set */
static void
scn_check_counts(jx_doc *d, const scn *s, const char *path, const cJSON *v,
    int tables)
{
	char p[1024];
	const cJSON *m;
	cJSON_ArrayForEach(m, v) {
		jx_path(p, sizeof p, path, m->string);
		if (tables)
			scn_ref_table(d, s, p, m->string);
		else
			scn_ref_device(d, s, p, m->string);
		if (!cJSON_IsNumber(m) || m->valuedouble < 0 ||
		    m->valuedouble != (double)(long long)m->valuedouble)
			jx_err(d, p, "must be a whole number of at least 0");
	}
}

static void
scn_check_rowmap(jx_doc *d, const scn *s, const char *path, const cJSON *v)
{
	char p[1024];
	const cJSON *m;
	cJSON_ArrayForEach(m, v) {
		jx_path(p, sizeof p, path, m->string);
		const char *id;
		const scn_table *t = scn_ref_row(d, s, p, m->string, &id);
		if (t)
			scn_check_fields(d, p, t, m);
	}
}

static void
scn_parse_expect(jx_doc *d, const scn *s, const char *path, const cJSON *e)
{
	static const char *const keys[] = { "status", "statuses", "requests",
	    "conflicts", "queue", "errors", "server", "device", "serverRows",
	    "deviceRows", "converged", "lostWrites", "failed", NULL };
	char p[1024], q[1024];
	const cJSON *v;
	long long x;
	int b;
	if (!cJSON_IsObject(e)) {
		jx_err(d, path, "expect is an object of checks");
		return;
	}
	jx_only(d, e, path, keys);
	jx_int(d, e, path, "status", 0, 0, 599, &x);
	if (jx_arr(d, e, path, "statuses", 0, &v) == 1) {
		const cJSON *m;
		size_t i = 0;
		cJSON_ArrayForEach(m, v) {
			jx_pathi(q, sizeof q,
			    jx_path(p, sizeof p, path, "statuses"), i++);
			if (!cJSON_IsNumber(m) || m->valuedouble < 100 ||
			    m->valuedouble > 599 ||
			    m->valuedouble != (double)(int)m->valuedouble)
				jx_err(d, q, "an HTTP status (100-599)");
		}
	}
	jx_int(d, e, path, "requests", 0, 0, 1000000, &x);
	jx_int(d, e, path, "conflicts", 0, 0, 1000000, &x);
	jx_int(d, e, path, "lostWrites", 0, 0, 1000000, &x);
	jx_bool(d, e, path, "converged", 0, &b);
	jx_bool(d, e, path, "failed", 0, &b);
	if (jx_obj(d, e, path, "queue", 0, &v) == 1)
		scn_check_counts(
		    d, s, jx_path(p, sizeof p, path, "queue"), v, 0);
	if (jx_obj(d, e, path, "errors", 0, &v) == 1)
		scn_check_counts(
		    d, s, jx_path(p, sizeof p, path, "errors"), v, 0);
	if (jx_obj(d, e, path, "serverRows", 0, &v) == 1)
		scn_check_counts(
		    d, s, jx_path(p, sizeof p, path, "serverRows"), v, 1);
	if (jx_obj(d, e, path, "server", 0, &v) == 1)
		scn_check_rowmap(d, s, jx_path(p, sizeof p, path, "server"), v);
	if (jx_obj(d, e, path, "deviceRows", 0, &v) == 1) {
		const cJSON *m;
		jx_path(q, sizeof q, path, "deviceRows");
		cJSON_ArrayForEach(m, v) {
			jx_path(p, sizeof p, q, m->string);
			scn_ref_device(d, s, p, m->string);
			if (!cJSON_IsObject(m))
				jx_err(d, p, "expected {\"table\": N}");
			else
				scn_check_counts(d, s, p, m, 1);
		}
	}
	if (jx_obj(d, e, path, "device", 0, &v) == 1) {
		const cJSON *m;
		jx_path(q, sizeof q, path, "device");
		cJSON_ArrayForEach(m, v) {
			jx_path(p, sizeof p, q, m->string);
			scn_ref_device(d, s, p, m->string);
			if (!cJSON_IsObject(m))
				jx_err(d, p,
				    "expected {\"table/id\": FIELDS or null}");
			else
				scn_check_rowmap(d, s, p, m);
		}
	}
}

/* ---- steps ---- */

/*
** The row of an insert ("row": id allowed, may be empty) or of an update
** ("set": no id, at least one column) at key of obj: checked against t
** when the table is known (else its reference was reported), kept in st.
*/
static void
scn_step_row(jx_doc *d, const cJSON *obj, const char *path,
    const scn_table *t, const char *key, int insert, scn_step *st)
{
	char p[1024];
	const cJSON *o = NULL;
	if (jx_obj(d, obj, path, key, 1, &o) != 1)
		return;
	if (t)
		scn_check_row(d, jx_path(p, sizeof p, path, key), t, o, insert,
		    0, !insert);
	st->row = cJSON_Duplicate(o, 1);
}

/* The keys each action takes besides do, say, ask and expect. */
static const char *const *
scn_action_keys(scn_action a)
{
	static const char *const k_insert[] = { "do", "say", "ask", "expect",
	    "device", "table", "row", NULL };
	static const char *const k_update[] = { "do", "say", "ask", "expect",
	    "device", "table", "id", "set", NULL };
	static const char *const k_delete[] = { "do", "say", "ask", "expect",
	    "device", "table", "id", NULL };
	static const char *const k_device[] = { "do", "say", "ask", "expect",
	    "device", NULL };
	static const char *const k_pull[] = { "do", "say", "ask", "expect",
	    "device", "table", NULL };
	static const char *const k_purge[] = { "do", "say", "ask", "expect",
	    "device", "table", "force", NULL };
	static const char *const k_drop[] = { "do", "say", "ask", "expect",
	    "device", "count", NULL };
	static const char *const k_latency[] = { "do", "say", "ask", "expect",
	    "device", "ms", NULL };
	static const char *const k_resolve[] = { "do", "say", "ask", "expect",
	    "device", "table", "id", "keep", NULL };
	static const char *const k_wait[] = { "do", "say", "ask", "expect",
	    "ms", NULL };
	switch (a) {
	case SCN_INSERT: return k_insert;
	case SCN_UPDATE: return k_update;
	case SCN_DELETE: return k_delete;
	case SCN_OFFLINE: case SCN_ONLINE: case SCN_PUSH: case SCN_SYNC:
		return k_device;
	case SCN_PULL: return k_pull;
	case SCN_PURGE: return k_purge;
	case SCN_DROP_REQUEST: case SCN_DROP_RESPONSE: return k_drop;
	case SCN_LATENCY: return k_latency;
	case SCN_RESOLVE: return k_resolve;
	case SCN_WAIT: return k_wait;
	}
	return k_wait;
}

static void
scn_parse_keep(jx_doc *d, const char *path, const scn_table *t,
    const cJSON *keep)
{
	char p[1024];
	if (cJSON_IsString(keep)) {
		if (strcmp(keep->valuestring, "local") &&
		    strcmp(keep->valuestring, "server"))
			jx_err(d, path, "keep is \"local\", \"server\" or "
			    "{\"field\": \"local\"|\"server\"}, not \"%s\"",
			    keep->valuestring);
		return;
	}
	if (!cJSON_IsObject(keep) || cJSON_GetArraySize(keep) == 0) {
		jx_err(d, path, "keep is \"local\", \"server\" or a non-empty "
		    "object {\"field\": \"local\"|\"server\"}");
		return;
	}
	const cJSON *m;
	cJSON_ArrayForEach(m, keep) {
		jx_path(p, sizeof p, path, m->string);
		if (t)
			scn_ref_col(d, p, t, m->string, "");
		if (!cJSON_IsString(m) || (strcmp(m->valuestring, "local") &&
		    strcmp(m->valuestring, "server")))
			jx_err(
			    d, p, "each field keeps \"local\" or \"server\"");
	}
}

/*
** One step object at path.  Fills *st (owned) even when there are errors,
** so the caller can free it uniformly.
*/
static void
scn_parse_step(jx_doc *d, const scn *s, const char *path, const cJSON *obj,
    scn_step *st)
{
	char p[1024];
	memset(st, 0, sizeof *st);
	st->count = 1;
	if (!cJSON_IsObject(obj)) {
		jx_err(d, path, "a step is an object {\"do\": ACTION, ...}");
		return;
	}
	int line = 0, col = 0;
	if (jx_locate(d, path, &line, &col) == 0)
		st->line = line;
	const char *act = NULL;
	if (jx_str(d, obj, path, "do", 1, &act) != 1)
		return;
	if (scn_action_parse(act, &st->act) != 0) {
		jx_err(d, jx_path(p, sizeof p, path, "do"),
		    "unknown action \"%s\" "
		    "(insert, update, delete, offline, online, push, pull, "
		    "sync, "
		    "purge, drop-request, drop-response, latency, resolve, "
		    "wait)",
		    act);
		return;
	}
	jx_only(d, obj, path, scn_action_keys(st->act));
	const char *v = NULL;
	if (jx_str(d, obj, path, "say", 0, &v) == 1)
		st->say = xstrdup(v);
	const cJSON *ask = cJSON_GetObjectItemCaseSensitive(obj, "ask");
	if (ask) {
		jx_path(p, sizeof p, path, "ask");
		if (!cJSON_IsObject(ask))
			jx_err(d, p, "ask is one question object "
			    "(docs/question-format.md)");
		else
			st->ask = qz_parse_question(d, ask, p);
	}
	const cJSON *ex = cJSON_GetObjectItemCaseSensitive(obj, "expect");
	if (ex) {
		scn_parse_expect(
		    d, s, jx_path(p, sizeof p, path, "expect"), ex);
		st->expect = cJSON_Duplicate(ex, 1);
	}
	if (st->act != SCN_WAIT) {
		if (jx_str(d, obj, path, "device", 1, &v) == 1) {
			scn_ref_device(
			    d, s, jx_path(p, sizeof p, path, "device"), v);
			st->device = xstrdup(v);
		}
	}
	const scn_table *t = NULL;
	int need_table = st->act == SCN_INSERT || st->act == SCN_UPDATE ||
	    st->act == SCN_DELETE || st->act == SCN_PURGE ||
	    st->act == SCN_RESOLVE;
	if (need_table || st->act == SCN_PULL) {
		if (jx_str(d, obj, path, "table", need_table, &v) == 1) {
			t = scn_ref_table(
			    d, s, jx_path(p, sizeof p, path, "table"), v);
			st->table = xstrdup(v);
		}
	}
	if (st->act == SCN_UPDATE || st->act == SCN_DELETE ||
	    st->act == SCN_RESOLVE) {
		if (jx_str(d, obj, path, "id", 1, &v) == 1) {
			if (v[0] == '\0' || strlen(v) > 127)
				jx_err(d, jx_path(p, sizeof p, path, "id"),
				    "an id is 1 to 127 characters");
			st->id = xstrdup(v);
		}
	}
	const cJSON *o = NULL;
	long long x;
	switch (st->act) {
	case SCN_INSERT:
		scn_step_row(d, obj, path, t, "row", 1, st);
		break;
	case SCN_UPDATE:
		scn_step_row(d, obj, path, t, "set", 0, st);
		break;
	case SCN_PURGE:
		jx_bool(d, obj, path, "force", 0, &st->force);
		break;
	case SCN_DROP_REQUEST:
	case SCN_DROP_RESPONSE:
		if (jx_int(d, obj, path, "count", 0, 1, 1000, &x) == 1)
			st->count = (int)x;
		break;
	case SCN_LATENCY:
		if (jx_int(d, obj, path, "ms", 1, 0, 600000, &x) == 1)
			st->ms = x;
		break;
	case SCN_WAIT:
		if (jx_int(d, obj, path, "ms", 1, 0, 31536000000LL, &x) == 1)
			st->ms = x;
		break;
	case SCN_RESOLVE:
		o = cJSON_GetObjectItemCaseSensitive(obj, "keep");
		if (o == NULL)
			jx_err(d, path, "missing required \"keep\"");
		else {
			scn_parse_keep(
			    d, jx_path(p, sizeof p, path, "keep"), t, o);
			st->row = cJSON_Duplicate(o, 1);
		}
		break;
	default:
		break;
	}
}

static void
scn_parse_steps(jx_doc *d, const scn *s, const char *key, const cJSON *arr,
    scn_step **out, size_t *n)
{
	int cnt = cJSON_GetArraySize(arr);
	*out = xcalloc((size_t)(cnt > 0 ? cnt : 1), sizeof **out);
	const cJSON *e;
	char p[1024];
	cJSON_ArrayForEach(e, arr) {
		jx_pathi(p, sizeof p, key, *n);
		scn_parse_step(d, s, p, e, &(*out)[*n]);
		(*n)++;
	}
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

static scn *
scn_from_doc(jx_doc *d)
{
	static const char *const keys[] = { "$schema", "id", "title", "summary",
	    "order", "objectives", "seed", "start", "tables", "devices", "rows",
	    "steps", "goal", "hints", "solution", NULL };
	char p[1024];
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
	wire_parse_time(SCN_DEFAULT_START, &s->start_ms, NULL);
	if (jx_str(d, root, "", "start", 0, &v) == 1 &&
	    wire_parse_time(v, &s->start_ms, NULL) != 0)
		jx_err(d, "start", "\"%s\" is not an ISO-8601 time such as "
		    "2026-03-02T09:00:00.000Z", v);

	const cJSON *a = NULL;
	if (jx_arr(d, root, "", "objectives", 1, &a) == 1) {
		int n = cJSON_GetArraySize(a);
		s->objectives =
		    xcalloc((size_t)(n > 0 ? n : 1), sizeof *s->objectives);
		const cJSON *o;
		static const char *const okeys[] = { "text", "domain", NULL };
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
			if (ob->domain &&
			    strcmp(ob->domain, "cloud-concepts") &&
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
	if (jx_arr(d, root, "", "tables", 1, &a) == 1) {
		int n = cJSON_GetArraySize(a);
		if (n == 0)
			jx_err(d, "tables", "define at least one table");
		s->tables = xcalloc((size_t)(n > 0 ? n : 1), sizeof *s->tables);
		const cJSON *o;
		size_t i = 0;
		cJSON_ArrayForEach(o, a) {
			scn_parse_table(
			    d, s, jx_pathi(p, sizeof p, "tables", i), o);
			i++;
		}
	}
	if (jx_arr(d, root, "", "devices", 1, &a) == 1) {
		int n = cJSON_GetArraySize(a);
		if (n < 1 || n > SCN_MAX_DEVICES)
			jx_err(d, "devices",
			    "a scenario has 1 to %d devices, not %d",
			    SCN_MAX_DEVICES, n);
		s->devices =
		    xcalloc((size_t)(n > 0 ? n : 1), sizeof *s->devices);
		const cJSON *o;
		size_t i = 0;
		cJSON_ArrayForEach(o, a) {
			scn_parse_device(
			    d, s, jx_pathi(p, sizeof p, "devices", i), o);
			i++;
		}
	}
	const cJSON *rows = NULL;
	if (jx_obj(d, root, "", "rows", 0, &rows) == 1) {
		scn_parse_rows(d, s, rows);
		s->rows = cJSON_Duplicate(rows, 1);
	}
	if (jx_arr(d, root, "", "steps", 1, &a) == 1)
		scn_parse_steps(d, s, "steps", a, &s->steps, &s->nsteps);
	const cJSON *goal = NULL;
	if (jx_obj(d, root, "", "goal", 0, &goal) == 1) {
		static const char *const gkeys[] = { "text", "expect", NULL };
		jx_only(d, goal, "goal", gkeys);
		s->goal_text = scn_dup_str(d, goal, "goal", "text", 1);
		const cJSON *ge = NULL;
		if (jx_obj(d, goal, "goal", "expect", 1, &ge) == 1) {
			scn_parse_expect(d, s, "goal.expect", ge);
			s->goal_expect = cJSON_Duplicate(ge, 1);
		}
		if (s->goal_text == NULL)
			s->goal_text = xstrdup("");
	}
	if (jx_arr(d, root, "", "hints", 0, &a) == 1) {
		int n = cJSON_GetArraySize(a);
		s->hints = xcalloc((size_t)(n > 0 ? n : 1), sizeof *s->hints);
		const cJSON *o;
		cJSON_ArrayForEach(o, a) {
			jx_pathi(p, sizeof p, "hints", s->nhints);
			if (!cJSON_IsString(o)) {
				jx_err(d, p, "a hint is a string");
				continue;
			}
			s->hints[s->nhints++] = xstrdup(o->valuestring);
		}
	}
	if (jx_arr(d, root, "", "solution", 0, &a) == 1)
		scn_parse_steps(
		    d, s, "solution", a, &s->solution, &s->nsolution);
	/* Ask ids must be unique: --answers files are keyed on them. */
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

/* ---- ad-hoc steps ---- */

int
scn_step_parse(const scn *s, const char *json, scn_step *out, sb *errs)
{
	jx_doc d;
	memset(out, 0, sizeof *out);
	jx_load_text(&d, "step", json, strlen(json));
	if (d.root)
		scn_parse_step(&d, s, "", d.root, out);
	int bad = d.nerr != 0;
	if (bad) {
		sb_add(errs, sb_str(&d.errs));
		scn_step_free(out);
	}
	out->line = 0;
	jx_free(&d);
	return bad ? -1 : 0;
}

/* Builds the JSON form of a step (the file syntax). */
static cJSON *
scn_step_json(const scn_step *st)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "do", scn_action_name(st->act));
	if (st->device)
		cJSON_AddStringToObject(o, "device", st->device);
	if (st->table)
		cJSON_AddStringToObject(o, "table", st->table);
	if (st->id)
		cJSON_AddStringToObject(o, "id", st->id);
	if (st->row) {
		const char *k = st->act == SCN_UPDATE ? "set" :
		    st->act == SCN_RESOLVE ? "keep" : "row";
		cJSON_AddItemToObject(o, k, cJSON_Duplicate(st->row, 1));
	}
	switch (st->act) {
	case SCN_PURGE:
		cJSON_AddBoolToObject(o, "force", st->force);
		break;
	case SCN_DROP_REQUEST:
	case SCN_DROP_RESPONSE:
		cJSON_AddNumberToObject(o, "count", st->count);
		break;
	case SCN_LATENCY:
	case SCN_WAIT:
		cJSON_AddNumberToObject(o, "ms", (double)st->ms);
		break;
	default:
		break;
	}
	return o;
}

int
scn_step_validate(const scn *s, const scn_step *st, sb *errs)
{
	cJSON *o = scn_step_json(st);
	char *txt = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	scn_step tmp;
	int rc = scn_step_parse(s, txt, &tmp, errs);
	if (rc == 0)
		scn_step_free(&tmp);
	cJSON_free(txt);
	return rc;
}

void
scn_step_summary(const scn_step *st, sb *out)
{
	if (st->device)
		sb_addf(out, "%s: ", st->device);
	sb_add(out, scn_action_name(st->act));
	if (st->table)
		sb_addf(out, " %s", st->table);
	if (st->id)
		sb_addf(out, "/%s", st->id);
	if (st->row) {
		char *j = cJSON_PrintUnformatted(st->row);
		sb_addf(out, " %s", j);
		cJSON_free(j);
	}
	switch (st->act) {
	case SCN_PURGE:
		if (st->force)
			sb_add(out, " (force)");
		break;
	case SCN_DROP_REQUEST:
	case SCN_DROP_RESPONSE:
		if (st->count != 1)
			sb_addf(out, " x%d", st->count);
		break;
	case SCN_LATENCY:
	case SCN_WAIT:
		sb_addf(out, " %lld ms", (long long)st->ms);
		break;
	default:
		break;
	}
}
