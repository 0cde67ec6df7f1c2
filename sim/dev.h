/*
** dev.h: a virtual device: the .NET client SDK's offline store and sync.
**
** Each device has its own real SQLite store: the data tables (same columns
** as the backend: id, createdAt, updatedAt, version, deleted, user columns)
** plus __operations, __errors and __config laid out as the .NET client
** keeps them, and one synclab addition, __base (the last server copy of
** each row, which the delta and merge policies need and the real SDK does
** not keep).  Every piece of mutable state lives in that store, so an
** sqlite3_serialize() of it is a complete snapshot of the device.
**
** The device talks to the backend only through env->send, so the engine
** decides what the network does (latency, loss, offline).
*/
#ifndef dev_h
#define dev_h

#include <stddef.h>
#include <stdint.h>
#include <sqlite3.h>
#include <cjson/cJSON.h>
#include "lib/sb.h"
#include "sim/auth.h"
#include "sim/http.h"
#include "sim/pol.h"
#include "sim/prof.h"
#include "sim/tbl.h"
#include "sim/trc.h"

typedef struct dev dev;

typedef struct dev_env {
	/* Sends req over this device's link.  Returns 0 when a response came
	** back (resp filled; the device frees it with http_resp_free), or -1
	** when the request or its response was lost or the device is offline
	** (resp untouched).  The engine advances its clock inside. */
	int		(*send)(void *ud, dev *d, const http_req *req,
			    http_resp *resp);
	/* The true virtual time in ms since the epoch (the device adds its
	** own clock offset when it stamps edits). */
	int64_t		(*now)(void *ud);
	/* Entropy for client-generated ids. */
	uint64_t	(*rand)(void *ud);
	void		*ud;
	trc		*trace;		/* where the device records its events */
} dev_env;

typedef struct dev_config {
	const char	*name;		/* "Tablet-A" */
	const char	*user;		/* "ana" (sent as X-ZUMO-AUTH user) */
	const char	*platform;	/* "android", "ios", "windows" */
	int64_t		 clock_offset_ms;	/* device clock minus true time */
	prof_kind	 client;	/* the SDK's pull rules (prof.h);
					   0 is net-legacy */
} dev_config;

typedef enum dev_status {
	DEV_OK = 0,		/* everything went through */
	DEV_CONFLICTS = 1,	/* push ran to the end; some ops failed (409/412
				   or other errors): rows in __errors */
	DEV_ABORTED = 2,	/* network failure or 401: push stopped, queue kept */
	DEV_FAILED = -1		/* a local error (message in err) */
} dev_status;

typedef struct dev_push_result {
	int	sent;		/* requests sent (lost ones included) */
	int	succeeded;	/* operations completed and removed */
	int	conflicts;	/* 409/412 met */
	int	resolved;	/* conflicts a policy resolved at once */
	int	errors;		/* operations left failed in __errors */
	int	last_status;	/* last HTTP status received, 0 if none */
} dev_push_result;

typedef struct dev_pull_result {
	int	pages;		/* GET requests made */
	int	received;	/* rows received */
	int	applied;	/* rows upserted or deleted locally */
	int	skipped;	/* rows skipped: they have pending operations */
	int	last_status;
} dev_pull_result;

/* Opens a device with its store at db_path (NULL: in memory).  name and
** the other strings are copied; env is copied.  NULL with err on failure. */
dev *dev_open(const dev_config *cfg, const dev_env *env, const char *db_path,
    sb *err);
void dev_close(dev *d);
const char *dev_name(const dev *d);
const dev_config *dev_cfg(const dev *d);
sqlite3 *dev_db(dev *d);

/* Creates a local table like the backend's and remembers its policy (both
** copied).  Returns 0, or -1 with err. */
int dev_define(dev *d, const tbl_def *def, const pol_table *policy,
    sb *err);
size_t dev_ntables(const dev *d);
const tbl_def *dev_table_at(const dev *d, size_t i);
const pol_table *dev_policy(const dev *d, const char *table);

/*
** Local writes, as the .NET client records them: apply to the local table,
** then collapse with a pending operation or enqueue (see the collapse table
** in docs/sync-model.md).  insert generates an id (Guid "N" format) when
** the row has none.  Each returns 0, or -1 with a reason in err and nothing
** changed (an insert of an existing id, an update of a missing row, and the
** ERROR cells of the collapse table).  Events go to the trace.
*/
int dev_insert(dev *d, const char *table, const cJSON *row, sb *err);
int dev_update(dev *d, const char *table, const char *id, const cJSON *set,
    sb *err);
int dev_delete(dev *d, const char *table, const char *id, sb *err);

/* Pushes every pending operation, one at a time in sequence order; see
** dev_status.  res may be NULL. */
dev_status dev_push(dev *d, dev_push_result *res, sb *err);
/* Incremental pull of one table (NULL: every table, in definition order)
** with queryId = the table name: pushes first when the table is dirty (and
** fails as the push fails), then pages with the delta token in __config. */
dev_status dev_pull(dev *d, const char *table, dev_pull_result *res, sb *err);
/*
** The same pull, stopped after max_pages pages of each table (0: until an
** empty page), as if the app paused between two pages.  Where a pull
** stopped (its $skip; the token is saved after every page) is kept in
** __config under "pullSkip|T|queryId", and the next pull of the table
** resumes there.  Not an SDK feature: it lets a script put another
** device's write between two pages of one pull.
*/
dev_status dev_pull_pages(dev *d, const char *table, int max_pages,
    dev_pull_result *res, sb *err);
/* The $top of the device's pulls, 1 to 1000 (others are ignored); 50, the
** .NET client's MaxPageSize, until set. */
void dev_set_page_size(dev *d, int n);
/* Purge as the .NET client: with pending ops it fails unless force, which
** deletes the table's ops and errors; then resets the token and deletes the
** table's local rows. */
dev_status dev_purge(dev *d, const char *table, int force, sb *err);

/*
** A manual decision on a conflict left in __errors for (table, id).
** decision is the string "local" or "server", or an object mapping field
** names to "local" or "server" (unnamed fields: server).  "server" cancels
** the op and stores the server row; anything else rewrites the local row,
** sets the op's version to the server's and makes it Pending again, so the
** next push sends it.  Returns 0, or -1 with err (no such conflict).
*/
int dev_resolve(dev *d, const char *table, const char *id,
    const cJSON *decision, sb *err);

/* Counts of pending operations and error rows. */
size_t dev_queue_len(dev *d);
size_t dev_error_count(dev *d);
/* A local row as JSON (system columns included, version base64); NULL when
** absent.  Caller owns it. */
cJSON *dev_get_row(dev *d, const char *table, const char *id);
/* The conflict for (table, id) as {"base":..,"local":..,"server":..,
** "status":N}; NULL when there is none.  Caller owns it. */
cJSON *dev_get_conflict(dev *d, const char *table, const char *id);

/*
** Identity (dev_auth.c).  The signed-in user lives in the store's __auth
** table (the app's token cache); every request carries its token as
** X-ZUMO-AUTH.  A 401 from a table marks the device blocked (with the
** server's reason) until a request of a table succeeds again.
*/
typedef struct dev_auth_info {
	int		 signed_in;
	char		 provider[32];	/* as in /.auth/login/<provider> */
	char		 user[128];	/* the name the user signed in with */
	char		 sid[48];	/* "sid:..." */
	char		 token[1024];	/* the X-ZUMO-AUTH value */
	int64_t		 exp_ms;	/* read from the token, 0 unknown */
	int		 blocked;	/* the last table request got 401 */
	char		 why[256];	/* its reason */
} dev_auth_info;

/* What the app does when a push or pull stops on a 401. */
typedef enum dev_auth_policy {
	DEV_AUTH_ABORT,		/* show it and wait (the SDK's default) */
	DEV_AUTH_REFRESH,	/* GET /.auth/refresh, then retry */
	DEV_AUTH_SIGNIN		/* sign in again, then retry */
} dev_auth_policy;

typedef struct dev_auth_cfg {
	dev_auth_policy	 on401;
	auth_prov	 prov;		/* for signing in again */
	const char	*user;
	int		 server_flow;
} dev_auth_cfg;

const char *dev_auth_policy_name(dev_auth_policy p);
/* The signed-in state (all zero when never signed in).  Returns 0. */
int dev_auth_get(dev *d, dev_auth_info *out);
/* Stores a user signed in before the run.  0, or -1 (store error). */
int dev_auth_store(dev *d, const char *provider, const char *user,
    const char *sid, const char *token);
/* 1 when the last table request got 401; why (may be NULL) gets the
** reason. */
int dev_auth_blocked(dev *d, char *why, size_t n);
/*
** 1 when the operation of sequence seq, on a JavaScript device, waits
** behind an earlier operation at which every push stops (push() rejects
** on any failure that is not a conflict, and synclab keeps that error in
** __errors: the first error row queued before seq that is not a 409/412),
** with the reason in why (n bytes, always terminated); 0 otherwise.
*/
int dev_push_blocked(dev *d, int64_t seq, char *why, size_t n);
/*
** The flows, each over the device's link with its requests in the trace;
** 0 on success, -1 with err (offline, a refusal).  signin: the
** client-directed flow (the provider SDK's token posted to
** /.auth/login/<p>) or the server-directed one (the .NET client's web
** view with PKCE).  refresh: GET /.auth/refresh.  signout: forgets the
** user on the device (and with everywhere also GET /.auth/logout); the
** queue is untouched.  tamper: rewrites the token's sub to as_user's sid
** keeping the signature.  steal: copies another device's token.
*/
int dev_auth_signin(dev *d, const auth *a, auth_prov p, const char *user,
    int server_flow, sb *err);
int dev_auth_refresh(dev *d, sb *err);
int dev_auth_signout(dev *d, int everywhere, sb *err);
int dev_auth_tamper(dev *d, const auth *a, const char *as_user, sb *err);
int dev_auth_steal(dev *d, dev *from, sb *err);
/* After a push or pull that stopped: when it stopped on a 401, applies
** c's policy and returns 1 when the caller should try again (0 otherwise;
** a failed refresh or sign-in leaves err set). */
int dev_auth_on401(dev *d, const auth *a, const dev_auth_cfg *c, sb *err);

#endif
