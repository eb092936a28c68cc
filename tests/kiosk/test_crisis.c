/* test_crisis.c — which crisis lines the urgent screen shows for what was said, and their words
 * and numbers in each language. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "crisis.h"
#include "i18n.h"

#define NBSP "\u00a0"

static struct i18n *en, *cy;

static int setup(void **state)
{
    char err[256];
    (void)state;
    en = i18n_new("en");
    cy = i18n_new("cy");
    if (!en || !cy || i18n_load_strings(en, "locales/en/strings.json", err, sizeof(err)) < 0 ||
        i18n_load_strings(cy, "locales/cy/strings.json", err, sizeof(err)) < 0)
        return -1;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    i18n_free(en);
    i18n_free(cy);
    return 0;
}

/* The picked lines for these needs, as "id id id". */
static const char *pick(const char *const *ids, int n)
{
    static char out[128];
    enum crisis_line l[CRISIS_MAX];
    int k = crisis_pick(ids, n, l);
    size_t o = 0;
    out[0] = '\0';
    assert_true(k >= 1 && k <= CRISIS_MAX);
    for (int i = 0; i < k; i++)
        o += (size_t)snprintf(out + o, sizeof(out) - o, "%s%s", i ? " " : "", crisis_id(l[i]));
    return out;
}

static void test_pick_by_need(void **state)
{
    (void)state;
    /* "I need help now", no needs: the short general set */
    assert_string_equal(pick(NULL, 0), "999 samaritans");
    const char *suicidal[] = {"suicidal_thoughts"};
    assert_string_equal(pick(suicidal, 1), "samaritans mental-health 999");
    const char *abuse[] = {"domestic_abuse"};
    assert_string_equal(pick(abuse, 1), "live-fear-free 999");
    const char *danger[] = {"in_danger"};
    assert_string_equal(pick(danger, 1), "999");
    const char *hurt[] = {"medical_emergency"};
    assert_string_equal(pick(hurt, 1), "999");
    const char *risk[] = {"person_at_risk"};
    assert_string_equal(pick(risk, 1), "999");
    /* nothing of their own: the general set */
    const char *tonight[] = {"homeless_tonight"};
    assert_string_equal(pick(tonight, 1), "999 samaritans");
    const char *plain[] = {"rent_arrears", "no_such_need", NULL};
    assert_string_equal(pick(plain, 3), "999 samaritans");
    /* several: never more than three, the most particular first, nothing twice */
    const char *both[] = {"suicidal_thoughts", "domestic_abuse", "in_danger"};
    assert_string_equal(pick(both, 3), "samaritans mental-health live-fear-free");
    const char *danger_abuse[] = {"in_danger", "domestic_abuse"};
    assert_string_equal(pick(danger_abuse, 2), "999 live-fear-free");
    const char *twice[] = {"in_danger", "medical_emergency", "rent_arrears"};
    assert_string_equal(pick(twice, 3), "999");
    assert_string_equal(crisis_id(CRISIS_COUNT), "?");
    assert_string_equal(crisis_number(CRISIS_COUNT), "");
}

/* The numbers, each checked on the service's own page (crisis.c cites them), in the resident's
 * language, never cut across two lines (no-break spaces between digit groups). */
static void test_texts(void **state)
{
    char out[600];
    (void)state;
    assert_string_equal(crisis_number(CRISIS_999), "999");
    assert_string_equal(crisis_number(CRISIS_SAMARITANS), "116" NBSP "123");
    assert_string_equal(crisis_number(CRISIS_MENTAL_HEALTH), "111");
    assert_string_equal(crisis_number(CRISIS_LIVE_FEAR_FREE),
                        "0808" NBSP "80" NBSP "10" NBSP "800");

    crisis_text(en, CRISIS_SAMARITANS, out, sizeof(out));
    assert_non_null(strstr(out, "Samaritans"));
    assert_non_null(strstr(out, "116" NBSP "123"));
    assert_null(strstr(out, "0808")); /* the Welsh-language line is for Welsh screens */
    crisis_text(cy, CRISIS_SAMARITANS, out, sizeof(out));
    assert_non_null(strstr(out, "Y Samariaid"));
    assert_non_null(strstr(out, "116" NBSP "123"));
    assert_non_null(strstr(out, "Yn Gymraeg"));
    assert_non_null(strstr(out, "0808" NBSP "164" NBSP "0123"));
    assert_null(strchr(out, '{'));

    crisis_text(en, CRISIS_MENTAL_HEALTH, out, sizeof(out));
    assert_non_null(strstr(out, "call 111 and press 2"));
    crisis_text(cy, CRISIS_MENTAL_HEALTH, out, sizeof(out));
    assert_non_null(strstr(out, "ffoniwch 111 a phwyso 2"));

    crisis_text(en, CRISIS_LIVE_FEAR_FREE, out, sizeof(out));
    assert_non_null(strstr(out, "Live Fear Free"));
    assert_non_null(strstr(out, "0808" NBSP "80" NBSP "10" NBSP "800"));
    crisis_text(cy, CRISIS_LIVE_FEAR_FREE, out, sizeof(out));
    assert_non_null(strstr(out, "Byw Heb Ofn")); /* the service's own Welsh name */
    assert_non_null(strstr(out, "0808" NBSP "80" NBSP "10" NBSP "800"));

    crisis_text(en, CRISIS_999, out, sizeof(out));
    assert_non_null(strstr(out, "call 999"));
    crisis_text(cy, CRISIS_999, out, sizeof(out));
    assert_non_null(strstr(out, "ffoniwch 999"));

    crisis_relay_text(en, out, sizeof(out));
    assert_non_null(strstr(out, "18001"));
    assert_non_null(strstr(out, "18000"));
    assert_non_null(strstr(out, "Relay UK"));
    crisis_relay_text(cy, out, sizeof(out));
    assert_non_null(strstr(out, "Rhowch 18001"));
    assert_non_null(strstr(out, "18000"));
    assert_null(strchr(out, '{'));

    /* every line fills its placeholders in both languages, and a small buffer is cut cleanly */
    for (int l = 0; l < CRISIS_COUNT; l++) {
        crisis_text(en, (enum crisis_line)l, out, sizeof(out));
        assert_null(strchr(out, '{'));
        assert_non_null(strstr(out, crisis_number((enum crisis_line)l)));
        crisis_text(cy, (enum crisis_line)l, out, sizeof(out));
        assert_null(strchr(out, '{'));
        assert_non_null(strstr(out, crisis_number((enum crisis_line)l)));
    }
    char tiny[8];
    assert_true(crisis_text(en, CRISIS_SAMARITANS, tiny, sizeof(tiny)) < sizeof(tiny));
    assert_int_equal(crisis_text(en, CRISIS_COUNT, out, sizeof(out)), 0);
    assert_string_equal(out, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pick_by_need),
        cmocka_unit_test(test_texts),
    };
    return cmocka_run_group_tests_name("kiosk crisis lines", tests, setup, teardown);
}
