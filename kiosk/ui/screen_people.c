/* screen_people.c — "I know who I want to see": the workers on shift as cards. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "flow_int.h"
#include "layout_int.h"

/* A card's line under the name: what the worker helps with, or that they are busy or away. */
static const char *card_sub(struct lb *b, const struct worker *wk)
{
    return wk->status == WS_BUSY   ? lb_str(b, "people.busy")
           : wk->status == WS_AWAY ? lb_str(b, "people.away")
                                   : lb_str(b, lb_helps_key(wk->domain_mask));
}

/* With bigger text: of the columns (from *cols down) in which every card's name and line fit
 * whole at their size, the one that shows the most cards on a page (room tall, "More" under
 * them when they do not all fit), then the one that takes the least height; and the cards'
 * height then (the name as tall as its lines, the line under it the rest). */
static void big_cards(struct lb *b, const struct hub_dir *d, const int *idx, int n, int cw,
                      int room, bool more_in_foot, int *cols, int *th)
{
    int ip = b->gap, best = -1, best_shown = -1;
    for (int c = *cols; c >= 1; c--) {
        int tw = (cw - (c - 1) * b->gap) / c, dia = b->T * 3 / 2 < tw / 4 ? b->T * 3 / 2 : tw / 4;
        int txw = tw - dia - ip * 3, h = dia + 2 * ip;
        bool whole = true;
        for (int j = 0; j < n && whole; j++) {
            const struct worker *wk = &d->workers[idx[j]];
            const char *sub = card_sub(b, wk);
            whole = lb_widest_word(b, wk->name, b->body, true) <= txw &&
                    lb_widest_word(b, sub, b->small, false) <= txw;
            int need = 2 * ip + lb_text_h(b, wk->name, b->body, true, txw) +
                       lb_text_h(b, sub, b->small, false, txw);
            h = need > h ? need : h;
        }
        int rows = (n + c - 1) / c, total = rows * (h + b->gap);
        /* how many a page shows: all when they fit, else the rows above "More" */
        int shown = n;
        if (total - b->gap > room) {
            int fit = (room - (more_in_foot ? 0 : lb_more_h(b) + b->gap) + b->gap) / (h + b->gap);
            shown = (fit < 1 ? 0 : fit) * c; /* 0: not even a row fits */
            shown = shown > n ? n : shown;
        }
        if ((whole && (best < 0 || shown > best_shown || (shown == best_shown && total < best))) ||
            (best < 0 && c == 1)) {
            best = total;
            best_shown = shown;
            *cols = c;
            *th = h;
        }
    }
}

/* The widgets ws (one a card) at one size, from px down: the largest at which each fits its
 * card, wrapped (a card that needs a smaller one brings the others down to it). */
static void same_size(struct lb *b, const int *ws, int n, int px0, bool bold)
{
    const int *helps = ws;
    for (int round = 0; round < 4; round++) {
        int px = px0;
        for (int j = 0; j < n; j++)
            if (helps[j] >= 0 && helps[j] < b->l->n && b->l->wg[helps[j]].px < px)
                px = b->l->wg[helps[j]].px;
        bool same = true;
        for (int j = 0; j < n; j++) {
            if (helps[j] < 0 || helps[j] >= b->l->n)
                continue;
            struct widget *w = &b->l->wg[helps[j]];
            if (w->px != px)
                lb_fit(b, w, px, bold, AL_LEFT, 0);
            same = same && w->px == px;
        }
        if (same)
            return;
    }
}

void people_build(struct lb *b)
{
    const struct hub_dir *d = b->f->deps.dir;
    int y = lb_topbar(b), cw = lb_w(b) - 2 * b->pad, first = b->l->n;
    y += lb_para(b, "title", R_HEADING, ST_SCREEN, lb_str(b, "people.title"), b->pad, y, cw,
                 b->head, true, AL_LEFT) +
         b->gap;
    y = lb_reach_from(b, first, y);
    int idx[64], n = 0;
    for (int i = 0; d && i < d->n_workers && n < 64; i++)
        if (d->workers[i].status != WS_OFF)
            idx[n++] = i;
    int cols = lb_w(b) / (b->T * 5), rows;
    cols = cols < 2 ? 2 : cols > 4 ? 4 : cols;
    rows = (n + cols - 1) / cols;
    if (rows < 1)
        rows = 1;
    int bottom = lb_foot_top(b, FOOT_BACK, false);
    int tw = (cw - (cols - 1) * b->gap) / cols;
    int th = (bottom - y - (rows - 1) * b->gap) / rows;
    if (th > b->T * 2 * (b->k > 1 ? b->k : 1))
        th = (int)(b->T * 2 * (b->k > 1 ? b->k : 1));
    if (b->normal) /* bigger text: the columns that keep every card's words whole, on pages */
        big_cards(b, d, idx, n, cw, bottom - y, lb_more_in(b, lb_foot_free(b, FOOT_BACK), cw),
                  &cols, &th);
    if (th < b->T) {
        th = b->T;
        b->overflow = true;
    }
    tw = (cw - (cols - 1) * b->gap) / cols;
    int cards = b->l->n, helps[64], names[64];
    for (int j = 0; j < n; j++) {
        const struct worker *wk = &d->workers[idx[j]];
        int x = b->pad + (j % cols) * (tw + b->gap), ty = y + (j / cols) * (th + b->gap);
        char id[WIDGET_ID_MAX];
        snprintf(id, sizeof(id), "worker-%s", wk->id);
        lb_add(b, id, R_TILE, ST_TILE, "", R(x, ty, tw, th), ACT_WORKER, idx[j]);
        int ip = b->gap, dia = th - 2 * ip;
        if (dia > tw / 4)
            dia = tw / 4;
        if (b->normal && dia > b->T * 3 / 2)
            dia = b->T * 3 / 2;
        snprintf(id, sizeof(id), "avatar-%s", wk->id);
        lb_avatar(b, id, wk, R(x + ip, ty + (th - dia) / 2, dia, dia));
        int tx = x + ip * 2 + dia, txw = tw - dia - ip * 3, half = (th - 2 * ip) / 2;
        int name_h = lb_text_h(b, wk->name, b->body, true, txw);
        if (b->normal || name_h < half) /* the name as tall as its lines, the rest for the line */
            half = name_h;
        snprintf(id, sizeof(id), "name-%s", wk->id);
        struct widget *nw =
            lb_add(b, id, R_TEXT, ST_TILE, wk->name, R(tx, ty + ip, txw, half), ACT_NONE, 0);
        lb_fit(b, nw, b->body, true, AL_LEFT, 0);
        names[j] = (int)(nw - b->l->wg);
        const char *sub = card_sub(b, wk);
        snprintf(id, sizeof(id), "helps-%s", wk->id);
        struct widget *hw = lb_add(b, id, R_TEXT, ST_CARD_MUTED, sub,
                                   R(tx, ty + ip + half, txw, th - 2 * ip - half), ACT_NONE, 0);
        lb_fit(b, hw, b->small, false, AL_LEFT, 0);
        helps[j] = (int)(hw - b->l->wg);
    }
    same_size(b, names, n, b->body, true);
    same_size(b, helps, n, b->small, false);
    if (b->normal && n > 0) { /* the cards on pages, within reach */
        int end = y + (n + cols - 1) / cols * (th + b->gap) - b->gap;
        b->more_at = lb_foot_free(b, FOOT_BACK); /* More between Back and help now */
        lb_page(b, cards, y, end, bottom, b->pad, cw);
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
