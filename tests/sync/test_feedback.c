/* test_feedback.c — residents' answers on the way out, from the kiosk's store to a real hubd:
 * each reaches hubd exactly once, through a dead network (refused, reset, answers cut short
 * after hubd kept them) and a kiosk killed mid-send; anonymous on the wire; and the hub's
 * public figures for the welcome screen's line: only a figure hubd shows. */
#include <setjmp.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "community_fetch.h"
#include "community_line.h"
#include "faultproxy.h"
#include "feedback.h"
#include "store.h"
#include "sync.h"
#include "sync_env.h"

#define WAIT_MS 10000 /* longest wait for anything over loopback */

static struct sync *start_sync(struct env *e, int dir_every_ms)
{
    struct sync_config cfg = {.server = e->url,
                              .token = e->kiosk,
                              .store = e->store,
                              .backoff_base_ms = 50,
                              .backoff_cap_ms = 300,
                              .dir_every_ms = dir_every_ms,
                              .connect_timeout_ms = 1000,
                              .request_timeout_ms = 2000};
    struct sync *s = sync_start(&cfg);
    assert_non_null(s);
    return s;
}

/* hubd up, and the proxy in front of it in mode: the sync talks to the proxy. */
static void env_proxied(struct env *e, enum fault_mode mode)
{
    assert_int_equal(env_init(e), 0);
    assert_int_equal(env_start_hubd(e), 0);
    e->fp = faultproxy_start(0, e->srv.port);
    assert_non_null(e->fp);
    faultproxy_set_mode(e->fp, mode);
    snprintf(e->url, sizeof(e->url), "http://127.0.0.1:%d", faultproxy_port(e->fp));
}

/* Rows of hubd's own feedback table (read straight from its database) for id, or all of them
 * when id is NULL; -1 on error. */
static int hubd_rows(const struct env *e, const char *id)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    int n = -1;
    if (sqlite3_open_v2(e->srv.db, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(db,
                           id ? "SELECT count(*) FROM feedback WHERE lower(id) = lower(?1)"
                              : "SELECT count(*) FROM feedback",
                           -1, &st, NULL) == SQLITE_OK) {
        if (id)
            sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
        if (sqlite3_step(st) == SQLITE_ROW)
            n = sqlite3_column_int(st, 0);
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

/* The demand report's feedback counts, as the hub's manager sees them: yes, partly, no. */
static void report_feedback(struct env *e, int got[3])
{
    static const char *const keys[3] = {"yes", "partly", "no"};
    char path[200], from[16], to[16];
    time_t now = time(NULL), a = now - 2 * 86400, b = now + 86400;
    struct tm tm;
    struct resp r;
    strftime(from, sizeof(from), "%Y-%m-%d", gmtime_r(&a, &tm));
    strftime(to, sizeof(to), "%Y-%m-%d", gmtime_r(&b, &tm));
    snprintf(path, sizeof(path), "/api/v1/reports/demand?from=%s&to=%s", from, to);
    assert_int_equal(http(&e->srv, "GET", path, e->manager, NULL, NULL, 0, NULL, &r), 0);
    assert_int_equal(r.status, 200);
    cJSON *root = resp_json(&r);
    const cJSON *fb = cJSON_GetObjectItemCaseSensitive(root, "feedback");
    for (int k = 0; k < 3; k++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(fb, keys[k]);
        assert_true(cJSON_IsNumber(v));
        got[k] = v->valueint;
    }
    cJSON_Delete(root);
    resp_free(&r);
}

static void expect_report(struct env *e, int yes, int partly, int no)
{
    int got[3];
    report_feedback(e, got);
    assert_int_equal(got[0], yes);
    assert_int_equal(got[1], partly);
    assert_int_equal(got[2], no);
}

/* Waits until the kiosk's store has no answers left to send. */
static void wait_sent(struct env *e)
{
    int64_t end = mono_ms() + WAIT_MS;
    while (store_feedback_count(e->store) > 0 && mono_ms() < end)
        sleep_ms(10);
    assert_int_equal(store_feedback_count(e->store), 0);
}

/* Waits until the proxy has handled n requests in mode; returns how many it did. */
static long wait_mode(struct env *e, enum fault_mode mode, long n)
{
    struct faultproxy_stats st;
    int64_t end = mono_ms() + WAIT_MS;
    do {
        sleep_ms(5);
        faultproxy_get_stats(e->fp, &st);
    } while (st.by_mode[mode] < n && mono_ms() < end);
    return st.by_mode[mode];
}

/* What the kiosk keeps and sends: the DESIGN body, its own id, the time to the hour only,
 * nothing else; a wrong answer or language is refused and nothing is kept. */
static void answer_is_anonymous(void **state)
{
    struct env e;
    char id[STORE_ID_LEN], ids[2][STORE_ID_LEN], *bodies[2] = {NULL, NULL};
    assert_int_equal(env_init(&e), 0);
    int64_t now = (int64_t)time(NULL) * 1000 + 1234;
    assert_int_equal(store_feedback_add(e.store, "cy", "partly", now, id), 0);
    assert_int_equal(store_feedback_add(e.store, "cy", "maybe", now, NULL), -1);
    assert_int_equal(store_feedback_add(e.store, "Welsh!", "yes", now, NULL), -1);
    assert_int_equal(store_feedback_add(e.store, "en", NULL, now, NULL), -1);
    assert_int_equal(store_feedback_count(e.store), 1);
    assert_int_equal(store_feedback_pending(e.store, 2, ids, bodies), 1);
    assert_string_equal(ids[0], id);
    cJSON *o = cJSON_Parse(bodies[0]);
    assert_non_null(o);
    assert_int_equal(cJSON_GetArraySize(o), 4); /* id, created_at, lang, got_what_came_for */
    assert_string_equal(cJSON_GetObjectItem(o, "id")->valuestring, id);
    assert_string_equal(cJSON_GetObjectItem(o, "lang")->valuestring, "cy");
    assert_string_equal(cJSON_GetObjectItem(o, "got_what_came_for")->valuestring, "partly");
    const char *at = cJSON_GetObjectItem(o, "created_at")->valuestring;
    assert_int_equal(strlen(at), 20);
    assert_memory_equal(at + 14, "00:00Z", 6); /* minutes and seconds never leave the kiosk */
    cJSON_Delete(o);
    free(bodies[0]);
    env_release(&e);
}

/* Answers in both languages reach hubd, each once, and the manager's report counts them. */
static void answers_reach_hubd_once(void **state)
{
    struct env e;
    char id[3][STORE_ID_LEN];
    assert_int_equal(env_init(&e), 0);
    assert_int_equal(env_start_hubd(&e), 0);
    int64_t now = (int64_t)time(NULL) * 1000;
    assert_int_equal(store_feedback_add(e.store, "en", "yes", now, id[0]), 0);
    assert_int_equal(store_feedback_add(e.store, "cy", "no", now, id[1]), 0);
    assert_int_equal(store_feedback_add(e.store, "cy", "yes", now, id[2]), 0);
    struct sync *s = start_sync(&e, -1);
    wait_sent(&e);
    for (int i = 0; i < 3; i++)
        assert_int_equal(hubd_rows(&e, id[i]), 1);
    assert_int_equal(hubd_rows(&e, NULL), 3);
    expect_report(&e, 2, 0, 1);
    sync_stop(s);
    env_release(&e);
}

/* A dead network (refused, then reset), then answers cut short after hubd kept them: the
 * kiosk keeps every answer and retries; when the network is back each counts once. */
static void dead_network_then_once(void **state)
{
    struct env e;
    char id[2][STORE_ID_LEN];
    env_proxied(&e, FAULT_DOWN);
    int64_t now = (int64_t)time(NULL) * 1000;
    assert_int_equal(store_feedback_add(e.store, "en", "partly", now, id[0]), 0);
    assert_int_equal(store_feedback_add(e.store, "cy", "no", now, id[1]), 0);
    struct sync *s = start_sync(&e, -1);
    assert_true(wait_mode(&e, FAULT_DOWN, 3) >= 3);
    faultproxy_set_mode(e.fp, FAULT_RESET);
    assert_true(wait_mode(&e, FAULT_RESET, 3) >= 3);
    assert_int_equal(store_feedback_count(e.store), 2);
    assert_int_equal(hubd_rows(&e, NULL), 0);
    faultproxy_set_mode(e.fp, FAULT_TRUNCATED); /* hubd keeps the first; its answer is lost */
    assert_true(wait_mode(&e, FAULT_TRUNCATED, 3) >= 3);
    assert_int_equal(store_feedback_count(e.store), 2);
    assert_int_equal(hubd_rows(&e, id[0]), 1);
    faultproxy_set_mode(e.fp, FAULT_PASS);
    wait_sent(&e);
    assert_int_equal(hubd_rows(&e, id[0]), 1);
    assert_int_equal(hubd_rows(&e, id[1]), 1);
    assert_int_equal(hubd_rows(&e, NULL), 2);
    expect_report(&e, 0, 1, 1);
    sync_stop(s);
    faultproxy_stop(e.fp);
    env_release(&e);
}

/* The kiosk, in a child process: keeps an answer, starts its sync, and runs until killed. */
static void kiosk_child(struct env *e, const char *answer)
{
    char why[256];
    e->store = store_open(e->data, why, sizeof(why));
    if (!e->store ||
        store_feedback_add(e->store, "en", answer, (int64_t)time(NULL) * 1000, NULL) < 0)
        _exit(3);
    struct sync_config cfg = {.server = e->url,
                              .token = e->kiosk,
                              .store = e->store,
                              .backoff_base_ms = 50,
                              .backoff_cap_ms = 300,
                              .dir_every_ms = -1};
    if (!sync_start(&cfg))
        _exit(4);
    for (;;)
        pause();
}

/* Killed (SIGKILL) while its answer was on the way, once before hubd had it and once after
 * hubd kept it but before the kiosk heard: the next start sends it, and hubd counts it once. */
static void killed_kiosk_then_once(void **state)
{
    static const enum fault_mode modes[2] = {FAULT_DOWN, FAULT_TRUNCATED};
    static const char *const answers[2] = {"no", "yes"};
    struct env e;
    env_proxied(&e, FAULT_DOWN);
    store_free(e.store); /* the child opens the kiosk's store itself */
    e.store = NULL;
    for (int round = 0; round < 2; round++) {
        faultproxy_set_mode(e.fp, modes[round]);
        struct faultproxy_stats before;
        faultproxy_get_stats(e.fp, &before);
        fflush(NULL);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0)
            kiosk_child(&e, answers[round]);
        long seen = wait_mode(&e, modes[round], before.by_mode[modes[round]] + 2);
        kill(pid, SIGKILL);
        int status = 0;
        assert_int_equal(waitpid(pid, &status, 0), pid);
        assert_true(WIFSIGNALED(status));
        assert_true(seen >= before.by_mode[modes[round]] + 2);
        /* the next start: the answer is still in kiosk.db, and goes once */
        char why[256], ids[1][STORE_ID_LEN], *bodies[1] = {NULL};
        e.store = store_open(e.data, why, sizeof(why));
        assert_non_null(e.store);
        assert_int_equal(store_feedback_pending(e.store, 1, ids, bodies), 1);
        free(bodies[0]);
        assert_int_equal(hubd_rows(&e, ids[0]), round == 0 ? 0 : 1);
        faultproxy_set_mode(e.fp, FAULT_PASS);
        struct sync *s = start_sync(&e, -1);
        wait_sent(&e);
        sync_stop(s);
        assert_int_equal(hubd_rows(&e, ids[0]), 1);
        assert_int_equal(hubd_rows(&e, NULL), round + 1);
        store_free(e.store);
        e.store = NULL;
    }
    expect_report(&e, 1, 0, 1);
    faultproxy_stop(e.fp);
    env_release(&e);
}

/* hubd's public figures as the welcome screen reads them: only a figure hubd shows. */
static void community_only_real_figures(void **state)
{
    struct community_figs f;
    const char *two =
        "{\"min_count\":5,\"months\":[{\"month\":\"2026-09\",\"arrivals\":300,"
        "\"by_domain\":{\"housing\":100,\"health\":100,\"benefits\":100,\"none\":0}},"
        "{\"month\":\"2026-10\",\"arrivals\":260,\"by_domain\":{\"housing\":31,\"health\":null,"
        "\"benefits\":212,\"none\":null}}]}";
    assert_int_equal(community_parse(two, strlen(two), &f), 0);
    assert_string_equal(f.month, "2026-10"); /* the newest month */
    assert_int_equal(f.count[DOMAIN_HOUSING], 31);
    assert_int_equal(f.count[DOMAIN_HEALTH], -1); /* withheld */
    assert_int_equal(f.count[DOMAIN_BENEFITS], 212);
    assert_int_equal(community_pick(&f, 0), DOMAIN_BENEFITS); /* the largest first */
    assert_int_equal(community_pick(&f, 1), DOMAIN_HOUSING);
    assert_int_equal(community_pick(&f, 2), DOMAIN_BENEFITS); /* never the withheld one */
    const char *withheld = "{\"months\":[{\"month\":\"2026-10\",\"arrivals\":null,"
                           "\"by_domain\":{\"housing\":null,\"health\":null,\"benefits\":null}}]}";
    assert_int_equal(community_parse(withheld, strlen(withheld), &f), 0);
    assert_string_equal(f.month, "");
    assert_int_equal(community_pick(&f, 0), -1);
    const char *none = "{\"months\":[]}";
    assert_int_equal(community_parse(none, strlen(none), &f), 0);
    assert_int_equal(community_shown(&f), 0);
    f.month[0] = 'x';
    assert_int_equal(community_parse("{\"error\":\"x\"}", 13, &f), -1);
    assert_int_equal(community_parse("not json", 8, &f), -1);
    assert_int_equal(f.month[0], 'x'); /* untouched */
}

/* A real hubd with no whole month of arrivals withholds everything: no line; hubd down: no
 * line either. */
static void community_from_hubd(void **state)
{
    struct env e;
    struct community_figs f;
    assert_int_equal(env_init(&e), 0);
    assert_int_equal(env_start_hubd(&e), 0);
    assert_int_equal(env_queue(&e, 6, NULL), 0); /* this month's: never in the figures */
    struct sync *s = start_sync(&e, 200);
    assert_int_equal(env_wait_drained(&e, WAIT_MS), 0);
    bool took = false;
    int64_t end = mono_ms() + 1000;
    while (!(took = sync_take_community(s, &f)) && mono_ms() < end)
        sleep_ms(20);
    assert_false(took && community_shown(&f) > 0); /* nothing, or nothing shown */
    struct resp r;
    assert_int_equal(http(&e.srv, "GET", "/api/v1/community", NULL, NULL, NULL, 0, NULL, &r), 0);
    assert_int_equal(r.status, 200);
    struct community_figs direct;
    assert_int_equal(community_parse(r.body, r.len, &direct), 0);
    assert_int_equal(community_shown(&direct), 0);
    resp_free(&r);
    sync_stop(s);
    env_release(&e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(answer_is_anonymous),         cmocka_unit_test(answers_reach_hubd_once),
        cmocka_unit_test(dead_network_then_once),      cmocka_unit_test(killed_kiosk_then_once),
        cmocka_unit_test(community_only_real_figures), cmocka_unit_test(community_from_hubd),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
