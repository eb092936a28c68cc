/* jsondoc.c — a fixed JSON document's two answers (200 with the body, 304) and its ETag. */
#include "jsondoc.h"

#include "dircache.h"
#include "proto/sha256.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct jsondoc {
    struct MHD_Response *full, *not_modified;
    char etag[40]; /* "\"<32 hex>\"" */
};

static int add_headers(struct MHD_Response *resp, const char *etag, bool body)
{
    if (MHD_add_response_header(resp, MHD_HTTP_HEADER_ETAG, etag) != MHD_YES ||
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache") != MHD_YES ||
        MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff") != MHD_YES)
        return -1;
    if (body && MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
                                        "application/json; charset=utf-8") != MHD_YES)
        return -1;
    return 0;
}

struct jsondoc *jsondoc_new(char *json)
{
    uint8_t digest[SHA256_LEN];
    char hex[2 * SHA256_LEN + 1];
    struct jsondoc *d = json ? calloc(1, sizeof(*d)) : NULL;
    if (!d) {
        free(json);
        return NULL;
    }
    size_t len = strlen(json);
    sha256(json, len, digest);
    hex_encode(digest, 16, hex);
    snprintf(d->etag, sizeof(d->etag), "\"%s\"", hex);
    d->full = MHD_create_response_from_buffer(len, json, MHD_RESPMEM_MUST_FREE);
    if (!d->full)
        free(json);
    d->not_modified = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
    if (!d->full || !d->not_modified || add_headers(d->full, d->etag, true) < 0 ||
        add_headers(d->not_modified, d->etag, false) < 0) {
        jsondoc_free(d);
        return NULL;
    }
    return d;
}

void jsondoc_free(struct jsondoc *d)
{
    if (!d)
        return;
    if (d->full)
        MHD_destroy_response(d->full);
    if (d->not_modified)
        MHD_destroy_response(d->not_modified);
    free(d);
}

enum MHD_Result jsondoc_reply(const struct jsondoc *d, struct MHD_Connection *conn)
{
    if (!d)
        return MHD_NO;
    const char *inm =
        MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_NONE_MATCH);
    if (etag_matches(inm, d->etag))
        return MHD_queue_response(conn, MHD_HTTP_NOT_MODIFIED, d->not_modified);
    return MHD_queue_response(conn, MHD_HTTP_OK, d->full);
}
