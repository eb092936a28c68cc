/* store_pg_kiosks.c — the PostgreSQL backend's kiosks: what each kiosk of a hub last told
 * hubd of itself (check-ins still to send, set aside) and when a hubd last heard from it. */
#include "store_pg_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Fills r from columns first.. of row i: code, pending, set_aside, last_seen. */
static void kiosk_cols(const PGresult *res, int i, int first, struct kiosk_row *r)
{
    snprintf(r->code, sizeof(r->code), "%s", pg_col(res, i, first));
    r->pending = pg_null(res, i, first + 1) ? -1 : (int)pg_int(res, i, first + 1);
    r->set_aside = pg_null(res, i, first + 2) ? -1 : (int)pg_int(res, i, first + 2);
    r->last_seen_ms = pg_int(res, i, first + 3);
}

static int pg_kiosk_put(struct store *st, const char *name, const char *code, int pending,
                        int set_aside, int64_t now_ms, struct kiosk_row *prev)
{
    struct pg_store *s = (struct pg_store *)st;
    struct pg_args a = {0};
    int rc = STORE_EIO;
    memset(prev, 0, sizeof(*prev));
    snprintf(prev->name, sizeof(prev->name), "%s", name);
    prev->pending = prev->set_aside = -1;
    PGconn *c = pg_begin(s);
    if (!c)
        return STORE_EIO;
    pa_hub(&a, s);
    pa_text(&a, name);
    PGresult *r = pg_run(c, P_KIOSK_GET, &a); /* and holds the row until the commit */
    if (!r)
        goto out_end;
    if (PQntuples(r) == 1)
        kiosk_cols(r, 0, 0, prev);
    PQclear(r);
    pa_text(&a, code && *code ? code : NULL);
    if (pending >= 0) {
        pa_int(&a, pending);
        pa_int(&a, set_aside);
    }
    pa_int(&a, now_ms);
    rc = pg_do(c, pending >= 0 ? P_KIOSK_PUT : P_KIOSK_SEEN, &a, NULL);
out_end:
    return pg_end(s, c, rc);
}

static int pg_kiosks(struct store *st, struct kiosk_row **rows, size_t *n)
{
    struct pg_store *s = (struct pg_store *)st;
    struct pg_args a = {0};
    *rows = NULL;
    *n = 0;
    pa_hub(&a, s);
    pa_int(&a, KIOSKS_MAX);
    PGresult *r = pg_once(s, P_KIOSKS, &a);
    if (!r)
        return STORE_EIO;
    int count = PQntuples(r);
    if (count > 0 && !(*rows = calloc((size_t)count, sizeof(**rows)))) {
        PQclear(r);
        return STORE_EIO;
    }
    for (int i = 0; i < count; i++) {
        snprintf((*rows)[i].name, sizeof((*rows)[i].name), "%s", pg_col(r, i, 0));
        kiosk_cols(r, i, 1, &(*rows)[i]);
    }
    *n = (size_t)count;
    PQclear(r);
    return 0;
}

const struct store_kiosk_ops PG_KIOSK_OPS = {
    .put = pg_kiosk_put,
    .list = pg_kiosks,
};
