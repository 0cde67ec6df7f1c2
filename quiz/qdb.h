/*
** qdb.h: the progress store (SQLite).
**
** One file holds every attempt, the review card of every question met, and
** the mock exams.  WAL mode, one transaction per answer and a busy timeout:
** killing synclab at any moment loses at most the answer being written, and
** two synclab processes can share the file.  The schema carries a version
** (PRAGMA user_version) and is migrated forward on open.
*/
#ifndef qdb_h
#define qdb_h

#include <stddef.h>
#include <stdint.h>
#include <sqlite3.h>
#include "lib/sb.h"
#include "quiz/qm.h"

#define QDB_VERSION 2

typedef struct qdb qdb;

/* Writes the default location into buf: $SYNCLAB_HOME/progress.db, else
** $XDG_DATA_HOME/synclab/progress.db, else ~/.local/share/synclab/
** progress.db.  Returns buf, or NULL when no home folder is known. */
char *qdb_default_path(char *buf, size_t n);
/* Opens (creating the folders, the file and the schema) the store at path
** (NULL: the default).  Returns the store, or NULL with one line in err. */
qdb *qdb_open(const char *path, sb *err);
void qdb_close(qdb *db);
/* The connection, for read-only queries (stats). */
sqlite3 *qdb_handle(qdb *db);
const char *qdb_path(const qdb *db);

/* One answered question. */
typedef struct qdb_attempt {
	const char	*qid;
	int64_t		 at;		/* unix seconds */
	int		 correct;	/* fully right */
	double		 score;		/* [0, 1] */
	int64_t		 ms;		/* time spent answering */
	const char	*source;	/* "practice", "exam:3", "review", "scenario:ID" */
	const char	*answer;	/* as typed, file order; may be NULL */
	const char	*domain;	/* may be NULL */
	const char	*topics;	/* comma-separated; may be NULL */
} qdb_attempt;

/* Records a in one transaction with, when card is not NULL, the new state
** of its review card.  Returns 0, or -1 with why in err (nothing written). */
int qdb_record(qdb *db, const qdb_attempt *a, const qm_card *card, sb *err);
/* Records the answer to a scenario `ask` (source "scenario:<scenario_id>").
** A question met first in a scenario becomes a review card too. */
int qdb_record_scenario(qdb *db, const char *qid, int correct, double score,
    int64_t ms, const char *scenario_id, int64_t at, sb *err);

/* Reads the card of qid: 1 found, 0 none, -1 error. */
int qdb_card_get(qdb *db, const char *qid, qm_card *c);
/* The ids of the cards due at or before until (suspended leeches left
** out), earliest first; the caller frees each id and the array.  Returns
** the count. */
size_t qdb_due(qdb *db, int64_t until, char ***ids);
/* How many cards qdb_due() would return, without reading their ids (0 on
** an error too). */
size_t qdb_due_count(qdb *db, int64_t until);

/* Mock exams.  Begin writes the exam row and returns its id (> 0), or -1. */
int64_t qdb_exam_begin(qdb *db, int64_t at, int count, int minutes,
    uint64_t seed, sb *err);
/* Saves the student's current answer (NULL: none) and flag for one place
** of an unsubmitted exam, one transaction. */
int qdb_exam_save(qdb *db, int64_t exam, int pos, const char *qid,
    const char *answer, int flagged, sb *err);
/* The student started the exam (left its start screen) at `at`: the
** exam's start time becomes at.  Returns 0 or -1 (err). */
int qdb_exam_start(qdb *db, int64_t exam, int64_t at, sb *err);
/* Marks an unfinished exam abandoned at `at`: finished and never scored
** (stats leaves it out of the exam history and counts it apart); its
** drafts stay.  Returns 0 or -1 (err). */
int qdb_exam_abandon(qdb *db, int64_t exam, int64_t at, sb *err);
/* Marks the exam finished with its result.  Call inside qdb_begin()/
** qdb_commit() together with the attempts of the exam. */
int qdb_exam_finish(qdb *db, int64_t exam, int64_t at, double fraction,
    int scaled, int passed, sb *err);

/* An explicit transaction around several calls (qdb_record and
** qdb_exam_finish then join it instead of opening their own). */
int qdb_begin(qdb *db, sb *err);
int qdb_commit(qdb *db, sb *err);
void qdb_rollback(qdb *db);

#endif
