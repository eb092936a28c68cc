/* bench_router.c — router throughput and latency over the dev set repeated, on one core. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "directory.h"
#include "matcher.h"
#include "router.h"
#include "proto/buf.h"
#include "util.h"

#define ROUNDS 400

static double now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static long rss_kb(const char *field)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kb = -1;
    size_t fl = strlen(field);
    while (f && fgets(line, sizeof(line), f))
        if (strncmp(line, field, fl) == 0)
            kb = strtol(line + fl, NULL, 10);
    if (f)
        fclose(f);
    return kb;
}

/* The texts of a labelled JSONL file; *n gets the count. */
static char **load_texts(const char *path, int *n)
{
    char err[256];
    size_t len;
    char *data = buf_read_file(path, 16u << 20, &len, err, sizeof(err));
    if (!data) {
        fprintf(stderr, "bench: %s\n", err);
        return NULL;
    }
    char **texts = calloc(len / 8 + 1, sizeof(char *));
    *n = 0;
    char *save = NULL;
    for (char *line = strtok_r(data, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        cJSON *o = cJSON_Parse(line);
        const cJSON *t = cJSON_GetObjectItemCaseSensitive(o, "text");
        if (cJSON_IsString(t))
            texts[(*n)++] = strdup(t->valuestring);
        cJSON_Delete(o);
    }
    free(data);
    return texts;
}

int main(int argc, char **argv)
{
    const char *path = argc > 1 ? argv[1] : "tests/data/routing_dev.jsonl";
    char err[256];
    long rss_start = rss_kb("VmRSS:");
    struct router *r = router_new("assets", "locales", err, sizeof(err));
    struct hub_dir *dir = r ? dir_load_file("assets/demo-hub.json", err, sizeof(err)) : NULL;
    long rss_router = rss_kb("VmRSS:");
    int n = 0;
    char **texts = dir ? load_texts(path, &n) : NULL;
    if (!texts || n == 0) {
        fprintf(stderr, "bench: %s\n", r ? err : "cannot load the router");
        return 1;
    }
    /* The router with its learned model and the vocabulary alone, round by round in turn, so
     * both see the same machine at the same time. */
    long total = (long)n * ROUNDS;
    double *lat = malloc((size_t)total * sizeof(double));
    double *lat_lex = malloc((size_t)total * sizeof(double));
    struct route_result rr;
    for (int i = 0; i < n; i++) /* warm caches once */
        route_text(r, texts[i], strlen(texts[i]), "en", &rr);
    double elapsed = 0, elapsed_lex = 0;
    long k = 0, kl = 0;
    for (int round = 0; round < 2 * ROUNDS; round++) {
        bool model = round % 2 == 0;
        router_use_model(r, model);
        double *out = model ? lat : lat_lex;
        long *at = model ? &k : &kl;
        double t0 = now_us();
        for (int i = 0; i < n; i++, (*at)++) {
            double a = now_us();
            route_text(r, texts[i], strlen(texts[i]), (round / 2) & 1 ? "cy" : "en", &rr);
            out[*at] = now_us() - a;
        }
        *(model ? &elapsed : &elapsed_lex) += now_us() - t0;
    }
    router_use_model(r, true);
    /* route + match together, as the kiosk and hub-route do it */
    double t1 = now_us();
    for (int i = 0; i < n * 50; i++) {
        const char *s = texts[i % n];
        route_text(r, s, strlen(s), "en", &rr);
        int needs[ROUTE_MAX_NEEDS];
        for (int j = 0; j < rr.n_needs; j++)
            needs[j] = rr.needs[j].need;
        struct match_request req = {.tax = router_taxonomy(r),
                                    .needs = needs,
                                    .n_needs = rr.n_needs,
                                    .urgent = rr.urgent,
                                    .lang = rr.lang};
        struct match_result mr;
        match_worker(dir, &req, &mr);
    }
    double both = now_us() - t1;
    qsort(lat, (size_t)total, sizeof(double), cmp_double);
    qsort(lat_lex, (size_t)total, sizeof(double), cmp_double);
    printf("router: %d utterances x %d rounds = %ld calls on one core, each way\n", n, ROUNDS,
           total);
    printf("vocabulary alone            %10.0f utterances/s, p50 %.2f us, p99 %.2f us\n",
           (double)total / (elapsed_lex / 1e6), lat_lex[total / 2], lat_lex[total * 99 / 100]);
    printf("with the model / alone      %10.2f x the time per utterance (median)\n",
           lat[total / 2] / lat_lex[total / 2]);
    printf("router throughput      %10.0f utterances/s   (target >= 100000)\n",
           (double)total / (elapsed / 1e6));
    printf("router latency p50     %10.2f us\n", lat[total / 2]);
    printf("router latency p99     %10.2f us             (target < 50)\n", lat[total * 99 / 100]);
    printf("router latency max     %10.2f us\n", lat[total - 1]);
    printf("route + match          %10.0f utterances/s\n", (double)n * 50 / (both / 1e6));
    printf("resident memory        %10ld kB with the router loaded, %ld kB at start\n", rss_router,
           rss_start);
    printf("resident memory peak   %10ld kB, with the bench's own buffers (target < 20 MB)\n",
           rss_kb("VmHWM:"));
    for (int i = 0; i < n; i++)
        free(texts[i]);
    free(texts);
    free(lat);
    free(lat_lex);
    dir_free(dir);
    router_free(r);
    return 0;
}
