/* api_checkins.c — POST /checkins (single or batch, group-committed, idempotent), the
 * reception board GET /checkins, and handover / reassign of a waiting resident. */
#include "api.h"

#include "dayend.h"
#include "proto/jsonv.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BOARD_LIMIT_MAX 1000 /* rows in one page of the board */

static void on_committed(struct commit_job *job)
{
    struct req *r = job->ctx;
    MHD_resume_connection(r->conn);
}

static void suspend_conn(void *ctx)
{
    struct req *r = ctx;
    MHD_suspend_connection(r->conn);
}

void api_req_release(struct req *r)
{
    for (size_t i = 0; r->valid && i < r->job.n; i++)
        checkin_release(r->valid[i]);
    free(r->items);
    free(r->results);
    free(r->valid);
    free(r->valid_results);
    free(r->valid_index);
    r->items = NULL;
    r->valid = NULL;
}

/* Validates each item; the valid ones are queued for the writer. Returns 0, or -1 on
 * allocation failure. */
static int prepare_items(struct req *r, const cJSON *root)
{
    size_t n = r->batch ? (size_t)cJSON_GetArraySize(root) : 1;
    r->n_items = n;
    r->items = calloc(n ? n : 1, sizeof(*r->items));
    r->results = calloc(n ? n : 1, sizeof(*r->results));
    r->valid = calloc(n ? n : 1, sizeof(*r->valid));
    r->valid_results = calloc(n ? n : 1, sizeof(*r->valid_results));
    r->valid_index = calloc(n ? n : 1, sizeof(*r->valid_index));
    if (!r->items || !r->results || !r->valid || !r->valid_results || !r->valid_index)
        return -1;
    size_t i = 0, k = 0;
    const cJSON *it = r->batch ? root->child : root;
    for (; it && i < n; it = r->batch ? it->next : NULL, i++) {
        struct checkin_result *res = &r->results[i];
        if (checkin_parse(it, &r->items[i], res->error, sizeof(res->error)) < 0) {
            res->status = 400;
            continue;
        }
        r->items[i].actor = r->who.name;
        r->items[i].kiosk_code = r->who.code;
        r->valid_index[k] = i;
        r->valid[k++] = &r->items[i];
    }
    r->job = (struct commit_job){
        .items = r->valid, .n = k, .results = r->valid_results, .done = on_committed, .ctx = r};
    return 0;
}

static cJSON *item_id(const cJSON *root, bool batch, size_t i)
{
    const cJSON *it = batch ? cJSON_GetArrayItem(root, (int)i) : root;
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(it, "id");
    return cJSON_IsString(id) ? (cJSON *)id : NULL;
}

static enum MHD_Result respond(struct req *r)
{
    for (size_t k = 0; k < r->job.n; k++)
        r->results[r->valid_index[k]] = r->valid_results[k];
    if (!r->batch) {
        const struct checkin_result *res = &r->results[0];
        if (res->status == 200 || res->status == 201)
            return reply_json(r, res->status, checkin_result_json(r->items[0].id, res, false));
        return reply_error(r, (unsigned)res->status, res->error);
    }
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; arr && i < r->n_items; i++) {
        const char *id = r->items[i].id[0] ? r->items[i].id : "";
        cJSON *o = checkin_result_json(id, &r->results[i], true);
        if (!o || !cJSON_AddItemToArray(arr, o)) {
            cJSON_Delete(o);
            cJSON_Delete(arr);
            arr = NULL;
        }
    }
    return reply_json(r, MHD_HTTP_OK, arr);
}

/* For a batch item that failed validation, echo the id the kiosk sent if it is printable,
 * so the kiosk can tell which one it was. */
static void echo_ids(struct req *r, const cJSON *root)
{
    for (size_t i = 0; r->batch && i < r->n_items; i++) {
        const cJSON *id = item_id(root, true, i);
        if (r->results[i].status == 400 && id && strlen(id->valuestring) <= UUID_LEN &&
            text_clean(id->valuestring, false))
            snprintf(r->items[i].id, sizeof(r->items[i].id), "%s", id->valuestring);
    }
}

enum MHD_Result api_checkins_post(struct req *r)
{
    char err[160];
    if (r->submitted)
        return commit_job_finished(&r->job) ? respond(r) : MHD_YES;
    cJSON *root = req_json(r, err, sizeof(err));
    if (!root)
        return reply_error(r, MHD_HTTP_BAD_REQUEST, err);
    r->batch = cJSON_IsArray(root);
    if (r->batch && cJSON_GetArraySize(root) > CHECKIN_BATCH_MAX) {
        cJSON_Delete(root);
        return reply_error(r, MHD_HTTP_CONTENT_TOO_LARGE, "batch: at most 100 check-ins");
    }
    if (prepare_items(r, root) < 0) {
        cJSON_Delete(root);
        return reply_error(r, MHD_HTTP_SERVICE_UNAVAILABLE, "out of memory");
    }
    echo_ids(r, root);
    cJSON_Delete(root);
    if (r->job.n == 0)
        return respond(r);
    if (committer_submit(r->hub->committer, &r->job, suspend_conn, r) < 0)
        return reply_error(r, MHD_HTTP_SERVICE_UNAVAILABLE, "busy, retry shortly");
    r->submitted = true;
    return MHD_YES;
}

static void add_list(cJSON *o, const char *key, const char *joined)
{
    cJSON *a = cJSON_AddArrayToObject(o, key);
    for (const char *p = joined; a && p && *p;) {
        const char *e = strchr(p, ',');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        char item[72];
        if (n < sizeof(item)) {
            memcpy(item, p, n);
            item[n] = '\0';
            cJSON_AddItemToArray(a, cJSON_CreateString(item));
        }
        p = e ? e + 1 : NULL;
    }
}

static cJSON *board_json(const struct board_row *rows, size_t n, size_t total, int64_t now)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *arr = cJSON_AddArrayToObject(root, "checkins");
    for (size_t i = 0; arr && i < n; i++) {
        const struct board_row *b = &rows[i];
        char at[40], got[40];
        cJSON *o = cJSON_CreateObject();
        if (!o || !cJSON_AddItemToArray(arr, o))
            break;
        rfc3339_format(b->created_ms, at, sizeof(at));
        rfc3339_format(b->received_ms, got, sizeof(got));
        cJSON_AddStringToObject(o, "id", b->id);
        cJSON_AddStringToObject(o, "ticket", b->ticket);
        /* one ticket: the kiosk's own beside it only when hubd had to issue another */
        if (board_row_kiosk_ticket(b))
            cJSON_AddStringToObject(o, "kiosk_ticket", b->kiosk_ticket);
        else
            cJSON_AddNullToObject(o, "kiosk_ticket");
        if (b->worker_id)
            cJSON_AddStringToObject(o, "worker_id", b->worker_id);
        else
            cJSON_AddNullToObject(o, "worker_id");
        checkin_flags_add(o, b->flags);
        cJSON_AddNumberToObject(o, "position", b->position);
        cJSON_AddBoolToObject(o, "urgent", b->urgent);
        cJSON_AddStringToObject(o, "created_at", at);
        cJSON_AddStringToObject(o, "received_at", got);
        /* hubd's own clock: a kiosk's clock in 1970 makes no wait of decades */
        int64_t waited = now > b->received_ms ? (now - b->received_ms) / 60000 : 0;
        cJSON_AddNumberToObject(o, "waiting_min", (double)waited);
        cJSON_AddStringToObject(o, "lang", b->lang ? b->lang : "");
        add_list(o, "needs", b->needs);
        add_list(o, "domains", b->domains);
        cJSON_AddStringToObject(o, "chosen_by", b->chosen_by ? b->chosen_by : "");
        if (b->name)
            cJSON_AddStringToObject(o, "name", b->name);
        if (b->text)
            cJSON_AddStringToObject(o, "text", b->text);
    }
    if (root) {
        cJSON_AddNumberToObject(root, "count", (double)n);
        cJSON_AddNumberToObject(root, "total", (double)total);
    }
    return root;
}

/* Reads limit (1..BOARD_LIMIT_MAX, default the maximum) and after (a check-in id) into q.
 * 0, or -1 with err. */
static int board_page(struct req *r, struct board_query *q, char *after, char *err, size_t cap)
{
    const char *lim = req_arg(r, "limit"), *aft = req_arg(r, "after");
    q->limit = BOARD_LIMIT_MAX;
    q->after = NULL;
    if (lim) {
        char *end;
        errno = 0;
        long v = strtol(lim, &end, 10);
        if (errno || end == lim || *end || v < 1 || v > BOARD_LIMIT_MAX)
            return jv_fail(err, cap, "limit", "must be a whole number from 1 to 1000");
        q->limit = (size_t)v;
    }
    if (aft) {
        if (!uuid_v4_parse(aft, after))
            return jv_fail(err, cap, "after", "must be the id of a check-in");
        q->after = after;
    }
    return 0;
}

enum MHD_Result api_checkins_get(struct req *r)
{
    const char *status = req_arg(r, "status");
    const char *worker = req_arg(r, "worker_id");
    struct board_row *rows;
    struct board_query q;
    char after[UUID_LEN + 1], err[160];
    size_t n, total;
    enum MHD_Result denied;
    if (status && strcmp(status, "introduced") == 0)
        return api_seen(r);
    if (api_worker_scope(r, NULL, &denied) < 0)
        return denied;
    if (r->role == ROLE_WORKER)
        worker = r->who.worker_id; /* a worker sees their own list, whatever they ask for */
    dayend_tick(r->hub->store, hubd_now_ms()); /* no one from an earlier day is still waiting */
    if (status && strcmp(status, "waiting") != 0)
        return reply_error(r, MHD_HTTP_BAD_REQUEST, "status: \"waiting\" or \"introduced\"");
    if (worker && !ident_valid(worker))
        return reply_error(r, MHD_HTTP_BAD_REQUEST, "worker_id: invalid worker id");
    if (board_page(r, &q, after, err, sizeof(err)) < 0)
        return reply_error(r, MHD_HTTP_BAD_REQUEST, err);
    q.worker_id = worker;
    int rc = r->hub->store->ops->board(r->hub->store, &q, &rows, &n, &total);
    if (rc == STORE_ENOTFOUND)
        return reply_error(r, MHD_HTTP_BAD_REQUEST, "after: no such check-in");
    if (rc < 0)
        return reply_error(r, MHD_HTTP_SERVICE_UNAVAILABLE, "storage unavailable");
    cJSON *body = board_json(rows, n, total, hubd_now_ms());
    store_board_free(rows, n);
    return reply_json(r, MHD_HTTP_OK, body);
}

static enum MHD_Result store_error(struct req *r, int rc)
{
    switch (rc) {
    case STORE_ENOTFOUND:
        return reply_error(r, MHD_HTTP_NOT_FOUND, "no such check-in");
    case STORE_ECONFLICT:
        return reply_error(r, MHD_HTTP_CONFLICT, "this resident has already been introduced");
    case STORE_EINVAL:
        return reply_error(r, MHD_HTTP_BAD_REQUEST, "worker_id: unknown worker");
    default:
        return reply_error(r, MHD_HTTP_SERVICE_UNAVAILABLE, "storage unavailable");
    }
}

/* Reads the optional/required worker_id field: 0 and *out (NULL for null), or -1. */
static int worker_field(const cJSON *body, int flags, const char **out, char *err, size_t cap)
{
    if (jv_string(body, "worker_id", flags | JV_NULLABLE, IDENT_MAX, out, err, cap) < 0)
        return -1;
    if (*out && !ident_valid(*out))
        return jv_fail(err, cap, "worker_id", "invalid worker id");
    return 0;
}

enum MHD_Result api_handover(struct req *r)
{
    char id[UUID_LEN + 1], err[160], at[40];
    const char *worker = NULL;
    cJSON *body = NULL;
    struct handover_info info;
    if (!uuid_v4_parse(r->param, id))
        return reply_error(r, MHD_HTTP_NOT_FOUND, "no such check-in");
    if (r->len > 0) {
        if (!(body = req_json(r, err, sizeof(err))))
            return reply_error(r, MHD_HTTP_BAD_REQUEST, err);
        if (!cJSON_IsObject(body) || worker_field(body, 0, &worker, err, sizeof(err)) < 0) {
            cJSON_Delete(body);
            return reply_error(r, MHD_HTTP_BAD_REQUEST,
                               cJSON_IsObject(body) ? err : "body: must be a JSON object");
        }
    }
    int64_t now = hubd_now_ms();
    int rc = r->hub->store->ops->handover(r->hub->store, id, worker, now, r->who.name, &info);
    cJSON_Delete(body);
    if (rc < 0)
        return store_error(r, rc);
    cJSON *o = cJSON_CreateObject();
    rfc3339_format(now, at, sizeof(at));
    cJSON_AddStringToObject(o, "id", id);
    cJSON_AddStringToObject(o, "ticket", info.ticket);
    cJSON_AddStringToObject(o, "status", "introduced");
    if (info.worker_id[0])
        cJSON_AddStringToObject(o, "worker_id", info.worker_id);
    else
        cJSON_AddNullToObject(o, "worker_id");
    cJSON_AddStringToObject(o, "introduced_at", at);
    return reply_json(r, MHD_HTTP_OK, o);
}

enum MHD_Result api_reassign(struct req *r)
{
    char id[UUID_LEN + 1], err[160];
    const char *worker = NULL, *reason = NULL;
    if (!uuid_v4_parse(r->param, id))
        return reply_error(r, MHD_HTTP_NOT_FOUND, "no such check-in");
    cJSON *body = req_json(r, err, sizeof(err));
    if (!body)
        return reply_error(r, MHD_HTTP_BAD_REQUEST, err);
    if (!cJSON_IsObject(body))
        snprintf(err, sizeof(err), "body: must be a JSON object");
    else if (!cJSON_HasObjectItem(body, "worker_id"))
        snprintf(err, sizeof(err), "worker_id: required (null sends to reception)");
    else if (worker_field(body, 0, &worker, err, sizeof(err)) == 0 &&
             jv_string(body, "reason", JV_REQUIRED | JV_MULTILINE, 200, &reason, err,
                       sizeof(err)) == 0 &&
             !*reason)
        snprintf(err, sizeof(err), "reason: must not be empty");
    if (!reason || !*reason) {
        cJSON_Delete(body);
        return reply_error(r, MHD_HTTP_BAD_REQUEST, err);
    }
    int rc =
        r->hub->store->ops->reassign(r->hub->store, id, worker, reason, hubd_now_ms(), r->who.name);
    cJSON *o = NULL;
    if (rc == 0 && (o = cJSON_CreateObject())) {
        cJSON_AddStringToObject(o, "id", id);
        if (worker)
            cJSON_AddStringToObject(o, "worker_id", worker);
        else
            cJSON_AddNullToObject(o, "worker_id");
        cJSON_AddStringToObject(o, "status", "waiting");
    }
    cJSON_Delete(body);
    return rc < 0 ? store_error(r, rc) : reply_json(r, MHD_HTTP_OK, o);
}
