/* test_store.c — the kiosk's local store when its file goes bad: kiosk.db unopenable at start,
 * deleted or replaced while open, writes failing mid-run (a fault-injecting SQLite VFS shim, so
 * it works as root), and recovery to a durable file at the same path. */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <pthread.h>
#include <setjmp.h>
#include <sqlite3.h>
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

#include "store.h"

/* ---- the fault shim: the default VFS, except that writes fail while `failing` is set ---- */

static int failing; /* read and written with __atomic builtins: the writer thread test */
static sqlite3_vfs *real_vfs;

struct shim_file {
    sqlite3_file base;
    sqlite3_file *real; /* follows this struct in the same allocation */
};

static sqlite3_file *real_of(sqlite3_file *f)
{
    return ((struct shim_file *)f)->real;
}

static int fail_now(void)
{
    return __atomic_load_n(&failing, __ATOMIC_SEQ_CST);
}

static void set_failing(int on)
{
    __atomic_store_n(&failing, on, __ATOMIC_SEQ_CST);
}

static int shim_close(sqlite3_file *f)
{
    return real_of(f)->pMethods->xClose(real_of(f));
}
static int shim_read(sqlite3_file *f, void *b, int n, sqlite3_int64 off)
{
    return real_of(f)->pMethods->xRead(real_of(f), b, n, off);
}
static int shim_write(sqlite3_file *f, const void *b, int n, sqlite3_int64 off)
{
    if (fail_now())
        return SQLITE_FULL;
    return real_of(f)->pMethods->xWrite(real_of(f), b, n, off);
}
static int shim_truncate(sqlite3_file *f, sqlite3_int64 size)
{
    if (fail_now())
        return SQLITE_IOERR_TRUNCATE;
    return real_of(f)->pMethods->xTruncate(real_of(f), size);
}
static int shim_sync(sqlite3_file *f, int flags)
{
    if (fail_now())
        return SQLITE_IOERR_FSYNC;
    return real_of(f)->pMethods->xSync(real_of(f), flags);
}
static int shim_size(sqlite3_file *f, sqlite3_int64 *size)
{
    return real_of(f)->pMethods->xFileSize(real_of(f), size);
}
static int shim_lock(sqlite3_file *f, int l)
{
    return real_of(f)->pMethods->xLock(real_of(f), l);
}
static int shim_unlock(sqlite3_file *f, int l)
{
    return real_of(f)->pMethods->xUnlock(real_of(f), l);
}
static int shim_check_lock(sqlite3_file *f, int *out)
{
    return real_of(f)->pMethods->xCheckReservedLock(real_of(f), out);
}
static int shim_fcntl(sqlite3_file *f, int op, void *arg)
{
    return real_of(f)->pMethods->xFileControl(real_of(f), op, arg);
}
static int shim_sector(sqlite3_file *f)
{
    return real_of(f)->pMethods->xSectorSize(real_of(f));
}
static int shim_dev(sqlite3_file *f)
{
    return real_of(f)->pMethods->xDeviceCharacteristics(real_of(f));
}
static int shim_shm_map(sqlite3_file *f, int pg, int sz, int extend, void volatile **p)
{
    return real_of(f)->pMethods->xShmMap(real_of(f), pg, sz, extend, p);
}
static int shim_shm_lock(sqlite3_file *f, int off, int n, int flags)
{
    return real_of(f)->pMethods->xShmLock(real_of(f), off, n, flags);
}
static void shim_shm_barrier(sqlite3_file *f)
{
    real_of(f)->pMethods->xShmBarrier(real_of(f));
}
static int shim_shm_unmap(sqlite3_file *f, int del)
{
    return real_of(f)->pMethods->xShmUnmap(real_of(f), del);
}
static int shim_fetch(sqlite3_file *f, sqlite3_int64 off, int n, void **p)
{
    return real_of(f)->pMethods->xFetch(real_of(f), off, n, p);
}
static int shim_unfetch(sqlite3_file *f, sqlite3_int64 off, void *p)
{
    return real_of(f)->pMethods->xUnfetch(real_of(f), off, p);
}

static const sqlite3_io_methods shim_io = {
    3,
    shim_close,
    shim_read,
    shim_write,
    shim_truncate,
    shim_sync,
    shim_size,
    shim_lock,
    shim_unlock,
    shim_check_lock,
    shim_fcntl,
    shim_sector,
    shim_dev,
    shim_shm_map,
    shim_shm_lock,
    shim_shm_barrier,
    shim_shm_unmap,
    shim_fetch,
    shim_unfetch,
};

static int shim_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags, int *out)
{
    struct shim_file *sf = (struct shim_file *)f;
    sf->real = (sqlite3_file *)(sf + 1);
    int rc = real_vfs->xOpen(real_vfs, name, sf->real, flags, out);
    sf->base.pMethods = sf->real->pMethods ? &shim_io : NULL;
    return rc;
}
static int shim_delete(sqlite3_vfs *vfs, const char *name, int sync_dir)
{
    return real_vfs->xDelete(real_vfs, name, sync_dir);
}
static int shim_access(sqlite3_vfs *vfs, const char *name, int flags, int *out)
{
    return real_vfs->xAccess(real_vfs, name, flags, out);
}
static int shim_full_path(sqlite3_vfs *vfs, const char *name, int n, char *out)
{
    return real_vfs->xFullPathname(real_vfs, name, n, out);
}

static sqlite3_vfs shim_vfs;

static void shim_register(void)
{
    real_vfs = sqlite3_vfs_find(NULL);
    assert_non_null(real_vfs);
    assert_true(real_vfs->iVersion >= 2);
    shim_vfs = *real_vfs;
    shim_vfs.pNext = NULL;
    shim_vfs.zName = "faultshim";
    shim_vfs.szOsFile = (int)sizeof(struct shim_file) + real_vfs->szOsFile;
    shim_vfs.xOpen = shim_open;
    shim_vfs.xDelete = shim_delete;
    shim_vfs.xAccess = shim_access;
    shim_vfs.xFullPathname = shim_full_path;
    assert_int_equal(sqlite3_vfs_register(&shim_vfs, 1), SQLITE_OK);
    assert_ptr_equal(sqlite3_vfs_find(NULL), &shim_vfs);
}

/* ---- helpers ---- */

struct tmp {
    char root[64];
    char dir[128];
    char db[160];
};

static void tmp_make(struct tmp *t)
{
    snprintf(t->root, sizeof(t->root), "/tmp/test-store-XXXXXX");
    assert_non_null(mkdtemp(t->root));
    snprintf(t->dir, sizeof(t->dir), "%s/data/kiosk", t->root);
    snprintf(t->db, sizeof(t->db), "%s/kiosk.db", t->dir);
}

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(p);
}

static void tmp_remove(struct tmp *t)
{
    nftw(t->root, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* Unlinks kiosk.db and, when all is set, its -wal and -shm. */
static void delete_db(const struct tmp *t, int all)
{
    char p[200];
    assert_int_equal(unlink(t->db), 0);
    if (!all)
        return;
    snprintf(p, sizeof(p), "%s-wal", t->db);
    unlink(p);
    snprintf(p, sizeof(p), "%s-shm", t->db);
    unlink(p);
}

/* stderr into a pipe between capture_start and capture_end (which returns what was written). */
static int saved_stderr = -1, pipe_rd = -1;

static void capture_start(void)
{
    int p[2];
    fflush(stderr);
    assert_int_equal(pipe(p), 0);
    saved_stderr = dup(2);
    assert_true(saved_stderr >= 0);
    assert_true(dup2(p[1], 2) >= 0);
    close(p[1]);
    pipe_rd = p[0];
}

static void capture_end(char *out, size_t cap)
{
    fflush(stderr);
    assert_true(dup2(saved_stderr, 2) >= 0);
    close(saved_stderr);
    size_t n = 0;
    ssize_t k;
    while (n + 1 < cap && (k = read(pipe_rd, out + n, cap - 1 - n)) > 0)
        n += (size_t)k;
    out[n] = '\0';
    close(pipe_rd);
    fputs(out, stderr); /* still shown in the test log */
}

static int count_of(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

static void add_n(struct store *s, char ids[][STORE_ID_LEN], int from, int to)
{
    for (int i = from; i < to; i++) {
        char body[128];
        assert_int_equal(store_uuid4(ids[i]), 0);
        snprintf(body, sizeof(body), "{\"id\":\"%s\",\"text\":\"words %d\"}", ids[i], i);
        assert_int_equal(store_add(s, ids[i], 1700000000000LL + i, body), 0);
    }
}

static const char DIRJSON[] = "{\"hub\":{\"id\":\"h\"},\"workers\":[]}";

/* An int from one query on the file at path, opened read-only from outside the store. */
static int file_int(const char *path, const char *sql, const char *arg)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    int v = -1;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    if (arg)
        sqlite3_bind_text(st, 1, arg, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

/* The text of one query on the file at path, into out ("" when no row). */
static void file_text(const char *path, const char *sql, const char *arg, char *out, size_t cap)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    out[0] = '\0';
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    if (arg)
        sqlite3_bind_text(st, 1, arg, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
        snprintf(out, cap, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(db);
}

static void assert_health(struct store *s, int want)
{
    char why[600];
    assert_int_equal(store_health(s, why, sizeof(why)), want);
    if (want == STORE_DURABLE)
        assert_string_equal(why, "");
    else
        assert_non_null(strstr(why, "kept in memory only"));
}

/* Everything the kiosk and its sync thread do, on any store: add, pending, ack, reject,
 * result, counts, prune, put/get directory. */
static void exercise(struct store *s)
{
    char ids[4][STORE_ID_LEN], pids[8][STORE_ID_LEN];
    char *bodies[8];
    struct ticket t = {.code = "B12", .position = 3, .wait_min = 10}, got;
    add_n(s, ids, 0, 4);
    assert_int_equal(store_add(s, ids[0], 1, "{}"), 0); /* the same id again: no duplicate */
    assert_int_equal(store_count_pending(s), 4);
    assert_int_equal(store_pending(s, 8, pids, bodies), 4);
    for (int i = 0; i < 4; i++) {
        assert_string_equal(pids[i], ids[i]); /* oldest first */
        assert_non_null(strstr(bodies[i], "words"));
        free(bodies[i]);
    }
    assert_int_equal(store_ack(s, ids[0], &t, 5000), 0);
    assert_int_equal(store_result(s, ids[0], &got), 1);
    assert_string_equal(got.code, "B12");
    assert_int_equal(got.position, 3);
    assert_int_equal(got.wait_min, 10);
    assert_int_equal(store_result(s, ids[1], &got), 0);
    assert_int_equal(store_reject(s, ids[1], 409, "conflict"), 0);
    assert_int_equal(store_count_set_aside(s), 1);
    assert_int_equal(store_count_pending(s), 2);
    assert_int_equal(store_pending(s, 8, pids, bodies), 2);
    assert_string_equal(pids[0], ids[2]);
    free(bodies[0]);
    free(bodies[1]);
    assert_int_equal(store_prune(s, 5000, 0), 0); /* acked at 5000: not before 5000 */
    assert_int_equal(store_prune(s, 5001, 0), 1);
    assert_int_equal(store_result(s, ids[0], &got), 0);
    char etag[64];
    size_t len = 0;
    assert_null(store_get_dir(s, &len, etag, sizeof(etag)));
    assert_int_equal(store_put_dir(s, DIRJSON, strlen(DIRJSON), "\"e1\""), 0);
    char *j = store_get_dir(s, &len, etag, sizeof(etag));
    assert_non_null(j);
    assert_int_equal(len, strlen(DIRJSON));
    assert_string_equal(j, DIRJSON);
    assert_string_equal(etag, "\"e1\"");
    free(j);
}

/* ---- tests ---- */

static void durable_file_works(void **state)
{
    struct tmp t;
    char err[600] = "x";
    tmp_make(&t);
    struct store *s = store_open(t.dir, err, sizeof(err));
    assert_non_null(s);
    assert_string_equal(err, "");
    assert_health(s, STORE_DURABLE);
    exercise(s);
    assert_int_equal(store_check(s), STORE_DURABLE);
    assert_int_equal(file_int(t.db, "SELECT count(*) FROM checkins WHERE state = 0", NULL), 2);
    const char *const files[] = {"", "-wal", "-shm"}; /* residents' words: the kiosk's only */
    for (int i = 0; i < 3; i++) {
        char p[300];
        struct stat st;
        snprintf(p, sizeof(p), "%s%s", t.db, files[i]);
        assert_int_equal(stat(p, &st), 0);
        assert_int_equal(st.st_mode & 0777, 0600);
    }
    store_free(s);
    tmp_remove(&t);
}

static void db_is_a_directory(void **state)
{
    struct tmp t;
    char err[600] = "", out[8192];
    tmp_make(&t);
    char p[200];
    snprintf(p, sizeof(p), "%s/data", t.root);
    assert_int_equal(mkdir(p, 0700), 0);
    assert_int_equal(mkdir(t.dir, 0700), 0);
    assert_int_equal(mkdir(t.db, 0700), 0); /* kiosk.db is a folder */
    capture_start();
    struct store *s = store_open(t.dir, err, sizeof(err));
    capture_end(out, sizeof(out));
    assert_non_null(s);
    assert_non_null(strstr(err, "kiosk.db"));
    assert_int_equal(count_of(out, "LOCAL STORE VOLATILE"), 1);
    assert_health(s, STORE_VOLATILE);
    exercise(s);
    assert_int_equal(store_check(s), STORE_VOLATILE); /* still a folder */
    assert_health(s, STORE_VOLATILE);

    /* Someone removes the folder: the next check goes back to a file, with everything. */
    assert_int_equal(rmdir(t.db), 0);
    capture_start();
    assert_int_equal(store_check(s), STORE_DURABLE);
    assert_int_equal(store_check(s), STORE_DURABLE);
    capture_end(out, sizeof(out));
    assert_int_equal(count_of(out, "durable again"), 1);
    assert_health(s, STORE_DURABLE);
    assert_int_equal(file_int(t.db, "SELECT count(*) FROM checkins WHERE state = 0", NULL), 2);
    assert_int_equal(file_int(t.db, "SELECT count(*) FROM checkins WHERE state = 2", NULL), 1);
    assert_int_equal(file_int(t.db, "SELECT count(*) FROM directory", NULL), 1);
    assert_int_equal(store_count_pending(s), 2);
    store_free(s);
    tmp_remove(&t);
}

static void dir_below_a_regular_file(void **state)
{
    struct tmp t;
    char err[600] = "", file[200], dir[260];
    tmp_make(&t);
    snprintf(file, sizeof(file), "%s/plain", t.root);
    FILE *f = fopen(file, "w");
    assert_non_null(f);
    fclose(f);
    snprintf(dir, sizeof(dir), "%s/sub/kiosk", file);
    struct store *s = store_open(dir, err, sizeof(err));
    assert_non_null(s);
    assert_non_null(strstr(err, "folder"));
    assert_health(s, STORE_VOLATILE);
    exercise(s);
    assert_int_equal(store_check(s), STORE_VOLATILE);
    assert_int_equal(store_count_pending(s), 2);
    assert_int_equal(store_count_set_aside(s), 1);
    char out[8192];
    capture_start();
    store_free(s); /* cannot move them anywhere: says how many are lost */
    capture_end(out, sizeof(out));
    assert_non_null(strstr(out, "2 check-ins not yet sent"));
    tmp_remove(&t);
}

/* Deleted while open (all three files, or kiosk.db alone leaving its -wal and -shm). */
static void deleted_mid_run(int all)
{
    struct tmp t;
    char err[600], ids[6][STORE_ID_LEN], txt[256];
    struct stat after;
    struct ticket tk = {.code = "A7", .position = 1, .wait_min = 5}, got;
    tmp_make(&t);
    struct store *s = store_open(t.dir, err, sizeof(err));
    assert_non_null(s);
    add_n(s, ids, 0, 4);
    assert_int_equal(store_ack(s, ids[0], &tk, 1000), 0);
    assert_int_equal(store_put_dir(s, DIRJSON, strlen(DIRJSON), "\"e9\""), 0);

    delete_db(&t, all);
    add_n(s, ids, 4, 5); /* written to the unlinked file: must survive too */
    assert_int_equal(store_check(s), STORE_DURABLE);
    assert_health(s, STORE_DURABLE);
    assert_int_equal(stat(t.db, &after), 0); /* a new file (its inode may be the old one's) */
    assert_int_equal(file_int(t.db, "SELECT count(*) FROM checkins", NULL), 5);
    assert_int_equal(file_int(t.db, "SELECT count(*) FROM checkins WHERE state = 0", NULL), 4);
    file_text(t.db, "SELECT ticket FROM checkins WHERE id = ?1", ids[0], txt, sizeof(txt));
    assert_string_equal(txt, "A7");
    file_text(t.db, "SELECT body FROM checkins WHERE id = ?1", ids[4], txt, sizeof(txt));
    assert_non_null(strstr(txt, "words 4"));
    /* a check-in set aside keeps no words, as an acknowledged one keeps none */
    assert_int_equal(store_reject(s, ids[4], 400, "malformed"), 0);
    file_text(t.db, "SELECT body FROM checkins WHERE id = ?1", ids[4], txt, sizeof(txt));
    assert_null(strstr(txt, "words"));
    assert_non_null(strstr(txt, ids[4]));
    file_text(t.db, "SELECT json FROM directory", NULL, txt, sizeof(txt));
    assert_string_equal(txt, DIRJSON);
    file_text(t.db, "PRAGMA integrity_check", NULL, txt, sizeof(txt));
    assert_string_equal(txt, "ok");
    assert_int_equal(store_result(s, ids[0], &got), 1);
    assert_string_equal(got.code, "A7");
    assert_int_equal(store_count_pending(s), 3);

    /* The store now writes to the new file. */
    add_n(s, ids, 5, 6);
    assert_int_equal(file_int(t.db, "SELECT count(*) FROM checkins WHERE id = ?1", ids[5]), 1);
    assert_int_equal(store_check(s), STORE_DURABLE);
    store_free(s);

    /* And a restart finds it all. */
    s = store_open(t.dir, err, sizeof(err));
    assert_non_null(s);
    assert_health(s, STORE_DURABLE);
    assert_int_equal(store_count_pending(s), 4);
    assert_int_equal(store_result(s, ids[0], &got), 1);
    store_free(s);
    tmp_remove(&t);
}

static void deleted_with_wal_and_shm(void **state)
{
    deleted_mid_run(1);
}

static void deleted_leaving_stale_wal(void **state)
{
    deleted_mid_run(0);
}

static void replaced_mid_run(void **state)
{
    struct tmp t;
    char err[600], ids[3][STORE_ID_LEN], other[200];
    tmp_make(&t);
    struct store *s = store_open(t.dir, err, sizeof(err));
    assert_non_null(s);
    add_n(s, ids, 0, 3);
    /* Someone moves another kiosk.db (with a row of its own) over ours. */
    snprintf(other, sizeof(other), "%s/other.db", t.root);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(other, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db,
                                  "CREATE TABLE checkins (id TEXT PRIMARY KEY, created_ms INTEGER"
                                  " NOT NULL, body TEXT NOT NULL, state INTEGER NOT NULL DEFAULT "
                                  "0, ticket TEXT, position INTEGER, wait_min INTEGER, acked_ms "
                                  "INTEGER, status INTEGER, why TEXT);"
                                  "INSERT INTO checkins(id, created_ms, body) VALUES "
                                  "('older', 1, '{}');",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(rename(other, t.db), 0);
    assert_int_equal(store_check(s), STORE_DURABLE);
    assert_int_equal(file_int(t.db, "SELECT count(*) FROM checkins", NULL), 4);
    assert_int_equal(store_count_pending(s), 4);
    for (int i = 0; i < 3; i++)
        assert_int_equal(file_int(t.db, "SELECT count(*) FROM checkins WHERE id = ?1", ids[i]), 1);
    store_free(s);
    tmp_remove(&t);
}

/* A batch of acknowledgements is one transaction; when the disk fails at its commit, the
 * acknowledgements are either kept (in memory) or the check-ins stay pending: none is lost. */
static void batch_commit_fails(void **state)
{
    struct tmp t;
    char err[600], ids[4][STORE_ID_LEN];
    struct ticket tk = {.code = "B1", .position = 1, .wait_min = 5}, got;
    tmp_make(&t);
    struct store *s = store_open(t.dir, err, sizeof(err));
    assert_non_null(s);
    add_n(s, ids, 0, 4);
    assert_int_equal(store_begin(s), 0); /* a batch that commits: one flush, all acked */
    assert_int_equal(store_ack(s, ids[0], &tk, 1000), 0);
    assert_int_equal(store_ack(s, ids[1], &tk, 1000), 0);
    assert_int_equal(store_commit(s), 0);
    assert_int_equal(file_int(t.db, "SELECT count(*) FROM checkins WHERE state = 1", NULL), 2);

    assert_int_equal(store_begin(s), 0);
    assert_int_equal(store_ack(s, ids[2], &tk, 1000), 0);
    set_failing(1); /* the disk fails before the commit */
    capture_start();
    char out[4096];
    store_commit(s);
    assert_int_equal(store_ack(s, ids[3], &tk, 1000), 0); /* the next write works, in memory */
    capture_end(out, sizeof(out));
    assert_int_equal(store_health(s, NULL, 0), STORE_VOLATILE);
    for (int i = 0; i < 4; i++) { /* each either acknowledged or still pending to send */
        int r = store_result(s, ids[i], &got);
        assert_true(r == 1 || (i == 2 && r == 0));
    }
    assert_int_equal(store_result(s, ids[0], &got), 1);
    assert_string_equal(got.code, "B1");
    assert_true(store_count_pending(s) <= 1);
    set_failing(0);
    assert_int_equal(store_check(s), STORE_DURABLE);
    assert_int_equal(file_int(t.db, "SELECT count(*) FROM checkins", NULL), 4);
    store_free(s);
    tmp_remove(&t);
}

static void writes_fail_mid_run(void **state)
{
    struct tmp t;
    char err[600], ids[6][STORE_ID_LEN], out[8192], why[600], txt[256];
    struct ticket tk = {.code = "C3", .position = 2, .wait_min = 7}, got;
    tmp_make(&t);
    struct store *s = store_open(t.dir, err, sizeof(err));
    assert_non_null(s);
    add_n(s, ids, 0, 2);

    set_failing(1);
    capture_start();
    add_n(s, ids, 2, 5); /* each returns 0 */
    assert_int_equal(store_ack(s, ids[0], &tk, 1000), 0);
    assert_int_equal(store_put_dir(s, DIRJSON, strlen(DIRJSON), "\"e2\""), 0);
    assert_int_equal(store_check(s), STORE_VOLATILE); /* the disk is still failing */
    assert_int_equal(store_check(s), STORE_VOLATILE);
    capture_end(out, sizeof(out));
    assert_int_equal(count_of(out, "LOCAL STORE VOLATILE"), 1);
    assert_int_equal(count_of(out, "STORE WRITE FAILED"), 0);
    assert_int_equal(store_health(s, why, sizeof(why)), STORE_VOLATILE);
    assert_non_null(strstr(why, "full"));
    assert_int_equal(store_count_pending(s), 4);
    assert_int_equal(store_result(s, ids[0], &got), 1);
    assert_string_equal(got.code, "C3");

    set_failing(0);
    capture_start();
    assert_int_equal(store_check(s), STORE_DURABLE);
    assert_int_equal(store_check(s), STORE_DURABLE);
    capture_end(out, sizeof(out));
    assert_int_equal(count_of(out, "durable again"), 1);
    assert_int_equal(count_of(out, "VOLATILE"), 0);
    assert_health(s, STORE_DURABLE);
    assert_int_equal(file_int(t.db, "SELECT count(*) FROM checkins WHERE state = 0", NULL), 4);
    file_text(t.db, "SELECT ticket FROM checkins WHERE id = ?1", ids[0], txt, sizeof(txt));
    assert_string_equal(txt, "C3");
    for (int i = 1; i < 5; i++)
        assert_int_equal(file_int(t.db, "SELECT count(*) FROM checkins WHERE id = ?1", ids[i]), 1);
    file_text(t.db, "SELECT etag FROM directory", NULL, txt, sizeof(txt));
    assert_string_equal(txt, "\"e2\"");
    add_n(s, ids, 5, 6); /* durable writes again */
    assert_int_equal(file_int(t.db, "SELECT count(*) FROM checkins WHERE id = ?1", ids[5]), 1);
    store_free(s);
    tmp_remove(&t);
}

/* A failed delete leaves memory with nothing the file lacks: going back must still prove the
 * file takes writes, or the store would flap between durable and volatile. */
static void recovery_needs_a_real_write(void **state)
{
    struct tmp t;
    char err[600], ids[2][STORE_ID_LEN], out[8192];
    struct ticket tk = {.code = "D1"};
    tmp_make(&t);
    struct store *s = store_open(t.dir, err, sizeof(err));
    assert_non_null(s);
    add_n(s, ids, 0, 2);
    assert_int_equal(store_ack(s, ids[0], &tk, 1000), 0);
    set_failing(1);
    capture_start();
    assert_int_equal(store_prune(s, 2000, 0), 1);
    assert_int_equal(store_check(s), STORE_VOLATILE);
    assert_int_equal(store_check(s), STORE_VOLATILE);
    capture_end(out, sizeof(out));
    assert_int_equal(count_of(out, "LOCAL STORE VOLATILE"), 1);
    assert_int_equal(count_of(out, "durable again"), 0);
    set_failing(0);
    assert_int_equal(store_check(s), STORE_DURABLE);
    assert_int_equal(store_count_pending(s), 1);
    store_free(s);
    tmp_remove(&t);
}

#define N_THREAD 150

struct writer {
    struct store *s;
    char ids[N_THREAD][STORE_ID_LEN];
    int failures;
};

static void *writer_main(void *arg)
{
    struct writer *w = arg;
    for (int i = 0; i < N_THREAD; i++) {
        char body[96];
        if (store_uuid4(w->ids[i]) < 0)
            w->failures++;
        snprintf(body, sizeof(body), "{\"n\":%d}", i);
        if (store_add(w->s, w->ids[i], i, body) != 0)
            w->failures++;
        usleep(500);
    }
    return NULL;
}

/* The UI thread adds while the sync thread checks, the disk fails and the file is deleted. */
static void concurrent_adds_survive(void **state)
{
    struct tmp t;
    char err[600];
    static struct writer w;
    pthread_t th;
    tmp_make(&t);
    memset(&w, 0, sizeof(w));
    w.s = store_open(t.dir, err, sizeof(err));
    assert_non_null(w.s);
    assert_int_equal(pthread_create(&th, NULL, writer_main, &w), 0);
    for (int round = 0; round < 6; round++) {
        usleep(4000);
        set_failing(round % 2 == 0);
        store_check(w.s);
        if (round == 3)
            delete_db(&t, 1);
        store_check(w.s);
    }
    set_failing(0);
    assert_int_equal(pthread_join(th, NULL), 0);
    assert_int_equal(w.failures, 0);
    assert_int_equal(store_check(w.s), STORE_DURABLE);
    assert_int_equal(store_count_pending(w.s), N_THREAD);
    assert_int_equal(file_int(t.db, "SELECT count(*) FROM checkins WHERE state = 0", NULL),
                     N_THREAD);
    store_free(w.s);
    tmp_remove(&t);
}

#define HOLD_MS 1500 /* how long the sync thread keeps its batch open */
#define FAST_MS 500  /* what the UI may take meanwhile: a disk flush or two, never the batch */

struct batcher {
    struct store *s;
    char (*ids)[STORE_ID_LEN];
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int inside; /* the batch is open, acknowledgements made, commit not yet */
    int commit_rc;
};

static void *batcher_main(void *arg)
{
    struct batcher *b = arg;
    struct ticket tk = {.code = "H-B07", .position = 0, .wait_min = 4};
    store_begin(b->s);
    for (int i = 0; i < 2; i++)
        if (store_ack(b->s, b->ids[i], &tk, 5000) != 0)
            b->commit_rc = -2;
    pthread_mutex_lock(&b->mu);
    b->inside = 1;
    pthread_cond_broadcast(&b->cv);
    pthread_mutex_unlock(&b->mu);
    usleep(HOLD_MS * 1000); /* hubd's answer being worked through, slowly */
    int rc = store_commit(b->s);
    if (b->commit_rc == 0)
        b->commit_rc = rc;
    return NULL;
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The sync thread is inside a batch of acknowledgements (store_begin, store_ack, a long pause,
 * store_commit): the UI thread's check-in is written and on disk, and its reads answer, long
 * before the batch ends; the batch lands whole at its commit, none of it before. */
static void ui_write_proceeds_during_batch(void **state)
{
    struct tmp t;
    char err[600], ids[4][STORE_ID_LEN], txt[256];
    static struct batcher b;
    pthread_t th;
    struct ticket got;
    tmp_make(&t);
    struct store *s = store_open(t.dir, err, sizeof(err));
    assert_non_null(s);
    assert_string_equal(err, "");
    add_n(s, ids, 0, 3);
    memset(&b, 0, sizeof(b));
    b.s = s;
    b.ids = ids;
    pthread_mutex_init(&b.mu, NULL);
    pthread_cond_init(&b.cv, NULL);
    int64_t t0 = now_ms();
    assert_int_equal(pthread_create(&th, NULL, batcher_main, &b), 0);
    pthread_mutex_lock(&b.mu);
    while (!b.inside)
        pthread_cond_wait(&b.cv, &b.mu);
    pthread_mutex_unlock(&b.mu);

    int64_t w0 = now_ms(); /* the UI thread: a resident checks in */
    char body[128];
    assert_int_equal(store_uuid4(ids[3]), 0);
    snprintf(body, sizeof(body), "{\"id\":\"%s\",\"name\":\"Ana\"}", ids[3]);
    assert_int_equal(store_add(s, ids[3], 1700000000100LL, body), 0);
    int64_t took = now_ms() - w0;
    print_message("UI write %lld ms, %lld ms into a batch held open %d ms\n", (long long)took,
                  (long long)(now_ms() - t0), HOLD_MS);
    assert_true(took < FAST_MS); /* the old one lock: the whole HOLD_MS */
    int64_t r0 = now_ms();
    assert_int_equal(store_result(s, ids[0], &got), 0); /* a read: not acknowledged yet */
    assert_true(store_last_ticket(s, "A", 0) >= 0);
    int64_t read_took = now_ms() - r0;
    int64_t open_for = now_ms() - t0;
    /* on disk already, seen from outside the store, while the batch is still open */
    assert_int_equal(file_int(t.db, "SELECT count(*) FROM checkins WHERE id = ?1", ids[3]), 1);
    assert_int_equal(file_int(t.db, "SELECT count(*) FROM checkins WHERE state = 1", NULL), 0);
    assert_true(open_for < HOLD_MS); /* all of it inside the batch, not after it */
    assert_true(read_took < FAST_MS);

    assert_int_equal(pthread_join(th, NULL), 0);
    assert_int_equal(b.commit_rc, 0);
    assert_int_equal(file_int(t.db, "SELECT count(*) FROM checkins WHERE state = 1", NULL), 2);
    assert_int_equal(file_int(t.db, "SELECT count(*) FROM checkins WHERE state = 0", NULL), 2);
    assert_int_equal(store_result(s, ids[1], &got), 1); /* the UI's connection sees the batch */
    assert_string_equal(got.code, "H-B07");
    assert_int_equal(got.position, 0);
    assert_int_equal(got.wait_min, 4);
    /* acknowledged: the resident's words are gone, the rest of the body stays */
    file_text(t.db, "SELECT body FROM checkins WHERE id = ?1", ids[0], txt, sizeof(txt));
    assert_null(strstr(txt, "words"));
    assert_non_null(strstr(txt, ids[0]));
    file_text(t.db, "SELECT acked_ms FROM checkins WHERE id = ?1", ids[1], txt, sizeof(txt));
    assert_string_equal(txt, "5000");
    assert_int_equal(store_count_pending(s), 2);
    pthread_mutex_destroy(&b.mu);
    pthread_cond_destroy(&b.cv);
    store_free(s);
    tmp_remove(&t);
}

/* A batch whose commit meets a damaged body or an id no longer there still acknowledges the
 * rest, in one go; an empty batch writes nothing. */
static void batch_of_odd_rows(void **state)
{
    struct tmp t;
    char err[600], ids[3][STORE_ID_LEN], txt[256];
    struct ticket tk = {.code = "H-C01", .position = 2, .wait_min = 9};
    tmp_make(&t);
    struct store *s = store_open(t.dir, err, sizeof(err));
    assert_non_null(s);
    add_n(s, ids, 0, 2);
    assert_int_equal(store_uuid4(ids[2]), 0);
    assert_int_equal(store_add(s, ids[2], 1700000000200LL, "not json, \"name\": Ana"), 0);
    assert_int_equal(store_begin(s), 0);
    assert_int_equal(store_commit(s), 0); /* nothing in it */
    assert_int_equal(store_count_pending(s), 3);
    assert_int_equal(store_begin(s), 0);
    assert_int_equal(store_ack(s, ids[2], &tk, 7000), 0);
    assert_int_equal(store_ack(s, "00000000-0000-4000-8000-000000000000", &tk, 7000), 0);
    assert_int_equal(store_ack(s, ids[0], &tk, 7000), 0);
    assert_int_equal(store_commit(s), 0);
    assert_int_equal(store_count_pending(s), 1);
    file_text(t.db, "SELECT body FROM checkins WHERE id = ?1", ids[2], txt, sizeof(txt));
    assert_string_equal(txt, "{}"); /* not JSON: nothing of it kept */
    assert_int_equal(store_reject(s, ids[1], 400, "bad"), 0);
    file_text(t.db, "SELECT body FROM checkins WHERE id = ?1", ids[1], txt, sizeof(txt));
    assert_null(strstr(txt, "words"));
    assert_int_equal(store_count_set_aside(s), 1);
    store_free(s);
    tmp_remove(&t);
}

int main(void)
{
    shim_register();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(durable_file_works),
        cmocka_unit_test(db_is_a_directory),
        cmocka_unit_test(dir_below_a_regular_file),
        cmocka_unit_test(deleted_with_wal_and_shm),
        cmocka_unit_test(deleted_leaving_stale_wal),
        cmocka_unit_test(replaced_mid_run),
        cmocka_unit_test(writes_fail_mid_run),
        cmocka_unit_test(batch_commit_fails),
        cmocka_unit_test(recovery_needs_a_real_write),
        cmocka_unit_test(concurrent_adds_survive),
        cmocka_unit_test(ui_write_proceeds_during_batch),
        cmocka_unit_test(batch_of_odd_rows),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    sqlite3_vfs_unregister(&shim_vfs);
    sqlite3_shutdown();
    return rc;
}
