/*
** rmt.h: a real backend in place of the simulated one.
**
** With a link (sim_opts.backend), the engine sends every device request to
** a real server instead of srv_handle, and keeps its own srv as a mirror:
** after each exchange that touched a table it copies that table's rows,
** soft-deleted ones included, from the real server (requests the trace
** does not show), so the checker, the expectations and the store inspector
** read the real server's state unchanged.  The transport is the caller's
** (net/hcl for `synclab run --backend URL`); sim/ opens no socket.
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

/* Sends req over l; when its path is /tables/NAME[/...] and NAME is a
** table of mirror, copies NAME's rows into mirror afterwards.  Returns 0
** with resp filled, or -1 with err (resp then empty). */
int rmt_exchange(const rmt_link *l, srv *mirror, const http_req *req,
    http_resp *resp, sb *err);
/* Inserts the seed rows ({"table": [row, ...]}, may be NULL) with one POST
** each, which must answer 201, then mirrors every table.  0, or -1 with
** err (the real tables are missing, not empty, or reject a row). */
int rmt_seed(const rmt_link *l, srv *mirror, const cJSON *rows, sb *err);
/* Replaces mirror's rows of table by the real server's: GET with
** __includeDeleted, 1000 rows a page, ordered by id.  0, or -1 with err. */
int rmt_refresh(const rmt_link *l, srv *mirror, const char *table, sb *err);

#endif
