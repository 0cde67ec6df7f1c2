/*
** odata_lex.c: the tokens of a $filter, and the parser's error reporting;
** see odata_int.h.
**
** Tokens are read one ahead of the parser.  String and date literals are
** decoded here ('' is a quote), numbers are only delimited (odata_parse.c
** converts and range-checks them), and a character that starts no token is
** one ODATA_T_BAD token, so every message can quote what it found.
*/
#include "sim/odata.h"
#include "sim/odata_int.h"
#include "lib/xmem.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

size_t
odata_charpos(const char *s, size_t off)
{
	size_t n = 1;
	for (size_t i = 0; i < off && s[i]; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			n++;
	return n;
}

void
odata_fail(odata_parser *p, size_t pos, const char *fmt, ...)
{
	char msg[384];
	va_list ap;

	if (p->failed)
		return;
	p->failed = 1;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (p->err != NULL) {
		sb_reset(p->err);
		sb_addf(p->err, "at position %zu: %s",
		    odata_charpos(p->s, pos), msg);
	}
}

const char *
odata_found(odata_parser *p, char *buf, size_t n)
{
	if (p->tok.kind == ODATA_T_END)
		return "the end of the expression";
	size_t len = p->tok.len > 40 ? 40 : p->tok.len;
	/* Do not cut a multi-byte character in two. */
	while (len < p->tok.len && len > 0 &&
	    ((unsigned char)p->s[p->tok.pos + len] & 0xc0) == 0x80)
		len--;
	snprintf(buf, n, "'%.*s%s'", (int)len, p->s + p->tok.pos,
	    len < p->tok.len ? "..." : "");
	return buf;
}

static int
odata_isword(int c)
{
	return isalnum(c) || c == '_';
}

/* Reads a quoted literal starting at the quote at p->s[i]; '' is a quote.
** Returns the byte after the closing quote, or 0 when unterminated. */
static size_t
odata_quoted(odata_parser *p, size_t i, char **out)
{
	size_t j = i + 1;
	char *t = xmalloc(p->n - i + 1), *o = t;

	for (;;) {
		if (j >= p->n) {
			free(t);
			return 0;
		}
		if (p->s[j] == '\'') {
			if (j + 1 < p->n && p->s[j + 1] == '\'') {
				*o++ = '\'';
				j += 2;
				continue;
			}
			break;
		}
		*o++ = p->s[j++];
	}
	*o = '\0';
	*out = t;
	return j + 1;
}

/* The quoted literal at i as a token of kind (what names it in the error
** when it is not closed); the index after it. */
static size_t
odata_quoted_tok(odata_parser *p, size_t i, odata_tok kind,
    const char *what)
{
	size_t j = odata_quoted(p, i, &p->tok.text);
	if (j == 0) {
		odata_fail(p, i, "unterminated %s literal (expected a closing "
		    "')", what);
		p->tok.kind = ODATA_T_BAD;
		return p->n;
	}
	p->tok.kind = kind;
	return j;
}

/*
** OData v4's date literal as the Datasync client writes it,
** "cast(2026-03-02T09:00:00.000Z,Edm.DateTimeOffset)", with i at the '('
** after "cast".  Returns the index after the ')' with the date in *out
** (owned), or 0 when this is not such a cast (nothing allocated).  Reads
** at most a few dozen bytes: dates and the type name are short.
*/
static size_t
odata_cast(odata_parser *p, size_t i, char **out)
{
	static const char type[] = "Edm.DateTimeOffset";
	size_t k = i + 1;
	while (k < p->n && k - i <= 40 && p->s[k] != ',' && p->s[k] != ')')
		k++;
	if (k >= p->n || p->s[k] != ',' || k == i + 1)
		return 0;
	size_t m = k + 1;
	while (m < p->n && p->s[m] == ' ')
		m++;
	if (p->n - m < sizeof type || strncmp(p->s + m, type,
	    sizeof type - 1) != 0 || p->s[m + sizeof type - 1] != ')')
		return 0;
	*out = xstrndup(p->s + i + 1, k - i - 1);
	return m + sizeof type;
}

void
odata_next(odata_parser *p)
{
	size_t i = p->at;

	free(p->tok.text);
	memset(&p->tok, 0, sizeof p->tok);
	while (i < p->n && (p->s[i] == ' ' || p->s[i] == '\t' ||
	    p->s[i] == '\n' || p->s[i] == '\r'))
		i++;
	p->tok.pos = i;
	if (i >= p->n) {
		p->tok.kind = ODATA_T_END;
		p->at = i;
		return;
	}
	unsigned char c = (unsigned char)p->s[i];
	size_t j = i + 1;
	if (c == '(')
		p->tok.kind = ODATA_T_LPAREN;
	else if (c == ')')
		p->tok.kind = ODATA_T_RPAREN;
	else if (c == ',')
		p->tok.kind = ODATA_T_COMMA;
	else if (c == '\'')
		j = odata_quoted_tok(p, i, ODATA_T_STRING, "string");
	else if (isdigit(c) || (c == '-' && i + 1 < p->n &&
	    isdigit((unsigned char)p->s[i + 1]))) {
		while (j < p->n && (isdigit((unsigned char)p->s[j]) ||
		    p->s[j] == '.'))
			j++;
		if (j < p->n && (p->s[j] == 'e' || p->s[j] == 'E')) {
			size_t k = j + 1;
			if (k < p->n && (p->s[k] == '+' || p->s[k] == '-'))
				k++;
			if (k < p->n && isdigit((unsigned char)p->s[k])) {
				j = k;
				while (j < p->n &&
				    isdigit((unsigned char)p->s[j]))
					j++;
			}
		}
		/* Type suffixes of OData v3 clients: 5L, 1.5M, 2.0d, 3f. */
		if (j < p->n && strchr("LlMmDdFf", p->s[j]) && p->s[j] &&
		    (j + 1 >= p->n ||
		    !odata_isword((unsigned char)p->s[j + 1])))
			j++;
		p->tok.kind = ODATA_T_NUMBER;
	} else if (isalpha(c) || c == '_') {
		while (j < p->n && odata_isword((unsigned char)p->s[j]))
			j++;
		p->tok.kind = ODATA_T_WORD;
		size_t k;
		if (j < p->n && p->s[j] == '(' && j - i == 4 &&
		    strncmp(p->s + i, "cast", 4) == 0 &&
		    (k = odata_cast(p, j, &p->tok.text)) != 0) {
			p->tok.kind = ODATA_T_DATE;
			j = k;
		} else if (j < p->n && p->s[j] == '\'' &&
		    ((j - i == 8 && strncmp(p->s + i, "datetime", 8) == 0) ||
		    (j - i == 14 && strncmp(p->s + i, "datetimeoffset",
		    14) == 0)))
			j = odata_quoted_tok(p, j, ODATA_T_DATE, "date");
	} else {
		/* One whole character, for the message. */
		while (j < p->n && ((unsigned char)p->s[j] & 0xc0) == 0x80)
			j++;
		p->tok.kind = ODATA_T_BAD;
	}
	p->tok.len = j - i;
	p->at = j;
}

int
odata_is(odata_parser *p, const char *word)
{
	return p->tok.kind == ODATA_T_WORD && p->tok.len == strlen(word) &&
	    strncmp(p->s + p->tok.pos, word, p->tok.len) == 0;
}

odata_node *
odata_new(odata_parser *p, odata_nkind kind, size_t pos)
{
	odata_node *n;

	if (p->nnodes >= ODATA_MAX_NODES) {
		odata_fail(p, pos, "the expression is too long (more than %d "
		    "terms)", ODATA_MAX_NODES);
		return NULL;
	}
	n = xcalloc(1, sizeof *n);
	n->kind = kind;
	n->pos = pos;
	p->nodes = xreallocarray(p->nodes, p->nnodes + 1, sizeof *p->nodes);
	p->nodes[p->nnodes++] = n;
	return n;
}

const char *
odata_tname(odata_type t)
{
	switch (t) {
	case ODATA_NULL:	return "null";
	case ODATA_STRING:	return "a string";
	case ODATA_NUMBER:	return "a number";
	case ODATA_BOOL:	return "a boolean";
	case ODATA_DATE:	return "a date";
	case ODATA_VERSION:	return "a version";
	}
	return "a value";
}

void
odata_parser_free(odata_parser *p)
{
	free(p->tok.text);
	p->tok.text = NULL;
	for (size_t i = 0; i < p->nnodes; i++) {
		if (p->nodes[i]->kind == ODATA_N_LIT)
			free(p->nodes[i]->lit.text);
		free(p->nodes[i]);
	}
	free(p->nodes);
	p->nodes = NULL;
	p->nnodes = 0;
}
