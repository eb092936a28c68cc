/* main.c — the kiosk: flags, SDL window and event loop, drawing (script mode: app_script.c;
 * the sync and staff screen: app_sync.c).
 * The screens, flow and layout live in kiosk/ui; this file only feeds them and draws. */
#include <SDL.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "app.h"
#include "backend_local.h"
#include "backend_sync.h"
#include "directory.h"
#include "flow.h"
#include "gfx.h"
#include "i18n.h"
#include "layout.h"
#include "matcher.h"
#include "nav.h"
#include "proto/taxonomy.h"
#include "proto/paths.h"
#include "renderer.h"
#include "router.h"
#include "script.h"
#include "store.h"
#include "sync.h"

double app_real_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

/* CPU time this thread has used, in ms: a frame's own work, whatever else the machine runs. */
static double thread_cpu_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

/* Milliseconds since this process was exec'd (from /proc; -1 when unknown). */
static double since_exec_ms(void)
{
    FILE *f = fopen("/proc/self/stat", "r");
    char buf[1024];
    size_t n = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;
    if (f)
        fclose(f);
    buf[n] = '\0';
    char *p = strrchr(buf, ')');
    if (!p)
        return -1;
    unsigned long long start = 0;
    int field = 2;
    for (char *s = p + 1; *s && field < 22; s++)
        if (*s == ' ' && ++field == 22)
            start = strtoull(s + 1, NULL, 10);
    struct timespec ts;
    clock_gettime(CLOCK_BOOTTIME, &ts);
    double now = ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
    return now - (double)start * 1000.0 / (double)sysconf(_SC_CLK_TCK);
}

static void phase(const struct app *a, const char *what)
{
    if (a->o.trace)
        fprintf(stderr, "phase %s_ms=%.1f\n", what, app_real_ms() - a->t0);
}

int64_t app_now_ms(struct app *a)
{
    return a->scripted ? a->clock_ms : (int64_t)SDL_GetTicks64();
}

static void usage(FILE *out)
{
    fprintf(out,
            "usage: kiosk [--lang cy|en] [--size WxH] [--fullscreen] [--directory FILE]\n"
            "             [--server URL] [--token TOKEN] [--data DIR] [--script FILE] [--trace]\n"
            "             [--idle-seconds N] [--font FILE] [--font-bold FILE] [--root DIR]\n"
            "             [--config FILE]   (JSON: {\"staff_pin\": \"4 to 8 digits\"};\n"
            "                                default DATA/config.json when it exists)\n"
            "             [--speech] (start with speech on) [--audio-out FILE.wav] (speech to a\n"
            "             file, not the sound device)\n"
            "Keypad: arrows or Tab move the focus, Enter chooses, Escape goes back, F1 says the\n"
            "screen again; any of them turns speech on.\n"
            "The hub's front-door kiosk. Script steps: tap X Y | tap #id | hold X Y MS |\n"
            "hold #id MS | type TEXT | key NAME | wait MS | sleep MS | shot PATH.png |\n"
            "dump PATH.json | quit   (wait moves the kiosk's clock; sleep lets real time pass)\n");
}

int app_bad(const char *msg, const char *arg)
{
    fprintf(stderr, "kiosk: %s%s%s\n", msg, arg ? ": " : "", arg ? arg : "");
    return 2;
}

static int parse_args(int argc, char **argv, struct opts *o)
{
    memset(o, 0, sizeof(*o));
    o->server = "http://127.0.0.1:8080";
    o->w = 1280;
    o->h = 800;
    o->idle_s = 60;
    for (int i = 1; i < argc; i++) {
        const char *k = argv[i];
        if (strcmp(k, "--help") == 0 || strcmp(k, "-h") == 0) {
            usage(stdout);
            exit(0);
        }
        if (strcmp(k, "--fullscreen") == 0) {
            o->fullscreen = true;
            continue;
        }
        if (strcmp(k, "--trace") == 0) {
            o->trace = true;
            continue;
        }
        if (strcmp(k, "--speech") == 0) {
            o->speech = true;
            continue;
        }
        static const char *const with_value[] = {
            "--server",    "--token", "--lang",        "--data", "--directory",
            "--script",    "--font",  "--font-bold",   "--root", "--config",
            "--audio-out", "--size",  "--idle-seconds"};
        size_t j = 0;
        while (j < sizeof(with_value) / sizeof(with_value[0]) && strcmp(k, with_value[j]) != 0)
            j++;
        if (j == sizeof(with_value) / sizeof(with_value[0]))
            return app_bad("unknown argument (see --help)", k);
        if (i + 1 >= argc)
            return app_bad("missing value for", k);
        const char *v = argv[++i];
        const char **slots[] = {&o->server,    &o->token,  &o->lang,     &o->data,
                                &o->directory, &o->script, &o->font,     &o->font_bold,
                                &o->root,      &o->config, &o->audio_out};
        if (j < sizeof(slots) / sizeof(slots[0])) {
            *slots[j] = v;
        } else if (strcmp(k, "--size") == 0) {
            char *x, *end;
            errno = 0;
            long w = strtol(v, &x, 10);
            long h = (*x == 'x' || *x == 'X') ? strtol(x + 1, &end, 10) : -1;
            if (errno || x == v || h < 0 || *end || w < 320 || h < 240 || w > 8192 || h > 8192)
                return app_bad("--size wants WxH, at least 320x240", v);
            o->w = (int)w;
            o->h = (int)h;
        } else {
            char *end;
            errno = 0;
            o->idle_s = strtol(v, &end, 10);
            if (errno || *end || end == v || o->idle_s < 1 || o->idle_s > 86400)
                return app_bad("--idle-seconds wants 1..86400", v);
        }
    }
    if (o->lang && strcmp(o->lang, "cy") != 0 && strcmp(o->lang, "en") != 0)
        return app_bad("--lang wants cy or en", o->lang);
    return 0;
}

/* Loads the router once; false (and one line on stderr) when it cannot be loaded. */
static bool ensure_router(struct app *a)
{
    if (a->router)
        return true;
    char err[256], assets[1100], locales[1100];
    snprintf(assets, sizeof(assets), "%s/assets", a->root);
    snprintf(locales, sizeof(locales), "%s/locales", a->root);
    a->router = router_new(assets, locales, err, sizeof(err));
    if (!a->router)
        fprintf(stderr, "kiosk: router: %s\n", err);
    return a->router != NULL;
}

static int cb_route(void *ctx, const char *text, size_t len, const char *lang,
                    struct route_result *out)
{
    struct app *a = ctx;
    if (!ensure_router(a)) {
        memset(out, 0, sizeof(*out));
        return -1;
    }
    return route_text(a->router, text, len, lang, out);
}

static int cb_asks(void *ctx, const struct hub_dir *d, const char *text, size_t len,
                   struct route_asks *out)
{
    struct app *a = ctx;
    return route_asks(ensure_router(a) ? a->router : NULL, d, text, len, out);
}

static int cb_match(void *ctx, const struct hub_dir *d, const struct match_request *req,
                    struct match_result *out)
{
    (void)ctx;
    return match_worker(d, req, out);
}

static int load_data(struct app *a)
{
    char err[512], path[1200];
    if (a->o.root)
        snprintf(a->root, sizeof(a->root), "%s", a->o.root);
    else if (paths_find_root("/proc/self/exe", a->root, sizeof(a->root)) < 0)
        snprintf(a->root, sizeof(a->root), ".");
    snprintf(path, sizeof(path), "%s/assets/needs.json", a->root);
    a->tax = needs_load(path, err, sizeof(err));
    if (!a->tax)
        return app_bad(err, NULL);
    if (a->o.directory)
        snprintf(path, sizeof(path), "%s", a->o.directory);
    else
        snprintf(path, sizeof(path), "%s/assets/demo-hub.json", a->root);
    a->dir = dir_load_file(path, err, sizeof(err));
    if (!a->dir)
        return app_bad(err, NULL);
    struct flow_config cfg;
    flow_config_default(&cfg);
    if (a->o.lang && strcmp(a->o.lang, "en") == 0) {
        snprintf(cfg.langs[0], sizeof(cfg.langs[0]), "en");
        snprintf(cfg.langs[1], sizeof(cfg.langs[1]), "cy");
    }
    int crc = app_load_config(&a->o, cfg.staff_pin, sizeof(cfg.staff_pin));
    if (crc)
        return crc;
    cfg.speech = a->o.speech;
    cfg.idle_ms = a->o.idle_s * 1000;
    cfg.idle_grace_ms = a->o.idle_s * 500;
    int en = -1;
    for (int i = 0; i < cfg.n_langs; i++) {
        a->cat[i] = i18n_new(cfg.langs[i]);
        if (!a->cat[i])
            return app_bad("out of memory", NULL);
        snprintf(path, sizeof(path), "%s/locales/%s/strings.json", a->root, cfg.langs[i]);
        if (i18n_load_strings(a->cat[i], path, err, sizeof(err)) < 0)
            return app_bad(err, NULL);
        snprintf(path, sizeof(path), "%s/locales/%s/needs.json", a->root, cfg.langs[i]);
        if (i18n_load_need_labels(a->cat[i], path, err, sizeof(err)) < 0 && a->o.trace)
            fprintf(stderr, "kiosk: need labels: %s\n", err);
        if (strcmp(cfg.langs[i], "en") == 0)
            en = i;
    }
    for (int i = 0; i < cfg.n_langs; i++)
        if (en >= 0 && i != en)
            i18n_set_fallback(a->cat[i], a->cat[en]);
    if (a->o.token)
        app_start_sync(a);
    a->be = a->o.token ? backend_sync_new(a->store, a->sync, a->o.token)
                       : backend_local_new(NULL, NULL, NULL);
    if (!a->be)
        return app_bad("out of memory", NULL);
    struct flow_deps deps = {
        .ctx = a,
        .route = cb_route,
        .match = cb_match,
        .asks = cb_asks,
        .tax = a->tax,
        .dir = a->dir,
        .backend = a->be,
    };
    flow_init(&a->flow, &cfg, &deps, 0);
    return 0;
}

const struct i18n *app_cat(struct app *a, const char *lang)
{
    for (int i = 0; i < a->flow.cfg.n_langs; i++)
        if (a->cat[i] && strcmp(i18n_lang(a->cat[i]), lang) == 0)
            return a->cat[i];
    return a->cat[0];
}

/* Speech hears of a layout once its frame is on screen, so that choosing and respelling what
 * to say never delays the frame; a layout replaced before it was drawn is still given to it
 * (speech keeps track of what was said). */
static void speak_due(struct app *a)
{
    if (!a->speak_due)
        return;
    a->speak_due = false;
    app_speak(a);
}

static void relayout(struct app *a)
{
    int w = 0, h = 0;
    speak_due(a);
    SDL_GetRendererOutputSize(a->ren, &w, &h);
    struct layout_input in = {
        .f = &a->flow, .cat = app_cat(a, a->flow.lang), .m = gfx_measurer(a->g), .w = w, .h = h};
    for (int i = 0; i < a->flow.cfg.n_langs; i++)
        in.cats[i] = a->cat[i];
    layout_build(&in, a->lay);
    a->laid_gen = a->flow.gen;
    a->need_layout = false;
    a->need_draw = true;
    if (a->pressed >= a->lay->n)
        a->pressed = -1;
    a->speak_due = true;
}

/* Lays out the screens of a resident's journey (typing, topics, people, the check, their
 * name, consent and the result, in each language) on a copy of the flow, measuring their words
 * and rendering them into the text cache, so that the first visit to each does not wait for
 * SDL_ttf. Once, after the first frame, like the router's load. Nothing on screen or in the
 * flow changes. */
static void warm_screens(struct app *a)
{
    static const enum screen next[] = {SCR_TELL, SCR_TOPICS,  SCR_PEOPLE, SCR_CHECK,
                                       SCR_NAME, SCR_CONSENT, SCR_RESULT};
    struct layout *scratch = malloc(sizeof(*scratch));
    struct flow *f = malloc(sizeof(*f));
    int w = 0, h = 0;
    if (!scratch || !f)
        goto out_free;
    SDL_GetRendererOutputSize(a->ren, &w, &h);
    for (int l = 0; l < a->flow.cfg.n_langs; l++)
        for (size_t i = 0; i < sizeof(next) / sizeof(next[0]); i++) {
            *f = a->flow;
            snprintf(f->lang, sizeof(f->lang), "%s", a->flow.cfg.langs[l]);
            f->screen = next[i];
            f->focus[0] = '\0';
            struct layout_input in = {
                .f = f, .cat = app_cat(a, f->lang), .m = gfx_measurer(a->g), .w = w, .h = h};
            for (int k = 0; k < a->flow.cfg.n_langs; k++)
                in.cats[k] = a->cat[k];
            if (layout_build(&in, scratch) == 0)
                gfx_warm(a->g, scratch, theme_get(f->high_contrast));
        }
out_free:
    free(f);
    free(scratch);
}

/* A keypad key, over the layout now on screen. */
static void nav(struct app *a, enum nav k, int64_t now)
{
    if (a->need_layout || a->flow.gen != a->laid_gen)
        relayout(a);
    app_mark(a, nav_key(&a->flow, a->lay, k, now));
}

void app_draw(struct app *a, bool present)
{
    gfx_draw(a->g, a->lay, theme_get(a->flow.high_contrast), a->pressed);
    if (!present)
        return;
    gfx_present(a->g);
    a->need_draw = false;
    double t = app_real_ms();
    if (!a->first_done) {
        a->first_done = true;
        if (a->o.trace)
            fprintf(stderr, "first_frame_ms=%.1f main_to_frame_ms=%.1f\n", since_exec_ms(),
                    t - a->t0);
        /* The welcome screen is up: load the router now, while the resident reads it, so
         * their first key press does not wait for it. */
        ensure_router(a);
        phase(a, "router");
        warm_screens(a);
        phase(a, "warm");
        app_speech_start(a); /* espeak-ng loads its voices on its own thread */
    } else if (a->o.trace) {
        int w = 0, h = 0;
        SDL_GetRendererOutputSize(a->ren, &w, &h);
        fprintf(stderr, "frame_ms=%.2f screen=%s cpu_ms=%.2f painted=%.0f%%\n", t - a->dirty_since,
                screen_name(a->flow.screen), thread_cpu_ms() - a->dirty_cpu,
                w > 0 && h > 0 ? 100.0 * (double)gfx_painted(a->g) / ((double)w * h) : 0.0);
    }
    speak_due(a);
}

void app_mark(struct app *a, bool changed)
{
    if (changed) {
        a->need_layout = true;
        a->need_draw = true;
    }
}

static void on_event(struct app *a, const SDL_Event *ev)
{
    if (!a->need_draw && !a->need_layout) {
        a->dirty_since = app_real_ms();
        a->dirty_cpu = thread_cpu_ms();
    }
    int64_t now = app_now_ms(a);
    switch (ev->type) {
    case SDL_QUIT:
        a->running = false;
        break;
    case SDL_MOUSEBUTTONDOWN:
        if (ev->button.button == SDL_BUTTON_LEFT) {
            a->pressed = layout_hit(a->lay, ev->button.x, ev->button.y);
            a->pressed_at = now;
            a->need_draw = true;
        }
        break;
    case SDL_MOUSEBUTTONUP:
        if (ev->button.button == SDL_BUTTON_LEFT) {
            int hit = layout_hit(a->lay, ev->button.x, ev->button.y);
            int p = a->pressed;
            a->pressed = -1;
            a->need_draw = true;
            if (p >= 0 && hit == p)
                app_mark(a, flow_act(&a->flow, a->lay->wg[p].action, a->lay->wg[p].arg, now));
        }
        break;
    case SDL_TEXTINPUT:
        app_mark(a, flow_type(&a->flow, ev->text.text, now));
        break;
    case SDL_KEYDOWN:
        switch (ev->key.keysym.sym) {
        case SDLK_BACKSPACE:
            app_mark(a, flow_act(&a->flow, ACT_BACKSPACE, 0, now));
            break;
        case SDLK_RETURN:
        case SDLK_KP_ENTER:
            nav(a, NAV_ENTER, now);
            break;
        case SDLK_TAB:
            nav(a, (ev->key.keysym.mod & KMOD_SHIFT) ? NAV_PREV : NAV_NEXT, now);
            break;
        case SDLK_DOWN:
        case SDLK_RIGHT:
            nav(a, NAV_NEXT, now);
            break;
        case SDLK_UP:
        case SDLK_LEFT:
            nav(a, NAV_PREV, now);
            break;
        case SDLK_ESCAPE:
            nav(a, NAV_BACK, now);
            break;
        case SDLK_F1:
            nav(a, NAV_HELP, now);
            break;
        default:
            break;
        }
        break;
    case SDL_WINDOWEVENT:
        if (ev->window.event == SDL_WINDOWEVENT_SIZE_CHANGED)
            a->need_layout = true;
        if (ev->window.event == SDL_WINDOWEVENT_EXPOSED)
            a->need_draw = true;
        if (ev->window.event == SDL_WINDOWEVENT_SIZE_CHANGED ||
            ev->window.event == SDL_WINDOWEVENT_EXPOSED)
            gfx_invalidate(a->g); /* a new window surface, or one shown again: paint it all */
        break;
    default:
        break;
    }
}

static int open_window(struct app *a)
{
    SDL_SetHint(SDL_HINT_VIDEO_X11_NET_WM_BYPASS_COMPOSITOR, "0");
    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) < 0)
        return app_bad("SDL", SDL_GetError());
    phase(a, "sdl_init");
    Uint32 flags = SDL_WINDOW_SHOWN | (a->o.fullscreen ? SDL_WINDOW_FULLSCREEN_DESKTOP : 0);
    a->win = SDL_CreateWindow("Hub front desk", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED,
                              a->o.w, a->o.h, flags);
    if (!a->win)
        return app_bad("window", SDL_GetError());
    phase(a, "window");
    const char *why = "";
    a->ren = renderer_open(a->win, &why);
    if (!a->ren)
        return app_bad("renderer", SDL_GetError());
    if (a->o.trace) {
        SDL_RendererInfo info;
        SDL_GetRendererInfo(a->ren, &info);
        fprintf(stderr, "renderer %s (%s)\n", info.name, why);
    }
    phase(a, "renderer");
    char err[256];
    a->g = gfx_new(a->ren, a->o.font, a->o.font_bold, err, sizeof(err));
    if (!a->g)
        return app_bad(err, NULL);
    phase(a, "fonts");
    Uint32 ev = SDL_RegisterEvents(1);
    if (ev != (Uint32)-1)
        app_set_sync_event(ev);
    SDL_StartTextInput();
    return 0;
}

static void run(struct app *a)
{
    a->running = true;
    while (a->running) {
        SDL_Event ev;
        while (SDL_PollEvent(&ev))
            on_event(a, &ev);
        app_take_dir(a);
        app_settle_queue(a);
        app_check_hold(a);
        app_refresh_status(a);
        app_mark(a, flow_tick(&a->flow, app_now_ms(a)));
        if (a->need_layout || a->flow.gen != a->laid_gen)
            relayout(a);
        if (a->need_draw)
            app_draw(a, true);
        if (!a->running)
            break;
        if (!a->router && a->first_done && !a->scripted) {
            struct route_result r;
            cb_route(a, "", 0, "en", &r); /* warm the router after the first frame */
        }
        if (a->scripted && a->flow.queue_pending) {
            /* A script sees what a resident sees a moment later: hubd's position and wait,
             * or reception will tell them. The wait runs on real time, not the script's. */
            if (SDL_WaitEventTimeout(&ev, app_queue_timeout(a, 20)))
                on_event(a, &ev);
            continue;
        }
        if (a->scripted) {
            if (!app_script_step(a))
                a->running = false;
            continue;
        }
        int64_t d = flow_next_deadline(&a->flow, app_now_ms(a));
        int timeout = app_queue_timeout(a, d < 0 || d > 60000 ? 60000 : (int)d + 1);
        timeout = app_hold_timeout(a, timeout);
        if (a->o.token && (a->flow.screen == SCR_STAFF || a->flow.screen == SCR_WELCOME))
            timeout = timeout < 1000 ? timeout : 1000; /* what staff see may change */
        if (SDL_WaitEventTimeout(&ev, timeout))
            on_event(a, &ev);
    }
}

static void cleanup(struct app *a)
{
    app_speech_stop(a);
    script_release(&a->script);
    gfx_free(a->g);
    if (a->ren)
        SDL_DestroyRenderer(a->ren);
    if (a->win)
        SDL_DestroyWindow(a->win);
    sync_stop(a->sync);
    SDL_Quit();
    router_free(a->router);
    dir_free(a->dir);
    needs_free(a->tax);
    for (int i = 0; i < FLOW_LANGS_MAX; i++)
        i18n_free(a->cat[i]);
    if (a->o.token)
        backend_sync_free(a->be);
    else
        backend_local_free(a->be);
    store_free(a->store);
    free(a->lay);
}

int main(int argc, char **argv)
{
    static struct app app;
    struct app *a = &app;
    a->t0 = app_real_ms();
    a->started_ms = (int64_t)time(NULL) * 1000;
    a->pressed = -1;
    int rc = parse_args(argc, argv, &a->o);
    if (rc)
        return rc;
    a->lay = calloc(1, sizeof(*a->lay));
    if (!a->lay)
        return app_bad("out of memory", NULL);
    if (a->o.script) {
        char err[512];
        if (script_load(&a->script, a->o.script, err, sizeof(err)) < 0) {
            free(a->lay);
            return app_bad(err, NULL);
        }
        a->scripted = true;
    }
    rc = load_data(a);
    phase(a, "data");
    if (!rc)
        rc = open_window(a);
    if (!rc) {
        run(a);
        rc = a->rc;
    }
    cleanup(a);
    return rc;
}
