/* theme.h — the kiosk's colour themes (calm and high contrast) and WCAG contrast arithmetic. */
#ifndef HUB_THEME_H
#define HUB_THEME_H

#include <stdbool.h>
#include <stdint.h>

struct rgb {
    uint8_t r, g, b;
};

/* Every way a widget can be painted. Each style names its own background, so every text colour
 * pair in a theme is known and tested (WCAG AA, 4.5:1, including the pressed and selected
 * backgrounds). */
enum style {
    ST_SCREEN,      /* text straight on the screen background */
    ST_MUTED,       /* secondary text on the screen background */
    ST_TOPBAR,      /* the bar holding language, text size, contrast, start again */
    ST_TOPBAR_BTN,  /* buttons in that bar */
    ST_PRIMARY,     /* the one main action of a screen */
    ST_SECONDARY,   /* other actions */
    ST_QUIET,       /* low-key actions ("Choose a topic") */
    ST_CHIP,        /* a recognised need, taken off */
    ST_CHIP_ON,     /* a recognised need, kept */
    ST_FIELD,       /* the text the resident typed */
    ST_PLACEHOLDER, /* hint text in an empty field */
    ST_KEY,         /* on-screen keyboard letter */
    ST_KEY_MOD,     /* keyboard modifier: shift, accent, delete, numbers */
    ST_KEY_ON,      /* a modifier that is on */
    ST_TILE,        /* topic tile, worker card */
    ST_CARD,        /* a result panel */
    ST_CARD_MUTED,  /* secondary text inside a card */
    ST_URGENT,      /* the urgent screen's panel */
    ST_TICKET,      /* the ticket number */
    ST_OVERLAY,     /* the "Are you still there?" panel */
    ST_STAFF_ALERT, /* a notice to staff that needs doing something about (never for residents) */
    ST_HELP_NOW,    /* "I need help now" on every resident screen: reads as important, not alarm */
    ST_URGENT_TILE, /* a topic tile for something that cannot wait ("Somewhere to stay tonight") */
    ST_TOGGLE_ON, /* a setting that is on (Listen, Bigger text, High contrast): filled, with a tick
                   */
    ST_DISABLED,  /* an action not ready yet (Next before anything is typed): flat and grey */
    ST_QR,        /* the ticket's QR code: dark modules on a light quiet zone, in both themes */
    ST_AVATAR0,   /* initials avatars in soft colours, AVATAR_COLOURS of them */
    ST_AVATAR1,
    ST_AVATAR2,
    ST_AVATAR3,
    ST_AVATAR4,
    ST_AVATAR5,
    ST_COUNT
};

#define AVATAR_COLOURS 6

struct style_colours {
    struct rgb bg, fg, border, pressed_bg;
    bool has_border;
};

struct theme {
    const char *name; /* "calm", "high-contrast" */
    struct rgb screen_bg;
    struct rgb focus; /* caret, the field's border */
    struct rgb ring;  /* the keypad's focus ring: 3:1 or more against the screen and every fill */
    struct style_colours st[ST_COUNT];
};

/* The two built-in themes; never NULL. */
const struct theme *theme_get(bool high_contrast);

/* WCAG 2.x relative luminance (0..1) and contrast ratio (1..21). */
double rgb_luminance(struct rgb c);
double rgb_contrast(struct rgb a, struct rgb b);

/* The smallest text contrast over every style's (fg, bg) and (fg, pressed_bg) pair. When
 * worst is not NULL it gets the style with that ratio. */
double theme_min_contrast(const struct theme *t, enum style *worst);

/* A style name for the dump tree ("primary", "chip-on", ...). */
const char *style_name(enum style s);

/* The avatar style for a name: stable across runs (a hash of its bytes). */
enum style avatar_style(const char *name);

#endif
