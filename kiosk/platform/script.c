/* script.c — parsing kiosk scripts (the steps are run by the event loop in main.c). */
#include "script.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int parse_long(const char *s, long lo, long hi, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || v < lo || v > hi)
        return -1;
    while (*end == ' ' || *end == '\t')
        end++;
    if (*end)
        return -1;
    *out = v;
    return 0;
}

static int parse_line(struct step *st, char *line, char *why, size_t whycap)
{
    char *sp = line;
    while (*sp && *sp != ' ' && *sp != '\t')
        sp++;
    char *rest = sp;
    if (*rest)
        *rest++ = '\0';
    while (*rest == ' ' || *rest == '\t')
        rest++;
    if (strlen(rest) >= SCRIPT_ARG_MAX) {
        snprintf(why, whycap, "argument longer than %d bytes", SCRIPT_ARG_MAX - 1);
        return -1;
    }
    bool hold = strcmp(line, "hold") == 0; /* hold X Y MS | hold #id MS: a long press */
    if (hold || strcmp(line, "tap") == 0) {
        if (hold) {
            char *ms = strrchr(rest, ' ');
            if (!ms || parse_long(ms + 1, 1, 600000L, &st->ms) < 0) {
                snprintf(why, whycap, "hold needs X Y MS or #id MS");
                return -1;
            }
            *ms = '\0';
        }
        if (rest[0] == '#') {
            st->kind = hold ? STEP_HOLD_ID : STEP_TAP_ID;
            snprintf(st->arg, sizeof(st->arg), "%s", rest + 1);
            return st->arg[0] ? 0 : -1;
        }
        char *y = strchr(rest, ' ');
        long vx, vy;
        if (!y || (*y++ = '\0', parse_long(rest, 0, 100000, &vx) < 0) ||
            parse_long(y, 0, 100000, &vy) < 0) {
            snprintf(why, whycap, "%s",
                     hold ? "hold needs X Y MS or #id MS (whole numbers)"
                          : "tap needs X Y or #id (whole numbers)");
            return -1;
        }
        st->kind = hold ? STEP_HOLD : STEP_TAP;
        st->x = (int)vx;
        st->y = (int)vy;
        return 0;
    }
    if (strcmp(line, "wait") == 0 || strcmp(line, "sleep") == 0) {
        bool sleep = line[0] == 's';
        if (parse_long(rest, 0, sleep ? 60000L : 86400000L, &st->ms) < 0) {
            snprintf(why, whycap, "%s needs milliseconds", sleep ? "sleep" : "wait");
            return -1;
        }
        st->kind = sleep ? STEP_SLEEP : STEP_WAIT;
        return 0;
    }
    static const struct {
        const char *name;
        enum step_kind kind;
        int needs_arg;
    } words[] = {{"type", STEP_TYPE, 1},
                 {"key", STEP_KEY, 1},
                 {"shot", STEP_SHOT, 1},
                 {"dump", STEP_DUMP, 1},
                 {"quit", STEP_QUIT, 0}};
    for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
        if (strcmp(line, words[i].name) != 0)
            continue;
        if (words[i].needs_arg && !rest[0]) {
            snprintf(why, whycap, "%s needs an argument", words[i].name);
            return -1;
        }
        st->kind = words[i].kind;
        snprintf(st->arg, sizeof(st->arg), "%s", rest);
        return 0;
    }
    snprintf(why, whycap, "unknown step \"%.40s\"", line);
    return -1;
}

int script_load(struct script *s, const char *path, char *err, size_t errcap)
{
    memset(s, 0, sizeof(*s));
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errcap, "%s: %s", path, strerror(errno));
        return -1;
    }
    char *buf = malloc(SCRIPT_FILE_MAX + 1);
    size_t n = buf ? fread(buf, 1, SCRIPT_FILE_MAX + 1, f) : 0;
    fclose(f);
    if (!buf || n > SCRIPT_FILE_MAX) {
        snprintf(err, errcap, "%s: unreadable or larger than %u bytes", path, SCRIPT_FILE_MAX);
        free(buf);
        return -1;
    }
    buf[n] = '\0';
    int cap = 0, lineno = 0, rc = 0;
    char *save = buf;
    while (save && *save) {
        char *line = save, *nl = strchr(save, '\n');
        save = nl ? nl + 1 : NULL;
        if (nl)
            *nl = '\0';
        lineno++;
        size_t len = strlen(line);
        while (len && (line[len - 1] == '\r' || line[len - 1] == ' ' || line[len - 1] == '\t'))
            line[--len] = '\0';
        while (*line == ' ' || *line == '\t')
            line++;
        if (!*line || *line == '#')
            continue;
        if (s->n == cap) {
            cap = cap ? cap * 2 : 64;
            struct step *ns = realloc(s->steps, (size_t)cap * sizeof(*ns));
            if (!ns) {
                snprintf(err, errcap, "%s: out of memory", path);
                rc = -1;
                break;
            }
            s->steps = ns;
        }
        struct step *st = &s->steps[s->n];
        memset(st, 0, sizeof(*st));
        st->line = lineno;
        char why[128] = "bad step";
        if (parse_line(st, line, why, sizeof(why)) < 0) {
            snprintf(err, errcap, "%s:%d: %s", path, lineno, why);
            rc = -1;
            break;
        }
        s->n++;
    }
    free(buf);
    if (rc < 0)
        script_release(s);
    return rc;
}

void script_release(struct script *s)
{
    free(s->steps);
    memset(s, 0, sizeof(*s));
}

const struct step *script_next(struct script *s)
{
    return s->next < s->n ? &s->steps[s->next++] : NULL;
}
