/* matcher.h — needs in, one named worker out, with a plain sentence saying why. */
#ifndef HUB_MATCHER_H
#define HUB_MATCHER_H

#include <stdbool.h>

#include "directory.h"
#include "proto/taxonomy.h"

enum match_reason {
    MATCH_COVERS_ALL,       /* one worker covers every need */
    MATCH_COVERS_SOME,      /* nobody covers all; this one covers the most */
    MATCH_CHOSEN,           /* the resident chose this worker and they are in */
    MATCH_URGENT_DUTY,      /* urgent: the duty worker */
    MATCH_URGENT_RECEPTION, /* urgent and no duty worker in: reception now */
    MATCH_RECEPTION_UNSURE, /* no needs recognised: reception will ask */
    MATCH_RECEPTION_NOBODY, /* needs known but nobody in today takes them */
};

struct match_request {
    const struct taxonomy *tax;
    const int *needs; /* need indexes into tax, best first */
    int n_needs;
    bool urgent;
    const char *lang;             /* the resident's language; NULL = any */
    const char *chosen_worker_id; /* a worker the resident picked, or NULL */
    /* residents waiting per worker (dir order), or NULL: each worker's `waiting` in the
     * directory (hubd's live count) */
    const int *load;
};

struct match_result {
    int worker; /* index into the directory, or -1 for reception */
    enum match_reason reason;
    unsigned covered_mask; /* domains of the request the worker covers */
    unsigned wanted_mask;  /* all domains of the request */
    bool speaks_lang;
    char why[320]; /* one plain English sentence */
};

/* Picks one worker deterministically: the same inputs give the same answer. Rules, in order:
 * urgent -> duty worker who is in (else reception); a chosen worker who is in; otherwise
 * the most needs' domains covered, then the resident's language, then available > busy >
 * away, then the shortest waiting list, then directory order. Never a worker who is off.
 * Returns 0, or -1 when an argument is NULL. */
int match_worker(const struct hub_dir *d, const struct match_request *req,
                 struct match_result *out);

#endif
