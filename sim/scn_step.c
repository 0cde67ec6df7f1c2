/*
** scn_step.c: the steps of a scenario and their expect objects; see scn.h
** and docs/scenario-format.md.
**
** Steps are read inside a document (scn_parse_steps, with every problem
** recorded by jx_err) or one at a time from JSON text (scn_step_parse, the
** ad-hoc steps a student adds in the UI), against the same rules.
*/
#include "sim/scn.h"
#include "sim/scn_int.h"
#include "sim/scn_cloud.h"
#include "lib/jx.h"
#include "lib/xmem.h"
#include "quiz/qz.h"
#include "sim/wire.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
		long long x;
		jx_int_val(d, m, p, 0, SCN_MAX_COUNT, &x);
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

void
scn_parse_expect(jx_doc *d, const scn *s, const char *path, const cJSON *e)
{
	static const char *const keys[] = { "status", "statuses", "requests",
	    "conflicts", "queue", "errors", "server", "device", "serverRows",
	    "deviceRows", "converged", "lostWrites", "overwritten", "failed",
	    "hub", "notified", "tags", "plan", NULL };
	char p[1024], q[1024];
	const cJSON *v;
	long long x;
	int b;
	if (!cJSON_IsObject(e)) {
		jx_err(d, path, "expect is an object of checks");
		return;
	}
	jx_only(d, e, path, keys);
	scn_cloud_expect(d, s, path, e);
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
	jx_int(d, e, path, "requests", 0, 0, SCN_MAX_COUNT, &x);
	jx_int(d, e, path, "conflicts", 0, 0, SCN_MAX_COUNT, &x);
	jx_int(d, e, path, "lostWrites", 0, 0, SCN_MAX_COUNT, &x);
	jx_int(d, e, path, "overwritten", 0, 0, SCN_MAX_COUNT, &x);
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
	    "repeat",
	    "device", "table", "row", NULL };
	static const char *const k_update[] = { "do", "say", "ask", "expect",
	    "repeat",
	    "device", "table", "id", "set", NULL };
	static const char *const k_delete[] = { "do", "say", "ask", "expect",
	    "repeat",
	    "device", "table", "id", NULL };
	static const char *const k_device[] = { "do", "say", "ask", "expect",
	    "repeat",
	    "device", NULL };
	static const char *const k_pull[] = { "do", "say", "ask", "expect",
	    "repeat",
	    "device", "table", "pages", NULL };
	static const char *const k_purge[] = { "do", "say", "ask", "expect",
	    "repeat",
	    "device", "table", "force", NULL };
	static const char *const k_drop[] = { "do", "say", "ask", "expect",
	    "repeat",
	    "device", "count", NULL };
	static const char *const k_latency[] = { "do", "say", "ask", "expect",
	    "repeat",
	    "device", "ms", NULL };
	static const char *const k_resolve[] = { "do", "say", "ask", "expect",
	    "repeat",
	    "device", "table", "id", "keep", NULL };
	static const char *const k_wait[] = { "do", "say", "ask", "expect",
	    "repeat",
	    "ms", NULL };
	static const char *const k_signin[] = { "do", "say", "ask", "expect",
	    "device", "provider", "user", "flow", NULL };
	static const char *const k_signout[] = { "do", "say", "ask", "expect",
	    "device", "everywhere", NULL };
	static const char *const k_tamper[] = { "do", "say", "ask", "expect",
	    "device", "user", NULL };
	static const char *const k_steal[] = { "do", "say", "ask", "expect",
	    "device", "from", NULL };
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
	case SCN_SIGNIN: return k_signin;
	case SCN_SIGNOUT: return k_signout;
	case SCN_REFRESH: return k_device;
	case SCN_TAMPER: return k_tamper;
	case SCN_STEAL: return k_steal;
	default: return scn_cloud_keys(a);
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
	if (jx_locate(d, path, &line, &col) == 0) {
		st->line = line;
		st->col = col;
	}
	const char *act = NULL;
	if (jx_str(d, obj, path, "do", 1, &act) != 1)
		return;
	if (scn_action_parse(act, &st->act) != 0) {
		jx_err(d, jx_path(p, sizeof p, path, "do"),
		    "unknown action \"%s\" "
		    "(insert, update, delete, offline, online, push, pull, "
		    "sync, "
		    "purge, drop-request, drop-response, latency, resolve, "
		    "wait, register, unregister, tag, send, scale, signin, signout, "
		    "refresh, tamper, steal)",
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
	if (st->act != SCN_WAIT && st->act != SCN_SEND &&
	    st->act != SCN_SCALE) {
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
	case SCN_PULL:
		if (jx_int(d, obj, path, "pages", 0, 1, 1000, &x) == 1)
			st->pages = (int)x;
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
		if (scn_cloud_action(st->act))
			scn_cloud_step(d, s, path, obj, st);
		else if (scn_action_is_auth(st->act))
			scn_auth_step(d, s, path, obj, st);
		break;
	}
}

void
scn_parse_steps(jx_doc *d, const scn *s, const char *key, const cJSON *arr,
    scn_step **out, size_t *n)
{
	int cnt = cJSON_GetArraySize(arr);
	size_t cap = (size_t)(cnt > 0 ? cnt : 1);
	*out = xcalloc(cap, sizeof **out);
	const cJSON *e;
	char p[1024];
	size_t i = 0, total = 0;
	cJSON_ArrayForEach(e, arr) {
		jx_pathi(p, sizeof p, key, i++);
		/* "repeat": N runs the step N times in a row, each one its
		** own numbered step (no ask: its id would repeat).  The
		** whole script stays under SCN_MAX_STEPS steps. */
		long long rep = 1;
		/* A send step's own "repeat" sends N notifications in one
		** step (scn_cloud.c); every other step repeats whole. */
		const cJSON *act = cJSON_GetObjectItemCaseSensitive(e, "do");
		int own = cJSON_IsString(act) &&
		    strcmp(act->valuestring, "send") == 0;
		if (cJSON_IsObject(e) && !own && jx_int(d, e, p, "repeat", 0,
		    1, SCN_MAX_STEPS, &rep) == 1 && rep > 1 &&
		    cJSON_GetObjectItemCaseSensitive(e, "ask")) {
			char q[1024];
			jx_err(d, jx_path(q, sizeof q, p, "repeat"), "a step "
			    "that repeats cannot ask (its question id would "
			    "repeat); put the ask on a step of its own");
			rep = 1;
		}
		if (total + (size_t)rep > SCN_MAX_STEPS) {
			char q[1024];
			jx_err(d, jx_path(q, sizeof q, p, "repeat"), "the "
			    "script would have more than %d steps",
			    SCN_MAX_STEPS);
			rep = 1;
		}
		total += (size_t)rep;
		if (*n + (size_t)rep > cap) {
			while (*n + (size_t)rep > cap)
				cap *= 2;
			*out = xreallocarray(*out, cap, sizeof **out);
		}
		scn_parse_step(d, s, p, e, &(*out)[*n]);
		(*n)++;
		for (long long k = 1; k < rep; k++) {
			scn_step_copy(&(*out)[*n], &(*out)[*n - 1]);
			(*n)++;
		}
	}
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
	if (st->row && (scn_cloud_action(st->act) ||
	    scn_action_is_auth(st->act))) {
		const cJSON *m;
		cJSON_ArrayForEach(m, st->row)
			cJSON_AddItemToObject(o, m->string,
			    cJSON_Duplicate(m, 1));
		if (st->act == SCN_SEND && st->count > 1)
			cJSON_AddNumberToObject(o, "repeat", st->count);
	} else if (st->row) {
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
	if (st->row && !(cJSON_IsObject(st->row) && st->row->child == NULL)) {
		char *j = cJSON_PrintUnformatted(st->row);
		sb_addf(out, " %s", j);
		cJSON_free(j);
	}
	if (st->act == SCN_SEND && st->count > 1)
		sb_addf(out, " x%d", st->count);
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
