/* backend_local.h — the kiosk's own tickets: "H-A07", the domain's letter, the kiosk's code
 * and its number for the day. Used alone when there is no hubd (no token), and by the sync
 * backend, which hands the check-ins on to hubd. Never a made-up position or wait. */
#ifndef KIOSK_BACKEND_LOCAL_H
#define KIOSK_BACKEND_LOCAL_H

#include <stdint.h>

#include "backend.h"

/* The highest ticket number already issued with this code since day_start_ms (ms since the
 * epoch, the kiosk's local midnight), so a restarted kiosk goes on where it stopped; 0 for
 * none. May be NULL: numbers then start at 1 each day the kiosk runs. */
typedef long (*backend_last_fn)(void *ctx, const char *code, int64_t day_start_ms);

/* A new local backend numbering tickets with code (1-2 letters A-Z; NULL or invalid: "K"),
 * asking last(ctx, ...) at the first ticket of each day. Free with backend_local_free(). NULL
 * when out of memory. */
struct backend *backend_local_new(const char *code, backend_last_fn last, void *ctx);
void backend_local_free(struct backend *b);

#endif
