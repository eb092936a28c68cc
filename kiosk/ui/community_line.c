/* community_line.c — which of the hub's public figures the welcome screen shows, and its words. */
#include "community_line.h"

#include <stdio.h>
#include <string.h>

int community_shown(const struct community_figs *c)
{
    int n = 0;
    for (int d = 0; c && c->month[0] && d < DOMAIN_COUNT; d++)
        n += c->count[d] > 0;
    return n;
}

int community_pick(const struct community_figs *c, unsigned turn)
{
    int order[DOMAIN_COUNT], n = 0;
    for (int d = 0; c && c->month[0] && d < DOMAIN_COUNT; d++) {
        if (c->count[d] <= 0)
            continue;
        int i = n++; /* insertion, largest first; ties keep the domains' order */
        while (i > 0 && c->count[order[i - 1]] < c->count[d]) {
            order[i] = order[i - 1];
            i--;
        }
        order[i] = d;
    }
    return n ? order[turn % (unsigned)n] : -1;
}

size_t community_text(const struct community_figs *c, unsigned turn, const struct i18n *cat,
                      char *out, size_t cap)
{
    return community_text_as(c, turn, cat, NULL, out, cap);
}

size_t community_text_as(const struct community_figs *c, unsigned turn, const struct i18n *cat,
                         const char *count_words, char *out, size_t cap)
{
    char key[64], num[16], half[I18N_VALUE_MAX];
    int d = community_pick(c, turn);
    if (cap)
        out[0] = '\0';
    if (d < 0 || !cat || cap == 0)
        return 0;
    snprintf(key, sizeof(key), "community.about.%s", domain_name(d));
    const char *topic = i18n_find(cat, key);
    const char *line = i18n_plural(cat, "community.line", c->count[d]);
    if (!topic || strcmp(line, "community.line") == 0)
        return 0; /* a line with a key showing in it is worse than none */
    snprintf(num, sizeof(num), "%d", c->count[d]);
    i18n_format(half, sizeof(half), line, "count", count_words ? count_words : num);
    return i18n_format(out, cap, half, "topic", topic);
}
