/* ticket.c — the resident's one ticket: its letter, the kiosk code from a token, formatting
 * and parsing, shared by the kiosk that issues a ticket and hubd that adopts it. */
#include "proto/ticket.h"

#include <stdio.h>
#include <string.h>

static bool is_upper(char c)
{
    return c >= 'A' && c <= 'Z';
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

char ticket_letter(const char *domain)
{
    if (!domain)
        return 'R';
    if (strcmp(domain, "housing") == 0)
        return 'H';
    if (strcmp(domain, "benefits") == 0)
        return 'M';
    if (strcmp(domain, "health") == 0)
        return 'W';
    return 'R';
}

/* Letters A-Z at s, at most TICKET_CODE_MAX + 1 looked at: how many. */
static size_t code_len(const char *s)
{
    size_t n = 0;
    while (n <= TICKET_CODE_MAX && is_upper(s[n]))
        n++;
    return n;
}

bool ticket_code_valid(const char *code)
{
    size_t n = code ? code_len(code) : 0;
    return n >= 1 && n <= TICKET_CODE_MAX && code[n] == '\0';
}

int ticket_code_of_token(const char *token, char out[TICKET_CODE_MAX + 1])
{
    size_t n = token ? code_len(token) : 0;
    out[0] = '\0';
    if (n < 1 || n > TICKET_CODE_MAX || token[n] != '-')
        return -1;
    memcpy(out, token, n);
    out[n] = '\0';
    return 0;
}

int ticket_format(char letter, const char *code, long n, char *out, size_t cap)
{
    if (n < 1 || n > TICKET_NUM_MAX || !is_upper(letter) ||
        (code && code[0] && !ticket_code_valid(code)))
        return -1;
    int w = snprintf(out, cap, "%c-%s%02ld", letter, code ? code : "", n);
    return w > 0 && (size_t)w < cap ? 0 : -1;
}

int ticket_parse(const char *s, char code[TICKET_CODE_MAX + 1], long *n)
{
    if (!s || !is_upper(s[0]) || s[1] != '-')
        return -1;
    const char *p = s + 2;
    size_t k = code_len(p);
    if (k > TICKET_CODE_MAX)
        return -1;
    const char *d = p + k;
    size_t digits = 0;
    long v = 0;
    while (is_digit(d[digits]) && digits < 4)
        v = v * 10 + (d[digits++] - '0');
    /* two digits at least (07), three at most, no other characters */
    if (digits < 2 || digits > 3 || d[digits] != '\0' || v < 1 || (digits == 3 && v < 100))
        return -1;
    if (code) {
        memcpy(code, p, k);
        code[k] = '\0';
    }
    if (n)
        *n = v;
    return 0;
}
