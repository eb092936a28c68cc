/* screen_staff.c — the staff screen (the kiosk's sync state and the health of its local store),
 * and the welcome screen's notice to staff when check-ins are not reaching reception. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "flow_int.h"
#include "layout_int.h"

int lb_staff_notice(struct lb *b)
{
    const struct flow *f = b->f;
    if (!flow_staff_alert(f))
        return 0;
    char n[16], text[WIDGET_TEXT_MAX];
    const char *key = !f->status.store_durable  ? "staff.alert_store"
                      : f->status.set_aside > 0 ? "staff.alert_set_aside"
                                                : "staff.alert_pending";
    snprintf(n, sizeof(n), "%d", f->status.set_aside > 0 ? f->status.set_aside : f->status.pending);
    i18n_format(text, sizeof(text), lb_str(b, key), "n", n);
    struct wrect c = lb_staff_corner_rect(b); /* the notice sits beside it */
    int x = c.w + b->gap, w = b->in->w - x - b->pad, ip = b->gap;
    int h = lb_text_h(b, text, b->small, true, w - 2 * ip) + 2 * ip;
    int y = b->floor - h;
    lb_add(b, "staff-notice", R_PANEL, ST_STAFF_ALERT, "", R(x, y, w, h), ACT_NONE, 0);
    lb_para(b, "staff-notice-text", R_TEXT, ST_STAFF_ALERT, text, x + ip, y + ip, w - 2 * ip,
            b->small, true, AL_LEFT);
    return h + b->gap;
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

void staff_build(struct lb *b)
{
    const struct flow *f = b->f;
    const struct flow_status *st = &f->status;
    int W = b->in->w, H = b->in->h, y = lb_topbar(b), top = y, first = b->l->n;
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
    y = lb_page(b, first, top, y, bottom, cx, cw); /* bigger text: the cards on pages */
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

bool staff_act(struct flow *f, enum action a, int arg, int64_t now_ms)
{
    if (screen_page_act(f, a, arg))
        return true;
    if (a == ACT_SYNC_NOW) {
        f->sync_asked = true;
        return true;
    }
    if (a == ACT_BACK || a == ACT_FINISH) {
        flow_reset(f, now_ms);
        return true;
    }
    return false;
}
