/* dircache.c — the cached GET /directory responses and their ETag. */
#include "dircache.h"

#include "proto/sha256.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct dircache {
    pthread_rwlock_t lock;
    struct MHD_Response *full;         /* 200 with the body */
    struct MHD_Response *not_modified; /* 304 */
    char etag[40];                     /* "\"<32 hex>\"" */
    int64_t version;                   /* the store's version the body was built at; -1 */
};

struct dircache *dircache_new(void)
{
    struct dircache *c = calloc(1, sizeof(*c));
    if (c) {
        pthread_rwlock_init(&c->lock, NULL);
        c->version = -1;
    }
    return c;
}

void dircache_free(struct dircache *c)
{
    if (!c)
        return;
    if (c->full)
        MHD_destroy_response(c->full);
    if (c->not_modified)
        MHD_destroy_response(c->not_modified);
    pthread_rwlock_destroy(&c->lock);
    free(c);
}

static int add_headers(struct MHD_Response *resp, const char *etag, bool body)
{
    if (MHD_add_response_header(resp, MHD_HTTP_HEADER_ETAG, etag) != MHD_YES ||
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache") != MHD_YES)
        return -1;
    if (body && MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
                                        "application/json; charset=utf-8") != MHD_YES)
        return -1;
    return 0;
}

/* Builds the responses at version (-1: unknown) and swaps them in. */
static int rebuild_at(struct dircache *c, struct store *store, int64_t version)
{
    struct hdir d;
    uint8_t digest[SHA256_LEN];
    char hex[2 * SHA256_LEN + 1], etag[40];
    if (store->ops->hub_load(store, &d) != 0)
        return -1;
    char *json = hdir_to_json(&d);
    hdir_release(&d);
    if (!json)
        return -1;
    size_t len = strlen(json);
    sha256(json, len, digest);
    hex_encode(digest, 16, hex);
    snprintf(etag, sizeof(etag), "\"%s\"", hex);
    struct MHD_Response *full = MHD_create_response_from_buffer(len, json, MHD_RESPMEM_MUST_FREE);
    struct MHD_Response *nm = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
    if (!full)
        free(json);
    if (!full || !nm || add_headers(full, etag, true) < 0 || add_headers(nm, etag, false) < 0) {
        if (full)
            MHD_destroy_response(full);
        if (nm)
            MHD_destroy_response(nm);
        return -1;
    }
    pthread_rwlock_wrlock(&c->lock);
    struct MHD_Response *old_full = c->full, *old_nm = c->not_modified;
    c->full = full;
    c->not_modified = nm;
    memcpy(c->etag, etag, sizeof(etag));
    c->version = version;
    pthread_rwlock_unlock(&c->lock);
    /* Responses are reference counted: ones still being sent stay alive until done. */
    if (old_full)
        MHD_destroy_response(old_full);
    if (old_nm)
        MHD_destroy_response(old_nm);
    return 0;
}

int dircache_rebuild(struct dircache *c, struct store *store)
{
    int64_t v;
    return rebuild_at(c, store, store->ops->oc->version(store, &v) == 0 ? v : -1);
}

int dircache_refresh(struct dircache *c, struct store *store)
{
    int64_t v;
    if (store->ops->oc->version(store, &v) != 0)
        return -1;
    pthread_rwlock_rdlock(&c->lock);
    bool current = c->full && c->version == v;
    pthread_rwlock_unlock(&c->lock);
    return current ? 0 : rebuild_at(c, store, v);
}

bool etag_matches(const char *inm, const char *etag)
{
    size_t elen = strlen(etag);
    const char *p = inm;
    if (!p)
        return false;
    while (*p) {
        while (*p == ' ' || *p == '\t' || *p == ',')
            p++;
        if (*p == '*')
            return true;
        if (p[0] == 'W' && p[1] == '/')
            p += 2;
        const char *start = p;
        if (*p != '"')
            return false;
        const char *end = strchr(p + 1, '"');
        if (!end)
            return false;
        if ((size_t)(end + 1 - start) == elen && memcmp(start, etag, elen) == 0)
            return true;
        p = end + 1;
    }
    return false;
}

enum MHD_Result dircache_reply(struct dircache *c, struct MHD_Connection *conn,
                               const char *if_none_match)
{
    enum MHD_Result ret = MHD_NO;
    pthread_rwlock_rdlock(&c->lock);
    if (c->full) {
        if (etag_matches(if_none_match, c->etag))
            ret = MHD_queue_response(conn, MHD_HTTP_NOT_MODIFIED, c->not_modified);
        else
            ret = MHD_queue_response(conn, MHD_HTTP_OK, c->full);
    }
    pthread_rwlock_unlock(&c->lock);
    return ret;
}
