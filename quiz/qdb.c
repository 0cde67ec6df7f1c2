/*
** qdb.c: the progress store; see qdb.h.
**
** Why this is crash-safe: every change is one SQLite transaction in WAL
** mode with synchronous=FULL, so a commit is on disk before the call
** returns and a transaction cut short by SIGKILL is rolled back by the next
** open.  Nothing is cached in memory between answers.
*/
#include "quiz/qdb.h"
#include "lib/home.h"
#include "lib/xmem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct qdb {
	sqlite3	*h;
	char	*path;
	int	 intx;		/* inside qdb_begin() */
};

/*
** The migrations: entry i takes the schema from version i to i + 1.  A new
** version appends an entry; old entries never change.
*/
static const char *const qdb_migrations[] = {
	/* 0 -> 1 */
	"CREATE TABLE attempt ("
	"  id INTEGER PRIMARY KEY,"
	"  qid TEXT NOT NULL,"
	"  at INTEGER NOT NULL,"
	"  correct INTEGER NOT NULL,"
	"  score REAL NOT NULL,"
	"  ms INTEGER NOT NULL,"
	"  source TEXT NOT NULL,"
	"  answer TEXT,"
	"  domain TEXT,"
	"  topics TEXT);"
	"CREATE INDEX attempt_qid ON attempt(qid);"
	"CREATE INDEX attempt_at ON attempt(at);"
	"CREATE TABLE card ("
	"  qid TEXT PRIMARY KEY,"
	"  state INTEGER NOT NULL,"
	"  step INTEGER NOT NULL,"
	"  ease REAL NOT NULL,"
	"  ivl INTEGER NOT NULL,"
	"  due INTEGER NOT NULL,"
	"  lapses INTEGER NOT NULL,"
	"  reps INTEGER NOT NULL,"
	"  leech INTEGER NOT NULL,"
	"  last INTEGER NOT NULL);"
	"CREATE INDEX card_due ON card(due);"
	"CREATE TABLE exam ("
	"  id INTEGER PRIMARY KEY,"
	"  started INTEGER NOT NULL,"
	"  finished INTEGER,"
	"  count INTEGER NOT NULL,"
	"  minutes INTEGER NOT NULL,"
	"  seed INTEGER NOT NULL,"
	"  fraction REAL,"
	"  scaled INTEGER,"
	"  passed INTEGER);"
	"CREATE TABLE exam_answer ("
	"  exam INTEGER NOT NULL REFERENCES exam(id),"
	"  pos INTEGER NOT NULL,"
	"  qid TEXT NOT NULL,"
	"  answer TEXT,"
	"  flagged INTEGER NOT NULL,"
	"  PRIMARY KEY (exam, pos));"
	/* Running totals kept with every attempt (same transaction), so
	** that stats reads a few hundred rows, not every attempt. */
	"CREATE TABLE tally ("
	"  domain TEXT NOT NULL,"
	"  topics TEXT NOT NULL,"
	"  n INTEGER NOT NULL,"
	"  nright INTEGER NOT NULL,"
	"  score REAL NOT NULL,"
	"  PRIMARY KEY (domain, topics));"
	"CREATE TABLE daytally ("
	"  day INTEGER PRIMARY KEY,"
	"  n INTEGER NOT NULL,"
	"  nright INTEGER NOT NULL,"
	"  score REAL NOT NULL);",
	/* 1 -> 2: an exam can be abandoned (finished, never scored) */
	"ALTER TABLE exam ADD COLUMN abandoned INTEGER NOT NULL DEFAULT 0;",
};
#define QDB_NMIG (sizeof qdb_migrations / sizeof qdb_migrations[0])

char *
qdb_default_path(char *buf, size_t n)
{
	char dir[4096 - sizeof "/progress.db"];
	if (home_dir(dir, sizeof dir) == NULL)
		return NULL;
	snprintf(buf, n, "%s/progress.db", dir);
	return buf;
}

/* mkdir -p of the folder holding path. */
static int
qdb_mkdirs(const char *path, sb *err)
{
	char *d = xstrdup(path);
	char *slash = strrchr(d, '/');
	int rc = 0;
	if (slash != NULL && slash != d) {
		*slash = '\0';
		rc = home_mkdirs(d, 0700, err);
	}
	free(d);
	return rc;
}

static int
qdb_exec(qdb *db, const char *sql, sb *err)
{
	char *msg = NULL;
	if (sqlite3_exec(db->h, sql, NULL, NULL, &msg) != SQLITE_OK) {
		sb_addf(err, "%s: %s", db->path, msg ? msg : sqlite3_errmsg(db->h));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

/* Records the connection's last error in err and finalizes st (may be
** NULL); returns -1. */
static int
qdb_fail(qdb *db, sqlite3_stmt *st, sb *err)
{
	sb_addf(err, "%s: %s", db->path, sqlite3_errmsg(db->h));
	sqlite3_finalize(st);
	return -1;
}

/* Runs st, a statement that returns no rows, and finalizes it.  Returns 0,
** or -1 with why in err. */
static int
qdb_run(qdb *db, sqlite3_stmt *st, sb *err)
{
	if (sqlite3_step(st) != SQLITE_DONE)
		return qdb_fail(db, st, err);
	sqlite3_finalize(st);
	return 0;
}

/* Reads PRAGMA user_version into *version.  Returns 0, or -1 with why in
** err. */
static int
qdb_user_version(qdb *db, int *version, sb *err)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db->h, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
		return qdb_fail(db, NULL, err);
	*version = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
	sqlite3_finalize(st);
	return 0;
}

static int
qdb_migrate(qdb *db, sb *err)
{
	int version;
	if (qdb_user_version(db, &version, err) != 0)
		return -1;
	if (version > (int)QDB_NMIG) {
		sb_addf(err, "%s: made by a newer synclab (schema version %d, this one knows %d)",
		    db->path, version, (int)QDB_NMIG);
		return -1;
	}
	/* Each step in its own IMMEDIATE transaction, re-reading the version
	** inside it: two processes opening a fresh file at once must not both
	** run the same migration. */
	while (version < (int)QDB_NMIG) {
		if (qdb_exec(db, "BEGIN IMMEDIATE", err) != 0)
			return -1;
		int now;
		if (qdb_user_version(db, &now, err) != 0) {
			qdb_exec(db, "ROLLBACK", err);
			return -1;
		}
		if (now == version) {
			char pragma[64];
			snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", version + 1);
			if (qdb_exec(db, qdb_migrations[version], err) != 0 ||
			    qdb_exec(db, pragma, err) != 0) {
				qdb_exec(db, "ROLLBACK", err);
				return -1;
			}
		}
		if (qdb_exec(db, "COMMIT", err) != 0)
			return -1;
		version = now == version ? version + 1 : now;
	}
	return 0;
}

qdb *
qdb_open(const char *path, sb *err)
{
	char def[4096];
	if (path == NULL) {
		path = qdb_default_path(def, sizeof def);
		if (path == NULL) {
			sb_add(err, "no place for the progress store: set SYNCLAB_HOME or HOME, or pass --db PATH");
			return NULL;
		}
	}
	if (qdb_mkdirs(path, err) != 0)
		return NULL;
	/* What SQLite would only call "unable to open database file", or
	** find at the first answer ("readonly database"), is said here,
	** before the first question. */
	struct stat st;
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		sb_addf(err, "%s: is a folder, not a progress store (a file); "
		    "rename it, or give another file with --db PATH", path);
		return NULL;
	}
	qdb *db = xcalloc(1, sizeof *db);
	db->path = xstrdup(path);
	if (sqlite3_open_v2(path, &db->h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
	    NULL) != SQLITE_OK) {
		sb_addf(err, "%s: cannot open the progress store: %s", path,
		    db->h ? sqlite3_errmsg(db->h) : "out of memory");
		qdb_close(db);
		return NULL;
	}
	sqlite3_busy_timeout(db->h, 5000);
	/* A store SQLite could open only for reading (its file or folder is
	** not writable) would take no answer: refuse it now.  BEGIN
	** IMMEDIATE takes the write lock, which a read-only store cannot. */
	if (sqlite3_db_readonly(db->h, "main") == 1 ||
	    sqlite3_exec(db->h, "BEGIN IMMEDIATE; COMMIT", NULL, NULL, NULL) !=
	    SQLITE_OK) {
		int ro = sqlite3_db_readonly(db->h, "main") == 1;
		sb_addf(err, "%s: the progress store cannot be written (%s): no "
		    "answer could be saved; make the file and its folder "
		    "writable, or give another file with --db PATH", path,
		    ro ? "SQLite could open it only for reading" :
		    sqlite3_errmsg(db->h));
		qdb_close(db);
		return NULL;
	}
	if (qdb_exec(db, "PRAGMA journal_mode=WAL", err) != 0 ||
	    qdb_exec(db, "PRAGMA synchronous=FULL", err) != 0 ||
	    qdb_exec(db, "PRAGMA foreign_keys=ON", err) != 0 ||
	    qdb_migrate(db, err) != 0) {
		qdb_close(db);
		return NULL;
	}
	return db;
}

void
qdb_close(qdb *db)
{
	if (db == NULL)
		return;
	sqlite3_close(db->h);
	free(db->path);
	free(db);
}

sqlite3 *
qdb_handle(qdb *db)
{
	return db->h;
}

const char *
qdb_path(const qdb *db)
{
	return db->path;
}

int
qdb_begin(qdb *db, sb *err)
{
	/* IMMEDIATE takes the write lock now, so a second process waits in
	** the busy handler here rather than failing at the first write. */
	if (qdb_exec(db, "BEGIN IMMEDIATE", err) != 0)
		return -1;
	db->intx = 1;
	return 0;
}

int
qdb_commit(qdb *db, sb *err)
{
	db->intx = 0;
	if (qdb_exec(db, "COMMIT", err) != 0) {
		sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
		return -1;
	}
	return 0;
}

void
qdb_rollback(qdb *db)
{
	db->intx = 0;
	sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
}

static void
qdb_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

static int
qdb_put_card(qdb *db, const char *qid, const qm_card *c, sb *err)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db->h,
	    "INSERT OR REPLACE INTO card(qid, state, step, ease, ivl, due, lapses,"
	    " reps, leech, last) VALUES (?,?,?,?,?,?,?,?,?,?)", -1, &st, NULL) != SQLITE_OK)
		return qdb_fail(db, NULL, err);
	sqlite3_bind_text(st, 1, qid, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(st, 2, (int)c->state);
	sqlite3_bind_int(st, 3, c->step);
	sqlite3_bind_double(st, 4, c->ease);
	sqlite3_bind_int(st, 5, c->ivl);
	sqlite3_bind_int64(st, 6, c->due);
	sqlite3_bind_int(st, 7, c->lapses);
	sqlite3_bind_int(st, 8, c->reps);
	sqlite3_bind_int(st, 9, c->leech);
	sqlite3_bind_int64(st, 10, c->last);
	return qdb_run(db, st, err);
}

static int
qdb_tally(qdb *db, const qdb_attempt *a, sb *err)
{
	static const char *const sql[2] = {
		"INSERT INTO tally(domain, topics, n, nright, score) VALUES (?3, ?4, 1, ?1, ?2)"
		" ON CONFLICT(domain, topics) DO UPDATE SET n = n + 1,"
		" nright = nright + excluded.nright, score = score + excluded.score",
		"INSERT INTO daytally(day, n, nright, score) VALUES (?3, 1, ?1, ?2)"
		" ON CONFLICT(day) DO UPDATE SET n = n + 1,"
		" nright = nright + excluded.nright, score = score + excluded.score",
	};
	for (int i = 0; i < 2; i++) {
		sqlite3_stmt *st;
		if (sqlite3_prepare_v2(db->h, sql[i], -1, &st, NULL) != SQLITE_OK)
			return qdb_fail(db, NULL, err);
		sqlite3_bind_int(st, 1, a->correct ? 1 : 0);
		sqlite3_bind_double(st, 2, a->score);
		if (i == 0) {
			sqlite3_bind_text(st, 3, a->domain ? a->domain : "", -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(st, 4, a->topics ? a->topics : "", -1, SQLITE_TRANSIENT);
		} else
			sqlite3_bind_int64(st, 3, a->at / 86400);
		if (qdb_run(db, st, err) != 0)
			return -1;
	}
	return 0;
}

int
qdb_record(qdb *db, const qdb_attempt *a, const qm_card *card, sb *err)
{
	int own = !db->intx;
	if (own && qdb_begin(db, err) != 0)
		return -1;
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db->h,
	    "INSERT INTO attempt(qid, at, correct, score, ms, source, answer,"
	    " domain, topics) VALUES (?,?,?,?,?,?,?,?,?)", -1, &st, NULL) != SQLITE_OK) {
		qdb_fail(db, NULL, err);
		goto fail;
	}
	sqlite3_bind_text(st, 1, a->qid, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, a->at);
	sqlite3_bind_int(st, 3, a->correct ? 1 : 0);
	sqlite3_bind_double(st, 4, a->score);
	sqlite3_bind_int64(st, 5, a->ms);
	sqlite3_bind_text(st, 6, a->source, -1, SQLITE_TRANSIENT);
	qdb_text(st, 7, a->answer);
	qdb_text(st, 8, a->domain);
	qdb_text(st, 9, a->topics);
	if (qdb_run(db, st, err) != 0 || qdb_tally(db, a, err) != 0)
		goto fail;
	if (card && qdb_put_card(db, a->qid, card, err) != 0)
		goto fail;
	if (own && qdb_commit(db, err) != 0)
		return -1;
	return 0;
fail:
	if (own)
		qdb_rollback(db);
	return -1;
}

int
qdb_card_get(qdb *db, const char *qid, qm_card *c)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db->h,
	    "SELECT state, step, ease, ivl, due, lapses, reps, leech, last"
	    " FROM card WHERE qid = ?", -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, qid, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		int s = sqlite3_column_int(st, 0);
		c->state = s >= QM_NEW && s <= QM_RELEARNING ? (enum qm_state)s : QM_NEW;
		c->step = sqlite3_column_int(st, 1);
		c->ease = sqlite3_column_double(st, 2);
		c->ivl = sqlite3_column_int(st, 3);
		c->due = sqlite3_column_int64(st, 4);
		c->lapses = sqlite3_column_int(st, 5);
		c->reps = sqlite3_column_int(st, 6);
		c->leech = sqlite3_column_int(st, 7);
		c->last = sqlite3_column_int64(st, 8);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int
qdb_record_scenario(qdb *db, const char *qid, int correct, double score,
    int64_t ms, const char *scenario_id, int64_t at, sb *err)
{
	char *src = xasprintf("scenario:%s", scenario_id);
	qdb_attempt a = { qid, at, correct, score, ms, src, NULL, NULL, NULL };
	qm_card c;
	int have = qdb_card_get(db, qid, &c);
	if (have == 0)
		qm_first(&c, correct, at);
	int rc = qdb_record(db, &a, have == 0 ? &c : NULL, err);
	free(src);
	return rc;
}

size_t
qdb_due(qdb *db, int64_t until, char ***ids)
{
	sqlite3_stmt *st;
	size_t n = 0;
	*ids = NULL;
	if (sqlite3_prepare_v2(db->h,
	    "SELECT qid FROM card WHERE due <= ? AND leech = 0 ORDER BY due, qid",
	    -1, &st, NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_int64(st, 1, until);
	while (sqlite3_step(st) == SQLITE_ROW) {
		*ids = xreallocarray(*ids, n + 1, sizeof **ids);
		(*ids)[n++] = xstrdup((const char *)sqlite3_column_text(st, 0));
	}
	sqlite3_finalize(st);
	return n;
}

size_t
qdb_due_count(qdb *db, int64_t until)
{
	sqlite3_stmt *st;
	size_t n = 0;
	if (sqlite3_prepare_v2(db->h,
	    "SELECT count(*) FROM card WHERE due <= ? AND leech = 0", -1, &st,
	    NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_int64(st, 1, until);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = (size_t)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

int64_t
qdb_exam_begin(qdb *db, int64_t at, int count, int minutes, uint64_t seed,
    sb *err)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db->h,
	    "INSERT INTO exam(started, count, minutes, seed) VALUES (?,?,?,?)",
	    -1, &st, NULL) != SQLITE_OK)
		return qdb_fail(db, NULL, err);
	sqlite3_bind_int64(st, 1, at);
	sqlite3_bind_int(st, 2, count);
	sqlite3_bind_int(st, 3, minutes);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)seed);
	if (qdb_run(db, st, err) != 0)
		return -1;
	return sqlite3_last_insert_rowid(db->h);
}

int
qdb_exam_save(qdb *db, int64_t exam, int pos, const char *qid,
    const char *answer, int flagged, sb *err)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db->h,
	    "INSERT OR REPLACE INTO exam_answer(exam, pos, qid, answer, flagged)"
	    " VALUES (?,?,?,?,?)", -1, &st, NULL) != SQLITE_OK)
		return qdb_fail(db, NULL, err);
	sqlite3_bind_int64(st, 1, exam);
	sqlite3_bind_int(st, 2, pos);
	sqlite3_bind_text(st, 3, qid, -1, SQLITE_TRANSIENT);
	qdb_text(st, 4, answer);
	sqlite3_bind_int(st, 5, flagged);
	return qdb_run(db, st, err);
}

/* UPDATE exam SET <set> WHERE id = ?, with at bound first. */
static int
qdb_exam_update(qdb *db, const char *sql, int64_t exam, int64_t at, sb *err)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db->h, sql, -1, &st, NULL) != SQLITE_OK)
		return qdb_fail(db, NULL, err);
	sqlite3_bind_int64(st, 1, at);
	sqlite3_bind_int64(st, 2, exam);
	return qdb_run(db, st, err);
}

int
qdb_exam_start(qdb *db, int64_t exam, int64_t at, sb *err)
{
	return qdb_exam_update(db, "UPDATE exam SET started = ? WHERE id = ?",
	    exam, at, err);
}

int
qdb_exam_abandon(qdb *db, int64_t exam, int64_t at, sb *err)
{
	return qdb_exam_update(db, "UPDATE exam SET finished = ?, abandoned = 1"
	    " WHERE id = ? AND finished IS NULL", exam, at, err);
}

int
qdb_exam_finish(qdb *db, int64_t exam, int64_t at, double fraction,
    int scaled, int passed, sb *err)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db->h,
	    "UPDATE exam SET finished = ?, fraction = ?, scaled = ?, passed = ?"
	    " WHERE id = ?", -1, &st, NULL) != SQLITE_OK)
		return qdb_fail(db, NULL, err);
	sqlite3_bind_int64(st, 1, at);
	sqlite3_bind_double(st, 2, fraction);
	sqlite3_bind_int(st, 3, scaled);
	sqlite3_bind_int(st, 4, passed);
	sqlite3_bind_int64(st, 5, exam);
	return qdb_run(db, st, err);
}
