/* test_hub_route.c — build/hub-route as a resident's words would reach it: the JSON line
 * contract, flags, bad arguments, unreadable files, and bytes that are not text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include <cjson/cJSON.h>
#include <cmocka.h>

static const char *bin;

/* Runs hub-route with args, feeding input; returns the exit status, stdout in out. */
static int run(const char *args, const char *input, size_t in_len, char *out, size_t cap)
{
    char cmd[1024], inpath[] = "/tmp/hub-route-in-XXXXXX";
    int fd = mkstemp(inpath);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "wb");
    assert_int_equal(fwrite(input, 1, in_len, f), in_len);
    fclose(f);
    snprintf(cmd, sizeof(cmd), "%s %s < %s 2>/tmp/hub-route-err", bin, args, inpath);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t n = fread(out, 1, cap - 1, p);
    out[n] = '\0';
    int st = pclose(p);
    remove(inpath);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void check_line(const char *line, const char *want_text)
{
    cJSON *o = cJSON_Parse(line);
    assert_non_null(o);
    const char *fields[] = {"text", "lang", "needs", "domains", "urgent", "worker", "why"};
    for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
        if (!cJSON_GetObjectItemCaseSensitive(o, fields[i]))
            fail_msg("field %s missing in %s", fields[i], line);
    assert_true(cJSON_IsArray(cJSON_GetObjectItem(o, "needs")));
    assert_true(cJSON_IsBool(cJSON_GetObjectItem(o, "urgent")));
    assert_true(cJSON_IsString(cJSON_GetObjectItem(o, "why")));
    const cJSON *w = cJSON_GetObjectItem(o, "worker");
    assert_true(cJSON_IsNull(w) || (cJSON_IsString(cJSON_GetObjectItem(w, "id")) &&
                                    cJSON_IsString(cJSON_GetObjectItem(w, "name"))));
    const cJSON *n;
    cJSON_ArrayForEach(n, cJSON_GetObjectItem(o, "needs"))
    {
        assert_true(cJSON_IsString(cJSON_GetObjectItem(n, "id")));
        assert_true(cJSON_IsString(cJSON_GetObjectItem(n, "domain")));
        double s = cJSON_GetNumberValue(cJSON_GetObjectItem(n, "score"));
        assert_true(s > 0 && s <= 1);
    }
    if (want_text)
        assert_string_equal(cJSON_GetObjectItem(o, "text")->valuestring, want_text);
    cJSON_Delete(o);
}

static void test_one_json_line_per_utterance(void **state)
{
    (void)state;
    static char out[1 << 16];
    const char in[] =
        "my landlord wants me out\n\nwhere are the toilets\r\nlast line without newline";
    assert_int_equal(run("", in, sizeof(in) - 1, out, sizeof(out)), 0);
    char *save, *line = strtok_r(out, "\n", &save);
    const char *want[] = {"my landlord wants me out", "", "where are the toilets",
                          "last line without newline"};
    int n = 0;
    for (; line; line = strtok_r(NULL, "\n", &save), n++) {
        assert_true(n < 4);
        check_line(line, want[n]);
    }
    assert_int_equal(n, 4);
}

static void test_bad_bytes_give_valid_json(void **state)
{
    (void)state;
    static char out[1 << 20];
    static char in[200000];
    static const char first[] = "rent \xFF\xFE\xC3\x28 arrears \x00 nul\n";
    memcpy(in, first, sizeof(first) - 1);
    memset(in + sizeof(first) - 1, 'a', sizeof(in) - sizeof(first)); /* a very long line */
    in[sizeof(in) - 1] = '\n';
    assert_int_equal(run("--lang cy", in, sizeof(in), out, sizeof(out)), 0);
    char *save, *line = strtok_r(out, "\n", &save);
    int n = 0;
    for (; line; line = strtok_r(NULL, "\n", &save), n++)
        check_line(line, NULL);
    assert_int_equal(n, 2);
}

static void test_flags_and_errors(void **state)
{
    (void)state;
    char out[4096];
    assert_int_equal(run("--help", "", 0, out, sizeof(out)), 0);
    assert_non_null(strstr(out, "--directory"));
    assert_int_not_equal(run("--bogus", "", 0, out, sizeof(out)), 0);
    assert_int_not_equal(run("--directory", "", 0, out, sizeof(out)), 0);
    assert_int_not_equal(run("--directory /no/such/hub.json", "x\n", 2, out, sizeof(out)), 0);
    assert_string_equal(out, "");
    assert_int_not_equal(run("--directory tests/unit/test_hub_route.c", "x\n", 2, out, sizeof(out)),
                         0);
    FILE *e = fopen("/tmp/hub-route-err", "r");
    char msg[512] = "";
    assert_non_null(fgets(msg, sizeof(msg), e));
    fclose(e);
    assert_non_null(strstr(msg, "hub-route:"));
}

static void test_other_directory(void **state)
{
    (void)state;
    char out[4096];
    const char *path = "/tmp/hub-route-dir.json";
    FILE *f = fopen(path, "w");
    fputs("{\"hub\":{\"id\":\"x\",\"name\":\"X\"},\"workers\":[{\"id\":\"w-only\",\"name\":"
          "\"Only One\",\"domains\":[\"housing\",\"health\",\"benefits\"],\"languages\":[\"en\"],"
          "\"status\":\"available\",\"future_field\":{\"a\":1}}]}",
          f);
    fclose(f);
    const char in[] = "my landlord wants me out\n";
    assert_int_equal(
        run("--directory /tmp/hub-route-dir.json", in, sizeof(in) - 1, out, sizeof(out)), 0);
    assert_non_null(strstr(out, "\"w-only\""));
    remove(path);
}

/* Line k (from 0) of hub-route's output, parsed; the caller frees. */
static cJSON *line_json(const char *out, int k)
{
    const char *p = out;
    for (int i = 0; i < k && p; i++)
        if ((p = strchr(p, '\n')))
            p++;
    assert_non_null(p);
    const char *end = strchr(p, '\n');
    cJSON *o = cJSON_ParseWithLength(p, end ? (size_t)(end - p) : strlen(p));
    assert_non_null(o);
    return o;
}

/* A worker asked for by name is the worker; a language asked for goes to reception, naming
 * who speaks it. */
static void test_asked_for(void **state)
{
    (void)state;
    char out[8192];
    const char in[] = "here to see sian please\nI speak Polish, no english\n";
    assert_int_equal(run("", in, sizeof(in) - 1, out, sizeof(out)), 0);
    cJSON *a = line_json(out, 0), *b = line_json(out, 1);
    const cJSON *w = cJSON_GetObjectItem(a, "worker");
    assert_string_equal(cJSON_GetObjectItem(w, "id")->valuestring, "w-sian");
    assert_string_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(a, "asked"), "worker")->valuestring,
                        "w-sian");
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(b, "worker")));
    const cJSON *asked = cJSON_GetObjectItem(b, "asked");
    assert_string_equal(cJSON_GetObjectItem(asked, "language")->valuestring, "pl");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(asked, "interpreter")));
    const cJSON *sp = cJSON_GetObjectItem(asked, "speakers");
    assert_int_equal(cJSON_GetArraySize(sp), 1);
    assert_string_equal(cJSON_GetArrayItem(sp, 0)->valuestring, "Tomasz Nowak");
    assert_non_null(strstr(cJSON_GetObjectItem(b, "why")->valuestring, "Polish"));
    cJSON_Delete(a);
    cJSON_Delete(b);
}

int main(int argc, char **argv)
{
    bin = argc > 1 ? argv[1] : "build/hub-route";
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_json_line_per_utterance),
        cmocka_unit_test(test_bad_bytes_give_valid_json),
        cmocka_unit_test(test_flags_and_errors),
        cmocka_unit_test(test_other_directory),
        cmocka_unit_test(test_asked_for),
    };
    return cmocka_run_group_tests_name("hub-route", tests, NULL, NULL);
}
