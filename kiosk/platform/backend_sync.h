/* backend_sync.h — the networked backend: each check-in goes to the local store first, the
 * sync thread takes it to hubd; the resident sees hubd's ticket when it answers within about a
 * second, else a local one. */
#ifndef KIOSK_BACKEND_SYNC_H
#define KIOSK_BACKEND_SYNC_H

#include "backend.h"
#include "store.h"
#include "sync.h"

/* A backend over store (may be NULL: the db could not be opened) and sync (may be NULL).
 * Neither is owned. NULL when out of memory. Free with backend_sync_free(). */
struct backend *backend_sync_new(struct store *store, struct sync *sync, int wait_ms);
void backend_sync_free(struct backend *b);

#endif
