/* test_faults.c — the way SQLite tests itself: hubd built with a store double that fails
 * call N of kind K (store_fault.c), driven through every API endpoint for each kind and
 * each N until the fault no longer fires. Every failure must come out as a 503 with a JSON
 * error (or, where hubd can do without the store, as the normal answer), hubd must keep
 * answering, and every 503 path of the API must be reached. */
#include "client.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int run_fault_tests(void);

enum step {
    ST_HEALTH,
    ST_ME,
    ST_DIRECTORY,
    ST_POST,
    ST_BATCH,
    ST_BOARD,
    ST_HANDOVER,
    ST_REASSIGN,
    ST_PATCH,
    ST_REPORT,
    ST_CSV,
    ST_WRONG_TOKEN,
    ST_LEFT,
    ST_LEFT_UNDO,
    ST_NEXT,
    ST_OUTCOME,
    ST_FEEDBACK,
    ST_SEEN,
    ST_COMMUNITY,
    ST_COMMUNITY_RANGE,
    ST_KIOSK_STATUS,
    ST_KIOSKS,
    ST_REPORT_BY_HUB,
    ST_COUNT
};

static const char *const STEP_NAMES[ST_COUNT] = {
    "GET /health",
    "GET /me",
    "GET /directory",
    "POST /checkins",
    "POST /checkins [2]",
    "GET /checkins",
    "POST handover",
    "POST reassign",
    "PATCH /workers",
    "GET report",
    "GET report (CSV)",
    "a wrong token",
    "POST left",
    "DELETE left",
    "POST next",
    "POST outcome",
    "POST /feedback",
    "GET /checkins?status=introduced",
    "GET /community",
    "GET /community (a range not yet served)",
    "POST /kiosks/status",
    "GET /kiosks",
    "GET report by hub (county)",
};

/* The kinds the API reaches (token_add, token_revoke and hub_seed belong to the command
 * line, purge to its thread; they are failed at start-up or not at all). day_close runs at
 * most once a day (and a minute after a failure), so it comes first and may have run. */
static const char *const KINDS[] = {
    "day_close", "checkins_put", "board",  "handover",     "reassign",      "worker_update",
    "hub_load",  "report_scan",  "health", "token_find",   "tokens_load",   "left",
    "next",      "outcome",      "seen",   "feedback_put", "feedback_scan", "version",
    "kiosk_put", "kiosk_list",   "hubs"};
#define N_KINDS (sizeof(KINDS) / sizeof(KINDS[0]))

struct rig {
    struct server s;
    char kiosk[65], kiosk2[65], recep[65], manager[65];
    char county[65]; /* PostgreSQL: a county manager's token ("" on SQLite, a store of one hub) */
    char spec[400], log[400];
    int seq;
    bool seen503[ST_COUNT];
    long patch_status;              /* the scenario's PATCH: its answer ... */
    const char *patched;            /* ... and the status it set */
    int ack_pending, ack_set_aside; /* the kiosk's counts as last acknowledged (204) */
    bool seen_write_failed; /* a kiosk's sign of life failed to be written, its request 200 */
};

static void write_spec(struct rig *g, const char *kind, int n)
{
    FILE *f = fopen(g->spec, "w");
    assert_non_null(f);
    if (kind)
        fprintf(f, "%s %d %d\n", kind, n, ++g->seq); /* the sequence makes each line new */
    fclose(f);
}

/* True when the log says call n of kind failed. */
static bool fired(struct rig *g, const char *kind, int n)
{
    char want[64];
    size_t len;
    snprintf(want, sizeof(want), "%s %d\n", kind, n);
    char *log = slurp(g->log, &len);
    bool yes = log && strstr(log, want);
    free(log);
    return yes;
}

/* A fresh check-in for reception's queue; its id in id. Asserts 201. */
static void make_checkin(struct rig *g, char *id)
{
    uuid4(id);
    char *body = checkin_body(id, NULL, "housing", false, "Jo", NULL, false);
    assert_int_equal(
        http_status(&g->s, "POST", "/api/v1/checkins", g->kiosk, "application/json", body), 201);
    free(body);
}

/* One request of the scenario: any 5xx must be a 503 with a JSON error. */
static void expect_sane(struct rig *g, enum step st, const char *method, const char *path,
                        const char *token, const char *body)
{
    struct resp r;
    const char *ct = body ? "application/json" : NULL;
    assert_int_equal(http(&g->s, method, path, token, ct, body, body ? strlen(body) : 0, NULL, &r),
                     0);
    if (r.status >= 500 && r.status != 503)
        fail_msg("%s: %ld %s", STEP_NAMES[st], r.status, r.body);
    cJSON *j = resp_json(&r);
    if (r.status >= 400 && !cJSON_IsString(cJSON_GetObjectItem(j, "error")))
        fail_msg("%s: %ld without a JSON error: %s", STEP_NAMES[st], r.status, r.body);
    if (r.status == 503)
        g->seen503[st] = true;
    if (st == ST_PATCH)
        g->patch_status = r.status;
    if (st == ST_KIOSK_STATUS && r.status == 204) {
        cJSON *sent = cJSON_Parse(body);
        g->ack_pending = cJSON_GetObjectItem(sent, "pending")->valueint;
        g->ack_set_aside = cJSON_GetObjectItem(sent, "set_aside")->valueint;
        cJSON_Delete(sent);
    }
    if (st == ST_BATCH && r.status == 200) { /* a batch answers each item, 503 included */
        cJSON *it;
        cJSON_ArrayForEach(it, j)
        {
            if (cJSON_GetObjectItem(it, "status")->valueint == 503)
                g->seen503[st] = true;
        }
    }
    cJSON_Delete(j);
    resp_free(&r);
}

/* Every endpoint once, the targets of handover and reassign made before the fault is set. */
static void scenario(struct rig *g, const char *kind, int n)
{
    char a[37], b[37], c1[37], c2[37], d[37], e[37], path[160], wrong[65];
    make_checkin(g, a);
    make_checkin(g, b);
    make_checkin(g, e); /* leaves, and comes back */
    make_checkin(g, d); /* introduced now, its outcome recorded under the fault */
    snprintf(path, sizeof(path), "/api/v1/checkins/%s/handover", d);
    assert_int_equal(http_status(&g->s, "POST", path, g->recep, NULL, NULL), 200);
    uuid4(c1); /* someone for w-rhian's Call next */
    char *next = checkin_body(c1, "w-rhian", "health", false, NULL, NULL, false);
    assert_int_equal(
        http_status(&g->s, "POST", "/api/v1/checkins", g->kiosk, "application/json", next), 201);
    free(next);
    write_spec(g, kind, n);
    if (strcmp(kind, "tokens_load") == 0)
        usleep(1100 * 1000); /* hubd re-reads its tokens at most once a second */
    if (strcmp(kind, "kiosk_put") == 0) {
        /* a kiosk hubd has not heard from yet: its first request writes its sign of life,
         * and the request must be answered whether that write fails or not */
        long st = http_status(&g->s, "GET", "/api/v1/me", g->kiosk2, NULL, NULL);
        if (fired(g, kind, n)) {
            if (st != 200)
                fail_msg("a kiosk's request answered %ld when its sign of life failed", st);
            g->seen_write_failed = true;
        }
    }
    expect_sane(g, ST_HEALTH, "GET", "/health", NULL, NULL);
    expect_sane(g, ST_ME, "GET", "/api/v1/me", g->kiosk, NULL);
    expect_sane(g, ST_DIRECTORY, "GET", "/api/v1/directory", g->kiosk, NULL);
    uuid4(c1);
    char *one = checkin_body(c1, "w-sian", "housing", false, NULL, NULL, false);
    expect_sane(g, ST_POST, "POST", "/api/v1/checkins", g->kiosk, one);
    uuid4(c1);
    uuid4(c2);
    char *x = checkin_body(c1, "w-amir", "benefits", false, NULL, NULL, false);
    char *y = checkin_body(c2, NULL, NULL, true, NULL, NULL, false);
    size_t cap = strlen(x) + strlen(y) + 4;
    char *batch = malloc(cap);
    snprintf(batch, cap, "[%s,%s]", x, y);
    expect_sane(g, ST_BATCH, "POST", "/api/v1/checkins", g->kiosk, batch);
    expect_sane(g, ST_BOARD, "GET", "/api/v1/checkins?status=waiting&limit=50", g->recep, NULL);
    snprintf(path, sizeof(path), "/api/v1/checkins/%s/handover", a);
    expect_sane(g, ST_HANDOVER, "POST", path, g->recep, NULL);
    snprintf(path, sizeof(path), "/api/v1/checkins/%s/reassign", b);
    expect_sane(g, ST_REASSIGN, "POST", path, g->recep,
                "{\"worker_id\":\"w-amir\",\"reason\":\"speaks Urdu\"}");
    g->patched = g->seq % 2 ? "away" : "available";
    snprintf(path, sizeof(path), "{\"status\":\"%s\"}", g->patched);
    expect_sane(g, ST_PATCH, "PATCH", "/api/v1/workers/w-rhian", g->recep, path);
    expect_sane(g, ST_REPORT, "GET", "/api/v1/reports/demand?from=2025-01-01&to=2027-12-31",
                g->manager, NULL);
    struct resp r;
    assert_int_equal(http(&g->s, "GET", "/api/v1/reports/demand?from=2025-01-01&to=2027-12-31",
                          g->manager, NULL, NULL, 0, "Accept: text/csv", &r),
                     0);
    if (r.status >= 500 && r.status != 503)
        fail_msg("report CSV: %ld", r.status);
    g->seen503[ST_CSV] |= r.status == 503;
    resp_free(&r);
    snprintf(wrong, sizeof(wrong), "%064x", g->seq);
    expect_sane(g, ST_WRONG_TOKEN, "GET", "/api/v1/me", wrong, NULL);
    snprintf(path, sizeof(path), "/api/v1/checkins/%s/left", e);
    expect_sane(g, ST_LEFT, "POST", path, g->recep, NULL);
    expect_sane(g, ST_LEFT_UNDO, "DELETE", path, g->recep, NULL);
    expect_sane(g, ST_NEXT, "POST", "/api/v1/workers/w-rhian/next", g->recep, NULL);
    snprintf(path, sizeof(path), "/api/v1/checkins/%s/outcome", d);
    expect_sane(g, ST_OUTCOME, "POST", path, g->recep,
                "{\"result\":\"helped\",\"follow_up\":false}");
    char fb[200];
    uuid4(c2);
    snprintf(fb, sizeof(fb),
             "{\"id\":\"%s\",\"created_at\":\"2026-01-05T10:00:00Z\",\"lang\":\"en\","
             "\"got_what_came_for\":\"yes\"}",
             c2);
    expect_sane(g, ST_FEEDBACK, "POST", "/api/v1/feedback", g->kiosk, fb);
    expect_sane(g, ST_SEEN, "GET", "/api/v1/checkins?status=introduced", g->recep, NULL);
    expect_sane(g, ST_COMMUNITY, "GET", "/api/v1/community", NULL, NULL);
    /* a range the page has not been asked for just before (its figures are kept for the last
     * range asked): they must be read from the store, so its failure is a 503 */
    snprintf(path, sizeof(path), "/api/v1/community?from=2025-%02d&to=2025-12", g->seq % 12 + 1);
    expect_sane(g, ST_COMMUNITY_RANGE, "GET", path, NULL, NULL);
    char counts[80]; /* counts that differ from one scenario to the next */
    snprintf(counts, sizeof(counts), "{\"pending\":%d,\"set_aside\":%d}", g->seq % 7 + 1,
             g->seq % 3);
    expect_sane(g, ST_KIOSK_STATUS, "POST", "/api/v1/kiosks/status", g->kiosk, counts);
    expect_sane(g, ST_KIOSKS, "GET", "/api/v1/kiosks", g->recep, NULL);
    if (g->county[0]) /* every hub of the database, each one's report */
        expect_sane(g, ST_REPORT_BY_HUB, "GET",
                    "/api/v1/reports/demand?from=2025-01-01&to=2027-12-31&by=hub", g->county, NULL);
    free(one);
    free(x);
    free(y);
    free(batch);
    write_spec(g, NULL, 0);
}

/* With the fault gone, everything answers again at once, and the directory shows the last
 * change even if the rebuild that should have shown it failed. */
static void expect_recovered(struct rig *g)
{
    struct resp r;
    assert_int_equal(http_status(&g->s, "GET", "/health", NULL, NULL, NULL), 200);
    assert_int_equal(
        http_status(&g->s, "GET", "/api/v1/checkins?status=waiting", g->recep, NULL, NULL), 200);
    assert_int_equal(http_status(&g->s, "PATCH", "/api/v1/workers/w-sian", g->recep,
                                 "application/json", "{\"desk\":\"Room 2\"}"),
                     200);
    assert_int_equal(http(&g->s, "GET", "/api/v1/directory", g->kiosk, NULL, NULL, 0, NULL, &r), 0);
    assert_int_equal(r.status, 200);
    cJSON *d = resp_json(&r), *w;
    cJSON_ArrayForEach(w, cJSON_GetObjectItem(d, "workers"))
    {
        const char *st = cJSON_GetObjectItem(w, "status")->valuestring;
        if (g->patch_status == 200 &&
            !strcmp(cJSON_GetObjectItem(w, "id")->valuestring, "w-rhian") &&
            strcmp(st, g->patched) != 0)
            fail_msg("the directory still says w-rhian is %s after a PATCH to %s", st, g->patched);
    }
    cJSON_Delete(d);
    resp_free(&r);
    /* the kiosk's counts are the last ones acknowledged, a refused report changed nothing */
    assert_int_equal(http(&g->s, "GET", "/api/v1/kiosks", g->recep, NULL, NULL, 0, NULL, &r), 0);
    assert_int_equal(r.status, 200);
    cJSON *ks = resp_json(&r), *k, *mine = NULL;
    cJSON_ArrayForEach(k, cJSON_GetObjectItem(ks, "kiosks"))
    {
        if (!strcmp(cJSON_GetObjectItem(k, "name")->valuestring, "k"))
            mine = k;
    }
    if (!mine)
        fail_msg("GET /kiosks does not list the kiosk: %s", r.body);
    if (g->ack_pending && (cJSON_GetObjectItem(mine, "pending")->valueint != g->ack_pending ||
                           cJSON_GetObjectItem(mine, "set_aside")->valueint != g->ack_set_aside))
        fail_msg("GET /kiosks says %s, the last counts acknowledged were %d and %d", r.body,
                 g->ack_pending, g->ack_set_aside);
    cJSON_Delete(ks);
    resp_free(&r);
}

static void test_every_fault(void **state)
{
    const char *bin = getenv("HUBD_FAULT_BIN");
    static struct rig g; /* static: large, and zeroed */
    char saved[512];
    if (!bin || !*bin || access(bin, X_OK) != 0) {
        fprintf(stderr, "# HUBD_FAULT_BIN not set: fault injection not run\n");
        skip();
    }
    snprintf(saved, sizeof(saved), "%s", hubd_bin());
    setenv("HUBD_BIN", bin, 1);
    assert_int_equal(server_init(&g.s), 0);
    snprintf(g.spec, sizeof(g.spec), "%s/fault", g.s.dir);
    snprintf(g.log, sizeof(g.log), "%s/fault.log", g.s.dir);
    snprintf(g.s.log, sizeof(g.s.log), "%s/hubd.log", g.s.dir);
    setenv("HUBD_FAULT_FILE", g.spec, 1);
    setenv("HUBD_FAULT_LOG", g.log, 1);
    write_spec(&g, NULL, 0);
    assert_int_equal(make_token(&g.s, "kiosk", "k", g.kiosk), 0);
    assert_int_equal(make_token(&g.s, "kiosk", "k2", g.kiosk2), 0);
    assert_int_equal(make_token(&g.s, "reception", "r", g.recep), 0);
    assert_int_equal(make_token(&g.s, "manager", "m", g.manager), 0);
    if (server_pg()) {
        char out[256], err[256];
        const char *mc[] = {"--db", g.s.db, "token", "manager", "mc", "--hub", "all", NULL};
        assert_int_equal(run_hubd(mc, out, sizeof(out), err, sizeof(err)), 0);
        snprintf(g.county, sizeof(g.county), "%.64s", out);
    }
    const char *args[] = {"--seed", fixture("hub.json"), NULL};
    assert_int_equal(server_start(&g.s, args), 0);
    int runs = 0;
    for (size_t k = 0; k < N_KINDS; k++) {
        int n = 1;
        if (!g.county[0] && strcmp(KINDS[k], "hubs") == 0)
            continue; /* a store of one hub has no list of hubs */
        for (; n <= 12; n++, runs++) {
            scenario(&g, KINDS[k], n);
            expect_recovered(&g);
            if (!fired(&g, KINDS[k], n))
                break;
        }
        if (n == 1 && strcmp(KINDS[k], "day_close") == 0)
            fprintf(stderr, "# day_close had run already today: not failed\n");
        else if (n == 1)
            fail_msg("a fault of kind %s never fired: the API does not reach it", KINDS[k]);
    }
    fprintf(stderr, "# fault injection: %d scenarios of %d requests, every kind fired\n", runs,
            ST_COUNT);
    /* GET /community serves its last good figures when the store fails (a public page): it
     * is in the scenario, but needs no 503; a range not yet served does */
    static const enum step must503[] = {
        ST_HEALTH,         ST_POST,     ST_BATCH, ST_BOARD,        ST_HANDOVER,  ST_REASSIGN,
        ST_PATCH,          ST_REPORT,   ST_CSV,   ST_LEFT,         ST_LEFT_UNDO, ST_NEXT,
        ST_OUTCOME,        ST_FEEDBACK, ST_SEEN,  ST_KIOSK_STATUS, ST_KIOSKS,    ST_REPORT_BY_HUB,
        ST_COMMUNITY_RANGE};
    for (size_t i = 0; i < sizeof(must503) / sizeof(must503[0]); i++)
        if (!g.seen503[must503[i]] && (must503[i] != ST_REPORT_BY_HUB || g.county[0]))
            fail_msg("no fault reached the 503 of %s", STEP_NAMES[must503[i]]);
    if (!g.seen_write_failed)
        fail_msg("no fault reached the write of a kiosk's sign of life");
    assert_int_equal(server_stop(&g.s), 0);
    /* a failure while starting is one clear line and a non-zero exit */
    char out[512], err[1024];
    write_spec(&g, "hub_load", 1);
    const char *start[] = {"--db", g.s.db, "--port", "0", NULL};
    int rc = run_hubd(start, out, sizeof(out), err, sizeof(err));
    if (rc == 0 || !strstr(err, "hubd:") || strchr(err, '\n') != strrchr(err, '\n'))
        fail_msg("start with a failing hub_load: exit %d, %s", rc, err);
    write_spec(&g, "token_add", 1);
    const char *tok[] = {"--db", g.s.db, "token", "kiosk", "x", NULL};
    rc = run_hubd(tok, out, sizeof(out), err, sizeof(err));
    if (rc == 0 || !strstr(err, "cannot store"))
        fail_msg("token with a failing token_add: exit %d, %s", rc, err);
    write_spec(&g, "token_revoke", 1);
    const char *rev[] = {"--db", g.s.db, "token", "revoke", "k", NULL};
    rc = run_hubd(rev, out, sizeof(out), err, sizeof(err));
    if (rc == 0 || !strstr(err, "database error"))
        fail_msg("revoke with a failing token_revoke: exit %d, %s", rc, err);
    unsetenv("HUBD_FAULT_FILE");
    unsetenv("HUBD_FAULT_LOG");
    setenv("HUBD_BIN", saved, 1);
    server_cleanup(&g.s);
}

int run_fault_tests(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_every_fault)};
    return cmocka_run_group_tests_name("hubd store faults", tests, NULL, NULL);
}
