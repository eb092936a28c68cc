/* listen.c — the kiosk's stream of hubd's live board (see listen.h): a curl multi handle so
 * that listen_stop can cut a quiet stream at once, a line parser for Server-Sent Events with a
 * hard cap on a line, and reconnection with full-jitter back-off. */
#include "listen.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <time.h>

#define LINE_MAX_BYTES 2048  /* of one stream line we look at; longer ones are skipped */
#define KIND_MAX       32    /* bytes of an event's name, with its NUL */
#define STEADY_MS      30000 /* a stream that stayed open this long resets the back-off */
#define POLL_MS        1000  /* the longest curl_multi_poll between two looks at the stop flag */

struct listen {
    struct listen_config cfg;
    char url[1024], auth[600];
    pthread_t th;
    pthread_mutex_t mu;
    pthread_cond_t cv; /* wakes a back-off wait at listen_stop */
    _Atomic bool stop;
    CURLM *multi;
    CURL *easy;
    /* the stream being read (listener thread only) */
    bool up;      /* it answered 200 text/event-stream */
    long refused; /* the HTTP status when it did not */
    char line[LINE_MAX_BYTES];
    size_t n;
    bool overlong, after_cr, has_data;
    char kind[KIND_MAX];
};

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int64_t backoff_ms(const struct listen *l, int attempt)
{
    int64_t ceil = l->cfg.retry_base_ms;
    uint64_t r = 0;
    for (int i = 0; i < attempt && ceil < l->cfg.retry_cap_ms; i++)
        ceil *= 2;
    if (ceil > l->cfg.retry_cap_ms)
        ceil = l->cfg.retry_cap_ms;
    if (getrandom(&r, sizeof(r), GRND_NONBLOCK) != (ssize_t)sizeof(r))
        r = (uint64_t)mono_ms() * 6364136223846793005ULL + 1442695040888963407ULL;
    return (int64_t)(r % (uint64_t)(ceil + 1));
}

/* One whole line of the stream (without its end). A blank line ends a message: a `worker`
 * change, a `waiting` mark (a line of residents moved: the matcher's load) or a `resync` is
 * news; every other kind, and comments, are not. */
static void on_line(struct listen *l)
{
    if (l->overlong) {
        l->overlong = false; /* skipped, whatever it said */
    } else if (l->n == 0) {
        if (l->has_data && (strcmp(l->kind, "worker") == 0 || strcmp(l->kind, "waiting") == 0 ||
                            strcmp(l->kind, "resync") == 0))
            l->cfg.on_news(l->cfg.ctx, LISTEN_CHANGE);
        l->kind[0] = '\0';
        l->has_data = false;
    } else if (l->n >= 6 && memcmp(l->line, "event:", 6) == 0) {
        size_t at = l->n > 6 && l->line[6] == ' ' ? 7 : 6, k = l->n - at;
        if (k >= sizeof(l->kind))
            k = 0; /* no kind of ours is that long */
        memcpy(l->kind, l->line + at, k);
        l->kind[k] = '\0';
    } else if (l->n >= 4 && memcmp(l->line, "data", 4) == 0 && (l->n == 4 || l->line[4] == ':')) {
        l->has_data = true;
    }
    l->n = 0;
}

/* The first bytes of an answer: a stream only when hubd said 200 text/event-stream. */
static bool accept_answer(struct listen *l)
{
    long status = 0;
    const char *type = NULL;
    curl_easy_getinfo(l->easy, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_getinfo(l->easy, CURLINFO_CONTENT_TYPE, &type);
    if (status != 200 || !type || strncasecmp(type, "text/event-stream", 17) != 0) {
        l->refused = status;
        return false;
    }
    l->up = true;
    l->cfg.on_news(l->cfg.ctx, LISTEN_UP);
    return true;
}

static size_t on_data(char *data, size_t size, size_t nmemb, void *ctx)
{
    struct listen *l = ctx;
    size_t k = size * nmemb;
    if (!l->up && !accept_answer(l))
        return 0; /* aborts: not a stream (an older hubd, or this token may not listen) */
    for (size_t i = 0; i < k; i++) {
        char c = data[i];
        if (l->after_cr && c == '\n') { /* CR LF is one line end */
            l->after_cr = false;
            continue;
        }
        l->after_cr = c == '\r';
        if (c == '\r' || c == '\n')
            on_line(l);
        else if (l->n < sizeof(l->line))
            l->line[l->n++] = c;
        else
            l->overlong = true;
    }
    return k;
}

/* Opens the stream and reads it until it ends, fails or listen_stop. Returns whether it was
 * ever open; *status is hubd's answer (0: none). */
static bool stream_once(struct listen *l, long *status)
{
    struct curl_slist *h = NULL;
    CURL *e = l->easy;
    int running = 1;
    curl_easy_reset(e);
    l->up = false;
    l->refused = 0;
    l->n = 0;
    l->overlong = l->after_cr = l->has_data = false;
    l->kind[0] = '\0';
    h = curl_slist_append(h, l->auth);
    h = curl_slist_append(h, "Accept: text/event-stream");
    curl_easy_setopt(e, CURLOPT_URL, l->url);
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, (long)l->cfg.connect_timeout_ms);
    curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, 1L); /* no byte, not even a heartbeat ... */
    curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, (long)l->cfg.quiet_s); /* ... for this long */
    curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, l);
    if (curl_multi_add_handle(l->multi, e) != CURLM_OK) {
        curl_slist_free_all(h);
        return false;
    }
    while (!l->stop && running) {
        if (curl_multi_perform(l->multi, &running) != CURLM_OK || !running)
            break;
        if (curl_multi_poll(l->multi, NULL, 0, POLL_MS, NULL) != CURLM_OK)
            break;
    }
    *status = l->refused;
    if (!*status)
        curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, status);
    curl_multi_remove_handle(l->multi, e);
    curl_slist_free_all(h);
    return l->up;
}

/* Sleeps ms, or less when listen_stop comes. */
static void pause_ms(struct listen *l, int64_t ms)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    ts.tv_sec += ms / 1000;
    ts.tv_nsec += (long)(ms % 1000) * 1000000L;
    if (ts.tv_nsec >= 1000000000L) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&l->mu);
    while (!l->stop)
        if (pthread_cond_timedwait(&l->cv, &l->mu, &ts) != 0)
            break;
    pthread_mutex_unlock(&l->mu);
}

static void *run(void *arg)
{
    struct listen *l = arg;
    int attempt = 0;
    long said = -1; /* the refusal last logged, so each is logged once */
    while (!l->stop) {
        long status = 0;
        int64_t t0 = mono_ms();
        bool was_up = stream_once(l, &status);
        if (l->stop)
            break;
        if (was_up) {
            l->cfg.on_news(l->cfg.ctx, LISTEN_DOWN);
            fprintf(stderr, "kiosk: sync: live directory stream ended; polling until it is back\n");
            said = -1;
            if (mono_ms() - t0 >= STEADY_MS)
                attempt = 0;
        } else if (status > 0 && status != said) {
            fprintf(stderr,
                    "kiosk: sync: hubd did not open the live directory stream (HTTP %ld: an "
                    "older hubd, or every stream taken); polling the directory\n",
                    status);
            said = status;
        }
        pause_ms(l, backoff_ms(l, attempt));
        if (attempt < 30)
            attempt++;
    }
    return NULL;
}

struct listen *listen_start(const struct listen_config *cfg)
{
    struct listen *l = calloc(1, sizeof(*l));
    pthread_condattr_t ca;
    if (!l || !cfg->on_news)
        goto out_free;
    l->cfg = *cfg;
    if (l->cfg.retry_base_ms <= 0)
        l->cfg.retry_base_ms = 1000;
    if (l->cfg.retry_cap_ms < l->cfg.retry_base_ms)
        l->cfg.retry_cap_ms = l->cfg.retry_base_ms;
    if (l->cfg.connect_timeout_ms <= 0)
        l->cfg.connect_timeout_ms = 5000;
    if (l->cfg.quiet_s <= 0)
        l->cfg.quiet_s = 15;
    snprintf(l->url, sizeof(l->url), "%s", cfg->url ? cfg->url : "");
    snprintf(l->auth, sizeof(l->auth), "%s", cfg->auth ? cfg->auth : "");
    l->multi = curl_multi_init();
    l->easy = curl_easy_init();
    if (!l->multi || !l->easy)
        goto out_curl;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_mutex_init(&l->mu, NULL);
    pthread_cond_init(&l->cv, &ca);
    pthread_condattr_destroy(&ca);
    if (pthread_create(&l->th, NULL, run, l) != 0) {
        pthread_cond_destroy(&l->cv);
        pthread_mutex_destroy(&l->mu);
        goto out_curl;
    }
    return l;
out_curl:
    if (l->easy)
        curl_easy_cleanup(l->easy);
    if (l->multi)
        curl_multi_cleanup(l->multi);
out_free:
    free(l);
    return NULL;
}

void listen_stop(struct listen *l)
{
    if (!l)
        return;
    pthread_mutex_lock(&l->mu);
    l->stop = true;
    pthread_cond_broadcast(&l->cv);
    pthread_mutex_unlock(&l->mu);
    curl_multi_wakeup(l->multi); /* out of curl_multi_poll at once */
    pthread_join(l->th, NULL);
    curl_easy_cleanup(l->easy);
    curl_multi_cleanup(l->multi);
    pthread_cond_destroy(&l->cv);
    pthread_mutex_destroy(&l->mu);
    free(l);
}
