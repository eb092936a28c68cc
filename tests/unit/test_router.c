/* test_router.c — the router on a small fixture vocabulary: phrases, negation, several needs,
 * Welsh mutations, spelling slips, language detection, urgency, doubt, and bad bytes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "router.h"

static struct router *r;

static int setup(void **state)
{
    (void)state;
    char err[256];
    /* The fixture vocabulary alone: the learned model was trained on the real one. */
    r = router_new_opts("assets", "tests/unit/fixtures/locales", false, err, sizeof(err));
    if (!r)
        print_error("router_new: %s\n", err);
    return r ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    router_free(r);
    return 0;
}

static struct route_result route(const char *s, const char *ui)
{
    struct route_result rr;
    assert_int_equal(route_text(r, s, strlen(s), ui, &rr), 0);
    return rr;
}

static bool has_need(const struct route_result *rr, const char *id)
{
    const struct taxonomy *t = router_taxonomy(r);
    for (int i = 0; i < rr->n_needs; i++)
        if (strcmp(t->needs[rr->needs[i].need].id, id) == 0)
            return true;
    return false;
}

static const char *top(const struct route_result *rr)
{
    return rr->n_needs ? router_taxonomy(r)->needs[rr->needs[0].need].id : "";
}

static void test_phrase_with_gaps(void **state)
{
    (void)state;
    struct route_result rr = route("im behind on my rent", "en");
    assert_string_equal(top(&rr), "rent_arrears");
    assert_int_equal(rr.domains[0], DOMAIN_HOUSING);
    assert_int_equal(rr.n_domains, 2); /* rent arrears spans housing and money */
    /* three words between is too far apart to be the phrase */
    rr = route("behind the big old red rent", "en");
    assert_false(has_need(&rr, "rent_arrears"));
    /* a phrase never spans a full stop */
    rr = route("wants me. out", "en");
    assert_false(has_need(&rr, "eviction"));
}

static void test_stemming(void **state)
{
    (void)state;
    struct route_result rr = route("we got evicted", "en");
    assert_string_equal(top(&rr), "eviction");
    rr = route("they are evicting us", "en");
    assert_string_equal(top(&rr), "eviction");
}

static void test_weak_words_need_support(void **state)
{
    (void)state;
    struct route_result rr = route("the bills", "en");
    assert_int_equal(rr.n_needs, 0); /* one weak cue alone is not enough */
    assert_true(rr.unsure);
    rr = route("skint and the bills", "en");
    assert_string_equal(top(&rr), "money_general");
    /* a weak phrase alone is still weak; "bills" and "bill" are one typed word, counted once */
    rr = route("the cost of living", "en");
    assert_int_equal(rr.n_needs, 0);
    rr = route("bills", "en");
    assert_int_equal(rr.n_needs, 0);
}

static void test_negation(void **state)
{
    (void)state;
    struct route_result rr = route("its not about my benefits, its the mould", "en");
    assert_true(has_need(&rr, "damp_mould"));
    assert_false(has_need(&rr, "money_general"));
    assert_int_equal(rr.domains[0], DOMAIN_HOUSING);
    /* the scope ends at "but" */
    rr = route("nothing to do with money but the landlord", "en");
    assert_false(has_need(&rr, "money_general"));
    assert_true(has_need(&rr, "landlord_problems"));
    /* a negation word inside a term is the term, not a negation */
    /* a scope break of two words */
    rr = route("nothing to do with money as for mould", "en");
    assert_false(has_need(&rr, "money_general"));
    assert_true(has_need(&rr, "damp_mould"));
    /* a cue that names a need negates it ("not being evicted") */
    rr = route("im not being evicted, i need a doctor", "en");
    assert_false(has_need(&rr, "eviction"));
    assert_true(has_need(&rr, "doctor_gp"));
    /* a negation never hides an urgent need */
    rr = route("its not about money sleeping in my car", "en");
    assert_false(has_need(&rr, "money_general"));
    assert_true(rr.urgent);
    rr = route("we have no food", "en");
    assert_true(has_need(&rr, "no_food_today"));
    assert_true(rr.urgent);
}

static void test_several_needs(void **state)
{
    (void)state;
    struct route_result rr = route("landlord wants me out and my uc stopped and i need a gp", "en");
    assert_true(has_need(&rr, "eviction"));
    assert_true(has_need(&rr, "universal_credit"));
    assert_true(has_need(&rr, "doctor_gp"));
    assert_int_equal(rr.n_domains, 3);
    assert_int_equal(rr.domains[0], DOMAIN_HOUSING);
}

static void test_general_need_yields_to_specific(void **state)
{
    (void)state;
    struct route_result rr = route("housing", "en");
    assert_string_equal(top(&rr), "housing_general");
    rr = route("housing and the landlord", "en");
    assert_true(has_need(&rr, "landlord_problems"));
    assert_false(has_need(&rr, "housing_general"));
}

static void test_typos(void **state)
{
    (void)state;
    struct route_result rr = route("my landlourd", "en");
    assert_string_equal(top(&rr), "landlord_problems");
    rr = route("on univeral credit", "en");
    assert_string_equal(top(&rr), "universal_credit");
    rr = route("need a docter", "en");
    assert_string_equal(top(&rr), "doctor_gp");
    rr = route("benifits", "en");
    assert_string_equal(top(&rr), "money_general");
    /* a real word is never "corrected" into a need */
    rr = route("docket", "en");
    assert_int_equal(rr.n_needs, 0);
}

static void test_welsh_mutations_and_folding(void **state)
{
    (void)state;
    struct route_result rr = route("dw i angen help efo fy fudd-daliadau", "en");
    assert_string_equal(rr.lang, "cy");
    assert_string_equal(top(&rr), "money_general");
    rr = route("mae llwydni yn fy nh\xC5\xB7", "en"); /* nhŷ */
    assert_true(has_need(&rr, "damp_mould"));
    rr = route("mae llwydni yn fy nhy", "cy"); /* circumflex left off */
    assert_true(has_need(&rr, "damp_mould"));
    /* "ddyledion" is a word of the vocabulary (in "ol-ddyledion") and the mutated "dyledion" */
    rr = route("mae gen i ddyledion", "cy");
    assert_true(has_need(&rr, "money_general"));
    rr = route("dim am arian, mae angen meddyg", "cy");
    assert_false(has_need(&rr, "money_general"));
    assert_true(has_need(&rr, "doctor_gp"));
}

static void test_language_detection(void **state)
{
    (void)state;
    struct route_result rr = route("my landlord wants me out", "cy");
    assert_string_equal(rr.lang, "en"); /* typed in English with the Welsh screen on */
    rr = route("dw i isio gweld meddyg", "en");
    assert_string_equal(rr.lang, "cy");
    rr = route("", "cy");
    assert_string_equal(rr.lang, "cy"); /* nothing to go on: the screen's language */
    /* code-switching: Welsh sentence, English benefit name */
    rr = route("dw i ar universal credit", "cy");
    assert_string_equal(rr.lang, "cy");
    assert_string_equal(top(&rr), "universal_credit");
}

static void test_urgent(void **state)
{
    (void)state;
    struct route_result rr = route("been sleeping in my car and have nowhere to sleep", "en");
    assert_true(rr.urgent);
    assert_string_equal(top(&rr), "homeless_tonight");
    rr = route("behind on rent", "en");
    assert_false(rr.urgent);
    /* urgent needs come first even when another need scores higher */
    rr = route("behind on rent, rent arrears, and no food", "en");
    assert_string_equal(top(&rr), "no_food_today");
    assert_int_equal(rr.domains[0], DOMAIN_BENEFITS);
}

static void test_off_topic_unsure(void **state)
{
    (void)state;
    struct route_result rr = route("where are the toilets", "en");
    assert_int_equal(rr.n_needs, 0);
    assert_int_equal(rr.n_domains, 0);
    assert_true(rr.unsure);
    assert_false(rr.urgent);
    assert_true(rr.confidence == 0.0f);
}

static void test_bad_bytes(void **state)
{
    (void)state;
    const char junk[] = "\xFF\xFE\x00landlord\xC3\x28\xE2\x82 mould\x80";
    struct route_result rr;
    assert_int_equal(route_text(r, junk, sizeof(junk) - 1, NULL, &rr), 0);
    assert_true(has_need(&rr, "damp_mould"));
    char *big = malloc(1 << 20);
    memset(big, 'x', 1 << 20);
    memcpy(big, "mould ", 6);
    assert_int_equal(route_text(r, big, 1 << 20, "en", &rr), 0);
    assert_true(has_need(&rr, "damp_mould"));
    free(big);
    assert_int_equal(route_text(r, NULL, 5, "en", &rr), 0);
    assert_int_equal(rr.n_needs, 0);
    assert_int_equal(route_text(NULL, "x", 1, "en", &rr), -1);
}

static void test_load_errors(void **state)
{
    (void)state;
    char err[256];
    assert_null(router_new("no/such/dir", "locales", err, sizeof(err)));
    assert_non_null(strstr(err, "no/such/dir"));
    assert_null(router_new("assets", "no/such/locales", err, sizeof(err)));
    assert_true(strlen(err) > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_phrase_with_gaps),
        cmocka_unit_test(test_stemming),
        cmocka_unit_test(test_weak_words_need_support),
        cmocka_unit_test(test_negation),
        cmocka_unit_test(test_several_needs),
        cmocka_unit_test(test_general_need_yields_to_specific),
        cmocka_unit_test(test_typos),
        cmocka_unit_test(test_welsh_mutations_and_folding),
        cmocka_unit_test(test_language_detection),
        cmocka_unit_test(test_urgent),
        cmocka_unit_test(test_off_topic_unsure),
        cmocka_unit_test(test_bad_bytes),
        cmocka_unit_test(test_load_errors),
    };
    return cmocka_run_group_tests_name("router", tests, setup, teardown);
}
