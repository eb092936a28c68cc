/* slowhold.c — a benchmark's attacker: holds N slow connections to 127.0.0.1:PORT for SECS
 * seconds, each sending one header byte every two seconds and never finishing its request,
 * and opens a new one whenever the server drops one. Prints how many it opened in all.
 * Loopback only; N is capped at 1000. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define HOLD_MAX 1000

static const char HEAD[] = "GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: ";

static long parse(const char *s, long lo, long hi)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    return errno || end == s || *end || v < lo || v > hi ? -1 : v;
}

static int open_one(int port)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    struct timeval tv = {.tv_sec = 1};
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
    if (connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0 ||
        send(fd, HEAD, sizeof(HEAD) - 1, MSG_NOSIGNAL) < 0) {
        close(fd);
        return -1;
    }
    return fd;
}

int main(int argc, char **argv)
{
    long port = argc == 4 ? parse(argv[1], 1, 65535) : -1;
    long n = argc == 4 ? parse(argv[2], 1, HOLD_MAX) : -1;
    long secs = argc == 4 ? parse(argv[3], 1, 3600) : -1;
    static int fds[HOLD_MAX];
    long opened = 0;
    if (port < 0 || n < 0 || secs < 0) {
        fprintf(stderr, "usage: slowhold PORT N SECS (N <= %d)\n", HOLD_MAX);
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    time_t end = time(NULL) + secs;
    for (long i = 0; i < n; i++)
        opened += (fds[i] = open_one((int)port)) >= 0;
    while (time(NULL) < end) {
        for (long i = 0; i < n; i++) {
            char c;
            if (fds[i] >= 0 && recv(fds[i], &c, 1, MSG_DONTWAIT) == 0) {
                close(fds[i]);
                fds[i] = -1;
            }
            if (fds[i] < 0)
                opened += (fds[i] = open_one((int)port)) >= 0;
            else if (send(fds[i], "a", 1, MSG_NOSIGNAL | MSG_DONTWAIT) < 0) {
                close(fds[i]);
                fds[i] = -1;
            }
        }
        sleep(2);
    }
    for (long i = 0; i < n; i++)
        if (fds[i] >= 0)
            close(fds[i]);
    printf("slowhold: %ld connections opened to hold %ld for %ld s\n", opened, n, secs);
    return 0;
}
