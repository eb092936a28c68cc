/* test_matcher.c — every rule of choosing one named worker, and the directory loader. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "directory.h"
#include "matcher.h"
#include "proto/taxonomy.h"

static struct taxonomy *tax;

static int setup(void **state)
{
    (void)state;
    char err[256];
    tax = needs_load("assets/needs.json", err, sizeof(err));
    return tax ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    needs_free(tax);
    return 0;
}

#define W(id, doms, needs, langs, duty, status)                                                    \
    "{\"id\":\"" id "\",\"name\":\"" id " Name\",\"role\":\"r\",\"domains\":" doms                 \
    ",\"needs\":" needs ",\"languages\":" langs ",\"desk\":\"D\",\"duty\":" duty                   \
    ",\"status\":\"" status "\"}"

static struct hub_dir *parse(const char *workers)
{
    char json[8192], err[256];
    snprintf(json, sizeof(json), "{\"hub\":{\"id\":\"h\",\"name\":\"Hub\"},\"workers\":[%s]}",
             workers);
    struct hub_dir *d = dir_parse(json, strlen(json), err, sizeof(err));
    if (!d)
        print_error("dir_parse: %s\n", err);
    assert_non_null(d);
    return d;
}

static const char *pick(const struct hub_dir *d, const char *const *need_ids, int n, bool urgent,
                        const char *lang, const char *chosen, const int *load,
                        struct match_result *mr)
{
    int needs[8];
    for (int i = 0; i < n; i++) {
        needs[i] = needs_find(tax, need_ids[i]);
        assert_true(needs[i] >= 0);
    }
    struct match_request req = {.tax = tax,
                                .needs = needs,
                                .n_needs = n,
                                .urgent = urgent,
                                .lang = lang,
                                .chosen_worker_id = chosen,
                                .load = load};
    assert_int_equal(match_worker(d, &req, mr), 0);
    assert_true(strlen(mr->why) > 10);
    return mr->worker >= 0 ? d->workers[mr->worker].id : "reception";
}

static void test_one_person_covering_all_beats_specialists(void **state)
{
    (void)state;
    struct hub_dir *d =
        parse(W("housing", "[\"housing\"]", "[\"rent_arrears\"]", "[\"en\"]", "false",
                "available") "," W("money", "[\"benefits\"]", "[\"universal_credit\"]", "[\"en\"]",
                                   "false", "available") "," W("both", "[\"housing\",\"benefits\"]",
                                                               "[]", "[\"en\"]", "false", "busy"));
    struct match_result mr;
    const char *needs[] = {"eviction", "universal_credit"};
    assert_string_equal(pick(d, needs, 2, false, "en", NULL, NULL, &mr), "both");
    assert_int_equal(mr.reason, MATCH_COVERS_ALL);
    assert_non_null(strstr(mr.why, "housing and money"));
    dir_free(d);
}

static void test_language_then_status(void **state)
{
    (void)state;
    struct hub_dir *d = parse(W("a", "[\"housing\"]", "[]", "[\"en\"]", "false", "available") "," W(
        "b", "[\"housing\"]", "[]", "[\"en\",\"cy\"]", "false",
        "busy") "," W("c", "[\"housing\"]", "[]", "[\"en\",\"cy\"]", "false",
                      "away") "," W("d", "[\"housing\"]", "[]", "[\"en\",\"cy\"]", "false",
                                    "available"));
    struct match_result mr;
    const char *needs[] = {"repairs"};
    /* Welsh speakers first, then available over busy over away */
    assert_string_equal(pick(d, needs, 1, false, "cy", NULL, NULL, &mr), "d");
    assert_true(mr.speaks_lang);
    assert_non_null(strstr(mr.why, "Welsh"));
    d->workers[3].status = WS_OFF; /* never someone who is off */
    assert_string_equal(pick(d, needs, 1, false, "cy", NULL, NULL, &mr), "b");
    d->workers[1].status = WS_AWAY;
    /* b and c are both away: directory order decides, deterministically */
    assert_string_equal(pick(d, needs, 1, false, "cy", NULL, NULL, &mr), "b");
    /* English speaker: the available one */
    assert_string_equal(pick(d, needs, 1, false, "en", NULL, NULL, &mr), "a");
    dir_free(d);
}

static void test_listed_need_breaks_ties(void **state)
{
    (void)state;
    struct hub_dir *d =
        parse(W("generalist", "[\"benefits\"]", "[]", "[\"en\"]", "false", "available") "," W(
            "specialist", "[\"benefits\"]", "[\"council_tax\"]", "[\"en\"]", "false", "available"));
    struct match_result mr;
    const char *needs[] = {"council_tax"};
    assert_string_equal(pick(d, needs, 1, false, "en", NULL, NULL, &mr), "specialist");
    dir_free(d);
}

static void test_load_spreads(void **state)
{
    (void)state;
    struct hub_dir *d = parse(W("a", "[\"health\"]", "[]", "[\"en\"]", "false", "available") "," W(
        "b", "[\"health\"]", "[]", "[\"en\"]", "false", "available"));
    struct match_result mr;
    const char *needs[] = {"doctor_gp"};
    int load[2] = {0, 0};
    assert_string_equal(pick(d, needs, 1, false, "en", NULL, load, &mr), "a");
    load[0] = 2;
    assert_string_equal(pick(d, needs, 1, false, "en", NULL, load, &mr), "b");
    dir_free(d);
    /* with no counts of its own, the matcher takes hubd's live `waiting` from the directory */
    d = parse("{\"id\":\"a\",\"name\":\"A\",\"domains\":[\"health\"],\"needs\":[],"
              "\"languages\":[\"en\"],\"status\":\"available\",\"waiting\":4},"
              "{\"id\":\"b\",\"name\":\"B\",\"domains\":[\"health\"],\"needs\":[],"
              "\"languages\":[\"en\"],\"status\":\"available\",\"waiting\":1}");
    assert_int_equal(d->workers[0].waiting, 4);
    assert_string_equal(pick(d, needs, 1, false, "en", NULL, NULL, &mr), "b");
    dir_free(d);
    /* a seed has none: unknown, and nobody is ahead of anyone */
    d = parse(W("a", "[\"health\"]", "[]", "[\"en\"]", "false", "available"));
    assert_int_equal(d->workers[0].waiting, -1);
    dir_free(d);
}

static void test_urgent_goes_to_duty(void **state)
{
    (void)state;
    struct hub_dir *d =
        parse(W("expert", "[\"housing\"]", "[\"homeless_tonight\"]", "[\"en\"]", "false",
                "available") "," W("duty", "[\"health\"]", "[]", "[\"en\"]", "true", "busy"));
    struct match_result mr;
    const char *needs[] = {"homeless_tonight"};
    assert_string_equal(pick(d, needs, 1, true, "en", "expert", NULL, &mr), "duty");
    assert_int_equal(mr.reason, MATCH_URGENT_DUTY);
    d->workers[1].status = WS_OFF;
    assert_string_equal(pick(d, needs, 1, true, "en", NULL, NULL, &mr), "reception");
    assert_int_equal(mr.reason, MATCH_URGENT_RECEPTION);
    assert_non_null(strstr(mr.why, "reception"));
    dir_free(d);
}

static void test_chosen_worker_honoured_when_in(void **state)
{
    (void)state;
    struct hub_dir *d =
        parse(W("fit", "[\"housing\"]", "[]", "[\"en\"]", "false",
                "available") "," W("known", "[\"health\"]", "[]", "[\"en\"]", "false", "busy"));
    struct match_result mr;
    const char *needs[] = {"repairs"};
    assert_string_equal(pick(d, needs, 1, false, "en", "known", NULL, &mr), "known");
    assert_int_equal(mr.reason, MATCH_CHOSEN);
    d->workers[1].status = WS_OFF;
    assert_string_equal(pick(d, needs, 1, false, "en", "known", NULL, &mr), "fit");
    assert_string_equal(pick(d, needs, 1, false, "en", "nobody-by-that-id", NULL, &mr), "fit");
    /* chosen with no needs at all (the "I know someone" tile) */
    assert_string_equal(pick(d, NULL, 0, false, "en", "fit", NULL, &mr), "fit");
    dir_free(d);
}

static void test_reception_cases(void **state)
{
    (void)state;
    struct hub_dir *d = parse(W("h", "[\"housing\"]", "[]", "[\"en\"]", "false", "available"));
    struct match_result mr;
    assert_string_equal(pick(d, NULL, 0, false, "en", NULL, NULL, &mr), "reception");
    assert_int_equal(mr.reason, MATCH_RECEPTION_UNSURE);
    const char *needs[] = {"dentist"};
    assert_string_equal(pick(d, needs, 1, false, "en", NULL, NULL, &mr), "reception");
    assert_int_equal(mr.reason, MATCH_RECEPTION_NOBODY);
    assert_non_null(strstr(mr.why, "health"));
    const char *two[] = {"repairs", "dentist"};
    assert_string_equal(pick(d, two, 2, false, "en", NULL, NULL, &mr), "h");
    assert_int_equal(mr.reason, MATCH_COVERS_SOME);
    assert_non_null(strstr(mr.why, "colleague for health"));
    dir_free(d);
}

static void test_directory_errors_name_the_field(void **state)
{
    (void)state;
    char err[256];
    const char *bad[][2] = {
        {"[]", "not a JSON object"},
        {"{\"workers\":[]}", "directory.hub"},
        {"{\"hub\":{\"id\":\"h\",\"name\":\"H\"}}", "workers"},
        {"{\"hub\":{\"name\":\"H\"},\"workers\":[]}", "hub.id"},
        {"{\"hub\":{\"id\":\"h\",\"name\":\"H\"},\"workers\":[{\"id\":\"a\",\"name\":\"A\","
         "\"domains\":[\"housing\"]}]}",
         "workers[0].languages"},
        {"{\"hub\":{\"id\":\"h\",\"name\":\"H\"},\"workers\":[{\"id\":\"a\",\"name\":\"A\","
         "\"domains\":[\"gardening\"],\"languages\":[\"en\"],\"status\":\"off\"}]}",
         "workers[0].domains"},
        {"{\"hub\":{\"id\":\"h\",\"name\":\"H\"},\"workers\":[{\"id\":\"a\",\"name\":\"A\","
         "\"domains\":[],\"languages\":[\"en\"],\"status\":\"sleeping\"}]}",
         "workers[0].status"},
        {"{\"hub\":{\"id\":\"h\",\"name\":\"H\"},\"workers\":[{\"id\":\"a\",\"name\":7,"
         "\"domains\":[],\"languages\":[],\"status\":\"off\"}]}",
         "workers[0].name"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        err[0] = '\0';
        assert_null(dir_parse(bad[i][0], strlen(bad[i][0]), err, sizeof(err)));
        if (!strstr(err, bad[i][1]))
            fail_msg("case %zu: error '%s' does not name '%s'", i, err, bad[i][1]);
    }
    /* unknown fields are ignored */
    const char *ok = "{\"hub\":{\"id\":\"h\",\"name\":\"H\",\"x\":1},\"extra\":[1],\"workers\":[{"
                     "\"id\":\"a\",\"name\":\"A\",\"domains\":[\"health\"],\"languages\":[\"cy\"],"
                     "\"status\":\"busy\",\"photo\":null}]}";
    struct hub_dir *d = dir_parse(ok, strlen(ok), err, sizeof(err));
    assert_non_null(d);
    assert_int_equal(d->n_workers, 1);
    assert_true(worker_speaks(&d->workers[0], "cy"));
    assert_int_equal(d->workers[0].status, WS_BUSY);
    dir_free(d);
    /* status may be left out (a seed): the worker is available; waiting and desk_cy are read */
    const char *seed = "{\"hub\":{\"id\":\"h\",\"name\":\"H\"},\"workers\":[{\"id\":\"a\","
                       "\"name\":\"A\",\"domains\":[\"housing\"],\"languages\":[\"en\"],"
                       "\"desk\":\"Room 2\",\"desk_cy\":\"Ystafell 2\",\"waiting\":3}]}";
    d = dir_parse(seed, strlen(seed), err, sizeof(err));
    assert_non_null(d);
    assert_int_equal(d->workers[0].status, WS_AVAILABLE);
    assert_string_equal(d->workers[0].desk_cy, "Ystafell 2");
    assert_int_equal(d->workers[0].waiting, 3);
    dir_free(d);
    assert_null(dir_load_file("no/such/file.json", err, sizeof(err)));
}

static void test_demo_hub_loads(void **state)
{
    (void)state;
    char err[256];
    struct hub_dir *d = dir_load_file("assets/demo-hub.json", err, sizeof(err));
    assert_non_null(d);
    assert_true(d->n_workers >= 8);
    int duty = 0, welsh = 0;
    for (int i = 0; i < d->n_workers; i++) {
        duty += d->workers[i].duty;
        welsh += worker_speaks(&d->workers[i], "cy");
        for (int k = 0; k < d->workers[i].n_needs; k++)
            assert_true(needs_find(tax, d->workers[i].needs[k]) >= 0);
    }
    assert_int_equal(duty, 1);
    assert_true(welsh >= 3);
    dir_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_person_covering_all_beats_specialists),
        cmocka_unit_test(test_language_then_status),
        cmocka_unit_test(test_listed_need_breaks_ties),
        cmocka_unit_test(test_load_spreads),
        cmocka_unit_test(test_urgent_goes_to_duty),
        cmocka_unit_test(test_chosen_worker_honoured_when_in),
        cmocka_unit_test(test_reception_cases),
        cmocka_unit_test(test_directory_errors_name_the_field),
        cmocka_unit_test(test_demo_hub_loads),
    };
    return cmocka_run_group_tests_name("matcher", tests, setup, teardown);
}
