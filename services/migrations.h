/* migrations.h — hubd's numbered schema migrations for both storage backends, kept side by
 * side in migrations.c, and the one runner both apply them with. Each backend has its own
 * numbered list (step i brings that backend's schema from version i to i + 1; append only),
 * and records its version in a schema_version table. A new table is one step in each list. */
#ifndef HUBD_MIGRATIONS_H
#define HUBD_MIGRATIONS_H

#include <stdbool.h>
#include <stddef.h>

enum migration_kind { MIGRATION_SQLITE, MIGRATION_PG };

/* One numbered step: the statements, run in one transaction with the version's bump. */
struct migration {
    const char *sql;
};

/* The steps of kind, in order, and their count (*n). Static data. */
const struct migration *migrations(enum migration_kind kind, size_t *n);

/* How the runner talks to one open database connection (a backend fills it). */
struct migration_conn {
    void *db;
    /* Runs sql (one or more statements, no result wanted): 0, or -1 with the reason left for
     * errmsg. */
    int (*exec)(void *db, const char *sql);
    /* Runs sql, which yields one row of one integer (NULL reads as 0), into *out: 0 or -1. */
    int (*query_long)(void *db, const char *sql, long *out);
    /* The last error of db, one line (for the caller's err). */
    const char *(*errmsg)(void *db);
};

/* Brings the database behind c to the newest schema of kind: each pending step in its own
 * transaction, begun with the schema locked against other hubd starting at once (SQLite: a
 * write lock; PostgreSQL: an advisory lock), the step's statements and the version bumped in
 * schema_version, committed together. A SQLite database an older hubd made (its version in
 * PRAGMA user_version, no schema_version table) goes on from that version; user_version is
 * kept equal on SQLite so that an older hubd still refuses a newer file. Returns 0, or -1
 * with a reason in err (a failed step, a schema newer than this hubd); a failed step leaves
 * the database at the version before it. */
int migrations_run(const struct migration_conn *c, enum migration_kind kind, char *err, size_t cap);

#endif
