/* store_sqlite_hub.c — the SQLite backend's hub side: the hub and its workers, tokens (add,
 * find, list, revoke) and the retention purge that really forgets. */
#include "store_sqlite_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int load_workers(struct sq_conn *c, struct hdir *out)
{
    sqlite3_stmt *st = sq_stmt(c, S_WORKERS_GET);
    size_t cap = 0;
    bool oom = false;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (out->n_workers == cap) {
            size_t ncap = cap ? cap * 2 : 16;
            struct hdir_worker *w = realloc(out->workers, ncap * sizeof(*w));
            if (!w) {
                oom = true;
                break;
            }
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
        w->waiting = sqlite3_column_int(st, 9);
        w->desk_cy = sq_dup(st, 10, &oom);
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE && !oom ? 0 : STORE_EIO;
}

int sq_hub_load(struct store *st, struct hdir *out)
{
    struct sqlite_store *s = (struct sqlite_store *)st;
    bool oom = false;
    int rc = STORE_EIO;
    memset(out, 0, sizeof(*out));
    struct sq_conn *c = sq_reader(s);
    sq_stmt(c, S_BEGIN_READ);
    if (sq_exec(c, S_BEGIN_READ) < 0)
        goto out_done;
    sqlite3_stmt *q = sq_stmt(c, S_HUB_GET);
    int step = sqlite3_step(q);
    if (step == SQLITE_ROW) {
        out->has_hub = true;
        out->hub_id = sq_dup(q, 0, &oom);
        out->hub_name = sq_dup(q, 1, &oom);
        out->timezone = sq_dup(q, 2, &oom);
    }
    sqlite3_reset(q);
    if ((step == SQLITE_ROW || step == SQLITE_DONE) && !oom)
        rc = load_workers(c, out);
    sq_stmt(c, S_COMMIT);
    sq_exec(c, S_COMMIT);
out_done:
    sq_reader_done(c);
    if (rc < 0)
        hdir_release(out);
    return rc;
}

static int insert_worker(struct sq_conn *c, const struct hdir_worker *w, int ord)
{
    sqlite3_stmt *st = sq_stmt(c, S_WORKER_INS);
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
    sq_text(st, 11, w->desk_cy && w->desk_cy[0] ? w->desk_cy : NULL);
    return sq_exec(c, S_WORKER_INS);
}

int sq_hub_seed(struct store *st, const struct hdir *d, int64_t now_ms)
{
    struct sqlite_store *s = (struct sqlite_store *)st;
    int rc = sq_begin(s);
    if (rc < 0)
        return rc;
    sqlite3_stmt *q = sq_stmt(&s->w, S_HUB_GET);
    int step = sqlite3_step(q);
    sqlite3_reset(q);
    rc = step == SQLITE_ROW ? STORE_ECONFLICT : step == SQLITE_DONE ? 0 : STORE_EIO;
    if (rc == 0) {
        sqlite3_stmt *h = sq_stmt(&s->w, S_HUB_INS);
        sq_text(h, 1, d->hub_id);
        sq_text(h, 2, d->hub_name);
        sq_text(h, 3, d->timezone);
        sqlite3_bind_int64(h, 4, now_ms);
        rc = sq_exec(&s->w, S_HUB_INS);
    }
    for (size_t i = 0; rc == 0 && i < d->n_workers; i++)
        rc = insert_worker(&s->w, &d->workers[i], (int)i);
    if (rc == 0)
        return sq_commit(s);
    sq_rollback(s);
    return rc;
}

int sq_token_add(struct store *st, const uint8_t hash[SHA256_LEN], const char *role,
                 const char *name, const char *worker_id, const char *code, int64_t now_ms)
{
    struct sqlite_store *s = (struct sqlite_store *)st;
    int rc = sq_begin(s);
    if (rc < 0)
        return rc;
    sqlite3_stmt *q = sq_stmt(&s->w, S_TOKEN_INS);
    sqlite3_bind_blob(q, 1, hash, SHA256_LEN, SQLITE_TRANSIENT);
    sq_text(q, 2, role);
    sq_text(q, 3, name);
    sq_text(q, 4, worker_id);
    sqlite3_bind_int64(q, 5, now_ms);
    sq_text(q, 6, code);
    if (sq_exec(&s->w, S_TOKEN_INS) == 0)
        return sq_commit(s);
    sq_rollback(s);
    return STORE_EIO;
}

/* Copies columns first.. (role, name, worker_id, created_at, code) of a token row into t. */
static void token_row(sqlite3_stmt *q, int first, struct token_info *t)
{
    snprintf(t->role, sizeof(t->role), "%s", sq_col(q, first));
    snprintf(t->name, sizeof(t->name), "%s", sq_col(q, first + 1));
    snprintf(t->worker_id, sizeof(t->worker_id), "%s", sq_col(q, first + 2));
    t->hub[0] = '\0'; /* one hub per file: the file's */
    t->created_ms = sqlite3_column_int64(q, first + 3);
    snprintf(t->code, sizeof(t->code), "%s", sq_col(q, first + 4));
}

int sq_token_find(struct store *st, const uint8_t hash[SHA256_LEN], struct token_info *out)
{
    struct sqlite_store *s = (struct sqlite_store *)st;
    struct sq_conn *c = sq_reader(s);
    sqlite3_stmt *q = sq_stmt(c, S_TOKEN_GET);
    sqlite3_bind_blob(q, 1, hash, SHA256_LEN, SQLITE_TRANSIENT);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW)
        token_row(q, 0, out);
    sqlite3_reset(q);
    sq_reader_done(c);
    return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? STORE_ENOTFOUND : STORE_EIO;
}

int sq_tokens_load(struct store *st, token_row_fn fn, void *ctx)
{
    struct sqlite_store *s = (struct sqlite_store *)st;
    struct token_info t;
    int rc, out = 0;
    struct sq_conn *c = sq_reader(s);
    sqlite3_stmt *q = sq_stmt(c, S_TOKENS_ALL);
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        const void *h = sqlite3_column_blob(q, 0);
        if (!h || sqlite3_column_bytes(q, 0) != SHA256_LEN)
            continue;
        token_row(q, 1, &t);
        if ((out = fn(h, &t, ctx)))
            break;
    }
    sqlite3_reset(q);
    sq_reader_done(c);
    if (out)
        return out;
    return rc == SQLITE_DONE ? 0 : STORE_EIO;
}

int sq_token_revoke(struct store *st, const char *name, int *n)
{
    struct sqlite_store *s = (struct sqlite_store *)st;
    *n = 0;
    int rc = sq_begin(s);
    if (rc < 0)
        return rc;
    sq_text(sq_stmt(&s->w, S_TOKEN_DEL), 1, name);
    if (sq_exec(&s->w, S_TOKEN_DEL) < 0) {
        sq_rollback(s);
        return STORE_EIO;
    }
    *n = sqlite3_changes(s->w.db);
    return sq_commit(s);
}

/* Copies the write-ahead log into the database and truncates it to nothing, so the
 * purged rows' old versions are gone from hub.db-wal too. Retried at the next purge when a
 * reader holds the log. */
static void checkpoint(struct sqlite_store *s)
{
    int log = 0, done = 0;
    pthread_mutex_lock(&s->w.lock);
    int rc = sqlite3_wal_checkpoint_v2(s->w.db, NULL, SQLITE_CHECKPOINT_TRUNCATE, &log, &done);
    pthread_mutex_unlock(&s->w.lock);
    s->checkpoint_due = rc != SQLITE_OK;
    if (rc != SQLITE_OK && rc != SQLITE_BUSY)
        fprintf(stderr, "hubd: checkpoint after the purge failed (%s); will retry\n",
                sqlite3_errstr(rc));
}

int sq_purge(struct store *st, int64_t before_ms, int *n)
{
    struct sqlite_store *s = (struct sqlite_store *)st;
    int notes = 0;
    *n = 0;
    int rc = sq_begin(s);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(sq_stmt(&s->w, S_PURGE_CHK), 1, before_ms);
    rc = sq_exec(&s->w, S_PURGE_CHK);
    *n = sqlite3_changes(s->w.db);
    sqlite3_bind_int64(sq_stmt(&s->w, S_PURGE_EV), 1, before_ms);
    if (rc == 0 && (rc = sq_exec(&s->w, S_PURGE_EV)) == 0)
        notes = sqlite3_changes(s->w.db);
    if (rc < 0) {
        sq_rollback(s);
        return rc;
    }
    /* secure_delete has zeroed the old cells in the pages written; the checkpoint removes the
     * log's older copies of those pages */
    if ((rc = sq_commit(s)) == 0 && (*n > 0 || notes > 0 || s->checkpoint_due))
        checkpoint(s);
    return rc;
}
