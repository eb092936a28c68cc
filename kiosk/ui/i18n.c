/* i18n.c — string catalogue with CLDR plural rules for English and Welsh. */
#include "i18n.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct entry {
    char key[I18N_KEY_MAX];
    int form; /* -1 plain, else enum plural_cat */
    char *value;
};

struct i18n {
    char lang[8];
    int n, cap;
    struct entry *e; /* sorted by (key, form) */
    const struct i18n *fallback;
};

static const char *const plural_names[PL_COUNT] = {"zero", "one", "two", "few", "many", "other"};

struct i18n *i18n_new(const char *lang)
{
    struct i18n *c = calloc(1, sizeof(*c));
    if (!c)
        return NULL;
    snprintf(c->lang, sizeof(c->lang), "%s", lang ? lang : "en");
    return c;
}

void i18n_free(struct i18n *c)
{
    if (!c)
        return;
    for (int i = 0; i < c->n; i++)
        free(c->e[i].value);
    free(c->e);
    free(c);
}

const char *i18n_lang(const struct i18n *c)
{
    return c ? c->lang : "en";
}

void i18n_set_fallback(struct i18n *c, const struct i18n *fb)
{
    if (c && fb != c)
        c->fallback = fb;
}

static int entry_cmp(const char *key, int form, const struct entry *e)
{
    int r = strcmp(key, e->key);
    if (r)
        return r;
    return form - e->form;
}

/* Index of (key, form) or -(insertion point) - 1. */
static int entry_search(const struct i18n *c, const char *key, int form)
{
    int lo = 0, hi = c->n - 1;
    while (lo <= hi) {
        int mid = lo + (hi - lo) / 2;
        int r = entry_cmp(key, form, &c->e[mid]);
        if (r == 0)
            return mid;
        if (r < 0)
            hi = mid - 1;
        else
            lo = mid + 1;
    }
    return -lo - 1;
}

/* Cuts s to at most max bytes without splitting a UTF-8 sequence. */
static size_t utf8_cut(const char *s, size_t len, size_t max)
{
    if (len <= max)
        return len;
    size_t n = max;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    return n;
}

static int entry_put(struct i18n *c, const char *key, int form, const char *value)
{
    if (strlen(key) >= I18N_KEY_MAX)
        return -1;
    size_t vlen = utf8_cut(value, strlen(value), I18N_VALUE_MAX - 1);
    char *v = malloc(vlen + 1);
    if (!v)
        return -1;
    memcpy(v, value, vlen);
    v[vlen] = '\0';
    int at = entry_search(c, key, form);
    if (at >= 0) {
        free(c->e[at].value);
        c->e[at].value = v;
        return 0;
    }
    if (c->n >= I18N_ENTRIES_MAX)
        goto out_free_v;
    if (c->n == c->cap) {
        int ncap = c->cap ? c->cap * 2 : 128;
        struct entry *ne = realloc(c->e, (size_t)ncap * sizeof(*ne));
        if (!ne)
            goto out_free_v;
        c->e = ne;
        c->cap = ncap;
    }
    at = -at - 1;
    memmove(&c->e[at + 1], &c->e[at], (size_t)(c->n - at) * sizeof(*c->e));
    snprintf(c->e[at].key, sizeof(c->e[at].key), "%s", key);
    c->e[at].form = form;
    c->e[at].value = v;
    c->n++;
    return 0;
out_free_v:
    free(v);
    return -1;
}

static int plural_parse(const char *name)
{
    for (int i = 0; i < PL_COUNT; i++)
        if (strcmp(name, plural_names[i]) == 0)
            return i;
    return -1;
}

int i18n_parse_strings(struct i18n *c, const char *json, size_t len, char *err, size_t errcap)
{
    int rc = -1;
    if (!c || !json || len > I18N_FILE_MAX) {
        snprintf(err, errcap, "strings: no text or larger than %u bytes", I18N_FILE_MAX);
        return -1;
    }
    cJSON *root = cJSON_ParseWithLength(json, len);
    if (!cJSON_IsObject(root)) {
        snprintf(err, errcap, "strings: not a JSON object");
        goto out_free_root;
    }
    for (cJSON *it = root->child; it; it = it->next) {
        if (!it->string || it->string[0] == '_')
            continue;
        if (cJSON_IsString(it)) {
            if (entry_put(c, it->string, -1, it->valuestring) < 0) {
                snprintf(err, errcap, "strings: cannot store key \"%.60s\"", it->string);
                goto out_free_root;
            }
        } else if (cJSON_IsObject(it)) {
            for (cJSON *f = it->child; f; f = f->next) {
                int form = f->string ? plural_parse(f->string) : -1;
                if (form < 0 || !cJSON_IsString(f)) {
                    snprintf(err, errcap, "strings: \"%.60s\" has a bad plural form", it->string);
                    goto out_free_root;
                }
                if (entry_put(c, it->string, form, f->valuestring) < 0) {
                    snprintf(err, errcap, "strings: cannot store key \"%.60s\"", it->string);
                    goto out_free_root;
                }
            }
        } else {
            snprintf(err, errcap, "strings: \"%.60s\" is neither text nor plural forms",
                     it->string);
            goto out_free_root;
        }
    }
    rc = 0;
out_free_root:
    cJSON_Delete(root);
    return rc;
}

static char *read_capped(const char *path, size_t cap, size_t *len, char *err, size_t errcap)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errcap, "%s: %s", path, strerror(errno));
        return NULL;
    }
    char *buf = malloc(cap + 1);
    size_t n = buf ? fread(buf, 1, cap + 1, f) : 0;
    fclose(f);
    if (!buf || n > cap) {
        snprintf(err, errcap, "%s: unreadable or larger than %zu bytes", path, cap);
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

int i18n_load_strings(struct i18n *c, const char *path, char *err, size_t errcap)
{
    size_t len = 0;
    char *buf = read_capped(path, I18N_FILE_MAX, &len, err, errcap);
    if (!buf)
        return -1;
    int rc = i18n_parse_strings(c, buf, len, err, errcap);
    free(buf);
    return rc;
}

int i18n_parse_need_labels(struct i18n *c, const char *json, size_t len, char *err, size_t errcap)
{
    int rc = -1;
    cJSON *root = cJSON_ParseWithLength(json, len);
    cJSON *needs = cJSON_GetObjectItemCaseSensitive(root, "needs");
    if (!cJSON_IsObject(needs)) {
        snprintf(err, errcap, "needs: no \"needs\" object");
        goto out_free_root;
    }
    for (cJSON *it = needs->child; it; it = it->next) {
        cJSON *label = cJSON_GetObjectItemCaseSensitive(it, "label");
        if (!it->string || !cJSON_IsString(label))
            continue;
        char key[I18N_KEY_MAX];
        snprintf(key, sizeof(key), "need.%s", it->string);
        if (entry_put(c, key, -1, label->valuestring) < 0) {
            snprintf(err, errcap, "needs: cannot store label of \"%.60s\"", it->string);
            goto out_free_root;
        }
    }
    rc = 0;
out_free_root:
    cJSON_Delete(root);
    return rc;
}

int i18n_load_need_labels(struct i18n *c, const char *path, char *err, size_t errcap)
{
    size_t len = 0;
    char *buf = read_capped(path, 4u << 20, &len, err, errcap);
    if (!buf)
        return -1;
    int rc = i18n_parse_need_labels(c, buf, len, err, errcap);
    free(buf);
    return rc;
}

static const char *find_form(const struct i18n *c, const char *key, int form)
{
    for (; c; c = c->fallback) {
        int at = entry_search(c, key, form);
        if (at >= 0)
            return c->e[at].value;
    }
    return NULL;
}

const char *i18n_find(const struct i18n *c, const char *key)
{
    return key ? find_form(c, key, -1) : NULL;
}

const char *i18n_get(const struct i18n *c, const char *key)
{
    const char *v = i18n_find(c, key);
    return v ? v : (key ? key : "");
}

const char *i18n_plural(const struct i18n *c, const char *key, long n)
{
    if (!key)
        return "";
    for (const struct i18n *p = c; p; p = p->fallback) {
        int at = entry_search(p, key, (int)plural_category(p->lang, n));
        if (at < 0)
            at = entry_search(p, key, PL_OTHER);
        if (at >= 0)
            return p->e[at].value;
    }
    return key;
}

enum plural_cat plural_category(const char *lang, long n)
{
    if (n < 0)
        n = -n;
    if (lang && strcmp(lang, "cy") == 0) {
        switch (n) {
        case 0:
            return PL_ZERO;
        case 1:
            return PL_ONE;
        case 2:
            return PL_TWO;
        case 3:
            return PL_FEW;
        case 6:
            return PL_MANY;
        default:
            return PL_OTHER;
        }
    }
    return n == 1 ? PL_ONE : PL_OTHER;
}

unsigned plural_forms(const char *lang)
{
    if (lang && strcmp(lang, "cy") == 0)
        return (1u << PL_COUNT) - 1;
    return (1u << PL_ONE) | (1u << PL_OTHER);
}

const char *plural_name(enum plural_cat cat)
{
    return (unsigned)cat < PL_COUNT ? plural_names[cat] : NULL;
}

int i18n_count(const struct i18n *c)
{
    int n = 0;
    for (int i = 0; c && i < c->n; i++)
        if (i == 0 || strcmp(c->e[i].key, c->e[i - 1].key) != 0)
            n++;
    return n;
}

const char *i18n_key_at(const struct i18n *c, int idx)
{
    int n = -1;
    for (int i = 0; c && i < c->n; i++) {
        if (i == 0 || strcmp(c->e[i].key, c->e[i - 1].key) != 0)
            n++;
        if (n == idx)
            return c->e[i].key;
    }
    return NULL;
}

bool i18n_plural_forms_of(const struct i18n *c, const char *key, unsigned *forms)
{
    unsigned m = 0;
    for (int f = 0; c && key && f < PL_COUNT; f++)
        if (entry_search(c, key, f) >= 0)
            m |= 1u << f;
    if (forms)
        *forms = m;
    return m != 0;
}

bool i18n_has(const struct i18n *c, const char *key)
{
    return c && key && (entry_search(c, key, -1) >= 0 || i18n_plural_forms_of(c, key, NULL));
}

size_t i18n_format(char *out, size_t cap, const char *tmpl, const char *name, const char *value)
{
    if (!out || cap == 0)
        return 0;
    char pat[64];
    snprintf(pat, sizeof(pat), "{%s}", name ? name : "");
    size_t plen = strlen(pat), o = 0;
    const char *s = tmpl ? tmpl : "";
    value = value ? value : "";
    while (*s && o + 1 < cap) {
        const char *piece = s;
        size_t n = 1;
        if (strncmp(s, pat, plen) == 0) {
            piece = value;
            n = strlen(value);
            s += plen;
        } else {
            s++;
        }
        size_t room = cap - 1 - o;
        if (n > room)
            n = utf8_cut(piece, n, room);
        memcpy(out + o, piece, n);
        o += n;
        if (n == 0 && room > 0 && piece == value && value[0])
            break;
    }
    /* never end inside a UTF-8 sequence */
    size_t k = o;
    while (k > 0 && ((unsigned char)out[k - 1] & 0xC0) == 0x80)
        k--;
    if (k > 0) {
        unsigned char lead = (unsigned char)out[k - 1];
        size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
        if (o - (k - 1) < need)
            o = k - 1;
    }
    out[o] = '\0';
    return o;
}

static const char *own(const struct i18n *c, const char *key)
{
    return c && i18n_has(c, key) ? i18n_find(c, key) : NULL;
}

size_t i18n_desk(const struct i18n *c, const char *desk, const char *desk_cy, char *out, size_t cap)
{
    char key[I18N_KEY_MAX];
    if (!cap)
        return 0;
    out[0] = '\0';
    if (desk_cy && desk_cy[0] && c && strcmp(i18n_lang(c), "cy") == 0) {
        snprintf(out, cap, "%s", desk_cy);
        return strlen(out);
    }
    if (!desk)
        return 0;
    snprintf(key, sizeof(key), "desk.%s", desk);
    const char *whole = c ? own(c, key) : NULL;
    if (whole) {
        snprintf(out, cap, "%s", whole);
        return strlen(out);
    }
    const char *sp = strchr(desk, ' ');
    size_t wl = sp ? (size_t)(sp - desk) : strlen(desk);
    snprintf(key, sizeof(key), "desk.%.*s", (int)wl, desk);
    const char *word = c ? own(c, key) : NULL;
    if (word)
        snprintf(out, cap, "%s%s", word, desk + wl);
    else
        snprintf(out, cap, "%s", desk);
    return strlen(out);
}
