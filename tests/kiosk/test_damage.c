/* test_damage.c — the kiosk's repaint rectangles (kiosk/platform/damage.c): what changed between
 * two widget trees is painted again, and only that. Trees made by hand, then a property test:
 * random edits of a random tree, where every pixel that changed must lie under a rectangle. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "damage.h"

#define W      1080
#define H      1920
#define MARGIN 4

static const int theme_a = 1, theme_b = 2; /* the theme is compared by address only */

static struct widget *put(struct layout *l, const char *id, int x, int y, int w, int h,
                          const char *text)
{
    assert_true(l->n < LAYOUT_WIDGETS_MAX);
    struct widget *g = &l->wg[l->n++];
    memset(g, 0, sizeof(*g));
    snprintf(g->id, sizeof(g->id), "%s", id);
    g->role = R_BUTTON;
    g->r = (struct wrect){x, y, w, h};
    g->box = (struct wrect){x + 8, y + 8, w - 16, h - 16};
    snprintf(g->text, sizeof(g->text), "%s", text);
    g->n_lines = text[0] ? 1 : 0;
    g->line_h = 30;
    g->text_w = (int)strlen(text) * 12;
    g->text_h = 30;
    return g;
}

static struct layout *screen(void)
{
    struct layout *l = calloc(1, sizeof(*l));
    assert_non_null(l);
    l->w = W;
    l->h = H;
    put(l, "title", 20, 20, 1040, 100, "What can we help with today?");
    put(l, "field", 20, 140, 1040, 120, "my landlord");
    put(l, "next", 20, 1200, 400, 100, "Next");
    put(l, "help-now", 440, 1200, 620, 100, "I need help now");
    for (int i = 0; i < 10; i++) {
        char id[16], t[2] = {(char)('a' + i), 0};
        snprintf(id, sizeof(id), "key-%c", 'a' + i);
        put(l, id, 20 + i * 104, 1400, 96, 96, t);
    }
    return l;
}

static bool inside_screen(struct wrect r)
{
    return r.x >= 0 && r.y >= 0 && r.w > 0 && r.h > 0 && r.x + r.w <= W && r.y + r.h <= H;
}

/* Every rectangle on screen, none overlapping another. */
static void check_shape(const struct damage *d)
{
    assert_true(d->n >= 0 && d->n <= DAMAGE_RECTS_MAX);
    for (int i = 0; i < d->n; i++) {
        assert_true(inside_screen(d->r[i]));
        for (int j = i + 1; j < d->n; j++)
            assert_false(damage_overlaps(d->r[i], d->r[j]));
    }
}

static bool under(const struct damage *d, int x, int y)
{
    for (int i = 0; i < d->n; i++)
        if (x >= d->r[i].x && x < d->r[i].x + d->r[i].w && y >= d->r[i].y &&
            y < d->r[i].y + d->r[i].h)
            return true;
    return false;
}

/* Whether the part of e on screen lies under the damage's rectangles (every 7th pixel and the
 * last row and column: enough to catch a gap). */
static bool covered(const struct damage *d, struct wrect e)
{
    if (d->full)
        return true;
    int x0 = e.x < 0 ? 0 : e.x, y0 = e.y < 0 ? 0 : e.y;
    int x1 = e.x + e.w > W ? W : e.x + e.w, y1 = e.y + e.h > H ? H : e.y + e.h;
    for (int y = y0; y < y1; y = y + 7 < y1 || y == y1 - 1 ? y + 7 : y1 - 1)
        for (int x = x0; x < x1; x = x + 7 < x1 || x == x1 - 1 ? x + 7 : x1 - 1)
            if (!under(d, x, y))
                return false;
    return true;
}

static void test_first_then_nothing(void **state)
{
    struct damage_state s = {0};
    struct damage d;
    struct layout *l = screen();
    damage_diff(&s, l, &theme_a, -1, MARGIN, &d);
    assert_true(d.full); /* nothing painted yet */
    damage_diff(&s, l, &theme_a, -1, MARGIN, &d);
    assert_false(d.full);
    assert_int_equal(d.n, 0); /* the same tree: nothing to paint */
    assert_int_equal(d.append, 0);
    damage_invalidate(&s); /* a screenshot repainted it all, say */
    damage_diff(&s, l, &theme_a, -1, MARGIN, &d);
    assert_true(d.full);
    damage_diff(&s, l, &theme_b, -1, MARGIN, &d); /* high contrast on */
    assert_true(d.full);
    damage_release(&s);
    free(l);
}

/* A key typed: the field and nothing else; a key pressed: that key and nothing else. */
static void test_keystroke(void **state)
{
    struct damage_state s = {0};
    struct damage d;
    struct layout *l = screen();
    damage_diff(&s, l, &theme_a, -1, MARGIN, &d);
    struct widget *f = &l->wg[1];
    snprintf(f->text, sizeof(f->text), "%s", "my landlord w");
    f->text_w += 24;
    damage_diff(&s, l, &theme_a, -1, MARGIN, &d);
    check_shape(&d);
    assert_false(d.full);
    assert_int_equal(d.n, 1);
    assert_true(covered(&d, damage_extent(f, MARGIN)));
    for (int i = 0; i < l->n; i++)
        if (i != 1)
            assert_false(damage_overlaps(d.r[0], l->wg[i].r));

    int key = 6; /* key-c */
    damage_diff(&s, l, &theme_a, key, MARGIN, &d);
    check_shape(&d);
    assert_int_equal(d.n, 1);
    assert_true(covered(&d, damage_extent(&l->wg[key], MARGIN)));
    assert_false(damage_overlaps(d.r[0], l->wg[key + 1].r));
    damage_diff(&s, l, &theme_a, -1, MARGIN, &d); /* let go */
    assert_int_equal(d.n, 1);
    assert_true(covered(&d, damage_extent(&l->wg[key], MARGIN)));
    damage_release(&s);
    free(l);
}

/* A widget moved or gone: where it was is painted again as well as where it is. */
static void test_moved_and_gone(void **state)
{
    struct damage_state s = {0};
    struct damage d;
    struct layout *l = screen();
    damage_diff(&s, l, &theme_a, -1, MARGIN, &d);
    struct wrect was = damage_extent(&l->wg[2], MARGIN);
    l->wg[2].r.y += 300; /* Next moved down */
    l->wg[2].box.y += 300;
    damage_diff(&s, l, &theme_a, -1, MARGIN, &d);
    check_shape(&d);
    assert_true(covered(&d, was));
    assert_true(covered(&d, damage_extent(&l->wg[2], MARGIN)));

    struct wrect gone = damage_extent(&l->wg[3], MARGIN);
    memmove(&l->wg[3], &l->wg[4], (size_t)(l->n - 4) * sizeof(l->wg[0]));
    l->n--;
    damage_diff(&s, l, &theme_a, -1, MARGIN, &d);
    check_shape(&d);
    assert_true(covered(&d, gone));
    damage_release(&s);
    free(l);
}

/* An overlay opening only adds widgets at the end: they are painted over the frame as it is. */
static void test_overlay_appends(void **state)
{
    struct damage_state s = {0};
    struct damage d;
    struct layout *l = screen();
    damage_diff(&s, l, &theme_a, -1, MARGIN, &d);
    int before = l->n;
    struct widget *dim = put(l, "dim", 0, 0, W, H, "");
    dim->role = R_BACKDROP;
    dim->style = ST_OVERLAY;
    put(l, "sure", 140, 700, 800, 300, "Start again?");
    damage_diff(&s, l, &theme_a, -1, MARGIN, &d);
    assert_false(d.full);
    assert_int_equal(d.append, before);
    /* closing it is no append: the whole dimmed screen comes back */
    l->n = before;
    damage_diff(&s, l, &theme_a, -1, MARGIN, &d);
    assert_int_equal(d.append, 0);
    assert_true(d.full || covered(&d, (struct wrect){0, 0, W, H}));
    damage_release(&s);
    free(l);
}

/* Random edits of a random tree, many times over: every widget that changed (its old extent
 * and its new one) is under the damage, the rectangles stay on screen and apart. */
static void test_random_edits(void **state)
{
    unsigned seed = 20261202u;
    struct damage_state s = {0};
    struct damage d;
    struct layout *l = screen(), *old = calloc(1, sizeof(*old));
    assert_non_null(old);
    damage_diff(&s, l, &theme_a, -1, MARGIN, &d);
    for (int round = 0; round < 2000; round++) {
        memcpy(old, l, sizeof(*l));
        int edits = 1 + (int)(rand_r(&seed) % 3);
        bool changed[LAYOUT_WIDGETS_MAX] = {false};
        for (int e = 0; e < edits; e++) {
            int i = (int)(rand_r(&seed) % (unsigned)l->n);
            struct widget *g = &l->wg[i];
            switch (rand_r(&seed) % 4) {
            case 0:
                g->text_w = (int)(rand_r(&seed) % 1400); /* may spill past its box */
                g->text[0] = (char)('A' + rand_r(&seed) % 26);
                break;
            case 1:
                g->r.x = (int)(rand_r(&seed) % (W - 100));
                g->r.y = (int)(rand_r(&seed) % (H - 100));
                g->box.x = g->r.x + 8;
                g->box.y = g->r.y + 8;
                break;
            case 2:
                g->selected = !g->selected;
                break;
            default:
                g->focused = !g->focused;
                break;
            }
        }
        for (int i = 0; i < l->n; i++) /* two edits may undo each other */
            changed[i] = memcmp(&old->wg[i], &l->wg[i], sizeof(l->wg[i])) != 0;
        damage_diff(&s, l, &theme_a, -1, MARGIN, &d);
        check_shape(&d);
        for (int i = 0; i < l->n; i++)
            if (changed[i] && (!covered(&d, damage_extent(&old->wg[i], MARGIN)) ||
                               !covered(&d, damage_extent(&l->wg[i], MARGIN))))
                fail_msg("round %d: widget %s changed outside the damage", round, l->wg[i].id);
    }
    damage_release(&s);
    free(old);
    free(l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_first_then_nothing), cmocka_unit_test(test_keystroke),
        cmocka_unit_test(test_moved_and_gone),     cmocka_unit_test(test_overlay_appends),
        cmocka_unit_test(test_random_edits),
    };
    return cmocka_run_group_tests_name("kiosk repaint rectangles", tests, NULL, NULL);
}
