/* test_typo.c — bounded Damerau-Levenshtein and the deletion index. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "typo.h"

static int dist(const char *a, const char *b, int max)
{
    return typo_distance(a, strlen(a), b, strlen(b), max);
}

static void test_distance(void **state)
{
    (void)state;
    assert_int_equal(dist("landlord", "landlord", 2), 0);
    assert_int_equal(dist("landlourd", "landlord", 2), 1); /* insertion */
    assert_int_equal(dist("benifits", "benefits", 2), 1);  /* substitution */
    assert_int_equal(dist("univeral", "universal", 2), 1); /* deletion */
    assert_int_equal(dist("recieve", "receive", 2), 1);    /* adjacent swap is one edit */
    assert_int_equal(dist("docter", "doctor", 2), 1);
    assert_int_equal(dist("abc", "xyz", 1), 2); /* stops early: max + 1 */
    assert_int_equal(dist("", "abc", 5), 3);
    assert_int_equal(dist("eviction", "evction", 2), 1);
}

static void test_budget(void **state)
{
    (void)state;
    assert_int_equal(typo_budget(3), 0);
    assert_int_equal(typo_budget(4), 1);
    assert_int_equal(typo_budget(7), 1);
    assert_int_equal(typo_budget(8), 2);
}

static void test_lookup(void **state)
{
    (void)state;
    struct typo_index *t = typo_new();
    assert_non_null(t);
    const char *words[] = {"landlord", "benefits", "universal", "doctor",
                           "rent",     "mould",    "eviction",  "council"};
    for (int i = 0; i < 8; i++)
        assert_int_equal(typo_add(t, words[i], strlen(words[i]), 100 + i), 0);
    int d = -1;
    assert_int_equal(typo_lookup(t, "landlourd", 9, &d), 100);
    assert_int_equal(d, 1);
    assert_int_equal(typo_lookup(t, "benifits", 8, NULL), 101);
    assert_int_equal(typo_lookup(t, "univeral", 8, NULL), 102);
    assert_int_equal(typo_lookup(t, "docter", 6, NULL), 103);
    assert_int_equal(typo_lookup(t, "evcition", 8, NULL), 106); /* swap */
    assert_int_equal(typo_lookup(t, "cuoncil", 7, NULL), 107);  /* swap */
    assert_int_equal(typo_lookup(t, "lnadlrod", 8, &d), 100);   /* two swaps, 8 letters */
    assert_int_equal(d, 2);
    assert_int_equal(typo_lookup(t, "dcotr", 5, NULL), -1); /* two edits on 5 letters */
    assert_int_equal(typo_lookup(t, "rnt", 3, NULL), -1);   /* too short to forgive */
    assert_int_equal(typo_lookup(t, "zzzzzzzz", 8, NULL), -1);
    typo_free(t);
}

/* A made-up nine-letter word, the same for the same i. */
static void fake_word(unsigned i, char *w)
{
    unsigned k = i * 2654435761u + 1;
    for (int n = 0; n < 9; n++) {
        k = k * 1103515245u + 12345u;
        w[n] = (char)('a' + (k >> 16) % 26);
    }
}

static void test_lookup_scales(void **state)
{
    (void)state;
    struct typo_index *t = typo_new();
    char w[16];
    for (int i = 0; i < 3000; i++) {
        fake_word((unsigned)i, w);
        assert_int_equal(typo_add(t, w, 9, i), 0);
    }
    /* every stored word is found from a one-letter slip */
    for (int i = 0; i < 3000; i += 97) {
        fake_word((unsigned)i, w);
        w[4] = w[4] == 'q' ? 'r' : 'q';
        int d;
        assert_true(typo_lookup(t, w, 9, &d) >= 0);
        assert_true(d <= 1);
    }
    typo_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_distance),
        cmocka_unit_test(test_budget),
        cmocka_unit_test(test_lookup),
        cmocka_unit_test(test_lookup_scales),
    };
    return cmocka_run_group_tests_name("typo", tests, NULL, NULL);
}
