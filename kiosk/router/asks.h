/* asks.h — what a resident asks for besides needs: a worker by name ("here to see Sian", "dw i
 * isio gweld Sian") and a language or an interpreter ("I speak Polish", "need interpreter"). */
#ifndef HUB_ASKS_H
#define HUB_ASKS_H

#include <stdbool.h>
#include <stddef.h>

#include "directory.h"

struct router;

struct route_asks {
    int worker;       /* directory index of the worker named, -1 when none (or two could be) */
    char lang[8];     /* the language asked for (ISO 639 code, "bfi" for BSL), "" when none */
    bool interpreter; /* asked for an interpreter, or said they have little English */
};

/* Reads text (any bytes) for a worker of d named by first name, full name or a one-letter slip
 * of a name (never a word the router knows: "scan" is not "Sian"), and for a language or an
 * interpreter. r may be NULL (then every slip counts). Fills out; returns 0, or -1 when out is
 * NULL. */
int route_asks(const struct router *r, const struct hub_dir *d, const char *text, size_t len,
               struct route_asks *out);

/* The English name of a language code that route_asks() gives ("Polish"), or NULL. */
const char *asks_lang_name(const char *code);

/* Writes into out (cap bytes) the names of the workers of d who are in today and speak lang,
 * joined by ", "; returns how many there are. */
int asks_speakers(const struct hub_dir *d, const char *lang, char *out, size_t cap);

#endif
