/* test_layout.c — every kiosk screen laid out at 800x480, 1080x1920 and 1920x1080, in Welsh and
 * English, normal and big text: no text overflows its box, touch targets are big enough, nothing
 * touchable overlaps, everything is on screen. Text is measured by a stand-in for SDL_ttf. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "crisis.h"
#include "directory.h"
#include "flow.h"
#include "i18n.h"
#include "layout.h"
#include "matcher.h"
#include "proto/taxonomy.h"

/* Bigger text makes the median text of every screen at least this much larger. */
#define BIG_TEXT_MEDIAN 1.25

static struct taxonomy *tax;
static struct hub_dir *dir;
static struct i18n *cy, *en;
static struct layout *lay;

#include "fake_measure.h"

static int fake_route(void *ctx, const char *text, size_t len, const char *lang,
                      struct route_result *out)
{
    static const char *const ids[] = {"eviction",         "landlord_problems", "rent_arrears",
                                      "universal_credit", "damp_mould",        "energy_bills"};
    (void)ctx;
    (void)len;
    (void)lang;
    memset(out, 0, sizeof(*out));
    if (strstr(text, "zzz"))
        return 0;
    if (strstr(text, "tonight") || strstr(text, "kill")) {
        out->needs[0].need =
            needs_find(tax, strstr(text, "kill") ? "suicidal_thoughts" : "homeless_tonight");
        out->n_needs = 1;
        out->urgent = true;
        return 0;
    }
    for (int i = 0; i < 6 && text[0]; i++)
        out->needs[out->n_needs++].need = needs_find(tax, ids[i]);
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
    snprintf(t->code, sizeof(t->code), "A123");
    t->position = 3;
    t->wait_min = 35;
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
    if (!tax || !dir || !cy || !en || !lay)
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
    return 0;
}

static const char long_text[] =
    "my landlord wants me out and I am behind with the rent and universal credit stopped and "
    "there is damp and mould everywhere and the gas bill is huge and I do not know what to do "
    "any more because nobody listens and I have been to so many places already this month";

/* Puts f on screen s (lang 0 = cy, 1 = en) by the actions a resident would take. */
/* What staff would see in three states: fine, hubd away with check-ins waiting and the disk
 * failing (the longest texts), and a kiosk without hubd. */
static void staff_status(struct flow *f, int variant)
{
    struct flow_status st = {.known = variant != 0, .online = variant == 1};
    st.since_contact_s = variant == 1 ? 3 : 4000;
    st.offline_s = variant == 1 ? 0 : 4000;
    st.pending = variant == 1 ? 0 : 1234;
    st.set_aside = variant == 2 ? 2 : 0;
    st.store_durable = variant != 2;
    if (variant == 2) {
        snprintf(st.store_why, sizeof(st.store_why),
                 "the disk holding /var/lib/hub-kiosk/data/kiosk/kiosk.db is full; check-ins "
                 "are kept in memory only");
        snprintf(st.last_error, sizeof(st.last_error),
                 "/api/v1/checkins: Timeout was reached after 20000 milliseconds");
    }
    snprintf(st.server, sizeof(st.server), "https://hubd.pontypridd.example.gov.uk:8443");
    flow_set_status(f, &st);
}

static void reach(struct flow *f, enum screen s, int lang, int variant)
{
    struct flow_deps deps = {NULL, fake_route, real_match, tax, dir, &be, NULL};
    struct flow_config cfg;
    flow_config_default(&cfg);
    snprintf(cfg.staff_pin, sizeof(cfg.staff_pin), "2468");
    flow_init(f, &cfg, &deps, 0);
    if (s == SCR_WELCOME) {
        if (variant == 1) /* the notice to staff */
            staff_status(f, 2);
        return;
    }
    if (s == SCR_STAFF_PIN || s == SCR_STAFF) {
        if (lang == 1)
            flow_act(f, ACT_TOGGLE_LANG, 0, 0);
        flow_act(f, ACT_STAFF, 0, 0);
        for (int i = 0; i < (s == SCR_STAFF || variant == 1 ? 4 : variant == 2 ? 3 : 0); i++)
            flow_act(f, ACT_PIN, 2 * (i + 1) % 10, 0);
        if (s == SCR_STAFF || variant == 1) {
            if (variant == 1 && s == SCR_STAFF_PIN)
                flow_act(f, ACT_PIN, 9, 0); /* five digits: wrong */
            flow_act(f, ACT_PIN_OK, 0, 0);
        }
        if (s == SCR_STAFF)
            staff_status(f, variant);
        return;
    }
    if (s ==
        SCR_URGENT) { /* typed words; help now before a language; thoughts of suicide; a tile */
        if (variant == 1) {
            if (lang == 1)
                flow_act(f, ACT_TOGGLE_LANG, 0, 0);
            flow_act(f, ACT_HELP_NOW, 0, 0);
            return;
        }
        flow_act(f, ACT_SET_LANG, lang, 0);
        if (variant == 3) {
            flow_act(f, ACT_TOPICS, 0, 0);
            flow_act(f, ACT_URGENT_TOPIC, needs_find(tax, "in_danger"), 0);
            return;
        }
        flow_type(f, variant == 2 ? "I want to kill myself" : "nowhere tonight", 0);
        flow_act(f, ACT_NEXT, 0, 0);
        return;
    }
    flow_act(f, ACT_SET_LANG, lang, 0);
    if (s == SCR_PEOPLE) {
        flow_act(f, ACT_KNOW, 0, 0);
        return;
    }
    if (s == SCR_TOPICS || s == SCR_SUBTOPICS || (variant == 2 && s >= SCR_CHECK)) {
        if (variant == 1) { /* not understood: the topics screen says so */
            flow_type(f, "zzz", 0);
            flow_act(f, ACT_NEXT, 0, 0);
        } else {
            flow_act(f, ACT_TOPICS, 0, 0);
        }
        if (s == SCR_TOPICS)
            return;
        flow_act(f, ACT_TOPIC,
                 variant == 2 && s != SCR_SUBTOPICS ? DOMAIN_COUNT : variant % DOMAIN_COUNT, 0);
        if (s == SCR_SUBTOPICS)
            return;
    } else if (variant == 3 && s >= SCR_CHECK) {
        flow_act(f, ACT_KNOW, 0, 0);
        flow_act(f, ACT_WORKER, dir_find(dir, "w-megan"), 0);
    } else {
        if (variant == 1)
            flow_type(f, long_text, 0);
        else if (s != SCR_TELL || variant == 0)
            flow_type(f, "my landlord wants me out", 0);
        if (s == SCR_TELL)
            return;
        flow_act(f, ACT_NEXT, 0, 0);
    }
    if (s == SCR_CHECK)
        return;
    flow_act(f, ACT_YES, 0, 0);
    if (variant == 1)
        flow_type(f, "Bartholomew-Llewellyn", 0);
    if (s == SCR_NAME)
        return;
    flow_act(f, ACT_NEXT, 0, 0);
    if (s == SCR_CONSENT)
        return;
    if (f->screen == SCR_CONSENT)
        flow_act(f, ACT_CONSENT_YES, 0, 0);
    if (s == SCR_DONE)
        flow_act(f, ACT_FINISH, 0, 0);
}

static bool overlaps(const struct wrect *a, const struct wrect *b)
{
    return a->x < b->x + b->w && b->x < a->x + a->w && a->y < b->y + b->h && b->y < a->y + a->h;
}

static int checked;

/* How many ways reach() has to show each screen. */
static const int variants[SCR_COUNT] = {
    [SCR_WELCOME] = 2, [SCR_TELL] = 3,   [SCR_TOPICS] = 2, [SCR_SUBTOPICS] = 3,
    [SCR_PEOPLE] = 1,  [SCR_CHECK] = 4,  [SCR_NAME] = 2,   [SCR_CONSENT] = 2,
    [SCR_RESULT] = 4,  [SCR_URGENT] = 4, [SCR_DONE] = 1,   [SCR_STAFF_PIN] = 3,
    [SCR_STAFF] = 3,
};

static void check_layout(const struct flow *f, int w, int h)
{
    struct layout_input in = {
        .f = f, .cat = strcmp(f->lang, "cy") ? en : cy, .m = &meas, .w = w, .h = h};
    in.cats[0] = cy;
    in.cats[1] = en;
    assert_int_equal(layout_build(&in, lay), 0);
    assert_int_equal(lay->screen, f->screen);
    assert_true(lay->n > 3 && lay->n < LAYOUT_WIDGETS_MAX);
    int target = layout_target(w, h);
    char where[128];
    for (int i = 0; i < lay->n; i++) {
        const struct widget *x = &lay->wg[i];
        snprintf(where, sizeof(where), "%dx%d %s %s big=%d idle=%d: %s", w, h,
                 screen_name(f->screen), f->lang, f->big_text, f->idle_prompt, x->id);
        if (!x->fits || x->text_w > x->box.w || x->text_h > x->box.h || x->r.x < 0 || x->r.y < 0 ||
            x->r.x + x->r.w > w || x->r.y + x->r.h > h)
            fail_msg("%s: \"%s\" %dx%d in box %dx%d, rect %d,%d %dx%d", where, x->text, x->text_w,
                     x->text_h, x->box.w, x->box.h, x->r.x, x->r.y, x->r.w, x->r.h);
        if (x->text[0] && x->px < 10)
            fail_msg("%s: text shrunk to %d px", where, x->px);
        bool staff = f->screen == SCR_STAFF || f->screen == SCR_STAFF_PIN;     /* (long URLs) */
        for (int l = 1; l < x->n_lines && x->role != R_FIELD && !staff; l++) { /* no word cut */
            int at = x->line_start[l];
            if (at > 0 && x->text[at - 1] != ' ' && x->text[at - 1] != '\n' && x->text[at] != ' ')
                fail_msg("%s: \"%s\" cut inside a word at line %d", where, x->text, l);
        }
        if (x->action == ACT_NONE || x->role == R_BACKDROP)
            continue;
        /* 88 px is the floor on the big panels (44 mm on a 43-inch one), 48 on the smallest */
        int least = target * 9 / 10 < 88 ? target * 9 / 10 : 88;
        if (x->r.w < 48 || x->r.h < 48 || x->r.h < least)
            fail_msg("%s: touch target %dx%d (want %d)", where, x->r.w, x->r.h, least);
        /* reach: on a portrait screen every resident control is in the lower 60% */
        if (h > w && !staff && x->r.y < h * 2 / 5)
            fail_msg("%s: out of reach at y=%d (want >= %d)", where, x->r.y, h * 2 / 5);
        for (int j = i + 1; j < lay->n && !f->idle_prompt; j++) {
            const struct widget *y = &lay->wg[j];
            if (y->action != ACT_NONE && y->role != R_BACKDROP && overlaps(&x->r, &y->r))
                fail_msg("%s overlaps %s", where, y->id);
        }
    }
    checked++;
}

static void test_every_screen(void **state)
{
    static const int sizes[][2] = {{800, 480}, {1080, 1920}, {1920, 1080}, {1280, 800}};
    struct flow *f = calloc(1, sizeof(*f));
    (void)state;
    assert_non_null(f);
    for (size_t z = 0; z < sizeof(sizes) / sizeof(sizes[0]); z++)
        for (int lang = 0; lang < 2; lang++)
            for (int s = 0; s < SCR_COUNT; s++)
                for (int v = 0; v < variants[s]; v++)
                    for (int big = 0; big < 2; big++)
                        for (int idle = 0; idle < 2; idle++) {
                            reach(f, (enum screen)s, lang, v);
                            if (f->screen != (enum screen)s)
                                fail_msg("could not reach %s (variant %d), got %s",
                                         screen_name((enum screen)s), v, screen_name(f->screen));
                            if (big)
                                flow_act(f, ACT_TEXT_SIZE, 0, 0);
                            if (idle)
                                flow_tick(f, 1000000);
                            check_layout(f, sizes[z][0], sizes[z][1]);
                        }
    free(f);
    print_message("%d layouts checked\n", checked);
}

static void test_targets_and_scale(void **state)
{
    (void)state;
    assert_int_equal(layout_target(800, 480), 48);
    assert_true(layout_target(1080, 1920) >= 96); /* proportionally larger on big screens */
    assert_true(layout_target(1920, 1080) == layout_target(1080, 1920));
    /* body text at least 28 px at 1080 wide */
    struct flow f;
    reach(&f, SCR_NAME, 1, 0);
    struct layout_input in = {.f = &f, .cat = en, .m = &meas, .w = 1080, .h = 1920};
    in.cats[0] = cy;
    in.cats[1] = en;
    layout_build(&in, lay);
    const struct widget *sub = layout_find(lay, "subtitle");
    assert_non_null(sub);
    assert_true(sub->px >= 28);
    int normal = sub->px;
    flow_act(&f, ACT_TEXT_SIZE, 0, 0);
    layout_build(&in, lay);
    sub = layout_find(lay, "subtitle");
    assert_true(sub->px * 10 >= normal * 15 - 10); /* bigger text is 1.5 times */
    assert_true(lay->type_scale >= 1.5);
    /* the keyboard has every letter and the accent key; the hit test finds them */
    const struct widget *k = layout_find(lay, "key-w");
    assert_non_null(k);
    int hit = layout_hit(lay, k->r.x + k->r.w / 2, k->r.y + k->r.h / 2);
    assert_true(hit >= 0);
    assert_string_equal(lay->wg[hit].id, "key-w");
    assert_non_null(layout_find(lay, "key-accent"));
    assert_int_equal(layout_hit(lay, -5, -5), -1);
    /* too small a screen is refused */
    in.w = 100;
    assert_int_equal(layout_build(&in, lay), -1);
}

static void test_dump(void **state)
{
    struct flow f;
    (void)state;
    reach(&f, SCR_RESULT, 1, 0);
    struct layout_input in = {.f = &f, .cat = en, .m = &meas, .w = 1080, .h = 1920};
    in.cats[0] = cy;
    in.cats[1] = en;
    layout_build(&in, lay);
    char *json = layout_dump_json(lay);
    assert_non_null(json);
    assert_non_null(strstr(json, "\"screen\":\"result\""));
    assert_non_null(strstr(json, "\"id\":\"worker-name\""));
    assert_non_null(strstr(json, "\"rect\":["));
    assert_null(strstr(json, "\"fits\":false"));
    free(json);
}

/* The ticket shows at once; while hubd's position and wait may still come, those two cards
 * show an ellipsis in the very boxes they will fill, so nothing moves when they come. The
 * first in line reads "You're next"; with hubd unreachable, reception will tell them how long
 * (never a number the kiosk made up). */
static void test_ticket_pending(void **state)
{
    static const char *const ids[] = {"wait", "ahead", "ticket"};
    struct flow f;
    struct wrect before[3];
    (void)state;
    reach(&f, SCR_RESULT, 1, 0);
    struct layout_input in = {.f = &f, .cat = en, .m = &meas, .w = 1280, .h = 800};
    in.cats[0] = cy;
    in.cats[1] = en;
    f.queue_pending = true;
    layout_build(&in, lay);
    for (int i = 0; i < 3; i++) {
        const struct widget *w = layout_find(lay, ids[i]);
        assert_non_null(w);
        if (i < 2)
            assert_string_equal(w->text, "\u2026");
        before[i] = w->r;
    }
    char code[16];
    snprintf(code, sizeof(code), "%s", f.ticket.code);
    assert_string_equal(layout_find(lay, "ticket")->text, code); /* at once */
    struct ticket t = {.code = "H-99", .position = 0, .wait_min = 25};
    assert_true(flow_settle_queue(&f, &t));
    layout_build(&in, lay);
    assert_string_equal(layout_find(lay, "ticket")->text, code);
    assert_string_equal(layout_find(lay, "ahead")->text, "You're next");
    assert_non_null(strstr(layout_find(lay, "wait")->text, "25"));
    for (int i = 0; i < 3; i++) {
        const struct widget *w = layout_find(lay, ids[i]);
        assert_memory_equal(&w->r, &before[i], sizeof(before[i]));
    }
    /* offline: no numbers at all */
    f.ticket.position = f.ticket.wait_min = -1;
    layout_build(&in, lay);
    assert_string_equal(layout_find(lay, "wait")->text, "Reception will tell you how long");
    assert_string_equal(layout_find(lay, "ahead")->text, "Your place is saved");
    in.cat = cy;
    layout_build(&in, lay);
    assert_string_equal(layout_find(lay, "wait")->text,
                        "Bydd y dderbynfa'n dweud wrthoch chi pa mor hir");
    assert_null(strstr(layout_find(lay, "ahead")->text, "-1"));
}

/* The staff notice and the hidden corner sit clear of everything a resident taps, at every
 * size; the corner keeps a short tap starting, like the rest of the welcome screen. */
static void test_staff_notice(void **state)
{
    static const int sizes[][2] = {{800, 480}, {1080, 1920}, {1920, 1080}, {1280, 800}};
    struct flow f;
    (void)state;
    for (size_t z = 0; z < sizeof(sizes) / sizeof(sizes[0]); z++)
        for (int lang = 0; lang < 2; lang++)
            for (int big = 0; big < 2; big++) {
                reach(&f, SCR_WELCOME, lang, 1);
                if (lang)
                    flow_act(&f, ACT_TOGGLE_LANG, 0, 0);
                if (big)
                    flow_act(&f, ACT_TEXT_SIZE, 0, 0);
                struct layout_input in = {
                    .f = &f, .cat = lang ? en : cy, .m = &meas, .w = sizes[z][0], .h = sizes[z][1]};
                in.cats[0] = cy;
                in.cats[1] = en;
                assert_int_equal(layout_build(&in, lay), 0);
                const struct widget *n = layout_find(lay, "staff-notice");
                const struct widget *c = layout_find(lay, "staff-corner");
                assert_non_null(n);
                assert_non_null(c);
                assert_true(layout_find(lay, "staff-notice-text")->fits);
                assert_non_null(strstr(layout_find(lay, "staff-notice-text")->text, "Staff"));
                assert_int_equal(c->hold, ACT_STAFF);
                assert_int_equal(c->action, ACT_BEGIN);
                assert_true(c->r.w >= layout_target(in.w, in.h));
                for (int i = 0; i < lay->n; i++) {
                    const struct widget *x = &lay->wg[i];
                    if (x->action == ACT_NONE || x->role == R_BACKDROP)
                        continue;
                    if (overlaps(&x->r, &n->r) || overlaps(&x->r, &c->r))
                        fail_msg("%dx%d: %s under the staff notice or corner", in.w, in.h, x->id);
                }
                assert_false(overlaps(&n->r, &c->r));
            }
    reach(&f, SCR_WELCOME, 0, 0); /* nothing wrong: no notice */
    struct layout_input in = {.f = &f, .cat = cy, .m = &meas, .w = 1280, .h = 800};
    in.cats[0] = cy;
    in.cats[1] = en;
    layout_build(&in, lay);
    assert_null(layout_find(lay, "staff-notice"));
    assert_non_null(layout_find(lay, "staff-corner"));
}

/* Lays out f's screen at w x h in its language. */
static void build(const struct flow *f, int w, int h)
{
    struct layout_input in = {
        .f = f, .cat = strcmp(f->lang, "cy") ? en : cy, .m = &meas, .w = w, .h = h};
    in.cats[0] = cy;
    in.cats[1] = en;
    assert_int_equal(layout_build(&in, lay), 0);
}

static const int sizes[][2] = {{800, 480}, {1080, 1920}, {1920, 1080}, {1280, 800}};
#define N_SIZES ((int)(sizeof(sizes) / sizeof(sizes[0])))

/* "I need help now" on every resident screen but urgent, at every size, in both languages,
 * normal and big text: at least LAYOUT_HELP_MIN_H tall, in reach (in portrait in the lower 60%
 * of the screen, in landscape in the lower half), the button a tap there finds, its words in the
 * screen's language (on welcome, in both), and nothing else on top of it. */
static void test_help_now_placement(void **state)
{
    static const enum screen from[] = {SCR_WELCOME, SCR_TELL,  SCR_TOPICS, SCR_SUBTOPICS,
                                       SCR_PEOPLE,  SCR_CHECK, SCR_NAME,   SCR_CONSENT,
                                       SCR_RESULT,  SCR_DONE,  SCR_URGENT};
    struct flow f;
    char where[160];
    (void)state;
    for (int z = 0; z < N_SIZES; z++)
        for (int lang = 0; lang < 2; lang++)
            for (int big = 0; big < 2; big++)
                for (size_t i = 0; i < sizeof(from) / sizeof(from[0]); i++)
                    for (int v = 0; v < (from[i] == SCR_TOPICS ? 2 : 1); v++) {
                        int w = sizes[z][0], h = sizes[z][1];
                        reach(&f, from[i], lang, v);
                        if (big)
                            flow_act(&f, ACT_TEXT_SIZE, 0, 0);
                        build(&f, w, h);
                        snprintf(where, sizeof(where), "%dx%d %s %s big=%d v=%d", w, h,
                                 screen_name(f.screen), f.lang, big, v);
                        const struct widget *x = layout_find(lay, "help-now");
                        if (from[i] == SCR_URGENT) { /* it is where help now leads */
                            if (x)
                                fail_msg("%s: help now on the urgent screen", where);
                            continue;
                        }
                        if (!x)
                            fail_msg("%s: no help now", where);
                        if (x->r.h < LAYOUT_HELP_MIN_H || x->r.w < LAYOUT_HELP_MIN_H)
                            fail_msg("%s: help now %dx%d", where, x->r.w, x->r.h);
                        bool portrait = h > w;
                        if (portrait ? x->r.y * 10 < h * 4 : x->r.y * 2 < h)
                            fail_msg("%s: help now at y=%d of %d: out of reach", where, x->r.y, h);
                        assert_int_equal(x->role, R_BUTTON);
                        assert_int_equal(x->style, ST_HELP_NOW);
                        assert_int_equal(x->action, ACT_HELP_NOW);
                        assert_true(x->fits);
                        int hit = layout_hit(lay, x->r.x + x->r.w / 2, x->r.y + x->r.h / 2);
                        assert_true(hit >= 0);
                        assert_string_equal(lay->wg[hit].id, "help-now");
                        if (f.screen == SCR_WELCOME) {
                            assert_non_null(strstr(x->text, "Dw i angen help nawr"));
                            assert_non_null(strstr(x->text, "I need help now"));
                        } else {
                            assert_string_equal(x->text,
                                                lang ? "I need help now" : "Dw i angen help nawr");
                        }
                    }
    /* the colour reads as important against the screen and passes AA for its words */
    for (int hc = 0; hc < 2; hc++) {
        const struct theme *t = theme_get(hc);
        assert_true(rgb_contrast(t->st[ST_HELP_NOW].fg, t->st[ST_HELP_NOW].bg) >= 4.5);
        assert_true(rgb_contrast(t->st[ST_HELP_NOW].fg, t->st[ST_HELP_NOW].pressed_bg) >= 4.5);
        assert_true(rgb_contrast(t->st[ST_HELP_NOW].bg, t->screen_bg) >= 3.0 ||
                    t->st[ST_HELP_NOW].has_border);
        assert_true(rgb_contrast(t->st[ST_URGENT_TILE].fg, t->st[ST_URGENT_TILE].bg) >= 4.5);
    }
}

/* Topics: the three urgent tiles, each with its urgent need; "Ask at reception" only when the
 * words were not understood. */
static void test_topic_tiles(void **state)
{
    static const char *const ids[] = {"homeless_tonight", "in_danger", "medical_emergency"};
    static const char *const cyw[] = {"Rhywle i aros heno", "Dw i ddim yn teimlo'n ddiogel",
                                      "Mae rhywun wedi brifo neu'n sâl nawr"};
    static const char *const enw[] = {"Somewhere to stay tonight", "I don't feel safe",
                                      "Someone is hurt or ill now"};
    struct flow f;
    (void)state;
    for (int z = 0; z < N_SIZES; z++)
        for (int lang = 0; lang < 2; lang++)
            for (int v = 0; v < 2; v++) {
                reach(&f, SCR_TOPICS, lang, v);
                build(&f, sizes[z][0], sizes[z][1]);
                for (int i = 0; i < 3; i++) {
                    char id[64];
                    snprintf(id, sizeof(id), "urgent-%s", ids[i]);
                    const struct widget *t = layout_find(lay, id);
                    assert_non_null(t);
                    assert_int_equal(t->role, R_TILE);
                    assert_int_equal(t->style, ST_URGENT_TILE);
                    assert_int_equal(t->action, ACT_URGENT_TOPIC);
                    assert_int_equal(t->arg, needs_find(tax, ids[i]));
                    assert_string_equal(t->text, lang ? enw[i] : cyw[i]);
                    assert_true(t->fits);
                }
                const struct widget *a = layout_find(lay, "ask-reception");
                if (!v) {
                    assert_null(a);
                    continue;
                }
                assert_non_null(a);
                assert_int_equal(a->action, ACT_ASK_RECEPTION);
                assert_string_equal(a->text, lang ? "Ask at reception" : "Gofyn yn y dderbynfa");
                assert_non_null(layout_find(lay, "unsure"));
            }
}

/* The urgent screen: where to go and where reception is, in the resident's language (in both
 * when no language was chosen), and the crisis lines picked for what was said, no more than
 * three, in large type, with the text relay note. */
static void test_urgent_screen(void **state)
{
    struct flow f;
    (void)state;
    for (int z = 0; z < N_SIZES; z++)
        for (int lang = 0; lang < 2; lang++)
            for (int v = 0; v < 4; v++) {
                reach(&f, SCR_URGENT, lang, v);
                assert_int_equal(f.screen, SCR_URGENT);
                build(&f, sizes[z][0], sizes[z][1]);
                const struct i18n *c = lang ? en : cy;
                const char *ids[ROUTE_MAX_NEEDS];
                for (int i = 0; i < f.n_sel; i++)
                    ids[i] = tax->needs[f.sel[i]].id;
                enum crisis_line want[CRISIS_MAX];
                int n = crisis_pick(ids, f.n_sel, want);
                assert_string_equal(layout_find(lay, "title")->text, i18n_get(c, "urgent.title"));
                assert_string_equal(layout_find(lay, "where")->text, i18n_get(c, "urgent.where"));
                const struct widget *body = layout_find(lay, "body");
                assert_non_null(body);
                int lines = 0;
                for (int i = 0; i < lay->n; i++)
                    lines += strncmp(lay->wg[i].id, "line-", 5) == 0;
                assert_int_equal(lines, n);
                assert_true(lines <= CRISIS_MAX);
                for (int i = 0; i < n; i++) {
                    char id[64], text[600];
                    snprintf(id, sizeof(id), "line-%s", crisis_id(want[i]));
                    const struct widget *x = layout_find(lay, id);
                    assert_non_null(x);
                    crisis_text(c, want[i], text, sizeof(text));
                    assert_string_equal(x->text, text);
                    assert_true(x->px > body->px); /* large */
                    assert_true(x->bold);
                }
                char relay[600];
                crisis_relay_text(c, relay, sizeof(relay));
                assert_string_equal(layout_find(lay, "relay")->text, relay);
                /* help now before a language was chosen: the title in the other one too */
                const struct widget *other = layout_find(lay, lang ? "title-cy" : "title-en");
                if (v == 1) {
                    assert_non_null(other);
                    assert_string_equal(other->text, i18n_get(lang ? cy : en, "urgent.title"));
                } else {
                    assert_null(other);
                }
                /* what was said decides the lines */
                if (v == 1)
                    assert_int_equal(n, 2); /* no needs: 999 and Samaritans */
                if (v == 2)
                    assert_non_null(layout_find(lay, "line-mental-health"));
                if (v == 3) {
                    assert_non_null(layout_find(lay, "line-999"));
                    assert_null(layout_find(lay, "line-samaritans"));
                }
                assert_non_null(layout_find(lay, "finish"));
            }
}

/* Desks in Welsh on Welsh screens: the directory's desk_cy where it has one (a desk no lookup
 * could translate), the desk as it is on English screens; on the result screen, in its QR code
 * and on the thank-you screen. */
static void test_desk_cy(void **state)
{
    static const char json[] =
        "{\"hub\": {\"id\": \"h\", \"name\": \"Hyb\", \"timezone\": \"Europe/London\"},"
        " \"workers\": [{\"id\": \"w-eira\", \"name\": \"Eira Lloyd\", \"role\": \"Housing\","
        " \"domains\": [\"housing\"], \"needs\": [], \"languages\": [\"en\", \"cy\"],"
        " \"desk\": \"Garden office\", \"desk_cy\": \"Swyddfa'r ardd\", \"duty\": true,"
        " \"status\": \"available\"}]}";
    char err[256];
    (void)state;
    struct hub_dir *one = dir_parse(json, sizeof(json) - 1, err, sizeof(err));
    assert_non_null(one);
    assert_string_equal(one->workers[0].desk_cy, "Swyddfa'r ardd");
    struct hub_dir *keep = dir;
    struct flow *f = calloc(1, sizeof(*f));
    assert_non_null(f);
    dir = one;
    for (int lang = 0; lang < 2; lang++) {
        const char *want = lang ? "Garden office" : "Swyddfa'r ardd";
        const char *other = lang ? "Swyddfa'r ardd" : "Garden office";
        reach(f, SCR_RESULT, lang, 0);
        struct layout_input in = {.f = f, .cat = lang ? en : cy, .m = &meas, .w = 1080, .h = 1920};
        in.cats[0] = cy;
        in.cats[1] = en;
        assert_int_equal(layout_build(&in, lay), 0);
        const struct widget *where = layout_find(lay, "where");
        const struct widget *qr = layout_find(lay, "qr");
        assert_non_null(where);
        assert_non_null(qr);
        assert_non_null(strstr(where->text, want));
        assert_non_null(strstr(qr->text, want));
        assert_null(strstr(qr->text, other));
        flow_act(f, ACT_FINISH, 0, 0);
        assert_int_equal(layout_build(&in, lay), 0);
        const struct widget *done = layout_find(lay, "done-where");
        assert_non_null(done);
        assert_non_null(strstr(done->text, want));
    }
    /* no desk_cy: the Welsh screen looks the desk's words up, as before ("Room 2") */
    snprintf(one->workers[0].desk, sizeof(one->workers[0].desk), "Room 2");
    one->workers[0].desk_cy[0] = '\0';
    reach(f, SCR_RESULT, 0, 0);
    struct layout_input in = {.f = f, .cat = cy, .m = &meas, .w = 1080, .h = 1920};
    in.cats[0] = cy;
    in.cats[1] = en;
    assert_int_equal(layout_build(&in, lay), 0);
    assert_non_null(strstr(layout_find(lay, "where")->text, "Ystafell 2"));
    dir = keep;
    dir_free(one);
    free(f);
}

/* Bigger text, measured from the dump trees: a screen's widgets as (id, font_px), every page of
 * what was heard included (the chips' "more" pages through them: nothing is dropped that a tap
 * cannot bring back). */
struct dumped {
    int n;
    char id[LAYOUT_WIDGETS_MAX * 4][WIDGET_ID_MAX];
    int px[LAYOUT_WIDGETS_MAX * 4];
    bool text[LAYOUT_WIDGETS_MAX * 4];
};

static void dump_add(struct dumped *d, const struct layout *l)
{
    char *json = layout_dump_json(l);
    assert_non_null(json);
    for (char *line = strchr(json, '\n'); line && d->n < LAYOUT_WIDGETS_MAX * 4;
         line = strchr(line + 1, '\n')) {
        cJSON *o = cJSON_Parse(line + 1); /* one widget a line */
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(o, "id");
        const cJSON *px = cJSON_GetObjectItemCaseSensitive(o, "font_px");
        const cJSON *tx = cJSON_GetObjectItemCaseSensitive(o, "text");
        const cJSON *role = cJSON_GetObjectItemCaseSensitive(o, "role");
        if (cJSON_IsString(id) && id->valuestring[0] && cJSON_IsNumber(px)) {
            bool seen = false;
            for (int i = 0; i < d->n && !seen; i++)
                seen = strcmp(d->id[i], id->valuestring) == 0;
            if (!seen) {
                snprintf(d->id[d->n], WIDGET_ID_MAX, "%s", id->valuestring);
                d->px[d->n] = px->valueint;
                /* text a resident reads (a QR code's "text" is what it holds, not shown) */
                d->text[d->n] = cJSON_IsString(tx) && tx->valuestring[0] &&
                                !(cJSON_IsString(role) && strcmp(role->valuestring, "qr") == 0);
                d->n++;
            }
        }
        cJSON_Delete(o);
    }
    free(json);
}

/* LAYOUT_DUMP=FILE: every tree the bigger-text test builds is appended to FILE, one header line
 * (size, language, text size, screen, page) before each, so that two builds of the kiosk can be
 * compared tree by tree (a change meant to move nothing leaves FILE byte-identical). */
static void dump_save(const struct flow *f, int w, int h, int page, const struct layout *l)
{
    const char *path = getenv("LAYOUT_DUMP");
    if (!path || !path[0])
        return;
    FILE *out = fopen(path, "a");
    assert_non_null(out);
    char *json = layout_dump_json(l);
    assert_non_null(json);
    fprintf(out, "# %dx%d %s %s %s page %d\n%s\n", w, h, f->lang, f->big_text ? "bigger" : "normal",
            screen_name(f->screen), page, json);
    free(json);
    assert_int_equal(fclose(out), 0);
}

static void dump_pages(struct flow *f, int w, int h, struct dumped *d)
{
    struct layout_input in = {
        .f = f, .cat = strcmp(f->lang, "cy") ? en : cy, .m = &meas, .w = w, .h = h};
    in.cats[0] = cy;
    in.cats[1] = en;
    memset(d, 0, sizeof(*d));
    for (int page = 0; page < NEED_MAX; page++) {
        assert_int_equal(layout_build(&in, lay), 0);
        dump_add(d, lay);
        dump_save(f, w, h, page, lay);
        const struct widget *more = layout_find(lay, "chip-more");
        if (!more)
            more = layout_find(lay, "sub-more");
        if (!more)
            more = layout_find(lay, "topic-more");
        if (!more)
            more = layout_find(lay, "page-more");
        if (!more || more->arg == 0)
            break;
        flow_act(f, ACT_CHIP_MORE, more->arg, 0);
    }
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The median of big/normal font size over the texts both trees show. */
static double median_ratio(const struct dumped *n, const struct dumped *b)
{
    double r[LAYOUT_WIDGETS_MAX * 4];
    int k = 0;
    for (int i = 0; i < n->n; i++) {
        if (!n->text[i] || n->px[i] <= 0)
            continue;
        for (int j = 0; j < b->n; j++)
            if (strcmp(n->id[i], b->id[j]) == 0)
                r[k++] = (double)b->px[j] / n->px[i];
    }
    if (k == 0)
        return 0;
    qsort(r, (size_t)k, sizeof(r[0]), cmp_double);
    return k % 2 ? r[k / 2] : (r[k / 2 - 1] + r[k / 2]) / 2;
}

/* Bigger text that never loses or shrinks anything (every screen, every way reach() shows it, at
 * every size, in both languages): the median text at least BIG_TEXT_MEDIAN times its normal size,
 * every widget of the normal tree in the bigger one (on some page of what was heard), and no text
 * smaller than it normally is. Each miss is listed; the test fails when there is any. */
/* only: one screen, or -1 for every one; ids: the widgets checked for being gone or smaller
 * (those whose id starts so; "" for all). */
static void bigger_check(int only, const char *ids)
{
    struct flow *f = calloc(1, sizeof(*f));
    struct dumped *normal = calloc(1, sizeof(*normal)), *big = calloc(1, sizeof(*big));
    assert_non_null(f);
    assert_non_null(normal);
    assert_non_null(big);
    double worst = 10;
    char worst_at[160] = "";
    int layouts = 0, low = 0, gone = 0, smaller = 0;
    for (size_t z = 0; z < sizeof(sizes) / sizeof(sizes[0]); z++)
        for (int lang = 0; lang < 2; lang++)
            for (int s = 0; s < SCR_COUNT; s++)
                for (int v = 0; v < variants[s] && (only < 0 || s == only); v++) {
                    char where[160];
                    snprintf(where, sizeof(where), "%dx%d %s %s variant %d", sizes[z][0],
                             sizes[z][1], lang ? "en" : "cy", screen_name((enum screen)s), v);
                    reach(f, (enum screen)s, lang, v);
                    dump_pages(f, sizes[z][0], sizes[z][1], normal);
                    reach(f, (enum screen)s, lang, v);
                    flow_act(f, ACT_TEXT_SIZE, 0, 0);
                    dump_pages(f, sizes[z][0], sizes[z][1], big);
                    layouts++;
                    for (int i = 0; i < normal->n; i++) { /* nothing dropped, nothing smaller */
                        if (strncmp(normal->id[i], ids, strlen(ids)) != 0)
                            continue;
                        int j = 0;
                        while (j < big->n && strcmp(big->id[j], normal->id[i]) != 0)
                            j++;
                        if (j == big->n) {
                            print_message("%s: %s is gone with bigger text\n", where,
                                          normal->id[i]);
                            gone++;
                        } else if (normal->text[i] && big->px[j] < normal->px[i]) {
                            print_message("%s: %s is %d px with bigger text, %d normally\n", where,
                                          normal->id[i], big->px[j], normal->px[i]);
                            smaller++;
                        }
                    }
                    double r = median_ratio(normal, big);
                    if (r < worst) {
                        worst = r;
                        snprintf(worst_at, sizeof(worst_at), "%s", where);
                    }
                    if (r < BIG_TEXT_MEDIAN) {
                        print_message("%s: median text x%.2f with bigger text\n", where, r);
                        low++;
                    }
                }
    print_message("bigger text over %d layouts: median at least x%.2f (%s); %d layouts below "
                  "x%.2f, %d widgets gone, %d texts smaller than normal\n",
                  layouts, worst, worst_at, low, BIG_TEXT_MEDIAN, gone, smaller);
    free(f);
    free(normal);
    free(big);
    if (low || gone || smaller)
        fail_msg("bigger text loses or shrinks: %d layouts below x%.2f, %d gone, %d smaller", low,
                 BIG_TEXT_MEDIAN, gone, smaller);
}

static void test_bigger_text(void **state)
{
    (void)state;
    bigger_check(-1, "");
}

/* The subtopic tiles reflow (fewer columns, then pages with "More") instead of shrinking: the
 * screen's median text x1.25 or more, every tile there on some page at no less than its normal
 * size. (The bar's labels are test_bigger_text's.) */
static void test_bigger_subtopics(void **state)
{
    (void)state;
    bigger_check(SCR_SUBTOPICS, "sub-");
}

/* With bigger text, what matters first is on the first page, whatever goes behind "More": on
 * the result screen who the resident will see and where (when a worker was found) and the ticket;
 * on the thank-you screen the ticket; on the urgent screen what to do now and where; on the
 * topics screen the urgent tiles, reachable without typing. At every size, in both languages.
 * And on a wide screen at least four people a page. */
static void test_bigger_first_page(void **state)
{
    static const char *const urgent_ids[] = {"urgent-homeless_tonight", "urgent-in_danger",
                                             "urgent-medical_emergency"};
    struct flow *f = calloc(1, sizeof(*f));
    assert_non_null(f);
    (void)state;
    int missing = 0;
    for (int z = 0; z < N_SIZES; z++)
        for (int lang = 0; lang < 2; lang++) {
            static const enum screen screens[] = {SCR_RESULT, SCR_DONE, SCR_URGENT, SCR_TOPICS};
            for (size_t k = 0; k < sizeof(screens) / sizeof(screens[0]); k++)
                for (int v = 0; v < variants[screens[k]]; v++) {
                    enum screen s = screens[k];
                    reach(f, s, lang, v);
                    flow_act(f, ACT_TEXT_SIZE, 0, 0);
                    assert_true(f->big_text);
                    assert_int_equal(f->screen, s);
                    build(f, sizes[z][0], sizes[z][1]);
                    const char *want[4] = {NULL, NULL, NULL, NULL};
                    if (s == SCR_RESULT) {
                        want[0] = "ticket";
                        if (f->match.worker >= 0) {
                            want[1] = "worker-name";
                            want[2] = "where";
                        }
                    } else if (s == SCR_DONE) {
                        want[0] = "done-ticket";
                    } else if (s == SCR_URGENT) {
                        want[0] = "title";
                        want[1] = "where";
                    } else {
                        for (int i = 0; i < 3; i++)
                            want[i] = urgent_ids[i];
                    }
                    for (int i = 0; i < 4 && want[i]; i++) {
                        const struct widget *w = layout_find(lay, want[i]);
                        if (!w || w->r.y + w->r.h > sizes[z][1] || !w->fits) {
                            print_message("%dx%d %s %s variant %d: %s not on the first page\n",
                                          sizes[z][0], sizes[z][1], lang ? "en" : "cy",
                                          screen_name(s), v, want[i]);
                            missing++;
                        }
                    }
                }
        }
    /* the people screen on a wide one uses its width and the foot's free room before paging:
     * more than the two cards a page it once showed */
    for (int lang = 0; lang < 2; lang++) {
        reach(f, SCR_PEOPLE, lang, 0);
        flow_act(f, ACT_TEXT_SIZE, 0, 0);
        build(f, 1920, 1080);
        int cards = 0;
        for (int i = 0; i < lay->n; i++)
            cards += lay->wg[i].action == ACT_WORKER;
        print_message("1920x1080 %s people: %d cards on the first page\n", lang ? "en" : "cy",
                      cards);
        missing += cards < 4;
    }
    free(f);
    assert_int_equal(missing, 0);
}

/* With bigger text, every page of the check screen keeps what the resident reads (the needs in
 * their cards, the title, the question) off every button ("More", the answers, the foot, the
 * bar), and every need is on some page, whole: six needs, every way in, size and language. */
static void test_bigger_check_words_clear(void **state)
{
    struct flow *f = calloc(1, sizeof(*f));
    assert_non_null(f);
    (void)state;
    int under = 0, lost = 0;
    for (int z = 0; z < N_SIZES; z++)
        for (int lang = 0; lang < 2; lang++)
            for (int v = 0; v < variants[SCR_CHECK]; v++) {
                reach(f, SCR_CHECK, lang, v);
                flow_act(f, ACT_TEXT_SIZE, 0, 0);
                assert_int_equal(f->screen, SCR_CHECK);
                char seen[WIDGET_TEXT_MAX * 4] = "";
                size_t o = 0;
                for (int page = 0; page < 16; page++) {
                    build(f, sizes[z][0], sizes[z][1]);
                    for (int i = 0; i < lay->n; i++) {
                        const struct widget *w = &lay->wg[i];
                        if (w->action != ACT_NONE || (w->role != R_TEXT && w->role != R_HEADING &&
                                                      strncmp(w->id, "needs-card", 10) != 0))
                            continue; /* words, and the needs' cards (not the bar behind its
                                       * buttons) */
                        if (strncmp(w->id, "needs", 5) == 0 && w->text[0] && o < sizeof(seen))
                            o += (size_t)snprintf(seen + o, sizeof(seen) - o, "%s\n", w->text);
                        for (int j = 0; j < lay->n; j++)
                            if (lay->wg[j].role == R_BUTTON && overlaps(&w->r, &lay->wg[j].r)) {
                                print_message("%dx%d %s check variant %d page %d: %s under %s\n",
                                              sizes[z][0], sizes[z][1], lang ? "en" : "cy", v, page,
                                              w->id, lay->wg[j].id);
                                under++;
                            }
                    }
                    const struct widget *more = layout_find(lay, "page-more");
                    if (!more || more->arg == 0)
                        break;
                    flow_act(f, ACT_CHIP_MORE, more->arg, 0);
                }
                for (int i = 0; i < f->n_sel; i++) {
                    char key[I18N_KEY_MAX];
                    snprintf(key, sizeof(key), "need.%s", tax->needs[f->sel[i]].id);
                    if (!strstr(seen, i18n_get(lang ? en : cy, key))) {
                        print_message("%dx%d %s check variant %d: %s on no page\n", sizes[z][0],
                                      sizes[z][1], lang ? "en" : "cy", v, key);
                        lost++;
                    }
                }
            }
    free(f);
    assert_int_equal(under, 0);
    assert_int_equal(lost, 0);
}

/* The landscape tell field with bigger text shows at least two lines of the resident's long
 * words (their last ones) on the small landscape screens, in both languages, its words no smaller
 * than normal and on no other control. */
static void test_bigger_tell_field_lines(void **state)
{
    (void)state;
    static const int at[][2] = {{800, 480}, {1280, 800}};
    struct flow *f = calloc(1, sizeof(*f));
    assert_non_null(f);
    int short_of = 0;
    for (size_t z = 0; z < sizeof(at) / sizeof(at[0]); z++)
        for (int lang = 0; lang < 2; lang++) {
            reach(f, SCR_TELL, lang, 1); /* the long words */
            build(f, at[z][0], at[z][1]);
            const struct widget *n = layout_find(lay, "field");
            assert_non_null(n);
            int normal_px = n->px;
            flow_act(f, ACT_TEXT_SIZE, 0, 0);
            assert_true(f->big_text);
            build(f, at[z][0], at[z][1]);
            const struct widget *w = layout_find(lay, "field");
            assert_non_null(w);
            print_message("%dx%d %s tell, bigger text: the field shows %d lines at %d px (%d "
                          "normally)\n",
                          at[z][0], at[z][1], lang ? "en" : "cy", w->n_lines, w->px, normal_px);
            short_of += w->n_lines < 2 || w->px < normal_px || !w->fits;
        }
    free(f);
    assert_int_equal(short_of, 0);
}

/* The result screen reached in language lang by way v, with bigger text or not, and hubd's
 * figures there (hubd 0), still to come (1) or not to be had (2: hubd unreachable). */
static void result_state(struct flow *f, int lang, int v, bool big, int hubd)
{
    reach(f, SCR_RESULT, lang, v);
    if (big)
        flow_act(f, ACT_TEXT_SIZE, 0, 0);
    f->queue_pending = hubd == 1;
    if (hubd == 2)
        f->ticket.position = f->ticket.wait_min = -1;
}
/* The result screen's wait, people ahead and ticket: their words keep at least the screen's gap
 * from every edge of their panel, at every size, in both languages, normal and bigger text,
 * with hubd's figures, while they come and when hubd does not answer. */
static int text_clear_of(const struct widget *t, const struct wrect *p)
{
    int x = t->align == AL_CENTER ? t->box.x + (t->box.w - t->text_w) / 2 : t->box.x;
    int y = t->box.y + (t->box.h - t->text_h) / 2;
    int l = x - p->x, r = p->x + p->w - (x + t->text_w), u = y - p->y,
        d = p->y + p->h - (y + t->text_h);
    int least = l < r ? l : r;
    least = u < least ? u : least;
    return d < least ? d : least;
}

static void test_result_panel_padding(void **state)
{
    static const char *const ids[] = {"wait", "ahead", "ticket-label", "ticket"};
    struct flow *f = calloc(1, sizeof(*f));
    assert_non_null(f);
    (void)state;
    int touching = 0, seen = 0;
    for (int z = 0; z < N_SIZES; z++)
        for (int lang = 0; lang < 2; lang++)
            for (int v = 0; v < variants[SCR_RESULT]; v++)
                for (int big = 0; big < 2; big++)
                    for (int hubd = 0; hubd < 3; hubd++) {
                        result_state(f, lang, v, big, hubd);
                        int gap = (int)lround(M_GAP * layout_unit(sizes[z][0], sizes[z][1]));
                        for (int page = 0; page < NEED_MAX; page++) {
                            build(f, sizes[z][0], sizes[z][1]);
                            const struct widget *card = layout_find(lay, "ticket-card");
                            for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
                                const struct widget *w = layout_find(lay, ids[i]);
                                if (!w || !w->text[0])
                                    continue;
                                const struct wrect *p = i < 2 ? &w->r : card ? &card->r : NULL;
                                assert_non_null(p);
                                int clear = text_clear_of(w, p);
                                seen++;
                                if (clear < gap) {
                                    print_message("%dx%d %s variant %d big=%d hubd=%d: %s \"%s\" "
                                                  "%d px from its panel's edge (gap %d)\n",
                                                  sizes[z][0], sizes[z][1], lang ? "en" : "cy", v,
                                                  big, hubd, ids[i], w->text, clear, gap);
                                    touching++;
                                }
                            }
                            const struct widget *more = layout_find(lay, "page-more");
                            if (!more || more->arg == 0)
                                break;
                            flow_act(f, ACT_CHIP_MORE, more->arg, 0);
                        }
                    }
    print_message("result panels: %d texts checked, %d closer than a gap to their edge\n", seen,
                  touching);
    free(f);
    assert_true(seen > 0);
    assert_int_equal(touching, 0);
}

/* The result's words at no less than their normal size (the screen's type at scale 1: body,
 * heading and small sizes from layout.h's metrics), normal and bigger text, both languages, at
 * 800x480, 1280x800, 1080x1920 and 1920x1080, every variant, with hubd's figures, while they
 * come and when hubd does not answer, every page: where room is short the screen reflows
 * instead of shrinking its type (or a panel's words). */
static void test_result_normal_size(void **state)
{
    static const struct {
        const char *id;
        int size; /* 0: small, 1: body, 2: heading */
    } least[] = {
        {"thanks", 1},       {"title", 1},  {"worker-name", 2}, {"helps", 1},
        {"speaks", 1},       {"where", 1},  {"wait", 1},        {"ahead", 1},
        {"ticket-label", 0}, {"ticket", 2}, {"seat", 1},        {"qr-caption", 0},
    };
    struct flow *f = calloc(1, sizeof(*f));
    assert_non_null(f);
    (void)state;
    int below = 0, texts = 0;
    double least_scale = 10;
    for (int z = 0; z < N_SIZES; z++)
        for (int lang = 0; lang < 2; lang++)
            for (int v = 0; v < variants[SCR_RESULT]; v++)
                for (int big = 0; big < 2; big++)
                    for (int hubd = 0; hubd < 3; hubd++) {
                        result_state(f, lang, v, big, hubd);
                        int body = (int)lround(M_BODY * layout_unit(sizes[z][0], sizes[z][1]));
                        int px[3] = {(int)lround(body * M_SMALL), body, (int)lround(body * M_HEAD)};
                        for (int page = 0; page < NEED_MAX; page++) {
                            build(f, sizes[z][0], sizes[z][1]);
                            least_scale =
                                lay->type_scale < least_scale ? lay->type_scale : least_scale;
                            if (lay->type_scale < 1.0) {
                                print_message("%dx%d %s variant %d big=%d hubd=%d: type scale "
                                              "%.2f\n",
                                              sizes[z][0], sizes[z][1], lang ? "en" : "cy", v, big,
                                              hubd, lay->type_scale);
                                below++;
                            }
                            for (size_t i = 0; i < sizeof(least) / sizeof(least[0]); i++) {
                                const struct widget *w = layout_find(lay, least[i].id);
                                if (!w || !w->text[0])
                                    continue;
                                texts++;
                                if (w->px < px[least[i].size]) {
                                    print_message("%dx%d %s variant %d big=%d hubd=%d: %s %d px, "
                                                  "normal %d\n",
                                                  sizes[z][0], sizes[z][1], lang ? "en" : "cy", v,
                                                  big, hubd, least[i].id, w->px, px[least[i].size]);
                                    below++;
                                }
                            }
                            const struct widget *more = layout_find(lay, "page-more");
                            if (!more || more->arg == 0)
                                break;
                            flow_act(f, ACT_CHIP_MORE, more->arg, 0);
                        }
                    }
    print_message("result: %d texts checked, least type scale %.2f, %d below normal size\n", texts,
                  least_scale, below);
    free(f);
    assert_true(texts > 0);
    assert_int_equal(below, 0);
}

/* The people screen's words at their own size, never below it (the name at body size, the line
 * under it at the small size, the title at the heading size, "More" at body size, each at type
 * scale 1 for the screen's size), with normal and bigger text, at every size, in both languages,
 * and every worker on shift on some page behind "More". Prints each layout's least name and line
 * size beside their normal size. */
static void test_people_whole_at_size(void **state)
{
    (void)state;
    struct flow *f = calloc(1, sizeof(*f));
    assert_non_null(f);
    int on_shift = 0, short_of = 0;
    for (int i = 0; i < dir->n_workers; i++)
        on_shift += dir->workers[i].status != WS_OFF;
    for (int z = 0; z < N_SIZES; z++)
        for (int lang = 0; lang < 2; lang++)
            for (int big = 0; big < 2; big++) {
                int w = sizes[z][0], h = sizes[z][1];
                /* type scale 1, rounded as the layout rounds (every figure is positive) */
                int body = (int)(M_BODY * layout_unit(w, h) + 0.5);
                int small = (int)(body * M_SMALL + 0.5), head = (int)(body * M_HEAD + 0.5);
                reach(f, SCR_PEOPLE, lang, 0);
                if (big)
                    flow_act(f, ACT_TEXT_SIZE, 0, 0);
                assert_int_equal(f->screen, SCR_PEOPLE);
                bool seen[DIR_WORKERS_MAX] = {false};
                int least_name = 1000, least_line = 1000, pages = 0, cards = 0;
                for (int page = 0; page < 16; page++) {
                    build(f, w, h);
                    pages++;
                    for (int i = 0; i < lay->n; i++) {
                        const struct widget *x = &lay->wg[i];
                        int want = 0;
                        if (strncmp(x->id, "name-", 5) == 0) {
                            want = body;
                            least_name = x->px < least_name ? x->px : least_name;
                        } else if (strncmp(x->id, "helps-", 6) == 0) {
                            want = small;
                            least_line = x->px < least_line ? x->px : least_line;
                        } else if (strcmp(x->id, "title") == 0) {
                            want = head;
                        } else if (strcmp(x->id, "page-more") == 0) {
                            want = body;
                        }
                        if (want && x->px < want) {
                            print_message("%dx%d %s big=%d page %d: %s \"%s\" at %d px (normal "
                                          "%d)\n",
                                          w, h, lang ? "en" : "cy", big, page, x->id, x->text,
                                          x->px, want);
                            short_of++;
                        }
                        if (x->action == ACT_WORKER && x->arg >= 0 && x->arg < DIR_WORKERS_MAX &&
                            !seen[x->arg]) {
                            seen[x->arg] = true;
                            cards++;
                        }
                    }
                    const struct widget *more = layout_find(lay, "page-more");
                    if (!more || more->arg == 0)
                        break;
                    flow_act(f, ACT_CHIP_MORE, more->arg, 0);
                }
                print_message("%dx%d %s big=%d people: names at least %d px (body %d), lines at "
                              "least %d px (small %d), %d of %d workers on %d pages\n",
                              w, h, lang ? "en" : "cy", big, least_name, body, least_line, small,
                              cards, on_shift, pages);
                short_of += cards != on_shift;
            }
    free(f);
    assert_int_equal(short_of, 0);
}

/* The welcome screen's bar, each label in both languages: every control two lines at most (one
 * a language), its words whole, a target at least 88 px tall on the big panels (nine tenths of
 * the screen's target on the small ones), within reach (the lower 60%) on a portrait screen. At
 * the test sizes and three more portrait ones, with and without a staff PIN (whose corner takes
 * the bar's left), cy/en, normal and bigger text, with and without the notice to staff. Prints
 * each layout's most lines and least height. */
static void test_welcome_bar_lines(void **state)
{
    static const int more[][2] = {{480, 800}, {720, 1280}, {768, 1024}};
    static const char *const ids[] = {"listen", "text-size", "contrast", "start-again"};
    (void)state;
    struct flow *f = calloc(1, sizeof(*f));
    assert_non_null(f);
    int bad = 0;
    for (int z = 0; z < N_SIZES + 3; z++)
        for (int pin = 0; pin < 2; pin++)
            for (int lang = 0; lang < 2; lang++)
                for (int big = 0; big < 2; big++)
                    for (int notice = 0; notice < 2; notice++) {
                        int w = z < N_SIZES ? sizes[z][0] : more[z - N_SIZES][0];
                        int h = z < N_SIZES ? sizes[z][1] : more[z - N_SIZES][1];
                        struct flow_deps deps = {NULL, fake_route, real_match, tax, dir, &be, NULL};
                        struct flow_config cfg;
                        flow_config_default(&cfg);
                        if (pin)
                            snprintf(cfg.staff_pin, sizeof(cfg.staff_pin), "2468");
                        flow_init(f, &cfg, &deps, 0);
                        if (lang)
                            flow_act(f, ACT_TOGGLE_LANG, 0, 0);
                        if (big)
                            flow_act(f, ACT_TEXT_SIZE, 0, 0);
                        if (notice)
                            staff_status(f, 2);
                        assert_int_equal(f->screen, SCR_WELCOME);
                        build(f, w, h);
                        int target = layout_target(w, h), most_lines = 0, least_h = 10000;
                        int want_h = target >= 88 ? 88 : target * 9 / 10;
                        for (size_t k = 0; k < sizeof(ids) / sizeof(ids[0]); k++) {
                            const struct widget *x = layout_find(lay, ids[k]);
                            assert_non_null(x);
                            most_lines = x->n_lines > most_lines ? x->n_lines : most_lines;
                            least_h = x->r.h < least_h ? x->r.h : least_h;
                            if (x->n_lines > f->cfg.n_langs || !x->fits || x->r.h < want_h ||
                                (h > w && x->r.y < h * 2 / 5)) {
                                print_message("%dx%d pin=%d %s big=%d notice=%d: %s \"%s\" %d "
                                              "lines, %dx%d at y=%d\n",
                                              w, h, pin, lang ? "en" : "cy", big, notice, ids[k],
                                              x->text, x->n_lines, x->r.w, x->r.h, x->r.y);
                                bad++;
                            }
                        }
                        if (notice == 0)
                            print_message("%dx%d pin=%d %s big=%d welcome bar: at most %d lines, "
                                          "at least %d px tall (want %d), type scale %.2f\n",
                                          w, h, pin, lang ? "en" : "cy", big, most_lines, least_h,
                                          want_h, lay->type_scale);
                    }
    free(f);
    assert_int_equal(bad, 0);
}

/* With "bigger", only the bigger-text test (make test-kiosk-bigger); otherwise the rest. */
int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_screen),
        cmocka_unit_test(test_targets_and_scale),
        cmocka_unit_test(test_dump),
        cmocka_unit_test(test_ticket_pending),
        cmocka_unit_test(test_staff_notice),
        cmocka_unit_test(test_help_now_placement),
        cmocka_unit_test(test_topic_tiles),
        cmocka_unit_test(test_urgent_screen),
        cmocka_unit_test(test_desk_cy),
        cmocka_unit_test(test_bigger_subtopics),
        cmocka_unit_test(test_bigger_first_page),
        cmocka_unit_test(test_bigger_check_words_clear),
        cmocka_unit_test(test_bigger_tell_field_lines),
        cmocka_unit_test(test_result_panel_padding),
        cmocka_unit_test(test_result_normal_size),
        cmocka_unit_test(test_people_whole_at_size),
        cmocka_unit_test(test_welcome_bar_lines),
    };
    const struct CMUnitTest bigger[] = {cmocka_unit_test(test_bigger_text)};
    if (argc > 1 && strcmp(argv[1], "bigger") == 0)
        return cmocka_run_group_tests_name("kiosk bigger text", bigger, setup, teardown);
    return cmocka_run_group_tests_name("kiosk layout", tests, setup, teardown);
}
