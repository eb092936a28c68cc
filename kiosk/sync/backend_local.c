/* backend_local.c — the kiosk's own tickets, numbered for its day: the one ticket the
 * resident holds, adopted by hubd. Position and wait are hubd's to tell, so -1 here. */
#include "backend_local.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "proto/taxonomy.h"
#include "proto/ticket.h"

struct local {
    struct backend b;
    char code[TICKET_CODE_MAX + 1];
    backend_last_fn last;
    void *ctx;
    char day[16]; /* the local day the numbers are for, "" before the first */
    long n;       /* the last number issued that day */
};

/* Today's local day into day, and the midnight that began it. */
static int64_t local_today(char *day, size_t cap)
{
    time_t t = time(NULL);
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(day, cap, "%Y-%m-%d", &tm);
    tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
    tm.tm_isdst = -1;
    return (int64_t)mktime(&tm) * 1000;
}

/* The primary domain's name (the first in domain order, as the check-in lists them). */
static const char *primary_domain(unsigned mask)
{
    for (int d = 0; d < DOMAIN_COUNT; d++)
        if (mask & (1u << d))
            return domain_name(d);
    return NULL;
}

static int local_submit(void *self, const struct kiosk_checkin *c, struct ticket *out)
{
    struct local *l = self;
    char day[16];
    memset(out, 0, sizeof(*out));
    int64_t start = local_today(day, sizeof(day));
    if (strcmp(day, l->day) != 0) { /* a new day: numbers from where this day got to */
        snprintf(l->day, sizeof(l->day), "%s", day);
        l->n = l->last ? l->last(l->ctx, l->code, start) : 0;
        if (l->n < 0)
            l->n = 0;
    }
    l->n = l->n % TICKET_NUM_MAX + 1; /* past 999 in a day the numbers start again */
    out->position = -1;
    out->wait_min = -1;
    return ticket_format(ticket_letter(primary_domain(c->domain_mask)), l->code, l->n, out->code,
                         sizeof(out->code));
}

struct backend *backend_local_new(const char *code, backend_last_fn last, void *ctx)
{
    struct local *l = calloc(1, sizeof(*l));
    if (!l)
        return NULL;
    snprintf(l->code, sizeof(l->code), "%s", code && ticket_code_valid(code) ? code : "K");
    l->last = last;
    l->ctx = ctx;
    l->b.self = l;
    l->b.submit = local_submit;
    return &l->b;
}

void backend_local_free(struct backend *b)
{
    free(b ? b->self : NULL);
}
