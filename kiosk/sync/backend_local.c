/* backend_local.c — tickets numbered on the kiosk; waits estimated from its own check-ins. */
#include "backend_local.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOCAL_MAX 4096

struct local {
    struct backend b;
    int n;
    char worker[LOCAL_MAX][DIR_ID_MAX]; /* who each check-in went to ("" = reception) */
    int load[DIR_WORKERS_MAX];
};

static int ahead_of(const struct local *l, const char *worker_id)
{
    int n = 0;
    for (int i = 0; i < l->n; i++)
        if (strcmp(l->worker[i], worker_id) == 0)
            n++;
    return n;
}

static int local_submit(void *self, const struct checkin *c, struct ticket *out)
{
    struct local *l = self;
    memset(out, 0, sizeof(*out));
    int ahead = c->urgent ? 0 : ahead_of(l, c->worker_id);
    char prefix = c->urgent ? 'U' : c->worker_id[0] ? 'A' : 'R';
    snprintf(out->code, sizeof(out->code), "%c%03d", prefix, l->n % 1000 + 1);
    out->position = ahead;
    out->wait_min = c->urgent ? 0 : 5 + 10 * ahead;
    if (l->n < LOCAL_MAX)
        snprintf(l->worker[l->n], DIR_ID_MAX, "%s", c->worker_id);
    l->n++;
    return 0;
}

static const int *local_load(void *self, const struct hub_dir *d)
{
    struct local *l = self;
    for (int i = 0; i < d->n_workers && i < DIR_WORKERS_MAX; i++)
        l->load[i] = ahead_of(l, d->workers[i].id);
    return d->n_workers <= DIR_WORKERS_MAX ? l->load : NULL;
}

struct backend *backend_local_new(void)
{
    struct local *l = calloc(1, sizeof(*l));
    if (!l)
        return NULL;
    l->b.self = l;
    l->b.submit = local_submit;
    l->b.load = local_load;
    return &l->b;
}

void backend_local_free(struct backend *b)
{
    free(b ? b->self : NULL);
}
