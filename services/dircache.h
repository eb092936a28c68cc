/* dircache.h — GET /directory served from a cached serialised body with a strong ETag;
 * rebuilt from the store whenever a worker or a waiting count changes. */
#ifndef HUBD_DIRCACHE_H
#define HUBD_DIRCACHE_H

#include "store.h"

#include <microhttpd.h>

struct dircache;

/* An empty cache; dircache_rebuild() fills it. NULL on allocation failure. */
struct dircache *dircache_new(void);
void dircache_free(struct dircache *c);

/* Reloads the directory from store and replaces the cached responses. In-flight replies
 * keep the old ones alive. Returns 0, or -1 (the old body stays) on failure. */
int dircache_rebuild(struct dircache *c, struct store *store);

/* Rebuilds when the store's version (store_outcome_ops.version: any arrival, introduction,
 * reassignment, leaving, status or desk change) moved since the last build, so each
 * worker's `waiting` and the ETag follow the queue. 0 when current or rebuilt, -1 when the
 * store failed (the cached body, if any, is still served). */
int dircache_refresh(struct dircache *c, struct store *store);

/* Queues 304 when if_none_match (may be NULL) matches the current ETag, else 200 with the
 * body (HEAD gets headers only; libmicrohttpd drops the body). */
enum MHD_Result dircache_reply(struct dircache *c, struct MHD_Connection *conn,
                               const char *if_none_match);

/* True when an If-None-Match value (a list of entity tags, possibly W/-prefixed, or "*")
 * matches etag (which includes its quotes) by weak comparison (RFC 9110 13.1.2). */
bool etag_matches(const char *if_none_match, const char *etag);

#endif
