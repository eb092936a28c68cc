/* test_robust.c — integration tests of hubd's robustness: malformed and hostile requests
 * (the server keeps answering), static files without traversal, the retention purge,
 * durability across kill -9, and command-line errors. */
#include "client.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <sqlite3.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

int run_robust_tests(void);

static struct server srv;
static char kiosk[65], admin[65], reception[65];

static int write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fputs(text, f);
    return fclose(f);
}

static int group_setup(void **state)
{
    char web[400], path[500];
    if (server_init(&srv) < 0)
        return -1;
    snprintf(web, sizeof(web), "%s/web", srv.dir);
    snprintf(path, sizeof(path), "%s/secret.txt", srv.dir);
    if (mkdir(web, 0755) < 0 || write_file(path, "secret") < 0)
        return -1;
    snprintf(path, sizeof(path), "%s/index.html", web);
    write_file(path, "<h1>hello console</h1>");
    snprintf(path, sizeof(path), "%s/app.js", web);
    write_file(path, "console.log(1);");
    snprintf(path, sizeof(path), "%s/link", web);
    if (symlink("../secret.txt", path) < 0)
        return -1;
    if (make_token(&srv, "kiosk", "k", kiosk) < 0 || make_token(&srv, "admin", "a", admin) < 0 ||
        make_token(&srv, "reception", "r", reception) < 0)
        return -1;
    const char *args[] = {"--seed", fixture("hub.json"), "--web", web, NULL};
    return server_start(&srv, args);
}

static int group_teardown(void **state)
{
    int rc = server_stop(&srv);
    server_cleanup(&srv);
    return rc == 0 ? 0 : -1;
}

/* A valid check-in with the fields of patch (a JSON object) replacing its own, and the key
 * drop removed. malloc'd. */
static char *variant(const char *patch, const char *drop)
{
    char id[37];
    uuid4(id);
    char *base = checkin_body(id, "w-sian", "housing", false, "Jo", "words", true);
    cJSON *o = cJSON_Parse(base), *p = patch ? cJSON_Parse(patch) : NULL, *it;
    free(base);
    cJSON_ArrayForEach(it, p) cJSON_ReplaceItemInObject(o, it->string, cJSON_Duplicate(it, 1));
    if (drop)
        cJSON_DeleteItemFromObject(o, drop);
    char *s = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    cJSON_Delete(p);
    return s;
}

struct bad_field {
    const char *patch, *drop, *field;
};

static void assert_alive(void)
{
    assert_int_equal(http_status(&srv, "GET", "/health", NULL, NULL, NULL), 200);
}

static void test_bad_fields(void **state)
{
    const struct bad_field cases[] = {
        {"{\"id\":\"not-a-uuid\"}", NULL, "id"},
        {"{\"id\":\"3f1c2a4e-1b2c-1d3e-8f40-123456789abc\"}", NULL, "id"},
        {"{\"id\":12}", NULL, "id"},
        {NULL, "id", "id"},
        {"{\"created_at\":\"yesterday\"}", NULL, "created_at"},
        {"{\"created_at\":\"2025-02-30T10:00:00Z\"}", NULL, "created_at"},
        {"{\"created_at\":\"2025-03-01T10:00:00+01:00\"}", NULL, "created_at"},
        {"{\"lang\":\"english\"}", NULL, "lang"},
        {"{\"lang\":5}", NULL, "lang"},
        {"{\"needs\":\"debt\"}", NULL, "needs"},
        {"{\"needs\":[1]}", NULL, "needs"},
        {"{\"domains\":[7]}", NULL, "domains"},
        {"{\"urgent\":\"yes\"}", NULL, "urgent"},
        {NULL, "urgent", "urgent"},
        {NULL, "consent", "consent"},
        {"{\"consent\":1}", NULL, "consent"},
        {"{\"chosen_by\":\"robot\"}", NULL, "chosen_by"},
        {NULL, "chosen_by", "chosen_by"},
        {"{\"worker_id\":42}", NULL, "worker_id"},
        {"{\"worker_id\":\"bad id!\"}", NULL, "worker_id"},
        {"{\"name\":\"a\\u0001b\"}", NULL, "name"},
        {"{\"name\":[\"Jo\"]}", NULL, "name"},
        {"{\"text\":12}", NULL, "text"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct resp r;
        char *body = variant(cases[i].patch, cases[i].drop);
        assert_int_equal(http(&srv, "POST", "/api/v1/checkins", kiosk, "application/json", body,
                              strlen(body), NULL, &r),
                         0);
        if (r.status != 400 || !strstr(r.body, cases[i].field))
            fail_msg("case %zu (%s): %ld %s", i, cases[i].field, r.status, r.body);
        cJSON *j = resp_json(&r);
        assert_true(cJSON_IsString(cJSON_GetObjectItem(j, "error")));
        cJSON_Delete(j);
        resp_free(&r);
        free(body);
    }
    assert_alive();
}

struct raw_case {
    const char *method, *path, *ctype, *body;
    size_t len; /* 0: strlen(body) */
    const char *extra;
    long want;
};

/* The board row of check-in id (a copy; NULL when it is not on the board). */
static cJSON *board_row(const char *id)
{
    struct resp r;
    cJSON *row = NULL, *it;
    assert_int_equal(http(&srv, "GET", "/api/v1/checkins?status=waiting&limit=1000", reception,
                          NULL, NULL, 0, NULL, &r),
                     0);
    assert_int_equal(r.status, 200);
    cJSON *j = resp_json(&r);
    cJSON_ArrayForEach(it, cJSON_GetObjectItem(j, "checkins"))
    {
        if (strcmp(cJSON_GetObjectItem(it, "id")->valuestring, id) == 0)
            row = cJSON_Duplicate(it, 1);
    }
    cJSON_Delete(j);
    resp_free(&r);
    return row;
}

static bool has_flag(const cJSON *o, const char *flag)
{
    const cJSON *f;
    cJSON_ArrayForEach(f, cJSON_GetObjectItem(o, "flags"))
    {
        if (cJSON_IsString(f) && strcmp(f->valuestring, flag) == 0)
            return true;
    }
    return false;
}

/* What hubd cannot honour as sent is kept, flagged, and reaches the board: a resident is never
 * refused for a field's length, a worker hubd does not know, or a need it does not know. */
static void test_kept_with_flags(void **state)
{
    char cjk30[200] = "", cjk45[200] = "", long_text[2200], p_cjk30[260], p_cjk45[260],
         p_text[2300];
    for (int i = 0; i < 45; i++) { /* U+5F20, three bytes each */
        if (i < 30)
            memcpy(cjk30 + 3 * i, "\xe5\xbc\xa0", 4);
        memcpy(cjk45 + 3 * i, "\xe5\xbc\xa0", 4);
    }
    memset(long_text, 't', 2001);
    long_text[2001] = '\0';
    snprintf(p_cjk30, sizeof(p_cjk30), "{\"name\":\"%s\"}", cjk30);
    snprintf(p_cjk45, sizeof(p_cjk45), "{\"name\":\"%s\"}", cjk45);
    snprintf(p_text, sizeof(p_text), "{\"text\":\"%s\"}", long_text);
    const struct {
        const char *patch, *flag; /* flag NULL: kept whole, no flag */
    } cases[] = {
        {p_cjk30, NULL},
        {p_cjk45, "name_cut"},
        {p_text, "text_cut"},
        {"{\"worker_id\":\"w-nobody\"}", "worker_unknown"},
        {"{\"needs\":[\"no_such_need\",\"debt\"]}", "need_dropped"},
        {"{\"needs\":[\"debt\",\"debt\"]}", NULL},
        {"{\"needs\":[\"debt\",\"pension\",\"dentist\",\"repairs\",\"eviction\",\"loneliness\","
         "\"council_tax\",\"energy_bills\",\"food_support\",\"work_and_pay\",\"damp_mould\","
         "\"overcrowding\",\"doctor_gp\",\"mental_health\",\"drugs_alcohol\",\"help_at_home\","
         "\"money_general\"]}",
         "need_dropped"},
        {"{\"domains\":[\"money\",\"housing\"]}", "need_dropped"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct resp r;
        char *body = variant(cases[i].patch, NULL);
        cJSON *sent = cJSON_Parse(body);
        const char *id = cJSON_GetObjectItem(sent, "id")->valuestring;
        assert_int_equal(http(&srv, "POST", "/api/v1/checkins", kiosk, "application/json", body,
                              strlen(body), NULL, &r),
                         0);
        cJSON *j = resp_json(&r);
        if (r.status != 201 || !cJSON_IsArray(cJSON_GetObjectItem(j, "flags")) ||
            (cases[i].flag && !has_flag(j, cases[i].flag)) ||
            (!cases[i].flag && cJSON_GetArraySize(cJSON_GetObjectItem(j, "flags")) != 0))
            fail_msg("case %zu: %ld %s", i, r.status, r.body);
        cJSON *row = board_row(id);
        if (!row)
            fail_msg("case %zu: not on the board", i);
        if (cases[i].flag && !has_flag(row, cases[i].flag))
            fail_msg("case %zu: the board does not show %s", i, cases[i].flag);
        const cJSON *name = cJSON_GetObjectItem(row, "name");
        if (i == 0)
            assert_string_equal(name->valuestring, cjk30);
        if (i == 1) { /* cut at a character: the first 40 of 45, whole */
            assert_int_equal(strlen(name->valuestring), 120);
            assert_memory_equal(name->valuestring, cjk45, 120);
        }
        if (i == 3)
            assert_true(cJSON_IsNull(cJSON_GetObjectItem(row, "worker_id")));
        cJSON_Delete(row);
        /* the same body again is the same check-in, with the same flags */
        resp_free(&r);
        assert_int_equal(http(&srv, "POST", "/api/v1/checkins", kiosk, "application/json", body,
                              strlen(body), NULL, &r),
                         0);
        cJSON *again = resp_json(&r);
        assert_int_equal(r.status, 200);
        if (cases[i].flag)
            assert_true(has_flag(again, cases[i].flag));
        cJSON_Delete(again);
        cJSON_Delete(j);
        cJSON_Delete(sent);
        resp_free(&r);
        free(body);
    }
    assert_alive();
}

static void test_malformed_requests(void **state)
{
    size_t big_len = 70 * 1024;
    char *big = malloc(big_len + 1), *deep = malloc(10001), *batch = malloc(101 * 4 + 3);
    memset(big, ' ', big_len);
    big[0] = '[';
    big[big_len - 1] = ']';
    big[big_len] = '\0';
    memset(deep, '[', 5000);
    memset(deep + 5000, ']', 5000);
    deep[10000] = '\0';
    size_t u = 0;
    batch[u++] = '[';
    for (int i = 0; i < 101; i++)
        u += (size_t)snprintf(batch + u, 8, "%s{}", i ? "," : "");
    batch[u++] = ']';
    batch[u] = '\0';
    const char *J = "application/json";
    const struct raw_case cases[] = {
        {"POST", "/api/v1/checkins", J, "{", 0, NULL, 400},
        {"POST", "/api/v1/checkins", J, "not json", 0, NULL, 400},
        {"POST", "/api/v1/checkins", J, "", 0, NULL, 400},
        {"POST", "/api/v1/checkins", J, "{\"id\":\"\xff\xfe\"}", 0, NULL, 400},
        {"POST", "/api/v1/checkins", J, "{\"name\":\"\xc0\xaf\"}", 0, NULL, 400},
        {"POST", "/api/v1/checkins", J, "{\"text\":\"\xed\xa0\x80\"}", 0, NULL, 400},
        {"POST", "/api/v1/checkins", J, "{\"text\":\"\\ud800\"}", 0, NULL, 400},
        {"POST", "/api/v1/checkins", J, "42", 0, NULL, 400},
        {"POST", "/api/v1/checkins", J, "\"a string\"", 0, NULL, 400},
        {"POST", "/api/v1/checkins", J, "null", 0, NULL, 400},
        {"POST", "/api/v1/checkins", J, "{\"a\":1} trailing", 0, NULL, 400},
        {"POST", "/api/v1/checkins", J, deep, 0, NULL, 400},
        {"POST", "/api/v1/checkins", J, big, 0, NULL, 413},
        {"POST", "/api/v1/checkins", J, big, 0, "Transfer-Encoding: chunked", 413},
        {"POST", "/api/v1/checkins", J, batch, 0, NULL, 413},
        {"POST", "/api/v1/checkins", "text/plain", "{}", 0, NULL, 415},
        {"POST", "/api/v1/checkins", NULL, "{}", 0, NULL, 415},
        {"POST", "/api/v1/checkins", "application/jsonx", "{}", 0, NULL, 415},
        {"PATCH", "/api/v1/workers/w-sian", J, "{\"status\":", 0, NULL, 400},
        {"PATCH", "/api/v1/workers/w-sian", J, "[]", 0, NULL, 400},
        {"PATCH", "/api/v1/workers/w-sian", J, "{\"desk\":7}", 0, NULL, 400},
        {"PATCH", "/api/v1/workers/w-sian", "text/plain", "{}", 0, NULL, 415},
        {"POST", "/api/v1/checkins/not-a-uuid/handover", NULL, NULL, 0, NULL, 404},
        {"POST", "/api/v1/checkins/3f1c2a4e-1b2c-4d3e-8f40-123456789abc/reassign", J, "[]", 0, NULL,
         400},
        {"POST", "/api/v1/checkins/3f1c2a4e-1b2c-4d3e-8f40-123456789abc/handover", J, "{bad", 0,
         NULL, 400},
        {"GET", "/api/v1/reports/demand?from=2024-13-01&to=2024-12-01", NULL, NULL, 0, NULL, 400},
        {"GET", "/api/v1/reports/demand?from=2024-02-02&to=2024-02-01", NULL, NULL, 0, NULL, 400},
        {"GET", "/api/v1/reports/demand?from=2024-02-01", NULL, NULL, 0, NULL, 400},
        {"GET", "/api/v1/reports/demand?from=2024-02-01&to=2024-02-02&by=colour", NULL, NULL, 0,
         NULL, 400},
        {"GET", "/api/v1/checkins?status=done", NULL, NULL, 0, NULL, 400},
        {"GET", "/api/v1/checkins?status=waiting&worker_id=%20x", NULL, NULL, 0, NULL, 400},
        {"GET", "/api/v1/directory", J, "{}", 0, NULL, 400},
        {"PUT", "/api/v1/directory", NULL, NULL, 0, NULL, 405},
        {"GET", "/api/v2/directory", NULL, NULL, 0, NULL, 404},
        {"POST", "/api/v1/checkins/", J, "{}", 0, NULL, 404},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const struct raw_case *c = &cases[i];
        struct resp r;
        size_t len = c->body ? (c->len ? c->len : strlen(c->body)) : 0;
        assert_int_equal(
            http(&srv, c->method, c->path, admin, c->ctype, c->body, len, c->extra, &r), 0);
        if (r.status != c->want)
            fail_msg("case %zu %s %s: want %ld got %ld %s", i, c->method, c->path, c->want,
                     r.status, r.body);
        cJSON *j = resp_json(&r);
        if (!cJSON_IsString(cJSON_GetObjectItem(j, "error")))
            fail_msg("case %zu: no JSON error body: %s", i, r.body);
        cJSON_Delete(j);
        resp_free(&r);
        assert_alive();
    }
    free(big);
    free(deep);
    free(batch);
}

/* Sends raw bytes on a fresh connection and reads whatever comes back. */
static void raw_send(int port, const char *data, size_t len, bool half_close)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    struct timeval tv = {.tv_sec = 5};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_true(fd >= 0);
    assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof(a)), 0);
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    if (send(fd, data, len, MSG_NOSIGNAL) < 0)
        fail_msg("send failed");
    if (half_close) {
        char buf[512];
        shutdown(fd, SHUT_WR);
        while (recv(fd, buf, sizeof(buf), 0) > 0)
            ;
    }
    close(fd);
}

static void test_hostile_connections(void **state)
{
    static const char *const junk[] = {
        "GARBAGE\r\n\r\n",
        "GET /health HTTP/9.9\r\n\r\n",
        "POST /api/v1/checkins HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"id\":",
        "POST /api/v1/checkins HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
        "GET /api/v1/directory HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \xff\xfe\r\n\r\n",
        "GET /api/v1/directory HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        "\x00\x01\x02\x03",
    };
    for (size_t i = 0; i < sizeof(junk) / sizeof(junk[0]); i++) {
        raw_send(srv.port, junk[i], i == 6 ? 4 : strlen(junk[i]), true);
        raw_send(srv.port, junk[i], i == 6 ? 4 : strlen(junk[i]), false);
    }
    /* a header block larger than the connection's memory */
    size_t n = 100 * 1024;
    char *huge = malloc(n + 64);
    int k = snprintf(huge, 64, "GET /health HTTP/1.1\r\nX-Big: ");
    memset(huge + k, 'x', n);
    memcpy(huge + k + n, "\r\n\r\n", 5);
    raw_send(srv.port, huge, strlen(huge), true);
    free(huge);
    /* an Authorization header far longer than any token */
    char longauth[1200];
    memset(longauth, 'a', sizeof(longauth) - 1);
    longauth[sizeof(longauth) - 1] = '\0';
    assert_int_equal(http_status(&srv, "GET", "/api/v1/directory", longauth, NULL, NULL), 401);
    assert_alive();
    char id[37];
    uuid4(id);
    char *body = checkin_body(id, "w-sian", "housing", false, NULL, NULL, false);
    assert_int_equal(http_status(&srv, "POST", "/api/v1/checkins", kiosk, "application/json", body),
                     201);
    free(body);
}

static void test_static_files(void **state)
{
    struct resp r;
    char ct[80];
    assert_int_equal(http(&srv, "GET", "/", NULL, NULL, NULL, 0, NULL, &r), 0);
    assert_int_equal(r.status, 200);
    assert_string_equal(r.body, "<h1>hello console</h1>");
    assert_non_null(resp_header(&r, "Content-Type", ct, sizeof(ct)));
    assert_non_null(strstr(ct, "text/html"));
    resp_free(&r);
    assert_int_equal(http(&srv, "GET", "/app.js", NULL, NULL, NULL, 0, NULL, &r), 0);
    assert_int_equal(r.status, 200);
    assert_non_null(resp_header(&r, "Content-Type", ct, sizeof(ct)));
    assert_non_null(strstr(ct, "javascript"));
    resp_free(&r);
    const char *escapes[] = {
        "/../secret.txt", "/%2e%2e/secret.txt",    "/..%2fsecret.txt", "/link",
        "/missing.html",  "/web/../../secret.txt", "/.%2e/secret.txt", "//etc/passwd"};
    for (size_t i = 0; i < sizeof(escapes) / sizeof(escapes[0]); i++) {
        assert_int_equal(http(&srv, "GET", escapes[i], NULL, NULL, NULL, 0, NULL, &r), 0);
        if (r.status != 404 || strcmp(r.body, "secret") == 0)
            fail_msg("%s: %ld %s", escapes[i], r.status, r.body);
        resp_free(&r);
    }
    assert_int_equal(http_status(&srv, "POST", "/", NULL, "application/json", "{}"), 404);
    assert_alive();
}

static long board_count(const struct server *s, const char *token, const char *id, cJSON **item)
{
    struct resp r;
    long n = 0;
    cJSON *it;
    assert_int_equal(
        http(s, "GET", "/api/v1/checkins?status=waiting", token, NULL, NULL, 0, NULL, &r), 0);
    assert_int_equal(r.status, 200);
    cJSON *j = resp_json(&r);
    cJSON_ArrayForEach(it, cJSON_GetObjectItem(j, "checkins"))
    {
        if (strcmp(cJSON_GetObjectItem(it, "id")->valuestring, id) == 0) {
            n++;
            if (item)
                *item = cJSON_Duplicate(it, 1);
        }
    }
    cJSON_Delete(j);
    resp_free(&r);
    return n;
}

static void test_retention_purge(void **state)
{
    struct server s;
    char k[65], rc[65], id[37], path[128];
    assert_int_equal(server_init(&s), 0);
    assert_int_equal(make_token(&s, "kiosk", "k", k), 0);
    assert_int_equal(make_token(&s, "reception", "r", rc), 0);
    const char *args[] = {"--seed", fixture("hub.json"), "--retention-seconds", "2", NULL};
    assert_int_equal(server_start(&s, args), 0);
    uuid4(id);
    char *body =
        checkin_body(id, "w-sian", "housing", false, "Private Name", "private words", true);
    assert_int_equal(http_status(&s, "POST", "/api/v1/checkins", k, "application/json", body), 201);
    snprintf(path, sizeof(path), "/api/v1/checkins/%s/reassign", id);
    assert_int_equal(http_status(&s, "POST", path, rc, "application/json",
                                 "{\"worker_id\":\"w-amir\",\"reason\":\"a private note\"}"),
                     200);
    bool purged = false;
    for (int i = 0; i < 120 && !purged; i++) { /* up to a minute on a loaded machine */
        cJSON *item = NULL;
        assert_int_equal(board_count(&s, rc, id, &item), 1);
        purged = !cJSON_GetObjectItem(item, "name") && !cJSON_GetObjectItem(item, "text") &&
                 db_long(s.db, "SELECT count(*) FROM events WHERE note IS NOT NULL") == 0;
        if (purged) { /* coded data stays */
            assert_string_equal(
                cJSON_GetArrayItem(cJSON_GetObjectItem(item, "needs"), 0)->valuestring,
                "rent_arrears");
            assert_string_equal(cJSON_GetObjectItem(item, "worker_id")->valuestring, "w-amir");
            assert_non_null(cJSON_GetObjectItem(item, "ticket"));
        }
        cJSON_Delete(item);
        if (!purged)
            usleep(500 * 1000);
    }
    assert_true(purged);
    assert_int_equal(
        db_long(s.db, "SELECT count(*) FROM checkins WHERE name IS NOT NULL OR text IS NOT NULL"),
        0);
    assert_int_equal(db_long(s.db, "SELECT count(*) FROM checkins"), 1);
    /* a replay after the purge is still the same check-in */
    assert_int_equal(http_status(&s, "POST", "/api/v1/checkins", k, "application/json", body), 200);
    free(body);
    assert_int_equal(server_stop(&s), 0);
    server_cleanup(&s);
}

static void test_durability_kill9(void **state)
{
    struct server s;
    char k[65], rc[65], ids[10][37];
    struct resp first;
    assert_int_equal(server_init(&s), 0);
    assert_int_equal(make_token(&s, "kiosk", "k", k), 0);
    assert_int_equal(make_token(&s, "reception", "r", rc), 0);
    const char *args[] = {"--seed", fixture("hub.json"), NULL};
    assert_int_equal(server_start(&s, args), 0);
    char *bodies[10];
    for (int i = 0; i < 10; i++) {
        uuid4(ids[i]);
        bodies[i] =
            checkin_body(ids[i], i % 2 ? "w-amir" : NULL, "benefits", i == 3, NULL, NULL, false);
    }
    for (int i = 0; i < 9; i++)
        assert_int_equal(
            http_status(&s, "POST", "/api/v1/checkins", k, "application/json", bodies[i]), 201);
    assert_int_equal(http(&s, "POST", "/api/v1/checkins", k, "application/json", bodies[9],
                          strlen(bodies[9]), NULL, &first),
                     0);
    assert_int_equal(first.status, 201);
    server_kill(&s); /* kill -9 right after the 201 */
    assert_int_equal(server_start(&s, NULL), 0);
    for (int i = 0; i < 10; i++) {
        struct resp r;
        assert_int_equal(board_count(&s, rc, ids[i], NULL), 1);
        assert_int_equal(http(&s, "POST", "/api/v1/checkins", k, "application/json", bodies[i],
                              strlen(bodies[i]), NULL, &r),
                         0);
        assert_int_equal(r.status, 200);
        if (i == 9)
            assert_string_equal(r.body, first.body);
        resp_free(&r);
        assert_int_equal(board_count(&s, rc, ids[i], NULL), 1);
        free(bodies[i]);
    }
    resp_free(&first);
    assert_int_equal(server_stop(&s), 0);
    server_cleanup(&s);
}

static void test_seed_only_first_start(void **state)
{
    struct server s;
    char k[65];
    struct resp r;
    assert_int_equal(server_init(&s), 0);
    assert_int_equal(make_token(&s, "kiosk", "k", k), 0);
    const char *a1[] = {"--seed", fixture("hub.json"), NULL};
    assert_int_equal(server_start(&s, a1), 0);
    assert_int_equal(server_stop(&s), 0);
    const char *a2[] = {"--seed", fixture("hub2.json"), NULL};
    assert_int_equal(server_start(&s, a2), 0);
    assert_int_equal(http(&s, "GET", "/api/v1/directory", k, NULL, NULL, 0, NULL, &r), 0);
    assert_non_null(strstr(r.body, "\"testhub\""));
    assert_null(strstr(r.body, "otherhub"));
    resp_free(&r);
    assert_int_equal(server_stop(&s), 0);
    server_cleanup(&s);
}

struct arg_case {
    const char *args[8];
    const char *stderr_has;
};

static void test_bad_arguments(void **state)
{
    struct server s;
    char out[4096], err[4096], web[400];
    assert_int_equal(server_init(&s), 0);
    const char *help[] = {"--help", NULL};
    assert_int_equal(run_hubd(help, out, sizeof(out), err, sizeof(err)), 0);
    assert_non_null(strstr(out, "usage"));
    snprintf(web, sizeof(web), "%s/no-such-dir", s.dir);
    const struct arg_case cases[] = {
        {{"--bogus", NULL}, "unknown argument"},
        {{"--port", "70000", NULL}, "--port"},
        {{"--port", "abc", NULL}, "--port"},
        {{"--port", NULL}, "missing value"},
        {{"--db", s.db, "--seed", "/nonexistent/seed.json", "--port", "0", NULL}, "seed"},
        {{"--db", s.db, "--seed", fixture("bad-seed.json"), "--port", "0", NULL},
         "workers[0].name"},
        {{"--db", s.db, "token", "emperor", "x", NULL}, "role"},
        {{"--db", s.db, "token", "kiosk", NULL}, "token"},
        {{"--db", s.db, "--web", web, "--port", "0", NULL}, "--web"},
        {{"--retention-days", "0", NULL}, "--retention-days"},
        {{"--db", "/proc/nope/hub.db", "--port", "0", NULL}, "hubd:"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int rc = run_hubd(cases[i].args, out, sizeof(out), err, sizeof(err));
        if (rc == 0 || !strstr(err, cases[i].stderr_has) || strchr(err, '\n') != strrchr(err, '\n'))
            fail_msg("case %zu: exit %d, stderr: %s", i, rc, err);
    }
    server_cleanup(&s);
}

int run_robust_tests(void)
{
    const struct CMUnitTest robust[] = {
        cmocka_unit_test(test_bad_fields),         cmocka_unit_test(test_kept_with_flags),
        cmocka_unit_test(test_malformed_requests), cmocka_unit_test(test_hostile_connections),
        cmocka_unit_test(test_static_files),
    };
    const struct CMUnitTest lifecycle[] = {
        cmocka_unit_test(test_retention_purge),
        cmocka_unit_test(test_durability_kill9),
        cmocka_unit_test(test_seed_only_first_start),
        cmocka_unit_test(test_bad_arguments),
    };
    int failed =
        cmocka_run_group_tests_name("hubd robustness", robust, group_setup, group_teardown);
    failed += cmocka_run_group_tests_name("hubd lifecycle", lifecycle, NULL, NULL);
    return failed;
}
