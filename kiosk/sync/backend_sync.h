/* backend_sync.h — the networked backend: each check-in goes to the local store first, the
 * sync thread takes it to hubd. submit gives the kiosk's own ticket at once; poll says when
 * hubd's has come, so the app can show hubd's when it comes within about a second. */
#ifndef KIOSK_BACKEND_SYNC_H
#define KIOSK_BACKEND_SYNC_H

#include "backend.h"
#include "store.h"
#include "sync.h"

/* A backend over store (may be NULL: no store at all) and sync (may be NULL). Neither is
 * owned. NULL when out of memory. Free with backend_sync_free(). */
struct backend *backend_sync_new(struct store *store, struct sync *sync);
void backend_sync_free(struct backend *b);

#endif
