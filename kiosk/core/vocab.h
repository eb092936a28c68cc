/* vocab.h — one language's vocabulary (locales/<lang>/needs.json) compiled for matching. */
#ifndef HUB_VOCAB_H
#define HUB_VOCAB_H

#include <stdbool.h>
#include <stddef.h>

#include "needs.h"
#include "text.h"

#define TERM_WORDS_MAX 8
#define CUE_WORDS_MAX  6

struct term {
    int need;
    float weight;
    bool weak;
    unsigned char n;
    int words[TERM_WORDS_MAX]; /* word ids */
};

struct cue {
    unsigned char n;
    int words[CUE_WORDS_MAX];
};

struct vocab {
    char code[8];
    struct sb_stemmer *stemmer; /* NULL when Snowball has no stemmer for the language */
    bool mutations;             /* Welsh initial mutations are undone */
    struct strmap *words;       /* word key (stem or folded form) -> word id */
    int n_words;
    struct strmap *stop;    /* stopwords, folded surface form */
    struct strmap *lexicon; /* real words of the language (words.txt), may be empty */
    struct typo_index *typo;
    struct term *terms;
    int n_terms;
    int *first; /* per word id: first term starting with it, -1 none */
    int *next;  /* per term: next term with the same first word */
    struct cue *cues;
    int n_cues;
    unsigned char *is_break; /* per word id */
};

/* Loads locales_dir/<code>/needs.json (and words.txt when present) against the taxonomy.
 * Returns NULL with a one-line reason in err. Free with vocab_free(). */
struct vocab *vocab_load(const char *locales_dir, const char *code, const struct taxonomy *tax,
                         char *err, size_t errcap);

void vocab_free(struct vocab *v);

/* Writes the matching key of a folded word (its stem, or the word) into key; returns its
 * length. */
size_t vocab_key(const struct vocab *v, const char *word, size_t len, char *key, size_t cap);

/* The word id of a typed token in this language, or -1. *exact is set when it was found
 * without spelling correction. typo: allow spelling correction. */
int vocab_resolve(const struct vocab *v, const struct token *t, bool typo, bool *exact);

bool vocab_is_stop(const struct vocab *v, const struct token *t);
bool vocab_is_lexicon(const struct vocab *v, const struct token *t);

#endif
