/* backend_sync.c — submit = number a local ticket, write the check-in to the local store, wake
 * the sync thread; poll = has hubd's ticket for it come yet. Neither ever waits. */
#include "backend_sync.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backend_local.h"
#include "feedback.h"

struct bsync {
    struct backend b;
    struct store *store;
    struct sync *sync;
    struct backend *local;   /* tickets and loads when hubd has not answered */
    char last[STORE_ID_LEN]; /* the last check-in queued for hubd, "" = none */
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
    int rc = s->local->submit(s->local->self, c, out);
    char id[STORE_ID_LEN];
    s->last[0] = '\0';
    if (!s->store || store_uuid4(id) < 0) {
        fprintf(stderr, "kiosk: LOCAL STORE UNAVAILABLE: check-in kept on screen only, "
                        "not sent to hubd\n");
        return rc;
    }
    int64_t now = wall_ms();
    char *body = store_checkin_json(c, id, now, rc >= 0 ? out->code : NULL);
    if (!body || store_add(s->store, id, now, body) < 0) {
        fprintf(stderr, "kiosk: LOCAL STORE WRITE FAILED: check-in %s not queued for hubd\n", id);
        free(body);
        return rc;
    }
    free(body);
    if (!s->sync || rc < 0)
        return rc;
    sync_wake(s->sync);
    memcpy(s->last, id, sizeof(id));
    return 1;
}

static int bsync_poll(void *self, struct ticket *out)
{
    struct bsync *s = self;
    if (!s->sync || !s->last[0])
        return -1;
    struct ticket t;
    int rc = sync_poll_result(s->sync, s->last, &t);
    if (rc == 1 && !t.code[0])
        return -1; /* acknowledged without a ticket: keep the kiosk's own */
    if (rc == 1)
        *out = t;
    return rc;
}

static int bsync_feedback(void *self, const char *lang, const char *answer)
{
    struct bsync *s = self;
    if (!s->store || store_feedback_add(s->store, lang, answer, wall_ms(), NULL) < 0) {
        fprintf(stderr, "kiosk: LOCAL STORE WRITE FAILED: an answer on the way out not kept\n");
        return -1;
    }
    if (s->sync)
        sync_wake(s->sync);
    return 0;
}

static const int *bsync_load(void *self, const struct hub_dir *d)
{
    struct bsync *s = self;
    return s->local->load(s->local->self, d);
}

struct backend *backend_sync_new(struct store *store, struct sync *sync)
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
    s->b.self = s;
    s->b.submit = bsync_submit;
    s->b.poll = bsync_poll;
    s->b.load = bsync_load;
    s->b.feedback = bsync_feedback;
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
