/* sync.h — the kiosk's sync thread: drains the local store to hubd in batches (libcurl, backoff
 * with full jitter), keeps the directory fresh (GET /directory with If-None-Match, fetched
 * when hubd's live stream GET /events says a worker changed, polled while the stream is
 * down), and tells hubd what it holds (POST /kiosks/status). Never runs on the UI thread;
 * hands new directories over through a mutex and a flag. */
#ifndef KIOSK_SYNC_H
#define KIOSK_SYNC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "backend.h"
#include "community_line.h"
#include "directory.h"
#include "store.h"

struct sync_config {
    const char *server; /* e.g. "http://127.0.0.1:8080" (copied) */
    const char *token;  /* kiosk bearer token (copied) */
    struct store *store;
    int batch_max;          /* check-ins a POST; 0 = 100 */
    int backoff_base_ms;    /* 0 = 1000 */
    int backoff_cap_ms;     /* 0 = 300000 */
    int dir_every_ms;       /* the poll while the live stream is down or refused: 0 = 5000;
                             * < 0 = never fetch the directory (nor listen) */
    int dir_listening_ms;   /* the refresh while the stream is open (its `waiting` marks
                             * bring the rest): 0 = 30000 */
    int listen_retry_ms;    /* the stream's reconnect back-off base (full jitter, cap 64 times
                             * it, at most 60 s): 0 = 1000; < 0 = never listen, poll only */
    int status_every_ms;    /* POST /kiosks/status at least this often, and whenever the
                             * counts change: 0 = 60000; < 0 = never */
    int community_every_ms; /* public figures: 0 = 10 min (never when the directory
                             * is never fetched); < 0 = never */
    int connect_timeout_ms; /* 0 = 5000 */
    int request_timeout_ms; /* whole request; 0 = 20000 */
    int stall_s;            /* abort a transfer under 64 bytes/s for this long; 0 = 10 */
    /* Called on the sync thread when a new directory is ready for sync_take_dir, and after
     * hubd settled check-ins (e.g. to SDL_PushEvent a user event that wakes the UI). May be
     * NULL. */
    void (*on_news)(void *ctx);
    void *ctx;
};

/* What staff see of the sync (sync_get_status). */
struct sync_status {
    bool online;             /* hubd answered the last request (any HTTP status) */
    bool listening;          /* hubd's live stream is open: a worker's change comes at once */
    int64_t last_contact_ms; /* wall clock of hubd's last answer; 0 = none since start */
    int pending;             /* check-ins not yet acknowledged (-1: store unreadable) */
    int set_aside;           /* check-ins hubd refused, kept and never resent */
    char last_error[160];    /* the last failure, "" when the last request worked */
    bool store_durable;      /* check-ins are on disk (else in memory only: see store_why) */
    char store_why[200];
};

struct sync;

/* Starts the thread. NULL when it cannot (out of memory, no thread). */
struct sync *sync_start(const struct sync_config *cfg);
/* Stops and joins the thread, frees everything (a directory not taken too). NULL is fine. */
void sync_stop(struct sync *s);

/* Wakes the thread now (a check-in was queued): it sends soon, within the backoff's base. */
void sync_wake(struct sync *s);
/* Staff asked: send at once, forgetting the backoff. */
void sync_wake_now(struct sync *s);
/* Never waits: 1 and *t when hubd has acknowledged id; 0 while its answer may still come;
 * -1 when it will not come soon: hubd is unreachable (its last request got no HTTP answer) or
 * the last send failed (an error status or an unusable answer) and the sync is backing off. */
int sync_poll_result(struct sync *s, const char *id, struct ticket *t);
/* Waits up to timeout_ms for hubd's answer to id: 1 and *t when acknowledged, else 0. Returns
 * at once while hubd is unreachable. Not for the UI thread. */
int sync_wait_result(struct sync *s, const char *id, int timeout_ms, struct ticket *t);
/* The state staff see: reachability, last contact, and the store's counts and health as the
 * sync thread last read them (after each send and wake-up). Any thread; never waits on the
 * store. */
void sync_get_status(struct sync *s, struct sync_status *out);
/* The newest directory, if one arrived since the last call (caller owns it; dir_free), or
 * NULL. For the UI thread. */
struct hub_dir *sync_take_dir(struct sync *s);

/* The hub's public figures for the welcome screen's line, if they changed since the last call
 * (on_news said so): true and *out. For the UI thread; never waits on the network. */
bool sync_take_community(struct sync *s, struct community_figs *out);

/* Parses json as a directory and, only if it parses, replaces *slot (freeing the old one).
 * 0 when replaced, -1 (reason in err, *slot untouched) when not. */
int sync_dir_offer(struct hub_dir **slot, const char *json, size_t len, char *err, size_t errcap);

#endif
