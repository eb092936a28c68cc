/* test_events.c — the live board pushed (GET /api/v1/events) on a real hubd: roles, every
 * kind of change arriving within a second, nothing private on the stream, resuming with
 * Last-Event-ID, the heartbeat keeping a quiet stream open past the request deadline, the
 * cap on streams, and a client that stops reading dropped without holding up check-ins; on
 * PostgreSQL, two hubd on one database and hubs in one database kept apart. */
#include "client.h"
#include "sse_client.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define EVENTS      "/api/v1/events"
#define WITHIN_MS   1000 /* the contract: a change is on the stream within a second */
#define CAP_STREAMS 2    /* the capped server's --max-streams */

enum { K, R, W, M, UNTIED, N_TOK };

static struct server srv, capped;
static char tok[N_TOK][65], cap_tok[65];

static long call(const char *method, const char *path, const char *token, const char *body,
                 struct resp *r)
{
    char full[300];
    snprintf(full, sizeof(full), "/api/v1%s", path);
    assert_int_equal(http(&srv, method, full, token, body ? "application/json" : NULL, body,
                          body ? strlen(body) : 0, NULL, r),
                     0);
    return r->status;
}

static void call_ok(const char *method, const char *path, const char *token, const char *body)
{
    struct resp r;
    long st = call(method, path, token, body, &r);
    if (st < 200 || st > 299)
        fail_msg("%s %s: %ld %s", method, path, st, r.body);
    resp_free(&r);
}

/* Posts one new check-in (for worker, NULL: reception) and fills id. */
static void arrive(char *id, const char *worker, const char *name, const char *text)
{
    uuid4(id);
    char *body = checkin_body(id, worker, "housing", false, name, text, true);
    call_ok("POST", "/checkins", tok[K], body);
    free(body);
}

static void open_stream(struct sse *s, const char *token, const char *last_id)
{
    assert_int_equal(sse_open(s, srv.port, EVENTS, token, last_id), 0);
    if (s->status != 200)
        fail_msg("GET /events: %d", s->status);
    assert_non_null(strstr(s->headers, "text/event-stream"));
}

/* Waits for kind naming needle; fails unless it comes within WITHIN_MS of since. */
static void expect_within(struct sse *s, const char *kind, const char *needle, long long since,
                          struct sse_msg *m)
{
    int rc = sse_wait(s, kind, needle, m, 3000);
    long long took = steady_ms() - since;
    if (rc != 1)
        fail_msg("no '%s' event naming %s (rc %d)", kind, needle, rc);
    if (took > WITHIN_MS)
        fail_msg("'%s' came after %lld ms", kind, took);
}

static int group_setup(void **state)
{
    static const char *const roles[] = {"kiosk", "reception", NULL, "manager"};
    if (server_init(&srv) < 0 || server_init(&capped) < 0)
        return -1;
    if (make_worker_token(&srv, fixture("hub.json"), "sian", "w-sian", tok[W]) < 0 ||
        make_token(&srv, "worker", "untied", tok[UNTIED]) < 0)
        return -1;
    for (int i = 0; i < 4; i++)
        if (roles[i] && make_token(&srv, roles[i], roles[i], tok[i]) < 0)
            return -1;
    if (make_worker_token(&capped, fixture("hub.json"), "sian", "w-sian", cap_tok) < 0)
        return -1;
    const char *args[] = {"--seed", fixture("hub.json"), NULL};
    const char *cargs[] = {"--seed", fixture("hub.json"), "--max-streams", "2", NULL};
    return server_start(&srv, args) < 0 || server_start(&capped, cargs) < 0 ? -1 : 0;
}

static int group_teardown(void **state)
{
    int a = server_stop(&srv), b = server_stop(&capped);
    server_cleanup(&srv);
    server_cleanup(&capped);
    return a == 0 && b == 0 ? 0 : -1;
}

/* Kiosks, reception, workers and managers may listen; no token and a worker token tied to
 * no worker may not; only GET (and HEAD). */
static void test_roles(void **state)
{
    struct sse s;
    assert_int_equal(http_status(&srv, "GET", EVENTS, NULL, NULL, NULL), 401);
    assert_int_equal(http_status(&srv, "GET", EVENTS, "not-a-token", NULL, NULL), 401);
    assert_int_equal(http_status(&srv, "GET", EVENTS, tok[UNTIED], NULL, NULL), 403);
    assert_int_equal(http_status(&srv, "POST", EVENTS, tok[R], "application/json", "{}"), 405);
    assert_int_equal(http_status(&srv, "HEAD", EVENTS, tok[R], NULL, NULL), 200);
    const int who[] = {K, R, W, M};
    for (size_t i = 0; i < 4; i++) {
        struct sse_msg m;
        open_stream(&s, tok[who[i]], NULL);
        /* the stream opens at once with a comment, before any change */
        assert_int_equal(sse_next(&s, &m, 2000), 1);
        assert_true(m.comment);
        sse_close(&s);
    }
    struct resp r;
    assert_int_equal(http(&srv, "GET", EVENTS, tok[UNTIED], NULL, NULL, 0, NULL, &r), 0);
    cJSON *err = resp_json(&r);
    assert_non_null(cJSON_GetObjectItem(err, "error")); /* errors are JSON here too */
    cJSON_Delete(err);
    resp_free(&r);
}

/* Every kind of change, each within a second, to reception, the worker and the manager;
 * the residents' names and words never travel on the stream. */
static void test_each_kind(void **state)
{
    struct sse rec, wrk, man;
    struct sse_msg m;
    char id[40], id2[40], path[120];
    open_stream(&rec, tok[R], NULL);
    open_stream(&wrk, tok[W], NULL);
    open_stream(&man, tok[M], NULL);

    long long t = steady_ms();
    arrive(id, "w-sian", "Zebedee Quux", "my landlord wants me out");
    expect_within(&rec, "checkin", id, t, &m);
    assert_non_null(strstr(m.data, "\"worker_id\":\"w-sian\""));
    assert_non_null(strstr(m.data, "\"ticket\":\""));
    assert_null(strstr(m.data, "Zebedee"));
    assert_null(strstr(m.data, "landlord"));
    assert_true(m.id[0] != '\0');
    expect_within(&wrk, "checkin", id, t, &m);
    expect_within(&man, "checkin", id, t, &m);
    assert_null(strstr(rec.body, "Zebedee"));

    /* each change, made as staff would, with what its message must say */
    const struct {
        const char *method, *what, *token, *body, *kind, *says;
        struct sse *to, *also;
    } steps[] = {
        {"POST", "reassign", tok[R], "{\"worker_id\":\"w-amir\",\"reason\":\"speaks Urdu\"}",
         "reassign", "\"worker_id\":\"w-amir\"", &rec, &wrk},
        {"POST", "left", tok[R], NULL, "left", "\"undo\":false", &rec, NULL},
        {"DELETE", "left", tok[R], NULL, "left", "\"undo\":true", &rec, NULL},
        {"POST", "handover", tok[R], NULL, "handover", "\"by\":\"introduction\"", &rec, NULL},
        {"POST", "outcome", tok[R], "{\"result\":\"helped\",\"follow_up\":true}", "outcome",
         "\"result\":\"helped\"", &rec, &man},
    };
    for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
        snprintf(path, sizeof(path), "/checkins/%s/%s", id, steps[i].what);
        t = steady_ms();
        call_ok(steps[i].method, path, steps[i].token, steps[i].body);
        expect_within(steps[i].to, steps[i].kind, id, t, &m);
        if (!strstr(m.data, steps[i].says))
            fail_msg("%s %s: %s lacks %s", steps[i].method, path, m.data, steps[i].says);
        assert_null(strstr(m.data, "Urdu")); /* staff notes stay off the stream too */
        if (steps[i].also)
            expect_within(steps[i].also, steps[i].kind, id, t, &m);
    }

    arrive(id2, "w-sian", NULL, NULL);
    t = steady_ms();
    call_ok("POST", "/workers/w-sian/next", tok[W], NULL);
    expect_within(&wrk, "handover", id2, t, &m);
    assert_non_null(strstr(m.data, "\"by\":\"call_next\""));

    t = steady_ms();
    call_ok("PATCH", "/workers/w-sian", tok[W], "{\"status\":\"busy\"}");
    expect_within(&rec, "worker", "w-sian", t, &m);
    assert_non_null(strstr(m.data, "\"status\":\"busy\""));
    call_ok("PATCH", "/workers/w-sian", tok[W], "{\"status\":\"available\"}");

    /* a replay of a stored check-in changes nothing: no second event */
    char *body = checkin_body(id2, "w-sian", "housing", false, NULL, NULL, true);
    call_ok("POST", "/checkins", tok[K], body);
    free(body);
    assert_int_equal(sse_wait(&rec, "checkin", id2, &m, 800), 0); /* the first went by */
    sse_close(&rec);
    sse_close(&wrk);
    sse_close(&man);
}

/* The kind of every message on s's stream so far is worker, resync or a comment; fails
 * naming the first other one. */
static void only_worker_kinds(struct sse *s)
{
    struct sse_msg m;
    while (sse_next(s, &m, 300) == 1) {
        if (!m.comment && strcmp(m.event, "waiting") == 0 && strcmp(m.data, "{}") != 0)
            fail_msg("a kiosk's waiting mark carried something: %s", m.data);
        if (!m.comment && strcmp(m.event, "worker") != 0 && strcmp(m.event, "resync") != 0 &&
            strcmp(m.event, "waiting") != 0)
            fail_msg("a kiosk's stream carried '%s': %s", m.event, m.data);
    }
}

/* A kiosk is a public screen: its stream carries a worker's status and desk changes within a
 * second, and never a check-in, handover, reassignment, departure or outcome, live or
 * replayed through Last-Event-ID, while reception's stream beside it has them all. */
static void test_kiosk_hears_workers_only(void **state)
{
    struct sse kio, rec;
    struct sse_msg m;
    char id[40], path[120], first[64];
    open_stream(&kio, tok[K], NULL);
    open_stream(&rec, tok[R], NULL);
    assert_int_equal(sse_next(&kio, &m, 2000), 1); /* the opening comment */
    assert_true(m.comment);

    long long t = steady_ms();
    arrive(id, "w-sian", "Zebedee Quux", "my landlord wants me out");
    expect_within(&rec, "checkin", id, t, &m);
    snprintf(first, sizeof(first), "%s", m.id); /* to resume from, just before the changes */
    /* the kiosk hears that a line moved (its matcher weighs the directory's waiting), bare */
    expect_within(&kio, "waiting", NULL, t, &m);
    assert_string_equal(m.data, "{}");
    assert_string_equal(m.id, first);
    static const struct {
        const char *method, *what, *body, *kind;
    } steps[] = {
        {"POST", "reassign", "{\"worker_id\":\"w-amir\",\"reason\":\"speaks Urdu\"}", "reassign"},
        {"POST", "left", NULL, "left"},
        {"DELETE", "left", NULL, "left"},
        {"POST", "handover", NULL, "handover"},
        {"POST", "outcome", "{\"result\":\"helped\",\"follow_up\":false}", "outcome"},
    };
    for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
        snprintf(path, sizeof(path), "/checkins/%s/%s", id, steps[i].what);
        t = steady_ms();
        call_ok(steps[i].method, path, tok[R], steps[i].body);
        expect_within(&rec, steps[i].kind, id, t, &m); /* it was published */
    }
    t = steady_ms();
    call_ok("PATCH", "/workers/w-sian", tok[W], "{\"status\":\"away\"}");
    expect_within(&kio, "worker", "w-sian", t, &m);
    assert_non_null(strstr(m.data, "\"status\":\"away\""));
    call_ok("PATCH", "/workers/w-sian", tok[W], "{\"status\":\"available\"}");
    expect_within(&kio, "worker", "\"available\"", t, &m);
    only_worker_kinds(&kio);
    /* nothing of the resident anywhere in what the kiosk received */
    assert_null(strstr(kio.body, "event: checkin"));
    assert_null(strstr(kio.body, id));
    assert_null(strstr(kio.body, "ticket"));
    assert_null(strstr(kio.body, "Zebedee"));
    sse_close(&kio);

    /* resuming from before it all replays the marks and the worker changes only */
    open_stream(&kio, tok[K], first);
    assert_int_equal(sse_wait(&kio, "waiting", NULL, &m, 2000), 1); /* the reassignment */
    assert_string_equal(m.data, "{}");
    assert_int_equal(sse_wait(&kio, "worker", "\"away\"", &m, 2000), 1);
    only_worker_kinds(&kio);
    assert_null(strstr(kio.body, id));
    sse_close(&kio);
    sse_close(&rec);
}

/* A client that comes back with Last-Event-ID gets what it missed, in order; one whose id
 * is not known (another server, or long ago) is told to reload instead. */
static void test_resume(void **state)
{
    struct sse s;
    struct sse_msg m;
    char a[40], b[40], c[40], last[64];
    open_stream(&s, tok[R], NULL);
    arrive(a, NULL, NULL, NULL);
    assert_int_equal(sse_wait(&s, "checkin", a, &m, 3000), 1);
    snprintf(last, sizeof(last), "%s", m.id);
    sse_close(&s);
    arrive(b, NULL, NULL, NULL);
    arrive(c, NULL, NULL, NULL);
    open_stream(&s, tok[R], last);
    assert_int_equal(sse_wait(&s, "checkin", NULL, &m, 2000), 1);
    assert_non_null(strstr(m.data, b));
    assert_int_equal(sse_wait(&s, "checkin", NULL, &m, 2000), 1);
    assert_non_null(strstr(m.data, c));
    sse_close(&s);

    const char *unknown[] = {"12-3", "garbage", "99999999999999-1"};
    for (size_t i = 0; i < 3; i++) {
        open_stream(&s, tok[R], unknown[i]);
        assert_int_equal(sse_wait(&s, "resync", NULL, &m, 2000), 1);
        sse_close(&s);
    }
}

/* A quiet stream gets a comment at least every 5 s and outlives the 10 s request deadline
 * and idle timeout; a change after that still arrives at once. */
static void test_heartbeat(void **state)
{
    struct sse s;
    struct sse_msg m;
    char id[40];
    int beats = 0;
    open_stream(&s, tok[R], NULL);
    assert_int_equal(sse_next(&s, &m, 2000), 1); /* the opening comment */
    long long start = steady_ms(), past = start + 11000, gap = 0, last = start;
    /* two heartbeats, and past the 10 s deadline and idle timeout, still open */
    while (beats < 2 || steady_ms() < past) {
        int rc = sse_next(&s, &m, 500);
        assert_true(rc >= 0); /* never closed */
        if (rc == 1 && m.comment) {
            beats++;
            gap = steady_ms() - last > gap ? steady_ms() - last : gap;
            last = steady_ms();
        }
        if (steady_ms() - start > 16000)
            fail_msg("%d heartbeats in 16 s", beats);
    }
    print_message("heartbeat: %d in %lld ms, at most %lld ms apart\n", beats, steady_ms() - start,
                  gap);
    assert_true(gap <= 7000);
    long long t = steady_ms();
    arrive(id, NULL, NULL, NULL);
    expect_within(&s, "checkin", id, t, &m);
    sse_close(&s);
}

/* One stream more than --max-streams is 503 with a JSON error and Retry-After; a slot is
 * free again once a client goes. */
static void test_cap(void **state)
{
    struct sse s[CAP_STREAMS], extra;
    struct resp r;
    for (int i = 0; i < CAP_STREAMS; i++) {
        assert_int_equal(sse_open(&s[i], capped.port, EVENTS, cap_tok, NULL), 0);
        assert_int_equal(s[i].status, 200);
    }
    assert_int_equal(http(&capped, "GET", EVENTS, cap_tok, NULL, NULL, 0, NULL, &r), 0);
    assert_int_equal(r.status, 503);
    char v[32];
    assert_non_null(resp_header(&r, "Retry-After", v, sizeof(v)));
    cJSON *err = resp_json(&r);
    assert_true(cJSON_IsString(cJSON_GetObjectItem(err, "error")));
    cJSON_Delete(err);
    resp_free(&r);
    /* other requests are not held up by full streams */
    assert_int_equal(http_status(&capped, "GET", "/api/v1/me", cap_tok, NULL, NULL), 200);
    sse_close(&s[0]);
    /* a gone client's slot is free within a couple of seconds, though its stream was idle */
    long long since = steady_ms(), until = since + 8000;
    bool in = false;
    while (!in && steady_ms() < until) {
        assert_int_equal(sse_open(&extra, capped.port, EVENTS, cap_tok, NULL), 0);
        in = extra.status == 200;
        if (!in) {
            sse_close(&extra);
            usleep(250 * 1000);
        }
    }
    assert_true(in);
    print_message("stream cap: a slot was free again %lld ms after its client went\n",
                  steady_ms() - since);
    sse_close(&extra);
    for (int i = 1; i < CAP_STREAMS; i++)
        sse_close(&s[i]);
}

/* A batch of n new check-ins for reception as one JSON array, ids in ids[]. */
static char *batch_body(char ids[][40], size_t n)
{
    size_t cap = n * 700 + 8, used = 1;
    char *out = malloc(cap);
    out[0] = '[';
    for (size_t i = 0; i < n; i++) {
        uuid4(ids[i]);
        char *one = checkin_body(ids[i], NULL, "benefits", false, NULL, NULL, false);
        used += (size_t)snprintf(out + used, cap - used, "%s%s", i ? "," : "", one);
        free(one);
    }
    snprintf(out + used, cap - used, "]");
    return out;
}

/* A client that stops reading: check-ins go on at full speed, a healthy stream gets every
 * one of them, and the stalled one is cut off well before it has them all. */
static void test_stalled_client(void **state)
{
    enum { BATCHES = 30, PER = 100 };
    static char ids[PER][40];
    struct sse ok;
    struct sse_msg m;
    int rcv = 4096;
    int stalled = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)srv.port)};
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    assert_true(stalled >= 0);
    setsockopt(stalled, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof(rcv)); /* before connect */
    assert_int_equal(connect(stalled, (struct sockaddr *)&a, sizeof(a)), 0);
    char req[300];
    int n = snprintf(
        req, sizeof(req),
        "GET " EVENTS " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer %s\r\n\r\n", tok[R]);
    assert_int_equal(send(stalled, req, (size_t)n, 0), n);
    open_stream(&ok, tok[R], NULL);

    long long worst = 0;
    int got = 0;
    for (int b = 0; b < BATCHES; b++) {
        char *body = batch_body(ids, PER);
        long long t = steady_ms();
        call_ok("POST", "/checkins", tok[K], body);
        long long took = steady_ms() - t;
        worst = took > worst ? took : worst;
        free(body);
        /* the healthy stream has the whole batch */
        for (int i = 0; i < PER; i++) {
            if (sse_wait(&ok, "checkin", ids[i], &m, 3000) != 1)
                fail_msg("batch %d: the healthy stream missed check-in %d", b, i);
            got++;
        }
    }
    print_message("stalled client: %d batches of %d check-ins, slowest POST %lld ms\n", BATCHES,
                  PER, worst);
    assert_int_equal(got, BATCHES * PER);
    assert_true(worst < 3000);

    /* the stalled connection was shut down: reading it now ends soon, short of everything */
    size_t total = 0;
    int checkins = 0;
    char buf[65536];
    struct timeval tv = {.tv_sec = 3};
    setsockopt(stalled, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    long long until = steady_ms() + 10000;
    bool ended = false;
    size_t carry = 0;
    while (steady_ms() < until) {
        ssize_t k = recv(stalled, buf + carry, sizeof(buf) - 1 - carry, 0);
        if (k <= 0) {
            ended = true;
            break;
        }
        total += (size_t)k;
        buf[carry + (size_t)k] = '\0';
        for (char *p = buf; (p = strstr(p, "event: checkin")); p++)
            checkins++;
        carry = 0;
    }
    print_message("stalled client: %zu bytes, %d check-in events before it was cut off\n", total,
                  checkins);
    assert_true(ended);
    assert_true(checkins < BATCHES * PER / 2);
    close(stalled);

    /* and the board goes on for everyone else */
    char id[40];
    long long t = steady_ms();
    arrive(id, NULL, NULL, NULL);
    expect_within(&ok, "checkin", id, t, &m);
    sse_close(&ok);
}

/* On PostgreSQL, two hubd on one database: a change made through either is pushed by the
 * other within a second (LISTEN/NOTIFY), and each change arrives once. */
static void test_two_servers(void **state)
{
    struct server two;
    struct sse there, here;
    struct sse_msg m;
    char id[40], path[120];
    if (!server_pg())
        skip();
    assert_int_equal(server_init(&two), 0);
    snprintf(two.db, sizeof(two.db), "%s", srv.db); /* the first one's database */
    const char *args[] = {NULL};
    assert_int_equal(server_start(&two, args), 0);
    assert_int_equal(sse_open(&there, two.port, EVENTS, tok[R], NULL), 0);
    assert_int_equal(there.status, 200);
    open_stream(&here, tok[W], NULL);

    long long t = steady_ms();
    arrive(id, "w-sian", NULL, NULL); /* through the first hubd */
    expect_within(&there, "checkin", id, t, &m);
    print_message("two hubd: pushed by the other %lld ms after the check-in was sent\n",
                  steady_ms() - t);
    expect_within(&here, "checkin", id, t, &m);

    t = steady_ms();
    snprintf(path, sizeof(path), "/api/v1/checkins/%s/reassign", id);
    assert_int_equal(http_status(&two, "POST", path, tok[R], "application/json",
                                 "{\"worker_id\":\"w-amir\",\"reason\":\"x\"}"),
                     200);
    expect_within(&here, "reassign", id, t, &m);                  /* made through the second */
    assert_int_equal(sse_wait(&here, "checkin", id, &m, 500), 0); /* nothing twice */
    assert_int_equal(sse_wait(&there, "checkin", id, &m, 100), 0);
    sse_close(&there);
    sse_close(&here);
    assert_int_equal(server_stop(&two), 0);
    server_cleanup(&two);
}

/* A token of one hub into out (65 bytes), on s's database seeded with both test hubs. */
static void hub_token(const struct server *s, const char *role, const char *name, const char *hub,
                      char *out)
{
    char seed1[300], seed2[300], err[512];
    snprintf(seed1, sizeof(seed1), "%s", fixture("hub.json"));
    snprintf(seed2, sizeof(seed2), "%s", fixture("hub2.json"));
    const char *args[] = {"--db",  s->db, "--seed", seed1,   "--seed", seed2,
                          "token", role,  name,     "--hub", hub,      NULL};
    char text[256];
    if (run_hubd(args, text, sizeof(text), err, sizeof(err)) != 0)
        fail_msg("token %s --hub %s: %s", role, hub, err);
    snprintf(out, 65, "%.64s", text);
}

/* Hubs in one database (PostgreSQL): a stream hears its own hub only, whichever hub a change
 * was made in; a county manager's token names the hub it listens to. */
static void test_hub_scoping(void **state)
{
    struct server multi;
    struct sse mine, theirs, county;
    struct sse_msg m;
    char kiosk_a[65], kiosk_b[65], rec_a[65], rec_b[65], all[65], a[40], b[40];
    if (!server_pg())
        skip();
    assert_int_equal(server_init(&multi), 0);
    hub_token(&multi, "kiosk", "kiosk-a", "testhub", kiosk_a);
    hub_token(&multi, "kiosk", "kiosk-b", "otherhub", kiosk_b);
    hub_token(&multi, "reception", "desk-a", "testhub", rec_a);
    hub_token(&multi, "reception", "desk-b", "otherhub", rec_b);
    hub_token(&multi, "manager", "county", "all", all);
    const char *args[] = {NULL};
    assert_int_equal(server_start(&multi, args), 0);
    assert_int_equal(sse_open(&mine, multi.port, EVENTS, rec_a, NULL), 0);
    assert_int_equal(sse_open(&theirs, multi.port, EVENTS, rec_b, NULL), 0);
    assert_int_equal(sse_open(&county, multi.port, EVENTS "?hub=otherhub", all, NULL), 0);
    assert_int_equal(mine.status, 200);
    assert_int_equal(theirs.status, 200);
    assert_int_equal(county.status, 200);
    assert_int_equal(http_status(&multi, "GET", EVENTS, all, NULL, NULL), 400); /* which hub? */

    uuid4(a);
    char *body = checkin_body(a, "w-sian", "housing", false, NULL, NULL, false);
    long long t = steady_ms();
    assert_int_equal(
        http_status(&multi, "POST", "/api/v1/checkins", kiosk_a, "application/json", body), 201);
    free(body);
    expect_within(&mine, "checkin", a, t, &m);
    uuid4(b);
    body = checkin_body(b, "w-y", "health", false, NULL, NULL, false);
    t = steady_ms();
    assert_int_equal(
        http_status(&multi, "POST", "/api/v1/checkins", kiosk_b, "application/json", body), 201);
    free(body);
    expect_within(&theirs, "checkin", b, t, &m);
    expect_within(&county, "checkin", b, t, &m);
    /* and nothing of the other hub's, on any of them */
    assert_int_equal(sse_wait(&mine, "checkin", b, &m, 600), 0);
    assert_int_equal(sse_wait(&theirs, "checkin", a, &m, 100), 0);
    assert_int_equal(sse_wait(&county, "checkin", a, &m, 100), 0);
    assert_null(strstr(mine.body, b));
    assert_null(strstr(theirs.body, a));
    assert_null(strstr(county.body, a));
    sse_close(&mine);
    sse_close(&theirs);
    sse_close(&county);
    assert_int_equal(server_stop(&multi), 0);
    server_cleanup(&multi);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roles),
        cmocka_unit_test(test_each_kind),
        cmocka_unit_test(test_kiosk_hears_workers_only),
        cmocka_unit_test(test_resume),
        cmocka_unit_test(test_heartbeat),
        cmocka_unit_test(test_cap),
        cmocka_unit_test(test_stalled_client),
        cmocka_unit_test(test_two_servers),
        cmocka_unit_test(test_hub_scoping),
    };
    return cmocka_run_group_tests_name("hubd live board", tests, group_setup, group_teardown);
}
