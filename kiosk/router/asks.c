/* asks.c — a worker asked for by name, and a language or an interpreter asked for. */
#include "asks.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "router.h"
#include "text.h"
#include "typo.h"

#define NAME_SLIP_MIN 4 /* names of this many letters forgive one slip */
#define NAME_PREFIX   3 /* a short form ("daf", "meg") of at least this many letters */
#define SHORT_TEXT    3 /* words: "angie please" is asking for someone */

/* Words that ask for a person: a slip or a short form of a name counts only beside one of
 * them, or in a very short text; a name spelt right always counts. */
static const char *const SEE[] = {
    "see",    "seeing", "meet",  "meeting",   "appointment", "appt", "ask",     "asking",
    "speak",  "talk",   "gweld", "weld",      "apwyntiad",   "isio", "moyn",    "eisiau",
    "siarad", "please", "plis",  "expecting", "disgwyl",     "gael", "gwelwch",
};

/* Language names residents use (English, Welsh and the language's own), normalised as the
 * router normalises text: case folded, marks stripped. */
static const struct {
    const char *code, *name;
    const char *words[8];
} LANGS[] = {
    {"pl", "Polish", {"polish", "polski", "polsku", "pwyleg"}},
    {"ar", "Arabic", {"arabic", "arabeg", "عربي", "العربية", "arabi"}},
    {"ur", "Urdu", {"urdu", "wrdw", "اردو"}},
    {"pa", "Punjabi", {"punjabi", "panjabi", "pwnjabeg", "ਪੰਜਾਬੀ"}},
    {"ro", "Romanian", {"romanian", "romana", "rwmaneg", "romaneg"}},
    {"uk", "Ukrainian", {"ukrainian", "wcraineg", "українська", "украинский"}},
    {"ru", "Russian", {"russian", "rwseg", "русский"}},
    {"ku", "Kurdish", {"kurdish", "kurdi", "cwrdeg", "sorani", "kurmanji"}},
    {"ti", "Tigrinya", {"tigrinya", "tigrigna", "ትግርኛ"}},
    {"am", "Amharic", {"amharic", "አማርኛ"}},
    {"fa", "Farsi", {"farsi", "persian", "فارسی", "dari"}},
    {"ps", "Pashto", {"pashto", "pashtu", "پښتو"}},
    {"so", "Somali", {"somali", "somaliland"}},
    {"bn", "Bengali", {"bengali", "bangla", "sylheti"}},
    {"zh", "Chinese", {"chinese", "mandarin", "cantonese", "tsieineeg", "中文", "普通话"}},
    {"pt", "Portuguese", {"portuguese", "portugues", "portiwgaleg"}},
    {"es", "Spanish", {"spanish", "espanol", "sbaeneg"}},
    {"fr", "French", {"french", "francais", "ffrangeg"}},
    {"tr", "Turkish", {"turkish", "turkce", "twrceg"}},
    {"ta", "Tamil", {"tamil"}},
    {"gu", "Gujarati", {"gujarati"}},
    {"lt", "Lithuanian", {"lithuanian", "lietuviu"}},
    {"bg", "Bulgarian", {"bulgarian", "български"}},
    {"sq", "Albanian", {"albanian", "shqip"}},
    {"hu", "Hungarian", {"hungarian", "magyar"}},
    {"cs", "Czech", {"czech", "cestina"}},
    {"sk", "Slovak", {"slovak", "slovensky"}},
    {"bfi", "British Sign Language", {"bsl", "signer", "signing"}},
    {"cy", "Welsh", {"welsh", "cymraeg", "gymraeg", "nghymraeg"}},
};

/* Words that ask for an interpreter or say there is little English. */
static const char *const INTERPRETER[] = {
    "interpreter", "interpretor", "translator", "translate",  "cyfieithydd", "gyfieithydd",
    "cyfieithu",   "tlumacz",     "тлумач",     "перекладач", "переводчик",  "مترجم",
};
static const char *const LITTLE_ENGLISH[][3] = {
    {"no", "english", ""},        {"not", "much", "english"},   {"little", "english", ""},
    {"dont", "speak", "english"}, {"cant", "speak", "english"}, {"bad", "english", ""},
    {"dim", "saesneg", ""},       {"sign", "language", ""},     {"iaith", "arwyddion", ""},
};

static bool tok_is(const struct token *t, const char *w)
{
    return strlen(w) == t->len && memcmp(t->s, w, t->len) == 0;
}

static bool seq_at(const struct token *t, int n, int i, const char *const *words, int k)
{
    for (int j = 0; j < k; j++)
        if (!words[j][0])
            return true;
        else if (i + j >= n || !tok_is(&t[i + j], words[j]))
            return false;
    return true;
}

/* How well token t names this part of a worker's name: 2 exactly, 1 with one slip or as a
 * short form (when loose), 0 not. */
static int name_part(const struct router *r, const struct token *t, const char *part, size_t len,
                     bool loose)
{
    if (len == t->len && memcmp(part, t->s, len) == 0)
        return 2;
    if (!loose || (r && router_knows_word(r, t)))
        return 0;
    if (t->len >= NAME_PREFIX && t->len < len && memcmp(part, t->s, t->len) == 0)
        return 1;
    if (len < NAME_SLIP_MIN || t->len < NAME_SLIP_MIN - 1)
        return 0;
    return typo_distance(t->s, t->len, part, len, 1) <= 1 ? 1 : 0;
}

static bool asks_for_someone(const struct token *t, int n)
{
    if (n <= SHORT_TEXT)
        return true;
    for (int i = 0; i < n; i++)
        for (size_t k = 0; k < sizeof(SEE) / sizeof(SEE[0]); k++)
            if (tok_is(&t[i], SEE[k]))
                return true;
    return false;
}

/* The worker the tokens name, -1 when none or when two workers are named equally well. */
static int find_worker(const struct router *r, const struct hub_dir *d, const struct token *t,
                       int n)
{
    int best = -1, best_score = 0, ties = 0;
    bool loose = asks_for_someone(t, n);
    for (int w = 0; w < d->n_workers; w++) {
        char norm[DIR_NAME_MAX * 2];
        text_normalise(d->workers[w].name, strlen(d->workers[w].name), norm, sizeof(norm));
        char *space = strchr(norm, ' ');
        size_t first_len = space ? (size_t)(space - norm) : strlen(norm);
        const char *last = space ? space + 1 : NULL;
        int score = 0;
        for (int i = 0; i < n; i++) {
            /* The first name, or the full name; a surname alone is too common ("Mrs Jones"). */
            int s = name_part(r, &t[i], norm, first_len, loose) * 2;
            if (s && last && i + 1 < n && name_part(r, &t[i + 1], last, strlen(last), loose))
                s += 2;
            if (s > score)
                score = s;
        }
        if (score > best_score) {
            best = w;
            best_score = score;
            ties = 0;
        } else if (score && score == best_score) {
            ties++;
        }
    }
    return ties ? -1 : best;
}

int route_asks(const struct router *r, const struct hub_dir *d, const char *text, size_t len,
               struct route_asks *out)
{
    if (!out)
        return -1;
    memset(out, 0, sizeof(*out));
    out->worker = -1;
    struct token *t = malloc(sizeof(*t) * TOKENS_MAX);
    if (!t)
        return 0;
    int n = text_tokenise(text, text ? len : 0, t, TOKENS_MAX);
    if (d)
        out->worker = find_worker(r, d, t, n);
    for (int i = 0; i < n; i++) {
        for (size_t k = 0; k < sizeof(INTERPRETER) / sizeof(INTERPRETER[0]); k++)
            out->interpreter |= tok_is(&t[i], INTERPRETER[k]);
        for (size_t k = 0; k < sizeof(LITTLE_ENGLISH) / sizeof(LITTLE_ENGLISH[0]); k++)
            out->interpreter |= seq_at(t, n, i, LITTLE_ENGLISH[k], 3);
        for (size_t l = 0; !out->lang[0] && l < sizeof(LANGS) / sizeof(LANGS[0]); l++)
            for (int k = 0; k < 8 && LANGS[l].words[k]; k++)
                if (tok_is(&t[i], LANGS[l].words[k]))
                    snprintf(out->lang, sizeof(out->lang), "%s", LANGS[l].code);
    }
    /* "Welsh" in a sentence is often about a Welsh thing ("welsh water"); it counts as asked
     * for only beside speaking or an interpreter. */
    if (strcmp(out->lang, "cy") == 0 && !out->interpreter) {
        bool speak = false;
        for (int i = 0; i < n; i++)
            speak |= tok_is(&t[i], "speak") || tok_is(&t[i], "siarad") ||
                     tok_is(&t[i], "language") || tok_is(&t[i], "iaith");
        if (!speak)
            out->lang[0] = '\0';
    }
    if (tok_is(&t[0], "bsl") || strcmp(out->lang, "bfi") == 0)
        out->interpreter = true;
    free(t);
    return 0;
}

const char *asks_lang_name(const char *code)
{
    for (size_t l = 0; code && l < sizeof(LANGS) / sizeof(LANGS[0]); l++)
        if (strcmp(LANGS[l].code, code) == 0)
            return LANGS[l].name;
    return NULL;
}

int asks_speakers(const struct hub_dir *d, const char *lang, char *out, size_t cap)
{
    int n = 0;
    size_t used = 0;
    if (cap)
        out[0] = '\0';
    for (int w = 0; d && lang && w < d->n_workers; w++) {
        const struct worker *k = &d->workers[w];
        if (k->status == WS_OFF || !worker_speaks(k, lang))
            continue;
        int wrote =
            snprintf(out + used, cap > used ? cap - used : 0, "%s%s", n ? ", " : "", k->name);
        if (wrote > 0 && used + (size_t)wrote < cap)
            used += (size_t)wrote;
        n++;
    }
    return n;
}
