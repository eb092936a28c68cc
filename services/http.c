/* http.c — libmicrohttpd glue: daemon setup (bind address, TLS, limits, the guard's
 * hooks), strict framing, routing with roles, failed sign-in throttling, body reading with
 * a hard cap, content-type and size checks, and the JSON reply helpers. */
#include "http.h"

#include "api.h"
#include "guard.h"
#include "proto/valid.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

enum body_kind { BODY_NONE, BODY_OPTIONAL, BODY_REQUIRED };

/* ROUTE_ALL_HUBS_OK: a county token may leave out ?hub= when ?by= groups by hub; the handler
 * then walks every hub itself. ROUTE_NOT_SEEN: the handler records the kiosk itself, so the
 * dispatcher does not mark it seen first. */
enum { ROUTE_ALL_HUBS_OK = 1u << 0, ROUTE_NOT_SEEN = 1u << 1 };

typedef enum MHD_Result (*handler_fn)(struct req *r);

struct route {
    const char *method;
    const char *pattern; /* '*' stands for one path segment, the {id} */
    unsigned roles;      /* 0: no authentication; admin may do everything */
    enum body_kind body;
    unsigned flags; /* ROUTE_* above: what the route needs of the dispatcher */
    handler_fn fn;
};

static const struct route ROUTES[] = {
    {"GET", "/health", 0, BODY_NONE, 0, api_health},
    {"GET", "/api/v1/health", 0, BODY_NONE, 0, api_health},
    {"GET", "/api/v1/me", ROLE_ANY, BODY_NONE, 0, api_me},
    {"GET", "/api/v1/directory", ROLE_ANY, BODY_NONE, 0, api_directory},
    /* no token needed: the kiosk's own words, which the public community page shows too */
    {"GET", "/api/v1/taxonomy", 0, BODY_NONE, 0, api_taxonomy},
    {"GET", "/openapi.json", 0, BODY_NONE, 0, api_openapi},
    {"GET", "/api/v1/openapi.json", 0, BODY_NONE, 0, api_openapi},
    {"POST", "/api/v1/checkins", ROLE_KIOSK, BODY_REQUIRED, 0, api_checkins_post},
    {"GET", "/api/v1/checkins", ROLE_RECEPTION | ROLE_WORKER, BODY_NONE, 0, api_checkins_get},
    {"POST", "/api/v1/checkins/*/handover", ROLE_RECEPTION, BODY_OPTIONAL, 0, api_handover},
    {"POST", "/api/v1/checkins/*/reassign", ROLE_RECEPTION, BODY_REQUIRED, 0, api_reassign},
    {"PATCH", "/api/v1/workers/*", ROLE_WORKER | ROLE_RECEPTION, BODY_REQUIRED, 0,
     api_worker_patch},
    {"GET", "/api/v1/reports/demand", ROLE_MANAGER, BODY_NONE, ROUTE_ALL_HUBS_OK, api_report},
    {"POST", "/api/v1/checkins/*/left", ROLE_RECEPTION, BODY_OPTIONAL, 0, api_left},
    {"DELETE", "/api/v1/checkins/*/left", ROLE_RECEPTION, BODY_NONE, 0, api_left_undo},
    {"POST", "/api/v1/checkins/*/outcome", ROLE_WORKER | ROLE_RECEPTION, BODY_REQUIRED, 0,
     api_outcome},
    {"POST", "/api/v1/workers/*/next", ROLE_WORKER | ROLE_RECEPTION, BODY_OPTIONAL, 0, api_next},
    {"POST", "/api/v1/feedback", ROLE_KIOSK, BODY_REQUIRED, 0, api_feedback},
    {"GET", "/api/v1/community", 0, BODY_NONE, 0, api_community},
    {"GET", "/community", 0, BODY_NONE, 0, api_community_page},
    {"GET", "/api/v1/events", ROLE_KIOSK | ROLE_RECEPTION | ROLE_WORKER | ROLE_MANAGER, BODY_NONE,
     0, api_events},
    {"POST", "/api/v1/kiosks/status", ROLE_KIOSK, BODY_REQUIRED, ROUTE_NOT_SEEN, api_kiosk_status},
    {"GET", "/api/v1/kiosks", ROLE_RECEPTION | ROLE_MANAGER, BODY_NONE, 0, api_kiosks},
};

#define N_ROUTES (sizeof(ROUTES) / sizeof(ROUTES[0]))

int64_t hubd_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void add_common_headers(struct MHD_Response *resp, const char *ctype)
{
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, ctype);
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
}

enum MHD_Result reply_buffer(struct req *r, unsigned status, const char *ctype, char *buf,
                             size_t len)
{
    struct MHD_Response *resp = MHD_create_response_from_buffer(len, buf, MHD_RESPMEM_MUST_FREE);
    if (!resp) {
        free(buf);
        return MHD_NO;
    }
    add_common_headers(resp, ctype);
    if (status == MHD_HTTP_UNAUTHORIZED)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer");
    if (status == MHD_HTTP_METHOD_NOT_ALLOWED && r->allow[0])
        MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, r->allow);
    if (r->retry_after > 0) {
        char secs[16];
        snprintf(secs, sizeof(secs), "%d", r->retry_after);
        MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, secs);
    }
    enum MHD_Result ret = MHD_queue_response(r->conn, status, resp);
    MHD_destroy_response(resp);
    return ret;
}

enum MHD_Result reply_json(struct req *r, unsigned status, cJSON *body)
{
    char *text = body ? cJSON_PrintUnformatted(body) : NULL;
    cJSON_Delete(body);
    if (!text) {
        static const char oom[] = "{\"error\":\"out of memory\"}";
        text = strdup(oom);
        status = MHD_HTTP_SERVICE_UNAVAILABLE;
        if (!text)
            return MHD_NO;
    }
    return reply_buffer(r, status, "application/json; charset=utf-8", text, strlen(text));
}

enum MHD_Result reply_error(struct req *r, unsigned status, const char *msg)
{
    cJSON *o = cJSON_CreateObject();
    if (o)
        cJSON_AddStringToObject(o, "error", msg);
    return reply_json(r, status, o);
}

const char *req_arg(struct req *r, const char *key)
{
    return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, key);
}

cJSON *req_json(struct req *r, char *err, size_t cap)
{
    const char *end = NULL;
    if (r->len == 0) {
        snprintf(err, cap, "body: a JSON body is required");
        return NULL;
    }
    if (!utf8_valid(r->body, r->len)) {
        snprintf(err, cap, "body: invalid UTF-8");
        return NULL;
    }
    if (json_has_nul(r->body, r->len)) {
        /* a NUL would cut the string it is in, and what was cut would escape validation */
        snprintf(err, cap, "body: a NUL character (raw or \\u0000) is not allowed");
        return NULL;
    }
    cJSON *root = cJSON_ParseWithLengthOpts(r->body, r->len, &end, false);
    if (!root) {
        snprintf(err, cap, "body: malformed JSON");
        return NULL;
    }
    while (end && end < r->body + r->len && strchr(" \t\r\n", *end))
        end++;
    if (!end || end != r->body + r->len) {
        cJSON_Delete(root);
        snprintf(err, cap, "body: trailing bytes after the JSON value");
        return NULL;
    }
    return root;
}

/* Matches url against pattern; copies the '*' segment into param. */
static bool path_match(const char *pattern, const char *url, char *param, size_t cap)
{
    while (*pattern && *url) {
        if (*pattern == '*') {
            size_t n = strcspn(url, "/");
            if (n == 0 || n >= cap)
                return false;
            memcpy(param, url, n);
            param[n] = '\0';
            url += n;
            pattern++;
        } else if (*pattern++ != *url++) {
            return false;
        }
    }
    return *pattern == '\0' && *url == '\0';
}

/* Finds the route for url and method. On a path match with another method, fills allow
 * with the methods that exist and returns NULL. */
static const struct route *route_find(const char *url, const char *method, char *param, size_t cap,
                                      char *allow, size_t acap, bool *path_known)
{
    bool head = strcmp(method, "HEAD") == 0;
    *path_known = false;
    allow[0] = '\0';
    for (size_t i = 0; i < N_ROUTES; i++) {
        if (!path_match(ROUTES[i].pattern, url, param, cap))
            continue;
        if (strcmp(ROUTES[i].method, method) == 0 || (head && strcmp(ROUTES[i].method, "GET") == 0))
            return &ROUTES[i];
        *path_known = true;
        size_t used = strlen(allow);
        snprintf(allow + used, acap - used, "%s%s%s", used ? ", " : "", ROUTES[i].method,
                 strcmp(ROUTES[i].method, "GET") == 0 ? ", HEAD" : "");
    }
    return NULL;
}

static bool is_json_type(const char *ct)
{
    static const char want[] = "application/json";
    if (!ct || strncasecmp(ct, want, sizeof(want) - 1) != 0)
        return false;
    char c = ct[sizeof(want) - 1];
    return c == '\0' || c == ';' || c == ' ';
}

struct framing {
    int content_length, transfer_encoding;
};

static enum MHD_Result count_framing(void *cls, enum MHD_ValueKind kind, const char *key,
                                     const char *value)
{
    struct framing *f = cls;
    f->content_length += strcasecmp(key, MHD_HTTP_HEADER_CONTENT_LENGTH) == 0;
    f->transfer_encoding += strcasecmp(key, MHD_HTTP_HEADER_TRANSFER_ENCODING) == 0;
    return MHD_YES;
}

/* Refuses ambiguous message framing (RFC 9112 6.3: what request smuggling is made of): more
 * than one Content-Length, or Content-Length beside Transfer-Encoding. True when fine. */
static bool framing_ok(struct req *r, enum MHD_Result *ret)
{
    struct framing f = {0};
    MHD_get_connection_values(r->conn, MHD_HEADER_KIND, count_framing, &f);
    if (f.content_length <= 1 && f.transfer_encoding <= 1 &&
        !(f.content_length && f.transfer_encoding))
        return true;
    *ret = reply_error(r, MHD_HTTP_BAD_REQUEST,
                       f.content_length > 1 ? "Content-Length: given more than once"
                       : f.transfer_encoding > 1
                           ? "Transfer-Encoding: given more than once"
                           : "Content-Length: not allowed with Transfer-Encoding");
    return false;
}

static const struct sockaddr *client_addr(struct req *r)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    return ci ? ci->client_addr : NULL;
}

/* The token check of a route that needs one, with failed sign-ins counted per address and
 * throttled (429) past a limit; a valid token is never throttled. True when r->role is set. */
static bool authenticate(struct req *r, enum MHD_Result *ret)
{
    const char *h =
        MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
    const struct sockaddr *addr = client_addr(r);
    int retry = 0;
    bool throttled = h && guard_auth_throttled(r->h->guard, addr, &retry);
    r->role = auth_check(r->h->auth, h, !throttled, &r->who);
    if (r->role != ROLE_NONE)
        return true;
    if (h)
        guard_auth_failed(r->h->guard, addr);
    if (throttled) {
        r->retry_after = retry > 0 ? retry : 1;
        *ret = reply_error(r, MHD_HTTP_TOO_MANY_REQUESTS,
                           "too many failed sign-ins from this address; wait and retry");
    } else {
        *ret = reply_error(r, MHD_HTTP_UNAUTHORIZED, "a valid bearer token is required");
    }
    return false;
}

/* Binds r to the hub it acts for: the token's (a county manager's token names one with
 * ?hub=ID); a public route serves the main hub, or the one ?hub=ID names. */
static bool bind_hub(struct req *r, enum MHD_Result *ret)
{
    const char *hub = r->route->roles ? r->who.hub : "";
    if (!r->route->roles || !strcmp(hub, STORE_HUB_ALL)) {
        const char *q = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, "hub");
        if (q && *q)
            hub = q;
        else if ((r->route->flags & ROUTE_ALL_HUBS_OK) && report_by_hub(req_arg(r, "by")))
            hub = ""; /* the county's report by hub: every hub, walked by the handler */
        else if (r->route->roles) {
            *ret = reply_error(r, MHD_HTTP_BAD_REQUEST,
                               "a county token acts for one hub at a time: add ?hub=ID");
            return false;
        }
    }
    if (hub[0] && !ident_valid(hub)) {
        *ret = reply_error(r, MHD_HTTP_BAD_REQUEST, "hub: not a hub id");
        return false;
    }
    r->hub = hubd_hub(r->h, hub);
    if (!r->hub) {
        *ret = r->route->roles ? reply_error(r, MHD_HTTP_FORBIDDEN, "this token's hub is not here")
                               : reply_error(r, MHD_HTTP_NOT_FOUND, "no such hub");
        return false;
    }
    return true;
}

/* Checks done once the headers are in: framing, route, method, role, content type, declared
 * size. Returns true when the request may go on; otherwise a reply has been queued in *ret. */
static bool admit(struct req *r, const char *url, enum MHD_Result *ret)
{
    bool path_known;
    if (!framing_ok(r, ret))
        return false;
    r->route = route_find(url, r->method, r->param, sizeof(r->param), r->allow, sizeof(r->allow),
                          &path_known);
    if (!r->route) {
        if (!path_known && r->h->web_root && strncmp(url, "/api/", 5) != 0 &&
            (strcmp(r->method, "GET") == 0 || strcmp(r->method, "HEAD") == 0)) {
            *ret = web_serve(r, url);
            return false;
        }
        *ret = path_known ? reply_error(r, MHD_HTTP_METHOD_NOT_ALLOWED, "method not allowed")
                          : reply_error(r, MHD_HTTP_NOT_FOUND, "not found");
        return false;
    }
    if (r->route->roles) {
        if (!authenticate(r, ret))
            return false;
        if (!(r->role & (r->route->roles | ROLE_ADMIN))) {
            *ret = reply_error(r, MHD_HTTP_FORBIDDEN, "this token's role may not do that");
            return false;
        }
    }
    if (!bind_hub(r, ret))
        return false;
    const char *ct =
        MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
    r->json_type = is_json_type(ct);
    if (r->route->body != BODY_NONE && !r->json_type && (r->route->body == BODY_REQUIRED || ct)) {
        *ret = reply_error(r, MHD_HTTP_UNSUPPORTED_MEDIA_TYPE,
                           "Content-Type must be application/json");
        return false;
    }
    const char *cl =
        MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    if (cl) {
        char *end;
        long long n = strtoll(cl, &end, 10);
        if (end == cl || n > BODY_MAX) {
            *ret = reply_error(r, MHD_HTTP_CONTENT_TOO_LARGE, "body too large (max 64 KB)");
            return false;
        }
    }
    return true;
}

static void body_append(struct req *r, const char *data, size_t n)
{
    r->seen += n;
    if (r->too_big || r->len + n > BODY_MAX) {
        r->too_big = true;
        return;
    }
    if (r->len + n + 1 > r->cap) {
        size_t ncap = r->cap ? r->cap : 1024;
        while (ncap < r->len + n + 1)
            ncap *= 2;
        if (ncap > BODY_MAX + 1)
            ncap = BODY_MAX + 1;
        char *b = realloc(r->body, ncap);
        if (!b) {
            r->too_big = true;
            return;
        }
        r->body = b;
        r->cap = ncap;
    }
    memcpy(r->body + r->len, data, n);
    r->len += n;
    r->body[r->len] = '\0';
}

static enum MHD_Result dispatch(struct req *r)
{
    guard_request_answering(r->h->guard, r->gc);
    if (r->too_big)
        return reply_error(r, MHD_HTTP_CONTENT_TOO_LARGE, "body too large (max 64 KB)");
    if (r->route->body == BODY_NONE && r->len > 0)
        return reply_error(r, MHD_HTTP_BAD_REQUEST, "body: not expected here");
    if (r->len > 0 && !r->json_type)
        return reply_error(r, MHD_HTTP_UNSUPPORTED_MEDIA_TYPE,
                           "Content-Type must be application/json");
    if (!(r->route->flags & ROUTE_NOT_SEEN))
        api_kiosk_seen(r);
    return r->route->fn(r);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    struct req *r = *con_cls;
    if (!r) {
        enum MHD_Result ret;
        r = calloc(1, sizeof(*r));
        if (!r)
            return MHD_NO;
        r->h = cls;
        r->conn = conn;
        r->method = method;
        const union MHD_ConnectionInfo *ci =
            MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
        r->gc = ci ? ci->socket_context : NULL;
        *con_cls = r;
        if (!admit(r, url, &ret)) {
            guard_request_answering(r->h->guard, r->gc);
            return ret;
        }
        guard_request_headers(r->h->guard, r->gc, r->role != ROLE_NONE);
        /* Answer on the next call, once any body is in: a reply queued now would make
         * libmicrohttpd close the connection instead of keeping it alive. */
        return MHD_YES;
    }
    if (*upload_data_size > 0) {
        body_append(r, upload_data, *upload_data_size);
        *upload_data_size = 0;
        /* libmicrohttpd 0.9.75 cannot answer in the middle of an upload: past the slack,
         * close rather than read an endless body to its end */
        return r->seen > (size_t)BODY_MAX + BODY_DISCARD_MAX ? MHD_NO : MHD_YES;
    }
    return dispatch(r);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    struct req *r = *con_cls;
    if (!r)
        return;
    guard_request_done(r->h->guard, r->gc);
    api_req_release(r);
    free(r->body);
    free(r);
    *con_cls = NULL;
}

static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
    struct hubd *h = cls;
    if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
        guard_conn_closed(h->guard, *socket_context);
        *socket_context = NULL;
        return;
    }
    const union MHD_ConnectionInfo *fd =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
    const union MHD_ConnectionInfo *addr =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    *socket_context =
        fd ? guard_conn_started(h->guard, fd->connect_fd, addr ? addr->client_addr : NULL) : NULL;
}

static enum MHD_Result on_accept(void *cls, const struct sockaddr *addr, socklen_t len)
{
    struct hubd *h = cls;
    return guard_accept(h->guard, addr, len) ? MHD_YES : MHD_NO;
}

int http_bind_parse(const char *s, struct sockaddr_storage *out, socklen_t *len)
{
    struct sockaddr_in *v4 = (struct sockaddr_in *)out;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)out;
    memset(out, 0, sizeof(*out));
    if (inet_pton(AF_INET, s, &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        *len = sizeof(*v4);
        return 0;
    }
    if (inet_pton(AF_INET6, s, &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        *len = sizeof(*v6);
        return 0;
    }
    return -1;
}

int http_start(struct hubd *h, const struct http_opts *o)
{
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    unsigned threads = cores < 1 ? 1 : cores > 64 ? 64 : (unsigned)cores;
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME;
    struct sockaddr_storage sa = o->bind;
    char where[INET6_ADDRSTRLEN + 2];
    bool v6 = sa.ss_family == AF_INET6;
    if (v6) {
        flags |= MHD_USE_IPv6;
        ((struct sockaddr_in6 *)&sa)->sin6_port = htons((uint16_t)o->port);
        inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&sa)->sin6_addr, where, sizeof(where));
    } else {
        ((struct sockaddr_in *)&sa)->sin_port = htons((uint16_t)o->port);
        inet_ntop(AF_INET, &((struct sockaddr_in *)&sa)->sin_addr, where, sizeof(where));
    }
    if (o->tls_cert) {
        if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES) {
            fprintf(stderr, "hubd: this libmicrohttpd was built without TLS; cannot serve HTTPS\n");
            return -1;
        }
        flags |= MHD_USE_TLS;
    }
    struct MHD_OptionItem tls[] = {
        {MHD_OPTION_HTTPS_PRIORITIES, 0, (void *)"NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2"},
        {MHD_OPTION_HTTPS_MEM_KEY, 0, (void *)o->tls_key},
        {MHD_OPTION_HTTPS_MEM_CERT, 0, (void *)o->tls_cert},
        {MHD_OPTION_END, 0, NULL},
    };
    h->daemon = MHD_start_daemon(
        flags, (uint16_t)o->port, on_accept, h, on_request, h, MHD_OPTION_SOCK_ADDR,
        (struct sockaddr *)&sa, MHD_OPTION_THREAD_POOL_SIZE, threads,
        /* headers and read buffer per connection; bodies are copied out as they arrive */
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(32 * 1024),
        /* idle connections (a client that reads no answer, too) go after this many seconds;
         * the guard cuts a request that is not whole within its absolute deadline */
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)(GUARD_DEADLINE_MS / 1000),
        /* per-address and pending caps are the guard's (it drops the oldest pending one
         * rather than refusing the newest, so a kiosk behind a busy address gets in); the
         * total, split among the threads, stays well above the pending cap */
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)(4 * GUARD_PENDING), MHD_OPTION_LISTEN_BACKLOG_SIZE,
        (unsigned)1024, MHD_OPTION_NOTIFY_COMPLETED, on_completed, h, MHD_OPTION_NOTIFY_CONNECTION,
        on_connection, h, MHD_OPTION_ARRAY, o->tls_cert ? tls : &tls[3], MHD_OPTION_END);
    if (!h->daemon) {
        fprintf(stderr, "hubd: cannot listen on %s%s%s port %u%s\n", v6 ? "[" : "", where,
                v6 ? "]" : "", o->port, o->tls_cert ? " with this certificate and key" : "");
        return -1;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(h->daemon, MHD_DAEMON_INFO_BIND_PORT);
    return info ? (int)info->port : (int)o->port;
}

void http_stop(struct hubd *h)
{
    if (h->daemon)
        MHD_stop_daemon(h->daemon);
    h->daemon = NULL;
}
