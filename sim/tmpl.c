/*
** tmpl.c: template expansion; see tmpl.h.
*/
#include "sim/tmpl.h"
#include "lib/xmem.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define TMPL_MAX_CLIP	65536	/* the largest n of $(prop,n): a hub
				   message has at most 64 KB */

int
tmpl_kind(const char *body)
{
	const char *p = body;
	while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
		p++;
	if (*p == '{' || *p == '[')
		return 1;
	if (*p == '<')
		return 0;
	return -1;
}

/* The text of property name[0..n) of props, or NULL when absent; a
** number is printed into buf. */
static const char *
tmpl_prop(const cJSON *props, const char *name, size_t n, char *buf,
    size_t buflen)
{
	const cJSON *m;
	cJSON_ArrayForEach(m, props) {
		if (m->string == NULL || strlen(m->string) != n ||
		    strncasecmp(m->string, name, n) != 0)
			continue;
		if (cJSON_IsString(m))
			return m->valuestring;
		if (cJSON_IsNumber(m)) {
			double d = m->valuedouble;
			/* In range before the conversion (else undefined). */
			if (d > -1e15 && d < 1e15 && d == (double)(long long)d)
				snprintf(buf, buflen, "%lld", (long long)d);
			else
				snprintf(buf, buflen, "%.17g", d);
			return buf;
		}
		return NULL;
	}
	return NULL;
}

/* Byte length of the first n UTF-8 characters of s (or all of s). */
static size_t
tmpl_utf8_prefix(const char *s, size_t n, size_t *chars)
{
	size_t i = 0, c = 0;
	while (s[i] && c < n) {
		i++;
		while (((unsigned char)s[i] & 0xc0) == 0x80)
			i++;
		c++;
	}
	if (chars)
		*chars = c;
	return i;
}

static size_t
tmpl_utf8_len(const char *s)
{
	size_t c = 0;
	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			c++;
	return c;
}

/* The JavaScript number form of #(): (0|[1-9][0-9]*)(.[0-9]+)?
** ([eE][+-]?[0-9]+)? over the whole text. */
static int
tmpl_is_number(const char *s)
{
	size_t i = 0;
	if (s[i] == '0')
		i++;
	else if (s[i] >= '1' && s[i] <= '9')
		while (s[i] >= '0' && s[i] <= '9')
			i++;
	else
		return 0;
	if (s[i] == '.') {
		i++;
		if (!(s[i] >= '0' && s[i] <= '9'))
			return 0;
		while (s[i] >= '0' && s[i] <= '9')
			i++;
	}
	if (s[i] == 'e' || s[i] == 'E') {
		i++;
		if (s[i] == '+' || s[i] == '-')
			i++;
		if (!(s[i] >= '0' && s[i] <= '9'))
			return 0;
		while (s[i] >= '0' && s[i] <= '9')
			i++;
	}
	return s[i] == '\0';
}

static int
tmpl_namec(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
}

static int
tmpl_is_fn(const char *s, size_t i, size_t n)
{
	return i + 1 < n && s[i + 1] == '(' &&
	    (s[i] == '$' || s[i] == '.' || s[i] == '%' || s[i] == '#');
}

/*
** Reads one function call at s[*i] ("$(name)", "$(name,n)", ...) and
** appends its value to out.  *bare is set when it was a #() whose value
** is a number.
*/
static int
tmpl_call(const char *s, size_t n, size_t *i, const cJSON *props, sb *out,
    int *bare, sb *err)
{
	char fn = s[*i];
	size_t p = *i + 2;
	while (p < n && s[p] == ' ')
		p++;
	size_t name = p;
	while (p < n && tmpl_namec(s[p]))
		p++;
	size_t namelen = p - name;
	if (namelen == 0) {
		sb_setf(err, "%c( needs a property name", fn);
		return -1;
	}
	while (p < n && s[p] == ' ')
		p++;
	long clip = -1;
	if (p < n && s[p] == ',') {
		if (fn == '%' || fn == '#') {
			sb_setf(err, "%c() takes only a property "
			    "name, not a length", fn);
			return -1;
		}
		p++;
		while (p < n && s[p] == ' ')
			p++;
		size_t d = p;
		clip = 0;
		while (p < n && s[p] >= '0' && s[p] <= '9') {
			clip = clip * 10 + (s[p] - '0');
			if (clip > TMPL_MAX_CLIP) {
				sb_setf(err, "a length is at most %d",
				    TMPL_MAX_CLIP);
				return -1;
			}
			p++;
		}
		if (p == d) {
			sb_setf(err, "%c(%.*s, needs a length in "
			    "digits", fn, (int)namelen, s + name);
			return -1;
		}
		while (p < n && s[p] == ' ')
			p++;
	} else if (fn == '.') {
		sb_setf(err, ".(%.*s) needs a length: .(%.*s,n)",
		    (int)namelen, s + name, (int)namelen, s + name);
		return -1;
	}
	if (p >= n || s[p] != ')') {
		sb_setf(err, "%c(%.*s is not closed with )", fn,
		    (int)namelen, s + name);
		return -1;
	}
	*i = p + 1;
	char num[64];
	const char *v = tmpl_prop(props, s + name, namelen, num, sizeof num);
	if (v == NULL)
		v = "";
	switch (fn) {
	case '$':
		if (clip >= 0)
			sb_addn(out, v, tmpl_utf8_prefix(v, (size_t)clip,
			    NULL));
		else
			sb_add(out, v);
		break;
	case '.':
		if (tmpl_utf8_len(v) <= (size_t)clip)
			sb_add(out, v);
		else if (clip <= 3)
			sb_addn(out, "...", (size_t)clip);
		else {
			sb_addn(out, v, tmpl_utf8_prefix(v,
			    (size_t)clip - 3, NULL));
			sb_add(out, "...");
		}
		break;
	case '%':
		for (const unsigned char *c = (const unsigned char *)v; *c;
		    c++) {
			if ((*c >= 'a' && *c <= 'z') ||
			    (*c >= 'A' && *c <= 'Z') ||
			    (*c >= '0' && *c <= '9') || *c == '-' ||
			    *c == '_' || *c == '.' || *c == '~')
				sb_addc(out, (char)*c);
			else
				sb_addf(out, "%%%02X", *c);
		}
		break;
	case '#':
		if (bare && tmpl_is_number(v))
			*bare = 1;
		sb_add(out, v);
		break;
	}
	return 0;
}

int
tmpl_value(const char *s, size_t n, const cJSON *props, int json, sb *out,
    int *number, sb *err)
{
	if (number)
		*number = 0;
	size_t a = 0, b = n;
	while (a < b && (s[a] == ' ' || s[a] == '\t' || s[a] == '\n' ||
	    s[a] == '\r'))
		a++;
	while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t' ||
	    s[b - 1] == '\n' || s[b - 1] == '\r'))
		b--;
	if (b - a >= 2 && s[a] == '{' && s[b - 1] == '}') {
		/* {term + term + ...} */
		size_t i = a + 1, end = b - 1;
		int terms = 0;
		for (;;) {
			while (i < end && s[i] == ' ')
				i++;
			if (i >= end) {
				sb_setf(err, terms ? "'+' must be "
				    "followed by an expression or a literal" :
				    "{} is empty");
				return -1;
			}
			if (s[i] == '\'' || s[i] == '"') {
				char q = s[i];
				size_t j = i + 1;
				while (j < end && s[j] != q)
					j++;
				if (j >= end) {
					sb_setf(err, "the literal "
					    "%c... is not closed", q);
					return -1;
				}
				sb_addn(out, s + i + 1, j - i - 1);
				i = j + 1;
			} else if (tmpl_is_fn(s, i, end)) {
				if (tmpl_call(s, end, &i, props, out, NULL,
				    err) != 0)
					return -1;
			} else {
				sb_setf(err, "inside {}, expected "
				    "$(), .(), %%(), #() or a quoted literal, "
				    "found '%c'", s[i]);
				return -1;
			}
			terms++;
			while (i < end && s[i] == ' ')
				i++;
			if (i >= end)
				break;
			if (s[i] != '+') {
				sb_setf(err, "inside {}, terms are "
				    "joined with '+', found '%c'", s[i]);
				return -1;
			}
			i++;
		}
		return 0;
	}
	if (tmpl_is_fn(s, a, b)) {
		size_t i = a;
		int bare = 0;
		size_t mark = out->len;
		if (tmpl_call(s, b, &i, props, out, json ? &bare : NULL,
		    err) != 0)
			return -1;
		if (i == b) {
			if (number)
				*number = bare;
			/* The value keeps the blanks around it. */
			if (a > 0 || b < n) {
				sb tmp = SB_INIT;
				sb_addn(&tmp, s, a);
				sb_addn(&tmp, sb_str(out) + mark,
				    out->len - mark);
				sb_addn(&tmp, s + b, n - b);
				out->len = mark;
				if (out->s)
					out->s[mark] = '\0';
				sb_addn(out, sb_str(&tmp), tmp.len);
				sb_free(&tmp);
				if (number)
					*number = 0;
			}
			return 0;
		}
		out->len = mark;
		if (out->s)
			out->s[mark] = '\0';
	}
	for (size_t i = a; i < b; i++)
		if (tmpl_is_fn(s, i, b)) {
			sb_setf(err, "an expression must be the "
			    "whole value: write {'text ' + %c(...)} to join "
			    "text and a property", s[i]);
			return -1;
		}
	sb_addn(out, s, n);
	return 0;
}

/* ---- JSON templates ---- */

static int
tmpl_json_walk(cJSON *v, const cJSON *props, sb *err)
{
	cJSON *m, *next;
	for (m = v->child; m; m = next) {
		next = m->next;
		if (cJSON_IsString(m)) {
			sb o = SB_INIT;
			int number = 0;
			if (tmpl_value(m->valuestring, strlen(m->valuestring),
			    props, 1, &o, &number, err) != 0) {
				sb_free(&o);
				return -1;
			}
			cJSON *nv = number ?
			    cJSON_CreateRaw(sb_str(&o)) :
			    cJSON_CreateString(sb_str(&o));
			sb_free(&o);
			if (cJSON_IsObject(v))
				cJSON_ReplaceItemInObjectCaseSensitive(v,
				    m->string, nv);
			else
				cJSON_ReplaceItemViaPointer(v, m, nv);
		} else if (cJSON_IsObject(m) || cJSON_IsArray(m)) {
			if (tmpl_json_walk(m, props, err) != 0)
				return -1;
		}
	}
	return 0;
}

/* ---- XML templates ---- */

static void
tmpl_xml_unescape(const char *s, size_t n, sb *out)
{
	static const struct { const char *e; char c; } ent[] = {
		{ "&amp;", '&' }, { "&lt;", '<' }, { "&gt;", '>' },
		{ "&quot;", '"' }, { "&apos;", '\'' }
	};
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '&') {
			size_t k;
			for (k = 0; k < sizeof ent / sizeof ent[0]; k++) {
				size_t l = strlen(ent[k].e);
				if (i + l <= n && strncmp(s + i, ent[k].e, l) ==
				    0) {
					sb_addc(out, ent[k].c);
					i += l - 1;
					break;
				}
			}
			if (k < sizeof ent / sizeof ent[0])
				continue;
		}
		sb_addc(out, s[i]);
	}
}

static void
tmpl_xml_escape(const char *s, size_t n, sb *out)
{
	for (size_t i = 0; i < n; i++)
		switch (s[i]) {
		case '&': sb_add(out, "&amp;"); break;
		case '<': sb_add(out, "&lt;"); break;
		case '>': sb_add(out, "&gt;"); break;
		case '"': sb_add(out, "&quot;"); break;
		case '\'': sb_add(out, "&apos;"); break;
		default: sb_addc(out, s[i]); break;
		}
}

/* One XML value: decoded, evaluated, encoded again. */
static int
tmpl_xml_value(const char *s, size_t n, const cJSON *props, sb *out,
    sb *err)
{
	sb raw = SB_INIT, val = SB_INIT;
	tmpl_xml_unescape(s, n, &raw);
	int rc = tmpl_value(sb_str(&raw), raw.len, props, 0, &val, NULL, err);
	if (rc == 0)
		tmpl_xml_escape(sb_str(&val), val.len, out);
	sb_free(&raw);
	sb_free(&val);
	return rc;
}

static int
tmpl_xml(const char *s, const cJSON *props, sb *out, sb *err)
{
	size_t n = strlen(s), i = 0;
	int depth = 0;
	while (i < n) {
		if (s[i] != '<') {
			size_t j = i;
			while (j < n && s[j] != '<')
				j++;
			if (tmpl_xml_value(s + i, j - i, props, out, err) != 0)
				return -1;
			i = j;
			continue;
		}
		const char *close = NULL;
		if (strncmp(s + i, "<!--", 4) == 0)
			close = "-->";
		else if (strncmp(s + i, "<?", 2) == 0)
			close = "?>";
		if (close) {
			const char *e = strstr(s + i, close);
			if (e == NULL) {
				sb_setf(err, "the XML has a comment "
				    "or declaration that is never closed");
				return -1;
			}
			size_t j = (size_t)(e - s) + strlen(close);
			sb_addn(out, s + i, j - i);
			i = j;
			continue;
		}
		/* A tag: copy it, evaluating attribute values. */
		int closing = i + 1 < n && s[i + 1] == '/';
		size_t j = i + 1;
		sb_addc(out, '<');
		while (j < n && s[j] != '>') {
			if (s[j] == '"' || s[j] == '\'') {
				char q = s[j];
				size_t k = j + 1;
				while (k < n && s[k] != q)
					k++;
				if (k >= n) {
					sb_setf(err, "an XML attribute "
					    "value is not closed");
					return -1;
				}
				sb_addc(out, q);
				if (tmpl_xml_value(s + j + 1, k - j - 1, props,
				    out, err) != 0)
					return -1;
				sb_addc(out, q);
				j = k + 1;
				continue;
			}
			if (s[j] == '<') {
				sb_setf(err, "'<' inside an XML tag");
				return -1;
			}
			sb_addc(out, s[j]);
			j++;
		}
		if (j >= n) {
			sb_setf(err, "an XML tag is not closed "
			    "with '>'");
			return -1;
		}
		int selfclose = s[j - 1] == '/';
		sb_addc(out, '>');
		if (closing)
			depth--;
		else if (!selfclose)
			depth++;
		if (depth < 0) {
			sb_setf(err, "the XML closes a tag it never "
			    "opened");
			return -1;
		}
		i = j + 1;
	}
	if (depth != 0) {
		sb_setf(err, "the XML leaves %d tag%s open", depth,
		    depth == 1 ? "" : "s");
		return -1;
	}
	return 0;
}

int
tmpl_expand(const char *body, const cJSON *props, sb *out, sb *err)
{
	int kind = tmpl_kind(body);
	if (kind < 0) {
		sb_setf(err, "a template is JSON (APNs, FCM v1) or "
		    "XML (WNS)");
		return -1;
	}
	if (kind == 0)
		return tmpl_xml(body, props, out, err);
	const char *end = NULL;
	cJSON *j = cJSON_ParseWithOpts(body, &end, 1);
	if (j == NULL) {
		sb_setf(err, "the JSON template does not parse "
		    "(near character %zu)", end ? (size_t)(end - body) + 1 :
		    (size_t)1);
		return -1;
	}
	int rc = tmpl_json_walk(j, props, err);
	if (rc == 0) {
		char *p = cJSON_PrintUnformatted(j);
		sb_add(out, p);
		cJSON_free(p);
	}
	cJSON_Delete(j);
	return rc;
}

int
tmpl_check(const char *body, sb *err)
{
	sb o = SB_INIT;
	int rc = tmpl_expand(body, NULL, &o, err);
	sb_free(&o);
	return rc;
}
