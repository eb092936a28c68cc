/* backend_sync.c — submit = the kiosk's own ticket, the check-in written to the local store
 * with it, the sync thread woken; poll = has hubd's answer (position, wait) come yet. Neither
 * ever waits. */
#include "backend_sync.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backend_local.h"
#include "proto/ticket.h"
#include "feedback.h"

struct bsync {
    struct backend b;
    struct store *store;
    struct sync *sync;
    struct backend *local;   /* the kiosk's own tickets */
    char last[STORE_ID_LEN]; /* the last check-in queued for hubd, "" = none */
};

static int64_t wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int bsync_submit(void *self, const struct kiosk_checkin *c, struct ticket *out)
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
    if (rc == 1) { /* the ticket stays the one the resident holds */
        out->position = t.position;
        out->wait_min = t.wait_min;
    }
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

static long last_in_store(void *ctx, const char *code, int64_t day_start_ms)
{
    struct bsync *s = ctx;
    return s->store ? store_last_ticket(s->store, code, day_start_ms) : 0;
}

struct backend *backend_sync_new(struct store *store, struct sync *sync, const char *token)
{
    char code[TICKET_CODE_MAX + 1];
    struct bsync *s = calloc(1, sizeof(*s));
    if (!s)
        return NULL;
    if (ticket_code_of_token(token, code) < 0 && token) {
        fprintf(stderr, "kiosk: this token carries no kiosk code, so tickets use K and may clash "
                        "with another kiosk's (hubd then gives its own): make one with hubd "
                        "token kiosk NAME\n");
    }
    s->local = backend_local_new(code, last_in_store, s);
    if (!s->local) {
        free(s);
        return NULL;
    }
    s->store = store;
    s->sync = sync;
    s->b.self = s;
    s->b.submit = bsync_submit;
    s->b.poll = bsync_poll;
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
