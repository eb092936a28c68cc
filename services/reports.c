/* reports.c — aggregation of arrivals into the demand report and its JSON/CSV forms. */
#include "reports.h"

#include "stats.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define KEY_MAX 72

struct count {
    char key[KEY_MAX];
    long n;
};

struct counter {
    struct count *v;
    size_t n, cap;
};

struct report {
    struct counter need, domain, lang, worker;
    long hour[24], weekday[7];
    long total, urgent, introduced, waiting, reassigned, no_fit, unsure;
    int64_t *waits; /* ms from arrival to introduction */
    size_t n_waits, cap_waits;
    bool oom;
};

static const char *const WEEKDAYS[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
static const char *const DIM_NAMES[6] = {"need", "domain", "hour", "weekday", "lang", "worker"};

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
        for (int i = 0; i < 6; i++)
            if (strlen(DIM_NAMES[i]) == len && strncmp(p, DIM_NAMES[i], len) == 0)
                bit = 1u << i;
        if (!bit)
            return 0;
        dims |= bit;
        p = e ? e + 1 : p + len;
    }
    return dims;
}

struct report *report_new(void)
{
    return calloc(1, sizeof(struct report));
}

static void counter_free(struct counter *c)
{
    free(c->v);
}

void report_free(struct report *r)
{
    if (!r)
        return;
    counter_free(&r->need);
    counter_free(&r->domain);
    counter_free(&r->lang);
    counter_free(&r->worker);
    free(r->waits);
    free(r);
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
    if (c->n == c->cap) {
        size_t ncap = c->cap ? c->cap * 2 : 16;
        struct count *v = realloc(c->v, ncap * sizeof(*v));
        if (!v)
            return -1;
        c->v = v;
        c->cap = ncap;
    }
    memcpy(c->v[c->n].key, key, len);
    c->v[c->n].key[len] = '\0';
    c->v[c->n++].n = 1;
    return 0;
}

/* Counts each item of a comma-joined list; an empty list counts as `none` if given. */
static int counter_add_list(struct counter *c, const char *joined, const char *none)
{
    if (!joined || !*joined)
        return none ? counter_add(c, none, strlen(none)) : 0;
    for (const char *p = joined; p;) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len && counter_add(c, p, len) < 0)
            return -1;
        p = e ? e + 1 : NULL;
    }
    return 0;
}

static int add_wait(struct report *r, int64_t ms)
{
    if (r->n_waits == r->cap_waits) {
        size_t ncap = r->cap_waits ? r->cap_waits * 2 : 64;
        int64_t *v = realloc(r->waits, ncap * sizeof(*v));
        if (!v)
            return -1;
        r->waits = v;
        r->cap_waits = ncap;
    }
    r->waits[r->n_waits++] = ms < 0 ? 0 : ms;
    return 0;
}

int report_add(const struct report_row *row, void *ctx)
{
    struct report *r = ctx;
    time_t t = (time_t)(row->arrived_ms / 1000);
    struct tm tm;
    localtime_r(&t, &tm);
    bool has_needs = row->needs && *row->needs;
    r->total++;
    r->urgent += row->urgent;
    r->hour[tm.tm_hour]++;
    r->weekday[(tm.tm_wday + 6) % 7]++;
    r->reassigned += row->reassigned > 0;
    r->unsure += !has_needs;
    r->no_fit += has_needs && !row->worker_id;
    if (row->introduced_ms >= 0) {
        r->introduced++;
        if (add_wait(r, row->introduced_ms - row->arrived_ms) < 0)
            return -1;
    } else {
        r->waiting++;
    }
    const char *w = row->worker_id ? row->worker_id : "reception";
    if (counter_add_list(&r->need, row->needs, NULL) < 0 ||
        counter_add_list(&r->domain, row->domains, "none") < 0 ||
        counter_add(&r->lang, row->lang ? row->lang : "", row->lang ? strlen(row->lang) : 0) < 0 ||
        counter_add(&r->worker, w, strlen(w)) < 0)
        return -1;
    return 0;
}

/* Calls emit(ctx, dimension, key, value) for every count of the selected dimensions. */
typedef void (*emit_fn)(void *ctx, const char *dim, const char *key, double value);

static void emit_counts(const struct report *r, unsigned dims, emit_fn emit, void *ctx)
{
    const struct counter *maps[6] = {&r->need, &r->domain, NULL, NULL, &r->lang, &r->worker};
    for (int d = 0; d < 6; d++) {
        if (!(dims & (1u << d)))
            continue;
        char key[8];
        if (d == 2)
            for (int h = 0; h < 24; h++) {
                snprintf(key, sizeof(key), "%02d", h);
                emit(ctx, DIM_NAMES[d], key, (double)r->hour[h]);
            }
        else if (d == 3)
            for (int w = 0; w < 7; w++)
                emit(ctx, DIM_NAMES[d], WEEKDAYS[w], (double)r->weekday[w]);
        else
            for (size_t i = 0; i < maps[d]->n; i++)
                emit(ctx, DIM_NAMES[d], maps[d]->v[i].key, (double)maps[d]->v[i].n);
    }
}

static void emit_totals(const struct report *r, emit_fn emit, void *ctx)
{
    int64_t *sorted = r->n_waits ? malloc(r->n_waits * sizeof(*sorted)) : NULL;
    emit(ctx, "total", "checkins", (double)r->total);
    emit(ctx, "total", "urgent", (double)r->urgent);
    emit(ctx, "unmet", "no_fit", (double)r->no_fit);
    emit(ctx, "unmet", "unsure", (double)r->unsure);
    emit(ctx, "outcomes", "introduced", (double)r->introduced);
    emit(ctx, "outcomes", "waiting", (double)r->waiting);
    emit(ctx, "outcomes", "reassigned", (double)r->reassigned);
    emit(ctx, "wait_min", "count", (double)r->n_waits);
    if (sorted) {
        memcpy(sorted, r->waits, r->n_waits * sizeof(*sorted));
        stats_sort(sorted, r->n_waits);
        emit(ctx, "wait_min", "median", stats_percentile(sorted, r->n_waits, 50) / 60000.0);
        emit(ctx, "wait_min", "p90", stats_percentile(sorted, r->n_waits, 90) / 60000.0);
        free(sorted);
    }
}

static void emit_json(void *ctx, const char *dim, const char *key, double value)
{
    cJSON *root = ctx;
    char name[32];
    bool by = strcmp(dim, "total") && strcmp(dim, "unmet") && strcmp(dim, "outcomes") &&
              strcmp(dim, "wait_min");
    snprintf(name, sizeof(name), "%s%s", by ? "by_" : "", dim);
    cJSON *obj = cJSON_GetObjectItemCaseSensitive(root, name);
    if (!obj)
        obj = cJSON_AddObjectToObject(root, name);
    if (strcmp(dim, "wait_min") == 0 && strcmp(key, "count") != 0)
        value = (double)(long long)(value * 10 + 0.5) / 10; /* one decimal */
    if (obj)
        cJSON_AddNumberToObject(obj, key, value);
}

cJSON *report_json(const struct report *r, unsigned dims)
{
    cJSON *root = cJSON_CreateObject();
    if (!root)
        return NULL;
    emit_totals(r, emit_json, root);
    cJSON *wait = cJSON_GetObjectItemCaseSensitive(root, "wait_min");
    if (wait && r->n_waits == 0) {
        cJSON_AddNullToObject(wait, "median");
        cJSON_AddNullToObject(wait, "p90");
    }
    for (int d = 0; d < 6; d++) /* selected dimensions are present even when empty */
        if (dims & (1u << d)) {
            char name[32];
            snprintf(name, sizeof(name), "by_%s", DIM_NAMES[d]);
            cJSON_AddObjectToObject(root, name);
        }
    emit_counts(r, dims, emit_json, root);
    return root;
}

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

/* Keys are coded ids (validated [A-Za-z0-9._-]), so no field needs quoting. */
static void emit_csv(void *ctx, const char *dim, const char *key, double value)
{
    char line[160];
    int n = value == (double)(long long)value
                ? snprintf(line, sizeof(line), "%s,%s,%lld\r\n", dim, key, (long long)value)
                : snprintf(line, sizeof(line), "%s,%s,%.1f\r\n", dim, key, value);
    if (n > 0 && (size_t)n < sizeof(line))
        csv_append(ctx, line, (size_t)n);
}

char *report_csv(const struct report *r, unsigned dims)
{
    struct csv c = {0};
    static const char header[] = "dimension,key,value\r\n";
    csv_append(&c, header, sizeof(header) - 1);
    emit_totals(r, emit_csv, &c);
    emit_counts(r, dims, emit_csv, &c);
    if (c.oom || !c.buf) {
        free(c.buf);
        return NULL;
    }
    return c.buf;
}
