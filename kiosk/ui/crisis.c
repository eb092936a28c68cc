/* crisis.c — which crisis lines the urgent screen shows, and their numbers. Every number here
 * was checked against the service's own page (cited beside it); the words around them are in
 * locales/<lang>/strings.json ("crisis.*"), with {number} where the number goes. */
#include "crisis.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define NBSP "\u00a0" /* between digit groups: a number is never cut across two lines */

struct line_def {
    const char *id;
    const char *number;
};

static const struct line_def lines[CRISIS_COUNT] = {
    /* 999: "calling 999 in an emergency" — Welsh Government, https://gov.wales/node/33827 */
    [CRISIS_999] = {"999", "999"},
    /* Samaritans, free from landlines and mobiles, day or night: 116 123 —
     * https://www.samaritans.org/how-we-can-help/contact-samaritan/ */
    [CRISIS_SAMARITANS] = {"samaritans", "116" NBSP "123"},
    /* NHS 111, option 2: "the free, 24-hour 111 press 2 service connects callers directly to
     * mental health workers in their area" — Welsh Government, 10 October 2025,
     * https://www.wired-gov.net/wg/news.nsf/articles/more+than+200000+calls+to+urgent+mental+health+service+10102025161000?open
     * (the Welsh Government's release as republished; 111.wales.nhs.uk itself was not in the
     * reference store) */
    [CRISIS_MENTAL_HEALTH] = {"mental-health", "111"},
    /* Live Fear Free (Byw Heb Ofn), 24 hours a day, 7 days a week: 0808 80 10 800 —
     * https://www.gov.wales/live-fear-free/sexual-violence and, in Welsh,
     * https://llyw.cymru/node/5389 */
    [CRISIS_LIVE_FEAR_FREE] = {"live-fear-free", "0808" NBSP "80" NBSP "10" NBSP "800"},
};

/* The Samaritans' Welsh-language line, free, 7pm to 11pm every day: 0808 164 0123. Samaritans
 * Cymru's own words ("talk to Samaritans in Welsh every day between 7-11pm on 0808 164 0123"):
 * https://campaign.nationradio.wales/?utm_source=rss&utm_medium=rss&utm_campaign=samaritans-talk-to-us
 * and Newyddion S4C, 18 May 2024, https://newyddion.s4c.cymru/article/21332 ("rhwng 19:00 a
 * 23:00 bob dydd ... am ddim"). samaritans.org's own page for it was not in the reference store:
 * check it there when these numbers are next reviewed. Shown where the language's
 * "crisis.samaritans" has {welsh}. */
#define SAMARITANS_WELSH "0808" NBSP "164" NBSP "0123"

/* Text relay: 18001 before a number makes a text call through Relay UK; 18000 reaches 999 —
 * BT's price list, Text Relay,
 * https://bt.com/Pricing/notifs/17-07-2009/Call_Charges_boo/NotificationPeriodImpl4156191408_d0e5.htm
 * and Relay UK, https://www.relayuk.bt.com/news/providing-a-vital-lifeline.html */
#define RELAY_PREFIX    "18001"
#define RELAY_EMERGENCY "18000"

static void add(enum crisis_line *out, int *n, enum crisis_line l)
{
    for (int i = 0; i < *n; i++)
        if (out[i] == l)
            return;
    if (*n < CRISIS_MAX)
        out[(*n)++] = l;
}

static bool is(const char *id, const char *want)
{
    return id && strcmp(id, want) == 0;
}

int crisis_pick(const char *const *need_ids, int n, enum crisis_line out[CRISIS_MAX])
{
    int k = 0;
    bool danger = false;
    for (int i = 0; need_ids && i < n; i++) {
        const char *id = need_ids[i];
        if (is(id, "suicidal_thoughts")) {
            add(out, &k, CRISIS_SAMARITANS);
            add(out, &k, CRISIS_MENTAL_HEALTH);
            danger = true;
        } else if (is(id, "domestic_abuse")) {
            add(out, &k, CRISIS_LIVE_FEAR_FREE);
            danger = true;
        } else if (is(id, "in_danger") || is(id, "medical_emergency") || is(id, "person_at_risk")) {
            add(out, &k, CRISIS_999);
        }
    }
    if (k == 0) { /* nothing of its own: the short general set */
        add(out, &k, CRISIS_999);
        add(out, &k, CRISIS_SAMARITANS);
    } else if (danger) {
        add(out, &k, CRISIS_999); /* last, when there is room: for danger right now */
    }
    return k;
}

const char *crisis_id(enum crisis_line l)
{
    return (unsigned)l < CRISIS_COUNT ? lines[l].id : "?";
}

const char *crisis_number(enum crisis_line l)
{
    return (unsigned)l < CRISIS_COUNT ? lines[l].number : "";
}

size_t crisis_text(const struct i18n *c, enum crisis_line l, char *out, size_t cap)
{
    char key[I18N_KEY_MAX], tmp[I18N_VALUE_MAX];
    if (cap == 0)
        return 0;
    out[0] = '\0';
    if ((unsigned)l >= CRISIS_COUNT)
        return 0;
    snprintf(key, sizeof(key), "crisis.%s", lines[l].id);
    i18n_format(tmp, sizeof(tmp), i18n_get(c, key), "number", lines[l].number);
    return i18n_format(out, cap, tmp, "welsh", SAMARITANS_WELSH);
}

size_t crisis_relay_text(const struct i18n *c, char *out, size_t cap)
{
    char tmp[I18N_VALUE_MAX];
    if (cap == 0)
        return 0;
    i18n_format(tmp, sizeof(tmp), i18n_get(c, "crisis.relay"), "prefix", RELAY_PREFIX);
    return i18n_format(out, cap, tmp, "emergency", RELAY_EMERGENCY);
}
