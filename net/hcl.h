/*
** hcl.h: a small HTTP/1.1 client, the other end of `synclab serve`.
**
** `synclab run --backend URL` sends the devices' requests to a real server
** with it: one connection per request ("Connection: close"), the request
** written whole, the response read to the end (Content-Length, chunked, or
** until the server closes).  Plain http:// only; there is no TLS.
*/
#ifndef hcl_h
#define hcl_h

#include <stddef.h>
#include "lib/sb.h"
#include "sim/http.h"

typedef struct hcl hcl;

/* Parses "http://HOST[:PORT][/PREFIX]" (PORT defaults to 80; PREFIX is put
** before every request path).  Returns a client the caller closes, or NULL
** with err's text (err may be NULL) replaced by why (not http://, no host,
** a bad port).  Nothing is connected yet. */
hcl *hcl_open(const char *url, sb *err);
void hcl_close(hcl *c);
/* The URL as given.  Borrowed. */
const char *hcl_url(const hcl *c);

/*
** Sends req (its path percent-encoded after PREFIX, its query as is, its
** headers and body, plus Host, Content-Length and Connection: close) and
** reads the whole response into resp (initialised here; the caller frees
** it).  Waits at most timeout_ms for each read or write.  Returns 0, or -1
** with err's text (err may be NULL) replaced by why (cannot connect, timed
** out, not an HTTP response); resp is then empty.
*/
int hcl_send(hcl *c, const http_req *req, http_resp *resp, int timeout_ms,
    sb *err);

#endif
