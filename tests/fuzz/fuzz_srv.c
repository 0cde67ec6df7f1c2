/*
** fuzz_srv.c: libFuzzer harness of the request handler (srv_handle, the
** one pure function every front end calls).  The input is a request as
** text:
**
**     METHOD TARGET            (TARGET: path, then ?query)
**     Name: value              (headers, up to an empty line)
**
**     body
**
** against a backend with two tables and a few rows.  Whatever the
** request, the answer is a status below 500 (a client's mistake is a 4xx;
** a 5xx would be the server's own fault) with a JSON body or none.
*/
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "lib/xmem.h"
#include "sim/http.h"
#include "sim/srv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const tbl_col todo_cols[] = {
	{ "text", TBL_STRING }, { "complete", TBL_BOOL },
	{ "count", TBL_NUMBER }, { "due", TBL_DATE },
};
static const tbl_col note_cols[] = { { "body", TBL_STRING } };

static srv *
fuzz_backend(void)
{
	sb err = SB_INIT;
	srv *s = srv_open(NULL, &err);
	tbl_def todo = { "todoitem", (tbl_col *)todo_cols, 4, 1 };
	tbl_def note = { "note", (tbl_col *)note_cols, 1, 0 };
	if (s == NULL || srv_define(s, &todo, &err) != 0 ||
	    srv_define(s, &note, &err) != 0)
		abort();
	static const char *const rows[] = {
		"{\"id\": \"t1\", \"text\": \"Buy milk\", \"complete\": false, \"count\": 2}",
		"{\"id\": \"t2\", \"text\": \"Call\", \"complete\": true, \"due\": \"2026-01-02T00:00:00.000Z\"}",
	};
	for (size_t i = 0; i < 2; i++) {
		cJSON *r = cJSON_Parse(rows[i]);
		if (srv_seed(s, "todoitem", r, 1767225600000LL, &err) != 0)
			abort();
		cJSON_Delete(r);
	}
	sb_free(&err);
	return s;
}

/* The next line of [*p, end) as a new string; *p moves past it. */
static char *
fuzz_line(const char **p, const char *end)
{
	const char *nl = memchr(*p, '\n', (size_t)(end - *p));
	const char *e = nl ? nl : end;
	size_t n = (size_t)(e - *p);
	if (n > 0 && (*p)[n - 1] == '\r')
		n--;
	char *s = xstrndup(*p, n);
	*p = nl ? nl + 1 : end;
	return s;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *end = p + size;
	char *first = fuzz_line(&p, end);
	char *sp = strchr(first, ' ');
	char *target = sp ? sp + 1 : (char *)"/";
	if (sp)
		*sp = '\0';
	if (strlen(first) >= 16)
		first[15] = '\0';
	char *q = strchr(target, '?');
	if (q)
		*q++ = '\0';
	char *path = http_unescape(target);
	http_req req;
	http_req_init(&req, first, path, q);
	free(path);
	while (p < end) {
		char *h = fuzz_line(&p, end);
		if (*h == '\0') {
			free(h);
			break;
		}
		char *colon = strchr(h, ':');
		if (colon) {
			*colon = '\0';
			char *v = colon + 1;
			while (*v == ' ')
				v++;
			http_req_add_header(&req, h, v);
		}
		free(h);
	}
	if (p < end) {
		char *body = xstrndup(p, (size_t)(end - p));
		http_req_set_body(&req, body);
		free(body);
	}
	free(first);
	srv *s = fuzz_backend();
	http_resp resp;
	http_resp_init(&resp, 0);
	srv_handle(s, &req, 1767312000000LL, 99, &resp);
	if (resp.status < 100 || resp.status >= 500) {
		fprintf(stderr, "fuzz_srv: %s %s answered %d: %s\n", req.method,
		    req.path, resp.status, resp.body ? resp.body : "");
		__builtin_trap();
	}
	if (resp.body != NULL) {
		cJSON *j = cJSON_Parse(resp.body);
		if (j == NULL) {
			fprintf(stderr, "fuzz_srv: the body is not JSON: %s\n",
			    resp.body);
			__builtin_trap();
		}
		cJSON_Delete(j);
	}
	http_resp_free(&resp);
	http_req_free(&req);
	srv_close(s);
	return 0;
}
