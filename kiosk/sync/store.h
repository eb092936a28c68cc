/* store.h — the kiosk's local store (SQLite, synchronous=FULL): every check-in is kept here
 * before the result screen shows, until hubd has acknowledged it; and the last good directory.
 * When DIR/kiosk.db cannot be used (missing folder, deleted, read-only, disk full, damaged) the
 * store carries on in memory with every row it could still read, and goes back to a file at the
 * same path as soon as it can (store_check). Every call is safe from any thread. The UI thread's
 * calls (store_add, store_result, store_last_ticket, the residents' answers) have a connection
 * of their own to the file, so they never wait behind the sync thread's batch: at most for one
 * short statement of it (SQLite's WAL: one writer at a time, readers never blocked). */
#ifndef KIOSK_STORE_H
#define KIOSK_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "backend.h"

#define STORE_ID_LEN 37 /* a UUID and its terminator */

struct store;

/* Durable: every write is in DIR/kiosk.db before the call returns. Volatile: the rows live in
 * memory only (still sent to hubd, but lost if the kiosk stops before they are). */
enum store_health { STORE_DURABLE = 0, STORE_VOLATILE = 1 };

/* Opens (creating DIR and its parents) DIR/kiosk.db. When that file cannot be created, opened
 * or written, returns a volatile store in memory holding whatever rows the file still let it
 * read, with the reason in err (and one line on stderr); err is "" when durable. NULL (err "out
 * of memory") only when even a store in memory cannot be made. */
struct store *store_open(const char *dir, char *err, size_t errcap);
/* Closes s. A volatile store first tries once more to move its rows into DIR/kiosk.db, and says
 * on stderr how many unsent check-ins are lost when it cannot. */
void store_free(struct store *s);

/* The current health; when volatile, a short plain-English reason for staff into why (""
 * when durable). why may be NULL. */
int store_health(struct store *s, char *why, size_t cap);

/* Call every few seconds, off the UI thread (it may take the lock for a file copy).
 * Durable: when DIR/kiosk.db was deleted or replaced under the store, moves every row into a
 * new (or the new) kiosk.db at the path, or into memory when that fails. Volatile: tries to go
 * back to a file at the path, merging the rows kept in memory into it. Returns the health;
 * each change of health prints one line on stderr. */
int store_check(struct store *s);

/* Writes a fresh random UUID v4 (from getrandom) into out. 0, or -1 when no randomness. */
int store_uuid4(char out[STORE_ID_LEN]);

/* The DESIGN check-in JSON body for c with this id and time (ms since the epoch), and the
 * ticket the kiosk issued and showed the resident as "ticket" (NULL or "": none), which hubd
 * adopts; malloc'd, NULL when out of memory. */
char *store_checkin_json(const struct kiosk_checkin *c, const char *id, int64_t created_ms,
                         const char *ticket);

/* The highest number of the tickets with kiosk code code ("H-A07": 7) among the check-ins
 * created since since_ms; 0 when none (or the store cannot be read). */
long store_last_ticket(struct store *s, const char *code, int64_t since_ms);

/* Records a pending check-in (durably, before returning, unless volatile). When the file fails
 * the write (disk full, I/O error, read-only, damaged), the store moves to memory with every
 * readable row and the write is made there: 0 all the same. -1 only when that fails too. The
 * same holds for every write below (ack, reject, prune, put_dir). */
int store_add(struct store *s, const char *id, int64_t created_ms, const char *body);

/* Up to max pending check-ins, oldest first: ids into ids[], malloc'd bodies into bodies[]
 * (free each). Returns how many, or -1. */
int store_pending(struct store *s, int max, char ids[][STORE_ID_LEN], char **bodies);
int store_count_pending(struct store *s);
/* Check-ins set aside (hubd refused them: 409, 400, 413); -1 on error. */
int store_count_set_aside(struct store *s);

/* Marks id acknowledged with the server's ticket, and drops the resident's words. 0 or -1. */
int store_ack(struct store *s, const char *id, const struct ticket *t, int64_t now_ms);
/* Sets id aside (a 409 or 400 from hubd): kept without the resident's name and words (as an
 * acknowledged one is), never sent again. 0 or -1. */
int store_reject(struct store *s, const char *id, int status, const char *why);
/* Collects the store_ack calls made until store_commit (in memory: no lock is held meanwhile,
 * and nothing is written yet), so a batch of acknowledgements is one statement, one short
 * transaction and one disk flush. store_reject is written at once, as ever. 0. */
int store_begin(struct store *s);
/* Writes the acknowledgements collected since store_begin, in one statement. 0, or -1 when
 * that failed: none of them is written then (the check-ins stay pending and are simply sent
 * again). */
int store_commit(struct store *s);
/* 1 and *t when id is acknowledged, 0 when still pending or set aside, -1 on error. */
int store_result(struct store *s, const char *id, struct ticket *t);
/* Deletes acknowledged rows acknowledged before now_ms - age_ms. Returns how many, or -1. */
int store_prune(struct store *s, int64_t now_ms, int64_t age_ms);

/* Keeps json (a directory that parsed) and its ETag as the last good one. 0 or -1. */
int store_put_dir(struct store *s, const char *json, size_t len, const char *etag);
/* The last good directory (malloc'd, *len set) and its ETag (into etag), or NULL. */
char *store_get_dir(struct store *s, size_t *len, char *etag, size_t etagcap);

#endif
