/* valid.c — pure validators for outside input (no allocation, no clock, no I/O). */
#include "proto/valid.h"

#include <stdio.h>
#include <string.h>

static bool is_zero_escape(const char *s, size_t left)
{
    return left >= 6 && s[1] == 'u' && s[2] == '0' && s[3] == '0' && s[4] == '0' && s[5] == '0';
}

bool json_has_nul(const char *s, size_t len)
{
    bool in_string = false;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '\0')
            return true;
        if (!in_string) {
            in_string = s[i] == '"';
        } else if (s[i] == '\\') {
            if (is_zero_escape(s + i, len - i))
                return true;
            i++; /* whatever is escaped, it neither ends the string nor starts an escape */
        } else if (s[i] == '"') {
            in_string = false;
        }
    }
    return false;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

bool uuid_v4_parse(const char *s, char out[UUID_LEN + 1])
{
    char tmp[UUID_LEN + 1];
    for (int i = 0; i < UUID_LEN; i++) {
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (s[i] != '-')
                return false;
            tmp[i] = '-';
            continue;
        }
        int v = hexval(s[i]);
        if (v < 0)
            return false;
        tmp[i] = "0123456789abcdef"[v];
    }
    if (s[UUID_LEN] != '\0' || tmp[14] != '4' || !strchr("89ab", tmp[19]))
        return false;
    tmp[UUID_LEN] = '\0';
    memcpy(out, tmp, sizeof(tmp));
    return true;
}

int64_t days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int days_in_month(int y, int m)
{
    static const int dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : dm[m - 1];
}

/* Reads exactly n digits at s into *v; false if any is not a digit. */
static bool digits(const char *s, int n, int *v)
{
    *v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        *v = *v * 10 + (s[i] - '0');
    }
    return true;
}

static bool ymd(const char *s, int *y, int *m, int *d)
{
    return digits(s, 4, y) && s[4] == '-' && digits(s + 5, 2, m) && s[7] == '-' &&
           digits(s + 8, 2, d) && *y >= 1970 && *m >= 1 && *m <= 12 && *d >= 1 &&
           *d <= days_in_month(*y, *m);
}

int date_parse(const char *s, int *y, int *m, int *d)
{
    if (strlen(s) != 10 || !ymd(s, y, m, d))
        return -1;
    return 0;
}

int rfc3339_parse(const char *s, int64_t *ms)
{
    int y, mo, d, h, mi, sec, frac = 0;
    if (strlen(s) > 40 || !ymd(s, &y, &mo, &d) || (s[10] != 'T' && s[10] != 't'))
        return -1;
    if (!digits(s + 11, 2, &h) || s[13] != ':' || !digits(s + 14, 2, &mi) || s[16] != ':' ||
        !digits(s + 17, 2, &sec) || h > 23 || mi > 59 || sec > 60)
        return -1;
    const char *p = s + 19;
    if (*p == '.') {
        int n = 0;
        for (p++; *p >= '0' && *p <= '9'; p++, n++)
            if (n < 3)
                frac = frac * 10 + (*p - '0');
        if (n == 0 || n > 9)
            return -1;
        for (; n < 3; n++)
            frac *= 10;
    }
    if (!(strcmp(p, "Z") == 0 || strcmp(p, "z") == 0 || strcmp(p, "+00:00") == 0))
        return -1;
    if (sec == 60)
        sec = 59; /* a leap second lands on the last ordinary second */
    int64_t days = days_from_civil(y, mo, d);
    *ms = ((days * 24 + h) * 60 + mi) * 60000 + (int64_t)sec * 1000 + frac;
    return 0;
}

void rfc3339_format(int64_t ms, char *out, size_t cap)
{
    int64_t secs = ms >= 0 ? ms / 1000 : (ms - 999) / 1000;
    int msec = (int)(ms - secs * 1000);
    int64_t days = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400;
    int64_t rem = secs - days * 86400;
    /* civil_from_days (H. Hinnant) */
    int64_t z = days + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int d = (int)(doy - (153 * mp + 2) / 5 + 1);
    int m = (int)(mp < 10 ? mp + 3 : mp - 9);
    int64_t y = yoe + era * 400 + (m <= 2);
    snprintf(out, cap, "%04lld-%02d-%02dT%02d:%02d:%02d.%03dZ", (long long)y, m, d,
             (int)(rem / 3600), (int)(rem / 60 % 60), (int)(rem % 60), msec);
}

bool ident_valid(const char *s)
{
    size_t n = 0;
    for (; s[n]; n++) {
        char c = s[n];
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '.' || c == '_' || c == '-';
        if (!ok || n >= IDENT_MAX)
            return false;
    }
    return n > 0;
}

bool lang_valid(const char *s)
{
    size_t n = 0;
    while (s[n] >= 'a' && s[n] <= 'z')
        n++;
    if (n < 2 || n > 3)
        return false;
    if (s[n] == '\0')
        return true;
    if (s[n] != '-')
        return false;
    const char *t = s + n + 1;
    size_t k = 0;
    for (; t[k]; k++) {
        char c = t[k];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
            return false;
    }
    return k >= 2 && k <= 8;
}

static const char *const STATUSES[] = {"available", "busy", "away", "off"};
static const char *const CHOSEN_BY[] = {"router", "resident", "reception"};

static const char *lookup(const char *const *set, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(set[i], s) == 0)
            return set[i];
    return NULL;
}

#define LOOKUP(set, s) lookup(set, sizeof(set) / sizeof(set[0]), s)

const char *worker_status_lookup(const char *s)
{
    return LOOKUP(STATUSES, s);
}

const char *chosen_by_lookup(const char *s)
{
    return LOOKUP(CHOSEN_BY, s);
}

bool kiosk_ticket_valid(const char *s, size_t max)
{
    size_t n = 0;
    for (; s[n]; n++) {
        char c = s[n];
        if (n == max || !((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'))
            return false;
    }
    return n > 0;
}
