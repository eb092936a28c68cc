/* sync.h — the kiosk's sync thread: drains the local store to hubd in batches (libcurl, backoff
 * with full jitter) and keeps the directory fresh (GET /directory with If-None-Match). Never
 * runs on the UI thread; hands new directories over through a mutex and a flag. */
#ifndef KIOSK_SYNC_H
#define KIOSK_SYNC_H

#include <stddef.h>

#include "backend.h"
#include "directory.h"
#include "store.h"

struct sync_config {
    const char *server; /* e.g. "http://127.0.0.1:8080" (copied) */
    const char *token;  /* kiosk bearer token (copied) */
    struct store *store;
    int batch_max;       /* check-ins a POST; 0 = 100 */
    int backoff_base_ms; /* 0 = 1000 */
    int backoff_cap_ms;  /* 0 = 300000 */
    int dir_every_ms;    /* 0 = 5000; < 0 = never fetch the directory */
    /* Called on the sync thread when a new directory is ready for sync_take_dir (e.g. to
     * SDL_PushEvent a user event). May be NULL. */
    void (*on_dir)(void *ctx);
    void *ctx;
};

struct sync;

/* Starts the thread. NULL when it cannot (out of memory, no thread). */
struct sync *sync_start(const struct sync_config *cfg);
/* Stops and joins the thread, frees everything (a directory not taken too). NULL is fine. */
void sync_stop(struct sync *s);

/* Wakes the thread now (a check-in was queued). */
void sync_wake(struct sync *s);
/* Waits up to timeout_ms for hubd's answer to id. 1 and *t when acknowledged, else 0. Does
 * not wait while hubd is unreachable (its last request got no HTTP answer). */
int sync_wait_result(struct sync *s, const char *id, int timeout_ms, struct ticket *t);
/* The newest directory, if one arrived since the last call (caller owns it; dir_free), or
 * NULL. For the UI thread. */
struct hub_dir *sync_take_dir(struct sync *s);

/* Parses json as a directory and, only if it parses, replaces *slot (freeing the old one).
 * 0 when replaced, -1 (reason in err, *slot untouched) when not. */
int sync_dir_offer(struct hub_dir **slot, const char *json, size_t len, char *err, size_t errcap);

#endif
