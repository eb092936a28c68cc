/* renderer.h — choosing the SDL renderer: software where the only OpenGL is a software
 * rasteriser (no GPU), accelerated where there is a GPU. */
#ifndef KIOSK_RENDERER_H
#define KIOSK_RENDERER_H

#include <SDL.h>

/* A renderer for win, or NULL (SDL_GetError says why). *why gets a short phrase for --trace
 * ("software: no GPU (no /dev/dri)", "accelerated", ...). SDL_RENDER_DRIVER, when set, is
 * left to SDL. */
SDL_Renderer *renderer_open(SDL_Window *win, const char **why);

#endif
