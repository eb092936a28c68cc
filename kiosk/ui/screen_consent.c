/* screen_consent.c — may the worker see the resident's own words? */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "flow_int.h"
#include "layout_int.h"

void consent_build(struct lb *b)
{
    const struct flow *f = b->f;
    int top = lb_topbar(b), y = top, cw = lb_col_w(b), cx = (lb_w(b) - cw) / 2, first = b->l->n;
    int bottom = lb_foot_top(b, FOOT_BACK, false);
    bool side = lb_answers_beside(b); /* the answers in a column at the right */
    if (side) {
        cx = b->pad;
        cw = lb_w(b) - 3 * b->pad - lb_side_w(b);
        bottom = b->floor;
    }
    y += lb_para(b, "title", R_HEADING, ST_SCREEN, lb_str(b, "consent.title"), cx, y, cw, b->head,
                 true, AL_LEFT) +
         b->gap;
    y += lb_para(b, "you-wrote", R_TEXT, ST_MUTED, lb_str(b, "consent.you_wrote"), cx, y, cw,
                 b->small, false, AL_LEFT) +
         b->gap / 2;
    int ans_h =
        side ? -b->gap * 2 : lb_two_buttons_h(b, lb_str(b, "consent.yes"), lb_str(b, "consent.no"));
    int words_bottom = bottom - (b->normal ? ans_h : b->btn_h * 13 / 10) - b->gap * 2;
    int room = words_bottom - y;
    int lh = lb_line_h(b, b->body, false), ip = b->pad;
    int qh = lb_text_h(b, f->text, b->body, false, cw - 2 * ip) + 2 * ip;
    if (b->normal && qh > room) /* bigger text: the words can have a page of their own */
        room = words_bottom - top - lb_more_h(b) - b->gap;
    if (qh > room)
        qh = room;
    if (qh < lh + 2 * ip) {
        qh = lh + 2 * ip;
        b->overflow = true;
    }
    lb_add(b, "quote-card", R_PANEL, ST_CARD, "", R(cx, y, cw, qh), ACT_NONE, 0);
    struct widget *q = lb_add(b, "quote", R_TEXT, ST_CARD, f->text,
                              R(cx + ip, y + ip, cw - 2 * ip, qh - 2 * ip), ACT_NONE, 0);
    lb_fit(b, q, b->body, false, AL_LEFT, FIT_ELLIPSIS);
    y += qh;
    /* the answers stay on the screen: with bigger text the words above them go on pages */
    y = lb_page(b, first, top, y, words_bottom, cx, cw) + b->gap * 2;
    if (side) {
        lb_centre_block(b, first, top, y, bottom);
        lb_side_answers(b, "consent-yes", lb_str(b, "consent.yes"), ACT_CONSENT_YES, "consent-no",
                        lb_str(b, "consent.no"), ACT_CONSENT_NO, true);
        return;
    }
    y = lb_two_buttons(b, y, bottom, "consent-yes", lb_str(b, "consent.yes"), ACT_CONSENT_YES,
                       "consent-no", lb_str(b, "consent.no"), ACT_CONSENT_NO);
    lb_centre_block(b, first, top, y, bottom);
    lb_foot(b, FOOT_BACK, false);
}

bool consent_act(struct flow *f, enum action a, int arg, int64_t now_ms)
{
    if (screen_page_act(f, a, arg))
        return true;
    if (a == ACT_CONSENT_YES || a == ACT_CONSENT_NO) {
        f->consent = a == ACT_CONSENT_YES;
        flow_submit(f, now_ms);
        return true;
    }
    if (a == ACT_BACK) {
        flow_go(f, SCR_NAME, now_ms);
        return true;
    }
    return false;
}
