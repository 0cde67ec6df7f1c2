/*
** tbl.c: table definitions and column types; see tbl.h.
*/
#include "sim/tbl.h"
#include "lib/xmem.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const tbl_sys_cols[TBL_NSYS_COLS] = { TBL_SYS_COLS };

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
