/* clock.h — hubd's monotonic clock in milliseconds, for intervals and deadlines (never for
 * what a resident or a report sees: that is hubd_now_ms, the wall clock). */
#ifndef HUBD_CLOCK_H
#define HUBD_CLOCK_H

#include <stdint.h>
#include <time.h>

static inline int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

#endif
