/* crisis.h — the crisis lines the urgent screen shows: which ones for what a resident said (at
 * most CRISIS_MAX, from the urgent needs recognised), their numbers, and their text in the
 * resident's language. Pure: no I/O. */
#ifndef HUB_CRISIS_H
#define HUB_CRISIS_H

#include <stddef.h>

#include "i18n.h"

#define CRISIS_MAX 3 /* lines on the urgent screen, besides the text relay note */

enum crisis_line {
    CRISIS_999,            /* danger, or someone badly hurt or ill, right now */
    CRISIS_SAMARITANS,     /* 116 123, and in Welsh the Welsh-language line */
    CRISIS_MENTAL_HEALTH,  /* NHS 111, press 2: urgent mental health help in Wales */
    CRISIS_LIVE_FEAR_FREE, /* the Wales helpline for domestic abuse and sexual violence */
    CRISIS_COUNT
};

/* The lines for these need ids (the check-in's needs, best first), most pressing first:
 * suicidal_thoughts gives Samaritans and 111 press 2 (and 999), domestic_abuse Live Fear Free
 * (and 999), in_danger, medical_emergency and person_at_risk 999. When no need calls for a line
 * of its own (no needs: "I need help now"; or somewhere to stay tonight) the short general set:
 * 999 and Samaritans. Unknown ids are ignored. Returns how many were written (1..CRISIS_MAX). */
int crisis_pick(const char *const *need_ids, int n, enum crisis_line out[CRISIS_MAX]);

/* "999", "samaritans", "mental-health", "live-fear-free" (widget ids: "line-<id>"); "?" out of
 * range. */
const char *crisis_id(enum crisis_line l);

/* The main number of a line, as shown (digit groups joined by no-break spaces, so a number is
 * never cut across two lines); "" out of range. */
const char *crisis_number(enum crisis_line l);

/* The text of line l in catalogue c ("crisis.<id>" with its numbers filled in) into out (cap
 * bytes, always terminated). Returns the length written. */
size_t crisis_text(const struct i18n *c, enum crisis_line l, char *out, size_t cap);

/* The note for Deaf residents and anyone who cannot use a voice call: the text relay prefixes
 * ("crisis.relay"), into out. Returns the length written. */
size_t crisis_relay_text(const struct i18n *c, char *out, size_t cap);

#endif
