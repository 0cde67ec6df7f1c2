/*
** home.c: the student's folder; see home.h.
*/
#include "lib/home.h"
#include "lib/xmem.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

char *
home_dir(char *buf, size_t n)
{
	const char *e = getenv("SYNCLAB_HOME");
	if (e && *e)
		snprintf(buf, n, "%s", e);
	else if ((e = getenv("XDG_DATA_HOME")) && *e)
		snprintf(buf, n, "%s/synclab", e);
	else if ((e = getenv("HOME")) && *e)
		snprintf(buf, n, "%s/.local/share/synclab", e);
	else
		return NULL;
	return buf;
}

int
home_mkdirs(const char *dir, mode_t mode, sb *err)
{
	char *d = xstrdup(dir);
	int rc = 0;
	/* Each prefix ending at a '/' (the root excepted), then the whole. */
	for (char *p = d + 1; rc == 0; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char c = *p;
		*p = '\0';
		if (mkdir(d, mode) != 0 && errno != EEXIST) {
			if (err)
				sb_addf(err, "cannot create %s: %s", d,
				    strerror(errno));
			rc = -1;
		}
		*p = c;
		if (c == '\0')
			break;
	}
	free(d);
	return rc;
}
