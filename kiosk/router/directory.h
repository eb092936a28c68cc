/* directory.h — the hub directory as the matcher reads it: the hub and its workers with live
 * status, in typed fixed-size form. Parsed by the one codec, services/proto/hubdir.h. */
#ifndef HUB_DIRECTORY_H
#define HUB_DIRECTORY_H

#include <stdbool.h>
#include <stddef.h>

#include "proto/limits.h"
#include "proto/taxonomy.h"

enum worker_status { WS_AVAILABLE, WS_BUSY, WS_AWAY, WS_OFF, WS_COUNT };

#define DIR_ID_MAX      (LIMIT_IDENT_BYTES + 1)
#define DIR_NAME_MAX    (LIMIT_DIR_NAME_BYTES + 1)
#define DIR_LANG_MAX    LIMIT_WORKER_LANGS
#define DIR_NEEDS_MAX   LIMIT_WORKER_NEEDS
#define DIR_WORKERS_MAX LIMIT_WORKERS

struct worker {
    char id[DIR_ID_MAX];
    char name[DIR_NAME_MAX];
    char role[DIR_NAME_MAX];
    char desk[DIR_NAME_MAX];
    char desk_cy[DIR_NAME_MAX]; /* the desk in Welsh ("Ystafell 2"); "" when not given */
    unsigned domain_mask;       /* bit (1u << enum domain) */
    int n_needs;
    char needs[DIR_NEEDS_MAX][NEED_ID_MAX]; /* need ids this worker takes */
    int n_langs;
    char langs[DIR_LANG_MAX][LIMIT_LANG_BYTES + 1]; /* "en", "cy", ... */
    bool duty;
    enum worker_status status;
    int waiting; /* residents waiting for them now, as hubd counts; -1 unknown (a seed file) */
};

struct hub_dir {
    char hub_id[DIR_ID_MAX];
    char hub_name[DIR_NAME_MAX];
    char timezone[DIR_ID_MAX];
    int n_workers;
    struct worker *workers;
};

/* Parses directory JSON with the one codec (proto/hubdir.h: its rules and error messages).
 * Returns NULL with a reason in err on failure. Free with dir_free(). */
struct hub_dir *dir_parse(const char *json, size_t len, char *err, size_t errcap);

/* Reads (capped at LIMIT_DIR_FILE_BYTES) and parses a file; NULL with a reason in err. */
struct hub_dir *dir_load_file(const char *path, char *err, size_t errcap);

void dir_free(struct hub_dir *d);

/* Index of the worker with this id, or -1. */
int dir_find(const struct hub_dir *d, const char *id);

bool worker_speaks(const struct worker *w, const char *lang);
bool worker_takes_need(const struct worker *w, const char *need_id);

/* "available", "busy", "away", "off"; status_parse returns -1 for anything else. */
const char *status_name(enum worker_status s);
int status_parse(const char *s);

#endif
