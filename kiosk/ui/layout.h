/* layout.h — builds the widget tree of the current screen at a size and text scale. Text is
 * measured through a callback (no SDL_ttf here); every text is wrapped, then shrunk, to fit. */
#ifndef HUB_LAYOUT_H
#define HUB_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>

#include "flow.h"
#include "i18n.h"
#include "theme.h"

#define LAYOUT_WIDGETS_MAX 160
#define WIDGET_TEXT_MAX    640
#define WIDGET_LINES_MAX   16
#define WIDGET_ID_MAX      80
#define LAYOUT_HOLD_MS     3000 /* a long press */
#define TARGET_MIN         88   /* px: a target on a big panel is never less tall (44 mm on 43") */
#define LAYOUT_HELP_MIN_H  TARGET_MIN /* "I need help now" is never less tall than this (px) */

/* Type scale: normal text starts at 1 and, when a screen's content does not fit, the whole
 * screen's type shrinks by TYPE_SHRINK steps down to TYPE_SCALE_LEAST. Bigger text starts at
 * TYPE_BIG and comes down by TYPE_BIG_STEP, never below TYPE_BIG_LEAST times the scale normal
 * text settles at on that screen: below that the screen reflows instead. */
/* Named metrics, in size units (layout_unit: 1 at 480 px on the short side): the space inside a
 * screen's edges and between things, and the body text; headings and small text from it. */
#define M_PAD   14
#define M_GAP   10
#define M_BODY  18
#define M_HEAD  1.45
#define M_SMALL 0.85

#define TYPE_SHRINK      0.9
#define TYPE_SCALE_LEAST 0.6
#define TYPE_BIG         1.5
#define TYPE_BIG_STEP    0.05
#define TYPE_BIG_LEAST   1.3

enum role {
    R_BACKDROP, /* a whole-screen touch area (welcome, done, idle dimming) */
    R_PANEL,    /* a card or bar: background only */
    R_HEADING,
    R_TEXT,
    R_BUTTON,
    R_KEY,
    R_CHIP,
    R_TILE,
    R_FIELD,
    R_AVATAR,
    R_QR, /* the ticket as a QR code: text is what it holds (the shell encodes and draws it) */
    R_COUNT
};

enum halign { AL_LEFT, AL_CENTER };

struct wrect {
    int x, y, w, h;
};

struct widget {
    char id[WIDGET_ID_MAX];
    enum role role;
    enum style style;
    char text[WIDGET_TEXT_MAX]; /* what is shown (a field shows its tail when long) */
    struct wrect r;             /* the widget */
    struct wrect box;           /* where its text may go */
    int px;                     /* font size in pixels after shrinking */
    bool bold;
    enum halign align;
    int n_lines;
    int line_start[WIDGET_LINES_MAX], line_len[WIDGET_LINES_MAX]; /* byte ranges of text */
    int line_h;                                                   /* pixels per line */
    int text_w, text_h; /* size of the laid-out text block */
    bool fits;          /* text_w <= box.w and text_h <= box.h */
    int radius;         /* corner radius; w/2 for a circle */
    enum action action; /* ACT_NONE for text */
    int arg;
    enum action hold; /* a long press (LAYOUT_HOLD_MS) does this instead; ACT_NONE = none */
    bool selected, disabled, caret;
    bool focused; /* the keypad's focus is here: a ring is drawn around it */
};

struct layout {
    int w, h;
    enum screen screen;
    char lang[8];
    bool high_contrast, big_text, idle_prompt;
    double type_scale; /* after shrinking the whole screen to fit */
    int n;
    struct widget wg[LAYOUT_WIDGETS_MAX];
};

/* Text measurement: width in pixels of len bytes of s at px (bold or not), and the line height
 * at px. Must be deterministic. */
struct measurer {
    void *ctx;
    int (*text_width)(void *ctx, const char *s, size_t len, int px, bool bold);
    int (*line_height)(void *ctx, int px, bool bold);
};

struct layout_input {
    const struct flow *f;
    const struct i18n *cat;                  /* the resident's language */
    const struct i18n *cats[FLOW_LANGS_MAX]; /* every configured language, cfg order */
    const struct measurer *m;
    int w, h;
};

/* Builds the tree for in->f's screen into out (overwritten). Returns 0, or -1 when an input is
 * missing or the size is below 320x240. */
int layout_build(const struct layout_input *in, struct layout *out);

/* The topmost widget at (x, y) that takes a touch, or -1. */
int layout_hit(const struct layout *l, int x, int y);

/* The widget with this id, or NULL. */
const struct widget *layout_find(const struct layout *l, const char *id);

/* Size-independent scale unit: 1.0 at 480 px on the short side. */
double layout_unit(int w, int h);

/* Smallest touch target (px) at this size: 48 at the smallest screen, larger on big ones. */
int layout_target(int w, int h);

/* "heading", "button", ... */
const char *role_name(enum role r);

/* The dump tree as JSON text (malloc'd, caller frees); NULL when out of memory. One widget a
 * line so that line tools can read it too. */
char *layout_dump_json(const struct layout *l);

#endif
