/* screen_check.c — "Is that right?": what was understood, or the person chosen, or reception. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "flow_int.h"
#include "layout_int.h"

/* The needs going into the check-in, in plain words, joined with " · ". */
static void need_list(struct lb *b, char *out, size_t cap, const char *sep)
{
    const struct flow *f = b->f;
    size_t o = 0;
    out[0] = '\0';
    for (int i = 0; i < f->n_sel && f->deps.tax; i++) {
        char key[I18N_KEY_MAX];
        snprintf(key, sizeof(key), "need.%s", f->deps.tax->needs[f->sel[i]].id);
        int n = snprintf(out + o, cap - o, "%s%s", i ? sep : "", lb_str(b, key));
        if (n < 0 || (size_t)n >= cap - o)
            break;
        o += (size_t)n;
    }
}

void check_build(struct lb *b)
{
    const struct flow *f = b->f;
    const struct hub_dir *d = f->deps.dir;
    int top = lb_topbar(b), y = top + b->gap, cw = lb_col_w(b), cx = (lb_w(b) - cw) / 2;
    int first = b->l->n, bottom = lb_foot_top(b, FOOT_BACK, false);
    bool side = lb_answers_beside(b); /* the answers in a column at the right */
    if (side) {
        cx = b->pad;
        cw = lb_w(b) - 3 * b->pad - lb_side_w(b);
        bottom = b->floor;
    }
    char buf[WIDGET_TEXT_MAX];
    if (f->source == SRC_PERSON && d && f->chosen_worker >= 0 && f->chosen_worker < d->n_workers) {
        const struct worker *wk = &d->workers[f->chosen_worker];
        int dia = b->T * 2;
        lb_avatar(b, "avatar", wk, R((lb_w(b) - dia) / 2, y, dia, dia));
        y += dia + b->gap;
        i18n_format(buf, sizeof(buf), lb_str(b, "check.person"), "name", wk->name);
        y += lb_para(b, "title", R_HEADING, ST_SCREEN, buf, cx, y, cw, b->head, true, AL_CENTER) +
             b->gap;
    } else if (f->source == SRC_RECEPTION || f->n_sel == 0) {
        y += lb_para(b, "title", R_HEADING, ST_SCREEN, lb_str(b, "check.reception"), cx, y, cw,
                     b->head, true, AL_CENTER) +
             b->gap;
    } else {
        y += lb_para(b, "title", R_TEXT, ST_SCREEN, lb_str(b, "check.title"), cx, y, cw, b->body,
                     false, AL_CENTER) +
             b->gap;
        int px = (int)lround(b->head * 1.1), ip = b->pad;
        /* one a line when they do not fit on one, unless that would not fit above the
         * question and the buttons: then run on, " · " between */
        int rest = lb_text_h(b, lb_str(b, "check.question"), b->head, true, cw) + b->gap * 3 +
                   lb_two_buttons_h(b, lb_str(b, "check.yes"), lb_str(b, "check.change"));
        need_list(b, buf, sizeof(buf), " · ");
        if (lb_text_w(b, buf, px, true) > cw - 2 * ip) {
            char lines[WIDGET_TEXT_MAX];
            need_list(b, lines, sizeof(lines), "\n");
            if (y + lb_text_h(b, lines, px, true, cw - 2 * ip) + 2 * ip + rest <= bottom)
                snprintf(buf, sizeof(buf), "%s", lines);
        }
        int th = lb_text_h(b, buf, px, true, cw - 2 * ip);
        lb_add(b, "needs-card", R_PANEL, ST_CARD, "", R(cx, y, cw, th + 2 * ip), ACT_NONE, 0);
        lb_para(b, "needs", R_HEADING, ST_CARD, buf, cx + ip, y + ip, cw - 2 * ip, px, true,
                AL_CENTER);
        y += th + 2 * ip + b->gap;
    }
    y += lb_para(b, "question", R_HEADING, ST_SCREEN, lb_str(b, "check.question"), cx, y, cw,
                 b->head, true, AL_CENTER);
    /* the answers stay on the screen: with bigger text the words above them go on pages */
    int ans_h =
        side ? -b->gap * 2 : lb_two_buttons_h(b, lb_str(b, "check.yes"), lb_str(b, "check.change"));
    y = lb_page(b, first, top, y, bottom - ans_h - b->gap * 2, cx, cw) + b->gap * 2;
    if (side) {
        lb_centre_block(b, first, top, y, bottom);
        lb_side_answers(b, "yes", lb_str(b, "check.yes"), ACT_YES, "change",
                        lb_str(b, "check.change"), ACT_CHANGE, true);
        return;
    }
    y = lb_two_buttons(b, y, bottom, "yes", lb_str(b, "check.yes"), ACT_YES, "change",
                       lb_str(b, "check.change"), ACT_CHANGE);
    lb_centre_block(b, first, top, y, bottom);
    lb_foot(b, FOOT_BACK, false);
}

static void change(struct flow *f, int64_t now_ms)
{
    switch (f->source) {
    case SRC_TEXT:
        flow_go(f, SCR_TELL, now_ms);
        break;
    case SRC_TOPIC:
        flow_go(f, SCR_SUBTOPICS, now_ms);
        break;
    case SRC_RECEPTION:
    case SRC_ASK:
    case SRC_HELP_NOW:
        flow_go(f, SCR_TOPICS, now_ms);
        break;
    case SRC_PERSON:
        flow_go(f, SCR_PEOPLE, now_ms);
        break;
    }
}

bool check_act(struct flow *f, enum action a, int arg, int64_t now_ms)
{
    if (screen_page_act(f, a, arg))
        return true;
    if (a == ACT_YES || a == ACT_ENTER) {
        flow_go(f, SCR_NAME, now_ms);
        return true;
    }
    if (a == ACT_CHANGE || a == ACT_BACK) {
        change(f, now_ms);
        return true;
    }
    return false;
}
