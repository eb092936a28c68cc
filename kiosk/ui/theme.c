/* theme.c — calm and high-contrast palettes; WCAG contrast computed, not assumed. */
#include "theme.h"

#include <math.h>
#include <stddef.h>

#define C(hex)                                                                                     \
    {                                                                                              \
        (uint8_t)((hex) >> 16), (uint8_t)((hex) >> 8), (uint8_t)(hex)                              \
    }
#define S(bg, fg, border, pressed, has)                                                            \
    {                                                                                              \
        C(bg), C(fg), C(border), C(pressed), has                                                   \
    }

/* Warm paper, deep slate text, deep teal actions; urgent is a calm blue, never alarm red. Help now
 * is a deep burnt orange: it stands out from everything else on the screen (5.9:1 against the
 * paper) without the siren red of the notice to staff. */
static const struct theme calm = {
    "calm",
    C(0xF7F3EC),
    C(0x1F6B66),
    C(0x1E2B2F),
    {
        [ST_SCREEN] = S(0xF7F3EC, 0x1E2B2F, 0xF7F3EC, 0xEAE3D6, false),
        [ST_MUTED] = S(0xF7F3EC, 0x4A5559, 0xF7F3EC, 0xEAE3D6, false),
        [ST_TOPBAR] = S(0xEDE5D8, 0x1E2B2F, 0xEDE5D8, 0xE0D6C6, false),
        [ST_TOPBAR_BTN] = S(0xFFFFFF, 0x1E2B2F, 0xC9BCA6, 0xE3D9C8, true),
        [ST_PRIMARY] = S(0x1F6B66, 0xFFFFFF, 0x1F6B66, 0x144A46, false),
        [ST_SECONDARY] = S(0xFFFFFF, 0x1E2B2F, 0x9E917C, 0xE3D9C8, true),
        [ST_QUIET] = S(0xF7F3EC, 0x17524E, 0x1F6B66, 0xE4ECE6, true),
        [ST_CHIP] = S(0xFFFFFF, 0x4A5559, 0xB9AE9B, 0xE3D9C8, true),
        [ST_CHIP_ON] = S(0xD6EDE8, 0x123F3C, 0x1F6B66, 0xBFE0D8, true),
        [ST_FIELD] = S(0xFFFFFF, 0x1E2B2F, 0x6F7F7C, 0xFFFFFF, true),
        [ST_PLACEHOLDER] = S(0xFFFFFF, 0x5B6669, 0x6F7F7C, 0xFFFFFF, true),
        [ST_KEY] = S(0xFFFFFF, 0x1E2B2F, 0xD2C8B6, 0xCFE7E1, true),
        [ST_KEY_MOD] = S(0xE9E1D3, 0x1E2B2F, 0xD2C8B6, 0xCFE7E1, true),
        [ST_KEY_ON] = S(0x1F6B66, 0xFFFFFF, 0x1F6B66, 0x144A46, false),
        [ST_TILE] = S(0xFFFFFF, 0x1E2B2F, 0xD2C8B6, 0xDCEEEA, true),
        [ST_CARD] = S(0xFFFFFF, 0x1E2B2F, 0xE3DACB, 0xFFFFFF, true),
        [ST_CARD_MUTED] = S(0xFFFFFF, 0x4A5559, 0xE3DACB, 0xFFFFFF, true),
        [ST_URGENT] = S(0xE6EEF8, 0x172A4A, 0x9FB5D3, 0xD3E0F1, true),
        [ST_TICKET] = S(0x1E2B2F, 0xFDF8EF, 0x1E2B2F, 0x1E2B2F, false),
        [ST_OVERLAY] = S(0xFFFFFF, 0x1E2B2F, 0x1F6B66, 0xFFFFFF, true),
        [ST_STAFF_ALERT] = S(0x9A1C1C, 0xFFFFFF, 0x9A1C1C, 0x7A1414, false),
        [ST_HELP_NOW] = S(0xA63A0A, 0xFFFFFF, 0xA63A0A, 0x7A2A06, false),
        [ST_URGENT_TILE] = S(0xFBE7E0, 0x7A1E0E, 0xA63A0A, 0xF6D3C6, true),
        [ST_TOGGLE_ON] = S(0x1F6B66, 0xFFFFFF, 0x123F3C, 0x144A46, true),
        [ST_DISABLED] = S(0xE6E0D6, 0x4F5659, 0xE6E0D6, 0xE6E0D6, false),
        [ST_QR] = S(0xFFFFFF, 0x000000, 0xFFFFFF, 0xFFFFFF, false),
        [ST_AVATAR0] = S(0xF6D5C3, 0x1E2B2F, 0xF6D5C3, 0xF6D5C3, false),
        [ST_AVATAR1] = S(0xD3E8D0, 0x1E2B2F, 0xD3E8D0, 0xD3E8D0, false),
        [ST_AVATAR2] = S(0xCFE0F2, 0x1E2B2F, 0xCFE0F2, 0xCFE0F2, false),
        [ST_AVATAR3] = S(0xEBD7EE, 0x1E2B2F, 0xEBD7EE, 0xEBD7EE, false),
        [ST_AVATAR4] = S(0xF5E6B8, 0x1E2B2F, 0xF5E6B8, 0xF5E6B8, false),
        [ST_AVATAR5] = S(0xD6EDE8, 0x1E2B2F, 0xD6EDE8, 0xD6EDE8, false),
    },
};

/* Black ground, white text, yellow actions: for low vision and glare. */
static const struct theme high = {
    "high-contrast",
    C(0x000000),
    C(0xFFE14D),
    C(0x4DD2FF),
    {
        [ST_SCREEN] = S(0x000000, 0xFFFFFF, 0x000000, 0x333333, false),
        [ST_MUTED] = S(0x000000, 0xE6E6E6, 0x000000, 0x333333, false),
        [ST_TOPBAR] = S(0x000000, 0xFFFFFF, 0xFFFFFF, 0x333333, false),
        [ST_TOPBAR_BTN] = S(0x000000, 0xFFFFFF, 0xFFFFFF, 0x333333, true),
        [ST_PRIMARY] = S(0xFFE14D, 0x000000, 0xFFE14D, 0xFFF2A6, false),
        [ST_SECONDARY] = S(0x000000, 0xFFFFFF, 0xFFFFFF, 0x333333, true),
        [ST_QUIET] = S(0x000000, 0xFFE14D, 0xFFE14D, 0x333333, true),
        [ST_CHIP] = S(0x000000, 0xE6E6E6, 0xFFFFFF, 0x333333, true),
        [ST_CHIP_ON] = S(0xFFE14D, 0x000000, 0xFFE14D, 0xFFF2A6, false),
        [ST_FIELD] = S(0x000000, 0xFFFFFF, 0xFFFFFF, 0x000000, true),
        [ST_PLACEHOLDER] = S(0x000000, 0xCCCCCC, 0xFFFFFF, 0x000000, true),
        [ST_KEY] = S(0x1A1A1A, 0xFFFFFF, 0xFFFFFF, 0x404040, true),
        [ST_KEY_MOD] = S(0x000000, 0xFFE14D, 0xFFE14D, 0x333333, true),
        [ST_KEY_ON] = S(0xFFE14D, 0x000000, 0xFFE14D, 0xFFF2A6, false),
        [ST_TILE] = S(0x000000, 0xFFFFFF, 0xFFFFFF, 0x333333, true),
        [ST_CARD] = S(0x000000, 0xFFFFFF, 0xFFFFFF, 0x000000, true),
        [ST_CARD_MUTED] = S(0x000000, 0xE6E6E6, 0xFFFFFF, 0x000000, true),
        [ST_URGENT] = S(0x000000, 0xFFFFFF, 0xFFE14D, 0x333333, true),
        [ST_TICKET] = S(0xFFFFFF, 0x000000, 0xFFFFFF, 0xFFFFFF, false),
        [ST_OVERLAY] = S(0x000000, 0xFFFFFF, 0xFFE14D, 0x000000, true),
        [ST_STAFF_ALERT] = S(0xFFB3B3, 0x000000, 0xFFFFFF, 0xFFB3B3, true),
        [ST_HELP_NOW] = S(0xFF9E80, 0x000000, 0xFFFFFF, 0xFFC4A8, true),
        [ST_URGENT_TILE] = S(0x000000, 0xFF9E80, 0xFF9E80, 0x1A1A1A, true),
        [ST_TOGGLE_ON] = S(0xFFE14D, 0x000000, 0xFFFFFF, 0xFFF2A6, true),
        [ST_DISABLED] = S(0x262626, 0xBFBFBF, 0x262626, 0x262626, false),
        [ST_QR] = S(0xFFFFFF, 0x000000, 0xFFFFFF, 0xFFFFFF, false),
        [ST_AVATAR0] = S(0xFFE14D, 0x000000, 0xFFE14D, 0xFFE14D, false),
        [ST_AVATAR1] = S(0x8FE3FF, 0x000000, 0x8FE3FF, 0x8FE3FF, false),
        [ST_AVATAR2] = S(0xB8F5A0, 0x000000, 0xB8F5A0, 0xB8F5A0, false),
        [ST_AVATAR3] = S(0xFFC2E8, 0x000000, 0xFFC2E8, 0xFFC2E8, false),
        [ST_AVATAR4] = S(0xFFFFFF, 0x000000, 0xFFFFFF, 0xFFFFFF, false),
        [ST_AVATAR5] = S(0xFFD1A6, 0x000000, 0xFFD1A6, 0xFFD1A6, false),
    },
};

static const char *const style_names[ST_COUNT] = {
    "screen",   "muted",       "topbar",     "topbar-button", "primary", "secondary", "quiet",
    "chip",     "chip-on",     "field",      "placeholder",   "key",     "key-mod",   "key-on",
    "tile",     "card",        "card-muted", "urgent",        "ticket",  "overlay",   "staff-alert",
    "help-now", "urgent-tile", "toggle-on",  "disabled",      "qr",      "avatar",    "avatar",
    "avatar",   "avatar",      "avatar",     "avatar",
};

const struct theme *theme_get(bool high_contrast)
{
    return high_contrast ? &high : &calm;
}

static double channel(uint8_t v)
{
    double c = v / 255.0;
    return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

double rgb_luminance(struct rgb c)
{
    return 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
}

double rgb_contrast(struct rgb a, struct rgb b)
{
    double la = rgb_luminance(a), lb = rgb_luminance(b);
    double hi = la > lb ? la : lb, lo = la > lb ? lb : la;
    return (hi + 0.05) / (lo + 0.05);
}

double theme_min_contrast(const struct theme *t, enum style *worst)
{
    double min = 21.0;
    for (int s = 0; s < ST_COUNT; s++) {
        double a = rgb_contrast(t->st[s].fg, t->st[s].bg);
        double b = rgb_contrast(t->st[s].fg, t->st[s].pressed_bg);
        double m = a < b ? a : b;
        if (m < min) {
            min = m;
            if (worst)
                *worst = (enum style)s;
        }
    }
    return min;
}

const char *style_name(enum style s)
{
    return (unsigned)s < ST_COUNT ? style_names[s] : "?";
}

enum style avatar_style(const char *name)
{
    unsigned h = 2166136261u;
    for (const unsigned char *p = (const unsigned char *)(name ? name : ""); *p; p++)
        h = (h ^ *p) * 16777619u;
    return (enum style)(ST_AVATAR0 + (int)(h % AVATAR_COLOURS));
}
