/* strmap.h — an open-addressing hash map from byte strings to non-negative ints. */
#ifndef HUB_STRMAP_H
#define HUB_STRMAP_H

#include <stddef.h>

struct strmap;

/* A new empty map; NULL when out of memory. Free with strmap_free(). */
struct strmap *strmap_new(void);
void strmap_free(struct strmap *m);

/* The value stored for key, or -1 when absent. */
int strmap_get(const struct strmap *m, const char *key, size_t len);

/* Stores value (>= 0) for key, replacing any earlier one. The key is copied.
 * Returns 0, or -1 when out of memory (the map is unchanged). */
int strmap_set(struct strmap *m, const char *key, size_t len, int value);

/* Number of keys. */
int strmap_count(const struct strmap *m);

#endif
