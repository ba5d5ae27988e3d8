/* Datetime and timespan parsing and printing, from tables of inputs and from real exports. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fh_test.h"
#include "foxhound/datetime.h"

typedef struct datetime_case {
    const char *text;
    int64_t ticks;
} datetime_case;

/* Expected ticks computed independently with Python's datetime module. */
static const datetime_case valid_datetimes[] = {
    {"2026-06-11", 17811360000000000LL},
    {"2026-06-11T08:20:03Z", 17811660030000000LL},
    {"2026-06-11T08:20", 17811660000000000LL},
    {"2026-06-11 08:20:03 UTC", 17811660030000000LL},
    {"2024-01-05T10:00:00.1234567Z", 17044488001234567LL},
    {"2021-06-23 03:08:14.159814200+00:00", 16244176941598142LL},
    {"2026-06-11T08:20:03+02:00", 17811588030000000LL},
    {"2026-06-11T08:20:03-0530", 17811858030000000LL},
    {"2026-06-11T01:00:00+05", 17811216000000000LL},
    {"2024-02-29T23:59:59.9999999Z", 17092511999999999LL},
    {"2020-02-06T09:26:24.94Z", 15809811849400000LL},
    {"Sat, 13 Jun 2026 08:20:03 GMT", 17813388030000000LL},
    {"Sat, 8 Nov 14 15:05:02 GMT", 14154591020000000LL},
    {"8 Nov 14 15:05 EST", 14154771000000000LL},
    {"Saturday, 08-Nov-14 15:05:02 GMT", 14154591020000000LL},
    {"08-Nov-99 15:05:02 PDT", 9420987020000000LL},
    {"Nov 08 2020 12:30:00.111 UTC", 16048386001110000LL},
    {"Sep 07 2018 14:50:39", 15363318390000000LL},
    {"Mar 09 2015 17:05:21 GMT+01:00", 14259171210000000LL},
    {"Nov 19, 2014 18:21:13", 14164212730000000LL},
    {"6/2/2021, 8:46:51.919 AM", 16226236119190000LL},
    {"6/2/2021, 12:05:00.000 AM", 16225923000000000LL},
    {"6/2/2021, 12:05:00.000 PM", 16226355000000000LL},
    {"8/04/2023, 11:59:59.999 PM", 16911935999990000LL},
    {"1660966164045", 16609661640450000LL},
    {"1573804384", 15738043840000000LL},
    {"0001-01-01T00:00:00Z", -621355968000000000LL},
    {"9999-12-31T23:59:59.9999999Z", 2534023007999999999LL},
    {"1969-12-31T23:59:59.5Z", -5000000LL},
    {"  2026-06-11t08:20:03z  ", 17811660030000000LL},
};

typedef struct rejected_case {
    const char *text;
    fh_status status;
} rejected_case;

static const rejected_case invalid_datetimes[] = {
    {"", FH_ERR_PARSE},
    {"   ", FH_ERR_PARSE},
    {"2026-06-11T", FH_ERR_PARSE},
    {"2026-6-11", FH_ERR_PARSE},
    {"2026-06-11T08:20:03Zjunk", FH_ERR_PARSE},
    {"2026-06-11T08:20:03 IST", FH_ERR_PARSE},
    {"2026-06-11T08:20:03.Z", FH_ERR_PARSE},
    {"2026-06-11T08:20:03+25:00", FH_ERR_PARSE},
    {"Jun 13 08:20:03", FH_ERR_PARSE},
    {"Sat, 13 Foo 2026 08:20:03 GMT", FH_ERR_PARSE},
    {"13/06/2026 08:20:03", FH_ERR_INVALID},
    {"6/2/2021, 13:00:00 PM", FH_ERR_PARSE},
    {"166096616404", FH_ERR_PARSE},
    {"2023-02-29", FH_ERR_INVALID},
    {"1900-02-29", FH_ERR_INVALID},
    {"2026-04-31", FH_ERR_INVALID},
    {"2026-13-01", FH_ERR_INVALID},
    {"2026-00-10", FH_ERR_INVALID},
    {"0000-12-31", FH_ERR_INVALID},
    {"2026-06-11T24:00:00Z", FH_ERR_INVALID},
    {"2026-06-11T23:60:00Z", FH_ERR_INVALID},
    {"2026-06-11T23:59:60Z", FH_ERR_INVALID},
    {"0001-01-01T00:30:00+01:00", FH_ERR_INVALID},
    {"9999-12-31T23:30:00-01:00", FH_ERR_INVALID},
};

typedef fh_status (*parse_function)(const char *text, size_t len, int64_t *ticks);

/* Runs a parser over a table of texts that must parse to the given ticks. */
static void check_parse_table(parse_function parse, const datetime_case *cases, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        int64_t ticks = -1;
        fh_status st = parse(cases[i].text, strlen(cases[i].text), &ticks);
        if (st != FH_OK || ticks != cases[i].ticks)
            fail_msg("\"%s\": status %d, ticks %lld, expected %lld", cases[i].text, (int)st,
                     (long long)ticks, (long long)cases[i].ticks);
    }
}

static void datetime_parse_table(void **state)
{
    (void)state;
    check_parse_table(fh_datetime_parse, valid_datetimes,
                      sizeof valid_datetimes / sizeof valid_datetimes[0]);
}

static void datetime_parse_rejects(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof invalid_datetimes / sizeof invalid_datetimes[0]; i++) {
        const rejected_case *c = &invalid_datetimes[i];
        int64_t ticks = 0;
        fh_status st = fh_datetime_parse(c->text, strlen(c->text), &ticks);
        if (st != c->status)
            fail_msg("\"%s\": status %d, expected %d", c->text, (int)st, (int)c->status);
    }
}

static void datetime_parse_stops_at_length(void **state)
{
    (void)state;
    const char text[] = "2026-06-11T08:20:03Z trailing bytes";
    int64_t ticks = 0;
    assert_int_equal(fh_datetime_parse(text, 20, &ticks), FH_OK);
    assert_int_equal(ticks, 17811660030000000LL);
    assert_int_equal(fh_datetime_parse(text, 10, &ticks), FH_OK);
    assert_int_equal(ticks, 17811360000000000LL);
    assert_int_equal(fh_datetime_parse(text, 12, &ticks), FH_ERR_PARSE);
}

static void datetime_year_less_cef(void **state)
{
    (void)state;
    const char *text = "Feb 29 08:20:03.500 UTC";
    int64_t ticks = 0;
    assert_int_equal(fh_datetime_parse(text, strlen(text), &ticks), FH_ERR_PARSE);
    assert_int_equal(fh_datetime_parse_with_year(text, strlen(text), 2024, &ticks), FH_OK);
    assert_int_equal(ticks, 17091948035000000LL);
    assert_int_equal(fh_datetime_parse_with_year(text, strlen(text), 2023, &ticks), FH_ERR_INVALID);

    /* A year in the text wins over the default. */
    const char *with_year = "Nov 08 2020 12:30:00 UTC";
    assert_int_equal(fh_datetime_parse_with_year(with_year, strlen(with_year), 1999, &ticks),
                     FH_OK);
    assert_int_equal(ticks, 16048386000000000LL);
}

static void datetime_format_table(void **state)
{
    (void)state;
    static const datetime_case cases[] = {
        {"2026-06-11T08:20:03Z", 17811660030000000LL},
        {"2026-06-11T00:00:00Z", 17811360000000000LL},
        {"2024-01-05T10:00:00.1234567Z", 17044488001234567LL},
        {"2020-02-06T09:26:24.94Z", 15809811849400000LL},
        {"2024-02-29T23:59:59.9999999Z", 17092511999999999LL},
        {"1970-01-01T00:00:00.0000001Z", 1},
        {"1970-01-01T00:00:00Z", 0},
        {"1969-12-31T23:59:59.5Z", -5000000LL},
        {"0001-01-01T00:00:00Z", -621355968000000000LL},
        {"9999-12-31T23:59:59.9999999Z", 2534023007999999999LL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char buf[FH_DATETIME_TEXT_MAX];
        size_t n = fh_datetime_format(cases[i].ticks, buf, sizeof buf);
        assert_string_equal(buf, cases[i].text);
        assert_int_equal(n, strlen(cases[i].text));
    }
}

static void datetime_format_truncates(void **state)
{
    (void)state;
    char buf[8];
    size_t n = fh_datetime_format(17811660030000000LL, buf, sizeof buf);
    assert_int_equal(n, 20);
    assert_string_equal(buf, "2026-06");
}

static void datetime_format_extremes(void **state)
{
    (void)state;
    char buf[FH_DATETIME_TEXT_MAX];
    assert_true(fh_datetime_format(INT64_MAX, buf, sizeof buf) < sizeof buf);
    assert_true(fh_datetime_format(INT64_MIN, buf, sizeof buf) < sizeof buf);
}

static void timespan_parse_literals(void **state)
{
    (void)state;
    static const datetime_case cases[] = {
        {"1d", 864000000000LL},     {"2days", 1728000000000LL},
        {"1.5d", 1296000000000LL},  {"1h", 36000000000LL},
        {"1.5hr", 54000000000LL},   {"3hrs", 108000000000LL},
        {"1hour", 36000000000LL},   {"2hours", 72000000000LL},
        {"30m", 18000000000LL},     {"1min", 600000000LL},
        {"1minute", 600000000LL},   {"5minutes", 3000000000LL},
        {"10s", 100000000LL},       {"0.1s", 1000000LL},
        {"1sec", 10000000LL},       {"1second", 10000000LL},
        {"2seconds", 20000000LL},   {"100ms", 1000000LL},
        {"1milli", 10000LL},        {"2millis", 20000LL},
        {"3millisec", 30000LL},     {"1millisecond", 10000LL},
        {"4milliseconds", 40000LL}, {"1micro", 10LL},
        {"2micros", 20LL},          {"3microsec", 30LL},
        {"1microsecond", 10LL},     {"5microseconds", 50LL},
        {"100nano", 1LL},           {"250nanos", 2LL},
        {"1500nanosec", 15LL},      {"99nanosecond", 0LL},
        {"1.5nanoseconds", 0LL},    {"10tick", 10LL},
        {"12ticks", 12LL},          {"-2days", -1728000000000LL},
        {"-1.5h", -54000000000LL},  {"0.12345678901s", 1234567LL},
    };
    check_parse_table(fh_timespan_parse, cases, sizeof cases / sizeof cases[0]);
}

static void timespan_parse_clock(void **state)
{
    (void)state;
    static const datetime_case cases[] = {
        {"00:00:00", 0},
        {"01:02:03", 37230000000LL},
        {"1.02:03:04.5000000", 937845000000LL},
        {"1.02:03:04.5", 937845000000LL},
        {"-00:00:01", -10000000LL},
        {"-1.00:00:00", -864000000000LL},
        {"10:30", 378000000000LL},
        {"2", 1728000000000LL},
        {"00:00:00.0000001", 1},
    };
    check_parse_table(fh_timespan_parse, cases, sizeof cases / sizeof cases[0]);
}

static void timespan_parse_rejects(void **state)
{
    (void)state;
    static const rejected_case cases[] = {
        {"", FH_ERR_PARSE},           {"-", FH_ERR_PARSE},
        {"h", FH_ERR_PARSE},          {"1", FH_OK},
        {"1x", FH_ERR_PARSE},         {"1.h", FH_ERR_PARSE},
        {"1 h", FH_ERR_PARSE},        {"1H", FH_ERR_PARSE},
        {"24:00:00", FH_ERR_INVALID}, {"00:60:00", FH_ERR_INVALID},
        {"00:00:60", FH_ERR_INVALID}, {"1:2:3", FH_ERR_PARSE},
        {"00:00:00.", FH_ERR_PARSE},  {"99999999999999999999d", FH_ERR_LIMIT},
        {"99999999d", FH_ERR_LIMIT},  {"99999999.00:00:00", FH_ERR_LIMIT},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int64_t ticks = 0;
        fh_status st = fh_timespan_parse(cases[i].text, strlen(cases[i].text), &ticks);
        if (st != cases[i].status)
            fail_msg("\"%s\": status %d, expected %d", cases[i].text, (int)st,
                     (int)cases[i].status);
    }
}

static void timespan_format_table(void **state)
{
    (void)state;
    static const datetime_case cases[] = {
        {"00:00:00", 0},
        {"01:00:00", 36000000000LL},
        {"1.12:00:00", 1296000000000LL},
        {"1.02:03:04.5000000", 937845000000LL},
        {"00:00:00.2500000", 2500000LL},
        {"00:00:00.0000001", 1},
        {"-00:00:01", -10000000LL},
        {"-1.02:03:04.5000000", -937845000000LL},
        {"10675199.02:48:05.4775807", INT64_MAX},
        {"-10675199.02:48:05.4775808", INT64_MIN},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char buf[FH_DATETIME_TEXT_MAX];
        size_t n = fh_timespan_format(cases[i].ticks, buf, sizeof buf);
        assert_string_equal(buf, cases[i].text);
        assert_int_equal(n, strlen(cases[i].text));
    }
}

static void timespan_round_trip(void **state)
{
    (void)state;
    static const int64_t values[] = {0,
                                     1,
                                     -1,
                                     9999999,
                                     10000000,
                                     599999999,
                                     864000000000LL - 1,
                                     864000000000LL,
                                     937845000000LL,
                                     -937845000000LL,
                                     INT64_MAX,
                                     INT64_MIN + 1};
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        char buf[FH_DATETIME_TEXT_MAX];
        size_t n = fh_timespan_format(values[i], buf, sizeof buf);
        int64_t back = 0;
        assert_int_equal(fh_timespan_parse(buf, n, &back), FH_OK);
        assert_int_equal(back, values[i]);
    }
}

static void datetime_round_trip(void **state)
{
    (void)state;
    /* Steps through four centuries, a leap cycle with its century exceptions, in odd strides
     * so that every month, leap day and fraction length comes up. */
    for (int64_t ticks = -621355968000000000LL; ticks < 2534023007999999999LL;
         ticks += 3155695200001234LL / 977) {
        char buf[FH_DATETIME_TEXT_MAX];
        size_t n = fh_datetime_format(ticks, buf, sizeof buf);
        int64_t back = 0;
        if (fh_datetime_parse(buf, n, &back) != FH_OK || back != ticks)
            fail_msg("%lld printed as %s parsed back as %lld", (long long)ticks, buf,
                     (long long)back);
    }
}

/*
 * Expected output of fh_datetime_format for an ISO text: 'T' between date and time, the
 * fraction cut to 7 digits and trimmed of trailing zeros, and "Z" for the zone, which is UTC in
 * every input the callers pass.
 */
static void expected_iso(const char *text, size_t len, char *out)
{
    memcpy(out, text, 19);
    out[10] = 'T';
    size_t n = 19;
    size_t pos = 19;
    if (pos < len && text[pos] == '.') {
        size_t start = n;
        out[n++] = '.';
        pos++;
        while (pos < len && text[pos] >= '0' && text[pos] <= '9') {
            if (n - start <= 7)
                out[n++] = text[pos];
            pos++;
        }
        while (out[n - 1] == '0')
            n--;
        if (out[n - 1] == '.')
            n--;
    }
    out[n++] = 'Z';
    out[n] = '\0';
}

/* Whether a CSV field starting at p looks like "yyyy-MM-dd?HH:mm:ss". */
static bool looks_like_iso_field(const char *p, size_t avail)
{
    static const char shape[] = "dddd-dd-dd?dd:dd:dd";
    if (avail < sizeof shape - 1)
        return false;
    for (size_t i = 0; i < sizeof shape - 1; i++) {
        bool digit = p[i] >= '0' && p[i] <= '9';
        if (shape[i] == 'd' && !digit)
            return false;
        if (shape[i] != 'd' && shape[i] != '?' && p[i] != shape[i])
            return false;
    }
    return p[10] == ' ' || p[10] == 'T';
}

/* Parses every ISO-shaped field of a CSV export, prints it back and compares. */
static size_t check_iso_fields(const char *relative)
{
    char *path = fh_test_shared_path(relative);
    assert_non_null(path);
    size_t len = 0;
    char *data = fh_test_read_file(path, &len);
    assert_non_null(data);

    size_t checked = 0;
    for (size_t i = 1; i < len; i++) {
        if (data[i - 1] != ',' || !looks_like_iso_field(data + i, len - i))
            continue;
        size_t end = i;
        while (end < len && data[end] != ',' && data[end] != '\n' && data[end] != '\r')
            end++;

        int64_t ticks = 0;
        fh_status st = fh_datetime_parse(data + i, end - i, &ticks);
        if (st != FH_OK)
            fail_msg("%s: \"%.*s\" did not parse", relative, (int)(end - i), data + i);
        char printed[FH_DATETIME_TEXT_MAX];
        char expected[64];
        fh_datetime_format(ticks, printed, sizeof printed);
        expected_iso(data + i, end - i, expected);
        if (strcmp(printed, expected) != 0)
            fail_msg("%s: \"%.*s\" printed as %s, expected %s", relative, (int)(end - i), data + i,
                     printed, expected);
        checked++;
    }
    free(data);
    free(path);
    return checked;
}

static void datetime_defender_exports(void **state)
{
    (void)state;
    /* Timestamp, InitiatingProcessCreationTime, InitiatingProcessParentCreationTime in each of
     * the rows, in the "2023-10-18T14:37:28.2012261Z" form. */
    assert_true(check_iso_fields("data/public/defender/dafneb_advanced_hunting_test.csv") >= 3);
    /* "2021-06-23 03:08:14.159814200+00:00": nine fraction digits and an offset. */
    assert_true(check_iso_fields("data/public/defender/msticpy_mde_proc_cs1_first330.csv") >= 330);
}

static void datetime_portal_export(void **state)
{
    (void)state;
    char *path =
        fh_test_shared_path("data/public/commonsecuritylog/azure-sentinel_CEF_CiscoSEG.csv");
    assert_non_null(path);
    size_t len = 0;
    char *data = fh_test_read_file(path, &len);
    assert_non_null(data);

    /* The first row's "TimeGenerated [UTC]" cell, the third column. */
    const char *row = strchr(data, '\n');
    assert_non_null(row);
    const char *cell = strstr(row, ",\"");
    assert_non_null(cell);
    cell += 2;
    const char *close = strchr(cell, '"');
    assert_non_null(close);

    int64_t ticks = 0;
    assert_int_equal(fh_datetime_parse(cell, (size_t)(close - cell), &ticks), FH_OK);
    char printed[FH_DATETIME_TEXT_MAX];
    fh_datetime_format(ticks, printed, sizeof printed);
    assert_string_equal(printed, "2021-06-02T08:46:51.919Z");
    free(data);
    free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(datetime_parse_table),
        cmocka_unit_test(datetime_parse_rejects),
        cmocka_unit_test(datetime_parse_stops_at_length),
        cmocka_unit_test(datetime_year_less_cef),
        cmocka_unit_test(datetime_format_table),
        cmocka_unit_test(datetime_format_truncates),
        cmocka_unit_test(datetime_format_extremes),
        cmocka_unit_test(datetime_round_trip),
        cmocka_unit_test(timespan_parse_literals),
        cmocka_unit_test(timespan_parse_clock),
        cmocka_unit_test(timespan_parse_rejects),
        cmocka_unit_test(timespan_format_table),
        cmocka_unit_test(timespan_round_trip),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    if (failed != 0)
        return failed;

    FH_TEST_NEED_SHARED();
    const struct CMUnitTest sample_tests[] = {
        cmocka_unit_test(datetime_defender_exports),
        cmocka_unit_test(datetime_portal_export),
    };
    return cmocka_run_group_tests(sample_tests, NULL, NULL);
}
