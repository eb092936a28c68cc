/* renderer.c — the renderer the machine deserves: SDL's software renderer where the only
 * OpenGL is a software rasteriser (Mesa's llvmpipe or softpipe: a kiosk PC without a GPU, or
 * Xvfb), which starts about twice as fast and uses a quarter of the memory; the accelerated one
 * where there is a GPU. No environment variable is needed; SDL_RENDER_DRIVER still wins. */
#include <SDL.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "renderer.h"

#define GL_RENDERER_ENUM 0x1F01 /* glGetString(GL_RENDERER), without the GL headers */

/* Whether the machine has a GPU Mesa could drive: a DRI render node. Without one every
 * OpenGL is a software one. */
static bool has_dri(void)
{
    return access("/dev/dri/renderD128", F_OK) == 0 || access("/dev/dri/card0", F_OK) == 0;
}

/* Whether the GL behind an accelerated renderer is a software rasteriser. */
static bool gl_is_software(SDL_Renderer *ren)
{
    SDL_RendererInfo info;
    if (SDL_GetRendererInfo(ren, &info) < 0 || strncmp(info.name, "opengl", 6) != 0)
        return false;
    typedef const unsigned char *(*get_string_fn)(unsigned);
    get_string_fn get = (get_string_fn)SDL_GL_GetProcAddress("glGetString");
    const char *name = get ? (const char *)get(GL_RENDERER_ENUM) : NULL;
    return name && (strstr(name, "llvmpipe") || strstr(name, "softpipe") ||
                    strstr(name, "Software Rasterizer") || strstr(name, "swrast"));
}

static SDL_Renderer *software(SDL_Window *win)
{
    SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0"); /* no GL under the window surface */
    return SDL_CreateRenderer(win, -1, SDL_RENDERER_SOFTWARE);
}

SDL_Renderer *renderer_open(SDL_Window *win, const char **why)
{
    const char *forced = getenv("SDL_RENDER_DRIVER");
    const char *video = SDL_GetCurrentVideoDriver();
    bool x11 = video && (strcmp(video, "x11") == 0 || strcmp(video, "wayland") == 0);
    SDL_Renderer *ren = NULL;
    *why = "accelerated";
    if (!(forced && forced[0]) && x11 && !has_dri()) {
        *why = "software: no GPU (no /dev/dri)";
        ren = software(win);
        if (ren)
            return ren;
    }
    ren = SDL_CreateRenderer(win, -1, SDL_RENDERER_ACCELERATED | SDL_RENDERER_PRESENTVSYNC);
    if (ren && !(forced && forced[0]) && gl_is_software(ren)) {
        SDL_DestroyRenderer(ren);
        *why = "software: OpenGL is a software rasteriser";
        ren = software(win);
    }
    if (!ren) {
        *why = "software: no accelerated renderer";
        ren = SDL_CreateRenderer(win, -1, SDL_RENDERER_SOFTWARE);
    }
    return ren;
}
