/* sync_env.c — hubd, the kiosk's store and hubd's board for the sync tests and bench (see
 * sync_env.h). */
#include "sync_env.h"

#include <cjson/cJSON.h>
#include <netinet/in.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

int64_t mono_ms(void)
{
    return mono_us() / 1000;
}

int64_t mono_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void sleep_ms(int ms)
{
    sleep_us((long)ms * 1000);
}

void sleep_us(long us)
{
    struct timespec ts = {.tv_sec = us / 1000000, .tv_nsec = (us % 1000000) * 1000L};
    nanosleep(&ts, NULL);
}

int free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof(a);
    int port = -1;
    if (fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof(a)) == 0 &&
        getsockname(fd, (struct sockaddr *)&a, &len) == 0)
        port = ntohs(a.sin_port);
    if (fd >= 0)
        close(fd);
    return port;
}

int env_init(struct env *e)
{
    char out[256] = "", err[256] = "", why[256] = "";
    const char *seed[] = {"--db",  e->srv.db, "--seed",     "assets/demo-hub.json",
                          "token", "kiosk",   "front-door", NULL};
    memset(e, 0, sizeof(*e));
    if (server_init(&e->srv) < 0) {
        fprintf(stderr, "sync_env: cannot make a temporary folder\n");
        return -1;
    }
    int port = free_port();
    if (port < 0) {
        fprintf(stderr, "sync_env: no free loopback port\n");
        goto out_cleanup;
    }
    snprintf(e->port, sizeof(e->port), "%d", port);
    snprintf(e->url, sizeof(e->url), "http://127.0.0.1:%s", e->port);
    if (run_hubd(seed, out, sizeof(out), err, sizeof(err)) != 0 ||
        make_token(&e->srv, "reception", "desk", e->reception) < 0 ||
        make_token(&e->srv, "manager", "office", e->manager) < 0) {
        fprintf(stderr, "sync_env: cannot prepare hubd's database: %s\n", err);
        goto out_cleanup;
    }
    snprintf(e->kiosk, sizeof(e->kiosk), "%.64s", out);
    snprintf(e->data, sizeof(e->data), "%s/kiosk", e->srv.dir);
    e->store = store_open(e->data, why, sizeof(why));
    if (!e->store || why[0]) {
        fprintf(stderr, "sync_env: the kiosk's store is not on file: %s\n", why);
        store_free(e->store);
        goto out_cleanup;
    }
    return 0;
out_cleanup:
    server_cleanup(&e->srv);
    memset(e, 0, sizeof(*e));
    return -1;
}

void env_release(struct env *e)
{
    server_kill(&e->srv);
    store_free(e->store);
    server_cleanup(&e->srv);
    free(e->ids);
    e->store = NULL;
    e->ids = NULL;
}

int env_start_hubd(struct env *e)
{
    const char *args[] = {"--port", e->port, NULL};
    for (int i = 0; i < 100; i++) {
        if (server_start(&e->srv, args) == 0)
            return 0;
        sleep_ms(100); /* the old socket may linger a moment */
    }
    fprintf(stderr, "sync_env: hubd did not start on port %s\n", e->port);
    return -1;
}

int env_add_checkins(struct store *st, char (*ids)[STORE_ID_LEN], int n,
                     const struct kiosk_checkin *like, double *lat_ms)
{
    static const struct kiosk_checkin landlord = {.lang = "en",
                                                  .n_needs = 1,
                                                  .needs = {"rent_arrears"},
                                                  .domain_mask = 1u << 0,
                                                  .chosen_by = CHOSEN_ROUTER,
                                                  .text = "my landlord wants me out",
                                                  .consent = true};
    if (!like)
        like = &landlord;
    for (int i = 0; i < n; i++) {
        struct kiosk_checkin c = *like;
        int64_t now = (int64_t)time(NULL) * 1000;
        snprintf(c.name, sizeof(c.name), "Resident %d", i);
        snprintf(c.text, sizeof(c.text), "%s %d", like->text, i);
        if (store_uuid4(ids[i]) < 0)
            return -1;
        char *body = store_checkin_json(&c, ids[i], now, NULL);
        if (!body)
            return -1;
        int64_t t0 = mono_us();
        int rc = store_add(st, ids[i], now, body);
        if (lat_ms)
            lat_ms[i] = (double)(mono_us() - t0) / 1000.0;
        free(body);
        if (rc < 0)
            return -1;
    }
    return 0;
}

int env_queue(struct env *e, int n, const struct kiosk_checkin *like)
{
    e->ids = calloc((size_t)n + 1, STORE_ID_LEN);
    if (!e->ids)
        return -1;
    e->n = n;
    if (env_add_checkins(e->store, e->ids, n, like, NULL) < 0) {
        fprintf(stderr, "sync_env: could not queue %d check-ins\n", n);
        return -1;
    }
    int pending = store_count_pending(e->store);
    if (pending != n) {
        fprintf(stderr, "sync_env: %d pending after queueing %d\n", pending, n);
        return -1;
    }
    return 0;
}

int env_wait_drained(struct env *e, int timeout_ms)
{
    int64_t end = mono_ms() + timeout_ms;
    while (store_count_pending(e->store) > 0 && mono_ms() < end)
        sleep_ms(10);
    int pending = store_count_pending(e->store);
    if (pending == 0)
        return 0;
    fprintf(stderr, "sync_env: %d still pending after %d ms\n", pending, timeout_ms);
    return -1;
}

static int cmp_item(const void *a, const void *b)
{
    return strcmp(((const struct board_item *)a)->id, ((const struct board_item *)b)->id);
}

/* The items of hubd's "checkins" array into a new sorted array; NULL when one lacks an id or a
 * ticket. */
static struct board_item *board_items(const cJSON *arr, int *n)
{
    struct board_item *items = calloc((size_t)cJSON_GetArraySize(arr) + 1, sizeof(*items));
    const cJSON *it;
    int i = 0;
    if (!items)
        return NULL;
    cJSON_ArrayForEach(it, arr)
    {
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(it, "id");
        const cJSON *tk = cJSON_GetObjectItemCaseSensitive(it, "ticket");
        if (!cJSON_IsString(id) || !cJSON_IsString(tk)) {
            fprintf(stderr, "sync_env: a check-in on the board without an id or a ticket\n");
            free(items);
            return NULL;
        }
        snprintf(items[i].id, sizeof(items[i].id), "%s", id->valuestring);
        snprintf(items[i].ticket, sizeof(items[i].ticket), "%s", tk->valuestring);
        i++;
    }
    qsort(items, (size_t)i, sizeof(*items), cmp_item);
    *n = i;
    return items;
}

struct board_item *env_board(struct env *e, int *n)
{
    struct resp r;
    struct board_item *items = NULL;
    if (http(&e->srv, "GET", "/api/v1/checkins?status=waiting", e->reception, NULL, NULL, 0, NULL,
             &r) < 0) {
        fprintf(stderr, "sync_env: hubd's board: no answer\n");
        return NULL;
    }
    cJSON *root = r.status == 200 ? resp_json(&r) : NULL;
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(root, "checkins");
    if (cJSON_IsArray(arr))
        items = board_items(arr, n);
    else
        fprintf(stderr, "sync_env: hubd's board: status %ld, no checkins array\n", r.status);
    cJSON_Delete(root);
    resp_free(&r);
    return items;
}

int env_board_count(struct env *e)
{
    int n = -1;
    struct board_item *b = env_board(e, &n);
    free(b);
    return b ? n : -1;
}

int env_report_counts(struct env *e, int *total, int *waiting)
{
    char path[200], from[16], to[16];
    time_t now = time(NULL), a = now - 2 * 86400, b = now + 86400;
    struct tm tm;
    struct resp r;
    int rc = -1;
    strftime(from, sizeof(from), "%Y-%m-%d", gmtime_r(&a, &tm));
    strftime(to, sizeof(to), "%Y-%m-%d", gmtime_r(&b, &tm));
    snprintf(path, sizeof(path), "/api/v1/reports/demand?from=%s&to=%s&by=domain", from, to);
    if (http(&e->srv, "GET", path, e->manager, NULL, NULL, 0, NULL, &r) < 0) {
        fprintf(stderr, "sync_env: hubd's demand report: no answer\n");
        return -1;
    }
    cJSON *root = r.status == 200 ? resp_json(&r) : NULL;
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(root, "total");
    const cJSON *o = cJSON_GetObjectItemCaseSensitive(root, "outcomes");
    const cJSON *tc = cJSON_GetObjectItemCaseSensitive(t, "checkins");
    const cJSON *ow = cJSON_GetObjectItemCaseSensitive(o, "waiting");
    if (cJSON_IsNumber(tc) && cJSON_IsNumber(ow)) {
        *total = tc->valueint;
        *waiting = ow->valueint;
        rc = 0;
    } else {
        fprintf(stderr, "sync_env: hubd's demand report: status %ld, no counts\n", r.status);
    }
    cJSON_Delete(root);
    resp_free(&r);
    return rc;
}

/* The kiosk's side of env_check_once for the n items of b: nothing pending or set aside, each
 * acknowledged with hubd's ticket. How many are wrong (each said on stderr). */
static int kiosk_agrees(struct env *e, const struct board_item *b, int n)
{
    int wrong = 0, pending = store_count_pending(e->store), aside = store_count_set_aside(e->store);
    if (pending != 0 || aside != 0) {
        fprintf(stderr, "sync_env: the kiosk has %d pending, %d set aside\n", pending, aside);
        wrong++;
    }
    for (int i = 0; i < n; i++) {
        struct ticket t;
        int rc = store_result(e->store, b[i].id, &t);
        if (rc != 1) {
            fprintf(stderr,
                    "sync_env: check-in %s is on the board, but not acknowledged in the "
                    "kiosk (%d)\n",
                    b[i].id, rc);
            wrong++;
        } else if (strcmp(t.code, b[i].ticket) != 0) {
            fprintf(stderr, "sync_env: check-in %s: kiosk has ticket '%s', hubd '%s'\n", b[i].id,
                    t.code, b[i].ticket);
            wrong++;
        }
    }
    return wrong;
}

int env_check_once(struct env *e, bool acked)
{
    int total = -1, waiting = -1, got = 0, ok = -1;
    struct board_item *ours = calloc((size_t)e->n + 1, sizeof(*ours)), *b = NULL;
    if (!ours || env_report_counts(e, &total, &waiting) < 0 || !(b = env_board(e, &got)))
        goto out_free;
    for (int i = 0; i < e->n; i++)
        snprintf(ours[i].id, sizeof(ours[i].id), "%s", e->ids[i]);
    qsort(ours, (size_t)e->n, sizeof(*ours), cmp_item);
    int want = e->n < ENV_BOARD_MAX ? e->n : ENV_BOARD_MAX, twice = 0, strange = 0, missing = 0;
    for (int i = 0; i < got; i++) {
        if (i > 0 && strcmp(b[i - 1].id, b[i].id) == 0) {
            fprintf(stderr, "sync_env: check-in %s is on the board twice\n", b[i].id);
            twice++;
        }
        if (!bsearch(&b[i], ours, (size_t)e->n, sizeof(*ours), cmp_item)) {
            fprintf(stderr, "sync_env: check-in %s on the board was not queued here\n", b[i].id);
            strange++;
        }
        if (!b[i].ticket[0]) {
            fprintf(stderr, "sync_env: check-in %s is on the board without a ticket\n", b[i].id);
            strange++;
        }
    }
    for (int i = 0; e->n <= ENV_BOARD_MAX && i < e->n; i++)
        if (!bsearch(&ours[i], b, (size_t)got, sizeof(*b), cmp_item)) {
            fprintf(stderr, "sync_env: check-in %s is not on the board\n", ours[i].id);
            missing++;
        }
    int disagree = acked ? kiosk_agrees(e, b, got) : 0;
    bool once = total == e->n && waiting == e->n && got == want && !twice && !strange && !missing;
    ok = once && !disagree ? 0 : -1;
    if (ok < 0)
        fprintf(stderr,
                "sync_env: NOT exactly once: hubd counts %d arrivals, %d waiting (want %d); the "
                "board shows %d (want %d), %d twice, %d not queued here or without a ticket, %d "
                "missing; %d disagree with the kiosk\n",
                total, waiting, e->n, got, want, twice, strange, missing, disagree);
out_free:
    free(b);
    free(ours);
    return ok;
}

char *env_row_text(const struct env *e, const char *sql, const char *arg)
{
    char path[500];
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    char *out = NULL;
    snprintf(path, sizeof(path), "%s/kiosk.db", e->data);
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        fprintf(stderr, "sync_env: %s: %s\n", path, db ? sqlite3_errmsg(db) : "out of memory");
        goto out_close;
    }
    sqlite3_bind_text(st, 1, arg, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
        out = strdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
out_close:
    sqlite3_close(db);
    return out;
}
