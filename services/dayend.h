/* dayend.h — at the hub's day end (local midnight), residents still waiting are closed as
 * `left` ("day_end") and counted, never carried over to the next day's board. */
#ifndef HUBD_DAYEND_H
#define HUBD_DAYEND_H

#include "store.h"

#include <stddef.h>
#include <stdint.h>

/* Closes every resident hubd received before today's local midnight who still waits, when
 * a local midnight has passed since the last close (and at the first call): a cheap check
 * otherwise, safe from any thread. Handlers that show or count the waiting call it first, so
 * no one sees yesterday's line. Returns how many were closed, or -1 (retried a minute on). */
int dayend_tick(struct store *store, int64_t now_ms);

/* The local midnight starting the day that holds ms, and the next one (process TZ). */
int64_t dayend_midnight(int64_t ms, int next);

/* The local date of the day that holds ms (process TZ) into out, e.g. "2025-03-14" (cap of at
 * least 11 bytes). */
void dayend_date(int64_t ms, char *out, size_t cap);

#endif
