/* test_outcomes.h — what the journey-end integration tests share (test_outcomes.c,
 * test_community.c): their own hubd, one token per role, and small request helpers. */
#ifndef HUBD_TEST_OUTCOMES_H
#define HUBD_TEST_OUTCOMES_H

#include "client.h"

#include <stdbool.h>

enum { O_KIOSK, O_RECEPTION, O_WORKER, O_MANAGER, O_ADMIN, O_AMIR, O_UNTIED, O_COUNT };

extern struct server osrv;     /* started by test_outcomes.c's group setup */
extern char otok[O_COUNT][65]; /* O_WORKER belongs to w-sian, O_AMIR to w-amir */

/* One check-in: created, and taken as received by hubd, at `at` (RFC 3339, UTC), for worker
 * (NULL: reception); needs and domains are JSON arrays ("[]" for none). Writes its id (37 bytes)
 * and returns the HTTP status of POST /checkins. */
long post_arrival(char *id, const char *at, const char *worker, const char *needs,
                  const char *domains, bool urgent, const char *name, const char *text);

/* method path with a JSON body (may be NULL) as token; returns the status, r filled. */
long call(const char *method, const char *path, const char *token, const char *body,
          struct resp *r);
/* The same, freeing the response: the status only. */
long call_status(const char *method, const char *path, const char *token, const char *body);

/* POST /checkins/{id}/handover as reception; asserts 200. */
void introduce(const char *id);

/* "YYYY-MM" of the local month `back` months before now (0: this month), and an RFC 3339
 * time on day `day` of it at local noon-ish (hour h UTC). */
void month_ago(int back, char *ym, size_t cap);
void time_in_month(int back, int day, int hour, char *out, size_t cap);

/* test_community.c */
void test_community_boundary(void **state);
void test_community_secondary(void **state);
void test_community_whole_months(void **state);
void test_community_property(void **state);
void test_community_page(void **state);

#endif
