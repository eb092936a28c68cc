/* jsondoc.h — a JSON document built once at start and served whole with a strong ETag and
 * 304 on If-None-Match (GET /taxonomy, GET /openapi.json). */
#ifndef HUBD_JSONDOC_H
#define HUBD_JSONDOC_H

#include <microhttpd.h>

struct jsondoc;

/* Takes ownership of json (NUL-terminated, from malloc) and makes its 200 and 304 answers,
 * the ETag being a SHA-256 of the bytes. NULL on allocation failure (json is freed then). */
struct jsondoc *jsondoc_new(char *json);
void jsondoc_free(struct jsondoc *d);

/* Queues 304 when the request's If-None-Match matches the ETag, else 200 with the body.
 * MHD_NO when d is NULL or the answer could not be queued. */
enum MHD_Result jsondoc_reply(const struct jsondoc *d, struct MHD_Connection *conn);

#endif
