/* events_pg.h — the live board across several hubd on one PostgreSQL: every change a hubd
 * publishes goes out as NOTIFY on one channel, and every hubd (this one too) LISTENs and hands
 * what it hears to its own notifier, so a client sees a change from whichever hubd made it.
 * One libpq connection of its own, on a thread of its own: writers only queue. */
#ifndef HUBD_EVENTS_PG_H
#define HUBD_EVENTS_PG_H

#include "events.h"

#include <stddef.h>

#define EVENTS_PG_CHANNEL  "hub_events"
#define EVENTS_PG_QUEUE    1024  /* changes waiting to be sent at most; past it, local only */
#define EVENTS_PG_RETRY_MS 10000 /* the longest wait between reconnection attempts */

struct events_pg;

/* Connects to conninfo (a postgresql:// URL), LISTENs, and becomes ev's relay. While the
 * connection is down, changes are delivered to this process's clients only; once it is back,
 * every client is told to resync. NULL with a reason in err when the first connection fails. */
struct events_pg *events_pg_start(struct events *ev, const char *conninfo, char *err, size_t cap);

/* Stops relaying (ev delivers locally again), closes the connection and frees p. Call it
 * once nothing publishes any more (the server has stopped). */
void events_pg_stop(struct events_pg *p);

#endif
