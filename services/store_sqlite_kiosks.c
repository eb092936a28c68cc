/* store_sqlite_kiosks.c — the SQLite backend's kiosks: what each kiosk last told hubd of
 * itself (check-ins still to send, set aside) and when hubd last heard from it. */
#include "store_sqlite_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Fills r from the columns of st starting at first: code, pending, set_aside, last_seen. */
static void kiosk_cols(sqlite3_stmt *st, int first, struct kiosk_row *r)
{
    snprintf(r->code, sizeof(r->code), "%s", sq_col(st, first));
    r->pending =
        sqlite3_column_type(st, first + 1) == SQLITE_NULL ? -1 : sqlite3_column_int(st, first + 1);
    r->set_aside =
        sqlite3_column_type(st, first + 2) == SQLITE_NULL ? -1 : sqlite3_column_int(st, first + 2);
    r->last_seen_ms = sqlite3_column_int64(st, first + 3);
}

static int sq_kiosk_put(struct store *st, const char *name, const char *code, int pending,
                        int set_aside, int64_t now_ms, struct kiosk_row *prev)
{
    struct sqlite_store *s = (struct sqlite_store *)st;
    memset(prev, 0, sizeof(*prev));
    snprintf(prev->name, sizeof(prev->name), "%s", name);
    prev->pending = prev->set_aside = -1;
    int rc = sq_begin(s);
    if (rc < 0)
        return rc;
    sqlite3_stmt *q = sq_stmt(&s->w, S_KIOSK_GET);
    sq_text(q, 1, name);
    rc = sqlite3_step(q);
    if (rc == SQLITE_ROW)
        kiosk_cols(q, 0, prev);
    sqlite3_reset(q);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        goto out_rollback;
    enum stmt_id id = pending >= 0 ? S_KIOSK_PUT : S_KIOSK_SEEN;
    sqlite3_stmt *u = sq_stmt(&s->w, id);
    sq_text(u, 1, name);
    sq_text(u, 2, code && *code ? code : NULL);
    if (pending >= 0) {
        sqlite3_bind_int(u, 3, pending);
        sqlite3_bind_int(u, 4, set_aside);
        sqlite3_bind_int64(u, 5, now_ms);
    } else {
        sqlite3_bind_int64(u, 3, now_ms);
    }
    if (sq_exec(&s->w, id) < 0)
        goto out_rollback;
    return sq_commit(s);
out_rollback:
    sq_log(&s->w, "kiosk status");
    sq_rollback(s);
    return STORE_EIO;
}

static int sq_kiosks(struct store *st, struct kiosk_row **rows, size_t *n)
{
    struct sqlite_store *s = (struct sqlite_store *)st;
    struct sq_conn *c = sq_reader(s);
    size_t cap = 0;
    int rc;
    *rows = NULL;
    *n = 0;
    sqlite3_stmt *q = sq_stmt(c, S_KIOSKS);
    sqlite3_bind_int(q, 1, KIOSKS_MAX);
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        if (*n == cap) {
            size_t ncap = cap ? cap * 2 : 8;
            struct kiosk_row *more = realloc(*rows, ncap * sizeof(**rows));
            if (!more)
                break;
            *rows = more;
            cap = ncap;
        }
        struct kiosk_row *r = &(*rows)[(*n)++];
        memset(r, 0, sizeof(*r));
        snprintf(r->name, sizeof(r->name), "%s", sq_col(q, 0));
        kiosk_cols(q, 1, r);
    }
    sqlite3_reset(q);
    if (rc != SQLITE_DONE) {
        sq_log(c, "kiosks");
        sq_reader_done(c);
        free(*rows);
        *rows = NULL;
        *n = 0;
        return STORE_EIO;
    }
    sq_reader_done(c);
    return 0;
}

const struct store_kiosk_ops SQ_KIOSK_OPS = {
    .put = sq_kiosk_put,
    .list = sq_kiosks,
};
