/* dayend.c — closing the day: once per local day, residents still waiting from an earlier
 * day are closed as left (store day_close), each at the end of the day they came in. */
#include "dayend.h"

#include <pthread.h>
#include <stdio.h>
#include <time.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int64_t due_ms; /* the next local midnight after the last close; 0: never closed */

int64_t dayend_midnight(int64_t ms, int next)
{
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    localtime_r(&t, &tm);
    tm.tm_mday += next;
    tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
    tm.tm_isdst = -1;
    return (int64_t)mktime(&tm) * 1000;
}

void dayend_date(int64_t ms, char *out, size_t cap)
{
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(out, cap, "%Y-%m-%d", &tm);
}

int dayend_tick(struct store *store, int64_t now_ms)
{
    int n = 0;
    if (__atomic_load_n(&due_ms, __ATOMIC_ACQUIRE) > now_ms)
        return 0;
    if (pthread_mutex_trylock(&lock) != 0)
        return 0; /* another thread is closing the day right now */
    if (due_ms <= now_ms) {
        int rc = store->ops->oc->day_close(store, dayend_midnight(now_ms, 0), &n);
        int64_t due = rc == 0 ? dayend_midnight(now_ms, 1) : now_ms + 60000;
        __atomic_store_n(&due_ms, due, __ATOMIC_RELEASE);
        if (rc < 0) {
            fprintf(stderr, "hubd: closing the day failed; will retry\n");
            n = -1;
        } else if (n > 0) {
            fprintf(stderr, "hubd: day closed: %d still waiting counted as left\n", n);
        }
    }
    pthread_mutex_unlock(&lock);
    return n;
}
