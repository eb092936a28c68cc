/* test_drain.c — exactly once under SIGKILLs: hubd killed at random moments of a 1,000
 * check-in drain, and the kiosk's own sync killed mid-post and restarted from its store. */
#include <cjson/cJSON.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "../hubd/client.h"
#include "store.h"
#include "sync.h"

#define HUBD_DRAIN  1000 /* check-ins drained while hubd is killed */
#define HUBD_KILLS  20
#define KIOSK_DRAIN 400 /* check-ins drained while the kiosk's sync is killed */
#define KIOSK_KILLS 15
#define WAIT_MS     30000 /* generous: progress that never comes is a failure, not slowness */

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_us(long us)
{
    struct timespec ts = {.tv_sec = us / 1000000, .tv_nsec = (us % 1000000) * 1000L};
    nanosleep(&ts, NULL);
}

/* Uniform-ish in [0, n), from getrandom: every run kills at other moments. */
static unsigned rnd(unsigned n)
{
    uint32_t r;
    assert_int_equal(getrandom(&r, sizeof(r), 0), (ssize_t)sizeof(r));
    return n ? r % n : 0;
}

/* A loopback port free right now (hubd binds it with SO_REUSEADDR on every restart). */
static int free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof(a);
    assert_true(fd >= 0);
    assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
    assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
    close(fd);
    return ntohs(a.sin_port);
}

struct env {
    struct server srv;
    char port[16], url[64], kiosk[80], reception[80], manager[80], data[400];
    struct store *store;
    int n;
    char (*ids)[STORE_ID_LEN];
};

static void start_hubd(struct env *e)
{
    const char *args[] = {"--port", e->port, NULL};
    for (int i = 0; i < 100; i++) {
        if (server_start(&e->srv, args) == 0)
            return;
        sleep_us(100000); /* the old socket may linger a moment */
    }
    fail_msg("hubd did not start on port %s", e->port);
}

static void env_init(struct env *e)
{
    memset(e, 0, sizeof(*e));
    assert_int_equal(server_init(&e->srv), 0);
    snprintf(e->port, sizeof(e->port), "%d", free_port());
    snprintf(e->url, sizeof(e->url), "http://127.0.0.1:%s", e->port);
    char out[256], err[256];
    const char *seed[] = {"--db",  e->srv.db, "--seed",     "assets/demo-hub.json",
                          "token", "kiosk",   "front-door", NULL};
    assert_int_equal(run_hubd(seed, out, sizeof(out), err, sizeof(err)), 0);
    snprintf(e->kiosk, sizeof(e->kiosk), "%.64s", out);
    assert_int_equal(make_token(&e->srv, "reception", "desk", e->reception), 0);
    assert_int_equal(make_token(&e->srv, "manager", "office", e->manager), 0);
    snprintf(e->data, sizeof(e->data), "%s/kiosk", e->srv.dir);
    char why[256] = "";
    e->store = store_open(e->data, why, sizeof(why));
    assert_non_null(e->store);
    assert_string_equal(why, ""); /* on the file, not in memory: kills must not lose rows */
}

static void env_release(struct env *e)
{
    server_kill(&e->srv);
    store_free(e->store);
    server_cleanup(&e->srv);
    free(e->ids);
}

/* Queues n check-ins in the kiosk's store, as the kiosk does (resident's words included). */
static void queue(struct env *e, int n)
{
    e->ids = calloc((size_t)n, STORE_ID_LEN);
    assert_non_null(e->ids);
    e->n = n;
    for (int i = 0; i < n; i++) {
        struct checkin c = {.lang = "en",
                            .n_needs = 1,
                            .needs = {"rent_arrears"},
                            .domain_mask = 1u << 0,
                            .chosen_by = CHOSEN_ROUTER,
                            .consent = true};
        snprintf(c.name, sizeof(c.name), "Resident %d", i);
        snprintf(c.text, sizeof(c.text), "my landlord wants me out %d", i);
        int64_t now = (int64_t)time(NULL) * 1000;
        assert_int_equal(store_uuid4(e->ids[i]), 0);
        char *body = store_checkin_json(&c, e->ids[i], now);
        assert_non_null(body);
        assert_int_equal(store_add(e->store, e->ids[i], now, body), 0);
        free(body);
    }
    assert_int_equal(store_count_pending(e->store), n);
}

static int acked(struct env *e)
{
    int p = store_count_pending(e->store);
    assert_true(p >= 0);
    return e->n - p;
}

/* hubd's board: ids with their tickets, sorted by id. */
struct board_item {
    char id[STORE_ID_LEN];
    char ticket[16];
};

static int cmp_item(const void *a, const void *b)
{
    return strcmp(((const struct board_item *)a)->id, ((const struct board_item *)b)->id);
}

/* The board (malloc'd, sorted by id, *n items). */
static struct board_item *board_get(struct env *e, int *n)
{
    struct resp r;
    assert_int_equal(http(&e->srv, "GET", "/api/v1/checkins?status=waiting", e->reception, NULL,
                          NULL, 0, NULL, &r),
                     0);
    assert_int_equal(r.status, 200);
    cJSON *root = resp_json(&r);
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(root, "checkins");
    assert_true(cJSON_IsArray(arr));
    *n = cJSON_GetArraySize(arr);
    struct board_item *items = calloc((size_t)*n + 1, sizeof(*items));
    assert_non_null(items);
    int i = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, arr)
    {
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(it, "id");
        const cJSON *tk = cJSON_GetObjectItemCaseSensitive(it, "ticket");
        assert_true(cJSON_IsString(id) && cJSON_IsString(tk));
        snprintf(items[i].id, sizeof(items[i].id), "%s", id->valuestring);
        snprintf(items[i].ticket, sizeof(items[i].ticket), "%s", tk->valuestring);
        i++;
    }
    qsort(items, (size_t)*n, sizeof(*items), cmp_item);
    cJSON_Delete(root);
    resp_free(&r);
    return items;
}

static int board_count(struct env *e)
{
    int n;
    free(board_get(e, &n));
    return n;
}

/* hubd's demand report around today: arrivals (total.checkins) and those still waiting
 * (outcomes.waiting). Counts every row, where the board shows at most 1,000. */
static void report_counts(struct env *e, int *total, int *waiting)
{
    char path[200], from[16], to[16];
    time_t now = time(NULL), a = now - 2 * 86400, b = now + 86400;
    struct tm tm;
    strftime(from, sizeof(from), "%Y-%m-%d", gmtime_r(&a, &tm));
    strftime(to, sizeof(to), "%Y-%m-%d", gmtime_r(&b, &tm));
    snprintf(path, sizeof(path), "/api/v1/reports/demand?from=%s&to=%s&by=domain", from, to);
    struct resp r;
    assert_int_equal(http(&e->srv, "GET", path, e->manager, NULL, NULL, 0, NULL, &r), 0);
    assert_int_equal(r.status, 200);
    cJSON *root = resp_json(&r);
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(root, "total");
    const cJSON *o = cJSON_GetObjectItemCaseSensitive(root, "outcomes");
    const cJSON *tc = cJSON_GetObjectItemCaseSensitive(t, "checkins");
    const cJSON *ow = cJSON_GetObjectItemCaseSensitive(o, "waiting");
    assert_true(cJSON_IsNumber(tc) && cJSON_IsNumber(ow));
    *total = tc->valueint;
    *waiting = ow->valueint;
    cJSON_Delete(root);
    resp_free(&r);
}

/* Every queued check-in is on hubd's board exactly once and nothing else is; none is pending
 * or set aside in the store, and each carries hubd's own ticket there. */
static void assert_exactly_once(struct env *e)
{
    int n;
    int total, waiting;
    report_counts(e, &total, &waiting); /* a twice-stored one would show here */
    assert_int_equal(total, e->n);
    assert_int_equal(waiting, e->n);
    struct board_item *b = board_get(e, &n);
    assert_int_equal(n, e->n); /* hubd's board shows up to 1,000 */
    for (int i = 1; i < n; i++)
        if (strcmp(b[i - 1].id, b[i].id) == 0)
            fail_msg("check-in %s is on the board twice", b[i].id);
    assert_int_equal(store_count_pending(e->store), 0);
    assert_int_equal(store_count_set_aside(e->store), 0);
    for (int i = 0; i < e->n; i++) {
        struct board_item key;
        snprintf(key.id, sizeof(key.id), "%s", e->ids[i]);
        const struct board_item *on = bsearch(&key, b, (size_t)n, sizeof(*b), cmp_item);
        if (!on)
            fail_msg("check-in %s is not on the board", e->ids[i]);
        struct ticket t;
        assert_int_equal(store_result(e->store, e->ids[i], &t), 1);
        if (strcmp(t.code, on->ticket) != 0)
            fail_msg("check-in %s: kiosk has ticket '%s', hubd '%s'", e->ids[i], t.code,
                     on->ticket);
    }
    free(b);
}

static void wait_acked(struct env *e, int at_least, pid_t child)
{
    int64_t end = mono_ms() + WAIT_MS;
    while (acked(e) < at_least) {
        if (mono_ms() > end)
            fail_msg("no progress: %d of %d acknowledged, waited for %d", acked(e), e->n, at_least);
        if (child > 0 && waitpid(child, NULL, WNOHANG) == child)
            fail_msg("the kiosk child exited on its own");
        sleep_us(1000);
    }
}

/* 1. hubd SIGKILLed 20 times at random moments of the drain, restarted on the same database
 * and port each time. */
static void hubd_killed_mid_drain_arrive_once(void **state)
{
    int64_t t0 = mono_ms();
    struct env e;
    env_init(&e);
    queue(&e, HUBD_DRAIN);
    start_hubd(&e);
    struct sync_config cfg = {.server = e.url,
                              .token = e.kiosk,
                              .store = e.store,
                              .batch_max = 5 + (int)rnd(6), /* 5..10: the drain lasts */
                              .backoff_base_ms = 20,
                              .backoff_cap_ms = 200,
                              .dir_every_ms = -1};
    struct sync *s = sync_start(&cfg);
    assert_non_null(s);
    const int span = (HUBD_DRAIN - 60) / HUBD_KILLS; /* one kill somewhere in each span */
    for (int k = 0; k < HUBD_KILLS; k++) {
        wait_acked(&e, 20 + k * span + (int)rnd((unsigned)span), 0);
        sleep_us(rnd(3000)); /* any phase of a batch: sending, committing, answering */
        server_kill(&e.srv);
        int pending = store_count_pending(e.store);
        if (pending <= 0)
            fail_msg("kill %d landed after the drain (pending %d)", k + 1, pending);
        sleep_us(rnd(150000));
        start_hubd(&e);
        /* Everything the kiosk had acknowledged when hubd died survived the kill. */
        int on_board = board_count(&e);
        if (on_board < HUBD_DRAIN - pending || on_board > HUBD_DRAIN)
            fail_msg("kill %d: %d on the board, kiosk had %d acknowledged", k + 1, on_board,
                     HUBD_DRAIN - pending);
    }
    wait_acked(&e, HUBD_DRAIN, 0);
    sync_stop(s);
    assert_exactly_once(&e);
    print_message("%d check-ins in batches of %d, hubd killed %d times mid-drain: all on the "
                  "board once (%.1f s)\n",
                  HUBD_DRAIN, cfg.batch_max, HUBD_KILLS, (double)(mono_ms() - t0) / 1000);
    env_release(&e);
}

/* Child mode: the kiosk's side alone, syncing DIR's store to URL until killed. */
static int child_main(const char *dir, const char *url, const char *token)
{
    char err[256] = "";
    prctl(PR_SET_PDEATHSIG, SIGKILL); /* never outlives the test */
    struct store *st = store_open(dir, err, sizeof(err));
    if (!st || err[0]) {
        fprintf(stderr, "test_drain child: %s\n", err);
        return 2;
    }
    struct sync_config cfg = {.server = url,
                              .token = token,
                              .store = st,
                              .batch_max = 5, /* small: a POST is almost always in flight */
                              .backoff_base_ms = 20,
                              .backoff_cap_ms = 200,
                              .dir_every_ms = -1};
    struct sync *s = sync_start(&cfg);
    if (!s) {
        store_free(st);
        return 2;
    }
    for (;;)
        pause();
}

static pid_t spawn_kiosk(struct env *e)
{
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        char *const argv[] = {"test_drain", "--child", e->data, e->url, e->kiosk, NULL};
        execv("/proc/self/exe", argv);
        _exit(127);
    }
    return pid;
}

static void kill_kiosk(pid_t pid)
{
    int st;
    assert_int_equal(kill(pid, SIGKILL), 0);
    assert_int_equal(waitpid(pid, &st, 0), pid);
    assert_true(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
}

/* 2. The kiosk's own sync (a child process on the same store) SIGKILLed mid-post 15 times
 * and restarted; hubd stays up. Check-ins hubd recorded but the kiosk had not marked are
 * replayed after the restart and still counted once, with hubd's first ticket. */
static void kiosk_killed_mid_post_arrive_once(void **state)
{
    int64_t t0 = mono_ms();
    struct env e;
    env_init(&e);
    queue(&e, KIOSK_DRAIN);
    start_hubd(&e);
    int replays = 0;
    const int span = (KIOSK_DRAIN - 30) / KIOSK_KILLS;
    for (int k = 0; k < KIOSK_KILLS; k++) {
        pid_t pid = spawn_kiosk(&e);
        wait_acked(&e, 10 + k * span + (int)rnd((unsigned)span), pid);
        sleep_us(rnd(3000));
        kill_kiosk(pid);
        int pending = store_count_pending(e.store); /* final until the next child */
        int on_board = board_count(&e);
        if (pending <= 0)
            fail_msg("kill %d landed after the drain", k + 1);
        if (on_board < KIOSK_DRAIN - pending) /* an acknowledged check-in is missing */
            fail_msg("kill %d: %d on the board, kiosk had %d acknowledged", k + 1, on_board,
                     KIOSK_DRAIN - pending);
        replays += on_board > KIOSK_DRAIN - pending; /* hubd has it, the kiosk will resend */
    }
    print_message("%d of %d kiosk kills left check-ins on hubd still pending in the store\n",
                  replays, KIOSK_KILLS);
    assert_true(replays >= 1);
    pid_t pid = spawn_kiosk(&e); /* the last one finishes the drain */
    wait_acked(&e, KIOSK_DRAIN, pid);
    kill_kiosk(pid);
    assert_exactly_once(&e);
    print_message("%d check-ins, the kiosk killed %d times mid-post: all on the board once, "
                  "hubd's tickets in the store (%.1f s)\n",
                  KIOSK_DRAIN, KIOSK_KILLS, (double)(mono_ms() - t0) / 1000);
    env_release(&e);
}

int main(int argc, char **argv)
{
    if (argc == 5 && strcmp(argv[1], "--child") == 0)
        return child_main(argv[2], argv[3], argv[4]);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(hubd_killed_mid_drain_arrive_once),
        cmocka_unit_test(kiosk_killed_mid_post_arrive_once),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
