/* flow_int.h — what flow.c shares with flow_staff.c. Internal to kiosk/ui. */
#ifndef HUB_FLOW_INT_H
#define HUB_FLOW_INT_H

#include "flow.h"

/* Shows screen s from now_ms (clears the idle prompt and the keyboard's state). */
void flow_go(struct flow *f, enum screen s, int64_t now_ms);

/* flow_staff.c: actions on the staff screens (and ACT_STAFF on welcome); true when anything
 * visible changed. */
bool staff_act(struct flow *f, enum action a, int arg, int64_t now_ms);
/* Digits typed on a physical keyboard at the PIN pad. */
bool staff_type(struct flow *f, const char *utf8, int64_t now_ms);
/* Zeroes the PIN typed so far (the count of wrong tries and the lock stay). */
void staff_wipe(struct flow *f);

#endif
