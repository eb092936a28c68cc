/* events_store.h — a store that publishes every committed change of the board to the live
 * board's notifier: check-ins (new ones only, never a replay), handovers and calls of the
 * next resident, reassignments, leaving and its undo, the day's end, outcomes and worker
 * changes. Reads and failed writes pass through untouched. */
#ifndef HUBD_EVENTS_STORE_H
#define HUBD_EVENTS_STORE_H

#include "events.h"
#include "store.h"

/* Wraps inner, publishing to ev for hub (a hub id, "" when the database has no hub yet).
 * NULL on allocation failure. Closing the wrapper frees it alone: inner stays open and is
 * its opener's to close. ev must outlive it. */
struct store *events_store_wrap(struct store *inner, struct events *ev, const char *hub);

#endif
