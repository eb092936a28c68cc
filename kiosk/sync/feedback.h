/* feedback.h — residents' one-tap answer on the way out ("Did you get what you came for?"):
 * kept in the local store the moment it is given, sent by the sync thread as POST
 * /api/v1/feedback until hubd has it. Anonymous: a fresh id of its own, no check-in, worker or
 * words, and its time only to the hour (hubd keeps no finer). */
#ifndef KIOSK_FEEDBACK_H
#define KIOSK_FEEDBACK_H

#include <stdint.h>

#include "store.h"
#include "sync.h"

#define FEEDBACK_GRAIN_MS (3600 * 1000LL) /* an answer's time is kept to the hour */

/* answer is "yes", "partly" or "no" (anything else: false). */
bool feedback_answer_valid(const char *answer);

/* Records an answer in lang at now_ms (wall clock) under a fresh UUID v4 (into id when not
 * NULL), durably before returning unless the store is in memory. 0; -1 for an answer or
 * language that is not one, no randomness, or a store that cannot take it. */
int store_feedback_add(struct store *s, const char *lang, const char *answer, int64_t now_ms,
                       char id[STORE_ID_LEN]);
/* Up to max answers still to send, oldest first: ids into ids[], malloc'd bodies into bodies[]
 * (free each). Returns how many, or -1. */
int store_feedback_pending(struct store *s, int max, char ids[][STORE_ID_LEN], char **bodies);
/* Answers still to send, or -1. */
int store_feedback_count(struct store *s);
/* Forgets id: hubd has it, or refused it for good. 0 or -1. */
int store_feedback_done(struct store *s, const char *id);

/* Sync thread: sends the answers waiting in store, one POST each (hubd is idempotent by id, so
 * one sent again after a lost answer counts once). Returns 1 when some were sent and all of
 * them settled, 0 when none waited, -1 when one failed (to retry after a backoff; the rest stay
 * waiting). */
int feedback_send(struct sync *s, struct store *store);

#endif
