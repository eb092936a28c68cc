/* model.h — the router's learned model: linear scores over hashed features, read from a small
 * file in assets/ that route-train writes (kiosk/tools/route_train.c). */
#ifndef HUB_MODEL_H
#define HUB_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "feat.h"

#define MODEL_FILE_MAX   (32u << 20) /* bytes; a larger file is refused */
#define MODEL_OUTS_MAX   128
#define MODEL_PARAMS_MAX 32
#define MODEL_NAME_MAX   48

struct model;

/* Parses a model image (the file's bytes). Returns NULL with a one-line reason in err when the
 * bytes are not a well-formed model. The model does not keep buf. Free with model_free(). */
struct model *model_parse(const unsigned char *buf, size_t len, char *err, size_t errcap);

/* Reads and parses the file at path (NULL, reason in err, on failure). */
struct model *model_load(const char *path, char *err, size_t errcap);

void model_free(struct model *m);

int model_n_outputs(const struct model *m);

/* Index of the output with this name ("urgent", "need:debt"), or -1. */
int model_output(const struct model *m, const char *name);

const char *model_output_name(const struct model *m, int out);

/* A named parameter route-train chose (a threshold), or fallback when the model has none. */
float model_param(const struct model *m, const char *name, float fallback);

/* Writes every output's probability (logistic of its linear score) for the features into
 * probs (room for model_n_outputs()). */
void model_predict(const struct model *m, const struct feat *f, int n, float *probs);

/* The file: magic "HUBRM2\n\0"; u32 n_out, n_feat, n_params (little-endian); n_out names and
 * n_params (name, f32 value) pairs, each name a u16 length and its bytes; f32 bias[n_out],
 * f32 scale[n_out]; u32 ids[n_feat], strictly ascending; i8 w[n_feat][n_out], each weight
 * w * scale[out]. */
struct model_spec {
    int n_out, n_feat, n_params;
    const char *const *out_names;
    const char *const *param_names;
    const float *params;
    const float *bias;   /* n_out */
    const uint32_t *ids; /* n_feat, strictly ascending */
    const float *w;      /* n_feat rows of n_out weights */
};

/* Encodes a model into a new heap buffer (the file's bytes, weights quantised to 8 bits);
 * *len gets its size. Returns NULL when out of memory or the spec is out of bounds. */
unsigned char *model_encode(const struct model_spec *s, size_t *len);

#endif
