/* sync_state.h — the sync's state, shared by the thread (sync.c) and its requests to hubd
 * (request.c). Internal to kiosk/sync: nothing else includes it. */
#ifndef KIOSK_SYNC_STATE_H
#define KIOSK_SYNC_STATE_H

#include <curl/curl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "community_fetch.h"
#include "listen.h"
#include "sync_int.h"

#define RECENT 128 /* acknowledgements remembered for sync_poll_result */

/* hubd's answer to a recent check-in, so the UI thread can ask without the store's lock. */
struct recent {
    char id[STORE_ID_LEN];
    struct ticket t;
};

struct sync {
    struct sync_config cfg;
    char server[512], auth[600];
    pthread_t th;
    pthread_mutex_t mu;
    pthread_cond_t cv;     /* wakes the thread */
    pthread_cond_t acked;  /* broadcast after each batch */
    bool stop, woken, now; /* now: send at once, whatever the backoff */
    bool backing_off;      /* the last send failed: nothing will be answered for a while */
    bool online;           /* hubd answered the last request (any HTTP status) */
    int64_t last_contact;  /* wall ms of hubd's last answer */
    char last_error[160];
    struct sync_status store_seen; /* counts and health, as the sync thread last read them */
    _Atomic bool quitting;         /* aborts a transfer in flight at sync_stop */
    struct hub_dir *fresh;         /* a parsed directory the UI has not taken yet */
    struct recent recent[RECENT];  /* a ring, newest at recent_at - 1 */
    int recent_at;
    char etag[128];
    CURL *curl;
    struct community_cache *comm; /* the hub's public figures for the welcome screen */
    struct listen *ear;           /* the live stream (NULL: polling only) */
    bool listening;               /* it is open: the directory is fetched when it says so */
    bool dir_due;                 /* it said so (or opened, or closed): fetch now */
    struct kiosk_report report;   /* what the kiosk last told hubd it holds */
};

/* The wall clock in ms. */
int64_t sync_wall_ms(void);

#endif
