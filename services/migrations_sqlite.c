/* migrations_sqlite.c — the migration runner's connection calls on a SQLite database, used by
 * the SQLite store and by the migration tests alike. */
#include "migrations_sqlite.h"

static int mig_exec(void *db, const char *sql)
{
    return sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

static int mig_query_long(void *db, const char *sql, long *out)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return -1;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out = (long)sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 0 : -1;
}

static const char *mig_errmsg(void *db)
{
    return sqlite3_errmsg(db);
}

struct migration_conn migrations_sqlite_conn(sqlite3 *db)
{
    return (struct migration_conn){
        .db = db, .exec = mig_exec, .query_long = mig_query_long, .errmsg = mig_errmsg};
}

int migrations_sqlite_query_long(sqlite3 *db, const char *sql, long *out)
{
    return mig_query_long(db, sql, out);
}
