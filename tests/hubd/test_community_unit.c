/* test_community_unit.c — the community figures and the report's outcome figures on their
 * own (pure, no server): the urgent needs agree with assets/needs.json, counts under 5 are
 * withheld, a lone withheld count beside a shown total takes another with it, the CSV leaves
 * withheld values empty, and the demand report counts outcomes, who left and feedback. */
#include "community.h"
#include "proto/taxonomy.h"
#include "reports.h"
#include "proto/valid.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Urgent needs are the taxonomy's: every need of assets/needs.json as loaded. */
static void test_urgent_needs_match_taxonomy(void **state)
{
    const struct taxonomy *t = needs_installed();
    int urgent = 0;
    assert_non_null(t);
    for (int i = 0; i < t->n; i++) {
        assert_int_equal(community_need_urgent(t->needs[i].id), t->needs[i].urgent);
        urgent += t->needs[i].urgent;
    }
    assert_true(urgent > 0);
    assert_false(community_need_urgent("not_a_need"));
}

static int load_needs(void **state)
{
    char err[256];
    struct taxonomy *t = needs_load("assets/needs.json", err, sizeof(err));
    if (!t)
        return -1;
    needs_install(t);
    *state = t;
    return 0;
}

static int free_needs(void **state)
{
    needs_install(NULL);
    needs_free(*state);
    return 0;
}

/* March 2025, mid-month, noon UTC (the tests run in UTC). */
#define MARCH_MS 1741953600000LL
#define MARCH    (2025 * 12 + 2)

static void add(struct community *c, int n, const char *needs, const char *domains,
                const char *worker, const char *result, const char *left_by)
{
    for (int i = 0; i < n; i++) {
        struct report_row row = {.arrived_ms = MARCH_MS + i * 60000,
                                 .introduced_ms = result ? MARCH_MS + i * 60000 + 1 : -1,
                                 .needs = needs,
                                 .domains = domains,
                                 .worker_id = worker,
                                 .result = result,
                                 .left_by = left_by,
                                 .status = left_by  ? "left"
                                           : result ? "introduced"
                                                    : "waiting"};
        assert_int_equal(community_add(&row, c), 0);
    }
}

static double num(cJSON *j, const char *group, const char *key)
{
    cJSON *m = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "months"), 0);
    cJSON *v = key ? cJSON_GetObjectItem(cJSON_GetObjectItem(m, group), key)
                   : cJSON_GetObjectItem(m, group);
    assert_non_null(v);
    return cJSON_IsNull(v) ? -2 : v->valuedouble;
}

static void test_boundary_and_secondary(void **state)
{
    struct community *c = community_new(MARCH, 1);
    assert_non_null(c);
    add(c, 6, "repairs", "housing", "w-a", "helped", NULL);
    add(c, 5, "dentist", "health", "w-b", "partly", NULL);
    add(c, 4, "pension", "benefits", "w-c", NULL, NULL);
    add(c, 1, "pension", "benefits", "w-c", NULL, "reception");
    add(c, 2, "suicidal_thoughts", "health", NULL, NULL, NULL);
    assert_int_equal(community_feedback_add(MARCH_MS, "en", "yes", c), 0);
    cJSON *j = community_json(c);
    assert_int_equal(num(j, "arrivals", NULL), 18);
    assert_int_equal(num(j, "by_domain", "housing"), 6);
    assert_int_equal(num(j, "by_domain", "health"), 7);
    /* none (0) is the lone withheld one, 18 - 6 - 7 - 5: benefits (5, the smallest shown)
     * is withheld with it */
    assert_int_equal(num(j, "by_domain", "none"), -2);
    assert_int_equal(num(j, "by_domain", "benefits"), -2);
    assert_int_equal(num(j, "by_topic", "pension"), 5);
    assert_int_equal(num(j, "by_topic", "dentist"), 5);
    assert_int_equal(num(j, "by_topic", "urgent"), -2); /* two, and never by their need */
    assert_null(cJSON_GetObjectItem(
        cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(j, "months"), 0), "by_topic"),
        "suicidal_thoughts"));
    assert_int_equal(num(j, "outcomes", "recorded"), 11);
    assert_int_equal(num(j, "outcomes", "helped"), 6);
    assert_int_equal(num(j, "outcomes", "partly"), 5);
    assert_int_equal(num(j, "outcomes", "referred"), -2);
    assert_int_equal(num(j, "outcome_share", "helped"), 55);
    assert_int_equal(num(j, "left", NULL), -2);
    assert_int_equal(num(j, "feedback", "answers"), -2);
    assert_int_equal(num(j, "unmet", "nobody_fitted"), -2); /* the two urgent, no worker */
    cJSON_Delete(j);
    char *csv = community_csv(c);
    assert_non_null(csv);
    assert_non_null(strstr(csv, "month,figure,key,value\r\n2025-03,arrivals,,18\r\n"));
    assert_non_null(strstr(csv, "2025-03,left,,\r\n"));
    free(csv);
    community_free(c);
}

/* With the total shown and exactly one count withheld, the smallest shown one goes too. */
static void test_lone_withheld(void **state)
{
    struct community *c = community_new(MARCH, 1);
    add(c, 6, "repairs", "housing", "w-a", NULL, NULL);
    add(c, 5, "dentist", "health", "w-b", NULL, NULL);
    add(c, 7, "pension", "benefits", "w-c", NULL, NULL);
    add(c, 3, "", "", NULL, NULL, NULL);
    cJSON *j = community_json(c);
    assert_int_equal(num(j, "arrivals", NULL), 21);
    assert_int_equal(num(j, "by_domain", "none"), -2);
    assert_int_equal(num(j, "by_domain", "health"), -2); /* 5, the smallest shown */
    assert_int_equal(num(j, "by_domain", "housing"), 6);
    assert_int_equal(num(j, "by_domain", "benefits"), 7);
    assert_int_equal(num(j, "unmet", "not_understood"), -2);
    cJSON_Delete(j);
    /* at exactly 4 and 5 */
    struct community *d = community_new(MARCH, 2);
    add(d, 4, "repairs", "housing", "w-a", NULL, NULL);
    j = community_json(d);
    assert_int_equal(num(j, "arrivals", NULL), -2);
    cJSON_Delete(j);
    add(d, 1, "repairs", "housing", "w-a", NULL, NULL);
    j = community_json(d);
    assert_int_equal(num(j, "arrivals", NULL), 5);
    assert_int_equal(num(j, "by_domain", "housing"), 5);
    assert_int_equal(num(j, "by_topic", "repairs"), 5);
    assert_string_equal(cJSON_GetObjectItem(j, "to")->valuestring, "2025-04");
    cJSON_Delete(j);
    community_free(c);
    community_free(d);
    assert_null(community_new(MARCH, 0));
    assert_null(community_new(MARCH, COMMUNITY_MONTHS_MAX + 1));
}

static void test_report_outcomes_pure(void **state)
{
    struct report *r = report_new(days_from_civil(2025, 3, 14), 1);
    struct report_row rows[] = {
        {.arrived_ms = MARCH_MS,
         .introduced_ms = MARCH_MS + 60000,
         .needs = "debt",
         .domains = "benefits",
         .worker_id = "w-a",
         .status = "introduced",
         .result = "helped",
         .follow_up = true},
        {.arrived_ms = MARCH_MS,
         .introduced_ms = MARCH_MS + 60000,
         .needs = "debt",
         .domains = "benefits",
         .worker_id = "w-a",
         .status = "introduced"},
        {.arrived_ms = MARCH_MS,
         .introduced_ms = -1,
         .needs = "debt",
         .domains = "benefits",
         .worker_id = "w-a",
         .status = "left",
         .left_by = "day_end"},
        {.arrived_ms = MARCH_MS,
         .introduced_ms = -1,
         .needs = "debt",
         .domains = "benefits",
         .worker_id = "w-a",
         .status = "waiting"},
    };
    for (size_t i = 0; i < 4; i++)
        assert_int_equal(report_add(&rows[i], r), 0);
    assert_int_equal(report_feedback_add(MARCH_MS, "cy", "no", r), 0);
    assert_int_equal(report_feedback_add(MARCH_MS, "cy", "unknown", r), 0);
    cJSON *j = report_json(r, DIM_ALL);
    cJSON *o = cJSON_GetObjectItem(j, "outcomes");
    assert_int_equal(cJSON_GetObjectItem(o, "waiting")->valueint, 1);
    assert_int_equal(cJSON_GetObjectItem(o, "left")->valueint, 1);
    cJSON *res = cJSON_GetObjectItem(j, "results");
    assert_int_equal(cJSON_GetObjectItem(res, "helped")->valueint, 1);
    assert_int_equal(cJSON_GetObjectItem(res, "unrecorded")->valueint, 1);
    assert_int_equal(cJSON_GetObjectItem(res, "follow_up")->valueint, 1);
    assert_int_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "left"), "day_end")->valueint, 1);
    assert_int_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "feedback"), "no")->valueint, 1);
    cJSON *need = cJSON_GetObjectItem(cJSON_GetObjectItem(j, "outcome_by_need"), "debt");
    assert_int_equal(cJSON_GetObjectItem(need, "left")->valueint, 1);
    cJSON *day = cJSON_GetObjectItem(cJSON_GetObjectItem(j, "by_day_feedback"), "2025-03-14");
    assert_int_equal(cJSON_GetObjectItem(day, "no")->valueint, 1);
    cJSON_Delete(j);
    char *csv = report_csv(r, DIM_DAY);
    assert_non_null(strstr(csv, "day_outcome,2025-03-14/helped,1\r\n"));
    assert_non_null(strstr(csv, "left,day_end,1\r\n"));
    free(csv);
    report_free(r);
}

int main(void)
{
    setenv("TZ", "UTC", 1);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_urgent_needs_match_taxonomy),
        cmocka_unit_test(test_boundary_and_secondary),
        cmocka_unit_test(test_lone_withheld),
        cmocka_unit_test(test_report_outcomes_pure),
    };
    return cmocka_run_group_tests_name("community figures", tests, load_needs, free_needs);
}
