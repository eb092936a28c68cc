/* test_text.c — normalisation, tokenising, UTF-8 checks and Welsh mutation rules. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "proto/utf8.h"
#include "text.h"
#include "welsh.h"

static void expect_norm(const char *in, const char *want)
{
    char out[512];
    text_normalise(in, strlen(in), out, sizeof(out));
    assert_string_equal(out, want);
}

static void test_case_fold_and_nfkc(void **state)
{
    (void)state;
    expect_norm("My LANDLORD Wants Me OUT", "my landlord wants me out");
    expect_norm("\xEF\xBC\xB5\xEF\xBC\xA3 stopped", "uc stopped"); /* fullwidth ＵＣ */
    expect_norm("\xEF\xAC\x81nished", "finished");                 /* ﬁ ligature */
    expect_norm("STRA\xC3\x9F"
                "E",
                "strasse"); /* ß folds to ss */
}

static void test_welsh_circumflex_folded(void **state)
{
    (void)state;
    expect_norm("t\xC5\xB7 a d\xC5\xB5r", "ty a dwr"); /* tŷ a dŵr */
    expect_norm("T\xC5\xB6 \xC3\xA2 \xC3\xAA \xC3\xAE \xC3\xB4 \xC3\xBB", "ty a e i o u");
    expect_norm("caf\xC3\xA9 cop\xC3\xAFo", "cafe copio");
}

static void test_apostrophes_and_hyphens(void **state)
{
    (void)state;
    expect_norm("can't afford it", "cant afford it");
    expect_norm("can\xE2\x80\x99t", "cant"); /* typographic apostrophe */
    expect_norm("fudd-daliadau", "fudd daliadau");
    expect_norm("  lots   of\tspace\n", "lots of space");
}

static void test_clause_marks(void **state)
{
    (void)state;
    struct token t[8];
    const char *s = "not my benefits, its the mould";
    int n = text_tokenise(s, strlen(s), t, 8);
    assert_int_equal(n, 6);
    assert_false(t[2].brk);
    assert_true(t[3].brk); /* "its" follows the comma */
    assert_false(t[4].brk);
}

static void test_invalid_utf8_is_space(void **state)
{
    (void)state;
    struct token t[8];
    const char s[] = "rent\xFF\xFEowed \xC3";
    int n = text_tokenise(s, sizeof(s) - 1, t, 8);
    assert_int_equal(n, 2);
    assert_string_equal(t[0].s, "rent");
    assert_string_equal(t[1].s, "owed");
    assert_false(utf8_valid(s, sizeof(s) - 1));
    assert_true(utf8_valid("t\xC5\xB7", 4));
    assert_int_equal(text_utf8_prefix("ab\xC5", 3), 2); /* a cut mid-character is dropped */
}

static void test_caps(void **state)
{
    (void)state;
    struct token t[4];
    char longword[200];
    memset(longword, 'a', sizeof(longword) - 1);
    longword[sizeof(longword) - 1] = '\0';
    int n = text_tokenise(longword, strlen(longword), t, 4);
    assert_int_equal(n, 1);
    assert_int_equal(t[0].len, TOKEN_MAX - 1);
    n = text_tokenise("a b c d e f g", 13, t, 4);
    assert_int_equal(n, 4);
    assert_int_equal(text_tokenise(NULL, 0, t, 4), 0);
}

static bool has_radical(const char *word, const char *want)
{
    char out[WELSH_RADICALS_MAX][TOKEN_MAX];
    int n = welsh_radicals(word, strlen(word), out, WELSH_RADICALS_MAX);
    for (int i = 0; i < n; i++)
        if (strcmp(out[i], want) == 0)
            return true;
    return false;
}

static void test_mutations(void **state)
{
    (void)state;
    assert_true(has_radical("fudd", "budd"));       /* soft b -> f */
    assert_true(has_radical("gartref", "cartref")); /* soft c -> g */
    assert_true(has_radical("ardd", "gardd"));      /* soft g -> (nothing) */
    assert_true(has_radical("lyfrgell", "llyfrgell"));
    assert_true(has_radical("ddyled", "dyled"));
    assert_true(has_radical("fam", "mam"));
    assert_true(has_radical("nhy", "ty"));            /* nasal t -> nh */
    assert_true(has_radical("nghartref", "cartref")); /* nasal c -> ngh */
    assert_true(has_radical("mhen", "pen"));          /* nasal p -> mh */
    assert_true(has_radical("mudd", "budd"));         /* nasal b -> m */
    assert_true(has_radical("phen", "pen"));          /* aspirate p -> ph */
    assert_true(has_radical("chartref", "cartref"));  /* aspirate c -> ch */
    assert_true(has_radical("hiaith", "iaith"));      /* h-prothesis */
    assert_false(has_radical("budd", "fudd"));
    char out[WELSH_RADICALS_MAX][TOKEN_MAX];
    assert_int_equal(welsh_radicals("a", 1, out, WELSH_RADICALS_MAX), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_case_fold_and_nfkc),
        cmocka_unit_test(test_welsh_circumflex_folded),
        cmocka_unit_test(test_apostrophes_and_hyphens),
        cmocka_unit_test(test_clause_marks),
        cmocka_unit_test(test_invalid_utf8_is_space),
        cmocka_unit_test(test_caps),
        cmocka_unit_test(test_mutations),
    };
    return cmocka_run_group_tests_name("text", tests, NULL, NULL);
}
