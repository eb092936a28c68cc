/* events_pg.c — the live board's relay through PostgreSQL LISTEN/NOTIFY (see events_pg.h).
 * A NOTIFY's payload is "HUB<TAB>KIND<TAB>DATA" (DATA is JSON: a tab in it is escaped). */
#include "events_pg.h"

#include <libpq-fe.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

struct events_pg {
    struct events *ev;
    char *conninfo;
    PGconn *conn; /* the thread's */
    pthread_t thread;
    pthread_mutex_t lock;
    int wake_fd;
    bool stop, up;
    char *queue[EVENTS_PG_QUEUE]; /* payloads to NOTIFY, oldest at head */
    size_t head, n;
};

/* Hands payload to this process's notifier. */
static void deliver(struct events *ev, char *payload)
{
    char *kind = strchr(payload, '\t');
    char *data = kind ? strchr(kind + 1, '\t') : NULL;
    if (!data)
        return;
    *kind++ = '\0';
    *data++ = '\0';
    events_deliver(ev, payload, kind, data);
}

static void relay(void *ctx, const char *hub, const char *kind, const char *data)
{
    struct events_pg *p = ctx;
    size_t len = strlen(hub) + strlen(kind) + strlen(data) + 3;
    char *payload = malloc(len);
    uint64_t one = 1;
    if (payload)
        snprintf(payload, len, "%s\t%s\t%s", hub, kind, data);
    pthread_mutex_lock(&p->lock);
    bool queued = payload && p->up && p->n < EVENTS_PG_QUEUE;
    if (queued) {
        p->queue[(p->head + p->n) % EVENTS_PG_QUEUE] = payload;
        p->n++;
    }
    pthread_mutex_unlock(&p->lock);
    if (queued) {
        if (write(p->wake_fd, &one, sizeof(one)) < 0)
            perror("hubd: live board relay");
        return;
    }
    free(payload);
    events_deliver(p->ev, hub, kind, data); /* the database is away: this hubd's clients */
}

/* Takes every queued payload (the caller frees them): *n of them into out. */
static void take(struct events_pg *p, char **out, size_t *n)
{
    pthread_mutex_lock(&p->lock);
    *n = p->n;
    for (size_t i = 0; i < p->n; i++)
        out[i] = p->queue[(p->head + i) % EVENTS_PG_QUEUE];
    p->head = p->n = 0;
    pthread_mutex_unlock(&p->lock);
}

static PGconn *connect_listen(const char *conninfo, char *err, size_t cap)
{
    PGconn *c = PQconnectdb(conninfo);
    if (PQstatus(c) != CONNECTION_OK) {
        snprintf(err, cap, "%s", PQerrorMessage(c));
        PQfinish(c);
        return NULL;
    }
    PGresult *r = PQexec(c, "LISTEN " EVENTS_PG_CHANNEL);
    bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    PQclear(r);
    if (!ok) {
        snprintf(err, cap, "LISTEN: %s", PQerrorMessage(c));
        PQfinish(c);
        return NULL;
    }
    return c;
}

/* The connection failed: what waits goes to this process's clients, and the connection is
 * dropped (the thread reconnects). */
static void went_down(struct events_pg *p)
{
    char *left[EVENTS_PG_QUEUE];
    size_t n;
    pthread_mutex_lock(&p->lock);
    p->up = false;
    pthread_mutex_unlock(&p->lock);
    take(p, left, &n);
    for (size_t i = 0; i < n; i++) {
        deliver(p->ev, left[i]);
        free(left[i]);
    }
    PQfinish(p->conn);
    p->conn = NULL;
    fprintf(stderr, "hubd: live board: lost the database connection; other servers' changes "
                    "wait until it is back\n");
}

/* The payloads as one text array literal ({"a","b"}: quotes and backslashes escaped), or
 * NULL when out of memory. malloc'd. */
static char *array_literal(char *const *items, size_t n)
{
    size_t cap = 3;
    for (size_t i = 0; i < n; i++)
        cap += 2 * strlen(items[i]) + 3;
    char *out = malloc(cap), *w = out;
    if (!out)
        return NULL;
    *w++ = '{';
    for (size_t i = 0; i < n; i++) {
        if (i)
            *w++ = ',';
        *w++ = '"';
        for (const char *c = items[i]; *c; c++) {
            if (*c == '"' || *c == '\\')
                *w++ = '\\';
            *w++ = *c;
        }
        *w++ = '"';
    }
    *w++ = '}';
    *w = '\0';
    return out;
}

/* Sends what is queued, all of it in one statement (one round trip, one transaction), in
 * order. false when the connection failed. */
static bool send_queued(struct events_pg *p)
{
    char *items[EVENTS_PG_QUEUE];
    size_t n;
    take(p, items, &n);
    if (!n)
        return true;
    char *list = array_literal(items, n);
    const char *params[2] = {EVENTS_PG_CHANNEL, list};
    PGresult *r = list ? PQexecParams(p->conn,
                                      "SELECT pg_notify($1, x) FROM unnest($2::text[])"
                                      " WITH ORDINALITY AS u (x, k) ORDER BY k",
                                      2, NULL, params, NULL, NULL, 0)
                       : NULL;
    bool ok = PQresultStatus(r) == PGRES_TUPLES_OK;
    PQclear(r);
    free(list);
    for (size_t i = 0; i < n; i++) {
        if (!ok)
            deliver(p->ev, items[i]); /* not sent: this hubd's clients at least */
        free(items[i]);
    }
    return ok || PQstatus(p->conn) == CONNECTION_OK;
}

/* Hands every notification that came to the notifier. false when the connection failed. */
static bool hear(struct events_pg *p)
{
    PGnotify *note;
    if (!PQconsumeInput(p->conn))
        return false;
    while ((note = PQnotifies(p->conn))) {
        deliver(p->ev, note->extra);
        PQfreemem(note);
    }
    return PQstatus(p->conn) == CONNECTION_OK;
}

static void *run(void *arg)
{
    struct events_pg *p = arg;
    int backoff = 250;
    char err[256];
    while (!__atomic_load_n(&p->stop, __ATOMIC_ACQUIRE)) {
        if (!p->conn) {
            struct pollfd w = {.fd = p->wake_fd, .events = POLLIN};
            poll(&w, 1, backoff);
            if (__atomic_load_n(&p->stop, __ATOMIC_ACQUIRE))
                break;
            if (!(p->conn = connect_listen(p->conninfo, err, sizeof(err)))) {
                backoff = backoff * 2 > EVENTS_PG_RETRY_MS ? EVENTS_PG_RETRY_MS : backoff * 2;
                continue;
            }
            backoff = 250;
            pthread_mutex_lock(&p->lock);
            p->up = true;
            pthread_mutex_unlock(&p->lock);
            fprintf(stderr, "hubd: live board: the database connection is back\n");
            events_resync_all(p->ev); /* changes made meanwhile were not heard */
        }
        struct pollfd fds[2] = {{.fd = PQsocket(p->conn), .events = POLLIN},
                                {.fd = p->wake_fd, .events = POLLIN}};
        poll(fds, 2, 1000);
        if (fds[1].revents & POLLIN) {
            uint64_t v;
            if (read(p->wake_fd, &v, sizeof(v)) < 0)
                v = 0;
        }
        if (!send_queued(p) || !hear(p))
            went_down(p);
    }
    return NULL;
}

struct events_pg *events_pg_start(struct events *ev, const char *conninfo, char *err, size_t cap)
{
    struct events_pg *p = calloc(1, sizeof(*p));
    if (!p || !(p->conninfo = strdup(conninfo))) {
        snprintf(err, cap, "out of memory");
        goto out_free;
    }
    p->ev = ev;
    p->wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (p->wake_fd < 0) {
        snprintf(err, cap, "eventfd failed");
        goto out_free;
    }
    if (!(p->conn = connect_listen(conninfo, err, cap)))
        goto out_close;
    p->up = true;
    pthread_mutex_init(&p->lock, NULL);
    if (pthread_create(&p->thread, NULL, run, p) != 0) {
        snprintf(err, cap, "cannot start the relay thread");
        pthread_mutex_destroy(&p->lock);
        PQfinish(p->conn);
        goto out_close;
    }
    events_set_relay(ev, relay, p);
    return p;
out_close:
    close(p->wake_fd);
out_free:
    if (p)
        free(p->conninfo);
    free(p);
    return NULL;
}

void events_pg_stop(struct events_pg *p)
{
    uint64_t one = 1;
    if (!p)
        return;
    events_set_relay(p->ev, NULL, NULL);
    __atomic_store_n(&p->stop, true, __ATOMIC_RELEASE);
    if (write(p->wake_fd, &one, sizeof(one)) < 0)
        perror("hubd: live board relay");
    pthread_join(p->thread, NULL);
    char *left[EVENTS_PG_QUEUE];
    size_t n;
    take(p, left, &n);
    for (size_t i = 0; i < n; i++)
        free(left[i]);
    PQfinish(p->conn);
    close(p->wake_fd);
    pthread_mutex_destroy(&p->lock);
    free(p->conninfo);
    free(p);
}
