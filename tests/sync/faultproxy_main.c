/* faultproxy_main.c — the fault-switch proxy as a program, for shell tests of the kiosk: the
 * mode is read from a file before each new connection and request. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "faultproxy.h"

static volatile sig_atomic_t quit;

static void on_signal(int sig)
{
    quit = 1;
}

static void usage(FILE *f)
{
    fprintf(f,
            "usage: faultproxy --listen PORT --upstream PORT [--mode-file FILE]\n"
            "  A loopback HTTP proxy that misbehaves on purpose, for tests.\n"
            "  --listen PORT     port to listen on at 127.0.0.1 (0 = a free one)\n"
            "  --upstream PORT   port of the server at 127.0.0.1 (e.g. hubd)\n"
            "  --mode-file FILE  read before each new connection and request: one of\n"
            "                    pass 500 garbage truncated stall down reset\n"
            "                    (missing or empty file = pass)\n"
            "  Prints \"faultproxy listening on PORT\" once ready; exits on SIGTERM or SIGINT.\n");
}

/* PORT in [min, 65535] from s, or -1. */
static int parse_port(const char *s, int min)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < min || v > 65535)
        return -1;
    return (int)v;
}

int main(int argc, char **argv)
{
    int listen_port = -1, upstream = -1;
    const char *mode_file = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            return 0;
        }
        if (strcmp(a, "--listen") != 0 && strcmp(a, "--upstream") != 0 &&
            strcmp(a, "--mode-file") != 0) {
            fprintf(stderr, "faultproxy: unknown argument '%s' (try --help)\n", a);
            return 2;
        }
        if (i + 1 >= argc) {
            fprintf(stderr, "faultproxy: %s needs a value (try --help)\n", a);
            return 2;
        }
        const char *v = argv[++i];
        if (strcmp(a, "--mode-file") == 0) {
            mode_file = v;
            continue;
        }
        int port = parse_port(v, strcmp(a, "--listen") == 0 ? 0 : 1);
        if (port < 0) {
            fprintf(stderr, "faultproxy: %s: '%s' is not a port number\n", a, v);
            return 2;
        }
        if (strcmp(a, "--listen") == 0)
            listen_port = port;
        else
            upstream = port;
    }
    if (listen_port < 0 || upstream < 0) {
        fprintf(stderr, "faultproxy: --listen and --upstream are required (try --help)\n");
        return 2;
    }
    struct sigaction sa = {.sa_handler = on_signal};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    struct faultproxy *fp = faultproxy_start(listen_port, upstream);
    if (!fp)
        return 1; /* the reason is on stderr */
    if (mode_file && faultproxy_set_mode_file(fp, mode_file) < 0) {
        fprintf(stderr, "faultproxy: --mode-file: path too long\n");
        faultproxy_stop(fp);
        return 2;
    }
    printf("faultproxy listening on %d\n", faultproxy_port(fp));
    fflush(stdout);
    while (!quit) {
        struct timespec ts = {.tv_sec = 0, .tv_nsec = 50 * 1000000L};
        nanosleep(&ts, NULL);
    }
    faultproxy_stop(fp);
    return 0;
}
