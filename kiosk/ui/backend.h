/* backend.h — the seam between the kiosk's screen flow and wherever check-ins go: a local-only
 * backend now, a sync thread with a local store and hubd later. The flow only calls these. */
#ifndef HUB_BACKEND_H
#define HUB_BACKEND_H

#include <stdbool.h>

#include "directory.h"
#include "proto/limits.h"
#include "proto/taxonomy.h"
#include "router.h"

#define CHECKIN_TEXT_MAX (LIMIT_TEXT_BYTES + 1) /* bytes: the text's cap and a terminator */
#define CHECKIN_NAME_MAX (LIMIT_NAME_BYTES + 1) /* bytes: the name's cap and a terminator */

enum chosen_by { CHOSEN_ROUTER, CHOSEN_RESIDENT, CHOSEN_RECEPTION };

/* One resident's check-in as the flow hands it over. The backend adds the id (UUID) and
 * created_at. text is "" unless the resident agreed to share it. */
struct kiosk_checkin {
    char lang[8];
    int n_needs;
    char needs[ROUTE_MAX_NEEDS][NEED_ID_MAX];
    unsigned domain_mask;
    bool urgent;
    char worker_id[DIR_ID_MAX]; /* "" = reception */
    enum chosen_by chosen_by;
    char name[CHECKIN_NAME_MAX];
    char text[CHECKIN_TEXT_MAX];
    bool consent;
};

/* The resident's one ticket: the kiosk issues it at once and hubd adopts it. Where they are
 * in the line and how long comes from hubd's answer; -1 while unknown (hubd unreachable:
 * reception will tell them, the kiosk never invents a number). */
struct ticket {
    char code[16]; /* e.g. "H-A07", shown large */
    int position;  /* residents ahead for the same worker (0: next); -1 unknown */
    int wait_min;  /* hubd's estimate, minutes; -1 unknown */
};

struct backend {
    void *self;
    /* Records c and fills out with its ticket (final). Never blocks: a networked backend
     * keeps c in its local store and sends it later. Returns 0 when nothing more will come;
     * 1 when hubd's position and wait may follow, to ask poll for; negative on failure (the
     * flow then shows no ticket). */
    int (*submit)(void *self, const struct kiosk_checkin *c, struct ticket *out);
    /* After submit returned 1, never blocks: 1 with out->position and out->wait_min when hubd
     * answered for that check-in (out->code is left alone), 0 while it may still come, -1
     * when it will not come soon (hubd unreachable). NULL when submit never returns 1. */
    int (*poll)(void *self, struct ticket *out);
    /* A resident's answer on the way out ("yes", "partly" or "no", in lang), anonymous: kept
     * at once and sent later, never blocks. 0, or negative when it could not be kept. NULL
     * when the backend keeps no answers. */
    int (*feedback)(void *self, const char *lang, const char *answer);
};

#endif
