/* test_proto.c — unit tests of services/proto, the contract both ends link: UTF-8 cuts, the
 * capped buffer and file read, the check-in codec kiosk-encode -> hubd-decode at every cap
 * (with flags and fingerprints), the batch answer both ways, and the directory codec. */
#include "proto/buf.h"
#include "proto/checkin.h"
#include "proto/hubdir.h"
#include "proto/limits.h"
#include "proto/taxonomy.h"
#include "proto/utf8.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CJK   "\xe5\xbc\xa0"     /* U+5F20, three bytes */
#define EMOJI "\xf0\x9f\x99\x82" /* U+1F642, four bytes */

/* n copies of the character ch into out (NUL-terminated). */
static char *repeat(const char *ch, size_t n)
{
    size_t k = strlen(ch);
    char *out = malloc(n * k + 1);
    assert_non_null(out);
    for (size_t i = 0; i < n; i++)
        memcpy(out + i * k, ch, k);
    out[n * k] = '\0';
    return out;
}

static void test_utf8(void **state)
{
    assert_true(utf8_valid("t\xC5\xB7", 3));
    assert_false(utf8_valid("\xC0\xAF", 2));         /* overlong */
    assert_false(utf8_valid("\xED\xA0\x80", 3));     /* a surrogate */
    assert_false(utf8_valid("\xF4\x90\x80\x80", 4)); /* past U+10FFFF */
    assert_false(utf8_valid("\xE5\xBC", 2));         /* cut short */
    char *s = repeat(CJK, 45);
    assert_int_equal(utf8_chars(s, strlen(s)), 45);
    assert_int_equal(utf8_cut(s, strlen(s), 40, 1000), 120);
    assert_int_equal(utf8_cut(s, strlen(s), 40, 119), 117); /* never inside a character */
    assert_true(utf8_truncate(s, 40, LIMIT_NAME_BYTES));
    assert_int_equal(strlen(s), 120);
    assert_false(utf8_truncate(s, 40, LIMIT_NAME_BYTES));
    free(s);
    assert_true(text_clean("line\nnext", true));
    assert_false(text_clean("line\nnext", false));
    assert_false(text_clean("a\xC2\x85", true)); /* C1 */
    assert_false(text_clean("a\xE2\x80\xAE"
                            "b",
                            false)); /* bidi override */
    assert_true(text_clean("a\xE2\x80\xAE"
                           "b",
                           true));
}

static void test_buf(void **state)
{
    struct buf b;
    char err[256];
    size_t len;
    buf_init(&b, 8);
    assert_int_equal(buf_add(&b, "abcd", 4), 0);
    assert_int_equal(buf_add(&b, "efgh", 4), 0);
    assert_int_equal(buf_add(&b, "i", 1), -1);
    assert_true(b.toobig);
    assert_int_equal(b.len, 8);
    char *p = buf_take(&b, &len);
    assert_string_equal(p, "abcdefgh");
    assert_int_equal(len, 8);
    free(p);
    assert_int_equal(b.len, 0);
    buf_free(&b);
    assert_null(buf_read_file("no/such/file", 100, &len, err, sizeof(err)));
    assert_non_null(strstr(err, "no/such/file"));
    assert_null(buf_read_file("assets/needs.json", 100, &len, err, sizeof(err)));
    assert_non_null(strstr(err, "larger than 100 bytes"));
    p = buf_read_file("assets/needs.json", LIMIT_TAXONOMY_FILE_BYTES, &len, err, sizeof(err));
    assert_non_null(p);
    assert_int_equal(strlen(p), len);
    free(p);
}

/* A check-in as the kiosk would build it. */
static struct checkin kiosk_checkin(const char *id, char *name, char *text)
{
    struct checkin c = {.created_ms = 1740823200123LL, .urgent = false, .consent = true};
    snprintf(c.id, sizeof(c.id), "%s", id);
    snprintf(c.lang, sizeof(c.lang), "cy");
    c.needs[c.n_needs++] = "rent_arrears";
    c.needs[c.n_needs++] = "debt";
    c.domains[c.n_domains++] = "housing";
    c.domains[c.n_domains++] = "benefits";
    c.has_worker = true;
    snprintf(c.worker_id, sizeof(c.worker_id), "w-sian");
    c.chosen_by = "router";
    c.name = name;
    c.text = text;
    snprintf(c.kiosk_ticket, sizeof(c.kiosk_ticket), "H-A07");
    return c;
}

/* Encodes c as the kiosk does and decodes it as hubd does. */
static int round_trip(const struct checkin *c, struct checkin *out)
{
    char err[160];
    char *json = checkin_to_json(c);
    assert_non_null(json);
    cJSON *o = cJSON_Parse(json);
    free(json);
    assert_non_null(o);
    int rc = checkin_parse(o, out, err, sizeof(err));
    cJSON_Delete(o);
    return rc;
}

static void test_checkin_round_trip_at_every_cap(void **state)
{
    const struct {
        const char *ch;
        size_t name_chars, text_chars;
        unsigned flags;
    } cases[] = {
        {CJK, 30, 10, 0},
        {CJK, LIMIT_NAME_CHARS, LIMIT_TEXT_CHARS, 0},
        {EMOJI, LIMIT_NAME_CHARS, LIMIT_TEXT_CHARS, 0},
        {CJK, LIMIT_NAME_CHARS + 1, LIMIT_TEXT_CHARS, CHECKIN_NAME_CUT},
        {EMOJI, LIMIT_NAME_CHARS, LIMIT_TEXT_CHARS + 1, CHECKIN_TEXT_CUT},
        {"a", LIMIT_NAME_CHARS + 5, LIMIT_TEXT_CHARS + 5, CHECKIN_NAME_CUT | CHECKIN_TEXT_CUT},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *name = repeat(cases[i].ch, cases[i].name_chars);
        char *text = repeat(cases[i].ch, cases[i].text_chars);
        struct checkin c = kiosk_checkin("3f1c2a4e-1b2c-4d3e-8f40-123456789abc", name, text), d;
        assert_int_equal(round_trip(&c, &d), 0);
        if (d.flags != cases[i].flags)
            fail_msg("case %zu: flags %u, not %u", i, d.flags, cases[i].flags);
        size_t want_name =
            cases[i].name_chars > LIMIT_NAME_CHARS ? LIMIT_NAME_CHARS : cases[i].name_chars;
        size_t want_text =
            cases[i].text_chars > LIMIT_TEXT_CHARS ? LIMIT_TEXT_CHARS : cases[i].text_chars;
        assert_int_equal(utf8_chars(d.name, strlen(d.name)), want_name);
        assert_int_equal(utf8_chars(d.text, strlen(d.text)), want_text);
        assert_memory_equal(d.name, name, strlen(d.name)); /* a prefix, whole characters */
        assert_true(utf8_valid(d.text, strlen(d.text)));
        assert_string_equal(d.id, c.id);
        assert_int_equal(d.created_ms, c.created_ms);
        assert_string_equal(d.lang, "cy");
        assert_int_equal(d.n_needs, 2);
        assert_string_equal(d.needs[1], "debt");
        assert_string_equal(d.domains[0], "housing");
        assert_true(d.has_worker);
        assert_string_equal(d.worker_id, "w-sian");
        assert_string_equal(d.chosen_by, "router");
        assert_string_equal(d.kiosk_ticket, "H-A07");
        /* a resend of the same body is the same check-in (the same fingerprint); and what hubd
         * kept whole encodes and decodes to the fingerprint it had */
        struct checkin e;
        assert_int_equal(round_trip(d.flags ? &c : &d, &e), 0);
        assert_memory_equal(e.hash, d.hash, SHA256_LEN);
        assert_memory_equal(e.coded_hash, d.coded_hash, SHA256_LEN);
        checkin_release(&e);
        checkin_release(&d);
        free(name);
        free(text);
    }
}

static void test_checkin_keeps_what_it_can(void **state)
{
    char err[160];
    struct checkin c;
    const char *body = "{\"id\":\"3F1C2A4E-1B2C-4D3E-8F40-123456789ABC\","
                       "\"created_at\":\"2025-03-01T10:00:00+00:00\",\"lang\":\"en\","
                       "\"needs\":[\"no_such_need\",\"debt\",\"debt\"],"
                       "\"domains\":[\"money\",\"benefits\"],\"urgent\":false,\"worker_id\":null,"
                       "\"chosen_by\":\"reception\",\"consent\":false,\"text\":\"not kept\","
                       "\"future_field\":[1,2]}";
    cJSON *o = cJSON_Parse(body);
    assert_int_equal(checkin_parse(o, &c, err, sizeof(err)), 0);
    assert_string_equal(c.id, "3f1c2a4e-1b2c-4d3e-8f40-123456789abc");
    assert_int_equal(c.flags, CHECKIN_NEED_DROPPED);
    assert_int_equal(c.n_needs, 1);
    assert_int_equal(c.n_domains, 1);
    assert_false(c.has_worker);
    assert_null(c.text); /* no consent: the words are never kept */
    checkin_release(&c);
    cJSON_Delete(o);
    /* malformed structure is still refused, naming the field */
    const char *bad[][2] = {
        {"[]", "checkin"},
        {"{\"id\":\"nope\"}", "id"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        o = cJSON_Parse(bad[i][0]);
        assert_int_equal(checkin_parse(o, &c, err, sizeof(err)), -1);
        assert_non_null(strstr(err, bad[i][1]));
        cJSON_Delete(o);
    }
}

static void test_answer_both_ways(void **state)
{
    struct checkin_result r = {.status = 201,
                               .position = 2,
                               .wait_min = 15,
                               .flags = CHECKIN_WORKER_UNKNOWN | CHECKIN_NAME_CUT},
                          back;
    char id[UUID_LEN + 1];
    snprintf(r.ticket, sizeof(r.ticket), "H-A07");
    cJSON *o = checkin_result_json("3f1c2a4e-1b2c-4d3e-8f40-123456789abc", &r, true);
    assert_non_null(o);
    assert_int_equal(checkin_result_parse(o, id, &back), 0);
    cJSON_Delete(o);
    assert_string_equal(id, "3f1c2a4e-1b2c-4d3e-8f40-123456789abc");
    assert_int_equal(back.status, 201);
    assert_string_equal(back.ticket, "H-A07");
    assert_int_equal(back.position, 2);
    assert_int_equal(back.wait_min, 15);
    assert_int_equal(back.flags, r.flags);
    char joined[64];
    assert_int_equal(checkin_flags_join(r.flags, joined, sizeof(joined)), 0);
    assert_string_equal(joined, "worker_unknown,name_cut");
    assert_int_equal(checkin_flags_split(joined), r.flags);
    struct checkin_result refused = {.status = 409};
    snprintf(refused.error, sizeof(refused.error), "id: already used");
    o = checkin_result_json("3f1c2a4e-1b2c-4d3e-8f40-123456789abc", &refused, true);
    assert_int_equal(checkin_result_parse(o, id, &back), 0);
    assert_int_equal(back.status, 409);
    assert_string_equal(back.error, "id: already used");
    cJSON_Delete(o);
}

static void test_directory_round_trip(void **state)
{
    char err[256];
    size_t len;
    struct hdir d, e;
    char *json =
        buf_read_file("assets/demo-hub.json", LIMIT_DIR_FILE_BYTES, &len, err, sizeof(err));
    assert_non_null(json);
    assert_int_equal(hdir_parse(json, len, &d, err, sizeof(err)), 0);
    free(json);
    char *once = hdir_to_json(&d);
    assert_int_equal(hdir_parse(once, strlen(once), &e, err, sizeof(err)), 0);
    char *twice = hdir_to_json(&e);
    assert_string_equal(once, twice);
    free(once);
    free(twice);
    hdir_release(&d);
    hdir_release(&e);
    const char *bad[][2] = {
        {"{\"hub\":{\"id\":\"h\",\"name\":\"H\"},\"workers\":[{\"id\":\"a\",\"name\":\"A\","
         "\"domains\":[\"housing\"],\"languages\":[\"en\"],\"needs\":[\"no_such_need\"]}]}",
         "workers[0].needs[0]"},
        {"{\"hub\":{\"id\":\"h\",\"name\":\"H\"},\"workers\":[{\"id\":\"a\",\"name\":\"A\","
         "\"domains\":[\"housing\"],\"languages\":[\"en\"],\"waiting\":-1}]}",
         "workers[0].waiting"},
        {"{\"hub\":{\"id\":\"h\",\"name\":\"\"},\"workers\":[]}", "hub.name"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        if (hdir_parse(bad[i][0], strlen(bad[i][0]), &d, err, sizeof(err)) == 0 ||
            !strstr(err, bad[i][1]))
            fail_msg("case %zu: '%s' does not name %s", i, err, bad[i][1]);
    }
}

static int load_needs(void **state)
{
    char err[256];
    struct taxonomy *t = needs_load("assets/needs.json", err, sizeof(err));
    if (!t) {
        fprintf(stderr, "test_proto: %s\n", err);
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
        cmocka_unit_test(test_utf8),
        cmocka_unit_test(test_buf),
        cmocka_unit_test(test_checkin_round_trip_at_every_cap),
        cmocka_unit_test(test_checkin_keeps_what_it_can),
        cmocka_unit_test(test_answer_both_ways),
        cmocka_unit_test(test_directory_round_trip),
    };
    return cmocka_run_group_tests_name("proto", tests, load_needs, free_needs);
}
