/* screen_people.c — "I know who I want to see": the workers on shift as cards. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "flow_int.h"
#include "layout_int.h"

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
    if (th < b->T) {
        th = b->T;
        b->overflow = true;
    }
    for (int j = 0; j < n; j++) {
        const struct worker *wk = &d->workers[idx[j]];
        int x = b->pad + (j % cols) * (tw + b->gap), ty = y + (j / cols) * (th + b->gap);
        char id[WIDGET_ID_MAX];
        snprintf(id, sizeof(id), "worker-%s", wk->id);
        lb_add(b, id, R_TILE, ST_TILE, "", R(x, ty, tw, th), ACT_WORKER, idx[j]);
        int ip = b->gap, dia = th - 2 * ip;
        if (dia > tw / 4)
            dia = tw / 4;
        snprintf(id, sizeof(id), "avatar-%s", wk->id);
        lb_avatar(b, id, wk, R(x + ip, ty + (th - dia) / 2, dia, dia));
        int tx = x + ip * 2 + dia, txw = tw - dia - ip * 3, half = (th - 2 * ip) / 2;
        snprintf(id, sizeof(id), "name-%s", wk->id);
        struct widget *nw =
            lb_add(b, id, R_TEXT, ST_TILE, wk->name, R(tx, ty + ip, txw, half), ACT_NONE, 0);
        lb_fit(b, nw, b->body, true, AL_LEFT, 0);
        const char *sub = wk->status == WS_BUSY   ? lb_str(b, "people.busy")
                          : wk->status == WS_AWAY ? lb_str(b, "people.away")
                                                  : lb_str(b, lb_helps_key(wk->domain_mask));
        snprintf(id, sizeof(id), "helps-%s", wk->id);
        struct widget *hw = lb_add(b, id, R_TEXT, ST_CARD_MUTED, sub,
                                   R(tx, ty + ip + half, txw, th - 2 * ip - half), ACT_NONE, 0);
        lb_fit(b, hw, b->small, false, AL_LEFT, 0);
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
