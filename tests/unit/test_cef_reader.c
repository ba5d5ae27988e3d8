/*
 * CEF line parsing: the input shapes that other open-source CEF parsers got wrong, typed
 * columns, syslog prefixes and times. The public CEF sample files are checked too. They are
 * another parser's test cases used as an oracle, thirteen vendor records and Barracuda lines.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fh_test.h"
#include "foxhound/datetime.h"
#include "foxhound/limits.h"
#include "foxhound/table.h"
#include "read/cef_map.h"
#include "read/cef_reader.h"

typedef struct parsed_row {
    const fh_schema *schema;
    fh_value *cells;
    fh_arena arena;
    fh_error err;
    fh_status status;
} parsed_row;

static void row_reset(parsed_row *row)
{
    for (size_t i = 0; i < row->schema->ncols; i++)
        row->cells[i] = fh_value_null(row->schema->cols[i].type);
    fh_error_clear(&row->err);
}

static void row_init(parsed_row *row)
{
    row->schema = fh_schema_builtin("CommonSecurityLog");
    assert_non_null(row->schema);
    row->cells = calloc(row->schema->ncols, sizeof *row->cells);
    assert_non_null(row->cells);
    fh_arena_init(&row->arena);
    row_reset(row);
}

static void row_free(parsed_row *row)
{
    free(row->cells);
    fh_arena_destroy(&row->arena);
}

static fh_status parse_wanted(parsed_row *row, const char *line, const bool *wanted)
{
    row_reset(row);
    row->status =
        cef_reader_parse_line(line, strlen(line), wanted, row->cells, &row->arena, &row->err);
    return row->status;
}

static fh_status parse(parsed_row *row, const char *line)
{
    return parse_wanted(row, line, NULL);
}

static const fh_value *cell(const parsed_row *row, const char *column)
{
    long index = fh_schema_find(row->schema, column, strlen(column));
    if (index < 0)
        fail_msg("CommonSecurityLog has no column %s", column);
    return &row->cells[index];
}

static void check_string(const parsed_row *row, const char *column, const char *expected)
{
    const fh_value *v = cell(row, column);
    assert_int_equal(v->type, FH_TYPE_STRING);
    char *actual = strndup(v->u.s.ptr, v->u.s.len);
    if (strcmp(actual, expected) != 0) {
        print_error("%s: expected \"%s\", got \"%s\"\n", column, expected, actual);
        free(actual);
        fail();
    }
    free(actual);
}

static void check_int(const parsed_row *row, const char *column, int32_t expected)
{
    const fh_value *v = cell(row, column);
    assert_int_equal(v->type, FH_TYPE_INT);
    if (v->is_null)
        fail_msg("%s: expected %d, got null", column, expected);
    assert_int_equal(v->u.i, expected);
}

static void check_long(const parsed_row *row, const char *column, int64_t expected)
{
    const fh_value *v = cell(row, column);
    assert_int_equal(v->type, FH_TYPE_LONG);
    if (v->is_null)
        fail_msg("%s: expected %lld, got null", column, (long long)expected);
    assert_int_equal(v->u.l, expected);
}

static void check_null(const parsed_row *row, const char *column)
{
    const fh_value *v = cell(row, column);
    if (!v->is_null)
        fail_msg("%s: expected null", column);
}

/* Compares a datetime cell with its ISO 8601 text, such as "2022-08-03T10:49:35.038Z". */
static void check_time(const parsed_row *row, const char *column, const char *expected)
{
    const fh_value *v = cell(row, column);
    assert_int_equal(v->type, FH_TYPE_DATETIME);
    if (v->is_null)
        fail_msg("%s: expected %s, got null", column, expected);
    char text[FH_DATETIME_TEXT_MAX];
    fh_datetime_format(v->u.ticks, text, sizeof text);
    assert_string_equal(text, expected);
}

/* ---- Input shapes that other CEF parsers got wrong ---------------------------------------- */

/* A space then a dotted token inside a value does not start a key. */
static void shape_dotted_token_in_value(void **state)
{
    parsed_row row;
    row_init(&row);
    assert_int_equal(parse(&row, "CEF:0|TheVendor|TheProduct|1|1|TheName|1| "
                                 "query_string=key1\\=value1&key2\\=value3 aa.bc&key3\\=value4"),
                     FH_OK);
    check_string(&row, "AdditionalExtensions",
                 "query_string=key1=value1&key2=value3 aa.bc&key3=value4");
    row_free(&row);
}

/* Header and extension escapes, and a value with spaces. */
static void shape_escapes_and_spaces(void **state)
{
    parsed_row row;
    row_init(&row);
    assert_int_equal(parse(&row, "CEF:0|Ven\\|dor|Pro\\\\duct|1.0|100|name|5|"
                                 "fname=This is a filename.txt fsize=100 act=a\\=b\\\\c"),
                     FH_OK);
    check_string(&row, "DeviceVendor", "Ven|dor");
    check_string(&row, "DeviceProduct", "Pro\\duct");
    check_string(&row, "FileName", "This is a filename.txt");
    check_int(&row, "FileSize", 100);
    check_string(&row, "DeviceAction", "a=b\\c");
    row_free(&row);
}

/* Escaped newlines in values, and a header missing its last fields is an error. */
static void shape_newlines_and_short_header(void **state)
{
    parsed_row row;
    row_init(&row);
    assert_int_equal(parse(&row, "CEF:0|V|P|1.0|100|name|5|msg=line one\\nline two\\r end"), FH_OK);
    check_string(&row, "Message", "line one\nline two\r end");

    assert_int_equal(parse(&row, "CEF:0|Vendor|Product|1.0|100|name"), FH_ERR_PARSE);
    assert_non_null(strstr(row.err.message, "6 of 7 fields"));
    row_free(&row);
}

/* Keys with dots and odd characters, and a key starting with "_". */
static void shape_odd_keys(void **state)
{
    parsed_row row;
    row_init(&row);
    assert_int_equal(
        parse(&row, "CEF:0|V|P|1|1|N|1|ad.<?xml_,version_~=1 _cefVer=0.1 src=10.1.2.3"), FH_OK);
    check_string(&row, "AdditionalExtensions", "ad.<?xml_,version_~=1;_cefVer=0.1");
    check_string(&row, "SourceIP", "10.1.2.3");
    row_free(&row);
}

/* A space between key and "=" is accepted, and "\n" is decoded. */
static void shape_space_before_equals(void **state)
{
    parsed_row row;
    row_init(&row);
    assert_int_equal(parse(&row, "CEF:0|security|threatmanager|1.0|100|space after key|10|"
                                 "foo =bar spt=1232 msg=Tabs\\nand newlines"),
                     FH_OK);
    check_string(&row, "AdditionalExtensions", "foo=bar");
    check_int(&row, "SourcePort", 1232);
    check_string(&row, "Message", "Tabs\nand newlines");
    row_free(&row);
}

/* An unescaped "=" inside a JSON value, and a lone backslash that is kept. */
static void shape_json_and_lone_backslash(void **state)
{
    parsed_row row;
    row_init(&row);
    assert_int_equal(parse(&row, "CEF:0|FooBar|Web Gateway|1.2.3.45.67|200|Success|2|"
                                 "httpTrans={\"http_req\": {\"body_len\": 0, \"headers\": "
                                 "{\"accept-language\": \"de,de-DE;q=0.9\"}}} cs1= "
                                 "cs1Label=Foo Bar suser=example\\adminuser"),
                     FH_OK);
    check_string(&row, "AdditionalExtensions",
                 "httpTrans={\"http_req\": {\"body_len\": 0, \"headers\": "
                 "{\"accept-language\": \"de,de-DE;q=0.9\"}}}");
    check_string(&row, "DeviceCustomString1", "");
    check_string(&row, "DeviceCustomString1Label", "Foo Bar");
    check_string(&row, "SourceUserName", "example\\adminuser");
    row_free(&row);
}

/* Escaped header pipe, "=" in a quoted URL, leading spaces and empty values. */
static void shape_pipe_url_empty_values(void **state)
{
    parsed_row row;
    row_init(&row);
    assert_int_equal(parse(&row, "CEF:0|Vendor|Product|1.0|100|operation1\\|operation2|5|  "
                                 "cs6=\"https://example.com/view?incidentID=123\" dst= spt= "
                                 "msg=\"Some message.\""),
                     FH_OK);
    check_string(&row, "Activity", "operation1|operation2");
    check_string(&row, "DeviceCustomString6", "\"https://example.com/view?incidentID=123\"");
    check_string(&row, "DestinationIP", "");
    check_null(&row, "SourcePort");
    check_string(&row, "Message", "\"Some message.\"");
    row_free(&row);
}

/* "\/" is kept, the last value is empty, and no space follows the header. */
static void shape_slash_and_empty_last(void **state)
{
    parsed_row row;
    row_init(&row);
    assert_int_equal(parse(&row, "CEF:0|FORCEPOINT|Firewall|1.2.3|1234|FW_Related-Connection|0|"
                                 "in=0 out=52 filePath=Some\\/Path dpt="),
                     FH_OK);
    check_long(&row, "ReceivedBytes", 0);
    check_long(&row, "SentBytes", 52);
    check_string(&row, "FilePath", "Some\\/Path");
    check_null(&row, "DestinationPort");
    row_free(&row);
}

/* "=" inside a URL, empty header fields and no syslog header. */
static void shape_url_and_empty_header(void **state)
{
    parsed_row row;
    row_init(&row);
    assert_int_equal(parse(&row, "CEF:0|||||Name only|3|"
                                 "request=https://example.com/a?b=c&d=e msg=first act=second"),
                     FH_OK);
    check_string(&row, "DeviceVendor", "");
    check_string(&row, "DeviceVersion", "");
    check_string(&row, "DeviceEventClassID", "");
    check_string(&row, "Activity", "Name only");
    check_string(&row, "RequestURL", "https://example.com/a?b=c&d=e");
    check_string(&row, "Message", "first");
    check_string(&row, "DeviceAction", "second");
    check_string(&row, "Computer", "");
    row_free(&row);
}

/* Base64 padding right before the next key. */
static void shape_base64_padding(void **state)
{
    parsed_row row;
    row_init(&row);
    assert_int_equal(
        parse(&row, "CEF:0|MikroTik|RouterOS|7.1|wireguard|peer|5|cs1=aGVsbG8= spt=1232"), FH_OK);
    check_string(&row, "DeviceCustomString1", "aGVsbG8=");
    check_int(&row, "SourcePort", 1232);
    row_free(&row);
}

/* A syslog tag between the host and "CEF:" is not the host. */
static void shape_tag_before_cef(void **state)
{
    parsed_row row;
    row_init(&row);
    assert_int_equal(parse(&row, "<43>Feb 24 11:05:17 172.17.116.129 PowerShell "
                                 "CEF:0|Microsoft|PowerShell|5.1|4104|Script block|5|"
                                 "src=10.0.0.5"),
                     FH_OK);
    check_string(&row, "Computer", "172.17.116.129");
    check_string(&row, "DeviceVendor", "Microsoft");
    check_string(&row, "DeviceProduct", "PowerShell");
    check_string(&row, "Activity", "Script block");
    check_string(&row, "SourceIP", "10.0.0.5");
    row_free(&row);
}

/* An escaped backslash right before an unescaped "=". */
static void shape_backslash_before_equals(void **state)
{
    parsed_row row;
    row_init(&row);
    assert_int_equal(parse(&row, "CEF:0|security|threatmanager|1.0|100|detected a = in "
                                 "message|10|src=10.0.0.1 act=blocked a \\\\= dst=1.1.1.1"),
                     FH_OK);
    check_string(&row, "DeviceAction", "blocked a \\=");
    check_string(&row, "DestinationIP", "1.1.1.1");
    check_string(&row, "AdditionalExtensions", "");
    row_free(&row);
}

/* ---- Versions, types, prefixes ----------------------------------------------------------- */

static void version_forms(void **state)
{
    parsed_row row;
    row_init(&row);
    assert_int_equal(parse(&row, "Sep 29 08:26:10 host CEF:1|Security|threatmanager|1.0|100|"
                                 "worm successfully stopped|10|src=10.0.0.1"),
                     FH_OK);
    check_string(&row, "DeviceVendor", "Security");
    check_string(&row, "Computer", "host");

    assert_int_equal(parse(&row, "KSMG: CEF: 0|Kaspersky|KSMG|2.0|1|Event|3|dst=10.0.0.2"), FH_OK);
    check_string(&row, "DeviceProduct", "KSMG");
    check_string(&row, "DestinationIP", "10.0.0.2");
    check_string(&row, "Computer", "");

    assert_true(cef_reader_is_cef("CEF:0|a|b|c|d|e|f|", 19));
    assert_false(cef_reader_is_cef("CEF:x|a|b|c|d|e|f|", 19));
    assert_false(cef_reader_is_cef("unparsable line", 15));
    assert_int_equal(parse(&row, "unparsable line"), FH_ERR_PARSE);
    row_free(&row);
}

static void numbers_invalid_and_wide(void **state)
{
    parsed_row row;
    row_init(&row);
    assert_int_equal(parse(&row, "CEF:0|V|P|1|1|N|1|cnt=abc dpt=70000000000 spt=-1 "
                                 "externalId=4294967296 cn1=5000000000 cn2=-7 cfp1=3.5 "
                                 "cfp2=0x10 in=9007199254740993 flexNumber1=12"),
                     FH_OK);
    check_null(&row, "EventCount");
    check_null(&row, "DestinationPort");
    check_int(&row, "SourcePort", -1);
    check_null(&row, "ExternalID");
    check_string(&row, "ExtID", "4294967296");
    check_null(&row, "DeviceCustomNumber1");
    check_long(&row, "FieldDeviceCustomNumber1", 5000000000LL);
    check_int(&row, "DeviceCustomNumber2", -7);
    check_long(&row, "FieldDeviceCustomNumber2", -7);
    const fh_value *real = cell(&row, "DeviceCustomFloatingPoint1");
    assert_false(real->is_null);
    assert_true(real->u.r == 3.5);
    check_null(&row, "DeviceCustomFloatingPoint2");
    check_long(&row, "ReceivedBytes", 9007199254740993LL);
    check_int(&row, "FlexNumber1", 12);

    assert_int_equal(parse(&row, "CEF:0|V|P|1|1|N|1|externalId=42"), FH_OK);
    check_int(&row, "ExternalID", 42);
    check_string(&row, "ExtID", "42");
    row_free(&row);
}

static void labels_and_constants(void **state)
{
    parsed_row row;
    row_init(&row);
    assert_int_equal(parse(&row, "CEF:0|V|P|1|1|N|1|cs3Label=Rule cs3=Block c6a2=fe80::1 "
                                 "c6a2Label=Peer flexString2=x flexString2Label=y "
                                 "deviceDirection=1 requestmethod=GET"),
                     FH_OK);
    check_string(&row, "DeviceCustomString3Label", "Rule");
    check_string(&row, "DeviceCustomString3", "Block");
    check_string(&row, "DeviceCustomIPv6Address2", "fe80::1");
    check_string(&row, "DeviceCustomIPv6Address2Label", "Peer");
    check_string(&row, "FlexString2", "x");
    check_string(&row, "FlexString2Label", "y");
    check_string(&row, "CommunicationDirection", "1");
    check_string(&row, "AdditionalExtensions", "requestmethod=GET");
    check_string(&row, "SourceSystem", "OpsManager");
    check_string(&row, "Type", "CommonSecurityLog");
    check_null(&row, "TimeGenerated");
    row_free(&row);
}

static void wanted_subset_only(void **state)
{
    parsed_row row;
    row_init(&row);
    bool *wanted = calloc(row.schema->ncols, sizeof *wanted);
    assert_non_null(wanted);
    wanted[fh_schema_find(row.schema, "SourceIP", 8)] = true;
    wanted[fh_schema_find(row.schema, "TimeGenerated", 13)] = true;

    assert_int_equal(parse_wanted(&row,
                                  "CEF:0|V|P|1|1|N|1|src=10.9.8.7 rt=1659523775038 "
                                  "dst=10.0.0.1 other=1",
                                  wanted),
                     FH_OK);
    check_string(&row, "SourceIP", "10.9.8.7");
    check_time(&row, "TimeGenerated", "2022-08-03T10:49:35.038Z");
    check_string(&row, "DeviceVendor", "");
    check_string(&row, "DestinationIP", "");
    check_string(&row, "ReceiptTime", "");
    check_string(&row, "AdditionalExtensions", "");
    check_string(&row, "Type", "");
    free(wanted);
    row_free(&row);
}

static void time_sources(void **state)
{
    parsed_row row;
    row_init(&row);

    /* RFC 5424 header time wins over rt. */
    assert_int_equal(parse(&row, "<189>1 2021-06-18T10:55:50.5Z fw01 app - - - "
                                 "CEF:0|V|P|1|1|N|1|rt=1659523775038"),
                     FH_OK);
    check_time(&row, "TimeGenerated", "2021-06-18T10:55:50.5Z");
    check_string(&row, "Computer", "fw01");
    check_string(&row, "ReceiptTime", "1659523775038");

    /* A header time without a year gives way to rt. */
    assert_int_equal(parse(&row, "Aug  3 10:49:35 Barracuda CEF:0|V|P|1|1|N|1|"
                                 "rt=Sep 07 2018 14:50:39"),
                     FH_OK);
    check_time(&row, "TimeGenerated", "2018-09-07T14:50:39Z");
    check_string(&row, "ReceiptTime", "Sep 07 2018 14:50:39");

    /* start when rt is not a date, and end. */
    assert_int_equal(parse(&row, "CEF:0|V|P|1|1|N|1|rt=%EVENT_TIME% "
                                 "start=Mar 09 2015 17:05:21 GMT+00:00 end=1566300670892"),
                     FH_OK);
    check_time(&row, "TimeGenerated", "2015-03-09T17:05:21Z");
    check_time(&row, "StartTime", "2015-03-09T17:05:21Z");
    check_time(&row, "EndTime", "2019-08-20T11:31:10.892Z");

    /* Header time with a year, a fraction and a zone, then the host. */
    assert_int_equal(parse(&row, "May 02 2017 15:27:43.000 UTC hostname.example.com "
                                 "CEF:0|V|P|1|1|N|1|"),
                     FH_OK);
    check_time(&row, "TimeGenerated", "2017-05-02T15:27:43Z");
    check_string(&row, "Computer", "hostname.example.com");

    /* Only a year-less header time: the year is guessed, month, day and time are kept. */
    assert_int_equal(parse(&row, "<13>Jan 15 06:07:08 gw CEF:0|V|P|1|1|N|1|src=1.2.3.4"), FH_OK);
    char text[FH_DATETIME_TEXT_MAX];
    const fh_value *generated = cell(&row, "TimeGenerated");
    assert_false(generated->is_null);
    fh_datetime_format(generated->u.ticks, text, sizeof text);
    assert_string_equal(text + 4, "-01-15T06:07:08Z");
    row_free(&row);
}

static void prefix_without_pri(void **state)
{
    parsed_row row;
    row_init(&row);

    /* RFC 5424 without <PRI>, and a nil host. */
    assert_int_equal(parse(&row, "1 2024-02-29T23:59:59.25+01:00 - app - - - "
                                 "CEF:0|V|P|1|1|N|1|src=10.0.0.1"),
                     FH_OK);
    check_time(&row, "TimeGenerated", "2024-02-29T22:59:59.25Z");
    check_string(&row, "Computer", "");

    /* An ISO 8601 time and a host with no syslog version. */
    assert_int_equal(parse(&row, "2021-06-18T10:55:50Z edge-7 CEF:0|V|P|1|1|N|1|"), FH_OK);
    check_time(&row, "TimeGenerated", "2021-06-18T10:55:50Z");
    check_string(&row, "Computer", "edge-7");

    /* Epoch milliseconds and a host. */
    assert_int_equal(parse(&row, "1493738863000 hostname.example.com CEF:0|V|P|1|1|N|1|"), FH_OK);
    check_time(&row, "TimeGenerated", "2017-05-02T15:27:43Z");
    check_string(&row, "Computer", "hostname.example.com");
    row_free(&row);
}

/* A tab is part of a value, not a separator, so the text after it is not a key. */
static void tab_inside_value(void **state)
{
    parsed_row row;
    row_init(&row);
    assert_int_equal(parse(&row, "CEF:0|security|threatmanager|1.0|100|message has tabs|10|"
                                 "spt=1232 msg=Tab is not a separator\tsrc=127.0.0.1"),
                     FH_OK);
    check_int(&row, "SourcePort", 1232);
    check_string(&row, "Message", "Tab is not a separator\tsrc=127.0.0.1");
    check_string(&row, "SourceIP", "");
    row_free(&row);
}

static void extension_limit(void **state)
{
    parsed_row row;
    row_init(&row);
    size_t cap = 64 + (FH_MAX_CEF_EXTENSIONS + 1) * 8;
    char *line = malloc(cap);
    assert_non_null(line);
    size_t len = (size_t)snprintf(line, cap, "CEF:0|V|P|1|1|N|1|");
    for (int i = 0; i <= FH_MAX_CEF_EXTENSIONS; i++)
        len += (size_t)snprintf(line + len, cap - len, "k%d=1 ", i);

    assert_int_equal(parse(&row, line), FH_ERR_LIMIT);
    assert_non_null(strstr(row.err.message, "FH_MAX_CEF_EXTENSIONS"));
    free(line);
    row_free(&row);
}

static void trailing_newline_and_spaces(void **state)
{
    parsed_row row;
    row_init(&row);
    assert_int_equal(parse(&row, "CEF:0|V|P|1|1|N|1|msg=hello world   \r\n"), FH_OK);
    check_string(&row, "Message", "hello world");
    row_free(&row);
}

/* ---- Public sample files ------------------------------------------------------------------- */

/* Splits a file into lines in place and returns the count. */
static size_t split_lines(char *text, char **lines, size_t max)
{
    size_t count = 0;
    char *line = text;
    while (line != NULL && count < max) {
        char *newline = strchr(line, '\n');
        if (newline != NULL)
            *newline = '\0';
        lines[count++] = line;
        line = newline != NULL ? newline + 1 : NULL;
    }
    return count;
}

static char *read_shared(const char *relative, size_t *len)
{
    char *path = fh_test_shared_path(relative);
    assert_non_null(path);
    char *text = fh_test_read_file(path, len);
    free(path);
    assert_non_null(text);
    return text;
}

static void jc_fixture_lines(void **state)
{
    size_t len;
    char *text = read_shared("data/public/cef/jc_cef.out", &len);
    char *lines[64];
    size_t nlines = split_lines(text, lines, 64);
    assert_int_equal(nlines, 23); /* no newline after the last line */

    parsed_row row;
    row_init(&row);
    size_t records = 0;
    for (size_t i = 0; i < nlines; i++) {
        bool is_cef = cef_reader_is_cef(lines[i], strlen(lines[i]));
        fh_status st = parse(&row, lines[i]);
        assert_int_equal(st, is_cef ? FH_OK : FH_ERR_PARSE);
        if (is_cef)
            records++;
        else
            assert_true(lines[i][0] == '\0' || strcmp(lines[i], "unparsable line") == 0);
    }
    assert_int_equal(records, 13);

    /* FortiDeceptor: msg opens a quote, but the unescaped pairs inside it are keys. */
    assert_int_equal(parse(&row, lines[0]), FH_OK);
    check_string(&row, "DeviceProduct", "FortiDeceptor");
    check_string(&row, "DeviceVersion", "3.2.0");
    check_string(&row, "Reason", "none");
    check_string(&row, "Message", "\"EventID=1845921387423247329");
    check_null(&row, "EventType");

    /* Trend Micro: severity as a word, pipes in an extension value, Windows path. */
    assert_int_equal(parse(&row, lines[3]), FH_OK);
    check_string(&row, "DeviceVersion", "<DSA version>");
    check_string(&row, "LogSeverity", "Medium");
    check_string(&row, "DeviceCustomString6", "ContainerImageName | ContainerName | ContainerID");
    check_string(&row, "FilePath", "C:\\Users\\trend\\Desktop\\eicar.exe");
    check_string(&row, "DeviceCustomNumber2Label", "Quarantine File Size");
    check_int(&row, "DeviceCustomNumber2", 205);
    check_long(&row, "FieldDeviceCustomNumber2", 205);
    check_string(&row, "DeviceName", "hostname");

    /* Trend Micro: \= and \n decoded, \| \" \] kept as written. */
    assert_int_equal(parse(&row, lines[4]), FH_OK);
    check_string(&row, "AdditionalExtensions",
                 "string=hello \\\"world\\\" this is a backslash: \\ and this is a bracket \\] "
                 "this is equal =, this is pipe \\|, this is newline \n and another newline "
                 "\n the end!;another=field");

    /* Dates in three forms. */
    assert_int_equal(parse(&row, lines[6]), FH_OK);
    check_time(&row, "StartTime", "2020-11-08T12:30:00.111Z");
    check_time(&row, "TimeGenerated", "2020-11-08T12:30:00.111Z");
    check_string(&row, "DeviceCustomDate1", "Nov 08 2022 12:30:00.111");
    check_string(&row, "DeviceCustomDate2", "1660966164045");
    check_string(&row, "DeviceCustomFloatingPoint1Label", "myFloat");

    /* Incapsula: leading space, escaped "=" in an unmapped value, epoch-ms start and end. */
    assert_int_equal(parse(&row, lines[8]), FH_OK);
    check_string(&row, "DeviceAction", "REQ_CHALLENGE_CAPTCHA");
    check_string(&row, "SourceIP", "12.12.12.12");
    check_string(&row, "RequestURL", "site123.abcd.info/");
    check_long(&row, "ReceivedBytes", 54);
    check_string(&row, "DeviceFacility", "mia");
    check_string(&row, "DeviceExternalID", "33411452762204224");
    check_time(&row, "StartTime", "2016-01-20T11:42:01.336Z");
    check_time(&row, "EndTime", "2019-08-20T11:31:10.892Z");
    check_string(&row, "DeviceCustomString5Label", "clappsig");
    const fh_value *extra = cell(&row, "AdditionalExtensions");
    assert_non_null(strstr(extra->u.s.ptr, ";qstr=p=%2fetc%2fpasswd;"));
    assert_non_null(strstr(extra->u.s.ptr, ";ver=TLSv1.2 ECDHE-RSA-AES128-GCM-SHA256;"));
    assert_non_null(strstr(extra->u.s.ptr, ";requestmethod=GET;"));

    assert_int_equal(parse(&row, lines[12]), FH_OK);
    check_string(&row, "DeviceEventClassID", "my device id");

    /* Kaspersky template: placeholders stay text, numbers and times become null. */
    assert_int_equal(parse(&row, lines[14]), FH_OK);
    check_string(&row, "SourceIP", "%CLIENT_IP%");
    check_null(&row, "ProcessID");
    check_null(&row, "StartTime");
    check_null(&row, "TimeGenerated");

    /* RFC 5424 prefix with a microsecond fraction. */
    assert_int_equal(parse(&row, lines[16]), FH_OK);
    check_string(&row, "Computer", "host");
    check_time(&row, "TimeGenerated", "2021-06-18T10:55:50.000003Z");
    check_string(&row, "LogSeverity", "low");
    check_string(&row, "Message", "hello");
    check_string(&row, "AdditionalExtensions", "eventId=3457");

    /* Aruba: date with year and a named zone, then the host as an address. */
    assert_int_equal(parse(&row, lines[18]), FH_OK);
    check_string(&row, "Computer", "10.17.4.208");
    check_string(&row, "SourceIP", "10.17.4.208");
    extra = cell(&row, "AdditionalExtensions");
    assert_non_null(strstr(extra->u.s.ptr, ";Auth.Request-Timestamp=2017-12-03 16:28:20+05:30;"));
    assert_non_null(strstr(extra->u.s.ptr, ";Auth.Service=Test Wireless;"));

    assert_int_equal(parse(&row, lines[22]), FH_OK);
    check_string(&row, "Computer", "10.17.4.221");
    check_string(&row, "ReceiptTime", "Nov 19, 2014 18:21:13 IST");
    check_string(&row, "DeviceEventCategory", "Role");
    check_string(&row, "SourceIP", "Test Role 10");
    check_string(&row, "AdditionalExtensions",
                 "timeFormat=MMM dd yyyy HH:mm:ss.SSS zzz;usrName=admin");

    row_free(&row);
    free(text);
}

/* Checks one expected extension value against the mapped column or AdditionalExtensions. */
static void check_oracle_extension(const parsed_row *row, const char *key, const char *expected)
{
    const cef_key *mapped = cef_map_lookup(key, strlen(key));
    if (mapped == NULL) {
        char pair[512];
        snprintf(pair, sizeof pair, "%s=%s", key, expected);
        const fh_value *extra = cell(row, "AdditionalExtensions");
        if (strstr(extra->u.s.ptr, pair) == NULL)
            fail_msg("AdditionalExtensions lacks %s", pair);
        return;
    }
    const fh_column *column =
        &row->schema->cols[mapped->kind == CEF_KEY_EXTERNAL_ID ? mapped->column2 : mapped->column];
    const fh_value *v = &row->cells[column - row->schema->cols];
    if (column->type == FH_TYPE_STRING) {
        check_string(row, column->name, expected);
    } else if (column->type == FH_TYPE_INT) {
        char *end;
        long number = strtol(expected, &end, 10);
        if (*expected == '\0' || *end != '\0')
            assert_true(v->is_null);
        else
            check_int(row, column->name, (int32_t)number);
    } else {
        fail_msg("oracle key %s maps to an unchecked type", key);
    }
}

static void oracle_case(const char *name)
{
    char relative[128];
    snprintf(relative, sizeof relative, "data/public/cef/jcustenborder_%s.json", name);
    char *path = fh_test_shared_path(relative);
    assert_non_null(path);
    json_error_t jerr;
    json_t *doc = json_load_file(path, 0, &jerr);
    free(path);
    if (doc == NULL)
        fail_msg("%s: %s", name, jerr.text);

    const char *input = json_string_value(json_object_get(doc, "input"));
    json_t *expected = json_object_get(doc, "expected");
    assert_non_null(input);

    parsed_row row;
    row_init(&row);
    assert_int_equal(parse(&row, input), FH_OK);

    static const char *const header[][2] = {
        {"deviceVendor", "DeviceVendor"},
        {"deviceProduct", "DeviceProduct"},
        {"deviceVersion", "DeviceVersion"},
        {"deviceEventClassId", "DeviceEventClassID"},
        {"name", "Activity"},
        {"severity", "LogSeverity"},
    };
    for (size_t i = 0; i < sizeof header / sizeof header[0]; i++)
        check_string(&row, header[i][1],
                     json_string_value(json_object_get(expected, header[i][0])));

    const char *key;
    json_t *value;
    json_object_foreach(json_object_get(expected, "extensions"), key, value)
        check_oracle_extension(&row, key, json_string_value(value));

    json_t *host = json_object_get(expected, "host");
    if (host != NULL)
        check_string(&row, "Computer", json_string_value(host));

    json_t *timestamp = json_object_get(expected, "timestamp");
    const fh_value *generated = cell(&row, "TimeGenerated");
    if (timestamp != NULL && strcmp(name, "Message2005") != 0) {
        assert_false(generated->is_null);
        assert_int_equal(generated->u.ticks, json_integer_value(timestamp) * 10000);
    } else if (timestamp != NULL) {
        /* "May 02 15:27:43.000 UTC" has no year; only the rest can be compared. */
        char text[FH_DATETIME_TEXT_MAX];
        assert_false(generated->is_null);
        fh_datetime_format(generated->u.ticks, text, sizeof text);
        assert_string_equal(text + 4, "-05-02T15:27:43Z");
    }

    row_free(&row);
    json_decref(doc);
}

static void oracle_cases(void **state)
{
    static const char *const names[] = {
        "Message0000", "Message0001", "Message0002", "Message0003", "Message0004",
        "Message0005", "Message0006", "Message0007", "Message0008", "Message1005",
        "Message2005", "Message6005", "Message9005",
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        oracle_case(names[i]);
}

static void barracuda_lines(void **state)
{
    size_t len;
    char *text = read_shared("data/public/cef/azure-sentinel_barracudaWAFCEF_first3.txt", &len);
    char *lines[8];
    size_t nlines = split_lines(text, lines, 8);
    assert_int_equal(nlines, 4); /* three lines and the empty text after the last newline */

    static const char *const receipt[] = {"1659523775038", "1659523776075", "1659523777348"};
    static const char *const generated[] = {"2022-08-03T10:49:35.038Z", "2022-08-03T10:49:36.075Z",
                                            "2022-08-03T10:49:37.348Z"};
    static const int source_ports[] = {48293, 48357, 48427};
    static const char *const urls[] = {"/pma/index.php", "/db/webadmin/index.php",
                                       "/phpMyAdmin5.1/index.php"};

    parsed_row row;
    row_init(&row);
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(parse(&row, lines[i]), FH_OK);
        check_string(&row, "Computer", "Barracuda");
        check_string(&row, "DeviceVendor", "BarracudaNetworks");
        check_string(&row, "DeviceProduct", "WAAS");
        check_string(&row, "DeviceVersion", "BNWAS-1.0");
        check_string(&row, "DeviceEventClassID", "WAF");
        check_string(&row, "LogSeverity", "4");
        check_string(&row, "DeviceEventCategory", "TR");
        check_string(&row, "DeviceAddress", "10.239.1.26");
        check_string(&row, "DestinationUserName", "\"-\"");
        check_long(&row, "SentBytes", 0);
        check_string(&row, "SourceIP", "101.173.234.143");
        check_int(&row, "SourcePort", source_ports[i]);
        check_string(&row, "DestinationHostName", "13.86.36.66");
        check_string(&row, "EventOutcome", "302");
        check_string(&row, "RequestMethod", "GET");
        check_string(&row, "Message", "lang=en");
        check_string(&row, "DestinationIP", "-");
        check_int(&row, "DestinationPort", 9049);
        check_string(&row, "ReceiptTime", receipt[i]);
        check_time(&row, "TimeGenerated", generated[i]);
        check_string(&row, "RequestURL", urls[i]);
        check_string(&row, "RequestClientApplication",
                     "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, "
                     "like Gecko) Chrome/99.0.4844.51 Safari/537.36");
        check_string(&row, "DeviceName", "78d886bfdc-dswq7");
        check_string(&row, "DeviceCustomString1", "%ct");
        check_string(&row, "DeviceCustomString1Label", "ClientType");
        check_int(&row, "DeviceCustomNumber3", source_ports[i]);
        check_long(&row, "FieldDeviceCustomNumber3", source_ports[i]);
        check_string(&row, "DeviceCustomNumber3Label", "ProxyPort");
        check_string(&row, "FlexNumber1Label", "ServerTime(ms)");
        check_int(&row, "FlexNumber1", 0);
        check_string(&row, "FlexString1", "HTTP/1.1");
        check_string(&row, "DestinationServiceName", "app18247_561194");
        check_string(&row, "AdditionalExtensions",
                     "BarracudaWafCustomHeader1=;BarracudaWafCustomHeader2=;"
                     "BarracudaWafCustomHeader3=;BarracudaWafResponseType=INTERNAL;"
                     "BarracudaWafSessionID=");
    }
    check_long(&row, "ReceivedBytes", 219);
    row_free(&row);
    free(text);
}

int main(void)
{
    const struct CMUnitTest unit_tests[] = {
        cmocka_unit_test(shape_dotted_token_in_value),
        cmocka_unit_test(shape_escapes_and_spaces),
        cmocka_unit_test(shape_newlines_and_short_header),
        cmocka_unit_test(shape_odd_keys),
        cmocka_unit_test(shape_space_before_equals),
        cmocka_unit_test(shape_json_and_lone_backslash),
        cmocka_unit_test(shape_pipe_url_empty_values),
        cmocka_unit_test(shape_slash_and_empty_last),
        cmocka_unit_test(shape_url_and_empty_header),
        cmocka_unit_test(shape_base64_padding),
        cmocka_unit_test(shape_tag_before_cef),
        cmocka_unit_test(shape_backslash_before_equals),
        cmocka_unit_test(version_forms),
        cmocka_unit_test(numbers_invalid_and_wide),
        cmocka_unit_test(labels_and_constants),
        cmocka_unit_test(wanted_subset_only),
        cmocka_unit_test(time_sources),
        cmocka_unit_test(prefix_without_pri),
        cmocka_unit_test(tab_inside_value),
        cmocka_unit_test(extension_limit),
        cmocka_unit_test(trailing_newline_and_spaces),
    };
    int failed = cmocka_run_group_tests_name("cef_reader", unit_tests, NULL, NULL);

    const struct CMUnitTest sample_tests[] = {
        cmocka_unit_test(jc_fixture_lines),
        cmocka_unit_test(oracle_cases),
        cmocka_unit_test(barracuda_lines),
    };
    char *probe = fh_test_shared_path("data/public/cef");
    if (probe == NULL) {
        fprintf(stderr, "SKIP: cef sample tests: public sample data folder not found "
                        "(set FH_SHARED_DIR)\n");
        return failed;
    }
    free(probe);
    return failed + cmocka_run_group_tests_name("cef_samples", sample_tests, NULL, NULL);
}
