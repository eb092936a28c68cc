/* guard.c — connection deadlines, per-address caps with eviction of the oldest pending
 * connection, and failed sign-in accounting (see guard.h). */
#include "guard.h"
#include "clock.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define ADDR_MAX    16 /* bytes of an IPv6 address */
#define FAIL_SLOTS  256
#define COUNT_SLOTS 4096 /* addresses the reaper can tell apart in one pass */
#define REAP_MS     250

struct guard_conn {
    struct guard_conn *prev, *next;
    int fd;
    uint8_t addr[ADDR_MAX];
    uint8_t alen;
    int64_t since; /* monotonic ms when the request now being read began */
    bool reading;  /* still sending a request (or idle between requests) */
    bool authed;   /* this request's headers carried a valid token */
    bool trusted;  /* an earlier request on it did */
    bool doomed;   /* shut down; libmicrohttpd will close it */
};

struct fail_slot {
    uint8_t addr[ADDR_MAX];
    uint8_t alen;
    int64_t window; /* monotonic ms when this address's minute began */
    int count;
};

struct addr_count {
    uint8_t addr[ADDR_MAX];
    uint8_t alen; /* 0: a free slot */
    size_t count;
};

struct guard {
    pthread_mutex_t lock;
    pthread_cond_t wake;
    struct guard_conn *head;
    bool stop;
    pthread_t reaper;
    struct fail_slot fails[FAIL_SLOTS];
    struct addr_count counts[COUNT_SLOTS]; /* the reaper's, rebuilt at each pass */
};

/* The address bytes of a socket address (IPv4-mapped IPv6 as IPv4); 0 when unknown. */
static uint8_t addr_key(const struct sockaddr *sa, uint8_t out[ADDR_MAX])
{
    if (sa && sa->sa_family == AF_INET) {
        memcpy(out, &((const struct sockaddr_in *)sa)->sin_addr, 4);
        return 4;
    }
    if (sa && sa->sa_family == AF_INET6) {
        const struct in6_addr *a6 = &((const struct sockaddr_in6 *)sa)->sin6_addr;
        if (IN6_IS_ADDR_V4MAPPED(a6)) {
            memcpy(out, a6->s6_addr + 12, 4);
            return 4;
        }
        memcpy(out, a6->s6_addr, 16);
        return 16;
    }
    return 0;
}

static void addr_text(const uint8_t *a, uint8_t alen, char *out, size_t cap)
{
    if (!alen || !inet_ntop(alen == 4 ? AF_INET : AF_INET6, a, out, (socklen_t)cap))
        snprintf(out, cap, "?");
}

/* Still sending a request, and never sent a valid token on this connection: the kind that
 * counts towards the caps and may be dropped. An idle kept-alive connection that carried a
 * valid token is not; the deadline still closes it. */
static bool pending(const struct guard_conn *c)
{
    return c->reading && !c->authed && !c->trusted && !c->doomed;
}

/* Old enough to be dropped for the caps: a connection that has just opened is not slow yet
 * (a burst of kiosk and console connections all open at once). */
static bool droppable(const struct guard_conn *c, int64_t now)
{
    return pending(c) && now - c->since >= GUARD_YOUNG_MS;
}

/* Shuts c's socket down: libmicrohttpd sees the end of it and closes the connection. Called
 * under the lock, so c (and its fd) cannot be closed meanwhile. */
static void drop(struct guard_conn *c)
{
    c->doomed = true;
    shutdown(c->fd, SHUT_RDWR);
}

static bool same_addr(const struct guard_conn *c, const uint8_t *addr, uint8_t alen)
{
    return c->alen == alen && memcmp(c->addr, addr, alen) == 0;
}

/* The oldest droppable connection (of addr when alen > 0); NULL: none. */
static struct guard_conn *oldest(struct guard *g, const uint8_t *addr, uint8_t alen, int64_t now)
{
    struct guard_conn *best = NULL;
    for (struct guard_conn *c = g->head; c; c = c->next)
        if (droppable(c, now) && (!alen || same_addr(c, addr, alen)) &&
            (!best || c->since < best->since))
            best = c;
    return best;
}

bool guard_accept(struct guard *g, const struct sockaddr *addr, socklen_t len)
{
    uint8_t key[ADDR_MAX];
    uint8_t alen = addr_key(addr, key);
    size_t mine = 0, all = 0;
    int64_t now = mono_ms();
    pthread_mutex_lock(&g->lock);
    for (struct guard_conn *c = g->head; c; c = c->next) {
        if (!pending(c))
            continue;
        all++;
        mine += alen && same_addr(c, key, alen);
    }
    struct guard_conn *victim = NULL;
    if (alen && mine >= GUARD_PER_ADDR)
        victim = oldest(g, key, alen, now);
    if (!victim && all >= GUARD_PENDING)
        victim = oldest(g, NULL, 0, now);
    if (victim)
        drop(victim);
    pthread_mutex_unlock(&g->lock);
    return true;
}

struct guard_conn *guard_conn_started(struct guard *g, int fd, const struct sockaddr *addr)
{
    struct guard_conn *c = calloc(1, sizeof(*c));
    if (!c)
        return NULL;
    c->fd = fd;
    c->alen = addr_key(addr, c->addr);
    c->since = mono_ms();
    c->reading = true;
    pthread_mutex_lock(&g->lock);
    c->next = g->head;
    if (g->head)
        g->head->prev = c;
    g->head = c;
    pthread_mutex_unlock(&g->lock);
    return c;
}

void guard_conn_closed(struct guard *g, struct guard_conn *c)
{
    if (!c)
        return;
    pthread_mutex_lock(&g->lock);
    if (c->prev)
        c->prev->next = c->next;
    else
        g->head = c->next;
    if (c->next)
        c->next->prev = c->prev;
    pthread_mutex_unlock(&g->lock);
    free(c);
}

void guard_request_headers(struct guard *g, struct guard_conn *c, bool authenticated)
{
    if (!c)
        return;
    pthread_mutex_lock(&g->lock);
    c->authed = authenticated;
    pthread_mutex_unlock(&g->lock);
}

void guard_request_answering(struct guard *g, struct guard_conn *c)
{
    if (!c)
        return;
    pthread_mutex_lock(&g->lock);
    c->reading = false;
    pthread_mutex_unlock(&g->lock);
}

void guard_request_done(struct guard *g, struct guard_conn *c)
{
    if (!c)
        return;
    pthread_mutex_lock(&g->lock);
    c->trusted |= c->authed;
    c->authed = false;
    c->reading = true;
    c->since = mono_ms();
    pthread_mutex_unlock(&g->lock);
}

void guard_conn_drop(struct guard *g, struct guard_conn *c)
{
    if (!c)
        return;
    pthread_mutex_lock(&g->lock);
    if (!c->doomed)
        drop(c);
    pthread_mutex_unlock(&g->lock);
}

static int by_age(const void *x, const void *y)
{
    const struct guard_conn *a = *(const struct guard_conn *const *)x;
    const struct guard_conn *b = *(const struct guard_conn *const *)y;
    return (a->since > b->since) - (a->since < b->since);
}

/* The count slot of an address in the reaper's table (open addressing; NULL when full). */
static struct addr_count *count_slot(struct guard *g, const uint8_t *addr, uint8_t alen)
{
    unsigned h = 2166136261u;
    for (uint8_t i = 0; i < alen; i++)
        h = (h ^ addr[i]) * 16777619u;
    for (unsigned k = 0; k < COUNT_SLOTS; k++) {
        struct addr_count *a = &g->counts[(h + k) % COUNT_SLOTS];
        if (a->alen == 0) {
            memcpy(a->addr, addr, alen);
            a->alen = alen;
            return a;
        }
        if (a->alen == alen && memcmp(a->addr, addr, alen) == 0)
            return a;
    }
    return NULL;
}

/* Brings every address (and everyone) back within the caps, oldest droppable first: for
 * when connections came faster than accepting could drop them (they were young then). */
static void trim(struct guard *g, int64_t now)
{
    size_t n = 0, total = 0, k = 0;
    for (struct guard_conn *c = g->head; c; c = c->next)
        n += pending(c);
    if (n <= GUARD_PER_ADDR)
        return; /* nobody can be over a cap */
    struct guard_conn **v = malloc(n * sizeof(*v));
    if (!v)
        return;
    memset(g->counts, 0, sizeof(g->counts));
    for (struct guard_conn *c = g->head; c; c = c->next) {
        if (!pending(c))
            continue;
        struct addr_count *a = c->alen ? count_slot(g, c->addr, c->alen) : NULL;
        if (a)
            a->count++;
        total++;
        if (droppable(c, now))
            v[k++] = c;
    }
    qsort(v, k, sizeof(*v), by_age);
    for (size_t i = 0; i < k; i++) {
        struct addr_count *a = v[i]->alen ? count_slot(g, v[i]->addr, v[i]->alen) : NULL;
        if ((a && a->count > GUARD_PER_ADDR) || total > GUARD_PENDING) {
            drop(v[i]);
            total--;
            if (a)
                a->count--;
        }
    }
    free(v);
}

/* Drops every connection whose request has not arrived whole within the deadline, and
 * whatever is over the caps. */
static void *reap(void *arg)
{
    struct guard *g = arg;
    pthread_mutex_lock(&g->lock);
    while (!g->stop) {
        int64_t now = mono_ms();
        for (struct guard_conn *c = g->head; c; c = c->next)
            if (c->reading && !c->doomed && now - c->since > GUARD_DEADLINE_MS)
                drop(c);
        trim(g, now);
        struct timespec until;
        clock_gettime(CLOCK_MONOTONIC, &until);
        until.tv_nsec += REAP_MS * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&g->wake, &g->lock, &until);
    }
    pthread_mutex_unlock(&g->lock);
    return NULL;
}

struct guard *guard_new(void)
{
    struct guard *g = calloc(1, sizeof(*g));
    pthread_condattr_t attr;
    if (!g)
        return NULL;
    pthread_mutex_init(&g->lock, NULL);
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&g->wake, &attr);
    pthread_condattr_destroy(&attr);
    if (pthread_create(&g->reaper, NULL, reap, g) != 0) {
        pthread_cond_destroy(&g->wake);
        pthread_mutex_destroy(&g->lock);
        free(g);
        return NULL;
    }
    return g;
}

void guard_free(struct guard *g)
{
    if (!g)
        return;
    pthread_mutex_lock(&g->lock);
    g->stop = true;
    pthread_cond_signal(&g->wake);
    pthread_mutex_unlock(&g->lock);
    pthread_join(g->reaper, NULL);
    while (g->head) {
        struct guard_conn *c = g->head;
        g->head = c->next;
        free(c);
    }
    pthread_cond_destroy(&g->wake);
    pthread_mutex_destroy(&g->lock);
    free(g);
}

/* The slot of an address (its own, or one to take over); NULL for an unknown address. */
static struct fail_slot *fail_slot(struct guard *g, const uint8_t *key, uint8_t alen, int64_t now)
{
    unsigned h = 2166136261u;
    if (!alen)
        return NULL;
    for (uint8_t i = 0; i < alen; i++)
        h = (h ^ key[i]) * 16777619u;
    struct fail_slot *f = &g->fails[h % FAIL_SLOTS];
    bool same = f->alen == alen && memcmp(f->addr, key, alen) == 0;
    if (!same || now - f->window >= GUARD_AUTH_WINDOW_MS) {
        if (!same && f->count > 0 && now - f->window < GUARD_AUTH_WINDOW_MS)
            return f; /* a busy slot is shared rather than reset: never less throttling */
        memcpy(f->addr, key, alen);
        f->alen = alen;
        f->window = now;
        f->count = 0;
    }
    return f;
}

bool guard_auth_throttled(struct guard *g, const struct sockaddr *addr, int *retry_s)
{
    uint8_t key[ADDR_MAX];
    uint8_t alen = addr_key(addr, key);
    int64_t now = mono_ms();
    pthread_mutex_lock(&g->lock);
    struct fail_slot *f = fail_slot(g, key, alen, now);
    bool over = f && f->count >= GUARD_AUTH_FAILS;
    if (over && retry_s)
        *retry_s = (int)((f->window + GUARD_AUTH_WINDOW_MS - now + 999) / 1000);
    pthread_mutex_unlock(&g->lock);
    return over;
}

void guard_auth_failed(struct guard *g, const struct sockaddr *addr)
{
    uint8_t key[ADDR_MAX] = {0};
    uint8_t alen = addr_key(addr, key);
    char text[INET6_ADDRSTRLEN];
    int64_t now = mono_ms();
    int count = 0;
    pthread_mutex_lock(&g->lock);
    struct fail_slot *f = fail_slot(g, key, alen, now);
    if (f)
        count = ++f->count;
    pthread_mutex_unlock(&g->lock);
    addr_text(key, alen, text, sizeof(text));
    if (count == 1)
        fprintf(stderr, "hubd: failed sign-in from %s (a wrong, revoked or malformed token)\n",
                text);
    else if (count == GUARD_AUTH_FAILS)
        fprintf(stderr,
                "hubd: %d failed sign-ins from %s within a minute: its unknown tokens get 429 "
                "until the minute is over (valid tokens still work)\n",
                count, text);
}
