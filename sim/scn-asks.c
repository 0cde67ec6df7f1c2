/*
** scn-asks.c: the ask questions of the shipped scenarios, for spaced
** review: a question met in a scenario becomes a review card, so review
** must be able to ask it again.  See scn.h.
*/
#include "sim/scn.h"
#include "lib/xmem.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

static int
scn_asks_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void
scn_asks_load(const char *dir, scn_asks *out)
{
	memset(out, 0, sizeof *out);
	DIR *d = dir ? opendir(dir) : NULL;
	if (d == NULL)
		return;
	char **files = NULL;
	size_t nf = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);
		if (e->d_name[0] == '.' || len < 6 ||
		    strcmp(e->d_name + len - 5, ".json") != 0)
			continue;
		files = xreallocarray(files, nf + 1, sizeof *files);
		files[nf++] = xasprintf("%s/%s", dir, e->d_name);
	}
	closedir(d);
	qsort(files, nf, sizeof *files, scn_asks_cmp);
	for (size_t i = 0; i < nf; i++) {
		sb errs = SB_INIT;
		/* A broken scenario is `synclab check`'s business: review
		** goes on with the others. */
		scn *s = scn_load_file(files[i], &errs, NULL);
		sb_free(&errs);
		free(files[i]);
		if (s == NULL)
			continue;
		size_t asks = 0;
		for (size_t k = 0; k < s->nsteps; k++)
			asks += s->steps[k].ask != NULL;
		if (asks == 0) {
			scn_free(s);
			continue;
		}
		out->s = xreallocarray(out->s, out->ns + 1, sizeof *out->s);
		out->s[out->ns++] = s;
		out->q = xreallocarray(out->q, out->nq + asks, sizeof *out->q);
		for (size_t k = 0; k < s->nsteps; k++)
			if (s->steps[k].ask)
				out->q[out->nq++] = s->steps[k].ask;
	}
	free(files);
}

void
scn_asks_free(scn_asks *a)
{
	for (size_t i = 0; i < a->ns; i++)
		scn_free(a->s[i]);
	free(a->s);
	free(a->q);
	memset(a, 0, sizeof *a);
}
