/* bench_sync.c — the kiosk's sync against a real hubd on loopback: how fast a backlog of
 * 10,000 check-ins drains once hubd is back, how long the durable local write takes, what
 * sync_poll_result costs the UI thread, and how long the UI thread's check-in write takes while
 * the backlog drains, side by side with the same writes with no drain. Prints figures; exits
 * non-zero only when the board is wrong (a check-in missing or twice), never on time. */
#include <curl/curl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store.h"
#include "sync.h"
#include "sync_env.h"

#define BACKLOG      10000
#define RUNS         3
#define WRITES       1000
#define DRAIN_TARGET 10.0 /* s for the whole backlog once hubd is up */
#define WRITE_TARGET 20.0 /* ms, p95 of the durable write */
#define DOWN_MS      1500 /* hubd unreachable this long after the sync starts */
#define GIVE_UP_MS   300000
#define FRAME_US     16667.0 /* one frame at 60 Hz */
#define UI_GAP_US    2000    /* between two UI-side writes: a busy morning, many times over */
#define UI_MAX       4000    /* UI-side writes in one drain at most */
#define UI_P99_MS    10.0    /* targets for the UI-side write while the backlog drains */
#define UI_MAX_MS    20.0

static int cmp_dbl(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The q-quantile of sorted v[0..n) (nearest rank). */
static double quantile(const double *v, int n, double q)
{
    int i = (int)(q * n + 0.999999) - 1;
    return v[i < 0 ? 0 : i >= n ? n - 1 : i];
}

/* A check-in as the kiosk writes it, numbered by env_add_checkins. */
static const struct kiosk_checkin BENCH_CHECKIN = {.lang = "en",
                                                   .n_needs = 2,
                                                   .needs = {"rent_arrears", "debt"},
                                                   .domain_mask = (1u << 0) | (1u << 2),
                                                   .chosen_by = CHOSEN_ROUTER,
                                                   .text =
                                                       "behind on the rent and my universal credit "
                                                       "stopped",
                                                   .consent = true};

/* Local durable write: WRITES store_add calls on a fresh store under dir. 0 or -1. */
static int bench_write(const char *dir, double *p95)
{
    char err[256] = "", sub[400];
    snprintf(sub, sizeof(sub), "%s/writes", dir);
    struct store *st = store_open(sub, err, sizeof(err));
    if (!st || err[0]) { /* a store in memory would not measure the durable write */
        fprintf(stderr, "bench-sync: %s\n", err);
        store_free(st);
        return -1;
    }
    char(*ids)[STORE_ID_LEN] = calloc(WRITES, STORE_ID_LEN);
    double *lat = calloc(WRITES, sizeof(double));
    int rc = -1;
    if (!ids || !lat || env_add_checkins(st, ids, WRITES, &BENCH_CHECKIN, lat) < 0) {
        fprintf(stderr, "bench-sync: store_add failed\n");
        goto out_free;
    }
    qsort(lat, WRITES, sizeof(double), cmp_dbl);
    *p95 = quantile(lat, WRITES, 0.95);
    printf("durable local write (store_add, WAL, synchronous=FULL, %s): %d writes\n", sub, WRITES);
    printf("  p50 %.2f ms  p95 %.2f ms  p99 %.2f ms  max %.2f ms  (target p95 <= %.0f ms)%s\n",
           quantile(lat, WRITES, 0.50), *p95, quantile(lat, WRITES, 0.99), lat[WRITES - 1],
           WRITE_TARGET, *p95 <= WRITE_TARGET ? "" : "  MISSED");
    rc = 0;
out_free:
    free(lat);
    free(ids);
    store_free(st);
    return rc;
}

struct run {
    double total_s; /* hubd up -> all acknowledged */
    double first_s; /* hubd up -> first acknowledged (reconnect, backoff) */
    double rate;    /* check-ins/s from the first ack to the last */
    double poll_p99_us, poll_max_us;
};

/* UI-side write latencies (ms), pooled over the runs: while the backlog drains, and the same
 * writes on the same store with no drain. */
struct ui_lat {
    double *drain, *idle;
    int n_drain, n_idle;
};

/* The UI thread writing check-ins, one every UI_GAP_US, as backend_sync does (store_add of a
 * check-in made by store_checkin_json), until told to stop or UI_MAX are written. */
struct ui_writer {
    struct store *st;
    char (*ids)[STORE_ID_LEN]; /* UI_MAX of them */
    double lat[UI_MAX];
    int n, failed;
    int stop; /* __atomic */
};

static void *ui_writer_main(void *arg)
{
    struct ui_writer *w = arg;
    while (w->n < UI_MAX && !__atomic_load_n(&w->stop, __ATOMIC_SEQ_CST)) {
        if (env_add_checkins(w->st, &w->ids[w->n], 1, &BENCH_CHECKIN, &w->lat[w->n]) < 0) {
            w->failed = 1;
            break;
        }
        w->n++;
        sleep_us(UI_GAP_US);
    }
    return NULL;
}

/* n paced UI-side writes into st with no drain going on, latencies appended to u->idle. */
static int ui_idle_writes(struct store *st, int n, struct ui_lat *u)
{
    static struct ui_writer w;
    memset(&w, 0, sizeof(w));
    w.st = st;
    w.ids = calloc(UI_MAX, STORE_ID_LEN);
    if (!w.ids)
        return -1;
    for (; w.n < n; w.n++) {
        if (env_add_checkins(st, &w.ids[w.n], 1, &BENCH_CHECKIN, &w.lat[w.n]) < 0)
            break;
        sleep_us(UI_GAP_US);
    }
    memcpy(u->idle + u->n_idle, w.lat, (size_t)w.n * sizeof(double));
    u->n_idle += w.n;
    free(w.ids);
    return w.n == n ? 0 : -1;
}

/* One drain: BACKLOG queued while hubd is down, the sync started with the kiosk's own
 * settings (as kiosk/platform/main.c), hubd started DOWN_MS later. 0, 1 wrong board, -1. */
static int bench_drain(int no, struct run *out, struct ui_lat *u)
{
    struct env e;
    double *poll = calloc(1 << 20, sizeof(double));
    int npoll = 0, rc = -1;
    struct sync *sy = NULL;
    static struct ui_writer w;
    pthread_t wth;
    bool writing = false;
    memset(&w, 0, sizeof(w));
    if (!poll || env_init(&e) < 0)
        goto out_free;
    int64_t q0 = mono_us();
    if (env_queue(&e, BACKLOG, &BENCH_CHECKIN) < 0)
        goto out_release;
    double queued_s = (double)(mono_us() - q0) / 1e6;
    /* room for the UI-side writes after the backlog: hubd must have them once too */
    char(*more)[STORE_ID_LEN] = realloc(e.ids, (size_t)(BACKLOG + UI_MAX + 1) * STORE_ID_LEN);
    if (!more)
        goto out_release;
    e.ids = more;
    w.st = e.store;
    w.ids = &e.ids[BACKLOG];
    struct sync_config cfg = {.server = e.url, .token = e.kiosk, .store = e.store};
    if (!(sy = sync_start(&cfg)))
        goto out_release;
    sleep_ms(DOWN_MS); /* the sync finds nothing there and backs off */
    if (env_start_hubd(&e) < 0)
        goto out_release;
    int64_t up = mono_us(), first = 0, done = 0, backlog_done = 0;
    struct ticket t;
    while (!done && mono_us() - up < GIVE_UP_MS * 1000LL) {
        int64_t p0 = mono_us(); /* the UI thread's poll, while the sync drains */
        int last = sync_poll_result(sy, e.ids[BACKLOG - 1], &t);
        if (npoll < (1 << 20))
            poll[npoll++] = (double)(mono_us() - p0);
        /* counted (10,000 rows) before and after the drain only, not on the CPU the UI-side
         * writes share with it */
        int pending = first && !backlog_done ? -1 : store_count_pending(e.store);
        int64_t now = mono_us();
        if (!first && pending >= 0 &&
            pending < BACKLOG) { /* the drain is under way: residents arrive */
            first = now;
            writing = pthread_create(&wth, NULL, ui_writer_main, &w) == 0;
            if (!writing)
                goto out_release;
        }
        if (!backlog_done && (last == 1 || store_result(e.store, e.ids[BACKLOG - 1], &t) == 1)) {
            backlog_done = now; /* oldest first: the whole backlog is acknowledged */
            __atomic_store_n(&w.stop, 1, __ATOMIC_SEQ_CST);
            if (writing && pthread_join(wth, NULL) == 0)
                writing = false;
            e.n = BACKLOG + w.n;
            continue; /* and the UI-side ones are sent too */
        }
        if (backlog_done && pending == 0)
            done = now;
        sleep_ms(2);
    }
    if (!done) {
        printf("  run %d: WRONG: %d check-ins still pending after %d s\n", no,
               store_count_pending(e.store), GIVE_UP_MS / 1000);
        rc = 1;
        goto out_release;
    }
    sync_stop(sy);
    sy = NULL;
    out->total_s = (double)(backlog_done - up) / 1e6;
    out->first_s = (double)(first - up) / 1e6;
    out->rate = backlog_done > first ? BACKLOG / ((double)(backlog_done - first) / 1e6) : 0;
    qsort(poll, (size_t)npoll, sizeof(double), cmp_dbl);
    out->poll_p99_us = quantile(poll, npoll, 0.99);
    out->poll_max_us = poll[npoll - 1];
    int exact = env_check_once(&e, true) == 0; /* reasons on stderr */
    printf("  run %d: %d queued in %.1f s while hubd was down; hubd started %.1f s after the "
           "sync; all acknowledged %.2f s after hubd was up (first ack at %.2f s: reconnect "
           "backoff), %.0f check-ins/s while draining; %d UI-side writes meanwhile; hubd has "
           "all %d %s%s\n",
           no, BACKLOG, queued_s, DOWN_MS / 1000.0, out->total_s, out->first_s, out->rate, w.n, e.n,
           exact ? "exactly once" : "NOT exactly once",
           out->total_s <= DRAIN_TARGET ? "" : "  MISSED");
    memcpy(u->drain + u->n_drain, w.lat, (size_t)w.n * sizeof(double));
    u->n_drain += w.n;
    /* the same writes, as many and as paced, on the same store (its backlog now sent), with
     * nothing draining: what the drain costs them */
    if (ui_idle_writes(e.store, w.n, u) < 0) {
        fprintf(stderr, "bench-sync: a UI-side write failed with no drain\n");
        exact = 0;
    }
    rc = exact && !w.failed ? 0 : 1;
out_release:
    if (writing) {
        __atomic_store_n(&w.stop, 1, __ATOMIC_SEQ_CST);
        pthread_join(wth, NULL);
    }
    sync_stop(sy);
    server_stop(&e.srv);
    env_release(&e);
out_free:
    free(poll);
    return rc;
}

/* sync_poll_result on an idle sync (hubd down, nothing pending): the UI thread's cost. */
static void bench_poll_idle(const char *dir)
{
    char err[256], sub[400], id[STORE_ID_LEN], url[64];
    snprintf(sub, sizeof(sub), "%s/writes", dir); /* the store bench_write left */
    snprintf(url, sizeof(url), "http://127.0.0.1:%d", free_port());
    struct store *st = store_open(sub, err, sizeof(err));
    if (!st)
        return;
    struct sync_config cfg = {.server = url, .token = "x", .store = st, .dir_every_ms = -1};
    struct sync *sy = sync_start(&cfg);
    double *lat = calloc(10000, sizeof(double));
    if (sy && lat && store_uuid4(id) == 0) {
        struct ticket t;
        for (int i = 0; i < 10000; i++) {
            int64_t t0 = mono_us();
            sync_poll_result(sy, id, &t);
            lat[i] = (double)(mono_us() - t0);
        }
        qsort(lat, 10000, sizeof(double), cmp_dbl);
        printf("sync_poll_result, sync idle (store of %d rows): p50 %.0f us  p99 %.0f us  max "
               "%.0f us\n",
               WRITES, quantile(lat, 10000, 0.5), quantile(lat, 10000, 0.99), lat[9999]);
    }
    free(lat);
    sync_stop(sy);
    store_free(st);
}

int main(int argc, char **argv)
{
    if (argc > 1) {
        fprintf(argc == 2 && strcmp(argv[1], "--help") == 0 ? stdout : stderr,
                "usage: bench-sync  (no arguments; HUBD_BIN names hubd, TMPDIR the scratch "
                "folder)\n");
        return argc == 2 && strcmp(argv[1], "--help") == 0 ? 0 : 2;
    }
    curl_global_init(CURL_GLOBAL_DEFAULT);
    struct server scratch; /* a temporary folder for the write bench */
    if (server_init(&scratch) < 0) {
        fprintf(stderr, "bench-sync: cannot make a temporary folder\n");
        return 2;
    }
    double p95 = 0;
    int bad = bench_write(scratch.dir, &p95) < 0;
    bench_poll_idle(scratch.dir);
    server_cleanup(&scratch);

    printf("drain of a %d check-in backlog (hubd %s, kiosk sync settings as shipped: batches "
           "of 100, backoff 1 s doubling):\n",
           BACKLOG, hubd_bin());
    struct run runs[RUNS];
    double totals[RUNS], rates[RUNS], poll_p99 = 0, poll_max = 0, ui_p99 = -1, ui_max = -1;
    int nruns = 0;
    struct ui_lat ui = {.drain = calloc(RUNS * UI_MAX, sizeof(double)),
                        .idle = calloc(RUNS * UI_MAX, sizeof(double))};
    if (!ui.drain || !ui.idle) {
        fprintf(stderr, "bench-sync: out of memory\n");
        return 2;
    }
    for (int i = 0; i < RUNS; i++) {
        int rc = bench_drain(i + 1, &runs[nruns], &ui);
        if (rc != 0) {
            bad = 1;
            if (rc < 0)
                printf("  run %d: could not run\n", i + 1);
            continue;
        }
        totals[nruns] = runs[nruns].total_s;
        rates[nruns] = runs[nruns].rate;
        if (runs[nruns].poll_p99_us > poll_p99)
            poll_p99 = runs[nruns].poll_p99_us;
        if (runs[nruns].poll_max_us > poll_max)
            poll_max = runs[nruns].poll_max_us;
        nruns++;
    }
    double med = -1, rate = 0;
    if (nruns > 0) {
        qsort(totals, (size_t)nruns, sizeof(double), cmp_dbl);
        qsort(rates, (size_t)nruns, sizeof(double), cmp_dbl);
        med = totals[nruns / 2];
        rate = rates[nruns / 2];
        printf("  median: all %d acknowledged %.2f s after hubd was up (target <= %.0f s)%s, "
               "%.0f check-ins/s\n",
               BACKLOG, med, DRAIN_TARGET, med <= DRAIN_TARGET ? "" : "  MISSED", rate);
        printf("sync_poll_result on the UI thread while the sync drains: p99 %.0f us, max %.0f "
               "us (worst run)%s\n",
               poll_p99, poll_max, poll_max > FRAME_US ? "  -- longer than a 60 Hz frame" : "");
    }
    if (ui.n_drain > 0 && ui.n_idle > 0) {
        qsort(ui.drain, (size_t)ui.n_drain, sizeof(double), cmp_dbl);
        qsort(ui.idle, (size_t)ui.n_idle, sizeof(double), cmp_dbl);
        ui_p99 = quantile(ui.drain, ui.n_drain, 0.99);
        ui_max = ui.drain[ui.n_drain - 1];
        printf("UI-side check-in write (store_add on the UI's own connection, one every %d ms), "
               "%d runs pooled:\n"
               "                            writes   p50 ms   p99 ms   max ms\n",
               UI_GAP_US / 1000, nruns);
        printf("  no drain (same store)     %6d %8.2f %8.2f %8.2f\n", ui.n_idle,
               quantile(ui.idle, ui.n_idle, 0.5), quantile(ui.idle, ui.n_idle, 0.99),
               ui.idle[ui.n_idle - 1]);
        printf("  during the %d drain    %6d %8.2f %8.2f %8.2f  (target p99 <= %.0f, max <= "
               "%.0f)%s\n",
               BACKLOG, ui.n_drain, quantile(ui.drain, ui.n_drain, 0.5), ui_p99, ui_max, UI_P99_MS,
               UI_MAX_MS, ui_p99 <= UI_P99_MS && ui_max <= UI_MAX_MS ? "" : "  MISSED");
    }
    bool ui_ok = ui_p99 >= 0 && ui_p99 <= UI_P99_MS && ui_max <= UI_MAX_MS;
    printf("bench-sync: drain10k_median_s=%.2f%s drain_rate=%.0f/s write_p95_ms=%.2f%s "
           "poll_drain_max_us=%.0f ui_write_drain_p99_ms=%.2f ui_write_drain_max_ms=%.2f%s "
           "correct=%s\n",
           med, med >= 0 && med <= DRAIN_TARGET ? "" : " MISSED", rate, p95,
           p95 <= WRITE_TARGET ? "" : " MISSED", poll_max, ui_p99, ui_max, ui_ok ? "" : " MISSED",
           bad ? "NO" : "yes");
    free(ui.drain);
    free(ui.idle);
    curl_global_cleanup();
    return bad ? 1 : 0;
}
