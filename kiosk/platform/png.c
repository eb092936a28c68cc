/* png.c — a minimal PNG encoder: IHDR, one zlib IDAT, IEND. */
#include "png.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

static void be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static int chunk(FILE *f, const char *type, const uint8_t *data, uint32_t len)
{
    uint8_t hdr[8];
    be32(hdr, len);
    memcpy(hdr + 4, type, 4);
    uLong crc = crc32(0L, hdr + 4, 4);
    if (len)
        crc = crc32(crc, data, len);
    uint8_t tail[4];
    be32(tail, (uint32_t)crc);
    if (fwrite(hdr, 1, 8, f) != 8 || (len && fwrite(data, 1, len, f) != len) ||
        fwrite(tail, 1, 4, f) != 4)
        return -1;
    return 0;
}

int png_write_rgba(const char *path, const uint8_t *rgba, int w, int h, int pitch)
{
    int rc = -1;
    if (w <= 0 || h <= 0 || w > 16384 || h > 16384)
        return -1;
    size_t row = (size_t)w * 4 + 1, raw_len = row * (size_t)h;
    uint8_t *raw = malloc(raw_len);
    uLongf z_len = compressBound((uLong)raw_len);
    uint8_t *z = malloc(z_len);
    FILE *f = NULL;
    if (!raw || !z)
        goto out_free;
    for (int y = 0; y < h; y++) {
        raw[row * (size_t)y] = 0; /* filter: none */
        memcpy(raw + row * (size_t)y + 1, rgba + (size_t)pitch * (size_t)y, (size_t)w * 4);
    }
    if (compress2(z, &z_len, raw, (uLong)raw_len, 6) != Z_OK)
        goto out_free;
    f = fopen(path, "wb");
    if (!f)
        goto out_free;
    static const uint8_t sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    uint8_t ihdr[13];
    be32(ihdr, (uint32_t)w);
    be32(ihdr + 4, (uint32_t)h);
    ihdr[8] = 8; /* bit depth */
    ihdr[9] = 6; /* RGBA */
    ihdr[10] = ihdr[11] = ihdr[12] = 0;
    if (fwrite(sig, 1, 8, f) != 8 || chunk(f, "IHDR", ihdr, 13) < 0 ||
        chunk(f, "IDAT", z, (uint32_t)z_len) < 0 || chunk(f, "IEND", NULL, 0) < 0)
        goto out_close;
    rc = 0;
out_close:
    if (fclose(f) != 0)
        rc = -1;
out_free:
    free(raw);
    free(z);
    return rc;
}
