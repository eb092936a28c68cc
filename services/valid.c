/* valid.c — pure validators for outside input (no allocation, no clock, no I/O). */
#include "valid.h"

#include <stdio.h>
#include <string.h>

bool utf8_valid(const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < len) {
        unsigned c = s[i];
        size_t n;
        unsigned cp;
        if (c < 0x80) {
            i++;
            continue;
        } else if (c >= 0xc2 && c <= 0xdf) {
            n = 1;
            cp = c & 0x1f;
        } else if (c >= 0xe0 && c <= 0xef) {
            n = 2;
            cp = c & 0x0f;
        } else if (c >= 0xf0 && c <= 0xf4) {
            n = 3;
            cp = c & 0x07;
        } else {
            return false;
        }
        if (len - i <= n)
            return false;
        for (size_t k = 1; k <= n; k++) {
            if ((s[i + k] & 0xc0) != 0x80)
                return false;
            cp = (cp << 6) | (s[i + k] & 0x3f);
        }
        if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || cp > 0x10ffff ||
            (cp >= 0xd800 && cp <= 0xdfff))
            return false;
        i += n + 1;
    }
    return true;
}

bool text_clean(const char *s, bool multiline)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == 0x7f)
            return false;
        if (*p < 0x20 && !(multiline && (*p == '\n' || *p == '\r' || *p == '\t')))
            return false;
        if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) /* C1: U+0080..U+009F */
            return false;
        /* U+202A..U+202E are e2 80 aa..ae; U+2066..U+2069 are e2 81 a6..a9 */
        if (!multiline && p[0] == 0xe2 &&
            ((p[1] == 0x80 && p[2] >= 0xaa && p[2] <= 0xae) ||
             (p[1] == 0x81 && p[2] >= 0xa6 && p[2] <= 0xa9)))
            return false;
    }
    return utf8_valid(s, strlen(s));
}

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

static const char *const DOMAINS[] = {"housing", "health", "benefits"};

/* Need ids of assets/needs.json; tests/hubd checks this list against that file. */
static const char *const NEEDS[] = {"homeless_tonight",
                                    "illegal_eviction",
                                    "domestic_abuse",
                                    "in_danger",
                                    "suicidal_thoughts",
                                    "medical_emergency",
                                    "person_at_risk",
                                    "no_food_today",
                                    "eviction",
                                    "somewhere_to_live",
                                    "council_housing",
                                    "rent_arrears",
                                    "mortgage_arrears",
                                    "repairs",
                                    "damp_mould",
                                    "landlord_problems",
                                    "neighbour_problems",
                                    "overcrowding",
                                    "home_adaptations",
                                    "housing_general",
                                    "doctor_gp",
                                    "dentist",
                                    "mental_health",
                                    "drugs_alcohol",
                                    "caring_for_someone",
                                    "help_at_home",
                                    "disability_support",
                                    "pregnancy_baby",
                                    "loneliness",
                                    "health_general",
                                    "universal_credit",
                                    "disability_benefits",
                                    "housing_benefit",
                                    "council_tax",
                                    "debt",
                                    "energy_bills",
                                    "food_support",
                                    "benefit_stopped",
                                    "pension",
                                    "work_and_pay",
                                    "money_general"};

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

const char *domain_lookup(const char *s)
{
    return LOOKUP(DOMAINS, s);
}

const char *need_lookup(const char *s)
{
    return LOOKUP(NEEDS, s);
}

size_t need_count(void)
{
    return sizeof(NEEDS) / sizeof(NEEDS[0]);
}

const char *need_at(size_t i)
{
    return i < need_count() ? NEEDS[i] : NULL;
}

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
