/* needs.h — the language-neutral need taxonomy (assets/needs.json). */
#ifndef HUB_NEEDS_H
#define HUB_NEEDS_H

#include <stdbool.h>
#include <stddef.h>

enum domain { DOMAIN_HOUSING, DOMAIN_HEALTH, DOMAIN_BENEFITS, DOMAIN_COUNT };

#define NEED_ID_MAX 48
#define NEED_MAX    256

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

/* "housing", "health", "benefits"; NULL for an out-of-range value. */
const char *domain_name(int d);

/* The domain for a name, or -1. */
int domain_parse(const char *name);

#endif
