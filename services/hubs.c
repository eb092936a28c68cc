/* hubs.c — the hubs one hubd serves: each a store handle bound to that hub's rows, wrapped
 * to publish its changes, with its own group committer and directory cache. */
#include "commit.h"
#include "dircache.h"
#include "events_store.h"
#include "http.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void ctx_free(struct hub_ctx *c)
{
    if (!c)
        return;
    committer_stop(c->committer);
    if (c->store && c->store != c->inner)
        c->store->ops->close(c->store); /* the publishing wrapper; inner is the store's */
    dircache_free(c->dir);
    pthread_mutex_destroy(&c->dir_lock);
    free(c);
}

/* A new context for hub id, or NULL when the hub is not in the database. */
static struct hub_ctx *ctx_new(struct hubd *h, const char *id)
{
    struct hdir d;
    struct hub_ctx *c = calloc(1, sizeof(*c));
    if (!c)
        return NULL;
    snprintf(c->id, sizeof(c->id), "%s", id);
    pthread_mutex_init(&c->dir_lock, NULL);
    c->inner = store_for_hub(h->base, id);
    if (!c->inner || c->inner->ops->hub_load(c->inner, &d) != 0)
        goto out_free;
    bool known = d.has_hub;
    hdir_release(&d);
    if (!known)
        goto out_free;
    c->store = h->events ? events_store_wrap(c->inner, h->events, c->id) : c->inner;
    c->dir = dircache_new();
    c->committer = c->store ? committer_start(c->store) : NULL;
    if (!c->store || !c->dir || !c->committer || dircache_rebuild(c->dir, c->store) < 0)
        goto out_free;
    return c;
out_free:
    ctx_free(c);
    return NULL;
}

struct hub_ctx *hubd_hub(struct hubd *h, const char *hub_id)
{
    if (!hub_id || !*hub_id || !strcmp(hub_id, h->main_hub.id))
        return &h->main_hub;
    if (!h->base->ops->hub || !strcmp(hub_id, STORE_HUB_ALL))
        return NULL; /* a store of one hub; or every hub, which is no one hub */
    struct hub_ctx *c = NULL;
    pthread_mutex_lock(&h->hubs_lock);
    for (size_t i = 0; i < h->n_hubs && !c; i++)
        if (!strcmp(h->hubs[i]->id, hub_id))
            c = h->hubs[i];
    if (!c && h->n_hubs < HUBD_HUBS_MAX && (c = ctx_new(h, hub_id)))
        h->hubs[h->n_hubs++] = c;
    pthread_mutex_unlock(&h->hubs_lock);
    return c;
}

void hubd_hubs_free(struct hubd *h)
{
    for (size_t i = 0; i < h->n_hubs; i++)
        ctx_free(h->hubs[i]);
    h->n_hubs = 0;
}
