/* png.h — writes RGBA pixels as a PNG file (libpng), for script-mode screenshots. */
#ifndef KIOSK_PNG_H
#define KIOSK_PNG_H

#include <stdint.h>

/* rgba: h rows of w pixels, 4 bytes each (R, G, B, A), pitch bytes apart. Returns 0 or -1. */
int png_write_rgba(const char *path, const uint8_t *rgba, int w, int h, int pitch);

#endif
