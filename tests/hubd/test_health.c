/* test_health.c — integration tests of hubd telling the truth about its storage: /health
 * proves a write and notices a deleted or replaced database, no 201 goes into a deleted
 * file, an outside write lock stalls neither the board nor /health, a purge leaves no
 * names or words in hub.db or its WAL, files are private, and a start with no hub is loud. */
#include "client.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int run_health_tests(void);

struct fixture_srv {
    struct server s;
    char kiosk[65], recep[65];
};

/* A fresh hubd with the test hub, a kiosk and a reception token, its stderr in a log. */
static void start(struct fixture_srv *f, const char *const *extra)
{
    const char *args[12] = {"--seed", fixture("hub.json")};
    int n = 2;
    for (int i = 0; extra && extra[i] && n < 11; i++)
        args[n++] = extra[i];
    args[n] = NULL;
    assert_int_equal(server_init(&f->s), 0);
    snprintf(f->s.log, sizeof(f->s.log), "%s/hubd.log", f->s.dir);
    assert_int_equal(make_token(&f->s, "kiosk", "door-kiosk", f->kiosk), 0);
    assert_int_equal(make_token(&f->s, "reception", "front-desk", f->recep), 0);
    assert_int_equal(server_start(&f->s, args), 0);
}

static void finish(struct fixture_srv *f)
{
    server_stop(&f->s);
    server_cleanup(&f->s);
}

static long post(struct fixture_srv *f, const char *name, const char *text)
{
    char id[37];
    uuid4(id);
    char *body = checkin_body(id, "w-sian", "housing", false, name, text, text != NULL);
    long st = http_status(&f->s, "POST", "/api/v1/checkins", f->kiosk, "application/json", body);
    free(body);
    return st;
}

/* GET /health: its status, and the body in out. */
static long health(struct fixture_srv *f, char *out, size_t cap)
{
    struct resp r;
    assert_int_equal(http(&f->s, "GET", "/health", NULL, NULL, NULL, 0, NULL, &r), 0);
    snprintf(out, cap, "%s", r.body);
    long st = r.status;
    resp_free(&r);
    return st;
}

/* Findings 2 and 3: the database file deleted while hubd runs: /health says so, and no
 * check-in is acknowledged into the deleted file. */
static void test_db_deleted(void **state)
{
    if (server_pg())
        skip(); /* the database file itself: SQLite only */
    struct fixture_srv f;
    char body[512];
    start(&f, NULL);
    assert_int_equal(health(&f, body, sizeof(body)), 200);
    assert_non_null(strstr(body, "\"status\":\"ok\""));
    assert_int_equal(post(&f, NULL, NULL), 201);
    assert_int_equal(unlink(f.s.db), 0);
    if (health(&f, body, sizeof(body)) != 503 || !strstr(body, "deleted"))
        fail_msg("/health after the db was deleted: %s", body);
    long st = post(&f, NULL, NULL);
    if (st != 503)
        fail_msg("a check-in into a deleted database file got %ld", st);
    finish(&f);
}

/* Finding 2: the database file replaced under hubd (restored from a backup, say). */
static void test_db_replaced(void **state)
{
    if (server_pg())
        skip(); /* the database file itself: SQLite only */
    struct fixture_srv f;
    char body[512], other[400], cmd[1000];
    start(&f, NULL);
    assert_int_equal(post(&f, NULL, NULL), 201);
    snprintf(other, sizeof(other), "%s.copy", f.s.db);
    snprintf(cmd, sizeof(cmd), "cp '%s' '%s' && mv '%s' '%s'", f.s.db, other, other, f.s.db);
    assert_int_equal(system(cmd), 0);
    if (health(&f, body, sizeof(body)) != 503 || !strstr(body, "replaced"))
        fail_msg("/health after the db was replaced: %s", body);
    assert_int_equal(post(&f, NULL, NULL), 503);
    finish(&f);
}

struct bg_post {
    struct fixture_srv *f;
    long status;
};

static void *post_bg(void *arg)
{
    struct bg_post *p = arg;
    p->status = post(p->f, NULL, NULL);
    return NULL;
}

/* Findings 2 and 8: another process holds the write lock (a backup, an admin's sqlite3):
 * the board answers at once, /health says 503 "locked" within a couple of seconds, and the
 * check-in waiting for the lock is stored once it is released. */
static void test_outside_write_lock(void **state)
{
    if (server_pg())
        skip(); /* SQLite's file lock */
    struct fixture_srv f;
    sqlite3 *db;
    char body[512];
    struct resp r;
    start(&f, NULL);
    assert_int_equal(post(&f, NULL, NULL), 201);
    assert_int_equal(sqlite3_open(f.s.db, &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000); /* a short write of hubd's own finishes first */
    assert_int_equal(sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
    long long t_lock = steady_ms();
    struct bg_post p = {.f = &f};
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, post_bg, &p), 0);
    usleep(300 * 1000); /* the writer is waiting for the lock now */
    long long t0 = steady_ms();
    assert_int_equal(
        http(&f.s, "GET", "/api/v1/checkins?status=waiting", f.recep, NULL, NULL, 0, NULL, &r), 0);
    long board_ms = (long)(steady_ms() - t0);
    assert_int_equal(r.status, 200);
    resp_free(&r);
    t0 = steady_ms();
    long st = health(&f, body, sizeof(body));
    long health_ms = (long)(steady_ms() - t0);
    fprintf(stderr, "# outside lock: board %ld ms, /health %ld ms: %ld %s\n", board_ms, health_ms,
            st, body);
    if (board_ms > 1000)
        fail_msg("the board waited %ld ms behind an outside write lock", board_ms);
    if (st != 503 || !strstr(body, "locked") || health_ms > 2500)
        fail_msg("/health under an outside write lock: %ld after %ld ms: %s", st, health_ms, body);
    while (steady_ms() - t_lock < 3000)
        usleep(50 * 1000);
    assert_int_equal(sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    pthread_join(th, NULL);
    assert_int_equal(p.status, 201);
    assert_int_equal(health(&f, body, sizeof(body)), 200);
    finish(&f);
}

/* True when the file at path holds needle anywhere (a missing file holds nothing). */
static bool file_has(const char *path, const char *needle)
{
    size_t len;
    char *buf = slurp(path, &len);
    bool found = buf && memmem(buf, len, needle, strlen(needle)) != NULL;
    free(buf);
    return found;
}

/* Finding 4: once purged, names, words and staff notes are gone from hub.db and its WAL. */
static void test_purge_forgets(void **state)
{
    struct fixture_srv f;
    char id[37], path[160], wal[400], shm[400];
    const char *args[] = {"--retention-seconds", "2", NULL};
    start(&f, args);
    uuid4(id);
    char *body =
        checkin_body(id, "w-sian", "housing", false, "Zebulon Quixote", "marmalade-words", true);
    char *other =
        checkin_body(id, "w-sian", "housing", false, "Another Name", "marmalade-words", true);
    assert_int_equal(
        http_status(&f.s, "POST", "/api/v1/checkins", f.kiosk, "application/json", body), 201);
    /* while the name is kept, another name is another check-in */
    assert_int_equal(
        http_status(&f.s, "POST", "/api/v1/checkins", f.kiosk, "application/json", other), 409);
    /* words without consent are not kept, not even in the fingerprint: other words, same one */
    char nc[37];
    uuid4(nc);
    char *nc1 = checkin_body(nc, NULL, "benefits", false, NULL, "words-not-kept", false);
    char *nc2 = checkin_body(nc, NULL, "benefits", false, NULL, "other words", false);
    assert_int_equal(
        http_status(&f.s, "POST", "/api/v1/checkins", f.kiosk, "application/json", nc1), 201);
    assert_int_equal(
        http_status(&f.s, "POST", "/api/v1/checkins", f.kiosk, "application/json", nc2), 200);
    free(nc1);
    free(nc2);
    snprintf(path, sizeof(path), "/api/v1/checkins/%s/reassign", id);
    assert_int_equal(http_status(&f.s, "POST", path, f.recep, "application/json",
                                 "{\"worker_id\":\"w-amir\",\"reason\":\"noted-privately\"}"),
                     200);
    snprintf(wal, sizeof(wal), "%s-wal", f.s.db);
    snprintf(shm, sizeof(shm), "%s-shm", f.s.db);
    assert_true(server_pg() || file_has(wal, "Zebulon Quixote") ||
                file_has(f.s.db, "Zebulon Quixote"));
    bool gone = false;
    for (int i = 0; i < 60 && !gone; i++) { /* up to 30 s on a loaded machine */
        usleep(500 * 1000);
        gone = db_long(f.s.db, "SELECT count(*) FROM checkins WHERE name IS NOT NULL") == 0 &&
               db_long(f.s.db, "SELECT count(*) FROM events WHERE note IS NOT NULL") == 0;
    }
    assert_true(gone);
    usleep(1500 * 1000); /* the purge's checkpoint follows its commit */
    /* the fingerprint forgot the name too: a guess can no longer be tested against it (a
     * replay is still the same check-in, whatever name it carries) */
    assert_int_equal(
        http_status(&f.s, "POST", "/api/v1/checkins", f.kiosk, "application/json", body), 200);
    assert_int_equal(
        http_status(&f.s, "POST", "/api/v1/checkins", f.kiosk, "application/json", other), 200);
    free(body);
    free(other);
    static const char *const secrets[] = {"Zebulon Quixote", "marmalade-words", "noted-privately"};
    for (size_t i = 0; i < 3 && !server_pg(); i++) { /* SQLite's files */
        const char *files[] = {f.s.db, wal, shm};
        for (size_t k = 0; k < 3; k++)
            if (file_has(files[k], secrets[i]))
                fail_msg("\"%s\" is still readable in %s after the purge", secrets[i], files[k]);
    }
    finish(&f);
}

/* Finding 10: the database and its folder are private to hubd's user; a start with no hub
 * says so loudly. */
static void test_files_private_and_no_hub(void **state)
{
    if (server_pg())
        skip(); /* the database file's mode: SQLite only */
    struct server s;
    struct stat st;
    char dir[400], wal[400];
    assert_int_equal(server_init(&s), 0);
    snprintf(s.log, sizeof(s.log), "%s/hubd.log", s.dir);
    assert_int_equal(server_start(&s, NULL), 0); /* no --seed: no hub */
    assert_int_equal(http_status(&s, "GET", "/health", NULL, NULL, NULL), 200);
    snprintf(dir, sizeof(dir), "%s/db", s.dir);
    snprintf(wal, sizeof(wal), "%s-wal", s.db);
    assert_int_equal(stat(s.db, &st), 0);
    if (st.st_mode & 077)
        fail_msg("hub.db has mode %o", (unsigned)(st.st_mode & 0777));
    if (stat(wal, &st) == 0 && (st.st_mode & 077))
        fail_msg("hub.db-wal has mode %o", (unsigned)(st.st_mode & 0777));
    assert_int_equal(stat(dir, &st), 0);
    if (st.st_mode & 077)
        fail_msg("the database folder has mode %o", (unsigned)(st.st_mode & 0777));
    assert_int_equal(server_stop(&s), 0);
    size_t len;
    char *log = slurp(s.log, &len);
    if (!log || !strstr(log, "no hub"))
        fail_msg("a start with no hub said nothing: %s", log ? log : "(no log)");
    free(log);
    server_cleanup(&s);
}

int run_health_tests(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_db_deleted),
        cmocka_unit_test(test_db_replaced),
        cmocka_unit_test(test_outside_write_lock),
        cmocka_unit_test(test_purge_forgets),
        cmocka_unit_test(test_files_private_and_no_hub),
    };
    return cmocka_run_group_tests_name("hubd health and storage", tests, NULL, NULL);
}
