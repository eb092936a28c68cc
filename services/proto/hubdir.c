/* hubdir.c — the hub directory codec: parsing (seeds, GET /directory on the kiosk) and
 * serialisation (GET /directory). */
#include "proto/hubdir.h"

#include "proto/jsonv.h"
#include "proto/taxonomy.h"
#include "proto/valid.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int dup_field(char **dst, const char *src, char *err, size_t cap, const char *key)
{
    *dst = strdup(src ? src : "");
    return *dst ? 0 : jv_fail(err, cap, key, "out of memory");
}

static const char *lang_lookup(const char *s)
{
    return lang_valid(s) ? s : NULL;
}

/* A worker's need: known to the installed taxonomy, or any identifier when none is. */
static const char *worker_need_lookup(const char *s)
{
    if (needs_installed())
        return need_lookup(s);
    return ident_valid(s) ? s : NULL;
}

/* waiting: absent is unknown (-1); else a whole number of residents. */
static int parse_waiting(const cJSON *w, int *out, char *err, size_t cap)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(w, "waiting");
    *out = -1;
    if (!v || cJSON_IsNull(v))
        return 0;
    if (!cJSON_IsNumber(v) || v->valuedouble < 0 || v->valuedouble > 1e6 ||
        v->valuedouble != (double)(int)v->valuedouble)
        return jv_fail(err, cap, "waiting", "must be a whole number from 0");
    *out = (int)v->valuedouble;
    return 0;
}

/* Reads an array field into a comma-joined copy. Languages are not canonical statics, so
 * for them the pointers are into the JSON, which outlives this call. */
static int list_field(const cJSON *w, const char *key, bool required, jv_lookup_fn fn, char **dst,
                      char *err, size_t cap)
{
    const char *items[64];
    size_t n;
    char joined[HDIR_LIST_MAX];
    if (jv_enum_array(w, key, required, fn, items, 64, &n, err, cap) < 0)
        return -1;
    if (jv_join(items, n, joined, sizeof(joined)) < 0)
        return jv_fail(err, cap, key, "too long");
    return dup_field(dst, joined, err, cap, key);
}

static int parse_worker(const cJSON *w, struct hdir_worker *out, char *err, size_t cap)
{
    const char *id, *name, *role, *desk, *desk_cy, *status;
    if (!cJSON_IsObject(w))
        return jv_fail(err, cap, "worker", "must be an object");
    if (jv_string(w, "id", JV_REQUIRED, IDENT_MAX, &id, err, cap) < 0)
        return -1;
    if (!ident_valid(id))
        return jv_fail(err, cap, "id", "invalid worker id");
    if (jv_string(w, "name", JV_REQUIRED | JV_NONEMPTY, HDIR_NAME_MAX, &name, err, cap) < 0 ||
        jv_string(w, "role", JV_NULLABLE, HDIR_NAME_MAX, &role, err, cap) < 0 ||
        jv_string(w, "desk", JV_NULLABLE, HDIR_DESK_MAX, &desk, err, cap) < 0 ||
        jv_string(w, "desk_cy", JV_NULLABLE, HDIR_DESK_MAX, &desk_cy, err, cap) < 0 ||
        jv_string(w, "status", JV_NULLABLE, 16, &status, err, cap) < 0 ||
        jv_bool(w, "duty", false, false, &out->duty, err, cap) < 0 ||
        parse_waiting(w, &out->waiting, err, cap) < 0)
        return -1;
    out->status = worker_status_lookup(status ? status : "available");
    if (!out->status)
        return jv_fail(err, cap, "status", "must be available, busy, away or off");
    if (dup_field(&out->id, id, err, cap, "id") < 0 ||
        dup_field(&out->name, name, err, cap, "name") < 0 ||
        dup_field(&out->role, role, err, cap, "role") < 0 ||
        dup_field(&out->desk, desk, err, cap, "desk") < 0 ||
        dup_field(&out->desk_cy, desk_cy, err, cap, "desk_cy") < 0 ||
        list_field(w, "domains", true, domain_lookup, &out->domains, err, cap) < 0 ||
        list_field(w, "needs", false, worker_need_lookup, &out->needs, err, cap) < 0 ||
        list_field(w, "languages", true, lang_lookup, &out->languages, err, cap) < 0)
        return -1;
    return 0;
}

static int parse_hub(const cJSON *root, struct hdir *d, char *err, size_t cap)
{
    const cJSON *hub = cJSON_GetObjectItemCaseSensitive(root, "hub");
    const char *id, *name, *tz;
    if (!cJSON_IsObject(hub))
        return jv_fail(err, cap, "directory.hub", hub ? "must be an object" : "required");
    if (jv_string(hub, "id", JV_REQUIRED, IDENT_MAX, &id, err, cap) < 0)
        return jv_fail(err, cap, "hub.id", "required string");
    if (!ident_valid(id))
        return jv_fail(err, cap, "hub.id", "invalid id");
    if (jv_string(hub, "name", JV_REQUIRED | JV_NONEMPTY, HDIR_NAME_MAX, &name, err, cap) < 0)
        return jv_fail(err, cap, "hub.name", "required string");
    if (jv_string(hub, "timezone", JV_NULLABLE, IDENT_MAX, &tz, err, cap) < 0)
        return jv_fail(err, cap, "hub.timezone", "must be a string");
    if (tz && (strstr(tz, "..") || (!ident_valid(tz) && !strchr(tz, '/'))))
        return jv_fail(err, cap, "hub.timezone", "invalid time zone");
    d->has_hub = true;
    if (dup_field(&d->hub_id, id, err, cap, "hub.id") < 0 ||
        dup_field(&d->hub_name, name, err, cap, "hub.name") < 0 ||
        dup_field(&d->timezone, tz ? tz : "UTC", err, cap, "hub.timezone") < 0)
        return -1;
    return 0;
}

static int parse_workers(const cJSON *root, struct hdir *d, char *err, size_t cap)
{
    const cJSON *ws = cJSON_GetObjectItemCaseSensitive(root, "workers");
    const cJSON *w;
    if (!cJSON_IsArray(ws))
        return jv_fail(err, cap, "workers", ws ? "must be an array" : "required");
    int n = cJSON_GetArraySize(ws);
    if (n > HDIR_WORKERS_MAX)
        return jv_fail(err, cap, "workers", "too many workers");
    d->workers = calloc(n > 0 ? (size_t)n : 1, sizeof(*d->workers));
    if (!d->workers)
        return jv_fail(err, cap, "workers", "out of memory");
    cJSON_ArrayForEach(w, ws)
    {
        char inner[200];
        struct hdir_worker *out = &d->workers[d->n_workers++];
        out->waiting = -1; /* a seed's count means nothing: hubd counts its own */
        if (parse_worker(w, out, inner, sizeof(inner)) < 0) {
            snprintf(err, cap, "workers[%zu].%s", d->n_workers - 1, inner);
            return -1;
        }
        if (hdir_find(d, out->id) != (int)d->n_workers - 1) {
            snprintf(err, cap, "workers[%zu].id: duplicate id", d->n_workers - 1);
            return -1;
        }
    }
    return 0;
}

int hdir_parse(const char *json, size_t len, struct hdir *d, char *err, size_t cap)
{
    memset(d, 0, sizeof(*d));
    if (!utf8_valid(json, len))
        return jv_fail(err, cap, "directory", "invalid UTF-8");
    cJSON *root = cJSON_ParseWithLength(json, len);
    if (!root)
        return jv_fail(err, cap, "directory", "malformed JSON");
    int rc = -1;
    if (!cJSON_IsObject(root))
        jv_fail(err, cap, "directory", "not a JSON object");
    else if (parse_hub(root, d, err, cap) == 0 && parse_workers(root, d, err, cap) == 0)
        rc = 0;
    cJSON_Delete(root);
    if (rc < 0)
        hdir_release(d);
    return rc;
}

void hdir_release(struct hdir *d)
{
    for (size_t i = 0; i < d->n_workers; i++) {
        struct hdir_worker *w = &d->workers[i];
        free(w->id);
        free(w->name);
        free(w->role);
        free(w->desk);
        free(w->desk_cy);
        free(w->domains);
        free(w->needs);
        free(w->languages);
    }
    free(d->workers);
    free(d->hub_id);
    free(d->hub_name);
    free(d->timezone);
    memset(d, 0, sizeof(*d));
}

int hdir_find(const struct hdir *d, const char *id)
{
    for (size_t i = 0; i < d->n_workers; i++)
        if (d->workers[i].id && strcmp(d->workers[i].id, id) == 0)
            return (int)i;
    return -1;
}

/* Adds the comma-joined list as a JSON array of strings. */
static void add_list(cJSON *o, const char *key, const char *joined)
{
    cJSON *a = cJSON_AddArrayToObject(o, key);
    const char *p = joined;
    while (a && p && *p) {
        const char *e = strchr(p, ',');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        char item[HDIR_LIST_MAX];
        if (n >= sizeof(item))
            break;
        memcpy(item, p, n);
        item[n] = '\0';
        cJSON_AddItemToArray(a, cJSON_CreateString(item));
        p = e ? e + 1 : NULL;
    }
}

char *hdir_to_json(const struct hdir *d)
{
    cJSON *root = cJSON_CreateObject();
    if (!root)
        return NULL;
    if (d->has_hub) {
        cJSON *hub = cJSON_AddObjectToObject(root, "hub");
        cJSON_AddStringToObject(hub, "id", d->hub_id);
        cJSON_AddStringToObject(hub, "name", d->hub_name);
        cJSON_AddStringToObject(hub, "timezone", d->timezone);
    } else {
        cJSON_AddNullToObject(root, "hub");
    }
    cJSON *ws = cJSON_AddArrayToObject(root, "workers");
    for (size_t i = 0; ws && i < d->n_workers; i++) {
        const struct hdir_worker *w = &d->workers[i];
        cJSON *o = cJSON_CreateObject();
        if (!o || !cJSON_AddItemToArray(ws, o))
            break;
        cJSON_AddStringToObject(o, "id", w->id);
        cJSON_AddStringToObject(o, "name", w->name);
        cJSON_AddStringToObject(o, "role", w->role);
        add_list(o, "domains", w->domains);
        add_list(o, "needs", w->needs);
        add_list(o, "languages", w->languages);
        cJSON_AddStringToObject(o, "desk", w->desk);
        if (w->desk_cy && w->desk_cy[0])
            cJSON_AddStringToObject(o, "desk_cy", w->desk_cy);
        cJSON_AddBoolToObject(o, "duty", w->duty);
        cJSON_AddStringToObject(o, "status", w->status);
        if (w->waiting >= 0)
            cJSON_AddNumberToObject(o, "waiting", w->waiting);
    }
    char *out = cJSON_PrintUnformatted(root);
    cJSON_Delete(root);
    return out;
}
