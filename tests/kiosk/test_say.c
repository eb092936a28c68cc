/* test_say.c — what the kiosk says and how the keypad moves: tickets, numbers and phone numbers
 * for the ear in both languages, the pronunciation list, each screen read in reading order
 * (content before the keyboard and the bar), the result screen's worker, desk and ticket, and a
 * journey to a named worker with the keypad alone, in Welsh and in English. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "directory.h"
#include "flow.h"
#include "i18n.h"
#include "layout.h"
#include "matcher.h"
#include "nav.h"
#include "proto/taxonomy.h"
#include "say.h"

static struct taxonomy *tax;
static struct hub_dir *dir;
static struct i18n *cy, *en;
static struct layout *lay;
static struct flow *fl;
static char buf[SAY_TEXT_MAX];

#include "fake_measure.h"

static int fake_route(void *ctx, const char *text, size_t len, const char *lang,
                      struct route_result *out)
{
    (void)ctx;
    (void)len;
    (void)lang;
    memset(out, 0, sizeof(*out));
    if (strstr(text, "landlord") || strstr(text, "rent")) {
        out->needs[0].need = needs_find(tax, "eviction");
        out->needs[1].need = needs_find(tax, "rent_arrears");
        out->n_needs = 2;
    }
    return 0;
}

static int real_match(void *ctx, const struct hub_dir *d, const struct match_request *req,
                      struct match_result *out)
{
    (void)ctx;
    return match_worker(d, req, out);
}

static int submit(void *self, const struct kiosk_checkin *c, struct ticket *t)
{
    (void)self;
    (void)c;
    snprintf(t->code, sizeof(t->code), "H-A07");
    t->position = 2;
    t->wait_min = 15;
    return 0;
}

static const struct backend be = {.submit = submit};

static int setup(void **state)
{
    char err[256];
    (void)state;
    tax = needs_load("assets/needs.json", err, sizeof(err));
    dir = dir_load_file("assets/demo-hub.json", err, sizeof(err));
    cy = i18n_new("cy");
    en = i18n_new("en");
    lay = calloc(1, sizeof(*lay));
    fl = calloc(1, sizeof(*fl));
    if (!tax || !dir || !cy || !en || !lay || !fl)
        return -1;
    if (i18n_load_strings(cy, "locales/cy/strings.json", err, sizeof(err)) < 0 ||
        i18n_load_strings(en, "locales/en/strings.json", err, sizeof(err)) < 0)
        return -1;
    i18n_load_need_labels(cy, "locales/cy/needs.json", err, sizeof(err));
    i18n_load_need_labels(en, "locales/en/needs.json", err, sizeof(err));
    i18n_set_fallback(cy, en);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    needs_free(tax);
    dir_free(dir);
    i18n_free(cy);
    i18n_free(en);
    free(lay);
    free(fl);
    return 0;
}

static const struct i18n *cat(void)
{
    return strcmp(fl->lang, "cy") == 0 ? cy : en;
}

static void build(int w, int h)
{
    struct layout_input in = {.f = fl, .cat = cat(), .m = &meas, .w = w, .h = h};
    in.cats[0] = cy;
    in.cats[1] = en;
    assert_int_equal(layout_build(&in, lay), 0);
}

static void start(void)
{
    struct flow_deps deps = {NULL, fake_route, real_match, tax, dir, &be, NULL};
    flow_init(fl, NULL, &deps, 0);
}

static void test_tickets_and_numbers(void **state)
{
    (void)state;
    say_ticket("H-A07", "en", buf, sizeof(buf));
    assert_string_equal(buf, "H, A, seven");
    say_ticket("H-A07", "cy", buf, sizeof(buf));
    assert_string_equal(buf, "aets, a, saith");
    say_ticket("B123", "en", buf, sizeof(buf));
    assert_string_equal(buf, "B, one hundred and twenty-three");
    say_ticket("C015", "cy", buf, sizeof(buf));
    assert_string_equal(buf, "ec, un deg pump");
    say_number(35, "cy", buf, sizeof(buf));
    assert_string_equal(buf, "tri deg pump");
    say_number(20, "cy", buf, sizeof(buf));
    assert_string_equal(buf, "dau ddeg");
    say_number(0, "en", buf, sizeof(buf));
    assert_string_equal(buf, "zero");
    say_number(41, "en", buf, sizeof(buf));
    assert_string_equal(buf, "forty-one");
    /* waits spoken naturally; five before a noun is "pum" */
    say_ear("Tua 15 munud", "cy", buf, sizeof(buf));
    assert_string_equal(buf, "Tua un deg pum munud");
    say_ear("Tua 25 munud. 5 o bobl", "cy", buf, sizeof(buf));
    assert_string_equal(buf, "Tua dau ddeg pum munud. pump o bobl");
    say_ear("About 15 minutes", "en", buf, sizeof(buf));
    assert_string_equal(buf, "About 15 minutes");
    /* phone numbers a digit at a time, a pause between groups (no-break spaces in crisis.c) */
    say_ear("Samaritans: 116\xC2\xA0"
            "123",
            "en", buf, sizeof(buf));
    assert_string_equal(buf, "Samaritans: 1 1 6, 1 2 3");
    say_ear("ffoniwch 999", "cy", buf, sizeof(buf));
    assert_string_equal(buf, "ffoniwch naw naw naw");
    say_ear("Needs\nRent \xC2\xB7 Damp \xE2\x9C\x93 on", "en", buf, sizeof(buf));
    assert_string_equal(buf, "Needs. Rent, Damp on");
    /* a tiny buffer is cut at a character, never overrun */
    char tiny[5];
    say_ticket("H-A07", "cy", tiny, sizeof(tiny));
    assert_true(strlen(tiny) < sizeof(tiny));
}

static void test_pronunciation(void **state)
{
    (void)state;
    say_pronounce("You'll see Sian Evans in Pontypridd", "en", buf, sizeof(buf));
    assert_string_equal(buf, "You'll see [[S'A:n]] Evans in [[p,0nt@pr'i:D]]");
    say_pronounce("Dafydd Jones", "en", buf, sizeof(buf));
    assert_string_equal(buf, "[[d'av@D]] Jones");
    /* whole words only: "Siane" and "Dafyddson" are not respelt */
    say_pronounce("Siane Dafyddson", "en", buf, sizeof(buf));
    assert_string_equal(buf, "Siane Dafyddson");
    /* the Welsh voice gets English names in Welsh spelling */
    say_pronounce("Byddwch chi'n gweld Megan Hughes", "cy", buf, sizeof(buf));
    assert_string_equal(buf, "Byddwch chi'n gweld Megan Hiws");
    /* every entry is a real respelling: brackets closed, a stress mark, no empty word */
    const char *r;
    int n = 0;
    for (int i = 0; say_pronounce_word("en", i, &r); i++, n++) {
        size_t l = strlen(r);
        assert_true(l > 4 && strncmp(r, "[[", 2) == 0 && strcmp(r + l - 2, "]]") == 0);
        assert_non_null(strchr(r, '\''));
    }
    assert_true(n >= 20);
    /* every worker in the demo hub with a Welsh given name is on the English voice's list */
    static const char *const welsh[] = {"Sian", "Rhodri", "Dafydd"};
    for (size_t i = 0; i < sizeof(welsh) / sizeof(welsh[0]); i++) {
        say_pronounce(welsh[i], "en", buf, sizeof(buf));
        assert_true(strncmp(buf, "[[", 2) == 0);
    }
}

/* Reaches the result screen by taps: typed words, the check, no name, no sharing. */
static void to_result(int lang)
{
    start();
    flow_act(fl, ACT_SET_LANG, lang, 0);
    flow_type(fl, "my landlord wants me out", 1);
    flow_act(fl, ACT_NEXT, 0, 2);
    flow_act(fl, ACT_YES, 0, 3);
    flow_act(fl, ACT_SKIP, 0, 4);
    flow_act(fl, ACT_CONSENT_NO, 0, 5);
    assert_int_equal(fl->screen, SCR_RESULT);
}

static void test_result_spoken(void **state)
{
    (void)state;
    static const int sizes[][2] = {{1080, 1920}, {1920, 1080}, {800, 480}};
    for (size_t z = 0; z < 3; z++) {
        to_result(1);
        build(sizes[z][0], sizes[z][1]);
        say_screen(fl, lay, en, buf, sizeof(buf));
        const struct widget *name = layout_find(lay, "worker-name");
        assert_non_null(name);
        char want[256];
        snprintf(want, sizeof(want), "You'll see %s.", name->text);
        assert_non_null(strstr(buf, want));
        assert_non_null(strstr(buf, "Your ticket is H, A, seven."));
        assert_non_null(strstr(buf, "Where: Room"));
        assert_non_null(strstr(buf, "About 15 minutes"));
        assert_null(strstr(buf, "Bigger text")); /* the bar is not read with the screen */
        to_result(0);
        build(sizes[z][0], sizes[z][1]);
        say_screen(fl, lay, cy, buf, sizeof(buf));
        assert_non_null(strstr(buf, "Eich tocyn yw aets, a, saith."));
        assert_non_null(strstr(buf, "Ble: Ystafell")); /* the desk in Welsh on a Welsh screen */
        assert_non_null(strstr(buf, "Tua un deg pum munud"));
        assert_non_null(strstr(buf, "Byddwch chi'n gweld "));
    }
}

static int index_of(const char *id)
{
    for (int i = 0; i < lay->n; i++)
        if (strcmp(lay->wg[i].id, id) == 0)
            return i;
    return -1;
}

static void test_reading_order(void **state)
{
    (void)state;
    static const int sizes[][2] = {{1080, 1920}, {1920, 1080}, {800, 480}};
    for (size_t z = 0; z < 3; z++) {
        start();
        flow_act(fl, ACT_SET_LANG, 1, 0);
        flow_type(fl, "my rent", 1);
        build(sizes[z][0], sizes[z][1]);
        /* the title first, then the field and what was heard, then the keyboard, then the bar */
        assert_int_equal(index_of("title"), 0);
        assert_true(index_of("field") < index_of("next"));
        assert_true(index_of("next") < index_of("help-now"));
        assert_true(index_of("help-now") < index_of("key-q"));
        assert_true(index_of("key-q") < index_of("lang-switch"));
        assert_true(index_of("lang-switch") < index_of("start-again"));
        say_screen(fl, lay, en, buf, sizeof(buf));
        assert_true(strncmp(buf, "What can we help with today?", 28) == 0);
        assert_non_null(strstr(buf, "You've typed: my rent."));
        /* no keyboard keys read out with the screen */
        assert_null(strstr(buf, "123"));
        assert_null(strstr(buf, "\xE2\x87\xA7"));
        assert_null(strstr(buf, "space"));
    }
}

static void test_plan(void **state)
{
    (void)state;
    struct say_state st;
    struct say_out *out = calloc(1, sizeof(*out));
    const struct i18n *cats[FLOW_LANGS_MAX] = {cy, en};
    memset(&st, 0, sizeof(st));
    assert_non_null(out);
    start();
    build(1080, 1920);
    assert_false(say_plan(&st, fl, lay, cy, cats, out)); /* speech off: nothing */
    flow_act(fl, ACT_LISTEN, 0, 1);
    build(1080, 1920);
    /* the welcome screen in each language's own voice */
    assert_true(say_plan(&st, fl, lay, cy, cats, out));
    assert_int_equal(out->n, 2);
    assert_string_equal(out->seg[0].lang, "cy");
    assert_true(strncmp(out->seg[0].text, "Croeso.", 7) == 0);
    assert_string_equal(out->seg[1].lang, "en");
    assert_true(strncmp(out->seg[1].text, "Welcome.", 8) == 0);
    assert_false(say_plan(&st, fl, lay, cy, cats, out)); /* said once */
    /* the keypad: the focus is said; the English button in the English voice */
    nav_key(fl, lay, NAV_NEXT, 2);
    build(1080, 1920);
    assert_true(say_plan(&st, fl, lay, cy, cats, out));
    assert_true(out->interrupt);
    assert_string_equal(out->seg[0].text, "Cymraeg");
    nav_key(fl, lay, NAV_NEXT, 3);
    build(1080, 1920);
    assert_true(say_plan(&st, fl, lay, cy, cats, out));
    assert_string_equal(out->seg[0].lang, "en");
    assert_string_equal(out->seg[0].text, "English");
    /* Enter: the tell screen in English, read from the top */
    nav_key(fl, lay, NAV_ENTER, 4);
    build(1080, 1920);
    assert_int_equal(fl->screen, SCR_TELL);
    assert_true(say_plan(&st, fl, lay, en, cats, out));
    assert_true(out->interrupt);
    assert_true(strncmp(out->seg[0].text, "What can we help with today?", 28) == 0);
    /* a toggle said again when it changes under the focus */
    snprintf(fl->focus, sizeof(fl->focus), "contrast");
    build(1080, 1920);
    assert_true(say_plan(&st, fl, lay, en, cats, out));
    assert_string_equal(out->seg[0].text, "High contrast: off.");
    nav_key(fl, lay, NAV_ENTER, 5);
    build(1080, 1920);
    assert_true(fl->high_contrast);
    assert_true(say_plan(&st, fl, lay, en, cats, out));
    assert_string_equal(out->seg[0].text, "High contrast: on.");
    /* F1: the screen again */
    nav_key(fl, lay, NAV_HELP, 6);
    build(1080, 1920);
    assert_true(say_plan(&st, fl, lay, en, cats, out));
    assert_true(strncmp(out->seg[0].text, "What can we help with today?", 28) == 0);
    /* speech off: nothing more */
    flow_act(fl, ACT_LISTEN, 0, 7);
    build(1080, 1920);
    assert_false(say_plan(&st, fl, lay, en, cats, out));
    free(out);
}

/* Presses NAV_NEXT until the focus is on id (at most a screenful), then Enter. */
static void press(const char *id, int w, int h)
{
    for (int i = 0; i < LAYOUT_WIDGETS_MAX; i++) {
        build(w, h);
        if (strcmp(fl->focus, id) == 0) {
            const struct widget *f = layout_find(lay, id);
            assert_non_null(f);
            assert_true(f->focused);
            nav_key(fl, lay, NAV_ENTER, 100 + i);
            build(w, h);
            return;
        }
        nav_key(fl, lay, NAV_NEXT, 100 + i);
    }
    fail_msg("focus never reached %s on %s", id, screen_name(fl->screen));
}

static void test_keypad_journey(void **state)
{
    (void)state;
    static const int sizes[][2] = {{1080, 1920}, {1920, 1080}, {800, 480}};
    for (size_t z = 0; z < 3; z++)
        for (int lang = 0; lang < 2; lang++) {
            int w = sizes[z][0], h = sizes[z][1];
            start();
            build(w, h);
            press(lang ? "lang-en" : "lang-cy", w, h);
            assert_int_equal(fl->screen, SCR_TELL);
            assert_true(fl->speech); /* the keypad turned speech on */
            assert_string_equal(fl->lang, lang ? "en" : "cy");
            press("know", w, h);
            assert_int_equal(fl->screen, SCR_PEOPLE);
            press("worker-w-rhodri", w, h);
            assert_int_equal(fl->screen, SCR_CHECK);
            /* Escape goes back, and the keypad goes on */
            nav_key(fl, lay, NAV_BACK, 300);
            build(w, h);
            assert_int_equal(fl->screen, SCR_PEOPLE);
            press("worker-w-rhodri", w, h);
            press("yes", w, h);
            assert_int_equal(fl->screen, SCR_NAME);
            press("skip", w, h);
            assert_int_equal(fl->screen, SCR_RESULT);
            assert_string_equal(layout_find(lay, "worker-name")->text, "Rhodri Williams");
            /* Previous from nothing wraps to the last control; every control is reachable */
            int seen = 0, n = 0;
            for (int i = 0; i < lay->n; i++)
                n += nav_focusable(&lay->wg[i]);
            for (int i = 0; i < n; i++) {
                nav_key(fl, lay, NAV_PREV, 400 + i);
                build(w, h);
                seen += layout_find(lay, fl->focus) != NULL;
            }
            assert_int_equal(seen, n);
        }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tickets_and_numbers),
        cmocka_unit_test(test_pronunciation),
        cmocka_unit_test(test_result_spoken),
        cmocka_unit_test(test_reading_order),
        cmocka_unit_test(test_plan),
        cmocka_unit_test(test_keypad_journey),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
