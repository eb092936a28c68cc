/* util.c — bounded string helpers for the router. */
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool util_copy(char *dst, size_t cap, const char *src)
{
    if (cap == 0)
        return false;
    size_t n = strlen(src);
    bool fits = n < cap;
    if (!fits)
        n = cap - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
    return fits;
}
