/* screen_done.c — thank you: the ticket again, who and where, and its QR code. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "flow_int.h"
#include "layout_int.h"

/* The height of the words in a column w wide: thanks, what happens now, the ticket and where. */
static int words_h(struct lb *b, const char *t1, const char *t2, const char *tk, const char *who,
                   int big, int w)
{
    int h = lb_text_h(b, t1, big, true, w) + b->gap + lb_text_h(b, t2, b->body, false, w);
    if (tk[0]) {
        h += b->gap * 2 + lb_text_h(b, tk, b->head, true, w);
        h += who[0] ? lb_text_h(b, who, b->body, false, w) : 0;
    }
    return h;
}

void done_build(struct lb *b)
{
    const struct flow *f = b->f;
    lb_add(b, "done", R_BACKDROP, ST_SCREEN, "", R(0, 0, lb_w(b), lb_h(b)), ACT_BEGIN, 0);
    int y0 = lb_topbar(b), cw = lb_col_w(b), cx = (lb_w(b) - cw) / 2,
        big = (int)lround(b->body * 2.4);
    const char *t1 = lb_str(b, "done.title"), *t2 = lb_str(b, "done.body");
    /* the ticket again, to take away: who and where, and its QR code */
    char tk[WIDGET_TEXT_MAX] = "", who[WIDGET_TEXT_MAX] = "", payload[WIDGET_TEXT_MAX] = "";
    if (f->kept.code[0]) {
        i18n_format(tk, sizeof(tk), lb_str(b, "done.ticket"), "code", f->kept.code);
        if (f->kept_worker[0]) {
            char dk[DIR_NAME_MAX];
            i18n_desk(b->in->cat, f->kept_desk, f->kept_desk_cy, dk, sizeof(dk));
            snprintf(who, sizeof(who), "%s \u00b7 %s", f->kept_worker, dk);
        }
        lb_qr_text(b, f->kept.code, f->kept_worker, f->kept_desk, f->kept_desk_cy, payload,
                   sizeof(payload));
    }
    int bottom = lb_help_now_low(b, b->floor, false) - b->gap * 2;
    int th = words_h(b, t1, t2, tk, who, big, cw), q = 0, beside = 0;
    if (tk[0]) {
        q = b->T * 3;
        if (y0 + th + b->gap + q > bottom)
            q = bottom - y0 - th - b->gap;
        if (q < b->T * 2)
            q = 0;             /* no room for a code a phone could read: the words stay */
        if (!q && b->normal) { /* bigger text: the code at the right of the words instead */
            int qs = b->T * 3 < bottom - y0 ? b->T * 3 : bottom - y0;
            int tw = cw - qs - 2 * b->gap, h2 = words_h(b, t1, t2, tk, who, big, tw);
            if (qs >= b->T * 2 && tw > cw / 2 && y0 + h2 <= bottom) {
                beside = qs;
                cw = tw;
                th = h2 > qs ? h2 : qs;
            }
        }
        th += q ? b->gap + q : 0;
    }
    /* bigger text with no room for the code beside or under the words: it goes under them on
     * a page of its own (More), never dropped */
    int paged = 0;
    if (tk[0] && !q && !beside && b->normal) {
        paged = b->T * 3;
        int room = bottom - y0 - lb_more_h(b) - b->gap;
        paged = paged < room ? paged : room;
        paged = paged < b->T * 2 ? b->T * 2 : paged;
        th += b->gap + paged;
    }
    int first = b->l->n;
    int y = y0 + (bottom - y0 - th) / 2;
    y = y < y0 ? y0 : y;
    struct wrect qr = R(cx + cw + 2 * b->gap, y + (th - beside) / 2, beside, beside);
    if (beside)
        y += (th - words_h(b, t1, t2, tk, who, big, cw)) / 2;
    y += lb_para(b, "title", R_HEADING, ST_SCREEN, t1, cx, y, cw, big, true, AL_CENTER) + b->gap;
    y += lb_para(b, "body", R_TEXT, ST_MUTED, t2, cx, y, cw, b->body, false, AL_CENTER);
    if (tk[0]) {
        y += b->gap * 2;
        y += lb_para(b, "done-ticket", R_HEADING, ST_SCREEN, tk, cx, y, cw, b->head, true,
                     AL_CENTER);
        if (who[0])
            y += lb_para(b, "done-where", R_TEXT, ST_SCREEN, who, cx, y, cw, b->body, false,
                         AL_CENTER);
        b->first_page_end = b->l->n; /* the ticket on the first page */
        if (q || paged) {
            int qs = q ? q : paged;
            y += b->gap;
            lb_qr_widget(b, payload, R((lb_w(b) - qs) / 2, y, qs, qs), false);
            y += qs;
        }
    }
    if (paged)
        y = lb_page(b, first, y0, y, bottom, cx, cw);
    if (beside) /* after the words in reading order */
        lb_qr_widget(b, payload, qr, false);
    lb_check_bottom(b, y, bottom);
    lb_help_now_low(b, b->floor, true);
}

bool done_act(struct flow *f, enum action a, int arg, int64_t now_ms)
{
    if (screen_page_act(f, a, arg))
        return true;
    if (a == ACT_BEGIN || a == ACT_FINISH || a == ACT_ENTER) {
        flow_reset(f, now_ms);
        return true;
    }
    return false;
}
