/* directory.c — parsing the hub directory JSON (DESIGN.md) into plain structs. */
#include "directory.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "jsonv.h"
#include "needs.h"
#include "text.h"
#include "util.h"

static const char *const status_names[WS_COUNT] = {"available", "busy", "away", "off"};

const char *status_name(enum worker_status s)
{
    return (int)s >= 0 && s < WS_COUNT ? status_names[s] : "off";
}

int status_parse(const char *s)
{
    for (int i = 0; s && i < WS_COUNT; i++)
        if (strcmp(s, status_names[i]) == 0)
            return i;
    return -1;
}

/* Reads an array of short strings into a fixed table; returns the count or -1. */
static int string_list(const cJSON *obj, const char *name, char *table, size_t width, int max,
                       const char *where, char *err, size_t errcap)
{
    const cJSON *arr = jsonv_array(obj, name, true, NULL, where, err, errcap);
    if (!arr)
        return -1;
    int n = 0;
    const cJSON *v;
    cJSON_ArrayForEach(v, arr)
    {
        if (!cJSON_IsString(v) || !v->valuestring || !v->valuestring[0]) {
            snprintf(err, errcap, "%s.%s: every item must be a non-empty string", where, name);
            return -1;
        }
        size_t len = strlen(v->valuestring);
        if (len >= width || !text_utf8_valid(v->valuestring, len)) {
            snprintf(err, errcap, "%s.%s: item too long or not UTF-8", where, name);
            return -1;
        }
        if (n == max) {
            snprintf(err, errcap, "%s.%s: more than %d items", where, name, max);
            return -1;
        }
        memcpy(table + (size_t)n * width, v->valuestring, len + 1);
        n++;
    }
    return n;
}

static int parse_worker(const cJSON *o, struct worker *w, int index, char *err, size_t errcap)
{
    char where[96], status[16], doms[DOMAIN_COUNT * 2][16];
    snprintf(where, sizeof(where), "workers[%d]", index);
    if (!cJSON_IsObject(o)) {
        snprintf(err, errcap, "%s: must be an object", where);
        return -1;
    }
    if (jsonv_string(o, "id", true, w->id, sizeof(w->id), where, err, errcap) < 0 ||
        jsonv_string(o, "name", true, w->name, sizeof(w->name), where, err, errcap) < 0 ||
        jsonv_string(o, "role", false, w->role, sizeof(w->role), where, err, errcap) < 0 ||
        jsonv_string(o, "desk", false, w->desk, sizeof(w->desk), where, err, errcap) < 0 ||
        jsonv_string(o, "desk_cy", false, w->desk_cy, sizeof(w->desk_cy), where, err, errcap) < 0 ||
        jsonv_bool(o, "duty", false, false, &w->duty, where, err, errcap) < 0 ||
        jsonv_string(o, "status", true, status, sizeof(status), where, err, errcap) < 0)
        return -1;
    int st = status_parse(status);
    if (st < 0) {
        snprintf(err, errcap, "%s.status: must be available, busy, away or off", where);
        return -1;
    }
    w->status = (enum worker_status)st;
    const cJSON *wt = cJSON_GetObjectItemCaseSensitive(o, "waiting");
    w->waiting = cJSON_IsNumber(wt) && wt->valuedouble >= 0 && wt->valuedouble < 1e6
                     ? (int)wt->valuedouble
                     : -1; /* optional: hubd serves it, a seed has none */
    int nd = string_list(o, "domains", &doms[0][0], sizeof(doms[0]), DOMAIN_COUNT * 2, where, err,
                         errcap);
    if (nd < 0)
        return -1;
    for (int i = 0; i < nd; i++) {
        int d = domain_parse(doms[i]);
        if (d < 0) {
            snprintf(err, errcap, "%s.domains: unknown domain", where);
            return -1;
        }
        w->domain_mask |= 1u << d;
    }
    w->n_langs = string_list(o, "languages", &w->langs[0][0], sizeof(w->langs[0]), DIR_LANG_MAX,
                             where, err, errcap);
    if (w->n_langs < 0)
        return -1;
    bool missing;
    if (!jsonv_array(o, "needs", false, &missing, where, err, errcap) && !missing)
        return -1;
    w->n_needs = missing ? 0
                         : string_list(o, "needs", &w->needs[0][0], sizeof(w->needs[0]),
                                       DIR_NEEDS_MAX, where, err, errcap);
    return w->n_needs < 0 ? -1 : 0;
}

struct hub_dir *dir_parse(const char *json, size_t len, char *err, size_t errcap)
{
    struct hub_dir *d = NULL;
    cJSON *root = cJSON_ParseWithLength(json, len);
    if (!root || !cJSON_IsObject(root)) {
        snprintf(err, errcap, "directory: not a JSON object");
        goto out_free_root;
    }
    const cJSON *hub = cJSON_GetObjectItemCaseSensitive(root, "hub");
    if (!cJSON_IsObject(hub)) {
        snprintf(err, errcap, "directory.hub: missing or not an object");
        goto out_free_root;
    }
    const cJSON *arr = jsonv_array(root, "workers", true, NULL, "directory", err, errcap);
    if (!arr)
        goto out_free_root;
    int n = cJSON_GetArraySize(arr);
    if (n > DIR_WORKERS_MAX) {
        snprintf(err, errcap, "directory.workers: more than %d workers", DIR_WORKERS_MAX);
        goto out_free_root;
    }
    d = calloc(1, sizeof(*d));
    if (!d || (n > 0 && !(d->workers = calloc((size_t)n, sizeof(*d->workers))))) {
        snprintf(err, errcap, "directory: out of memory");
        goto out_free_dir;
    }
    if (jsonv_string(hub, "id", true, d->hub_id, sizeof(d->hub_id), "hub", err, errcap) < 0 ||
        jsonv_string(hub, "name", true, d->hub_name, sizeof(d->hub_name), "hub", err, errcap) < 0 ||
        jsonv_string(hub, "timezone", false, d->timezone, sizeof(d->timezone), "hub", err, errcap) <
            0)
        goto out_free_dir;
    const cJSON *o;
    cJSON_ArrayForEach(o, arr)
    {
        if (parse_worker(o, &d->workers[d->n_workers], d->n_workers, err, errcap) < 0)
            goto out_free_dir;
        if (dir_find(d, d->workers[d->n_workers].id) >= 0) {
            snprintf(err, errcap, "workers[%d].id: used twice", d->n_workers);
            goto out_free_dir;
        }
        d->n_workers++;
    }
    cJSON_Delete(root);
    return d;

out_free_dir:
    dir_free(d);
    d = NULL;
out_free_root:
    cJSON_Delete(root);
    return d;
}

struct hub_dir *dir_load_file(const char *path, char *err, size_t errcap)
{
    size_t len;
    char *json = util_read_file(path, 4u << 20, &len, err, errcap);
    if (!json)
        return NULL;
    struct hub_dir *d = dir_parse(json, len, err, errcap);
    free(json);
    return d;
}

void dir_free(struct hub_dir *d)
{
    if (!d)
        return;
    free(d->workers);
    free(d);
}

int dir_find(const struct hub_dir *d, const char *id)
{
    for (int i = 0; d && id && i < d->n_workers; i++)
        if (strcmp(d->workers[i].id, id) == 0)
            return i;
    return -1;
}

bool worker_speaks(const struct worker *w, const char *lang)
{
    for (int i = 0; lang && i < w->n_langs; i++)
        if (strcmp(w->langs[i], lang) == 0)
            return true;
    return false;
}

bool worker_takes_need(const struct worker *w, const char *need_id)
{
    for (int i = 0; need_id && i < w->n_needs; i++)
        if (strcmp(w->needs[i], need_id) == 0)
            return true;
    return false;
}
