/* stack.c — column and row stacks: measured once, placed once. */
#include "stack.h"

#include <math.h>
#include <stdio.h>

int stack_gap_px(const struct lb *b, enum stack_gap g)
{
    return (int)lround(g * b->u);
}

/* How far down a block starts with left px of room to spare, aligned al. */
static int align_offset(int left, enum stack_align al)
{
    switch (al) {
    case STACK_CENTRE:
        return left / 2;
    case STACK_END:
        return left;
    case STACK_UPPER:
        return left / 3;
    case STACK_RAISED:
        return left * 2 / 5;
    case STACK_START:
        break;
    }
    return 0;
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
    int y = box.y + (rest_n == 0 ? align_offset(left, al) : 0);
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

struct stack_text stack_para(const char *id, enum role role, enum style st, const char *text,
                             int px, bool bold, enum halign al)
{
    struct stack_text t = {
        .role = role, .st = st, .text = text, .px = px, .bold = bold, .al = al, .id = {0}};
    snprintf(t.id, sizeof(t.id), "%s", id);
    return t;
}

struct stack_text stack_room(int px)
{
    return stack_para("", R_TEXT, ST_SCREEN, NULL, px, false, AL_LEFT);
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

/* Where a block of natural height h starts in a room of height room at y, aligned al; a block
 * taller than the room starts at y and sets b->overflow. */
static int aligned_y(struct lb *b, int y, int room, int h, enum stack_align al)
{
    int left = room - h;
    if (left < 0) {
        b->overflow = true;
        return y;
    }
    return y + align_offset(left, al);
}

/* The natural height of children [from, to), without the gap above the first. */
static int run_h(const struct stack_child *c, const int *gap, int from, int to)
{
    int h = 0;
    for (int i = from; i < to; i++)
        h += (i > from ? gap[i] : 0) + c[i].size;
    return h;
}

int stack_pages_room(struct lb *b, struct wrect box)
{
    return box.h - (lb_more_in(b, b->more_at, box.w) ? 0 : lb_more_h(b) + b->gap);
}

/* Cuts children into pages of whole ones that fit room (the first that does not fit under those
 * before it starts the next page); writes page's children to [*from, *to) and returns how many
 * pages there are. */
static int cut_pages(const struct stack_child *c, const int *gap, int n, int room, int page,
                     int *from, int *to)
{
    int pages = 0, start = 0;
    for (int i = 1; i <= n; i++) {
        if (i < n && run_h(c, gap, start, i + 1) <= room)
            continue;
        if (pages == page) {
            *from = start;
            *to = i;
        }
        pages++;
        start = i;
    }
    return pages;
}

int stack_pages_column(struct lb *b, struct wrect box, enum stack_align al,
                       const struct stack_child *c, const int *gap, int n, int first_n,
                       struct stack_pages *pg, struct wrect *out)
{
    *pg = (struct stack_pages){1, 0, 0, n, R(0, 0, 0, 0)};
    bool in_foot = false;
    int room = box.h, pages = 1, first_from = 0, first_to = n;
    /* only with bigger text (b->normal: the normal sizes are its floor); normal text shrinks
     * rather than goes on pages */
    if (b->normal && gap[0] + run_h(c, gap, 0, n) > box.h) {
        in_foot = lb_more_in(b, b->more_at, box.w);
        room = stack_pages_room(b, box);
        pages = cut_pages(c, gap, n, room, 0, &first_from, &first_to);
    }
    if (pages < 2) {
        room = box.h;
    } else {
        pg->n = pages;
        pg->cur = b->f->chip_page < pages ? b->f->chip_page : 0;
        cut_pages(c, gap, n, room, pg->cur, &pg->from, &pg->to);
        if (first_to < first_n)
            b->overflow = true; /* what matters first is not on the first page: smaller type */
        b->pages += pages;
    }
    /* one page: gap[0] above it; a page of several settles down on "More", which follows it */
    int lead = pg->n > 1 ? 0 : gap[0];
    int y = aligned_y(b, box.y, room, lead + run_h(c, gap, pg->from, pg->to),
                      pg->n > 1 ? STACK_END : al) +
            lead;
    for (int i = 0; i < n; i++) {
        if (i < pg->from || i >= pg->to) {
            out[i] = R(0, 0, 0, 0);
            continue;
        }
        y += i > pg->from ? gap[i] : 0;
        out[i] = R(box.x, y, box.w, c[i].size);
        y += c[i].size;
    }
    if (pg->n < 2)
        return y;
    int mw = lb_more_w(b, box.w), mh = lb_more_h(b);
    struct wrect at = b->more_at;
    pg->more = in_foot ? R(at.x + (at.w - mw) / 2, at.y, mw, at.h)
                       : R(box.x + box.w - mw, box.y + box.h - mh, mw, mh);
    return box.y + box.h;
}

void stack_pages_more(struct lb *b, const struct stack_pages *pg)
{
    if (pg->n < 2)
        return;
    lb_button(b, "page-more", R_BUTTON, ST_QUIET, lb_str(b, "app.more"), pg->more, ACT_CHIP_MORE,
              (pg->cur + 1) % pg->n, b->body, true);
}
