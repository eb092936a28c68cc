/* report.c — the kiosk tells hubd what it holds: POST /api/v1/kiosks/status with
 * {"pending": N, "set_aside": M} every minute and whenever the counts change. A hubd without
 * the endpoint (404) is noted once and asked again an hour later. Sync thread only. */
#include <stdio.h>

#include "sync_int.h"

#define REPORT_PATH   "/api/v1/kiosks/status"
#define UNKNOWN_TIMES 60 /* after a 404, the next report comes this many periods later */

void kiosk_report_init(struct kiosk_report *r)
{
    r->pending = r->set_aside = -1;
    r->next_ms = 0;
    r->unknown_logged = r->unknown = false;
}

int64_t kiosk_report_maybe(struct sync *s, struct kiosk_report *r, int pending, int set_aside,
                           bool online, int64_t now, int every_ms)
{
    bool changed = pending != r->pending || set_aside != r->set_aside;
    if (pending < 0 || set_aside < 0) /* the store cannot say: nothing true to report */
        return r->next_ms > now ? r->next_ms : now + every_ms;
    if (now < r->next_ms && !(changed && online && !r->unknown))
        return r->next_ms;
    char body[64];
    struct sync_resp resp;
    snprintf(body, sizeof(body), "{\"pending\":%d,\"set_aside\":%d}", pending, set_aside);
    long st = sync_request_quiet(s, REPORT_PATH, body, &resp);
    buf_free(&resp.body);
    r->unknown = st == 404;
    if (st == 404 && !r->unknown_logged) {
        fprintf(stderr,
                "kiosk: sync: hubd does not take the kiosk's status (%s: HTTP 404); "
                "asking again hourly\n",
                REPORT_PATH);
        r->unknown_logged = true;
    } else if (st >= 0 && st != 404 && (st < 200 || st > 299)) {
        fprintf(stderr, "kiosk: sync: POST %s: HTTP %ld\n", REPORT_PATH, st);
    }
    /* the same counts again only when the period is up, whether or not hubd heard them */
    r->pending = pending;
    r->set_aside = set_aside;
    r->next_ms = now + (int64_t)every_ms * (r->unknown ? UNKNOWN_TIMES : 1);
    return r->next_ms;
}
