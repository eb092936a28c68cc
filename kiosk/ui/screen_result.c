/* screen_result.c — who the resident will see, where, how long, the ticket and its QR code. */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "flow_int.h"
#include "layout_int.h"

/* What ticket_row shows: wait and ahead side by side with the ticket (TR_ALL), the ticket alone
 * (TR_TICKET), or wait and ahead alone (TR_WAIT). */
enum ticket_parts { TR_ALL, TR_TICKET, TR_WAIT };

/* The height of ticket_row's row with the wait's cell ww wide and the others ow: each text
 * wrapped at its size inside its cell's margins, at least min_h; a cell too narrow for its
 * longest word (or the ticket) counts as too tall when strict. */
static int row_h(struct lb *b, enum ticket_parts parts, const char *wait, const char *ahead, int ww,
                 int ow, int big, int min_h, bool strict)
{
    int ip = b->gap, h = min_h;
    if (parts != TR_TICKET) {
        int h1 = lb_text_h(b, wait, b->body, true, ww - 2 * ip) + 2 * ip;
        int h2 = lb_text_h(b, ahead, b->body, true, ow - 2 * ip) + 2 * ip;
        if (strict && (lb_widest_word(b, wait, b->body, true) > ww - 2 * ip ||
                       lb_widest_word(b, ahead, b->body, true) > ow - 2 * ip))
            return INT_MAX / 2;
        h = h1 > h ? h1 : h;
        h = h2 > h ? h2 : h;
    }
    if (parts != TR_WAIT) {
        int tw = parts == TR_ALL ? ow : ww;
        const char *code = b->f->ticket.code[0] ? b->f->ticket.code : "—";
        int h3 = lb_text_h(b, lb_str(b, "result.ticket"), b->small, false, tw - 2 * ip) +
                 lb_line_h(b, big, true) + 2 * ip;
        if (strict && parts == TR_ALL && lb_widest_word(b, code, big, true) > tw - 2 * ip)
            return INT_MAX / 2;
        h = h3 > h ? h3 : h;
    }
    return h;
}

/* Wait, people ahead and the ticket, side by side (or the parts asked for), at least min_h tall.
 * Returns the height used. */
static int ticket_row(struct lb *b, int x, int y, int w, enum ticket_parts parts, int min_h)
{
    const struct flow *f = b->f;
    char wait[128], ahead[128], n[16];
    /* hubd's figures; unknown (hubd unreachable) means reception will tell them, never a
     * number the kiosk made up */
    snprintf(n, sizeof(n), "%d", f->ticket.wait_min);
    if (f->ticket.wait_min < 0)
        snprintf(wait, sizeof(wait), "%s", lb_str(b, "result.wait_unknown"));
    else
        i18n_format(wait, sizeof(wait), i18n_plural(b->in->cat, "result.wait", f->ticket.wait_min),
                    "n", n);
    snprintf(n, sizeof(n), "%d", f->ticket.position);
    if (f->ticket.position < 0)
        snprintf(ahead, sizeof(ahead), "%s", lb_str(b, "result.ahead_unknown"));
    else if (f->ticket.position == 0)
        snprintf(ahead, sizeof(ahead), "%s", lb_str(b, "result.next_up"));
    else
        i18n_format(ahead, sizeof(ahead),
                    i18n_plural(b->in->cat, "result.ahead", f->ticket.position), "n", n);
    int cols = parts == TR_ALL ? 3 : parts == TR_WAIT ? 2 : 1;
    int cell = (w - (cols - 1) * b->gap) / cols, ip = b->gap;
    int big = (int)lround(b->head * 1.3);
    /* the wait's cell may take more than its share, so that a long wait (reception will say)
     * wraps in fewer lines at body size rather than making the row, and the screen, taller */
    int ww = cell, rest = cell;
    int h = row_h(b, parts, wait, ahead, cell, cell, big, min_h, false);
    if (parts != TR_TICKET)
        for (int step = 0, sw = b->gap > 4 ? b->gap / 2 : 2; step < 64; step++) {
            int cw = cell + (step + 1) * sw, ow = (w - cw - (cols - 1) * b->gap) / (cols - 1);
            if (ow < cw * 2 / 3)
                break;
            int ch = row_h(b, parts, wait, ahead, cw, ow, big, min_h, true);
            if (ch < h) {
                h = ch;
                ww = cw;
                rest = ow;
            }
        }
    struct widget *p;
    if (parts != TR_TICKET) {
        /* Until hubd's answer comes (a second at most) the wait and the line keep their size
         * and show an ellipsis, so nothing jumps; the ticket is the kiosk's and shows at once. */
        static const char soon[] = "\u2026";
        bool pending = f->queue_pending;
        p = lb_add(b, "wait", R_PANEL, ST_CARD, pending ? soon : wait, R(x, y, ww, h), ACT_NONE, 0);
        lb_fit(b, p, b->body, true, AL_CENTER, 0);
        p->radius = (int)(14 * b->u);
        p = lb_add(b, "ahead", R_PANEL, ST_CARD, pending ? soon : ahead,
                   R(x + ww + b->gap, y, rest, h), ACT_NONE, 0);
        lb_fit(b, p, b->body, true, AL_CENTER, 0);
        p->radius = (int)(14 * b->u);
    }
    if (parts != TR_WAIT) {
        int tx = parts == TR_ALL ? x + ww + rest + 2 * b->gap : x;
        cell = parts == TR_ALL ? rest : cell;
        lb_add(b, "ticket-card", R_PANEL, ST_TICKET, "", R(tx, y, cell, h), ACT_NONE, 0);
        int th = lb_para(b, "ticket-label", R_TEXT, ST_TICKET, lb_str(b, "result.ticket"), tx + ip,
                         y + ip, cell - 2 * ip, b->small, false, AL_CENTER);
        p = lb_add(b, "ticket", R_HEADING, ST_TICKET, f->ticket.code[0] ? f->ticket.code : "—",
                   R(tx + ip, y + ip + th, cell - 2 * ip, h - 2 * ip - th), ACT_NONE, 0);
        lb_fit(b, p, big, true, AL_CENTER, 0);
    }
    return h;
}

/* "Speaks Welsh, English" for a worker, into out. */
static void speaks_line(struct lb *b, const struct worker *wk, char *out, size_t cap)
{
    char speaks[160] = "";
    size_t o = 0;
    for (int i = 0; i < wk->n_langs; i++) {
        char key[24];
        snprintf(key, sizeof(key), "lang.%s", wk->langs[i]);
        int n = snprintf(speaks + o, sizeof(speaks) - o, "%s%s", i ? ", " : "", lb_str(b, key));
        if (n < 0 || (size_t)n >= sizeof(speaks) - o)
            break;
        o += (size_t)n;
    }
    i18n_format(out, cap, lb_str(b, "result.speaks"), "langs", speaks);
}

/* The worker's card at y: their name, what they help with and the languages they speak (unless
 * brief: those go in a card of their own, details_card), where to wait. Returns its height. */
static int worker_card(struct lb *b, const struct worker *wk, int cx, int y, int cw, bool brief)
{
    int ip = b->pad, dia = b->T * 3 / 2;
    int tx = cx + ip * 2 + dia, txw = cw - dia - ip * 3;
    char where[160], desk[DIR_NAME_MAX], line[200];
    i18n_desk(b->in->cat, wk->desk, wk->desk_cy, desk, sizeof(desk));
    i18n_format(where, sizeof(where), lb_str(b, "result.where"), "desk", desk);
    speaks_line(b, wk, line, sizeof(line));
    const char *helps = lb_str(b, lb_helps_key(wk->domain_mask));
    int name_px = (int)lround(b->head * 1.25);
    int ch = lb_text_h(b, wk->name, name_px, true, txw) + lb_text_h(b, where, b->body, true, txw) +
             2 * ip + b->gap;
    if (!brief)
        ch += lb_text_h(b, helps, b->body, false, txw) + lb_text_h(b, line, b->body, false, txw);
    if (ch < dia + 2 * ip)
        ch = dia + 2 * ip;
    lb_add(b, "worker-card", R_PANEL, ST_CARD, "", R(cx, y, cw, ch), ACT_NONE, 0);
    lb_avatar(b, "avatar", wk, R(cx + ip, y + ip, dia, dia));
    int ty = y + ip;
    ty += lb_para(b, "worker-name", R_HEADING, ST_CARD, wk->name, tx, ty, txw, name_px, true,
                  AL_LEFT) +
          b->gap / 2;
    if (!brief) {
        ty += lb_para(b, "helps", R_TEXT, ST_CARD, helps, tx, ty, txw, b->body, false, AL_LEFT);
        ty += lb_para(b, "speaks", R_TEXT, ST_CARD, line, tx, ty, txw, b->body, false, AL_LEFT);
    }
    lb_para(b, "where", R_TEXT, ST_CARD, where, tx, ty, txw, b->body, true, AL_LEFT);
    return ch;
}

/* What the worker helps with and the languages they speak, in a card at y. Returns its height. */
static int details_card(struct lb *b, const struct worker *wk, int cx, int y, int cw)
{
    int ip = b->pad, iw = cw - 2 * ip;
    char line[200];
    speaks_line(b, wk, line, sizeof(line));
    const char *helps = lb_str(b, lb_helps_key(wk->domain_mask));
    int h =
        lb_text_h(b, helps, b->body, false, iw) + lb_text_h(b, line, b->body, false, iw) + 2 * ip;
    lb_add(b, "worker-details", R_PANEL, ST_CARD, "", R(cx, y, cw, h), ACT_NONE, 0);
    int ty = y + ip;
    ty += lb_para(b, "helps", R_TEXT, ST_CARD, helps, cx + ip, ty, iw, b->body, false, AL_LEFT);
    lb_para(b, "speaks", R_TEXT, ST_CARD, line, cx + ip, ty, iw, b->body, false, AL_LEFT);
    return h;
}

/* The words of the result from y; returns the y below them. With first_things (bigger text
 * short of room) who, where and the ticket come first, so that they are on the first page, and
 * the thanks, what the worker helps with and speaks after them. */
static int result_words(struct lb *b, const struct worker *wk, int cx, int y, int cw,
                        bool first_things)
{
    const struct flow *f = b->f;
    char buf[WIDGET_TEXT_MAX];
    if (f->name[0] && !first_things) {
        i18n_format(buf, sizeof(buf), lb_str(b, "result.thanks"), "name", f->name);
        y += lb_para(b, "thanks", R_TEXT, ST_SCREEN, buf, cx, y, cw, b->body, false, AL_LEFT) +
             b->gap / 2;
    }
    if (!wk) {
        y += lb_para(b, "title", R_HEADING, ST_SCREEN, lb_str(b, "result.reception_title"), cx, y,
                     cw, b->head, true, AL_LEFT) +
             b->gap;
        if (first_things) { /* the ticket first, what reception will do after it */
            y += ticket_row(b, cx, y, cw, TR_ALL, 0) + b->gap;
            b->first_page_end = b->l->n;
        }
        y += lb_para(b, "seat", R_TEXT, ST_SCREEN, lb_str(b, "result.reception_body"), cx, y, cw,
                     b->body, false, AL_LEFT) +
             b->gap;
        if (first_things && f->name[0]) {
            i18n_format(buf, sizeof(buf), lb_str(b, "result.thanks"), "name", f->name);
            y += lb_para(b, "thanks", R_TEXT, ST_SCREEN, buf, cx, y, cw, b->body, false, AL_LEFT) +
                 b->gap / 2;
        }
        return first_things ? y : y + ticket_row(b, cx, y, cw, TR_ALL, 0);
    }
    y += lb_para(b, "title", R_TEXT, ST_MUTED, lb_str(b, "result.title"), cx, y, cw, b->body, false,
                 AL_LEFT) +
         b->gap / 2;
    if (!first_things) {
        y += worker_card(b, wk, cx, y, cw, false) + b->gap;
        y += ticket_row(b, cx, y, cw, TR_ALL, 0) + b->gap;
    } else { /* the ticket beside the card, how long and how many ahead after them */
        int tw = (cw - 2 * b->gap) / 3, kw = cw - tw - b->gap;
        int first = b->l->n, ch = worker_card(b, wk, cx, y, kw, true);
        int th = ticket_row(b, cx + kw + b->gap, y, tw, TR_TICKET, ch);
        if (th > ch && first < b->l->n) { /* the ticket is the taller: the card grows to it */
            b->l->wg[first].r.h = th;
            b->l->wg[first].box.h = th;
        }
        y += (th > ch ? th : ch) + b->gap;
        b->first_page_end = b->l->n; /* who, where and the ticket */
        y += ticket_row(b, cx, y, cw, TR_WAIT, 0) + b->gap;
        if (f->name[0]) {
            i18n_format(buf, sizeof(buf), lb_str(b, "result.thanks"), "name", f->name);
            y += lb_para(b, "thanks", R_TEXT, ST_SCREEN, buf, cx, y, cw, b->body, false, AL_LEFT) +
                 b->gap / 2;
        }
        y += details_card(b, wk, cx, y, cw) + b->gap;
    }
    char given[DIR_NAME_MAX];
    snprintf(given, sizeof(given), "%s", wk->name);
    char *sp = strchr(given, ' ');
    if (sp)
        *sp = '\0';
    i18n_format(buf, sizeof(buf), lb_str(b, "result.seat"), "first", given);
    return y + lb_para(b, "seat", R_TEXT, ST_SCREEN, buf, cx, y, cw, b->body, false, AL_LEFT);
}

void result_build(struct lb *b)
{
    const struct flow *f = b->f;
    const struct hub_dir *d = f->deps.dir;
    int top = lb_topbar(b), y = top, first = b->l->n;
    /* landscape is short of height: Finish and help now go in a column at the right */
    bool side = b->landscape;
    int avail = lb_w(b) - 2 * b->pad - (side ? lb_side_w(b) + 2 * b->gap : 0);
    int cw = lb_col_w(b) < avail ? lb_col_w(b) : avail,
        cx = side ? b->pad + (avail - cw) / 2 : (lb_w(b) - cw) / 2;
    int bottom = side ? b->floor : lb_foot_top(b, FOOT_FINISH, false);
    const struct worker *wk = f->match.worker >= 0 && d && f->match.worker < d->n_workers
                                  ? &d->workers[f->match.worker]
                                  : NULL;
    y = result_words(b, wk, cx, top, cw, false);
    if (b->normal && y > bottom) { /* bigger text, on pages: the first things first */
        b->l->n = first;
        y = result_words(b, wk, cx, top, cw, true);
    }
    char payload[WIDGET_TEXT_MAX];
    lb_qr_text(b, f->ticket.code, wk ? wk->name : NULL, wk ? wk->desk : NULL,
               wk ? wk->desk_cy : NULL, payload, sizeof(payload));
    /* on a wide screen the QR code goes at the top of the column Finish and help now close,
     * when there is room for it there */
    int sw = lb_side_w(b), qtop = top, qbot = lb_side_top(b) - b->gap;
    int cap_h = lb_text_h(b, lb_str(b, "result.qr"), b->small, false, sw);
    int sq = qbot - qtop - cap_h - b->gap / 2;
    sq = sq > sw ? sw : sq;
    bool qr_side = side && sq >= b->T * 2;
    if (!side ||
        (b->normal && !qr_side)) { /* under the ticket: the code and what it is for, side by side */
        int q = b->T * 3 < cw * 2 / 5 ? b->T * 3 : cw * 2 / 5;
        y += b->gap;
        /* with bigger text it is never dropped: it may go on a page of its own */
        if (y + q <= bottom || b->normal) {
            lb_qr_widget(b, payload, R(cx, y, q, q), false);
            int tw = cw - q - 2 * b->gap;
            int ch = lb_text_h(b, lb_str(b, "result.qr"), b->body, false, tw);
            lb_para(b, "qr-caption", R_TEXT, ST_MUTED, lb_str(b, "result.qr"), cx + q + 2 * b->gap,
                    y + (q - ch) / 2, tw, b->body, false, AL_LEFT);
            y += q;
        }
    }
    y = lb_page(b, first, top, y, bottom, cx, cw);
    lb_check_bottom(b, y, bottom);
    lb_centre_block(b, first, top, y, bottom);
    if (qr_side) { /* the QR code at the top of the column Finish and help now close */
        int qx = lb_w(b) - b->pad - sw, q = sq;
        {
            lb_qr_widget(b, payload, R(qx + (sw - q) / 2, qtop, q, q), false);
            lb_para(b, "qr-caption", R_TEXT, ST_MUTED, lb_str(b, "result.qr"), qx,
                    qtop + q + b->gap / 2, sw, b->small, false, AL_CENTER);
        }
    }
    if (side)
        lb_side_foot(b);
    else
        lb_foot(b, FOOT_FINISH, false);
}

bool result_act(struct flow *f, enum action a, int arg, int64_t now_ms)
{
    if (screen_page_act(f, a, arg))
        return true;
    if (a != ACT_FINISH)
        return false;
    flow_finish(f, now_ms);
    return true;
}
