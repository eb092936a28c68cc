/* overlay.c — what comes over any screen: "Are you still there?" and "Start again?". */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "layout_int.h"

void lb_idle(struct lb *b)
{
    lb_add(b, "idle-backdrop", R_BACKDROP, ST_OVERLAY, "", R(0, 0, lb_w(b), lb_h(b)), ACT_MORE_TIME,
           0);
    int cw = lb_col_w(b) * 4 / 5, cx = (lb_w(b) - cw) / 2, ip = b->pad * 2, iw = cw - 2 * ip;
    int big = (int)lround(b->head * 1.2), bh = b->btn_h * 3 / 2;
    const char *t = lb_str(b, "idle.title");
    int ph = lb_text_h(b, t, big, true, iw) + b->gap * 2 + bh + b->gap + b->btn_h + 2 * ip;
    int y = (lb_h(b) - ph) / 2;
    if (y < 0) {
        y = 0;
        b->overflow = true;
    }
    lb_add(b, "idle-panel", R_PANEL, ST_OVERLAY, "", R(cx, y, cw, ph), ACT_NONE, 0);
    int ty = y + ip;
    ty +=
        lb_para(b, "idle-title", R_HEADING, ST_OVERLAY, t, cx + ip, ty, iw, big, true, AL_CENTER) +
        b->gap * 2;
    lb_button(b, "more-time", R_BUTTON, ST_PRIMARY, lb_str(b, "idle.more"), R(cx + ip, ty, iw, bh),
              ACT_MORE_TIME, 0, (int)lround(b->body * 1.15), true);
    ty += bh + b->gap;
    lb_button(b, "idle-start-again", R_BUTTON, ST_SECONDARY, lb_str(b, "app.start_again"),
              R(cx + ip, ty, iw, b->btn_h), ACT_CONFIRM_RESET, 0, b->body, false);
}

void lb_confirm(struct lb *b)
{
    lb_add(b, "confirm-backdrop", R_BACKDROP, ST_OVERLAY, "", R(0, 0, lb_w(b), lb_h(b)),
           ACT_CANCEL_RESET, 0);
    int cw = lb_col_w(b) * 4 / 5, cx = (lb_w(b) - cw) / 2, ip = b->pad * 2, iw = cw - 2 * ip;
    const char *t = lb_str(b, "confirm.title");
    const char *yes = lb_str(b, "confirm.yes"), *no = lb_str(b, "confirm.no");
    int big = (int)lround(b->head * 1.1);
    int bh_no = lb_tall_h(b, no, iw, b->gap), bh_yes = lb_tall_h(b, yes, iw, 0);
    int ph = lb_text_h(b, t, big, true, iw) + b->gap * 2 + bh_no + b->gap + bh_yes + 2 * ip;
    /* low on a portrait screen, within reach; centred on a landscape one */
    int y = b->landscape ? (lb_h(b) - ph) / 2 : b->floor - ph;
    if (y < 0) {
        y = 0;
        b->overflow = true;
    }
    lb_add(b, "confirm-panel", R_PANEL, ST_OVERLAY, "", R(cx, y, cw, ph), ACT_NONE, 0);
    int ty = y + ip;
    ty += lb_para(b, "confirm-title", R_HEADING, ST_OVERLAY, t, cx + ip, ty, iw, big, true,
                  AL_CENTER) +
          b->gap * 2;
    /* carrying on is the safe choice: first, and the main one */
    lb_button(b, "confirm-no", R_BUTTON, ST_PRIMARY, no, R(cx + ip, ty, iw, bh_no),
              ACT_CANCEL_RESET, 0, b->body, true);
    ty += bh_no + b->gap;
    lb_button(b, "confirm-yes", R_BUTTON, ST_SECONDARY, yes, R(cx + ip, ty, iw, bh_yes),
              ACT_CONFIRM_RESET, 0, b->body, false);
}
