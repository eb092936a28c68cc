/* jsonv.h — field readers over cJSON that validate type, length and content and explain
 * a rejection as "<field>: <problem>" so the client learns which field was wrong. */
#ifndef HUBD_JSONV_H
#define HUBD_JSONV_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

/* Flags for jv_string. */
enum {
    JV_REQUIRED = 1,  /* missing or null is an error */
    JV_MULTILINE = 2, /* newlines and tabs allowed */
    JV_NULLABLE = 4,  /* an explicit null is accepted (returns *out = NULL) */
};

/* Reads obj[key] as a clean UTF-8 string of at most max bytes. Absent (or null when
 * JV_NULLABLE) gives *out = NULL and 0 unless JV_REQUIRED. Returns 0, or -1 with err set.
 * *out points into obj and lives as long as it. */
int jv_string(const cJSON *obj, const char *key, int flags, size_t max, const char **out, char *err,
              size_t cap);

/* Reads obj[key] as a boolean. Absent gives def unless required. Returns 0 or -1. */
int jv_bool(const cJSON *obj, const char *key, bool required, bool def, bool *out, char *err,
            size_t cap);

/* Maps a string to its canonical static form, or NULL when not a known value. */
typedef const char *(*jv_lookup_fn)(const char *s);

/* Reads obj[key] as an array of at most max distinct strings each accepted by lookup (the
 * canonical pointers go to out[]). Absent gives n = 0 unless required. Returns 0 or -1. */
int jv_enum_array(const cJSON *obj, const char *key, bool required, jv_lookup_fn lookup,
                  const char **out, size_t max, size_t *n, char *err, size_t cap);

/* Writes an error string "key: why" into err. Always returns -1. */
int jv_fail(char *err, size_t cap, const char *key, const char *why);

/* Joins n strings with ',' into out; returns 0, or -1 when it does not fit. */
int jv_join(const char *const *items, size_t n, char *out, size_t cap);

#endif
