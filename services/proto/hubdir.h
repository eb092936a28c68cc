/* hubdir.h — the hub directory (DESIGN "Hub directory JSON": the hub and its workers with live
 * status and waiting counts), the one codec for GET /directory, --seed and --directory: hubd
 * parses seeds and serves it, the kiosk parses what hubd serves (kiosk/router/directory.h
 * projects it into the matcher's typed form). Lists are kept comma-joined. */
#ifndef PROTO_HUBDIR_H
#define PROTO_HUBDIR_H

#include <stdbool.h>
#include <stddef.h>

#include "proto/limits.h"

#define HDIR_WORKERS_MAX LIMIT_WORKERS
#define HDIR_NAME_MAX    LIMIT_DIR_NAME_BYTES
#define HDIR_DESK_MAX    LIMIT_DESK_BYTES
#define HDIR_LIST_MAX    1024 /* bytes of a comma-joined list */

struct hdir_worker {
    char *id, *name, *role, *desk, *desk_cy; /* role, desk, desk_cy: "" when absent */
    char *domains, *needs, *languages;       /* comma-joined, validated, in the sender's order */
    bool duty;
    const char *status; /* canonical static string */
    int waiting;        /* residents waiting for this worker; -1 when not known */
};

struct hdir {
    bool has_hub;
    char *hub_id, *hub_name, *timezone;
    struct hdir_worker *workers;
    size_t n_workers;
};

/* Parses directory JSON of len bytes. Unknown fields are ignored; a missing or invalid
 * field is an error naming it ("workers[2].languages[0]: unknown value"). Required: hub.id,
 * hub.name, workers, and each worker's id, name, domains and languages; status defaults to
 * available, timezone to UTC. needs must be known to the installed taxonomy (any identifier
 * when none is installed). Returns 0 and fills d (free with hdir_release), or -1 with the
 * reason in err (d then holds nothing). */
int hdir_parse(const char *json, size_t len, struct hdir *d, char *err, size_t cap);

/* Frees everything d owns and zeroes it. */
void hdir_release(struct hdir *d);

/* Serialises d as compact directory JSON ("waiting" only for workers where it is known).
 * Returns a malloc'd NUL-terminated string (caller frees) or NULL on allocation failure. */
char *hdir_to_json(const struct hdir *d);

/* Index of worker id in d, or -1. */
int hdir_find(const struct hdir *d, const char *id);

#endif
