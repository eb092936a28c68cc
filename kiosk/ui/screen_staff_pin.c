/* screen_staff_pin.c — the staff PIN pad behind a long press on the welcome screen's corner:
 * the corner itself, the pad, and the PIN's checks (wrong tries lock it for a while). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "flow_int.h"
#include "layout_int.h"
#include "stack.h"

/* Named metrics of the PIN pad. */
static const double DIGIT_SCALE = 0.4; /* a digit over its key */
static const double DIGIT_MOST = 0.6;  /* and with bigger text, never more */
enum {
    KEY_HALF_TARGETS =
        3,            /* a key (and the corner): one and a half targets, the PIN typed standing */
    FIELD_KEYS = 4,   /* the PIN's field: no wider than four keys */
    BACK_TARGETS = 3, /* cancel: this many targets wide */
    PIN_LEAST = 4,    /* digits of the shortest PIN (no PIN set: no staff screen) */
    KEY_COLS = 3,
    KEY_ROWS = 4,
    KEY_DELETE = -1, /* the key left of 0 */
    KEY_OK = -2,     /* and right of it */
    DOT_BYTES = 4,   /* "● " */
    ID_MAX = 16,
    LABEL_MAX = 4,
    WORDS_N = 8, /* title, half a gap, what to do, a gap, the field, a gap, the message, a gap */
    WORDS_FIELD = 4,
};

static int key_size(const struct lb *b)
{
    return b->T * KEY_HALF_TARGETS / 2;
}

/* The corner a long press opens the PIN pad from: bottom left of the welcome screen. A short
 * tap there starts, like a tap anywhere else on that screen. */
struct wrect lb_staff_corner_rect(struct lb *b)
{
    int s = key_size(b);
    return R(0, b->in->h - s, s, s);
}

void lb_staff_corner(struct lb *b)
{
    if (strlen(b->f->cfg.staff_pin) < PIN_LEAST)
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
    int k = key_size(b);
    /* the words at the left (above the pad when narrow), the pad at the right */
    enum { WORDS_SIDE, PAD_SIDE, SIDES };
    const struct stack_child halves[SIDES] = {{STACK_SHARE, 0}, {STACK_SHARE, 0}};
    struct wrect across = R(b->pad, y0, W - 2 * b->pad, 0), side[SIDES] = {across};
    if (b->landscape)
        stack_row(b, across, b->pad, halves, SIDES, side);
    int col_w = side[WORDS_SIDE].w, cols_x = side[WORDS_SIDE].x;
    char dots[DOT_BYTES * FLOW_PIN_MAX + 1] = "";
    for (int i = 0; i < f->pin_len; i++)
        memcpy(dots + DOT_BYTES * i, "\u25cf ", DOT_BYTES + 1); /* 4 bytes, and a terminator */
    bool locked = f->pin_fails >= FLOW_PIN_TRIES;
    const char *msg = locked         ? lb_str(b, "staff.pin_locked")
                      : f->pin_wrong ? lb_str(b, "staff.pin_wrong")
                                     : "";
    const struct stack_text words[WORDS_N] = {
        {"title", R_HEADING, ST_SCREEN, lb_str(b, "staff.pin_title"), b->head, true, AL_LEFT},
        {"", R_TEXT, ST_SCREEN, NULL, b->gap / 2, false, AL_LEFT},
        {"subtitle", R_TEXT, ST_MUTED, lb_str(b, "staff.pin_body"), b->body, false, AL_LEFT},
        {"", R_TEXT, ST_SCREEN, NULL, b->gap, false, AL_LEFT},
        [WORDS_FIELD] = {"", R_TEXT, ST_SCREEN, NULL, lb_line_h(b, b->head, true) + b->gap, false,
                         AL_LEFT},
        {"", R_TEXT, ST_SCREEN, NULL, b->gap, false, AL_LEFT},
        {"pin-message", R_TEXT, ST_SCREEN, msg, b->body, true, AL_LEFT},
        {"", R_TEXT, ST_SCREEN, NULL, b->gap, false, AL_LEFT},
    };
    struct stack_child wc[WORDS_N];
    struct wrect wr[WORDS_N];
    stack_texts_measure(b, words, WORDS_N, col_w, wc);
    int y = stack_column(b, R(cols_x, y0, col_w, stack_natural_h(wc, WORDS_N, 0)), 0, STACK_START,
                         wc, WORDS_N, wr);
    /* placed in reading order: the title and what to do, the field, the message */
    stack_texts_place(b, words, WORDS_FIELD, wr);
    struct wrect fr = wr[WORDS_FIELD];
    struct widget *fw =
        lb_add(b, "pin", R_FIELD, f->pin_len ? ST_FIELD : ST_PLACEHOLDER, dots,
               R(fr.x, fr.y, col_w < k * FIELD_KEYS ? col_w : k * FIELD_KEYS, fr.h), ACT_NONE, 0);
    lb_fit(b, fw, b->head, true, AL_LEFT, 0);
    fw->caret = true;
    stack_texts_place(b, words + WORDS_FIELD + 1, WORDS_N - WORDS_FIELD - 1, wr + WORDS_FIELD + 1);
    /* the pad: keys as big as the room below (beside, when landscape) allows, never under a
     * target */
    int avail_h = b->landscape ? bottom - y0 : bottom - y;
    if (KEY_ROWS * k + (KEY_ROWS - 1) * kg > avail_h)
        k = (avail_h - (KEY_ROWS - 1) * kg) / KEY_ROWS;
    if (k < b->T)
        k = b->T;
    struct stack_child kc[KEY_ROWS];
    for (int i = 0; i < KEY_ROWS; i++)
        kc[i] = (struct stack_child){k, 0};
    int pad_w = stack_natural_h(kc, KEY_COLS, kg);
    int pad_x = b->landscape ? side[PAD_SIDE].x + (col_w - pad_w) / 2 : (W - pad_w) / 2;
    int pad_y = b->landscape ? y0 : y;
    struct wrect rows[KEY_ROWS], cols[KEY_COLS];
    stack_column(b, R(pad_x, pad_y, pad_w, bottom - pad_y), kg, STACK_START, kc, KEY_ROWS, rows);
    stack_row(b, R(pad_x, pad_y, pad_w, k), kg, kc, KEY_COLS, cols);
    static const int digits[KEY_ROWS * KEY_COLS] = {1, 2, 3, 4,          5, 6,
                                                    7, 8, 9, KEY_DELETE, 0, KEY_OK};
    for (int i = 0; i < KEY_ROWS * KEY_COLS; i++) {
        struct wrect r = R(cols[i % KEY_COLS].x, rows[i / KEY_COLS].y, k, k);
        char id[ID_MAX], label[LABEL_MAX];
        if (digits[i] >= 0) {
            snprintf(id, sizeof(id), "pin-%d", digits[i]);
            snprintf(label, sizeof(label), "%d", digits[i]);
            /* a digit: DIGIT_SCALE of its key, with bigger text as big as the key allows */
            int dpx = (int)lround(
                fmin(k * DIGIT_SCALE * (b->normal ? b->k / b->k_least : 1), k * DIGIT_MOST));
            struct widget *w =
                lb_button(b, id, R_KEY, ST_KEY, label, r, ACT_PIN, digits[i], dpx, true);
            w->disabled = locked;
        } else if (digits[i] == KEY_DELETE) {
            lb_button(b, "pin-delete", R_KEY, ST_KEY_MOD, lb_str(b, "staff.delete"), r,
                      ACT_PIN_DELETE, 0, b->small, false);
        } else {
            struct widget *w = lb_button(b, "pin-ok", R_KEY, ST_PRIMARY, lb_str(b, "staff.ok"), r,
                                         ACT_PIN_OK, 0, b->body, true);
            w->disabled = f->pin_len < PIN_LEAST || locked;
        }
    }
    lb_button(b, "back", R_BUTTON, ST_SECONDARY, lb_str(b, "staff.cancel"),
              R(b->pad, H - b->pad - b->btn_h, b->T * BACK_TARGETS, b->btn_h), ACT_BACK, 0, b->body,
              false);
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
    if (f->pin_len < PIN_LEAST || locked(f, now_ms))
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
    if (strlen(f->cfg.staff_pin) < PIN_LEAST)
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
