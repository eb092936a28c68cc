/* guard.h — hubd's defence against slow and hostile clients, beside libmicrohttpd: every
 * connection is known with its address and state; a request must arrive whole (headers and
 * body) within an absolute deadline; one address holds only so many connections that are
 * still sending a request, and so does everyone together — when a new one comes, the oldest
 * such is dropped (once it is half a second old), never one that sent a valid token or one
 * being answered; a reaper trims what came too fast to drop on arrival. It also counts
 * failed sign-ins per address, for logging and throttling. */
#ifndef HUBD_GUARD_H
#define HUBD_GUARD_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#define GUARD_DEADLINE_MS    10000 /* headers and body of one request, from its first byte */
#define GUARD_PER_ADDR       64    /* connections still sending a request, per address */
#define GUARD_PENDING        512   /* ... and from everyone together */
#define GUARD_YOUNG_MS       500   /* younger connections are never dropped for the caps */
#define GUARD_AUTH_FAILS     50    /* failed sign-ins per address per minute before 429 */
#define GUARD_AUTH_WINDOW_MS 60000

struct guard;
struct guard_conn;

/* A guard with its deadline thread. NULL on failure. Free with guard_free (joins it). */
struct guard *guard_new(void);
void guard_free(struct guard *g);

/* A new connection from addr: drops the oldest connection still sending a request when addr
 * (or everyone) is at its cap. Always admits the new one; returns true. */
bool guard_accept(struct guard *g, const struct sockaddr *addr, socklen_t len);

/* Connection lifecycle, from libmicrohttpd's connection notifications: started makes the
 * entry (stored in *slot; NULL when out of memory, then the connection is not guarded),
 * closed frees it. fd is the connection's socket, shut down on eviction or deadline. */
struct guard_conn *guard_conn_started(struct guard *g, int fd, const struct sockaddr *addr);
void guard_conn_closed(struct guard *g, struct guard_conn *c);

/* Request lifecycle (c may be NULL): headers are in (authenticated: with a valid token, so
 * never evicted); the whole request is in or an answer is queued (off the deadline); the
 * answer was sent (the connection waits for its next request, under the deadline again). */
void guard_request_headers(struct guard *g, struct guard_conn *c, bool authenticated);
void guard_request_answering(struct guard *g, struct guard_conn *c);
void guard_request_done(struct guard *g, struct guard_conn *c);

/* Shuts c's socket down now (c may be NULL): a long answer (a live board stream) whose client
 * fell behind. libmicrohttpd then closes the connection as usual. */
void guard_conn_drop(struct guard *g, struct guard_conn *c);

/* Failed sign-ins: true when addr failed more than GUARD_AUTH_FAILS times in the current
 * minute; guard_auth_failed records one and logs a line (address and count, never the
 * token) at the first failure of an address's minute and when it starts being throttled.
 * *retry_s tells how long until the minute ends. */
bool guard_auth_throttled(struct guard *g, const struct sockaddr *addr, int *retry_s);
void guard_auth_failed(struct guard *g, const struct sockaddr *addr);

#endif
