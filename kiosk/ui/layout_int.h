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
    int body, head, small; /* font sizes in px */
    bool landscape;
    bool overflow; /* content did not fit: build again with smaller type */
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
/* The bar every screen shows (language, text size, contrast, start again); returns the y
 * below it. */
int lb_topbar(struct lb *b);

/* screens_staff.c */
void lb_staff_pin(struct lb *b);
void lb_staff(struct lb *b);
/* On the welcome screen: the hidden corner a long press opens the PIN pad from, and the notice
 * to staff when check-ins are not reaching reception (flow_staff_alert). */
void lb_staff_corner(struct lb *b);
/* Returns the height it takes at the bottom of the screen (0 when there is no notice). */
int lb_staff_notice(struct lb *b);

#endif
