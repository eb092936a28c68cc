/* util.c — capped file reads and bounded string helpers for the core. */
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *util_read_file(const char *path, size_t cap, size_t *len, char *err, size_t errcap)
{
    char *buf = NULL;
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errcap, "cannot open %s: %s", path, strerror(errno));
        return NULL;
    }
    size_t size = 0, alloc = 4096;
    buf = malloc(alloc + 1);
    if (!buf) {
        snprintf(err, errcap, "out of memory reading %s", path);
        goto out_close;
    }
    for (;;) {
        if (size == alloc) {
            if (alloc >= cap) {
                snprintf(err, errcap, "%s is larger than %zu bytes", path, cap);
                goto out_free_buf;
            }
            size_t next = alloc * 2 > cap ? cap : alloc * 2;
            char *grown = realloc(buf, next + 1);
            if (!grown) {
                snprintf(err, errcap, "out of memory reading %s", path);
                goto out_free_buf;
            }
            buf = grown;
            alloc = next;
        }
        size_t got = fread(buf + size, 1, alloc - size, f);
        size += got;
        if (got == 0)
            break;
    }
    if (ferror(f)) {
        snprintf(err, errcap, "cannot read %s", path);
        goto out_free_buf;
    }
    if (size == cap) {
        int extra = fgetc(f);
        if (extra != EOF) {
            snprintf(err, errcap, "%s is larger than %zu bytes", path, cap);
            goto out_free_buf;
        }
    }
    buf[size] = '\0';
    if (len)
        *len = size;
    fclose(f);
    return buf;

out_free_buf:
    free(buf);
    buf = NULL;
out_close:
    fclose(f);
    return buf;
}

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

bool util_path(char *out, size_t cap, const char *dir, const char *name)
{
    int n = snprintf(out, cap, "%s/%s", dir, name);
    return n > 0 && (size_t)n < cap;
}
