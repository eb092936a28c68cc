/* screen_people.c — "I know who I want to see": the workers on shift as cards, on pages behind
 * "More" when they do not all fit. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "flow_int.h"
#include "layout_int.h"
#include "stack.h"

/* Named metrics of the people screen. */
static const double AVATAR_TARGETS = 1.0;    /* an avatar at most this many targets across */
static const double CARD_MOST_TARGETS = 2.0; /* a card no taller than this (times the type
                                              * scale when that is over 1) when there is room */
enum {
    CARD_LEAST_TARGETS = 4, /* a column of cards at least this many targets wide */
    COLS_MOST = 4,          /* and no more columns than this */
    AVATAR_PART = 4,        /* an avatar no wider than this part of its card */
    WORKERS_MAX = 64,       /* the cards a screen lays out */
    CARD_TEXTS = 2,         /* a card's words: the name, the line under it */
};

/* A card's line under the name: what the worker helps with, or that they are busy or away. */
static const char *card_sub(struct lb *b, const struct worker *wk)
{
    return wk->status == WS_BUSY   ? lb_str(b, "people.busy")
           : wk->status == WS_AWAY ? lb_str(b, "people.away")
                                   : lb_str(b, lb_helps_key(wk->domain_mask));
}

/* A card's words as a text column: the name at body size, the line under it at the small size
 * (never smaller: a card too narrow for them takes another column count). */
static void card_texts(struct lb *b, const struct worker *wk, struct stack_text *t)
{
    char id[WIDGET_ID_MAX];
    snprintf(id, sizeof(id), "name-%s", wk->id);
    t[0] = stack_para(id, R_TEXT, ST_TILE, wk->name, b->body, true, AL_LEFT);
    snprintf(id, sizeof(id), "helps-%s", wk->id);
    t[1] = stack_para(id, R_TEXT, ST_CARD_MUTED, card_sub(b, wk), b->small, false, AL_LEFT);
}

/* The cards' grid for a number of columns: each card's width, its avatar, the width its words
 * have, and the height that holds every card's words whole (measured once here). */
struct grid {
    int cols, tw, dia, txw, h;
    bool whole;                                    /* every word of every card fits its width */
    struct stack_child c[WORKERS_MAX][CARD_TEXTS]; /* each card's words' heights at txw */
};

static struct grid grid_at(struct lb *b, const struct worker *const *wk, int n, int cw, int cols)
{
    struct grid g = {.cols = cols, .whole = true};
    int ip = b->gap, dia_most = (int)lround(b->T * AVATAR_TARGETS);
    g.tw = (cw - (cols - 1) * b->gap) / cols;
    g.dia = g.tw / AVATAR_PART < dia_most ? g.tw / AVATAR_PART : dia_most;
    g.txw = g.tw - g.dia - 3 * ip;
    g.h = g.dia + 2 * ip > b->T ? g.dia + 2 * ip : b->T;
    for (int j = 0; j < n; j++) {
        struct stack_text t[CARD_TEXTS];
        card_texts(b, wk[j], t);
        for (int k = 0; k < CARD_TEXTS; k++)
            g.whole = g.whole && lb_widest_word(b, t[k].text, t[k].px, t[k].bold) <= g.txw;
        stack_texts_measure(b, t, CARD_TEXTS, g.txw, g.c[j]);
        int need = 2 * ip + stack_natural_h(g.c[j], CARD_TEXTS, 0);
        g.h = need > g.h ? need : g.h;
    }
    return g;
}

/* How many rows of cards h tall fit in room. */
static int rows_in(const struct lb *b, int room, int h)
{
    return (room + b->gap) / (h + b->gap);
}

/* Card j: its tile, the avatar centred in its height at the left, the words beside it (as
 * the grid measured them). */
static void card(struct lb *b, const struct worker *wk, int idx, struct wrect r,
                 const struct grid *g, int j)
{
    char id[WIDGET_ID_MAX];
    int ip = b->gap;
    snprintf(id, sizeof(id), "worker-%s", wk->id);
    lb_add(b, id, R_TILE, ST_TILE, "", r, ACT_WORKER, idx);
    snprintf(id, sizeof(id), "avatar-%s", wk->id);
    lb_avatar(b, id, wk, R(r.x + ip, r.y + (r.h - g->dia) / 2, g->dia, g->dia));
    struct stack_text t[CARD_TEXTS];
    struct wrect at[CARD_TEXTS];
    card_texts(b, wk, t);
    struct wrect words = R(r.x + 2 * ip + g->dia, r.y + ip, g->txw, r.h - 2 * ip);
    stack_column(b, words, 0, STACK_START, g->c[j], CARD_TEXTS, at);
    stack_texts_place(b, t, CARD_TEXTS, at);
}

void people_build(struct lb *b)
{
    const struct hub_dir *d = b->f->deps.dir;
    int y0 = lb_topbar(b), cw = lb_w(b) - 2 * b->pad, first = b->l->n;
    struct stack_text title = {.role = R_HEADING,
                               .st = ST_SCREEN,
                               .text = lb_str(b, "people.title"),
                               .px = b->head,
                               .bold = true,
                               .al = AL_LEFT,
                               .id = "title"};
    struct stack_child tc;
    struct wrect tr;
    stack_texts_measure(b, &title, 1, cw, &tc);
    int y = stack_column(b, R(b->pad, y0, cw, tc.size), 0, STACK_START, &tc, 1, &tr);
    stack_texts_place(b, &title, 1, &tr);
    y = lb_reach_from(b, first, y + b->gap);
    const struct worker *wk[WORKERS_MAX];
    int idx[WORKERS_MAX], n = 0;
    for (int i = 0; d && i < d->n_workers && n < WORKERS_MAX; i++)
        if (d->workers[i].status != WS_OFF) {
            wk[n] = &d->workers[i];
            idx[n++] = i;
        }
    int bottom = lb_foot_top(b, FOOT_BACK, false), room = bottom - y;
    struct wrect free_at = lb_foot_free(b, FOOT_BACK);
    bool more_in_foot = lb_more_in(b, free_at, cw);
    int paged_room = room - (more_in_foot ? 0 : lb_more_h(b) + b->gap);
    /* the columns: of those that keep every card's words whole at their size, the one that
     * shows the most cards on a page, then the one whose cards take the least height */
    int cols_most = lb_w(b) / (b->T * CARD_LEAST_TARGETS);
    cols_most = cols_most < 1 ? 1 : cols_most > COLS_MOST ? COLS_MOST : cols_most;
    struct grid g = {0};
    int shown = -1, height = 0;
    for (int c = cols_most; c >= 1 && n > 0; c--) {
        struct grid gc = grid_at(b, wk, n, cw, c);
        int rows = (n + c - 1) / c, h = rows * (gc.h + b->gap) - b->gap;
        int s = h <= room ? n : rows_in(b, paged_room, gc.h) * c;
        s = s > n ? n : s;
        bool better = shown < 0 || (gc.whole && !g.whole) ||
                      (gc.whole == g.whole && (s > shown || (s == shown && h < height)));
        if (better) {
            g = gc;
            shown = s;
            height = h;
        }
    }
    if (n > 0 && !g.whole)
        b->overflow = true; /* a word wider than any card: smaller type */
    int pages = 1, per_page = n, rows = n > 0 ? (n + g.cols - 1) / g.cols : 0;
    if (n > 0 && height > room) {
        int rp = rows_in(b, paged_room, g.h);
        if (rp < 1) {
            rp = 1;
            b->overflow = true; /* not even a row of cards fits: smaller type */
        }
        per_page = rp * g.cols;
        pages = (n + per_page - 1) / per_page;
        rows = rp;
        room = paged_room;
    }
    int cur = pages > 1 && b->f->chip_page < pages ? b->f->chip_page : 0;
    int from = cur * per_page, to = from + per_page < n ? from + per_page : n;
    int page_rows = n > 0 ? (to - from + g.cols - 1) / g.cols : 0;
    /* the cards share the room the rows leave, no taller than CARD_MOST_TARGETS */
    int most = (int)lround(b->T * CARD_MOST_TARGETS * (b->k > 1 ? b->k : 1));
    int th = rows > 0 ? (room - (rows - 1) * b->gap) / rows : 0;
    th = th > most ? most : th;
    th = th < g.h ? g.h : th;
    struct stack_child rc[WORKERS_MAX], cc[COLS_MOST];
    struct wrect rr[WORKERS_MAX], cr[COLS_MOST];
    for (int r = 0; r < page_rows; r++)
        rc[r] = (struct stack_child){th, 0};
    for (int c = 0; c < g.cols; c++)
        cc[c] = (struct stack_child){g.tw, 0};
    stack_column(b, R(b->pad, y, cw, room), b->gap, STACK_START, rc, page_rows, rr);
    for (int r = 0; r < page_rows; r++) {
        stack_row(b, R(b->pad, rr[r].y, cw, th), b->gap, cc, g.cols, cr);
        for (int c = 0; c < g.cols && from + r * g.cols + c < to; c++) {
            int j = from + r * g.cols + c;
            card(b, wk[j], idx[j], cr[c], &g, j);
        }
    }
    if (pages > 1) { /* "More" between Back and help now, or under the cards at the right */
        int mw = lb_more_w(b, cw), mh = lb_more_h(b);
        struct wrect at = more_in_foot
                              ? R(free_at.x + (free_at.w - mw) / 2, free_at.y, mw, free_at.h)
                              : R(b->pad + cw - mw, bottom - mh, mw, mh);
        lb_button(b, "page-more", R_BUTTON, ST_QUIET, lb_str(b, "app.more"), at, ACT_CHIP_MORE,
                  (cur + 1) % pages, b->body, true);
        b->pages += pages;
    }
    lb_foot(b, FOOT_BACK, false);
}

bool people_act(struct flow *f, enum action a, int arg, int64_t now_ms)
{
    if (screen_page_act(f, a, arg))
        return true;
    const struct hub_dir *d = f->deps.dir;
    if (a == ACT_WORKER && d && arg >= 0 && arg < d->n_workers) {
        f->chosen_worker = arg;
        f->n_sel = 0;
        flow_to_check(f, SRC_PERSON, now_ms);
        return true;
    }
    if (a == ACT_BACK) {
        flow_go(f, SCR_TELL, now_ms);
        return true;
    }
    return false;
}
