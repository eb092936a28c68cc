/* test_kiosks.c — reception sees a kiosk in trouble: POST /kiosks/status and GET /kiosks over
 * a real hubd (the role matrix, bad bodies, the counts round-trip, a sign of life written once
 * and not per request, a revoked kiosk gone, the `kiosk` event on the live board but never on
 * a kiosk's own stream, storage failing underneath, and on PostgreSQL another hub's tokens
 * seeing nothing of theirs), then the numbered migrations: a database made by the previous
 * hubd goes forward, an older schema is brought up to date, a newer one is refused. Runs on
 * SQLite, and on PostgreSQL when HUBD_TEST_PG is set. */
#include "client.h"
#include "sse_client.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <curl/curl.h>
#include <sqlite3.h>

#define STATUS "/api/v1/kiosks/status"
#define KIOSKS "/api/v1/kiosks"
#define JSON   "application/json"

static struct server srv;
static char k_door[65], k_side[65], k_gone[65], recep[65], worker[65], manager[65], admin[65];

static int group_setup(void **state)
{
    if (server_init(&srv) < 0 ||
        make_worker_token(&srv, fixture("hub.json"), "sian", "w-sian", worker) < 0 ||
        make_token(&srv, "kiosk", "door", k_door) < 0 ||
        make_token(&srv, "kiosk", "side", k_side) < 0 ||
        make_token(&srv, "kiosk", "gone", k_gone) < 0 ||
        make_token(&srv, "reception", "desk", recep) < 0 ||
        make_token(&srv, "manager", "boss", manager) < 0 ||
        make_token(&srv, "admin", "root", admin) < 0)
        return -1;
    const char *args[] = {"--seed", fixture("hub.json"), NULL};
    return server_start(&srv, args);
}

static int group_teardown(void **state)
{
    int rc = server_stop(&srv);
    server_cleanup(&srv);
    return rc == 0 ? 0 : -1;
}

static long post_status(const struct server *s, const char *token, const char *body)
{
    return http_status(s, "POST", STATUS, token, JSON, body);
}

/* GET /kiosks with token: the answer's JSON (asserted 200 and well formed). */
static cJSON *kiosks_get(const struct server *s, const char *token, const char *query)
{
    struct resp r;
    char path[128];
    snprintf(path, sizeof(path), "%s%s", KIOSKS, query ? query : "");
    assert_int_equal(http(s, "GET", path, token, NULL, NULL, 0, NULL, &r), 0);
    assert_int_equal(r.status, 200);
    cJSON *o = resp_json(&r);
    resp_free(&r);
    assert_non_null(o);
    assert_true(cJSON_IsArray(cJSON_GetObjectItem(o, "kiosks")));
    return o;
}

/* The entry of kiosk name in a GET /kiosks answer, or NULL. */
static const cJSON *kiosk_of(const cJSON *o, const char *name)
{
    const cJSON *k;
    cJSON_ArrayForEach(k, cJSON_GetObjectItem(o, "kiosks"))
    {
        const cJSON *n = cJSON_GetObjectItem(k, "name");
        if (cJSON_IsString(n) && !strcmp(n->valuestring, name))
            return k;
    }
    return NULL;
}

/* Asserts kiosk name's counts as GET /kiosks shows them (-1: null, never reported). */
static void expect_counts(const char *token, const char *name, int pending, int set_aside)
{
    cJSON *o = kiosks_get(&srv, token, NULL);
    const cJSON *k = kiosk_of(o, name);
    assert_non_null(k);
    const cJSON *p = cJSON_GetObjectItem(k, "pending"), *a = cJSON_GetObjectItem(k, "set_aside");
    if (pending < 0) {
        assert_true(cJSON_IsNull(p));
        assert_true(cJSON_IsNull(a));
    } else {
        assert_true(cJSON_IsNumber(p) && cJSON_IsNumber(a));
        assert_int_equal(p->valueint, pending);
        assert_int_equal(a->valueint, set_aside);
    }
    cJSON_Delete(o);
}

/* Kiosk name's last_seen as GET /kiosks shows it, copied into out. */
static void last_seen(const char *name, char *out, size_t cap)
{
    cJSON *o = kiosks_get(&srv, recep, NULL);
    const cJSON *k = kiosk_of(o, name);
    assert_non_null(k);
    const cJSON *t = cJSON_GetObjectItem(k, "last_seen");
    assert_true(cJSON_IsString(t));
    snprintf(out, cap, "%s", t->valuestring);
    cJSON_Delete(o);
}

static void test_roles(void **state)
{
    const char *ok = "{\"pending\":0,\"set_aside\":0}";
    assert_int_equal(post_status(&srv, NULL, ok), 401);
    assert_int_equal(post_status(&srv, recep, ok), 403);
    assert_int_equal(post_status(&srv, worker, ok), 403);
    assert_int_equal(post_status(&srv, manager, ok), 403);
    assert_int_equal(post_status(&srv, k_door, ok), 204);
    assert_int_equal(http_status(&srv, "GET", KIOSKS, NULL, NULL, NULL), 401);
    assert_int_equal(http_status(&srv, "GET", KIOSKS, k_door, NULL, NULL), 403);
    assert_int_equal(http_status(&srv, "GET", KIOSKS, worker, NULL, NULL), 403);
    assert_int_equal(http_status(&srv, "GET", KIOSKS, recep, NULL, NULL), 200);
    assert_int_equal(http_status(&srv, "GET", KIOSKS, manager, NULL, NULL), 200);
    assert_int_equal(http_status(&srv, "GET", KIOSKS, admin, NULL, NULL), 200);
    assert_int_equal(http_status(&srv, "GET", STATUS, k_door, NULL, NULL), 405);
    assert_int_equal(http_status(&srv, "DELETE", KIOSKS, recep, NULL, NULL), 405);
    /* a 204 has no body at all */
    struct resp r;
    assert_int_equal(http(&srv, "POST", STATUS, k_door, JSON, ok, strlen(ok), NULL, &r), 0);
    assert_int_equal(r.status, 204);
    assert_int_equal(r.len, 0);
    resp_free(&r);
}

static void test_bad_bodies(void **state)
{
    static const char *const bad[] = {
        "",
        "not json",
        "[]",
        "[{\"pending\":1,\"set_aside\":1}]",
        "null",
        "7",
        "{}",
        "{\"pending\":1}",
        "{\"set_aside\":1}",
        "{\"pending\":-1,\"set_aside\":0}",
        "{\"pending\":1,\"set_aside\":-3}",
        "{\"pending\":1.5,\"set_aside\":0}",
        "{\"pending\":\"2\",\"set_aside\":0}",
        "{\"pending\":true,\"set_aside\":0}",
        "{\"pending\":null,\"set_aside\":0}",
        "{\"pending\":1e12,\"set_aside\":0}",
        "{\"pending\":1,\"set_aside\":10000001}",
        "{\"pending\":1,\"set_aside\":1} x",
        "{\"pending\":1,\"set_aside\":1}{}",
    };
    assert_int_equal(post_status(&srv, k_side, "{\"pending\":4,\"set_aside\":3}"), 204);
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct resp r;
        assert_int_equal(http(&srv, "POST", STATUS, k_side, JSON, bad[i], strlen(bad[i]), NULL, &r),
                         0);
        if (r.status != 400)
            fprintf(stderr, "body %s: %ld\n", bad[i], r.status);
        assert_int_equal(r.status, 400);
        cJSON *o = resp_json(&r);
        assert_true(o && cJSON_IsString(cJSON_GetObjectItem(o, "error")));
        cJSON_Delete(o);
        resp_free(&r);
    }
    /* not JSON by its type */
    assert_int_equal(
        http_status(&srv, "POST", STATUS, k_side, "text/plain", "{\"pending\":1,\"set_aside\":1}"),
        415);
    /* none of them changed what reception sees */
    expect_counts(recep, "side", 4, 3);
    /* unknown fields are ignored; the top of the range is fine */
    assert_int_equal(
        post_status(&srv, k_side, "{\"pending\":10000000,\"set_aside\":0,\"battery\":\"low\"}"),
        204);
    expect_counts(recep, "side", 10000000, 0);
}

static void test_round_trip(void **state)
{
    char t1[40], t2[40];
    assert_int_equal(post_status(&srv, k_door, "{\"pending\":3,\"set_aside\":2}"), 204);
    expect_counts(recep, "door", 3, 2);
    expect_counts(manager, "door", 3, 2);
    cJSON *o = kiosks_get(&srv, recep, NULL);
    const cJSON *k = kiosk_of(o, "door");
    assert_non_null(k);
    /* the kiosk's code from its token (its tokens start with it), hubd's time */
    const cJSON *code = cJSON_GetObjectItem(k, "code");
    assert_true(cJSON_IsString(code));
    assert_int_equal(strncmp(k_door, code->valuestring, strlen(code->valuestring)), 0);
    assert_int_equal(k_door[strlen(code->valuestring)], '-');
    const char *seen = cJSON_GetStringValue(cJSON_GetObjectItem(k, "last_seen"));
    assert_non_null(seen);
    assert_int_equal(strlen(seen), 24); /* 2026-12-02T10:42:00.000Z */
    assert_int_equal(seen[23], 'Z');
    time_t now = time(NULL);
    struct tm tm;
    char today[16];
    gmtime_r(&now, &tm);
    strftime(today, sizeof(today), "%Y-%m-%d", &tm);
    assert_int_equal(strncmp(seen, today, 10), 0);
    cJSON_Delete(o);
    /* back to nothing to send */
    assert_int_equal(post_status(&srv, k_door, "{\"pending\":0,\"set_aside\":0}"), 204);
    expect_counts(recep, "door", 0, 0);
    /* a kiosk that never reported counts but asked for the directory is in touch: counts null */
    o = kiosks_get(&srv, recep, NULL);
    assert_null(kiosk_of(o, "gone"));
    cJSON_Delete(o);
    assert_int_equal(http_status(&srv, "GET", "/api/v1/directory", k_gone, NULL, NULL), 200);
    expect_counts(recep, "gone", -1, -1);
    /* its sign of life is written once, not per request (at most every 30 s) */
    last_seen("gone", t1, sizeof(t1));
    usleep(20 * 1000);
    for (int i = 0; i < 5; i++)
        assert_int_equal(http_status(&srv, "GET", "/api/v1/directory", k_gone, NULL, NULL), 200);
    last_seen("gone", t2, sizeof(t2));
    assert_string_equal(t1, t2);
    /* a report is always written */
    usleep(20 * 1000);
    assert_int_equal(post_status(&srv, k_gone, "{\"pending\":1,\"set_aside\":0}"), 204);
    last_seen("gone", t2, sizeof(t2));
    assert_true(strcmp(t2, t1) > 0);
    expect_counts(recep, "gone", 1, 0);
    /* a revoked kiosk is no longer the hub's: it drops off the list */
    char out[256], err[256];
    const char *args[] = {"--db", srv.db, "token", "revoke", "gone", NULL};
    assert_int_equal(run_hubd(args, out, sizeof(out), err, sizeof(err)), 0);
    o = kiosks_get(&srv, recep, NULL);
    assert_null(kiosk_of(o, "gone"));
    assert_non_null(kiosk_of(o, "door"));
    cJSON_Delete(o);
}

static void test_event(void **state)
{
    struct sse s, ks;
    struct sse_msg m, km;
    assert_int_equal(sse_open(&s, srv.port, "/api/v1/events", recep, NULL), 0);
    assert_int_equal(s.status, 200);
    /* a kiosk is a public screen: its own stream hears nothing of the kiosks */
    assert_int_equal(sse_open(&ks, srv.port, "/api/v1/events", k_side, NULL), 0);
    assert_int_equal(ks.status, 200);
    assert_int_equal(post_status(&srv, k_door, "{\"pending\":5,\"set_aside\":2}"), 204);
    assert_int_equal(sse_wait(&s, "kiosk", "\"name\":\"door\"", &m, 3000), 1);
    assert_int_equal(sse_wait(&ks, "kiosk", NULL, &km, 500), 0);
    sse_close(&ks);
    cJSON *d = cJSON_Parse(m.data);
    assert_non_null(d);
    assert_int_equal(cJSON_GetObjectItem(d, "pending")->valueint, 5);
    assert_int_equal(cJSON_GetObjectItem(d, "set_aside")->valueint, 2);
    assert_true(cJSON_IsString(cJSON_GetObjectItem(d, "code")));
    assert_true(cJSON_IsString(cJSON_GetObjectItem(d, "last_seen")));
    cJSON_Delete(d);
    /* the same counts again: nothing for reception to hear */
    assert_int_equal(post_status(&srv, k_door, "{\"pending\":5,\"set_aside\":2}"), 204);
    assert_int_equal(sse_wait(&s, "kiosk", NULL, &m, 800), 0);
    /* the set-aside ones sent after all */
    assert_int_equal(post_status(&srv, k_door, "{\"pending\":0,\"set_aside\":0}"), 204);
    assert_int_equal(sse_wait(&s, "kiosk", "\"set_aside\":0", &m, 3000), 1);
    assert_non_null(strstr(m.data, "\"name\":\"door\""));
    sse_close(&s);
}

/* `hubd --db DB --seed both token ROLE NAME --hub HUB` into out. */
static int county_token(const struct server *s, const char *role, const char *name, const char *hub,
                        char *out)
{
    char buf[256], err[256], test[512], north[512];
    snprintf(test, sizeof(test), "%s", fixture("hub.json"));
    snprintf(north, sizeof(north), "%s", fixture("hub-north.json"));
    const char *args[] = {"--db",  s->db, "--seed", test,    "--seed", north,
                          "token", role,  name,     "--hub", hub,      NULL};
    int rc = run_hubd(args, buf, sizeof(buf), err, sizeof(err));
    snprintf(out, 65, "%.64s", buf);
    return rc;
}

/* Two hubs in one database: each hub's reception sees its own kiosks only, even one of the
 * same name; a county manager the hub it names. */
static void test_hub_isolation(void **state)
{
    if (!server_pg())
        skip(); /* a SQLite file holds one hub */
    struct server c;
    char k_test[65], k_north[65], k_hall[65], r_test[65], r_north[65], m_county[65];
    assert_int_equal(server_init(&c), 0);
    assert_int_equal(county_token(&c, "kiosk", "door", "testhub", k_test), 0);
    assert_int_equal(county_token(&c, "kiosk", "door", "northhub", k_north), 0);
    assert_int_equal(county_token(&c, "kiosk", "hall", "northhub", k_hall), 0);
    assert_int_equal(county_token(&c, "reception", "desk", "testhub", r_test), 0);
    assert_int_equal(county_token(&c, "reception", "desk-n", "northhub", r_north), 0);
    assert_int_equal(county_token(&c, "manager", "county", "all", m_county), 0);
    assert_int_equal(server_start(&c, NULL), 0);
    assert_int_equal(post_status(&c, k_test, "{\"pending\":1,\"set_aside\":0}"), 204);
    assert_int_equal(post_status(&c, k_north, "{\"pending\":8,\"set_aside\":6}"), 204);
    assert_int_equal(post_status(&c, k_hall, "{\"pending\":9,\"set_aside\":7}"), 204);
    cJSON *o = kiosks_get(&c, r_test, NULL);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(o, "kiosks")), 1);
    const cJSON *k = kiosk_of(o, "door");
    assert_non_null(k);
    assert_int_equal(cJSON_GetObjectItem(k, "set_aside")->valueint, 0);
    assert_null(kiosk_of(o, "hall"));
    cJSON_Delete(o);
    o = kiosks_get(&c, r_north, NULL);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(o, "kiosks")), 2);
    k = kiosk_of(o, "hall");
    assert_non_null(k);
    assert_int_equal(cJSON_GetObjectItem(k, "set_aside")->valueint, 7);
    k = kiosk_of(o, "door"); /* north's own door, not testhub's */
    assert_non_null(k);
    assert_int_equal(cJSON_GetObjectItem(k, "set_aside")->valueint, 6);
    cJSON_Delete(o);
    o = kiosks_get(&c, m_county, "?hub=northhub");
    assert_non_null(kiosk_of(o, "hall"));
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(o, "kiosks")), 2);
    cJSON_Delete(o);
    assert_int_not_equal(http_status(&c, "GET", KIOSKS, m_county, NULL, NULL), 200);
    /* and the live board of one hub does not hear the other's kiosks */
    struct sse s;
    struct sse_msg m;
    assert_int_equal(sse_open(&s, c.port, "/api/v1/events", r_test, NULL), 0);
    assert_int_equal(post_status(&c, k_hall, "{\"pending\":9,\"set_aside\":1}"), 204);
    assert_int_equal(post_status(&c, k_north, "{\"pending\":1,\"set_aside\":0}"), 204);
    assert_int_equal(sse_wait(&s, "kiosk", NULL, &m, 1000), 0);
    assert_int_equal(post_status(&c, k_test, "{\"pending\":2,\"set_aside\":0}"), 204);
    assert_int_equal(sse_wait(&s, "kiosk", "\"pending\":2", &m, 3000), 1);
    sse_close(&s);
    assert_int_equal(server_stop(&c), 0);
    server_cleanup(&c);
}

/* Storage that fails under hubd (the kiosks' table gone): a report and the list are 503 with a
 * JSON error, a kiosk's other requests go on (its sign of life is tried again later), and
 * all works again once the table is back. */
static void test_storage_fails(void **state)
{
    struct server s;
    char k[65], r[65];
    bool pg = server_pg();
    assert_int_equal(server_init(&s), 0);
    assert_int_equal(make_token(&s, "kiosk", "door", k), 0);
    assert_int_equal(make_token(&s, "reception", "desk", r), 0);
    const char *args[] = {"--seed", fixture("hub.json"), NULL};
    assert_int_equal(server_start(&s, args), 0);
    assert_true(db_change(s.db, "DROP TABLE kiosks", NULL, NULL) >= 0);
    const char *paths[][2] = {{"POST", STATUS}, {"GET", KIOSKS}};
    for (int i = 0; i < 2; i++) {
        struct resp rs;
        const char *body = "{\"pending\":1,\"set_aside\":1}";
        bool post = i == 0;
        assert_int_equal(http(&s, paths[i][0], paths[i][1], post ? k : r, post ? JSON : NULL,
                              post ? body : NULL, post ? strlen(body) : 0, NULL, &rs),
                         0);
        assert_int_equal(rs.status, 503);
        cJSON *o = resp_json(&rs);
        assert_true(o && cJSON_IsString(cJSON_GetObjectItem(o, "error")));
        cJSON_Delete(o);
        resp_free(&rs);
    }
    assert_int_equal(http_status(&s, "GET", "/api/v1/directory", k, NULL, NULL), 200);
    assert_int_equal(http_status(&s, "GET", "/api/v1/me", r, NULL, NULL), 200);
    assert_true(db_change(s.db,
                          pg ? "CREATE TABLE kiosks (hub_id text NOT NULL, name text NOT NULL,"
                               " code text, pending int, set_aside int, reported_at bigint,"
                               " last_seen bigint NOT NULL, PRIMARY KEY (hub_id, name))"
                             : "CREATE TABLE kiosks (name TEXT PRIMARY KEY, code TEXT,"
                               " pending INTEGER, set_aside INTEGER, reported_at INTEGER,"
                               " last_seen INTEGER NOT NULL)",
                          NULL, NULL) >= 0);
    /* the failed sign of life was forgotten: the next request writes it */
    assert_int_equal(http_status(&s, "GET", "/api/v1/directory", k, NULL, NULL), 200);
    cJSON *o = kiosks_get(&s, r, NULL);
    assert_non_null(kiosk_of(o, "door"));
    cJSON_Delete(o);
    assert_int_equal(post_status(&s, k, "{\"pending\":0,\"set_aside\":3}"), 204);
    assert_int_equal(server_stop(&s), 0);
    server_cleanup(&s);
}

/* The newest schema version of the database at db: schema_version's. */
static long schema_version(const char *db)
{
    return db_long(db, "SELECT max(version) FROM schema_version");
}

static const char HAS_KIOSKS[] =
    "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'kiosks'";
static const char HAS_KIOSKS_PG[] =
    "SELECT count(*) FROM information_schema.tables WHERE table_name = 'kiosks'";

/* A data/hub.db the previous hubd made (schema 10 in user_version, no schema_version, no
 * kiosks) opens, migrates forward once, keeps its check-in, and takes kiosk reports. */
static void test_migrate_old_file(void **state)
{
    if (server_pg())
        skip(); /* an older SQLite file */
    struct server s;
    size_t len;
    char k[65], r[65];
    assert_int_equal(server_init(&s), 0);
    assert_int_equal(server_db_from_dump(&s, "hub-v10.sql"), 0);
    assert_int_equal(db_long(s.db, "PRAGMA user_version"), 10);
    assert_int_equal(db_long(s.db, HAS_KIOSKS), 0);
    assert_int_equal(
        db_long(s.db, "SELECT count(*) FROM sqlite_master WHERE name = 'schema_version'"), 0);
    assert_int_equal(make_token(&s, "kiosk", "door", k), 0);
    assert_int_equal(make_token(&s, "reception", "desk", r), 0);
    long version = schema_version(s.db);
    assert_true(version > 10);
    assert_int_equal(db_long(s.db, "PRAGMA user_version"), version); /* an older hubd reads it */
    assert_int_equal(db_long(s.db, "SELECT count(*) FROM schema_version"), 1);
    assert_int_equal(db_long(s.db, HAS_KIOSKS), 1);
    assert_int_equal(server_start(&s, NULL), 0);
    /* the resident the previous hubd stored is still on the board, with their ticket */
    struct resp rs;
    assert_int_equal(
        http(&s, "GET", "/api/v1/checkins?status=waiting", r, NULL, NULL, 0, NULL, &rs), 0);
    assert_int_equal(rs.status, 200);
    assert_non_null(strstr(rs.body, "3f1c2a4e-1b2c-4d3e-8f40-123456789abc"));
    assert_non_null(strstr(rs.body, "\"ticket\":\"H-01\""));
    resp_free(&rs);
    /* a replay of it is still a replay */
    char *old = slurp(fixture("checkin.json"), &len);
    assert_non_null(old);
    assert_int_equal(http_status(&s, "POST", "/api/v1/checkins", k, JSON, old), 200);
    free(old);
    assert_int_equal(post_status(&s, k, "{\"pending\":0,\"set_aside\":2}"), 204);
    assert_int_equal(server_stop(&s), 0);
    /* opened again: nothing to migrate, the report kept */
    assert_int_equal(server_start(&s, NULL), 0);
    assert_int_equal(schema_version(s.db), version);
    cJSON *o = kiosks_get(&s, r, NULL);
    const cJSON *kk = kiosk_of(o, "door");
    assert_non_null(kk);
    assert_int_equal(cJSON_GetObjectItem(kk, "set_aside")->valueint, 2);
    cJSON_Delete(o);
    assert_int_equal(server_stop(&s), 0);
    server_cleanup(&s);
}

/* On either backend: a database left at the schema before the kiosks table (the table gone,
 * the version put back one step) is brought forward by the next start; one newer than this
 * hubd is refused with a plain reason and left as it is. */
static void test_migrate_forward(void **state)
{
    struct server s;
    char k[65], r[65], out[256], err[512];
    bool pg = server_pg();
    assert_int_equal(server_init(&s), 0);
    assert_int_equal(make_token(&s, "kiosk", "door", k), 0);
    assert_int_equal(make_token(&s, "reception", "desk", r), 0);
    long version = schema_version(s.db);
    assert_true(version >= (pg ? 4 : 11));
    assert_int_equal(db_long(s.db, pg ? HAS_KIOSKS_PG : HAS_KIOSKS), 1);
    /* back to the step before the kiosks table: as a hubd of then left it */
    char back[96];
    snprintf(back, sizeof(back), "UPDATE schema_version SET version = %d", pg ? 3 : 10);
    assert_true(db_change(s.db, "DROP TABLE kiosks", NULL, NULL) >= 0);
    assert_int_equal(db_change(s.db, back, NULL, NULL), 1);
    assert_int_equal(db_long(s.db, pg ? HAS_KIOSKS_PG : HAS_KIOSKS), 0);
    const char *args[] = {"--seed", fixture("hub.json"), NULL};
    assert_int_equal(server_start(&s, args), 0);
    assert_int_equal(schema_version(s.db), version);
    assert_int_equal(db_long(s.db, pg ? HAS_KIOSKS_PG : HAS_KIOSKS), 1);
    assert_int_equal(post_status(&s, k, "{\"pending\":1,\"set_aside\":1}"), 204);
    cJSON *o = kiosks_get(&s, r, NULL);
    assert_non_null(kiosk_of(o, "door"));
    cJSON_Delete(o);
    assert_int_equal(server_stop(&s), 0);
    /* a schema from a newer hubd: refused, nothing touched */
    snprintf(back, sizeof(back), "UPDATE schema_version SET version = %ld", version + 5);
    assert_int_equal(db_change(s.db, back, NULL, NULL), 1);
    const char *list[] = {"--db", s.db, "token", "list", NULL};
    assert_int_not_equal(run_hubd(list, out, sizeof(out), err, sizeof(err)), 0);
    assert_non_null(strstr(err, "newer than this hubd"));
    assert_int_equal(schema_version(s.db), version + 5);
    server_cleanup(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roles),
        cmocka_unit_test(test_bad_bodies),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_event),
    };
    const struct CMUnitTest alone[] = {
        cmocka_unit_test(test_hub_isolation),
        cmocka_unit_test(test_storage_fails),
        cmocka_unit_test(test_migrate_old_file),
        cmocka_unit_test(test_migrate_forward),
    };
    curl_global_init(CURL_GLOBAL_DEFAULT);
    int failed = cmocka_run_group_tests_name("hubd kiosks", tests, group_setup, group_teardown);
    failed += cmocka_run_group_tests_name("hubd kiosks, hubs and migrations", alone, NULL, NULL);
    curl_global_cleanup();
    return failed ? 1 : 0;
}
