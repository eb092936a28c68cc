/* client.h — test helpers: start and stop a real hubd on a free loopback port with a
 * temporary database, create tokens, and make HTTP requests with libcurl. */
#ifndef HUBD_TEST_CLIENT_H
#define HUBD_TEST_CLIENT_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct server {
    pid_t pid;
    int port;
    char dir[256]; /* temporary folder holding the database */
    char db[300];
    char log[300];    /* when set before server_start: hubd's stderr is appended to this file */
    char ca[300];     /* when set: requests go over https, verified against this certificate */
    char pg_name[32]; /* PostgreSQL: the test database made for this server (dropped after) */
};

/* True when the tests run on PostgreSQL: HUBD_TEST_PG holds the URL of a test server's
 * database, and server_init makes each server a fresh database there (s->db its URL). */
bool server_pg(void);

struct resp {
    long status;
    char *body; /* NUL-terminated, malloc'd */
    size_t len;
    char headers[4096];
};

/* The hubd binary (HUBD_BIN, default build/hubd) and fixture folder (HUBD_FIXTURES). */
const char *hubd_bin(void);
const char *fixture(const char *name); /* static buffer: copy before the next call */

/* Makes a fresh temporary folder (and, on PostgreSQL, a fresh database) for s->db.
 * Returns 0 or -1. */
int server_init(struct server *s);
/* Starts hubd on s->db with extra args (NULL-terminated) plus --port 0, waits (up to
 * 60 s) for "hubd listening on PORT". Returns 0 or -1. */
int server_start(struct server *s, const char *const *args);
/* SIGTERM and wait; returns the exit status (or -1). */
int server_stop(struct server *s);
/* SIGKILL and wait. */
void server_kill(struct server *s);
/* Removes the temporary folder (and drops the PostgreSQL database). */
void server_cleanup(struct server *s);

/* Runs `hubd --db DB token ROLE NAME` and copies the token to out (65 bytes). 0 or -1. */
int make_token(const struct server *s, const char *role, const char *name, char *out);

/* Runs `hubd --db DB --seed SEED token worker NAME --worker WORKER` (the seed gives a new
 * database its hub, so the worker can be checked) and copies the token to out. 0 or -1. */
int make_worker_token(const struct server *s, const char *seed, const char *name,
                      const char *worker, char *out);

/* Runs hubd with args (NULL-terminated, argv[0] excluded), capturing stdout/stderr into
 * out/err (cap bytes each). Returns the exit status, or -1. */
int run_hubd(const char *const *args, char *out, size_t ocap, char *err, size_t ecap);

/* One HTTP request. token and ctype may be NULL; extra is one more header line or NULL.
 * Returns 0 (r filled; free with resp_free) or -1 on transport failure. */
int http(const struct server *s, const char *method, const char *path, const char *token,
         const char *ctype, const char *body, size_t body_len, const char *extra, struct resp *r);
/* The status of a request, freeing the response. -1 on transport failure. */
long http_status(const struct server *s, const char *method, const char *path, const char *token,
                 const char *ctype, const char *body);
void resp_free(struct resp *r);
/* Parses r->body; NULL when it is not JSON. */
cJSON *resp_json(const struct resp *r);
/* A header's value (copied into out), or NULL. */
const char *resp_header(const struct resp *r, const char *name, char *out, size_t cap);

/* A TCP connection to 127.0.0.1:port from source address src (NULL: any, e.g. "127.0.0.2"),
 * with receive and send timeouts of timeout_ms. Returns the fd, or -1. */
int raw_connect(int port, const char *src, int timeout_ms);
/* The same to dst:port (an IPv4 address). */
int raw_connect_to(const char *dst, int port, const char *src, int timeout_ms);
/* Reads a whole file (up to 64 MB) into a malloc'd buffer; NULL when it cannot be read. */
char *slurp(const char *path, size_t *len);
/* Milliseconds of a monotonic clock. */
long long steady_ms(void);

/* Writes a fresh random UUID v4 into out (37 bytes). */
void uuid4(char *out);
/* A check-in body for id with worker (NULL: null), primary domain and urgency; malloc'd. */
char *checkin_body(const char *id, const char *worker, const char *domain, bool urgent,
                   const char *name, const char *text, bool consent);

/* Makes s->db (SQLite, before server_start) from the SQL dump fixture(name) an older hubd
 * left, with every check-in received now (so none is closed as an earlier day's). 0 or -1. */
int server_db_from_dump(struct server *s, const char *name);
/* The first column of the first row of sql on the database at path, opened read-only, as
 * an integer; -1 when it cannot be read. */
long db_long(const char *path, const char *sql);
/* Runs one changing statement on the database s->db names (SQLite file or PostgreSQL URL)
 * with up to two text parameters, written $1 and $2 (p2, or both, may be NULL). Returns the
 * number of rows changed, or -1. */
long db_change(const char *path, const char *sql, const char *p1, const char *p2);

/* Makes check-in id look received by hubd when the kiosk created it (received_at and its
 * arrival event set to created_at), for tests that place arrivals in past days and months:
 * hubd orders, waits and counts by when it received a check-in, never by the kiosk's clock.
 * 0, or -1 when the database cannot be written. */
int db_received_as_created(const char *path, const char *id);

#endif
