/*
** scn.h: scenarios (docs/scenario-format.md), loaded strictly.
**
** A loader either returns a complete scenario or nothing: every problem of
** a file is collected (syntax errors as FILE:LINE:COL, semantic ones as
** FILE:LINE:COL: json.path: what is wrong) before it decides, so a student
** fixing a file sees all of its mistakes at once.  A loaded scenario is
** immutable data; the engine (sim.h) runs it.
*/
#ifndef scn_h
#define scn_h

#include <stddef.h>
#include <stdint.h>
#include <cjson/cJSON.h>
#include "lib/sb.h"
#include "sim/pol.h"
#include "sim/prof.h"
#include "sim/tbl.h"

struct qz_question;
struct scn_cloud;

typedef enum scn_action {
	SCN_INSERT,		/* device, table, row */
	SCN_UPDATE,		/* device, table, id, row (= "set") */
	SCN_DELETE,		/* device, table, id */
	SCN_OFFLINE,		/* device */
	SCN_ONLINE,		/* device */
	SCN_PUSH,		/* device */
	SCN_PULL,		/* device, table (NULL: every table) */
	SCN_SYNC,		/* device */
	SCN_PURGE,		/* device, table, force */
	SCN_DROP_REQUEST,	/* device, count */
	SCN_DROP_RESPONSE,	/* device, count */
	SCN_LATENCY,		/* device, ms */
	SCN_RESOLVE,		/* device, table, id, row (= "keep") */
	SCN_WAIT,		/* ms */
	/* Push and scale (scn_cloud.h); arguments in row. */
	SCN_REGISTER,		/* device, [tags] */
	SCN_UNREGISTER,		/* device */
	SCN_TAG,		/* device, tags (the backend adds them) */
	SCN_SEND,		/* the backend sends through the hub */
	SCN_SCALE,		/* tier, instances, autoscale */
	/* Identity (scn_auth.c); their own keys are kept in row. */
	SCN_SIGNIN,		/* device, row {provider, user, flow} */
	SCN_SIGNOUT,		/* device, row {everywhere} */
	SCN_REFRESH,		/* device */
	SCN_TAMPER,		/* device, row {user} */
	SCN_STEAL		/* device, row {from} */
} scn_action;

/* One script step.  Every pointer is owned by the step. */
typedef struct scn_step {
	scn_action	 act;
	char		*device;	/* NULL for wait */
	char		*table;		/* NULL: none */
	char		*id;		/* update, delete, resolve */
	cJSON		*row;		/* insert: row; update: set;
					   resolve: keep */
	int		 force;		/* purge */
	int		 count;		/* drop-request/response */
	int64_t		 ms;		/* wait, latency */
	int		 pages;		/* pull: stop after this many pages
					   (0: until an empty page); the
					   next pull of the table resumes */
	char		*say;		/* narration or NULL */
	struct qz_question *ask;	/* a question or NULL */
	cJSON		*expect;	/* validated, or NULL */
	int		 line;		/* source line (0: built) */
	int		 col;		/* source column */
} scn_step;

typedef struct scn_table {
	tbl_def	 def;		/* the table definition */
	pol_table	 policy;	/* table policy, field overrides */
} scn_table;

typedef struct scn_device {
	char		*name;
	char		*user;
	char		*platform;
	int64_t		 clock_offset_ms;
	int		 online;
	int64_t		 latency_ms;
	prof_kind	 client;	/* the device's SDK (prof.h) */
} scn_device;

typedef struct scn_objective {
	char		*text;
	char		*domain;	/* cloud-concepts,
					   architecture-services or
					   management-governance */
} scn_objective;

typedef struct scn {
	char		*path;		/* its file ("" when built) */
	char		*id;
	char		*title;
	char		*summary;
	long long	 order;		/* LLONG_MAX when absent */
	scn_objective	*objectives;
	size_t		 nobjectives;
	uint64_t	 seed;		/* default 1 */
	int64_t		 start_ms;	/* virtual clock at step 0 */
	scn_table	*tables;
	size_t		 ntables;
	scn_device	*devices;
	size_t		 ndevices;
	cJSON		*rows;		/* seed rows or NULL */
	scn_step	*steps;
	size_t		 nsteps;
	int		 page_size;	/* a pull's $top; default 50 */
	char		*goal_text;	/* NULL when there is no goal */
	cJSON		*goal_expect;
	size_t		 goal_from;	/* checked after step N on (1-based);
					   default 1 */
	int		 goal_line;	/* where "goal" and "solution" are */
	int		 goal_col;
	int		 solution_line;
	int		 solution_col;
	char		**hints;
	cJSON		**hint_when;	/* per hint: an EXPECT that must hold
					   for it to be given now, or NULL */
	size_t		 nhints;
	scn_step	*solution;
	size_t		 nsolution;
	struct scn_cloud *cloud;	/* push, plan, fleet; NULL: none */
	cJSON		*auth;		/* the validated "auth" section, or
					   NULL (auth_cfg_from_json reads it) */
} scn;

/*
** Loads and validates a scenario file.  Returns a new scenario the caller
** frees with scn_free(), or NULL when anything is wrong; then every
** problem is appended to errs, one "FILE:LINE:COL: path: what\n" per line,
** and the function returns the number of errors through *nerr (nerr may be
** NULL).  Never half-loads.
*/
scn *scn_load_file(const char *path, sb *errs, int *nerr);
/* The same for text in memory; name is used in messages. */
scn *scn_load_text(const char *name, const char *text, size_t len, sb *errs,
    int *nerr);
/* Validates a file without keeping it: returns its error count. */
int scn_check_file(const char *path, sb *errs);

/* The most devices a scenario (or the sandbox) has, and the most tables
** and columns per table.  Checked before any item is read, so a file
** with 100,000 of them costs one error, not 100,000 items' work. */
#define SCN_MAX_DEVICES	16
#define SCN_MAX_TABLES	32
#define SCN_MAX_COLUMNS	100
/* The largest count an expect may name (queue, errors, serverRows, ...). */
#define SCN_MAX_COUNT	1000000
/* The most steps of a script, repeats counted. */
#define SCN_MAX_STEPS	100000
/* A pull's page size ($top) unless the scenario sets pageSize. */
#define SCN_DEFAULT_PAGE_SIZE	50

/*
** A sandbox: ndevices (1-16) devices named Device-A, Device-B, ..., one
** table "todoitem" (text string, complete bool, soft delete on, policy
** none), no rows, no steps.  Never fails for a valid count (NULL otherwise).
*/
scn *scn_sandbox(size_t ndevices);
void scn_free(scn *s);

/* Lookups; NULL or -1 when absent. */
const scn_table *scn_table_find(const scn *s, const char *name);
int scn_device_index(const scn *s, const char *name);

/*
** Parses one step from JSON text against the scenario (its devices and
** tables), as the loader would; used for ad-hoc steps typed in the TUI.
** Returns 0 and fills *out (free it with scn_step_free), or -1 with the
** reasons in errs, one "step:LINE:COL: path: what" line each (positions
** in the given text).
*/
int scn_step_parse(const scn *s, const char *json, scn_step *out, sb *errs);
/*
** Validates a step built in C (for sim_act): the device, table and id
** exist in the scenario's terms and the payload fits the action (it is
** checked as its JSON form by scn_step_parse).  Returns 0, or -1 with the
** reasons in errs.
*/
int scn_step_validate(const scn *s, const scn_step *st, sb *errs);
/* Deep copy, except ask, which is never copied (dst->ask = NULL). */
void scn_step_copy(scn_step *dst, const scn_step *src);
void scn_step_free(scn_step *st);

/* "insert", "drop-request", ... as in the file format. */
const char *scn_action_name(scn_action a);
/* A one-line summary of a step: "Tablet-A: update workorder/7 {"status":
** "completed"}", "wait 5000 ms". Appended to out. */
void scn_step_summary(const scn_step *st, sb *out);

/*
** The ask questions of every scenario file (*.json) in dir, for spaced
** review.  Files that do not load are skipped (`synclab check` reports
** them).  The questions belong to the scenarios kept in a; both live until
** scn_asks_free().  A missing dir gives none.
*/
typedef struct scn_asks {
	scn				**s;
	size_t				  ns;
	const struct qz_question	**q;
	size_t				  nq;
} scn_asks;
void scn_asks_load(const char *dir, scn_asks *a);
void scn_asks_free(scn_asks *a);

/*
** Identity (scn_auth.c).  scn_action_is_auth: the actions signin, signout,
** refresh, tamper and steal.  For the loader only: scn_auth_step reads
** such a step's own keys into st->row; scn_auth_parse validates the
** "auth" section against the tables, devices and script (after they are
** parsed) and keeps a copy in s->auth.
*/
struct jx_doc;
int scn_action_is_auth(scn_action a);
void scn_auth_step(struct jx_doc *d, const scn *s, const char *path,
    const cJSON *obj, scn_step *st);
void scn_auth_parse(struct jx_doc *d, scn *s, const cJSON *root);

#endif
