/* store_sqlite_int.h — what the SQLite backend's files share: the handle, its prepared
 * statements and small helpers. Not for use outside store_sqlite*.c. */
#ifndef HUBD_STORE_SQLITE_INT_H
#define HUBD_STORE_SQLITE_INT_H

#include "store.h"

#include <pthread.h>
#include <sqlite3.h>

enum stmt_id {
    S_BEGIN,
    S_COMMIT,
    S_ROLLBACK,
    S_HUB_GET,
    S_WORKERS_GET,
    S_HUB_INS,
    S_WORKER_INS,
    S_CHK_GET,
    S_WORKER_ROW,
    S_TICKET_NEXT,
    S_POS_COUNT,
    S_HANDOVERS,
    S_CHK_INS,
    S_EVENT_INS,
    S_BOARD,
    S_CHK_STATE,
    S_CHK_INTRODUCE,
    S_CHK_REASSIGN,
    S_WORKER_SET,
    S_REPORT,
    S_TOKEN_INS,
    S_TOKENS_ALL,
    S_TOKEN_GET,
    S_PURGE_CHK,
    S_PURGE_EV,
    S_PING,
    S_COUNT
};

struct sqlite_store {
    struct store base;
    sqlite3 *db;
    pthread_mutex_t lock; /* one writer/reader at a time on this connection */
    sqlite3_stmt *st[S_COUNT];
};

/* The statement, reset and with bindings cleared, ready to bind. */
sqlite3_stmt *sq_stmt(struct sqlite_store *s, enum stmt_id id);
/* Binds text, or NULL when v is NULL. Returns the sqlite result code. */
int sq_text(sqlite3_stmt *st, int i, const char *v);
/* Runs a statement expected to return no rows; 0 or STORE_EIO. */
int sq_exec(struct sqlite_store *s, enum stmt_id id);
/* Strdup of column i (NULL for SQL NULL). *oom set on allocation failure. */
char *sq_dup(sqlite3_stmt *st, int i, bool *oom);
/* Begins an immediate transaction / commits / rolls back. 0 or STORE_EIO. */
int sq_begin(struct sqlite_store *s);
int sq_commit(struct sqlite_store *s);
void sq_rollback(struct sqlite_store *s);
/* Records an event; 0 or STORE_EIO. */
int sq_event(struct sqlite_store *s, int64_t at, const char *kind, const char *checkin_id,
             const char *worker_id, const char *detail, const char *note);
/* Logs a database failure (never any resident data) on stderr. */
void sq_log(struct sqlite_store *s, const char *what);

/* Operations implemented in store_sqlite_checkins.c. */
int sq_checkins_put(struct store *st, struct checkin *const *items, size_t n,
                    struct checkin_result *out, int64_t now_ms);
int sq_board(struct store *st, const char *worker_id, struct board_row **rows, size_t *n);
int sq_handover(struct store *st, const char *id, const char *worker_id, int64_t now_ms,
                struct handover_info *out);
int sq_reassign(struct store *st, const char *id, const char *worker_id, const char *reason,
                int64_t now_ms);
int sq_worker_update(struct store *st, const char *id, const char *status, const char *desk,
                     int64_t now_ms, bool *changed);
int sq_report_scan(struct store *st, int64_t from_ms, int64_t to_ms, report_row_fn fn, void *ctx);

#endif
