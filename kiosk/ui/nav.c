/* nav.c — keypad focus: next and previous in reading order (the layout's order), wrapping;
 * Enter acts on the focused control; Escape goes back. */
#include "nav.h"

#include <stdio.h>
#include <string.h>

bool nav_focusable(const struct widget *w)
{
    return w->action != ACT_NONE && w->role != R_BACKDROP;
}

/* The first widget that belongs to what is over the screen (the idle prompt, "Start
 * again?"), or 0: focus stays inside it. */
static int first_widget(const struct layout *l)
{
    int from = 0;
    for (int i = 0; i < l->n; i++)
        if (l->wg[i].role == R_BACKDROP && l->wg[i].style == ST_OVERLAY)
            from = i;
    return from;
}

static int find(const struct layout *l, const char *id, int from)
{
    for (int i = from; id[0] && i < l->n; i++)
        if (strcmp(l->wg[i].id, id) == 0)
            return i;
    return -1;
}

static bool move(struct flow *f, const struct layout *l, int dir)
{
    int from = first_widget(l), n = l->n - from;
    if (n <= 0)
        return false;
    int at = find(l, f->focus, from);
    int i = at < 0 ? (dir > 0 ? l->n - 1 : from) : at;
    for (int step = 0; step < n; step++) {
        i += dir;
        if (i >= l->n)
            i = from;
        if (i < from)
            i = l->n - 1;
        if (nav_focusable(&l->wg[i])) {
            snprintf(f->focus, sizeof(f->focus), "%s", l->wg[i].id);
            return true;
        }
    }
    return false;
}

static int find_action(const struct layout *l, enum action a, int from)
{
    for (int i = from; i < l->n; i++)
        if (l->wg[i].action == a && !l->wg[i].disabled)
            return i;
    return -1;
}

bool nav_key(struct flow *f, const struct layout *l, enum nav k, int64_t now_ms)
{
    bool changed = !f->speech; /* a keypad start: speech comes on */
    f->speech = true;
    f->last_input_ms = now_ms;
    int from = first_widget(l);
    switch (k) {
    case NAV_NEXT:
    case NAV_PREV:
        if (f->idle_prompt && from == 0)
            break;
        changed |= move(f, l, k == NAV_NEXT ? 1 : -1);
        break;
    case NAV_ENTER: {
        int at = find(l, f->focus, from);
        if (at < 0) {
            changed |= flow_act(f, ACT_ENTER, 0, now_ms);
            break;
        }
        const struct widget *w = &l->wg[at];
        if (w->disabled)
            break; /* its words already say it is not ready */
        char keep[FLOW_FOCUS_MAX];
        snprintf(keep, sizeof(keep), "%s", f->focus);
        unsigned screens = f->n_screens;
        bool overlay = f->idle_prompt || f->confirm_reset;
        changed |= flow_act(f, w->action, w->arg, now_ms);
        /* the same screen: focus stays where it was (a key typed, a chip taken off) */
        if (f->n_screens == screens && !overlay && !f->confirm_reset)
            snprintf(f->focus, sizeof(f->focus), "%s", keep);
        break;
    }
    case NAV_BACK: {
        int at = f->confirm_reset ? find_action(l, ACT_CANCEL_RESET, from)
                 : f->idle_prompt ? find_action(l, ACT_MORE_TIME, from)
                                  : find_action(l, ACT_BACK, from);
        if (at >= 0)
            changed |= flow_act(f, l->wg[at].action, l->wg[at].arg, now_ms);
        break;
    }
    case NAV_HELP:
        f->say_asked++;
        changed = true;
        break;
    }
    if (changed)
        f->gen++;
    return changed;
}
