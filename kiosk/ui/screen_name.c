/* screen_name.c — "Your name" (or skip): then consent to share the words, or the check-in. Its
 * layout is typing.c's, shared with the tell screen. */
#include <stdio.h>
#include <string.h>

#include "flow_int.h"
#include "layout_int.h"

void name_build(struct lb *b)
{
    lb_typing_screen(b, false);
}

static void after_name(struct flow *f, int64_t now_ms)
{
    /* Their own words travel only with consent: asked whenever the words led here. */
    bool from_words =
        f->source == SRC_TEXT || f->source == SRC_ASK ||
        (f->source == SRC_PERSON && f->asks.worker == f->chosen_worker && f->chosen_worker >= 0) ||
        (f->source == SRC_RECEPTION && f->lang_help);
    if (f->text_len > 0 && from_words)
        flow_go(f, SCR_CONSENT, now_ms);
    else
        flow_submit(f, now_ms);
}

bool name_act(struct flow *f, enum action a, int arg, int64_t now_ms)
{
    if (a == ACT_NEXT || a == ACT_ENTER || a == ACT_SKIP) {
        if (a == ACT_SKIP) {
            flow_wipe(f->name, sizeof(f->name));
            f->name_len = 0;
            f->name_chars = 0;
        }
        after_name(f, now_ms);
        return true;
    }
    if (a == ACT_BACK) {
        flow_go(f, f->source == SRC_ASK ? SCR_TOPICS : SCR_CHECK, now_ms);
        return true;
    }
    return false;
}
