/* stats.c — percentiles and the waiting-time estimate (pure). */
#include "stats.h"

#include <stdlib.h>
#include <string.h>

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

void stats_sort(int64_t *v, size_t n)
{
    if (n > 1)
        qsort(v, n, sizeof(*v), cmp_i64);
}

double stats_percentile(const int64_t *sorted, size_t n, double p)
{
    if (n == 0)
        return -1;
    if (p <= 0)
        return (double)sorted[0];
    if (p >= 100)
        return (double)sorted[n - 1];
    double h = (double)(n - 1) * p / 100.0;
    size_t lo = (size_t)h;
    if (lo + 1 >= n)
        return (double)sorted[n - 1];
    return (double)sorted[lo] + (h - (double)lo) * (double)(sorted[lo + 1] - sorted[lo]);
}

int stats_service_min(int64_t *handover_ms, size_t n)
{
    int64_t gaps[64];
    size_t ng = 0;
    stats_sort(handover_ms, n);
    for (size_t i = 1; i < n && ng < 64; i++) {
        int64_t g = handover_ms[i] - handover_ms[i - 1];
        if (g >= 0 && g <= (int64_t)STATS_MAX_GAP_MIN * 60000)
            gaps[ng++] = g;
    }
    if (ng < 2)
        return STATS_DEFAULT_SERVICE_MIN;
    stats_sort(gaps, ng);
    double med_min = stats_percentile(gaps, ng, 50) / 60000.0;
    int m = (int)(med_min + 0.5);
    return m < 2 ? 2 : m > 60 ? 60 : m;
}

int stats_wait_estimate(int ahead, int per_person, const char *worker_status, bool urgent)
{
    if (urgent)
        return 0;
    if (ahead < 0)
        ahead = 0;
    long w = (long)ahead * per_person;
    if (worker_status && strcmp(worker_status, "busy") == 0)
        w += per_person / 2;
    else if (worker_status &&
             (strcmp(worker_status, "away") == 0 || strcmp(worker_status, "off") == 0))
        w += per_person;
    return w > 600 ? 600 : (int)w;
}
