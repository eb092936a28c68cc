/* test_events_pg.c — the live board across servers through PostgreSQL (events_pg.c), on a
 * throwaway server (tests/lib/pg.sh run): two notifiers, as two hubd would have, each
 * relaying through its own connection. A change published by one reaches the other's
 * subscribers of that hub within a second, once each, and no other hub's; while the database
 * restarts, changes still reach the publisher's own clients, and afterwards everyone is told
 * to resync and changes flow again. */
#include "events.h"
#include "events_pg.h"

#include <libpq-fe.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct tsub {
    struct events_sub *sub;
    char got[65536];
    size_t len;
};

static void nop(void *ctx)
{
}

static const struct events_sub_ops OPS = {.park = nop, .wake = nop, .drop = nop};

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void subscribe(struct events *ev, const char *hub, struct tsub *t)
{
    int err;
    memset(t, 0, sizeof(*t));
    t->sub = events_subscribe(ev, hub, NULL, &OPS, t, &err);
    assert_non_null(t->sub);
}

static void drain(struct tsub *t)
{
    ssize_t n;
    while (t->len < sizeof(t->got) - 1 &&
           (n = events_sub_read(t->sub, t->got + t->len, sizeof(t->got) - 1 - t->len)) > 0)
        t->len += (size_t)n;
    t->got[t->len] = '\0';
}

/* How many times needle is in what t received. */
static int count(const struct tsub *t, const char *needle)
{
    int n = 0;
    for (const char *p = t->got; (p = strstr(p, needle)); p++)
        n++;
    return n;
}

/* Waits up to ms for needle to reach t; returns how long it took, or -1. */
static long long wait_for(struct tsub *t, const char *needle, int ms)
{
    long long start = now_ms();
    while (now_ms() - start <= ms) {
        drain(t);
        if (strstr(t->got, needle))
            return now_ms() - start;
        usleep(2000);
    }
    return -1;
}

static void test_two_servers(void **state)
{
    const char *url = getenv("PG_URL"), *dir = getenv("PG_DIR"), *ctl = getenv("PG_CTL");
    char err[256], cmd[1024];
    if (!url || !dir || !ctl)
        fail_msg("run under tests/lib/pg.sh run (PG_URL, PG_DIR, PG_CTL)");
    struct events *a = events_new(8), *b = events_new(8);
    struct events_pg *pa = events_pg_start(a, url, err, sizeof(err));
    if (!pa)
        fail_msg("relay a: %s", err);
    struct events_pg *pb = events_pg_start(b, url, err, sizeof(err));
    if (!pb)
        fail_msg("relay b: %s", err);
    struct tsub a1, b1, b2;
    subscribe(a, "hub-one", &a1);
    subscribe(b, "hub-one", &b1);
    subscribe(b, "hub-two", &b2);

    events_publish(a, "hub-one", "checkin", "{\"id\":\"first\",\"note\":\"tab\\there\"}");
    long long took = wait_for(&b1, "\"id\":\"first\"", 1000);
    print_message("through PostgreSQL to the other server in %lld ms\n", took);
    assert_true(took >= 0);
    assert_true(wait_for(&a1, "\"id\":\"first\"", 1000) >= 0); /* and to its own clients */
    assert_non_null(strstr(b1.got, "event: checkin\ndata: {\"id\":\"first\""));
    events_publish(b, "hub-two", "worker", "{\"id\":\"w-two\"}");
    assert_true(wait_for(&b2, "w-two", 1000) >= 0);
    usleep(300 * 1000);
    drain(&a1);
    drain(&b1);
    drain(&b2);
    assert_int_equal(count(&a1, "\"first\""), 1); /* once, though it came back by LISTEN */
    assert_int_equal(count(&b1, "\"first\""), 1);
    assert_int_equal(count(&b2, "\"first\""), 0); /* another hub's change */
    assert_int_equal(count(&a1, "w-two") + count(&b1, "w-two"), 0);

    /* what another client of the database sends is checked too: a CR, or a kind that is not
     * a word, would forge lines on the stream */
    PGconn *raw = PQconnectdb(url);
    assert_int_equal(PQstatus(raw), CONNECTION_OK);
    PQclear(PQexec(raw, "SELECT pg_notify('" EVENTS_PG_CHANNEL "', "
                        "E'hub-one\\tcheckin\\t{\"id\":\"forged-cr\"}\\revent: x')"));
    PQclear(PQexec(raw, "SELECT pg_notify('" EVENTS_PG_CHANNEL "', "
                        "E'hub-one\\tcheck\\nid: 9\\t{\"id\":\"forged-kind\"}')"));
    PQfinish(raw);
    events_publish(a, "hub-one", "checkin", "{\"id\":\"honest\"}");
    assert_true(wait_for(&b1, "honest", 1000) >= 0);
    assert_null(strstr(b1.got, "forged"));

    /* the database restarts: the publisher's own clients still hear, then all resync */
    snprintf(cmd, sizeof(cmd), "'%s' restart '%s'", ctl, dir);
    assert_int_equal(system(cmd), 0);
    events_publish(a, "hub-one", "left", "{\"id\":\"while-down\"}");
    assert_true(wait_for(&a1, "while-down", 1000) >= 0);
    assert_true(wait_for(&b1, "event: resync", 15000) >= 0);
    assert_true(wait_for(&a1, "event: resync", 15000) >= 0);
    events_publish(a, "hub-one", "handover", "{\"id\":\"after\"}");
    took = wait_for(&b1, "\"after\"", 1000);
    print_message("after the restart, to the other server in %lld ms\n", took);
    assert_true(took >= 0);

    events_unsubscribe(a1.sub);
    events_unsubscribe(b1.sub);
    events_unsubscribe(b2.sub);
    events_pg_stop(pa);
    events_pg_stop(pb);
    events_free(a);
    events_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_two_servers)};
    return cmocka_run_group_tests_name("live board through PostgreSQL", tests, NULL, NULL);
}
