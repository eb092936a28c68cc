/* api_taxonomy.c — GET /taxonomy: assets/needs.json as hubd loaded it, each need and domain
 * with its plain-words label in every language of locales/ (the words the kiosk shows),
 * built once at start and served with a strong ETag. */
#include "proto/paths.h"
#include "api.h"

#include "proto/buf.h"

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TAX_FILE_MAX  (4 * 1024 * 1024) /* bytes of one needs.json or strings.json */
#define TAX_LANGS_MAX 16

static cJSON *read_json(const char *root, const char *rel, char *err, size_t cap)
{
    char path[PATH_MAX], why[160];
    size_t len;
    if (!paths_join(path, sizeof(path), root, rel)) {
        snprintf(err, cap, "%s: path too long", rel);
        return NULL;
    }
    char *text = buf_read_file(path, TAX_FILE_MAX, &len, why, sizeof(why));
    if (!text) {
        snprintf(err, cap, "%s: %s", rel, why);
        return NULL;
    }
    cJSON *o = cJSON_ParseWithLength(text, len);
    free(text);
    if (!cJSON_IsObject(o)) {
        cJSON_Delete(o);
        snprintf(err, cap, "%s: not a JSON object", rel);
        return NULL;
    }
    return o;
}

static int cmp_lang(const void *a, const void *b)
{
    return strcmp(a, b);
}

/* The language folders of root/locales that hold a needs.json, sorted; their count or -1. */
static int list_langs(const char *root, char langs[][16], char *err, size_t cap)
{
    char dir[PATH_MAX], probe[PATH_MAX];
    int n = 0;
    if (!paths_join(dir, sizeof(dir), root, "locales")) {
        snprintf(err, cap, "locales: path too long");
        return -1;
    }
    DIR *d = opendir(dir);
    if (!d) {
        snprintf(err, cap, "locales: cannot open the folder");
        return -1;
    }
    for (struct dirent *e; (e = readdir(d)) && n < TAX_LANGS_MAX;) {
        size_t k = strlen(e->d_name);
        if (e->d_name[0] == '.' || k >= 16 || !paths_join(probe, sizeof(probe), dir, e->d_name))
            continue;
        size_t used = strlen(probe);
        if (used + sizeof("/needs.json") > sizeof(probe))
            continue;
        memcpy(probe + used, "/needs.json", sizeof("/needs.json"));
        FILE *f = fopen(probe, "rb");
        if (!f)
            continue;
        fclose(f);
        memcpy(langs[n++], e->d_name, k + 1);
    }
    closedir(d);
    if (n == 0) {
        snprintf(err, cap, "locales: no language folder with a needs.json");
        return -1;
    }
    qsort(langs, (size_t)n, sizeof(langs[0]), cmp_lang);
    return n;
}

/* Adds lang's label of every need to that need's "labels" object, and lang's word for each
 * domain (strings.json topic.<domain>, topic.other for none) to domain_labels. */
static int add_lang(cJSON *needs, cJSON *domain_labels, cJSON *languages, const char *root,
                    const char *lang, char *err, size_t cap)
{
    char rel[64];
    int rc = -1;
    snprintf(rel, sizeof(rel), "locales/%s/needs.json", lang);
    cJSON *vocab = read_json(root, rel, err, cap);
    snprintf(rel, sizeof(rel), "locales/%s/strings.json", lang);
    cJSON *strs = vocab ? read_json(root, rel, err, cap) : NULL;
    if (!strs)
        goto out_free;
    const cJSON *vn = cJSON_GetObjectItemCaseSensitive(vocab, "needs");
    const cJSON *name = cJSON_GetObjectItemCaseSensitive(vocab, "name");
    cJSON *l = cJSON_AddObjectToObject(languages, lang);
    if (!l || !cJSON_AddStringToObject(l, "name", cJSON_IsString(name) ? name->valuestring : lang))
        goto out_oom;
    cJSON *need;
    cJSON_ArrayForEach(need, needs)
    {
        const char *id = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(need, "id"));
        const cJSON *e = id ? cJSON_GetObjectItemCaseSensitive(vn, id) : NULL;
        const char *label = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "label"));
        if (!label || !label[0]) {
            snprintf(err, cap, "locales/%s/needs.json: need %s has no label", lang,
                     id ? id : "(no id)");
            goto out_free;
        }
        cJSON *labels = cJSON_GetObjectItemCaseSensitive(need, "labels");
        if (!labels && !(labels = cJSON_AddObjectToObject(need, "labels")))
            goto out_oom;
        if (!cJSON_AddStringToObject(labels, lang, label))
            goto out_oom;
    }
    cJSON *dl;
    cJSON_ArrayForEach(dl, domain_labels)
    {
        char key[48];
        snprintf(key, sizeof(key), "topic.%s", strcmp(dl->string, "none") ? dl->string : "other");
        const char *word = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(strs, key));
        if (!word) {
            snprintf(err, cap, "locales/%s/strings.json: no %s", lang, key);
            goto out_free;
        }
        if (!cJSON_AddStringToObject(dl, lang, word))
            goto out_oom;
    }
    rc = 0;
    goto out_free;
out_oom:
    snprintf(err, cap, "out of memory");
out_free:
    cJSON_Delete(strs);
    cJSON_Delete(vocab);
    return rc;
}

struct jsondoc *taxonomy_doc_load(const char *root, char *err, size_t cap)
{
    char langs[TAX_LANGS_MAX][16];
    char *json = NULL;
    cJSON *tax = read_json(root, "assets/needs.json", err, cap);
    if (!tax)
        return NULL;
    cJSON *needs = cJSON_GetObjectItemCaseSensitive(tax, "needs");
    const cJSON *domains = cJSON_GetObjectItemCaseSensitive(tax, "domains");
    cJSON *dl = cJSON_AddObjectToObject(tax, "domain_labels");
    cJSON *languages = cJSON_AddObjectToObject(tax, "languages");
    int n = list_langs(root, langs, err, cap);
    if (!cJSON_IsArray(needs) || !cJSON_IsArray(domains)) {
        snprintf(err, cap, "assets/needs.json: needs and domains must be arrays");
        goto out_free;
    }
    if (!dl || !languages || n < 0)
        goto out_free;
    const cJSON *d;
    cJSON_ArrayForEach(d, domains)
    {
        if (!cJSON_IsString(d) || !cJSON_AddObjectToObject(dl, d->valuestring)) {
            snprintf(err, cap, "assets/needs.json: domains must be strings");
            goto out_free;
        }
    }
    if (!cJSON_AddObjectToObject(dl, "none"))
        goto out_free;
    for (int i = 0; i < n; i++)
        if (add_lang(needs, dl, languages, root, langs[i], err, cap) < 0)
            goto out_free;
    if (!(json = cJSON_PrintUnformatted(tax)))
        snprintf(err, cap, "out of memory");
out_free:
    cJSON_Delete(tax);
    return json ? jsondoc_new(json) : NULL;
}

enum MHD_Result api_taxonomy(struct req *r)
{
    enum MHD_Result ret = jsondoc_reply(r->h->taxonomy, r->conn);
    return ret == MHD_YES ? ret
                          : reply_error(r, MHD_HTTP_SERVICE_UNAVAILABLE, "no taxonomy loaded");
}
