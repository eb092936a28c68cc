/* fakehub.c — the sync tests' stand-in server (see fakehub.h): an accept loop with a poll
 * timeout so it can stop, a request read up to its Content-Length (capped), a route table. */
#include "fakehub.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#define ROUTES_MAX 16
#define REQ_MAX    (64 * 1024) /* bytes of one request read */

struct route {
    char method[8], path[128];
    int status;
    char type[64];
    char *body;
    size_t len;
    long count;
    char last[FAKEHUB_BODY_KEEP + 1];
    bool has_last;
};

struct fakehub {
    int fd, port;
    pthread_t th;
    pthread_mutex_t mu;
    bool stop;
    struct route routes[ROUTES_MAX];
    int n;
};

/* The route for method path, made (answering 404) when new; NULL when full. Under mu. */
static struct route *route_of(struct fakehub *fh, const char *method, const char *path)
{
    for (int i = 0; i < fh->n; i++)
        if (strcmp(fh->routes[i].method, method) == 0 && strcmp(fh->routes[i].path, path) == 0)
            return &fh->routes[i];
    if (fh->n >= ROUTES_MAX)
        return NULL;
    struct route *r = &fh->routes[fh->n++];
    memset(r, 0, sizeof(*r));
    snprintf(r->method, sizeof(r->method), "%s", method);
    snprintf(r->path, sizeof(r->path), "%s", path);
    r->status = 404;
    return r;
}

static bool send_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t k = send(fd, p, n, MSG_NOSIGNAL);
        if (k <= 0)
            return false;
        p += k;
        n -= (size_t)k;
    }
    return true;
}

/* Reads one request from fd into buf (at most cap - 1 bytes): its head and body. Returns the
 * bytes read, *head the end of the head, or -1. */
static long read_request(int fd, char *buf, size_t cap, size_t *head)
{
    size_t n = 0, want = 0;
    while (n + 1 < cap) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        if (poll(&p, 1, 3000) <= 0)
            return -1;
        ssize_t k = recv(fd, buf + n, cap - 1 - n, 0);
        if (k <= 0)
            return -1;
        n += (size_t)k;
        buf[n] = '\0';
        char *end = strstr(buf, "\r\n\r\n");
        if (!end)
            continue;
        *head = (size_t)(end - buf) + 4;
        if (!want) {
            const char *cl = strcasestr(buf, "\r\ncontent-length:");
            want = *head + (cl && cl < end ? strtoul(cl + 17, NULL, 10) : 0);
        }
        if (n >= want)
            return (long)n;
    }
    return -1;
}

static void serve(struct fakehub *fh, int cfd)
{
    static char buf[REQ_MAX];
    char method[8] = "", path[128] = "", headline[256];
    size_t head = 0;
    long n = read_request(cfd, buf, sizeof(buf), &head);
    if (n < 0 || sscanf(buf, "%7s %127s", method, path) != 2)
        return;
    char *q = strchr(path, '?');
    if (q)
        *q = '\0';
    pthread_mutex_lock(&fh->mu);
    struct route *r = route_of(fh, method, path);
    int status = 404;
    char type[64] = "application/json";
    char *body = NULL;
    size_t len = 0;
    if (r) {
        r->count++;
        size_t keep = (size_t)n - head < FAKEHUB_BODY_KEEP ? (size_t)n - head : FAKEHUB_BODY_KEEP;
        memcpy(r->last, buf + head, keep);
        r->last[keep] = '\0';
        r->has_last = true;
        status = r->status;
        if (r->type[0])
            snprintf(type, sizeof(type), "%s", r->type);
        if (r->body && (body = malloc(r->len + 1)) != NULL) {
            memcpy(body, r->body, r->len);
            len = r->len;
        }
    }
    pthread_mutex_unlock(&fh->mu);
    if (!body && status != 204 && status != 304) {
        static const char none[] = "{\"error\":\"not here\"}";
        body = malloc(sizeof(none));
        if (body)
            memcpy(body, none, sizeof(none) - 1);
        len = body ? sizeof(none) - 1 : 0;
    }
    int hl = snprintf(headline, sizeof(headline),
                      "HTTP/1.1 %d X\r\nContent-Type: %s\r\nContent-Length: %zu\r\n"
                      "Connection: close\r\n\r\n",
                      status, type, status == 204 || status == 304 ? (size_t)0 : len);
    if (send_all(cfd, headline, (size_t)hl) && status != 204 && status != 304 && body)
        send_all(cfd, body, len);
    free(body);
}

static void *accept_loop(void *arg)
{
    struct fakehub *fh = arg;
    for (;;) {
        pthread_mutex_lock(&fh->mu);
        bool stop = fh->stop;
        pthread_mutex_unlock(&fh->mu);
        if (stop)
            break;
        struct pollfd p = {.fd = fh->fd, .events = POLLIN};
        if (poll(&p, 1, 50) <= 0)
            continue;
        int cfd = accept(fh->fd, NULL, NULL);
        if (cfd < 0)
            continue;
        serve(fh, cfd);
        shutdown(cfd, SHUT_WR);
        close(cfd);
    }
    return NULL;
}

struct fakehub *fakehub_start(void)
{
    struct fakehub *fh = calloc(1, sizeof(*fh));
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t alen = sizeof(a);
    if (!fh)
        return NULL;
    fh->fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fh->fd < 0 || bind(fh->fd, (struct sockaddr *)&a, sizeof(a)) != 0 ||
        listen(fh->fd, 16) != 0 || getsockname(fh->fd, (struct sockaddr *)&a, &alen) != 0) {
        perror("fakehub: listen");
        goto out_close;
    }
    fh->port = ntohs(a.sin_port);
    pthread_mutex_init(&fh->mu, NULL);
    if (pthread_create(&fh->th, NULL, accept_loop, fh) != 0) {
        pthread_mutex_destroy(&fh->mu);
        goto out_close;
    }
    return fh;
out_close:
    if (fh->fd >= 0)
        close(fh->fd);
    free(fh);
    return NULL;
}

int fakehub_port(const struct fakehub *fh)
{
    return fh->port;
}

int fakehub_set(struct fakehub *fh, const char *method, const char *path, int status,
                const char *type, const char *body, size_t len)
{
    int rc = -1;
    pthread_mutex_lock(&fh->mu);
    struct route *r = route_of(fh, method, path);
    char *copy = body ? malloc(len + 1) : NULL;
    if (r && (!body || copy)) {
        if (copy)
            memcpy(copy, body, len);
        free(r->body);
        r->body = copy;
        r->len = body ? len : 0;
        r->status = status;
        snprintf(r->type, sizeof(r->type), "%s", type ? type : "");
        rc = 0;
    } else {
        free(copy);
    }
    pthread_mutex_unlock(&fh->mu);
    return rc;
}

long fakehub_count(struct fakehub *fh, const char *method, const char *path)
{
    pthread_mutex_lock(&fh->mu);
    struct route *r = route_of(fh, method, path);
    long n = r ? r->count : 0;
    pthread_mutex_unlock(&fh->mu);
    return n;
}

int fakehub_last_body(struct fakehub *fh, const char *method, const char *path, char *out,
                      size_t cap)
{
    int rc = -1;
    pthread_mutex_lock(&fh->mu);
    struct route *r = route_of(fh, method, path);
    if (r && r->has_last) {
        snprintf(out, cap, "%s", r->last);
        rc = 0;
    }
    pthread_mutex_unlock(&fh->mu);
    return rc;
}

void fakehub_stop(struct fakehub *fh)
{
    if (!fh)
        return;
    pthread_mutex_lock(&fh->mu);
    fh->stop = true;
    pthread_mutex_unlock(&fh->mu);
    pthread_join(fh->th, NULL);
    close(fh->fd);
    for (int i = 0; i < fh->n; i++)
        free(fh->routes[i].body);
    pthread_mutex_destroy(&fh->mu);
    free(fh);
}
