/* test_taxonomy.c — GET /taxonomy: every need of assets/needs.json as it stands, with the
 * label each locales/<lang>/needs.json gives it, any role or none, a strong ETag and 304; and a
 * hubd whose locales lack a need's label refuses to start, naming it. */
#include "test_api.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static cJSON *file_json(const char *path)
{
    size_t len;
    char *text = slurp(path, &len);
    assert_non_null(text);
    cJSON *j = cJSON_ParseWithLength(text, len);
    free(text);
    assert_non_null(j);
    return j;
}

static const char *label_in(const char *lang, const char *id)
{
    static cJSON *vocab[2];
    int k = strcmp(lang, "en") == 0 ? 0 : 1;
    if (!vocab[k]) {
        char path[64];
        snprintf(path, sizeof(path), "locales/%s/needs.json", lang);
        vocab[k] = file_json(path);
    }
    const cJSON *n = cJSON_GetObjectItem(cJSON_GetObjectItem(vocab[k], "needs"), id);
    return cJSON_GetStringValue(cJSON_GetObjectItem(n, "label"));
}

static long taxonomy_with(const char *token, const char *inm)
{
    char line[200];
    struct resp r;
    snprintf(line, sizeof(line), "If-None-Match: %s", inm);
    assert_int_equal(http(&srv, "GET", "/api/v1/taxonomy", token, NULL, NULL, 0, line, &r), 0);
    long st = r.status;
    if (st == 304)
        assert_int_equal(r.len, 0);
    resp_free(&r);
    return st;
}

void test_taxonomy(void **state)
{
    struct resp r;
    char etag[80], weak[100];
    assert_int_equal(http(&srv, "GET", "/api/v1/taxonomy", tok[T_KIOSK], NULL, NULL, 0, NULL, &r),
                     0);
    assert_int_equal(r.status, 200);
    assert_non_null(resp_header(&r, "ETag", etag, sizeof(etag)));
    assert_true(etag[0] == '"'); /* strong */
    cJSON *got = resp_json(&r);
    resp_free(&r);
    assert_non_null(got);
    cJSON *want = file_json("assets/needs.json");
    const cJSON *gn = cJSON_GetObjectItem(got, "needs"), *wn = cJSON_GetObjectItem(want, "needs");
    assert_int_equal(cJSON_GetArraySize(gn), cJSON_GetArraySize(wn));
    assert_true(cJSON_Compare(cJSON_GetObjectItem(got, "domains"),
                              cJSON_GetObjectItem(want, "domains"), true));
    for (int i = 0; i < cJSON_GetArraySize(wn); i++) {
        const cJSON *w = cJSON_GetArrayItem(wn, i), *g = cJSON_GetArrayItem(gn, i), *f;
        /* every field as the file has it, in the file's order */
        cJSON_ArrayForEach(f, w)
        {
            assert_true(cJSON_Compare(f, cJSON_GetObjectItem(g, f->string), true));
        }
        const char *id = cJSON_GetObjectItem(w, "id")->valuestring;
        const cJSON *labels = cJSON_GetObjectItem(g, "labels");
        assert_int_equal(cJSON_GetArraySize(labels), 2);
        assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(labels, "en")),
                            label_in("en", id));
        assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(labels, "cy")),
                            label_in("cy", id));
    }
    /* the domains in each language, as the kiosk's topic tiles name them */
    cJSON *cy = file_json("locales/cy/strings.json");
    const cJSON *dl = cJSON_GetObjectItem(got, "domain_labels");
    assert_string_equal(
        cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(dl, "benefits"), "cy")),
        cJSON_GetStringValue(cJSON_GetObjectItem(cy, "topic.benefits")));
    assert_string_equal(
        cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(dl, "none"), "cy")),
        cJSON_GetStringValue(cJSON_GetObjectItem(cy, "topic.other")));
    const cJSON *langs = cJSON_GetObjectItem(got, "languages");
    assert_string_equal(
        cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(langs, "cy"), "name")),
        "Cymraeg");
    cJSON_Delete(cy);
    cJSON_Delete(want);
    cJSON_Delete(got);
    /* any role, and no token (the public community page names its topics with it); only GET
     * and HEAD */
    for (int t = 0; t < T_COUNT; t++)
        assert_int_equal(taxonomy_with(tok[t], etag), 304);
    assert_int_equal(taxonomy_with(NULL, etag), 304);
    assert_int_equal(taxonomy_with(tok[T_WORKER], "\"0123\""), 200);
    snprintf(weak, sizeof(weak), "W/%s", etag);
    assert_int_equal(taxonomy_with(tok[T_RECEPTION], weak), 304);
    assert_int_equal(http_status(&srv, "GET", "/api/v1/taxonomy", NULL, NULL, NULL), 200);
    assert_int_equal(http_status(&srv, "HEAD", "/api/v1/taxonomy", tok[T_MANAGER], NULL, NULL),
                     200);
    assert_int_equal(
        http_status(&srv, "POST", "/api/v1/taxonomy", tok[T_ADMIN], "application/json", "{}"), 405);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
    assert_int_equal(fclose(f), 0);
}

static void copy_json(const char *from, const char *to, const char *drop_label_of)
{
    cJSON *j = file_json(from);
    if (drop_label_of)
        cJSON_DeleteItemFromObject(
            cJSON_GetObjectItem(cJSON_GetObjectItem(j, "needs"), drop_label_of), "label");
    char *text = cJSON_Print(j);
    write_file(to, text);
    free(text);
    cJSON_Delete(j);
}

/* A root whose Welsh words lack one need's label: hubd says which and does not start. */
void test_taxonomy_missing_label(void **state)
{
    char root[] = "/tmp/hubd-tax-XXXXXX", p[300], log[300];
    assert_non_null(mkdtemp(root));
    const char *dirs[] = {"assets", "locales", "locales/en", "locales/cy"};
    for (size_t i = 0; i < 4; i++) {
        snprintf(p, sizeof(p), "%s/%s", root, dirs[i]);
        assert_int_equal(mkdir(p, 0700), 0);
    }
    const char *files[][3] = {{"assets/needs.json", NULL},
                              {"locales/en/needs.json", NULL},
                              {"locales/en/strings.json", NULL},
                              {"locales/cy/needs.json", "rent_arrears"},
                              {"locales/cy/strings.json", NULL}};
    for (size_t i = 0; i < 5; i++) {
        snprintf(p, sizeof(p), "%s/%s", root, files[i][0]);
        copy_json(files[i][0], p, files[i][1]);
    }
    struct server s;
    assert_int_equal(server_init(&s), 0);
    snprintf(s.log, sizeof(s.log), "%s/hubd.log", s.dir);
    snprintf(log, sizeof(log), "%s", s.log);
    setenv("HUB_ROOT", root, 1);
    const char *args[] = {"--seed", fixture("hub.json"), NULL};
    int started = server_start(&s, args);
    unsetenv("HUB_ROOT");
    if (started == 0)
        server_stop(&s);
    assert_int_equal(started, -1);
    size_t len;
    char *err = slurp(log, &len);
    assert_non_null(err);
    assert_non_null(strstr(err, "locales/cy/needs.json: need rent_arrears has no label"));
    free(err);
    server_cleanup(&s);
    for (size_t i = 0; i < 5; i++) {
        snprintf(p, sizeof(p), "%s/%s", root, files[i][0]);
        unlink(p);
    }
    for (size_t i = 4; i-- > 0;) {
        snprintf(p, sizeof(p), "%s/%s", root, dirs[i]);
        rmdir(p);
    }
    rmdir(root);
}
