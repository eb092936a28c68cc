/* api_events.c — GET /api/v1/events: the token's hub's live board as Server-Sent Events. The
 * answer is a libmicrohttpd callback response that never ends by itself: when nothing waits
 * the connection is suspended (it costs no thread and never times out), and the notifier
 * resumes it when a message, a heartbeat or the end comes. A stream that falls behind is
 * shut down through the guard. A kiosk's stream carries only `worker` changes (status, desk):
 * a kiosk is a public screen, so check-ins, handovers and outcomes never reach it. */
#include "api.h"

#include "events.h"
#include "guard.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#define STREAM_BLOCK  (16 * 1024) /* bytes handed to libmicrohttpd at a time */
#define STREAM_SNDBUF (16 * 1024) /* socket send buffer: a client that stops reading shows */
#define STREAM_RETRY  5           /* seconds in Retry-After when every stream is taken */

struct stream {
    struct MHD_Connection *conn;
    struct guard *guard;
    struct guard_conn *gc;
    struct events_sub *sub;
    int fd; /* the connection's socket (-1: unknown) */
};

static void stream_park(void *ctx)
{
    MHD_suspend_connection(((struct stream *)ctx)->conn);
}

static void stream_wake(void *ctx)
{
    MHD_resume_connection(((struct stream *)ctx)->conn);
}

static void stream_drop(void *ctx)
{
    struct stream *s = ctx;
    guard_conn_drop(s->guard, s->gc);
}

/* A client never sends anything on a stream after its request: a readable end of file (or
 * an error) means it has gone, though its suspended connection has not noticed. */
static bool stream_gone(void *ctx)
{
    struct stream *s = ctx;
    char c;
    if (s->fd < 0)
        return false;
    ssize_t n = recv(s->fd, &c, 1, MSG_PEEK | MSG_DONTWAIT);
    return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR);
}

static const struct events_sub_ops STREAM_OPS = {
    .park = stream_park,
    .wake = stream_wake,
    .drop = stream_drop,
    .gone = stream_gone,
};

static ssize_t stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
    struct stream *s = cls;
    ssize_t n = events_sub_read(s->sub, buf, max);
    return n < 0 ? MHD_CONTENT_READER_END_WITH_ERROR : n;
}

/* libmicrohttpd is done with the response: the connection is over (or past this answer). */
static void stream_free(void *cls)
{
    struct stream *s = cls;
    events_unsubscribe(s->sub);
    free(s);
}

static void stream_headers(struct MHD_Response *resp)
{
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "text/event-stream");
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "X-Accel-Buffering", "no"); /* nginx: pass each line on */
}

/* The connection's socket, given a small send buffer so that a client that stops reading
 * fills it, and its queue, soon. -1 when unknown. */
static int stream_socket(struct MHD_Connection *conn)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
    int size = STREAM_SNDBUF;
    if (!ci)
        return -1;
    setsockopt(ci->connect_fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
    return ci->connect_fd;
}

enum MHD_Result api_events(struct req *r)
{
    enum MHD_Result denied;
    int err = 0;
    if (api_worker_scope(r, NULL, &denied) < 0)
        return denied;
    if (!r->h->events)
        return reply_error(r, MHD_HTTP_SERVICE_UNAVAILABLE, "this server has no live board");
    if (strcmp(r->method, "HEAD") == 0) {
        struct MHD_Response *head = MHD_create_response_from_buffer(0, "", MHD_RESPMEM_PERSISTENT);
        if (!head)
            return MHD_NO;
        stream_headers(head);
        enum MHD_Result ret = MHD_queue_response(r->conn, MHD_HTTP_OK, head);
        MHD_destroy_response(head);
        return ret;
    }
    struct stream *s = calloc(1, sizeof(*s));
    if (!s)
        return reply_error(r, MHD_HTTP_SERVICE_UNAVAILABLE, "out of memory");
    s->conn = r->conn;
    s->guard = r->h->guard;
    s->gc = r->gc;
    s->fd = stream_socket(r->conn);
    const char *last = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Last-Event-ID");
    const char *only = r->role == ROLE_KIOSK ? "worker" : NULL;
    s->sub = events_subscribe_only(r->h->events, r->hub->id, only, last, &STREAM_OPS, s, &err);
    if (!s->sub) {
        free(s);
        if (err != EVENTS_EFULL)
            return reply_error(r, MHD_HTTP_SERVICE_UNAVAILABLE, "out of memory");
        r->retry_after = STREAM_RETRY;
        return reply_error(r, MHD_HTTP_SERVICE_UNAVAILABLE,
                           "every live board stream of this server is taken; retry later "
                           "(the board still answers GET /checkins)");
    }
    struct MHD_Response *resp = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, STREAM_BLOCK,
                                                                  stream_read, s, stream_free);
    if (!resp) {
        stream_free(s);
        return reply_error(r, MHD_HTTP_SERVICE_UNAVAILABLE, "out of memory");
    }
    stream_headers(resp);
    enum MHD_Result ret = MHD_queue_response(r->conn, MHD_HTTP_OK, resp);
    MHD_destroy_response(resp); /* the stream is freed with libmicrohttpd's last reference */
    return ret;
}
