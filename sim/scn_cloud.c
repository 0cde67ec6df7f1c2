/*
** scn_cloud.c: the push and scale parts of a scenario; see scn_cloud.h.
*/
#include "sim/scn_cloud.h"
#include "sim/wire.h"
#include "lib/xmem.h"

#include <stdlib.h>
#include <string.h>

#define SCN_CLOUD_MAX_TEXT	(64 * 1024)
#define SCN_DAY_MS		(24LL * 3600 * 1000)

void
scn_cloud_free(scn_cloud *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < c->nsync; i++)
		free(c->sync_tables[i]);
	free(c->sync_tables);
	free(c->plan_tier);
	free(c->fl.prefix);
	free(c->fl.pull);
	free(c->fl.push);
	for (size_t i = 0; i < c->ndev; i++) {
		free(c->dev[i].channel);
		cJSON_Delete(c->dev[i].templates);
		cJSON_Delete(c->dev[i].tags);
	}
	free(c->dev);
	free(c);
}

/* A table named at path must exist in s. */
static int
scn_cloud_table(jx_doc *d, const scn *s, const char *path, const char *name)
{
	if (scn_table_find(s, name))
		return 0;
	sb l = SB_INIT;
	for (size_t i = 0; i < s->ntables; i++)
		sb_addf(&l, "%s%s", i ? ", " : "", s->tables[i].def.name);
	jx_err(d, path, "unknown table \"%s\" (tables: %s)", name, sb_str(&l));
	sb_free(&l);
	return -1;
}

/* An array of tags the way an app or a backend would send them: checked
** here for shape only; the hub checks each tag when it gets them. */
static int
scn_cloud_tags(jx_doc *d, const char *path, const cJSON *a)
{
	char p[1024];
	if (!cJSON_IsArray(a)) {
		jx_err(d, path, "tags is an array of strings");
		return -1;
	}
	size_t i = 0;
	const cJSON *t;
	cJSON_ArrayForEach(t, a) {
		if (!cJSON_IsString(t) || strlen(t->valuestring) > 1024)
			jx_err(d, jx_pathi(p, sizeof p, path, i),
			    "a tag is a string (of at most 1024 characters "
			    "here; the hub allows 120)");
		i++;
	}
	if (i > 1000) {
		jx_err(d, path, "at most 1000 tags here (the hub allows 60)");
		return -1;
	}
	return 0;
}

void
scn_cloud_autoscale(jx_doc *d, const char *path, const cJSON *o,
    plan_autoscale *as)
{
	static const char *const keys[] = { "enabled", "min", "max", "rules",
	    NULL };
	static const char *const rkeys[] = { "metric", "operator",
	    "threshold", "windowMinutes", "change", "cooldownMinutes", NULL };
	char p[1024], q[1024];
	long long x;
	memset(as, 0, sizeof *as);
	as->enabled = 1;
	as->min = 1;
	as->max = 1;
	if (!cJSON_IsObject(o)) {
		jx_err(d, path, "autoscale is an object {\"min\", \"max\", "
		    "\"rules\"}");
		return;
	}
	jx_only(d, o, path, keys);
	jx_bool(d, o, path, "enabled", 0, &as->enabled);
	if (jx_int(d, o, path, "min", 0, 1, 100, &x) == 1)
		as->min = (int)x;
	if (jx_int(d, o, path, "max", 0, 1, 100, &x) == 1)
		as->max = (int)x;
	const cJSON *rules = NULL;
	if (jx_arr(d, o, path, "rules", 0, &rules) != 1)
		return;
	jx_path(p, sizeof p, path, "rules");
	if (cJSON_GetArraySize(rules) > PLAN_MAX_RULES) {
		jx_err(d, p, "at most %d rules", PLAN_MAX_RULES);
		return;
	}
	const cJSON *r;
	size_t i = 0;
	cJSON_ArrayForEach(r, rules) {
		jx_pathi(q, sizeof q, p, i++);
		if (!cJSON_IsObject(r)) {
			jx_err(d, q, "a rule is an object {\"metric\", "
			    "\"operator\", \"threshold\", ...}");
			continue;
		}
		jx_only(d, r, q, rkeys);
		plan_rule *pr = &as->rules[as->nrules++];
		pr->metric = PLAN_CPU;
		pr->above = 1;
		pr->window_min = 5;
		pr->change = 1;
		pr->cooldown_min = 5;
		const char *v = NULL;
		char w[1024];
		if (jx_str(d, r, q, "metric", 1, &v) == 1) {
			if (strcmp(v, "cpu") == 0)
				pr->metric = PLAN_CPU;
			else if (strcmp(v, "requests") == 0)
				pr->metric = PLAN_REQUESTS;
			else
				jx_err(d, jx_path(w, sizeof w, q, "metric"),
				    "metric is \"cpu\" (average CPU %%) or "
				    "\"requests\" (per instance per minute), "
				    "not \"%s\"", v);
		}
		if (jx_str(d, r, q, "operator", 1, &v) == 1) {
			if (strcmp(v, ">") == 0)
				pr->above = 1;
			else if (strcmp(v, "<") == 0)
				pr->above = 0;
			else
				jx_err(d, jx_path(w, sizeof w, q, "operator"),
				    "operator is \">\" or \"<\", not \"%s\"",
				    v);
		}
		double th;
		if (jx_num(d, r, q, "threshold", 1, &th) == 1) {
			if (th < 0 || th > 1e9)
				jx_err(d, jx_path(w, sizeof w, q, "threshold"),
				    "threshold is 0 to 1000000000");
			else
				pr->threshold = th;
		}
		if (jx_int(d, r, q, "windowMinutes", 0, 1, 720, &x) == 1)
			pr->window_min = (int)x;
		if (jx_int(d, r, q, "change", 0, -100, 100, &x) == 1) {
			if (x == 0)
				jx_err(d, jx_path(w, sizeof w, q, "change"),
				    "change adds (> 0) or removes (< 0) "
				    "instances; 0 does nothing");
			pr->change = (int)x;
		}
		if (jx_int(d, r, q, "cooldownMinutes", 0, 0, 1440, &x) == 1)
			pr->cooldown_min = (int)x;
	}
}

static void
scn_cloud_device(jx_doc *d, const scn *s, const char *path, const cJSON *o,
    const scn_device *sd, scn_push_dev *pd)
{
	static const char *const keys[] = { "platform", "channel",
	    "templates", "tags", "onNotify", "tileQueue", NULL };
	(void)s;
	char p[1024];
	if (!cJSON_IsObject(o)) {
		jx_err(d, path, "push is an object {\"platform\", "
		    "\"templates\", \"onNotify\"}");
		return;
	}
	jx_only(d, o, path, keys);
	pd->set = 1;
	pd->platform = strcmp(sd->platform, "ios") == 0 ? PNS_APNS :
	    strcmp(sd->platform, "windows") == 0 ? PNS_WNS : PNS_FCM;
	const char *v = NULL;
	if (jx_str(d, o, path, "platform", 0, &v) == 1 &&
	    pns_platform_parse(v, &pd->platform) != 0)
		jx_err(d, jx_path(p, sizeof p, path, "platform"),
		    "platform is \"apns\", \"fcmv1\" or \"wns\", not \"%s\"",
		    v);
	if (jx_str(d, o, path, "channel", 0, &v) == 1) {
		if (v[0] == '\0' || strlen(v) > 2048)
			jx_err(d, jx_path(p, sizeof p, path, "channel"),
			    "a push channel is 1 to 2048 characters");
		pd->channel = xstrdup(v);
	}
	const cJSON *t = NULL;
	if (jx_obj(d, o, path, "templates", 0, &t) == 1)
		pd->templates = cJSON_Duplicate(t, 1);
	t = cJSON_GetObjectItemCaseSensitive(o, "tags");
	if (t && scn_cloud_tags(d, jx_path(p, sizeof p, path, "tags"), t) ==
	    0)
		pd->tags = cJSON_Duplicate(t, 1);
	if (jx_str(d, o, path, "onNotify", 0, &v) == 1) {
		if (strcmp(v, "none") == 0)
			pd->on_notify = SCN_NOTIFY_NONE;
		else if (strcmp(v, "pull") == 0)
			pd->on_notify = SCN_NOTIFY_PULL;
		else if (strcmp(v, "sync") == 0)
			pd->on_notify = SCN_NOTIFY_SYNC;
		else
			jx_err(d, jx_path(p, sizeof p, path, "onNotify"),
			    "onNotify is \"none\", \"pull\" or \"sync\", not "
			    "\"%s\"", v);
	}
	jx_bool(d, o, path, "tileQueue", 0, &pd->tile_queue);
}

static void
scn_cloud_fleet(jx_doc *d, const scn *s, const cJSON *o, scn_fleet *f)
{
	static const char *const keys[] = { "devices", "prefix", "pull",
	    "push", "writes", "at", "spreadMs", "everyMs", "until", NULL };
	char p[1024];
	long long x;
	const char *v = NULL;
	if (!cJSON_IsObject(o)) {
		jx_err(d, "fleet", "fleet is an object {\"devices\", \"pull\", "
		    "\"at\", ...}");
		return;
	}
	jx_only(d, o, "fleet", keys);
	f->devices = 1;
	f->at_ms = s->start_ms;
	if (jx_int(d, o, "fleet", "devices", 1, 1, SCN_FLEET_MAX, &x) == 1)
		f->devices = (long)x;
	f->prefix = xstrdup("device");
	if (jx_str(d, o, "fleet", "prefix", 0, &v) == 1) {
		size_t n = strlen(v), i;
		for (i = 0; i < n; i++)
			if (!((v[i] >= 'a' && v[i] <= 'z') ||
			    (v[i] >= 'A' && v[i] <= 'Z') ||
			    (v[i] >= '0' && v[i] <= '9') || v[i] == '-'))
				break;
		if (n == 0 || n > 32 || i < n)
			jx_err(d, "fleet.prefix", "a prefix is 1 to 32 letters, "
			    "digits and -");
		else {
			free(f->prefix);
			f->prefix = xstrdup(v);
		}
	}
	if (jx_str(d, o, "fleet", "pull", 1, &v) == 1 &&
	    scn_cloud_table(d, s, "fleet.pull", v) == 0)
		f->pull = xstrdup(v);
	if (jx_str(d, o, "fleet", "push", 0, &v) == 1 &&
	    scn_cloud_table(d, s, "fleet.push", v) == 0)
		f->push = xstrdup(v);
	if (jx_int(d, o, "fleet", "writes", 0, 0, 10, &x) == 1)
		f->writes = (int)x;
	if (f->writes > 0 && f->push == NULL)
		jx_err(d, "fleet.writes", "writes needs \"push\": the table "
		    "they go to");
	if (jx_str(d, o, "fleet", "at", 0, &v) == 1 &&
	    wire_parse_time(v, &f->at_ms, NULL) != 0)
		jx_err(d, "fleet.at", "\"%s\" is not an ISO-8601 time such as "
		    "2026-03-02T08:00:00.000Z", v);
	if (f->at_ms < s->start_ms)
		jx_err(d, "fleet.at", "the fleet cannot start before the "
		    "scenario does (start)");
	if (jx_int(d, o, "fleet", "spreadMs", 0, 0, SCN_DAY_MS, &x) == 1)
		f->spread_ms = x;
	if (jx_int(d, o, "fleet", "everyMs", 0, 0, SCN_DAY_MS, &x) == 1) {
		if (x > 0 && x < 1000)
			jx_err(d, "fleet.everyMs", "everyMs is 0 (once) or at "
			    "least 1000");
		f->every_ms = x;
	}
	if (jx_str(d, o, "fleet", "until", 0, &v) == 1 &&
	    wire_parse_time(v, &f->until_ms, NULL) != 0)
		jx_err(d, "fleet.until", "\"%s\" is not an ISO-8601 time", v);
	if (f->every_ms > 0 && f->until_ms == 0)
		jx_err(d, jx_path(p, sizeof p, "fleet", "until"), "a fleet "
		    "that syncs every everyMs needs \"until\"");
}

scn_cloud *
scn_cloud_parse(jx_doc *d, const scn *s, const cJSON *root)
{
	const cJSON *push = cJSON_GetObjectItemCaseSensitive(root, "push");
	const cJSON *pl = cJSON_GetObjectItemCaseSensitive(root, "plan");
	const cJSON *fleet = cJSON_GetObjectItemCaseSensitive(root, "fleet");
	const cJSON *devs = cJSON_GetObjectItemCaseSensitive(root, "devices");
	int any_dev = 0;
	const cJSON *o;
	cJSON_ArrayForEach(o, devs)
		if (cJSON_GetObjectItemCaseSensitive(o, "push"))
			any_dev = 1;
	if (!push && !pl && !fleet && !any_dev)
		return NULL;
	scn_cloud *c = xcalloc(1, sizeof *c);
	char p[1024];
	long long x;
	const char *v = NULL;
	c->ndev = s->ndevices;
	c->dev = xcalloc(c->ndev ? c->ndev : 1, sizeof *c->dev);
	if (push) {
		static const char *const keys[] = { "tier", "pushToSync",
		    "pushesThisMonth", NULL };
		c->hub = 1;
		c->tier = HUB_FREE;
		if (!cJSON_IsObject(push))
			jx_err(d, "push", "push is an object {\"tier\", "
			    "\"pushToSync\"}");
		else {
			jx_only(d, push, "push", keys);
			if (jx_str(d, push, "push", "tier", 0, &v) == 1 &&
			    hub_tier_parse(v, &c->tier) != 0)
				jx_err(d, "push.tier", "a hub tier is \"free\", "
				    "\"basic\" or \"standard\", not \"%s\"", v);
			/* At most the tier's quota: the hub counts on. */
			if (jx_int(d, push, "push", "pushesThisMonth", 0, 0,
			    (long long)hub_tier_pushes(c->tier), &x) == 1)
				c->pushes_used = x;
			const cJSON *a = NULL;
			if (jx_arr(d, push, "push", "pushToSync", 0, &a) == 1) {
				int n = cJSON_GetArraySize(a);
				c->sync_tables = xcalloc((size_t)n + 1,
				    sizeof *c->sync_tables);
				const cJSON *t;
				cJSON_ArrayForEach(t, a) {
					jx_pathi(p, sizeof p, "push.pushToSync",
					    c->nsync);
					if (!cJSON_IsString(t)) {
						jx_err(d, p, "a table name");
						continue;
					}
					if (scn_cloud_table(d, s, p,
					    t->valuestring) == 0)
						c->sync_tables[c->nsync++] =
						    xstrdup(t->valuestring);
				}
			}
		}
	}
	size_t i = 0;
	cJSON_ArrayForEach(o, devs) {
		const cJSON *pd = cJSON_GetObjectItemCaseSensitive(o, "push");
		if (pd && i < s->ndevices) {
			char q[1024];
			jx_path(q, sizeof q, jx_pathi(p, sizeof p, "devices",
			    i), "push");
			if (!c->hub)
				jx_err(d, q, "a device registers for push with "
				    "the app's hub: declare \"push\" at the top");
			scn_cloud_device(d, s, q, pd, &s->devices[i],
			    &c->dev[i]);
		}
		i++;
	}
	if (pl) {
		static const char *const keys[] = { "tier", "instances",
		    "autoscale", "requestCpuMs", "rowCpuMs",
		    "instanceStartMs", NULL };
		c->plan = 1;
		c->plan_tier = xstrdup("F1");
		c->instances = 1;
		c->cost.base_ms = 20;
		c->cost.row_ms = 0.2;
		c->cost.start_ms = 60000;
		if (!cJSON_IsObject(pl))
			jx_err(d, "plan", "plan is an object {\"tier\", "
			    "\"instances\", \"autoscale\"}");
		else {
			jx_only(d, pl, "plan", keys);
			const plan_tier *t = NULL;
			if (jx_str(d, pl, "plan", "tier", 1, &v) == 1) {
				t = plan_tier_find(v);
				if (t == NULL) {
					sb l = SB_INIT;
					for (size_t k = 0; k < plan_ntiers(); k++)
						sb_addf(&l, "%s%s", k ? ", " :
						    "", plan_tier_at(k)->name);
					jx_err(d, "plan.tier", "unknown tier "
					    "\"%s\" (%s)", v, sb_str(&l));
					sb_free(&l);
				} else {
					free(c->plan_tier);
					c->plan_tier = xstrdup(v);
				}
			}
			if (jx_int(d, pl, "plan", "instances", 0, 1, 100,
			    &x) == 1) {
				c->instances = (int)x;
				if (t && x > t->max_instances)
					jx_err(d, "plan.instances", "%s (%s) "
					    "runs at most %d instance%s", t->name,
					    t->family, t->max_instances,
					    t->max_instances == 1 ? "" : "s");
			}
			double n;
			if (jx_num(d, pl, "plan", "requestCpuMs", 0, &n) ==
			    1) {
				if (n < 0.01 || n > 60000)
					jx_err(d, "plan.requestCpuMs", "0.01 to "
					    "60000");
				else
					c->cost.base_ms = n;
			}
			if (jx_num(d, pl, "plan", "rowCpuMs", 0, &n) == 1) {
				if (n < 0 || n > 1000)
					jx_err(d, "plan.rowCpuMs", "0 to 1000");
				else
					c->cost.row_ms = n;
			}
			if (jx_int(d, pl, "plan", "instanceStartMs", 0, 0,
			    3600000, &x) == 1)
				c->cost.start_ms = x;
			const cJSON *as = NULL;
			if (jx_obj(d, pl, "plan", "autoscale", 0, &as) == 1) {
				scn_cloud_autoscale(d, "plan.autoscale", as,
				    &c->autoscale);
				if (t && c->autoscale.enabled &&
				    !t->autoscale)
					jx_err(d, "plan.autoscale", "%s (%s) has "
					    "no autoscale: it starts at Standard",
					    t->name, t->family);
				else if (t && c->autoscale.max >
				    t->max_instances)
					jx_err(d, "plan.autoscale.max", "%s (%s) "
					    "scales to at most %d instances",
					    t->name, t->family,
					    t->max_instances);
				if (c->autoscale.min > c->autoscale.max)
					jx_err(d, "plan.autoscale", "min is "
					    "larger than max");
			}
		}
	}
	if (fleet) {
		c->fleet = 1;
		scn_cloud_fleet(d, s, fleet, &c->fl);
	}
	return c;
}

/* ---- steps ---- */

int
scn_cloud_action(scn_action a)
{
	return a == SCN_REGISTER || a == SCN_UNREGISTER || a == SCN_TAG ||
	    a == SCN_SEND || a == SCN_SCALE;
}

const char *const *
scn_cloud_keys(scn_action a)
{
	static const char *const k_reg[] = { "do", "say", "ask", "expect",
	    "device", "tags", NULL };
	static const char *const k_unreg[] = { "do", "say", "ask", "expect",
	    "device", NULL };
	static const char *const k_send[] = { "do", "say", "ask", "expect",
	    "tags", "format", "payload", "props", "wnsType", "collapseKey",
	    "ttlSeconds", "afterMs", "repeat", "table", NULL };
	static const char *const k_scale[] = { "do", "say", "ask", "expect",
	    "tier", "instances", "autoscale", "hub", NULL };
	switch (a) {
	case SCN_REGISTER: case SCN_TAG: return k_reg;
	case SCN_SEND: return k_send;
	case SCN_SCALE: return k_scale;
	default: return k_unreg;
	}
}

static void
scn_cloud_copy(cJSON *args, const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	if (v)
		cJSON_AddItemToObject(args, key, cJSON_Duplicate(v, 1));
}

void
scn_cloud_step(jx_doc *d, const scn *s, const char *path, const cJSON *obj,
    scn_step *st)
{
	char p[1024];
	const char *v = NULL;
	long long x;
	const scn_cloud *c = s->cloud;
	cJSON *args = cJSON_CreateObject();
	st->row = args;
	if (st->act == SCN_REGISTER || st->act == SCN_UNREGISTER ||
	    st->act == SCN_TAG) {
		int di = st->device ? scn_device_index(s, st->device) : -1;
		if (di >= 0 && (c == NULL || !c->dev[di].set))
			jx_err(d, jx_path(p, sizeof p, path, "device"),
			    "%s has no \"push\" object: give it one in "
			    "devices[] (platform, templates, onNotify)",
			    st->device);
		const cJSON *t = cJSON_GetObjectItemCaseSensitive(obj, "tags");
		if (st->act == SCN_TAG && t == NULL)
			jx_err(d, path, "missing required \"tags\"");
		if (t && scn_cloud_tags(d, jx_path(p, sizeof p, path, "tags"),
		    t) == 0)
			scn_cloud_copy(args, obj, "tags");
		return;
	}
	if (st->act == SCN_SEND) {
		if (c == NULL || !c->hub)
			jx_err(d, path, "a send needs the app's hub: declare "
			    "\"push\" at the top");
		if (jx_str(d, obj, path, "format", 1, &v) == 1) {
			if (strcmp(v, "template") && strcmp(v, "apple") &&
			    strcmp(v, "fcmv1") && strcmp(v, "windows"))
				jx_err(d, jx_path(p, sizeof p, path, "format"),
				    "format is \"template\", \"apple\", "
				    "\"fcmv1\" or \"windows\", not \"%s\"", v);
			else if (strcmp(v, "template") == 0 &&
			    cJSON_GetObjectItemCaseSensitive(obj, "payload"))
				jx_err(d, jx_path(p, sizeof p, path, "payload"),
				    "a template send has \"props\", not a "
				    "payload");
			else if (strcmp(v, "template") != 0 &&
			    cJSON_GetObjectItemCaseSensitive(obj, "payload") ==
			    NULL)
				jx_err(d, path, "a native send needs "
				    "\"payload\" (a JSON object, or XML text "
				    "for windows)");
			scn_cloud_copy(args, obj, "format");
		}
		if (jx_str(d, obj, path, "tags", 0, &v) == 1) {
			if (strlen(v) > 4096)
				jx_err(d, jx_path(p, sizeof p, path, "tags"),
				    "a tag expression of at most 4096 "
				    "characters here");
			scn_cloud_copy(args, obj, "tags");
		}
		const cJSON *pl = cJSON_GetObjectItemCaseSensitive(obj,
		    "payload");
		if (pl) {
			if (!cJSON_IsObject(pl) && !cJSON_IsString(pl))
				jx_err(d, jx_path(p, sizeof p, path, "payload"),
				    "a payload is a JSON object or a string");
			else {
				char *txt = cJSON_IsString(pl) ? NULL :
				    cJSON_PrintUnformatted(pl);
				size_t n = txt ? strlen(txt) :
				    strlen(pl->valuestring);
				cJSON_free(txt);
				if (n > 4 * SCN_CLOUD_MAX_TEXT)
					jx_err(d, jx_path(p, sizeof p, path,
					    "payload"), "at most 256 KB here");
				scn_cloud_copy(args, obj, "payload");
			}
		}
		const cJSON *pr = NULL;
		if (jx_obj(d, obj, path, "props", 0, &pr) == 1) {
			const cJSON *m;
			cJSON_ArrayForEach(m, pr)
				if (!cJSON_IsString(m) && !cJSON_IsNumber(m))
					jx_err(d, jx_path(p, sizeof p, path,
					    "props"), "property \"%s\" is a string "
					    "or a number", m->string);
			scn_cloud_copy(args, obj, "props");
		}
		if (jx_str(d, obj, path, "wnsType", 0, &v) == 1)
			scn_cloud_copy(args, obj, "wnsType");
		if (jx_str(d, obj, path, "collapseKey", 0, &v) == 1)
			scn_cloud_copy(args, obj, "collapseKey");
		if (jx_str(d, obj, path, "table", 0, &v) == 1 &&
		    scn_cloud_table(d, s, jx_path(p, sizeof p, path, "table"),
		    v) == 0)
			scn_cloud_copy(args, obj, "table");
		if (jx_int(d, obj, path, "ttlSeconds", 0, 0, 31536000, &x) == 1)
			scn_cloud_copy(args, obj, "ttlSeconds");
		if (jx_int(d, obj, path, "afterMs", 0, 0, 30 * SCN_DAY_MS,
		    &x) == 1)
			scn_cloud_copy(args, obj, "afterMs");
		if (jx_int(d, obj, path, "repeat", 0, 1, 1000, &x) == 1)
			st->count = (int)x;
		return;
	}
	/* scale: the plan, or the hub's tier */
	int any = 0;
	if (jx_str(d, obj, path, "hub", 0, &v) == 1) {
		hub_tier ht;
		any = 1;
		if (c == NULL || !c->hub)
			jx_err(d, path, "scale \"hub\" needs a notification "
			    "hub: declare \"push\" at the top");
		if (hub_tier_parse(v, &ht) != 0)
			jx_err(d, jx_path(p, sizeof p, path, "hub"), "a hub tier "
			    "is \"free\", \"basic\" or \"standard\", not "
			    "\"%s\"", v);
		scn_cloud_copy(args, obj, "hub");
	}
	if ((c == NULL || !c->plan) && (cJSON_GetObjectItemCaseSensitive(obj,
	    "tier") || cJSON_GetObjectItemCaseSensitive(obj, "instances") ||
	    cJSON_GetObjectItemCaseSensitive(obj, "autoscale") || !any))
		jx_err(d, path, "scale needs the App Service plan: declare "
		    "\"plan\" at the top");
	if (jx_str(d, obj, path, "tier", 0, &v) == 1) {
		any = 1;
		if (plan_tier_find(v) == NULL)
			jx_err(d, jx_path(p, sizeof p, path, "tier"),
			    "unknown tier \"%s\"", v);
		scn_cloud_copy(args, obj, "tier");
	}
	if (jx_int(d, obj, path, "instances", 0, 1, 100, &x) == 1) {
		any = 1;
		scn_cloud_copy(args, obj, "instances");
	}
	const cJSON *as = cJSON_GetObjectItemCaseSensitive(obj, "autoscale");
	if (as) {
		plan_autoscale pa;
		any = 1;
		scn_cloud_autoscale(d, jx_path(p, sizeof p, path, "autoscale"),
		    as, &pa);
		scn_cloud_copy(args, obj, "autoscale");
	}
	if (!any)
		jx_err(d, path, "scale needs \"tier\", \"instances\", "
		    "\"autoscale\" or \"hub\"");
}

/* ---- expectations ---- */

void
scn_cloud_expect(jx_doc *d, const scn *s, const char *path, const cJSON *e)
{
	char p[1024], q[1024];
	const cJSON *v, *m;
	long long x;
	int b;
	const scn_cloud *c = s->cloud;
	if (jx_obj(d, e, path, "hub", 0, &v) == 1) {
		static const char *const keys[] = { "status", "installations",
		    "notifications", "pushesThisMonth", NULL };
		jx_path(p, sizeof p, path, "hub");
		if (c == NULL || !c->hub)
			jx_err(d, p, "the scenario has no hub (\"push\")");
		jx_only(d, v, p, keys);
		jx_int(d, v, p, "status", 0, 100, 599, &x);
		jx_int(d, v, p, "installations", 0, 0, 100000000, &x);
		jx_int(d, v, p, "notifications", 0, 0, 100000000, &x);
		jx_int(d, v, p, "pushesThisMonth", 0, 0, 100000000, &x);
	}
	if (jx_obj(d, e, path, "notified", 0, &v) == 1) {
		static const char *const keys[] = { "received", "held",
		    "dropped", "deletedSignal", NULL };
		jx_path(q, sizeof q, path, "notified");
		cJSON_ArrayForEach(m, v) {
			jx_path(p, sizeof p, q, m->string);
			int di = scn_device_index(s, m->string);
			if (di < 0 || c == NULL || !c->dev[di].set) {
				jx_err(d, p, "\"%s\" is not a device with "
				    "\"push\"", m->string);
				continue;
			}
			if (!cJSON_IsObject(m)) {
				jx_err(d, p, "expected {\"received\": N, "
				    "\"held\": N, \"dropped\": N}");
				continue;
			}
			jx_only(d, m, p, keys);
			jx_int(d, m, p, "received", 0, 0, 100000000, &x);
			jx_int(d, m, p, "held", 0, 0, 100000000, &x);
			jx_int(d, m, p, "dropped", 0, 0, 100000000, &x);
			jx_bool(d, m, p, "deletedSignal", 0, &b);
		}
	}
	if (jx_obj(d, e, path, "tags", 0, &v) == 1) {
		jx_path(q, sizeof q, path, "tags");
		cJSON_ArrayForEach(m, v) {
			jx_path(p, sizeof p, q, m->string);
			int di = scn_device_index(s, m->string);
			if (di < 0 || c == NULL || !c->dev[di].set)
				jx_err(d, p, "\"%s\" is not a device with "
				    "\"push\"", m->string);
			else
				scn_cloud_tags(d, p, m);
		}
	}
	if (jx_obj(d, e, path, "plan", 0, &v) == 1) {
		static const char *const keys[] = { "stopped", "instances",
		    "refused", "refusedAtLeast", "peakInstances",
		    "p95AtMostMs", "p95AtLeastMs", "tier", NULL };
		jx_path(p, sizeof p, path, "plan");
		if (c == NULL || !c->plan)
			jx_err(d, p, "the scenario has no \"plan\"");
		jx_only(d, v, p, keys);
		jx_bool(d, v, p, "stopped", 0, &b);
		jx_int(d, v, p, "instances", 0, 0, 100, &x);
		jx_int(d, v, p, "peakInstances", 0, 0, 100, &x);
		jx_int(d, v, p, "refused", 0, 0, 100000000, &x);
		jx_int(d, v, p, "refusedAtLeast", 0, 0, 100000000, &x);
		jx_int(d, v, p, "p95AtMostMs", 0, 0, 100000000, &x);
		jx_int(d, v, p, "p95AtLeastMs", 0, 0, 100000000, &x);
		const char *t = NULL;
		if (jx_str(d, v, p, "tier", 0, &t) == 1 &&
		    plan_tier_find(t) == NULL)
			jx_err(d, p, "unknown tier \"%s\"", t);
	}
}
