/* paths.c — locating assets/ and locales/ relative to a binary or $HUB_ROOT. */
#include "proto/paths.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <unistd.h>

/* Copies src into out (cap bytes): 0, or -1 when it does not fit. */
static int copy_root(char *out, size_t cap, const char *src)
{
    int n = snprintf(out, cap, "%s", src);
    return n >= 0 && (size_t)n < cap ? 0 : -1;
}

static int has_assets(const char *root)
{
    char p[1200];
    snprintf(p, sizeof(p), "%s/assets/needs.json", root);
    return access(p, R_OK) == 0;
}

int paths_find_root(const char *exe_path, char *out, size_t cap)
{
    const char *env = getenv("HUB_ROOT");
    if (env && env[0] && has_assets(env))
        return copy_root(out, cap, env);
    char dir[PATH_MAX];
    if (exe_path && exe_path[0] && realpath(exe_path, dir)) {
        for (int up = 0; up < 4; up++) {
            char *slash = strrchr(dir, '/');
            if (!slash)
                break;
            *slash = '\0';
            if (has_assets(dir[0] ? dir : "/"))
                return copy_root(out, cap, dir[0] ? dir : "/");
        }
    }
    if (has_assets("."))
        return copy_root(out, cap, ".");
    return -1;
}

int paths_data_dirs(char *assets, char *locales, size_t cap)
{
    char root[PATH_MAX];
    if (paths_find_root("/proc/self/exe", root, sizeof(root)) < 0)
        return -1;
    int a = snprintf(assets, cap, "%s/assets", root);
    int l = snprintf(locales, cap, "%s/locales", root);
    return a > 0 && (size_t)a < cap && l > 0 && (size_t)l < cap ? 0 : -1;
}

bool paths_join(char *out, size_t cap, const char *dir, const char *name)
{
    int n = snprintf(out, cap, "%s/%s", dir, name);
    return n > 0 && (size_t)n < cap;
}
