/* route_eval.c — measures the router on a labelled set (tests/data/NAME.jsonl) and lists misses. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "paths.h"
#include "router.h"
#include "util.h"

struct tally {
    int total, on_topic, primary_ok, set_ok;
    int urgent, urgent_hit, calm, false_urgent;
    int off_topic, off_topic_ok;
    int welsh, welsh_set_ok;
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

static int eval_line(struct router *r, const char *line, struct tally *t, bool verbose)
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
    struct route_result rr;
    route_text(r, text->valuestring, strlen(text->valuestring),
               cJSON_IsString(lang) ? lang->valuestring : "en", &rr);
    const struct taxonomy *tax = router_taxonomy(r);
    int primary;
    unsigned want = label_mask(doms, &primary), got = 0;
    for (int i = 0; i < rr.n_domains; i++)
        got |= 1u << rr.domains[i];
    bool is_urgent = cJSON_IsTrue(urg);
    bool welsh = cJSON_IsString(lang) && strcmp(lang->valuestring, "cy") == 0;
    t->total++;
    t->welsh += welsh;
    if (want == got) {
        t->set_ok++;
        t->welsh_set_ok += welsh;
    } else if (verbose) {
        print_miss("domain-set", text->valuestring, &rr, tax);
    }
    if (primary >= 0) {
        t->on_topic++;
        bool ok = rr.n_domains > 0 && rr.domains[0] == primary;
        t->primary_ok += ok;
        if (!ok && verbose && want == got)
            print_miss("primary", text->valuestring, &rr, tax);
    } else {
        t->off_topic++;
        t->off_topic_ok += rr.n_needs == 0;
    }
    if (is_urgent) {
        t->urgent++;
        t->urgent_hit += rr.urgent;
        if (!rr.urgent && verbose)
            print_miss("urgent-missed", text->valuestring, &rr, tax);
    } else {
        t->calm++;
        t->false_urgent += rr.urgent;
        if (rr.urgent && verbose)
            print_miss("false-urgent", text->valuestring, &rr, tax);
    }
    cJSON_Delete(o);
    return 0;
}

static double pct(int a, int b)
{
    return b ? 100.0 * a / b : 100.0;
}

int main(int argc, char **argv)
{
    bool check = false, verbose = true;
    const char *file = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--check") == 0)
            check = true;
        else if (strcmp(argv[i], "--quiet") == 0)
            verbose = false;
        else if (argv[i][0] != '-' && !file)
            file = argv[i];
        else {
            fprintf(stderr, "usage: route-eval [--check] [--quiet] FILE.jsonl\n");
            return 2;
        }
    }
    if (!file) {
        fprintf(stderr, "usage: route-eval [--check] [--quiet] FILE.jsonl\n");
        return 2;
    }
    char assets[1100], locales[1100], err[256];
    if (paths_data_dirs(assets, locales, sizeof(assets)) < 0) {
        fprintf(stderr, "route-eval: cannot find assets/needs.json (set HUB_ROOT)\n");
        return 2;
    }
    struct router *r = router_new(assets, locales, err, sizeof(err));
    size_t len;
    char *data = r ? util_read_file(file, 16u << 20, &len, err, sizeof(err)) : NULL;
    if (!data) {
        fprintf(stderr, "route-eval: %s\n", err);
        router_free(r);
        return 2;
    }
    struct tally t = {0};
    int lineno = 0, bad = 0;
    for (char *line = data, *end; line < data + len; line = end + 1) {
        end = strchr(line, '\n');
        if (!end)
            end = data + len;
        *end = '\0';
        lineno++;
        if (line[0] && eval_line(r, line, &t, verbose) < 0) {
            fprintf(stderr, "route-eval: %s:%d: not a labelled utterance\n", file, lineno);
            bad++;
        }
    }
    double primary = pct(t.primary_ok, t.on_topic), set = pct(t.set_ok, t.total);
    double recall = pct(t.urgent_hit, t.urgent), falseu = pct(t.false_urgent, t.calm);
    double off = pct(t.off_topic_ok, t.off_topic);
    printf("utterances %d (welsh %d, urgent %d, off-topic %d)\n", t.total, t.welsh, t.urgent,
           t.off_topic);
    printf("primary domain right   %6.1f%%  (%d/%d)  target >= 92%%\n", primary, t.primary_ok,
           t.on_topic);
    printf("exact domain set       %6.1f%%  (%d/%d)  target >= 85%%\n", set, t.set_ok, t.total);
    printf("welsh exact domain set %6.1f%%  (%d/%d)\n", pct(t.welsh_set_ok, t.welsh),
           t.welsh_set_ok, t.welsh);
    printf("urgent recall          %6.1f%%  (%d/%d)  target 100%%\n", recall, t.urgent_hit,
           t.urgent);
    printf("false urgent           %6.1f%%  (%d/%d)  target <= 2%%\n", falseu, t.false_urgent,
           t.calm);
    printf("off-topic to reception %6.1f%%  (%d/%d)  target >= 90%%\n", off, t.off_topic_ok,
           t.off_topic);
    free(data);
    router_free(r);
    if (bad)
        return 1;
    if (check && (primary < 92.0 || set < 85.0 || recall < 100.0 || falseu > 2.0 || off < 90.0)) {
        printf("route-eval: below target\n");
        return 1;
    }
    return 0;
}
