/* store_pg_checkins.c — the PostgreSQL backend's check-in side: a batch of check-ins in one
 * transaction (replays found with one query, tickets taken at once, each row inserted
 * idempotently with its arrival event), the reception board, handovers, reassignments,
 * worker status, and the event scan reports are built from. */
#include "store_pg_int.h"

#include "proto/jsonv.h"
#include "stats.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define HANDOVERS_MAX 21 /* recent handovers a wait estimate looks at */

/* One line of the hub (a worker's, or reception's with worker ""), as a batch sees it. */
struct line {
    char worker[IDENT_MAX + 1];
    char status[16];
    int waiting, urgent;
    int64_t times[HANDOVERS_MAX]; /* recent handovers, newest first */
    size_t n_times;
};

struct batch {
    PGconn *c;
    const char *hub;
    struct line *lines; /* [0] is reception */
    size_t n_lines;
};

static struct line *line_find(struct batch *b, const char *worker)
{
    for (size_t i = 0; i < b->n_lines; i++)
        if (strcmp(b->lines[i].worker, worker ? worker : "") == 0)
            return &b->lines[i];
    return NULL;
}

/* The hub's lines: its workers' statuses, how many wait in each, their recent handovers. */
static int lines_load(struct batch *b, int64_t now_ms)
{
    struct pg_args a = {0};
    pa_text(&a, b->hub);
    PGresult *r = pg_run(b->c, P_WORKER_STATUSES, &a);
    if (!r)
        return STORE_EIO;
    int n = PQntuples(r);
    b->lines = calloc((size_t)n + 1, sizeof(*b->lines));
    if (!b->lines) {
        PQclear(r);
        return STORE_EIO;
    }
    snprintf(b->lines[0].status, sizeof(b->lines[0].status), "available");
    b->n_lines = 1;
    for (int i = 0; i < n; i++) {
        struct line *l = &b->lines[b->n_lines++];
        snprintf(l->worker, sizeof(l->worker), "%s", pg_col(r, i, 0));
        snprintf(l->status, sizeof(l->status), "%s", pg_col(r, i, 1));
    }
    PQclear(r);
    if (!(r = pg_run(b->c, P_LINE_COUNTS, &a)))
        return STORE_EIO;
    for (int i = 0; i < PQntuples(r); i++) {
        struct line *l = line_find(b, pg_col(r, i, 0));
        if (l) {
            l->waiting = (int)pg_int(r, i, 1);
            l->urgent = (int)pg_int(r, i, 2);
        }
    }
    PQclear(r);
    pa_int(&a, now_ms - 8 * 3600 * 1000LL);
    if (!(r = pg_run(b->c, P_HANDOVERS, &a)))
        return STORE_EIO;
    for (int i = 0; i < PQntuples(r); i++) {
        struct line *l = line_find(b, pg_col(r, i, 0));
        if (l && l->n_times < HANDOVERS_MAX)
            l->times[l->n_times++] = pg_int(r, i, 1);
    }
    PQclear(r);
    return 0;
}

/* Fills r from a stored check-in row (id, body_hash, ticket, position, wait_min, ticket_why) as a
 * replay (200) or a conflict (409). */
static void replay_fill(const PGresult *res, int i, const struct checkin *c,
                        struct checkin_result *r)
{
    char h[3][2 * SHA256_LEN + 1];
    const char *stored = pg_col(res, i, 1);
    hex_encode(c->hash, SHA256_LEN, h[0]);
    hex_encode(c->legacy_hash, SHA256_LEN, h[1]);
    hex_encode(c->coded_hash, SHA256_LEN, h[2]);
    bool same = !strcmp(stored, h[0]) || !strcmp(stored, h[1]) || !strcmp(stored, h[2]);
    r->status = same ? 200 : 409;
    snprintf(r->ticket, sizeof(r->ticket), "%s", pg_col(res, i, 2));
    r->position = (int)pg_int(res, i, 3);
    r->wait_min = (int)pg_int(res, i, 4);
    r->ticket_why = ticket_why_lookup(pg_col(res, i, 5));
    r->flags = checkin_flags_split(pg_col(res, i, 6));
    if (!same)
        snprintf(r->error, sizeof(r->error), "id: already used for a different check-in");
}

/* Marks every item of the batch stored already (by id) as a replay or a conflict; from
 * only this item when one is given (>= 0). */
static int find_stored(struct batch *b, struct checkin *const *items, size_t n,
                       struct checkin_result *out, long one)
{
    size_t cap = n * (UUID_LEN + 1) + 3;
    char *list = malloc(cap);
    if (!list)
        return STORE_EIO;
    size_t len = 0;
    list[len++] = '{';
    for (size_t i = 0; i < n; i++) {
        if (one >= 0 && (size_t)one != i)
            continue;
        if (len > 1)
            list[len++] = ',';
        memcpy(list + len, items[i]->id, strlen(items[i]->id)); /* [0-9a-f-]: no quoting */
        len += strlen(items[i]->id);
    }
    list[len++] = '}';
    list[len] = '\0';
    struct pg_args a = {0};
    pa_text(&a, b->hub);
    pa_text(&a, list);
    PGresult *r = pg_run(b->c, P_CHK_GET_MANY, &a);
    free(list);
    if (!r)
        return STORE_EIO;
    for (int k = 0; k < PQntuples(r); k++)
        for (size_t i = 0; i < n; i++)
            if ((one < 0 || (size_t)one == i) && !strcmp(items[i]->id, pg_col(r, k, 0)))
                replay_fill(r, k, items[i], &out[i]);
    PQclear(r);
    return 0;
}

/* Day of now_ms in the hub's local time (the process TZ), e.g. "2025-03-14", and the local
 * midnight that began it (ms since the epoch) into *start when not NULL. */
static void local_day(int64_t now_ms, char *out, size_t cap, int64_t *start)
{
    time_t t = (time_t)(now_ms / 1000);
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(out, cap, "%Y-%m-%d", &tm);
    tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
    tm.tm_isdst = -1;
    if (start)
        *start = (int64_t)mktime(&tm) * 1000;
}

/* Takes k ticket numbers of today at once: the first into *first. */
static int tickets_take(struct batch *b, int64_t now_ms, long k, long *first)
{
    char day[16];
    local_day(now_ms, day, sizeof(day), NULL);
    struct pg_args a = {0};
    pa_text(&a, b->hub);
    pa_text(&a, day);
    pa_int(&a, k);
    PGresult *r = pg_run(b->c, P_TICKETS_TAKE, &a);
    if (!r)
        return STORE_EIO;
    long last = PQntuples(r) == 1 ? (long)pg_int(r, 0, 0) : 0;
    PQclear(r);
    *first = last - k + 1;
    return last >= k ? 0 : STORE_EIO;
}

static int insert_one(struct batch *b, const struct checkin *c, int64_t now_ms,
                      const struct checkin_result *r, int *inserted)
{
    char needs[1024], domains[64], flags[128];
    if (jv_join(c->needs, c->n_needs, needs, sizeof(needs)) < 0 ||
        jv_join(c->domains, c->n_domains, domains, sizeof(domains)) < 0 ||
        checkin_flags_join(c->flags, flags, sizeof(flags)) < 0)
        return STORE_EIO;
    struct pg_args a = {0};
    pa_text(&a, b->hub);
    pa_text(&a, c->id);
    pa_hash(&a, c->hash);
    pa_int(&a, c->created_ms);
    pa_int(&a, now_ms);
    pa_text(&a, c->lang);
    pa_text(&a, needs);
    pa_text(&a, domains);
    pa_int(&a, c->urgent);
    pa_text(&a, c->has_worker ? c->worker_id : NULL);
    pa_text(&a, c->chosen_by);
    pa_text(&a, c->name);
    pa_text(&a, c->consent ? c->text : NULL);
    pa_int(&a, c->consent);
    pa_text(&a, r->ticket);
    pa_int(&a, r->position);
    pa_int(&a, r->wait_min);
    pa_text(&a, c->kiosk_ticket[0] ? c->kiosk_ticket : NULL);
    pa_hash(&a, c->coded_hash);
    pa_text(&a, c->actor && *c->actor ? c->actor : "hubd");
    pa_text(&a, r->ticket_why);
    pa_text(&a, c->flags ? flags : NULL);
    return pg_do(b->c, P_CHK_INS, &a, inserted);
}

/* An earlier item of this batch with the same id: its result stands for this one too. */
static bool same_in_batch(struct checkin *const *items, size_t i, struct checkin_result *out)
{
    for (size_t j = 0; j < i; j++) {
        if (strcmp(items[j]->id, items[i]->id) != 0 || out[j].status != 201)
            continue;
        bool same = memcmp(items[j]->hash, items[i]->hash, SHA256_LEN) == 0;
        out[i] = out[j];
        out[i].status = same ? 200 : 409;
        if (!same)
            snprintf(out[i].error, sizeof(out[i].error),
                     "id: already used for a different check-in");
        return true;
    }
    return false;
}

/* Which waiting items' kiosk tickets hubd cannot adopt, into why[i] (NULL: adopt it): not
 * adoptable as sent, already some resident's today, or an earlier item's in this batch.
 * pending[i]: the item is still to be stored. */
static int tickets_check(struct batch *b, struct checkin *const *items, size_t n,
                         const bool *pending, const char **why, int64_t now_ms)
{
    char day[16];
    int64_t start;
    size_t cap = n * (TICKET_LEN_MAX + 1) + 3, len = 0;
    char *list = malloc(cap);
    if (!list)
        return STORE_EIO;
    list[len++] = '{';
    for (size_t i = 0; i < n; i++) {
        why[i] = pending[i] ? checkin_ticket_refusal(items[i]) : NULL;
        for (size_t j = 0; pending[i] && !why[i] && j < i; j++)
            if (pending[j] && !why[j] && strcmp(items[j]->id, items[i]->id) != 0 &&
                strcmp(items[j]->kiosk_ticket, items[i]->kiosk_ticket) == 0)
                why[i] = TICKET_WHY_CLASH;
        if (!pending[i] || why[i])
            continue;
        if (len > 1)
            list[len++] = ',';
        memcpy(list + len, items[i]->kiosk_ticket, strlen(items[i]->kiosk_ticket)); /* [A-Z0-9-] */
        len += strlen(items[i]->kiosk_ticket);
    }
    list[len++] = '}';
    list[len] = '\0';
    local_day(now_ms, day, sizeof(day), &start);
    struct pg_args a = {0};
    pa_text(&a, b->hub);
    pa_text(&a, list);
    pa_int(&a, start);
    PGresult *r = len > 2 ? pg_run(b->c, P_TICKETS_TAKEN, &a) : NULL;
    free(list);
    if (len > 2 && !r)
        return STORE_EIO;
    for (int k = 0; r && k < PQntuples(r); k++)
        for (size_t i = 0; i < n; i++)
            if (pending[i] && !why[i] && !strcmp(items[i]->kiosk_ticket, pg_col(r, k, 0)))
                why[i] = TICKET_WHY_CLASH;
    PQclear(r);
    return 0;
}

static int put_batch(struct batch *b, struct checkin *const *items, size_t n,
                     struct checkin_result *out, int64_t now_ms, bool *pending, const char **why)
{
    long k = 0, next = 0;
    int rc = find_stored(b, items, n, out, -1);
    if (rc == 0)
        rc = lines_load(b, now_ms);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        pending[i] = false;
        if (out[i].status)
            continue;
        if (items[i]->has_worker && !line_find(b, items[i]->worker_id)) {
            /* a worker since removed, or one this hub never had: reception */
            items[i]->has_worker = false;
            items[i]->worker_id[0] = '\0';
            items[i]->flags |= CHECKIN_WORKER_UNKNOWN;
        }
        pending[i] = true;
        out[i].flags = items[i]->flags;
    }
    if (rc == 0)
        rc = tickets_check(b, items, n, pending, why, now_ms);
    for (size_t i = 0; rc == 0 && i < n; i++)
        k += pending[i] && why[i];
    if (rc == 0 && k > 0)
        rc = tickets_take(b, now_ms, k, &next);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        const struct checkin *c = items[i];
        struct checkin_result *r = &out[i];
        if (r->status || same_in_batch(items, i, out))
            continue;
        struct line *l = line_find(b, c->has_worker ? c->worker_id : NULL);
        int64_t times[HANDOVERS_MAX];
        int ahead = c->urgent ? l->urgent : l->waiting, inserted = 0;
        memcpy(times, l->times, l->n_times * sizeof(times[0]));
        r->ticket_why = why[i];
        if (!why[i])
            snprintf(r->ticket, sizeof(r->ticket), "%s", c->kiosk_ticket);
        else if (checkin_own_ticket(c, next++, r->ticket, sizeof(r->ticket)) < 0)
            return STORE_EIO;
        r->position = ahead;
        r->wait_min =
            stats_wait_estimate(ahead, stats_service_min(times, l->n_times), l->status, c->urgent);
        if ((rc = insert_one(b, c, now_ms, r, &inserted)) < 0)
            break;
        if (inserted == 1) {
            r->status = 201;
            l->waiting++;
            l->urgent += c->urgent;
        } else { /* the same id stored meanwhile through another hubd */
            memset(r, 0, sizeof(*r));
            rc = find_stored(b, items, n, out, (long)i);
            if (rc == 0 && !r->status)
                rc = STORE_EIO;
        }
    }
    return rc;
}

/* One hub's batch waiting for the next shared transaction (see pg_checkins_put). */
struct put_req {
    char hub[IDENT_MAX + 1];
    struct checkin *const *items;
    size_t n;
    struct checkin_result *out;
    int64_t now_ms;
    int rc;
    bool done;
    struct put_req *next;
};

static int req_cmp(const void *a, const void *b)
{
    return strcmp((*(struct put_req *const *)a)->hub, (*(struct put_req *const *)b)->hub);
}

/* Stores every request of list in one transaction, hub by hub in id order (so that two hubd
 * doing the same take the hubs' ticket rows in the same order). Sets each one's rc. */
static void put_round(struct pg_store *s, struct put_req *list)
{
    struct put_req *v[PG_ROUND_MAX];
    size_t k = 0;
    for (struct put_req *q = list; q && k < PG_ROUND_MAX; q = q->next)
        v[k++] = q;
    qsort(v, k, sizeof(v[0]), req_cmp);
    int rc = STORE_EIO;
    PGconn *c = pg_begin(s);
    for (size_t i = 0; c && i < k; i++) {
        struct batch b = {.c = c, .hub = v[i]->hub};
        memset(v[i]->out, 0, v[i]->n * sizeof(*v[i]->out));
        bool *pending = calloc(v[i]->n ? v[i]->n : 1, sizeof(*pending));
        const char **why = calloc(v[i]->n ? v[i]->n : 1, sizeof(*why));
        rc = pending && why
                 ? put_batch(&b, v[i]->items, v[i]->n, v[i]->out, v[i]->now_ms, pending, why)
                 : STORE_EIO;
        free(pending);
        free(why);
        free(b.lines);
        if (rc < 0)
            break;
    }
    if (c)
        rc = pg_end(s, c, rc);
    for (size_t i = 0; i < k; i++)
        v[i]->rc = rc;
}

/* Group commit across hubs: each hub's committer hands its batch in; up to PG_ROUNDS
 * callers at a time (per process) each store everything handed in so far in one
 * transaction, so many hubs' check-ins share one commit and its flush, and the others wait
 * for their answer. */
int pg_checkins_put(struct store *st, struct checkin *const *items, size_t n,
                    struct checkin_result *out, int64_t now_ms)
{
    struct pg_store *s = (struct pg_store *)st, *root = s->root;
    struct put_req me = {.items = items, .n = n, .out = out, .now_ms = now_ms};
    pg_hub(s, me.hub);
    pthread_mutex_lock(&root->put_lock);
    me.next = root->put_queue;
    root->put_queue = &me;
    while (!me.done) {
        if (root->put_leaders >= PG_ROUNDS || !root->put_queue) {
            pthread_cond_wait(&root->put_done, &root->put_lock);
            continue;
        }
        /* lead a round with what is waiting: each hub's committer has one batch out at a
         * time, so every one fits (PG_ROUND_MAX >= PG_HUBS_MAX + 1) */
        struct put_req *list = root->put_queue, *rest = list;
        for (size_t i = 0; rest && i + 1 < PG_ROUND_MAX; i++)
            rest = rest->next;
        root->put_queue = rest ? rest->next : NULL;
        if (rest)
            rest->next = NULL;
        root->put_leaders++;
        pthread_mutex_unlock(&root->put_lock);
        put_round(root, list);
        pthread_mutex_lock(&root->put_lock);
        for (struct put_req *q = list; q; q = q->next)
            q->done = true;
        root->put_leaders--;
        pthread_cond_broadcast(&root->put_done);
    }
    pthread_mutex_unlock(&root->put_lock);
    if (me.rc < 0) {
        for (size_t i = 0; i < n; i++) {
            memset(&out[i], 0, sizeof(out[i]));
            out[i].status = 503;
            snprintf(out[i].error, sizeof(out[i].error), "storage unavailable, retry");
        }
    }
    return me.rc;
}

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
