/* checkin.h — a resident's check-in as the kiosk sends it: parsing with full validation,
 * the fingerprint that makes replays idempotent, and the outcome of storing one. */
#ifndef HUBD_CHECKIN_H
#define HUBD_CHECKIN_H

#include "sha256.h"
#include "ticket.h"
#include "valid.h"

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdint.h>

#define CHECKIN_NAME_MAX  80   /* bytes of UTF-8 */
#define CHECKIN_TEXT_MAX  2000 /* bytes of UTF-8 */
#define CHECKIN_NEEDS_MAX 16
#define CHECKIN_DOM_MAX   3
#define CHECKIN_BATCH_MAX 100
#define TICKET_MAX        (TICKET_LEN_MAX + 1)
#define KIOSK_TICKET_MAX  TICKET_LEN_MAX /* characters of a kiosk's ticket kept, [A-Z0-9-] */

struct checkin {
    char id[UUID_LEN + 1]; /* lowercase UUID v4 */
    int64_t created_ms;    /* created_at, ms since the epoch (UTC) */
    char lang[16];
    const char *needs[CHECKIN_NEEDS_MAX]; /* canonical static need ids */
    size_t n_needs;
    const char *domains[CHECKIN_DOM_MAX]; /* canonical static domains, primary first */
    size_t n_domains;
    bool urgent;
    bool has_worker; /* false: for reception */
    char worker_id[IDENT_MAX + 1];
    const char *chosen_by; /* canonical static string */
    char *name;            /* owned; NULL when absent */
    char *text;            /* owned; NULL when absent or consent is false */
    bool consent;
    /* The ticket the kiosk issued and showed (DESIGN "ticket"; older kiosks: "kiosk_ticket"),
     * kept when it is 1-15 characters of [A-Z0-9-]; "" when not sent or not like that
     * (ticket_sent then tells the two apart). */
    char kiosk_ticket[KIOSK_TICKET_MAX + 1];
    bool ticket_sent;
    /* Fingerprints. hash: every field hubd keeps (words only with consent), stored with the
     * check-in until the purge, which replaces it with coded_hash (the coded fields alone:
     * a stored hash must not let anyone test a guessed name once the name is erased).
     * legacy_hash: every field as sent, words always, as hubd before schema 6 stored it. A
     * replay is the same check-in when the stored fingerprint equals any of the three. */
    uint8_t hash[SHA256_LEN];
    uint8_t legacy_hash[SHA256_LEN];
    uint8_t coded_hash[SHA256_LEN];
    const char *actor;      /* borrowed: who sent it (the token's name); not in the fingerprint */
    const char *kiosk_code; /* borrowed: the sending kiosk token's code ("A"); NULL or "": none */
};

/* Outcome of storing one check-in. status is the HTTP status for it: 201 stored, 200 a
 * replay of the same body, 409 same id with a different body, 400 bad reference (error
 * says why), 503 storage failure. ticket/position/wait are set for 200 and 201. */
struct checkin_result {
    int status;
    char ticket[TICKET_MAX]; /* THE ticket: the kiosk's, or hubd's when it could not adopt it */
    /* NULL: the kiosk's ticket was adopted; else why hubd issued its own ("none sent",
     * "malformed", "clash", "another kiosk's code"). A static string. */
    const char *ticket_why;
    int position; /* residents waiting ahead for the same worker (0: next) */
    int wait_min;
    char error[96];
};

/* Why hubd issues a ticket of its own instead of the kiosk's (checkin_result.ticket_why). */
#define TICKET_WHY_NONE      "none sent"
#define TICKET_WHY_MALFORMED "malformed"
#define TICKET_WHY_CLASH     "clash"
#define TICKET_WHY_CODE      "another kiosk's code"

/* NULL when the ticket the kiosk sent with c may be adopted (unless it is already some
 * resident's today: the store looks), else why not (one of TICKET_WHY_*). */
const char *checkin_ticket_refusal(const struct checkin *c);
/* The canonical TICKET_WHY_* string equal to s (a stored ticket_why), or NULL. */
const char *ticket_why_lookup(const char *s);
/* hubd's own ticket for c from its nth number of the day (any n >= 1: past TICKET_NUM_MAX the
 * numbers start again) into out. 0, or -1 when it does not fit. */
int checkin_own_ticket(const struct checkin *c, long n, char *out, size_t cap);

/* Validates one check-in object and fills c. Returns 0, or -1 with "<field>: <why>" in err
 * (c then holds nothing to release). On success release c with checkin_release(). */
int checkin_parse(const cJSON *obj, struct checkin *c, char *err, size_t cap);

/* Frees what c owns; c may be reused afterwards. */
void checkin_release(struct checkin *c);

/* The response object {id, ticket, ticket_from, [ticket_why,] position, estimated_wait_min}
 * (plus "status" when with_status, for batch items). NULL on allocation failure; the caller owns
 * it. */
cJSON *checkin_result_json(const char *id, const struct checkin_result *r, bool with_status);

#endif
