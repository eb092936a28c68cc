/* flow_staff.c — the staff screens: a PIN pad behind a long press, then the kiosk's sync state
 * and the health of its local store. Residents never see these. */
#include <stdio.h>
#include <string.h>

#include "flow_int.h"

void staff_wipe(struct flow *f)
{
    volatile char *p = f->pin;
    for (size_t i = 0; i < sizeof(f->pin); i++)
        p[i] = 0;
    f->pin_len = 0;
    f->pin_wrong = false;
    f->sync_asked = false;
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

bool staff_act(struct flow *f, enum action a, int arg, int64_t now_ms)
{
    switch (f->screen) {
    case SCR_WELCOME:
        if (a != ACT_STAFF || strlen(f->cfg.staff_pin) < 4)
            return false; /* no PIN set: no staff screen */
        staff_wipe(f);
        flow_go(f, SCR_STAFF_PIN, now_ms);
        return true;
    case SCR_STAFF_PIN:
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
    case SCR_STAFF:
        if (a == ACT_SYNC_NOW) {
            f->sync_asked = true;
            return true;
        }
        if (a == ACT_BACK || a == ACT_FINISH) {
            flow_reset(f, now_ms);
            return true;
        }
        return false;
    default:
        return false;
    }
}

bool staff_type(struct flow *f, const char *utf8, int64_t now_ms)
{
    bool changed = false;
    for (const char *p = utf8; *p; p++)
        if (*p >= '0' && *p <= '9')
            changed |= digit(f, *p - '0', now_ms);
    return changed;
}

bool flow_staff_alert(const struct flow *f)
{
    const struct flow_status *st = &f->status;
    if (!st->known)
        return false;
    return !st->store_durable ||
           (st->pending > 0 && !st->online && st->offline_s >= FLOW_ALERT_OFFLINE_S);
}

bool flow_set_status(struct flow *f, const struct flow_status *st)
{
    if (memcmp(&f->status, st, sizeof(*st)) == 0)
        return false;
    bool alert = flow_staff_alert(f);
    int pending = f->status.pending;
    f->status = *st;
    bool shown = f->screen == SCR_STAFF ||
                 (f->screen == SCR_WELCOME &&
                  (alert != flow_staff_alert(f) || (alert && pending != st->pending)));
    if (shown)
        f->gen++;
    return shown;
}

bool flow_take_sync_now(struct flow *f)
{
    bool asked = f->sync_asked;
    f->sync_asked = false;
    return asked;
}
