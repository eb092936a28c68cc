/* fuzz_hubd.c — libFuzzer target for hubd's parsers of outside input: check-ins (single and
 * batch), hub directory files, times, UUIDs, dates and report dimensions. */
#include "proto/checkin.h"
#include "proto/hubdir.h"
#include "reports.h"
#include "proto/valid.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* The taxonomy the check-in reader validates needs against, as hubd loads it. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    char err[256];
    struct taxonomy *t = needs_load("assets/needs.json", err, sizeof(err));
    if (!t)
        abort();
    needs_install(t);
    return 0;
}

static void fuzz_checkins(const char *buf, size_t size)
{
    char err[160];
    struct checkin c;
    if (!utf8_valid(buf, size))
        return;
    cJSON *root = cJSON_ParseWithLength(buf, size);
    if (!root)
        return;
    if (cJSON_IsArray(root)) {
        const cJSON *it;
        cJSON_ArrayForEach(it, root) if (checkin_parse(it, &c, err, sizeof(err)) == 0)
            checkin_release(&c);
    } else if (checkin_parse(root, &c, err, sizeof(err)) == 0) {
        checkin_release(&c);
    }
    cJSON_Delete(root);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[256], uuid[UUID_LEN + 1];
    int64_t ms;
    int y, m, d;
    struct hdir dir;
    if (size > 65536)
        return 0;
    char *buf = malloc(size + 1);
    if (!buf)
        return 0;
    memcpy(buf, data, size);
    buf[size] = '\0';
    fuzz_checkins(buf, size);
    if (hdir_parse(buf, size, &dir, err, sizeof(err)) == 0) {
        free(hdir_to_json(&dir));
        hdir_release(&dir);
    }
    rfc3339_parse(buf, &ms);
    uuid_v4_parse(buf, uuid);
    date_parse(buf, &y, &m, &d);
    report_dims_parse(buf);
    text_clean(buf, true);
    free(buf);
    return 0;
}
