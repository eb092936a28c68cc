/* api_community.c — GET /api/v1/community, the hub's public figures as JSON or CSV (open
 * data, no token), and GET /community, the public page that shows them (web/community.html,
 * Welsh and English). */
#include "api.h"

#include "community.h"
#include "dayend.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* One cached answer, for the most recent question asked, while the data stays the same
 * (the store's version): the page is public, and asked for often. */
static struct {
    pthread_mutex_t lock;
    int first, csv;
    size_t n;
    int64_t version;
    char *body;
    size_t len;
} cache = {.lock = PTHREAD_MUTEX_INITIALIZER};

/* Reads "YYYY-MM" or "YYYY-MM-DD" as a month number; -1 when malformed. */
static int month_parse(const char *s)
{
    char buf[16];
    int y, m, d;
    if (!s || strlen(s) == 7) {
        if (!s)
            return -1;
        snprintf(buf, sizeof(buf), "%s-01", s);
        s = buf;
    }
    if (date_parse(s, &y, &m, &d) < 0)
        return -1;
    return community_month(y, m);
}

/* Local midnight of the 1st of month mon, in ms. */
static int64_t month_start_ms(int mon)
{
    struct tm tm = {.tm_year = mon / 12 - 1900, .tm_mon = mon % 12, .tm_mday = 1, .tm_isdst = -1};
    return (int64_t)mktime(&tm) * 1000;
}

static bool wants_csv(struct req *r)
{
    const char *fmt = req_arg(r, "format");
    if (fmt)
        return strcmp(fmt, "csv") == 0;
    const char *acc = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT);
    return acc && strstr(acc, "text/csv") != NULL;
}

/* Builds the answer for months first..first+n-1: a malloc'd body, or NULL. */
static char *build(struct store *st, int first, size_t n, bool csv)
{
    struct community *c = community_new(first, n);
    char *body = NULL;
    if (!c)
        return NULL;
    int64_t from = month_start_ms(first), to = month_start_ms(first + (int)n);
    if (st->ops->report_scan(st, from, to, community_add, c) == 0 &&
        st->ops->oc->feedback_scan(st, from, to, community_feedback_add, c) == 0) {
        if (csv) {
            body = community_csv(c);
        } else {
            struct hdir d;
            cJSON *o = community_json(c);
            if (o && st->ops->hub_load(st, &d) == 0) { /* the hub's public name, not workers' */
                if (d.has_hub && d.hub_name)
                    cJSON_AddStringToObject(o, "hub", d.hub_name);
                hdir_release(&d);
            }
            body = o ? cJSON_PrintUnformatted(o) : NULL;
            cJSON_Delete(o);
        }
    }
    community_free(c);
    return body;
}

/* The cached body when it answers the same question and is fresh, else a new one (cached).
 * Returns a malloc'd copy and its length, or NULL. */
static char *answer(struct store *st, int first, size_t n, bool csv, size_t *len)
{
    int64_t version = 0;
    char *out = NULL;
    bool fresh = st->ops->oc->version(st, &version) == 0;
    pthread_mutex_lock(&cache.lock);
    if (!fresh || !cache.body || cache.first != first || cache.n != n || cache.csv != csv ||
        cache.version != version) {
        char *body = build(st, first, n, csv);
        if (body) {
            free(cache.body);
            cache.first = first;
            cache.n = n;
            cache.csv = csv;
            cache.version = version;
            cache.body = body;
            cache.len = strlen(body);
        }
    }
    if (cache.body && cache.first == first && cache.n == n && cache.csv == csv &&
        (out = malloc(cache.len + 1))) {
        memcpy(out, cache.body, cache.len + 1);
        *len = cache.len;
    }
    pthread_mutex_unlock(&cache.lock);
    return out;
}

enum MHD_Result api_community(struct req *r)
{
    int64_t now = hubd_now_ms();
    int last = community_month_of(now) - 1; /* the last whole month: no partial figures */
    const char *from_s = req_arg(r, "from"), *to_s = req_arg(r, "to");
    int to = to_s ? month_parse(to_s) : last;
    int from = from_s ? month_parse(from_s) : to - 11;
    if (to < 0)
        return reply_error(r, MHD_HTTP_BAD_REQUEST, "to: a month as YYYY-MM (or a date)");
    if (from < 0)
        return reply_error(r, MHD_HTTP_BAD_REQUEST, "from: a month as YYYY-MM (or a date)");
    if (to > last)
        to = last;
    if (from > to)
        from = to; /* nothing whole in the range yet: the last whole month */
    if (to - from + 1 > COMMUNITY_MONTHS_MAX)
        return reply_error(r, MHD_HTTP_BAD_REQUEST, "to: at most 36 months from from");
    dayend_tick(r->hub->store, now);
    bool csv = wants_csv(r);
    size_t len = 0;
    char *body = answer(r->hub->store, from, (size_t)(to - from + 1), csv, &len);
    if (!body)
        return reply_error(r, MHD_HTTP_SERVICE_UNAVAILABLE, "storage unavailable");
    return reply_buffer(r, MHD_HTTP_OK,
                        csv ? "text/csv; charset=utf-8" : "application/json; charset=utf-8", body,
                        len);
}

enum MHD_Result api_community_page(struct req *r)
{
    if (!r->h->web_root)
        return reply_error(r, MHD_HTTP_NOT_FOUND,
                           "the community page is served with --web (its figures: "
                           "/api/v1/community)");
    return web_serve(r, "/community.html");
}
