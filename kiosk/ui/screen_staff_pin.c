/* screen_staff_pin.c — the staff PIN pad behind a long press on the welcome screen's corner:
 * the corner itself, the pad, and the PIN's checks (wrong tries lock it for a while). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "flow_int.h"
#include "layout_int.h"

/* The corner a long press opens the PIN pad from: bottom left of the welcome screen. A short
 * tap there starts, like a tap anywhere else on that screen. */
struct wrect lb_staff_corner_rect(struct lb *b)
{
    int s = b->T * 3 / 2;
    return R(0, b->in->h - s, s, s);
}

void lb_staff_corner(struct lb *b)
{
    if (strlen(b->f->cfg.staff_pin) < 4)
        return;
    struct widget *w =
        lb_add(b, "staff-corner", R_BACKDROP, ST_SCREEN, "", lb_staff_corner_rect(b), ACT_BEGIN, 0);
    w->hold = ACT_STAFF; /* nothing drawn; the dump names it by id */
}

void staff_pin_build(struct lb *b)
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
            /* a digit: 0.4 of its key, with bigger text as big as the key allows */
            int dpx = (int)lround(fmin(k * 0.4 * (b->normal ? b->k / b->k_least : 1), k * 0.6));
            struct widget *w =
                lb_button(b, id, R_KEY, ST_KEY, label, r, ACT_PIN, digits[i], dpx, true);
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

/* Compares in time that does not depend on where the PIN differs. */
static bool pin_matches(const char *typed, int len, const char *pin)
{
    size_t n = strlen(pin);
    unsigned diff = (unsigned)len ^ (unsigned)n;
    for (size_t i = 0; i < FLOW_PIN_MAX; i++)
        diff |= (unsigned)(unsigned char)(i < n ? pin[i] : 0) ^
                (unsigned)(unsigned char)((int)i < len ? typed[i] : 0);
    return diff == 0;
}

static bool locked(const struct flow *f, int64_t now_ms)
{
    return f->pin_fails >= FLOW_PIN_TRIES && now_ms < f->pin_locked_until;
}

static bool digit(struct flow *f, int d, int64_t now_ms)
{
    if (d < 0 || d > 9 || f->pin_len >= FLOW_PIN_MAX || locked(f, now_ms))
        return false;
    f->pin[f->pin_len++] = (char)('0' + d);
    f->pin[f->pin_len] = '\0';
    f->pin_wrong = false;
    return true;
}

static bool try_pin(struct flow *f, int64_t now_ms)
{
    if (f->pin_len < 4 || locked(f, now_ms))
        return false;
    bool ok = pin_matches(f->pin, f->pin_len, f->cfg.staff_pin);
    staff_wipe(f);
    if (!ok) {
        f->pin_wrong = true;
        if (++f->pin_fails >= FLOW_PIN_TRIES)
            f->pin_locked_until = now_ms + FLOW_PIN_LOCK_MS;
        return true;
    }
    f->pin_fails = 0;
    flow_go(f, SCR_STAFF, now_ms);
    return true;
}

bool staff_open(struct flow *f, int64_t now_ms)
{
    if (strlen(f->cfg.staff_pin) < 4)
        return false; /* no PIN set: no staff screen */
    staff_wipe(f);
    flow_go(f, SCR_STAFF_PIN, now_ms);
    return true;
}

bool staff_pin_act(struct flow *f, enum action a, int arg, int64_t now_ms)
{
    if (a == ACT_PIN)
        return digit(f, arg, now_ms);
    if ((a == ACT_PIN_DELETE || a == ACT_BACKSPACE) && f->pin_len > 0) {
        f->pin[--f->pin_len] = '\0';
        return true;
    }
    if (a == ACT_PIN_OK || a == ACT_ENTER)
        return try_pin(f, now_ms);
    if (a == ACT_BACK) {
        flow_reset(f, now_ms);
        return true;
    }
    return false;
}

bool staff_type(struct flow *f, const char *utf8, int64_t now_ms)
{
    bool changed = false;
    for (const char *p = utf8; *p; p++)
        if (*p >= '0' && *p <= '9')
            changed |= digit(f, *p - '0', now_ms);
    return changed;
}
