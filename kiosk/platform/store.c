/* store.c — the local store on SQLite: pending and acknowledged check-ins, last good directory.
 * Durable in DIR/kiosk.db; when that file fails, the same tables in memory until it works again. */
#include "store.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "needs.h"

enum { ST_PENDING = 0, ST_ACKED = 1, ST_SET_ASIDE = 2 };

/* Which file a path names (ino 0: none). */
struct ident {
    dev_t dev;
    ino_t ino;
};

static const char *const SIDE[] = {"-wal", "-shm", "-journal"};

struct store {
    sqlite3 *db; /* DIR/kiosk.db while durable, ":memory:" while volatile */
    pthread_mutex_t mu;
    sqlite3 *txn;               /* the connection store_begin opened a transaction on, or NULL */
    int health;                 /* enum store_health */
    struct ident file, side[2]; /* kiosk.db and its -wal, -shm as opened, while durable */
    char dir[1024];
    char path[1100];
    char why[600]; /* the cause, while volatile */
};

static const char SCHEMA[] =
    "CREATE TABLE IF NOT EXISTS checkins ("
    " id TEXT PRIMARY KEY, created_ms INTEGER NOT NULL, body TEXT NOT NULL,"
    " state INTEGER NOT NULL DEFAULT 0, ticket TEXT, position INTEGER, wait_min INTEGER,"
    " acked_ms INTEGER, status INTEGER, why TEXT);"
    "CREATE INDEX IF NOT EXISTS checkins_state ON checkins(state, created_ms);"
    "CREATE TABLE IF NOT EXISTS directory ("
    " k INTEGER PRIMARY KEY CHECK (k = 1), etag TEXT, json TEXT NOT NULL);";

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
static bool disk_error(int rc)
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
static void describe(const struct store *s, int rc, char *out, size_t cap)
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

/* Closes the connection to the file; when kiosk.db was deleted or replaced under it, also the
 * -wal and -shm it leaves behind. Locked, durable. */
static void close_file(struct store *s)
{
    unsigned ours = 0;
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
        sqlite3_busy_timeout(*out, 2000);
    }
    if (rc == SQLITE_OK && sqlite3_db_readonly(*out, "main") == 1)
        rc = SQLITE_READONLY;
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(*out, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;", NULL, NULL,
                          NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(*out, SCHEMA, NULL, NULL, NULL);
    if (rc == SQLITE_OK && stat(s->path, &st) < 0)
        rc = SQLITE_CANTOPEN;
    if (rc != SQLITE_OK) {
        describe(s, rc, cause, cap);
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

/* Copies (merges) every readable check-in and the directory from `from` into `to`, in one
 * transaction that always writes something (user_version), so success proves `to` takes
 * writes. SQLITE_OK or the error on `to`, which is left unchanged then. */
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

/* Moves the store from its failing file into memory: 0, or -1 (out of memory). Locked. */
static int to_memory(struct store *s, const char *cause)
{
    sqlite3 *mem = salvage(s->db);
    if (!mem)
        return -1;
    close_file(s);
    s->db = mem;
    set_health(s, STORE_VOLATILE, cause);
    return 0;
}

/* Moves the store from memory into the file at the path, merging with what is there: 0 and
 * durable, or -1 with the cause (still in memory). Locked. */
static int to_file(struct store *s, char *cause, size_t cap)
{
    sqlite3 *f = NULL;
    int rc = open_file(s, &f, cause, cap);
    if (rc == SQLITE_OK && (rc = copy_all(s->db, f)) != SQLITE_OK)
        describe(s, rc, cause, cap);
    if (rc != SQLITE_OK) {
        sqlite3_close_v2(f);
        return -1;
    }
    sqlite3_close_v2(s->db);
    s->db = f;
    set_health(s, STORE_DURABLE, NULL);
    return 0;
}

static sqlite3_stmt *prep(struct store *s, const char *sql)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
        fprintf(stderr, "kiosk: STORE ERROR: %s\n", sqlite3_errmsg(s->db));
        return NULL;
    }
    return st;
}

/* How many check-ins are in state, or -1; locked by the caller. */
static int count_locked(struct store *s, int state)
{
    int n = -1;
    sqlite3_stmt *st = prep(s, "SELECT count(*) FROM checkins WHERE state = ?1");
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
    pthread_mutexattr_t ma; /* recursive: store_begin holds it across a batch of writes */
    pthread_mutexattr_init(&ma);
    pthread_mutexattr_settype(&ma, PTHREAD_MUTEX_RECURSIVE);
    pthread_mutex_init(&s->mu, &ma);
    pthread_mutexattr_destroy(&ma);
    snprintf(s->dir, sizeof(s->dir), "%s", dir);
    snprintf(s->path, sizeof(s->path), "%s/kiosk.db", dir);
    if (strlen(dir) >= sizeof(s->dir))
        snprintf(cause, sizeof(cause), "the folder name %.80s... is too long", dir);
    else if (open_file(s, &f, cause, sizeof(cause)) == SQLITE_OK) {
        s->db = f;
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
    if (s->health == STORE_VOLATILE && to_file(s, cause, sizeof(cause)) < 0) {
        int n = count_locked(s, ST_PENDING);
        if (n > 0)
            fprintf(stderr,
                    "kiosk: LOCAL STORE: %d check-ins not yet sent to hubd are lost (kept in "
                    "memory only: %s)\n",
                    n, cause);
    }
    sqlite3_close_v2(s->db);
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
        if (to_file(s, cause, sizeof(cause)) < 0)
            snprintf(s->why, sizeof(s->why), "%s", cause); /* the latest reason, quietly */
        goto out_unlock;
    }
    struct ident now = ident_of(s->path, "");
    bool gone = db_gone(s);
    if (!gone && (!now.ino || same_file(now, s->file)))
        goto out_unlock; /* the same file, or stat failed for another reason than ENOENT */
    /* Copy from the old connection (it still reads the unlinked file), close it, and only
     * then create the new file: the old one's WAL must never meet the new kiosk.db. */
    snprintf(what, sizeof(what), "%s was %s", s->path,
             gone ? "deleted" : "replaced by another file");
    sqlite3 *mem = salvage(s->db);
    if (!mem)
        goto out_unlock; /* out of memory: still on the old file; again next time */
    close_file(s);
    s->db = mem;
    if (to_file(s, cause, sizeof(cause)) == 0) {
        fprintf(stderr, "kiosk: local store: %s; its check-ins are now in %s file there\n", what,
                gone ? "a new" : "the");
    } else {
        snprintf(what + strlen(what), sizeof(what) - strlen(what), ", and %s", cause);
        set_health(s, STORE_VOLATILE, what);
    }
out_unlock:;
    int h = s->health;
    pthread_mutex_unlock(&s->mu);
    return h;
}

int store_uuid4(char out[STORE_ID_LEN])
{
    unsigned char b[16];
    size_t got = 0;
    while (got < sizeof(b)) {
        ssize_t k = getrandom(b + got, sizeof(b) - got, 0);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return -1;
        got += (size_t)k;
    }
    b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
    b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
    snprintf(out, STORE_ID_LEN,
             "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
             b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
             b[15]);
    return 0;
}

char *store_checkin_json(const struct checkin *c, const char *id, int64_t created_ms)
{
    static const char *const chosen[] = {"router", "resident", "reception"};
    char at[32];
    time_t t = (time_t)(created_ms / 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(at, sizeof(at), "%Y-%m-%dT%H:%M:%SZ", &tm);
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    cJSON_AddStringToObject(o, "id", id);
    cJSON_AddStringToObject(o, "created_at", at);
    cJSON_AddStringToObject(o, "lang", c->lang[0] ? c->lang : "en");
    cJSON *needs = cJSON_AddArrayToObject(o, "needs");
    for (int i = 0; needs && i < c->n_needs && i < ROUTE_MAX_NEEDS; i++)
        cJSON_AddItemToArray(needs, cJSON_CreateString(c->needs[i]));
    cJSON *doms = cJSON_AddArrayToObject(o, "domains");
    for (int d = 0; doms && d < DOMAIN_COUNT; d++)
        if (c->domain_mask & (1u << d))
            cJSON_AddItemToArray(doms, cJSON_CreateString(domain_name(d)));
    cJSON_AddBoolToObject(o, "urgent", c->urgent);
    if (c->worker_id[0])
        cJSON_AddStringToObject(o, "worker_id", c->worker_id);
    else
        cJSON_AddNullToObject(o, "worker_id");
    unsigned cb = (unsigned)c->chosen_by;
    cJSON_AddStringToObject(o, "chosen_by", chosen[cb < 3 ? cb : 0]);
    if (c->name[0])
        cJSON_AddStringToObject(o, "name", c->name);
    if (c->consent && c->text[0])
        cJSON_AddStringToObject(o, "text", c->text);
    cJSON_AddBoolToObject(o, "consent", c->consent);
    char *out = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return out;
}

/* One write: a statement and its parameters ?1.. (text, integer, or NULL when type is 0). */
struct param {
    char type; /* 't' text of len bytes (-1: up to its NUL), 'i' integer */
    const char *s;
    int len;
    int64_t i;
};
#define P_TEXT(x)                                                                                  \
    {                                                                                              \
        .type = 't', .s = (x), .len = -1                                                           \
    }
#define P_INT(x)                                                                                   \
    {                                                                                              \
        .type = 'i', .i = (x)                                                                      \
    }
struct write {
    const char *sql;
    struct param p[6];
    int changes; /* rows changed, once run */
};

/* Runs w on db: SQLITE_OK, or SQLite's (extended) error. */
static int run_write(sqlite3 *db, struct write *w)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, w->sql, -1, &st, NULL);
    if (rc != SQLITE_OK)
        return rc;
    for (int i = 0; i < sqlite3_bind_parameter_count(st) && i < 6; i++) {
        const struct param *p = &w->p[i];
        if (p->type == 't')
            sqlite3_bind_text(st, i + 1, p->s, p->len, SQLITE_TRANSIENT);
        else if (p->type == 'i')
            sqlite3_bind_int64(st, i + 1, p->i);
    }
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    w->changes = sqlite3_changes(db);
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* Runs w, locked by the caller. When the file fails it, moves the store to memory (with every
 * readable row) and runs w there. 0 or -1. */
static int write_locked(struct store *s, struct write *w)
{
    int rc = run_write(s->db, w);
    if (rc != SQLITE_OK && s->health == STORE_DURABLE && disk_error(rc)) {
        char cause[512];
        describe(s, rc, cause, sizeof(cause));
        if (to_memory(s, cause) == 0)
            rc = run_write(s->db, w);
    }
    if (rc != SQLITE_OK)
        fprintf(stderr, "kiosk: STORE WRITE FAILED: %s\n", sqlite3_errstr(rc));
    return rc == SQLITE_OK ? 0 : -1;
}

static int write_op(struct store *s, struct write *w)
{
    pthread_mutex_lock(&s->mu);
    int rc = write_locked(s, w);
    pthread_mutex_unlock(&s->mu);
    return rc;
}

int store_add(struct store *s, const char *id, int64_t created_ms, const char *body)
{
    struct write w = {
        .sql = "INSERT OR IGNORE INTO checkins(id, created_ms, body) VALUES (?1, ?2, ?3)",
        .p = {P_TEXT(id), P_INT(created_ms), P_TEXT(body)}};
    return write_op(s, &w);
}

int store_pending(struct store *s, int max, char ids[][STORE_ID_LEN], char **bodies)
{
    int n = 0;
    pthread_mutex_lock(&s->mu);
    sqlite3_stmt *st = prep(s, "SELECT id, body FROM checkins WHERE state = 0 "
                               "ORDER BY created_ms, rowid LIMIT ?1");
    if (!st) {
        pthread_mutex_unlock(&s->mu);
        return -1;
    }
    sqlite3_bind_int(st, 1, max);
    while (n < max && sqlite3_step(st) == SQLITE_ROW) {
        const char *id = (const char *)sqlite3_column_text(st, 0);
        const char *body = (const char *)sqlite3_column_text(st, 1);
        if (!id || !body || !(bodies[n] = strdup(body)))
            continue;
        snprintf(ids[n], STORE_ID_LEN, "%s", id);
        n++;
    }
    sqlite3_finalize(st);
    pthread_mutex_unlock(&s->mu);
    return n;
}

static int count_state(struct store *s, int state)
{
    pthread_mutex_lock(&s->mu);
    int n = count_locked(s, state);
    pthread_mutex_unlock(&s->mu);
    return n;
}

int store_count_pending(struct store *s)
{
    return count_state(s, ST_PENDING);
}

int store_count_set_aside(struct store *s)
{
    return count_state(s, ST_SET_ASIDE);
}

/* body without the resident's own words (name, text); malloc'd, or NULL. */
static char *without_words(const char *body)
{
    cJSON *o = cJSON_Parse(body);
    if (!o)
        return NULL;
    cJSON_DeleteItemFromObject(o, "name");
    cJSON_DeleteItemFromObject(o, "text");
    char *out = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return out;
}

int store_ack(struct store *s, const char *id, const struct ticket *t, int64_t now_ms)
{
    char *body = NULL;
    pthread_mutex_lock(&s->mu);
    sqlite3_stmt *st = prep(s, "SELECT body FROM checkins WHERE id = ?1");
    if (st) {
        sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
        if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
            body = without_words((const char *)sqlite3_column_text(st, 0));
        sqlite3_finalize(st);
    }
    struct write w = {
        .sql = "UPDATE checkins SET state = 1, ticket = ?2, position = ?3, wait_min = ?4,"
               " acked_ms = ?5, body = coalesce(?6, '{}') WHERE id = ?1",
        .p = {P_TEXT(id), P_TEXT(t->code), P_INT(t->position), P_INT(t->wait_min), P_INT(now_ms),
              P_TEXT(body)}};
    if (!body)
        w.p[5].type = 0;
    int rc = write_locked(s, &w);
    pthread_mutex_unlock(&s->mu);
    free(body);
    return rc;
}

int store_reject(struct store *s, const char *id, int status, const char *why)
{
    struct write w = {.sql = "UPDATE checkins SET state = 2, status = ?2, why = ?3 WHERE id = ?1",
                      .p = {P_TEXT(id), P_INT(status), P_TEXT(why ? why : "")}};
    return write_op(s, &w);
}

int store_begin(struct store *s)
{
    pthread_mutex_lock(&s->mu);
    s->txn = s->db;
    if (sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        s->txn = NULL; /* each write then stands on its own */
    return 0;
}

int store_commit(struct store *s)
{
    int rc = 0;
    /* A write that moved the store to memory left the file's transaction behind (closing the
     * file rolled it back); what it held is still pending and is simply sent again. */
    if (s->txn && s->txn == s->db) {
        int e = sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
        if (e != SQLITE_OK && disk_error(e)) {
            char cause[512];
            describe(s, e, cause, sizeof(cause));
            sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
            to_memory(s, cause);
            rc = -1;
        } else if (e != SQLITE_OK) {
            sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
            rc = -1;
        }
    }
    s->txn = NULL;
    pthread_mutex_unlock(&s->mu);
    return rc;
}

int store_result(struct store *s, const char *id, struct ticket *t)
{
    int rc = -1;
    pthread_mutex_lock(&s->mu);
    sqlite3_stmt *st =
        prep(s, "SELECT state, ticket, position, wait_min FROM checkins WHERE id = ?1");
    if (st) {
        sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
        rc = 0;
        if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) == ST_ACKED) {
            const char *code = (const char *)sqlite3_column_text(st, 1);
            memset(t, 0, sizeof(*t));
            snprintf(t->code, sizeof(t->code), "%s", code ? code : "");
            t->position = sqlite3_column_int(st, 2);
            t->wait_min = sqlite3_column_int(st, 3);
            rc = 1;
        }
        sqlite3_finalize(st);
    }
    pthread_mutex_unlock(&s->mu);
    return rc;
}

int store_prune(struct store *s, int64_t now_ms, int64_t age_ms)
{
    struct write w = {.sql = "DELETE FROM checkins WHERE state = 1 AND acked_ms < ?1",
                      .p = {P_INT(now_ms - age_ms)}};
    return write_op(s, &w) == 0 ? w.changes : -1;
}

int store_put_dir(struct store *s, const char *json, size_t len, const char *etag)
{
    struct write w = {.sql = "INSERT OR REPLACE INTO directory(k, etag, json) VALUES (1, ?1, ?2)",
                      .p = {P_TEXT(etag ? etag : ""), {.type = 't', .s = json, .len = (int)len}}};
    return write_op(s, &w);
}

char *store_get_dir(struct store *s, size_t *len, char *etag, size_t etagcap)
{
    char *out = NULL;
    pthread_mutex_lock(&s->mu);
    sqlite3_stmt *st = prep(s, "SELECT etag, json FROM directory WHERE k = 1");
    if (st && sqlite3_step(st) == SQLITE_ROW) {
        const char *e = (const char *)sqlite3_column_text(st, 0);
        const char *j = (const char *)sqlite3_column_text(st, 1);
        int n = sqlite3_column_bytes(st, 1);
        if (j && (out = malloc((size_t)n + 1))) {
            memcpy(out, j, (size_t)n);
            out[n] = '\0';
            *len = (size_t)n;
            if (etag && etagcap)
                snprintf(etag, etagcap, "%s", e ? e : "");
        }
    }
    sqlite3_finalize(st);
    pthread_mutex_unlock(&s->mu);
    return out;
}
