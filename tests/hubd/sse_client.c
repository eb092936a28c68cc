/* sse_client.c — the tests' Server-Sent Events client (see sse_client.h). */
#include "sse_client.h"

#include "client.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define RAW_MAX (SSE_BODY_MAX + 65536)

static void consume(struct sse *s, size_t n)
{
    memmove(s->raw, s->raw + n, s->raw_len - n);
    s->raw_len -= n;
}

static void body_add(struct sse *s, const char *p, size_t n)
{
    if (s->len + n > SSE_BODY_MAX)
        n = SSE_BODY_MAX - s->len;
    memcpy(s->body + s->len, p, n);
    s->len += n;
    s->body[s->len] = '\0';
}

/* Moves what raw holds into body, through the chunked coding when the answer uses it. */
static void decode(struct sse *s)
{
    bool chunked = strstr(s->headers, "chunked") != NULL;
    if (!chunked) {
        body_add(s, s->raw, s->raw_len);
        s->raw_len = 0;
        return;
    }
    for (;;) {
        if (s->chunk_left < 0) {
            char *nl = memmem(s->raw, s->raw_len, "\r\n", 2);
            if (!nl)
                return;
            long size = strtol(s->raw, NULL, 16);
            consume(s, (size_t)(nl - s->raw) + 2);
            if (size == 0) {
                s->closed = true;
                return;
            }
            s->chunk_left = size;
        } else if (s->chunk_left > 0) {
            size_t k = s->raw_len < (size_t)s->chunk_left ? s->raw_len : (size_t)s->chunk_left;
            if (k == 0)
                return;
            body_add(s, s->raw, k);
            consume(s, k);
            s->chunk_left -= (long)k;
        } else {
            if (s->raw_len < 2)
                return;
            consume(s, 2);
            s->chunk_left = -1;
        }
    }
}

/* Reads what comes within timeout_ms into raw. 1 read, 0 timeout, -1 the connection ended. */
static int fill(struct sse *s, int timeout_ms)
{
    struct pollfd p = {.fd = s->fd, .events = POLLIN};
    if (poll(&p, 1, timeout_ms < 0 ? 0 : timeout_ms) <= 0)
        return 0;
    if (s->raw_len >= RAW_MAX)
        return -1;
    ssize_t n = recv(s->fd, s->raw + s->raw_len, RAW_MAX - s->raw_len, 0);
    if (n < 0 && (errno == EAGAIN || errno == EINTR))
        return 0;
    if (n <= 0)
        return -1;
    s->raw_len += (size_t)n;
    return 1;
}

int sse_open(struct sse *s, int port, const char *path, const char *token, const char *last_id)
{
    char req[1024];
    memset(s, 0, sizeof(*s));
    s->chunk_left = -1;
    s->fd = raw_connect(port, NULL, 5000);
    s->raw = malloc(RAW_MAX);
    s->body = malloc(SSE_BODY_MAX + 1);
    if (s->fd < 0 || !s->raw || !s->body)
        goto out_fail;
    s->body[0] = '\0';
    int n = snprintf(req, sizeof(req),
                     "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
                     "%s%s%s%s%s%s\r\n",
                     path, token ? "Authorization: Bearer " : "", token ? token : "",
                     token ? "\r\n" : "", last_id ? "Last-Event-ID: " : "", last_id ? last_id : "",
                     last_id ? "\r\n" : "");
    if (send(s->fd, req, (size_t)n, MSG_NOSIGNAL) != n)
        goto out_fail;
    long long until = steady_ms() + 5000;
    char *end;
    while (!(end = memmem(s->raw, s->raw_len, "\r\n\r\n", 4))) {
        if (steady_ms() > until || fill(s, 100) < 0)
            goto out_fail;
    }
    size_t hlen = (size_t)(end - s->raw) + 4;
    snprintf(s->headers, sizeof(s->headers), "%.*s", (int)hlen, s->raw);
    if (sscanf(s->raw, "HTTP/1.%*d %d", &s->status) != 1)
        goto out_fail;
    consume(s, hlen);
    decode(s);
    return 0;
out_fail:
    sse_close(s);
    return -1;
}

void sse_close(struct sse *s)
{
    if (s->fd > 0)
        close(s->fd);
    s->fd = -1;
    free(s->raw);
    free(s->body);
    s->raw = s->body = NULL;
}

/* Parses the message at body[pos] when it is whole. */
static bool parse(struct sse *s, struct sse_msg *m)
{
    char *start = s->body + s->pos;
    char *end = strstr(start, "\n\n");
    if (!end)
        return false;
    memset(m, 0, sizeof(*m));
    snprintf(m->event, sizeof(m->event), "message");
    bool any_field = false;
    for (char *line = start; line < end + 1;) {
        char *nl = strchr(line, '\n');
        size_t len = (size_t)(nl - line);
        if (len > 0 && line[0] == ':') {
            m->comment = true;
        } else if (len > 4 && !strncmp(line, "id: ", 4)) {
            snprintf(m->id, sizeof(m->id), "%.*s", (int)(len - 4), line + 4);
            any_field = true;
        } else if (len > 7 && !strncmp(line, "event: ", 7)) {
            snprintf(m->event, sizeof(m->event), "%.*s", (int)(len - 7), line + 7);
            any_field = true;
        } else if (len >= 6 && !strncmp(line, "data: ", 6)) {
            snprintf(m->data, sizeof(m->data), "%.*s", (int)(len - 6), line + 6);
            any_field = true;
        }
        line = nl + 1;
    }
    m->comment = m->comment && !any_field;
    s->pos = (size_t)(end + 2 - s->body);
    return true;
}

int sse_next(struct sse *s, struct sse_msg *m, int timeout_ms)
{
    long long until = steady_ms() + timeout_ms;
    for (;;) {
        if (parse(s, m))
            return 1;
        if (s->closed)
            return -1;
        long long left = until - steady_ms();
        if (left <= 0)
            return 0;
        int rc = fill(s, (int)left);
        if (rc < 0)
            s->closed = true;
        decode(s);
    }
}

int sse_wait(struct sse *s, const char *kind, const char *needle, struct sse_msg *m, int timeout_ms)
{
    long long until = steady_ms() + timeout_ms;
    for (;;) {
        long long left = until - steady_ms();
        int rc = sse_next(s, m, left < 0 ? 0 : (int)left);
        if (rc <= 0)
            return rc;
        if (!m->comment && !strcmp(m->event, kind) && (!needle || strstr(m->data, needle)))
            return 1;
    }
}
