/* checkin.h — a resident's check-in on the wire (DESIGN POST /checkins), compiled once for both
 * ends: the kiosk encodes it, hubd decodes it (with the fingerprint that makes replays
 * idempotent and the flags saying what it could not keep as sent), hubd encodes the answer
 * and the kiosk decodes it. */
#ifndef PROTO_CHECKIN_H
#define PROTO_CHECKIN_H

#include "proto/limits.h"
#include "proto/sha256.h"
#include "proto/ticket.h"
#include "proto/valid.h"

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdint.h>

#define CHECKIN_NEEDS_MAX LIMIT_CHECKIN_NEEDS
#define CHECKIN_DOM_MAX   LIMIT_CHECKIN_DOMAINS
#define CHECKIN_BATCH_MAX LIMIT_BATCH
#define TICKET_MAX        (TICKET_LEN_MAX + 1)
#define KIOSK_TICKET_MAX  TICKET_LEN_MAX /* characters of a kiosk's ticket kept, [A-Z0-9-] */

/* What hubd could not keep as sent; the check-in is stored all the same (DESIGN:132). */
enum checkin_flag {
    CHECKIN_WORKER_UNKNOWN = 1 << 0, /* worker_id named no worker of the hub: for reception */
    CHECKIN_NAME_CUT = 1 << 1,       /* name over LIMIT_NAME_CHARS, cut at a character */
    CHECKIN_TEXT_CUT = 1 << 2,       /* text over LIMIT_TEXT_CHARS, cut at a character */
    CHECKIN_NEED_DROPPED = 1 << 3,   /* a need the taxonomy does not know (or one too many) */
    CHECKIN_FLAG_COUNT = 4
};

/* The flag's wire name ("worker_unknown", ...), or NULL for a bit that is not a flag. */
const char *checkin_flag_name(unsigned bit);
/* The bit for a wire name, or 0. */
unsigned checkin_flag_parse(const char *name);
/* Writes the flags as a comma-joined list of names into out ("" for none). 0, or -1 when it
 * does not fit. */
int checkin_flags_join(unsigned flags, char *out, size_t cap);
/* The flags of a comma-joined list of names (unknown names are skipped). */
unsigned checkin_flags_split(const char *joined);
/* Adds "flags": [names...] to the JSON object o (an empty array for none). 0, or -1 when out
 * of memory. */
int checkin_flags_add(cJSON *o, unsigned flags);

struct checkin {
    char id[UUID_LEN + 1]; /* lowercase UUID v4 */
    int64_t created_ms;    /* created_at, ms since the epoch (UTC) */
    char lang[LIMIT_LANG_BYTES + 1];
    const char *needs[CHECKIN_NEEDS_MAX]; /* canonical need ids (decoded), or the sender's */
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
    unsigned flags; /* enum checkin_flag: what was not kept as sent */
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

/* Outcome of storing one check-in, and the batch answer's item. status is the HTTP status for
 * it: 201 stored, 200 a replay of the same body, 409 same id with a different body, 400
 * malformed (error says why), 503 storage failure. ticket/position/wait/flags are set for 200
 * and 201. */
struct checkin_result {
    int status;
    char ticket[TICKET_MAX]; /* THE ticket: the kiosk's, or hubd's when it could not adopt it */
    /* NULL: the kiosk's ticket was adopted; else why hubd issued its own ("none sent",
     * "malformed", "clash", "another kiosk's code"). A static string. */
    const char *ticket_why;
    int position; /* residents waiting ahead for the same worker (0: next) */
    int wait_min;
    unsigned flags;
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

/* Decodes one check-in object into c (hubd). 400-worthy structure (not an object, wrong types,
 * a bad id, time, language or chosen_by) gives -1 with "<field>: <why>" in err (c then holds
 * nothing to release). What can be kept in part is kept and flagged: a name or text over its
 * cap is cut at a character boundary, needs the installed taxonomy does not know are dropped.
 * On success release c with checkin_release(). */
int checkin_parse(const cJSON *obj, struct checkin *c, char *err, size_t cap);

/* Frees what c owns; c may be reused afterwards. */
void checkin_release(struct checkin *c);

/* Encodes c as the DESIGN body (the kiosk): malloc'd compact JSON, NULL when out of memory.
 * created_at is written with milliseconds; name is sent when not NULL, text only with
 * consent; the kiosk's ticket as "ticket" when not "". Pointers in c are only read. */
char *checkin_to_json(const struct checkin *c);

/* The answer object {id, ticket, ticket_from, [ticket_why,] position, estimated_wait_min, flags}
 * (plus "status" when with_status, for batch items; {id, error} for a refusal). NULL on allocation
 * failure; the caller owns it. */
cJSON *checkin_result_json(const char *id, const struct checkin_result *r, bool with_status);

/* Decodes one item of a batch answer (the kiosk): 0 with its id (lowercase, into id) and *r,
 * or -1 when it is not an answer item (no id or status). */
int checkin_result_parse(const cJSON *item, char id[UUID_LEN + 1], struct checkin_result *r);

#endif
