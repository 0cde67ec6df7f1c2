/*
** srv_call.h: one backend with the reference's todoitem table and the
** requests of the backend tests (test_srv.c, test_srv_list.c), with
** helpers to read and assert their answers.
*/
#ifndef srv_call_h
#define srv_call_h

#include "tests/testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/srv.h"
#include "lib/rng.h"
#include "lib/sb.h"
#include "sim/wire.h"

/* 2026-03-02T09:00:00.000Z */
#define T0	1772442000000LL

static const tbl_col todo_cols[] = {
	{ "text", TBL_STRING },
	{ "complete", TBL_BOOL },
	{ "count", TBL_NUMBER },
	{ "due", TBL_DATE },
};

/* The entropy of the next request; each backend starts at 42. */
static uint64_t next_entropy = 42;

/* One backend with the reference's todoitem table (soft delete as asked)
** and a hard-delete table "note". */
static inline srv *
open_srv(int soft)
{
	sb err = SB_INIT;
	srv *s = srv_open(NULL, &err);
	tbl_def def = { "todoitem", (tbl_col *)todo_cols, 4, soft };
	tbl_col ncols[] = { { "body", TBL_STRING } };
	tbl_def note = { "note", ncols, 1, 0 };

	assert_non_null(s);
	next_entropy = 42;
	assert_int_equal(srv_define(s, &def, &err), 0);
	assert_int_equal(srv_define(s, &note, &err), 0);
	sb_free(&err);
	return s;
}

/* Sends one request with ZUMO-API-VERSION set; returns the status. */
static inline int
call_h(srv *s, http_resp *r, const char *method, const char *path,
    const char *query, const char *body, const char *ifmatch, int64_t now,
    const char *host)
{
	http_req q;

	http_req_init(&q, method, path, query);
	http_req_add_header(&q, "ZUMO-API-VERSION", "2.0.0");
	if (ifmatch)
		http_req_add_header(&q, "If-Match", ifmatch);
	if (host)
		http_req_add_header(&q, "Host", host);
	if (body)
		http_req_set_body(&q, body);
	srv_handle(s, &q, now, next_entropy++, r);
	http_req_free(&q);
	return r->status;
}

static inline int
call(srv *s, http_resp *r, const char *method, const char *path,
    const char *query, const char *body, const char *ifmatch, int64_t now)
{
	return call_h(s, r, method, path, query, body, ifmatch, now, NULL);
}

/* The body as JSON; asserts that it parses.  Caller frees. */
static inline cJSON *
body_of(const http_resp *r)
{
	assert_non_null(r->body);
	cJSON *j = cJSON_Parse(r->body);
	assert_non_null(j);
	return j;
}

static inline const char *
jstr(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static inline void
assert_error(const http_resp *r, int status, const char *msg)
{
	cJSON *j = body_of(r);
	assert_int_equal(r->status, status);
	assert_int_equal(cJSON_GetArraySize(j), 1);
	assert_non_null(jstr(j, "error"));
	if (msg)
		assert_string_equal(jstr(j, "error"), msg);
	cJSON_Delete(j);
}

static inline void
assert_error_has(const http_resp *r, int status, const char *part)
{
	cJSON *j = body_of(r);
	assert_int_equal(r->status, status);
	assert_non_null(jstr(j, "error"));
	if (strstr(jstr(j, "error"), part) == NULL)
		fail_msg("error '%s' lacks '%s'", jstr(j, "error"), part);
	cJSON_Delete(j);
}

/* Inserts {"id": id, "text": text} at now; asserts 201. */
static inline void
put_row(srv *s, const char *id, const char *text, int64_t now)
{
	http_resp r = { 0 };
	char body[256];
	snprintf(body, sizeof body, "{\"id\":\"%s\",\"text\":\"%s\"}", id,
	    text);
	assert_int_equal(call(s, &r, "POST", "/tables/todoitem", NULL, body,
	    NULL, now), 201);
	http_resp_free(&r);
}

/* Seeds n rows r0000.. with count = i, updatedAt = T0 + i / same. */
static inline void
seed_rows(srv *s, int n, int same)
{
	sb err = SB_INIT;
	char id[16];

	assert_int_equal(sqlite3_exec(srv_db(s), "BEGIN", NULL, NULL, NULL),
	    SQLITE_OK);
	for (int i = 0; i < n; i++) {
		cJSON *row = cJSON_CreateObject();
		snprintf(id, sizeof id, "r%05d", i);
		cJSON_AddStringToObject(row, "id", id);
		cJSON_AddNumberToObject(row, "count", i);
		cJSON_AddStringToObject(row, "text", i % 2 ? "odd" : "even");
		if (srv_seed(s, "todoitem", row, T0 + (same ? 0 : i),
		    &err) != 0)
			fail_msg("seed: %s", sb_str(&err));
		cJSON_Delete(row);
	}
	assert_int_equal(sqlite3_exec(srv_db(s), "COMMIT", NULL, NULL, NULL),
	    SQLITE_OK);
	sb_free(&err);
}

#endif
