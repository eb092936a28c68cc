/* fuzz_json.c — any bytes as a hub directory and as a need taxonomy: a clean error or a
 * valid structure, never a crash, leak or overread. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "directory.h"
#include "proto/taxonomy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[256];
    struct hub_dir *d = dir_parse((const char *)data, size, err, sizeof(err));
    if (d) {
        for (int i = 0; i < d->n_workers; i++)
            if (strlen(d->workers[i].id) >= sizeof(d->workers[i].id))
                __builtin_trap();
        dir_free(d);
    } else if (err[0] == '\0') {
        __builtin_trap(); /* a failure must say why */
    }
    struct taxonomy *t = needs_parse((const char *)data, size, err, sizeof(err));
    needs_free(t);
    return 0;
}
