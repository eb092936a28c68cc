/* web.c — the staff console's static files under --web DIR: GET/HEAD only, no path
 * traversal (every path is resolved and must stay inside DIR), regular files only, with a
 * strict Content-Security-Policy, no framing and no referrer. */
#include "api.h"

#include <fcntl.h>
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

enum MHD_Result web_serve(struct req *r, const char *url)
{
    char path[PATH_MAX], real[PATH_MAX];
    struct stat st;
    if (!url_safe(url))
        return reply_error(r, MHD_HTTP_NOT_FOUND, "not found");
    int n = snprintf(path, sizeof(path), "%s%s%s", r->h->web_root, url,
                     url[strlen(url) - 1] == '/' ? "index.html" : "");
    size_t root_len = strlen(r->h->web_root);
    if (n < 0 || (size_t)n >= sizeof(path) || !realpath(path, real) ||
        strncmp(real, r->h->web_root, root_len) != 0 || real[root_len] != '/')
        return reply_error(r, MHD_HTTP_NOT_FOUND, "not found");
    int fd = open(real, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        return reply_error(r, MHD_HTTP_NOT_FOUND, "not found");
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return reply_error(r, MHD_HTTP_NOT_FOUND, "not found");
    }
    struct MHD_Response *resp = MHD_create_response_from_fd((size_t)st.st_size, fd);
    if (!resp) {
        close(fd);
        return MHD_NO;
    }
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, mime_type(real));
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
    enum MHD_Result ret = MHD_queue_response(r->conn, MHD_HTTP_OK, resp);
    MHD_destroy_response(resp);
    return ret;
}
