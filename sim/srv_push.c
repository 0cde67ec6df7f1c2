/*
** srv_push.c: the push routes of the backend; see srv_push.h.
*/
#include "sim/srv_push.h"
#include "lib/sb.h"
#include "lib/xmem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SRV_PUSH_USER	"_UserId:"

static void
srv_push_reply(http_resp *resp, int status, const char *msg)
{
	http_resp_free(resp);
	http_resp_init(resp, status);
	if (msg == NULL)
		return;
	sb b = SB_INIT;
	sb_add(&b, "{\"error\":");
	sb_addjson(&b, msg);
	sb_addc(&b, '}');
	http_resp_add_header(resp, "Content-Type",
	    "application/json; charset=utf-8");
	http_resp_set_body(resp, sb_str(&b));
	sb_free(&b);
}

/*
** The installation the server hands the hub: the client's pushChannel,
** platform and templates, installationId from the path, and tags made by
** the server alone (the old ones without $ tags, the caller's user tag).
*/
static cJSON *
srv_push_build(const hub *h, const char *id, const cJSON *body,
    const char *sid)
{
	cJSON *in = cJSON_CreateObject();
	cJSON_AddStringToObject(in, "installationId", id);
	static const char *const copy[] = { "platform", "pushChannel",
	    "templates", NULL };
	for (size_t i = 0; copy[i]; i++) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(body,
		    copy[i]);
		if (v)
			cJSON_AddItemToObject(in, copy[i],
			    cJSON_Duplicate(v, 1));
	}
	cJSON *tags = cJSON_AddArrayToObject(in, "tags");
	int signed_in = sid != NULL && sid[0] != '\0';
	long at = hub_find(h, id);
	if (at >= 0) {
		const hub_inst *old = &h->in[at];
		for (size_t k = 0; k < old->ntags; k++) {
			const char *t = old->tags[k];
			if (t[0] == '$' || (signed_in && strncmp(t,
			    SRV_PUSH_USER, sizeof SRV_PUSH_USER - 1) == 0))
				continue;
			cJSON_AddItemToArray(tags, cJSON_CreateString(t));
		}
	}
	if (signed_in) {
		char *t = xasprintf("%s%s", SRV_PUSH_USER, sid);
		cJSON_AddItemToArray(tags, cJSON_CreateString(t));
		free(t);
	}
	return in;
}

void
srv_push_handle(hub *h, const http_req *req, const char *sid, int64_t now,
    http_resp *resp)
{
	const char *path = req->path ? req->path : "";
	size_t root = sizeof SRV_PUSH_ROOT - 1;
	const char *id = path + root + 1;
	if (h == NULL || strncmp(path, SRV_PUSH_ROOT, root) != 0 ||
	    path[root] != '/' || *id == '\0' || strchr(id, '/') != NULL) {
		srv_push_reply(resp, 404, "Not found");
		return;
	}
	sb why = SB_INIT;
	if (strcmp(req->method, "DELETE") == 0) {
		/* The hub's 404 for an unknown id is not an error here: the
		** installation is gone either way. */
		hub_uninstall(h, id, &why);
		sb_free(&why);
		srv_push_reply(resp, 204, NULL);
		return;
	}
	if (strcmp(req->method, "PUT") != 0) {
		srv_push_reply(resp, 404, "Not found");
		return;
	}
	cJSON *body = req->body ? cJSON_Parse(req->body) : NULL;
	if (!cJSON_IsObject(body)) {
		cJSON_Delete(body);
		srv_push_reply(resp, 400, "The body is not an installation "
		    "object {pushChannel, platform, templates}");
		return;
	}
	cJSON *in = srv_push_build(h, id, body, sid);
	cJSON_Delete(body);
	int st = hub_install(h, in, now, &why);
	cJSON_Delete(in);
	if (st == 200)
		srv_push_reply(resp, 204, NULL);
	else {
		char *m = xasprintf("The notification hub refused the "
		    "installation (%d): %s", st, sb_str(&why));
		srv_push_reply(resp, 400, m);
		free(m);
	}
	sb_free(&why);
}
