/* store_int.h — what store.c (the rows) and store_file.c (the file) share. Internal. */
#ifndef KIOSK_STORE_INT_H
#define KIOSK_STORE_INT_H

#include <pthread.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <sys/types.h>

#include "store.h"

enum { ST_PENDING = 0, ST_ACKED = 1, ST_SET_ASIDE = 2 };

/* Which file a path names (ino 0: none). */
struct ident {
    dev_t dev;
    ino_t ino;
};

/* Two connections to DIR/kiosk.db while durable, so the UI thread never waits behind the sync
 * thread: db (the sync thread's reads, acknowledgements, checks; under mu) and ui (the UI
 * thread's own: its check-ins, answers and reads; under ui_mu). WAL lets a reader on either go
 * on while the other writes, and a write waits at most for the other's one short statement.
 * Lock order: mu before ui_mu. db, ui and health change only with both held (store_file.c). */
struct store {
    sqlite3 *db; /* DIR/kiosk.db while durable, ":memory:" while volatile */
    pthread_mutex_t mu;
    pthread_mutex_t ui_mu;
    sqlite3 *ui; /* the UI's own connection to the file; NULL while volatile (or unopenable) */
    sqlite3_stmt *ui_ins; /* its prepared check-in insert */
    struct cJSON *batch;  /* acknowledgements collected since store_begin (under mu), or NULL */
    int64_t busy_since, ui_busy_since; /* when each connection began waiting (busy_wait) */
    int health;                        /* enum store_health */
    struct ident file, side[2];        /* kiosk.db and its -wal, -shm as opened, while durable */
    char dir[1024];
    char path[1100];
    char why[600]; /* the cause, while volatile */
};

/* Whether SQLite's rc means the file failed us (full, I/O, read-only, damaged, locked). */
bool store_disk_error(int rc);
/* A plain sentence for staff on why the file failed with rc. */
void store_describe(const struct store *s, int rc, char *out, size_t cap);
/* Moves the store from its failing file into memory with every readable row: 0, or -1 (out of
 * memory). Locked. */
int store_to_memory(struct store *s, const char *cause);
/* Opens s->ui (and s->ui_ins) on the file at the path, when durable; closes it. Both locks. */
void store_ui_open(struct store *s);
void store_ui_close(struct store *s);
/* A prepared statement on the current database (NULL, one line on stderr, on error). Locked. */
sqlite3_stmt *store_prep(struct store *s, const char *sql);
/* Rows in state, or -1. Locked. */
int store_count_locked(struct store *s, int state);
#define STORE_TIME_LEN 32
/* ms since the epoch as RFC 3339 in UTC, to the second ("2026-12-01T10:00:00Z"). */
void store_utc(int64_t ms, char out[STORE_TIME_LEN]);
/* Up to max rows of sql (an id and a body a row, LIMIT ?1 = max): ids into ids[], malloc'd
 * bodies into bodies[]. How many, or -1. Takes the lock. */
int store_id_bodies(struct store *s, const char *sql, int max, char ids[][STORE_ID_LEN],
                    char **bodies);
/* One write of sql with ?1 = t1, ?2 = i2, ?3 = t3 (those it names), through the store's write
 * path (to memory when the file fails). Rows changed, or -1. Takes the lock. */
int store_write_row(struct store *s, const char *sql, const char *t1, int64_t i2, const char *t3);

#endif
