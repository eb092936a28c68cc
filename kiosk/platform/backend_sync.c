/* backend_sync.c — submit = write to the local store, wake the sync thread, wait briefly for
 * hubd's ticket; the local backend numbers the ticket when hubd does not answer in time. */
#include "backend_sync.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backend_local.h"

struct bsync {
    struct backend b;
    struct store *store;
    struct sync *sync;
    struct backend *local; /* tickets and loads when hubd has not answered */
    int wait_ms;
};

static int64_t wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int bsync_submit(void *self, const struct checkin *c, struct ticket *out)
{
    struct bsync *s = self;
    struct ticket local;
    int rc = s->local->submit(s->local->self, c, &local);
    *out = local;
    char id[STORE_ID_LEN];
    if (!s->store || store_uuid4(id) < 0) {
        fprintf(stderr, "kiosk: LOCAL STORE UNAVAILABLE: check-in kept on screen only, "
                        "not sent to hubd\n");
        return rc;
    }
    char *body = store_checkin_json(c, id, wall_ms());
    if (!body || store_add(s->store, id, wall_ms(), body) < 0) {
        fprintf(stderr, "kiosk: LOCAL STORE WRITE FAILED: check-in %s not queued for hubd\n", id);
        free(body);
        return rc;
    }
    free(body);
    if (s->sync) {
        sync_wake(s->sync);
        struct ticket t;
        if (sync_wait_result(s->sync, id, s->wait_ms, &t) == 1 && t.code[0])
            *out = t;
    }
    return rc;
}

static const int *bsync_load(void *self, const struct hub_dir *d)
{
    struct bsync *s = self;
    return s->local->load(s->local->self, d);
}

struct backend *backend_sync_new(struct store *store, struct sync *sync, int wait_ms)
{
    struct bsync *s = calloc(1, sizeof(*s));
    if (!s)
        return NULL;
    s->local = backend_local_new();
    if (!s->local) {
        free(s);
        return NULL;
    }
    s->store = store;
    s->sync = sync;
    s->wait_ms = wait_ms > 0 ? wait_ms : 1000;
    s->b.self = s;
    s->b.submit = bsync_submit;
    s->b.load = bsync_load;
    return &s->b;
}

void backend_sync_free(struct backend *b)
{
    if (!b)
        return;
    struct bsync *s = b->self;
    backend_local_free(s->local);
    free(s);
}
