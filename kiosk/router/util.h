/* util.h — small helpers shared by the core: capped file reads, bounded string copies. */
#ifndef HUB_UTIL_H
#define HUB_UTIL_H

#include <stdbool.h>
#include <stddef.h>

/* Reads a whole file into a NUL-terminated heap buffer. Fails (NULL, reason in err) when the
 * file cannot be read or is larger than cap bytes. *len gets the size without the NUL.
 * The caller frees the buffer. */
char *util_read_file(const char *path, size_t cap, size_t *len, char *err, size_t errcap);

/* Copies src into dst (size cap), always NUL-terminating; returns false when src was cut. */
bool util_copy(char *dst, size_t cap, const char *src);

/* Joins a directory and a name into out; returns false when it does not fit. */
bool util_path(char *out, size_t cap, const char *dir, const char *name);

#endif
