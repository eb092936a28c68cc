/* strmap.c — open addressing with linear probing; keys live in one growing arena. */
#include "strmap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct slot {
    uint32_t hash;
    uint32_t len;
    size_t off; /* key offset in the arena */
    int value;  /* -1 = empty */
};

struct strmap {
    struct slot *slots;
    size_t cap; /* power of two */
    int count;
    char *arena;
    size_t arena_len, arena_cap;
};

static uint32_t hash_bytes(const char *s, size_t len)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 16777619u;
    }
    return h;
}

struct strmap *strmap_new(void)
{
    struct strmap *m = calloc(1, sizeof(*m));
    if (!m)
        return NULL;
    m->cap = 64;
    m->slots = malloc(m->cap * sizeof(*m->slots));
    if (!m->slots) {
        free(m);
        return NULL;
    }
    for (size_t i = 0; i < m->cap; i++)
        m->slots[i].value = -1;
    return m;
}

void strmap_free(struct strmap *m)
{
    if (!m)
        return;
    free(m->slots);
    free(m->arena);
    free(m);
}

static struct slot *find(const struct strmap *m, const char *key, size_t len, uint32_t h)
{
    size_t mask = m->cap - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        struct slot *s = &m->slots[i];
        if (s->value < 0)
            return s;
        if (s->hash == h && s->len == len && memcmp(m->arena + s->off, key, len) == 0)
            return s;
    }
}

int strmap_get(const struct strmap *m, const char *key, size_t len)
{
    if (!m)
        return -1;
    return find(m, key, len, hash_bytes(key, len))->value;
}

static int grow(struct strmap *m)
{
    size_t ncap = m->cap * 2;
    struct slot *old = m->slots;
    size_t ocap = m->cap;
    struct slot *ns = malloc(ncap * sizeof(*ns));
    if (!ns)
        return -1;
    for (size_t i = 0; i < ncap; i++)
        ns[i].value = -1;
    m->slots = ns;
    m->cap = ncap;
    for (size_t i = 0; i < ocap; i++) {
        if (old[i].value < 0)
            continue;
        size_t mask = ncap - 1, j = old[i].hash & mask;
        while (ns[j].value >= 0)
            j = (j + 1) & mask;
        ns[j] = old[i];
    }
    free(old);
    return 0;
}

int strmap_set(struct strmap *m, const char *key, size_t len, int value)
{
    if (!m || value < 0)
        return -1;
    uint32_t h = hash_bytes(key, len);
    struct slot *s = find(m, key, len, h);
    if (s->value >= 0) {
        s->value = value;
        return 0;
    }
    if ((size_t)(m->count + 1) * 4 > m->cap * 3) {
        if (grow(m) < 0)
            return -1;
        s = find(m, key, len, h);
    }
    if (m->arena_len + len > m->arena_cap) {
        size_t ncap = m->arena_cap ? m->arena_cap * 2 : 4096;
        while (ncap < m->arena_len + len)
            ncap *= 2;
        char *na = realloc(m->arena, ncap);
        if (!na)
            return -1;
        m->arena = na;
        m->arena_cap = ncap;
    }
    memcpy(m->arena + m->arena_len, key, len);
    s->off = m->arena_len;
    s->len = (uint32_t)len;
    s->hash = h;
    s->value = value;
    m->arena_len += len;
    m->count++;
    return 0;
}

int strmap_count(const struct strmap *m)
{
    return m ? m->count : 0;
}
