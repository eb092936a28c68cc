/* store.c — the local store on SQLite: pending and acknowledged check-ins, last good directory. */
#include "store.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>

#include "needs.h"

enum { ST_PENDING = 0, ST_ACKED = 1, ST_SET_ASIDE = 2 };

struct store {
    sqlite3 *db;
    pthread_mutex_t mu;
};

static const char SCHEMA[] =
    "CREATE TABLE IF NOT EXISTS checkins ("
    " id TEXT PRIMARY KEY, created_ms INTEGER NOT NULL, body TEXT NOT NULL,"
    " state INTEGER NOT NULL DEFAULT 0, ticket TEXT, position INTEGER, wait_min INTEGER,"
    " acked_ms INTEGER, status INTEGER, why TEXT);"
    "CREATE INDEX IF NOT EXISTS checkins_state ON checkins(state, created_ms);"
    "CREATE TABLE IF NOT EXISTS directory ("
    " k INTEGER PRIMARY KEY CHECK (k = 1), etag TEXT, json TEXT NOT NULL);";

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

struct store *store_open(const char *dir, char *err, size_t errcap)
{
    char path[1200];
    struct store *s = calloc(1, sizeof(*s));
    if (!s) {
        snprintf(err, errcap, "out of memory");
        return NULL;
    }
    if (make_dirs(dir) < 0) {
        snprintf(err, errcap, "%s: %s", dir, strerror(errno));
        goto out_free;
    }
    snprintf(path, sizeof(path), "%s/kiosk.db", dir);
    if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
        SQLITE_OK) {
        snprintf(err, errcap, "%s: %s", path, s->db ? sqlite3_errmsg(s->db) : "cannot open");
        goto out_close;
    }
    sqlite3_busy_timeout(s->db, 2000);
    char *msg = NULL;
    if (sqlite3_exec(s->db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;", NULL, NULL,
                     &msg) != SQLITE_OK ||
        sqlite3_exec(s->db, SCHEMA, NULL, NULL, &msg) != SQLITE_OK) {
        snprintf(err, errcap, "%s: %s", path, msg ? msg : sqlite3_errmsg(s->db));
        sqlite3_free(msg);
        goto out_close;
    }
    pthread_mutex_init(&s->mu, NULL);
    return s;
out_close:
    sqlite3_close(s->db);
out_free:
    free(s);
    return NULL;
}

void store_free(struct store *s)
{
    if (!s)
        return;
    sqlite3_close(s->db);
    pthread_mutex_destroy(&s->mu);
    free(s);
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

/* Runs one prepared statement to completion under the lock. 0 or -1. */
static int exec_locked(struct store *s, sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        fprintf(stderr, "kiosk: STORE WRITE FAILED: %s\n", sqlite3_errmsg(s->db));
        return -1;
    }
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

int store_add(struct store *s, const char *id, int64_t created_ms, const char *body)
{
    int rc = -1;
    pthread_mutex_lock(&s->mu);
    sqlite3_stmt *st =
        prep(s, "INSERT OR IGNORE INTO checkins(id, created_ms, body) VALUES (?1, ?2, ?3)");
    if (st) {
        sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(st, 2, created_ms);
        sqlite3_bind_text(st, 3, body, -1, SQLITE_TRANSIENT);
        rc = exec_locked(s, st);
    }
    pthread_mutex_unlock(&s->mu);
    return rc;
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
    int n = -1;
    pthread_mutex_lock(&s->mu);
    sqlite3_stmt *st = prep(s, "SELECT count(*) FROM checkins WHERE state = ?1");
    if (st) {
        sqlite3_bind_int(st, 1, state);
        if (sqlite3_step(st) == SQLITE_ROW)
            n = sqlite3_column_int(st, 0);
    }
    sqlite3_finalize(st);
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
    int rc = -1;
    char *body = NULL;
    pthread_mutex_lock(&s->mu);
    sqlite3_stmt *st = prep(s, "SELECT body FROM checkins WHERE id = ?1");
    if (st) {
        sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
        if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
            body = without_words((const char *)sqlite3_column_text(st, 0));
        sqlite3_finalize(st);
    }
    st = prep(s, "UPDATE checkins SET state = 1, ticket = ?2, position = ?3, wait_min = ?4,"
                 " acked_ms = ?5, body = coalesce(?6, '{}') WHERE id = ?1");
    if (st) {
        sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 2, t->code, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int(st, 3, t->position);
        sqlite3_bind_int(st, 4, t->wait_min);
        sqlite3_bind_int64(st, 5, now_ms);
        if (body)
            sqlite3_bind_text(st, 6, body, -1, SQLITE_TRANSIENT);
        rc = exec_locked(s, st);
    }
    pthread_mutex_unlock(&s->mu);
    free(body);
    return rc;
}

int store_reject(struct store *s, const char *id, int status, const char *why)
{
    int rc = -1;
    pthread_mutex_lock(&s->mu);
    sqlite3_stmt *st =
        prep(s, "UPDATE checkins SET state = 2, status = ?2, why = ?3 WHERE id = ?1");
    if (st) {
        sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int(st, 2, status);
        sqlite3_bind_text(st, 3, why ? why : "", -1, SQLITE_TRANSIENT);
        rc = exec_locked(s, st);
    }
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
    int rc = -1;
    pthread_mutex_lock(&s->mu);
    sqlite3_stmt *st = prep(s, "DELETE FROM checkins WHERE state = 1 AND acked_ms < ?1");
    if (st) {
        sqlite3_bind_int64(st, 1, now_ms - age_ms);
        if (exec_locked(s, st) == 0)
            rc = sqlite3_changes(s->db);
    }
    pthread_mutex_unlock(&s->mu);
    return rc;
}

int store_put_dir(struct store *s, const char *json, size_t len, const char *etag)
{
    int rc = -1;
    pthread_mutex_lock(&s->mu);
    sqlite3_stmt *st =
        prep(s, "INSERT OR REPLACE INTO directory(k, etag, json) VALUES (1, ?1, ?2)");
    if (st) {
        sqlite3_bind_text(st, 1, etag ? etag : "", -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 2, json, (int)len, SQLITE_TRANSIENT);
        rc = exec_locked(s, st);
    }
    pthread_mutex_unlock(&s->mu);
    return rc;
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
