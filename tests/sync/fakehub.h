/* fakehub.h — a tiny HTTP/1.1 server on loopback for the sync tests: each route answers what
 * the test set (status and body, switchable at any time), one request per connection, and
 * every request is counted and its body kept, so a test can see what the kiosk sent. For what
 * a real hubd cannot be made to do: not have an endpoint, or answer more than the kiosk reads. */
#ifndef TESTS_FAKEHUB_H
#define TESTS_FAKEHUB_H

#include <stddef.h>

#define FAKEHUB_BODY_KEEP 256 /* bytes of each request body kept */

struct fakehub;

/* Listens on a free loopback port, on a thread of its own; every route answers 404 until set.
 * NULL (reason on stderr) when it cannot. */
struct fakehub *fakehub_start(void);
int fakehub_port(const struct fakehub *fh);
/* From now on, method path (exact, without the query) answers status with body (copied;
 * content type application/json unless type is given). 0, or -1 when the table is full. */
int fakehub_set(struct fakehub *fh, const char *method, const char *path, int status,
                const char *type, const char *body, size_t len);
/* How many requests method path has had so far. */
long fakehub_count(struct fakehub *fh, const char *method, const char *path);
/* The body of the latest request to method path into out (NUL-terminated, cut at cap - 1 and
 * at FAKEHUB_BODY_KEEP); 0, or -1 when none came yet. */
int fakehub_last_body(struct fakehub *fh, const char *method, const char *path, char *out,
                      size_t cap);
/* Stops the thread and frees fh. NULL is fine. */
void fakehub_stop(struct fakehub *fh);

#endif
