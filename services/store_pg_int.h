/* store_pg_int.h — what the PostgreSQL backend's files share: the connection pool, the
 * prepared statements every connection carries, parameter lists and small helpers. Not for
 * use outside store_pg*.c. */
#ifndef HUBD_STORE_PG_INT_H
#define HUBD_STORE_PG_INT_H

#include "store.h"

#include <libpq-fe.h>
#include <pthread.h>

enum pg_stmt {
    P_HUB_GET,
    P_HUB_ONLY,
    P_WORKERS_GET,
    P_HUB_INS,
    P_WORKER_INS,
    P_PUT_FIND,
    P_PUT_TAKEN,
    P_WORKER_STATUSES,
    P_PUT_LINES,
    P_PUT_TAKE,
    P_PUT_INS,
    P_BOARD,
    P_BOARD_AHEAD,
    P_BOARD_TOTAL,
    P_BOARD_AFTER,
    P_CHK_STATE,
    P_CHK_INTRODUCE,
    P_CHK_REASSIGN,
    P_WORKER_ROW,
    P_WORKER_SET,
    P_EVENT_INS,
    P_REPORT,
    P_TOKEN_INS,
    P_TOKENS_ALL,
    P_TOKEN_GET,
    P_TOKEN_DEL,
    P_PURGE_CHK,
    P_PURGE_EV,
    P_PROBE,
    P_STATE_GET,
    P_MARK_LEFT,
    P_UNLEAVE,
    P_NEXT_PICK,
    P_NEXT_TAKE,
    P_WAITING_COUNT,
    P_OUTCOME_SET,
    P_FEEDBACK_PUT,
    P_FEEDBACK_GET,
    P_FEEDBACK_SCAN,
    P_STALE_ANY,
    P_STALE_BATCH,
    P_SEEN,
    P_VERSION,
    P_HUBS,
    P_KIOSK_GET,
    P_KIOSK_PUT,
    P_KIOSK_SEEN,
    P_KIOSKS,
    P_COUNT
};

#define PG_POOL 8 /* connections: the group committer, request threads and /health share them */

/* One pooled connection; prepared is false until its statements are (again, after a
 * reset). */
struct pg_conn {
    PGconn *c;
    bool prepared;
    bool busy;
};

#define PG_HUBS_MAX  1024              /* hub handles one store hands out */
#define PG_ROUND_MAX (PG_HUBS_MAX + 1) /* batches stored in one transaction at most */
#define PG_ROUNDS    1                 /* shared transactions of check-ins in flight at once */
struct put_req;                        /* hub handles one store hands out */

/* The store as opened (root == itself), or a handle on one hub's rows (root: the store
 * whose pool it uses; only base, root and hub are set). */
struct pg_store {
    struct store base;
    struct pg_store *root;
    char hub[IDENT_MAX + 1]; /* the hub every query is bound to (root: "" until one is seeded) */
    char *url;
    struct pg_store **views; /* root: the hub handles handed out, PG_HUBS_MAX at most */
    size_t n_views;
    pthread_mutex_t lock; /* root: the pool, its hub and the handles */
    pthread_cond_t freed;
    struct pg_conn pool[PG_POOL];
    pthread_mutex_t put_lock; /* root: check-ins handed in for the next shared transaction */
    pthread_cond_t put_done;
    struct put_req *put_queue;
    int put_leaders; /* rounds being stored */
    pthread_mutex_t health_lock;
    int64_t health_at; /* when the last probe ran (monotonic ms), its result and reason */
    int health_rc;
    char health_why[128];
};

/* Up to 24 text parameters of a statement; numbers are formatted into the list itself. */
#define PG_ARGS_MAX 24
struct pg_args {
    const char *v[PG_ARGS_MAX];
    char num[PG_ARGS_MAX][24];
    char hex[4][2 * SHA256_LEN + 1];
    char hub[IDENT_MAX + 1];
    int n, n_hex;
};

void pa_text(struct pg_args *a, const char *v); /* NULL binds SQL NULL */
void pa_int(struct pg_args *a, int64_t v);
void pa_hash(struct pg_args *a, const uint8_t h[SHA256_LEN]); /* as 64 hex digits */
struct pg_store;
void pa_hub(struct pg_args *a, struct pg_store *s); /* the hub s is bound to */

/* A connection of the pool, ready with its statements (reconnecting when the server went
 * away); NULL when the server cannot be reached. Give it back with pg_put. */
PGconn *pg_get(struct pg_store *s);
void pg_put(struct pg_store *s, PGconn *c);

/* Runs prepared statement id with a's parameters (a may be NULL): the result when it
 * succeeded (the caller PQclear()s it), else NULL (logged, no resident data). */
PGresult *pg_run(PGconn *c, enum pg_stmt id, const struct pg_args *a);
/* Runs id for its effect: 0 or STORE_EIO; *changed (when not NULL) gets the rows it changed. */
int pg_do(PGconn *c, enum pg_stmt id, const struct pg_args *a, int *changed);
/* Runs id once on a connection of the pool (given back at once): the result, or NULL. */
PGresult *pg_once(struct pg_store *s, enum pg_stmt id, const struct pg_args *a);
/* Runs a plain command ("BEGIN", "COMMIT", ...): 0 or STORE_EIO. */
int pg_cmd(PGconn *c, const char *sql);
/* Begins a transaction on a pooled connection: the connection, or NULL. pg_end commits
 * (rc == 0) or rolls back, and gives the connection back: rc, or STORE_EIO. */
PGconn *pg_begin(struct pg_store *s);
int pg_end(struct pg_store *s, PGconn *c, int rc);

/* Column helpers: text ("" for NULL), a strdup (NULL for NULL; *oom on failure), a number. */
const char *pg_col(const PGresult *r, int row, int col);
char *pg_dup(const PGresult *r, int row, int col, bool *oom);
int64_t pg_int(const PGresult *r, int row, int col);
bool pg_null(const PGresult *r, int row, int col);

/* The hub the store is bound to, copied out under the lock ("" when none). */
void pg_hub(struct pg_store *s, char out[IDENT_MAX + 1]);
/* Records an event on c (inside a transaction); 0 or STORE_EIO. */
int pg_event(PGconn *c, const char *hub, int64_t at, const char *kind, const char *checkin_id,
             const char *worker_id, const char *detail, const char *note, const char *actor);
/* Fills r from the board columns of row i of res, starting at column first. 0 or STORE_EIO. */
int pg_board_row(const PGresult *res, int i, struct board_row *r);

/* Operations implemented in store_pg_checkins.c. */
int pg_checkins_put(struct store *st, struct checkin *const *items, size_t n,
                    struct checkin_result *out, int64_t now_ms);
int pg_board(struct store *st, const struct board_query *q, struct board_row **rows, size_t *n,
             size_t *total);
int pg_handover(struct store *st, const char *id, const char *worker_id, int64_t now_ms,
                const char *actor, struct handover_info *out);
int pg_reassign(struct store *st, const char *id, const char *worker_id, const char *reason,
                int64_t now_ms, const char *actor);
int pg_worker_update(struct store *st, const char *id, const char *status, const char *desk,
                     int64_t now_ms, const char *actor, bool *changed);
int pg_report_scan(struct store *st, int64_t from_ms, int64_t to_ms, report_row_fn fn, void *ctx);

/* Operations implemented in store_pg_hub.c. */
struct store *pg_view(struct store *st, const char *hub_id);
int pg_hubs(struct store *st, char (*ids)[IDENT_MAX + 1], size_t cap, size_t *n);
int pg_hub_load(struct store *st, struct hdir *out);
int pg_hub_seed(struct store *st, const struct hdir *d, int64_t now_ms);
int pg_token_add(struct store *st, const uint8_t hash[SHA256_LEN], const char *role,
                 const char *name, const char *worker_id, const char *code, int64_t now_ms);
int pg_token_find(struct store *st, const uint8_t hash[SHA256_LEN], struct token_info *out);
int pg_tokens_load(struct store *st, token_row_fn fn, void *ctx);
int pg_token_revoke(struct store *st, const char *name, int *n);
int pg_purge(struct store *st, int64_t before_ms, int *n);

/* Operations implemented in store_pg_outcomes.c. */
extern const struct store_outcome_ops PG_OUTCOME_OPS;

/* Operations implemented in store_pg_kiosks.c. */
extern const struct store_kiosk_ops PG_KIOSK_OPS;

#endif
