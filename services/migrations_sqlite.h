/* migrations_sqlite.h — the migration runner (migrations.h) on an open SQLite connection. */
#ifndef HUBD_MIGRATIONS_SQLITE_H
#define HUBD_MIGRATIONS_SQLITE_H

#include <sqlite3.h>

#include "migrations.h"

/* The runner's calls on db (borrowed: db must outlive every use of the result). */
struct migration_conn migrations_sqlite_conn(sqlite3 *db);

/* Runs sql, which yields one row of one integer, into *out: 0, or -1 (no row, an error). */
int migrations_sqlite_query_long(sqlite3 *db, const char *sql, long *out);

#endif
