/* Value conversion, equality, ordering, hashing and rendering. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fh_test.h"
#include "foxhound/value_ops.h"
#include "table/value_text.h"

static int setup_arena(void **state)
{
    fh_arena *arena = malloc(sizeof *arena);
    if (arena == NULL)
        return -1;
    fh_arena_init(arena);
    *state = arena;
    return 0;
}

static int teardown_arena(void **state)
{
    fh_arena_destroy(*state);
    free(*state);
    return 0;
}

static fh_value convert(fh_arena *arena, fh_type type, const char *text, fh_status expected)
{
    fh_value v;
    fh_status st = fh_value_from_text(type, text, strlen(text), arena, &v);
    if (st != expected)
        fail_msg("%s from \"%s\": status %d, expected %d", fh_type_name(type), text, (int)st,
                 (int)expected);
    assert_int_equal(v.type, type);
    return v;
}

/* Renders a value with fh_value_to_string into a NUL-terminated test buffer. */
static const char *text_of(fh_arena *arena, fh_value v)
{
    const char *ptr = NULL;
    size_t len = 0;
    assert_int_equal(fh_value_to_string(&v, arena, &ptr, &len), FH_OK);
    return fh_arena_strndup(arena, ptr, len);
}

static fh_value dynamic_of(fh_arena *arena, const char *json_text)
{
    return convert(arena, FH_TYPE_DYNAMIC, json_text, FH_OK);
}

static void from_text_numbers(void **state)
{
    fh_arena *arena = *state;
    assert_int_equal(convert(arena, FH_TYPE_INT, "42", FH_OK).u.i, 42);
    assert_int_equal(convert(arena, FH_TYPE_INT, " -7 ", FH_OK).u.i, -7);
    assert_int_equal(convert(arena, FH_TYPE_INT, "-2147483648", FH_OK).u.i, INT32_MIN);
    assert_true(convert(arena, FH_TYPE_INT, "2147483648", FH_ERR_INVALID).is_null);
    assert_true(convert(arena, FH_TYPE_INT, "", FH_OK).is_null);
    assert_true(convert(arena, FH_TYPE_INT, "1.5", FH_ERR_INVALID).is_null);
    assert_true(convert(arena, FH_TYPE_INT, "0x10", FH_ERR_INVALID).is_null);

    assert_int_equal(convert(arena, FH_TYPE_LONG, "9223372036854775807", FH_OK).u.l, INT64_MAX);
    assert_int_equal(convert(arena, FH_TYPE_LONG, "-9223372036854775808", FH_OK).u.l, INT64_MIN);
    assert_true(convert(arena, FH_TYPE_LONG, "9223372036854775808", FH_ERR_INVALID).is_null);
    assert_true(convert(arena, FH_TYPE_LONG, "-", FH_ERR_INVALID).is_null);

    assert_true(convert(arena, FH_TYPE_REAL, "0.1", FH_OK).u.r == 0.1);
    assert_true(convert(arena, FH_TYPE_REAL, "-1e3", FH_OK).u.r == -1000.0);
    assert_true(isnan(convert(arena, FH_TYPE_REAL, "NaN", FH_OK).u.r));
    assert_true(convert(arena, FH_TYPE_REAL, "-Infinity", FH_OK).u.r == -INFINITY);
    assert_true(convert(arena, FH_TYPE_REAL, "0x10", FH_ERR_INVALID).is_null);
    assert_true(convert(arena, FH_TYPE_REAL, "1,5", FH_ERR_INVALID).is_null);
    assert_true(convert(arena, FH_TYPE_REAL, "e5", FH_ERR_INVALID).is_null);
}

static void from_text_other_types(void **state)
{
    fh_arena *arena = *state;
    assert_true(convert(arena, FH_TYPE_BOOL, "True", FH_OK).u.b);
    assert_false(convert(arena, FH_TYPE_BOOL, "0", FH_OK).u.b);
    assert_true(convert(arena, FH_TYPE_BOOL, "yes", FH_ERR_INVALID).is_null);

    fh_value dt = convert(arena, FH_TYPE_DATETIME, "2026-06-11 08:20:03 UTC", FH_OK);
    assert_int_equal(dt.u.ticks, 17811660030000000LL);
    assert_true(convert(arena, FH_TYPE_DATETIME, "2026-02-30", FH_ERR_INVALID).is_null);
    assert_int_equal(convert(arena, FH_TYPE_TIMESPAN, "1.5h", FH_OK).u.ticks, 54000000000LL);

    fh_value guid = convert(arena, FH_TYPE_GUID, "F1E2D3C4-b5a6-9788-0011-223344556677", FH_OK);
    assert_int_equal(guid.u.guid[0], 0xF1);
    assert_int_equal(guid.u.guid[15], 0x77);
    assert_string_equal(text_of(arena, guid), "f1e2d3c4-b5a6-9788-0011-223344556677");
    assert_true(convert(arena, FH_TYPE_GUID, "f1e2d3c4b5a6978800112233445566770000", FH_ERR_INVALID)
                    .is_null);
}

static void from_text_strings(void **state)
{
    fh_arena *arena = *state;
    char text[] = " 10.0.0.1 ";
    fh_value v = convert(arena, FH_TYPE_STRING, text, FH_OK);
    assert_false(v.is_null);
    assert_int_equal(v.u.s.len, 10);
    assert_memory_equal(v.u.s.ptr, " 10.0.0.1 ", 10);
    assert_ptr_not_equal(v.u.s.ptr, text);

    fh_value empty = convert(arena, FH_TYPE_STRING, "", FH_OK);
    assert_false(empty.is_null);
    assert_int_equal(empty.u.s.len, 0);
}

static void from_text_dynamic(void **state)
{
    fh_arena *arena = *state;
    fh_value obj = dynamic_of(arena, "{\"port\": 443, \"tags\": [\"c2\"]}");
    assert_true(json_is_object(obj.u.dyn));
    assert_int_equal(json_integer_value(json_object_get(obj.u.dyn, "port")), 443);

    fh_value not_json = dynamic_of(arena, "not json");
    assert_true(json_is_string(not_json.u.dyn));
    assert_string_equal(json_string_value(not_json.u.dyn), "not json");

    assert_true(dynamic_of(arena, "null").is_null);
    assert_true(dynamic_of(arena, "").is_null);

    /* FH_MAX_JSON_DEPTH (64) nested arrays are accepted and one more is rejected. */
    char deep[200];
    memset(deep, '[', 65);
    memset(deep + 65, ']', 65);
    deep[130] = '\0';
    assert_true(convert(arena, FH_TYPE_DYNAMIC, deep, FH_ERR_LIMIT).is_null);
    fh_value at_cap;
    assert_int_equal(fh_value_from_text(FH_TYPE_DYNAMIC, deep + 1, 128, arena, &at_cap), FH_OK);
    assert_true(json_is_array(at_cap.u.dyn));
}

static fh_value from_json_text(fh_arena *arena, fh_type type, const char *json_text,
                               fh_status expected)
{
    json_t *json = json_loads(json_text, JSON_DECODE_ANY, NULL);
    assert_non_null(json);
    fh_value v;
    fh_status st = fh_value_from_json(type, json, arena, &v);
    json_decref(json);
    if (st != expected)
        fail_msg("%s from JSON %s: status %d, expected %d", fh_type_name(type), json_text, (int)st,
                 (int)expected);
    return v;
}

static void from_json_types(void **state)
{
    fh_arena *arena = *state;
    assert_int_equal(from_json_text(arena, FH_TYPE_INT, "\"443\"", FH_OK).u.i, 443);
    assert_int_equal(from_json_text(arena, FH_TYPE_LONG, "3.9", FH_OK).u.l, 3);
    assert_int_equal(from_json_text(arena, FH_TYPE_INT, "-3.9", FH_OK).u.i, -3);
    assert_true(from_json_text(arena, FH_TYPE_INT, "1e30", FH_ERR_INVALID).is_null);
    assert_true(from_json_text(arena, FH_TYPE_REAL, "2", FH_OK).u.r == 2.0);
    assert_true(from_json_text(arena, FH_TYPE_BOOL, "true", FH_OK).u.b);
    assert_true(from_json_text(arena, FH_TYPE_LONG, "null", FH_OK).is_null);
    assert_int_equal(from_json_text(arena, FH_TYPE_DATETIME, "1573804384", FH_OK).u.ticks,
                     15738043840000000LL);
    assert_true(from_json_text(arena, FH_TYPE_GUID, "12", FH_ERR_INVALID).is_null);

    assert_string_equal(text_of(arena, from_json_text(arena, FH_TYPE_STRING, "true", FH_OK)),
                        "true");
    assert_string_equal(text_of(arena, from_json_text(arena, FH_TYPE_STRING, "0.5", FH_OK)), "0.5");
    assert_string_equal(
        text_of(arena, from_json_text(arena, FH_TYPE_STRING, "{\"a\": [1, 2.5]}", FH_OK)),
        "{\"a\":[1,2.5]}");

    fh_value dyn = from_json_text(arena, FH_TYPE_DYNAMIC, "\"{\\\"k\\\":1}\"", FH_OK);
    assert_true(json_is_object(dyn.u.dyn));
    fh_value arr = from_json_text(arena, FH_TYPE_DYNAMIC, "[1,2]", FH_OK);
    assert_int_equal(json_array_size(arr.u.dyn), 2);
    assert_true(from_json_text(arena, FH_TYPE_LONG, "[1]", FH_ERR_INVALID).is_null);
}

static void equal_across_numbers(void **state)
{
    (void)state;
    fh_value i = fh_value_int(1);
    fh_value l = fh_value_long(1);
    fh_value r = fh_value_real(1.0);
    assert_true(fh_value_equal(&i, &l));
    assert_true(fh_value_equal(&l, &r));
    assert_true(fh_value_equal(&i, &r));
    assert_int_equal(fh_value_compare(&i, &r), 0);
    assert_true(fh_value_hash(&i) == fh_value_hash(&l));
    assert_true(fh_value_hash(&l) == fh_value_hash(&r));

    fh_value big = fh_value_long((1LL << 53) + 1);
    fh_value big_real = fh_value_real((double)(1LL << 53));
    assert_false(fh_value_equal(&big, &big_real));
    assert_true(fh_value_compare(&big, &big_real) > 0);

    fh_value zero = fh_value_long(0);
    fh_value negative_zero = fh_value_real(-0.0);
    assert_true(fh_value_equal(&zero, &negative_zero));
    assert_true(fh_value_hash(&zero) == fh_value_hash(&negative_zero));

    fh_value half = fh_value_real(1.5);
    fh_value two = fh_value_int(2);
    assert_true(fh_value_compare(&l, &half) < 0);
    assert_true(fh_value_compare(&half, &two) < 0);
    assert_false(fh_value_equal(&half, &l));
}

static void equal_nulls_and_nan(void **state)
{
    (void)state;
    fh_value null_long = fh_value_null(FH_TYPE_LONG);
    fh_value nan = fh_value_real(NAN);
    assert_false(fh_value_equal(&null_long, &null_long));
    assert_false(fh_value_equal(&nan, &nan));
    assert_int_equal(fh_value_compare(&null_long, &null_long), 0);
    assert_int_equal(fh_value_compare(&nan, &nan), 0);
    assert_true(fh_value_hash(&nan) == fh_value_hash(&nan));

    fh_value minus_infinity = fh_value_real(-INFINITY);
    fh_value empty = fh_value_null(FH_TYPE_STRING);
    assert_true(fh_value_compare(&null_long, &nan) < 0);
    assert_true(fh_value_compare(&nan, &minus_infinity) < 0);
    assert_true(fh_value_compare(&null_long, &empty) < 0);
    assert_false(fh_value_equal(&empty, &null_long));
}

static void equal_strings_and_case(void **state)
{
    (void)state;
    const char *upper = "ABC.example";
    const char *lower = "abc.example";
    fh_value a = fh_value_string(upper, strlen(upper));
    fh_value b = fh_value_string(lower, strlen(lower));
    assert_false(fh_value_equal(&a, &b));
    assert_true(fh_value_equal_nocase(&a, &b));
    assert_true(fh_value_hash_nocase(&a) == fh_value_hash_nocase(&b));
    assert_true(fh_value_hash(&a) != fh_value_hash(&b));
    assert_true(fh_value_compare(&a, &b) < 0);

    fh_value prefix = fh_value_string(lower, 3);
    assert_true(fh_value_compare(&prefix, &b) < 0);
    assert_false(fh_value_equal(&prefix, &b));
}

static void equal_dynamic_values(void **state)
{
    fh_arena *arena = *state;
    fh_value obj1 = dynamic_of(arena, "{\"a\":1,\"b\":[true,\"x\"]}");
    fh_value obj2 = dynamic_of(arena, "{\"b\":[true,\"x\"],\"a\":1}");
    fh_value obj3 = dynamic_of(arena, "{\"a\":1.0,\"b\":[true,\"x\"]}");
    assert_true(fh_value_equal(&obj1, &obj2));
    assert_int_equal(fh_value_compare(&obj1, &obj2), 0);
    assert_true(fh_value_hash(&obj1) == fh_value_hash(&obj2));
    assert_false(fh_value_equal(&obj1, &obj3));
    assert_true(fh_value_compare(&obj1, &obj3) != 0);

    fh_value dyn_string = dynamic_of(arena, "\"10.0.0.1\"");
    fh_value plain = fh_value_string("10.0.0.1", 8);
    assert_true(fh_value_equal(&dyn_string, &plain));
    assert_true(fh_value_hash(&dyn_string) == fh_value_hash(&plain));

    fh_value dyn_port = dynamic_of(arena, "443");
    fh_value port = fh_value_int(443);
    assert_true(fh_value_equal(&dyn_port, &port));
    assert_true(fh_value_hash(&dyn_port) == fh_value_hash(&port));
    assert_false(fh_value_equal(&dyn_port, &plain));
}

static void compare_orders_types(void **state)
{
    (void)state;
    uint8_t guid[16] = {0};
    fh_value ordered[7];
    ordered[0] = fh_value_null(FH_TYPE_DATETIME);
    ordered[1] = fh_value_bool(true);
    ordered[2] = fh_value_long(-5);
    ordered[3] = fh_value_datetime(0);
    ordered[4] = fh_value_timespan(0);
    ordered[5] = fh_value_string("a", 1);
    ordered[6] = fh_value_null(FH_TYPE_GUID);
    ordered[6].is_null = false;
    memcpy(ordered[6].u.guid, guid, 16);
    for (size_t i = 0; i < 7; i++) {
        for (size_t j = 0; j < 7; j++) {
            int c = fh_value_compare(&ordered[i], &ordered[j]);
            if ((i < j && c >= 0) || (i > j && c <= 0) || (i == j && c != 0))
                fail_msg("compare(%zu, %zu) = %d", i, j, c);
        }
    }

    fh_value dt = fh_value_datetime(5);
    fh_value ts = fh_value_timespan(5);
    fh_value five = fh_value_long(5);
    assert_false(fh_value_equal(&dt, &ts));
    assert_false(fh_value_equal(&dt, &five));
}

static void hash_spreads_longs(void **state)
{
    (void)state;
    /* 4096 consecutive longs must give 4096 different hashes and use every bucket of 256. */
    enum { COUNT = 4096 };
    uint64_t *hashes = malloc(COUNT * sizeof *hashes);
    assert_non_null(hashes);
    bool bucket_used[256] = {false};
    for (int i = 0; i < COUNT; i++) {
        fh_value v = fh_value_long(i);
        hashes[i] = fh_value_hash(&v);
        bucket_used[hashes[i] & 255] = true;
    }
    for (int i = 0; i < COUNT; i++) {
        for (int j = i + 1; j < COUNT; j++) {
            if (hashes[i] == hashes[j])
                fail_msg("longs %d and %d hash alike", i, j);
        }
    }
    for (int b = 0; b < 256; b++)
        assert_true(bucket_used[b]);
    free(hashes);
}

static void to_string_every_type(void **state)
{
    fh_arena *arena = *state;
    assert_string_equal(text_of(arena, fh_value_bool(true)), "true");
    assert_string_equal(text_of(arena, fh_value_bool(false)), "false");
    assert_string_equal(text_of(arena, fh_value_int(-42)), "-42");
    assert_string_equal(text_of(arena, fh_value_long(INT64_MIN)), "-9223372036854775808");
    assert_string_equal(text_of(arena, fh_value_real(1.5)), "1.5");
    assert_string_equal(text_of(arena, fh_value_datetime(17044488001234567LL)),
                        "2024-01-05T10:00:00.1234567Z");
    assert_string_equal(text_of(arena, fh_value_timespan(937845000000LL)), "1.02:03:04.5000000");
    assert_string_equal(text_of(arena, fh_value_string("x\ty", 3)), "x\ty");
    assert_string_equal(text_of(arena, dynamic_of(arena, "\"plain\"")), "plain");
    assert_string_equal(text_of(arena, dynamic_of(arena, "{ \"k\" : [1, \"v\", null] }")),
                        "{\"k\":[1,\"v\",null]}");

    for (int t = 0; t < FH_TYPE_COUNT; t++)
        assert_string_equal(text_of(arena, fh_value_null((fh_type)t)), "");
}

static void to_string_reals(void **state)
{
    fh_arena *arena = *state;
    static const struct {
        double value;
        const char *text;
    } cases[] = {
        {0.1, "0.1"},
        {1.0, "1"},
        {-2.5, "-2.5"},
        {1.0 / 3.0, "0.3333333333333333"},
        {0.1 + 0.2, "0.30000000000000004"},
        {123456789012345.0, "123456789012345"},
        {1e15, "1E+15"},
        {1e20, "1E+20"},
        {1.7976931348623157e308, "1.7976931348623157E+308"},
        {0.0001, "0.0001"},
        {0.00001, "1E-05"},
        {5e-324, "5E-324"},
        {100.0, "100"},
        {0.0, "0"},
        {NAN, "NaN"},
        {INFINITY, "Infinity"},
        {-INFINITY, "-Infinity"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *text = text_of(arena, fh_value_real(cases[i].value));
        if (strcmp(text, cases[i].text) != 0)
            fail_msg("%.17g printed as %s, expected %s", cases[i].value, text, cases[i].text);
        double back = strtod(text, NULL);
        if (isfinite(cases[i].value) && back != cases[i].value)
            fail_msg("%s does not parse back to %.17g", text, cases[i].value);
    }
}

static char *json_text_of(json_t *json)
{
    assert_non_null(json);
    fh_strbuf sb;
    fh_strbuf_init(&sb);
    fh_json_append(&sb, json);
    json_decref(json);
    assert_int_equal(fh_strbuf_status(&sb), FH_OK);
    return fh_strbuf_take(&sb);
}

static void to_json_every_type(void **state)
{
    fh_arena *arena = *state;
    static const char invalid_utf8[] = "a\xff\xc3\xa9";
    struct {
        fh_value value;
        const char *json;
    } cases[] = {
        {fh_value_null(FH_TYPE_LONG), "null"},
        {fh_value_bool(true), "true"},
        {fh_value_int(7), "7"},
        {fh_value_long(-9), "-9"},
        {fh_value_real(0.25), "0.25"},
        {fh_value_real(NAN), "\"NaN\""},
        {fh_value_datetime(0), "\"1970-01-01T00:00:00Z\""},
        {fh_value_timespan(-10000000), "\"-00:00:01\""},
        {fh_value_string("q\"\\\n", 4), "\"q\\\"\\\\\\n\""},
        {fh_value_string(invalid_utf8, 4), "\"a\xef\xbf\xbd\xc3\xa9\""},
        {dynamic_of(arena, "[1,{\"x\":\"y\"}]"), "[1,{\"x\":\"y\"}]"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *text = json_text_of(fh_value_to_json(&cases[i].value));
        if (strcmp(text, cases[i].json) != 0)
            fail_msg("case %zu gave %s, expected %s", i, text, cases[i].json);
        free(text);
    }
}

static void json_string_escapes(void **state)
{
    (void)state;
    static const char input[] = "\x01\x1f\x7f\b\f\r\t/\xe2\x80\xa8\xed\xa0\x80\xf4\x90\x80\x80";
    fh_strbuf sb;
    fh_strbuf_init(&sb);
    fh_json_append_string(&sb, input, sizeof input - 1);
    /* Valid U+2028 passes through. A surrogate (ED A0 80) and a code point above U+10FFFF
     * (F4 90 80 80) are invalid UTF-8, so each of their bytes becomes U+FFFD. */
    const char *expected = "\"\\u0001\\u001f\x7f\\b\\f\\r\\t/\xe2\x80\xa8"
                           "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"
                           "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"";
    assert_string_equal(sb.data, expected);
    fh_strbuf_free(&sb);
}

static void dynamic_from_defender_export(void **state)
{
    fh_arena *arena = *state;
    char *path = fh_test_shared_path(
        "data/public/defender/otrf_GoldenSAMLADFSMailAccess_Microsoft365DefenderEvents.json");
    assert_non_null(path);
    size_t len = 0;
    char *data = fh_test_read_file(path, &len);
    assert_non_null(data);

    /* Each line is one event. Every line must become a dynamic object, and each Timestamp
     * must convert to a datetime. */
    size_t events = 0;
    for (char *line = data; line < data + len;) {
        char *end = memchr(line, '\n', (size_t)(data + len - line));
        size_t line_len = end ? (size_t)(end - line) : (size_t)(data + len - line);
        if (line_len > 0) {
            fh_value event;
            assert_int_equal(fh_value_from_text(FH_TYPE_DYNAMIC, line, line_len, arena, &event),
                             FH_OK);
            assert_true(json_is_object(event.u.dyn));
            json_t *stamp = json_object_get(event.u.dyn, "Timestamp");
            if (stamp != NULL) {
                fh_value ts;
                assert_int_equal(fh_value_from_json(FH_TYPE_DATETIME, stamp, arena, &ts), FH_OK);
                assert_false(ts.is_null);
                if (events == 0)
                    assert_string_equal(text_of(arena, ts), "2021-08-02T13:11:39.7724491Z");
            }
            events++;
        }
        line = end ? end + 1 : data + len;
    }
    assert_int_equal(events, 9);
    free(data);
    free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(from_text_numbers, setup_arena, teardown_arena),
        cmocka_unit_test_setup_teardown(from_text_other_types, setup_arena, teardown_arena),
        cmocka_unit_test_setup_teardown(from_text_strings, setup_arena, teardown_arena),
        cmocka_unit_test_setup_teardown(from_text_dynamic, setup_arena, teardown_arena),
        cmocka_unit_test_setup_teardown(from_json_types, setup_arena, teardown_arena),
        cmocka_unit_test(equal_across_numbers),
        cmocka_unit_test(equal_nulls_and_nan),
        cmocka_unit_test(equal_strings_and_case),
        cmocka_unit_test_setup_teardown(equal_dynamic_values, setup_arena, teardown_arena),
        cmocka_unit_test(compare_orders_types),
        cmocka_unit_test(hash_spreads_longs),
        cmocka_unit_test_setup_teardown(to_string_every_type, setup_arena, teardown_arena),
        cmocka_unit_test_setup_teardown(to_string_reals, setup_arena, teardown_arena),
        cmocka_unit_test_setup_teardown(to_json_every_type, setup_arena, teardown_arena),
        cmocka_unit_test(json_string_escapes),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    if (failed != 0)
        return failed;

    FH_TEST_NEED_SHARED();
    const struct CMUnitTest sample_tests[] = {
        cmocka_unit_test_setup_teardown(dynamic_from_defender_export, setup_arena, teardown_arena),
    };
    return cmocka_run_group_tests(sample_tests, NULL, NULL);
}
