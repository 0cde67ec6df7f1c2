/*
** trc.c: the trace; see trc.h.
*/
#include "sim/trc.h"
#include "lib/xmem.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <cjson/cJSON.h>

void
trc_init(trc *t)
{
	memset(t, 0, sizeof *t);
}

static void
trc_event_free(trc_event *e)
{
	free(e->device);
	free(e->table);
	free(e->id);
	free(e->method);
	free(e->path);
	free(e->headers);
	free(e->body);
	free(e->text);
}

void
trc_free(trc *t)
{
	trc_truncate(t, 0);
	free(t->ev);
	memset(t, 0, sizeof *t);
}

void
trc_set(char **field, const char *value)
{
	free(*field);
	*field = value ? xstrdup(value) : NULL;
}

trc_event *
trc_add(trc *t, trc_type type, const char *device, const char *fmt, ...)
{
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 256;
		t->ev = xreallocarray(t->ev, t->cap, sizeof *t->ev);
	}
	trc_event *e = &t->ev[t->n++];
	memset(e, 0, sizeof *e);
	e->step = t->step;
	e->t = t->t;
	e->type = type;
	e->device = device ? xstrdup(device) : NULL;
	if (fmt) {
		va_list ap;
		va_start(ap, fmt);
		char buf[4096];
		vsnprintf(buf, sizeof buf, fmt, ap);
		va_end(ap);
		e->text = xstrdup(buf);
	}
	return e;
}

void
trc_truncate(trc *t, size_t n)
{
	while (t->n > n)
		trc_event_free(&t->ev[--t->n]);
}

char *
trc_header(const trc_event *e, const char *name)
{
	char *v = NULL;
	cJSON *h = e->headers ? cJSON_Parse(e->headers) : NULL;
	const cJSON *m;
	cJSON_ArrayForEach(m, h)
		if (v == NULL && m->string && strcasecmp(m->string, name) == 0 &&
		    cJSON_IsString(m))
			v = xstrdup(m->valuestring);
	cJSON_Delete(h);
	return v;
}

const char *
trc_type_name(trc_type type)
{
	static const char *const names[] = {
		[TRC_STEP] = "step", [TRC_SAY] = "say", [TRC_EDIT] = "edit",
		[TRC_ENQUEUE] = "enqueue", [TRC_COLLAPSE] = "collapse",
		[TRC_DEQUEUE] = "dequeue", [TRC_REQUEST] = "request",
		[TRC_RESPONSE] = "response", [TRC_LOST] = "lost",
		[TRC_NET] = "network", [TRC_CONFLICT] = "conflict",
		[TRC_RESOLVE] = "resolve", [TRC_PULL] = "pull",
		[TRC_ERROR] = "error", [TRC_ASK] = "ask",
		[TRC_EXPECT] = "expect", [TRC_CHECK] = "check", [TRC_NOTE] = "note",
		[TRC_PUSH] = "push", [TRC_PLAN] = "plan",
	};
	if ((size_t)type < sizeof names / sizeof names[0] && names[type])
		return names[type];
	return "unknown";
}
