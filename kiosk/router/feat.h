/* feat.h — what the router's learned model sees of an utterance: hashed words, the
 * radical forms of Welsh words, word pairs and character n-grams of the router's own tokens. */
#ifndef HUB_FEAT_H
#define HUB_FEAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "text.h"

#define FEAT_MAX 4096 /* features of one utterance; a longer text keeps its first ones */

struct feat {
    uint32_t id; /* 32-bit hash of the feature's kind and text */
    float v;     /* weight; the vector of one utterance has unit length */
};

/* Extracts the features of n tokens (from text_tokenise) into out (room for max): unique ids
 * (never 0), in the order first seen, each of value 1/sqrt(count). Returns how many were
 * written (0..max). */
int feat_extract(const struct token *toks, int n, struct feat *out, int max);

/* The same for raw text: tokenises it first. */
int feat_extract_text(const char *text, size_t len, struct feat *out, int max);

/* Appends one named feature of value 1 ("first:" + need id, say): what the vocabulary found,
 * given to the model so that it learns how far to trust it. Returns the new count (unchanged
 * when n is already max). */
int feat_named(struct feat *out, int n, int max, const char *kind, const char *name);

enum feat_split { SPLIT_TEST, SPLIT_VAL, SPLIT_TRAIN };

/* The split an utterance belongs to, by a hash of the text's bytes: one in five is the
 * held-out test split, which route-train never trains on and route-eval --split test measures
 * on; one in five is the validation split, which route-train --hold-val also leaves out so that
 * the router's choices can be tuned on it; the rest is train. */
enum feat_split feat_split_of(const char *text, size_t len);

#endif
