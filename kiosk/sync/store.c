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
    int changes;  /* rows changed, once run */
    bool durable; /* flushed to disk before the call returns, on the sync's connection too */
};

/* Binds w's parameters to st and runs it (st is reset after). SQLITE_OK, or SQLite's (extended)
 * error. */
static int step_write(sqlite3 *db, sqlite3_stmt *st, struct write *w)
{
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    for (int i = 0; i < sqlite3_bind_parameter_count(st) && i < 6; i++) {
        const struct param *p = &w->p[i];
        if (p->type == 't')
            sqlite3_bind_text(st, i + 1, p->s, p->len, SQLITE_TRANSIENT);
        else if (p->type == 'i')
            sqlite3_bind_int64(st, i + 1, p->i);
    }
    int rc = sqlite3_step(st);
    w->changes = sqlite3_changes(db);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* Runs w on db: SQLITE_OK, or SQLite's (extended) error. */
static int run_write(sqlite3 *db, struct write *w)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, w->sql, -1, &st, NULL);
    if (rc != SQLITE_OK)
        return rc;
    rc = step_write(db, st, w);
    sqlite3_finalize(st);
    return rc;
}

/* Runs w on the sync's connection to the file (or memory), flushed before it returns when w
 * is durable (that connection's own writes are not: store_file.c). */
static int run_main(struct store *s, struct write *w)
{
    bool flush = w->durable && s->health == STORE_DURABLE;
    if (flush)
        sqlite3_exec(s->db, "PRAGMA synchronous=FULL", NULL, NULL, NULL);
    int rc = run_write(s->db, w);
    if (flush)
        sqlite3_exec(s->db, "PRAGMA synchronous=NORMAL", NULL, NULL, NULL);
    return rc;
}

/* Runs w, locked by the caller. When the file fails it, moves the store to memory (with every
 * readable row) and runs w there. 0 or -1. */
static int write_locked(struct store *s, struct write *w)
{
    int rc = run_main(s, w);
    if (rc != SQLITE_OK && s->health == STORE_DURABLE && store_disk_error(rc)) {
        char cause[512];
        store_describe(s, rc, cause, sizeof(cause));
        if (store_to_memory(s, cause) == 0)
            rc = run_main(s, w);
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

/* A write from the UI thread: on its own connection (through its prepared insert when
 * prepared, else w->sql), never behind the sync's lock. When there is none (volatile) or the
 * write fails there, through the sync's connection instead, flushed all the same, which moves
 * the store to memory and writes there when the file fails. 0 or -1. */
static int ui_write(struct store *s, struct write *w, bool prepared)
{
    pthread_mutex_lock(&s->ui_mu);
    if (s->ui) {
        int rc = prepared ? step_write(s->ui, s->ui_ins, w) : run_write(s->ui, w);
        pthread_mutex_unlock(&s->ui_mu);
        if (rc == SQLITE_OK)
            return 0;
    } else {
        pthread_mutex_unlock(&s->ui_mu);
    }
    w->durable = true;     /* as on the UI's own connection */
    return write_op(s, w); /* ui_mu released first: mu comes before it */
}

/* The connection a read from the UI thread uses: its own (ui_mu then held, *ui true), or the
 * sync's while there is none (mu held). Give it back with ui_put. */
static sqlite3 *ui_get(struct store *s, bool *ui)
{
    pthread_mutex_lock(&s->ui_mu);
    if (s->ui) {
        *ui = true;
        return s->ui;
    }
    pthread_mutex_unlock(&s->ui_mu);
    pthread_mutex_lock(&s->mu);
    *ui = false;
    return s->db;
}

static void ui_put(struct store *s, bool ui)
{
    pthread_mutex_unlock(ui ? &s->ui_mu : &s->mu);
}

static sqlite3_stmt *prep_on(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        fprintf(stderr, "kiosk: STORE ERROR: %s\n", sqlite3_errmsg(db));
        return NULL;
    }
    return st;
}

int store_add(struct store *s, const char *id, int64_t created_ms, const char *body)
{
    /* the same statement as the UI connection's prepared one (store_file.c) */
    struct write w = {
        .sql = "INSERT OR IGNORE INTO checkins(id, created_ms, body) VALUES (?1, ?2, ?3)",
        .p = {P_TEXT(id), P_INT(created_ms), P_TEXT(body)}};
    return ui_write(s, &w, true);
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

/* An acknowledged or set-aside row keeps its body without the resident's own words (name,
 * text); a body that is not JSON becomes {}. */
#define WITHOUT_WORDS                                                                              \
    "CASE WHEN json_valid(checkins.body) THEN json_remove(checkins.body, '$.name', '$.text')"      \
    " ELSE '{}' END"

/* Acknowledges every check-in in acks (a JSON array of {id, ticket, position, wait, at}) in one
 * statement, so one short transaction and one flush. Locked. 0 or -1. */
static int ack_all_locked(struct store *s, const char *acks)
{
    struct write w = {.sql = "UPDATE checkins SET state = 1, ticket = a.value ->> 'ticket',"
                             " position = a.value ->> 'position', wait_min = a.value ->> 'wait',"
                             " acked_ms = a.value ->> 'at', body = " WITHOUT_WORDS
                             " FROM json_each(?1) AS a WHERE checkins.id = a.value ->> 'id'",
                      .p = {P_TEXT(acks)}};
    return write_locked(s, &w);
}

/* The acknowledgement of id with t at now_ms, added to arr. 0, or -1 when out of memory. */
static int ack_item(cJSON *arr, const char *id, const struct ticket *t, int64_t now_ms)
{
    cJSON *o = cJSON_CreateObject();
    if (!o || !cJSON_AddItemToArray(arr, o)) {
        cJSON_Delete(o);
        return -1;
    }
    if (!cJSON_AddStringToObject(o, "id", id) || !cJSON_AddStringToObject(o, "ticket", t->code) ||
        !cJSON_AddNumberToObject(o, "position", t->position) ||
        !cJSON_AddNumberToObject(o, "wait", t->wait_min) ||
        !cJSON_AddNumberToObject(o, "at", (double)now_ms))
        return -1;
    return 0;
}

/* Runs the acknowledgements in arr (consumed). Locked. 0 or -1. */
static int ack_run_locked(struct store *s, cJSON *arr)
{
    char *acks = cJSON_PrintUnformatted(arr);
    cJSON_Delete(arr);
    int rc = acks ? ack_all_locked(s, acks) : -1;
    free(acks);
    return rc;
}

int store_ack(struct store *s, const char *id, const struct ticket *t, int64_t now_ms)
{
    int rc = -1;
    pthread_mutex_lock(&s->mu);
    if (s->batch) { /* written at store_commit, with the rest of the batch */
        rc = ack_item(s->batch, id, t, now_ms);
    } else {
        cJSON *one = cJSON_CreateArray();
        if (one && ack_item(one, id, t, now_ms) == 0)
            rc = ack_run_locked(s, one);
        else
            cJSON_Delete(one);
    }
    pthread_mutex_unlock(&s->mu);
    return rc;
}

int store_reject(struct store *s, const char *id, int status, const char *why)
{
    /* Set aside for good, so the resident's words go as an acknowledged check-in's do. */
    struct write w = {.sql = "UPDATE checkins SET state = 2, status = ?2, why = ?3,"
                             " body = " WITHOUT_WORDS " WHERE id = ?1",
                      .p = {P_TEXT(id), P_INT(status), P_TEXT(why ? why : "")}};
    return write_op(s, &w);
}

int store_begin(struct store *s)
{
    pthread_mutex_lock(&s->mu);
    cJSON_Delete(s->batch);
    s->batch = cJSON_CreateArray(); /* NULL when out of memory: each ack then stands alone */
    pthread_mutex_unlock(&s->mu);
    return 0;
}

int store_commit(struct store *s)
{
    int rc = 0;
    pthread_mutex_lock(&s->mu);
    cJSON *arr = s->batch;
    s->batch = NULL;
    if (arr && cJSON_GetArraySize(arr) > 0)
        rc = ack_run_locked(s, arr);
    else
        cJSON_Delete(arr);
    pthread_mutex_unlock(&s->mu);
    return rc;
}

int store_result(struct store *s, const char *id, struct ticket *t)
{
    int rc = -1;
    bool ui;
    sqlite3 *db = ui_get(s, &ui);
    sqlite3_stmt *st =
        prep_on(db, "SELECT state, ticket, position, wait_min FROM checkins WHERE id = ?1");
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
    ui_put(s, ui);
    return rc;
}

long store_last_ticket(struct store *s, const char *code, int64_t since_ms)
{
    long best = 0;
    bool ui;
    sqlite3 *db = ui_get(s, &ui);
    sqlite3_stmt *st = prep_on(db, "SELECT json_extract(body, '$.ticket') FROM checkins"
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
    ui_put(s, ui);
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
    return ui_write(s, &w, false) == 0 ? w.changes : -1;
}
