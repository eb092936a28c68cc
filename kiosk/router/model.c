/* model.c — reads the router's learned model and scores features with it. */
#include "model.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/buf.h"
#include "util.h"

static const char MAGIC[8] = "HUBRM2\n";

struct model {
    int n_out, n_feat, n_params;
    char names[MODEL_OUTS_MAX][MODEL_NAME_MAX];
    char param_names[MODEL_PARAMS_MAX][MODEL_NAME_MAX];
    float params[MODEL_PARAMS_MAX];
    float bias[MODEL_OUTS_MAX];
    float scale[MODEL_OUTS_MAX];
    uint32_t *ids;
    int8_t *w;
    uint32_t *slot_id; /* a hash table from feature id to row, at most half full */
    int32_t *slot_row; /* -1 empty */
    uint32_t slot_mask;
};

static uint32_t slot_of(uint32_t id, uint32_t mask)
{
    return (id * 2654435761u) & mask;
}

static int build_slots(struct model *m)
{
    uint32_t n = 16;
    while (n < 2u * (uint32_t)m->n_feat)
        n *= 2;
    m->slot_mask = n - 1;
    m->slot_id = malloc(sizeof(*m->slot_id) * n);
    m->slot_row = malloc(sizeof(*m->slot_row) * n);
    if (!m->slot_id || !m->slot_row)
        return -1;
    for (uint32_t i = 0; i < n; i++)
        m->slot_row[i] = -1;
    for (int r = 0; r < m->n_feat; r++) {
        uint32_t j = slot_of(m->ids[r], m->slot_mask);
        while (m->slot_row[j] >= 0)
            j = (j + 1) & m->slot_mask;
        m->slot_id[j] = m->ids[r];
        m->slot_row[j] = r;
    }
    return 0;
}

struct reader {
    const unsigned char *p;
    size_t left;
    bool bad;
};

static const unsigned char *take(struct reader *r, size_t n)
{
    if (r->bad || n > r->left) {
        r->bad = true;
        return NULL;
    }
    const unsigned char *p = r->p;
    r->p += n;
    r->left -= n;
    return p;
}

static uint32_t get_u32(struct reader *r)
{
    const unsigned char *p = take(r, 4);
    return p ? (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24
             : 0;
}

static float get_f32(struct reader *r)
{
    uint32_t u = get_u32(r);
    float f;
    memcpy(&f, &u, sizeof(f));
    return f;
}

static bool get_name(struct reader *r, char *out)
{
    const unsigned char *p = take(r, 2);
    size_t n = p ? (size_t)(p[0] | p[1] << 8) : 0;
    if (!p || n == 0 || n >= MODEL_NAME_MAX || !(p = take(r, n)) || memchr(p, 0, n))
        return false;
    memcpy(out, p, n);
    out[n] = '\0';
    return true;
}

struct model *model_parse(const unsigned char *buf, size_t len, char *err, size_t errcap)
{
    struct reader r = {buf, len, false};
    struct model *m = calloc(1, sizeof(*m));
    const char *why = "out of memory";
    if (!m)
        goto out_fail;
    why = "not a router model (bad magic)";
    const unsigned char *magic = take(&r, sizeof(MAGIC));
    if (!magic || memcmp(magic, MAGIC, sizeof(MAGIC)) != 0)
        goto out_fail;
    uint32_t n_out = get_u32(&r), n_feat = get_u32(&r), n_params = get_u32(&r);
    why = "model sizes out of bounds";
    if (r.bad || n_out == 0 || n_out > MODEL_OUTS_MAX || n_params > MODEL_PARAMS_MAX ||
        n_feat > (MODEL_FILE_MAX / 4))
        goto out_fail;
    m->n_out = (int)n_out;
    m->n_feat = (int)n_feat;
    m->n_params = (int)n_params;
    why = "bad output or parameter name";
    for (int i = 0; i < m->n_out; i++)
        if (!get_name(&r, m->names[i]))
            goto out_fail;
    for (int i = 0; i < m->n_params; i++) {
        if (!get_name(&r, m->param_names[i]))
            goto out_fail;
        m->params[i] = get_f32(&r);
    }
    for (int i = 0; i < m->n_out; i++)
        m->bias[i] = get_f32(&r);
    for (int i = 0; i < m->n_out; i++)
        m->scale[i] = get_f32(&r);
    why = "model truncated";
    size_t rows = (size_t)n_feat, need = rows * 4 + rows * n_out;
    if (r.bad || need != r.left)
        goto out_fail;
    why = "bad weight or threshold";
    for (int i = 0; i < m->n_out; i++)
        if (!isfinite(m->bias[i]) || !isfinite(m->scale[i]))
            goto out_fail;
    for (int i = 0; i < m->n_params; i++)
        if (!isfinite(m->params[i]))
            goto out_fail;
    why = "out of memory";
    m->ids = malloc(rows ? rows * sizeof(*m->ids) : 1);
    m->w = malloc(rows ? rows * n_out * sizeof(*m->w) : 1);
    if (!m->ids || !m->w)
        goto out_fail;
    why = "feature ids not ascending";
    for (size_t i = 0; i < rows; i++) {
        m->ids[i] = get_u32(&r);
        if (i > 0 && m->ids[i] <= m->ids[i - 1])
            goto out_fail;
    }
    for (size_t i = 0; i < rows * n_out; i++) {
        const unsigned char *p = take(&r, 1);
        m->w[i] = (int8_t)p[0];
    }
    why = "out of memory";
    if (build_slots(m) < 0)
        goto out_fail;
    return m;

out_fail:
    snprintf(err, errcap, "%s", why);
    model_free(m);
    return NULL;
}

struct model *model_load(const char *path, char *err, size_t errcap)
{
    size_t len = 0;
    char *buf = buf_read_file(path, MODEL_FILE_MAX, &len, err, errcap);
    if (!buf)
        return NULL;
    char why[160];
    struct model *m = model_parse((const unsigned char *)buf, len, why, sizeof(why));
    if (!m)
        snprintf(err, errcap, "%s: %s", path, why);
    free(buf);
    return m;
}

void model_free(struct model *m)
{
    if (!m)
        return;
    free(m->ids);
    free(m->w);
    free(m->slot_id);
    free(m->slot_row);
    free(m);
}

int model_n_outputs(const struct model *m)
{
    return m ? m->n_out : 0;
}

int model_output(const struct model *m, const char *name)
{
    for (int i = 0; m && i < m->n_out; i++)
        if (strcmp(m->names[i], name) == 0)
            return i;
    return -1;
}

const char *model_output_name(const struct model *m, int out)
{
    return m && out >= 0 && out < m->n_out ? m->names[out] : NULL;
}

float model_param(const struct model *m, const char *name, float fallback)
{
    for (int i = 0; m && i < m->n_params; i++)
        if (strcmp(m->param_names[i], name) == 0)
            return m->params[i];
    return fallback;
}

static int find_row(const struct model *m, uint32_t id)
{
    for (uint32_t j = slot_of(id, m->slot_mask);; j = (j + 1) & m->slot_mask) {
        int32_t row = m->slot_row[j];
        if (row < 0 || m->slot_id[j] == id)
            return row;
    }
}

void model_predict(const struct model *m, const struct feat *f, int n, float *probs)
{
    float acc[MODEL_OUTS_MAX] = {0};
    int32_t run[MODEL_OUTS_MAX] = {0};
    int n_out = m->n_out;
    /* Features of one value (all of one utterance's text share it) are summed as integers and
     * scaled once: the same sum, a fraction of the work. */
    for (int i = 0; i < n; i++) {
        if (i > 0 && f[i].v != f[i - 1].v)
            for (int o = 0; o < n_out; o++) {
                acc[o] += f[i - 1].v * (float)run[o];
                run[o] = 0;
            }
        int row = find_row(m, f[i].id);
        if (row < 0)
            continue;
        const int8_t *w = m->w + (size_t)row * (size_t)n_out;
        for (int o = 0; o < n_out; o++)
            run[o] += w[o];
    }
    for (int o = 0; n > 0 && o < n_out; o++)
        acc[o] += f[n - 1].v * (float)run[o];
    for (int o = 0; o < n_out; o++)
        probs[o] = 1.0f / (1.0f + expf(-(acc[o] * m->scale[o] + m->bias[o])));
}

/* Encoding, for route-train. */

struct writer {
    unsigned char *p;
    size_t len, cap;
    bool bad;
};

static void put_bytes(struct writer *w, const void *src, size_t n)
{
    if (w->bad || n > w->cap - w->len) {
        w->bad = true;
        return;
    }
    memcpy(w->p + w->len, src, n);
    w->len += n;
}

static void put_u32(struct writer *w, uint32_t v)
{
    unsigned char b[4] = {(unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
                          (unsigned char)(v >> 24)};
    put_bytes(w, b, 4);
}

static void put_f32(struct writer *w, float f)
{
    uint32_t u;
    memcpy(&u, &f, sizeof(u));
    put_u32(w, u);
}

static void put_name(struct writer *w, const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n >= MODEL_NAME_MAX) {
        w->bad = true;
        return;
    }
    unsigned char b[2] = {(unsigned char)n, (unsigned char)(n >> 8)};
    put_bytes(w, b, 2);
    put_bytes(w, s, n);
}

unsigned char *model_encode(const struct model_spec *s, size_t *len)
{
    if (s->n_out <= 0 || s->n_out > MODEL_OUTS_MAX || s->n_feat < 0 ||
        s->n_params > MODEL_PARAMS_MAX || s->n_params < 0)
        return NULL;
    size_t rows = (size_t)s->n_feat, n_out = (size_t)s->n_out;
    struct writer w = {NULL, 0,
                       64 + (n_out + (size_t)s->n_params) * (MODEL_NAME_MAX + 14) + rows * 4 +
                           rows * n_out,
                       false};
    float scale[MODEL_OUTS_MAX];
    if (!(w.p = malloc(w.cap)))
        return NULL;
    for (size_t o = 0; o < n_out; o++) {
        float mx = 0;
        for (size_t i = 0; i < rows; i++)
            mx = fmaxf(mx, fabsf(s->w[i * n_out + o]));
        scale[o] = mx > 0 ? mx / 127.0f : 1.0f;
    }
    put_bytes(&w, MAGIC, sizeof(MAGIC));
    put_u32(&w, (uint32_t)s->n_out);
    put_u32(&w, (uint32_t)s->n_feat);
    put_u32(&w, (uint32_t)s->n_params);
    for (size_t o = 0; o < n_out; o++)
        put_name(&w, s->out_names[o]);
    for (int i = 0; i < s->n_params; i++) {
        put_name(&w, s->param_names[i]);
        put_f32(&w, s->params[i]);
    }
    for (size_t o = 0; o < n_out; o++)
        put_f32(&w, s->bias[o]);
    for (size_t o = 0; o < n_out; o++)
        put_f32(&w, scale[o]);
    for (size_t i = 0; i < rows; i++) {
        if (i > 0 && s->ids[i] <= s->ids[i - 1])
            w.bad = true;
        put_u32(&w, s->ids[i]);
    }
    for (size_t i = 0; i < rows * n_out; i++) {
        long q = lroundf(s->w[i] / scale[i % n_out]);
        unsigned char b = (unsigned char)(int8_t)(q > 127 ? 127 : q < -127 ? -127 : q);
        put_bytes(&w, &b, 1);
    }
    if (w.bad) {
        free(w.p);
        return NULL;
    }
    *len = w.len;
    return w.p;
}
