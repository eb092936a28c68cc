/* http.h — hubd's HTTP side on libmicrohttpd: the server context, the per-request state,
 * body reading with a hard cap, routing with roles, and JSON reply helpers. */
#ifndef HUBD_HTTP_H
#define HUBD_HTTP_H

#include "auth.h"
#include "proto/checkin.h"
#include "commit.h"
#include "store.h"

#include <cjson/cJSON.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#define BODY_MAX (64 * 1024) /* bytes; a batch of 100 check-ins fits */
/* bytes beyond BODY_MAX read (and dropped) so that a slightly larger body still gets its 413;
 * past that the connection is closed (an endless chunked upload is not read to its end) */
#define BODY_DISCARD_MAX (64 * 1024)

struct dircache;
struct events;
struct guard;
struct guard_conn;
struct jsondoc;

/* Where and how to listen (plain data). */
struct http_opts {
    unsigned port;                /* 0: any free one */
    struct sockaddr_storage bind; /* from http_bind_parse */
    socklen_t bind_len;
    const char *tls_cert, *tls_key; /* PEM text (not file names); NULL: plain HTTP */
};

#define HUBD_HUBS_MAX 1024 /* hubs one hubd serves */

/* What hubd keeps for one hub: the store handle on that hub's rows only (publishing its
 * changes), its group committer and its directory cache. Made on a hub's first request. */
struct hub_ctx {
    char id[IDENT_MAX + 1];
    struct store *store;
    struct store *inner; /* the store's own handle, under the publishing one */
    struct committer *committer;
    struct dircache *dir;
    int dir_stale;            /* a directory rebuild failed: retry before serving it (atomic) */
    int64_t dir_version;      /* the store's version the cache was built at (shared databases) */
    pthread_mutex_t dir_lock; /* one such rebuild at a time */
};

/* Everything a request handler may use; owned by main. */
struct hubd {
    struct store *store; /* the database's (or its first hub's) handle */
    struct auth *auth;
    struct committer *committer;
    struct dircache *dir;
    const char *web_root; /* realpath of --web DIR, or NULL */
    struct guard *guard;  /* deadlines, per-address caps, failed sign-ins */
    int dir_stale;        /* a directory rebuild failed: retry before serving it (atomic) */
    struct MHD_Daemon *daemon;

    /* GET /taxonomy's and GET /openapi.json's documents, built at start */
    struct jsondoc *taxonomy, *openapi;

    struct events *events;      /* the live board's notifier (GET /events) */
    char hub_id[IDENT_MAX + 1]; /* the hub whose changes it publishes ("" before a seed) */

    struct store *base;      /* the store as opened, which hands out the hubs' handles */
    struct hub_ctx main_hub; /* store, committer, dir and hub_id above, as one hub */
    struct hub_ctx *hubs[HUBD_HUBS_MAX]; /* the other hubs served so far */
    size_t n_hubs;
    pthread_mutex_t hubs_lock;
};

/* The hub a request acts for: the token's own (a county manager's token: ?hub=ID, else the
 * main hub). The one place a request is bound to a hub: handlers use r->hub's store only.
 * NULL when that hub is not in the database (or no more fit). */
struct hub_ctx *hubd_hub(struct hubd *h, const char *hub_id);
/* Stops the committers and frees the hubs made by hubd_hub. */
void hubd_hubs_free(struct hubd *h);

struct route;

/* One request in flight (plain data, freed when the request completes). */
struct req {
    struct hubd *h;
    struct MHD_Connection *conn;
    struct guard_conn *gc; /* the connection's guard entry (may be NULL) */
    const struct route *route;
    const char *method;
    char param[IDENT_MAX + 1]; /* the {id} path segment, if the route has one */
    char allow[64];            /* methods for a 405's Allow header */
    enum role role;
    struct principal who; /* the token's name and worker, when the route needs a token */
    struct hub_ctx *hub;  /* the hub it acts for (see hubd_hub): its store, committer, cache */
    bool json_type;       /* Content-Type is application/json */
    char *body;
    size_t len, cap;
    size_t seen; /* body bytes received, kept or not */
    bool too_big;
    int retry_after; /* seconds for a Retry-After header; 0: none */
    /* POST /checkins while its group commit is pending */
    bool submitted, batch;
    struct checkin *items;
    size_t n_items;
    struct checkin_result *results; /* one per item of the request */
    struct checkin **valid;         /* the items that passed validation */
    struct checkin_result *valid_results;
    size_t *valid_index; /* valid[k] is item valid_index[k] */
    struct commit_job job;
};

/* Reads an IPv4 or IPv6 address (no port) into out. 0, or -1 when it is not one. */
int http_bind_parse(const char *s, struct sockaddr_storage *out, socklen_t *len);

/* Starts the daemon as o says, with its thread pool; h->guard must be set. Returns the bound
 * port, or -1 with a reason on stderr. */
int http_start(struct hubd *h, const struct http_opts *o);
/* Stops the daemon (closes every connection). */
void http_stop(struct hubd *h);

/* Replies: each queues a response on r's connection and returns MHD's verdict. reply_json
 * takes ownership of body. */
enum MHD_Result reply_json(struct req *r, unsigned status, cJSON *body);
enum MHD_Result reply_error(struct req *r, unsigned status, const char *msg);
/* Queues a malloc'd buffer (ownership passes) with the given content type. */
enum MHD_Result reply_buffer(struct req *r, unsigned status, const char *ctype, char *buf,
                             size_t len);

/* Parses the request body as JSON after checking it is valid UTF-8. Returns the tree (the
 * caller owns it) or NULL with a reason in err. */
cJSON *req_json(struct req *r, char *err, size_t cap);

/* The value of a query-string argument, or NULL. */
const char *req_arg(struct req *r, const char *key);

/* Wall-clock time in ms since the epoch. */
int64_t hubd_now_ms(void);

#endif
