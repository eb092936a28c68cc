/* events.c — the in-process notifier of the live board (see events.h): subscribers per hub,
 * a bounded byte queue each, a ring of recent messages for Last-Event-ID, a heartbeat. */
#include "events.h"
#include "clock.h"

#include "proto/valid.h"

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MSG_MAX (EVENTS_DATA_MAX + 128) /* id, event and data lines of one message */

static const char OPENING[] = "retry: 3000\n: the hub's live board\n\n";
static const char HEARTBEAT[] = ": keep-alive\n\n";
static const char RESYNC[] = "event: resync\ndata: {}\n\n";

#define KIND_MAX 32 /* bytes of a kind, with its NUL */

struct msg {
    char hub[IDENT_MAX + 1];
    char kind[KIND_MAX];
    uint64_t seq;
    char *text; /* NULL: a free slot */
    size_t len;
};

struct events_sub {
    struct events *ev;
    struct events_sub *prev, *next;
    char hub[IDENT_MAX + 1];
    char only[KIND_MAX]; /* the one kind of change it hears ("" = every kind) */
    const struct events_sub_ops *ops;
    void *ctx;
    char *buf; /* queued bytes [off, len) */
    size_t len, off, cap;
    bool parked; /* its reader was told nothing waits */
    bool over;   /* dropped or ended: reads -1 */
    int64_t last_ms;
};

struct events {
    pthread_mutex_t lock;
    pthread_cond_t tick;
    pthread_t ticker;
    bool stop;
    struct events_sub *subs;
    unsigned n, max;
    int64_t epoch; /* this process's start: ids of another process (or run) are not ours */
    uint64_t seq;  /* of the last message */
    struct msg ring[EVENTS_REPLAY];
    events_relay_fn relay;
    void *relay_ctx;
};

static void wake(struct events_sub *s)
{
    if (s->parked) {
        s->parked = false;
        s->ops->wake(s->ctx);
    }
}

/* Queues len bytes for s, or drops s when they do not fit. Under the lock. */
static void push(struct events_sub *s, const char *text, size_t len)
{
    if (s->over)
        return;
    size_t waiting = s->len - s->off;
    if (waiting + len > EVENTS_QUEUE_MAX) {
        s->over = true;
        free(s->buf);
        s->buf = NULL;
        s->len = s->off = s->cap = 0;
        s->ops->drop(s->ctx);
        wake(s);
        return;
    }
    if (s->off > 0) {
        memmove(s->buf, s->buf + s->off, waiting);
        s->len = waiting;
        s->off = 0;
    }
    if (s->len + len > s->cap) {
        size_t ncap = s->cap ? s->cap : 1024;
        while (ncap < s->len + len)
            ncap *= 2;
        char *b = realloc(s->buf, ncap);
        if (!b) {
            s->over = true; /* cannot keep up: the same as falling behind */
            s->ops->drop(s->ctx);
            wake(s);
            return;
        }
        s->buf = b;
        s->cap = ncap;
    }
    memcpy(s->buf + s->len, text, len);
    s->len += len;
    s->last_ms = mono_ms();
    wake(s);
}

static void *heartbeat(void *arg)
{
    struct events *ev = arg;
    pthread_mutex_lock(&ev->lock);
    while (!ev->stop) {
        struct timespec until;
        clock_gettime(CLOCK_MONOTONIC, &until);
        until.tv_sec += 1;
        pthread_cond_timedwait(&ev->tick, &ev->lock, &until);
        int64_t now = mono_ms();
        for (struct events_sub *s = ev->subs; s && !ev->stop; s = s->next) {
            if (s->parked && s->ops->gone && s->ops->gone(s->ctx)) {
                s->over = true; /* its slot is free once its connection closes */
                wake(s);
            } else if (now - s->last_ms >= EVENTS_HEARTBEAT_MS) {
                push(s, HEARTBEAT, sizeof(HEARTBEAT) - 1);
            }
        }
    }
    pthread_mutex_unlock(&ev->lock);
    return NULL;
}

struct events *events_new(unsigned max_streams)
{
    struct events *ev = calloc(1, sizeof(*ev));
    pthread_condattr_t attr;
    struct timespec now;
    if (!ev)
        return NULL;
    pthread_mutex_init(&ev->lock, NULL);
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&ev->tick, &attr);
    pthread_condattr_destroy(&attr);
    ev->max = max_streams;
    clock_gettime(CLOCK_REALTIME, &now);
    ev->epoch = (int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000;
    if (pthread_create(&ev->ticker, NULL, heartbeat, ev) != 0) {
        pthread_cond_destroy(&ev->tick);
        pthread_mutex_destroy(&ev->lock);
        free(ev);
        return NULL;
    }
    return ev;
}

void events_free(struct events *ev)
{
    if (!ev)
        return;
    pthread_mutex_lock(&ev->lock);
    ev->stop = true;
    pthread_cond_signal(&ev->tick);
    pthread_mutex_unlock(&ev->lock);
    pthread_join(ev->ticker, NULL);
    for (size_t i = 0; i < EVENTS_REPLAY; i++)
        free(ev->ring[i].text);
    pthread_cond_destroy(&ev->tick);
    pthread_mutex_destroy(&ev->lock);
    free(ev);
}

void events_set_relay(struct events *ev, events_relay_fn fn, void *ctx)
{
    pthread_mutex_lock(&ev->lock);
    ev->relay = fn;
    ev->relay_ctx = ctx;
    pthread_mutex_unlock(&ev->lock);
}

void events_publish(struct events *ev, const char *hub, const char *kind, const char *data)
{
    pthread_mutex_lock(&ev->lock);
    events_relay_fn relay = ev->relay;
    void *ctx = ev->relay_ctx;
    pthread_mutex_unlock(&ev->lock);
    if (relay)
        relay(ctx, hub, kind, data);
    else
        events_deliver(ev, hub, kind, data);
}

/* A kind is a short word of [a-z_]: nothing in it can end the SSE line or add a field. */
static bool kind_ok(const char *kind)
{
    size_t n = strspn(kind, "abcdefghijklmnopqrstuvwxyz_");
    return n > 0 && n < KIND_MAX && kind[n] == '\0';
}

/* What a subscriber hears of one change: nothing, the message itself, or (a subscriber that
 * hears one kind only: a kiosk) the bare mark that the line moved. */
enum hearing { HEAR_NOTHING, HEAR_ALL, HEAR_MARK };

/* The changes that move a line of residents: a kiosk's matcher weighs how many wait. */
static bool moves_line(const char *kind)
{
    static const char *const kinds[] = {"checkin", "handover", "reassign", "left"};
    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
        if (strcmp(kind, kinds[i]) == 0)
            return true;
    return false;
}

/* How s hears a change of kind (of its hub): the filter is applied here, for live messages
 * and replayed ones alike, so nothing of another kind reaches its queue; a one-kind
 * subscriber is told only that a line moved, with nothing of the resident. */
static enum hearing sub_hears(const struct events_sub *s, const char *hub, const char *kind)
{
    if (strcmp(s->hub, hub) != 0)
        return HEAR_NOTHING;
    if (!s->only[0] || strcmp(s->only, kind) == 0)
        return HEAR_ALL;
    return moves_line(kind) ? HEAR_MARK : HEAR_NOTHING;
}

/* The mark a one-kind subscriber gets for change seq: its id (to resume from) and no data. */
static int mark_text(char *buf, size_t cap, int64_t epoch, uint64_t seq)
{
    int n =
        snprintf(buf, cap, "id: %" PRId64 "-%" PRIu64 "\nevent: waiting\ndata: {}\n\n", epoch, seq);
    return n > 0 && (size_t)n < cap ? n : -1;
}

/* Queues what s hears of the change in text (its number seq, its hub and kind). Under the
 * lock. */
static void hear(struct events *ev, struct events_sub *s, const char *hub, const char *kind,
                 uint64_t seq, const char *text, size_t len)
{
    char mark[96];
    int n;
    switch (sub_hears(s, hub, kind)) {
    case HEAR_ALL:
        push(s, text, len);
        break;
    case HEAR_MARK:
        if ((n = mark_text(mark, sizeof(mark), ev->epoch, seq)) > 0)
            push(s, mark, (size_t)n);
        break;
    case HEAR_NOTHING:
        break;
    }
}

void events_deliver(struct events *ev, const char *hub, const char *kind, const char *data)
{
    char text[MSG_MAX];
    /* what comes back through the database is checked as well as what this process sends:
     * a CR or LF in the data would end its line and let it forge fields */
    if (!ev || strlen(hub) > IDENT_MAX || !kind_ok(kind) || strlen(data) > EVENTS_DATA_MAX ||
        strpbrk(data, "\r\n"))
        return;
    pthread_mutex_lock(&ev->lock);
    uint64_t seq = ++ev->seq;
    int n = snprintf(text, sizeof(text), "id: %" PRId64 "-%" PRIu64 "\nevent: %s\ndata: %s\n\n",
                     ev->epoch, seq, kind, data);
    if (n > 0 && (size_t)n < sizeof(text)) {
        struct msg *m = &ev->ring[seq % EVENTS_REPLAY];
        char *copy = malloc((size_t)n);
        free(m->text);
        m->text = copy;
        m->len = copy ? (size_t)n : 0;
        m->seq = seq;
        snprintf(m->hub, sizeof(m->hub), "%s", hub);
        snprintf(m->kind, sizeof(m->kind), "%s", kind);
        if (copy)
            memcpy(copy, text, (size_t)n);
        for (struct events_sub *s = ev->subs; s; s = s->next)
            hear(ev, s, hub, kind, seq, text, (size_t)n);
    }
    pthread_mutex_unlock(&ev->lock);
}

void events_resync_all(struct events *ev)
{
    pthread_mutex_lock(&ev->lock);
    for (struct events_sub *s = ev->subs; s; s = s->next)
        push(s, RESYNC, sizeof(RESYNC) - 1);
    pthread_mutex_unlock(&ev->lock);
}

/* Reads "EPOCH-SEQ"; false when it is not one. */
static bool id_parse(const char *s, int64_t *epoch, uint64_t *seq)
{
    char *end;
    errno = 0;
    long long e = strtoll(s, &end, 10);
    if (errno || end == s || *end != '-' || e < 0)
        return false;
    const char *p = end + 1;
    if (*p < '0' || *p > '9')
        return false;
    unsigned long long q = strtoull(p, &end, 10);
    if (errno || *end)
        return false;
    *epoch = e;
    *seq = q;
    return true;
}

/* Queues what s missed since last_id, or a resync when that is no longer known. Under the
 * lock. */
static void replay(struct events *ev, struct events_sub *s, const char *last_id)
{
    int64_t epoch;
    uint64_t seq;
    uint64_t oldest = ev->seq >= EVENTS_REPLAY ? ev->seq - EVENTS_REPLAY + 1 : 1;
    if (!id_parse(last_id, &epoch, &seq) || epoch != ev->epoch || seq > ev->seq ||
        seq + 1 < oldest) {
        push(s, RESYNC, sizeof(RESYNC) - 1);
        return;
    }
    for (uint64_t q = seq + 1; q <= ev->seq && !s->over; q++) {
        const struct msg *m = &ev->ring[q % EVENTS_REPLAY];
        if (!m->text || m->seq != q) {
            push(s, RESYNC, sizeof(RESYNC) - 1);
            return;
        }
        hear(ev, s, m->hub, m->kind, q, m->text, m->len);
    }
}

struct events_sub *events_subscribe(struct events *ev, const char *hub, const char *last_id,
                                    const struct events_sub_ops *ops, void *ctx, int *err)
{
    return events_subscribe_only(ev, hub, NULL, last_id, ops, ctx, err);
}

struct events_sub *events_subscribe_only(struct events *ev, const char *hub, const char *only,
                                         const char *last_id, const struct events_sub_ops *ops,
                                         void *ctx, int *err)
{
    struct events_sub *s = calloc(1, sizeof(*s));
    if (!s || strlen(hub) > IDENT_MAX || (only && !kind_ok(only))) {
        free(s);
        *err = EVENTS_ENOMEM;
        return NULL;
    }
    s->ev = ev;
    s->ops = ops;
    s->ctx = ctx;
    snprintf(s->hub, sizeof(s->hub), "%s", hub);
    snprintf(s->only, sizeof(s->only), "%s", only ? only : "");
    pthread_mutex_lock(&ev->lock);
    if (ev->n >= ev->max) {
        pthread_mutex_unlock(&ev->lock);
        free(s);
        *err = EVENTS_EFULL;
        return NULL;
    }
    push(s, OPENING, sizeof(OPENING) - 1);
    if (last_id && *last_id)
        replay(ev, s, last_id);
    if (s->over) { /* not even the opening fits in memory */
        pthread_mutex_unlock(&ev->lock);
        free(s->buf);
        free(s);
        *err = EVENTS_ENOMEM;
        return NULL;
    }
    s->next = ev->subs;
    if (ev->subs)
        ev->subs->prev = s;
    ev->subs = s;
    ev->n++;
    pthread_mutex_unlock(&ev->lock);
    return s;
}

void events_unsubscribe(struct events_sub *sub)
{
    if (!sub)
        return;
    struct events *ev = sub->ev;
    pthread_mutex_lock(&ev->lock);
    if (sub->prev)
        sub->prev->next = sub->next;
    else
        ev->subs = sub->next;
    if (sub->next)
        sub->next->prev = sub->prev;
    ev->n--;
    pthread_mutex_unlock(&ev->lock);
    free(sub->buf);
    free(sub);
}

ssize_t events_sub_read(struct events_sub *sub, char *buf, size_t max)
{
    struct events *ev = sub->ev;
    ssize_t n = 0;
    pthread_mutex_lock(&ev->lock);
    if (sub->over) {
        n = -1;
    } else if (sub->len > sub->off) {
        size_t k = sub->len - sub->off;
        if (k > max)
            k = max;
        memcpy(buf, sub->buf + sub->off, k);
        sub->off += k;
        if (sub->off == sub->len)
            sub->off = sub->len = 0;
        n = (ssize_t)k;
    } else {
        sub->parked = true;
        sub->ops->park(sub->ctx);
    }
    pthread_mutex_unlock(&ev->lock);
    return n;
}

void events_end_all(struct events *ev)
{
    pthread_mutex_lock(&ev->lock);
    for (struct events_sub *s = ev->subs; s; s = s->next) {
        s->over = true;
        wake(s);
    }
    pthread_mutex_unlock(&ev->lock);
}

unsigned events_streams(struct events *ev)
{
    pthread_mutex_lock(&ev->lock);
    unsigned n = ev->n;
    pthread_mutex_unlock(&ev->lock);
    return n;
}
