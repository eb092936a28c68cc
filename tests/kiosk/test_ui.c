/* test_ui.c — themes meet WCAG AA for every text colour pair; the string catalogues are complete
 * in both languages with every CLDR plural form; plural rules; the on-screen keyboard. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "osk.h"
#include "theme.h"

static void test_contrast_maths(void **state)
{
    (void)state;
    struct rgb black = {0, 0, 0}, white = {255, 255, 255}, grey = {0x76, 0x76, 0x76};
    assert_true(rgb_contrast(black, white) > 20.99 && rgb_contrast(black, white) < 21.01);
    assert_true(rgb_contrast(white, white) < 1.0001);
    assert_true(rgb_contrast(grey, white) > 4.5 && rgb_contrast(grey, white) < 4.6);
    assert_true(rgb_contrast(white, grey) == rgb_contrast(grey, white));
}

static void test_theme_aa(void **state)
{
    (void)state;
    for (int hc = 0; hc < 2; hc++) {
        const struct theme *t = theme_get(hc);
        enum style worst = ST_SCREEN;
        double min = theme_min_contrast(t, &worst);
        if (min < 4.5)
            fail_msg("%s theme: %s text is %.2f:1", t->name, style_name(worst), min);
        for (int s = 0; s < ST_COUNT; s++) {
            assert_true(rgb_contrast(t->st[s].fg, t->st[s].bg) >= 4.5);
            assert_true(rgb_contrast(t->st[s].fg, t->st[s].pressed_bg) >= 4.5);
        }
        /* text on the bare screen uses the screen colour */
        assert_memory_equal(&t->st[ST_SCREEN].bg, &t->screen_bg, sizeof(struct rgb));
        assert_memory_equal(&t->st[ST_MUTED].bg, &t->screen_bg, sizeof(struct rgb));
    }
    assert_true(theme_min_contrast(theme_get(true), NULL) >= 7.0); /* high contrast is AAA */
    assert_int_equal(avatar_style("Sian Evans"), avatar_style("Sian Evans"));
    assert_true(avatar_style("x") >= ST_AVATAR0 && avatar_style("x") <= ST_AVATAR5);
}

static void test_plural_rules(void **state)
{
    (void)state;
    static const enum plural_cat cy[] = {PL_ZERO, PL_ONE,   PL_TWO,   PL_FEW,   PL_OTHER, PL_OTHER,
                                         PL_MANY, PL_OTHER, PL_OTHER, PL_OTHER, PL_OTHER};
    for (int n = 0; n <= 10; n++)
        assert_int_equal(plural_category("cy", n), cy[n]);
    assert_int_equal(plural_category("cy", 106), PL_OTHER);
    assert_int_equal(plural_category("en", 1), PL_ONE);
    assert_int_equal(plural_category("en", 0), PL_OTHER);
    assert_int_equal(plural_category("en", 2), PL_OTHER);
    assert_int_equal(plural_forms("cy"), 0x3Fu);
    assert_int_equal(plural_forms("en"), (1u << PL_ONE) | (1u << PL_OTHER));
    assert_string_equal(plural_name(PL_MANY), "many");
    assert_null(plural_name(PL_COUNT));
}

static struct i18n *load(const char *lang)
{
    char path[128], err[256];
    struct i18n *c = i18n_new(lang);
    assert_non_null(c);
    snprintf(path, sizeof(path), "locales/%s/strings.json", lang);
    if (i18n_load_strings(c, path, err, sizeof(err)) < 0)
        fail_msg("%s", err);
    return c;
}

/* Every key of a is in b, with every plural form b's language needs. */
static void complete(const struct i18n *a, const struct i18n *b)
{
    int missing = 0;
    for (int i = 0; i < i18n_count(a); i++) {
        const char *key = i18n_key_at(a, i);
        unsigned have = 0, want = plural_forms(i18n_lang(b));
        if (!i18n_has(b, key)) {
            print_error("%s: missing \"%s\"\n", i18n_lang(b), key);
            missing++;
            continue;
        }
        if (i18n_plural_forms_of(a, key, NULL) != i18n_plural_forms_of(b, key, &have)) {
            print_error("%s: \"%s\" plural in one language only\n", i18n_lang(b), key);
            missing++;
        } else if (i18n_plural_forms_of(b, key, &have) && (have & want) != want) {
            print_error("%s: \"%s\" lacks plural forms (has 0x%x, needs 0x%x)\n", i18n_lang(b), key,
                        have, want);
            missing++;
        } else if (!i18n_plural_forms_of(b, key, NULL) && !i18n_find(b, key)[0]) {
            print_error("%s: \"%s\" is empty\n", i18n_lang(b), key);
            missing++;
        }
    }
    assert_int_equal(missing, 0);
}

static void test_locales_complete(void **state)
{
    (void)state;
    struct i18n *en = load("en"), *cy = load("cy");
    assert_true(i18n_count(en) > 60);
    complete(en, cy);
    complete(cy, en);
    /* natural Welsh, and the right plural forms */
    assert_string_equal(i18n_get(cy, "welcome.title"), "Croeso");
    assert_string_equal(i18n_get(cy, "app.start_again"), "Dechrau eto");
    assert_string_equal(i18n_get(cy, "idle.title"), "Ydych chi'n dal yma?");
    assert_string_equal(i18n_plural(cy, "result.wait", 2), "Tua dau funud");
    assert_string_equal(i18n_plural(cy, "result.wait", 3), "Tua thri munud");
    assert_string_equal(i18n_plural(cy, "result.wait", 6), "Tua chwe munud");
    assert_string_equal(i18n_plural(cy, "result.wait", 15), "Tua {n} munud");
    assert_string_equal(i18n_plural(en, "result.wait", 1), "About {n} minute");
    assert_string_equal(i18n_plural(en, "result.wait", 0), "About {n} minutes");
    /* no word on screen is English in the Welsh catalogue by accident */
    for (int i = 0; i < i18n_count(cy); i++) {
        const char *k = i18n_key_at(cy, i);
        const char *v = i18n_find(cy, k);
        if (v && strncmp(k, "osk.", 4) && strcmp(k, "app.switch_lang") && strcmp(k, "lang.en"))
            assert_true(strcmp(v, i18n_get(en, k)) != 0 || strlen(v) < 4);
    }
    i18n_free(en);
    i18n_free(cy);
}

static void test_catalogue(void **state)
{
    (void)state;
    char err[128], out[64];
    struct i18n *en = i18n_new("en"), *cy = i18n_new("cy");
    assert_int_equal(i18n_parse_strings(en,
                                        "{\"a\":\"A\",\"_lang\":\"en\",\"p\":{\"one\":\"1\","
                                        "\"other\":\"n\"}}",
                                        58, err, sizeof(err)),
                     0);
    assert_int_equal(i18n_parse_strings(cy, "{\"b\":\"B\"}", 9, err, sizeof(err)), 0);
    i18n_set_fallback(cy, en);
    assert_string_equal(i18n_get(cy, "a"), "A"); /* from the fallback */
    assert_string_equal(i18n_get(cy, "nope"), "nope");
    assert_null(i18n_find(cy, "nope"));
    assert_false(i18n_has(en, "_lang"));
    assert_string_equal(i18n_plural(cy, "p", 1), "1");
    assert_string_equal(i18n_plural(en, "p", 5), "n");
    assert_int_equal(i18n_parse_strings(en, "[1]", 3, err, sizeof(err)), -1);
    assert_int_equal(i18n_parse_strings(en, "{\"x\":3}", 7, err, sizeof(err)), -1);
    assert_int_equal(i18n_parse_strings(en, "{\"x\":{\"lots\":\"y\"}}", 18, err, sizeof(err)), -1);
    assert_int_equal(i18n_load_strings(en, "/nonexistent/strings.json", err, sizeof(err)), -1);
    assert_int_equal(i18n_parse_need_labels(en,
                                            "{\"needs\":{\"debt\":{\"label\":\"Money you owe\"}}}",
                                            46, err, sizeof(err)),
                     0);
    assert_string_equal(i18n_get(en, "need.debt"), "Money you owe");
    assert_int_equal(i18n_format(out, sizeof(out), "About {n} minutes", "n", "10"), 16);
    assert_string_equal(out, "About 10 minutes");
    i18n_format(out, 8, "ŵŵŵŵŵ", "n", "x"); /* cut at a character boundary */
    assert_string_equal(out, "ŵŵŵ");
    i18n_format(out, sizeof(out), "{n}{n}", "n", "ab");
    assert_string_equal(out, "abab");
    i18n_free(en);
    i18n_free(cy);
}

static int find_key(const struct osk *k, enum osk_kind kind, const char *label, int *row, int *col)
{
    for (*row = 0; *row < OSK_ROWS; (*row)++)
        for (*col = 0; *col < osk_row_len(k, *row); (*col)++) {
            struct osk_key_view v;
            osk_key(k, *row, *col, &v);
            if (v.kind == kind && (!label || strcmp(v.label, label) == 0))
                return 0;
        }
    return -1;
}

static void test_keyboard(void **state)
{
    (void)state;
    struct osk k;
    char out[16];
    int r, c;
    osk_reset(&k);
    for (int layer = 0; layer < 2; layer++) {
        for (int row = 0; row < OSK_ROWS; row++) {
            float units = 0;
            for (int col = 0; col < osk_row_len(&k, row); col++) {
                struct osk_key_view v;
                assert_int_equal(osk_key(&k, row, col, &v), 0);
                units += v.units;
                assert_true(v.id[0] != '\0');
            }
            assert_true(units > OSK_WIDTH - 0.01f && units < OSK_WIDTH + 0.01f);
        }
        assert_int_equal(find_key(&k, OSK_LAYER, NULL, &r, &c), 0);
        osk_press(&k, r, c, out, sizeof(out));
    }
    assert_int_equal(osk_key(&k, 9, 0, &(struct osk_key_view){0}), -1);
    /* Welsh letters through the accent key: â ê î ô û ŵ ŷ */
    static const char *const plain[] = {"a", "e", "i", "o", "u", "w", "y"};
    static const char *const circ[] = {"â", "ê", "î", "ô", "û", "ŵ", "ŷ"};
    for (int i = 0; i < 7; i++) {
        assert_int_equal(find_key(&k, OSK_ACCENT, NULL, &r, &c), 0);
        assert_int_equal(osk_press(&k, r, c, out, sizeof(out)), OSK_OUT_NONE);
        assert_true(k.accent);
        assert_int_equal(find_key(&k, OSK_CHAR, circ[i], &r, &c), 0); /* the key shows it */
        assert_int_equal(osk_press(&k, r, c, out, sizeof(out)), OSK_OUT_TEXT);
        assert_string_equal(out, circ[i]);
        assert_false(k.accent);
        assert_int_equal(find_key(&k, OSK_CHAR, plain[i], &r, &c), 0);
    }
    /* capital with accent, then back to small letters */
    find_key(&k, OSK_SHIFT, NULL, &r, &c);
    osk_press(&k, r, c, out, sizeof(out));
    find_key(&k, OSK_ACCENT, NULL, &r, &c);
    osk_press(&k, r, c, out, sizeof(out));
    find_key(&k, OSK_CHAR, "Ŵ", &r, &c);
    osk_press(&k, r, c, out, sizeof(out));
    assert_string_equal(out, "Ŵ");
    assert_false(k.shift);
    assert_int_equal(find_key(&k, OSK_DELETE, NULL, &r, &c), 0);
    assert_int_equal(osk_press(&k, r, c, out, sizeof(out)), OSK_OUT_DELETE);
    assert_int_equal(find_key(&k, OSK_SPACE, NULL, &r, &c), 0);
    assert_int_equal(osk_press(&k, r, c, out, sizeof(out)), OSK_OUT_TEXT);
    assert_string_equal(out, " ");
    assert_int_equal(osk_press(&k, 9, 9, out, sizeof(out)), OSK_OUT_NONE);
    osk_unpack(osk_pack(3, 4), &r, &c);
    assert_int_equal(r, 3);
    assert_int_equal(c, 4);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_contrast_maths), cmocka_unit_test(test_theme_aa),
        cmocka_unit_test(test_plural_rules),   cmocka_unit_test(test_locales_complete),
        cmocka_unit_test(test_catalogue),      cmocka_unit_test(test_keyboard),
    };
    return cmocka_run_group_tests_name("kiosk themes, strings, keyboard", tests, NULL, NULL);
}
