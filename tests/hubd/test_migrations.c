/* test_migrations.c — the one migration runner (services/migrations.c) over a stand-in
 * connection that records every statement and fails the one it is told to: each step in its
 * own transaction begun with the backend's lock, the version bumped inside it, a failed step
 * rolled back with its number in the reason and nothing after it run, a newer schema refused,
 * an up-to-date one left alone. Then both real lists on a real SQLite database, step by step
 * from nothing, and a file at an older hubd's user_version carried on from there. */
#include "migrations_sqlite.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sqlite3.h>

#define LOG_MAX 4096

/* A stand-in database: its version, the statements run, and the one to fail. */
struct fake {
    long version;
    long pending; /* the version a bump in the open transaction would commit */
    bool in_txn;
    const char *fail; /* a statement containing this fails; NULL: none */
    char log[LOG_MAX][96];
    size_t n;
};

static int fake_exec(void *db, const char *sql)
{
    struct fake *f = db;
    if (f->n < LOG_MAX)
        snprintf(f->log[f->n++], sizeof(f->log[0]), "%s", sql);
    if (f->fail && strstr(sql, f->fail))
        return -1;
    if (!strncmp(sql, "BEGIN", 5)) {
        f->in_txn = true;
        f->pending = f->version;
    } else if (!strcmp(sql, "COMMIT")) {
        f->in_txn = false;
        f->version = f->pending;
    } else if (!strcmp(sql, "ROLLBACK")) {
        f->in_txn = false;
    } else if (strstr(sql, "INSERT INTO schema_version VALUES (")) {
        f->pending = strtol(strstr(sql, "VALUES (") + 8, NULL, 10);
    }
    return 0;
}

static int fake_query_long(void *db, const char *sql, long *out)
{
    struct fake *f = db;
    if (f->n < LOG_MAX)
        snprintf(f->log[f->n++], sizeof(f->log[0]), "%s", sql);
    if (f->fail && strstr(sql, f->fail))
        return -1;
    *out = f->version;
    return 0;
}

static const char *fake_errmsg(void *db)
{
    return "no such table: nowhere\nsecond line";
}

static struct migration_conn fake_conn(struct fake *f)
{
    struct migration_conn c = {
        .db = f, .exec = fake_exec, .query_long = fake_query_long, .errmsg = fake_errmsg};
    return c;
}

static size_t count(const struct fake *f, const char *what)
{
    size_t n = 0;
    for (size_t i = 0; i < f->n; i++)
        n += strstr(f->log[i], what) != NULL;
    return n;
}

static void test_runner_each_step(void **state)
{
    for (int kind = MIGRATION_SQLITE; kind <= MIGRATION_PG; kind++) {
        size_t n;
        migrations(kind, &n);
        assert_true(n > 1);
        struct fake *f = calloc(1, sizeof(*f));
        struct migration_conn c = fake_conn(f);
        char err[256] = "";
        assert_int_equal(migrations_run(&c, kind, err, sizeof(err)), 0);
        assert_int_equal(f->version, (long)n);
        assert_false(f->in_txn);
        /* one locked transaction per step, and one more that finds nothing to do */
        const char *lock = kind == MIGRATION_PG ? "pg_advisory_xact_lock" : "BEGIN IMMEDIATE";
        assert_int_equal(count(f, lock), n + 1);
        assert_int_equal(count(f, "COMMIT"), n + 1);
        assert_int_equal(count(f, "ROLLBACK"), 0);
        assert_int_equal(count(f, "INSERT INTO schema_version"), n);
        assert_int_equal(count(f, "PRAGMA user_version ="), kind == MIGRATION_SQLITE ? n : 0);
        /* again: nothing to do, one look */
        f->n = 0;
        assert_int_equal(migrations_run(&c, kind, err, sizeof(err)), 0);
        assert_int_equal(count(f, "COMMIT"), 1);
        assert_int_equal(count(f, "INSERT INTO schema_version"), 0);
        free(f);
    }
}

static void test_runner_failed_step(void **state)
{
    size_t n;
    const struct migration *m = migrations(MIGRATION_SQLITE, &n);
    struct fake *f = calloc(1, sizeof(*f));
    struct migration_conn c = fake_conn(f);
    char err[256] = "";
    f->version = 2;
    f->fail = m[4].sql; /* step 5 */
    assert_int_equal(migrations_run(&c, MIGRATION_SQLITE, err, sizeof(err)), -1);
    assert_int_equal(f->version, 4); /* steps 3 and 4 committed, 5 rolled back */
    assert_false(f->in_txn);
    assert_string_equal(err, "migration 5 failed: no such table: nowhere");
    assert_string_equal(f->log[f->n - 1], "ROLLBACK");
    /* a newer schema: refused, nothing run */
    f->fail = NULL;
    f->version = (long)n + 3;
    f->n = 0;
    assert_int_equal(migrations_run(&c, MIGRATION_PG, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "newer than this hubd"));
    assert_int_equal(count(f, "INSERT"), 0);
    /* the version cannot be read: the lock is let go */
    f->version = 0;
    f->fail = "max(version)";
    f->n = 0;
    assert_int_equal(migrations_run(&c, MIGRATION_PG, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "cannot read the schema version"));
    assert_string_equal(f->log[f->n - 1], "ROLLBACK");
    free(f);
}

static long one(sqlite3 *db, const char *sql)
{
    long v = -1;
    return migrations_sqlite_query_long(db, sql, &v) == 0 ? v : -1;
}

/* The real SQLite list on a real database: from nothing, and from an older hubd's file (its
 * first steps applied by hand, the version only in user_version, as before schema_version). */
static void test_sqlite_for_real(void **state)
{
    sqlite3 *db;
    size_t n;
    char err[256] = "";
    const struct migration *m = migrations(MIGRATION_SQLITE, &n);
    assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
    struct migration_conn c = migrations_sqlite_conn(db);
    assert_int_equal(migrations_run(&c, MIGRATION_SQLITE, err, sizeof(err)), 0);
    assert_int_equal(one(db, "SELECT max(version) FROM schema_version"), (long)n);
    assert_int_equal(one(db, "PRAGMA user_version"), (long)n);
    assert_int_equal(one(db, "SELECT count(*) FROM kiosks"), 0);
    sqlite3_close(db);

    assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
    c.db = db;
    for (size_t i = 0; i < 7; i++)
        assert_int_equal(sqlite3_exec(db, m[i].sql, NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 7", NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(migrations_run(&c, MIGRATION_SQLITE, err, sizeof(err)), 0);
    assert_int_equal(one(db, "SELECT max(version) FROM schema_version"), (long)n);
    assert_int_equal(one(db, "SELECT count(*) FROM schema_version"), 1);
    assert_int_equal(one(db, "SELECT count(*) FROM kiosks"), 0);
    /* step 8 ran (its index), step 1 did not run twice (it would have failed) */
    assert_int_equal(
        one(db, "SELECT count(*) FROM sqlite_master WHERE name = 'checkins_worker_line'"), 1);
    sqlite3_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_runner_each_step),
        cmocka_unit_test(test_runner_failed_step),
        cmocka_unit_test(test_sqlite_for_real),
    };
    return cmocka_run_group_tests_name("hubd migrations", tests, NULL, NULL);
}
