/* flow_int.h — what flow.c shares with the screens' action handlers (screen_*.c) and with
 * flow_staff.c. Internal to kiosk/ui. */
#ifndef HUB_FLOW_INT_H
#define HUB_FLOW_INT_H

#include "flow.h"

/* Shows screen s from now_ms (clears the idle prompt and the keyboard's state). */
void flow_go(struct flow *f, enum screen s, int64_t now_ms);

/* Zeroes memory in a way the compiler may not drop. */
void flow_wipe(void *p, size_t n);

/* Zeroes everything the resident typed or chose (settings stay). */
void flow_wipe_resident(struct flow *f);

/* Matches, hands the check-in to the backend and shows the result (or the urgent screen). */
void flow_submit(struct flow *f, int64_t now_ms);

/* The needs are chosen (from src): the check screen, or, when one is urgent, straight to the
 * urgent screen, checked in. */
void flow_to_check(struct flow *f, enum source src, int64_t now_ms);

/* Finish on the result or urgent screen: the ticket kept for the thank-you screen, everything
 * else wiped, the thank-you screen shown. */
void flow_finish(struct flow *f, int64_t now_ms);

/* "More" on a screen whose content the layout put on pages (lb_page): shows page arg. True when
 * a was that. */
static inline bool screen_page_act(struct flow *f, enum action a, int arg)
{
    if (a != ACT_CHIP_MORE || arg < 0 || arg >= 64)
        return false;
    f->chip_page = arg; /* the layout knows how many pages there are */
    return true;
}

/* screens.c: the current screen's own handler (screens.h); true when anything visible changed. */
bool screen_act(struct flow *f, enum action a, int arg, int64_t now_ms);
#define SCREEN_ACT(e, name, prefix)                                                                \
    bool prefix##_act(struct flow *f, enum action a, int arg, int64_t now_ms);
SCREEN_TABLE(SCREEN_ACT)
#undef SCREEN_ACT

/* screen_staff_pin.c: the long press on the welcome screen's corner opens the PIN pad (when a
 * PIN is set); true when it did. */
bool staff_open(struct flow *f, int64_t now_ms);
/* Digits typed on a physical keyboard at the PIN pad. */
bool staff_type(struct flow *f, const char *utf8, int64_t now_ms);
/* flow_staff.c: zeroes the PIN typed so far (the count of wrong tries and the lock stay). */
void staff_wipe(struct flow *f);

/* flow_feedback.c: the welcome screen's "Did you get what you came for?" (ACT_FEEDBACK); true
 * when anything visible changed. */
bool feedback_act(struct flow *f, int arg, int64_t now_ms);
/* Ends the thank-you after FLOW_THANKS_MS; true when it ended. */
bool feedback_tick(struct flow *f, int64_t now_ms);
/* Milliseconds until feedback_tick has something to do, or -1. */
int64_t feedback_deadline(const struct flow *f, int64_t now_ms);

#endif
