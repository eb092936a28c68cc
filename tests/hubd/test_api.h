/* test_api.h — what the API integration test files share: the running server, one token
 * per role, and the staff-side tests of test_staff.c. */
#ifndef HUBD_TEST_API_H
#define HUBD_TEST_API_H

#include "client.h"
#include "proto/ticket.h"

enum { T_KIOSK, T_RECEPTION, T_WORKER, T_MANAGER, T_ADMIN, T_COUNT };

extern struct server srv;     /* started by the group setup of test_api.c */
extern char tok[T_COUNT][65]; /* a token per role; the worker's belongs to w-sian */
extern char tok_amir[65];     /* a worker token of w-amir */
extern char tok_untied[65];   /* a worker token that belongs to no worker (an older one) */

/* POSTs body to /api/v1/checkins as the kiosk; returns the status (r filled). */
long post_checkin(const char *body, struct resp *r);

void test_board_handover_reassign(void **state);
void test_workers_patch(void **state);
void test_reports(void **state);

/* test_me.c */
void test_me(void **state);
void test_token_command(void **state);
void test_worker_scope(void **state);

/* test_report.c */
void test_report_exact(void **state);
void test_report_csv_exact(void **state);

/* test_taxonomy.c */
void test_taxonomy(void **state);
void test_taxonomy_missing_label(void **state);

/* test_kiosk_ticket.c */
void test_kiosk_ticket_board(void **state);
void test_kiosk_ticket_invalid(void **state);
void test_kiosk_ticket_migration(void **state);
void test_kiosk_ticket_two_kiosks(void **state);

#endif
