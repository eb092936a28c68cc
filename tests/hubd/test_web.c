/* test_web.c — the staff console's files from a real hubd (--web over a copy of services/web),
 * each fetched as it is and gzip-compressed: the gzip body inflates to the file byte for byte,
 * the headers (Content-Encoding, Vary, an ETag per encoding, HEAD as GET), q=0 refused, small
 * files sent as they are, a changed file served fresh; and the gzip cache of services/webgz.c
 * on its own (Accept-Encoding read, one deflate per file version, the cap on its bytes). */
#include "client.h"
#include "webgz.h"

#include <curl/curl.h>
#include <dirent.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include <cmocka.h>

#define FILES_MAX 64

static struct server srv;
static char web[400];
static char names[FILES_MAX][128];
static size_t n_names;

static const char *web_src(void)
{
    const char *d = getenv("HUBD_WEB_SRC");
    return d && *d ? d : "services/web";
}

static int write_bytes(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    size_t n = fwrite(data, 1, len, f);
    return fclose(f) == 0 && n == len ? 0 : -1;
}

/* Copies every file of the console into web/ (names[] lists them), plus two of its own: a
 * small text file and a compressible file of a type gzip does not shrink. */
static int group_setup(void **state)
{
    char path[700], to[700];
    if (server_init(&srv) < 0)
        return -1;
    snprintf(web, sizeof(web), "%s/web", srv.dir);
    DIR *d = opendir(web_src());
    if (mkdir(web, 0755) < 0 || !d)
        return -1;
    for (struct dirent *e; (e = readdir(d)) && n_names < FILES_MAX;) {
        size_t len;
        snprintf(path, sizeof(path), "%s/%s", web_src(), e->d_name);
        struct stat st;
        if (e->d_name[0] == '.' || stat(path, &st) < 0 || !S_ISREG(st.st_mode))
            continue;
        char *data = slurp(path, &len);
        snprintf(to, sizeof(to), "%s/%s", web, e->d_name);
        if (!data || write_bytes(to, data, len) < 0)
            return -1;
        free(data);
        snprintf(names[n_names++], sizeof(names[0]), "%s", e->d_name);
    }
    closedir(d);
    snprintf(to, sizeof(to), "%s/small.txt", web);
    if (n_names < 5 || write_bytes(to, "a few words\n", 12) < 0)
        return -1;
    const char *args[] = {"--web", web, NULL};
    return server_start(&srv, args);
}

static int group_teardown(void **state)
{
    int rc = server_stop(&srv);
    server_cleanup(&srv);
    return rc == 0 ? 0 : -1;
}

static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
    struct resp *r = ud;
    char *nb = realloc(r->body, r->len + size * n + 1);
    if (!nb)
        return 0;
    memcpy(nb + r->len, p, size * n);
    r->body = nb;
    r->len += size * n;
    r->body[r->len] = '\0';
    return size * n;
}

static size_t on_header(char *p, size_t size, size_t n, void *ud)
{
    struct resp *r = ud;
    size_t have = strlen(r->headers), add = size * n;
    if (have + add < sizeof(r->headers)) {
        memcpy(r->headers + have, p, add);
        r->headers[have + add] = '\0';
    }
    return add;
}

/* GET or HEAD of path with up to two more header lines (NULL: none); the body as sent, never
 * decoded by curl. Fails the test on a transport error. */
static void fetch(const char *method, const char *path, const char *h1, const char *h2,
                  struct resp *r)
{
    char url[600];
    struct curl_slist *h = NULL;
    memset(r, 0, sizeof(*r));
    r->body = calloc(1, 1);
    CURL *c = curl_easy_init();
    assert_non_null(c);
    assert_non_null(r->body);
    snprintf(url, sizeof(url), "http://127.0.0.1:%d%s", srv.port, path);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
    if (strcmp(method, "HEAD") == 0)
        curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
    if (h1)
        h = curl_slist_append(h, h1);
    if (h2)
        h = curl_slist_append(h, h2);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, r);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, r);
    CURLcode rc = curl_easy_perform(c);
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->status);
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
    if (rc != CURLE_OK)
        fail_msg("%s %s: %s", method, path, curl_easy_strerror(rc));
}

/* Inflates a gzip stream (the gzip wrapper only, not zlib's or raw deflate) into a malloc'd
 * buffer; NULL when it is not one whole gzip stream. */
static char *gunzip(const char *gz, size_t len, size_t *out_len)
{
    size_t cap = len * 20 + 1024;
    char *out = malloc(cap);
    z_stream zs;
    memset(&zs, 0, sizeof(zs));
    if (!out || inflateInit2(&zs, 16 + 15) != Z_OK) {
        free(out);
        return NULL;
    }
    zs.next_in = (Bytef *)gz;
    zs.avail_in = (uInt)len;
    zs.next_out = (Bytef *)out;
    zs.avail_out = (uInt)cap;
    int rc = inflate(&zs, Z_FINISH);
    *out_len = zs.total_out;
    bool whole = rc == Z_STREAM_END && zs.avail_in == 0;
    inflateEnd(&zs);
    if (!whole) {
        free(out);
        return NULL;
    }
    return out;
}

static bool has_header(const struct resp *r, const char *name, const char *value)
{
    char v[512];
    return resp_header(r, name, v, sizeof(v)) && (!value || strcmp(v, value) == 0);
}

static long content_length(const struct resp *r)
{
    char v[32];
    return resp_header(r, "Content-Length", v, sizeof(v)) ? strtol(v, NULL, 10) : -1;
}

static bool text_type(const char *name)
{
    const char *dot = strrchr(name, '.');
    return dot &&
           (strcmp(dot, ".html") == 0 || strcmp(dot, ".css") == 0 || strcmp(dot, ".js") == 0 ||
            strcmp(dot, ".json") == 0 || strcmp(dot, ".svg") == 0 || strcmp(dot, ".txt") == 0);
}

/* HEAD of path with accept (NULL: no Accept-Encoding) answers as get did, without a body. */
static void assert_head_as_get(const char *path, const char *accept, const struct resp *get)
{
    struct resp h;
    char a[512], b[512];
    fetch("HEAD", path, accept, NULL, &h);
    assert_int_equal(h.status, get->status);
    assert_int_equal(h.len, 0);
    assert_int_equal(content_length(&h), (long)get->len);
    const char *same[] = {"ETag", "Content-Encoding", "Vary", "Content-Type"};
    for (size_t i = 0; i < sizeof(same) / sizeof(same[0]); i++) {
        const char *x = resp_header(&h, same[i], a, sizeof(a));
        const char *y = resp_header(get, same[i], b, sizeof(b));
        if ((x == NULL) != (y == NULL) || (x && strcmp(x, y) != 0))
            fail_msg("%s (%s): HEAD's %s is %s, GET's %s", path, accept ? accept : "identity",
                     same[i], x ? x : "absent", y ? y : "absent");
    }
    resp_free(&h);
}

static void test_each_file_both_ways(void **state)
{
    size_t saved = 0, whole = 0;
    for (size_t i = 0; i < n_names; i++) {
        char path[700], url[200], etag_id[128], etag_gz[128];
        size_t len, plain_len;
        struct resp id, gz;
        snprintf(path, sizeof(path), "%s/%s", web_src(), names[i]);
        snprintf(url, sizeof(url), "/%s", names[i]);
        char *file = slurp(path, &len);
        assert_non_null(file);
        bool may_gzip = text_type(names[i]) && len >= WEBGZ_MIN;

        fetch("GET", url, NULL, NULL, &id);
        assert_int_equal(id.status, 200);
        if (id.len != len || memcmp(id.body, file, len) != 0)
            fail_msg("%s: the identity body is not the file", names[i]);
        assert_false(has_header(&id, "Content-Encoding", NULL));
        assert_true(resp_header(&id, "ETag", etag_id, sizeof(etag_id)) != NULL);
        assert_int_equal(has_header(&id, "Vary", "Accept-Encoding"), may_gzip);
        assert_head_as_get(url, NULL, &id);

        fetch("GET", url, "Accept-Encoding: gzip, deflate, br", NULL, &gz);
        assert_int_equal(gz.status, 200);
        assert_true(resp_header(&gz, "ETag", etag_gz, sizeof(etag_gz)) != NULL);
        assert_int_equal(has_header(&gz, "Vary", "Accept-Encoding"), may_gzip);
        assert_int_equal(content_length(&gz), (long)gz.len);
        assert_head_as_get(url, "Accept-Encoding: gzip, deflate, br", &gz);
        if (!may_gzip) {
            assert_false(has_header(&gz, "Content-Encoding", NULL));
            assert_string_equal(etag_gz, etag_id);
            assert_true(gz.len == len && memcmp(gz.body, file, len) == 0);
        } else {
            if (!has_header(&gz, "Content-Encoding", "gzip"))
                fail_msg("%s (%zu bytes): not sent gzip-compressed", names[i], len);
            assert_string_not_equal(etag_gz, etag_id);
            char *plain = gunzip(gz.body, gz.len, &plain_len);
            if (!plain || plain_len != len || memcmp(plain, file, len) != 0)
                fail_msg("%s: the gzip body does not inflate to the file", names[i]);
            assert_true(gz.len < len);
            free(plain);
            saved += len - gz.len;
            whole += len;
        }
        printf("     %-20s %6zu bytes, %6zu gzip-compressed\n", names[i], len, gz.len);
        resp_free(&id);
        resp_free(&gz);
        free(file);
    }
    printf("     console: %zu of %zu bytes saved by gzip\n", saved, whole);
    assert_true(whole > 0);
}

static void test_accept_encoding_refusals(void **state)
{
    static const struct {
        const char *header;
        bool gzip;
    } cases[] = {
        {NULL, false},
        {"Accept-Encoding: gzip;q=0", false},
        {"Accept-Encoding: gzip; q=0.000, deflate", false},
        {"Accept-Encoding: *, gzip;q=0", false},
        {"Accept-Encoding: *;q=0", false},
        {"Accept-Encoding: identity", false},
        {"Accept-Encoding: br", false},
        {"Accept-Encoding: gzip;q=nonsense", false},
        {"Accept-Encoding:", false},
        {"Accept-Encoding: GZIP", true},
        {"Accept-Encoding: deflate, gzip;q=0.5", true},
        {"Accept-Encoding: x-gzip", true},
        {"Accept-Encoding: *", true},
        {"Accept-Encoding: br;q=1.0, gzip;q=0.001", true},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct resp r;
        fetch("GET", "/app.js", cases[i].header, NULL, &r);
        assert_int_equal(r.status, 200);
        if (has_header(&r, "Content-Encoding", "gzip") != cases[i].gzip)
            fail_msg("%s: %s", cases[i].header ? cases[i].header : "(no Accept-Encoding)",
                     cases[i].gzip ? "not compressed" : "compressed");
        resp_free(&r);
    }
}

static void test_small_file_as_it_is(void **state)
{
    struct resp r;
    fetch("GET", "/small.txt", "Accept-Encoding: gzip", NULL, &r);
    assert_int_equal(r.status, 200);
    assert_string_equal(r.body, "a few words\n");
    assert_false(has_header(&r, "Content-Encoding", NULL));
    assert_false(has_header(&r, "Vary", NULL));
    resp_free(&r);
}

static void test_if_none_match_per_encoding(void **state)
{
    char etag_id[128], etag_gz[128], inm[160];
    struct resp r;
    fetch("GET", "/app.css", NULL, NULL, &r);
    assert_non_null(resp_header(&r, "ETag", etag_id, sizeof(etag_id)));
    resp_free(&r);
    fetch("GET", "/app.css", "Accept-Encoding: gzip", NULL, &r);
    assert_non_null(resp_header(&r, "ETag", etag_gz, sizeof(etag_gz)));
    resp_free(&r);
    snprintf(inm, sizeof(inm), "If-None-Match: %s", etag_gz);
    fetch("GET", "/app.css", "Accept-Encoding: gzip", inm, &r);
    assert_int_equal(r.status, 304);
    assert_int_equal(r.len, 0);
    assert_true(has_header(&r, "ETag", etag_gz));
    assert_true(has_header(&r, "Vary", "Accept-Encoding"));
    resp_free(&r);
    /* the gzip body's tag does not stand for the identity body, nor the other way round */
    fetch("GET", "/app.css", inm, NULL, &r);
    assert_int_equal(r.status, 200);
    assert_false(has_header(&r, "Content-Encoding", NULL));
    resp_free(&r);
    snprintf(inm, sizeof(inm), "If-None-Match: %s", etag_id);
    fetch("GET", "/app.css", "Accept-Encoding: gzip", inm, &r);
    assert_int_equal(r.status, 200);
    assert_true(has_header(&r, "Content-Encoding", "gzip"));
    resp_free(&r);
    fetch("HEAD", "/app.css", inm, NULL, &r);
    assert_int_equal(r.status, 304);
    resp_free(&r);
}

/* Fetches /changing.js gzip-compressed and checks it inflates to want; its ETag into etag. */
static void assert_serves(const char *want, char *etag, size_t cap)
{
    struct resp r;
    size_t n;
    fetch("GET", "/changing.js", "Accept-Encoding: gzip", NULL, &r);
    assert_int_equal(r.status, 200);
    assert_true(has_header(&r, "Content-Encoding", "gzip"));
    char *plain = gunzip(r.body, r.len, &n);
    assert_non_null(plain);
    if (n != strlen(want) || memcmp(plain, want, n) != 0)
        fail_msg("/changing.js served %zu bytes, not the %zu of the file now", n, strlen(want));
    assert_non_null(resp_header(&r, "ETag", etag, cap));
    free(plain);
    resp_free(&r);
}

static void test_changed_file_served_fresh(void **state)
{
    char path[500], text[4096], etag1[128], etag2[128], etag3[128];
    snprintf(path, sizeof(path), "%s/changing.js", web);
    memset(text, 0, sizeof(text));
    for (size_t i = 0; i + 40 < sizeof(text); i += 32)
        snprintf(text + i, 33, "console.log('one %011zu');\n", i); /* 32 bytes */
    assert_int_equal(write_bytes(path, text, strlen(text)), 0);
    assert_serves(text, etag1, sizeof(etag1));
    assert_serves(text, etag2, sizeof(etag2)); /* the same version: the same tag */
    assert_string_equal(etag1, etag2);

    /* the same size, other words: a new mtime makes it a new version */
    memcpy(text, "console.log('TWO", 16);
    assert_int_equal(write_bytes(path, text, strlen(text)), 0);
    struct timespec later[2] = {{.tv_nsec = UTIME_OMIT}, {.tv_sec = time(NULL) + 5}};
    assert_int_equal(utimensat(AT_FDCWD, path, later, 0), 0);
    assert_serves(text, etag2, sizeof(etag2));
    assert_string_not_equal(etag1, etag2);

    /* longer: a new size */
    size_t len = strlen(text);
    memcpy(text + len, "console.log('three');\n", 23);
    assert_int_equal(write_bytes(path, text, strlen(text)), 0);
    assert_serves(text, etag3, sizeof(etag3));
    assert_string_not_equal(etag2, etag3);
}

/* ---- services/webgz.c alone ---- */

static void test_accepts(void **state)
{
    assert_false(webgz_accepts(NULL));
    assert_false(webgz_accepts(""));
    assert_false(webgz_accepts("gzip;q=0"));
    assert_false(webgz_accepts("gzip ; Q=0.0"));
    assert_false(webgz_accepts("gzip;q=0.0000")); /* four decimals is not a qvalue */
    assert_false(webgz_accepts("gzip;q=1.5"));
    assert_false(webgz_accepts("gzip;q="));
    assert_false(webgz_accepts("gzipx, xgzip, gzi"));
    assert_false(webgz_accepts("*;q=0"));
    assert_false(webgz_accepts("gzip;q=0, *"));
    assert_true(webgz_accepts("gzip"));
    assert_true(webgz_accepts(" deflate , gzip "));
    assert_true(webgz_accepts("gzip;level=1;q=0.1"));
    assert_true(webgz_accepts("gzip;q=1.000"));
    assert_true(webgz_accepts("*"));
    assert_true(webgz_accepts("br, *;q=0.2"));
    assert_true(webgz_accepts("gzip;q=0, gzip")); /* named twice: either taking it is enough */
}

/* Writes n bytes of compressible text to path with mtime sec; the fd open on it in *fd. */
static void make_file(const char *path, size_t n, char fill, time_t sec, int *fd, struct stat *st)
{
    char *text = malloc(n);
    assert_non_null(text);
    for (size_t i = 0; i < n; i++)
        text[i] = i % 61 == 60 ? '\n' : (char)(fill + i % 7);
    assert_int_equal(write_bytes(path, text, n), 0);
    free(text);
    struct timespec t[2] = {{.tv_nsec = UTIME_OMIT}, {.tv_sec = sec}};
    assert_int_equal(utimensat(AT_FDCWD, path, t, 0), 0);
    *fd = open(path, O_RDONLY);
    assert_true(*fd >= 0);
    assert_int_equal(fstat(*fd, st), 0);
}

static void test_cache_once_per_version(void **state)
{
    char dir[] = "/tmp/webgz-XXXXXX", a[64], b[64];
    assert_non_null(mkdtemp(dir));
    snprintf(a, sizeof(a), "%s/a.js", dir);
    snprintf(b, sizeof(b), "%s/b.js", dir);
    struct webgz_stats s;
    struct stat st;
    uint8_t *out;
    size_t len, first_len;
    int fd;
    webgz_clear();
    make_file(a, 20000, 'a', 1000, &fd, &st);
    assert_int_equal(webgz_body(a, fd, &st, &out, &len), 1);
    first_len = len;
    free(out);
    for (int i = 0; i < 5; i++) {
        assert_int_equal(webgz_body(a, fd, &st, &out, &len), 1);
        assert_int_equal(len, first_len);
        free(out);
    }
    webgz_stats_get(&s);
    assert_int_equal(s.compressed, 1);
    assert_int_equal(s.entries, 1);
    assert_int_equal(lseek(fd, 0, SEEK_CUR), 0); /* the fd's offset is as it was */
    close(fd);

    /* a new mtime is a new version: compressed again, the old one gone */
    make_file(a, 20000, 'a', 2000, &fd, &st);
    assert_int_equal(webgz_body(a, fd, &st, &out, &len), 1);
    free(out);
    webgz_stats_get(&s);
    assert_int_equal(s.compressed, 2);
    assert_int_equal(s.entries, 1);
    close(fd);

    /* what gzip does not shrink is remembered too: one try */
    FILE *f = fopen(b, "wb");
    assert_non_null(f);
    uint32_t x = 2463534242u; /* xorshift32: bytes deflate cannot shrink */
    for (int i = 0; i < 4000; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        fputc((int)(x & 0xff), f);
    }
    fclose(f);
    fd = open(b, O_RDONLY);
    assert_int_equal(fstat(fd, &st), 0);
    assert_int_equal(webgz_body(b, fd, &st, &out, &len), 0);
    assert_int_equal(webgz_body(b, fd, &st, &out, &len), 0);
    webgz_stats_get(&s);
    assert_int_equal(s.compressed, 3);
    assert_int_equal(s.entries, 2);
    close(fd);
    unlink(a);
    unlink(b);
    rmdir(dir);
    webgz_clear();
}

static void test_cache_cap(void **state)
{
    char dir[] = "/tmp/webgz-XXXXXX", path[64];
    assert_non_null(mkdtemp(dir));
    struct webgz_stats s;
    struct stat st;
    uint8_t *out;
    size_t len;
    int fd;
    webgz_clear();
    webgz_set_cap(4096);
    for (int i = 0; i < 20; i++) {
        snprintf(path, sizeof(path), "%s/f%d.js", dir, i);
        make_file(path, 30000, (char)('a' + i), 1000 + i, &fd, &st);
        assert_int_equal(webgz_body(path, fd, &st, &out, &len), 1);
        free(out);
        close(fd);
        webgz_stats_get(&s);
        assert_true(s.bytes <= 4096);
    }
    assert_true(s.entries >= 1 && s.entries < 20);
    /* the most recent file stays; the first was pushed out and is compressed again */
    unsigned long before = s.compressed;
    fd = open(path, O_RDONLY);
    assert_int_equal(fstat(fd, &st), 0);
    assert_int_equal(webgz_body(path, fd, &st, &out, &len), 1);
    free(out);
    close(fd);
    webgz_stats_get(&s);
    assert_int_equal(s.compressed, before);
    snprintf(path, sizeof(path), "%s/f0.js", dir);
    fd = open(path, O_RDONLY);
    assert_int_equal(fstat(fd, &st), 0);
    assert_int_equal(webgz_body(path, fd, &st, &out, &len), 1);
    free(out);
    close(fd);
    webgz_stats_get(&s);
    assert_int_equal(s.compressed, before + 1);
    /* a body larger than the whole cap is served, never kept */
    webgz_set_cap(64);
    webgz_stats_get(&s);
    assert_int_equal(s.entries, 0);
    assert_int_equal(s.bytes, 0);
    fd = open(path, O_RDONLY);
    assert_int_equal(fstat(fd, &st), 0);
    assert_int_equal(webgz_body(path, fd, &st, &out, &len), 1);
    free(out);
    close(fd);
    webgz_stats_get(&s);
    assert_int_equal(s.entries, 0);
    assert_int_equal(s.compressed, before + 2);
    for (int i = 0; i < 20; i++) {
        snprintf(path, sizeof(path), "%s/f%d.js", dir, i);
        unlink(path);
    }
    rmdir(dir);
    webgz_set_cap(WEBGZ_CACHE_MAX);
    webgz_clear();
}

int main(void)
{
    const struct CMUnitTest served[] = {
        cmocka_unit_test(test_each_file_both_ways),
        cmocka_unit_test(test_accept_encoding_refusals),
        cmocka_unit_test(test_small_file_as_it_is),
        cmocka_unit_test(test_if_none_match_per_encoding),
        cmocka_unit_test(test_changed_file_served_fresh),
    };
    const struct CMUnitTest cache[] = {
        cmocka_unit_test(test_accepts),
        cmocka_unit_test(test_cache_once_per_version),
        cmocka_unit_test(test_cache_cap),
    };
    curl_global_init(CURL_GLOBAL_DEFAULT);
    int failed =
        cmocka_run_group_tests_name("hubd console files", served, group_setup, group_teardown);
    failed += cmocka_run_group_tests_name("hubd gzip cache", cache, NULL, NULL);
    curl_global_cleanup();
    return failed ? 1 : 0;
}
