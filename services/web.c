/* web.c — the staff console's static files under --web DIR: GET/HEAD only, no path
 * traversal (every path is resolved and must stay inside DIR), regular files only, with a
 * strict Content-Security-Policy, no framing and no referrer. A text file of WEBGZ_MIN bytes
 * or more goes gzip-compressed to a client whose Accept-Encoding takes gzip (webgz.c: once per
 * file version), as it is to any other; each answer has an ETag of the file's version and its
 * encoding, and If-None-Match gets a 304. */
#include "api.h"
#include "dircache.h"
#include "webgz.h"

#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *mime_type(const char *path)
{
    static const char *const types[][2] = {
        {".html", "text/html; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".json", "application/json; charset=utf-8"},
        {".svg", "image/svg+xml"},
        {".png", "image/png"},
        {".ico", "image/x-icon"},
        {".woff2", "font/woff2"},
        {".txt", "text/plain; charset=utf-8"},
    };
    const char *dot = strrchr(path, '.');
    for (size_t i = 0; dot && i < sizeof(types) / sizeof(types[0]); i++)
        if (strcmp(dot, types[i][0]) == 0)
            return types[i][1];
    return "application/octet-stream";
}

/* True when url is a plain path: no "..", no backslash, no control bytes, no "//". */
static bool url_safe(const char *url)
{
    if (url[0] != '/' || strlen(url) > 512 || strstr(url, "//"))
        return false;
    for (const char *p = url; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == '\\' || *p == 0x7f)
            return false;
    for (const char *seg = url; seg; seg = strchr(seg + 1, '/'))
        if (strncmp(seg, "/..", 3) == 0 && (seg[3] == '/' || seg[3] == '\0'))
            return false;
    return true;
}

/* True for the types gzip shrinks (text, JSON, SVG, icons); PNG and WOFF2 are compressed. */
static bool compressible(const char *type)
{
    return strncmp(type, "text/", 5) == 0 || strncmp(type, "application/json", 16) == 0 ||
           strcmp(type, "image/svg+xml") == 0 || strcmp(type, "image/x-icon") == 0;
}

/* The headers of every answer for a file, 200 or 304. vary: the answer depends on
 * Accept-Encoding (a file that may go compressed, whichever way it goes this time). */
static void add_headers(struct MHD_Response *resp, const char *type, const char *etag, bool vary)
{
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, type);
    MHD_add_response_header(resp, MHD_HTTP_HEADER_ETAG, etag);
    if (vary)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_VARY, "Accept-Encoding");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    /* the console is the app's own files and its API: nothing inline, nothing from
     * elsewhere, never inside another site's frame, and no address leaks in a Referer */
    MHD_add_response_header(resp, "Content-Security-Policy",
                            "default-src 'self'; script-src 'self'; style-src 'self'; "
                            "img-src 'self' data:; connect-src 'self'; font-src 'self'; "
                            "object-src 'none'; base-uri 'none'; form-action 'self'; "
                            "frame-ancestors 'none'");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache");
}

/* Opens the file url names under the web root: the fd, with st filled and its real path in
 * real (PATH_MAX bytes); -1 when there is no such regular file inside the root. */
static int web_open(const struct req *r, const char *url, char *real, struct stat *st)
{
    char path[PATH_MAX];
    if (!url_safe(url))
        return -1;
    int n = snprintf(path, sizeof(path), "%s%s%s", r->h->web_root, url,
                     url[strlen(url) - 1] == '/' ? "index.html" : "");
    size_t root_len = strlen(r->h->web_root);
    if (n < 0 || (size_t)n >= sizeof(path) || !realpath(path, real) ||
        strncmp(real, r->h->web_root, root_len) != 0 || real[root_len] != '/')
        return -1;
    int fd = open(real, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        return -1;
    if (fstat(fd, st) < 0 || !S_ISREG(st->st_mode)) {
        close(fd);
        return -1;
    }
    return fd;
}

enum MHD_Result web_serve(struct req *r, const char *url)
{
    char real[PATH_MAX], etag[80];
    struct stat st;
    int fd = web_open(r, url, real, &st);
    if (fd < 0)
        return reply_error(r, MHD_HTTP_NOT_FOUND, "not found");
    const char *type = mime_type(real);
    bool vary = compressible(type) && st.st_size >= WEBGZ_MIN;
    uint8_t *gz = NULL;
    size_t gz_len = 0;
    /* gzip when the client takes it and it pays; without the memory to compress it (or a
     * read error), the file goes as it is */
    if (vary &&
        webgz_accepts(MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
                                                  MHD_HTTP_HEADER_ACCEPT_ENCODING)) &&
        webgz_body(real, fd, &st, &gz, &gz_len) != 1)
        gz = NULL;
    /* the version (size and mtime in ns) and the encoding: a cache never mixes the two */
    snprintf(etag, sizeof(etag), "\"%jx-%jx%s\"", (uintmax_t)st.st_size,
             (uintmax_t)st.st_mtim.tv_sec * UINTMAX_C(1000000000) + (uintmax_t)st.st_mtim.tv_nsec,
             gz ? "-gz" : "");
    struct MHD_Response *resp;
    unsigned status = MHD_HTTP_OK;
    if (etag_matches(
            MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_NONE_MATCH),
            etag)) {
        close(fd);
        free(gz);
        status = MHD_HTTP_NOT_MODIFIED;
        resp = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
    } else if (gz) {
        close(fd);
        resp = MHD_create_response_from_buffer(gz_len, gz, MHD_RESPMEM_MUST_FREE);
        if (!resp)
            free(gz);
        else
            MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_ENCODING, "gzip");
    } else {
        resp = MHD_create_response_from_fd((size_t)st.st_size, fd);
        if (!resp)
            close(fd);
    }
    if (!resp)
        return MHD_NO;
    add_headers(resp, type, etag, vary);
    enum MHD_Result ret = MHD_queue_response(r->conn, status, resp);
    MHD_destroy_response(resp);
    return ret;
}
