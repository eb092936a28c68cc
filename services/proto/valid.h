/* valid.h — pure validators for what the hub accepts from outside: UUIDs, RFC 3339 times,
 * dates, identifiers, language tags, enums (statuses, chosen_by), tickets. */
#ifndef PROTO_VALID_H
#define PROTO_VALID_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto/limits.h"
#include "proto/taxonomy.h"
#include "proto/utf8.h"

#define UUID_LEN  LIMIT_UUID_LEN
#define IDENT_MAX LIMIT_IDENT_BYTES

/* True when the JSON text s (len bytes) holds a NUL: a raw 0 byte anywhere, or a \u0000
 * escape inside a string. Does not otherwise validate the JSON. */
bool json_has_nul(const char *s, size_t len);

/* Accepts a UUID version 4 (8-4-4-4-12 hex, version 4, variant 10xx, either case) and writes
 * its lowercase form with a NUL to out. Returns false (out untouched) otherwise. */
bool uuid_v4_parse(const char *s, char out[UUID_LEN + 1]);

/* Parses an RFC 3339 UTC time "YYYY-MM-DDTHH:MM:SS[.frac](Z|+00:00)" into milliseconds
 * since the epoch. Returns 0, or -1 when malformed or out of range. */
int rfc3339_parse(const char *s, int64_t *ms);

/* Formats ms since the epoch as "YYYY-MM-DDTHH:MM:SS.mmmZ" into out (at least 32 bytes). */
void rfc3339_format(int64_t ms, char *out, size_t cap);

/* Parses "YYYY-MM-DD" (a real calendar date, years 1970-9999: a kiosk whose clock
 * was reset still has its check-ins kept). Returns 0 or -1. */
int date_parse(const char *s, int *y, int *m, int *d);

/* Days since 1970-01-01 of a proleptic Gregorian date. */
int64_t days_from_civil(int y, int m, int d);

/* True for 1..IDENT_MAX bytes of [A-Za-z0-9._-]: worker and hub ids. */
bool ident_valid(const char *s);

/* True for a language tag like "en", "cy", "pt-BR": 2-3 lowercase letters, then
 * optionally '-' and 2-8 letters or digits. */
bool lang_valid(const char *s);

/* Domains and needs: proto/taxonomy.h (domain_lookup, need_lookup, need_count, need_at). */

/* Worker statuses: "available", "busy", "away", "off". Returns the canonical string or NULL. */
const char *worker_status_lookup(const char *s);
/* Who chose the worker: "router", "resident", "reception". Canonical string or NULL. */
const char *chosen_by_lookup(const char *s);

/* True for 1..max characters of [A-Z0-9-]: the ticket a kiosk showed the resident. */
bool kiosk_ticket_valid(const char *s, size_t max);

#endif
