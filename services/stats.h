/* stats.h — pure arithmetic for waits: percentiles for reports and the waiting-time
 * estimate a resident is shown at check-in. */
#ifndef HUBD_STATS_H
#define HUBD_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define STATS_DEFAULT_SERVICE_MIN 10 /* minutes per resident before there is any history */
#define STATS_MAX_GAP_MIN         90 /* longer gaps between handovers are breaks, not work */

/* The p-th percentile (0..100) of n values sorted ascending, interpolating linearly between
 * ranks (so the median of {1, 2} is 1.5). Returns -1 when n is 0. */
double stats_percentile(const int64_t *sorted, size_t n, double p);

/* Sorts n values ascending in place. */
void stats_sort(int64_t *v, size_t n);

/* Minutes a worker spends per resident, from the times (ms, any order; sorted in place) of
 * their recent handovers: the median gap between consecutive ones, ignoring breaks longer
 * than STATS_MAX_GAP_MIN, clamped to 2..60. STATS_DEFAULT_SERVICE_MIN with under 2 gaps. */
int stats_service_min(int64_t *handover_ms, size_t n);

/* Estimated minutes until a resident is introduced: ahead residents before them at
 * per_person minutes each, plus half a slot when the worker is busy and a whole one when
 * away or off. Urgent residents are seen now (0). Capped at 600. */
int stats_wait_estimate(int ahead, int per_person, const char *worker_status, bool urgent);

#endif
