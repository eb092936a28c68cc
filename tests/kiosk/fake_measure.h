/* fake_measure.h — the kiosk tests' stand-in text measurer: no fonts, a fixed width per
 * character (Noto Sans is about 0.55 em wide per character on average; a little generous) and a
 * fixed line height, so layouts are the same on every machine. Included by one test file each. */
#ifndef TESTS_KIOSK_FAKE_MEASURE_H
#define TESTS_KIOSK_FAKE_MEASURE_H

#include <stdbool.h>
#include <stddef.h>

#include "layout.h"

static int fake_width(void *ctx, const char *s, size_t len, int px, bool bold)
{
    (void)ctx;
    int chars = 0;
    for (size_t i = 0; i < len; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            chars++;
    return chars * px * (bold ? 60 : 56) / 100;
}

static int fake_line_h(void *ctx, int px, bool bold)
{
    (void)ctx;
    (void)bold;
    return px * 136 / 100;
}

static const struct measurer meas = {NULL, fake_width, fake_line_h};

#endif
