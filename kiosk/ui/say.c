/* say.c — the kiosk's words for the ear: numbers, phone numbers and tickets as a voice says
 * them, screen text turned into sentences, and the pronunciation list. */
#include "say.h"

#include <stdio.h>
#include <string.h>

/* An output buffer that never overflows and always ends in a terminator. */
struct sb {
    char *p;
    size_t cap, len;
};

static void sb_init(struct sb *s, char *p, size_t cap)
{
    s->p = p;
    s->cap = cap;
    s->len = 0;
    if (cap)
        p[0] = '\0';
}

static void sb_put(struct sb *s, const char *t, size_t n)
{
    if (!s->cap)
        return;
    if (s->len + n >= s->cap) {
        n = s->cap - 1 - s->len;
        while (n > 0 && ((unsigned char)t[n] & 0xC0) == 0x80) /* cut at a character boundary */
            n--;
    }
    memcpy(s->p + s->len, t, n);
    s->len += n;
    s->p[s->len] = '\0';
}

static void sb_str(struct sb *s, const char *t)
{
    sb_put(s, t, strlen(t));
}

static bool is_cy(const char *lang)
{
    return lang && strcmp(lang, "cy") == 0;
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool is_upper(char c)
{
    return c >= 'A' && c <= 'Z';
}

/* ---- numbers ---- */

static const char *const en_units[20] = {"zero",    "one",     "two",       "three",    "four",
                                         "five",    "six",     "seven",     "eight",    "nine",
                                         "ten",     "eleven",  "twelve",    "thirteen", "fourteen",
                                         "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"};
static const char *const en_tens[10] = {"",      "",      "twenty",  "thirty", "forty",
                                        "fifty", "sixty", "seventy", "eighty", "ninety"};
/* Welsh digits, and the decimal counting taught in schools and read by every Welsh speaker
 * ("tri deg pump" for 35); ten is "deg", twenty "dau ddeg" (soft mutation after dau). */
static const char *const cy_units[10] = {"dim",  "un",     "dau",   "tri",  "pedwar",
                                         "pump", "chwech", "saith", "wyth", "naw"};
static const char *const cy_tens[10] = {"",           "deg",     "dau ddeg", "tri deg",
                                        "pedwar deg", "pum deg", "chwe deg", "saith deg",
                                        "wyth deg",   "naw deg"};

static void number_words(struct sb *s, long n, bool cy)
{
    if (n < 0 || n > 9999) {
        char d[24];
        snprintf(d, sizeof(d), "%ld", n);
        sb_str(s, d);
        return;
    }
    if (n >= 1000) {
        number_words(s, n / 1000, cy);
        sb_str(s, cy ? " mil" : " thousand");
        n %= 1000;
        if (!n)
            return;
        sb_str(s, n < 100 && !cy ? " and " : " ");
    }
    if (n >= 100) {
        if (cy) {
            static const char *const cant[10] = {
                "",         "cant",       "dau gant",   "tri chant", "pedwar cant",
                "pum cant", "chwe chant", "saith cant", "wyth cant", "naw cant"};
            sb_str(s, cant[n / 100]);
        } else {
            sb_str(s, en_units[n / 100]);
            sb_str(s, " hundred");
        }
        n %= 100;
        if (!n)
            return;
        sb_str(s, cy ? " a " : " and ");
    }
    if (cy) {
        if (n >= 10) {
            if (n > 10 && n < 20)
                sb_str(s, "un "); /* un deg un .. un deg naw; ten alone is "deg" */
            sb_str(s, cy_tens[n / 10]);
            if (n % 10) {
                sb_str(s, " ");
                sb_str(s, cy_units[n % 10]);
            }
        } else {
            sb_str(s, cy_units[n]);
        }
        return;
    }
    if (n < 20) {
        sb_str(s, en_units[n]);
        return;
    }
    sb_str(s, en_tens[n / 10]);
    if (n % 10) {
        sb_str(s, "-");
        sb_str(s, en_units[n % 10]);
    }
}

size_t say_number(long n, const char *lang, char *out, size_t cap)
{
    struct sb s;
    sb_init(&s, out, cap);
    number_words(&s, n, is_cy(lang));
    return s.len;
}

/* Welsh letter names as the Welsh voice reads them (aets for H, ec for C, ...). */
static const char *const cy_letters[26] = {"a",  "bi", "ec", "di", "e",  "ef",  "eg", "aets", "i",
                                           "je", "ce", "el", "em", "en", "o",   "pi", "ciw",  "er",
                                           "es", "ti", "u",  "fi", "w",  "ecs", "y",  "sed"};

size_t say_ticket(const char *code, const char *lang, char *out, size_t cap)
{
    struct sb s;
    sb_init(&s, out, cap);
    bool cy = is_cy(lang), first = true;
    for (const char *p = code; p && *p;) {
        char c = *p;
        if (is_digit(c)) {
            long v = 0;
            while (is_digit(*p) && v < 100000)
                v = v * 10 + (*p++ - '0');
            if (!first)
                sb_str(&s, ", ");
            number_words(&s, v, cy);
            first = false;
            continue;
        }
        p++;
        char up = c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
        if (!is_upper(up))
            continue; /* the hyphen and anything else is only a pause */
        if (!first)
            sb_str(&s, ", ");
        if (cy)
            sb_str(&s, cy_letters[up - 'A']);
        else
            sb_put(&s, &up, 1);
        first = false;
    }
    return s.len;
}

/* ---- screen text for the ear ---- */

static bool word_start(const char *p)
{
    return (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z');
}

static const char NBSP[] = "\xC2\xA0";

/* The digit groups starting at p (joined by no-break or plain spaces): their length in bytes,
 * the number of digits, and whether the first starts with 0. */
static size_t digit_run(const char *p, int *digits, int *groups)
{
    const char *q = p;
    *digits = 0;
    *groups = 0;
    for (;;) {
        if (!is_digit(*q))
            break;
        (*groups)++;
        while (is_digit(*q)) {
            q++;
            (*digits)++;
        }
        const char *r = q;
        if (strncmp(r, NBSP, 2) == 0)
            r += 2;
        else if (*r == ' ')
            r++;
        else
            break;
        if (!is_digit(*r))
            break;
        q = r;
    }
    return (size_t)(q - p);
}

size_t say_ear(const char *in, const char *lang, char *out, size_t cap)
{
    struct sb s;
    sb_init(&s, out, cap);
    bool cy = is_cy(lang);
    const char *p = in ? in : "";
    while (*p) {
        if (is_digit(*p) && (p == in || !(p[-1] >= 'A' && p[-1] <= 'z'))) {
            int digits = 0, groups = 0;
            size_t n = digit_run(p, &digits, &groups);
            bool phone = digits >= 3 || groups > 1 || p[0] == '0';
            if (phone) { /* one digit at a time, a pause between the groups */
                for (size_t i = 0; i < n; i++) {
                    if (is_digit(p[i])) {
                        if (i > 0 && is_digit(p[i - 1]))
                            sb_str(&s, " ");
                        if (cy)
                            sb_str(&s, cy_units[p[i] - '0']);
                        else
                            sb_put(&s, p + i, 1);
                    } else if (i > 0 && is_digit(p[i - 1])) {
                        sb_str(&s, ", ");
                    }
                }
            } else if (cy) {
                long v = 0;
                for (size_t i = 0; i < n; i++)
                    v = v * 10 + (p[i] - '0');
                char w[128];
                struct sb t;
                sb_init(&t, w, sizeof(w));
                number_words(&t, v, true);
                /* before a noun five and six are short: "pum munud", "chwe pherson"; not
                 * before "o" ("pump o bobl") */
                const char *next = p + n;
                bool noun = next[0] == ' ' && word_start(next + 1) && strncmp(next, " o ", 3) != 0;
                size_t wl = strlen(w);
                if (noun && wl >= 4 && strcmp(w + wl - 4, "pump") == 0)
                    w[wl - 1] = '\0';
                else if (noun && wl >= 6 && strcmp(w + wl - 6, "chwech") == 0)
                    w[wl - 2] = '\0';
                sb_str(&s, w);
            } else {
                sb_put(&s, p, n);
            }
            p += n;
            continue;
        }
        if (*p == '\n') {
            if (s.len && strchr(".?!:,", s.p[s.len - 1]) == NULL)
                sb_str(&s, ".");
            sb_str(&s, " ");
            p++;
        } else if (strncmp(p, " \xC2\xB7 ", 4) == 0) { /* " · " between needs */
            sb_str(&s, ", ");
            p += 4;
        } else if (strncmp(p, " \xE2\x80\x94 ", 5) == 0) { /* " — " */
            sb_str(&s, ", ");
            p += 5;
        } else if (strncmp(p, "\xE2\x80\xA6", 3) == 0) { /* "…": nothing to hear yet */
            p += 3;
        } else if (strncmp(p, "\xE2\x9C\x93", 3) == 0 || strncmp(p, "\xE2\x9C\x95", 3) == 0) {
            p += 3; /* "✓" and "✕": the on and off states are said in words */
            if (strncmp(p, NBSP, 2) == 0)
                p += 2;
            else if (*p == ' ')
                p++;
        } else if (strncmp(p, NBSP, 2) == 0) {
            sb_str(&s, " ");
            p += 2;
        } else {
            sb_put(&s, p, 1);
            p++;
        }
    }
    return s.len;
}

/* ---- the pronunciation list ----
 * Each line was checked by ear: `espeak-ng -v en-gb -x WORD` shows how the voice reads the
 * plain spelling, and `espeak-ng -v en-gb "[[...]]" -w x.wav && sox x.wav -n stat` renders the
 * respelling. The notation is espeak-ng's (Kirshenbaum): ' stress, A: as in "father", D as in
 * "this" (Welsh dd), T as in "thin" (Welsh th), S as in "ship", @ as in "about", 0 as in
 * "hot", I as in "bit", i: as in "see", aI as in "eye", V as in "cup". English has no Welsh
 * ll; the English voice says it as "hl", which Welsh speakers accept from learners. */
struct pron {
    const char *word, *respelt;
};

static const struct pron en_list[] = {
    /* people's names in Welsh, as their owners say them */
    {"Sian", "[[S'A:n]]"},            /* Siân: "Shahn"; the voice said "Sigh-an" */
    {"Siân", "[[S'A:n]]"},            /* (with its circumflex) */
    {"Siôn", "[[S'o:n]]"},            /* "Shorn" without the r; the voice said "Sigh-on" */
    {"Dafydd", "[[d'av@D]]"},         /* "DAV-ith", dd as in "this"; the voice said "Daffid" */
    {"Rhodri", "[[r'0dri]]"},         /* short o as in "hot"; the voice said "Road-ree" */
    {"Rhys", "[[r'i:s]]"},            /* "Reece"; the voice said "Riss" */
    {"Cerys", "[[k'ErIs]]"},          /* c is always hard: "KERR-iss"; the voice said "Seh-riss" */
    {"Ffion", "[[f'i:0n]]"},          /* ff is f: "FEE-on" */
    {"Ioan", "[[j'o:an]]"},           /* "YO-an" */
    {"Iwan", "[[j'u:an]]"},           /* "YOO-an" */
    {"Owain", "[[o:w'aIn]]"},         /* "oh-WINE" */
    {"Aled", "[['alEd]]"},            /* "AL-ed", not "Ay-led" */
    {"Eleri", "[[El'Eri]]"},          /* "el-ERR-ee" */
    {"Llinos", "[[hl'i:n0s]]"},       /* ll as "hl": "HLEE-noss" */
    {"Gwenllian", "[[gwEnhl'i:an]]"}, /* "gwen-HLEE-an" */
    {"Nia", "[[n'i:@]]"},             /* "NEE-a" */
    {"Tomasz", "[[t'0maS]]"},         /* Polish: "TOM-ash"; the voice said "Tom-ass-z" */
    {"Nowak", "[[n'0vak]]"},          /* Polish w is v: "NOV-ak" */
    /* places and the language itself */
    {"Pontypridd", "[[p,0nt@pr'i:D]]"},  /* "pont-uh-PREETHE" (dd as in "this") */
    {"Rhondda", "[[r'0nD@]]"},           /* "RHON-tha" */
    {"Llantrisant", "[[hlantr'Is@nt]]"}, /* "hlan-TRISS-ant" */
    {"Treforest", "[[trEf'0rIst]]"},     /* stress on the second syllable */
    {"Cymraeg", "[[k@mr'aIg]]"},         /* the language switch: "kum-RYEG" */
    {"Cymru", "[[k'Vmri]]"},             /* "KUM-ree" */
};

/* The Welsh voice reads every name with Welsh letters: the English names of this hub's
 * workers and the words on English screens it may meet, respelt in Welsh spelling. */
static const struct pron cy_list[] = {
    {"Hughes", "Hiws"},     /* the voice said "Hu-ges" */
    {"Price", "Prais"},     /* the voice said "Pri-ce" */
    {"Angela", "Anjela"},   /* soft g, as in English */
    {"Jones", "Jôns"},      /* one syllable */
    {"Shah", "Siâ"},        /* sh as in "ship" */
    {"Priya", "Prîa"},      /* "PREE-a" */
    {"Tomasz", "Tomash"},   /* Polish sz is sh */
    {"Nowak", "Nofac"},     /* Polish w is v (Welsh f) */
    {"Fatima", "Ffatima"},  /* Welsh f is v: ff for f */
    {"English", "Inglish"}, /* the language switch on Welsh screens, in the Welsh voice */
};

const char *say_pronounce_word(const char *lang, int i, const char **respelt)
{
    const struct pron *list = is_cy(lang) ? cy_list : en_list;
    int n = is_cy(lang) ? (int)(sizeof(cy_list) / sizeof(cy_list[0]))
                        : (int)(sizeof(en_list) / sizeof(en_list[0]));
    if (i < 0 || i >= n)
        return NULL;
    if (respelt)
        *respelt = list[i].respelt;
    return list[i].word;
}

static bool word_byte(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c >= 0x80;
}

size_t say_pronounce(const char *in, const char *lang, char *out, size_t cap)
{
    struct sb s;
    sb_init(&s, out, cap);
    const char *p = in ? in : "";
    while (*p) {
        if (!word_byte((unsigned char)*p)) {
            sb_put(&s, p, 1);
            p++;
            continue;
        }
        const char *e = p;
        while (*e && word_byte((unsigned char)*e))
            e++;
        size_t n = (size_t)(e - p);
        const char *rep = NULL, *r;
        for (int i = 0; !rep && say_pronounce_word(lang, i, &r); i++) {
            const char *w = say_pronounce_word(lang, i, NULL);
            if (strlen(w) == n && memcmp(w, p, n) == 0)
                rep = r;
        }
        if (rep)
            sb_str(&s, rep);
        else
            sb_put(&s, p, n);
        p = e;
    }
    return s.len;
}
