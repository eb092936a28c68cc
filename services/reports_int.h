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

struct report {
    struct counter need, domain, lang, worker, unmet_need;
    struct wait_groups wait_domain, wait_worker;
    long hour[24], weekday[7], weekday_hour[7][24];
    int64_t first_day;
    size_t n_days;
    long (*day)[1 + DAY_DOMAINS]; /* per local day: arrivals, then one per DAY_DOMAIN_KEYS */
    long total, urgent, introduced, waiting, reassigned, no_fit, unsure;
    struct waits waits;
};

extern const char *const DAY_DOMAIN_KEYS[DAY_DOMAINS];
extern const char *const WEEKDAY_KEYS[7];
extern const char *const DIM_NAMES[8];

#endif
