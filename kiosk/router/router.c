/* router.c — from tokens to needs: language detection, term matching with gaps, negation
 * scopes, scoring, and the domains and urgency that follow. */
#include "router.h"

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "vocab.h"

#define LANGS_MAX         8
#define MATCHES_MAX       256
#define TERM_GAP          2 /* other words allowed between two words of a term */
#define SCOPE_WORDS       6 /* a negation covers at most this many words */
#define WEAK_ENOUGH       0.8f
#define SURE_ENOUGH       1.0f
#define MATCH_TERM_STRIDE (1 << 20)

struct match {
    int need;
    int term; /* which vocabulary entry: language * MATCH_TERM_STRIDE + index */
    float weight;
    bool weak;
    unsigned char n;
    short pos[TERM_WORDS_MAX];
};

/* Everything one call works on. */
struct work {
    struct token toks[TOKENS_MAX];
    int n_toks;
    int ids[LANGS_MAX][TOKENS_MAX][WORD_ALTS]; /* -1 where unused */
    float evidence[LANGS_MAX][TOKENS_MAX];
    struct match matches[MATCHES_MAX];
    int n_matches;
    bool claimed[TOKENS_MAX];
    bool negated[TOKENS_MAX];
    bool dropped[MATCHES_MAX];
};

struct router {
    struct taxonomy *tax;
    int n_langs;
    struct vocab *langs[LANGS_MAX];
    const char *codes[LANGS_MAX];
    struct work *work; /* scratch for one call: why the router is not thread-safe */
};

static int cmp_codes(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Language folders under locales_dir that hold a needs.json, sorted. */
static int list_langs(const char *locales_dir, char codes[LANGS_MAX][8], char *err, size_t errcap)
{
    DIR *d = opendir(locales_dir);
    if (!d) {
        snprintf(err, errcap, "cannot open %s", locales_dir);
        return -1;
    }
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < LANGS_MAX) {
        char path[1200];
        size_t len = strlen(e->d_name);
        if (e->d_name[0] == '.' || len == 0 || len >= 8)
            continue;
        snprintf(path, sizeof(path), "%s/%s/needs.json", locales_dir, e->d_name);
        FILE *f = fopen(path, "rb");
        if (!f)
            continue;
        fclose(f);
        memcpy(codes[n++], e->d_name, len + 1);
    }
    closedir(d);
    const char *ptrs[LANGS_MAX];
    for (int i = 0; i < n; i++)
        ptrs[i] = codes[i];
    qsort(ptrs, (size_t)n, sizeof(ptrs[0]), cmp_codes);
    char sorted[LANGS_MAX][8];
    for (int i = 0; i < n; i++)
        memcpy(sorted[i], ptrs[i], 8);
    memcpy(codes, sorted, sizeof(sorted[0]) * (size_t)n);
    if (n == 0)
        snprintf(err, errcap, "no locales/<lang>/needs.json under %s", locales_dir);
    return n;
}

struct router *router_new(const char *assets_dir, const char *locales_dir, char *err, size_t errcap)
{
    char path[1100], codes[LANGS_MAX][8];
    struct router *r = calloc(1, sizeof(*r));
    if (!r || !(r->work = malloc(sizeof(*r->work)))) {
        free(r);
        snprintf(err, errcap, "out of memory");
        return NULL;
    }
    if (!util_path(path, sizeof(path), assets_dir, "needs.json") ||
        !(r->tax = needs_load(path, err, errcap)))
        goto out_free;
    int n = list_langs(locales_dir, codes, err, errcap);
    if (n <= 0)
        goto out_free;
    for (int i = 0; i < n; i++) {
        r->langs[i] = vocab_load(locales_dir, codes[i], r->tax, err, errcap);
        if (!r->langs[i])
            goto out_free;
        r->codes[i] = r->langs[i]->code;
        r->n_langs++;
    }
    return r;

out_free:
    router_free(r);
    return NULL;
}

void router_free(struct router *r)
{
    if (!r)
        return;
    for (int i = 0; i < r->n_langs; i++)
        vocab_free(r->langs[i]);
    needs_free(r->tax);
    free(r->work);
    free(r);
}

const struct taxonomy *router_taxonomy(const struct router *r)
{
    return r ? r->tax : NULL;
}

const char *const *router_langs(const struct router *r, int *n)
{
    *n = r ? r->n_langs : 0;
    return r ? r->codes : NULL;
}

static bool has_id(const struct work *w, int l, int i, int id)
{
    for (int a = 0; a < WORD_ALTS; a++)
        if (w->ids[l][i][a] == id && id >= 0)
            return true;
    return false;
}

/* Resolves every token in every language, without spelling correction, and weighs how much
 * each token looks like each language. */
static void resolve_all(const struct router *r, struct work *w)
{
    for (int l = 0; l < r->n_langs; l++) {
        const struct vocab *v = r->langs[l];
        for (int i = 0; i < w->n_toks; i++) {
            const struct token *t = &w->toks[i];
            int *ids = w->ids[l][i];
            int n = vocab_resolve(v, t, ids);
            for (int a = n; a < WORD_ALTS; a++)
                ids[a] = -1;
            float e = 0;
            if (vocab_is_stop(v, t) || n > 0)
                e = 1.0f;
            else if (vocab_is_lexicon(v, t))
                e = 0.5f;
            w->evidence[l][i] = e;
        }
    }
}

/* Forgives spelling slips in the text's own language, on words no language knows. */
static void correct_typos(const struct router *r, struct work *w, int primary)
{
    for (int i = 0; i < w->n_toks; i++) {
        bool known = false;
        for (int l = 0; l < r->n_langs; l++)
            known |= w->evidence[l][i] > 0;
        if (!known)
            w->ids[primary][i][0] = vocab_correct(r->langs[primary], &w->toks[i]);
    }
}

static int detect_lang(const struct router *r, const struct work *w, const char *ui_lang)
{
    int best = -1, ui = -1, en = -1;
    float best_score = 0;
    for (int l = 0; l < r->n_langs; l++) {
        float s = 0;
        for (int i = 0; i < w->n_toks; i++)
            s += w->evidence[l][i];
        if (ui_lang && strcmp(r->codes[l], ui_lang) == 0)
            ui = l;
        if (strcmp(r->codes[l], "en") == 0)
            en = l;
        if (s > best_score) {
            best = l;
            best_score = s;
        } else if (s == best_score && s > 0 && best >= 0) {
            best = -2; /* a tie: let the screen's language decide */
        }
    }
    if (best >= 0)
        return best;
    if (ui >= 0)
        return ui;
    return en >= 0 ? en : 0;
}

/* Matches term t from token i in language l; fills m and returns true on success. */
static bool match_term(const struct work *w, int l, const struct term *t, int i, struct match *m)
{
    m->pos[0] = (short)i;
    int j = i;
    for (int k = 1; k < t->n; k++) {
        int found = -1;
        for (int g = 1; g <= TERM_GAP + 1 && j + g < w->n_toks; g++) {
            if (w->toks[j + g].brk)
                break;
            if (has_id(w, l, j + g, t->words[k])) {
                found = j + g;
                break;
            }
        }
        if (found < 0)
            return false;
        m->pos[k] = (short)found;
        j = found;
    }
    m->need = t->need;
    m->weight = t->weight;
    m->weak = t->weak;
    m->n = t->n;
    return true;
}

static void find_matches(const struct router *r, struct work *w, int primary)
{
    w->n_matches = 0;
    for (int l = 0; l < r->n_langs; l++) {
        const struct vocab *v = r->langs[l];
        for (int i = 0; i < w->n_toks; i++) {
            /* Another language's words only count where the text's own language knows nothing. */
            if (l != primary && w->evidence[primary][i] > 0)
                continue;
            for (int a = 0; a < WORD_ALTS; a++) {
                int id = w->ids[l][i][a];
                for (int t = id < 0 ? -1 : v->first[id]; t >= 0 && w->n_matches < MATCHES_MAX;
                     t = v->next[t])
                    if (match_term(w, l, &v->terms[t], i, &w->matches[w->n_matches])) {
                        w->matches[w->n_matches].term = l * MATCH_TERM_STRIDE + t;
                        w->n_matches++;
                    }
            }
        }
    }
}

/* Longer terms win the words they use: a shorter term on a claimed word is dropped. */
static void resolve_overlaps(struct work *w)
{
    memset(w->claimed, 0, sizeof(w->claimed));
    memset(w->dropped, 0, sizeof(w->dropped));
    for (int len = TERM_WORDS_MAX; len >= 1; len--) {
        for (int m = 0; m < w->n_matches; m++) {
            const struct match *x = &w->matches[m];
            if (x->n != len)
                continue;
            for (int k = 0; k < x->n; k++)
                if (w->claimed[x->pos[k]])
                    w->dropped[m] = true;
        }
        for (int m = 0; m < w->n_matches; m++) {
            const struct match *x = &w->matches[m];
            if (x->n == len && !w->dropped[m])
                for (int k = 0; k < x->n; k++)
                    w->claimed[x->pos[k]] = true;
        }
    }
}

static bool cue_at(const struct work *w, int l, const struct cue *c, int i)
{
    if (i + c->n > w->n_toks)
        return false;
    for (int k = 0; k < c->n; k++)
        if (!has_id(w, l, i + k, c->words[k]) || (k > 0 && w->toks[i + k].brk))
            return false;
    return true;
}

/* True when some word id of token i may begin a cue of the given kind. */
static bool may_start(const struct work *w, int l, const struct vocab *v, int i, int kind)
{
    for (int a = 0; a < WORD_ALTS; a++) {
        int id = w->ids[l][i][a];
        if (id >= 0 && (v->starts[id] & kind))
            return true;
    }
    return false;
}

static bool break_at(const struct work *w, int l, const struct vocab *v, int j)
{
    if (w->toks[j].brk)
        return true;
    if (!may_start(w, l, v, j, CUE_STARTS_BREAK))
        return false;
    for (int b = 0; b < v->n_breaks; b++)
        if (cue_at(w, l, &v->breaks[b], j))
            return true;
    return false;
}

/* Marks the words a negation cue covers, up to a clause mark or a scope break. A cue whose
 * negating word a matched term uses ("no food", "nowhere to sleep") is part of that term. */
static void mark_negations(const struct router *r, struct work *w)
{
    memset(w->negated, 0, sizeof(w->negated));
    for (int l = 0; l < r->n_langs; l++) {
        const struct vocab *v = r->langs[l];
        for (int i = 0; i < w->n_toks; i++) {
            if (w->claimed[i] || !may_start(w, l, v, i, CUE_STARTS_NEG))
                continue;
            for (int c = 0; c < v->n_negs; c++) {
                const struct cue *cue = &v->negs[c];
                if (w->claimed[i] || !cue_at(w, l, cue, i))
                    continue;
                for (int j = i + 1, k = 0; j < w->n_toks && k < SCOPE_WORDS; j++, k++) {
                    if (j >= i + cue->n && break_at(w, l, v, j))
                        break;
                    w->negated[j] = true;
                }
            }
        }
    }
}

struct scored {
    int need;
    float raw;
    int first_pos;
    bool urgent;
};

static int cmp_scored(const void *a, const void *b)
{
    const struct scored *x = a, *y = b;
    if (x->urgent != y->urgent)
        return x->urgent ? -1 : 1;
    if (x->raw != y->raw)
        return x->raw > y->raw ? -1 : 1;
    if (x->first_pos != y->first_pos)
        return x->first_pos < y->first_pos ? -1 : 1;
    return x->need - y->need;
}

/* True when a match already counted for the same need used one of m's words, or (for a weak
 * cue) was the same vocabulary entry: one typed word, and one weak cue, count once a need. */
static bool already_counted(const struct work *w, const bool *counted, int m)
{
    const struct match *x = &w->matches[m];
    for (int e = 0; e < w->n_matches; e++) {
        const struct match *y = &w->matches[e];
        if (!counted[e] || y->need != x->need)
            continue;
        if (x->weak && y->term == x->term)
            return true;
        for (int a = 0; a < x->n; a++)
            for (int b = 0; b < y->n; b++)
                if (x->pos[a] == y->pos[b])
                    return true;
    }
    return false;
}

/* Match indexes, heaviest first (stable), so a term is counted before a weak cue on its words. */
static void order_by_weight(const struct work *w, int *order)
{
    for (int i = 0; i < w->n_matches; i++) {
        int j = i;
        for (; j > 0 && w->matches[order[j - 1]].weight < w->matches[i].weight; j--)
            order[j] = order[j - 1];
        order[j] = i;
    }
}

static int score_needs(const struct router *r, const struct work *w, struct scored *out)
{
    static const float none = 0;
    int n_tax = r->tax->n;
    float strong[NEED_MAX], weak[NEED_MAX];
    int first[NEED_MAX];
    for (int i = 0; i < n_tax; i++) {
        strong[i] = weak[i] = none;
        first[i] = TOKENS_MAX;
    }
    int order[MATCHES_MAX];
    bool counted[MATCHES_MAX] = {false};
    order_by_weight(w, order);
    for (int k = 0; k < w->n_matches; k++) {
        int m = order[k];
        const struct match *x = &w->matches[m];
        /* A negation never hides an urgent need: missing one costs far more than a false
         * alarm ("im not safe, its not about money" must still reach a person now). */
        if (w->dropped[m] || (w->negated[x->pos[0]] && !r->tax->needs[x->need].urgent))
            continue;
        if (already_counted(w, counted, m))
            continue;
        counted[m] = true;
        if (x->weak)
            weak[x->need] += x->weight;
        else
            strong[x->need] += x->weight;
        if (x->pos[0] < first[x->need])
            first[x->need] = x->pos[0];
    }
    unsigned specific_domains = 0;
    for (int i = 0; i < n_tax; i++)
        if (!r->tax->needs[i].general && (strong[i] > 0 || weak[i] >= WEAK_ENOUGH))
            specific_domains |= r->tax->needs[i].domain_mask;
    int n = 0;
    for (int i = 0; i < n_tax; i++) {
        const struct need_def *nd = &r->tax->needs[i];
        if (!(strong[i] > 0 || weak[i] >= WEAK_ENOUGH))
            continue;
        if (nd->general && (nd->domain_mask & specific_domains))
            continue;
        out[n++] = (struct scored){
            .need = i, .raw = strong[i] + weak[i], .first_pos = first[i], .urgent = nd->urgent};
    }
    qsort(out, (size_t)n, sizeof(out[0]), cmp_scored);
    return n;
}

static void fill_domains(const struct taxonomy *tax, const struct scored *s, int n,
                         struct route_result *out)
{
    float dscore[DOMAIN_COUNT] = {0};
    for (int i = 0; i < n; i++) {
        const struct need_def *nd = &tax->needs[s[i].need];
        for (int k = 0; k < nd->n_domains; k++)
            dscore[nd->domains[k]] += s[i].raw * (k == 0 ? 1.0f : 0.7f);
    }
    out->n_domains = 0;
    if (n == 0)
        return;
    int primary = tax->needs[s[0].need].domains[0];
    out->domains[out->n_domains++] = primary;
    dscore[primary] = 0;
    for (;;) {
        int best = -1;
        for (int d = 0; d < DOMAIN_COUNT; d++)
            if (dscore[d] > 0 && (best < 0 || dscore[d] > dscore[best]))
                best = d;
        if (best < 0)
            break;
        out->domains[out->n_domains++] = best;
        dscore[best] = 0;
    }
}

int route_text(struct router *r, const char *text, size_t len, const char *ui_lang,
               struct route_result *out)
{
    if (!r || !out)
        return -1;
    memset(out, 0, sizeof(*out));
    struct work *w = r->work;
    if (!text)
        len = 0;
    if (len > ROUTE_TEXT_MAX)
        len = ROUTE_TEXT_MAX;
    w->n_toks = text_tokenise(text, len, w->toks, TOKENS_MAX);
    resolve_all(r, w);
    int primary = detect_lang(r, w, ui_lang);
    util_copy(out->lang, sizeof(out->lang), r->codes[primary]);
    correct_typos(r, w, primary);
    find_matches(r, w, primary);
    resolve_overlaps(w);
    mark_negations(r, w);

    struct scored s[NEED_MAX];
    int n = score_needs(r, w, s);
    if (n > ROUTE_MAX_NEEDS)
        n = ROUTE_MAX_NEEDS;
    for (int i = 0; i < n; i++) {
        out->needs[i].need = s[i].need;
        out->needs[i].score = 1.0f - expf(-s[i].raw);
        out->urgent |= s[i].urgent;
    }
    out->n_needs = n;
    fill_domains(r->tax, s, n, out);
    out->confidence = n ? out->needs[0].score : 0;
    out->unsure = n == 0 || (!out->urgent && s[0].raw < SURE_ENOUGH);
    return 0;
}
