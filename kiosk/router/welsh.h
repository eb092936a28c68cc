/* welsh.h — undoing Welsh initial mutations so a mutated word matches its radical form. */
#ifndef HUB_WELSH_H
#define HUB_WELSH_H

#include <stddef.h>

#include "text.h"

#define WELSH_RADICALS_MAX 6

/* Writes the possible radical (unmutated) forms of a folded, lower-case word into out,
 * most specific first, not including the word itself: soft ("fudd" -> "budd", "ardd" ->
 * "gardd"), nasal ("nhy" -> "ty", "ngha" -> "ca") and aspirate ("phen" -> "pen") mutations
 * and h-prothesis ("hiaith" -> "iaith"). Returns how many were written (0..max). */
int welsh_radicals(const char *word, size_t len, char out[][TOKEN_MAX], int max);

#endif
