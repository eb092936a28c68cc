/* route_train.c — trains the router's learned model (assets/route-model.bin) from labelled
 * utterances: L2-regularised logistic regression (liblinear) over hashed features, one head per
 * output (urgent, none, each need), thresholds chosen on out-of-fold predictions. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <linear.h>

#include "feat.h"
#include "model.h"
#include "proto/paths.h"
#include "router.h"
#include "proto/buf.h"
#include "util.h"

#define DATA_MAX   (32u << 20) /* bytes of one data file */
#define MIN_DF     3           /* a feature seen in fewer training utterances is dropped */
#define FOLDS      5
#define C_COST     16.0
#define URGENT_POS 2.0   /* weight of an urgent example: missing one costs more */
#define FALSE_OOF  0.085 /* false alarms allowed when choosing the urgent threshold */

/* The trainer is a build tool: running out of memory ends it with a clear line. */
static void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) {
        fprintf(stderr, "route-train: out of memory\n");
        exit(1);
    }
    return p;
}

struct example {
    struct feat *f;
    int n;
    bool urgent, none, lex_urgent;
    unsigned dom_mask;
    unsigned char need[NEED_MAX]; /* 1 where the need is labelled */
};

struct set {
    struct example *ex;
    int n, cap;
};

static bool hold_val; /* --hold-val: leave the validation split out too */

static int add_line(struct set *s, const struct taxonomy *tax, struct router *lex, const char *line,
                    bool whole)
{
    cJSON *o = cJSON_Parse(line);
    const cJSON *text = cJSON_GetObjectItemCaseSensitive(o, "text");
    const cJSON *urg = cJSON_GetObjectItemCaseSensitive(o, "urgent");
    const cJSON *doms = cJSON_GetObjectItemCaseSensitive(o, "domains");
    const cJSON *needs = cJSON_GetObjectItemCaseSensitive(o, "needs");
    int rc = -1;
    if (!cJSON_IsString(text) || !cJSON_IsBool(urg) || !cJSON_IsArray(doms))
        goto out_free;
    size_t len = strlen(text->valuestring);
    rc = 0;
    enum feat_split split = feat_split_of(text->valuestring, len);
    if (!whole && (split == SPLIT_TEST || (hold_val && split == SPLIT_VAL)))
        goto out_free;
    if (s->n == s->cap) {
        int cap = s->cap ? s->cap * 2 : 1024;
        struct example *ex = realloc(s->ex, sizeof(*ex) * (size_t)cap);
        rc = -1;
        if (!ex)
            goto out_free;
        s->ex = ex;
        s->cap = cap;
    }
    struct example *e = &s->ex[s->n];
    memset(e, 0, sizeof(*e));
    struct feat buf[FEAT_MAX];
    struct route_result rr;
    route_text(lex, text->valuestring, len, NULL, &rr);
    e->n = route_features(lex, text->valuestring, len, buf, FEAT_MAX);
    rc = -1;
    if (!(e->f = malloc(sizeof(*e->f) * (size_t)(e->n ? e->n : 1))))
        goto out_free;
    memcpy(e->f, buf, sizeof(*e->f) * (size_t)e->n);
    e->urgent = cJSON_IsTrue(urg);
    const cJSON *d;
    cJSON_ArrayForEach(d, doms)
    {
        int x = cJSON_IsString(d) ? domain_parse(d->valuestring) : -1;
        if (x >= 0)
            e->dom_mask |= 1u << x;
    }
    e->none = e->dom_mask == 0;
    cJSON_ArrayForEach(d, needs)
    {
        int x = cJSON_IsString(d) ? needs_find(tax, d->valuestring) : -1;
        if (x >= 0)
            e->need[x] = 1;
    }
    e->lex_urgent = rr.urgent;
    s->n++;
    rc = 0;
out_free:
    cJSON_Delete(o);
    return rc;
}

static int add_file(struct set *s, const struct taxonomy *tax, struct router *lex, const char *path,
                    bool whole)
{
    char err[256];
    size_t len;
    char *data = buf_read_file(path, DATA_MAX, &len, err, sizeof(err));
    if (!data) {
        fprintf(stderr, "route-train: %s\n", err);
        return -1;
    }
    int lineno = 0, rc = 0;
    for (char *line = data, *end; line < data + len && rc == 0; line = end + 1) {
        end = strchr(line, '\n');
        if (!end)
            end = data + len;
        *end = '\0';
        lineno++;
        if (line[0] && add_line(s, tax, lex, line, whole) < 0) {
            fprintf(stderr, "route-train: %s:%d: not a labelled utterance\n", path, lineno);
            rc = -1;
        }
    }
    free(data);
    return rc;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* The feature ids seen in at least MIN_DF training utterances, ascending; count in *n. */
static uint32_t *build_dict(const struct set *s, int *n)
{
    size_t total = 0;
    for (int i = 0; i < s->n; i++)
        total += (size_t)s->ex[i].n;
    uint32_t *all = malloc(sizeof(*all) * (total ? total : 1));
    if (!all)
        return NULL;
    size_t k = 0;
    for (int i = 0; i < s->n; i++)
        for (int j = 0; j < s->ex[i].n; j++)
            all[k++] = s->ex[i].f[j].id;
    qsort(all, k, sizeof(*all), cmp_u32);
    int u = 0;
    for (size_t i = 0; i < k;) {
        size_t j = i;
        while (j < k && all[j] == all[i])
            j++;
        if (j - i >= MIN_DF)
            all[u++] = all[i];
        i = j;
    }
    *n = u;
    return all;
}

static int dict_index(const uint32_t *dict, int n, uint32_t id)
{
    const uint32_t *p = bsearch(&id, dict, (size_t)n, sizeof(*dict), cmp_u32);
    return p ? (int)(p - dict) : -1;
}

static int cmp_node(const void *a, const void *b)
{
    const struct feature_node *x = a, *y = b;
    return (x->index > y->index) - (x->index < y->index);
}

/* liblinear's rows: each example's kept features (1-based), then the bias node, then -1. */
static struct feature_node **build_rows(const struct set *s, const uint32_t *dict, int n_dict)
{
    struct feature_node **x = xmalloc(sizeof(*x) * (size_t)(unsigned)s->n);
    for (int i = 0; i < s->n; i++) {
        const struct example *e = &s->ex[i];
        struct feature_node *row = xmalloc(sizeof(*row) * ((size_t)e->n + 2));
        int k = 0;
        for (int j = 0; j < e->n; j++) {
            int idx = dict_index(dict, n_dict, e->f[j].id);
            if (idx >= 0)
                row[k++] = (struct feature_node){idx + 1, e->f[j].v};
        }
        qsort(row, (size_t)k, sizeof(*row), cmp_node); /* liblinear wants ascending indexes */
        int u = 0; /* a feature twice (two words, one stem) counts as its sum, as in the router */
        for (int j = 0; j < k; j++) {
            if (u > 0 && row[u - 1].index == row[j].index)
                row[u - 1].value += row[j].value;
            else
                row[u++] = row[j];
        }
        k = u;
        row[k++] = (struct feature_node){n_dict + 1, 1.0};
        row[k] = (struct feature_node){-1, 0};
        x[i] = row;
    }
    return x;
}

struct head {
    const char *name;
    double pos_weight;
    double *y; /* 0 or 1 per example */
};

/* Trains one head on the examples where use[i] (all when use is NULL); writes its weights
 * into w (stride n_out, column out) and bias. A head with no positive or no negative example
 * gets weights 0 and a bias that says what it always is. */
static void train_head(struct feature_node **x, const struct head *h, int n_ex, int n_dict,
                       const bool *use, float *w, int stride, int out, float *bias)
{
    struct problem p = {0};
    p.n = n_dict + 1;
    p.bias = 1.0;
    p.x = xmalloc(sizeof(*p.x) * (size_t)n_ex);
    p.y = xmalloc(sizeof(*p.y) * (size_t)n_ex);
    int pos = 0;
    for (int i = 0; i < n_ex; i++)
        if (!use || use[i]) {
            p.x[p.l] = x[i];
            p.y[p.l] = h->y[i];
            pos += h->y[i] > 0;
            p.l++;
        }
    for (int j = 0; j < n_dict; j++)
        w[(size_t)j * (size_t)stride + (size_t)out] = 0;
    if (pos == 0 || pos == p.l) {
        *bias = pos ? 8.0f : -8.0f;
        goto out_free;
    }
    int wl[1] = {1};
    double wv[1] = {h->pos_weight};
    struct parameter par = {.solver_type = L2R_LR, .eps = 0.01, .C = C_COST};
    if (h->pos_weight != 1.0) {
        par.nr_weight = 1;
        par.weight_label = wl;
        par.weight = wv;
    }
    struct model *m = train(&p, &par);
    int li = m->label[0] == 1 ? 0 : 1;
    for (int j = 0; j < n_dict; j++)
        w[(size_t)j * (size_t)stride + (size_t)out] = (float)get_decfun_coef(m, j + 1, li);
    *bias = (float)get_decfun_bias(m, li);
    free_and_destroy_model(&m);
out_free:
    free(p.x);
    free(p.y);
}

static double score_row(const struct feature_node *row, const float *w, int stride, int out,
                        float bias, int n_dict)
{
    double acc = bias;
    for (; row->index > 0; row++)
        if (row->index <= n_dict)
            acc += row->value * w[(size_t)(row->index - 1) * (size_t)stride + (size_t)out];
    return 1.0 / (1.0 + exp(-acc));
}

/* Out-of-fold probabilities of one head: FOLDS models, each scoring the fold it never saw. */
static void oof(struct feature_node **x, const struct head *h, int n_ex, int n_dict, double *prob)
{
    bool *use = xmalloc((size_t)n_ex);
    float *w = xmalloc(sizeof(*w) * (size_t)n_dict);
    for (int f = 0; f < FOLDS; f++) {
        for (int i = 0; i < n_ex; i++)
            use[i] = i % FOLDS != f;
        float bias;
        train_head(x, h, n_ex, n_dict, use, w, 1, 0, &bias);
        for (int i = 0; i < n_ex; i++)
            if (!use[i])
                prob[i] = score_row(x[i], w, 1, 0, bias, n_dict);
    }
    free(use);
    free(w);
}

/* The threshold for urgent, on out-of-fold predictions joined to the vocabulary's urgency: the
 * lowest at which false alarms stay within FALSE_OOF, so recall is as high as that allows. */
static float pick_urgent(const struct set *s, const double *p, bool curve)
{
    float best = 0.9f;
    for (float t = 0.9f; t >= 0.05f; t -= 0.01f) {
        int urgent = 0, hit = 0, calm = 0, alarm = 0;
        for (int i = 0; i < s->n; i++) {
            bool on = s->ex[i].lex_urgent || p[i] >= t;
            if (s->ex[i].urgent) {
                urgent++;
                hit += on;
            } else {
                calm++;
                alarm += on;
            }
        }
        if (curve)
            fprintf(stderr, "t %.2f recall %.3f false %.3f\n", t, (double)hit / urgent,
                    (double)alarm / calm);
        if (calm && (double)alarm / calm <= FALSE_OOF)
            best = t;
    }
    return best;
}

/* The lowest threshold at which "none" wrongly claims at most 1% of utterances with a need. */
static float pick_none(const struct set *s, const double *p)
{
    for (float t = 0.3f; t < 0.99f; t += 0.01f) {
        int need = 0, wrong = 0;
        for (int i = 0; i < s->n; i++)
            if (!s->ex[i].none) {
                need++;
                wrong += p[i] >= t;
            }
        if (!need || (double)wrong / need <= 0.01)
            return t;
    }
    return 0.99f;
}

static void quiet(const char *s)
{
    (void)s;
}

static int usage(void)
{
    fprintf(stderr,
            "usage: route-train --out FILE [--hold-val] [--whole FILE.jsonl]... FILE.jsonl...\n"
            "Trains on the train split of each FILE (every line of a --whole FILE);\n"
            "--hold-val leaves the validation split out as well.\n");
    return 2;
}

int main(int argc, char **argv)
{
    const char *out = NULL;
    char assets[1100], locales[1100], err[256];
    if (paths_data_dirs(assets, locales, sizeof(assets)) < 0) {
        fprintf(stderr, "route-train: cannot find assets/needs.json (set HUB_ROOT)\n");
        return 2;
    }
    struct router *lex = router_new_opts(assets, locales, false, err, sizeof(err));
    if (!lex) {
        fprintf(stderr, "route-train: %s\n", err);
        return 2;
    }
    const struct taxonomy *tax = router_taxonomy(lex);
    struct set s = {0};
    int files = 0;
    for (int i = 1; i < argc; i++)
        hold_val |= strcmp(argv[i], "--hold-val") == 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--out") == 0 && i + 1 < argc)
            out = argv[++i];
        else if (strcmp(argv[i], "--hold-val") == 0)
            hold_val = true;
        else if (strcmp(argv[i], "--whole") == 0 && i + 1 < argc) {
            if (add_file(&s, tax, lex, argv[++i], true) < 0)
                return 1;
            files++;
        } else if (argv[i][0] != '-') {
            if (add_file(&s, tax, lex, argv[i], false) < 0)
                return 1;
            files++;
        } else
            return usage();
    }
    if (!out || !files || s.n == 0)
        return usage();
    set_print_string_function(quiet);

    int n_dict = 0;
    uint32_t *dict = build_dict(&s, &n_dict);
    struct feature_node **x = dict ? build_rows(&s, dict, n_dict) : NULL;
    int n_out = 2 + tax->n; /* urgent, none, then each need */
    struct head *heads = calloc((size_t)n_out, sizeof(*heads));
    char(*names)[MODEL_NAME_MAX] = calloc((size_t)n_out, sizeof(*names));
    float *w = malloc(sizeof(*w) * (size_t)n_dict * (size_t)n_out);
    float *bias = calloc((size_t)n_out, sizeof(*bias));
    double *p_urgent = malloc(sizeof(double) * (size_t)s.n);
    double *p_none = malloc(sizeof(double) * (size_t)s.n);
    if (!x || !heads || !names || !w || !bias || !p_urgent || !p_none) {
        fprintf(stderr, "route-train: out of memory\n");
        return 1;
    }
    for (int o = 0; o < n_out; o++) {
        heads[o].pos_weight = 1.0;
        heads[o].y = malloc(sizeof(double) * (size_t)s.n);
        if (o == 0)
            snprintf(names[o], MODEL_NAME_MAX, "urgent");
        else if (o == 1)
            snprintf(names[o], MODEL_NAME_MAX, "none");
        else
            snprintf(names[o], MODEL_NAME_MAX, "need:%s", tax->needs[o - 2].id);
        heads[o].name = names[o];
        for (int i = 0; i < s.n; i++) {
            const struct example *e = &s.ex[i];
            heads[o].y[i] = o == 0 ? e->urgent : o == 1 ? e->none : e->need[o - 2];
        }
    }
    heads[0].pos_weight = URGENT_POS;
    for (int o = 0; o < n_out; o++)
        train_head(x, &heads[o], s.n, n_dict, NULL, w, n_out, o, &bias[o]);
    oof(x, &heads[0], s.n, n_dict, p_urgent);
    oof(x, &heads[1], s.n, n_dict, p_none);
    float t_urgent = pick_urgent(&s, p_urgent, getenv("ROUTE_TRAIN_CURVE") != NULL),
          t_none = pick_none(&s, p_none);

    const char *out_names[MODEL_OUTS_MAX];
    for (int o = 0; o < n_out; o++)
        out_names[o] = names[o];
    const char *param_names[] = {"t_urgent", "t_none"};
    float params[] = {t_urgent, t_none};
    struct model_spec spec = {.n_out = n_out,
                              .n_feat = n_dict,
                              .n_params = 2,
                              .out_names = out_names,
                              .param_names = param_names,
                              .params = params,
                              .bias = bias,
                              .ids = dict,
                              .w = w};
    size_t len;
    unsigned char *img = model_encode(&spec, &len);
    FILE *f = img ? fopen(out, "wb") : NULL;
    if (!f || fwrite(img, 1, len, f) != len || fclose(f) != 0) {
        fprintf(stderr, "route-train: cannot write %s\n", out);
        return 1;
    }
    int urgent = 0;
    for (int i = 0; i < s.n; i++)
        urgent += s.ex[i].urgent;
    fprintf(stderr,
            "route-train: %d utterances (%d urgent), %d features, %d outputs, t_urgent %.2f, "
            "t_none %.2f, %zu bytes\n",
            s.n, urgent, n_dict, n_out, t_urgent, t_none, len);
    free(img);
    for (int o = 0; o < n_out; o++)
        free(heads[o].y);
    for (int i = 0; i < s.n; i++) {
        free(x[i]);
        free(s.ex[i].f);
    }
    free(x);
    free(s.ex);
    free(heads);
    free(names);
    free(w);
    free(bias);
    free(p_urgent);
    free(p_none);
    free(dict);
    router_free(lex);
    return 0;
}
