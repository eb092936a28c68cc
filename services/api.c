/* api.c — GET /health, GET /directory, PATCH /workers/{id} and GET /reports/demand. */
#include "api.h"

#include "dircache.h"
#include "proto/jsonv.h"
#include "reports.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum MHD_Result api_health(struct req *r)
{
    char why[128];
    bool ok = r->hub->store->ops->health(r->hub->store, why, sizeof(why)) == 0;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "status", ok ? "ok" : "degraded");
    cJSON_AddStringToObject(o, "db", ok ? "ok" : "error");
    if (!ok)
        cJSON_AddStringToObject(o, "error", why);
    return reply_json(r, ok ? MHD_HTTP_OK : MHD_HTTP_SERVICE_UNAVAILABLE, o);
}

enum MHD_Result api_me(struct req *r)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return reply_error(r, MHD_HTTP_SERVICE_UNAVAILABLE, "out of memory");
    cJSON_AddStringToObject(o, "role", role_name(r->role));
    cJSON_AddStringToObject(o, "name", r->who.name);
    if (r->who.worker_id[0])
        cJSON_AddStringToObject(o, "worker_id", r->who.worker_id);
    else
        cJSON_AddNullToObject(o, "worker_id");
    if (r->hub->id[0])
        cJSON_AddStringToObject(o, "hub_id", r->hub->id);
    else
        cJSON_AddNullToObject(o, "hub_id");
    return reply_json(r, MHD_HTTP_OK, o);
}

int api_worker_scope(struct req *r, const char *id, enum MHD_Result *ret)
{
    if (r->role != ROLE_WORKER)
        return 0;
    if (!r->who.worker_id[0]) {
        *ret = reply_error(r, MHD_HTTP_FORBIDDEN,
                           "this worker token is not tied to a worker; ask for a new one made "
                           "with `hubd token worker NAME --worker ID`");
        return -1;
    }
    if (id && strcmp(id, r->who.worker_id) != 0) {
        *ret = reply_error(r, MHD_HTTP_FORBIDDEN,
                           "a worker token may change only its own worker's status and desk");
        return -1;
    }
    return 0;
}

enum MHD_Result api_directory(struct req *r)
{
    const char *inm =
        MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_NONE_MATCH);
    /* a database other hubd share: a change made through another one shows in the store's
     * version (status and desk changes are events), and the cache is built again */
    struct hub_ctx *hc = r->hub;
    int64_t v = 0;
    if (r->h->base && r->h->base->ops->hub && hc->store->ops->oc->version(hc->store, &v) == 0 &&
        v != __atomic_load_n(&hc->dir_version, __ATOMIC_ACQUIRE)) {
        pthread_mutex_lock(&hc->dir_lock);
        if (v != hc->dir_version && dircache_rebuild(hc->dir, hc->store) == 0)
            __atomic_store_n(&hc->dir_version, v, __ATOMIC_RELEASE);
        pthread_mutex_unlock(&hc->dir_lock);
    }
    /* a change the cache missed (its rebuild failed) is served once the store answers again */
    if (__atomic_load_n(&r->hub->dir_stale, __ATOMIC_ACQUIRE) &&
        dircache_rebuild(r->hub->dir, r->hub->store) == 0)
        __atomic_store_n(&r->hub->dir_stale, 0, __ATOMIC_RELEASE);
    else /* the waiting counts moved: a new body and ETag (a failing store: the cached one) */
        dircache_refresh(r->hub->dir, r->hub->store);
    enum MHD_Result ret = dircache_reply(r->hub->dir, r->conn, inm);
    return ret == MHD_YES ? ret : reply_error(r, MHD_HTTP_SERVICE_UNAVAILABLE, "no directory");
}

static cJSON *worker_json(struct store *store, const char *id)
{
    struct hdir d;
    cJSON *o = NULL;
    if (store->ops->hub_load(store, &d) != 0)
        return NULL;
    int i = hdir_find(&d, id);
    if (i >= 0 && (o = cJSON_CreateObject())) {
        cJSON_AddStringToObject(o, "id", d.workers[i].id);
        cJSON_AddStringToObject(o, "name", d.workers[i].name);
        cJSON_AddStringToObject(o, "status", d.workers[i].status);
        cJSON_AddStringToObject(o, "desk", d.workers[i].desk);
    }
    hdir_release(&d);
    return o;
}

/* Validates {status?, desk?}: 0 with the new values (NULL: unchanged), or -1 with err. */
static int patch_fields(const cJSON *body, const char **status, const char **desk, char *err,
                        size_t cap)
{
    const char *s;
    if (!cJSON_IsObject(body))
        return jv_fail(err, cap, "body", "must be a JSON object");
    if (jv_string(body, "status", 0, 16, &s, err, cap) < 0 ||
        jv_string(body, "desk", 0, HDIR_DESK_MAX, desk, err, cap) < 0)
        return -1;
    *status = s ? worker_status_lookup(s) : NULL;
    if (s && !*status)
        return jv_fail(err, cap, "status", "must be available, busy, away or off");
    if (!*status && !*desk)
        return jv_fail(err, cap, "body", "give status and/or desk");
    return 0;
}

enum MHD_Result api_worker_patch(struct req *r)
{
    char err[160];
    const char *status = NULL, *desk = NULL;
    bool changed;
    enum MHD_Result denied;
    if (api_worker_scope(r, r->param, &denied) < 0)
        return denied;
    if (!ident_valid(r->param))
        return reply_error(r, MHD_HTTP_NOT_FOUND, "no such worker");
    cJSON *body = req_json(r, err, sizeof(err));
    if (!body)
        return reply_error(r, MHD_HTTP_BAD_REQUEST, err);
    if (patch_fields(body, &status, &desk, err, sizeof(err)) < 0) {
        cJSON_Delete(body);
        return reply_error(r, MHD_HTTP_BAD_REQUEST, err);
    }
    struct store *st = r->hub->store;
    int rc =
        st->ops->worker_update(st, r->param, status, desk, hubd_now_ms(), r->who.name, &changed);
    cJSON_Delete(body);
    if (rc == STORE_ENOTFOUND)
        return reply_error(r, MHD_HTTP_NOT_FOUND, "no such worker");
    if (rc < 0)
        return reply_error(r, MHD_HTTP_SERVICE_UNAVAILABLE, "storage unavailable");
    if (changed && dircache_rebuild(r->hub->dir, st) < 0) {
        __atomic_store_n(&r->hub->dir_stale, 1, __ATOMIC_RELEASE);
        fprintf(stderr, "hubd: directory cache rebuild failed; retried at the next GET\n");
    }
    cJSON *o = worker_json(st, r->param);
    return o ? reply_json(r, MHD_HTTP_OK, o)
             : reply_error(r, MHD_HTTP_SERVICE_UNAVAILABLE, "storage unavailable");
}

/* Local midnight starting day y-m-d, in ms since the epoch. */
static int64_t local_midnight(int y, int m, int d)
{
    struct tm tm = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d, .tm_isdst = -1};
    return (int64_t)mktime(&tm) * 1000;
}

/* Reads from/to into a [from_ms, to_ms) range of whole local days, the first day's number
 * and how many days; -1 with err. */
static int report_range(struct req *r, int64_t *from_ms, int64_t *to_ms, int64_t *first_day,
                        size_t *n_days, char *err, size_t cap)
{
    const char *from = req_arg(r, "from"), *to = req_arg(r, "to");
    int fy, fm, fd, ty, tm, td;
    if (!from || date_parse(from, &fy, &fm, &fd) < 0)
        return jv_fail(err, cap, "from", "required, as YYYY-MM-DD");
    if (!to || date_parse(to, &ty, &tm, &td) < 0)
        return jv_fail(err, cap, "to", "required, as YYYY-MM-DD");
    int64_t days = days_from_civil(ty, tm, td) - days_from_civil(fy, fm, fd);
    if (days < 0)
        return jv_fail(err, cap, "to", "must not be before from");
    if (days > 3 * 366)
        return jv_fail(err, cap, "to", "range longer than three years");
    *first_day = days_from_civil(fy, fm, fd);
    *n_days = (size_t)days + 1;
    *from_ms = local_midnight(fy, fm, fd);
    *to_ms = local_midnight(ty, tm, td + 1); /* mktime normalises the day overflow */
    return 0;
}

static bool wants_csv(struct req *r)
{
    const char *acc = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT);
    return acc && strstr(acc, "text/csv") != NULL;
}

enum MHD_Result api_report(struct req *r)
{
    char err[160];
    int64_t from_ms = 0, to_ms = 0, first_day = 0;
    size_t n_days = 0;
    if (report_range(r, &from_ms, &to_ms, &first_day, &n_days, err, sizeof(err)) < 0)
        return reply_error(r, MHD_HTTP_BAD_REQUEST, err);
    if (report_by_hub(req_arg(r, "by")))
        return api_report_hubs(r, from_ms, to_ms, first_day, n_days, wants_csv(r));
    unsigned dims = report_dims_parse(req_arg(r, "by"));
    if (!dims)
        return reply_error(r, MHD_HTTP_BAD_REQUEST,
                           "by: a comma list of need, domain, hour, weekday, lang, worker, day, "
                           "weekday_hour");
    struct report *rep = report_for_hub(r->hub, from_ms, to_ms, first_day, n_days);
    if (!rep)
        return reply_error(r, MHD_HTTP_SERVICE_UNAVAILABLE, "storage unavailable");
    enum MHD_Result ret;
    if (wants_csv(r)) {
        char *csv = report_csv(rep, dims);
        ret = csv ? reply_buffer(r, MHD_HTTP_OK, "text/csv; charset=utf-8", csv, strlen(csv))
                  : reply_error(r, MHD_HTTP_SERVICE_UNAVAILABLE, "out of memory");
    } else {
        cJSON *o = report_json(rep, dims);
        if (o) {
            cJSON_AddStringToObject(o, "from", req_arg(r, "from"));
            cJSON_AddStringToObject(o, "to", req_arg(r, "to"));
        }
        ret = reply_json(r, MHD_HTTP_OK, o);
    }
    report_free(rep);
    return ret;
}
