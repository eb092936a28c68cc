/* test_sync.c — the kiosk's local store and sync thread against a real hubd on loopback:
 * queued while hubd is down, drained exactly once; hubd killed mid-drain; bad directories. */
#include <cjson/cJSON.h>
#include <netinet/in.h>
#include <sqlite3.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "../hubd/client.h"
#include "backend_sync.h"
#include "store.h"
#include "sync.h"

#define N_DOWN 100

static char ids[N_DOWN][STORE_ID_LEN];

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(int ms)
{
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* A loopback port free right now (hubd binds it with SO_REUSEADDR on every restart). */
static int free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof(a);
    assert_true(fd >= 0);
    assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
    assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
    close(fd);
    return ntohs(a.sin_port);
}

struct env {
    struct server srv;
    char port[16], url[64], kiosk[80], reception[80], data[400];
    struct store *store;
};

static void start_hubd(struct env *e)
{
    const char *args[] = {"--port", e->port, NULL};
    for (int i = 0; i < 50; i++) {
        if (server_start(&e->srv, args) == 0)
            return;
        sleep_ms(100); /* the old socket may linger a moment */
    }
    fail_msg("hubd did not start on port %s", e->port);
}

static void env_init(struct env *e)
{
    memset(e, 0, sizeof(*e));
    assert_int_equal(server_init(&e->srv), 0);
    snprintf(e->port, sizeof(e->port), "%d", free_port());
    snprintf(e->url, sizeof(e->url), "http://127.0.0.1:%s", e->port);
    char out[256], err[256];
    const char *seed[] = {"--db",  e->srv.db, "--seed",     "assets/demo-hub.json",
                          "token", "kiosk",   "front-door", NULL};
    assert_int_equal(run_hubd(seed, out, sizeof(out), err, sizeof(err)), 0);
    snprintf(e->kiosk, sizeof(e->kiosk), "%.64s", out);
    assert_int_equal(make_token(&e->srv, "reception", "desk", e->reception), 0);
    snprintf(e->data, sizeof(e->data), "%s/kiosk", e->srv.dir);
    char why[256];
    e->store = store_open(e->data, why, sizeof(why));
    assert_non_null(e->store);
}

static void env_release(struct env *e)
{
    server_kill(&e->srv);
    store_free(e->store);
    server_cleanup(&e->srv);
}

static void queue(struct env *e, int n)
{
    for (int i = 0; i < n; i++) {
        struct checkin c = {.lang = "en",
                            .n_needs = 1,
                            .needs = {"rent_arrears"},
                            .domain_mask = 1u << 0,
                            .chosen_by = CHOSEN_ROUTER,
                            .consent = true};
        snprintf(c.name, sizeof(c.name), "Resident %d", i);
        snprintf(c.text, sizeof(c.text), "my landlord wants me out %d", i);
        assert_int_equal(store_uuid4(ids[i]), 0);
        char *body = store_checkin_json(&c, ids[i], (int64_t)time(NULL) * 1000);
        assert_non_null(body);
        assert_int_equal(store_add(e->store, ids[i], (int64_t)time(NULL) * 1000, body), 0);
        free(body);
    }
    assert_int_equal(store_count_pending(e->store), n);
}

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

static void wait_drained(struct env *e, int timeout_ms)
{
    int64_t end = mono_ms() + timeout_ms;
    while (store_count_pending(e->store) > 0 && mono_ms() < end)
        sleep_ms(20);
    assert_int_equal(store_count_pending(e->store), 0);
}

/* Every one of ids[0..n) is on hubd's board exactly once, and nothing else is. */
static void assert_board(struct env *e, int n)
{
    struct resp r;
    assert_int_equal(http(&e->srv, "GET", "/api/v1/checkins?status=waiting", e->reception, NULL,
                          NULL, 0, NULL, &r),
                     0);
    assert_int_equal(r.status, 200);
    cJSON *root = resp_json(&r);
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(root, "checkins");
    assert_true(cJSON_IsArray(arr));
    assert_int_equal(cJSON_GetArraySize(arr), n);
    for (int i = 0; i < n; i++) {
        int seen = 0;
        const cJSON *it;
        cJSON_ArrayForEach(it, arr)
        {
            const cJSON *id = cJSON_GetObjectItemCaseSensitive(it, "id");
            seen += cJSON_IsString(id) && strcmp(id->valuestring, ids[i]) == 0;
        }
        if (seen != 1)
            fail_msg("check-in %s is on the board %d times", ids[i], seen);
    }
    cJSON_Delete(root);
    resp_free(&r);
}

/* The first column of the first row of sql (with ?1 = arg) in the kiosk's database, read
 * straight from the file; malloc'd, or NULL. */
static char *row_text(const struct env *e, const char *sql, const char *arg)
{
    char path[500];
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    char *out = NULL;
    snprintf(path, sizeof(path), "%s/kiosk.db", e->data);
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    sqlite3_bind_text(st, 1, arg, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
        out = strdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(db);
    return out;
}

static void queued_while_down_arrive_once(void **state)
{
    struct env e;
    env_init(&e);
    queue(&e, N_DOWN);
    struct sync *s = start_sync(&e, 0);
    sleep_ms(500); /* a few failed attempts and backoffs against nothing */
    assert_int_equal(store_count_pending(e.store), N_DOWN);
    start_hubd(&e);
    wait_drained(&e, 20000);
    struct ticket t;
    assert_int_equal(store_result(e.store, ids[0], &t), 1);
    assert_true(t.code[0] != '\0');
    char *body = row_text(&e, "SELECT body FROM checkins WHERE id = ?1",
                          ids[N_DOWN - 1]); /* the resident's words are gone once acked */
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
    assert_board(&e, N_DOWN);
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
    env_init(&e);
    start_hubd(&e);
    struct sync *s = start_sync(&e, 0);
    struct backend *b = backend_sync_new(e.store, s);
    assert_non_null(b);
    struct checkin c = {.lang = "cy", .chosen_by = CHOSEN_RECEPTION, .consent = false};
    snprintf(c.text, sizeof(c.text), "private words");
    struct ticket t;
    int64_t t0 = mono_ms();
    assert_int_equal(b->submit(b->self, &c, &t), 1); /* at once, hubd's ticket to follow */
    assert_true(mono_ms() - t0 < 500);
    assert_string_equal(t.code, "R001"); /* the kiosk's own, in case hubd does not answer */
    int rc;
    while ((rc = b->poll(b->self, &t)) == 0 && mono_ms() - t0 < 5000)
        sleep_ms(5);
    assert_int_equal(rc, 1);
    assert_int_equal(store_count_pending(e.store), 0);
    char *server = row_text(&e, "SELECT ticket FROM checkins WHERE state = 1 AND ?1", "1");
    assert_non_null(server); /* the resident was shown hubd's ticket, not a local one */
    assert_string_equal(t.code, server);
    free(server);
    backend_sync_free(b);
    sync_stop(s);
    env_release(&e);
}

static void conflict_is_set_aside(void **state)
{
    struct env e;
    env_init(&e);
    start_hubd(&e);
    queue(&e, 3);
    char other[STORE_ID_LEN], *body;
    assert_int_equal(store_uuid4(other), 0); /* hubd has `other` already, with another body */
    body = checkin_body(other, NULL, "health", false, NULL, NULL, false);
    assert_int_equal(
        http_status(&e.srv, "POST", "/api/v1/checkins", e.kiosk, "application/json", body), 201);
    free(body);
    struct checkin c = {.lang = "en", .chosen_by = CHOSEN_RESIDENT, .urgent = true};
    body = store_checkin_json(&c, other, (int64_t)time(NULL) * 1000);
    assert_int_equal(store_add(e.store, other, (int64_t)time(NULL) * 1000, body), 0);
    free(body);
    struct sync *s = start_sync(&e, 0);
    wait_drained(&e, 10000);
    struct ticket t;
    assert_int_equal(store_result(e.store, other, &t), 0); /* set aside, not acknowledged */
    assert_int_equal(store_result(e.store, ids[2], &t), 1);
    sync_stop(s);
    env_release(&e);
}

static void offline_submit_does_not_wait(void **state)
{
    struct env e;
    env_init(&e); /* hubd never started: nothing listens on e.port */
    struct sync *s = start_sync(&e, 0);
    sleep_ms(300);
    struct backend *b = backend_sync_new(e.store, s);
    struct checkin c = {.lang = "en", .chosen_by = CHOSEN_ROUTER};
    struct ticket t;
    int64_t t0 = mono_ms();
    assert_int_equal(b->submit(b->self, &c, &t), 1);
    assert_true(mono_ms() - t0 < 500);
    assert_string_equal(t.code, "R001");        /* the local ticket */
    assert_int_equal(b->poll(b->self, &t), -1); /* hubd unreachable: no point waiting */
    assert_string_equal(t.code, "R001");
    assert_int_equal(store_count_pending(e.store), 1);
    backend_sync_free(b);
    sync_stop(s);
    env_release(&e);
}

static void store_unavailable_still_tickets(void **state)
{
    struct backend *b = backend_sync_new(NULL, NULL);
    assert_non_null(b);
    struct checkin c = {.lang = "en", .chosen_by = CHOSEN_ROUTER};
    struct ticket t;
    assert_int_equal(b->submit(b->self, &c, &t), 0); /* final: nothing to wait for */
    assert_string_equal(t.code, "R001");
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
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
