/* api_report_hub.c — GET /reports/demand?by=hub: the demand report hub by hub. A county
 * manager's token (--hub all) without ?hub= gets every hub of the database; any other token
 * (or a county token naming ?hub=) gets its one hub. The other by= dimensions still choose
 * each hub's sections. */
#include "api.h"
#include "dayend.h"
#include "reports.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REPORT_HUBS_MAX 256 /* hubs one report lists at most */

/* Strips "hub" from the comma list by into out; *has_hub says whether it was there. */
static void by_without_hub(const char *by, char *out, size_t cap, bool *has_hub)
{
    size_t len = 0;
    *has_hub = false;
    out[0] = '\0';
    for (const char *p = by ? by : ""; *p;) {
        const char *e = strchr(p, ',');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n == 3 && !strncmp(p, "hub", 3)) {
            *has_hub = true;
        } else if (len + n + 2 < cap) {
            if (len)
                out[len++] = ',';
            memcpy(out + len, p, n);
            len += n;
            out[len] = '\0';
        } else {
            snprintf(out, cap, "?"); /* too long to be a valid list */
            return;
        }
        p = e ? e + 1 : p + n;
    }
}

bool report_by_hub(const char *by)
{
    char rest[160];
    bool has_hub;
    by_without_hub(by, rest, sizeof(rest), &has_hub);
    return has_hub;
}

struct report *report_for_hub(struct hub_ctx *hub, int64_t from_ms, int64_t to_ms,
                              int64_t first_day, size_t n_days)
{
    struct report *rep = report_new(first_day, n_days);
    struct store *st = hub->store;
    dayend_tick(st, hubd_now_ms());
    if (!rep || st->ops->report_scan(st, from_ms, to_ms, report_add, rep) ||
        st->ops->oc->feedback_scan(st, from_ms, to_ms, report_feedback_add, rep)) {
        report_free(rep);
        return NULL;
    }
    return rep;
}

/* Appends one hub's CSV (its header line dropped) with the hub as a first column. */
static int csv_add_hub(char **buf, size_t *len, const char *hub, const char *csv)
{
    const char *p = strstr(csv, "\r\n");
    p = p ? p + 2 : csv + strlen(csv);
    size_t hub_len = strlen(hub);
    while (*p) {
        const char *e = strstr(p, "\r\n");
        size_t n = e ? (size_t)(e - p) + 2 : strlen(p);
        char *b = realloc(*buf, *len + hub_len + 1 + n + 1);
        if (!b)
            return -1;
        *buf = b;
        memcpy(*buf + *len, hub, hub_len);
        (*buf)[*len + hub_len] = ',';
        memcpy(*buf + *len + hub_len + 1, p, n);
        *len += hub_len + 1 + n;
        (*buf)[*len] = '\0';
        p += n;
    }
    return 0;
}

enum MHD_Result api_report_hubs(struct req *r, int64_t from_ms, int64_t to_ms, int64_t first_day,
                                size_t n_days, bool csv)
{
    char rest[160];
    bool has_hub;
    by_without_hub(req_arg(r, "by"), rest, sizeof(rest), &has_hub);
    /* by=hub alone: each hub's totals; else the sections named beside it */
    unsigned dims = rest[0] ? report_dims_parse(rest) : 0;
    if (rest[0] && !dims)
        return reply_error(r, MHD_HTTP_BAD_REQUEST,
                           "by: a comma list of hub, need, domain, hour, weekday, lang, worker, "
                           "day, weekday_hour");
    const char *q = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, "hub");
    bool county = !strcmp(r->who.hub, STORE_HUB_ALL) && !(q && *q);
    size_t n = 1;
    char(*mine)[IDENT_MAX + 1] = calloc(REPORT_HUBS_MAX, sizeof(*mine));
    if (!mine)
        return reply_error(r, MHD_HTTP_SERVICE_UNAVAILABLE, "out of memory");
    if (county && r->h->base->ops->hubs) {
        if (r->h->base->ops->hubs(r->h->base, mine, REPORT_HUBS_MAX, &n) < 0) {
            free(mine);
            return reply_error(r, MHD_HTTP_SERVICE_UNAVAILABLE, "storage unavailable");
        }
        n = n < REPORT_HUBS_MAX ? n : REPORT_HUBS_MAX;
    } else {
        county = false;
        snprintf(mine[0], sizeof(mine[0]), "%s", r->hub->id);
    }

    cJSON *root = csv ? NULL : cJSON_CreateObject();
    cJSON *by_hub = root ? cJSON_AddObjectToObject(root, "by_hub") : NULL;
    char *out = NULL;
    size_t len = 0;
    int rc = csv || by_hub ? 0 : -1;
    if (csv && (out = strdup("hub,dimension,key,value\r\n")))
        len = strlen(out);
    else if (csv)
        rc = -1;
    bool storage = false;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        struct hub_ctx *hub = county ? hubd_hub(r->h, mine[i]) : r->hub;
        struct report *rep = hub ? report_for_hub(hub, from_ms, to_ms, first_day, n_days) : NULL;
        if (!rep) {
            rc = -1;
            storage = true;
            break;
        }
        const char *id = hub->id[0] ? hub->id : mine[i];
        if (csv) {
            char *one = report_csv(rep, dims);
            rc = one ? csv_add_hub(&out, &len, id, one) : -1;
            free(one);
        } else {
            cJSON *o = report_json(rep, dims);
            rc = o && cJSON_AddItemToObject(by_hub, id, o) ? 0 : -1;
            if (rc < 0)
                cJSON_Delete(o);
        }
        report_free(rep);
    }
    free(mine);
    if (rc < 0) {
        free(out);
        cJSON_Delete(root);
        return reply_error(r, MHD_HTTP_SERVICE_UNAVAILABLE,
                           storage ? "storage unavailable" : "out of memory");
    }
    if (csv)
        return reply_buffer(r, MHD_HTTP_OK, "text/csv; charset=utf-8", out, len);
    cJSON_AddStringToObject(root, "from", req_arg(r, "from"));
    cJSON_AddStringToObject(root, "to", req_arg(r, "to"));
    return reply_json(r, MHD_HTTP_OK, root);
}
