/* api_kiosks.c — the hub's kiosks as reception sees them: POST /kiosks/status (a kiosk tells
 * how many check-ins it still has to send and how many hubd refused, which it keeps aside),
 * GET /kiosks (each kiosk's counts and when hubd last heard from it), the `kiosk` event on
 * the live board when that changes, and any kiosk request counted as a sign of life. */
#include "api.h"
#include "clock.h"

#include "events.h"
#include "proto/jsonv.h"
#include "proto/valid.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define KIOSK_COUNT_MAX 10000000        /* a kiosk's count above this is not believed: 400 */
#define SEEN_EVERY_MS   30000           /* a kiosk's sign of life is written this often at most */
#define SILENT_MS       (5 * 60 * 1000) /* a kiosk heard from after this long is news again */
#define SEEN_SLOTS      1024            /* kiosks whose last write this process remembers */
#define SEEN_PROBES     8               /* slots looked at for one kiosk */

/* When this process last wrote each kiosk's last_seen (monotonic ms), so that a kiosk's
 * requests cost one write per SEEN_EVERY_MS, not one each. A slot is a hub and token name. */
struct seen_slot {
    char hub[IDENT_MAX + 1];
    char name[TOKEN_NAME_MAX + 1];
    int64_t at;
};

static struct seen_slot seen_slots[SEEN_SLOTS];
static pthread_mutex_t seen_lock = PTHREAD_MUTEX_INITIALIZER;

static uint32_t slot_hash(const char *hub, const char *name)
{
    uint32_t h = 2166136261u; /* FNV-1a over hub, a NUL, name */
    for (const char *p = hub; *p; p++)
        h = (h ^ (uint8_t)*p) * 16777619u;
    h *= 16777619u;
    for (const char *p = name; *p; p++)
        h = (h ^ (uint8_t)*p) * 16777619u;
    return h;
}

/* True when the kiosk (hub, name) is due a write of its last_seen at now (monotonic ms), and
 * then remembers now as its last write; force records a write made anyway (a status report).
 * When every slot it may use is taken, the oldest of them gives way. */
static bool seen_due(const char *hub, const char *name, int64_t now, bool force)
{
    uint32_t h = slot_hash(hub, name);
    bool due = true;
    pthread_mutex_lock(&seen_lock);
    struct seen_slot *pick = NULL;
    for (uint32_t i = 0; i < SEEN_PROBES; i++) {
        struct seen_slot *sl = &seen_slots[(h + i) % SEEN_SLOTS];
        if (sl->name[0] && !strcmp(sl->name, name) && !strcmp(sl->hub, hub)) {
            pick = sl;
            due = force || now - sl->at >= SEEN_EVERY_MS || now < sl->at;
            break;
        }
        if (!pick || !sl->name[0] || (pick->name[0] && sl->at < pick->at))
            pick = sl;
    }
    if (due) {
        snprintf(pick->hub, sizeof(pick->hub), "%s", hub);
        snprintf(pick->name, sizeof(pick->name), "%s", name);
        pick->at = now;
    }
    pthread_mutex_unlock(&seen_lock);
    return due;
}

/* Forgets the write of a kiosk (it failed): the next request tries again. */
static void seen_forget(const char *hub, const char *name)
{
    uint32_t h = slot_hash(hub, name);
    pthread_mutex_lock(&seen_lock);
    for (uint32_t i = 0; i < SEEN_PROBES; i++) {
        struct seen_slot *sl = &seen_slots[(h + i) % SEEN_SLOTS];
        if (sl->name[0] && !strcmp(sl->name, name) && !strcmp(sl->hub, hub)) {
            sl->name[0] = '\0';
            break;
        }
    }
    pthread_mutex_unlock(&seen_lock);
}

/* One kiosk as GET /kiosks and the `kiosk` event show it; NULL when out of memory. */
static cJSON *kiosk_json(const struct kiosk_row *k)
{
    char seen[40];
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    cJSON_AddStringToObject(o, "name", k->name);
    if (k->code[0])
        cJSON_AddStringToObject(o, "code", k->code);
    else
        cJSON_AddNullToObject(o, "code");
    if (k->pending >= 0) {
        cJSON_AddNumberToObject(o, "pending", k->pending);
        cJSON_AddNumberToObject(o, "set_aside", k->set_aside);
    } else { /* heard from, but it has never told its counts (an older kiosk) */
        cJSON_AddNullToObject(o, "pending");
        cJSON_AddNullToObject(o, "set_aside");
    }
    rfc3339_format(k->last_seen_ms, seen, sizeof(seen));
    cJSON_AddStringToObject(o, "last_seen", seen);
    return o;
}

/* Tells the hub's live board about kiosk now when reception would see a change: its counts
 * moved, or it is back in touch after a silence (or heard from the first time). */
static void kiosk_publish(struct req *r, const struct kiosk_row *prev, const struct kiosk_row *now)
{
    bool counts = prev->pending != now->pending || prev->set_aside != now->set_aside;
    bool back = now->last_seen_ms - prev->last_seen_ms > SILENT_MS;
    if (!r->h->events || !(counts || back))
        return;
    cJSON *o = kiosk_json(now);
    char *text = o ? cJSON_PrintUnformatted(o) : NULL;
    if (text)
        events_publish(r->h->events, r->hub->id, "kiosk", text);
    free(text);
    cJSON_Delete(o);
}

/* Writes the kiosk's row (counts when pending >= 0) and publishes what changed. 0 or
 * STORE_EIO; STORE_ENOTFOUND when the store keeps no kiosks. */
static int kiosk_put(struct req *r, int pending, int set_aside, int64_t now_ms)
{
    struct store *st = r->hub->inner; /* under the publishing wrapper: this file publishes */
    struct kiosk_row prev, now;
    if (!st->ops->kiosk)
        return STORE_ENOTFOUND;
    int rc = st->ops->kiosk->put(st, r->who.name, r->who.code, pending, set_aside, now_ms, &prev);
    if (rc < 0)
        return rc;
    now = prev;
    snprintf(now.code, sizeof(now.code), "%s", r->who.code);
    if (pending >= 0) {
        now.pending = pending;
        now.set_aside = set_aside;
    }
    if (now_ms > now.last_seen_ms)
        now.last_seen_ms = now_ms;
    kiosk_publish(r, &prev, &now);
    return 0;
}

void api_kiosk_seen(struct req *r)
{
    if (r->role != ROLE_KIOSK || !r->hub || !r->who.name[0] || !r->hub->inner->ops->kiosk)
        return;
    if (!seen_due(r->hub->id, r->who.name, mono_ms(), false))
        return;
    if (kiosk_put(r, -1, -1, hubd_now_ms()) < 0)
        seen_forget(r->hub->id, r->who.name); /* the request goes on; the next one retries */
}

/* Reads a count: a whole number 0..KIOSK_COUNT_MAX. 0 or -1 with err. */
static int count_field(const cJSON *body, const char *key, int *out, char *err, size_t cap)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(body, key);
    if (!v)
        return jv_fail(err, cap, key, "missing");
    if (!cJSON_IsNumber(v) || v->valuedouble < 0 || v->valuedouble > KIOSK_COUNT_MAX ||
        v->valuedouble != (double)(int)v->valuedouble)
        return jv_fail(err, cap, key, "must be a whole number from 0 to 10000000");
    *out = (int)v->valuedouble;
    return 0;
}

/* 204 with no body. */
static enum MHD_Result reply_no_content(struct req *r)
{
    struct MHD_Response *resp = MHD_create_response_from_buffer(0, "", MHD_RESPMEM_PERSISTENT);
    if (!resp)
        return MHD_NO;
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    enum MHD_Result ret = MHD_queue_response(r->conn, MHD_HTTP_NO_CONTENT, resp);
    MHD_destroy_response(resp);
    return ret;
}

enum MHD_Result api_kiosk_status(struct req *r)
{
    char err[160];
    int pending = 0, set_aside = 0;
    cJSON *body = req_json(r, err, sizeof(err));
    if (!body)
        return reply_error(r, MHD_HTTP_BAD_REQUEST, err);
    int bad = !cJSON_IsObject(body) ? jv_fail(err, sizeof(err), "body", "must be a JSON object")
              : count_field(body, "pending", &pending, err, sizeof(err)) < 0 ||
                      count_field(body, "set_aside", &set_aside, err, sizeof(err)) < 0
                  ? -1
                  : 0;
    cJSON_Delete(body);
    if (bad < 0)
        return reply_error(r, MHD_HTTP_BAD_REQUEST, err);
    int rc = kiosk_put(r, pending, set_aside, hubd_now_ms());
    if (rc == STORE_ENOTFOUND)
        return reply_error(r, MHD_HTTP_SERVICE_UNAVAILABLE, "this server keeps no kiosk status");
    if (rc < 0)
        return reply_error(r, MHD_HTTP_SERVICE_UNAVAILABLE, "storage unavailable, retry");
    seen_due(r->hub->id, r->who.name, mono_ms(), true);
    return reply_no_content(r);
}

enum MHD_Result api_kiosks(struct req *r)
{
    struct store *st = r->hub->inner;
    struct kiosk_row *rows = NULL;
    size_t n = 0;
    if (!st->ops->kiosk)
        return reply_error(r, MHD_HTTP_SERVICE_UNAVAILABLE, "this server keeps no kiosk status");
    if (st->ops->kiosk->list(st, &rows, &n) < 0)
        return reply_error(r, MHD_HTTP_SERVICE_UNAVAILABLE, "storage unavailable");
    cJSON *o = cJSON_CreateObject();
    cJSON *list = o ? cJSON_AddArrayToObject(o, "kiosks") : NULL;
    for (size_t i = 0; list && i < n; i++) {
        cJSON *k = kiosk_json(&rows[i]);
        if (!k || !cJSON_AddItemToArray(list, k)) {
            cJSON_Delete(k);
            cJSON_Delete(o);
            o = list = NULL;
        }
    }
    free(rows);
    return reply_json(r, MHD_HTTP_OK, list ? o : NULL);
}
