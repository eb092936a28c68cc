/* vocab.c — compiling a language's need vocabulary: word ids, terms, cues, typo index. */
#include "proto/paths.h"
#include "vocab.h"

#include <libstemmer.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "strmap.h"
#include "typo.h"
#include "proto/buf.h"
#include "util.h"
#include "welsh.h"

size_t vocab_key(const struct vocab *v, const char *word, size_t len, char *key, size_t cap)
{
    const char *src = word;
    size_t n = len;
    if (v->stemmer) {
        const sb_symbol *s = sb_stemmer_stem(v->stemmer, (const sb_symbol *)word, (int)len);
        if (s) {
            src = (const char *)s;
            n = (size_t)sb_stemmer_length(v->stemmer);
        }
    }
    if (n >= cap)
        n = cap - 1;
    memcpy(key, src, n);
    key[n] = '\0';
    return n;
}

/* The id of a word key, adding it when new; -1 when out of memory. */
static int intern(struct vocab *v, const struct token *t)
{
    char key[TOKEN_MAX * 2];
    size_t kl = vocab_key(v, t->s, t->len, key, sizeof(key));
    int id = strmap_get(v->words, key, kl);
    if (id < 0) {
        id = v->n_words;
        if (strmap_set(v->words, key, kl, id) < 0)
            return -1;
        v->n_words++;
    }
    if (typo_add(v->typo, t->s, t->len, id) < 0)
        return -1;
    return id;
}

static int add_term(struct vocab *v, int need, const char *text, bool weak, int *cap)
{
    struct token toks[TERM_WORDS_MAX + 1];
    int n = text_tokenise(text, strlen(text), toks, TERM_WORDS_MAX + 1);
    if (n == 0 || n > TERM_WORDS_MAX)
        return n == 0 ? 0 : -2;
    if (v->n_terms == *cap) {
        int ncap = *cap ? *cap * 2 : 512;
        struct term *nt = realloc(v->terms, (size_t)ncap * sizeof(*nt));
        if (!nt)
            return -1;
        v->terms = nt;
        *cap = ncap;
    }
    struct term *t = &v->terms[v->n_terms];
    t->need = need;
    t->weak = weak;
    t->n = (unsigned char)n;
    /* A weak phrase never reaches WEAK_ENOUGH (0.8) alone: two separate cues are needed. */
    t->weight = weak ? (n > 1 ? 0.55f : 0.4f) : 1.0f + 0.5f * (float)(n - 1);
    for (int i = 0; i < n; i++)
        if ((t->words[i] = intern(v, &toks[i])) < 0)
            return -1;
    v->n_terms++;
    return 0;
}

static int load_terms(struct vocab *v, const cJSON *need, int idx, const char *list, bool weak,
                      int *cap, char *err, size_t errcap)
{
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(need, list);
    if (!arr)
        return 0;
    if (!cJSON_IsArray(arr)) {
        snprintf(err, errcap, "%s needs.%s.%s: must be an array", v->code, need->string, list);
        return -1;
    }
    const cJSON *s;
    cJSON_ArrayForEach(s, arr)
    {
        int rc = cJSON_IsString(s) ? add_term(v, idx, s->valuestring, weak, cap) : -2;
        if (rc == -2) {
            snprintf(err, errcap, "%s needs.%s.%s: each term is a string of at most %d words",
                     v->code, need->string, list, TERM_WORDS_MAX);
            return -1;
        }
        if (rc < 0) {
            snprintf(err, errcap, "%s: out of memory", v->code);
            return -1;
        }
    }
    return 0;
}

static int add_cue(struct vocab *v, struct cue **list, int *n, const struct token *toks, int nt)
{
    struct cue *nc = realloc(*list, (size_t)(*n + 1) * sizeof(*nc));
    if (!nc)
        return -1;
    *list = nc;
    nc[*n].n = (unsigned char)nt;
    for (int i = 0; i < nt; i++)
        if ((nc[*n].words[i] = intern(v, &toks[i])) < 0)
            return -1;
    (*n)++;
    return 0;
}

/* Tokenises one item of a word-sequence list (what names the list, for the error): 0..
 * CUE_WORDS_MAX tokens into toks and their count, or -1 with the reason in err. */
static int cue_item(const struct vocab *v, const cJSON *s, const char *where, int min,
                    struct token toks[CUE_WORDS_MAX + 1], char *err, size_t errcap)
{
    int n = cJSON_IsString(s)
                ? text_tokenise(s->valuestring, strlen(s->valuestring), toks, CUE_WORDS_MAX + 1)
                : -1;
    if (n < min || n > CUE_WORDS_MAX) {
        snprintf(err, errcap, "%s %s: each item is a string of %d to %d words", v->code, where, min,
                 CUE_WORDS_MAX);
        return -1;
    }
    return n;
}

/* stopwords into v->stop; negations and scope_breaks as word sequences. */
static int load_lists(struct vocab *v, const cJSON *root, char *err, size_t errcap)
{
    const char *names[] = {"stopwords", "scope_breaks", "negations"};
    for (int k = 0; k < 3; k++) {
        const cJSON *arr = cJSON_GetObjectItemCaseSensitive(root, names[k]);
        if (!arr)
            continue;
        if (!cJSON_IsArray(arr)) {
            snprintf(err, errcap, "%s %s: must be an array", v->code, names[k]);
            return -1;
        }
        const cJSON *s;
        cJSON_ArrayForEach(s, arr)
        {
            struct token toks[CUE_WORDS_MAX + 1];
            int n = cue_item(v, s, names[k], 0, toks, err, errcap);
            if (n < 0)
                return -1;
            int rc = 0;
            for (int i = 0; k == 0 && i < n && rc == 0; i++)
                rc = strmap_set(v->stop, toks[i].s, toks[i].len, 1);
            if (n > 0 && k == 1)
                rc = add_cue(v, &v->breaks, &v->n_breaks, toks, n);
            if (n > 0 && k == 2)
                rc = add_cue(v, &v->negs, &v->n_negs, toks, n);
            if (rc < 0) {
                snprintf(err, errcap, "%s: out of memory", v->code);
                return -1;
            }
        }
    }
    return 0;
}

/* The "situations" object: one list of word sequences per cue class. */
static int load_situations(struct vocab *v, const cJSON *root, char *err, size_t errcap)
{
    static const char *const names[CUE_CLASSES] = {"necessities", "gone", "vulnerable", "later",
                                                   "now"};
    const cJSON *sit = cJSON_GetObjectItemCaseSensitive(root, "situations");
    if (!sit)
        return 0;
    if (!cJSON_IsObject(sit)) {
        snprintf(err, errcap, "%s situations: must be an object", v->code);
        return -1;
    }
    for (int k = 0; k < CUE_CLASSES; k++) {
        const cJSON *arr = cJSON_GetObjectItemCaseSensitive(sit, names[k]);
        if (!arr)
            continue;
        if (!cJSON_IsArray(arr)) {
            snprintf(err, errcap, "%s situations.%s: must be an array", v->code, names[k]);
            return -1;
        }
        const cJSON *s;
        cJSON_ArrayForEach(s, arr)
        {
            struct token toks[CUE_WORDS_MAX + 1];
            char where[40];
            snprintf(where, sizeof(where), "situations.%s", names[k]);
            int n = cue_item(v, s, where, 1, toks, err, errcap);
            if (n < 0)
                return -1;
            if (add_cue(v, &v->sit[k], &v->n_sit[k], toks, n) < 0) {
                snprintf(err, errcap, "%s: out of memory", v->code);
                return -1;
            }
        }
    }
    return 0;
}

static int load_lexicon(struct vocab *v, const char *dir, char *err, size_t errcap)
{
    char path[1024], why[256];
    size_t len;
    if (!paths_join(path, sizeof(path), dir, "words.txt"))
        return 0;
    char *buf = buf_read_file(path, 8u << 20, &len, why, sizeof(why));
    if (!buf)
        return 0; /* optional */
    for (char *line = buf, *end; line < buf + len; line = end + 1) {
        end = memchr(line, '\n', (size_t)(buf + len - line));
        if (!end)
            end = buf + len;
        size_t n = (size_t)(end - line);
        if (n > 0 && n < TOKEN_MAX && strmap_set(v->lexicon, line, n, 1) < 0) {
            free(buf);
            snprintf(err, errcap, "%s: out of memory", v->code);
            return -1;
        }
    }
    free(buf);
    return 0;
}

/* locales/<lang>/bridge.txt (optional): "word<TAB>english" a line. */
static int load_bridge(struct vocab *v, const char *dir, char *err, size_t errcap)
{
    char path[1024], why[256];
    size_t len;
    if (!paths_join(path, sizeof(path), dir, "bridge.txt"))
        return 0;
    char *buf = buf_read_file(path, 4u << 20, &len, why, sizeof(why));
    if (!buf)
        return 0; /* optional */
    int cap = 0;
    for (size_t i = 0; i < len; i++)
        cap += buf[i] == '\n';
    v->bridge = strmap_new();
    v->bridge_to = malloc(sizeof(*v->bridge_to) * (size_t)(cap + 1));
    int rc = v->bridge && v->bridge_to ? 0 : -1;
    for (char *line = buf, *end; rc == 0 && line < buf + len; line = end + 1) {
        end = memchr(line, '\n', (size_t)(buf + len - line));
        if (!end)
            end = buf + len;
        char *tab = memchr(line, '\t', (size_t)(end - line));
        struct token from[2], to[2];
        if (!tab || v->n_bridge >= cap + 1 ||
            text_tokenise(line, (size_t)(tab - line), from, 2) != 1 ||
            text_tokenise(tab + 1, (size_t)(end - tab - 1), to, 2) != 1)
            continue;
        v->bridge_to[v->n_bridge] = to[0];
        rc = strmap_set(v->bridge, from[0].s, from[0].len, v->n_bridge++);
    }
    free(buf);
    if (rc < 0)
        snprintf(err, errcap, "%s: out of memory", v->code);
    return rc;
}

const struct token *vocab_bridge(const struct vocab *v, const struct token *t)
{
    int i = v->bridge ? strmap_get(v->bridge, t->s, t->len) : -1;
    return i >= 0 ? &v->bridge_to[i] : NULL;
}

static int build_index(struct vocab *v)
{
    v->first = malloc((size_t)(v->n_words + 1) * sizeof(int));
    v->next = malloc((size_t)(v->n_terms + 1) * sizeof(int));
    v->starts = calloc((size_t)v->n_words + 1, 1);
    if (!v->first || !v->next || !v->starts)
        return -1;
    for (int c = 0; c < v->n_negs; c++)
        v->starts[v->negs[c].words[0]] |= CUE_STARTS_NEG;
    for (int c = 0; c < v->n_breaks; c++)
        v->starts[v->breaks[c].words[0]] |= CUE_STARTS_BREAK;
    if (!(v->sit_first = malloc((size_t)(v->n_words + 1) * sizeof(int))))
        return -1;
    for (int i = 0; i < v->n_words; i++)
        v->sit_first[i] = -1;
    for (int k = 0; k < CUE_CLASSES; k++) {
        if (v->n_sit[k] >= SIT_STRIDE ||
            !(v->sit_next[k] = malloc((size_t)(v->n_sit[k] + 1) * sizeof(int))))
            return -1;
        for (int c = v->n_sit[k] - 1; c >= 0; c--) {
            int w = v->sit[k][c].words[0];
            v->starts[w] |= CUE_STARTS_SIT;
            v->sit_next[k][c] = v->sit_first[w];
            v->sit_first[w] = k * SIT_STRIDE + c;
        }
    }
    for (int i = 0; i < v->n_words; i++)
        v->first[i] = -1;
    for (int t = v->n_terms - 1; t >= 0; t--) {
        int w = v->terms[t].words[0];
        v->next[t] = v->first[w];
        v->first[w] = t;
    }
    return 0;
}

static int load_needs(struct vocab *v, const cJSON *root, const struct taxonomy *tax, char *err,
                      size_t errcap)
{
    const cJSON *needs = cJSON_GetObjectItemCaseSensitive(root, "needs");
    if (!cJSON_IsObject(needs)) {
        snprintf(err, errcap, "%s needs: missing or not an object", v->code);
        return -1;
    }
    int cap = 0;
    const cJSON *need;
    cJSON_ArrayForEach(need, needs)
    {
        int idx = needs_find(tax, need->string);
        if (idx < 0) {
            snprintf(err, errcap, "%s needs.%s: not a need in assets/needs.json", v->code,
                     need->string);
            return -1;
        }
        if (load_terms(v, need, idx, "terms", false, &cap, err, errcap) < 0 ||
            load_terms(v, need, idx, "weak", true, &cap, err, errcap) < 0)
            return -1;
    }
    return 0;
}

struct vocab *vocab_load(const char *locales_dir, const char *code, const struct taxonomy *tax,
                         char *err, size_t errcap)
{
    char dir[1024], path[1100];
    size_t len;
    cJSON *root = NULL;
    struct vocab *v = calloc(1, sizeof(*v));
    if (!v || !paths_join(dir, sizeof(dir), locales_dir, code) ||
        !paths_join(path, sizeof(path), dir, "needs.json")) {
        snprintf(err, errcap, "%s: out of memory or path too long", code);
        goto out_fail;
    }
    util_copy(v->code, sizeof(v->code), code);
    v->stemmer = sb_stemmer_new(code, NULL);
    v->mutations = strcmp(code, "cy") == 0;
    v->words = strmap_new();
    v->stop = strmap_new();
    v->lexicon = strmap_new();
    v->typo = typo_new();
    if (!v->words || !v->stop || !v->lexicon || !v->typo) {
        snprintf(err, errcap, "%s: out of memory", code);
        goto out_fail;
    }
    char *json = buf_read_file(path, 4u << 20, &len, err, errcap);
    if (!json)
        goto out_fail;
    root = cJSON_ParseWithLength(json, len);
    free(json);
    if (!cJSON_IsObject(root)) {
        snprintf(err, errcap, "%s: not a JSON object", path);
        goto out_fail;
    }
    if (load_needs(v, root, tax, err, errcap) < 0 || load_lists(v, root, err, errcap) < 0 ||
        load_situations(v, root, err, errcap) < 0 || load_lexicon(v, dir, err, errcap) < 0 ||
        load_bridge(v, dir, err, errcap) < 0)
        goto out_fail;
    if (build_index(v) < 0) {
        snprintf(err, errcap, "%s: out of memory", code);
        goto out_fail;
    }
    cJSON_Delete(root);
    return v;

out_fail:
    cJSON_Delete(root);
    vocab_free(v);
    return NULL;
}

void vocab_free(struct vocab *v)
{
    if (!v)
        return;
    if (v->stemmer)
        sb_stemmer_delete(v->stemmer);
    strmap_free(v->words);
    strmap_free(v->stop);
    strmap_free(v->lexicon);
    typo_free(v->typo);
    free(v->terms);
    free(v->first);
    free(v->next);
    free(v->negs);
    free(v->breaks);
    for (int k = 0; k < CUE_CLASSES; k++) {
        free(v->sit[k]);
        free(v->sit_next[k]);
    }
    free(v->sit_first);
    strmap_free(v->bridge);
    free(v->bridge_to);
    free(v->starts);
    free(v);
}

bool vocab_is_stop(const struct vocab *v, const struct token *t)
{
    return strmap_get(v->stop, t->s, t->len) >= 0;
}

bool vocab_is_lexicon(const struct vocab *v, const struct token *t)
{
    return strmap_get(v->lexicon, t->s, t->len) >= 0;
}

static bool all_digits(const struct token *t)
{
    for (int i = 0; i < t->len; i++)
        if (t->s[i] < '0' || t->s[i] > '9')
            return false;
    return true;
}

int vocab_resolve(const struct vocab *v, const struct token *t, int ids[WORD_ALTS])
{
    char key[TOKEN_MAX * 2];
    int n = 0;
    size_t kl = vocab_key(v, t->s, t->len, key, sizeof(key));
    int id = strmap_get(v->words, key, kl);
    if (id >= 0)
        ids[n++] = id;
    if (!v->mutations)
        return n;
    char rad[WELSH_RADICALS_MAX][TOKEN_MAX];
    int nr = welsh_radicals(t->s, t->len, rad, WELSH_RADICALS_MAX);
    for (int i = 0; i < nr && n < WORD_ALTS; i++) {
        kl = vocab_key(v, rad[i], strlen(rad[i]), key, sizeof(key));
        if ((id = strmap_get(v->words, key, kl)) >= 0 && (n == 0 || ids[0] != id)) {
            ids[n++] = id;
            break;
        }
    }
    return n;
}

int vocab_correct(const struct vocab *v, const struct token *t)
{
    size_t min = strmap_count(v->lexicon) > 0 ? 4 : 5;
    if (t->len < min || all_digits(t) || vocab_is_stop(v, t) || vocab_is_lexicon(v, t))
        return -1;
    return typo_lookup(v->typo, t->s, t->len, NULL);
}
