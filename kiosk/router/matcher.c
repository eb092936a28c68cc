/* matcher.c — choosing one named worker for a resident, and saying why in one sentence. */
#include "matcher.h"

#include <stdio.h>
#include <string.h>

struct rank {
    int needs_covered; /* needs covered by the worker's needs or domains */
    int domains_covered;
    bool speaks;
    int needs_listed; /* needs the worker names explicitly */
    int status;       /* 0 available .. 2 away */
    int load;
};

static int status_rank(enum worker_status s)
{
    return s == WS_AVAILABLE ? 0 : s == WS_BUSY ? 1 : 2;
}

/* Positive when a is the better choice, negative when b is; never 0 for a != b. */
static int compare(const struct rank *a, int ia, const struct rank *b, int ib)
{
    if (a->needs_covered != b->needs_covered)
        return a->needs_covered - b->needs_covered;
    if (a->domains_covered != b->domains_covered)
        return a->domains_covered - b->domains_covered;
    if (a->speaks != b->speaks)
        return a->speaks ? 1 : -1;
    if (a->needs_listed != b->needs_listed)
        return a->needs_listed - b->needs_listed;
    if (a->status != b->status)
        return b->status - a->status;
    if (a->load != b->load)
        return b->load - a->load;
    return ib - ia;
}

static int popcount(unsigned x)
{
    int n = 0;
    for (; x; x &= x - 1)
        n++;
    return n;
}

static struct rank rank_worker(const struct hub_dir *d, int i, const struct match_request *req)
{
    const struct worker *w = &d->workers[i];
    /* load: the caller's counts, else hubd's live waiting count from the directory */
    struct rank r = {.status = status_rank(w->status),
                     .load = req->load        ? req->load[i]
                             : w->waiting > 0 ? w->waiting
                                              : 0};
    unsigned wanted = 0;
    for (int k = 0; k < req->n_needs; k++) {
        const struct need_def *nd = &req->tax->needs[req->needs[k]];
        bool listed = worker_takes_need(w, nd->id);
        wanted |= nd->domain_mask;
        r.needs_listed += listed;
        r.needs_covered += listed || (w->domain_mask & nd->domain_mask);
    }
    r.domains_covered = popcount(wanted & w->domain_mask);
    r.speaks = req->lang == NULL || worker_speaks(w, req->lang);
    return r;
}

static const char *domain_words(int d)
{
    static const char *const words[DOMAIN_COUNT] = {"housing", "health", "money"};
    return d >= 0 && d < DOMAIN_COUNT ? words[d] : "other things";
}

static const char *lang_words(const char *code)
{
    if (!code)
        return NULL;
    if (strcmp(code, "cy") == 0)
        return "Welsh";
    if (strcmp(code, "en") == 0)
        return "English";
    return code;
}

static const char *status_words(enum worker_status s)
{
    switch (s) {
    case WS_AVAILABLE:
        return "is free now";
    case WS_BUSY:
        return "is with someone at the moment";
    default:
        return "is on a short break";
    }
}

/* "housing and money and benefits" style list of the domains in mask, in domain order. */
static void list_domains(unsigned mask, char *buf, size_t cap)
{
    size_t w = 0;
    int total = popcount(mask), seen = 0;
    buf[0] = '\0';
    for (int d = 0; d < DOMAIN_COUNT && w < cap; d++) {
        if (!(mask & (1u << d)))
            continue;
        const char *sep = seen == 0 ? "" : seen == total - 1 ? " and " : ", ";
        int n = snprintf(buf + w, cap - w, "%s%s", sep, domain_words(d));
        if (n < 0)
            break;
        w += (size_t)n;
        seen++;
    }
}

static void explain(const struct hub_dir *d, const struct match_request *req,
                    struct match_result *out)
{
    char have[96], missing[96], lang[48] = "";
    const struct worker *w = out->worker >= 0 ? &d->workers[out->worker] : NULL;
    list_domains(out->covered_mask, have, sizeof(have));
    list_domains(out->wanted_mask & ~out->covered_mask, missing, sizeof(missing));
    if (w && req->lang && strcmp(req->lang, "en") != 0 && out->speaks_lang)
        snprintf(lang, sizeof(lang), ", speaks %s", lang_words(req->lang));
    switch (out->reason) {
    case MATCH_COVERS_ALL:
        snprintf(out->why, sizeof(out->why), "%s helps with %s%s, and %s.", w->name, have, lang,
                 status_words(w->status));
        break;
    case MATCH_COVERS_SOME:
        snprintf(out->why, sizeof(out->why),
                 "Nobody in today covers everything: %s helps with %s%s, %s, and will bring in "
                 "a colleague for %s.",
                 w->name, have, lang, status_words(w->status), missing[0] ? missing : "the rest");
        break;
    case MATCH_CHOSEN:
        snprintf(out->why, sizeof(out->why), "You asked for %s, who is in today and %s.", w->name,
                 status_words(w->status));
        break;
    case MATCH_URGENT_DUTY:
        snprintf(out->why, sizeof(out->why),
                 "This is urgent, so %s, today's duty worker, will see you straight away.",
                 w->name);
        break;
    case MATCH_URGENT_RECEPTION:
        snprintf(out->why, sizeof(out->why),
                 "This is urgent and no duty worker is in, so reception will see you straight "
                 "away.");
        break;
    case MATCH_RECEPTION_UNSURE:
        snprintf(out->why, sizeof(out->why),
                 "We could not tell what you need from that, so reception will help you.");
        break;
    case MATCH_RECEPTION_NOBODY:
        snprintf(out->why, sizeof(out->why),
                 "Nobody in today helps with %s, so reception will find you the right person.",
                 missing[0] ? missing : "that");
        break;
    }
}

static int best_of(const struct hub_dir *d, const struct match_request *req, bool duty_only,
                   struct rank *best_rank)
{
    int best = -1;
    for (int i = 0; i < d->n_workers; i++) {
        const struct worker *w = &d->workers[i];
        if (w->status == WS_OFF || (duty_only && !w->duty))
            continue;
        struct rank r = rank_worker(d, i, req);
        if (best < 0 || compare(&r, i, best_rank, best) > 0) {
            best = i;
            *best_rank = r;
        }
    }
    return best;
}

int match_worker(const struct hub_dir *d, const struct match_request *req, struct match_result *out)
{
    if (!d || !req || !out || !req->tax || (req->n_needs > 0 && !req->needs))
        return -1;
    memset(out, 0, sizeof(*out));
    out->worker = -1;
    for (int k = 0; k < req->n_needs; k++)
        out->wanted_mask |= req->tax->needs[req->needs[k]].domain_mask;
    struct rank r;
    int chosen = dir_find(d, req->chosen_worker_id);
    if (req->urgent) {
        out->worker = best_of(d, req, true, &r);
        out->reason = out->worker >= 0 ? MATCH_URGENT_DUTY : MATCH_URGENT_RECEPTION;
    } else if (chosen >= 0 && d->workers[chosen].status != WS_OFF) {
        out->worker = chosen;
        out->reason = MATCH_CHOSEN;
        r = rank_worker(d, chosen, req);
    } else if (req->n_needs == 0) {
        out->reason = MATCH_RECEPTION_UNSURE;
    } else {
        int best = best_of(d, req, false, &r);
        if (best >= 0 && r.needs_covered > 0) {
            out->worker = best;
            out->reason = r.needs_covered == req->n_needs ? MATCH_COVERS_ALL : MATCH_COVERS_SOME;
        } else {
            out->reason = MATCH_RECEPTION_NOBODY;
        }
    }
    if (out->worker >= 0) {
        const struct worker *w = &d->workers[out->worker];
        out->covered_mask = out->wanted_mask & w->domain_mask;
        out->speaks_lang = req->lang && worker_speaks(w, req->lang);
    }
    explain(d, req, out);
    return 0;
}
