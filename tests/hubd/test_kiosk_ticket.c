/* test_kiosk_ticket.c — integration tests of kiosk_ticket, the ticket a kiosk showed the
 * resident: accepted, validated, part of idempotency, on the board (null when none), and
 * added by migration 4 to a database an older hubd made (fixtures/hub-v3.sql). */
#include "test_api.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* A check-in body for id with kiosk_ticket set to the JSON value kt (NULL: left out). */
static char *body_with(const char *id, const char *kt)
{
    char *base = checkin_body(id, "w-sian", "housing", false, NULL, NULL, false);
    cJSON *o = cJSON_Parse(base);
    free(base);
    if (kt)
        cJSON_AddItemToObject(o, "kiosk_ticket", cJSON_Parse(kt));
    char *s = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return s;
}

/* The board item of id as seen by token on server s (a copy, or NULL when not on it). */
static cJSON *board_item(const struct server *s, const char *token, const char *id)
{
    struct resp r;
    cJSON *it, *found = NULL;
    assert_int_equal(
        http(s, "GET", "/api/v1/checkins?status=waiting", token, NULL, NULL, 0, NULL, &r), 0);
    assert_int_equal(r.status, 200);
    cJSON *j = resp_json(&r);
    cJSON_ArrayForEach(it, cJSON_GetObjectItem(j, "checkins"))
    {
        if (!found && strcmp(cJSON_GetObjectItem(it, "id")->valuestring, id) == 0)
            found = cJSON_Duplicate(it, 1);
    }
    cJSON_Delete(j);
    resp_free(&r);
    return found;
}

static void expect_kiosk_ticket(cJSON *item, const char *want)
{
    assert_non_null(item);
    cJSON *kt = cJSON_GetObjectItem(item, "kiosk_ticket");
    assert_non_null(kt); /* always present: a string, or null */
    if (want)
        assert_string_equal(cJSON_GetStringValue(kt), want);
    else
        assert_true(cJSON_IsNull(kt));
}

void test_kiosk_ticket_board(void **state)
{
    char id[37], plain[37];
    struct resp r, r2;
    uuid4(id);
    uuid4(plain);
    char *body = body_with(id, "\"A001\"");
    assert_int_equal(post_checkin(body, &r), 201);
    cJSON *j = resp_json(&r);
    char ticket[16];
    snprintf(ticket, sizeof(ticket), "%s", cJSON_GetObjectItem(j, "ticket")->valuestring);
    assert_int_equal(ticket[0], 'H'); /* hubd's own ticket, as ever */
    assert_null(cJSON_GetObjectItem(j, "kiosk_ticket"));
    cJSON_Delete(j);
    /* on the board beside hubd's ticket, for reception and for the worker */
    cJSON *item = board_item(&srv, tok[T_RECEPTION], id);
    expect_kiosk_ticket(item, "A001");
    assert_string_equal(cJSON_GetObjectItem(item, "ticket")->valuestring, ticket);
    cJSON_Delete(item);
    item = board_item(&srv, tok[T_WORKER], id);
    expect_kiosk_ticket(item, "A001");
    cJSON_Delete(item);
    /* a replay is the same check-in: 200 and the very first answer */
    assert_int_equal(post_checkin(body, &r2), 200);
    assert_string_equal(r.body, r2.body);
    resp_free(&r2);
    /* the same id with another kiosk ticket, or none, is a different check-in */
    char *other = body_with(id, "\"A002\"");
    assert_int_equal(post_checkin(other, &r2), 409);
    resp_free(&r2);
    char *none = body_with(id, NULL);
    assert_int_equal(post_checkin(none, &r2), 409);
    resp_free(&r2);
    item = board_item(&srv, tok[T_RECEPTION], id);
    expect_kiosk_ticket(item, "A001"); /* unchanged by the conflicts */
    cJSON_Delete(item);
    /* an older kiosk sends none: null on the board */
    char *old = body_with(plain, NULL);
    assert_int_equal(post_checkin(old, &r2), 201);
    resp_free(&r2);
    item = board_item(&srv, tok[T_RECEPTION], plain);
    expect_kiosk_ticket(item, NULL);
    cJSON_Delete(item);
    resp_free(&r);
    free(body);
    free(other);
    free(none);
    free(old);
}

void test_kiosk_ticket_invalid(void **state)
{
    const char *bad[] = {
        "\"A000000000000001\"", /* 16 characters */
        "\"a001\"",             /* lower case */
        "\"A 01\"",
        "\"A_01\"",
        "\"\xc3\x85"
        "001\"", /* Å */
        "\"\"",
        "12",
        "null",
        "true",
        "[\"A001\"]",
        "{\"code\":\"A001\"}",
    };
    struct resp r;
    char id[37];
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        uuid4(id);
        char *body = body_with(id, bad[i]);
        assert_non_null(body);
        post_checkin(body, &r);
        if (r.status != 400 || !strstr(r.body, "kiosk_ticket"))
            fail_msg("kiosk_ticket %s: %ld %s", bad[i], r.status, r.body);
        resp_free(&r);
        free(body);
    }
    /* 15 characters of A-Z, 0-9 and - is the most there is */
    uuid4(id);
    char *body = body_with(id, "\"KIOSK-2-A000001\"");
    assert_int_equal(post_checkin(body, &r), 201);
    resp_free(&r);
    free(body);
    /* in a batch, each item on its own */
    char ids[2][37];
    uuid4(ids[0]);
    uuid4(ids[1]);
    char *good = body_with(ids[0], "\"R001\"");
    char *lower = body_with(ids[1], "\"r001\"");
    char batch[2048];
    snprintf(batch, sizeof(batch), "[%s,%s]", good, lower);
    assert_int_equal(post_checkin(batch, &r), 200);
    cJSON *arr = resp_json(&r);
    assert_int_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(arr, 0), "status")->valueint, 201);
    cJSON *second = cJSON_GetArrayItem(arr, 1);
    assert_int_equal(cJSON_GetObjectItem(second, "status")->valueint, 400);
    assert_non_null(strstr(cJSON_GetObjectItem(second, "error")->valuestring, "kiosk_ticket"));
    cJSON_Delete(arr);
    resp_free(&r);
    cJSON *item = board_item(&srv, tok[T_RECEPTION], ids[0]);
    expect_kiosk_ticket(item, "R001");
    cJSON_Delete(item);
    free(good);
    free(lower);
}

static char *read_all(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *buf = f ? calloc(1, 64 * 1024) : NULL;
    if (buf && fread(buf, 1, 64 * 1024 - 1, f) == 0) {
        free(buf);
        buf = NULL;
    }
    if (f)
        fclose(f);
    return buf;
}

static const char HAS_COLUMN[] =
    "SELECT count(*) FROM pragma_table_info('checkins') WHERE name = 'kiosk_ticket'";

/* A database an older hubd made (schema 3) opens, gets the column, and keeps its check-ins:
 * on the board with kiosk_ticket null, and a replay of the stored one is still a replay. */
void test_kiosk_ticket_migration(void **state)
{
    if (server_pg())
        skip(); /* an older SQLite file */
    struct server s;
    sqlite3 *db;
    char k[65], rc[65], id[37], dir[300];
    struct resp r;
    assert_int_equal(server_init(&s), 0);
    snprintf(dir, sizeof(dir), "%s/db", s.dir); /* where hubd would make its database */
    assert_int_equal(mkdir(dir, 0700), 0);
    char *dump = read_all(fixture("hub-v3.sql"));
    assert_non_null(dump);
    assert_int_equal(sqlite3_open(s.db, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, dump, NULL, NULL, NULL), SQLITE_OK);
    /* received today: one still waiting from an earlier day is closed at that day's end */
    assert_int_equal(sqlite3_exec(db,
                                  "UPDATE checkins SET received_at ="
                                  " CAST(strftime('%s', 'now') AS INTEGER) * 1000",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    free(dump);
    assert_int_equal(db_long(s.db, "PRAGMA user_version"), 3);
    assert_int_equal(db_long(s.db, HAS_COLUMN), 0);
    assert_int_equal(server_start(&s, NULL), 0);
    /* migration 4 brought the column; later migrations add other things */
    long version = db_long(s.db, "PRAGMA user_version");
    assert_true(version >= 4);
    assert_int_equal(db_long(s.db, HAS_COLUMN), 1);
    assert_int_equal(make_token(&s, "kiosk", "k", k), 0);
    assert_int_equal(make_token(&s, "reception", "r", rc), 0);
    const char *old_id = "3f1c2a4e-1b2c-4d3e-8f40-123456789abc";
    cJSON *item = board_item(&s, rc, old_id);
    expect_kiosk_ticket(item, NULL);
    assert_string_equal(cJSON_GetObjectItem(item, "ticket")->valuestring, "H1");
    cJSON_Delete(item);
    /* the kiosk retries the check-in the older hubd stored: the same one, the same ticket */
    char *old = read_all(fixture("checkin.json"));
    assert_non_null(old);
    assert_int_equal(
        http(&s, "POST", "/api/v1/checkins", k, "application/json", old, strlen(old), NULL, &r), 0);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "\"ticket\":\"H1\""));
    resp_free(&r);
    free(old);
    /* and new check-ins keep theirs */
    uuid4(id);
    char *body = body_with(id, "\"A001\"");
    assert_int_equal(http_status(&s, "POST", "/api/v1/checkins", k, "application/json", body), 201);
    free(body);
    item = board_item(&s, rc, id);
    expect_kiosk_ticket(item, "A001");
    cJSON_Delete(item);
    assert_int_equal(server_stop(&s), 0);
    /* and it opens again without migrating twice */
    assert_int_equal(server_start(&s, NULL), 0);
    assert_int_equal(db_long(s.db, "PRAGMA user_version"), version);
    assert_int_equal(server_stop(&s), 0);
    server_cleanup(&s);
}
