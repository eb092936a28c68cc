/* store_sqlite.c — the SQLite backend: opening (WAL, synchronous=FULL, busy_timeout),
 * numbered migrations, prepared statements, the hub, tokens and the retention purge. */
#include "store_sqlite_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Numbered migrations; migration i brings user_version from i to i + 1. Append only. */
static const char *const MIGRATIONS[] = {
    /* 1: the hub, its workers, check-ins, the event log, tickets and tokens */
    "CREATE TABLE hub (id TEXT PRIMARY KEY, name TEXT NOT NULL, timezone TEXT NOT NULL,"
    "  created_at INTEGER NOT NULL);"
    "CREATE TABLE workers (id TEXT PRIMARY KEY, ord INTEGER NOT NULL, name TEXT NOT NULL,"
    "  role TEXT NOT NULL, desk TEXT NOT NULL, domains TEXT NOT NULL, needs TEXT NOT NULL,"
    "  languages TEXT NOT NULL, duty INTEGER NOT NULL, status TEXT NOT NULL);"
    "CREATE TABLE checkins (id TEXT NOT NULL UNIQUE, body_hash BLOB NOT NULL,"
    "  created_at INTEGER NOT NULL, received_at INTEGER NOT NULL, lang TEXT NOT NULL,"
    "  needs TEXT NOT NULL, domains TEXT NOT NULL, urgent INTEGER NOT NULL, worker_id TEXT,"
    "  chosen_by TEXT NOT NULL, name TEXT, text TEXT, consent INTEGER NOT NULL,"
    "  status TEXT NOT NULL, ticket TEXT NOT NULL, position INTEGER NOT NULL,"
    "  wait_min INTEGER NOT NULL, introduced_at INTEGER);"
    "CREATE INDEX checkins_waiting ON checkins(status, worker_id, urgent, created_at);"
    "CREATE INDEX checkins_personal ON checkins(received_at)"
    "  WHERE name IS NOT NULL OR text IS NOT NULL;"
    "CREATE TABLE events (seq INTEGER PRIMARY KEY, at INTEGER NOT NULL, kind TEXT NOT NULL,"
    "  checkin_id TEXT, worker_id TEXT, detail TEXT, note TEXT);"
    "CREATE INDEX events_kind_at ON events(kind, at);"
    "CREATE INDEX events_checkin ON events(checkin_id, kind);"
    "CREATE INDEX events_worker ON events(kind, worker_id, at);"
    "CREATE TABLE ticket_days (day TEXT PRIMARY KEY, last INTEGER NOT NULL);"
    "CREATE TABLE tokens (hash BLOB PRIMARY KEY, role TEXT NOT NULL, name TEXT NOT NULL,"
    "  created_at INTEGER NOT NULL);",
    /* 2: waiting counts per worker ('' for reception), kept by triggers, so a check-in's
     * position costs one lookup however long the lines grow */
    "CREATE TABLE queue_counts (worker TEXT PRIMARY KEY, waiting INTEGER NOT NULL,"
    "  urgent INTEGER NOT NULL);"
    "INSERT INTO queue_counts (worker, waiting, urgent)"
    "  SELECT coalesce(worker_id, ''), count(*), sum(urgent) FROM checkins"
    "  WHERE status = 'waiting' GROUP BY 1;"
    "CREATE TRIGGER checkins_queue_ins AFTER INSERT ON checkins WHEN NEW.status = 'waiting'"
    " BEGIN"
    "  INSERT INTO queue_counts (worker, waiting, urgent)"
    "  VALUES (coalesce(NEW.worker_id, ''), 1, NEW.urgent) ON CONFLICT(worker)"
    "  DO UPDATE SET waiting = waiting + 1, urgent = urgent + excluded.urgent;"
    " END;"
    "CREATE TRIGGER checkins_queue_upd AFTER UPDATE OF status, worker_id ON checkins"
    " BEGIN"
    "  UPDATE queue_counts SET waiting = waiting - 1, urgent = urgent - OLD.urgent"
    "  WHERE OLD.status = 'waiting' AND worker = coalesce(OLD.worker_id, '');"
    "  INSERT INTO queue_counts (worker, waiting, urgent)"
    "  SELECT coalesce(NEW.worker_id, ''), 1, NEW.urgent WHERE NEW.status = 'waiting'"
    "  ON CONFLICT(worker) DO UPDATE SET waiting = waiting + 1,"
    "  urgent = urgent + excluded.urgent;"
    " END;",
    /* 3: a worker token belongs to one worker (NULL: older tokens, or other roles) */
    "ALTER TABLE tokens ADD COLUMN worker_id TEXT;",
    /* 4: the ticket the kiosk showed the resident (NULL: none sent, or an older check-in) */
    "ALTER TABLE checkins ADD COLUMN kiosk_ticket TEXT;",
};

static const char *const SQL[S_COUNT] = {
    [S_BEGIN] = "BEGIN IMMEDIATE",
    [S_COMMIT] = "COMMIT",
    [S_ROLLBACK] = "ROLLBACK",
    [S_HUB_GET] = "SELECT id, name, timezone FROM hub LIMIT 1",
    [S_WORKERS_GET] = "SELECT id, name, role, desk, domains, needs, languages, duty, status"
                      " FROM workers ORDER BY ord",
    [S_HUB_INS] = "INSERT INTO hub (id, name, timezone, created_at) VALUES (?, ?, ?, ?)",
    [S_WORKER_INS] = "INSERT INTO workers (id, ord, name, role, desk, domains, needs,"
                     " languages, duty, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    [S_CHK_GET] = "SELECT body_hash, ticket, position, wait_min FROM checkins WHERE id = ?",
    [S_WORKER_ROW] = "SELECT status, desk FROM workers WHERE id = ?",
    [S_TICKET_NEXT] = "INSERT INTO ticket_days (day, last) VALUES (?, 1)"
                      " ON CONFLICT(day) DO UPDATE SET last = last + 1 RETURNING last",
    [S_POS_COUNT] = "SELECT CASE WHEN ?2 THEN urgent ELSE waiting END FROM queue_counts"
                    " WHERE worker = coalesce(?1, '')",
    [S_HANDOVERS] = "SELECT at FROM events WHERE kind = 'introduced' AND worker_id IS ?"
                    " AND at > ? ORDER BY at DESC LIMIT 21",
    [S_CHK_INS] = "INSERT INTO checkins (id, body_hash, created_at, received_at, lang, needs,"
                  " domains, urgent, worker_id, chosen_by, name, text, consent, status, ticket,"
                  " position, wait_min, kiosk_ticket) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                  " ?, ?, 'waiting', ?, ?, ?, ?)",
    [S_EVENT_INS] = "INSERT INTO events (at, kind, checkin_id, worker_id, detail, note)"
                    " VALUES (?, ?, ?, ?, ?, ?)",
    [S_BOARD] = "SELECT id, ticket, worker_id, lang, needs, domains, chosen_by, name, text,"
                " urgent, created_at, kiosk_ticket FROM checkins WHERE status = 'waiting'"
                " AND (?1 IS NULL OR worker_id = ?1)"
                " ORDER BY urgent DESC, created_at ASC LIMIT 1000",
    [S_CHK_STATE] = "SELECT status, worker_id, ticket FROM checkins WHERE id = ?",
    [S_CHK_INTRODUCE] = "UPDATE checkins SET status = 'introduced', introduced_at = ?,"
                        " worker_id = ? WHERE id = ?",
    [S_CHK_REASSIGN] = "UPDATE checkins SET worker_id = ? WHERE id = ?",
    [S_WORKER_SET] = "UPDATE workers SET status = ?, desk = ? WHERE id = ?",
    [S_REPORT] = "SELECT e.at, c.lang, c.needs, c.domains, c.worker_id, c.chosen_by, c.urgent,"
                 " c.status, (SELECT min(i.at) FROM events i WHERE i.checkin_id = c.id"
                 "   AND i.kind = 'introduced'),"
                 " (SELECT count(*) FROM events r WHERE r.checkin_id = c.id"
                 "   AND r.kind = 'reassigned')"
                 " FROM events e JOIN checkins c ON c.id = e.checkin_id"
                 " WHERE e.kind = 'arrived' AND e.at >= ? AND e.at < ? ORDER BY e.at",
    [S_TOKEN_INS] = "INSERT INTO tokens (hash, role, name, worker_id, created_at)"
                    " VALUES (?, ?, ?, ?, ?)",
    [S_TOKENS_ALL] = "SELECT hash, role, name, worker_id FROM tokens",
    [S_TOKEN_GET] = "SELECT role, name, worker_id FROM tokens WHERE hash = ?",
    [S_PURGE_CHK] = "UPDATE checkins SET name = NULL, text = NULL WHERE received_at < ?"
                    " AND (name IS NOT NULL OR text IS NOT NULL)",
    [S_PURGE_EV] = "UPDATE events SET note = NULL WHERE kind = 'reassigned' AND at < ?"
                   " AND note IS NOT NULL",
    [S_PING] = "SELECT count(*) FROM hub",
};

void sq_log(struct sqlite_store *s, const char *what)
{
    fprintf(stderr, "hubd: database error in %s: %s\n", what, sqlite3_errmsg(s->db));
}

sqlite3_stmt *sq_stmt(struct sqlite_store *s, enum stmt_id id)
{
    sqlite3_stmt *st = s->st[id];
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return st;
}

int sq_text(sqlite3_stmt *st, int i, const char *v)
{
    return v ? sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT) : sqlite3_bind_null(st, i);
}

int sq_exec(struct sqlite_store *s, enum stmt_id id)
{
    int rc = sqlite3_step(s->st[id]);
    sqlite3_reset(s->st[id]);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : STORE_EIO;
}

char *sq_dup(sqlite3_stmt *st, int i, bool *oom)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    if (!t)
        return NULL;
    char *d = strdup((const char *)t);
    if (!d)
        *oom = true;
    return d;
}

int sq_begin(struct sqlite_store *s)
{
    sq_stmt(s, S_BEGIN);
    return sq_exec(s, S_BEGIN);
}

int sq_commit(struct sqlite_store *s)
{
    sq_stmt(s, S_COMMIT);
    if (sq_exec(s, S_COMMIT) == 0)
        return 0;
    sq_log(s, "commit");
    sq_rollback(s);
    return STORE_EIO;
}

void sq_rollback(struct sqlite_store *s)
{
    if (!sqlite3_get_autocommit(s->db)) {
        sq_stmt(s, S_ROLLBACK);
        sq_exec(s, S_ROLLBACK);
    }
}

int sq_event(struct sqlite_store *s, int64_t at, const char *kind, const char *checkin_id,
             const char *worker_id, const char *detail, const char *note)
{
    sqlite3_stmt *st = sq_stmt(s, S_EVENT_INS);
    sqlite3_bind_int64(st, 1, at);
    sq_text(st, 2, kind);
    sq_text(st, 3, checkin_id);
    sq_text(st, 4, worker_id);
    sq_text(st, 5, detail);
    sq_text(st, 6, note);
    return sq_exec(s, S_EVENT_INS);
}

static int migrate(sqlite3 *db, char *err, size_t cap)
{
    sqlite3_stmt *st;
    int version = 0;
    if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
        goto out_fail;
    if (sqlite3_step(st) == SQLITE_ROW)
        version = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    int n = (int)(sizeof(MIGRATIONS) / sizeof(MIGRATIONS[0]));
    if (version > n) {
        snprintf(err, cap, "database schema %d is newer than this hubd (%d)", version, n);
        return -1;
    }
    for (int i = version; i < n; i++) {
        char bump[64];
        snprintf(bump, sizeof(bump), "PRAGMA user_version = %d", i + 1);
        if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
            goto out_fail;
        if (sqlite3_exec(db, MIGRATIONS[i], NULL, NULL, NULL) != SQLITE_OK ||
            sqlite3_exec(db, bump, NULL, NULL, NULL) != SQLITE_OK ||
            sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
            snprintf(err, cap, "migration %d failed: %s", i + 1, sqlite3_errmsg(db));
            sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
            return -1;
        }
    }
    return 0;
out_fail:
    snprintf(err, cap, "cannot read schema version: %s", sqlite3_errmsg(db));
    return -1;
}

static int configure(sqlite3 *db, char *err, size_t cap)
{
    static const char *const pragmas[] = {"PRAGMA journal_mode = WAL", "PRAGMA synchronous = FULL",
                                          "PRAGMA foreign_keys = ON", "PRAGMA temp_store = MEMORY"};
    sqlite3_busy_timeout(db, 5000);
    for (size_t i = 0; i < sizeof(pragmas) / sizeof(pragmas[0]); i++) {
        if (sqlite3_exec(db, pragmas[i], NULL, NULL, NULL) != SQLITE_OK) {
            snprintf(err, cap, "%s: %s", pragmas[i], sqlite3_errmsg(db));
            return -1;
        }
    }
    return 0;
}

static void sq_close(struct store *st)
{
    struct sqlite_store *s = (struct sqlite_store *)st;
    if (!s)
        return;
    for (int i = 0; i < S_COUNT; i++)
        sqlite3_finalize(s->st[i]);
    sqlite3_close(s->db);
    pthread_mutex_destroy(&s->lock);
    free(s);
}

static int load_workers(struct sqlite_store *s, struct hdir *out)
{
    sqlite3_stmt *st = sq_stmt(s, S_WORKERS_GET);
    size_t cap = 0;
    bool oom = false;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (out->n_workers == cap) {
            size_t ncap = cap ? cap * 2 : 16;
            struct hdir_worker *w = realloc(out->workers, ncap * sizeof(*w));
            if (!w)
                return STORE_EIO;
            out->workers = w;
            cap = ncap;
        }
        struct hdir_worker *w = &out->workers[out->n_workers++];
        memset(w, 0, sizeof(*w));
        w->id = sq_dup(st, 0, &oom);
        w->name = sq_dup(st, 1, &oom);
        w->role = sq_dup(st, 2, &oom);
        w->desk = sq_dup(st, 3, &oom);
        w->domains = sq_dup(st, 4, &oom);
        w->needs = sq_dup(st, 5, &oom);
        w->languages = sq_dup(st, 6, &oom);
        w->duty = sqlite3_column_int(st, 7) != 0;
        w->status = worker_status_lookup((const char *)sqlite3_column_text(st, 8));
        if (!w->status)
            w->status = "off";
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE && !oom ? 0 : STORE_EIO;
}

static int sq_hub_load(struct store *st, struct hdir *out)
{
    struct sqlite_store *s = (struct sqlite_store *)st;
    bool oom = false;
    int rc = STORE_EIO;
    memset(out, 0, sizeof(*out));
    pthread_mutex_lock(&s->lock);
    sqlite3_stmt *q = sq_stmt(s, S_HUB_GET);
    int step = sqlite3_step(q);
    if (step == SQLITE_ROW) {
        out->has_hub = true;
        out->hub_id = sq_dup(q, 0, &oom);
        out->hub_name = sq_dup(q, 1, &oom);
        out->timezone = sq_dup(q, 2, &oom);
    }
    sqlite3_reset(q);
    if ((step == SQLITE_ROW || step == SQLITE_DONE) && !oom)
        rc = load_workers(s, out);
    pthread_mutex_unlock(&s->lock);
    if (rc < 0)
        hdir_release(out);
    return rc;
}

static int insert_worker(struct sqlite_store *s, const struct hdir_worker *w, int ord)
{
    sqlite3_stmt *st = sq_stmt(s, S_WORKER_INS);
    sq_text(st, 1, w->id);
    sqlite3_bind_int(st, 2, ord);
    sq_text(st, 3, w->name);
    sq_text(st, 4, w->role);
    sq_text(st, 5, w->desk);
    sq_text(st, 6, w->domains);
    sq_text(st, 7, w->needs);
    sq_text(st, 8, w->languages);
    sqlite3_bind_int(st, 9, w->duty);
    sq_text(st, 10, w->status);
    return sq_exec(s, S_WORKER_INS);
}

static int sq_hub_seed(struct store *st, const struct hdir *d, int64_t now_ms)
{
    struct sqlite_store *s = (struct sqlite_store *)st;
    int rc;
    pthread_mutex_lock(&s->lock);
    if ((rc = sq_begin(s)) < 0)
        goto out_unlock;
    sqlite3_stmt *q = sq_stmt(s, S_HUB_GET);
    int step = sqlite3_step(q);
    sqlite3_reset(q);
    rc = step == SQLITE_ROW ? STORE_ECONFLICT : step == SQLITE_DONE ? 0 : STORE_EIO;
    if (rc == 0) {
        sqlite3_stmt *h = sq_stmt(s, S_HUB_INS);
        sq_text(h, 1, d->hub_id);
        sq_text(h, 2, d->hub_name);
        sq_text(h, 3, d->timezone);
        sqlite3_bind_int64(h, 4, now_ms);
        rc = sq_exec(s, S_HUB_INS);
    }
    for (size_t i = 0; rc == 0 && i < d->n_workers; i++)
        rc = insert_worker(s, &d->workers[i], (int)i);
    if (rc == 0)
        rc = sq_commit(s);
    else
        sq_rollback(s);
out_unlock:
    pthread_mutex_unlock(&s->lock);
    return rc;
}

static int sq_token_add(struct store *st, const uint8_t hash[SHA256_LEN], const char *role,
                        const char *name, const char *worker_id, int64_t now_ms)
{
    struct sqlite_store *s = (struct sqlite_store *)st;
    pthread_mutex_lock(&s->lock);
    sqlite3_stmt *q = sq_stmt(s, S_TOKEN_INS);
    sqlite3_bind_blob(q, 1, hash, SHA256_LEN, SQLITE_TRANSIENT);
    sq_text(q, 2, role);
    sq_text(q, 3, name);
    sq_text(q, 4, worker_id);
    sqlite3_bind_int64(q, 5, now_ms);
    int rc = sq_exec(s, S_TOKEN_INS);
    pthread_mutex_unlock(&s->lock);
    return rc;
}

/* Copies columns first.. (role, name, worker_id) of a token row into t. */
static void token_row(sqlite3_stmt *q, int first, struct token_info *t)
{
    const char *role = (const char *)sqlite3_column_text(q, first);
    const char *name = (const char *)sqlite3_column_text(q, first + 1);
    const char *worker = (const char *)sqlite3_column_text(q, first + 2);
    snprintf(t->role, sizeof(t->role), "%s", role ? role : "");
    snprintf(t->name, sizeof(t->name), "%s", name ? name : "");
    snprintf(t->worker_id, sizeof(t->worker_id), "%s", worker ? worker : "");
}

static int sq_token_find(struct store *st, const uint8_t hash[SHA256_LEN], struct token_info *out)
{
    struct sqlite_store *s = (struct sqlite_store *)st;
    pthread_mutex_lock(&s->lock);
    sqlite3_stmt *q = sq_stmt(s, S_TOKEN_GET);
    sqlite3_bind_blob(q, 1, hash, SHA256_LEN, SQLITE_TRANSIENT);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW)
        token_row(q, 0, out);
    sqlite3_reset(q);
    pthread_mutex_unlock(&s->lock);
    return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? STORE_ENOTFOUND : STORE_EIO;
}

static int sq_tokens_load(struct store *st, token_row_fn fn, void *ctx)
{
    struct sqlite_store *s = (struct sqlite_store *)st;
    struct token_info t;
    int rc, out = 0;
    pthread_mutex_lock(&s->lock);
    sqlite3_stmt *q = sq_stmt(s, S_TOKENS_ALL);
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        const void *h = sqlite3_column_blob(q, 0);
        if (!h || sqlite3_column_bytes(q, 0) != SHA256_LEN)
            continue;
        token_row(q, 1, &t);
        if ((out = fn(h, &t, ctx)))
            break;
    }
    sqlite3_reset(q);
    pthread_mutex_unlock(&s->lock);
    if (out)
        return out;
    return rc == SQLITE_DONE ? 0 : STORE_EIO;
}

static int sq_purge(struct store *st, int64_t before_ms, int *n)
{
    struct sqlite_store *s = (struct sqlite_store *)st;
    int rc;
    *n = 0;
    pthread_mutex_lock(&s->lock);
    if ((rc = sq_begin(s)) < 0)
        goto out_unlock;
    sqlite3_bind_int64(sq_stmt(s, S_PURGE_CHK), 1, before_ms);
    rc = sq_exec(s, S_PURGE_CHK);
    *n = sqlite3_changes(s->db);
    sqlite3_bind_int64(sq_stmt(s, S_PURGE_EV), 1, before_ms);
    if (rc == 0)
        rc = sq_exec(s, S_PURGE_EV);
    if (rc == 0)
        rc = sq_commit(s);
    else
        sq_rollback(s);
out_unlock:
    pthread_mutex_unlock(&s->lock);
    return rc;
}

static int sq_ping(struct store *st)
{
    struct sqlite_store *s = (struct sqlite_store *)st;
    pthread_mutex_lock(&s->lock);
    sq_stmt(s, S_PING);
    int rc = sq_exec(s, S_PING);
    pthread_mutex_unlock(&s->lock);
    return rc;
}

static const struct store_ops SQLITE_OPS = {
    .hub_load = sq_hub_load,
    .hub_seed = sq_hub_seed,
    .checkins_put = sq_checkins_put,
    .board = sq_board,
    .handover = sq_handover,
    .reassign = sq_reassign,
    .worker_update = sq_worker_update,
    .report_scan = sq_report_scan,
    .token_add = sq_token_add,
    .token_find = sq_token_find,
    .tokens_load = sq_tokens_load,
    .purge = sq_purge,
    .ping = sq_ping,
    .close = sq_close,
};

struct store *store_sqlite_open(const char *path, char *err, size_t cap)
{
    struct sqlite_store *s = calloc(1, sizeof(*s));
    if (!s) {
        snprintf(err, cap, "out of memory");
        return NULL;
    }
    s->base.ops = &SQLITE_OPS;
    pthread_mutex_init(&s->lock, NULL);
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path, &s->db, flags, NULL) != SQLITE_OK) {
        snprintf(err, cap, "cannot open %s: %s", path, s->db ? sqlite3_errmsg(s->db) : "?");
        goto out_close;
    }
    if (configure(s->db, err, cap) < 0 || migrate(s->db, err, cap) < 0)
        goto out_close;
    for (int i = 0; i < S_COUNT; i++) {
        if (sqlite3_prepare_v3(s->db, SQL[i], -1, SQLITE_PREPARE_PERSISTENT, &s->st[i], NULL) !=
            SQLITE_OK) {
            snprintf(err, cap, "prepare %d: %s", i, sqlite3_errmsg(s->db));
            goto out_close;
        }
    }
    return &s->base;
out_close:
    sq_close(&s->base);
    return NULL;
}

void store_board_free(struct board_row *rows, size_t n)
{
    for (size_t i = 0; rows && i < n; i++) {
        free(rows[i].worker_id);
        free(rows[i].lang);
        free(rows[i].needs);
        free(rows[i].domains);
        free(rows[i].chosen_by);
        free(rows[i].name);
        free(rows[i].text);
    }
    free(rows);
}
