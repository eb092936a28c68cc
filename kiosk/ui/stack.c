/* stack.c — column and row stacks: measured once, placed once. */
#include "stack.h"

#include <math.h>

int stack_gap_px(const struct lb *b, enum stack_gap g)
{
    return (int)lround(g * b->u);
}

int stack_column(struct lb *b, struct wrect box, int gap, enum stack_align al,
                 const struct stack_child *c, int n, struct wrect *out)
{
    int fixed = 0, rest_n = 0;
    for (int i = 0; i < n; i++) {
        if (c[i].size == STACK_REST)
            rest_n++;
        else
            fixed += c[i].size;
    }
    int used = fixed + (n > 1 ? gap * (n - 1) : 0);
    int left = box.h - used;
    if (left < 0) {
        b->overflow = true;
        left = 0;
    }
    int y = box.y;
    if (rest_n == 0 && al == STACK_CENTRE)
        y += left / 2;
    else if (rest_n == 0 && al == STACK_END)
        y += left;
    else if (rest_n == 0 && al == STACK_UPPER)
        y += left / 3;
    int rest_seen = 0;
    for (int i = 0; i < n; i++) {
        int h = c[i].size;
        if (h == STACK_REST) {
            /* the last rest child takes the rounding remainder */
            h = left / rest_n + (++rest_seen == rest_n ? left % rest_n : 0);
        }
        out[i] = R(box.x, y, box.w, h);
        y += h + (i + 1 < n ? gap : 0);
    }
    return y;
}

int stack_row(struct lb *b, struct wrect box, int gap, const struct stack_child *c, int n,
              struct wrect *out)
{
    int fixed = 0, share_n = 0, grow = 0;
    for (int i = 0; i < n; i++) {
        if (c[i].grow > 0)
            grow += c[i].grow;
        else if (c[i].size == STACK_SHARE)
            share_n++;
        else
            fixed += c[i].size;
    }
    int left = box.w - fixed - (n > 1 ? gap * (n - 1) : 0);
    if (left < 0) {
        b->overflow = true;
        left = 0;
    }
    /* equal shares split the leftover when nothing grows; growers split it otherwise */
    int share_w = grow == 0 && share_n > 0 ? left / share_n : 0;
    int x = box.x;
    for (int i = 0; i < n; i++) {
        int w;
        if (c[i].grow > 0)
            w = left * c[i].grow / grow;
        else if (c[i].size == STACK_SHARE)
            w = share_w;
        else
            w = c[i].size;
        out[i] = R(x, box.y, w, box.h);
        x += w + (i + 1 < n ? gap : 0);
    }
    return x;
}

struct wrect stack_inset(struct wrect r, int p)
{
    return R(r.x + p, r.y + p, r.w - 2 * p, r.h - 2 * p);
}

int stack_natural_h(const struct stack_child *c, int n, int gap)
{
    int h = n > 1 ? gap * (n - 1) : 0;
    for (int i = 0; i < n; i++)
        h += c[i].size;
    return h;
}

void stack_texts_measure(struct lb *b, const struct stack_text *t, int n, int w,
                         struct stack_child *c)
{
    for (int i = 0; i < n; i++)
        c[i] = (struct stack_child){
            t[i].text ? lb_text_h(b, t[i].text, t[i].px, t[i].bold, w) : t[i].px, 0};
}

void stack_texts_place(struct lb *b, const struct stack_text *t, int n, const struct wrect *r)
{
    for (int i = 0; i < n; i++)
        if (t[i].text)
            lb_para(b, t[i].id, t[i].role, t[i].st, t[i].text, r[i].x, r[i].y, r[i].w, t[i].px,
                    t[i].bold, t[i].al);
}
