/* community_line.h — the one line of the hub's public figures the welcome screen shows while
 * idle ("Last month 212 neighbours came in about money and bills"): the figures as the sync
 * thread read them from GET /api/v1/community, and the line written from them. Pure. */
#ifndef HUB_COMMUNITY_LINE_H
#define HUB_COMMUNITY_LINE_H

#include <stdbool.h>
#include <stddef.h>

#include "i18n.h"
#include "proto/taxonomy.h"

/* The newest whole month hubd shares: how many neighbours came in about each domain (by their
 * main need). -1 where hubd withholds the count (under 5) or has none. */
struct community_figs {
    char month[8]; /* "2026-11"; "" = no figures at all */
    int count[DOMAIN_COUNT];
};

/* How many domains have a figure that is shown (not withheld). */
int community_shown(const struct community_figs *c);

/* The domain the line is about at this turn: the shown figures in turn, largest first (turn 0
 * is the largest). -1 when nothing is shown. */
int community_pick(const struct community_figs *c, unsigned turn);

/* The line in cat's language for turn ("community.line" with {count} and {topic} from
 * "community.about.<domain>"): the length written, 0 (out "") when there is nothing to show. */
size_t community_text(const struct community_figs *c, unsigned turn, const struct i18n *cat,
                      char *out, size_t cap);
/* The same with the count written as count_words (e.g. in words, for the ear). */
size_t community_text_as(const struct community_figs *c, unsigned turn, const struct i18n *cat,
                         const char *count_words, char *out, size_t cap);

#endif
