/* client.c — process and HTTP helpers for the hubd integration tests. */
#include "client.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <libpq-fe.h>
#include <poll.h>
#include <signal.h>
#include <netinet/in.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

const char *hubd_bin(void)
{
    const char *b = getenv("HUBD_BIN");
    return b && *b ? b : "build/hubd";
}

const char *fixture(const char *name)
{
    static char buf[512];
    const char *d = getenv("HUBD_FIXTURES");
    snprintf(buf, sizeof(buf), "%s/%s", d && *d ? d : "tests/hubd/fixtures", name);
    return buf;
}

bool server_pg(void)
{
    const char *u = getenv("HUBD_TEST_PG");
    return u && *u;
}

/* Runs one command on the PostgreSQL database named by url. 0 or -1 (printed). */
static int pg_command(const char *url, const char *sql)
{
    PGconn *c = PQconnectdb(url);
    int rc = -1;
    if (PQstatus(c) == CONNECTION_OK) {
        PGresult *r = PQexec(c, sql);
        rc = PQresultStatus(r) == PGRES_COMMAND_OK ? 0 : -1;
        if (rc < 0)
            fprintf(stderr, "test database: %s", PQresultErrorMessage(r));
        PQclear(r);
    } else {
        fprintf(stderr, "test database: %s", PQerrorMessage(c));
    }
    PQfinish(c);
    return rc;
}

/* A fresh database on the test server of HUBD_TEST_PG: its URL into s->db. */
static int pg_init(struct server *s)
{
    const char *base = getenv("HUBD_TEST_PG");
    const char *slash = strrchr(base, '/');
    uint8_t raw[6];
    char sql[96];
    if (!slash || getrandom(raw, sizeof(raw), 0) != (ssize_t)sizeof(raw))
        return -1;
    snprintf(s->pg_name, sizeof(s->pg_name), "hubt_%02x%02x%02x%02x%02x%02x", raw[0], raw[1],
             raw[2], raw[3], raw[4], raw[5]);
    snprintf(sql, sizeof(sql), "CREATE DATABASE %s", s->pg_name);
    if (pg_command(base, sql) < 0)
        return -1;
    snprintf(s->db, sizeof(s->db), "%.*s/%s", (int)(slash - base), base, s->pg_name);
    return 0;
}

int server_init(struct server *s)
{
    memset(s, 0, sizeof(*s));
    snprintf(s->dir, sizeof(s->dir), "%s/hubd-test-XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(s->dir))
        return -1;
    if (server_pg())
        return pg_init(s);
    snprintf(s->db, sizeof(s->db), "%s/db/hub.db", s->dir);
    return 0;
}

/* Reads one line from fd within timeout_ms into buf. Returns its length or -1. */
static int read_line(int fd, char *buf, size_t cap, int timeout_ms)
{
    size_t n = 0;
    while (n + 1 < cap) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        if (poll(&p, 1, timeout_ms) <= 0)
            return -1;
        ssize_t k = read(fd, buf + n, 1);
        if (k <= 0)
            return -1;
        if (buf[n] == '\n')
            break;
        n++;
    }
    buf[n] = '\0';
    return (int)n;
}

int server_start(struct server *s, const char *const *args)
{
    const char *argv[32];
    int fds[2], n = 0;
    argv[n++] = hubd_bin();
    argv[n++] = "--db";
    argv[n++] = s->db;
    argv[n++] = "--port";
    argv[n++] = "0";
    for (int i = 0; args && args[i] && n < 31; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    if (pipe(fds) < 0)
        return -1;
    s->pid = fork();
    if (s->pid < 0)
        return -1;
    if (s->pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL); /* no stray server if the tests die */
        if (s->log[0]) {
            int lfd = open(s->log, O_WRONLY | O_CREAT | O_APPEND, 0600);
            if (lfd >= 0)
                dup2(lfd, 2);
        }
        dup2(fds[1], 1);
        close(fds[0]);
        close(fds[1]);
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    close(fds[1]);
    char line[128];
    int rc = read_line(fds[0], line, sizeof(line), 60000);
    close(fds[0]);
    if (rc < 0 || sscanf(line, "hubd listening on %d", &s->port) != 1) {
        server_kill(s);
        return -1;
    }
    return 0;
}

int server_stop(struct server *s)
{
    int st;
    if (s->pid <= 0)
        return -1;
    kill(s->pid, SIGTERM);
    pid_t w = waitpid(s->pid, &st, 0);
    s->pid = 0;
    return w > 0 && WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

void server_kill(struct server *s)
{
    if (s->pid > 0) {
        kill(s->pid, SIGKILL);
        waitpid(s->pid, NULL, 0);
    }
    s->pid = 0;
}

void server_cleanup(struct server *s)
{
    char cmd[600];
    if (s->pg_name[0]) {
        snprintf(cmd, sizeof(cmd), "DROP DATABASE IF EXISTS %s WITH (FORCE)", s->pg_name);
        pg_command(getenv("HUBD_TEST_PG"), cmd);
        s->pg_name[0] = '\0';
    }
    if (s->dir[0] && strstr(s->dir, "hubd-test-")) {
        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", s->dir);
        if (system(cmd) != 0)
            fprintf(stderr, "cleanup of %s failed\n", s->dir);
    }
}

/* Drains fd into buf (cap bytes, NUL-terminated). */
static void drain(int fd, char *buf, size_t cap)
{
    size_t n = 0;
    ssize_t k;
    char sink[256];
    while ((k = read(fd, n + 1 < cap ? buf + n : sink, n + 1 < cap ? cap - 1 - n : sizeof(sink))) >
           0)
        if (n + 1 < cap)
            n += (size_t)k;
    if (cap)
        buf[n] = '\0';
}

int run_hubd(const char *const *args, char *out, size_t ocap, char *err, size_t ecap)
{
    const char *argv[32];
    int po[2], pe[2], n = 0, st;
    argv[n++] = hubd_bin();
    for (int i = 0; args[i] && n < 31; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    if (pipe(po) < 0 || pipe(pe) < 0)
        return -1;
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        dup2(po[1], 1);
        dup2(pe[1], 2);
        close(po[0]);
        close(pe[0]);
        close(po[1]);
        close(pe[1]);
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    close(po[1]);
    close(pe[1]);
    drain(po[0], out, ocap);
    drain(pe[0], err, ecap);
    close(po[0]);
    close(pe[0]);
    if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st))
        return -1;
    return WEXITSTATUS(st);
}

int make_token(const struct server *s, const char *role, const char *name, char *out)
{
    char buf[256], err[256];
    const char *args[] = {"--db", s->db, "token", role, name, NULL};
    if (run_hubd(args, buf, sizeof(buf), err, sizeof(err)) != 0 || strlen(buf) < 65)
        return -1;
    memcpy(out, buf, 64);
    out[64] = '\0';
    return 0;
}

int make_worker_token(const struct server *s, const char *seed, const char *name,
                      const char *worker, char *out)
{
    char buf[256], err[256];
    const char *args[] = {"--db",   s->db, "--seed",   seed,   "token",
                          "worker", name,  "--worker", worker, NULL};
    if (run_hubd(args, buf, sizeof(buf), err, sizeof(err)) != 0 || strlen(buf) < 65)
        return -1;
    memcpy(out, buf, 64);
    out[64] = '\0';
    return 0;
}

static size_t on_body(char *data, size_t size, size_t n, void *ctx)
{
    struct resp *r = ctx;
    size_t k = size * n;
    char *b = realloc(r->body, r->len + k + 1);
    if (!b)
        return 0;
    memcpy(b + r->len, data, k);
    r->body = b;
    r->len += k;
    b[r->len] = '\0';
    return k;
}

static size_t on_header(char *data, size_t size, size_t n, void *ctx)
{
    struct resp *r = ctx;
    size_t k = size * n, used = strlen(r->headers);
    if (used + k + 1 < sizeof(r->headers)) {
        memcpy(r->headers + used, data, k);
        r->headers[used + k] = '\0';
    }
    return k;
}

int http(const struct server *s, const char *method, const char *path, const char *token,
         const char *ctype, const char *body, size_t body_len, const char *extra, struct resp *r)
{
    char url[2048], auth[128], ct[128];
    struct curl_slist *h = NULL;
    memset(r, 0, sizeof(*r));
    r->body = calloc(1, 1);
    CURL *c = curl_easy_init();
    if (!c || !r->body)
        return -1;
    snprintf(url, sizeof(url), "%s://127.0.0.1:%d%s", s->ca[0] ? "https" : "http", s->port, path);
    curl_easy_setopt(c, CURLOPT_URL, url);
    if (s->ca[0])
        curl_easy_setopt(c, CURLOPT_CAINFO, s->ca);
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L);
    curl_easy_setopt(c, CURLOPT_PATH_AS_IS, 1L);
    if (strcmp(method, "HEAD") == 0)
        curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
    if (token) {
        snprintf(auth, sizeof(auth), "Authorization: Bearer %s", token);
        h = curl_slist_append(h, auth);
    }
    if (ctype) {
        snprintf(ct, sizeof(ct), "Content-Type: %s", ctype);
        h = curl_slist_append(h, ct);
    } else {
        h = curl_slist_append(h, "Content-Type:");
    }
    h = curl_slist_append(h, "Expect:");
    if (extra)
        h = curl_slist_append(h, extra);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    if (body) {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)body_len);
    }
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, r);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, r);
    CURLcode rc = curl_easy_perform(c);
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->status);
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
    if (rc != CURLE_OK) {
        fprintf(stderr, "curl %s %s: %s\n", method, path, curl_easy_strerror(rc));
        resp_free(r);
        return -1;
    }
    return 0;
}

long http_status(const struct server *s, const char *method, const char *path, const char *token,
                 const char *ctype, const char *body)
{
    struct resp r;
    if (http(s, method, path, token, ctype, body, body ? strlen(body) : 0, NULL, &r) < 0)
        return -1;
    long st = r.status;
    resp_free(&r);
    return st;
}

void resp_free(struct resp *r)
{
    free(r->body);
    r->body = NULL;
}

cJSON *resp_json(const struct resp *r)
{
    return r->body ? cJSON_Parse(r->body) : NULL;
}

const char *resp_header(const struct resp *r, const char *name, char *out, size_t cap)
{
    size_t n = strlen(name);
    for (const char *p = r->headers; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
        if (strncasecmp(p, name, n) == 0 && p[n] == ':') {
            const char *v = p + n + 1;
            while (*v == ' ')
                v++;
            size_t len = strcspn(v, "\r\n");
            if (len >= cap)
                len = cap - 1;
            memcpy(out, v, len);
            out[len] = '\0';
            return out;
        }
    }
    return NULL;
}

int raw_connect(int port, const char *src, int timeout_ms)
{
    return raw_connect_to("127.0.0.1", port, src, timeout_ms);
}

int raw_connect_to(const char *dst, int port, const char *src, int timeout_ms)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    struct timeval tv = {.tv_sec = timeout_ms / 1000, .tv_usec = (timeout_ms % 1000) * 1000};
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    if (src) {
        struct sockaddr_in b = {.sin_family = AF_INET};
        if (inet_pton(AF_INET, src, &b.sin_addr) != 1 ||
            bind(fd, (struct sockaddr *)&b, sizeof(b)) < 0) {
            close(fd);
            return -1;
        }
    }
    if (inet_pton(AF_INET, dst, &a.sin_addr) != 1) {
        close(fd);
        return -1;
    }
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
    if (connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
        close(fd);
        return -1;
    }
    return fd;
}

char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    size_t cap = 1 << 16, n = 0;
    char *buf = f ? malloc(cap + 1) : NULL;
    size_t k;
    while (buf && (k = fread(buf + n, 1, cap - n, f)) > 0) {
        n += k;
        if (n == cap && cap < (64u << 20)) {
            char *b = realloc(buf, cap * 2 + 1);
            if (!b) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = b;
            cap *= 2;
        } else if (n == cap) {
            break;
        }
    }
    if (f)
        fclose(f);
    if (buf) {
        buf[n] = '\0';
        *len = n;
    }
    return buf;
}

long long steady_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void uuid4(char *out)
{
    unsigned char b[16];
    if (getrandom(b, sizeof(b), 0) != (ssize_t)sizeof(b))
        abort();
    b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
    b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
    snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0],
             b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13],
             b[14], b[15]);
}

char *checkin_body(const char *id, const char *worker, const char *domain, bool urgent,
                   const char *name, const char *text, bool consent)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "id", id);
    cJSON_AddStringToObject(o, "created_at", "2025-03-03T10:15:00Z");
    cJSON_AddStringToObject(o, "lang", "en");
    cJSON *needs = cJSON_AddArrayToObject(o, "needs");
    cJSON *doms = cJSON_AddArrayToObject(o, "domains");
    if (domain) {
        const char *need = !strcmp(domain, "housing")    ? "rent_arrears"
                           : !strcmp(domain, "benefits") ? "debt"
                                                         : "mental_health";
        cJSON_AddItemToArray(needs, cJSON_CreateString(need));
        cJSON_AddItemToArray(doms, cJSON_CreateString(domain));
    }
    cJSON_AddBoolToObject(o, "urgent", urgent);
    if (worker)
        cJSON_AddStringToObject(o, "worker_id", worker);
    else
        cJSON_AddNullToObject(o, "worker_id");
    cJSON_AddStringToObject(o, "chosen_by", "router");
    if (name)
        cJSON_AddStringToObject(o, "name", name);
    if (text)
        cJSON_AddStringToObject(o, "text", text);
    cJSON_AddBoolToObject(o, "consent", consent);
    char *s = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return s;
}

/* One statement on PostgreSQL with up to two text parameters: the first column of the
 * first row as a number, or the rows changed (changes true). -1 on failure. */
static long pg_long(const char *url, const char *sql, const char *p1, const char *p2, bool changes)
{
    const char *v[2] = {p1, p2};
    long n = -1;
    PGconn *c = PQconnectdb(url);
    if (PQstatus(c) == CONNECTION_OK) {
        PGresult *r = PQexecParams(c, sql, p2 ? 2 : p1 ? 1 : 0, NULL, v, NULL, NULL, 0);
        if (changes && PQresultStatus(r) == PGRES_COMMAND_OK)
            n = strtol(PQcmdTuples(r), NULL, 10);
        else if (!changes && PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) > 0) {
            const char *v0 = PQgetvalue(r, 0, 0); /* a boolean is t or f */
            n = !strcmp(v0, "t") ? 1 : !strcmp(v0, "f") ? 0 : strtol(v0, NULL, 10);
        }
        PQclear(r);
    }
    PQfinish(c);
    return n;
}

static bool is_pg(const char *db)
{
    return strncmp(db, "postgresql://", 13) == 0;
}

int server_db_from_dump(struct server *s, const char *name)
{
    char dir[300];
    size_t len;
    sqlite3 *db = NULL;
    int rc = -1;
    snprintf(dir, sizeof(dir), "%s/db", s->dir); /* where hubd would make its database */
    if (mkdir(dir, 0700) != 0 && errno != EEXIST)
        return -1;
    char *dump = slurp(fixture(name), &len);
    if (!dump)
        return -1;
    if (sqlite3_open(s->db, &db) == SQLITE_OK &&
        sqlite3_exec(db, dump, NULL, NULL, NULL) == SQLITE_OK &&
        sqlite3_exec(db,
                     "UPDATE checkins SET received_at ="
                     " CAST(strftime('%s', 'now') AS INTEGER) * 1000",
                     NULL, NULL, NULL) == SQLITE_OK)
        rc = 0;
    sqlite3_close(db);
    free(dump);
    return rc;
}

long db_long(const char *path, const char *sql)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    long n = -1;
    if (is_pg(path))
        return pg_long(path, sql, NULL, NULL, false);
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        sqlite3_close(db);
        return -1;
    }
    sqlite3_busy_timeout(db, 5000);
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

long db_change(const char *path, const char *sql, const char *p1, const char *p2)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    long n = -1;
    if (is_pg(path))
        return pg_long(path, sql, p1, p2, true);
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
        sqlite3_close(db);
        return -1;
    }
    sqlite3_busy_timeout(db, 5000);
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
        if (p1)
            sqlite3_bind_text(st, 1, p1, -1, SQLITE_STATIC);
        if (p2)
            sqlite3_bind_text(st, 2, p2, -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_DONE)
            n = sqlite3_changes(db);
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

int db_received_as_created(const char *path, const char *id)
{
    long a =
        db_change(path, "UPDATE checkins SET received_at = created_at WHERE id = $1", id, NULL);
    long b = db_change(path,
                       "UPDATE events SET at = (SELECT created_at FROM checkins WHERE id = $1)"
                       " WHERE checkin_id = $1 AND kind = 'arrived'",
                       id, NULL);
    return a == 1 && b == 1 ? 0 : -1;
}
