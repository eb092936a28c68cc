/* flow_staff.c — what staff are told of the kiosk's sync and its local store, and the wipe of a
 * PIN typed; the staff screens themselves are screen_staff_pin.c and screen_staff.c. */
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

bool flow_staff_alert(const struct flow *f)
{
    const struct flow_status *st = &f->status;
    if (!st->known)
        return false;
    return !st->store_durable || st->set_aside > 0 ||
           (st->pending > 0 && !st->online && st->offline_s >= FLOW_ALERT_OFFLINE_S);
}

bool flow_set_status(struct flow *f, const struct flow_status *st)
{
    if (memcmp(&f->status, st, sizeof(*st)) == 0)
        return false;
    bool alert = flow_staff_alert(f);
    int pending = f->status.pending, set_aside = f->status.set_aside;
    f->status = *st;
    bool shown = f->screen == SCR_STAFF ||
                 (f->screen == SCR_WELCOME &&
                  (alert != flow_staff_alert(f) ||
                   (alert && (pending != st->pending || set_aside != st->set_aside))));
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
