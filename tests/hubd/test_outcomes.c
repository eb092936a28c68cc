/* test_outcomes.c — integration tests of the end of a resident's journey, on a real hubd:
 * reception marks one who left (and undoes it), workers call the next resident (never two
 * the same one, however many call at once), record a coded outcome, residents' feedback is
 * idempotent, the day's end closes whoever still waits, and the demand report counts it
 * all; roles for each (the community figures are in test_community.c). */
#include "test_outcomes.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct server osrv;
char otok[O_COUNT][65];

long call(const char *method, const char *path, const char *token, const char *body, struct resp *r)
{
    char full[300];
    snprintf(full, sizeof(full), "/api/v1%s", path);
    assert_int_equal(http(&osrv, method, full, token, body ? "application/json" : NULL, body,
                          body ? strlen(body) : 0, NULL, r),
                     0);
    return r->status;
}

long call_status(const char *method, const char *path, const char *token, const char *body)
{
    struct resp r;
    long st = call(method, path, token, body, &r);
    resp_free(&r);
    return st;
}

long post_arrival(char *id, const char *at, const char *worker, const char *needs,
                  const char *domains, bool urgent, const char *name, const char *text)
{
    char w[80], body[1400];
    struct resp r;
    uuid4(id);
    snprintf(w, sizeof(w), worker ? "\"%s\"" : "null", worker);
    int n = snprintf(body, sizeof(body),
                     "{\"id\":\"%s\",\"created_at\":\"%s\",\"lang\":\"en\",\"needs\":%s,"
                     "\"domains\":%s,\"urgent\":%s,\"worker_id\":%s,\"chosen_by\":\"router\","
                     "\"consent\":true%s%s%s%s%s%s}",
                     id, at, needs, domains, urgent ? "true" : "false", w,
                     name ? ",\"name\":\"" : "", name ? name : "", name ? "\"" : "",
                     text ? ",\"text\":\"" : "", text ? text : "", text ? "\"" : "");
    assert_true(n > 0 && (size_t)n < sizeof(body));
    long st = call("POST", "/checkins", otok[O_KIOSK], body, &r);
    if (st != 201)
        fail_msg("POST /checkins: %ld %s", st, r.body);
    resp_free(&r);
    assert_int_equal(db_received_as_created(osrv.db, id), 0); /* hubd received it at `at` */
    return st;
}

void introduce(const char *id)
{
    char path[100];
    snprintf(path, sizeof(path), "/checkins/%s/handover", id);
    assert_int_equal(call_status("POST", path, otok[O_RECEPTION], NULL), 200);
}

void month_ago(int back, char *ym, size_t cap)
{
    time_t t = time(NULL);
    struct tm tm;
    localtime_r(&t, &tm);
    int mon = (tm.tm_year + 1900) * 12 + tm.tm_mon - back;
    snprintf(ym, cap, "%04d-%02d", mon / 12, mon % 12 + 1);
}

void time_in_month(int back, int day, int hour, char *out, size_t cap)
{
    char ym[16];
    month_ago(back, ym, sizeof(ym));
    snprintf(out, cap, "%s-%02dT%02d:%02d:00Z", ym, day, hour, (day * 7 + hour) % 60);
}

static char *now_rfc3339(char *out, size_t cap)
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, cap, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return out;
}

/* Whether check-in id is on the board (as reception sees it). */
static bool on_board(const char *id)
{
    struct resp r;
    assert_int_equal(call("GET", "/checkins?status=waiting", otok[O_RECEPTION], NULL, &r), 200);
    bool there = strstr(r.body, id) != NULL;
    resp_free(&r);
    return there;
}

static int group_setup(void **state)
{
    static const char *const roles[] = {"kiosk", "reception", NULL, "manager", "admin"};
    if (server_init(&osrv) < 0)
        return -1;
    if (make_worker_token(&osrv, fixture("hub.json"), "sian", "w-sian", otok[O_WORKER]) < 0 ||
        make_worker_token(&osrv, fixture("hub.json"), "amir", "w-amir", otok[O_AMIR]) < 0 ||
        make_token(&osrv, "worker", "untied", otok[O_UNTIED]) < 0)
        return -1;
    for (int i = 0; i < 5; i++)
        if (roles[i] && make_token(&osrv, roles[i], roles[i], otok[i]) < 0)
            return -1;
    const char *args[] = {"--seed", fixture("hub.json"), NULL};
    return server_start(&osrv, args);
}

static int group_teardown(void **state)
{
    int rc = server_stop(&osrv);
    server_cleanup(&osrv);
    return rc == 0 ? 0 : -1;
}

/* Which roles may call each new endpoint: kiosk, reception, worker (own), manager, admin. */
static void test_roles(void **state)
{
    char id[40], path[120], now[40];
    post_arrival(id, now_rfc3339(now, sizeof(now)), "w-sian", "[\"debt\"]", "[\"benefits\"]", false,
                 NULL, NULL);
    snprintf(path, sizeof(path), "/checkins/%s/left", id);
    const int forbidden[] = {O_KIOSK, O_WORKER, O_MANAGER};
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(call_status("POST", path, otok[forbidden[i]], NULL), 403);
        assert_int_equal(call_status("DELETE", path, otok[forbidden[i]], NULL), 403);
    }
    assert_int_equal(call_status("POST", path, NULL, NULL), 401);
    assert_int_equal(call_status("POST", path, "0123456789abcdef", NULL), 401);
    assert_int_equal(call_status("POST", path, otok[O_ADMIN], NULL), 200);
    assert_int_equal(call_status("DELETE", path, otok[O_ADMIN], NULL), 200);
    /* call next: a worker for their own line only; reception and admin for anyone's */
    assert_int_equal(call_status("POST", "/workers/w-amir/next", otok[O_WORKER], NULL), 403);
    assert_int_equal(call_status("POST", "/workers/w-sian/next", otok[O_UNTIED], NULL), 403);
    assert_int_equal(call_status("POST", "/workers/w-sian/next", otok[O_KIOSK], NULL), 403);
    assert_int_equal(call_status("POST", "/workers/w-sian/next", otok[O_MANAGER], NULL), 403);
    assert_int_equal(call_status("POST", "/workers/w-sian/next", NULL, NULL), 401);
    assert_int_equal(call_status("POST", "/workers/w-amir/next", otok[O_RECEPTION], NULL), 200);
    assert_int_equal(call_status("POST", "/workers/w-nobody/next", otok[O_RECEPTION], NULL), 404);
    /* the outcome: workers and reception */
    snprintf(path, sizeof(path), "/checkins/%s/outcome", id);
    const char *oc = "{\"result\":\"helped\",\"follow_up\":false}";
    assert_int_equal(call_status("POST", path, otok[O_KIOSK], oc), 403);
    assert_int_equal(call_status("POST", path, otok[O_MANAGER], oc), 403);
    assert_int_equal(call_status("POST", path, otok[O_UNTIED], oc), 403);
    assert_int_equal(call_status("POST", path, NULL, oc), 401);
    /* feedback: the kiosk */
    const char *fb = "{\"id\":\"8a4cbb2e-5a54-4a5e-9f0e-0c7f7d1b2a11\",\"created_at\":"
                     "\"2025-01-01T10:00:00Z\",\"lang\":\"cy\",\"got_what_came_for\":\"yes\"}";
    assert_int_equal(call_status("POST", "/feedback", otok[O_RECEPTION], fb), 403);
    assert_int_equal(call_status("POST", "/feedback", otok[O_WORKER], fb), 403);
    assert_int_equal(call_status("POST", "/feedback", NULL, fb), 401);
    /* the community figures are public: no token needed, a wrong one changes nothing */
    assert_int_equal(call_status("GET", "/community", NULL, NULL), 200);
    assert_int_equal(call_status("GET", "/community", "nonsense", NULL), 200);
    assert_int_equal(call_status("PUT", "/community", NULL, NULL), 405);
    /* the board's new status filter: reception and workers, as the board */
    assert_int_equal(call_status("GET", "/checkins?status=introduced", otok[O_KIOSK], NULL), 403);
    assert_int_equal(call_status("GET", "/checkins?status=introduced", otok[O_UNTIED], NULL), 403);
    assert_int_equal(call_status("GET", "/checkins?status=gone", otok[O_RECEPTION], NULL), 400);
    introduce(id); /* out of the lines the next tests count */
}

static void test_left_and_undo(void **state)
{
    char a[40], b[40], c[40], path[120], now[40];
    struct resp r;
    now_rfc3339(now, sizeof(now));
    post_arrival(a, "2025-06-02T09:00:00Z", "w-rhian", "[\"doctor_gp\"]", "[\"health\"]", false,
                 NULL, NULL);
    post_arrival(b, "2025-06-02T09:05:00Z", "w-rhian", "[\"doctor_gp\"]", "[\"health\"]", false,
                 NULL, NULL);
    post_arrival(c, "2025-06-02T09:10:00Z", "w-rhian", "[\"doctor_gp\"]", "[\"health\"]", false,
                 NULL, NULL);
    snprintf(path, sizeof(path), "/checkins/%s/left", a);
    assert_int_equal(call("POST", path, otok[O_RECEPTION], NULL, &r), 200);
    cJSON *j = resp_json(&r);
    assert_string_equal(cJSON_GetObjectItem(j, "status")->valuestring, "left");
    assert_string_equal(cJSON_GetObjectItem(j, "left_by")->valuestring, "reception");
    char first_at[40];
    snprintf(first_at, sizeof(first_at), "%s", cJSON_GetObjectItem(j, "left_at")->valuestring);
    cJSON_Delete(j);
    resp_free(&r);
    assert_false(on_board(a));
    /* a second tap (or a resend) is fine and changes nothing */
    assert_int_equal(call("POST", path, otok[O_RECEPTION], "{}", &r), 200);
    assert_non_null(strstr(r.body, first_at));
    resp_free(&r);
    assert_int_equal(call_status("POST", path, otok[O_RECEPTION], "[1]"), 400);
    /* undo: back on the board, in the place it had */
    assert_int_equal(call("DELETE", path, otok[O_RECEPTION], NULL, &r), 200);
    assert_non_null(strstr(r.body, "\"status\":\"waiting\""));
    resp_free(&r);
    assert_int_equal(
        call("GET", "/checkins?status=waiting&worker_id=w-rhian", otok[O_RECEPTION], NULL, &r),
        200);
    char *pa = strstr(r.body, a), *pb = strstr(r.body, b);
    assert_true(pa && pb && pa < pb);
    resp_free(&r);
    assert_int_equal(call_status("DELETE", path, otok[O_RECEPTION], NULL), 409);
    /* once introduced, a resident cannot have left */
    introduce(c);
    snprintf(path, sizeof(path), "/checkins/%s/left", c);
    assert_int_equal(call_status("POST", path, otok[O_RECEPTION], NULL), 409);
    assert_int_equal(call_status("POST", "/checkins/8a4cbb2e-5a54-4a5e-9f0e-0c7f7d1b2a12/left",
                                 otok[O_RECEPTION], NULL),
                     404);
    assert_int_equal(call_status("POST", "/checkins/not-a-uuid/left", otok[O_RECEPTION], NULL),
                     404);
    /* the event log has it, coded: left, left_undone */
    char sql[200];
    snprintf(sql, sizeof(sql),
             "SELECT count(*) FROM events WHERE checkin_id = '%s' AND kind IN"
             " ('left', 'left_undone')",
             a);
    assert_int_equal(db_long(osrv.db, sql), 2);
    /* leave b for good, for the report test */
    snprintf(path, sizeof(path), "/checkins/%s/left", b);
    assert_int_equal(call_status("POST", path, otok[O_RECEPTION], NULL), 200);
    introduce(a);
}

static void test_next_order(void **state)
{
    char a[40], b[40], u[40];
    struct resp r;
    /* Amir's line: an older ordinary arrival, a newer one, then an urgent one */
    post_arrival(a, "2025-06-03T09:00:00Z", "w-amir", "[\"council_tax\"]", "[\"benefits\"]", false,
                 "Name One", "words one");
    post_arrival(b, "2025-06-03T09:30:00Z", "w-amir", "[\"council_tax\"]", "[\"benefits\"]", false,
                 NULL, NULL);
    post_arrival(u, "2025-06-03T10:00:00Z", "w-amir", "[\"no_food_today\"]", "[\"benefits\"]", true,
                 NULL, NULL);
    const char *want[] = {u, a, b};
    for (int i = 0; i < 3; i++) {
        assert_int_equal(call("POST", "/workers/w-amir/next", otok[O_AMIR], NULL, &r), 200);
        cJSON *j = resp_json(&r);
        cJSON *c = cJSON_GetObjectItem(j, "checkin");
        assert_true(cJSON_IsObject(c));
        assert_string_equal(cJSON_GetObjectItem(c, "id")->valuestring, want[i]);
        assert_string_equal(cJSON_GetObjectItem(c, "status")->valuestring, "introduced");
        assert_int_equal(cJSON_GetObjectItem(j, "waiting")->valueint, 2 - i);
        if (want[i] == a) /* tell it once: the resident's own words travel with them */
            assert_string_equal(cJSON_GetObjectItem(c, "text")->valuestring, "words one");
        cJSON_Delete(j);
        resp_free(&r);
        assert_false(on_board(want[i]));
    }
    assert_int_equal(call("POST", "/workers/w-amir/next", otok[O_AMIR], NULL, &r), 200);
    assert_non_null(strstr(r.body, "\"checkin\":null"));
    resp_free(&r);
    /* a call is an introduction: it counts for waits, and is in the log as called */
    char sql[200];
    snprintf(sql, sizeof(sql),
             "SELECT count(*) FROM events WHERE checkin_id = '%s' AND"
             " kind = 'introduced' AND detail = 'called'",
             a);
    assert_int_equal(db_long(osrv.db, sql), 1);
    /* who Amir has seen today, with no outcome yet */
    assert_int_equal(call("GET", "/checkins?status=introduced", otok[O_AMIR], NULL, &r), 200);
    assert_non_null(strstr(r.body, a));
    assert_null(strstr(r.body, "w-sian"));
    resp_free(&r);
}

#define N_RACE     24
#define N_CALLERS  6
#define CALLS_EACH 8

struct caller {
    const char *token;
    char got[CALLS_EACH][40];
    int n, nulls, errors;
};

static void *caller_run(void *arg)
{
    struct caller *c = arg;
    for (int i = 0; i < CALLS_EACH; i++) {
        struct resp r;
        if (http(&osrv, "POST", "/api/v1/workers/w-sian/next", c->token, NULL, NULL, 0, NULL, &r) <
                0 ||
            r.status != 200) {
            c->errors++;
            continue;
        }
        cJSON *j = resp_json(&r);
        cJSON *ci = cJSON_GetObjectItem(j, "checkin");
        if (cJSON_IsObject(ci))
            snprintf(c->got[c->n++], 40, "%s", cJSON_GetObjectItem(ci, "id")->valuestring);
        else
            c->nulls++;
        cJSON_Delete(j);
        resp_free(&r);
    }
    return NULL;
}

/* Six callers at once (Sian's phone, reception and an admin), 48 calls for 24 residents:
 * each resident comes out exactly once, then nobody. */
static void test_next_concurrent(void **state)
{
    char ids[N_RACE][40];
    struct caller callers[N_CALLERS];
    pthread_t th[N_CALLERS];
    for (int i = 0; i < N_RACE; i++) {
        char at[40];
        snprintf(at, sizeof(at), "2025-06-04T09:%02d:00Z", i);
        post_arrival(ids[i], at, "w-sian", "[\"rent_arrears\"]", "[\"housing\"]", false, NULL,
                     NULL);
    }
    memset(callers, 0, sizeof(callers));
    for (int i = 0; i < N_CALLERS; i++) {
        callers[i].token = otok[i % 3 == 0 ? O_WORKER : i % 3 == 1 ? O_RECEPTION : O_ADMIN];
        assert_int_equal(pthread_create(&th[i], NULL, caller_run, &callers[i]), 0);
    }
    int got = 0, nulls = 0;
    for (int i = 0; i < N_CALLERS; i++) {
        pthread_join(th[i], NULL);
        assert_int_equal(callers[i].errors, 0);
        got += callers[i].n;
        nulls += callers[i].nulls;
    }
    assert_int_equal(got, N_RACE);
    assert_int_equal(nulls, N_CALLERS * CALLS_EACH - N_RACE);
    for (int i = 0; i < N_RACE; i++) {
        int seen = 0;
        for (int c = 0; c < N_CALLERS; c++)
            for (int k = 0; k < callers[c].n; k++)
                seen += strcmp(callers[c].got[k], ids[i]) == 0;
        if (seen != 1)
            fail_msg("resident %d was called %d times", i, seen);
        char sql[200];
        snprintf(sql, sizeof(sql),
                 "SELECT count(*) FROM events WHERE checkin_id = '%s' AND"
                 " kind = 'introduced'",
                 ids[i]);
        assert_int_equal(db_long(osrv.db, sql), 1);
    }
}

static void test_outcome(void **state)
{
    char a[40], path[120];
    struct resp r;
    post_arrival(a, "2025-06-05T11:00:00Z", "w-sian", "[\"debt\"]", "[\"benefits\"]", false, NULL,
                 NULL);
    snprintf(path, sizeof(path), "/checkins/%s/outcome", a);
    const char *ok = "{\"result\":\"partly\",\"follow_up\":true}";
    /* not yet seen: nothing to record */
    assert_int_equal(call_status("POST", path, otok[O_WORKER], ok), 409);
    introduce(a);
    /* only coded values; follow_up is part of the two taps */
    assert_int_equal(call_status("POST", path, otok[O_WORKER],
                                 "{\"result\":\"great\","
                                 "\"follow_up\":true}"),
                     400);
    assert_int_equal(call_status("POST", path, otok[O_WORKER], "{\"result\":\"helped\"}"), 400);
    assert_int_equal(call_status("POST", path, otok[O_WORKER],
                                 "{\"result\":\"helped\","
                                 "\"follow_up\":\"yes\"}"),
                     400);
    assert_int_equal(call_status("POST", path, otok[O_WORKER], "\"helped\""), 400);
    /* another worker's resident */
    assert_int_equal(call_status("POST", path, otok[O_AMIR], ok), 403);
    /* a note sent along is not kept: the outcome is coded only */
    assert_int_equal(call("POST", path, otok[O_WORKER],
                          "{\"result\":\"partly\",\"follow_up\":true,\"note\":\"SECRET NOTE\"}",
                          &r),
                     201);
    assert_null(strstr(r.body, "SECRET"));
    resp_free(&r);
    assert_int_equal(db_long(osrv.db, "SELECT count(*) FROM events WHERE note LIKE '%SECRET%'"
                                      " OR detail LIKE '%SECRET%'"),
                     0);
    /* the same again: 200; a correction (reception may record too): 200, the latest counts */
    assert_int_equal(call_status("POST", path, otok[O_WORKER], ok), 200);
    assert_int_equal(call_status("POST", path, otok[O_RECEPTION],
                                 "{\"result\":\"referred\",\"follow_up\":false}"),
                     200);
    char sql[200];
    snprintf(sql, sizeof(sql),
             "SELECT follow_up FROM checkins WHERE id = '%s'"
             " AND outcome = 'referred'",
             a);
    assert_int_equal(db_long(osrv.db, sql), 0);
    assert_int_equal(call_status("POST", "/checkins/8a4cbb2e-5a54-4a5e-9f0e-0c7f7d1b2a13/outcome",
                                 otok[O_RECEPTION], ok),
                     404);
    /* the worker sees it with the outcome on their list of today */
    assert_int_equal(call("GET", "/checkins?status=introduced", otok[O_WORKER], NULL, &r), 200);
    assert_non_null(strstr(r.body, "\"result\":\"referred\""));
    resp_free(&r);
}

static void test_feedback(void **state)
{
    struct resp r;
    const char *fb = "{\"id\":\"6F9619FF-8B86-4D01-B42D-00C04FC964FF\",\"created_at\":"
                     "\"2025-06-05T12:00:00Z\",\"lang\":\"cy\",\"got_what_came_for\":\"partly\"}";
    assert_int_equal(call("POST", "/feedback", otok[O_KIOSK], fb, &r), 201);
    char first[200];
    snprintf(first, sizeof(first), "%s", r.body);
    assert_non_null(strstr(r.body, "6f9619ff-8b86-4d01-b42d-00c04fc964ff"));
    resp_free(&r);
    /* a resend after a lost answer: the same answer again, nothing counted twice */
    const char *again = "{\"got_what_came_for\":\"partly\",\"lang\":\"cy\",\"created_at\":"
                        "\"2025-06-05T12:00:00.000+00:00\",\"id\":"
                        "\"6f9619ff-8b86-4d01-b42d-00c04fc964ff\"}";
    assert_int_equal(call("POST", "/feedback", otok[O_KIOSK], again, &r), 200);
    assert_string_equal(r.body, first);
    resp_free(&r);
    assert_int_equal(db_long(osrv.db, "SELECT count(*) FROM feedback"), 1);
    /* its times are kept to the hour only: it cannot be matched to a check-in by them */
    assert_int_equal(db_long(osrv.db,
                             "SELECT count(*) FROM feedback WHERE created_at % 3600000 <> 0"
                             " OR received_at % 3600000 <> 0"),
                     0);
    /* the same id with another answer */
    const char *other = "{\"id\":\"6f9619ff-8b86-4d01-b42d-00c04fc964ff\",\"created_at\":"
                        "\"2025-06-05T12:00:00Z\",\"lang\":\"cy\",\"got_what_came_for\":\"no\"}";
    assert_int_equal(call_status("POST", "/feedback", otok[O_KIOSK], other), 409);
    /* malformed: each field named */
    static const char *const bad[][2] = {
        {"{\"id\":\"x\",\"created_at\":\"2025-06-05T12:00:00Z\",\"lang\":\"en\","
         "\"got_what_came_for\":\"yes\"}",
         "id"},
        {"{\"id\":\"6f9619ff-8b86-4d01-b42d-00c04fc964fe\",\"created_at\":\"yesterday\","
         "\"lang\":\"en\",\"got_what_came_for\":\"yes\"}",
         "created_at"},
        {"{\"id\":\"6f9619ff-8b86-4d01-b42d-00c04fc964fe\",\"created_at\":\"2025-06-05T12:00:00Z\","
         "\"lang\":\"English\",\"got_what_came_for\":\"yes\"}",
         "lang"},
        {"{\"id\":\"6f9619ff-8b86-4d01-b42d-00c04fc964fe\",\"created_at\":\"2025-06-05T12:00:00Z\","
         "\"lang\":\"en\",\"got_what_came_for\":\"maybe\"}",
         "got_what_came_for"},
        {"{\"id\":\"6f9619ff-8b86-4d01-b42d-00c04fc964fe\",\"created_at\":\"2025-06-05T12:00:00Z\","
         "\"lang\":\"en\"}",
         "got_what_came_for"},
        {"[]", "body"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(call("POST", "/feedback", otok[O_KIOSK], bad[i][0], &r), 400);
        assert_non_null(strstr(r.body, bad[i][1]));
        resp_free(&r);
    }
    assert_int_equal(db_long(osrv.db, "SELECT count(*) FROM feedback"), 1);
}

/* The report counts how the arrivals of 2-5 June 2025 ended. */
static void test_report_outcomes(void **state)
{
    struct resp r;
    assert_int_equal(
        call("GET", "/reports/demand?from=2025-06-02&to=2025-06-05", otok[O_MANAGER], NULL, &r),
        200);
    cJSON *j = resp_json(&r);
    resp_free(&r);
    cJSON *left = cJSON_GetObjectItem(j, "left"), *res = cJSON_GetObjectItem(j, "results");
    assert_int_equal(cJSON_GetObjectItem(left, "total")->valueint, 1);
    assert_int_equal(cJSON_GetObjectItem(left, "reception")->valueint, 1);
    assert_int_equal(cJSON_GetObjectItem(left, "day_end")->valueint, 0);
    assert_int_equal(cJSON_GetObjectItem(res, "referred")->valueint, 1);
    assert_int_equal(cJSON_GetObjectItem(res, "follow_up")->valueint, 0);
    /* 3 (Rhian) - 1 left + 3 (Amir) + 24 (Sian's race) + 1 (outcome), all introduced */
    assert_int_equal(
        cJSON_GetObjectItem(cJSON_GetObjectItem(j, "outcomes"), "introduced")->valueint, 30);
    assert_int_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "outcomes"), "waiting")->valueint,
                     0);
    assert_int_equal(cJSON_GetObjectItem(res, "unrecorded")->valueint, 29);
    cJSON *fb = cJSON_GetObjectItem(j, "feedback");
    assert_int_equal(cJSON_GetObjectItem(fb, "partly")->valueint, 1);
    cJSON *w = cJSON_GetObjectItem(cJSON_GetObjectItem(j, "outcome_by_worker"), "w-sian");
    assert_int_equal(cJSON_GetObjectItem(w, "referred")->valueint, 1);
    cJSON *d = cJSON_GetObjectItem(cJSON_GetObjectItem(j, "by_day_outcome"), "2025-06-02");
    assert_int_equal(cJSON_GetObjectItem(d, "left")->valueint, 1);
    cJSON *df = cJSON_GetObjectItem(cJSON_GetObjectItem(j, "by_day_feedback"), "2025-06-05");
    assert_int_equal(cJSON_GetObjectItem(df, "partly")->valueint, 1);
    cJSON_Delete(j);
    /* the CSV carries the same figures */
    assert_int_equal(http(&osrv, "GET", "/api/v1/reports/demand?from=2025-06-02&to=2025-06-05",
                          otok[O_MANAGER], NULL, NULL, 0, "Accept: text/csv", &r),
                     0);
    assert_non_null(strstr(r.body, "left,day_end,0\r\n"));
    assert_non_null(strstr(r.body, "results,referred,1\r\n"));
    assert_non_null(strstr(r.body, "outcome_worker,w-sian/referred,1\r\n"));
    assert_non_null(strstr(r.body, "day_feedback,2025-06-05/partly,1\r\n"));
    resp_free(&r);
}

/* Residents still waiting from an earlier day are closed as left at that day's end (here:
 * one received on 6 June 2025, seen at the next start), counted, and cannot be undone. */
static void test_day_end(void **state)
{
    char old[40], today[40], path[120], now[40];
    struct resp r;
    post_arrival(old, "2025-06-06T15:00:00Z", "w-rhian", "[\"dentist\"]", "[\"health\"]", false,
                 NULL, NULL);
    post_arrival(today, now_rfc3339(now, sizeof(now)), "w-rhian", "[\"dentist\"]", "[\"health\"]",
                 false, NULL, NULL);
    assert_int_equal(server_stop(&osrv), 0);
    const char *args[] = {"--seed", fixture("hub.json"), NULL};
    assert_int_equal(server_start(&osrv, args), 0);
    assert_false(on_board(old));
    assert_true(on_board(today));
    char sql[200];
    snprintf(sql, sizeof(sql),
             "SELECT count(*) FROM checkins WHERE id = '%s' AND status = 'left'"
             " AND left_by = 'day_end'",
             old);
    assert_int_equal(db_long(osrv.db, sql), 1);
    /* at the end of the day it came in: within a day of when hubd received it */
    snprintf(sql, sizeof(sql),
             "SELECT left_at - received_at < 86400000 FROM checkins"
             " WHERE id = '%s'",
             old);
    assert_int_equal(db_long(osrv.db, sql), 1);
    snprintf(path, sizeof(path), "/checkins/%s/left", old);
    assert_int_equal(call("DELETE", path, otok[O_RECEPTION], NULL, &r), 409);
    assert_non_null(strstr(r.body, "day's end"));
    resp_free(&r);
    assert_int_equal(
        call("GET", "/reports/demand?from=2025-06-06&to=2025-06-06", otok[O_MANAGER], NULL, &r),
        200);
    assert_non_null(strstr(r.body, "\"day_end\":1"));
    resp_free(&r);
}

/* The new endpoints over the failing store double (tests/hubd/store_fault.c): a failure of
 * each store call they make answers 503 with a JSON error (or, where the call only helps,
 * still answers), and the next request works again. */
struct fault_case {
    const char *kind, *method, *what; /* what: the path, after the fixture's ids */
    long want;                        /* the status while the call fails */
};

static void write_fault(const char *spec, const char *kind, int seq)
{
    FILE *f = fopen(spec, "w");
    assert_non_null(f);
    if (kind)
        fprintf(f, "%s 1 %d\n", kind, seq);
    fclose(f);
}

static void test_journey_faults(void **state)
{
    const char *bin = getenv("HUBD_FAULT_BIN");
    char spec[400], log[400], saved[512], a[40], b[40], path[160], fb[300], now[40];
    if (!bin || !*bin) {
        fprintf(stderr, "# HUBD_FAULT_BIN not set: fault injection not run\n");
        skip();
    }
    snprintf(saved, sizeof(saved), "%s", hubd_bin());
    snprintf(spec, sizeof(spec), "%s/fault", osrv.dir);
    snprintf(log, sizeof(log), "%s/fault.log", osrv.dir);
    write_fault(spec, NULL, 0);
    setenv("HUBD_FAULT_FILE", spec, 1);
    setenv("HUBD_FAULT_LOG", log, 1);
    setenv("HUBD_BIN", bin, 1);
    assert_int_equal(server_stop(&osrv), 0);
    const char *args[] = {"--seed", fixture("hub.json"), NULL};
    /* the day's close fails at the first look after a start: the board still answers */
    write_fault(spec, "day_close", 1);
    assert_int_equal(server_start(&osrv, args), 0);
    for (int i = 0; i < 100; i++) { /* Amir's line empty first: b is the next one called */
        struct resp r;
        assert_int_equal(call("POST", "/workers/w-amir/next", otok[O_AMIR], NULL, &r), 200);
        bool none = strstr(r.body, "\"checkin\":null") != NULL;
        resp_free(&r);
        if (none)
            break;
    }
    now_rfc3339(now, sizeof(now));
    post_arrival(a, now, "w-amir", "[\"debt\"]", "[\"benefits\"]", false, NULL, NULL);
    assert_int_equal(call_status("GET", "/checkins?status=waiting", otok[O_RECEPTION], NULL), 200);
    write_fault(spec, NULL, 0);
    post_arrival(b, now, "w-amir", "[\"debt\"]", "[\"benefits\"]", false, NULL, NULL);
    static const struct fault_case cases[] = {
        {"left", "POST", "left", 503},
        {"next", "POST", "next", 503},
        {"outcome", "POST", "outcome", 503},
        {"seen", "GET", "seen", 503},
        {"feedback_put", "POST", "feedback", 503},
        {"feedback_scan", "GET", "community", 503},
        {"feedback_scan", "GET", "report", 503},
        {"version", "GET", "community", 200}, /* the cache is skipped, the figures built */
    };
    int seq = 1;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const struct fault_case *c = &cases[i];
        const char *body = NULL, *tok = otok[O_RECEPTION];
        if (!strcmp(c->what, "left")) {
            snprintf(path, sizeof(path), "/checkins/%s/left", a);
        } else if (!strcmp(c->what, "next")) {
            snprintf(path, sizeof(path), "/workers/w-amir/next");
        } else if (!strcmp(c->what, "outcome")) {
            snprintf(path, sizeof(path), "/checkins/%s/outcome", b);
            body = "{\"result\":\"helped\",\"follow_up\":false}";
        } else if (!strcmp(c->what, "seen")) {
            snprintf(path, sizeof(path), "/checkins?status=introduced");
        } else if (!strcmp(c->what, "feedback")) {
            snprintf(path, sizeof(path), "/feedback");
            snprintf(fb, sizeof(fb),
                     "{\"id\":\"1b4e28ba-2fa1-41d2-883f-0016d3cca42%d\",\"created_at\":"
                     "\"2025-01-01T10:00:00Z\",\"lang\":\"en\",\"got_what_came_for\":\"yes\"}",
                     (int)i);
            body = fb;
            tok = otok[O_KIOSK];
        } else if (!strcmp(c->what, "community")) {
            snprintf(path, sizeof(path), "/community?from=2024-0%d&to=2024-09", (int)i);
            tok = NULL;
        } else {
            snprintf(path, sizeof(path), "/reports/demand?from=2025-01-01&to=2025-12-31");
            tok = otok[O_MANAGER];
        }
        write_fault(spec, c->kind, ++seq);
        struct resp r;
        long st = call(c->method, path, tok, body, &r);
        if (st != c->want)
            fail_msg("%s fault on %s %s: %ld %s", c->kind, c->method, path, st, r.body);
        if (st >= 400) {
            cJSON *j = resp_json(&r);
            assert_true(cJSON_IsString(cJSON_GetObjectItem(j, "error")));
            cJSON_Delete(j);
        }
        resp_free(&r);
        write_fault(spec, NULL, 0);
        st = call_status(c->method, path, tok, body); /* and at once it works again */
        if (st != 200 && st != 201)
            fail_msg("after the %s fault, %s %s: %ld", c->kind, c->method, path, st);
    }
    size_t len;
    char *fired = slurp(log, &len);
    assert_non_null(fired);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        if (!strstr(fired, cases[i].kind))
            fail_msg("the %s fault never fired", cases[i].kind);
    assert_non_null(strstr(fired, "day_close 1"));
    free(fired);
    unsetenv("HUBD_FAULT_FILE");
    unsetenv("HUBD_FAULT_LOG");
    setenv("HUBD_BIN", saved, 1);
}

int main(void)
{
    setenv("TZ", "Europe/London", 1); /* the fixture hub's, for the months of test_community */
    tzset();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roles),
        cmocka_unit_test(test_left_and_undo),
        cmocka_unit_test(test_next_order),
        cmocka_unit_test(test_next_concurrent),
        cmocka_unit_test(test_outcome),
        cmocka_unit_test(test_feedback),
        cmocka_unit_test(test_report_outcomes),
        cmocka_unit_test(test_day_end),
        cmocka_unit_test(test_community_boundary),
        cmocka_unit_test(test_community_secondary),
        cmocka_unit_test(test_community_whole_months),
        cmocka_unit_test(test_community_property),
        cmocka_unit_test(test_community_page),
        cmocka_unit_test(test_journey_faults),
    };
    return cmocka_run_group_tests_name("hubd journey end", tests, group_setup, group_teardown);
}
