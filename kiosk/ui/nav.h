/* nav.h — the kiosk keypad (the EZ Access pattern: arrows, Tab, Enter, Escape, F1): a focus that
 * moves through the screen's controls in reading order, Enter to act, Escape to go back, F1 to
 * hear the screen again. Any of them turns speech on. Pure: the layout on screen is passed in. */
#ifndef HUB_NAV_H
#define HUB_NAV_H

#include <stdbool.h>
#include <stdint.h>

#include "flow.h"
#include "layout.h"

enum nav {
    NAV_NEXT,  /* Down, Right, Tab */
    NAV_PREV,  /* Up, Left, Shift+Tab */
    NAV_ENTER, /* Enter: the focused control, or the screen's main action */
    NAV_BACK,  /* Escape: Back, or close what is over the screen */
    NAV_HELP   /* F1: say the screen again, and how to use the keys */
};

/* Whether the keypad's focus can land on w: anything that takes a touch but the whole-screen
 * backdrops. */
bool nav_focusable(const struct widget *w);

/* Handles one keypad key over l, the layout of f now on screen. Counts as a touch. Returns true
 * when anything visible changed (focus moved, or the action did something). */
bool nav_key(struct flow *f, const struct layout *l, enum nav k, int64_t now_ms);

#endif
