/*
** tbl.c: table definitions and column types; see tbl.h.
*/
#include "sim/tbl.h"
#include "sim/wire.h"
#include "lib/xmem.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const tbl_sys_cols[TBL_NSYS_COLS] = { TBL_SYS_COLS };

static const struct {
	const char	*name;
	const char	*sql;
} tbl_types[TBL_NTYPES] = {
#define TBL_ROW(e, name, sql)	{ name, sql },
	TBL_TYPES(TBL_ROW)
#undef TBL_ROW
};

const char *
tbl_type_name(tbl_type t)
{
	return (unsigned)t < TBL_NTYPES ? tbl_types[t].name : "?";
}

/* The names the Node server's table definitions use, taken as well, so a
** table written for azure-mobile-apps reads here unchanged. */
static const struct {
	const char	*name;
	tbl_type	 type;
} tbl_aliases[] = {
	{ "boolean",	TBL_BOOL },
	{ "datetime",	TBL_DATE },
};

int
tbl_type_parse(const char *name, tbl_type *t)
{
	for (int i = 0; i < TBL_NTYPES; i++)
		if (strcmp(name, tbl_types[i].name) == 0) {
			*t = (tbl_type)i;
			return 0;
		}
	for (size_t i = 0; i < sizeof tbl_aliases / sizeof tbl_aliases[0];
	    i++)
		if (strcmp(name, tbl_aliases[i].name) == 0) {
			*t = tbl_aliases[i].type;
			return 0;
		}
	return -1;
}

const char *
tbl_sqltype(tbl_type t)
{
	return (unsigned)t < TBL_NTYPES ? tbl_types[t].sql : "TEXT";
}

int
tbl_fits(tbl_type t, const jx_val *v, int64_t *ms)
{
	char buf[64];
	int64_t when;

	if (v->kind == JX_ABSENT || v->kind == JX_NULL)
		return 1;
	switch (t) {
	case TBL_STRING:
		return v->kind == JX_STRING && !v->esc;
	case TBL_NUMBER:
		return v->kind == JX_NUMBER;
	case TBL_BOOL:
		return v->kind == JX_TRUE || v->kind == JX_FALSE;
	case TBL_DATE:
		/* Every date wire_format_time writes is 24 bytes; the longest
		** that wire_parse_time reads is 33. */
		if (v->kind != JX_STRING || v->esc || v->n >= sizeof buf ||
		    memchr(v->s, '\0', v->n) != NULL)
			return 0;
		memcpy(buf, v->s, v->n);
		buf[v->n] = '\0';
		if (wire_parse_time(buf, &when, NULL) != 0)
			return 0;
		if (ms != NULL)
			*ms = when;
		return 1;
	}
	return 0;
}

void
tbl_def_copy(tbl_def *dst, const tbl_def *src)
{
	dst->name = xstrdup(src->name);
	dst->ncols = src->ncols;
	dst->soft_delete = src->soft_delete != 0;
	dst->cols = xcalloc(src->ncols, sizeof *dst->cols);
	for (size_t i = 0; i < src->ncols; i++) {
		dst->cols[i].name = xstrdup(src->cols[i].name);
		dst->cols[i].type = src->cols[i].type;
	}
}

void
tbl_def_free(tbl_def *d)
{
	for (size_t i = 0; i < d->ncols; i++)
		free(d->cols[i].name);
	free(d->cols);
	free(d->name);
}

int
tbl_valid_ident(const char *name)
{
	size_t n;

	if (name == NULL || !(isalpha((unsigned char)name[0]) ||
	    name[0] == '_'))
		return 0;
	for (n = 1; name[n]; n++)
		if (!(isalnum((unsigned char)name[n]) || name[n] == '_') ||
		    (unsigned char)name[n] >= 0x80)
			return 0;
	if ((unsigned char)name[0] >= 0x80 || n > 63)
		return 0;
	if (name[0] == '_' && name[1] == '_')
		return 0;
	/* SQLite reserves sqlite_ for its own tables; the system columns
	** compare case-insensitively because SQLite's names do. */
	if (strncasecmp(name, "sqlite_", 7) == 0)
		return 0;
	return tbl_sys_col(name) < 0;
}

int
tbl_sys_col(const char *name)
{
	for (int i = 0; i < TBL_NSYS_COLS; i++)
		if (strcasecmp(name, tbl_sys_cols[i]) == 0)
			return i;
	return -1;
}
