/* utf8.h — UTF-8 over utf8proc: validating, counting characters (code points), cutting at a
 * character boundary, and telling printable text from control characters. */
#ifndef PROTO_UTF8_H
#define PROTO_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/* True when len bytes at s are well-formed UTF-8 (no overlongs, surrogates or > U+10FFFF). */
bool utf8_valid(const char *s, size_t len);

/* Characters (code points) in len bytes of valid UTF-8 at s; a malformed byte counts as one. */
size_t utf8_chars(const char *s, size_t len);

/* Bytes of the longest prefix of s (len bytes of valid UTF-8) holding at most max_chars
 * characters and at most max_bytes bytes, ending on a character boundary. */
size_t utf8_cut(const char *s, size_t len, size_t max_chars, size_t max_bytes);

/* Cuts the NUL-terminated s in place as utf8_cut says. Returns true when it cut anything. */
bool utf8_truncate(char *s, size_t max_chars, size_t max_bytes);

/* True when s is printable text: valid UTF-8 without C0, DEL or C1 (U+0080..U+009F)
 * control characters; tab and newlines are allowed only when multiline is true. Single-line
 * text (names, desks, notes) also refuses the bidi embeddings, overrides and isolates
 * (U+202A..U+202E, U+2066..U+2069), which could reorder what sits beside it on a screen. */
bool text_clean(const char *s, bool multiline);

#endif
