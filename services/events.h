/* events.h — the live board's notifier, in process: a change is published for its hub once
 * it is committed, and every subscriber of that hub (a GET /events stream) gets it as one
 * Server-Sent Events message in a bounded queue of its own. A publisher never waits on a
 * subscriber: one that falls behind is dropped. Recent messages are kept for Last-Event-ID. */
#ifndef HUBD_EVENTS_H
#define HUBD_EVENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define EVENTS_QUEUE_MAX    (64 * 1024) /* bytes waiting for one subscriber; past it, dropped */
#define EVENTS_REPLAY       512         /* recent messages kept (all hubs) for Last-Event-ID */
#define EVENTS_HEARTBEAT_MS 5000        /* a comment line to every quiet stream this often */
#define EVENTS_STREAMS_MAX  256         /* default cap on streams open at once in a process */
#define EVENTS_DATA_MAX     1024        /* bytes of one message's JSON data */

enum events_err {
    EVENTS_EFULL = -1,  /* the cap on streams is reached */
    EVENTS_ENOMEM = -2, /* out of memory */
};

struct events;
struct events_sub;

/* What a subscriber's owner does when its queue changes. Each is called with the notifier's
 * lock held: it must not block nor call back into the notifier. */
struct events_sub_ops {
    void (*park)(void *ctx); /* nothing waits: the reader stops asking (its connection sleeps) */
    void (*wake)(void *ctx); /* a parked subscriber has something (or was dropped/ended) */
    void (*drop)(void *ctx); /* it fell behind: close its connection now */
    bool (*gone)(void *ctx); /* asked each second while parked: has the client gone away? */
};

/* Delivers a published change somewhere else first (another process's notifier, through the
 * database): when set, events_publish hands every change to it instead of delivering it. */
typedef void (*events_relay_fn)(void *ctx, const char *hub, const char *kind, const char *data);

/* A notifier allowing max_streams subscribers at once, with its heartbeat thread. NULL on
 * failure. events_free joins the thread; every subscriber must be gone by then. */
struct events *events_new(unsigned max_streams);
void events_free(struct events *ev);

/* Sets (or clears, fn NULL) the relay. Call before any publish. */
void events_set_relay(struct events *ev, events_relay_fn fn, void *ctx);

/* A change of hub: kind ("checkin", "handover", ...: [a-z_]) and data, one JSON object with
 * no CR or LF (else, or over EVENTS_DATA_MAX, it is not sent). Through the relay when there is one,
 * else delivered at once. Never blocks beyond the notifier's short lock. */
void events_publish(struct events *ev, const char *hub, const char *kind, const char *data);
/* Delivers to this process's subscribers of hub (what the relay calls back with). */
void events_deliver(struct events *ev, const char *hub, const char *kind, const char *data);
/* Tells every subscriber to reload what it shows (an event "resync"): changes may have been
 * missed (the relay lost its database connection). */
void events_resync_all(struct events *ev);

/* Subscribes to hub. last_id (may be NULL) is the Last-Event-ID a client resumes from: the
 * messages after it are queued first when still kept, else a "resync" message. Returns the
 * subscriber, or NULL with *err an events_err. Its first bytes are a retry hint and a
 * comment, so a client sees the stream open at once. */
struct events_sub *events_subscribe(struct events *ev, const char *hub, const char *last_id,
                                    const struct events_sub_ops *ops, void *ctx, int *err);
/* As events_subscribe, but the subscriber hears changes of one kind only (only: a kind such
 * as "worker"; NULL = every kind), live and replayed; of a change that moves a line of
 * residents (checkin, handover, reassign, left) it gets only the bare mark "waiting" with
 * data {} and the change's id; the opening, heartbeats and "resync" still come. NULL with
 * *err EVENTS_ENOMEM for a kind that is not one. */
struct events_sub *events_subscribe_only(struct events *ev, const char *hub, const char *only,
                                         const char *last_id, const struct events_sub_ops *ops,
                                         void *ctx, int *err);
/* Removes sub and frees it (after its connection is done). */
void events_unsubscribe(struct events_sub *sub);

/* Copies up to max waiting bytes into buf: returns how many; 0 when nothing waits (park was
 * called: the next message calls wake); -1 when the stream is over (dropped, or ended by
 * events_end_all). */
ssize_t events_sub_read(struct events_sub *sub, char *buf, size_t max);

/* Ends every stream (each reads -1 next; parked ones are woken): before the server stops. */
void events_end_all(struct events *ev);

/* Streams open now. */
unsigned events_streams(struct events *ev);

#endif
