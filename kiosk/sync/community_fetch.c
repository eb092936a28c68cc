/* community_fetch.c — GET /api/v1/community on the sync thread, its newest month kept for the
 * welcome screen. */
#include "community_fetch.h"

#include <cjson/cJSON.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sync_int.h"

struct community_cache {
    pthread_mutex_t mu;
    struct community_figs figs;
    bool fresh; /* changed since the UI last took it */
};

int community_parse(const char *json, size_t len, struct community_figs *out)
{
    cJSON *root = cJSON_ParseWithLength(json, len);
    const cJSON *months = cJSON_GetObjectItemCaseSensitive(root, "months");
    if (!cJSON_IsArray(months)) {
        cJSON_Delete(root);
        return -1;
    }
    struct community_figs f;
    memset(&f, 0, sizeof(f));
    for (int d = 0; d < DOMAIN_COUNT; d++)
        f.count[d] = -1;
    const cJSON *last = cJSON_GetArrayItem(months, cJSON_GetArraySize(months) - 1);
    const cJSON *month = cJSON_GetObjectItemCaseSensitive(last, "month");
    const cJSON *by = cJSON_GetObjectItemCaseSensitive(last, "by_domain");
    bool shown = false;
    for (int d = 0; cJSON_IsObject(by) && d < DOMAIN_COUNT; d++) {
        const cJSON *n = cJSON_GetObjectItemCaseSensitive(by, domain_name(d));
        if (cJSON_IsNumber(n) && n->valuedouble >= 1 && n->valuedouble < 1e9) {
            f.count[d] = (int)n->valuedouble;
            shown = true;
        }
    }
    if (shown && cJSON_IsString(month) && strlen(month->valuestring) < sizeof(f.month))
        snprintf(f.month, sizeof(f.month), "%s", month->valuestring);
    *out = f;
    cJSON_Delete(root);
    return 0;
}

struct community_cache *community_cache_new(void)
{
    struct community_cache *c = calloc(1, sizeof(*c));
    if (c)
        pthread_mutex_init(&c->mu, NULL);
    return c;
}

void community_cache_free(struct community_cache *c)
{
    if (!c)
        return;
    pthread_mutex_destroy(&c->mu);
    free(c);
}

/* Keeps f; 1 when it differs from what was kept. */
static int keep(struct community_cache *c, const struct community_figs *f)
{
    pthread_mutex_lock(&c->mu);
    int changed = memcmp(&c->figs, f, sizeof(*f)) != 0;
    if (changed) {
        c->figs = *f;
        c->fresh = true;
    }
    pthread_mutex_unlock(&c->mu);
    return changed;
}

int community_fetch(struct sync *s, struct community_cache *c)
{
    struct sync_resp b;
    struct community_figs f;
    if (!c)
        return 0;
    long st = sync_request(s, "/api/v1/community", NULL, NULL, &b);
    int rc = -1;
    if (st == -1) { /* offline: nothing shown until hubd answers again */
        memset(&f, 0, sizeof(f));
        rc = keep(c, &f);
    } else if (st == 200 && b.body.p && community_parse(b.body.p, b.body.len, &f) == 0) {
        rc = keep(c, &f);
    } else {
        fprintf(stderr, "kiosk: sync: GET /community: HTTP %ld%s; the last figures stay\n", st,
                st == 200 ? ", not the hub's figures" : "");
    }
    buf_free(&b.body);
    return rc;
}

bool community_take(struct community_cache *c, struct community_figs *out)
{
    if (!c)
        return false;
    pthread_mutex_lock(&c->mu);
    bool fresh = c->fresh;
    if (fresh)
        *out = c->figs;
    c->fresh = false;
    pthread_mutex_unlock(&c->mu);
    return fresh;
}
