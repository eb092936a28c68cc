/* feat.c — hashed word, radical, word-pair and character n-gram features for the model. */
#include "feat.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "welsh.h"

#define NGRAM_MIN 3
#define NGRAM_MAX 4
#define FNV_BASIS 2166136261u
#define FNV_PRIME 16777619u

static uint32_t fnv(uint32_t h, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= FNV_PRIME;
    }
    return h;
}

static uint32_t hash_kind(char kind, const char *s, size_t len)
{
    uint32_t h = fnv(FNV_BASIS, &kind, 1);
    return fnv(h, s, len);
}

struct sink {
    uint32_t *ids;
    int n, max;
};

static void put(struct sink *k, uint32_t id)
{
    if (k->n < k->max)
        k->ids[k->n++] = id;
}

/* Character n-grams of the word with its edges marked: "<rent>" gives "<re", "ren", … */
static void put_ngrams(struct sink *k, const struct token *t)
{
    char buf[TOKEN_MAX + 2];
    size_t len = t->len;
    buf[0] = '<';
    memcpy(buf + 1, t->s, len);
    buf[len + 1] = '>';
    len += 2;
    for (size_t n = NGRAM_MIN; n <= NGRAM_MAX; n++)
        for (size_t i = 0; i + n <= len; i++) {
            /* Never start or end an n-gram inside a UTF-8 sequence. */
            if ((buf[i] & 0xC0) == 0x80 || (i + n < len && (buf[i + n] & 0xC0) == 0x80))
                continue;
            put(k, hash_kind('c', buf + i, n));
        }
}

static void put_radicals(struct sink *k, const struct token *t)
{
    char rad[WELSH_RADICALS_MAX][TOKEN_MAX];
    put(k, hash_kind('r', t->s, t->len));
    int n = welsh_radicals(t->s, t->len, rad, WELSH_RADICALS_MAX);
    for (int i = 0; i < n; i++)
        put(k, hash_kind('r', rad[i], strlen(rad[i])));
}

static void put_pair(struct sink *k, char kind, const struct token *a, const struct token *b)
{
    char buf[2 * TOKEN_MAX + 1];
    memcpy(buf, a->s, a->len);
    buf[a->len] = ' ';
    memcpy(buf + a->len + 1, b->s, b->len);
    put(k, hash_kind(kind, buf, (size_t)a->len + 1 + b->len));
}

#define SET_SLOTS 8192 /* a power of two, twice FEAT_MAX */

/* Appends the ids of ids[0..n) not yet in set (slots of it) to out from *u, each of value
 * 1/sqrt(how many this group added): every group weighs the same, however many it has. */
static void add_group(const uint32_t *ids, int n, uint32_t *set, uint32_t slots, struct feat *out,
                      int *u)
{
    int first = *u;
    for (int i = 0; i < n; i++) {
        uint32_t id = ids[i] ? ids[i] : 1;
        uint32_t j = (id * 2654435761u) & (slots - 1);
        while (set[j] && set[j] != id)
            j = (j + 1) & (slots - 1);
        if (set[j])
            continue;
        set[j] = id;
        out[(*u)++].id = id;
    }
    float v = *u > first ? 1.0f / sqrtf((float)(*u - first)) : 0;
    for (int i = first; i < *u; i++)
        out[i].v = v;
}

int feat_extract(const struct token *toks, int n, struct feat *out, int max)
{
    uint32_t ids[FEAT_MAX];
    struct sink k = {ids, 0, max < FEAT_MAX ? max : FEAT_MAX};
    if (!toks || !out || max <= 0)
        return 0;
    /* Two groups: words (as typed, radical forms, pairs, pairs one word apart), then
     * character n-grams. */
    for (int i = 0; i < n; i++) {
        const struct token *t = &toks[i];
        put(&k, hash_kind('w', t->s, t->len));
        put_radicals(&k, t);
        if (i + 1 < n)
            put_pair(&k, 'b', t, &toks[i + 1]);
        if (i + 2 < n)
            put_pair(&k, 's', t, &toks[i + 2]);
    }
    int n_words = k.n;
    for (int i = 0; i < n; i++)
        put_ngrams(&k, &toks[i]);
    /* Unique ids, in the order first seen (a hash set at most half full, only as large as
     * this utterance needs; 0 marks an empty slot). */
    uint32_t set[SET_SLOTS];
    uint32_t slots = 64;
    while (slots < 2u * (uint32_t)k.n)
        slots *= 2;
    memset(set, 0, sizeof(set[0]) * slots);
    int u = 0;
    add_group(ids, n_words, set, slots, out, &u);
    add_group(ids + n_words, k.n - n_words, set, slots, out, &u);
    return u;
}

int feat_extract_text(const char *text, size_t len, struct feat *out, int max)
{
    struct token *toks = malloc(sizeof(*toks) * TOKENS_MAX);
    if (!toks)
        return 0;
    int n = text_tokenise(text, len, toks, TOKENS_MAX);
    int r = feat_extract(toks, n, out, max);
    free(toks);
    return r;
}

int feat_named(struct feat *out, int n, int max, const char *kind, const char *name)
{
    if (n >= max)
        return n;
    uint32_t h = hash_kind('L', kind, strlen(kind));
    out[n].id = fnv(h, name, strlen(name));
    out[n].v = 1.0f;
    return n + 1;
}

enum feat_split feat_split_of(const char *text, size_t len)
{
    uint32_t h = fnv(FNV_BASIS, text ? text : "", text ? len : 0) % 5;
    return h == 0 ? SPLIT_TEST : h == 1 ? SPLIT_VAL : SPLIT_TRAIN;
}
