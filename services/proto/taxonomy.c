/* taxonomy.c — loading and looking up the need taxonomy (assets/needs.json). */
#include "proto/taxonomy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "proto/buf.h"
#include "proto/jsonv.h"

static const char *const domain_names[DOMAIN_COUNT] = {"housing", "health", "benefits"};

const char *domain_name(int d)
{
    return d >= 0 && d < DOMAIN_COUNT ? domain_names[d] : NULL;
}

int domain_parse(const char *name)
{
    for (int d = 0; d < DOMAIN_COUNT; d++)
        if (name && strcmp(name, domain_names[d]) == 0)
            return d;
    return -1;
}

const char *domain_lookup(const char *s)
{
    int d = domain_parse(s);
    return d >= 0 ? domain_names[d] : NULL;
}

static int parse_need(const cJSON *item, struct need_def *nd, char *err, size_t errcap)
{
    char where[80];
    if (!cJSON_IsObject(item))
        return jv_fail(err, errcap, "needs[]", "each need must be an object");
    if (jv_copy(item, "id", JV_REQUIRED | JV_NONEMPTY, nd->id, sizeof(nd->id), err, errcap) < 0)
        return jv_nest(err, errcap, "need");
    snprintf(where, sizeof(where), "need %s", nd->id);
    err[0] = '\0';
    const cJSON *doms = jv_array(item, "domains", true, err, errcap);
    if (!doms)
        return jv_nest(err, errcap, where);
    const cJSON *d;
    cJSON_ArrayForEach(d, doms)
    {
        int dom = cJSON_IsString(d) ? domain_parse(d->valuestring) : -1;
        if (dom < 0) {
            jv_fail(err, errcap, "domains", "unknown domain");
            return jv_nest(err, errcap, where);
        }
        if (nd->domain_mask & (1u << dom))
            continue;
        nd->domains[nd->n_domains++] = (unsigned char)dom;
        nd->domain_mask |= 1u << dom;
    }
    if (nd->n_domains == 0) {
        jv_fail(err, errcap, "domains", "must name at least one domain");
        return jv_nest(err, errcap, where);
    }
    if (jv_bool(item, "urgent", true, false, &nd->urgent, err, errcap) < 0 ||
        jv_bool(item, "general", false, false, &nd->general, err, errcap) < 0 ||
        jv_copy(item, "label", JV_REQUIRED | JV_NONEMPTY, nd->label, sizeof(nd->label), err,
                errcap) < 0 ||
        jv_copy(item, "esd", 0, nd->esd, sizeof(nd->esd), err, errcap) < 0 ||
        jv_copy(item, "calm", 0, nd->calm_id, sizeof(nd->calm_id), err, errcap) < 0)
        return jv_nest(err, errcap, where);
    nd->calm = -1;
    return 0;
}

struct taxonomy *needs_parse(const char *json, size_t len, char *err, size_t errcap)
{
    struct taxonomy *t = NULL;
    cJSON *root = cJSON_ParseWithLength(json, len);
    if (!root || !cJSON_IsObject(root)) {
        snprintf(err, errcap, "needs: not a JSON object");
        goto out_free_root;
    }
    err[0] = '\0';
    const cJSON *arr = jv_array(root, "needs", true, err, errcap);
    if (!arr) {
        jv_nest(err, errcap, "needs file");
        goto out_free_root;
    }
    t = calloc(1, sizeof(*t));
    if (!t) {
        snprintf(err, errcap, "needs: out of memory");
        goto out_free_root;
    }
    const cJSON *item;
    cJSON_ArrayForEach(item, arr)
    {
        if (t->n == NEED_MAX) {
            snprintf(err, errcap, "needs: more than %d needs", NEED_MAX);
            goto out_free_t;
        }
        struct need_def *nd = &t->needs[t->n];
        if (parse_need(item, nd, err, errcap) < 0)
            goto out_free_t;
        if (needs_find(t, nd->id) >= 0) {
            snprintf(err, errcap, "need %s: id used twice", nd->id);
            goto out_free_t;
        }
        t->n++;
    }
    if (t->n == 0) {
        snprintf(err, errcap, "needs: the list is empty");
        goto out_free_t;
    }
    for (int i = 0; i < t->n; i++) {
        struct need_def *nd = &t->needs[i];
        if (!nd->calm_id[0])
            continue;
        nd->calm = needs_find(t, nd->calm_id);
        if (nd->calm < 0 || !nd->urgent || t->needs[nd->calm].urgent) {
            snprintf(err, errcap,
                     "need %s.calm: must name a need that is not urgent, on an urgent need",
                     nd->id);
            goto out_free_t;
        }
    }
    cJSON_Delete(root);
    return t;

out_free_t:
    free(t);
    t = NULL;
out_free_root:
    cJSON_Delete(root);
    return t;
}

struct taxonomy *needs_load(const char *path, char *err, size_t errcap)
{
    size_t len;
    char *json = buf_read_file(path, LIMIT_TAXONOMY_FILE_BYTES, &len, err, errcap);
    if (!json)
        return NULL;
    struct taxonomy *t = needs_parse(json, len, err, errcap);
    free(json);
    return t;
}

void needs_free(struct taxonomy *t)
{
    free(t);
}

int needs_find(const struct taxonomy *t, const char *id)
{
    for (int i = 0; t && id && i < t->n; i++)
        if (strcmp(t->needs[i].id, id) == 0)
            return i;
    return -1;
}

const char *needs_canonical(const struct taxonomy *t, const char *id)
{
    int i = needs_find(t, id);
    return i >= 0 ? t->needs[i].id : NULL;
}

static const struct taxonomy *installed;

void needs_install(const struct taxonomy *t)
{
    installed = t;
}

const struct taxonomy *needs_installed(void)
{
    return installed;
}

const char *need_lookup(const char *id)
{
    return needs_canonical(installed, id);
}

size_t need_count(void)
{
    return installed ? (size_t)installed->n : 0;
}

const char *need_at(size_t i)
{
    return i < need_count() ? installed->needs[i].id : NULL;
}
