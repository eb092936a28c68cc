/* auth.h — bearer tokens and roles. Tokens are random; only their SHA-256 is stored, and
 * a presented token is checked against every known hash in constant time. */
#ifndef HUBD_AUTH_H
#define HUBD_AUTH_H

#include "store.h"

#include <stdbool.h>
#include <stdint.h>

enum role {
    ROLE_NONE = 0,
    ROLE_KIOSK = 1,
    ROLE_RECEPTION = 2,
    ROLE_WORKER = 4,
    ROLE_MANAGER = 8,
    ROLE_ADMIN = 16,
    ROLE_ANY = 31,
};

/* Characters of a token: hex, except that a kiosk token starts with its kiosk code and a
 * hyphen ("A-3f9c…", the rest hex), so the kiosk knows its code (the "A" of ticket H-A07)
 * with no hubd at all. */
#define AUTH_TOKEN_LEN 64

/* The role bit for "kiosk", "reception", "worker", "manager" or "admin"; ROLE_NONE else. */
enum role role_parse(const char *s);
/* The name of a single role bit ("kiosk" .. "admin"), or "" for anything else. */
const char *role_name(enum role r);

struct auth;

/* A token checker over the hashes in store (all read now, and again at most once a second
 * while requests come, so a revoked token stops working within a second; a token unknown
 * in memory is looked up in the store, so tokens created while hubd runs work at once).
 * NULL on failure. Free with auth_free(). */
struct auth *auth_new(struct store *store);
void auth_free(struct auth *a);

/* Who a valid token speaks for (plain data). */
struct principal {
    enum role role;
    char name[TOKEN_NAME_MAX + 1];  /* the name given when the token was made */
    char worker_id[IDENT_MAX + 1];  /* a worker token's own worker; "" for none */
    char hub[IDENT_MAX + 1];        /* the token's hub (STORE_HUB_ALL, or "": see token_info) */
    char code[TICKET_CODE_MAX + 1]; /* a kiosk token's code ("A"); "" for none */
};

/* The role of the bearer token in an Authorization header value ("Bearer <token>"), or
 * ROLE_NONE when it is absent, malformed or unknown. may_learn false: a token unknown in
 * memory is not looked up in the store (for an address that keeps failing). When who is not
 * NULL it is filled for a known token (zeroed otherwise). Thread-safe. */
enum role auth_check(struct auth *a, const char *header, bool may_learn, struct principal *who);

/* Creates a token for role and name (1-64 printable bytes), tied to worker_id (a worker id;
 * only for the worker role; NULL for none), stores its hash and writes the token and a NUL
 * to out: AUTH_TOKEN_LEN characters, hex after "CODE-" for a kiosk token. code (kiosk tokens
 * only) is the kiosk's code, 1-2 letters A-Z; NULL picks the first of A..Z no kiosk token
 * has yet. The caller checks that the worker exists. Returns 0, or -1 with err set. */
int auth_token_create(struct store *store, const char *role, const char *name,
                      const char *worker_id, const char *code, char out[AUTH_TOKEN_LEN + 1],
                      char *err, size_t cap);

#endif
