/* sync_env.h — what the sync tests and the sync bench share: the clock, a free loopback port,
 * hubd seeded with the demo hub (started on a fixed port, so it can be killed and restarted
 * there), the kiosk's store beside it, queued check-ins, and the exactly-once check of hubd's
 * board. No cmocka here: every call returns a code (reason on stderr), the tests assert on it. */
#ifndef SYNC_ENV_H
#define SYNC_ENV_H

#include <stdbool.h>
#include <stdint.h>

#include "../hubd/client.h"
#include "store.h"

#define ENV_BOARD_MAX 1000 /* hubd's board shows at most this many check-ins */

struct faultproxy;

/* hubd's database with the demo hub and three tokens, and the kiosk's store beside it. */
struct env {
    struct server srv; /* hubd, not running until env_start_hubd */
    char port[16];     /* the port hubd listens on, fixed for its restarts */
    char url[64];      /* what the kiosk's sync talks to: hubd, unless a test points it on */
    char kiosk[80], reception[80], manager[80]; /* tokens */
    char data[400];                             /* the kiosk's data folder (kiosk.db) */
    struct store *store;
    int n;                     /* check-ins queued by env_queue ... */
    char (*ids)[STORE_ID_LEN]; /* ... and their ids (malloc'd) */
    struct faultproxy *fp;     /* test_faults' proxy in front of hubd; NULL elsewhere */
};

/* The monotonic clock in ms and us; sleeps of ms and us. */
int64_t mono_ms(void);
int64_t mono_us(void);
void sleep_ms(int ms);
void sleep_us(long us);

/* A loopback port free right now (hubd binds it with SO_REUSEADDR on every restart), or -1. */
int free_port(void);

/* Fills e: a temporary hubd database seeded with assets/demo-hub.json, a kiosk, a reception and
 * a manager token, a free port for hubd (e->url points at it), and the kiosk's store in
 * e->data, on file (a store in memory would not survive kills, nor measure the durable write).
 * hubd is not started. 0; or -1 (reason on stderr) with nothing left to release. */
int env_init(struct env *e);
/* Kills hubd if running, closes the store, removes the temporary folder, frees e->ids. Does not
 * stop e->fp. */
void env_release(struct env *e);
/* Starts hubd on e->port, retrying for up to 10 s while the old socket lingers. 0 or -1. */
int env_start_hubd(struct env *e);

/* Adds n check-ins to st as the kiosk writes them, the resident's words included (they
 * consented): like (NULL: a resident whose landlord wants them out) with " i" after its text and
 * the name "Resident i"; fresh ids into ids[0..n). lat_ms (may be NULL) gets each store_add's
 * duration in ms. 0 or -1. */
int env_add_checkins(struct store *st, char (*ids)[STORE_ID_LEN], int n,
                     const struct kiosk_checkin *like, double *lat_ms);
/* env_add_checkins into e's store, once per env: the ids into e->ids (n of them), e->n = n.
 * 0 once the store holds exactly n pending, else -1. */
int env_queue(struct env *e, int n, const struct kiosk_checkin *like);
/* Waits up to timeout_ms until nothing is pending in e's store. 0, or -1 when some still is. */
int env_wait_drained(struct env *e, int timeout_ms);

/* One check-in on hubd's board. */
struct board_item {
    char id[STORE_ID_LEN];
    char ticket[16];
};

/* hubd's board of waiting check-ins (straight from hubd, as reception), sorted by id, *n items
 * (at most ENV_BOARD_MAX); malloc'd, NULL when hubd gave no proper board. */
struct board_item *env_board(struct env *e, int *n);
/* How many check-ins hubd's board shows, or -1. */
int env_board_count(struct env *e);
/* hubd's demand report around today (as manager): arrivals and those still waiting. Counts
 * every row, where the board shows at most ENV_BOARD_MAX. 0 or -1. */
int env_report_counts(struct env *e, int *total, int *waiting);

/* Exactly once on hubd: the demand report counts e->n arrivals, all waiting (one stored twice
 * would make it more); the board holds only e->ids, none twice, min(e->n, ENV_BOARD_MAX) of them
 * (so every one, up to that many), each with a ticket. With acked also: the kiosk's store has
 * nothing pending or set aside, and holds each check-in on the board acknowledged with the very
 * ticket hubd gave it. 0 yes; -1 no, or hubd could not be asked (reasons on stderr). */
int env_check_once(struct env *e, bool acked);

/* The first column of the first row of sql (with ?1 = arg) in e's kiosk.db, read straight from
 * the file; malloc'd, or NULL (no row, a NULL value, or an error). */
char *env_row_text(const struct env *e, const char *sql, const char *arg);

#endif
