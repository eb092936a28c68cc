/* app_script.c — script mode: injected taps, holds, typing and keys, the injected clock,
 * screenshots and dumps. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "layout.h"
#include "png.h"

static void push_mouse(struct app *a, Uint32 type, int x, int y)
{
    SDL_Event ev;
    memset(&ev, 0, sizeof(ev));
    ev.type = type;
    ev.button.windowID = SDL_GetWindowID(a->win);
    ev.button.button = SDL_BUTTON_LEFT;
    ev.button.state = type == SDL_MOUSEBUTTONDOWN ? SDL_PRESSED : SDL_RELEASED;
    ev.button.clicks = 1;
    ev.button.x = x;
    ev.button.y = y;
    SDL_PushEvent(&ev);
}

static void push_text(struct app *a, const char *s)
{
    size_t n = strlen(s), i = 0;
    while (i < n) {
        SDL_Event ev;
        memset(&ev, 0, sizeof(ev));
        ev.type = SDL_TEXTINPUT;
        ev.text.windowID = SDL_GetWindowID(a->win);
        size_t take = n - i < sizeof(ev.text.text) - 1 ? n - i : sizeof(ev.text.text) - 1;
        while (take > 0 && i + take < n && ((unsigned char)s[i + take] & 0xC0) == 0x80)
            take--;
        memcpy(ev.text.text, s + i, take);
        SDL_PushEvent(&ev);
        i += take;
    }
}

static int shot(struct app *a, const char *path)
{
    int w = 0, h = 0;
    SDL_GetRendererOutputSize(a->ren, &w, &h);
    uint8_t *px = malloc((size_t)w * (size_t)h * 4);
    int rc = -1;
    if (px) {
        gfx_invalidate(a->g); /* every pixel painted afresh, not only what changed */
        app_draw(a, false);
        if (SDL_RenderReadPixels(a->ren, NULL, SDL_PIXELFORMAT_RGBA32, px, w * 4) == 0)
            rc = png_write_rgba(path, px, w, h, w * 4);
        SDL_RenderPresent(a->ren);
    }
    free(px);
    return rc;
}

static int dump(struct app *a, const char *path)
{
    char *json = layout_dump_json(a->lay);
    FILE *f = json ? fopen(path, "w") : NULL;
    int rc = -1;
    if (f) {
        rc = fputs(json, f) < 0 ? -1 : 0;
        if (fclose(f) != 0)
            rc = -1;
    }
    free(json);
    return rc;
}

/* Advances the injected clock, stopping at every deadline the flow has. */
static void app_script_wait(struct app *a, long ms)
{
    int64_t left = ms;
    while (left > 0) {
        int64_t d = flow_next_deadline(&a->flow, a->clock_ms);
        int64_t step = d >= 0 && d < left ? d : left;
        if (step <= 0)
            step = 1;
        a->clock_ms += step;
        left -= step;
        app_mark(a, flow_tick(&a->flow, a->clock_ms));
    }
}

/* Runs one script step; false at the end. */
bool app_script_step(struct app *a)
{
    if (a->pending_up && a->hold_ms > 0) {
        a->clock_ms += a->hold_ms; /* the idle timer does not run out under a held finger */
        a->hold_ms = 0;
        a->flow.last_input_ms = a->clock_ms;
        return true; /* the loop sees the long press before the release */
    }
    if (a->pending_up) {
        a->pending_up = false;
        push_mouse(a, SDL_MOUSEBUTTONUP, a->up_x, a->up_y);
        return true;
    }
    const struct step *st = script_next(&a->script);
    if (!st)
        return false;
    switch (st->kind) {
    case STEP_TAP:
    case STEP_TAP_ID:
    case STEP_HOLD:
    case STEP_HOLD_ID:
        a->up_x = st->x;
        a->up_y = st->y;
        if (st->kind == STEP_TAP_ID || st->kind == STEP_HOLD_ID) {
            const struct widget *w = layout_find(a->lay, st->arg);
            if (!w) {
                fprintf(stderr, "kiosk: script line %d: no widget \"%s\" on screen %s\n", st->line,
                        st->arg, screen_name(a->flow.screen));
                a->rc = 1;
                return false;
            }
            a->up_x = w->r.x + w->r.w / 2;
            a->up_y = w->r.y + w->r.h / 2;
        }
        push_mouse(a, SDL_MOUSEBUTTONDOWN, a->up_x, a->up_y);
        /* a hold: the clock moves on while the finger stays down */
        a->hold_ms = st->kind == STEP_HOLD || st->kind == STEP_HOLD_ID ? st->ms : 0;
        a->pending_up = true;
        break;
    case STEP_TYPE:
        push_text(a, st->arg);
        break;
    case STEP_KEY: {
        SDL_Event ev;
        memset(&ev, 0, sizeof(ev));
        ev.type = SDL_KEYDOWN;
        ev.key.windowID = SDL_GetWindowID(a->win);
        ev.key.state = SDL_PRESSED;
        ev.key.keysym.sym = SDL_GetKeyFromName(st->arg);
        if (ev.key.keysym.sym == SDLK_UNKNOWN) {
            fprintf(stderr, "kiosk: script line %d: unknown key \"%s\"\n", st->line, st->arg);
            a->rc = 1;
            return false;
        }
        SDL_PushEvent(&ev);
        break;
    }
    case STEP_WAIT:
        app_script_wait(a, st->ms);
        break;
    case STEP_SLEEP:
        SDL_Delay((Uint32)st->ms);
        break;
    case STEP_SHOT:
        if (shot(a, st->arg) < 0) {
            fprintf(stderr, "kiosk: cannot write screenshot %s\n", st->arg);
            a->rc = 1;
            return false;
        }
        break;
    case STEP_DUMP:
        if (dump(a, st->arg) < 0) {
            fprintf(stderr, "kiosk: cannot write dump %s\n", st->arg);
            a->rc = 1;
            return false;
        }
        break;
    case STEP_QUIT:
        return false;
    }
    return true;
}
