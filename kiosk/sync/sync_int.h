/* sync_int.h — what the sync thread shares with the requests it makes besides check-ins and
 * the directory (feedback.c, community_fetch.c). Internal to kiosk/sync; sync thread only. */
#ifndef KIOSK_SYNC_INT_H
#define KIOSK_SYNC_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "sync.h"

/* A response body (capped), and the ETag it came with. */
struct buf {
    char *p;
    size_t n;
    bool toobig;
    char etag[128];
};

/* One request to hubd at path (a POST of body when not NULL; If-None-Match etag when set),
 * with the sync's token, timeouts and reachability bookkeeping. Returns the HTTP status (the
 * body in b; the caller frees b->p), or -1 when hubd gave no answer. */
long sync_request(struct sync *s, const char *path, const char *body, const char *etag,
                  struct buf *b);

#endif
