/* screen_check.c — "Is that right?": what was understood, or the person chosen, or reception. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "flow_int.h"
#include "layout_int.h"
#include "stack.h"

/* The needs going into the check-in in plain words (label), each measured once on lines w wide
 * at px (h). Returns how many. */
static int need_labels(struct lb *b, int px, int w, const char **label, int *h)
{
    const struct flow *f = b->f;
    int n = 0;
    for (int i = 0; i < f->n_sel && i < ROUTE_MAX_NEEDS && f->deps.tax; i++, n++) {
        char key[I18N_KEY_MAX];
        snprintf(key, sizeof(key), "need.%s", f->deps.tax->needs[f->sel[i]].id);
        label[n] = lb_str(b, key);
        h[n] = lb_text_h(b, label[n], px, true, w);
    }
    return n;
}

/* Labels [from, to) joined with sep. */
static void join(const char *const *label, int from, int to, const char *sep, char *out, size_t cap)
{
    size_t o = 0;
    out[0] = '\0';
    for (int i = from; i < to; i++) {
        int n = snprintf(out + o, cap - o, "%s%s", i > from ? sep : "", label[i]);
        if (n < 0 || (size_t)n >= cap - o)
            break;
        o += (size_t)n;
    }
}

/* The needs in cards, ready for the column. */
struct need_cards {
    int n;                                       /* how many cards (0: no needs shown) */
    char text[ROUTE_MAX_NEEDS][WIDGET_TEXT_MAX]; /* each card's words */
    int h[ROUTE_MAX_NEEDS];                      /* their height */
};

/* The needs' card: one a line when they do not fit on one, unless that would not fit above the
 * question and the answers (rest_h, the card from y): then run on, " · " between. With bigger
 * text, a card taller than a page of its own (text_room for its words) goes on in as many cards
 * as it takes, a page each, the needs one a line and whole. */
static void need_cards(struct lb *b, int y, int rest_h, int bottom, int text_room, int px, int w,
                       struct need_cards *nc)
{
    const char *label[ROUTE_MAX_NEEDS];
    int label_h[ROUTE_MAX_NEEDS], n = need_labels(b, px, w, label, label_h), lines_h = 0;
    for (int i = 0; i < n; i++)
        lines_h += label_h[i];
    join(label, 0, n, " · ", nc->text[0], sizeof(nc->text[0]));
    int run_h = lb_text_h(b, nc->text[0], px, true, w), ip = b->pad;
    bool one_a_line = run_h > lb_line_h(b, px, true) && y + lines_h + 2 * ip + rest_h <= bottom;
    nc->n = 1;
    nc->h[0] = one_a_line ? lines_h : run_h;
    if (one_a_line)
        join(label, 0, n, "\n", nc->text[0], sizeof(nc->text[0]));
    if (!b->normal || nc->h[0] <= text_room)
        return;
    nc->n = 0;
    for (int i = 0, from = 0, h = 0; i < n; i++) {
        h += label_h[i];
        if (i + 1 < n && h + label_h[i + 1] <= text_room)
            continue; /* the next one fits this card too */
        join(label, from, i + 1, "\n", nc->text[nc->n], sizeof(nc->text[0]));
        nc->h[nc->n++] = h;
        from = i + 1;
        h = 0;
    }
}

/* Card k of the needs (the first is needs-card, its words needs; the next needs-card-2, ...). */
static void need_card(struct lb *b, int k, const char *text, struct wrect r, int px)
{
    char card[WIDGET_ID_MAX], words_id[WIDGET_ID_MAX];
    snprintf(card, sizeof(card), "needs-card");
    snprintf(words_id, sizeof(words_id), "needs");
    if (k > 0) {
        snprintf(card, sizeof(card), "needs-card-%d", k + 1);
        snprintf(words_id, sizeof(words_id), "needs-%d", k + 1);
    }
    struct wrect in = stack_inset(r, b->pad);
    lb_add(b, card, R_PANEL, ST_CARD, "", r, ACT_NONE, 0);
    lb_para(b, words_id, R_HEADING, ST_CARD, text, in.x, in.y, in.w, px, true, AL_CENTER);
}

/* The check screen's column: the avatar or the title, the needs' cards, the question. */
enum { CK_PARTS_MAX = ROUTE_MAX_NEEDS + 2 };

/* A paragraph of the check screen's column, centred. */
static struct stack_text words(const char *id, enum role role, const char *text, int px, bool bold)
{
    return stack_para(id, role, ST_SCREEN, text, px, bold, AL_CENTER);
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
    char title[WIDGET_TEXT_MAX];
    if (wk)
        i18n_format(title, sizeof(title), lb_str(b, "check.person"), "name", wk->name);
    else
        snprintf(title, sizeof(title), "%s", lb_str(b, needs ? "check.title" : "check.reception"));
    /* the words above the answers, top to bottom: the person's avatar, who or what was
     * understood, the needs in their card, the question; the avatar and the card are room the
     * column keeps (no text of their own) */
    int dia = b->T * 2, px = (int)lround(b->head * 1.1);
    struct stack_text t[CK_PARTS_MAX];
    int n = 0, at_title, at_needs = -1;
    if (wk)
        t[n++] = stack_room(dia);
    at_title = n;
    t[n++] = words("title", needs ? R_TEXT : R_HEADING, title, needs ? b->body : b->head, !needs);
    t[n++] = words("question", R_HEADING, lb_str(b, "check.question"), b->head, true);
    struct stack_child c[CK_PARTS_MAX];
    stack_texts_measure(b, t, n, cw, c);
    /* a gap under the screen's top; the answers two gaps under the words (or beside them) */
    int gaps[CK_PARTS_MAX];
    for (int i = 0; i < CK_PARTS_MAX; i++)
        gaps[i] = gap;
    int words_bottom = side ? bottom : bottom - ans_h - ans_gap;
    struct wrect box = R(cx, top, cw, words_bottom - top), r[CK_PARTS_MAX];
    struct need_cards nc = {0};
    if (needs) { /* the cards go between the title and the question (which moves under them) */
        need_cards(b, top + gap + c[at_title].size + gap, c[n - 1].size + gap * 3 + ans_h, bottom,
                   stack_pages_room(b, box) - 2 * ip, px, cw - 2 * ip, &nc);
        at_needs = at_title + 1;
        t[at_needs + nc.n] = t[n - 1];
        c[at_needs + nc.n] = c[n - 1];
        for (int k = 0; k < nc.n; k++) {
            t[at_needs + k] = stack_room(nc.h[k] + 2 * ip);
            c[at_needs + k] = (struct stack_child){t[at_needs + k].px, 0};
        }
        n += nc.n;
    }
    struct stack_pages pg;
    int y = stack_pages_column(b, box, STACK_RAISED, c, gaps, n, 0, &pg, r) + ans_gap;
    for (int i = pg.from; i < pg.to; i++) {
        if (t[i].text) {
            stack_texts_place(b, &t[i], 1, &r[i]);
        } else if (at_needs >= 0 && i >= at_needs && i < at_needs + nc.n) {
            need_card(b, i - at_needs, nc.text[i - at_needs], r[i], px);
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
