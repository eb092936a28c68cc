/* reports.h — the demand report: counts by need, domain, hour, weekday, language and
 * worker, waits (median, 90th percentile), unmet needs and outcomes, as JSON or CSV.
 * Built only from coded data (never names or residents' words). */
#ifndef HUBD_REPORTS_H
#define HUBD_REPORTS_H

#include "store.h"

#include <cjson/cJSON.h>

enum report_dim {
    DIM_NEED = 1,
    DIM_DOMAIN = 2,
    DIM_HOUR = 4,
    DIM_WEEKDAY = 8,
    DIM_LANG = 16,
    DIM_WORKER = 32,
    DIM_ALL = 63,
};

/* Parses the by= parameter: NULL or "" gives DIM_ALL, else a comma list of need, domain,
 * hour, weekday, lang, worker. Returns 0 for anything unknown. */
unsigned report_dims_parse(const char *by);

struct report;

/* An empty report. NULL on allocation failure. Free with report_free(). */
struct report *report_new(void);
void report_free(struct report *r);

/* Adds one arrival (a report_row_fn: ctx is the struct report). Hours and weekdays are
 * taken in the process's local time (the hub's time zone). Returns 0 or -1 (no memory). */
int report_add(const struct report_row *row, void *ctx);

/* The report as JSON with the dimensions in dims; NULL on allocation failure. */
cJSON *report_json(const struct report *r, unsigned dims);

/* The report as CSV ("dimension,key,value" lines); malloc'd, NULL on allocation failure. */
char *report_csv(const struct report *r, unsigned dims);

#endif
