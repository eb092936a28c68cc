/* test_stack.c — column and row stacks: positions, gaps, rest of height, alignment, overflow. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "stack.h"

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
    assert_false(b.overflow);
}

static void inset_sides(void **state)
{
    (void)state;
    rect_is(stack_inset(R(10, 20, 100, 60), 7), 17, 27, 86, 46);
    rect_is(stack_inset(R(0, 0, 30, 10), 0), 0, 0, 30, 10);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(column_start_gaps),    cmocka_unit_test(column_centre_end),
        cmocka_unit_test(column_rest),          cmocka_unit_test(column_overflow),
        cmocka_unit_test(row_fixed_share_grow), cmocka_unit_test(named_gaps),
        cmocka_unit_test(column_upper_natural), cmocka_unit_test(inset_sides),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
