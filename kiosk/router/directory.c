/* directory.c — the hub directory in the matcher's typed form, projected from the one codec's
 * parse (proto/hubdir.h). */
#include "directory.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/buf.h"
#include "proto/hubdir.h"
#include "util.h"

static const char *const status_names[WS_COUNT] = {"available", "busy", "away", "off"};

const char *status_name(enum worker_status s)
{
    return (int)s >= 0 && s < WS_COUNT ? status_names[s] : "off";
}

int status_parse(const char *s)
{
    for (int i = 0; s && i < WS_COUNT; i++)
        if (strcmp(s, status_names[i]) == 0)
            return i;
    return -1;
}

/* Splits a comma-joined list into a table of width-byte cells; the count, or -1 when it
 * holds more than max items or one too long for its cell. */
static int split_list(const char *joined, char *table, size_t width, int max)
{
    int n = 0;
    for (const char *p = joined; p && *p;) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (n == max || len >= width)
            return -1;
        memcpy(table + (size_t)n * width, p, len);
        table[(size_t)n * width + len] = '\0';
        n++;
        p = e ? e + 1 : NULL;
    }
    return n;
}

static int project_worker(const struct hdir_worker *in, struct worker *w, size_t index, char *err,
                          size_t errcap)
{
    char doms[LIMIT_CHECKIN_DOMAINS * 2][16];
    const char *field = NULL;
    int nd = split_list(in->domains, &doms[0][0], sizeof(doms[0]), LIMIT_CHECKIN_DOMAINS * 2);
    util_copy(w->id, sizeof(w->id), in->id);
    util_copy(w->name, sizeof(w->name), in->name);
    util_copy(w->role, sizeof(w->role), in->role);
    util_copy(w->desk, sizeof(w->desk), in->desk);
    util_copy(w->desk_cy, sizeof(w->desk_cy), in->desk_cy);
    w->duty = in->duty;
    w->status = (enum worker_status)status_parse(in->status);
    w->waiting = in->waiting;
    for (int i = 0; i < nd; i++)
        w->domain_mask |= 1u << domain_parse(doms[i]);
    w->n_langs = split_list(in->languages, &w->langs[0][0], sizeof(w->langs[0]), DIR_LANG_MAX);
    w->n_needs = split_list(in->needs, &w->needs[0][0], sizeof(w->needs[0]), DIR_NEEDS_MAX);
    if (nd < 0)
        field = "domains";
    else if (w->n_langs < 0)
        field = "languages";
    else if (w->n_needs < 0)
        field = "needs";
    if (field) {
        snprintf(err, errcap, "workers[%zu].%s: too many items", index, field);
        return -1;
    }
    return 0;
}

struct hub_dir *dir_parse(const char *json, size_t len, char *err, size_t errcap)
{
    struct hdir in;
    if (hdir_parse(json, len, &in, err, errcap) < 0)
        return NULL;
    struct hub_dir *d = calloc(1, sizeof(*d));
    if (!d || (in.n_workers && !(d->workers = calloc(in.n_workers, sizeof(*d->workers))))) {
        snprintf(err, errcap, "directory: out of memory");
        goto out_free_dir;
    }
    util_copy(d->hub_id, sizeof(d->hub_id), in.hub_id);
    util_copy(d->hub_name, sizeof(d->hub_name), in.hub_name);
    util_copy(d->timezone, sizeof(d->timezone), in.timezone);
    for (size_t i = 0; i < in.n_workers; i++, d->n_workers++)
        if (project_worker(&in.workers[i], &d->workers[i], i, err, errcap) < 0)
            goto out_free_dir;
    hdir_release(&in);
    return d;

out_free_dir:
    dir_free(d);
    hdir_release(&in);
    return NULL;
}

struct hub_dir *dir_load_file(const char *path, char *err, size_t errcap)
{
    size_t len;
    char *json = buf_read_file(path, LIMIT_DIR_FILE_BYTES, &len, err, errcap);
    if (!json)
        return NULL;
    struct hub_dir *d = dir_parse(json, len, err, errcap);
    free(json);
    return d;
}

void dir_free(struct hub_dir *d)
{
    if (!d)
        return;
    free(d->workers);
    free(d);
}

int dir_find(const struct hub_dir *d, const char *id)
{
    for (int i = 0; d && id && i < d->n_workers; i++)
        if (strcmp(d->workers[i].id, id) == 0)
            return i;
    return -1;
}

bool worker_speaks(const struct worker *w, const char *lang)
{
    for (int i = 0; lang && i < w->n_langs; i++)
        if (strcmp(w->langs[i], lang) == 0)
            return true;
    return false;
}

bool worker_takes_need(const struct worker *w, const char *need_id)
{
    for (int i = 0; need_id && i < w->n_needs; i++)
        if (strcmp(w->needs[i], need_id) == 0)
            return true;
    return false;
}
