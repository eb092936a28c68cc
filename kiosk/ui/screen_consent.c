/* screen_consent.c — may the worker see the resident's own words? */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "flow_int.h"
#include "layout_int.h"
#include "stack.h"

/* The words above the answers: the question, "You wrote:", the resident's words in their card. */
enum { CS_TITLE, CS_YOU_WROTE, CS_QUOTE, CS_N };

void consent_build(struct lb *b)
{
    const struct flow *f = b->f;
    int top = lb_topbar(b), cw = lb_col_w(b), cx = (lb_w(b) - cw) / 2, gap = b->gap, ip = b->pad;
    int bottom = lb_foot_top(b, FOOT_BACK, false);
    bool side = lb_answers_beside(b); /* the answers in a column at the right */
    if (side) {
        cx = b->pad;
        cw = lb_w(b) - 3 * b->pad - lb_side_w(b);
        bottom = b->floor;
    }
    const char *yes = lb_str(b, "consent.yes"), *no = lb_str(b, "consent.no");
    int ans_gap = gap * 2,
        words_bottom = side ? bottom : bottom - lb_two_buttons_h(b, yes, no) - ans_gap;
    struct stack_text t[CS_N] = {
        [CS_TITLE] = {"title", R_HEADING, ST_SCREEN, lb_str(b, "consent.title"), b->head, true,
                      AL_LEFT},
        [CS_YOU_WROTE] = {"you-wrote", R_TEXT, ST_MUTED, lb_str(b, "consent.you_wrote"), b->small,
                          false, AL_LEFT},
        [CS_QUOTE] = {"quote-card", R_PANEL, ST_CARD, NULL, 0, false, AL_LEFT},
    };
    struct stack_child c[CS_N];
    stack_texts_measure(b, t, CS_N, cw, c);
    const int gaps[CS_N] = {0, gap, gap / 2};
    /* the words' card: as tall as they are, up to the room left under the question (with
     * normal text above a row of one-line answers); with bigger text, when they do not fit
     * there, up to a page of their own; never less than a line */
    struct wrect box = R(cx, top, cw, words_bottom - top), r[CS_N];
    int one_line_answers_h = b->btn_h * 13 / 10; /* lb_two_buttons' least height */
    int quote_bottom = b->normal ? words_bottom : bottom - one_line_answers_h - ans_gap;
    int room = quote_bottom - (top + c[CS_TITLE].size + gaps[CS_YOU_WROTE] + c[CS_YOU_WROTE].size +
                               gaps[CS_QUOTE]);
    int lh = lb_line_h(b, b->body, false);
    int qh = lb_text_h(b, f->text, b->body, false, cw - 2 * ip) + 2 * ip;
    if (b->normal && qh > room)
        room = stack_pages_room(b, box);
    if (qh > room)
        qh = room;
    if (qh < lh + 2 * ip) {
        qh = lh + 2 * ip;
        b->overflow = true;
    }
    c[CS_QUOTE].size = qh;
    struct stack_pages pg;
    int y = stack_pages_column(b, box, STACK_RAISED, c, gaps, CS_N, 0, &pg, r) + ans_gap;
    for (int i = pg.from; i < pg.to; i++) {
        if (i != CS_QUOTE) {
            stack_texts_place(b, &t[i], 1, &r[i]);
            continue;
        }
        lb_add(b, "quote-card", R_PANEL, ST_CARD, "", r[i], ACT_NONE, 0);
        struct widget *q =
            lb_add(b, "quote", R_TEXT, ST_CARD, f->text, stack_inset(r[i], ip), ACT_NONE, 0);
        lb_fit(b, q, b->body, false, AL_LEFT, FIT_ELLIPSIS);
    }
    stack_pages_more(b, &pg);
    if (side) {
        lb_side_answers(b, "consent-yes", yes, ACT_CONSENT_YES, "consent-no", no, ACT_CONSENT_NO,
                        true);
        return;
    }
    lb_two_buttons(b, y, bottom, "consent-yes", yes, ACT_CONSENT_YES, "consent-no", no,
                   ACT_CONSENT_NO);
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
