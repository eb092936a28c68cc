/* buf.c — capped buffers and the capped file read. */
#include "proto/buf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void buf_init(struct buf *b, size_t cap)
{
    memset(b, 0, sizeof(*b));
    b->cap = cap;
}

int buf_add(struct buf *b, const void *data, size_t n)
{
    if (n > b->cap - b->len) {
        b->toobig = true;
        return -1;
    }
    if (b->len + n + 1 > b->alloc) {
        size_t want = b->alloc ? b->alloc : 256;
        while (want < b->len + n + 1)
            want *= 2;
        if (want > b->cap + 1)
            want = b->cap + 1;
        char *p = realloc(b->p, want);
        if (!p)
            return -1;
        b->p = p;
        b->alloc = want;
    }
    if (n)
        memcpy(b->p + b->len, data, n);
    b->len += n;
    b->p[b->len] = '\0';
    return 0;
}

char *buf_take(struct buf *b, size_t *len)
{
    char *p = b->p ? b->p : calloc(1, 1);
    if (len)
        *len = b->p ? b->len : 0;
    size_t cap = b->cap;
    buf_init(b, cap);
    return p;
}

void buf_free(struct buf *b)
{
    free(b->p);
    buf_init(b, b->cap);
}

char *buf_read_file(const char *path, size_t cap, size_t *len, char *err, size_t errcap)
{
    struct buf b;
    char chunk[8192];
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errcap, "cannot open %s: %s", path, strerror(errno));
        return NULL;
    }
    buf_init(&b, cap);
    for (;;) {
        size_t got = fread(chunk, 1, sizeof(chunk), f);
        if (got == 0)
            break;
        if (buf_add(&b, chunk, got) < 0) {
            if (b.toobig)
                snprintf(err, errcap, "%s is larger than %zu bytes", path, cap);
            else
                snprintf(err, errcap, "out of memory reading %s", path);
            goto out_free;
        }
    }
    if (ferror(f)) {
        snprintf(err, errcap, "cannot read %s", path);
        goto out_free;
    }
    fclose(f);
    char *out = buf_take(&b, len);
    if (!out)
        snprintf(err, errcap, "out of memory reading %s", path);
    return out;

out_free:
    buf_free(&b);
    fclose(f);
    return NULL;
}
