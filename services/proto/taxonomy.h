/* taxonomy.h — the language-neutral need taxonomy (assets/needs.json, the only list of needs):
 * the domains, and each need's id, domains, urgency and label key. Loaded once by hubd, the
 * kiosk and the tools; nothing else keeps a copy. */
#ifndef PROTO_TAXONOMY_H
#define PROTO_TAXONOMY_H

#include <stdbool.h>
#include <stddef.h>

#include "proto/limits.h"

enum domain { DOMAIN_HOUSING, DOMAIN_HEALTH, DOMAIN_BENEFITS, DOMAIN_COUNT };

#define NEED_ID_MAX (LIMIT_NEED_ID_BYTES + 1) /* bytes of an id and its NUL */
#define NEED_MAX    LIMIT_NEEDS

struct need_def {
    char id[NEED_ID_MAX];
    unsigned char domains[DOMAIN_COUNT]; /* in order of weight, primary first */
    int n_domains;
    unsigned domain_mask; /* bit (1u << domain) for each domain */
    bool urgent;
    bool general; /* a catch-all for its domain, dropped when a specific need is found */
    char label[NEED_ID_MAX + 8]; /* key into the locale strings, e.g. "need.rent_arrears" */
    char esd[16];                /* LGA esd need identifier, "" when not known */
    char calm_id[NEED_ID_MAX];   /* "calm" in the file, "" when absent */
    int calm; /* the need an urgent one becomes when it is not happening now ("homeless in two
                 months" is somewhere_to_live, not homeless_tonight); -1 when it never does */
};

struct taxonomy {
    int n;
    struct need_def needs[NEED_MAX];
};

/* Parses assets/needs.json text. Returns NULL on failure with a one-line reason in err
 * (naming the field). The caller frees with needs_free(). */
struct taxonomy *needs_parse(const char *json, size_t len, char *err, size_t errcap);

/* Reads and parses a file; NULL with a reason in err when unreadable or invalid. */
struct taxonomy *needs_load(const char *path, char *err, size_t errcap);

void needs_free(struct taxonomy *t);

/* Index of the need with this id, or -1. */
int needs_find(const struct taxonomy *t, const char *id);

/* The canonical id (a pointer into t, living as long as it) for id, or NULL when t does not
 * know it. */
const char *needs_canonical(const struct taxonomy *t, const char *id);

/* The taxonomy this process loaded, for validators that carry no context (hubd's check-in and
 * directory readers). Set once at start, before any thread reads it; t must outlive its use. */
void needs_install(const struct taxonomy *t);
const struct taxonomy *needs_installed(void);
/* needs_canonical over the installed taxonomy: NULL when unknown or none is installed. */
const char *need_lookup(const char *id);
/* Number of needs in the installed taxonomy (0 when none), and the i-th need's id. */
size_t need_count(void);
const char *need_at(size_t i);

/* "housing", "health", "benefits"; NULL for an out-of-range value. */
const char *domain_name(int d);

/* The domain for a name, or -1. */
int domain_parse(const char *name);
/* The canonical static name for a domain name, or NULL (a jv_lookup_fn). */
const char *domain_lookup(const char *s);

#endif
