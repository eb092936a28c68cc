/* test_pngdiff.c — pngdiff (tests/kiosk/pngdiff.c) on damaged and odd PNGs: each bad file is
 * one line on stderr and exit 2, never a crash (ASan stops it on any overflow); other colour
 * types and depths are read; --pack of a golden gives back its bytes. PNGDIFF names the binary,
 * GOLDEN a golden image (made by --pack). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include <cmocka.h>

static char dir[] = "/tmp/pngdiff-XXXXXX";
static char path_buf[512];

static const char *in_dir(const char *name)
{
    snprintf(path_buf, sizeof(path_buf), "%s/%s", dir, name);
    return path_buf;
}

static const char *env_or(const char *name, const char *fallback)
{
    const char *v = getenv(name);
    return v && *v ? v : fallback;
}

struct buf {
    uint8_t data[1 << 16];
    size_t len;
};

static void put(struct buf *b, const void *p, size_t n)
{
    assert_true(b->len + n <= sizeof(b->data));
    memcpy(b->data + b->len, p, n);
    b->len += n;
}

static void put32(struct buf *b, uint32_t v)
{
    uint8_t p[4] = {(uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};
    put(b, p, 4);
}

static void chunk(struct buf *b, const char *type, const void *data, uint32_t n)
{
    put32(b, n);
    size_t at = b->len;
    put(b, type, 4);
    if (n)
        put(b, data, n);
    put32(b, (uint32_t)crc32(0L, b->data + at, 4 + n));
}

/* A PNG of w x h with the given depth and colour type, whose IDAT holds raw (compressed here)
 * unless idat is given as it is; palette: 3-entry PLTE first. */
static void make_png(const char *name, uint32_t w, uint32_t h, uint8_t depth, uint8_t type,
                     const uint8_t *raw, size_t raw_len, const uint8_t *idat, size_t idat_len,
                     int palette)
{
    static const uint8_t sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    static struct buf b;
    uint8_t ihdr[13] = {0}, z[1 << 15];
    b.len = 0;
    put(&b, sig, 8);
    for (int i = 0; i < 4; i++) {
        ihdr[i] = (uint8_t)(w >> (24 - 8 * i));
        ihdr[4 + i] = (uint8_t)(h >> (24 - 8 * i));
    }
    ihdr[8] = depth;
    ihdr[9] = type;
    chunk(&b, "IHDR", ihdr, 13);
    if (palette) {
        static const uint8_t plte[9] = {255, 0, 0, 0, 255, 0, 0, 0, 255};
        chunk(&b, "PLTE", plte, 9);
    }
    if (raw) {
        uLongf zl = sizeof(z);
        assert_int_equal(compress(z, &zl, raw, (uLong)raw_len), Z_OK);
        idat = z;
        idat_len = zl;
    }
    if (idat)
        chunk(&b, "IDAT", idat, (uint32_t)idat_len);
    chunk(&b, "IEND", NULL, 0);
    FILE *f = fopen(in_dir(name), "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(b.data, 1, b.len, f), b.len);
    assert_int_equal(fclose(f), 0);
}

static void write_text(const char *name, const char *text, size_t n)
{
    FILE *f = fopen(in_dir(name), "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
}

/* Runs pngdiff with args (already quoted), stdout and stderr to files in dir; its exit
 * status, -1 when it did not exit (a signal: a crash). */
static int run(const char *args, char *err, size_t cap)
{
    char cmd[2048], ep[600];
    snprintf(ep, sizeof(ep), "%s/stderr", dir);
    snprintf(cmd, sizeof(cmd), "'%s' %s >'%s/stdout' 2>'%s'", env_or("PNGDIFF", "pngdiff"), args,
             dir, ep);
    int st = system(cmd);
    FILE *f = fopen(ep, "r");
    size_t n = f ? fread(err, 1, cap - 1, f) : 0;
    err[n] = '\0';
    if (f)
        fclose(f);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* pngdiff on name (against a good golden) exits 2 with one line naming the file and why. */
static void assert_refused(const char *name, const char *why)
{
    char args[1200], err[4096], want[600];
    snprintf(args, sizeof(args), "'%s' '%s'", in_dir(name), env_or("GOLDEN", "golden.png"));
    snprintf(want, sizeof(want), "pngdiff: %s: ", in_dir(name));
    int rc = run(args, err, sizeof(err));
    if (rc != 2 || strncmp(err, want, strlen(want)) != 0 || !strstr(err, why) ||
        strchr(err, '\n') != err + strlen(err) - 1)
        fail_msg("%s: exit %d, stderr: %s (wanted exit 2 and one line with \"%s\")", name, rc, err,
                 why);
}

static void test_bad_files(void **state)
{
    uint8_t raw[10 * (1 + 40)] = {0}, junk[64];
    for (size_t i = 0; i < sizeof(junk); i++)
        junk[i] = (uint8_t)(i * 37 + 11);
    write_text("text.png", "this is not a picture at all\n", 29);
    write_text("empty.png", "", 0);
    assert_refused("text.png", "not a PNG");
    assert_refused("empty.png", "not a PNG");
    make_png("huge.png", 100000, 100000, 8, 6, raw, sizeof(raw), NULL, 0, 0);
    assert_refused("huge.png", "exceeds user limit");
    make_png("many.png", 16000, 16000, 8, 6, raw, sizeof(raw), NULL, 0, 0);
    assert_refused("many.png", "16000x16000 is out of range");
    make_png("zero.png", 0, 10, 8, 6, raw, sizeof(raw), NULL, 0, 0);
    assert_refused("zero.png", "zero");
    make_png("depth.png", 10, 10, 7, 6, raw, sizeof(raw), NULL, 0, 0);
    assert_refused("depth.png", "IHDR");
    make_png("noidat.png", 10, 10, 8, 6, NULL, 0, NULL, 0, 0);
    assert_refused("noidat.png", "");
    make_png("junk.png", 10, 10, 8, 6, NULL, 0, junk, sizeof(junk), 0);
    assert_refused("junk.png", "");
    make_png("short.png", 10, 10, 8, 6, raw, sizeof(raw) / 2, NULL, 0, 0);
    assert_refused("short.png", "Not enough image data");
    raw[41] = 9; /* row 1's filter byte: there are five filters, 0 to 4 */
    make_png("filter.png", 10, 10, 8, 6, raw, sizeof(raw), NULL, 0, 0);
    assert_refused("filter.png", "filter");

    /* a golden cut short, and one with a flipped byte in its image data */
    FILE *g = fopen(env_or("GOLDEN", "golden.png"), "rb");
    assert_non_null(g);
    static char whole[1 << 20];
    size_t n = fread(whole, 1, sizeof(whole), g);
    fclose(g);
    assert_true(n > 2000 && n < sizeof(whole));
    write_text("cut.png", whole, n / 2);
    assert_refused("cut.png", "cut short");
    write_text("cut-header.png", whole, 20);
    assert_refused("cut-header.png", "cut short");
    whole[n / 2] ^= 0x5a;
    write_text("flipped.png", whole, n);
    assert_refused("flipped.png", "");
}

static void test_other_formats_read(void **state)
{
    char args[1200], err[4096];
    /* 10 x 10 of 2-bit palette indexes (3 bytes a row), and of 16-bit grey (20 bytes a row) */
    uint8_t pal[10 * 4], grey16[10 * 21];
    for (int y = 0; y < 10; y++) {
        pal[y * 4] = 0;
        for (int x = 0; x < 3; x++)
            pal[y * 4 + 1 + x] = (uint8_t)(0x24 * (y % 3));
        grey16[y * 21] = 0;
        for (int x = 0; x < 20; x++)
            grey16[y * 21 + 1 + x] = (uint8_t)(y * 25);
    }
    make_png("pal.png", 10, 10, 2, 3, pal, sizeof(pal), NULL, 0, 1);
    make_png("grey16.png", 10, 10, 16, 0, grey16, sizeof(grey16), NULL, 0, 0);
    const char *names[] = {"pal.png", "grey16.png"};
    for (size_t i = 0; i < 2; i++) {
        char a[520];
        snprintf(a, sizeof(a), "%s", in_dir(names[i]));
        snprintf(args, sizeof(args), "--tolerance 0 '%s' '%s'", a, a);
        int rc = run(args, err, sizeof(err));
        if (rc != 0)
            fail_msg("%s: exit %d, %s", names[i], rc, err);
    }
    /* both read as RGBA, so they compare (and differ: red, green, blue against greys) */
    char a[520];
    snprintf(a, sizeof(a), "%s", in_dir("pal.png"));
    snprintf(args, sizeof(args), "'%s' '%s'", a, in_dir("grey16.png"));
    assert_int_equal(run(args, err, sizeof(err)), 1);
}

static void test_pack_gives_golden_bytes(void **state)
{
    char args[1200], err[4096], cmd[1400];
    snprintf(args, sizeof(args), "--pack '%s' '%s'", env_or("GOLDEN", "golden.png"),
             in_dir("packed.png"));
    assert_int_equal(run(args, err, sizeof(err)), 0);
    snprintf(cmd, sizeof(cmd), "cmp -s '%s' '%s'", env_or("GOLDEN", "golden.png"),
             in_dir("packed.png"));
    if (system(cmd) != 0)
        fail_msg("--pack of %s did not give its own bytes back", env_or("GOLDEN", "golden.png"));
}

static int setup(void **state)
{
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    char cmd[600];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bad_files),
        cmocka_unit_test(test_other_formats_read),
        cmocka_unit_test(test_pack_gives_golden_bytes),
    };
    return cmocka_run_group_tests_name("pngdiff", tests, setup, teardown);
}
