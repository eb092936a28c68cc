/* reports_int.h — the demand report's aggregate, shared by reports.c (adding arrivals) and
 * report_out.c (JSON and CSV). Not for use elsewhere. */
#ifndef HUBD_REPORTS_INT_H
#define HUBD_REPORTS_INT_H

#include "reports.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KEY_MAX     72
#define DAY_DOMAINS 4 /* housing, health, benefits, none: the columns of the per-day series */

struct count {
    char key[KEY_MAX];
    long n;
};

/* Counts by key, in order of first appearance. */
struct counter {
    struct count *v;
    size_t n, cap;
};

/* Waits in ms from arrival to introduction, in arrival order. */
struct waits {
    int64_t *v;
    size_t n, cap;
};

/* Waits grouped by key (a domain or a worker); a key is present once it has an arrival. */
struct wait_group {
    char key[KEY_MAX];
    struct waits w;
};

struct wait_groups {
    struct wait_group *v;
    size_t n, cap;
};

/* How arrivals ended (report_outcomes.c): the worker's four coded results, introduced with
 * none recorded yet, and left before being seen. */
#define N_OUTCOMES 6

struct outcome_group {
    char key[KEY_MAX];
    long n[N_OUTCOMES];
};

struct outcome_groups {
    struct outcome_group *v;
    size_t n, cap;
};

struct report {
    struct counter need, domain, lang, worker, unmet_need;
    struct wait_groups wait_domain, wait_worker;
    long hour[24], weekday[7], weekday_hour[7][24];
    int64_t first_day;
    size_t n_days;
    long (*day)[1 + DAY_DOMAINS]; /* per local day: arrivals, then one per DAY_DOMAIN_KEYS */
    long total, urgent, introduced, waiting, reassigned, no_fit, unsure;
    struct waits waits;
    long outcome[N_OUTCOMES], follow_up, left_day_end, feedback[3];
    struct outcome_groups oc_need, oc_domain, oc_worker;
    long (*day_oc)[N_OUTCOMES + 3]; /* per day: outcomes, then feedback yes/partly/no; lazy */
};

/* One figure: section (the CSV dimension), key, an optional second key part, and the value
 * (NAN: none, e.g. the median of no waits). */
typedef void (*emit_fn)(void *ctx, const char *sec, const char *key, const char *sub, double v);

/* report_outcomes.c: adds how one arrival ended (day: its index in the report's days, or
 * -1 outside them); 0 or -1 (no memory). */
int report_outcome_add(struct report *r, const struct report_row *row, int64_t day);
/* Writes the outcome, left and feedback figures of the dimensions in dims. */
void report_outcomes_emit(const struct report *r, unsigned dims, emit_fn emit, void *ctx);
void report_outcomes_free(struct report *r);
/* "YYYY-MM-DD" of a day number (days since 1970-01-01). */
void report_day_key(int64_t day, char *out, size_t cap);

extern const char *const DAY_DOMAIN_KEYS[DAY_DOMAINS];
extern const char *const WEEKDAY_KEYS[7];
extern const char *const DIM_NAMES[8];

#endif
