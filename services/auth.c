/* auth.c — token creation, the in-memory hash table of tokens and constant-time checks. */
#include "auth.h"

#include "valid.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <time.h>

struct token_entry {
    uint8_t hash[SHA256_LEN];
    enum role role;
};

struct auth {
    struct store *store;
    pthread_rwlock_t lock;
    struct token_entry *tokens;
    size_t n, cap;
};

static const char *const ROLE_NAMES[] = {"kiosk", "reception", "worker", "manager", "admin"};

enum role role_parse(const char *s)
{
    for (int i = 0; i < 5; i++)
        if (strcmp(s, ROLE_NAMES[i]) == 0)
            return (enum role)(1 << i);
    return ROLE_NONE;
}

struct load_ctx {
    struct token_entry *v;
    size_t n, cap;
};

static int collect(const uint8_t hash[SHA256_LEN], const char *role, void *ctx)
{
    struct load_ctx *l = ctx;
    enum role r = role_parse(role);
    if (r == ROLE_NONE)
        return 0;
    if (l->n == l->cap) {
        size_t ncap = l->cap ? l->cap * 2 : 16;
        struct token_entry *v = realloc(l->v, ncap * sizeof(*v));
        if (!v)
            return -1;
        l->v = v;
        l->cap = ncap;
    }
    memcpy(l->v[l->n].hash, hash, SHA256_LEN);
    l->v[l->n++].role = r;
    return 0;
}

/* Re-reads the token hashes from the store; keeps the old set on failure. */
static void reload(struct auth *a)
{
    struct load_ctx l = {0};
    if (a->store->ops->tokens_load(a->store, collect, &l) != 0) {
        free(l.v);
        return;
    }
    pthread_rwlock_wrlock(&a->lock);
    free(a->tokens);
    a->tokens = l.v;
    a->n = l.n;
    a->cap = l.cap;
    pthread_rwlock_unlock(&a->lock);
}

struct auth *auth_new(struct store *store)
{
    struct auth *a = calloc(1, sizeof(*a));
    if (!a)
        return NULL;
    a->store = store;
    pthread_rwlock_init(&a->lock, NULL);
    reload(a);
    return a;
}

void auth_free(struct auth *a)
{
    if (!a)
        return;
    free(a->tokens);
    pthread_rwlock_destroy(&a->lock);
    free(a);
}

/* Looks the hash up touching every entry the same way, whatever matches. */
static enum role lookup(struct auth *a, const uint8_t hash[SHA256_LEN])
{
    unsigned found = 0;
    pthread_rwlock_rdlock(&a->lock);
    for (size_t i = 0; i < a->n; i++) {
        unsigned eq = ct_equal(a->tokens[i].hash, hash, SHA256_LEN);
        found |= (0u - eq) & (unsigned)a->tokens[i].role;
    }
    pthread_rwlock_unlock(&a->lock);
    return (enum role)found;
}

/* A token missing from memory may have been created since start (by `hubd token`): asks
 * the store for that one hash (an indexed lookup) and remembers it when found. */
static enum role learn(struct auth *a, const uint8_t hash[SHA256_LEN])
{
    char role[16];
    if (a->store->ops->token_find(a->store, hash, role, sizeof(role)) != 0)
        return ROLE_NONE;
    enum role r = role_parse(role);
    if (r == ROLE_NONE)
        return r;
    pthread_rwlock_wrlock(&a->lock);
    if (a->n == a->cap) {
        size_t ncap = a->cap ? a->cap * 2 : 16;
        struct token_entry *v = realloc(a->tokens, ncap * sizeof(*v));
        if (v) {
            a->tokens = v;
            a->cap = ncap;
        }
    }
    if (a->n < a->cap) {
        memcpy(a->tokens[a->n].hash, hash, SHA256_LEN);
        a->tokens[a->n++].role = r;
    }
    pthread_rwlock_unlock(&a->lock);
    return r;
}

enum role auth_check(struct auth *a, const char *header)
{
    uint8_t hash[SHA256_LEN];
    if (!header || strncasecmp(header, "Bearer ", 7) != 0)
        return ROLE_NONE;
    const char *tok = header + 7;
    while (*tok == ' ')
        tok++;
    size_t len = strnlen(tok, 257);
    while (len > 0 && tok[len - 1] == ' ')
        len--;
    if (len == 0 || len > 256)
        return ROLE_NONE;
    sha256(tok, len, hash);
    enum role r = lookup(a, hash);
    return r != ROLE_NONE ? r : learn(a, hash);
}

int auth_token_create(struct store *store, const char *role, const char *name,
                      char out[AUTH_TOKEN_LEN + 1], char *err, size_t cap)
{
    uint8_t raw[AUTH_TOKEN_LEN / 2], hash[SHA256_LEN];
    struct timespec ts;
    if (role_parse(role) == ROLE_NONE) {
        snprintf(err, cap, "unknown role '%.20s' (kiosk, reception, worker, manager, admin)", role);
        return -1;
    }
    if (strlen(name) == 0 || strlen(name) > 64 || !text_clean(name, false)) {
        snprintf(err, cap, "token name must be 1-64 printable characters");
        return -1;
    }
    if (getrandom(raw, sizeof(raw), 0) != (ssize_t)sizeof(raw)) {
        snprintf(err, cap, "no randomness available");
        return -1;
    }
    hex_encode(raw, sizeof(raw), out);
    sha256(out, AUTH_TOKEN_LEN, hash);
    clock_gettime(CLOCK_REALTIME, &ts);
    if (store->ops->token_add(store, hash, role, name,
                              (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000) != 0) {
        snprintf(err, cap, "cannot store the token");
        return -1;
    }
    return 0;
}
