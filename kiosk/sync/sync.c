/* sync.c — the sync thread: pending check-ins to hubd in batches, the directory from hubd
 * (fetched again when the live stream says a worker changed, or polled while it is down). */
#include "sync.h"

#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <time.h>

#include "community_fetch.h"
#include "proto/checkin.h"
#include "feedback.h"
#include "listen.h"
#include "sync_int.h"
#include "sync_state.h"

#define BATCH_LIMIT         LIMIT_BATCH
#define PAYLOAD_MAX         (LIMIT_BODY_BYTES - 4 * 1024) /* under hubd's body cap, with room */
#define PRUNE_AGE_MS        (24LL * 3600 * 1000)
#define CHECK_EVERY_MS      3000        /* how often the local store's file is looked at */
#define LISTEN_RETRY_CAP_MS (60 * 1000) /* the live stream's reconnect back-off cap */

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void deadline_in(struct timespec *ts, int64_t ms)
{
    clock_gettime(CLOCK_MONOTONIC, ts);
    ts->tv_sec += ms / 1000;
    ts->tv_nsec += (long)(ms % 1000) * 1000000L;
    if (ts->tv_nsec >= 1000000000L) {
        ts->tv_sec++;
        ts->tv_nsec -= 1000000000L;
    }
}

static uint64_t rand64(void)
{
    uint64_t r = 0;
    if (getrandom(&r, sizeof(r), GRND_NONBLOCK) != (ssize_t)sizeof(r))
        r = (uint64_t)mono_ms() * 6364136223846793005ULL + 1442695040888963407ULL;
    return r;
}

/* Full jitter: uniform in [0, min(cap, base * 2^attempt)]. */
static int64_t backoff_ms(const struct sync *s, int attempt)
{
    int64_t ceil = s->cfg.backoff_base_ms;
    for (int i = 0; i < attempt && ceil < s->cfg.backoff_cap_ms; i++)
        ceil *= 2;
    if (ceil > s->cfg.backoff_cap_ms)
        ceil = s->cfg.backoff_cap_ms;
    return (int64_t)(rand64() % (uint64_t)(ceil + 1));
}

static void set_error(struct sync *s, const char *what)
{
    pthread_mutex_lock(&s->mu);
    snprintf(s->last_error, sizeof(s->last_error), "%s", what);
    pthread_mutex_unlock(&s->mu);
}

int sync_dir_offer(struct hub_dir **slot, const char *json, size_t len, char *err, size_t errcap)
{
    struct hub_dir *d = dir_parse(json, len, err, errcap);
    if (!d)
        return -1;
    dir_free(*slot);
    *slot = d;
    return 0;
}

/* Offers json to the UI's slot; on success keeps it in the store and tells the UI. */
static void dir_arrived(struct sync *s, const char *json, size_t len, const char *etag,
                        bool persist)
{
    char err[256];
    pthread_mutex_lock(&s->mu);
    int rc = sync_dir_offer(&s->fresh, json, len, err, sizeof(err));
    if (rc == 0)
        snprintf(s->etag, sizeof(s->etag), "%s", etag ? etag : "");
    pthread_mutex_unlock(&s->mu);
    if (rc < 0) {
        fprintf(stderr, "kiosk: sync: directory from hubd rejected, keeping the last good: %s\n",
                err);
        return;
    }
    if (persist && s->cfg.store && store_put_dir(s->cfg.store, json, len, etag) < 0)
        fprintf(stderr, "kiosk: sync: could not keep the directory in the local store\n");
    if (s->cfg.on_news)
        s->cfg.on_news(s->cfg.ctx);
}

static void fetch_dir(struct sync *s)
{
    struct sync_resp b;
    char etag[128];
    pthread_mutex_lock(&s->mu);
    snprintf(etag, sizeof(etag), "%s", s->etag);
    pthread_mutex_unlock(&s->mu);
    long st = sync_request(s, "/api/v1/directory", NULL, etag, &b);
    if (st == 200 && b.body.p)
        dir_arrived(s, b.body.p, b.body.len, b.etag, true);
    else if (st != 304 && st != -1)
        fprintf(stderr, "kiosk: sync: GET /directory: HTTP %ld\n", st);
    buf_free(&b.body);
}

/* Applies one item of hubd's batch answer. Returns 1 when settled, 0 when to retry. */
static int apply_item(struct sync *s, const cJSON *it, int64_t now)
{
    char id[UUID_LEN + 1];
    struct checkin_result r;
    if (checkin_result_parse(it, id, &r) < 0)
        return 0;
    if (r.status == 200 || r.status == 201) {
        struct ticket t = {.position = r.position, .wait_min = r.wait_min};
        snprintf(t.code, sizeof(t.code), "%s", r.ticket);
        if (store_ack(s->cfg.store, id, &t, now) != 0)
            return 0;
        pthread_mutex_lock(&s->mu);
        struct recent *rc = &s->recent[s->recent_at];
        snprintf(rc->id, sizeof(rc->id), "%s", id);
        rc->t = t;
        s->recent_at = (s->recent_at + 1) % RECENT;
        pthread_mutex_unlock(&s->mu);
        return 1;
    }
    if (r.status == 409 || r.status == 400 || r.status == 422) {
        fprintf(stderr, "kiosk: sync: check-in %s set aside: HTTP %d %s\n", id, r.status, r.error);
        return store_reject(s->cfg.store, id, r.status, r.error) == 0;
    }
    return 0;
}

/* Sends one batch. 1 when everything sent was settled, 0 when nothing was pending, -1 on
 * a failure to back off from. */
static int drain_once(struct sync *s)
{
    char(*ids)[STORE_ID_LEN] = calloc(BATCH_LIMIT, STORE_ID_LEN);
    char **bodies = calloc(BATCH_LIMIT, sizeof(char *));
    char *payload = NULL;
    int rc = -1, n = 0;
    if (!ids || !bodies)
        goto out_free;
    n = store_pending(s->cfg.store, s->cfg.batch_max, ids, bodies);
    if (n <= 0) {
        rc = n == 0 ? 0 : -1;
        goto out_free;
    }
    size_t len = 2;
    int fit = 0;
    while (fit < n && (fit == 0 || len + strlen(bodies[fit]) + 1 <= PAYLOAD_MAX))
        len += strlen(bodies[fit++]) + 1;
    for (int i = fit; i < n; i++) { /* left for the next batch */
        free(bodies[i]);
        bodies[i] = NULL;
    }
    n = fit;
    payload = malloc(len + 1);
    if (!payload)
        goto out_free;
    size_t at = 0;
    payload[at++] = '[';
    for (int i = 0; i < n; i++) {
        if (i)
            payload[at++] = ',';
        size_t k = strlen(bodies[i]);
        memcpy(payload + at, bodies[i], k);
        at += k;
    }
    payload[at++] = ']';
    payload[at] = '\0';
    struct sync_resp b;
    long st = sync_request(s, "/api/v1/checkins", payload, NULL, &b);
    cJSON *arr =
        (st == 200 || st == 201) && b.body.p ? cJSON_ParseWithLength(b.body.p, b.body.len) : NULL;
    if (cJSON_IsArray(arr)) {
        int64_t now = sync_wall_ms();
        int settled = 0;
        const cJSON *it;
        store_begin(s->cfg.store); /* the answer's acknowledgements, written in one statement */
        cJSON_ArrayForEach(it, arr) settled += apply_item(s, it, now);
        if (store_commit(s->cfg.store) < 0)
            settled = 0; /* undone: they are still pending and go again */
        rc = settled == n ? 1 : -1;
        if (settled == 0)
            set_error(s, "POST /checkins: answer not usable");
    } else if (st == 413 && n == 1) {
        fprintf(stderr, "kiosk: sync: check-in %s set aside: too large for hubd\n", ids[0]);
        rc = store_reject(s->cfg.store, ids[0], 413, "too large") == 0 ? 1 : -1;
    } else if (st >= 0) {
        fprintf(stderr, "kiosk: sync: POST /checkins: HTTP %ld%s\n", st,
                st == 200 || st == 201 ? ", answer not a JSON array" : "");
        if (st == 200 || st == 201)
            set_error(s, "POST /checkins: answer not usable");
    }
    cJSON_Delete(arr);
    buf_free(&b.body);
out_free:
    for (int i = 0; bodies && i < n; i++)
        free(bodies[i]);
    free(bodies);
    free(ids);
    free(payload);
    pthread_mutex_lock(&s->mu);
    pthread_cond_broadcast(&s->acked);
    pthread_mutex_unlock(&s->mu);
    if (rc > 0 && s->cfg.on_news)
        s->cfg.on_news(s->cfg.ctx);
    return rc;
}

/* A flag of s read under its lock. */
static bool flag(struct sync *s, const bool *f)
{
    pthread_mutex_lock(&s->mu);
    bool v = *f;
    pthread_mutex_unlock(&s->mu);
    return v;
}

/* Reads the store's counts and health for sync_get_status, so that staff's screen (on the UI
 * thread) never waits on the store while a batch holds it. Sync thread (and sync_start). */
static void note_store(struct sync *s)
{
    struct sync_status seen = {0};
    seen.pending = store_count_pending(s->cfg.store);
    seen.set_aside = store_count_set_aside(s->cfg.store);
    seen.store_durable =
        store_health(s->cfg.store, seen.store_why, sizeof(seen.store_why)) == STORE_DURABLE;
    pthread_mutex_lock(&s->mu);
    s->store_seen = seen;
    pthread_mutex_unlock(&s->mu);
}

/* The stream's reconnect back-off cap: 64 times its base, at most LISTEN_RETRY_CAP_MS. */
static int listen_cap_ms(int base_ms)
{
    return base_ms > LISTEN_RETRY_CAP_MS / 64 ? LISTEN_RETRY_CAP_MS : base_ms * 64;
}

/* What the live stream says (its thread): open, a worker changed, closed. Each asks for the
 * directory now; while it is open the directory is polled only every dir_listening_ms. */
static void on_listen(void *ctx, enum listen_news news)
{
    struct sync *s = ctx;
    pthread_mutex_lock(&s->mu);
    if (news == LISTEN_UP)
        s->listening = true;
    else if (news == LISTEN_DOWN)
        s->listening = false;
    s->dir_due = true;
    pthread_cond_signal(&s->cv);
    pthread_mutex_unlock(&s->mu);
}

/* How long until the directory is fetched again: the poll, or the slow refresh while the
 * stream tells of every change. */
static int64_t dir_period(struct sync *s)
{
    return flag(s, &s->listening) ? s->cfg.dir_listening_ms : s->cfg.dir_every_ms;
}

static void *run(void *arg)
{
    struct sync *s = arg;
    int attempt = 0;
    int64_t now = mono_ms(), next_dir = now, next_send = now, next_prune = now, next_comm = now;
    int64_t next_check = now + CHECK_EVERY_MS, next_report = now;
    while (!flag(s, &s->stop)) {
        now = mono_ms();
        if (s->cfg.dir_every_ms >= 0 && now >= next_dir) {
            bool was = flag(s, &s->online);
            fetch_dir(s);
            next_dir = mono_ms() + dir_period(s);
            if (!was && flag(s, &s->online)) { /* hubd is back: send now, not after the backoff */
                attempt = 0;
                next_send = 0;
                next_comm = 0;
            }
            if (flag(s, &s->stop))
                break;
        }
        if (now >= next_check) {
            store_check(s->cfg.store);
            next_check = now + CHECK_EVERY_MS;
        }
        if (now >= next_prune) {
            store_prune(s->cfg.store, sync_wall_ms(), PRUNE_AGE_MS);
            next_prune = now + 3600 * 1000;
        }
        int sent = 0;
        if (mono_ms() >= next_send) {
            sent = drain_once(s);
            int answers = sent < 0 ? 0 : feedback_send(s, s->cfg.store); /* on the way out */
            if (answers != 0 && sent >= 0)
                sent = answers;
            pthread_mutex_lock(&s->mu);
            s->backing_off = sent < 0;
            pthread_mutex_unlock(&s->mu);
            if (sent < 0) {
                next_send = mono_ms() + backoff_ms(s, attempt);
                if (attempt < 30)
                    attempt++;
            } else {
                attempt = 0;
                next_send = 0;
            }
        }
        if (sent <= 0 && s->cfg.community_every_ms >= 0 && mono_ms() >= next_comm) {
            if (community_fetch(s, s->comm) > 0 && s->cfg.on_news)
                s->cfg.on_news(s->cfg.ctx);
            next_comm = mono_ms() + s->cfg.community_every_ms;
        }
        note_store(s);
        if (s->cfg.status_every_ms >= 0 && (sent <= 0 || mono_ms() >= next_report)) {
            pthread_mutex_lock(&s->mu);
            struct sync_status seen = s->store_seen;
            bool online = s->online;
            pthread_mutex_unlock(&s->mu);
            next_report = kiosk_report_maybe(s, &s->report, seen.pending, seen.set_aside, online,
                                             mono_ms(), s->cfg.status_every_ms);
        }
        if (sent > 0)
            continue; /* more may be pending */
        int64_t wake_at = next_send > 0 ? next_send : mono_ms() + 60000;
        if (s->cfg.dir_every_ms >= 0 && next_dir < wake_at)
            wake_at = next_dir;
        if (s->cfg.status_every_ms >= 0 && next_report < wake_at)
            wake_at = next_report;
        if (next_check < wake_at)
            wake_at = next_check;
        if (s->cfg.community_every_ms >= 0 && next_comm < wake_at)
            wake_at = next_comm;
        struct timespec ts;
        int64_t wait = wake_at - mono_ms();
        deadline_in(&ts, wait > 0 ? wait : 0);
        pthread_mutex_lock(&s->mu);
        while (!s->stop && !s->woken && !s->dir_due)
            if (pthread_cond_timedwait(&s->cv, &s->mu, &ts) != 0)
                break;
        if (s->dir_due) /* the stream said a worker changed: the directory at once */
            next_dir = 0;
        s->dir_due = false;
        if (s->woken && attempt > 0 && next_send - mono_ms() > s->cfg.backoff_base_ms)
            next_send = mono_ms() + s->cfg.backoff_base_ms; /* a new check-in: try soon */
        if (s->now) {                                       /* staff asked */
            next_send = 0;
            next_dir = 0;
            attempt = 0;
        }
        s->woken = s->now = false;
        pthread_mutex_unlock(&s->mu);
    }
    return NULL;
}

struct sync *sync_start(const struct sync_config *cfg)
{
    struct sync *s = calloc(1, sizeof(*s));
    if (!s || !cfg->store)
        goto out_free;
    s->cfg = *cfg;
    s->online = true; /* until a request says otherwise */
    if (s->cfg.batch_max <= 0 || s->cfg.batch_max > BATCH_LIMIT)
        s->cfg.batch_max = BATCH_LIMIT;
    if (s->cfg.backoff_base_ms <= 0)
        s->cfg.backoff_base_ms = 1000;
    if (s->cfg.backoff_cap_ms <= 0)
        s->cfg.backoff_cap_ms = 300000;
    if (s->cfg.dir_every_ms == 0)
        s->cfg.dir_every_ms = 5000;
    if (s->cfg.community_every_ms == 0) /* never, when the directory is never fetched either */
        s->cfg.community_every_ms = s->cfg.dir_every_ms < 0 ? -1 : 10 * 60 * 1000;
    s->comm = community_cache_new(); /* without it, the welcome screen just has no line */
    if (s->cfg.connect_timeout_ms <= 0)
        s->cfg.connect_timeout_ms = 5000;
    if (s->cfg.request_timeout_ms <= 0)
        s->cfg.request_timeout_ms = 20000;
    if (s->cfg.stall_s <= 0)
        s->cfg.stall_s = 10;
    if (s->cfg.dir_listening_ms <= 0)
        s->cfg.dir_listening_ms = 30000;
    if (s->cfg.listen_retry_ms == 0)
        s->cfg.listen_retry_ms = 1000;
    if (s->cfg.status_every_ms == 0)
        s->cfg.status_every_ms = 60000;
    kiosk_report_init(&s->report);
    snprintf(s->server, sizeof(s->server), "%s", cfg->server ? cfg->server : "");
    size_t sl = strlen(s->server);
    while (sl && s->server[sl - 1] == '/')
        s->server[--sl] = '\0';
    snprintf(s->auth, sizeof(s->auth), "Authorization: Bearer %s", cfg->token ? cfg->token : "");
    curl_global_init(CURL_GLOBAL_DEFAULT);
    s->curl = curl_easy_init();
    if (!s->curl)
        goto out_free;
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_mutex_init(&s->mu, NULL);
    pthread_cond_init(&s->cv, &ca);
    pthread_cond_init(&s->acked, &ca);
    pthread_condattr_destroy(&ca);
    note_store(s);
    size_t len = 0;
    char *last = store_get_dir(s->cfg.store, &len, s->etag, sizeof(s->etag));
    if (last) {
        char etag[128];
        snprintf(etag, sizeof(etag), "%s", s->etag);
        s->etag[0] = '\0';
        dir_arrived(s, last, len, etag, false);
        free(last);
    }
    if (pthread_create(&s->th, NULL, run, s) != 0) {
        dir_free(s->fresh);
        curl_easy_cleanup(s->curl);
        goto out_free;
    }
    if (s->cfg.dir_every_ms >= 0 && s->cfg.listen_retry_ms > 0) {
        char url[1024];
        snprintf(url, sizeof(url), "%s/api/v1/events", s->server);
        struct listen_config lc = {.url = url,
                                   .auth = s->auth,
                                   .retry_base_ms = s->cfg.listen_retry_ms,
                                   .retry_cap_ms = listen_cap_ms(s->cfg.listen_retry_ms),
                                   .connect_timeout_ms = s->cfg.connect_timeout_ms,
                                   .on_news = on_listen,
                                   .ctx = s};
        s->ear = listen_start(&lc); /* without it, the directory is polled as before */
        if (!s->ear)
            fprintf(stderr, "kiosk: sync: live directory stream not started; polling\n");
    }
    return s;
out_free:
    if (s)
        community_cache_free(s->comm);
    free(s);
    return NULL;
}

void sync_stop(struct sync *s)
{
    if (!s)
        return;
    listen_stop(s->ear); /* first: its news takes the sync's lock */
    s->quitting = true;
    pthread_mutex_lock(&s->mu);
    s->stop = true;
    pthread_cond_broadcast(&s->cv);
    pthread_mutex_unlock(&s->mu);
    pthread_join(s->th, NULL);
    curl_easy_cleanup(s->curl);
    dir_free(s->fresh);
    community_cache_free(s->comm);
    pthread_cond_destroy(&s->cv);
    pthread_cond_destroy(&s->acked);
    pthread_mutex_destroy(&s->mu);
    free(s);
}

static void wake(struct sync *s, bool now)
{
    pthread_mutex_lock(&s->mu);
    s->woken = true;
    s->now |= now;
    pthread_cond_signal(&s->cv);
    pthread_mutex_unlock(&s->mu);
}

void sync_wake(struct sync *s)
{
    wake(s, false);
}

void sync_wake_now(struct sync *s)
{
    wake(s, true);
}

/* *t from the ring of recent acknowledgements; s->mu held. */
static bool recent_locked(const struct sync *s, const char *id, struct ticket *t)
{
    for (int i = 0; i < RECENT; i++)
        if (strcmp(s->recent[i].id, id) == 0) {
            *t = s->recent[i].t;
            return true;
        }
    return false;
}

int sync_wait_result(struct sync *s, const char *id, int timeout_ms, struct ticket *t)
{
    if (store_result(s->cfg.store, id, t) == 1) /* acknowledged before this sync started */
        return 1;
    struct timespec ts;
    deadline_in(&ts, timeout_ms);
    bool got = false;
    pthread_mutex_lock(&s->mu); /* held while checking, so no broadcast is missed */
    while (!(got = recent_locked(s, id, t)) && s->online)
        if (pthread_cond_timedwait(&s->acked, &s->mu, &ts) != 0) {
            got = recent_locked(s, id, t);
            break;
        }
    pthread_mutex_unlock(&s->mu);
    return got;
}

int sync_poll_result(struct sync *s, const char *id, struct ticket *t)
{
    pthread_mutex_lock(&s->mu); /* the sync's own lock, never the store's */
    int rc = recent_locked(s, id, t) ? 1 : s->online && !s->backing_off ? 0 : -1;
    pthread_mutex_unlock(&s->mu);
    return rc;
}

void sync_get_status(struct sync *s, struct sync_status *out)
{
    pthread_mutex_lock(&s->mu); /* never the store's lock: see note_store */
    *out = s->store_seen;
    out->online = s->online;
    out->listening = s->listening;
    out->last_contact_ms = s->last_contact;
    snprintf(out->last_error, sizeof(out->last_error), "%s", s->last_error);
    pthread_mutex_unlock(&s->mu);
}

struct hub_dir *sync_take_dir(struct sync *s)
{
    pthread_mutex_lock(&s->mu);
    struct hub_dir *d = s->fresh;
    s->fresh = NULL;
    pthread_mutex_unlock(&s->mu);
    return d;
}

bool sync_take_community(struct sync *s, struct community_figs *out)
{
    return community_take(s->comm, out);
}
