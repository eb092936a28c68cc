/* report_outcomes.c — how arrivals ended, in the demand report: the worker's coded outcome
 * (helped, partly, referred, not helped, or none recorded yet), left before being seen (by
 * reception, or closed at the day's end), residents' feedback at the kiosk; overall, per
 * need, domain, worker and day. */
#include "reports_int.h"

#include "proto/valid.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const OUTCOME_KEYS[N_OUTCOMES] = {"helped",     "partly",     "referred",
                                                     "not_helped", "unrecorded", "left"};
static const char *const FEEDBACK_KEYS[3] = {"yes", "partly", "no"};

enum { OC_UNRECORDED = 4, OC_LEFT = 5 };

/* The outcome index of an arrival, or -1 while it still waits. */
static int outcome_of(const struct report_row *row)
{
    if (row->left_by)
        return OC_LEFT;
    if (row->introduced_ms < 0)
        return -1;
    for (int i = 0; row->result && i < OC_UNRECORDED; i++)
        if (strcmp(row->result, OUTCOME_KEYS[i]) == 0)
            return i;
    return OC_UNRECORDED;
}

static int group_add(struct outcome_groups *g, const char *key, size_t len, int oc)
{
    struct outcome_group *hit = NULL;
    if (len >= KEY_MAX)
        len = KEY_MAX - 1;
    for (size_t i = 0; i < g->n && !hit; i++)
        if (strncmp(g->v[i].key, key, len) == 0 && g->v[i].key[len] == '\0')
            hit = &g->v[i];
    if (!hit) {
        if (g->n == g->cap) {
            size_t ncap = g->cap ? g->cap * 2 : 16;
            struct outcome_group *v = realloc(g->v, ncap * sizeof(*v));
            if (!v)
                return -1;
            g->v = v;
            g->cap = ncap;
        }
        hit = &g->v[g->n++];
        memset(hit, 0, sizeof(*hit));
        memcpy(hit->key, key, len);
    }
    hit->n[oc]++;
    return 0;
}

/* Adds oc to the group of each item of a comma-joined list (none when it is empty). */
static int groups_each(struct outcome_groups *g, const char *joined, const char *none, int oc)
{
    if (!joined || !*joined)
        return none ? group_add(g, none, strlen(none), oc) : 0;
    for (const char *p = joined; p;) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len && group_add(g, p, len, oc) < 0)
            return -1;
        p = e ? e + 1 : NULL;
    }
    return 0;
}

/* The per-day rows, allocated at the first figure that needs them. */
static long *day_row(struct report *r, int64_t day)
{
    if (day < 0 || day >= (int64_t)r->n_days)
        return NULL;
    if (!r->day_oc)
        r->day_oc = calloc(r->n_days, sizeof(*r->day_oc));
    return r->day_oc ? r->day_oc[day] : NULL;
}

int report_outcome_add(struct report *r, const struct report_row *row, int64_t day)
{
    int oc = outcome_of(row);
    if (oc < 0)
        return 0;
    r->outcome[oc]++;
    r->follow_up += oc < OC_UNRECORDED && row->follow_up;
    r->left_day_end += oc == OC_LEFT && strcmp(row->left_by, "day_end") == 0;
    long *d = day_row(r, day);
    if (day >= 0 && day < (int64_t)r->n_days && !d)
        return -1;
    if (d)
        d[oc]++;
    const char *w = row->worker_id ? row->worker_id : "reception";
    if (groups_each(&r->oc_need, row->needs, NULL, oc) < 0 ||
        groups_each(&r->oc_domain, row->domains, "none", oc) < 0 ||
        group_add(&r->oc_worker, w, strlen(w), oc) < 0)
        return -1;
    return 0;
}

int64_t report_local_day(int64_t ms)
{
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    localtime_r(&t, &tm);
    return days_from_civil(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

int report_feedback_add(int64_t created_ms, const char *lang, const char *answer, void *ctx)
{
    struct report *r = ctx;
    int a = -1;
    for (int i = 0; i < 3; i++)
        if (strcmp(answer, FEEDBACK_KEYS[i]) == 0)
            a = i;
    if (a < 0)
        return 0;
    r->feedback[a]++;
    int64_t day = report_local_day(created_ms) - r->first_day;
    long *d = day_row(r, day);
    if (day >= 0 && day < (int64_t)r->n_days && !d)
        return -1;
    if (d)
        d[N_OUTCOMES + a]++;
    return 0;
}

static void emit_groups(const struct outcome_groups *g, const char *sec, emit_fn emit, void *ctx)
{
    for (size_t i = 0; i < g->n; i++)
        for (int k = 0; k < N_OUTCOMES; k++)
            emit(ctx, sec, g->v[i].key, OUTCOME_KEYS[k], (double)g->v[i].n[k]);
}

static void emit_days(const struct report *r, emit_fn emit, void *ctx)
{
    char key[16];
    for (int part = 0; part < 2; part++)
        for (size_t i = 0; i < r->n_days; i++) {
            const long *d = r->day_oc ? r->day_oc[i] : NULL;
            report_day_key(r->first_day + (int64_t)i, key, sizeof(key));
            for (int k = 0; part == 0 && k < N_OUTCOMES; k++)
                emit(ctx, "day_outcome", key, OUTCOME_KEYS[k], d ? (double)d[k] : 0);
            for (int k = 0; part == 1 && k < 3; k++)
                emit(ctx, "day_feedback", key, FEEDBACK_KEYS[k], d ? (double)d[N_OUTCOMES + k] : 0);
        }
}

void report_outcomes_emit(const struct report *r, unsigned dims, emit_fn emit, void *ctx)
{
    emit(ctx, "outcomes", "left", NULL, (double)r->outcome[OC_LEFT]);
    for (int k = 0; k < OC_LEFT; k++)
        emit(ctx, "results", OUTCOME_KEYS[k], NULL, (double)r->outcome[k]);
    emit(ctx, "results", "follow_up", NULL, (double)r->follow_up);
    emit(ctx, "left", "total", NULL, (double)r->outcome[OC_LEFT]);
    emit(ctx, "left", "reception", NULL, (double)(r->outcome[OC_LEFT] - r->left_day_end));
    emit(ctx, "left", "day_end", NULL, (double)r->left_day_end);
    for (int k = 0; k < 3; k++)
        emit(ctx, "feedback", FEEDBACK_KEYS[k], NULL, (double)r->feedback[k]);
    if (dims & DIM_NEED)
        emit_groups(&r->oc_need, "outcome_need", emit, ctx);
    if (dims & DIM_DOMAIN)
        emit_groups(&r->oc_domain, "outcome_domain", emit, ctx);
    if (dims & DIM_WORKER)
        emit_groups(&r->oc_worker, "outcome_worker", emit, ctx);
    if (dims & DIM_DAY)
        emit_days(r, emit, ctx);
}

void report_outcomes_free(struct report *r)
{
    free(r->oc_need.v);
    free(r->oc_domain.v);
    free(r->oc_worker.v);
    free(r->day_oc);
}
