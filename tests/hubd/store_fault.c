/* store_fault.c — the failing store_ops double (see store_fault.h). */
#include "store_fault.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FAULT_HUBS_MAX 64 /* hub handles (ops->hub) one wrapper hands out at most */

/* The wrapper of a store, or of one hub's handle of it (ops->hub): a handle shares its
 * root's fault spec and counts, so call N of a kind counts every hub's calls. */
struct fault_store {
    struct store base;
    struct store_ops ops; /* FAULT_OPS, less the ops inner does not have */
    struct store *in;
    struct fault_store *root; /* itself for the wrapper of the store */
    const char *file, *log;
    pthread_mutex_t lock;
    char seen[96];                            /* the spec as last read */
    char kind[32];                            /* parsed from it */
    long n, count;                            /* fail call n of kind; calls of kind so far */
    struct fault_store *hubs[FAULT_HUBS_MAX]; /* root only: the hub handles handed out */
    size_t n_hubs;
};

static struct fault_store *F(struct store *s)
{
    return (struct fault_store *)s;
}

/* True when this call (of kind) is the one to fail. */
static bool hit(struct store *s, const char *kind)
{
    struct fault_store *f = F(s)->root;
    char spec[96] = "";
    bool fail = false;
    FILE *fp = fopen(f->file, "r");
    if (fp) {
        if (!fgets(spec, sizeof(spec), fp))
            spec[0] = '\0';
        fclose(fp);
    }
    pthread_mutex_lock(&f->lock);
    if (strcmp(spec, f->seen) != 0) {
        snprintf(f->seen, sizeof(f->seen), "%s", spec);
        f->kind[0] = '\0';
        f->n = 0;
        f->count = 0;
        if (sscanf(spec, "%31s %ld", f->kind, &f->n) != 2)
            f->kind[0] = '\0';
    }
    if (f->kind[0] && strcmp(kind, f->kind) == 0 && ++f->count == f->n) {
        fail = true;
        FILE *lg = f->log ? fopen(f->log, "a") : NULL;
        if (lg) {
            fprintf(lg, "%s %ld\n", kind, f->n);
            fclose(lg);
        }
    }
    pthread_mutex_unlock(&f->lock);
    return fail;
}

static int f_hub_load(struct store *s, struct hdir *out)
{
    if (hit(s, "hub_load")) {
        memset(out, 0, sizeof(*out));
        return STORE_EIO;
    }
    return F(s)->in->ops->hub_load(F(s)->in, out);
}

static int f_hub_seed(struct store *s, const struct hdir *d, int64_t now_ms)
{
    return hit(s, "hub_seed") ? STORE_EIO : F(s)->in->ops->hub_seed(F(s)->in, d, now_ms);
}

static int f_checkins_put(struct store *s, struct checkin *const *items, size_t n,
                          struct checkin_result *out, int64_t now_ms)
{
    if (!hit(s, "checkins_put"))
        return F(s)->in->ops->checkins_put(F(s)->in, items, n, out, now_ms);
    for (size_t i = 0; i < n; i++) {
        memset(&out[i], 0, sizeof(out[i]));
        out[i].status = 503;
        snprintf(out[i].error, sizeof(out[i].error), "storage unavailable, retry");
    }
    return STORE_EIO;
}

static int f_board(struct store *s, const struct board_query *q, struct board_row **rows, size_t *n,
                   size_t *total)
{
    if (hit(s, "board")) {
        *rows = NULL;
        *n = 0;
        *total = 0;
        return STORE_EIO;
    }
    return F(s)->in->ops->board(F(s)->in, q, rows, n, total);
}

static int f_handover(struct store *s, const char *id, const char *worker_id, int64_t now_ms,
                      const char *actor, struct handover_info *out)
{
    if (hit(s, "handover"))
        return STORE_EIO;
    return F(s)->in->ops->handover(F(s)->in, id, worker_id, now_ms, actor, out);
}

static int f_reassign(struct store *s, const char *id, const char *worker_id, const char *reason,
                      int64_t now_ms, const char *actor)
{
    if (hit(s, "reassign"))
        return STORE_EIO;
    return F(s)->in->ops->reassign(F(s)->in, id, worker_id, reason, now_ms, actor);
}

static int f_worker_update(struct store *s, const char *id, const char *status, const char *desk,
                           int64_t now_ms, const char *actor, bool *changed)
{
    if (hit(s, "worker_update")) {
        *changed = false;
        return STORE_EIO;
    }
    return F(s)->in->ops->worker_update(F(s)->in, id, status, desk, now_ms, actor, changed);
}

static int f_report_scan(struct store *s, int64_t from_ms, int64_t to_ms, report_row_fn fn,
                         void *ctx)
{
    if (hit(s, "report_scan"))
        return STORE_EIO;
    return F(s)->in->ops->report_scan(F(s)->in, from_ms, to_ms, fn, ctx);
}

static int f_token_add(struct store *s, const uint8_t hash[SHA256_LEN], const char *role,
                       const char *name, const char *worker_id, const char *code, int64_t now_ms)
{
    if (hit(s, "token_add"))
        return STORE_EIO;
    return F(s)->in->ops->token_add(F(s)->in, hash, role, name, worker_id, code, now_ms);
}

static int f_token_find(struct store *s, const uint8_t hash[SHA256_LEN], struct token_info *out)
{
    return hit(s, "token_find") ? STORE_EIO : F(s)->in->ops->token_find(F(s)->in, hash, out);
}

static int f_tokens_load(struct store *s, token_row_fn fn, void *ctx)
{
    return hit(s, "tokens_load") ? STORE_EIO : F(s)->in->ops->tokens_load(F(s)->in, fn, ctx);
}

static int f_token_revoke(struct store *s, const char *name, int *n)
{
    if (hit(s, "token_revoke")) {
        *n = 0;
        return STORE_EIO;
    }
    return F(s)->in->ops->token_revoke(F(s)->in, name, n);
}

static int f_purge(struct store *s, int64_t before_ms, int *n)
{
    if (hit(s, "purge")) {
        *n = 0;
        return STORE_EIO;
    }
    return F(s)->in->ops->purge(F(s)->in, before_ms, n);
}

static int f_health(struct store *s, char *why, size_t cap)
{
    if (hit(s, "health")) {
        snprintf(why, cap, "injected fault");
        return STORE_EIO;
    }
    return F(s)->in->ops->health(F(s)->in, why, cap);
}

/* The end of the journey (store_outcome_ops): kinds "left", "next", "outcome",
 * "feedback_put", "feedback_scan", "day_close", "seen", "version". */
static const struct store_outcome_ops *OC(struct store *s)
{
    return F(s)->in->ops->oc;
}

static int f_left(struct store *s, const char *id, bool undo, int64_t now_ms, const char *actor,
                  struct left_info *out)
{
    if (hit(s, "left")) {
        memset(out, 0, sizeof(*out));
        return STORE_EIO;
    }
    return OC(s)->left(F(s)->in, id, undo, now_ms, actor, out);
}

static int f_next(struct store *s, const char *worker_id, int64_t now_ms, const char *actor,
                  struct board_row *out, bool *found, int *left)
{
    if (hit(s, "next")) {
        memset(out, 0, sizeof(*out));
        *found = false;
        *left = 0;
        return STORE_EIO;
    }
    return OC(s)->next(F(s)->in, worker_id, now_ms, actor, out, found, left);
}

static int f_outcome(struct store *s, const char *id, const char *only_worker, const char *result,
                     bool follow_up, int64_t now_ms, const char *actor, int *status)
{
    if (hit(s, "outcome"))
        return STORE_EIO;
    return OC(s)->outcome(F(s)->in, id, only_worker, result, follow_up, now_ms, actor, status);
}

static int f_feedback_put(struct store *s, const struct feedback *fb, int64_t now_ms, int *status)
{
    if (hit(s, "feedback_put"))
        return STORE_EIO;
    return OC(s)->feedback_put(F(s)->in, fb, now_ms, status);
}

static int f_feedback_scan(struct store *s, int64_t from_ms, int64_t to_ms, feedback_row_fn fn,
                           void *ctx)
{
    if (hit(s, "feedback_scan"))
        return STORE_EIO;
    return OC(s)->feedback_scan(F(s)->in, from_ms, to_ms, fn, ctx);
}

static int f_day_close(struct store *s, int64_t before_ms, int *n)
{
    if (hit(s, "day_close")) {
        *n = 0;
        return STORE_EIO;
    }
    return OC(s)->day_close(F(s)->in, before_ms, n);
}

static int f_seen(struct store *s, const char *worker_id, int64_t since_ms, struct board_row **rows,
                  size_t *n)
{
    if (hit(s, "seen")) {
        *rows = NULL;
        *n = 0;
        return STORE_EIO;
    }
    return OC(s)->seen(F(s)->in, worker_id, since_ms, rows, n);
}

static int f_version(struct store *s, int64_t *out)
{
    if (hit(s, "version"))
        return STORE_EIO;
    return OC(s)->version(F(s)->in, out);
}

static const struct store_outcome_ops FAULT_OC_OPS = {
    .left = f_left,
    .next = f_next,
    .outcome = f_outcome,
    .feedback_put = f_feedback_put,
    .feedback_scan = f_feedback_scan,
    .day_close = f_day_close,
    .seen = f_seen,
    .version = f_version,
};

/* The hub's kiosks (store_kiosk_ops): kinds "kiosk_put", "kiosk_list". */
static int f_kiosk_put(struct store *s, const char *name, const char *code, int pending,
                       int set_aside, int64_t now_ms, struct kiosk_row *prev)
{
    if (hit(s, "kiosk_put")) {
        memset(prev, 0, sizeof(*prev));
        return STORE_EIO;
    }
    return F(s)->in->ops->kiosk->put(F(s)->in, name, code, pending, set_aside, now_ms, prev);
}

static int f_kiosk_list(struct store *s, struct kiosk_row **rows, size_t *n)
{
    if (hit(s, "kiosk_list")) {
        *rows = NULL;
        *n = 0;
        return STORE_EIO;
    }
    return F(s)->in->ops->kiosk->list(F(s)->in, rows, n);
}

static const struct store_kiosk_ops FAULT_KIOSK_OPS = {
    .put = f_kiosk_put,
    .list = f_kiosk_list,
};

static int f_hubs(struct store *s, char (*ids)[IDENT_MAX + 1], size_t cap, size_t *n)
{
    if (hit(s, "hubs")) {
        *n = 0;
        return STORE_EIO;
    }
    return F(s)->in->ops->hubs(F(s)->in, ids, cap, n);
}

static struct fault_store *fault_new(struct store *inner, struct fault_store *root);

/* One hub's handle: the wrapper of inner's handle, made once and owned by the root, so a
 * hub's handle stays the same pointer as inner's does. Kind "hub" fails as a store with no
 * room for another hub would (NULL). */
static struct store *f_hub(struct store *s, const char *hub_id)
{
    struct fault_store *root = F(s)->root;
    if (hit(s, "hub"))
        return NULL;
    struct store *h = F(s)->in->ops->hub(F(s)->in, hub_id);
    if (!h)
        return NULL;
    struct fault_store *w = NULL;
    pthread_mutex_lock(&root->lock);
    for (size_t i = 0; i < root->n_hubs && !w; i++)
        if (root->hubs[i]->in == h)
            w = root->hubs[i];
    if (!w && root->n_hubs < FAULT_HUBS_MAX && (w = fault_new(h, root)))
        root->hubs[root->n_hubs++] = w;
    pthread_mutex_unlock(&root->lock);
    return w ? &w->base : NULL;
}

static void f_close(struct store *s)
{
    struct fault_store *f = F(s);
    if (f->root != f)
        return; /* a hub's handle is never closed itself; the root frees it */
    for (size_t i = 0; i < f->n_hubs; i++)
        free(f->hubs[i]);
    f->in->ops->close(f->in);
    pthread_mutex_destroy(&f->lock);
    free(f);
}

static const struct store_ops FAULT_OPS = {
    .hub_load = f_hub_load,
    .hub_seed = f_hub_seed,
    .checkins_put = f_checkins_put,
    .board = f_board,
    .handover = f_handover,
    .reassign = f_reassign,
    .worker_update = f_worker_update,
    .report_scan = f_report_scan,
    .token_add = f_token_add,
    .token_find = f_token_find,
    .tokens_load = f_tokens_load,
    .token_revoke = f_token_revoke,
    .purge = f_purge,
    .health = f_health,
    .oc = &FAULT_OC_OPS,
    .kiosk = &FAULT_KIOSK_OPS,
    .hub = f_hub,
    .hubs = f_hubs,
    .close = f_close,
};

/* A wrapper of inner sharing root's spec (root NULL: a new root). NULL when out of memory. */
static struct fault_store *fault_new(struct store *inner, struct fault_store *root)
{
    struct fault_store *f = calloc(1, sizeof(*f));
    if (!f)
        return NULL;
    f->ops = FAULT_OPS; /* an op inner lacks stays NULL: hubd sees the store as it is */
    if (!inner->ops->kiosk)
        f->ops.kiosk = NULL;
    if (!inner->ops->hub)
        f->ops.hub = NULL;
    if (!inner->ops->hubs)
        f->ops.hubs = NULL;
    f->base.ops = &f->ops;
    f->in = inner;
    f->root = root ? root : f;
    return f;
}

struct store *store_fault_wrap(struct store *inner)
{
    const char *file = getenv("HUBD_FAULT_FILE");
    if (!inner || !file || !*file)
        return inner;
    struct fault_store *f = fault_new(inner, NULL);
    if (!f)
        return NULL;
    f->file = file;
    f->log = getenv("HUBD_FAULT_LOG");
    pthread_mutex_init(&f->lock, NULL);
    return &f->base;
}
