/*
** cmd-merge.c: synclab stats --merge DIR, one grade book over the
** progress stores of a class (one *.db file per student, named after the
** student).  Each store is read as `synclab stats` reads one, and the
** rows that matter for a grade book are kept: the totals, the domains,
** the readiness estimates and the outline lines.
*/
#include "cli/cmd.h"
#include "lib/sb.h"
#include "lib/xmem.h"
#include "quiz/qdb.h"
#include "quiz/qrd.h"
#include "quiz/qst.h"

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int
cmd_merge_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* 1 when the file starts as an SQLite database does. */
static int
cmd_merge_is_sqlite(const char *path)
{
	char head[16];
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return 0;
	size_t n = fread(head, 1, sizeof head, f);
	fclose(f);
	return n == sizeof head && memcmp(head, "SQLite format 3", 16) == 0;
}

/* The CSV rows of one student's stats whose kind a grade book wants,
** each led by the student's name. */
static void
cmd_merge_csv(const char *student, const char *csv, sb *out)
{
	static const char *const kinds[] = { "total,", "domain,", "ready,",
	    "ready-low,", "ready-high,", "line,", NULL };
	const char *p = strchr(csv, '\n');	/* past the header */
	p = p ? p + 1 : csv;
	while (*p) {
		size_t n = strcspn(p, "\n");
		for (const char *const *k = kinds; *k; k++)
			if (strncmp(p, *k, strlen(*k)) == 0) {
				sb_addf(out, "%s,%.*s\n", student, (int)n, p);
				break;
			}
		p += n + (p[n] == '\n');
	}
}

int
cmd_stats_merge(const char *dir, const char *format, const qz_bank *bank,
    int64_t now)
{
	DIR *d = opendir(dir);
	if (d == NULL) {
		fprintf(stderr, "synclab: stats: --merge %s: not a folder\n", dir);
		return 1;
	}
	char **names = NULL;
	size_t n = 0;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		size_t l = strlen(de->d_name);
		if (de->d_name[0] != '.' && l > 3 && strcmp(de->d_name + l - 3, ".db") == 0) {
			names = xreallocarray(names, n + 1, sizeof *names);
			names[n++] = xstrdup(de->d_name);
		}
	}
	closedir(d);
	qsort(names, n, sizeof *names, cmd_merge_cmp);
	int json = strcmp(format, "json") == 0, csv = strcmp(format, "csv") == 0;
	int rc = 0;
	size_t done = 0;
	sb out = SB_INIT;
	if (csv)
		sb_add(&out, "student,kind,name,attempts,right,percent,value\n");
	else if (json)
		sb_add(&out, "{\"students\":[");
	else
		sb_addf(&out, "%-20s %8s %7s %9s %8s  %s\n", "student", "attempts",
		    "score", "expected", "P(700+)", "score per domain");
	for (size_t i = 0; i < n; i++) {
		char *path = xasprintf("%s/%s", dir, names[i]);
		char *student = xstrndup(names[i], strlen(names[i]) - 3);
		sb err = SB_INIT;
		qdb *db = cmd_merge_is_sqlite(path) ? qdb_open(path, &err) : NULL;
		if (db == NULL) {
			fprintf(stderr, "synclab: stats: %s: %s\n", path,
			    err.len ? sb_str(&err) : "not a progress store");
			rc = 1;
		} else {
			qst_stats st;
			qrd_report ready;
			memset(&ready, 0, sizeof ready);
			if (qst_load(db, now, &st, &err) != 0 ||
			    qrd_load(db, bank, now, &ready, &err) != 0) {
				fprintf(stderr, "synclab: stats: %s: %s\n", path,
				    sb_str(&err));
				rc = 1;
			} else {
				st.ready = &ready;
				sb one = SB_INIT;
				if (csv) {
					qst_format_csv(&st, &one);
					cmd_merge_csv(student, sb_str(&one), &out);
				} else if (json) {
					qst_format_json(&st, &one);
					while (one.len && one.s[one.len - 1] == '\n')
						one.s[--one.len] = '\0';
					sb_add(&out, done ? "," : "");
					sb_add(&out, "{\"student\":");
					sb_addjson(&out, student);
					sb_addf(&out, ",\"file\":");
					sb_addjson(&out, names[i]);
					sb_addf(&out, ",\"stats\":%s}", sb_str(&one));
				} else {
					const qrd_est *e = &ready.all;
					char exp[16] = "-", pp[16] = "-";
					if (e->enough) {
						snprintf(exp, sizeof exp, "%d", e->scaled);
						snprintf(pp, sizeof pp, "%.0f%%", 100 * e->p_pass);
					}
					/* Rounded as the CSV of stats rounds. */
					sb_addf(&out, "%-20.20s %8d %6ld%% %9s %8s ", student,
					    st.all.n, st.all.n ? lround(100.0 * st.all.score /
					    st.all.n) : 0L, exp, pp);
					for (int k = 0; k < 3; k++)
						if (st.dom[k].n)
							sb_addf(&out, " %5ld%%", lround(100.0 *
							    st.dom[k].score / st.dom[k].n));
						else
							sb_add(&out, "      -");
					sb_addc(&out, '\n');
				}
				sb_free(&one);
				done++;
			}
			qst_free(&st);
			qrd_free(&ready);
			qdb_close(db);
		}
		sb_free(&err);
		free(path);
		free(student);
		free(names[i]);
	}
	free(names);
	if (json)
		sb_add(&out, "]}\n");
	else if (!csv)
		sb_addf(&out, "%zu student%s; score: the mean score of the "
		    "answers; domains: cloud concepts, architecture and "
		    "services, management and governance\n", done,
		    done == 1 ? "" : "s");
	if (n == 0) {
		fprintf(stderr, "synclab: stats: --merge %s: no *.db files\n", dir);
		rc = 1;
	}
	fputs(sb_str(&out), stdout);
	sb_free(&out);
	return rc;
}
