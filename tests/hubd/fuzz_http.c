/* fuzz_http.c — libFuzzer target over hubd's whole request path: each input is the raw bytes
 * of a request (request line, headers, body; several when kept alive) sent to a real hubd
 * stack running in this process (libmicrohttpd, the guard, routing, auth, the handlers, the
 * group committer and SQLite on a temporary database) over loopback. "@K", "@R" and "@A" in
 * an input stand for a valid kiosk, reception and admin token, so the fuzzer gets past the
 * token check. Seeds: tests/hubd/fuzz_http/. */
#include "proto/taxonomy.h"
#include "auth.h"
#include "commit.h"
#include "dircache.h"
#include "events.h"
#include "guard.h"
#include "proto/hubdir.h"
#include "http.h"
#include "store.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define REQ_MAX (80 * 1024)

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct hubd hub;
static int port = -1;
static char tokens[3][AUTH_TOKEN_LEN + 1]; /* kiosk, reception, admin */

static void die(const char *what)
{
    fprintf(stderr, "fuzz_http: %s\n", what);
    exit(1);
}

static void seed_hub(struct store *st)
{
    const char *dir = getenv("HUBD_FIXTURES");
    char path[512], err[256];
    static char json[1 << 16];
    snprintf(path, sizeof(path), "%s/hub.json", dir && *dir ? dir : "tests/hubd/fixtures");
    FILE *f = fopen(path, "rb");
    if (!f)
        die("cannot read tests/hubd/fixtures/hub.json (run from the repository)");
    size_t len = fread(json, 1, sizeof(json) - 1, f);
    fclose(f);
    struct hdir d;
    if (hdir_parse(json, len, &d, err, sizeof(err)) < 0 || st->ops->hub_seed(st, &d, 0) != 0)
        die("cannot seed the hub");
    hdir_release(&d);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    char dir[] = "/tmp/hubd-fuzz-XXXXXX", db[64], err[256];
    static const char *const roles[] = {"kiosk", "reception", "admin"};
    signal(SIGPIPE, SIG_IGN);
    struct taxonomy *tax = needs_load("assets/needs.json", err, sizeof(err));
    if (!tax)
        die(err);
    needs_install(tax); /* as hubd's main does: lives until exit */
    if (!mkdtemp(dir))
        die("mkdtemp");
    snprintf(db, sizeof(db), "%s/hub.db", dir);
    struct store *st = store_sqlite_open(db, err, sizeof(err));
    if (!st)
        die(err);
    seed_hub(st);
    for (int i = 0; i < 3; i++)
        if (auth_token_create(st, roles[i], "fuzz", NULL, NULL, tokens[i], err, sizeof(err)) < 0)
            die(err);
    hub.store = st;
    hub.auth = auth_new(st);
    hub.dir = dircache_new();
    hub.guard = guard_new();
    hub.committer = committer_start(st);
    hub.events = events_new(16); /* GET /events: streams end when the input's socket closes */
    if (!hub.events || !hub.auth || !hub.dir || !hub.guard || !hub.committer ||
        dircache_rebuild(hub.dir, st) < 0)
        die("cannot start");
    hub.base = st;
    hub.main_hub =
        (struct hub_ctx){.store = st, .inner = st, .committer = hub.committer, .dir = hub.dir};
    pthread_mutex_init(&hub.main_hub.dir_lock, NULL);
    pthread_mutex_init(&hub.hubs_lock, NULL);
    struct http_opts o = {.port = 0};
    http_bind_parse("127.0.0.1", &o.bind, &o.bind_len);
    if ((port = http_start(&hub, &o)) < 0)
        die("cannot listen");
    return 0;
}

/* The input with its token placeholders filled in; returns the length (at most cap). */
static size_t expand(const uint8_t *in, size_t n, char *out, size_t cap)
{
    size_t k = 0;
    for (size_t i = 0; i < n && k < cap; i++) {
        const char *tok = NULL;
        if (in[i] == '@' && i + 1 < n)
            tok = in[i + 1] == 'K'   ? tokens[0]
                  : in[i + 1] == 'R' ? tokens[1]
                  : in[i + 1] == 'A' ? tokens[2]
                                     : NULL;
        if (tok && k + AUTH_TOKEN_LEN <= cap) {
            memcpy(out + k, tok, AUTH_TOKEN_LEN);
            k += AUTH_TOKEN_LEN;
            i++;
        } else {
            out[k++] = (char)in[i];
        }
    }
    return k;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char req[REQ_MAX];
    char buf[8192];
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    struct timeval tv = {.tv_sec = 3};
    if (size > REQ_MAX / 2)
        return 0;
    size_t len = expand(data, size, req, sizeof(req));
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return 0;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
    if (connect(fd, (struct sockaddr *)&a, sizeof(a)) == 0) {
        for (size_t sent = 0; sent < len;) {
            ssize_t k = send(fd, req + sent, len - sent, MSG_NOSIGNAL);
            if (k <= 0)
                break;
            sent += (size_t)k;
        }
        /* the end of the request(s); read what hubd answers until it closes or falls silent
         * (a kept-alive connection stays open until the deadline: not worth waiting for) */
        shutdown(fd, SHUT_WR);
        int wait_ms = 20;
        struct pollfd p = {.fd = fd, .events = POLLIN};
        while (poll(&p, 1, wait_ms) > 0 && recv(fd, buf, sizeof(buf), 0) > 0)
            wait_ms = 5;
    }
    close(fd);
    return 0;
}
