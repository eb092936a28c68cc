/* screen_welcome.c — the welcome screen: a greeting in every language, each starting that
 * language, the line of the hub's figures, "Did you get what you came for?" on the way out,
 * "I need help now", and the staff corner. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "flow_int.h"
#include "layout_int.h"

void welcome_build(struct lb *b)
{
    lb_add(b, "welcome", R_BACKDROP, ST_SCREEN, "", R(0, 0, lb_w(b), lb_h(b)), ACT_BEGIN, 0);
    int y0 = lb_topbar(b);
    const struct flow *f = b->f;
    int cw = lb_col_w(b), cx = (lb_w(b) - cw) / 2, n = f->cfg.n_langs;
    if (b->landscape) { /* the way-out question at the right, apart from the greeting */
        cw = lb_w(b) - 2 * b->pad - lb_feedback_w(b) - b->gap * 4;
        cx = b->pad;
    }
    int big = (int)lround(b->body * 2.6), th = 0;
    for (int i = 0; i < n; i++) {
        const struct i18n *c = b->in->cats[i] ? b->in->cats[i] : b->in->cat;
        th += lb_text_h(b, i18n_get(c, "welcome.title"), big, true, cw);
        th += lb_text_h(b, i18n_get(c, "welcome.tap"), b->body, false, cw);
    }
    th += (n + 1) * b->gap * 2 + b->btn_h * 3 / 2;
    int bottom = b->floor - lb_staff_notice(b); /* the notice to staff, when there is one */
    int help_bottom = bottom;
    bottom = lb_help_now_low(b, help_bottom, false) - b->gap * 2;
    int fb_bottom = bottom;
    if (!b->landscape) /* below the greeting, apart */
        bottom = lb_feedback(b, fb_bottom, false) - b->gap * 2;
    y0 += lb_community(b, y0, true);
    int y = y0 + (bottom - y0 - th) / 2;
    if (!b->landscape) /* within reach: the words just above the buttons, low on the screen */
        y = bottom - th;
    if (y < y0)
        y = y0;
    int top[FLOW_LANGS_MAX + 1];
    for (int i = 0; i < n; i++) {
        const struct i18n *c = b->in->cats[i] ? b->in->cats[i] : b->in->cat;
        char id[WIDGET_ID_MAX];
        top[i] = y;
        snprintf(id, sizeof(id), "title-%s", f->cfg.langs[i]);
        y += lb_para(b, id, R_HEADING, ST_SCREEN, i18n_get(c, "welcome.title"), cx, y, cw, big,
                     true, AL_CENTER);
        snprintf(id, sizeof(id), "tap-%s", f->cfg.langs[i]);
        y += lb_para(b, id, R_TEXT, ST_MUTED, i18n_get(c, "welcome.tap"), cx, y, cw, b->body, false,
                     AL_CENTER) +
             b->gap * 2;
    }
    top[n] = y;
    /* each language's words start that language when tapped: the screen is shared out between
     * them, half way to the next block (the rest of the screen starts the first) */
    for (int i = 0; i < n; i++) {
        char id[WIDGET_ID_MAX];
        int from = i == 0 ? 0 : (top[i] + top[i] - b->gap) / 2, to = top[i + 1] - b->gap;
        if (i + 1 < n)
            to = (top[i + 1] + top[i + 1] - b->gap) / 2;
        snprintf(id, sizeof(id), "start-%s", f->cfg.langs[i]);
        lb_add(b, id, R_BACKDROP, ST_SCREEN, "", R(0, from, lb_w(b), to - from), ACT_SET_LANG, i);
    }
    int bw = (cw - (n - 1) * b->gap * 2) / (n > 0 ? n : 1);
    if (bw > b->T * 5)
        bw = b->T * 5;
    int bx = cx + (cw - (n * bw + (n - 1) * b->gap * 2)) / 2, bh = b->btn_h * 3 / 2;
    if (y < lb_reach_top(b))
        b->overflow = true; /* out of reach: smaller type, until it is within reach */
    for (int i = 0; i < n; i++) {
        const struct i18n *c = b->in->cats[i] ? b->in->cats[i] : b->in->cat;
        char id[WIDGET_ID_MAX];
        snprintf(id, sizeof(id), "lang-%s", f->cfg.langs[i]);
        lb_button(b, id, R_BUTTON, ST_PRIMARY, i18n_get(c, "lang.self"), R(bx, y, bw, bh),
                  ACT_SET_LANG, i, (int)lround(b->body * 1.2), true);
        bx += bw + b->gap * 2;
    }
    lb_check_bottom(b, y + bh, bottom);
    lb_feedback(b, fb_bottom, true);
    lb_help_now_low(b, help_bottom, true);
    lb_staff_corner(b);
}

bool welcome_act(struct flow *f, enum action a, int arg, int64_t now_ms)
{
    if (a == ACT_BEGIN || a == ACT_ENTER) {
        flow_go(f, SCR_TELL, now_ms);
        return true;
    }
    if (a == ACT_FEEDBACK)
        return feedback_act(f, arg, now_ms);
    return a == ACT_STAFF && staff_open(f, now_ms);
}
