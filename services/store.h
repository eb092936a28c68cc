/* store.h — the one storage interface of hubd. A backend fills a struct store_ops; SQLite
 * (store_sqlite.c) is the embedded default, PostgreSQL (store_pg.c) serves a county.
 * Every operation is safe to call from any thread; each write is durable when it returns.
 * Reads never wait behind a write (the SQLite backend reads on connections of its own). */
#ifndef HUBD_STORE_H
#define HUBD_STORE_H

#include "proto/checkin.h"
#include "proto/hubdir.h"
#include "proto/sha256.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum store_err {
    STORE_OK = 0,
    STORE_EIO = -1,       /* the database failed; nothing of the call was committed */
    STORE_ENOTFOUND = -2, /* no such check-in / worker */
    STORE_ECONFLICT = -3, /* the state does not allow it (already introduced, hub exists) */
    STORE_EINVAL = -4,    /* a reference to an unknown worker */
    STORE_EDENIED = -5,   /* the caller may not act on this check-in (another worker's) */
};

/* One waiting resident on the reception board. Strings are owned by the row. */
struct board_row {
    char id[UUID_LEN + 1];
    char ticket[TICKET_MAX];
    char kiosk_ticket[KIOSK_TICKET_MAX + 1]; /* the ticket the kiosk showed; "" for none */
    char *worker_id;                         /* NULL: waiting for reception */
    char *lang, *needs, *domains, *chosen_by;
    char *name, *text; /* NULL when absent, withheld or purged */
    bool urgent;
    int position;        /* residents ahead in this worker's (or reception's) line: 0 next */
    int64_t created_ms;  /* the kiosk's clock: kept for the record only */
    int64_t received_ms; /* hubd's clock: the line's order and the wait */
    unsigned flags;      /* enum checkin_flag: what hubd could not keep as sent */
    /* seen() and next() only: when introduced (0 otherwise), the coded outcome ("": none) */
    int64_t introduced_ms;
    char result[16];
    bool follow_up;
};

/* The kiosk's ticket as the board shows it beside THE ticket: only when hubd could not adopt
 * it (the resident holds this one); NULL when adopted or none was sent. */
const char *board_row_kiosk_ticket(const struct board_row *b);

/* What GET /checkins asks of the board (plain data). */
struct board_query {
    const char *worker_id; /* NULL: everyone waiting */
    size_t limit;          /* rows at most, >= 1 */
    const char *after;     /* a check-in id: the rows after it in board order; NULL: the top */
};

/* One arrival in a report range, built from the event log. Valid during the callback. */
struct report_row {
    int64_t arrived_ms;
    int64_t introduced_ms; /* -1 when not introduced */
    const char *lang, *needs, *domains, *chosen_by, *status;
    const char *worker_id; /* NULL: reception */
    bool urgent;
    int reassigned;      /* how many times */
    const char *result;  /* the worker's coded outcome ("helped" ..), NULL: none recorded */
    bool follow_up;      /* the outcome says a follow-up is needed */
    const char *left_by; /* status "left": "reception" or "day_end"; else NULL */
};

typedef int (*report_row_fn)(const struct report_row *row, void *ctx);

#define TOKEN_NAME_MAX 64 /* bytes of a token's name */

/* What a stored token stands for (plain data). */
struct token_info {
    char role[16];
    char name[TOKEN_NAME_MAX + 1];
    char worker_id[IDENT_MAX + 1]; /* the worker a worker token belongs to; "" for none */
    char hub[IDENT_MAX + 1]; /* its hub; "*" every hub (a county manager); "" the store's own */
    char code[TICKET_CODE_MAX + 1]; /* a kiosk token's code, the "A" of ticket H-A07; "" none */
    int64_t created_ms;
};

#define STORE_HUB_ALL "*" /* token_info.hub of a county manager's token */

typedef int (*token_row_fn)(const uint8_t hash[SHA256_LEN], const struct token_info *t, void *ctx);

struct handover_info {
    char ticket[TICKET_MAX];
    char worker_id[IDENT_MAX + 1]; /* "" for reception */
};

/* What POST/DELETE /checkins/{id}/left and the outcome change report back (plain data). */
struct left_info {
    char ticket[TICKET_MAX];
    char left_by[16]; /* "reception" or "day_end"; "" when waiting again */
    int64_t left_ms;  /* when the resident was marked as left; 0 when waiting again */
};

/* A resident's anonymous answer at the kiosk on the way out (POST /feedback). */
struct feedback {
    char id[UUID_LEN + 1];
    int64_t created_ms;
    char lang[16];
    const char *answer; /* "yes", "partly" or "no" (canonical static string) */
};

typedef int (*feedback_row_fn)(int64_t created_ms, const char *lang, const char *answer, void *ctx);

/* What a kiosk last told hubd of itself (POST /kiosks/status) and when hubd last heard from
 * it, per kiosk token name (plain data). */
struct kiosk_row {
    char name[TOKEN_NAME_MAX + 1];
    char code[TICKET_CODE_MAX + 1]; /* its token's kiosk code; "" none */
    int pending;                    /* check-ins it still has to send; -1: never reported */
    int set_aside;                  /* check-ins hubd refused that it keeps aside; -1: never */
    int64_t last_seen_ms;           /* hubd's clock; 0: never heard from */
};

struct store;

/* The hub's kiosks (SQLite: store_sqlite_kiosks.c; PostgreSQL: store_pg_kiosks.c). */
struct store_kiosk_ops {
    /* Records that the kiosk whose token is named name (code: its kiosk code, "" none) was
     * heard from at now_ms (last_seen never goes back) and, when pending >= 0, that it holds
     * pending and set_aside check-ins. *prev gets its row as it was before (last_seen_ms 0:
     * none; pending -1: counts never reported). 0 or STORE_EIO. */
    int (*put)(struct store *s, const char *name, const char *code, int pending, int set_aside,
               int64_t now_ms, struct kiosk_row *prev);
    /* The hub's kiosks heard from whose kiosk token still exists (a revoked one drops out),
     * by name, at most KIOSKS_MAX. *rows is malloc'd (free()). 0 or STORE_EIO. */
    int (*list)(struct store *s, struct kiosk_row **rows, size_t *n);
};

#define KIOSKS_MAX 1000 /* kiosks GET /kiosks lists at most for one hub */

/* The end of the journey: leaving, calling next, the worker's outcome, residents' feedback
 * and closing the day (SQLite: store_sqlite_outcomes.c). Same error codes as store_ops;
 * actor (a token's name) is recorded on the events they write. */
struct store_outcome_ops {
    /* Marks waiting check-in id as left by reception (undo: waiting again, in its old place).
     * Leaving twice is fine (out tells the first time). STORE_ENOTFOUND; STORE_ECONFLICT when
     * introduced, when undoing one that is not left, or one the day's end closed. */
    int (*left)(struct store *s, const char *id, bool undo, int64_t now_ms, const char *actor,
                struct left_info *out);
    /* Takes the first waiting resident of worker_id (urgent first, then oldest) and marks
     * them introduced by that worker, in one transaction: two calls never get the same one.
     * *found false when nobody waits; *left is how many still wait. STORE_ENOTFOUND for an
     * unknown worker. out is filled when found (release with store_row_release()). */
    int (*next)(struct store *s, const char *worker_id, int64_t now_ms, const char *actor,
                struct board_row *out, bool *found, int *left);
    /* Records (or corrects) the coded outcome of an introduced check-in. only_worker, when
     * not NULL, must be the check-in's worker (else STORE_EDENIED). *status: 201 first time,
     * 200 the same again or a correction. STORE_ECONFLICT when not introduced. */
    int (*outcome)(struct store *s, const char *id, const char *only_worker, const char *result,
                   bool follow_up, int64_t now_ms, const char *actor, int *status);
    /* Stores feedback idempotently by id: *status 201 new, 200 the same again, 409 the same id
     * with other content. */
    int (*feedback_put)(struct store *s, const struct feedback *f, int64_t now_ms, int *status);
    /* Calls fn for each feedback with from_ms <= created < to_ms. 0, fn's value or STORE_EIO. */
    int (*feedback_scan)(struct store *s, int64_t from_ms, int64_t to_ms, feedback_row_fn fn,
                         void *ctx);
    /* Closes as left ("day_end") every resident still waiting who was received before
     * before_ms, each at the end of the local day they came in; *n tells how many. Asks
     * first without writing (reads never wait behind a write): a write only when needed. */
    int (*day_close)(struct store *s, int64_t before_ms, int *n);
    /* Residents introduced to worker_id (NULL: anyone) since since_ms, newest first, with
     * their outcome (board_row.result). Like board(). */
    int (*seen)(struct store *s, const char *worker_id, int64_t since_ms, struct board_row **rows,
                size_t *n);
    /* A number that changes whenever anything figures are built from changes (an event or
     * a feedback is recorded): answers built from the same version are the same. */
    int (*version)(struct store *s, int64_t *out);
};

struct store_ops {
    /* Loads the hub and its workers into out (out->has_hub false when there is no hub yet).
     * Returns 0 or STORE_EIO. Release out with hdir_release(). */
    int (*hub_load)(struct store *s, struct hdir *out);
    /* Stores the hub and workers of d. STORE_ECONFLICT when a hub exists already. */
    int (*hub_seed)(struct store *s, const struct hdir *d, int64_t now_ms);
    /* Stores n check-ins in one durable transaction, in order, each with its own outcome in
     * out[i] (see struct checkin_result); each arrival event records items[i]->actor. Returns
     * 0, or STORE_EIO when nothing was stored (then every out[i].status is 503) — also when
     * the database file was deleted or replaced since it was opened. */
    int (*checkins_put)(struct store *s, struct checkin *const *items, size_t n,
                        struct checkin_result *out, int64_t now_ms);
    /* One page of the waiting residents, urgent first, then in the order hubd received them;
     * *total counts all that wait (of q->worker_id when set), one snapshot with the rows.
     * *rows is malloc'd (free with store_board_free). Returns 0, STORE_ENOTFOUND (q->after
     * names no check-in) or STORE_EIO. */
    int (*board)(struct store *s, const struct board_query *q, struct board_row **rows, size_t *n,
                 size_t *total);
    /* Marks check-in id introduced (by worker_id, or its current worker when NULL); actor (a
     * token's name) is recorded on the event, as on every event below. STORE_ENOTFOUND,
     * STORE_ECONFLICT (already introduced), STORE_EINVAL (unknown worker). */
    int (*handover)(struct store *s, const char *id, const char *worker_id, int64_t now_ms,
                    const char *actor, struct handover_info *out);
    /* Moves a waiting check-in to worker_id (NULL: reception) with reason (a staff note,
     * purged with the residents' words). Same errors as handover. */
    int (*reassign)(struct store *s, const char *id, const char *worker_id, const char *reason,
                    int64_t now_ms, const char *actor);
    /* Sets a worker's status and/or desk (NULL leaves it), recording events. *changed tells
     * whether anything differs. STORE_ENOTFOUND for an unknown worker. */
    int (*worker_update)(struct store *s, const char *id, const char *status, const char *desk,
                         int64_t now_ms, const char *actor, bool *changed);
    /* Calls fn for each arrival with from_ms <= arrival < to_ms; stops early and returns fn's
     * value if it is non-zero. Returns 0 or STORE_EIO. */
    int (*report_scan)(struct store *s, int64_t from_ms, int64_t to_ms, report_row_fn fn,
                       void *ctx);
    /* Stores a token's hash with its role, name, worker (worker_id NULL: none) and kiosk code
     * (code NULL: none). Returns 0 or STORE_EIO. */
    int (*token_add)(struct store *s, const uint8_t hash[SHA256_LEN], const char *role,
                     const char *name, const char *worker_id, const char *code, int64_t now_ms);
    /* Fills out with the token that has this hash. Returns 0, STORE_ENOTFOUND or STORE_EIO. */
    int (*token_find)(struct store *s, const uint8_t hash[SHA256_LEN], struct token_info *out);
    /* Calls fn for every stored token hash, oldest first. Returns 0 or STORE_EIO. */
    int (*tokens_load)(struct store *s, token_row_fn fn, void *ctx);
    /* Deletes every token named name; *n tells how many. Returns 0 or STORE_EIO. */
    int (*token_revoke)(struct store *s, const char *name, int *n);
    /* Erases residents' names, words and staff notes recorded before before_ms, so that they
     * can no longer be read from the database's files either (deleted content overwritten,
     * the write-ahead log checkpointed and truncated); *n tells how many check-ins were
     * cleared. Returns 0 or STORE_EIO. */
    int (*purge)(struct store *s, int64_t before_ms, int *n);
    /* 0 when the database takes a write now (a probe row committed in its own transaction,
     * the file still the one opened); else STORE_EIO with a plain reason in why ("database
     * file deleted", "database locked by another process", ...). Answers within about a
     * second, and probes at most once a second (callers in between share the answer). */
    int (*health)(struct store *s, char *why, size_t cap);
    /* Leaving, calling next, outcomes, feedback and the day-end close. */
    const struct store_outcome_ops *oc;
    /* The hub's kiosks; NULL for a store that keeps none (a wrapper or a test double). */
    const struct store_kiosk_ops *kiosk;
    /* A store of many hubs (PostgreSQL): a handle whose every operation reads and writes
     * hub_id's rows only, sharing s's connections, owned by s (valid until s is closed; never
     * closed itself); a token added through it belongs to hub_id (STORE_HUB_ALL: every hub).
     * NULL when no more handles fit. NULL op: a store of one hub (SQLite), see store_for_hub. */
    struct store *(*hub)(struct store *s, const char *hub_id);
    /* The ids of the database's hubs, oldest first, up to cap into ids; *n how many there
     * are in all. 0 or STORE_EIO. NULL op: one hub at most (read it with hub_load). */
    int (*hubs)(struct store *s, char (*ids)[IDENT_MAX + 1], size_t cap, size_t *n);
    void (*close)(struct store *s);
};

struct store {
    const struct store_ops *ops;
};

/* Opens (creating if needed) the SQLite database at path and applies pending migrations.
 * Returns NULL with a reason in err on failure. Close with s->ops->close(s). */
struct store *store_sqlite_open(const char *path, char *err, size_t cap);

/* Connects to the PostgreSQL database at url (postgresql://...), applies pending
 * migrations and prepares its statements; several hubd may share one database. The store
 * serves the database's hub when it holds exactly one (or the hub hub_seed stores). Returns
 * NULL with a reason in err on failure. Close with s->ops->close(s). */
struct store *store_pg_open(const char *url, char *err, size_t cap);

/* True when db names a PostgreSQL database (a postgresql:// or postgres:// URL). */
bool store_is_pg_url(const char *db);

/* The handle of s on hub_id's rows: s->ops->hub's, or s itself for a store of one hub
 * (hub_id then "" or that hub). NULL when the store has no room for another hub. */
struct store *store_for_hub(struct store *s, const char *hub_id);

/* Frees rows returned by board(). */
void store_board_free(struct board_row *rows, size_t n);
/* Frees what one row owns (its strings) and zeroes it; the row itself is the caller's. */
void store_row_release(struct board_row *row);

#endif
