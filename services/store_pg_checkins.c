/* store_pg_checkins.c — the PostgreSQL backend's check-in side after storing (which is
 * store_pg_put.c): the reception board, handovers, reassignments, worker status, and the
 * event scan reports are built from. */
#include "store_pg_int.h"

#include "proto/jsonv.h"
#include "stats.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static bool same_line(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* Positions of the page's rows in their lines (inside the caller's snapshot); as in the
 * SQLite backend, only each worker's first row on the page is counted. */
static int board_positions(PGconn *c, const char *hub, struct board_row *rows, const int64_t *seqs,
                           size_t n)
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
        struct pg_args a = {0};
        pa_text(&a, hub);
        pa_text(&a, rows[i].worker_id);
        pa_int(&a, rows[i].urgent);
        pa_int(&a, rows[i].received_ms);
        pa_int(&a, seqs[i]);
        PGresult *r = pg_run(c, P_BOARD_AHEAD, &a);
        if (!r)
            return STORE_EIO;
        rows[i].position = (int)pg_int(r, 0, 0);
        PQclear(r);
    }
    return 0;
}

static int board_rows(PGconn *c, const char *hub, const struct board_query *q,
                      struct board_row **rows, size_t *n)
{
    struct pg_args a = {0};
    pa_text(&a, hub);
    pa_text(&a, q->worker_id);
    if (q->after) {
        struct pg_args f = {0};
        pa_text(&f, hub);
        pa_text(&f, q->after);
        PGresult *r = pg_run(c, P_BOARD_AFTER, &f);
        if (!r)
            return STORE_EIO;
        if (PQntuples(r) != 1) {
            PQclear(r);
            return STORE_ENOTFOUND;
        }
        for (int k = 0; k < 3; k++)
            pa_int(&a, pg_int(r, 0, k));
        PQclear(r);
    } else {
        pa_text(&a, NULL);
        pa_text(&a, NULL);
        pa_text(&a, NULL);
    }
    pa_int(&a, (int64_t)q->limit);
    PGresult *r = pg_run(c, P_BOARD, &a);
    if (!r)
        return STORE_EIO;
    int rc = 0, m = PQntuples(r);
    int64_t *seqs = m ? calloc((size_t)m, sizeof(*seqs)) : NULL;
    *rows = m ? calloc((size_t)m, sizeof(**rows)) : NULL;
    if (m && (!seqs || !*rows))
        rc = STORE_EIO;
    for (int i = 0; rc == 0 && i < m; i++) {
        seqs[i] = pg_int(r, i, 13);
        rc = pg_board_row(r, i, &(*rows)[i]);
        (*rows)[i].flags = checkin_flags_split(pg_col(r, i, 14));
        *n = (size_t)i + 1;
    }
    PQclear(r);
    if (rc == 0)
        rc = board_positions(c, hub, *rows, seqs, *n);
    free(seqs);
    return rc;
}

int pg_board(struct store *st, const struct board_query *q, struct board_row **rows, size_t *n,
             size_t *total)
{
    struct pg_store *s = (struct pg_store *)st;
    char hub[IDENT_MAX + 1];
    pg_hub(s, hub);
    *rows = NULL;
    *n = 0;
    *total = 0;
    PGconn *c = pg_get(s);
    if (!c)
        return STORE_EIO;
    /* the page and the total from one snapshot */
    int rc = pg_cmd(c, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    if (rc == 0)
        rc = board_rows(c, hub, q, rows, n);
    if (rc == 0) {
        struct pg_args a = {0};
        pa_text(&a, hub);
        pa_text(&a, q->worker_id);
        PGresult *r = pg_run(c, P_BOARD_TOTAL, &a);
        if (r)
            *total = (size_t)pg_int(r, 0, 0);
        else
            rc = STORE_EIO;
        PQclear(r);
    }
    pg_cmd(c, PQtransactionStatus(c) == PQTRANS_INERROR ? "ROLLBACK" : "COMMIT");
    pg_put(s, c);
    if (rc < 0) {
        store_board_free(*rows, *n);
        *rows = NULL;
        *n = 0;
    }
    return rc;
}

/* Locks a check-in and reads its status, worker and ticket: 0, STORE_ENOTFOUND or EIO. */
static int checkin_state(PGconn *c, const char *hub, const char *id, bool *waiting,
                         struct handover_info *info)
{
    struct pg_args a = {0};
    pa_text(&a, hub);
    pa_text(&a, id);
    PGresult *r = pg_run(c, P_CHK_STATE, &a);
    if (!r)
        return STORE_EIO;
    int rc = PQntuples(r) == 1 ? 0 : STORE_ENOTFOUND;
    if (rc == 0) {
        *waiting = strcmp(pg_col(r, 0, 0), "waiting") == 0;
        snprintf(info->worker_id, sizeof(info->worker_id), "%s", pg_col(r, 0, 1));
        snprintf(info->ticket, sizeof(info->ticket), "%s", pg_col(r, 0, 2));
    }
    PQclear(r);
    return rc;
}

/* Reads (and locks) worker id's status and desk: 1 found, 0 unknown, STORE_EIO. */
static int worker_row(PGconn *c, const char *hub, const char *id, char *status, size_t scap,
                      char *desk, size_t dcap)
{
    struct pg_args a = {0};
    pa_text(&a, hub);
    pa_text(&a, id);
    PGresult *r = pg_run(c, P_WORKER_ROW, &a);
    if (!r)
        return STORE_EIO;
    int found = PQntuples(r) == 1;
    if (found) {
        snprintf(status, scap, "%s", pg_col(r, 0, 0));
        snprintf(desk, dcap, "%s", pg_col(r, 0, 1));
    }
    PQclear(r);
    return found;
}

/* What handover and reassign check inside their transaction: the check-in is waiting and
 * the target worker exists. Fills info with its ticket and current worker. */
static int change_waiting(PGconn *c, const char *hub, const char *id, const char *worker_id,
                          struct handover_info *info)
{
    bool waiting = false;
    char status[16], desk[HDIR_DESK_MAX + 1];
    int rc = checkin_state(c, hub, id, &waiting, info);
    if (rc < 0)
        return rc;
    if (!waiting)
        return STORE_ECONFLICT;
    if (worker_id) {
        rc = worker_row(c, hub, worker_id, status, sizeof(status), desk, sizeof(desk));
        if (rc <= 0)
            return rc < 0 ? rc : STORE_EINVAL;
    }
    return 0;
}

int pg_handover(struct store *st, const char *id, const char *worker_id, int64_t now_ms,
                const char *actor, struct handover_info *out)
{
    struct pg_store *s = (struct pg_store *)st;
    char hub[IDENT_MAX + 1];
    pg_hub(s, hub);
    PGconn *c = pg_begin(s);
    if (!c)
        return STORE_EIO;
    int rc = change_waiting(c, hub, id, worker_id, out);
    if (rc == 0 && worker_id)
        snprintf(out->worker_id, sizeof(out->worker_id), "%s", worker_id);
    const char *wid = out->worker_id[0] ? out->worker_id : NULL;
    if (rc == 0) {
        struct pg_args a = {0};
        pa_text(&a, hub);
        pa_text(&a, id);
        pa_int(&a, now_ms);
        pa_text(&a, wid);
        rc = pg_do(c, P_CHK_INTRODUCE, &a, NULL);
    }
    if (rc == 0)
        rc = pg_event(c, hub, now_ms, "introduced", id, wid, NULL, NULL, actor);
    return pg_end(s, c, rc);
}

int pg_reassign(struct store *st, const char *id, const char *worker_id, const char *reason,
                int64_t now_ms, const char *actor)
{
    struct pg_store *s = (struct pg_store *)st;
    struct handover_info prev;
    char hub[IDENT_MAX + 1];
    pg_hub(s, hub);
    PGconn *c = pg_begin(s);
    if (!c)
        return STORE_EIO;
    int rc = change_waiting(c, hub, id, worker_id, &prev);
    if (rc == 0) {
        struct pg_args a = {0};
        pa_text(&a, hub);
        pa_text(&a, id);
        pa_text(&a, worker_id);
        rc = pg_do(c, P_CHK_REASSIGN, &a, NULL);
    }
    if (rc == 0)
        rc = pg_event(c, hub, now_ms, "reassigned", id, worker_id,
                      prev.worker_id[0] ? prev.worker_id : NULL, reason, actor);
    return pg_end(s, c, rc);
}

static int worker_apply(PGconn *c, const char *hub, const char *id, const char *status,
                        const char *desk, int64_t now_ms, const char *actor, bool *changed)
{
    char old_status[16], old_desk[HDIR_DESK_MAX + 1];
    int rc = worker_row(c, hub, id, old_status, sizeof(old_status), old_desk, sizeof(old_desk));
    if (rc <= 0)
        return rc < 0 ? rc : STORE_ENOTFOUND;
    bool new_status = status && strcmp(status, old_status) != 0;
    bool new_desk = desk && strcmp(desk, old_desk) != 0;
    *changed = new_status || new_desk;
    if (!*changed)
        return 0;
    struct pg_args a = {0};
    pa_text(&a, hub);
    pa_text(&a, id);
    pa_text(&a, new_status ? status : old_status);
    pa_text(&a, new_desk ? desk : old_desk);
    if (pg_do(c, P_WORKER_SET, &a, NULL) < 0)
        return STORE_EIO;
    if (new_status && pg_event(c, hub, now_ms, "status_changed", NULL, id, status, NULL, actor) < 0)
        return STORE_EIO;
    if (new_desk && pg_event(c, hub, now_ms, "desk_changed", NULL, id, desk, NULL, actor) < 0)
        return STORE_EIO;
    return 0;
}

int pg_worker_update(struct store *st, const char *id, const char *status, const char *desk,
                     int64_t now_ms, const char *actor, bool *changed)
{
    struct pg_store *s = (struct pg_store *)st;
    char hub[IDENT_MAX + 1];
    pg_hub(s, hub);
    *changed = false;
    PGconn *c = pg_begin(s);
    if (!c)
        return STORE_EIO;
    return pg_end(s, c, worker_apply(c, hub, id, status, desk, now_ms, actor, changed));
}

/* Column i of row k, NULL for SQL NULL. */
static const char *col_or_null(const PGresult *r, int k, int i)
{
    return PQgetisnull(r, k, i) ? NULL : PQgetvalue(r, k, i);
}

int pg_report_scan(struct store *st, int64_t from_ms, int64_t to_ms, report_row_fn fn, void *ctx)
{
    struct pg_store *s = (struct pg_store *)st;
    struct pg_args a = {0};
    pa_hub(&a, s);
    pa_int(&a, from_ms);
    pa_int(&a, to_ms);
    PGresult *q = pg_once(s, P_REPORT, &a);
    if (!q)
        return STORE_EIO;
    int out = 0;
    for (int k = 0; k < PQntuples(q) && !out; k++) {
        struct report_row r = {
            .arrived_ms = pg_int(q, k, 0),
            .lang = pg_col(q, k, 1),
            .needs = pg_col(q, k, 2),
            .domains = pg_col(q, k, 3),
            .worker_id = col_or_null(q, k, 4),
            .chosen_by = pg_col(q, k, 5),
            .urgent = pg_int(q, k, 6) != 0,
            .status = pg_col(q, k, 7),
            .introduced_ms = pg_null(q, k, 8) ? -1 : pg_int(q, k, 8),
            .reassigned = (int)pg_int(q, k, 9),
            .result = col_or_null(q, k, 10),
            .follow_up = pg_int(q, k, 11) != 0,
            .left_by = col_or_null(q, k, 12),
        };
        out = fn(&r, ctx);
    }
    PQclear(q);
    return out;
}
