/* screen_tell.c — "Tell us what you need": the resident types in their own words, sees what was
 * heard, and goes on to the check screen, a topic, a person or reception. Its layout is
 * typing.c's, shared with the name screen. */
#include <stdio.h>
#include <string.h>

#include "flow_int.h"
#include "layout_int.h"

void tell_build(struct lb *b)
{
    lb_typing_screen(b, true);
}

/* A language the kiosk's own screens do not speak, or an interpreter, was asked for. */
static bool asks_language_help(const struct route_asks *a)
{
    return a->interpreter ||
           (a->lang[0] && strcmp(a->lang, "en") != 0 && strcmp(a->lang, "cy") != 0);
}

/* Needs the router recognised and the resident kept, best first. */
static int kept_needs(const struct flow *f, int *out)
{
    int n = 0;
    for (int i = 0; i < f->route.n_needs && n < ROUTE_MAX_NEEDS; i++) {
        int need = f->route.needs[i].need;
        if (need >= 0 && need < NEED_MAX && !f->need_off[need])
            out[n++] = need;
    }
    return n;
}

static void tell_next(struct flow *f, int64_t now_ms)
{
    f->n_sel = kept_needs(f, f->sel);
    if (f->route.urgent && f->n_sel == 0 && f->route.n_needs > 0) {
        /* urgent but every chip taken off: still treat it as urgent */
        f->sel[0] = f->route.needs[0].need;
        f->n_sel = 1;
    }
    f->lang_help = !f->route.urgent && asks_language_help(&f->asks);
    if (f->lang_help) { /* reception, with the language on the board; the needs go too */
        f->unsure = false;
        f->chosen_worker = -1;
        flow_to_check(f, SRC_RECEPTION, now_ms);
        return;
    }
    if (!f->route.urgent && f->asks.worker >= 0) { /* "here to see Sian": offer Sian */
        f->unsure = false;
        f->chosen_worker = f->asks.worker;
        flow_to_check(f, SRC_PERSON, now_ms);
        return;
    }
    if (f->n_sel > 0) {
        f->unsure = false;
        f->chosen_worker = -1;
        flow_to_check(f, SRC_TEXT, now_ms);
        return;
    }
    f->unsure = f->text_len > 0;
    flow_go(f, SCR_TOPICS, now_ms);
}

bool tell_act(struct flow *f, enum action a, int arg, int64_t now_ms)
{
    if (a == ACT_CHIP && arg >= 0 && arg < NEED_MAX) {
        f->need_off[arg] = !f->need_off[arg];
        return true;
    }
    if (a == ACT_CHIP_MORE && arg >= 0 && arg <= ROUTE_MAX_NEEDS) {
        /* the layout knows how many pages there are: a need a page at most, and with bigger
         * text on a short screen one more of the other ways in */
        f->chip_page = arg;
        return true;
    }
    if (a == ACT_NEXT || a == ACT_ENTER) {
        if (f->text_len == 0)
            return false;
        tell_next(f, now_ms);
        return true;
    }
    if (a == ACT_TOPICS) {
        f->unsure = false;
        flow_go(f, SCR_TOPICS, now_ms);
        return true;
    }
    if (a == ACT_KNOW) {
        flow_go(f, SCR_PEOPLE, now_ms);
        return true;
    }
    return false;
}
