/* test_kiosk_ticket.c — integration tests of the one ticket: the kiosk issues it (H-A07,
 * its code from its token), hubd adopts it as THE ticket, replaces one it cannot adopt (none,
 * malformed, another kiosk's code, a clash within the day) and says why, never refusing the
 * resident; the board shows the one ticket; two kiosks' tickets never clash; positions count
 * who is ahead; older databases (fixtures/hub-v3.sql) keep their tickets. */
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
#include <time.h>

#define TICKET_MAX (TICKET_LEN_MAX + 1)

/* A check-in body for id (for w-sian, housing) with key ("ticket", or an older kiosk's
 * "kiosk_ticket") set to the JSON value kt (NULL: left out). */
static char *body_key(const char *id, const char *key, const char *kt)
{
    char *base = checkin_body(id, "w-sian", "housing", false, NULL, NULL, false);
    cJSON *o = cJSON_Parse(base);
    free(base);
    if (kt)
        cJSON_AddItemToObject(o, key, cJSON_Parse(kt));
    char *s = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return s;
}

static char *body_with(const char *id, const char *kt)
{
    return body_key(id, "ticket", kt);
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

/* The board card: THE ticket, and beside it the kiosk's only when hubd replaced it. */
static void expect_card(cJSON *item, const char *ticket, const char *kiosk_ticket)
{
    assert_non_null(item);
    if (ticket)
        assert_string_equal(cJSON_GetObjectItem(item, "ticket")->valuestring, ticket);
    cJSON *kt = cJSON_GetObjectItem(item, "kiosk_ticket");
    assert_non_null(kt); /* always present: a string, or null */
    if (kiosk_ticket)
        assert_string_equal(cJSON_GetStringValue(kt), kiosk_ticket);
    else
        assert_true(cJSON_IsNull(kt));
}

/* POSTs body as token on s; 201 expected. The answer's ticket into out; its ticket_why (or
 * "" when the kiosk's was adopted) into why. */
static void post_ticket(const struct server *s, const char *token, const char *body, char *out,
                        char *why)
{
    struct resp r;
    assert_int_equal(http(s, "POST", "/api/v1/checkins", token, "application/json", body,
                          strlen(body), NULL, &r),
                     0);
    if (r.status != 201)
        fail_msg("POST /checkins: %ld %s", r.status, r.body);
    cJSON *j = resp_json(&r);
    const char *from = cJSON_GetObjectItem(j, "ticket_from")->valuestring;
    cJSON *w = cJSON_GetObjectItem(j, "ticket_why");
    snprintf(out, TICKET_MAX, "%s", cJSON_GetObjectItem(j, "ticket")->valuestring);
    snprintf(why, 40, "%s", w ? w->valuestring : "");
    assert_string_equal(from, w ? "hubd" : "kiosk"); /* hubd says so whenever it replaced it */
    cJSON_Delete(j);
    resp_free(&r);
}

/* "H-<code of token><n>", the ticket that kiosk issues as its nth of the day. */
static void kiosk_ticket(const char *token, int n, char *out)
{
    char code[TICKET_CODE_MAX + 1];
    assert_int_equal(ticket_code_of_token(token, code), 0);
    assert_int_equal(ticket_format('H', code, n, out, TICKET_MAX), 0);
}

void test_kiosk_ticket_board(void **state)
{
    char id[37], again[37], legacy[37], t[TICKET_MAX], t2[TICKET_MAX], got[TICKET_MAX], why[40];
    struct resp r, r2;
    uuid4(id);
    uuid4(again);
    uuid4(legacy);
    kiosk_ticket(tok[T_KIOSK], 41, t);
    char kt[24];
    snprintf(kt, sizeof(kt), "\"%s\"", t);
    char *body = body_with(id, kt);
    post_ticket(&srv, tok[T_KIOSK], body, got, why);
    assert_string_equal(got, t); /* adopted: the kiosk's ticket is THE ticket */
    assert_string_equal(why, "");
    /* the board card shows that one ticket, to reception and to the worker */
    cJSON *item = board_item(&srv, tok[T_RECEPTION], id);
    expect_card(item, t, NULL);
    cJSON_Delete(item);
    item = board_item(&srv, tok[T_WORKER], id);
    expect_card(item, t, NULL);
    cJSON_Delete(item);
    /* a replay is the same check-in: 200 and the very first answer */
    assert_int_equal(post_checkin(body, &r), 200);
    assert_int_equal(post_checkin(body, &r2), 200);
    assert_string_equal(r.body, r2.body);
    assert_non_null(strstr(r.body, t));
    resp_free(&r);
    resp_free(&r2);
    /* the same id with another ticket, or none, is a different check-in */
    kiosk_ticket(tok[T_KIOSK], 42, t2);
    char other_kt[24];
    snprintf(other_kt, sizeof(other_kt), "\"%s\"", t2);
    char *other = body_with(id, other_kt);
    assert_int_equal(post_checkin(other, &r2), 409);
    resp_free(&r2);
    char *none = body_with(id, NULL);
    assert_int_equal(post_checkin(none, &r2), 409);
    resp_free(&r2);
    /* a clash: another resident with a ticket that is already someone's today gets one of
     * hubd's, the answer says why, and the card shows the one the resident holds beside it */
    char *clash = body_with(again, kt);
    post_ticket(&srv, tok[T_KIOSK], clash, got, why);
    assert_string_not_equal(got, t);
    assert_string_equal(why, "clash");
    char code[TICKET_CODE_MAX + 1];
    assert_int_equal(ticket_parse(got, code, NULL), 0);
    assert_string_equal(code, ""); /* hubd's own: no kiosk code, never a kiosk's */
    item = board_item(&srv, tok[T_RECEPTION], again);
    expect_card(item, got, t);
    cJSON_Delete(item);
    /* an older kiosk's name for the field is the same thing */
    char *old = body_key(legacy, "kiosk_ticket", other_kt);
    post_ticket(&srv, tok[T_KIOSK], old, got, why);
    assert_string_equal(got, t2);
    free(body);
    free(other);
    free(none);
    free(clash);
    free(old);
}

void test_kiosk_ticket_invalid(void **state)
{
    /* what hubd cannot adopt is replaced, never refused: the JSON value, and the kiosk's
     * ticket the card shows beside hubd's (NULL: none kept) */
    static const char *const odd[][2] = {
        {"\"A000000000000001\"", NULL}, /* 16 characters */
        {"\"a001\"", NULL},             /* lower case */
        {"\"A 01\"", NULL},
        {"\"\xc3\x85"
         "001\"",
         NULL}, /* Å */
        {"\"\"", NULL},
        {"\"A001\"", "A001"},       /* an older kiosk's own numbering */
        {"\"R-07\"", "R-07"},       /* hubd's form: a kiosk ticket has the kiosk's code */
        {"\"H-A7\"", "H-A7"},       /* the number in two digits at least */
        {"\"H-ABC07\"", "H-ABC07"}, /* a code of three letters */
    };
    char id[37], got[TICKET_MAX], why[40];
    for (size_t i = 0; i < sizeof(odd) / sizeof(odd[0]); i++) {
        uuid4(id);
        char *body = body_with(id, odd[i][0]);
        post_ticket(&srv, tok[T_KIOSK], body, got, why);
        if (strcmp(why, "malformed") != 0)
            fail_msg("ticket %s: %s (%s)", odd[i][0], got, why);
        cJSON *item = board_item(&srv, tok[T_RECEPTION], id);
        expect_card(item, got, odd[i][1]);
        cJSON_Delete(item);
        free(body);
    }
    /* another kiosk's code: this kiosk cannot issue it */
    char code[TICKET_CODE_MAX + 1], theirs[TICKET_MAX], kt[24];
    assert_int_equal(ticket_code_of_token(tok[T_KIOSK], code), 0);
    assert_int_equal(ticket_format('H', code[0] == 'Z' ? "Y" : "Z", 7, theirs, sizeof(theirs)), 0);
    snprintf(kt, sizeof(kt), "\"%s\"", theirs);
    uuid4(id);
    char *body = body_with(id, kt);
    post_ticket(&srv, tok[T_KIOSK], body, got, why);
    assert_string_equal(why, "another kiosk's code");
    free(body);
    /* only a ticket that is not a string is a malformed structure: 400 naming it */
    static const char *const wrong[] = {"12", "true", "[\"H-A07\"]", "{\"code\":\"H-A07\"}"};
    struct resp r;
    for (size_t i = 0; i < sizeof(wrong) / sizeof(wrong[0]); i++) {
        uuid4(id);
        body = body_with(id, wrong[i]);
        post_checkin(body, &r);
        if (r.status != 400 || !strstr(r.body, "ticket"))
            fail_msg("ticket %s: %ld %s", wrong[i], r.status, r.body);
        resp_free(&r);
        free(body);
    }
    /* in a batch, each item on its own */
    char ids[2][37], good_kt[24], t[TICKET_MAX];
    uuid4(ids[0]);
    uuid4(ids[1]);
    kiosk_ticket(tok[T_KIOSK], 51, t);
    snprintf(good_kt, sizeof(good_kt), "\"%s\"", t);
    char *good = body_with(ids[0], good_kt);
    char *num = body_with(ids[1], "51");
    char batch[2048];
    snprintf(batch, sizeof(batch), "[%s,%s]", good, num);
    assert_int_equal(post_checkin(batch, &r), 200);
    cJSON *arr = resp_json(&r);
    cJSON *first = cJSON_GetArrayItem(arr, 0);
    assert_int_equal(cJSON_GetObjectItem(first, "status")->valueint, 201);
    assert_string_equal(cJSON_GetObjectItem(first, "ticket")->valuestring, t);
    cJSON *second = cJSON_GetArrayItem(arr, 1);
    assert_int_equal(cJSON_GetObjectItem(second, "status")->valueint, 400);
    assert_non_null(strstr(cJSON_GetObjectItem(second, "error")->valuestring, "ticket"));
    cJSON_Delete(arr);
    resp_free(&r);
    free(good);
    free(num);
}

/* GET /directory as token on s: worker id's `waiting` (-1 when absent) and the ETag. */
static long dir_waiting(const struct server *s, const char *token, const char *id, char *etag,
                        size_t cap)
{
    struct resp r;
    cJSON *w;
    long n = -1;
    assert_int_equal(http(s, "GET", "/api/v1/directory", token, NULL, NULL, 0, NULL, &r), 0);
    assert_int_equal(r.status, 200);
    assert_non_null(resp_header(&r, "ETag", etag, cap));
    cJSON *d = resp_json(&r);
    cJSON_ArrayForEach(w, cJSON_GetObjectItem(d, "workers"))
    {
        cJSON *v = cJSON_GetObjectItem(w, "waiting");
        if (strcmp(cJSON_GetObjectItem(w, "id")->valuestring, id) == 0 && cJSON_IsNumber(v))
            n = (long)v->valuedouble;
    }
    cJSON_Delete(d);
    resp_free(&r);
    return n;
}

/* A body for id to worker from kiosk token tok, created minutes_ago by the kiosk's clock,
 * with that kiosk's nth ticket. */
static char *skewed_body(const char *id, const char *token, int n, int minutes_ago)
{
    char t[TICKET_MAX], at[40];
    time_t when = time(NULL) - minutes_ago * 60;
    struct tm tm;
    gmtime_r(&when, &tm);
    strftime(at, sizeof(at), "%Y-%m-%dT%H:%M:%SZ", &tm);
    kiosk_ticket(token, n, t);
    char *base = body_with(id, NULL);
    cJSON *o = cJSON_Parse(base);
    free(base);
    cJSON_ReplaceItemInObject(o, "created_at", cJSON_CreateString(at));
    cJSON_AddStringToObject(o, "ticket", t);
    char *s = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return s;
}

/* Two kiosks: each token gets its own code (A, B; or one given), so their tickets never
 * clash; the first in a worker's line has no one ahead (position 0) and the next one; the
 * line is in the order hubd received them, however wrong a kiosk's clock is. */
void test_kiosk_ticket_two_kiosks(void **state)
{
    struct server s;
    char k1[65], k2[65], rc[65], c1[TICKET_CODE_MAX + 1], c2[TICKET_CODE_MAX + 1];
    char out[256], err[256];
    assert_int_equal(server_init(&s), 0);
    const char *args[] = {"--seed", fixture("hub.json"), NULL};
    assert_int_equal(server_start(&s, args), 0);
    assert_int_equal(make_token(&s, "kiosk", "door", k1), 0);
    assert_int_equal(make_token(&s, "kiosk", "side-door", k2), 0);
    assert_int_equal(make_token(&s, "reception", "r", rc), 0);
    assert_int_equal(ticket_code_of_token(k1, c1), 0);
    assert_int_equal(ticket_code_of_token(k2, c2), 0);
    assert_string_equal(c1, "A");
    assert_string_equal(c2, "B");
    /* a code given on purpose, and a bad one refused with one clear line */
    const char *given[] = {"--db", s.db, "token", "kiosk", "upstairs", "--code", "Q", NULL};
    assert_int_equal(run_hubd(given, out, sizeof(out), err, sizeof(err)), 0);
    assert_int_equal(strncmp(out, "Q-", 2), 0);
    const char *bad[] = {"--db", s.db, "token", "kiosk", "x", "--code", "q1", NULL};
    assert_true(run_hubd(bad, out, sizeof(out), err, sizeof(err)) != 0);
    assert_non_null(strstr(err, "--code"));
    /* both kiosks number from 1: different tickets, all adopted. Kiosk B's clock is two
     * hours slow, so by created_at its residents would go first */
    char ids[6][37], got[6][TICKET_MAX], why[40];
    for (int i = 0; i < 6; i++) {
        uuid4(ids[i]);
        const char *k = i % 2 ? k2 : k1;
        char *body = skewed_body(ids[i], k, i / 2 + 1, i % 2 ? 120 : 0);
        post_ticket(&s, k, body, got[i], why);
        assert_string_equal(why, "");
        free(body);
        for (int j = 0; j < i; j++)
            assert_string_not_equal(got[i], got[j]);
    }
    /* the board: in the order received, positions from 0 ("You're next"), waits by hubd's
     * clock (not two hours for kiosk B's residents) */
    struct resp r;
    assert_int_equal(http(&s, "GET", "/api/v1/checkins?status=waiting&worker_id=w-sian", rc, NULL,
                          NULL, 0, NULL, &r),
                     0);
    cJSON *j = resp_json(&r);
    resp_free(&r);
    cJSON *list = cJSON_GetObjectItem(j, "checkins");
    assert_int_equal(cJSON_GetArraySize(list), 6);
    for (int i = 0; i < 6; i++) {
        cJSON *it = cJSON_GetArrayItem(list, i);
        assert_string_equal(cJSON_GetObjectItem(it, "id")->valuestring, ids[i]);
        assert_string_equal(cJSON_GetObjectItem(it, "ticket")->valuestring, got[i]);
        assert_int_equal(cJSON_GetObjectItem(it, "position")->valueint, i);
        assert_true(cJSON_GetObjectItem(it, "waiting_min")->valueint < 5);
    }
    cJSON_Delete(j);
    /* the directory counts them for the kiosks' matcher, and its ETag follows the count */
    char etag[80], etag2[80], inm[100];
    assert_int_equal(dir_waiting(&s, k1, "w-sian", etag, sizeof(etag)), 6);
    assert_int_equal(dir_waiting(&s, k1, "w-rhian", etag2, sizeof(etag2)), 0);
    assert_string_equal(etag, etag2);
    char path[128];
    snprintf(path, sizeof(path), "/api/v1/checkins/%s/handover", ids[0]);
    assert_int_equal(http_status(&s, "POST", path, rc, NULL, NULL), 200);
    assert_int_equal(dir_waiting(&s, k2, "w-sian", etag2, sizeof(etag2)), 5);
    assert_string_not_equal(etag, etag2);
    snprintf(inm, sizeof(inm), "If-None-Match: %s", etag);
    assert_int_equal(http(&s, "GET", "/api/v1/directory", k1, NULL, NULL, 0, inm, &r), 0);
    assert_int_equal(r.status, 200); /* the old ETag is stale */
    resp_free(&r);
    snprintf(inm, sizeof(inm), "If-None-Match: %s", etag2);
    assert_int_equal(http(&s, "GET", "/api/v1/directory", k1, NULL, NULL, 0, inm, &r), 0);
    assert_int_equal(r.status, 304);
    resp_free(&r);
    /* each answer's position too: the first had no one ahead */
    char id[37];
    uuid4(id);
    char *body = checkin_body(id, "w-rhian", "health", false, NULL, NULL, false);
    assert_int_equal(
        http(&s, "POST", "/api/v1/checkins", k1, "application/json", body, strlen(body), NULL, &r),
        0);
    assert_int_equal(r.status, 201);
    assert_non_null(strstr(r.body, "\"position\":0"));
    resp_free(&r);
    free(body);
    assert_int_equal(server_stop(&s), 0);
    server_cleanup(&s);
}

static const char HAS_COLUMN[] =
    "SELECT count(*) FROM pragma_table_info('checkins') WHERE name = 'kiosk_ticket'";

/* A database an older hubd made (schema 3) opens, gets the columns, and keeps its check-ins:
 * on the board with their ticket (no kiosk ticket), and a replay of the stored one is still a
 * replay with the same ticket. */
void test_kiosk_ticket_migration(void **state)
{
    if (server_pg())
        skip(); /* an older SQLite file */
    struct server s;
    size_t len;
    char k[65], rc[65], id[37];
    struct resp r;
    assert_int_equal(server_init(&s), 0);
    assert_int_equal(server_db_from_dump(&s, "hub-v3.sql"), 0);
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
    expect_card(item, "H1", NULL);
    cJSON_Delete(item);
    /* the kiosk retries the check-in the older hubd stored: the same one, the same ticket */
    char *old = slurp(fixture("checkin.json"), &len);
    assert_non_null(old);
    assert_int_equal(
        http(&s, "POST", "/api/v1/checkins", k, "application/json", old, strlen(old), NULL, &r), 0);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "\"ticket\":\"H1\""));
    resp_free(&r);
    free(old);
    /* and new check-ins keep the kiosk's */
    char t[TICKET_MAX], kt[24];
    kiosk_ticket(k, 1, t);
    snprintf(kt, sizeof(kt), "\"%s\"", t);
    uuid4(id);
    char *body = body_with(id, kt);
    assert_int_equal(http_status(&s, "POST", "/api/v1/checkins", k, "application/json", body), 201);
    free(body);
    item = board_item(&s, rc, id);
    expect_card(item, t, NULL);
    cJSON_Delete(item);
    assert_int_equal(server_stop(&s), 0);
    /* and it opens again without migrating twice */
    assert_int_equal(server_start(&s, NULL), 0);
    assert_int_equal(db_long(s.db, "PRAGMA user_version"), version);
    assert_int_equal(server_stop(&s), 0);
    server_cleanup(&s);
}
