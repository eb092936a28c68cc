/* test_unit.c — unit tests of hubd's pure parts: SHA-256, UTF-8, UUIDs, times, ids,
 * tickets, percentiles and wait estimates, check-in and directory validation, ETags,
 * report dimensions, and the need list as the loaded taxonomy. */
#include "proto/checkin.h"
#include "dircache.h"
#include "proto/hubdir.h"
#include "reports.h"
#include "proto/sha256.h"
#include "stats.h"
#include "proto/valid.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void hex_of(const char *msg, size_t len, char *out)
{
    uint8_t d[SHA256_LEN];
    sha256(msg, len, d);
    hex_encode(d, SHA256_LEN, out);
}

static void test_sha256(void **state)
{
    char hex[65];
    hex_of("", 0, hex);
    assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    hex_of("abc", 3, hex);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const char *m = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    hex_of(m, strlen(m), hex);
    assert_string_equal(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    char *million = malloc(1000000);
    memset(million, 'a', 1000000);
    struct sha256 s;
    uint8_t d[SHA256_LEN];
    sha256_init(&s);
    for (int i = 0; i < 1000; i++) /* in uneven pieces */
        sha256_update(&s, million + i * 1000, 1000);
    sha256_final(&s, d);
    hex_encode(d, SHA256_LEN, hex);
    assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    free(million);
    uint8_t a[4] = {1, 2, 3, 4}, b[4] = {1, 2, 3, 5};
    assert_true(ct_equal(a, a, 4));
    assert_false(ct_equal(a, b, 4));
}

static void test_utf8(void **state)
{
    const char *good[] = {"", "plain", "Cymraeg: ŵ ŷ", "€", "😀", "\xf4\x8f\xbf\xbf"};
    const char *bad[] = {"\xff", "\xc0\xaf", "\xe0\x80\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80",
                         "\xc3", "\xe2\x82", "\x80",         "a\xf0\x9f\x98"};
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
        assert_true(utf8_valid(good[i], strlen(good[i])));
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        if (utf8_valid(bad[i], strlen(bad[i])))
            fail_msg("accepted bad UTF-8 case %zu", i);
    assert_true(text_clean("line\nnext\ttab", true));
    assert_false(text_clean("line\nnext", false));
    assert_false(text_clean("bell\x07", true));
    assert_false(text_clean("del\x7f", true));
}

/* C1 controls are refused everywhere; bidi embeddings, overrides and isolates in single-line
 * text (names); the neighbours of those code points and marks that reorder nothing pass. */
static void test_text_controls(void **state)
{
    const char *never[] = {"a\xc2\x80", "a\xc2\x85", "a\xc2\x9f"};
    const char *single_line[] = {"\xe2\x80\xaa", "\xe2\x80\xab", "\xe2\x80\xac",
                                 "\xe2\x80\xad", "\xe2\x80\xae", "\xe2\x81\xa6",
                                 "\xe2\x81\xa7", "\xe2\x81\xa8", "\xe2\x81\xa9"};
    const char *fine[] = {"\xc2\xa0nbsp", "\xc2\xa9",     "\xe2\x80\xa9", "\xe2\x80\xaf",
                          "\xe2\x81\xa5", "\xe2\x81\xaa", "\xe2\x80\x8f", "Si\xc3\xa2n"};
    for (size_t i = 0; i < sizeof(never) / sizeof(never[0]); i++) {
        assert_false(text_clean(never[i], false));
        assert_false(text_clean(never[i], true));
    }
    for (size_t i = 0; i < sizeof(single_line) / sizeof(single_line[0]); i++) {
        if (text_clean(single_line[i], false))
            fail_msg("bidi control %zu accepted in a name", i);
        assert_true(text_clean(single_line[i], true));
    }
    for (size_t i = 0; i < sizeof(fine) / sizeof(fine[0]); i++)
        if (!text_clean(fine[i], false))
            fail_msg("refused harmless text %zu", i);
}

static void test_json_nul(void **state)
{
    static const struct {
        const char *json;
        size_t len; /* 0: strlen */
        bool nul;
    } cases[] = {
        {"{\"a\":\"x\"}", 0, false},           {"{\"a\":\"x\\u0000y\"}", 0, true},
        {"{\"a\":\"x\\U0000\"}", 0, false},   /* not an escape JSON knows; the parser refuses it */
        {"{\"a\":\"x\\\\u0000\"}", 0, false}, /* an escaped backslash, then text */
        {"{\"a\":\"x\\\\\\u0000\"}", 0, true}, {"{\"a\\u0000\":1}", 0, true}, /* in a key too */
        {"{\"a\":\"\\\"\\u0000\"}", 0, true}, /* after an escaped quote */
        {"{\"a\":1}\\u0000", 0, false},       /* outside strings: the parser refuses it */
        {"{\"a\":\"x\0y\"}", 9, true},        /* a raw NUL */
        {"{\"a\":\"x\\u000", 0, false},       /* cut short */
        {"{\"a\":\"x\\u0001\"}", 0, false},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        size_t len = cases[i].len ? cases[i].len : strlen(cases[i].json);
        if (json_has_nul(cases[i].json, len) != cases[i].nul)
            fail_msg("case %zu: %s", i, cases[i].json);
    }
}

static void test_uuid(void **state)
{
    char out[UUID_LEN + 1];
    assert_true(uuid_v4_parse("3f1c2a4e-1b2c-4d3e-8f40-123456789abc", out));
    assert_true(uuid_v4_parse("3F1C2A4E-1B2C-4D3E-BF40-123456789ABC", out));
    assert_string_equal(out, "3f1c2a4e-1b2c-4d3e-bf40-123456789abc");
    const char *bad[] = {"",
                         "3f1c2a4e-1b2c-1d3e-8f40-123456789abc",  /* version 1 */
                         "3f1c2a4e-1b2c-4d3e-cf40-123456789abc",  /* variant */
                         "3f1c2a4e1b2c-4d3e-8f40-123456789abc0",  /* dash misplaced */
                         "3f1c2a4e-1b2c-4d3e-8f40-123456789abcd", /* too long */
                         "3f1c2a4e-1b2c-4d3e-8f40-123456789ab",   /* too short */
                         "3g1c2a4e-1b2c-4d3e-8f40-123456789abc"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        if (uuid_v4_parse(bad[i], out))
            fail_msg("accepted %s", bad[i]);
}

static void test_times(void **state)
{
    int64_t ms;
    char buf[40];
    assert_int_equal(rfc3339_parse("2000-01-01T00:00:00Z", &ms), 0);
    assert_int_equal(ms, 946684800000LL);
    assert_int_equal(rfc3339_parse("1970-01-01T00:00:00Z", &ms), 0); /* a reset clock */
    assert_int_equal(ms, 0);
    assert_int_equal(rfc3339_parse("2024-02-29T12:34:56.789Z", &ms), 0);
    assert_int_equal(ms, 1709210096789LL);
    rfc3339_format(ms, buf, sizeof(buf));
    assert_string_equal(buf, "2024-02-29T12:34:56.789Z");
    assert_int_equal(rfc3339_parse("2024-02-29T12:34:56+00:00", &ms), 0);
    assert_int_equal(rfc3339_parse("2024-02-29T12:34:56.1Z", &ms), 0);
    assert_int_equal(ms % 1000, 100);
    const char *bad[] = {"2023-02-29T00:00:00Z",      "2024-01-01 00:00:00Z",
                         "2024-01-01T24:00:00Z",      "2024-01-01T00:00:00",
                         "2024-01-01T00:00:00+01:00", "2024-01-01T00:00:00.Z",
                         "2024-1-01T00:00:00Z",       "1969-12-31T23:59:59Z"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        if (rfc3339_parse(bad[i], &ms) == 0)
            fail_msg("accepted %s", bad[i]);
    int y, m, d;
    assert_int_equal(date_parse("2024-12-31", &y, &m, &d), 0);
    assert_int_equal(date_parse("2024-13-01", &y, &m, &d), -1);
    assert_int_equal(date_parse("2024-12-311", &y, &m, &d), -1);
    assert_int_equal(days_from_civil(2000, 3, 1) - days_from_civil(2000, 2, 28), 2);
}

static void test_ids_and_enums(void **state)
{
    assert_true(ident_valid("w-sian"));
    assert_true(ident_valid("A.b_c-9"));
    assert_false(ident_valid(""));
    assert_false(ident_valid("bad id"));
    assert_false(ident_valid("x/y"));
    char long_id[80];
    memset(long_id, 'a', 65);
    long_id[65] = '\0';
    assert_false(ident_valid(long_id));
    assert_true(lang_valid("en"));
    assert_true(lang_valid("cy"));
    assert_true(lang_valid("pt-BR"));
    assert_false(lang_valid("english"));
    assert_false(lang_valid("EN"));
    assert_false(lang_valid("en-"));
    assert_non_null(domain_lookup("benefits"));
    assert_null(domain_lookup("money"));
    assert_non_null(need_lookup("rent_arrears"));
    assert_null(need_lookup("Rent_arrears"));
    assert_non_null(worker_status_lookup("off"));
    assert_null(worker_status_lookup("asleep"));
    assert_non_null(chosen_by_lookup("resident"));
    assert_null(chosen_by_lookup("kiosk"));
}

static void test_tickets(void **state)
{
    char t[TICKET_MAX];
    assert_int_equal(ticket_letter("housing"), 'H');
    assert_int_equal(ticket_letter("benefits"), 'M');
    assert_int_equal(ticket_letter("health"), 'W');
    assert_int_equal(ticket_letter(NULL), 'R');
    assert_int_equal(ticket_letter("transport"), 'R');
    /* the kiosk's: letter, its code, its number for the day (two digits at least) */
    assert_int_equal(ticket_format('H', "A", 7, t, sizeof(t)), 0);
    assert_string_equal(t, "H-A07");
    assert_int_equal(ticket_format('M', "AB", 123, t, sizeof(t)), 0);
    assert_string_equal(t, "M-AB123");
    /* hubd's own: no kiosk code, so never one a kiosk issues */
    assert_int_equal(ticket_format('R', NULL, 12, t, sizeof(t)), 0);
    assert_string_equal(t, "R-12");
    assert_int_equal(ticket_format('R', "", 0, t, sizeof(t)), -1);
    assert_int_equal(ticket_format('R', "A", TICKET_NUM_MAX + 1, t, sizeof(t)), -1);
    assert_int_equal(ticket_format('R', "a", 1, t, sizeof(t)), -1);
    assert_int_equal(ticket_format('R', "ABC", 1, t, sizeof(t)), -1);
    assert_int_equal(ticket_format('H', "A", 7, t, 5), -1);
    /* parsing gives back what formatting wrote, and nothing else */
    char code[TICKET_CODE_MAX + 1];
    long n = 0;
    assert_int_equal(ticket_parse("H-A07", code, &n), 0);
    assert_string_equal(code, "A");
    assert_int_equal(n, 7);
    assert_int_equal(ticket_parse("W-ZZ999", code, &n), 0);
    assert_string_equal(code, "ZZ");
    assert_int_equal(ticket_parse("R-12", code, &n), 0);
    assert_string_equal(code, "");
    static const char *const bad[] = {"A001",  "H-A7",  "H-A007", "H-A0001", "H-ABC01", "h-A07",
                                      "H-a07", "H-A00", "HA07",   "H-A07 ",  "",        "-A07"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        if (ticket_parse(bad[i], NULL, NULL) == 0)
            fail_msg("ticket_parse accepted \"%s\"", bad[i]);
    /* the code a kiosk token carries */
    assert_int_equal(ticket_code_of_token("B-0123abcd", code), 0);
    assert_string_equal(code, "B");
    assert_int_equal(ticket_code_of_token("0123abcd", code), -1);
    assert_string_equal(code, "");
    assert_int_equal(ticket_code_of_token("ABC-0123", code), -1);
    assert_true(ticket_code_valid("Q"));
    assert_false(ticket_code_valid("q"));
    assert_false(ticket_code_valid(""));
}

static void test_percentiles(void **state)
{
    int64_t one[] = {7};
    int64_t two[] = {1, 2};
    int64_t ten[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    assert_true(stats_percentile(NULL, 0, 50) < 0);
    assert_true(stats_percentile(one, 1, 90) == 7);
    assert_true(stats_percentile(two, 2, 50) == 1.5);
    assert_true(stats_percentile(ten, 10, 50) == 5.5);
    assert_true(stats_percentile(ten, 10, 90) > 9.0 && stats_percentile(ten, 10, 90) < 9.2);
    assert_true(stats_percentile(ten, 10, 100) == 10);
    int64_t v[] = {5, 3, 9, 1};
    stats_sort(v, 4);
    assert_true(v[0] == 1 && v[3] == 9);
}

static void test_wait_estimate(void **state)
{
    int64_t none[1];
    assert_int_equal(stats_service_min(none, 0), STATS_DEFAULT_SERVICE_MIN);
    int64_t t[] = {0, 12 * 60000, 24 * 60000, 36 * 60000}; /* a handover every 12 minutes */
    assert_int_equal(stats_service_min(t, 4), 12);
    int64_t gap[] = {0, 5 * 60000, 10 * 60000, 300 * 60000}; /* a long break is ignored */
    assert_int_equal(stats_service_min(gap, 4), 5);
    assert_int_equal(stats_wait_estimate(0, 10, "available", false), 0);
    assert_int_equal(stats_wait_estimate(3, 10, "available", false), 30);
    assert_int_equal(stats_wait_estimate(3, 10, "busy", false), 35);
    assert_int_equal(stats_wait_estimate(3, 10, "away", false), 40);
    assert_int_equal(stats_wait_estimate(3, 10, "busy", true), 0);
    assert_int_equal(stats_wait_estimate(1000, 60, "off", false), 600);
}

#define VALID                                                                                      \
    "{\"id\":\"3f1c2a4e-1b2c-4d3e-8f40-123456789abc\",\"created_at\":\"2025-03-01T10:00:00Z\","    \
    "\"lang\":\"en\",\"needs\":[\"rent_arrears\"],\"domains\":[\"housing\",\"benefits\"],"         \
    "\"urgent\":false,\"worker_id\":\"w-sian\",\"chosen_by\":\"router\",\"name\":\"Jo\","          \
    "\"text\":\"behind on rent\",\"consent\":%s,\"extra\":{\"ignored\":1}}"

static int parse(const char *json, struct checkin *c, char *err)
{
    cJSON *o = cJSON_Parse(json);
    int rc = checkin_parse(o, c, err, 160);
    cJSON_Delete(o);
    return rc;
}

static void test_checkin_parse(void **state)
{
    char buf[1024], err[160];
    struct checkin a, b;
    snprintf(buf, sizeof(buf), VALID, "true");
    assert_int_equal(parse(buf, &a, err), 0);
    assert_string_equal(a.text, "behind on rent");
    assert_int_equal(a.n_domains, 2);
    assert_string_equal(a.domains[0], "housing");
    snprintf(buf, sizeof(buf), VALID, "false");
    assert_int_equal(parse(buf, &b, err), 0);
    assert_null(b.text); /* no consent: the words are dropped */
    assert_string_equal(b.name, "Jo");
    assert_memory_not_equal(a.hash, b.hash, SHA256_LEN);
    checkin_release(&b);
    /* the same content spelled differently has the same fingerprint */
    snprintf(buf, sizeof(buf), VALID, "true");
    cJSON *o = cJSON_Parse(buf);
    cJSON_ReplaceItemInObject(o, "id", cJSON_CreateString("3F1C2A4E-1B2C-4D3E-8F40-123456789ABC"));
    cJSON_ReplaceItemInObject(o, "created_at", cJSON_CreateString("2025-03-01T10:00:00+00:00"));
    assert_int_equal(checkin_parse(o, &b, err, sizeof(err)), 0);
    assert_memory_equal(a.hash, b.hash, SHA256_LEN);
    checkin_release(&b);
    /* errors name the field */
    cJSON_ReplaceItemInObject(o, "needs", cJSON_CreateString("x"));
    assert_int_equal(checkin_parse(o, &b, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "needs"));
    cJSON_Delete(o);
    assert_int_equal(parse("[1]", &b, err), -1);
    checkin_release(&a);
}

/* The kiosk's ticket ("ticket", or an older kiosk's "kiosk_ticket"): kept when [A-Z0-9-]{1,15};
 * a check-in without it keeps the fingerprint hubd gave it before the field existed (this
 * one's, from fixtures/hub-v3.sql), so replays stay replays. Only a non-string is refused. */
static void test_kiosk_ticket_parse(void **state)
{
    static const uint8_t before[SHA256_LEN] = {0xb8, 0xdc, 0x96, 0x16, 0xa0, 0x5e, 0x9f, 0x12,
                                               0x5f, 0x0a, 0x2d, 0x47, 0x4a, 0xe1, 0x32, 0xba,
                                               0x80, 0x1b, 0xd9, 0xef, 0xc5, 0xee, 0xd5, 0x67,
                                               0x0b, 0x93, 0x27, 0x81, 0xb9, 0xf8, 0xd6, 0xe3};
    const char *old = "{\"id\": \"3f1c2a4e-1b2c-4d3e-8f40-123456789abc\", \"created_at\": "
                      "\"2025-03-01T10:00:00Z\", \"lang\": \"cy\", \"needs\": [\"rent_arrears\", "
                      "\"debt\"], \"domains\": [\"housing\", \"benefits\"], \"urgent\": false, "
                      "\"worker_id\": \"w-sian\", \"chosen_by\": \"router\", \"name\": \"Jo\", "
                      "\"text\": \"behind on the rent\", \"consent\": true}";
    char err[160];
    struct checkin a, b;
    assert_true(kiosk_ticket_valid("A001", 15));
    assert_true(kiosk_ticket_valid("KIOSK-2-A000001", 15));
    assert_false(kiosk_ticket_valid("KIOSK-2-A0000001", 15));
    assert_false(kiosk_ticket_valid("", 15));
    assert_false(kiosk_ticket_valid("a001", 15));
    assert_false(kiosk_ticket_valid("A 01", 15));
    assert_int_equal(parse(old, &a, err), 0);
    assert_string_equal(a.kiosk_ticket, "");
    assert_memory_equal(a.hash, before, SHA256_LEN);
    cJSON *o = cJSON_Parse(old);
    cJSON_AddStringToObject(o, "kiosk_ticket", "A001");
    assert_int_equal(checkin_parse(o, &b, err, sizeof(err)), 0);
    assert_string_equal(b.kiosk_ticket, "A001");
    assert_memory_not_equal(a.hash, b.hash, SHA256_LEN);
    uint8_t sent_old[SHA256_LEN];
    memcpy(sent_old, b.hash, SHA256_LEN);
    checkin_release(&b);
    /* DESIGN's name for it: the same check-in, the same fingerprint */
    cJSON_DeleteItemFromObject(o, "kiosk_ticket");
    cJSON_AddStringToObject(o, "ticket", "A001");
    assert_int_equal(checkin_parse(o, &b, err, sizeof(err)), 0);
    assert_string_equal(b.kiosk_ticket, "A001");
    assert_memory_equal(b.hash, sent_old, SHA256_LEN);
    checkin_release(&b);
    /* null is none; a ticket hubd cannot keep is still a check-in, marked as sent */
    cJSON_ReplaceItemInObject(o, "ticket", cJSON_CreateNull());
    assert_int_equal(checkin_parse(o, &b, err, sizeof(err)), 0);
    assert_false(b.ticket_sent);
    assert_memory_equal(b.hash, before, SHA256_LEN);
    checkin_release(&b);
    cJSON_ReplaceItemInObject(o, "ticket", cJSON_CreateString("not a ticket at all, really"));
    assert_int_equal(checkin_parse(o, &b, err, sizeof(err)), 0);
    assert_true(b.ticket_sent);
    assert_string_equal(b.kiosk_ticket, "");
    checkin_release(&b);
    cJSON_ReplaceItemInObject(o, "ticket", cJSON_CreateNumber(7));
    assert_int_equal(checkin_parse(o, &b, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "ticket"));
    cJSON_Delete(o);
    checkin_release(&a);
}

/* cJSON's allocations fail at call fail_at (0: never); calls counts them. */
static long fail_at, calls;

static void *countdown_malloc(size_t n)
{
    return ++calls == fail_at ? NULL : malloc(n);
}

/* Everything pure that allocates through cJSON, once. 0 when it all worked, -1 when some
 * step reported the failure (which is all it may do: no crash, no leak, no half result). */
static int parse_everything(void)
{
    char buf[1024], err[256];
    struct checkin c;
    struct hdir d;
    int rc = 0;
    snprintf(buf, sizeof(buf), VALID, "true");
    cJSON *o = cJSON_Parse(buf);
    if (!o || checkin_parse(o, &c, err, sizeof(err)) < 0) {
        rc = -1;
    } else {
        struct checkin_result res = {.status = 201, .ticket = "H-1", .position = 1};
        cJSON *j = checkin_result_json(c.id, &res, true);
        char *text = j ? cJSON_PrintUnformatted(j) : NULL;
        rc = text ? 0 : -1;
        free(text);
        cJSON_Delete(j);
        checkin_release(&c);
    }
    cJSON_Delete(o);
    const char *dir = "{\"hub\":{\"id\":\"h\",\"name\":\"Hub\"},\"workers\":[{\"id\":\"w1\","
                      "\"name\":\"A\",\"domains\":[\"health\"],\"languages\":[\"en\"]}]}";
    if (hdir_parse(dir, strlen(dir), &d, err, sizeof(err)) < 0) {
        rc = -1;
    } else {
        char *json = hdir_to_json(&d);
        rc |= json ? 0 : -1;
        free(json);
        hdir_release(&d);
    }
    struct report *rep = report_new(days_from_civil(2025, 3, 3), 2);
    struct report_row row = {.arrived_ms = days_from_civil(2025, 3, 3) * 86400000LL + 36000000,
                             .introduced_ms = -1,
                             .lang = "en",
                             .needs = "debt",
                             .domains = "benefits",
                             .chosen_by = "router",
                             .status = "waiting"};
    if (!rep || report_add(&row, rep) != 0) {
        rc = -1;
    } else {
        cJSON *j = report_json(rep, report_dims_parse(NULL));
        char *text = j ? cJSON_PrintUnformatted(j) : NULL;
        rc |= text ? 0 : -1;
        free(text);
        cJSON_Delete(j);
    }
    report_free(rep);
    return rc;
}

/* A malloc-failure countdown (SQLite's test_malloc.c in spirit) over the pure parsers and
 * builders: fail cJSON's first allocation, then its second, ... until a run needs none to
 * fail. Each run must end cleanly (ASan checks for crashes and leaks). */
static void test_malloc_countdown(void **state)
{
    cJSON_Hooks hooks = {.malloc_fn = countdown_malloc, .free_fn = free};
    long n;
    cJSON_InitHooks(&hooks);
    for (n = 1; n < 5000; n++) {
        fail_at = n;
        calls = 0;
        int rc = parse_everything();
        if (calls < n) { /* nothing failed: every allocation has had its turn */
            assert_int_equal(rc, 0);
            break;
        }
    }
    cJSON_InitHooks(NULL);
    fprintf(stderr, "# malloc countdown: %ld cJSON allocations, each failed once\n", n - 1);
    assert_true(n > 10 && n < 5000);
}

static void test_hdir(void **state)
{
    struct hdir d;
    char err[256];
    const char *ok = "{\"hub\":{\"id\":\"h\",\"name\":\"Hub\"},\"workers\":[{\"id\":\"w1\","
                     "\"name\":\"A\",\"domains\":[\"health\"],\"languages\":[\"en\",\"cy\"],"
                     "\"unknown\":true}]}";
    assert_int_equal(hdir_parse(ok, strlen(ok), &d, err, sizeof(err)), 0);
    assert_int_equal(d.n_workers, 1);
    assert_string_equal(d.workers[0].languages, "en,cy");
    assert_string_equal(d.workers[0].status, "available");
    assert_string_equal(d.timezone, "UTC");
    char *json = hdir_to_json(&d);
    assert_non_null(strstr(json, "\"languages\":[\"en\",\"cy\"]"));
    free(json);
    hdir_release(&d);
    const struct {
        const char *json, *field;
    } bad[] = {
        {"{\"workers\":[]}", "hub"},
        {"{\"hub\":{\"name\":\"x\"},\"workers\":[]}", "hub.id"},
        {"{\"hub\":{\"id\":\"h\",\"name\":\"x\"}}", "workers"},
        {"{\"hub\":{\"id\":\"h\",\"name\":\"x\"},\"workers\":[{\"id\":\"w\",\"domains\":[],"
         "\"languages\":[]}]}",
         "workers[0].name"},
        {"{\"hub\":{\"id\":\"h\",\"name\":\"x\"},\"workers\":[{\"id\":\"w\",\"name\":\"n\","
         "\"domains\":[\"money\"],\"languages\":[]}]}",
         "workers[0].domains[0]"},
        {"{\"hub\":{\"id\":\"h\",\"name\":\"x\"},\"workers\":[{\"id\":\"w\",\"name\":\"n\","
         "\"domains\":[],\"languages\":[],\"status\":\"asleep\"}]}",
         "workers[0].status"},
        {"{\"hub\":{\"id\":\"h\",\"name\":\"x\"},\"workers\":[{\"id\":\"w\",\"name\":\"n\","
         "\"domains\":[],\"languages\":[]},{\"id\":\"w\",\"name\":\"m\",\"domains\":[],"
         "\"languages\":[]}]}",
         "duplicate"},
        {"not json", "malformed"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        if (hdir_parse(bad[i].json, strlen(bad[i].json), &d, err, sizeof(err)) == 0 ||
            !strstr(err, bad[i].field))
            fail_msg("case %zu: %s", i, err);
    }
}

static void test_etag_match(void **state)
{
    assert_true(etag_matches("\"abc\"", "\"abc\""));
    assert_true(etag_matches("W/\"abc\"", "\"abc\""));
    assert_true(etag_matches("\"x\", \"abc\"", "\"abc\""));
    assert_true(etag_matches("*", "\"abc\""));
    assert_false(etag_matches("\"abcd\"", "\"abc\""));
    assert_false(etag_matches("abc", "\"abc\""));
    assert_false(etag_matches("\"abc", "\"abc\""));
    assert_false(etag_matches("", "\"abc\""));
    assert_false(etag_matches(NULL, "\"abc\""));
}

static void test_report_dims_and_csv(void **state)
{
    assert_int_equal(report_dims_parse(NULL), DIM_ALL);
    assert_int_equal(report_dims_parse("need,hour"), DIM_NEED | DIM_HOUR);
    assert_int_equal(report_dims_parse("need,colour"), 0);
    assert_int_equal(report_dims_parse("need,"), DIM_NEED);
    struct report *r = report_new(0, 1);
    struct report_row row = {.arrived_ms = 0,
                             .introduced_ms = 600000,
                             .lang = "cy",
                             .needs = "debt,rent_arrears",
                             .domains = "benefits",
                             .worker_id = NULL,
                             .urgent = true};
    assert_int_equal(report_add(&row, r), 0);
    row.needs = "";
    row.introduced_ms = -1;
    assert_int_equal(report_add(&row, r), 0);
    char *csv = report_csv(r, DIM_NEED);
    assert_non_null(strstr(csv, "need,debt,1\r\n"));
    assert_non_null(strstr(csv, "unmet,no_fit,1\r\n"));
    assert_non_null(strstr(csv, "unmet,unsure,1\r\n"));
    assert_non_null(strstr(csv, "wait_min,median,10\r\n"));
    assert_null(strstr(csv, "lang,"));
    free(csv);
    report_free(r);
}

/* The taxonomy hubd validates against is assets/needs.json as loaded, not a copy. */
static void test_needs_are_the_taxonomy(void **state)
{
    const struct taxonomy *t = needs_installed();
    assert_non_null(t);
    assert_int_equal(need_count(), (size_t)t->n);
    for (int i = 0; i < t->n; i++)
        assert_ptr_equal(need_lookup(t->needs[i].id), t->needs[i].id);
    assert_null(need_lookup("not_a_need"));
}

static int load_needs(void **state)
{
    char err[256];
    struct taxonomy *t = needs_load("assets/needs.json", err, sizeof(err));
    if (!t) {
        fprintf(stderr, "hubd unit: %s\n", err);
        return -1;
    }
    needs_install(t);
    *state = t;
    return 0;
}

static int free_needs(void **state)
{
    needs_install(NULL);
    needs_free(*state);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sha256),
        cmocka_unit_test(test_utf8),
        cmocka_unit_test(test_text_controls),
        cmocka_unit_test(test_json_nul),
        cmocka_unit_test(test_malloc_countdown),
        cmocka_unit_test(test_uuid),
        cmocka_unit_test(test_times),
        cmocka_unit_test(test_ids_and_enums),
        cmocka_unit_test(test_tickets),
        cmocka_unit_test(test_percentiles),
        cmocka_unit_test(test_wait_estimate),
        cmocka_unit_test(test_checkin_parse),
        cmocka_unit_test(test_kiosk_ticket_parse),
        cmocka_unit_test(test_hdir),
        cmocka_unit_test(test_etag_match),
        cmocka_unit_test(test_report_dims_and_csv),
        cmocka_unit_test(test_needs_are_the_taxonomy),
    };
    return cmocka_run_group_tests_name("hubd unit", tests, load_needs, free_needs);
}
