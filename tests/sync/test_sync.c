/* test_sync.c — the kiosk's local store and sync thread against a real hubd on loopback:
 * queued while hubd is down, drained exactly once; hubd killed mid-drain; bad directories; a
 * worker's change pushed by hubd's live stream within a second. Against a stand-in server:
 * polling when the stream is refused, an answer over the reader's cap, the status report. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>
#include <cmocka.h>

#include "backend_sync.h"
#include "proto/ticket.h"
#include "store.h"
#include "sync.h"
#include "fakehub.h"
#include "sync_env.h"

#define N_DOWN 100

static struct sync *start_sync(struct env *e, int batch)
{
    struct sync_config cfg = {.server = e->url,
                              .token = e->kiosk,
                              .store = e->store,
                              .batch_max = batch,
                              .backoff_base_ms = 50,
                              .backoff_cap_ms = 400,
                              .dir_every_ms = 200};
    struct sync *s = sync_start(&cfg);
    assert_non_null(s);
    return s;
}

/* The next directory the sync hands over within timeout_ms, or NULL. */
static struct hub_dir *take_dir_within(struct sync *s, int timeout_ms)
{
    int64_t end = mono_ms() + timeout_ms;
    struct hub_dir *d = NULL;
    while (!(d = sync_take_dir(s)) && mono_ms() < end)
        sleep_ms(5);
    return d;
}

/* After a long outage the backoff may be minutes; when hubd answers again (the directory is
 * asked for every few seconds regardless) the queue goes at once, and so does "send now". */
static void hubd_back_sends_at_once(void **state)
{
    struct env e;
    assert_int_equal(env_init(&e), 0);
    assert_int_equal(env_queue(&e, 10, NULL), 0);
    struct sync_config cfg = {.server = e.url,
                              .token = e.kiosk,
                              .store = e.store,
                              .backoff_base_ms = 120000, /* a retry up to two minutes away */
                              .backoff_cap_ms = 120000,
                              .dir_every_ms = 200};
    struct sync *s = sync_start(&cfg);
    assert_non_null(s);
    sleep_ms(400); /* the first send failed: backing off */
    assert_int_equal(store_count_pending(e.store), 10);
    assert_int_equal(env_start_hubd(&e), 0);
    int64_t t0 = mono_ms();
    assert_int_equal(env_wait_drained(&e, 5000), 0);
    print_message("drained %lld ms after hubd was back\n", (long long)(mono_ms() - t0));
    assert_int_equal(env_check_once(&e, true), 0);
    sync_stop(s);
    env_release(&e);
}

static void queued_while_down_arrive_once(void **state)
{
    struct env e;
    assert_int_equal(env_init(&e), 0);
    assert_int_equal(env_queue(&e, N_DOWN, NULL), 0);
    struct sync *s = start_sync(&e, 0);
    sleep_ms(500); /* a few failed attempts and backoffs against nothing */
    assert_int_equal(store_count_pending(e.store), N_DOWN);
    assert_int_equal(env_start_hubd(&e), 0);
    assert_int_equal(env_wait_drained(&e, 20000), 0);
    struct ticket t;
    assert_int_equal(store_result(e.store, e.ids[0], &t), 1);
    assert_true(t.code[0] != '\0');
    char *body = env_row_text(&e, "SELECT body FROM checkins WHERE id = ?1",
                              e.ids[N_DOWN - 1]); /* the resident's words are gone once acked */
    assert_non_null(body);
    assert_null(strstr(body, "landlord"));
    assert_null(strstr(body, "Resident"));
    free(body);
    struct hub_dir *d = take_dir_within(s, 5000); /* the directory came, and was kept */
    assert_non_null(d);
    assert_true(d->n_workers > 0);
    dir_free(d);
    sync_stop(s);
    assert_int_equal(env_check_once(&e, true), 0);
    server_kill(&e.srv); /* hubd gone: a new sync hands over the stored directory at once */
    s = start_sync(&e, 0);
    d = sync_take_dir(s);
    assert_non_null(d);
    assert_true(d->n_workers > 0);
    dir_free(d);
    sync_stop(s);
    assert_int_equal(store_prune(e.store, (int64_t)time(NULL) * 1000, 24LL * 3600 * 1000), 0);
    assert_int_equal(store_prune(e.store, (int64_t)time(NULL) * 1000 + 1000, 0), N_DOWN);
    env_release(&e);
}

static void backend_gets_server_ticket(void **state)
{
    struct env e;
    assert_int_equal(env_init(&e), 0);
    assert_int_equal(env_start_hubd(&e), 0);
    struct sync *s = start_sync(&e, 0);
    struct backend *b = backend_sync_new(e.store, s, e.kiosk);
    assert_non_null(b);
    struct kiosk_checkin c = {.lang = "cy", .chosen_by = CHOSEN_RECEPTION, .consent = false};
    snprintf(c.text, sizeof(c.text), "private words");
    struct ticket t;
    int64_t t0 = mono_ms();
    assert_int_equal(b->submit(b->self, &c, &t), 1); /* at once, hubd's line to follow */
    assert_true(mono_ms() - t0 < 500);
    char code[4], want[16];
    assert_int_equal(ticket_code_of_token(e.kiosk, code), 0); /* the code the token carries */
    snprintf(want, sizeof(want), "R-%s01", code);
    assert_string_equal(t.code, want); /* the kiosk's own: the one ticket */
    assert_int_equal(t.position, -1);  /* not known until hubd says */
    int rc;
    while ((rc = b->poll(b->self, &t)) == 0 && mono_ms() - t0 < 5000)
        sleep_ms(5);
    assert_int_equal(rc, 1);
    assert_int_equal(store_count_pending(e.store), 0);
    assert_string_equal(t.code, want);
    assert_int_equal(t.position, 0); /* first in reception's line: "You're next" */
    char *server = env_row_text(&e, "SELECT ticket FROM checkins WHERE state = 1 AND ?1", "1");
    assert_non_null(server); /* hubd adopted the kiosk's ticket */
    assert_string_equal(server, want);
    free(server);
    char *body = env_row_text(&e, "SELECT body FROM checkins WHERE state = 1 AND ?1", "1");
    assert_non_null(body);
    assert_non_null(strstr(body, "\"ticket\":\"R-"));
    free(body);
    /* a restarted kiosk numbers on from where the store got to, never the same ticket again */
    struct backend *again = backend_sync_new(e.store, s, e.kiosk);
    struct ticket t2;
    assert_int_equal(again->submit(again->self, &c, &t2), 1);
    snprintf(want, sizeof(want), "R-%s02", code);
    assert_string_equal(t2.code, want);
    backend_sync_free(again);
    backend_sync_free(b);
    sync_stop(s);
    env_release(&e);
}

static void conflict_is_set_aside(void **state)
{
    struct env e;
    assert_int_equal(env_init(&e), 0);
    assert_int_equal(env_start_hubd(&e), 0);
    assert_int_equal(env_queue(&e, 3, NULL), 0);
    char other[STORE_ID_LEN], *body;
    assert_int_equal(store_uuid4(other), 0); /* hubd has `other` already, with another body */
    body = checkin_body(other, NULL, "health", false, NULL, NULL, false);
    assert_int_equal(
        http_status(&e.srv, "POST", "/api/v1/checkins", e.kiosk, "application/json", body), 201);
    free(body);
    struct kiosk_checkin c = {.lang = "en", .chosen_by = CHOSEN_RESIDENT, .urgent = true};
    body = store_checkin_json(&c, other, (int64_t)time(NULL) * 1000, NULL);
    assert_int_equal(store_add(e.store, other, (int64_t)time(NULL) * 1000, body), 0);
    free(body);
    struct sync *s = start_sync(&e, 0);
    assert_int_equal(env_wait_drained(&e, 10000), 0);
    struct ticket t;
    assert_int_equal(store_result(e.store, other, &t), 0); /* set aside, not acknowledged */
    assert_int_equal(store_result(e.store, e.ids[2], &t), 1);
    sync_stop(s);
    env_release(&e);
}

static void offline_submit_does_not_wait(void **state)
{
    struct env e;
    assert_int_equal(env_init(&e), 0); /* hubd never started: nothing listens on e.port */
    struct sync *s = start_sync(&e, 0);
    sleep_ms(300);
    struct backend *b = backend_sync_new(e.store, s, e.kiosk);
    struct kiosk_checkin c = {.lang = "en", .chosen_by = CHOSEN_ROUTER};
    struct ticket t;
    int64_t t0 = mono_ms();
    assert_int_equal(b->submit(b->self, &c, &t), 1);
    assert_true(mono_ms() - t0 < 500);
    assert_int_equal(strncmp(t.code, "R-", 2), 0); /* the kiosk's own ticket */
    assert_int_equal(b->poll(b->self, &t), -1);    /* hubd unreachable: no point waiting */
    assert_int_equal(strncmp(t.code, "R-", 2), 0);
    assert_int_equal(t.wait_min, -1); /* reception will tell them: no made-up number */
    /* the 40th resident sent to one worker while hubd is away is not told "39 people before
     * you, about 395 minutes": the kiosk counts nobody, and every ticket is new */
    snprintf(c.worker_id, sizeof(c.worker_id), "w-sian");
    char seen[40][16];
    for (int i = 0; i < 40; i++) {
        assert_int_equal(b->submit(b->self, &c, &t), 1);
        assert_int_equal(t.position, -1);
        assert_int_equal(t.wait_min, -1);
        snprintf(seen[i], sizeof(seen[i]), "%s", t.code);
        for (int j = 0; j < i; j++)
            assert_string_not_equal(seen[i], seen[j]);
    }
    assert_int_equal(store_count_pending(e.store), 41); /* each kept to send later */
    backend_sync_free(b);
    sync_stop(s);
    env_release(&e);
}

static void store_unavailable_still_tickets(void **state)
{
    struct backend *b = backend_sync_new(NULL, NULL, NULL);
    assert_non_null(b);
    struct kiosk_checkin c = {.lang = "en", .chosen_by = CHOSEN_ROUTER};
    struct ticket t;
    assert_int_equal(b->submit(b->self, &c, &t), 0); /* final: nothing to wait for */
    assert_string_equal(t.code, "R-K01");            /* no token, no code: K */
    backend_sync_free(b);
}

static const char GOOD[] =
    "{\"hub\":{\"id\":\"h\",\"name\":\"Hub\",\"timezone\":\"Europe/London\"},\"workers\":["
    "{\"id\":\"w-a\",\"name\":\"A\",\"role\":\"r\",\"domains\":[\"housing\"],\"needs\":[],"
    "\"languages\":[\"en\"],\"desk\":\"1\",\"duty\":false,\"status\":\"available\"}]}";

static void corrupt_directory_never_replaces(void **state)
{
    char err[256];
    struct hub_dir *cur = NULL;
    assert_int_equal(sync_dir_offer(&cur, GOOD, strlen(GOOD), err, sizeof(err)), 0);
    assert_non_null(cur);
    struct hub_dir *good = cur;
    static const char *const bad[] = {
        "",
        "{",
        "null",
        "[]",
        "{\"hub\":{}}",
        "{\"workers\":[]}",
        "{\"hub\":{\"id\":\"h\",\"name\":\"Hub\",\"timezone\":\"x\"},\"workers\":[{\"id\":1}]}",
        "\xff\xfe garbage"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(sync_dir_offer(&cur, bad[i], strlen(bad[i]), err, sizeof(err)), -1);
        assert_ptr_equal(cur, good);
        assert_int_equal(cur->n_workers, 1);
        assert_string_equal(cur->workers[0].id, "w-a");
    }
    dir_free(cur);
}

/* Waits up to timeout_ms for the sync's live stream to be open (want) or closed (!want). */
static bool wait_listening(struct sync *s, bool want, int timeout_ms)
{
    struct sync_status st;
    int64_t end = mono_ms() + timeout_ms;
    do {
        sync_get_status(s, &st);
        if (st.listening == want)
            return true;
        sleep_ms(5);
    } while (mono_ms() < end);
    return false;
}

/* Takes directories from the sync until one shows worker in status want (true), or
 * timeout_ms passes (false). */
/* Waits until a directory the sync hands over has worker with status (< 0: any) and waiting
 * (< 0: any), or timeout_ms. */
static bool wait_worker_as(struct sync *s, const char *worker, int status, int waiting,
                           int timeout_ms)
{
    int64_t end = mono_ms() + timeout_ms;
    do {
        struct hub_dir *d = sync_take_dir(s);
        int i = d ? dir_find(d, worker) : -1;
        bool got = i >= 0 && (status < 0 || (int)d->workers[i].status == status) &&
                   (waiting < 0 || d->workers[i].waiting == waiting);
        dir_free(d);
        if (got)
            return true;
        sleep_ms(2);
    } while (mono_ms() < end);
    return false;
}

static bool wait_worker(struct sync *s, const char *worker, enum worker_status want, int timeout_ms)
{
    return wait_worker_as(s, worker, (int)want, -1, timeout_ms);
}

/* Reception sets worker's status on hubd; the kiosk's matcher must have it within a second,
 * though the directory is polled only every ten minutes: only the stream can bring it. */
static void status_pushed_within(struct env *e, struct sync *s, const char *status,
                                 enum worker_status want)
{
    char body[64];
    snprintf(body, sizeof(body), "{\"status\":\"%s\"}", status);
    int64_t t0 = mono_ms();
    assert_int_equal(http_status(&e->srv, "PATCH", "/api/v1/workers/w-sian", e->reception,
                                 "application/json", body),
                     200);
    if (!wait_worker(s, "w-sian", want, 1000))
        fail_msg("w-sian %s not in the kiosk's directory within a second", status);
    print_message("w-sian %s reached the kiosk in %lld ms\n", status, (long long)(mono_ms() - t0));
}

static struct sync *start_listening(struct env *e)
{
    struct sync_config cfg = {.server = e->url,
                              .token = e->kiosk,
                              .store = e->store,
                              .backoff_base_ms = 50,
                              .backoff_cap_ms = 400,
                              .dir_every_ms = 600000, /* the poll: ten minutes */
                              .dir_listening_ms = 600000,
                              .listen_retry_ms = 50,
                              .community_every_ms = -1};
    struct sync *s = sync_start(&cfg);
    assert_non_null(s);
    return s;
}

/* A worker going away in the console reaches the kiosk within a second through hubd's live
 * stream; after hubd was killed and came back, the stream is open again and still does. */
static void worker_change_pushed(void **state)
{
    struct env e;
    assert_int_equal(env_init(&e), 0);
    assert_int_equal(env_start_hubd(&e), 0);
    struct sync *s = start_listening(&e);
    assert_true(wait_worker(s, "w-sian", WS_AVAILABLE, 5000)); /* the first fetch */
    assert_true(wait_listening(s, true, 5000));
    sleep_ms(100); /* the fetch the stream's opening asked for */
    dir_free(sync_take_dir(s));
    status_pushed_within(&e, s, "away", WS_AWAY);
    status_pushed_within(&e, s, "available", WS_AVAILABLE);

    server_kill(&e.srv); /* the stream breaks: the kiosk polls until it is back */
    assert_true(wait_listening(s, false, 3000));
    assert_int_equal(env_start_hubd(&e), 0);
    assert_true(wait_listening(s, true, 10000));
    sleep_ms(100);
    dir_free(sync_take_dir(s));
    status_pushed_within(&e, s, "busy", WS_BUSY);
    sync_stop(s);
    env_release(&e);
}

/* The matcher weighs how many wait for each worker: when reception marks a resident as gone,
 * the line's new length is in the kiosk's directory within a second, though the directory is
 * polled only every ten minutes: only the stream's bare `waiting` mark can bring it. */
static void waiting_pushed(void **state)
{
    struct env e;
    assert_int_equal(env_init(&e), 0);
    assert_int_equal(env_start_hubd(&e), 0);
    struct sync *s = start_listening(&e);
    assert_true(wait_listening(s, true, 5000));
    struct kiosk_checkin like = {.lang = "en",
                                 .n_needs = 1,
                                 .needs = {"rent_arrears"},
                                 .domain_mask = 1u << 0,
                                 .chosen_by = CHOSEN_ROUTER,
                                 .worker_id = "w-sian",
                                 .text = "behind on the rent",
                                 .consent = false};
    assert_int_equal(env_queue(&e, 1, &like), 0);
    assert_int_equal(env_wait_drained(&e, 10000), 0);
    assert_true(wait_worker_as(s, "w-sian", -1, 1, 3000));
    char path[96];
    snprintf(path, sizeof(path), "/api/v1/checkins/%s/left", e.ids[0]);
    int64_t t0 = mono_ms();
    assert_int_equal(http_status(&e.srv, "POST", path, e.reception, "application/json", "{}"), 200);
    if (!wait_worker_as(s, "w-sian", -1, 0, 1000))
        fail_msg("w-sian's line of 0 not in the kiosk's directory within a second");
    print_message("the line's new length reached the kiosk in %lld ms\n",
                  (long long)(mono_ms() - t0));
    sync_stop(s);
    env_release(&e);
}

static const char SMALL_DIR[] =
    "{\"hub\":{\"id\":\"h\",\"name\":\"Hub\",\"timezone\":\"Europe/London\"},\"workers\":["
    "{\"id\":\"w-a\",\"name\":\"A\",\"role\":\"r\",\"domains\":[\"housing\"],\"needs\":[],"
    "\"languages\":[\"en\"],\"desk\":\"1\",\"duty\":false,\"status\":\"available\"}]}";

/* The kiosk's store (env_init's; hubd not started) and a stand-in server it talks to. */
static struct fakehub *fake_init(struct env *e)
{
    assert_int_equal(env_init(e), 0);
    struct fakehub *fh = fakehub_start();
    assert_non_null(fh);
    snprintf(e->url, sizeof(e->url), "http://127.0.0.1:%d", fakehub_port(fh));
    assert_int_equal(
        fakehub_set(fh, "GET", "/api/v1/directory", 200, NULL, SMALL_DIR, sizeof(SMALL_DIR) - 1),
        0);
    return fh;
}

static struct sync *start_fake(struct env *e, int dir_every_ms, int listen_retry_ms,
                               int status_every_ms)
{
    struct sync_config cfg = {.server = e->url,
                              .token = e->kiosk,
                              .store = e->store,
                              .backoff_base_ms = 50,
                              .backoff_cap_ms = 200,
                              .dir_every_ms = dir_every_ms,
                              .listen_retry_ms = listen_retry_ms,
                              .status_every_ms = status_every_ms,
                              .community_every_ms = -1};
    struct sync *s = sync_start(&cfg);
    assert_non_null(s);
    return s;
}

static long wait_count(struct fakehub *fh, const char *method, const char *path, long n,
                       int timeout_ms)
{
    int64_t end = mono_ms() + timeout_ms;
    long got;
    while ((got = fakehub_count(fh, method, path)) < n && mono_ms() < end)
        sleep_ms(5);
    return got;
}

/* A hubd that does not stream to kiosks (404, as an older one; 403 the same) leaves the kiosk
 * on the poll: the directory still comes every dir_every_ms, the stream is asked for again
 * with back-off, never in a tight loop. */
static void refused_stream_polls(void **state)
{
    struct env e;
    struct fakehub *fh = fake_init(&e);
    struct sync *s = start_fake(&e, 100, 50, -1);
    sleep_ms(1200);
    long polls = fakehub_count(fh, "GET", "/api/v1/directory");
    long asks = fakehub_count(fh, "GET", "/api/v1/events");
    print_message("refused stream: %ld polls, %ld stream attempts in 1.2 s\n", polls, asks);
    assert_true(polls >= 6);
    assert_true(asks >= 1);
    assert_true(asks <= 12); /* back-off: 50 ms doubling, not hundreds a second */
    struct sync_status st;
    sync_get_status(s, &st);
    assert_false(st.listening);
    assert_string_equal(st.last_error, ""); /* an optional stream refused is no error */
    struct hub_dir *d = sync_take_dir(s);
    assert_non_null(d);
    assert_true(dir_find(d, "w-a") >= 0);
    dir_free(d);
    sync_stop(s);
    fakehub_stop(fh);
    env_release(&e);
}

/* The fake hub's directory answer: SMALL_DIR after pad bytes of whitespace (which would parse,
 * were it read). */
static void set_padded_dir(struct fakehub *fh, size_t pad)
{
    size_t n = sizeof(SMALL_DIR) - 1;
    char *big = malloc(pad + n);
    assert_non_null(big);
    memset(big, ' ', pad);
    memcpy(big + pad, SMALL_DIR, n);
    assert_int_equal(fakehub_set(fh, "GET", "/api/v1/directory", 200, NULL, big, pad + n), 0);
    free(big);
}

/* An answer over the reader's cap (a valid directory padded past 1 MB) is dropped, never
 * half-read nor taken; the very next answer is read whole: each request starts its buffer
 * afresh. */
static void answer_over_cap_dropped(void **state)
{
    struct env e;
    struct fakehub *fh = fake_init(&e);
    set_padded_dir(fh, 1024 * 1024 + 4096);
    struct sync *s = start_fake(&e, 100, -1, -1);
    assert_true(wait_count(fh, "GET", "/api/v1/directory", 4, 5000) >= 4);
    assert_null(sync_take_dir(s));
    struct sync_status st;
    sync_get_status(s, &st);
    assert_true(st.online); /* hubd did answer */
    set_padded_dir(fh, 0);
    struct hub_dir *d = take_dir_within(s, 3000);
    assert_non_null(d);
    assert_true(dir_find(d, "w-a") >= 0);
    dir_free(d);
    sync_stop(s);
    fakehub_stop(fh);
    env_release(&e);
}

/* Eight answers of 300 KB each, 2.4 MB in all, more than the reader's 1 MB cap together:
 * every one is read whole and handed over, because each request starts its buffer afresh
 * (one kept across requests would hit the cap by the fourth). */
static void many_answers_each_read_afresh(void **state)
{
    struct env e;
    struct fakehub *fh = fake_init(&e);
    set_padded_dir(fh, 300 * 1024);
    struct sync *s = start_fake(&e, 50, -1, -1);
    for (int i = 0; i < 8; i++) {
        long before = fakehub_count(fh, "GET", "/api/v1/directory");
        dir_free(sync_take_dir(s));
        assert_true(wait_count(fh, "GET", "/api/v1/directory", before + 2, 5000) >= before + 2);
        struct hub_dir *d = take_dir_within(s, 3000);
        if (!d)
            fail_msg("answer %d of 300 KB not handed over", i + 1);
        assert_true(dir_find(d, "w-a") >= 0);
        dir_free(d);
    }
    sync_stop(s);
    fakehub_stop(fh);
    env_release(&e);
}

/* The latest status report's counts; fails unless it is exactly {pending, set_aside}. */
static void last_report(struct fakehub *fh, int *pending, int *set_aside)
{
    char body[FAKEHUB_BODY_KEEP + 1];
    assert_int_equal(fakehub_last_body(fh, "POST", "/api/v1/kiosks/status", body, sizeof(body)), 0);
    cJSON *o = cJSON_Parse(body);
    assert_true(cJSON_IsObject(o));
    assert_int_equal(cJSON_GetArraySize(o), 2);
    const cJSON *p = cJSON_GetObjectItemCaseSensitive(o, "pending");
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(o, "set_aside");
    assert_true(cJSON_IsNumber(p) && cJSON_IsNumber(a));
    *pending = p->valueint;
    *set_aside = a->valueint;
    cJSON_Delete(o);
}

/* Waits until a status report says pending and set_aside (true), or timeout_ms. */
static bool wait_report(struct fakehub *fh, int pending, int set_aside, int timeout_ms)
{
    int64_t end = mono_ms() + timeout_ms;
    do {
        int p = -1, a = -1;
        if (fakehub_count(fh, "POST", "/api/v1/kiosks/status") > 0)
            last_report(fh, &p, &a);
        if (p == pending && a == set_aside)
            return true;
        sleep_ms(10);
    } while (mono_ms() < end);
    return false;
}

/* What the kiosk holds goes to hubd as {"pending": N, "set_aside": M}: at the start, at once
 * when the counts change (here long before the minute), and again every period. */
static void status_reported(void **state)
{
    struct env e;
    struct fakehub *fh = fake_init(&e);
    assert_int_equal(fakehub_set(fh, "POST", "/api/v1/checkins", 500, NULL, NULL, 0), 0);
    assert_int_equal(fakehub_set(fh, "POST", "/api/v1/kiosks/status", 204, NULL, NULL, 0), 0);
    assert_int_equal(env_queue(&e, 3, NULL), 0); /* hubd answers 500: they stay pending */
    struct sync *s = start_fake(&e, 100, -1, 60000);
    assert_true(wait_report(fh, 3, 0, 3000));
    long first = fakehub_count(fh, "POST", "/api/v1/kiosks/status");
    char more[2][STORE_ID_LEN];
    assert_int_equal(env_add_checkins(e.store, more, 2, NULL, NULL), 0);
    sync_wake(s);
    assert_true(wait_report(fh, 5, 0, 2000)); /* (4 pending may be said on the way: a change) */
    assert_int_equal(store_reject(e.store, e.ids[0], 409, "conflict"), 0);
    sync_wake(s);
    assert_true(wait_report(fh, 4, 1, 2000));
    long settled = fakehub_count(fh, "POST", "/api/v1/kiosks/status");
    assert_true(settled >= first + 2);
    sleep_ms(500); /* nothing changed: nothing more said before the minute */
    assert_int_equal(fakehub_count(fh, "POST", "/api/v1/kiosks/status"), settled);
    sync_stop(s);

    s = start_fake(&e, 100, -1, 200); /* a short period: said again though nothing changed */
    long before = fakehub_count(fh, "POST", "/api/v1/kiosks/status");
    sleep_ms(1100);
    assert_true(fakehub_count(fh, "POST", "/api/v1/kiosks/status") >= before + 4);
    int p, a;
    last_report(fh, &p, &a);
    assert_int_equal(p, 4);
    assert_int_equal(a, 1);
    sync_stop(s);
    fakehub_stop(fh);
    env_release(&e);
}

/* A hubd without the status endpoint (404) is tolerated: asked once, not again for every
 * change, never the staff's last error; check-ins still go. */
static void status_unknown_tolerated(void **state)
{
    struct env e;
    struct fakehub *fh = fake_init(&e);
    assert_int_equal(fakehub_set(fh, "POST", "/api/v1/checkins", 500, NULL, NULL, 0), 0);
    assert_int_equal(env_queue(&e, 2, NULL), 0);
    struct sync *s = start_fake(&e, 100, -1, 200);
    assert_true(wait_count(fh, "POST", "/api/v1/kiosks/status", 1, 3000) >= 1);
    char more[1][STORE_ID_LEN];
    assert_int_equal(env_add_checkins(e.store, more, 1, NULL, NULL), 0);
    sync_wake(s);
    sleep_ms(800); /* four periods and a change */
    assert_int_equal(fakehub_count(fh, "POST", "/api/v1/kiosks/status"), 1);
    struct sync_status st;
    sync_get_status(s, &st);
    assert_null(strstr(st.last_error, "kiosks/status"));
    assert_int_equal(st.pending, 3);
    sync_stop(s);
    fakehub_stop(fh);
    env_release(&e);
}

/* Against the real hubd: what the kiosk holds is on reception's list of kiosks, a check-in
 * hubd refused (409) counted as set aside, and the change reported at once. */
static void status_reaches_hubd(void **state)
{
    struct env e;
    assert_int_equal(env_init(&e), 0);
    assert_int_equal(env_start_hubd(&e), 0);
    char other[STORE_ID_LEN], *body;
    assert_int_equal(store_uuid4(other), 0); /* hubd has `other` already, with another body */
    body = checkin_body(other, NULL, "health", false, NULL, NULL, false);
    assert_int_equal(
        http_status(&e.srv, "POST", "/api/v1/checkins", e.kiosk, "application/json", body), 201);
    free(body);
    struct kiosk_checkin c = {.lang = "en", .chosen_by = CHOSEN_RESIDENT, .urgent = true};
    body = store_checkin_json(&c, other, (int64_t)time(NULL) * 1000, NULL);
    assert_int_equal(store_add(e.store, other, (int64_t)time(NULL) * 1000, body), 0);
    free(body);
    struct sync *s = start_sync(&e, 0);
    int64_t end = mono_ms() + 5000;
    bool seen = false;
    while (!seen && mono_ms() < end) {
        struct resp r;
        assert_int_equal(
            http(&e.srv, "GET", "/api/v1/kiosks", e.reception, NULL, NULL, 0, NULL, &r), 0);
        assert_int_equal(r.status, 200);
        cJSON *o = resp_json(&r);
        const cJSON *k;
        cJSON_ArrayForEach(k, cJSON_GetObjectItemCaseSensitive(o, "kiosks"))
        {
            const cJSON *p = cJSON_GetObjectItemCaseSensitive(k, "pending");
            const cJSON *a = cJSON_GetObjectItemCaseSensitive(k, "set_aside");
            seen |= cJSON_IsNumber(p) && p->valueint == 0 && cJSON_IsNumber(a) && a->valueint == 1;
        }
        cJSON_Delete(o);
        resp_free(&r);
        if (!seen)
            sleep_ms(50);
    }
    assert_true(seen);
    struct sync_status st;
    sync_get_status(s, &st);
    assert_int_equal(st.set_aside, 1);
    sync_stop(s);
    env_release(&e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(corrupt_directory_never_replaces),
        cmocka_unit_test(store_unavailable_still_tickets),
        cmocka_unit_test(offline_submit_does_not_wait),
        cmocka_unit_test(backend_gets_server_ticket),
        cmocka_unit_test(conflict_is_set_aside),
        cmocka_unit_test(queued_while_down_arrive_once),
        cmocka_unit_test(hubd_back_sends_at_once),
        cmocka_unit_test(worker_change_pushed),
        cmocka_unit_test(waiting_pushed),
        cmocka_unit_test(refused_stream_polls),
        cmocka_unit_test(answer_over_cap_dropped),
        cmocka_unit_test(many_answers_each_read_afresh),
        cmocka_unit_test(status_reported),
        cmocka_unit_test(status_unknown_tolerated),
        cmocka_unit_test(status_reaches_hubd),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
