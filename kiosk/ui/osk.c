/* osk.c — on-screen keyboard: rows, modifiers and the Welsh circumflex accent key. */
#include "osk.h"

#include <stdio.h>
#include <string.h>

struct keydef {
    enum osk_kind kind;
    const char *lower, *upper;
    float units;
};

#define K(l, u)                                                                                    \
    {                                                                                              \
        OSK_CHAR, l, u, 1.0f                                                                       \
    }
#define END                                                                                        \
    {                                                                                              \
        OSK_CHAR, NULL, NULL, 0                                                                    \
    }

static const struct keydef letters[OSK_ROWS][OSK_COLS] = {
    {K("q", "Q"), K("w", "W"), K("e", "E"), K("r", "R"), K("t", "T"), K("y", "Y"), K("u", "U"),
     K("i", "I"), K("o", "O"), K("p", "P"), END},
    {K("a", "A"), K("s", "S"), K("d", "D"), K("f", "F"), K("g", "G"), K("h", "H"), K("j", "J"),
     K("k", "K"), K("l", "L"), K("'", "'"), END},
    {{OSK_SHIFT, NULL, NULL, 1.5f},
     K("z", "Z"),
     K("x", "X"),
     K("c", "C"),
     K("v", "V"),
     K("b", "B"),
     K("n", "N"),
     K("m", "M"),
     {OSK_DELETE, NULL, NULL, 1.5f},
     END},
    {{OSK_LAYER, NULL, NULL, 1.5f},
     {OSK_ACCENT, NULL, NULL, 1.5f},
     {OSK_SPACE, " ", " ", 5.0f},
     K(",", ","),
     K(".", "."),
     END},
};

static const struct keydef symbols[OSK_ROWS][OSK_COLS] = {
    {K("1", "1"), K("2", "2"), K("3", "3"), K("4", "4"), K("5", "5"), K("6", "6"), K("7", "7"),
     K("8", "8"), K("9", "9"), K("0", "0"), END},
    {K("-", "-"), K("/", "/"), K(":", ":"), K(";", ";"), K("(", "("), K(")", ")"), K("£", "£"),
     K("&", "&"), K("@", "@"), K("\"", "\""), END},
    {K("?", "?"),
     K("!", "!"),
     K("%", "%"),
     K("+", "+"),
     K("=", "="),
     K("#", "#"),
     K("*", "*"),
     {OSK_DELETE, NULL, NULL, 3.0f},
     END},
    {{OSK_LAYER, NULL, NULL, 1.5f},
     {OSK_ACCENT, NULL, NULL, 1.5f},
     {OSK_SPACE, " ", " ", 5.0f},
     K(",", ","),
     K(".", "."),
     END},
};

/* The circumflexed form of a letter, or NULL. */
static const char *circumflex(const char *c)
{
    static const char *const map[][2] = {
        {"a", "â"}, {"e", "ê"}, {"i", "î"}, {"o", "ô"}, {"u", "û"}, {"w", "ŵ"}, {"y", "ŷ"},
        {"A", "Â"}, {"E", "Ê"}, {"I", "Î"}, {"O", "Ô"}, {"U", "Û"}, {"W", "Ŵ"}, {"Y", "Ŷ"},
    };
    for (size_t i = 0; c && i < sizeof(map) / sizeof(map[0]); i++)
        if (strcmp(c, map[i][0]) == 0)
            return map[i][1];
    return NULL;
}

void osk_reset(struct osk *k)
{
    memset(k, 0, sizeof(*k));
}

static const struct keydef *keyat(const struct osk *k, int row, int col)
{
    if (row < 0 || row >= OSK_ROWS || col < 0 || col >= OSK_COLS)
        return NULL;
    const struct keydef *d = k->layer == OSK_SYMBOLS ? &symbols[row][col] : &letters[row][col];
    return d->units > 0 ? d : NULL;
}

int osk_row_len(const struct osk *k, int row)
{
    int n = 0;
    while (keyat(k, row, n))
        n++;
    return n;
}

/* What a character key types now. */
static const char *key_char(const struct osk *k, const struct keydef *d)
{
    const char *c = k->shift ? d->upper : d->lower;
    const char *circ = k->accent ? circumflex(c) : NULL;
    return circ ? circ : c;
}

int osk_key(const struct osk *k, int row, int col, struct osk_key_view *out)
{
    const struct keydef *d = keyat(k, row, col);
    if (!d || !out)
        return -1;
    memset(out, 0, sizeof(*out));
    out->kind = d->kind;
    out->units = d->units;
    switch (d->kind) {
    case OSK_CHAR:
        snprintf(out->label, sizeof(out->label), "%s", key_char(k, d));
        snprintf(out->id, sizeof(out->id), "key-%s", d->lower);
        if (strcmp(d->lower, ".") == 0)
            snprintf(out->id, sizeof(out->id), "key-stop");
        else if (strcmp(d->lower, ",") == 0)
            snprintf(out->id, sizeof(out->id), "key-comma");
        else if (strcmp(d->lower, "'") == 0)
            snprintf(out->id, sizeof(out->id), "key-apostrophe");
        break;
    case OSK_SHIFT:
        out->label_key = "osk.shift";
        out->on = k->shift;
        snprintf(out->id, sizeof(out->id), "key-shift");
        break;
    case OSK_ACCENT:
        out->label_key = "osk.accent";
        out->on = k->accent;
        snprintf(out->id, sizeof(out->id), "key-accent");
        break;
    case OSK_DELETE:
        out->label_key = "osk.delete";
        snprintf(out->id, sizeof(out->id), "key-delete");
        break;
    case OSK_SPACE:
        out->label_key = "osk.space";
        snprintf(out->id, sizeof(out->id), "key-space");
        break;
    case OSK_LAYER:
        out->label_key = k->layer == OSK_LETTERS ? "osk.numbers" : "osk.letters";
        snprintf(out->id, sizeof(out->id), "key-layer");
        break;
    }
    return 0;
}

enum osk_out osk_press(struct osk *k, int row, int col, char *out, size_t cap)
{
    const struct keydef *d = keyat(k, row, col);
    if (out && cap)
        out[0] = '\0';
    if (!d)
        return OSK_OUT_NONE;
    switch (d->kind) {
    case OSK_SHIFT:
        k->shift = !k->shift;
        return OSK_OUT_NONE;
    case OSK_ACCENT:
        k->accent = !k->accent;
        return OSK_OUT_NONE;
    case OSK_LAYER:
        k->layer = k->layer == OSK_LETTERS ? OSK_SYMBOLS : OSK_LETTERS;
        k->shift = false;
        return OSK_OUT_NONE;
    case OSK_DELETE:
        return OSK_OUT_DELETE;
    case OSK_SPACE:
        snprintf(out, cap, " ");
        k->accent = false;
        return OSK_OUT_TEXT;
    case OSK_CHAR:
        snprintf(out, cap, "%s", key_char(k, d));
        k->shift = false;
        k->accent = false;
        return OSK_OUT_TEXT;
    }
    return OSK_OUT_NONE;
}

int osk_pack(int row, int col)
{
    return row * OSK_COLS + col;
}

void osk_unpack(int packed, int *row, int *col)
{
    *row = packed / OSK_COLS;
    *col = packed % OSK_COLS;
}
