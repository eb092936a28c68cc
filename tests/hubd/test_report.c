/* test_report.c — the demand report's figures checked exactly on a known set of arrivals and
 * introductions: waits per domain and worker, unmet needs by need, the per-day series, the
 * hour x weekday grid in the hub's local time, and the CSV. Introduction times are set in
 * the database (hubd stamps them with its own clock) so every wait is known. */
#include "test_api.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One arrival: when (UTC), what, for whom, and minutes until its introduction (-1: none).
 * The hub is in Europe/London, on summer time (UTC+1) in July 2024. */
struct arrival {
    const char *at, *lang, *needs, *domains, *worker;
    int wait_min;
};

static const struct arrival ARRIVALS[] = {
    /* Monday 1 July, local 00:30: nobody fitted */
    {"2024-06-30T23:30:00Z", "en", "[\"eviction\"]", "[\"housing\"]", NULL, -1},
    /* local 09:00 and 09:30, Sian */
    {"2024-07-01T08:00:00Z", "cy", "[\"rent_arrears\",\"debt\"]", "[\"housing\",\"benefits\"]",
     "w-sian", 10},
    {"2024-07-01T08:30:00Z", "en", "[\"debt\"]", "[\"benefits\"]", "w-sian", 20},
    /* local 14:00 Amir; 14:15 nobody fitted, introduced by reception */
    {"2024-07-01T13:00:00Z", "ur", "[\"universal_credit\"]", "[\"benefits\"]", "w-amir", 5},
    {"2024-07-01T13:15:00Z", "en", "[\"debt\"]", "[\"benefits\"]", NULL, 30},
    /* Tuesday 2 July, local 10:00: the kiosk was unsure; 23:30 Rhian */
    {"2024-07-02T09:00:00Z", "en", "[]", "[]", NULL, -1},
    {"2024-07-02T22:30:00Z", "cy", "[\"mental_health\"]", "[\"health\"]", "w-rhian", 40},
    /* 2 July in UTC but Wednesday 3 July 00:30 at the hub: outside 1-2 July */
    {"2024-07-02T23:30:00Z", "en", "[\"eviction\"]", "[\"housing\"]", NULL, -1},
};

#define N_ARRIVALS (sizeof(ARRIVALS) / sizeof(ARRIVALS[0]))

static int posted;

/* Sets the introduction of check-in id to wait_min minutes after its arrival. */
static void set_wait(const char *id, int wait_min)
{
    char ms[24];
    snprintf(ms, sizeof(ms), "%lld", (long long)wait_min * 60000);
    assert_int_equal(db_change(srv.db,
                               "UPDATE events SET at = (SELECT a.at FROM events a"
                               " WHERE a.checkin_id = $1 AND a.kind = 'arrived') + $2"
                               " WHERE checkin_id = $1 AND kind = 'introduced'",
                               id, ms),
                     1);
}

static void post_arrivals(void)
{
    if (posted)
        return;
    for (size_t i = 0; i < N_ARRIVALS; i++) {
        const struct arrival *a = &ARRIVALS[i];
        char id[37], body[700], worker[40], path[128];
        struct resp r;
        uuid4(id);
        snprintf(worker, sizeof(worker), a->worker ? "\"%s\"" : "null", a->worker);
        snprintf(body, sizeof(body),
                 "{\"id\":\"%s\",\"created_at\":\"%s\",\"lang\":\"%s\",\"needs\":%s,"
                 "\"domains\":%s,\"urgent\":false,\"worker_id\":%s,\"chosen_by\":\"router\","
                 "\"name\":\"Secret Name\",\"text\":\"secret words\",\"consent\":true}",
                 id, a->at, a->lang, a->needs, a->domains, worker);
        if (post_checkin(body, &r) != 201)
            fail_msg("arrival %zu: %ld %s", i, r.status, r.body);
        resp_free(&r);
        assert_int_equal(db_received_as_created(srv.db, id), 0); /* as if received at a->at */
        if (a->wait_min < 0)
            continue;
        snprintf(path, sizeof(path), "/api/v1/checkins/%s/handover", id);
        assert_int_equal(http_status(&srv, "POST", path, tok[T_RECEPTION], NULL, NULL), 200);
        set_wait(id, a->wait_min);
    }
    posted = 1;
}

static cJSON *get_report(const char *query)
{
    struct resp r;
    char path[200];
    snprintf(path, sizeof(path), "/api/v1/reports/demand?%s", query);
    assert_int_equal(http(&srv, "GET", path, tok[T_MANAGER], NULL, NULL, 0, NULL, &r), 0);
    if (r.status != 200)
        fail_msg("%s: %ld %s", path, r.status, r.body);
    assert_null(strstr(r.body, "secret words")); /* coded data only */
    assert_null(strstr(r.body, "Secret Name"));
    cJSON *j = resp_json(&r);
    resp_free(&r);
    assert_non_null(j);
    return j;
}

/* j[a][b] (or j[a][b][c] when c is not NULL) as a number; -1 when absent, -2 when null. */
static double at(cJSON *j, const char *a, const char *b, const char *c)
{
    cJSON *v = cJSON_GetObjectItem(cJSON_GetObjectItem(j, a), b);
    if (c)
        v = cJSON_GetObjectItem(v, c);
    return cJSON_IsNumber(v) ? v->valuedouble : cJSON_IsNull(v) ? -2 : -1;
}

#define EXPECT(j, a, b, c, want)                                                                   \
    do {                                                                                           \
        double got_ = at(j, a, b, c);                                                              \
        if (got_ != (want))                                                                        \
            fail_msg("%s.%s%s%s: want %g, got %g", a, b, c ? "." : "", c ? c : "", (double)(want), \
                     got_);                                                                        \
    } while (0)

static void expect_grid_row(cJSON *j, const char *day, const int *want)
{
    cJSON *row = cJSON_GetObjectItem(cJSON_GetObjectItem(j, "by_weekday_hour"), day);
    assert_true(cJSON_IsArray(row));
    assert_int_equal(cJSON_GetArraySize(row), 24);
    for (int h = 0; h < 24; h++)
        if (cJSON_GetArrayItem(row, h)->valueint != want[h])
            fail_msg("%s %02d:00: want %d, got %d", day, h, want[h],
                     cJSON_GetArrayItem(row, h)->valueint);
}

void test_report_exact(void **state)
{
    post_arrivals();
    cJSON *j = get_report("from=2024-07-01&to=2024-07-02");
    /* the figures that were there before */
    EXPECT(j, "total", "checkins", NULL, 7);
    EXPECT(j, "outcomes", "introduced", NULL, 5);
    EXPECT(j, "outcomes", "waiting", NULL, 2);
    EXPECT(j, "unmet", "no_fit", NULL, 2);
    EXPECT(j, "unmet", "unsure", NULL, 1);
    EXPECT(j, "by_hour", "09", NULL, 2);
    EXPECT(j, "by_hour", "00", NULL, 1);
    EXPECT(j, "by_weekday", "mon", NULL, 5);
    EXPECT(j, "by_weekday", "wed", NULL, 0);
    /* waits 5, 10, 20, 30, 40 min: median 20, p90 30 + 0.6 x 10 */
    EXPECT(j, "wait_min", "count", NULL, 5);
    EXPECT(j, "wait_min", "median", NULL, 20);
    EXPECT(j, "wait_min", "p90", NULL, 36);
    /* per domain: housing {10}; benefits {10, 20, 5, 30}; health {40}; none: no one yet */
    EXPECT(j, "wait_by_domain", "housing", "count", 1);
    EXPECT(j, "wait_by_domain", "housing", "median", 10);
    EXPECT(j, "wait_by_domain", "benefits", "count", 4);
    EXPECT(j, "wait_by_domain", "benefits", "median", 15);
    EXPECT(j, "wait_by_domain", "benefits", "p90", 27);
    EXPECT(j, "wait_by_domain", "health", "p90", 40);
    EXPECT(j, "wait_by_domain", "none", "count", 0);
    EXPECT(j, "wait_by_domain", "none", "median", -2);
    EXPECT(j, "wait_by_domain", "none", "p90", -2);
    /* per worker: Sian {10, 20}; Amir {5}; reception {30}; Rhian {40} */
    EXPECT(j, "wait_by_worker", "w-sian", "count", 2);
    EXPECT(j, "wait_by_worker", "w-sian", "median", 15);
    EXPECT(j, "wait_by_worker", "w-sian", "p90", 19);
    EXPECT(j, "wait_by_worker", "w-amir", "median", 5);
    EXPECT(j, "wait_by_worker", "reception", "count", 1);
    EXPECT(j, "wait_by_worker", "reception", "p90", 30);
    EXPECT(j, "wait_by_worker", "w-rhian", "median", 40);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(j, "wait_by_worker")), 4);
    /* unmet needs by need (nobody fitted); the unsure one has no need to count */
    EXPECT(j, "unmet_by_need", "eviction", NULL, 1);
    EXPECT(j, "unmet_by_need", "debt", NULL, 1);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(j, "unmet_by_need")), 2);
    /* by day, in the hub's local days, every day of the range present */
    EXPECT(j, "by_day", "2024-07-01", NULL, 5);
    EXPECT(j, "by_day", "2024-07-02", NULL, 2);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(j, "by_day")), 2);
    EXPECT(j, "by_day_domain", "2024-07-01", "housing", 2);
    EXPECT(j, "by_day_domain", "2024-07-01", "benefits", 4);
    EXPECT(j, "by_day_domain", "2024-07-01", "health", 0);
    EXPECT(j, "by_day_domain", "2024-07-01", "none", 0);
    EXPECT(j, "by_day_domain", "2024-07-02", "health", 1);
    EXPECT(j, "by_day_domain", "2024-07-02", "none", 1);
    EXPECT(j, "by_day_domain", "2024-07-02", "housing", 0);
    /* the hour x weekday grid, hub-local */
    int mon[24] = {0}, tue[24] = {0}, none[24] = {0};
    mon[0] = 1;
    mon[9] = 2;
    mon[14] = 2;
    tue[10] = 1;
    tue[23] = 1;
    expect_grid_row(j, "mon", mon);
    expect_grid_row(j, "tue", tue);
    expect_grid_row(j, "wed", none);
    expect_grid_row(j, "sun", none);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(j, "by_weekday_hour")), 7);
    cJSON_Delete(j);

    /* the arrival at 23:30 UTC on 2 July is the hub's Wednesday */
    j = get_report("from=2024-07-03&to=2024-07-05");
    EXPECT(j, "total", "checkins", NULL, 1);
    EXPECT(j, "by_day", "2024-07-03", NULL, 1);
    EXPECT(j, "by_day", "2024-07-05", NULL, 0);
    EXPECT(j, "by_day_domain", "2024-07-03", "housing", 1);
    EXPECT(j, "wait_min", "median", NULL, -2);
    EXPECT(j, "unmet_by_need", "eviction", NULL, 1);
    int wed[24] = {0};
    wed[0] = 1;
    expect_grid_row(j, "wed", wed);
    cJSON_Delete(j);

    /* by= picks the sections: each dimension brings its companions, nothing else */
    j = get_report("from=2024-07-01&to=2024-07-02&by=day");
    assert_non_null(cJSON_GetObjectItem(j, "by_day"));
    assert_non_null(cJSON_GetObjectItem(j, "by_day_domain"));
    assert_null(cJSON_GetObjectItem(j, "by_weekday_hour"));
    assert_null(cJSON_GetObjectItem(j, "wait_by_worker"));
    assert_null(cJSON_GetObjectItem(j, "by_need"));
    assert_non_null(cJSON_GetObjectItem(j, "wait_min"));
    cJSON_Delete(j);
    j = get_report("from=2024-07-01&to=2024-07-02&by=weekday_hour,worker");
    assert_non_null(cJSON_GetObjectItem(j, "by_weekday_hour"));
    assert_non_null(cJSON_GetObjectItem(j, "wait_by_worker"));
    assert_null(cJSON_GetObjectItem(j, "wait_by_domain"));
    assert_null(cJSON_GetObjectItem(j, "by_day"));
    cJSON_Delete(j);
    /* an empty range still has every section, with empty or zero figures */
    j = get_report("from=2023-01-02&to=2023-01-02");
    EXPECT(j, "by_day", "2023-01-02", NULL, 0);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(j, "wait_by_domain")), 0);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(j, "unmet_by_need")), 0);
    expect_grid_row(j, "mon", none);
    cJSON_Delete(j);
    assert_int_equal(http_status(&srv, "GET",
                                 "/api/v1/reports/demand?from=2024-07-01&to=2024-07-02&by=day,x",
                                 tok[T_MANAGER], NULL, NULL),
                     400);
}

void test_report_csv_exact(void **state)
{
    struct resp r;
    post_arrivals();
    assert_int_equal(http(&srv, "GET", "/api/v1/reports/demand?from=2024-07-01&to=2024-07-02",
                          tok[T_MANAGER], NULL, NULL, 0, "Accept: text/csv", &r),
                     0);
    assert_int_equal(r.status, 200);
    const char *lines[] = {
        "dimension,key,value\r\n",
        "total,checkins,7\r\n",
        "wait_min,median,20\r\n",
        "wait_min,p90,36\r\n",
        "need,debt,3\r\n",
        "unmet_need,eviction,1\r\n",
        "unmet_need,debt,1\r\n",
        "wait_domain,benefits/count,4\r\n",
        "wait_domain,benefits/median,15\r\n",
        "wait_domain,benefits/p90,27\r\n",
        "wait_domain,none/count,0\r\n",
        "wait_worker,w-sian/p90,19\r\n",
        "wait_worker,reception/median,30\r\n",
        "day,2024-07-01,5\r\n",
        "day,2024-07-02,2\r\n",
        "day_domain,2024-07-01/benefits,4\r\n",
        "day_domain,2024-07-02/none,1\r\n",
        "day_domain,2024-07-02/housing,0\r\n",
        "weekday_hour,mon/00,1\r\n",
        "weekday_hour,mon/09,2\r\n",
        "weekday_hour,tue/23,1\r\n",
        "weekday_hour,sun/12,0\r\n",
    };
    assert_true(strncmp(r.body, lines[0], strlen(lines[0])) == 0);
    for (size_t i = 1; i < sizeof(lines) / sizeof(lines[0]); i++)
        if (!strstr(r.body, lines[i]))
            fail_msg("CSV lacks %s", lines[i]);
    /* no value, no line: the median of no waits is left out */
    assert_null(strstr(r.body, "wait_domain,none/median"));
    /* 168 grid cells and two days of four domains */
    int grid = 0, days = 0;
    for (const char *p = r.body; (p = strstr(p, "\nweekday_hour,")); p++)
        grid++;
    for (const char *p = r.body; (p = strstr(p, "\nday_domain,")); p++)
        days++;
    assert_int_equal(grid, 168);
    assert_int_equal(days, 8);
    assert_null(strstr(r.body, "secret"));
    assert_null(strstr(r.body, "Secret"));
    resp_free(&r);
}
