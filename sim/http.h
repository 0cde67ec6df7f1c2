/*
** http.h: HTTP requests and responses as plain data.
**
** The simulated backend is one pure function from an http_req to an
** http_resp (srv_handle), shared by the in-process simulation and by
** `synclab serve`.  Messages own all their strings.
*/
#ifndef http_h
#define http_h

#include <stddef.h>

typedef struct http_header {
	char	*name;
	char	*value;
} http_header;

typedef struct http_req {
	char		 method[16];	/* "GET", "POST", "PATCH", "DELETE", ... */
	char		*path;		/* "/tables/todoitem/7", no query, percent-decoded */
	char		*query;		/* raw query string after '?', or NULL */
	http_header	*hdrs;
	size_t		 nhdrs;
	char		*body;		/* NUL-terminated, or NULL for none */
	size_t		 body_len;
} http_req;

typedef struct http_resp {
	int		 status;
	http_header	*hdrs;
	size_t		 nhdrs;
	char		*body;		/* NUL-terminated JSON, or NULL */
} http_resp;

/* Sets method and path (copied); query may be NULL.  Fields start empty. */
void http_req_init(http_req *r, const char *method, const char *path,
    const char *query);
/* Appends a header (name and value copied). */
void http_req_add_header(http_req *r, const char *name, const char *value);
/* Replaces the body with a copy of body (NULL clears it). */
void http_req_set_body(http_req *r, const char *body);
/* Case-insensitive header lookup; NULL when absent.  Borrowed. */
const char *http_req_header(const http_req *r, const char *name);
/* Deep copy into dst (which is overwritten). */
void http_req_copy(http_req *dst, const http_req *src);
void http_req_free(http_req *r);

void http_resp_init(http_resp *r, int status);
void http_resp_add_header(http_resp *r, const char *name, const char *value);
void http_resp_set_body(http_resp *r, const char *body);
const char *http_resp_header(const http_resp *r, const char *name);
void http_resp_copy(http_resp *dst, const http_resp *src);
void http_resp_free(http_resp *r);

/* "Precondition Failed" for 412; "Unknown" for codes it does not know. */
const char *http_reason(int status);

/* Decodes the value of name in a query string ("a=1&b=x%20y") into a new
** string the caller frees; NULL when absent.  '+' decodes to a space.
** *present is set to 1 when the name appears at all, even without '='. */
char *http_query_get(const char *query, const char *name, int *present);
/* Percent-decodes s into a new string (caller frees). */
char *http_unescape(const char *s);
/* Percent-encodes s for a query value into a new string (caller frees). */
char *http_escape(const char *s);

#endif
