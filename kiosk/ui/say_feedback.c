/* say_feedback.c — the welcome screen's way-out question and the hub's figures, for the ear:
 * the line of figures with its number said as a voice should, the question and how to reach
 * its answers, each answer in its own language's voice, and the thank-you. */
#include "say.h"

#include <stdio.h>
#include <string.h>

/* Appends " text" to buf. */
static void append(char *buf, size_t cap, const char *text)
{
    size_t n = strlen(buf);
    if (text[0] && n + 1 < cap)
        snprintf(buf + n, cap - n, "%s%s", n ? " " : "", text);
}

void say_feedback_welcome(const struct flow *f, const struct i18n *c, char *buf, size_t cap)
{
    char line[SAY_TEXT_MAX], words[128];
    int d = community_pick(&f->community, f->community_turn);
    bool offline = f->status.known && !f->status.online;
    /* the count as a number for the ear (in words for the Welsh voice), never digit by digit */
    if (d >= 0 && !offline &&
        say_number(f->community.count[d], i18n_lang(c), words, sizeof(words)) > 0 &&
        community_text_as(&f->community, f->community_turn, c, words, line, sizeof(line)) > 0) {
        size_t n = strlen(line);
        snprintf(line + n, sizeof(line) - n, ".");
        append(buf, cap, line);
    }
    if (f->thanks_lang < 0)
        append(buf, cap, i18n_get(c, "say.feedback"));
}

/* The answer a widget id names: "feedback-LANG-ANSWER"; lang into lang. */
static const char *answer_of(const char *id, char *lang, size_t cap)
{
    if (strncmp(id, "feedback-", 9) != 0)
        return NULL;
    const char *dash = strchr(id + 9, '-');
    if (!dash || (size_t)(dash - (id + 9)) >= cap)
        return NULL;
    snprintf(lang, cap, "%.*s", (int)(dash - (id + 9)), id + 9);
    for (int a = 0; a < FEEDBACK_NONE; a++)
        if (strcmp(dash + 1, feedback_answer_name(a)) == 0)
            return feedback_answer_name(a);
    return NULL;
}

bool say_feedback_control(const struct widget *w, const struct i18n *const cats[FLOW_LANGS_MAX],
                          int n, char *lang, size_t langcap, char *out, size_t cap)
{
    char key[64];
    const char *answer = answer_of(w->id, lang, langcap);
    const struct i18n *c = NULL;
    for (int i = 0; answer && i < n && i < FLOW_LANGS_MAX; i++)
        if (cats[i] && strcmp(i18n_lang(cats[i]), lang) == 0)
            c = cats[i];
    if (!c)
        return false;
    snprintf(key, sizeof(key), "feedback.%s", answer);
    snprintf(out, cap, "%s %s.", i18n_get(c, "feedback.question"), i18n_get(c, key));
    return true;
}

bool say_feedback_thanks(const struct flow *f, const struct i18n *const cats[FLOW_LANGS_MAX],
                         char *lang, size_t langcap, char *out, size_t cap)
{
    if (f->thanks_lang < 0 || f->thanks_lang >= f->cfg.n_langs || !cats[f->thanks_lang])
        return false;
    snprintf(lang, langcap, "%s", f->cfg.langs[f->thanks_lang]);
    snprintf(out, cap, "%s", i18n_get(cats[f->thanks_lang], "feedback.thanks"));
    return true;
}
