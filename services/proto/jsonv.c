/* jsonv.c — validating field readers over cJSON (types, lengths, UTF-8, enums). */
#include "proto/jsonv.h"

#include "proto/utf8.h"

#include <stdio.h>
#include <string.h>

int jv_fail(char *err, size_t cap, const char *key, const char *why)
{
    snprintf(err, cap, "%s: %s", key, why);
    return -1;
}

int jv_nest(char *err, size_t cap, const char *prefix)
{
    char inner[256];
    snprintf(inner, sizeof(inner), "%s", err);
    snprintf(err, cap, "%s.%s", prefix, inner);
    return -1;
}

int jv_string(const cJSON *obj, const char *key, int flags, size_t max, const char **out, char *err,
              size_t cap)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    *out = NULL;
    if (!v || (cJSON_IsNull(v) && (flags & JV_NULLABLE)))
        return (flags & JV_REQUIRED) ? jv_fail(err, cap, key, "required") : 0;
    if (!cJSON_IsString(v) || !v->valuestring)
        return jv_fail(err, cap, key, "must be a string");
    size_t len = strlen(v->valuestring);
    if (len > max) {
        char why[64];
        snprintf(why, sizeof(why), "too long (max %zu bytes)", max);
        return jv_fail(err, cap, key, why);
    }
    if (len == 0 && (flags & JV_NONEMPTY))
        return jv_fail(err, cap, key, "must not be empty");
    if (!text_clean(v->valuestring, flags & JV_MULTILINE))
        return jv_fail(err, cap, key, "invalid characters");
    *out = v->valuestring;
    return 0;
}

int jv_copy(const cJSON *obj, const char *key, int flags, char *dst, size_t dstcap, char *err,
            size_t cap)
{
    const char *s;
    dst[0] = '\0';
    if (jv_string(obj, key, flags, dstcap - 1, &s, err, cap) < 0)
        return -1;
    if (s)
        memcpy(dst, s, strlen(s) + 1);
    return 0;
}

int jv_bool(const cJSON *obj, const char *key, bool required, bool def, bool *out, char *err,
            size_t cap)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    *out = def;
    if (!v)
        return required ? jv_fail(err, cap, key, "required") : 0;
    if (!cJSON_IsBool(v))
        return jv_fail(err, cap, key, "must be true or false");
    *out = cJSON_IsTrue(v);
    return 0;
}

const cJSON *jv_array(const cJSON *obj, const char *key, bool required, char *err, size_t cap)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!v) {
        if (required)
            jv_fail(err, cap, key, "required");
        return NULL;
    }
    if (!cJSON_IsArray(v)) {
        jv_fail(err, cap, key, "must be an array");
        return NULL;
    }
    return v;
}

int jv_enum_array(const cJSON *obj, const char *key, bool required, jv_lookup_fn lookup,
                  const char **out, size_t max, size_t *n, char *err, size_t cap)
{
    const cJSON *it;
    *n = 0;
    err[0] = '\0';
    const cJSON *v = jv_array(obj, key, required, err, cap);
    if (!v)
        return err[0] ? -1 : 0;
    cJSON_ArrayForEach(it, v)
    {
        if (*n >= max)
            return jv_fail(err, cap, key, "too many items");
        const char *c = cJSON_IsString(it) && it->valuestring ? lookup(it->valuestring) : NULL;
        if (!c) {
            char k[80];
            snprintf(k, sizeof(k), "%s[%zu]", key, *n);
            return jv_fail(err, cap, k, cJSON_IsString(it) ? "unknown value" : "must be a string");
        }
        for (size_t i = 0; i < *n; i++)
            if (out[i] == c)
                return jv_fail(err, cap, key, "duplicate value");
        out[(*n)++] = c;
    }
    return 0;
}

int jv_join(const char *const *items, size_t n, char *out, size_t cap)
{
    size_t used = 0;
    if (cap == 0)
        return -1;
    out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        int w = snprintf(out + used, cap - used, "%s%s", i ? "," : "", items[i]);
        if (w < 0 || (size_t)w >= cap - used)
            return -1;
        used += (size_t)w;
    }
    return 0;
}
