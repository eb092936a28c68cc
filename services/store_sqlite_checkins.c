/* store_sqlite_checkins.c — the SQLite backend's check-in side: idempotent inserts with
 * tickets and wait estimates, the reception board, handovers, reassignments, worker
 * status, and the event scan reports are built from. */
#include "store_sqlite_int.h"

#include "dayend.h"
#include "proto/jsonv.h"
#include "stats.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Looks up an existing check-in: 1 found (fills r as a replay or conflict), 0 absent, <0 error. */
static int find_existing(struct sqlite_store *s, const struct checkin *c, struct checkin_result *r)
{
    sqlite3_stmt *st = sq_stmt(&s->w, S_CHK_GET);
    sq_text(st, 1, c->id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const void *h = sqlite3_column_blob(st, 0);
        bool same =
            h && sqlite3_column_bytes(st, 0) == SHA256_LEN &&
            (memcmp(h, c->hash, SHA256_LEN) == 0 || memcmp(h, c->legacy_hash, SHA256_LEN) == 0 ||
             memcmp(h, c->coded_hash, SHA256_LEN) == 0);
        r->status = same ? 200 : 409;
        snprintf(r->ticket, sizeof(r->ticket), "%s", (const char *)sqlite3_column_text(st, 1));
        r->position = sqlite3_column_int(st, 2);
        r->wait_min = sqlite3_column_int(st, 3);
        r->ticket_why = ticket_why_lookup((const char *)sqlite3_column_text(st, 4));
        r->flags = checkin_flags_split(sq_col(st, 5));
        if (!same)
            snprintf(r->error, sizeof(r->error), "id: already used for a different check-in");
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : STORE_EIO;
}

/* Status of worker id into out: 1 found, 0 unknown, <0 error. */
static int worker_status(struct sqlite_store *s, const char *id, char *out, size_t cap)
{
    sqlite3_stmt *st = sq_stmt(&s->w, S_WORKER_ROW);
    sq_text(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        snprintf(out, cap, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : STORE_EIO;
}

/* hubd's own ticket ("H-07": no kiosk code, so never one a kiosk issues), numbered for the
 * hub's day. */
static int own_ticket(struct sqlite_store *s, const struct checkin *c, int64_t now_ms,
                      struct checkin_result *r)
{
    char day[16];
    dayend_date(now_ms, day, sizeof(day));
    sqlite3_stmt *st = sq_stmt(&s->w, S_TICKET_NEXT);
    sq_text(st, 1, day);
    int rc = sqlite3_step(st);
    long n = rc == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    return checkin_own_ticket(c, n, r->ticket, sizeof(r->ticket)) == 0 ? 0 : STORE_EIO;
}

/* 1 when ticket t is already some resident's today (hubd's day), 0 not, <0 error. */
static int ticket_taken(struct sqlite_store *s, const char *t, int64_t now_ms)
{
    int64_t start = dayend_midnight(now_ms, 0);
    sqlite3_stmt *st = sq_stmt(&s->w, S_TICKET_TAKEN);
    sq_text(st, 1, t);
    sqlite3_bind_int64(st, 2, start);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : STORE_EIO;
}

/* THE ticket: the kiosk's, adopted as it is, unless it is missing, not a kiosk ticket, not
 * this kiosk's code, or some other resident's today; then one of hubd's, and why. */
static int adopt_ticket(struct sqlite_store *s, const struct checkin *c, int64_t now_ms,
                        struct checkin_result *r)
{
    r->ticket_why = checkin_ticket_refusal(c);
    if (!r->ticket_why) {
        int taken = ticket_taken(s, c->kiosk_ticket, now_ms);
        if (taken < 0)
            return taken;
        if (!taken) {
            snprintf(r->ticket, sizeof(r->ticket), "%s", c->kiosk_ticket);
            return 0;
        }
        r->ticket_why = TICKET_WHY_CLASH;
    }
    return own_ticket(s, c, now_ms, r);
}

/* Position in the worker's line (urgent residents go before everyone else) and the wait
 * estimate from the line and the worker's recent handovers. */
static int estimate(struct sqlite_store *s, const struct checkin *c, const char *status,
                    int64_t now_ms, struct checkin_result *r)
{
    const char *wid = c->has_worker ? c->worker_id : NULL;
    sqlite3_stmt *st = sq_stmt(&s->w, S_POS_COUNT);
    sq_text(st, 1, wid);
    sqlite3_bind_int(st, 2, c->urgent);
    int rc = sqlite3_step(st);
    int ahead = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return STORE_EIO;
    int64_t times[21];
    size_t n = 0;
    st = sq_stmt(&s->w, S_HANDOVERS);
    sq_text(st, 1, wid);
    sqlite3_bind_int64(st, 2, now_ms - 8 * 3600 * 1000LL);
    while (n < 21 && sqlite3_step(st) == SQLITE_ROW)
        times[n++] = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    r->position = ahead;
    r->wait_min = stats_wait_estimate(ahead, stats_service_min(times, n), status, c->urgent);
    return 0;
}

static int insert_row(struct sqlite_store *s, const struct checkin *c, int64_t now_ms,
                      const struct checkin_result *r)
{
    char needs[1024], domains[64], flags[128];
    if (jv_join(c->needs, c->n_needs, needs, sizeof(needs)) < 0 ||
        jv_join(c->domains, c->n_domains, domains, sizeof(domains)) < 0 ||
        checkin_flags_join(c->flags, flags, sizeof(flags)) < 0)
        return STORE_EIO;
    sqlite3_stmt *st = sq_stmt(&s->w, S_CHK_INS);
    sq_text(st, 1, c->id);
    sqlite3_bind_blob(st, 2, c->hash, SHA256_LEN, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 3, c->created_ms);
    sqlite3_bind_int64(st, 4, now_ms);
    sq_text(st, 5, c->lang);
    sq_text(st, 6, needs);
    sq_text(st, 7, domains);
    sqlite3_bind_int(st, 8, c->urgent);
    sq_text(st, 9, c->has_worker ? c->worker_id : NULL);
    sq_text(st, 10, c->chosen_by);
    sq_text(st, 11, c->name);
    sq_text(st, 12, c->consent ? c->text : NULL);
    sqlite3_bind_int(st, 13, c->consent);
    sq_text(st, 14, r->ticket);
    sqlite3_bind_int(st, 15, r->position);
    sqlite3_bind_int(st, 16, r->wait_min);
    sq_text(st, 17, c->kiosk_ticket[0] ? c->kiosk_ticket : NULL);
    sqlite3_bind_blob(st, 18, c->coded_hash, SHA256_LEN, SQLITE_TRANSIENT);
    sq_text(st, 19, r->ticket_why);
    sq_text(st, 20, c->flags ? flags : NULL);
    if (sq_exec(&s->w, S_CHK_INS) < 0)
        return STORE_EIO;
    return sq_event(s, now_ms, "arrived", c->id, c->has_worker ? c->worker_id : NULL, c->chosen_by,
                    NULL, c->actor);
}

static int put_one(struct sqlite_store *s, struct checkin *c, int64_t now_ms,
                   struct checkin_result *r)
{
    char status[16] = "available";
    int rc = find_existing(s, c, r);
    if (rc != 0)
        return rc < 0 ? rc : 0;
    if (c->has_worker) {
        rc = worker_status(s, c->worker_id, status, sizeof(status));
        if (rc < 0)
            return rc;
        if (rc == 0) { /* a worker since removed, or one this hub never had: reception */
            c->has_worker = false;
            c->worker_id[0] = '\0';
            c->flags |= CHECKIN_WORKER_UNKNOWN;
            snprintf(status, sizeof(status), "available");
        }
    }
    r->flags = c->flags;
    if (adopt_ticket(s, c, now_ms, r) < 0 || estimate(s, c, status, now_ms, r) < 0 ||
        insert_row(s, c, now_ms, r) < 0)
        return STORE_EIO;
    r->status = 201;
    return 0;
}

int sq_checkins_put(struct store *st, struct checkin *const *items, size_t n,
                    struct checkin_result *out, int64_t now_ms)
{
    struct sqlite_store *s = (struct sqlite_store *)st;
    int rc;
    memset(out, 0, n * sizeof(*out));
    if ((rc = sq_begin(s)) == 0) {
        for (size_t i = 0; rc == 0 && i < n; i++)
            rc = put_one(s, items[i], now_ms, &out[i]);
        if (rc == 0) {
            rc = sq_commit(s);
        } else {
            sq_log(&s->w, "check-in");
            sq_rollback(s);
        }
    }
    if (rc < 0) {
        for (size_t i = 0; i < n; i++) {
            memset(&out[i], 0, sizeof(out[i]));
            out[i].status = 503;
            snprintf(out[i].error, sizeof(out[i].error), "storage unavailable, retry");
        }
    }
    return rc;
}

static int board_row_fill(sqlite3_stmt *st, struct board_row *r)
{
    bool oom = false;
    memset(r, 0, sizeof(*r));
    snprintf(r->id, sizeof(r->id), "%s", sq_col(st, 0));
    snprintf(r->ticket, sizeof(r->ticket), "%s", sq_col(st, 1));
    r->worker_id = sq_dup(st, 2, &oom);
    r->lang = sq_dup(st, 3, &oom);
    r->needs = sq_dup(st, 4, &oom);
    r->domains = sq_dup(st, 5, &oom);
    r->chosen_by = sq_dup(st, 6, &oom);
    r->name = sq_dup(st, 7, &oom);
    r->text = sq_dup(st, 8, &oom);
    r->urgent = sqlite3_column_int(st, 9) != 0;
    r->created_ms = sqlite3_column_int64(st, 10);
    snprintf(r->kiosk_ticket, sizeof(r->kiosk_ticket), "%s", sq_col(st, 11));
    r->received_ms = sqlite3_column_int64(st, 12);
    r->flags = checkin_flags_split(sq_col(st, 14));
    return oom ? STORE_EIO : 0;
}

/* Binds the page's cursor: the board row of check-in id after (NULL: from the top).
 * 0, STORE_ENOTFOUND or STORE_EIO. */
static int bind_after(struct sq_conn *c, sqlite3_stmt *q, const char *after)
{
    if (!after)
        return 0;
    sqlite3_stmt *a = sq_stmt(c, S_BOARD_AFTER);
    sq_text(a, 1, after);
    int rc = sqlite3_step(a);
    if (rc == SQLITE_ROW) {
        sqlite3_bind_int(q, 2, sqlite3_column_int(a, 0));
        sqlite3_bind_int64(q, 3, sqlite3_column_int64(a, 1));
        sqlite3_bind_int64(q, 4, sqlite3_column_int64(a, 2));
    }
    sqlite3_reset(a);
    return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? STORE_ENOTFOUND : STORE_EIO;
}

static bool same_line(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* Positions of the page's rows in their lines (within the caller's read transaction). A
 * page is a stretch of the board's order, so a worker's rows on it follow one another in
 * that worker's line: only the first needs counting, the others come one after it. */
static int board_positions(struct sq_conn *c, struct board_row *rows, const int64_t *rids, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        bool seen = false;
        for (size_t j = i; j-- > 0 && !seen;) {
            if (same_line(rows[j].worker_id, rows[i].worker_id)) {
                rows[i].position = rows[j].position + 1; /* one more ahead */
                seen = true;
            }
        }
        if (seen)
            continue;
        sqlite3_stmt *q = sq_stmt(c, S_BOARD_AHEAD);
        sq_text(q, 1, rows[i].worker_id);
        sqlite3_bind_int(q, 2, rows[i].urgent);
        sqlite3_bind_int64(q, 3, rows[i].received_ms);
        sqlite3_bind_int64(q, 4, rids[i]);
        int rc = sqlite3_step(q);
        rows[i].position = rc == SQLITE_ROW ? sqlite3_column_int(q, 0) : 0;
        sqlite3_reset(q);
        if (rc != SQLITE_ROW)
            return STORE_EIO;
    }
    return 0;
}

/* The page's rows into *rows (within the caller's read transaction). */
static int board_rows(struct sq_conn *c, const struct board_query *bq, struct board_row **rows,
                      size_t *n)
{
    size_t cap = 0;
    int64_t *rids = NULL;
    int rc = SQLITE_DONE, out;
    sqlite3_stmt *q = sq_stmt(c, S_BOARD);
    sq_text(q, 1, bq->worker_id);
    sqlite3_bind_int64(q, 5, (sqlite3_int64)bq->limit);
    if ((out = bind_after(c, q, bq->after)) < 0)
        return out;
    while (out == 0 && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        if (*n == cap) {
            size_t ncap = cap ? cap * 2 : 32;
            struct board_row *r = realloc(*rows, ncap * sizeof(*r));
            int64_t *ids = r ? realloc(rids, ncap * sizeof(*ids)) : NULL;
            if (r)
                *rows = r;
            if (!r || !ids) {
                out = STORE_EIO;
                break;
            }
            rids = ids;
            cap = ncap;
        }
        rids[*n] = sqlite3_column_int64(q, 13);
        out = board_row_fill(q, &(*rows)[(*n)++]);
    }
    sqlite3_reset(q);
    if (out == 0 && rc != SQLITE_DONE)
        out = STORE_EIO;
    if (out == 0)
        out = board_positions(c, *rows, rids, *n);
    free(rids);
    return out;
}

int sq_board(struct store *st, const struct board_query *q, struct board_row **rows, size_t *n,
             size_t *total)
{
    struct sqlite_store *s = (struct sqlite_store *)st;
    *rows = NULL;
    *n = 0;
    *total = 0;
    struct sq_conn *c = sq_reader(s);
    sq_stmt(c, S_BEGIN_READ); /* the page and the total from one snapshot */
    int out = sq_exec(c, S_BEGIN_READ);
    if (out == 0)
        out = board_rows(c, q, rows, n);
    if (out == 0) {
        sqlite3_stmt *t = sq_stmt(c, S_BOARD_TOTAL);
        sq_text(t, 1, q->worker_id);
        if (sqlite3_step(t) == SQLITE_ROW)
            *total = (size_t)sqlite3_column_int64(t, 0);
        else
            out = STORE_EIO;
        sqlite3_reset(t);
    }
    sq_stmt(c, S_COMMIT);
    sq_exec(c, S_COMMIT);
    sq_reader_done(c);
    if (out < 0) {
        store_board_free(*rows, *n);
        *rows = NULL;
        *n = 0;
    }
    return out;
}

/* Reads a check-in's status and worker: 0, STORE_ENOTFOUND or STORE_EIO. */
static int checkin_state(struct sqlite_store *s, const char *id, bool *waiting, char *worker,
                         size_t wcap, char *ticket, size_t tcap)
{
    sqlite3_stmt *q = sq_stmt(&s->w, S_CHK_STATE);
    sq_text(q, 1, id);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        const char *w = (const char *)sqlite3_column_text(q, 1);
        *waiting = strcmp((const char *)sqlite3_column_text(q, 0), "waiting") == 0;
        snprintf(worker, wcap, "%s", w ? w : "");
        snprintf(ticket, tcap, "%s", (const char *)sqlite3_column_text(q, 2));
    }
    sqlite3_reset(q);
    return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? STORE_ENOTFOUND : STORE_EIO;
}

/* What handover and reassign check inside their transaction: the check-in is waiting and
 * the target worker exists. Fills info with its ticket and current worker. */
static int change_waiting(struct sqlite_store *s, const char *id, const char *worker_id,
                          struct handover_info *info)
{
    bool waiting = false;
    char status[16];
    int rc = checkin_state(s, id, &waiting, info->worker_id, sizeof(info->worker_id), info->ticket,
                           sizeof(info->ticket));
    if (rc < 0)
        return rc;
    if (!waiting)
        return STORE_ECONFLICT;
    if (worker_id) {
        rc = worker_status(s, worker_id, status, sizeof(status));
        if (rc <= 0)
            return rc < 0 ? rc : STORE_EINVAL;
    }
    return 0;
}

int sq_handover(struct store *st, const char *id, const char *worker_id, int64_t now_ms,
                const char *actor, struct handover_info *out)
{
    struct sqlite_store *s = (struct sqlite_store *)st;
    int rc = sq_begin(s);
    if (rc < 0)
        return rc;
    rc = change_waiting(s, id, worker_id, out);
    if (rc == 0 && worker_id)
        snprintf(out->worker_id, sizeof(out->worker_id), "%s", worker_id);
    const char *wid = out->worker_id[0] ? out->worker_id : NULL;
    if (rc == 0) {
        sqlite3_stmt *q = sq_stmt(&s->w, S_CHK_INTRODUCE);
        sqlite3_bind_int64(q, 1, now_ms);
        sq_text(q, 2, wid);
        sq_text(q, 3, id);
        rc = sq_exec(&s->w, S_CHK_INTRODUCE);
    }
    if (rc == 0)
        rc = sq_event(s, now_ms, "introduced", id, wid, NULL, NULL, actor);
    if (rc == 0)
        return sq_commit(s);
    sq_rollback(s);
    return rc;
}

int sq_reassign(struct store *st, const char *id, const char *worker_id, const char *reason,
                int64_t now_ms, const char *actor)
{
    struct sqlite_store *s = (struct sqlite_store *)st;
    struct handover_info prev;
    int rc = sq_begin(s);
    if (rc < 0)
        return rc;
    rc = change_waiting(s, id, worker_id, &prev);
    if (rc == 0) {
        sqlite3_stmt *q = sq_stmt(&s->w, S_CHK_REASSIGN);
        sq_text(q, 1, worker_id);
        sq_text(q, 2, id);
        rc = sq_exec(&s->w, S_CHK_REASSIGN);
    }
    if (rc == 0)
        rc = sq_event(s, now_ms, "reassigned", id, worker_id,
                      prev.worker_id[0] ? prev.worker_id : NULL, reason, actor);
    if (rc == 0)
        return sq_commit(s);
    sq_rollback(s);
    return rc;
}

static int worker_apply(struct sqlite_store *s, const char *id, const char *status,
                        const char *desk, int64_t now_ms, const char *actor, bool *changed)
{
    char old_status[16], old_desk[HDIR_DESK_MAX + 1];
    sqlite3_stmt *q = sq_stmt(&s->w, S_WORKER_ROW);
    sq_text(q, 1, id);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        snprintf(old_status, sizeof(old_status), "%s", (const char *)sqlite3_column_text(q, 0));
        snprintf(old_desk, sizeof(old_desk), "%s", (const char *)sqlite3_column_text(q, 1));
    }
    sqlite3_reset(q);
    if (rc != SQLITE_ROW)
        return rc == SQLITE_DONE ? STORE_ENOTFOUND : STORE_EIO;
    bool new_status = status && strcmp(status, old_status) != 0;
    bool new_desk = desk && strcmp(desk, old_desk) != 0;
    *changed = new_status || new_desk;
    if (!*changed)
        return 0;
    q = sq_stmt(&s->w, S_WORKER_SET);
    sq_text(q, 1, new_status ? status : old_status);
    sq_text(q, 2, new_desk ? desk : old_desk);
    sq_text(q, 3, id);
    if (sq_exec(&s->w, S_WORKER_SET) < 0)
        return STORE_EIO;
    if (new_status && sq_event(s, now_ms, "status_changed", NULL, id, status, NULL, actor) < 0)
        return STORE_EIO;
    if (new_desk && sq_event(s, now_ms, "desk_changed", NULL, id, desk, NULL, actor) < 0)
        return STORE_EIO;
    return 0;
}

int sq_worker_update(struct store *st, const char *id, const char *status, const char *desk,
                     int64_t now_ms, const char *actor, bool *changed)
{
    struct sqlite_store *s = (struct sqlite_store *)st;
    *changed = false;
    int rc = sq_begin(s);
    if (rc < 0)
        return rc;
    rc = worker_apply(s, id, status, desk, now_ms, actor, changed);
    if (rc == 0)
        return sq_commit(s);
    sq_rollback(s);
    return rc;
}

static const char *col(sqlite3_stmt *q, int i)
{
    return (const char *)sqlite3_column_text(q, i);
}

int sq_report_scan(struct store *st, int64_t from_ms, int64_t to_ms, report_row_fn fn, void *ctx)
{
    struct sqlite_store *s = (struct sqlite_store *)st;
    int rc, out = 0;
    struct sq_conn *c = sq_reader(s);
    sqlite3_stmt *q = sq_stmt(c, S_REPORT);
    sqlite3_bind_int64(q, 1, from_ms);
    sqlite3_bind_int64(q, 2, to_ms);
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        struct report_row r = {
            .arrived_ms = sqlite3_column_int64(q, 0),
            .lang = col(q, 1),
            .needs = col(q, 2),
            .domains = col(q, 3),
            .worker_id = col(q, 4),
            .chosen_by = col(q, 5),
            .urgent = sqlite3_column_int(q, 6) != 0,
            .status = col(q, 7),
            .introduced_ms =
                sqlite3_column_type(q, 8) == SQLITE_NULL ? -1 : sqlite3_column_int64(q, 8),
            .reassigned = sqlite3_column_int(q, 9),
            .result = col(q, 10),
            .follow_up = sqlite3_column_int(q, 11) != 0,
            .left_by = col(q, 12),
        };
        if ((out = fn(&r, ctx)) != 0)
            break;
    }
    sqlite3_reset(q);
    sq_reader_done(c);
    if (out)
        return out;
    return rc == SQLITE_DONE ? 0 : STORE_EIO;
}
