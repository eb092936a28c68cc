/* welsh.c — initial mutation rules of Welsh, run backwards for matching. */
#include "welsh.h"

#include <stdbool.h>
#include <string.h>

struct rule {
    const char *mutated; /* how the word starts after the mutation */
    const char *radical; /* what it started with before */
};

/* Most specific first: "ngh" before "ng" before "n". */
static const struct rule rules[] = {
    {"ngh", "c"}, /* nasal */
    {"mh", "p"},  /* nasal */
    {"nh", "t"},  /* nasal */
    {"ng", "g"},  /* nasal */
    {"ph", "p"},  /* aspirate */
    {"th", "t"},  /* aspirate (th is also a radical letter) */
    {"ch", "c"},  /* aspirate (ch is also a radical letter) */
    {"dd", "d"},  /* soft */
    {"f", "b"},   /* soft */
    {"f", "m"},   /* soft */
    {"b", "p"},   /* soft */
    {"d", "t"},   /* soft */
    {"g", "c"},   /* soft */
    {"l", "ll"},  /* soft */
    {"r", "rh"},  /* soft */
    {"m", "b"},   /* nasal */
    {"n", "d"},   /* nasal */
};

static bool is_vowel(char c)
{
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'w' || c == 'y';
}

static int add(char out[][TOKEN_MAX], int n, int max, const char *head, const char *rest,
               size_t rest_len)
{
    size_t hl = strlen(head);
    if (n >= max || hl + rest_len >= TOKEN_MAX)
        return n;
    memcpy(out[n], head, hl);
    memcpy(out[n] + hl, rest, rest_len);
    out[n][hl + rest_len] = '\0';
    return n + 1;
}

int welsh_radicals(const char *word, size_t len, char out[][TOKEN_MAX], int max)
{
    int n = 0;
    if (len < 2)
        return 0;
    for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
        size_t ml = strlen(rules[i].mutated);
        if (len > ml && strncmp(word, rules[i].mutated, ml) == 0)
            n = add(out, n, max, rules[i].radical, word + ml, len - ml);
    }
    /* h-prothesis: "ei hiaith" -> "iaith". */
    if (word[0] == 'h' && is_vowel(word[1]))
        n = add(out, n, max, "", word + 1, len - 1);
    /* Soft mutation drops an initial g: "waith" -> "gwaith", "ardd" -> "gardd",
     * "law" -> "glaw", "ras" -> "gras". */
    if (is_vowel(word[0]) || word[0] == 'l' || word[0] == 'r')
        n = add(out, n, max, "g", word, len);
    return n;
}
