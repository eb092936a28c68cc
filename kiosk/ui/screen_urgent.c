/* screen_urgent.c — the urgent screen: go to reception now, where reception is, and the crisis
 * lines for what was said. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "crisis.h"
#include "flow_int.h"
#include "layout_int.h"
#include "stack.h"

/* Named metrics of the urgent screen. */
static const double TITLE_SCALE = 1.2; /* "go to reception now", over the heading size */
static const double LINE_SCALE = 1.15; /* a crisis line's number, over the body size */
enum {
    SPLIT_LEAST_PCT = 35, /* side by side: the reception card's share of the width, from */
    SPLIT_MOST_PCT = 60,  /* ... to */
    SPLIT_STEP_PCT = 5,   /* ... in steps of */
    CARD_GAPS = 2,        /* between the two cards: this many gaps */
    COL_MAX_NUM = 3,      /* stacked: the cards at most 3/2 of the screen's shorter side wide */
    COL_MAX_DEN = 2,
};

/* A card: a panel with a column of paragraphs inside its padding, measured at one width. */
enum { CARD_TEXTS_MAX = 2 + FLOW_LANGS_MAX + CRISIS_MAX };
struct card {
    struct stack_text t[CARD_TEXTS_MAX];
    struct stack_child c[CARD_TEXTS_MAX];
    char line[CRISIS_MAX][WIDGET_TEXT_MAX], relay[WIDGET_TEXT_MAX];
    const char *id;
    enum style st;
    int n, w, h;
};

static void card_text(struct card *k, const char *id, enum role role, enum style st,
                      const char *text, int px, bool bold)
{
    k->t[k->n++] = stack_para(id, role, st, text, px, bold, AL_LEFT);
}

/* Measures the card's paragraphs once at width w (its padding inside). */
static void card_measure(struct lb *b, struct card *k, int w)
{
    k->w = w;
    stack_texts_measure(b, k->t, k->n, w - 2 * b->pad, k->c);
    k->h = stack_natural_h(k->c, k->n, b->gap) + 2 * b->pad;
}

/* Places the measured card with its top left at x, y. */
static void card_place(struct lb *b, const struct card *k, int x, int y)
{
    struct wrect r[CARD_TEXTS_MAX];
    lb_add(b, k->id, R_PANEL, k->st, "", R(x, y, k->w, k->h), ACT_NONE, 0);
    stack_column(b, R(x + b->pad, y + b->pad, k->w - 2 * b->pad, k->h - 2 * b->pad), b->gap,
                 STACK_START, k->c, k->n, r);
    stack_texts_place(b, k->t, k->n, r);
}

/* The urgent screen's first card: go to reception now (in every configured language when no
 * language was chosen), someone will see you, where reception is. */
static void reception_card(struct lb *b, struct card *k, int w)
{
    const struct flow *f = b->f;
    *k = (struct card){.id = "urgent-card", .st = ST_URGENT};
    card_text(k, "title", R_HEADING, ST_URGENT, lb_str(b, "urgent.title"),
              (int)lround(b->head * TITLE_SCALE), true);
    for (int i = 0; f->bilingual && i < f->cfg.n_langs && b->in->cats[i]; i++) {
        if (strcmp(f->cfg.langs[i], f->lang) == 0)
            continue;
        char id[WIDGET_ID_MAX];
        snprintf(id, sizeof(id), "title-%s", f->cfg.langs[i]);
        card_text(k, id, R_HEADING, ST_URGENT, i18n_get(b->in->cats[i], "urgent.title"), b->head,
                  true);
    }
    card_text(k, "body", R_TEXT, ST_URGENT, lb_str(b, "urgent.body"), b->body, false);
    card_text(k, "where", R_TEXT, ST_URGENT, lb_str(b, "urgent.where"), b->body, true);
    card_measure(b, k, w);
}

/* The second card: the crisis lines for what was said, large, and the text relay note. */
static void lines_card(struct lb *b, struct card *k, int w)
{
    const struct flow *f = b->f;
    const struct taxonomy *tax = f->deps.tax;
    const char *ids[ROUTE_MAX_NEEDS];
    int n = 0;
    for (int i = 0; tax && i < f->n_sel && n < ROUTE_MAX_NEEDS; i++)
        if (f->sel[i] >= 0 && f->sel[i] < tax->n)
            ids[n++] = tax->needs[f->sel[i]].id;
    enum crisis_line ln[CRISIS_MAX];
    int nl = crisis_pick(ids, n, ln);
    *k = (struct card){.id = "lines-card", .st = ST_CARD};
    card_text(k, "lines-title", R_TEXT, ST_CARD_MUTED, lb_str(b, "urgent.lines"), b->body, false);
    for (int i = 0; i < nl; i++) {
        char id[WIDGET_ID_MAX];
        snprintf(id, sizeof(id), "line-%s", crisis_id(ln[i]));
        crisis_text(b->in->cat, ln[i], k->line[i], sizeof(k->line[i]));
        card_text(k, id, R_TEXT, ST_CARD, k->line[i], (int)lround(b->body * LINE_SCALE), true);
    }
    crisis_relay_text(b->in->cat, k->relay, sizeof(k->relay));
    card_text(k, "relay", R_TEXT, ST_CARD, k->relay, b->body, false);
    card_measure(b, k, w);
}

/* Side by side: the split of the width cw (between the cards' gaps) that makes the taller card
 * shortest (the words differ by language, by the lines chosen, and when the titles are in every
 * language). Each split is measured into one of two pairs of cards k[2][2] (the cards point into
 * themselves: never copied); returns which pair is the best, its taller height in *hh. */
static int best_split(struct lb *b, int cw, struct card k[2][2], int *hh)
{
    int best = 0, try = 0;
    *hh = 0;
    for (int pct = SPLIT_LEAST_PCT; pct <= SPLIT_MOST_PCT; pct += SPLIT_STEP_PCT) {
        int l = cw * pct / 100;
        reception_card(b, &k[try][0], l);
        lines_card(b, &k[try][1], cw - l);
        int h = k[try][0].h > k[try][1].h ? k[try][0].h : k[try][1].h;
        if (*hh == 0 || h < *hh) {
            *hh = h;
            best = try;
            try = !try;
        }
    }
    return best;
}

void urgent_build(struct lb *b)
{
    struct card k[2][2];
    int W = b->in->w, H = b->in->h, base = W < H ? W : H, gaps = CARD_GAPS * b->gap;
    int top = lb_topbar(b), bottom = lb_foot_top(b, FOOT_FINISH, false), first = b->l->n;
    /* side by side (where, who else to call), unless bigger text on a wide screen would not fit
     * then: the cards are stacked and go on pages, as on a tall screen */
    if (b->landscape) {
        int cw = W - 2 * b->pad - gaps, hh, best = best_split(b, cw, k, &hh);
        if (!b->normal || top + hh <= bottom) {
            const struct card *k1 = &k[best][0], *k2 = &k[best][1];
            struct stack_child rowc[] = {{k1->w, 0}, {k2->w, 0}}, colc[] = {{hh, 0}};
            struct wrect col, r[2];
            stack_column(b, R(0, top, W, bottom - top), 0, STACK_UPPER, colc, 1, &col);
            stack_row(b, R(b->pad, col.y, cw + gaps, hh), gaps, rowc, 2, r);
            card_place(b, k1, r[0].x, r[0].y);
            card_place(b, k2, r[1].x, r[1].y);
            lb_foot(b, FOOT_FINISH, false);
            return;
        }
    }
    int cw = W - 2 * b->pad, most = base * COL_MAX_NUM / COL_MAX_DEN;
    cw = cw < most ? cw : most;
    struct card *k1 = &k[0][0], *k2 = &k[0][1];
    reception_card(b, k1, cw);
    lines_card(b, k2, cw);
    struct stack_child c[] = {{k1->h, 0}, {k2->h, 0}};
    struct wrect r[2];
    /* a column at least as tall as the cards: with bigger text lb_page cuts it into pages */
    int hh = stack_natural_h(c, 2, gaps), room = bottom - top > hh ? bottom - top : hh;
    int end = stack_column(b, R((W - cw) / 2, top, cw, room), gaps, STACK_UPPER, c, 2, r);
    card_place(b, k1, r[0].x, r[0].y);
    card_place(b, k2, r[1].x, r[1].y);
    if (lb_page(b, first, top, end, bottom, r[0].x, cw) > bottom)
        b->overflow = true;
    lb_foot(b, FOOT_FINISH, false);
}

bool urgent_act(struct flow *f, enum action a, int arg, int64_t now_ms)
{
    if (screen_page_act(f, a, arg))
        return true;
    if (a != ACT_FINISH)
        return false;
    flow_finish(f, now_ms);
    return true;
}
