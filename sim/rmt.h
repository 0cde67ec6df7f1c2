/*
** rmt.h: a real server as the app behind synclab's App Service.
**
** With a link (sim_opts.backend) the run keeps App Service itself
** simulated (App Service Authentication, the plan, the hub: srv_front,
** cloud.h) and sends what the app answers (srv_app's part: the /tables
** requests) to a real Mobile Apps server instead.  Its own srv stays as a
** mirror of the real tables: the tables a request wrote are marked, and
** rmt_flush copies their rows, soft-deleted ones included, from the real
** server (requests the trace does not show), so the checker, the
** expectations and the store inspector read the real server's state
** unchanged.  The transport is the caller's (net/hcl for `synclab run
** --backend URL`); sim/ opens no socket.
*/
#ifndef rmt_h
#define rmt_h

#include <cjson/cJSON.h>
#include "lib/sb.h"
#include "sim/http.h"
#include "sim/srv.h"

typedef struct rmt_link {
	/* Sends req to the real server.  Returns 0 with resp filled (the
	** caller frees it), or -1 with a message in err when the server
	** cannot be reached: that ends the run, it is no network fault of
	** the scenario. */
	int		(*send)(void *ud, const http_req *req, http_resp *resp,
			    sb *err);
	void		*ud;
	const char	*url;		/* for messages */
} rmt_link;

/*
** The callers the app needs where synclab sends requests of its own (the
** seed rows, the mirror's reads), for an app behind App Service
** Authentication: seed gives the X-ZUMO-AUTH of a seed row of table (a
** new string the caller frees, or NULL for none); readers the values
** under which the mirror reads table (NULL-terminated, lent; NULL for one
** read without).  With several, the rows of each read are merged by id,
** for a per-user table that shows each caller only their own rows.
** rmt_auth may be NULL everywhere: no callers.
*/
typedef struct rmt_auth {
	char		*(*seed)(void *ud, const char *table,
			    const cJSON *row);
	const char *const *(*readers)(void *ud, const char *table);
	void		*ud;
} rmt_auth;

/* Sends req over l.  When it is a write (not a GET) to /tables/NAME[/...]
** and NAME is the table at index k of mirror (srv_table_at), sets
** dirty[k] (dirty holds srv_ntables(mirror) flags, the caller's).
** Returns 0 with resp filled, or -1 with err (resp then empty). */
int rmt_send(const rmt_link *l, srv *mirror, const http_req *req,
    http_resp *resp, unsigned char *dirty, sb *err);
/* Copies every table whose dirty flag is set from the real server into
** mirror (rmt_refresh) and clears its flag.  0, or -1 with err. */
int rmt_flush(const rmt_link *l, const rmt_auth *ra, srv *mirror,
    unsigned char *dirty, sb *err);
/* Inserts the seed rows ({"table": [row, ...]}, may be NULL) with one POST
** each, which must answer 201, then mirrors every table.  0, or -1 with
** err (the real tables are missing, not empty, or reject a row). */
int rmt_seed(const rmt_link *l, const rmt_auth *ra, srv *mirror,
    const cJSON *rows, sb *err);
/* Replaces mirror's rows of table by the real server's: GET with
** __includeDeleted, 1000 rows a page, ordered by id.  0, or -1 with err. */
int rmt_refresh(const rmt_link *l, const rmt_auth *ra, srv *mirror,
    const char *table, sb *err);

#endif
