/* fuzz_model.c — any bytes as the router's model file: a clean error or a model that scores
 * without reading outside itself, never a crash, leak or overread. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "model.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[160];
    err[0] = '\0';
    struct model *m = model_parse(data, size, err, sizeof(err));
    if (!m) {
        if (err[0] == '\0')
            __builtin_trap(); /* a failure must say why */
        return 0;
    }
    struct feat f[64];
    int n = 0;
    for (size_t i = 0; i + 4 <= size && n < 64; i += 4) {
        memcpy(&f[n].id, data + i, 4);
        f[n++].v = 1.0f;
    }
    float p[MODEL_OUTS_MAX];
    model_predict(m, f, n, p);
    for (int o = 0; o < model_n_outputs(m); o++)
        if (!(p[o] >= 0.0f && p[o] <= 1.0f) || !model_output_name(m, o))
            __builtin_trap();
    model_free(m);
    return 0;
}
