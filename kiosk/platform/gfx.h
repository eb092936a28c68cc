/* gfx.h — the kiosk's SDL drawing: fonts, text measurement for layout, one cached texture per
 * rendered string, and painting a widget tree. The only place text meets SDL_ttf. */
#ifndef KIOSK_GFX_H
#define KIOSK_GFX_H

#include <SDL.h>
#include <stdbool.h>

#include "layout.h"

struct gfx;

/* Opens the fonts: regular/bold paths when given, else Noto Sans from fonts-noto-core, else
 * fontconfig's match for "Noto Sans" then "DejaVu Sans". NULL with a reason in err. */
struct gfx *gfx_new(SDL_Renderer *ren, const char *font_regular, const char *font_bold, char *err,
                    size_t errcap);
void gfx_free(struct gfx *g);

/* The measurer layout_build uses; valid while g lives. */
const struct measurer *gfx_measurer(struct gfx *g);

/* Paints l (pressed: index of the widget under a finger, or -1) with theme t. Does not
 * present. Where the target keeps its pixels (SDL's software renderer), only what changed since
 * the last gfx_draw is painted again; elsewhere everything is. */
void gfx_draw(struct gfx *g, const struct layout *l, const struct theme *t, int pressed);

/* Shows what the last gfx_draw painted: on SDL's software renderer only the rectangles that
 * changed are sent to the display; elsewhere SDL_RenderPresent. */
void gfx_present(struct gfx *g);

/* The target no longer shows the last gfx_draw (a new or exposed window surface, or every
 * pixel is wanted, as for a screenshot): the next gfx_draw paints everything. */
void gfx_invalidate(struct gfx *g);

/* Pixels the last gfx_draw painted (for --trace). */
long gfx_painted(const struct gfx *g);

/* Renders the text of l (in t's colours) into the texture cache without drawing it, so that
 * the first frame that shows it does not wait for SDL_ttf. */
void gfx_warm(struct gfx *g, const struct layout *l, const struct theme *t);

/* Number of cached textures and measurements (for --trace). */
void gfx_stats(const struct gfx *g, int *textures, int *measures);

#endif
