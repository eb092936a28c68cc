/* bench_events.c — the live board's push latency: a real hubd on loopback, STREAMS listeners
 * (reception, the worker, the manager), check-ins posted one at a time and then in kiosk
 * batches; for every message on every stream, the time from the commit (the message's "at",
 * hubd's clock) and from the request being sent, to the line arriving. Prints p50/p99/max.
 * On PostgreSQL (HUBD_TEST_PG, as tests/lib/pg.sh gives it) a second hubd shares the
 * database and holds half the streams: those lines come through LISTEN/NOTIFY. */
#include "client.h"
#include "sse_client.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define STREAMS 16
#define SINGLES 400 /* check-ins posted one by one */
#define BATCHES 20  /* ... then batches of BATCH_N, as a kiosk drains its queue */
#define BATCH_N 50

struct samples {
    double *v;
    size_t n, cap;
};

static void add(struct samples *s, double x)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 1024;
        s->v = realloc(s->v, s->cap * sizeof(*s->v));
    }
    s->v[s->n++] = x;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void report(const char *what, struct samples *s)
{
    if (!s->n) {
        printf("%-44s no samples\n", what);
        return;
    }
    qsort(s->v, s->n, sizeof(*s->v), by_value);
    printf("%-44s n=%-6zu p50 %6.2f ms  p99 %6.2f ms  max %6.2f ms\n", what, s->n, s->v[s->n / 2],
           s->v[(s->n * 99) / 100], s->v[s->n - 1]);
}

static double wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

/* Reads every stream until each has seen want (a check-in id), sampling each check-in. */
static int collect(struct sse *st, const char *want, double sent, struct samples *commit,
                   struct samples *request)
{
    for (int i = 0; i < STREAMS; i++) {
        struct sse_msg m;
        for (;;) {
            if (sse_wait(&st[i], "checkin", NULL, &m, 5000) != 1) {
                fprintf(stderr, "bench-events: stream %d lost a check-in\n", i);
                return -1;
            }
            double now = wall_ms();
            cJSON *d = cJSON_Parse(m.data);
            cJSON *at = cJSON_GetObjectItem(d, "at");
            if (cJSON_IsNumber(at))
                add(commit, now - at->valuedouble);
            add(request, now - sent);
            bool last = strstr(m.data, want) != NULL;
            cJSON_Delete(d);
            if (last)
                break;
        }
    }
    return 0;
}

int main(void)
{
    struct server s = {0}, two = {0};
    bool pg = server_pg();
    char kiosk[65], rec[65], man[65], sian[65];
    struct sse st[STREAMS] = {0};
    struct samples c1 = {0}, r1 = {0}, cb = {0}, rb = {0};
    int rc = 1;
    if (server_init(&s) < 0 ||
        make_worker_token(&s, fixture("hub.json"), "sian", "w-sian", sian) < 0 ||
        make_token(&s, "kiosk", "kiosk", kiosk) < 0 ||
        make_token(&s, "reception", "desk", rec) < 0 ||
        make_token(&s, "manager", "manager", man) < 0) {
        fprintf(stderr, "bench-events: cannot set up hubd's database\n");
        return 1;
    }
    const char *args[] = {"--seed", fixture("hub.json"), NULL};
    const char *no_args[] = {NULL};
    if (server_start(&s, args) < 0 ||
        (pg && (server_init(&two) < 0 ||
                snprintf(two.db, sizeof(two.db), "%s", s.db) < 0 || /* the same database */
                server_start(&two, no_args) < 0))) {
        fprintf(stderr, "bench-events: hubd did not start\n");
        return 1;
    }
    for (int i = 0; i < STREAMS; i++) {
        const char *t = i % 3 == 0 ? rec : i % 3 == 1 ? sian : man;
        int port = pg && i % 2 ? two.port : s.port;
        if (sse_open(&st[i], port, "/api/v1/events", t, NULL) < 0 || st[i].status != 200) {
            fprintf(stderr, "bench-events: stream %d did not open\n", i);
            goto out;
        }
    }
    for (int k = 0; k < SINGLES; k++) {
        char id[40];
        uuid4(id);
        char *body = checkin_body(id, k % 2 ? "w-sian" : NULL, "housing", false, NULL, NULL, false);
        double sent = wall_ms();
        long code = http_status(&s, "POST", "/api/v1/checkins", kiosk, "application/json", body);
        free(body);
        if (code != 201 || collect(st, id, sent, &c1, &r1) < 0)
            goto out;
    }
    for (int b = 0; b < BATCHES; b++) {
        char id[40], *body = malloc(BATCH_N * 700 + 8);
        size_t used = 1;
        body[0] = '[';
        for (int k = 0; k < BATCH_N; k++) {
            uuid4(id);
            char *one = checkin_body(id, NULL, "benefits", false, NULL, NULL, false);
            used +=
                (size_t)snprintf(body + used, BATCH_N * 700 + 8 - used, "%s%s", k ? "," : "", one);
            free(one);
        }
        snprintf(body + used, BATCH_N * 700 + 8 - used, "]");
        double sent = wall_ms();
        long code = http_status(&s, "POST", "/api/v1/checkins", kiosk, "application/json", body);
        free(body);
        if (code != 200 || collect(st, id, sent, &cb, &rb) < 0)
            goto out;
    }
    printf("live board push latency on %s, %d streams on loopback%s (hubd %s)\n",
           pg ? "PostgreSQL" : "SQLite", STREAMS, pg ? ", half of them on a second hubd" : "",
           hubd_bin());
    report("one check-in at a time: commit -> SSE line", &c1);
    report("one check-in at a time: POST sent -> SSE line", &r1);
    report("batches of 50: commit -> SSE line", &cb);
    report("batches of 50: POST sent -> SSE line", &rb);
    rc = 0;
out:
    for (int i = 0; i < STREAMS; i++)
        if (st[i].raw || st[i].fd > 0)
            sse_close(&st[i]);
    server_stop(&s);
    server_cleanup(&s);
    if (pg) {
        server_stop(&two);
        server_cleanup(&two);
    }
    free(c1.v);
    free(r1.v);
    free(cb.v);
    free(rb.v);
    return rc;
}
