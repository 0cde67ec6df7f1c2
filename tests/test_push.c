#include "tests/testutil.h"

#include <stdlib.h>
#include <string.h>

#include "lib/sb.h"
#include "sim/hub.h"
#include "sim/pns.h"
#include "sim/tagx.h"
#include "sim/tmpl.h"
#include "lib/xmem.h"

#define DAY (24LL * 3600 * 1000)
#define T0 1772441400000LL	/* 2026-03-02T08:50:00Z */

/* ---- tag expressions ---- */

static int
match(const char *expr, const char *const *tags, size_t n)
{
	sb err = SB_INIT;
	tagx *x = tagx_parse(expr, &err);
	if (x == NULL) {
		print_error("%s: %s\n", expr, sb_str(&err));
		fail();
	}
	sb_free(&err);
	int r = tagx_eval(x, tags, n);
	tagx_free(x);
	return r;
}

static void
bad(const char *expr, const char *want)
{
	sb err = SB_INIT;
	tagx *x = tagx_parse(expr, &err);
	if (x != NULL || strstr(sb_str(&err), want) == NULL) {
		print_error("%s: got \"%s\", want \"%s\"\n", expr,
		    x ? "(parsed)" : sb_str(&err), want);
		tagx_free(x);
		fail();
	}
	sb_free(&err);
}

static void
test_tag_expressions(void **state)
{
	(void)state;
	const char *boston_sox[] = { "follows_RedSox", "location_Boston" };
	const char *boston_cards[] = { "follows_Cardinals",
		"location_Boston" };
	const char *ny[] = { "follows_RedSox", "location_NewYork" };
	const char *e = "(follows_RedSox || follows_Cardinals) && "
	    "location_Boston";
	assert_int_equal(match(e, boston_sox, 2), 1);
	assert_int_equal(match(e, boston_cards, 2), 1);
	assert_int_equal(match(e, ny, 2), 0);
	assert_int_equal(match("(location_Boston && !follows_Cardinals)",
	    boston_sox, 2), 1);
	assert_int_equal(match("location_Boston && !follows_Cardinals",
	    boston_cards, 2), 0);
	/* Precedence: ! over && over ||. */
	const char *a[] = { "a" };
	const char *bc[] = { "b", "c" };
	assert_int_equal(match("a || b && c", a, 1), 1);
	assert_int_equal(match("a || b && c", bc, 2), 1);
	assert_int_equal(match("(a || b) && c", a, 1), 0);
	assert_int_equal(match("!a || a && !a", a, 1), 0);
	assert_int_equal(match("!!a", a, 1), 1);
	assert_int_equal(match("!a", NULL, 0), 1);
	/* Reserved and user-id tags. */
	const char *inst[] = { "$InstallationId:{joe93developer}",
		"_UserId:sid:42" };
	assert_int_equal(match("$InstallationId:{joe93developer}", inst, 2),
	    1);
	assert_int_equal(match("_UserId:sid:42 && !$InstallationId:{x}",
	    inst, 2), 1);
}

static void
test_tag_limits(void **state)
{
	(void)state;
	/* 20 tags joined by || are allowed, 21 are not. */
	sb s = SB_INIT;
	for (int i = 0; i < 20; i++)
		sb_addf(&s, "%st%d", i ? " || " : "", i);
	sb err = SB_INIT;
	tagx *x = tagx_parse(sb_str(&s), &err);
	assert_non_null(x);
	assert_int_equal(tagx_ntags(x), 20);
	assert_int_equal(tagx_only_or(x), 1);
	tagx_free(x);
	sb_add(&s, " || t20");
	bad(sb_str(&s), "at most 20 tags");
	sb_free(&s);
	/* With && or !, six. */
	x = tagx_parse("a && b && c && d && e && f", &err);
	assert_non_null(x);
	assert_int_equal(tagx_only_or(x), 0);
	tagx_free(x);
	bad("a && b && c && d && e && f && g", "at most 6");
	bad("a || b || c || d || e || f || !g", "at most 6");
	/* Tags: 120 characters of the allowed set. */
	char t[130];
	memset(t, 'x', 120);
	t[120] = '\0';
	x = tagx_parse(t, &err);
	assert_non_null(x);
	tagx_free(x);
	t[120] = 'x';
	t[121] = '\0';
	bad(t, "at most 120 characters");
	assert_int_equal(tagx_valid_tag("a b", 3, &err), 0);
	assert_non_null(strstr(sb_str(&err), "' ' is not allowed"));
	assert_int_equal(tagx_valid_tag("ok_@#.:-9", 9, NULL), 1);
	assert_int_equal(tagx_valid_tag("$x", 2, NULL), 0);
	sb_free(&err);
}

static void
test_tag_syntax_errors(void **state)
{
	(void)state;
	bad("", "empty");
	bad("   ", "empty");
	bad("a &&", "column 5: a tag is missing");
	bad("a & b", "column 3: 'and' is written &&");
	bad("a | b", "'or' is written ||");
	bad("(a || b", "column 8: the '(' at column 1 is never closed");
	bad("a || b)", "column 7: this ')' has no '('");
	bad("a b", "column 3: expected && or ||");
	bad("a && (b || $x)", "found '$'");
	bad("$InstallationId:{abc", "closing }");
	bad("$InstallationId:{}", "needs an id");
	bad("a && \x01", "byte 0x01");
	/* Deep nesting is refused, never a crash. */
	sb s = SB_INIT;
	for (int i = 0; i < 5000; i++)
		sb_addc(&s, '(');
	bad(sb_str(&s), "nests deeper");
	sb_reset(&s);
	for (int i = 0; i < 5000; i++)
		sb_addc(&s, '!');
	sb_add(&s, "a");
	bad(sb_str(&s), "nests deeper");
	sb_free(&s);
}

/* ---- templates ---- */

static char *
expand(const char *body, const char *props)
{
	cJSON *p = props ? cJSON_Parse(props) : NULL;
	sb out = SB_INIT;
	sb err = SB_INIT;
	if (tmpl_expand(body, p, &out, &err) != 0) {
		print_error("%s: %s\n", body, sb_str(&err));
		fail();
	}
	sb_free(&err);
	cJSON_Delete(p);
	return sb_take(&out);
}

static void
tmpl_bad(const char *body, const char *want)
{
	sb err = SB_INIT;
	sb out = SB_INIT;
	int rc = tmpl_expand(body, NULL, &out, &err);
	sb_free(&out);
	if (rc == 0 || strstr(sb_str(&err), want) == NULL) {
		print_error("%s: got \"%s\", want \"%s\"\n", body,
		    rc == 0 ? "(expanded)" : sb_str(&err), want);
		fail();
	}
	sb_free(&err);
}

static void
test_templates(void **state)
{
	(void)state;
	const char *props = "{\"Message\":\"Pole 5 transformer is down\","
	    "\"name\":\"Ana\",\"count\":\"3\",\"q\":\"a b&c\","
	    "\"ver\":\"1.5e3\",\"neg\":\"-2\"}";
	char *s;
	s = expand("{\"aps\":{\"alert\":\"$(message)\"}}", props);
	assert_string_equal(s, "{\"aps\":{\"alert\":\"Pole 5 transformer is "
	    "down\"}}");
	free(s);
	s = expand("{\"a\":\"$(message,6)\",\"b\":\".(message,10)\","
	    "\"c\":\".(name,10)\",\"d\":\"$(missing)\"}", props);
	assert_string_equal(s, "{\"a\":\"Pole 5\",\"b\":\"Pole 5 ...\","
	    "\"c\":\"Ana\",\"d\":\"\"}");
	free(s);
	s = expand("{\"u\":\"%(q)\",\"n\":\"#(count)\",\"e\":\"#(ver)\","
	    "\"m\":\"#(neg)\",\"s\":\"#(name)\",\"j\":\"{#(count)}\"}", props);
	assert_string_equal(s, "{\"u\":\"a%20b%26c\",\"n\":3,\"e\":1.5e3,"
	    "\"m\":\"-2\",\"s\":\"Ana\",\"j\":\"3\"}");
	free(s);
	s = expand("{\"alert\":\"{'Hi ' + $(name) + \\\": \\\" + "
	    ".(message,8)}\"}", props);
	assert_string_equal(s, "{\"alert\":\"Hi Ana: Pole ...\"}");
	free(s);
	s = expand("<toast><visual><binding template=\"ToastText01\">"
	    "<text id=\"1\">{'Hi ' + $(name)}</text></binding></visual>"
	    "</toast>", props);
	assert_string_equal(s, "<toast><visual><binding template=\""
	    "ToastText01\"><text id=\"1\">Hi Ana</text></binding></visual>"
	    "</toast>");
	free(s);
	s = expand("<tile launch=\"$(q)\"><x>#(count)</x></tile>", props);
	assert_string_equal(s, "<tile launch=\"a b&amp;c\"><x>3</x></tile>");
	free(s);
	/* Literal text without expressions passes unchanged. */
	s = expand("{\"aps\":{\"content-available\":1,\"x\":\"plain\"}}",
	    NULL);
	assert_string_equal(s, "{\"aps\":{\"content-available\":1,\"x\":"
	    "\"plain\"}}");
	free(s);
	assert_int_equal(tmpl_kind("  {"), 1);
	assert_int_equal(tmpl_kind("<a/>"), 0);
	assert_int_equal(tmpl_kind("x"), -1);
	tmpl_bad("{\"a\":\"Hello $(name)\"}", "must be the whole value");
	tmpl_bad("{\"a\":\"{$(name) $(x)}\"}", "joined with '+'");
	tmpl_bad("{\"a\":\"{'x}\"}", "not closed");
	tmpl_bad("{\"a\":\".(name)\"}", "needs a length");
	tmpl_bad("{\"a\":\"$(name,x)\"}", "needs a length in digits");
	tmpl_bad("{\"a\":\"%(name,3)\"}", "only a property name");
	tmpl_bad("{\"a\":\"$(name\"}", "not closed with )");
	tmpl_bad("{\"a\":\"$(name,999999999)\"}", "at most");
	tmpl_bad("{\"a\":", "does not parse");
	tmpl_bad("<a></a></b>", "closes a tag");
	tmpl_bad("<a>", "open");
	tmpl_bad("text", "JSON (APNs, FCM v1) or XML");
}

/* ---- platform services ---- */

static pns_msg
msg(uint64_t id, pns_kind k, const char *collapse, int64_t sent,
    int64_t ttl)
{
	pns_msg m;
	memset(&m, 0, sizeof m);
	m.id = id;
	m.kind = k;
	m.collapse = (char *)collapse;
	m.sent_ms = sent;
	m.expire_ms = ttl < 0 ? INT64_MAX : sent + ttl;
	m.payload = (char *)"{}";
	return m;
}

static pns_outcome
send1(pns *p, size_t c, pns_msg m, pns_dlv **d, size_t *nd, int *st)
{
	sb why = SB_INIT;
	pns_outcome o = pns_send(p, c, &m, m.sent_ms, st, d, nd, &why);
	assert_true(why.len > 0);
	sb_free(&why);
	return o;
}

static void
test_apns_keeps_one(void **state)
{
	(void)state;
	pns *p = pns_new();
	size_t c = pns_open(p, PNS_APNS, "tok-1", "iPhone", T0);
	pns_dlv *d = NULL;
	size_t nd = 0;
	int st;
	assert_int_equal(send1(p, c, msg(1, PNS_ALERT, NULL, T0, DAY), &d,
	    &nd, &st), PNS_DELIVERED);
	assert_int_equal(nd, 1);
	pns_set_online(p, c, 0, T0, 0, &d, &nd, NULL);
	assert_int_equal(send1(p, c, msg(2, PNS_ALERT, NULL, T0 + 1, DAY),
	    &d, &nd, &st), PNS_STORED);
	assert_int_equal(send1(p, c, msg(3, PNS_ALERT, NULL, T0 + 2, DAY),
	    &d, &nd, &st), PNS_REPLACED);
	assert_int_equal(send1(p, c, msg(4, PNS_ALERT, NULL, T0 + 3, DAY),
	    &d, &nd, &st), PNS_REPLACED);
	assert_int_equal(send1(p, c, msg(5, PNS_ALERT, NULL, T0 + 4, 0), &d,
	    &nd, &st), PNS_DROPPED);
	sb why = SB_INIT;
	size_t got = pns_set_online(p, c, 1, T0 + 10, 7, &d, &nd, &why);
	assert_int_equal(got, 1);
	assert_int_equal(d[1].msg.id, 4);
	assert_non_null(strstr(sb_str(&why), "APNs"));
	sb_free(&why);
	/* Held past its expiry: nothing arrives. */
	pns_set_online(p, c, 0, T0 + 20, 0, &d, &nd, NULL);
	send1(p, c, msg(6, PNS_ALERT, NULL, T0 + 21, 1000), &d, &nd, &st);
	assert_int_equal(pns_set_online(p, c, 1, T0 + 5000, 0, &d, &nd,
	    NULL), 0);
	pns_dlv_free(d, nd);
	pns_free(p);
}

static void
test_fcm_overflow_and_keys(void **state)
{
	(void)state;
	pns *p = pns_new();
	size_t c = pns_open(p, PNS_FCM, "fcm-1", "Pixel", T0);
	pns_dlv *d = NULL;
	size_t nd = 0;
	int st;
	pns_set_online(p, c, 0, T0, 0, &d, &nd, NULL);
	for (int i = 1; i <= 100; i++)
		assert_int_equal(send1(p, c, msg((uint64_t)i, PNS_DATA, NULL,
		    T0 + i, DAY), &d, &nd, &st), PNS_STORED);
	assert_int_equal(p->ch[c].nheld, 100);
	assert_int_equal(send1(p, c, msg(101, PNS_DATA, NULL, T0 + 101, DAY),
	    &d, &nd, &st), PNS_OVERFLOW);
	assert_int_equal(p->ch[c].nheld, 0);
	for (int i = 102; i <= 150; i++)
		send1(p, c, msg((uint64_t)i, PNS_DATA, NULL, T0 + i, DAY), &d,
		    &nd, &st);
	size_t got = pns_set_online(p, c, 1, T0 + 1000, 42, &d, &nd, NULL);
	assert_int_equal(got, 50);	/* the signal and 49 messages */
	assert_int_equal(d[0].deleted_signal, 1);
	/* Delivered in a shuffled order, every one once. */
	int seen[151] = { 0 }, inorder = 1;
	for (size_t i = 1; i < nd; i++) {
		seen[d[i].msg.id]++;
		if (i > 1 && d[i].msg.id < d[i - 1].msg.id)
			inorder = 0;
	}
	for (int i = 102; i <= 150; i++)
		assert_int_equal(seen[i], 1);
	assert_int_equal(inorder, 0);
	pns_dlv_free(d, nd);
	d = NULL;
	nd = 0;
	/* Collapse keys: one per key, at most four keys. */
	pns_set_online(p, c, 0, T0 + 2000, 0, &d, &nd, NULL);
	const char *keys[] = { "k1", "k2", "k1", "k3", "k4", "k5" };
	pns_outcome want[] = { PNS_STORED, PNS_STORED, PNS_REPLACED,
		PNS_STORED, PNS_STORED, PNS_REPLACED };
	for (int i = 0; i < 6; i++)
		assert_int_equal(send1(p, c, msg((uint64_t)(200 + i),
		    PNS_DATA, keys[i], T0 + 2000 + i, DAY), &d, &nd, &st),
		    want[i]);
	assert_int_equal(p->ch[c].nheld, 4);
	/* TTL over 28 days is refused; TTL 0 offline is dropped. */
	assert_int_equal(send1(p, c, msg(300, PNS_DATA, NULL, T0,
	    29 * DAY), &d, &nd, &st), PNS_REFUSED);
	assert_int_equal(st, 400);
	assert_int_equal(send1(p, c, msg(301, PNS_DATA, NULL, T0, 0), &d,
	    &nd, &st), PNS_DROPPED);
	pns_dlv_free(d, nd);
	pns_free(p);
}

static void
test_wns_cache_and_expiry(void **state)
{
	(void)state;
	pns *p = pns_new();
	size_t c = pns_open(p, PNS_WNS, "https://wns/ch1", "Surface", T0);
	pns_dlv *d = NULL;
	size_t nd = 0;
	int st;
	pns_set_online(p, c, 0, T0, 0, &d, &nd, NULL);
	assert_int_equal(send1(p, c, msg(1, PNS_TOAST, NULL, T0, -1), &d,
	    &nd, &st), PNS_DROPPED);
	assert_int_equal(send1(p, c, msg(2, PNS_RAW, NULL, T0, -1), &d, &nd,
	    &st), PNS_DROPPED);
	assert_int_equal(send1(p, c, msg(3, PNS_TILE, NULL, T0, -1), &d, &nd,
	    &st), PNS_STORED);
	assert_int_equal(send1(p, c, msg(4, PNS_TILE, NULL, T0, -1), &d, &nd,
	    &st), PNS_REPLACED);
	assert_int_equal(send1(p, c, msg(5, PNS_BADGE, NULL, T0, -1), &d,
	    &nd, &st), PNS_STORED);
	assert_int_equal(send1(p, c, msg(6, PNS_BADGE, NULL, T0, -1), &d,
	    &nd, &st), PNS_REPLACED);
	assert_int_equal(pns_set_online(p, c, 1, T0 + 10, 0, &d, &nd, NULL),
	    2);
	/* With queuing on, five tiles. */
	p->ch[c].tile_queue = 1;
	pns_set_online(p, c, 0, T0 + 20, 0, &d, &nd, NULL);
	for (int i = 0; i < 7; i++)
		send1(p, c, msg((uint64_t)(10 + i), PNS_TILE, NULL, T0 + 30,
		    -1), &d, &nd, &st);
	assert_int_equal(p->ch[c].nheld, 5);
	/* Thirty days after it was made, the channel is gone. */
	assert_int_equal(send1(p, c, msg(20, PNS_TILE, NULL,
	    T0 + 30 * DAY, -1), &d, &nd, &st), PNS_GONE);
	assert_int_equal(st, 410);
	pns_dlv_free(d, nd);
	/* A copy is independent. */
	pns *q = pns_dup(p);
	pns_free(p);
	assert_int_equal(q->ch[0].nheld, 5);
	pns_free(q);
}

/* ---- the hub ---- */

static int
install(hub *h, const char *json)
{
	cJSON *j = cJSON_Parse(json);
	assert_non_null(j);
	sb why = SB_INIT;
	int st = hub_install(h, j, T0, &why);
	sb_free(&why);
	cJSON_Delete(j);
	return st;
}

static void
test_hub_installations(void **state)
{
	(void)state;
	hub *h = hub_new(HUB_FREE);
	assert_int_equal(install(h, "{\"installationId\":\"i1\","
	    "\"platform\":\"apns\",\"pushChannel\":\"tok1\","
	    "\"tags\":[\"crew:north\"]}"), 200);
	assert_int_equal(install(h, "{\"installationId\":\"i1\","
	    "\"platform\":\"apns\",\"pushChannel\":\"tok1b\"}"), 200);
	assert_int_equal(h->n, 1);
	assert_string_equal(h->in[0].channel, "tok1b");
	assert_int_equal(install(h, "{\"installationId\":\"i2\","
	    "\"platform\":\"gcm\",\"pushChannel\":\"x\"}"), 400);
	assert_int_equal(install(h, "{\"installationId\":\"i2\","
	    "\"platform\":\"wns\",\"pushChannel\":\"x\",\"tags\":[\"a b\"]}"),
	    400);
	assert_int_equal(install(h, "{\"installationId\":\"i2\","
	    "\"platform\":\"wns\",\"pushChannel\":\"x\",\"templates\":{\"t\":"
	    "{\"body\":\"<toast>$(m)</toast>\"}}}"), 400);	/* no type */
	assert_int_equal(install(h, "{\"installationId\":\"i2\","
	    "\"platform\":\"apns\",\"pushChannel\":\"x\",\"templates\":{\"t\":"
	    "{\"body\":\"<toast/>\"}}}"), 400);	/* XML for APNs */
	/* 60 tags allowed, 61 refused. */
	sb s = SB_INIT;
	sb_add(&s, "{\"installationId\":\"i3\",\"platform\":\"fcmv1\","
	    "\"pushChannel\":\"f3\",\"tags\":[");
	for (int i = 0; i < 60; i++)
		sb_addf(&s, "%s\"t%d\"", i ? "," : "", i);
	sb tail = SB_INIT;
	sb_addf(&tail, "%s]}", sb_str(&s));
	assert_int_equal(install(h, sb_str(&tail)), 200);
	sb_reset(&tail);
	sb_addf(&tail, "%s,\"t60\"]}", sb_str(&s));
	assert_int_equal(install(h, sb_str(&tail)), 400);
	sb_free(&s);
	sb_free(&tail);
	/* The Free tier's 500 devices. */
	for (int i = 0; i < 600; i++) {
		char j[200];
		snprintf(j, sizeof j, "{\"installationId\":\"d%d\","
		    "\"platform\":\"fcmv1\",\"pushChannel\":\"c%d\"}", i, i);
		int st = install(h, j);
		assert_int_equal(st, h->n < 500 || i < 498 ? 200 : 403);
	}
	assert_int_equal(h->n, 500);
	assert_true(hub_find(h, "d300") >= 0);
	sb why = SB_INIT;
	assert_int_equal(hub_uninstall(h, "d300", &why), 200);
	assert_int_equal(hub_find(h, "d300"), -1);
	assert_true(hub_find(h, "d301") >= 0);
	assert_int_equal(hub_uninstall(h, "d300", &why), 404);
	sb_free(&why);
	hub_free(h);
}

static int
send(hub *h, const char *tags, const char *format, const char *body,
    const char *props, const char *wns, int64_t at, size_t *n)
{
	hub_send_req rq;
	memset(&rq, 0, sizeof rq);
	rq.tags = tags;
	rq.format = format;
	rq.body = body;
	cJSON *p = props ? cJSON_Parse(props) : NULL;
	rq.props = p;
	rq.wns_type = wns;
	rq.ttl_ms = -1;
	rq.at = at;
	hub_target *t = NULL;
	size_t nt = 0;
	sb why = SB_INIT;
	int st = hub_send(h, &rq, T0, &t, &nt, &why);
	assert_true(why.len > 0);
	sb_free(&why);
	cJSON_Delete(p);
	*n = nt;
	hub_targets_free(t, nt);
	return st;
}

static void
test_hub_sends(void **state)
{
	(void)state;
	hub *h = hub_new(HUB_BASIC);
	install(h, "{\"installationId\":\"ios\",\"platform\":\"apns\","
	    "\"pushChannel\":\"t1\",\"tags\":[\"crew:north\"],\"templates\":{"
	    "\"alert\":{\"body\":\"{\\\"aps\\\":{\\\"alert\\\":\\\"$(m)\\\"}}\"}"
	    "}}");
	install(h, "{\"installationId\":\"and\",\"platform\":\"fcmv1\","
	    "\"pushChannel\":\"t2\",\"tags\":[\"crew:south\"],\"templates\":{"
	    "\"alert\":{\"body\":\"{\\\"message\\\":{\\\"notification\\\":{"
	    "\\\"body\\\":\\\"$(m)\\\"}}}\"},"
	    "\"sync\":{\"body\":\"{\\\"message\\\":{\\\"data\\\":{"
	    "\\\"table\\\":\\\"$(table)\\\"}}}\",\"tags\":[\"sync\"]}}}");
	install(h, "{\"installationId\":\"win\",\"platform\":\"wns\","
	    "\"pushChannel\":\"t3\",\"tags\":[\"crew:north\"],\"templates\":{"
	    "\"t\":{\"body\":\"<toast><text>$(m)</text></toast>\","
	    "\"headers\":{\"X-WNS-Type\":\"wns/toast\"}}}}");
	size_t n;
	/* A template broadcast: one notification per template. */
	assert_int_equal(send(h, NULL, "template", NULL, "{\"m\":\"hi\"}",
	    NULL, 0, &n), 200);
	assert_int_equal(n, 4);
	assert_int_equal(send(h, "crew:north", "template", NULL,
	    "{\"m\":\"hi\"}", NULL, 0, &n), 200);
	assert_int_equal(n, 2);
	/* Template tags count for their template only. */
	assert_int_equal(send(h, "sync", "template", NULL, "{\"table\":"
	    "\"workorder\"}", NULL, 0, &n), 200);
	assert_int_equal(n, 1);
	assert_int_equal(send(h, "$InstallationId:{win}", "template", NULL,
	    "{}", NULL, 0, &n), 200);
	assert_int_equal(n, 1);
	/* Native sends reach their platform only. */
	assert_int_equal(send(h, NULL, "apple", "{\"aps\":{\"alert\":\"x\"}}",
	    NULL, NULL, 0, &n), 200);
	assert_int_equal(n, 1);
	assert_int_equal(send(h, NULL, "windows", "<badge value=\"2\"/>",
	    NULL, NULL, 0, &n), 400);	/* no X-WNS-Type */
	assert_int_equal(send(h, "crew:north && crew:south || !a && b && c "
	    "&& d && e", "template", NULL, "{}", NULL, 0, &n), 400);
	assert_int_equal(send(h, NULL, "nope", "{}", NULL, NULL, 0, &n), 400);
	/* Over 64 KB: 413. */
	char *big = xmalloc(70000);
	memset(big, 'x', 69999);
	big[0] = '{';
	big[69998] = '}';
	big[69999] = '\0';
	assert_int_equal(send(h, NULL, "apple", big, NULL, NULL, 0, &n), 413);
	free(big);
	/* Scheduled sends: Standard only, at most 7 days ahead. */
	assert_int_equal(send(h, NULL, "template", NULL, "{}", NULL,
	    T0 + 3600000, &n), 403);
	h->tier = HUB_STANDARD;
	assert_int_equal(send(h, NULL, "template", NULL, "{}", NULL,
	    T0 + 8 * DAY, &n), 400);
	assert_int_equal(send(h, NULL, "template", NULL, "{\"m\":\"later\"}",
	    NULL, T0 + 3600000, &n), 201);
	hub_target *t = NULL;
	size_t nt = 0;
	assert_int_equal(hub_due(h, T0 + 3599999, &t, &nt), 0);
	hub *copy = hub_dup(h);
	assert_int_equal(hub_due(h, T0 + 3600000, &t, &nt), 4);
	assert_non_null(strstr(t[0].msg.payload, "later"));
	hub_targets_free(t, nt);
	assert_int_equal(copy->nsched, 1);
	hub_free(copy);
	/* The month's pushes. */
	hub *f = hub_new(HUB_FREE);
	install(f, "{\"installationId\":\"a\",\"platform\":\"apns\","
	    "\"pushChannel\":\"t\"}");
	assert_int_equal(send(f, NULL, "apple", "{\"aps\":{\"alert\":\"x\"}}",
	    NULL, NULL, 0, &n), 200);
	f->pushes = 999999;	/* the month's millionth push is allowed */
	assert_int_equal(send(f, NULL, "apple", "{\"aps\":{\"alert\":\"x\"}}",
	    NULL, NULL, 0, &n), 200);
	assert_int_equal(send(f, NULL, "apple", "{\"aps\":{\"alert\":\"x\"}}",
	    NULL, NULL, 0, &n), 403);
	hub_free(f);
	hub_free(h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tag_expressions),
		cmocka_unit_test(test_tag_limits),
		cmocka_unit_test(test_tag_syntax_errors),
		cmocka_unit_test(test_templates),
		cmocka_unit_test(test_apns_keeps_one),
		cmocka_unit_test(test_fcm_overflow_and_keys),
		cmocka_unit_test(test_wns_cache_and_expiry),
		cmocka_unit_test(test_hub_installations),
		cmocka_unit_test(test_hub_sends),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
