/* screens_staff.c — the staff screens (PIN pad, kiosk status), the welcome screen's hidden
 * staff corner and its notice to staff when check-ins are not reaching reception. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "layout_int.h"

#define R(x, y, w, h) ((struct wrect){(x), (y), (w), (h)})

/* The corner a long press opens the PIN pad from: bottom left of the welcome screen. A short
 * tap there starts, like a tap anywhere else on that screen. */
static struct wrect corner(struct lb *b)
{
    int s = b->T * 3 / 2;
    return R(0, b->in->h - s, s, s);
}

void lb_staff_corner(struct lb *b)
{
    if (strlen(b->f->cfg.staff_pin) < 4)
        return;
    struct widget *w =
        lb_add(b, "staff-corner", R_BACKDROP, ST_SCREEN, "", corner(b), ACT_BEGIN, 0);
    w->hold = ACT_STAFF; /* nothing drawn; the dump names it by id */
}

int lb_staff_notice(struct lb *b)
{
    const struct flow *f = b->f;
    if (!flow_staff_alert(f))
        return 0;
    char n[16], text[WIDGET_TEXT_MAX];
    snprintf(n, sizeof(n), "%d", f->status.pending);
    const char *key = f->status.store_durable ? "staff.alert_pending" : "staff.alert_store";
    i18n_format(text, sizeof(text), lb_str(b, key), "n", n);
    struct wrect c = corner(b);
    int x = c.w + b->gap, w = b->in->w - x - b->pad, ip = b->gap;
    int h = lb_text_h(b, text, b->small, true, w - 2 * ip) + 2 * ip;
    int y = b->floor - h;
    lb_add(b, "staff-notice", R_PANEL, ST_STAFF_ALERT, "", R(x, y, w, h), ACT_NONE, 0);
    lb_para(b, "staff-notice-text", R_TEXT, ST_STAFF_ALERT, text, x + ip, y + ip, w - 2 * ip,
            b->small, true, AL_LEFT);
    return h + b->gap;
}

void lb_staff_pin(struct lb *b)
{
    const struct flow *f = b->f;
    int W = b->in->w, H = b->in->h, y0 = lb_topbar(b);
    int kg = b->gap, bottom = H - b->pad - b->btn_h - b->gap;
    int cols_x = b->pad, col_w = W - 2 * b->pad, pad_x, pad_y;
    int k = b->T * 3 / 2; /* a key: bigger than the smallest target, the PIN is typed standing */
    int y = y0;
    if (b->landscape)
        col_w = (W - 3 * b->pad) / 2;
    y += lb_para(b, "title", R_HEADING, ST_SCREEN, lb_str(b, "staff.pin_title"), cols_x, y, col_w,
                 b->head, true, AL_LEFT) +
         b->gap / 2;
    y += lb_para(b, "subtitle", R_TEXT, ST_MUTED, lb_str(b, "staff.pin_body"), cols_x, y, col_w,
                 b->body, false, AL_LEFT) +
         b->gap;
    char dots[4 * FLOW_PIN_MAX + 1] = "";
    for (int i = 0; i < f->pin_len; i++)
        memcpy(dots + 4 * i, "\u25cf ", 5); /* "● " is 4 bytes, and a terminator */
    int fh = lb_line_h(b, b->head, true) + b->gap;
    struct widget *fw = lb_add(b, "pin", R_FIELD, f->pin_len ? ST_FIELD : ST_PLACEHOLDER, dots,
                               R(cols_x, y, col_w < k * 4 ? col_w : k * 4, fh), ACT_NONE, 0);
    lb_fit(b, fw, b->head, true, AL_LEFT, 0);
    fw->caret = true;
    y += fh + b->gap;
    bool locked = f->pin_fails >= FLOW_PIN_TRIES;
    const char *msg = locked         ? lb_str(b, "staff.pin_locked")
                      : f->pin_wrong ? lb_str(b, "staff.pin_wrong")
                                     : "";
    y += lb_para(b, "pin-message", R_TEXT, ST_SCREEN, msg, cols_x, y, col_w, b->body, true,
                 AL_LEFT) +
         b->gap;
    int avail_h = b->landscape ? bottom - y0 : bottom - y;
    if (4 * k + 3 * kg > avail_h)
        k = (avail_h - 3 * kg) / 4;
    if (k < b->T)
        k = b->T;
    int pad_w = 3 * k + 2 * kg;
    pad_x = b->landscape ? 2 * b->pad + col_w + (col_w - pad_w) / 2 : (W - pad_w) / 2;
    pad_y = b->landscape ? y0 : y;
    if (pad_y + 4 * k + 3 * kg > bottom)
        b->overflow = true;
    static const int digits[12] = {1, 2, 3, 4, 5, 6, 7, 8, 9, -1, 0, -2};
    for (int i = 0; i < 12; i++) {
        struct wrect r = R(pad_x + (i % 3) * (k + kg), pad_y + (i / 3) * (k + kg), k, k);
        char id[16], label[4];
        if (digits[i] >= 0) {
            snprintf(id, sizeof(id), "pin-%d", digits[i]);
            snprintf(label, sizeof(label), "%d", digits[i]);
            struct widget *w = lb_button(b, id, R_KEY, ST_KEY, label, r, ACT_PIN, digits[i],
                                         (int)lround(k * 0.4), true);
            w->disabled = locked;
        } else if (digits[i] == -1) {
            lb_button(b, "pin-delete", R_KEY, ST_KEY_MOD, lb_str(b, "staff.delete"), r,
                      ACT_PIN_DELETE, 0, b->small, false);
        } else {
            struct widget *w = lb_button(b, "pin-ok", R_KEY, ST_PRIMARY, lb_str(b, "staff.ok"), r,
                                         ACT_PIN_OK, 0, b->body, true);
            w->disabled = f->pin_len < 4 || locked;
        }
    }
    lb_button(b, "back", R_BUTTON, ST_SECONDARY, lb_str(b, "staff.cancel"),
              R(b->pad, H - b->pad - b->btn_h, b->T * 3, b->btn_h), ACT_BACK, 0, b->body, false);
}

/* One line of the status: a label and its value in a card; returns the height used. */
static int row(struct lb *b, const char *id, const char *label, const char *value, bool bad, int x,
               int y, int w)
{
    char vid[WIDGET_ID_MAX];
    int ip = b->gap;
    int h = lb_text_h(b, label, b->small, false, w - 2 * ip) +
            lb_text_h(b, value, b->body, true, w - 2 * ip) + 2 * ip;
    lb_add(b, id, R_PANEL, bad ? ST_STAFF_ALERT : ST_CARD, "", R(x, y, w, h), ACT_NONE, 0);
    int th = lb_para(b, "", R_TEXT, bad ? ST_STAFF_ALERT : ST_CARD_MUTED, label, x + ip, y + ip,
                     w - 2 * ip, b->small, false, AL_LEFT);
    snprintf(vid, sizeof(vid), "%s-value", id);
    lb_para(b, vid, R_TEXT, bad ? ST_STAFF_ALERT : ST_CARD, value, x + ip, y + ip + th, w - 2 * ip,
            b->body, true, AL_LEFT);
    return h;
}

static void ago(struct lb *b, long s, char *out, size_t cap)
{
    char n[24];
    if (s < 0) {
        snprintf(out, cap, "%s", lb_str(b, "staff.never"));
        return;
    }
    snprintf(n, sizeof(n), "%ld", s < 120 ? s : s / 60);
    i18n_format(out, cap, lb_str(b, s < 120 ? "staff.ago_s" : "staff.ago_min"), "n", n);
}

void lb_staff(struct lb *b)
{
    const struct flow *f = b->f;
    const struct flow_status *st = &f->status;
    int W = b->in->w, H = b->in->h, y = lb_topbar(b);
    int bottom = H - b->pad - b->btn_h - b->gap;
    int cw = W - 2 * b->pad, cx = b->pad, half = (cw - b->gap) / 2;
    y += lb_para(b, "title", R_HEADING, ST_SCREEN, lb_str(b, "staff.title"), cx, y, cw, b->head,
                 true, AL_LEFT) +
         b->gap;
    char v[WIDGET_TEXT_MAX], n[24];
    if (!st->known) {
        y += row(b, "hubd", lb_str(b, "staff.hubd"), lb_str(b, "staff.no_hubd"), false, cx, y, cw);
    } else {
        bool two = b->landscape; /* two columns of cards when there is room across */
        int w = two ? half : cw, x2 = two ? cx + half + b->gap : cx;
        int h1 = row(b, "hubd", lb_str(b, "staff.hubd"),
                     lb_str(b, st->online ? "staff.online" : "staff.offline"),
                     !st->online && st->pending > 0, cx, y, w);
        ago(b, st->since_contact_s, v, sizeof(v));
        int h2 = row(b, "contact", lb_str(b, "staff.last_contact"), v, false, x2,
                     two ? y : y + h1 + b->gap, w);
        y += two ? (h1 > h2 ? h1 : h2) + b->gap : h1 + h2 + 2 * b->gap;
        snprintf(n, sizeof(n), "%d", st->pending);
        h1 = row(b, "pending", lb_str(b, "staff.pending"), n, st->pending > 0 && !st->online, cx, y,
                 w);
        snprintf(n, sizeof(n), "%d", st->set_aside);
        h2 = row(b, "set-aside", lb_str(b, "staff.set_aside"), n, st->set_aside > 0, x2,
                 two ? y : y + h1 + b->gap, w);
        y += two ? (h1 > h2 ? h1 : h2) + b->gap : h1 + h2 + 2 * b->gap;
        if (st->store_durable)
            snprintf(v, sizeof(v), "%s", lb_str(b, "staff.store_ok"));
        else
            i18n_format(v, sizeof(v), lb_str(b, "staff.store_bad"), "why", st->store_why);
        y += row(b, "store", lb_str(b, "staff.store"), v, !st->store_durable, cx, y, cw) + b->gap;
        snprintf(v, sizeof(v), "%s  \u00b7  %s", st->server,
                 st->last_error[0] ? st->last_error : lb_str(b, "staff.none"));
        y += row(b, "server", lb_str(b, "staff.server"), v, false, cx, y, cw);
    }
    if (y > bottom)
        b->overflow = true;
    int bw = b->T * 4;
    if (st->known)
        lb_button(b, "sync-now", R_BUTTON, ST_SECONDARY, lb_str(b, "staff.sync_now"),
                  R(b->pad, H - b->pad - b->btn_h, bw, b->btn_h), ACT_SYNC_NOW, 0, b->body, false);
    lb_button(b, "close", R_BUTTON, ST_PRIMARY, lb_str(b, "staff.close"),
              R(W - b->pad - bw, H - b->pad - b->btn_h, bw, b->btn_h), ACT_FINISH, 0, b->body,
              true);
}
