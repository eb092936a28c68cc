/* api_outcomes.c — the end of a resident's journey: reception marks one who left (and can
 * undo it), a worker calls the next resident, records a two-tap coded outcome and sees who
 * they have seen today; the kiosk sends residents' anonymous feedback. */
#include "api.h"

#include "dayend.h"
#include "proto/jsonv.h"

#include <stdio.h>
#include <string.h>

#define FEEDBACK_GRAIN_MS (3600 * 1000LL)

static const char *result_lookup(const char *s)
{
    static const char *const R[] = {"helped", "partly", "referred", "not_helped"};
    for (size_t i = 0; s && i < sizeof(R) / sizeof(R[0]); i++)
        if (strcmp(s, R[i]) == 0)
            return R[i];
    return NULL;
}

static const char *answer_lookup(const char *s)
{
    static const char *const A[] = {"yes", "partly", "no"};
    for (size_t i = 0; s && i < sizeof(A) / sizeof(A[0]); i++)
        if (strcmp(s, A[i]) == 0)
            return A[i];
    return NULL;
}

static void add_str_or_null(cJSON *o, const char *key, const char *v)
{
    if (v && *v)
        cJSON_AddStringToObject(o, key, v);
    else
        cJSON_AddNullToObject(o, key);
}

static void add_time(cJSON *o, const char *key, int64_t ms)
{
    char at[40];
    rfc3339_format(ms, at, sizeof(at));
    cJSON_AddStringToObject(o, key, at);
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

/* A resident as the board shows them (the same fields), with status and, once introduced,
 * when and the outcome so far. NULL on allocation failure. */
static cJSON *resident_json(const struct board_row *b, const char *status)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    cJSON_AddStringToObject(o, "id", b->id);
    cJSON_AddStringToObject(o, "ticket", b->ticket);
    add_str_or_null(o, "kiosk_ticket", board_row_kiosk_ticket(b));
    add_str_or_null(o, "worker_id", b->worker_id);
    cJSON_AddStringToObject(o, "status", status);
    cJSON_AddBoolToObject(o, "urgent", b->urgent);
    add_time(o, "created_at", b->created_ms);
    add_time(o, "received_at", b->received_ms);
    cJSON_AddStringToObject(o, "lang", b->lang ? b->lang : "");
    add_list(o, "needs", b->needs);
    add_list(o, "domains", b->domains);
    cJSON_AddStringToObject(o, "chosen_by", b->chosen_by ? b->chosen_by : "");
    if (b->name)
        cJSON_AddStringToObject(o, "name", b->name);
    if (b->text)
        cJSON_AddStringToObject(o, "text", b->text);
    if (b->introduced_ms) {
        add_time(o, "introduced_at", b->introduced_ms);
        add_str_or_null(o, "result", b->result);
        cJSON_AddBoolToObject(o, "follow_up", b->follow_up);
    }
    return o;
}

/* For a worker token: 0 when it may act for worker id, else -1 with a 403 in *ret. */
static int own_worker(struct req *r, const char *id, const char *what, enum MHD_Result *ret)
{
    char msg[160];
    if (r->role != ROLE_WORKER)
        return 0;
    if (r->who.worker_id[0] && (!id || strcmp(id, r->who.worker_id) == 0))
        return 0;
    if (!r->who.worker_id[0])
        snprintf(msg, sizeof(msg),
                 "this worker token is not tied to a worker; ask for a new one made with "
                 "`hubd token worker NAME --worker ID`");
    else
        snprintf(msg, sizeof(msg), "a worker token may %s only for its own worker", what);
    *ret = reply_error(r, MHD_HTTP_FORBIDDEN, msg);
    return -1;
}

/* An optional body must be a JSON object (its fields are not used). 0, or -1 with err. */
static int optional_object(struct req *r, char *err, size_t cap)
{
    if (r->len == 0)
        return 0;
    cJSON *body = req_json(r, err, cap);
    bool ok = body && cJSON_IsObject(body);
    if (body && !ok)
        snprintf(err, cap, "body: must be a JSON object");
    cJSON_Delete(body);
    return ok ? 0 : -1;
}

/* POST (leaving) or DELETE (undo) /checkins/{id}/left. */
static enum MHD_Result left_reply(struct req *r, bool undo)
{
    char id[UUID_LEN + 1], err[160];
    struct left_info info;
    if (!uuid_v4_parse(r->param, id))
        return reply_error(r, MHD_HTTP_NOT_FOUND, "no such check-in");
    if (!undo && optional_object(r, err, sizeof(err)) < 0)
        return reply_error(r, MHD_HTTP_BAD_REQUEST, err);
    struct store *st = r->hub->store;
    int rc = st->ops->oc->left(st, id, undo, hubd_now_ms(), r->who.name, &info);
    if (rc == STORE_ENOTFOUND)
        return reply_error(r, MHD_HTTP_NOT_FOUND, "no such check-in");
    if (rc == STORE_ECONFLICT)
        return reply_error(r, MHD_HTTP_CONFLICT,
                           !undo ? "this resident has already been introduced"
                           : strcmp(info.left_by, "day_end") == 0
                               ? "this resident was counted as left at the day's end; check "
                                 "them in again"
                               : "this resident is not marked as left");
    if (rc < 0)
        return reply_error(r, MHD_HTTP_SERVICE_UNAVAILABLE, "storage unavailable");
    cJSON *o = cJSON_CreateObject();
    if (o) {
        cJSON_AddStringToObject(o, "id", id);
        cJSON_AddStringToObject(o, "ticket", info.ticket);
        cJSON_AddStringToObject(o, "status", undo ? "waiting" : "left");
        if (!undo) {
            cJSON_AddStringToObject(o, "left_by", info.left_by);
            add_time(o, "left_at", info.left_ms);
        }
    }
    return reply_json(r, MHD_HTTP_OK, o);
}

enum MHD_Result api_left(struct req *r)
{
    return left_reply(r, false);
}

enum MHD_Result api_left_undo(struct req *r)
{
    return left_reply(r, true);
}

enum MHD_Result api_next(struct req *r)
{
    char err[160];
    struct board_row row;
    bool found;
    int waiting;
    enum MHD_Result denied;
    if (own_worker(r, r->param, "call the next resident", &denied) < 0)
        return denied;
    if (!ident_valid(r->param))
        return reply_error(r, MHD_HTTP_NOT_FOUND, "no such worker");
    if (optional_object(r, err, sizeof(err)) < 0)
        return reply_error(r, MHD_HTTP_BAD_REQUEST, err);
    struct store *st = r->hub->store;
    int64_t now = hubd_now_ms();
    dayend_tick(st, now);
    int rc = st->ops->oc->next(st, r->param, now, r->who.name, &row, &found, &waiting);
    if (rc == STORE_ENOTFOUND)
        return reply_error(r, MHD_HTTP_NOT_FOUND, "no such worker");
    if (rc < 0)
        return reply_error(r, MHD_HTTP_SERVICE_UNAVAILABLE, "storage unavailable");
    cJSON *o = cJSON_CreateObject();
    cJSON *c = found ? resident_json(&row, "introduced") : cJSON_CreateNull();
    store_row_release(&row);
    if (!o || !c || !cJSON_AddItemToObject(o, "checkin", c)) {
        cJSON_Delete(c);
        cJSON_Delete(o);
        return reply_error(r, MHD_HTTP_SERVICE_UNAVAILABLE, "out of memory");
    }
    cJSON_AddNumberToObject(o, "waiting", waiting);
    return reply_json(r, MHD_HTTP_OK, o);
}

/* Validates {result, follow_up}: 0, or -1 with err. */
static int outcome_fields(const cJSON *body, const char **result, bool *follow_up, char *err,
                          size_t cap)
{
    const char *s;
    if (!cJSON_IsObject(body))
        return jv_fail(err, cap, "body", "must be a JSON object");
    if (jv_string(body, "result", JV_REQUIRED, 16, &s, err, cap) < 0 ||
        jv_bool(body, "follow_up", true, false, follow_up, err, cap) < 0)
        return -1;
    if (!(*result = result_lookup(s)))
        return jv_fail(err, cap, "result", "must be helped, partly, referred or not_helped");
    return 0;
}

enum MHD_Result api_outcome(struct req *r)
{
    char id[UUID_LEN + 1], err[160];
    const char *result = NULL;
    bool follow_up = false;
    int status = 0;
    enum MHD_Result denied;
    if (own_worker(r, NULL, "record outcomes", &denied) < 0)
        return denied;
    if (!uuid_v4_parse(r->param, id))
        return reply_error(r, MHD_HTTP_NOT_FOUND, "no such check-in");
    cJSON *body = req_json(r, err, sizeof(err));
    if (!body)
        return reply_error(r, MHD_HTTP_BAD_REQUEST, err);
    int bad = outcome_fields(body, &result, &follow_up, err, sizeof(err));
    cJSON_Delete(body); /* coded only: nothing else from the body is kept */
    if (bad < 0)
        return reply_error(r, MHD_HTTP_BAD_REQUEST, err);
    struct store *st = r->hub->store;
    const char *only = r->role == ROLE_WORKER ? r->who.worker_id : NULL;
    int rc =
        st->ops->oc->outcome(st, id, only, result, follow_up, hubd_now_ms(), r->who.name, &status);
    switch (rc) {
    case 0:
        break;
    case STORE_ENOTFOUND:
        return reply_error(r, MHD_HTTP_NOT_FOUND, "no such check-in");
    case STORE_EDENIED:
        return reply_error(r, MHD_HTTP_FORBIDDEN,
                           "a worker token may record outcomes only for its own residents");
    case STORE_ECONFLICT:
        return reply_error(r, MHD_HTTP_CONFLICT,
                           "an outcome is recorded once the resident has been introduced");
    default:
        return reply_error(r, MHD_HTTP_SERVICE_UNAVAILABLE, "storage unavailable");
    }
    cJSON *o = cJSON_CreateObject();
    if (o) {
        cJSON_AddStringToObject(o, "id", id);
        cJSON_AddStringToObject(o, "result", result);
        cJSON_AddBoolToObject(o, "follow_up", follow_up);
    }
    return reply_json(r, (unsigned)status, o);
}

/* Validates {id, created_at, lang, got_what_came_for} into f: 0, or -1 with err. */
static int feedback_fields(const cJSON *body, struct feedback *f, char *err, size_t cap)
{
    const char *id, *at, *lang, *ans;
    if (!cJSON_IsObject(body))
        return jv_fail(err, cap, "body", "must be a JSON object");
    if (jv_string(body, "id", JV_REQUIRED, UUID_LEN, &id, err, cap) < 0)
        return -1;
    if (!uuid_v4_parse(id, f->id))
        return jv_fail(err, cap, "id", "must be a UUID v4");
    if (jv_string(body, "created_at", JV_REQUIRED, 40, &at, err, cap) < 0)
        return -1;
    if (rfc3339_parse(at, &f->created_ms) < 0)
        return jv_fail(err, cap, "created_at", "must be an RFC 3339 time in UTC");
    /* kept to the hour: an answer is never matched to a check-in by its time */
    f->created_ms -= f->created_ms % FEEDBACK_GRAIN_MS;
    if (jv_string(body, "lang", JV_REQUIRED, sizeof(f->lang) - 1, &lang, err, cap) < 0)
        return -1;
    if (!lang_valid(lang))
        return jv_fail(err, cap, "lang", "must be a language tag like en or cy");
    snprintf(f->lang, sizeof(f->lang), "%s", lang);
    if (jv_string(body, "got_what_came_for", JV_REQUIRED, 16, &ans, err, cap) < 0)
        return -1;
    if (!(f->answer = answer_lookup(ans)))
        return jv_fail(err, cap, "got_what_came_for", "must be yes, partly or no");
    return 0;
}

enum MHD_Result api_feedback(struct req *r)
{
    char err[160];
    struct feedback f;
    int status = 0;
    cJSON *body = req_json(r, err, sizeof(err));
    if (!body)
        return reply_error(r, MHD_HTTP_BAD_REQUEST, err);
    int bad = feedback_fields(body, &f, err, sizeof(err));
    cJSON_Delete(body);
    if (bad < 0)
        return reply_error(r, MHD_HTTP_BAD_REQUEST, err);
    struct store *st = r->hub->store;
    int64_t now = hubd_now_ms();
    if (st->ops->oc->feedback_put(st, &f, now - now % FEEDBACK_GRAIN_MS, &status) < 0)
        return reply_error(r, MHD_HTTP_SERVICE_UNAVAILABLE, "storage unavailable, retry");
    if (status == 409)
        return reply_error(r, MHD_HTTP_CONFLICT, "id: already used for a different answer");
    cJSON *o = cJSON_CreateObject();
    if (o) {
        cJSON_AddStringToObject(o, "id", f.id);
        cJSON_AddStringToObject(o, "got_what_came_for", f.answer);
    }
    return reply_json(r, (unsigned)status, o);
}

enum MHD_Result api_seen(struct req *r)
{
    const char *worker = req_arg(r, "worker_id");
    struct board_row *rows;
    size_t n;
    enum MHD_Result denied;
    if (own_worker(r, NULL, "see residents", &denied) < 0)
        return denied;
    if (r->role == ROLE_WORKER)
        worker = r->who.worker_id; /* a worker sees their own, whatever they ask for */
    if (worker && !ident_valid(worker))
        return reply_error(r, MHD_HTTP_BAD_REQUEST, "worker_id: invalid worker id");
    struct store *st = r->hub->store;
    int64_t now = hubd_now_ms();
    if (st->ops->oc->seen(st, worker, dayend_midnight(now, 0), &rows, &n) < 0)
        return reply_error(r, MHD_HTTP_SERVICE_UNAVAILABLE, "storage unavailable");
    cJSON *root = cJSON_CreateObject();
    cJSON *arr = root ? cJSON_AddArrayToObject(root, "checkins") : NULL;
    for (size_t i = 0; arr && i < n; i++) {
        cJSON *o = resident_json(&rows[i], "introduced");
        if (!o || !cJSON_AddItemToArray(arr, o)) {
            cJSON_Delete(o);
            cJSON_Delete(root);
            root = arr = NULL;
        }
    }
    if (root)
        cJSON_AddNumberToObject(root, "count", (double)n);
    store_board_free(rows, n);
    return root ? reply_json(r, MHD_HTTP_OK, root)
                : reply_error(r, MHD_HTTP_SERVICE_UNAVAILABLE, "out of memory");
}
