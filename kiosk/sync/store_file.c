/* store_file.c — the local store's file: opening DIR/kiosk.db, moving to memory when it fails,
 * back to a file when it can, and noticing it deleted or replaced (store_check).
 * Durable in DIR/kiosk.db; when that file fails, the same tables in memory until it works again. */
#include "store_int.h"

#include <cjson/cJSON.h>

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char *const SIDE[] = {"-wal", "-shm", "-journal"};

static const char SCHEMA[] =
    "CREATE TABLE IF NOT EXISTS checkins ("
    " id TEXT PRIMARY KEY, created_ms INTEGER NOT NULL, body TEXT NOT NULL,"
    " state INTEGER NOT NULL DEFAULT 0, ticket TEXT, position INTEGER, wait_min INTEGER,"
    " acked_ms INTEGER, status INTEGER, why TEXT);"
    "CREATE INDEX IF NOT EXISTS checkins_state ON checkins(state, created_ms);"
    "CREATE TABLE IF NOT EXISTS directory ("
    " k INTEGER PRIMARY KEY CHECK (k = 1), etag TEXT, json TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS feedback ("
    " id TEXT PRIMARY KEY, created_ms INTEGER NOT NULL, body TEXT NOT NULL);";

/* Copying rows between stores: a row already there only moves forward (pending to acknowledged
 * or set aside), never back; the directory copied is the newer one. */
static const char COPY_CHECKINS_SEL[] =
    "SELECT id, created_ms, body, state, ticket, position, wait_min, acked_ms, status, why"
    " FROM checkins";
static const char COPY_CHECKINS_INS[] =
    "INSERT INTO checkins(id, created_ms, body, state, ticket, position, wait_min, acked_ms,"
    " status, why) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
    " ON CONFLICT(id) DO UPDATE SET body = excluded.body, state = excluded.state,"
    " ticket = excluded.ticket, position = excluded.position, wait_min = excluded.wait_min,"
    " acked_ms = excluded.acked_ms, status = excluded.status, why = excluded.why"
    " WHERE checkins.state = 0 AND excluded.state <> 0";
static const char COPY_DIR_SEL[] = "SELECT k, etag, json FROM directory";
static const char COPY_DIR_INS[] =
    "INSERT OR REPLACE INTO directory(k, etag, json) VALUES (?1, ?2, ?3)";
/* Residents' answers still to send (feedback.c): one sent and forgotten meanwhile may come back
 * from the other store, and is sent again: hubd counts an id once. */
static const char COPY_FEEDBACK_SEL[] = "SELECT id, created_ms, body FROM feedback";
static const char COPY_FEEDBACK_INS[] =
    "INSERT OR IGNORE INTO feedback(id, created_ms, body) VALUES (?1, ?2, ?3)";

#define BUSY_WAIT_MS 2000 /* a write waits this long for the other connection's one */
#define BUSY_STEP_US 100  /* and looks again this often */

static int64_t mono_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* SQLite's busy handler for both connections: the other's write lasts a statement (a few ms),
 * so look again every BUSY_STEP_US rather than after sqlite3_busy_timeout's growing sleeps
 * (1, 2, 5, 10, 15, 20, 25 ms...), which would keep a resident's check-in waiting up to 25 ms
 * for a lock freed after 4. Up to BUSY_WAIT_MS in all. */
static int busy_wait(void *arg, int count)
{
    int64_t *since = arg;
    int64_t now = mono_us();
    if (count == 0)
        *since = now;
    else if (now - *since > BUSY_WAIT_MS * 1000LL)
        return 0;
    struct timespec d = {0, BUSY_STEP_US * 1000L};
    nanosleep(&d, NULL);
    return 1;
}

/* mkdir -p: 0, or -1 with errno. */
static int make_dirs(const char *dir)
{
    char p[1024];
    size_t n = strlen(dir);
    if (n == 0 || n >= sizeof(p)) {
        errno = ENAMETOOLONG;
        return -1;
    }
    memcpy(p, dir, n + 1);
    for (size_t i = 1; i <= n; i++) {
        if (p[i] != '/' && p[i] != '\0')
            continue;
        char c = p[i];
        p[i] = '\0';
        if (mkdir(p, 0700) < 0 && errno != EEXIST)
            return -1;
        p[i] = c;
    }
    return 0;
}

/* True for the errors that mean the file, not the request, is the trouble. */
bool store_disk_error(int rc)
{
    switch (rc & 0xff) {
    case SQLITE_FULL:
    case SQLITE_IOERR:
    case SQLITE_READONLY:
    case SQLITE_CANTOPEN:
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
    case SQLITE_BUSY:
        return true;
    }
    return false;
}

/* What went wrong with the file, in words staff can act on. */
void store_describe(const struct store *s, int rc, char *out, size_t cap)
{
    const char *p = s->path;
    switch (rc & 0xff) {
    case SQLITE_FULL:
        snprintf(out, cap, "the disk holding %s is full", p);
        break;
    case SQLITE_READONLY:
        snprintf(out, cap, "%s cannot be written to (read-only)", p);
        break;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
        snprintf(out, cap, "%s is damaged (%s)", p, sqlite3_errstr(rc));
        break;
    case SQLITE_BUSY:
        snprintf(out, cap, "%s is locked by another program", p);
        break;
    case SQLITE_IOERR:
        snprintf(out, cap, "the disk failed while writing %s (%s)", p, sqlite3_errstr(rc));
        break;
    default:
        snprintf(out, cap, "%s cannot be opened (%s)", p, sqlite3_errstr(rc));
        break;
    }
}

/* Records the health; a change prints one line on stderr. cause: why volatile. */
static void set_health(struct store *s, int health, const char *cause)
{
    if (health == STORE_VOLATILE) {
        snprintf(s->why, sizeof(s->why), "%s", cause);
        if (s->health != STORE_VOLATILE)
            fprintf(stderr,
                    "kiosk: LOCAL STORE VOLATILE: %s; check-ins are kept in memory and still "
                    "sent to hubd, but a restart now would lose unsent ones\n",
                    cause);
    } else {
        if (s->health != STORE_DURABLE)
            fprintf(stderr, "kiosk: local store durable again at %s\n", s->path);
        s->why[0] = '\0';
    }
    s->health = health;
}

/* An empty store in memory, or NULL when out of memory. */
static sqlite3 *open_memory(void)
{
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
            SQLITE_OK ||
        sqlite3_exec(db, SCHEMA, NULL, NULL, NULL) != SQLITE_OK) {
        sqlite3_close(db);
        return NULL;
    }
    sqlite3_extended_result_codes(db, 1);
    return db;
}

/* Which file path+suffix names now (ino 0 when none). */
static struct ident ident_of(const char *path, const char *suffix)
{
    char p[1200];
    struct stat st;
    struct ident id = {0, 0};
    snprintf(p, sizeof(p), "%s%s", path, suffix);
    if (stat(p, &st) == 0)
        id = (struct ident){st.st_dev, st.st_ino};
    return id;
}

static bool same_file(struct ident a, struct ident b)
{
    return a.ino && a.ino == b.ino && a.dev == b.dev;
}

static bool db_gone(const struct store *s)
{
    struct stat st;
    return stat(s->path, &st) < 0 && errno == ENOENT;
}

/* Removes side files a closed connection left behind: paired with another kiosk.db, a stale
 * WAL would be replayed into it and corrupt it (SQLite's "How To Corrupt", hot journals). All
 * of them when kiosk.db is gone; otherwise only those in ours (bit i: SIDE[i] was our old
 * connection's, which SQLite keeps when its database was moved). Nothing open on the path. */
static void drop_stale(const struct store *s, unsigned ours)
{
    char p[1200];
    bool gone = db_gone(s);
    for (size_t i = 0; i < sizeof(SIDE) / sizeof(SIDE[0]); i++) {
        snprintf(p, sizeof(p), "%s%s", s->path, SIDE[i]);
        if ((gone || (ours & (1u << i))) && unlink(p) == 0)
            fprintf(stderr, "kiosk: removed %s, left behind by the old kiosk.db\n", p);
    }
}

/* The sync thread's connection writes what may be lost in a power cut without losing a
 * resident: acknowledgements (lost, the check-in is sent again and hubd counts its id once), the
 * last good directory, set-asides, prunes. So no flush of its own (synchronous=NORMAL: in WAL
 * still never damaged); the UI's next commit, or the next checkpoint, flushes it. A resident's
 * check-in it writes in the UI's stead is flushed all the same (write_locked, durable).
 * It checkpoints the -wal into kiosk.db every 100 pages (SQLite's default is 1,000): each
 * checkpoint ends in a flush of kiosk.db, and a UI commit's own flush queues behind it, so many
 * small ones keep the resident's wait short (bench-sync during the 10,000 drain, on a shared
 * machine: max 9-27 ms over five runs at 100 pages, 17-90 ms over seven at 1,000). */
static const char SYNC_PRAGMAS[] = "PRAGMA synchronous=NORMAL; PRAGMA wal_autocheckpoint=100;";

/* The UI thread's own connection: durable (synchronous=FULL: in WAL each commit is flushed to
 * the -wal before it returns, with every frame before it), waiting up to 2 s for the sync's one
 * short write (busy_wait),
 * and never checkpointing in the resident's time unless the sync has not for a long while
 * (the sync's connection checkpoints at SQLite's usual 1,000 pages). */
static const char UI_PRAGMAS[] = "PRAGMA synchronous=FULL; PRAGMA wal_autocheckpoint=10000;";
static const char UI_INSERT[] =
    "INSERT OR IGNORE INTO checkins(id, created_ms, body) VALUES (?1, ?2, ?3)";

void store_ui_close(struct store *s)
{
    sqlite3_finalize(s->ui_ins);
    s->ui_ins = NULL;
    sqlite3_close_v2(s->ui);
    s->ui = NULL;
}

void store_ui_open(struct store *s)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *ins = NULL;
    store_ui_close(s);
    if (s->health != STORE_DURABLE)
        return;
    int rc = sqlite3_open_v2(s->path, &db, SQLITE_OPEN_READWRITE, NULL);
    if (db) {
        sqlite3_extended_result_codes(db, 1);
        sqlite3_busy_handler(db, busy_wait, &s->ui_busy_since);
    }
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(db, UI_PRAGMAS, NULL, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v3(db, UI_INSERT, -1, SQLITE_PREPARE_PERSISTENT, &ins, NULL);
    if (rc != SQLITE_OK) {
        fprintf(stderr,
                "kiosk: local store: a second connection to %s cannot be opened (%s); check-ins "
                "share the sync's\n",
                s->path, sqlite3_errstr(rc));
        sqlite3_finalize(ins);
        sqlite3_close_v2(db);
        return;
    }
    s->ui = db;
    s->ui_ins = ins;
}

/* Closes the connections to the file (the UI's first); when kiosk.db was deleted or replaced
 * under them, also the -wal and -shm they leave behind. Both locks held, durable. */
static void close_file(struct store *s)
{
    unsigned ours = 0;
    store_ui_close(s);
    for (unsigned i = 0; i < 2; i++)
        if (same_file(ident_of(s->path, SIDE[i]), s->side[i]))
            ours |= 1u << i; /* stat before closing, while the inode cannot be reused */
    bool moved = !same_file(ident_of(s->path, ""), s->file);
    sqlite3_close_v2(s->db);
    s->db = NULL;
    if (moved)
        drop_stale(s, ours);
}

/* Opens (creating) the file at the path, ready for writes. 0; or the error (-1 when not
 * SQLite's) with its cause. *out is set whenever SQLite opened something, even unwritable:
 * the caller may still read rows from it, and closes it. */
static int open_file(struct store *s, sqlite3 **out, char *cause, size_t cap)
{
    struct stat st;
    *out = NULL;
    if (make_dirs(s->dir) < 0) {
        snprintf(cause, cap, "the folder %s cannot be created (%s)", s->dir, strerror(errno));
        return -1;
    }
    drop_stale(s, 0);
    int rc = sqlite3_open_v2(s->path, out, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    if (*out) {
        sqlite3_extended_result_codes(*out, 1);
        sqlite3_busy_handler(*out, busy_wait, &s->busy_since);
    }
    if (rc == SQLITE_OK && sqlite3_db_readonly(*out, "main") == 1)
        rc = SQLITE_READONLY;
    /* residents' words are in it until hubd has them: the kiosk's user only (the -wal and
     * -shm files SQLite makes next take the same mode) */
    if (rc == SQLITE_OK && chmod(s->path, 0600) < 0)
        fprintf(stderr, "kiosk: cannot make %s private: %s\n", s->path, strerror(errno));
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(*out, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;", NULL, NULL,
                          NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(*out, SCHEMA, NULL, NULL, NULL);
    if (rc == SQLITE_OK && stat(s->path, &st) < 0)
        rc = SQLITE_CANTOPEN;
    if (rc != SQLITE_OK) {
        store_describe(s, rc, cause, cap);
        return rc;
    }
    s->file = (struct ident){st.st_dev, st.st_ino};
    for (int i = 0; i < 2; i++)
        s->side[i] = ident_of(s->path, SIDE[i]);
    return 0;
}

/* Copies every row `from` can still read with sel into `to` through ins. SQLITE_OK, or the
 * error writing `to`. A row `to` refuses (damaged: a constraint fails) is skipped. */
static int copy_table(sqlite3 *from, sqlite3 *to, const char *sel_sql, const char *ins_sql)
{
    sqlite3_stmt *sel = NULL, *ins = NULL;
    int rc = sqlite3_prepare_v2(to, ins_sql, -1, &ins, NULL);
    if (rc != SQLITE_OK || sqlite3_prepare_v2(from, sel_sql, -1, &sel, NULL) != SQLITE_OK)
        goto out_finalize; /* nothing readable: nothing to copy */
    int cols = sqlite3_column_count(sel);
    while (sqlite3_step(sel) == SQLITE_ROW) {
        for (int i = 0; i < cols; i++)
            sqlite3_bind_value(ins, i + 1, sqlite3_column_value(sel, i));
        int w = sqlite3_step(ins);
        sqlite3_reset(ins);
        if (w != SQLITE_DONE && (w & 0xff) != SQLITE_CONSTRAINT) {
            rc = w;
            break;
        }
    }
out_finalize:
    sqlite3_finalize(sel);
    sqlite3_finalize(ins);
    return rc;
}

/* Copies (merges) every readable check-in, the directory and the answers still to send from
 * `from` into `to`, in one transaction that always writes something (user_version), so success
 * proves `to` takes writes. SQLITE_OK or the error on `to`, which is left unchanged then. */
static int copy_all(sqlite3 *from, sqlite3 *to)
{
    if (!sqlite3_get_autocommit(from))
        sqlite3_exec(from, "ROLLBACK", NULL, NULL, NULL);
    int rc = sqlite3_exec(to, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = copy_table(from, to, COPY_CHECKINS_SEL, COPY_CHECKINS_INS);
    if (rc == SQLITE_OK)
        rc = copy_table(from, to, COPY_DIR_SEL, COPY_DIR_INS);
    if (rc == SQLITE_OK)
        rc = copy_table(from, to, COPY_FEEDBACK_SEL, COPY_FEEDBACK_INS);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(to, "PRAGMA user_version = 1", NULL, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(to, "COMMIT", NULL, NULL, NULL);
    if (rc != SQLITE_OK && !sqlite3_get_autocommit(to))
        sqlite3_exec(to, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

/* A new store in memory holding every row db can still read; NULL when out of memory. */
static sqlite3 *salvage(sqlite3 *db)
{
    sqlite3 *mem = open_memory();
    if (mem && db && copy_all(db, mem) != SQLITE_OK) {
        sqlite3_close(mem);
        mem = NULL;
    }
    return mem;
}

/* Moves the store from its failing file into memory: 0, or -1 (out of memory). Locked (mu);
 * takes ui_mu, so no write of the UI's is under way while the rows are copied. */
int store_to_memory(struct store *s, const char *cause)
{
    if (!sqlite3_get_autocommit(s->db)) /* never wait for the UI while holding the file */
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    pthread_mutex_lock(&s->ui_mu);
    store_ui_close(s); /* every check-in it wrote is in the file, and so copied */
    sqlite3 *mem = salvage(s->db);
    if (!mem) {
        store_ui_open(s);
        pthread_mutex_unlock(&s->ui_mu);
        return -1;
    }
    close_file(s);
    s->db = mem;
    set_health(s, STORE_VOLATILE, cause);
    pthread_mutex_unlock(&s->ui_mu);
    return 0;
}

/* Moves the store from memory into the file at the path, merging with what is there: 0 and
 * durable (the UI's connection opened too), or -1 with the cause (still in memory). Both
 * locks held. */
static int to_file(struct store *s, char *cause, size_t cap)
{
    sqlite3 *f = NULL;
    int rc = open_file(s, &f, cause, cap);
    if (rc == SQLITE_OK && (rc = copy_all(s->db, f)) != SQLITE_OK)
        store_describe(s, rc, cause, cap);
    if (rc != SQLITE_OK) {
        sqlite3_close_v2(f);
        return -1;
    }
    sqlite3_close_v2(s->db);
    s->db = f;
    sqlite3_exec(s->db, SYNC_PRAGMAS, NULL, NULL, NULL); /* the copy above was flushed */
    set_health(s, STORE_DURABLE, NULL);
    store_ui_open(s);
    return 0;
}

sqlite3_stmt *store_prep(struct store *s, const char *sql)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
        fprintf(stderr, "kiosk: STORE ERROR: %s\n", sqlite3_errmsg(s->db));
        return NULL;
    }
    return st;
}

/* How many check-ins are in state, or -1; locked by the caller. */
int store_count_locked(struct store *s, int state)
{
    int n = -1;
    sqlite3_stmt *st = store_prep(s, "SELECT count(*) FROM checkins WHERE state = ?1");
    if (st) {
        sqlite3_bind_int(st, 1, state);
        if (sqlite3_step(st) == SQLITE_ROW)
            n = sqlite3_column_int(st, 0);
    }
    sqlite3_finalize(st);
    return n;
}

struct store *store_open(const char *dir, char *err, size_t errcap)
{
    char cause[512] = "";
    sqlite3 *f = NULL;
    struct store *s = calloc(1, sizeof(*s));
    if (!s)
        goto out_oom;
    pthread_mutexattr_t ma; /* recursive: a write that fails moves the store while holding it */
    pthread_mutexattr_init(&ma);
    pthread_mutexattr_settype(&ma, PTHREAD_MUTEX_RECURSIVE);
    pthread_mutex_init(&s->mu, &ma);
    pthread_mutexattr_destroy(&ma);
    pthread_mutex_init(&s->ui_mu, NULL);
    snprintf(s->dir, sizeof(s->dir), "%s", dir);
    snprintf(s->path, sizeof(s->path), "%s/kiosk.db", dir);
    if (strlen(dir) >= sizeof(s->dir))
        snprintf(cause, sizeof(cause), "the folder name %.80s... is too long", dir);
    else if (open_file(s, &f, cause, sizeof(cause)) == SQLITE_OK) {
        s->db = f;
        sqlite3_exec(s->db, SYNC_PRAGMAS, NULL, NULL, NULL);
        store_ui_open(s);
        snprintf(err, errcap, "%s", "");
        return s;
    }
    s->db = salvage(f); /* what the unusable file still lets us read */
    sqlite3_close_v2(f);
    if (!s->db)
        goto out_free;
    set_health(s, STORE_VOLATILE, cause);
    snprintf(err, errcap, "%s", cause);
    return s;
out_free:
    pthread_mutex_destroy(&s->ui_mu);
    pthread_mutex_destroy(&s->mu);
    free(s);
out_oom:
    snprintf(err, errcap, "out of memory");
    return NULL;
}

void store_free(struct store *s)
{
    char cause[512];
    if (!s)
        return;
    store_ui_close(s);
    if (s->health == STORE_VOLATILE && to_file(s, cause, sizeof(cause)) < 0) {
        int n = store_count_locked(s, ST_PENDING);
        if (n > 0)
            fprintf(stderr,
                    "kiosk: LOCAL STORE: %d check-ins not yet sent to hubd are lost (kept in "
                    "memory only: %s)\n",
                    n, cause);
    }
    store_ui_close(s); /* to_file opened it */
    sqlite3_close_v2(s->db);
    cJSON_Delete(s->batch);
    pthread_mutex_destroy(&s->ui_mu);
    pthread_mutex_destroy(&s->mu);
    free(s);
}

int store_health(struct store *s, char *why, size_t cap)
{
    pthread_mutex_lock(&s->mu);
    int h = s->health;
    if (why && cap)
        snprintf(why, cap, "%s%s", s->why,
                 h == STORE_VOLATILE ? "; check-ins are kept in memory only" : "");
    pthread_mutex_unlock(&s->mu);
    return h;
}

int store_check(struct store *s)
{
    char cause[512], what[1300];
    pthread_mutex_lock(&s->mu);
    if (s->health == STORE_VOLATILE) {
        pthread_mutex_lock(&s->ui_mu);
        if (to_file(s, cause, sizeof(cause)) < 0)
            snprintf(s->why, sizeof(s->why), "%s", cause); /* the latest reason, quietly */
        pthread_mutex_unlock(&s->ui_mu);
        goto out_unlock;
    }
    struct ident now = ident_of(s->path, "");
    bool gone = db_gone(s);
    if (!gone && (!now.ino || same_file(now, s->file))) {
        /* the same file (or stat failed for another reason than ENOENT): copy the -wal back
         * into it here, off the UI thread, without stopping anyone's writes */
        sqlite3_wal_checkpoint_v2(s->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
        goto out_unlock;
    }
    /* Copy from the old connection (it still reads the unlinked file), close it, and only
     * then create the new file: the old one's WAL must never meet the new kiosk.db. */
    snprintf(what, sizeof(what), "%s was %s", s->path,
             gone ? "deleted" : "replaced by another file");
    pthread_mutex_lock(&s->ui_mu);
    store_ui_close(s); /* its check-ins are in the old file, and copied with the rest */
    sqlite3 *mem = salvage(s->db);
    if (!mem) {
        store_ui_open(s);
        pthread_mutex_unlock(&s->ui_mu);
        goto out_unlock; /* out of memory: still on the old file; again next time */
    }
    close_file(s);
    s->db = mem;
    if (to_file(s, cause, sizeof(cause)) == 0) {
        fprintf(stderr, "kiosk: local store: %s; its check-ins are now in %s file there\n", what,
                gone ? "a new" : "the");
    } else {
        snprintf(what + strlen(what), sizeof(what) - strlen(what), ", and %s", cause);
        set_health(s, STORE_VOLATILE, what);
    }
    pthread_mutex_unlock(&s->ui_mu);
out_unlock:;
    int h = s->health;
    pthread_mutex_unlock(&s->mu);
    return h;
}
