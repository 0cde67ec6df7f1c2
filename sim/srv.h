/*
** srv.h: the simulated Azure Mobile Apps backend.
**
** Tables live in a real SQLite database with the system columns id,
** createdAt, updatedAt, version and deleted, and requests are answered as
** azure-mobile-apps 4.0.2 for Node (sqlite provider) answers them; see
** docs/server-compat.md for where synclab deliberately differs (it answers
** 400 where the reference has a defect).
**
** srv_handle() is the one request handler: a function of the database, the
** request, the time and one number of entropy.  It keeps no other state, so
** an engine snapshot of the database is a snapshot of the server.
*/
#ifndef srv_h
#define srv_h

#include <stddef.h>
#include <stdint.h>
#include <sqlite3.h>
#include <cjson/cJSON.h>
#include "lib/sb.h"
#include "sim/auth.h"
#include "sim/http.h"
#include "sim/hub.h"
#include "sim/tbl.h"

/* The names tbl.h's types had when the backend owned them, for callers
** not moved yet. */
typedef tbl_type srv_type;
typedef tbl_col srv_col;
typedef tbl_def srv_table_def;
#define SRV_STRING	TBL_STRING
#define SRV_NUMBER	TBL_NUMBER
#define SRV_BOOL	TBL_BOOL
#define SRV_DATE	TBL_DATE

typedef struct srv srv;

/* Opens a backend on db_path, or in memory when db_path is NULL.  Returns
** NULL with a message in err on failure.  The caller owns the result. */
srv *srv_open(const char *db_path, sb *err);
void srv_close(srv *s);
/* Lends the backend the app's notification hub (NULL: none) for the
** routes under /push/installations (srv_push.h).  The caller keeps it
** alive while it is attached and attaches its replacement after a
** snapshot is restored. */
void srv_attach_hub(srv *s, hub *h);

/* Creates the table (if the database lacks it) and remembers the
** definition (copied).  Returns 0, or -1 with a message in err. */
int srv_define(srv *s, const tbl_def *def, sb *err);
/* The remembered definition of a table, or NULL.  Borrowed. */
const tbl_def *srv_table(const srv *s, const char *name);
size_t srv_ntables(const srv *s);
const tbl_def *srv_table_at(const srv *s, size_t i);

/* Inserts a seed row (as an insert would, at time now_ms) bypassing HTTP.
** row must have an "id".  Returns 0, or -1 with a message in err. */
int srv_seed(srv *s, const char *table, const cJSON *row, int64_t now_ms,
    sb *err);

/*
** Answers one request.  now_ms is the server clock (milliseconds since
** the Unix epoch) used for createdAt/updatedAt; entropy makes the id of an
** insert without one (a uuid v4).  resp must be freshly initialised or
** freed; the handler fills it (status, headers, JSON body) and never fails:
** errors are HTTP statuses.  All SQL uses bound parameters.
*/
void srv_handle(srv *s, const http_req *req, int64_t now_ms, uint64_t entropy,
    http_resp *resp);
/*
** srv_handle in its two parts, for a run whose app is a real server
** (sim/rmt.h).  srv_front is App Service in front of the app: /.auth/...
** and the identity providers' pages, the X-ZUMO-AUTH check and the 401s
** of App Service Authentication (auth_front), and with a hub the push
** installation routes.  It returns 1 when it answered resp, or 0 when the
** request is the app's: srv_caller then names the caller until the next
** srv_front.  srv_app is the Mobile Apps server itself (the API version,
** the tables, the per-user rows): what a real server answers instead.
** Same contract as srv_handle otherwise.
*/
int srv_front(srv *s, const http_req *req, int64_t now_ms, uint64_t entropy,
    http_resp *resp);
void srv_app(srv *s, const http_req *req, int64_t now_ms, uint64_t entropy,
    http_resp *resp);

/*
** Puts App Service Authentication (auth.h) in front of the tables, or
** takes it away (a NULL).  a is borrowed and must outlive its use; the
** token store table is created in the database.  0, or -1 with err.
*/
int srv_set_auth(srv *s, const auth *a, sb *err);
const auth *srv_auth(const srv *s);
/* The caller of the request being answered (anonymous outside
** srv_handle, or without authentication): the identity a handler of a
** signed-in caller uses, as the installations' _UserId:<sid> tag. */
const auth_who *srv_caller(const srv *s);

/* Reads a row as the API shows it (version base64, booleans as JSON
** booleans), soft-deleted or not; NULL when absent.  Caller owns it. */
cJSON *srv_get_row(srv *s, const char *table, const char *id);
/* The database, for snapshots, --store and the store inspector. */
sqlite3 *srv_db(srv *s);

/* The wall clock (CLOCK_REALTIME) in ms since the epoch: the "now" of a
** live server and of its log lines. */
int64_t srv_now_ms(void);

#endif
