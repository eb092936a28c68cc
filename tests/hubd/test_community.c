/* test_community.c — the public figures (GET /community): the 4/5 boundary, a withheld count
 * that subtraction would reveal withheld with another, whole months only, and a property
 * test over random arrivals (names, words, workers, times, outcomes, feedback) that no name,
 * word, worker or time finer than a month ever appears, every count shown is exact and at
 * least 5, and no group has a lone withheld count beside its total. */
#include "test_outcomes.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The community answer for months back `from`..`to` (months before now), as JSON. */
static cJSON *community(int from, int to, char **raw)
{
    char a[16], b[16], path[120];
    struct resp r;
    month_ago(from, a, sizeof(a));
    month_ago(to, b, sizeof(b));
    snprintf(path, sizeof(path), "/community?from=%s&to=%s", a, b);
    assert_int_equal(call("GET", path, NULL, NULL, &r), 200);
    cJSON *j = resp_json(&r);
    assert_non_null(j);
    if (raw)
        *raw = strdup(r.body);
    resp_free(&r);
    return j;
}

/* months[i][group][key] (key NULL: months[i][group]): the number, -2 for null, -1 absent. */
static long fig(cJSON *j, int i, const char *group, const char *key)
{
    cJSON *m = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "months"), i);
    cJSON *v = cJSON_GetObjectItem(m, group);
    if (key)
        v = cJSON_GetObjectItem(v, key);
    return cJSON_IsNumber(v) ? (long)v->valuedouble : cJSON_IsNull(v) ? -2 : -1;
}

static void feedback_in(int back, int day, const char *answer)
{
    char id[40], at[40], body[300];
    uuid4(id);
    time_in_month(back, day, 12, at, sizeof(at));
    snprintf(body, sizeof(body),
             "{\"id\":\"%s\",\"created_at\":\"%s\",\"lang\":\"en\",\"got_what_came_for\":\"%s\"}",
             id, at, answer);
    assert_int_equal(call_status("POST", "/feedback", otok[O_KIOSK], body), 201);
}

static void outcome_of(const char *id, const char *result, bool follow_up)
{
    char path[120], body[100];
    snprintf(path, sizeof(path), "/checkins/%s/outcome", id);
    snprintf(body, sizeof(body), "{\"result\":\"%s\",\"follow_up\":%s}", result,
             follow_up ? "true" : "false");
    assert_int_equal(call_status("POST", path, otok[O_RECEPTION], body), 201);
}

/* n arrivals about eviction in month `back`, each introduced and helped; and n feedbacks. */
static void month_of(int back, int n)
{
    for (int i = 0; i < n; i++) {
        char id[40], at[40];
        time_in_month(back, 3 + i, 10, at, sizeof(at));
        post_arrival(id, at, "w-sian", "[\"eviction\"]", "[\"housing\"]", false, "Bethan", NULL);
        introduce(id);
        outcome_of(id, "helped", i == 0);
        feedback_in(back, 3 + i, "yes");
    }
}

void test_community_boundary(void **state)
{
    month_of(3, 4);
    month_of(2, 5);
    cJSON *j = community(3, 2, NULL);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(j, "months")), 2);
    assert_int_equal(cJSON_GetObjectItem(j, "min_count")->valueint, 5);
    /* four: withheld everywhere */
    assert_int_equal(fig(j, 0, "arrivals", NULL), -2);
    assert_int_equal(fig(j, 0, "by_domain", "housing"), -2);
    assert_int_equal(fig(j, 0, "by_topic", "eviction"), -2);
    assert_int_equal(fig(j, 0, "outcomes", "recorded"), -2);
    assert_int_equal(fig(j, 0, "outcomes", "helped"), -2);
    assert_int_equal(fig(j, 0, "outcome_share", "helped"), -2);
    assert_int_equal(fig(j, 0, "feedback", "answers"), -2);
    assert_int_equal(fig(j, 0, "feedback", "yes"), -2);
    /* five: shown */
    assert_int_equal(fig(j, 1, "arrivals", NULL), 5);
    assert_int_equal(fig(j, 1, "by_domain", "housing"), 5);
    assert_int_equal(fig(j, 1, "by_domain", "health"), -2);
    assert_int_equal(fig(j, 1, "by_topic", "eviction"), 5);
    assert_int_equal(fig(j, 1, "by_topic", "debt"), -2);
    assert_int_equal(fig(j, 1, "outcomes", "recorded"), 5);
    assert_int_equal(fig(j, 1, "outcomes", "helped"), 5);
    assert_int_equal(fig(j, 1, "outcomes", "follow_up"), -2); /* one */
    assert_int_equal(fig(j, 1, "outcome_share", "helped"), 100);
    assert_int_equal(fig(j, 1, "feedback", "answers"), 5);
    assert_int_equal(fig(j, 1, "feedback", "yes"), 5);
    assert_int_equal(fig(j, 1, "feedback_share", "yes"), 100);
    assert_int_equal(fig(j, 1, "left", NULL), -2);
    cJSON_Delete(j);
}

/* A group whose total is shown never has exactly one withheld count: with housing 6, health
 * 5, benefits 5 and none 2 of 18, "none" would be 18 - 16; health goes too. */
void test_community_secondary(void **state)
{
    static const struct {
        const char *needs, *domains;
        int n;
    } mix[] = {
        {"[\"repairs\"]", "[\"housing\"]", 6},
        {"[\"dentist\"]", "[\"health\"]", 5},
        {"[\"pension\"]", "[\"benefits\"]", 5},
        {"[]", "[]", 2},
    };
    static const char *const results[] = {"helped", "partly", "referred", "not_helped"};
    int per_result[] = {6, 5, 2, 2, 0};
    int day = 1, k = 0, r = 0;
    for (size_t m = 0; m < 4; m++)
        for (int i = 0; i < mix[m].n; i++) {
            char id[40], at[40];
            time_in_month(4, day++ % 28 + 1, 9, at, sizeof(at));
            post_arrival(id, at, m == 3 ? NULL : "w-amir", mix[m].needs, mix[m].domains, false,
                         NULL, NULL);
            if (k++ >= 15)
                continue;
            introduce(id);
            while (per_result[r] == 0)
                r++;
            outcome_of(id, results[r], false);
            per_result[r]--;
        }
    for (int i = 0; i < 14; i++)
        feedback_in(4, i + 1, i < 6 ? "yes" : i < 11 ? "partly" : "no");
    cJSON *j = community(4, 4, NULL);
    assert_int_equal(fig(j, 0, "arrivals", NULL), 18);
    assert_int_equal(fig(j, 0, "by_domain", "housing"), 6);
    assert_int_equal(fig(j, 0, "by_domain", "health"), -2);
    assert_int_equal(fig(j, 0, "by_domain", "benefits"), 5);
    assert_int_equal(fig(j, 0, "by_domain", "none"), -2);
    assert_int_equal(fig(j, 0, "outcomes", "recorded"), 15);
    assert_int_equal(fig(j, 0, "outcomes", "helped"), 6);
    assert_int_equal(fig(j, 0, "outcomes", "partly"), 5);
    assert_int_equal(fig(j, 0, "outcomes", "referred"), -2);
    assert_int_equal(fig(j, 0, "outcomes", "not_helped"), -2);
    assert_int_equal(fig(j, 0, "outcome_share", "helped"), 40);
    assert_int_equal(fig(j, 0, "outcome_share", "partly"), 33);
    assert_int_equal(fig(j, 0, "feedback", "answers"), 14);
    assert_int_equal(fig(j, 0, "feedback", "yes"), 6);
    assert_int_equal(fig(j, 0, "feedback", "partly"), -2);
    assert_int_equal(fig(j, 0, "feedback", "no"), -2);
    assert_int_equal(fig(j, 0, "feedback_share", "yes"), 43);
    assert_int_equal(fig(j, 0, "unmet", "not_understood"), -2); /* two, with no needs */
    cJSON_Delete(j);
}

/* Only whole months: the month under way is never shown, so no figure moves by the day. */
void test_community_whole_months(void **state)
{
    char id[40], at[40], ym_now[16], ym_last[16], path[120];
    struct resp r;
    time_in_month(0, 1, 0, at, sizeof(at));
    post_arrival(id, at, "w-sian", "[\"debt\"]", "[\"benefits\"]", false, NULL, NULL);
    month_ago(0, ym_now, sizeof(ym_now));
    month_ago(1, ym_last, sizeof(ym_last));
    snprintf(path, sizeof(path), "/community?from=%s&to=%s", ym_now, ym_now);
    assert_int_equal(call("GET", path, NULL, NULL, &r), 200);
    cJSON *j = resp_json(&r);
    resp_free(&r);
    assert_string_equal(cJSON_GetObjectItem(j, "to")->valuestring, ym_last);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(j, "months")), 1);
    cJSON_Delete(j);
    /* the default: the twelve whole months to the last one */
    assert_int_equal(call("GET", "/community", NULL, NULL, &r), 200);
    j = resp_json(&r);
    resp_free(&r);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(j, "months")), 12);
    assert_string_equal(cJSON_GetObjectItem(j, "to")->valuestring, ym_last);
    cJSON_Delete(j);
    /* dates are taken as their month */
    snprintf(path, sizeof(path), "/community?from=%s-17&to=%s-02", ym_last, ym_last);
    assert_int_equal(call("GET", path, NULL, NULL, &r), 200);
    assert_non_null(strstr(r.body, "\"months\":[{\"month\":\""));
    resp_free(&r);
    assert_int_equal(call_status("GET", "/community?from=2025-13", NULL, NULL), 400);
    assert_int_equal(call_status("GET", "/community?to=soon", NULL, NULL), 400);
    assert_int_equal(call_status("GET", "/community?from=2020-01&to=2024-01", NULL, NULL), 400);
    /* open data: the same as CSV, by ?format=csv or Accept */
    assert_int_equal(call("GET", "/community?format=csv", NULL, NULL, &r), 200);
    assert_true(strncmp(r.body, "month,figure,key,value\r\n", 24) == 0);
    resp_free(&r);
    assert_int_equal(
        http(&osrv, "GET", "/api/v1/community", NULL, NULL, NULL, 0, "Accept: text/csv", &r), 0);
    char ct[80];
    assert_non_null(resp_header(&r, "Content-Type", ct, sizeof(ct)));
    assert_non_null(strstr(ct, "text/csv"));
    resp_free(&r);
}

/* ---- the property test ---- */

#define P_MONTHS   4 /* months 6..9 back */
#define P_ARRIVALS 360
#define P_FEEDBACK 150

static const char *const P_NEEDS[] = {"eviction",  "rent_arrears",  "debt",
                                      "dentist",   "mental_health", "universal_credit",
                                      "repairs",   "energy_bills",  "homeless_tonight",
                                      "in_danger", "council_tax",   "loneliness"};
#define N_P_NEEDS (sizeof(P_NEEDS) / sizeof(P_NEEDS[0]))
static const char *const P_DOMAINS[] = {"housing", "health", "benefits"};
static const char *const P_WORKERS[] = {"w-sian", "w-amir", "w-rhian", NULL};
static const char *const P_RESULTS[] = {"helped", "partly", "referred", "not_helped"};
static const char *const P_ANSWERS[] = {"yes", "partly", "no"};
/* what must never appear in the public figures */
static const char *const P_SECRETS[] = {"Zq",   "wordmark", "w-sian", "w-amir", "w-rhian", "Sian",
                                        "Amir", "Rhian",    "Evans",  "Khan",   "Jones"};

struct pmonth {
    long arrivals, domain[4], topic[N_P_NEEDS + 1], left, recorded, result[4], answers, answer[3];
};

static bool urgent_need(const char *id)
{
    return strcmp(id, "homeless_tonight") == 0 || strcmp(id, "in_danger") == 0;
}

/* A random arrival in month m (index 0..P_MONTHS-1), counted into want[m]. */
static void random_arrival(int m, struct pmonth *want)
{
    char id[40], at[40], needs[200] = "[", domains[60] = "[", name[40], text[80];
    bool used[N_P_NEEDS] = {false}, dused[3] = {false};
    int n_needs = rand() % 3, n_dom = rand() % 3, primary = 3;
    bool urgent = rand() % 10 == 0, any_urgent = urgent;
    for (int i = 0; i < n_needs; i++) {
        size_t k = (size_t)rand() % N_P_NEEDS;
        if (used[k])
            continue;
        used[k] = true;
        any_urgent |= urgent_need(P_NEEDS[k]);
        snprintf(needs + strlen(needs), sizeof(needs) - strlen(needs), "%s\"%s\"",
                 strlen(needs) > 1 ? "," : "", P_NEEDS[k]);
    }
    for (int i = 0; i < n_dom; i++) {
        int k = rand() % 3;
        if (dused[k])
            continue;
        dused[k] = true;
        if (primary == 3)
            primary = k;
        snprintf(domains + strlen(domains), sizeof(domains) - strlen(domains), "%s\"%s\"",
                 strlen(domains) > 1 ? "," : "", P_DOMAINS[k]);
    }
    snprintf(needs + strlen(needs), sizeof(needs) - strlen(needs), "]");
    snprintf(domains + strlen(domains), sizeof(domains) - strlen(domains), "]");
    snprintf(name, sizeof(name), "Zq%08x", (unsigned)rand());
    snprintf(text, sizeof(text), "wordmark%08x at 10:15 on 2025-03-04", (unsigned)rand());
    /* days 1-27 in UTC: the hub's time (UTC or an hour ahead) is in the same month */
    time_in_month(6 + m, 1 + rand() % 27, rand() % 24, at, sizeof(at));
    const char *worker = P_WORKERS[rand() % 4];
    post_arrival(id, at, worker, needs, domains, urgent, name, text);
    struct pmonth *w = &want[m];
    w->arrivals++;
    w->domain[primary]++;
    if (any_urgent)
        w->topic[N_P_NEEDS]++;
    for (size_t k = 0; !urgent && k < N_P_NEEDS; k++)
        w->topic[k] += used[k] && !urgent_need(P_NEEDS[k]);
    int fate = rand() % 10;
    char path[120];
    if (fate == 0) {
        snprintf(path, sizeof(path), "/checkins/%s/left", id);
        assert_int_equal(call_status("POST", path, otok[O_RECEPTION], NULL), 200);
        w->left++;
    } else if (fate < 7) {
        introduce(id);
        if (fate < 6) {
            int res = rand() % 4;
            outcome_of(id, P_RESULTS[res], rand() % 2);
            w->recorded++;
            w->result[res]++;
        }
    }
}

static void check_value(const char *where, long shown, long want)
{
    if (shown == -1)
        fail_msg("%s: missing", where);
    if (shown == -2 && want >= 5 && !strstr(where, "by_domain") && !strstr(where, "outcomes.") &&
        !strstr(where, "feedback."))
        fail_msg("%s: %ld withheld", where, want);
    if (shown >= 0 && (shown != want || shown < 5))
        fail_msg("%s: shown %ld, true %ld", where, shown, want);
}

/* A group with a shown total never has exactly one withheld count; shown ones are exact. */
static void check_group(cJSON *j, int i, const char *group, const char *total_key, long total,
                        const char *const *keys, const long *want, int n)
{
    char where[80];
    int withheld = 0;
    long t = total_key ? fig(j, i, group, total_key) : fig(j, i, "arrivals", NULL);
    for (int k = 0; k < n; k++) {
        long v = fig(j, i, group, keys[k]);
        snprintf(where, sizeof(where), "month %d %s.%s", i, group, keys[k]);
        check_value(where, v, want[k]);
        withheld += v == -2;
    }
    if (t >= 0 && withheld == 1)
        fail_msg("month %d %s: one lone withheld count beside the total %ld", i, group, total);
}

static void check_text(const char *body, const char *what)
{
    regex_t re;
    /* a clock time, a date with a day, or an ISO time: nothing finer than a month */
    assert_int_equal(regcomp(&re, "[0-9]{2}:[0-9]{2}|[0-9]{4}-[0-9]{2}-[0-9]{2}|T[0-9]{2}",
                             REG_EXTENDED | REG_NOSUB),
                     0);
    if (regexec(&re, body, 0, NULL, 0) == 0)
        fail_msg("%s carries a time finer than a month", what);
    regfree(&re);
    for (size_t i = 0; i < sizeof(P_SECRETS) / sizeof(P_SECRETS[0]); i++)
        if (strstr(body, P_SECRETS[i]))
            fail_msg("%s carries \"%s\"", what, P_SECRETS[i]);
}

static void check_month(cJSON *j, int i, const struct pmonth *w)
{
    static const char *const doms[] = {"housing", "health", "benefits", "none"};
    char where[80];
    snprintf(where, sizeof(where), "month %d arrivals", i);
    check_value(where, fig(j, i, "arrivals", NULL), w->arrivals);
    snprintf(where, sizeof(where), "month %d left", i);
    check_value(where, fig(j, i, "left", NULL), w->left);
    check_group(j, i, "by_domain", NULL, w->arrivals, doms, w->domain, 4);
    check_group(j, i, "outcomes", "recorded", w->recorded, P_RESULTS, w->result, 4);
    check_group(j, i, "feedback", "answers", w->answers, P_ANSWERS, w->answer, 3);
    for (size_t k = 0; k < N_P_NEEDS; k++) {
        if (urgent_need(P_NEEDS[k])) { /* never on its own */
            assert_int_equal(fig(j, i, "by_topic", P_NEEDS[k]), -1);
            continue;
        }
        snprintf(where, sizeof(where), "month %d by_topic.%s", i, P_NEEDS[k]);
        check_value(where, fig(j, i, "by_topic", P_NEEDS[k]), w->topic[k]);
    }
    snprintf(where, sizeof(where), "month %d by_topic.urgent", i);
    check_value(where, fig(j, i, "by_topic", "urgent"), w->topic[N_P_NEEDS]);
    /* every number of a count group is withheld or at least 5 */
    cJSON *m = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "months"), i), *g;
    cJSON_ArrayForEach(g, m)
    {
        if (strstr(g->string, "share"))
            continue;
        cJSON *v;
        if (cJSON_IsNumber(g))
            assert_true(g->valuedouble >= 5);
        cJSON_ArrayForEach(v, g)
        {
            if (cJSON_IsNumber(v))
                assert_true(v->valuedouble >= 5);
        }
    }
}

void test_community_property(void **state)
{
    const char *env = getenv("COMMUNITY_SEED");
    unsigned seed = env ? (unsigned)strtoul(env, NULL, 10) : (unsigned)time(NULL);
    struct pmonth want[P_MONTHS];
    memset(want, 0, sizeof(want));
    srand(seed);
    print_message("community property test: COMMUNITY_SEED=%u\n", seed);
    for (int i = 0; i < P_ARRIVALS; i++)
        random_arrival(rand() % P_MONTHS, want);
    for (int i = 0; i < P_FEEDBACK; i++) {
        int m = rand() % P_MONTHS, a = rand() % 3;
        feedback_in(6 + m, 1 + rand() % 27, P_ANSWERS[a]);
        want[m].answers++;
        want[m].answer[a]++;
    }
    /* the figures, whole and in random sub-ranges (month index i is 6 + m months back) */
    for (int q = 0; q < 6; q++) {
        int from = 6 + P_MONTHS - 1, to = 6;
        if (q > 0) {
            from = 6 + rand() % P_MONTHS;
            to = 6 + rand() % (from - 5);
        }
        char *raw = NULL;
        cJSON *j = community(from, to, &raw);
        check_text(raw, "JSON");
        free(raw);
        assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(j, "months")), from - to + 1);
        for (int i = 0; i <= from - to; i++)
            check_month(j, i, &want[from - i - 6]);
        cJSON_Delete(j);
        char a[16], b[16], path[120];
        struct resp r;
        month_ago(from, a, sizeof(a));
        month_ago(to, b, sizeof(b));
        snprintf(path, sizeof(path), "/community?from=%s&to=%s&format=csv", a, b);
        assert_int_equal(call("GET", path, NULL, NULL, &r), 200);
        check_text(r.body, "CSV");
        resp_free(&r);
    }
}

void test_community_page(void **state)
{
    struct resp r;
    /* without --web there is no page, said in JSON */
    assert_int_equal(http(&osrv, "GET", "/community", NULL, NULL, NULL, 0, NULL, &r), 0);
    assert_int_equal(r.status, 404);
    assert_non_null(strstr(r.body, "--web"));
    resp_free(&r);
    assert_int_equal(server_stop(&osrv), 0);
    const char *args[] = {"--seed", fixture("hub.json"), "--web", "services/web", NULL};
    assert_int_equal(server_start(&osrv, args), 0);
    assert_int_equal(http(&osrv, "GET", "/community?lang=cy", NULL, NULL, NULL, 0, NULL, &r), 0);
    assert_int_equal(r.status, 200);
    char ct[80];
    assert_non_null(resp_header(&r, "Content-Type", ct, sizeof(ct)));
    assert_non_null(strstr(ct, "text/html"));
    resp_free(&r);
}
