/* damage.h — what changed between the widget tree on screen and the next one: the rectangles
 * to paint again, so that a key press repaints the key and the field, not the whole screen.
 * Pure C (no SDL): it compares widget trees only. */
#ifndef KIOSK_DAMAGE_H
#define KIOSK_DAMAGE_H

#include <stdbool.h>

#include "layout.h"

#define DAMAGE_RECTS_MAX 6

/* The rectangles to paint again (screen pixels, inside the screen, not overlapping one
 * another), or the whole screen. n == 0 and !full: nothing on screen changes. */
struct damage {
    bool full;
    int n;
    struct wrect r[DAMAGE_RECTS_MAX];
    /* > 0: the tree only gained widgets at its end (an overlay opening), none of the old ones
     * focused: painting the rectangles again with the widgets before append (a button let go),
     * then the widgets from append on over the frame as it is, gives every pixel. */
    int append;
};

/* The tree last painted, as the next diff's "before". */
struct damage_state {
    struct layout *last; /* NULL until the first diff (or when it could not be allocated) */
    const void *theme;
    int pressed;
    bool valid; /* last is what the screen shows */
};

/* Compares l (with the pressed widget index, or -1, and the theme it is painted in) with the
 * tree last painted and remembers l as painted. Each widget's painted extent is its rectangle,
 * its text's and margin pixels around (the focus ring, the caret). A new size, theme or an
 * invalidated state gives full; so does damage over more than four fifths of the screen, where
 * painting everything once is cheaper. Never fails: without memory every diff is full. */
void damage_diff(struct damage_state *s, const struct layout *l, const void *theme, int pressed,
                 int margin, struct damage *out);

/* The screen no longer shows the last tree (a new window surface, a screenshot's repaint):
 * the next diff is full. */
void damage_invalidate(struct damage_state *s);

/* The painted extent of w (as damage_diff counts it), margin pixels around. */
struct wrect damage_extent(const struct widget *w, int margin);

/* Whether a and b share a pixel. */
bool damage_overlaps(struct wrect a, struct wrect b);

void damage_release(struct damage_state *s);

#endif
