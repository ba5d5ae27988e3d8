/*
 * JSON logs: Defender advanced hunting results as JSON lines, Sentinel exports as a JSON
 * array, Event Hub and storage-export records, API responses, and the accounting of bad lines,
 * late keys and values that do not convert.
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
#include "fh_test_table.h"
#include "foxhound/datetime.h"
#include "foxhound/reader.h"

static char *shared(const char *relative)
{
    char *path = fh_test_shared_path(relative);
    assert_non_null(path);
    return path;
}

static int64_t ticks_of(const char *text)
{
    int64_t ticks;
    assert_int_equal(fh_datetime_parse(text, strlen(text), &ticks), FH_OK);
    return ticks;
}

static void assert_datetime(const fh_value *v, const char *text)
{
    assert_int_equal(v->type, FH_TYPE_DATETIME);
    assert_false(v->is_null);
    assert_int_equal(v->u.ticks, ticks_of(text));
}

static void json_defender_lines(void **state)
{
    char *path = shared(
        "data/public/defender/otrf_GoldenSAMLADFSMailAccess_Microsoft365DefenderEvents.json");
    fh_test_table t;
    assert_int_equal(fh_test_table_read(&t, path, NULL, 0, NULL), FH_OK);
    assert_int_equal(t.status, FH_DONE);
    assert_int_equal(fh_reader_format(t.reader), FH_LOG_JSON);
    assert_int_equal(t.nrows, 9);
    assert_int_equal(t.lines[8], 9);

    /* A union of Defender tables; the process table has the most of its columns. */
    assert_string_equal(fh_reader_schema(t.reader)->name, "DeviceProcessEvents");
    assert_non_null(strstr(fh_reader_detection(t.reader), "JSON lines"));

    assert_datetime(fh_test_cell(&t, 0, "Timestamp"), "2021-08-02T13:11:39.7724491Z");
    assert_datetime(fh_test_cell(&t, 0, "TimeGenerated"), "2021-08-02T13:11:39.7724491Z");
    assert_string_equal(fh_test_text(&t, 0, "ActionType"), "LdapSearch");
    assert_string_equal(fh_test_text(&t, 0, "InitiatingProcessFileName"), "powershell.exe");
    assert_int_equal(fh_test_cell(&t, 0, "InitiatingProcessId")->u.l, 5692);
    /* CRLF line ends: the last key of each line is read whole. */
    assert_string_equal(fh_test_text(&t, 8, "ActionType"), "Add delegated permission grant.");

    /* Keys the table lacks are dynamic columns holding the JSON value as it is. */
    const fh_value *report_long = fh_test_cell(&t, 0, "ReportId_long");
    assert_int_equal(report_long->type, FH_TYPE_DYNAMIC);
    assert_int_equal(json_integer_value(report_long->u.dyn), 113597);
    assert_string_equal(fh_test_text(&t, 5, "Application"), "Active Directory");

    /* Four rows carry text ReportIds that are not longs: counted and left null. */
    const fh_read_stats *stats = fh_reader_stats(t.reader);
    assert_int_equal(stats->values_invalid, 4);
    assert_int_equal(stats->nvalue_reasons, 1);
    assert_string_equal(stats->value_reasons[0].reason,
                        "invalid long in column ReportId, loaded as null");
    assert_int_equal(stats->value_reasons[0].lines[0], 6);
    assert_true(fh_test_cell(&t, 5, "ReportId")->is_null);
    fh_test_table_free(&t);
    free(path);
}

static void json_sentinel_array(void **state)
{
    char *path = shared("data/public/commonsecuritylog/azure-sentinel_CEF_ZScaler.json");
    fh_test_table t;
    assert_int_equal(fh_test_table_read(&t, path, NULL, 0, NULL), FH_OK);
    assert_int_equal(t.status, FH_DONE);
    assert_string_equal(fh_reader_schema(t.reader)->name, "CommonSecurityLog");
    assert_non_null(strstr(fh_reader_detection(t.reader), "a JSON array"));
    assert_int_equal(t.nrows, 2);

    assert_string_equal(fh_test_text(&t, 0, "DeviceVendor"), "Fortinet");
    assert_string_equal(fh_test_text(&t, 1, "DeviceVendor"), "Zscaler");
    assert_string_equal(fh_test_text(&t, 0, "SourceIP"), "213.252.245.73");
    assert_int_equal(fh_test_cell(&t, 0, "DestinationPort")->u.i, 3389);
    /* Numbers in string columns keep their digits. */
    assert_string_equal(fh_test_text(&t, 0, "DeviceEventClassID"), "28704");
    assert_string_equal(fh_test_text(&t, 1, "DeviceEventClassID"), "Allowed");
    /* The portal's display form of a datetime. */
    assert_datetime(fh_test_cell(&t, 0, "TimeGenerated"), "2022-03-30T10:52:35.857Z");
    assert_string_equal(fh_test_text(&t, 0, "Type"), "CommonSecurityLog");
    assert_string_equal(fh_test_text(&t, 1, "Type"), "");
    assert_int_equal(fh_reader_stats(t.reader)->lines, 52);
    fh_test_table_free(&t);
    free(path);
}

static void json_invalid_document(void **state)
{
    char *path = shared("data/public/commonsecuritylog/azure-sentinel_CEF_fotinatefortigate.json");
    fh_test_table t;
    assert_int_equal(fh_test_table_read(&t, path, NULL, 0, NULL), FH_ERR_PARSE);
    /* A raw line break inside the AdditionalExtensions string, at the end of line 20. */
    assert_string_equal(t.err.source, path);
    assert_int_equal(t.err.line, 20);
    assert_true(t.err.column > 0);
    assert_non_null(strstr(t.err.message, "invalid JSON"));
    fh_test_table_free(&t);
    free(path);
}

static void json_unknown_columns(void **state)
{
    char *path = shared("data/public/cef/jcustenborder_Message0000.json");
    fh_test_table t;
    assert_int_equal(fh_test_table_read(&t, path, NULL, 0, NULL), FH_OK);
    assert_int_equal(t.status, FH_DONE);
    const fh_schema *schema = fh_reader_schema(t.reader);
    assert_string_equal(schema->name, "");
    assert_int_equal(schema->ncols, 2);
    assert_string_equal(schema->cols[0].name, "input");
    assert_string_equal(schema->cols[1].name, "expected");
    assert_int_equal(t.nrows, 1);
    assert_string_equal(fh_test_text(&t, 0, "input"),
                        "CEF:0|Security|threatmanager|1.0|100|worm successfully stopped|10|"
                        "src=10.0.0.1 dst=2.1.2.2 spt=1232");
    const fh_value *expected = fh_test_cell(&t, 0, "expected");
    assert_string_equal(json_string_value(json_object_get(expected->u.dyn, "deviceVendor")),
                        "Security");
    fh_test_table_free(&t);
    free(path);
}

static const char event_hub[] =
    "{\"records\": [\n"
    " {\"time\": \"2026-06-12T08:14:06Z\", \"tenantId\": \"t1\",\n"
    "  \"category\": \"AdvancedHunting-DeviceNetworkEvents\",\n"
    "  \"properties\": {\"Timestamp\": \"2026-06-12T08:14:05.2214410Z\", \"DeviceName\": "
    "\"ws-fin-07\", \"RemoteIP\": \"80.76.49.194\", \"RemotePort\": 56001, \"LocalPort\": "
    "\"51544\", \"AdditionalFields\": \"{\\\"x\\\":1}\", \"MachineGroup\": \"Workstations\"}},\n"
    " {\"time\": \"2026-06-12T08:20:43Z\", \"tenantId\": \"t1\",\n"
    "  \"category\": \"AdvancedHunting-DeviceNetworkEvents\",\n"
    "  \"properties\": {\"Timestamp\": \"2026-06-12T08:20:42.0031875Z\", \"RemoteIP\": "
    "\"80.76.49.194\", \"RemotePort\": 443, \"Extra\": [1, 2]}}\n"
    "]}\n";

static void json_event_hub_records(void **state)
{
    fh_test_table t;
    assert_int_equal(fh_test_table_read(&t, "hub.json", event_hub, sizeof event_hub - 1, NULL),
                     FH_OK);
    assert_int_equal(t.status, FH_DONE);
    const fh_schema *schema = fh_reader_schema(t.reader);
    assert_string_equal(schema->name, "DeviceNetworkEvents");
    assert_non_null(strstr(fh_reader_detection(t.reader), "AdvancedHunting-DeviceNetworkEvents"));
    assert_string_equal(schema->cols[schema->ncols - 1].name, "Extra");

    assert_int_equal(t.nrows, 2);
    assert_string_equal(fh_test_text(&t, 0, "RemoteIP"), "80.76.49.194");
    assert_int_equal(fh_test_cell(&t, 0, "RemotePort")->u.i, 56001);
    assert_int_equal(fh_test_cell(&t, 0, "LocalPort")->u.i, 51544);
    assert_string_equal(fh_test_text(&t, 0, "MachineGroup"), "Workstations");
    assert_datetime(fh_test_cell(&t, 1, "TimeGenerated"), "2026-06-12T08:20:42.0031875Z");
    /* AdditionalFields arrives as JSON text and becomes a dynamic object. */
    const fh_value *fields = fh_test_cell(&t, 0, "AdditionalFields");
    assert_int_equal(json_integer_value(json_object_get(fields->u.dyn, "x")), 1);
    assert_int_equal(json_array_size(fh_test_cell(&t, 1, "Extra")->u.dyn), 2);
    assert_true(fh_test_cell(&t, 0, "Extra")->is_null);
    /* Whole documents have no line per row. */
    assert_int_equal(t.lines[0], 0);
    fh_test_table_free(&t);
}

static const char storage_lines[] =
    "{\"time\": \"t\", \"category\": \"AdvancedHunting-DeviceFileEvents\", \"properties\": "
    "{\"Timestamp\": \"2026-06-13T14:22:08Z\", \"FileName\": \"update.bin\", \"SHA256\": "
    "\"b50a05e38e9d04fd5c4dac4f29850649a77bb3ae443639206c908058e45593eb\", \"FileSize\": "
    "98304}}\n"
    "\n"
    "{\"time\": \"t\", \"category\": \"AdvancedHunting-DeviceNetworkEvents\", \"properties\": "
    "{\"RemoteIP\": \"10.1.1.1\"}}\n"
    "{\"time\": \"t\", \"category\": \"AdvancedHunting-DeviceFileEvents\", \"properties\": "
    "{\"Timestamp\": \"2026-06-14T02:00:00Z\", \"FileName\": \"cleanup.dat\"}}\n"
    "{\"time\": \"t\", broken\n";

static void json_storage_lines(void **state)
{
    fh_test_table t;
    assert_int_equal(
        fh_test_table_read(&t, "blob.json", storage_lines, sizeof storage_lines - 1, NULL), FH_OK);
    assert_int_equal(t.status, FH_DONE);
    assert_string_equal(fh_reader_schema(t.reader)->name, "DeviceFileEvents");
    assert_int_equal(t.nrows, 2);
    assert_string_equal(fh_test_text(&t, 0, "FileName"), "update.bin");
    assert_int_equal(fh_test_cell(&t, 0, "FileSize")->u.l, 98304);
    assert_int_equal(t.lines[1], 4);

    /* The blank line, the record of another table and the broken line are each counted. */
    const fh_read_stats *stats = fh_reader_stats(t.reader);
    assert_int_equal(stats->lines, 5);
    assert_int_equal(stats->rows_skipped, 3);
    assert_int_equal(stats->nreasons, 3);
    assert_string_equal(stats->reasons[0].reason, "empty line");
    assert_string_equal(stats->reasons[1].reason, "invalid JSON");
    assert_int_equal(stats->reasons[1].lines[0], 5);
    assert_string_equal(stats->reasons[2].reason, "record of another Defender table");
    assert_int_equal(stats->reasons[2].lines[0], 3);
    fh_test_table_free(&t);
}

static void json_strict_bad_line(void **state)
{
    fh_read_options options = {.strict = true};
    fh_test_table t;
    assert_int_equal(
        fh_test_table_read(&t, "blob.json", storage_lines, sizeof storage_lines - 1, &options),
        FH_ERR_PARSE);
    /* Lines are read ahead when the reader opens, so the broken line 5 fails the open. */
    assert_string_equal(t.err.source, "blob.json");
    assert_int_equal(t.err.line, 5);
    fh_test_table_free(&t);
}

static void json_api_response(void **state)
{
    const char text[] =
        "{\"Stats\": {\"ExecutionTime\": 0.1},\n"
        " \"Schema\": [{\"Name\": \"Timestamp\", \"Type\": \"DateTime\"},\n"
        "            {\"Name\": \"RemoteIP\", \"Type\": \"String\"},\n"
        "            {\"Name\": \"RemotePort\", \"Type\": \"Int32\"},\n"
        "            {\"Name\": \"Hits\", \"Type\": \"Int64\"}],\n"
        " \"Results\": [{\"Timestamp\": \"2026-06-12T08:14:05Z\", \"RemoteIP\": \"80.76.49.194\","
        " \"RemotePort\": 56001, \"Hits\": 7}]}";
    fh_test_table t;
    assert_int_equal(fh_test_table_read(&t, "api.json", text, sizeof text - 1, NULL), FH_OK);
    assert_int_equal(t.status, FH_DONE);
    const fh_schema *schema = fh_reader_schema(t.reader);
    assert_string_equal(schema->name, "DeviceNetworkEvents");
    assert_non_null(strstr(fh_reader_detection(t.reader), "advanced hunting API response"));
    assert_int_equal(t.nrows, 1);
    /* The declared type of an extra column is kept. */
    const fh_value *hits = fh_test_cell(&t, 0, "Hits");
    assert_int_equal(hits->type, FH_TYPE_LONG);
    assert_int_equal(hits->u.l, 7);
    assert_datetime(fh_test_cell(&t, 0, "TimeGenerated"), "2026-06-12T08:14:05Z");
    fh_test_table_free(&t);
}

/* Makes FH_JSON_SCAN_LINES + 2 lines; the last has a key no earlier line had. */
static char *late_key_lines(size_t *len)
{
    size_t cap = (FH_JSON_SCAN_LINES + 2) * 64;
    char *text = malloc(cap);
    size_t used = 0;
    for (int i = 0; i < FH_JSON_SCAN_LINES + 1; i++)
        used += (size_t)snprintf(text + used, cap - used,
                                 "{\"RemoteIP\": \"10.0.0.%d\", \"RemotePort\": %d}\n", i % 250, i);
    used += (size_t)snprintf(text + used, cap - used,
                             "{\"RemoteIP\": \"10.9.9.9\", \"RemotePort\": 1, \"Late\": 5}\n");
    *len = used;
    return text;
}

static void json_late_key_counted(void **state)
{
    size_t len;
    char *text = late_key_lines(&len);
    fh_test_table t;
    assert_int_equal(fh_test_table_read(&t, "late.json", text, len, NULL), FH_OK);
    assert_int_equal(t.status, FH_DONE);
    assert_int_equal(t.nrows, FH_JSON_SCAN_LINES + 2);
    assert_int_equal(fh_schema_find(fh_reader_schema(t.reader), "Late", 4), -1);
    assert_string_equal(fh_test_text(&t, FH_JSON_SCAN_LINES + 1, "RemoteIP"), "10.9.9.9");

    const fh_read_stats *stats = fh_reader_stats(t.reader);
    assert_int_equal(stats->fields_dropped, 1);
    assert_int_equal(stats->nvalue_reasons, 1);
    assert_non_null(strstr(stats->value_reasons[0].reason, "\"Late\""));
    assert_int_equal(stats->value_reasons[0].lines[0], FH_JSON_SCAN_LINES + 2);
    fh_test_table_free(&t);
    free(text);
}

static void json_too_deep_line(void **state)
{
    char text[512];
    size_t used = (size_t)snprintf(text, sizeof text, "{\"RemoteIP\": \"10.0.0.1\"}\n{\"a\": ");
    for (int i = 0; i < FH_MAX_JSON_DEPTH; i++)
        text[used++] = '[';
    for (int i = 0; i < FH_MAX_JSON_DEPTH; i++)
        text[used++] = ']';
    used += (size_t)snprintf(text + used, sizeof text - used, "}\n");

    fh_test_table t;
    assert_int_equal(fh_test_table_read(&t, "deep.json", text, used, NULL), FH_OK);
    assert_int_equal(t.status, FH_DONE);
    assert_int_equal(t.nrows, 1);
    const fh_read_stats *stats = fh_reader_stats(t.reader);
    assert_int_equal(stats->rows_skipped, 1);
    assert_non_null(strstr(stats->reasons[0].reason, "nested deeper"));
    fh_test_table_free(&t);
}

static bool keep_port_443(void *ctx, const char *line, size_t len)
{
    return memmem(line, len, "443", 3) != NULL;
}

static void json_projection_and_filter(void **state)
{
    const char text[] = "{\"RemoteIP\": \"10.0.0.1\", \"RemotePort\": 443, \"LocalIP\": \"a\"}\n"
                        "{\"RemoteIP\": \"10.0.0.2\", \"RemotePort\": 80, \"LocalIP\": \"b\"}\n"
                        "{\"RemoteIP\": \"10.0.0.3\", \"RemotePort\": 8443, \"LocalIP\": \"c\"}\n";
    const char *columns[] = {"RemoteIP"};
    fh_read_options options = {.columns = columns,
                               .ncolumns = 1,
                               .table = "DeviceNetworkEvents",
                               .line_filter = keep_port_443};
    fh_test_table t;
    assert_int_equal(fh_test_table_read(&t, "p.json", text, sizeof text - 1, &options), FH_OK);
    assert_int_equal(t.status, FH_DONE);
    assert_int_equal(t.nrows, 2);
    assert_string_equal(fh_test_text(&t, 1, "RemoteIP"), "10.0.0.3");
    assert_true(fh_test_cell(&t, 1, "RemotePort")->is_null);
    assert_string_equal(fh_test_text(&t, 1, "LocalIP"), "");
    assert_int_equal(fh_reader_stats(t.reader)->rows_filtered, 1);
    fh_test_table_free(&t);
}

int main(void)
{
    FH_TEST_NEED_SHARED();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(json_defender_lines),        cmocka_unit_test(json_sentinel_array),
        cmocka_unit_test(json_invalid_document),      cmocka_unit_test(json_unknown_columns),
        cmocka_unit_test(json_event_hub_records),     cmocka_unit_test(json_storage_lines),
        cmocka_unit_test(json_strict_bad_line),       cmocka_unit_test(json_api_response),
        cmocka_unit_test(json_late_key_counted),      cmocka_unit_test(json_too_deep_line),
        cmocka_unit_test(json_projection_and_filter),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
