/* text.c — NFKC + case folding with utf8proc (ASCII takes a fast path), then word splitting. */
#include "text.h"

#include <string.h>
#include <utf8proc.h>

enum { CP_MAX = 4096 }; /* NFKD + case fold + marks stripped: composing again is a no-op here */

struct tok_state {
    struct token *toks;
    int n, max;
    int cur;       /* length of the word being built, -1 when none */
    bool pend_brk; /* a clause mark was seen since the last word */
};

static void word_end(struct tok_state *st)
{
    if (st->cur > 0) {
        st->toks[st->n].s[st->cur] = '\0';
        st->toks[st->n].len = (unsigned char)st->cur;
        st->n++;
    }
    st->cur = -1;
}

static void word_add(struct tok_state *st, const char *bytes, int nb)
{
    if (st->n >= st->max)
        return;
    if (st->cur < 0) {
        st->cur = 0;
        st->toks[st->n].brk = st->pend_brk;
        st->pend_brk = false;
    }
    if (st->cur + nb < TOKEN_MAX) {
        memcpy(st->toks[st->n].s + st->cur, bytes, (size_t)nb);
        st->cur += nb;
    }
}

static bool is_apostrophe(int32_t c)
{
    return c == '\'' || c == 0x2019 || c == 0x2018 || c == 0x02BC || c == 0x0060;
}

static bool is_clause_mark(int32_t c)
{
    return c == '.' || c == ',' || c == ';' || c == ':' || c == '!' || c == '?' || c == '\n' ||
           c == 0x2026 || c == 0x3002;
}

/* Feeds one normalised code point into the word splitter. */
static void feed(struct tok_state *st, int32_t c)
{
    if (is_apostrophe(c))
        return; /* dropped inside and around words */
    utf8proc_category_t cat = utf8proc_category(c);
    bool wordch = (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) ||
                  (cat >= UTF8PROC_CATEGORY_MN && cat <= UTF8PROC_CATEGORY_ME) ||
                  (cat >= UTF8PROC_CATEGORY_ND && cat <= UTF8PROC_CATEGORY_NO);
    if (wordch) {
        utf8proc_uint8_t buf[4];
        utf8proc_ssize_t nb = utf8proc_encode_char(c, buf);
        word_add(st, (const char *)buf, (int)nb);
        return;
    }
    word_end(st);
    if (is_clause_mark(c))
        st->pend_brk = true;
}

static int tokenise_ascii(const char *text, size_t len, struct tok_state *st)
{
    for (size_t i = 0; i < len && st->n < st->max; i++) {
        char c = text[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        feed(st, (unsigned char)c);
    }
    word_end(st);
    return st->n;
}

int text_tokenise(const char *text, size_t len, struct token *toks, int max)
{
    struct tok_state st = {.toks = toks, .n = 0, .max = max, .cur = -1, .pend_brk = false};
    if (!text || max <= 0)
        return 0;
    bool ascii = true;
    for (size_t i = 0; i < len; i++) {
        if ((unsigned char)text[i] >= 0x80) {
            ascii = false;
            break;
        }
    }
    if (ascii)
        return tokenise_ascii(text, len, &st);

    /* Decode with invalid bytes as spaces, in chunks small enough for the stack buffer. */
    utf8proc_int32_t cps[CP_MAX];
    size_t pos = 0;
    while (pos < len && st.n < st.max) {
        utf8proc_ssize_t ncp = 0;
        /* Collect up to CP_MAX/4 code points: NFKC may expand each into a few. */
        utf8proc_int32_t raw[CP_MAX / 4];
        while (pos < len && ncp < (utf8proc_ssize_t)(CP_MAX / 4)) {
            utf8proc_int32_t c;
            utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)text + pos,
                                                  (utf8proc_ssize_t)(len - pos), &c);
            if (n <= 0 || !utf8proc_codepoint_valid(c) || c == 0) {
                c = ' ';
                n = 1;
            }
            raw[ncp++] = c;
            pos += (size_t)n;
            if (c == ' ' && ncp > (utf8proc_ssize_t)(CP_MAX / 4) - 8)
                break; /* cut chunks at spaces so words stay whole */
        }
        utf8proc_ssize_t out = 0;
        int last_bound = 0;
        for (utf8proc_ssize_t i = 0; i < ncp; i++) {
            utf8proc_ssize_t n = utf8proc_decompose_char(
                raw[i], cps + out, CP_MAX - out,
                UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK | UTF8PROC_DECOMPOSE,
                &last_bound);
            if (n < 0 || n > CP_MAX - out)
                break;
            out += n;
        }
        for (utf8proc_ssize_t i = 0; i < out; i++)
            feed(&st, cps[i]);
        word_end(&st);
    }
    word_end(&st);
    return st.n;
}

int text_normalise(const char *text, size_t len, char *out, size_t cap)
{
    struct token toks[TOKENS_MAX];
    int n = text_tokenise(text, len, toks, TOKENS_MAX);
    size_t w = 0;
    if (cap == 0)
        return n;
    out[0] = '\0';
    for (int i = 0; i < n; i++) {
        size_t need = toks[i].len + (i ? 1 : 0);
        if (w + need >= cap)
            break;
        if (i)
            out[w++] = ' ';
        memcpy(out + w, toks[i].s, toks[i].len);
        w += toks[i].len;
        out[w] = '\0';
    }
    return n;
}

size_t text_utf8_prefix(const char *s, size_t len)
{
    size_t pos = 0;
    while (pos < len) {
        utf8proc_int32_t c;
        utf8proc_ssize_t n =
            utf8proc_iterate((const utf8proc_uint8_t *)s + pos, (utf8proc_ssize_t)(len - pos), &c);
        if (n <= 0)
            break;
        pos += (size_t)n;
    }
    return pos;
}
