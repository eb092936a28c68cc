/* router.c — from tokens to needs: language detection, term matching with gaps, negation
 * scopes, scoring, and the domains and urgency that follow. */
#include "proto/paths.h"
#include "router.h"

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "feat.h"
#include "model.h"
#include "util.h"
#include "vocab.h"

#define LANGS_MAX         8
#define MATCHES_MAX       256
#define TERM_GAP          2 /* other words allowed between two words of a term */
#define SCOPE_WORDS       6 /* a negation covers at most this many words */
#define WEAK_ENOUGH       0.8f
#define SURE_ENOUGH       1.0f
#define MATCH_TERM_STRIDE (1 << 20)
#define SIT_SPANS         32 /* situation cues kept per class */
#define SIT_NEAR          3  /* a necessity and its "gone" at most this many words apart */
#define BRIDGE_MIN        5  /* letters of a word worth bridging (shorter ones are ambiguous) */

/* How the learned model joins the vocabulary (tuned on the validation split, never the test). */
#define MODEL_FILE        "route-model.bin"
#define MODEL_NEED_ON     0.5f /* a need counts from this probability */
#define MODEL_NEED_MIN    0.3f /* the likeliest need counts from this when nothing else does */
#define MODEL_NONE_DOUBTS 0.5f /* and only while "not a need" is below this */

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
    struct feat feats[FEAT_MAX];
    struct span {
        short from, to; /* tokens [from, to) */
    } sit[CUE_CLASSES][SIT_SPANS];
    int n_sit[CUE_CLASSES];
};

struct router {
    struct taxonomy *tax;
    int n_langs;
    struct vocab *langs[LANGS_MAX];
    const char *codes[LANGS_MAX];
    struct work *work;   /* scratch for one call: why the router is not thread-safe */
    struct model *model; /* NULL when assets/ has none */
    bool use_model;
    int o_urgent, o_none;
    int o_need[NEED_MAX]; /* the model's output for each need, -1 when it has none */
    float t_urgent, t_none;
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

int router_load_model(struct router *r, const char *path, char *err, size_t errcap)
{
    struct model *m = model_load(path, err, errcap);
    if (!m)
        return -1;
    int o_urgent = model_output(m, "urgent"), o_none = model_output(m, "none");
    if (o_urgent < 0 || o_none < 0) {
        snprintf(err, errcap, "%s: no urgent or none output", path);
        model_free(m);
        return -1;
    }
    model_free(r->model);
    r->model = m;
    r->use_model = true;
    r->o_urgent = o_urgent;
    r->o_none = o_none;
    for (int i = 0; i < r->tax->n; i++) {
        char name[MODEL_NAME_MAX];
        snprintf(name, sizeof(name), "need:%s", r->tax->needs[i].id);
        r->o_need[i] = model_output(m, name);
    }
    r->t_urgent = model_param(m, "t_urgent", 0.5f);
    r->t_none = model_param(m, "t_none", 0.9f);
    return 0;
}

/* Loads assets_dir/route-model.bin when it exists: a file that is there but unusable is an
 * error, never silently ignored. */
static int load_default_model(struct router *r, const char *assets_dir, char *err, size_t errcap)
{
    char path[1100];
    if (!paths_join(path, sizeof(path), assets_dir, MODEL_FILE))
        return 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    fclose(f);
    return router_load_model(r, path, err, errcap);
}

struct router *router_new(const char *assets_dir, const char *locales_dir, char *err, size_t errcap)
{
    return router_new_opts(assets_dir, locales_dir, true, err, errcap);
}

struct router *router_new_opts(const char *assets_dir, const char *locales_dir, bool with_model,
                               char *err, size_t errcap)
{
    char path[1100], codes[LANGS_MAX][8];
    struct router *r = calloc(1, sizeof(*r));
    if (!r || !(r->work = malloc(sizeof(*r->work)))) {
        free(r);
        snprintf(err, errcap, "out of memory");
        return NULL;
    }
    if (!paths_join(path, sizeof(path), assets_dir, "needs.json") ||
        !(r->tax = needs_load(path, err, errcap)))
        goto out_free;
    if (with_model && load_default_model(r, assets_dir, err, errcap) < 0)
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
    model_free(r->model);
    free(r->work);
    free(r);
}

const struct taxonomy *router_taxonomy(const struct router *r)
{
    return r ? r->tax : NULL;
}

void router_use_model(struct router *r, bool on)
{
    if (r)
        r->use_model = on && r->model;
}

bool router_knows_word(const struct router *r, const struct token *t)
{
    for (int l = 0; r && l < r->n_langs; l++) {
        int ids[WORD_ALTS];
        const struct vocab *v = r->langs[l];
        if (vocab_is_stop(v, t) || vocab_is_lexicon(v, t) || vocab_resolve(v, t, ids) > 0)
            return true;
    }
    return false;
}

bool router_has_model(const struct router *r)
{
    return r && r->model;
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

/* A word no language knows directly may be a word of a bridged language (a Welsh word the Welsh
 * vocabulary lacks, through the Welsh–English dictionary): it then stands for its English
 * word's ids. Language evidence is left as it was: a bridged word says nothing of the text's
 * language. */
static void bridge_words(const struct router *r, struct work *w)
{
    int en = -1;
    for (int l = 0; l < r->n_langs; l++)
        if (strcmp(r->codes[l], "en") == 0)
            en = l;
    for (int b = 0; en >= 0 && b < r->n_langs; b++) {
        if (b == en || !r->langs[b]->bridge)
            continue;
        for (int i = 0; i < w->n_toks; i++) {
            if (w->toks[i].len < BRIDGE_MIN || w->ids[en][i][0] >= 0 || w->ids[b][i][0] >= 0)
                continue;
            const struct token *to = vocab_bridge(r->langs[b], &w->toks[i]);
            int n = to ? vocab_resolve(r->langs[en], to, w->ids[en][i]) : 0;
            for (int a = n; a < WORD_ALTS; a++)
                w->ids[en][i][a] = -1;
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

/* Finds every situation cue, in any language (a Welsh sentence may say "the gas"). */
static void find_situations(const struct router *r, struct work *w)
{
    memset(w->n_sit, 0, sizeof(w->n_sit));
    for (int l = 0; l < r->n_langs; l++) {
        const struct vocab *v = r->langs[l];
        for (int i = 0; i < w->n_toks; i++) {
            if (!may_start(w, l, v, i, CUE_STARTS_SIT))
                continue;
            for (int a = 0; a < WORD_ALTS; a++) {
                int id = w->ids[l][i][a];
                for (int c = id < 0 ? -1 : v->sit_first[id]; c >= 0;) {
                    int k = c / SIT_STRIDE, x = c % SIT_STRIDE;
                    const struct cue *cue = &v->sit[k][x];
                    if (w->n_sit[k] < SIT_SPANS && cue_at(w, l, cue, i))
                        w->sit[k][w->n_sit[k]++] = (struct span){(short)i, (short)(i + cue->n)};
                    c = v->sit_next[k][x];
                }
            }
        }
    }
}

/* True when no clause mark stands between tokens a and b (a < b). */
static bool same_clause(const struct work *w, int a, int b)
{
    for (int i = a + 1; i <= b && i < w->n_toks; i++)
        if (w->toks[i].brk)
            return false;
    return true;
}

/* True when a "later" cue stands in the same clause as token i. */
static bool later_near(const struct work *w, int i)
{
    for (int k = 0; k < w->n_sit[CUE_LATER]; k++) {
        int j = w->sit[CUE_LATER][k].from;
        if (same_clause(w, i < j ? i : j, i < j ? j : i))
            return true;
    }
    return false;
}

/* A necessity gone now: a necessity cue and a "gone" cue near each other in one clause
 * ("the electric has gone", "no heating", "ran out of insulin"), with no time in that clause
 * that moves it away from now ("the power was off last week"). */
static bool necessity_gone(const struct work *w)
{
    for (int a = 0; a < w->n_sit[CUE_NECESSITY]; a++)
        for (int b = 0; b < w->n_sit[CUE_GONE]; b++) {
            struct span x = w->sit[CUE_NECESSITY][a], y = w->sit[CUE_GONE][b];
            if (x.from == y.from)
                continue; /* one word cannot be both */
            int gap = y.from >= x.to ? y.from - x.to : x.from - y.to;
            int lo = x.from < y.from ? x.from : y.from, hi = x.from < y.from ? y.from : x.from;
            if (gap >= 0 && gap <= SIT_NEAR && same_clause(w, lo, hi) && !later_near(w, lo))
                return true;
        }
    return false;
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

/* Urgency by circumstance and by time, over the vocabulary's needs (n of them, sorted):
 * - said only by time away from now ("last year", "in two months", "not yet") and never pinned
 *   to now, an urgent need with a calm form becomes that form (homeless_tonight ->
 *   somewhere_to_live); danger, abuse and thoughts of suicide never do;
 * - a necessity gone now while someone vulnerable depends on it, and not moved away from now,
 *   is a person at risk now. Returns the new count. */
static int apply_situations(const struct router *r, struct work *w, struct scored *s, int n)
{
    find_situations(r, w);
    bool later = w->n_sit[CUE_LATER] > 0 && w->n_sit[CUE_NOW] == 0;
    for (int i = 0; later && i < n; i++) {
        const struct need_def *nd = &r->tax->needs[s[i].need];
        if (!s[i].urgent || nd->calm < 0)
            continue;
        bool dup = false;
        for (int j = 0; j < n; j++)
            dup |= s[j].need == nd->calm;
        s[i].need = nd->calm;
        s[i].urgent = false;
        if (dup)
            s[i].raw = -1; /* dropped below */
    }
    int k = 0;
    for (int i = 0; i < n; i++)
        if (s[i].raw >= 0)
            s[k++] = s[i];
    n = k;
    int risk = needs_find(r->tax, "person_at_risk");
    bool has = false;
    for (int i = 0; i < n; i++)
        has |= s[i].need == risk;
    if (risk >= 0 && !has && n < NEED_MAX && w->n_sit[CUE_VULNERABLE] > 0 && necessity_gone(w))
        s[n++] = (struct scored){.need = risk, .raw = SURE_ENOUGH, .first_pos = 0, .urgent = true};
    qsort(s, (size_t)n, sizeof(s[0]), cmp_scored);
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

/* The model's likeliest need among the urgent ones (urgent) or the others; -1 when none. */
static int model_best(const struct router *r, const float *p, bool urgent)
{
    int best = -1;
    for (int i = 0; i < r->tax->n; i++) {
        int o = r->o_need[i];
        if (o < 0 || r->tax->needs[i].urgent != urgent)
            continue;
        if (best < 0 || p[o] > p[r->o_need[best]])
            best = i;
    }
    return best;
}

static void finish(const struct router *r, struct scored *s, int n, struct route_result *out)
{
    if (n > ROUTE_MAX_NEEDS)
        n = ROUTE_MAX_NEEDS;
    out->urgent = false;
    for (int i = 0; i < n; i++) {
        out->needs[i].need = s[i].need;
        out->needs[i].score = 1.0f - expf(-s[i].raw);
        out->urgent |= s[i].urgent;
    }
    out->n_needs = n;
    fill_domains(r->tax, s, n, out);
    out->confidence = n ? out->needs[0].score : 0;
    out->unsure = n == 0 || (!out->urgent && s[0].raw < SURE_ENOUGH);
}

int route_lexicon_feats(const struct router *r, const struct route_result *lex, struct feat *f,
                        int n, int max)
{
    n = feat_named(f, n, max, lex->urgent ? "urgent" : "calm", "");
    if (lex->n_needs == 0)
        n = feat_named(f, n, max, "none", "");
    for (int i = 0; i < lex->n_needs; i++) {
        const struct need_def *nd = &r->tax->needs[lex->needs[i].need];
        n = feat_named(f, n, max, i == 0 ? "first:" : "need:", nd->id);
    }
    for (int d = 0; d < lex->n_domains; d++)
        n = feat_named(f, n, max, d == 0 ? "primary:" : "dom:", domain_name(lex->domains[d]));
    return n;
}

/* The model's features of the tokenised utterance in w: the text's own (feat_extract) and what
 * the vocabulary found (lex). Returns the count. */
static int model_features(const struct router *r, const struct work *w,
                          const struct route_result *lex, struct feat *f, int max)
{
    int n = feat_extract(w->toks, w->n_toks, f, max);
    return route_lexicon_feats(r, lex, f, n, max);
}

int route_features(struct router *r, const char *text, size_t len, struct feat *f, int max)
{
    struct route_result lex;
    bool on = r->use_model;
    r->use_model = false;
    route_text(r, text, len, NULL, &lex);
    r->use_model = on;
    return model_features(r, r->work, &lex, f, max);
}

/* Joins the learned model to what the vocabulary found (lex, filled in): the model sees the
 * text and the vocabulary's answer, and decides the needs; urgent is the vocabulary's OR the
 * model's, so the model can only add urgency. */
static void apply_model(const struct router *r, struct work *w, struct route_result *out)
{
    float p[MODEL_OUTS_MAX];
    int nf = model_features(r, w, out, w->feats, FEAT_MAX);
    model_predict(r->model, w->feats, nf, p);
    bool urgent = out->urgent || p[r->o_urgent] >= r->t_urgent;
    struct scored s[NEED_MAX];
    int n = 0;
    for (int i = 0; i < r->tax->n; i++) {
        int o = r->o_need[i];
        if (o >= 0 && p[o] >= MODEL_NEED_ON)
            s[n++] =
                (struct scored){.need = i, .raw = 2.0f * p[o], .urgent = r->tax->needs[i].urgent};
    }
    if (!urgent) {
        int k = 0; /* a calm utterance keeps no urgent need */
        for (int i = 0; i < n; i++)
            if (!s[i].urgent)
                s[k++] = s[i];
        n = k;
    }
    if (n == 0 && !urgent && p[r->o_none] < MODEL_NONE_DOUBTS) {
        int best = model_best(r, p, false);
        if (best >= 0 && p[r->o_need[best]] >= MODEL_NEED_MIN)
            s[n++] = (struct scored){.need = best, .raw = 2.0f * p[r->o_need[best]]};
    }
    bool has_urgent = false;
    for (int i = 0; i < n; i++)
        has_urgent |= s[i].urgent;
    if (urgent && !has_urgent) {
        int best = -1;
        for (int i = 0; urgent && i < out->n_needs && best < 0; i++)
            if (r->tax->needs[out->needs[i].need].urgent)
                best = out->needs[i].need;
        if (best < 0)
            best = model_best(r, p, true);
        if (best >= 0)
            s[n++] = (struct scored){.need = best, .raw = SURE_ENOUGH, .urgent = true};
    }
    if (!urgent && p[r->o_none] >= r->t_none)
        n = 0;
    qsort(s, (size_t)n, sizeof(s[0]), cmp_scored);
    finish(r, s, n, out);
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
    bridge_words(r, w);
    find_matches(r, w, primary);
    resolve_overlaps(w);
    mark_negations(r, w);

    struct scored s[NEED_MAX];
    int n = score_needs(r, w, s);
    n = apply_situations(r, w, s, n);
    finish(r, s, n, out);
    if (r->model && r->use_model)
        apply_model(r, w, out);
    return 0;
}
