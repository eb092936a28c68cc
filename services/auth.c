/* auth.c — token creation, the in-memory set of tokens (re-read from the store at most once
 * a second, so a revoked token stops working within a second) and constant-time checks. */
#include "auth.h"
#include "clock.h"

#include "proto/valid.h"

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
    char name[TOKEN_NAME_MAX + 1];
    char worker_id[IDENT_MAX + 1];
    char hub[IDENT_MAX + 1];
    char code[TICKET_CODE_MAX + 1];
};

#define AUTH_RELOAD_MS 1000 /* a revocation takes effect within this */

struct auth {
    struct store *store;
    pthread_rwlock_t lock;
    struct token_entry *tokens;
    size_t n, cap;
    pthread_mutex_t reload_lock; /* one reload at a time */
    int64_t loaded_at;           /* monotonic ms of the last reload (atomic) */
};

static const char *const ROLE_NAMES[] = {"kiosk", "reception", "worker", "manager", "admin"};

enum role role_parse(const char *s)
{
    for (int i = 0; i < 5; i++)
        if (strcmp(s, ROLE_NAMES[i]) == 0)
            return (enum role)(1 << i);
    return ROLE_NONE;
}

const char *role_name(enum role r)
{
    for (int i = 0; i < 5; i++)
        if (r == (enum role)(1 << i))
            return ROLE_NAMES[i];
    return "";
}

struct load_ctx {
    struct token_entry *v;
    size_t n, cap;
};

static void entry_fill(struct token_entry *e, const uint8_t hash[SHA256_LEN], enum role r,
                       const struct token_info *t)
{
    memcpy(e->hash, hash, SHA256_LEN);
    e->role = r;
    memcpy(e->name, t->name, sizeof(e->name));
    memcpy(e->worker_id, t->worker_id, sizeof(e->worker_id));
    memcpy(e->hub, t->hub, sizeof(e->hub));
    memcpy(e->code, t->code, sizeof(e->code));
}

static int collect(const uint8_t hash[SHA256_LEN], const struct token_info *t, void *ctx)
{
    struct load_ctx *l = ctx;
    enum role r = role_parse(t->role);
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
    entry_fill(&l->v[l->n++], hash, r, t);
    return 0;
}

/* Re-reads the token hashes from the store; keeps the old set on failure. */
static void reload(struct auth *a)
{
    struct load_ctx l = {0};
    __atomic_store_n(&a->loaded_at, mono_ms(), __ATOMIC_RELAXED);
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
    pthread_mutex_init(&a->reload_lock, NULL);
    reload(a);
    return a;
}

void auth_free(struct auth *a)
{
    if (!a)
        return;
    free(a->tokens);
    pthread_rwlock_destroy(&a->lock);
    pthread_mutex_destroy(&a->reload_lock);
    free(a);
}

static void principal_fill(struct principal *who, const struct token_entry *e)
{
    if (!who)
        return;
    who->role = e->role;
    memcpy(who->name, e->name, sizeof(who->name));
    memcpy(who->worker_id, e->worker_id, sizeof(who->worker_id));
    memcpy(who->hub, e->hub, sizeof(who->hub));
    memcpy(who->code, e->code, sizeof(who->code));
}

/* Looks the hash up touching every entry the same way, whatever matches. */
static enum role lookup(struct auth *a, const uint8_t hash[SHA256_LEN], struct principal *who)
{
    unsigned found = 0;
    size_t at = 0;
    pthread_rwlock_rdlock(&a->lock);
    for (size_t i = 0; i < a->n; i++) {
        unsigned eq = ct_equal(a->tokens[i].hash, hash, SHA256_LEN);
        found |= (0u - eq) & (unsigned)a->tokens[i].role;
        at |= ((size_t)0 - eq) & i;
    }
    if (found)
        principal_fill(who, &a->tokens[at]);
    pthread_rwlock_unlock(&a->lock);
    return (enum role)found;
}

/* A token missing from memory may have been created since start (by `hubd token`): asks
 * the store for that one hash (an indexed lookup) and remembers it when found. */
static enum role learn(struct auth *a, const uint8_t hash[SHA256_LEN], struct principal *who)
{
    struct token_info t;
    struct token_entry e;
    if (a->store->ops->token_find(a->store, hash, &t) != 0)
        return ROLE_NONE;
    enum role r = role_parse(t.role);
    if (r == ROLE_NONE)
        return r;
    entry_fill(&e, hash, r, &t);
    principal_fill(who, &e);
    pthread_rwlock_wrlock(&a->lock);
    if (a->n == a->cap) {
        size_t ncap = a->cap ? a->cap * 2 : 16;
        struct token_entry *v = realloc(a->tokens, ncap * sizeof(*v));
        if (v) {
            a->tokens = v;
            a->cap = ncap;
        }
    }
    if (a->n < a->cap)
        a->tokens[a->n++] = e;
    pthread_rwlock_unlock(&a->lock);
    return r;
}

/* Re-reads the tokens when the set is over a second old (revocations, renames); requests
 * meanwhile use the set they find. */
static void maybe_reload(struct auth *a)
{
    if (mono_ms() - __atomic_load_n(&a->loaded_at, __ATOMIC_RELAXED) < AUTH_RELOAD_MS)
        return;
    if (pthread_mutex_trylock(&a->reload_lock) != 0)
        return;
    if (mono_ms() - __atomic_load_n(&a->loaded_at, __ATOMIC_RELAXED) >= AUTH_RELOAD_MS)
        reload(a);
    pthread_mutex_unlock(&a->reload_lock);
}

enum role auth_check(struct auth *a, const char *header, bool may_learn, struct principal *who)
{
    uint8_t hash[SHA256_LEN];
    if (who)
        memset(who, 0, sizeof(*who));
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
    maybe_reload(a);
    enum role r = lookup(a, hash, who);
    return r != ROLE_NONE || !may_learn ? r : learn(a, hash, who);
}

/* The one-letter codes the kiosk tokens of one hub already have (used['A' - 'A'] ..). */
struct codes_used {
    char hub[IDENT_MAX + 1]; /* "" when the store holds one hub only */
    bool used[26];
};

static int mark_code(const uint8_t hash[SHA256_LEN], const struct token_info *t, void *ctx)
{
    struct codes_used *u = ctx;
    (void)hash;
    bool same_hub = !t->hub[0] || !u->hub[0] || strcmp(t->hub, u->hub) == 0;
    if (same_hub && strcmp(t->role, "kiosk") == 0 && t->code[0] && !t->code[1])
        u->used[t->code[0] - 'A'] = true;
    return 0;
}

/* The kiosk code for a new kiosk token of store's hub into out: code as given, or the first
 * letter no kiosk token of that hub has (codes need only be unique within a hub). */
static int kiosk_code(struct store *store, const char *code, char *out, char *err, size_t cap)
{
    struct codes_used u;
    struct hdir d;
    memset(&u, 0, sizeof(u));
    if (code) {
        if (!ticket_code_valid(code)) {
            snprintf(err, cap, "--code must be 1 or 2 capital letters, such as A");
            return -1;
        }
        snprintf(out, TICKET_CODE_MAX + 1, "%s", code);
        return 0;
    }
    if (store->ops->hub_load(store, &d) == 0) {
        if (d.has_hub && d.hub_id)
            snprintf(u.hub, sizeof(u.hub), "%s", d.hub_id);
        hdir_release(&d);
    }
    if (store->ops->tokens_load(store, mark_code, &u) != 0) {
        snprintf(err, cap, "cannot read the tokens to choose a kiosk code");
        return -1;
    }
    for (int i = 0; i < 26; i++) {
        if (!u.used[i]) {
            out[0] = (char)('A' + i);
            out[1] = '\0';
            return 0;
        }
    }
    snprintf(err, cap, "every kiosk code A to Z is in use: give one with --code, such as AB");
    return -1;
}

int auth_token_create(struct store *store, const char *role, const char *name,
                      const char *worker_id, const char *code, char out[AUTH_TOKEN_LEN + 1],
                      char *err, size_t cap)
{
    uint8_t raw[AUTH_TOKEN_LEN / 2], hash[SHA256_LEN];
    char kcode[TICKET_CODE_MAX + 1] = "";
    struct timespec ts;
    if (role_parse(role) == ROLE_NONE) {
        snprintf(err, cap, "unknown role '%.20s' (kiosk, reception, worker, manager, admin)", role);
        return -1;
    }
    if (strlen(name) == 0 || strlen(name) > TOKEN_NAME_MAX || !text_clean(name, false)) {
        snprintf(err, cap, "token name must be 1-64 printable characters");
        return -1;
    }
    if (worker_id && role_parse(role) != ROLE_WORKER) {
        snprintf(err, cap, "--worker is only for worker tokens");
        return -1;
    }
    if (worker_id && !ident_valid(worker_id)) {
        snprintf(err, cap, "--worker must be a worker id (letters, digits, '.', '_', '-')");
        return -1;
    }
    if (code && role_parse(role) != ROLE_KIOSK) {
        snprintf(err, cap, "--code is only for kiosk tokens");
        return -1;
    }
    if (role_parse(role) == ROLE_KIOSK && kiosk_code(store, code, kcode, err, cap) < 0)
        return -1;
    if (getrandom(raw, sizeof(raw), 0) != (ssize_t)sizeof(raw)) {
        snprintf(err, cap, "no randomness available");
        return -1;
    }
    char hex[AUTH_TOKEN_LEN + 1];
    hex_encode(raw, sizeof(raw), hex);
    /* the code and its hyphen take the place of the first hex characters */
    snprintf(out, AUTH_TOKEN_LEN + 1, "%s%s%s", kcode, kcode[0] ? "-" : "", hex);
    sha256(out, AUTH_TOKEN_LEN, hash);
    clock_gettime(CLOCK_REALTIME, &ts);
    if (store->ops->token_add(store, hash, role, name, worker_id, kcode[0] ? kcode : NULL,
                              (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000) != 0) {
        snprintf(err, cap, "cannot store the token");
        return -1;
    }
    return 0;
}
