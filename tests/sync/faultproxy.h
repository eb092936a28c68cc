/* faultproxy.h — a loopback TCP proxy for tests that understands just enough HTTP/1.1 to
 * misbehave on purpose: pass requests through to hubd, or answer 500, garbage, a cut-short
 * response, nothing at all, or close at once. The mode is a test-harness switch only. */
#ifndef TESTS_FAULTPROXY_H
#define TESTS_FAULTPROXY_H

#include <stdbool.h>

enum fault_mode {
    FAULT_PASS,      /* each request to upstream, its whole response back */
    FAULT_HTTP_500,  /* the request is read, answered 500 with a JSON error, never forwarded */
    FAULT_GARBAGE,   /* 200 OK, right Content-Length, a body that is not JSON */
    FAULT_TRUNCATED, /* forwarded (upstream acts on it), response cut in its body, closed */
    FAULT_STALL,     /* the request is read, then nothing until the mode changes or stop */
    FAULT_DOWN,      /* accepted and closed at once (a request on an open connection too) */
    FAULT_RESET,     /* accepted and reset (RST) at once */
    FAULT_MODE_COUNT
};

struct faultproxy_stats {
    long connections;               /* accepted */
    long requests;                  /* whole requests read from clients */
    long posts;                     /* of which POST */
    long forwarded;                 /* requests written to upstream */
    long answered;                  /* whole upstream responses passed back */
    long by_mode[FAULT_MODE_COUNT]; /* requests handled in each mode (DOWN/RESET: also
                                       connections closed at accept) */
    long posts_by_mode[FAULT_MODE_COUNT];
    int stalled; /* requests being held right now (STALL) */
};

struct faultproxy;

/* Listens on 127.0.0.1:listen_port (0 = a free port) and proxies to 127.0.0.1:upstream_port,
 * starting in FAULT_PASS, on a thread of its own. NULL (reason on stderr) when it cannot. */
struct faultproxy *faultproxy_start(int listen_port, int upstream_port);
/* The port it listens on. */
int faultproxy_port(const struct faultproxy *fp);
/* Switches mode for every request from now on; a held (STALL) request is closed. Any thread. */
void faultproxy_set_mode(struct faultproxy *fp, enum fault_mode mode);
/* The mode for a request arriving now (read from the mode file when there is one). */
enum fault_mode faultproxy_mode(struct faultproxy *fp);
/* From now on the mode is read from path before each new connection and request (a missing
 * file means FAULT_PASS; an unknown name is reported once on stderr and means FAULT_PASS);
 * NULL goes back to faultproxy_set_mode. 0, or -1 when path is too long. */
int faultproxy_set_mode_file(struct faultproxy *fp, const char *path);
/* A consistent copy of the counters. */
void faultproxy_get_stats(struct faultproxy *fp, struct faultproxy_stats *out);
/* Closes every connection, joins every thread, frees fp. NULL is fine. */
void faultproxy_stop(struct faultproxy *fp);

/* "pass", "500", "garbage", "truncated", "stall", "down", "reset". */
const char *fault_mode_name(enum fault_mode mode);
/* The mode named name (as above); false when there is none. */
bool fault_mode_parse(const char *name, enum fault_mode *out);

#endif
