/* app.h — the kiosk app's state, shared by main.c (flags, window, event loop),
 * app_sync.c (local store, sync, staff status, hubd's ticket) and app_script.c (script mode).
 * UI thread only. */
#ifndef KIOSK_APP_H
#define KIOSK_APP_H

#include <SDL.h>
#include <stdbool.h>
#include <stdint.h>

#include "backend.h"
#include "directory.h"
#include "flow.h"
#include "gfx.h"
#include "i18n.h"
#include "layout.h"
#include "proto/taxonomy.h"
#include "router.h"
#include "say.h"
#include "script.h"
#include "speech.h"
#include "store.h"
#include "sync.h"

struct opts {
    const char *server, *token, *lang, *data, *directory, *script, *font, *font_bold, *root;
    const char *config;
    const char *audio_out; /* --audio-out FILE.wav: all speech to this file, not the device */
    int w, h;
    bool fullscreen, trace, speech;
    long idle_s;
};

struct app {
    struct opts o;
    char root[1024];
    SDL_Window *win;
    SDL_Renderer *ren;
    struct gfx *g;
    struct i18n *cat[FLOW_LANGS_MAX];
    struct taxonomy *tax;
    struct router *router;
    struct hub_dir *dir;
    struct backend *be;
    struct store *store;
    struct sync *sync;
    struct flow flow;
    struct layout *lay;
    struct script script;
    bool scripted, running, need_layout, need_draw, pending_up;
    int up_x, up_y;
    long hold_ms; /* script: a held press still to run out */
    int pressed;
    int64_t pressed_at; /* now_ms when the pressed widget went down (for a long press) */
    double status_at;   /* real ms of the last staff status refresh */
    int64_t started_ms; /* wall clock at start: "offline since" when hubd never answered */
    unsigned laid_gen;
    int64_t clock_ms;   /* script mode: the injected clock */
    double dirty_since; /* real ms when the current change began */
    double dirty_cpu;   /* the UI thread's CPU ms then (--trace: a frame's own CPU time) */
    double t0;          /* real ms at main() */
    double queue_since; /* real ms when the flow began waiting for hubd's position/wait; 0 not */
    bool first_done;
    struct speech *sp;      /* the speech thread, from the first phrase (or --speech) */
    struct say_state say;   /* what was said last */
    struct say_out say_out; /* what to say now (big: kept off the stack) */
    bool speaking;          /* speech was on at the last layout */
    bool speak_due;         /* a layout not yet given to speech: it is, once it is on screen */
    int rc;
};

/* main.c */
double app_real_ms(void);
int64_t app_now_ms(struct app *a);             /* the injected clock in script mode, else SDL's */
void app_mark(struct app *a, bool changed);    /* a visible change: lay out and draw again */
int app_bad(const char *msg, const char *arg); /* one line on stderr; returns 2 */
void app_draw(struct app *a, bool present);

/* app_sync.c */
/* The SDL user event the sync thread pushes to wake the loop (after SDL_RegisterEvents). */
void app_set_sync_event(Uint32 type);
/* Opens the local store and starts the sync thread; the kiosk works on without either. */
void app_start_sync(struct app *a);
/* Reads the staff PIN from the config file into pin ("" when none). 0, or 2 when unusable. */
int app_load_config(const struct opts *o, char *pin, size_t cap);
/* Takes a new directory and the hub's public figures from the sync thread, if waiting. */
void app_take_dir(struct app *a);
/* A widget held down long enough does its long-press action (the staff corner). */
void app_check_hold(struct app *a);
/* Refreshes what staff see (about once a second, on welcome and the staff screen) and passes
 * on "send now". */
void app_refresh_status(struct app *a);
/* While the result screen waits for hubd's position and wait (the ticket itself shows at
 * once): settles them when they came, when they will not come soon, or after QUEUE_WAIT_MS. */
void app_settle_queue(struct app *a);
/* timeout, or less when a long press or the queue wait needs a look sooner. */
int app_hold_timeout(const struct app *a, int timeout);
int app_queue_timeout(const struct app *a, int timeout);

/* The catalogue for lang (the first configured one when there is none). */
const struct i18n *app_cat(struct app *a, const char *lang);

/* app_speech.c */
/* Starts the speech thread now when --speech or --audio-out asks for it. */
void app_speech_start(struct app *a);
/* After a layout: says what changed, when speech is on (say_plan); hushes when it went off. */
void app_speak(struct app *a);
/* Lets a WAV get every phrase, then stops the speech thread. */
void app_speech_stop(struct app *a);

/* app_script.c */
/* Runs one script step; false at the end (or on a bad step: a->rc set). */
bool app_script_step(struct app *a);

#endif
