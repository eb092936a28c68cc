/* store_pg.c — the PostgreSQL backend (libpq): a small pool of connections, each with every
 * statement prepared, numbered migrations under an advisory lock, reconnection after the
 * server went away, and /health. Every row carries its hub; every query names it. */
#include "store_pg_int.h"

#include "migrations.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define HEALTH_EVERY_MS 1000 /* one probe a second at most */

/* The columns a board row is read from (pg_board_row), in this order. */
#define BOARD_COLS                                                                                 \
    "id, ticket, worker_id, lang, needs, domains, chosen_by, name, text, urgent, created_at,"      \
    " kiosk_ticket, received_at"

static const char *const SQL[P_COUNT] = {
    [P_HUB_GET] = "SELECT id, name, timezone FROM hubs WHERE id = $1",
    [P_HUB_ONLY] = "SELECT id FROM hubs ORDER BY created_at, id LIMIT 2",
    [P_WORKERS_GET] = "SELECT w.id, w.name, w.role, w.desk, w.domains, w.needs, w.languages,"
                      " w.duty, w.status, (SELECT count(*) FROM checkins c"
                      " WHERE c.hub_id = w.hub_id AND c.status = 'waiting'"
                      " AND c.worker_id = w.id), w.desk_cy FROM workers w WHERE w.hub_id = $1"
                      " ORDER BY w.ord",
    [P_HUB_INS] = "INSERT INTO hubs (id, name, timezone, created_at) VALUES ($1, $2, $3, $4)"
                  " ON CONFLICT (id) DO NOTHING",
    [P_WORKER_INS] = "INSERT INTO workers (hub_id, id, ord, name, role, desk, domains, needs,"
                     " languages, duty, status, desk_cy) VALUES ($1, $2, $3, $4, $5, $6, $7, $8,"
                     " $9, $10, $11, $12)",
    /* a round of check-ins (store_pg_put.c), whatever hubs it holds: arrays side by side */
    /* one index look-up per element (LATERAL: never a scan of every hub's check-ins) */
    [P_PUT_FIND] = "SELECT c.hub_id, c.id, c.body_hash, c.ticket, c.position, c.wait_min,"
                   " c.ticket_why, c.flags FROM unnest($1::text[], $2::text[]) AS q (hub, id),"
                   " LATERAL (SELECT * FROM checkins k WHERE k.hub_id = q.hub AND k.id = q.id)"
                   " AS c",
    [P_PUT_TAKEN] = "SELECT DISTINCT q.hub, q.ticket FROM unnest($1::text[], $2::text[],"
                    " $3::bigint[]) AS q (hub, ticket, since), LATERAL (SELECT 1 FROM checkins k"
                    " WHERE k.hub_id = q.hub AND k.ticket = q.ticket AND k.received_at >= q.since"
                    " LIMIT 1) AS c",
    [P_WORKER_STATUSES] = "SELECT id, status FROM workers WHERE hub_id = $1",
    /* the hubs' lines: 0 a worker's status, 1 how many wait (and how many of them urgent)
     * in each line, 2 each line's recent handovers, newest first */
    [P_PUT_LINES] = "SELECT 0 AS k, hub_id, id AS w, status, 0::bigint AS n, 0::bigint"
                    " FROM workers WHERE hub_id = ANY ($1::text[])"
                    " UNION ALL SELECT 1, hub_id, worker_id, '', waiting, urgent"
                    " FROM line_counts WHERE hub_id = ANY ($1::text[])"
                    " UNION ALL SELECT 2, hub_id, w, '', at, 0 FROM (SELECT hub_id,"
                    " coalesce(worker_id, '') AS w, at, row_number() OVER (PARTITION BY hub_id,"
                    " worker_id ORDER BY at DESC) AS r FROM events WHERE hub_id = ANY ($1::text[])"
                    " AND kind = 'introduced' AND at > $2) x WHERE r <= 21"
                    " ORDER BY 1, 2, 3, 5 DESC",
    /* k numbers for each (hub, day) at once, hubs in id order (two hubd lock them alike) */
    [P_PUT_TAKE] = "INSERT INTO ticket_days (hub_id, day, last) SELECT hub, day, k"
                   " FROM unnest($1::text[], $2::text[], $3::bigint[]) AS q (hub, day, k)"
                   " ORDER BY hub, day ON CONFLICT (hub_id, day) DO UPDATE"
                   " SET last = ticket_days.last + excluded.last RETURNING hub_id, day, last",
    /* idempotent by (hub, id), one ticket per hub and day: a row that would break either
     * is not inserted (and nothing logged for it); the caller looks at what came back */
    [P_PUT_INS] =
        "WITH v AS (SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[],"
        " $5::bigint[], $6::text[], $7::text[], $8::text[], $9::int[], $10::text[], $11::text[],"
        " $12::text[], $13::text[], $14::int[], $15::text[], $16::int[], $17::int[], $18::text[],"
        " $19::text[], $20::text[], $21::text[], $22::text[], $23::text[]) WITH ORDINALITY"
        " AS v (hub_id, id, body_hash, created_at, received_at, lang, needs, domains, urgent,"
        " worker_id, chosen_by, name, text, consent, ticket, position, wait_min, kiosk_ticket,"
        " coded_hash, actor, ticket_why, flags, day, ord)),"
        " c AS (INSERT INTO checkins (hub_id, id, body_hash, created_at, received_at, lang,"
        " needs, domains, urgent, worker_id, chosen_by, name, text, consent, status, ticket,"
        " position, wait_min, kiosk_ticket, coded_hash, ticket_why, flags, day)"
        " SELECT hub_id, id, body_hash, created_at, received_at, lang, needs, domains, urgent,"
        " worker_id, chosen_by, name, text, consent, 'waiting', ticket, position, wait_min,"
        " kiosk_ticket, coded_hash, ticket_why, flags, day FROM v ORDER BY ord"
        " ON CONFLICT DO NOTHING RETURNING hub_id, id),"
        " e AS (INSERT INTO events (hub_id, at, kind, checkin_id, worker_id, detail, actor)"
        " SELECT v.hub_id, v.received_at, 'arrived', v.id, v.worker_id, v.chosen_by, v.actor"
        " FROM v JOIN c ON c.hub_id = v.hub_id AND c.id = v.id ORDER BY v.ord)"
        " SELECT hub_id, id FROM c",
    [P_BOARD] = "SELECT " BOARD_COLS ", seq, flags FROM checkins WHERE hub_id = $1"
                " AND status = 'waiting' AND ($2::text IS NULL OR worker_id = $2)"
                " AND ($3::int IS NULL OR urgent < $3 OR (urgent = $3 AND (received_at > $4"
                " OR (received_at = $4 AND seq > $5))))"
                " ORDER BY urgent DESC, received_at, seq LIMIT $6",
    [P_BOARD_AHEAD] = "SELECT count(*) FROM checkins WHERE hub_id = $1 AND status = 'waiting'"
                      " AND worker_id IS NOT DISTINCT FROM $2 AND (urgent > $3 OR (urgent = $3"
                      " AND (received_at < $4 OR (received_at = $4 AND seq < $5))))",
    [P_BOARD_TOTAL] = "SELECT count(*) FROM checkins WHERE hub_id = $1 AND status = 'waiting'"
                      " AND ($2::text IS NULL OR worker_id = $2)",
    [P_BOARD_AFTER] = "SELECT urgent, received_at, seq FROM checkins WHERE hub_id = $1"
                      " AND id = $2",
    [P_CHK_STATE] = "SELECT status, worker_id, ticket FROM checkins WHERE hub_id = $1"
                    " AND id = $2 FOR UPDATE",
    [P_CHK_INTRODUCE] = "UPDATE checkins SET status = 'introduced', introduced_at = $3,"
                        " worker_id = $4 WHERE hub_id = $1 AND id = $2",
    [P_CHK_REASSIGN] = "UPDATE checkins SET worker_id = $3 WHERE hub_id = $1 AND id = $2",
    [P_WORKER_ROW] = "SELECT status, desk FROM workers WHERE hub_id = $1 AND id = $2 FOR UPDATE",
    [P_WORKER_SET] = "UPDATE workers SET status = $3, desk = $4 WHERE hub_id = $1 AND id = $2",
    [P_EVENT_INS] = "INSERT INTO events (hub_id, at, kind, checkin_id, worker_id, detail, note,"
                    " actor) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    /* arrivals by when hubd received them (a kiosk's clock may be anything) */
    [P_REPORT] = "SELECT c.received_at, c.lang, c.needs, c.domains, c.worker_id, c.chosen_by,"
                 " c.urgent, c.status, (SELECT min(i.at) FROM events i"
                 "   WHERE i.hub_id = c.hub_id AND i.checkin_id = c.id AND i.kind = 'introduced'),"
                 " (SELECT count(*) FROM events r WHERE r.hub_id = c.hub_id"
                 "   AND r.checkin_id = c.id AND r.kind = 'reassigned'),"
                 " c.outcome, c.follow_up, c.left_by"
                 " FROM checkins c WHERE c.hub_id = $1 AND c.received_at >= $2"
                 " AND c.received_at < $3 ORDER BY c.received_at, c.seq",
    [P_TOKEN_INS] = "INSERT INTO tokens (hash, hub_id, role, name, worker_id, created_at,"
                    " code) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    [P_TOKENS_ALL] = "SELECT hash, role, name, worker_id, created_at, hub_id, code FROM tokens"
                     " ORDER BY created_at, seq",
    [P_TOKEN_GET] = "SELECT role, name, worker_id, created_at, hub_id, code FROM tokens"
                    " WHERE hash = $1",
    [P_TOKEN_DEL] = "DELETE FROM tokens WHERE name = $1",
    [P_PURGE_CHK] = "UPDATE checkins SET name = NULL, text = NULL,"
                    " body_hash = coalesce(coded_hash, repeat('0', 64)) WHERE hub_id = $1"
                    " AND received_at < $2 AND (name IS NOT NULL OR text IS NOT NULL"
                    " OR body_hash IS DISTINCT FROM coalesce(coded_hash, repeat('0', 64)))",
    [P_PURGE_EV] = "UPDATE events SET note = NULL WHERE hub_id = $1 AND kind = 'reassigned'"
                   " AND at < $2 AND note IS NOT NULL",
    [P_PROBE] = "INSERT INTO health_probe (id, at) VALUES (1, $1)"
                " ON CONFLICT (id) DO UPDATE SET at = excluded.at",
    [P_STATE_GET] = "SELECT status, ticket, left_by, left_at, worker_id, outcome, follow_up"
                    " FROM checkins WHERE hub_id = $1 AND id = $2 FOR UPDATE",
    [P_MARK_LEFT] = "UPDATE checkins SET status = 'left', left_at = $3, left_by = $4"
                    " WHERE hub_id = $1 AND id = $2 AND status = 'waiting'",
    [P_UNLEAVE] = "UPDATE checkins SET status = 'waiting', left_at = NULL, left_by = NULL"
                  " WHERE hub_id = $1 AND id = $2 AND status = 'left'",
    /* the board's order; a row another caller holds is passed over, never waited for */
    [P_NEXT_PICK] = "SELECT " BOARD_COLS " FROM checkins WHERE hub_id = $1"
                    " AND status = 'waiting' AND worker_id = $2"
                    " ORDER BY urgent DESC, received_at, seq LIMIT 1 FOR UPDATE SKIP LOCKED",
    [P_NEXT_TAKE] = "UPDATE checkins SET status = 'introduced', introduced_at = $3"
                    " WHERE hub_id = $1 AND id = $2 AND status = 'waiting'",
    [P_WAITING_COUNT] = "SELECT coalesce((SELECT waiting FROM line_counts WHERE hub_id = $1"
                        " AND worker_id = $2), 0)",
    [P_OUTCOME_SET] = "UPDATE checkins SET outcome = $3, follow_up = $4, outcome_at = $5"
                      " WHERE hub_id = $1 AND id = $2",
    [P_FEEDBACK_PUT] = "INSERT INTO feedback (hub_id, id, created_at, received_at, lang, answer)"
                       " VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (hub_id, id) DO NOTHING",
    [P_FEEDBACK_GET] = "SELECT created_at, lang, answer FROM feedback WHERE hub_id = $1"
                       " AND id = $2",
    [P_FEEDBACK_SCAN] = "SELECT created_at, lang, answer FROM feedback WHERE hub_id = $1"
                        " AND created_at >= $2 AND created_at < $3 ORDER BY created_at, seq",
    [P_STALE_ANY] = "SELECT 1 FROM checkins WHERE hub_id = $1 AND status = 'waiting'"
                    " AND received_at < $2 LIMIT 1",
    [P_STALE_BATCH] = "SELECT id, received_at, worker_id FROM checkins WHERE hub_id = $1"
                      " AND status = 'waiting' AND received_at < $2 LIMIT 200"
                      " FOR UPDATE SKIP LOCKED",
    [P_SEEN] = "SELECT " BOARD_COLS ", introduced_at, outcome, follow_up FROM checkins"
               " WHERE hub_id = $1 AND status = 'introduced' AND introduced_at >= $3"
               " AND ($2::text IS NULL OR worker_id = $2)"
               " ORDER BY introduced_at DESC, seq DESC LIMIT 200",
    [P_HUBS] = "SELECT id FROM hubs ORDER BY created_at, id",
    [P_VERSION] = "SELECT (SELECT coalesce(max(seq), 0) FROM events WHERE hub_id = $1),"
                  " (SELECT coalesce(max(seq), 0) FROM feedback WHERE hub_id = $1)",
    [P_KIOSK_GET] = "SELECT code, pending, set_aside, last_seen FROM kiosks WHERE hub_id = $1"
                    " AND name = $2 FOR UPDATE",
    [P_KIOSK_PUT] = "INSERT INTO kiosks (hub_id, name, code, pending, set_aside, reported_at,"
                    " last_seen) VALUES ($1, $2, $3, $4, $5, $6, $6) ON CONFLICT (hub_id, name)"
                    " DO UPDATE SET code = excluded.code, pending = excluded.pending,"
                    " set_aside = excluded.set_aside, reported_at = excluded.reported_at,"
                    " last_seen = greatest(kiosks.last_seen, excluded.last_seen)",
    [P_KIOSK_SEEN] = "INSERT INTO kiosks (hub_id, name, code, last_seen) VALUES ($1, $2, $3, $4)"
                     " ON CONFLICT (hub_id, name) DO UPDATE SET code = excluded.code,"
                     " last_seen = greatest(kiosks.last_seen, excluded.last_seen)",
    /* only kiosks whose token is still there: a revoked kiosk is no longer the hub's */
    [P_KIOSKS] = "SELECT k.name, k.code, k.pending, k.set_aside, k.last_seen FROM kiosks k"
                 " WHERE k.hub_id = $1 AND EXISTS (SELECT 1 FROM tokens t WHERE t.name = k.name"
                 " AND t.role = 'kiosk' AND t.hub_id IN (k.hub_id, '')) ORDER BY k.name LIMIT $2",
};

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void pa_text(struct pg_args *a, const char *v)
{
    if (a->n < PG_ARGS_MAX)
        a->v[a->n++] = v;
}

void pa_int(struct pg_args *a, int64_t v)
{
    if (a->n >= PG_ARGS_MAX)
        return;
    snprintf(a->num[a->n], sizeof(a->num[a->n]), "%" PRId64, v);
    a->v[a->n] = a->num[a->n];
    a->n++;
}

void pa_hash(struct pg_args *a, const uint8_t h[SHA256_LEN])
{
    if (a->n_hex >= 4 || a->n >= PG_ARGS_MAX)
        return;
    char *out = a->hex[a->n_hex++];
    hex_encode(h, SHA256_LEN, out);
    pa_text(a, out);
}

void pa_hub(struct pg_args *a, struct pg_store *s)
{
    pg_hub(s, a->hub);
    pa_text(a, a->hub);
}

static void log_err(PGconn *c, const char *what)
{
    const char *m = PQerrorMessage(c);
    size_t len = strcspn(m, "\n");
    fprintf(stderr, "hubd: database error in %s: %.*s\n", what, (int)len, m);
}

PGresult *pg_run(PGconn *c, enum pg_stmt id, const struct pg_args *a)
{
    char name[8];
    snprintf(name, sizeof(name), "s%d", (int)id);
    PGresult *r = PQexecPrepared(c, name, a ? a->n : 0, a ? a->v : NULL, NULL, NULL, 0);
    ExecStatusType st = PQresultStatus(r);
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
        return r;
    const char *m = r ? PQresultErrorMessage(r) : PQerrorMessage(c);
    fprintf(stderr, "hubd: database error in statement %d: %.*s\n", (int)id, (int)strcspn(m, "\n"),
            m);
    PQclear(r);
    return NULL;
}

int pg_do(PGconn *c, enum pg_stmt id, const struct pg_args *a, int *changed)
{
    PGresult *r = pg_run(c, id, a);
    if (!r)
        return STORE_EIO;
    if (changed) {
        const char *t = PQcmdTuples(r);
        *changed = t && *t ? (int)strtol(t, NULL, 10) : 0;
    }
    PQclear(r);
    return 0;
}

PGresult *pg_once(struct pg_store *s, enum pg_stmt id, const struct pg_args *a)
{
    PGconn *c = pg_get(s);
    if (!c)
        return NULL;
    PGresult *r = pg_run(c, id, a);
    pg_put(s, c);
    return r;
}

int pg_cmd(PGconn *c, const char *sql)
{
    PGresult *r = PQexec(c, sql);
    int ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
    if (!ok)
        log_err(c, sql);
    PQclear(r);
    return ok ? 0 : STORE_EIO;
}

const char *pg_col(const PGresult *r, int row, int col)
{
    return PQgetisnull(r, row, col) ? "" : PQgetvalue(r, row, col);
}

char *pg_dup(const PGresult *r, int row, int col, bool *oom)
{
    if (PQgetisnull(r, row, col))
        return NULL;
    char *d = strdup(PQgetvalue(r, row, col));
    if (!d)
        *oom = true;
    return d;
}

int64_t pg_int(const PGresult *r, int row, int col)
{
    return PQgetisnull(r, row, col) ? 0 : strtoll(PQgetvalue(r, row, col), NULL, 10);
}

bool pg_null(const PGresult *r, int row, int col)
{
    return PQgetisnull(r, row, col) != 0;
}

void pg_hub(struct pg_store *s, char out[IDENT_MAX + 1])
{
    pthread_mutex_lock(&s->root->lock);
    memcpy(out, s->hub, IDENT_MAX + 1);
    pthread_mutex_unlock(&s->root->lock);
}

int pg_event(PGconn *c, const char *hub, int64_t at, const char *kind, const char *checkin_id,
             const char *worker_id, const char *detail, const char *note, const char *actor)
{
    struct pg_args a = {0};
    pa_text(&a, hub);
    pa_int(&a, at);
    pa_text(&a, kind);
    pa_text(&a, checkin_id);
    pa_text(&a, worker_id);
    pa_text(&a, detail);
    pa_text(&a, note);
    pa_text(&a, actor && *actor ? actor : "hubd");
    return pg_do(c, P_EVENT_INS, &a, NULL);
}

int pg_board_row(const PGresult *res, int i, struct board_row *r)
{
    bool oom = false;
    memset(r, 0, sizeof(*r));
    snprintf(r->id, sizeof(r->id), "%s", pg_col(res, i, 0));
    snprintf(r->ticket, sizeof(r->ticket), "%s", pg_col(res, i, 1));
    r->worker_id = pg_dup(res, i, 2, &oom);
    r->lang = pg_dup(res, i, 3, &oom);
    r->needs = pg_dup(res, i, 4, &oom);
    r->domains = pg_dup(res, i, 5, &oom);
    r->chosen_by = pg_dup(res, i, 6, &oom);
    r->name = pg_dup(res, i, 7, &oom);
    r->text = pg_dup(res, i, 8, &oom);
    r->urgent = pg_int(res, i, 9) != 0;
    r->created_ms = pg_int(res, i, 10);
    snprintf(r->kiosk_ticket, sizeof(r->kiosk_ticket), "%s", pg_col(res, i, 11));
    r->received_ms = pg_int(res, i, 12);
    return oom ? STORE_EIO : 0;
}

/* Prepares every statement on c. 0 or -1 (logged). */
static int prepare_all(PGconn *c)
{
    for (int i = 0; i < P_COUNT; i++) {
        char name[8];
        snprintf(name, sizeof(name), "s%d", i);
        PGresult *r = PQprepare(c, name, SQL[i], 0, NULL);
        bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
        if (!ok)
            fprintf(stderr, "hubd: cannot prepare statement %d: %s", i, PQresultErrorMessage(r));
        PQclear(r);
        if (!ok)
            return -1;
    }
    return 0;
}

/* Makes pc usable: connected (reconnecting when the server went away) and prepared. */
static int conn_ready(struct pg_store *s, struct pg_conn *pc)
{
    if (pc->c && PQstatus(pc->c) != CONNECTION_OK) {
        PQfinish(pc->c);
        pc->c = NULL;
    }
    if (!pc->c) {
        pc->prepared = false;
        pc->c = PQconnectdb(s->url);
        if (PQstatus(pc->c) != CONNECTION_OK) {
            log_err(pc->c, "connect");
            PQfinish(pc->c);
            pc->c = NULL;
            return -1;
        }
    }
    if (!pc->prepared) {
        if (pg_cmd(pc->c, "SET statement_timeout = 30000") < 0 || prepare_all(pc->c) < 0) {
            PQfinish(pc->c);
            pc->c = NULL;
            return -1;
        }
        pc->prepared = true;
    }
    return 0;
}

PGconn *pg_get(struct pg_store *s)
{
    s = s->root;
    pthread_mutex_lock(&s->lock);
    struct pg_conn *pc = NULL;
    while (!pc) {
        for (int i = 0; i < PG_POOL && !pc; i++)
            if (!s->pool[i].busy)
                pc = &s->pool[i];
        if (!pc)
            pthread_cond_wait(&s->freed, &s->lock);
    }
    pc->busy = true;
    pthread_mutex_unlock(&s->lock);
    if (conn_ready(s, pc) == 0)
        return pc->c;
    pthread_mutex_lock(&s->lock);
    pc->busy = false;
    pthread_cond_signal(&s->freed);
    pthread_mutex_unlock(&s->lock);
    return NULL;
}

void pg_put(struct pg_store *s, PGconn *c)
{
    if (!c)
        return;
    s = s->root;
    pthread_mutex_lock(&s->lock);
    for (int i = 0; i < PG_POOL; i++) {
        if (s->pool[i].c == c) {
            /* a connection left inside a transaction (or broken) is not handed on so */
            if (PQtransactionStatus(c) != PQTRANS_IDLE) {
                PQfinish(c);
                s->pool[i].c = NULL;
            }
            s->pool[i].busy = false;
        }
    }
    pthread_cond_signal(&s->freed);
    pthread_mutex_unlock(&s->lock);
}

PGconn *pg_begin(struct pg_store *s)
{
    PGconn *c = pg_get(s);
    if (c && pg_cmd(c, "BEGIN") < 0) {
        pg_put(s, c);
        return NULL;
    }
    return c;
}

int pg_end(struct pg_store *s, PGconn *c, int rc)
{
    if (rc == 0 && pg_cmd(c, "COMMIT") < 0)
        rc = STORE_EIO;
    if (rc != 0 && PQtransactionStatus(c) != PQTRANS_IDLE)
        pg_cmd(c, "ROLLBACK");
    pg_put(s, c);
    return rc;
}

static int mig_exec(void *db, const char *sql)
{
    return pg_cmd(db, sql) == 0 ? 0 : -1;
}

static int mig_query_long(void *db, const char *sql, long *out)
{
    PGresult *r = PQexec(db, sql);
    int ok = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1 && PQnfields(r) == 1;
    if (ok)
        *out = PQgetisnull(r, 0, 0) ? 0 : strtol(PQgetvalue(r, 0, 0), NULL, 10);
    PQclear(r);
    return ok ? 0 : -1;
}

static const char *mig_errmsg(void *db)
{
    return PQerrorMessage(db);
}

/* The numbered migrations of migrations.c on c, under an advisory lock so that hubd
 * processes starting together migrate once. 0 or -1 with err. */
static int migrate(PGconn *c, char *err, size_t cap)
{
    const struct migration_conn mc = {
        .db = c, .exec = mig_exec, .query_long = mig_query_long, .errmsg = mig_errmsg};
    return migrations_run(&mc, MIGRATION_PG, err, cap);
}

static void pg_close(struct store *st)
{
    struct pg_store *s = (struct pg_store *)st;
    if (!s || s->root != s) /* a hub's handle belongs to its store */
        return;
    for (size_t i = 0; i < s->n_views; i++)
        free(s->views[i]);
    free(s->views);
    for (int i = 0; i < PG_POOL; i++)
        if (s->pool[i].c)
            PQfinish(s->pool[i].c);
    pthread_mutex_destroy(&s->lock);
    pthread_cond_destroy(&s->freed);
    pthread_mutex_destroy(&s->health_lock);
    pthread_mutex_destroy(&s->put_lock);
    pthread_cond_destroy(&s->put_done);
    free(s->url);
    free(s);
}

/* One probe: a row committed in its own transaction, with a short statement timeout. */
static int probe(struct pg_store *s, char *why, size_t cap)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    PGconn *c = pg_get(s);
    if (!c) {
        snprintf(why, cap, "database unreachable");
        return STORE_EIO;
    }
    struct pg_args a = {0};
    pa_int(&a, (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
    int rc = pg_cmd(c, "SET statement_timeout = 900");
    if (rc == 0)
        rc = pg_do(c, P_PROBE, &a, NULL);
    pg_cmd(c, "SET statement_timeout = 30000");
    if (rc < 0)
        snprintf(why, cap,
                 PQstatus(c) == CONNECTION_OK ? "database does not take a write"
                                              : "database unreachable");
    pg_put(s, c);
    return rc;
}

static int pg_health(struct store *st, char *why, size_t cap)
{
    struct pg_store *s = (struct pg_store *)st;
    s = s->root;
    pthread_mutex_lock(&s->health_lock);
    int64_t now = mono_ms();
    if (!s->health_at || now - s->health_at >= HEALTH_EVERY_MS) {
        s->health_why[0] = '\0';
        s->health_rc = probe(s, s->health_why, sizeof(s->health_why));
        s->health_at = mono_ms();
        if (s->health_rc < 0)
            fprintf(stderr, "hubd: health: %s\n", s->health_why);
    }
    int rc = s->health_rc;
    snprintf(why, cap, "%s", rc < 0 ? s->health_why : "");
    pthread_mutex_unlock(&s->health_lock);
    return rc;
}

static const struct store_ops PG_OPS = {
    .hub_load = pg_hub_load,
    .hub_seed = pg_hub_seed,
    .checkins_put = pg_checkins_put,
    .board = pg_board,
    .handover = pg_handover,
    .reassign = pg_reassign,
    .worker_update = pg_worker_update,
    .report_scan = pg_report_scan,
    .token_add = pg_token_add,
    .token_find = pg_token_find,
    .tokens_load = pg_tokens_load,
    .token_revoke = pg_token_revoke,
    .purge = pg_purge,
    .health = pg_health,
    .oc = &PG_OUTCOME_OPS,
    .kiosk = &PG_KIOSK_OPS,
    .hub = pg_view,
    .hubs = pg_hubs,
    .close = pg_close,
};

struct store *pg_view(struct store *st, const char *hub_id)
{
    struct pg_store *root = ((struct pg_store *)st)->root, *v = NULL;
    pthread_mutex_lock(&root->lock);
    if (!hub_id || !*hub_id || !strcmp(hub_id, root->hub))
        v = root;
    for (size_t i = 0; !v && i < root->n_views; i++)
        if (!strcmp(root->views[i]->hub, hub_id))
            v = root->views[i];
    if (!v && root->n_views < PG_HUBS_MAX && strlen(hub_id) <= IDENT_MAX &&
        (v = calloc(1, sizeof(*v)))) {
        v->base.ops = &PG_OPS;
        v->root = root;
        snprintf(v->hub, sizeof(v->hub), "%s", hub_id);
        root->views[root->n_views++] = v;
    }
    pthread_mutex_unlock(&root->lock);
    return v ? &v->base : NULL;
}

int pg_hubs(struct store *st, char (*ids)[IDENT_MAX + 1], size_t cap, size_t *n)
{
    struct pg_store *s = (struct pg_store *)st;
    *n = 0;
    PGresult *r = pg_once(s, P_HUBS, NULL);
    if (!r)
        return STORE_EIO;
    *n = (size_t)PQntuples(r);
    for (size_t i = 0; i < *n && i < cap; i++)
        snprintf(ids[i], sizeof(ids[i]), "%s", PQgetvalue(r, (int)i, 0));
    PQclear(r);
    return 0;
}

/* Binds s to the database's hub when it holds exactly one. 0 or STORE_EIO. */
static int bind_only_hub(struct pg_store *s, PGconn *c)
{
    PGresult *r = pg_run(c, P_HUB_ONLY, NULL);
    if (!r)
        return STORE_EIO;
    if (PQntuples(r) == 1)
        snprintf(s->hub, sizeof(s->hub), "%s", PQgetvalue(r, 0, 0));
    PQclear(r);
    return 0;
}

struct store *store_pg_open(const char *url, char *err, size_t cap)
{
    struct pg_store *s = calloc(1, sizeof(*s));
    if (!s || !(s->url = strdup(url)) || !(s->views = calloc(PG_HUBS_MAX, sizeof(*s->views)))) {
        if (s)
            free(s->url);
        free(s);
        snprintf(err, cap, "out of memory");
        return NULL;
    }
    s->base.ops = &PG_OPS;
    s->root = s;
    pthread_mutex_init(&s->lock, NULL);
    pthread_cond_init(&s->freed, NULL);
    pthread_mutex_init(&s->health_lock, NULL);
    pthread_mutex_init(&s->put_lock, NULL);
    pthread_cond_init(&s->put_done, NULL);
    struct pg_conn *pc = &s->pool[0];
    pc->c = PQconnectdb(url);
    if (PQstatus(pc->c) != CONNECTION_OK) {
        const char *m = PQerrorMessage(pc->c);
        snprintf(err, cap, "cannot connect to the PostgreSQL database: %.*s", (int)strcspn(m, "\n"),
                 m);
        goto out_close;
    }
    if (pg_cmd(pc->c, "SET client_min_messages = warning") < 0 || migrate(pc->c, err, cap) < 0)
        goto out_close;
    if (conn_ready(s, pc) < 0 || bind_only_hub(s, pc->c) < 0) {
        snprintf(err, cap, "cannot prepare the database's statements");
        goto out_close;
    }
    return &s->base;
out_close:
    pg_close(&s->base);
    return NULL;
}

bool store_is_pg_url(const char *db)
{
    return db && (strncmp(db, "postgresql://", 13) == 0 || strncmp(db, "postgres://", 11) == 0);
}
