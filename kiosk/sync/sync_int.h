/* sync_int.h — what the sync thread shares with the requests it makes besides check-ins and
 * the directory (feedback.c, community_fetch.c). Internal to kiosk/sync; sync thread only. */
#ifndef KIOSK_SYNC_INT_H
#define KIOSK_SYNC_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto/buf.h"
#include "sync.h"

#define SYNC_BODY_CAP (1024 * 1024) /* bytes of a response we are willing to read */

/* A response: its body in proto's capped buffer (at most SYNC_BODY_CAP bytes; body.toobig
 * when hubd sent more and the transfer was cut), and the ETag it came with. sync_request
 * starts both afresh for every request. */
struct sync_resp {
    struct buf body;
    char etag[128];
};

/* One request to hubd at path (a POST of body when not NULL; If-None-Match etag when set),
 * with the sync's token, timeouts and reachability bookkeeping. Returns the HTTP status (the
 * body in r; the caller frees it with buf_free(&r->body)), or -1 when hubd gave no answer. */
long sync_request(struct sync *s, const char *path, const char *body, const char *etag,
                  struct sync_resp *r);

/* As sync_request, but an error status hubd answers with is not the staff's last error (an
 * optional request: the kiosk's report of what it holds). */
long sync_request_quiet(struct sync *s, const char *path, const char *body, struct sync_resp *r);

/* What the kiosk last reported to hubd of what it holds (POST /kiosks/status); sync thread
 * only. */
struct kiosk_report {
    int pending, set_aside; /* as last sent (heard or not); -1 before the first */
    int64_t next_ms;        /* monotonic: the next report due even if nothing changed */
    bool unknown_logged;    /* a hubd without the endpoint was noted once */
    bool unknown;           /* and it answered 404 last time: ask again after an hour */
};

/* Starts r: nothing reported yet, the first report due at once. */
void kiosk_report_init(struct kiosk_report *r);
/* Reports pending and set_aside (POST /api/v1/kiosks/status) when they differ from the last
 * report while hubd is online, or when every_ms has passed since the last one. now:
 * monotonic ms. Returns the monotonic time the next report is due. */
int64_t kiosk_report_maybe(struct sync *s, struct kiosk_report *r, int pending, int set_aside,
                           bool online, int64_t now, int every_ms);

#endif
