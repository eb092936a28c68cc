/* app_sync.c — the kiosk app's side of the sync: the local store and sync thread, the staff
 * screen's status and PIN config, the long press, and hubd's position and wait on the result
 * screen. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "app.h"
#include "proto/buf.h"
#include "util.h"

/* The SDL user event the sync thread pushes when a new directory is ready (0 until SDL is up). */
static _Atomic Uint32 sync_event;

void app_set_sync_event(Uint32 type)
{
    sync_event = type;
}

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
void app_start_sync(struct app *a)
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
int app_load_config(const struct opts *o, char *pin, size_t cap)
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
    char *text = buf_read_file(path, 64 * 1024, &len, err, sizeof(err));
    if (!text)
        return app_bad(err, NULL);
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
        return app_bad("config: want a JSON object with \"staff_pin\": 4 to 8 digits", path);
    if (!pin[0])
        fprintf(stderr, "kiosk: %s has no staff_pin: the staff screen is off\n", path);
    return 0;
}

/* Takes a new directory, and the hub's public figures for the welcome screen's line, from the
 * sync thread, if they are waiting. UI thread only. */
void app_take_dir(struct app *a)
{
    struct community_figs figs;
    if (a->sync && sync_take_community(a->sync, &figs))
        app_mark(a, flow_set_community(&a->flow, &figs));
    struct hub_dir *d = a->sync ? sync_take_dir(a->sync) : NULL;
    if (!d)
        return;
    struct hub_dir *old = a->dir;
    a->dir = d;
    flow_set_directory(&a->flow, d);
    dir_free(old);
    app_mark(a, true);
}

/* The widget held down that has a long-press action, or -1. */
static int held(const struct app *a)
{
    int p = a->pressed;
    return p >= 0 && p < a->lay->n && a->lay->wg[p].hold != ACT_NONE ? p : -1;
}

/* A widget held down long enough does its long-press action (the staff corner). */
void app_check_hold(struct app *a)
{
    int p = held(a);
    if (p < 0)
        return;
    int64_t now = app_now_ms(a);
    if (now - a->pressed_at < LAYOUT_HOLD_MS)
        return;
    a->pressed = -1; /* the release that follows does nothing */
    a->need_draw = true;
    app_mark(a, flow_act(&a->flow, a->lay->wg[p].hold, 0, now));
}

/* Milliseconds until a held widget's long press is due, or timeout. */
int app_hold_timeout(const struct app *a, int timeout)
{
    if (a->scripted || held(a) < 0)
        return timeout;
    int64_t left = a->pressed_at + LAYOUT_HOLD_MS - (int64_t)SDL_GetTicks64() + 1;
    return left < 1 ? 1 : left < timeout ? (int)left : timeout;
}

/* Refreshes what staff see (about once a second, on the screens that show it) and passes on
 * "send now". */
void app_refresh_status(struct app *a)
{
    if (a->sync && flow_take_sync_now(&a->flow))
        sync_wake_now(a->sync);
    if (a->flow.screen != SCR_WELCOME && a->flow.screen != SCR_STAFF)
        return; /* a resident's screens never show it */
    double now = app_real_ms();
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
    app_mark(a, flow_set_status(&a->flow, &st));
}

/* How long the result screen waits for hubd's position and wait before saying reception
 * will tell them. */
#define QUEUE_WAIT_MS 1000

/* While the result screen waits for hubd's answer: asks the backend (never blocking) and
 * settles it when it came, when hubd is unreachable, or after QUEUE_WAIT_MS. */
void app_settle_queue(struct app *a)
{
    if (!a->flow.queue_pending) {
        a->queue_since = 0;
        return;
    }
    double now = app_real_ms();
    if (a->queue_since == 0)
        a->queue_since = a->dirty_since > 0 ? a->dirty_since : now;
    struct ticket t;
    int rc = a->be->poll ? a->be->poll(a->be->self, &t) : -1;
    if (rc == 0 && now - a->queue_since < QUEUE_WAIT_MS)
        return;
    if (!a->need_draw && !a->need_layout)
        a->dirty_since = now;
    app_mark(a, flow_settle_queue(&a->flow, rc == 1 ? &t : NULL));
    if (a->o.trace)
        fprintf(stderr, "queue_ms=%.1f from=%s\n", now - a->queue_since,
                rc == 1 ? "hubd" : "kiosk");
    a->queue_since = 0;
}

/* Milliseconds the loop may sleep before the queue wait needs another look. */
int app_queue_timeout(const struct app *a, int timeout)
{
    if (!a->flow.queue_pending)
        return timeout;
    int left = a->queue_since > 0 ? (int)(a->queue_since + QUEUE_WAIT_MS - app_real_ms()) + 1 : 1;
    if (left < 1)
        left = 1;
    if (left > 20)
        left = 20; /* the sync's wake-up event normally comes first */
    return left < timeout ? left : timeout;
}
