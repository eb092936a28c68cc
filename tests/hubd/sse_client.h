/* sse_client.h — a Server-Sent Events client over a raw loopback socket for the live board's
 * tests and benchmark: HTTP/1.1 with the chunked body decoded, messages parsed one by one. */
#ifndef HUBD_TEST_SSE_CLIENT_H
#define HUBD_TEST_SSE_CLIENT_H

#include <stdbool.h>
#include <stddef.h>

#define SSE_BODY_MAX (4 * 1024 * 1024)

struct sse {
    int fd;
    int status;         /* the answer's status code */
    char headers[2048]; /* the answer's header lines */
    char *raw;          /* bytes received, not yet decoded */
    size_t raw_len;
    char *body;      /* the decoded body so far (NUL-terminated) */
    size_t len, pos; /* pos: where the next message starts */
    long chunk_left; /* bytes of the current chunk still to come; -1: a size line is next */
    bool closed;     /* the server ended the stream */
};

/* One message of the stream (a comment is a message with comment set). */
struct sse_msg {
    char id[64];
    char event[32]; /* "message" when the message named none */
    char data[2048];
    bool comment;
};

/* Opens GET path (e.g. "/api/v1/events") on 127.0.0.1:port with token (NULL: none) and
 * Last-Event-ID last_id (NULL: none); reads the status line and headers. 0 (s->status set,
 * close with sse_close), or -1 on a transport failure. */
int sse_open(struct sse *s, int port, const char *path, const char *token, const char *last_id);
void sse_close(struct sse *s);

/* The next message within timeout_ms: 1, 0 on timeout, -1 when the stream ended. */
int sse_next(struct sse *s, struct sse_msg *m, int timeout_ms);

/* Waits for a message of event kind whose data contains needle (NULL: any), skipping others,
 * for up to timeout_ms. 1 (m filled), 0 on timeout, -1 when the stream ended. */
int sse_wait(struct sse *s, const char *kind, const char *needle, struct sse_msg *m,
             int timeout_ms);

#endif
