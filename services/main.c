/* main.c — hubd's entry point: flags, the `token` commands (make, list, revoke), first-start
 * seeding, the retention purge thread, and a clean stop on SIGTERM. */
#include "api.h"
#include "auth.h"
#include "commit.h"
#include "dircache.h"
#include "events.h"
#include "events_pg.h"
#include "events_store.h"
#include "guard.h"
#include "http.h"
#include "jsondoc.h"
#include "proto/buf.h"
#include "proto/paths.h"
#include "proto/taxonomy.h"
#include "proto/valid.h"
#include "store.h"
#ifdef HUBD_STORE_FAULTS
#include "store_fault.h" /* tests/hubd: the failing store double of the fault tests' build */
#endif

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

#define SEED_MAX LIMIT_DIR_FILE_BYTES
#define PEM_MAX  (256 * 1024) /* bytes of a certificate chain or key file */

enum token_cmd { TOKEN_NONE, TOKEN_MAKE, TOKEN_LIST, TOKEN_REVOKE };

#define SEEDS_MAX 256 /* --seed files at most */

struct options {
    long port;
    const char *db, *web, *bind, *tls_cert, *tls_key;
    const char *seeds[SEEDS_MAX]; /* --seed, in order */
    size_t n_seeds;
    long retention_s;
    long max_streams;
    enum token_cmd token;
    const char *token_role, *token_name, *token_worker, *token_hub, *token_code;
};

static const char USAGE[] =
    "usage: hubd [--port N] [--bind ADDR] [--tls-cert FILE --tls-key FILE] [--db PATH]\n"
    "            [--seed FILE] [--web DIR] [--retention-days N] [--max-streams N]\n"
    "       hubd [--db PATH] [--seed FILE] token ROLE NAME [--worker ID] [--hub ID|all]\n"
    "                                        [--code CODE]\n"
    "       hubd [--db PATH] token list\n"
    "       hubd [--db PATH] token revoke NAME\n"
    "\n"
    "The hub's REST backend (DESIGN.md, /api/v1).\n"
    "  --port N              port to listen on (default 8080; 0 picks a free one)\n"
    "  --bind ADDR           address to listen on (default 127.0.0.1, this machine only;\n"
    "                        0.0.0.0 or the hub network's own address to serve kiosks)\n"
    "  --tls-cert FILE       serve HTTPS with this PEM certificate (chain) ...\n"
    "  --tls-key FILE        ... and this PEM private key (keep it mode 0600)\n"
    "  --db PATH|URL         SQLite database (default data/hub.db; its folder is created),\n"
    "                        or a postgresql://USER:PASSWORD@HOST:PORT/DB URL: PostgreSQL,\n"
    "                        which several hubd (and hubs) can share\n"
    "  --seed FILE           hub directory JSON loaded when its hub is not in the db yet;\n"
    "                        repeatable: one database (PostgreSQL) can hold many hubs\n"
    "  --web DIR             serve the staff console's static files from DIR at /\n"
    "  --retention-days N    keep residents' names and words N days (default 30), then erase\n"
    "  --retention-seconds N the same in seconds, for tests (purge runs every second)\n"
    "  --max-streams N       live board streams (GET /api/v1/events) open at once (default\n"
    "                        256); one more is answered 503\n"
    "  --help                this text\n"
    "  token ROLE NAME       print a new bearer token for ROLE (kiosk, reception, worker,\n"
    "                        manager, admin) named NAME; only its SHA-256 is stored\n"
    "    --worker ID         (worker tokens) the worker in the hub directory this token\n"
    "                        belongs to: it sees only their waiting list and changes only\n"
    "                        their status and desk. A worker token without it may do\n"
    "                        neither. With --seed, a new database gets its hub first.\n"
    "    --hub ID|all        the hub the token belongs to (required when the database\n"
    "                        holds several); all: a county manager's, for every hub\n"
    "    --code CODE         (kiosk tokens) the kiosk's code in its residents' tickets\n"
    "                        (the A of H-A07), 1-2 capital letters; by default the first\n"
    "                        letter no kiosk token has. The token starts with it: A-...\n"
    "  token list            every token's name, role, worker and creation time (never\n"
    "                        the tokens themselves: only their hashes are stored)\n"
    "  token revoke NAME     deletes every token named NAME; a running hubd refuses them\n"
    "                        within a second, without a restart\n"
    "Prints \"hubd listening on PORT\" once ready; SIGTERM stops it cleanly.\n";

static int bad_args(const char *what, const char *arg)
{
    fprintf(stderr, "hubd: %s%s%s (see hubd --help)\n", what, arg ? ": " : "", arg ? arg : "");
    return -1;
}

static int parse_long(const char *s, long lo, long hi, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

/* Parses argv into o; returns 0, 1 for --help, -1 after printing one line on stderr. */
static int parse_args(int argc, char **argv, struct options *o)
{
    *o = (struct options){.port = 8080,
                          .db = "data/hub.db",
                          .retention_s = 30L * 86400,
                          .max_streams = EVENTS_STREAMS_MAX};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        long n;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0)
            return 1;
        if (strcmp(a, "token") == 0) {
            if (argc - i == 2 && strcmp(argv[i + 1], "list") == 0) {
                o->token = TOKEN_LIST;
                return 0;
            }
            if (i + 1 < argc && strcmp(argv[i + 1], "revoke") == 0) {
                if (argc - i != 3 || !*argv[i + 2])
                    return bad_args("token revoke needs the NAME of the token(s)", NULL);
                o->token = TOKEN_REVOKE;
                o->token_name = argv[i + 2];
                return 0;
            }
            if (argc - i < 3 || (argc - i - 3) % 2 != 0)
                return bad_args("token needs ROLE and NAME, then optionally --worker ID, "
                                "--hub ID|all and --code CODE (or: token list, token revoke NAME)",
                                NULL);
            o->token = TOKEN_MAKE;
            o->token_role = argv[i + 1];
            o->token_name = argv[i + 2];
            for (int k = i + 3; k + 1 < argc; k += 2) {
                const char **to = !strcmp(argv[k], "--worker") ? &o->token_worker
                                  : !strcmp(argv[k], "--hub")  ? &o->token_hub
                                  : !strcmp(argv[k], "--code") ? &o->token_code
                                                               : NULL;
                if (!to || *to)
                    return bad_args("token: unknown or repeated option", argv[k]);
                *to = argv[k + 1];
            }
            return 0;
        }
        bool takes = !strcmp(a, "--port") || !strcmp(a, "--db") || !strcmp(a, "--seed") ||
                     !strcmp(a, "--web") || !strcmp(a, "--retention-days") ||
                     !strcmp(a, "--retention-seconds") || !strcmp(a, "--bind") ||
                     !strcmp(a, "--tls-cert") || !strcmp(a, "--tls-key") ||
                     !strcmp(a, "--max-streams");
        if (!takes)
            return bad_args("unknown argument", a);
        if (!v || !*v)
            return bad_args("missing value for", a);
        i++;
        if (!strcmp(a, "--port") && parse_long(v, 0, 65535, &o->port) < 0)
            return bad_args("--port must be 0-65535", v);
        if (!strcmp(a, "--retention-days")) {
            if (parse_long(v, 1, 3650, &n) < 0)
                return bad_args("--retention-days must be 1-3650", v);
            o->retention_s = n * 86400;
        }
        if (!strcmp(a, "--retention-seconds")) {
            if (parse_long(v, 1, 3650L * 86400, &n) < 0)
                return bad_args("--retention-seconds must be a positive number", v);
            o->retention_s = n;
        }
        if (!strcmp(a, "--max-streams") && parse_long(v, 1, 4096, &o->max_streams) < 0)
            return bad_args("--max-streams must be 1-4096", v);
        if (!strcmp(a, "--db"))
            o->db = v;
        if (!strcmp(a, "--seed")) {
            if (o->n_seeds == SEEDS_MAX)
                return bad_args("too many --seed files", v);
            o->seeds[o->n_seeds++] = v;
        }
        if (!strcmp(a, "--web"))
            o->web = v;
        if (!strcmp(a, "--bind"))
            o->bind = v;
        if (!strcmp(a, "--tls-cert"))
            o->tls_cert = v;
        if (!strcmp(a, "--tls-key"))
            o->tls_key = v;
    }
    if (!o->tls_cert != !o->tls_key)
        return bad_args(o->tls_cert ? "--tls-cert needs --tls-key (the certificate's private key)"
                                    : "--tls-key needs --tls-cert (the certificate)",
                        NULL);
    return 0;
}

/* Creates the folders leading to path's last component. 0 or -1. */
static int mkdir_parents(const char *path)
{
    char buf[PATH_MAX];
    if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf))
        return -1;
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, 0700) < 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    return 0;
}

/* The whole file at path, NUL-terminated (malloc'd), or NULL when unreadable or over max. */
static char *read_file(const char *path, size_t max, size_t *len)
{
    char err[256];
    return buf_read_file(path, max, len, err, sizeof(err));
}

/* Loads assets/needs.json (found as the kiosk finds it: $HUB_ROOT, the folders above the
 * binary, the current folder) and installs it for the check-in and directory readers. The
 * taxonomy lives until exit. 0, or -1 with one line on stderr. */
static int load_taxonomy(void)
{
    char root[PATH_MAX], path[PATH_MAX + 32], err[256];
    if (paths_find_root("/proc/self/exe", root, sizeof(root)) < 0) {
        fprintf(stderr, "hubd: cannot find assets/needs.json (set HUB_ROOT to the folder "
                        "holding assets/)\n");
        return -1;
    }
    snprintf(path, sizeof(path), "%s/assets/needs.json", root);
    struct taxonomy *t = needs_load(path, err, sizeof(err));
    if (!t) {
        fprintf(stderr, "hubd: %s\n", err);
        return -1;
    }
    needs_install(t);
    return 0;
}

/* Loads the seed on first start; sets TZ to the hub's time zone. 0 or -1 (line printed).
 * quiet: say nothing when the hub exists already (the token command). */
/* Stores the hub of seed file path unless the database has it already. 0 or -1 (printed). */
static int seed_one(struct store *st, const char *path, bool quiet)
{
    struct hdir d, have;
    char err[256];
    size_t len;
    char *json = read_file(path, SEED_MAX, &len);
    if (!json)
        return bad_args("cannot read seed file (missing, unreadable or over 4 MB)", path);
    int rc = hdir_parse(json, len, &d, err, sizeof(err));
    free(json);
    if (rc < 0) {
        fprintf(stderr, "hubd: seed %s: %s\n", path, err);
        return -1;
    }
    struct store *hs = store_for_hub(st, d.hub_id);
    if (!hs || hs->ops->hub_load(hs, &have) != 0) {
        hdir_release(&d);
        return bad_args("cannot read the hub from the database", NULL);
    }
    bool known = have.has_hub;
    hdir_release(&have);
    rc = 0;
    if (known && !quiet)
        fprintf(stderr, "hubd: the database has hub %s already; --seed %s ignored\n",
                d.hub_id ? d.hub_id : "?", path);
    if (!known && hs->ops->hub_seed(hs, &d, hubd_now_ms()) != 0)
        rc = bad_args("cannot store the seed", path);
    hdir_release(&d);
    return rc;
}

/* Loads each seed whose hub is not in the database yet; sets TZ to the (first) hub's time
 * zone. 0 or -1 (line printed). quiet: no notes for token commands. */
static int seed_and_zone(struct store *st, const struct options *o, bool quiet)
{
    struct hdir d;
    for (size_t i = 0; i < o->n_seeds; i++)
        if (seed_one(st, o->seeds[i], quiet) < 0)
            return -1;
    if (st->ops->hub_load(st, &d) != 0)
        return bad_args("cannot read the hub from the database", NULL);
    size_t n = 0;
    if (!d.has_hub && st->ops->hubs)
        st->ops->hubs(st, NULL, 0, &n);
    if (!d.has_hub && n == 0 && !quiet) {
        fprintf(stderr, "hubd: WARNING: the database has no hub: kiosks get no directory of "
                        "workers and every check-in goes to reception; start once with --seed "
                        "FILE (a hub directory)\n");
    }
    if (d.has_hub && d.timezone)
        setenv("TZ", d.timezone, 1);
    tzset();
    hdir_release(&d);
    return 0;
}

struct purger {
    struct store *store;
    int64_t retention_ms, interval_ms;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    bool stop;
    pthread_t thread;
};

/* The retention purge of every hub in the database (of its one hub for SQLite). */
static int purge_all(struct store *st, int64_t before_ms)
{
    static char ids[HUBD_HUBS_MAX][IDENT_MAX + 1];
    size_t n = 0;
    int done, rc = 0;
    if (!st->ops->hubs)
        return st->ops->purge(st, before_ms, &done);
    if (st->ops->hubs(st, ids, HUBD_HUBS_MAX, &n) < 0)
        return -1;
    for (size_t i = 0; i < n && i < HUBD_HUBS_MAX; i++) {
        struct store *hs = store_for_hub(st, ids[i]);
        if (!hs || hs->ops->purge(hs, before_ms, &done) < 0)
            rc = -1;
    }
    return rc;
}

static void *purge_loop(void *arg)
{
    struct purger *p = arg;
    pthread_mutex_lock(&p->lock);
    while (!p->stop) {
        pthread_mutex_unlock(&p->lock);
        if (purge_all(p->store, hubd_now_ms() - p->retention_ms) < 0)
            fprintf(stderr, "hubd: retention purge failed; will retry\n");
        pthread_mutex_lock(&p->lock);
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += p->interval_ms / 1000;
        while (!p->stop && pthread_cond_timedwait(&p->wake, &p->lock, &until) == 0)
            ;
    }
    pthread_mutex_unlock(&p->lock);
    return NULL;
}

/* 0 when worker id is in the hub directory; -1 after printing why not. */
static int worker_known(struct store *st, const char *id)
{
    struct hdir d;
    if (!ident_valid(id))
        return bad_args("--worker must be a worker id (letters, digits, '.', '_', '-')", NULL);
    if (st->ops->hub_load(st, &d) != 0)
        return bad_args("cannot read the hub from the database", NULL);
    int found = d.has_hub ? hdir_find(&d, id) : -1;
    bool has_hub = d.has_hub;
    hdir_release(&d);
    if (!has_hub)
        return bad_args("--worker: the database has no hub yet; add --seed FILE", NULL);
    if (found < 0)
        return bad_args("--worker: no such worker in the hub directory", id);
    return 0;
}

static void print_time(int64_t ms, char *out, size_t cap)
{
    if (ms > 0)
        rfc3339_format(ms, out, cap);
    else
        snprintf(out, cap, "-");
}

static int list_row(const uint8_t hash[SHA256_LEN], const struct token_info *t, void *ctx)
{
    char at[40];
    print_time(t->created_ms, at, sizeof(at));
    printf("%-24s %-10s %-16s %-16s %-5s %s\n", t->name, t->role,
           t->worker_id[0] ? t->worker_id : "-",
           !t->hub[0]                      ? "-"
           : strcmp(t->hub, STORE_HUB_ALL) ? t->hub
                                           : "all",
           t->code[0] ? t->code : "-", at);
    return 0;
}

static int run_token_list(struct store *st)
{
    printf("%-24s %-10s %-16s %-16s %-5s %s\n", "name", "role", "worker", "hub", "code", "created");
    if (st->ops->tokens_load(st, list_row, NULL) != 0) {
        fprintf(stderr, "hubd: cannot read the tokens from the database\n");
        return 1;
    }
    return 0;
}

static int run_token_revoke(struct store *st, const char *name)
{
    int n = 0;
    if (st->ops->token_revoke(st, name, &n) != 0) {
        fprintf(stderr, "hubd: cannot revoke: database error\n");
        return 1;
    }
    if (n == 0) {
        fprintf(stderr, "hubd: no token named '%.64s' (see hubd token list)\n", name);
        return 1;
    }
    printf("revoked %d token%s named %s; a running hubd refuses %s within a second\n", n,
           n == 1 ? "" : "s", name, n == 1 ? "it" : "them");
    return 0;
}

/* The handle a new token is stored through: its --hub's, or the database's one hub. NULL
 * (printed) for an unknown hub, a county token of another role, or a missing --hub. */
static struct store *token_hub(struct store *st, const struct options *o)
{
    const char *hub = o->token_hub;
    size_t n = 0;
    if (hub && !strcmp(hub, "all")) {
        enum role r = role_parse(o->token_role);
        if (r != ROLE_MANAGER && r != ROLE_ADMIN) {
            bad_args("--hub all is for a county manager's (or admin's) token", NULL);
            return NULL;
        }
        if (!st->ops->hub) {
            bad_args("--hub all needs a database of many hubs (PostgreSQL)", NULL);
            return NULL;
        }
        return store_for_hub(st, STORE_HUB_ALL);
    }
    if (!hub) {
        if (st->ops->hubs && st->ops->hubs(st, NULL, 0, &n) == 0 && n > 1) {
            fprintf(stderr, "hubd: the database holds %zu hubs: say which with --hub ID (or all)\n",
                    n);
            return NULL;
        }
        return st;
    }
    struct hdir d;
    struct store *hs = ident_valid(hub) ? store_for_hub(st, hub) : NULL;
    if (!hs || hs->ops->hub_load(hs, &d) != 0) {
        bad_args("--hub: not a hub id, or the database cannot be read", hub);
        return NULL;
    }
    bool known = d.has_hub && d.hub_id && !strcmp(d.hub_id, hub);
    hdir_release(&d);
    if (!known) {
        bad_args("--hub: no such hub in the database (add --seed FILE)", hub);
        return NULL;
    }
    return hs;
}

static int run_token(struct store *st, const struct options *o)
{
    if (o->token == TOKEN_LIST)
        return run_token_list(st);
    if (o->token == TOKEN_REVOKE)
        return run_token_revoke(st, o->token_name);
    char token[AUTH_TOKEN_LEN + 1], err[160];
    if (o->n_seeds && seed_and_zone(st, o, true) < 0)
        return 2;
    if (!(st = token_hub(st, o)))
        return 2;
    if (o->token_worker && role_parse(o->token_role) == ROLE_WORKER &&
        worker_known(st, o->token_worker) < 0)
        return 2;
    if (auth_token_create(st, o->token_role, o->token_name, o->token_worker, o->token_code, token,
                          err, sizeof(err)) < 0) {
        fprintf(stderr, "hubd: %s\n", err);
        return 2;
    }
    if (role_parse(o->token_role) == ROLE_WORKER && !o->token_worker)
        fprintf(stderr, "hubd: note: this worker token belongs to no worker, so it can neither see "
                        "a waiting list nor change a status; add --worker ID for that\n");
    printf("%s\n", token);
    return 0;
}

/* Raises the open-file limit towards the connection limit (2048 connections plus the
 * database), as far as the hard limit allows. */
static void raise_fd_limit(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < 4096) {
        rl.rlim_cur = rl.rlim_max < 4096 ? rl.rlim_max : 4096;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
}

/* Fills the listening options: the bind address and, for HTTPS, the certificate and key
 * (read into memory; *pem holds both, *pem_len bytes: wipe and free it once the daemon has
 * stopped). 0, or -1 after a line on stderr. */
static int listen_opts(const struct options *o, struct http_opts *out, char **pem, size_t *pem_len)
{
    size_t clen, klen;
    struct stat sb;
    *out = (struct http_opts){.port = (unsigned)o->port};
    *pem = NULL;
    if (http_bind_parse(o->bind ? o->bind : "127.0.0.1", &out->bind, &out->bind_len) < 0)
        return bad_args("--bind must be an IPv4 or IPv6 address (0.0.0.0: every one)", o->bind);
    if (!o->tls_cert)
        return 0;
    char *cert = read_file(o->tls_cert, PEM_MAX, &clen);
    char *key = cert ? read_file(o->tls_key, PEM_MAX, &klen) : NULL;
    if (!cert || !key) {
        free(cert);
        return bad_args(cert ? "cannot read --tls-key" : "cannot read --tls-cert",
                        cert ? o->tls_key : o->tls_cert);
    }
    if (!strstr(cert, "-----BEGIN CERTIFICATE-----") || !strstr(key, "PRIVATE KEY-----")) {
        free(cert);
        free(key);
        return bad_args("--tls-cert must be a PEM certificate and --tls-key its PEM private key",
                        NULL);
    }
    if (stat(o->tls_key, &sb) == 0 && (sb.st_mode & 077))
        fprintf(stderr, "hubd: note: %s can be read by other users; chmod 600 it\n", o->tls_key);
    /* one allocation holds both, so one free releases them */
    *pem = malloc(clen + klen + 2);
    *pem_len = clen + klen + 2;
    if (*pem) {
        memcpy(*pem, cert, clen + 1);
        memcpy(*pem + clen + 1, key, klen + 1);
        out->tls_cert = *pem;
        out->tls_key = *pem + clen + 1;
    }
    explicit_bzero(key, klen);
    free(cert);
    free(key);
    return *pem ? 0 : bad_args("out of memory", NULL);
}

/* Serves until SIGTERM or SIGINT; returns the exit status. */
static int serve(struct hubd *h, const struct options *o, const sigset_t *stop_set)
{
    struct purger p = {.store = h->base,
                       .retention_ms = o->retention_s * 1000,
                       .interval_ms = o->retention_s < 3600 ? 1000 : 60000};
    int sig, status = 1;
    pthread_mutex_init(&p.lock, NULL);
    pthread_cond_init(&p.wake, NULL);
    if (pthread_create(&p.thread, NULL, purge_loop, &p) != 0)
        return 1;
    raise_fd_limit();
    struct http_opts ho;
    char *pem = NULL;
    size_t pem_len = 0;
    int port = -1;
    if (listen_opts(o, &ho, &pem, &pem_len) < 0)
        status = 2;
    else
        port = http_start(h, &ho);
    if (port >= 0) {
        printf("hubd listening on %d\n", port);
        fflush(stdout);
        sigwait(stop_set, &sig);
        committer_stop(h->committer); /* every queued check-in is stored and answered */
        h->committer = NULL;
        h->main_hub.committer = NULL;
        for (size_t i = 0; i < h->n_hubs; i++) { /* every hub's too */
            committer_stop(h->hubs[i]->committer);
            h->hubs[i]->committer = NULL;
        }
        events_end_all(h->events); /* live streams end before their connections close */
        http_stop(h);
        status = 0;
    }
    if (pem) {
        explicit_bzero(pem, pem_len);
        free(pem);
    }
    pthread_mutex_lock(&p.lock);
    p.stop = true;
    pthread_cond_signal(&p.wake);
    pthread_mutex_unlock(&p.lock);
    pthread_join(p.thread, NULL);
    pthread_mutex_destroy(&p.lock);
    pthread_cond_destroy(&p.wake);
    return status;
}

/* Builds the documents hubd serves as they are (the taxonomy, the OpenAPI contract) from the assets
 * and locales beside the binary (or under $HUB_ROOT). 0, or -1 after a line on stderr. */
static int load_docs(struct hubd *h)
{
    char root[PATH_MAX], err[256];
    if (paths_find_root("/proc/self/exe", root, sizeof(root)) < 0)
        return bad_args("cannot find assets/needs.json beside the binary; set HUB_ROOT to the "
                        "folder holding assets/ and locales/",
                        NULL);
    if (!(h->taxonomy = taxonomy_doc_load(root, err, sizeof(err)))) {
        fprintf(stderr, "hubd: the taxonomy: %s\n", err);
        return -1;
    }
    if (!(h->openapi = openapi_doc_load(root, err, sizeof(err)))) {
        fprintf(stderr, "hubd: the API document: %s\n", err);
        return -1;
    }
    return 0;
}

/* Copies the database's hub id into out ("" when there is none yet). 0, or -1 (line printed). */
static int hub_id(struct store *st, char *out, size_t cap)
{
    struct hdir d;
    if (st->ops->hub_load(st, &d) != 0)
        return bad_args("cannot read the hub from the database", NULL);
    snprintf(out, cap, "%s", d.has_hub && d.hub_id ? d.hub_id : "");
    hdir_release(&d);
    return 0;
}

static int start(const struct options *o, struct store *st, const sigset_t *stop_set)
{
    struct hubd h = {.store = st};
    struct events_pg *relay = NULL;
    char web_root[PATH_MAX], err[256];
    int status = 1;
    if (o->web) {
        struct stat sb;
        if (!realpath(o->web, web_root) || stat(web_root, &sb) < 0 || !S_ISDIR(sb.st_mode)) {
            bad_args("--web is not a readable folder", o->web);
            return 2;
        }
        h.web_root = web_root;
    }
    if (seed_and_zone(st, o, false) < 0 || load_docs(&h) < 0 ||
        hub_id(st, h.hub_id, sizeof(h.hub_id)) < 0)
        return 2;
    h.events = events_new((unsigned)o->max_streams);
    /* on PostgreSQL every hubd hears every hubd's changes, through LISTEN/NOTIFY */
    if (h.events && store_is_pg_url(o->db) &&
        !(relay = events_pg_start(h.events, o->db, err, sizeof(err))))
        fprintf(stderr, "hubd: live board: cannot LISTEN on the database: %s", err);
    h.store = h.events ? events_store_wrap(st, h.events, h.hub_id) : NULL;
    h.auth = auth_new(st);
    h.dir = dircache_new();
    h.guard = guard_new();
    h.committer = h.store ? committer_start(h.store) : NULL;
    h.base = st;
    pthread_mutex_init(&h.hubs_lock, NULL);
    snprintf(h.main_hub.id, sizeof(h.main_hub.id), "%s", h.hub_id);
    h.main_hub.store = h.store;
    h.main_hub.inner = st;
    h.main_hub.committer = h.committer;
    h.main_hub.dir = h.dir;
    pthread_mutex_init(&h.main_hub.dir_lock, NULL);
    if (!h.auth || !h.dir || !h.guard || !h.committer || dircache_rebuild(h.dir, st) < 0)
        fprintf(stderr, "hubd: cannot start (out of memory or database error)\n");
    else
        status = serve(&h, o, stop_set);
    committer_stop(h.committer);
    hubd_hubs_free(&h);
    pthread_mutex_destroy(&h.hubs_lock);
    pthread_mutex_destroy(&h.main_hub.dir_lock);
    guard_free(h.guard); /* after the daemon: its callbacks use the guard */
    if (h.store)
        h.store->ops->close(h.store); /* the publishing wrapper only */
    events_pg_stop(relay);            /* nothing publishes any more */
    events_free(h.events);
    dircache_free(h.dir);
    jsondoc_free(h.taxonomy);
    jsondoc_free(h.openapi);
    auth_free(h.auth);
    return status;
}

int main(int argc, char **argv)
{
    struct options o;
    char err[512];
    sigset_t stop_set;
    int rc = parse_args(argc, argv, &o);
    if (rc != 0) {
        if (rc > 0)
            fputs(USAGE, stdout);
        return rc > 0 ? 0 : 2;
    }
    umask(077); /* the database, its log and folders: residents' words, for hubd's user only */
    signal(SIGPIPE, SIG_IGN);
    sigemptyset(&stop_set);
    sigaddset(&stop_set, SIGTERM);
    sigaddset(&stop_set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop_set, NULL); /* threads inherit; main waits for them */
    if (load_taxonomy() < 0)
        return 2;
    bool pg = store_is_pg_url(o.db);
    if (!pg && mkdir_parents(o.db) < 0) {
        fprintf(stderr, "hubd: cannot create the folder for %s: %s\n", o.db, strerror(errno));
        return 2;
    }
    struct store *st =
        pg ? store_pg_open(o.db, err, sizeof(err)) : store_sqlite_open(o.db, err, sizeof(err));
    if (!st) {
        fprintf(stderr, "hubd: %s\n", err);
        return 2;
    }
#ifdef HUBD_STORE_FAULTS
    if (!(st = store_fault_wrap(st)))
        return 2;
#endif
    rc = o.token != TOKEN_NONE ? run_token(st, &o) : start(&o, st, &stop_set);
    st->ops->close(st);
    return rc;
}
