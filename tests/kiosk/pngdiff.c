/* pngdiff.c — compares a screenshot with its golden image within a small tolerance, draws where
 * they differ for a person to look at, and repacks a screenshot small enough to keep as a golden.
 * Reads the 8-bit, non-interlaced PNGs the kiosk writes (kiosk/platform/png.c) and any other
 * 8-bit grey, grey+alpha, RGB or RGBA PNG; needs only zlib. */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define MAX_FILE_BYTES   (64u << 20) /* a PNG file read whole, at most */
#define MAX_SIDE         16384
#define MAX_PIXELS       (1u << 25) /* 32 M pixels: 128 MiB as RGBA */
#define DEFAULT_TOL      24         /* per channel, of 255 */
#define DEFAULT_SHARE    0.003      /* percent of the pixels that may differ */
#define DIFF_MARK_R      255        /* a differing pixel in the diff image: magenta */
#define DIFF_MARK_G      0
#define DIFF_MARK_B      255
#define DIFF_BOX_R       255 /* the box around all differing pixels: red */
#define DIFF_FAINT_FLOOR 176 /* unchanged pixels: the golden's grey, faded to 176..255 */

struct image {
    int w, h;
    uint8_t *rgba; /* w * h * 4 bytes, rows top to bottom */
};

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static void put_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

/* Reads a whole file of at most MAX_FILE_BYTES into *out (malloc'd, the caller frees).
 * Returns 0, or -1 with err set. */
static int read_capped(const char *path, uint8_t **out, size_t *len, char *err, size_t cap)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf = NULL;
    size_t n = 0, size = 0;
    int rc = -1;
    if (!f) {
        snprintf(err, cap, "%s: %s", path, strerror(errno));
        return -1;
    }
    for (;;) {
        if (n == size) {
            if (size >= MAX_FILE_BYTES) {
                snprintf(err, cap, "%s: larger than %u bytes", path, MAX_FILE_BYTES);
                goto out_close;
            }
            size_t grow = size ? size * 2 : 1u << 16;
            uint8_t *nb = realloc(buf, grow > MAX_FILE_BYTES ? MAX_FILE_BYTES : grow);
            if (!nb) {
                snprintf(err, cap, "%s: out of memory", path);
                goto out_close;
            }
            buf = nb;
            size = grow > MAX_FILE_BYTES ? MAX_FILE_BYTES : grow;
        }
        size_t got = fread(buf + n, 1, size - n, f);
        n += got;
        if (got == 0)
            break;
    }
    if (ferror(f)) {
        snprintf(err, cap, "%s: read error", path);
        goto out_close;
    }
    *out = buf;
    *len = n;
    buf = NULL;
    rc = 0;
out_close:
    fclose(f);
    free(buf);
    return rc;
}

static uint8_t paeth(uint8_t a, uint8_t b, uint8_t c)
{
    int p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c);
    return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/* Undoes the per-row filters in place: raw holds h rows of 1 + stride bytes. */
static int unfilter(uint8_t *raw, int h, size_t stride, int bpp)
{
    const uint8_t *prev = NULL;
    for (int y = 0; y < h; y++) {
        uint8_t *row = raw + (size_t)y * (stride + 1);
        uint8_t f = row[0], *px = row + 1;
        for (size_t i = 0; i < stride; i++) {
            uint8_t a = i >= (size_t)bpp ? px[i - (size_t)bpp] : 0;
            uint8_t b = prev ? prev[i] : 0;
            uint8_t c = prev && i >= (size_t)bpp ? prev[i - (size_t)bpp] : 0;
            switch (f) {
            case 0:
                break;
            case 1:
                px[i] = (uint8_t)(px[i] + a);
                break;
            case 2:
                px[i] = (uint8_t)(px[i] + b);
                break;
            case 3:
                px[i] = (uint8_t)(px[i] + ((a + b) >> 1));
                break;
            case 4:
                px[i] = (uint8_t)(px[i] + paeth(a, b, c));
                break;
            default:
                return -1;
            }
        }
        prev = px;
    }
    return 0;
}

/* Parses the PNG in buf into img (RGBA). Returns 0, or -1 with err set. */
static int png_parse(const char *path, const uint8_t *buf, size_t len, struct image *img, char *err,
                     size_t cap)
{
    static const uint8_t sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    uint8_t *idat = NULL, *raw = NULL;
    size_t idat_len = 0, pos = 8;
    int channels = 0, rc = -1;
    bool ended = false;
    memset(img, 0, sizeof(*img));
    if (len < 8 || memcmp(buf, sig, 8) != 0) {
        snprintf(err, cap, "%s: not a PNG", path);
        return -1;
    }
    idat = malloc(len); /* the IDAT data joined: never more than the file */
    if (!idat) {
        snprintf(err, cap, "%s: out of memory", path);
        return -1;
    }
    while (!ended) {
        if (len - pos < 12) {
            snprintf(err, cap, "%s: cut short", path);
            goto out_free;
        }
        uint32_t n = be32(buf + pos);
        const uint8_t *type = buf + pos + 4, *data = buf + pos + 8;
        if (n > len - pos - 12) {
            snprintf(err, cap, "%s: a chunk runs past the end", path);
            goto out_free;
        }
        uLong crc = crc32(crc32(0L, type, 4), data, n);
        if ((uint32_t)crc != be32(data + n)) {
            snprintf(err, cap, "%s: bad CRC in chunk %.4s", path, (const char *)type);
            goto out_free;
        }
        bool first = pos == 8;
        pos += 12 + (size_t)n;
        if (memcmp(type, "IHDR", 4) == 0) {
            if (!first || n != 13) {
                snprintf(err, cap, "%s: bad IHDR", path);
                goto out_free;
            }
            uint32_t w = be32(data), h = be32(data + 4);
            static const int by_type[7] = {1, 0, 3, 0, 2, 0, 4};
            uint8_t ct = data[9];
            channels = ct < 7 ? by_type[ct] : 0;
            if (w == 0 || h == 0 || w > MAX_SIDE || h > MAX_SIDE || w * h > MAX_PIXELS) {
                snprintf(err, cap, "%s: %ux%u is out of range", path, w, h);
                goto out_free;
            }
            if (data[8] != 8 || channels == 0 || data[10] != 0 || data[11] != 0 || data[12]) {
                snprintf(err, cap,
                         "%s: only 8-bit grey, grey+alpha, RGB or RGBA, not interlaced, "
                         "is read (depth %u, colour type %u, interlace %u)",
                         path, data[8], ct, data[12]);
                goto out_free;
            }
            img->w = (int)w;
            img->h = (int)h;
        } else if (first) {
            snprintf(err, cap, "%s: IHDR is not the first chunk", path);
            goto out_free;
        } else if (memcmp(type, "IDAT", 4) == 0) {
            memcpy(idat + idat_len, data, n);
            idat_len += n;
        } else if (memcmp(type, "IEND", 4) == 0) {
            ended = true;
        } else if (!(type[0] & 0x20)) {
            snprintf(err, cap, "%s: unknown critical chunk %.4s", path, (const char *)type);
            goto out_free;
        } /* ancillary chunks (text, gamma, ...) are skipped */
    }
    size_t stride = (size_t)img->w * (size_t)channels, raw_len = (stride + 1) * (size_t)img->h;
    raw = malloc(raw_len);
    img->rgba = malloc((size_t)img->w * (size_t)img->h * 4);
    if (!raw || !img->rgba) {
        snprintf(err, cap, "%s: out of memory", path);
        goto out_free;
    }
    z_stream zs;
    memset(&zs, 0, sizeof(zs));
    if (inflateInit(&zs) != Z_OK) {
        snprintf(err, cap, "%s: zlib would not start", path);
        goto out_free;
    }
    zs.next_in = idat;
    zs.avail_in = (uInt)idat_len;
    zs.next_out = raw;
    zs.avail_out = (uInt)raw_len;
    int zrc = inflate(&zs, Z_FINISH);
    bool whole = zrc == Z_STREAM_END && zs.avail_out == 0;
    inflateEnd(&zs);
    if (!whole) {
        snprintf(err, cap, "%s: the image data is %s", path,
                 zrc == Z_STREAM_END ? "too short" : "damaged or too long");
        goto out_free;
    }
    if (unfilter(raw, img->h, stride, channels) < 0) {
        snprintf(err, cap, "%s: unknown row filter", path);
        goto out_free;
    }
    for (int y = 0; y < img->h; y++) {
        const uint8_t *s = raw + (size_t)y * (stride + 1) + 1;
        uint8_t *d = img->rgba + (size_t)y * (size_t)img->w * 4;
        for (int x = 0; x < img->w; x++, s += channels, d += 4) {
            bool grey = channels <= 2;
            d[0] = s[0];
            d[1] = grey ? s[0] : s[1];
            d[2] = grey ? s[0] : s[2];
            d[3] = channels == 2 ? s[1] : channels == 4 ? s[3] : 255;
        }
    }
    rc = 0;
out_free:
    free(idat);
    free(raw);
    if (rc < 0) {
        free(img->rgba);
        img->rgba = NULL;
    }
    return rc;
}

static int png_load(const char *path, struct image *img, char *err, size_t cap)
{
    uint8_t *buf;
    size_t len;
    if (read_capped(path, &buf, &len, err, cap) < 0)
        return -1;
    int rc = png_parse(path, buf, len, img, err, cap);
    free(buf);
    return rc;
}

static int chunk_out(FILE *f, const char *type, const uint8_t *data, uint32_t len)
{
    uint8_t hdr[8], tail[4];
    put_be32(hdr, len);
    memcpy(hdr + 4, type, 4);
    uLong crc = crc32(0L, hdr + 4, 4);
    if (len) /* zlib's crc32 of a NULL buffer is its starting value, not a no-op */
        crc = crc32(crc, data, len);
    put_be32(tail, (uint32_t)crc);
    if (fwrite(hdr, 1, 8, f) != 8 || (len && fwrite(data, 1, len, f) != len) ||
        fwrite(tail, 1, 4, f) != 4)
        return -1;
    return 0;
}

/* Filters one row with filter f into out (stride bytes); returns the sum of |signed byte|, the
 * usual guess at which filter compresses best. */
static unsigned long filter_row(int f, const uint8_t *px, const uint8_t *prev, size_t stride,
                                int bpp, uint8_t *out)
{
    unsigned long cost = 0;
    for (size_t i = 0; i < stride; i++) {
        uint8_t a = i >= (size_t)bpp ? px[i - (size_t)bpp] : 0;
        uint8_t b = prev ? prev[i] : 0;
        uint8_t c = prev && i >= (size_t)bpp ? prev[i - (size_t)bpp] : 0;
        uint8_t p = f == 1   ? a
                    : f == 2 ? b
                    : f == 3 ? (uint8_t)((a + b) >> 1)
                    : f == 4 ? paeth(a, b, c)
                             : 0;
        out[i] = (uint8_t)(px[i] - p);
        cost += (unsigned long)abs((int8_t)out[i]);
    }
    return cost;
}

/* Filters every row of px (h rows of stride bytes) into raw: with filter mode 0-4 for every
 * row, or 5 for the cheapest filter of each row. */
static void filter_all(int mode, const uint8_t *px, int h, size_t stride, int bpp, uint8_t *raw,
                       uint8_t *trial)
{
    for (int y = 0; y < h; y++) {
        const uint8_t *cur = px + (size_t)y * stride, *prev = y ? cur - stride : NULL;
        uint8_t *row = raw + (size_t)y * (stride + 1);
        unsigned long best = 0;
        for (int fl = mode == 5 ? 0 : mode; fl <= (mode == 5 ? 4 : mode); fl++) {
            unsigned long cost = filter_row(fl, cur, prev, stride, bpp, trial);
            if (fl == 0 || mode != 5 || cost < best) {
                best = cost;
                row[0] = (uint8_t)fl;
                memcpy(row + 1, trial, stride);
            }
        }
    }
}

/* Writes img as a PNG: RGB when every pixel is opaque, else RGBA; of the row filters (none, each
 * one for all rows, the cheapest per row) the one zlib's best compression packs smallest.
 * Returns 0, or -1. */
static int png_save(const char *path, const struct image *img)
{
    size_t n = (size_t)img->w * (size_t)img->h;
    bool opaque = true;
    for (size_t i = 0; i < n && opaque; i++)
        opaque = img->rgba[i * 4 + 3] == 255;
    int bpp = opaque ? 3 : 4, rc = -1;
    size_t stride = (size_t)img->w * (size_t)bpp, raw_len = (stride + 1) * (size_t)img->h;
    uLong bound = compressBound((uLong)raw_len);
    uint8_t *px = malloc(stride * (size_t)img->h), *raw = malloc(raw_len), *trial = malloc(stride);
    uint8_t *z = malloc(bound), *best = malloc(bound);
    uLongf best_len = 0;
    FILE *f = NULL;
    if (!px || !raw || !trial || !z || !best)
        goto out_free;
    for (size_t i = 0; i < n; i++)
        memcpy(px + i * (size_t)bpp, img->rgba + i * 4, (size_t)bpp);
    for (int mode = 0; mode <= 5; mode++) {
        uLongf z_len = bound;
        filter_all(mode, px, img->h, stride, bpp, raw, trial);
        if (compress2(z, &z_len, raw, (uLong)raw_len, 9) != Z_OK)
            goto out_free;
        if (best_len == 0 || z_len < best_len) {
            uint8_t *t = best;
            best = z;
            z = t;
            best_len = z_len;
        }
    }
    f = fopen(path, "wb");
    if (!f)
        goto out_free;
    static const uint8_t sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    uint8_t ihdr[13] = {0};
    put_be32(ihdr, (uint32_t)img->w);
    put_be32(ihdr + 4, (uint32_t)img->h);
    ihdr[8] = 8;
    ihdr[9] = opaque ? 2 : 6;
    if (fwrite(sig, 1, 8, f) != 8 || chunk_out(f, "IHDR", ihdr, 13) < 0 ||
        chunk_out(f, "IDAT", best, (uint32_t)best_len) < 0 || chunk_out(f, "IEND", NULL, 0) < 0)
        goto out_close;
    rc = 0;
out_close:
    if (fclose(f) != 0)
        rc = -1;
out_free:
    free(px);
    free(raw);
    free(trial);
    free(z);
    free(best);
    return rc;
}

struct diff {
    long differ, total;
    int max_delta;
    int x0, y0, x1, y1; /* the box around every differing pixel */
};

/* Counts the pixels of b that differ from a by more than tol in any channel; when marks is
 * not NULL, fills it (a's size, RGBA) with the diff image. */
static void compare(const struct image *a, const struct image *b, int tol, struct diff *d,
                    uint8_t *marks)
{
    memset(d, 0, sizeof(*d));
    d->total = (long)a->w * a->h;
    d->x0 = a->w;
    d->y0 = a->h;
    d->x1 = d->y1 = -1;
    for (int y = 0; y < a->h; y++) {
        for (int x = 0; x < a->w; x++) {
            size_t i = ((size_t)y * (size_t)a->w + (size_t)x) * 4;
            int delta = 0;
            for (int c = 0; c < 4; c++) {
                int v = abs(a->rgba[i + (size_t)c] - b->rgba[i + (size_t)c]);
                delta = v > delta ? v : delta;
            }
            bool off = delta > tol;
            if (off) {
                d->differ++;
                d->x0 = x < d->x0 ? x : d->x0;
                d->y0 = y < d->y0 ? y : d->y0;
                d->x1 = x > d->x1 ? x : d->x1;
                d->y1 = y > d->y1 ? y : d->y1;
            }
            d->max_delta = delta > d->max_delta ? delta : d->max_delta;
            if (!marks)
                continue;
            int grey = (a->rgba[i] * 30 + a->rgba[i + 1] * 59 + a->rgba[i + 2] * 11) / 100;
            uint8_t faint = (uint8_t)(DIFF_FAINT_FLOOR + grey * (255 - DIFF_FAINT_FLOOR) / 255);
            marks[i] = off ? DIFF_MARK_R : faint;
            marks[i + 1] = off ? DIFF_MARK_G : faint;
            marks[i + 2] = off ? DIFF_MARK_B : faint;
            marks[i + 3] = 255;
        }
    }
    if (!marks || d->differ == 0)
        return;
    /* a red box two pixels outside the differing pixels, so a small change is easy to find */
    int bx0 = d->x0 - 2 < 0 ? 0 : d->x0 - 2, by0 = d->y0 - 2 < 0 ? 0 : d->y0 - 2;
    int bx1 = d->x1 + 2 >= a->w ? a->w - 1 : d->x1 + 2;
    int by1 = d->y1 + 2 >= a->h ? a->h - 1 : d->y1 + 2;
    for (int y = by0; y <= by1; y++) {
        for (int x = bx0; x <= bx1; x++) {
            if (y != by0 && y != by1 && x != bx0 && x != bx1)
                continue;
            size_t i = ((size_t)y * (size_t)a->w + (size_t)x) * 4;
            marks[i] = DIFF_BOX_R;
            marks[i + 1] = marks[i + 2] = 0;
        }
    }
}

/* Shrinks img n times in each direction in place, each pixel the rounded mean of an n x n
 * block (a right or bottom edge short of a whole block is dropped). Returns 0, or -1. */
static int shrink(struct image *img, int n)
{
    if (n == 1)
        return 0;
    int w = img->w / n, h = img->h / n;
    if (w == 0 || h == 0)
        return -1;
    uint8_t *out = malloc((size_t)w * (size_t)h * 4);
    if (!out)
        return -1;
    unsigned area = (unsigned)(n * n);
    for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
            for (int c = 0; c < 4; c++) {
                unsigned sum = 0;
                for (int dy = 0; dy < n; dy++) {
                    const uint8_t *row = img->rgba + ((size_t)(y * n + dy) * (size_t)img->w) * 4;
                    for (int dx = 0; dx < n; dx++)
                        sum += row[(size_t)(x * n + dx) * 4 + (size_t)c];
                }
                out[((size_t)y * (size_t)w + (size_t)x) * 4 + (size_t)c] =
                    (uint8_t)((sum + area / 2) / area);
            }
        }
    }
    free(img->rgba);
    img->rgba = out;
    img->w = w;
    img->h = h;
    return 0;
}

static int usage(FILE *to)
{
    fprintf(to,
            "usage: pngdiff [--tolerance N] [--max-share PERCENT] [--shrink N] [--diff OUT.png] "
            "GOLDEN.png NEW.png\n"
            "       pngdiff --pack [--shrink N] IN.png OUT.png\n"
            "Compares NEW (first shrunk N times, each pixel the mean of an N x N block, when "
            "--shrink is given) with GOLDEN: exit 0 when at most PERCENT (default %.3f) of the "
            "pixels differ by more than N (0-255, default %d) in a channel, 1 when more do or "
            "the sizes differ (the diff image shows them magenta on a faded GOLDEN, in a red "
            "box), 2 on bad arguments or an unreadable PNG.\n"
            "--pack writes IN (shrunk N times) as a small PNG: RGB when opaque, the best row "
            "filters, zlib level 9.\n",
            DEFAULT_SHARE, DEFAULT_TOL);
    return to == stderr ? 2 : 0;
}

static int bad(const char *what)
{
    fprintf(stderr, "pngdiff: %s\n", what);
    return 2;
}

static int pack(const char *in, const char *out, int n)
{
    char err[512];
    struct image img;
    if (png_load(in, &img, err, sizeof(err)) < 0)
        return bad(err);
    int rc = 0;
    if (shrink(&img, n) < 0)
        rc = bad("cannot shrink the image that far");
    else if (png_save(out, &img) < 0)
        rc = bad("cannot write the packed PNG");
    free(img.rgba);
    return rc;
}

/* Compares new_path with golden_path; see usage(). */
static int diff(const char *golden_path, const char *new_path, long tol, double share, int n,
                const char *diff_path)
{
    char err[512];
    struct image a, b;
    if (png_load(golden_path, &a, err, sizeof(err)) < 0)
        return bad(err);
    if (png_load(new_path, &b, err, sizeof(err)) < 0) {
        free(a.rgba);
        return bad(err);
    }
    int rc = 1;
    uint8_t *marks = NULL;
    if (shrink(&b, n) < 0) {
        rc = bad("cannot shrink the new image that far");
        goto out_free;
    }
    if (a.w != b.w || a.h != b.h) {
        printf("sizes differ: golden %dx%d, new %dx%d%s\n", a.w, a.h, b.w, b.h,
               n > 1 ? " after shrinking" : "");
        goto out_free;
    }
    marks = diff_path ? malloc((size_t)a.w * (size_t)a.h * 4) : NULL;
    if (diff_path && !marks) {
        rc = bad("out of memory");
        goto out_free;
    }
    struct diff d;
    compare(&a, &b, (int)tol, &d, marks);
    double pct = 100.0 * (double)d.differ / (double)d.total;
    rc = pct > share ? 1 : 0;
    if (d.differ == 0)
        printf("same (largest channel difference %d)\n", d.max_delta);
    else
        printf("%ld of %ld pixels (%.3f%%, %s %.3f%%) differ by more than %ld, in x %d-%d, "
               "y %d-%d%s\n",
               d.differ, d.total, pct, rc ? "over" : "within", share, tol, d.x0, d.x1, d.y0, d.y1,
               n > 1 ? " of the golden image" : "");
    if (marks && d.differ > 0 && png_save(diff_path, &(struct image){a.w, a.h, marks}) < 0)
        rc = bad("cannot write the diff image");
out_free:
    free(marks);
    free(a.rgba);
    free(b.rgba);
    return rc;
}

int main(int argc, char **argv)
{
    long tol = DEFAULT_TOL, n = 1;
    double share = DEFAULT_SHARE;
    const char *diff_path = NULL, *files[2];
    int n_files = 0;
    bool packing = false;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        char *end;
        if (strcmp(arg, "--help") == 0)
            return usage(stdout);
        if (strcmp(arg, "--pack") == 0) {
            packing = true;
        } else if (strcmp(arg, "--tolerance") == 0 && i + 1 < argc) {
            errno = 0;
            tol = strtol(argv[++i], &end, 10);
            if (errno || *end || end == argv[i] || tol < 0 || tol > 255)
                return bad("--tolerance wants a whole number from 0 to 255");
        } else if (strcmp(arg, "--shrink") == 0 && i + 1 < argc) {
            errno = 0;
            n = strtol(argv[++i], &end, 10);
            if (errno || *end || end == argv[i] || n < 1 || n > 16)
                return bad("--shrink wants a whole number from 1 to 16");
        } else if (strcmp(arg, "--max-share") == 0 && i + 1 < argc) {
            errno = 0;
            share = strtod(argv[++i], &end);
            if (errno || *end || end == argv[i] || !(share >= 0 && share <= 100))
                return bad("--max-share wants a percentage from 0 to 100");
        } else if (strcmp(arg, "--diff") == 0 && i + 1 < argc) {
            diff_path = argv[++i];
        } else if (arg[0] == '-' && arg[1] != '\0') {
            return usage(stderr);
        } else if (n_files < 2) {
            files[n_files++] = arg;
        } else {
            return usage(stderr);
        }
    }
    if (n_files != 2)
        return usage(stderr);
    return packing ? pack(files[0], files[1], (int)n)
                   : diff(files[0], files[1], tol, share, (int)n, diff_path);
}
