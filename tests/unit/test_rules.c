/* test_rules.c — the router's rules on the real vocabulary: urgency by circumstance (a
 * necessity gone now + someone vulnerable), time that moves a need away from now, the
 * negation guard on danger, the learned model beside the vocabulary (hub errands, urgency in
 * words the vocabulary lacks), workers asked for by name, languages and interpreters, and the
 * model file's loader. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "asks.h"
#include "directory.h"
#include "feat.h"
#include "model.h"
#include "router.h"

static struct router *lex;   /* the vocabulary alone */
static struct router *full;  /* the vocabulary and the learned model */
static struct hub_dir *demo; /* the demo hub */

static int setup(void **state)
{
    (void)state;
    char err[256];
    lex = router_new_opts("assets", "locales", false, err, sizeof(err));
    full = router_new("assets", "locales", err, sizeof(err));
    demo = dir_load_file("assets/demo-hub.json", err, sizeof(err));
    if (!lex || !full || !demo)
        print_error("setup: %s\n", err);
    return lex && full && demo && router_has_model(full) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    router_free(lex);
    router_free(full);
    dir_free(demo);
    return 0;
}

static struct route_result route(struct router *r, const char *s)
{
    struct route_result rr;
    assert_int_equal(route_text(r, s, strlen(s), "en", &rr), 0);
    return rr;
}

static bool has_need(struct router *r, const struct route_result *rr, const char *id)
{
    const struct taxonomy *t = router_taxonomy(r);
    for (int i = 0; i < rr->n_needs; i++)
        if (strcmp(t->needs[rr->needs[i].need].id, id) == 0)
            return true;
    return false;
}

static void test_necessity_gone_and_vulnerable(void **state)
{
    (void)state;
    const char *urgent[] = {
        "the electric has gone off and my baby is freezing",
        "ran out of insulin and my son is diabetic",
        "no heating at all and mum is 89 with dementia",
        "meter on zero and im 30 weeks pregnant",
        "dim trydan yn y ty a mae'r babi'n oer",
        "ma'r nwy wedi mynd a ma mam-gu ar ocsigen",
    };
    for (size_t i = 0; i < sizeof(urgent) / sizeof(urgent[0]); i++) {
        struct route_result rr = route(lex, urgent[i]);
        if (!rr.urgent || !has_need(lex, &rr, "person_at_risk"))
            fail_msg("not urgent by circumstance: %s", urgent[i]);
    }
    /* Either half alone is not a crisis now. */
    const char *calm[] = {
        "the electric bill is huge",      /* no necessity gone */
        "my baby needs a health visitor", /* no necessity gone */
        "the heating was off last week but its fixed now and the baby is fine", /* moved away */
        "what happens if the power goes off next week, my son has a nebuliser",
    };
    for (size_t i = 0; i < sizeof(calm) / sizeof(calm[0]); i++) {
        struct route_result rr = route(lex, calm[i]);
        if (has_need(lex, &rr, "person_at_risk"))
            fail_msg("person at risk where nobody is now: %s", calm[i]);
    }
}

static void test_time_moves_urgent_to_calm(void **state)
{
    (void)state;
    struct route_result rr = route(lex, "im not homeless yet but will be in 2 months");
    assert_false(rr.urgent);
    assert_false(has_need(lex, &rr, "homeless_tonight"));
    rr = route(lex, "i was homeless last year and now need help with the council list");
    assert_false(rr.urgent);
    /* Pinned to now, time away from now elsewhere does not calm it. */
    rr = route(lex, "i was in a hostel last year and tonight i have nowhere to sleep");
    assert_true(rr.urgent);
    assert_true(has_need(lex, &rr, "homeless_tonight"));
}

static void test_danger_never_calmed(void **state)
{
    (void)state;
    const char *danger[] = {
        "im not safe at home",
        "not safe, its not about money",
        "he hit me last year and he is outside now",
        "i tried to kill myself last year and i want to do it again",
    };
    for (size_t i = 0; i < sizeof(danger) / sizeof(danger[0]); i++) {
        struct route_result rr = route(lex, danger[i]);
        if (!rr.urgent)
            fail_msg("danger calmed: %s", danger[i]);
        rr = route(full, danger[i]);
        if (!rr.urgent)
            fail_msg("danger calmed with the model: %s", danger[i]);
    }
}

static void test_model_only_adds_urgency(void **state)
{
    (void)state;
    /* Whatever the vocabulary calls urgent stays urgent with the model: OR, never veto. */
    const char *lines[] = {"nowhere to sleep tonight", "my partner hits me", "no food today",
                           "my dad has collapsed", "dw i ddim yn saff adre"};
    for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
        struct route_result a = route(lex, lines[i]), b = route(full, lines[i]);
        if (a.urgent && !b.urgent)
            fail_msg("the model took urgency away: %s", lines[i]);
    }
}

static void test_errands_go_to_reception(void **state)
{
    (void)state;
    const char *errands[] = {
        "where do i print my cv for the job interview upstairs",
        "dropping off tins for the food bank donation box",
        "is the warm space open today",
        "i booked the community room for 2 oclock",
    };
    for (size_t i = 0; i < sizeof(errands) / sizeof(errands[0]); i++) {
        struct route_result rr = route(full, errands[i]);
        if (rr.n_needs != 0 || rr.urgent)
            fail_msg("an errand routed to a need: %s", errands[i]);
    }
    /* A real need beside an errand keeps its need. */
    struct route_result rr =
        route(full, "here for the job club but also my universal credit stopped");
    assert_true(rr.n_needs > 0);
}

/* A Welsh word the Welsh vocabulary lacks reaches its need through the dictionary bridge. */
static void test_welsh_bridge(void **state)
{
    (void)state;
    struct route_result rr;
    const char *t = "arunigo ofnadwy ers i mam farw";
    route_text(lex, t, strlen(t), "cy", &rr);
    assert_true(has_need(lex, &rr, "loneliness")); /* arunigo -> isolation */
}

static int worker_asked(const char *text)
{
    struct route_asks a;
    assert_int_equal(route_asks(full, demo, text, strlen(text), &a), 0);
    return a.worker;
}

static void test_asked_for_by_name(void **state)
{
    (void)state;
    int sian = dir_find(demo, "w-sian"), gareth = dir_find(demo, "w-gareth");
    assert_int_equal(worker_asked("here to see Sian"), sian);
    assert_int_equal(worker_asked("dw i isio gweld Sian"), sian);
    assert_int_equal(worker_asked("appointment with garath at 2"), gareth); /* a slip */
    assert_int_equal(worker_asked("Sian Evans please"), sian);
    /* Real words near a name are not the name; a surname alone is not a worker. */
    assert_int_equal(worker_asked("i need a scan for my back"), -1);
    assert_int_equal(worker_asked("sai'n gwbod beth i neud am y rhent"), -1);
    assert_int_equal(worker_asked("mrs jones next door has not opened her curtains"), -1);
}

static void test_language_and_interpreter(void **state)
{
    (void)state;
    struct route_asks a;
    route_asks(full, demo, "I speak Polish", 14, &a);
    assert_string_equal(a.lang, "pl");
    char who[256];
    assert_int_equal(asks_speakers(demo, "pl", who, sizeof(who)), 1);
    assert_string_equal(who, "Tomasz Nowak");
    const char *t = "I need an interpreter please";
    route_asks(full, demo, t, strlen(t), &a);
    assert_true(a.interpreter);
    t = "my welsh water bill is too high";
    route_asks(full, demo, t, strlen(t), &a);
    assert_string_equal(a.lang, ""); /* Welsh Water is a bill, not a language asked for */
    t = "dim saesneg, arabic";
    route_asks(full, demo, t, strlen(t), &a);
    assert_true(a.interpreter);
    assert_string_equal(a.lang, "ar");
}

/* The model file: a round trip keeps what it predicts; every malformed image is refused. */
static void test_model_file(void **state)
{
    (void)state;
    const char *outs[] = {"urgent", "none"};
    const char *pnames[] = {"t_urgent"};
    float params[] = {0.4f}, bias[] = {-1.0f, 0.5f};
    uint32_t ids[] = {10, 20, 30};
    float w[] = {2.0f, -1.0f, 0.5f, 0.25f, -3.0f, 1.0f};
    struct model_spec spec = {2, 3, 1, outs, pnames, params, bias, ids, w};
    size_t len;
    unsigned char *img = model_encode(&spec, &len);
    assert_non_null(img);
    char err[128];
    struct model *m = model_parse(img, len, err, sizeof(err));
    assert_non_null(m);
    assert_int_equal(model_output(m, "none"), 1);
    assert_true(model_param(m, "t_urgent", 0) > 0.39f && model_param(m, "t_urgent", 0) < 0.41f);
    struct feat f[] = {{10, 1.0f}, {30, 1.0f}, {99, 1.0f}};
    float p[2];
    model_predict(m, f, 3, p);
    /* urgent: -1 + 2 - 3 = -2; none: 0.5 - 1 + 1 = 0.5 */
    assert_true(p[0] > 0.11f && p[0] < 0.13f);
    assert_true(p[1] > 0.61f && p[1] < 0.63f);
    model_free(m);
    for (size_t cut = 0; cut < len; cut++) /* every truncation */
        assert_null(model_parse(img, cut, err, sizeof(err)));
    img[0] ^= 1;
    assert_null(model_parse(img, len, err, sizeof(err)));
    assert_non_null(strstr(err, "magic"));
    free(img);
    uint32_t unsorted[] = {20, 10, 30};
    spec.ids = unsorted;
    assert_null(model_encode(&spec, &len));
}

static void test_features_stable(void **state)
{
    (void)state;
    struct feat a[FEAT_MAX], b[FEAT_MAX];
    int na = feat_extract_text("Dw i'n RHEDEG mas o fwyd", 24, a, FEAT_MAX);
    int nb = feat_extract_text("dw i'n rhedeg mas o fwyd", 24, b, FEAT_MAX);
    assert_true(na > 10);
    assert_int_equal(na, nb); /* case never changes what the model sees */
    for (int i = 0; i < na; i++) {
        assert_int_equal(a[i].id, b[i].id);
        for (int j = 0; j < i; j++)
            assert_true(a[j].id != a[i].id); /* each feature once */
    }
    assert_int_equal(feat_extract_text("", 0, a, FEAT_MAX), 0);
    assert_int_equal(feat_split_of("x", 1), feat_split_of("x", 1));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_necessity_gone_and_vulnerable),
        cmocka_unit_test(test_time_moves_urgent_to_calm),
        cmocka_unit_test(test_danger_never_calmed),
        cmocka_unit_test(test_model_only_adds_urgency),
        cmocka_unit_test(test_errands_go_to_reception),
        cmocka_unit_test(test_welsh_bridge),
        cmocka_unit_test(test_asked_for_by_name),
        cmocka_unit_test(test_language_and_interpreter),
        cmocka_unit_test(test_model_file),
        cmocka_unit_test(test_features_stable),
    };
    return cmocka_run_group_tests_name("router rules", tests, setup, teardown);
}
