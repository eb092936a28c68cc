/* webgz.c — gzip bodies of the console's static files (zlib, level 9), one per file version,
 * in a list under one mutex with a cap on its bytes (least recently used out first), and the
 * reading of Accept-Encoding. */
#include "webgz.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <zlib.h>

struct entry {
    char *path;
    off_t size;
    struct timespec mtime;
    uint8_t *gz; /* NULL: gzip did not make this version smaller */
    size_t gz_len;
    uint64_t used; /* the tick of its last use */
    struct entry *next;
};

static struct {
    pthread_mutex_t lock;
    struct entry *head;
    size_t bytes, entries, cap;
    uint64_t tick;
    unsigned long compressed;
} cache = {.lock = PTHREAD_MUTEX_INITIALIZER, .cap = WEBGZ_CACHE_MAX};

/* ---- Accept-Encoding ---- */

static const char *skip_ws(const char *p)
{
    while (*p == ' ' || *p == '\t')
        p++;
    return p;
}

/* Reads a qvalue ("0", "0.5", "1", "1.000"; RFC 9110 12.4.2) from p up to end: 1 when above
 * 0, 0 when 0, -1 when it is not a qvalue. */
static int qvalue_positive(const char *p, const char *end)
{
    while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
        end--;
    if (p == end || (*p != '0' && *p != '1'))
        return -1;
    bool positive = *p == '1';
    if (++p == end)
        return positive;
    if (*p++ != '.' || end - p > 3)
        return -1;
    for (; p < end; p++) {
        if (*p < '0' || *p > '9' || (positive && *p != '0'))
            return -1;
        positive = positive || *p != '0';
    }
    return positive;
}

/* The q of the element p..end ("gzip;q=0.5"): 1 above 0, 0, or -1 when malformed. */
static int element_q(const char *p, const char *end)
{
    int q = 1;
    for (const char *semi = memchr(p, ';', (size_t)(end - p)); semi;
         semi = memchr(p, ';', (size_t)(end - p))) {
        p = skip_ws(semi + 1);
        const char *next = memchr(p, ';', (size_t)(end - p));
        const char *stop = next ? next : end;
        if (stop - p >= 2 && (p[0] == 'q' || p[0] == 'Q') && p[1] == '=')
            q = qvalue_positive(p + 2, stop);
        if (q < 0)
            return -1;
    }
    return q;
}

static bool token_is(const char *p, const char *end, const char *word)
{
    while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
        end--;
    size_t n = strlen(word);
    return (size_t)(end - p) == n && strncasecmp(p, word, n) == 0;
}

bool webgz_accepts(const char *ae)
{
    int gzip = -1, star = -1; /* -1: not named; else its q is above 0 (1) or not (0) */
    if (!ae)
        return false;
    for (const char *p = ae; *p;) {
        p = skip_ws(p);
        const char *comma = strchr(p, ',');
        const char *end = comma ? comma : p + strlen(p);
        const char *semi = memchr(p, ';', (size_t)(end - p));
        const char *tok_end = semi ? semi : end;
        int q = element_q(p, end);
        if (q < 0)
            q = 0; /* a q that cannot be read takes nothing */
        if (token_is(p, tok_end, "gzip") || token_is(p, tok_end, "x-gzip"))
            gzip = gzip > 0 ? 1 : q;
        else if (token_is(p, tok_end, "*"))
            star = q;
        p = comma ? comma + 1 : end;
    }
    return gzip >= 0 ? gzip > 0 : star > 0;
}

/* ---- the cache ---- */

static size_t entry_bytes(const struct entry *e)
{
    return sizeof(*e) + strlen(e->path) + 1 + e->gz_len;
}

static void entry_free(struct entry *e)
{
    free(e->path);
    free(e->gz);
    free(e);
}

/* Unlinks and frees *link's entry (cache.lock held). */
static void drop(struct entry **link)
{
    struct entry *e = *link;
    *link = e->next;
    cache.bytes -= entry_bytes(e);
    cache.entries--;
    entry_free(e);
}

/* Drops least recently used entries until need more bytes fit under the cap (lock held). */
static void make_room(size_t need)
{
    while (cache.head && cache.bytes + need > cache.cap) {
        struct entry **oldest = &cache.head;
        for (struct entry **l = &cache.head; *l; l = &(*l)->next)
            if ((*l)->used < (*oldest)->used)
                oldest = l;
        drop(oldest);
    }
}

static bool same_version(const struct entry *e, const struct stat *st)
{
    return e->size == st->st_size && e->mtime.tv_sec == st->st_mtim.tv_sec &&
           e->mtime.tv_nsec == st->st_mtim.tv_nsec;
}

/* Looks path's current version up (lock held): 1 with a copy of its body, 0 when gzip did not
 * pay for it, -2 when it is not cached (an older version is dropped), -1 when out of memory. */
static int lookup(const char *path, const struct stat *st, uint8_t **out, size_t *len)
{
    for (struct entry **l = &cache.head; *l; l = &(*l)->next) {
        struct entry *e = *l;
        if (strcmp(e->path, path) != 0)
            continue;
        if (!same_version(e, st)) {
            drop(l);
            return -2;
        }
        e->used = ++cache.tick;
        if (!e->gz)
            return 0;
        *out = malloc(e->gz_len);
        if (!*out)
            return -1;
        memcpy(*out, e->gz, e->gz_len);
        *len = e->gz_len;
        return 1;
    }
    return -2;
}

/* Reads size bytes of fd from offset 0 into a malloc'd buffer. 0, 1 when the file is shorter
 * now (it changed), -1 on a read error or no memory. */
static int read_all(int fd, size_t size, uint8_t **out)
{
    uint8_t *buf = malloc(size ? size : 1);
    size_t got = 0;
    if (!buf)
        return -1;
    while (got < size) {
        ssize_t n = pread(fd, buf + got, size - got, (off_t)got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            free(buf);
            return n == 0 ? 1 : -1;
        }
        got += (size_t)n;
    }
    *out = buf;
    return 0;
}

/* Compresses raw into a malloc'd gzip stream (no name, no time in its header: the same bytes
 * give the same body). Returns its length, or 0 when out of memory. */
static size_t gzip(const uint8_t *raw, size_t len, uint8_t **out)
{
    z_stream zs;
    memset(&zs, 0, sizeof(zs));
    if (deflateInit2(&zs, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return 0;
    size_t bound = deflateBound(&zs, (uLong)len), n = 0;
    uint8_t *gz = malloc(bound);
    if (gz) {
        zs.next_in = (Bytef *)raw;
        zs.avail_in = (uInt)len;
        zs.next_out = gz;
        zs.avail_out = (uInt)bound;
        if (deflate(&zs, Z_FINISH) == Z_STREAM_END)
            n = zs.total_out;
    }
    deflateEnd(&zs);
    if (n == 0)
        free(gz);
    else
        *out = gz;
    return n;
}

/* Keeps e (its body or its lack of one) unless it cannot fit (cache.lock held); an entry of
 * the same path already there, of any version, gives way. Takes ownership of e. */
static void keep(struct entry *e)
{
    for (struct entry **l = &cache.head; *l; l = &(*l)->next) {
        if (strcmp((*l)->path, e->path) == 0) {
            drop(l);
            break;
        }
    }
    size_t need = entry_bytes(e);
    if (need > cache.cap) {
        entry_free(e);
        return;
    }
    make_room(need);
    e->used = ++cache.tick;
    e->next = cache.head;
    cache.head = e;
    cache.bytes += need;
    cache.entries++;
}

int webgz_body(const char *path, int fd, const struct stat *st, uint8_t **out, size_t *len)
{
    if (st->st_size < 0 || (uintmax_t)st->st_size > WEBGZ_FILE_MAX)
        return 0;
    pthread_mutex_lock(&cache.lock);
    int rc = lookup(path, st, out, len);
    pthread_mutex_unlock(&cache.lock);
    if (rc != -2)
        return rc;
    /* compressed outside the lock: other files are served meanwhile */
    size_t size = (size_t)st->st_size, gz_len = 0;
    uint8_t *raw = NULL, *gz = NULL;
    struct stat after;
    rc = read_all(fd, size, &raw);
    if (rc != 0)
        return rc > 0 ? 0 : -1;
    gz_len = gzip(raw, size, &gz);
    free(raw);
    if (gz_len == 0)
        return -1;
    if (fstat(fd, &after) < 0 || after.st_size != st->st_size ||
        after.st_mtim.tv_sec != st->st_mtim.tv_sec ||
        after.st_mtim.tv_nsec != st->st_mtim.tv_nsec) {
        free(gz); /* written to while it was read: neither version for sure */
        return 0;
    }
    bool pays = gz_len < size;
    struct entry *e = calloc(1, sizeof(*e));
    char *key = strdup(path);
    if (!e || !key) {
        free(e);
        free(key);
        free(gz);
        return -1;
    }
    *e = (struct entry){.path = key, .size = st->st_size, .mtime = st->st_mtim};
    if (pays) {
        *out = malloc(gz_len);
        if (!*out) {
            entry_free(e);
            free(gz);
            return -1;
        }
        memcpy(*out, gz, gz_len);
        *len = gz_len;
        e->gz = gz;
        e->gz_len = gz_len;
    } else {
        free(gz);
    }
    pthread_mutex_lock(&cache.lock);
    cache.compressed++;
    keep(e);
    pthread_mutex_unlock(&cache.lock);
    return pays ? 1 : 0;
}

void webgz_stats_get(struct webgz_stats *out)
{
    pthread_mutex_lock(&cache.lock);
    *out = (struct webgz_stats){cache.compressed, cache.entries, cache.bytes};
    pthread_mutex_unlock(&cache.lock);
}

void webgz_set_cap(size_t cap)
{
    pthread_mutex_lock(&cache.lock);
    cache.cap = cap;
    make_room(0);
    pthread_mutex_unlock(&cache.lock);
}

void webgz_clear(void)
{
    pthread_mutex_lock(&cache.lock);
    while (cache.head)
        drop(&cache.head);
    cache.compressed = 0;
    pthread_mutex_unlock(&cache.lock);
}
