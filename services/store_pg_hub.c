/* store_pg_hub.c — the PostgreSQL backend's hub side: the hub and its workers, tokens (add,
 * find, list, revoke) and the retention purge. */
#include "store_pg_int.h"

#include "proto/valid.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int load_workers(const PGresult *r, struct hdir *out)
{
    bool oom = false;
    int n = PQntuples(r);
    if (n == 0)
        return 0;
    out->workers = calloc((size_t)n, sizeof(*out->workers));
    if (!out->workers)
        return STORE_EIO;
    for (int i = 0; i < n; i++) {
        struct hdir_worker *w = &out->workers[out->n_workers++];
        w->id = pg_dup(r, i, 0, &oom);
        w->name = pg_dup(r, i, 1, &oom);
        w->role = pg_dup(r, i, 2, &oom);
        w->desk = pg_dup(r, i, 3, &oom);
        w->domains = pg_dup(r, i, 4, &oom);
        w->needs = pg_dup(r, i, 5, &oom);
        w->languages = pg_dup(r, i, 6, &oom);
        w->duty = pg_int(r, i, 7) != 0;
        w->status = worker_status_lookup(pg_col(r, i, 8));
        if (!w->status)
            w->status = "off";
        w->waiting = (int)pg_int(r, i, 9);
        w->desk_cy = pg_dup(r, i, 10, &oom);
    }
    return oom ? STORE_EIO : 0;
}

int pg_hub_load(struct store *st, struct hdir *out)
{
    struct pg_store *s = (struct pg_store *)st;
    char hub[IDENT_MAX + 1];
    bool oom = false;
    int rc = STORE_EIO;
    memset(out, 0, sizeof(*out));
    pg_hub(s, hub);
    PGconn *c = pg_get(s);
    if (!c)
        return STORE_EIO;
    struct pg_args a = {0};
    pa_text(&a, hub);
    /* the hub and its workers from one snapshot */
    if (pg_cmd(c, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY") < 0)
        goto out_put;
    PGresult *h = pg_run(c, P_HUB_GET, &a);
    PGresult *w = h ? pg_run(c, P_WORKERS_GET, &a) : NULL;
    if (h && w) {
        rc = 0;
        if (PQntuples(h) == 1) {
            out->has_hub = true;
            out->hub_id = pg_dup(h, 0, 0, &oom);
            out->hub_name = pg_dup(h, 0, 1, &oom);
            out->timezone = pg_dup(h, 0, 2, &oom);
            rc = oom ? STORE_EIO : load_workers(w, out);
        }
    }
    PQclear(h);
    PQclear(w);
    pg_cmd(c, "COMMIT");
out_put:
    pg_put(s, c);
    if (rc < 0)
        hdir_release(out);
    return rc;
}

static int insert_worker(PGconn *c, const char *hub, const struct hdir_worker *w, int ord)
{
    struct pg_args a = {0};
    pa_text(&a, hub);
    pa_text(&a, w->id);
    pa_int(&a, ord);
    pa_text(&a, w->name);
    pa_text(&a, w->role);
    pa_text(&a, w->desk);
    pa_text(&a, w->domains);
    pa_text(&a, w->needs);
    pa_text(&a, w->languages);
    pa_int(&a, w->duty);
    pa_text(&a, w->status);
    pa_text(&a, w->desk_cy && w->desk_cy[0] ? w->desk_cy : NULL);
    return pg_do(c, P_WORKER_INS, &a, NULL);
}

int pg_hub_seed(struct store *st, const struct hdir *d, int64_t now_ms)
{
    struct pg_store *s = (struct pg_store *)st;
    PGconn *c = pg_begin(s);
    if (!c)
        return STORE_EIO;
    struct pg_args a = {0};
    int changed = 0;
    pa_text(&a, d->hub_id);
    pa_text(&a, d->hub_name);
    pa_text(&a, d->timezone);
    pa_int(&a, now_ms);
    int rc = pg_do(c, P_HUB_INS, &a, &changed);
    if (rc == 0 && changed != 1)
        rc = STORE_ECONFLICT;
    for (size_t i = 0; rc == 0 && i < d->n_workers; i++)
        rc = insert_worker(c, d->hub_id, &d->workers[i], (int)i);
    rc = pg_end(s, c, rc);
    pthread_mutex_lock(&s->root->lock);
    if (rc == 0 && !s->root->hub[0]) /* the store as opened serves its first hub */
        snprintf(s->root->hub, sizeof(s->root->hub), "%s", d->hub_id);
    pthread_mutex_unlock(&s->root->lock);
    return rc;
}

int pg_token_add(struct store *st, const uint8_t hash[SHA256_LEN], const char *role,
                 const char *name, const char *worker_id, const char *code, int64_t now_ms)
{
    struct pg_store *s = (struct pg_store *)st;
    char hub[IDENT_MAX + 1];
    pg_hub(s, hub);
    PGconn *c = pg_get(s);
    if (!c)
        return STORE_EIO;
    struct pg_args a = {0};
    pa_hash(&a, hash);
    pa_text(&a, hub);
    pa_text(&a, role);
    pa_text(&a, name);
    pa_text(&a, worker_id);
    pa_int(&a, now_ms);
    pa_text(&a, code);
    int rc = pg_do(c, P_TOKEN_INS, &a, NULL);
    pg_put(s, c);
    return rc;
}

/* Copies columns first.. (role, name, worker_id, created_at, hub_id, code) of row i into t. */
static void token_row(const PGresult *r, int i, int first, struct token_info *t)
{
    snprintf(t->role, sizeof(t->role), "%s", pg_col(r, i, first));
    snprintf(t->name, sizeof(t->name), "%s", pg_col(r, i, first + 1));
    snprintf(t->worker_id, sizeof(t->worker_id), "%s", pg_col(r, i, first + 2));
    t->created_ms = pg_int(r, i, first + 3);
    snprintf(t->hub, sizeof(t->hub), "%s", pg_col(r, i, first + 4));
    snprintf(t->code, sizeof(t->code), "%s", pg_col(r, i, first + 5));
}

int pg_token_find(struct store *st, const uint8_t hash[SHA256_LEN], struct token_info *out)
{
    struct pg_store *s = (struct pg_store *)st;
    struct pg_args a = {0};
    pa_hash(&a, hash);
    PGresult *r = pg_once(s, P_TOKEN_GET, &a);
    if (!r)
        return STORE_EIO;
    int rc = PQntuples(r) == 1 ? 0 : STORE_ENOTFOUND;
    if (rc == 0)
        token_row(r, 0, 0, out);
    PQclear(r);
    return rc;
}

/* 64 hex digits into 32 bytes. 0 or -1. */
static int unhex(const char *hex, uint8_t out[SHA256_LEN])
{
    if (strlen(hex) != 2 * SHA256_LEN)
        return -1;
    for (size_t i = 0; i < SHA256_LEN; i++) {
        unsigned v = 0;
        for (int k = 0; k < 2; k++) {
            char ch = hex[2 * i + (size_t)k];
            int d = ch >= '0' && ch <= '9' ? ch - '0' : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;
            if (d < 0)
                return -1;
            v = v * 16 + (unsigned)d;
        }
        out[i] = (uint8_t)v;
    }
    return 0;
}

int pg_tokens_load(struct store *st, token_row_fn fn, void *ctx)
{
    struct pg_store *s = (struct pg_store *)st;
    PGresult *r = pg_once(s, P_TOKENS_ALL, NULL);
    if (!r)
        return STORE_EIO;
    int out = 0;
    for (int i = 0; i < PQntuples(r) && !out; i++) {
        uint8_t h[SHA256_LEN];
        struct token_info t;
        if (unhex(pg_col(r, i, 0), h) < 0)
            continue;
        token_row(r, i, 1, &t);
        out = fn(h, &t, ctx);
    }
    PQclear(r);
    return out;
}

int pg_token_revoke(struct store *st, const char *name, int *n)
{
    struct pg_store *s = (struct pg_store *)st;
    *n = 0;
    PGconn *c = pg_get(s);
    if (!c)
        return STORE_EIO;
    struct pg_args a = {0};
    pa_text(&a, name);
    int rc = pg_do(c, P_TOKEN_DEL, &a, n);
    pg_put(s, c);
    return rc;
}

int pg_purge(struct store *st, int64_t before_ms, int *n)
{
    struct pg_store *s = (struct pg_store *)st;
    char hub[IDENT_MAX + 1];
    *n = 0;
    pg_hub(s, hub);
    PGconn *c = pg_begin(s);
    if (!c)
        return STORE_EIO;
    struct pg_args a = {0};
    int notes = 0;
    pa_text(&a, hub);
    pa_int(&a, before_ms);
    int rc = pg_do(c, P_PURGE_CHK, &a, n);
    if (rc == 0)
        rc = pg_do(c, P_PURGE_EV, &a, &notes);
    if ((rc = pg_end(s, c, rc)) != 0 || (*n == 0 && notes == 0))
        return rc;
    /* the old row versions still hold the words until vacuumed: vacuum now */
    if ((c = pg_get(s))) {
        pg_cmd(c, "VACUUM checkins, events");
        pg_put(s, c);
    }
    return 0;
}
