/* main.c — the kiosk: flags, SDL window and event loop, script mode, dump and screenshots.
 * The screens, flow and layout live in kiosk/core; this file only feeds them and draws. */
#include <SDL.h>
#include <cjson/cJSON.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "backend_local.h"
#include "backend_sync.h"
#include "directory.h"
#include "flow.h"
#include "gfx.h"
#include "i18n.h"
#include "layout.h"
#include "matcher.h"
#include "needs.h"
#include "paths.h"
#include "png.h"
#include "router.h"
#include "script.h"
#include "store.h"
#include "sync.h"
#include "util.h"

struct opts {
    const char *server, *token, *lang, *data, *directory, *script, *font, *font_bold, *root;
    const char *config;
    int w, h;
    bool fullscreen, trace;
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
    int64_t clock_ms;    /* script mode: the injected clock */
    double dirty_since;  /* real ms when the current change began */
    double t0;           /* real ms at main() */
    double ticket_since; /* real ms when the flow began waiting for hubd's ticket; 0 = not */
    bool first_done;
    int rc;
};

static double real_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
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
        fprintf(stderr, "phase %s_ms=%.1f\n", what, real_ms() - a->t0);
}

static int64_t now_ms(struct app *a)
{
    return a->scripted ? a->clock_ms : (int64_t)SDL_GetTicks64();
}

static void usage(FILE *out)
{
    fprintf(
        out,
        "usage: kiosk [--lang cy|en] [--size WxH] [--fullscreen] [--directory FILE]\n"
        "             [--server URL] [--token TOKEN] [--data DIR] [--script FILE] [--trace]\n"
        "             [--idle-seconds N] [--font FILE] [--font-bold FILE] [--root DIR]\n"
        "             [--config FILE]   (JSON: {\"staff_pin\": \"4 to 8 digits\"};\n"
        "                                default DATA/config.json when it exists)\n"
        "The hub's front-door kiosk. Script steps: tap X Y | tap #id | hold X Y MS |\n"
        "hold #id MS | type TEXT | key NAME | wait MS | shot PATH.png | dump PATH.json | quit\n");
}

static int bad(const char *msg, const char *arg)
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
        static const char *const with_value[] = {
            "--server", "--token",     "--lang", "--data",   "--directory", "--script",
            "--font",   "--font-bold", "--root", "--config", "--size",      "--idle-seconds"};
        size_t j = 0;
        while (j < sizeof(with_value) / sizeof(with_value[0]) && strcmp(k, with_value[j]) != 0)
            j++;
        if (j == sizeof(with_value) / sizeof(with_value[0]))
            return bad("unknown argument (see --help)", k);
        if (i + 1 >= argc)
            return bad("missing value for", k);
        const char *v = argv[++i];
        const char **slots[] = {&o->server, &o->token, &o->lang,      &o->data, &o->directory,
                                &o->script, &o->font,  &o->font_bold, &o->root, &o->config};
        if (j < sizeof(slots) / sizeof(slots[0])) {
            *slots[j] = v;
        } else if (strcmp(k, "--size") == 0) {
            char *x, *end;
            errno = 0;
            long w = strtol(v, &x, 10);
            long h = (*x == 'x' || *x == 'X') ? strtol(x + 1, &end, 10) : -1;
            if (errno || x == v || h < 0 || *end || w < 320 || h < 240 || w > 8192 || h > 8192)
                return bad("--size wants WxH, at least 320x240", v);
            o->w = (int)w;
            o->h = (int)h;
        } else {
            char *end;
            errno = 0;
            o->idle_s = strtol(v, &end, 10);
            if (errno || *end || end == v || o->idle_s < 1 || o->idle_s > 86400)
                return bad("--idle-seconds wants 1..86400", v);
        }
    }
    if (o->lang && strcmp(o->lang, "cy") != 0 && strcmp(o->lang, "en") != 0)
        return bad("--lang wants cy or en", o->lang);
    return 0;
}

/* The SDL user event the sync thread pushes when a new directory is ready (0 until SDL is up). */
static _Atomic Uint32 sync_event;

static void on_sync_dir(void *ctx)
{
    (void)ctx;
    Uint32 type = sync_event;
    if (type) {
        SDL_Event ev = {.type = type};
        SDL_PushEvent(&ev);
    }
}

/* Opens the local store and starts the sync thread. The kiosk works on without either. */
static void start_sync(struct app *a)
{
    char err[512];
    const char *dir = a->o.data ? a->o.data : "data/kiosk";
    a->store = store_open(dir, err, sizeof(err)); /* in memory, and says so, when it must */
    if (!a->store) {
        fprintf(stderr,
                "kiosk: LOCAL STORE UNAVAILABLE (%s): check-ins get local tickets only "
                "and are NOT sent to hubd\n",
                err);
        return;
    }
    struct sync_config cfg = {
        .server = a->o.server, .token = a->o.token, .store = a->store, .on_news = on_sync_dir};
    a->sync = sync_start(&cfg);
    if (!a->sync)
        fprintf(stderr, "kiosk: SYNC THREAD NOT STARTED: check-ins stay in %s\n", dir);
}

/* Reads the staff PIN from the config file into pin (4..8 digits); "" when there is none.
 * Returns 0, or 2 with one line on stderr when the file is unusable. */
static int load_config(const struct opts *o, char *pin, size_t cap)
{
    char path[1100], err[256];
    pin[0] = '\0';
    if (o->config)
        snprintf(path, sizeof(path), "%s", o->config);
    else
        snprintf(path, sizeof(path), "%s/config.json", o->data ? o->data : "data/kiosk");
    if (!o->config && access(path, F_OK) != 0)
        return 0;
    size_t len = 0;
    char *text = util_read_file(path, 64 * 1024, &len, err, sizeof(err));
    if (!text)
        return bad(err, NULL);
    cJSON *root = cJSON_ParseWithLength(text, len);
    free(text);
    const cJSON *p = cJSON_GetObjectItemCaseSensitive(root, "staff_pin");
    size_t n = cJSON_IsString(p) ? strlen(p->valuestring) : 0;
    bool ok = cJSON_IsObject(root) && (p == NULL || (n >= 4 && n < cap && n <= FLOW_PIN_MAX &&
                                                     strspn(p->valuestring, "0123456789") == n));
    if (ok && p)
        snprintf(pin, cap, "%s", p->valuestring);
    cJSON_Delete(root);
    if (!ok)
        return bad("config: want a JSON object with \"staff_pin\": 4 to 8 digits", path);
    if (!pin[0])
        fprintf(stderr, "kiosk: %s has no staff_pin: the staff screen is off\n", path);
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
        return bad(err, NULL);
    if (a->o.directory)
        snprintf(path, sizeof(path), "%s", a->o.directory);
    else
        snprintf(path, sizeof(path), "%s/assets/demo-hub.json", a->root);
    a->dir = dir_load_file(path, err, sizeof(err));
    if (!a->dir)
        return bad(err, NULL);
    struct flow_config cfg;
    flow_config_default(&cfg);
    if (a->o.lang && strcmp(a->o.lang, "en") == 0) {
        snprintf(cfg.langs[0], sizeof(cfg.langs[0]), "en");
        snprintf(cfg.langs[1], sizeof(cfg.langs[1]), "cy");
    }
    int crc = load_config(&a->o, cfg.staff_pin, sizeof(cfg.staff_pin));
    if (crc)
        return crc;
    cfg.idle_ms = a->o.idle_s * 1000;
    cfg.idle_grace_ms = a->o.idle_s * 500;
    int en = -1;
    for (int i = 0; i < cfg.n_langs; i++) {
        a->cat[i] = i18n_new(cfg.langs[i]);
        if (!a->cat[i])
            return bad("out of memory", NULL);
        snprintf(path, sizeof(path), "%s/locales/%s/strings.json", a->root, cfg.langs[i]);
        if (i18n_load_strings(a->cat[i], path, err, sizeof(err)) < 0)
            return bad(err, NULL);
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
        start_sync(a);
    a->be = a->o.token ? backend_sync_new(a->store, a->sync) : backend_local_new();
    if (!a->be)
        return bad("out of memory", NULL);
    struct flow_deps deps = {
        .ctx = a,
        .route = cb_route,
        .match = cb_match,
        .tax = a->tax,
        .dir = a->dir,
        .backend = a->be,
    };
    flow_init(&a->flow, &cfg, &deps, 0);
    return 0;
}

static const struct i18n *cat_for(struct app *a, const char *lang)
{
    for (int i = 0; i < a->flow.cfg.n_langs; i++)
        if (a->cat[i] && strcmp(i18n_lang(a->cat[i]), lang) == 0)
            return a->cat[i];
    return a->cat[0];
}

static void relayout(struct app *a)
{
    int w = 0, h = 0;
    SDL_GetRendererOutputSize(a->ren, &w, &h);
    struct layout_input in = {
        .f = &a->flow, .cat = cat_for(a, a->flow.lang), .m = gfx_measurer(a->g), .w = w, .h = h};
    for (int i = 0; i < a->flow.cfg.n_langs; i++)
        in.cats[i] = a->cat[i];
    layout_build(&in, a->lay);
    a->laid_gen = a->flow.gen;
    a->need_layout = false;
    a->need_draw = true;
    if (a->pressed >= a->lay->n)
        a->pressed = -1;
}

static void draw(struct app *a, bool present)
{
    gfx_draw(a->g, a->lay, theme_get(a->flow.high_contrast), a->pressed);
    if (!present)
        return;
    SDL_RenderPresent(a->ren);
    a->need_draw = false;
    double t = real_ms();
    if (!a->first_done) {
        a->first_done = true;
        if (a->o.trace)
            fprintf(stderr, "first_frame_ms=%.1f main_to_frame_ms=%.1f\n", since_exec_ms(),
                    t - a->t0);
        /* The welcome screen is up: load the router now, while the resident reads it, so
         * their first key press does not wait for it. */
        ensure_router(a);
    } else if (a->o.trace) {
        fprintf(stderr, "frame_ms=%.2f screen=%s\n", t - a->dirty_since,
                screen_name(a->flow.screen));
    }
}

static void mark(struct app *a, bool changed)
{
    if (changed) {
        a->need_layout = true;
        a->need_draw = true;
    }
}

static void on_event(struct app *a, const SDL_Event *ev)
{
    if (!a->need_draw && !a->need_layout)
        a->dirty_since = real_ms();
    int64_t now = now_ms(a);
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
                mark(a, flow_act(&a->flow, a->lay->wg[p].action, a->lay->wg[p].arg, now));
        }
        break;
    case SDL_TEXTINPUT:
        mark(a, flow_type(&a->flow, ev->text.text, now));
        break;
    case SDL_KEYDOWN:
        if (ev->key.keysym.sym == SDLK_BACKSPACE)
            mark(a, flow_act(&a->flow, ACT_BACKSPACE, 0, now));
        else if (ev->key.keysym.sym == SDLK_RETURN || ev->key.keysym.sym == SDLK_KP_ENTER)
            mark(a, flow_act(&a->flow, ACT_ENTER, 0, now));
        break;
    case SDL_WINDOWEVENT:
        if (ev->window.event == SDL_WINDOWEVENT_SIZE_CHANGED)
            a->need_layout = true;
        if (ev->window.event == SDL_WINDOWEVENT_EXPOSED)
            a->need_draw = true;
        break;
    default:
        break;
    }
}

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
        draw(a, false);
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
static void script_wait(struct app *a, long ms)
{
    int64_t left = ms;
    while (left > 0) {
        int64_t d = flow_next_deadline(&a->flow, a->clock_ms);
        int64_t step = d >= 0 && d < left ? d : left;
        if (step <= 0)
            step = 1;
        a->clock_ms += step;
        left -= step;
        mark(a, flow_tick(&a->flow, a->clock_ms));
    }
}

/* Runs one script step; false at the end. */
static bool script_step(struct app *a)
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
        script_wait(a, st->ms);
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

static int open_window(struct app *a)
{
    SDL_SetHint(SDL_HINT_VIDEO_X11_NET_WM_BYPASS_COMPOSITOR, "0");
    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) < 0)
        return bad("SDL", SDL_GetError());
    phase(a, "sdl_init");
    Uint32 flags = SDL_WINDOW_SHOWN | (a->o.fullscreen ? SDL_WINDOW_FULLSCREEN_DESKTOP : 0);
    a->win = SDL_CreateWindow("Hub front desk", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED,
                              a->o.w, a->o.h, flags);
    if (!a->win)
        return bad("window", SDL_GetError());
    phase(a, "window");
    a->ren = SDL_CreateRenderer(a->win, -1, SDL_RENDERER_ACCELERATED | SDL_RENDERER_PRESENTVSYNC);
    if (!a->ren)
        a->ren = SDL_CreateRenderer(a->win, -1, SDL_RENDERER_SOFTWARE);
    if (!a->ren)
        return bad("renderer", SDL_GetError());
    phase(a, "renderer");
    char err[256];
    a->g = gfx_new(a->ren, a->o.font, a->o.font_bold, err, sizeof(err));
    if (!a->g)
        return bad(err, NULL);
    phase(a, "fonts");
    Uint32 ev = SDL_RegisterEvents(1);
    if (ev != (Uint32)-1)
        sync_event = ev;
    SDL_StartTextInput();
    return 0;
}

/* Takes a new directory from the sync thread, if one is waiting. UI thread only. */
static void take_dir(struct app *a)
{
    struct hub_dir *d = a->sync ? sync_take_dir(a->sync) : NULL;
    if (!d)
        return;
    struct hub_dir *old = a->dir;
    a->dir = d;
    flow_set_directory(&a->flow, d);
    dir_free(old);
    mark(a, true);
}

/* A widget held down long enough does its long-press action (the staff corner). */
static void check_hold(struct app *a)
{
    int p = a->pressed;
    if (p < 0 || p >= a->lay->n || a->lay->wg[p].hold == ACT_NONE)
        return;
    int64_t now = now_ms(a);
    if (now - a->pressed_at < LAYOUT_HOLD_MS)
        return;
    a->pressed = -1; /* the release that follows does nothing */
    a->need_draw = true;
    mark(a, flow_act(&a->flow, a->lay->wg[p].hold, 0, now));
}

/* Milliseconds until a held widget's long press is due, or timeout. */
static int hold_timeout(const struct app *a, int timeout)
{
    int p = a->pressed;
    if (a->scripted || p < 0 || p >= a->lay->n || a->lay->wg[p].hold == ACT_NONE)
        return timeout;
    int64_t left = a->pressed_at + LAYOUT_HOLD_MS - (int64_t)SDL_GetTicks64() + 1;
    return left < 1 ? 1 : left < timeout ? (int)left : timeout;
}

/* Refreshes what staff see (about once a second) and passes on "send now". */
static void refresh_status(struct app *a)
{
    if (a->sync && flow_take_sync_now(&a->flow))
        sync_wake_now(a->sync);
    double now = real_ms();
    if (a->status_at > 0 && now - a->status_at < 1000 && !a->scripted)
        return;
    a->status_at = now;
    struct flow_status st;
    memset(&st, 0, sizeof(st));
    if (a->o.token) {
        struct sync_status ss;
        memset(&ss, 0, sizeof(ss));
        if (a->sync)
            sync_get_status(a->sync, &ss);
        int64_t wall = (int64_t)time(NULL) * 1000;
        st.known = true;
        st.online = a->sync && ss.online;
        st.since_contact_s = ss.last_contact_ms ? (long)((wall - ss.last_contact_ms) / 1000) : -1;
        st.offline_s =
            (long)((wall - (ss.last_contact_ms ? ss.last_contact_ms : a->started_ms)) / 1000);
        st.pending = ss.pending;
        st.set_aside = ss.set_aside;
        st.store_durable = a->store && ss.store_durable;
        snprintf(st.store_why, sizeof(st.store_why), "%s",
                 a->store ? ss.store_why : "no local store at all");
        snprintf(st.last_error, sizeof(st.last_error), "%s",
                 a->sync ? ss.last_error : "the sync is not running");
        snprintf(st.server, sizeof(st.server), "%s", a->o.server);
    }
    if (!a->need_draw && !a->need_layout)
        a->dirty_since = now;
    mark(a, flow_set_status(&a->flow, &st));
}

/* How long the result screen waits for hubd's ticket before the kiosk's own stands. */
#define TICKET_WAIT_MS 1000

/* While the result screen waits for hubd's ticket: asks the backend (never blocking) and
 * settles it when it came, when hubd is unreachable, or after TICKET_WAIT_MS. */
static void settle_ticket(struct app *a)
{
    if (!a->flow.ticket_pending) {
        a->ticket_since = 0;
        return;
    }
    double now = real_ms();
    if (a->ticket_since == 0)
        a->ticket_since = a->dirty_since > 0 ? a->dirty_since : now;
    struct ticket t;
    int rc = a->be->poll ? a->be->poll(a->be->self, &t) : -1;
    if (rc == 0 && now - a->ticket_since < TICKET_WAIT_MS)
        return;
    if (!a->need_draw && !a->need_layout)
        a->dirty_since = now;
    mark(a, flow_settle_ticket(&a->flow, rc == 1 ? &t : NULL));
    if (a->o.trace)
        fprintf(stderr, "ticket_ms=%.1f from=%s\n", now - a->ticket_since,
                rc == 1 ? "hubd" : "kiosk");
    a->ticket_since = 0;
}

/* Milliseconds the loop may sleep before the ticket wait needs another look. */
static int ticket_timeout(const struct app *a, int timeout)
{
    if (!a->flow.ticket_pending)
        return timeout;
    int left = a->ticket_since > 0 ? (int)(a->ticket_since + TICKET_WAIT_MS - real_ms()) + 1 : 1;
    if (left < 1)
        left = 1;
    if (left > 20)
        left = 20; /* the sync's wake-up event normally comes first */
    return left < timeout ? left : timeout;
}

static void run(struct app *a)
{
    a->running = true;
    while (a->running) {
        SDL_Event ev;
        while (SDL_PollEvent(&ev))
            on_event(a, &ev);
        take_dir(a);
        settle_ticket(a);
        check_hold(a);
        refresh_status(a);
        mark(a, flow_tick(&a->flow, now_ms(a)));
        if (a->need_layout || a->flow.gen != a->laid_gen)
            relayout(a);
        if (a->need_draw)
            draw(a, true);
        if (!a->running)
            break;
        if (!a->router && a->first_done && !a->scripted) {
            struct route_result r;
            cb_route(a, "", 0, "en", &r); /* warm the router after the first frame */
        }
        if (a->scripted && a->flow.ticket_pending) {
            /* A script sees what a resident sees a moment later: hubd's ticket or the
             * kiosk's own, never the wait. The wait runs on real time, not the script's. */
            if (SDL_WaitEventTimeout(&ev, ticket_timeout(a, 20)))
                on_event(a, &ev);
            continue;
        }
        if (a->scripted) {
            if (!script_step(a))
                a->running = false;
            continue;
        }
        int64_t d = flow_next_deadline(&a->flow, now_ms(a));
        int timeout = ticket_timeout(a, d < 0 || d > 60000 ? 60000 : (int)d + 1);
        timeout = hold_timeout(a, timeout);
        if (a->o.token && (a->flow.screen == SCR_STAFF || a->flow.screen == SCR_WELCOME))
            timeout = timeout < 1000 ? timeout : 1000; /* what staff see may change */
        if (SDL_WaitEventTimeout(&ev, timeout))
            on_event(a, &ev);
    }
}

static void cleanup(struct app *a)
{
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
    a->t0 = real_ms();
    a->started_ms = (int64_t)time(NULL) * 1000;
    a->pressed = -1;
    int rc = parse_args(argc, argv, &a->o);
    if (rc)
        return rc;
    a->lay = calloc(1, sizeof(*a->lay));
    if (!a->lay)
        return bad("out of memory", NULL);
    if (a->o.script) {
        char err[512];
        if (script_load(&a->script, a->o.script, err, sizeof(err)) < 0) {
            free(a->lay);
            return bad(err, NULL);
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
