/* typo.c — SymSpell-style deletion index over the vocabulary, verified by bounded OSA. */
#include "typo.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "strmap.h"

#define WORD_MAX 64

struct entry {
    int word; /* index into words */
    int next; /* next entry with the same deletion key, -1 ends */
};

struct typo_index {
    struct strmap *heads; /* deletion key -> first entry */
    struct entry *entries;
    int n_entries, cap_entries;
    char (*words)[WORD_MAX];
    int *ids;
    int n_words, cap_words;
};

struct typo_index *typo_new(void)
{
    struct typo_index *t = calloc(1, sizeof(*t));
    if (!t)
        return NULL;
    t->heads = strmap_new();
    if (!t->heads) {
        free(t);
        return NULL;
    }
    return t;
}

void typo_free(struct typo_index *t)
{
    if (!t)
        return;
    strmap_free(t->heads);
    free(t->entries);
    free(t->words);
    free(t->ids);
    free(t);
}

int typo_budget(size_t len)
{
    return len >= 8 ? 2 : len >= 4 ? 1 : 0;
}

static int push_entry(struct typo_index *t, const char *key, size_t len, int word)
{
    int head = strmap_get(t->heads, key, len);
    if (head >= 0 && t->entries[head].word == word)
        return 0; /* the same word reached this key by another deletion */
    if (t->n_entries == t->cap_entries) {
        int ncap = t->cap_entries ? t->cap_entries * 2 : 1024;
        struct entry *ne = realloc(t->entries, (size_t)ncap * sizeof(*ne));
        if (!ne)
            return -1;
        t->entries = ne;
        t->cap_entries = ncap;
    }
    t->entries[t->n_entries] = (struct entry){.word = word, .next = head};
    if (strmap_set(t->heads, key, len, t->n_entries) < 0)
        return -1;
    t->n_entries++;
    return 0;
}

/* Calls push_entry for s and every string reachable by up to depth deletions. */
static int add_deletes(struct typo_index *t, const char *s, size_t len, int depth, int word)
{
    if (push_entry(t, s, len, word) < 0)
        return -1;
    if (depth == 0 || len <= 1)
        return 0;
    char buf[WORD_MAX];
    for (size_t i = 0; i < len; i++) {
        memcpy(buf, s, i);
        memcpy(buf + i, s + i + 1, len - i - 1);
        if (add_deletes(t, buf, len - 1, depth - 1, word) < 0)
            return -1;
    }
    return 0;
}

int typo_add(struct typo_index *t, const char *word, size_t len, int id)
{
    if (!t || id < 0)
        return -1;
    if (len < 4 || len >= WORD_MAX)
        return 0;
    if (t->n_words == t->cap_words) {
        int ncap = t->cap_words ? t->cap_words * 2 : 256;
        char(*nw)[WORD_MAX] = realloc(t->words, (size_t)ncap * WORD_MAX);
        if (!nw)
            return -1;
        t->words = nw;
        int *ni = realloc(t->ids, (size_t)ncap * sizeof(*ni));
        if (!ni)
            return -1;
        t->ids = ni;
        t->cap_words = ncap;
    }
    int w = t->n_words;
    memcpy(t->words[w], word, len);
    t->words[w][len] = '\0';
    t->ids[w] = id;
    t->n_words++;
    /* A typed word of 8+ letters may be two edits from a stored word of 6+. */
    return add_deletes(t, word, len, len >= 6 ? 2 : 1, w);
}

int typo_distance(const char *a, size_t al, const char *b, size_t bl, int max)
{
    if (al >= WORD_MAX || bl >= WORD_MAX)
        return max + 1;
    int diff = al > bl ? (int)(al - bl) : (int)(bl - al);
    if (diff > max)
        return max + 1;
    int rows[3][WORD_MAX + 1]; /* i-2, i-1, i */
    for (size_t j = 0; j <= bl; j++)
        rows[1][j] = (int)j;
    for (size_t i = 1; i <= al; i++) {
        int *cur = rows[(i + 1) % 3], *prev = rows[i % 3], *prev2 = rows[(i + 2) % 3];
        /* rows rotate: prev is row i-1, prev2 row i-2 */
        cur[0] = (int)i;
        int best = cur[0];
        for (size_t j = 1; j <= bl; j++) {
            int cost = a[i - 1] == b[j - 1] ? 0 : 1;
            int v = prev[j] + 1;
            if (cur[j - 1] + 1 < v)
                v = cur[j - 1] + 1;
            if (prev[j - 1] + cost < v)
                v = prev[j - 1] + cost;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                prev2[j - 2] + 1 < v)
                v = prev2[j - 2] + 1;
            cur[j] = v;
            if (v < best)
                best = v;
        }
        if (best > max)
            return max + 1;
    }
    int d = rows[(al + 1) % 3][bl];
    return d > max ? max + 1 : d;
}

struct lookup {
    const struct typo_index *t;
    const char *word;
    size_t len;
    int budget;
    int best, best_dist;
};

static void consider(struct lookup *lk, const char *key, size_t klen)
{
    for (int e = strmap_get(lk->t->heads, key, klen); e >= 0; e = lk->t->entries[e].next) {
        int w = lk->t->entries[e].word;
        const char *cand = lk->t->words[w];
        int d = typo_distance(lk->word, lk->len, cand, strlen(cand), lk->budget);
        if (d > lk->budget)
            continue;
        bool better = lk->best < 0 || d < lk->best_dist;
        if (!better && d == lk->best_dist) {
            bool same_first = cand[0] == lk->word[0];
            bool best_same_first = lk->t->words[lk->best][0] == lk->word[0];
            better =
                (same_first && !best_same_first) || (same_first == best_same_first && w < lk->best);
        }
        if (better) {
            lk->best = w;
            lk->best_dist = d;
        }
    }
}

static void lookup_deletes(struct lookup *lk, const char *s, size_t len, int depth)
{
    consider(lk, s, len);
    if (depth == 0 || len <= 1)
        return;
    char buf[WORD_MAX];
    for (size_t i = 0; i < len; i++) {
        if (i > 0 && s[i] == s[i - 1])
            continue; /* deleting either of a doubled letter gives the same string */
        memcpy(buf, s, i);
        memcpy(buf + i, s + i + 1, len - i - 1);
        lookup_deletes(lk, buf, len - 1, depth - 1);
    }
}

int typo_lookup(const struct typo_index *t, const char *word, size_t len, int *dist)
{
    if (!t || !word || len >= WORD_MAX)
        return -1;
    struct lookup lk = {
        .t = t, .word = word, .len = len, .budget = typo_budget(len), .best = -1, .best_dist = 99};
    if (lk.budget == 0)
        return -1;
    lookup_deletes(&lk, word, len, lk.budget);
    if (lk.best < 0)
        return -1;
    if (dist)
        *dist = lk.best_dist;
    return t->ids[lk.best];
}
