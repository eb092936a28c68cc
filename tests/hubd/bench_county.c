/* bench_county.c — a county's load on hubd over loopback, for `make bench`.
 *
 *   bench_county checkins SECONDS URLS TOKENS   kiosks posting one check-in at a time, as a
 *       kiosk does: 4 threads per kiosk token (one token a line in the file TOKENS, one per
 *       hub), spread over the hubd URLS (comma separated); prints durable check-ins/s (201s)
 *   bench_county next URLS KIOSK TOKEN WORKER N THREADS   N residents checked in for WORKER
 *       (KIOSK's token), then THREADS callers of POST /workers/WORKER/next with reception
 *       TOKEN until all were called; prints calls/s and how many were called twice (must be 0)
 */
#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#define KIOSKS_PER_HUB 4
#define THREADS_MAX    512
#define URLS_MAX       4

static char urls[URLS_MAX][128];
static int n_urls;
static volatile int stop;

struct buf {
    char data[4096];
    size_t len;
};

static size_t keep(char *p, size_t size, size_t n, void *ud)
{
    struct buf *b = ud;
    size_t k = size * n;
    size_t room = sizeof(b->data) - 1 - b->len;
    memcpy(b->data + b->len, p, k < room ? k : room);
    b->len += k < room ? k : room;
    b->data[b->len] = '\0';
    return k;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void uuid4(char out[37])
{
    unsigned char b[16];
    if (getrandom(b, sizeof(b), 0) != (ssize_t)sizeof(b))
        memset(b, 7, sizeof(b));
    b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
    b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
    snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0],
             b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13],
             b[14], b[15]);
}

struct worker {
    pthread_t t;
    const char *token;
    const char *url;
    const char *path; /* next: the worker's path */
    long ok, failed;
    char (*called)[37]; /* next: ids called */
    long cap;
};

static CURL *handle(const char *token, struct curl_slist **h, struct buf *b)
{
    char auth[200];
    CURL *c = curl_easy_init();
    snprintf(auth, sizeof(auth), "Authorization: Bearer %s", token);
    *h = curl_slist_append(NULL, auth);
    *h = curl_slist_append(*h, "Content-Type: application/json");
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, *h);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, keep);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, b);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
    return c;
}

static void *kiosk(void *arg)
{
    struct worker *w = arg;
    struct curl_slist *h;
    struct buf b;
    char url[200], body[512], id[37];
    CURL *c = handle(w->token, &h, &b);
    snprintf(url, sizeof(url), "%s/api/v1/checkins", w->url);
    curl_easy_setopt(c, CURLOPT_URL, url);
    while (!stop) {
        uuid4(id);
        snprintf(body, sizeof(body),
                 "{\"id\":\"%s\",\"created_at\":\"2026-01-05T10:00:00Z\",\"lang\":\"en\","
                 "\"needs\":[\"rent_arrears\"],\"domains\":[\"housing\"],\"urgent\":false,"
                 "\"worker_id\":null,\"chosen_by\":\"router\",\"consent\":false}",
                 id);
        b.len = 0;
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
        long st = 0;
        if (curl_easy_perform(c) == CURLE_OK)
            curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &st);
        if (st == 201)
            w->ok++;
        else
            w->failed++;
    }
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
    return NULL;
}

static void *caller(void *arg)
{
    struct worker *w = arg;
    struct curl_slist *h;
    struct buf b;
    char url[300];
    CURL *c = handle(w->token, &h, &b);
    snprintf(url, sizeof(url), "%s%s", w->url, w->path);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, "");
    while (!stop && w->ok < w->cap) {
        b.len = 0;
        long st = 0;
        if (curl_easy_perform(c) == CURLE_OK)
            curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &st);
        const char *p = st == 200 ? strstr(b.data, "\"checkin\":{") : NULL;
        const char *id = p ? strstr(p, "\"id\":\"") : NULL;
        if (id) {
            snprintf(w->called[w->ok++], 37, "%.36s", id + 6);
        } else if (st == 200) {
            break; /* nobody waits any more */
        } else {
            w->failed++;
        }
    }
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
    return NULL;
}

static int cmp(const void *a, const void *b)
{
    return strcmp(a, b);
}

/* N check-ins for worker, in batches of 100 through the first hubd. 0 or -1. */
static int fill(const char *kiosk_token, const char *worker, long n)
{
    struct curl_slist *h;
    struct buf b;
    char url[200], id[37];
    size_t cap = 100 * 400 + 8;
    char *body = malloc(cap);
    CURL *c = handle(kiosk_token, &h, &b);
    snprintf(url, sizeof(url), "%s/api/v1/checkins", urls[0]);
    curl_easy_setopt(c, CURLOPT_URL, url);
    int rc = body ? 0 : -1;
    for (long done = 0; rc == 0 && done < n; done += 100) {
        size_t len = 0;
        body[len++] = '[';
        for (long i = done; i < n && i < done + 100; i++) {
            uuid4(id);
            len += (size_t)snprintf(body + len, cap - len,
                                    "%s{\"id\":\"%s\",\"created_at\":\"2026-01-05T10:00:00Z\","
                                    "\"lang\":\"en\",\"needs\":[],\"domains\":[\"housing\"],"
                                    "\"urgent\":%s,\"worker_id\":\"%s\",\"chosen_by\":\"router\","
                                    "\"consent\":false}",
                                    i > done ? "," : "", id, i % 10 ? "false" : "true", worker);
        }
        body[len++] = ']';
        body[len] = '\0';
        b.len = 0;
        long st = 0;
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
        if (curl_easy_perform(c) != CURLE_OK ||
            curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &st) != CURLE_OK || st != 200)
            rc = -1;
    }
    free(body);
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
    return rc;
}

static int run_next(const char *kiosk_token, const char *token, const char *worker, long n,
                    int threads)
{
    static struct worker ws[THREADS_MAX];
    char path[200];
    if (fill(kiosk_token, worker, n) < 0) {
        fprintf(stderr, "bench_county: cannot check the residents in\n");
        return 2;
    }
    char(*all)[37] = calloc((size_t)n * 2 + 1, 37);
    if (!all || threads < 1 || threads > THREADS_MAX)
        return 2;
    snprintf(path, sizeof(path), "/api/v1/workers/%s/next", worker);
    double t0 = now_s();
    for (int i = 0; i < threads; i++) {
        ws[i] = (struct worker){.token = token, .url = urls[i % n_urls], .path = path, .cap = n};
        ws[i].called = calloc((size_t)n, 37);
        pthread_create(&ws[i].t, NULL, caller, &ws[i]);
    }
    long total = 0, failed = 0;
    for (int i = 0; i < threads; i++) {
        pthread_join(ws[i].t, NULL);
        for (long k = 0; k < ws[i].ok && total < n * 2; k++)
            memcpy(all[total++], ws[i].called[k], 37);
        failed += ws[i].failed;
        free(ws[i].called);
    }
    double secs = now_s() - t0;
    qsort(all, (size_t)total, 37, cmp);
    long twice = 0;
    for (long i = 1; i < total; i++)
        twice += strcmp(all[i], all[i - 1]) == 0;
    printf("call next: %ld residents called by %d callers on %d hubd in %.2f s: %.0f calls/s,"
           " %ld called twice, %ld failed\n",
           total, threads, n_urls, secs, (double)total / secs, twice, failed);
    free(all);
    return twice == 0 && total == n ? 0 : 1;
}

static int run_checkins(double seconds, const char *tokens_file)
{
    static struct worker ws[THREADS_MAX];
    static char tokens[THREADS_MAX / KIOSKS_PER_HUB][80];
    int n_tok = 0, n = 0;
    FILE *f = fopen(tokens_file, "r");
    if (!f)
        return 2;
    while (n_tok < THREADS_MAX / KIOSKS_PER_HUB && fgets(tokens[n_tok], 80, f)) {
        tokens[n_tok][strcspn(tokens[n_tok], "\n")] = '\0';
        if (tokens[n_tok][0])
            n_tok++;
    }
    fclose(f);
    for (int i = 0; i < n_tok; i++)
        for (int k = 0; k < KIOSKS_PER_HUB; k++, n++) {
            ws[n] = (struct worker){.token = tokens[i], .url = urls[n % n_urls]};
            pthread_create(&ws[n].t, NULL, kiosk, &ws[n]);
        }
    double t0 = now_s();
    struct timespec d = {.tv_sec = (time_t)seconds,
                         .tv_nsec = (long)((seconds - (double)(time_t)seconds) * 1e9)};
    nanosleep(&d, NULL);
    stop = 1;
    long ok = 0, failed = 0;
    for (int i = 0; i < n; i++) {
        pthread_join(ws[i].t, NULL);
        ok += ws[i].ok;
        failed += ws[i].failed;
    }
    double secs = now_s() - t0;
    printf("check-ins: %d kiosk tokens x %d threads on %d hubd: %ld stored (201) in %.1f s: "
           "%.0f durable check-ins/s, %ld not stored\n",
           n_tok, KIOSKS_PER_HUB, n_urls, ok, secs, (double)ok / secs, failed);
    return 0;
}

static void parse_urls(const char *s)
{
    while (*s && n_urls < URLS_MAX) {
        size_t len = strcspn(s, ",");
        snprintf(urls[n_urls++], sizeof(urls[0]), "%.*s", (int)len, s);
        s += len + (s[len] == ',');
    }
}

int main(int argc, char **argv)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    if (argc == 5 && !strcmp(argv[1], "checkins")) {
        parse_urls(argv[3]);
        return run_checkins(strtod(argv[2], NULL), argv[4]);
    }
    if (argc == 8 && !strcmp(argv[1], "next")) {
        parse_urls(argv[2]);
        return run_next(argv[3], argv[4], argv[5], strtol(argv[6], NULL, 10),
                        (int)strtol(argv[7], NULL, 10));
    }
    fprintf(stderr, "usage: bench_county checkins SECONDS URLS TOKENS\n"
                    "       bench_county next URLS KIOSK TOKEN WORKER N THREADS\n");
    return 2;
}
