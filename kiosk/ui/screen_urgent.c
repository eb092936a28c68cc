/* screen_urgent.c — the urgent screen: go to reception now, where reception is, and the crisis
 * lines for what was said. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "crisis.h"
#include "flow_int.h"
#include "layout_int.h"

/* The urgent screen's first card: go to reception now (in every configured language when no
 * language was chosen), someone will see you, where reception is. Returns its height; with
 * build false only measures. */
static int reception_card(struct lb *b, int x, int y, int w, bool build)
{
    const struct flow *f = b->f;
    int ip = b->pad, iw = w - 2 * ip, big = (int)lround(b->head * 1.2), ty = y + ip;
    const char *title = lb_str(b, "urgent.title"), *body = lb_str(b, "urgent.body");
    const char *where = lb_str(b, "urgent.where");
    int h = lb_text_h(b, title, big, true, iw) + b->gap;
    for (int i = 0; f->bilingual && i < f->cfg.n_langs && b->in->cats[i]; i++)
        if (strcmp(f->cfg.langs[i], f->lang) != 0)
            h += lb_text_h(b, i18n_get(b->in->cats[i], "urgent.title"), b->head, true, iw) + b->gap;
    h += lb_text_h(b, body, b->body, false, iw) + b->gap + lb_text_h(b, where, b->body, true, iw);
    h += 2 * ip;
    if (!build)
        return h;
    lb_add(b, "urgent-card", R_PANEL, ST_URGENT, "", R(x, y, w, h), ACT_NONE, 0);
    ty += lb_para(b, "title", R_HEADING, ST_URGENT, title, x + ip, ty, iw, big, true, AL_LEFT) +
          b->gap;
    for (int i = 0; f->bilingual && i < f->cfg.n_langs && b->in->cats[i]; i++) {
        if (strcmp(f->cfg.langs[i], f->lang) == 0)
            continue;
        char id[WIDGET_ID_MAX];
        snprintf(id, sizeof(id), "title-%s", f->cfg.langs[i]);
        ty += lb_para(b, id, R_HEADING, ST_URGENT, i18n_get(b->in->cats[i], "urgent.title"), x + ip,
                      ty, iw, b->head, true, AL_LEFT) +
              b->gap;
    }
    ty += lb_para(b, "body", R_TEXT, ST_URGENT, body, x + ip, ty, iw, b->body, false, AL_LEFT) +
          b->gap;
    lb_para(b, "where", R_TEXT, ST_URGENT, where, x + ip, ty, iw, b->body, true, AL_LEFT);
    return h;
}

/* The second card: the crisis lines for what was said, large, and the text relay note. */
static int lines_card(struct lb *b, int x, int y, int w, bool build)
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
    char text[CRISIS_MAX][WIDGET_TEXT_MAX], relay[WIDGET_TEXT_MAX];
    int ip = b->pad, iw = w - 2 * ip, big = (int)lround(b->body * 1.15), ty = y + ip;
    const char *head = lb_str(b, "urgent.lines");
    int h = lb_text_h(b, head, b->body, false, iw) + b->gap;
    for (int i = 0; i < nl; i++) {
        crisis_text(b->in->cat, ln[i], text[i], sizeof(text[i]));
        h += lb_text_h(b, text[i], big, true, iw) + b->gap;
    }
    crisis_relay_text(b->in->cat, relay, sizeof(relay));
    h += lb_text_h(b, relay, b->body, false, iw) + 2 * ip;
    if (!build)
        return h;
    lb_add(b, "lines-card", R_PANEL, ST_CARD, "", R(x, y, w, h), ACT_NONE, 0);
    ty += lb_para(b, "lines-title", R_TEXT, ST_CARD_MUTED, head, x + ip, ty, iw, b->body, false,
                  AL_LEFT) +
          b->gap;
    for (int i = 0; i < nl; i++) {
        char id[WIDGET_ID_MAX];
        snprintf(id, sizeof(id), "line-%s", crisis_id(ln[i]));
        ty += lb_para(b, id, R_TEXT, ST_CARD, text[i], x + ip, ty, iw, big, true, AL_LEFT) + b->gap;
    }
    lb_para(b, "relay", R_TEXT, ST_CARD, relay, x + ip, ty, iw, b->body, false, AL_LEFT);
    return h;
}

/* With bigger text on a wide screen, whether the two cards side by side would not fit: then they
 * are stacked and go on pages, as on a tall screen. */
static bool stack_big(struct lb *b, int top, int bottom)
{
    if (!b->normal)
        return false;
    int cw = b->in->w - 2 * b->pad - 2 * b->gap, least = 0;
    for (int pct = 35; pct <= 60; pct += 5) {
        int l = cw * pct / 100, h1 = reception_card(b, 0, top, l, false);
        int h2 = lines_card(b, 0, top, cw - l, false), h = h1 > h2 ? h1 : h2;
        least = least == 0 || h < least ? h : least;
    }
    return top + least > bottom;
}

void urgent_build(struct lb *b)
{
    int W = b->in->w, H = b->in->h, base = W < H ? W : H;
    int top = lb_topbar(b), bottom = lb_foot_top(b, FOOT_FINISH, false), first = b->l->n;
    if (b->landscape && !stack_big(b, top, bottom)) { /* side by side: where, who else to call */
        /* the split that makes the taller card shortest (the words differ by language, by the
         * lines chosen, and when the titles are in every language) */
        int cw = W - 2 * b->pad - 2 * b->gap, lw = 0, hh = 0;
        for (int pct = 35; pct <= 60; pct += 5) {
            int l = cw * pct / 100, h1 = reception_card(b, 0, top, l, false);
            int h2 = lines_card(b, 0, top, cw - l, false), h = h1 > h2 ? h1 : h2;
            if (lw == 0 || h < hh) {
                lw = l;
                hh = h;
            }
        }
        int rw = cw - lw, lx = b->pad, rx = lx + lw + 2 * b->gap;
        int y = top + (bottom - top - hh > 0 ? (bottom - top - hh) / 3 : 0);
        reception_card(b, lx, y, lw, true);
        lines_card(b, rx, y, rw, true);
        if (y + hh > bottom)
            b->overflow = true;
        lb_foot(b, FOOT_FINISH, false);
        return;
    }
    int cw = W - 2 * b->pad < base * 3 / 2 ? W - 2 * b->pad : base * 3 / 2, cx = (W - cw) / 2;
    int h1 = reception_card(b, cx, top, cw, false), h2 = lines_card(b, cx, top, cw, false);
    int hh = h1 + b->gap * 2 + h2;
    int y = top + (bottom - top - hh > 0 ? (bottom - top - hh) / 3 : 0);
    reception_card(b, cx, y, cw, true);
    lines_card(b, cx, y + h1 + b->gap * 2, cw, true);
    /* with bigger text, the cards on pages of their own when they do not fit together */
    if (lb_page(b, first, top, y + hh, bottom, cx, cw) > bottom)
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
