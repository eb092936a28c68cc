/* router.h — plain words in: the needs an utterance holds, its domains, urgency. */
#ifndef HUB_ROUTER_H
#define HUB_ROUTER_H

#include <stdbool.h>
#include <stddef.h>

#include "proto/taxonomy.h"

#define ROUTE_MAX_NEEDS 6
#define ROUTE_TEXT_MAX  2000 /* bytes; longer input is cut at a character boundary */

struct route_need {
    int need;    /* index into the router's taxonomy */
    float score; /* 0..1, higher is surer */
};

struct route_result {
    char lang[8]; /* language the text is written in ("en", "cy"); the UI language if unclear */
    int n_needs;
    struct route_need needs[ROUTE_MAX_NEEDS]; /* best first */
    int n_domains;
    int domains[DOMAIN_COUNT]; /* enum domain, primary first */
    bool urgent;
    bool unsure;      /* nothing recognised with confidence: ask with topic tiles */
    float confidence; /* best need's score, 0 when none */
};

struct router;

/* Loads assets/needs.json from assets_dir, the learned model assets/route-model.bin when that
 * file exists, and locales/<lang>/needs.json for every language folder under locales_dir. Returns
 * NULL with a one-line reason in err on failure. Free with router_free(). */
struct router *router_new(const char *assets_dir, const char *locales_dir, char *err,
                          size_t errcap);

/* The same, but with_model false never reads the learned model (route-train, which writes it). */
struct router *router_new_opts(const char *assets_dir, const char *locales_dir, bool with_model,
                               char *err, size_t errcap);

void router_free(struct router *r);

/* Routes one utterance (any bytes; invalid UTF-8 is replaced, not trusted). ui_lang is the
 * language the resident chose on screen (may be NULL). Fills out completely; returns 0, or
 * a negative value only when r or out is NULL. Not thread-safe on one router (it holds a
 * stemmer); use one router per thread. */
int route_text(struct router *r, const char *text, size_t len, const char *ui_lang,
               struct route_result *out);

const struct taxonomy *router_taxonomy(const struct router *r);

/* Whether route_text() asks the learned model (assets/route-model.bin, when router_new found
 * one) as well as the vocabulary; on by default. Off gives the vocabulary alone (route-train
 * and the tests of the rules use it). */
void router_use_model(struct router *r, bool on);

/* Replaces the learned model with the one in the file at path (route-eval --model). Returns 0,
 * or -1 with a one-line reason in err (the old model stays). */
int router_load_model(struct router *r, const char *path, char *err, size_t errcap);

/* Appends to f (n used of max) the features that tell the learned model what the vocabulary
 * found (lex: a route_text() result with the model off); route-train and route_text() share
 * it. Returns the new count. */
struct feat;
int route_lexicon_feats(const struct router *r, const struct route_result *lex, struct feat *f,
                        int n, int max);

/* The learned model's features of an utterance (what route-train trains on): the text's own
 * and what the vocabulary alone finds in it. Writes up to max into f; returns the count. Uses
 * the router's scratch, like route_text(). */
int route_features(struct router *r, const char *text, size_t len, struct feat *f, int max);

/* True when some language of the router knows the token as a word (a stopword, a word of its
 * word list or of its vocabulary). */
struct token;
bool router_knows_word(const struct router *r, const struct token *t);

/* True when a learned model was loaded. */
bool router_has_model(const struct router *r);

/* Languages with a vocabulary loaded, e.g. {"cy","en"}; count in *n. */
const char *const *router_langs(const struct router *r, int *n);

#endif
