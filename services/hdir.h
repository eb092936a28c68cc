/* hdir.h — the hub directory (hub + workers with live status): parsing the seed JSON of
 * DESIGN.md and serialising it for GET /directory. Lists are kept comma-joined. */
#ifndef HUBD_HDIR_H
#define HUBD_HDIR_H

#include <stdbool.h>
#include <stddef.h>

#define HDIR_WORKERS_MAX 512
#define HDIR_NAME_MAX    128
#define HDIR_DESK_MAX    64
#define HDIR_LIST_MAX    1024

struct hdir_worker {
    char *id, *name, *role, *desk;
    char *domains, *needs, *languages; /* comma-joined, validated ids */
    bool duty;
    const char *status; /* canonical static string */
    int waiting;        /* residents waiting for this worker (served, never parsed); -1 unknown */
};

struct hdir {
    bool has_hub;
    char *hub_id, *hub_name, *timezone;
    struct hdir_worker *workers;
    size_t n_workers;
};

/* Parses directory JSON of len bytes. Unknown fields are ignored; a missing or invalid
 * field is an error naming it. Returns 0 and fills d (free with hdir_release), or -1 with
 * the reason in err. */
int hdir_parse(const char *json, size_t len, struct hdir *d, char *err, size_t cap);

/* Frees everything d owns and zeroes it. */
void hdir_release(struct hdir *d);

/* Serialises d as compact directory JSON. Returns a malloc'd NUL-terminated string (caller
 * frees) or NULL on allocation failure. */
char *hdir_to_json(const struct hdir *d);

/* Index of worker id in d, or -1. */
int hdir_find(const struct hdir *d, const char *id);

#endif
