/* limits.h — every cap of the wire contract, once. hubd, the kiosk, the tools and the tests
 * all take their caps from here; each names the line of /work/shared/DESIGN.md (the contract,
 * "DESIGN") it serves. Byte caps of text are derived from character caps (4 bytes each). */
#ifndef PROTO_LIMITS_H
#define PROTO_LIMITS_H

/* DESIGN:132 (POST /checkins): name and text over their cap are cut at a character boundary
 * and flagged, never refused. Characters are Unicode code points. */
#define LIMIT_NAME_CHARS 40
#define LIMIT_TEXT_CHARS 500
#define LIMIT_NAME_BYTES (4 * LIMIT_NAME_CHARS) /* longest UTF-8 of LIMIT_NAME_CHARS */
#define LIMIT_TEXT_BYTES (4 * LIMIT_TEXT_CHARS)
/* What hubd reads of name and text before cutting: anything longer is malformed (DESIGN:132,
 * "400 only for a malformed structure"), and so bounded by the body cap below anyway. */
#define LIMIT_WORDS_READ_BYTES LIMIT_BODY_BYTES

/* DESIGN:132: "A JSON array of up to 100 is answered item by item". */
#define LIMIT_BATCH 100
/* DESIGN:149 ("oversized bodies 413"): the request body cap; a full batch fits. */
#define LIMIT_BODY_BYTES (64 * 1024)
/* DESIGN:132: needs[] and domains[] of one check-in (three domains exist, DESIGN:89). */
#define LIMIT_CHECKIN_NEEDS   16
#define LIMIT_CHECKIN_DOMAINS 3
/* DESIGN:132: id is a UUID v4, 36 characters. */
#define LIMIT_UUID_LEN 36
/* DESIGN:100-104: hub and worker ids (and time zone names) are identifiers of up to 64 bytes. */
#define LIMIT_IDENT_BYTES 64
/* DESIGN:132: lang is a language tag ("en", "cy", "pt-BR"). */
#define LIMIT_LANG_BYTES 15
/* DESIGN:114-117: the one ticket, short and readable aloud ("H-A07"). */
#define LIMIT_TICKET_BYTES 15
/* DESIGN:132: flags a stored check-in carries, each a short word. */
#define LIMIT_FLAGS 8

/* DESIGN:98-110 (hub directory JSON). */
#define LIMIT_WORKERS        512
#define LIMIT_DIR_NAME_BYTES 128 /* hub name, worker name, role */
#define LIMIT_DESK_BYTES     64  /* desk, desk_cy */
#define LIMIT_WORKER_NEEDS   64
#define LIMIT_WORKER_LANGS   8
#define LIMIT_DIR_FILE_BYTES (4 * 1024 * 1024) /* --seed, --directory files */

/* DESIGN:92 (assets/needs.json, the only list of needs). */
#define LIMIT_NEEDS               256
#define LIMIT_NEED_ID_BYTES       47
#define LIMIT_TAXONOMY_FILE_BYTES (1024 * 1024)

#endif
