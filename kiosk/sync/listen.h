/* listen.h — the kiosk's ear on hubd's live board: one GET /api/v1/events stream (libcurl, a
 * thread of its own) that says when the directory should be fetched again. A kiosk's stream
 * carries only `worker` changes; the directory itself still comes from GET /directory. Internal
 * to kiosk/sync. */
#ifndef KIOSK_SYNC_LISTEN_H
#define KIOSK_SYNC_LISTEN_H

#include <stdbool.h>

enum listen_news {
    LISTEN_UP,     /* the stream is open: changes may have been missed before it */
    LISTEN_CHANGE, /* a worker's status or desk changed (or hubd said to reload) */
    LISTEN_DOWN,   /* the stream failed or hubd refused it: poll until it is back */
};

struct listen_config {
    const char *url;        /* the stream's whole URL (copied) */
    const char *auth;       /* the "Authorization: Bearer ..." header line (copied) */
    int retry_base_ms;      /* reconnect back-off with full jitter: base ... */
    int retry_cap_ms;       /* ... and cap */
    int connect_timeout_ms; /* of each attempt */
    int quiet_s;            /* a stream silent this long is dead (hubd sends a comment every 5 s) */
    /* Called on the listener's thread; must not block for long. */
    void (*on_news)(void *ctx, enum listen_news news);
    void *ctx;
};

struct listen;

/* Starts the listener's thread. NULL when it cannot (out of memory, no thread, no curl). */
struct listen *listen_start(const struct listen_config *cfg);
/* Ends the stream at once (a transfer in flight too), joins the thread, frees l. NULL is
 * fine. */
void listen_stop(struct listen *l);

#endif
