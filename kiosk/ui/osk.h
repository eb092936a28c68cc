/* osk.h — the on-screen keyboard model: QWERTY with Welsh circumflexes (â ê î ô û ŵ ŷ) through
 * an accent key, capitals, numbers and punctuation. No drawing: layout places the keys. */
#ifndef HUB_OSK_H
#define HUB_OSK_H

#include <stdbool.h>
#include <stddef.h>

#define OSK_ROWS  4
#define OSK_COLS  12
#define OSK_WIDTH 10 /* every row adds up to this many key units */

enum osk_kind { OSK_CHAR, OSK_SHIFT, OSK_ACCENT, OSK_DELETE, OSK_SPACE, OSK_LAYER };
enum osk_layer { OSK_LETTERS, OSK_SYMBOLS };
enum osk_out { OSK_OUT_NONE, OSK_OUT_TEXT, OSK_OUT_DELETE };

struct osk {
    enum osk_layer layer;
    bool shift;  /* one capital, then back to small letters */
    bool accent; /* the next vowel, w or y gets a circumflex */
};

struct osk_key_view {
    enum osk_kind kind;
    char label[16];        /* what the key shows, UTF-8; "" when label_key is used */
    const char *label_key; /* i18n key for words on the key ("osk.space"), or NULL */
    float units;           /* width in key units */
    bool on;               /* a modifier that is on */
    char id[24];           /* stable widget id, e.g. "key-a", "key-space" */
};

void osk_reset(struct osk *k);

/* Number of keys in row (0 when row is out of range). */
int osk_row_len(const struct osk *k, int row);

/* Describes the key at row, col as it looks now. 0, or -1 when out of range. */
int osk_key(const struct osk *k, int row, int col, struct osk_key_view *out);

/* Presses a key: updates shift/accent/layer and, for a character or space, writes its UTF-8
 * into out (cap bytes, terminated). Returns what the field should do. */
enum osk_out osk_press(struct osk *k, int row, int col, char *out, size_t cap);

/* Packs/unpacks a key position into one int for widget actions. */
int osk_pack(int row, int col);
void osk_unpack(int packed, int *row, int *col);

#endif
