/* say.h — what the kiosk says aloud: each screen written for the ear in reading order, the
 * focused control, tickets, numbers and phone numbers as a voice should say them, and names
 * respelt for the voice that would say them wrong. Pure: the speech engine is the shell's. */
#ifndef HUB_SAY_H
#define HUB_SAY_H

#include <stdbool.h>
#include <stddef.h>

#include "flow.h"
#include "i18n.h"
#include "layout.h"

#define SAY_TEXT_MAX 2048
#define SAY_SEGS_MAX 4 /* the welcome screen speaks each configured language in its own voice */

struct say_seg {
    char lang[8]; /* the voice: "en" or "cy" */
    char text[SAY_TEXT_MAX];
};

/* What to say now. interrupt: stop whatever is being said first (a new screen, a new focus);
 * false: say it after (hubd's wait and line coming in). */
struct say_out {
    int n;
    struct say_seg seg[SAY_SEGS_MAX];
    bool interrupt;
};

/* What was said last, so say_plan says each thing once. Zero it to start. */
struct say_state {
    bool valid, speech, idle;
    enum screen screen;
    unsigned screen_n; /* flow.n_screens when last read */
    unsigned asked;    /* flow.say_asked when last read */
    char focus[WIDGET_ID_MAX];
    char said[256]; /* what the focused control said (a toggle that changes is said again) */
    bool queue_pending;
    bool lang_cy;
    unsigned thanks_n; /* flow.n_thanks when last read */
};

/* Decides what to say after a layout of f: the whole screen when it changed, speech came on,
 * the language changed, the idle prompt came up or help was asked for; the focused control
 * when focus moved; the ticket when hubd's came in. cats: every configured language, cfg
 * order (the welcome screen speaks each). Returns true with out filled, false when there is
 * nothing to say (speech off, a staff screen, nothing new). */
bool say_plan(struct say_state *st, const struct flow *f, const struct layout *l,
              const struct i18n *cat, const struct i18n *const cats[FLOW_LANGS_MAX],
              struct say_out *out);

/* The current screen for the ear: its words in reading order, then its choices and how to
 * move between them. Returns the length written (always terminated). */
size_t say_screen(const struct flow *f, const struct layout *l, const struct i18n *cat, char *out,
                  size_t cap);

/* One control as focus lands on it: its words, and its state (on, off, taken off, not ready). */
size_t say_control(const struct flow *f, const struct layout *l, const struct widget *w,
                   const struct i18n *cat, char *out, size_t cap);

/* A ticket for the ear: "H-A07" -> "H, A, seven" (en) / "aets, a, saith" (cy); letters by
 * name, digits as one number without leading zeros. */
size_t say_ticket(const char *code, const char *lang, char *out, size_t cap);

/* A whole number 0..9999 in words in lang ("cy": "tri deg pump"; "en": digits, which the
 * English voice reads well). */
size_t say_number(long n, const char *lang, char *out, size_t cap);

/* Screen text rewritten for the ear: line breaks and " · " become pauses, phone numbers are
 * read digit by digit ("116 123" -> "1 1 6, 1 2 3"), other numbers as words (cy), symbols that
 * have no sound dropped. */
size_t say_ear(const char *in, const char *lang, char *out, size_t cap);

/* The pronunciation list: names and places the voice for lang says wrong, respelt in that
 * voice's phonemes ([[...]], espeak-ng's notation), as whole words. Returns the length. */
size_t say_pronounce(const char *in, const char *lang, char *out, size_t cap);

/* say_feedback.c: the welcome screen's line of the hub's figures (its number for the ear) and
 * the way-out question with how to reach its answers, appended to buf in c's language. */
void say_feedback_welcome(const struct flow *f, const struct i18n *c, char *buf, size_t cap);
/* A way-out answer as focus lands on it, in its own language (into lang): the question and the
 * answer. False when w is not one. */
bool say_feedback_control(const struct widget *w, const struct i18n *const cats[FLOW_LANGS_MAX],
                          int n, char *lang, size_t langcap, char *out, size_t cap);
/* The thank-you for an answer, in the language it was given in. False when none shows. */
bool say_feedback_thanks(const struct flow *f, const struct i18n *const cats[FLOW_LANGS_MAX],
                         char *lang, size_t langcap, char *out, size_t cap);

/* The list itself, for review and tests: entry i of lang's list (NULL past the end). */
const char *say_pronounce_word(const char *lang, int i, const char **respelt);

#endif
