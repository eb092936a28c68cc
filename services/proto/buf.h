/* buf.h — a growing byte buffer with a hard cap (curl's dynbuf idea: past the cap it refuses
 * and says so, rather than grow), and the one capped whole-file read built on it. */
#ifndef PROTO_BUF_H
#define PROTO_BUF_H

#include <stdbool.h>
#include <stddef.h>

struct buf {
    char *p;     /* NUL-terminated contents (NULL while empty) */
    size_t len;  /* bytes held, without the NUL */
    size_t cap;  /* the most it may ever hold */
    bool toobig; /* an add was refused for the cap */
    size_t alloc;
};

/* An empty buffer that will hold at most cap bytes. */
void buf_init(struct buf *b, size_t cap);
/* Appends n bytes. 0; -1 when they would pass the cap (toobig set, nothing added) or memory
 * runs out (nothing added). */
int buf_add(struct buf *b, const void *data, size_t n);
/* Hands the contents over (NUL-terminated, never NULL unless out of memory; the caller frees)
 * and leaves b empty. *len (may be NULL) gets the size. */
char *buf_take(struct buf *b, size_t *len);
/* Frees the contents; b is empty and reusable afterwards. */
void buf_free(struct buf *b);

/* Reads a whole file into a NUL-terminated heap buffer (the caller frees). Fails (NULL, a
 * one-line reason naming path in err) when the file cannot be read or is larger than cap
 * bytes. *len (may be NULL) gets the size without the NUL. The only file read of proto. */
char *buf_read_file(const char *path, size_t cap, size_t *len, char *err, size_t errcap);

#endif
