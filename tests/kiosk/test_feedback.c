/* test_feedback.c — the welcome screen on the way out: "Did you get what you came for?" tapped,
 * missed and chosen by keypad in Welsh and English, the thank-you in the language answered and
 * said aloud, one answer a tap, nothing of anyone's check-in with it and never a check-in
 * started; and the line of the hub's figures, shown only for a figure hubd shows. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "community_line.h"
#include "directory.h"
#include "flow.h"
#include "i18n.h"
#include "layout.h"
#include "nav.h"
#include "proto/taxonomy.h"
#include "say.h"

static struct taxonomy *tax;
static struct hub_dir *dir;
static struct i18n *cy, *en;
static struct layout *lay;
static int submits, answers;
static char got_lang[8], got_answer[16];

#include "fake_measure.h"

static int fake_submit(void *self, const struct kiosk_checkin *c, struct ticket *t)
{
    submits++;
    snprintf(t->code, sizeof(t->code), "A%03d", submits);
    return 0;
}

static int fake_feedback(void *self, const char *lang, const char *answer)
{
    answers++;
    snprintf(got_lang, sizeof(got_lang), "%s", lang);
    snprintf(got_answer, sizeof(got_answer), "%s", answer);
    return 0;
}

static const struct backend backend = {.submit = fake_submit, .feedback = fake_feedback};

static int setup(void **state)
{
    char err[256];
    tax = needs_load("assets/needs.json", err, sizeof(err));
    dir = dir_load_file("assets/demo-hub.json", err, sizeof(err));
    cy = i18n_new("cy");
    en = i18n_new("en");
    lay = calloc(1, sizeof(*lay));
    if (!tax || !dir || !cy || !en || !lay ||
        i18n_load_strings(cy, "locales/cy/strings.json", err, sizeof(err)) < 0 ||
        i18n_load_strings(en, "locales/en/strings.json", err, sizeof(err)) < 0)
        return -1;
    i18n_set_fallback(cy, en);
    return 0;
}

static int teardown(void **state)
{
    needs_free(tax);
    dir_free(dir);
    i18n_free(cy);
    i18n_free(en);
    free(lay);
    return 0;
}

static void start(struct flow *f)
{
    struct flow_deps deps = {NULL, NULL, NULL, tax, dir, &backend, NULL};
    flow_init(f, NULL, &deps, 0);
    submits = answers = 0;
    got_lang[0] = got_answer[0] = '\0';
}

static void build(const struct flow *f, int w, int h)
{
    struct layout_input in = {
        .f = f, .cat = strcmp(f->lang, "cy") ? en : cy, .m = &meas, .w = w, .h = h};
    in.cats[0] = cy;
    in.cats[1] = en;
    assert_int_equal(layout_build(&in, lay), 0);
}

/* A tap at (x, y) as the shell does it: the topmost widget that takes a touch acts. */
static bool tap_at(struct flow *f, int x, int y, int64_t now)
{
    int i = layout_hit(lay, x, y);
    assert_true(i >= 0);
    return flow_act(f, lay->wg[i].action, lay->wg[i].arg, now);
}

static const struct widget *find(const char *id)
{
    const struct widget *w = layout_find(lay, id);
    if (!w)
        fail_msg("no widget %s", id);
    return w;
}

/* One tap in each language at both sizes: the answer kept with its language only, the thanks in
 * that language, the same place tapped again counts for nothing, the question back after. */
static void tap_and_thanks_both_languages(void **state)
{
    static const int sizes[2][2] = {{1080, 1920}, {1920, 1080}};
    static const char *const langs[2] = {"cy", "en"};
    static const char *const answer[2] = {"partly", "no"};
    struct flow f;
    char id[64];
    for (int s = 0; s < 2; s++)
        for (int l = 0; l < 2; l++) {
            start(&f);
            build(&f, sizes[s][0], sizes[s][1]);
            snprintf(id, sizeof(id), "feedback-%s-%s", langs[l], answer[l]);
            const struct widget *b = find(id);
            if (sizes[s][1] > sizes[s][0])
                assert_true(b->r.y >= sizes[s][1] * 2 / 5); /* within reach */
            assert_true(b->r.h >= 88);
            int x = b->r.x + b->r.w / 2, y = b->r.y + b->r.h / 2;
            assert_true(tap_at(&f, x, y, 1000));
            assert_int_equal(answers, 1);
            assert_string_equal(got_lang, langs[l]);
            assert_string_equal(got_answer, answer[l]);
            assert_int_equal(f.screen, SCR_WELCOME); /* no check-in started */
            assert_int_equal(submits, 0);
            build(&f, sizes[s][0], sizes[s][1]);
            assert_string_equal(find("feedback-thanks")->text,
                                i18n_get(l ? en : cy, "feedback.thanks"));
            assert_null(layout_find(lay, id));
            tap_at(&f, x, y, 1500); /* again, on the thank-you */
            assert_int_equal(answers, 1);
            assert_int_equal(f.screen, SCR_WELCOME);
            assert_false(flow_tick(&f, 1000 + FLOW_THANKS_MS - 1));
            assert_int_equal(flow_next_deadline(&f, 1000 + FLOW_THANKS_MS - 1), 1);
            assert_true(flow_tick(&f, 1000 + FLOW_THANKS_MS));
            build(&f, sizes[s][0], sizes[s][1]);
            assert_null(layout_find(lay, "feedback-thanks"));
            find(id);
            assert_int_equal(flow_next_deadline(&f, 1000 + FLOW_THANKS_MS), -1);
        }
}

/* A tap on the panel beside its buttons does nothing: no answer, no check-in begun. A tap
 * outside it still starts, as before. */
static void miss_never_starts_a_checkin(void **state)
{
    struct flow f;
    start(&f);
    build(&f, 1080, 1920);
    const struct widget *p = find("feedback-panel"), *yes = find("feedback-en-yes");
    assert_false(tap_at(&f, p->r.x + 4, yes->r.y + yes->r.h / 2, 10)); /* left of Yes */
    assert_false(tap_at(&f, p->r.x + p->r.w / 2, p->r.y + 3, 20));     /* its top edge */
    assert_int_equal(f.screen, SCR_WELCOME);
    assert_int_equal(answers, 0);
    assert_true(tap_at(&f, 540, 30, 30));
    assert_int_equal(f.screen, SCR_TELL);
}

/* By keypad: the answers are in reading order after the language buttons; Enter on one gives
 * it; speech says each in its own language and the thank-you after. */
static void keypad_and_speech(void **state)
{
    struct flow f;
    struct say_state st;
    struct say_out out;
    const struct i18n *cats[FLOW_LANGS_MAX] = {cy, en};
    start(&f);
    memset(&st, 0, sizeof(st));
    build(&f, 1080, 1920);
    int steps = 0, lang_seen = -1;
    while (strcmp(f.focus, "feedback-cy-yes") != 0 && steps < 40) {
        nav_key(&f, lay, NAV_NEXT, 100 + steps);
        build(&f, 1080, 1920);
        if (strcmp(f.focus, "lang-en") == 0)
            lang_seen = steps;
        steps++;
    }
    assert_string_equal(f.focus, "feedback-cy-yes");
    assert_true(lang_seen >= 0); /* after the language buttons */
    assert_true(f.speech);       /* a keypad key turns speech on */
    assert_true(say_plan(&st, &f, lay, cy, cats, &out));
    bool said = false;
    for (int i = 0; i < out.n; i++)
        said |= strcmp(out.seg[i].lang, "cy") == 0 &&
                strstr(out.seg[i].text, "Gawsoch chi beth ddaethoch chi amdano? Do.") != NULL;
    assert_true(said);
    nav_key(&f, lay, NAV_NEXT, 200);
    build(&f, 1080, 1920);
    assert_string_equal(f.focus, "feedback-cy-partly");
    assert_true(say_plan(&st, &f, lay, cy, cats, &out));
    assert_string_equal(out.seg[0].lang, "cy");
    assert_non_null(strstr(out.seg[0].text, "Yn rhannol"));
    for (int k = 0; k < 3 && strcmp(f.focus, "feedback-en-partly") != 0; k++)
        nav_key(&f, lay, NAV_NEXT, 300 + k);
    assert_string_equal(f.focus, "feedback-en-partly");
    build(&f, 1080, 1920);
    say_plan(&st, &f, lay, cy, cats, &out);
    assert_string_equal(out.seg[0].lang, "en");
    assert_true(nav_key(&f, lay, NAV_ENTER, 400));
    assert_int_equal(answers, 1);
    assert_string_equal(got_lang, "en");
    assert_string_equal(got_answer, "partly");
    assert_int_equal(f.screen, SCR_WELCOME);
    build(&f, 1080, 1920);
    assert_true(say_plan(&st, &f, lay, cy, cats, &out));
    assert_int_equal(out.n, 1);
    assert_string_equal(out.seg[0].lang, "en");
    assert_string_equal(out.seg[0].text, "Thank you for telling us.");
}

/* The welcome screen read aloud in each language carries the question and how to reach it. */
static void welcome_says_the_question(void **state)
{
    struct flow f;
    struct say_state st;
    struct say_out out;
    const struct i18n *cats[FLOW_LANGS_MAX] = {cy, en};
    start(&f);
    f.speech = true;
    memset(&st, 0, sizeof(st));
    build(&f, 1080, 1920);
    assert_true(say_plan(&st, &f, lay, cy, cats, &out));
    assert_int_equal(out.n, 2);
    assert_non_null(strstr(out.seg[0].text, i18n_get(cy, "say.feedback")));
    assert_non_null(strstr(out.seg[1].text, i18n_get(en, "say.feedback")));
}

static int count_prefix(const char *prefix)
{
    int n = 0;
    for (int i = 0; i < lay->n; i++)
        n += strncmp(lay->wg[i].id, prefix, strlen(prefix)) == 0;
    return n;
}

/* The line of figures: only for a figure hubd shows; the largest first, the next resident the
 * next; none while offline; its number said in Welsh words by the Welsh voice. */
static void community_line_only_for_real_figures(void **state)
{
    struct flow f;
    struct community_figs c = {.month = "2026-11", .count = {-1, -1, -1}};
    start(&f);
    assert_false(flow_set_community(&f, &c)); /* all withheld: nothing to show */
    build(&f, 1080, 1920);
    assert_int_equal(count_prefix("community-"), 0);
    c.count[DOMAIN_BENEFITS] = 212;
    c.count[DOMAIN_HOUSING] = 31;
    assert_true(flow_set_community(&f, &c));
    int sizes[3][2] = {{1080, 1920}, {1920, 1080}, {800, 480}};
    for (int s = 0; s < 3; s++) {
        build(&f, sizes[s][0], sizes[s][1]);
        assert_string_equal(find("community-en")->text,
                            "Last month 212 neighbours came in about money and bills");
        assert_string_equal(find("community-cy")->text,
                            "Y mis diwethaf, daeth 212 o gymdogion i mewn am arian a biliau");
    }
    struct say_state st;
    struct say_out out;
    const struct i18n *cats[FLOW_LANGS_MAX] = {cy, en};
    memset(&st, 0, sizeof(st));
    f.speech = true;
    build(&f, 1080, 1920);
    assert_true(say_plan(&st, &f, lay, cy, cats, &out));
    char n212[64];
    say_number(212, "cy", n212, sizeof(n212));
    assert_non_null(strstr(out.seg[0].text, n212));
    assert_null(strstr(out.seg[0].text, "212"));
    flow_act(&f, ACT_BEGIN, 0, 10); /* the next resident ... */
    flow_reset(&f, 20);             /* ... and back: the next figure */
    build(&f, 1080, 1920);
    assert_string_equal(find("community-en")->text,
                        "Last month 31 neighbours came in about somewhere to live");
    struct flow_status offline = {.known = true, .online = false};
    flow_set_status(&f, &offline);
    build(&f, 1080, 1920);
    assert_int_equal(count_prefix("community-"), 0);
    flow_set_community(&f, NULL); /* hubd has none now */
    struct flow_status online = {.known = true, .online = true};
    flow_set_status(&f, &online);
    build(&f, 1080, 1920);
    assert_int_equal(count_prefix("community-"), 0); /* the figures were taken away */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(tap_and_thanks_both_languages),
        cmocka_unit_test(miss_never_starts_a_checkin),
        cmocka_unit_test(keypad_and_speech),
        cmocka_unit_test(welcome_says_the_question),
        cmocka_unit_test(community_line_only_for_real_figures),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
