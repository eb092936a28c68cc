/* pngdiff.c — compares a screenshot with its golden image within a small tolerance, draws where
 * they differ for a person to look at, and repacks a screenshot small enough to keep as a golden.
 * Reads and writes PNGs through libpng: any PNG is read as 8-bit RGBA. */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <png.h>
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

/* What libpng's callbacks work on: the file read or written, and where an error's message goes
 * (libpng then longjmps back to the caller's setjmp) */
struct png_io {
    char *err;
    size_t cap;
    const char *path;
    const uint8_t *buf; /* reading: the whole file */
    size_t len, pos;
    uint8_t *out; /* writing: the PNG so far (malloc'd) */
    size_t out_len, out_size;
    char warning[128]; /* libpng's last warning */
};

static void on_error(png_structp png, png_const_charp msg)
{
    struct png_io *io = png_get_error_ptr(png);
    if (io->err && io->warning[0])
        snprintf(io->err, io->cap, "%s: %s (%s)", io->path, msg, io->warning);
    else if (io->err)
        snprintf(io->err, io->cap, "%s: %s", io->path, msg);
    png_longjmp(png, 1);
}

/* A warning alone stops nothing (a damaged ancillary chunk is skipped, as any other ancillary
 * chunk), but the last one often says why an error follows ("Image width exceeds user limit
 * in IHDR" before "Invalid IHDR data"), so it is kept for the error's message. */
static void on_warning(png_structp png, png_const_charp msg)
{
    struct png_io *io = png_get_error_ptr(png);
    snprintf(io->warning, sizeof(io->warning), "%s", msg);
}

static void read_mem(png_structp png, png_bytep data, size_t n)
{
    struct png_io *io = png_get_io_ptr(png);
    if (n > io->len - io->pos)
        png_error(png, "cut short");
    memcpy(data, io->buf + io->pos, n);
    io->pos += n;
}

/* Parses the PNG in buf into img (RGBA, 8 bits a channel, whatever the file's colour type,
 * depth or interlace). Returns 0, or -1 with err set. */
static int png_parse(const char *path, const uint8_t *buf, size_t len, struct image *img, char *err,
                     size_t cap)
{
    struct png_io io = {.err = err, .cap = cap, .path = path, .buf = buf, .len = len};
    png_bytep *volatile rows = NULL;
    volatile int rc = -1;
    memset(img, 0, sizeof(*img));
    if (len < 8 || png_sig_cmp(buf, 0, 8) != 0) {
        snprintf(err, cap, "%s: not a PNG", path);
        return -1;
    }
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &io, on_error, on_warning);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    if (!info) {
        snprintf(err, cap, "%s: out of memory", path);
        goto out_destroy;
    }
    if (setjmp(png_jmpbuf(png)))
        goto out_destroy;
    png_set_read_fn(png, &io, read_mem);
    png_set_user_limits(png, MAX_SIDE, MAX_SIDE); /* a larger IHDR is refused by libpng */
    png_read_info(png, info);
    png_uint_32 w = png_get_image_width(png, info), h = png_get_image_height(png, info);
    if ((uint64_t)w * h > MAX_PIXELS) {
        snprintf(err, cap, "%s: %ux%u is out of range", path, (unsigned)w, (unsigned)h);
        goto out_destroy;
    }
    png_set_expand(png); /* palette and low-bit grey to 8 bits, tRNS to alpha */
    png_set_strip_16(png);
    png_set_gray_to_rgb(png);
    png_set_add_alpha(png, 0xff, PNG_FILLER_AFTER);
    png_set_interlace_handling(png);
    png_read_update_info(png, info);
    if (png_get_rowbytes(png, info) != (size_t)w * 4) {
        snprintf(err, cap, "%s: cannot be read as RGBA", path);
        goto out_destroy;
    }
    img->w = (int)w;
    img->h = (int)h;
    img->rgba = malloc((size_t)w * h * 4);
    rows = malloc(sizeof(*rows) * h);
    if (!img->rgba || !rows) {
        snprintf(err, cap, "%s: out of memory", path);
        goto out_destroy;
    }
    for (png_uint_32 y = 0; y < h; y++)
        rows[y] = img->rgba + (size_t)y * w * 4;
    png_read_image(png, rows);
    png_read_end(png, NULL); /* through IEND: a file cut after its pixels is still an error */
    rc = 0;
out_destroy:
    png_destroy_read_struct(&png, &info, NULL);
    free(rows);
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

static void write_mem(png_structp png, png_bytep data, size_t n)
{
    struct png_io *io = png_get_io_ptr(png);
    if (n > io->out_size - io->out_len) {
        size_t size = io->out_size ? io->out_size : 1u << 16;
        while (n > size - io->out_len && size < MAX_FILE_BYTES)
            size *= 2;
        uint8_t *nb = n <= size - io->out_len ? realloc(io->out, size) : NULL;
        if (!nb)
            png_error(png, "out of memory");
        io->out = nb;
        io->out_size = size;
    }
    memcpy(io->out + io->out_len, data, n);
    io->out_len += n;
}

static void flush_mem(png_structp png)
{
    (void)png;
}

static const int filters[] = {PNG_FILTER_NONE, PNG_FILTER_SUB,   PNG_FILTER_UP,
                              PNG_FILTER_AVG,  PNG_FILTER_PAETH, PNG_ALL_FILTERS};

/* Encodes img (rows of bpp-byte pixels in px) into io->out with one row filter for every row,
 * or PNG_ALL_FILTERS for libpng's choice per row (the least sum of |signed byte|), zlib's
 * best compression and its default strategy, all the image data in one IDAT. Returns 0, or -1
 * with io->out freed. */
static int encode(struct png_io *io, const struct image *img, const uint8_t *px, int bpp,
                  int filter)
{
    volatile int rc = -1;
    size_t stride = (size_t)img->w * (size_t)bpp;
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, io, on_error, on_warning);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    if (!info)
        goto out_destroy;
    if (setjmp(png_jmpbuf(png)))
        goto out_destroy;
    png_set_write_fn(png, io, write_mem, flush_mem);
    png_set_IHDR(png, info, (png_uint_32)img->w, (png_uint_32)img->h, 8,
                 bpp == 3 ? PNG_COLOR_TYPE_RGB : PNG_COLOR_TYPE_RGBA, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_set_filter(png, PNG_FILTER_TYPE_BASE, filter);
    png_set_compression_level(png, 9);
    png_set_compression_strategy(png, Z_DEFAULT_STRATEGY);
    png_set_compression_buffer_size(png, compressBound((uLong)((stride + 1) * (size_t)img->h)));
    png_write_info(png, info);
    for (int y = 0; y < img->h; y++)
        png_write_row(png, px + (size_t)y * stride);
    png_write_end(png, info);
    rc = 0;
out_destroy:
    png_destroy_write_struct(&png, &info);
    if (rc < 0) {
        free(io->out);
        io->out = NULL;
        io->out_len = io->out_size = 0;
    }
    return rc;
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
    uint8_t *px = malloc(n * (size_t)bpp);
    struct png_io best = {0};
    FILE *f = NULL;
    if (!px)
        goto out_free;
    for (size_t i = 0; i < n; i++)
        memcpy(px + i * (size_t)bpp, img->rgba + i * 4, (size_t)bpp);
    for (size_t i = 0; i < sizeof(filters) / sizeof(filters[0]); i++) {
        struct png_io io = {0};
        if (encode(&io, img, px, bpp, filters[i]) < 0)
            goto out_free;
        if (best.out == NULL || io.out_len < best.out_len) {
            free(best.out);
            best = io;
        } else {
            free(io.out);
        }
    }
    f = fopen(path, "wb");
    if (!f)
        goto out_free;
    rc = fwrite(best.out, 1, best.out_len, f) == best.out_len ? 0 : -1;
    if (fclose(f) != 0)
        rc = -1;
out_free:
    free(px);
    free(best.out);
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
