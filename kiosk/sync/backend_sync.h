/* backend_sync.h — the networked backend: each check-in gets the kiosk's own ticket at once
 * (the one ticket, which hubd adopts), goes to the local store, and the sync thread takes it
 * to hubd; poll says when hubd's answer (position and wait) has come. */
#ifndef KIOSK_BACKEND_SYNC_H
#define KIOSK_BACKEND_SYNC_H

#include "backend.h"
#include "store.h"
#include "sync.h"

/* A backend over store (may be NULL: no store at all) and sync (may be NULL), numbering
 * tickets with the kiosk code token carries ("A-…": A; see ticket_code_of_token), and on
 * from the highest number store holds for today. Neither is owned. NULL when out of memory.
 * Free with backend_sync_free(). */
struct backend *backend_sync_new(struct store *store, struct sync *sync, const char *token);
void backend_sync_free(struct backend *b);

#endif
