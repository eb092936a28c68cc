/* i18n.h — the kiosk's string catalogue: one language's UI strings (locales/<lang>/strings.json)
 * and need labels (locales/<lang>/needs.json), with CLDR plural forms for en and cy. */
#ifndef HUB_I18N_H
#define HUB_I18N_H

#include <stdbool.h>
#include <stddef.h>

#define I18N_FILE_MAX    (1u << 20) /* strings files are capped at 1 MB */
#define I18N_KEY_MAX     96
#define I18N_VALUE_MAX   600
#define I18N_ENTRIES_MAX 2048

enum plural_cat { PL_ZERO, PL_ONE, PL_TWO, PL_FEW, PL_MANY, PL_OTHER, PL_COUNT };

struct i18n;

/* A new, empty catalogue for lang ("en", "cy", ...). NULL when out of memory. */
struct i18n *i18n_new(const char *lang);
void i18n_free(struct i18n *c);

const char *i18n_lang(const struct i18n *c);

/* Parses a strings.json text: one flat object, key -> string, or key -> object of CLDR plural
 * forms ({"one": "...", "other": "..."}). Keys starting with "_" are metadata and skipped.
 * Later entries replace earlier ones. Returns 0, or -1 with a one-line reason in err. */
int i18n_parse_strings(struct i18n *c, const char *json, size_t len, char *err, size_t errcap);

/* Reads a strings.json file (capped at I18N_FILE_MAX). 0, or -1 with a reason in err. */
int i18n_load_strings(struct i18n *c, const char *path, char *err, size_t errcap);

/* Reads locales/<lang>/needs.json and adds each needs.<id>.label as "need.<id>".
 * 0, or -1 with a reason in err (an unreadable file is an error; the caller may ignore it). */
int i18n_load_need_labels(struct i18n *c, const char *path, char *err, size_t errcap);
int i18n_parse_need_labels(struct i18n *c, const char *json, size_t len, char *err, size_t errcap);

/* Looks up a plain string in c, then in its fallback chain; NULL when no catalogue has it. */
const char *i18n_find(const struct i18n *c, const char *key);

/* Like i18n_find, but never NULL: a missing key returns the key itself, so gaps show. */
const char *i18n_get(const struct i18n *c, const char *key);

/* The plural form of key for the count n in c's language (falling back to "other", then to the
 * fallback chain, then to the key). Never NULL. */
const char *i18n_plural(const struct i18n *c, const char *key, long n);

/* Makes lookups that miss in c try fb (not owned; must outlive c). */
void i18n_set_fallback(struct i18n *c, const struct i18n *fb);

/* CLDR cardinal plural category of an integer n in lang ("cy": zero one two few many other;
 * everything else: one other). */
enum plural_cat plural_category(const char *lang, long n);

/* Bit (1u << cat) for every category lang uses. */
unsigned plural_forms(const char *lang);

/* "zero", "one", ... "other"; NULL out of range. */
const char *plural_name(enum plural_cat cat);

/* Iteration for completeness checks: number of keys (a plural key counts once). */
int i18n_count(const struct i18n *c);
const char *i18n_key_at(const struct i18n *c, int i);
/* True when key is held by c itself (not its fallback) as a plural; *forms gets its bit set. */
bool i18n_plural_forms_of(const struct i18n *c, const char *key, unsigned *forms);
bool i18n_has(const struct i18n *c, const char *key);

/* Copies tmpl into out (cap bytes, always terminated) replacing every "{name}" with value.
 * Returns the length written (truncated at a character boundary when out is too small). */
size_t i18n_format(char *out, size_t cap, const char *tmpl, const char *name, const char *value);

/* A worker's desk in c's language. On a Welsh screen the directory's desk_cy (NULL or "" when it
 * has none) is shown as it is; otherwise the words of the desk are looked up as "desk.<desk>"
 * (the whole name: "Quiet room") or "desk.<first word>" ("Room 2" -> "Ystafell 2"); a desk with
 * neither is shown as it is. Returns the length written. */
size_t i18n_desk(const struct i18n *c, const char *desk, const char *desk_cy, char *out,
                 size_t cap);

#endif
