/*
** srv_write.c: the backend's writes; see srv.h and srv_int.h.
**
** Request bodies are checked here (JSON, reserved names, each value's type)
** and inserts, updates, deletes and undeletes run inside one transaction
** each; the deviations D1 to D6 of srv.c's list are decided here.
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
/* Bodies                                                               */

/* Parses the body as a JSON object.  Returns it (caller frees), or NULL
** after writing the 400 into resp.  An absent or blank body gives an empty
** object when optional. */
static cJSON *
srv_body(const http_req *req, http_resp *resp, int optional)
{
	const char *body = req->body, *end = NULL;
	size_t len = body ? req->body_len : 0;
	cJSON *root;

	if (body && len == 0)
		len = strlen(body);
	size_t k = 0;
	while (k < len && isspace((unsigned char)body[k]))
		k++;
	if (k == len) {
		if (optional)
			return cJSON_CreateObject();
		srv_error(resp, 400, "The request body must be a JSON object");
		return NULL;
	}
	if (memchr(body, '\0', len) != NULL) {
		srv_error(resp, 400, "Malformed JSON body: it contains a NUL "
		    "byte");
		return NULL;
	}
	if (!srv_utf8_valid(body, len)) {
		srv_error(resp, 400, "Malformed JSON body: it is not valid "
		    "UTF-8");
		return NULL;
	}
	/* "\u0000" would end a C string early and lose the rest of the
	** value: refuse it (an escaped backslash before "u0000" is text). */
	for (const char *p = body; (p = strstr(p, "u0000")) != NULL; p++) {
		size_t nb = 0;
		while (p - (ptrdiff_t)nb > body &&
		    p[-1 - (ptrdiff_t)nb] == '\\')
			nb++;
		if (nb % 2 == 1) {
			srv_error(resp, 400, "Malformed JSON body: strings "
			    "cannot hold the NUL character (\\u0000)");
			return NULL;
		}
	}
	root = cJSON_ParseWithLengthOpts(body, len, &end, 0);
	if (root != NULL) {
		/* Only white space may follow the value. */
		const char *p = end;
		while (p < body + len && isspace((unsigned char)*p))
			p++;
		if (p < body + len) {
			cJSON_Delete(root);
			root = NULL;
			end = p;
		}
	}
	if (root == NULL) {
		int line, col;
		if (end == NULL || end < body || end > body + len)
			end = body + len;
		jx_text_linecol(body, len, (size_t)(end - body), &line, &col);
		srv_error(resp, 400, "Malformed JSON body at line %d, column "
		    "%d", line, col);
		return NULL;
	}
	if (!cJSON_IsObject(root)) {
		srv_error(resp, 400, "The request body must be a JSON object, "
		    "not %s", cJSON_IsArray(root) ? "an array" :
		    cJSON_IsString(root) ? "a string" :
		    cJSON_IsNumber(root) ? "a number" :
		    cJSON_IsNull(root) ? "null" : "a boolean");
		cJSON_Delete(root);
		return NULL;
	}
	/* No table has this many columns; the limit keeps error bodies
	** and the work per request small. */
	if (cJSON_GetArraySize(root) > 1000) {
		srv_error(resp, 400, "The request body has more than 1000 "
		    "properties");
		cJSON_Delete(root);
		return NULL;
	}
	const cJSON *dup = jx_dup_member(root);
	if (dup != NULL) {
		srv_error(resp, 400, "Malformed JSON body: property '%s' "
		    "appears twice", dup->string);
		cJSON_Delete(root);
		return NULL;
	}
	return root;
}

static const char *
srv_jtype(const cJSON *v)
{
	if (cJSON_IsString(v))
		return "a string";
	if (cJSON_IsNumber(v))
		return "a number";
	if (cJSON_IsBool(v))
		return "a boolean";
	if (cJSON_IsArray(v))
		return "an array";
	if (cJSON_IsObject(v))
		return "an object";
	return "null";
}

/* The user-column values of a body, checked and ready to bind. */
typedef struct srv_vals {
	const cJSON	**v;		/* per user column; NULL = not given */
	char		(*dates)[32];	/* normalised TBL_DATE values */
	size_t		 nset;
	const char	*id;		/* NULL when absent or null */
	char		 idnum[32];	/* a numeric id as its string */
	int		 has_version;
	long long	 version;
} srv_vals;

static void
srv_vals_free(srv_vals *v)
{
	free(v->v);
	free(v->dates);
}

/*
** Checks a body against the table: reserved names, id, version, then each
** user column's type.  Returns 0, or -1 with a message (for a 400) in msg.
** allow_version: a PATCH may carry the version it edits; an insert may not
** (D4), except as null.
*/
static int
srv_vals_check(const srv_tab *t, const cJSON *obj, int allow_version,
    srv_vals *out, sb *msg)
{
	static const char *const reserved[] = { "createdAt", "updatedAt",
	    "deleted" };

	memset(out, 0, sizeof *out);
	out->v = xcalloc(t->def.ncols + 1, sizeof *out->v);
	out->dates = xcalloc(t->def.ncols + 1, sizeof *out->dates);
	for (const cJSON *m = obj->child; m; m = m->next)
		for (size_t i = 0; i < 3; i++)
			if (strcmp(m->string, reserved[i]) == 0) {
				sb_setf(msg, "Cannot update item "
				    "with property '%s' as it is reserved",
				    reserved[i]);
				return -1;
			}
	for (const cJSON *m = obj->child; m; m = m->next) {
		if (strcmp(m->string, "id") == 0) {
			if (cJSON_IsNull(m))
				continue;
			/* The reference takes a number as its string, as
			** JavaScript's String(n) writes it ("5", "1.5"). */
			if (cJSON_IsNumber(m) && isfinite(m->valuedouble)) {
				double d = m->valuedouble;
				if (d == floor(d) && fabs(d) < 9007199254740992.0)
					snprintf(out->idnum, sizeof out->idnum,
					    "%lld", (long long)d);
				else
					for (int prec = 15; prec <= 17; prec++) {
						snprintf(out->idnum,
						    sizeof out->idnum, "%.*g",
						    prec, d);
						if (strtod(out->idnum, NULL) == d)
							break;
					}
				out->id = out->idnum;
				continue;
			}
			if (!cJSON_IsString(m)) {
				sb_setf(msg, "The id must be a "
				    "string or a number (got %s)",
				    srv_jtype(m));
				return -1;
			}
			out->id = m->valuestring;
			continue;
		}
		if (strcmp(m->string, "version") == 0) {
			if (cJSON_IsNull(m))
				continue;
			if (!allow_version) {
				sb_setf(msg, "Cannot insert an item "
				    "with a version: the server assigns "
				    "versions");
				return -1;
			}
			if (!cJSON_IsString(m) || wire_version_parse(
			    m->valuestring, &out->version) < 0) {
				sb_setf(msg, "The version must be "
				    "a version string from the server, such "
				    "as \"MQ==\"");
				return -1;
			}
			out->has_version = 1;
			continue;
		}
		size_t c;
		for (c = 0; c < t->def.ncols; c++)
			if (strcmp(m->string, t->def.cols[c].name) == 0)
				break;
		if (c == t->def.ncols) {
			sb_setf(msg, "Unknown column '%s' in table "
			    "'%s'", m->string, t->def.name);
			return -1;
		}
		out->v[c] = m;
		out->nset++;
		if (cJSON_IsNull(m))
			continue;
		/* The wording is the backend's own; JSON has no infinity,
		** so a number too large for a double is refused too. */
		static const char *const wants[TBL_NTYPES] = {
			[TBL_STRING] = "a string",
			[TBL_NUMBER] = "a number",
			[TBL_BOOL] = "a boolean",
			[TBL_DATE] = ("an ISO-8601 date such as "
			    "\"2026-03-02T09:00:00.000Z\"")
		};
		tbl_type ty = t->def.cols[c].type;
		jx_val jv = jx_val_of(m);
		int64_t ms;
		const char *want = NULL;
		if (!tbl_fits(ty, &jv, &ms) || (ty == TBL_NUMBER &&
		    !isfinite(m->valuedouble)))
			want = wants[ty];
		else if (ty == TBL_DATE)
			wire_format_time(ms, out->dates[c]);
		if (want) {
			sb_setf(msg, "Column '%s' expects %s (got "
			    "%s)", m->string, want, cJSON_IsString(m) &&
			    t->def.cols[c].type == TBL_DATE ?
			    "a string that is not one" : srv_jtype(m));
			return -1;
		}
	}
	return 0;
}

/* Binds the value of user column c at index idx (null when not given). */
static void
srv_bind_val(sqlite3_stmt *st, int idx, const srv_tab *t, const srv_vals *v,
    size_t c)
{
	const cJSON *m = v->v[c];

	if (m == NULL || cJSON_IsNull(m)) {
		sqlite3_bind_null(st, idx);
		return;
	}
	switch (t->def.cols[c].type) {
	case TBL_STRING:
		sqlite3_bind_text(st, idx, m->valuestring, -1, SQLITE_STATIC);
		break;
	case TBL_NUMBER:
		sqlite3_bind_double(st, idx, m->valuedouble);
		break;
	case TBL_BOOL:
		sqlite3_bind_int(st, idx, cJSON_IsTrue(m) ? 1 : 0);
		break;
	case TBL_DATE:
		sqlite3_bind_text(st, idx, v->dates[c], -1, SQLITE_STATIC);
		break;
	}
}

/* ------------------------------------------------------------------ */
/* Writes                                                               */

/*
** Inserts obj (already known to be an object).  Returns the HTTP status:
** 201 with the new row in out and its version in *ver (out NULL: a seed,
** nothing is read back), 400 or 409 with a message in msg, 500 on an
** SQLite error (message in msg).
*/
static int
srv_insert(srv *s, srv_tab *t, const cJSON *obj, int64_t now_ms,
    uint64_t entropy, int need_id, sb *out, long long *ver, sb *msg)
{
	srv_vals v;
	srv_cur cur = { 0, 0, 0, SB_INIT };
	char uuid[37], ts[32];
	const char *id;
	int kind, status = 500;

	if (srv_vals_check(t, obj, 0, &v, msg) < 0) {
		srv_vals_free(&v);
		return 400;
	}
	/* As the reference: a missing, null or empty id gets a uuid v4. */
	id = v.id;
	if (id == NULL || *id == '\0') {
		if (need_id) {
			sb_setf(msg, "the row has no id");
			srv_vals_free(&v);
			return 400;
		}
		rng_uuid4(entropy, uuid);
		id = uuid;
	}
	if (!srv_utf8_valid(id, strlen(id))) {
		sb_setf(msg, "The id is not valid UTF-8");
		srv_vals_free(&v);
		return 400;
	}
	wire_format_time(now_ms, ts);
	/*
	** Inside the caller's transaction (a bulk seed) the insert is one
	** statement, which SQLite applies whole or not at all, so no
	** savepoint is needed; on its own it gets BEGIN IMMEDIATE so that
	** the row read back is the row written.
	*/
	kind = sqlite3_get_autocommit(s->db) ? srv_begin(s) : 0;
	if (kind < 0) {
		sb_setf(msg, "%s", sqlite3_errmsg(s->db));
		srv_vals_free(&v);
		return 500;
	}
	sqlite3_bind_text(t->st_ins, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(t->st_ins, 2, ts, -1, SQLITE_STATIC);
	for (size_t c = 0; c < t->def.ncols; c++)
		srv_bind_val(t->st_ins, (int)c + 3, t, &v, c);
	if (srv_run(t->st_ins) < 0) {
		/* The id exists, live or soft-deleted: the primary key is the
		** only constraint of the table. */
		if (sqlite3_extended_errcode(s->db) ==
		    SQLITE_CONSTRAINT_PRIMARYKEY) {
			sb_setf(msg, "An item with id '%s' already "
			    "exists", id);
			status = 409;
			goto done;
		}
		goto dberr;
	}
	if (out != NULL && (srv_read(t, id, &cur) < 0 || !cur.found))
		goto dberr;
	if (kind > 0 && srv_end(s, kind, 1) < 0) {
		kind = 0;
		goto dberr;
	}
	if (out != NULL) {
		sb_add(out, sb_str(&cur.json));
		*ver = cur.version;
	}
	sb_free(&cur.json);
	srv_vals_free(&v);
	return 201;
dberr:
	sb_setf(msg, "%s", sqlite3_errmsg(s->db));
	status = 500;
done:
	if (kind > 0)
		srv_end(s, kind, 0);
	sb_free(&cur.json);
	srv_vals_free(&v);
	return status;
}

int
srv_seed(srv *s, const char *table, const cJSON *row, int64_t now_ms,
    sb *err)
{
	srv_tab *t = table ? srv_find(s, table) : NULL;
	long long ver;
	sb msg = SB_INIT;
	int st;

	if (t == NULL) {
		sb_setf(err, "no table '%s'", table ? table : "");
		return -1;
	}
	if (!cJSON_IsObject(row)) {
		sb_setf(err, "a seed row must be an object");
		return -1;
	}
	st = srv_insert(s, t, row, now_ms, 0, 1, NULL, &ver, &msg);
	if (st != 201)
		sb_setf(err, "table '%s': %s", t->def.name, sb_str(&msg));
	sb_free(&msg);
	return st != 201 ? -1 : 0;
}

/* The version a write is conditional on: If-Match wins over the body. */
typedef struct srv_cond {
	int		 kind;		/* 0 none, 1 If-Match, 2 body version */
	int		 valid;		/* the If-Match text is a version */
	long long	 version;
} srv_cond;

static void
srv_cond_get(const http_req *req, const srv_vals *v, srv_cond *c)
{
	const char *im = http_req_header(req, "If-Match");

	memset(c, 0, sizeof *c);
	if (im != NULL) {
		char buf[64];
		size_t n;
		while (*im == ' ' || *im == '\t')
			im++;
		if (strncmp(im, "W/", 2) == 0)
			im += 2;
		n = strlen(im);
		while (n > 0 && (im[n - 1] == ' ' || im[n - 1] == '\t'))
			n--;
		if (n >= 2 && im[0] == '"' && im[n - 1] == '"') {
			im++;
			n -= 2;
		}
		c->kind = 1;
		/* "*" is no wildcard here: it is compared literally, as the
		** reference does, and never matches. */
		if (n < sizeof buf) {
			memcpy(buf, im, n);
			buf[n] = '\0';
			c->valid = wire_version_parse(buf, &c->version) == 0;
		}
		return;
	}
	if (v && v->has_version) {
		c->kind = 2;
		c->valid = 1;
		c->version = v->version;
	}
}

/* 1 when the condition holds for the current version. */
static int
srv_cond_ok(const srv_cond *c, long long current)
{
	return c->kind == 0 || (c->valid && c->version == current);
}

/* Writes the conflict answer: 412 for If-Match, 409 for a body version;
** either way the current server row with its ETag. */
static void
srv_conflict(http_resp *resp, const srv_cond *c, srv_cur *cur)
{
	srv_reply(resp, c->kind == 1 ? 412 : 409, &cur->json, cur->version);
}

/* Reads and checks the body of a PATCH or undelete into *obj and v (a
** DELETE has none).  0, or -1 after writing the 400 into resp. */
static int
srv_write_body(const srv_tab *t, const http_req *req, const char *id,
    int op, cJSON **obj, srv_vals *v, http_resp *resp)
{
	sb msg = SB_INIT;
	int rc = -1;
	if (op == SRV_OP_DELETE)
		return 0;
	*obj = srv_body(req, resp, op == SRV_OP_UNDELETE);
	if (*obj == NULL)
		return -1;
	if (op == SRV_OP_UNDELETE) {
		/*
		** An undelete may carry the client's copy of the item; only its
		** version counts (as a condition, like a PATCH body's), the
		** rest is ignored, reserved names included, since a client
		** that sends the whole item sends those too.
		*/
		const cJSON *bv = cJSON_GetObjectItemCaseSensitive(*obj,
		    "version");
		if (bv != NULL && !cJSON_IsNull(bv)) {
			if (!cJSON_IsString(bv) || wire_version_parse(
			    bv->valuestring, &v->version) < 0) {
				srv_error(resp, 400, "The version must be a "
				    "version string from the server, such as "
				    "\"MQ==\"");
				return -1;
			}
			v->has_version = 1;
		}
		return 0;
	}
	if (srv_vals_check(t, *obj, 1, v, &msg) < 0)
		srv_error(resp, 400, "%s", sb_str(&msg));
	else if (v->id != NULL && strcmp(v->id, id) != 0)
		/* The reference's words ("querystring" is its name for
		** the id in the URL). */
		srv_error(resp, 400, "The item ID and querystring ID did not "
		    "match");
	else if (v->nset == 0 && op == SRV_OP_PATCH)
		/* D1: the reference answers 500 here. */
		srv_error(resp, 400, "The request body has no column to "
		    "change");
	else
		rc = 0;
	sb_free(&msg);
	return rc;
}

/* Runs the write's statement on the row (found, not conflicting) at
** time ts.  0, 1 when the row is gone for good (a DELETE without soft
** delete: the answer is the row as it was), or -1 on an SQLite error. */
static int
srv_write_run(srv_tab *t, const char *id, int op, const srv_vals *v,
    const char *ts)
{
	sqlite3_stmt *st;
	switch (op) {
	case SRV_OP_PATCH:
	case SRV_OP_PUT:
		st = t->st_upd;
		sqlite3_bind_text(st, 1, ts, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, id, -1, SQLITE_STATIC);
		for (size_t c = 0; c < t->def.ncols; c++) {
			int set = op == SRV_OP_PUT || v->v[c] != NULL;
			sqlite3_bind_int(st, (int)(3 + 2 * c), set);
			if (set)
				srv_bind_val(st, (int)(4 + 2 * c), t, v, c);
		}
		return srv_run(st) < 0 ? -1 : 0;
	case SRV_OP_DELETE:
		if (!t->def.soft_delete) {
			sqlite3_bind_text(t->st_hard, 1, id, -1,
			    SQLITE_STATIC);
			return srv_run(t->st_hard) < 0 ? -1 : 1;
		}
		/* FALLTHROUGH */
	default:
		st = op == SRV_OP_DELETE ? t->st_soft : t->st_undel;
		sqlite3_bind_text(st, 1, ts, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, id, -1, SQLITE_STATIC);
		return srv_run(st) < 0 ? -1 : 0;
	}
}

void
srv_write(srv *s, srv_tab *t, const http_req *req, const char *id, int op,
    int64_t now_ms, http_resp *resp)
{
	srv_vals v;
	srv_cond cond;
	srv_cur cur = { 0, 0, 0, SB_INIT };
	cJSON *obj = NULL;
	char ts[32];
	int kind = 0, rc;

	memset(&v, 0, sizeof v);
	if (srv_write_body(t, req, id, op, &obj, &v, resp) != 0)
		goto out;
	srv_cond_get(req, op == SRV_OP_DELETE ? NULL : &v, &cond);
	wire_format_time(now_ms, ts);
	if ((kind = srv_begin(s)) < 0) {
		kind = 0;
		srv_dberror(s, resp);
		goto out;
	}
	if (srv_read(t, id, &cur) < 0)
		goto dberr;
	/*
	** A soft-deleted row is as good as missing for PATCH and DELETE.  For
	** DELETE the fork's source would answer 409 (its UPDATE has "AND
	** deleted = 0" and finds the row present), but the observed 4.0.2
	** server answers 404, and the observed behaviour is the reference.
	*/
	if (!cur.found || (cur.deleted && op != SRV_OP_UNDELETE)) {
		srv_error(resp, 404, "The item does not exist");
		goto rollback;
	}
	if (!srv_cond_ok(&cond, cur.version)) {
		srv_conflict(resp, &cond, &cur);
		goto rollback;
	}
	/* The answer is the row as it now is, or as it was when it is gone. */
	if ((rc = srv_write_run(t, id, op, &v, ts)) < 0 ||
	    (rc == 0 && (srv_read(t, id, &cur) < 0 || !cur.found)))
		goto dberr;
	if (srv_end(s, kind, 1) < 0) {
		kind = 0;
		goto dberr;
	}
	srv_reply(resp, op == SRV_OP_UNDELETE ? 201 : 200, &cur.json,
	    cur.version);
	goto out;
dberr:
	srv_dberror(s, resp);
rollback:
	if (kind > 0)
		srv_end(s, kind, 0);
out:
	sb_free(&cur.json);
	srv_vals_free(&v);
	cJSON_Delete(obj);
}

void
srv_post(srv *s, srv_tab *t, const http_req *req, int64_t now_ms,
    uint64_t entropy, http_resp *resp)
{
	cJSON *obj = srv_body(req, resp, 0);
	sb out = SB_INIT;
	long long ver = -1;
	sb msg = SB_INIT;
	int st;

	if (obj == NULL)
		return;
	st = srv_insert(s, t, obj, now_ms, entropy, 0, &out, &ver, &msg);
	if (st == 201)
		srv_reply(resp, 201, &out, ver);
	else if (st == 409) {
		/* The reference echoes the client's own item, so a client
		** learns no server version from this answer. */
		char *echo = cJSON_PrintUnformatted(obj);
		sb_add(&out, echo ? echo : "{}");
		cJSON_free(echo);
		srv_reply(resp, 409, &out, -1);
	} else
		srv_error(resp, st, "%s", sb_str(&msg));
	sb_free(&msg);
	sb_free(&out);
	cJSON_Delete(obj);
}

void
srv_get_one(srv *s, srv_tab *t, const char *id, http_resp *resp)
{
	srv_cur cur = { 0, 0, 0, SB_INIT };

	if (srv_read(t, id, &cur) < 0)
		srv_dberror(s, resp);
	else if (!cur.found || cur.deleted)
		srv_error(resp, 404, "The item does not exist");
	else
		srv_reply(resp, 200, &cur.json, cur.version);
	sb_free(&cur.json);
}

