/* test_drain.c — exactly once under SIGKILLs: hubd killed at random moments of a 1,000
 * check-in drain, and the kiosk's own sync killed mid-post and restarted from its store. */
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
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "store.h"
#include "sync.h"
#include "sync_env.h"

#define HUBD_DRAIN  1000 /* check-ins drained while hubd is killed */
#define HUBD_KILLS  20
#define KIOSK_DRAIN 400 /* check-ins drained while the kiosk's sync is killed */
#define KIOSK_KILLS 15
#define WAIT_MS     30000 /* generous: progress that never comes is a failure, not slowness */

/* Uniform-ish in [0, n), from getrandom: every run kills at other moments. */
static unsigned rnd(unsigned n)
{
    uint32_t r;
    assert_int_equal(getrandom(&r, sizeof(r), 0), (ssize_t)sizeof(r));
    return n ? r % n : 0;
}

static int acked(struct env *e)
{
    int p = store_count_pending(e->store);
    assert_true(p >= 0);
    return e->n - p;
}

/* How many check-ins hubd's board shows (up to 1,000, all of HUBD_DRAIN). */
static int board_count(struct env *e)
{
    int n = env_board_count(e);
    assert_true(n >= 0);
    return n;
}

/* hubd up (the demo hub), and n check-ins queued in the kiosk's store (sync_env.h). */
static void drain_setup(struct env *e, int n)
{
    assert_int_equal(env_init(e), 0);
    assert_int_equal(env_queue(e, n, NULL), 0);
    assert_int_equal(env_start_hubd(e), 0);
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
    drain_setup(&e, HUBD_DRAIN);
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
        assert_int_equal(env_start_hubd(&e), 0);
        /* Everything the kiosk had acknowledged when hubd died survived the kill. */
        int on_board = board_count(&e);
        if (on_board < HUBD_DRAIN - pending || on_board > HUBD_DRAIN)
            fail_msg("kill %d: %d on the board, kiosk had %d acknowledged", k + 1, on_board,
                     HUBD_DRAIN - pending);
    }
    wait_acked(&e, HUBD_DRAIN, 0);
    sync_stop(s);
    assert_int_equal(env_check_once(&e, true), 0);
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
    drain_setup(&e, KIOSK_DRAIN);
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
    assert_int_equal(env_check_once(&e, true), 0);
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
