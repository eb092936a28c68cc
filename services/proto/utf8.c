/* utf8.c — UTF-8 helpers over utf8proc's decoder. */
#include "proto/utf8.h"

#include <string.h>
#include <utf8proc.h>

/* Decodes one character at s (left bytes); its length, or -1 when malformed. */
static long next_char(const char *s, size_t left, int *cp)
{
    utf8proc_int32_t c;
    utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)left, &c);
    if (n <= 0 || c < 0)
        return -1;
    *cp = c;
    return (long)n;
}

bool utf8_valid(const char *s, size_t len)
{
    size_t i = 0;
    int cp;
    while (i < len) {
        long n = next_char(s + i, len - i, &cp);
        if (n < 0)
            return false;
        i += (size_t)n;
    }
    return true;
}

size_t utf8_chars(const char *s, size_t len)
{
    size_t i = 0, chars = 0;
    int cp;
    while (i < len) {
        long n = next_char(s + i, len - i, &cp);
        i += n > 0 ? (size_t)n : 1;
        chars++;
    }
    return chars;
}

size_t utf8_cut(const char *s, size_t len, size_t max_chars, size_t max_bytes)
{
    size_t i = 0, chars = 0;
    int cp;
    while (i < len && chars < max_chars) {
        long n = next_char(s + i, len - i, &cp);
        if (n < 0 || i + (size_t)n > max_bytes)
            break;
        i += (size_t)n;
        chars++;
    }
    return i;
}

bool utf8_truncate(char *s, size_t max_chars, size_t max_bytes)
{
    size_t len = strlen(s);
    size_t keep = utf8_cut(s, len, max_chars, max_bytes);
    s[keep] = '\0';
    return keep < len;
}

static bool is_bidi_control(int cp)
{
    return (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

bool text_clean(const char *s, bool multiline)
{
    size_t len = strlen(s), i = 0;
    int cp;
    while (i < len) {
        long n = next_char(s + i, len - i, &cp);
        if (n < 0)
            return false;
        bool layout = cp == '\n' || cp == '\r' || cp == '\t';
        if ((cp < 0x20 && !(multiline && layout)) || (cp >= 0x7f && cp <= 0x9f))
            return false;
        if (!multiline && is_bidi_control(cp))
            return false;
        i += (size_t)n;
    }
    return true;
}
