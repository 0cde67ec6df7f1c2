/*
** srv_push.h: the backend's push routes, as the Mobile Apps server SDK
** (azure-mobile-apps for Node, src/express/middleware/notifications.js)
** answers them:
**
**   PUT    /push/installations/{id}  {pushChannel, platform, templates}
**   DELETE /push/installations/{id}
**
** Both answer 204 No Content, and 400 with the reason when the hub refuses.
** The server never trusts the tags a client sends: it drops them, keeps
** the tags the installation already had except the hub's own ($...),
** and for a signed-in caller replaces any _UserId: tag with
** _UserId:<sid>.  Then it creates or overwrites the installation on the
** hub (hub.h).  Any other method on the route gets 404, as Express
** answers a route it has no handler for.
*/
#ifndef srv_push_h
#define srv_push_h

#include <stdint.h>
#include "sim/http.h"
#include "sim/hub.h"

/* The route's prefix; srv_handle() sends every path under it here. */
#define SRV_PUSH_ROOT	"/push/installations"

/*
** Answers one request under SRV_PUSH_ROOT.  h is the app's hub (NULL: the
** app has no hub, 404).  sid is the caller's App Service user id
** ("sid:..."), or NULL or "" for an anonymous caller: the sign-in code
** passes it when it has validated X-ZUMO-AUTH.  now is epoch ms.  resp is
** filled (its old contents freed); never fails otherwise.
*/
void srv_push_handle(hub *h, const http_req *req, const char *sid,
    int64_t now, http_resp *resp);

#endif
