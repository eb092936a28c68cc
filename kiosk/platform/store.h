/* store.h — the kiosk's local store (SQLite, synchronous=FULL): every check-in is kept here
 * before the result screen shows, until hubd has acknowledged it; and the last good directory.
 * Every call is safe from any thread (one mutex inside). */
#ifndef KIOSK_STORE_H
#define KIOSK_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "backend.h"

#define STORE_ID_LEN 37 /* a UUID and its terminator */

struct store;

/* Opens (creating) DIR/kiosk.db. NULL with a reason in err when it cannot. */
struct store *store_open(const char *dir, char *err, size_t errcap);
void store_free(struct store *s);

/* Writes a fresh random UUID v4 (from getrandom) into out. 0, or -1 when no randomness. */
int store_uuid4(char out[STORE_ID_LEN]);

/* The DESIGN check-in JSON body for c with this id and time (ms since the epoch); malloc'd,
 * NULL when out of memory. */
char *store_checkin_json(const struct checkin *c, const char *id, int64_t created_ms);

/* Records a pending check-in (durably, before returning). 0 or -1. */
int store_add(struct store *s, const char *id, int64_t created_ms, const char *body);

/* Up to max pending check-ins, oldest first: ids into ids[], malloc'd bodies into bodies[]
 * (free each). Returns how many, or -1. */
int store_pending(struct store *s, int max, char ids[][STORE_ID_LEN], char **bodies);
int store_count_pending(struct store *s);
/* Check-ins set aside (hubd refused them: 409, 400, 413); -1 on error. */
int store_count_set_aside(struct store *s);

/* Marks id acknowledged with the server's ticket, and drops the resident's words. 0 or -1. */
int store_ack(struct store *s, const char *id, const struct ticket *t, int64_t now_ms);
/* Sets id aside (a 409 or 400 from hubd): kept, never sent again. 0 or -1. */
int store_reject(struct store *s, const char *id, int status, const char *why);
/* 1 and *t when id is acknowledged, 0 when still pending or set aside, -1 on error. */
int store_result(struct store *s, const char *id, struct ticket *t);
/* Deletes acknowledged rows acknowledged before now_ms - age_ms. Returns how many, or -1. */
int store_prune(struct store *s, int64_t now_ms, int64_t age_ms);

/* Keeps json (a directory that parsed) and its ETag as the last good one. 0 or -1. */
int store_put_dir(struct store *s, const char *json, size_t len, const char *etag);
/* The last good directory (malloc'd, *len set) and its ETag (into etag), or NULL. */
char *store_get_dir(struct store *s, size_t *len, char *etag, size_t etagcap);

#endif
