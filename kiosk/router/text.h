/* text.h — normalisation and tokenising of what a resident typed, for matching only. */
#ifndef HUB_TEXT_H
#define HUB_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#define TOKEN_MAX  32  /* bytes of one token, NUL included; longer words are cut */
#define TOKENS_MAX 160 /* tokens of one utterance; the rest is ignored */

struct token {
    char s[TOKEN_MAX]; /* NFKC, case folded, marks stripped (ŵ -> w), apostrophes dropped */
    unsigned char len;
    bool brk; /* a sentence or clause mark (. , ; : ! ? newline) stood before this token */
};

/* Splits text (any bytes: invalid UTF-8 is treated as a space) into word tokens. Letters and
 * digits make words; apostrophes inside a word are dropped ("can't" -> "cant"); hyphens,
 * spaces and symbols split words. Returns the number of tokens written (<= max). */
int text_tokenise(const char *text, size_t len, struct token *toks, int max);

/* Normalises one word or phrase the same way into out (always NUL-terminated): words
 * separated by single spaces. Returns the number of tokens. */
int text_normalise(const char *text, size_t len, char *out, size_t cap);

/* Bytes of the longest prefix of s (at most len) that is valid UTF-8 ending on a character
 * boundary: where a text cap may cut. */
size_t text_utf8_prefix(const char *s, size_t len);

#endif
