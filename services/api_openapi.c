/* api_openapi.c — GET /openapi.json: the REST contract as OpenAPI 3.1 (services/openapi.json,
 * held against a live hubd by tests/console/openapi.test.mjs), read once at start and served
 * with a strong ETag. */
#include "api.h"

#include "proto/buf.h"
#include "proto/paths.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OPENAPI_MAX (1024 * 1024) /* bytes of services/openapi.json */

struct jsondoc *openapi_doc_load(const char *root, char *err, size_t cap)
{
    char path[PATH_MAX], why[160];
    size_t len;
    if (!paths_join(path, sizeof(path), root, "services/openapi.json")) {
        snprintf(err, cap, "services/openapi.json: path too long");
        return NULL;
    }
    char *text = buf_read_file(path, OPENAPI_MAX, &len, why, sizeof(why));
    if (!text) {
        snprintf(err, cap, "services/openapi.json: %s", why);
        return NULL;
    }
    cJSON *doc = cJSON_ParseWithLength(text, len);
    free(text);
    char *json = NULL;
    if (!cJSON_IsString(cJSON_GetObjectItemCaseSensitive(doc, "openapi")))
        snprintf(err, cap, "services/openapi.json: not an OpenAPI document");
    else if (!(json = cJSON_PrintUnformatted(doc)))
        snprintf(err, cap, "out of memory");
    cJSON_Delete(doc);
    return json ? jsondoc_new(json) : NULL;
}

enum MHD_Result api_openapi(struct req *r)
{
    enum MHD_Result ret = jsondoc_reply(r->h->openapi, r->conn);
    return ret == MHD_YES
               ? ret
               : reply_error(r, MHD_HTTP_SERVICE_UNAVAILABLE, "no OpenAPI document loaded");
}
