/* backend_local.h — the local-only backend: tickets and rough waits computed on the kiosk, for
 * when there is no hubd yet. The sync thread and local store will replace it behind the same
 * struct backend. */
#ifndef KIOSK_BACKEND_LOCAL_H
#define KIOSK_BACKEND_LOCAL_H

#include "backend.h"

/* A new local backend; free with backend_local_free(). NULL when out of memory. */
struct backend *backend_local_new(void);
void backend_local_free(struct backend *b);

#endif
