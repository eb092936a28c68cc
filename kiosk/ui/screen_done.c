/* screen_done.c — thank you: the ticket again, who and where, and its QR code. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "flow_int.h"
#include "layout_int.h"
#include "stack.h"

/* Named metrics of the done screen. */
static const double TITLE_SCALE = 2.4; /* "thank you", over the body size */
enum {
    QR_TARGETS = 3,       /* the ticket's QR code: this many target sizes wide when there is room */
    QR_LEAST_TARGETS = 2, /* and never less: smaller, a phone could not read it */
    TICKET_GAPS = 2,      /* gaps above the ticket */
    BESIDE_GAPS = 2,      /* gaps between the words and a code beside them */
    HELP_GAPS = 2,        /* gaps above the help-now button */
    WORDS_MAX = 8,
};

/* The words in a column: thanks, what happens now, the ticket and where, and room for the code
 * under them (wider gaps and the code are room with no text). */
struct words {
    struct stack_text t[WORDS_MAX];
    struct stack_child c[WORDS_MAX];
    int n, h;
};

static void words_add(struct words *k, const char *id, enum role role, enum style st,
                      const char *text, int px, bool bold)
{
    k->t[k->n++] = stack_para(id, role, st, text, px, bold, AL_CENTER);
}

/* Room px tall in the column (no widget). */
static void words_room(struct words *k, int px)
{
    k->t[k->n++] = stack_room(px);
}

/* The words measured once in a column w wide. */
static void words_measure(struct lb *b, struct words *k, const char *t1, const char *t2,
                          const char *tk, const char *who, int w)
{
    *k = (struct words){.n = 0};
    words_add(k, "title", R_HEADING, ST_SCREEN, t1, (int)lround(b->body * TITLE_SCALE), true);
    words_room(k, b->gap);
    words_add(k, "body", R_TEXT, ST_MUTED, t2, b->body, false);
    if (tk[0]) {
        words_room(k, TICKET_GAPS * b->gap);
        words_add(k, "done-ticket", R_HEADING, ST_SCREEN, tk, b->head, true);
        if (who[0])
            words_add(k, "done-where", R_TEXT, ST_SCREEN, who, b->body, false);
    }
    stack_texts_measure(b, k->t, k->n, w, k->c);
    k->h = stack_natural_h(k->c, k->n, 0);
}

void done_build(struct lb *b)
{
    const struct flow *f = b->f;
    lb_add(b, "done", R_BACKDROP, ST_SCREEN, "", R(0, 0, lb_w(b), lb_h(b)), ACT_BEGIN, 0);
    int y0 = lb_topbar(b), cw = lb_col_w(b), cx = (lb_w(b) - cw) / 2;
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
    int bottom = lb_help_now_low(b, b->floor, false) - HELP_GAPS * b->gap;
    int qr_most = b->T * QR_TARGETS, qr_least = b->T * QR_LEAST_TARGETS;
    struct words wd;
    words_measure(b, &wd, t1, t2, tk, who, cw);
    int th = wd.h, q = 0, beside = 0;
    if (tk[0]) {
        q = qr_most;
        if (y0 + th + b->gap + q > bottom)
            q = bottom - y0 - th - b->gap;
        if (q < qr_least)
            q = 0;             /* no room for a code a phone could read: the words stay */
        if (!q && b->normal) { /* bigger text: the code at the right of the words instead */
            int qs = qr_most < bottom - y0 ? qr_most : bottom - y0;
            int tw = cw - qs - BESIDE_GAPS * b->gap;
            struct words w2;
            if (qs >= qr_least && tw > cw / 2) {
                words_measure(b, &w2, t1, t2, tk, who, tw);
                if (y0 + w2.h <= bottom) {
                    beside = qs;
                    cw = tw;
                    wd = w2;
                    th = w2.h > qs ? w2.h : qs;
                }
            }
        }
    }
    /* bigger text with no room for the code beside or under the words: it goes under them on
     * a page of its own (More), never dropped */
    int paged = 0;
    if (tk[0] && !q && !beside && b->normal) {
        int room = bottom - y0 - lb_more_h(b) - b->gap;
        paged = qr_most < room ? qr_most : room;
        paged = paged < qr_least ? qr_least : paged;
    }
    int qs = q ? q : paged, qr_at = -1;
    if (qs) { /* the code under the words: room for it (already measured: its size) */
        words_room(&wd, b->gap);
        qr_at = wd.n;
        words_room(&wd, qs);
        stack_texts_measure(b, wd.t + qr_at - 1, 2, cw, wd.c + qr_at - 1);
        th += b->gap + qs;
    }
    int first = b->l->n, room = bottom - y0 > th ? bottom - y0 : th;
    struct wrect r[WORDS_MAX], row[2], qr = R(0, 0, 0, 0);
    int y;
    if (beside) { /* the words and the code side by side, each centred in the row's height */
        struct stack_child one[] = {{th, 0}}, side[] = {{cw, 0}, {beside, 0}},
                           code[] = {{beside, 0}};
        struct wrect at;
        stack_column(b, R(cx, y0, cw, room), 0, STACK_CENTRE, one, 1, &at);
        stack_row(b, R(cx, at.y, cw + BESIDE_GAPS * b->gap + beside, th), BESIDE_GAPS * b->gap,
                  side, 2, row);
        stack_column(b, row[1], 0, STACK_CENTRE, code, 1, &qr);
        y = stack_column(b, row[0], 0, STACK_CENTRE, wd.c, wd.n, r);
    } else {
        y = stack_column(b, R(cx, y0, cw, room), 0, STACK_CENTRE, wd.c, wd.n, r);
    }
    stack_texts_place(b, wd.t, wd.n, r);
    if (tk[0])
        b->first_page_end = b->l->n; /* the ticket on the first page */
    if (qr_at >= 0)
        lb_qr_widget(b, payload, R((lb_w(b) - qs) / 2, r[qr_at].y, qs, qs), false);
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
