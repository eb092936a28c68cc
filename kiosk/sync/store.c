/* store.c — the local store's rows: check-ins (pending, acknowledged, set aside) and the last
 * good directory. Every write goes through write_locked, which moves to memory when the file
 * fails (store_file.c). */
#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "proto/checkin.h"
#include "proto/taxonomy.h"
#include "proto/utf8.h"
#include "store_int.h"
#include "proto/ticket.h"

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

void store_utc(int64_t ms, char out[STORE_TIME_LEN])
{
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, STORE_TIME_LEN, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

char *store_checkin_json(const struct kiosk_checkin *c, const char *id, int64_t created_ms,
                         const char *ticket)
{
    static const char *const chosen[] = {"router", "resident", "reception"};
    struct checkin w = {.created_ms = created_ms, .urgent = c->urgent, .consent = c->consent};
    snprintf(w.id, sizeof(w.id), "%s", id);
    snprintf(w.lang, sizeof(w.lang), "%s", c->lang[0] ? c->lang : "en");
    for (int i = 0; i < c->n_needs && i < ROUTE_MAX_NEEDS && w.n_needs < CHECKIN_NEEDS_MAX; i++)
        w.needs[w.n_needs++] = c->needs[i];
    for (int d = 0; d < DOMAIN_COUNT && w.n_domains < CHECKIN_DOM_MAX; d++)
        if (c->domain_mask & (1u << d))
            w.domains[w.n_domains++] = domain_name(d);
    w.has_worker = c->worker_id[0] != '\0';
    snprintf(w.worker_id, sizeof(w.worker_id), "%s", c->worker_id);
    unsigned cb = (unsigned)c->chosen_by;
    w.chosen_by = chosen[cb < 3 ? cb : 0];
    /* The same caps hubd keeps, cut at a character boundary, so what the resident typed is
     * what reaches the board. */
    char name[CHECKIN_NAME_MAX], text[CHECKIN_TEXT_MAX];
    snprintf(name, sizeof(name), "%s", c->name);
    snprintf(text, sizeof(text), "%s", c->text);
    utf8_truncate(name, LIMIT_NAME_CHARS, LIMIT_NAME_BYTES);
    utf8_truncate(text, LIMIT_TEXT_CHARS, LIMIT_TEXT_BYTES);
    w.name = name[0] ? name : NULL;
    w.text = c->consent && text[0] ? text : NULL;
    snprintf(w.kiosk_ticket, sizeof(w.kiosk_ticket), "%s", ticket ? ticket : "");
    return checkin_to_json(&w);
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
    if (rc != SQLITE_OK && s->health == STORE_DURABLE && store_disk_error(rc)) {
        char cause[512];
        store_describe(s, rc, cause, sizeof(cause));
        if (store_to_memory(s, cause) == 0)
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

int store_id_bodies(struct store *s, const char *sql, int max, char ids[][STORE_ID_LEN],
                    char **bodies)
{
    int n = 0;
    pthread_mutex_lock(&s->mu);
    sqlite3_stmt *st = store_prep(s, sql);
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

int store_pending(struct store *s, int max, char ids[][STORE_ID_LEN], char **bodies)
{
    return store_id_bodies(s,
                           "SELECT id, body FROM checkins WHERE state = 0 "
                           "ORDER BY created_ms, rowid LIMIT ?1",
                           max, ids, bodies);
}

static int count_state(struct store *s, int state)
{
    pthread_mutex_lock(&s->mu);
    int n = store_count_locked(s, state);
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

/* The stored body of id without the resident's words (malloc'd), or NULL. Locked. */
static char *stored_without_words(struct store *s, const char *id)
{
    char *body = NULL;
    sqlite3_stmt *st = store_prep(s, "SELECT body FROM checkins WHERE id = ?1");
    if (st) {
        sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
        if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
            body = without_words((const char *)sqlite3_column_text(st, 0));
        sqlite3_finalize(st);
    }
    return body;
}

int store_ack(struct store *s, const char *id, const struct ticket *t, int64_t now_ms)
{
    pthread_mutex_lock(&s->mu);
    char *body = stored_without_words(s, id);
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
    pthread_mutex_lock(&s->mu);
    char *body = stored_without_words(s, id);
    /* Set aside for good, so the resident's words go as an acknowledged check-in's do. */
    struct write w = {.sql = "UPDATE checkins SET state = 2, status = ?2, why = ?3,"
                             " body = coalesce(?4, '{}') WHERE id = ?1",
                      .p = {P_TEXT(id), P_INT(status), P_TEXT(why ? why : ""), P_TEXT(body)}};
    if (!body)
        w.p[3].type = 0;
    int rc = write_locked(s, &w);
    pthread_mutex_unlock(&s->mu);
    free(body);
    return rc;
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
        if (e != SQLITE_OK && store_disk_error(e)) {
            char cause[512];
            store_describe(s, e, cause, sizeof(cause));
            sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
            store_to_memory(s, cause);
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
        store_prep(s, "SELECT state, ticket, position, wait_min FROM checkins WHERE id = ?1");
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

long store_last_ticket(struct store *s, const char *code, int64_t since_ms)
{
    long best = 0;
    pthread_mutex_lock(&s->mu);
    sqlite3_stmt *st = store_prep(s, "SELECT json_extract(body, '$.ticket') FROM checkins"
                                     " WHERE created_ms >= ?1");
    if (st) {
        sqlite3_bind_int64(st, 1, since_ms);
        while (sqlite3_step(st) == SQLITE_ROW) {
            char got[TICKET_CODE_MAX + 1];
            long n;
            const char *t = (const char *)sqlite3_column_text(st, 0);
            if (t && ticket_parse(t, got, &n) == 0 && strcmp(got, code) == 0 && n > best)
                best = n;
        }
        sqlite3_finalize(st);
    }
    pthread_mutex_unlock(&s->mu);
    return best;
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
    sqlite3_stmt *st = store_prep(s, "SELECT etag, json FROM directory WHERE k = 1");
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

int store_write_row(struct store *s, const char *sql, const char *t1, int64_t i2, const char *t3)
{
    struct write w = {.sql = sql, .p = {P_TEXT(t1), P_INT(i2), P_TEXT(t3)}};
    return write_op(s, &w) == 0 ? w.changes : -1;
}
