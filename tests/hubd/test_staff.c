/* test_staff.c — integration tests of the staff side of hubd: the reception board,
 * handovers, reassignments, worker status and the demand report (JSON and CSV). */
#include "test_api.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Finds id on the board; returns its JSON (detached copy) or NULL. */
static cJSON *board_find(const char *query, const char *id, int *index)
{
    struct resp r;
    char path[200];
    snprintf(path, sizeof(path), "/api/v1/checkins?%s", query);
    assert_int_equal(http(&srv, "GET", path, tok[T_RECEPTION], NULL, NULL, 0, NULL, &r), 0);
    assert_int_equal(r.status, 200);
    cJSON *j = resp_json(&r), *found = NULL, *it;
    int i = 0;
    cJSON_ArrayForEach(it, cJSON_GetObjectItem(j, "checkins"))
    {
        if (strcmp(cJSON_GetObjectItem(it, "id")->valuestring, id) == 0) {
            found = cJSON_Duplicate(it, 1);
            if (index)
                *index = i;
        }
        i++;
    }
    cJSON_Delete(j);
    resp_free(&r);
    return found;
}

void test_board_handover_reassign(void **state)
{
    char plain[37], urgent[37], quiet[37], path[160];
    struct resp r;
    uuid4(plain);
    uuid4(urgent);
    uuid4(quiet);
    char *b1 = checkin_body(plain, "w-rhian", "health", false, "Ann", "my words", true);
    char *b2 = checkin_body(urgent, "w-rhian", "health", true, NULL, "help now", true);
    char *b3 = checkin_body(quiet, "w-rhian", "health", false, "Bo", "private words", false);
    assert_int_equal(post_checkin(b1, &r), 201);
    cJSON *j = resp_json(&r);
    int pos_plain = cJSON_GetObjectItem(j, "position")->valueint;
    cJSON_Delete(j);
    resp_free(&r);
    assert_int_equal(post_checkin(b2, &r), 201);
    j = resp_json(&r);
    assert_int_equal(cJSON_GetObjectItem(j, "estimated_wait_min")->valueint, 0);
    assert_true(cJSON_GetObjectItem(j, "position")->valueint <= pos_plain);
    cJSON_Delete(j);
    resp_free(&r);
    assert_int_equal(post_checkin(b3, &r), 201);
    j = resp_json(&r);
    /* the urgent one went ahead of the line, so the third is two behind the first */
    assert_int_equal(cJSON_GetObjectItem(j, "position")->valueint, pos_plain + 2);
    assert_true(cJSON_GetObjectItem(j, "estimated_wait_min")->valueint > 0);
    cJSON_Delete(j);
    resp_free(&r);
    int iu = -1, ip = -1;
    cJSON *u = board_find("status=waiting&worker_id=w-rhian", urgent, &iu);
    cJSON *p = board_find("status=waiting", plain, &ip);
    cJSON *q = board_find("status=waiting", quiet, NULL);
    assert_non_null(u);
    assert_non_null(p);
    assert_non_null(q);
    assert_int_equal(iu, 0); /* urgent first */
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(u, "urgent")));
    assert_string_equal(cJSON_GetObjectItem(p, "text")->valuestring, "my words");
    assert_string_equal(cJSON_GetObjectItem(p, "name")->valuestring, "Ann");
    assert_null(cJSON_GetObjectItem(q, "text")); /* no consent: words never stored */
    assert_string_equal(cJSON_GetObjectItem(q, "name")->valuestring, "Bo");
    cJSON_Delete(u);
    cJSON_Delete(p);
    cJSON_Delete(q);
    /* reassign the plain one to Sian */
    snprintf(path, sizeof(path), "/api/v1/checkins/%s/reassign", plain);
    assert_int_equal(http_status(&srv, "POST", path, tok[T_RECEPTION], "application/json",
                                 "{\"worker_id\":\"w-sian\",\"reason\":\"Rhian is with someone\"}"),
                     200);
    p = board_find("status=waiting&worker_id=w-sian", plain, NULL);
    assert_non_null(p);
    assert_string_equal(cJSON_GetObjectItem(p, "worker_id")->valuestring, "w-sian");
    cJSON_Delete(p);
    assert_int_equal(http_status(&srv, "POST", path, tok[T_RECEPTION], "application/json",
                                 "{\"worker_id\":\"w-ghost\",\"reason\":\"x\"}"),
                     400);
    assert_int_equal(http_status(&srv, "POST", path, tok[T_RECEPTION], "application/json",
                                 "{\"worker_id\":\"w-sian\"}"),
                     400);
    /* handover: off the board; a second handover conflicts */
    snprintf(path, sizeof(path), "/api/v1/checkins/%s/handover", plain);
    assert_int_equal(http(&srv, "POST", path, tok[T_RECEPTION], NULL, NULL, 0, NULL, &r), 0);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "\"status\":\"introduced\""));
    assert_non_null(strstr(r.body, "\"worker_id\":\"w-sian\""));
    resp_free(&r);
    assert_null(board_find("status=waiting", plain, NULL));
    assert_int_equal(http_status(&srv, "POST", path, tok[T_RECEPTION], NULL, NULL), 409);
    snprintf(path, sizeof(path), "/api/v1/checkins/%s/reassign", plain);
    assert_int_equal(http_status(&srv, "POST", path, tok[T_RECEPTION], "application/json",
                                 "{\"worker_id\":null,\"reason\":\"late\"}"),
                     409);
    snprintf(path, sizeof(path), "/api/v1/checkins/%s/handover", urgent);
    assert_int_equal(http_status(&srv, "POST", path, tok[T_ADMIN], "application/json",
                                 "{\"worker_id\":\"w-amir\"}"),
                     200);
    char unknown[37];
    uuid4(unknown);
    snprintf(path, sizeof(path), "/api/v1/checkins/%s/handover", unknown);
    assert_int_equal(http_status(&srv, "POST", path, tok[T_RECEPTION], NULL, NULL), 404);
    free(b1);
    free(b2);
    free(b3);
}

void test_workers_patch(void **state)
{
    struct resp r;
    assert_int_equal(http(&srv, "PATCH", "/api/v1/workers/w-sian", tok[T_WORKER],
                          "application/json", "{\"status\":\"busy\",\"desk\":\"Room 7\"}", 33, NULL,
                          &r),
                     0);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "\"status\":\"busy\""));
    assert_non_null(strstr(r.body, "\"desk\":\"Room 7\""));
    resp_free(&r);
    assert_int_equal(http_status(&srv, "PATCH", "/api/v1/workers/w-ghost", tok[T_RECEPTION],
                                 "application/json", "{\"status\":\"busy\"}"),
                     404);
    assert_int_equal(http_status(&srv, "PATCH", "/api/v1/workers/w-sian", tok[T_WORKER],
                                 "application/json", "{\"status\":\"asleep\"}"),
                     400);
    assert_int_equal(http_status(&srv, "PATCH", "/api/v1/workers/w-sian", tok[T_WORKER],
                                 "application/json", "{}"),
                     400);
    assert_int_equal(http_status(&srv, "PATCH", "/api/v1/workers/w-sian", tok[T_WORKER],
                                 "application/json", "{\"status\":\"available\"}"),
                     200);
}

static cJSON *report(const char *query)
{
    struct resp r;
    char path[200];
    snprintf(path, sizeof(path), "/api/v1/reports/demand?%s", query);
    assert_int_equal(http(&srv, "GET", path, tok[T_MANAGER], NULL, NULL, 0, NULL, &r), 0);
    assert_int_equal(r.status, 200);
    cJSON *j = resp_json(&r);
    resp_free(&r);
    assert_non_null(j);
    return j;
}

static double num(cJSON *j, const char *obj, const char *key)
{
    cJSON *v = cJSON_GetObjectItem(cJSON_GetObjectItem(j, obj), key);
    return cJSON_IsNumber(v) ? v->valuedouble : -1;
}

void test_reports(void **state)
{
    /* Arrivals on a day of their own, so the counts are exact. */
    const char *bodies[] = {
        "{\"id\":\"X\",\"created_at\":\"2024-02-05T09:30:00Z\",\"lang\":\"cy\","
        "\"needs\":[\"rent_arrears\",\"debt\"],\"domains\":[\"housing\",\"benefits\"],"
        "\"urgent\":false,\"worker_id\":\"w-sian\",\"chosen_by\":\"router\",\"consent\":false}",
        "{\"id\":\"X\",\"created_at\":\"2024-02-05T14:05:00Z\",\"lang\":\"en\","
        "\"needs\":[\"debt\"],\"domains\":[\"benefits\"],\"urgent\":false,\"worker_id\":null,"
        "\"chosen_by\":\"router\",\"consent\":true,\"text\":\"secret words\",\"name\":\"Zed\"}",
        "{\"id\":\"X\",\"created_at\":\"2024-02-05T14:10:00Z\",\"lang\":\"en\","
        "\"needs\":[],\"domains\":[],\"urgent\":false,\"worker_id\":null,"
        "\"chosen_by\":\"reception\",\"consent\":false}",
    };
    for (int i = 0; i < 3; i++) {
        char id[37];
        struct resp r;
        uuid4(id);
        cJSON *o = cJSON_Parse(bodies[i]);
        cJSON_ReplaceItemInObject(o, "id", cJSON_CreateString(id));
        char *body = cJSON_PrintUnformatted(o);
        cJSON_Delete(o);
        assert_int_equal(post_checkin(body, &r), 201);
        resp_free(&r);
        free(body);
        assert_int_equal(db_received_as_created(srv.db, id), 0); /* received on 5 Feb 2024 */
        if (i == 0) {
            char path[128];
            snprintf(path, sizeof(path), "/api/v1/checkins/%s/handover", id);
            assert_int_equal(http_status(&srv, "POST", path, tok[T_RECEPTION], NULL, NULL), 200);
        }
    }
    cJSON *j = report("from=2024-02-05&to=2024-02-05");
    assert_true(num(j, "total", "checkins") == 3);
    assert_true(num(j, "by_need", "debt") == 2);
    assert_true(num(j, "by_need", "rent_arrears") == 1);
    assert_true(num(j, "by_domain", "benefits") == 2);
    assert_true(num(j, "by_domain", "none") == 1);
    assert_true(num(j, "by_lang", "cy") == 1);
    assert_true(num(j, "by_lang", "en") == 2);
    assert_true(num(j, "by_weekday", "mon") == 3);
    assert_true(num(j, "by_hour", "14") == 2); /* Europe/London is UTC in February */
    assert_true(num(j, "by_hour", "09") == 1);
    assert_true(num(j, "by_worker", "reception") == 2);
    assert_true(num(j, "by_worker", "w-sian") == 1);
    assert_true(num(j, "unmet", "no_fit") == 1);
    assert_true(num(j, "unmet", "unsure") == 1);
    assert_true(num(j, "outcomes", "introduced") == 1);
    assert_true(num(j, "wait_min", "count") == 1);
    assert_true(num(j, "wait_min", "median") > 0);
    assert_true(num(j, "wait_min", "p90") >= num(j, "wait_min", "median"));
    char *text = cJSON_PrintUnformatted(j);
    assert_null(strstr(text, "secret words")); /* reports carry coded data only */
    assert_null(strstr(text, "Zed"));
    free(text);
    cJSON_Delete(j);
    j = report("from=2024-02-05&to=2024-02-05&by=need");
    assert_null(cJSON_GetObjectItem(j, "by_lang"));
    assert_non_null(cJSON_GetObjectItem(j, "by_need"));
    cJSON_Delete(j);
    j = report("from=2024-02-06&to=2024-02-07");
    assert_true(num(j, "total", "checkins") == 0);
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "wait_min"), "median")));
    cJSON_Delete(j);
    struct resp r;
    assert_int_equal(http(&srv, "GET", "/api/v1/reports/demand?from=2024-02-05&to=2024-02-05",
                          tok[T_ADMIN], NULL, NULL, 0, "Accept: text/csv", &r),
                     0);
    assert_int_equal(r.status, 200);
    char ct[64];
    assert_non_null(resp_header(&r, "Content-Type", ct, sizeof(ct)));
    assert_non_null(strstr(ct, "text/csv"));
    assert_true(strncmp(r.body, "dimension,key,value\r\n", 21) == 0);
    assert_non_null(strstr(r.body, "need,debt,2\r\n"));
    assert_non_null(strstr(r.body, "unmet,no_fit,1\r\n"));
    resp_free(&r);
}
