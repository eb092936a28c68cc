/* screen_welcome.c — the welcome screen: a greeting in every language, each starting that
 * language, the line of the hub's figures, "Did you get what you came for?" on the way out,
 * "I need help now", and the staff corner. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "flow_int.h"
#include "layout_int.h"

/* With bigger text, "More" in every language, right above "I need help now": the greeting's
 * page and the way-out question's. */
static void more_label(struct lb *b, char *label, size_t cap)
{
    const struct flow *f = b->f;
    size_t o = 0;
    label[0] = '\0';
    for (int i = 0; i < f->cfg.n_langs && o < cap; i++) {
        const struct i18n *c = b->in->cats[i] ? b->in->cats[i] : b->in->cat;
        int n = snprintf(label + o, cap - o, "%s%s", i ? "\n" : "", i18n_get(c, "app.more"));
        if (n < 0 || (size_t)n >= cap - o)
            break;
        o += (size_t)n;
    }
}

static int more_width(struct lb *b)
{
    char label[WIDGET_TEXT_MAX];
    more_label(b, label, sizeof(label));
    int w = lb_widest_line(b, label, b->body, true) + 2 * (b->body * 6 / 10) + 2 * b->gap;
    return w < b->T * 3 ? b->T * 3 : w > lb_col_w(b) ? lb_col_w(b) : w;
}

static void more_button(struct lb *b, struct wrect r)
{
    char label[WIDGET_TEXT_MAX];
    more_label(b, label, sizeof(label));
    if (label[0] == '\0')
        return;
    lb_button(b, "page-more", R_BUTTON, ST_QUIET, label, r, ACT_CHIP_MORE,
              b->f->chip_page == 1 ? 0 : 1, b->body, true);
}

/* With bigger text on a wide screen: each language's greeting, how to start and its button in
 * a column of its own, side by side; tapping a column starts in its language. */
static void greeting_columns(struct lb *b, int y0, int bottom, int big)
{
    const struct flow *f = b->f;
    /* the whole width: the more each column holds a line, the less height the words take */
    int n = f->cfg.n_langs > 0 ? f->cfg.n_langs : 1, cw = lb_w(b) - 2 * b->pad, cx = b->pad;
    int colw = (cw - (n - 1) * b->gap * 2) / n, bh = b->btn_h, hb = 0;
    for (int i = 0; i < f->cfg.n_langs; i++) {
        const struct i18n *c = b->in->cats[i] ? b->in->cats[i] : b->in->cat;
        int h = lb_text_h(b, i18n_get(c, "welcome.title"), big, true, colw) +
                lb_text_h(b, i18n_get(c, "welcome.tap"), b->body, false, colw) + b->gap * 2 + bh;
        hb = h > hb ? h : hb;
    }
    int y = y0 + (bottom - y0 - hb) / 2;
    y = y < y0 ? y0 : y;
    for (int i = 0; i < f->cfg.n_langs; i++) {
        const struct i18n *c = b->in->cats[i] ? b->in->cats[i] : b->in->cat;
        char id[WIDGET_ID_MAX];
        int x = cx + i * (colw + b->gap * 2), yy = y;
        snprintf(id, sizeof(id), "title-%s", f->cfg.langs[i]);
        yy += lb_para(b, id, R_HEADING, ST_SCREEN, i18n_get(c, "welcome.title"), x, yy, colw, big,
                      true, AL_CENTER);
        snprintf(id, sizeof(id), "tap-%s", f->cfg.langs[i]);
        lb_para(b, id, R_TEXT, ST_MUTED, i18n_get(c, "welcome.tap"), x, yy, colw, b->body, false,
                AL_CENTER);
    }
    for (int i = 0; i < f->cfg.n_langs; i++) { /* a column's touch area starts its language */
        char id[WIDGET_ID_MAX];
        int x = i == 0 ? 0 : cx + i * (colw + b->gap * 2) - b->gap;
        int to = i + 1 < n ? cx + (i + 1) * (colw + b->gap * 2) - b->gap : lb_w(b);
        snprintf(id, sizeof(id), "start-%s", f->cfg.langs[i]);
        lb_add(b, id, R_BACKDROP, ST_SCREEN, "", R(x, y0, to - x, bottom - y0), ACT_SET_LANG, i);
    }
    for (int i = 0; i < f->cfg.n_langs; i++) {
        const struct i18n *c = b->in->cats[i] ? b->in->cats[i] : b->in->cat;
        char id[WIDGET_ID_MAX];
        int bw = colw < b->T * 5 ? colw : b->T * 5, x = cx + i * (colw + b->gap * 2);
        snprintf(id, sizeof(id), "lang-%s", f->cfg.langs[i]);
        lb_button(b, id, R_BUTTON, ST_PRIMARY, i18n_get(c, "lang.self"),
                  R(x + (colw - bw) / 2, y + hb - bh, bw, bh), ACT_SET_LANG, i,
                  (int)lround(b->body * 1.2), true);
    }
    lb_check_bottom(b, y + hb, bottom);
}

void welcome_build(struct lb *b)
{
    lb_add(b, "welcome", R_BACKDROP, ST_SCREEN, "", R(0, 0, lb_w(b), lb_h(b)), ACT_BEGIN, 0);
    int y0 = lb_topbar(b);
    const struct flow *f = b->f;
    int cw = lb_col_w(b), cx = (lb_w(b) - cw) / 2, n = f->cfg.n_langs;
    /* with bigger text the greeting and the way-out question are two pages, More between */
    bool paged = b->normal;
    int page = paged && f->chip_page == 1;
    if (b->landscape && !paged) { /* the way-out question at the right, apart from the greeting */
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
    /* paged: help now and More side by side, centred together */
    int more_w = more_width(b), hw = lb_help_now_low_w(b);
    hw = hw < lb_w(b) - 2 * b->pad - more_w - b->gap ? hw : lb_w(b) - 2 * b->pad - more_w - b->gap;
    int hh = lb_help_now_h(b, hw), hx = (lb_w(b) - hw - b->gap - more_w) / 2;
    bottom =
        paged ? help_bottom - hh - b->gap * 2 : lb_help_now_low(b, help_bottom, false) - b->gap * 2;
    int fb_bottom = bottom;
    if (page == 1) {
        lb_feedback(b, fb_bottom, true);
        goto out_foot;
    }
    if (!b->landscape && !paged) /* below the greeting, apart */
        bottom = lb_feedback(b, fb_bottom, false) - b->gap * 2;
    y0 += lb_community(b, y0, true);
    if (paged && b->landscape) { /* a wide screen: each language its own column */
        /* short of height: the greeting grows less than the rest, never below its normal size */
        int least = (int)lround(b->type_n.body * 2.6), less = (int)lround(b->body * 2.0);
        greeting_columns(b, y0, bottom, less > least ? less : least);
        goto out_foot;
    }
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
    if (!paged)
        lb_feedback(b, fb_bottom, true);
out_foot:
    if (paged) {
        if (b->landscape && (help_bottom - hh) * 2 < lb_h(b))
            b->overflow = true; /* help now above the lower half, out of reach: smaller type */
        lb_help_now(b, R(hx, help_bottom - hh, hw, hh));
        more_button(b, R(hx + hw + b->gap, help_bottom - hh, more_w, hh));
    } else {
        lb_help_now_low(b, help_bottom, true);
    }
    lb_staff_corner(b);
}

bool welcome_act(struct flow *f, enum action a, int arg, int64_t now_ms)
{
    if (screen_page_act(f, a, arg))
        return true;
    if (a == ACT_BEGIN || a == ACT_ENTER) {
        flow_go(f, SCR_TELL, now_ms);
        return true;
    }
    if (a == ACT_FEEDBACK)
        return feedback_act(f, arg, now_ms);
    return a == ACT_STAFF && staff_open(f, now_ms);
}
