/* typo.h — forgiving misspellings: bounded Damerau-Levenshtein against a word list, with a
 * deletion-neighbourhood index (SymSpell) so a lookup costs a few dozen hash probes. */
#ifndef HUB_TYPO_H
#define HUB_TYPO_H

#include <stddef.h>

struct typo_index;

/* A new empty index; NULL when out of memory. Free with typo_free(). */
struct typo_index *typo_new(void);
void typo_free(struct typo_index *t);

/* How many edits a word of len bytes may carry: 0 below 4, 1 from 4, 2 from 8. */
int typo_budget(size_t len);

/* Adds a correctly spelt word with the caller's id (>= 0). Words shorter than 4 bytes are
 * ignored (nothing is forgiven on them). Returns 0, or -1 when out of memory. */
int typo_add(struct typo_index *t, const char *word, size_t len, int id);

/* The id of the nearest word within the typed word's budget, or -1. On a tie the word with
 * the same first letter wins, then the one added first. *dist (may be NULL) gets the edits. */
int typo_lookup(const struct typo_index *t, const char *word, size_t len, int *dist);

/* Optimal-string-alignment distance (adjacent swaps count as one edit) between a and b, or
 * max + 1 as soon as it must exceed max. Words longer than 63 bytes count as too far. */
int typo_distance(const char *a, size_t al, const char *b, size_t bl, int max);

#endif
