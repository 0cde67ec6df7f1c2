/*
** sim_store.c: the stores of a run on disk and as text; see sim.h.
*/
#include "sim/sim.h"
#include "sim/sim_int.h"
#include "sim/chk.h"
#include "lib/rng.h"
#include "lib/xmem.h"
#include "quiz/qz.h"
#include "sim/wire.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- stores ---- */

static int
sim_save_one(sqlite3 *db, const char *path, sb *err)
{
	remove(path);
	sqlite3 *out = NULL;
	if (sqlite3_open(path, &out) != SQLITE_OK) {
		sb_addf(err, "%s: %s", path, out ? sqlite3_errmsg(out) :
		    "cannot open");
		sqlite3_close(out);
		return -1;
	}
	sqlite3_backup *b = sqlite3_backup_init(out, "main", db, "main");
	int rc = -1;
	if (b) {
		sqlite3_backup_step(b, -1);
		rc = sqlite3_backup_finish(b) == SQLITE_OK ? 0 : -1;
	}
	if (rc != 0)
		sb_addf(err, "%s: %s", path, sqlite3_errmsg(out));
	sqlite3_close(out);
	return rc;
}

int
sim_save_stores(sim *r, const char *dir, sb *err)
{
	if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
		sb_addf(err, "%s: %s", dir, strerror(errno));
		return -1;
	}
	char *p = xasprintf("%s/backend.db", dir);
	int rc = sim_save_one(srv_db(r->srv), p, err);
	free(p);
	for (size_t i = 0; rc == 0 && i < r->ndev; i++) {
		p = xasprintf("%s/%s.db", dir, dev_name(r->devs[i]));
		rc = sim_save_one(dev_db(r->devs[i]), p, err);
		free(p);
	}
	return rc;
}

/* Every table of one database, in rowid order, values typed. */
static void
sim_dump_db(sqlite3 *db, sb *out)
{
	sqlite3_stmt *t = NULL;
	if (sqlite3_prepare_v2(db, "SELECT name, sql FROM sqlite_master WHERE "
	    "type = 'table' ORDER BY name", -1, &t, NULL) != SQLITE_OK) {
		sqlite3_finalize(t);
		return;
	}
	while (sqlite3_step(t) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(t, 0);
		const char *sql = (const char *)sqlite3_column_text(t, 1);
		sb_addf(out, "table %s: %s\n", name, sql ? sql : "");
		/* Names come from the database itself; quote them anyway. */
		sb q = SB_INIT;
		sb_add(&q, "SELECT * FROM ");
		sb_addsqlid(&q, name);
		sb_add(&q, " ORDER BY rowid");
		sqlite3_stmt *st = NULL;
		if (sqlite3_prepare_v2(db, sb_str(&q), -1, &st, NULL) ==
		    SQLITE_OK) {
			int nc = sqlite3_column_count(st);
			while (sqlite3_step(st) == SQLITE_ROW) {
				for (int i = 0; i < nc; i++) {
					int ty = sqlite3_column_type(st, i);
					if (ty == SQLITE_NULL)
						sb_add(out, "N|");
					else if (ty == SQLITE_INTEGER)
						sb_addf(out, "I%lld|",
						    sqlite3_column_int64(
							st, i));
					else if (ty == SQLITE_FLOAT)
						sb_addf(out, "R%.17g|",
						    sqlite3_column_double(
							st, i));
					else {
						sb_addc(out,
						    ty == SQLITE_TEXT ? 'T'
								      : 'B');
						sb_addn(out,
						    sqlite3_column_blob(st, i),
						    (size_t)
							sqlite3_column_bytes(
							    st, i));
						sb_addc(out, '|');
					}
				}
				sb_addc(out, '\n');
			}
		}
		sqlite3_finalize(st);
		sb_free(&q);
	}
	sqlite3_finalize(t);
}

void
sim_dump_state(sim *r, sb *out)
{
	/* The content, not the page images: SQLite may place cells
	** differently in two byte-identical images that went through the same
	** statements (its in-place overwrite path depends on cursor state),
	** while every table, row and value stays the same. */
	for (size_t k = 0; k <= r->ndev; k++) {
		sb_addf(out, "== database %zu\n", k);
		sim_dump_db(sim_db_at(r, k), out);
	}
	sb_addf(out, "t=%lld rng=%llx.%llx.%llx.%llx\n", (long long)r->t,
	    (unsigned long long)r->rng.s[0], (unsigned long long)r->rng.s[1],
	    (unsigned long long)r->rng.s[2], (unsigned long long)r->rng.s[3]);
	for (size_t i = 0; i < r->ndev; i++)
		sb_addf(out, "net %zu: %d %lld %d %d\n", i, r->net[i].online,
		    (long long)r->net[i].latency_ms, r->net[i].drop_requests,
		    r->net[i].drop_responses);
}
