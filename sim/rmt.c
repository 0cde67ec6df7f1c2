/*
** rmt.c: a real backend in place of the simulated one (see rmt.h).
**
** The mirror is written with plain SQL into srv's own tables, in srv's
** storage format (times as wire_format_time text, the version as its
** integer, deleted as 0/1), so nothing that reads a backend needs to know
** where the rows came from.  A table without soft delete on the real
** server has no "deleted" member: the row is live.
*/
#include "sim/rmt.h"
#include "sim/wire.h"
#include "lib/xmem.h"

#include <stdlib.h>
#include <string.h>

/* The page size of a mirror read: the reference's maxTop. */
#define RMT_PAGE	1000

static void
rmt_req(http_req *req, const char *method, const char *path,
    const char *query)
{
	http_req_init(req, method, path, query);
	http_req_add_header(req, "ZUMO-API-VERSION", "2.0.0");
	http_req_add_header(req, "Accept", "application/json");
}

/* Binds the JSON value v to parameter k as srv stores a column of type
** t: 0, or -1 when v does not fit. */
static int
rmt_bind(sqlite3_stmt *st, int k, tbl_type t, const cJSON *v)
{
	int64_t ms;

	if (v == NULL || cJSON_IsNull(v))
		return sqlite3_bind_null(st, k) == SQLITE_OK ? 0 : -1;
	switch (t) {
	case TBL_BOOL:
		if (!cJSON_IsBool(v))
			return -1;
		sqlite3_bind_int(st, k, cJSON_IsTrue(v));
		return 0;
	case TBL_NUMBER:
		if (!cJSON_IsNumber(v))
			return -1;
		sqlite3_bind_double(st, k, v->valuedouble);
		return 0;
	case TBL_DATE:
		if (!cJSON_IsString(v) ||
		    wire_parse_time(v->valuestring, &ms, NULL) != 0)
			return -1;
		{
			char when[32];
			wire_format_time(ms, when);
			sqlite3_bind_text(st, k, when, -1, SQLITE_TRANSIENT);
		}
		return 0;
	default:
		if (!cJSON_IsString(v))
			return -1;
		sqlite3_bind_text(st, k, v->valuestring, -1, SQLITE_TRANSIENT);
		return 0;
	}
}

/* Writes one row of the real server into the prepared INSERT st. */
static int
rmt_put_row(sqlite3_stmt *st, const tbl_def *def, const cJSON *row, sb *err)
{
	const cJSON *id = cJSON_GetObjectItemCaseSensitive(row, "id");
	const cJSON *ver = cJSON_GetObjectItemCaseSensitive(row, "version");
	const cJSON *del = cJSON_GetObjectItemCaseSensitive(row, "deleted");
	long long v = 0;

	if (!cJSON_IsString(id)) {
		sb_addf(err, "table %s: a row without a string id", def->name);
		return -1;
	}
	if (!cJSON_IsString(ver) ||
	    wire_version_parse(ver->valuestring, &v) != 0) {
		sb_addf(err, "table %s, row %s: the version is not the base64 "
		    "of a number", def->name, id->valuestring);
		return -1;
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	sqlite3_bind_text(st, 1, id->valuestring, -1, SQLITE_TRANSIENT);
	if (rmt_bind(st, 2, TBL_DATE,
		cJSON_GetObjectItemCaseSensitive(row, "createdAt")) != 0 ||
	    rmt_bind(st, 3, TBL_DATE,
		cJSON_GetObjectItemCaseSensitive(row, "updatedAt")) != 0) {
		sb_addf(err, "table %s, row %s: a timestamp is not ISO-8601",
		    def->name, id->valuestring);
		return -1;
	}
	sqlite3_bind_int64(st, 4, v);
	sqlite3_bind_int(st, 5, cJSON_IsTrue(del));
	for (size_t i = 0; i < def->ncols; i++)
		if (rmt_bind(st, 6 + (int)i, def->cols[i].type,
			cJSON_GetObjectItemCaseSensitive(row,
			    def->cols[i].name)) != 0) {
			sb_addf(err, "table %s, row %s: column %s is not a %s",
			    def->name, id->valuestring, def->cols[i].name,
			    tbl_type_name(def->cols[i].type));
			return -1;
		}
	if (sqlite3_step(st) != SQLITE_DONE) {
		sb_addf(err, "table %s, row %s: %s", def->name,
		    id->valuestring, sqlite3_errmsg(sqlite3_db_handle(st)));
		return -1;
	}
	return 0;
}

/* Reads every row of table that the caller tok (NULL: anonymous) sees
** from the real server into all, skipping ids already there when merge. */
static int
rmt_fetch_as(const rmt_link *l, const char *table, const char *tok,
    int merge, cJSON *all, sb *err)
{
	char *path = xasprintf("/tables/%s", table);
	int n0 = cJSON_GetArraySize(all);
	for (long skip = 0;; skip += RMT_PAGE) {
		char *q = xasprintf("__includeDeleted=true&$orderby=id"
		    "&$top=%d&$skip=%ld", RMT_PAGE, skip);
		http_req req;
		http_resp resp;
		rmt_req(&req, "GET", path, q);
		if (tok)
			http_req_add_header(&req, "X-ZUMO-AUTH", tok);
		free(q);
		int rc = l->send(l->ud, &req, &resp, err);
		http_req_free(&req);
		if (rc != 0)
			goto fail;
		cJSON *page = resp.status == 200 && resp.body ?
		    cJSON_Parse(resp.body) : NULL;
		if (!cJSON_IsArray(page)) {
			sb_addf(err, "%s: GET %s answered %d, not a list of "
			    "rows: %.200s", l->url, path, resp.status,
			    resp.body ? resp.body : "");
			cJSON_Delete(page);
			http_resp_free(&resp);
			goto fail;
		}
		http_resp_free(&resp);
		int n = cJSON_GetArraySize(page);
		while (cJSON_GetArraySize(page) > 0) {
			cJSON *row = cJSON_DetachItemFromArray(page, 0);
			const cJSON *id = cJSON_GetObjectItemCaseSensitive(row,
			    "id");
			int dup = 0;
			for (int k = 0; merge && k < n0 && !dup; k++) {
				const cJSON *o = cJSON_GetObjectItemCaseSensitive(
				    cJSON_GetArrayItem(all, k), "id");
				dup = cJSON_IsString(id) && cJSON_IsString(o) &&
				    strcmp(id->valuestring, o->valuestring) == 0;
			}
			if (dup)
				cJSON_Delete(row);
			else
				cJSON_AddItemToArray(all, row);
		}
		cJSON_Delete(page);
		if (n < RMT_PAGE)
			break;
	}
	free(path);
	return 0;
fail:
	free(path);
	return -1;
}

/* Reads every row of table from the real server into a new array, as
** each of ra's readers of it. */
static cJSON *
rmt_fetch(const rmt_link *l, const rmt_auth *ra, const char *table, sb *err)
{
	cJSON *all = cJSON_CreateArray();
	const char *const *who = ra && ra->readers ?
	    ra->readers(ra->ud, table) : NULL;
	int rc = 0;
	if (who == NULL || who[0] == NULL)
		rc = rmt_fetch_as(l, table, NULL, 0, all, err);
	for (size_t k = 0; rc == 0 && who && who[k]; k++)
		rc = rmt_fetch_as(l, table, who[k], k > 0, all, err);
	if (rc != 0) {
		cJSON_Delete(all);
		return NULL;
	}
	return all;
}

int
rmt_refresh(const rmt_link *l, const rmt_auth *ra, srv *mirror,
    const char *table, sb *err)
{
	const tbl_def *def = srv_table(mirror, table);
	sqlite3 *db = srv_db(mirror);
	sqlite3_stmt *st = NULL;
	sb q = SB_INIT;
	int rc = -1;

	if (def == NULL) {
		sb_addf(err, "no table %s", table);
		return -1;
	}
	cJSON *rows = rmt_fetch(l, ra, table, err);
	if (rows == NULL)
		return -1;
	if (sqlite3_exec(db, "SAVEPOINT rmt", NULL, NULL, NULL) != SQLITE_OK)
		goto sqlerr;
	sb_add(&q, "DELETE FROM ");
	sb_addsqlid(&q, def->name);
	if (sqlite3_exec(db, sb_str(&q), NULL, NULL, NULL) != SQLITE_OK)
		goto rollback;
	sb_reset(&q);
	sb_add(&q, "INSERT INTO ");
	sb_addsqlid(&q, def->name);
	sb_add(&q, " (\"id\", \"createdAt\", \"updatedAt\", \"version\", "
	    "\"deleted\"");
	for (size_t i = 0; i < def->ncols; i++) {
		sb_add(&q, ", ");
		sb_addsqlid(&q, def->cols[i].name);
	}
	sb_add(&q, ") VALUES (?, ?, ?, ?, ?");
	for (size_t i = 0; i < def->ncols; i++)
		sb_add(&q, ", ?");
	sb_add(&q, ")");
	if (sqlite3_prepare_v2(db, sb_str(&q), -1, &st, NULL) != SQLITE_OK)
		goto rollback;
	const cJSON *row;
	cJSON_ArrayForEach(row, rows) {
		if (rmt_put_row(st, def, row, err) != 0) {
			sqlite3_finalize(st);
			st = NULL;
			sqlite3_exec(db, "ROLLBACK TO rmt; RELEASE rmt", NULL,
			    NULL, NULL);
			goto out;
		}
	}
	sqlite3_finalize(st);
	st = NULL;
	if (sqlite3_exec(db, "RELEASE rmt", NULL, NULL, NULL) != SQLITE_OK)
		goto sqlerr;
	rc = 0;
	goto out;
rollback:
	sb_addf(err, "mirror of %s: %s", table, sqlite3_errmsg(db));
	sqlite3_finalize(st);
	sqlite3_exec(db, "ROLLBACK TO rmt; RELEASE rmt", NULL, NULL, NULL);
	goto out;
sqlerr:
	sb_addf(err, "mirror of %s: %s", table, sqlite3_errmsg(db));
out:
	sb_free(&q);
	cJSON_Delete(rows);
	return rc;
}

/* The index in mirror of the table that the path "/tables/NAME[/ID]"
** names, or -1. */
static long
rmt_table_of(srv *mirror, const char *path)
{
	if (path == NULL || strncmp(path, "/tables/", 8) != 0)
		return -1;
	const char *name = path + 8;
	size_t len = strcspn(name, "/");
	for (size_t i = 0; i < srv_ntables(mirror); i++) {
		const char *t = srv_table_at(mirror, i)->name;
		if (strlen(t) == len && strncmp(t, name, len) == 0)
			return (long)i;
	}
	return -1;
}

int
rmt_send(const rmt_link *l, srv *mirror, const http_req *req,
    http_resp *resp, unsigned char *dirty, sb *err)
{
	if (l->send(l->ud, req, resp, err) != 0)
		return -1;
	long k = rmt_table_of(mirror, req->path);
	if (k >= 0 && strcmp(req->method, "GET") != 0)
		dirty[k] = 1;
	return 0;
}

int
rmt_flush(const rmt_link *l, const rmt_auth *ra, srv *mirror,
    unsigned char *dirty, sb *err)
{
	for (size_t i = 0; i < srv_ntables(mirror); i++) {
		if (!dirty[i])
			continue;
		if (rmt_refresh(l, ra, mirror, srv_table_at(mirror, i)->name,
		    err) != 0)
			return -1;
		dirty[i] = 0;
	}
	return 0;
}

int
rmt_seed(const rmt_link *l, const rmt_auth *ra, srv *mirror,
    const cJSON *rows, sb *err)
{
	/* The real tables must exist and start empty, or the run would not
	** be the scenario's. */
	for (size_t i = 0; i < srv_ntables(mirror); i++) {
		const char *name = srv_table_at(mirror, i)->name;
		cJSON *have = rmt_fetch(l, ra, name, err);
		if (have == NULL) {
			sb_addf(err, " (the table %s must exist on %s)", name,
			    l->url);
			return -1;
		}
		int n = cJSON_GetArraySize(have);
		cJSON_Delete(have);
		if (n > 0) {
			sb_addf(err, "%s: table %s already has %d row%s: a run "
			    "needs empty tables (restart the server)", l->url,
			    name, n, n == 1 ? "" : "s");
			return -1;
		}
	}
	const cJSON *t, *row;
	cJSON_ArrayForEach(t, rows) {
		char *path = xasprintf("/tables/%s", t->string);
		cJSON_ArrayForEach(row, t) {
			http_req req;
			http_resp resp;
			char *body = cJSON_PrintUnformatted(row);
			rmt_req(&req, "POST", path, NULL);
			http_req_add_header(&req, "Content-Type",
			    "application/json");
			char *tok = ra && ra->seed ? ra->seed(ra->ud, t->string,
			    row) : NULL;
			if (tok)
				http_req_add_header(&req, "X-ZUMO-AUTH", tok);
			free(tok);
			http_req_set_body(&req, body);
			free(body);
			int rc = l->send(l->ud, &req, &resp, err);
			http_req_free(&req);
			if (rc != 0) {
				free(path);
				return -1;
			}
			if (resp.status != 201) {
				sb_addf(err, "%s: seed row of %s: POST answered "
				    "%d: %.200s", l->url, t->string,
				    resp.status, resp.body ? resp.body : "");
				http_resp_free(&resp);
				free(path);
				return -1;
			}
			http_resp_free(&resp);
		}
		free(path);
	}
	for (size_t i = 0; i < srv_ntables(mirror); i++)
		if (rmt_refresh(l, ra, mirror, srv_table_at(mirror, i)->name,
			err) != 0)
			return -1;
	return 0;
}
