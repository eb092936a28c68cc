/* jsonv.c — typed, length-checked, UTF-8-checked field reads for the JSON loaders. */
#include "jsonv.h"

#include <stdio.h>
#include <string.h>

#include "text.h"

int jsonv_string(const cJSON *obj, const char *name, bool required, char *dst, size_t cap,
                 const char *where, char *err, size_t errcap)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
    dst[0] = '\0';
    if (!v) {
        if (!required)
            return 0;
        snprintf(err, errcap, "%s.%s: missing", where, name);
        return -1;
    }
    if (!cJSON_IsString(v) || !v->valuestring) {
        snprintf(err, errcap, "%s.%s: must be a string", where, name);
        return -1;
    }
    size_t len = strlen(v->valuestring);
    if (len >= cap) {
        snprintf(err, errcap, "%s.%s: longer than %zu bytes", where, name, cap - 1);
        return -1;
    }
    if (!text_utf8_valid(v->valuestring, len)) {
        snprintf(err, errcap, "%s.%s: not valid UTF-8", where, name);
        return -1;
    }
    if (required && len == 0) {
        snprintf(err, errcap, "%s.%s: must not be empty", where, name);
        return -1;
    }
    memcpy(dst, v->valuestring, len + 1);
    return 0;
}

int jsonv_bool(const cJSON *obj, const char *name, bool required, bool def, bool *out,
               const char *where, char *err, size_t errcap)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
    *out = def;
    if (!v) {
        if (!required)
            return 0;
        snprintf(err, errcap, "%s.%s: missing", where, name);
        return -1;
    }
    if (!cJSON_IsBool(v)) {
        snprintf(err, errcap, "%s.%s: must be true or false", where, name);
        return -1;
    }
    *out = cJSON_IsTrue(v);
    return 0;
}

const cJSON *jsonv_array(const cJSON *obj, const char *name, bool required, bool *missing,
                         const char *where, char *err, size_t errcap)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
    if (missing)
        *missing = false;
    if (!v) {
        if (required)
            snprintf(err, errcap, "%s.%s: missing", where, name);
        else if (missing)
            *missing = true;
        return NULL;
    }
    if (!cJSON_IsArray(v)) {
        snprintf(err, errcap, "%s.%s: must be an array", where, name);
        return NULL;
    }
    return v;
}
