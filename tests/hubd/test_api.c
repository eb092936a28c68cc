/* test_api.c — integration tests: a real hubd on a free loopback port with a temporary
 * database, driven over HTTP: health, the directory and its ETags, the role matrix,
 * idempotent check-ins, batches and concurrency (staff endpoints in test_staff.c). */
#include "test_api.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int run_robust_tests(void);
int run_attack_tests(void);
int run_health_tests(void);
int run_token_tests(void);
int run_fault_tests(void);
int run_county_tests(void);

static const char *const ROLES[T_COUNT] = {"kiosk", "reception", "worker", "manager", "admin"};
struct server srv;
char tok[T_COUNT][65];
char tok_amir[65], tok_untied[65];

static int group_setup(void **state)
{
    if (server_init(&srv) < 0)
        return -1;
    /* tokens made before the server starts must work ... */
    for (int i = 0; i < T_COUNT - 1; i++)
        if (i != T_WORKER && make_token(&srv, ROLES[i], "test", tok[i]) < 0)
            return -1;
    /* a worker token belongs to a worker of the hub, so the first one seeds the database */
    if (make_worker_token(&srv, fixture("hub.json"), "test", "w-sian", tok[T_WORKER]) < 0 ||
        make_worker_token(&srv, fixture("hub.json"), "amir-phone", "w-amir", tok_amir) < 0 ||
        make_token(&srv, "worker", "old-worker", tok_untied) < 0)
        return -1;
    const char *args[] = {"--seed", fixture("hub.json"), NULL};
    if (server_start(&srv, args) < 0)
        return -1;
    /* ... and so must tokens made while it runs */
    return make_token(&srv, "admin", "test-admin", tok[T_ADMIN]);
}

static int group_teardown(void **state)
{
    int rc = server_stop(&srv);
    server_cleanup(&srv);
    return rc == 0 ? 0 : -1;
}

long post_checkin(const char *body, struct resp *r)
{
    assert_int_equal(http(&srv, "POST", "/api/v1/checkins", tok[T_KIOSK], "application/json", body,
                          strlen(body), NULL, r),
                     0);
    return r->status;
}

static void test_health(void **state)
{
    struct resp r;
    assert_int_equal(http(&srv, "GET", "/health", NULL, NULL, NULL, 0, NULL, &r), 0);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "\"db\":\"ok\""));
    resp_free(&r);
    assert_int_equal(http_status(&srv, "GET", "/api/v1/health", NULL, NULL, NULL), 200);
}

static void etag_of(const char *token, char *etag, size_t cap)
{
    struct resp r;
    assert_int_equal(http(&srv, "GET", "/api/v1/directory", token, NULL, NULL, 0, NULL, &r), 0);
    assert_int_equal(r.status, 200);
    assert_non_null(resp_header(&r, "ETag", etag, cap));
    resp_free(&r);
}

static long directory_with(const char *inm)
{
    char h[160];
    struct resp r;
    snprintf(h, sizeof(h), "If-None-Match: %s", inm);
    assert_int_equal(http(&srv, "GET", "/api/v1/directory", tok[T_KIOSK], NULL, NULL, 0, h, &r), 0);
    long st = r.status;
    if (st == 304)
        assert_int_equal(r.len, 0);
    resp_free(&r);
    return st;
}

static void test_directory_etag(void **state)
{
    char etag[80], etag2[80], weak[100], list[200];
    struct resp r;
    assert_int_equal(http(&srv, "GET", "/api/v1/directory", tok[T_KIOSK], NULL, NULL, 0, NULL, &r),
                     0);
    cJSON *d = resp_json(&r);
    assert_non_null(d);
    assert_string_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(d, "hub"), "id")->valuestring,
                        "testhub");
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(d, "workers")), 3);
    assert_null(strstr(r.body, "future_field"));
    cJSON_Delete(d);
    resp_free(&r);
    etag_of(tok[T_KIOSK], etag, sizeof(etag));
    assert_true(etag[0] == '"');
    assert_int_equal(directory_with(etag), 304);
    snprintf(weak, sizeof(weak), "W/%s", etag);
    assert_int_equal(directory_with(weak), 304);
    snprintf(list, sizeof(list), "\"nope\", %s", etag);
    assert_int_equal(directory_with(list), 304);
    assert_int_equal(directory_with("\"0123\""), 200);
    /* a worker's status change changes the ETag */
    assert_int_equal(http_status(&srv, "PATCH", "/api/v1/workers/w-amir", tok_amir,
                                 "application/json", "{\"status\":\"away\"}"),
                     200);
    etag_of(tok[T_RECEPTION], etag2, sizeof(etag2));
    assert_string_not_equal(etag, etag2);
    assert_int_equal(directory_with(etag), 200);
    assert_int_equal(directory_with(etag2), 304);
    assert_int_equal(
        http(&srv, "GET", "/api/v1/directory", tok[T_MANAGER], NULL, NULL, 0, NULL, &r), 0);
    assert_non_null(strstr(r.body, "\"id\":\"w-amir\""));
    assert_non_null(strstr(r.body, "\"status\":\"away\""));
    resp_free(&r);
    /* setting the same status again changes nothing */
    assert_int_equal(http_status(&srv, "PATCH", "/api/v1/workers/w-amir", tok[T_RECEPTION],
                                 "application/json", "{\"status\":\"away\"}"),
                     200);
    assert_int_equal(directory_with(etag2), 304);
    assert_int_equal(http_status(&srv, "PATCH", "/api/v1/workers/w-amir", tok[T_ADMIN],
                                 "application/json",
                                 "{\"status\":\"available\",\"desk\":\"Room 9\"}"),
                     200);
    assert_int_equal(directory_with(etag2), 200);
}

struct matrix_case {
    const char *method, *path, *body;
    unsigned allowed; /* bit per role index */
};

static void test_role_matrix(void **state)
{
    char id[37], path[128], hpath[128], rpath[128];
    uuid4(id);
    snprintf(hpath, sizeof(hpath), "/api/v1/checkins/%s/handover", id);
    snprintf(rpath, sizeof(rpath), "/api/v1/checkins/%s/reassign", id);
    const struct matrix_case cases[] = {
        {"GET", "/api/v1/directory", NULL, 0x1f},
        {"POST", "/api/v1/checkins", "[]", 1 << T_KIOSK | 1 << T_ADMIN},
        {"GET", "/api/v1/checkins?status=waiting", NULL,
         1 << T_RECEPTION | 1 << T_WORKER | 1 << T_ADMIN},
        {"POST", hpath, "{}", 1 << T_RECEPTION | 1 << T_ADMIN},
        {"POST", rpath, "{\"worker_id\":null,\"reason\":\"x\"}", 1 << T_RECEPTION | 1 << T_ADMIN},
        {"PATCH", "/api/v1/workers/w-sian", "{\"status\":\"available\"}",
         1 << T_WORKER | 1 << T_RECEPTION | 1 << T_ADMIN},
        {"GET", "/api/v1/me", NULL, 0x1f},
        {"GET", "/api/v1/reports/demand?from=2025-01-01&to=2025-01-02", NULL,
         1 << T_MANAGER | 1 << T_ADMIN},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const struct matrix_case *c = &cases[i];
        const char *ct = c->body ? "application/json" : NULL;
        snprintf(path, sizeof(path), "%s", c->path);
        assert_int_equal(http_status(&srv, c->method, path, NULL, ct, c->body), 401);
        assert_int_equal(http_status(&srv, c->method, path, "not-a-token", ct, c->body), 401);
        char wrong[65];
        memset(wrong, 'a', 64);
        wrong[64] = '\0';
        assert_int_equal(http_status(&srv, c->method, path, wrong, ct, c->body), 401);
        for (int role = 0; role < T_COUNT; role++) {
            long st = http_status(&srv, c->method, path, tok[role], ct, c->body);
            if (c->allowed & (1u << role)) {
                if (st == 401 || st == 403)
                    fail_msg("%s %s as %s: %ld", c->method, path, ROLES[role], st);
            } else if (st != 403) {
                fail_msg("%s %s as %s: want 403, got %ld", c->method, path, ROLES[role], st);
            }
        }
    }
}

static void test_checkin_idempotent(void **state)
{
    char id[37];
    struct resp r, r2;
    uuid4(id);
    char *body = checkin_body(id, "w-sian", "housing", false, "Jo", "behind on the rent", true);
    assert_int_equal(post_checkin(body, &r), 201);
    cJSON *j = resp_json(&r);
    assert_non_null(j);
    assert_string_equal(cJSON_GetObjectItem(j, "id")->valuestring, id);
    /* no ticket sent (an older kiosk): hubd's own, without a kiosk code, and says so */
    const char *ticket = cJSON_GetObjectItem(j, "ticket")->valuestring;
    char code[TICKET_CODE_MAX + 1];
    assert_int_equal(ticket_parse(ticket, code, NULL), 0);
    assert_true(ticket[0] == 'H' && !code[0]);
    assert_string_equal(cJSON_GetObjectItem(j, "ticket_from")->valuestring, "hubd");
    assert_string_equal(cJSON_GetObjectItem(j, "ticket_why")->valuestring, "none sent");
    assert_true(cJSON_IsNumber(cJSON_GetObjectItem(j, "position")));
    assert_true(cJSON_IsNumber(cJSON_GetObjectItem(j, "estimated_wait_min")));
    cJSON_Delete(j);
    /* replay: 200 and the very same body */
    assert_int_equal(post_checkin(body, &r2), 200);
    assert_string_equal(r.body, r2.body);
    resp_free(&r2);
    /* the same content with other key order and spacing is the same check-in */
    cJSON *o = cJSON_Parse(body);
    cJSON *c = cJSON_DetachItemFromObject(o, "id");
    cJSON_AddItemToObject(o, "id", c);
    char *reordered = cJSON_Print(o);
    assert_int_equal(post_checkin(reordered, &r2), 200);
    assert_string_equal(r.body, r2.body);
    resp_free(&r2);
    /* the same id with a different body is a conflict, and changes nothing */
    cJSON_ReplaceItemInObject(o, "urgent", cJSON_CreateTrue());
    char *changed = cJSON_PrintUnformatted(o);
    assert_int_equal(post_checkin(changed, &r2), 409);
    assert_non_null(strstr(r2.body, "\"error\""));
    resp_free(&r2);
    assert_int_equal(post_checkin(body, &r2), 200);
    assert_string_equal(r.body, r2.body);
    resp_free(&r2);
    resp_free(&r);
    cJSON_Delete(o);
    free(reordered);
    free(changed);
    free(body);
}

static void test_tickets_and_letters(void **state)
{
    const char *doms[] = {"housing", "benefits", "health", NULL};
    const char letters[] = {'H', 'M', 'W', 'R'};
    long prev = 0;
    for (int i = 0; i < 4; i++) {
        char id[37];
        struct resp r;
        uuid4(id);
        char *body = checkin_body(id, NULL, doms[i], false, NULL, NULL, false);
        assert_int_equal(post_checkin(body, &r), 201);
        cJSON *j = resp_json(&r);
        const char *t = cJSON_GetObjectItem(j, "ticket")->valuestring;
        assert_int_equal(t[0], letters[i]);
        long n = 0;
        assert_int_equal(ticket_parse(t, NULL, &n), 0);
        assert_true(n > prev);
        prev = n;
        cJSON_Delete(j);
        resp_free(&r);
        free(body);
    }
}

static void test_batch(void **state)
{
    char ids[4][37];
    struct resp r;
    for (int i = 0; i < 4; i++)
        uuid4(ids[i]);
    char *a = checkin_body(ids[0], "w-amir", "benefits", false, NULL, NULL, false);
    char *b = checkin_body(ids[1], "w-sian", "housing", true, NULL, NULL, false);
    char *c = checkin_body(ids[2], NULL, NULL, false, NULL, NULL, false);
    char *bad = checkin_body(ids[3], "w-nobody", "housing", false, NULL, NULL, false);
    size_t cap = 2 * strlen(a) + strlen(b) + strlen(c) + strlen(bad) + 200;
    char *batch = malloc(cap);
    snprintf(batch, cap, "[%s,%s,%s,{\"id\":\"oops\"},%s,%s]", a, b, c, bad, a);
    if (post_checkin(batch, &r) != 200)
        fail_msg("%ld %s", r.status, r.body);
    cJSON *arr = resp_json(&r);
    assert_true(cJSON_IsArray(arr));
    assert_int_equal(cJSON_GetArraySize(arr), 6);
    const int want[] = {201, 201, 201, 400, 201, 200}; /* an unknown worker: reception */
    for (int i = 0; i < 6; i++) {
        cJSON *it = cJSON_GetArrayItem(arr, i);
        assert_int_equal(cJSON_GetObjectItem(it, "status")->valueint, want[i]);
    }
    assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(arr, 0), "ticket")->valuestring,
                        cJSON_GetObjectItem(cJSON_GetArrayItem(arr, 5), "ticket")->valuestring);
    assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(arr, 3), "id")->valuestring, "oops");
    cJSON *flags = cJSON_GetObjectItem(cJSON_GetArrayItem(arr, 4), "flags");
    assert_int_equal(cJSON_GetArraySize(flags), 1);
    assert_string_equal(cJSON_GetArrayItem(flags, 0)->valuestring, "worker_unknown");
    cJSON_Delete(arr);
    resp_free(&r);
    /* replaying the whole batch gives 200 for each stored one */
    if (post_checkin(batch, &r) != 200)
        fail_msg("%ld %s", r.status, r.body);
    arr = resp_json(&r);
    assert_int_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(arr, 1), "status")->valueint, 200);
    cJSON_Delete(arr);
    resp_free(&r);
    assert_int_equal(post_checkin("[]", &r), 200);
    assert_string_equal(r.body, "[]");
    resp_free(&r);
    free(a);
    free(b);
    free(c);
    free(bad);
    free(batch);
}

static void test_batch_of_100(void **state)
{
    size_t cap = 100 * 600, used = 1;
    char *batch = malloc(cap);
    struct resp r;
    batch[0] = '[';
    for (int i = 0; i < 100; i++) {
        char id[37];
        uuid4(id);
        char *b = checkin_body(id, "w-rhian", "health", false, "A Name", "some words", true);
        used += (size_t)snprintf(batch + used, cap - used, "%s%s", i ? "," : "", b);
        free(b);
    }
    snprintf(batch + used, cap - used, "]");
    assert_true(strlen(batch) < 64 * 1024);
    assert_int_equal(post_checkin(batch, &r), 200);
    cJSON *arr = resp_json(&r);
    assert_int_equal(cJSON_GetArraySize(arr), 100);
    for (int i = 0; i < 100; i++)
        assert_int_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(arr, i), "status")->valueint, 201);
    cJSON_Delete(arr);
    resp_free(&r);
    free(batch);
}

struct par {
    int ok;
    char ticket[16];
};

static void *post_one(void *arg)
{
    struct par *p = arg;
    char id[37];
    struct resp r;
    uuid4(id);
    char *body = checkin_body(id, "w-amir", "benefits", false, NULL, NULL, false);
    if (http(&srv, "POST", "/api/v1/checkins", tok[T_KIOSK], "application/json", body, strlen(body),
             NULL, &r) == 0) {
        cJSON *j = resp_json(&r);
        p->ok = r.status == 201 && j;
        if (j)
            snprintf(p->ticket, sizeof(p->ticket), "%s",
                     cJSON_GetObjectItem(j, "ticket")->valuestring);
        cJSON_Delete(j);
        resp_free(&r);
    }
    free(body);
    return NULL;
}

/* Concurrent check-ins share transactions; each still gets its own ticket. */
static void test_concurrent_checkins(void **state)
{
    enum { N = 24 };
    pthread_t th[N];
    struct par p[N];
    memset(p, 0, sizeof(p));
    for (int i = 0; i < N; i++)
        assert_int_equal(pthread_create(&th[i], NULL, post_one, &p[i]), 0);
    for (int i = 0; i < N; i++)
        pthread_join(th[i], NULL);
    for (int i = 0; i < N; i++) {
        assert_true(p[i].ok);
        for (int j = 0; j < i; j++)
            assert_string_not_equal(p[i].ticket, p[j].ticket);
    }
}

struct same {
    const char *body;
    long status;
    char reply[256];
};

static void *post_same(void *arg)
{
    struct same *p = arg;
    struct resp r;
    if (http(&srv, "POST", "/api/v1/checkins", tok[T_KIOSK], "application/json", p->body,
             strlen(p->body), NULL, &r) == 0) {
        p->status = r.status;
        snprintf(p->reply, sizeof(p->reply), "%s", r.body);
        resp_free(&r);
    }
    return NULL;
}

/* The same check-in sent many times at once (a kiosk retrying) is stored once. */
static void test_concurrent_same_id(void **state)
{
    enum { N = 12 };
    pthread_t th[N];
    struct same p[N];
    char id[37];
    int created = 0;
    uuid4(id);
    char *body = checkin_body(id, "w-sian", "housing", false, NULL, NULL, false);
    for (int i = 0; i < N; i++) {
        p[i] = (struct same){.body = body};
        assert_int_equal(pthread_create(&th[i], NULL, post_same, &p[i]), 0);
    }
    for (int i = 0; i < N; i++)
        pthread_join(th[i], NULL);
    for (int i = 0; i < N; i++) {
        assert_true(p[i].status == 201 || p[i].status == 200);
        created += p[i].status == 201;
        assert_string_equal(p[i].reply, p[0].reply);
    }
    assert_int_equal(created, 1);
    free(body);
}

static void test_head_and_methods(void **state)
{
    struct resp r;
    char allow[64];
    assert_int_equal(http(&srv, "HEAD", "/api/v1/directory", tok[T_KIOSK], NULL, NULL, 0, NULL, &r),
                     0);
    assert_int_equal(r.status, 200);
    resp_free(&r);
    assert_int_equal(
        http(&srv, "DELETE", "/api/v1/checkins", tok[T_ADMIN], NULL, NULL, 0, NULL, &r), 0);
    assert_int_equal(r.status, 405);
    assert_non_null(resp_header(&r, "Allow", allow, sizeof(allow)));
    assert_non_null(strstr(allow, "POST"));
    resp_free(&r);
    assert_int_equal(http_status(&srv, "GET", "/api/v1/nothing", tok[T_ADMIN], NULL, NULL), 404);
    assert_int_equal(http_status(&srv, "GET", "/", NULL, NULL, NULL), 404); /* no --web */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_health),
        cmocka_unit_test(test_directory_etag),
        cmocka_unit_test(test_role_matrix),
        cmocka_unit_test(test_checkin_idempotent),
        cmocka_unit_test(test_tickets_and_letters),
        cmocka_unit_test(test_batch),
        cmocka_unit_test(test_batch_of_100),
        cmocka_unit_test(test_concurrent_checkins),
        cmocka_unit_test(test_concurrent_same_id),
        cmocka_unit_test(test_board_handover_reassign),
        cmocka_unit_test(test_workers_patch),
        cmocka_unit_test(test_reports),
        cmocka_unit_test(test_me),
        cmocka_unit_test(test_token_command),
        cmocka_unit_test(test_worker_scope),
        cmocka_unit_test(test_report_exact),
        cmocka_unit_test(test_report_csv_exact),
        cmocka_unit_test(test_kiosk_ticket_board),
        cmocka_unit_test(test_kiosk_ticket_invalid),
        cmocka_unit_test(test_kiosk_ticket_migration),
        cmocka_unit_test(test_kiosk_ticket_two_kiosks),
        cmocka_unit_test(test_head_and_methods),
        cmocka_unit_test(test_taxonomy),
        cmocka_unit_test(test_taxonomy_missing_label),
    };
    curl_global_init(CURL_GLOBAL_DEFAULT);
    int failed = cmocka_run_group_tests_name("hubd api", tests, group_setup, group_teardown);
    failed += run_robust_tests();
    failed += run_attack_tests();
    failed += run_health_tests();
    failed += run_token_tests();
    failed += run_fault_tests();
    failed += run_county_tests();
    curl_global_cleanup();
    return failed ? 1 : 0;
}
