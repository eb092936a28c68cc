/* store_sqlite_int.h — what the SQLite backend's files share: the connections (one writer,
 * a few readers, one health prober), their prepared statements and small helpers. Not for
 * use outside store_sqlite*.c. */
#ifndef HUBD_STORE_SQLITE_INT_H
#define HUBD_STORE_SQLITE_INT_H

#include "store.h"

#include <limits.h>
#include <pthread.h>
#include <sqlite3.h>
#include <sys/types.h>

enum stmt_id {
    S_BEGIN,
    S_BEGIN_READ,
    S_COMMIT,
    S_ROLLBACK,
    S_HUB_GET,
    S_WORKERS_GET,
    S_HUB_INS,
    S_WORKER_INS,
    S_CHK_GET,
    S_WORKER_ROW,
    S_TICKET_NEXT,
    S_TICKET_TAKEN,
    S_POS_COUNT,
    S_HANDOVERS,
    S_CHK_INS,
    S_EVENT_INS,
    S_BOARD,
    S_BOARD_AHEAD,
    S_BOARD_TOTAL,
    S_BOARD_AFTER,
    S_CHK_STATE,
    S_CHK_INTRODUCE,
    S_CHK_REASSIGN,
    S_WORKER_SET,
    S_REPORT,
    S_TOKEN_INS,
    S_TOKENS_ALL,
    S_TOKEN_GET,
    S_TOKEN_DEL,
    S_PURGE_CHK,
    S_PURGE_EV,
    S_PROBE,
    S_KIOSK_GET,
    S_KIOSK_PUT,
    S_KIOSK_SEEN,
    S_KIOSKS,
    S_COUNT
};

/* One SQLite connection with its statements; one thread at a time (lock). */
struct sq_conn {
    sqlite3 *db;
    pthread_mutex_t lock;
    sqlite3_stmt *st[S_COUNT];
};

#define SQ_READERS 3 /* read connections: the board, the directory, reports and tokens */

struct sqlite_store {
    struct store base;
    struct sq_conn w;             /* every write, in order (the group committer is its user) */
    struct sq_conn r[SQ_READERS]; /* reads, each on its own WAL snapshot: never behind a write */
    struct sq_conn probe;         /* /health's write probe, with a short busy timeout */
    unsigned next_reader;
    char path[PATH_MAX]; /* the database file as opened (absolute) */
    dev_t dev;           /* ... and its identity then, to notice a deleted or replaced file */
    ino_t ino;
    bool checkpoint_due; /* a purge's checkpoint has not completed yet */
    pthread_mutex_t health_lock;
    int64_t health_at; /* when the last probe ran (monotonic ms), its result and reason */
    int health_rc;
    char health_why[128];
};

/* The statement of c, reset and with bindings cleared, ready to bind. */
sqlite3_stmt *sq_stmt(struct sq_conn *c, enum stmt_id id);
/* Binds text, or NULL when v is NULL. Returns the sqlite result code. */
int sq_text(sqlite3_stmt *st, int i, const char *v);
/* Runs a statement expected to return no rows; 0 or STORE_EIO. */
int sq_exec(struct sq_conn *c, enum stmt_id id);
/* Strdup of column i (NULL for SQL NULL). *oom set on allocation failure. */
char *sq_dup(sqlite3_stmt *st, int i, bool *oom);
/* Column i as text, "" for NULL. */
const char *sq_col(sqlite3_stmt *st, int i);

/* Locks the writer and begins an immediate transaction: 0, or STORE_EIO (unlocked again).
 * sq_commit checks that the file is still the one opened, commits and unlocks (0 or
 * STORE_EIO, rolled back); sq_rollback rolls back and unlocks. */
int sq_begin(struct sqlite_store *s);
int sq_commit(struct sqlite_store *s);
void sq_rollback(struct sqlite_store *s);
/* A read connection, locked (free ones first); give it back with sq_reader_done. */
struct sq_conn *sq_reader(struct sqlite_store *s);
void sq_reader_done(struct sq_conn *c);

/* Records an event by actor on the writer (inside sq_begin); 0 or STORE_EIO. */
int sq_event(struct sqlite_store *s, int64_t at, const char *kind, const char *checkin_id,
             const char *worker_id, const char *detail, const char *note, const char *actor);
/* Logs a database failure (never any resident data) on stderr. */
void sq_log(struct sq_conn *c, const char *what);
/* 0 when the file at s->path is still the one opened, else -1 with the reason in why. */
int sq_file_check(struct sqlite_store *s, char *why, size_t cap);

/* Operations implemented in store_sqlite_checkins.c. */
int sq_checkins_put(struct store *st, struct checkin *const *items, size_t n,
                    struct checkin_result *out, int64_t now_ms);
int sq_board(struct store *st, const struct board_query *q, struct board_row **rows, size_t *n,
             size_t *total);
int sq_handover(struct store *st, const char *id, const char *worker_id, int64_t now_ms,
                const char *actor, struct handover_info *out);
int sq_reassign(struct store *st, const char *id, const char *worker_id, const char *reason,
                int64_t now_ms, const char *actor);
int sq_worker_update(struct store *st, const char *id, const char *status, const char *desk,
                     int64_t now_ms, const char *actor, bool *changed);
int sq_report_scan(struct store *st, int64_t from_ms, int64_t to_ms, report_row_fn fn, void *ctx);

/* Operations implemented in store_sqlite_hub.c. */
int sq_hub_load(struct store *st, struct hdir *out);
int sq_hub_seed(struct store *st, const struct hdir *d, int64_t now_ms);
int sq_token_add(struct store *st, const uint8_t hash[SHA256_LEN], const char *role,
                 const char *name, const char *worker_id, const char *code, int64_t now_ms);
int sq_token_find(struct store *st, const uint8_t hash[SHA256_LEN], struct token_info *out);
int sq_tokens_load(struct store *st, token_row_fn fn, void *ctx);
int sq_token_revoke(struct store *st, const char *name, int *n);
int sq_purge(struct store *st, int64_t before_ms, int *n);

/* Operations implemented in store_sqlite_outcomes.c. */
extern const struct store_outcome_ops SQ_OUTCOME_OPS;

/* Operations implemented in store_sqlite_kiosks.c. */
extern const struct store_kiosk_ops SQ_KIOSK_OPS;

#endif
