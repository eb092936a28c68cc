/* screen_check.c — "Is that right?": what was understood, or the person chosen, or reception. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "flow_int.h"
#include "layout_int.h"
#include "stack.h"

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

/* The needs card's text: one a line when they do not fit on one, unless that would not fit
 * above the question and the buttons (rest_h, from y): then run on, " · " between. Both are
 * measured once; returns the height of the one chosen (written to out). */
static int needs_text(struct lb *b, int y, int rest_h, int bottom, int px, int w, char *out,
                      size_t cap)
{
    char lines[WIDGET_TEXT_MAX];
    need_list(b, out, cap, " · ");
    need_list(b, lines, sizeof(lines), "\n");
    int run_h = lb_text_h(b, out, px, true, w), lines_h = lb_text_h(b, lines, px, true, w);
    int ip = b->pad;
    if (run_h > lb_line_h(b, px, true) && y + lines_h + 2 * ip + rest_h <= bottom) {
        snprintf(out, cap, "%s", lines);
        return lines_h;
    }
    return run_h;
}

/* A paragraph of the check screen's column, centred. */
static struct stack_text words(const char *id, enum role role, const char *text, int px, bool bold)
{
    struct stack_text t = {
        .role = role, .st = ST_SCREEN, .text = text, .px = px, .bold = bold, .al = AL_CENTER};
    snprintf(t.id, sizeof(t.id), "%s", id);
    return t;
}

/* Room h px tall the column keeps for what is not a paragraph (the avatar, the needs card). */
static struct stack_text kept_room(const char *id, int h)
{
    return words(id, R_PANEL, NULL, h, false);
}

void check_build(struct lb *b)
{
    const struct flow *f = b->f;
    const struct hub_dir *d = f->deps.dir;
    int top = lb_topbar(b), cw = lb_col_w(b), cx = (lb_w(b) - cw) / 2, gap = b->gap, ip = b->pad;
    int bottom = lb_foot_top(b, FOOT_BACK, false);
    bool side = lb_answers_beside(b); /* the answers in a column at the right */
    if (side) {
        cx = b->pad;
        cw = lb_w(b) - 3 * b->pad - lb_side_w(b);
        bottom = b->floor;
    }
    const char *yes = lb_str(b, "check.yes"), *change = lb_str(b, "check.change");
    int ans_h = lb_two_buttons_h(b, yes, change), ans_gap = gap * 2;
    const struct worker *wk = NULL;
    if (f->source == SRC_PERSON && d && f->chosen_worker >= 0 && f->chosen_worker < d->n_workers)
        wk = &d->workers[f->chosen_worker];
    bool needs = !wk && f->source != SRC_RECEPTION && f->n_sel > 0;
    char title[WIDGET_TEXT_MAX], list[WIDGET_TEXT_MAX];
    if (wk)
        i18n_format(title, sizeof(title), lb_str(b, "check.person"), "name", wk->name);
    else
        snprintf(title, sizeof(title), "%s", lb_str(b, needs ? "check.title" : "check.reception"));
    /* the words above the answers, top to bottom: the person's avatar, who or what was
     * understood, the needs in their card, the question; the avatar and the card are room the
     * column keeps (no text of their own) */
    int dia = b->T * 2, px = (int)lround(b->head * 1.1);
    struct stack_text t[4];
    int n = 0, at_title, at_needs = -1;
    if (wk)
        t[n++] = kept_room("avatar", dia);
    at_title = n;
    t[n++] = words("title", needs ? R_TEXT : R_HEADING, title, needs ? b->body : b->head, !needs);
    if (needs) {
        at_needs = n;
        t[n++] = kept_room("needs-card", 0); /* its height is the needs text's, chosen below */
    }
    t[n++] = words("question", R_HEADING, lb_str(b, "check.question"), b->head, true);
    struct stack_child c[4];
    stack_texts_measure(b, t, n, cw, c);
    if (needs) /* one a line, if they fit so above the question and the answers */
        c[at_needs].size =
            needs_text(b, top + gap + c[at_title].size + gap, c[n - 1].size + gap * 3 + ans_h,
                       bottom, px, cw - 2 * ip, list, sizeof(list)) +
            2 * ip;
    /* a gap under the screen's top; the answers two gaps under the words (or beside them) */
    const int gaps[4] = {gap, gap, gap, gap};
    int words_bottom = side ? bottom : bottom - ans_h - ans_gap;
    struct wrect box = R(cx, top, cw, words_bottom - top), r[4];
    struct stack_pages pg;
    int y = stack_pages_column(b, box, STACK_RAISED, c, gaps, n, 0, &pg, r) + ans_gap;
    for (int i = pg.from; i < pg.to; i++) {
        if (t[i].text) {
            stack_texts_place(b, &t[i], 1, &r[i]);
        } else if (i == at_needs) {
            struct wrect in = stack_inset(r[i], ip);
            lb_add(b, "needs-card", R_PANEL, ST_CARD, "", r[i], ACT_NONE, 0);
            lb_para(b, "needs", R_HEADING, ST_CARD, list, in.x, in.y, in.w, px, true, AL_CENTER);
        } else {
            lb_avatar(b, "avatar", wk, R(r[i].x + (r[i].w - dia) / 2, r[i].y, dia, dia));
        }
    }
    stack_pages_more(b, &pg);
    if (side) {
        lb_side_answers(b, "yes", yes, ACT_YES, "change", change, ACT_CHANGE, true);
        return;
    }
    lb_two_buttons(b, y, bottom, "yes", yes, ACT_YES, "change", change, ACT_CHANGE);
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
