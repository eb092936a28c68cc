/* store_sqlite.c — the SQLite backend: its connections (one writer; readers that never wait
 * behind it; a health prober), opening (WAL, synchronous=FULL, secure_delete, busy
 * timeouts), the numbered migrations of migrations.c, prepared statements, the file's identity and
 * /health. */
#include "store_sqlite_int.h"

#include "migrations_sqlite.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>

#define DISK_FREE_MIN   (1024 * 1024) /* bytes; below this /health says the disk is full */
#define HEALTH_EVERY_MS 1000          /* one probe a second at most */

static const char *const SQL[S_COUNT] = {
    [S_BEGIN] = "BEGIN IMMEDIATE",
    [S_BEGIN_READ] = "BEGIN",
    [S_COMMIT] = "COMMIT",
    [S_ROLLBACK] = "ROLLBACK",
    [S_HUB_GET] = "SELECT id, name, timezone FROM hub LIMIT 1",
    [S_WORKERS_GET] = "SELECT w.id, w.name, w.role, w.desk, w.domains, w.needs, w.languages,"
                      " w.duty, w.status, coalesce(q.waiting, 0), w.desk_cy FROM workers w"
                      " LEFT JOIN queue_counts q ON q.worker = w.id ORDER BY w.ord",
    [S_HUB_INS] = "INSERT INTO hub (id, name, timezone, created_at) VALUES (?, ?, ?, ?)",
    [S_WORKER_INS] = "INSERT INTO workers (id, ord, name, role, desk, domains, needs,"
                     " languages, duty, status, desk_cy) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    [S_CHK_GET] = "SELECT body_hash, ticket, position, wait_min, ticket_why, flags FROM checkins"
                  " WHERE id = ?",
    [S_WORKER_ROW] = "SELECT status, desk FROM workers WHERE id = ?",
    [S_TICKET_NEXT] = "INSERT INTO ticket_days (day, last) VALUES (?, 1)"
                      " ON CONFLICT(day) DO UPDATE SET last = last + 1 RETURNING last",
    [S_TICKET_TAKEN] = "SELECT 1 FROM checkins WHERE ticket = ?1 AND received_at >= ?2 LIMIT 1",
    [S_POS_COUNT] = "SELECT CASE WHEN ?2 THEN urgent ELSE waiting END FROM queue_counts"
                    " WHERE worker = coalesce(?1, '')",
    [S_HANDOVERS] = "SELECT at FROM events WHERE kind = 'introduced' AND worker_id IS ?"
                    " AND at > ? ORDER BY at DESC LIMIT 21",
    [S_CHK_INS] = "INSERT INTO checkins (id, body_hash, created_at, received_at, lang, needs,"
                  " domains, urgent, worker_id, chosen_by, name, text, consent, status, ticket,"
                  " position, wait_min, kiosk_ticket, coded_hash, ticket_why, flags) VALUES (?, ?,"
                  " ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'waiting', ?, ?, ?, ?, ?, ?, ?)",
    [S_EVENT_INS] = "INSERT INTO events (at, kind, checkin_id, worker_id, detail, note, actor)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?)",
    /* one page in board order, walked along checkins_board (or checkins_worker_line);
     * positions come from S_BOARD_AHEAD, once per worker on the page */
    [S_BOARD] = "SELECT id, ticket, worker_id, lang, needs, domains, chosen_by, name, text,"
                " urgent, created_at, kiosk_ticket, received_at, rowid, flags FROM checkins"
                " WHERE status = 'waiting' AND (?1 IS NULL OR worker_id = ?1)"
                " AND (?2 IS NULL OR urgent < ?2 OR (urgent = ?2 AND (received_at > ?3"
                " OR (received_at = ?3 AND rowid > ?4))))"
                " ORDER BY urgent DESC, received_at, rowid LIMIT ?5",
    [S_BOARD_AHEAD] = "SELECT count(*) FROM checkins WHERE status = 'waiting'"
                      " AND worker_id IS ?1 AND (urgent > ?2 OR (urgent = ?2"
                      " AND (received_at < ?3 OR (received_at = ?3 AND rowid < ?4))))",
    [S_BOARD_TOTAL] = "SELECT count(*) FROM checkins WHERE status = 'waiting'"
                      " AND (?1 IS NULL OR worker_id = ?1)",
    [S_BOARD_AFTER] = "SELECT urgent, received_at, rowid FROM checkins WHERE id = ?",
    [S_CHK_STATE] = "SELECT status, worker_id, ticket FROM checkins WHERE id = ?",
    [S_CHK_INTRODUCE] = "UPDATE checkins SET status = 'introduced', introduced_at = ?,"
                        " worker_id = ? WHERE id = ?",
    [S_CHK_REASSIGN] = "UPDATE checkins SET worker_id = ? WHERE id = ?",
    [S_WORKER_SET] = "UPDATE workers SET status = ?, desk = ? WHERE id = ?",
    /* arrivals by when hubd received them (a kiosk's clock may be anything) */
    [S_REPORT] = "SELECT c.received_at, c.lang, c.needs, c.domains, c.worker_id, c.chosen_by,"
                 " c.urgent, c.status, (SELECT min(i.at) FROM events i WHERE i.checkin_id = c.id"
                 "   AND i.kind = 'introduced'),"
                 " (SELECT count(*) FROM events r WHERE r.checkin_id = c.id"
                 "   AND r.kind = 'reassigned'),"
                 " c.outcome, c.follow_up, c.left_by"
                 " FROM checkins c WHERE c.received_at >= ? AND c.received_at < ?"
                 " ORDER BY c.received_at, c.rowid",
    [S_TOKEN_INS] = "INSERT INTO tokens (hash, role, name, worker_id, created_at, code)"
                    " VALUES (?, ?, ?, ?, ?, ?)",
    [S_TOKENS_ALL] = "SELECT hash, role, name, worker_id, created_at, code FROM tokens"
                     " ORDER BY created_at, rowid",
    [S_TOKEN_GET] = "SELECT role, name, worker_id, created_at, code FROM tokens WHERE hash = ?",
    [S_TOKEN_DEL] = "DELETE FROM tokens WHERE name = ?",
    /* the fingerprint goes with the words: an older row without a coded one (stored, or
     * purged, by a hubd before schema 6) is left with one nothing matches (its replay: 409) */
    [S_PURGE_CHK] = "UPDATE checkins SET name = NULL, text = NULL,"
                    " body_hash = coalesce(coded_hash, zeroblob(32)) WHERE received_at < ?"
                    " AND (name IS NOT NULL OR text IS NOT NULL"
                    " OR body_hash IS NOT coalesce(coded_hash, zeroblob(32)))",
    [S_PURGE_EV] = "UPDATE events SET note = NULL WHERE kind = 'reassigned' AND at < ?"
                   " AND note IS NOT NULL",
    [S_PROBE] = "INSERT INTO health_probe (id, at) VALUES (1, ?)"
                " ON CONFLICT(id) DO UPDATE SET at = excluded.at",
    [S_KIOSK_GET] = "SELECT code, pending, set_aside, last_seen FROM kiosks WHERE name = ?",
    [S_KIOSK_PUT] = "INSERT INTO kiosks (name, code, pending, set_aside, reported_at, last_seen)"
                    " VALUES (?1, ?2, ?3, ?4, ?5, ?5) ON CONFLICT(name) DO UPDATE SET"
                    " code = excluded.code, pending = excluded.pending,"
                    " set_aside = excluded.set_aside, reported_at = excluded.reported_at,"
                    " last_seen = max(last_seen, excluded.last_seen)",
    [S_KIOSK_SEEN] = "INSERT INTO kiosks (name, code, last_seen) VALUES (?1, ?2, ?3)"
                     " ON CONFLICT(name) DO UPDATE SET code = excluded.code,"
                     " last_seen = max(last_seen, excluded.last_seen)",
    /* only kiosks whose token is still there: a revoked kiosk is no longer the hub's */
    [S_KIOSKS] = "SELECT k.name, k.code, k.pending, k.set_aside, k.last_seen FROM kiosks k"
                 " WHERE EXISTS (SELECT 1 FROM tokens t WHERE t.name = k.name"
                 " AND t.role = 'kiosk') ORDER BY k.name LIMIT ?",
};

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void sq_log(struct sq_conn *c, const char *what)
{
    fprintf(stderr, "hubd: database error in %s: %s\n", what, sqlite3_errmsg(c->db));
}

sqlite3_stmt *sq_stmt(struct sq_conn *c, enum stmt_id id)
{
    sqlite3_stmt *st = c->st[id];
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return st;
}

int sq_text(sqlite3_stmt *st, int i, const char *v)
{
    return v ? sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT) : sqlite3_bind_null(st, i);
}

int sq_exec(struct sq_conn *c, enum stmt_id id)
{
    int rc = sqlite3_step(c->st[id]);
    sqlite3_reset(c->st[id]);
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

const char *sq_col(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? (const char *)t : "";
}

int sq_file_check(struct sqlite_store *s, char *why, size_t cap)
{
    struct stat sb;
    if (stat(s->path, &sb) < 0) {
        snprintf(why, cap, errno == ENOENT ? "database file deleted" : "database file unreadable");
        return -1;
    }
    if (sb.st_dev != s->dev || sb.st_ino != s->ino) {
        snprintf(why, cap, "database file replaced");
        return -1;
    }
    return 0;
}

int sq_begin(struct sqlite_store *s)
{
    pthread_mutex_lock(&s->w.lock);
    sq_stmt(&s->w, S_BEGIN);
    if (sq_exec(&s->w, S_BEGIN) == 0)
        return 0;
    sq_log(&s->w, "begin");
    pthread_mutex_unlock(&s->w.lock);
    return STORE_EIO;
}

int sq_commit(struct sqlite_store *s)
{
    char why[64];
    if (sq_file_check(s, why, sizeof(why)) < 0) {
        /* committing would acknowledge what a restart cannot find */
        fprintf(stderr, "hubd: %s (%s): refusing to commit; restore it and restart hubd\n", why,
                s->path);
        sq_rollback(s);
        return STORE_EIO;
    }
    sq_stmt(&s->w, S_COMMIT);
    if (sq_exec(&s->w, S_COMMIT) == 0) {
        pthread_mutex_unlock(&s->w.lock);
        return 0;
    }
    sq_log(&s->w, "commit");
    sq_rollback(s);
    return STORE_EIO;
}

void sq_rollback(struct sqlite_store *s)
{
    if (!sqlite3_get_autocommit(s->w.db)) {
        sq_stmt(&s->w, S_ROLLBACK);
        sq_exec(&s->w, S_ROLLBACK);
    }
    pthread_mutex_unlock(&s->w.lock);
}

struct sq_conn *sq_reader(struct sqlite_store *s)
{
    unsigned first = __atomic_fetch_add(&s->next_reader, 1, __ATOMIC_RELAXED);
    for (unsigned i = 0; i < SQ_READERS; i++) {
        struct sq_conn *c = &s->r[(first + i) % SQ_READERS];
        if (pthread_mutex_trylock(&c->lock) == 0)
            return c;
    }
    struct sq_conn *c = &s->r[first % SQ_READERS];
    pthread_mutex_lock(&c->lock);
    return c;
}

void sq_reader_done(struct sq_conn *c)
{
    pthread_mutex_unlock(&c->lock);
}

int sq_event(struct sqlite_store *s, int64_t at, const char *kind, const char *checkin_id,
             const char *worker_id, const char *detail, const char *note, const char *actor)
{
    sqlite3_stmt *st = sq_stmt(&s->w, S_EVENT_INS);
    sqlite3_bind_int64(st, 1, at);
    sq_text(st, 2, kind);
    sq_text(st, 3, checkin_id);
    sq_text(st, 4, worker_id);
    sq_text(st, 5, detail);
    sq_text(st, 6, note);
    sq_text(st, 7, actor && *actor ? actor : "hubd");
    return sq_exec(&s->w, S_EVENT_INS);
}

/* The numbered migrations of migrations.c, on the writer's connection. 0 or -1 with err. */
static int migrate(sqlite3 *db, char *err, size_t cap)
{
    const struct migration_conn c = migrations_sqlite_conn(db);
    return migrations_run(&c, MIGRATION_SQLITE, err, cap);
}

enum conn_kind { CONN_WRITER, CONN_READER, CONN_PROBE };

/* Opens and configures one connection of kind on path. 0 or -1 with err. */
static int conn_open(struct sq_conn *c, const char *path, enum conn_kind kind, char *err,
                     size_t cap)
{
    /* every connection that writes: WAL, fsync on commit, deleted content overwritten, the
     * log cut back after checkpoints */
    static const char *const writer[] = {
        "PRAGMA journal_mode = WAL", "PRAGMA synchronous = FULL",
        "PRAGMA foreign_keys = ON",  "PRAGMA temp_store = MEMORY",
        "PRAGMA secure_delete = ON", "PRAGMA journal_size_limit = 4194304",
    };
    static const char *const reader[] = {"PRAGMA query_only = ON", "PRAGMA temp_store = MEMORY"};
    const char *const *pragmas = kind == CONN_READER ? reader : writer;
    size_t n = kind == CONN_READER ? sizeof(reader) / sizeof(reader[0])
                                   : sizeof(writer) / sizeof(writer[0]);
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
    if (kind == CONN_WRITER)
        flags |= SQLITE_OPEN_CREATE;
    pthread_mutex_init(&c->lock, NULL);
    if (sqlite3_open_v2(path, &c->db, flags, NULL) != SQLITE_OK) {
        snprintf(err, cap, "cannot open %s: %s", path, c->db ? sqlite3_errmsg(c->db) : "?");
        return -1;
    }
    /* the writer waits out a backup's lock; /health answers within a second */
    sqlite3_busy_timeout(c->db, kind == CONN_WRITER ? 5000 : 1000);
    for (size_t i = 0; i < n; i++) {
        if (sqlite3_exec(c->db, pragmas[i], NULL, NULL, NULL) != SQLITE_OK) {
            snprintf(err, cap, "%s: %s", pragmas[i], sqlite3_errmsg(c->db));
            return -1;
        }
    }
    if (kind == CONN_WRITER && migrate(c->db, err, cap) < 0)
        return -1;
    for (int i = 0; i < S_COUNT; i++) {
        if (sqlite3_prepare_v3(c->db, SQL[i], -1, SQLITE_PREPARE_PERSISTENT, &c->st[i], NULL) !=
            SQLITE_OK) {
            snprintf(err, cap, "prepare %d: %s", i, sqlite3_errmsg(c->db));
            return -1;
        }
    }
    return 0;
}

static void conn_close(struct sq_conn *c)
{
    if (!c->db)
        return;
    for (int i = 0; i < S_COUNT; i++)
        sqlite3_finalize(c->st[i]);
    sqlite3_close(c->db);
    pthread_mutex_destroy(&c->lock);
    c->db = NULL;
}

static void sq_close(struct store *st)
{
    struct sqlite_store *s = (struct sqlite_store *)st;
    if (!s)
        return;
    for (int i = 0; i < SQ_READERS; i++)
        conn_close(&s->r[i]);
    conn_close(&s->probe);
    conn_close(&s->w); /* last: the last connection checkpoints and removes the WAL */
    pthread_mutex_destroy(&s->health_lock);
    free(s);
}

/* A plain reason for a failed probe's SQLite result code. */
static const char *probe_why(int rc)
{
    switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return "database locked by another process";
    case SQLITE_FULL:
        return "disk full";
    case SQLITE_READONLY:
        return "database is read-only";
    case SQLITE_IOERR:
        return "disk I/O error";
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
        return "database file corrupt";
    case SQLITE_CANTOPEN:
        return "database file cannot be opened";
    default:
        return "database error";
    }
}

/* Writes the probe row in its own transaction. 0 or the failing SQLite result code. */
static int probe_write(struct sq_conn *c, int64_t now_ms)
{
    int rc = sqlite3_step(sq_stmt(c, S_BEGIN));
    sqlite3_reset(c->st[S_BEGIN]);
    if (rc != SQLITE_DONE)
        return rc;
    sqlite3_stmt *q = sq_stmt(c, S_PROBE);
    sqlite3_bind_int64(q, 1, now_ms);
    rc = sqlite3_step(q);
    sqlite3_reset(q);
    if (rc == SQLITE_DONE) {
        rc = sqlite3_step(sq_stmt(c, S_COMMIT));
        sqlite3_reset(c->st[S_COMMIT]);
    }
    if (rc != SQLITE_DONE && !sqlite3_get_autocommit(c->db)) {
        sqlite3_step(sq_stmt(c, S_ROLLBACK));
        sqlite3_reset(c->st[S_ROLLBACK]);
    }
    return rc == SQLITE_DONE ? 0 : rc;
}

/* The probe itself: the file, the free space, then a committed write. */
static int probe(struct sqlite_store *s, char *why, size_t cap)
{
    struct statvfs vfs;
    char dir[PATH_MAX];
    struct timespec ts;
    if (sq_file_check(s, why, cap) < 0)
        return STORE_EIO;
    snprintf(dir, sizeof(dir), "%s", s->path);
    char *slash = strrchr(dir, '/');
    if (slash)
        *(slash == dir ? slash + 1 : slash) = '\0';
    if (statvfs(dir, &vfs) == 0 &&
        (unsigned long long)vfs.f_bavail * vfs.f_frsize < DISK_FREE_MIN) {
        snprintf(why, cap, "disk full");
        return STORE_EIO;
    }
    clock_gettime(CLOCK_REALTIME, &ts);
    pthread_mutex_lock(&s->probe.lock);
    int rc = probe_write(&s->probe, (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
    pthread_mutex_unlock(&s->probe.lock);
    if (rc == 0)
        return 0;
    snprintf(why, cap, "%s", probe_why(rc));
    return STORE_EIO;
}

static int sq_health(struct store *st, char *why, size_t cap)
{
    struct sqlite_store *s = (struct sqlite_store *)st;
    if (sq_file_check(s, why, cap) < 0) /* a stat: cheap enough for every call */
        return STORE_EIO;
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
    .token_revoke = sq_token_revoke,
    .purge = sq_purge,
    .health = sq_health,
    .oc = &SQ_OUTCOME_OPS,
    .kiosk = &SQ_KIOSK_OPS,
    .close = sq_close,
};

/* Makes the database and its companions private to hubd's user (older ones were 0644). */
static void make_private(const char *path)
{
    static const char *const tails[] = {"", "-wal", "-shm"};
    char p[PATH_MAX + 8];
    struct stat sb;
    for (size_t i = 0; i < 3; i++) {
        snprintf(p, sizeof(p), "%s%s", path, tails[i]);
        if (stat(p, &sb) == 0 && (sb.st_mode & 077))
            chmod(p, sb.st_mode & 0700);
    }
}

struct store *store_sqlite_open(const char *path, char *err, size_t cap)
{
    struct sqlite_store *s = calloc(1, sizeof(*s));
    struct stat sb;
    if (!s) {
        snprintf(err, cap, "out of memory");
        return NULL;
    }
    s->base.ops = &SQLITE_OPS;
    pthread_mutex_init(&s->health_lock, NULL);
    if (conn_open(&s->w, path, CONN_WRITER, err, cap) < 0)
        goto out_close;
    if (!realpath(path, s->path) || stat(s->path, &sb) < 0) {
        snprintf(err, cap, "cannot resolve %s: %s", path, strerror(errno));
        goto out_close;
    }
    s->dev = sb.st_dev;
    s->ino = sb.st_ino;
    make_private(s->path);
    if (conn_open(&s->probe, s->path, CONN_PROBE, err, cap) < 0)
        goto out_close;
    for (int i = 0; i < SQ_READERS; i++)
        if (conn_open(&s->r[i], s->path, CONN_READER, err, cap) < 0)
            goto out_close;
    return &s->base;
out_close:
    sq_close(&s->base);
    return NULL;
}

struct store *store_for_hub(struct store *s, const char *hub_id)
{
    return s->ops->hub ? s->ops->hub(s, hub_id) : s;
}

const char *board_row_kiosk_ticket(const struct board_row *b)
{
    return b->kiosk_ticket[0] && strcmp(b->kiosk_ticket, b->ticket) != 0 ? b->kiosk_ticket : NULL;
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
