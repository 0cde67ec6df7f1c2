/*
** pol.c: conflict policies; see pol.h and docs/sync-model.md.
**
** The real client SDKs ship no policy: a 409/412 leaves the operation in
** __operations and an error row in __errors.  An app resolves conflicts in
** a custom sync handler (.NET IMobileServiceSyncHandler) or an onConflict
** callback (JS).  This file is the decision part of such a handler, kept
** pure so that every policy can be tested on hand-made rows: the device
** (dev.c) does the requests and the store changes.
**
** Whole-row policies (none, server-wins, client-wins, last-writer-wins,
** newest-edit-wins, manual) decide the row at once when no field override
** exists.  As soon as the table has overrides, every user column is
** decided on its own with the spec pol_for_field() gives it, and the row's
** verdict is derived from the fields: one field that needs a person (none,
** manual, or a merge whose fallback is one of those) keeps the operation
** queued; a result equal to the server row is taken as the server row; any
** other result is pushed.
*/
#include "sim/pol.h"
#include "lib/xmem.h"
#include "sim/wire.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const pol_names[] = {
	[POL_NONE] = "none",
	[POL_SERVER_WINS] = "server-wins",
	[POL_CLIENT_WINS] = "client-wins",
	[POL_LAST_WRITER_WINS] = "last-writer-wins",
	[POL_NEWEST_EDIT_WINS] = "newest-edit-wins",
	[POL_PRECEDENCE] = "precedence",
	[POL_DELTA] = "delta",
	[POL_MERGE] = "merge",
	[POL_MANUAL] = "manual",
};
#define POL_NKINDS (sizeof pol_names / sizeof pol_names[0])

const char *
pol_name(pol_kind k)
{
	if ((size_t)k < POL_NKINDS && pol_names[k] != NULL)
		return pol_names[k];
	return "unknown";
}

int
pol_parse(const char *name, pol_kind *out)
{
	if (name == NULL)
		return -1;
	for (size_t i = 0; i < POL_NKINDS; i++) {
		if (strcmp(pol_names[i], name) == 0) {
			if (out != NULL)
				*out = (pol_kind)i;
			return 0;
		}
	}
	return -1;
}

const pol_spec *
pol_for_field(const pol_table *t, const char *field)
{
	static const pol_spec none_spec;
	if (t == NULL)
		return &none_spec;
	if (field != NULL) {
		for (size_t i = 0; i < t->nfields; i++) {
			if (t->fields[i].field != NULL &&
			    strcmp(t->fields[i].field, field) == 0)
				return &t->fields[i].spec;
		}
	}
	return &t->spec;
}

static void
pol_spec_copy(pol_spec *dst, const pol_spec *src)
{
	dst->kind = src->kind;
	dst->fallback = src->fallback;
	dst->stamp = src->stamp != NULL ? xstrdup(src->stamp) : NULL;
	dst->norder = src->norder;
	dst->order = NULL;
	if (src->norder > 0) {
		dst->order = xcalloc(src->norder, sizeof *dst->order);
		for (size_t i = 0; i < src->norder; i++)
			dst->order[i] = xstrdup(src->order[i] != NULL ?
			    src->order[i] : "");
	}
}

static void
pol_spec_free(pol_spec *s)
{
	for (size_t i = 0; i < s->norder; i++)
		free(s->order[i]);
	free(s->order);
	free(s->stamp);
	memset(s, 0, sizeof *s);
}

void
pol_table_copy(pol_table *dst, const pol_table *src)
{
	memset(dst, 0, sizeof *dst);
	pol_spec_copy(&dst->spec, &src->spec);
	if (src->nfields > 0) {
		dst->fields = xcalloc(src->nfields, sizeof *dst->fields);
		dst->nfields = src->nfields;
		for (size_t i = 0; i < src->nfields; i++) {
			dst->fields[i].field = xstrdup(src->fields[i].field != NULL ?
			    src->fields[i].field : "");
			pol_spec_copy(&dst->fields[i].spec, &src->fields[i].spec);
		}
	}
}

void
pol_table_free(pol_table *t)
{
	if (t == NULL)
		return;
	pol_spec_free(&t->spec);
	for (size_t i = 0; i < t->nfields; i++) {
		free(t->fields[i].field);
		pol_spec_free(&t->fields[i].spec);
	}
	free(t->fields);
	memset(t, 0, sizeof *t);
}

/* System columns never take part in a decision: the server owns them. */
static int
pol_is_system(const char *name)
{
	static const char *const sys[] = { "id", "createdAt", "updatedAt",
	    "version", "deleted" };
	for (size_t i = 0; i < sizeof sys / sizeof sys[0]; i++)
		if (strcmp(name, sys[i]) == 0)
			return 1;
	return 0;
}

/* A member of row, or NULL; a missing row or member reads as JSON null. */
static const cJSON *
pol_get(const cJSON *row, const char *field)
{
	if (row == NULL || !cJSON_IsObject(row))
		return NULL;
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(row, field);
	return v != NULL && !cJSON_IsNull(v) ? v : NULL;
}

static int
pol_equal(const cJSON *a, const cJSON *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return cJSON_Compare(a, b, 1);
}

/* A short printable form of a value for the sentences. */
static void
pol_show(sb *b, const cJSON *v)
{
	if (v == NULL) {
		sb_add(b, "nothing");
		return;
	}
	if (cJSON_IsString(v)) {
		sb_addjson(b, v->valuestring);
		return;
	}
	char *s = cJSON_PrintUnformatted(v);
	sb_add(b, s != NULL ? s : "?");
	cJSON_free(s);
}

/* Index of v in the precedence order, -1 when not listed. */
static long
pol_rank(const pol_spec *s, const cJSON *v)
{
	char buf[64];
	const char *text = NULL;
	if (v == NULL)
		return -1;
	if (cJSON_IsString(v))
		text = v->valuestring;
	else if (cJSON_IsBool(v))
		text = cJSON_IsTrue(v) ? "true" : "false";
	else if (cJSON_IsNumber(v)) {
		/* Orders are strings in the scenario; numbers match their
		** shortest decimal form ("3", "2.5"). */
		char *p = cJSON_PrintUnformatted(v);
		if (p != NULL) {
			size_t n = strlen(p);
			if (n < sizeof buf) {
				memcpy(buf, p, n + 1);
				text = buf;
			}
			cJSON_free(p);
		}
	}
	if (text == NULL)
		return -1;
	for (size_t i = 0; i < s->norder; i++)
		if (s->order[i] != NULL && strcmp(s->order[i], text) == 0)
			return (long)i;
	return -1;
}

/* The edit stamp of a row as ms, or INT64_MIN when missing or unreadable
** (a row that was never stamped counts as the oldest edit). */
static int64_t
pol_stamp(const pol_spec *s, const cJSON *row)
{
	int64_t ms;
	if (s->stamp == NULL)
		return INT64_MIN;
	const cJSON *v = pol_get(row, s->stamp);
	if (!cJSON_IsString(v) || wire_parse_time(v->valuestring, &ms, NULL) != 0)
		return INT64_MIN;
	return ms;
}

/* What one field decision produced. */
enum pol_pick {
	POL_PICK_SERVER,	/* the server's value */
	POL_PICK_LOCAL,		/* the device's value */
	POL_PICK_VALUE,		/* a computed value (delta) */
	POL_PICK_KEEP		/* a person must decide: keep the op queued */
};

/*
** Decides one field under the whole-row kinds (also used for a merge
** fallback).  Appends the sentence to why.
*/
static enum pol_pick
pol_decide_simple(const pol_spec *s, pol_kind kind, const char *field,
    const cJSON *lv, const cJSON *sv, const cJSON *local, const cJSON *server,
    sb *why)
{
	switch (kind) {
	case POL_SERVER_WINS:
		sb_addf(why, "%s: server-wins keeps the server's value.\n",
		    field);
		return POL_PICK_SERVER;
	case POL_CLIENT_WINS:
		sb_addf(why, "%s: client-wins keeps the device's value.\n",
		    field);
		return POL_PICK_LOCAL;
	case POL_LAST_WRITER_WINS:
		sb_addf(why, "%s: last-writer-wins keeps the write that "
		    "arrives last, the device's.\n", field);
		return POL_PICK_LOCAL;
	case POL_NEWEST_EDIT_WINS: {
		int64_t ls = pol_stamp(s, local), ss = pol_stamp(s, server);
		if (ls > ss) {
			sb_addf(why, "%s: the device's edit stamp (%s) is later "
			    "than the server's, so the device's value is kept "
			    "(stamps come from device clocks, which may be "
			    "wrong).\n", field, s->stamp ? s->stamp : "?");
			return POL_PICK_LOCAL;
		}
		sb_addf(why, "%s: the server's edit stamp (%s) is as late or "
		    "later, so the server's value is kept.\n", field,
		    s->stamp ? s->stamp : "?");
		return POL_PICK_SERVER;
	}
	case POL_NONE:
	case POL_MANUAL:
	default:
		if (pol_equal(lv, sv)) {
			sb_addf(why, "%s: both sides hold the same value.\n",
			    field);
			return POL_PICK_SERVER;
		}
		sb_addf(why, "%s: policy %s decides nothing, so the operation "
		    "stays queued for a person to resolve.\n", field,
		    pol_name(kind));
		return POL_PICK_KEEP;
	}
}

static enum pol_pick
pol_decide_merge(const pol_spec *s, const char *field, const cJSON *bv,
    int has_base, const cJSON *lv, const cJSON *sv, const cJSON *local,
    const cJSON *server, sb *why)
{
	if (pol_equal(lv, sv)) {
		sb_addf(why, "%s: both sides hold the same value.\n", field);
		return POL_PICK_SERVER;
	}
	if (has_base && pol_equal(lv, bv)) {
		sb_addf(why, "%s: only the server changed it, so the server's "
		    "value is merged in.\n", field);
		return POL_PICK_SERVER;
	}
	if (has_base && pol_equal(sv, bv)) {
		sb_addf(why, "%s: only the device changed it, so the device's "
		    "value is merged in.\n", field);
		return POL_PICK_LOCAL;
	}
	sb_addf(why, "%s: changed on both sides%s; the fallback %s decides.\n",
	    field, has_base ? "" : " (no base copy to compare with)",
	    pol_name(s->fallback));
	pol_kind fb = s->fallback;
	/* A fallback that is itself a field policy would need its own
	** options; only the whole-row kinds make sense here. */
	if (fb == POL_MERGE || fb == POL_DELTA || fb == POL_PRECEDENCE)
		fb = POL_SERVER_WINS;
	return pol_decide_simple(s, fb, field, lv, sv, local, server, why);
}

static enum pol_pick
pol_decide_field(const pol_spec *s, const char *field, const cJSON *base,
    const cJSON *local, const cJSON *server, cJSON **value, sb *why)
{
	const cJSON *lv = pol_get(local, field);
	const cJSON *sv = pol_get(server, field);
	const cJSON *bv = pol_get(base, field);
	int has_base = base != NULL && cJSON_IsObject(base);

	switch (s->kind) {
	case POL_PRECEDENCE: {
		long lr = pol_rank(s, lv), sr = pol_rank(s, sv);
		if (pol_equal(lv, sv)) {
			sb_addf(why, "%s: both sides hold the same value.\n",
			    field);
			return POL_PICK_SERVER;
		}
		sb_addf(why, "%s: ", field);
		if (lr > sr) {
			pol_show(why, lv);
			sb_add(why, " outranks ");
			pol_show(why, sv);
			sb_add(why, ", so the device's value is kept.\n");
			return POL_PICK_LOCAL;
		}
		pol_show(why, sv);
		if (sr > lr)
			sb_add(why, " outranks ");
		else
			sb_add(why, " ranks the same as ");
		pol_show(why, lv);
		sb_add(why, sr > lr ? ", so the server's value is kept.\n" :
		    ", and without a winner the server's value is kept.\n");
		return POL_PICK_SERVER;
	}
	case POL_DELTA: {
		if (!cJSON_IsNumber(lv) || !cJSON_IsNumber(sv)) {
			/* A table-wide delta on a column that is not a
			** number: the column merges (a field rule delta on
			** such a column is refused by the loader). */
			if (pol_equal(lv, sv)) {
				sb_addf(why, "%s: both sides hold the same "
				    "value.\n", field);
				return POL_PICK_SERVER;
			}
			sb_addf(why, "%s: delta adds numbers only, and this "
			    "column is not one, so it merges.\n", field);
			pol_spec m = *s;
			m.fallback = POL_SERVER_WINS;
			return pol_decide_merge(&m, field, bv, has_base, lv, sv,
			    local, server, why);
		}
		if (!cJSON_IsNumber(bv)) {
			sb_addf(why, "%s: no base value, so the device's change "
			    "cannot be measured; the device's value is kept.\n",
			    field);
			return POL_PICK_LOCAL;
		}
		double r = sv->valuedouble + (lv->valuedouble - bv->valuedouble);
		if (!isfinite(r)) {
			sb_addf(why, "%s: the delta overflows; the server's "
			    "value is kept.\n", field);
			return POL_PICK_SERVER;
		}
		*value = cJSON_CreateNumber(r);
		sb_addf(why, "%s: server %g + (device %g - base %g) = %g, so "
		    "both changes count.\n", field, sv->valuedouble,
		    lv->valuedouble, bv->valuedouble, r);
		return POL_PICK_VALUE;
	}
	case POL_MERGE:
		return pol_decide_merge(s, field, bv, has_base, lv, sv, local,
		    server, why);
	default:
		return pol_decide_simple(s, s->kind, field, lv, sv, local,
		    server, why);
	}
}

/* The user columns of local, then those only the server has. */
static cJSON *
pol_fields(const cJSON *local, const cJSON *server)
{
	cJSON *names = cJSON_CreateArray();
	const cJSON *rows[2] = { local, server };
	for (int r = 0; r < 2; r++) {
		const cJSON *it;
		if (rows[r] == NULL || !cJSON_IsObject(rows[r]))
			continue;
		cJSON_ArrayForEach(it, rows[r]) {
			if (it->string == NULL || pol_is_system(it->string))
				continue;
			int dup = 0;
			const cJSON *n;
			cJSON_ArrayForEach(n, names)
				if (strcmp(n->valuestring, it->string) == 0)
					dup = 1;
			if (!dup)
				cJSON_AddItemToArray(names,
				    cJSON_CreateString(it->string));
		}
	}
	return names;
}

/* The device's row trimmed to user columns plus id. */
static cJSON *
pol_user_row(const cJSON *row, const cJSON *id_from)
{
	cJSON *out = cJSON_CreateObject();
	const cJSON *id = pol_get(id_from, "id");
	if (cJSON_IsString(id))
		cJSON_AddStringToObject(out, "id", id->valuestring);
	const cJSON *it;
	if (row != NULL && cJSON_IsObject(row)) {
		cJSON_ArrayForEach(it, row) {
			if (it->string == NULL || pol_is_system(it->string))
				continue;
			cJSON_AddItemToObject(out, it->string,
			    cJSON_Duplicate(it, 1));
		}
	}
	return out;
}

/*
** A delete (local == NULL) has no fields to compare: the table's own
** policy decides the row.  Field policies cannot weigh a deletion against
** an edit, so precedence and delta keep the server's edit, and merge uses
** its fallback.  newest-edit-wins needs the time of the delete, which only
** the device knows (dev.c compares it before calling here).
*/
static pol_verdict
pol_resolve_delete(const pol_table *t, const cJSON *server, cJSON **merged,
    sb *why)
{
	pol_kind k = t->spec.kind;
	if (k == POL_MERGE)
		k = t->spec.fallback;
	if (server == NULL && k != POL_NONE && k != POL_MANUAL &&
	    k != POL_CLIENT_WINS && k != POL_LAST_WRITER_WINS) {
		sb_add(why, "The server row is unknown, so nothing can be taken "
		    "from it; the delete stays queued.\n");
		return POL_V_KEEP_QUEUED;
	}
	switch (k) {
	case POL_CLIENT_WINS:
	case POL_LAST_WRITER_WINS:
		sb_addf(why, "The device deleted the row and %s sends the delete "
		    "again with the server's version.\n", pol_name(k));
		*merged = pol_user_row(NULL, server);
		return POL_V_PUSH_MERGED;
	case POL_NONE:
	case POL_MANUAL:
		sb_addf(why, "The device deleted a row the server changed; "
		    "policy %s leaves the delete queued for a person.\n",
		    pol_name(k));
		return POL_V_KEEP_QUEUED;
	default:
		sb_addf(why, "The device deleted a row the server changed; "
		    "under %s the server's edit survives and the row comes "
		    "back on the device.\n", pol_name(t->spec.kind));
		return POL_V_TAKE_SERVER;
	}
}

/*
** What a whole-row client-wins (or last-writer-wins) re-push replaces:
** the server's values that differ from the device's row, named; none when
** the server's row already holds the device's values (its own earlier
** write, e.g. an insert whose 201 was lost).
*/
static void
pol_overwrite_why(pol_kind k, const cJSON *local, const cJSON *server,
    sb *why)
{
	if (server == NULL) {
		sb_addf(why, "%s: the device's row is pushed again over the "
		    "server's, which this device has not seen.\n", pol_name(k));
		return;
	}
	cJSON *names = pol_fields(local, server);
	size_t n = 0;
	const cJSON *f;
	cJSON_ArrayForEach(f, names) {
		const cJSON *lv = pol_get(local, f->valuestring);
		const cJSON *sv = pol_get(server, f->valuestring);
		if (pol_equal(lv, sv))
			continue;
		if (n++ == 0)
			sb_addf(why, "%s: the device's row is pushed again with "
			    "the server's version, replacing the server's ",
			    pol_name(k));
		else
			sb_add(why, ", ");
		sb_addf(why, "%s ", f->valuestring);
		pol_show(why, sv);
	}
	cJSON_Delete(names);
	if (n > 0)
		sb_add(why, " unseen: nobody on this device looked at them.\n");
	else
		sb_addf(why, "%s: the server's row already holds this device's "
		    "values (its own earlier write), so the re-push overwrites "
		    "nothing anyone else wrote.\n", pol_name(k));
}

pol_verdict
pol_resolve(const pol_table *t, const cJSON *base, const cJSON *local,
    const cJSON *server, cJSON **merged, sb *why)
{
	static const pol_table none;
	*merged = NULL;
	if (t == NULL)
		t = &none;
	if (local == NULL || !cJSON_IsObject(local))
		return pol_resolve_delete(t, server, merged, why);
	if (server != NULL && !cJSON_IsObject(server))
		server = NULL;

	pol_kind k = t->spec.kind;
	if (t->nfields == 0) {
		/* Whole-row policies: one decision for the row. */
		switch (k) {
		case POL_NONE:
			sb_add(why, "Policy none is the SDK default: no sync "
			    "handler resolves the conflict.\n");
			return POL_V_KEEP_QUEUED;
		case POL_MANUAL:
			sb_add(why, "Policy manual: a person decides (the "
			    "conflict dialog or a resolve step).\n");
			return POL_V_KEEP_QUEUED;
		case POL_SERVER_WINS:
			if (server == NULL) {
				sb_add(why, "server-wins needs the server row, "
				    "which is unknown; the operation stays "
				    "queued.\n");
				return POL_V_KEEP_QUEUED;
			}
			sb_add(why, "server-wins: the operation is cancelled and "
			    "the server's row replaces the device's.\n");
			return POL_V_TAKE_SERVER;
		case POL_NEWEST_EDIT_WINS: {
			/* One comparison of the two stamps for the row. */
			if (server == NULL)
				break;	/* said below: stays queued */
			int64_t ls = pol_stamp(&t->spec, local);
			int64_t ss = pol_stamp(&t->spec, server);
			const char *col = t->spec.stamp ? t->spec.stamp : "?";
			sb_addf(why, "newest-edit-wins compares the edit stamps "
			    "in %s: the device's ", col);
			pol_show(why, pol_get(local, col));
			sb_add(why, " against the server's ");
			pol_show(why, pol_get(server, col));
			if (ls > ss) {
				sb_add(why, ". The device's is later, so its row "
				    "is pushed again with the server's version "
				    "(each stamp comes from the clock of the "
				    "device that edited, which may be wrong).\n");
				*merged = pol_user_row(local, local);
				return POL_V_PUSH_MERGED;
			}
			sb_add(why, ". The server's is as late or later, so the "
			    "operation is cancelled and the server's row is "
			    "kept.\n");
			return POL_V_TAKE_SERVER;
		}
		case POL_CLIENT_WINS:
		case POL_LAST_WRITER_WINS:
			pol_overwrite_why(k, local, server, why);
			*merged = pol_user_row(local, local);
			return POL_V_PUSH_MERGED;
		default:
			break;	/* field-level kinds: decided per field */
		}
	}
	if (server == NULL) {
		sb_add(why, "The server row is unknown, so no field can be "
		    "compared; the operation stays queued.\n");
		return POL_V_KEEP_QUEUED;
	}

	cJSON *names = pol_fields(local, server);
	cJSON *out = pol_user_row(NULL, local);
	int keep = 0, same_as_server = 1;
	const cJSON *n;
	cJSON_ArrayForEach(n, names) {
		const char *f = n->valuestring;
		cJSON *value = NULL;
		enum pol_pick p = pol_decide_field(pol_for_field(t, f), f, base,
		    local, server, &value, why);
		const cJSON *src = NULL;
		switch (p) {
		case POL_PICK_KEEP:
			keep = 1;
			src = pol_get(server, f);
			break;
		case POL_PICK_SERVER:
			src = pol_get(server, f);
			break;
		case POL_PICK_LOCAL:
			src = pol_get(local, f);
			break;
		case POL_PICK_VALUE:
			break;
		}
		if (value == NULL)
			value = src != NULL ? cJSON_Duplicate(src, 1) :
			    cJSON_CreateNull();
		if (!pol_equal(cJSON_IsNull(value) ? NULL : value,
		    pol_get(server, f)))
			same_as_server = 0;
		cJSON_AddItemToObject(out, f, value);
	}
	cJSON_Delete(names);
	if (keep) {
		cJSON_Delete(out);
		return POL_V_KEEP_QUEUED;
	}
	if (same_as_server) {
		cJSON_Delete(out);
		sb_add(why, "Every field ends up as the server has it, so the "
		    "operation is cancelled and the server's row is kept.\n");
		return POL_V_TAKE_SERVER;
	}
	*merged = out;
	sb_add(why, "The merged row is pushed with the server's version.\n");
	return POL_V_PUSH_MERGED;
}
