/* hub_route.c — the router on the command line: one utterance a line in, one JSON line out. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "directory.h"
#include "asks.h"
#include "matcher.h"
#include "proto/paths.h"
#include "router.h"
#include "text.h"

#define LINE_MAX_BYTES (64 * 1024)

static void usage(FILE *f)
{
    fprintf(f, "usage: hub-route [--directory FILE] [--lang CODE]\n"
               "Reads one utterance a line on stdin and writes one JSON object a line:\n"
               "the needs, domains, urgency and the one worker to introduce the resident to.\n"
               "  --directory FILE  hub directory JSON (default: the demo hub)\n"
               "  --lang CODE       the language the resident chose on screen (en, cy)\n");
}

/* Reads one line (without its newline) into buf, keeping at most cap-1 bytes and dropping
 * the rest of an over-long line. Returns the length, or -1 at end of input. */
static long read_line(FILE *in, char *buf, size_t cap)
{
    size_t n = 0;
    int c;
    bool any = false;
    while ((c = getc(in)) != EOF) {
        any = true;
        if (c == '\n')
            break;
        if (n + 1 < cap)
            buf[n++] = (char)c;
    }
    if (!any)
        return -1;
    if (n > 0 && buf[n - 1] == '\r')
        n--;
    buf[n] = '\0';
    return (long)n;
}

/* A copy of s with invalid UTF-8 bytes replaced by U+FFFD, safe to put in JSON. */
static char *clean_utf8(const char *s, size_t len)
{
    char *out = malloc(len * 3 + 1);
    size_t w = 0, pos = 0;
    if (!out)
        return NULL;
    while (pos < len) {
        size_t ok = text_utf8_prefix(s + pos, len - pos);
        memcpy(out + w, s + pos, ok);
        w += ok;
        pos += ok;
        if (pos < len) {
            memcpy(out + w, "\xEF\xBF\xBD", 3);
            w += 3;
            pos++;
        }
    }
    out[w] = '\0';
    return out;
}

/* "asked": what the resident asked for besides needs: a worker by name, a language, an
 * interpreter, and who in today speaks that language. */
static void add_asks(cJSON *o, const struct hub_dir *dir, const struct route_asks *a)
{
    cJSON *x = cJSON_AddObjectToObject(o, "asked");
    if (a->worker >= 0)
        cJSON_AddStringToObject(x, "worker", dir->workers[a->worker].id);
    else
        cJSON_AddNullToObject(x, "worker");
    if (a->lang[0])
        cJSON_AddStringToObject(x, "language", a->lang);
    else
        cJSON_AddNullToObject(x, "language");
    cJSON_AddBoolToObject(x, "interpreter", a->interpreter);
    cJSON *sp = cJSON_AddArrayToObject(x, "speakers");
    for (int w = 0; a->lang[0] && w < dir->n_workers; w++)
        if (dir->workers[w].status != WS_OFF && worker_speaks(&dir->workers[w], a->lang))
            cJSON_AddItemToArray(sp, cJSON_CreateString(dir->workers[w].name));
}

/* True when the resident needs reception for language: an interpreter, or a language other
 * than the kiosk's own. */
static bool needs_language_help(const struct route_asks *a)
{
    return a->interpreter ||
           (a->lang[0] && strcmp(a->lang, "en") != 0 && strcmp(a->lang, "cy") != 0);
}

/* Reception for language: the sentence says which language and who speaks it. */
static void language_why(const struct hub_dir *dir, const struct route_asks *a,
                         struct match_result *mr)
{
    const char *name = asks_lang_name(a->lang);
    char who[256];
    int n = asks_speakers(dir, a->lang, who, sizeof(who));
    mr->worker = -1;
    if (!name)
        snprintf(mr->why, sizeof(mr->why),
                 "Reception will find an interpreter and introduce you to the right person.");
    else if (n)
        snprintf(mr->why, sizeof(mr->why),
                 "Reception will help you in %s: %s speaks %s and an interpreter can be found.",
                 name, who, name);
    else
        snprintf(mr->why, sizeof(mr->why), "Reception will find a %s interpreter for you.", name);
}

static cJSON *result_json(const struct taxonomy *tax, const struct hub_dir *dir, const char *text,
                          const struct route_result *rr, const struct match_result *mr,
                          const struct route_asks *asks)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "text", text);
    cJSON_AddStringToObject(o, "lang", rr->lang);
    cJSON *needs = cJSON_AddArrayToObject(o, "needs");
    for (int i = 0; i < rr->n_needs; i++) {
        const struct need_def *nd = &tax->needs[rr->needs[i].need];
        cJSON *n = cJSON_CreateObject();
        cJSON_AddStringToObject(n, "id", nd->id);
        cJSON_AddStringToObject(n, "domain", domain_name(nd->domains[0]));
        cJSON_AddNumberToObject(n, "score", (double)(int)(rr->needs[i].score * 1000) / 1000.0);
        cJSON_AddItemToArray(needs, n);
    }
    cJSON *doms = cJSON_AddArrayToObject(o, "domains");
    for (int i = 0; i < rr->n_domains; i++)
        cJSON_AddItemToArray(doms, cJSON_CreateString(domain_name(rr->domains[i])));
    cJSON_AddBoolToObject(o, "urgent", rr->urgent);
    cJSON_AddBoolToObject(o, "unsure", rr->unsure);
    if (mr->worker >= 0) {
        cJSON *w = cJSON_AddObjectToObject(o, "worker");
        cJSON_AddStringToObject(w, "id", dir->workers[mr->worker].id);
        cJSON_AddStringToObject(w, "name", dir->workers[mr->worker].name);
    } else {
        cJSON_AddNullToObject(o, "worker");
    }
    cJSON_AddStringToObject(o, "why", mr->why);
    add_asks(o, dir, asks);
    return o;
}

static int route_stream(struct router *r, const struct hub_dir *dir, const char *ui_lang)
{
    const struct taxonomy *tax = router_taxonomy(r);
    int *load = calloc((size_t)dir->n_workers + 1, sizeof(int));
    char *line = malloc(LINE_MAX_BYTES);
    int rc = 1;
    if (!load || !line) {
        fprintf(stderr, "hub-route: out of memory\n");
        goto out_free;
    }
    long len;
    while ((len = read_line(stdin, line, LINE_MAX_BYTES)) >= 0) {
        struct route_result rr;
        struct match_result mr;
        int needs[ROUTE_MAX_NEEDS];
        struct route_asks asks;
        route_text(r, line, (size_t)len, ui_lang, &rr);
        route_asks(r, dir, line, (size_t)len, &asks);
        for (int i = 0; i < rr.n_needs; i++)
            needs[i] = rr.needs[i].need;
        struct match_request req = {.tax = tax,
                                    .needs = needs,
                                    .n_needs = rr.n_needs,
                                    .urgent = rr.urgent,
                                    .lang = rr.lang,
                                    .load = load};
        if (asks.worker >= 0)
            req.chosen_worker_id = dir->workers[asks.worker].id; /* continuity: who they know */
        match_worker(dir, &req, &mr);
        if (!rr.urgent && needs_language_help(&asks))
            language_why(dir, &asks, &mr);
        if (mr.worker >= 0)
            load[mr.worker]++; /* spread later residents across equally good workers */
        char *text = clean_utf8(line, (size_t)len);
        cJSON *o = text ? result_json(tax, dir, text, &rr, &mr, &asks) : NULL;
        char *out = o ? cJSON_PrintUnformatted(o) : NULL;
        if (!out) {
            fprintf(stderr, "hub-route: out of memory\n");
            free(text);
            cJSON_Delete(o);
            goto out_free;
        }
        puts(out);
        cJSON_free(out);
        cJSON_Delete(o);
        free(text);
    }
    rc = fflush(stdout) == 0 ? 0 : 1;
out_free:
    free(line);
    free(load);
    return rc;
}

int main(int argc, char **argv)
{
    const char *dir_path = NULL, *ui_lang = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(argv[i], "--directory") == 0 && i + 1 < argc) {
            dir_path = argv[++i];
        } else if (strcmp(argv[i], "--lang") == 0 && i + 1 < argc) {
            ui_lang = argv[++i];
        } else {
            fprintf(stderr, "hub-route: unknown or incomplete argument '%s' (see --help)\n",
                    argv[i]);
            return 2;
        }
    }
    char assets[1100], locales[1100], err[256];
    if (paths_data_dirs(assets, locales, sizeof(assets)) < 0) {
        fprintf(stderr, "hub-route: cannot find assets/needs.json (set HUB_ROOT)\n");
        return 2;
    }
    char demo[1200];
    snprintf(demo, sizeof(demo), "%s/demo-hub.json", assets);
    struct router *r = router_new(assets, locales, err, sizeof(err));
    if (!r) {
        fprintf(stderr, "hub-route: %s\n", err);
        return 2;
    }
    struct hub_dir *dir = dir_load_file(dir_path ? dir_path : demo, err, sizeof(err));
    if (!dir) {
        fprintf(stderr, "hub-route: %s\n", err);
        router_free(r);
        return 2;
    }
    int rc = route_stream(r, dir, ui_lang);
    dir_free(dir);
    router_free(r);
    return rc;
}
