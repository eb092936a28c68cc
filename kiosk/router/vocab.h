/* vocab.h — one language's vocabulary (locales/<lang>/needs.json) compiled for matching. */
#ifndef HUB_VOCAB_H
#define HUB_VOCAB_H

#include <stdbool.h>
#include <stddef.h>

#include "proto/taxonomy.h"
#include "text.h"

#define TERM_WORDS_MAX 8
#define CUE_WORDS_MAX  6
#define WORD_ALTS      2 /* a typed word may stand for itself and for its radical form */

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

/* Situation cues ("situations" in needs.json): the words that let the router see urgency said by
 * circumstance (a necessity gone now while someone vulnerable depends on it) and time that moves
 * a need away from now. */
enum cue_class { CUE_NECESSITY, CUE_GONE, CUE_VULNERABLE, CUE_LATER, CUE_NOW, CUE_CLASSES };

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
    int *first;       /* per word id: first term starting with it, -1 none */
    int *next;        /* per term: next term with the same first word */
    struct cue *negs; /* negation cues: open a scope */
    int n_negs;
    struct cue *breaks; /* scope breaks: close it */
    int n_breaks;
    struct cue *sit[CUE_CLASSES]; /* situation cues by class */
    int n_sit[CUE_CLASSES];
    int *sit_first; /* per word id: first situation cue starting with it (class * SIT_STRIDE +
                       index), -1 none */
    int *sit_next[CUE_CLASSES]; /* per cue: the next one starting with the same word */
    unsigned char *starts;      /* per word id: CUE_STARTS_NEG, _BREAK, _SIT */
    struct strmap *bridge;      /* bridge.txt: a word this vocabulary lacks -> index in bridge_to */
    struct token *bridge_to;    /* its English word, normalised */
    int n_bridge;
};

#define CUE_STARTS_NEG   1
#define CUE_STARTS_BREAK 2
#define CUE_STARTS_SIT   4
#define SIT_STRIDE       (1 << 16) /* cue ids: class * SIT_STRIDE + index in its class */

/* Loads locales_dir/<code>/needs.json (and words.txt when present) against the taxonomy.
 * Returns NULL with a one-line reason in err. Free with vocab_free(). */
struct vocab *vocab_load(const char *locales_dir, const char *code, const struct taxonomy *tax,
                         char *err, size_t errcap);

void vocab_free(struct vocab *v);

/* Writes the matching key of a folded word (its stem, or the word) into key; returns its
 * length. */
size_t vocab_key(const struct vocab *v, const char *word, size_t len, char *key, size_t cap);

/* The word ids a typed token stands for in this language, without spelling correction: the
 * word as typed and, for Welsh, the first radical form (mutation undone) that is a vocabulary
 * word ("ddyledion" is both itself and "dyledion"). Writes up to
 * WORD_ALTS distinct ids into ids and returns how many. */
int vocab_resolve(const struct vocab *v, const struct token *t, int ids[WORD_ALTS]);

/* The vocabulary word a misspelt token most likely is, or -1. Only tokens of 4+ letters (5+
 * in a language without a word list) that are not stopwords, real words or numbers. */
int vocab_correct(const struct vocab *v, const struct token *t);

/* The English word a word of this language stands for when this vocabulary lacks it
 * (locales/<lang>/bridge.txt, from a bilingual dictionary), or NULL. */
const struct token *vocab_bridge(const struct vocab *v, const struct token *t);

bool vocab_is_stop(const struct vocab *v, const struct token *t);
bool vocab_is_lexicon(const struct vocab *v, const struct token *t);

#endif
