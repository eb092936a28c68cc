/* store_pg_put.c — storing check-ins on PostgreSQL. Each hub's committer hands its batch in;
 * one round stores every batch handed in so far, of whatever hubs, in one transaction of a
 * few statements whatever its size (each over arrays, one element a check-in or a hub): the
 * replays found, the hubs' lines read, the kiosks' tickets looked up, the hubs' own ticket
 * numbers taken, and every row inserted with its arrival event. */
#include "store_pg_int.h"

#include "proto/jsonv.h"
#include "dayend.h"
#include "stats.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define HANDOVERS_MAX 21 /* recent handovers a wait estimate looks at */
#define PUT_TRIES     4  /* inserts of one check-in whose ticket another hubd took meanwhile */

/* One hub's batch waiting for the next shared transaction (see pg_checkins_put). */
struct put_req {
    char hub[IDENT_MAX + 1];
    struct checkin *const *items;
    size_t n;
    struct checkin_result *out;
    int64_t now_ms;
    int rc;
    bool done;
    struct put_req *next;
};

/* A parameter's array literal ("{"a","b",NULL}"), grown as needed; oom once it could not. */
struct pg_arr {
    char *s;
    size_t len, cap;
    bool oom;
};

static void arr_put(struct pg_arr *a, const char *p, size_t n)
{
    if (a->oom)
        return;
    if (a->len + n + 3 > a->cap) {
        size_t cap = a->cap ? a->cap : 256;
        while (a->len + n + 3 > cap)
            cap *= 2;
        char *s = realloc(a->s, cap);
        if (!s) {
            a->oom = true;
            return;
        }
        a->s = s;
        a->cap = cap;
    }
    memcpy(a->s + a->len, p, n);
    a->len += n;
    a->s[a->len] = '\0';
}

/* Appends v as one quoted element (NULL: SQL NULL). */
static void arr_text(struct pg_arr *a, const char *v)
{
    arr_put(a, a->len ? "," : "{", 1);
    if (!v) {
        arr_put(a, "NULL", 4);
        return;
    }
    arr_put(a, "\"", 1);
    while (*v) {
        size_t run = strcspn(v, "\"\\");
        arr_put(a, v, run);
        v += run;
        if (*v) {
            const char esc[2] = {'\\', *v++};
            arr_put(a, esc, 2);
        }
    }
    arr_put(a, "\"", 1);
}

static void arr_int(struct pg_arr *a, int64_t v)
{
    char num[24];
    snprintf(num, sizeof(num), "%" PRId64, v);
    arr_text(a, num);
}

/* Closes the literal: its text, or NULL when out of memory. Valid until arr_free. */
static const char *arr_end(struct pg_arr *a)
{
    if (a->len)
        arr_put(a, "}", 1);
    else
        arr_put(a, "{}", 2);
    return a->oom ? NULL : a->s;
}

static void arr_free(struct pg_arr *a)
{
    free(a->s);
    memset(a, 0, sizeof(*a));
}

/* One line of a hub (a worker's, or reception's with worker ""), as the round sees it. */
struct line {
    size_t hub;
    char worker[IDENT_MAX + 1];
    char status[16];
    int waiting, urgent;
    int64_t times[HANDOVERS_MAX]; /* recent handovers, newest first */
    size_t n_times;
};

/* One check-in of the round. */
struct item {
    struct checkin *c;
    struct checkin_result *r;
    size_t hub;        /* index into round.hubs */
    char day[16];      /* the hub's local day it is received on */
    int64_t day_start; /* ms: the midnight that began it */
    const char *why;   /* while pending: NULL to adopt the kiosk's ticket, else why not */
    long num;          /* hubd's own ticket number taken for it (0: none yet) */
    long dup_of;       /* -1, or the earlier item of the round with the same hub and id */
    int tries;         /* inserts tried */
    bool pending;      /* still to be inserted */
    bool ask;          /* to be looked up among the stored check-ins */
};

struct round {
    PGconn *c;
    const char *hubs[PG_ROUND_MAX]; /* distinct, in id order */
    size_t n_hubs;
    struct item *items;
    size_t n;
    struct line *lines;
    size_t n_lines;
    int64_t now_ms; /* the earliest of the batches' */
};

static long hub_index(const struct round *rd, const char *hub)
{
    for (size_t i = 0; i < rd->n_hubs; i++)
        if (!strcmp(rd->hubs[i], hub))
            return (long)i;
    return -1;
}

static struct line *line_find(struct round *rd, size_t hub, const char *worker)
{
    for (size_t i = 0; i < rd->n_lines; i++)
        if (rd->lines[i].hub == hub && !strcmp(rd->lines[i].worker, worker ? worker : ""))
            return &rd->lines[i];
    return NULL;
}

/* The round's hubs as an array literal into a (closed: arr_end). */
static const char *hubs_arr(const struct round *rd, struct pg_arr *a)
{
    for (size_t i = 0; i < rd->n_hubs; i++)
        arr_text(a, rd->hubs[i]);
    return arr_end(a);
}

/* Fills r from a stored check-in row (hub, id, body_hash, ticket, position, wait_min,
 * ticket_why, flags) as a replay (200) or a conflict (409). */
static void replay_fill(const PGresult *res, int k, const struct checkin *c,
                        struct checkin_result *r)
{
    char h[3][2 * SHA256_LEN + 1];
    const char *stored = pg_col(res, k, 2);
    hex_encode(c->hash, SHA256_LEN, h[0]);
    hex_encode(c->legacy_hash, SHA256_LEN, h[1]);
    hex_encode(c->coded_hash, SHA256_LEN, h[2]);
    bool same = !strcmp(stored, h[0]) || !strcmp(stored, h[1]) || !strcmp(stored, h[2]);
    memset(r, 0, sizeof(*r));
    r->status = same ? 200 : 409;
    snprintf(r->ticket, sizeof(r->ticket), "%s", pg_col(res, k, 3));
    r->position = (int)pg_int(res, k, 4);
    r->wait_min = (int)pg_int(res, k, 5);
    r->ticket_why = ticket_why_lookup(pg_col(res, k, 6));
    r->flags = checkin_flags_split(pg_col(res, k, 7));
    if (!same)
        snprintf(r->error, sizeof(r->error), "id: already used for a different check-in");
}

/* Looks the items marked ask up among the stored check-ins: each found is answered as a
 * replay or a conflict and is no longer pending. ask is cleared. 0 or STORE_EIO. */
static int round_find(struct round *rd)
{
    struct pg_arr hubs = {0}, ids = {0};
    size_t asked = 0;
    for (size_t i = 0; i < rd->n; i++) {
        if (!rd->items[i].ask)
            continue;
        arr_text(&hubs, rd->hubs[rd->items[i].hub]);
        arr_text(&ids, rd->items[i].c->id);
        asked++;
    }
    struct pg_args a = {0};
    pa_text(&a, arr_end(&hubs));
    pa_text(&a, arr_end(&ids));
    int rc = 0;
    PGresult *r = NULL;
    if (asked && (!a.v[0] || !a.v[1] || !(r = pg_run(rd->c, P_PUT_FIND, &a))))
        rc = STORE_EIO;
    for (int k = 0; r && k < PQntuples(r); k++) {
        long hub = hub_index(rd, pg_col(r, k, 0));
        for (size_t i = 0; i < rd->n; i++) {
            struct item *it = &rd->items[i];
            if (it->ask && (long)it->hub == hub && !strcmp(it->c->id, pg_col(r, k, 1))) {
                replay_fill(r, k, it->c, it->r);
                it->pending = false;
            }
        }
    }
    PQclear(r);
    for (size_t i = 0; i < rd->n; i++)
        rd->items[i].ask = false;
    arr_free(&hubs);
    arr_free(&ids);
    return rc;
}

/* The round's hubs' lines: reception and each worker with its status, how many wait in
 * each, and its recent handovers. 0 or STORE_EIO. */
static int round_lines(struct round *rd)
{
    struct pg_arr hubs = {0};
    struct pg_args a = {0};
    pa_text(&a, hubs_arr(rd, &hubs));
    pa_int(&a, rd->now_ms - 8 * 3600 * 1000LL);
    PGresult *r = a.v[0] ? pg_run(rd->c, P_PUT_LINES, &a) : NULL;
    arr_free(&hubs);
    if (!r)
        return STORE_EIO;
    int n = PQntuples(r);
    rd->lines = calloc(rd->n_hubs + (size_t)n, sizeof(*rd->lines));
    if (!rd->lines) {
        PQclear(r);
        return STORE_EIO;
    }
    for (size_t h = 0; h < rd->n_hubs; h++) {
        struct line *l = &rd->lines[rd->n_lines++];
        l->hub = h;
        snprintf(l->status, sizeof(l->status), "available");
    }
    for (int k = 0; k < n; k++) {
        long hub = hub_index(rd, pg_col(r, k, 1));
        int kind = (int)pg_int(r, k, 0);
        if (hub < 0)
            continue;
        struct line *l = line_find(rd, (size_t)hub, pg_col(r, k, 2));
        if (kind == 0 && !l) { /* rows come kind by kind: every worker before any count */
            l = &rd->lines[rd->n_lines++];
            l->hub = (size_t)hub;
            snprintf(l->worker, sizeof(l->worker), "%s", pg_col(r, k, 2));
            snprintf(l->status, sizeof(l->status), "%s", pg_col(r, k, 3));
        } else if (kind == 1 && l) {
            l->waiting = (int)pg_int(r, k, 4);
            l->urgent = (int)pg_int(r, k, 5);
        } else if (kind == 2 && l && l->n_times < HANDOVERS_MAX) {
            l->times[l->n_times++] = pg_int(r, k, 4);
        }
    }
    PQclear(r);
    return 0;
}

/* What each new item is: for reception when its worker is unknown, a repeat of an earlier
 * item of the round, and whether its kiosk's ticket can be adopted as sent. */
static void round_sort_out(struct round *rd)
{
    for (size_t i = 0; i < rd->n; i++) {
        struct item *it = &rd->items[i];
        if (!it->pending)
            continue;
        struct checkin *c = it->c;
        if (c->has_worker && !line_find(rd, it->hub, c->worker_id)) {
            /* a worker since removed, or one this hub never had: reception */
            c->has_worker = false;
            c->worker_id[0] = '\0';
            c->flags |= CHECKIN_WORKER_UNKNOWN;
        }
        it->r->flags = c->flags;
        for (size_t j = 0; j < i && it->dup_of < 0; j++)
            if (rd->items[j].pending && rd->items[j].hub == it->hub &&
                !strcmp(rd->items[j].c->id, c->id))
                it->dup_of = (long)j;
        if (it->dup_of >= 0) {
            it->pending = false;
            continue;
        }
        it->why = checkin_ticket_refusal(c);
        for (size_t j = 0; !it->why && j < i; j++) {
            const struct item *o = &rd->items[j];
            if (o->pending && !o->why && o->hub == it->hub &&
                !strcmp(o->c->kiosk_ticket, c->kiosk_ticket))
                it->why = TICKET_WHY_CLASH;
        }
    }
}

/* Kiosk tickets to adopt that are some resident's today already: issued anew. */
static int round_taken(struct round *rd)
{
    struct pg_arr hubs = {0}, tickets = {0}, since = {0};
    size_t asked = 0;
    for (size_t i = 0; i < rd->n; i++) {
        const struct item *it = &rd->items[i];
        if (!it->pending || it->why)
            continue;
        arr_text(&hubs, rd->hubs[it->hub]);
        arr_text(&tickets, it->c->kiosk_ticket);
        arr_int(&since, it->day_start);
        asked++;
    }
    struct pg_args a = {0};
    pa_text(&a, arr_end(&hubs));
    pa_text(&a, arr_end(&tickets));
    pa_text(&a, arr_end(&since));
    int rc = 0;
    PGresult *r = NULL;
    if (asked && (!a.v[0] || !a.v[1] || !a.v[2] || !(r = pg_run(rd->c, P_PUT_TAKEN, &a))))
        rc = STORE_EIO;
    for (int k = 0; r && k < PQntuples(r); k++) {
        long hub = hub_index(rd, pg_col(r, k, 0));
        for (size_t i = 0; i < rd->n; i++) {
            struct item *it = &rd->items[i];
            if (it->pending && !it->why && (long)it->hub == hub &&
                !strcmp(it->c->kiosk_ticket, pg_col(r, k, 1)))
                it->why = TICKET_WHY_CLASH;
        }
    }
    PQclear(r);
    arr_free(&hubs);
    arr_free(&tickets);
    arr_free(&since);
    return rc;
}

/* Takes hubd's own ticket numbers for every pending item that needs one, each (hub, day)'s
 * at once. 0 or STORE_EIO. */
static int round_take(struct round *rd)
{
    struct pg_arr hubs = {0}, days = {0}, ks = {0};
    size_t groups = 0;
    for (size_t i = 0; i < rd->n; i++) {
        const struct item *it = &rd->items[i];
        if (!it->pending || !it->why || it->num)
            continue;
        bool first = true; /* the first item of its (hub, day) counts them all */
        for (size_t j = 0; j < i && first; j++) {
            const struct item *o = &rd->items[j];
            first =
                !(o->pending && o->why && !o->num && o->hub == it->hub && !strcmp(o->day, it->day));
        }
        if (!first)
            continue;
        long k = 0;
        for (size_t j = i; j < rd->n; j++) {
            const struct item *o = &rd->items[j];
            k += o->pending && o->why && !o->num && o->hub == it->hub && !strcmp(o->day, it->day);
        }
        arr_text(&hubs, rd->hubs[it->hub]);
        arr_text(&days, it->day);
        arr_int(&ks, k);
        groups++;
    }
    struct pg_args a = {0};
    pa_text(&a, arr_end(&hubs));
    pa_text(&a, arr_end(&days));
    pa_text(&a, arr_end(&ks));
    int rc = 0;
    PGresult *r = NULL;
    if (groups && (!a.v[0] || !a.v[1] || !a.v[2] || !(r = pg_run(rd->c, P_PUT_TAKE, &a))))
        rc = STORE_EIO;
    if (r && (size_t)PQntuples(r) != groups)
        rc = STORE_EIO;
    for (int k = 0; rc == 0 && r && k < PQntuples(r); k++) {
        long hub = hub_index(rd, pg_col(r, k, 0)), last = (long)pg_int(r, k, 2), n = 0;
        const char *day = pg_col(r, k, 1);
        for (size_t i = 0; i < rd->n; i++) {
            const struct item *o = &rd->items[i];
            n += o->pending && o->why && !o->num && (long)o->hub == hub && !strcmp(o->day, day);
        }
        long next = last - n + 1;
        for (size_t i = 0; i < rd->n; i++) {
            struct item *o = &rd->items[i];
            if (o->pending && o->why && !o->num && (long)o->hub == hub && !strcmp(o->day, day))
                o->num = next++;
        }
        if (last < n)
            rc = STORE_EIO;
    }
    PQclear(r);
    arr_free(&hubs);
    arr_free(&days);
    arr_free(&ks);
    return rc;
}

/* The 23 columns of P_PUT_INS, one array each. */
enum {
    C_HUB,
    C_ID,
    C_HASH,
    C_CREATED,
    C_RECEIVED,
    C_LANG,
    C_NEEDS,
    C_DOMAINS,
    C_URGENT,
    C_WORKER,
    C_CHOSEN,
    C_NAME,
    C_TEXT,
    C_CONSENT,
    C_TICKET,
    C_POSITION,
    C_WAIT,
    C_KTICKET,
    C_CODED,
    C_ACTOR,
    C_WHY,
    C_FLAGS,
    C_DAY,
    C_COUNT
};

/* Gives item it its ticket, position and wait, and adds it to the insert's columns. */
static int item_row(struct round *rd, struct item *it, int64_t received_ms, struct pg_arr *col)
{
    const struct checkin *c = it->c;
    struct checkin_result *r = it->r;
    char needs[1024], domains[64], flags[128], hex[2][2 * SHA256_LEN + 1];
    if (jv_join(c->needs, c->n_needs, needs, sizeof(needs)) < 0 ||
        jv_join(c->domains, c->n_domains, domains, sizeof(domains)) < 0 ||
        checkin_flags_join(c->flags, flags, sizeof(flags)) < 0)
        return STORE_EIO;
    struct line *l = line_find(rd, it->hub, c->has_worker ? c->worker_id : NULL);
    if (!l)
        return STORE_EIO;
    r->ticket_why = it->why;
    if (!it->why)
        snprintf(r->ticket, sizeof(r->ticket), "%s", c->kiosk_ticket);
    else if (checkin_own_ticket(c, it->num, r->ticket, sizeof(r->ticket)) < 0)
        return STORE_EIO;
    r->position = c->urgent ? l->urgent : l->waiting;
    r->wait_min = stats_wait_estimate(r->position, stats_service_min(l->times, l->n_times),
                                      l->status, c->urgent);
    l->waiting++; /* those after it in the round wait behind it */
    l->urgent += c->urgent;
    hex_encode(c->hash, SHA256_LEN, hex[0]);
    hex_encode(c->coded_hash, SHA256_LEN, hex[1]);
    arr_text(&col[C_HUB], rd->hubs[it->hub]);
    arr_text(&col[C_ID], c->id);
    arr_text(&col[C_HASH], hex[0]);
    arr_int(&col[C_CREATED], c->created_ms);
    arr_int(&col[C_RECEIVED], received_ms);
    arr_text(&col[C_LANG], c->lang);
    arr_text(&col[C_NEEDS], needs);
    arr_text(&col[C_DOMAINS], domains);
    arr_int(&col[C_URGENT], c->urgent);
    arr_text(&col[C_WORKER], c->has_worker ? c->worker_id : NULL);
    arr_text(&col[C_CHOSEN], c->chosen_by);
    arr_text(&col[C_NAME], c->name);
    arr_text(&col[C_TEXT], c->consent ? c->text : NULL);
    arr_int(&col[C_CONSENT], c->consent);
    arr_text(&col[C_TICKET], r->ticket);
    arr_int(&col[C_POSITION], r->position);
    arr_int(&col[C_WAIT], r->wait_min);
    arr_text(&col[C_KTICKET], c->kiosk_ticket[0] ? c->kiosk_ticket : NULL);
    arr_text(&col[C_CODED], hex[1]);
    arr_text(&col[C_ACTOR], c->actor && *c->actor ? c->actor : "hubd");
    arr_text(&col[C_WHY], it->why);
    arr_text(&col[C_FLAGS], c->flags ? flags : NULL);
    /* past its tries a ticket is stored outside the day's rule rather than lost */
    arr_text(&col[C_DAY], it->tries < PUT_TRIES ? it->day : NULL);
    return 0;
}

/* Inserts every pending item; those the database took are stored (201), the others are
 * marked ask (stored meanwhile, or a ticket another hubd gave out meanwhile). */
static int round_insert(struct round *rd, struct put_req *const *reqs, const size_t *first)
{
    struct pg_arr col[C_COUNT] = {0};
    size_t sent = 0;
    int rc = 0;
    for (size_t q = 0, i = 0; rc == 0 && i < rd->n; i++) {
        while (i >= first[q + 1])
            q++;
        struct item *it = &rd->items[i];
        if (!it->pending)
            continue;
        rc = item_row(rd, it, reqs[q]->now_ms, col);
        it->tries++;
        it->ask = true;
        sent++;
    }
    struct pg_args a = {0};
    for (int k = 0; k < C_COUNT; k++) {
        pa_text(&a, arr_end(&col[k]));
        if (!a.v[k])
            rc = STORE_EIO;
    }
    PGresult *r = rc == 0 && sent ? pg_run(rd->c, P_PUT_INS, &a) : NULL;
    if (rc == 0 && sent && !r)
        rc = STORE_EIO;
    for (int k = 0; r && k < PQntuples(r); k++) {
        long hub = hub_index(rd, pg_col(r, k, 0));
        for (size_t i = 0; i < rd->n; i++) {
            struct item *it = &rd->items[i];
            if (it->ask && it->pending && (long)it->hub == hub &&
                !strcmp(it->c->id, pg_col(r, k, 1))) {
                it->r->status = 201;
                it->pending = it->ask = false;
            }
        }
    }
    PQclear(r);
    for (size_t i = 0; rc == 0 && i < rd->n; i++) {
        struct item *it = &rd->items[i];
        struct line *l =
            it->ask ? line_find(rd, it->hub, it->c->has_worker ? it->c->worker_id : NULL) : NULL;
        if (l) { /* not in the line after all (or not yet) */
            l->waiting--;
            l->urgent -= it->c->urgent;
        }
    }
    for (int k = 0; k < C_COUNT; k++)
        arr_free(&col[k]);
    return rc;
}

/* Repeats of an earlier item of the round: its answer when it was stored now, else
 * whatever is stored under that id. */
static int round_repeats(struct round *rd)
{
    bool ask = false;
    for (size_t i = 0; i < rd->n; i++) {
        struct item *it = &rd->items[i];
        if (it->dup_of < 0 || it->r->status)
            continue;
        const struct item *o = &rd->items[it->dup_of];
        if (o->r->status != 201) {
            it->ask = ask = true;
            continue;
        }
        bool same = memcmp(o->c->hash, it->c->hash, SHA256_LEN) == 0;
        *it->r = *o->r;
        it->r->status = same ? 200 : 409;
        if (!same)
            snprintf(it->r->error, sizeof(it->r->error),
                     "id: already used for a different check-in");
    }
    return ask ? round_find(rd) : 0;
}

static int round_store(struct round *rd, struct put_req *const *reqs, const size_t *first)
{
    int rc = round_find(rd);
    if (rc == 0)
        rc = round_lines(rd);
    if (rc == 0) {
        round_sort_out(rd);
        rc = round_taken(rd);
    }
    for (int t = 0; rc == 0; t++) {
        bool left = false;
        rc = round_take(rd);
        if (rc == 0)
            rc = round_insert(rd, reqs, first);
        if (rc == 0)
            rc = round_find(rd); /* those not inserted: stored meanwhile through another hubd? */
        for (size_t i = 0; rc == 0 && i < rd->n; i++) {
            struct item *it = &rd->items[i];
            if (!it->pending)
                continue;
            /* not stored, yet not inserted: its ticket is someone else's today */
            if (!it->why)
                it->why = TICKET_WHY_CLASH;
            it->num = 0;
            left = true;
        }
        if (!left)
            break;
        if (t >= PUT_TRIES) {
            rc = STORE_EIO;
            break;
        }
    }
    if (rc == 0)
        rc = round_repeats(rd);
    for (size_t i = 0; rc == 0 && i < rd->n; i++)
        if (!rd->items[i].r->status)
            rc = STORE_EIO;
    return rc;
}

static int req_cmp(const void *a, const void *b)
{
    return strcmp((*(struct put_req *const *)a)->hub, (*(struct put_req *const *)b)->hub);
}

/* Stores every request of list in one transaction, hubs in id order (so that two hubd
 * doing the same take the hubs' ticket rows in the same order). Sets each one's rc. */
static void put_round(struct pg_store *s, struct put_req *list)
{
    struct put_req *v[PG_ROUND_MAX];
    size_t k = 0, n = 0, first[PG_ROUND_MAX + 1];
    for (struct put_req *q = list; q && k < PG_ROUND_MAX; q = q->next)
        v[k++] = q;
    qsort(v, k, sizeof(v[0]), req_cmp);
    struct round rd = {.now_ms = k ? v[0]->now_ms : 0};
    for (size_t i = 0; i < k; i++) {
        first[i] = n;
        n += v[i]->n;
        if (v[i]->now_ms < rd.now_ms)
            rd.now_ms = v[i]->now_ms;
        if (!rd.n_hubs || strcmp(rd.hubs[rd.n_hubs - 1], v[i]->hub) != 0)
            rd.hubs[rd.n_hubs++] = v[i]->hub;
    }
    first[k] = n;
    rd.n = n;
    int rc = STORE_EIO;
    rd.items = calloc(n ? n : 1, sizeof(*rd.items));
    for (size_t q = 0; rd.items && q < k; q++) {
        memset(v[q]->out, 0, v[q]->n * sizeof(*v[q]->out));
        for (size_t i = 0; i < v[q]->n; i++) {
            struct item *it = &rd.items[first[q] + i];
            it->c = v[q]->items[i];
            it->r = &v[q]->out[i];
            it->hub = (size_t)hub_index(&rd, v[q]->hub);
            it->dup_of = -1;
            it->pending = it->ask = true;
            dayend_date(v[q]->now_ms, it->day, sizeof(it->day));
            it->day_start = dayend_midnight(v[q]->now_ms, 0);
        }
    }
    if (rd.items && (rd.c = pg_begin(s)))
        rc = pg_end(s, rd.c, round_store(&rd, v, first));
    for (size_t i = 0; i < k; i++)
        v[i]->rc = rc;
    free(rd.items);
    free(rd.lines);
}

/* Group commit across hubs: each hub's committer hands its batch in; up to PG_ROUNDS
 * callers at a time (per process) each store everything handed in so far in one
 * transaction, so many hubs' check-ins share one commit and its flush, and the others wait
 * for their answer. */
int pg_checkins_put(struct store *st, struct checkin *const *items, size_t n,
                    struct checkin_result *out, int64_t now_ms)
{
    struct pg_store *s = (struct pg_store *)st, *root = s->root;
    struct put_req me = {.items = items, .n = n, .out = out, .now_ms = now_ms};
    pg_hub(s, me.hub);
    pthread_mutex_lock(&root->put_lock);
    me.next = root->put_queue;
    root->put_queue = &me;
    while (!me.done) {
        if (root->put_leaders >= PG_ROUNDS || !root->put_queue) {
            pthread_cond_wait(&root->put_done, &root->put_lock);
            continue;
        }
        /* lead a round with what is waiting: each hub's committer has one batch out at a
         * time, so every one fits (PG_ROUND_MAX >= PG_HUBS_MAX + 1) */
        struct put_req *list = root->put_queue, *rest = list;
        for (size_t i = 0; rest && i + 1 < PG_ROUND_MAX; i++)
            rest = rest->next;
        root->put_queue = rest ? rest->next : NULL;
        if (rest)
            rest->next = NULL;
        root->put_leaders++;
        pthread_mutex_unlock(&root->put_lock);
        put_round(root, list);
        pthread_mutex_lock(&root->put_lock);
        for (struct put_req *q = list; q; q = q->next)
            q->done = true;
        root->put_leaders--;
        pthread_cond_broadcast(&root->put_done);
    }
    pthread_mutex_unlock(&root->put_lock);
    if (me.rc < 0) {
        for (size_t i = 0; i < n; i++) {
            memset(&out[i], 0, sizeof(out[i]));
            out[i].status = 503;
            snprintf(out[i].error, sizeof(out[i].error), "storage unavailable, retry");
        }
    }
    return me.rc;
}
