/* test_me.c — integration tests of who a token is: GET /me for each role, the `token`
 * command's --worker, and a worker token kept to its own worker (list and status). */
#include "test_api.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* GET /me with token; the parsed body (the caller frees it). */
static cJSON *me(const char *token)
{
    struct resp r;
    assert_int_equal(http(&srv, "GET", "/api/v1/me", token, NULL, NULL, 0, NULL, &r), 0);
    assert_int_equal(r.status, 200);
    cJSON *j = resp_json(&r);
    resp_free(&r);
    assert_non_null(j);
    return j;
}

static void expect_me(const char *token, const char *role, const char *name, const char *worker)
{
    cJSON *j = me(token);
    assert_string_equal(cJSON_GetObjectItem(j, "role")->valuestring, role);
    assert_string_equal(cJSON_GetObjectItem(j, "name")->valuestring, name);
    cJSON *w = cJSON_GetObjectItem(j, "worker_id");
    if (worker)
        assert_string_equal(cJSON_GetStringValue(w), worker);
    else
        assert_true(cJSON_IsNull(w));
    /* the token's hub, from the database it was made in */
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(j, "hub_id")), "testhub");
    assert_int_equal(cJSON_GetArraySize(j), 4);
    cJSON_Delete(j);
}

void test_me(void **state)
{
    expect_me(tok[T_KIOSK], "kiosk", "test", NULL);
    expect_me(tok[T_RECEPTION], "reception", "test", NULL);
    expect_me(tok[T_WORKER], "worker", "test", "w-sian");
    expect_me(tok[T_MANAGER], "manager", "test", NULL);
    expect_me(tok[T_ADMIN], "admin", "test-admin", NULL);
    expect_me(tok_amir, "worker", "amir-phone", "w-amir");
    expect_me(tok_untied, "worker", "old-worker", NULL);
    assert_int_equal(http_status(&srv, "GET", "/api/v1/me", NULL, NULL, NULL), 401);
    assert_int_equal(http_status(&srv, "GET", "/api/v1/me", "nope", NULL, NULL), 401);
    assert_int_equal(
        http_status(&srv, "POST", "/api/v1/me", tok[T_ADMIN], "application/json", "{}"), 405);
    /* a token made while hubd runs is known at once, worker included */
    char fresh[65];
    assert_int_equal(make_worker_token(&srv, fixture("hub.json"), "rhian-tablet", "w-rhian", fresh),
                     0);
    expect_me(fresh, "worker", "rhian-tablet", "w-rhian");
}

void test_token_command(void **state)
{
    char out[256], err[256];
    /* an unknown worker, --worker on another role, a bad id: exit 2 with one line */
    const char *unknown[] = {"--db", srv.db, "token", "worker", "x", "--worker", "w-ghost", NULL};
    assert_int_equal(run_hubd(unknown, out, sizeof(out), err, sizeof(err)), 2);
    assert_non_null(strstr(err, "no such worker"));
    assert_string_equal(out, "");
    const char *role[] = {"--db", srv.db, "token", "reception", "x", "--worker", "w-sian", NULL};
    assert_int_equal(run_hubd(role, out, sizeof(out), err, sizeof(err)), 2);
    assert_non_null(strstr(err, "only for worker tokens"));
    const char *bad[] = {"--db", srv.db, "token", "worker", "x", "--worker", "w sian", NULL};
    assert_int_equal(run_hubd(bad, out, sizeof(out), err, sizeof(err)), 2);
    const char *extra[] = {"--db", srv.db, "token", "worker", "x", "--worker", NULL};
    assert_int_equal(run_hubd(extra, out, sizeof(out), err, sizeof(err)), 2);
    /* a new database has no hub to check the worker against, unless --seed gives it one */
    struct server fresh;
    assert_int_equal(server_init(&fresh), 0);
    const char *nohub[] = {"--db", fresh.db, "token", "worker", "x", "--worker", "w-sian", NULL};
    assert_int_equal(run_hubd(nohub, out, sizeof(out), err, sizeof(err)), 2);
    assert_non_null(strstr(err, "--seed"));
    char t[65];
    assert_int_equal(make_worker_token(&fresh, fixture("hub.json"), "x", "w-sian", t), 0);
    /* an untied worker token is still made, with a note on stderr */
    const char *untied[] = {"--db", fresh.db, "token", "worker", "x", NULL};
    assert_int_equal(run_hubd(untied, out, sizeof(out), err, sizeof(err)), 0);
    assert_int_equal(strlen(out), 65);
    assert_non_null(strstr(err, "--worker"));
    server_cleanup(&fresh);
}

/* The ids on GET path as token; asserts 200. */
static void board_ids(const char *path, const char *token, char *ids, size_t cap, char *workers,
                      size_t wcap)
{
    struct resp r;
    cJSON *it;
    assert_int_equal(http(&srv, "GET", path, token, NULL, NULL, 0, NULL, &r), 0);
    assert_int_equal(r.status, 200);
    cJSON *j = resp_json(&r);
    ids[0] = workers[0] = '\0';
    cJSON_ArrayForEach(it, cJSON_GetObjectItem(j, "checkins"))
    {
        cJSON *w = cJSON_GetObjectItem(it, "worker_id");
        size_t n = strlen(ids), m = strlen(workers);
        snprintf(ids + n, cap - n, "%s ", cJSON_GetObjectItem(it, "id")->valuestring);
        snprintf(workers + m, wcap - m, "%s ", cJSON_IsString(w) ? w->valuestring : "-");
    }
    cJSON_Delete(j);
    resp_free(&r);
}

/* True when every word of list is want. */
static int all_are(const char *list, const char *want)
{
    char word[80];
    int n = 0, off = 0;
    while (sscanf(list + off, "%79s%n", word, &n) == 1) {
        if (strcmp(word, want) != 0)
            return 0;
        off += n;
    }
    return 1;
}

static void expect_403(const char *method, const char *path, const char *token, const char *body,
                       const char *words)
{
    struct resp r;
    assert_int_equal(http(&srv, method, path, token, body ? "application/json" : NULL, body,
                          body ? strlen(body) : 0, NULL, &r),
                     0);
    if (r.status != 403 || !strstr(r.body, words))
        fail_msg("%s %s: %ld %s", method, path, r.status, r.body);
    resp_free(&r);
}

void test_worker_scope(void **state)
{
    char sian[37], amir[37], ids[8192], workers[4096];
    struct resp r;
    uuid4(sian);
    uuid4(amir);
    char *b1 = checkin_body(sian, "w-sian", "housing", false, "Nia", "the flat is cold", true);
    char *b2 = checkin_body(amir, "w-amir", "benefits", false, "Tom", "my claim stopped", true);
    assert_int_equal(post_checkin(b1, &r), 201);
    resp_free(&r);
    assert_int_equal(post_checkin(b2, &r), 201);
    resp_free(&r);
    free(b1);
    free(b2);
    /* Sian's token sees Sian's list, whatever worker_id it asks for */
    const char *paths[] = {"/api/v1/checkins?status=waiting", "/api/v1/checkins?worker_id=w-amir",
                           "/api/v1/checkins?status=waiting&worker_id=w-sian",
                           "/api/v1/checkins?worker_id=w-nobody"};
    for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
        board_ids(paths[i], tok[T_WORKER], ids, sizeof(ids), workers, sizeof(workers));
        assert_non_null(strstr(ids, sian));
        assert_null(strstr(ids, amir));
        assert_true(all_are(workers, "w-sian"));
    }
    board_ids("/api/v1/checkins", tok_amir, ids, sizeof(ids), workers, sizeof(workers));
    assert_non_null(strstr(ids, amir));
    assert_null(strstr(ids, sian));
    assert_true(all_are(workers, "w-amir"));
    /* reception and admin still choose */
    board_ids("/api/v1/checkins?worker_id=w-amir", tok[T_RECEPTION], ids, sizeof(ids), workers,
              sizeof(workers));
    assert_non_null(strstr(ids, amir));
    assert_true(all_are(workers, "w-amir"));
    board_ids("/api/v1/checkins", tok[T_ADMIN], ids, sizeof(ids), workers, sizeof(workers));
    assert_non_null(strstr(ids, amir));
    assert_non_null(strstr(ids, sian));
    /* a worker changes only their own status and desk */
    expect_403("PATCH", "/api/v1/workers/w-amir", tok[T_WORKER], "{\"status\":\"busy\"}",
               "only its own worker");
    expect_403("PATCH", "/api/v1/workers/w-ghost", tok[T_WORKER], "{\"status\":\"busy\"}",
               "only its own worker");
    assert_int_equal(http_status(&srv, "PATCH", "/api/v1/workers/w-sian", tok[T_WORKER],
                                 "application/json", "{\"desk\":\"Room 2\"}"),
                     200);
    assert_int_equal(http_status(&srv, "PATCH", "/api/v1/workers/w-amir", tok_amir,
                                 "application/json", "{\"status\":\"available\"}"),
                     200);
    assert_int_equal(http_status(&srv, "PATCH", "/api/v1/workers/w-amir", tok[T_RECEPTION],
                                 "application/json", "{\"status\":\"available\"}"),
                     200);
    /* a worker token that belongs to no worker may do neither, and is told why */
    expect_403("GET", "/api/v1/checkins?status=waiting", tok_untied, NULL, "not tied to a worker");
    expect_403("GET", "/api/v1/checkins?worker_id=w-sian", tok_untied, NULL,
               "not tied to a worker");
    expect_403("PATCH", "/api/v1/workers/w-sian", tok_untied, "{\"status\":\"busy\"}",
               "not tied to a worker");
    /* ... but still reads the directory */
    assert_int_equal(http_status(&srv, "GET", "/api/v1/directory", tok_untied, NULL, NULL), 200);
    /* and a worker is still refused reception's actions */
    char path[128];
    snprintf(path, sizeof(path), "/api/v1/checkins/%s/handover", sian);
    expect_403("POST", path, tok[T_WORKER], NULL, "role");
}
