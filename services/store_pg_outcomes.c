/* store_pg_outcomes.c — the PostgreSQL backend's end of the journey: a resident who left
 * (and its undo), a worker calling the next resident (FOR UPDATE SKIP LOCKED: callers on
 * any hubd never wait for, nor get, the same resident), the coded outcome, feedback
 * (INSERT ... ON CONFLICT), closing the day, who a worker has seen, and the version. */
#include "store_pg_int.h"

#include "dayend.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A check-in's state as the operations here need it. */
struct chk_state {
    char status[16], ticket[TICKET_MAX], left_by[16], worker[IDENT_MAX + 1], result[16];
    int64_t left_ms;
    bool follow_up;
};

/* Locks check-in id and reads its state: 0, STORE_ENOTFOUND or STORE_EIO. */
static int state_get(PGconn *c, const char *hub, const char *id, struct chk_state *st)
{
    struct pg_args a = {0};
    pa_text(&a, hub);
    pa_text(&a, id);
    PGresult *r = pg_run(c, P_STATE_GET, &a);
    if (!r)
        return STORE_EIO;
    int rc = PQntuples(r) == 1 ? 0 : STORE_ENOTFOUND;
    if (rc == 0) {
        snprintf(st->status, sizeof(st->status), "%s", pg_col(r, 0, 0));
        snprintf(st->ticket, sizeof(st->ticket), "%s", pg_col(r, 0, 1));
        snprintf(st->left_by, sizeof(st->left_by), "%s", pg_col(r, 0, 2));
        st->left_ms = pg_int(r, 0, 3);
        snprintf(st->worker, sizeof(st->worker), "%s", pg_col(r, 0, 4));
        snprintf(st->result, sizeof(st->result), "%s", pg_col(r, 0, 5));
        st->follow_up = pg_int(r, 0, 6) != 0;
    }
    PQclear(r);
    return rc;
}

static int mark_left(PGconn *c, const char *hub, const char *id, const char *by, int64_t ms,
                     int *changed)
{
    struct pg_args a = {0};
    pa_text(&a, hub);
    pa_text(&a, id);
    pa_int(&a, ms);
    pa_text(&a, by);
    return pg_do(c, P_MARK_LEFT, &a, changed);
}

static int left_do(PGconn *c, const char *hub, const char *id, bool undo, int64_t now,
                   const char *actor, struct left_info *out)
{
    struct chk_state st;
    int changed = 0, rc = state_get(c, hub, id, &st);
    if (rc < 0)
        return rc;
    snprintf(out->ticket, sizeof(out->ticket), "%s", st.ticket);
    const char *wid = st.worker[0] ? st.worker : NULL;
    if (!undo) {
        if (strcmp(st.status, "left") == 0) { /* a second tap, or a resend: the first stands */
            snprintf(out->left_by, sizeof(out->left_by), "%s", st.left_by);
            out->left_ms = st.left_ms;
            return 0;
        }
        if (strcmp(st.status, "waiting") != 0)
            return STORE_ECONFLICT;
        if (mark_left(c, hub, id, "reception", now, &changed) < 0 || changed != 1)
            return STORE_EIO;
        snprintf(out->left_by, sizeof(out->left_by), "reception");
        out->left_ms = now;
        return pg_event(c, hub, now, "left", id, wid, "reception", NULL, actor);
    }
    snprintf(out->left_by, sizeof(out->left_by), "%s", st.left_by);
    if (strcmp(st.status, "left") != 0 || strcmp(st.left_by, "reception") != 0)
        return STORE_ECONFLICT; /* not left, or closed at the day's end: check in again */
    out->left_by[0] = '\0';
    struct pg_args a = {0};
    pa_text(&a, hub);
    pa_text(&a, id);
    if (pg_do(c, P_UNLEAVE, &a, &changed) < 0 || changed != 1)
        return STORE_EIO;
    return pg_event(c, hub, now, "left_undone", id, wid, NULL, NULL, actor);
}

static int pgo_left(struct store *st, const char *id, bool undo, int64_t now_ms, const char *actor,
                    struct left_info *out)
{
    struct pg_store *s = (struct pg_store *)st;
    char hub[IDENT_MAX + 1];
    pg_hub(s, hub);
    memset(out, 0, sizeof(*out));
    PGconn *c = pg_begin(s);
    if (!c)
        return STORE_EIO;
    return pg_end(s, c, left_do(c, hub, id, undo, now_ms, actor, out));
}

static int waiting_count(PGconn *c, const char *hub, const char *worker, int *n)
{
    struct pg_args a = {0};
    pa_text(&a, hub);
    pa_text(&a, worker);
    PGresult *r = pg_run(c, P_WAITING_COUNT, &a);
    if (!r)
        return STORE_EIO;
    *n = (int)pg_int(r, 0, 0);
    PQclear(r);
    return 0;
}

static int next_do(PGconn *c, const char *hub, const char *worker, int64_t now, const char *actor,
                   struct board_row *out, bool *found, int *left)
{
    struct pg_args h = {0}, a = {0};
    pa_text(&h, hub);
    pa_text(&a, hub);
    pa_text(&a, worker);
    PGresult *w = pg_run(c, P_WORKER_STATUSES, &h);
    if (!w)
        return STORE_EIO;
    bool known = false;
    for (int i = 0; i < PQntuples(w) && !known; i++)
        known = strcmp(pg_col(w, i, 0), worker) == 0;
    PQclear(w);
    if (!known)
        return STORE_ENOTFOUND;
    PGresult *r = pg_run(c, P_NEXT_PICK, &a);
    if (!r)
        return STORE_EIO;
    /* how many wait, read before the line's count is locked (the update below takes it until
     * the commit): the call's row holds only that lock and its own */
    int rc = waiting_count(c, hub, worker, left);
    if (rc == 0 && PQntuples(r) == 1) {
        rc = pg_board_row(r, 0, out);
        int changed = 0;
        struct pg_args t = {0};
        pa_text(&t, hub);
        pa_text(&t, out->id);
        pa_int(&t, now);
        if (rc == 0)
            rc = pg_event(c, hub, now, "introduced", out->id, worker, "called", NULL, actor);
        if (rc == 0)
            rc = pg_do(c, P_NEXT_TAKE, &t, &changed);
        if (rc == 0 && changed != 1)
            rc = STORE_ECONFLICT;
        out->introduced_ms = now;
        *found = rc == 0;
        if (*found && *left > 0)
            (*left)--; /* the one called */
    }
    PQclear(r);
    return rc;
}

static int pgo_next(struct store *st, const char *worker_id, int64_t now_ms, const char *actor,
                    struct board_row *out, bool *found, int *left)
{
    struct pg_store *s = (struct pg_store *)st;
    char hub[IDENT_MAX + 1];
    pg_hub(s, hub);
    memset(out, 0, sizeof(*out));
    *found = false;
    *left = 0;
    PGconn *c = pg_begin(s);
    int rc = STORE_EIO;
    if (c)
        rc = pg_end(s, c, next_do(c, hub, worker_id, now_ms, actor, out, found, left));
    if (rc < 0 || !*found) {
        store_row_release(out);
        *found = false;
    }
    return rc;
}

static int outcome_do(PGconn *c, const char *hub, const char *id, const char *only_worker,
                      const char *result, bool follow_up, int64_t now, const char *actor,
                      int *status)
{
    struct chk_state st;
    int rc = state_get(c, hub, id, &st);
    if (rc < 0)
        return rc;
    if (only_worker && strcmp(st.worker, only_worker) != 0)
        return STORE_EDENIED;
    if (strcmp(st.status, "introduced") != 0)
        return STORE_ECONFLICT;
    if (st.result[0] && strcmp(st.result, result) == 0 && st.follow_up == follow_up) {
        *status = 200;
        return 0;
    }
    *status = st.result[0] ? 200 : 201;
    struct pg_args a = {0};
    pa_text(&a, hub);
    pa_text(&a, id);
    pa_text(&a, result);
    pa_int(&a, follow_up);
    pa_int(&a, now);
    if (pg_do(c, P_OUTCOME_SET, &a, NULL) < 0)
        return STORE_EIO;
    return pg_event(c, hub, now, "outcome", id, st.worker[0] ? st.worker : NULL, result,
                    follow_up ? "follow_up" : NULL, actor);
}

static int pgo_outcome(struct store *st, const char *id, const char *only_worker,
                       const char *result, bool follow_up, int64_t now_ms, const char *actor,
                       int *status)
{
    struct pg_store *s = (struct pg_store *)st;
    char hub[IDENT_MAX + 1];
    pg_hub(s, hub);
    *status = 0;
    PGconn *c = pg_begin(s);
    if (!c)
        return STORE_EIO;
    return pg_end(s, c,
                  outcome_do(c, hub, id, only_worker, result, follow_up, now_ms, actor, status));
}

static int pgo_feedback_put(struct store *st, const struct feedback *f, int64_t now_ms, int *status)
{
    struct pg_store *s = (struct pg_store *)st;
    char hub[IDENT_MAX + 1];
    pg_hub(s, hub);
    *status = 0;
    PGconn *c = pg_get(s);
    if (!c)
        return STORE_EIO;
    struct pg_args a = {0};
    int changed = 0;
    pa_text(&a, hub);
    pa_text(&a, f->id);
    pa_int(&a, f->created_ms);
    pa_int(&a, now_ms);
    pa_text(&a, f->lang);
    pa_text(&a, f->answer);
    int rc = pg_do(c, P_FEEDBACK_PUT, &a, &changed);
    if (rc == 0 && changed == 1)
        *status = 201;
    if (rc == 0 && changed != 1) {
        a.n = 2;
        PGresult *r = pg_run(c, P_FEEDBACK_GET, &a);
        if (r && PQntuples(r) == 1) {
            bool same = pg_int(r, 0, 0) == f->created_ms && !strcmp(pg_col(r, 0, 1), f->lang) &&
                        !strcmp(pg_col(r, 0, 2), f->answer);
            *status = same ? 200 : 409;
        } else {
            rc = STORE_EIO;
        }
        PQclear(r);
    }
    pg_put(s, c);
    return rc;
}

static int pgo_feedback_scan(struct store *st, int64_t from_ms, int64_t to_ms, feedback_row_fn fn,
                             void *ctx)
{
    struct pg_store *s = (struct pg_store *)st;
    struct pg_args a = {0};
    pa_hub(&a, s);
    pa_int(&a, from_ms);
    pa_int(&a, to_ms);
    PGresult *r = pg_once(s, P_FEEDBACK_SCAN, &a);
    if (!r)
        return STORE_EIO;
    int out = 0;
    for (int i = 0; i < PQntuples(r) && !out; i++)
        out = fn(pg_int(r, i, 0), pg_col(r, i, 1), pg_col(r, i, 2), ctx);
    PQclear(r);
    return out;
}

/* Closes one batch of up to 200 residents; *more tells whether there may be others. */
static int close_batch(PGconn *c, const char *hub, int64_t before, int *n, bool *more)
{
    struct pg_args a = {0};
    pa_text(&a, hub);
    pa_int(&a, before);
    PGresult *r = pg_run(c, P_STALE_BATCH, &a);
    if (!r)
        return STORE_EIO;
    int k = PQntuples(r), rc = 0;
    *more = k == 200;
    for (int i = 0; rc == 0 && i < k; i++) {
        int64_t at = dayend_midnight(pg_int(r, i, 1), 1) - 1; /* its day's last ms */
        int changed = 0;
        const char *id = pg_col(r, i, 0), *w = pg_col(r, i, 2);
        if (mark_left(c, hub, id, "day_end", at, &changed) < 0 ||
            pg_event(c, hub, at, "left", id, *w ? w : NULL, "day_end", NULL, "hubd") < 0)
            rc = STORE_EIO;
        *n += changed;
    }
    PQclear(r);
    return rc;
}

static int pgo_day_close(struct store *st, int64_t before_ms, int *n)
{
    struct pg_store *s = (struct pg_store *)st;
    *n = 0;
    struct pg_args a = {0};
    pa_hub(&a, s);
    pa_int(&a, before_ms);
    PGresult *r = pg_once(s, P_STALE_ANY, &a);
    if (!r)
        return STORE_EIO;
    bool more = PQntuples(r) > 0;
    PQclear(r);
    int rc = 0;
    for (int round = 0; round < 5000 && more && rc == 0; round++) {
        more = false;
        PGconn *c = pg_begin(s);
        if (!c)
            return STORE_EIO;
        rc = pg_end(s, c, close_batch(c, a.hub, before_ms, n, &more));
    }
    return rc;
}

static int pgo_seen(struct store *st, const char *worker_id, int64_t since_ms,
                    struct board_row **rows, size_t *n)
{
    struct pg_store *s = (struct pg_store *)st;
    *rows = NULL;
    *n = 0;
    struct pg_args a = {0};
    pa_hub(&a, s);
    pa_text(&a, worker_id);
    pa_int(&a, since_ms);
    PGresult *r = pg_once(s, P_SEEN, &a);
    if (!r)
        return STORE_EIO;
    int rc = 0, m = PQntuples(r);
    if (m && !(*rows = calloc((size_t)m, sizeof(**rows))))
        rc = STORE_EIO;
    for (int i = 0; rc == 0 && i < m; i++) {
        struct board_row *b = &(*rows)[i];
        rc = pg_board_row(r, i, b);
        *n = (size_t)i + 1;
        b->introduced_ms = pg_int(r, i, 13);
        snprintf(b->result, sizeof(b->result), "%s", pg_col(r, i, 14));
        b->follow_up = pg_int(r, i, 15) != 0;
    }
    PQclear(r);
    if (rc < 0) {
        store_board_free(*rows, *n);
        *rows = NULL;
        *n = 0;
    }
    return rc;
}

static int pgo_version(struct store *st, int64_t *out)
{
    struct pg_store *s = (struct pg_store *)st;
    struct pg_args a = {0};
    pa_hub(&a, s);
    PGresult *r = pg_once(s, P_VERSION, &a);
    if (!r)
        return STORE_EIO;
    *out = pg_int(r, 0, 0) * 1000003 + pg_int(r, 0, 1);
    PQclear(r);
    return 0;
}

const struct store_outcome_ops PG_OUTCOME_OPS = {
    .left = pgo_left,
    .next = pgo_next,
    .outcome = pgo_outcome,
    .feedback_put = pgo_feedback_put,
    .feedback_scan = pgo_feedback_scan,
    .day_close = pgo_day_close,
    .seen = pgo_seen,
    .version = pgo_version,
};
