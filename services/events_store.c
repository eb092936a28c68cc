/* events_store.c — the store that tells the live board: a store_ops over another store that
 * forwards every call and, once a change has committed, publishes it (events.h). One place
 * for every writer: the request handlers, the group commit and the day's end. */
#include "events_store.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct events_store {
    struct store base;
    struct store *in;
    struct events *ev;
    char hub[IDENT_MAX + 1];
};

static struct events_store *E(struct store *s)
{
    return (struct events_store *)s;
}

static struct store *IN(struct store *s)
{
    return E(s)->in;
}

static int64_t wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A message's data with the check-in (or worker) id and when it was committed; NULL when
 * out of memory (then nothing is published: the board's poll still shows it). */
static cJSON *data_new(const char *id)
{
    cJSON *o = cJSON_CreateObject();
    if (o && id)
        cJSON_AddStringToObject(o, "id", id);
    if (o)
        cJSON_AddNumberToObject(o, "at", (double)wall_ms());
    return o;
}

static void add_str_or_null(cJSON *o, const char *key, const char *v)
{
    if (v && *v)
        cJSON_AddStringToObject(o, key, v);
    else
        cJSON_AddNullToObject(o, key);
}

/* Publishes o (freed) as kind. */
static void send_event(struct store *s, const char *kind, cJSON *o)
{
    char *text = o ? cJSON_PrintUnformatted(o) : NULL;
    if (text)
        events_publish(E(s)->ev, E(s)->hub, kind, text);
    free(text);
    cJSON_Delete(o);
}

static int e_hub_load(struct store *s, struct hdir *out)
{
    return IN(s)->ops->hub_load(IN(s), out);
}

static int e_hub_seed(struct store *s, const struct hdir *d, int64_t now_ms)
{
    return IN(s)->ops->hub_seed(IN(s), d, now_ms);
}

static int e_checkins_put(struct store *s, struct checkin *const *items, size_t n,
                          struct checkin_result *out, int64_t now_ms)
{
    int rc = IN(s)->ops->checkins_put(IN(s), items, n, out, now_ms);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        if (out[i].status != 201)
            continue; /* a replay or a refusal changes nothing on the board */
        cJSON *o = data_new(items[i]->id);
        if (o) {
            cJSON_AddStringToObject(o, "ticket", out[i].ticket);
            add_str_or_null(o, "worker_id", items[i]->has_worker ? items[i]->worker_id : NULL);
            cJSON_AddBoolToObject(o, "urgent", items[i]->urgent);
            cJSON_AddNumberToObject(o, "position", out[i].position);
        }
        send_event(s, "checkin", o);
    }
    return rc;
}

static int e_board(struct store *s, const struct board_query *q, struct board_row **rows, size_t *n,
                   size_t *total)
{
    return IN(s)->ops->board(IN(s), q, rows, n, total);
}

static void handover_event(struct store *s, const char *id, const char *ticket,
                           const char *worker_id, const char *how)
{
    cJSON *o = data_new(id);
    if (o) {
        cJSON_AddStringToObject(o, "ticket", ticket);
        add_str_or_null(o, "worker_id", worker_id);
        cJSON_AddStringToObject(o, "by", how);
    }
    send_event(s, "handover", o);
}

static int e_handover(struct store *s, const char *id, const char *worker_id, int64_t now_ms,
                      const char *actor, struct handover_info *out)
{
    int rc = IN(s)->ops->handover(IN(s), id, worker_id, now_ms, actor, out);
    if (rc == 0)
        handover_event(s, id, out->ticket, out->worker_id, "introduction");
    return rc;
}

static int e_reassign(struct store *s, const char *id, const char *worker_id, const char *reason,
                      int64_t now_ms, const char *actor)
{
    int rc = IN(s)->ops->reassign(IN(s), id, worker_id, reason, now_ms, actor);
    if (rc == 0) {
        cJSON *o = data_new(id);
        if (o)
            add_str_or_null(o, "worker_id", worker_id);
        send_event(s, "reassign", o);
    }
    return rc;
}

static int e_worker_update(struct store *s, const char *id, const char *status, const char *desk,
                           int64_t now_ms, const char *actor, bool *changed)
{
    int rc = IN(s)->ops->worker_update(IN(s), id, status, desk, now_ms, actor, changed);
    if (rc == 0 && *changed) {
        cJSON *o = data_new(id);
        if (o && status)
            cJSON_AddStringToObject(o, "status", status);
        if (o && desk)
            cJSON_AddStringToObject(o, "desk", desk);
        send_event(s, "worker", o);
    }
    return rc;
}

static int e_report_scan(struct store *s, int64_t from_ms, int64_t to_ms, report_row_fn fn,
                         void *ctx)
{
    return IN(s)->ops->report_scan(IN(s), from_ms, to_ms, fn, ctx);
}

static int e_token_add(struct store *s, const uint8_t hash[SHA256_LEN], const char *role,
                       const char *name, const char *worker_id, const char *code, int64_t now_ms)
{
    return IN(s)->ops->token_add(IN(s), hash, role, name, worker_id, code, now_ms);
}

static int e_token_find(struct store *s, const uint8_t hash[SHA256_LEN], struct token_info *out)
{
    return IN(s)->ops->token_find(IN(s), hash, out);
}

static int e_tokens_load(struct store *s, token_row_fn fn, void *ctx)
{
    return IN(s)->ops->tokens_load(IN(s), fn, ctx);
}

static int e_token_revoke(struct store *s, const char *name, int *n)
{
    return IN(s)->ops->token_revoke(IN(s), name, n);
}

static int e_purge(struct store *s, int64_t before_ms, int *n)
{
    return IN(s)->ops->purge(IN(s), before_ms, n);
}

static int e_health(struct store *s, char *why, size_t cap)
{
    return IN(s)->ops->health(IN(s), why, cap);
}

static const struct store_outcome_ops *OC(struct store *s)
{
    return IN(s)->ops->oc;
}

static int e_left(struct store *s, const char *id, bool undo, int64_t now_ms, const char *actor,
                  struct left_info *out)
{
    int rc = OC(s)->left(IN(s), id, undo, now_ms, actor, out);
    if (rc == 0) {
        cJSON *o = data_new(id);
        if (o) {
            cJSON_AddStringToObject(o, "ticket", out->ticket);
            cJSON_AddBoolToObject(o, "undo", undo);
            add_str_or_null(o, "by", undo ? NULL : out->left_by);
        }
        send_event(s, "left", o);
    }
    return rc;
}

static int e_next(struct store *s, const char *worker_id, int64_t now_ms, const char *actor,
                  struct board_row *out, bool *found, int *left)
{
    int rc = OC(s)->next(IN(s), worker_id, now_ms, actor, out, found, left);
    if (rc == 0 && *found)
        handover_event(s, out->id, out->ticket, out->worker_id, "call_next");
    return rc;
}

static int e_outcome(struct store *s, const char *id, const char *only_worker, const char *result,
                     bool follow_up, int64_t now_ms, const char *actor, int *status)
{
    int rc = OC(s)->outcome(IN(s), id, only_worker, result, follow_up, now_ms, actor, status);
    if (rc == 0) {
        cJSON *o = data_new(id);
        if (o) {
            cJSON_AddStringToObject(o, "result", result);
            cJSON_AddBoolToObject(o, "follow_up", follow_up);
        }
        send_event(s, "outcome", o);
    }
    return rc;
}

static int e_feedback_put(struct store *s, const struct feedback *f, int64_t now_ms, int *status)
{
    return OC(s)->feedback_put(IN(s), f, now_ms, status);
}

static int e_feedback_scan(struct store *s, int64_t from_ms, int64_t to_ms, feedback_row_fn fn,
                           void *ctx)
{
    return OC(s)->feedback_scan(IN(s), from_ms, to_ms, fn, ctx);
}

static int e_day_close(struct store *s, int64_t before_ms, int *n)
{
    int rc = OC(s)->day_close(IN(s), before_ms, n);
    if (rc == 0 && *n > 0) {
        cJSON *o = data_new(NULL);
        if (o) {
            cJSON_AddNumberToObject(o, "count", *n);
            cJSON_AddStringToObject(o, "by", "day_end");
        }
        send_event(s, "left", o);
    }
    return rc;
}

static int e_seen(struct store *s, const char *worker_id, int64_t since_ms, struct board_row **rows,
                  size_t *n)
{
    return OC(s)->seen(IN(s), worker_id, since_ms, rows, n);
}

static int e_version(struct store *s, int64_t *out)
{
    return OC(s)->version(IN(s), out);
}

static const struct store_outcome_ops EVENTS_OC_OPS = {
    .left = e_left,
    .next = e_next,
    .outcome = e_outcome,
    .feedback_put = e_feedback_put,
    .feedback_scan = e_feedback_scan,
    .day_close = e_day_close,
    .seen = e_seen,
    .version = e_version,
};

static void e_close(struct store *s)
{
    free(E(s)); /* inner is its opener's to close */
}

static const struct store_ops EVENTS_OPS = {
    .hub_load = e_hub_load,
    .hub_seed = e_hub_seed,
    .checkins_put = e_checkins_put,
    .board = e_board,
    .handover = e_handover,
    .reassign = e_reassign,
    .worker_update = e_worker_update,
    .report_scan = e_report_scan,
    .token_add = e_token_add,
    .token_find = e_token_find,
    .tokens_load = e_tokens_load,
    .token_revoke = e_token_revoke,
    .purge = e_purge,
    .health = e_health,
    .oc = &EVENTS_OC_OPS,
    .close = e_close,
};

struct store *events_store_wrap(struct store *inner, struct events *ev, const char *hub)
{
    struct events_store *e = calloc(1, sizeof(*e));
    if (!e || strlen(hub) > IDENT_MAX) {
        free(e);
        return NULL;
    }
    e->base.ops = &EVENTS_OPS;
    e->in = inner;
    e->ev = ev;
    memcpy(e->hub, hub, strlen(hub) + 1);
    return &e->base;
}
