/* webgz.h — gzip for the staff console's static files: whether a client takes gzip, and each
 * file's gzip body, compressed once per version of the file (its path, size and mtime) and kept
 * in memory under a cap on the total. Thread-safe; no MHD, so the unit tests link it alone. */
#ifndef HUBD_WEBGZ_H
#define HUBD_WEBGZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#define WEBGZ_MIN       1024       /* smaller files go as they are: little to gain */
#define WEBGZ_FILE_MAX  (4u << 20) /* larger files go as they are, never read whole */
#define WEBGZ_CACHE_MAX (8u << 20) /* bytes the cache holds at most, every file together */

/* True when an Accept-Encoding value takes gzip: "gzip" (or "x-gzip") named with a q above 0,
 * or, when neither is named, "*" with a q above 0. False for NULL, "", "identity", "gzip;q=0",
 * "gzip;q=0.000", "*;q=0", or a q that is not a number. */
bool webgz_accepts(const char *accept_encoding);

/* The gzip body of the regular file open as fd (st: fstat of fd; path: its real path, the
 * cache's key with st's size and mtime), from the cache or compressed now (then cached when
 * it fits under the cap, the least recently used files making room). fd's offset is left as
 * it was. Returns 1 with a malloc'd copy in *out (the caller frees it) and its length in *len;
 * 0 when gzip does not make the file smaller, the file is over WEBGZ_FILE_MAX, or it changed
 * while it was read (send it as it is); -1 on a read error or no memory. */
int webgz_body(const char *path, int fd, const struct stat *st, uint8_t **out, size_t *len);

/* What the cache has done (plain data): files compressed since the start, and what it holds. */
struct webgz_stats {
    unsigned long compressed; /* deflate runs, one per file version not found in the cache */
    size_t entries, bytes;    /* bytes: gzip bodies plus each entry's own size */
};
void webgz_stats_get(struct webgz_stats *out);

/* Sets the cap on the cache's bytes (WEBGZ_CACHE_MAX at start), dropping the least recently
 * used entries over it; webgz_clear empties the cache and zeroes the count (tests). */
void webgz_set_cap(size_t cap);
void webgz_clear(void);

#endif
