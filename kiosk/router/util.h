/* util.h — small helpers of the router: bounded string copies (capped file reads: proto/buf.h;
 * paths: proto/paths.h). */
#ifndef HUB_UTIL_H
#define HUB_UTIL_H

#include <stdbool.h>
#include <stddef.h>

/* Copies src into dst (size cap), always NUL-terminating; returns false when src was cut. */
bool util_copy(char *dst, size_t cap, const char *src);

#endif
