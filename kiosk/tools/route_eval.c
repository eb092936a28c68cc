/* route_eval.c — measures the router on labelled sets (tests/data, JSON Lines), a split of them or
 * all, and lists the misses; --check gates on targets. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "asks.h"
#include "feat.h"
#include "proto/paths.h"
#include "router.h"
#include "proto/buf.h"
#include "util.h"

#define DATA_MAX (32u << 20)

/* Figures of one language (or of all). */
struct tally {
    int total, on_topic, primary_ok, set_ok;
    int urgent, urgent_hit, calm, false_urgent;
    int off_topic, off_topic_ok;
};

struct eval {
    struct router *r;
    struct hub_dir *dir;
    int asked_worker, asked_worker_ok, asked_lang, asked_lang_ok, asked_none, asked_none_wrong;
    int split; /* -1 all, else enum feat_split */
    bool verbose;
    struct tally all, en, cy;
};

static unsigned label_mask(const cJSON *doms, int *primary)
{
    unsigned mask = 0;
    *primary = -1;
    const cJSON *d;
    cJSON_ArrayForEach(d, doms)
    {
        int x = cJSON_IsString(d) ? domain_parse(d->valuestring) : -1;
        if (x < 0)
            continue;
        if (*primary < 0)
            *primary = x;
        mask |= 1u << x;
    }
    return mask;
}

static void print_miss(const char *why, const char *text, const struct route_result *rr,
                       const struct taxonomy *tax)
{
    printf("MISS %-13s %s  ->", why, text);
    for (int i = 0; i < rr->n_domains; i++)
        printf(" %s", domain_name(rr->domains[i]));
    printf(" [");
    for (int i = 0; i < rr->n_needs; i++)
        printf("%s%s", i ? " " : "", tax->needs[rr->needs[i].need].id);
    printf("]%s\n", rr->urgent ? " URGENT" : "");
}

static void count(struct tally *t, unsigned want, unsigned got, int primary,
                  const struct route_result *rr, bool is_urgent)
{
    t->total++;
    t->set_ok += want == got;
    if (primary >= 0) {
        t->on_topic++;
        t->primary_ok += rr->n_domains > 0 && rr->domains[0] == primary;
    } else {
        t->off_topic++;
        t->off_topic_ok += rr->n_needs == 0;
    }
    if (is_urgent) {
        t->urgent++;
        t->urgent_hit += rr->urgent;
    } else {
        t->calm++;
        t->false_urgent += rr->urgent;
    }
}

static int eval_line(struct eval *ev, const char *line)
{
    cJSON *o = cJSON_Parse(line);
    const cJSON *text = cJSON_GetObjectItemCaseSensitive(o, "text");
    const cJSON *doms = cJSON_GetObjectItemCaseSensitive(o, "domains");
    const cJSON *urg = cJSON_GetObjectItemCaseSensitive(o, "urgent");
    const cJSON *lang = cJSON_GetObjectItemCaseSensitive(o, "lang");
    if (!cJSON_IsString(text) || !cJSON_IsArray(doms) || !cJSON_IsBool(urg)) {
        cJSON_Delete(o);
        return -1;
    }
    size_t len = strlen(text->valuestring);
    if (ev->split >= 0 && (int)feat_split_of(text->valuestring, len) != ev->split) {
        cJSON_Delete(o);
        return 0;
    }
    struct route_result rr;
    route_text(ev->r, text->valuestring, len, cJSON_IsString(lang) ? lang->valuestring : "en", &rr);
    const struct taxonomy *tax = router_taxonomy(ev->r);
    int primary;
    unsigned want = label_mask(doms, &primary), got = 0;
    for (int i = 0; i < rr.n_domains; i++)
        got |= 1u << rr.domains[i];
    bool is_urgent = cJSON_IsTrue(urg);
    bool welsh = cJSON_IsString(lang) && strcmp(lang->valuestring, "cy") == 0;
    count(&ev->all, want, got, primary, &rr, is_urgent);
    count(welsh ? &ev->cy : &ev->en, want, got, primary, &rr, is_urgent);
    if (ev->verbose) {
        if (is_urgent && !rr.urgent)
            print_miss("urgent-missed", text->valuestring, &rr, tax);
        else if (!is_urgent && rr.urgent)
            print_miss("false-urgent", text->valuestring, &rr, tax);
        else if (primary < 0 && rr.n_needs > 0)
            print_miss("off-topic", text->valuestring, &rr, tax);
        else if (want != got)
            print_miss("domain-set", text->valuestring, &rr, tax);
        else if (primary >= 0 && rr.domains[0] != primary)
            print_miss("primary", text->valuestring, &rr, tax);
    }
    /* Who and which language the resident asked for, where the line says. */
    const cJSON *want_worker = cJSON_GetObjectItemCaseSensitive(o, "worker");
    const cJSON *want_lang = cJSON_GetObjectItemCaseSensitive(o, "language");
    struct route_asks asks;
    route_asks(ev->r, ev->dir, text->valuestring, len, &asks);
    const char *got_worker = asks.worker >= 0 ? ev->dir->workers[asks.worker].id : "";
    if (cJSON_IsString(want_worker)) {
        ev->asked_worker++;
        bool ok = strcmp(got_worker, want_worker->valuestring) == 0;
        ev->asked_worker_ok += ok;
        if (!ok && ev->verbose)
            printf("MISS asked-worker  %s  -> %s\n", text->valuestring, got_worker);
    } else if (!cJSON_IsString(want_lang) && cJSON_GetObjectItemCaseSensitive(o, "tags")) {
        ev->asked_none++;
        ev->asked_none_wrong += got_worker[0] != '\0';
        if (got_worker[0] && ev->verbose)
            printf("MISS worker-named  %s  -> %s\n", text->valuestring, got_worker);
    }
    if (cJSON_IsString(want_lang)) {
        ev->asked_lang++;
        bool ok =
            strcmp(asks.lang, want_lang->valuestring) == 0 || (asks.interpreter && !asks.lang[0]);
        ev->asked_lang_ok += ok;
        if (!ok && ev->verbose)
            printf("MISS asked-lang    %s  -> %s\n", text->valuestring, asks.lang);
    }
    cJSON_Delete(o);
    return 0;
}

static int eval_file(struct eval *ev, const char *file)
{
    char err[256];
    size_t len;
    char *data = buf_read_file(file, DATA_MAX, &len, err, sizeof(err));
    if (!data) {
        fprintf(stderr, "route-eval: %s\n", err);
        return -1;
    }
    int lineno = 0, bad = 0;
    for (char *line = data, *end; line < data + len; line = end + 1) {
        end = strchr(line, '\n');
        if (!end)
            end = data + len;
        *end = '\0';
        lineno++;
        if (line[0] && eval_line(ev, line) < 0) {
            fprintf(stderr, "route-eval: %s:%d: not a labelled utterance\n", file, lineno);
            bad++;
        }
    }
    free(data);
    return bad ? -1 : 0;
}

static double pct(int a, int b)
{
    return b ? 100.0 * a / b : 100.0;
}

static void print_tally(const char *name, const struct tally *t)
{
    printf("%-8s %5d  primary %5.1f%%  set %5.1f%%  urgent recall %5.1f%% (%d/%d)  false urgent "
           "%4.1f%% (%d/%d)  off-topic %5.1f%% (%d/%d)\n",
           name, t->total, pct(t->primary_ok, t->on_topic), pct(t->set_ok, t->total),
           pct(t->urgent_hit, t->urgent), t->urgent_hit, t->urgent, pct(t->false_urgent, t->calm),
           t->false_urgent, t->calm, pct(t->off_topic_ok, t->off_topic), t->off_topic_ok,
           t->off_topic);
}

/* Targets for --check: what the router must keep on the set it is gated on. */
struct targets {
    double primary, set, recall, false_urgent, off_topic, welsh_primary;
};

static bool below(const struct eval *ev, const struct targets *g)
{
    const struct tally *t = &ev->all;
    bool fail = false;
#define GATE(cond, what, value, target)                                                            \
    if (cond) {                                                                                    \
        printf("route-eval: %s %.1f%% misses its target %.1f%%\n", what, value, target);           \
        fail = true;                                                                               \
    }
    double v;
    v = pct(t->primary_ok, t->on_topic);
    GATE(v < g->primary, "primary domain", v, g->primary);
    v = pct(t->set_ok, t->total);
    GATE(v < g->set, "exact domain set", v, g->set);
    v = pct(t->urgent_hit, t->urgent);
    GATE(v < g->recall, "urgent recall", v, g->recall);
    v = pct(t->false_urgent, t->calm);
    GATE(v > g->false_urgent, "false urgent", v, g->false_urgent);
    v = pct(t->off_topic_ok, t->off_topic);
    GATE(v < g->off_topic, "off-topic to reception", v, g->off_topic);
    v = pct(ev->cy.primary_ok, ev->cy.on_topic);
    GATE(ev->cy.on_topic && v < g->welsh_primary, "welsh primary domain", v, g->welsh_primary);
#undef GATE
    return fail;
}

static int usage(void)
{
    fprintf(stderr,
            "usage: route-eval [--check] [--gate P,S,R,F,O,W] [--quiet] [--split test|val|train]\n"
            "                  [--no-model] [--model FILE] FILE.jsonl...\n"
            "--gate: floors for --check: primary, exact set, urgent recall, most false urgent,\n"
            "off-topic to reception, Welsh primary, in percent (default the targets\n"
            "90,75,95,5,90,90).\n");
    return 2;
}

int main(int argc, char **argv)
{
    bool check = false, no_model = false;
    /* The gate --check applies, by default the targets; --gate sets floors of its own. */
    struct targets gate = {.primary = 90.0,
                           .set = 75.0,
                           .recall = 95.0,
                           .false_urgent = 5.0,
                           .off_topic = 90.0,
                           .welsh_primary = 90.0};
    const char *model = NULL;
    struct eval ev = {.split = -1, .verbose = true};
    int first_file = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--check") == 0)
            check = true;
        else if (strcmp(argv[i], "--quiet") == 0)
            ev.verbose = false;
        else if (strcmp(argv[i], "--no-model") == 0)
            no_model = true;
        else if (strcmp(argv[i], "--gate") == 0 && i + 1 < argc) {
            if (sscanf(argv[++i], "%lf,%lf,%lf,%lf,%lf,%lf", &gate.primary, &gate.set, &gate.recall,
                       &gate.false_urgent, &gate.off_topic, &gate.welsh_primary) != 6)
                return usage();
        } else if (strcmp(argv[i], "--model") == 0 && i + 1 < argc)
            model = argv[++i];
        else if (strcmp(argv[i], "--split") == 0 && i + 1 < argc) {
            const char *s = argv[++i];
            ev.split = strcmp(s, "test") == 0    ? SPLIT_TEST
                       : strcmp(s, "val") == 0   ? SPLIT_VAL
                       : strcmp(s, "train") == 0 ? SPLIT_TRAIN
                                                 : -2;
            if (ev.split == -2)
                return usage();
        } else if (argv[i][0] != '-') {
            if (!first_file)
                first_file = i;
        } else
            return usage();
    }
    if (!first_file)
        return usage();
    char assets[1100], locales[1100], err[256];
    if (paths_data_dirs(assets, locales, sizeof(assets)) < 0) {
        fprintf(stderr, "route-eval: cannot find assets/needs.json (set HUB_ROOT)\n");
        return 2;
    }
    ev.r = router_new(assets, locales, err, sizeof(err));
    if (!ev.r || (model && router_load_model(ev.r, model, err, sizeof(err)) < 0)) {
        fprintf(stderr, "route-eval: %s\n", err);
        router_free(ev.r);
        return 2;
    }
    router_use_model(ev.r, !no_model);
    char dir_path[1200];
    snprintf(dir_path, sizeof(dir_path), "%s/demo-hub.json", assets);
    if (!(ev.dir = dir_load_file(dir_path, err, sizeof(err)))) {
        fprintf(stderr, "route-eval: %s\n", err);
        router_free(ev.r);
        return 2;
    }
    int bad = 0;
    for (int i = first_file; i < argc; i++) {
        if (argv[i][0] == '-') {
            i += strcmp(argv[i], "--model") == 0 || strcmp(argv[i], "--split") == 0 ||
                 strcmp(argv[i], "--gate") == 0;
            continue;
        }
        bad |= eval_file(&ev, argv[i]) < 0;
    }
    printf("router: %s\n",
           router_has_model(ev.r) && !no_model ? "vocabulary + learned model" : "vocabulary alone");
    print_tally("all", &ev.all);
    print_tally("english", &ev.en);
    print_tally("welsh", &ev.cy);
    printf("asked for a worker by name %d/%d; a language or interpreter %d/%d; a worker named "
           "where none was asked %d/%d\n",
           ev.asked_worker_ok, ev.asked_worker, ev.asked_lang_ok, ev.asked_lang,
           ev.asked_none_wrong, ev.asked_none);
    dir_free(ev.dir);
    router_free(ev.r);
    if (bad)
        return 1;
    if (check && below(&ev, &gate)) {
        printf("route-eval: below target\n");
        return 1;
    }
    return 0;
}
