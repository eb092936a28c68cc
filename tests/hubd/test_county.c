/* test_county.c — a county on one PostgreSQL database (HUBD_TEST_PG): two hubs side by side
 * (tokens bound to their hub, every endpoint with another hub's token answering 403, 404 or
 * nothing of theirs), two hubd on one database (a check-in through one is on the other's
 * board, a status change in its directory, a revocation refused by both), a hubd killed
 * mid-batch and the database restarted mid-drain (every check-in stored exactly once). */
#include "client.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

static struct server one, two; /* two hubd on one database */
static char k_test[65], r_test[65], w_test[65], m_test[65], k_north[65], r_north[65], w_north[65],
    m_north[65], m_county[65];

/* `hubd --db DB [--seed ..] token ROLE NAME ARGS...` into out; the exit status. */
static int token(const char *role, const char *name, const char *a1, const char *a2, const char *a3,
                 const char *a4, char *out)
{
    char buf[256], err[256], test[512], north[512];
    snprintf(test, sizeof(test), "%s", fixture("hub.json")); /* fixture(): one static buffer */
    snprintf(north, sizeof(north), "%s", fixture("hub-north.json"));
    const char *args[] = {"--db", one.db, "--seed", test, "--seed", north, "token",
                          role,   name,   a1,       a2,   a3,       a4,    NULL};
    int rc = run_hubd(args, buf, sizeof(buf), err, sizeof(err));
    if (out) {
        snprintf(out, 65, "%.64s", buf);
    }
    if (rc != 0 && out)
        fprintf(stderr, "token %s %s: %s", role, name, err);
    return rc;
}

static int setup(void **state)
{
    if (!server_pg())
        return 0;
    if (server_init(&one) < 0)
        return -1;
    if (token("kiosk", "k-test", "--hub", "testhub", NULL, NULL, k_test) ||
        token("reception", "r-test", "--hub", "testhub", NULL, NULL, r_test) ||
        token("worker", "w-test", "--hub", "testhub", "--worker", "w-sian", w_test) ||
        token("manager", "m-test", "--hub", "testhub", NULL, NULL, m_test) ||
        token("kiosk", "k-north", "--hub", "northhub", NULL, NULL, k_north) ||
        token("reception", "r-north", "--hub", "northhub", NULL, NULL, r_north) ||
        token("worker", "w-north", "--worker", "w-gwen", "--hub", "northhub", w_north) ||
        token("manager", "m-north", "--hub", "northhub", NULL, NULL, m_north) ||
        token("manager", "m-county", "--hub", "all", NULL, NULL, m_county))
        return -1;
    two = one;
    two.pg_name[0] = '\0'; /* one drops the database */
    snprintf(two.dir, sizeof(two.dir), "%s", "");
    if (server_start(&one, NULL) < 0 || server_start(&two, NULL) < 0)
        return -1;
    return 0;
}

static int teardown(void **state)
{
    if (!server_pg())
        return 0;
    server_stop(&two);
    server_stop(&one);
    server_cleanup(&one);
    return 0;
}

static void skip_unless_pg(void)
{
    if (!server_pg())
        skip(); /* many hubs and many hubd share a server database */
}

static long post(const struct server *s, const char *tok, const char *body)
{
    return http_status(s, "POST", "/api/v1/checkins", tok, "application/json", body);
}

/* How many times id is on s's board seen with tok (all pages of up to 100). */
static int on_board(const struct server *s, const char *tok, const char *id)
{
    struct resp r;
    int n = 0;
    if (http(s, "GET", "/api/v1/checkins?status=waiting&limit=100", tok, NULL, NULL, 0, NULL, &r))
        return -1;
    cJSON *j = resp_json(&r), *it;
    cJSON_ArrayForEach(it, cJSON_GetObjectItem(j, "checkins"))
    {
        const char *v = cJSON_GetStringValue(cJSON_GetObjectItem(it, "id"));
        n += v && !strcmp(v, id);
    }
    cJSON_Delete(j);
    resp_free(&r);
    return n;
}

/* The token commands of a database of two hubs. */
static void test_county_tokens(void **state)
{
    skip_unless_pg();
    char out[4096], err[256];
    const char *nohub[] = {"--db", one.db, "token", "kiosk", "x", NULL};
    assert_int_equal(run_hubd(nohub, out, sizeof(out), err, sizeof(err)), 2);
    assert_non_null(strstr(err, "--hub"));
    const char *unknown[] = {"--db", one.db, "token", "kiosk", "x", "--hub", "nowhere", NULL};
    assert_int_equal(run_hubd(unknown, out, sizeof(out), err, sizeof(err)), 2);
    assert_non_null(strstr(err, "no such hub"));
    const char *all[] = {"--db", one.db, "token", "kiosk", "x", "--hub", "all", NULL};
    assert_int_equal(run_hubd(all, out, sizeof(out), err, sizeof(err)), 2);
    /* a worker of the other hub */
    const char *other[] = {"--db",     one.db,   "token", "worker",  "x",
                           "--worker", "w-gwen", "--hub", "testhub", NULL};
    assert_int_equal(run_hubd(other, out, sizeof(out), err, sizeof(err)), 2);
    const char *list[] = {"--db", one.db, "token", "list", NULL};
    assert_int_equal(run_hubd(list, out, sizeof(out), err, sizeof(err)), 0);
    assert_non_null(strstr(out, "northhub"));
    struct resp r;
    assert_int_equal(http(&one, "GET", "/api/v1/me", r_north, NULL, NULL, 0, NULL, &r), 0);
    assert_non_null(strstr(r.body, "\"hub_id\":\"northhub\""));
    resp_free(&r);
}

/* The demand report's path over yesterday..tomorrow, by worker (then &hub= when given). */
static const char *report_path(const char *hub)
{
    static char p[160];
    char from[16], to[16];
    time_t now = time(NULL), a = now - 86400, b = now + 86400;
    struct tm tm;
    strftime(from, sizeof(from), "%Y-%m-%d", gmtime_r(&a, &tm));
    strftime(to, sizeof(to), "%Y-%m-%d", gmtime_r(&b, &tm));
    snprintf(p, sizeof(p), "/api/v1/reports/demand?from=%s&to=%s&by=worker%s%s", from, to,
             hub ? "&hub=" : "", hub ? hub : "");
    return p;
}

/* Every endpoint with a token of the other hub: 403, 404, or nothing of this hub's. */
static void test_isolation_matrix(void **state)
{
    skip_unless_pg();
    char id[37], path[160];
    struct resp r;
    uuid4(id);
    char *body = checkin_body(id, "w-sian", "housing", false, "Ffion Test", "words", true);
    assert_int_equal(post(&one, k_test, body), 201);
    assert_int_equal(on_board(&one, r_test, id), 1);
    /* the same id from the other hub's kiosk is that hub's own check-in, not a replay */
    char *nbody = checkin_body(id, NULL, "housing", false, NULL, NULL, false);
    assert_int_equal(post(&one, k_north, nbody), 201);
    free(nbody);
    /* the boards: nothing of the other hub's */
    assert_int_equal(
        http(&one, "GET", "/api/v1/checkins?status=waiting", r_north, NULL, NULL, 0, NULL, &r), 0);
    assert_null(strstr(r.body, "w-sian"));
    assert_null(strstr(r.body, "Ffion"));
    resp_free(&r);
    assert_int_equal(http(&one, "GET", "/api/v1/checkins?status=waiting&worker_id=w-sian", r_north,
                          NULL, NULL, 0, NULL, &r),
                     0);
    assert_null(strstr(r.body, "Ffion"));
    resp_free(&r);
    /* the directory is the token's hub's */
    assert_int_equal(http(&one, "GET", "/api/v1/directory", k_north, NULL, NULL, 0, NULL, &r), 0);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "northhub"));
    assert_null(strstr(r.body, "w-sian"));
    resp_free(&r);
    /* changes to the other hub's check-in (one only it has) and workers */
    char only[37];
    uuid4(only);
    char *obody = checkin_body(only, "w-sian", "housing", false, NULL, NULL, false);
    assert_int_equal(post(&one, k_test, obody), 201);
    free(obody);
    const char *tails[] = {"reassign", "left", "handover", "outcome"};
    const char *bodies[] = {"{\"worker_id\":\"w-gwen\",\"reason\":\"x\"}", NULL, NULL,
                            "{\"result\":\"helped\",\"follow_up\":false}"};
    long st;
    for (size_t i = 0; i < 4; i++) {
        snprintf(path, sizeof(path), "/api/v1/checkins/%s/%s", only, tails[i]);
        st = http_status(&one, "POST", path, r_north, bodies[i] ? "application/json" : NULL,
                         bodies[i]);
        if (st != 403 && st != 404)
            fail_msg("POST %s with the other hub's token: %ld", path, st);
    }
    snprintf(path, sizeof(path), "/api/v1/checkins/%s/left", only);
    st = http_status(&one, "DELETE", path, r_north, NULL, NULL);
    assert_true(st == 403 || st == 404);
    assert_int_equal(on_board(&one, r_test, only), 1);
    const char *w_paths[][3] = {
        {"PATCH", "/api/v1/workers/w-sian", "{\"status\":\"away\"}"},
        {"POST", "/api/v1/workers/w-sian/next", NULL},
        {"PATCH", "/api/v1/workers/w-sian", "{\"desk\":\"Nowhere\"}"},
    };
    for (size_t i = 0; i < 3; i++) {
        st = http_status(&one, w_paths[i][0], w_paths[i][1], r_north,
                         w_paths[i][2] ? "application/json" : NULL, w_paths[i][2]);
        if (st != 403 && st != 404)
            fail_msg("%s %s with the other hub's token: %ld", w_paths[i][0], w_paths[i][1], st);
    }
    st = http_status(&one, "POST", "/api/v1/workers/w-sian/next", w_north, NULL, NULL);
    assert_true(st == 403 || st == 404);
    /* the resident is still waiting, untouched, in their own hub */
    assert_int_equal(on_board(&one, r_test, id), 1);
    assert_int_equal(http(&one, "GET", "/api/v1/directory", k_test, NULL, NULL, 0, NULL, &r), 0);
    assert_non_null(strstr(r.body, "\"status\":\"available\""));
    assert_null(strstr(r.body, "Nowhere"));
    resp_free(&r);
    /* reports: the other hub's manager sees only its own arrival */
    assert_int_equal(http(&one, "GET", report_path(NULL), m_north, NULL, NULL, 0, NULL, &r), 0);
    assert_int_equal(r.status, 200);
    cJSON *j = resp_json(&r);
    assert_non_null(j);
    char *txt = cJSON_PrintUnformatted(j);
    assert_null(strstr(txt, "w-sian"));
    free(txt);
    cJSON_Delete(j);
    resp_free(&r);
    /* a county manager names the hub; without it, no hub is guessed */
    assert_int_equal(http_status(&one, "GET", report_path(NULL), m_county, NULL, NULL), 400);
    assert_int_equal(http(&one, "GET", report_path("testhub"), m_county, NULL, NULL, 0, NULL, &r),
                     0);
    assert_int_equal(r.status, 200);
    struct resp own;
    assert_int_equal(http(&one, "GET", report_path(NULL), m_test, NULL, NULL, 0, NULL, &own), 0);
    assert_int_equal(own.status, 200);
    assert_string_equal(r.body, own.body); /* the hub's own manager sees the same figures */
    assert_non_null(strstr(own.body, "\"total\""));
    resp_free(&own);
    resp_free(&r);
    assert_int_equal(http(&one, "GET", report_path("northhub"), m_county, NULL, NULL, 0, NULL, &r),
                     0);
    assert_int_equal(http(&one, "GET", report_path(NULL), m_north, NULL, NULL, 0, NULL, &own), 0);
    assert_string_equal(r.body, own.body);
    resp_free(&own);
    resp_free(&r);
    /* a hub's token never acts for another hub, whatever ?hub= says */
    assert_int_equal(http(&one, "GET", "/api/v1/checkins?status=waiting&hub=testhub", r_north, NULL,
                          NULL, 0, NULL, &r),
                     0);
    assert_null(strstr(r.body, "Ffion"));
    resp_free(&r);
    assert_int_equal(on_board(&one, r_test, id), 1);
    free(body);
}

/* POSTs one check-in for reception of testhub with the kiosk's ticket kt; its answer. */
static cJSON *post_ticket(const char *id, const char *kt, long *status)
{
    char *base = checkin_body(id, NULL, "housing", false, NULL, NULL, false);
    cJSON *o = cJSON_Parse(base);
    free(base);
    cJSON_AddStringToObject(o, "ticket", kt);
    char *body = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    struct resp r;
    assert_int_equal(http(&one, "POST", "/api/v1/checkins", k_test, "application/json", body,
                          strlen(body), NULL, &r),
                     0);
    free(body);
    *status = r.status;
    cJSON *j = resp_json(&r);
    resp_free(&r);
    assert_non_null(j);
    return j;
}

/* One ticket per resident per hub per day is the database's rule too: a ticket some row
 * holds for today that hubd's look-up does not see (here one received "long ago" but on
 * today's day, as a check-in racing through the other hubd would be) breaks the rule at the
 * insert, and hubd issues its own ticket instead (stored, 201, ticket_why "clash"). */
static void test_ticket_unique_per_day(void **state)
{
    skip_unless_pg();
    char code[3] = "", taken[16], free_one[16], day[16], id[37], other[37], sql[512];
    size_t n = strcspn(k_test, "-");
    assert_true(n >= 1 && n <= 2);
    memcpy(code, k_test, n);
    snprintf(taken, sizeof(taken), "H-%s77", code);
    snprintf(free_one, sizeof(free_one), "H-%s78", code);
    time_t now = time(NULL);
    struct tm tm;
    strftime(day, sizeof(day), "%Y-%m-%d", localtime_r(&now, &tm));
    uuid4(other);
    snprintf(sql, sizeof(sql),
             "INSERT INTO checkins (hub_id, id, body_hash, created_at, received_at, lang, needs,"
             " domains, urgent, chosen_by, consent, status, ticket, position, wait_min, day)"
             " VALUES ('testhub', $1, repeat('0', 64), 0, 0, 'en', '', 'housing', 0, 'router',"
             " 0, 'left', $2, 0, 0, '%s')",
             day);
    assert_int_equal(db_change(one.db, sql, other, taken), 1);
    long st;
    uuid4(id);
    cJSON *a = post_ticket(id, taken, &st);
    assert_int_equal(st, 201);
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(a, "ticket_from")), "hubd");
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(a, "ticket_why")), "clash");
    assert_string_not_equal(cJSON_GetStringValue(cJSON_GetObjectItem(a, "ticket")), taken);
    assert_int_equal(on_board(&one, r_test, id), 1);
    /* the same check-in again: a replay with the same answer */
    cJSON *b = post_ticket(id, taken, &st);
    assert_int_equal(st, 200);
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(b, "ticket")),
                        cJSON_GetStringValue(cJSON_GetObjectItem(a, "ticket")));
    cJSON_Delete(a);
    cJSON_Delete(b);
    /* a ticket nobody holds today is adopted as sent */
    uuid4(id);
    a = post_ticket(id, free_one, &st);
    assert_int_equal(st, 201);
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(a, "ticket_from")), "kiosk");
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(a, "ticket")), free_one);
    cJSON_Delete(a);
}

/* The report of path by=by (hub: &hub=ID, or none) as a token sees it: its JSON. */
static cJSON *report_of(const char *tok, const char *by, const char *hub, const char *accept,
                        struct resp *r)
{
    char p[200];
    const char *base = report_path(NULL); /* from and to */
    const char *amp = strstr(base, "&by=");
    snprintf(p, sizeof(p), "%.*s&by=%s%s%s", (int)(amp - base), base, by, hub ? "&hub=" : "",
             hub ? hub : "");
    assert_int_equal(http(&one, "GET", p, tok, NULL, NULL, 0, accept, r), 0);
    assert_int_equal(r->status, 200);
    return accept ? NULL : resp_json(r);
}

static double total_checkins(const cJSON *report)
{
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(report, "total");
    const cJSON *n = cJSON_GetObjectItemCaseSensitive(t, "checkins");
    assert_true(cJSON_IsNumber(n));
    return n->valuedouble;
}

/* A county manager's report by hub: one entry per hub of the database, each with the figures
 * that hub's own manager sees; a one-hub token's is its hub alone; CSV has the hub first. */
static void test_report_by_hub(void **state)
{
    skip_unless_pg();
    struct resp r;
    char id[37];
    for (int i = 0; i < 3; i++) { /* the two hubs' totals differ by at least these */
        uuid4(id);
        char *body = checkin_body(id, NULL, "health", false, NULL, NULL, false);
        assert_int_equal(post(&one, k_north, body), 201);
        free(body);
    }
    cJSON *own_test = report_of(m_test, "need", NULL, NULL, &r);
    resp_free(&r);
    cJSON *own_north = report_of(m_north, "need", NULL, NULL, &r);
    resp_free(&r);
    double n_test = total_checkins(own_test), n_north = total_checkins(own_north);
    assert_true(n_north >= 3);
    assert_true(n_test != n_north);

    cJSON *county = report_of(m_county, "hub", NULL, NULL, &r);
    resp_free(&r);
    const cJSON *by = cJSON_GetObjectItemCaseSensitive(county, "by_hub");
    assert_true(cJSON_IsObject(by));
    assert_int_equal(cJSON_GetArraySize(by), 2);
    assert_true(total_checkins(cJSON_GetObjectItemCaseSensitive(by, "testhub")) == n_test);
    assert_true(total_checkins(cJSON_GetObjectItemCaseSensitive(by, "northhub")) == n_north);
    assert_null(cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(by, "testhub"),
                                                 "by_need")); /* by=hub alone: totals */
    cJSON_Delete(county);

    /* with other dimensions beside it, each hub has those sections, its own manager's figures */
    county = report_of(m_county, "hub,need", NULL, NULL, &r);
    resp_free(&r);
    by = cJSON_GetObjectItemCaseSensitive(county, "by_hub");
    char *a = cJSON_PrintUnformatted(cJSON_GetObjectItemCaseSensitive(by, "northhub"));
    cJSON_DeleteItemFromObject(own_north, "from");
    cJSON_DeleteItemFromObject(own_north, "to");
    char *b = cJSON_PrintUnformatted(own_north);
    assert_string_equal(a, b);
    free(a);
    free(b);
    cJSON_Delete(county);

    /* a one-hub manager's report by hub is its own hub only */
    cJSON *one_hub = report_of(m_north, "hub", NULL, NULL, &r);
    resp_free(&r);
    by = cJSON_GetObjectItemCaseSensitive(one_hub, "by_hub");
    assert_int_equal(cJSON_GetArraySize(by), 1);
    assert_true(total_checkins(cJSON_GetObjectItemCaseSensitive(by, "northhub")) == n_north);
    cJSON_Delete(one_hub);
    /* so is a county manager's naming the hub */
    one_hub = report_of(m_county, "hub", "testhub", NULL, &r);
    resp_free(&r);
    by = cJSON_GetObjectItemCaseSensitive(one_hub, "by_hub");
    assert_int_equal(cJSON_GetArraySize(by), 1);
    assert_true(total_checkins(cJSON_GetObjectItemCaseSensitive(by, "testhub")) == n_test);
    cJSON_Delete(one_hub);

    /* CSV: the hub as the first column */
    report_of(m_county, "hub", NULL, "Accept: text/csv", &r);
    char line[96];
    assert_non_null(strstr(r.body, "hub,dimension,key,value\r\n"));
    snprintf(line, sizeof(line), "\r\ntesthub,total,checkins,%.0f\r\n", n_test);
    assert_non_null(strstr(r.body, line));
    snprintf(line, sizeof(line), "\r\nnorthhub,total,checkins,%.0f\r\n", n_north);
    assert_non_null(strstr(r.body, line));
    resp_free(&r);
    /* an unknown dimension beside hub is refused */
    assert_int_equal(http_status(&one, "GET",
                                 "/api/v1/reports/demand?from=2026-01-01&to=2026-01-02&by=hub,nope",
                                 m_county, NULL, NULL),
                     400);
    cJSON_Delete(own_test);
    cJSON_Delete(own_north);
}

/* Two hubd on one database: a check-in through one is on the other's board; a status change
 * through one is in the other's directory; a revoked token is refused by both. */
static void test_two_hubd(void **state)
{
    skip_unless_pg();
    char id[37], etag[80], etag2[80], hdr[120];
    struct resp r;
    uuid4(id);
    char *body = checkin_body(id, "w-sian", "housing", false, NULL, NULL, false);
    assert_int_equal(post(&one, k_test, body), 201);
    assert_int_equal(on_board(&two, r_test, id), 1);
    assert_int_equal(post(&two, k_test, body), 200); /* a replay through the other */
    assert_int_equal(on_board(&one, r_test, id), 1);
    free(body);
    assert_int_equal(http(&two, "GET", "/api/v1/directory", k_test, NULL, NULL, 0, NULL, &r), 0);
    assert_non_null(resp_header(&r, "ETag", etag, sizeof(etag)));
    resp_free(&r);
    assert_int_equal(http_status(&one, "PATCH", "/api/v1/workers/w-amir", r_test,
                                 "application/json", "{\"status\":\"away\"}"),
                     200);
    snprintf(hdr, sizeof(hdr), "If-None-Match: %s", etag);
    assert_int_equal(http(&two, "GET", "/api/v1/directory", k_test, NULL, NULL, 0, hdr, &r), 0);
    assert_int_equal(r.status, 200);
    assert_non_null(resp_header(&r, "ETag", etag2, sizeof(etag2)));
    assert_string_not_equal(etag, etag2);
    assert_non_null(strstr(r.body, "\"away\""));
    resp_free(&r);
    /* a revocation reaches both within a second */
    char tok[65], out[256], err[256];
    assert_int_equal(token("reception", "temp-desk", "--hub", "testhub", NULL, NULL, tok), 0);
    assert_int_equal(http_status(&one, "GET", "/api/v1/me", tok, NULL, NULL), 200);
    assert_int_equal(http_status(&two, "GET", "/api/v1/me", tok, NULL, NULL), 200);
    const char *rev[] = {"--db", one.db, "token", "revoke", "temp-desk", NULL};
    assert_int_equal(run_hubd(rev, out, sizeof(out), err, sizeof(err)), 0);
    usleep(1300 * 1000);
    assert_int_equal(http_status(&one, "GET", "/api/v1/me", tok, NULL, NULL), 401);
    assert_int_equal(http_status(&two, "GET", "/api/v1/me", tok, NULL, NULL), 401);
}

#define DRAIN_N 120

/* Posts every body (in batches of 10) until each has an answer of 200 or 201, switching
 * to other when s stops answering: what a kiosk's sync does against a load balancer. */
static void drain(struct server *s, struct server *other, char **bodies, const char *tok,
                  void (*midway)(void))
{
    int answered = 0, rounds = 0;
    char *batch = malloc(16 * 1024);
    assert_non_null(batch);
    while (answered < DRAIN_N && rounds++ < 2000) {
        size_t len = 0;
        int k = answered, end = answered + 10 > DRAIN_N ? DRAIN_N : answered + 10;
        batch[len++] = '[';
        for (int i = k; i < end; i++)
            len +=
                (size_t)snprintf(batch + len, 16 * 1024 - len, "%s%s", i > k ? "," : "", bodies[i]);
        batch[len++] = ']';
        batch[len] = '\0';
        struct resp r;
        if (http(s, "POST", "/api/v1/checkins", tok, "application/json", batch, len, NULL, &r) <
            0) {
            struct server *t = s; /* this hubd is gone: the balancer sends the rest on */
            s = other;
            other = t;
            usleep(100 * 1000);
            continue;
        }
        bool all = r.status == 200;
        cJSON *j = all ? resp_json(&r) : NULL, *it;
        cJSON_ArrayForEach(it, j)
        {
            long st = (long)cJSON_GetNumberValue(cJSON_GetObjectItem(it, "status"));
            all = all && (st == 200 || st == 201);
        }
        cJSON_Delete(j);
        resp_free(&r);
        if (all) {
            answered = end;
            if (answered == DRAIN_N / 2 && midway)
                midway();
        } else {
            usleep(100 * 1000);
        }
    }
    free(batch);
    assert_int_equal(answered, DRAIN_N);
}

static struct server *victim;

/* While the next batch is on its way: hubd killed, or the database restarted. */
static void *kill_soon(void *arg)
{
    usleep(2000);
    server_kill(victim);
    return NULL;
}

static void *restart_soon(void *arg)
{
    char cmd[600];
    usleep(2000);
    snprintf(cmd, sizeof(cmd), "\"%s\" restart \"%s\" >/dev/null 2>&1", getenv("PG_CTL"),
             getenv("PG_DIR"));
    if (system(cmd) != 0)
        fprintf(stderr, "county test: the database did not restart\n");
    return NULL;
}

static pthread_t fault_thread;
static void kill_one(void)
{
    pthread_create(&fault_thread, NULL, kill_soon, NULL);
}

static void restart_db(void)
{
    pthread_create(&fault_thread, NULL, restart_soon, NULL);
}

/* Every check-in of bodies stored once: count rows with their ids. */
static void expect_once(const struct server *s, char ids[][37])
{
    for (int i = 0; i < DRAIN_N; i++) {
        char sql[200];
        snprintf(sql, sizeof(sql),
                 "SELECT count(*) FROM checkins WHERE id = '%s' AND hub_id = 'testhub'", ids[i]);
        assert_int_equal(db_long(s->db, sql), 1);
        snprintf(sql, sizeof(sql),
                 "SELECT count(*) FROM events WHERE checkin_id = '%s' AND kind = 'arrived'"
                 " AND hub_id = 'testhub'",
                 ids[i]);
        assert_int_equal(db_long(s->db, sql), 1);
    }
}

/* kill -9 of one hubd mid-batch, then the database restarted mid-drain: the sync goes on
 * through the other hubd, and every check-in is there exactly once. */
static void test_kill_and_restart(void **state)
{
    skip_unless_pg();
    if (!getenv("PG_CTL") || !getenv("PG_DIR"))
        skip();
    static char ids[DRAIN_N][37];
    char *bodies[DRAIN_N];
    for (int round = 0; round < 2; round++) {
        for (int i = 0; i < DRAIN_N; i++) {
            uuid4(ids[i]);
            bodies[i] =
                checkin_body(ids[i], i % 3 ? "w-sian" : NULL, "housing", i == 7, NULL, NULL, false);
        }
        victim = &one;
        drain(&one, &two, bodies, k_test, round == 0 ? kill_one : restart_db);
        pthread_join(fault_thread, NULL);
        expect_once(&two, ids);
        for (int i = 0; i < DRAIN_N; i++)
            free(bodies[i]);
        if (round == 0)
            assert_int_equal(server_start(&one, NULL), 0);
    }
    /* both hubd serve again after the restart (each probes at most once a second) */
    bool up = false;
    for (int i = 0; i < 50 && !up; i++) {
        up = http_status(&one, "GET", "/health", NULL, NULL, NULL) == 200 &&
             http_status(&two, "GET", "/health", NULL, NULL, NULL) == 200;
        if (!up)
            usleep(200 * 1000);
    }
    assert_true(up);
}

int run_county_tests(void);
int run_county_tests(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_county_tokens), cmocka_unit_test(test_isolation_matrix),
        cmocka_unit_test(test_report_by_hub), cmocka_unit_test(test_ticket_unique_per_day),
        cmocka_unit_test(test_two_hubd),      cmocka_unit_test(test_kill_and_restart),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
