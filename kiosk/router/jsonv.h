/* jsonv.h — validated field access on cJSON objects, with errors that name the field. */
#ifndef HUB_JSONV_H
#define HUB_JSONV_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

/* Copies the string member `name` of obj into dst (size cap). required: a missing member
 * is an error; optional members leave dst as "" . Errors (wrong type, too long, invalid UTF-8,
 * empty when required) write "<where>.<name>: ..." into err and return -1; 0 on success. */
int jsonv_string(const cJSON *obj, const char *name, bool required, char *dst, size_t cap,
                 const char *where, char *err, size_t errcap);

/* Reads the boolean member `name`; missing -> def when !required. Same error rules. */
int jsonv_bool(const cJSON *obj, const char *name, bool required, bool def, bool *out,
               const char *where, char *err, size_t errcap);

/* The array member `name`, or NULL with an error in err (missing when required, or not an
 * array). *missing is set when it was absent and not required. */
const cJSON *jsonv_array(const cJSON *obj, const char *name, bool required, bool *missing,
                         const char *where, char *err, size_t errcap);

#endif
