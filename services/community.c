/* community.c — the hub's public figures per calendar month, with small counts withheld
 * (community.h); one walk over them feeds both the JSON and the CSV. */
#include "community.h"

#include "proto/taxonomy.h"

#include "proto/valid.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define TOPICS_MAX 64 /* the non-urgent needs, then "urgent" */

static const char *const DOMAINS[4] = {"housing", "health", "benefits", "none"};
static const char *const RESULTS[4] = {"helped", "partly", "referred", "not_helped"};
static const char *const ANSWERS[3] = {"yes", "partly", "no"};
static const char *const UNMET[3] = {"nobody_fitted", "not_understood", "not_helped"};

/* The urgent needs of assets/needs.json (a unit test checks the two agree). */
struct cmonth {
    long arrivals, domain[4], topic[TOPICS_MAX], left;
    long recorded, result[4], follow_up;
    long answers, answer[3];
    long unmet[3], unmet_topic[TOPICS_MAX];
};

struct community {
    int first;
    size_t n;
    size_t n_topics;                /* non-urgent needs + "urgent" */
    const char *topics[TOPICS_MAX]; /* their ids, in the taxonomy's order */
    struct cmonth m[];
};

bool community_need_urgent(const char *id)
{
    const struct taxonomy *t = needs_installed();
    int i = needs_find(t, id);
    return i >= 0 && t->needs[i].urgent;
}

int community_month_of(int64_t ms)
{
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    localtime_r(&t, &tm);
    return community_month(tm.tm_year + 1900, tm.tm_mon + 1);
}

struct community *community_new(int first, size_t n)
{
    if (n < 1 || n > COMMUNITY_MONTHS_MAX)
        return NULL;
    struct community *c = calloc(1, sizeof(*c) + n * sizeof(c->m[0]));
    if (!c)
        return NULL;
    c->first = first;
    c->n = n;
    for (size_t i = 0; i < need_count() && c->n_topics < TOPICS_MAX - 1; i++)
        if (!community_need_urgent(need_at(i)))
            c->topics[c->n_topics++] = need_at(i);
    c->topics[c->n_topics++] = "urgent";
    return c;
}

void community_free(struct community *c)
{
    free(c);
}

/* The topic index of need id (len bytes), or -1 when unknown. */
static int topic_of(const struct community *c, const char *id, size_t len)
{
    char key[72];
    if (len >= sizeof(key))
        return -1;
    memcpy(key, id, len);
    key[len] = '\0';
    if (community_need_urgent(key))
        return (int)c->n_topics - 1;
    for (size_t i = 0; i + 1 < c->n_topics; i++)
        if (strcmp(c->topics[i], key) == 0)
            return (int)i;
    return -1;
}

/* Marks in seen[] the topics of an arrival: each need once, urgent ones (and an urgent
 * arrival's every need) as the one topic "urgent". */
static void topics_of(const struct community *c, const struct report_row *row, bool *seen)
{
    memset(seen, 0, TOPICS_MAX * sizeof(*seen));
    if (row->urgent) {
        seen[c->n_topics - 1] = true;
        return;
    }
    for (const char *p = row->needs; p && *p;) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        int t = topic_of(c, p, len);
        if (t >= 0)
            seen[t] = true;
        p = e ? e + 1 : NULL;
    }
}

static int primary_domain(const char *domains)
{
    for (int i = 0; domains && i < 3; i++) {
        size_t len = strlen(DOMAINS[i]);
        if (strncmp(domains, DOMAINS[i], len) == 0 && (domains[len] == ',' || !domains[len]))
            return i;
    }
    return 3;
}

int community_add(const struct report_row *row, void *ctx)
{
    struct community *c = ctx;
    int64_t i = (int64_t)community_month_of(row->arrived_ms) - c->first;
    if (i < 0 || i >= (int64_t)c->n)
        return 0;
    struct cmonth *m = &c->m[i];
    bool seen[TOPICS_MAX];
    bool has_needs = row->needs && *row->needs;
    int result = -1;
    for (int k = 0; row->result && k < 4; k++)
        if (strcmp(row->result, RESULTS[k]) == 0)
            result = k;
    bool no_fit = has_needs && !row->worker_id, not_helped = result == 3;
    topics_of(c, row, seen);
    m->arrivals++;
    m->domain[primary_domain(row->domains)]++;
    m->left += row->left_by != NULL;
    if (result >= 0 && !row->left_by) {
        m->recorded++;
        m->result[result]++;
        m->follow_up += row->follow_up;
    }
    m->unmet[0] += no_fit;
    m->unmet[1] += !has_needs && !row->urgent;
    m->unmet[2] += not_helped;
    for (size_t t = 0; t < c->n_topics; t++) {
        m->topic[t] += seen[t];
        m->unmet_topic[t] += seen[t] && (no_fit || not_helped);
    }
    return 0;
}

int community_feedback_add(int64_t created_ms, const char *lang, const char *answer, void *ctx)
{
    struct community *c = ctx;
    int64_t i = (int64_t)community_month_of(created_ms) - c->first;
    if (i < 0 || i >= (int64_t)c->n)
        return 0;
    for (int k = 0; k < 3; k++)
        if (strcmp(answer, ANSWERS[k]) == 0) {
            c->m[i].answers++;
            c->m[i].answer[k]++;
        }
    return 0;
}

/* ---- withholding ---- */

#define WITHHELD (-1L)

static long shown(long n)
{
    return n >= COMMUNITY_MIN ? n : WITHHELD;
}

/* out[i] = the cells of a group that add up to total, each shown or withheld. When the total
 * is shown and exactly one cell is withheld, that cell would be the total minus the others:
 * the smallest shown cell is withheld as well. */
static void shown_parts(const long *cells, size_t n, long total, long *out)
{
    size_t withheld = 0, smallest = n;
    for (size_t i = 0; i < n; i++) {
        out[i] = shown(cells[i]);
        if (out[i] == WITHHELD)
            withheld++;
        else if (smallest == n || cells[i] < cells[smallest])
            smallest = i;
    }
    if (shown(total) != WITHHELD && withheld == 1 && smallest < n)
        out[smallest] = WITHHELD;
}

/* A share in whole percent of total, or WITHHELD when either is withheld. */
static long share(long part, long total)
{
    if (part == WITHHELD || total == WITHHELD || total <= 0)
        return WITHHELD;
    return (part * 100 + total / 2) / total;
}

/* ---- the one walk ---- */

/* One figure of a month: group, key ("" for a single figure), value (WITHHELD: null). */
typedef void (*cemit_fn)(void *ctx, const char *month, const char *group, const char *key, long v);

static void emit_month(const struct community *c, size_t i, cemit_fn emit, void *ctx)
{
    const struct cmonth *m = &c->m[i];
    int mon = c->first + (int)i;
    char key[8];
    long part[4];
    snprintf(key, sizeof(key), "%04d-%02d", mon / 12, mon % 12 + 1);
    emit(ctx, key, "arrivals", "", shown(m->arrivals));
    shown_parts(m->domain, 4, m->arrivals, part);
    for (int k = 0; k < 4; k++)
        emit(ctx, key, "by_domain", DOMAINS[k], part[k]);
    for (size_t t = 0; t < c->n_topics; t++)
        emit(ctx, key, "by_topic", c->topics[t], shown(m->topic[t]));
    emit(ctx, key, "left", "", shown(m->left));
    long recorded = shown(m->recorded);
    shown_parts(m->result, 4, m->recorded, part);
    emit(ctx, key, "outcomes", "recorded", recorded);
    for (int k = 0; k < 4; k++)
        emit(ctx, key, "outcomes", RESULTS[k], part[k]);
    emit(ctx, key, "outcomes", "follow_up", shown(m->follow_up));
    for (int k = 0; k < 4; k++)
        emit(ctx, key, "outcome_share", RESULTS[k], share(part[k], recorded));
    long answers = shown(m->answers);
    shown_parts(m->answer, 3, m->answers, part);
    emit(ctx, key, "feedback", "answers", answers);
    for (int k = 0; k < 3; k++)
        emit(ctx, key, "feedback", ANSWERS[k], part[k]);
    for (int k = 0; k < 3; k++)
        emit(ctx, key, "feedback_share", ANSWERS[k], share(part[k], answers));
    for (int k = 0; k < 3; k++)
        emit(ctx, key, "unmet", UNMET[k], shown(m->unmet[k]));
    for (size_t t = 0; t < c->n_topics; t++)
        emit(ctx, key, "unmet_by_topic", c->topics[t], shown(m->unmet_topic[t]));
}

/* ---- JSON ---- */

struct cjson_out {
    cJSON *month; /* the month object being filled */
    bool oom;
};

static void emit_json(void *ctx, const char *month, const char *group, const char *key, long v)
{
    struct cjson_out *j = ctx;
    cJSON *num = v == WITHHELD ? cJSON_CreateNull() : cJSON_CreateNumber((double)v);
    cJSON *at = j->month;
    if (key[0]) {
        at = cJSON_GetObjectItemCaseSensitive(j->month, group);
        if (!at)
            at = cJSON_AddObjectToObject(j->month, group);
    }
    if (!num || !at || !cJSON_AddItemToObject(at, key[0] ? key : group, num)) {
        cJSON_Delete(num);
        j->oom = true;
    }
}

static void month_key(int mon, char *out, size_t cap)
{
    snprintf(out, cap, "%04d-%02d", mon / 12, mon % 12 + 1);
}

cJSON *community_json(const struct community *c)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *months = root ? cJSON_AddArrayToObject(root, "months") : NULL;
    struct cjson_out j = {0};
    char key[8];
    if (!months) {
        cJSON_Delete(root);
        return NULL;
    }
    cJSON_AddNumberToObject(root, "min_count", COMMUNITY_MIN);
    month_key(c->first, key, sizeof(key));
    cJSON_AddStringToObject(root, "from", key);
    month_key(c->first + (int)c->n - 1, key, sizeof(key));
    cJSON_AddStringToObject(root, "to", key);
    for (size_t i = 0; i < c->n && !j.oom; i++) {
        j.month = cJSON_CreateObject();
        if (!j.month || !cJSON_AddItemToArray(months, j.month)) {
            cJSON_Delete(j.month);
            j.oom = true;
            break;
        }
        month_key(c->first + (int)i, key, sizeof(key));
        cJSON_AddStringToObject(j.month, "month", key);
        emit_month(c, i, emit_json, &j);
    }
    if (j.oom) {
        cJSON_Delete(root);
        return NULL;
    }
    return root;
}

/* ---- CSV ---- */

struct ccsv {
    char *buf;
    size_t len, cap;
    bool oom;
};

static void csv_put(struct ccsv *o, const char *s, size_t n)
{
    if (o->oom)
        return;
    if (o->len + n + 1 > o->cap) {
        size_t ncap = (o->cap + n + 1) * 2;
        char *b = realloc(o->buf, ncap);
        if (!b) {
            o->oom = true;
            return;
        }
        o->buf = b;
        o->cap = ncap;
    }
    memcpy(o->buf + o->len, s, n);
    o->len += n;
    o->buf[o->len] = '\0';
}

/* Keys are coded ids and months, so nothing needs quoting; a withheld value is empty. */
static void emit_csv(void *ctx, const char *month, const char *group, const char *key, long v)
{
    char line[160];
    int n = v == WITHHELD ? snprintf(line, sizeof(line), "%s,%s,%s,\r\n", month, group, key)
                          : snprintf(line, sizeof(line), "%s,%s,%s,%ld\r\n", month, group, key, v);
    if (n > 0 && (size_t)n < sizeof(line))
        csv_put(ctx, line, (size_t)n);
}

char *community_csv(const struct community *c)
{
    static const char header[] = "month,figure,key,value\r\n";
    struct ccsv o = {0};
    csv_put(&o, header, sizeof(header) - 1);
    for (size_t i = 0; i < c->n; i++)
        emit_month(c, i, emit_csv, &o);
    if (o.oom) {
        free(o.buf);
        return NULL;
    }
    return o.buf;
}
