/* layout_int.h — the layout builder shared by layout.c and the per-screen builders. Internal to
 * kiosk/ui. */
#ifndef HUB_LAYOUT_INT_H
#define HUB_LAYOUT_INT_H

#include "layout.h"

enum { FIT_TAIL = 1, FIT_ELLIPSIS = 2 };

struct lb {
    const struct layout_input *in;
    const struct flow *f;
    struct layout *l;
    struct widget scratch; /* absorbs widgets past LAYOUT_WIDGETS_MAX */
    double u, k;           /* size unit; type scale */
    int pad, gap, T, btn_h;
    int help_h;            /* "I need help now": never under LAYOUT_HELP_MIN_H px */
    int body, head, small; /* font sizes in px */
    bool landscape;
    bool overflow; /* content did not fit: build again with smaller type */
    bool broke;    /* the last wrap cut a word across lines (lb_fit shrinks rather than that) */
    int floor;     /* content ends above this y: the bar's top (resident screens), or the foot */
    int bar_first, bar_n; /* the bar's widgets: moved to the end of reading order */
};

const char *lb_str(struct lb *b, const char *key);
struct widget *lb_add(struct lb *b, const char *id, enum role role, enum style st, const char *text,
                      struct wrect r, enum action a, int arg);
/* Wraps, then shrinks, w->text into w's rectangle. */
void lb_fit(struct lb *b, struct widget *w, int px, bool bold, enum halign al, int flags);
void lb_ellipsize(struct lb *b, struct widget *w, int lh);
/* A text block of natural height at (x, y), width wdt; returns its height. */
int lb_para(struct lb *b, const char *id, enum role role, enum style st, const char *text, int x,
            int y, int wdt, int px, bool bold, enum halign al);
int lb_text_h(struct lb *b, const char *text, int px, bool bold, int wdt);
int lb_text_w(struct lb *b, const char *text, int px, bool bold);
int lb_line_h(struct lb *b, int px, bool bold);
struct widget *lb_button(struct lb *b, const char *id, enum role role, enum style st,
                         const char *text, struct wrect r, enum action a, int arg, int px,
                         bool bold);

/* screens.c */
void lb_screen(struct lb *b);
void lb_idle(struct lb *b);
/* "Start again?" over the screen, when something typed would be lost. */
void lb_confirm(struct lb *b);
/* The bar every screen shows (language, listen, text size, contrast, start again): at the
 * bottom of resident screens (sets b->floor above it), at the top of staff ones. Returns the y
 * the screen's content starts at. */
int lb_topbar(struct lb *b);

/* screens_urgent.c: help without typing */
enum foot_left { FOOT_NONE, FOOT_BACK, FOOT_FINISH };
/* The "I need help now" button in r (on the welcome screen in every configured language). */
struct widget *lb_help_now(struct lb *b, struct wrect r);
/* Its natural width: its label at its size, with room around it. */
int lb_help_now_w(struct lb *b);
/* The foot of a resident screen, one row, all help_h tall: Back or Finish on the left (left),
 * "Ask at reception" next to it (ask), "I need help now" on the right. Returns the y the
 * screen's content must end above. */
int lb_foot(struct lb *b, enum foot_left left, bool ask);
/* Where that foot's content must end above, without adding it (content comes first in reading
 * order, so screens measure the foot, lay out their content, then add the foot). */
int lb_foot_top(struct lb *b, enum foot_left left, bool ask);
/* Screens with a backdrop (welcome, done): "I need help now" centred low, ending at bottom;
 * returns its top. With build false only measures (content comes first in reading order). */
int lb_help_now_low(struct lb *b, int bottom, bool build);
/* Landscape screens short of height (result): Finish above "I need help now" in a column at
 * the right, bottom-aligned, lb_side_w wide; the content keeps the rest of the width. */
int lb_side_w(struct lb *b);
void lb_side_foot(struct lb *b);
/* The top of that column's Finish: what goes above it ends over this y. */
int lb_side_top(struct lb *b);
void lb_urgent(struct lb *b);

/* screens_staff.c */
void lb_staff_pin(struct lb *b);
void lb_staff(struct lb *b);
/* On the welcome screen: the hidden corner a long press opens the PIN pad from, and the notice
 * to staff when check-ins are not reaching reception (flow_staff_alert). */
void lb_staff_corner(struct lb *b);
/* Returns the height it takes at the bottom of the screen (0 when there is no notice). */
int lb_staff_notice(struct lb *b);

#endif
