/* reports.h — the demand report: counts by need, domain, hour, weekday, language, worker and
 * day, an hour x weekday grid, waits (median, 90th percentile; overall, per domain and per
 * worker), unmet needs, outcomes, who left and residents' feedback, as JSON or CSV. Built only
 * from coded data (never names or residents' words). */
#ifndef HUBD_REPORTS_H
#define HUBD_REPORTS_H

#include "store.h"

#include <cjson/cJSON.h>

enum report_dim {
    DIM_NEED = 1,           /* by_need, unmet_by_need */
    DIM_DOMAIN = 2,         /* by_domain, wait_by_domain */
    DIM_HOUR = 4,           /* by_hour */
    DIM_WEEKDAY = 8,        /* by_weekday */
    DIM_LANG = 16,          /* by_lang */
    DIM_WORKER = 32,        /* by_worker, wait_by_worker */
    DIM_DAY = 64,           /* by_day, by_day_domain */
    DIM_WEEKDAY_HOUR = 128, /* by_weekday_hour */
    DIM_ALL = 255,
};

#define REPORT_DAYS_MAX 1100 /* days a report may span (a little over three years) */

/* Parses the by= parameter: NULL or "" gives DIM_ALL, else a comma list of need, domain,
 * hour, weekday, lang, worker, day, weekday_hour. Returns 0 for anything unknown. */
unsigned report_dims_parse(const char *by);

struct report;

/* An empty report over n_days local days (1..REPORT_DAYS_MAX) starting on first_day (days
 * since 1970-01-01, as days_from_civil). NULL on allocation failure or a bad n_days. Free
 * with report_free(). */
struct report *report_new(int64_t first_day, size_t n_days);
void report_free(struct report *r);

/* Adds one arrival (a report_row_fn: ctx is the struct report). Days, hours and weekdays
 * are taken in the process's local time (the hub's time zone); an arrival on a day outside
 * the report's days counts everywhere but in the per-day series. Returns 0 or -1 (no
 * memory). */
int report_add(const struct report_row *row, void *ctx);

/* Adds one resident's feedback at the kiosk (a feedback_row_fn: ctx is the struct report),
 * on its local day. Returns 0 or -1 (no memory). */
int report_feedback_add(int64_t created_ms, const char *lang, const char *answer, void *ctx);

/* The local day (days since 1970-01-01, as days_from_civil) holding ms, in the process's
 * time zone (the hub's). */
int64_t report_local_day(int64_t ms);

/* The report as JSON with the dimensions in dims; NULL on allocation failure. */
cJSON *report_json(const struct report *r, unsigned dims);

/* The report as CSV ("dimension,key,value" lines; a key of two parts is joined with '/');
 * malloc'd, NULL on allocation failure. */
char *report_csv(const struct report *r, unsigned dims);

#endif
