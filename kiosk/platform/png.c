/* png.c — script-mode screenshots written as PNG files through libpng (8-bit RGBA, no row
 * filter, zlib level 6: quick to write, and a screenshot is read once). */
#include "png.h"

/* libpng's own png.h: pkg-config's -I/usr/include/libpng16 comes before -Ikiosk/platform */
#include <png.h>
#include <stdio.h>

#define PNG_MAX_SIDE 16384

/* libpng stops on an error by longjmp back into png_write_rgba; the message is not printed
 * (the script step that asked for the shot reports the failure) */
static void on_error(png_structp png, png_const_charp msg)
{
    (void)msg;
    png_longjmp(png, 1);
}

static void on_warning(png_structp png, png_const_charp msg)
{
    (void)png;
    (void)msg;
}

int png_write_rgba(const char *path, const uint8_t *rgba, int w, int h, int pitch)
{
    if (w <= 0 || h <= 0 || w > PNG_MAX_SIDE || h > PNG_MAX_SIDE || pitch < w * 4)
        return -1;
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    volatile int rc = -1;
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, on_error, on_warning);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    if (!info)
        goto out_destroy;
    if (setjmp(png_jmpbuf(png)))
        goto out_destroy;
    png_init_io(png, f);
    png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, 8, PNG_COLOR_TYPE_RGBA,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_NONE);
    png_set_compression_level(png, 6);
    png_write_info(png, info);
    for (int y = 0; y < h; y++)
        png_write_row(png, rgba + (size_t)pitch * (size_t)y);
    png_write_end(png, info);
    rc = 0;
out_destroy:
    png_destroy_write_struct(&png, &info);
    if (fclose(f) != 0)
        rc = -1;
    return rc;
}
