/* flow_feedback.c — on the way out, from the welcome screen: "Did you get what you came for?",
 * one tap (yes, partly, no) in either language, anonymous, a short thank-you; and the line of
 * the hub's public figures the welcome screen shows while idle. */
#include "flow_int.h"

#include <stdio.h>
#include <string.h>

static const char *const ANSWER_NAMES[3] = {"yes", "partly", "no"};

const char *feedback_answer_name(int answer)
{
    return answer >= 0 && answer < 3 ? ANSWER_NAMES[answer] : NULL;
}

bool feedback_act(struct flow *f, int arg, int64_t now_ms)
{
    int lang = arg / 4, answer = arg % 4;
    if (arg < 0 || lang >= f->cfg.n_langs || answer == FEEDBACK_NONE)
        return false; /* a touch beside the buttons: nothing, and no check-in either */
    if (f->thanks_lang >= 0)
        return false; /* one answer each: a second tap on the thank-you counts for nothing */
    const struct backend *b = f->deps.backend;
    /* nothing about anyone's check-in goes with it: only the answer and its language */
    if (b && b->feedback && b->feedback(b->self, f->cfg.langs[lang], ANSWER_NAMES[answer]) == 0)
        f->n_feedback++;
    f->thanks_lang = lang; /* thanked even when it could not be kept: it is not their fault */
    f->thanks_since_ms = now_ms;
    f->n_thanks++;
    f->focus[0] = '\0'; /* the buttons are gone for a moment */
    return true;
}

bool feedback_tick(struct flow *f, int64_t now_ms)
{
    if (f->thanks_lang < 0 || now_ms - f->thanks_since_ms < FLOW_THANKS_MS)
        return false;
    f->thanks_lang = -1; /* the question again, for the next one on their way out */
    f->gen++;
    return true;
}

int64_t feedback_deadline(const struct flow *f, int64_t now_ms)
{
    if (f->thanks_lang < 0)
        return -1;
    int64_t at = f->thanks_since_ms + FLOW_THANKS_MS;
    return at > now_ms ? at - now_ms : 0;
}

bool flow_set_community(struct flow *f, const struct community_figs *c)
{
    struct community_figs none;
    memset(&none, 0, sizeof(none));
    if (!c)
        c = &none;
    if (memcmp(&f->community, c, sizeof(*c)) == 0)
        return false;
    int before = community_pick(&f->community, f->community_turn);
    int before_n = before >= 0 ? f->community.count[before] : 0;
    f->community = *c;
    int after = community_pick(&f->community, f->community_turn);
    bool changed = before != after || (after >= 0 && f->community.count[after] != before_n);
    if (changed && f->screen == SCR_WELCOME)
        f->gen++;
    return changed && f->screen == SCR_WELCOME;
}

size_t flow_community_line(const struct flow *f, const struct i18n *cat, char *out, size_t cap)
{
    return community_text(&f->community, f->community_turn, cat, out, cap);
}
