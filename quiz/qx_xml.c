/*
** qx_xml.c: the small XML reader of qx_xml.h.
*/
#include "quiz/qx_xml.h"
#include "lib/xmem.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct qx_xp {
	const char	*s;
	size_t		 len, i;
	size_t		 err_off;
	sb		*err;
	int		 failed;
} qx_xp;

static void
qx_xml_fail(qx_xp *p, size_t off, const char *what)
{
	if (p->failed)
		return;
	p->failed = 1;
	p->err_off = off;
	sb_add(p->err, what);
}

static qx_xnode *
qx_xml_new(const char *name, size_t off)
{
	qx_xnode *n = xcalloc(1, sizeof *n);
	n->name = name ? xstrdup(name) : NULL;
	n->off = off;
	return n;
}

static void
qx_xml_add(qx_xnode *parent, qx_xnode *kid)
{
	parent->kids = xreallocarray(parent->kids, parent->nkids + 1,
	    sizeof *parent->kids);
	parent->kids[parent->nkids++] = kid;
}

void
qx_xml_free(qx_xnode *n)
{
	if (n == NULL)
		return;
	free(n->name);
	free(n->text);
	for (size_t i = 0; i < n->nattrs; i++) {
		free(n->attrs[i].name);
		free(n->attrs[i].value);
	}
	free(n->attrs);
	for (size_t i = 0; i < n->nkids; i++)
		qx_xml_free(n->kids[i]);
	free(n->kids);
	free(n);
}

static void
qx_xml_utf8(sb *o, unsigned long cp)
{
	if (cp < 0x80)
		sb_addc(o, (char)cp);
	else if (cp < 0x800) {
		sb_addc(o, (char)(0xc0 | (cp >> 6)));
		sb_addc(o, (char)(0x80 | (cp & 0x3f)));
	} else if (cp < 0x10000) {
		sb_addc(o, (char)(0xe0 | (cp >> 12)));
		sb_addc(o, (char)(0x80 | ((cp >> 6) & 0x3f)));
		sb_addc(o, (char)(0x80 | (cp & 0x3f)));
	} else {
		sb_addc(o, (char)(0xf0 | (cp >> 18)));
		sb_addc(o, (char)(0x80 | ((cp >> 12) & 0x3f)));
		sb_addc(o, (char)(0x80 | ((cp >> 6) & 0x3f)));
		sb_addc(o, (char)(0x80 | (cp & 0x3f)));
	}
}

/* Decodes s[a, b) (entities) into o. */
static void
qx_xml_decode(qx_xp *p, size_t a, size_t b, sb *o)
{
	const char *s = p->s;
	for (size_t i = a; i < b; i++) {
		if (s[i] != '&') {
			sb_addc(o, s[i]);
			continue;
		}
		size_t e = i + 1;
		while (e < b && e - i < 12 && s[e] != ';')
			e++;
		if (e >= b || s[e] != ';') {
			qx_xml_fail(p, i, "a '&' that starts no entity (write &amp;)");
			return;
		}
		const char *n = s + i + 1;
		size_t l = e - i - 1;
		static const struct { const char *n; char c; } ents[] = {
			{ "lt", '<' }, { "gt", '>' }, { "amp", '&' },
			{ "quot", '"' }, { "apos", '\'' }, { NULL, 0 } };
		int done = 0;
		for (size_t k = 0; ents[k].n; k++)
			if (strlen(ents[k].n) == l && memcmp(n, ents[k].n, l) == 0) {
				sb_addc(o, ents[k].c);
				done = 1;
			}
		if (!done && l >= 2 && n[0] == '#') {
			int hex = n[1] == 'x';
			unsigned long cp = 0;
			size_t k = hex ? 2 : 1;
			int ok = k < l;
			for (; k < l && ok; k++) {
				int d = hex ? (isxdigit((unsigned char)n[k]) ?
				    (isdigit((unsigned char)n[k]) ? n[k] - '0' :
				    (tolower((unsigned char)n[k]) - 'a' + 10)) : -1) :
				    (isdigit((unsigned char)n[k]) ? n[k] - '0' : -1);
				if (d < 0 || cp > 0x10ffff)
					ok = 0;
				else
					cp = cp * (hex ? 16u : 10u) + (unsigned long)d;
			}
			if (ok && cp > 0 && cp <= 0x10ffff) {
				qx_xml_utf8(o, cp);
				done = 1;
			}
		}
		if (!done) {
			qx_xml_fail(p, i, "an unknown entity (XML knows &lt; &gt; "
			    "&amp; &quot; &apos; and &#N;)");
			return;
		}
		i = e;
	}
}

static int
qx_xml_namec(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '-' || c == '.' ||
	    c == ':';
}

static int
qx_xml_starts(qx_xp *p, const char *w)
{
	size_t n = strlen(w);
	return p->len - p->i >= n && memcmp(p->s + p->i, w, n) == 0;
}

/* Skips to just past the string w; fails with what when it is missing. */
static size_t
qx_xml_until(qx_xp *p, const char *w, const char *what)
{
	size_t start = p->i;
	size_t n = strlen(w);
	while (p->i + n <= p->len && memcmp(p->s + p->i, w, n) != 0)
		p->i++;
	if (p->i + n > p->len) {
		qx_xml_fail(p, start, what);
		p->i = p->len;
		return p->len;
	}
	size_t end = p->i;
	p->i += n;
	return end;
}

static void qx_xml_content(qx_xp *p, qx_xnode *parent, int depth);

/* An element at p->i ('<' name ...). */
static qx_xnode *
qx_xml_element(qx_xp *p, int depth)
{
	size_t start = p->i;
	if (depth > QX_XML_DEPTH) {
		qx_xml_fail(p, start, "elements nested too deep");
		return NULL;
	}
	p->i++;
	size_t a = p->i;
	while (p->i < p->len && qx_xml_namec(p->s[p->i]))
		p->i++;
	if (p->i == a) {
		qx_xml_fail(p, start, "a '<' that starts no element (write &lt;)");
		return NULL;
	}
	char *name = xstrndup(p->s + a, p->i - a);
	qx_xnode *n = qx_xml_new(name, start);
	free(name);
	for (;;) {
		while (p->i < p->len && isspace((unsigned char)p->s[p->i]))
			p->i++;
		if (p->i >= p->len) {
			qx_xml_fail(p, start, "this tag is never closed with '>'");
			return n;
		}
		if (qx_xml_starts(p, "/>")) {
			p->i += 2;
			return n;
		}
		if (p->s[p->i] == '>') {
			p->i++;
			break;
		}
		size_t an = p->i;
		while (p->i < p->len && qx_xml_namec(p->s[p->i]))
			p->i++;
		if (p->i == an || p->i >= p->len || p->s[p->i] != '=' ||
		    p->i + 1 >= p->len || (p->s[p->i + 1] != '"' &&
		    p->s[p->i + 1] != '\'')) {
			qx_xml_fail(p, an, "an attribute is written name=\"value\"");
			return n;
		}
		char q = p->s[p->i + 1];
		size_t vs = p->i + 2, ve = vs;
		while (ve < p->len && p->s[ve] != q && p->s[ve] != '<')
			ve++;
		if (ve >= p->len || p->s[ve] != q) {
			qx_xml_fail(p, p->i + 1, "this attribute value is never closed");
			return n;
		}
		n->attrs = xreallocarray(n->attrs, n->nattrs + 1, sizeof *n->attrs);
		n->attrs[n->nattrs].name = xstrndup(p->s + an, p->i - an);
		sb v = SB_INIT;
		qx_xml_decode(p, vs, ve, &v);
		n->attrs[n->nattrs].value = sb_take(&v);
		n->nattrs++;
		p->i = ve + 1;
	}
	qx_xml_content(p, n, depth + 1);
	if (p->failed)
		return n;
	/* The end tag. */
	size_t es = p->i;
	if (!qx_xml_starts(p, "</")) {
		qx_xml_fail(p, start, "this element is never closed");
		return n;
	}
	p->i += 2;
	size_t nl = strlen(n->name);
	if (p->len - p->i < nl || memcmp(p->s + p->i, n->name, nl) != 0 ||
	    (p->i + nl < p->len && qx_xml_namec(p->s[p->i + nl]))) {
		sb m = SB_INIT;
		sb_addf(&m, "</...> does not close <%s>", n->name);
		qx_xml_fail(p, es, sb_str(&m));
		sb_free(&m);
		return n;
	}
	p->i += nl;
	while (p->i < p->len && isspace((unsigned char)p->s[p->i]))
		p->i++;
	if (p->i >= p->len || p->s[p->i] != '>') {
		qx_xml_fail(p, es, "an end tag is written </name>");
		return n;
	}
	p->i++;
	return n;
}

/* Children until "</" or the end. */
static void
qx_xml_content(qx_xp *p, qx_xnode *parent, int depth)
{
	while (p->i < p->len && !p->failed) {
		if (qx_xml_starts(p, "</"))
			return;
		size_t at = p->i;
		if (qx_xml_starts(p, "<!--")) {
			p->i += 4;
			size_t e = qx_xml_until(p, "-->", "this comment is never closed");
			qx_xnode *c = qx_xml_new("!--", at);
			c->text = xstrndup(p->s + at + 4, e - at - 4 < p->len ? e - at - 4 : 0);
			qx_xml_add(parent, c);
			continue;
		}
		if (qx_xml_starts(p, "<![CDATA[")) {
			p->i += 9;
			size_t e = qx_xml_until(p, "]]>", "this CDATA section is never closed");
			qx_xnode *t = qx_xml_new(NULL, at);
			t->text = xstrndup(p->s + at + 9, e - at - 9);
			qx_xml_add(parent, t);
			continue;
		}
		if (qx_xml_starts(p, "<?")) {
			qx_xml_until(p, "?>", "this <? is never closed");
			continue;
		}
		if (qx_xml_starts(p, "<!")) {
			qx_xml_fail(p, at, "a DOCTYPE or declaration, which Moodle "
			    "XML does not use");
			return;
		}
		if (p->s[p->i] == '<') {
			qx_xnode *e = qx_xml_element(p, depth);
			if (e)
				qx_xml_add(parent, e);
			continue;
		}
		size_t e = p->i;
		while (e < p->len && p->s[e] != '<')
			e++;
		sb v = SB_INIT;
		qx_xml_decode(p, p->i, e, &v);
		qx_xnode *t = qx_xml_new(NULL, at);
		t->text = sb_take(&v);
		qx_xml_add(parent, t);
		p->i = e;
	}
}

qx_xnode *
qx_xml_parse(const char *text, size_t len, size_t *err_off, sb *err)
{
	qx_xp p = { text, len, 0, 0, err, 0 };
	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
		p.i = 3;
	qx_xnode *doc = qx_xml_new("#document", 0);
	qx_xml_content(&p, doc, 0);
	if (!p.failed && p.i < p.len)
		qx_xml_fail(&p, p.i, "an end tag that closes nothing");
	qx_xnode *root = NULL;
	size_t nroot = 0;
	for (size_t i = 0; i < doc->nkids; i++) {
		qx_xnode *k = doc->kids[i];
		if (k->name && strcmp(k->name, "!--") != 0) {
			root = k;
			nroot++;
		} else if (k->name == NULL) {
			for (const char *c = k->text; *c; c++)
				if (!isspace((unsigned char)*c)) {
					qx_xml_fail(&p, k->off, "text outside the "
					    "root element");
					break;
				}
		}
	}
	if (!p.failed && nroot != 1)
		qx_xml_fail(&p, 0, nroot ? "more than one root element" :
		    "no root element");
	if (p.failed) {
		*err_off = p.err_off;
		qx_xml_free(doc);
		return NULL;
	}
	/* Detach the root from the document node. */
	for (size_t i = 0; i < doc->nkids; i++)
		if (doc->kids[i] == root)
			doc->kids[i] = NULL;
	qx_xml_free(doc);
	return root;
}

const qx_xnode *
qx_xml_child(const qx_xnode *n, const char *name)
{
	for (size_t i = 0; i < n->nkids; i++)
		if (n->kids[i] && n->kids[i]->name &&
		    strcmp(n->kids[i]->name, name) == 0)
			return n->kids[i];
	return NULL;
}

const char *
qx_xml_attr(const qx_xnode *n, const char *name)
{
	for (size_t i = 0; i < n->nattrs; i++)
		if (strcmp(n->attrs[i].name, name) == 0)
			return n->attrs[i].value;
	return NULL;
}

char *
qx_xml_text(const qx_xnode *n)
{
	sb o = SB_INIT;
	for (size_t i = 0; i < n->nkids; i++)
		if (n->kids[i] && n->kids[i]->name == NULL)
			sb_add(&o, n->kids[i]->text);
	return sb_take(&o);
}

char *
qx_xml_textof(const qx_xnode *n, const char *name)
{
	const qx_xnode *c = qx_xml_child(n, name);
	if (c == NULL)
		return NULL;
	const qx_xnode *t = qx_xml_child(c, "text");
	return t ? qx_xml_text(t) : xstrdup("");
}

void
qx_xml_esc(sb *o, const char *s, int attr)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': sb_add(o, "&amp;"); break;
		case '<': sb_add(o, "&lt;"); break;
		case '>': sb_add(o, "&gt;"); break;
		case '"':
			if (attr) {
				sb_add(o, "&quot;");
				break;
			}
			/* fall through */
		default:
			sb_addc(o, *s);
		}
	}
}
