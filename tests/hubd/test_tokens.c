/* test_tokens.c — integration tests of hubd's operators' side: `token list` and `token
 * revoke` (effective within a second), the board's total and paging, queue order by hubd's
 * receive time, an actor on every event, --bind, HTTPS, and the console's security headers. */
#include "client.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int run_token_tests(void);

static struct server srv_t;
static char kiosk_t[65], recep_t[65];

static int group_setup(void **state)
{
    if (server_init(&srv_t) < 0 || make_token(&srv_t, "kiosk", "door-kiosk", kiosk_t) < 0 ||
        make_token(&srv_t, "reception", "front-desk", recep_t) < 0)
        return -1;
    const char *args[] = {"--seed", fixture("hub.json"), NULL};
    return server_start(&srv_t, args);
}

static int group_teardown(void **state)
{
    int rc = server_stop(&srv_t);
    server_cleanup(&srv_t);
    return rc == 0 ? 0 : -1;
}

/* Finding 7: `token list` names every token with its role and worker, never a secret. */
static void test_token_list(void **state)
{
    char out[8192], err[1024], wtok[65];
    assert_int_equal(make_worker_token(&srv_t, fixture("hub.json"), "sian-phone", "w-sian", wtok),
                     0);
    const char *args[] = {"--db", srv_t.db, "token", "list", NULL};
    int rc = run_hubd(args, out, sizeof(out), err, sizeof(err));
    if (rc != 0)
        fail_msg("token list: exit %d, %s", rc, err);
    assert_non_null(strstr(out, "door-kiosk"));
    assert_non_null(strstr(out, "kiosk"));
    assert_non_null(strstr(out, "front-desk"));
    assert_non_null(strstr(out, "sian-phone"));
    assert_non_null(strstr(out, "w-sian"));
    char head[17];
    const char *secrets[] = {kiosk_t, recep_t, wtok};
    for (int i = 0; i < 3; i++) {
        memcpy(head, secrets[i], 16); /* not even a prefix of a token */
        head[16] = '\0';
        assert_null(strstr(out, head));
    }
}

/* Finding 7: `token revoke NAME` works on a running hubd within a second, no restart. */
static void test_token_revoke(void **state)
{
    char out[1024], err[1024], temp[65];
    assert_int_equal(make_token(&srv_t, "reception", "temp-desk", temp), 0);
    assert_int_equal(http_status(&srv_t, "GET", "/api/v1/me", temp, NULL, NULL), 200);
    const char *args[] = {"--db", srv_t.db, "token", "revoke", "temp-desk", NULL};
    int rc = run_hubd(args, out, sizeof(out), err, sizeof(err));
    if (rc != 0)
        fail_msg("token revoke: exit %d, %s", rc, err);
    long long t0 = steady_ms();
    long st = 200;
    while (st == 200 && steady_ms() - t0 < 3000) {
        st = http_status(&srv_t, "GET", "/api/v1/me", temp, NULL, NULL);
        if (st == 200)
            usleep(100 * 1000);
    }
    long took = (long)(steady_ms() - t0);
    if (st != 401 || took > 1300)
        fail_msg("a revoked token still answered %ld after %ld ms", st, took);
    /* the others are untouched, and the name is gone from the list */
    assert_int_equal(http_status(&srv_t, "GET", "/api/v1/me", recep_t, NULL, NULL), 200);
    const char *list[] = {"--db", srv_t.db, "token", "list", NULL};
    assert_int_equal(run_hubd(list, out, sizeof(out), err, sizeof(err)), 0);
    assert_null(strstr(out, "temp-desk"));
    /* an unknown name is an error, in one line */
    const char *none[] = {"--db", srv_t.db, "token", "revoke", "no-such-name", NULL};
    rc = run_hubd(none, out, sizeof(out), err, sizeof(err));
    if (rc == 0 || !strstr(err, "no-such-name") || strchr(err, '\n') != strrchr(err, '\n'))
        fail_msg("revoke of an unknown name: exit %d, %s", rc, err);
}

static cJSON *board(const char *query)
{
    struct resp r;
    char path[300];
    snprintf(path, sizeof(path), "/api/v1/checkins?status=waiting%s", query);
    assert_int_equal(http(&srv_t, "GET", path, recep_t, NULL, NULL, 0, NULL, &r), 0);
    if (r.status != 200)
        fail_msg("GET %s: %ld %s", path, r.status, r.body);
    cJSON *j = resp_json(&r);
    resp_free(&r);
    return j;
}

/* obj[key] as a number; fails the test when it is missing. */
static int num(const cJSON *obj, const char *key)
{
    const cJSON *v = cJSON_GetObjectItem(obj, key);
    if (!cJSON_IsNumber(v))
        fail_msg("no number \"%s\" in the board", key);
    return v->valueint;
}

static long board_status(const char *query)
{
    char path[300];
    snprintf(path, sizeof(path), "/api/v1/checkins?status=waiting%s", query);
    return http_status(&srv_t, "GET", path, recep_t, NULL, NULL);
}

static char *post_for(const char *worker, bool urgent, const char *created_at, char *id)
{
    uuid4(id);
    char *body = checkin_body(id, worker, "health", urgent, NULL, NULL, false);
    if (created_at) {
        cJSON *o = cJSON_Parse(body);
        cJSON_ReplaceItemInObject(o, "created_at", cJSON_CreateString(created_at));
        free(body);
        body = cJSON_PrintUnformatted(o);
        cJSON_Delete(o);
    }
    long st = http_status(&srv_t, "POST", "/api/v1/checkins", kiosk_t, "application/json", body);
    if (st != 201)
        fail_msg("post: %ld", st);
    return body;
}

/* Finding 6: the board says how many wait in all (total), and pages with limit/after. */
static void test_board_paging(void **state)
{
    char ids[7][37];
    for (int i = 0; i < 7; i++)
        free(post_for("w-rhian", i == 4, NULL, ids[i]));
    cJSON *all = board("&worker_id=w-rhian");
    int n = cJSON_GetArraySize(cJSON_GetObjectItem(all, "checkins"));
    assert_int_equal(n, 7);
    assert_int_equal(num(all, "count"), 7);
    assert_int_equal(num(all, "total"), 7);
    /* urgent first */
    assert_string_equal(
        cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(all, "checkins"), 0), "id")
            ->valuestring,
        ids[4]);
    /* pages of 3 walk the same order, positions continue */
    char after[80] = "";
    int seen = 0;
    for (int page = 0; page < 4 && seen < 7; page++) {
        char q[200];
        snprintf(q, sizeof(q), "&worker_id=w-rhian&limit=3%s%s", after[0] ? "&after=" : "", after);
        cJSON *p = board(q);
        cJSON *arr = cJSON_GetObjectItem(p, "checkins"), *it;
        assert_int_equal(num(p, "total"), 7);
        assert_int_equal(num(p, "count"), cJSON_GetArraySize(arr));
        assert_true(cJSON_GetArraySize(arr) <= 3);
        cJSON_ArrayForEach(it, arr)
        {
            cJSON *want = cJSON_GetArrayItem(cJSON_GetObjectItem(all, "checkins"), seen);
            assert_string_equal(cJSON_GetObjectItem(it, "id")->valuestring,
                                cJSON_GetObjectItem(want, "id")->valuestring);
            assert_int_equal(cJSON_GetObjectItem(it, "position")->valueint,
                             cJSON_GetObjectItem(want, "position")->valueint);
            snprintf(after, sizeof(after), "%s", cJSON_GetObjectItem(it, "id")->valuestring);
            seen++;
        }
        cJSON_Delete(p);
    }
    assert_int_equal(seen, 7);
    cJSON_Delete(all);
    /* the whole board's total counts everyone waiting, whatever the page */
    cJSON *one = board("&limit=1");
    assert_int_equal(num(one, "count"), 1);
    assert_true(num(one, "total") >= 7);
    cJSON_Delete(one);
    static const char *const bad[] = {"&limit=0",    "&limit=1001",
                                      "&limit=abc",  "&limit=-1",
                                      "&after=nope", "&after=3f1c2a4e-1b2c-4d3e-8f40-123456789abc"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        if (board_status(bad[i]) != 400)
            fail_msg("%s: want 400", bad[i]);
}

/* Finding 5: the queue is in the order hubd received check-ins; a kiosk clock in 1970 or
 * 9999 neither jumps the queue nor makes a wait of decades. */
static void test_queue_order_received(void **state)
{
    char a[37], b[37], c[37];
    free(post_for("w-amir", false, NULL, a));
    free(post_for("w-amir", false, "1970-01-02T00:00:00Z", b));
    free(post_for("w-amir", false, "9999-12-31T23:00:00Z", c));
    cJSON *j = board("&worker_id=w-amir");
    cJSON *arr = cJSON_GetObjectItem(j, "checkins");
    const char *want[] = {a, b, c};
    int k = 0;
    cJSON *it;
    cJSON_ArrayForEach(it, arr)
    {
        const char *id = cJSON_GetObjectItem(it, "id")->valuestring;
        if (k < 3 && strcmp(id, want[k]) == 0) {
            double w = cJSON_GetObjectItem(it, "waiting_min")->valuedouble;
            if (w < 0 || w > 5)
                fail_msg("waiting_min %g for a check-in received just now", w);
            k++;
        }
    }
    if (k != 3)
        fail_msg("the board is not in the order hubd received them: %s", cJSON_Print(arr));
    cJSON_Delete(j);
}

/* Finding 10: every event records who did it (the token's name). */
static void test_event_actor(void **state)
{
    char id[37], path[160];
    free(post_for("w-sian", false, NULL, id));
    snprintf(path, sizeof(path), "/api/v1/checkins/%s/handover", id);
    assert_int_equal(http_status(&srv_t, "POST", path, recep_t, NULL, NULL), 200);
    assert_int_equal(http_status(&srv_t, "PATCH", "/api/v1/workers/w-amir", recep_t,
                                 "application/json", "{\"desk\":\"Room 7\"}"),
                     200);
    long missing = db_long(srv_t.db, "SELECT count(*) FROM events WHERE actor IS NULL");
    if (missing != 0)
        fail_msg("%ld events without an actor (-1: no actor column)", missing);
    assert_int_equal(db_long(srv_t.db,
                             "SELECT count(*) FROM events WHERE kind = 'arrived' AND actor <> "
                             "'door-kiosk'"),
                     0);
    assert_true(db_long(srv_t.db, "SELECT count(*) FROM events WHERE kind = 'introduced' AND "
                                  "actor = 'front-desk'") >= 1);
    assert_true(db_long(srv_t.db, "SELECT count(*) FROM events WHERE kind = 'desk_changed' AND "
                                  "actor = 'front-desk'") >= 1);
}

/* Finding 9: hubd listens on 127.0.0.1 unless told otherwise; --bind chooses. */
static void test_bind(void **state)
{
    struct server s;
    char out[512], err[512];
    assert_int_equal(server_init(&s), 0);
    const char *seed[] = {"--seed", fixture("hub.json"), NULL};
    assert_int_equal(server_start(&s, seed), 0);
    int fd = raw_connect(s.port, NULL, 1000);
    assert_true(fd >= 0);
    close(fd);
    /* 127.0.0.2 is another address of this machine: not served by default */
    int other = raw_connect_to("127.0.0.2", s.port, NULL, 1000);
    if (other >= 0) {
        close(other);
        fail_msg("hubd answered on 127.0.0.2 without --bind");
    }
    assert_int_equal(server_stop(&s), 0);
    const char *any[] = {"--bind", "0.0.0.0", NULL};
    assert_int_equal(server_start(&s, any), 0);
    other = raw_connect_to("127.0.0.2", s.port, NULL, 1000);
    assert_true(other >= 0);
    close(other);
    assert_int_equal(http_status(&s, "GET", "/health", NULL, NULL, NULL), 200);
    assert_int_equal(server_stop(&s), 0);
    const char *bad[] = {"--db", s.db, "--port", "0", "--bind", "not-an-address", NULL};
    int rc = run_hubd(bad, out, sizeof(out), err, sizeof(err));
    if (rc == 0 || !strstr(err, "--bind"))
        fail_msg("--bind not-an-address: exit %d, %s", rc, err);
    server_cleanup(&s);
}

/* Finding 9: HTTPS with --tls-cert/--tls-key; the client verifies the certificate. */
static void test_tls(void **state)
{
    struct server s;
    char cmd[1400], cert[400], key[400], out[512], err[512];
    assert_int_equal(server_init(&s), 0);
    snprintf(cert, sizeof(cert), "%s/cert.pem", s.dir);
    snprintf(key, sizeof(key), "%s/key.pem", s.dir);
    snprintf(cmd, sizeof(cmd),
             "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 "
             "-subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 -keyout '%s' -out '%s' "
             ">/dev/null 2>&1",
             key, cert);
    if (system(cmd) != 0) {
        fprintf(stderr, "# openssl missing: HTTPS not tested\n");
        server_cleanup(&s);
        skip();
    }
    const char *args[] = {"--seed", fixture("hub.json"), "--tls-cert", cert, "--tls-key", key,
                          NULL};
    assert_int_equal(server_start(&s, args), 0);
    snprintf(s.ca, sizeof(s.ca), "%s", cert);
    struct resp r;
    assert_int_equal(http(&s, "GET", "/health", NULL, NULL, NULL, 0, NULL, &r), 0);
    assert_int_equal(r.status, 200);
    resp_free(&r);
    s.ca[0] = '\0'; /* plain HTTP to the HTTPS port gets nothing useful */
    assert_true(http_status(&s, "GET", "/health", NULL, NULL, NULL) != 200);
    assert_int_equal(server_stop(&s), 0);
    const char *half[] = {"--db", s.db, "--port", "0", "--tls-cert", cert, NULL};
    int rc = run_hubd(half, out, sizeof(out), err, sizeof(err));
    if (rc == 0 || !strstr(err, "--tls-key"))
        fail_msg("--tls-cert alone: exit %d, %s", rc, err);
    const char *wrong[] = {"--db", s.db, "--port", "0", "--tls-cert", key, "--tls-key", cert, NULL};
    rc = run_hubd(wrong, out, sizeof(out), err, sizeof(err));
    if (rc == 0 || strchr(err, '\n') != strrchr(err, '\n'))
        fail_msg("swapped certificate and key: exit %d, %s", rc, err);
    server_cleanup(&s);
}

/* Finding 10: the console is served with CSP, X-Frame-Options and Referrer-Policy. */
static void test_console_headers(void **state)
{
    struct server s;
    char web[400], path[500], h[512];
    struct resp r;
    assert_int_equal(server_init(&s), 0);
    snprintf(web, sizeof(web), "%s/web", s.dir);
    assert_int_equal(mkdir(web, 0700), 0);
    snprintf(path, sizeof(path), "%s/index.html", web);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("<h1>console</h1>", f);
    fclose(f);
    const char *args[] = {"--web", web, NULL};
    assert_int_equal(server_start(&s, args), 0);
    assert_int_equal(http(&s, "GET", "/", NULL, NULL, NULL, 0, NULL, &r), 0);
    assert_int_equal(r.status, 200);
    if (!resp_header(&r, "Content-Security-Policy", h, sizeof(h)) ||
        !strstr(h, "default-src 'self'") || !strstr(h, "frame-ancestors 'none'"))
        fail_msg("CSP: %s", r.headers);
    assert_non_null(resp_header(&r, "X-Frame-Options", h, sizeof(h)));
    assert_string_equal(h, "DENY");
    assert_non_null(resp_header(&r, "Referrer-Policy", h, sizeof(h)));
    assert_string_equal(h, "no-referrer");
    resp_free(&r);
    assert_int_equal(server_stop(&s), 0);
    server_cleanup(&s);
}

int run_token_tests(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_token_list),   cmocka_unit_test(test_token_revoke),
        cmocka_unit_test(test_board_paging), cmocka_unit_test(test_queue_order_received),
        cmocka_unit_test(test_event_actor),
    };
    const struct CMUnitTest alone[] = {
        cmocka_unit_test(test_bind),
        cmocka_unit_test(test_tls),
        cmocka_unit_test(test_console_headers),
    };
    int failed =
        cmocka_run_group_tests_name("hubd tokens and board", tests, group_setup, group_teardown);
    return failed + cmocka_run_group_tests_name("hubd network", alone, NULL, NULL);
}
