/* community_fetch.h — the hub's public figures for the welcome screen's line: read now and then
 * by the sync thread from GET /api/v1/community, handed to the UI thread through a lock. */
#ifndef KIOSK_COMMUNITY_FETCH_H
#define KIOSK_COMMUNITY_FETCH_H

#include <stdbool.h>
#include <stddef.h>

#include "community_line.h"
#include "sync.h"

/* Reads hubd's answer into out: the newest month's arrivals by main domain (-1 where withheld,
 * null, or absent). No months, or none with a figure shown: out->month "" and 0 (nothing to
 * show is not an error). -1 when json is not hubd's figures at all (out untouched). */
int community_parse(const char *json, size_t len, struct community_figs *out);

struct community_cache;

/* An empty cache, or NULL when out of memory. */
struct community_cache *community_cache_new(void);
void community_cache_free(struct community_cache *c);

/* Sync thread: asks hubd and keeps what it says. hubd unreachable: the figures are dropped
 * (the kiosk shows none while offline). Returns 1 when what the UI should show changed, 0 when
 * not, -1 when hubd's answer was not usable (the last good figures stay). */
int community_fetch(struct sync *s, struct community_cache *c);

/* UI thread: true and *out when the figures changed since the last take. */
bool community_take(struct community_cache *c, struct community_figs *out);

#endif
