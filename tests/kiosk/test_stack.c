/* test_stack.c — column and row stacks: positions, gaps, rest of height, alignment, overflow; a
 * column that continues across pages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "flow.h"
#include "i18n.h"
#include "stack.h"

#include "fake_measure.h"

static void rect_is(struct wrect r, int x, int y, int w, int h)
{
    assert_int_equal(r.x, x);
    assert_int_equal(r.y, y);
    assert_int_equal(r.w, w);
    assert_int_equal(r.h, h);
}

static void column_start_gaps(void **state)
{
    (void)state;
    struct lb b;
    memset(&b, 0, sizeof b);
    struct stack_child c[] = {{30, 0}, {40, 0}, {20, 0}};
    struct wrect out[3];
    int end = stack_column(&b, R(5, 100, 200, 300), 10, STACK_START, c, 3, out);
    rect_is(out[0], 5, 100, 200, 30);
    rect_is(out[1], 5, 140, 200, 40);
    rect_is(out[2], 5, 190, 200, 20);
    assert_int_equal(end, 210);
    assert_false(b.overflow);
}

static void column_centre_end(void **state)
{
    (void)state;
    struct lb b;
    memset(&b, 0, sizeof b);
    struct stack_child c[] = {{30, 0}, {50, 0}};
    struct wrect out[2];
    /* content 90 in 200: 110 left over */
    stack_column(&b, R(0, 0, 100, 200), 10, STACK_CENTRE, c, 2, out);
    assert_int_equal(out[0].y, 55);
    assert_int_equal(out[1].y, 95);
    stack_column(&b, R(0, 0, 100, 200), 10, STACK_END, c, 2, out);
    assert_int_equal(out[0].y, 110);
    assert_int_equal(out[1].y + out[1].h, 200);
    assert_false(b.overflow);
}

static void column_rest(void **state)
{
    (void)state;
    struct lb b;
    memset(&b, 0, sizeof b);
    struct stack_child c[] = {{40, 0}, {STACK_REST, 0}, {60, 0}};
    struct wrect out[3];
    int end = stack_column(&b, R(0, 20, 100, 400), 8, STACK_CENTRE, c, 3, out);
    rect_is(out[0], 0, 20, 100, 40);
    rect_is(out[1], 0, 68, 100, 400 - 40 - 60 - 16);
    assert_int_equal(out[2].y + out[2].h, 420);
    assert_int_equal(end, 420);
    assert_false(b.overflow);
}

static void column_overflow(void **state)
{
    (void)state;
    struct lb b;
    memset(&b, 0, sizeof b);
    struct stack_child c[] = {{60, 0}, {60, 0}};
    struct wrect out[2];
    stack_column(&b, R(0, 0, 100, 125), 10, STACK_START, c, 2, out);
    assert_true(b.overflow);
    memset(&b, 0, sizeof b);
    stack_column(&b, R(0, 0, 100, 130), 10, STACK_START, c, 2, out);
    assert_false(b.overflow);
}

static void row_fixed_share_grow(void **state)
{
    (void)state;
    struct lb b;
    memset(&b, 0, sizeof b);
    struct stack_child eq[] = {{STACK_SHARE, 0}, {STACK_SHARE, 0}};
    struct wrect out[3];
    int end = stack_row(&b, R(10, 5, 210, 50), 10, eq, 2, out);
    rect_is(out[0], 10, 5, 100, 50);
    rect_is(out[1], 120, 5, 100, 50);
    assert_int_equal(end, 220);

    struct stack_child mix[] = {{40, 0}, {0, 1}, {0, 3}};
    stack_row(&b, R(0, 0, 260, 50), 10, mix, 3, out);
    rect_is(out[0], 0, 0, 40, 50);
    rect_is(out[1], 50, 0, 50, 50);
    rect_is(out[2], 110, 0, 150, 50);
    assert_false(b.overflow);

    struct stack_child wide[] = {{150, 0}, {150, 0}};
    stack_row(&b, R(0, 0, 300, 50), 10, wide, 2, out);
    assert_true(b.overflow);
}

static void named_gaps(void **state)
{
    (void)state;
    struct lb b;
    memset(&b, 0, sizeof b);
    b.u = 1.5;
    assert_int_equal(stack_gap_px(&b, STACK_GAP_NONE), 0);
    assert_int_equal(stack_gap_px(&b, STACK_GAP), 15);
    assert_int_equal(stack_gap_px(&b, STACK_GAP_PAD), 21);
}

static void column_upper_natural(void **state)
{
    (void)state;
    struct lb b;
    memset(&b, 0, sizeof b);
    struct stack_child c[] = {{30, 0}, {40, 0}};
    struct wrect out[2];
    assert_int_equal(stack_natural_h(c, 2, 10), 80);
    assert_int_equal(stack_natural_h(c, 1, 10), 30);
    /* 300 - 80 = 220 left: a third (73) above */
    int end = stack_column(&b, R(0, 100, 50, 300), 10, STACK_UPPER, c, 2, out);
    rect_is(out[0], 0, 173, 50, 30);
    rect_is(out[1], 0, 213, 50, 40);
    assert_int_equal(end, 253);
    /* raised: two fifths (88) above */
    stack_column(&b, R(0, 100, 50, 300), 10, STACK_RAISED, c, 2, out);
    rect_is(out[0], 0, 188, 50, 30);
    assert_false(b.overflow);
}

static void inset_sides(void **state)
{
    (void)state;
    rect_is(stack_inset(R(10, 20, 100, 60), 7), 17, 27, 86, 46);
    rect_is(stack_inset(R(0, 0, 30, 10), 0), 0, 0, 30, 10);
}

/* A builder with bigger text (b->normal set: content goes on pages), "More" 40 px tall, gaps of
 * 10, showing page `page`. */
struct paged {
    struct lb b;
    struct flow *f;
    struct layout *l;
    struct i18n *cat;
    struct layout_input in;
    struct normal_px normal;
};

static struct paged *paged_new(int page)
{
    struct paged *p = calloc(1, sizeof(*p));
    assert_non_null(p);
    p->f = calloc(1, sizeof(*p->f));
    p->l = calloc(1, sizeof(*p->l));
    p->cat = i18n_new("en");
    assert_non_null(p->f);
    assert_non_null(p->l);
    assert_non_null(p->cat);
    p->f->chip_page = page;
    p->in = (struct layout_input){.f = p->f, .cat = p->cat, .m = &meas, .w = 800, .h = 480};
    p->b.in = &p->in;
    p->b.f = p->f;
    p->b.l = p->l;
    p->b.normal = &p->normal;
    p->b.gap = 10;
    p->b.help_h = 40;
    p->b.body = 20;
    p->b.T = 48;
    return p;
}

static void paged_free(struct paged *p)
{
    i18n_free(p->cat);
    free(p->l);
    free(p->f);
    free(p);
}

static const int gaps10[] = {10, 10, 10, 10, 10};

/* 4 children of 60 in 200: a page has 200 - 40 - 10 = 150, two children (130) a page. */
static void pages_whole_children(void **state)
{
    (void)state;
    struct stack_child c[] = {{60, 0}, {60, 0}, {60, 0}, {60, 0}};
    int seen[4] = {0};
    for (int page = 0; page < 2; page++) {
        struct paged *p = paged_new(page);
        struct stack_pages pg;
        struct wrect out[4];
        int end = stack_pages_column(&p->b, R(20, 100, 300, 200), STACK_RAISED, c, gaps10, 4, 0,
                                     &pg, out);
        assert_int_equal(pg.n, 2);
        assert_int_equal(pg.cur, page);
        assert_int_equal(pg.from, page * 2);
        assert_int_equal(pg.to, page * 2 + 2);
        assert_int_equal(p->b.pages, 2);
        assert_int_equal(end, 300); /* the box's bottom: "More" is in the column */
        assert_false(p->b.overflow);
        for (int i = 0; i < 4; i++) {
            if (i >= pg.from && i < pg.to) {
                seen[i]++;
                assert_int_equal(out[i].h, 60); /* whole children, at their natural height */
            } else {
                rect_is(out[i], 0, 0, 0, 0);
            }
        }
        /* the page settles down on "More": 130 of 150, so 20 px above it */
        rect_is(out[pg.from], 20, 120, 300, 60);
        rect_is(out[pg.from + 1], 20, 190, 300, 60);
        /* "More" at the box's bottom right, a gap under the page */
        assert_int_equal(pg.more.y, 260);
        assert_int_equal(pg.more.h, 40);
        assert_int_equal(pg.more.x + pg.more.w, 320);
        assert_int_equal(pg.more.x, 320 - lb_more_w(&p->b, 300));
        paged_free(p);
    }
    for (int i = 0; i < 4; i++)
        assert_int_equal(seen[i], 1); /* each child on exactly one page */
}

/* A page takes the children that fit it, and the next page starts at the first that does not:
 * 50, 90, 50 in a room of 150 (with More): 50+10+90 = 150 fits, 50 starts page 2. */
static void pages_fill_then_cut(void **state)
{
    (void)state;
    struct stack_child c[] = {{50, 0}, {90, 0}, {50, 0}};
    struct paged *p = paged_new(1);
    struct stack_pages pg;
    struct wrect out[3];
    stack_pages_column(&p->b, R(0, 0, 300, 200), STACK_START, c, gaps10, 3, 0, &pg, out);
    assert_int_equal(pg.n, 2);
    assert_int_equal(pg.from, 2);
    assert_int_equal(pg.to, 3);
    rect_is(out[2], 0, 100, 300, 50); /* alone on its page, down on More at 160 */
    paged_free(p);
}

/* What must come first (the first first_n children) has to be on the first page; when it is
 * not, the build is short of room (overflow: it tries smaller type). */
static void pages_first_page_holds_what_matters(void **state)
{
    (void)state;
    struct stack_child c[] = {{60, 0}, {60, 0}, {60, 0}, {60, 0}};
    struct stack_pages pg;
    struct wrect out[4];
    struct paged *p = paged_new(0);
    stack_pages_column(&p->b, R(0, 0, 300, 200), STACK_START, c, gaps10, 4, 2, &pg, out);
    assert_false(p->b.overflow); /* children 0 and 1 are on the first page */
    paged_free(p);
    p = paged_new(1); /* whichever page is shown, the first decides */
    stack_pages_column(&p->b, R(0, 0, 300, 200), STACK_START, c, gaps10, 4, 3, &pg, out);
    assert_true(p->b.overflow); /* child 2 is on page 2 */
    paged_free(p);
}

/* One page: aligned in the box with gap[0] above the first child; normal text never pages (it
 * shrinks), even when the children do not fit: that is overflow. */
static void pages_one_page_aligned(void **state)
{
    (void)state;
    struct stack_child c[] = {{30, 0}, {40, 0}};
    const int g[] = {12, 10};
    struct stack_pages pg;
    struct wrect out[2];
    struct lb b;
    memset(&b, 0, sizeof b);
    /* 12 + 30 + 10 + 40 = 92 in 300: 208 left, two fifths (83) above */
    int end = stack_pages_column(&b, R(0, 100, 50, 300), STACK_RAISED, c, g, 2, 0, &pg, out);
    assert_int_equal(pg.n, 1);
    assert_int_equal(pg.from, 0);
    assert_int_equal(pg.to, 2);
    rect_is(out[0], 0, 195, 50, 30);
    rect_is(out[1], 0, 235, 50, 40);
    assert_int_equal(end, 275);
    assert_int_equal(pg.more.w, 0);
    stack_pages_column(&b, R(0, 100, 50, 300), STACK_END, c, g, 2, 0, &pg, out);
    assert_int_equal(out[1].y + out[1].h, 400);
    stack_pages_column(&b, R(0, 100, 50, 300), STACK_START, c, g, 2, 0, &pg, out);
    assert_int_equal(out[0].y, 112);
    assert_false(b.overflow);
    /* normal text, too tall: one page from the box's top, overflow, no pages counted */
    end = stack_pages_column(&b, R(0, 100, 50, 80), STACK_RAISED, c, g, 2, 0, &pg, out);
    assert_int_equal(pg.n, 1);
    assert_int_equal(out[0].y, 112);
    assert_int_equal(end, 192);
    assert_true(b.overflow);
    assert_int_equal(b.pages, 0);
    /* bigger text, fitting exactly with gap[0]: still one page */
    struct paged *p = paged_new(0);
    stack_pages_column(&p->b, R(0, 100, 50, 92), STACK_RAISED, c, g, 2, 0, &pg, out);
    assert_int_equal(pg.n, 1);
    assert_false(p->b.overflow);
    assert_int_equal(p->b.pages, 0);
    paged_free(p);
}

/* "More" shows the next page, and the last page's goes back to the first; a page past the last
 * (the column got shorter) shows the first. */
static void pages_more_wraps(void **state)
{
    (void)state;
    struct stack_child c[] = {{60, 0}, {60, 0}, {60, 0}, {60, 0}, {60, 0}};
    static const int want_cur[] = {0, 1, 2, 0}, want_arg[] = {1, 2, 0, 1};
    for (int page = 0; page < 4; page++) {
        struct paged *p = paged_new(page);
        struct stack_pages pg;
        struct wrect out[5];
        stack_pages_column(&p->b, R(0, 0, 300, 200), STACK_START, c, gaps10, 5, 0, &pg, out);
        assert_int_equal(pg.n, 3);
        assert_int_equal(pg.cur, want_cur[page]);
        stack_pages_more(&p->b, &pg);
        const struct widget *more = layout_find(p->l, "page-more");
        assert_non_null(more);
        assert_int_equal(more->action, ACT_CHIP_MORE);
        assert_int_equal(more->arg, want_arg[page]);
        assert_int_equal(more->r.y, pg.more.y);
        assert_int_equal(p->l->n, 1);
        paged_free(p);
    }
    /* one page: no "More" */
    struct paged *p = paged_new(0);
    struct stack_pages pg;
    struct wrect out[1];
    stack_pages_column(&p->b, R(0, 0, 300, 200), STACK_START, c, gaps10, 1, 0, &pg, out);
    stack_pages_more(&p->b, &pg);
    assert_int_equal(p->l->n, 0);
    paged_free(p);
}

/* A child taller than a page's room is a page of its own and, shown, overflows (smaller type);
 * with "More" in the foot's free room the page has the whole box. */
static void pages_tall_child_overflows(void **state)
{
    (void)state;
    struct stack_child c[] = {{60, 0}, {160, 0}, {60, 0}};
    struct stack_pages pg;
    struct wrect out[3];
    struct paged *p = paged_new(1);
    stack_pages_column(&p->b, R(0, 0, 300, 200), STACK_START, c, gaps10, 3, 0, &pg, out);
    assert_int_equal(pg.n, 3);
    assert_int_equal(pg.from, 1);
    assert_int_equal(pg.to, 2);
    assert_int_equal(out[1].y, 0);
    assert_true(p->b.overflow);
    paged_free(p);
    p = paged_new(1);
    p->b.more_at = R(100, 400, 400, 60); /* wide and tall enough for "More" */
    stack_pages_column(&p->b, R(0, 0, 300, 200), STACK_START, c, gaps10, 3, 0, &pg, out);
    assert_int_equal(stack_pages_room(&p->b, R(0, 0, 300, 200)), 200);
    assert_int_equal(pg.n, 3);
    assert_false(p->b.overflow);
    rect_is(out[1], 0, 40, 300, 160); /* down on the box's bottom */
    assert_int_equal(pg.more.y, 400);
    assert_int_equal(pg.more.x + pg.more.w / 2, 300); /* in the middle of the free room */
    paged_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(column_start_gaps),
        cmocka_unit_test(column_centre_end),
        cmocka_unit_test(column_rest),
        cmocka_unit_test(column_overflow),
        cmocka_unit_test(row_fixed_share_grow),
        cmocka_unit_test(named_gaps),
        cmocka_unit_test(column_upper_natural),
        cmocka_unit_test(inset_sides),
        cmocka_unit_test(pages_whole_children),
        cmocka_unit_test(pages_fill_then_cut),
        cmocka_unit_test(pages_first_page_holds_what_matters),
        cmocka_unit_test(pages_one_page_aligned),
        cmocka_unit_test(pages_more_wraps),
        cmocka_unit_test(pages_tall_child_overflows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
