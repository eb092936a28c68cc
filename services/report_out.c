/* report_out.c — the demand report written out: one walk over its figures feeds either the
 * JSON tree or the CSV lines, so both always carry the same numbers. */
#include "reports_int.h"

#include "stats.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const STAT_KEYS[3] = {"count", "median", "p90"};

/* The sections each dimension brings (NULL: no more). */
static const char *const DIM_SECTIONS[8][4] = {
    {"need", "unmet_need", "outcome_need"},
    {"domain", "wait_domain", "outcome_domain"},
    {"hour"},
    {"weekday"},
    {"lang"},
    {"worker", "wait_worker", "outcome_worker"},
    {"day", "day_domain", "day_outcome", "day_feedback"},
    {"weekday_hour"},
};

/* Count, median and p90 (minutes) of w; NAN for the percentiles when there are none. */
static void wait_stats(const struct waits *w, double out[3])
{
    out[0] = (double)w->n;
    out[1] = out[2] = NAN;
    int64_t *sorted = w->n ? malloc(w->n * sizeof(*sorted)) : NULL;
    if (!sorted)
        return;
    memcpy(sorted, w->v, w->n * sizeof(*sorted));
    stats_sort(sorted, w->n);
    out[1] = stats_percentile(sorted, w->n, 50) / 60000.0;
    out[2] = stats_percentile(sorted, w->n, 90) / 60000.0;
    free(sorted);
}

static void emit_totals(const struct report *r, emit_fn emit, void *ctx)
{
    double st[3];
    emit(ctx, "total", "checkins", NULL, (double)r->total);
    emit(ctx, "total", "urgent", NULL, (double)r->urgent);
    emit(ctx, "unmet", "no_fit", NULL, (double)r->no_fit);
    emit(ctx, "unmet", "unsure", NULL, (double)r->unsure);
    emit(ctx, "outcomes", "introduced", NULL, (double)r->introduced);
    emit(ctx, "outcomes", "waiting", NULL, (double)r->waiting);
    emit(ctx, "outcomes", "reassigned", NULL, (double)r->reassigned);
    wait_stats(&r->waits, st);
    for (int i = 0; i < 3; i++)
        emit(ctx, "wait_min", STAT_KEYS[i], NULL, st[i]);
}

static void emit_counter(const struct counter *c, const char *sec, emit_fn emit, void *ctx)
{
    for (size_t i = 0; i < c->n; i++)
        emit(ctx, sec, c->v[i].key, NULL, (double)c->v[i].n);
}

static void emit_groups(const struct wait_groups *g, const char *sec, emit_fn emit, void *ctx)
{
    double st[3];
    for (size_t i = 0; i < g->n; i++) {
        wait_stats(&g->v[i].w, st);
        for (int k = 0; k < 3; k++)
            emit(ctx, sec, g->v[i].key, STAT_KEYS[k], st[k]);
    }
}

void report_day_key(int64_t day, char *out, size_t cap)
{
    time_t t = (time_t)(day * 86400);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, cap, "%Y-%m-%d", &tm);
}

static void emit_days(const struct report *r, emit_fn emit, void *ctx)
{
    char key[16];
    for (size_t i = 0; i < r->n_days; i++) {
        report_day_key(r->first_day + (int64_t)i, key, sizeof(key));
        emit(ctx, "day", key, NULL, (double)r->day[i][0]);
    }
    for (size_t i = 0; i < r->n_days; i++) {
        report_day_key(r->first_day + (int64_t)i, key, sizeof(key));
        for (int d = 0; d < DAY_DOMAINS; d++)
            emit(ctx, "day_domain", key, DAY_DOMAIN_KEYS[d], (double)r->day[i][1 + d]);
    }
}

static void emit_dim(const struct report *r, int d, emit_fn emit, void *ctx)
{
    char key[8];
    switch (1u << d) {
    case DIM_NEED:
        emit_counter(&r->need, "need", emit, ctx);
        emit_counter(&r->unmet_need, "unmet_need", emit, ctx);
        break;
    case DIM_DOMAIN:
        emit_counter(&r->domain, "domain", emit, ctx);
        emit_groups(&r->wait_domain, "wait_domain", emit, ctx);
        break;
    case DIM_HOUR:
        for (int h = 0; h < 24; h++) {
            snprintf(key, sizeof(key), "%02d", h);
            emit(ctx, "hour", key, NULL, (double)r->hour[h]);
        }
        break;
    case DIM_WEEKDAY:
        for (int w = 0; w < 7; w++)
            emit(ctx, "weekday", WEEKDAY_KEYS[w], NULL, (double)r->weekday[w]);
        break;
    case DIM_LANG:
        emit_counter(&r->lang, "lang", emit, ctx);
        break;
    case DIM_WORKER:
        emit_counter(&r->worker, "worker", emit, ctx);
        emit_groups(&r->wait_worker, "wait_worker", emit, ctx);
        break;
    case DIM_DAY:
        emit_days(r, emit, ctx);
        break;
    case DIM_WEEKDAY_HOUR:
        for (int w = 0; w < 7; w++)
            for (int h = 0; h < 24; h++) {
                snprintf(key, sizeof(key), "%02d", h);
                emit(ctx, "weekday_hour", WEEKDAY_KEYS[w], key, (double)r->weekday_hour[w][h]);
            }
        break;
    }
}

static void emit_all(const struct report *r, unsigned dims, emit_fn emit, void *ctx)
{
    emit_totals(r, emit, ctx);
    for (int d = 0; d < 8; d++)
        if (dims & (1u << d))
            emit_dim(r, d, emit, ctx);
    report_outcomes_emit(r, dims, emit, ctx);
}

/* ---- JSON ---- */

/* The JSON object name of a section: by_<dim> for the plain counts. */
static void json_name(const char *sec, char *out, size_t cap)
{
    static const char *const NAMES[][2] = {
        {"total", "total"},
        {"unmet", "unmet"},
        {"outcomes", "outcomes"},
        {"wait_min", "wait_min"},
        {"unmet_need", "unmet_by_need"},
        {"wait_domain", "wait_by_domain"},
        {"wait_worker", "wait_by_worker"},
        {"day_domain", "by_day_domain"},
        {"weekday_hour", "by_weekday_hour"},
        {"results", "results"},
        {"left", "left"},
        {"feedback", "feedback"},
        {"outcome_need", "outcome_by_need"},
        {"outcome_domain", "outcome_by_domain"},
        {"outcome_worker", "outcome_by_worker"},
        {"day_outcome", "by_day_outcome"},
        {"day_feedback", "by_day_feedback"},
    };
    for (size_t i = 0; i < sizeof(NAMES) / sizeof(NAMES[0]); i++)
        if (strcmp(sec, NAMES[i][0]) == 0) {
            snprintf(out, cap, "%s", NAMES[i][1]);
            return;
        }
    snprintf(out, cap, "by_%s", sec);
}

struct json_out {
    cJSON *root;
    cJSON *inner; /* the last nested object or array, and where it lives */
    char inner_sec[24], inner_key[KEY_MAX];
};

static cJSON *object_in(cJSON *parent, const char *name)
{
    cJSON *o = cJSON_GetObjectItemCaseSensitive(parent, name);
    return o ? o : cJSON_AddObjectToObject(parent, name);
}

/* The object (or, for the hour x weekday grid, the array) under obj[key]. */
static cJSON *inner_of(struct json_out *j, cJSON *obj, const char *sec, const char *key)
{
    if (j->inner && strcmp(j->inner_sec, sec) == 0 && strcmp(j->inner_key, key) == 0)
        return j->inner;
    bool grid = strcmp(sec, "weekday_hour") == 0;
    cJSON *in = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!in)
        in = grid ? cJSON_AddArrayToObject(obj, key) : cJSON_AddObjectToObject(obj, key);
    j->inner = in;
    snprintf(j->inner_sec, sizeof(j->inner_sec), "%s", sec);
    snprintf(j->inner_key, sizeof(j->inner_key), "%s", key);
    return in;
}

static void emit_json(void *ctx, const char *sec, const char *key, const char *sub, double v)
{
    struct json_out *j = ctx;
    char name[40];
    json_name(sec, name, sizeof(name));
    cJSON *obj = object_in(j->root, name);
    const char *stat = sub ? sub : key;
    if (!obj)
        return;
    if (strncmp(sec, "wait_", 5) == 0 && strcmp(stat, "count") != 0 && !isnan(v))
        v = (double)(long long)(v * 10 + 0.5) / 10; /* minutes, one decimal */
    cJSON *num = isnan(v) ? cJSON_CreateNull() : cJSON_CreateNumber(v);
    cJSON *at = sub ? inner_of(j, obj, sec, key) : obj;
    bool ok = at && num &&
              (cJSON_IsArray(at) ? cJSON_AddItemToArray(at, num)
                                 : cJSON_AddItemToObject(at, sub ? sub : key, num));
    if (!ok)
        cJSON_Delete(num);
}

cJSON *report_json(const struct report *r, unsigned dims)
{
    struct json_out j = {.root = cJSON_CreateObject()};
    char name[40];
    if (!j.root)
        return NULL;
    for (int d = 0; d < 8; d++) /* selected sections are present even when empty */
        for (int k = 0; k < 4 && (dims & (1u << d)); k++)
            if (DIM_SECTIONS[d][k]) {
                json_name(DIM_SECTIONS[d][k], name, sizeof(name));
                cJSON_AddObjectToObject(j.root, name);
            }
    emit_all(r, dims, emit_json, &j);
    return j.root;
}

/* ---- CSV ---- */

struct csv {
    char *buf;
    size_t len, cap;
    bool oom;
};

static void csv_append(struct csv *c, const char *line, size_t n)
{
    if (c->oom)
        return;
    if (c->len + n + 1 > c->cap) {
        size_t ncap = (c->cap + n + 1) * 2;
        char *b = realloc(c->buf, ncap);
        if (!b) {
            c->oom = true;
            return;
        }
        c->buf = b;
        c->cap = ncap;
    }
    memcpy(c->buf + c->len, line, n + 1);
    c->len += n;
}

/* Keys are coded ids (validated [A-Za-z0-9._-]) and dates, so no field needs quoting; a
 * two-part key is written key/sub. Figures without a value are left out. */
static void emit_csv(void *ctx, const char *sec, const char *key, const char *sub, double v)
{
    char line[200];
    if (isnan(v))
        return;
    int n = v == (double)(long long)v ? snprintf(line, sizeof(line), "%s,%s%s%s,%lld\r\n", sec, key,
                                                 sub ? "/" : "", sub ? sub : "", (long long)v)
                                      : snprintf(line, sizeof(line), "%s,%s%s%s,%.1f\r\n", sec, key,
                                                 sub ? "/" : "", sub ? sub : "", v);
    if (n > 0 && (size_t)n < sizeof(line))
        csv_append(ctx, line, (size_t)n);
}

char *report_csv(const struct report *r, unsigned dims)
{
    struct csv c = {0};
    static const char header[] = "dimension,key,value\r\n";
    csv_append(&c, header, sizeof(header) - 1);
    emit_all(r, dims, emit_csv, &c);
    if (c.oom || !c.buf) {
        free(c.buf);
        return NULL;
    }
    return c.buf;
}
