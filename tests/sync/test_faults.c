/* test_faults.c — the kiosk's sync thread through a fault-switch proxy in front of a real hubd:
 * 500s, garbage, answers cut short after hubd committed, stalls, refused connections. Every
 * check-in must reach hubd's board exactly once, the last good directory must stay. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "faultproxy.h"
#include "store.h"
#include "sync.h"
#include "sync_env.h"

#define N_FAULT   50  /* check-ins queued in each single-mode test */
#define N_MIX     300 /* check-ins drained while the mode flips */
#define BACKOFF   50  /* ms, the sync's backoff base ... */
#define CAP       400 /* ... and cap */
#define GAP_SLACK 250 /* ms a retry may come after the cap (scheduling, the request itself) */

/* hubd seeded with the demo hub and started, the kiosk's store (sync_env.h), and the proxy in
 * front of hubd in mode; the sync talks to e->url (the proxy). */
static void env_init_proxied(struct env *e, enum fault_mode mode)
{
    assert_int_equal(env_init(e), 0);
    assert_int_equal(env_start_hubd(e), 0);
    e->fp = faultproxy_start(0, e->srv.port);
    assert_non_null(e->fp);
    faultproxy_set_mode(e->fp, mode);
    snprintf(e->url, sizeof(e->url), "http://127.0.0.1:%d", faultproxy_port(e->fp));
}

static void env_release_proxied(struct env *e)
{
    faultproxy_stop(e->fp);
    env_release(e);
}

/* A sync through the proxy: short backoff; dir_every_ms < 0 = no directory fetches. */
static struct sync *start_sync(struct env *e, int batch, int dir_every_ms, int timeout_ms,
                               int stall_s)
{
    struct sync_config cfg = {.server = e->url,
                              .token = e->kiosk,
                              .store = e->store,
                              .batch_max = batch,
                              .backoff_base_ms = BACKOFF,
                              .backoff_cap_ms = CAP,
                              .dir_every_ms = dir_every_ms,
                              .listen_retry_ms = -1, /* the proxy holds no stream open */
                              .status_every_ms = -1, /* only the POSTs of check-ins counted */
                              .connect_timeout_ms = 1000,
                              .request_timeout_ms = timeout_ms,
                              .stall_s = stall_s};
    struct sync *s = sync_start(&cfg);
    assert_non_null(s);
    return s;
}

static struct faultproxy_stats stats(const struct env *e)
{
    struct faultproxy_stats st;
    faultproxy_get_stats(e->fp, &st);
    return st;
}

/* Waits until the proxy has seen n POSTs in mode (or timeout_ms); returns how many it saw. The
 * longest pause between two of them goes to *max_gap (may be NULL). */
static long wait_posts(const struct env *e, enum fault_mode mode, long n, int timeout_ms,
                       int64_t *max_gap)
{
    int64_t end = mono_ms() + timeout_ms, last = 0, gap = 0;
    long seen = stats(e).posts_by_mode[mode];
    while (seen < n && mono_ms() < end) {
        sleep_ms(2);
        long now = stats(e).posts_by_mode[mode];
        if (now != seen) {
            int64_t t = mono_ms();
            if (last && t - last > gap)
                gap = t - last;
            last = t;
            seen = now;
        }
    }
    if (max_gap)
        *max_gap = gap;
    return seen;
}

/* N_FAULT check-ins meet mode: retried (at least `tries` POSTs) and still pending on the
 * kiosk; then PASS: each arrives exactly once. Returns the longest pause between retries. */
static int64_t fault_then_pass(enum fault_mode mode, long tries, int timeout_ms, int stall_s)
{
    struct env e;
    env_init_proxied(&e, mode);
    assert_int_equal(env_queue(&e, N_FAULT, NULL), 0);
    struct sync *s = start_sync(&e, 0, -1, timeout_ms, stall_s);
    int64_t gap = 0;
    long seen = wait_posts(&e, mode, tries, 10000, &gap);
    if (seen < tries)
        fail_msg("%s: %ld POSTs reached the proxy, not %ld retries", fault_mode_name(mode), seen,
                 tries);
    assert_int_equal(store_count_pending(e.store), N_FAULT);
    struct sync_status st;
    sync_get_status(s, &st);
    assert_int_equal(st.pending, N_FAULT);
    assert_true(st.last_error[0] != '\0');
    if (mode == FAULT_TRUNCATED) {
        /* hubd committed them on the first attempt and answered every replay: once each */
        assert_true(stats(&e).forwarded >= tries - 1); /* the last may be on its way */
        assert_int_equal(env_check_once(&e, false), 0);
    } else {
        assert_int_equal(env_board_count(&e), 0); /* nothing was forwarded: hubd has nothing */
        assert_int_equal(stats(&e).forwarded, 0);
    }
    faultproxy_set_mode(e.fp, FAULT_PASS);
    assert_int_equal(env_wait_drained(&e, 10000), 0);
    assert_true(stats(&e).posts_by_mode[FAULT_PASS] >= 1);
    sync_stop(s);
    assert_int_equal(env_check_once(&e, true), 0);
    env_release_proxied(&e);
    return gap;
}

static void http_500_retried_then_once(void **state)
{
    int64_t gap = fault_then_pass(FAULT_HTTP_500, 9, 1500, 1);
    if (gap > CAP + GAP_SLACK) /* full jitter under the cap: no pause much over it */
        fail_msg("%lld ms between two retries, over the %d ms backoff cap", (long long)gap, CAP);
}

static void garbage_retried_then_once(void **state)
{
    int64_t gap = fault_then_pass(FAULT_GARBAGE, 9, 1500, 1);
    if (gap > CAP + GAP_SLACK)
        fail_msg("%lld ms between two retries, over the %d ms backoff cap", (long long)gap, CAP);
}

static void truncated_replayed_not_duplicated(void **state)
{
    fault_then_pass(FAULT_TRUNCATED, 4, 1500, 1);
}

static void stall_aborted_retried_then_once(void **state)
{
    int64_t t0 = mono_ms();
    fault_then_pass(FAULT_STALL, 2, 1500, 1);
    assert_true(mono_ms() - t0 < 9000); /* each stall cut by request_timeout_ms/stall_s */
}

/* A few hundred check-ins in batches of 10 while the proxy flips through every mode at random
 * moments (PASS only briefly, so the drain outlasts the faults), then PASS: every one on the
 * board exactly once. */
static void mixed_faults_exactly_once(void **state)
{
    struct env e;
    env_init_proxied(&e, FAULT_HTTP_500);
    assert_int_equal(env_queue(&e, N_MIX, NULL), 0);
    unsigned seed = (unsigned)time(NULL) ^ (unsigned)getpid();
    srand(seed);
    fprintf(stderr, "mixed_faults_exactly_once: seed %u\n", seed);
    struct sync *s = start_sync(&e, 10, 150, 1500, 1);
    enum fault_mode order[FAULT_MODE_COUNT];
    int64_t end = mono_ms() + 5000;
    int left = N_MIX;
    /* until a third is left and at least one batch went through in a brief PASS */
    while (mono_ms() < end && (left > N_MIX / 3 || stats(&e).posts_by_mode[FAULT_PASS] < 1)) {
        for (int i = 0; i < FAULT_MODE_COUNT; i++) /* each round: every mode, shuffled */
            order[i] = (enum fault_mode)i;
        for (int i = FAULT_MODE_COUNT - 1; i > 0; i--) {
            int j = rand() % (i + 1);
            enum fault_mode t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        for (int i = 0; i < FAULT_MODE_COUNT && mono_ms() < end && left > 0; i++) {
            faultproxy_set_mode(e.fp, order[i]);
            sleep_ms(order[i] == FAULT_PASS ? 20 + rand() % 40 : 30 + rand() % 220);
            left = store_count_pending(e.store);
        }
    }
    faultproxy_set_mode(e.fp, FAULT_PASS);
    assert_true(left > 0); /* the faults met a drain still going */
    struct faultproxy_stats st = stats(&e);
    long faulted = 0;
    for (int m = FAULT_HTTP_500; m < FAULT_MODE_COUNT; m++)
        faulted += st.by_mode[m];
    assert_true(faulted >= 5);
    assert_true(st.posts_by_mode[FAULT_PASS] >= 1);
    assert_int_equal(env_wait_drained(&e, 20000), 0);
    sync_stop(s);
    assert_int_equal(store_count_set_aside(e.store), 0);
    assert_int_equal(env_check_once(&e, true), 0);
    env_release_proxied(&e);
}

/* Waits up to timeout_ms for the sync to hand over a directory; NULL when none came. */
static struct hub_dir *wait_dir(struct sync *s, int timeout_ms)
{
    int64_t end = mono_ms() + timeout_ms;
    struct hub_dir *d;
    while (!(d = sync_take_dir(s)) && mono_ms() < end)
        sleep_ms(10);
    return d;
}

static enum worker_status status_of(const struct hub_dir *d, const char *id)
{
    int i = dir_find(d, id);
    assert_true(i >= 0);
    return d->workers[i].status;
}

/* GARBAGE and TRUNCATED answers to GET /directory never replace the last good directory, in
 * memory or in the store, even though hubd's has changed; PASS brings the new one. */
static void bad_directory_keeps_last_good(void **state)
{
    struct env e;
    env_init_proxied(&e, FAULT_PASS);
    struct sync *s = start_sync(&e, 0, 100, 1500, 1);
    struct hub_dir *d = wait_dir(s, 5000);
    assert_non_null(d);
    assert_int_equal(status_of(d, "w-sian"), WS_AVAILABLE);
    dir_free(d);
    char etag0[128], etag[128];
    size_t len0 = 0, len = 0;
    int64_t end = mono_ms() + 3000; /* the store keeps it right after handing it over */
    char *json0 = NULL;
    while (!(json0 = store_get_dir(e.store, &len0, etag0, sizeof(etag0))) && mono_ms() < end)
        sleep_ms(10);
    assert_non_null(json0);
    assert_true(etag0[0] != '\0');
    static const char away[] = "{\"status\":\"away\"}";
    assert_int_equal(http_status(&e.srv, "PATCH", "/api/v1/workers/w-sian", e.reception,
                                 "application/json", away),
                     200);
    static const enum fault_mode bad[] = {FAULT_GARBAGE, FAULT_TRUNCATED};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        long before = stats(&e).by_mode[bad[i]];
        faultproxy_set_mode(e.fp, bad[i]);
        end = mono_ms() + 5000;
        while (stats(&e).by_mode[bad[i]] < before + 3 && mono_ms() < end)
            sleep_ms(10);
        assert_true(stats(&e).by_mode[bad[i]] >= before + 3);
        assert_null(sync_take_dir(s)); /* nothing new from a bad answer */
        char *json = store_get_dir(e.store, &len, etag, sizeof(etag));
        assert_non_null(json);
        assert_string_equal(etag, etag0);
        assert_int_equal(len, len0);
        assert_memory_equal(json, json0, len0);
        free(json);
    }
    assert_true(stats(&e).forwarded > 0); /* TRUNCATED did fetch hubd's new directory */
    faultproxy_set_mode(e.fp, FAULT_PASS);
    d = wait_dir(s, 5000);
    assert_non_null(d);
    assert_int_equal(status_of(d, "w-sian"), WS_AWAY);
    dir_free(d);
    sync_stop(s);
    char *json = store_get_dir(e.store, &len, etag, sizeof(etag));
    assert_non_null(json);
    assert_string_not_equal(etag, etag0);
    free(json);
    free(json0);
    env_release_proxied(&e);
}

/* sync_poll_result: 0 while hubd answers with an error (500, garbage: it is online, the ack may
 * still come), -1 soon after requests get no HTTP answer at all (DOWN, RESET), 1 once acked. */
static void poll_result_tells_unreachable(void **state)
{
    struct env e;
    struct ticket t;
    struct sync_status st;
    env_init_proxied(&e, FAULT_HTTP_500);
    assert_int_equal(env_queue(&e, 1, NULL), 0);
    struct sync *s = start_sync(&e, 0, -1, 1500, 1);
    assert_true(wait_posts(&e, FAULT_HTTP_500, 3, 5000, NULL) >= 3);
    /* hubd answers, but the sends fail: the sync backs off, so no answer is coming soon */
    assert_int_equal(sync_poll_result(s, e.ids[0], &t), -1);
    sync_get_status(s, &st);
    assert_true(st.online);
    assert_true(st.last_contact_ms > 0);
    assert_non_null(strstr(st.last_error, "500"));

    faultproxy_set_mode(e.fp, FAULT_GARBAGE);
    assert_true(wait_posts(&e, FAULT_GARBAGE, 3, 5000, NULL) >= 3);
    assert_int_equal(sync_poll_result(s, e.ids[0], &t), -1);
    sync_get_status(s, &st);
    assert_true(st.online);

    faultproxy_set_mode(e.fp, FAULT_DOWN);
    int64_t t0 = mono_ms(), end = t0 + 3000;
    sync_get_status(s, &st);
    while ((stats(&e).by_mode[FAULT_DOWN] < 1 || st.online) && mono_ms() < end) {
        sleep_ms(5);
        sync_get_status(s, &st);
    }
    int64_t took = mono_ms() - t0;
    assert_int_equal(sync_poll_result(s, e.ids[0], &t), -1);
    if (took > CAP + GAP_SLACK + 200)
        fail_msg("poll_result became -1 only %lld ms after hubd went away", (long long)took);
    assert_true(stats(&e).by_mode[FAULT_DOWN] >= 1);
    sync_get_status(s, &st);
    assert_false(st.online);
    assert_true(st.last_error[0] != '\0');
    t0 = mono_ms(); /* and sync_wait_result does not wait for an answer that will not come */
    assert_int_equal(sync_wait_result(s, e.ids[0], 2000, &t), 0);
    assert_true(mono_ms() - t0 < 500);

    faultproxy_set_mode(e.fp, FAULT_RESET);
    long before = stats(&e).by_mode[FAULT_RESET];
    end = mono_ms() + 3000;
    while (stats(&e).by_mode[FAULT_RESET] < before + 2 && mono_ms() < end)
        sleep_ms(5);
    assert_true(stats(&e).by_mode[FAULT_RESET] >= before + 2);
    assert_int_equal(sync_poll_result(s, e.ids[0], &t), -1);

    faultproxy_set_mode(e.fp, FAULT_PASS);
    end = mono_ms() + 5000;
    int rc;
    while ((rc = sync_poll_result(s, e.ids[0], &t)) != 1 && mono_ms() < end)
        sleep_ms(5);
    assert_int_equal(rc, 1);
    assert_true(t.code[0] != '\0');
    /* The status is the sync thread's cached count: it catches up within a moment. */
    end = mono_ms() + 3000;
    do {
        sync_get_status(s, &st);
        if (st.online && st.pending == 0)
            break;
        sleep_ms(5);
    } while (mono_ms() < end);
    assert_true(st.online);
    assert_int_equal(st.pending, 0);
    sync_stop(s);
    assert_int_equal(env_check_once(&e, true), 0);
    env_release_proxied(&e);
}

/* With the kiosk's long production timeouts, sync_stop still returns at once while a request
 * is held by the proxy: the abort flag cuts the transfer. Nothing queued is lost. */
static void stop_is_prompt_while_stalled(void **state)
{
    struct env e;
    env_init_proxied(&e, FAULT_STALL);
    assert_int_equal(env_queue(&e, 5, NULL), 0);
    struct sync *s = start_sync(&e, 0, 5000, 20000, 10);
    int64_t end = mono_ms() + 3000;
    while (stats(&e).stalled < 1 && mono_ms() < end)
        sleep_ms(5);
    assert_int_equal(stats(&e).stalled, 1);
    sleep_ms(300);
    int64_t t0 = mono_ms();
    sync_stop(s);
    int64_t took = mono_ms() - t0;
    if (took >= 2000)
        fail_msg("sync_stop took %lld ms with a request stalled", (long long)took);
    assert_int_equal(store_count_pending(e.store), 5);
    end = mono_ms() + 2000; /* the kiosk hung up on the held request */
    while (stats(&e).stalled > 0 && mono_ms() < end)
        sleep_ms(5);
    assert_int_equal(stats(&e).stalled, 0);
    env_release_proxied(&e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(http_500_retried_then_once),
        cmocka_unit_test(garbage_retried_then_once),
        cmocka_unit_test(truncated_replayed_not_duplicated),
        cmocka_unit_test(stall_aborted_retried_then_once),
        cmocka_unit_test(poll_result_tells_unreachable),
        cmocka_unit_test(bad_directory_keeps_last_good),
        cmocka_unit_test(stop_is_prompt_while_stalled),
        cmocka_unit_test(mixed_faults_exactly_once),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
