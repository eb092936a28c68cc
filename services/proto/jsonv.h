/* jsonv.h — the one set of JSON field readers over cJSON, for everything the hub reads from
 * outside (requests, directories, the taxonomy). They check type, length and content, and
 * explain a rejection in one grammar, "<field>: <problem>", where field is a path such as
 * "workers[2].languages[0]" so the sender learns exactly which field was wrong. */
#ifndef PROTO_JSONV_H
#define PROTO_JSONV_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

/* Flags for jv_string and jv_copy. */
enum {
    JV_REQUIRED = 1,  /* missing (or null, unless JV_NULLABLE) is an error */
    JV_MULTILINE = 2, /* newlines and tabs allowed */
    JV_NULLABLE = 4,  /* an explicit null is accepted (returns *out = NULL) */
    JV_NONEMPTY = 8,  /* "" is an error */
};

/* Reads obj[key] as a clean UTF-8 string (text_clean) of at most max bytes. Absent (or null
 * when JV_NULLABLE) gives *out = NULL and 0 unless JV_REQUIRED. Returns 0, or -1 with err set.
 * *out points into obj and lives as long as it. */
int jv_string(const cJSON *obj, const char *key, int flags, size_t max, const char **out, char *err,
              size_t cap);

/* jv_string into dst (dstcap bytes, so at most dstcap - 1 of text); absent gives "". */
int jv_copy(const cJSON *obj, const char *key, int flags, char *dst, size_t dstcap, char *err,
            size_t cap);

/* Reads obj[key] as a boolean. Absent gives def unless required. Returns 0 or -1. */
int jv_bool(const cJSON *obj, const char *key, bool required, bool def, bool *out, char *err,
            size_t cap);

/* obj[key] when it is an array; NULL when absent (an error only when required: check
 * err[0] after setting it to "") or of another type (always an error). */
const cJSON *jv_array(const cJSON *obj, const char *key, bool required, char *err, size_t cap);

/* Maps a string to its canonical form (a pointer that outlives the JSON), or NULL when not a
 * known value. */
typedef const char *(*jv_lookup_fn)(const char *s);

/* Reads obj[key] as an array of at most max distinct strings each accepted by lookup (the
 * canonical pointers go to out[]). Absent gives n = 0 unless required. Returns 0 or -1. */
int jv_enum_array(const cJSON *obj, const char *key, bool required, jv_lookup_fn lookup,
                  const char **out, size_t max, size_t *n, char *err, size_t cap);

/* Writes "key: why" into err. Always returns -1. */
int jv_fail(char *err, size_t cap, const char *key, const char *why);

/* Puts "prefix" before the error already in err ("name: missing" becomes
 * "workers[3].name: missing"). Always returns -1. */
int jv_nest(char *err, size_t cap, const char *prefix);

/* Joins n strings with ',' into out; returns 0, or -1 when it does not fit. */
int jv_join(const char *const *items, size_t n, char *out, size_t cap);

#endif
