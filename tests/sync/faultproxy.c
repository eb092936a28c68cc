/* faultproxy.c — the fault-switch proxy: one accept thread and one thread a connection, each
 * reading whole HTTP/1.1 messages (Content-Length or chunked) so a mode applies per request. */
#include "faultproxy.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_CONNS   64
#define HEAD_CAP    (16 * 1024)       /* request or response line and headers */
#define BODY_CAP    (4 * 1024 * 1024) /* a request or response body */
#define TICK_MS     50                /* how often waits look at the stop flag and the mode */
#define IDLE_MS     120000            /* a client connection with no request for this long */
#define UPSTREAM_MS 30000             /* the longest wait for upstream's whole answer */

struct slot {
    struct faultproxy *fp;
    pthread_t th;
    int fd;
    bool used;         /* accept thread only */
    _Atomic bool done; /* set by the connection thread as it ends */
};

struct faultproxy {
    int lfd, port, upstream;
    pthread_t th;
    _Atomic bool stopping;
    _Atomic int mode;
    _Atomic unsigned gen; /* bumped when the mode changes: held requests let go */
    pthread_mutex_t mu;   /* st, mode_file, bad_name, rng */
    struct faultproxy_stats st;
    char mode_file[512]; /* "" = use mode */
    char bad_name[64];   /* the last unknown name reported, to report it once */
    uint64_t rng;
    bool full_warned;
    struct slot slots[MAX_CONNS];
};

struct buf {
    char *p; /* always NUL-terminated when non-NULL */
    size_t n, cap;
};

/* What read_message found: the message is p[0, total), its head p[0, head_len). */
struct msg {
    size_t head_len, total;
    int status;       /* responses */
    char method[16];  /* requests */
    bool close;       /* "Connection: close" (or HTTP/1.0): close after this exchange */
    bool until_close; /* a response with no length: its body ends when upstream closes */
};

static const char *const NAMES[FAULT_MODE_COUNT] = {
    "pass", "500", "garbage", "truncated", "stall", "down", "reset",
};

const char *fault_mode_name(enum fault_mode mode)
{
    return (unsigned)mode < FAULT_MODE_COUNT ? NAMES[mode] : "?";
}

bool fault_mode_parse(const char *name, enum fault_mode *out)
{
    for (int i = 0; i < FAULT_MODE_COUNT; i++)
        if (strcmp(name, NAMES[i]) == 0) {
            *out = (enum fault_mode)i;
            return true;
        }
    return false;
}

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The mode named in path: missing or empty = pass, unknown = pass (reported once). */
static enum fault_mode read_mode_file(struct faultproxy *fp, const char *path)
{
    char name[64] = "";
    FILE *f = fopen(path, "r");
    if (!f)
        return FAULT_PASS;
    size_t n = fread(name, 1, sizeof(name) - 1, f);
    fclose(f);
    name[n] = '\0';
    while (n > 0 && (name[n - 1] == '\n' || name[n - 1] == '\r' || name[n - 1] == ' ' ||
                     name[n - 1] == '\t'))
        name[--n] = '\0';
    enum fault_mode m = FAULT_PASS;
    if (n == 0 || fault_mode_parse(name, &m))
        return m;
    pthread_mutex_lock(&fp->mu);
    if (strcmp(fp->bad_name, name) != 0) {
        snprintf(fp->bad_name, sizeof(fp->bad_name), "%s", name);
        fprintf(stderr,
                "faultproxy: %s: unknown mode '%s' (pass|500|garbage|truncated|stall|down|"
                "reset); passing\n",
                path, name);
    }
    pthread_mutex_unlock(&fp->mu);
    return FAULT_PASS;
}

enum fault_mode faultproxy_mode(struct faultproxy *fp)
{
    char path[sizeof(fp->mode_file)];
    pthread_mutex_lock(&fp->mu);
    memcpy(path, fp->mode_file, sizeof(path));
    pthread_mutex_unlock(&fp->mu);
    if (path[0])
        return read_mode_file(fp, path);
    return (enum fault_mode)fp->mode;
}

void faultproxy_set_mode(struct faultproxy *fp, enum fault_mode mode)
{
    if ((unsigned)mode >= FAULT_MODE_COUNT)
        return;
    if (atomic_exchange(&fp->mode, (int)mode) != (int)mode)
        fp->gen++;
}

int faultproxy_set_mode_file(struct faultproxy *fp, const char *path)
{
    if (path && strlen(path) >= sizeof(fp->mode_file))
        return -1;
    pthread_mutex_lock(&fp->mu);
    snprintf(fp->mode_file, sizeof(fp->mode_file), "%s", path ? path : "");
    pthread_mutex_unlock(&fp->mu);
    return 0;
}

int faultproxy_port(const struct faultproxy *fp)
{
    return fp->port;
}

void faultproxy_get_stats(struct faultproxy *fp, struct faultproxy_stats *out)
{
    pthread_mutex_lock(&fp->mu);
    *out = fp->st;
    pthread_mutex_unlock(&fp->mu);
}

/* Counts a request read from a client in mode m. */
static void count_request(struct faultproxy *fp, enum fault_mode m, const struct msg *req)
{
    bool post = strcmp(req->method, "POST") == 0;
    pthread_mutex_lock(&fp->mu);
    fp->st.requests++;
    fp->st.by_mode[m]++;
    if (post) {
        fp->st.posts++;
        fp->st.posts_by_mode[m]++;
    }
    pthread_mutex_unlock(&fp->mu);
}

static void count(struct faultproxy *fp, long *field, long by)
{
    pthread_mutex_lock(&fp->mu);
    *field += by;
    pthread_mutex_unlock(&fp->mu);
}

/* Waits for ev on fd in TICK_MS steps. 1 ready (or hung up: the next call tells), 0 deadline
 * passed, -1 stopping or poll failed. */
static int wait_fd(struct faultproxy *fp, int fd, short ev, int64_t deadline)
{
    for (;;) {
        if (fp->stopping)
            return -1;
        int64_t left = deadline - mono_ms();
        if (left <= 0)
            return 0;
        struct pollfd p = {.fd = fd, .events = ev};
        int r = poll(&p, 1, left < TICK_MS ? (int)left : TICK_MS);
        if (r > 0)
            return 1;
        if (r < 0 && errno != EINTR)
            return -1;
    }
}

/* Reads what fd has into b, keeping b under limit bytes. >0 read, 0 end of stream, -1 error,
 * deadline, stop or over limit. */
static ssize_t read_some(struct faultproxy *fp, int fd, struct buf *b, size_t limit,
                         int64_t deadline)
{
    if (b->n >= limit)
        return -1;
    if (b->cap - b->n < 4096 + 1 && b->cap < limit + 1) {
        size_t cap = b->cap ? b->cap * 2 : 8192;
        if (cap < b->n + 4096 + 1)
            cap = b->n + 4096 + 1;
        if (cap > limit + 1)
            cap = limit + 1;
        char *p = realloc(b->p, cap);
        if (!p)
            return -1;
        b->p = p;
        b->cap = cap;
    }
    ssize_t k = -1;
    while (k < 0) {
        if (wait_fd(fp, fd, POLLIN, deadline) != 1)
            return -1;
        k = recv(fd, b->p + b->n, b->cap - b->n - 1, MSG_DONTWAIT);
        if (k < 0 && errno != EINTR && errno != EAGAIN && errno != EWOULDBLOCK)
            return -1;
    }
    b->n += (size_t)k;
    b->p[b->n] = '\0';
    return k;
}

static int write_all(struct faultproxy *fp, int fd, const char *p, size_t n, int64_t deadline)
{
    while (n > 0) {
        if (wait_fd(fp, fd, POLLOUT, deadline) != 1)
            return -1;
        ssize_t k = send(fd, p, n, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (k < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK))
            continue;
        if (k <= 0)
            return -1;
        p += k;
        n -= (size_t)k;
    }
    return 0;
}

/* Copies header name's value from head (len bytes ending in CRLF CRLF) into out, trimmed;
 * false when absent. */
static bool header(const char *head, size_t len, const char *name, char *out, size_t cap)
{
    size_t nl = strlen(name);
    const char *end = head + len, *line = memchr(head, '\n', len);
    while (line && ++line < end) {
        const char *eol = memchr(line, '\n', (size_t)(end - line));
        if (!eol)
            break;
        if ((size_t)(eol - line) > nl && strncasecmp(line, name, nl) == 0 && line[nl] == ':') {
            const char *v = line + nl + 1, *ve = eol;
            while (v < ve && (*v == ' ' || *v == '\t'))
                v++;
            while (ve > v && (ve[-1] == '\r' || ve[-1] == ' ' || ve[-1] == '\t'))
                ve--;
            size_t k = (size_t)(ve - v) < cap - 1 ? (size_t)(ve - v) : cap - 1;
            memcpy(out, v, k);
            out[k] = '\0';
            return true;
        }
        line = eol;
    }
    return false;
}

/* Where a chunked body starting at p[off] ends (just past its last CRLF); 0 when not all of
 * it is there yet; -1 when it is malformed. p is NUL-terminated at n. */
static long chunked_end(const char *p, size_t n, size_t off)
{
    for (;;) {
        const char *eol = off < n ? memmem(p + off, n - off, "\r\n", 2) : NULL;
        if (!eol)
            return n - off > 64 ? -1 : 0;
        if (p[off] == '\0' || !strchr("0123456789abcdefABCDEF", p[off]))
            return -1;
        char *stop;
        errno = 0;
        unsigned long long size = strtoull(p + off, &stop, 16);
        if (errno || stop > eol || size > BODY_CAP)
            return -1;
        size_t data = (size_t)(eol - p) + 2;
        if (size == 0) { /* then trailers, up to an empty line */
            const char *t = memmem(p + data - 2, n - (data - 2), "\r\n\r\n", 4);
            return t ? (long)(t - p) + 4 : 0;
        }
        if (n < data + size + 2)
            return 0;
        off = data + size + 2;
    }
}

/* Reads one whole message from fd into b (which may already hold some of it): a request
 * (response = false) or a response to a request with method req_method. 1 and *m, 0 when the
 * peer closed before a byte of it, -1 otherwise. */
static int read_message(struct faultproxy *fp, int fd, struct buf *b, bool response,
                        const char *req_method, struct msg *m, int64_t deadline)
{
    char v[64];
    const char *end;
    memset(m, 0, sizeof(*m));
    while (!b->p || !(end = memmem(b->p, b->n, "\r\n\r\n", 4))) {
        ssize_t k = read_some(fp, fd, b, HEAD_CAP, deadline);
        if (k <= 0)
            return k == 0 && b->n == 0 ? 0 : -1;
    }
    m->head_len = (size_t)(end - b->p) + 4;
    if (response) {
        if (strncmp(b->p, "HTTP/1.", 7) != 0 || b->n < 12)
            return -1;
        m->status = (int)strtol(b->p + 9, NULL, 10);
        m->close = b->p[7] == '0';
        if (m->status < 200) /* no Expect: is ever forwarded, so no 1xx should come */
            return -1;
    } else {
        size_t k = strcspn(b->p, " \r\n");
        if (k == 0 || k >= sizeof(m->method))
            return -1;
        memcpy(m->method, b->p, k);
        m->method[k] = '\0';
        m->close = memmem(b->p, strcspn(b->p, "\r\n"), " HTTP/1.0", 9) != NULL;
    }
    if (header(b->p, m->head_len, "Connection", v, sizeof(v)))
        m->close = strcasestr(v, "close") != NULL;
    bool no_body = response && (m->status == 204 || m->status == 304 ||
                                (req_method && strcmp(req_method, "HEAD") == 0));
    bool chunked = header(b->p, m->head_len, "Transfer-Encoding", v, sizeof(v)) &&
                   strcasestr(v, "chunked") != NULL;
    size_t limit = m->head_len + BODY_CAP;
    if (no_body) {
        m->total = m->head_len;
    } else if (chunked) {
        long e;
        while ((e = chunked_end(b->p, b->n, m->head_len)) == 0)
            if (read_some(fp, fd, b, limit, deadline) <= 0)
                return -1;
        if (e < 0)
            return -1;
        m->total = (size_t)e;
    } else if (header(b->p, m->head_len, "Content-Length", v, sizeof(v))) {
        char *stop;
        errno = 0;
        long long len = strtoll(v, &stop, 10);
        if (errno || stop == v || *stop || len < 0 || len > BODY_CAP)
            return -1;
        m->total = m->head_len + (size_t)len;
    } else if (response) { /* the body runs to the end of the connection */
        ssize_t k;
        while ((k = read_some(fp, fd, b, limit, deadline)) > 0)
            ;
        if (k < 0)
            return -1;
        m->total = b->n;
        m->until_close = m->close = true;
    } else {
        m->total = m->head_len; /* a request without a body */
    }
    while (b->n < m->total)
        if (read_some(fp, fd, b, limit, deadline) <= 0)
            return -1;
    return 1;
}

static int connect_upstream(const struct faultproxy *fp)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in a = {.sin_family = AF_INET,
                            .sin_port = htons((uint16_t)fp->upstream),
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    if (fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof(a)) == 0)
        return fd;
    if (fd >= 0)
        close(fd);
    return -1;
}

/* Sends req[0, total) upstream on a connection of its own and passes the answer back to the
 * client cfd, whole or (truncate) cut in its body. true when cfd may carry another request. */
static bool forward(struct faultproxy *fp, int cfd, const struct buf *req, const struct msg *rq,
                    bool truncate)
{
    struct buf resp = {0};
    struct msg rs;
    bool keep = false;
    int64_t deadline = mono_ms() + UPSTREAM_MS;
    int ufd = connect_upstream(fp);
    if (ufd < 0)
        return false; /* the client sees a closed connection, as if upstream were down */
    if (write_all(fp, ufd, req->p, rq->total, deadline) < 0)
        goto out_close;
    count(fp, &fp->st.forwarded, 1);
    if (read_message(fp, ufd, &resp, true, rq->method, &rs, deadline) != 1)
        goto out_close;
    if (truncate) {
        size_t body = rs.total - rs.head_len;
        size_t cut = body >= 2 ? rs.head_len + body / 2 : rs.head_len / 2;
        write_all(fp, cfd, resp.p, cut, deadline);
        goto out_close;
    }
    if (write_all(fp, cfd, resp.p, rs.total, deadline) < 0)
        goto out_close;
    count(fp, &fp->st.answered, 1);
    keep = !rs.close && !rq->close;
out_close:
    close(ufd);
    free(resp.p);
    return keep;
}

/* Answers with a made-up response: status line, a body, keeping the connection open. */
static bool answer(struct faultproxy *fp, int cfd, const char *status, const char *body, size_t len,
                   const struct msg *rq)
{
    char head[256];
    int k = snprintf(head, sizeof(head),
                     "HTTP/1.1 %s\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n"
                     "%s\r\n",
                     status, len, rq->close ? "Connection: close\r\n" : "");
    int64_t deadline = mono_ms() + UPSTREAM_MS;
    if (k < 0 || (size_t)k >= sizeof(head) || write_all(fp, cfd, head, (size_t)k, deadline) < 0 ||
        write_all(fp, cfd, body, len, deadline) < 0)
        return false;
    return !rq->close;
}

static bool answer_garbage(struct faultproxy *fp, int cfd, const struct msg *rq)
{
    static const char open[] = "<html><body>faultproxy: this is not JSON ",
                      shut[] = "</body></html>\n";
    char body[sizeof(open) + 64 + sizeof(shut)];
    size_t n = 0;
    memcpy(body, open, sizeof(open) - 1);
    n += sizeof(open) - 1;
    pthread_mutex_lock(&fp->mu);
    for (int i = 0; i < 64; i++) { /* xorshift64: any byte at all, NULs included */
        fp->rng ^= fp->rng << 13;
        fp->rng ^= fp->rng >> 7;
        fp->rng ^= fp->rng << 17;
        body[n++] = (char)(fp->rng >> 24);
    }
    pthread_mutex_unlock(&fp->mu);
    memcpy(body + n, shut, sizeof(shut) - 1);
    n += sizeof(shut) - 1;
    return answer(fp, cfd, "200 OK", body, n, rq);
}

/* Holds a request unanswered until the mode changes, the client gives up or the proxy stops. */
static void hold(struct faultproxy *fp, int cfd)
{
    unsigned gen = fp->gen;
    char sink[512];
    pthread_mutex_lock(&fp->mu);
    fp->st.stalled++;
    pthread_mutex_unlock(&fp->mu);
    while (!fp->stopping && fp->gen == gen && faultproxy_mode(fp) == FAULT_STALL) {
        struct pollfd p = {.fd = cfd, .events = POLLIN};
        if (poll(&p, 1, TICK_MS) <= 0)
            continue;
        ssize_t k = recv(cfd, sink, sizeof(sink), MSG_DONTWAIT); /* nothing more is expected */
        if (k == 0 || (k < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR))
            break; /* the client gave up */
    }
    pthread_mutex_lock(&fp->mu);
    fp->st.stalled--;
    pthread_mutex_unlock(&fp->mu);
}

static void close_reset(int fd)
{
    struct linger l = {.l_onoff = 1, .l_linger = 0};
    setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
    close(fd);
}

static void *serve(void *arg)
{
    struct slot *sl = arg;
    struct faultproxy *fp = sl->fp;
    struct buf in = {0};
    bool reset = false;
    for (;;) {
        struct msg rq;
        if (read_message(fp, sl->fd, &in, false, NULL, &rq, mono_ms() + IDLE_MS) != 1)
            break;
        enum fault_mode m = faultproxy_mode(fp);
        count_request(fp, m, &rq);
        bool keep = false;
        static const char err500[] = "{\"error\":\"faultproxy: injected failure\"}";
        switch (m) {
        case FAULT_PASS:
        case FAULT_TRUNCATED:
            keep = forward(fp, sl->fd, &in, &rq, m == FAULT_TRUNCATED);
            break;
        case FAULT_HTTP_500:
            keep = answer(fp, sl->fd, "500 Internal Server Error", err500, sizeof(err500) - 1, &rq);
            break;
        case FAULT_GARBAGE:
            keep = answer_garbage(fp, sl->fd, &rq);
            break;
        case FAULT_STALL:
            hold(fp, sl->fd);
            break;
        case FAULT_RESET:
            reset = true;
            break;
        default: /* FAULT_DOWN */
            break;
        }
        if (!keep)
            break;
        memmove(in.p, in.p + rq.total, in.n - rq.total + 1); /* a pipelined next request */
        in.n -= rq.total;
    }
    if (reset)
        close_reset(sl->fd);
    else
        close(sl->fd);
    free(in.p);
    sl->done = true;
    return NULL;
}

/* Joins finished connection threads (the accept thread's own bookkeeping). */
static void reap(struct faultproxy *fp, bool all)
{
    for (int i = 0; i < MAX_CONNS; i++) {
        struct slot *sl = &fp->slots[i];
        if (sl->used && (all || sl->done)) {
            pthread_join(sl->th, NULL);
            sl->used = false;
        }
    }
}

static void take(struct faultproxy *fp, int fd)
{
    enum fault_mode m = faultproxy_mode(fp);
    pthread_mutex_lock(&fp->mu);
    fp->st.connections++;
    if (m == FAULT_DOWN || m == FAULT_RESET)
        fp->st.by_mode[m]++;
    pthread_mutex_unlock(&fp->mu);
    if (m == FAULT_DOWN || m == FAULT_RESET) {
        if (m == FAULT_RESET)
            close_reset(fd);
        else
            close(fd);
        return;
    }
    for (int i = 0; i < MAX_CONNS; i++) {
        struct slot *sl = &fp->slots[i];
        if (sl->used)
            continue;
        sl->fp = fp;
        sl->fd = fd;
        sl->done = false;
        if (pthread_create(&sl->th, NULL, serve, sl) != 0) {
            fprintf(stderr, "faultproxy: cannot start a thread; closing a connection\n");
            close(fd);
            return;
        }
        sl->used = true;
        return;
    }
    if (!fp->full_warned)
        fprintf(stderr, "faultproxy: over %d connections at once; closing the newest\n", MAX_CONNS);
    fp->full_warned = true;
    close(fd);
}

static void *accept_loop(void *arg)
{
    struct faultproxy *fp = arg;
    while (!fp->stopping) {
        reap(fp, false);
        struct pollfd p = {.fd = fp->lfd, .events = POLLIN};
        if (poll(&p, 1, TICK_MS) <= 0)
            continue;
        int fd = accept4(fp->lfd, NULL, NULL, SOCK_CLOEXEC);
        if (fd >= 0)
            take(fp, fd);
    }
    reap(fp, true);
    return NULL;
}

struct faultproxy *faultproxy_start(int listen_port, int upstream_port)
{
    if (listen_port < 0 || listen_port > 65535 || upstream_port <= 0 || upstream_port > 65535) {
        fprintf(stderr, "faultproxy: bad port (listen %d, upstream %d)\n", listen_port,
                upstream_port);
        return NULL;
    }
    struct faultproxy *fp = calloc(1, sizeof(*fp));
    if (!fp)
        return NULL;
    fp->upstream = upstream_port;
    fp->mode = FAULT_PASS;
    fp->rng = (uint64_t)mono_ms() * 6364136223846793005ULL + 1442695040888963407ULL;
    pthread_mutex_init(&fp->mu, NULL);
    struct sockaddr_in a = {.sin_family = AF_INET,
                            .sin_port = htons((uint16_t)listen_port),
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t alen = sizeof(a);
    int one = 1;
    fp->lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fp->lfd < 0 || setsockopt(fp->lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
        bind(fp->lfd, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(fp->lfd, 64) < 0 ||
        getsockname(fp->lfd, (struct sockaddr *)&a, &alen) < 0) {
        fprintf(stderr, "faultproxy: cannot listen on 127.0.0.1:%d: %s\n", listen_port,
                strerror(errno));
        goto out_close;
    }
    fp->port = ntohs(a.sin_port);
    if (pthread_create(&fp->th, NULL, accept_loop, fp) != 0) {
        fprintf(stderr, "faultproxy: cannot start a thread\n");
        goto out_close;
    }
    return fp;
out_close:
    if (fp->lfd >= 0)
        close(fp->lfd);
    pthread_mutex_destroy(&fp->mu);
    free(fp);
    return NULL;
}

void faultproxy_stop(struct faultproxy *fp)
{
    if (!fp)
        return;
    fp->stopping = true;
    pthread_join(fp->th, NULL);
    close(fp->lfd);
    pthread_mutex_destroy(&fp->mu);
    free(fp);
}
