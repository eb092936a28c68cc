/* test_sync.c — the kiosk's local store and sync thread against a real hubd on loopback:
 * queued while hubd is down, drained exactly once; hubd killed mid-drain; bad directories. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "backend_sync.h"
#include "proto/ticket.h"
#include "store.h"
#include "sync.h"
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
    int64_t end = mono_ms() + 5000; /* the directory came, and was kept */
    struct hub_dir *d = NULL;
    while (!(d = sync_take_dir(s)) && mono_ms() < end)
        sleep_ms(20);
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
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
