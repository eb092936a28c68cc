/* reports.c — aggregation of arrivals into the demand report (report_out.c writes it out). */
#include "reports_int.h"

#include "proto/valid.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

const char *const DAY_DOMAIN_KEYS[DAY_DOMAINS] = {"housing", "health", "benefits", "none"};
const char *const WEEKDAY_KEYS[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
const char *const DIM_NAMES[8] = {"need", "domain", "hour", "weekday",
                                  "lang", "worker", "day",  "weekday_hour"};

unsigned report_dims_parse(const char *by)
{
    if (!by || !*by)
        return DIM_ALL;
    unsigned dims = 0;
    const char *p = by;
    while (*p) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        unsigned bit = 0;
        for (int i = 0; i < 8; i++)
            if (strlen(DIM_NAMES[i]) == len && strncmp(p, DIM_NAMES[i], len) == 0)
                bit = 1u << i;
        if (!bit)
            return 0;
        dims |= bit;
        p = e ? e + 1 : p + len;
    }
    return dims;
}

struct report *report_new(int64_t first_day, size_t n_days)
{
    if (n_days < 1 || n_days > REPORT_DAYS_MAX)
        return NULL;
    struct report *r = calloc(1, sizeof(*r));
    if (!r)
        return NULL;
    r->day = calloc(n_days, sizeof(*r->day));
    if (!r->day) {
        free(r);
        return NULL;
    }
    r->first_day = first_day;
    r->n_days = n_days;
    return r;
}

static void groups_free(struct wait_groups *g)
{
    for (size_t i = 0; i < g->n; i++)
        free(g->v[i].w.v);
    free(g->v);
}

void report_free(struct report *r)
{
    if (!r)
        return;
    free(r->need.v);
    free(r->domain.v);
    free(r->lang.v);
    free(r->worker.v);
    free(r->unmet_need.v);
    groups_free(&r->wait_domain);
    groups_free(&r->wait_worker);
    free(r->day);
    free(r->waits.v);
    report_outcomes_free(r);
    free(r);
}

/* Grows an array of *cap elements of size sz so that one more fits. 0 or -1. */
static int grow(void **v, size_t n, size_t *cap, size_t sz)
{
    if (n < *cap)
        return 0;
    size_t ncap = *cap ? *cap * 2 : 16;
    void *nv = realloc(*v, ncap * sz);
    if (!nv)
        return -1;
    *v = nv;
    *cap = ncap;
    return 0;
}

static int counter_add(struct counter *c, const char *key, size_t len)
{
    if (len >= KEY_MAX)
        len = KEY_MAX - 1;
    for (size_t i = 0; i < c->n; i++)
        if (strncmp(c->v[i].key, key, len) == 0 && c->v[i].key[len] == '\0') {
            c->v[i].n++;
            return 0;
        }
    if (grow((void **)&c->v, c->n, &c->cap, sizeof(*c->v)) < 0)
        return -1;
    memcpy(c->v[c->n].key, key, len);
    c->v[c->n].key[len] = '\0';
    c->v[c->n++].n = 1;
    return 0;
}

static int waits_add(struct waits *w, int64_t ms)
{
    if (grow((void **)&w->v, w->n, &w->cap, sizeof(*w->v)) < 0)
        return -1;
    w->v[w->n++] = ms < 0 ? 0 : ms;
    return 0;
}

/* Finds or adds key's group and adds the wait to it (ms < 0: arrived, not introduced). */
static int groups_add(struct wait_groups *g, const char *key, size_t len, int64_t ms)
{
    struct wait_group *hit = NULL;
    if (len >= KEY_MAX)
        len = KEY_MAX - 1;
    for (size_t i = 0; i < g->n && !hit; i++)
        if (strncmp(g->v[i].key, key, len) == 0 && g->v[i].key[len] == '\0')
            hit = &g->v[i];
    if (!hit) {
        if (grow((void **)&g->v, g->n, &g->cap, sizeof(*g->v)) < 0)
            return -1;
        hit = &g->v[g->n++];
        memset(hit, 0, sizeof(*hit));
        memcpy(hit->key, key, len);
    }
    return ms < 0 ? 0 : waits_add(&hit->w, ms);
}

/* Calls fn for each item of a comma-joined list, or once with none when it is empty (and
 * none is given). Stops at the first non-zero return. */
static int each_item(const char *joined, const char *none,
                     int (*fn)(void *ctx, const char *key, size_t len), void *ctx)
{
    if (!joined || !*joined)
        return none ? fn(ctx, none, strlen(none)) : 0;
    for (const char *p = joined; p;) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        int rc = len ? fn(ctx, p, len) : 0;
        if (rc)
            return rc;
        p = e ? e + 1 : NULL;
    }
    return 0;
}

static int count_cb(void *ctx, const char *key, size_t len)
{
    return counter_add(ctx, key, len);
}

/* What a domain of one arrival adds to: its wait group and its day's column. */
struct domain_ctx {
    struct report *r;
    int64_t wait_ms;
    long *day; /* the arrival's day row, or NULL outside the report's days */
};

static int domain_cb(void *ctx, const char *key, size_t len)
{
    struct domain_ctx *d = ctx;
    for (int i = 0; d->day && i < DAY_DOMAINS; i++)
        if (strlen(DAY_DOMAIN_KEYS[i]) == len && strncmp(DAY_DOMAIN_KEYS[i], key, len) == 0)
            d->day[1 + i]++;
    if (counter_add(&d->r->domain, key, len) < 0)
        return -1;
    return groups_add(&d->r->wait_domain, key, len, d->wait_ms);
}

int report_add(const struct report_row *row, void *ctx)
{
    struct report *r = ctx;
    time_t t = (time_t)(row->arrived_ms / 1000);
    struct tm tm;
    localtime_r(&t, &tm);
    bool has_needs = row->needs && *row->needs;
    int wd = (tm.tm_wday + 6) % 7;
    int64_t day = days_from_civil(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday) - r->first_day;
    int64_t wait = -1;           /* not introduced */
    if (row->introduced_ms >= 0) /* a kiosk clock running ahead gives no negative waits */
        wait = row->introduced_ms > row->arrived_ms ? row->introduced_ms - row->arrived_ms : 0;
    struct domain_ctx dc = {.r = r, .wait_ms = wait};
    if (day >= 0 && day < (int64_t)r->n_days) {
        dc.day = r->day[day];
        dc.day[0]++;
    }
    r->total++;
    r->urgent += row->urgent;
    r->hour[tm.tm_hour]++;
    r->weekday[wd]++;
    r->weekday_hour[wd][tm.tm_hour]++;
    r->reassigned += row->reassigned > 0;
    r->unsure += !has_needs;
    r->no_fit += has_needs && !row->worker_id;
    if (wait >= 0) {
        r->introduced++;
        if (waits_add(&r->waits, wait) < 0)
            return -1;
    } else if (!row->left_by) {
        r->waiting++; /* not introduced, not left: still waiting */
    }
    const char *w = row->worker_id ? row->worker_id : "reception";
    const char *lang = row->lang ? row->lang : "";
    if (each_item(row->needs, NULL, count_cb, &r->need) < 0 ||
        (has_needs && !row->worker_id &&
         each_item(row->needs, NULL, count_cb, &r->unmet_need) < 0) ||
        each_item(row->domains, "none", domain_cb, &dc) < 0 ||
        counter_add(&r->lang, lang, strlen(lang)) < 0 ||
        counter_add(&r->worker, w, strlen(w)) < 0 ||
        groups_add(&r->wait_worker, w, strlen(w), dc.wait_ms) < 0 ||
        report_outcome_add(r, row, dc.day ? day : -1) < 0)
        return -1;
    return 0;
}
