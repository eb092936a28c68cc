/* store_sqlite_outcomes.c — the SQLite backend's end of the journey: a resident who left
 * (and its undo), a worker calling the next resident, the worker's coded outcome, residents'
 * anonymous feedback, closing the day, and who a worker has seen today. */
#include "store_sqlite_int.h"

#include "dayend.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The columns a board row is read from (row_fill), then what seen() adds. */
#define BOARD_COLS                                                                                 \
    "id, ticket, worker_id, lang, needs, domains, chosen_by, name, text, urgent, created_at,"      \
    " kiosk_ticket, received_at"

/* ---- the few backend primitives this file uses ----
 * These operations are a resident's journey ending, a few a minute at most: each statement
 * is prepared when used (bound parameters, never spliced SQL) and finalised after. */

/* Begins an immediate transaction on the writer, holding it. 0 or STORE_EIO. */
static int w_begin(struct sqlite_store *s)
{
    return sq_begin(s);
}

/* Commits (rc == 0) or rolls back, and lets the writer go. Returns rc, or STORE_EIO. */
static int w_end(struct sqlite_store *s, int rc)
{
    if (rc == 0)
        return sq_commit(s);
    sq_rollback(s);
    return rc;
}

static sqlite3 *w_db(struct sqlite_store *s)
{
    return s->w.db;
}

static int event(struct sqlite_store *s, int64_t at, const char *kind, const char *checkin_id,
                 const char *worker_id, const char *detail, const char *note, const char *actor)
{
    return sq_event(s, at, kind, checkin_id, worker_id, detail, note, actor);
}

/* Prepares sql on db: the statement, or NULL (logged). */
static sqlite3_stmt *prep(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        fprintf(stderr, "hubd: database error preparing a statement: %s\n", sqlite3_errmsg(db));
        sqlite3_finalize(st);
        return NULL;
    }
    return st;
}

/* Steps and finalises a statement that returns no rows. 0 or STORE_EIO; *changes (when not
 * NULL) tells how many rows it changed. */
static int run(sqlite3 *db, sqlite3_stmt *st, int *changes)
{
    if (!st)
        return STORE_EIO;
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (changes)
        *changes = sqlite3_changes(db);
    return rc == SQLITE_DONE ? 0 : STORE_EIO;
}

static void col_copy(sqlite3_stmt *q, int i, char *out, size_t cap)
{
    const unsigned char *t = sqlite3_column_text(q, i);
    snprintf(out, cap, "%s", t ? (const char *)t : "");
}

/* Column i as text, "" for NULL. */
static const char *colt(sqlite3_stmt *q, int i)
{
    const unsigned char *t = sqlite3_column_text(q, i);
    return t ? (const char *)t : "";
}

/* Fills r from the BOARD_COLS of q. 0 or STORE_EIO (no memory). */
static int row_fill(sqlite3_stmt *q, struct board_row *r)
{
    bool oom = false;
    memset(r, 0, sizeof(*r));
    col_copy(q, 0, r->id, sizeof(r->id));
    col_copy(q, 1, r->ticket, sizeof(r->ticket));
    r->worker_id = sq_dup(q, 2, &oom);
    r->lang = sq_dup(q, 3, &oom);
    r->needs = sq_dup(q, 4, &oom);
    r->domains = sq_dup(q, 5, &oom);
    r->chosen_by = sq_dup(q, 6, &oom);
    r->name = sq_dup(q, 7, &oom);
    r->text = sq_dup(q, 8, &oom);
    r->urgent = sqlite3_column_int(q, 9) != 0;
    r->created_ms = sqlite3_column_int64(q, 10);
    col_copy(q, 11, r->kiosk_ticket, sizeof(r->kiosk_ticket));
    r->received_ms = sqlite3_column_int64(q, 12);
    return oom ? STORE_EIO : 0;
}

void store_row_release(struct board_row *b)
{
    free(b->worker_id);
    free(b->lang);
    free(b->needs);
    free(b->domains);
    free(b->chosen_by);
    free(b->name);
    free(b->text);
    memset(b, 0, sizeof(*b));
}

/* A check-in's state as the operations here need it. */
struct chk_state {
    char status[16], ticket[TICKET_MAX], left_by[16], worker[IDENT_MAX + 1], result[16];
    int64_t left_ms;
    bool follow_up;
};

/* 0, STORE_ENOTFOUND or STORE_EIO. */
static int state_get(sqlite3 *db, const char *id, struct chk_state *c)
{
    sqlite3_stmt *q = prep(db, "SELECT status, ticket, left_by, left_at, worker_id, outcome,"
                               " follow_up FROM checkins WHERE id = ?");
    if (!q)
        return STORE_EIO;
    sq_text(q, 1, id);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        col_copy(q, 0, c->status, sizeof(c->status));
        col_copy(q, 1, c->ticket, sizeof(c->ticket));
        col_copy(q, 2, c->left_by, sizeof(c->left_by));
        c->left_ms = sqlite3_column_int64(q, 3);
        col_copy(q, 4, c->worker, sizeof(c->worker));
        col_copy(q, 5, c->result, sizeof(c->result));
        c->follow_up = sqlite3_column_int(q, 6) != 0;
    }
    sqlite3_finalize(q);
    return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? STORE_ENOTFOUND : STORE_EIO;
}

/* Sets a waiting check-in's status to left (by "reception" or "day_end") at ms. */
static int mark_left(sqlite3 *db, const char *id, const char *by, int64_t ms, int *changed)
{
    sqlite3_stmt *q = prep(db, "UPDATE checkins SET status = 'left', left_at = ?2, left_by = ?3"
                               " WHERE id = ?1 AND status = 'waiting'");
    if (q) {
        sq_text(q, 1, id);
        sqlite3_bind_int64(q, 2, ms);
        sq_text(q, 3, by);
    }
    return run(db, q, changed);
}

/* ---- left, and its undo ---- */

static int left_do(struct sqlite_store *s, const char *id, bool undo, int64_t now,
                   const char *actor, struct left_info *out)
{
    sqlite3 *db = w_db(s);
    struct chk_state c;
    int changed = 0, rc = state_get(db, id, &c);
    if (rc < 0)
        return rc;
    snprintf(out->ticket, sizeof(out->ticket), "%s", c.ticket);
    const char *wid = c.worker[0] ? c.worker : NULL;
    if (!undo) {
        if (strcmp(c.status, "left") == 0) { /* a second tap, or a resend: the first stands */
            snprintf(out->left_by, sizeof(out->left_by), "%s", c.left_by);
            out->left_ms = c.left_ms;
            return 0;
        }
        if (strcmp(c.status, "waiting") != 0)
            return STORE_ECONFLICT;
        if (mark_left(db, id, "reception", now, &changed) < 0 || changed != 1)
            return STORE_EIO;
        snprintf(out->left_by, sizeof(out->left_by), "reception");
        out->left_ms = now;
        return event(s, now, "left", id, wid, "reception", NULL, actor);
    }
    snprintf(out->left_by, sizeof(out->left_by), "%s", c.left_by);
    if (strcmp(c.status, "left") != 0 || strcmp(c.left_by, "reception") != 0)
        return STORE_ECONFLICT; /* not left, or closed at the day's end: check in again */
    out->left_by[0] = '\0';
    sqlite3_stmt *q = prep(db, "UPDATE checkins SET status = 'waiting', left_at = NULL,"
                               " left_by = NULL WHERE id = ?1 AND status = 'left'");
    if (q)
        sq_text(q, 1, id);
    if (run(db, q, &changed) < 0 || changed != 1)
        return STORE_EIO;
    return event(s, now, "left_undone", id, wid, NULL, NULL, actor);
}

static int sq_left(struct store *st, const char *id, bool undo, int64_t now_ms, const char *actor,
                   struct left_info *out)
{
    struct sqlite_store *s = (struct sqlite_store *)st;
    memset(out, 0, sizeof(*out));
    if (w_begin(s) < 0)
        return STORE_EIO;
    return w_end(s, left_do(s, id, undo, now_ms, actor, out));
}

/* ---- call next ---- */

/* 0 when worker id exists, STORE_ENOTFOUND, or STORE_EIO. */
static int worker_exists(sqlite3 *db, const char *id)
{
    sqlite3_stmt *q = prep(db, "SELECT 1 FROM workers WHERE id = ?");
    if (!q)
        return STORE_EIO;
    sq_text(q, 1, id);
    int rc = sqlite3_step(q);
    sqlite3_finalize(q);
    return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? STORE_ENOTFOUND : STORE_EIO;
}

static int waiting_count(sqlite3 *db, const char *worker, int *n)
{
    sqlite3_stmt *q = prep(db, "SELECT count(*) FROM checkins WHERE status = 'waiting'"
                               " AND worker_id = ?");
    if (!q)
        return STORE_EIO;
    sq_text(q, 1, worker);
    int rc = sqlite3_step(q);
    *n = rc == SQLITE_ROW ? sqlite3_column_int(q, 0) : 0;
    sqlite3_finalize(q);
    return rc == SQLITE_ROW ? 0 : STORE_EIO;
}

static int next_do(struct sqlite_store *s, const char *worker, int64_t now, const char *actor,
                   struct board_row *out, bool *found, int *left)
{
    sqlite3 *db = w_db(s);
    int changed = 0, rc = worker_exists(db, worker);
    if (rc < 0)
        return rc;
    /* the board's order: urgent first, then as hubd received them (checkins_worker_line) */
    sqlite3_stmt *q = prep(db, "SELECT " BOARD_COLS " FROM checkins WHERE status = 'waiting'"
                               " AND worker_id = ?1 ORDER BY urgent DESC, received_at, rowid"
                               " LIMIT 1");
    if (!q)
        return STORE_EIO;
    sq_text(q, 1, worker);
    int step = sqlite3_step(q);
    if (step == SQLITE_ROW)
        rc = row_fill(q, out);
    sqlite3_finalize(q);
    if (step != SQLITE_ROW && step != SQLITE_DONE)
        return STORE_EIO;
    if (rc == 0 && step == SQLITE_ROW) {
        /* conditional on 'waiting': inside this immediate transaction it always holds, and
         * it would hold a second writer off all the same */
        q = prep(db, "UPDATE checkins SET status = 'introduced', introduced_at = ?2"
                     " WHERE id = ?1 AND status = 'waiting'");
        if (q) {
            sq_text(q, 1, out->id);
            sqlite3_bind_int64(q, 2, now);
        }
        rc = run(db, q, &changed);
        if (rc == 0 && changed != 1)
            rc = STORE_ECONFLICT;
        if (rc == 0)
            rc = event(s, now, "introduced", out->id, worker, "called", NULL, actor);
        out->introduced_ms = now;
        *found = rc == 0;
    }
    return rc < 0 ? rc : waiting_count(db, worker, left);
}

static int sq_next(struct store *st, const char *worker_id, int64_t now_ms, const char *actor,
                   struct board_row *out, bool *found, int *left)
{
    struct sqlite_store *s = (struct sqlite_store *)st;
    memset(out, 0, sizeof(*out));
    *found = false;
    *left = 0;
    int rc = w_begin(s);
    if (rc == 0)
        rc = w_end(s, next_do(s, worker_id, now_ms, actor, out, found, left));
    if (rc < 0 || !*found) {
        store_row_release(out);
        *found = false;
    }
    return rc;
}

/* ---- the worker's outcome ---- */

static int outcome_do(struct sqlite_store *s, const char *id, const char *only_worker,
                      const char *result, bool follow_up, int64_t now, const char *actor,
                      int *status)
{
    sqlite3 *db = w_db(s);
    struct chk_state c;
    int rc = state_get(db, id, &c);
    if (rc < 0)
        return rc;
    if (only_worker && strcmp(c.worker, only_worker) != 0)
        return STORE_EDENIED;
    if (strcmp(c.status, "introduced") != 0)
        return STORE_ECONFLICT;
    if (c.result[0] && strcmp(c.result, result) == 0 && c.follow_up == follow_up) {
        *status = 200;
        return 0;
    }
    *status = c.result[0] ? 200 : 201;
    sqlite3_stmt *q = prep(db, "UPDATE checkins SET outcome = ?2, follow_up = ?3, outcome_at = ?4"
                               " WHERE id = ?1");
    if (q) {
        sq_text(q, 1, id);
        sq_text(q, 2, result);
        sqlite3_bind_int(q, 3, follow_up);
        sqlite3_bind_int64(q, 4, now);
    }
    if (run(db, q, NULL) < 0)
        return STORE_EIO;
    return event(s, now, "outcome", id, c.worker[0] ? c.worker : NULL, result,
                 follow_up ? "follow_up" : NULL, actor);
}

static int sq_outcome(struct store *st, const char *id, const char *only_worker, const char *result,
                      bool follow_up, int64_t now_ms, const char *actor, int *status)
{
    struct sqlite_store *s = (struct sqlite_store *)st;
    *status = 0;
    if (w_begin(s) < 0)
        return STORE_EIO;
    return w_end(s, outcome_do(s, id, only_worker, result, follow_up, now_ms, actor, status));
}

/* ---- feedback ---- */

static int feedback_do(sqlite3 *db, const struct feedback *f, int64_t now, int *status)
{
    sqlite3_stmt *q = prep(db, "SELECT created_at, lang, answer FROM feedback WHERE id = ?");
    if (!q)
        return STORE_EIO;
    sq_text(q, 1, f->id);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        char lang[16], answer[16];
        int64_t created = sqlite3_column_int64(q, 0);
        col_copy(q, 1, lang, sizeof(lang));
        col_copy(q, 2, answer, sizeof(answer));
        bool same = created == f->created_ms && strcmp(lang, f->lang) == 0 &&
                    strcmp(answer, f->answer) == 0;
        *status = same ? 200 : 409;
    }
    sqlite3_finalize(q);
    if (rc != SQLITE_DONE)
        return rc == SQLITE_ROW ? 0 : STORE_EIO;
    q = prep(db, "INSERT INTO feedback (id, created_at, received_at, lang, answer)"
                 " VALUES (?, ?, ?, ?, ?)");
    if (q) {
        sq_text(q, 1, f->id);
        sqlite3_bind_int64(q, 2, f->created_ms);
        sqlite3_bind_int64(q, 3, now);
        sq_text(q, 4, f->lang);
        sq_text(q, 5, f->answer);
    }
    *status = 201;
    return run(db, q, NULL);
}

static int sq_feedback_put(struct store *st, const struct feedback *f, int64_t now_ms, int *status)
{
    struct sqlite_store *s = (struct sqlite_store *)st;
    *status = 0;
    if (w_begin(s) < 0)
        return STORE_EIO;
    return w_end(s, feedback_do(w_db(s), f, now_ms, status));
}

static int sq_feedback_scan(struct store *st, int64_t from_ms, int64_t to_ms, feedback_row_fn fn,
                            void *ctx)
{
    struct sqlite_store *s = (struct sqlite_store *)st;
    int rc = SQLITE_ERROR, out = 0;
    struct sq_conn *c = sq_reader(s); /* a read connection: never behind a write */
    sqlite3 *db = c->db;
    sqlite3_stmt *q = prep(db, "SELECT created_at, lang, answer FROM feedback"
                               " WHERE created_at >= ? AND created_at < ? ORDER BY created_at");
    if (q) {
        sqlite3_bind_int64(q, 1, from_ms);
        sqlite3_bind_int64(q, 2, to_ms);
        while ((rc = sqlite3_step(q)) == SQLITE_ROW)
            if ((out = fn(sqlite3_column_int64(q, 0), colt(q, 1), colt(q, 2), ctx)))
                break;
        sqlite3_finalize(q);
    }
    sq_reader_done(c);
    if (out)
        return out;
    return rc == SQLITE_DONE ? 0 : STORE_EIO;
}

/* ---- closing the day ---- */

#define CLOSE_BATCH 200

/* Closes up to CLOSE_BATCH residents; *more tells whether there may be others. */
static int close_batch(struct sqlite_store *s, int64_t before, int *n, bool *more)
{
    struct {
        char id[UUID_LEN + 1], worker[IDENT_MAX + 1];
        int64_t received;
    } batch[CLOSE_BATCH];
    sqlite3 *db = w_db(s);
    size_t k = 0;
    int rc = SQLITE_ERROR;
    sqlite3_stmt *q = prep(db, "SELECT id, received_at, worker_id FROM checkins"
                               " WHERE status = 'waiting' AND received_at < ? LIMIT 200");
    if (!q)
        return STORE_EIO;
    sqlite3_bind_int64(q, 1, before);
    while (k < CLOSE_BATCH && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        col_copy(q, 0, batch[k].id, sizeof(batch[k].id));
        batch[k].received = sqlite3_column_int64(q, 1);
        col_copy(q, 2, batch[k].worker, sizeof(batch[k].worker));
        k++;
    }
    sqlite3_finalize(q);
    if (k < CLOSE_BATCH && rc != SQLITE_DONE)
        return STORE_EIO;
    *more = k == CLOSE_BATCH;
    for (size_t i = 0; i < k; i++) {
        int64_t at = dayend_midnight(batch[i].received, 1) - 1; /* its day's last ms */
        int changed = 0;
        if (mark_left(db, batch[i].id, "day_end", at, &changed) < 0 ||
            event(s, at, "left", batch[i].id, batch[i].worker[0] ? batch[i].worker : NULL,
                  "day_end", NULL, "hubd") < 0)
            return STORE_EIO;
        *n += changed;
    }
    return 0;
}

/* Whether anyone received before before_ms still waits, asked on a read connection: the
 * check never waits behind a write, and the write below is taken only when needed. 1, 0 or
 * STORE_EIO. */
static int any_stale(struct sqlite_store *s, int64_t before_ms)
{
    int rc = SQLITE_ERROR;
    struct sq_conn *c = sq_reader(s);
    sqlite3_stmt *q = prep(c->db, "SELECT 1 FROM checkins WHERE status = 'waiting'"
                                  " AND received_at < ? LIMIT 1");
    if (q) {
        sqlite3_bind_int64(q, 1, before_ms);
        rc = sqlite3_step(q);
        sqlite3_finalize(q);
    }
    sq_reader_done(c);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : STORE_EIO;
}

static int sq_day_close(struct store *st, int64_t before_ms, int *n)
{
    struct sqlite_store *s = (struct sqlite_store *)st;
    *n = 0;
    int rc = any_stale(s, before_ms);
    if (rc <= 0)
        return rc;
    bool more = true;
    rc = 0;
    /* short transactions of CLOSE_BATCH each; bounded, a hub has never a million waiting */
    for (int round = 0; round < 5000 && more && rc == 0; round++) {
        more = false;
        rc = w_begin(s);
        if (rc == 0)
            rc = w_end(s, close_batch(s, before_ms, n, &more));
    }
    return rc;
}

/* ---- who a worker has seen ---- */

static int seen_rows(sqlite3 *db, const char *worker_id, int64_t since_ms, struct board_row **rows,
                     size_t *n)
{
    size_t cap = 0;
    int rc = SQLITE_ERROR, out = 0;
    sqlite3_stmt *q = prep(db, "SELECT " BOARD_COLS ", introduced_at, outcome, follow_up"
                               " FROM checkins WHERE status = 'introduced' AND introduced_at >= ?2"
                               " AND (?1 IS NULL OR worker_id = ?1)"
                               " ORDER BY introduced_at DESC LIMIT 200");
    if (!q)
        return STORE_EIO;
    sq_text(q, 1, worker_id);
    sqlite3_bind_int64(q, 2, since_ms);
    while (out == 0 && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        if (*n == cap) {
            size_t ncap = cap ? cap * 2 : 16;
            struct board_row *r = realloc(*rows, ncap * sizeof(*r));
            if (!r) {
                out = STORE_EIO;
                break;
            }
            *rows = r;
            cap = ncap;
        }
        struct board_row *b = &(*rows)[(*n)++];
        out = row_fill(q, b);
        b->introduced_ms = sqlite3_column_int64(q, 13);
        col_copy(q, 14, b->result, sizeof(b->result));
        b->follow_up = sqlite3_column_int(q, 15) != 0;
    }
    sqlite3_finalize(q);
    return out ? out : rc == SQLITE_DONE ? 0 : STORE_EIO;
}

static int sq_seen(struct store *st, const char *worker_id, int64_t since_ms,
                   struct board_row **rows, size_t *n)
{
    struct sqlite_store *s = (struct sqlite_store *)st;
    *rows = NULL;
    *n = 0;
    struct sq_conn *c = sq_reader(s);
    int rc = seen_rows(c->db, worker_id, since_ms, rows, n);
    sq_reader_done(c);
    if (rc < 0) {
        store_board_free(*rows, *n);
        *rows = NULL;
        *n = 0;
    }
    return rc;
}

static int sq_version(struct store *st, int64_t *out)
{
    struct sqlite_store *s = (struct sqlite_store *)st;
    int rc = SQLITE_ERROR;
    struct sq_conn *c = sq_reader(s); /* a read connection: never behind a write */
    sqlite3 *db = c->db;
    /* both maxima are a single index lookup; events and feedback only ever grow */
    sqlite3_stmt *q = prep(db, "SELECT (SELECT coalesce(max(seq), 0) FROM events),"
                               " (SELECT coalesce(max(rowid), 0) FROM feedback)");
    if (q && (rc = sqlite3_step(q)) == SQLITE_ROW)
        *out = sqlite3_column_int64(q, 0) * 1000003 + sqlite3_column_int64(q, 1);
    sqlite3_finalize(q);
    sq_reader_done(c);
    return rc == SQLITE_ROW ? 0 : STORE_EIO;
}

const struct store_outcome_ops SQ_OUTCOME_OPS = {
    .left = sq_left,
    .next = sq_next,
    .outcome = sq_outcome,
    .feedback_put = sq_feedback_put,
    .feedback_scan = sq_feedback_scan,
    .day_close = sq_day_close,
    .seen = sq_seen,
    .version = sq_version,
};
