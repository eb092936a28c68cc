/* fuzz_codecs.c — libFuzzer target feeding the same bytes to both sides of each proto codec:
 * a check-in hubd decodes is encoded as the kiosk would send it and decoded again, to the same
 * fingerprint and fields; a directory that parses serialises and parses again to the same
 * JSON; an answer item decodes without crashing. */
#include "proto/checkin.h"
#include "proto/hubdir.h"
#include "proto/taxonomy.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    char err[256];
    struct taxonomy *t = needs_load("assets/needs.json", err, sizeof(err));
    if (!t) {
        fprintf(stderr, "fuzz_codecs: %s (run from the repository)\n", err);
        abort();
    }
    needs_install(t);
    return 0;
}

static void checkin_both_ways(const cJSON *o)
{
    char err[160], id[UUID_LEN + 1];
    struct checkin c, d;
    struct checkin_result r;
    checkin_result_parse(o, id, &r);
    if (checkin_parse(o, &c, err, sizeof(err)) < 0)
        return;
    char *json = checkin_to_json(&c);
    cJSON *again = json ? cJSON_Parse(json) : NULL;
    if (again) {
        if (checkin_parse(again, &d, err, sizeof(err)) < 0)
            abort(); /* what hubd kept, the kiosk's encoding of it must decode */
        if ((!c.flags && memcmp(c.hash, d.hash, SHA256_LEN)) || d.flags || strcmp(c.id, d.id) ||
            c.n_needs != d.n_needs || c.has_worker != d.has_worker ||
            (c.name == NULL) != (d.name == NULL) || (c.name && strcmp(c.name, d.name)))
            abort();
        checkin_release(&d);
    }
    cJSON_Delete(again);
    free(json);
    checkin_release(&c);
}

static void directory_both_ways(const char *buf, size_t size)
{
    char err[256];
    struct hdir d, e;
    if (hdir_parse(buf, size, &d, err, sizeof(err)) < 0)
        return;
    char *once = hdir_to_json(&d);
    if (once) {
        if (hdir_parse(once, strlen(once), &e, err, sizeof(err)) < 0)
            abort();
        char *twice = hdir_to_json(&e);
        if (twice && strcmp(once, twice) != 0)
            abort();
        free(twice);
        hdir_release(&e);
    }
    free(once);
    hdir_release(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 65536)
        return 0;
    char *buf = malloc(size + 1);
    if (!buf)
        return 0;
    memcpy(buf, data, size);
    buf[size] = '\0';
    cJSON *root = cJSON_ParseWithLength(buf, size);
    if (cJSON_IsArray(root)) {
        const cJSON *it;
        cJSON_ArrayForEach(it, root) checkin_both_ways(it);
    } else if (root) {
        checkin_both_ways(root);
    }
    cJSON_Delete(root);
    directory_both_ways(buf, size);
    free(buf);
    return 0;
}
