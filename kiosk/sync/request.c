/* request.c — one request of the sync to hubd (libcurl): the token, the timeouts, a stall cut
 * short, the abort at sync_stop, the response in proto's capped buffer, and what it says of
 * hubd's reachability for staff. */
#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "sync_state.h"

int64_t sync_wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static size_t on_body(char *data, size_t size, size_t n, void *ctx)
{
    struct sync_resp *r = ctx;
    size_t k = size * n;
    return buf_add(&r->body, data, k) == 0 ? k : 0; /* 0 aborts: over the cap, or no memory */
}

static int on_progress(void *ctx, curl_off_t dt, curl_off_t dn, curl_off_t ut, curl_off_t un)
{
    const struct sync *s = ctx;
    return s->quitting ? 1 : 0;
}

static size_t on_header(char *data, size_t size, size_t n, void *ctx)
{
    struct sync_resp *b = ctx;
    size_t k = size * n;
    if (k > 5 && strncasecmp(data, "etag:", 5) == 0) {
        size_t i = 5, j = k;
        while (i < k && (data[i] == ' ' || data[i] == '\t'))
            i++;
        while (j > i && (data[j - 1] == '\r' || data[j - 1] == '\n' || data[j - 1] == ' '))
            j--;
        if (j - i < sizeof(b->etag)) {
            memcpy(b->etag, data + i, j - i);
            b->etag[j - i] = '\0';
        }
    }
    return k;
}

/* One request to the server. Returns the HTTP status (body in b, the caller frees it with
 * buf_free), or -1. quiet: an error status is not the staff's last error. b starts empty for
 * every request, so nothing of an earlier answer (one cut short, or refused for its size) is
 * ever read with the next. */
static long request(struct sync *s, const char *path, const char *body, const char *etag,
                    struct sync_resp *b, bool quiet)
{
    char url[1024], inm[200];
    struct curl_slist *h = NULL;
    CURL *c = s->curl;
    buf_init(&b->body, SYNC_BODY_CAP);
    b->etag[0] = '\0';
    snprintf(url, sizeof(url), "%s%s", s->server, path);
    curl_easy_reset(c);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, (long)s->cfg.connect_timeout_ms);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)s->cfg.request_timeout_ms);
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 64L);                 /* bytes/s below which ... */
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, (long)s->cfg.stall_s); /* ... aborts a stall */
    curl_easy_setopt(c, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(c, CURLOPT_TCP_KEEPIDLE, 30L);
    curl_easy_setopt(c, CURLOPT_TCP_KEEPINTVL, 10L);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)SYNC_BODY_CAP);
    h = curl_slist_append(h, s->auth);
    h = curl_slist_append(h, "Expect:");
    if (body) {
        h = curl_slist_append(h, "Content-Type: application/json");
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(body));
    }
    if (etag && etag[0]) {
        snprintf(inm, sizeof(inm), "If-None-Match: %s", etag);
        h = curl_slist_append(h, inm);
    }
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, b);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, b);
    curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(c, CURLOPT_XFERINFODATA, s);
    CURLcode rc = curl_easy_perform(c);
    long status = -1;
    if (rc == CURLE_FILESIZE_EXCEEDED) /* its Content-Length said so before a byte of it */
        b->body.toobig = true;
    if (rc == CURLE_OK)
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    else if (b->body.toobig)
        fprintf(stderr, "kiosk: sync: %s: response over %d bytes, dropped\n", path, SYNC_BODY_CAP);
    bool up = status > 0 || b->body.toobig; /* too big: hubd did answer */
    if (rc != CURLE_OK) {                   /* nothing of a transfer that failed is read */
        bool toobig = b->body.toobig;
        buf_free(&b->body);
        b->body.toobig = toobig;
    }
    if (!up && s->quitting) { /* our own shutdown cut it: says nothing about hubd */
        curl_slist_free_all(h);
        return status;
    }
    pthread_mutex_lock(&s->mu);
    bool was = s->online;
    s->online = up;
    if (up)
        s->last_contact = sync_wall_ms();
    if (rc != CURLE_OK)
        snprintf(s->last_error, sizeof(s->last_error), "%s: %s", path, curl_easy_strerror(rc));
    else if (status >= 400 && !quiet)
        snprintf(s->last_error, sizeof(s->last_error), "%s: HTTP %ld", path, status);
    else if (status < 400)
        s->last_error[0] = '\0';
    pthread_mutex_unlock(&s->mu);
    if (was != up && up) /* once per change, not once per attempt */
        fprintf(stderr, "kiosk: sync: hubd reachable at %s\n", s->server);
    else if (was != up)
        fprintf(stderr, "kiosk: sync: hubd unreachable at %s (%s); check-ins queue locally\n",
                s->server, curl_easy_strerror(rc));
    curl_slist_free_all(h);
    return status;
}

long sync_request(struct sync *s, const char *path, const char *body, const char *etag,
                  struct sync_resp *r)
{
    return request(s, path, body, etag, r, false);
}

long sync_request_quiet(struct sync *s, const char *path, const char *body, struct sync_resp *r)
{
    return request(s, path, body, NULL, r, true);
}
